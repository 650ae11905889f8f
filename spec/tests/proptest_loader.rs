//! Property tests of the spec loader: arbitrary text and randomly mutated copies of the real
//! spec never panic, and every error diagnostic says something. Run longer with
//! `PROPTEST_CASES=20000 cargo test -p pabbly-spec --test proptest_loader`.

mod mutate;

use std::sync::LazyLock;

use proptest::prelude::*;

static REAL_SPEC: LazyLock<String> = LazyLock::new(|| {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("pabbly.yaml");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
});

fn check(text: &str) -> Result<(), TestCaseError> {
    if let Err(diagnostics) = pabbly_spec::load_str(text, "spec/pabbly.yaml") {
        prop_assert!(!diagnostics.0.is_empty(), "an error without diagnostics");
        for diagnostic in &diagnostics.0 {
            prop_assert!(
                !diagnostic.message.trim().is_empty(),
                "a diagnostic without a message: {:?}",
                diagnostic
            );
        }
        // Rendering them must not panic either.
        prop_assert!(!diagnostics.to_string().is_empty());
    }
    Ok(())
}

proptest! {
    #![proptest_config(mutate::config(128))]

    #[test]
    fn arbitrary_text(text in "\\PC{0,256}") {
        check(&text)?;
    }

    #[test]
    fn yaml_ish_text(text in r#"[-:#|>\[\]{}&*!%@'",.\n\t a-z0-9]{0,256}"#) {
        check(&text)?;
    }

}

proptest! {
    // Each case loads the whole 120 KB spec: fewer by default.
    #![proptest_config(mutate::config(48))]

    #[test]
    fn mutated_real_spec(edits in mutate::edits()) {
        check(&mutate::apply(&REAL_SPEC, &edits))?;
    }
}
