//! What one hostile answer can make the client hold: bodies just under the default 16 MiB cap
//! that decode into far more than their size (empty objects as 776-byte structs, `0` as a
//! 72-byte `Value`) are refused while decoding, and the process's heap never grows past the
//! documented bound while reading and decoding one of them. Each case runs alone, under a
//! global allocator that fails any allocation past the bound (aborting the test binary).

use std::sync::Arc;

use cap::Cap;
use pabbly::ErrorKind;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

mod support;

#[global_allocator]
static ALLOCATOR: Cap<std::alloc::System> = Cap::new(std::alloc::System, usize::MAX);

/// The README's bound on the heap one call takes while reading and decoding an answer under
/// the default 16 MiB cap: the body buffer (16 MiB), the decode budget (4 × 16 MiB) and the
/// HTTP stack's own buffers.
const BOUND: usize = 96 * 1024 * 1024;

/// The default `max_response_bytes`.
const CAP: usize = 16 * 1024 * 1024;

/// One case at a time: the allocator's count is for the whole process.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// `head` + `item` repeated (comma-separated) + `tail`, as close to the cap as it gets.
fn body(head: &str, item: &str, tail: &str) -> String {
    let room = CAP - head.len() - tail.len() - 1024;
    let count = room / (item.len() + 1);
    let mut body = String::with_capacity(CAP);
    body.push_str(head);
    for index in 0..count {
        if index > 0 {
            body.push(',');
        }
        body.push_str(item);
    }
    body.push_str(tail);
    body
}

/// A server answering every connection with `status_line` and `body`, sent from one shared
/// buffer so that it adds nothing per request.
async fn serve(status_line: &str, body: String) -> String {
    let mut response = format!(
        "HTTP/1.1 {status_line}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    response.extend_from_slice(body.as_bytes());
    drop(body);
    let response: Arc<[u8]> = response.into();
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let base_url = support::base_url(listener.local_addr().expect("local addr"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let response = Arc::clone(&response);
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                if support::read_request(&mut stream, &mut buffer)
                    .await
                    .is_some()
                {
                    let _ = stream.write_all(&response).await;
                    let _ = stream.shutdown().await;
                }
            });
        }
    });
    base_url
}

/// Runs `call` against a server sending what `body` makes, with the heap capped at what it holds now plus
/// [`BOUND`]; returns the call's error.
async fn within_bound<F, Fut, T>(
    status_line: &str,
    body: impl FnOnce() -> String,
    call: F,
) -> pabbly::Error
where
    F: FnOnce(pabbly::Client) -> Fut,
    Fut: std::future::Future<Output = Result<T, pabbly::Error>>,
    T: std::fmt::Debug,
{
    // The body is made only once the other cases are done: it is 16 MiB too.
    let _alone = ONE_AT_A_TIME.lock().await;
    let base_url = serve(status_line, body()).await;
    let client = pabbly::Client::builder("test-key", "test-secret")
        .base_url(&base_url)
        .build()
        .expect("client builds");
    let before = ALLOCATOR.allocated();
    ALLOCATOR
        .set_limit(before + BOUND)
        .expect("limit above use");
    let result = call(client).await;
    ALLOCATOR.set_limit(usize::MAX).expect("limit lifted");
    // Exact when the case runs alone (`cargo test --test memory NAME`): the peak is per process.
    eprintln!(
        "peak over the baseline: {:.1} MiB",
        (ALLOCATOR.max_allocated() - before) as f64 / (1024.0 * 1024.0)
    );
    result.expect_err("the answer is refused")
}

fn assert_refused(err: &pabbly::Error) {
    assert_eq!(err.kind(), ErrorKind::TooLarge, "{err}");
    let shown = err.to_string();
    assert!(
        shown.contains("would take more than 67108864 bytes once decoded"),
        "{shown}"
    );
    assert_eq!(err.attempts(), 1, "a refused answer is not fetched again");
}

/// A success envelope whose data is a list of `item`.
fn list_of(item: &'static str) -> impl FnOnce() -> String {
    move || body(r#"{"status":"success","data":["#, item, "]}")
}

/// `subscriptions().list`, whose items are typed, answered with a list of `item`: refused.
async fn typed_list_of(item: &'static str) {
    let err = within_bound("200 OK", list_of(item), |client| async move {
        let request = pabbly::subscriptions::ListRequest::new();
        client.subscriptions().list(&request).await
    })
    .await;
    assert_refused(&err);
}

/// `customers().list`, whose data is untyped JSON, answered with a list of `item`: refused.
async fn untyped_list_of(item: &'static str) {
    let err = within_bound("200 OK", list_of(item), |client| async move {
        let request = pabbly::customers::ListRequest::new();
        client.customers().list(&request).await
    })
    .await;
    assert_refused(&err);
}

#[tokio::test]
async fn empty_objects_as_a_typed_list() {
    typed_list_of("{}").await;
}

#[tokio::test]
async fn one_element_lists_inside_a_typed_list() {
    typed_list_of(r#"{"addons":[{"id":""}]}"#).await;
}

#[tokio::test]
async fn zeros_as_untyped_data() {
    untyped_list_of("0").await;
}

#[tokio::test]
async fn one_entry_objects_as_untyped_data() {
    untyped_list_of(r#"{"a":0}"#).await;
}

/// An error answer is read for Pabbly's message within the same budget. The
/// status still classifies it, and the body is kept.
#[tokio::test]
async fn zeros_in_a_server_error() {
    let err = within_bound(
        "500 Internal Server Error",
        || body("[", "0", "]"),
        |client| async move {
            let request = pabbly::customers::ListRequest::new();
            client.customers().list(&request).await
        },
    )
    .await;
    assert_eq!(err.kind(), ErrorKind::Server, "{err}");
    assert_eq!(err.api_message(), None);
    let kept = err.body().unwrap_or_default();
    assert!(kept.len() > CAP - 2048 && kept.starts_with("[0,0,") && kept.ends_with(",0]"));
}
