//! 1,000 concurrent calls through one generated `Client` against the mock all succeed. The
//! client caps requests in flight (and so connections); `client/tests/concurrency.rs` measures
//! the connections on a counting server, this test runs the same load through the real stack.

use futures_util::future::join_all;
use pabbly::portal_sessions::CreateRequest;

const CALLS: usize = 1000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_calls_through_one_client_succeed() {
    let server = pabbly_mock::MockServer::start()
        .await
        .expect("the mock starts");
    let client = pabbly::Client::builder("test-key", "test-secret")
        .base_url(server.base_url())
        .max_concurrent_requests(8)
        .build()
        .expect("a valid configuration");
    let calls = (0..CALLS).map(|i| {
        let client = client.clone();
        async move {
            let request = CreateRequest::new(format!("customer-{i}"));
            let session = client.portal_sessions().create(&request).await?;
            // The mock echoes the customer: every answer belongs to its own request.
            assert_eq!(session.data.customer_id, format!("customer-{i}"));
            Ok::<_, pabbly::Error>(())
        }
    });
    let outcomes = join_all(calls).await;
    let failures: Vec<String> = outcomes
        .iter()
        .filter_map(|o| o.as_ref().err().map(ToString::to_string))
        .collect();
    assert_eq!(server.hits("portal_sessions.create"), CALLS);
    server.stop().await;
    assert!(
        failures.is_empty(),
        "{} calls failed, first: {:?}",
        failures.len(),
        failures.first()
    );
}
