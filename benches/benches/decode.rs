//! Decoding a large list response (10,000 items built from the spec's example) into the
//! generated types, into `serde_json::Value`, and into a hand-written struct: time (criterion)
//! and peak heap (a counting global allocator, measured once per approach before timing).
//!
//! ```sh
//! cargo bench -p pabbly-benches --bench decode
//! ```
//!
//! The peak bytes are printed and written to `target/pabbly-benches/decode_memory.csv`.

use std::hint::black_box;
use std::io::Write as _;
use std::time::Duration;

use criterion::{Criterion, Throughput};
use pabbly::models;
use pabbly_benches::alloc::Counting;
use pabbly_benches::handwritten::{self, Envelope};
use pabbly_benches::subscriptions::{self, ListBody};
use pabbly_benches::{ratio, real_spec_path, target_dir};
use serde::de::DeserializeOwned;
use serde_json::Value;

#[global_allocator]
static ALLOC: Counting = Counting::new();

/// Items in the list.
const ITEMS: usize = 10_000;

/// The list, and whether it is made of subscriptions (else of the portal session fallback).
fn body() -> (ListBody, bool) {
    let api = pabbly_spec::load(&real_spec_path(), "spec/pabbly.yaml").expect("the spec loads");
    match subscriptions::subscription_list(&api, ITEMS) {
        Ok(body) => (body, true),
        Err(why) => {
            eprintln!("{why}: decoding copies of the portal session example instead");
            let body = subscriptions::portal_session_list(&api, ITEMS).expect("a portal session");
            (body, false)
        }
    }
}

fn decode<T: DeserializeOwned>(bytes: &[u8]) -> T {
    serde_json::from_slice(bytes).expect("the body decodes")
}

/// Peak heap of each approach, above what was in use before it, written as CSV.
fn peak_memory<G, H>(body: &ListBody)
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

    let mut csv = String::from("approach,peak_bytes,body_bytes,items,operation\n");
    for (approach, peak) in [
        ("generated", generated_peak),
        ("value", value_peak),
        ("handwritten", hand_peak),
    ] {
        println!(
            "decode {approach}: peak heap {:.1} MiB for a {:.1} MiB body",
            peak as f64 / 1_048_576.0,
            bytes.len() as f64 / 1_048_576.0
        );
        csv.push_str(&format!(
            "{approach},{peak},{},{},{}\n",
            bytes.len(),
            body.items,
            body.operation
        ));
    }
    let dir = target_dir().join("pabbly-benches");
    let written = std::fs::create_dir_all(&dir).and_then(|()| {
        std::fs::File::create(dir.join("decode_memory.csv"))?.write_all(csv.as_bytes())
    });
    if let Err(error) = written {
        eprintln!("cannot write decode_memory.csv: {error}");
    }
}

fn bench<G, H>(c: &mut Criterion, body: &ListBody)
where
    G: DeserializeOwned,
    H: DeserializeOwned,
{
    peak_memory::<G, H>(body);
    let bytes = body.bytes.as_slice();
    let mut group = c.benchmark_group("decode_10000");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("generated", |b| {
        b.iter(|| decode::<Envelope<Vec<G>>>(black_box(bytes)));
    });
    group.bench_function("value", |b| b.iter(|| decode::<Value>(black_box(bytes))));
    group.bench_function("handwritten", |b| {
        b.iter(|| decode::<Envelope<Vec<H>>>(black_box(bytes)));
    });
    group.finish();

    // The ratios again, interleaved round by round (see `pabbly_benches::ratio`).
    let full = std::env::args().any(|arg| arg == "--bench");
    let rounds = if full { 30 } else { 1 };
    let mut csv = String::from(ratio::CSV_HEADER);
    for (figure, result) in [
        (
            "decode_generated_vs_handwritten",
            ratio::interleave(
                rounds,
                || drop(black_box(decode::<Envelope<Vec<G>>>(bytes))),
                || drop(black_box(decode::<Envelope<Vec<H>>>(bytes))),
            ),
        ),
        (
            "decode_value_vs_handwritten",
            ratio::interleave(
                rounds,
                || drop(black_box(decode::<Value>(bytes))),
                || drop(black_box(decode::<Envelope<Vec<H>>>(bytes))),
            ),
        ),
    ] {
        println!(
            "{figure} interleaved: {:.3} (IQR {:.3}–{:.3}) over {} rounds",
            result.ratio[1], result.ratio[0], result.ratio[2], result.rounds
        );
        csv.push_str(&result.csv_line(figure));
    }
    if full {
        ratio::write_result("decode_interleaved.csv", &csv);
    }
}

fn decode_list(c: &mut Criterion) {
    match body() {
        (body, true) => bench::<models::Subscription, handwritten::Subscription>(c, &body),
        (body, false) => bench::<models::PortalSession, handwritten::PortalSession>(c, &body),
    }
}

fn main() {
    let mut criterion = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(8))
        .configure_from_args();
    decode_list(&mut criterion);
    criterion.final_summary();
}
