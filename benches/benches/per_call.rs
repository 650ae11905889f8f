//! Per-call overhead: `client.portal_sessions().create(…)` of the generated client against the
//! same call written by hand with reqwest + serde_json, both against one `pabbly-mock` server
//! in the same process and the same tokio runtime, one call at a time and 64 at once.
//!
//! The generated client lets at most 16 requests run at once by default
//! (`max_concurrent_requests`); the hand-written one has no limit. The concurrent group
//! therefore also runs a generated client built with `max_concurrent_requests(64)`, which
//! separates that policy from the cost of the code itself.
//!
//! ```sh
//! cargo bench -p pabbly-benches --bench per_call
//! ```
//!
//! After criterion, the same comparisons run interleaved (see `pabbly_benches::ratio`); their
//! ratios are printed and written to `target/pabbly-benches/per_call_interleaved.csv`.

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
const CONCURRENCY: u32 = 64;

/// Everything both sides call with.
struct Sides {
    /// The generated client as built by default.
    generated: pabbly::Client,
    /// The generated client allowing 64 requests at once, like the hand-written one.
    generated_64: pabbly::Client,
    hand: Arc<HandClient>,
    request: Arc<CreateRequest>,
}

/// Which client a measurement uses.
#[derive(Clone, Copy)]
enum Side {
    Generated,
    Generated64,
    Hand,
}

impl Sides {
    async fn call(&self, side: Side) {
        match side {
            Side::Generated | Side::Generated64 => {
                let client = match side {
                    Side::Generated64 => &self.generated_64,
                    _ => &self.generated,
                };
                let response = client.portal_sessions().create(&self.request).await;
                std::hint::black_box(response.expect("generated call"));
            }
            Side::Hand => {
                let response = self
                    .hand
                    .create_portal_session(CUSTOMER, Some(REDIRECT))
                    .await;
                std::hint::black_box(response.expect("hand-written call"));
            }
        }
    }

    /// `CONCURRENCY` calls spawned at once, awaited together.
    async fn burst(self: &Arc<Self>, side: Side) {
        let mut calls = JoinSet::new();
        for _ in 0..CONCURRENCY {
            let sides = Arc::clone(self);
            calls.spawn(async move { sides.call(side).await });
        }
        while let Some(done) = calls.join_next().await {
            done.expect("the call task completes");
        }
    }
}

fn per_call(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let mock = rt.block_on(MockServer::start()).expect("the mock starts");
    let build = |slots: Option<usize>| {
        let builder =
            pabbly::Client::builder("bench-api-key", "bench-secret-key").base_url(mock.base_url());
        match slots {
            Some(slots) => builder.max_concurrent_requests(slots),
            None => builder,
        }
        .build()
        .expect("the generated client builds")
    };
    let sides = Arc::new(Sides {
        generated: build(None),
        generated_64: build(Some(CONCURRENCY as usize)),
        hand: Arc::new(
            HandClient::new(mock.base_url(), "bench-api-key", "bench-secret-key")
                .expect("the hand-written client builds"),
        ),
        request: Arc::new(CreateRequest::new(CUSTOMER).redirect_url(REDIRECT)),
    });

    // Both sides answer the same, so the figures compare equal work.
    rt.block_on(async {
        let typed = sides
            .generated
            .portal_sessions()
            .create(&sides.request)
            .await
            .expect("generated call");
        let (session, _) = sides
            .hand
            .create_portal_session(CUSTOMER, Some(REDIRECT))
            .await
            .expect("hand-written call");
        assert_eq!(typed.data.access_url, session.access_url);
        assert_eq!(typed.data.expires_at, session.expires_at);
    });

    let mut group = c.benchmark_group("per_call_sequential");
    group.throughput(Throughput::Elements(1));
    for (name, side) in [("generated", Side::Generated), ("handwritten", Side::Hand)] {
        group.bench_function(name, |b| b.to_async(&rt).iter(|| sides.call(side)));
    }
    group.finish();

    let mut group = c.benchmark_group("per_call_concurrent_64");
    group.throughput(Throughput::Elements(u64::from(CONCURRENCY)));
    for (name, side) in [
        ("generated", Side::Generated),
        ("generated_64_slots", Side::Generated64),
        ("handwritten", Side::Hand),
    ] {
        group.bench_function(name, |b| b.to_async(&rt).iter(|| sides.burst(side)));
    }
    group.finish();

    // The same comparisons, interleaved: each round times a batch of each side (in
    // alternating order) and takes their ratio, so a change of load during the run affects
    // both sides alike. Short rounds keep the two halves of each ratio close in time.
    let full = std::env::args().any(|arg| arg == "--bench");
    let mut csv = String::from(ratio::CSV_HEADER);
    let figures = [
        ("per_call_sequential", Side::Generated, false),
        ("per_call_concurrent_64", Side::Generated, true),
        ("per_call_concurrent_64_slots", Side::Generated64, true),
    ];
    for (figure, side, concurrent) in figures {
        let (rounds, batch) = match (full, concurrent) {
            (false, _) => (2, 1),
            (true, false) => (2500, 4),
            (true, true) => (400, 1),
        };
        let per_call = if concurrent {
            batch * CONCURRENCY
        } else {
            batch
        };
        let result = interleaved(&rt, rounds, |generated_side| {
            let sides = Arc::clone(&sides);
            let side = if generated_side { side } else { Side::Hand };
            async move {
                let started = Instant::now();
                for _ in 0..batch {
                    if concurrent {
                        sides.burst(side).await;
                    } else {
                        sides.call(side).await;
                    }
                }
                started.elapsed() / per_call
            }
        });
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
