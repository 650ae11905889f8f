//! Walking a paginated list: a [`Stream`] of items that fetches page after page until Pabbly
//! answers a page shorter than the limit (its lists carry no total or next link), with guards
//! against a server whose pages never end.

use std::collections::VecDeque;
use std::future::Future;
use std::hash::{DefaultHasher, Hash as _, Hasher as _};
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::error::Error;
use crate::operation::{Operation, Payload, Segment};
use crate::response::Response;
use crate::runtime::Runtime;
use crate::validate;

/// Pages fetched at most, unless [`Pages::max_pages`] says otherwise: with 100 items a page
/// (Pabbly's largest) that is 100,000 items; at most a tenth of Pabbly's 10,000 calls a day
/// (times the attempts per page).
pub const DEFAULT_MAX_PAGES: u64 = 1_000;

/// Items of one page, each kept as its JSON text until it is yielded.
type RawPage = Vec<Box<RawValue>>;

type PageFuture = Pin<Box<dyn Future<Output = Result<Response<RawPage>, Error>> + Send>>;

/// Every item of a paginated list, fetched a page at a time as the stream is polled.
///
/// Generated `…_all` methods return it. It ends after the first page shorter than the page size
/// or after [`max_pages`](Pages::max_pages) pages; it stops with an error after a failed page,
/// after an item that does not decode (unless [`per_item`](Pages::per_item) is set), and when
/// the server does not move on:
///
/// - a full page whose items are exactly those of the page before (a server ignoring `page`)
///   stops the walk with [`ErrorKind::Pagination`](crate::ErrorKind::Pagination), after two
///   requests;
/// - without [`max_pages`](Pages::max_pages), the walk stops after [`DEFAULT_MAX_PAGES`]
///   (1,000) pages; if that page was full, with
///   [`ErrorKind::Pagination`](crate::ErrorKind::Pagination), since more may remain. So a runaway server costs at most 1,000 pages (each with up to `max_attempts`
///   requests), never the whole daily budget.
///
/// Items are decoded one at a time as they are yielded. An error names its page and, for an
/// item, its position; [`resume_page`](Pages::resume_page) says where to start again.
///
/// # Example
///
/// ```no_run
/// # async fn example(mut pages: pabbly::Pages<String>) -> Result<(), pabbly::Error> {
/// // No `Stream` library needed:
/// while let Some(item) = pages.try_next().await? {
///     println!("{item}");
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "a stream does nothing unless polled"]
pub struct Pages<T> {
    walk: Walk,
    item: PhantomData<fn() -> T>,
}

/// Everything of a walk but the item type: fetching, buffering and the guards, compiled once
/// whatever the items decode into; [`Pages`] only decodes.
struct Walk {
    runtime: Runtime,
    op: &'static Operation,
    /// The rendered request path, the same for every page.
    path: String,
    query: Map<String, Value>,
    /// The page the next fetch asks for.
    next_page: u64,
    limit: u64,
    /// Pages fetched so far.
    fetched: u64,
    max_pages: u64,
    /// Whether `max_pages` was set by the caller (reaching it is then not an error).
    capped: bool,
    per_item: bool,
    /// Undecoded items of page `buffered_page`, next one first.
    buffered: VecDeque<Box<RawValue>>,
    buffered_page: u64,
    /// Position in its page of the next buffered item (1-based in messages).
    next_index: usize,
    /// The page of the item or error last yielded.
    last_page: Option<u64>,
    /// The first page whose items have not all been yielded.
    resume: u64,
    /// A fingerprint of the previous page's items, to notice a page served twice.
    previous: Option<u64>,
    in_flight: Option<PageFuture>,
    /// An error to yield once the buffered items are out, ending the stream.
    pending_error: Option<Error>,
    finished: bool,
}

/// What [`Walk::advance`] found when no item was buffered.
enum Step {
    /// A page came in: its items (if any) are buffered.
    Fetched,
    /// The error that ends the walk.
    Failed(Error),
    /// The walk is over.
    Ended,
}

impl<T> std::fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let walk = &self.walk;
        f.debug_struct("Pages")
            .field("operation", &walk.op.id)
            .field("next_page", &walk.next_page)
            .field("limit", &walk.limit)
            .field("fetched", &walk.fetched)
            .field("max_pages", &walk.max_pages)
            .field("per_item", &walk.per_item)
            .field("finished", &walk.finished)
            .finish_non_exhaustive()
    }
}

impl Runtime {
    /// The pages of list operation `op`, starting at the request's `page` (default 1), with the
    /// request's `limit` as page size (default `default_limit`, the one Pabbly applies).
    pub fn pages<T, B>(
        &self,
        op: &'static Operation,
        path: &[Segment<'_>],
        request: &B,
        default_limit: u64,
    ) -> Pages<T>
    where
        B: Serialize + ?Sized,
    {
        Pages {
            walk: self.walk(op, path, serde_json::to_value(request), default_limit),
            item: PhantomData,
        }
    }

    /// The walk of [`pages`](Self::pages) once the request is JSON.
    fn walk(
        &self,
        op: &'static Operation,
        path: &[Segment<'_>],
        request: serde_json::Result<Value>,
        default_limit: u64,
    ) -> Walk {
        let (query, invalid) = match request {
            Ok(Value::Object(query)) => (query, None),
            Ok(_) => (
                Map::new(),
                Some(Error::invalid_request(
                    op,
                    "query parameters are not an object",
                )),
            ),
            Err(error) => (
                Map::new(),
                Some(Error::invalid_request(op, error.to_string())),
            ),
        };
        // The caller's own page and page size are checked as given, before the walk replaces
        // them, so `page(0)` or `limit(-5)` is refused rather than quietly taken as the default.
        let (path, invalid) = match crate::path::render(path) {
            Ok(path) => (path, invalid),
            Err(problem) => (String::new(), Some(Error::invalid_request(op, problem))),
        };
        let invalid = invalid.or_else(|| {
            validate::bounds_in_object(op.bounds, &query)
                .err()
                .map(|problem| Error::invalid_request(op, problem))
        });
        let number = |key: &str| query.get(key).and_then(Value::as_u64).filter(|n| *n > 0);
        let next_page = number("page").unwrap_or(1);
        Walk {
            next_page,
            limit: number("limit").unwrap_or(default_limit).max(1),
            runtime: self.clone(),
            op,
            path,
            query,
            fetched: 0,
            max_pages: DEFAULT_MAX_PAGES,
            capped: false,
            per_item: false,
            buffered: VecDeque::new(),
            buffered_page: next_page,
            next_index: 0,
            last_page: None,
            resume: next_page,
            previous: None,
            in_flight: None,
            finished: invalid.is_some(),
            pending_error: invalid,
        }
    }
}

impl<T> Pages<T> {
    /// Stops quietly after `pages` pages even if more remain (at least one is fetched). Without
    /// it the walk stops after [`DEFAULT_MAX_PAGES`], with an error if more may remain.
    ///
    /// ```no_run
    /// # async fn example(pages: pabbly::Pages<String>) -> Result<(), pabbly::Error> {
    /// let first_ten_pages = pages.max_pages(10).collect_all().await?;
    /// # let _ = first_ten_pages;
    /// # Ok(())
    /// # }
    /// ```
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.walk.max_pages = pages.max(1);
        self.walk.capped = true;
        self
    }

    /// Goes on past items that do not decode: each one is yielded as an
    /// [`ErrorKind::Decode`](crate::ErrorKind::Decode) error naming its page and position, with
    /// the item's JSON in [`Error::body`], and the walk continues with the next item. Errors that are not about
    /// one item (a failed page, a repeated page) still end the stream.
    ///
    /// ```no_run
    /// # async fn example(pages: pabbly::Pages<String>) -> Result<(), pabbly::Error> {
    /// let mut pages = pages.per_item();
    /// while let Some(item) = pages.next().await {
    ///     match item {
    ///         Ok(item) => println!("{item}"),
    ///         Err(bad) if bad.kind() == pabbly::ErrorKind::Decode => {
    ///             eprintln!("skipped on page {:?}: {bad}; raw: {:?}", pages.page(), bad.body());
    ///         }
    ///         Err(error) => return Err(error),
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn per_item(mut self) -> Self {
        self.walk.per_item = true;
        self
    }

    /// The page the item (or error) last yielded came from; `None` before the first.
    ///
    /// ```
    /// fn where_am_i(pages: &pabbly::Pages<String>) -> String {
    ///     pages.page().map_or("not started".to_owned(), |page| format!("page {page}"))
    /// }
    /// ```
    pub fn page(&self) -> Option<u64> {
        self.walk.last_page
    }

    /// The first page whose items have not all been yielded: after an error, a new walk
    /// starting at this `page` misses nothing (it may repeat the items of this page already
    /// yielded).
    ///
    /// ```
    /// fn checkpoint(pages: &pabbly::Pages<String>) -> u64 {
    ///     pages.resume_page()
    /// }
    /// ```
    pub fn resume_page(&self) -> u64 {
        self.walk.resume
    }
}

impl<T: DeserializeOwned> Pages<T> {
    /// The next item, `None` at the end: the stream's `next` without a `Stream` library.
    ///
    /// ```no_run
    /// # async fn example(mut pages: pabbly::Pages<String>) {
    /// while let Some(item) = pages.next().await {
    ///     match item {
    ///         Ok(item) => println!("{item}"),
    ///         Err(error) => eprintln!("stopped: {error}"),
    ///     }
    /// }
    /// # }
    /// ```
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The next item, `Ok(None)` at the end.
    ///
    /// # Errors
    /// The error that ends the walk, or (with [`per_item`](Self::per_item)) an item that does
    /// not decode.
    ///
    /// ```no_run
    /// # async fn example(mut pages: pabbly::Pages<String>) -> Result<(), pabbly::Error> {
    /// while let Some(item) = pages.try_next().await? {
    ///     println!("{item}");
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn try_next(&mut self) -> Result<Option<T>, Error> {
        self.next().await.transpose()
    }

    /// Collects every item, stopping at the first error.
    ///
    /// # Errors
    /// The first error the stream yields.
    ///
    /// ```no_run
    /// # async fn example(pages: pabbly::Pages<String>) -> Result<(), pabbly::Error> {
    /// let everything = pages.collect_all().await?;
    /// # let _ = everything;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn collect_all(mut self) -> Result<Vec<T>, Error> {
        let mut items = Vec::new();
        while let Some(item) = self.try_next().await? {
            items.push(item);
        }
        Ok(items)
    }

    /// Decodes the next buffered item; `None` when the buffer is empty.
    fn pop(&mut self) -> Option<Result<T, Error>> {
        let raw = self.walk.take_item()?;
        let item = serde_json::from_str(raw.get()).map_err(|err| self.walk.undecodable(&raw, err));
        self.walk.taken(item.is_ok());
        Some(item)
    }
}

impl Walk {
    /// The request for page `next_page`.
    fn fetch(&self) -> PageFuture {
        let runtime = self.runtime.clone();
        let op = self.op;
        let path = self.path.clone();
        let mut query = self.query.clone();
        query.insert("page".to_owned(), Value::from(self.next_page));
        query.insert("limit".to_owned(), Value::from(self.limit));
        Box::pin(async move {
            let query = Value::Object(query);
            runtime
                .execute_rendered(op, Ok(path), Payload::Query(&query))
                .await
        })
    }

    /// The next buffered item, undecoded; `None` when the buffer is empty.
    fn take_item(&mut self) -> Option<Box<RawValue>> {
        let raw = self.buffered.pop_front()?;
        self.next_index += 1;
        self.last_page = Some(self.buffered_page);
        Some(raw)
    }

    /// The error for the item just taken, which does not decode.
    fn undecodable(&self, raw: &RawValue, err: serde_json::Error) -> Error {
        let detail = format!(
            "item {} of page {} does not decode: {err}",
            self.next_index, self.buffered_page
        );
        Error::undecodable_item(self.op, raw.get(), detail, err)
    }

    /// After the item just taken: one that does not decode ends the walk unless `per_item`.
    fn taken(&mut self, decoded: bool) {
        if !decoded && !self.per_item {
            self.buffered.clear();
            self.finished = true;
        } else if self.buffered.is_empty() {
            self.resume = self.next_page;
        }
    }

    /// With nothing buffered: the pending error, the end, or the next page fetched.
    fn advance(&mut self, cx: &mut Context<'_>) -> Poll<Step> {
        if let Some(error) = self.pending_error.take() {
            self.last_page = Some(self.buffered_page);
            return Poll::Ready(Step::Failed(error));
        }
        if self.finished {
            return Poll::Ready(Step::Ended);
        }
        let in_flight = match self.in_flight.take() {
            Some(in_flight) => in_flight,
            None => self.fetch(),
        };
        let in_flight = self.in_flight.insert(in_flight);
        let page = match in_flight.as_mut().poll(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(page) => page,
        };
        self.in_flight = None;
        self.accept(page);
        Poll::Ready(Step::Fetched)
    }

    /// Takes a fetched page in: buffers its items, or the error that ends the walk.
    fn accept(&mut self, page: Result<Response<RawPage>, Error>) {
        self.fetched += 1;
        let number = self.next_page;
        let items = match page {
            Ok(response) => response.data,
            Err(error) => {
                self.pending_error = Some(error);
                self.finished = true;
                return;
            }
        };
        // Unchanged by an error: the failed page is where to start again.
        self.resume = if items.is_empty() {
            number.saturating_add(1)
        } else {
            number
        };
        let full = items.len() as u64 >= self.limit;
        let fingerprint = fingerprint(&items);
        if full && self.previous == Some(fingerprint) {
            self.pending_error = Some(self.stopped(format!(
                "page {number} has exactly the items of page {}: the server does not move on \
                 (it may ignore `page`); stopped after {} pages",
                number.saturating_sub(1),
                self.fetched
            )));
            self.buffered_page = number;
            self.resume = number;
            self.finished = true;
            return;
        }
        self.previous = Some(fingerprint);
        self.buffered_page = number;
        self.next_index = 0;
        self.buffered.extend(items);
        self.next_page = number.saturating_add(1);
        // A short page is the last: Pabbly gives no total and no next link.
        if !full {
            self.finished = true;
        } else if self.fetched >= self.max_pages {
            self.finished = true;
            if !self.capped {
                self.pending_error = Some(self.stopped(format!(
                    "stopped after the default limit of {DEFAULT_MAX_PAGES} pages, the last \
                     of them full, so more may remain; set `Pages::max_pages` to walk further \
                     or resume at page {}",
                    self.next_page
                )));
            }
        }
    }

    fn stopped(&self, detail: String) -> Error {
        Error::pagination(self.op, detail)
    }
}

/// Identifies a page by its items' exact JSON text.
fn fingerprint(items: &[Box<RawValue>]) -> u64 {
    let mut hasher = DefaultHasher::new();
    for item in items {
        item.get().hash(&mut hasher);
    }
    hasher.finish()
}

impl<T: DeserializeOwned> Stream for Pages<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.pop() {
                return Poll::Ready(Some(item));
            }
            match this.walk.advance(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Step::Fetched) => {}
                Poll::Ready(Step::Failed(error)) => return Poll::Ready(Some(Err(error))),
                Poll::Ready(Step::Ended) => return Poll::Ready(None),
            }
        }
    }
}
