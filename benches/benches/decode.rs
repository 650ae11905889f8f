//! Decoding a large list response (10,000 items built from the spec's example) into the
//! generated types, into `serde_json::Value`, and into a hand-written struct: time (criterion)
//! and peak heap (a counting global allocator, measured once per approach before timing).
//!
//! The items are the first of the spec's example response of the subscription list. While the
//! spec has none (Pabbly's page cuts its example off), `decode_10000` decodes copies of the
//! portal session example instead, and `decode_10000_docs` decodes subscriptions made of the
//! part of the docs page's example that survived (see `pabbly_benches::subscriptions`).
//!
//! ```sh
//! cargo bench -p pabbly-benches --bench decode
//! ```
//!
//! The peak bytes are printed and written to `target/pabbly-benches/decode_memory.csv`, the
//! interleaved ratios to `decode_interleaved.csv` beside it.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use pabbly::models;
use pabbly_benches::alloc::Counting;
use pabbly_benches::handwritten::{self, Envelope};
use pabbly_benches::subscriptions::{self, ListBody};
use pabbly_benches::{ratio, real_spec_path};
use serde::de::DeserializeOwned;
use serde_json::Value;

#[global_allocator]
static ALLOC: Counting = Counting::new();

/// Items in the list.
const ITEMS: usize = 10_000;

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> T {
    serde_json::from_slice(bytes).expect("the body decodes")
}

/// Peak heap of each approach, above what was in use before it, as CSV lines.
fn peak_memory<G, H>(group: &str, body: &ListBody) -> String
where
    G: DeserializeOwned,
    H: DeserializeOwned,
{
    let bytes = body.bytes.as_slice();
    let (decoded, generated_peak) = ALLOC.measure(|| decode::<Envelope<Vec<G>>>(bytes));
    assert_eq!(decoded.data.map(|d| d.len()), Some(ITEMS));
    let (decoded, value_peak) = ALLOC.measure(|| decode::<Value>(bytes));
    assert_eq!(decoded["data"].as_array().map(Vec::len), Some(ITEMS));
    drop(decoded);
    let (decoded, hand_peak) = ALLOC.measure(|| decode::<Envelope<Vec<H>>>(bytes));
    assert_eq!(decoded.data.map(|d| d.len()), Some(ITEMS));

    let mut csv = String::new();
    for (approach, peak) in [
        ("generated", generated_peak),
        ("value", value_peak),
        ("handwritten", hand_peak),
    ] {
        println!(
            "{group} {approach}: peak heap {:.1} MiB for a {:.1} MiB body",
            peak as f64 / 1_048_576.0,
            bytes.len() as f64 / 1_048_576.0
        );
        csv.push_str(&format!(
            "{group},{approach},{peak},{},{},{}\n",
            bytes.len(),
            body.items,
            body.source
        ));
    }
    csv
}

/// Times the three decoders on `body` as criterion group `group`, then interleaved; answers
/// the peak-memory and interleaved CSV lines.
fn bench<G, H>(c: &mut Criterion, group: &str, body: &ListBody) -> (String, String)
where
    G: DeserializeOwned,
    H: DeserializeOwned,
{
    let memory = peak_memory::<G, H>(group, body);
    let bytes = body.bytes.as_slice();
    let mut criterion_group = c.benchmark_group(group);
    criterion_group.throughput(Throughput::Bytes(bytes.len() as u64));
    criterion_group.bench_function("generated", |b| {
        b.iter(|| decode::<Envelope<Vec<G>>>(black_box(bytes)));
    });
    criterion_group.bench_function("value", |b| b.iter(|| decode::<Value>(black_box(bytes))));
    criterion_group.bench_function("handwritten", |b| {
        b.iter(|| decode::<Envelope<Vec<H>>>(black_box(bytes)));
    });
    criterion_group.finish();

    // The ratios again, interleaved round by round (see `pabbly_benches::ratio`).
    let full = std::env::args().any(|arg| arg == "--bench");
    let rounds = if full { 60 } else { 1 };
    let mut csv = String::new();
    for (versus, result) in [
        (
            "generated_vs_handwritten",
            ratio::interleave(
                rounds,
                || drop(black_box(decode::<Envelope<Vec<G>>>(bytes))),
                || drop(black_box(decode::<Envelope<Vec<H>>>(bytes))),
            ),
        ),
        (
            "value_vs_handwritten",
            ratio::interleave(
                rounds,
                || drop(black_box(decode::<Value>(bytes))),
                || drop(black_box(decode::<Envelope<Vec<H>>>(bytes))),
            ),
        ),
    ] {
        let figure = format!("{group}_{versus}");
        println!(
            "{figure} interleaved: {:.3} (IQR {:.3}–{:.3}) over {} rounds",
            result.ratio[1], result.ratio[0], result.ratio[2], result.rounds
        );
        csv.push_str(&result.csv_line(&figure));
    }
    (memory, csv)
}

fn decode_lists(c: &mut Criterion) {
    let api = pabbly_spec::load(&real_spec_path(), "spec/pabbly.yaml").expect("the spec loads");
    let mut memory = String::from("group,approach,peak_bytes,body_bytes,items,source\n");
    let mut interleaved = String::from(ratio::CSV_HEADER);
    let mut add = |(m, i): (String, String)| {
        memory.push_str(&m);
        interleaved.push_str(&i);
    };
    match subscriptions::subscription_list(&api, ITEMS) {
        Ok(body) => add(bench::<models::Subscription, handwritten::Subscription>(
            c,
            "decode_10000",
            &body,
        )),
        Err(why) => {
            // The brief's fallback: the portal session example, replicated.
            println!("{why}: decode_10000 decodes copies of the portal session example");
            let body = subscriptions::portal_session_list(&api, ITEMS).expect("a portal session");
            add(bench::<models::PortalSession, handwritten::PortalSession>(
                c,
                "decode_10000",
                &body,
            ));
            // And subscriptions after all, from the part of the docs' example that survived.
            match subscriptions::docs_subscription_list(ITEMS) {
                Ok(body) => add(bench::<models::Subscription, handwritten::Subscription>(
                    c,
                    "decode_10000_docs",
                    &body,
                )),
                Err(why) => println!("no decode_10000_docs: {why}"),
            }
        }
    }
    if std::env::args().any(|arg| arg == "--bench") {
        ratio::write_result("decode_memory.csv", &memory);
        ratio::write_result("decode_interleaved.csv", &interleaved);
    }
}

fn main() {
    let mut criterion = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(8))
        .configure_from_args();
    decode_lists(&mut criterion);
    criterion.final_summary();
}
