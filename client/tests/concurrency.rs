//! Many calls at once through one client: all succeed, over a bounded number of reused
//! connections.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use futures_util::future::join_all;
use pabbly::__private::Payload;
use serde::Deserialize;
use support::{GET, TestClient, base_url, get_path, read_request};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

const CALLS: usize = 1000;
const MAX_IN_FLIGHT: usize = 8;

#[derive(Debug, Deserialize)]
struct Customer {
    id: String,
}

#[derive(Default)]
struct Counters {
    accepted: AtomicUsize,
    open: AtomicUsize,
    peak_open: AtomicUsize,
    requests: AtomicUsize,
}

/// An HTTP/1.1 keep-alive server that answers every request on a connection until the client
/// closes it, echoing the requested id after a short pause (so that calls overlap).
async fn keep_alive_server() -> (String, Arc<Counters>) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    let counters = Arc::new(Counters::default());
    let shared = Arc::clone(&counters);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let counters = Arc::clone(&shared);
            counters.accepted.fetch_add(1, Ordering::SeqCst);
            let open = counters.open.fetch_add(1, Ordering::SeqCst) + 1;
            counters.peak_open.fetch_max(open, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                while let Some(request) = read_request(&mut stream, &mut buffer).await {
                    counters.requests.fetch_add(1, Ordering::SeqCst);
                    let id = request
                        .request_line
                        .split(' ')
                        .nth(1)
                        .and_then(|path| path.rsplit('/').next())
                        .unwrap_or_default()
                        .to_owned();
                    tokio::time::sleep(Duration::from_millis(1)).await;
                    let body =
                        format!(r#"{{"status":"success","message":"ok","data":{{"id":"{id}"}}}}"#);
                    let reply = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if stream.write_all(reply.as_bytes()).await.is_err() {
                        break;
                    }
                }
                counters.open.fetch_sub(1, Ordering::SeqCst);
            });
        }
    });
    (base_url(addr), counters)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_share_a_bounded_pool() {
    let (base, counters) = keep_alive_server().await;
    let TestClient(runtime) = support::builder(&base)
        .max_concurrent_requests(MAX_IN_FLIGHT)
        .build()
        .expect("client builds");

    let ids: Vec<String> = (0..CALLS).map(|n| format!("cus_{n}")).collect();
    let calls = ids.iter().map(|id| {
        let runtime = runtime.clone();
        async move {
            runtime
                .execute::<Customer, _>(&GET, &get_path(id.as_str()), Payload::none())
                .await
        }
    });
    let results = tokio::time::timeout(Duration::from_secs(60), join_all(calls))
        .await
        .expect("all calls finish");

    for (id, result) in ids.iter().zip(&results) {
        let customer = result.as_ref().expect("every call succeeds");
        assert_eq!(&customer.data.id, id);
    }
    assert_eq!(counters.requests.load(Ordering::SeqCst), CALLS);
    let accepted = counters.accepted.load(Ordering::SeqCst);
    let peak = counters.peak_open.load(Ordering::SeqCst);
    println!("{CALLS} calls: {accepted} connections accepted, at most {peak} open at once");
    // At most MAX_IN_FLIGHT requests are in flight; a finished one hands its connection back to
    // the pool a moment after its slot is free, so the next request may race ahead and connect
    // anew, and the pool keeps at most MAX_IN_FLIGHT idle ones. Hence the slack of 2x.
    assert!(peak <= 2 * MAX_IN_FLIGHT, "{peak} connections open at once");
    assert!(
        accepted <= 4 * MAX_IN_FLIGHT,
        "{accepted} connections for {CALLS} calls"
    );
}
