//! What a service needs to test its own code and count its calls: fakes built with
//! `pabbly::testing`, and a per-client observer, checked against `pabbly-mock`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use pabbly::testing::{ErrorBuilder, ResponseBuilder};
use pabbly::{
    AttemptFinished, AttemptStarted, Client, ErrorKind, Observer, Outcome, RequestOptions,
};
use pabbly_mock::{Fault, MockServer, Options};

/// The service's own seam: what it needs from Pabbly.
trait Billing {
    async fn portal_url(
        &self,
        customer_id: &str,
    ) -> Result<pabbly::Response<String>, pabbly::Error>;
}

impl Billing for Client {
    async fn portal_url(
        &self,
        customer_id: &str,
    ) -> Result<pabbly::Response<String>, pabbly::Error> {
        let request = pabbly::portal_sessions::CreateRequest::new(customer_id);
        let session = self.portal_sessions().create(&request).await?;
        let (status, attempts) = (session.status(), session.attempts());
        Ok(ResponseBuilder::new(session.data.access_url)
            .status(status)
            .attempts(attempts)
            .build())
    }
}

/// The code under test: what the service shows a customer.
async fn portal_link(billing: &impl Billing, customer_id: &str) -> String {
    match billing.portal_url(customer_id).await {
        Ok(response) => response.data,
        Err(error) if error.outcome() == Outcome::NotSent => "try again".to_owned(),
        Err(error) if error.kind() == ErrorKind::NotFound => "unknown customer".to_owned(),
        Err(_) => "contact support".to_owned(),
    }
}

/// A fake standing in for Pabbly in the service's unit tests.
struct Fake;

impl Billing for Fake {
    async fn portal_url(
        &self,
        customer_id: &str,
    ) -> Result<pabbly::Response<String>, pabbly::Error> {
        match customer_id {
            "cus_1" => Ok(ResponseBuilder::new("https://portal.example/cus_1".to_owned()).build()),
            "cus_busy" => Err(ErrorBuilder::new(ErrorKind::Timeout)
                .operation("portal_sessions.create")
                .detail("waited 30s for a connection slot (all 16 in use): not sent")
                .build()),
            _ => Err(ErrorBuilder::new(ErrorKind::NotFound)
                .operation("portal_sessions.create")
                .status(200)
                .api_message("Customer not found")
                .build()),
        }
    }
}

#[tokio::test]
async fn a_fake_and_the_real_client_give_the_service_the_same_answers() {
    assert_eq!(
        portal_link(&Fake, "cus_1").await,
        "https://portal.example/cus_1"
    );
    assert_eq!(portal_link(&Fake, "cus_busy").await, "try again");
    assert_eq!(portal_link(&Fake, "cus_9").await, "unknown customer");

    let options = Options::default().fault("portal_sessions.create", Fault::status(500).times(1));
    let server = MockServer::start_with(options).await.expect("mock starts");
    let client = Client::builder("test-key", "test-secret")
        .base_url(server.base_url())
        .build()
        .expect("a valid configuration");
    assert_eq!(portal_link(&client, "cus_1").await, "contact support");
    let link = portal_link(&client, "cus_1").await;
    assert!(link.starts_with("https://"), "{link}");

    // The fake's errors look like the client's own.
    let fake = Fake.portal_url("cus_busy").await.expect_err("fake timeout");
    assert_eq!(fake.operation(), Some("portal_sessions.create"));
    assert_eq!((fake.attempts(), fake.outcome()), (0, Outcome::NotSent));
    assert_eq!(
        fake.to_string(),
        "portal_sessions.create waited 30s for a connection slot (all 16 in use): not sent"
    );
    server.stop().await;
}

/// Counts the calls that reached Pabbly, and keeps what it was told.
#[derive(Default)]
struct Budget {
    started: Mutex<Vec<AttemptStarted>>,
    finished: Mutex<Vec<AttemptFinished>>,
}

impl Budget {
    fn spent(&self) -> usize {
        let finished = self.finished.lock().expect("not poisoned");
        finished
            .iter()
            .filter(|attempt| attempt.outcome != Outcome::NotSent)
            .count()
    }
}

impl Observer for Budget {
    fn attempt_started(&self, attempt: &AttemptStarted) {
        self.started.lock().expect("not poisoned").push(*attempt);
    }

    fn attempt_finished(&self, attempt: &AttemptFinished) {
        self.finished.lock().expect("not poisoned").push(*attempt);
    }
}

#[tokio::test]
async fn an_observer_sees_every_attempt_and_counts_the_daily_budget() {
    let options = Options::default().fault("customers.get", Fault::status(503).times(2));
    let server = MockServer::start_with(options).await.expect("mock starts");
    let budget = Arc::new(Budget::default());
    let client = Client::builder("test-key", "test-secret")
        .base_url(server.base_url())
        .request_options(RequestOptions::new().base_delay(Duration::from_millis(1)))
        .observer(Arc::clone(&budget))
        .build()
        .expect("a valid configuration");

    client
        .customers()
        .get("cus_1")
        .await
        .expect("the third attempt succeeds");
    // Clones and `with_options` clients report to the same observer.
    let quick = client
        .clone()
        .with_options(RequestOptions::new().max_attempts(1));
    quick
        .customers()
        .list(&pabbly::customers::ListRequest::new())
        .await
        .expect("succeeds");

    let started = budget.started.lock().expect("not poisoned").clone();
    let attempts: Vec<_> = started
        .iter()
        .map(|a| (a.operation, a.method, a.attempt))
        .collect();
    assert_eq!(
        attempts,
        [
            ("customers.get", "GET", 1),
            ("customers.get", "GET", 2),
            ("customers.get", "GET", 3),
            ("customers.list", "GET", 1)
        ]
    );
    let finished = budget.finished.lock().expect("not poisoned").clone();
    let results: Vec<_> = finished
        .iter()
        .map(|a| (a.attempt, a.status, a.error))
        .collect();
    assert_eq!(
        results,
        [
            (1, Some(503), Some(ErrorKind::Server)),
            (2, Some(503), Some(ErrorKind::Server)),
            (3, Some(200), None),
            (1, Some(200), None)
        ]
    );
    assert!(finished.iter().all(|a| a.outcome == Outcome::Answered));
    assert_eq!(
        budget.spent(),
        server.hits("customers.get") + server.hits("customers.list")
    );

    // Attempts that never reached Pabbly are reported, but cost nothing.
    let base_url = server.base_url().to_owned();
    server.stop().await;
    let offline = Client::builder("test-key", "test-secret")
        .base_url(base_url)
        .request_options(RequestOptions::new().base_delay(Duration::from_millis(1)))
        .observer(Arc::clone(&budget))
        .build()
        .expect("a valid configuration");
    let error = offline.customers().get("cus_1").await.expect_err("refused");
    assert_eq!(error.outcome(), Outcome::NotSent);
    let finished = budget.finished.lock().expect("not poisoned").len();
    assert_eq!(finished, 7, "three more attempts");
    assert_eq!(budget.spent(), 4);
}
