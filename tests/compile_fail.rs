//! One compile-fail case per kind of bad spec: each `.stderr` is the error a user reads.
//!
//! trybuild compiles the cases in a scratch crate, where `CARGO_MANIFEST_DIR` is not this
//! folder; the test therefore re-runs itself with `PABBLY_SPEC_DIR` pointing at `tests/ui`, the
//! macro's documented override, instead of touching its own environment.

use std::path::Path;
use std::process::Command;

const SPEC_DIR: &str = "PABBLY_SPEC_DIR";

#[test]
fn bad_specs_are_compile_errors() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    if std::env::var_os(SPEC_DIR).is_some_and(|dir| Path::new(&dir) == ui) {
        trybuild::TestCases::new().compile_fail("ui/*.rs");
        return;
    }
    let status = Command::new(std::env::current_exe().expect("the test binary's path"))
        .args(["bad_specs_are_compile_errors", "--exact", "--nocapture"])
        .env(SPEC_DIR, &ui)
        .status()
        .expect("the test binary runs");
    assert!(status.success(), "compile-fail cases failed (see above)");
}
