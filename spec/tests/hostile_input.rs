//! Spec input a build must survive: paths to things that are not spec files, and texts whose
//! diagnostics could be huge or slow. Each ends in a short, located error.

mod support;

use support::HEADER;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use pabbly_spec::{Diagnostic, Diagnostics, Excerpt, MAX_SPEC_BYTES};

/// A scratch path under cargo's temporary directory for this test target.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("hostile_input");
    std::fs::create_dir_all(&dir).expect("the scratch directory");
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

#[track_caller]
fn unreadable(path: &Path) -> Diagnostic {
    match pabbly_spec::load(path, "spec.yaml") {
        Ok(_) => panic!("{} loaded", path.display()),
        Err(Diagnostics(mut found)) => {
            assert_eq!(found.len(), 1, "{}", Diagnostics(found.clone()));
            found.remove(0)
        }
    }
}

#[track_caller]
fn errors(text: &str) -> Vec<Diagnostic> {
    match pabbly_spec::load_str(text, "spec.yaml") {
        Ok(_) => panic!("the spec loaded"),
        Err(Diagnostics(found)) => found,
    }
}

#[test]
fn an_unreadable_file_is_one_diagnostic_without_position() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("no-such-spec.yaml");
    let Err(Diagnostics(found)) = pabbly_spec::load(&path, "no-such-spec.yaml") else {
        panic!("a missing file cannot load");
    };
    assert_eq!(found.len(), 1);
    let d = &found[0];
    assert_eq!(d.file, "no-such-spec.yaml");
    assert_eq!(d.position, pabbly_spec::Position::default());
    assert!(
        d.message.starts_with("cannot read the spec file: "),
        "{}",
        d.message
    );
    assert_eq!(
        d.help,
        Some(format!("the path resolved to {}", path.display()))
    );
    assert_eq!(d.source_line, None);
    assert!(
        d.to_string().starts_with("no-such-spec.yaml: cannot read"),
        "{d}"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_blocking() {
    let path = scratch("spec.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    // Opening a FIFO for reading blocks until a writer comes: the test would hang, not fail.
    let d = unreadable(&path);
    assert_eq!(
        d.message,
        "the spec path is not a regular file (a spec is read only from a regular file)"
    );
    std::fs::remove_file(&path).expect("the FIFO is removed");
}

#[cfg(unix)]
#[test]
fn an_endless_device_is_refused() {
    let d = unreadable(Path::new("/dev/zero"));
    assert!(d.message.contains("not a regular file"), "{d}");
    assert_eq!(
        d.help.as_deref(),
        Some("the path resolved to /dev/zero"),
        "{d}"
    );
}

#[test]
fn a_directory_is_refused() {
    let d = unreadable(Path::new(env!("CARGO_TARGET_TMPDIR")));
    assert!(d.message.contains("not a regular file"), "{d}");
}

#[test]
fn a_file_over_the_limit_is_refused_before_it_is_read() {
    let path = scratch("huge.yaml");
    // Sparse: the length is set without writing, so the test uses no disk.
    let file = std::fs::File::create(&path).expect("the scratch file");
    file.set_len(MAX_SPEC_BYTES + 1).expect("the length is set");
    let d = unreadable(&path);
    assert_eq!(
        d.message,
        format!("the spec file is larger than the {MAX_SPEC_BYTES} bytes a spec may have")
    );
    std::fs::remove_file(&path).expect("the scratch file is removed");
}

#[test]
fn a_file_at_the_limit_is_read() {
    let path = scratch("at_limit.yaml");
    let mut text = format!("{HEADER}operations: []\n");
    let padding = usize::try_from(MAX_SPEC_BYTES).expect("a small limit") - text.len();
    text.push_str(&"#".repeat(padding));
    assert_eq!(text.len() as u64, MAX_SPEC_BYTES);
    std::fs::write(&path, &text).expect("the scratch file");
    let loaded = pabbly_spec::load(&path, "spec.yaml");
    std::fs::remove_file(&path).expect("the scratch file is removed");
    if let Err(diagnostics) = loaded {
        panic!("a spec of exactly the limit is refused: {diagnostics}");
    }
}

#[test]
fn a_file_that_is_not_text_is_refused() {
    let path = scratch("binary.yaml");
    std::fs::write(&path, b"spec_version: 1\n\xff\xfe").expect("the scratch file");
    let d = unreadable(&path);
    std::fs::remove_file(&path).expect("the scratch file is removed");
    assert_eq!(
        d.message,
        "the spec file is not UTF-8 text (invalid byte at offset 16)"
    );
}

/// 15,000 operations with a mistake each: every one is reported, each with its own line.
///
/// Finding a diagnostic's line is a lookup in an index built once (a unit test in
/// `diagnostic.rs` pins that down); this checks the result at a size where re-scanning the file
/// for each diagnostic, as before, took close to a minute.
#[test]
fn fifteen_thousand_mistakes_are_each_reported_at_their_line() {
    const MISTAKES: usize = 15_000;
    let mut text = format!("{HEADER}operations:\n");
    let mut lines = Vec::new();
    for i in 0..MISTAKES {
        let line = HEADER.lines().count() + 2 + i * 5;
        write!(
            text,
            "  - id: things.get_{i}\n    method: GET\n    path: /thing/{i}\n    summary: Reads thing {i}.\n    response: {{ data: {{ type: strng{i} }} }}\n"
        )
        .expect("writing to a string");
        lines.push(line + 4);
    }
    let found = errors(&text);
    assert_eq!(found.len(), MISTAKES);
    for (d, (i, line)) in found.iter().zip(lines.iter().enumerate()) {
        assert_eq!(d.position.line, *line as u64, "{d}");
        assert_eq!(d.message, format!("unknown type \"strng{i}\""));
        let shown = d.source_line.as_ref().expect("the line is shown");
        assert_eq!(
            shown.text,
            format!("    response: {{ data: {{ type: strng{i} }} }}")
        );
    }
}

/// The rendered diagnostics of `text`, which must be few and short however long its lines.
#[track_caller]
fn short_rendering(text: &str) -> String {
    let rendered = Diagnostics(errors(text)).to_string();
    assert!(
        rendered.len() < 2_000,
        "{} bytes of diagnostics: {}…",
        rendered.len(),
        &rendered[..2_000]
    );
    rendered
}

#[test]
fn a_mistake_on_a_huge_line_shows_an_excerpt_around_its_column() {
    // As long as a line of a spec file can be.
    let filler = "x".repeat(usize::try_from(MAX_SPEC_BYTES / 2).expect("a small limit"));
    let text = format!(
        "{HEADER}operations:\n  - {{ id: things.get, summary: \"{filler}\", method: FETCH, path: /t, description: \"{filler}\", response: {{ data: {{ type: any }} }} }}\n"
    );
    let rendered = short_rendering(&text);
    let d = &errors(&text)[0];
    assert_eq!(d.message, "unknown HTTP method \"FETCH\"");
    let excerpt = d.source_line.as_ref().expect("an excerpt");
    assert_eq!(
        excerpt.text.chars().count(),
        Excerpt::MAX_CHARS + 2,
        "{rendered}"
    );
    assert!(excerpt.text.starts_with('…') && excerpt.text.ends_with('…'));
    let at_caret: String = excerpt.text.chars().skip(excerpt.caret).take(5).collect();
    assert_eq!(at_caret, "FETCH", "{rendered}");
}

#[test]
fn a_huge_key_or_value_is_quoted_shortened() {
    let long = "y".repeat(10 * 1024 * 1024);
    let text = format!(
        "{HEADER}operations:\n  - id: things.get\n    method: \"{long}\"\n    path: /t\n    summary: S.\n    response: {{ data: {{ type: any }} }}\n"
    );
    let rendered = short_rendering(&text);
    assert!(rendered.contains("unknown HTTP method \"yyy"), "{rendered}");
}

#[test]
fn deeply_nested_flow_collections_give_a_short_error() {
    for (open, close) in [("[", "]"), ("{a: ", "}")] {
        let depth = 200_000;
        let text = format!(
            "{HEADER}operations: {}{}\n",
            open.repeat(depth),
            close.repeat(depth)
        );
        let rendered = short_rendering(&text);
        assert!(rendered.starts_with("spec.yaml:7:"), "{rendered}");
    }
}
