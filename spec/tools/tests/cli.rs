//! The `pabbly-spec` binary as a shell uses it.

use std::io::Read as _;
use std::process::{Command, Stdio};

/// `pabbly-spec import … | head` closes the pipe early: the program stops quietly.
#[test]
fn import_into_a_closed_pipe_does_not_panic() {
    let page = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docs/subscriptions__get-single-subscription.md"
    );
    // Far more output than a pipe buffers, so the program is still writing when it closes.
    let mut child = Command::new(env!("CARGO_BIN_EXE_pabbly-spec"))
        .arg("import")
        .args(std::iter::repeat_n(page, 100))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 10];
    stdout.read_exact(&mut first).expect("some output");
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("stderr");
    let status = child.wait().expect("the binary ends");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("imported 100 of 100 page(s)"), "{stderr}");
}
