//! The engine of the blocking client (feature `blocking`): each call runs the async client's
//! future to completion on the calling thread, and the generated `blocking` module renders one
//! synchronous method per operation over it.
//!
//! How the futures are driven: a blocking client owns a tokio runtime with **one worker
//! thread**, started at the first call and shared by every clone (an `Arc`). A call runs
//! `block_on` on the caller's thread; the worker thread drives the sockets, timers and the
//! connection pool's background tasks. So any number of threads can call one client at once
//! (each blocks only itself), a clone costs a reference count, and timeouts, deadlines, retries
//! and the connection slots behave exactly as in the async client, whose code runs unchanged.
//! Dropping the last clone shuts the worker down and closes idle connections; in an async
//! context (where waiting would stall it) the worker is told to stop without being waited for.
//!
//! A call made on a thread that is running a tokio runtime is refused with
//! [`ErrorKind::InsideAsyncRuntime`](crate::ErrorKind::InsideAsyncRuntime) before anything is
//! sent: `block_on` there would panic, and blocking a runtime's thread stalls its other tasks.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, OnceLock};

use futures_core::Stream;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::Error;
use crate::operation::{Operation, Payload, Segment};
use crate::options::RequestOptions;
use crate::response::Response;
use crate::runtime::Runtime;

/// The async runtime behind a blocking client and the tokio runtime that drives it; hidden,
/// named by generated code.
#[derive(Clone)]
pub struct BlockingRuntime {
    runtime: Runtime,
    driver: Arc<Driver>,
}

impl From<Runtime> for BlockingRuntime {
    fn from(runtime: Runtime) -> Self {
        Self {
            runtime,
            driver: Arc::new(Driver::default()),
        }
    }
}

impl fmt::Debug for BlockingRuntime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The async runtime's `Debug` prints no secret.
        f.debug_struct("BlockingRuntime")
            .field("runtime", &self.runtime)
            .finish_non_exhaustive()
    }
}

impl BlockingRuntime {
    /// A client sharing this one's connections and driver, with `options` applied.
    pub fn with_options(&self, options: RequestOptions) -> Self {
        Self {
            runtime: self.runtime.with_options(options),
            driver: Arc::clone(&self.driver),
        }
    }

    /// [`Runtime::execute`], run to completion on the calling thread.
    ///
    /// # Errors
    /// Those of [`Runtime::execute`], and
    /// [`ErrorKind::InsideAsyncRuntime`](crate::ErrorKind::InsideAsyncRuntime) on a thread
    /// running an async runtime.
    pub fn execute<T, B>(
        &self,
        op: &'static Operation,
        path: &[Segment<'_>],
        payload: Payload<'_, B>,
    ) -> Result<Response<T>, Error>
    where
        T: DeserializeOwned + Send,
        B: Serialize + ?Sized,
    {
        self.driver
            .block_on(op, self.runtime.execute(op, path, payload))?
    }

    /// [`Runtime::pages`] as an iterator.
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
            op,
            stream: self.runtime.pages(op, path, request, default_limit),
            refused: false,
            driver: Arc::clone(&self.driver),
        }
    }
}

/// The tokio runtime, started at the first call.
#[derive(Default)]
struct Driver {
    tokio: OnceLock<Result<tokio::runtime::Runtime, String>>,
}

impl Driver {
    fn block_on<F: Future>(&self, op: &'static Operation, future: F) -> Result<F::Output, Error> {
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(Error::inside_async_runtime(op));
        }
        let tokio = self.tokio.get_or_init(|| {
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .thread_name("pabbly-blocking")
                .enable_all()
                .build()
                .map_err(|err| format!("could not start the blocking client's thread: {err}"))
        });
        match tokio {
            Ok(tokio) => Ok(tokio.block_on(future)),
            Err(detail) => Err(Error::no_blocking_driver(op, detail.clone())),
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(Ok(tokio)) = self.tokio.take() {
            if tokio::runtime::Handle::try_current().is_ok() {
                // Waiting for the worker here would block an async runtime (tokio panics).
                tokio.shutdown_background();
            } else {
                drop(tokio);
            }
        }
    }
}

/// Every item of a list, page after page, fetched as the iterator is advanced: the blocking
/// form of [`pabbly::Pages`](crate::Pages), with the same rules (page size, the end of the
/// list, [`max_pages`](Self::max_pages), retries of each page).
///
/// After an error the iterator ends.
///
/// ```no_run
/// # fn example() -> Result<(), pabbly::Error> {
/// use pabbly::customers::ListRequest;
///
/// let client = pabbly::blocking::Client::builder("API_KEY", "SECRET_KEY").build()?;
/// for customer in client.customers().list_all(&ListRequest::new().limit(100)) {
///     let customer = customer?;
///     println!("{}", customer["id"]);
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "an iterator does nothing unless advanced"]
pub struct Pages<T> {
    op: &'static Operation,
    stream: crate::Pages<T>,
    /// Set when a call was refused (inside an async runtime): the walk ends there.
    refused: bool,
    driver: Arc<Driver>,
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("stream", &self.stream)
            .field("refused", &self.refused)
            .finish_non_exhaustive()
    }
}

impl<T> Pages<T> {
    /// Stops after `pages` pages, as [`pabbly::Pages::max_pages`](crate::Pages::max_pages).
    ///
    /// ```no_run
    /// # fn example(client: &pabbly::blocking::Client) -> Result<(), pabbly::Error> {
    /// let request = pabbly::customers::ListRequest::new().limit(100);
    /// // The first 500 customers at most.
    /// let first: Vec<_> = client.customers().list_all(&request).max_pages(5).collect::<Result<_, _>>()?;
    /// # let _ = first;
    /// # Ok(())
    /// # }
    /// ```
    pub fn max_pages(mut self, pages: u64) -> Self {
        self.stream = self.stream.max_pages(pages);
        self
    }

    /// Yields an item that does not decode as an error and goes on, as
    /// [`pabbly::Pages::per_item`](crate::Pages::per_item).
    pub fn per_item(mut self) -> Self {
        self.stream = self.stream.per_item();
        self
    }

    /// The page of the item or error last yielded, as
    /// [`pabbly::Pages::page`](crate::Pages::page).
    pub fn page(&self) -> Option<u64> {
        self.stream.page()
    }

    /// The first page whose items have not all been yielded, to resume a walk from, as
    /// [`pabbly::Pages::resume_page`](crate::Pages::resume_page).
    ///
    /// ```no_run
    /// # fn example(client: &pabbly::blocking::Client) -> Result<(), pabbly::Error> {
    /// let request = pabbly::subscriptions::ListRequest::new();
    /// let mut pages = client.subscriptions().list_all(&request).per_item();
    /// while let Some(item) = pages.next() {
    ///     match item {
    ///         Ok(subscription) => println!("{:?}", subscription.setup_fee),
    ///         Err(bad) if bad.kind() == pabbly::ErrorKind::Decode => {
    ///             eprintln!("page {:?}: {bad}", pages.page());
    ///         }
    ///         Err(error) => {
    ///             eprintln!("stopped; resume at page {}", pages.resume_page());
    ///             return Err(error);
    ///         }
    ///     }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn resume_page(&self) -> u64 {
        self.stream.resume_page()
    }
}

impl<T: DeserializeOwned> Iterator for Pages<T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.refused {
            return None;
        }
        let stream = &mut self.stream;
        let next = self.driver.block_on(
            self.op,
            std::future::poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)),
        );
        next.unwrap_or_else(|refused| {
            self.refused = true;
            Some(Err(refused))
        })
    }
}
