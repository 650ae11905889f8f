//! The drift checker against the real spec and docs: in step as committed, and reporting exactly
//! the edits made to a copy of the docs, through the library and through the binary.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use pabbly_spec_tools::import::{self, Change, Drift};

const PORTAL_PAGE: &str = "client-portal__create-client-portal-api-session.md";

fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn real_docs() -> PathBuf {
    spec_dir().join("docs")
}

fn real_spec() -> PathBuf {
    spec_dir().join("pabbly.yaml")
}

/// A scratch directory under the system temp dir, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("pabbly-spec-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create the scratch directory");
        Scratch(dir)
    }

    /// A copy of the real docs inside the scratch directory.
    fn docs_copy(&self) -> PathBuf {
        let docs = self.0.join("docs");
        fs::create_dir_all(&docs).expect("create docs");
        for entry in fs::read_dir(real_docs()).expect("read spec/docs") {
            let entry = entry.expect("a directory entry");
            fs::copy(entry.path(), docs.join(entry.file_name())).expect("copy a page");
        }
        docs
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).expect("read the page");
    assert!(text.contains(from), "{} lacks {from:?}", path.display());
    fs::write(path, text.replacen(from, to, 1)).expect("write the page");
}

/// Runs the binary; returns its exit code and stdout.
fn run(args: &[&str], dir: &Path) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_pabbly-spec"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run pabbly-spec");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    (
        output.status.code().unwrap_or(-1),
        format!("{stdout}{stderr}"),
    )
}

#[test]
fn the_real_spec_is_in_step_with_its_docs() {
    let report = import::check(&real_docs(), &real_spec()).unwrap_or_else(|e| panic!("{e}"));
    assert!(!report.has_drift(false), "{}", report.render(false));
    let linked: Vec<_> = report
        .operations
        .iter()
        .map(|o| (o.id.as_str(), o.doc_page.as_str()))
        .collect();
    assert!(
        linked.contains(&("portal_sessions.create", PORTAL_PAGE)),
        "{linked:?}"
    );
    let api = pabbly_spec::load(&real_spec(), "spec/pabbly.yaml").unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(
        linked.len(),
        api.operations().count(),
        "every operation names its page"
    );
    let pages = fs::read_dir(real_docs())
        .expect("spec/docs is readable")
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "md"))
        })
        .count();
    let mut named: Vec<_> = linked.iter().map(|(_, page)| *page).collect();
    named.sort_unstable();
    named.dedup();
    assert_eq!(
        report.uncovered.len(),
        pages - named.len(),
        "pages without an operation"
    );

    let workspace = spec_dir().join("..");
    let (code, out) = run(&["check"], &workspace);
    assert_eq!(code, 0, "{out}");
    let summary = format!("0 of {} linked operation(s) drift", linked.len());
    assert!(out.contains(&summary), "{out}");
    let (code, out) = run(&["check", "--strict"], &workspace);
    let expected = if report.uncovered.is_empty() { 0 } else { 1 };
    assert_eq!(code, expected, "{out}");
    assert_eq!(
        out.matches("endpoint added").count(),
        report.uncovered.len(),
        "{out}"
    );
}

#[test]
fn an_edited_page_reports_exactly_the_edits() {
    let scratch = Scratch::new("edited");
    let docs = scratch.docs_copy();
    let page = docs.join(PORTAL_PAGE);
    edit(
        &page,
        "# POST /portal_sessions/ —",
        "# POST /portal_sessions/v2 —",
    );
    edit(
        &page,
        "**Body parameters:**",
        "**Query parameters:**\n\n| Name | Type | Required | Description |\n|------|------|----------|-------------|\n| locale | string | No | one of: en, fr |\n\n**Body parameters:**",
    );

    let report = import::check(&docs, &real_spec()).unwrap_or_else(|e| panic!("{e}"));
    let drift: Vec<&Drift> = report
        .operations
        .iter()
        .flat_map(|o| o.drift.iter())
        .collect();
    assert_eq!(
        drift,
        [
            &Drift {
                at: "path".to_owned(),
                change: Change::Path {
                    spec: "/portal_sessions/".to_owned(),
                    docs: "/portal_sessions/v2".to_owned()
                },
            },
            &Drift {
                at: "query.locale".to_owned(),
                change: Change::Added {
                    ty: "string enum".to_owned(),
                    required: Some(false)
                },
            },
        ]
    );
    assert!(report.has_drift(false));

    let (code, out) = run(
        &[
            "check",
            "--docs",
            &docs.display().to_string(),
            "--spec",
            &real_spec().display().to_string(),
        ],
        &scratch.0,
    );
    assert_eq!(code, 1, "{out}");
    let lines: Vec<&str> = out.lines().take(3).collect();
    assert_eq!(
        lines,
        [
            "portal_sessions.create (client-portal__create-client-portal-api-session.md):",
            "  path: spec /portal_sessions/, docs /portal_sessions/v2",
            "  query.locale: added in the docs (string enum, optional)",
        ]
    );

    let (code, out) = run(
        &[
            "check",
            "--docs",
            &real_docs().display().to_string(),
            "--spec",
            &real_spec().display().to_string(),
        ],
        &scratch.0,
    );
    assert_eq!(code, 0, "the unmodified docs are in step: {out}");
}

#[test]
fn overrides_silence_drift_and_stale_ones_are_noted() {
    let scratch = Scratch::new("overrides");
    let docs = scratch.docs_copy();
    edit(
        &docs.join(PORTAL_PAGE),
        "# POST /portal_sessions/ —",
        "# POST /portal_session/ —",
    );
    let spec = fs::read_to_string(real_spec()).expect("read the spec");
    let anchor = format!("    doc_page: {PORTAL_PAGE}\n");
    let overridden = spec.replacen(
        &anchor,
        &format!(
            "{anchor}    overrides:\n      - {{ at: path, reason: The live API still answers on the old path. }}\n      - {{ at: query.limit, reason: Stale on purpose. }}\n"
        ),
        1,
    );
    let spec_path = scratch.0.join("pabbly.yaml");
    fs::write(&spec_path, overridden).expect("write the spec");

    let report = import::check(&docs, &spec_path).unwrap_or_else(|e| panic!("{e}"));
    assert!(!report.has_drift(false), "{}", report.render(false));
    assert_eq!(
        report.unused_overrides,
        [(
            "portal_sessions.create".to_owned(),
            "query.limit".to_owned()
        )]
    );
    let (code, out) = run(
        &[
            "check",
            "--docs",
            &docs.display().to_string(),
            "--spec",
            &spec_path.display().to_string(),
        ],
        &scratch.0,
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("override at `query.limit` matches no drift"),
        "{out}"
    );
}

#[test]
fn a_removed_page_is_drift_and_a_broken_spec_is_an_error() {
    let scratch = Scratch::new("removed");
    let docs = scratch.docs_copy();
    fs::remove_file(docs.join(PORTAL_PAGE)).expect("remove the page");
    let report = import::check(&docs, &real_spec()).unwrap_or_else(|e| panic!("{e}"));
    let portal = report
        .operations
        .iter()
        .find(|o| o.doc_page == PORTAL_PAGE)
        .expect("the portal session operation is checked");
    assert_eq!(portal.drift[0].change, Change::PageMissing);
    let (code, _) = run(
        &[
            "check",
            "--docs",
            &docs.display().to_string(),
            "--spec",
            &real_spec().display().to_string(),
        ],
        &scratch.0,
    );
    assert_eq!(code, 1);

    let bad = scratch.0.join("bad.yaml");
    fs::write(&bad, "spec_version: 1\n").expect("write");
    let (code, out) = run(
        &[
            "check",
            "--docs",
            &docs.display().to_string(),
            "--spec",
            &bad.display().to_string(),
        ],
        &scratch.0,
    );
    assert_eq!(code, 2, "{out}");
    let (code, _) = run(
        &[
            "check",
            "--docs",
            "/nonexistent/docs",
            "--spec",
            &real_spec().display().to_string(),
        ],
        &scratch.0,
    );
    assert_eq!(code, 2);
    fs::write(docs.join("broken.md"), "no heading here\n").expect("write");
    let (code, out) = run(
        &[
            "check",
            "--docs",
            &docs.display().to_string(),
            "--spec",
            &real_spec().display().to_string(),
        ],
        &scratch.0,
    );
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("broken.md:1: no `# METHOD /path"), "{out}");
}

#[test]
fn an_override_without_a_reason_is_rejected() {
    let spec = fs::read_to_string(real_spec()).expect("read the spec");
    let anchor = format!("    doc_page: {PORTAL_PAGE}\n");
    let broken = spec.replacen(&anchor, &format!("{anchor}    overrides:\n      - at: path\n      - at: nowhere.x\n        reason: \"\"\n"), 1);
    let error = pabbly_spec::load_str(&broken, "spec.yaml").expect_err("no reason");
    let messages: Vec<_> = error.0.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "the override at \"path\" has no reason",
            "the override at \"nowhere.x\" has no reason",
            "override location \"nowhere.x\" names no part of an operation",
        ]
    );
    let broken = spec.replacen(&anchor, "    doc_page: ../docs/page.md\n", 1);
    let error = pabbly_spec::load_str(&broken, "spec.yaml").expect_err("not a file name");
    assert!(
        error.0[0]
            .message
            .contains("is not the file name of a page"),
        "{error}"
    );
}

/// Every page imports, all of them imported together (with the types they share) load as one
/// spec, and that spec is in step with the docs.
#[test]
fn importing_every_page_round_trips_without_drift() {
    let mut pages: Vec<PathBuf> = fs::read_dir(real_docs())
        .expect("read spec/docs")
        .map(|e| e.expect("an entry").path())
        .collect();
    pages.sort();
    assert_eq!(pages.len(), 95);
    let drafts = pages
        .iter()
        .map(|page| {
            let text = fs::read_to_string(page).expect("read a page");
            import::import_page(&text, &page.display().to_string())
                .unwrap_or_else(|e| panic!("{e}"))
                .draft
        })
        .collect();
    let printed = import::to_spec_yaml(drafts);
    let (types, operations) = printed
        .split_once("# under `operations:`\n")
        .expect("the pages share some objects");
    let yaml = format!(
        "spec_version: 1\napi:\n  title: Imported\n  version: v1\n  base_url: https://payments.pabbly.com/api/v1\n  auth: basic\ntypes:\n{types}operations:\n{operations}"
    );
    let api = pabbly_spec::load_str(&yaml, "imported.yaml").unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(api.operations().count(), 95);
    assert!(!api.models.is_empty());
    let report = import::check_api(&api, &real_docs()).unwrap_or_else(|e| panic!("{e}"));
    assert!(!report.has_drift(true), "{}", report.render(true));
    assert!(report.uncovered.is_empty() && report.unlinked.is_empty());
}

/// One page, wrapped in a header, loads and compares clean against the page it came from.
#[test]
fn one_imported_page_loads_and_compares_clean() {
    let path = real_docs().join("subscriptions__list-all-subscriptions.md");
    let text = fs::read_to_string(&path).expect("read the page");
    let imported = import::import_page(&text, "subscriptions__list-all-subscriptions.md")
        .unwrap_or_else(|e| panic!("{e}"));
    let yaml = format!(
        "spec_version: 1\napi:\n  title: One\n  version: v1\n  base_url: https://payments.pabbly.com/api/v1\n  auth: basic\noperations:\n{}",
        import::to_yaml(&imported.draft)
    );
    let api = pabbly_spec::load_str(&yaml, "one.yaml").unwrap_or_else(|d| panic!("{d}"));
    let op = api.operations().next().expect("an operation");
    assert_eq!(op.id, "subscriptions.list");
    assert!(import::compare(&api, op, &imported.draft).is_empty());
}

#[test]
fn import_prints_yaml_and_a_summary() {
    let (code, out) = run(&["import", PORTAL_PAGE], &real_docs());
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with(
            "  # imported from spec/docs/client-portal__create-client-portal-api-session.md"
        ),
        "{out}"
    );
    assert!(
        out.contains("imported 1 of 1 page(s) (1 full); 0 warning(s) on 0 page(s)"),
        "{out}"
    );
    let (code, out) = run(&["import", "missing.md"], &real_docs());
    assert_eq!(code, 2, "{out}");
    let (code, _) = run(&["frobnicate"], &real_docs());
    assert_eq!(code, 2);
}
