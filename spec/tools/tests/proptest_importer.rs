//! Property tests of the docs importer: arbitrary text and randomly mutated copies of the real
//! pages (`spec/docs/*.md`) never panic, and every page error says something. Run longer with
//! `PROPTEST_CASES=20000 cargo test -p pabbly-spec-tools --test proptest_importer`.

#[path = "../../tests/mutate/mod.rs"]
mod mutate;

use std::sync::LazyLock;

use proptest::prelude::*;

static PAGES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs");
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    pages.sort();
    assert!(!pages.is_empty(), "no pages in {}", dir.display());
    pages
        .iter()
        .map(|path| {
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        })
        .collect()
});

fn check(text: &str) -> Result<(), TestCaseError> {
    if let Err(error) = pabbly_spec_tools::import::import_page(text, "page.md") {
        prop_assert!(
            !error.message.trim().is_empty(),
            "an error without a message: {:?}",
            error
        );
        prop_assert!(!error.to_string().is_empty());
    }
    Ok(())
}

proptest! {
    #![proptest_config(mutate::config(128))]

    #[test]
    fn arbitrary_text(text in "\\PC{0,512}") {
        check(&text)?;
    }

    #[test]
    fn markdown_ish_text(text in r#"[-#|`*:{}\[\]",.\n a-zA-Z0-9]{0,512}"#) {
        check(&text)?;
    }

    #[test]
    fn mutated_real_pages(page in any::<prop::sample::Index>(), edits in mutate::edits()) {
        let page = page.get(&PAGES);
        check(&mutate::apply(page, &edits))?;
    }
}
