//! A table of every generated operation, callable with JSON input, so one test can drive the
//! whole API against the mock without a hand-written test per endpoint.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::Error;
use crate::response::Response;

/// One operation of a generated client `C`.
pub struct Case<C: 'static> {
    /// The spec's operation id.
    pub id: &'static str,
    /// Calls the operation with `input` and returns the typed response's data, re-serialized.
    pub call: for<'a> fn(&'a C, &'a CaseInput) -> CaseFuture<'a>,
    /// Reads `input.request` into the request type and writes it back: what goes on the wire.
    /// `None` for operations without query or body parameters.
    pub request_json: Option<RequestJson>,
}

/// Turns a [`CaseInput`]'s request into the JSON the client would send.
pub type RequestJson = fn(&CaseInput) -> Result<Value, CaseError>;

/// What a [`Case`] call returns.
pub type CaseFuture<'a> = Pin<Box<dyn Future<Output = Result<Value, CaseError>> + Send + 'a>>;

/// Decodes a JSON value into a generated type and returns its `Debug` text.
pub type DebugOf = fn(&Value) -> Result<String, CaseError>;

/// [`DebugOf`] for `T`.
///
/// # Errors
/// When the value is not a `T`.
pub fn debug_of<T: DeserializeOwned + fmt::Debug>(value: &Value) -> Result<String, CaseError> {
    let typed = T::deserialize(value).map_err(|e| CaseError::Input(e.to_string()))?;
    Ok(format!("{typed:?} {typed:#?}"))
}

/// The input of a [`Case`]: the request's query or body object and the path values in order.
#[derive(Clone, Debug, Default)]
pub struct CaseInput {
    /// The request object (ignored by operations without query or body parameters).
    pub request: Value,
    /// Path parameter values, in template order.
    pub path: Vec<String>,
}

impl CaseInput {
    /// The request object as the operation's request type.
    ///
    /// # Errors
    /// When the object does not fit the type.
    pub fn request<T: DeserializeOwned>(&self) -> Result<T, CaseError> {
        T::deserialize(&self.request).map_err(|e| CaseError::Input(format!("request: {e}")))
    }

    /// Path value `index` as text.
    ///
    /// # Errors
    /// When there are fewer values.
    pub fn path(&self, index: usize) -> Result<&str, CaseError> {
        self.path
            .get(index)
            .map(String::as_str)
            .ok_or_else(|| CaseError::Input(format!("path value {index} is missing")))
    }

    /// Path value `index` as an integer.
    ///
    /// # Errors
    /// When there are fewer values or the value is not an integer.
    pub fn path_integer(&self, index: usize) -> Result<i64, CaseError> {
        let text = self.path(index)?;
        text.parse().map_err(|_| {
            CaseError::Input(format!("path value {index} ({text:?}) is not an integer"))
        })
    }
}

/// Why a [`Case`] call failed.
#[derive(Debug)]
pub enum CaseError {
    /// The input does not fit the operation.
    Input(String),
    /// The call itself failed.
    Call(Error),
    /// The typed response could not be serialized back.
    Output(String),
}

impl fmt::Display for CaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CaseError::Input(problem) => write!(f, "bad input: {problem}"),
            CaseError::Call(error) => write!(f, "call failed: {error}"),
            CaseError::Output(problem) => write!(f, "bad output: {problem}"),
        }
    }
}

impl From<Error> for CaseError {
    fn from(error: Error) -> Self {
        CaseError::Call(error)
    }
}

/// `input.request` read into `T` and written back, as the client would send it.
///
/// # Errors
/// When the object does not fit `T`.
pub fn reserialize<T: DeserializeOwned + Serialize>(input: &CaseInput) -> Result<Value, CaseError> {
    let typed: T = input.request()?;
    serde_json::to_value(&typed).map_err(|e| CaseError::Output(e.to_string()))
}

/// The response's data as JSON.
///
/// # Errors
/// When the data does not serialize (it always does for generated types).
pub fn case_output<T: Serialize>(response: Response<T>) -> Result<Value, CaseError> {
    serde_json::to_value(&response.data).map_err(|e| CaseError::Output(e.to_string()))
}
