//! A billing service's night against an embedded mock of Pabbly: what a call's outcome says,
//! a page walk that survives a bad record and a server that repeats itself, per-call request
//! ids, and counting the daily call budget.
//!
//! ```sh
//! cargo run -p pabbly --example service
//! ```

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use pabbly::reqwest::header::{HeaderName, HeaderValue};
use pabbly::subscriptions::ListRequest;
use pabbly::{AttemptFinished, ErrorKind, Observer, Outcome, RequestOptions};
use pabbly_mock::{Fault, MockServer, Options, Stub};
use serde_json::json;

/// Calls that reached (or may have reached) Pabbly today.
#[derive(Default)]
struct DailyBudget(AtomicU64);

impl Observer for DailyBudget {
    fn attempt_finished(&self, attempt: &AttemptFinished) {
        if attempt.outcome != Outcome::NotSent {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let bad_page = r#"{"status":"success","message":"ok","data":[{"setup_fee":3},{"setup_fee":"forty-nine"}]}"#;
    let options = Options::default()
        // A write whose answer is lost on the way back.
        .fault("customers.create", Fault::drop_connection().times(1))
        // Pages: one full, one with a fee that is no amount, one short.
        .fault("subscriptions.list", Fault::delay(Duration::ZERO).times(1))
        .fault(
            "subscriptions.list",
            Fault::status(200).body(bad_page).times(1),
        )
        .stub(
            "subscriptions.list",
            Stub::data(&json!([{"setup_fee": 1}, {"setup_fee": 2}])).times(1),
        )
        .stub(
            "subscriptions.list",
            Stub::data(&json!([{"setup_fee": 5}])).times(1),
        )
        // Then a server that ignores `page` and repeats its full page.
        .stub(
            "subscriptions.list",
            Stub::data(&json!([{"setup_fee": 7}, {"setup_fee": 8}])),
        );
    let server = MockServer::start_with(options).await?;
    let budget = Arc::new(DailyBudget::default());
    let client = pabbly::Client::builder("test-key", "test-secret")
        .base_url(server.base_url())
        .observer(Arc::clone(&budget))
        .build()?;

    // 1. A create with a request id; its answer is lost, so the customer may exist.
    let traced = client.with_options(RequestOptions::new().header(
        HeaderName::from_static("x-request-id"),
        HeaderValue::from_static("nightly-0001"),
    ));
    let request = pabbly::customers::CreateRequest::new("Ada", "Lovelace", "ada@example.com");
    match traced.customers().create(&request).await {
        Ok(created) => println!("created after {} attempt(s)", created.attempts()),
        Err(error) => match error.outcome() {
            Outcome::NotSent => println!("not sent, safe to retry: {error}"),
            Outcome::AnswerLost => println!("answer lost, reconcile before retrying: {error}"),
            _ => println!("Pabbly refused: {error}"),
        },
    }
    let sent = server.requests("customers.create");
    println!(
        "the mock saw request id {:?}",
        sent.first().and_then(|r| r.header("x-request-id"))
    );

    // 2. A page walk that keeps going past a bad record and says where it was.
    let mut pages = client
        .subscriptions()
        .list_all(&ListRequest::new().limit(2))
        .per_item();
    while let Some(item) = pages.next().await {
        match item {
            Ok(subscription) => println!("subscription, setup fee {:?}", subscription.setup_fee),
            Err(bad) if bad.kind() == ErrorKind::Decode => {
                println!("skipped on page {:?}: {bad}", pages.page());
            }
            Err(error) => return Err(error.into()),
        }
    }

    // 3. A server repeating its full page stops the walk after two requests.
    let runaway = client
        .subscriptions()
        .list_all(&ListRequest::new().limit(2))
        .collect_all()
        .await;
    if let Err(error) = runaway {
        println!("stopped: {error}");
    }

    println!(
        "calls counted against today's 10,000: {} (the mock saw {})",
        budget.0.load(Ordering::Relaxed),
        server.hits("customers.create") + server.hits("subscriptions.list")
    );
    server.stop().await;
    Ok(())
}
