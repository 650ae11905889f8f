//! Webhooks end to end, through the public API of `pabbly` and `pabbly-mock` only: every event
//! type of the spec decodes from its sample, the axum receiver refuses hostile bodies with 400
//! and a reason, `confirm` reads the event's object back from the mock (and refuses events the
//! mock does not bear out), and a billing service's handler is tested with the mock's sender.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Extension, Router};
use pabbly::ErrorKind;
use pabbly::models::SubscriptionStatus;
use pabbly::webhooks::{
    Confirmed, Event, EventData, EventType, Limits, Rejection, RejectionKind, Webhook,
};
use pabbly_mock::{Fault, MockServer, Options, Stub};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

type TestResult = Result<(), Box<dyn std::error::Error>>;

/// An axum app served on a free loopback port until the returned sender fires.
struct Served {
    url: String,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl Served {
    async fn start(app: Router) -> Result<Self, Box<dyn std::error::Error>> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await;
        });
        Ok(Self {
            url,
            stop: Some(stop),
            task,
        })
    }

    async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

/// A receiver that answers 200 with the event's type and its data, re-serialized.
async fn echo(Webhook(event): Webhook<Event>) -> String {
    json!({"event_type": event.event_type.as_str(), "data": event.raw_data()}).to_string()
}

#[test]
fn every_event_type_in_the_spec_decodes_from_its_sample_and_keeps_everything() -> TestResult {
    let types = pabbly_mock::event_types()?;
    assert_eq!(types.len(), 28, "the spec lists the events of NOTES §15");
    let mut seen = HashSet::new();
    for wire in types {
        let sample = pabbly_mock::sample_event(wire)?;
        let event = Event::from_slice(sample.to_string().as_bytes())?;
        assert!(
            !matches!(event.event_type, EventType::Unknown(_)),
            "{wire} is a listed type"
        );
        assert_eq!(event.event_type.as_str(), wire);
        assert!(
            seen.insert(event.event_type.clone()),
            "{wire} has its own variant"
        );
        let data = event.data().map_err(|e| format!("{wire}: {e}"))?;
        let typed = !matches!(data, EventData::Untyped(_));
        let expected_typed = wire.starts_with("customer_")
            || wire.starts_with("subscription_")
            || wire.starts_with("invoice_");
        assert_eq!(typed, expected_typed, "{wire}: {data:?}");
        // Nothing is dropped: the event serializes back to the body it came from.
        assert_eq!(serde_json::to_value(&event)?, sample, "{wire}");
    }
    Ok(())
}

#[test]
fn an_unknown_event_type_still_decodes_with_its_data_and_extra_keys() -> TestResult {
    let body = br#"{"event_type": "license_expire", "event_source": "cron", "data": {"code": "A1", "amount": 12.345678901234567890}, "attempt": 2}"#;
    let event = Event::from_slice(body)?;
    match &event.event_type {
        EventType::Unknown(value) => assert_eq!(value.as_str(), "license_expire"),
        other => panic!("expected Unknown, got {other:?}"),
    }
    assert_eq!(event.event_source.as_deref(), Some("cron"));
    assert_eq!(event.extra.get("attempt"), Some(&json!(2)));
    // The amount's digits survive in the raw data, beyond what an f64 holds.
    assert_eq!(
        event.raw_data(),
        r#"{"code": "A1", "amount": 12.345678901234567890}"#
    );
    assert!(matches!(event.data()?, EventData::Untyped(v) if v["code"] == "A1"));
    assert_eq!(event.object_id(), None);
    Ok(())
}

#[test]
fn typed_data_keeps_what_the_model_does_not_list_and_amounts_exactly() -> TestResult {
    let body = br#"{"event_type": "subscription_activate", "event_source": "checkout",
        "data": {"id": "sub_1", "status": "live", "setup_fee": 10.10, "plan": {"id": "plan_1", "price": "49.99", "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"},
                 "customer_id": "cus_1", "email_id": "ada@example.com"}}"#;
    let event = Event::from_slice(body)?;
    let EventData::Subscription(subscription) = event.data()? else {
        panic!("a subscription event's data is a Subscription");
    };
    assert_eq!(subscription.id.as_deref(), Some("sub_1"));
    assert_eq!(subscription.setup_fee, Some("10.10".parse()?));
    let price = subscription.plan.as_ref().and_then(|p| p.price);
    assert_eq!(price, Some("49.99".parse()?));
    assert_eq!(subscription.extra.get("customer_id"), Some(&json!("cus_1")));
    assert_eq!(
        subscription.extra.get("email_id"),
        Some(&json!("ada@example.com"))
    );
    Ok(())
}

#[test]
fn data_that_contradicts_its_model_is_an_error_and_still_readable_raw() -> TestResult {
    let body = br#"{"event_type": "invoice_create", "data": {"id": 42}}"#;
    let event = Event::from_slice(body)?;
    let error = event.data().expect_err("an invoice id is a string");
    assert!(error.to_string().contains("expected a string"), "{error}");
    assert_eq!(event.raw_data(), r#"{"id": 42}"#);
    Ok(())
}

#[test]
fn bodies_that_are_not_events_are_refused_with_the_reason() {
    let cases: &[(&[u8], RejectionKind, &str)] = &[
        (
            b"event_type=subscription_activate",
            RejectionKind::Malformed,
            "not valid JSON",
        ),
        (
            br#"{"event_type": 7, "data": {}}"#,
            RejectionKind::Malformed,
            "event_type",
        ),
        (
            br#"{"event_type": "invoice_create"}"#,
            RejectionKind::Malformed,
            "missing field `data`",
        ),
        (
            br#"["invoice_create"]"#,
            RejectionKind::Malformed,
            "not a webhook event",
        ),
        (
            br#"{"event_type": "invoice_create", "data": [1]}"#,
            RejectionKind::Malformed,
            "`data` is not a JSON object",
        ),
        (
            br#"{"event_type": "invoice_create", "event_source": 3, "data": {}}"#,
            RejectionKind::Malformed,
            "expected `event_source` as a string",
        ),
        (
            br#"{"event_type": "invoice_create", "data": {"#,
            RejectionKind::Malformed,
            "not valid JSON",
        ),
    ];
    for (body, kind, says) in cases {
        let refused: Rejection = Event::from_slice(body).expect_err("refused");
        assert_eq!(refused.kind(), *kind, "{refused}");
        assert!(
            refused.reason().contains(says),
            "{refused} should say {says}"
        );
    }
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let refused = Event::from_slice(deep.as_bytes()).expect_err("too deep");
    assert_eq!(refused.kind(), RejectionKind::TooDeep);
    let tight = Limits::new().max_body_bytes(16);
    let refused =
        Event::from_slice_with(br#"{"event_type": "invoice_create", "data": {}}"#, &tight)
            .expect_err("too large");
    assert_eq!(refused.kind(), RejectionKind::TooLarge);
    assert!(refused.reason().contains("16 bytes"), "{refused}");
}

/// POSTs `body` with `content_type` and returns the status and the answer's text.
async fn post_raw(url: &str, content_type: Option<&str>, body: Vec<u8>) -> (u16, String) {
    let client = reqwest::Client::builder()
        .tls_backend_preconfigured(pabbly::tls_config().expect("TLS settings"))
        .build()
        .expect("a reqwest client");
    let mut request = client.post(url).body(body);
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let response = request.send().await.expect("the receiver answers");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

#[tokio::test]
async fn the_axum_receiver_refuses_hostile_bodies_with_400_and_a_reason() -> TestResult {
    let app = Router::new()
        .route("/hook", post(echo))
        .layer(Extension(Limits::new().max_body_bytes(4096)));
    let served = Served::start(app).await?;
    let url = format!("{}/hook", served.url);
    let json = Some("application/json");
    let good = br#"{"event_type": "invoice_create", "data": {"id": "inv_1"}}"#.to_vec();

    let cases: Vec<(Option<&str>, Vec<u8>, &str)> = vec![
        (None, good.clone(), "not declared as JSON"),
        (Some("text/plain"), good.clone(), "not declared as JSON"),
        (json, b"<html>hi</html>".to_vec(), "not valid JSON"),
        (
            json,
            br#"{"event_type": ["x"], "data": {}}"#.to_vec(),
            "event_type",
        ),
        (
            json,
            br#"{"event_type": "invoice_create", "data": "x"}"#.to_vec(),
            "data",
        ),
        (
            json,
            format!("{}{}", "{\"a\":".repeat(100), "}".repeat(100)).into_bytes(),
            "nests deeper",
        ),
        (json, vec![b' '; 5000], "longer than the 4096 bytes"),
    ];
    for (content_type, body, says) in cases {
        let (status, reason) = post_raw(&url, content_type, body).await;
        assert_eq!(status, 400, "{reason}");
        assert!(reason.contains(says), "`{reason}` should say {says}");
    }
    let (status, answer) = post_raw(&url, Some("application/json; charset=utf-8"), good).await;
    assert_eq!((status, answer.contains("inv_1")), (200, true), "{answer}");
    served.stop().await;
    Ok(())
}

#[tokio::test]
async fn an_endless_chunked_body_is_cut_off_at_the_cap_not_buffered() -> TestResult {
    let app = Router::new()
        .route("/hook", post(echo))
        .layer(Extension(Limits::new().max_body_bytes(1024)));
    let served = Served::start(app).await?;
    let authority = served.url.trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&authority).await?;
    let head = format!(
        "POST /hook HTTP/1.1\r\nHost: {authority}\r\nContent-Type: application/json\r\n\
         Transfer-Encoding: chunked\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).await?;
    // Up to 64 MiB of `[` in 64 KiB chunks, unless the server answers first.
    let chunk = format!("{:x}\r\n{}\r\n", 65_536, "[".repeat(65_536));
    let mut answer = Vec::new();
    for _ in 0..1024 {
        if stream.write_all(chunk.as_bytes()).await.is_err() {
            break;
        }
        let mut buffer = [0_u8; 4096];
        match tokio::time::timeout(
            std::time::Duration::from_millis(1),
            stream.read(&mut buffer),
        )
        .await
        {
            Ok(Ok(n)) if n > 0 => {
                answer.extend_from_slice(&buffer[..n]);
                break;
            }
            Ok(_) => break,
            Err(_) => {}
        }
    }
    if answer.is_empty() {
        let _ = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            stream.read_to_end(&mut answer),
        )
        .await;
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    served.stop().await;
    Ok(())
}

/// A client of the mock whose reads of the event's objects are stubbed where the mock has no
/// typed answer.
async fn mock(
    options: Options,
) -> Result<(MockServer, pabbly::Client), Box<dyn std::error::Error>> {
    let server = MockServer::start_with(options).await?;
    let client = pabbly::Client::builder("test-key", "test-secret")
        .base_url(server.base_url())
        .build()?;
    Ok((server, client))
}

fn customer() -> Value {
    json!({"id": "5e5f50647c5aeb3675f416aa", "first_name": "Ada", "email_id": "ada@example.com",
           "createdAt": "2026-01-01T00:00:00.000Z", "updatedAt": "2026-01-02T00:00:00.000Z"})
}

#[tokio::test]
async fn confirm_reads_the_object_of_every_confirmable_event_from_the_mock() -> TestResult {
    let options = Options::default().stub("customers.get", Stub::data(&customer()));
    let (server, client) = mock(options).await?;
    let mut found = 0;
    for wire in pabbly_mock::event_types()? {
        let event = Event::from_slice(pabbly_mock::sample_event(wire)?.to_string().as_bytes())?;
        let deletion = wire.ends_with("_delete");
        let untyped = matches!(event.data()?, EventData::Untyped(_));
        match client.webhooks().confirm(&event).await {
            Ok(Confirmed::Found(object)) => {
                found += 1;
                assert!(!deletion && !untyped, "{wire}");
                assert_eq!(
                    std::mem::discriminant(&object),
                    std::mem::discriminant(&event.data()?),
                    "{wire}: the object read back has the event's data type"
                );
            }
            // The mock still has the object, so a deletion is not borne out.
            Err(error) if deletion => assert_eq!(error.kind(), ErrorKind::Unconfirmed, "{error}"),
            // No operation reads payments, credits or commissions back.
            Err(error) if untyped => {
                assert_eq!(error.kind(), ErrorKind::Unconfirmed);
                assert!(
                    error.to_string().contains("no operation reads back"),
                    "{error}"
                );
            }
            other => panic!("{wire}: {other:?}"),
        }
    }
    assert_eq!(
        found,
        2 + 14 + 3,
        "customer, subscription and invoice events but deletions"
    );
    assert_eq!(server.hits("customers.get"), 3);
    assert_eq!(server.hits("subscriptions.get"), 15);
    assert_eq!(server.hits("invoices.get"), 3);
    server.stop().await;
    Ok(())
}

#[tokio::test]
async fn confirm_refuses_an_event_whose_object_does_not_exist() -> TestResult {
    let missing =
        Fault::status(404).body(r#"{"status":"error","message":"Subscription not found"}"#);
    let (server, client) = mock(Options::default().fault("subscriptions.get", missing)).await?;
    let forged = json!({"event_type": "subscription_activate", "event_source": "checkout",
                        "data": {"id": "sub_forged"}});
    let event = Event::from_slice(forged.to_string().as_bytes())?;
    let refused = client.webhooks().confirm(&event).await.expect_err("forged");
    assert_eq!(refused.kind(), ErrorKind::Unconfirmed);
    assert_eq!(refused.operation(), Some("subscriptions.get"));
    assert!(refused.to_string().contains("sub_forged"), "{refused}");
    assert_eq!(
        server.requests("subscriptions.get")[0].path,
        "/api/v1/subscription/sub_forged"
    );

    // A deletion is borne out exactly when the object is gone.
    let deleted = json!({"event_type": "subscription_delete", "data": {"id": "sub_gone"}});
    let event = Event::from_slice(deleted.to_string().as_bytes())?;
    assert_eq!(client.webhooks().confirm(&event).await?, Confirmed::Gone);
    server.stop().await;
    Ok(())
}

#[tokio::test]
async fn confirm_refuses_data_without_an_id_or_with_a_hostile_one_before_sending() -> TestResult {
    let (server, client) = mock(Options::default()).await?;
    for data in [
        json!({}),
        json!({"id": 5}),
        json!({"id": ""}),
        json!({"id": null}),
    ] {
        let body = json!({"event_type": "invoice_create", "data": data});
        let event = Event::from_slice(body.to_string().as_bytes())?;
        let refused = client.webhooks().confirm(&event).await.expect_err("no id");
        assert_eq!(refused.kind(), ErrorKind::Unconfirmed, "{refused}");
    }
    let hostile = json!({"event_type": "invoice_create", "data": {"id": ".."}});
    let event = Event::from_slice(hostile.to_string().as_bytes())?;
    let refused = client
        .webhooks()
        .confirm(&event)
        .await
        .expect_err("hostile id");
    assert_eq!(refused.kind(), ErrorKind::InvalidRequest, "{refused}");
    let unknown = json!({"event_type": "license_expire", "data": {"id": "x"}});
    let event = Event::from_slice(unknown.to_string().as_bytes())?;
    let refused = client
        .webhooks()
        .confirm(&event)
        .await
        .expect_err("unknown type");
    assert_eq!(refused.kind(), ErrorKind::Unconfirmed);
    assert_eq!(server.hits("invoices.get"), 0, "nothing was sent");
    server.stop().await;
    Ok(())
}

// ---- A billing service's webhook endpoint, as a user writes it. ----

/// What the service did, for the test to look at.
#[derive(Default)]
struct Ledger {
    activated: Vec<String>,
    /// Events already handled, by type and object: Pabbly may deliver one twice.
    handled: HashSet<(String, String)>,
    ignored: usize,
}

#[derive(Clone)]
struct App {
    pabbly: pabbly::Client,
    ledger: Arc<Mutex<Ledger>>,
}

/// Receives an event under the secret path, confirms it with Pabbly, and acts once.
async fn pabbly_webhook(State(app): State<App>, Webhook(event): Webhook<Event>) -> StatusCode {
    let key = (
        event.event_type.to_string(),
        event.object_id().unwrap_or_default(),
    );
    if app
        .ledger
        .lock()
        .map(|l| l.handled.contains(&key))
        .unwrap_or(false)
    {
        return StatusCode::OK; // a repeat delivery: already handled
    }
    let confirmed = match app.pabbly.webhooks().confirm(&event).await {
        Ok(confirmed) => confirmed,
        Err(error) if error.kind() == ErrorKind::Unconfirmed => {
            if let Ok(mut ledger) = app.ledger.lock() {
                ledger.ignored += 1;
            }
            return StatusCode::OK; // not borne out: nothing to do, nothing to retry
        }
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE,
    };
    let Ok(mut ledger) = app.ledger.lock() else {
        return StatusCode::INTERNAL_SERVER_ERROR;
    };
    if let (EventType::SubscriptionActivate, Confirmed::Found(EventData::Subscription(sub))) =
        (&event.event_type, &confirmed)
        && sub.status == Some(SubscriptionStatus::Live)
        && let Some(id) = &sub.id
    {
        ledger.activated.push(id.clone());
    }
    ledger.handled.insert(key);
    StatusCode::OK
}

#[tokio::test]
async fn a_service_receives_confirms_and_handles_an_event_once() -> TestResult {
    let live = json!({"id": "5e5f50647c5aeb3675f416aa", "status": "live"});
    let options = Options::default().stub("subscriptions.get", Stub::data(&live));
    let (pabbly_api, pabbly) = mock(options).await?;
    let ledger = Arc::new(Mutex::new(Ledger::default()));
    let app = Router::new()
        .route("/pabbly/{secret}", post(pabbly_webhook))
        .with_state(App {
            pabbly,
            ledger: Arc::clone(&ledger),
        });
    let service = Served::start(app).await?;
    let hook = format!("{}/pabbly/6f1c2d", service.url);

    let delivery = pabbly_mock::send_event(&hook, "subscription_activate").await?;
    assert_eq!(delivery.status, 200, "{}", delivery.body);
    // Delivered twice, handled once.
    let again = pabbly_mock::send_event(&hook, "subscription_activate").await?;
    assert_eq!(again.status, 200);
    assert_eq!(pabbly_api.hits("subscriptions.get"), 1);

    // An event nobody can read back is acknowledged and ignored.
    assert_eq!(
        pabbly_mock::send_event(&hook, "payment_success")
            .await?
            .status,
        200
    );
    // A body that is not an event is refused by the extractor.
    let junk = pabbly_mock::send_json(&hook, &json!({"event": "x"})).await?;
    assert_eq!(junk.status, 400);
    assert!(junk.body.contains("event_type"), "{}", junk.body);

    {
        let ledger = ledger.lock().map_err(|_| "poisoned")?;
        assert_eq!(
            ledger.activated,
            vec!["5e5f50647c5aeb3675f416aa".to_owned()]
        );
        assert_eq!(ledger.ignored, 1);
    }
    service.stop().await;
    pabbly_api.stop().await;
    Ok(())
}

#[tokio::test]
async fn the_sender_refuses_urls_off_this_machine_and_unknown_types() {
    let far = pabbly_mock::send_event("http://example.com/hook", "invoice_create").await;
    assert!(
        matches!(far, Err(pabbly_mock::MockError::Delivery(_))),
        "{far:?}"
    );
    let unknown = pabbly_mock::send_event("http://127.0.0.1:9/hook", "invoice_frobnicate").await;
    assert!(
        matches!(unknown, Err(pabbly_mock::MockError::UnknownEvent(_))),
        "{unknown:?}"
    );
}
