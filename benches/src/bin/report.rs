//! Collects one run's figures into the tables of `benches/BENCHMARKS.md`.
//!
//! ```sh
//! cargo bench -p pabbly-benches                                   # criterion, into target/criterion
//! cargo run --release -p pabbly-benches --bin compile-time        # benches/results/compile_time.csv
//! cargo run -p pabbly-benches --bin report                        # this
//! ```
//!
//! It reads criterion's estimates (`target/criterion/<group>/<bench>/new/estimates.json`), the
//! decoder's peak memory (`target/pabbly-benches/decode_memory.csv`), the interleaved ratios
//! (`target/pabbly-benches/*_interleaved.csv`) and the compile-time CSV,
//! computes every ratio from figures of the same run, writes `benches/results/runtime.csv`,
//! `benches/results/scaling.csv` (what `plot.py` draws) and `benches/results/tables.md`, and
//! prints the tables.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pabbly_benches::{SIZES, results_dir, target_dir};
use serde_json::Value;

/// A criterion estimate: the median time per iteration and its 95 % confidence interval, in ns.
#[derive(Clone, Copy, Debug)]
struct Estimate {
    median: f64,
    low: f64,
    high: f64,
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn criterion_dir() -> PathBuf {
    target_dir().join("criterion")
}

/// The estimate of `group/bench` (a bench id may contain `/`, as `synthetic/100`).
fn estimate(group: &str, bench: &str) -> Option<Estimate> {
    let path = criterion_dir()
        .join(group)
        .join(bench)
        .join("new")
        .join("estimates.json");
    let text = std::fs::read_to_string(path).ok()?;
    let json: Value = serde_json::from_str(&text).ok()?;
    let median = &json["median"];
    Some(Estimate {
        median: median["point_estimate"].as_f64()?,
        low: median["confidence_interval"]["lower_bound"].as_f64()?,
        high: median["confidence_interval"]["upper_bound"].as_f64()?,
    })
}

/// The operation count of the real spec's expansion bench (`expand/real/<n>`).
fn real_spec_bench() -> Option<String> {
    let entries = std::fs::read_dir(criterion_dir().join("expand").join("real")).ok()?;
    entries
        .filter_map(Result::ok)
        .filter_map(|entry| entry.file_name().into_string().ok())
        .find(|name| name.parse::<usize>().is_ok())
}

fn read_csv(path: &Path) -> Result<Vec<BTreeMap<String, String>>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    Ok(lines
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            header
                .iter()
                .map(|h| (*h).to_owned())
                .zip(line.split(',').map(str::to_owned))
                .collect()
        })
        .collect())
}

/// The interleaved ratios (`figure` → row) the benches wrote next to criterion's results.
fn read_interleaved() -> BTreeMap<String, BTreeMap<String, String>> {
    let dir = target_dir().join("pabbly-benches");
    ["per_call_interleaved.csv", "decode_interleaved.csv"]
        .iter()
        .filter_map(|name| read_csv(&dir.join(name)).ok())
        .flatten()
        .filter_map(|row| Some((row.get("figure")?.clone(), row)))
        .collect()
}

/// `median (q1–q3)` of an interleaved ratio, bold.
fn interleaved_cell(rows: &BTreeMap<String, BTreeMap<String, String>>, figure: &str) -> String {
    let Some(row) = rows.get(figure) else {
        return "not run".to_owned();
    };
    let field = |key: &str| {
        row.get(key)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(f64::NAN)
    };
    format!(
        "**{:.3}** ({:.3}–{:.3}, {} rounds)",
        field("ratio_median"),
        field("ratio_q1"),
        field("ratio_q3"),
        row.get("rounds").map_or("?", String::as_str)
    )
}

/// `generated lines (per op.) | code lines (per op.)` of the real spec, as expanded now.
fn real_spec_lines(ops: f64) -> String {
    let source = std::fs::read_to_string(pabbly_benches::real_spec_path())
        .map_err(|e| e.to_string())
        .and_then(|text| pabbly_benches::generated_rust(&text));
    match source {
        Ok(source) => {
            let lines = source.lines().count();
            let code = source
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty() && !line.starts_with("//"))
                .count();
            format!(
                "{lines} ({:.1}) | {code} ({:.1})",
                lines as f64 / ops,
                code as f64 / ops
            )
        }
        Err(_) => "– | –".to_owned(),
    }
}

fn time(ns: f64) -> String {
    if ns >= 1e9 {
        format!("{:.2} s", ns / 1e9)
    } else if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else if ns >= 1e3 {
        format!("{:.1} µs", ns / 1e3)
    } else {
        format!("{ns:.0} ns")
    }
}

fn mib(bytes: f64) -> String {
    format!("{:.1} MiB", bytes / 1_048_576.0)
}

/// `a / b` with the widest ratio the two confidence intervals allow.
fn ratio(a: Estimate, b: Estimate) -> (f64, f64, f64) {
    (a.median / b.median, a.low / b.high, a.high / b.low)
}

/// The table of one decoding group: time, ratios and peak heap of each approach.
fn decode_table(
    md: &mut String,
    runtime_csv: &mut String,
    interleaved: &BTreeMap<String, BTreeMap<String, String>>,
    group: &str,
    memory: &BTreeMap<String, &BTreeMap<String, String>>,
) {
    let source = memory
        .values()
        .next()
        .map(|row| {
            format!(
                "{} items from {}, {} of JSON",
                row.get("items").map_or("?", String::as_str),
                row.get("source").map_or("?", String::as_str),
                row.get("body_bytes")
                    .and_then(|b| b.parse::<f64>().ok())
                    .map_or_else(|| "?".to_owned(), mib)
            )
        })
        .unwrap_or_else(|| "memory not measured".to_owned());
    let _ = writeln!(
        md,
        "\n### Decoding a large list: `{group}` ({source})\n\n\
         | into | time | time / hand-written: criterion | interleaved (IQR) | peak heap | peak / hand-written |\n\
         |---|---|---|---|---|---|"
    );
    let hand = estimate(group, "handwritten");
    let peak = |approach: &str| {
        memory
            .get(approach)
            .and_then(|row| row.get("peak_bytes"))
            .and_then(|b| b.parse::<f64>().ok())
    };
    for (approach, label) in [
        ("generated", "generated types (`pabbly::models`)"),
        ("value", "`serde_json::Value`"),
        ("handwritten", "hand-written struct"),
    ] {
        let Some(e) = estimate(group, approach) else {
            let _ = writeln!(md, "| {label} | not run | | | | |");
            continue;
        };
        let r = hand.map_or(f64::NAN, |h| e.median / h.median);
        let p = peak(approach);
        let pr = p.zip(peak("handwritten")).map_or(f64::NAN, |(p, h)| p / h);
        let cell = match approach {
            "handwritten" => "1".to_owned(),
            other => interleaved_cell(interleaved, &format!("{group}_{other}_vs_handwritten")),
        };
        let _ = writeln!(
            md,
            "| {label} | {} | {r:.3} | {cell} | {} | {pr:.2} |",
            time(e.median),
            p.map_or_else(|| "?".to_owned(), mib)
        );
        let _ = writeln!(
            runtime_csv,
            "{group},{approach},{:.0},{:.0},{:.0},{r:.4}",
            e.median, e.low, e.high
        );
    }
}

fn run() -> Result<(), String> {
    let mut md = String::new();
    let mut runtime_csv = String::from("figure,approach,median_ns,low_ns,high_ns,ratio\n");

    let interleaved = read_interleaved();

    // Per-call overhead.
    let _ = writeln!(
        md,
        "### Per-call overhead (`portal_sessions.create` against pabbly-mock)\n\n\
         | calls | generated | hand-written | generated / hand-written: criterion (95 % CI) | interleaved (IQR) |\n\
         |---|---|---|---|---|"
    );
    for (group, function, figure, label, calls) in [
        (
            "per_call_sequential",
            "generated",
            "per_call_sequential",
            "1 at a time",
            1.0,
        ),
        (
            "per_call_concurrent_64",
            "generated",
            "per_call_concurrent_64",
            "64 concurrent (client defaults: at most 16 in flight)",
            64.0,
        ),
        (
            "per_call_concurrent_64",
            "generated_64_slots",
            "per_call_concurrent_64_slots",
            "64 concurrent, `max_concurrent_requests(64)`",
            64.0,
        ),
    ] {
        let (Some(generated), Some(hand)) =
            (estimate(group, function), estimate(group, "handwritten"))
        else {
            let _ = writeln!(md, "| {label} | not run | not run | – | – |");
            continue;
        };
        let (r, lo, hi) = ratio(generated, hand);
        let _ = writeln!(
            md,
            "| {label} | {} per call | {} per call | {r:.3} ({lo:.3}–{hi:.3}) | {} |",
            time(generated.median / calls),
            time(hand.median / calls),
            interleaved_cell(&interleaved, figure),
        );
        let _ = writeln!(
            runtime_csv,
            "{group},{function},{:.0},{:.0},{:.0},{r:.4}",
            generated.median, generated.low, generated.high
        );
        if function == "generated" {
            let _ = writeln!(
                runtime_csv,
                "{group},handwritten,{:.0},{:.0},{:.0},1.0000",
                hand.median, hand.low, hand.high
            );
        }
    }

    // Decoding, one table per group the bench ran.
    let memory = read_csv(
        &target_dir()
            .join("pabbly-benches")
            .join("decode_memory.csv"),
    )
    .unwrap_or_default();
    for group in ["decode_10000", "decode_10000_docs"] {
        let rows: BTreeMap<String, &BTreeMap<String, String>> = memory
            .iter()
            .filter(|row| row.get("group").map(String::as_str) == Some(group))
            .filter_map(|row| Some((row.get("approach")?.clone(), row)))
            .collect();
        if rows.is_empty() && estimate(group, "handwritten").is_none() {
            continue;
        }
        decode_table(&mut md, &mut runtime_csv, &interleaved, group, &rows);
    }

    // Expansion and compile time.
    let compile: BTreeMap<usize, BTreeMap<String, String>> =
        read_csv(&results_dir().join("compile_time.csv"))
            .unwrap_or_default()
            .into_iter()
            .filter_map(|row| Some((row.get("operations")?.parse().ok()?, row)))
            .collect();
    let unoptimized_rows =
        read_csv(&results_dir().join("expand_unoptimized.csv")).unwrap_or_default();
    let unoptimized = |spec: &str| -> Option<f64> {
        unoptimized_rows
            .iter()
            .find(|row| row.get("spec").map(String::as_str) == Some(spec))
            .filter(|row| row.get("optimized").map(String::as_str) == Some("false"))
            .and_then(|row| row.get("expand_seconds_median")?.parse().ok())
    };
    let baseline_check = compile
        .get(&0)
        .and_then(|row| row.get("check_seconds_median"))
        .and_then(|s| s.parse::<f64>().ok());
    let _ = writeln!(
        md,
        "\n### Expansion, generated code and `cargo check`\n\n\
         | spec | operations | expansion in process, optimized | per operation | in process, unoptimized | **macro inside rustc**, default build | **inside rustc**, optimized macros | generated lines (per op.) | code lines (per op.) | `cargo check` of the crate | minus baseline, per op. | `cargo check`, optimized macros |\n\
         |---|---|---|---|---|---|---|---|---|---|---|---|"
    );
    let mut scaling_csv = String::from(
        "operations,expand_seconds,expand_ms_per_operation,expand_unoptimized_seconds,macro_in_rustc_seconds,macro_in_rustc_optimized_macros_seconds,check_seconds,check_minus_baseline_seconds,check_optimized_macros_seconds,generated_lines,code_lines\n",
    );
    if let Some(n) = real_spec_bench()
        && let Some(e) = estimate("expand", &format!("real/{n}"))
    {
        let ops: f64 = n.parse().unwrap_or(f64::NAN);
        let _ = writeln!(
            md,
            "| real (`spec/pabbly.yaml`) | {n} | {} | {} | {} | | | {} | | | |",
            time(e.median),
            time(e.median / ops),
            unoptimized("real").map_or_else(|| "–".to_owned(), |s| time(s * 1e9)),
            real_spec_lines(ops),
        );
    }
    if let Some(base) = baseline_check {
        let _ = writeln!(
            md,
            "| none (baseline crate, no macro) | 0 | | | | | | | | {base:.2} s | | |"
        );
    }
    for n in SIZES {
        let e = estimate("expand", &format!("synthetic/{n}"));
        let row = compile.get(&n);
        let field = |key: &str| row.and_then(|r| r.get(key)).cloned();
        let check: Option<f64> = field("check_seconds_median").and_then(|s| s.parse().ok());
        let ops = n as f64;
        let lines = |total: &str, per: &str| match (field(total), field(per)) {
            (Some(t), Some(p)) => format!("{t} ({p})"),
            _ => "–".to_owned(),
        };
        let net = check.zip(baseline_check).map(|(c, b)| c - b);
        let optimized: Option<f64> =
            field("check_optimized_macros_seconds_median").and_then(|s| s.parse().ok());
        let in_rustc: Option<f64> = field("macro_in_rustc_seconds").and_then(|s| s.parse().ok());
        let in_rustc_optimized: Option<f64> =
            field("macro_in_rustc_optimized_macros_seconds").and_then(|s| s.parse().ok());
        // A difference of two medians can come out below zero when it is within the noise.
        let seconds = |s: Option<f64>| match s {
            None => "–".to_owned(),
            Some(s) if s < 0.0 => format!("−{} (noise)", time(-s * 1e9)),
            Some(s) => time(s * 1e9),
        };
        let _ = writeln!(
            md,
            "| synthetic | {n} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            e.map_or_else(|| "not run".to_owned(), |e| time(e.median)),
            e.map_or_else(|| "–".to_owned(), |e| time(e.median / ops)),
            seconds(unoptimized(&format!("synthetic-{n}"))),
            seconds(in_rustc),
            seconds(in_rustc_optimized),
            lines("generated_lines", "generated_lines_per_operation"),
            lines("code_lines", "code_lines_per_operation"),
            check.map_or_else(|| "not run".to_owned(), |c| format!("{c:.2} s")),
            net.map_or_else(|| "–".to_owned(), |s| format!("{:.1} ms", s * 1e3 / ops)),
            optimized.map_or_else(|| "–".to_owned(), |c| format!("{c:.2} s")),
        );
        let _ = writeln!(
            scaling_csv,
            "{n},{},{},{},{},{},{},{},{},{},{}",
            e.map_or_else(String::new, |e| format!("{:.6}", e.median / 1e9)),
            e.map_or_else(String::new, |e| format!("{:.4}", e.median / 1e6 / ops)),
            unoptimized(&format!("synthetic-{n}")).map_or_else(String::new, |s| format!("{s:.4}")),
            in_rustc.map_or_else(String::new, |s| format!("{s:.3}")),
            in_rustc_optimized.map_or_else(String::new, |s| format!("{s:.3}")),
            check.map_or_else(String::new, |c| format!("{c:.3}")),
            net.map_or_else(String::new, |s| format!("{s:.3}")),
            optimized.map_or_else(String::new, |c| format!("{c:.3}")),
            field("generated_lines").unwrap_or_default(),
            field("code_lines").unwrap_or_default(),
        );
    }

    let dir = results_dir();
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    for (name, text) in [
        ("runtime.csv", &runtime_csv),
        ("scaling.csv", &scaling_csv),
        ("tables.md", &md),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    print!("{md}");
    eprintln!(
        "wrote runtime.csv, scaling.csv and tables.md in {}",
        dir.display()
    );
    Ok(())
}
