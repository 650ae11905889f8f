//! Macro expansion time: what `include_api!` does for a spec (`pabbly_spec::load_str`, then
//! `pabbly_codegen::expand`), for the real spec and for synthetic specs of 10, 100 and 1,000
//! operations. The spec text is generated before timing; reading the file is not timed.
//! `expand_parts` times the two halves separately.
//!
//! ```sh
//! cargo bench -p pabbly-benches --bench expand
//! ```

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput};
use pabbly_benches::{SIZES, expand_spec, real_spec_path, synthetic};

fn expand(c: &mut Criterion) {
    let mut group = c.benchmark_group("expand");
    let real = std::fs::read_to_string(real_spec_path()).expect("spec/pabbly.yaml is readable");
    let real_ops = pabbly_spec::load_str(&real, "spec.yaml")
        .map(|api| api.operations().count())
        .expect("the real spec loads");
    group.throughput(Throughput::Elements(real_ops as u64));
    group.bench_function(BenchmarkId::new("real", real_ops), |b| {
        b.iter(|| black_box(expand_spec(black_box(&real))));
    });
    for n in SIZES {
        let text = synthetic::spec(n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(BenchmarkId::new("synthetic", n), |b| {
            b.iter(|| black_box(expand_spec(black_box(&text))));
        });
    }
    group.finish();

    // The same, split: loading (parse, check, lower, check the examples) and expanding alone.
    let mut group = c.benchmark_group("expand_parts");
    for n in SIZES {
        let text = synthetic::spec(n);
        let api = pabbly_spec::load_str(&text, "spec.yaml").expect("the synthetic spec loads");
        let options = pabbly_codegen::Options {
            spec_file: Some("/spec.yaml"),
            crate_name: Some("pabbly"),
            operation_registry: false,
            blocking: false,
        };
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(BenchmarkId::new("load", n), |b| {
            b.iter(|| black_box(pabbly_spec::load_str(black_box(&text), "spec.yaml")));
        });
        group.bench_function(BenchmarkId::new("codegen", n), |b| {
            b.iter(|| black_box(pabbly_codegen::expand(black_box(&api), options)));
        });
    }
    group.finish();
}

fn main() {
    let mut criterion = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    expand(&mut criterion);
    criterion.final_summary();
}
