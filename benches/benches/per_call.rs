//! Per-call overhead: `client.portal_sessions().create(…)` of the generated client against the
//! same call written by hand with reqwest + serde_json, both against one `pabbly-mock` server
//! in the same process and the same tokio runtime, one call at a time and 64 at once.
//!
//! ```sh
//! cargo bench -p pabbly-benches --bench per_call
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use pabbly::portal_sessions::CreateRequest;
use pabbly_benches::handwritten::HandClient;
use pabbly_benches::ratio::{self, Interleaved};
use pabbly_mock::MockServer;
use tokio::task::JoinSet;

const CUSTOMER: &str = "5e5f50647c5aeb3675f416aa";
const REDIRECT: &str = "https://www.pabbly.com/";
const CONCURRENCY: u64 = 64;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

fn per_call(c: &mut Criterion) {
    let rt = runtime();
    let mock = rt.block_on(MockServer::start()).expect("the mock starts");
    let generated = pabbly::Client::builder("bench-api-key", "bench-secret-key")
        .base_url(mock.base_url())
        .build()
        .expect("the generated client builds");
    let hand = Arc::new(
        HandClient::new(mock.base_url(), "bench-api-key", "bench-secret-key")
            .expect("the hand-written client builds"),
    );
    let request = Arc::new(CreateRequest::new(CUSTOMER).redirect_url(REDIRECT));

    // Both sides answer the same, so the figures compare equal work.
    rt.block_on(async {
        let typed = generated
            .portal_sessions()
            .create(&request)
            .await
            .expect("generated call");
        let (session, _) = hand
            .create_portal_session(CUSTOMER, Some(REDIRECT))
            .await
            .expect("hand-written call");
        assert_eq!(typed.data.access_url, session.access_url);
        assert_eq!(typed.data.expires_at, session.expires_at);
    });

    let mut group = c.benchmark_group("per_call_sequential");
    group.throughput(Throughput::Elements(1));
    group.bench_function("generated", |b| {
        b.to_async(&rt).iter(|| async {
            let response = generated
                .portal_sessions()
                .create(&request)
                .await
                .expect("generated call");
            std::hint::black_box(response);
        });
    });
    group.bench_function("handwritten", |b| {
        b.to_async(&rt).iter(|| async {
            let response = hand
                .create_portal_session(CUSTOMER, Some(REDIRECT))
                .await
                .expect("hand-written call");
            std::hint::black_box(response);
        });
    });
    group.finish();

    let mut group = c.benchmark_group("per_call_concurrent_64");
    group.throughput(Throughput::Elements(CONCURRENCY));
    group.bench_function("generated", |b| {
        b.to_async(&rt).iter(|| async {
            let mut calls = JoinSet::new();
            for _ in 0..CONCURRENCY {
                let client = generated.clone();
                let request = Arc::clone(&request);
                calls.spawn(async move {
                    let response = client
                        .portal_sessions()
                        .create(&request)
                        .await
                        .expect("generated call");
                    std::hint::black_box(response);
                });
            }
            while let Some(done) = calls.join_next().await {
                done.expect("the call task completes");
            }
        });
    });
    group.bench_function("handwritten", |b| {
        b.to_async(&rt).iter(|| async {
            let mut calls = JoinSet::new();
            for _ in 0..CONCURRENCY {
                let client = Arc::clone(&hand);
                calls.spawn(async move {
                    let response = client
                        .create_portal_session(CUSTOMER, Some(REDIRECT))
                        .await
                        .expect("hand-written call");
                    std::hint::black_box(response);
                });
            }
            while let Some(done) = calls.join_next().await {
                done.expect("the call task completes");
            }
        });
    });
    group.finish();

    // The same comparison, interleaved: rounds alternate a batch of generated calls and a
    // batch of hand-written ones (in alternating order), and the ratio is taken per round, so
    // a change of load during the run affects both sides alike.
    let full = std::env::args().any(|arg| arg == "--bench");
    let (rounds, batch) = if full { (400, 20) } else { (2, 1) };
    let sequential = interleaved(&rt, rounds, |generated_side| {
        let generated = &generated;
        let hand = &hand;
        let request = &request;
        async move {
            let started = Instant::now();
            for _ in 0..batch {
                if generated_side {
                    let response = generated.portal_sessions().create(request).await;
                    std::hint::black_box(response.expect("generated call"));
                } else {
                    let response = hand.create_portal_session(CUSTOMER, Some(REDIRECT)).await;
                    std::hint::black_box(response.expect("hand-written call"));
                }
            }
            started.elapsed() / batch
        }
    });
    let (rounds, batch) = if full { (150, 2) } else { (2, 1) };
    let concurrent = interleaved(&rt, rounds, |generated_side| {
        let generated = generated.clone();
        let hand = Arc::clone(&hand);
        let request = Arc::clone(&request);
        async move {
            let started = Instant::now();
            for _ in 0..batch {
                let mut calls = JoinSet::new();
                for _ in 0..CONCURRENCY {
                    if generated_side {
                        let client = generated.clone();
                        let request = Arc::clone(&request);
                        calls.spawn(async move {
                            let response = client.portal_sessions().create(&request).await;
                            std::hint::black_box(response.expect("generated call"));
                        });
                    } else {
                        let client = Arc::clone(&hand);
                        calls.spawn(async move {
                            let response =
                                client.create_portal_session(CUSTOMER, Some(REDIRECT)).await;
                            std::hint::black_box(response.expect("hand-written call"));
                        });
                    }
                }
                while let Some(done) = calls.join_next().await {
                    done.expect("the call task completes");
                }
            }
            started.elapsed() / (batch * CONCURRENCY as u32)
        }
    });
    let mut csv = String::from(ratio::CSV_HEADER);
    for (figure, result) in [
        ("per_call_sequential", sequential),
        ("per_call_concurrent_64", concurrent),
    ] {
        println!(
            "{figure} interleaved: generated / hand-written = {:.3} (IQR {:.3}–{:.3}) over {} \
             rounds; {:.1} µs vs {:.1} µs per call",
            result.ratio[1],
            result.ratio[0],
            result.ratio[2],
            result.rounds,
            result.a_ns / 1e3,
            result.b_ns / 1e3,
        );
        csv.push_str(&result.csv_line(figure));
    }
    if full {
        ratio::write_result("per_call_interleaved.csv", &csv);
    }

    rt.block_on(mock.stop());
}

/// Runs `rounds` rounds of `side(true)` (generated) and `side(false)` (hand-written), each
/// answering the time per call, alternating which goes first; `a` is the generated side.
fn interleaved<F, Fut>(rt: &tokio::runtime::Runtime, rounds: usize, side: F) -> Interleaved
where
    F: Fn(bool) -> Fut,
    Fut: Future<Output = Duration>,
{
    let mut generated = Vec::with_capacity(rounds);
    let mut hand = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let (g, h) = rt.block_on(async {
            if round % 2 == 0 {
                let g = side(true).await;
                (g, side(false).await)
            } else {
                let h = side(false).await;
                (side(true).await, h)
            }
        });
        generated.push(g);
        hand.push(h);
    }
    Interleaved::from_rounds(&generated, &hand)
}

fn main() {
    let mut criterion = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(6))
        .configure_from_args();
    per_call(&mut criterion);
    criterion.final_summary();
}
