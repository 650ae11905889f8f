//! The checked, lowered model the code generator expands: every name is final, every reference
//! resolves, every inline shape has been hoisted to a named type.

use serde_json::Value;

/// The scalar kinds of the wire rules, which every layer applies to Pabbly's values.
pub use pabbly_wire::Kind as WireKind;

/// The whole API, ready to expand.
#[derive(Clone, Debug, PartialEq)]
pub struct Api {
    /// Human title, e.g. "Pabbly Subscription Billing".
    pub title: String,
    /// API version label, e.g. "v1".
    pub version: String,
    /// What the API is, in our words.
    pub description: Option<String>,
    /// Production base URL every path is relative to.
    pub base_url: String,
    /// The segments of the base URL's path: `["api", "v1"]` for
    /// `https://payments.pabbly.com/api/v1`.
    pub base_path: Vec<String>,
    /// Link to the API reference.
    pub docs_url: Option<String>,
    /// Shared named types (`models`), including types hoisted out of them.
    pub models: Vec<TypeDef>,
    /// Operations grouped by resource, in first-appearance order.
    pub resources: Vec<Resource>,
    /// The events Pabbly POSTs to a merchant's URL, if the spec describes them.
    pub webhooks: Option<Webhooks>,
}

impl Api {
    /// Every operation of every resource, in spec order within each resource.
    pub fn operations(&self) -> impl Iterator<Item = &Operation> {
        self.resources.iter().flat_map(|r| r.operations.iter())
    }
}

/// A group of operations sharing the first half of their id (`portal_sessions` of
/// `portal_sessions.create`); becomes a module and a handle type.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    /// Module and accessor name, snake_case (`portal_sessions`).
    pub module: String,
    /// Handle type name, PascalCase (`PortalSessions`).
    pub handle: String,
    /// Request types and types hoisted out of this resource's operations.
    pub types: Vec<TypeDef>,
    /// The resource's operations, in spec order.
    pub operations: Vec<Operation>,
}

/// One HTTP operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    /// Spec id, `resource.action`.
    pub id: String,
    /// Method name on the resource handle, snake_case.
    pub action: String,
    /// For a list walked page by page (see [`Operation::pagination`]), the name of the
    /// handle's method that streams every item of every page: `<action>_all`.
    pub stream: Option<String>,
    /// Name of the module-level static describing the operation to the runtime: the action
    /// in upper case.
    pub static_name: String,
    /// Name of the operation's function in the hidden registry: `<resource>_<action>`.
    pub registry_name: String,
    /// HTTP method.
    pub method: Method,
    /// Path template relative to [`Operation::root`], parsed; `Display` writes it as in the
    /// spec (`/customer/{customer_id}`).
    pub path: PathTemplate,
    /// Where `path` starts, relative to the API's base URL: the base URL itself, or another
    /// root such as `../v2` for the dashboard, which lives under `/api/v2`.
    pub root: Root,
    /// The path segments under the spec's base URL host where `path` starts: `["api", "v1"]`,
    /// `["api", "v2"]` for the dashboard. What a server at the spec's own URL serves.
    pub mount: Vec<String>,
    /// One-line summary.
    pub summary: String,
    /// Longer description.
    pub description: Option<String>,
    /// Link to the operation's documentation page.
    pub docs_url: Option<String>,
    /// Path parameters in template order; all required.
    pub path_params: Vec<Field>,
    /// The request type for query or body parameters, if the operation has any.
    pub request: Option<Request>,
    /// What a successful call answers.
    pub response: Response,
    /// Example request body (or query object) from the docs.
    pub example_request: Option<Value>,
    /// Example response body from the docs.
    pub example_response: Option<Value>,
    /// File name of the operation's doc page under `spec/docs/`; only linked operations are
    /// drift-checked.
    pub doc_page: Option<String>,
    /// Deliberate differences from the doc page; drift at these locations is not reported.
    pub overrides: Vec<Override>,
    /// Whether sending the request twice has the effect of sending it once, so that a failed
    /// attempt may be repeated without the caller's consent.
    pub repeat_safe: RepeatSafety,
}

/// Whether an operation may be sent twice, and on what authority.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepeatSafety {
    /// Sending it twice has the effect of sending it once.
    pub safe: bool,
    /// Why the spec decided so against the method's default; `None` when it follows the
    /// method (GET, PUT and DELETE are safe, POST and PATCH are not).
    pub reason: Option<String>,
}

/// A deliberate difference between an operation and its doc page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Override {
    /// The location, as drift reports name it: `path`, `query.limit`,
    /// `response.data.plan.plan_active`; it also covers everything below it.
    pub at: String,
    /// Why the spec differs from the docs.
    pub reason: String,
}

impl Operation {
    /// For a list walked page by page: the item type and the request's `limit` parameter.
    ///
    /// A list is an operation whose data is an array and whose query takes `page` and `limit`;
    /// the generator gives it an `<action>_all` stream.
    pub fn pagination(&self) -> Option<(&Type, &Field)> {
        let Type::Array(item) = &self.response.data else {
            return None;
        };
        let request = self
            .request
            .as_ref()
            .filter(|r| r.location == ParamLocation::Query)?;
        let field = |name: &str| request.fields.iter().find(|f| f.wire_name == name);
        field("page")?;
        Some((item, field("limit")?))
    }
}

/// A path template, split once into `/`-separated segments: `/customer/{customer_id}` is the
/// literal `customer` then the operation's first path parameter. Every placeholder is a whole
/// segment and names one of [`Operation::path_params`], each exactly once.
///
/// ```
/// use pabbly_spec::ir::PathSegment;
///
/// let api = pabbly_spec::load(std::path::Path::new("pabbly.yaml"), "pabbly.yaml")
///     .expect("the real spec loads");
/// let update = api.operations().find(|op| op.id == "subscriptions.update").expect("an operation");
/// assert_eq!(update.path.to_string(), "/subscription/{subscription_id}/update");
/// assert_eq!(
///     update.path.segments,
///     [
///         PathSegment::Literal("subscription".to_owned()),
///         PathSegment::Param { index: 0, name: "subscription_id".to_owned() },
///         PathSegment::Literal("update".to_owned()),
///     ]
/// );
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PathTemplate {
    /// The segments after the leading `/`, in order; none is empty.
    pub segments: Vec<PathSegment>,
    /// The template ends with `/` (`/portal_sessions/`); kept, because Pabbly routes by it.
    pub trailing_slash: bool,
}

/// One segment of a [`PathTemplate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSegment {
    /// Text sent as written.
    Literal(String),
    /// `{name}`: the value of the operation's path parameter `index` (template order), its
    /// wire name `name`.
    Param {
        /// Index into [`Operation::path_params`].
        index: usize,
        /// The parameter's wire name, as the placeholder spells it.
        name: String,
    },
}

impl std::fmt::Display for PathTemplate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.segments.is_empty() {
            return f.write_str("/");
        }
        for segment in &self.segments {
            match segment {
                PathSegment::Literal(text) => write!(f, "/{text}")?,
                PathSegment::Param { name, .. } => write!(f, "/{{{name}}}")?,
            }
        }
        if self.trailing_slash {
            f.write_str("/")?;
        }
        Ok(())
    }
}

/// Where an operation's path starts, relative to the API's base URL: `up` segments removed
/// from the base URL's path, then `then` appended. `../v2` is `up: 1, then: ["v2"]`, so a client
/// pointed at `…/api/v1` (Pabbly or a mock) sends the dashboard's request to `…/api/v2/…`.
/// `Display` writes it as the spec does (`../v2`; nothing for the base URL itself).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Root {
    /// How many trailing segments of the base URL's path to remove.
    pub up: usize,
    /// Segments to append after that.
    pub then: Vec<String>,
}

impl Root {
    /// The base URL itself.
    pub fn is_base(&self) -> bool {
        self.up == 0 && self.then.is_empty()
    }

    /// The segments of a base path (`["api", "v1"]`) re-rooted: `["api", "v2"]` for `../v2`.
    pub fn under(&self, base: &[String]) -> Vec<String> {
        let kept = base.len().saturating_sub(self.up);
        base[..kept].iter().chain(&self.then).cloned().collect()
    }
}

impl std::fmt::Display for Root {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let steps = std::iter::repeat_n("..", self.up).chain(self.then.iter().map(String::as_str));
        for (i, step) in steps.enumerate() {
            if i > 0 {
                f.write_str("/")?;
            }
            f.write_str(step)?;
        }
        Ok(())
    }
}

/// HTTP methods the spec allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// The method as written on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// The method named `name`, in any case (`get`, `GET`); `None` for anything else.
    ///
    /// ```
    /// use pabbly_spec::ir::Method;
    ///
    /// assert_eq!(Method::from_name("put"), Some(Method::Put));
    /// assert_eq!(Method::from_name("FETCH"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Method> {
        [
            Method::Get,
            Method::Post,
            Method::Put,
            Method::Patch,
            Method::Delete,
        ]
        .into_iter()
        .find(|method| method.as_str().eq_ignore_ascii_case(name))
    }
}

/// Where an operation's non-path parameters travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamLocation {
    /// Encoded into the query string.
    Query,
    /// Sent as a JSON body.
    Body,
}

/// The request type of one operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// Type name inside the resource module, e.g. `CreateRequest`.
    pub type_name: String,
    /// Query string or JSON body.
    pub location: ParamLocation,
    /// Parameters in spec order.
    pub fields: Vec<Field>,
}

/// How the response body wraps the data (see NOTES on Pabbly's envelopes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Envelope {
    /// `{"status":"success","message":…,"data":…}`.
    Data,
    /// `{"status":"success","message":…}` without data.
    Message,
    /// `{"status":"success","message":[…]}`: the data is under `message`.
    MessageList,
    /// The whole body is the data, with no envelope.
    Bare,
}

/// What a successful call answers.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// How the body wraps the data.
    pub envelope: Envelope,
    /// The data type; [`Type::Unit`] when the envelope carries none.
    pub data: Type,
    /// For untyped data ([`Type::Any`], or an array of it): the named type the answer (or each
    /// item) most likely is, where the docs suggest one.
    pub probably: Option<TypeRef>,
}

/// A named type the generator emits.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    /// PascalCase type name.
    pub name: String,
    /// Doc text.
    pub description: Option<String>,
    /// Struct or enum.
    pub kind: TypeKind,
    /// Which way the type travels: what the generated code must implement for it.
    pub usage: Usage,
}

/// Which way a named type travels, found by following every operation's request and answer and
/// every webhook event's data through the fields of the types they name.
///
/// The generated code implements what the direction needs: a type that is only sent gets no
/// decoder and no `PartialEq` (every type serializes, so that what Pabbly sent can be stored or
/// stubbed as it came). A model nothing uses counts as received: it is there to decode untyped
/// answers with (`Response::decode`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// Part of a request: serialized into a body or a query string.
    pub sent: bool,
    /// Part of an answer or a webhook event: decoded from what Pabbly sends.
    pub received: bool,
}

impl Usage {
    /// What a request type is: sent, never received.
    pub const SENT: Usage = Usage {
        sent: true,
        received: false,
    };
}

/// The shape of a named type.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    /// An object with fields.
    Struct(Vec<Field>),
    /// A string with known values; unknown values still decode.
    Enum(Vec<EnumValue>),
}

/// One known value of an open enum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumValue {
    /// The value on the wire.
    pub wire: String,
    /// The PascalCase variant name.
    pub variant: String,
}

/// A struct field or a parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The key on the wire, exactly as Pabbly spells it.
    pub wire_name: String,
    /// The Rust identifier (snake_case, keywords escaped).
    pub rust_name: String,
    /// The field's type.
    pub ty: Type,
    /// Always present (responses) or must be given (requests).
    pub required: bool,
    /// May be `null` (or, for dates, `""`).
    pub nullable: bool,
    /// Doc text.
    pub description: Option<String>,
    /// A finer format of a string, for docs and validation.
    pub format: Option<Format>,
    /// The default the docs state, if any.
    pub default: Option<Value>,
    /// A secret (card data, a sign-in token, a URL carrying one): `Debug` never shows it.
    pub sensitive: bool,
    /// The values an integer may take; the client refuses others before sending.
    pub range: Range,
    /// For a boolean or an amount Pabbly wants as text: how it is written.
    pub sent_as: Option<SentAs>,
}

/// Inclusive bounds on an integer; `None` is unbounded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Range {
    /// The smallest allowed value.
    pub min: Option<i64>,
    /// The largest allowed value.
    pub max: Option<i64>,
}

impl Range {
    /// Whether either bound is set.
    pub fn is_bounded(&self) -> bool {
        self.min.is_some() || self.max.is_some()
    }
}

/// How a value is written when Pabbly expects text rather than a JSON boolean or number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SentAs {
    /// As its text: a boolean as `"true"` / `"false"`, an amount as `"150.00"`.
    Text,
    /// A boolean as `"yes"` / `"no"`.
    YesNo,
}

impl Field {
    /// Whether the generated field is an `Option`.
    pub fn is_optional(&self) -> bool {
        !self.required || self.nullable
    }

    /// The wire rule the field's value is read by: its type's, except that a boolean Pabbly
    /// wants as text (`sent_as`) is read back leniently. `None` for a field that is not a scalar.
    pub fn wire_kind(&self) -> Option<WireKind> {
        match (&self.ty, self.sent_as) {
            (Type::Scalar(Scalar::Boolean), Some(_)) => Some(WireKind::LenientBoolean),
            (ty, _) => ty.wire_kind(),
        }
    }

    /// Whether Pabbly's "unset" (`null`, or a blank text: [`pabbly_wire::is_unset`]) reads as
    /// absent: on an optional field of a lenient scalar, an amount, a date or a named type.
    /// Elsewhere `""` is a value (a string) or an error, and `null` only an optional field's
    /// absence.
    pub fn blank_is_unset(&self) -> bool {
        let blank_capable = match self.wire_kind() {
            Some(kind) => !matches!(
                kind,
                WireKind::String | WireKind::Integer | WireKind::Number | WireKind::Boolean
            ),
            None => matches!(self.ty, Type::Named(_)),
        };
        self.is_optional() && blank_capable
    }
}

/// Formats a string field may declare.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// An absolute URL.
    Url,
    /// An e-mail address.
    Email,
}

/// A type in the type language.
#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    /// A scalar with a fixed JSON type.
    Scalar(Scalar),
    /// A scalar Pabbly sends as a string one day and a number or boolean the next.
    Lenient(Scalar),
    /// Any JSON value: the shape is unknown or free-form.
    Any,
    /// A JSON array.
    Array(Box<Type>),
    /// A JSON object with arbitrary keys.
    Map(Box<Type>),
    /// A named type.
    Named(TypeRef),
    /// No data at all.
    Unit,
}

impl Type {
    /// The wire rule (`pabbly_wire`) a scalar's value is read by; `None` for other types (a
    /// named enum is read by [`WireKind::OpenEnum`]).
    pub fn wire_kind(&self) -> Option<WireKind> {
        Some(match self {
            Type::Scalar(Scalar::String) => WireKind::String,
            Type::Scalar(Scalar::Integer) => WireKind::Integer,
            Type::Scalar(Scalar::Number) => WireKind::Number,
            Type::Scalar(Scalar::Boolean) => WireKind::Boolean,
            Type::Scalar(Scalar::Money) | Type::Lenient(Scalar::Money) => WireKind::Money,
            Type::Scalar(Scalar::Date) | Type::Lenient(Scalar::Date) => WireKind::Date,
            Type::Scalar(Scalar::DateTime) | Type::Lenient(Scalar::DateTime) => WireKind::DateTime,
            Type::Lenient(Scalar::String) => WireKind::LenientString,
            Type::Lenient(Scalar::Integer) => WireKind::LenientInteger,
            Type::Lenient(Scalar::Number) => WireKind::LenientNumber,
            Type::Lenient(Scalar::Boolean) => WireKind::LenientBoolean,
            Type::Any | Type::Array(_) | Type::Map(_) | Type::Named(_) | Type::Unit => {
                return None;
            }
        })
    }
}

/// A reference to a generated named type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeRef {
    /// The type's PascalCase name.
    pub name: String,
    /// Where the type lives.
    pub scope: Scope,
}

/// Module a named type is generated in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The shared `models` module.
    Models,
    /// The module of the resource that uses it.
    Resource,
}

/// Scalars of the type language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scalar {
    /// A string.
    String,
    /// A whole number.
    Integer,
    /// Any number.
    Number,
    /// An amount of money in major currency units, exact (a decimal, never binary floating
    /// point); Pabbly sends it as a JSON number or as text.
    Money,
    /// `true` or `false`.
    Boolean,
    /// A calendar date, `yyyy-mm-dd`.
    Date,
    /// An RFC 3339 timestamp.
    DateTime,
}

/// The webhook events: Pabbly POSTs `{"event_type": …, "event_source": …, "data": {…}}` to the
/// merchant's URL, unsigned.
#[derive(Clone, Debug, PartialEq)]
pub struct Webhooks {
    /// What the events are, in our words.
    pub description: Option<String>,
    /// Every event, in spec order; wire strings and variants are unique.
    pub events: Vec<WebhookEvent>,
    /// The named types some event's `data` is, each once, in first-use order: the typed forms
    /// of `data`.
    pub data_types: Vec<TypeRef>,
}

/// One event Pabbly sends.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookEvent {
    /// The `event_type` string on the wire.
    pub wire: String,
    /// The PascalCase variant of the event type enum.
    pub variant: String,
    /// The event's name as the docs list it.
    pub name: String,
    /// Longer description.
    pub description: Option<String>,
    /// Whether the docs show the wire string (`false`: inferred from the name).
    pub confirmed: bool,
    /// The named type `data` holds, or `None` when the docs do not say (passed on as JSON).
    pub data: Option<TypeRef>,
    /// What the docs say `data` holds, and on what evidence.
    pub data_description: Option<String>,
    /// The read of one object that confirms the event, if the API has one.
    pub confirm: Option<Confirm>,
    /// A whole body the docs show.
    pub example: Option<Value>,
}

/// How an event is confirmed through the API.
#[derive(Clone, Debug, PartialEq)]
pub struct Confirm {
    /// The operation's id, `resource.action`.
    pub operation: String,
    /// The operation's resource module and handle type.
    pub module: String,
    /// The resource's handle type.
    pub handle: String,
    /// The handle's method.
    pub action: String,
    /// The key of `data` holding the id the operation takes.
    pub id_key: String,
    /// The event reports a deletion: confirmed when the read finds nothing.
    pub gone: bool,
    /// What the operation answers; when it is untyped, it is decoded as the event's data type.
    pub answer: Type,
}
