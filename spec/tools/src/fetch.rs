//! Downloading Pabbly's reference pages into `spec/docs/` (`pabbly-spec fetch`).
//!
//! Pabbly serves each reference page as markdown at the page's URL with `.md` appended. The
//! pages to fetch are the `docs:` links of the spec's operations ([`page_urls`]) plus any the
//! maintainer names (new pages); each is saved under its canonical file name, `<section>__<slug>.md`
//! for `…/subscription-billing/<section>/<slug>` ([`file_name`]).
//!
//! Politeness and robustness: at most [`FetchOptions::concurrency`] requests at once, a timeout
//! per request, retries on 429 and 5xx with doubling delays (a `Retry-After` in seconds is
//! honoured, capped at [`MAX_RETRY_AFTER`]), and a size limit per page. A page is accepted only
//! when it is UTF-8 markdown in the reference format (a `# METHOD /path — Title` heading, no
//! code block left open) whose `> Canonical:` link is the one asked for. HTML, an empty or cut
//! body, a page in another format and a 404 for a page the directory does not have yet are
//! errors.
//!
//! The run is all or nothing: every page is downloaded and checked first, and `spec/docs/` is
//! changed only when all of them are good, so a bad answer never replaces a good page. A 404
//! for a page the directory has means Pabbly removed it: the file is deleted (and `check` then
//! reports the operations that name it), unless every page answers 404, which says the site is
//! wrong rather than the pages gone. Files are written through a temporary file and a rename.
//! Files in the directory that no URL names are left alone.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use futures_util::StreamExt as _;

use crate::import::{DocPage, NoteKind};
use pabbly_spec::ir::Api;

/// Where the reference lives; `docs:` links start with it.
pub const DOCS_SITE: &str = "https://www.pabbly.com";

/// The longest `Retry-After` honoured; a longer one is waited this long.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// The canonical path every page's link starts with.
const CANONICAL_ROOT: &str = "/subscription-billing/";

/// How `fetch` talks to the site.
#[derive(Clone, Debug)]
pub struct FetchOptions {
    /// Scheme and host to fetch from instead of [`DOCS_SITE`] (a mirror, or a test server).
    pub site: String,
    /// Requests under way at once.
    pub concurrency: usize,
    /// Limit for one request, from sending it to the end of its body.
    pub timeout: Duration,
    /// Further attempts after a 429, a 5xx or a failed connection.
    pub retries: u32,
    /// The delay before the first retry; it doubles for each further one.
    pub backoff: Duration,
    /// The largest page accepted, in bytes.
    pub max_bytes: usize,
}

impl Default for FetchOptions {
    fn default() -> Self {
        FetchOptions {
            site: DOCS_SITE.to_owned(),
            concurrency: 4,
            timeout: Duration::from_secs(30),
            retries: 4,
            backoff: Duration::from_millis(500),
            max_bytes: 1 << 20,
        }
    }
}

/// What a successful `fetch` changed in the docs directory. Each list holds file names, sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FetchReport {
    /// Pages that were not in the directory.
    pub added: Vec<String>,
    /// Pages the site no longer has (it answered 404 or 410); their files were deleted.
    pub removed: Vec<String>,
    /// Pages whose text changed, with how much.
    pub changed: Vec<(String, DiffSummary)>,
    /// Pages as they were.
    pub unchanged: Vec<String>,
}

/// How much a page changed, in lines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiffSummary {
    /// Lines the new page has that the old one did not.
    pub added: usize,
    /// Lines the old page had that the new one does not.
    pub removed: usize,
    /// The first line of the new page that differs (1-based).
    pub first: usize,
}

/// Why `fetch` changed nothing.
#[derive(Debug)]
pub enum FetchError {
    /// A URL is not a reference page's URL.
    BadUrl {
        /// The URL.
        url: String,
        /// What is wrong with it.
        problem: String,
    },
    /// Some pages could not be had; the directory was left untouched.
    Pages(Vec<PageFailure>),
    /// Every page answered 404: the site is wrong, not the pages gone.
    AllMissing {
        /// How many pages were asked for.
        count: usize,
    },
    /// The docs directory cannot be read or written.
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
}

/// One page that could not be had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageFailure {
    /// The URL asked for (with `.md`).
    pub url: String,
    /// What went wrong.
    pub problem: String,
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::BadUrl { url, problem } => write!(f, "{url}: {problem}"),
            FetchError::Pages(failures) => {
                write!(
                    f,
                    "{} page(s) could not be fetched; nothing was changed",
                    failures.len()
                )?;
                for failure in failures {
                    write!(f, "\n  {}: {}", failure.url, failure.problem)?;
                }
                Ok(())
            }
            FetchError::AllMissing { count } => write!(
                f,
                "all {count} page(s) answered 404: is the site right? nothing was changed"
            ),
            FetchError::Io { path, error } => write!(f, "{}: {error}", path.display()),
        }
    }
}

impl std::error::Error for FetchError {}

impl fmt::Display for FetchReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for file in &self.added {
            writeln!(f, "added:     {file}")?;
        }
        for file in &self.removed {
            writeln!(f, "removed:   {file}")?;
        }
        for (file, diff) in &self.changed {
            writeln!(
                f,
                "changed:   {file} (+{} -{} lines, first at line {})",
                diff.added, diff.removed, diff.first
            )?;
        }
        writeln!(
            f,
            "{} added, {} removed, {} changed, {} unchanged",
            self.added.len(),
            self.removed.len(),
            self.changed.len(),
            self.unchanged.len()
        )
    }
}

/// The `docs:` links of the spec's operations, sorted, each once.
pub fn page_urls(api: &Api) -> Vec<String> {
    let mut urls: Vec<String> = api
        .operations()
        .filter_map(|op| op.docs_url.clone())
        .filter(|url| url.contains(CANONICAL_ROOT))
        .collect();
    urls.sort();
    urls.dedup();
    urls
}

/// The file a page is saved as: `…/subscription-billing/plans/create-plan` → `plans__create-plan.md`.
///
/// # Errors
/// When the URL's path is not `/subscription-billing/<section>/<slug>`.
pub fn file_name(url: &str) -> Result<String, FetchError> {
    let bad = |problem: &str| FetchError::BadUrl {
        url: url.to_owned(),
        problem: problem.to_owned(),
    };
    let path = canonical_path(url).ok_or_else(|| {
        bad("not a reference page URL (expected …/subscription-billing/<section>/<slug>)")
    })?;
    let rest = &path[CANONICAL_ROOT.len()..];
    let parts: Vec<&str> = rest.split('/').collect();
    let slug_ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    match parts.as_slice() {
        [section, slug] if slug_ok(section) && slug_ok(slug) => Ok(format!("{section}__{slug}.md")),
        _ => Err(bad(
            "the path must be /subscription-billing/<section>/<slug> in lowercase letters, digits and dashes",
        )),
    }
}

/// The path of a URL from `/subscription-billing/` on, without query or fragment.
fn canonical_path(url: &str) -> Option<&str> {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = &after_scheme[after_scheme.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let path = path.strip_suffix(".md").unwrap_or(path);
    path.starts_with(CANONICAL_ROOT).then_some(path)
}

/// Downloads the pages at `urls` into `docs` and reports what changed (see the module docs).
///
/// # Errors
/// When a URL is not a page's, any page cannot be had (then nothing is changed), or the
/// directory cannot be read or written.
pub fn fetch(
    urls: &[String],
    docs: &Path,
    options: &FetchOptions,
) -> Result<FetchReport, FetchError> {
    let mut wanted: Vec<(String, String, String)> = Vec::new();
    for url in urls {
        let file = file_name(url)?;
        if wanted.iter().any(|(_, f, _)| *f == file) {
            continue;
        }
        let path = canonical_path(url).unwrap_or_default();
        let target = format!("{}{path}.md", options.site.trim_end_matches('/'));
        wanted.push((target, file, path.to_owned()));
    }
    wanted.sort_by(|a, b| a.1.cmp(&b.1));
    let answers = download_all(&wanted, options)?;
    let mut failures = Vec::new();
    let mut pages: Vec<(String, Option<String>)> = Vec::new();
    for ((url, file, _), answer) in wanted.iter().zip(answers) {
        let local = docs.join(file);
        match answer {
            Ok(Answer::Page(text)) => pages.push((file.clone(), Some(text))),
            Ok(Answer::Gone) if local.is_file() => pages.push((file.clone(), None)),
            Ok(Answer::Gone) => failures.push(PageFailure {
                url: url.clone(),
                problem: "not found (404), and the docs directory does not have it either"
                    .to_owned(),
            }),
            Err(problem) => failures.push(PageFailure {
                url: url.clone(),
                problem,
            }),
        }
    }
    if !failures.is_empty() {
        return Err(FetchError::Pages(failures));
    }
    if !pages.is_empty() && pages.iter().all(|(_, text)| text.is_none()) {
        return Err(FetchError::AllMissing { count: pages.len() });
    }
    apply(docs, pages)
}

/// Writes the downloaded pages, deletes the removed ones and says what changed.
fn apply(docs: &Path, pages: Vec<(String, Option<String>)>) -> Result<FetchReport, FetchError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |error| FetchError::Io { path, error }
    };
    let mut report = FetchReport::default();
    for (file, text) in pages {
        let local = docs.join(&file);
        let old = match std::fs::read_to_string(&local) {
            Ok(old) => Some(old),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => None,
            Err(error) => return Err(FetchError::Io { path: local, error }),
        };
        match (old, text) {
            (_, None) => {
                std::fs::remove_file(&local).map_err(io(&local))?;
                report.removed.push(file);
            }
            (Some(old), Some(new)) if old == new => report.unchanged.push(file),
            (old, Some(new)) => {
                let temporary = docs.join(format!(".{file}.fetching"));
                std::fs::write(&temporary, &new).map_err(io(&temporary))?;
                std::fs::rename(&temporary, &local).map_err(io(&local))?;
                match old {
                    Some(old) => report.changed.push((file, diff_summary(&old, &new))),
                    None => report.added.push(file),
                }
            }
        }
    }
    Ok(report)
}

/// Lines added and removed between two texts, and where the first difference is.
pub fn diff_summary(old: &str, new: &str) -> DiffSummary {
    let diff = similar::TextDiff::from_lines(old, new);
    let mut summary = DiffSummary {
        added: 0,
        removed: 0,
        first: 0,
    };
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Equal => continue,
            similar::ChangeTag::Insert => summary.added += 1,
            similar::ChangeTag::Delete => summary.removed += 1,
        }
        if summary.first == 0 {
            summary.first = change.new_index().or(change.old_index()).unwrap_or(0) + 1;
        }
    }
    summary
}

/// A good answer for one page.
enum Answer {
    /// The page's markdown, checked.
    Page(String),
    /// 404 or 410.
    Gone,
}

fn download_all(
    wanted: &[(String, String, String)],
    options: &FetchOptions,
) -> Result<Vec<Result<Answer, String>>, FetchError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| FetchError::Io {
            path: PathBuf::from("<tokio runtime>"),
            error,
        })?;
    let client = reqwest::Client::builder()
        .user_agent(concat!(
            "pabbly-spec/",
            env!("CARGO_PKG_VERSION"),
            " (reference pages for pabbly-rs)"
        ))
        .connect_timeout(options.timeout)
        .redirect(reqwest::redirect::Policy::limited(5))
        .tls_backend_preconfigured(tls_config().map_err(|error| FetchError::Io {
            path: PathBuf::from("<TLS settings>"),
            error: std::io::Error::other(error),
        })?)
        .build()
        .map_err(|error| FetchError::Io {
            path: PathBuf::from("<http client>"),
            error: std::io::Error::other(error),
        })?;
    Ok(runtime.block_on(async {
        futures_util::stream::iter(
            wanted
                .iter()
                .map(|(url, _, canonical)| download(&client, url, canonical, options)),
        )
        .buffered(options.concurrency.max(1))
        .collect::<Vec<_>>()
        .await
    }))
}

/// rustls with *ring* and Mozilla's roots, as the `pabbly` client uses: the workspace enables no
/// crypto provider through reqwest's features (see the workspace `Cargo.toml`).
fn tls_config() -> Result<rustls::ClientConfig, rustls::Error> {
    let ring = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let builder = rustls::ClientConfig::builder_with_provider(ring)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots);
    Ok(builder.with_no_client_auth())
}

/// One page with retries; `Err` says what is wrong with the last answer.
async fn download(
    client: &reqwest::Client,
    url: &str,
    canonical: &str,
    options: &FetchOptions,
) -> Result<Answer, String> {
    let mut attempt = 0;
    loop {
        let outcome = tokio::time::timeout(options.timeout, attempt_once(client, url, options))
            .await
            .unwrap_or_else(|_| {
                Err(Attempt::Retry(
                    format!("no complete answer within {:?}", options.timeout),
                    None,
                ))
            });
        match outcome {
            Ok(Answer::Page(text)) => return check_page(text, url, canonical).map(Answer::Page),
            Ok(Answer::Gone) => return Ok(Answer::Gone),
            Err(Attempt::Fatal(problem)) => return Err(problem),
            Err(Attempt::Retry(problem, retry_after)) => {
                if attempt >= options.retries {
                    return Err(format!(
                        "{problem} (gave up after {} attempts)",
                        attempt + 1
                    ));
                }
                let backoff = options.backoff.saturating_mul(1 << attempt.min(16));
                tokio::time::sleep(retry_after.map_or(backoff, |after| after.min(MAX_RETRY_AFTER)))
                    .await;
                attempt += 1;
            }
        }
    }
}

/// Why one attempt gave no page.
enum Attempt {
    /// Worth another try, after the server's `Retry-After` if it gave one.
    Retry(String, Option<Duration>),
    /// Asking again will not help.
    Fatal(String),
}

async fn attempt_once(
    client: &reqwest::Client,
    url: &str,
    options: &FetchOptions,
) -> Result<Answer, Attempt> {
    let mut response = client
        .get(url)
        .header(reqwest::header::ACCEPT, "text/markdown, text/plain;q=0.9")
        .send()
        .await
        .map_err(|error| {
            Attempt::Retry(format!("request failed: {}", error_chain(&error)), None)
        })?;
    let status = response.status();
    if status == reqwest::StatusCode::NOT_FOUND || status == reqwest::StatusCode::GONE {
        return Ok(Answer::Gone);
    }
    if status == reqwest::StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        return Err(Attempt::Retry(format!("HTTP {status}"), retry_after));
    }
    if !status.is_success() {
        return Err(Attempt::Fatal(format!("HTTP {status}")));
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if content_type.contains("html") {
        return Err(Attempt::Fatal(format!(
            "an HTML page ({content_type}), not markdown"
        )));
    }
    if response
        .content_length()
        .is_some_and(|n| n > options.max_bytes as u64)
    {
        return Err(Attempt::Fatal(format!(
            "the page is larger than {} bytes",
            options.max_bytes
        )));
    }
    let mut body: Vec<u8> = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > options.max_bytes {
                    return Err(Attempt::Fatal(format!(
                        "the page is larger than {} bytes",
                        options.max_bytes
                    )));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => break,
            Err(error) => {
                return Err(Attempt::Retry(
                    format!(
                        "truncated: the body ended after {} bytes ({})",
                        body.len(),
                        error_chain(&error)
                    ),
                    None,
                ));
            }
        }
    }
    String::from_utf8(body)
        .map(Answer::Page)
        .map_err(|_| Attempt::Fatal("the page is not UTF-8 text".to_owned()))
}

/// Accepts a downloaded page only in the reference format and at the canonical path asked for.
fn check_page(text: String, url: &str, canonical: &str) -> Result<String, String> {
    let start = text.trim_start().to_ascii_lowercase();
    if start.starts_with("<!doctype") || start.starts_with("<html") {
        return Err("an HTML page, not markdown".to_owned());
    }
    if text.trim().is_empty() {
        return Err("an empty page".to_owned());
    }
    let (page, notes) = DocPage::parse(&text, url).map_err(|error| {
        format!(
            "not a reference page: line {}: {}",
            error.position.line, error.message
        )
    })?;
    if let Some(note) = notes.iter().find(|n| n.kind == NoteKind::Truncated) {
        return Err(format!(
            "truncated: line {}: {}",
            note.line(),
            note.diagnostic.message
        ));
    }
    match page.canonical {
        Some(link) if link.value == canonical => Ok(text),
        Some(link) => Err(format!(
            "the page's canonical link is {}, not {canonical}",
            link.value
        )),
        None => Err("the page has no `> Canonical:` link".to_owned()),
    }
}

/// An error and its sources, for messages about failed requests.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}
