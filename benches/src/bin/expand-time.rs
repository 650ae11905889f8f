//! Macro expansion time as a user's build pays it: `cargo` builds proc macros without
//! optimization, so `include_api!` runs unoptimized code. Run this binary in the dev profile to
//! time the same `load + expand` as the `expand` criterion bench, unoptimized:
//!
//! ```sh
//! cargo run -p pabbly-benches --bin expand-time            # sizes 10 100 1000, 5 runs each
//! ```
//!
//! It prints the median per size and writes `benches/results/expand_unoptimized.csv`.

use std::process::ExitCode;
use std::time::Instant;

use pabbly_benches::ratio::quartiles;
use pabbly_benches::{SIZES, expand_spec, real_spec_path, results_dir, synthetic};

const RUNS: usize = 5;

fn main() -> ExitCode {
    let optimized = !cfg!(debug_assertions);
    if optimized {
        eprintln!(
            "note: built with optimizations; run without --release to time what a build pays"
        );
    }
    let mut csv = String::from("spec,operations,expand_seconds_median,optimized\n");
    let real = match std::fs::read_to_string(real_spec_path()) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("error: spec/pabbly.yaml: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut specs = vec![("real".to_owned(), real)];
    specs.extend(SIZES.map(|n| (format!("synthetic-{n}"), synthetic::spec(n))));
    for (name, text) in specs {
        let operations = pabbly_spec::load_str(&text, "spec.yaml")
            .map(|api| api.operations().count())
            .unwrap_or(0);
        let mut times = Vec::new();
        for _ in 0..RUNS {
            let started = Instant::now();
            let tokens = match expand_spec(&text) {
                Ok(tokens) => tokens,
                Err(diagnostics) => {
                    eprintln!("error: {name} does not load:\n{diagnostics}");
                    return ExitCode::FAILURE;
                }
            };
            times.push(started.elapsed().as_secs_f64());
            drop(tokens);
        }
        let median = quartiles(&mut times)[1];
        println!("{name} ({operations} operations): {median:.3} s");
        csv.push_str(&format!("{name},{operations},{median:.4},{optimized}\n"));
    }
    let path = results_dir().join("expand_unoptimized.csv");
    if let Err(error) = std::fs::write(&path, csv) {
        eprintln!("error: {}: {error}", path.display());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
