//! Items that generated code names; hidden, and not covered by semver.

pub use chrono;
pub use serde;
pub use serde_json;

#[cfg(feature = "blocking")]
pub use crate::blocking_runtime::{BlockingRuntime, Pages as BlockingPages};
pub use crate::operation::{Bounds, Envelope, Method, Operation, Payload, Root, Segment};
#[cfg(feature = "operation-registry")]
pub use crate::registry::{
    Case, CaseError, CaseFuture, CaseInput, DebugOf, RequestJson, case_output, debug_of,
    reserialize,
};
pub use crate::runtime::Runtime;

/// How generated objects decode their fields.
pub mod de {
    pub use crate::de::{EmptyAsNone, Plain, Wire, WireEnum, WireOpt, WireScalar, open_enum};
    pub use crate::money::{Money, MoneyOpt};
    pub use crate::object::{Key, Object, field, keep, object, required};
}

/// Serializers for `#[serde(serialize_with = "::pabbly::__private::ser::…")]`.
pub mod ser {
    pub use crate::flags::{true_false, true_false_opt, yes_no, yes_no_opt};
    pub use crate::money::{
        serialize as money, serialize_opt as money_opt, serialize_text as money_text,
        serialize_text_opt as money_text_opt,
    };
}

pub use crate::object::{Redacted, redacted_opt, unknown_value};

/// What the generated `webhooks` module confirms events with.
pub mod webhook {
    pub use crate::webhook::{
        Data, Text, decode, decode_answer, expect_found, expect_gone, missing_id, not_confirmable,
        object_id,
    };
}

/// The receiving side, re-exported as it is by the generated `webhooks` module.
pub mod webhook_api {
    #[cfg(feature = "axum")]
    pub use crate::webhook::Webhook;
    pub use crate::webhook::{
        DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DEPTH, Limits, Rejection, RejectionKind,
    };
}
