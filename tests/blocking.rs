//! The blocking client (`pabbly`'s `blocking` feature) used as a script or batch job uses it:
//! plain `#[test]` functions, no async runtime in sight, against a mock on a thread of its own.
//! A call of each kind, an error from Pabbly, retries (a safe call repeated, an unsafe one not),
//! timeouts, several threads sharing one client, and the refusal inside an async runtime.

use std::time::Duration;

use pabbly::models::PaymentMode;
use pabbly::subscriptions::ChangePlanRequest;
use pabbly::{ErrorKind, Outcome, RequestOptions};
use pabbly_mock::{BackgroundMockServer, Fault, Options, Stub};
use serde_json::json;

const CUSTOMER: &str = "5e5f50647c5aeb3675f416aa";
const SUBSCRIPTION: &str = "6188d46e3a5dad46546547fa";
const PLAN: &str = "61811ba89764a44a4cae8986";

fn mock(options: Options) -> BackgroundMockServer {
    BackgroundMockServer::start_with(options).expect("the mock starts")
}

fn client(server: &BackgroundMockServer) -> pabbly::blocking::Client {
    pabbly::blocking::Client::builder("test-key", "test-secret")
        .base_url(server.base_url())
        // Retries without noticeable sleeps.
        .request_options(
            RequestOptions::new()
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(10)),
        )
        .build()
        .expect("a valid configuration")
}

#[test]
fn a_customer_is_read_by_id() -> Result<(), pabbly::Error> {
    let customer = json!({"id": CUSTOMER, "email_id": "ada@example.com"});
    let server = mock(Options::default().stub("customers.get", Stub::data(&customer)));
    let client = client(&server);
    let response = client.customers().get(CUSTOMER)?;
    // Pabbly's reference does not document this answer: untyped JSON, kept whole.
    assert_eq!(response.data, customer);
    assert_eq!(response.attempts(), 1);
    let sent = server.requests("customers.get");
    assert_eq!(sent.len(), 1);
    assert!(
        sent[0].path.ends_with(&format!("/customer/{CUSTOMER}")),
        "{}",
        sent[0].path
    );
    Ok(())
}

#[test]
fn a_portal_session_is_created_with_a_body() -> Result<(), pabbly::Error> {
    let server = mock(Options::default());
    let client = client(&server);
    let request = pabbly::portal_sessions::CreateRequest::new(CUSTOMER)
        .redirect_url("https://billing.example.com/done");
    let session = client.portal_sessions().create(&request)?;
    assert!(session.data.access_url.starts_with("https://"));
    let sent = server.requests("portal_sessions.create");
    assert_eq!(
        sent[0].json(),
        Some(json!({"customer_id": CUSTOMER, "redirect_url": "https://billing.example.com/done"}))
    );
    Ok(())
}

#[test]
fn optional_query_parameters_are_sent_when_set() -> Result<(), pabbly::Error> {
    let server = mock(Options::default());
    let client = client(&server);
    let request = pabbly::subscriptions::ListRequest::new().page(3).limit(25);
    client.subscriptions().list(&request)?;
    client
        .subscriptions()
        .list(&pabbly::subscriptions::ListRequest::new())?;
    let sent = server.requests("subscriptions.list");
    assert_eq!(
        (sent[0].query("page"), sent[0].query("limit")),
        (Some("3"), Some("25"))
    );
    assert_eq!(
        (sent[1].query("page"), sent[1].query("limit")),
        (None, None)
    );
    Ok(())
}

#[test]
fn every_page_is_walked_by_the_iterator() -> Result<(), pabbly::Error> {
    let server = mock(
        Options::default()
            .stub(
                "customers.list",
                Stub::data(&json!([{"id": "cus_1"}, {"id": "cus_2"}])).times(1),
            )
            .stub(
                "customers.list",
                Stub::data(&json!([{"id": "cus_3"}])).times(1),
            ),
    );
    let client = client(&server);
    let request = pabbly::customers::ListRequest::new().limit(2);
    let mut ids = Vec::new();
    for customer in client.customers().list_all(&request) {
        ids.push(customer?["id"].clone());
    }
    assert_eq!(ids, [json!("cus_1"), json!("cus_2"), json!("cus_3")]);
    let pages: Vec<_> = server
        .requests("customers.list")
        .iter()
        .map(|sent| sent.query("page").map(str::to_owned))
        .collect();
    assert_eq!(
        pages,
        [Some("1".to_owned()), Some("2".to_owned())],
        "ends after a short page"
    );
    Ok(())
}

#[test]
fn pabblys_error_answer_is_an_error() {
    let server = mock(Options::default().fault(
        "customers.get",
        Fault::status(200).body(r#"{"status":"error","message":"Customer not found"}"#),
    ));
    let client = client(&server);
    let error = client
        .customers()
        .get("cus_gone")
        .expect_err("an error answer");
    assert_eq!(error.kind(), ErrorKind::NotFound);
    assert_eq!(error.api_message(), Some("Customer not found"));
    assert_eq!(error.outcome(), Outcome::Answered);
    assert_eq!(error.operation(), Some("customers.get"));
}

#[test]
fn a_safe_call_is_retried() -> Result<(), pabbly::Error> {
    let server = mock(Options::default().fault("customers.get", Fault::status(503).times(1)));
    let client = client(&server);
    let response = client.customers().get(CUSTOMER)?;
    assert_eq!(response.attempts(), 2);
    assert_eq!(server.hits("customers.get"), 2);
    Ok(())
}

#[test]
fn an_unsafe_call_is_not_repeated_silently() -> Result<(), pabbly::Error> {
    let server = mock(Options::default().fault(
        "subscriptions.change_plan",
        Fault::drop_connection().times(1),
    ));
    let client = client(&server);
    let request = ChangePlanRequest::new(PLAN, PaymentMode::CreditCard);
    let lost = client
        .subscriptions()
        .change_plan(SUBSCRIPTION, &request)
        .expect_err("the connection dropped");
    assert_eq!(lost.kind(), ErrorKind::Transport);
    assert_eq!(lost.outcome(), Outcome::AnswerLost);
    assert_eq!(
        server.hits("subscriptions.change_plan"),
        1,
        "it may have charged the card"
    );

    // Opting in, knowingly, for one call.
    server
        .fault(
            "subscriptions.change_plan",
            Fault::drop_connection().times(1),
        )
        .expect("a known route");
    let careful = client.with_options(RequestOptions::new().retry_unsafe(true));
    careful
        .subscriptions()
        .change_plan(SUBSCRIPTION, &request)?;
    assert_eq!(server.hits("subscriptions.change_plan"), 3);
    Ok(())
}

#[test]
fn a_slow_answer_times_out() {
    let server =
        mock(Options::default().fault("customers.get", Fault::delay(Duration::from_secs(5))));
    let client =
        client(&server).with_options(RequestOptions::new().timeout(Duration::from_millis(200)));
    let error = client.customers().get(CUSTOMER).expect_err("too slow");
    assert_eq!(error.kind(), ErrorKind::Timeout);
    assert_eq!(error.outcome(), Outcome::AnswerLost);
}

#[test]
fn one_client_serves_several_threads() {
    let server = mock(Options::default());
    let client = client(&server);
    std::thread::scope(|scope| {
        let calls: Vec<_> = (0..4)
            .map(|_| {
                let client = client.clone();
                scope.spawn(move || client.customers().get(CUSTOMER).map(|r| r.attempts()))
            })
            .collect();
        for call in calls {
            assert_eq!(call.join().expect("no panic").ok(), Some(1));
        }
    });
    assert_eq!(server.hits("customers.get"), 4);
}

#[test]
fn a_call_inside_an_async_runtime_is_refused_unsent() -> Result<(), pabbly::Error> {
    let server = mock(Options::default());
    let client = client(&server);
    // The driver is started: the client is dropped inside the runtime below after real use.
    client.customers().get(CUSTOMER)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let (refused, walk) = runtime.block_on(async {
        let refused = client.customers().get(CUSTOMER).expect_err("refused");
        let request = pabbly::customers::ListRequest::new();
        let walk: Vec<_> = client.customers().list_all(&request).collect();
        // Dropping the last clone here shuts the driver down without blocking or panicking.
        drop(client);
        (refused, walk)
    });
    assert_eq!(refused.kind(), ErrorKind::InsideAsyncRuntime);
    assert_eq!(refused.outcome(), Outcome::NotSent);
    assert_eq!(refused.attempts(), 0);
    assert!(refused.to_string().contains("async runtime"), "{refused}");
    assert_eq!(walk.len(), 1, "the walk ends with the refusal");
    assert_eq!(
        walk.into_iter()
            .next()
            .and_then(Result::err)
            .map(|e| e.kind()),
        Some(ErrorKind::InsideAsyncRuntime)
    );
    assert_eq!(
        server.hits("customers.get"),
        1,
        "only the call made outside"
    );
    assert_eq!(server.hits("customers.list"), 0);
    Ok(())
}
