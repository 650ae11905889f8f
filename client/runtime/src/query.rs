//! Flattening a serializable value into URL query parameters.

use serde_json::Value;
use url::Url;

/// Appends the fields of `value`, the request as JSON, to the query of `url`.
///
/// Going through `serde_json::Value` reuses the request types' JSON field names and skip rules,
/// so a type needs no second set of serde attributes for query use.
pub(crate) fn append(url: &mut Url, value: Value) -> Result<(), String> {
    let fields = match value {
        Value::Object(fields) => fields,
        Value::Null => return Ok(()),
        other => {
            return Err(format!(
                "query parameters must serialize to an object, not {}",
                kind(&other)
            ));
        }
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (key, value) in fields {
        match value {
            Value::Array(items) => {
                pairs.extend(
                    items
                        .into_iter()
                        .filter_map(scalar)
                        .map(|v| (key.clone(), v)),
                );
            }
            other => pairs.extend(scalar(other).map(|v| (key, v))),
        }
    }
    // Opening the serializer sets an empty query, leaving a bare `?` when nothing follows.
    if !pairs.is_empty() {
        url.query_pairs_mut().extend_pairs(pairs);
    }
    Ok(())
}

/// The text sent for one value; `None` for `null`, which means "not set".
fn scalar(value: Value) -> Option<String> {
    match value {
        Value::Null => None,
        Value::String(text) => Some(text),
        Value::Bool(_) | Value::Number(_) | Value::Array(_) | Value::Object(_) => {
            Some(value.to_string())
        }
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn query_of(value: &Value) -> Result<Option<String>, String> {
        let mut url = Url::parse("https://h/api").expect("valid URL");
        append(&mut url, value.clone())?;
        Ok(url.query().map(str::to_owned))
    }

    #[test]
    fn flattens_fields_in_declaration_order() {
        let value = json!({
            "status": "live",
            "limit": 5,
            "active": true,
            "skip": null,
            "ids": ["a", "b&c", null],
            "filter": {"x": 1},
            "name": "a b/ü",
        });
        assert_eq!(
            query_of(&value),
            Ok(Some(
                "status=live&limit=5&active=true&ids=a&ids=b%26c&filter=%7B%22x%22%3A1%7D&name=a+b%2F%C3%BC"
                    .to_owned()
            ))
        );
    }

    #[test]
    fn empty_object_and_null_add_nothing() {
        assert_eq!(query_of(&json!({})), Ok(None));
        assert_eq!(query_of(&json!({"a": null})), Ok(None));
        assert_eq!(query_of(&Value::Null), Ok(None));
    }

    #[test]
    fn non_object_is_rejected() {
        assert_eq!(
            query_of(&json!([1, 2])),
            Err("query parameters must serialize to an object, not an array".to_owned())
        );
    }
}
