//! What the generator costs at compile time: for synthetic specs of 10, 100 and 1,000
//! operations, the size of the generated code, the `cargo check` time of a crate that uses
//! `pabbly::include_api!` on it, and how long the macro itself runs inside rustc.
//!
//! ```sh
//! cargo run --release -p pabbly-benches --bin compile-time              # 10, 100, 1000; 5 runs
//! cargo run --release -p pabbly-benches --bin compile-time -- 10 100 --runs 3
//! ```
//!
//! For each size it writes tiny crates under `target/pabbly-benches/compile-time/`, each with a
//! `Cargo.toml` depending on `pabbly` by path (with the workspace's `Cargo.lock`, so the same
//! dependency versions), all sharing one target directory:
//!
//! - `nN/`: `src/lib.rs` is only `pabbly::include_api!("spec.yaml");` next to the synthetic
//!   spec;
//! - `nN-expanded/`: the same crate with the macro's output pasted in as source (formatted by
//!   prettyplease): everything rustc does with the generated code, without the macro;
//! - `n0/`: no macro call and no generated code, the fixed cost of cargo and rustc.
//!
//! A first check builds the dependencies; then, `--runs` times, the crate's source is touched
//! and checked again, timing the whole `cargo check` and reading rustc's own times for the
//! front end: `parse_crate` plus `expand_crate` of `-Z time-passes` (expansion also covers the
//! serde derives of the generated types). The macro's share inside rustc — loading the macro's
//! library, running `include_api!`, lexing the source text it writes and parsing the tokens —
//! is that time for `nN` less that for `nN-expanded`, which lexes and parses the same code
//! from its file instead (a difference of two medians, so at small sizes on a busy machine
//! it can come out near zero or even below). The checks are run as
//! `cargo rustc --profile check --lib -- -Z time-passes`, which checks exactly like
//! `cargo check`. `-Z time-passes` is a nightly flag: the tool sets `RUSTC_BOOTSTRAP` to the
//! names of the measured crates, which unlocks it for those crates alone, so every dependency
//! (and every build script probing for nightly features) is built as on stable. The value is
//! the same for every crate, so that no dependency is rebuilt between them.
//!
//! Cargo builds proc macros without optimization (in every profile, unless
//! `[profile.*.build-override]` says otherwise), so `include_api!` runs unoptimized in a
//! user's build by default. Every crate is therefore measured twice: as is, and in a copy
//! (`…-optimized-macros/`) with `[profile.dev.build-override] opt-level = 3`, the setting the
//! README recommends.
//!
//! The generated code is the expansion formatted with prettyplease, counted in lines (all, and
//! code lines: neither blank nor `//` comments/docs).
//!
//! Results go to `benches/results/compile_time.csv` (and are printed).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use pabbly_benches::{
    SIZES, generated_rust_at, results_dir, synthetic, target_dir, workspace_root,
};

struct Args {
    sizes: Vec<usize>,
    runs: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut sizes = Vec::new();
    let mut runs = 5;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--runs" => {
                let value = args.next().ok_or("--runs needs a number")?;
                runs = value.parse().map_err(|_| format!("bad --runs {value:?}"))?;
            }
            "-h" | "--help" => {
                return Err(
                    "usage: compile-time [SIZE …] [--runs N]   (default sizes: 10 100 1000, \
                     runs: 5)"
                        .to_owned(),
                );
            }
            size => sizes.push(size.parse().map_err(|_| format!("bad size {size:?}"))?),
        }
    }
    if sizes.is_empty() {
        sizes = SIZES.to_vec();
    }
    Ok(Args {
        sizes,
        runs: runs.max(1),
    })
}

/// How the measured crate gets its client.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Source {
    /// `pabbly::include_api!("spec.yaml")`: the macro runs at every check.
    Macro,
    /// The macro's output pasted in as source.
    Expanded,
}

/// One measured crate of a size.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Variant {
    source: Source,
    /// With `[profile.dev.build-override] opt-level = 3`.
    optimized_macros: bool,
}

impl Variant {
    /// In the order the CSV lists them.
    const ALL: [Variant; 4] = [
        Variant {
            source: Source::Macro,
            optimized_macros: false,
        },
        Variant {
            source: Source::Macro,
            optimized_macros: true,
        },
        Variant {
            source: Source::Expanded,
            optimized_macros: false,
        },
        Variant {
            source: Source::Expanded,
            optimized_macros: true,
        },
    ];

    fn dir_name(self, operations: usize) -> String {
        let source = match self.source {
            Source::Macro => "",
            Source::Expanded => "-expanded",
        };
        let profile = if self.optimized_macros {
            "-optimized-macros"
        } else {
            ""
        };
        format!("n{operations}{source}{profile}")
    }
}

/// What the timed checks of one crate took, each list sorted.
struct Timings {
    /// The whole `cargo check`.
    check: Vec<Duration>,
    /// rustc's `parse_crate` plus `expand_crate`.
    front_end: Vec<Duration>,
}

fn median(times: &[Duration]) -> f64 {
    times
        .get(times.len() / 2)
        .map_or(f64::NAN, Duration::as_secs_f64)
}

/// One row of the results.
struct Row {
    operations: usize,
    spec_lines: usize,
    generated_lines: usize,
    code_lines: usize,
    /// By [`Variant::ALL`]; the expanded variants are not measured for the baseline.
    timings: Vec<Option<Timings>>,
}

impl Row {
    /// The median of `variant`'s [`Timings::front_end`] if `front_end`, else of its checks.
    fn median(&self, variant: Variant, front_end: bool) -> Option<f64> {
        let index = Variant::ALL.iter().position(|v| *v == variant)?;
        let timings = self.timings.get(index)?.as_ref()?;
        Some(median(if front_end {
            &timings.front_end
        } else {
            &timings.check
        }))
    }

    /// The macro's own share of the front end: the macro crate's less the expanded one's.
    fn macro_in_rustc(&self, optimized_macros: bool) -> Option<f64> {
        let crate_with = |source| Variant {
            source,
            optimized_macros,
        };
        Some(
            self.median(crate_with(Source::Macro), true)?
                - self.median(crate_with(Source::Expanded), true)?,
        )
    }
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

fn run() -> Result<(), String> {
    let args = parse_args()?;
    let root = target_dir().join("pabbly-benches").join("compile-time");
    let checker = Checker {
        target: root.join("target"),
        measured_crates: crate_names(&args.sizes),
    };
    let mut rows = Vec::new();
    // Size 0 first: the baseline, and it builds the dependencies for everyone.
    for operations in std::iter::once(0).chain(args.sizes.iter().copied()) {
        let spec = if operations == 0 {
            String::new()
        } else {
            synthetic::spec(operations)
        };
        let mut timings = Vec::new();
        let mut generated = None;
        for variant in Variant::ALL {
            if operations == 0 && variant.source == Source::Expanded {
                timings.push(None);
                continue;
            }
            let dir = root.join(variant.dir_name(operations));
            let source = write_crate(&dir, operations, &spec, variant)?;
            generated.get_or_insert(source);
            timings.push(Some(time_checks(
                &dir, operations, variant, args.runs, &checker,
            )?));
        }
        let source = generated.flatten().unwrap_or_default();
        rows.push(Row {
            operations,
            spec_lines: spec.lines().count(),
            generated_lines: source.lines().count(),
            code_lines: count_code_lines(&source),
            timings,
        });
    }
    let csv = to_csv(&rows);
    print!("{csv}");
    let out = results_dir().join("compile_time.csv");
    std::fs::create_dir_all(results_dir()).map_err(|e| e.to_string())?;
    std::fs::write(&out, csv).map_err(|e| format!("{}: {e}", out.display()))?;
    eprintln!("wrote {}", out.display());
    Ok(())
}

/// Builds the crate's dependencies, then times `runs` checks of the crate alone.
fn time_checks(
    dir: &Path,
    operations: usize,
    variant: Variant,
    runs: usize,
    checker: &Checker,
) -> Result<Timings, String> {
    let what = variant.dir_name(operations);
    eprintln!("{what}: building dependencies …");
    checker.check(dir)?;
    let mut timings = Timings {
        check: Vec::new(),
        front_end: Vec::new(),
    };
    for run in 1..=runs {
        touch(&dir.join("src").join("lib.rs"))?;
        let started = Instant::now();
        let front_end = checker.check(dir)?;
        let took = started.elapsed();
        eprintln!("{what}: check {run}/{runs}: {took:.2?} (front end {front_end:.2?})");
        timings.check.push(took);
        timings.front_end.push(front_end);
    }
    timings.check.sort();
    timings.front_end.sort();
    Ok(timings)
}

/// Writes the crate for `variant`; returns the generated source for a crate that has one.
fn write_crate(
    dir: &Path,
    operations: usize,
    spec: &str,
    variant: Variant,
) -> Result<Option<String>, String> {
    let client = workspace_root().join("client");
    let client = client.to_str().ok_or("the workspace path is not UTF-8")?;
    let manifest = format!(
        "# Written by pabbly-benches' compile-time tool.\n\
         [package]\n\
         name = \"synthetic-{}\"\n\
         version = \"0.0.0\"\n\
         edition = \"2024\"\n\
         publish = false\n\n\
         [dependencies]\n\
         pabbly = {{ path = {client:?} }}\n\n\
         # Not a member of the pabbly-rs workspace this folder sits in.\n\
         [workspace]\n{}",
        variant.dir_name(operations),
        if variant.optimized_macros {
            "\n# Build scripts and proc macros (include_api!) optimized: by default cargo builds\n\
             # them without optimization, in release builds too.\n\
             [profile.dev.build-override]\nopt-level = 3\n"
        } else {
            ""
        }
    );
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let spec_path = dir.join("spec.yaml");
    let write = |path: &Path, text: &str| {
        std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    let (lib, generated) = if operations == 0 {
        let lib = "//! Baseline: depends on pabbly, generates nothing.\n\npub use pabbly::Error;\n";
        (lib.to_owned(), None)
    } else {
        write(&spec_path, spec)?;
        let spec_file = spec_path.to_str().ok_or("the target path is not UTF-8")?;
        let generated = generated_rust_at(spec, spec_file)?;
        let lib = match variant.source {
            Source::Macro => format!(
                "//! A client generated from a synthetic spec of {operations} operations.\n\n\
                 pabbly::include_api!(\"spec.yaml\");\n"
            ),
            Source::Expanded => format!(
                "//! What `include_api!` generates for a synthetic spec of {operations} \
                 operations, as source.\n\n{generated}"
            ),
        };
        (lib, Some(generated))
    };
    write(&dir.join("Cargo.toml"), &manifest)?;
    write(&dir.join("src").join("lib.rs"), &lib)?;
    // The workspace's versions of every dependency; cargo drops the entries it does not need.
    let lock = workspace_root().join("Cargo.lock");
    if !dir.join("Cargo.lock").exists() {
        std::fs::copy(&lock, dir.join("Cargo.lock"))
            .map_err(|e| format!("{}: {e}", lock.display()))?;
    }
    Ok(generated)
}

/// Runs the checks of every measured crate.
struct Checker {
    /// The target directory all crates share.
    target: PathBuf,
    /// The crate names of every measured crate, comma-separated (see [`crate_names`]).
    measured_crates: String,
}

impl Checker {
    /// Checks the crate's library, returning rustc's front-end time for it.
    fn check(&self, dir: &Path) -> Result<Duration, String> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let output = Command::new(cargo)
            .args([
                "rustc",
                "--quiet",
                "--lib",
                "--profile",
                "check",
                "--",
                "-Ztime-passes",
            ])
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", &self.target)
            .env("RUSTC_BOOTSTRAP", &self.measured_crates)
            // The spec is found next to the manifest, never through the variable the tests use.
            .env_remove("PABBLY_SPEC_DIR")
            .output()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            return Err(format!(
                "cargo check failed in {}:\n{stderr}",
                dir.display()
            ));
        }
        front_end_time(&stderr).ok_or_else(|| {
            format!(
                "no parse_crate and expand_crate times in the output of {}:\n{stderr}",
                dir.display()
            )
        })
    }
}

/// The crate names of every crate measured for `sizes` (and the baseline), comma-separated as
/// `RUSTC_BOOTSTRAP` takes them.
fn crate_names(sizes: &[usize]) -> String {
    std::iter::once(0)
        .chain(sizes.iter().copied())
        .flat_map(|operations| Variant::ALL.map(|variant| variant.dir_name(operations)))
        .map(|name| format!("synthetic_{}", name.replace('-', "_")))
        .collect::<Vec<_>>()
        .join(",")
}

/// `parse_crate` plus `expand_crate` out of rustc's `-Z time-passes` output.
fn front_end_time(output: &str) -> Option<Duration> {
    Some(pass_time(output, "parse_crate")? + pass_time(output, "expand_crate")?)
}

/// Reads `time:   1.234; rss: … <pass>` out of rustc's `-Z time-passes` output.
fn pass_time(output: &str, pass: &str) -> Option<Duration> {
    output
        .lines()
        .filter(|line| line.split_whitespace().last() == Some(pass))
        .find_map(|line| {
            let seconds = line.strip_prefix("time:")?.split(';').next()?.trim();
            Duration::try_from_secs_f64(seconds.parse().ok()?).ok()
        })
}

/// Marks the file as changed, so the next check recompiles the crate (and reruns the macro).
fn touch(path: &Path) -> Result<(), String> {
    let file = std::fs::File::options()
        .append(true)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    file.set_modified(std::time::SystemTime::now())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Lines that are neither blank nor comments (docs included).
fn count_code_lines(source: &str) -> usize {
    source
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .count()
}

fn to_csv(rows: &[Row]) -> String {
    let mut csv = String::from(
        "operations,spec_lines,generated_lines,generated_lines_per_operation,code_lines,\
         code_lines_per_operation,check_seconds_median,check_seconds_min,check_seconds_max,\
         check_optimized_macros_seconds_median,expanded_check_seconds_median,\
         front_end_seconds_median,front_end_optimized_macros_seconds_median,\
         expanded_front_end_seconds_median,expanded_front_end_optimized_macros_seconds_median,\
         macro_in_rustc_seconds,macro_in_rustc_optimized_macros_seconds,runs\n",
    );
    let cell = |value: Option<f64>| value.map_or_else(String::new, |v| format!("{v:.3}"));
    for row in rows {
        let per_op = |lines: usize| {
            if row.operations == 0 {
                0.0
            } else {
                lines as f64 / row.operations as f64
            }
        };
        let (check, front_end) = (false, true);
        let [plain, optimized, expanded, expanded_optimized] = Variant::ALL;
        let extreme = |last: bool| {
            row.timings.first()?.as_ref().and_then(|timings| {
                let times = &timings.check;
                if last { times.last() } else { times.first() }.map(Duration::as_secs_f64)
            })
        };
        let runs = row
            .timings
            .first()
            .and_then(Option::as_ref)
            .map_or(0, |timings| timings.check.len());
        let cells = [
            row.median(plain, check),
            extreme(false),
            extreme(true),
            row.median(optimized, check),
            row.median(expanded, check),
            row.median(plain, front_end),
            row.median(optimized, front_end),
            row.median(expanded, front_end),
            row.median(expanded_optimized, front_end),
            row.macro_in_rustc(false),
            row.macro_in_rustc(true),
        ]
        .map(cell)
        .join(",");
        csv.push_str(&format!(
            "{},{},{},{:.1},{},{:.1},{cells},{runs}\n",
            row.operations,
            row.spec_lines,
            row.generated_lines,
            per_op(row.generated_lines),
            row.code_lines,
            per_op(row.code_lines),
        ));
    }
    csv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_front_end_from_time_passes() {
        let output = "time:   0.001; rss:   30MB ->   31MB (   +1MB)\tparse_crate\n\
                      time:  11.197; rss:   44MB ->  746MB ( +702MB)\texpand_crate\n\
                      time:  11.197; rss:   44MB ->  746MB ( +702MB)\tmacro_expand_crate\n";
        assert_eq!(
            front_end_time(output),
            Some(Duration::from_secs_f64(11.198))
        );
        assert_eq!(front_end_time("warning: unused\n"), None);
    }
}
