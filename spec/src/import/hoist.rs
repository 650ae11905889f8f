//! Objects that several pages imported together repeat, drawn out into one named type.
//!
//! Every object in a response is a candidate, named after where it sits: the data of a
//! resource's operation after the resource in the singular (`licenses` → `License`), an object
//! under a field after the field in the singular (`license_codes` → `LicenseCode`). Candidates of
//! one name from two or more operations become one type when they agree: each field they share
//! has the same type, and the shared fields are at least half of all their fields. The type has
//! every field any of them shows, in the order first seen; a field is required only when every
//! one of them has it and requires it. Candidates of that name that do not agree stay inline.

use crate::naming;

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

/// Where a candidate object is: draft index, then the field names leading to it.
type Place = (usize, Vec<String>);

/// Draws the objects the drafts repeat into named types and points the drafts at them.
pub fn hoist(drafts: &mut [Draft]) -> Vec<NamedType> {
    let mut candidates: Vec<(String, Place, Schema)> = Vec::new();
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
    let mut names: Vec<String> = Vec::new();
    for (name, _, _) in &candidates {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    let mut types = Vec::new();
    for name in names {
        let group: Vec<&(String, Place, Schema)> =
            candidates.iter().filter(|(n, _, _)| *n == name).collect();
        let Some(members) = agreeing(&group) else {
            continue;
        };
        // Read again: objects inside these may have been hoisted since they were collected.
        let schemas: Vec<Schema> = members
            .iter()
            .filter_map(|(_, place, _)| node_at(drafts, place).map(|node| node.clone()))
            .collect();
        let merged = merge(&schemas.iter().collect::<Vec<_>>());
        for (_, place, _) in &members {
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

/// Every object in `schema`, innermost first, so an object's own fields are hoisted before it.
fn collect(
    schema: &Schema,
    name: &str,
    draft: usize,
    path: &mut Vec<String>,
    out: &mut Vec<(String, Place, Schema)>,
) {
    match &schema.ty {
        Ty::Object(fields) => {
            for field in fields {
                path.push(field.name.clone());
                collect(&field.schema, &singular_name(&field.name), draft, path, out);
                path.pop();
            }
            out.push((name.to_owned(), (draft, path.clone()), schema.clone()));
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
fn agreeing<'c>(group: &[&'c (String, Place, Schema)]) -> Option<Vec<&'c (String, Place, Schema)>> {
    let mut best: Vec<&(String, Place, Schema)> = Vec::new();
    for seed in group {
        let members: Vec<_> = group
            .iter()
            .copied()
            .filter(|other| agree(&seed.2, &other.2))
            .collect();
        if members.len() > best.len() {
            best = members;
        }
    }
    let mut drafts: Vec<usize> = best.iter().map(|(_, (d, _), _)| *d).collect();
    drafts.dedup();
    (drafts.len() >= 2).then_some(best)
}

fn fields(schema: &Schema) -> &[Field] {
    match &schema.ty {
        Ty::Object(fields) => fields,
        _ => &[],
    }
}

/// Shared fields have one type, and they are at least half of all the fields.
fn agree(a: &Schema, b: &Schema) -> bool {
    let (a, b) = (fields(a), fields(b));
    let mut shared = 0;
    for field in a {
        if let Some(other) = b.iter().find(|f| f.name == field.name) {
            if field.schema.describe() != other.schema.describe() {
                return false;
            }
            shared += 1;
        }
    }
    let all = a.len() + b.len() - shared;
    all > 0 && shared * 2 >= all
}

fn merge(schemas: &[&Schema]) -> Schema {
    let mut merged: Vec<Field> = Vec::new();
    for schema in schemas {
        for field in fields(schema) {
            if !merged.iter().any(|f| f.name == field.name) {
                merged.push(field.clone());
            }
        }
    }
    for field in &mut merged {
        let everywhere = schemas.iter().all(|s| {
            fields(s)
                .iter()
                .any(|f| f.name == field.name && f.required == Some(true))
        });
        field.required = Some(everywhere);
    }
    let mut schema = Schema::of(Ty::Object(merged));
    schema.complete = schemas.iter().any(|s| s.complete);
    schema.description = schemas
        .iter()
        .find(|s| s.complete)
        .and_then(|s| s.description.clone());
    schema
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
