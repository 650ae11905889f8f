//! `fetch` against a loopback server that serves reference pages: changed, added, removed and
//! broken ones. A good run reports exactly what the server changed; any bad answer leaves the
//! docs directory as it was.

use std::collections::BTreeMap;
use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use pabbly_spec_tools::fetch::{self, DiffSummary, FetchError, FetchOptions, FetchReport};

/// What the server answers for one path.
#[derive(Clone)]
enum Route {
    /// 200 with this markdown.
    Page(String),
    /// 200 with this body labelled `text/html`.
    Html(String),
    /// A `Content-Length` longer than the body, then the connection closes.
    Truncated(String),
    /// This status and an empty body.
    Status(u16),
    /// These statuses in turn, then the page.
    Flaky(Vec<u16>, String),
}

/// A one-thread HTTP/1.1 server on 127.0.0.1, stopped when dropped.
struct Server {
    port: u16,
    stop: Arc<AtomicBool>,
    hits: Arc<Mutex<Vec<String>>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    fn start(routes: BTreeMap<String, Route>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("address").port();
        let stop = Arc::new(AtomicBool::new(false));
        let hits = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (stop, hits) = (stop.clone(), hits.clone());
            let mut routes = routes;
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    if let Ok(stream) = stream {
                        serve(stream, &mut routes, &hits);
                    }
                }
            })
        };
        Server {
            port,
            stop,
            hits,
            thread: Some(thread),
        }
    }

    fn site(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn hits(&self, path: &str) -> usize {
        let hits = self.hits.lock().expect("hits");
        hits.iter().filter(|h| *h == path).count()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(mut stream: TcpStream, routes: &mut BTreeMap<String, Route>, hits: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut request = Vec::new();
    let mut buffer = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buffer[..n]),
        }
    }
    let text = String::from_utf8_lossy(&request);
    let path = text.split_whitespace().nth(1).unwrap_or("/").to_owned();
    hits.lock().expect("hits").push(path.clone());
    let route = routes.get_mut(&path).cloned().unwrap_or(Route::Status(404));
    let (status, content_type, body, declared) = match route {
        Route::Page(page) => (200, "text/markdown; charset=utf-8", page, None),
        Route::Html(page) => (200, "text/html; charset=utf-8", page, None),
        Route::Truncated(page) => {
            let declared = page.len() + 500;
            (200, "text/markdown", page, Some(declared))
        }
        Route::Status(status) => (status, "text/plain", String::new(), None),
        Route::Flaky(mut statuses, page) => {
            if statuses.is_empty() {
                (200, "text/markdown", page, None)
            } else {
                let status = statuses.remove(0);
                routes.insert(path, Route::Flaky(statuses, page));
                (status, "text/plain", String::new(), None)
            }
        }
    };
    let length = declared.unwrap_or(body.len());
    let retry_after = if status == 429 {
        "Retry-After: 0\r\n"
    } else {
        ""
    };
    let head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {length}\r\n{retry_after}Connection: close\r\n\r\n"
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(body.as_bytes());
}

/// A page in the reference format.
fn page(section: &str, slug: &str, description: &str) -> String {
    format!(
        "<!-- completeness: full -->\n# GET /{section}/{{{{id}}}} — {slug}\n\n> Canonical: `/subscription-billing/{section}/{slug}`\n\n{description}\n\n**Path parameters:**\n\n| Name | Type | Required | Description |\n|------|------|----------|-------------|\n| id | string | Yes |  |\n"
    )
}

fn url(section: &str, slug: &str) -> String {
    format!("https://www.pabbly.com/subscription-billing/{section}/{slug}")
}

fn route(section: &str, slug: &str) -> String {
    format!("/subscription-billing/{section}/{slug}.md")
}

fn options(server: &Server) -> FetchOptions {
    FetchOptions {
        site: server.site(),
        backoff: Duration::from_millis(1),
        retries: 3,
        ..FetchOptions::default()
    }
}

/// Every file in the directory with its text.
fn snapshot(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .expect("docs dir")
        .map(|entry| {
            let entry = entry.expect("entry");
            let text = std::fs::read_to_string(entry.path()).expect("file");
            (entry.file_name().to_string_lossy().into_owned(), text)
        })
        .collect()
}

/// A docs directory with an unchanged, a changed, a removed and an unrelated page.
fn docs_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (file, text) in [
        ("a__same.md", page("a", "same", "Same.")),
        ("a__changed.md", page("a", "changed", "Old words.")),
        ("a__removed.md", page("a", "removed", "Going.")),
        (
            "z__local-only.md",
            "not a page the index names\n".to_owned(),
        ),
    ] {
        std::fs::write(dir.path().join(file), text).expect("write");
    }
    dir
}

fn good_routes() -> BTreeMap<String, Route> {
    BTreeMap::from([
        (route("a", "same"), Route::Page(page("a", "same", "Same."))),
        (
            route("a", "changed"),
            // Retried through a 429 (Retry-After: 0) and a 503.
            Route::Flaky(vec![429, 503], page("a", "changed", "New words.")),
        ),
        (
            route("a", "added"),
            Route::Page(page("a", "added", "New page.")),
        ),
        (route("a", "removed"), Route::Status(404)),
    ])
}

fn good_urls() -> Vec<String> {
    ["same", "changed", "removed", "added"]
        .iter()
        .map(|slug| url("a", slug))
        .collect()
}

#[test]
fn reports_exactly_the_changes_served_and_applies_them() {
    let docs = docs_dir();
    let server = Server::start(good_routes());
    let report = fetch::fetch(&good_urls(), docs.path(), &options(&server)).expect("fetched");
    assert_eq!(
        report,
        FetchReport {
            added: vec!["a__added.md".to_owned()],
            removed: vec!["a__removed.md".to_owned()],
            changed: vec![(
                "a__changed.md".to_owned(),
                DiffSummary {
                    added: 1,
                    removed: 1,
                    first: 6
                }
            )],
            unchanged: vec!["a__same.md".to_owned()],
        }
    );
    assert_eq!(server.hits(&route("a", "changed")), 3, "two retries");
    let files = snapshot(docs.path());
    assert_eq!(
        files.keys().map(String::as_str).collect::<Vec<_>>(),
        [
            "a__added.md",
            "a__changed.md",
            "a__same.md",
            "z__local-only.md"
        ]
    );
    assert_eq!(files["a__changed.md"], page("a", "changed", "New words."));
    assert_eq!(files["a__added.md"], page("a", "added", "New page."));
    assert_eq!(
        report.to_string(),
        "added:     a__added.md\nremoved:   a__removed.md\nchanged:   a__changed.md (+1 -1 lines, first at line 6)\n1 added, 1 removed, 1 changed, 1 unchanged\n"
    );
    // A second run finds nothing new.
    let again = fetch::fetch(
        &good_urls()[..2],
        docs.path(),
        &options(&Server::start(good_routes())),
    )
    .expect("fetched again");
    assert_eq!(again.unchanged, ["a__changed.md", "a__same.md"]);
    assert!(again.added.is_empty() && again.changed.is_empty() && again.removed.is_empty());
}

#[test]
fn any_bad_answer_leaves_the_docs_untouched() {
    let broken: Vec<(&str, Route, &str)> = vec![
        (
            "html",
            Route::Html("<!DOCTYPE html><html><body>Docs</body></html>".to_owned()),
            "HTML page",
        ),
        (
            "html-as-text",
            Route::Page("<!doctype html>\n<html><body>Sign in</body></html>\n".to_owned()),
            "an HTML page, not markdown",
        ),
        (
            "truncated",
            Route::Truncated(page("a", "truncated", "Cut.")),
            "truncated: the body ended after",
        ),
        (
            "unclosed",
            Route::Page(format!(
                "{}\n**Response (200)**\n\n```json\n{{\"status\": ",
                page("a", "unclosed", "Cut inside its example.")
            )),
            "truncated: line",
        ),
        ("down", Route::Status(500), "HTTP 500"),
        ("forbidden", Route::Status(403), "HTTP 403"),
        ("empty", Route::Page(String::new()), "an empty page"),
        (
            "not-a-page",
            Route::Page("Hello, this is not a reference page.\n".to_owned()),
            "not a reference page",
        ),
        (
            "elsewhere",
            Route::Page(page("b", "other", "Canonical link elsewhere.")),
            "canonical link is /subscription-billing/b/other",
        ),
        ("never-seen", Route::Status(404), "not found (404)"),
    ];
    for (slug, answer, problem) in broken {
        let docs = docs_dir();
        let before = snapshot(docs.path());
        let mut routes = good_routes();
        routes.insert(route("a", slug), answer);
        let server = Server::start(routes);
        let mut urls = good_urls();
        urls.push(url("a", slug));
        let error = fetch::fetch(&urls, docs.path(), &options(&server)).expect_err(slug);
        let FetchError::Pages(failures) = &error else {
            panic!("{slug}: {error}");
        };
        assert_eq!(failures.len(), 1, "{slug}: {error}");
        assert_eq!(
            failures[0].url,
            format!("{}{}", server.site(), route("a", slug))
        );
        assert!(
            failures[0].problem.contains(problem),
            "{slug}: {}",
            failures[0].problem
        );
        assert!(error.to_string().contains("nothing was changed"));
        assert_eq!(snapshot(docs.path()), before, "{slug}: the docs changed");
    }
}

#[test]
fn a_site_that_answers_404_everywhere_removes_nothing() {
    let docs = docs_dir();
    let before = snapshot(docs.path());
    let server = Server::start(BTreeMap::new());
    let error = fetch::fetch(&good_urls()[..3], docs.path(), &options(&server)).expect_err("404s");
    assert!(
        matches!(error, FetchError::AllMissing { count: 3 }),
        "{error}"
    );
    assert_eq!(snapshot(docs.path()), before);
}

#[test]
fn urls_map_to_canonical_file_names() {
    assert_eq!(
        fetch::file_name("https://www.pabbly.com/subscription-billing/plans/create-plan")
            .expect("a page URL"),
        "plans__create-plan.md"
    );
    assert_eq!(
        fetch::file_name("https://www.pabbly.com/subscription-billing/add-on/list-all-addons.md")
            .expect("with .md"),
        "add-on__list-all-addons.md"
    );
    for bad in [
        "https://www.pabbly.com/subscriptions/api/",
        "https://www.pabbly.com/subscription-billing/plans",
        "https://www.pabbly.com/subscription-billing/../../etc/passwd",
        "https://www.pabbly.com/subscription-billing/Plans/create plan",
    ] {
        assert!(fetch::file_name(bad).is_err(), "{bad}");
    }
}

#[test]
fn the_real_spec_names_a_page_for_every_doc_file() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pabbly.yaml");
    let api = pabbly_spec::load(&spec, "pabbly.yaml").expect("the spec loads");
    let files: Vec<String> = fetch::page_urls(&api)
        .iter()
        .map(|u| fetch::file_name(u).expect("a page URL"))
        .collect();
    for op in api.operations() {
        if let Some(doc_page) = &op.doc_page {
            assert!(files.contains(doc_page), "{}: {doc_page}", op.id);
        }
    }
}
