//! What the generator costs at compile time: for synthetic specs of 10, 100 and 1,000
//! operations, the size of the generated code and the `cargo check` time of a crate that uses
//! `pabbly::include_api!` on it.
//!
//! ```sh
//! cargo run --release -p pabbly-benches --bin compile-time              # 10, 100, 1000; 5 runs
//! cargo run --release -p pabbly-benches --bin compile-time -- 10 100 --runs 3
//! ```
//!
//! For each size it writes a tiny crate under `target/pabbly-benches/compile-time/nN/`: the
//! synthetic spec, a `Cargo.toml` depending on `pabbly` by path (with the workspace's
//! `Cargo.lock`, so the same dependency versions), and `src/lib.rs` holding only
//! `pabbly::include_api!("spec.yaml");`. All sizes share one target directory. A first
//! `cargo check` builds the dependencies; then, `--runs` times, the crate's source is touched
//! and `cargo check` is timed: that is the macro expanding plus rustc checking what it
//! generated. A crate with no macro call (size 0) gives the fixed cost of cargo and rustc.
//!
//! Cargo builds proc macros without optimization (in every profile, unless
//! `[profile.*.build-override]` says otherwise), so `include_api!` runs unoptimized in a
//! user's build. Each size is therefore checked twice: as is, and in a copy of the crate
//! (`nN-optimized-macros/`) with `[profile.dev.build-override] opt-level = 3`.
//!
//! The generated code is the expansion formatted with prettyplease, counted in lines (all, and
//! code lines: neither blank nor `//` comments/docs).
//!
//! Results go to `benches/results/compile_time.csv` (and are printed).

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use pabbly_benches::{SIZES, generated_rust, results_dir, synthetic, target_dir, workspace_root};

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

/// One row of the results.
struct Row {
    operations: usize,
    spec_lines: usize,
    generated_lines: usize,
    code_lines: usize,
    /// `cargo check` with the default dev profile: proc macros built without optimization.
    check: Vec<Duration>,
    /// The same with `[profile.dev.build-override] opt-level = 3`: the macro optimized.
    check_optimized: Vec<Duration>,
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
    let shared_target = root.join("target");
    let mut rows = Vec::new();
    // Size 0 first: the baseline, and it builds the dependencies for everyone.
    for operations in std::iter::once(0).chain(args.sizes.iter().copied()) {
        let dir = root.join(format!("n{operations}"));
        let spec = if operations == 0 {
            String::new()
        } else {
            synthetic::spec(operations)
        };
        let check = time_checks(&dir, operations, &spec, false, args.runs, &shared_target)?;
        let optimized = root.join(format!("n{operations}-optimized-macros"));
        let check_optimized = time_checks(
            &optimized,
            operations,
            &spec,
            true,
            args.runs,
            &shared_target,
        )?;
        let (generated_lines, code_lines) = if operations == 0 {
            (0, 0)
        } else {
            let source = generated_rust(&spec)?;
            (source.lines().count(), count_code_lines(&source))
        };
        rows.push(Row {
            operations,
            spec_lines: spec.lines().count(),
            generated_lines,
            code_lines,
            check,
            check_optimized,
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

/// Writes the crate, builds its dependencies, then times `runs` checks of the crate alone.
fn time_checks(
    dir: &Path,
    operations: usize,
    spec: &str,
    optimized_macros: bool,
    runs: usize,
    shared_target: &Path,
) -> Result<Vec<Duration>, String> {
    let what = if optimized_macros {
        "optimized macros"
    } else {
        "default profile"
    };
    write_crate(dir, operations, spec, optimized_macros)?;
    eprintln!("n = {operations}, {what}: building dependencies …");
    cargo_check(dir, shared_target)?;
    let mut check = Vec::new();
    for run in 1..=runs {
        touch(&dir.join("src").join("lib.rs"))?;
        let started = Instant::now();
        cargo_check(dir, shared_target)?;
        let took = started.elapsed();
        eprintln!("n = {operations}, {what}: check {run}/{runs}: {took:.2?}");
        check.push(took);
    }
    check.sort();
    Ok(check)
}

fn write_crate(
    dir: &Path,
    operations: usize,
    spec: &str,
    optimized_macros: bool,
) -> Result<(), String> {
    let client = workspace_root().join("client");
    let client = client.to_str().ok_or("the workspace path is not UTF-8")?;
    let manifest = format!(
        "# Written by pabbly-benches' compile-time tool.\n\
         [package]\n\
         name = \"synthetic-n{operations}\"\n\
         version = \"0.0.0\"\n\
         edition = \"2024\"\n\
         publish = false\n\n\
         [dependencies]\n\
         pabbly = {{ path = {client:?} }}\n\n\
         # Not a member of the pabbly-rs workspace this folder sits in.\n\
         [workspace]\n{}",
        if optimized_macros {
            "\n# Build scripts and proc macros (include_api!) optimized: by default cargo builds\n\
             # them without optimization, in release builds too.\n\
             [profile.dev.build-override]\nopt-level = 3\n"
        } else {
            ""
        }
    );
    let lib = if operations == 0 {
        "//! Baseline: depends on pabbly, generates nothing.\n\npub use pabbly::Error;\n".to_owned()
    } else {
        format!(
            "//! A client generated from a synthetic spec of {operations} operations.\n\n\
             pabbly::include_api!(\"spec.yaml\");\n"
        )
    };
    let write = |path: PathBuf, text: &str| {
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    write(dir.join("Cargo.toml"), &manifest)?;
    write(dir.join("src").join("lib.rs"), &lib)?;
    if operations > 0 {
        write(dir.join("spec.yaml"), spec)?;
    }
    // The workspace's versions of every dependency; cargo drops the entries it does not need.
    let lock = workspace_root().join("Cargo.lock");
    if !dir.join("Cargo.lock").exists() {
        std::fs::copy(&lock, dir.join("Cargo.lock"))
            .map_err(|e| format!("{}: {e}", lock.display()))?;
    }
    Ok(())
}

fn cargo_check(dir: &Path, target: &Path) -> Result<(), String> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["check", "--quiet", "--lib"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        // The spec is found next to the manifest, never through the variable the tests use.
        .env_remove("PABBLY_SPEC_DIR")
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(format!(
            "cargo check failed in {}:\n{}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr)
        ))
    }
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
         check_optimized_macros_seconds_median,runs\n",
    );
    for row in rows {
        let per_op = |lines: usize| {
            if row.operations == 0 {
                0.0
            } else {
                lines as f64 / row.operations as f64
            }
        };
        let median = row.check[row.check.len() / 2].as_secs_f64();
        let min = row.check.first().map_or(0.0, Duration::as_secs_f64);
        let max = row.check.last().map_or(0.0, Duration::as_secs_f64);
        let optimized = row.check_optimized[row.check_optimized.len() / 2].as_secs_f64();
        csv.push_str(&format!(
            "{},{},{},{:.1},{},{:.1},{median:.3},{min:.3},{max:.3},{optimized:.3},{}\n",
            row.operations,
            row.spec_lines,
            row.generated_lines,
            per_op(row.generated_lines),
            row.code_lines,
            per_op(row.code_lines),
            row.check.len()
        ));
    }
    csv
}
