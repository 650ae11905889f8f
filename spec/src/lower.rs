//! Checks the raw spec and lowers it to [`crate::ir`]: one rule per function, every problem
//! recorded in the collector, lowering carried on past errors so one run reports them all.

use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Collector, Position};
use crate::ir::{
    Api, EnumValue, Envelope, Field, Format, Method, Operation, ParamLocation, PathSegment,
    PathTemplate, Range, RepeatSafety, Request, Resource, Response, Root, Scalar, Scope, SentAs,
    Type, TypeDef, TypeKind, TypeRef, Usage,
};
use crate::names::{Names, Namespace};
use crate::naming;
use crate::raw::{
    Node, OrderedMap, RawApi, RawOperation, RawResponse, RawSchema, RawSpec, Spanned,
};

/// The spec language's version this crate reads.
pub const SPEC_VERSION: u32 = 1;

const BUILTIN_TYPES: &[&str] = &[
    "string",
    "integer",
    "number",
    "money",
    "boolean",
    "date",
    "date-time",
    "any",
    "object",
    "array",
    "map",
];

pub(crate) fn pos<T>(spanned: &Spanned<T>) -> Position {
    spanned.at
}

/// Lowers `raw`, recording every problem in `diag`.
///
/// A key the spec lacks lowers as if it were empty, after its error, so that the rest of the
/// spec is still checked; the result is then discarded with the errors.
pub(crate) fn lower(raw: &Spanned<RawSpec>, diag: &mut Collector<'_>) -> Api {
    let spec = &raw.value;
    check_keys(spec, pos(raw), diag);
    let absent = RawApi::default();
    let api = spec.api.as_ref().map_or(&absent, |api| {
        check_keys(&api.value, pos(api), diag);
        &api.value
    });
    check_header(spec, api, diag);
    let named: HashSet<&str> = spec.types.0.iter().map(|(k, _)| k.value.as_str()).collect();
    let mut models = Scoped::new(Scope::Models, &named);
    // Every named type's name is taken before any type is lowered, so that no inline type
    // hoisted out of an earlier one can take it.
    for (name, _) in &spec.types.0 {
        models.names.claim(
            &name.value,
            pos(name),
            format!("the type `{}` under `types:`", name.value),
            "rename one of the types",
            diag,
        );
    }
    for (name, schema) in &spec.types.0 {
        lower_named_type(name, schema, &mut models, diag);
    }
    let operations = spec.operations.as_deref().unwrap_or_default();
    let mut resources = lower_operations(operations, &named, diag);
    let base_url = api
        .base_url
        .as_ref()
        .map(|b| b.value.clone())
        .unwrap_or_default();
    let base_path = url_path_segments(&base_url);
    for op in resources.iter_mut().flat_map(|r| &mut r.operations) {
        op.mount = op.root.under(&base_path);
    }
    let mut lowered = Api {
        title: api.title.clone().unwrap_or_default(),
        version: api.version.clone().unwrap_or_default(),
        description: api.description.clone(),
        base_url,
        base_path,
        docs_url: api.docs.clone(),
        models: models.types,
        resources,
        webhooks: None,
    };
    lowered.webhooks = spec
        .webhooks
        .as_ref()
        .map(|webhooks| crate::events::lower_webhooks(webhooks, &lowered, diag));
    crate::usage::mark(&mut lowered);
    lowered
}

/// Reports the keys of `node` the spec language does not know, each at its position with the
/// closest known key as help, and the required keys it lacks, at `at` where it starts.
pub(crate) fn check_keys<N: Node>(node: &N, at: Position, diag: &mut Collector<'_>) {
    // A required key that a misspelt one was taken for is reported once, as the typo.
    let mut suggested = Vec::new();
    for key in node.unknown() {
        let known = N::KEYS.join(", ");
        let help = match naming::closest(&key.value, N::KEYS.iter().copied()) {
            Some(close) => {
                suggested.push(close);
                format!("did you mean `{close}`? the keys of {}: {known}", N::WHAT)
            }
            None => format!("the keys of {}: {known}", N::WHAT),
        };
        diag.error(
            pos(key),
            format!("unknown key `{}` in {}", key.value, N::WHAT),
            Some(help),
        );
    }
    let missing: Vec<&str> = node
        .missing()
        .into_iter()
        .filter(|key| !suggested.contains(key))
        .collect();
    if !missing.is_empty() {
        let listed: Vec<String> = missing.iter().map(|key| format!("`{key}`")).collect();
        let required = N::default().missing().join(", ");
        let keys = if missing.len() == 1 { "key" } else { "keys" };
        diag.error(
            at,
            format!("missing {keys} {} in {}", listed.join(" and "), N::WHAT),
            Some(format!("{} needs: {required}", N::WHAT)),
        );
    }
}

fn check_header(spec: &RawSpec, api: &RawApi, diag: &mut Collector<'_>) {
    if let Some(version) = spec
        .spec_version
        .as_ref()
        .filter(|v| v.value != SPEC_VERSION)
    {
        diag.error(
            pos(version),
            format!("unsupported spec_version {}", version.value),
            Some(format!("this generator reads spec_version: {SPEC_VERSION}")),
        );
    }
    if let Some(auth) = api.auth.as_ref().filter(|a| a.value != "basic") {
        diag.error(
            pos(auth),
            format!("unsupported auth scheme \"{}\"", auth.value),
            Some("Pabbly uses HTTP Basic: write `auth: basic`".to_owned()),
        );
    }
    if let Some(base_url) = &api.base_url {
        let base = &base_url.value;
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            diag.error(
                pos(base_url),
                format!("base_url \"{base}\" is not an http(s) URL"),
                None,
            );
        }
    }
}

/// The segments of an absolute URL's path: `["api", "v1"]` for
/// `https://payments.pabbly.com/api/v1/`, none for a bare host.
fn url_path_segments(url: &str) -> Vec<String> {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = after_scheme.find('/').map_or("", |i| &after_scheme[i..]);
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.split('/')
        .filter(|segment| !segment.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The types generated into one module, with the type names taken there.
struct Scoped<'n> {
    scope: Scope,
    named: &'n HashSet<&'n str>,
    names: Names,
    types: Vec<TypeDef>,
}

impl<'n> Scoped<'n> {
    fn new(scope: Scope, named: &'n HashSet<&'n str>) -> Self {
        Self {
            scope,
            named,
            names: Names::new(Namespace::Types),
            types: Vec::new(),
        }
    }

    /// Adds a type generated from an inline shape at `slot` (before the types hoisted out of
    /// it, so a parent reads before its parts), refusing a name already in use.
    fn hoist(&mut self, slot: usize, def: TypeDef, at: Position, diag: &mut Collector<'_>) -> Type {
        let name = def.name.clone();
        self.names.claim(
            &name,
            at,
            "an inline type",
            "define it once under `types:` and refer to it by name, or rename the field",
            diag,
        );
        self.types.insert(slot, def);
        Type::Named(TypeRef {
            name,
            scope: self.scope,
        })
    }
}

fn lower_named_type(
    name: &Spanned<String>,
    schema: &Spanned<RawSchema>,
    scope: &mut Scoped<'_>,
    diag: &mut Collector<'_>,
) {
    check_keys(&schema.value, pos(schema), diag);
    let at = pos(name);
    if !(naming::is_identifier(&name.value)
        && name.value.starts_with(|c: char| c.is_ascii_uppercase()))
    {
        diag.error(
            at,
            format!(
                "type name \"{}\" is not a PascalCase identifier",
                name.value
            ),
            Some(format!("name it `{}`", naming::pascal(&name.value))),
        );
    }
    reject_field_keys(&schema.value, diag);
    check_keys_fit(&schema.value, diag);
    // The type goes before those hoisted out of its fields, so a parent reads before its parts.
    let slot = scope.types.len();
    let Some(ty) = &schema.value.ty else {
        return;
    };
    let kind = match ty.value.as_str() {
        "object" => lower_struct(&name.value, &schema.value, pos(schema), scope, diag),
        "string" if schema.value.values.is_some() => lower_enum(&schema.value, diag),
        other => {
            diag.error(
                pos(ty),
                format!("named type `{}` has `type: {other}`", name.value),
                Some(
                    "a named type is an `object` with `fields` or a `string` with `enum` values"
                        .to_owned(),
                ),
            );
            return;
        }
    };
    scope.types.insert(
        slot,
        TypeDef {
            name: name.value.clone(),
            description: schema.value.description.clone(),
            kind,
            usage: Usage::default(),
        },
    );
}

/// `required`, `nullable` and `rust_name` describe a field, not a type.
fn reject_field_keys(schema: &RawSchema, diag: &mut Collector<'_>) {
    for (key, at) in [
        ("required", schema.required.as_ref().map(pos)),
        ("nullable", schema.nullable.as_ref().map(pos)),
        ("rust_name", schema.rust_name.as_ref().map(pos)),
        ("sensitive", schema.sensitive.as_ref().map(pos)),
        ("minimum", schema.minimum.as_ref().map(pos)),
        ("maximum", schema.maximum.as_ref().map(pos)),
        ("sent_as", schema.sent_as.as_ref().map(pos)),
    ] {
        if let Some(at) = at {
            diag.error(
                at,
                format!("`{key}` only applies to a field or parameter"),
                Some(format!("move `{key}` to the field that uses this type")),
            );
        }
    }
}

fn lower_struct(
    owner: &str,
    schema: &RawSchema,
    at: Position,
    scope: &mut Scoped<'_>,
    diag: &mut Collector<'_>,
) -> TypeKind {
    let Some(fields) = &schema.fields else {
        diag.error(
            at,
            format!("object `{owner}` has no `fields`"),
            Some("list its fields, or use `type: any` for an object of unknown shape".to_owned()),
        );
        return TypeKind::Struct(Vec::new());
    };
    TypeKind::Struct(lower_fields(owner, fields, scope, diag))
}

fn lower_fields(
    owner: &str,
    fields: &OrderedMap<RawSchema>,
    scope: &mut Scoped<'_>,
    diag: &mut Collector<'_>,
) -> Vec<Field> {
    let mut seen: HashMap<String, &str> = HashMap::new();
    let mut lowered = Vec::new();
    for (wire, schema) in &fields.0 {
        let field = lower_field(owner, wire, schema, scope, diag);
        if let Some(first) = seen.insert(field.rust_name.clone(), &wire.value) {
            diag.error(
                pos(wire),
                format!(
                    "fields \"{first}\" and \"{}\" would both be named `{}` in Rust",
                    wire.value, field.rust_name
                ),
                Some("give one of them a `rust_name`".to_owned()),
            );
        }
        lowered.push(field);
    }
    lowered
}

fn lower_field(
    owner: &str,
    wire: &Spanned<String>,
    schema: &Spanned<RawSchema>,
    scope: &mut Scoped<'_>,
    diag: &mut Collector<'_>,
) -> Field {
    let raw = &schema.value;
    let rust_name = match &raw.rust_name {
        Some(name) if naming::is_identifier(&name.value) => naming::snake(&name.value),
        Some(name) => {
            diag.error(
                pos(name),
                format!("rust_name \"{}\" is not an identifier", name.value),
                Some(format!("use `{}`", naming::snake(&name.value))),
            );
            naming::snake(&wire.value)
        }
        None => naming::snake(&wire.value),
    };
    // Every struct has `new` and `extra` already; a name made only of symbols has no
    // identifier at all.
    if naming::RESERVED_FIELD_NAMES.contains(&rust_name.as_str()) || !naming::is_usable(&rust_name)
    {
        diag.error(
            pos(wire),
            format!(
                "field \"{}\" has no usable Rust name (`{rust_name}`)",
                wire.value
            ),
            Some("give it a `rust_name`".to_owned()),
        );
    }
    let hint = format!("{owner}{}", naming::pascal(&rust_name));
    let ty = lower_type(&hint, raw, pos(schema), scope, diag);
    let format = lower_format(raw, &ty, diag);
    Field {
        wire_name: wire.value.clone(),
        rust_name,
        required: raw.required.as_ref().is_some_and(|r| r.value),
        nullable: raw.nullable.as_ref().is_some_and(|n| n.value),
        description: raw.description.clone(),
        format,
        default: raw.default.clone(),
        sensitive: raw.sensitive.as_ref().is_some_and(|s| s.value),
        range: lower_range(raw, &ty, diag),
        sent_as: lower_sent_as(raw, &ty, diag),
        ty,
    }
}

/// `minimum` and `maximum` bound an integer, inclusively.
fn lower_range(raw: &RawSchema, ty: &Type, diag: &mut Collector<'_>) -> Range {
    let range = Range {
        min: raw.minimum.as_ref().map(|m| m.value),
        max: raw.maximum.as_ref().map(|m| m.value),
    };
    let Some(at) = raw.minimum.as_ref().or(raw.maximum.as_ref()).map(pos) else {
        return range;
    };
    if !matches!(
        ty,
        Type::Scalar(Scalar::Integer) | Type::Lenient(Scalar::Integer)
    ) {
        diag.error(
            at,
            "`minimum` and `maximum` only apply to `type: integer`",
            None,
        );
        return Range::default();
    }
    if let (Some(min), Some(max)) = (range.min, range.max)
        && min > max
    {
        diag.error(
            at,
            format!("`minimum` {min} is greater than `maximum` {max}"),
            Some("no value would be allowed: swap or fix the bounds".to_owned()),
        );
    }
    range
}

/// `sent_as` names the text a boolean or an amount travels as.
fn lower_sent_as(raw: &RawSchema, ty: &Type, diag: &mut Collector<'_>) -> Option<SentAs> {
    let sent_as = raw.sent_as.as_ref()?;
    let boolean = matches!(
        ty,
        Type::Scalar(Scalar::Boolean) | Type::Lenient(Scalar::Boolean)
    );
    let money = *ty == Type::Scalar(Scalar::Money);
    let parsed = match sent_as.value.as_str() {
        "text" if boolean || money => SentAs::Text,
        "yes-no" if boolean => SentAs::YesNo,
        "text" | "yes-no" => {
            diag.error(
                pos(sent_as),
                format!("`sent_as: {}` does not apply to this type", sent_as.value),
                Some("`text` applies to `boolean` and `money`, `yes-no` to `boolean`".to_owned()),
            );
            return None;
        }
        other => {
            diag.error(
                pos(sent_as),
                format!("unknown `sent_as` \"{other}\""),
                Some(
                    "use `text` (`\"true\"`, `\"150.00\"`) or `yes-no` (`\"yes\"`/`\"no\"`)"
                        .to_owned(),
                ),
            );
            return None;
        }
    };
    Some(parsed)
}

fn lower_format(raw: &RawSchema, ty: &Type, diag: &mut Collector<'_>) -> Option<Format> {
    let format = raw.format.as_ref()?;
    let parsed = match format.value.as_str() {
        "url" => Format::Url,
        "email" => Format::Email,
        other => {
            diag.error(
                pos(format),
                format!("unknown format \"{other}\""),
                Some(
                    "known formats: url, email (dates have their own types: date, date-time)"
                        .to_owned(),
                ),
            );
            return None;
        }
    };
    if *ty != Type::Scalar(Scalar::String) {
        diag.error(pos(format), "`format` only applies to `type: string`", None);
    }
    Some(parsed)
}

/// Lowers one type node; inline objects and enums become named types called `hint`.
fn lower_type(
    hint: &str,
    raw: &RawSchema,
    at: Position,
    scope: &mut Scoped<'_>,
    diag: &mut Collector<'_>,
) -> Type {
    check_keys(raw, at, diag);
    let Some(ty) = &raw.ty else {
        return Type::Any;
    };
    let name = ty.value.as_str();
    check_keys_fit(raw, diag);
    let scalar = match name {
        "string" if raw.values.is_some() => {
            let kind = lower_enum(raw, diag);
            let slot = scope.types.len();
            return scope.hoist(slot, typedef(hint, raw, kind), at, diag);
        }
        "string" => Some(Scalar::String),
        "integer" => Some(Scalar::Integer),
        "number" => Some(Scalar::Number),
        "money" => Some(Scalar::Money),
        "boolean" => Some(Scalar::Boolean),
        "date" => Some(Scalar::Date),
        "date-time" => Some(Scalar::DateTime),
        _ => None,
    };
    if let Some(scalar) = scalar {
        let lenient = raw.lenient.as_ref().is_some_and(|l| l.value);
        return if lenient {
            Type::Lenient(scalar)
        } else {
            Type::Scalar(scalar)
        };
    }
    match name {
        "any" => Type::Any,
        "object" => {
            let slot = scope.types.len();
            let kind = lower_struct(hint, raw, at, scope, diag);
            scope.hoist(slot, typedef(hint, raw, kind), at, diag)
        }
        "array" => match &raw.items {
            Some(items) => Type::Array(Box::new(lower_element(
                &format!("{hint}Item"),
                &items.value,
                pos(items),
                scope,
                diag,
            ))),
            None => {
                diag.error(
                    at,
                    "an array needs `items`",
                    Some("add `items: { type: … }`".to_owned()),
                );
                Type::Array(Box::new(Type::Any))
            }
        },
        "map" => match &raw.map_values {
            Some(values) => Type::Map(Box::new(lower_element(
                &format!("{hint}Value"),
                &values.value,
                pos(values),
                scope,
                diag,
            ))),
            None => {
                diag.error(
                    at,
                    "a map needs `values`",
                    Some("add `values: { type: … }`".to_owned()),
                );
                Type::Map(Box::new(Type::Any))
            }
        },
        reference if reference.starts_with(|c: char| c.is_ascii_uppercase()) => {
            if !scope.named.contains(reference) {
                let known: Vec<&str> = scope.named.iter().copied().collect();
                let help = match naming::closest(reference, known.iter().copied()) {
                    Some(close) => format!("did you mean `{close}`?"),
                    None => "define it under `types:`".to_owned(),
                };
                diag.error(
                    pos(ty),
                    format!("unresolved reference: no type named `{reference}` under `types:`"),
                    Some(help),
                );
            }
            Type::Named(TypeRef {
                name: reference.to_owned(),
                scope: Scope::Models,
            })
        }
        unknown => {
            let known = BUILTIN_TYPES.join(", ");
            let help = match naming::closest(unknown, BUILTIN_TYPES.iter().copied()) {
                Some(close) => {
                    format!("did you mean `{close}`? known types: {known}, or a named type")
                }
                None => format!("known types: {known}, or a named type (PascalCase)"),
            };
            diag.error(pos(ty), format!("unknown type \"{unknown}\""), Some(help));
            Type::Any
        }
    }
}

/// An array's items or a map's values: a type like any other, except that the generator decodes
/// leniently only a field's own scalar, so `lenient` here would be silently ignored.
fn lower_element(
    hint: &str,
    raw: &RawSchema,
    at: Position,
    scope: &mut Scoped<'_>,
    diag: &mut Collector<'_>,
) -> Type {
    if let Some(lenient) = raw.lenient.as_ref().filter(|l| l.value) {
        diag.error(
            pos(lenient),
            "`lenient` applies to a field's own value, not to array items or map values",
            Some("use `type: any` for elements Pabbly sends in several JSON types".to_owned()),
        );
    }
    if let Some(ty) = raw.ty.as_ref().filter(|ty| ty.value == "money") {
        // Amounts are decoded exactly by a field's own decoder, which elements do not get.
        diag.error(
            pos(ty),
            "`money` applies to a field's own value, not to array items or map values",
            Some("wrap the amount in an object with a `money` field".to_owned()),
        );
    }
    lower_type(hint, raw, at, scope, diag)
}

fn typedef(name: &str, raw: &RawSchema, kind: TypeKind) -> TypeDef {
    TypeDef {
        name: name.to_owned(),
        description: raw.description.clone(),
        kind,
        usage: Usage::default(),
    }
}

/// Keys that only mean something for one kind of type.
fn check_keys_fit(raw: &RawSchema, diag: &mut Collector<'_>) {
    let Some(spanned) = &raw.ty else {
        return;
    };
    let ty = spanned.value.as_str();
    let at = pos(spanned);
    let misplaced = [
        ("items", raw.items.is_some(), "array"),
        ("values", raw.map_values.is_some(), "map"),
        ("fields", raw.fields.is_some(), "object"),
        ("enum", raw.values.is_some(), "string"),
    ];
    for (key, present, owner) in misplaced {
        if present && ty != owner {
            diag.error(
                at,
                format!("`{key}` only applies to `type: {owner}`, not `{ty}`"),
                None,
            );
        }
    }
    if let Some(lenient) = &raw.lenient
        && !["string", "integer", "number", "boolean"].contains(&ty)
    {
        let help = (ty == "money").then(|| {
            "money always accepts a JSON number or a decimal text: remove `lenient`".to_owned()
        });
        diag.error(
            pos(lenient),
            format!("`lenient` only applies to string, integer, number and boolean, not `{ty}`"),
            help,
        );
    }
}

fn lower_enum(raw: &RawSchema, diag: &mut Collector<'_>) -> TypeKind {
    let Some(values) = &raw.values else {
        return TypeKind::Enum(Vec::new());
    };
    if values.value.is_empty() {
        diag.error(pos(values), "an enum needs at least one value", None);
    }
    let mut seen = HashSet::new();
    let mut lowered = Vec::new();
    for value in &values.value {
        let variant = naming::pascal(&value.value);
        if !naming::is_usable(&variant) || variant == "Unknown" {
            diag.error(
                pos(value),
                format!("enum value \"{}\" cannot be named in Rust", value.value),
                Some("`Unknown` is reserved for values the spec does not list; empty values decode as unknown".to_owned()),
            );
            continue;
        }
        if !seen.insert(variant.clone()) {
            diag.error(
                pos(value),
                format!("enum value \"{}\" repeats variant `{variant}`", value.value),
                None,
            );
            continue;
        }
        lowered.push(EnumValue {
            wire: value.value.clone(),
            variant,
        });
    }
    TypeKind::Enum(lowered)
}

fn lower_operations(
    raw: &[Spanned<RawOperation>],
    named: &HashSet<&str>,
    diag: &mut Collector<'_>,
) -> Vec<Resource> {
    let mut first_seen: HashMap<&str, Position> = HashMap::new();
    let mut resources: Vec<ResourceScope<'_>> = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    let mut crate_names = CrateNames::new();
    for spanned in raw {
        let op = &spanned.value;
        check_keys(op, pos(spanned), diag);
        let Some(spanned_id) = &op.id else {
            let mut scratch = Scoped::new(Scope::Resource, named);
            lower_operation(spanned, "operation", "operation", &mut scratch, diag);
            continue;
        };
        let id = spanned_id.value.as_str();
        let at = pos(spanned_id);
        let place = if let Some(first) = first_seen.get(id) {
            diag.error(
                at,
                format!(
                    "duplicate operation id `{id}` (first defined at line {})",
                    first.line
                ),
                Some("operation ids must be unique: rename one of them".to_owned()),
            );
            None
        } else {
            first_seen.insert(id, at);
            split_id(spanned_id, diag)
        };
        let Some((module, action)) = place else {
            // Left out of the API, but still checked so one run reports all its mistakes.
            let mut scratch = Scoped::new(Scope::Resource, named);
            let action = naming::snake(id);
            lower_operation(spanned, &action, &action, &mut scratch, diag);
            continue;
        };
        let index = match index_of.get(&module) {
            Some(&index) => index,
            None => {
                index_of.insert(module.clone(), resources.len());
                resources.push(ResourceScope::new(
                    module,
                    at,
                    named,
                    &mut crate_names,
                    diag,
                ));
                resources.len() - 1
            }
        };
        let resource = &mut resources[index];
        let operation = lower_operation(
            spanned,
            &resource.resource.module,
            &action,
            &mut resource.types,
            diag,
        );
        resource.claim_methods(&operation, at, diag);
        crate_names.registry.claim(
            &operation.registry_name,
            at,
            format!("the registry entry of `{id}`"),
            "rename one of the two operations: the registry names each operation \
             `<resource>_<action>`, so `a_b.c` and `a.b_c` meet",
            diag,
        );
        resource.resource.operations.push(operation);
    }
    resources
        .into_iter()
        .map(|scope| {
            let mut resource = scope.resource;
            resource.types = scope.types.types;
            resource
        })
        .collect()
}

/// The namespaces shared by every resource: the `Client`'s methods, the crate-level modules and
/// the registry's functions.
struct CrateNames {
    client: Names,
    modules: Names,
    registry: Names,
}

impl CrateNames {
    fn new() -> Self {
        Self {
            client: Names::new(Namespace::ClientMethods),
            modules: Names::new(Namespace::Modules),
            registry: Names::new(Namespace::Registry),
        }
    }
}

/// A resource being lowered, with the names taken in its module and on its handle.
struct ResourceScope<'n> {
    resource: Resource,
    types: Scoped<'n>,
    methods: Names,
}

impl<'n> ResourceScope<'n> {
    /// A resource first seen at `at`, whose module, accessor and handle names it claims.
    fn new(
        module: String,
        at: Position,
        named: &'n HashSet<&'n str>,
        crate_names: &mut CrateNames,
        diag: &mut Collector<'_>,
    ) -> Self {
        let help = "rename the resource part of the operation ids";
        crate_names.modules.claim(
            &module,
            at,
            format!("the module of resource `{module}`"),
            help,
            diag,
        );
        crate_names.client.claim(
            &module,
            at,
            format!("the `Client` accessor of resource `{module}`"),
            help,
            diag,
        );
        let handle = naming::pascal(&module);
        let mut types = Scoped::new(Scope::Resource, named);
        types.names.claim(
            &handle,
            at,
            format!("the handle type of resource `{module}`"),
            help,
            diag,
        );
        Self {
            resource: Resource {
                handle,
                module,
                types: Vec::new(),
                operations: Vec::new(),
            },
            types,
            methods: Names::new(Namespace::ResourceMethods),
        }
    }

    /// Claims the handle's methods for `operation`: its action, and its stream if it is a list.
    fn claim_methods(&mut self, operation: &Operation, at: Position, diag: &mut Collector<'_>) {
        let help = "rename the action of the operation (a resource's methods are its actions \
                    and the `<action>_all` streams of its lists)";
        let id = &operation.id;
        self.methods.claim(
            &operation.action,
            at,
            format!("the method of `{id}`"),
            help,
            diag,
        );
        if let Some(stream) = &operation.stream {
            self.methods.claim(
                stream,
                at,
                format!("the `_all` stream of `{id}`"),
                help,
                diag,
            );
        }
    }
}

/// `portal_sessions.create` → (`portal_sessions`, `create`).
fn split_id(id: &Spanned<String>, diag: &mut Collector<'_>) -> Option<(String, String)> {
    let well_formed = id.value.split_once('.').filter(|(resource, action)| {
        [resource, action]
            .iter()
            .all(|part| naming::is_usable(part) && naming::snake(part) == **part)
    });
    match well_formed {
        Some((resource, action)) => Some((resource.to_owned(), action.to_owned())),
        None => {
            diag.error(
                pos(id),
                format!("operation id \"{}\" is not `resource.action`", id.value),
                Some(
                    "write it as two snake_case words joined by a dot, e.g. `customers.list`"
                        .to_owned(),
                ),
            );
            None
        }
    }
}

/// Lowers one operation of resource `module`, named `action` on its handle.
fn lower_operation(
    spanned: &Spanned<RawOperation>,
    module: &str,
    action: &str,
    scope: &mut Scoped<'_>,
    diag: &mut Collector<'_>,
) -> Operation {
    let op = &spanned.value;
    let method = op
        .method
        .as_ref()
        .map_or(Method::Get, |m| lower_method(m, diag));
    let action_type = naming::pascal(action);
    let (path_params, path) = lower_path(op, &action_type, scope, diag);
    let request = lower_request(spanned, &action_type, scope, diag);
    let response = match &op.response {
        Some(response) => lower_response(response, &action_type, scope, diag),
        None => Response {
            envelope: Envelope::Data,
            data: Type::Any,
            probably: None,
        },
    };
    let examples = op.examples.as_ref().map(|examples| {
        check_keys(&examples.value, pos(examples), diag);
        &examples.value
    });
    let example = |which: fn(&crate::raw::RawExamples) -> &Option<Spanned<serde_json::Value>>| {
        examples
            .and_then(|e| which(e).as_ref())
            .map(|e| e.value.clone())
    };
    let mut operation = Operation {
        id: op
            .id
            .as_ref()
            .map(|id| id.value.clone())
            .unwrap_or_default(),
        action: action.to_owned(),
        stream: None,
        static_name: action.to_uppercase(),
        registry_name: format!("{module}_{action}"),
        method,
        path,
        root: lower_root(op, diag),
        // Set once every operation is lowered, from the API's base URL.
        mount: Vec::new(),
        summary: op.summary.clone().unwrap_or_default(),
        description: op.description.clone(),
        docs_url: op.docs.clone(),
        path_params,
        request,
        response,
        example_request: example(|e| &e.request),
        example_response: example(|e| &e.response),
        doc_page: lower_doc_page(op, diag),
        overrides: lower_overrides(op, diag),
        repeat_safe: lower_repeat_safety(op, method, diag),
    };
    if operation.pagination().is_some() {
        operation.stream = Some(format!("{action}_all"));
    }
    operation
}

/// Repeat safety follows the method unless the spec says otherwise, and then it says why: the
/// retry policy trusts this flag, so an unexplained one is refused.
fn lower_repeat_safety(
    op: &RawOperation,
    method: Method,
    diag: &mut Collector<'_>,
) -> RepeatSafety {
    let by_method = matches!(method, Method::Get | Method::Put | Method::Delete);
    let reason = op
        .repeat_reason
        .as_ref()
        .map(|r| (pos(r), r.value.trim().to_owned()));
    let Some(declared) = &op.repeat_safe else {
        if let Some((at, _)) = reason {
            diag.error(
                at,
                "`repeat_reason` without `repeat_safe`",
                Some("add `repeat_safe: true` or `false`, or remove the reason".to_owned()),
            );
        }
        return RepeatSafety {
            safe: by_method,
            reason: None,
        };
    };
    if declared.value == by_method {
        diag.error(
            pos(declared),
            format!(
                "`repeat_safe: {}` is already the default for {}",
                declared.value,
                method.as_str()
            ),
            Some("remove it (and its `repeat_reason`)".to_owned()),
        );
        return RepeatSafety {
            safe: by_method,
            reason: None,
        };
    }
    match reason {
        Some((_, reason)) if !reason.is_empty() => RepeatSafety {
            safe: declared.value,
            reason: Some(reason),
        },
        _ => {
            diag.error(
                pos(declared),
                format!(
                    "`repeat_safe: {}` overrides the default for {} without a `repeat_reason`",
                    declared.value,
                    method.as_str()
                ),
                Some("add `repeat_reason: …` saying what a second send would do".to_owned()),
            );
            RepeatSafety {
                safe: declared.value,
                reason: None,
            }
        }
    }
}

fn lower_method(method: &Spanned<String>, diag: &mut Collector<'_>) -> Method {
    Method::from_name(&method.value).unwrap_or_else(|| {
        diag.error(
            pos(method),
            format!("unknown HTTP method \"{}\"", method.value),
            Some("use GET, POST, PUT, PATCH or DELETE".to_owned()),
        );
        Method::Get
    })
}

/// The placeholders of a path template, in order: `/a/{x}/b/{y}` → `[x, y]`.
///
/// ```
/// assert_eq!(pabbly_spec::path_placeholders("/a/{x}/b/{y}/"), Ok(vec!["x", "y"]));
/// assert!(pabbly_spec::path_placeholders("/a/{x").is_err());
/// ```
///
/// # Errors
/// What is malformed: an unpaired brace, a placeholder that is not a name, appears twice or
/// is not a whole segment, an empty segment.
pub fn placeholders(path: &str) -> Result<Vec<&str>, String> {
    let (parts, _) = split_template(path).map_err(|(problem, _)| problem)?;
    Ok(parts
        .into_iter()
        .filter_map(|part| match part {
            Part::Placeholder(name) => Some(name),
            Part::Literal(_) => None,
        })
        .collect())
}

/// One segment of a path template, as written.
enum Part<'a> {
    Literal(&'a str),
    Placeholder(&'a str),
}

/// The segments of a path template after its leading `/`, and whether it ends with `/`: the one
/// place a template is parsed. An error says what is wrong and how to write it.
fn split_template(path: &str) -> Result<(Vec<Part<'_>>, bool), (String, &'static str)> {
    const SEGMENTS: &str =
        "write the path as segments between single `/`, each a literal or one whole `{name}`";
    check_braces(path).map_err(|problem| (problem, "write each placeholder once, as `{name}`"))?;
    let body = path.strip_prefix('/').unwrap_or(path);
    let (body, trailing_slash) = match body.strip_suffix('/') {
        Some(body) => (body, true),
        None => (body, false),
    };
    if body.is_empty() {
        return Ok((Vec::new(), false));
    }
    let mut parts = Vec::new();
    for segment in body.split('/') {
        if segment.is_empty() {
            return Err(("an empty segment (`//`)".to_owned(), SEGMENTS));
        }
        let name = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}'));
        parts.push(match name {
            Some(name) if !name.contains(['{', '}']) => Part::Placeholder(name),
            _ if segment.contains('{') => {
                let problem = format!("a placeholder in `{segment}` is not a whole segment");
                return Err((problem, SEGMENTS));
            }
            _ => Part::Literal(segment),
        });
    }
    Ok((parts, trailing_slash))
}

/// Every `{` closed by a `}` around a parameter name, each name once.
fn check_braces(path: &str) -> Result<(), String> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find(['{', '}']) {
        if rest[open..].starts_with('}') {
            return Err("a `}` without its `{`".to_owned());
        }
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err("a `{` without its `}`".to_owned());
        };
        let name = &after[..close];
        if !naming::is_identifier(name) {
            return Err(format!("placeholder `{{{name}}}` is not a parameter name"));
        }
        if names.contains(&name) {
            return Err(format!("placeholder `{{{name}}}` appears twice"));
        }
        names.push(name);
        rest = &after[close + 1..];
    }
    Ok(())
}

/// Parses the template and checks it against `path_params`: the parameters in template order,
/// and the template whose placeholders refer to them.
fn lower_path(
    op: &RawOperation,
    action_type: &str,
    scope: &mut Scoped<'_>,
    diag: &mut Collector<'_>,
) -> (Vec<Field>, PathTemplate) {
    let Some(path) = &op.path else {
        // Without a template there is nothing to check the parameters against.
        for (_, schema) in &op.path_params.0 {
            check_keys(&schema.value, pos(schema), diag);
        }
        return (Vec::new(), PathTemplate::default());
    };
    if !path.value.starts_with('/') {
        diag.error(
            pos(path),
            format!("path \"{}\" does not start with `/`", path.value),
            None,
        );
    }
    let (parts, trailing_slash) = match split_template(&path.value) {
        Ok(split) => split,
        Err((problem, help)) => {
            diag.error(
                pos(path),
                format!("malformed path template \"{}\": {problem}", path.value),
                Some(help.to_owned()),
            );
            return (Vec::new(), PathTemplate::default());
        }
    };
    let used: Vec<&str> = parts
        .iter()
        .filter_map(|part| match part {
            Part::Placeholder(name) => Some(*name),
            Part::Literal(_) => None,
        })
        .collect();
    let declared = &op.path_params.0;
    for name in &used {
        if !declared.iter().any(|(k, _)| k.value == *name) {
            diag.error(
                pos(path),
                format!("undeclared path parameter `{name}` in \"{}\"", path.value),
                Some(format!(
                    "declare it under `path_params:` as `{name}: {{ type: string }}`"
                )),
            );
        }
    }
    let mut ordered = Vec::new();
    for name in &used {
        let Some((wire, schema)) = declared.iter().find(|(k, _)| k.value == *name) else {
            continue;
        };
        let mut field = lower_field(action_type, wire, schema, scope, diag);
        if !matches!(field.ty, Type::Scalar(Scalar::String | Scalar::Integer)) {
            diag.error(
                schema.value.ty.as_ref().map_or(pos(schema), pos),
                "a path parameter is a `string` or an `integer`",
                None,
            );
        }
        field.required = true;
        ordered.push(field);
    }
    for (wire, schema) in declared {
        if !used.contains(&wire.value.as_str()) {
            check_keys(&schema.value, pos(schema), diag);
            diag.error(
                pos(wire),
                format!(
                    "path parameter `{}` is declared but not used in \"{}\"",
                    wire.value, path.value
                ),
                Some(format!(
                    "add `{{{}}}` to the path or remove the parameter",
                    wire.value
                )),
            );
        }
    }
    // Placeholders are in template order, so a parameter's index is its placeholder's (an
    // undeclared one is an error above, and then the model is not used).
    let segments = parts
        .into_iter()
        .map(|part| match part {
            Part::Literal(text) => PathSegment::Literal(text.to_owned()),
            Part::Placeholder(name) => PathSegment::Param {
                index: used
                    .iter()
                    .position(|used| *used == name)
                    .unwrap_or_default(),
                name: name.to_owned(),
            },
        })
        .collect();
    let template = PathTemplate {
        segments,
        trailing_slash,
    };
    (ordered, template)
}

fn lower_request(
    spanned: &Spanned<RawOperation>,
    action_type: &str,
    scope: &mut Scoped<'_>,
    diag: &mut Collector<'_>,
) -> Option<Request> {
    let op = &spanned.value;
    let (at, id) = op
        .id
        .as_ref()
        .map_or((pos(spanned), ""), |id| (pos(id), id.value.as_str()));
    let (location, fields) = match (op.query.0.is_empty(), op.body.0.is_empty()) {
        (true, true) => return None,
        (false, true) => (ParamLocation::Query, &op.query),
        (true, false) => (ParamLocation::Body, &op.body),
        (false, false) => {
            diag.error(
                at,
                format!("operation `{id}` has both `query` and `body` parameters"),
                Some(
                    "Pabbly's operations take one or the other; move the parameters to one place"
                        .to_owned(),
                ),
            );
            (ParamLocation::Body, &op.body)
        }
    };
    let type_name = format!("{action_type}Request");
    scope.names.claim(
        &type_name,
        at,
        format!("the request type of `{id}`"),
        "rename the operation, or the field whose inline type takes the name",
        diag,
    );
    let fields = lower_fields(&type_name, fields, scope, diag);
    Some(Request {
        type_name,
        location,
        fields,
    })
}

fn lower_response(
    response: &Spanned<RawResponse>,
    action_type: &str,
    scope: &mut Scoped<'_>,
    diag: &mut Collector<'_>,
) -> Response {
    let raw = &response.value;
    check_keys(raw, pos(response), diag);
    let envelope = match raw.envelope.as_ref().map(|e| (e.value.as_str(), pos(e))) {
        None | Some(("data", _)) => Envelope::Data,
        Some(("message", _)) => Envelope::Message,
        Some(("message-list", _)) => Envelope::MessageList,
        Some(("bare", _)) => Envelope::Bare,
        Some((other, at)) => {
            diag.error(
                at,
                format!("unknown envelope \"{other}\""),
                Some("use data, message, message-list or bare".to_owned()),
            );
            Envelope::Data
        }
    };
    let data = match (&raw.data, envelope) {
        (None, Envelope::Message) => Type::Unit,
        (Some(data), Envelope::Message) => {
            diag.error(
                pos(data),
                "an envelope of `message` carries no data",
                Some("remove `data`, or use `envelope: data`".to_owned()),
            );
            Type::Unit
        }
        (Some(data), _) => {
            reject_field_keys(&data.value, diag);
            lower_type(
                &format!("{action_type}Response"),
                &data.value,
                pos(data),
                scope,
                diag,
            )
        }
        (None, _) => {
            diag.error(
                pos(response),
                "the response has no `data` type",
                Some("add `data: { type: … }` (`any` when the docs do not show it)".to_owned()),
            );
            Type::Any
        }
    };
    let probably = lower_probably(raw, &data, scope, diag);
    Response {
        envelope,
        data,
        probably,
    }
}

/// `probably` names the model an untyped answer most likely is, for the method's docs.
fn lower_probably(
    raw: &crate::raw::RawResponse,
    data: &Type,
    scope: &Scoped<'_>,
    diag: &mut Collector<'_>,
) -> Option<TypeRef> {
    let probably = raw.probably.as_ref()?;
    let untyped = match data {
        Type::Any => true,
        Type::Array(item) => **item == Type::Any,
        _ => false,
    };
    if !untyped {
        diag.error(
            pos(probably),
            "`probably` only applies to data of `type: any` (or an array of it)",
            Some("the data is already typed: remove `probably`".to_owned()),
        );
        return None;
    }
    if !scope.named.contains(probably.value.as_str()) {
        let help = naming::closest(&probably.value, scope.named.iter().copied())
            .map(|close| format!("did you mean `{close}`?"));
        diag.error(
            pos(probably),
            format!(
                "`probably` names no type under `types:`: `{}`",
                probably.value
            ),
            help,
        );
        return None;
    }
    Some(TypeRef {
        name: probably.value.clone(),
        scope: Scope::Models,
    })
}

/// `base` re-roots one operation relative to the API's base URL, so a client pointed at a mock
/// (`http://127.0.0.1:PORT/api/v1`) reaches the mock's v2 route too: only `../` steps and plain
/// segments are allowed, never a scheme, host or query.
fn lower_root(op: &RawOperation, diag: &mut Collector<'_>) -> Root {
    let Some(base) = op.base.as_ref() else {
        return Root::default();
    };
    let value = base.value.trim_end_matches('/');
    let segments_ok = !value.is_empty()
        && value.split('/').all(|s| {
            s == ".."
                || (!s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        });
    if !segments_ok {
        diag.error(
            pos(base),
            format!(
                "base \"{}\" is not a relative path such as `../v2`",
                base.value
            ),
            Some(
                "write it relative to the API's base URL, with `../` steps and plain segments"
                    .to_owned(),
            ),
        );
        return Root::default();
    }
    // `..` steps come first: a `..` after a segment would only take it back.
    let mut root = Root::default();
    for step in value.split('/') {
        match step {
            ".." if root.then.pop().is_none() => root.up += 1,
            ".." => {}
            segment => root.then.push(segment.to_owned()),
        }
    }
    root
}

/// `doc_page` names a file directly under `spec/docs/`, so `check` can find it from the name.
fn lower_doc_page(op: &RawOperation, diag: &mut Collector<'_>) -> Option<String> {
    let page = op.doc_page.as_ref()?;
    let name = page.value.as_str();
    if name.contains(['/', '\\']) || !name.ends_with(".md") || name.len() == ".md".len() {
        diag.error(
            pos(page),
            format!("doc_page \"{name}\" is not the file name of a page"),
            Some("write the page's file name under spec/docs/, e.g. `customers__list-all-customers.md`".to_owned()),
        );
    }
    Some(page.value.clone())
}

/// The first part of an override's `at`: the parts of an operation drift is reported for.
const OVERRIDE_ROOTS: &[&str] = &["method", "path", "path_params", "query", "body", "response"];

/// An override without a reason would silence drift with no record of why, so it is an error.
fn lower_overrides(op: &RawOperation, diag: &mut Collector<'_>) -> Vec<crate::ir::Override> {
    let mut lowered = Vec::new();
    for entry in &op.overrides {
        check_keys(&entry.value, pos(entry), diag);
        let Some(at) = &entry.value.at else {
            continue;
        };
        let root = at.value.split('.').next().unwrap_or_default();
        if !OVERRIDE_ROOTS.contains(&root) || at.value.split('.').any(str::is_empty) {
            diag.error(
                pos(at),
                format!(
                    "override location \"{}\" names no part of an operation",
                    at.value
                ),
                Some(format!(
                    "start it with one of {}, e.g. `query.limit` or `response.data.plan`",
                    OVERRIDE_ROOTS.join(", ")
                )),
            );
        }
        let reason = entry
            .value
            .reason
            .as_ref()
            .map(|r| r.value.trim())
            .unwrap_or_default();
        if reason.is_empty() {
            diag.error(
                pos(entry),
                format!("the override at \"{}\" has no reason", at.value),
                Some("add `reason: …` saying why the spec differs from the docs here".to_owned()),
            );
            continue;
        }
        lowered.push(crate::ir::Override {
            at: at.value.clone(),
            reason: reason.to_owned(),
        });
    }
    lowered
}
