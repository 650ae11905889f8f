//! Checks the `webhooks:` section and lowers it to [`crate::ir::Webhooks`]: each event's wire
//! string and variant, what its `data` holds, and the read that confirms it.

use std::collections::HashMap;

use crate::diagnostic::{Collector, Position};
use crate::ir::{
    Api, Confirm, Method, Operation, Scalar, Scope, Type, TypeKind, TypeRef, WebhookEvent, Webhooks,
};
use crate::lower::{check_keys, pos};
use crate::naming;
use crate::raw::{RawConfirm, RawEvent, RawSchema, RawWebhooks, Spanned};

/// Lowers `raw` against the already lowered models and operations of `api`.
pub(crate) fn lower_webhooks(
    raw: &Spanned<RawWebhooks>,
    api: &Api,
    diag: &mut Collector<'_>,
) -> Webhooks {
    check_keys(&raw.value, pos(raw), diag);
    let mut wires: HashMap<&str, Position> = HashMap::new();
    let mut variants: HashMap<String, &str> = HashMap::new();
    let mut events = Vec::new();
    for spanned in raw.value.events.iter().flatten() {
        let event = &spanned.value;
        check_keys(event, pos(spanned), diag);
        let Some(wire) = &event.event else {
            continue;
        };
        if let Some(first) = wires.get(wire.value.as_str()) {
            diag.error(
                pos(wire),
                format!(
                    "duplicate event type \"{}\" (first defined at line {})",
                    wire.value, first.line
                ),
                Some("each event type string is listed once".to_owned()),
            );
            continue;
        }
        wires.insert(&wire.value, pos(wire));
        let variant = naming::pascal(&wire.value);
        if !naming::is_usable(&variant) || variant == "Unknown" {
            diag.error(
                pos(wire),
                format!("event type \"{}\" cannot be named in Rust", wire.value),
                Some(
                    "`Unknown` is reserved for event types the spec does not list; write the \
                     wire string in snake_case"
                        .to_owned(),
                ),
            );
            continue;
        }
        if let Some(first) = variants.insert(variant.clone(), &wire.value) {
            diag.error(
                pos(wire),
                format!(
                    "event types \"{first}\" and \"{}\" would both be the variant `{variant}`",
                    wire.value
                ),
                Some("the variant is the PascalCase of the wire string: rename one".to_owned()),
            );
            continue;
        }
        let data = lower_data(event, api, diag);
        let confirm = event
            .confirm
            .as_ref()
            .and_then(|confirm| lower_confirm(confirm, data.as_ref(), api, diag));
        check_example(event, &wire.value, diag);
        events.push(WebhookEvent {
            wire: wire.value.clone(),
            variant,
            name: event.name.clone().unwrap_or_default(),
            description: event.description.clone(),
            confirmed: event.confirmed.as_ref().is_some_and(|c| c.value),
            data,
            data_description: event
                .data
                .as_ref()
                .and_then(|d| d.value.description.clone()),
            confirm,
            example: event.example.as_ref().map(|e| e.value.clone()),
        });
    }
    let mut data_types: Vec<TypeRef> = Vec::new();
    for data in events.iter().filter_map(|e| e.data.as_ref()) {
        if !data_types.contains(data) {
            data_types.push(data.clone());
        }
    }
    Webhooks {
        description: raw.value.description.clone(),
        events,
        data_types,
    }
}

/// `data` is a named object type under `types:`, or `any` where the docs do not say.
fn lower_data(event: &RawEvent, api: &Api, diag: &mut Collector<'_>) -> Option<TypeRef> {
    let schema = event.data.as_ref()?;
    let raw: &RawSchema = &schema.value;
    check_keys(raw, pos(schema), diag);
    let ty = raw.ty.as_ref()?;
    let extra_keys = raw.fields.is_some()
        || raw.items.is_some()
        || raw.values.is_some()
        || raw.required.is_some()
        || raw.nullable.is_some()
        || raw.map_values.is_some()
        || raw.lenient.is_some()
        || raw.format.is_some()
        || raw.rust_name.is_some();
    if extra_keys {
        diag.error(
            pos(ty),
            "an event's `data` takes only `type` and `description`",
            Some("name a type under `types:` (or `any`), and describe the data".to_owned()),
        );
    }
    if ty.value == "any" {
        return None;
    }
    let is_object = api
        .models
        .iter()
        .any(|m| m.name == ty.value && matches!(m.kind, TypeKind::Struct(_)));
    if !is_object {
        let objects = api
            .models
            .iter()
            .filter(|m| matches!(m.kind, TypeKind::Struct(_)))
            .map(|m| m.name.as_str());
        let help = match naming::closest(&ty.value, objects) {
            Some(close) => format!("did you mean `{close}`? or `any` where the docs do not say"),
            None => {
                "name an object type under `types:`, or `any` where the docs do not say".to_owned()
            }
        };
        diag.error(
            pos(ty),
            format!(
                "an event's `data` is an object type under `types:` or `any`, not `{}`",
                ty.value
            ),
            Some(help),
        );
        return None;
    }
    Some(TypeRef {
        name: ty.value.clone(),
        scope: Scope::Models,
    })
}

/// The confirming read: a `GET` of one object by one path parameter, answering the event's data
/// type (or untyped data, then decoded as it), whose id is a string key of `data`.
fn lower_confirm(
    spanned: &Spanned<RawConfirm>,
    data: Option<&TypeRef>,
    api: &Api,
    diag: &mut Collector<'_>,
) -> Option<Confirm> {
    let raw = &spanned.value;
    check_keys(raw, pos(spanned), diag);
    let (Some(id), Some(key)) = (&raw.operation, &raw.id) else {
        return None;
    };
    let found = api.resources.iter().find_map(|resource| {
        resource
            .operations
            .iter()
            .find(|op| op.id == id.value)
            .map(|op| (resource, op))
    });
    let Some((resource, op)) = found else {
        let ids: Vec<&str> = api.operations().map(|op| op.id.as_str()).collect();
        let help = naming::closest(&id.value, ids.iter().copied())
            .map(|close| format!("did you mean `{close}`?"));
        diag.error(
            pos(id),
            format!("no operation `{}` to confirm the event with", id.value),
            help,
        );
        return None;
    };
    if let Some(problem) = not_a_read_of_one(op) {
        diag.error(
            pos(id),
            format!("`{}` cannot confirm an event: {problem}", op.id),
            Some(
                "confirm with the `GET` that reads the event's object by its id, e.g. \
                 `subscriptions.get`"
                    .to_owned(),
            ),
        );
        return None;
    }
    let answer = op.response.data.clone();
    match (&answer, data) {
        (Type::Any, _) => {}
        (Type::Named(answered), Some(data)) if answered == data => {}
        (Type::Named(answered), _) => {
            let data = data.map_or("any", |d| d.name.as_str());
            diag.error(
                pos(id),
                format!(
                    "`{}` answers `{}` but the event's data is `{data}`",
                    op.id, answered.name
                ),
                Some(format!(
                    "type the event's data `{}`, or confirm with another operation",
                    answered.name
                )),
            );
            return None;
        }
        // `not_a_read_of_one` lets only untyped and named answers through.
        _ => return None,
    }
    if let Some(data) = data
        && let Some(problem) = id_key_problem(api, data, &key.value)
    {
        diag.error(
            pos(key),
            format!("`id: {}` {problem}", key.value),
            Some("name the string field of `data` that holds the object's id".to_owned()),
        );
        return None;
    }
    Some(Confirm {
        operation: op.id.clone(),
        module: resource.module.clone(),
        handle: resource.handle.clone(),
        action: op.action.clone(),
        id_key: key.value.clone(),
        gone: raw.gone.as_ref().is_some_and(|g| g.value),
        answer,
    })
}

/// Why `op` is not a `GET` of one object by one path parameter, if it is not.
fn not_a_read_of_one(op: &Operation) -> Option<&'static str> {
    if op.method != Method::Get {
        Some("it is not a `GET`")
    } else if op.path_params.len() != 1 {
        Some("it does not take exactly one path parameter")
    } else if op.request.is_some() {
        Some("it takes query parameters besides the id")
    } else if !matches!(op.response.data, Type::Any | Type::Named(_)) {
        Some("it does not answer one object")
    } else {
        None
    }
}

/// Why `key` is not a string field of the model `data`, if it is not.
fn id_key_problem(api: &Api, data: &TypeRef, key: &str) -> Option<String> {
    let fields = api.models.iter().find_map(|m| match &m.kind {
        TypeKind::Struct(fields) if m.name == data.name => Some(fields),
        _ => None,
    })?;
    match fields.iter().find(|f| f.wire_name == key) {
        None => Some(format!("is not a field of `{}`", data.name)),
        Some(field) if !matches!(field.ty, Type::Scalar(Scalar::String)) => {
            Some(format!("is not a string field of `{}`", data.name))
        }
        Some(_) => None,
    }
}

/// The docs' example is a whole body whose `event_type` is the event's own.
fn check_example(event: &RawEvent, wire: &str, diag: &mut Collector<'_>) {
    let Some(example) = &event.example else {
        return;
    };
    let body = example.value.as_object();
    let problem = match body {
        None => Some("it is not a JSON object".to_owned()),
        Some(body) if body.get("event_type").and_then(|t| t.as_str()) != Some(wire) => {
            Some(format!("its `event_type` is not \"{wire}\""))
        }
        Some(body) if !body.get("data").is_some_and(|d| d.is_object()) => {
            Some("it has no `data` object".to_owned())
        }
        Some(_) => None,
    };
    if let Some(problem) = problem {
        diag.error(
            pos(example),
            format!("the event's example is not its body: {problem}"),
            Some(format!(
                "write the whole body: {{\"event_type\": \"{wire}\", \"event_source\": …, \"data\": {{…}}}}"
            )),
        );
    }
}
