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
    /// Where the item came from, e.g. "the example of subscriptions.list".
    pub source: String,
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
        source: format!("the example of {}", op.id),
        // Serializing a `Value` cannot fail.
        bytes: serde_json::to_vec(&body).unwrap_or_default(),
        items: count,
    }
}

/// The docs page of the subscription list, kept under `spec/docs/`.
pub const DOCS_PAGE: &str = "subscriptions__list-all-subscriptions.md";

/// While the spec has no example for the list: `count` subscriptions made of the first item of
/// the example on Pabbly's page (`spec/docs/`), which the page cuts off inside the plan. The
/// cut line is dropped and the brackets closed, so the item holds the fields the page shows
/// (its plan's first sixteen), unchanged.
///
/// # Errors
/// When the page cannot be read or its example cannot be recovered.
pub fn docs_subscription_list(count: usize) -> Result<ListBody, String> {
    let path = crate::workspace_root()
        .join("spec")
        .join("docs")
        .join(DOCS_PAGE);
    let page = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let example = page
        .split("```json")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .ok_or_else(|| format!("{DOCS_PAGE} shows no JSON example"))?;
    let value: Value = serde_json::from_str(&close_truncated(example))
        .map_err(|e| format!("the example of {DOCS_PAGE} cannot be recovered: {e}"))?;
    let item = value
        .get("data")
        .and_then(|data| data.get(0))
        .ok_or_else(|| format!("the example of {DOCS_PAGE} lists no item"))?;
    let body = replicate(item, count, Envelope::Data);
    Ok(ListBody {
        source: format!("the example on spec/docs/{DOCS_PAGE} (cut off by Pabbly; closed)"),
        bytes: serde_json::to_vec(&body).map_err(|e| e.to_string())?,
        items: count,
    })
}

/// JSON text cut off mid-way, made whole: the last line, if incomplete, is dropped with any
/// trailing comma, and every bracket still open is closed.
fn close_truncated(text: &str) -> String {
    let mut lines: Vec<&str> = text.trim_end().lines().collect();
    if serde_json::from_str::<Value>(text).is_ok() {
        return text.to_owned();
    }
    lines.pop();
    let mut kept = lines.join("\n");
    while kept.ends_with([',', ' ', '\n']) {
        kept.pop();
    }
    let mut open = Vec::new();
    let (mut in_string, mut escaped) = (false, false);
    for c in kept.chars() {
        match (in_string, escaped, c) {
            (true, true, _) => escaped = false,
            (true, false, '\\') => escaped = true,
            (true, false, '"') | (false, _, '"') => in_string = !in_string,
            (false, _, '{') => open.push('}'),
            (false, _, '[') => open.push(']'),
            (false, _, '}' | ']') => {
                open.pop();
            }
            _ => {}
        }
    }
    kept.extend(open.iter().rev());
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_off_example_is_closed() {
        let text = "{\n  \"a\": [\n    {\n      \"b\": \"x}\",\n      \"c\": \"cut he";
        let value: Value = serde_json::from_str(&close_truncated(text)).expect("closed");
        assert_eq!(value, json!({"a": [{"b": "x}"}]}));
    }

    #[test]
    fn the_docs_page_gives_subscriptions() {
        let body = docs_subscription_list(2).expect("the docs example recovers");
        let value: Value = serde_json::from_slice(&body.bytes).expect("JSON");
        assert_eq!(value["data"][1]["plan"]["plan_type"], "flat_fee");
        assert_eq!(value["data"][1]["plan"]["id"], "000000000000000000000001");
    }

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
