//! Objects that several pages imported together repeat, drawn out into one named type.
//!
//! Every object in a response is a candidate, named after where it sits: the data of a
//! resource's operation after the resource in the singular (`licenses` → `License`), an object
//! under a field after the field in the singular (`license_codes` → `LicenseCode`). Candidates of
//! one name from two or more operations become one type when they agree: each field they share
//! has the same shape, and the shared fields are at least half of all their fields. The type has
//! every field any of them shows (nested objects merged alike), in the order first seen; a field
//! is required only when every one of them has it and requires it. Candidates of that name that
//! do not agree stay inline. Outer objects go first, and an object inside a hoisted one stays
//! part of it. A page that does not show some field of the shared type records it as an
//! override ("Shared X type: the field is shown on other pages."), so `check` stays quiet.

use pabbly_spec::naming;

use super::draft::{Draft, DraftResponse};
use super::schema::{Field, Schema, Ty};

/// A type for the spec's `types:`.
#[derive(Clone, Debug, PartialEq)]
pub struct NamedType {
    /// Its PascalCase name.
    pub name: String,
    /// The object.
    pub schema: Schema,
}

/// Where a candidate object is: draft index, then the field names leading to it (an empty
/// name steps into array items or map values).
type Place = (usize, Vec<String>);

/// Draws the objects the drafts repeat into named types and points the drafts at them.
pub fn hoist(drafts: &mut [Draft]) -> Vec<NamedType> {
    let mut candidates: Vec<(String, Place)> = Vec::new();
    for (index, draft) in drafts.iter().enumerate() {
        if let DraftResponse::Known {
            data: Some(data), ..
        } = &draft.response
        {
            let resource = draft.id.split('.').next().unwrap_or_default();
            collect(
                data,
                &singular_name(resource),
                index,
                &mut Vec::new(),
                &mut candidates,
            );
        }
    }
    // Outermost first: an object inside a hoisted one goes with it.
    let mut names: Vec<(usize, String)> = Vec::new();
    for (name, (_, path)) in &candidates {
        match names.iter_mut().find(|(_, n)| n == name) {
            Some((depth, _)) => *depth = (*depth).min(path.len()),
            None => names.push((path.len(), name.clone())),
        }
    }
    names.sort_by_key(|(depth, _)| *depth);
    let mut types = Vec::new();
    for (_, name) in names {
        // Read now: objects inside these may have been hoisted, or these inside others.
        let group: Vec<(&Place, Schema)> = candidates
            .iter()
            .filter(|(n, _)| *n == name)
            .filter_map(|(_, place)| node_at(drafts, place).map(|node| (place, node.clone())))
            .filter(|(_, schema)| matches!(schema.ty, Ty::Object(_)))
            .collect();
        let Some(members) = agreeing(&group) else {
            continue;
        };
        let mut merged = members[0].1.clone();
        for (_, schema) in &members[1..] {
            merged = merge(&merged, schema);
        }
        merged.nullable = false;
        for (place, schema) in &members {
            let mut at = vec!["response.data".to_owned()];
            at.extend(place.1.iter().filter(|s| !s.is_empty()).cloned());
            let mut unshown = Vec::new();
            missing(schema, &merged, &mut at, &mut unshown);
            let reason = format!("Shared {name} type: the field is shown on other pages.");
            drafts[place.0]
                .overrides
                .extend(unshown.into_iter().map(|at| (at, reason.clone())));
            if let Some(node) = node_at(drafts, place) {
                let mut named = Schema::of(Ty::Named(name.clone()));
                named.nullable = node.nullable;
                *node = named;
            }
        }
        types.push(NamedType {
            name,
            schema: merged,
        });
    }
    types
}

/// Every object in `schema`, with the name it would get and where it is.
fn collect(
    schema: &Schema,
    name: &str,
    draft: usize,
    path: &mut Vec<String>,
    out: &mut Vec<(String, Place)>,
) {
    match &schema.ty {
        Ty::Object(fields) => {
            out.push((name.to_owned(), (draft, path.clone())));
            for field in fields {
                path.push(field.name.clone());
                collect(&field.schema, &singular_name(&field.name), draft, path, out);
                path.pop();
            }
        }
        Ty::Array(inner) | Ty::Map(inner) => {
            path.push(String::new());
            collect(inner, name, draft, path, out);
            path.pop();
        }
        _ => {}
    }
}

/// The largest set of candidates that agree, when they come from two operations or more.
fn agreeing<'g>(group: &'g [(&'g Place, Schema)]) -> Option<Vec<&'g (&'g Place, Schema)>> {
    let mut best: Vec<&(&Place, Schema)> = Vec::new();
    for seed in group {
        let members: Vec<_> = group
            .iter()
            .filter(|other| agree(&seed.1, &other.1))
            .collect();
        if members.len() > best.len() {
            best = members;
        }
    }
    let mut drafts: Vec<usize> = best.iter().map(|(place, _)| place.0).collect();
    drafts.dedup();
    (drafts.len() >= 2).then_some(best)
}

fn fields(schema: &Schema) -> &[Field] {
    match &schema.ty {
        Ty::Object(fields) => fields,
        _ => &[],
    }
}

/// Shared fields have one shape, and they are at least half of all the fields.
fn agree(a: &Schema, b: &Schema) -> bool {
    let (x, y) = (fields(a), fields(b));
    let shared = x
        .iter()
        .filter(|f| y.iter().any(|g| g.name == f.name))
        .count();
    let all = x.len() + y.len() - shared;
    same_shape(a, b) && all > 0 && shared * 2 >= all
}

/// One type fits both: the same scalar or named type, or objects whose shared fields have one
/// shape (arrays and maps looked through).
fn same_shape(a: &Schema, b: &Schema) -> bool {
    match (&a.ty, &b.ty) {
        (Ty::Object(x), Ty::Object(y)) => x.iter().all(|f| {
            y.iter()
                .find(|g| g.name == f.name)
                .is_none_or(|g| same_shape(&f.schema, &g.schema))
        }),
        (Ty::Array(x), Ty::Array(y)) | (Ty::Map(x), Ty::Map(y)) => same_shape(x, y),
        (x, y) => x == y && a.describe() == b.describe(),
    }
}

/// Both objects' fields in the order first seen, nested objects merged alike; a field is
/// required only when both have it and require it.
fn merge(a: &Schema, b: &Schema) -> Schema {
    let mut schema = a.clone();
    match (&a.ty, &b.ty) {
        (Ty::Object(x), Ty::Object(y)) => {
            let mut merged: Vec<Field> = Vec::new();
            for field in x {
                let mut field = field.clone();
                let other = y.iter().find(|g| g.name == field.name);
                if let Some(other) = other {
                    field.schema = merge(&field.schema, &other.schema);
                }
                field.required = Some(
                    field.required == Some(true) && other.is_some_and(|o| o.required == Some(true)),
                );
                merged.push(field);
            }
            for field in y.iter().filter(|g| !x.iter().any(|f| f.name == g.name)) {
                let mut field = field.clone();
                field.required = Some(false);
                merged.push(field);
            }
            schema.ty = Ty::Object(merged);
            schema.complete = a.complete || b.complete;
            if !a.complete && b.complete {
                schema.description = b.description.clone();
            }
        }
        (Ty::Array(x), Ty::Array(y)) => schema.ty = Ty::Array(Box::new(merge(x, y))),
        (Ty::Map(x), Ty::Map(y)) => schema.ty = Ty::Map(Box::new(merge(x, y))),
        _ => {}
    }
    schema
}

/// The locations of the fields `shared` has and `own` lacks, nested objects included; an
/// object the example was cut inside lacks nothing (`check` does not call its fields removed).
fn missing(own: &Schema, shared: &Schema, at: &mut Vec<String>, out: &mut Vec<String>) {
    match (&own.ty, &shared.ty) {
        (Ty::Object(mine), Ty::Object(all)) => {
            for field in all {
                at.push(field.name.clone());
                match mine.iter().find(|f| f.name == field.name) {
                    Some(present) => missing(&present.schema, &field.schema, at, out),
                    None if own.complete => out.push(at.join(".")),
                    None => {}
                }
                at.pop();
            }
        }
        (Ty::Array(mine), Ty::Array(all)) | (Ty::Map(mine), Ty::Map(all)) => {
            missing(mine, all, at, out);
        }
        _ => {}
    }
}

/// The node at `place`; an empty path segment steps into array items or map values.
fn node_at<'d>(drafts: &'d mut [Draft], (draft, path): &Place) -> Option<&'d mut Schema> {
    let DraftResponse::Known {
        data: Some(data), ..
    } = &mut drafts.get_mut(*draft)?.response
    else {
        return None;
    };
    let mut node = data;
    for segment in path {
        node = match &mut node.ty {
            Ty::Object(fields) => &mut fields.iter_mut().find(|f| f.name == *segment)?.schema,
            Ty::Array(inner) | Ty::Map(inner) if segment.is_empty() => inner,
            _ => return None,
        };
    }
    Some(node)
}

/// `licenses` → `License`, `license_codes` → `LicenseCode`, `billing_address` → `BillingAddress`.
fn singular_name(name: &str) -> String {
    naming::pascal(&singular(&naming::snake(name)))
}

/// `licenses` → `license`, `categories` → `category`, `addons` → `addon`; `address` stays.
pub(super) fn singular(noun: &str) -> String {
    if let Some(stem) = noun.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = noun.strip_suffix('s').filter(|stem| !stem.ends_with('s')) {
        stem.to_owned()
    } else {
        noun.to_owned()
    }
}
