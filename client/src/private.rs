//! Items that generated code names; hidden, and not covered by semver.

pub use chrono;
pub use serde;
pub use serde_json;

pub use crate::envelope::Envelope;
pub use crate::operation::{Method, Operation, Payload};
#[cfg(feature = "operation-registry")]
pub use crate::registry::{
    Case, CaseError, CaseFuture, CaseInput, RequestJson, case_output, reserialize,
};
pub use crate::runtime::Runtime;

/// Lenient deserializers for `#[serde(deserialize_with = "::pabbly::__private::de::…")]`.
pub mod de {
    pub use crate::de::{Loose, empty_as_none, loose, loose_opt, open_enum};
}
