//! Answers one request: credentials, routing, validation against the spec, then the example.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State as Extract;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use pabbly_spec::ir::{Envelope, Method as SpecMethod, Operation, ParamLocation, Scalar, Type};
use serde_json::{Map, Value, json};

use crate::route::{self, Matched, Route};
use crate::{API_PREFIX, State};

/// The one handler behind every route.
pub(crate) async fn handle(
    Extract(state): Extract<Arc<State>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !authorized(&state, &headers) {
        // Pabbly answers bad credentials with 403, not the 401 its reference lists.
        return error(StatusCode::FORBIDDEN, "Invalid user api");
    }
    let Some(path) = uri.path().strip_prefix(API_PREFIX) else {
        return error(StatusCode::NOT_FOUND, "Route not found");
    };
    let matched = match route::find(&state.api, method.as_str(), path) {
        Route::Found(matched) => matched,
        Route::WrongMethod => {
            return error(
                StatusCode::METHOD_NOT_ALLOWED,
                "Method not allowed on this route",
            );
        }
        Route::NotFound => return error(StatusCode::NOT_FOUND, "Route not found"),
    };
    let params = match parameters(matched.operation, uri.query(), &body) {
        Ok(params) => params,
        Err(message) => return error(StatusCode::BAD_REQUEST, &message),
    };
    let problems = pabbly_spec::check_request(&state.api, matched.operation, &params);
    if !problems.is_empty() {
        return error(StatusCode::BAD_REQUEST, &problems.join("; "));
    }
    json_response(StatusCode::OK, &answer(&matched, &params))
}

fn error(status: StatusCode, message: &str) -> Response {
    json_response(status, &json!({"status": "error", "message": message}))
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    let headers = [(header::CONTENT_TYPE, "application/json")];
    (status, headers, body.to_string()).into_response()
}

/// HTTP Basic with a non-empty key and secret, or exactly the configured pair.
fn authorized(state: &State, headers: &HeaderMap) -> bool {
    let Some(encoded) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
    else {
        return false;
    };
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(encoded.trim()) else {
        return false;
    };
    let Ok(pair) = String::from_utf8(decoded) else {
        return false;
    };
    let Some((key, secret)) = pair.split_once(':') else {
        return false;
    };
    match &state.options.credentials {
        Some((expected_key, expected_secret)) => key == expected_key && secret == expected_secret,
        None => !key.is_empty() && !secret.is_empty(),
    }
}

/// The request's query or body parameters as one JSON object.
fn parameters(op: &Operation, query: Option<&str>, body: &[u8]) -> Result<Value, String> {
    let location = op.request.as_ref().map(|r| r.location);
    match location {
        Some(ParamLocation::Query) => Ok(query_object(op, query.unwrap_or(""))),
        Some(ParamLocation::Body) if body.iter().all(u8::is_ascii_whitespace) => {
            Ok(Value::Object(Map::new()))
        }
        Some(ParamLocation::Body) => {
            serde_json::from_slice(body).map_err(|e| format!("Malformed JSON body: {e}"))
        }
        None => Ok(Value::Object(Map::new())),
    }
}

/// Query pairs typed by the spec, so `page=2` checks as the integer it stands for.
fn query_object(op: &Operation, query: &str) -> Value {
    let fields = op
        .request
        .as_ref()
        .map(|r| r.fields.as_slice())
        .unwrap_or(&[]);
    let mut object = Map::new();
    for (key, raw) in form_pairs(query) {
        let ty = fields.iter().find(|f| f.wire_name == key).map(|f| &f.ty);
        let value = match ty {
            Some(Type::Scalar(Scalar::Integer)) => raw.parse::<i64>().map(Value::from).ok(),
            Some(Type::Scalar(Scalar::Number)) => raw.parse::<f64>().ok().map(Value::from),
            Some(Type::Scalar(Scalar::Boolean)) => raw.parse::<bool>().map(Value::from).ok(),
            _ => None,
        };
        object.insert(key, value.unwrap_or(Value::String(raw)));
    }
    Value::Object(object)
}

fn form_pairs(query: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let spaced = s.replace('+', " ");
        percent_encoding::percent_decode_str(&spaced)
            .decode_utf8_lossy()
            .into_owned()
    };
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(pair), String::new()),
        })
        .collect()
}

/// The operation's example response, with the request's ids echoed where the example has them.
fn answer(matched: &Matched<'_>, params: &Value) -> Value {
    let op = matched.operation;
    let mut body = match (&op.example_response, op.response.envelope) {
        (Some(example), _) => example.clone(),
        (None, Envelope::Bare) => json!([]),
        (None, Envelope::Message) => json!({"status": "success", "message": op.summary}),
        (None, _) => json!({"status": "success", "message": op.summary, "data": null}),
    };
    let target = match op.response.envelope {
        Envelope::Data => body.get_mut("data"),
        Envelope::MessageList | Envelope::Message => None,
        Envelope::Bare => Some(&mut body),
    };
    if let Some(Value::Object(data)) = target {
        echo(data, matched, params);
    }
    body
}

fn echo(data: &mut Map<String, Value>, matched: &Matched<'_>, params: &Value) {
    for (name, value) in &matched.path_values {
        if let Some(slot) = data.get_mut(*name) {
            *slot = Value::String(value.clone());
        }
    }
    if let Value::Object(params) = params {
        for (key, value) in params {
            if let Some(slot) = data.get_mut(key)
                && slot.is_string()
                && (value.is_string() || value.is_number())
            {
                *slot = value.clone();
            }
        }
    }
    // Reading, changing or deleting one object by its id answers with that object's id; a POST
    // under a parent's id creates something new and keeps the example's own id.
    let reads_by_id = !matches!(matched.operation.method, SpecMethod::Post);
    if let ([(_, id)], true, Some(slot)) = (
        matched.path_values.as_slice(),
        reads_by_id,
        data.get_mut("id"),
    ) {
        *slot = Value::String(id.clone());
    }
}
