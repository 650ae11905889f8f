//! Canned answers per route and the request journal, used as a service's tests use them: through
//! the `pabbly` client.

use pabbly::models::SubscriptionStatus;
use pabbly::subscriptions::{CancelRequest, ListRequest};
use pabbly_mock::{Fault, MockError, MockServer, Options, Stub};
use serde_json::json;

fn client(server: &MockServer) -> pabbly::Client {
    pabbly::Client::builder("test-key", "test-secret")
        .base_url(server.base_url())
        .build()
        .expect("a valid configuration")
}

#[tokio::test]
async fn stubs_answer_in_order_then_the_example_returns() {
    let server = MockServer::start().await.expect("mock starts");
    let client = client(&server);
    let request = ListRequest::new();
    let example = client
        .subscriptions()
        .list(&request)
        .await
        .expect("example");

    server
        .stub(
            "subscriptions.list",
            Stub::data(&json!([{"setup_fee": 49.5, "currency_symbol": "$"}])).times(1),
        )
        .expect("a valid stub");
    server
        .stub("GET /subscriptions", Stub::data(&json!([{}, {}])).times(1))
        .expect("a valid stub");
    let first = client
        .subscriptions()
        .list(&request)
        .await
        .expect("stubbed");
    assert_eq!(first.data.len(), 1);
    assert_eq!(first.data[0].setup_fee, Some(pabbly::Decimal::new(495, 1)));
    assert_eq!(first.data[0].currency_symbol.as_deref(), Some("$"));
    let second = client
        .subscriptions()
        .list(&request)
        .await
        .expect("stubbed");
    assert_eq!(second.data.len(), 2);
    let third = client
        .subscriptions()
        .list(&request)
        .await
        .expect("example");
    assert_eq!(third.data, example.data, "the documented example again");
    server.stop().await;
}

#[tokio::test]
async fn a_typed_model_or_a_whole_body_can_be_stubbed_for_every_request() {
    // A model value of the client crate, as the service's fixtures build it.
    let subscriptions = vec![
        pabbly::models::Subscription::new().setup_fee(10),
        pabbly::models::Subscription::new().currency_symbol("€"),
    ];
    let options = Options::default().stub("subscriptions.list", Stub::data(&subscriptions));
    let server = MockServer::start_with(options).await.expect("mock starts");
    let client = client(&server);
    for _ in 0..2 {
        let page = client
            .subscriptions()
            .list(&ListRequest::new())
            .await
            .expect("stubbed");
        assert_eq!(page.data, subscriptions);
    }
    server.clear_stubs();
    server
        .stub(
            "customers.get",
            Stub::body(&json!({"status": "success", "message": "Found", "data": {"id": "cus_7"}})),
        )
        .expect("any data fits an untyped operation");
    let customer = client.customers().get("cus_7").await.expect("stubbed");
    assert_eq!(customer.message.as_deref(), Some("Found"));
    assert_eq!(customer.data, json!({"id": "cus_7"}));
    server.stop().await;
}

#[tokio::test]
async fn a_stub_the_client_could_not_decode_is_refused_with_the_field() {
    let server = MockServer::start().await.expect("mock starts");
    let cases = [
        (
            Stub::data(&json!([{"setup_fee": "forty-nine"}])),
            "$.data[0].setup_fee: expected an amount (a number or its decimal text), found string",
        ),
        (
            Stub::data(&json!([{"setup_fees": 1}])),
            "$.data[0].setup_fees: field `setup_fees` is not declared",
        ),
        (
            Stub::body(&json!({"data": []})),
            "$: the envelope has no `status`",
        ),
    ];
    for (stub, problem) in cases {
        match server.stub("subscriptions.list", stub) {
            Err(MockError::Stub(message)) => assert!(message.contains(problem), "{message}"),
            other => panic!("expected a refused stub, got {other:?}"),
        }
    }
    assert!(matches!(
        server.stub("subscriptions.frobnicate", Stub::data(&json!([]))),
        Err(MockError::UnknownRoute(_))
    ));
    let refused = MockServer::start_with(
        Options::default().stub("subscriptions.list", Stub::data(&json!({"not": "a list"}))),
    )
    .await;
    assert!(matches!(refused, Err(MockError::Stub(_))));
    server.stop().await;
}

#[tokio::test]
async fn a_fault_applies_before_a_stub() {
    let options = Options::default()
        .fault("subscriptions.list", Fault::status(503).times(1))
        .stub("subscriptions.list", Stub::data(&json!([])));
    let server = MockServer::start_with(options).await.expect("mock starts");
    let client = client(&server);
    let page = client
        .subscriptions()
        .list(&ListRequest::new())
        .await
        .expect("retried");
    assert!(page.data.is_empty());
    assert_eq!(page.attempts(), 2);
    server.stop().await;
}

#[tokio::test]
async fn the_journal_shows_what_was_sent_without_credentials() {
    let server = MockServer::start().await.expect("mock starts");
    let client = client(&server);
    let request = ListRequest::new().status(SubscriptionStatus::Live).limit(2);
    client
        .subscriptions()
        .list(&request)
        .await
        .expect("answered");
    client
        .subscriptions()
        .cancel("sub_1", &CancelRequest::new(true))
        .await
        .expect("answered");

    let lists = server.requests("subscriptions.list");
    assert_eq!(lists.len(), 1);
    assert_eq!(lists[0].method, "GET");
    assert_eq!(lists[0].path, "/api/v1/subscriptions");
    assert_eq!(lists[0].query("status"), Some("live"));
    assert_eq!(lists[0].query("limit"), Some("2"));
    assert_eq!(lists[0].body, "");

    let cancels = server.requests("POST /subscription/{subscription_id}/cancel");
    assert_eq!(cancels.len(), 1);
    assert_eq!(cancels[0].path, "/api/v1/subscription/sub_1/cancel");
    assert_eq!(cancels[0].json(), Some(json!({"cancel_at_end": "true"})));
    assert_eq!(cancels[0].header("content-type"), Some("application/json"));
    for received in lists.iter().chain(&cancels) {
        assert_eq!(received.header("authorization"), None);
        let shown = format!("{received:?}");
        assert!(!shown.contains("dGVzdC1rZXk6"), "{shown}");
        assert!(!shown.contains("test-secret"), "{shown}");
    }
    assert!(server.requests("customers.get").is_empty());
    assert!(server.requests("no.such_route").is_empty());
    server.stop().await;
}
