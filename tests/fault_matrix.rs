//! The fault-injection matrix: every fault the mock can inject × a safe operation (`GET`,
//! `customers.get`), an unsafe one (`POST`, `portal_sessions.create`), a `PUT` the spec marks
//! unsafe (`subscriptions.change_plan`, which can charge a card) and a safe `PUT`
//! (`subscriptions.pause`) → the error kind the
//! caller sees (or success when a retry recovers) and the exact number of attempts the server
//! received. This is the proof behind "Errors, retries and timeouts" in the README: which
//! failures are retried, which are not, and that none can hold a caller past its timeout.
//!
//! Every row gets its own mock server (so hit counts are per row), and the rows run
//! concurrently; all failing rows are reported together, each naming its row.

use std::time::Duration;

use futures_util::future::join_all;
use pabbly::ErrorKind::{self, Decode, RateLimited, Server, Timeout, Transport};
use pabbly::RequestOptions;
use pabbly::models::PaymentMode;
use pabbly::portal_sessions::CreateRequest;
use pabbly::subscriptions::ChangePlanRequest;
use pabbly_mock::{Fault, MockServer, Options};

const GET_ROUTE: &str = "customers.get";
const POST_ROUTE: &str = "portal_sessions.create";
const UNSAFE_PUT_ROUTE: &str = "subscriptions.change_plan";
const SAFE_PUT_ROUTE: &str = "subscriptions.pause";
const CUSTOMER: &str = "5e5f50647c5aeb3675f416aa";
const SUBSCRIPTION: &str = "5e3bf8b8db85462760295d2f";
const PLAN: &str = "61811ba89764a44a4cae8986";

/// How long a delayed answer waits: far past every timeout and deadline of the delay rows.
const SLOW_ANSWER: Duration = Duration::from_secs(4);
/// Per-attempt timeout, and whole-call deadline, of the delay rows: long enough for the request
/// to reach the mock while every row runs at once on a busy 2-core machine (150 ms was not: the
/// call timed out before the server saw it), and still far short of [`SLOW_ANSWER`].
const SHORT: Duration = Duration::from_millis(500);

/// The operation a row calls.
#[derive(Clone, Copy, Debug)]
enum Op {
    /// `GET /customers/{id}`: safe to repeat, retried on 429/502/503/504 and lost connections.
    Get,
    /// `POST /portal_sessions/`: not safe to repeat, retried only when it never left.
    Post,
    /// `PUT …/upgrade-downgrade`: a PUT, but the spec marks it unsafe (it can charge), so it is
    /// treated like a POST.
    UnsafePut,
    /// `PUT …/pause`: a PUT that is safe to repeat, retried like a GET.
    SafePut,
}

impl Op {
    fn route(self) -> &'static str {
        match self {
            Op::Get => GET_ROUTE,
            Op::Post => POST_ROUTE,
            Op::UnsafePut => UNSAFE_PUT_ROUTE,
            Op::SafePut => SAFE_PUT_ROUTE,
        }
    }
}

/// The fault injected on the row's route.
#[derive(Clone, Copy, Debug)]
enum Injected {
    /// This status with the mock's Pabbly-style error body.
    Status(u16),
    /// 502 with an HTML page, as a load balancer sends.
    Html502,
    /// 200 with an empty body.
    Empty200,
    /// A complete body that is not JSON.
    Malformed,
    /// A `Content-Length` larger than what is sent before the connection closes.
    Truncated,
    /// The normal answer, after [`SLOW_ANSWER`].
    Delay,
    /// The connection closes after the request, without an answer.
    DropConnection,
    /// 503 with `Retry-After: 1`.
    Unavailable503RetryAfter1,
}

impl Injected {
    fn fault(self) -> Fault {
        match self {
            Injected::Status(code) => Fault::status(code),
            Injected::Html502 => Fault::status(502).body(
                "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n\
                 <body><h1>502 Bad Gateway</h1></body></html>",
            ),
            Injected::Empty200 => Fault::status(200).body(""),
            Injected::Malformed => Fault::malformed(),
            Injected::Truncated => Fault::truncated(),
            Injected::Delay => Fault::delay(SLOW_ANSWER),
            Injected::DropConnection => Fault::drop_connection(),
            Injected::Unavailable503RetryAfter1 => Fault::status(503).retry_after(1),
        }
    }
}

/// For how many requests the fault applies.
#[derive(Clone, Copy, Debug)]
enum Times {
    /// Every request: retries cannot recover.
    Always,
    /// The first request only: a retry gets the normal answer.
    Once,
}

/// The client settings of a row. All use 3 attempts and a 1–5 ms backoff, so retries are quick.
#[derive(Clone, Copy, Debug)]
enum Client {
    /// Defaults otherwise (30 s per attempt, no deadline, POST not retried).
    Fast,
    /// A [`SHORT`] timeout per attempt.
    ShortTimeout,
    /// A [`SHORT`] deadline for the whole call (the attempt timeout stays 30 s).
    ShortDeadline,
    /// POST retried too (`retry_unsafe(true)`).
    RetryUnsafe,
    /// `max_delay` of 2 s, so a `Retry-After: 1` is waited for instead of returned.
    Patient,
}

impl Client {
    fn options(self) -> RequestOptions {
        let fast = RequestOptions::new()
            .base_delay(Duration::from_millis(1))
            .max_delay(Duration::from_millis(5));
        match self {
            Client::Fast => fast,
            Client::ShortTimeout => fast.timeout(SHORT),
            Client::ShortDeadline => fast.deadline(SHORT),
            Client::RetryUnsafe => fast.retry_unsafe(true),
            Client::Patient => fast.max_delay(Duration::from_secs(2)),
        }
    }
}

/// What the call returns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// The call succeeds (a retry recovered).
    Succeeds,
    /// The call fails with this kind.
    Fails(ErrorKind),
}

use Client::{Fast, Patient, RetryUnsafe, ShortDeadline, ShortTimeout};
use Injected::{
    Delay, DropConnection, Empty200, Html502, Malformed, Status, Truncated,
    Unavailable503RetryAfter1,
};
use Op::{Get, Post, SafePut, UnsafePut};
use Outcome::{Fails, Succeeds};
use Times::{Always, Once};

struct Row {
    fault: Injected,
    times: Times,
    op: Op,
    client: Client,
    expected: Outcome,
    /// Requests the mock received for the row's route.
    hits: usize,
}

const fn row(
    fault: Injected,
    times: Times,
    op: Op,
    client: Client,
    expected: Outcome,
    hits: usize,
) -> Row {
    Row {
        fault,
        times,
        op,
        client,
        expected,
        hits,
    }
}

#[rustfmt::skip]
const MATRIX: &[Row] = &[
    // fault, for, operation, client → outcome, attempts the server saw.
    //
    // Every request fails. GET retries the retryable ones up to 3 attempts; POST never repeats.
    row(Status(429),               Always, Get,  Fast,          Fails(RateLimited), 3),
    row(Status(429),               Always, Post, Fast,          Fails(RateLimited), 1),
    row(Status(500),               Always, Get,  Fast,          Fails(Server),      1),
    row(Status(500),               Always, Post, Fast,          Fails(Server),      1),
    row(Status(502),               Always, Get,  Fast,          Fails(Server),      3),
    row(Status(502),               Always, Post, Fast,          Fails(Server),      1),
    row(Status(503),               Always, Get,  Fast,          Fails(Server),      3),
    row(Status(503),               Always, Post, Fast,          Fails(Server),      1),
    row(Status(504),               Always, Get,  Fast,          Fails(Server),      3),
    row(Status(504),               Always, Post, Fast,          Fails(Server),      1),
    row(Html502,                   Always, Get,  Fast,          Fails(Server),      3),
    row(Html502,                   Always, Post, Fast,          Fails(Server),      1),
    row(Empty200,                  Always, Get,  Fast,          Fails(Decode),      1),
    row(Empty200,                  Always, Post, Fast,          Fails(Decode),      1),
    row(Malformed,                 Always, Get,  Fast,          Fails(Decode),      1),
    row(Malformed,                 Always, Post, Fast,          Fails(Decode),      1),
    row(Truncated,                 Always, Get,  Fast,          Fails(Transport),   3),
    row(Truncated,                 Always, Post, Fast,          Fails(Transport),   1),
    row(Delay,                     Always, Get,  ShortTimeout,  Fails(Timeout),     1),
    row(Delay,                     Always, Post, ShortTimeout,  Fails(Timeout),     1),
    row(Delay,                     Always, Get,  ShortDeadline, Fails(Timeout),     1),
    row(Delay,                     Always, Post, ShortDeadline, Fails(Timeout),     1),
    row(DropConnection,            Always, Get,  Fast,          Fails(Transport),   3),
    row(DropConnection,            Always, Post, Fast,          Fails(Transport),   1),
    // Retry-After: 1 is longer than max_delay (5 ms): the error comes back at once.
    row(Unavailable503RetryAfter1,Always, Get,  Fast,          Fails(Server),      1),
    row(Unavailable503RetryAfter1,Always, Post, Fast,          Fails(Server),      1),
    //
    // Only the first request fails. A retried GET recovers; what is not retried still fails.
    row(Status(429),               Once,   Get,  Fast,          Succeeds,           2),
    row(Status(500),               Once,   Get,  Fast,          Fails(Server),      1),
    row(Status(502),               Once,   Get,  Fast,          Succeeds,           2),
    row(Status(503),               Once,   Get,  Fast,          Succeeds,           2),
    row(Status(504),               Once,   Get,  Fast,          Succeeds,           2),
    row(Html502,                   Once,   Get,  Fast,          Succeeds,           2),
    row(Empty200,                  Once,   Get,  Fast,          Fails(Decode),      1),
    row(Malformed,                 Once,   Get,  Fast,          Fails(Decode),      1),
    row(Truncated,                 Once,   Get,  Fast,          Succeeds,           2),
    row(Delay,                     Once,   Get,  ShortTimeout,  Fails(Timeout),     1),
    row(DropConnection,            Once,   Get,  Fast,          Succeeds,           2),
    row(Unavailable503RetryAfter1,Once,   Get,  Fast,          Fails(Server),      1),
    row(Unavailable503RetryAfter1,Once,   Get,  Patient,       Succeeds,           2),
    // A POST that may have reached Pabbly is not repeated, even when a retry would succeed...
    row(Status(503),               Once,   Post, Fast,          Fails(Server),      1),
    row(DropConnection,            Once,   Post, Fast,          Fails(Transport),   1),
    row(Truncated,                 Once,   Post, Fast,          Fails(Transport),   1),
    // ...unless the caller opts in with retry_unsafe(true).
    row(Status(503),               Once,   Post, RetryUnsafe,   Succeeds,           2),
    row(DropConnection,            Once,   Post, RetryUnsafe,   Succeeds,           2),
    row(Status(503),               Always, Post, RetryUnsafe,   Fails(Server),      3),
    row(Status(500),               Once,   Post, RetryUnsafe,   Fails(Server),      1),
    //
    // A PUT that moves money is as unsafe as a POST: a plan change whose answer was lost is
    // not sent again (it could charge twice) unless the caller opts in.
    row(Status(429),               Always, UnsafePut, Fast,     Fails(RateLimited), 1),
    row(Status(503),               Once,   UnsafePut, Fast,     Fails(Server),      1),
    row(DropConnection,            Once,   UnsafePut, Fast,     Fails(Transport),   1),
    row(Truncated,                 Once,   UnsafePut, Fast,     Fails(Transport),   1),
    row(DropConnection,            Once,   UnsafePut, RetryUnsafe, Succeeds,        2),
    // A PUT that only sets state is retried like a GET.
    row(DropConnection,            Once,   SafePut,   Fast,     Succeeds,           2),
    row(Status(503),               Always, SafePut,   Fast,     Fails(Server),      3),
];

impl Row {
    fn describe(&self) -> String {
        format!(
            "{:?} ({:?}) on {:?} {} with {:?} client",
            self.fault,
            self.times,
            self.op,
            self.op.route(),
            self.client
        )
    }

    /// Runs the row against its own mock; `Err` explains the mismatch.
    async fn run(&self) -> Result<(), String> {
        let fault = match self.times {
            Times::Always => self.fault.fault(),
            Times::Once => self.fault.fault().times(1),
        };
        let server = MockServer::start_with(Options::default().fault(self.op.route(), fault))
            .await
            .map_err(|e| format!("the mock did not start: {e}"))?;
        let client = pabbly::Client::builder("test-key", "test-secret")
            .base_url(server.base_url())
            .request_options(self.client.options())
            .build()
            .map_err(|e| format!("the client did not build: {e}"))?;
        let started = std::time::Instant::now();
        let result = match self.op {
            Op::Get => client.customers().get(CUSTOMER).await.map(|_| ()),
            Op::Post => client
                .portal_sessions()
                .create(&CreateRequest::new(CUSTOMER))
                .await
                .map(|_| ()),
            Op::UnsafePut => {
                let request = ChangePlanRequest::new(PLAN, PaymentMode::CreditCard);
                client
                    .subscriptions()
                    .change_plan(SUBSCRIPTION, &request)
                    .await
                    .map(|_| ())
            }
            Op::SafePut => client.subscriptions().pause(SUBSCRIPTION).await.map(|_| ()),
        };
        let elapsed = started.elapsed();
        let hits = server.hits(self.op.route());
        server.stop().await;

        let (outcome, error) = match result {
            Ok(()) => (Outcome::Succeeds, String::new()),
            Err(error) => (Outcome::Fails(error.kind()), format!(": {error}")),
        };
        let mut problems = Vec::new();
        if outcome != self.expected {
            problems.push(format!(
                "expected {:?}, got {outcome:?}{error}",
                self.expected
            ));
        }
        if hits != self.hits {
            problems.push(format!(
                "expected {} attempt(s) at the server, saw {hits}",
                self.hits
            ));
        }
        // A timed-out call returns at its timeout or deadline, not when the slow answer comes.
        if matches!(self.expected, Outcome::Fails(ErrorKind::Timeout)) && elapsed >= SLOW_ANSWER {
            problems.push(format!("the call took {elapsed:?}, past the slow answer"));
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_against_safe_and_unsafe_operations() {
    let results = join_all(MATRIX.iter().map(Row::run)).await;
    let failures: Vec<String> = MATRIX
        .iter()
        .zip(results)
        .enumerate()
        .filter_map(|(index, (row, result))| {
            result
                .err()
                .map(|why| format!("row {index}: {}: {why}", row.describe()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} rows failed:\n{}",
        failures.len(),
        MATRIX.len(),
        failures.join("\n")
    );
}
