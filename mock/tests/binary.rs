//! The `pabbly-mock` binary: help, argument errors, serving on a free port with strict
//! credentials and a fault from the command line, logging without credentials, stopping on a
//! signal.

use std::io::{BufRead as _, BufReader, Read as _};
use std::process::{Child, Command, Stdio};

mod support;

const BIN: &str = env!("CARGO_BIN_EXE_pabbly-mock");

/// Kills the child if a test fails before stopping it, so no server outlives the test.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn help_documents_every_option_and_the_fault_grammar() {
    let output = Command::new(BIN).arg("--help").output().expect("runs");
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).expect("UTF-8");
    for needle in [
        "--port",
        "--api-key",
        "--secret-key",
        "PABBLY_MOCK_API_KEY",
        "PABBLY_MOCK_SECRET_KEY",
        "--fault ROUTE=FAULT",
        "--quiet",
        "--routes",
        "--help",
        "--version",
        "status:CODE",
        "delay:DURATION",
        "malformed",
        "truncated",
        "drop",
        "retry-after:SECONDS",
        "times:N",
        "body:TEXT",
        "--stub ROUTE=STUB",
        "data:JSON",
        "body:JSON",
    ] {
        assert!(help.contains(needle), "--help lacks {needle}:\n{help}");
    }
}

#[test]
fn routes_lists_every_operation_with_its_method_and_path() {
    let output = Command::new(BIN).arg("--routes").output().expect("runs");
    assert!(output.status.success());
    let listing = String::from_utf8(output.stdout).expect("UTF-8");
    let routes = pabbly_mock::routes().expect("the spec loads");
    assert_eq!(listing.lines().count(), routes.len());
    assert!(
        listing.lines().any(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            words == ["POST", "/api/v1/portal_sessions/", "portal_sessions.create"]
        }),
        "{listing}"
    );
}

#[test]
fn bad_arguments_exit_2_with_the_reason() {
    for (args, reason) in [
        (&["--port", "high"][..], "not a port number"),
        (
            &["--fault", "portal_sessions.create=explode"][..],
            "unknown item",
        ),
        (&["--api-key", "k"][..], "go together"),
    ] {
        let output = Command::new(BIN).args(args).output().expect("runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(reason), "{args:?}: {stderr}");
    }
    let output = Command::new(BIN)
        .args(["--port", "0", "--fault", "nope.create=drop"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown route `nope.create`"));
    let output = Command::new(BIN)
        .args([
            "--port",
            "0",
            "--stub",
            r#"subscriptions.list=data:[{"setup_fee":"forty-nine"}]"#,
        ])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("the stub for subscriptions.list does not match its response type: $.data[0].setup_fee: expected an amount (a number or its decimal text), found string"),
        "{stderr}"
    );
}

#[tokio::test]
#[cfg_attr(not(unix), ignore = "stops the server with SIGTERM")]
async fn serves_stubs_from_the_command_line() {
    let file = std::env::temp_dir().join(format!("pabbly-mock-stub-{}.json", std::process::id()));
    std::fs::write(&file, r#"[{"setup_fee": 12.5}]"#).expect("a scratch file");
    let child = Command::new(BIN)
        .args(["--port", "0", "--quiet", "--stub"])
        .arg(r#"subscriptions.list=times:1,data:[{"setup_fee":49}]"#)
        .arg("--stub")
        .arg(format!("subscriptions.list=data:@{}", file.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let mut child = Running(child);
    let base_url = base_url(&mut child);
    let _ = std::fs::remove_file(&file);
    let client = support::http();
    let mut fees = Vec::new();
    for _ in 0..3 {
        let answer = client
            .get(format!("{base_url}/subscriptions"))
            .basic_auth("key", Some("secret"))
            .send()
            .await
            .expect("answered");
        let body: serde_json::Value =
            serde_json::from_str(&answer.text().await.expect("a body")).expect("JSON");
        assert_eq!(body["status"], "success");
        fees.push(body["data"][0]["setup_fee"].clone());
    }
    assert_eq!(
        fees,
        [
            serde_json::json!(49),
            serde_json::json!(12.5),
            serde_json::json!(12.5)
        ]
    );
    stop(&child.0);
    assert!(child.0.wait().expect("exits").success());
}

#[tokio::test]
#[cfg_attr(not(unix), ignore = "stops the server with SIGTERM")]
async fn serves_logs_and_stops_on_a_signal() {
    // The secret comes from the environment, as `--help` recommends: it stays out of `ps`.
    let child = Command::new(BIN)
        .args([
            "--port",
            "0",
            "--api-key",
            "key-c0ffee",
            "--fault",
            "portal_sessions.create=status:503,retry-after:2,times:1",
        ])
        .env("PABBLY_MOCK_SECRET_KEY", "secret-7ea")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    let mut child = Running(child);
    let base_url = base_url(&mut child);
    assert!(base_url.ends_with("/api/v1"), "{base_url}");

    let client = support::http();
    let send = |key: &'static str, secret: &'static str| {
        client
            .post(format!("{base_url}/portal_sessions/"))
            .basic_auth(key, Some(secret))
            .header("content-type", "application/json")
            .body(r#"{"customer_id":"cus_cli"}"#)
            .send()
    };
    let first = send("key-c0ffee", "secret-7ea").await.expect("answered");
    assert_eq!(first.status().as_u16(), 503);
    assert_eq!(
        first.headers().get("retry-after").map(|v| v.as_bytes()),
        Some(&b"2"[..])
    );
    let second = send("key-c0ffee", "secret-7ea").await.expect("answered");
    assert_eq!(second.status().as_u16(), 200);
    let body: serde_json::Value =
        serde_json::from_str(&second.text().await.expect("a body")).expect("JSON");
    assert_eq!(body["data"]["customer_id"], "cus_cli");
    let wrong = send("key-c0ffee", "not-the-secret")
        .await
        .expect("answered");
    assert_eq!(wrong.status().as_u16(), 403);

    stop(&child.0);
    let status = child.0.wait().expect("exits");
    assert!(status.success(), "{status}");
    let mut stderr = String::new();
    child
        .0
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut stderr)
        .expect("stderr");
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with("POST ")).collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert!(
        lines[0].starts_with("POST /api/v1/portal_sessions/ 503 ") && lines[0].contains("ms"),
        "{stderr}"
    );
    assert!(
        lines[0].contains("(fault: status 503, retry-after 2)"),
        "{stderr}"
    );
    assert!(
        lines[1].starts_with("POST /api/v1/portal_sessions/ 200 "),
        "{stderr}"
    );
    assert!(
        lines[2].starts_with("POST /api/v1/portal_sessions/ 403 "),
        "{stderr}"
    );
    for secret in ["key-c0ffee", "secret-7ea", "not-the-secret", "a2V5"] {
        assert!(!stderr.contains(secret), "the log shows {secret}: {stderr}");
    }
    assert!(stderr.contains("pabbly-mock stopped"), "{stderr}");
}

/// The base URL from the banner the server prints first.
fn base_url(child: &mut Running) -> String {
    let mut stdout = BufReader::new(child.0.stdout.take().expect("piped"));
    let mut banner = String::new();
    stdout.read_line(&mut banner).expect("a banner line");
    banner
        .split_whitespace()
        .find(|word| word.starts_with("http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("no URL in {banner:?}"))
        .to_owned()
}

/// Asks the server to stop as a process manager would (Ctrl-C takes the same path).
fn stop(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}
