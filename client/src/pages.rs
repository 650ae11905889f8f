//! Walking a paginated list: a [`Stream`] of items that fetches page after page until Pabbly
//! answers a page shorter than the limit (its lists carry no total or next link), or a cap.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::__private::{Operation, Payload, Runtime};
use crate::{Error, Response};

type PageFuture<T> = Pin<Box<dyn Future<Output = Result<Response<Vec<T>>, Error>> + Send>>;

/// Every item of a paginated list, fetched a page at a time as the stream is polled.
///
/// Generated `…_all` methods return it. It ends after the first page shorter than the page size,
/// after [`max_pages`](Pages::max_pages) pages, or after yielding the first error.
///
/// # Example
///
/// ```no_run
/// use futures_util::TryStreamExt as _;
///
/// # async fn example(client: &pabbly::Client, pages: pabbly::Pages<String>) -> Result<(), pabbly::Error> {
/// // With any `Stream` combinator library:
/// let first_hundred: Vec<String> = pages.max_pages(10).try_collect().await?;
/// # let _ = first_hundred;
/// # Ok(())
/// # }
/// ```
#[must_use = "a stream does nothing unless polled"]
pub struct Pages<T> {
    runtime: Runtime,
    op: &'static Operation,
    path_values: Vec<String>,
    query: Map<String, Value>,
    next_page: u64,
    limit: u64,
    pages_left: Option<u64>,
    buffered: VecDeque<T>,
    in_flight: Option<PageFuture<T>>,
    finished: bool,
    /// A request that could not be turned into query parameters, reported on the first poll.
    invalid: Option<Error>,
}

impl<T> std::fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages")
            .field("operation", &self.op.id)
            .field("next_page", &self.next_page)
            .field("limit", &self.limit)
            .field("pages_left", &self.pages_left)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

impl<T> Pages<T> {
    /// Stops after `pages` pages even if more remain (at least one is fetched).
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.pages_left = Some(pages.max(1));
        self
    }

    /// Collects every item, stopping at the first error.
    ///
    /// # Errors
    /// The first failed page's error.
    ///
    /// ```no_run
    /// # async fn example(pages: pabbly::Pages<String>) -> Result<(), pabbly::Error> {
    /// let everything = pages.max_pages(50).collect_all().await?;
    /// # let _ = everything;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn collect_all(mut self) -> Result<Vec<T>, Error>
    where
        T: DeserializeOwned + Send + Unpin + 'static,
    {
        let mut items = Vec::new();
        while let Some(item) = std::future::poll_fn(|cx| Pin::new(&mut self).poll_next(cx)).await {
            items.push(item?);
        }
        Ok(items)
    }
}

impl Runtime {
    /// The pages of list operation `op`, starting at the request's `page` (default 1), with the
    /// request's `limit` as page size (default `default_limit`, the one Pabbly applies).
    pub fn pages<T, B>(
        &self,
        op: &'static Operation,
        path_values: &[&str],
        request: &B,
        default_limit: u64,
    ) -> Pages<T>
    where
        B: Serialize + ?Sized,
    {
        let (query, invalid) = match serde_json::to_value(request) {
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
        let invalid = invalid.or_else(|| {
            crate::validate::bounds_in_object(op.bounds, &query)
                .err()
                .map(|problem| Error::invalid_request(op, problem))
        });
        let number = |key: &str| query.get(key).and_then(Value::as_u64).filter(|n| *n > 0);
        Pages {
            next_page: number("page").unwrap_or(1),
            limit: number("limit").unwrap_or(default_limit).max(1),
            runtime: self.clone(),
            op,
            path_values: path_values.iter().map(|v| (*v).to_owned()).collect(),
            query,
            pages_left: None,
            buffered: VecDeque::new(),
            in_flight: None,
            finished: false,
            invalid,
        }
    }
}

impl<T> Pages<T>
where
    T: DeserializeOwned + Send + 'static,
{
    fn fetch(&self) -> PageFuture<T> {
        let runtime = self.runtime.clone();
        let op = self.op;
        let path_values = self.path_values.clone();
        let mut query = self.query.clone();
        query.insert("page".to_owned(), Value::from(self.next_page));
        query.insert("limit".to_owned(), Value::from(self.limit));
        Box::pin(async move {
            let values: Vec<&str> = path_values.iter().map(String::as_str).collect();
            let query = Value::Object(query);
            runtime.execute(op, &values, Payload::Query(&query)).await
        })
    }
}

impl<T> Stream for Pages<T>
where
    T: DeserializeOwned + Send + Unpin + 'static,
{
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if let Some(error) = this.invalid.take() {
            this.finished = true;
            return Poll::Ready(Some(Err(error)));
        }
        loop {
            if let Some(item) = this.buffered.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.finished {
                return Poll::Ready(None);
            }
            if this.in_flight.is_none() {
                if this.pages_left == Some(0) {
                    this.finished = true;
                    return Poll::Ready(None);
                }
                this.in_flight = Some(this.fetch());
            }
            let Some(in_flight) = this.in_flight.as_mut() else {
                continue;
            };
            let page = match in_flight.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(page) => page,
            };
            this.in_flight = None;
            this.pages_left = this.pages_left.map(|n| n.saturating_sub(1));
            match page {
                Ok(response) => {
                    // A short page is the last: Pabbly gives no total and no next link.
                    let short = (response.data.len() as u64) < this.limit;
                    this.finished = short;
                    this.next_page += 1;
                    this.buffered.extend(response.data);
                }
                Err(error) => {
                    this.finished = true;
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
    }
}
