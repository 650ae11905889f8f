//! Drift between the doc pages and the spec: each operation with a `doc_page` is compared with
//! the operation the importer drafts from that page today.
//!
//! Compared: method and path; path parameter types; query and body parameters added, removed,
//! retyped, required ↔ optional and enum values the docs added (nested fields by wire name);
//! the response envelope; response fields added or removed (nested objects by wire name, arrays
//! and maps looked through) and response shapes changed between object, array and scalar.
//! Response scalar types are not compared: one example is too weak a witness for them. Fields
//! missing from an object the page's example was cut inside are not "removed".
//!
//! Locations are written as `method`, `path`, `path_params.id`, `query.limit`,
//! `body.billing_address.city`, `response.envelope` and `response.data.plan.plan_active` (array
//! items and map values add no segment). An override at a location silences drift there and
//! everywhere below it.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use pabbly_spec::ir::{
    self, Api, EnumValue, Envelope, Method, Operation, Scalar, Scope, Type, TypeDef, TypeKind,
};
use pabbly_spec::{Diagnostic, Diagnostics, Position, Severity};

use super::draft::{Draft, DraftResponse};
use super::page::DocPage;
use super::schema::{Field, Schema, Ty};

/// What `check` found.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// Every operation that names a `doc_page`, with its drift (empty when in step).
    pub operations: Vec<OperationReport>,
    /// Pages no operation names: endpoints the docs have and the spec does not.
    pub uncovered: Vec<Uncovered>,
    /// Operations without a `doc_page`, which are not checked.
    pub unlinked: Vec<String>,
    /// Overrides that silenced nothing, as (operation id, location): likely stale.
    pub unused_overrides: Vec<(String, String)>,
}

/// One checked operation.
#[derive(Clone, Debug, PartialEq)]
pub struct OperationReport {
    /// The operation's id.
    pub id: String,
    /// Its page's file name.
    pub doc_page: String,
    /// Differences not covered by an override, in page order.
    pub drift: Vec<Drift>,
}

/// A page without an operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Uncovered {
    /// The page's file name.
    pub doc_page: String,
    /// The page's method.
    pub method: Method,
    /// The page's path, placeholders as `{{name}}`.
    pub path: String,
}

/// One difference between an operation and its page.
#[derive(Clone, Debug, PartialEq)]
pub struct Drift {
    /// Where: `path`, `query.limit`, `response.data.plan` (see the module docs).
    pub at: String,
    /// What changed.
    pub change: Change,
}

/// The kinds of [`Drift`]. "Docs" is the page today, "spec" the operation.
#[derive(Clone, Debug, PartialEq)]
pub enum Change {
    /// The operation's `doc_page` is not in the docs directory: the endpoint was removed.
    PageMissing,
    /// The method changed.
    Method {
        /// In the spec.
        spec: Method,
        /// On the page.
        docs: Method,
    },
    /// The path changed.
    Path {
        /// In the spec.
        spec: String,
        /// On the page.
        docs: String,
    },
    /// The response envelope changed.
    Envelope {
        /// In the spec.
        spec: Envelope,
        /// On the page.
        docs: Envelope,
    },
    /// The page has a parameter or response field the spec lacks.
    Added {
        /// Its type on the page.
        ty: String,
        /// Whether the page requires it, when it says.
        required: Option<bool>,
    },
    /// The spec has a parameter or response field the page no longer shows.
    Removed,
    /// The types no longer agree.
    Retyped {
        /// In the spec.
        spec: String,
        /// On the page.
        docs: String,
    },
    /// Required on one side, optional on the other.
    Required {
        /// In the spec.
        spec: bool,
        /// On the page.
        docs: bool,
    },
    /// The page allows values the spec's enum lacks.
    EnumValues {
        /// The values only the page has.
        added: Vec<String>,
    },
}

/// Loads the spec at `spec` and checks it against the pages in `docs`.
///
/// # Errors
/// When the spec does not load, a file cannot be read or a page cannot be parsed.
pub fn check(docs: &Path, spec: &Path) -> Result<Report, Diagnostics> {
    let api = pabbly_spec::load(spec, &spec.display().to_string())?;
    check_api(&api, docs)
}

/// Checks a loaded spec against the pages in `docs` (every `*.md` file but `INDEX.md`,
/// `NOTES.md` and `README.md`).
///
/// # Errors
/// When a file cannot be read or a page cannot be parsed.
pub fn check_api(api: &Api, docs: &Path) -> Result<Report, Diagnostics> {
    let pages = page_files(docs)?;
    let mut report = Report {
        operations: Vec::new(),
        uncovered: Vec::new(),
        unlinked: Vec::new(),
        unused_overrides: Vec::new(),
    };
    for op in api.operations() {
        let Some(doc_page) = &op.doc_page else {
            report.unlinked.push(op.id.clone());
            continue;
        };
        let drift = if pages.contains(doc_page) {
            let path = docs.join(doc_page);
            let text = read(&path)?;
            let imported = super::import_page(&text, &path.display().to_string()).map_err(one)?;
            let raw = raw_drift(api, op, &imported.draft);
            for o in &op.overrides {
                if !raw.iter().any(|d| covers(&o.at, &d.at)) {
                    report.unused_overrides.push((op.id.clone(), o.at.clone()));
                }
            }
            raw.into_iter().filter(|d| !overridden(op, d)).collect()
        } else {
            vec![Drift {
                at: "doc_page".to_owned(),
                change: Change::PageMissing,
            }]
        };
        report.operations.push(OperationReport {
            id: op.id.clone(),
            doc_page: doc_page.clone(),
            drift,
        });
    }
    for file in &pages {
        if api
            .operations()
            .any(|op| op.doc_page.as_ref() == Some(file))
        {
            continue;
        }
        let path = docs.join(file);
        let (page, _) = DocPage::parse(&read(&path)?, &path.display().to_string()).map_err(one)?;
        report.uncovered.push(Uncovered {
            doc_page: file.clone(),
            method: page.method,
            path: page.path,
        });
    }
    Ok(report)
}

/// The drift between `op` (part of `api`) and the operation drafted from its page, less what
/// `op`'s overrides cover.
pub fn compare(api: &Api, op: &Operation, draft: &Draft) -> Vec<Drift> {
    raw_drift(api, op, draft)
        .into_iter()
        .filter(|d| !overridden(op, d))
        .collect()
}

fn overridden(op: &Operation, drift: &Drift) -> bool {
    op.overrides.iter().any(|o| covers(&o.at, &drift.at))
}

/// An override covers its location and everything below it.
fn covers(over: &str, at: &str) -> bool {
    at == over
        || at
            .strip_prefix(over)
            .is_some_and(|rest| rest.starts_with('.'))
}

fn read(path: &Path) -> Result<String, Diagnostics> {
    std::fs::read_to_string(path).map_err(|error| cannot_read(path, &error))
}

/// The error for a file or directory that cannot be read.
fn cannot_read(path: &Path, error: &std::io::Error) -> Diagnostics {
    let message = format!("cannot read: {error}");
    one(Diagnostic::new(
        Severity::Error,
        path.display().to_string(),
        Position::default(),
        message,
    ))
}

fn one(diagnostic: Diagnostic) -> Diagnostics {
    Diagnostics(vec![diagnostic])
}

/// The page file names in `docs`, sorted.
fn page_files(docs: &Path) -> Result<Vec<String>, Diagnostics> {
    let entries = std::fs::read_dir(docs).map_err(|error| cannot_read(docs, &error))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|error| cannot_read(docs, &error))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") && !["INDEX.md", "NOTES.md", "README.md"].contains(&name.as_str())
        {
            files.push(name);
        }
    }
    files.sort();
    Ok(files)
}

fn raw_drift(api: &Api, op: &Operation, draft: &Draft) -> Vec<Drift> {
    let resource = api
        .resources
        .iter()
        .find(|r| r.operations.iter().any(|o| o.id == op.id));
    let mut cmp = Comparer {
        models: api.models.iter().map(|t| (t.name.as_str(), t)).collect(),
        local: resource
            .map(|r| r.types.iter().map(|t| (t.name.as_str(), t)).collect())
            .unwrap_or_default(),
        found: Vec::new(),
    };
    if draft.method != op.method {
        cmp.push(
            "method",
            Change::Method {
                spec: op.method,
                docs: draft.method,
            },
        );
    }
    let spec_path = op.path.to_string();
    if draft.path != spec_path {
        cmp.push(
            "path",
            Change::Path {
                spec: spec_path,
                docs: draft.path.clone(),
            },
        );
    } else {
        for page in &draft.path_params {
            if let Some(spec) = op.path_params.iter().find(|f| f.wire_name == page.name) {
                cmp.param_type(
                    &format!("path_params.{}", page.name),
                    &page.schema,
                    &spec.ty,
                );
            }
        }
    }
    let (query, body): (&[ir::Field], &[ir::Field]) = match &op.request {
        Some(r) if r.location == ir::ParamLocation::Query => (&r.fields, &[]),
        Some(r) => (&[], &r.fields),
        None => (&[], &[]),
    };
    cmp.params("query", &draft.query, query);
    cmp.params("body", &draft.body, body);
    if let DraftResponse::Known { envelope, data } = &draft.response {
        if *envelope != op.response.envelope {
            cmp.push(
                "response.envelope",
                Change::Envelope {
                    spec: op.response.envelope,
                    docs: *envelope,
                },
            );
        } else if let Some(data) = data {
            cmp.response("response.data", data, &op.response.data);
        }
    }
    cmp.found
}

/// A spec type with named types looked up.
enum Shape<'a> {
    Any,
    Unit,
    Scalar(Scalar, bool),
    Enum(&'a [EnumValue]),
    Object(&'a [ir::Field]),
    Map(&'a Type),
    Array(&'a Type),
}

/// JSON kinds, for deciding whether two types still agree.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Any,
    Str,
    Int,
    Num,
    Bool,
    Obj,
    Arr,
}

struct Comparer<'a> {
    models: HashMap<&'a str, &'a TypeDef>,
    local: HashMap<&'a str, &'a TypeDef>,
    found: Vec<Drift>,
}

impl<'a> Comparer<'a> {
    fn push(&mut self, at: &str, change: Change) {
        self.found.push(Drift {
            at: at.to_owned(),
            change,
        });
    }

    fn shape(&self, ty: &'a Type) -> Shape<'a> {
        match ty {
            Type::Any => Shape::Any,
            Type::Unit => Shape::Unit,
            Type::Scalar(s) => Shape::Scalar(*s, false),
            Type::Lenient(s) => Shape::Scalar(*s, true),
            Type::Array(items) => Shape::Array(items),
            Type::Map(values) => Shape::Map(values),
            Type::Named(r) => {
                let table = match r.scope {
                    Scope::Models => &self.models,
                    Scope::Resource => &self.local,
                };
                match table.get(r.name.as_str()).map(|t| &t.kind) {
                    Some(TypeKind::Struct(fields)) => Shape::Object(fields),
                    Some(TypeKind::Enum(values)) => Shape::Enum(values),
                    None => Shape::Any,
                }
            }
        }
    }

    fn params(&mut self, at: &str, page: &[Field], spec: &'a [ir::Field]) {
        for field in page {
            let place = format!("{at}.{}", field.name);
            match spec.iter().find(|s| s.wire_name == field.name) {
                Some(spec_field) => {
                    if let Some(docs) = field.required.filter(|r| *r != spec_field.required) {
                        self.push(
                            &place,
                            Change::Required {
                                spec: spec_field.required,
                                docs,
                            },
                        );
                    }
                    // A boolean sent as text is a string on the wire, as the docs say.
                    static TEXT_BOOLEAN: Type = Type::Lenient(Scalar::Boolean);
                    let ty = match (&spec_field.ty, spec_field.sent_as) {
                        (Type::Scalar(Scalar::Boolean), Some(_)) => &TEXT_BOOLEAN,
                        (ty, _) => ty,
                    };
                    self.param_type(&place, &field.schema, ty);
                }
                None => self.push(
                    &place,
                    Change::Added {
                        ty: field.schema.describe(),
                        required: field.required,
                    },
                ),
            }
        }
        for spec_field in spec {
            if !page.iter().any(|f| f.name == spec_field.wire_name) {
                self.push(&format!("{at}.{}", spec_field.wire_name), Change::Removed);
            }
        }
    }

    fn param_type(&mut self, at: &str, page: &Schema, spec: &'a Type) {
        let shape = self.shape(spec);
        if !compatible(page, &shape) {
            self.push(
                at,
                Change::Retyped {
                    spec: describe(&shape, spec),
                    docs: page.describe(),
                },
            );
            return;
        }
        match (&page.ty, shape) {
            (Ty::String, Shape::Enum(values)) => {
                let added: Vec<String> = page
                    .values
                    .iter()
                    .filter(|v| !values.iter().any(|e| e.wire == **v))
                    .cloned()
                    .collect();
                if !added.is_empty() {
                    self.push(at, Change::EnumValues { added });
                }
            }
            (Ty::Object(fields), Shape::Object(spec_fields)) => {
                self.params(at, fields, spec_fields)
            }
            (Ty::Array(inner), Shape::Array(spec_inner))
            | (Ty::Map(inner), Shape::Map(spec_inner)) => {
                self.param_type(at, inner, spec_inner);
            }
            _ => {}
        }
    }

    fn response(&mut self, at: &str, page: &Schema, spec: &'a Type) {
        let shape = self.shape(spec);
        let container = |k: Kind| matches!(k, Kind::Obj | Kind::Arr);
        if !compatible(page, &shape)
            && (container(page_kind(page)) || container(spec_kind(&shape).0))
        {
            self.push(
                at,
                Change::Retyped {
                    spec: describe(&shape, spec),
                    docs: page.describe(),
                },
            );
            return;
        }
        match (&page.ty, shape) {
            (Ty::Object(fields), Shape::Object(spec_fields)) => {
                for field in fields {
                    let place = format!("{at}.{}", field.name);
                    match spec_fields.iter().find(|s| s.wire_name == field.name) {
                        Some(spec_field) => self.response(&place, &field.schema, &spec_field.ty),
                        None => self.push(
                            &place,
                            Change::Added {
                                ty: field.schema.describe(),
                                required: None,
                            },
                        ),
                    }
                }
                if page.complete {
                    for spec_field in spec_fields {
                        if !fields.iter().any(|f| f.name == spec_field.wire_name) {
                            self.push(&format!("{at}.{}", spec_field.wire_name), Change::Removed);
                        }
                    }
                }
            }
            (Ty::Array(inner), Shape::Array(spec_inner))
            | (Ty::Map(inner), Shape::Map(spec_inner)) => {
                self.response(at, inner, spec_inner);
            }
            _ => {}
        }
    }
}

fn page_kind(schema: &Schema) -> Kind {
    match schema.ty {
        Ty::String | Ty::Date | Ty::DateTime => Kind::Str,
        Ty::Integer => Kind::Int,
        Ty::Number => Kind::Num,
        Ty::Boolean => Kind::Bool,
        Ty::Any => Kind::Any,
        // Named types are the objects `import` hoists out of several pages; a page has none.
        Ty::Object(_) | Ty::Map(_) | Ty::Named(_) => Kind::Obj,
        Ty::Array(_) => Kind::Arr,
    }
}

/// The spec side's kind and whether it is lenient.
fn spec_kind(shape: &Shape<'_>) -> (Kind, bool) {
    match shape {
        Shape::Any | Shape::Unit => (Kind::Any, false),
        Shape::Scalar(s, lenient) => {
            let kind = match s {
                Scalar::String | Scalar::Date | Scalar::DateTime => Kind::Str,
                Scalar::Integer => Kind::Int,
                Scalar::Number => Kind::Num,
                // An amount reads a number or its text, as a lenient number does.
                Scalar::Money => return (Kind::Num, true),
                Scalar::Boolean => Kind::Bool,
            };
            (kind, *lenient)
        }
        Shape::Enum(_) => (Kind::Str, false),
        Shape::Object(_) | Shape::Map(_) => (Kind::Obj, false),
        Shape::Array(_) => (Kind::Arr, false),
    }
}

/// Whether the page's type and the spec's still agree: the same JSON kind, an integer where the
/// spec takes any number, or a lenient side whose other side is a string (the docs call most
/// scalars `string`) or any scalar (a lenient string reads them all).
fn compatible(page: &Schema, shape: &Shape<'_>) -> bool {
    let docs = page_kind(page);
    // An amount the docs call an integer is a deliberate retyping (amounts have decimals):
    // reported, so the spec records it with its reason.
    if matches!(shape, Shape::Scalar(Scalar::Money, _)) && docs == Kind::Int {
        return false;
    }
    let (spec, spec_lenient) = spec_kind(shape);
    let scalar = |k: Kind| matches!(k, Kind::Str | Kind::Int | Kind::Num | Kind::Bool);
    let page_lenient = page.lenient && scalar(docs);
    let lenient_string_spec = spec_lenient && spec == Kind::Str;
    let lenient_string_page = page_lenient && docs == Kind::Str;
    docs == Kind::Any
        || spec == Kind::Any
        || docs == spec
        || (docs == Kind::Int && spec == Kind::Num)
        || (scalar(docs)
            && scalar(spec)
            && ((spec_lenient && docs == Kind::Str)
                || (page_lenient && spec == Kind::Str)
                || lenient_string_spec
                || lenient_string_page))
}

fn describe(shape: &Shape<'_>, ty: &Type) -> String {
    let scalar = |s: &Scalar| match s {
        Scalar::String => "string",
        Scalar::Integer => "integer",
        Scalar::Number => "number",
        Scalar::Money => "money",
        Scalar::Boolean => "boolean",
        Scalar::Date => "date",
        Scalar::DateTime => "date-time",
    };
    match (shape, ty) {
        (Shape::Any, _) => "any".to_owned(),
        (Shape::Unit, _) => "nothing".to_owned(),
        (Shape::Scalar(s, false), _) => scalar(s).to_owned(),
        (Shape::Scalar(s, true), _) => format!("lenient {}", scalar(s)),
        (Shape::Enum(_), Type::Named(r)) => format!("string enum `{}`", r.name),
        (Shape::Enum(_), _) => "string enum".to_owned(),
        (Shape::Object(_), Type::Named(r)) => format!("object `{}`", r.name),
        (Shape::Object(_), _) => "object".to_owned(),
        (Shape::Map(_), _) => "map".to_owned(),
        (Shape::Array(_), _) => "array".to_owned(),
    }
}

impl fmt::Display for Drift {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = &self.at;
        match &self.change {
            Change::PageMissing => write!(
                f,
                "{at}: the page is gone from the docs (endpoint removed?)"
            ),
            Change::Method { spec, docs } => {
                write!(f, "{at}: spec {}, docs {}", spec.as_str(), docs.as_str())
            }
            Change::Path { spec, docs } => write!(f, "{at}: spec {spec}, docs {docs}"),
            Change::Envelope { spec, docs } => write!(f, "{at}: spec {spec:?}, docs {docs:?}"),
            Change::Added { ty, required } => {
                let flag = match required {
                    Some(true) => ", required",
                    Some(false) => ", optional",
                    None => "",
                };
                write!(f, "{at}: added in the docs ({ty}{flag})")
            }
            Change::Removed => write!(f, "{at}: removed from the docs (the spec still has it)"),
            Change::Retyped { spec, docs } => write!(f, "{at}: retyped: spec {spec}, docs {docs}"),
            Change::Required { spec, docs } => {
                let word = |r: &bool| if *r { "required" } else { "optional" };
                write!(
                    f,
                    "{at}: {} in the docs, {} in the spec",
                    word(docs),
                    word(spec)
                )
            }
            Change::EnumValues { added } => write!(
                f,
                "{at}: the docs allow values the spec lacks: {}",
                added.join(", ")
            ),
        }
    }
}

impl Report {
    /// Whether anything drifted; with `strict`, pages without an operation count too.
    pub fn has_drift(&self, strict: bool) -> bool {
        self.operations.iter().any(|o| !o.drift.is_empty())
            || (strict && !self.uncovered.is_empty())
    }

    /// The report as `check` prints it.
    pub fn render(&self, strict: bool) -> String {
        let mut out = String::new();
        for op in self.operations.iter().filter(|o| !o.drift.is_empty()) {
            out.push_str(&format!("{} ({}):\n", op.id, op.doc_page));
            for drift in &op.drift {
                out.push_str(&format!("  {drift}\n"));
            }
        }
        if strict {
            for page in &self.uncovered {
                out.push_str(&format!(
                    "{}: endpoint added: {} {} has no operation in the spec\n",
                    page.doc_page,
                    page.method.as_str(),
                    page.path
                ));
            }
        }
        for (id, at) in &self.unused_overrides {
            out.push_str(&format!(
                "note: {id}: the override at `{at}` matches no drift; is it still needed?\n"
            ));
        }
        let drifted = self
            .operations
            .iter()
            .filter(|o| !o.drift.is_empty())
            .count();
        out.push_str(&format!(
            "{drifted} of {} linked operation(s) drift from their page",
            self.operations.len()
        ));
        if !self.uncovered.is_empty() {
            let counted = if strict {
                "counted as added"
            } else {
                "not counted; --strict counts them"
            };
            out.push_str(&format!(
                "; {} page(s) have no operation ({counted})",
                self.uncovered.len()
            ));
        }
        if !self.unlinked.is_empty() {
            out.push_str(&format!(
                "; {} operation(s) have no doc_page and were not checked",
                self.unlinked.len()
            ));
        }
        out.push('\n');
        out
    }
}
