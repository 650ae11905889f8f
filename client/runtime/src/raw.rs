//! A response read in full (within the size limit), not yet interpreted: what the decoder
//! reads, and what an error about an answer keeps of it.

use reqwest::header::HeaderMap;

pub(crate) struct RawResponse {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl RawResponse {
    /// A 2xx status.
    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}
