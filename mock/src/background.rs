//! A mock started from synchronous code (a plain `#[test]`, a blocking client's test): it runs
//! on a tokio runtime of its own, with one worker thread, owned by the handle.

use std::ops::Deref;

use crate::{MockError, MockServer, Options};

/// A [`MockServer`] running on a thread of its own, for code without an async runtime; it
/// derefs to the server (base URL, hits, faults, stubs, requests) and stops when dropped.
///
/// ```
/// use pabbly_mock::BackgroundMockServer;
///
/// let server = BackgroundMockServer::start()?;
/// assert!(server.base_url().starts_with("http://127.0.0.1:"));
/// server.stop();
/// # Ok::<(), pabbly_mock::MockError>(())
/// ```
#[derive(Debug)]
pub struct BackgroundMockServer {
    /// `None` once stopped.
    server: Option<MockServer>,
    /// `None` once shut down.
    runtime: Option<tokio::runtime::Runtime>,
}

impl BackgroundMockServer {
    /// Starts a mock of the whole API with default [`Options`].
    ///
    /// # Errors
    /// When the thread cannot be started or the socket bound.
    pub fn start() -> Result<Self, MockError> {
        Self::start_with(Options::default())
    }

    /// Starts a mock with `options`.
    ///
    /// ```
    /// use pabbly_mock::{BackgroundMockServer, Options};
    ///
    /// let server = BackgroundMockServer::start_with(Options::default().credentials("key", "secret"))?;
    /// # server.stop();
    /// # Ok::<(), pabbly_mock::MockError>(())
    /// ```
    ///
    /// # Errors
    /// As [`MockServer::start_with`], or when the thread cannot be started.
    pub fn start_with(options: Options) -> Result<Self, MockError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("pabbly-mock")
            .enable_all()
            .build()
            .map_err(MockError::Thread)?;
        let server = runtime.block_on(MockServer::start_with(options))?;
        Ok(Self {
            server: Some(server),
            runtime: Some(runtime),
        })
    }

    /// Stops the server gracefully, as [`MockServer::stop`], and its thread.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        let (Some(server), Some(runtime)) = (self.server.take(), self.runtime.take()) else {
            return;
        };
        if tokio::runtime::Handle::try_current().is_ok() {
            // Inside an async runtime, where waiting is not allowed: the server is aborted and
            // the thread told to stop without being waited for.
            drop(server);
            runtime.shutdown_background();
        } else {
            runtime.block_on(server.stop());
        }
    }
}

impl Deref for BackgroundMockServer {
    type Target = MockServer;

    fn deref(&self) -> &MockServer {
        // Only `stop` (which consumes the handle) and `drop` take the server out.
        self.server
            .as_ref()
            .unwrap_or_else(|| unreachable!("a BackgroundMockServer is stopped only when consumed"))
    }
}

impl Drop for BackgroundMockServer {
    fn drop(&mut self) {
        self.shut_down();
    }
}
