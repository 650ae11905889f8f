//! `pabbly-spec` (package `pabbly-spec-tools`, run with `cargo run -p pabbly-spec-tools --`):
//! fetches Pabbly's doc pages, imports them into spec YAML and checks the spec for drift.
//!
//! ```text
//! pabbly-spec fetch [--docs DIR] [--spec FILE] [--site URL] [--page URL]... [--only]
//! pabbly-spec import PAGE.md...                      spec entries on stdout, notes on stderr
//! pabbly-spec check [--docs DIR] [--spec FILE] [--strict]
//! pabbly-spec table [--spec FILE] [--write README.md]
//! ```
//!
//! `fetch` exits 0 when every page was had (the directory is updated) and 2 otherwise (it is
//! left as it was). `check` exits 0 when the spec is in step with its pages, 1 on drift and 2 on error; `import`
//! exits 2 when a page could not be imported. Defaults are `spec/docs` and `spec/pabbly.yaml`
//! under the workspace root: the current directory when it holds them, else the root this
//! binary was built from.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pabbly_spec_tools::fetch::{self, FetchOptions};
use pabbly_spec_tools::import::{self, Completeness, NoteKind};

const USAGE: &str = "usage:
  pabbly-spec fetch [--docs DIR] [--spec FILE] [--site URL] [--page URL]... [--only]
      Downloads the reference pages the spec's `docs:` links name, and each --page URL (a page
      the spec does not have yet), into DIR; reports pages added, removed, changed, unchanged.
      Nothing is changed unless every page is good. --site fetches from another host; --only
      fetches the --page URLs alone (a new resource's pages).
  pabbly-spec import PAGE.md...
      Prints a spec operation entry per page (paste under `operations:`); notes go to stderr.
  pabbly-spec check [--docs DIR] [--spec FILE] [--strict]
      Compares the spec with the doc pages. Exit status 0 in step, 1 drift, 2 error.
      --strict also counts pages that no operation names as drift.
  pabbly-spec table [--spec FILE] [--write README.md]
      Prints the markdown table of operations, or rewrites it in place in the README.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.split_first() {
        Some((command, rest)) if command == "fetch" => fetch(rest),
        Some((command, rest)) if command == "import" => import_pages(rest),
        Some((command, rest)) if command == "check" => check(rest),
        Some((command, rest)) if command == "table" => table(rest),
        Some((flag, _)) if flag == "-h" || flag == "--help" || flag == "help" => {
            out(&format!("{USAGE}\n"))
        }
        _ => usage_error("expected a command"),
    }
}

/// Writes to stdout. A closed pipe (`pabbly-spec import … | head`) ends the program quietly
/// instead of panicking; any other write error is reported.
fn out(text: &str) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("pabbly-spec: cannot write to stdout: {error}");
            ExitCode::from(2)
        }
    }
}

fn fetch(args: &[String]) -> ExitCode {
    let mut docs: Option<PathBuf> = None;
    let mut spec: Option<PathBuf> = None;
    let mut options = FetchOptions::default();
    let mut pages: Vec<String> = Vec::new();
    let mut only = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        if arg == "--only" {
            only = true;
            continue;
        }
        let Some(value) = rest.next() else {
            return usage_error(&format!("`{arg}` needs a value"));
        };
        match arg.as_str() {
            "--docs" => docs = Some(PathBuf::from(value)),
            "--spec" => spec = Some(PathBuf::from(value)),
            "--site" => options.site = value.clone(),
            "--page" => pages.push(value.clone()),
            other => return usage_error(&format!("unknown argument `{other}` for `fetch`")),
        }
    }
    let root = workspace_root();
    let docs = docs.unwrap_or_else(|| root.join("spec/docs"));
    let spec = spec.unwrap_or_else(|| root.join("spec/pabbly.yaml"));
    let api = match pabbly_spec::load(&spec, &spec.display().to_string()) {
        Ok(api) => api,
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            return ExitCode::from(2);
        }
    };
    let mut urls = if only {
        Vec::new()
    } else {
        fetch::page_urls(&api)
    };
    urls.extend(pages);
    if urls.is_empty() {
        return usage_error("no pages to fetch");
    }
    match fetch::fetch(&urls, &docs, &options) {
        Ok(report) => out(&report.to_string()),
        Err(error) => {
            eprintln!("pabbly-spec fetch: {error}");
            ExitCode::from(2)
        }
    }
}

fn usage_error(problem: &str) -> ExitCode {
    eprintln!("pabbly-spec: {problem}\n{USAGE}");
    ExitCode::from(2)
}

fn import_pages(files: &[String]) -> ExitCode {
    if files.is_empty() {
        return usage_error("`import` needs at least one page");
    }
    let mut failed = 0;
    let mut by_kind: BTreeMap<NoteKind, usize> = BTreeMap::new();
    let mut by_completeness: BTreeMap<&str, usize> = BTreeMap::new();
    let mut pages_with_notes = 0;
    let mut drafts = Vec::new();
    for file in files {
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("{file}: error: cannot read: {error}");
                failed += 1;
                continue;
            }
        };
        match import::import_page(&text, file) {
            Ok(imported) => {
                if !imported.notes.is_empty() {
                    pages_with_notes += 1;
                }
                for note in &imported.notes {
                    eprintln!("{note}");
                    *by_kind.entry(note.kind).or_default() += 1;
                }
                let completeness = imported
                    .draft
                    .completeness
                    .map_or("unmarked", Completeness::as_str);
                *by_completeness.entry(completeness).or_default() += 1;
                drafts.push(imported.draft);
            }
            Err(error) => {
                eprintln!("{error}");
                failed += 1;
            }
        }
    }
    let written = out(&import::to_spec_yaml(drafts));
    let imported = files.len() - failed;
    let completeness: Vec<String> = by_completeness
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect();
    let total: usize = by_kind.values().sum();
    let kinds: Vec<String> = by_kind
        .iter()
        .map(|(k, n)| format!("{n} {}", k.label()))
        .collect();
    eprintln!(
        "imported {imported} of {} page(s) ({}); {total} warning(s) on {pages_with_notes} page(s){}{}",
        files.len(),
        completeness.join(", "),
        if kinds.is_empty() {
            String::new()
        } else {
            format!(": {}", kinds.join(", "))
        },
        if failed > 0 {
            format!("; {failed} page(s) failed")
        } else {
            String::new()
        },
    );
    if failed > 0 {
        ExitCode::from(2)
    } else {
        written
    }
}

fn check(args: &[String]) -> ExitCode {
    let mut docs: Option<PathBuf> = None;
    let mut spec: Option<PathBuf> = None;
    let mut strict = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let target = match arg.as_str() {
            "--strict" => {
                strict = true;
                continue;
            }
            "--docs" => &mut docs,
            "--spec" => &mut spec,
            other => return usage_error(&format!("unknown argument `{other}` for `check`")),
        };
        match rest.next() {
            Some(value) => *target = Some(PathBuf::from(value)),
            None => return usage_error(&format!("`{arg}` needs a value")),
        }
    }
    let root = workspace_root();
    let docs = docs.unwrap_or_else(|| root.join("spec/docs"));
    let spec = spec.unwrap_or_else(|| root.join("spec/pabbly.yaml"));
    match import::check(&docs, &spec) {
        Ok(report) => {
            let written = out(&report.render(strict));
            if written != ExitCode::SUCCESS {
                written
            } else if report.has_drift(strict) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(error) => {
            eprintln!("pabbly-spec check: {error}");
            ExitCode::from(2)
        }
    }
}

/// The current directory when it is the workspace root (it holds `spec/pabbly.yaml`), else the
/// workspace this binary was built in.
fn workspace_root() -> PathBuf {
    let here = PathBuf::from(".");
    if here.join("spec/pabbly.yaml").is_file() {
        return here;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn table(args: &[String]) -> ExitCode {
    let mut spec: Option<PathBuf> = None;
    let mut write: Option<PathBuf> = None;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let slot = match arg.as_str() {
            "--spec" => &mut spec,
            "--write" => &mut write,
            other => return usage_error(&format!("unknown argument `{other}` for `table`")),
        };
        match rest.next() {
            Some(value) => *slot = Some(PathBuf::from(value)),
            None => return usage_error(&format!("`{arg}` needs a value")),
        }
    }
    let spec = spec.unwrap_or_else(|| workspace_root().join("spec/pabbly.yaml"));
    let api = match pabbly_spec::load(&spec, &spec.display().to_string()) {
        Ok(api) => api,
        Err(diagnostics) => {
            eprintln!("{diagnostics}");
            return ExitCode::from(2);
        }
    };
    let table = pabbly_spec_tools::table::operations_table(&api);
    let Some(readme) = write else {
        return out(&table);
    };
    let updated = std::fs::read_to_string(&readme)
        .map_err(|e| format!("cannot read {}: {e}", readme.display()))
        .and_then(|text| pabbly_spec_tools::table::splice(&text, &table))
        .and_then(|text| {
            std::fs::write(&readme, text)
                .map_err(|e| format!("cannot write {}: {e}", readme.display()))
        });
    match updated {
        Ok(()) => ExitCode::SUCCESS,
        Err(problem) => {
            eprintln!("pabbly-spec: {problem}");
            ExitCode::from(2)
        }
    }
}
