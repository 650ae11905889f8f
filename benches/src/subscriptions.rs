//! A large list response for the decoding benchmark, built from the spec's own example.
//!
//! The list operation is found in the spec rather than named: the operation whose response data
//! is an array of the `Subscription` model. Its example response's first item is repeated, each
//! copy with its own ids, inside the `{"status", "message", "data"}` envelope.

use pabbly_spec::ir::{Api, Envelope, Operation, Scope, Type, TypeRef};
use serde_json::{Map, Value, json};

/// The model the list is made of.
pub const ITEM_TYPE: &str = "Subscription";

/// A list body and where its item came from.
#[derive(Clone, Debug)]
pub struct ListBody {
    /// The id of the spec operation whose example supplied the item.
    pub operation: String,
    /// The JSON body, in the `data` envelope whatever the operation's (what the decoders read).
    pub bytes: Vec<u8>,
    /// How many items it holds.
    pub items: usize,
}

/// The operation whose response data is an array of [`ITEM_TYPE`], if the spec has one.
pub fn list_operation(api: &Api) -> Option<&Operation> {
    let wanted = Type::Array(Box::new(Type::Named(TypeRef {
        name: ITEM_TYPE.to_owned(),
        scope: Scope::Models,
    })));
    api.operations().find(|op| op.response.data == wanted)
}

/// The data inside an example response, by envelope.
fn data_of(envelope: Envelope, example: &Value) -> Option<&Value> {
    match envelope {
        Envelope::Data => example.get("data"),
        Envelope::MessageList => example.get("message"),
        Envelope::Bare => Some(example),
        Envelope::Message => None,
    }
}

/// Gives every string `id` in `value`, at any depth, the value `id`.
fn set_ids(value: &mut Value, id: &str) {
    match value {
        Value::Object(fields) => {
            for (key, field) in fields.iter_mut() {
                if key == "id" && field.is_string() {
                    *field = Value::String(id.to_owned());
                } else {
                    set_ids(field, id);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| set_ids(item, id)),
        _ => {}
    }
}

/// `count` copies of `item`, the `i`-th with every string `id` in it (its own, its plan's…) set
/// to `i` in 24 hex digits, wrapped like `envelope` wraps data.
pub fn replicate(item: &Value, count: usize, envelope: Envelope) -> Value {
    let items: Vec<Value> = (0..count)
        .map(|i| {
            let mut copy = item.clone();
            set_ids(&mut copy, &format!("{i:024x}"));
            copy
        })
        .collect();
    match envelope {
        Envelope::Data | Envelope::Message => {
            json!({ "status": "success", "message": "Subscriptions data", "data": items })
        }
        Envelope::MessageList => {
            let mut body = Map::new();
            body.insert("status".to_owned(), json!("success"));
            body.insert("message".to_owned(), Value::Array(items));
            Value::Object(body)
        }
        Envelope::Bare => Value::Array(items),
    }
}

/// The body of a list of `count` subscriptions, from the example of the spec's list operation.
///
/// # Errors
/// When the spec has no such operation, or its example has no first item.
pub fn subscription_list(api: &Api, count: usize) -> Result<ListBody, String> {
    let op = list_operation(api)
        .ok_or_else(|| format!("the spec has no operation answering an array of {ITEM_TYPE}"))?;
    let example = op
        .example_response
        .as_ref()
        .ok_or_else(|| format!("{} has no example response", op.id))?;
    let item = data_of(op.response.envelope, example)
        .and_then(|data| data.get(0))
        .ok_or_else(|| format!("the example response of {} lists no item", op.id))?;
    Ok(list_body(op, item, count))
}

/// The fallback: `count` copies of the portal session of `portal_sessions.create`'s example.
///
/// # Errors
/// When the spec has no such operation or example.
pub fn portal_session_list(api: &Api, count: usize) -> Result<ListBody, String> {
    let op = api
        .operations()
        .find(|op| op.id == "portal_sessions.create")
        .ok_or("the spec has no portal_sessions.create")?;
    let item = op
        .example_response
        .as_ref()
        .and_then(|example| data_of(op.response.envelope, example))
        .ok_or("portal_sessions.create has no example response")?;
    Ok(list_body(op, item, count))
}

fn list_body(op: &Operation, item: &Value, count: usize) -> ListBody {
    let body = replicate(item, count, Envelope::Data);
    ListBody {
        operation: op.id.clone(),
        // Serializing a `Value` cannot fail.
        bytes: serde_json::to_vec(&body).unwrap_or_default(),
        items: count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicated_items_have_distinct_ids() {
        let item = json!({"id": "x", "plan": {"id": "p", "price": 1}, "n": 2});
        let body = replicate(&item, 3, Envelope::Data);
        let ids: Vec<&str> = body["data"]
            .as_array()
            .expect("an array")
            .iter()
            .filter_map(|item| item["id"].as_str())
            .collect();
        assert_eq!(ids.len(), 3);
        assert_eq!(ids[2], "000000000000000000000002");
        assert_eq!(body["data"][1]["plan"]["id"], "000000000000000000000001");
        assert_eq!(body["data"][1]["plan"]["price"], 1);
    }
}
