//! Which way each named type travels ([`Usage`]): found by following every operation's request
//! and answer, and every webhook event's data, through the fields of the types they name.

use crate::ir::{Api, Scope, Type, TypeKind, TypeRef, Usage};

/// One direction of [`Usage`].
#[derive(Clone, Copy)]
enum Way {
    Sent,
    Received,
}

/// A named type still to mark: in `models` (`None`) or in the types of a resource.
struct Pending {
    resource: Option<usize>,
    name: String,
    way: Way,
}

/// Sets the [`Usage`] of every named type of `api`.
pub(crate) fn mark(api: &mut Api) {
    let mut pending = Vec::new();
    for (index, resource) in api.resources.iter().enumerate() {
        for op in &resource.operations {
            let fields = op.request.iter().flat_map(|request| &request.fields);
            for field in fields {
                named_in(&field.ty, Some(index), Way::Sent, &mut pending);
            }
            named_in(&op.response.data, Some(index), Way::Received, &mut pending);
            if let Some(probably) = &op.response.probably {
                pending.push(reference(probably, Some(index), Way::Received));
            }
        }
    }
    for data in api.webhooks.iter().flat_map(|w| &w.data_types) {
        pending.push(reference(data, None, Way::Received));
    }
    while let Some(Pending {
        resource,
        name,
        way,
    }) = pending.pop()
    {
        let types = match resource {
            None => &mut api.models,
            Some(index) => &mut api.resources[index].types,
        };
        let Some(def) = types.iter_mut().find(|def| def.name == name) else {
            continue;
        };
        let flag = match way {
            Way::Sent => &mut def.usage.sent,
            Way::Received => &mut def.usage.received,
        };
        if *flag {
            continue;
        }
        *flag = true;
        if let TypeKind::Struct(fields) = &def.kind {
            for field in fields {
                named_in(&field.ty, resource, way, &mut pending);
            }
        }
    }
    // A type nothing reaches is there to decode untyped answers with.
    let resource_types = api.resources.iter_mut().flat_map(|r| &mut r.types);
    for def in api.models.iter_mut().chain(resource_types) {
        if def.usage == Usage::default() {
            def.usage.received = true;
        }
    }
}

/// The named type `ty` is or holds (as array items or map values), if any.
fn named_in(ty: &Type, resource: Option<usize>, way: Way, pending: &mut Vec<Pending>) {
    match ty {
        Type::Named(named) => pending.push(reference(named, resource, way)),
        Type::Array(inner) | Type::Map(inner) => named_in(inner, resource, way, pending),
        Type::Scalar(_) | Type::Lenient(_) | Type::Any | Type::Unit => {}
    }
}

/// `named`, seen from the resource at `resource`.
fn reference(named: &TypeRef, resource: Option<usize>, way: Way) -> Pending {
    Pending {
        resource: match named.scope {
            Scope::Models => None,
            Scope::Resource => resource,
        },
        name: named.name.clone(),
        way,
    }
}
