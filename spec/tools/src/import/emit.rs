//! A [`Draft`] written as a spec YAML operation entry, indented to paste under `operations:`
//! in the style of `spec/pabbly.yaml`: short leaf fields in flow style, everything with a
//! description or fields in block style, examples as JSON (valid YAML).

use std::fmt::Write as _;

use super::draft::{Draft, DraftResponse, sends_body};
use super::hoist::hoist;
use super::json::quote;
use super::schema::{Field, Schema, Ty};
use pabbly_spec::ir::Envelope;

/// Leaf fields up to this width are written on one line.
const FLOW_WIDTH: usize = 90;

/// The spec YAML for several pages imported together: the objects they repeat as named types
/// to paste under `types:` (see [`hoist`](super::hoist())), then one entry per page, starting
/// `  - id:`, to paste under `operations:`.
pub fn to_spec_yaml(mut drafts: Vec<Draft>) -> String {
    let types = hoist(&mut drafts);
    let mut out = String::new();
    if !types.is_empty() {
        out.push_str("# under `types:`, the objects these pages repeat\n");
        for named in &types {
            write_node(
                &mut out,
                2,
                &named.name,
                &named.schema,
                Role::Node,
                None,
                None,
            );
        }
        out.push_str("# under `operations:`\n");
    }
    for draft in &drafts {
        out.push_str(&to_yaml(draft));
    }
    out
}

/// The spec YAML for one operation, starting `  - id:`.
pub fn to_yaml(draft: &Draft) -> String {
    let mut out = String::new();
    let completeness = draft
        .completeness
        .map(|c| format!(" (completeness: {})", c.as_str()))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "  # imported from spec/docs/{}{completeness}",
        draft.doc_page
    );
    let _ = writeln!(out, "  - id: {}", draft.id);
    let _ = writeln!(out, "    method: {}", draft.method.as_str());
    let _ = writeln!(out, "    path: {}", scalar(&draft.path));
    let _ = writeln!(out, "    summary: {}", scalar(&draft.summary));
    if let Some(docs) = &draft.docs {
        let _ = writeln!(out, "    docs: {}", scalar(docs));
    }
    let _ = writeln!(out, "    doc_page: {}", scalar(&draft.doc_page));
    // The spec takes query or body parameters, not both: the others become a comment.
    let both = !draft.query.is_empty() && !draft.body.is_empty();
    let commented = if sends_body(draft.method) {
        "query"
    } else {
        "body"
    };
    for (key, fields, role) in [
        ("path_params", &draft.path_params, Role::PathParam),
        ("query", &draft.query, Role::Field),
        ("body", &draft.body, Role::Field),
    ] {
        if fields.is_empty() {
            continue;
        }
        let mut section = format!("    {key}:\n");
        write_fields(&mut section, 6, fields, role);
        if both && key == commented {
            out.push_str("    # the page also lists these; the spec takes query or body parameters, not both\n");
            for line in section.lines() {
                let _ = writeln!(out, "    # {}", line.strip_prefix("    ").unwrap_or(line));
            }
        } else {
            out.push_str(&section);
        }
    }
    out.push_str("    response:\n");
    match &draft.response {
        DraftResponse::Unknown => {
            out.push_str("      data:\n        type: any\n        description: The docs do not show the response.\n");
        }
        DraftResponse::Known { envelope, data } => {
            let _ = writeln!(out, "      envelope: {}", envelope_name(*envelope));
            if let Some(data) = data {
                write_node(&mut out, 6, "data", data, Role::Node, None, None);
            }
        }
    }
    if draft.example_request.is_some() || draft.example_response.is_some() {
        out.push_str("    examples:\n");
        for (key, example) in [
            ("request", &draft.example_request),
            ("response", &draft.example_response),
        ] {
            if let Some(json) = example {
                write_example(&mut out, key, json);
            }
        }
    }
    if !draft.overrides.is_empty() {
        out.push_str("    overrides:\n");
        for (at, reason) in &draft.overrides {
            let _ = writeln!(out, "      - {{ at: {at}, reason: {} }}", quote(reason));
        }
    }
    out
}

fn envelope_name(envelope: Envelope) -> &'static str {
    match envelope {
        Envelope::Data => "data",
        Envelope::Message => "message",
        Envelope::MessageList => "message-list",
        Envelope::Bare => "bare",
    }
}

fn write_example(out: &mut String, key: &str, json: &str) {
    if json.contains('\n') {
        let _ = writeln!(out, "      {key}:");
        for line in json.lines() {
            let _ = writeln!(out, "        {line}");
        }
    } else {
        let _ = writeln!(out, "      {key}: {json}");
    }
}

/// What a node is, which decides the keys it may carry.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A parameter or object field: `required`, `nullable`, `rust_name`.
    Field,
    /// A path parameter: always required, so the flag is left to lowering.
    PathParam,
    /// Array items, map values, response data: a type, not a field.
    Node,
}

fn write_fields(out: &mut String, indent: usize, fields: &[Field], role: Role) {
    for field in fields {
        let required = (role == Role::Field).then_some(field.required == Some(true));
        write_node(
            out,
            indent,
            &key(&field.name),
            &field.schema,
            role,
            required,
            field.rust_name.as_deref(),
        );
    }
}

fn write_node(
    out: &mut String,
    indent: usize,
    name: &str,
    schema: &Schema,
    role: Role,
    required: Option<bool>,
    rust_name: Option<&str>,
) {
    let pad = " ".repeat(indent);
    let mut keys = leaf_keys(schema, role, required, rust_name);
    if let Some(flow) = flow(schema, &keys) {
        let _ = writeln!(out, "{pad}{name}: {flow}");
        return;
    }
    let _ = writeln!(out, "{pad}{name}:");
    if let Some(description) = &schema.description {
        keys.push(("description".to_owned(), scalar(description)));
    }
    for (key, value) in &keys {
        let _ = writeln!(out, "{pad}  {key}: {value}");
    }
    match &schema.ty {
        Ty::Object(fields) => {
            let _ = writeln!(out, "{pad}  fields:");
            write_fields(out, indent + 4, fields, Role::Field);
        }
        Ty::Array(items) => write_node(out, indent + 2, "items", items, Role::Node, None, None),
        Ty::Map(values) => write_node(out, indent + 2, "values", values, Role::Node, None, None),
        _ => {}
    }
}

/// The scalar keys of a node, in the order `spec/pabbly.yaml` writes them.
fn leaf_keys(
    schema: &Schema,
    role: Role,
    required: Option<bool>,
    rust_name: Option<&str>,
) -> Vec<(String, String)> {
    let mut keys = vec![("type".to_owned(), schema.type_name().to_owned())];
    if let Some(format) = &schema.format {
        keys.push(("format".to_owned(), flow_scalar(format)));
    }
    if schema.lenient && schema.ty.is_lenient_scalar() {
        keys.push(("lenient".to_owned(), "true".to_owned()));
    }
    if required == Some(true) {
        keys.push(("required".to_owned(), "true".to_owned()));
    }
    if schema.nullable && role == Role::Field {
        keys.push(("nullable".to_owned(), "true".to_owned()));
    }
    if !schema.values.is_empty() && schema.ty == Ty::String {
        let values: Vec<String> = schema.values.iter().map(|v| flow_scalar(v)).collect();
        keys.push(("enum".to_owned(), format!("[{}]", values.join(", "))));
    }
    if let Some(default) = &schema.default {
        keys.push(("default".to_owned(), default.to_string()));
    }
    if let Some(rust_name) = rust_name {
        keys.push(("rust_name".to_owned(), flow_scalar(rust_name)));
    }
    keys
}

/// `{ type: string, required: true }`, when the node has no description or fields.
fn flow(schema: &Schema, keys: &[(String, String)]) -> Option<String> {
    if schema.description.is_some() {
        return None;
    }
    let mut parts: Vec<String> = keys.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    match &schema.ty {
        Ty::Object(_) => return None,
        Ty::Array(inner) | Ty::Map(inner) => {
            let inner_keys = leaf_keys(inner, Role::Node, None, None);
            let key = if matches!(schema.ty, Ty::Array(_)) {
                "items"
            } else {
                "values"
            };
            parts.push(format!("{key}: {}", flow(inner, &inner_keys)?));
        }
        _ => {}
    }
    let flow = format!("{{ {} }}", parts.join(", "));
    (flow.len() <= FLOW_WIDTH).then_some(flow)
}

/// Words YAML reads as something other than a string.
fn is_special(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    [
        "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n",
    ]
    .contains(&lower.as_str())
        || s.parse::<f64>().is_ok()
        || lower.starts_with("0x")
        || lower.starts_with("0o")
        || lower.starts_with(".inf")
        || lower.starts_with("-.inf")
        || lower == ".nan"
}

/// A mapping key: plain when it is an identifier, quoted otherwise.
fn key(name: &str) -> String {
    let identifier = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if identifier && !is_special(name) {
        name.to_owned()
    } else {
        quote(name)
    }
}

/// A scalar inside a flow collection, where `,[]{}` would end it: plain only for simple words.
fn flow_scalar(s: &str) -> String {
    let simple = !s.is_empty()
        && s.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if simple && !is_special(s) {
        s.to_owned()
    } else {
        quote(s)
    }
}

/// A block scalar value: plain when YAML reads it back unchanged, double-quoted otherwise.
fn scalar(s: &str) -> String {
    let risky_start =
        s.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`".contains(c) || c.is_whitespace());
    let plain = !s.is_empty()
        && !risky_start
        && !s.ends_with(|c: char| c.is_whitespace() || c == ':')
        && !s.contains(": ")
        && !s.contains(" #")
        && !s.chars().any(char::is_control)
        && !is_special(s);
    if plain { s.to_owned() } else { quote(s) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_are_quoted_only_when_yaml_would_misread_them() {
        assert_eq!(scalar("/portal_sessions/"), "/portal_sessions/");
        assert_eq!(scalar("Min 1, max 100."), "Min 1, max 100.");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("10"), "\"10\"");
        assert_eq!(scalar("a: b"), "\"a: b\"");
        assert_eq!(scalar("# x"), "\"# x\"");
        assert_eq!(scalar("*star"), "\"*star\"");
        assert_eq!(key("createdAt"), "createdAt");
        assert_eq!(
            key("5e3aac363c92e44b424b6dfc"),
            "\"5e3aac363c92e44b424b6dfc\""
        );
        assert_eq!(key("null"), "\"null\"");
        assert_eq!(flow_scalar("flat_fee"), "flat_fee");
        assert_eq!(flow_scalar("y"), "\"y\"");
        assert_eq!(flow_scalar("a,b"), "\"a,b\"");
    }
}
