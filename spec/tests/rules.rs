//! One test per rule of the spec checker. Each builds a small spec inline, under a valid header,
//! and asserts the exact message, the position (line and column) and the help it reports.
//!
//! Positions are written relative to the test's YAML body with [`at`]: `at(3, 7)` is line 3,
//! column 7 of the body as it appears in the test.

use pabbly_spec::ir::{
    Api, EnumValue, Envelope, Field, Method, ParamLocation, Scalar, Scope, Type, TypeDef, TypeKind,
    TypeRef,
};
use pabbly_spec::{Diagnostic, Diagnostics, Excerpt, Position};

/// How diagnostics name the spec.
const FILE: &str = "test.yaml";

/// A valid header that every test body follows.
const HEADER: &str = "\
spec_version: 1
api:
  title: Test API
  version: v1
  base_url: https://example.com/api
  auth: basic
";

/// Lines taken by [`HEADER`].
const HEADER_LINES: u64 = 6;

/// The whole spec text for `body`: the header, then the body without its leading newline (so a
/// body written as `r#"` + newline + YAML starts at body line 1), then `operations: []` when the
/// body has no `operations:` of its own (the key is required; appending it moves no position).
fn spec(body: &str) -> String {
    let body = body.strip_prefix('\n').unwrap_or(body);
    let mut text = format!("{HEADER}{body}");
    if !body.lines().any(|line| line.starts_with("operations:")) {
        text.push_str("operations: []\n");
    }
    text
}

/// Body line `line`, column `column`, as a file position.
fn at(line: u64, column: u64) -> Position {
    Position {
        line: HEADER_LINES + line,
        column,
    }
}

/// Loads a whole spec text (no header added).
fn load_text(text: &str) -> Result<Api, Diagnostics> {
    pabbly_spec::load_str(text, FILE)
}

/// The lowered API of a body that must be valid.
#[track_caller]
fn api(body: &str) -> Api {
    match load_text(&spec(body)) {
        Ok(api) => api,
        Err(diagnostics) => panic!("expected a valid spec, got:\n{diagnostics}"),
    }
}

/// Every diagnostic for a whole spec text that must be invalid, after checking what all of
/// them share: the file name, and the source line that is the line at their position.
#[track_caller]
fn text_errors(text: &str) -> Vec<Diagnostic> {
    let found = match load_text(text) {
        Ok(_) => panic!("expected diagnostics, but the spec is valid:\n{text}"),
        Err(Diagnostics(found)) => found,
    };
    assert!(!found.is_empty(), "an error without diagnostics");
    for d in &found {
        assert_eq!(d.file, FILE);
        let line = usize::try_from(d.position.line).expect("a small line number");
        let expected = line
            .checked_sub(1)
            .and_then(|i| text.lines().nth(i))
            .map(|line| Excerpt::around(line, d.position.column));
        assert_eq!(d.source_line, expected, "source line of\n{d}");
    }
    found
}

/// Every diagnostic for a body that must be invalid.
#[track_caller]
fn errors(body: &str) -> Vec<Diagnostic> {
    text_errors(&spec(body))
}

/// The single diagnostic for a body that must have exactly one.
#[track_caller]
fn only_error(body: &str) -> Diagnostic {
    let mut found = errors(body);
    assert_eq!(
        found.len(),
        1,
        "expected one diagnostic, got:\n{}",
        Diagnostics(found.clone())
    );
    found.remove(0)
}

/// Asserts the exact position, message and help of `d`.
#[track_caller]
fn check(d: &Diagnostic, position: Position, message: &str, help: Option<&str>) {
    assert_eq!(
        (d.position, d.message.as_str(), d.help.as_deref()),
        (position, message, help),
        "\nthe diagnostic was:\n{d}"
    );
}

/// Asserts the position of `d` and a distinctive part of its message (for the YAML loader's
/// own wording, which is not ours to pin down exactly).
#[track_caller]
fn check_contains(d: &Diagnostic, position: Position, part: &str) {
    assert_eq!(d.position, position, "\nthe diagnostic was:\n{d}");
    assert!(
        d.message.contains(part),
        "{:?} does not contain {part:?}",
        d.message
    );
}

fn messages(found: &[Diagnostic]) -> Vec<&str> {
    found.iter().map(|d| d.message.as_str()).collect()
}

fn model<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.models
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no model `{name}` in {:?}", names(&api.models)))
}

fn names(types: &[TypeDef]) -> Vec<&str> {
    types.iter().map(|t| t.name.as_str()).collect()
}

#[track_caller]
fn fields(def: &TypeDef) -> &[Field] {
    match &def.kind {
        TypeKind::Struct(fields) => fields,
        TypeKind::Enum(_) => panic!("`{}` is an enum", def.name),
    }
}

fn named(name: &str, scope: Scope) -> Type {
    Type::Named(TypeRef {
        name: name.to_owned(),
        scope,
    })
}

const EXAMPLE_HELP: Option<&str> = Some("fix the schema (or the example, if the docs are wrong)");

// ---------------------------------------------------------------------------------------------
// The YAML loader: syntax, missing keys, unknown keys.
// ---------------------------------------------------------------------------------------------

#[test]
fn yaml_syntax_error_is_reported_at_its_position() {
    let d = only_error(
        r#"
types:
  Customer:
    type: object
     fields: {}
operations: []
"#,
    );
    check_contains(&d, at(4, 12), "mapping values are not allowed");
    assert_eq!(d.help, None);
    // Our own position is in front; the loader's copy is not repeated in the message.
    assert!(!d.message.contains("line"), "{:?}", d.message);
    assert_eq!(
        d.source_line.as_ref().map(|s| s.text.as_str()),
        Some("     fields: {}")
    );
}

#[test]
fn yaml_unclosed_quote_is_reported_at_the_quote() {
    let d = only_error(
        r#"
types:
  Customer:
    type: object
    description: "never closed
operations: []
"#,
    );
    check_contains(&d, at(4, 18), "unclosed quote");
}

#[test]
fn missing_required_key_points_at_the_start_of_its_mapping() {
    // The loader notices at the last key (`response`); the operation starts at `id`.
    let d = only_error(
        r#"
operations:
  - id: customers.get
    method: GET
    summary: Fetch one customer.
    response: { data: { type: any } }
"#,
    );
    check(
        &d,
        at(2, 5),
        "missing key `path` in an operation",
        Some("an operation needs: id, method, path, summary, response"),
    );
}

#[test]
fn missing_required_key_skips_earlier_entries_comments_and_values() {
    let d = only_error(
        r#"
operations:
  - id: customers.get
    method: GET
    path: /customers/{customer_id}
    summary: Fetch one customer.
    path_params:
      customer_id: { type: string }
    response: { data: { type: any } }

  - id: customers.list
    # the path is forgotten here
    method: GET
    summary: List customers.
    query:
      limit:
        type: integer
    examples: {
      response: { status: success, data: [] }
    }
    response:
      data: { type: any }
"#,
    );
    check(
        &d,
        at(10, 5),
        "missing key `path` in an operation",
        Some("an operation needs: id, method, path, summary, response"),
    );
}

#[test]
fn missing_required_key_in_a_compact_sequence_and_a_nested_field() {
    let d = only_error(
        r#"
operations:
- id: customers.get
  method: GET
  path: /customers
  response: { data: { type: any } }
"#,
    );
    check(
        &d,
        at(2, 3),
        "missing key `summary` in an operation",
        Some("an operation needs: id, method, path, summary, response"),
    );

    let d = only_error(
        r#"
types:
  Customer:
    type: object
    fields:
      name:
        description: The customer's name.
        required: true
"#,
    );
    check(
        &d,
        at(6, 9),
        "missing key `type` in a type or field",
        Some("a type or field needs: type"),
    );
}

#[test]
fn missing_top_level_key_points_at_the_document_start() {
    let text = "spec_version: 1\napi:\n  title: Test API\n  version: v1\n  base_url: https://example.com/api\n  auth: basic\n";
    let found = text_errors(text);
    assert_eq!(found.len(), 1);
    check(
        &found[0],
        Position { line: 1, column: 1 },
        "missing key `operations` in the spec",
        Some("the spec needs: spec_version, api, operations"),
    );
}

#[test]
fn missing_key_inside_a_flow_mapping_is_reported_at_the_mapping() {
    let d = only_error(
        r#"
types:
  Customer:
    type: object
    fields:
      name: { description: The customer's name. }
"#,
    );
    check(
        &d,
        at(5, 13),
        "missing key `type` in a type or field",
        Some("a type or field needs: type"),
    );
}

#[test]
fn unknown_key_is_an_error_at_the_key() {
    let d = only_error(
        r#"
types:
  Customer:
    type: object
    fields:
      email:
        type: string
        requried: true
"#,
    );
    check(
        &d,
        at(7, 9),
        "unknown key `requried` in a type or field",
        Some(
            "did you mean `required`? the keys of a type or field: type, description, required, nullable, lenient, format, enum, default, rust_name, items, values, fields",
        ),
    );
    assert_eq!(
        d.source_line.as_ref().map(|s| s.text.as_str()),
        Some("        requried: true")
    );
}

#[test]
fn unknown_key_in_an_operation() {
    let d = only_error(
        r#"
operations:
  - id: customers.get
    method: GET
    path: /customers
    summary: Fetch customers.
    parameters: {}
    response: { data: { type: any } }
"#,
    );
    check(
        &d,
        at(6, 5),
        "unknown key `parameters` in an operation",
        Some(
            "the keys of an operation: id, method, path, base, summary, description, docs, path_params, query, body, response, examples, doc_page, overrides",
        ),
    );
}

#[test]
fn duplicate_key_names_the_key_without_loader_advice() {
    let d = only_error(
        r#"
types:
  Customer:
    type: object
    fields:
      name: { type: string }
      name: { type: integer }
"#,
    );
    check(
        &d,
        at(6, 7),
        "duplicate mapping key `name` is not allowed here",
        None,
    );
}

#[test]
fn wrongly_typed_value_is_reported_at_the_value() {
    let d = only_error(
        r#"
types:
  Customer:
    type: object
    fields:
      name: { type: string, required: maybe }
"#,
    );
    check_contains(&d, at(5, 39), "invalid boolean");
}

#[test]
fn an_unreadable_file_is_one_diagnostic_without_position() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("no-such-spec.yaml");
    let Err(Diagnostics(found)) = pabbly_spec::load(&path, "no-such-spec.yaml") else {
        panic!("a missing file cannot load");
    };
    assert_eq!(found.len(), 1);
    let d = &found[0];
    assert_eq!(d.file, "no-such-spec.yaml");
    assert_eq!(d.position, Position::default());
    assert!(
        d.message.starts_with("cannot read the spec file: "),
        "{}",
        d.message
    );
    assert_eq!(
        d.help,
        Some(format!("the path resolved to {}", path.display()))
    );
    assert_eq!(d.source_line, None);
    assert!(
        d.to_string().starts_with("no-such-spec.yaml: cannot read"),
        "{d}"
    );
}

// ---------------------------------------------------------------------------------------------
// The header.
// ---------------------------------------------------------------------------------------------

#[test]
fn unsupported_spec_version() {
    let text = HEADER.replace("spec_version: 1", "spec_version: 2") + "operations: []\n";
    let found = text_errors(&text);
    assert_eq!(found.len(), 1);
    check(
        &found[0],
        Position {
            line: 1,
            column: 15,
        },
        "unsupported spec_version 2",
        Some("this generator reads spec_version: 1"),
    );
}

#[test]
fn auth_must_be_basic() {
    let text = HEADER.replace("auth: basic", "auth: bearer") + "operations: []\n";
    let found = text_errors(&text);
    assert_eq!(found.len(), 1);
    check(
        &found[0],
        Position { line: 6, column: 9 },
        "unsupported auth scheme \"bearer\"",
        Some("Pabbly uses HTTP Basic: write `auth: basic`"),
    );
}

#[test]
fn base_url_must_be_http_or_https() {
    let text =
        HEADER.replace("https://example.com/api", "ftp://example.com/api") + "operations: []\n";
    let found = text_errors(&text);
    assert_eq!(found.len(), 1);
    check(
        &found[0],
        Position {
            line: 5,
            column: 13,
        },
        "base_url \"ftp://example.com/api\" is not an http(s) URL",
        None,
    );

    let plain_http = HEADER.replace("https://", "http://") + "operations: []\n";
    let api = load_text(&plain_http).expect("http is allowed");
    assert_eq!(api.base_url, "http://example.com/api");
}

// ---------------------------------------------------------------------------------------------
// Types.
// ---------------------------------------------------------------------------------------------

#[test]
fn unknown_type_with_a_suggestion() {
    let d = only_error(
        r#"
types:
  Customer:
    type: object
    fields:
      name: { type: strng }
"#,
    );
    check(
        &d,
        at(5, 21),
        "unknown type \"strng\"",
        Some(
            "did you mean `string`? known types: string, integer, number, boolean, date, \
             date-time, any, object, array, map, or a named type",
        ),
    );
}

#[test]
fn unknown_type_without_a_suggestion() {
    let found = errors(
        r#"
types:
  Customer:
    type: object
    fields:
      gadget: { type: widget }
      plan: { type: customer }
"#,
    );
    let help = Some(
        "known types: string, integer, number, boolean, date, date-time, any, object, array, \
         map, or a named type (PascalCase)",
    );
    assert_eq!(found.len(), 2);
    check(&found[0], at(5, 23), "unknown type \"widget\"", help);
    // A lowercase word is never a reference, even when a named type is spelled like it.
    check(&found[1], at(6, 21), "unknown type \"customer\"", help);
}

#[test]
fn unresolved_reference_with_a_suggestion() {
    let d = only_error(
        r#"
types:
  Customer:
    type: object
    fields:
      id: { type: string }
  Invoice:
    type: object
    fields:
      customer: { type: Custmer }
"#,
    );
    check(
        &d,
        at(9, 25),
        "unresolved reference: no type named `Custmer` under `types:`",
        Some("did you mean `Customer`?"),
    );
}

#[test]
fn unresolved_reference_without_a_suggestion() {
    let d = only_error(
        r#"
operations:
  - id: plans.get
    method: GET
    path: /plans
    summary: Fetch a plan.
    response:
      data: { type: Plan }
"#,
    );
    check(
        &d,
        at(7, 21),
        "unresolved reference: no type named `Plan` under `types:`",
        Some("define it under `types:`"),
    );
}

#[test]
fn named_type_is_an_object_or_an_enum() {
    let found = errors(
        r#"
types:
  Count:
    type: integer
  Name:
    type: string
"#,
    );
    let help = Some("a named type is an `object` with `fields` or a `string` with `enum` values");
    assert_eq!(found.len(), 2);
    check(
        &found[0],
        at(3, 11),
        "named type `Count` has `type: integer`",
        help,
    );
    // A string without `enum` is not a named type either.
    check(
        &found[1],
        at(5, 11),
        "named type `Name` has `type: string`",
        help,
    );
}

#[test]
fn named_type_name_is_pascal_case() {
    let d = only_error(
        r#"
types:
  portal_session:
    type: object
    fields:
      id: { type: string }
"#,
    );
    check(
        &d,
        at(2, 3),
        "type name \"portal_session\" is not a PascalCase identifier",
        Some("name it `PortalSession`"),
    );
}

#[test]
fn field_keys_on_a_named_type_are_reported_at_the_key() {
    let found = errors(
        r#"
types:
  Customer:
    type: object
    required: true
    nullable: false
    rust_name: customer
    fields:
      id: { type: string }
"#,
    );
    assert_eq!(found.len(), 3);
    check(
        &found[0],
        at(4, 15),
        "`required` only applies to a field or parameter",
        Some("move `required` to the field that uses this type"),
    );
    check(
        &found[1],
        at(5, 15),
        "`nullable` only applies to a field or parameter",
        Some("move `nullable` to the field that uses this type"),
    );
    check(
        &found[2],
        at(6, 16),
        "`rust_name` only applies to a field or parameter",
        Some("move `rust_name` to the field that uses this type"),
    );
}

#[test]
fn field_keys_on_response_data_are_refused() {
    let d = only_error(
        r#"
operations:
  - id: customers.get
    method: GET
    path: /customers
    summary: Fetch customers.
    response:
      data: { type: any, required: true }
"#,
    );
    check(
        &d,
        at(7, 36),
        "`required` only applies to a field or parameter",
        Some("move `required` to the field that uses this type"),
    );
}

#[test]
fn object_without_fields() {
    let found = errors(
        r#"
types:
  Customer:
    type: object
  Invoice:
    type: object
    fields:
      address: { type: object }
"#,
    );
    let help = Some("list its fields, or use `type: any` for an object of unknown shape");
    assert_eq!(found.len(), 2);
    check(
        &found[0],
        at(3, 5),
        "object `Customer` has no `fields`",
        help,
    );
    // An inline object is named after its owner and field.
    check(
        &found[1],
        at(7, 16),
        "object `InvoiceAddress` has no `fields`",
        help,
    );
}

#[test]
fn array_without_items() {
    let d = only_error(
        r#"
types:
  Customer:
    type: object
    fields:
      tags:
        type: array
"#,
    );
    check(
        &d,
        at(6, 9),
        "an array needs `items`",
        Some("add `items: { type: … }`"),
    );
}

#[test]
fn map_without_values() {
    let d = only_error(
        r#"
types:
  Customer:
    type: object
    fields:
      metadata: { type: map }
"#,
    );
    check(
        &d,
        at(5, 17),
        "a map needs `values`",
        Some("add `values: { type: … }`"),
    );
}

#[test]
fn misplaced_items_fields_enum_and_values_point_at_the_type() {
    let found = errors(
        r#"
types:
  Customer:
    type: object
    fields:
      name: { type: string, items: { type: string } }
      age: { type: integer, fields: { years: { type: integer } } }
      level: { type: integer, enum: [low, high] }
      notes: { type: string, values: { type: string } }
"#,
    );
    assert_eq!(
        found
            .iter()
            .map(|d| (d.position, d.message.as_str(), d.help.as_deref()))
            .collect::<Vec<_>>(),
        [
            (
                at(5, 21),
                "`items` only applies to `type: array`, not `string`",
                None
            ),
            (
                at(6, 20),
                "`fields` only applies to `type: object`, not `integer`",
                None
            ),
            (
                at(7, 22),
                "`enum` only applies to `type: string`, not `integer`",
                None
            ),
            (
                at(8, 22),
                "`values` only applies to `type: map`, not `string`",
                None
            ),
        ]
    );
}

#[test]
fn misplaced_keys_on_a_named_type_are_refused_too() {
    let found = errors(
        r#"
types:
  Customer:
    type: object
    enum: [a, b]
    fields:
      id: { type: string }
  Status:
    type: string
    enum: [active, cancelled]
    items: { type: string }
"#,
    );
    assert_eq!(found.len(), 2);
    check(
        &found[0],
        at(3, 11),
        "`enum` only applies to `type: string`, not `object`",
        None,
    );
    check(
        &found[1],
        at(8, 11),
        "`items` only applies to `type: array`, not `string`",
        None,
    );
}

#[test]
fn lenient_only_on_string_integer_number_and_boolean() {
    let found = errors(
        r#"
types:
  Customer:
    type: object
    lenient: true
    fields:
      tags: { type: array, items: { type: string }, lenient: true }
      due: { type: date, lenient: true }
      count: { type: integer, lenient: true }
"#,
    );
    assert_eq!(
        found
            .iter()
            .map(|d| (d.position, d.message.as_str()))
            .collect::<Vec<_>>(),
        [
            (
                at(4, 14),
                "`lenient` only applies to string, integer, number and boolean, not `object`"
            ),
            (
                at(6, 62),
                "`lenient` only applies to string, integer, number and boolean, not `array`"
            ),
            (
                at(7, 35),
                "`lenient` only applies to string, integer, number and boolean, not `date`"
            ),
        ]
    );
    assert!(found.iter().all(|d| d.help.is_none()));
}

#[test]
fn unknown_format() {
    let d = only_error(
        r#"
types:
  Customer:
    type: object
    fields:
      website: { type: string, format: uri }
"#,
    );
    check(
        &d,
        at(5, 40),
        "unknown format \"uri\"",
        Some("known formats: url, email (dates have their own types: date, date-time)"),
    );
}

#[test]
fn format_only_on_a_string() {
    let d = only_error(
        r#"
types:
  Customer:
    type: object
    fields:
      age: { type: integer, format: email }
"#,
    );
    check(
        &d,
        at(5, 37),
        "`format` only applies to `type: string`",
        None,
    );
}

#[test]
fn enum_needs_a_value() {
    let d = only_error(
        r#"
types:
  Status:
    type: string
    enum: []
"#,
    );
    check(&d, at(4, 11), "an enum needs at least one value", None);
}

#[test]
fn enum_values_that_make_the_same_variant() {
    let found = errors(
        r#"
types:
  Interval:
    type: string
    enum: [month, Month, flat_fee, flat-fee]
"#,
    );
    assert_eq!(found.len(), 2);
    check(
        &found[0],
        at(4, 19),
        "enum value \"Month\" repeats variant `Month`",
        None,
    );
    check(
        &found[1],
        at(4, 36),
        "enum value \"flat-fee\" repeats variant `FlatFee`",
        None,
    );
}

#[test]
fn enum_value_unknown_is_reserved() {
    let found = errors(
        r#"
types:
  Status:
    type: string
    enum: [active, Unknown, unknown, ""]
"#,
    );
    let help = Some(
        "`Unknown` is reserved for values the spec does not list; empty values decode as unknown",
    );
    assert_eq!(found.len(), 3);
    check(
        &found[0],
        at(4, 20),
        "enum value \"Unknown\" cannot be named in Rust",
        help,
    );
    check(
        &found[1],
        at(4, 29),
        "enum value \"unknown\" cannot be named in Rust",
        help,
    );
    check(
        &found[2],
        at(4, 38),
        "enum value \"\" cannot be named in Rust",
        help,
    );
}

#[test]
fn two_fields_with_one_rust_name() {
    let d = only_error(
        r#"
types:
  Customer:
    type: object
    fields:
      createdAt: { type: date-time }
      created_at: { type: date-time }
"#,
    );
    check(
        &d,
        at(6, 7),
        "fields \"createdAt\" and \"created_at\" would both be named `created_at` in Rust",
        Some("give one of them a `rust_name`"),
    );
}

#[test]
fn rust_name_settles_a_name_clash() {
    let api = api(r#"
types:
  Customer:
    type: object
    fields:
      createdAt: { type: date-time }
      created_at: { type: date-time, rust_name: created_at_legacy }
"#);
    let rust: Vec<_> = fields(model(&api, "Customer"))
        .iter()
        .map(|f| f.rust_name.as_str())
        .collect();
    assert_eq!(rust, ["created_at", "created_at_legacy"]);
}

#[test]
fn rust_name_must_be_an_identifier() {
    let d = only_error(
        r#"
types:
  Customer:
    type: object
    fields:
      first-name: { type: string, rust_name: "given-name" }
"#,
    );
    check(
        &d,
        at(5, 46),
        "rust_name \"given-name\" is not an identifier",
        Some("use `given_name`"),
    );
}

#[test]
fn hoisted_inline_type_cannot_take_a_named_types_name() {
    let help = Some("define it once under `types:` and refer to it by name, or rename the field");
    // The named type comes first...
    let d = only_error(
        r#"
types:
  CustomerAddress:
    type: object
    fields:
      city: { type: string }
  Customer:
    type: object
    fields:
      address:
        type: object
        fields:
          city: { type: string }
"#,
    );
    check(
        &d,
        at(10, 9),
        "`CustomerAddress` (an inline type) is already the type `CustomerAddress` under `types:` (line 8)",
        help,
    );
    // ...or after: every named type's name is reserved before any is lowered.
    let d = only_error(
        r#"
types:
  Customer:
    type: object
    fields:
      address: { type: object, fields: { city: { type: string } } }
  CustomerAddress:
    type: object
    fields:
      city: { type: string }
"#,
    );
    check(
        &d,
        at(5, 16),
        "`CustomerAddress` (an inline type) is already the type `CustomerAddress` under `types:` (line 12)",
        help,
    );
}

#[test]
fn two_hoisted_inline_types_cannot_share_a_name() {
    let d = only_error(
        r#"
types:
  A:
    type: object
    fields:
      b_c: { type: string, enum: [x] }
  AB:
    type: object
    fields:
      c: { type: string, enum: [y] }
"#,
    );
    check(
        &d,
        at(9, 10),
        "`ABC` (an inline type) is already an inline type (line 11)",
        Some("define it once under `types:` and refer to it by name, or rename the field"),
    );
}

// ---------------------------------------------------------------------------------------------
// Operations.
// ---------------------------------------------------------------------------------------------

#[test]
fn duplicate_operation_id_names_the_first_line() {
    let d = only_error(
        r#"
operations:
  - id: customers.get
    method: GET
    path: /customers
    summary: Fetch customers.
    response: { data: { type: any } }
  - id: customers.get
    method: GET
    path: /customers/all
    summary: Fetch them again.
    response: { data: { type: any } }
"#,
    );
    check(
        &d,
        at(7, 9),
        "duplicate operation id `customers.get` (first defined at line 8)",
        Some("operation ids must be unique: rename one of them"),
    );
    assert_eq!(
        at(2, 9).line,
        8,
        "the message names the first id's file line"
    );
}

#[test]
fn malformed_operation_ids() {
    let found = errors(
        r#"
operations:
  - id: customers
    method: GET
    path: /customers
    summary: No action.
    response: { data: { type: any } }
  - id: Customers.List
    method: GET
    path: /customers
    summary: Not snake_case.
    response: { data: { type: any } }
  - id: customers.list.all
    method: GET
    path: /customers
    summary: Three parts.
    response: { data: { type: any } }
  - id: customers.listAll
    method: GET
    path: /customers
    summary: A camelCase action.
    response: { data: { type: any } }
"#,
    );
    let help = Some("write it as two snake_case words joined by a dot, e.g. `customers.list`");
    assert_eq!(found.len(), 4);
    check(
        &found[0],
        at(2, 9),
        "operation id \"customers\" is not `resource.action`",
        help,
    );
    check(
        &found[1],
        at(7, 9),
        "operation id \"Customers.List\" is not `resource.action`",
        help,
    );
    check(
        &found[2],
        at(12, 9),
        "operation id \"customers.list.all\" is not `resource.action`",
        help,
    );
    check(
        &found[3],
        at(17, 9),
        "operation id \"customers.listAll\" is not `resource.action`",
        help,
    );
}

#[test]
fn an_operation_with_a_bad_id_is_still_checked() {
    let found = errors(
        r#"
operations:
  - id: Customers.List
    method: FETCH
    path: customers
    summary: Everything else is wrong too.
    response: { data: { type: strng } }
  - id: plans.get
    method: GET
    path: /plans
    summary: Fetch plans.
    response: { data: { type: any } }
  - id: plans.get
    method: GETT
    path: /plans
    summary: A duplicate, wrong as well.
    response: { data: { type: any } }
"#,
    );
    assert_eq!(
        found
            .iter()
            .map(|d| (d.position, d.message.as_str()))
            .collect::<Vec<_>>(),
        [
            (
                at(2, 9),
                "operation id \"Customers.List\" is not `resource.action`"
            ),
            (at(3, 13), "unknown HTTP method \"FETCH\""),
            (at(4, 11), "path \"customers\" does not start with `/`"),
            (at(6, 31), "unknown type \"strng\""),
            (
                at(12, 9),
                "duplicate operation id `plans.get` (first defined at line 13)"
            ),
            (at(13, 13), "unknown HTTP method \"GETT\""),
        ]
    );
}

#[test]
fn unknown_http_method_is_quoted_as_written() {
    let d = only_error(
        r#"
operations:
  - id: customers.get
    method: fetch
    path: /customers
    summary: Fetch customers.
    response: { data: { type: any } }
"#,
    );
    check(
        &d,
        at(3, 13),
        "unknown HTTP method \"fetch\"",
        Some("use GET, POST, PUT, PATCH or DELETE"),
    );
}

#[test]
fn http_method_case_does_not_matter() {
    let api = api(r#"
operations:
  - id: customers.update
    method: patch
    path: /customers
    summary: Update customers.
    response: { data: { type: any } }
"#);
    assert_eq!(api.resources[0].operations[0].method, Method::Patch);
}

#[test]
fn path_starts_with_a_slash() {
    let d = only_error(
        r#"
operations:
  - id: customers.list
    method: GET
    path: customers
    summary: List customers.
    response: { data: { type: any } }
"#,
    );
    check(
        &d,
        at(4, 11),
        "path \"customers\" does not start with `/`",
        None,
    );
}

/// One operation with `path`, and the diagnostics it gets.
fn path_errors(path: &str) -> Vec<Diagnostic> {
    errors(&format!(
        r#"
operations:
  - id: customers.get
    method: GET
    path: "{path}"
    summary: Fetch a customer.
    response: {{ data: {{ type: any }} }}
"#
    ))
}

#[test]
fn malformed_path_placeholders() {
    let help = Some("write each placeholder once, as `{name}`");
    for (path, problem) in [
        ("/customer/{id", "a `{` without its `}`"),
        ("/customer/id}", "a `}` without its `{`"),
        (
            "/customer/{customer-id}",
            "placeholder `{customer-id}` is not a parameter name",
        ),
        ("/customer/{}", "placeholder `{}` is not a parameter name"),
        (
            "/customer/{id}/copy/{id}",
            "placeholder `{id}` appears twice",
        ),
    ] {
        let found = path_errors(path);
        assert_eq!(found.len(), 1, "{path}: {}", Diagnostics(found.clone()));
        check(
            &found[0],
            at(4, 11),
            &format!("malformed path template \"{path}\": {problem}"),
            help,
        );
    }
}

#[test]
fn undeclared_path_parameter() {
    let found = errors(
        r#"
operations:
  - id: invoices.get
    method: GET
    path: /customer/{customer_id}/invoice/{invoice_id}
    summary: Fetch an invoice.
    path_params:
      customer_id: { type: string }
    response: { data: { type: any } }
"#,
    );
    assert_eq!(found.len(), 1);
    check(
        &found[0],
        at(4, 11),
        "undeclared path parameter `invoice_id` in \"/customer/{customer_id}/invoice/{invoice_id}\"",
        Some("declare it under `path_params:` as `invoice_id: { type: string }`"),
    );
}

#[test]
fn declared_path_parameter_must_be_used() {
    let d = only_error(
        r#"
operations:
  - id: customers.get
    method: GET
    path: /customer/{customer_id}
    summary: Fetch a customer.
    path_params:
      customer_id: { type: string }
      plan_id: { type: string }
    response: { data: { type: any } }
"#,
    );
    check(
        &d,
        at(8, 7),
        "path parameter `plan_id` is declared but not used in \"/customer/{customer_id}\"",
        Some("add `{plan_id}` to the path or remove the parameter"),
    );
}

#[test]
fn path_parameter_is_a_string_or_an_integer() {
    let found = errors(
        r#"
operations:
  - id: customers.get
    method: GET
    path: /customer/{active}/{tags}/{id}/{number}
    summary: Fetch a customer.
    path_params:
      active: { type: boolean }
      tags: { type: array, items: { type: string } }
      id: { type: string }
      number: { type: integer }
    response: { data: { type: any } }
"#,
    );
    assert_eq!(found.len(), 2);
    check(
        &found[0],
        at(7, 23),
        "a path parameter is a `string` or an `integer`",
        None,
    );
    check(
        &found[1],
        at(8, 21),
        "a path parameter is a `string` or an `integer`",
        None,
    );
}

#[test]
fn query_and_body_together() {
    let d = only_error(
        r#"
operations:
  - id: customers.create
    method: POST
    path: /customers
    summary: Create a customer.
    query:
      dry_run: { type: boolean }
    body:
      email: { type: string, required: true }
    response: { data: { type: any } }
"#,
    );
    check(
        &d,
        at(2, 9),
        "operation `customers.create` has both `query` and `body` parameters",
        Some("Pabbly's operations take one or the other; move the parameters to one place"),
    );
}

#[test]
fn unknown_envelope() {
    let d = only_error(
        r#"
operations:
  - id: customers.list
    method: GET
    path: /customers
    summary: List customers.
    response:
      envelope: datum
      data: { type: any }
"#,
    );
    check(
        &d,
        at(7, 17),
        "unknown envelope \"datum\"",
        Some("use data, message, message-list or bare"),
    );
}

#[test]
fn message_envelope_carries_no_data() {
    let d = only_error(
        r#"
operations:
  - id: customers.delete
    method: DELETE
    path: /customers
    summary: Delete customers.
    response:
      envelope: message
      data: { type: any }
"#,
    );
    check(
        &d,
        at(8, 13),
        "an envelope of `message` carries no data",
        Some("remove `data`, or use `envelope: data`"),
    );
}

#[test]
fn response_needs_data() {
    let help = Some("add `data: { type: … }` (`any` when the docs do not show it)");
    let found = errors(
        r#"
operations:
  - id: customers.get
    method: GET
    path: /customers
    summary: Fetch customers.
    response:
      envelope: data
  - id: customers.list
    method: GET
    path: /customers
    summary: List customers.
    response: {}
"#,
    );
    assert_eq!(found.len(), 2);
    check(&found[0], at(7, 7), "the response has no `data` type", help);
    check(
        &found[1],
        at(12, 15),
        "the response has no `data` type",
        help,
    );
}

// ---------------------------------------------------------------------------------------------
// Examples against their schemas.
// ---------------------------------------------------------------------------------------------

/// A spec whose `customers.get` answers a `Customer` in the `data` envelope, with
/// `example_data` (JSON, one line) as the example's data.
fn customer_example(example_data: &str) -> String {
    format!(
        r#"
types:
  Customer:
    type: object
    fields:
      id: {{ type: string, required: true }}
      age: {{ type: integer }}
      email: {{ type: string, required: true }}
      created_at: {{ type: date-time, required: true }}
      due_on: {{ type: date, required: true, nullable: true }}
      paid_at: {{ type: date-time, required: true }}
      count: {{ type: integer, lenient: true, required: true }}
      active: {{ type: boolean, lenient: true, required: true }}
operations:
  - id: customers.get
    method: GET
    path: /customers
    summary: Fetch a customer.
    response:
      data: {{ type: Customer }}
    examples:
      response: {{"status": "success", "message": "ok", "data": {example_data}}}
"#
    )
}

/// A customer that fits the schema, as one line of JSON with `edit` applied.
fn customer_json(edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>)) -> String {
    let mut customer = serde_json::json!({
        "id": "cus_1",
        "age": 41,
        "email": "ada@example.com",
        "created_at": "2020-03-04T07:19:13.685Z",
        "due_on": "2020-04-01",
        "paid_at": "2020-03-04T07:19:13+05:30",
        "count": 3,
        "active": true
    });
    edit(customer.as_object_mut().expect("an object"));
    customer.to_string()
}

/// The one diagnostic for a customer example edited by `edit`.
#[track_caller]
fn customer_example_error(
    edit: impl FnOnce(&mut serde_json::Map<String, serde_json::Value>),
) -> Diagnostic {
    only_error(&customer_example(&customer_json(edit)))
}

/// Where the customer example's response starts: body line 21, column 17.
fn customer_example_at() -> Position {
    at(21, 17)
}

#[test]
fn a_fitting_example_passes() {
    api(&customer_example(&customer_json(|_| {})));
}

#[test]
fn example_with_a_wrong_scalar_type() {
    let d = customer_example_error(|c| {
        c.insert("age".into(), "41".into());
    });
    check(
        &d,
        customer_example_at(),
        "example response does not match its schema: $.data.age: expected an integer, found string \"41\"",
        EXAMPLE_HELP,
    );
}

#[test]
fn example_missing_a_required_field() {
    let d = customer_example_error(|c| {
        c.remove("email");
    });
    check(
        &d,
        customer_example_at(),
        "example response does not match its schema: $.data: required field `email` is missing",
        EXAMPLE_HELP,
    );
}

#[test]
fn example_with_an_undeclared_field() {
    let d = customer_example_error(|c| {
        c.insert("nickname".into(), "Ada".into());
    });
    check(
        &d,
        customer_example_at(),
        "example response does not match its schema: $.data.nickname: field `nickname` is not declared",
        EXAMPLE_HELP,
    );
}

#[test]
fn example_with_null_in_a_field_that_is_not_nullable() {
    let d = customer_example_error(|c| {
        c.insert("email".into(), serde_json::Value::Null);
    });
    check(
        &d,
        customer_example_at(),
        "example response does not match its schema: $.data.email: null, but the field is not nullable",
        EXAMPLE_HELP,
    );
    // An optional field may be null.
    api(&customer_example(&customer_json(|c| {
        c.insert("age".into(), serde_json::Value::Null);
    })));
}

#[test]
fn example_with_a_bad_date_time() {
    let d = customer_example_error(|c| {
        c.insert("created_at".into(), "2020-03-04 07:19".into());
    });
    check(
        &d,
        customer_example_at(),
        "example response does not match its schema: $.data.created_at: expected a date-time \
         (RFC 3339), found string \"2020-03-04 07:19\"",
        EXAMPLE_HELP,
    );
}

#[test]
fn empty_string_is_unset_only_for_a_nullable_date() {
    // `due_on` is nullable: Pabbly's `""` means unset.
    api(&customer_example(&customer_json(|c| {
        c.insert("due_on".into(), "".into());
    })));
    // `paid_at` is not.
    let d = customer_example_error(|c| {
        c.insert("paid_at".into(), "".into());
    });
    check(
        &d,
        customer_example_at(),
        "example response does not match its schema: $.data.paid_at: expected a date-time \
         (RFC 3339), found string \"\"",
        EXAMPLE_HELP,
    );
}

#[test]
fn lenient_values_are_accepted_in_their_string_forms() {
    api(&customer_example(&customer_json(|c| {
        c.insert("count".into(), "42".into());
        c.insert("active".into(), "yes".into());
    })));
    let d = customer_example_error(|c| {
        c.insert("active".into(), "maybe".into());
    });
    check(
        &d,
        customer_example_at(),
        "example response does not match its schema: $.data.active: expected a boolean (lenient), \
         found string \"maybe\"",
        EXAMPLE_HELP,
    );
}

#[test]
fn envelope_must_be_an_object_with_status_and_data() {
    let found = errors(
        r#"
operations:
  - id: plans.list
    method: GET
    path: /plans
    summary: List plans.
    response:
      data: { type: array, items: { type: integer } }
    examples:
      response: [1, 2]
  - id: plans.get
    method: GET
    path: /plans/one
    summary: Fetch a plan.
    response:
      data: { type: integer }
    examples:
      response: { data: 1 }
  - id: plans.count
    method: GET
    path: /plans/count
    summary: Count plans.
    response:
      data: { type: integer }
    examples:
      response: { status: success }
"#,
    );
    assert_eq!(
        found
            .iter()
            .map(|d| (d.position, d.message.as_str()))
            .collect::<Vec<_>>(),
        [
            (
                at(9, 17),
                "example response does not match its schema: $: expected an envelope object, found an array"
            ),
            (
                at(17, 17),
                "example response does not match its schema: $: the envelope has no `status`"
            ),
            (
                at(25, 17),
                "example response does not match its schema: $: the envelope has no `data`"
            ),
        ]
    );
}

#[test]
fn message_list_envelope_holds_the_data_under_message() {
    let found = errors(
        r#"
operations:
  - id: plans.list
    method: GET
    path: /plans
    summary: List plans.
    response:
      envelope: message-list
      data: { type: array, items: { type: integer } }
    examples:
      response: { status: success, message: [1, "two"] }
  - id: plans.ids
    method: GET
    path: /plans/ids
    summary: List plan ids.
    response:
      envelope: message-list
      data: { type: array, items: { type: integer } }
    examples:
      response: { status: success, data: [1] }
"#,
    );
    assert_eq!(found.len(), 2);
    check(
        &found[0],
        at(10, 17),
        "example response does not match its schema: $.message[1]: expected an integer, found string \"two\"",
        EXAMPLE_HELP,
    );
    check(
        &found[1],
        at(19, 17),
        "example response does not match its schema: $: the envelope has no `message`",
        EXAMPLE_HELP,
    );
}

#[test]
fn bare_envelope_is_the_data_itself() {
    let d = only_error(
        r#"
operations:
  - id: plans.list
    method: GET
    path: /plans
    summary: List plans.
    response:
      envelope: bare
      data: { type: array, items: { type: integer } }
    examples:
      response: [1, 2, "three"]
"#,
    );
    check(
        &d,
        at(10, 17),
        "example response does not match its schema: $[2]: expected an integer, found string \"three\"",
        EXAMPLE_HELP,
    );
}

#[test]
fn message_envelope_example_needs_no_data() {
    let api = api(r#"
operations:
  - id: customers.delete
    method: DELETE
    path: /customers
    summary: Delete customers.
    response:
      envelope: message
    examples:
      response: { status: success, message: Deleted. }
"#);
    let op = &api.resources[0].operations[0];
    assert_eq!(op.response.envelope, Envelope::Message);
    assert_eq!(op.response.data, Type::Unit);
}

#[test]
fn request_example_on_an_operation_without_parameters() {
    let d = only_error(
        r#"
operations:
  - id: plans.list
    method: GET
    path: /plans
    summary: List plans.
    response: { data: { type: any } }
    examples:
      request: { limit: 10 }
"#,
    );
    check(
        &d,
        at(8, 16),
        "example request does not match its schema: the operation takes no query or body parameters",
        EXAMPLE_HELP,
    );
}

#[test]
fn request_example_is_checked_against_the_parameters() {
    let found = errors(
        r#"
operations:
  - id: customers.create
    method: POST
    path: /customers
    summary: Create a customer.
    body:
      email: { type: string, required: true }
      plan: { type: string, enum: [basic, pro] }
    response: { data: { type: any } }
    examples:
      request: { plan: 3, coupon: FREE }
"#,
    );
    assert_eq!(
        messages(&found),
        [
            "example request does not match its schema: $: required field `email` is missing",
            "example request does not match its schema: $.plan: expected `CreateRequestPlan`, found number 3",
            "example request does not match its schema: $.coupon: field `coupon` is not declared",
        ]
    );
    assert!(found.iter().all(|d| d.position == at(11, 16)));
}

// ---------------------------------------------------------------------------------------------
// All at once.
// ---------------------------------------------------------------------------------------------

#[test]
fn every_mistake_is_reported_in_one_run_in_file_order() {
    // Operations come first in the file but are checked after the types, and the examples after
    // both: the report is still in file order.
    let found = errors(
        r#"
operations:
  - id: customers.list
    method: GET
    path: /customers/{id}
    summary: List customers.
    response:
      data: { type: Custmer }
    examples:
      response: { status: success, data: 1 }
types:
  Customer:
    type: object
    fields:
      tags: { type: array }
      kind: { type: string, enum: [] }
"#,
    );
    assert_eq!(
        found
            .iter()
            .map(|d| (d.position, d.message.as_str()))
            .collect::<Vec<_>>(),
        [
            (
                at(4, 11),
                "undeclared path parameter `id` in \"/customers/{id}\""
            ),
            (
                at(7, 21),
                "unresolved reference: no type named `Custmer` under `types:`"
            ),
            (at(14, 13), "an array needs `items`"),
            (at(15, 35), "an enum needs at least one value"),
        ]
    );
    let mut sorted = found.iter().map(|d| d.position).collect::<Vec<_>>();
    sorted.sort();
    assert_eq!(sorted, found.iter().map(|d| d.position).collect::<Vec<_>>());
}

#[test]
fn example_mistakes_join_the_others_in_file_order() {
    let found = errors(
        r#"
operations:
  - id: customers.get
    method: GET
    path: /customers
    summary: Fetch a customer.
    response:
      data: { type: integer }
    examples:
      response: { status: success, data: "one" }
  - id: customers.list
    method: GETS
    path: /customers/all
    summary: List customers.
    response: { data: { type: any } }
"#,
    );
    assert_eq!(
        found
            .iter()
            .map(|d| (d.position, d.message.as_str()))
            .collect::<Vec<_>>(),
        [
            (
                at(9, 17),
                "example response does not match its schema: $.data: expected an integer, found string \"one\""
            ),
            (at(11, 13), "unknown HTTP method \"GETS\""),
        ]
    );
}

#[test]
fn a_diagnostic_prints_position_source_caret_and_help() {
    let d = only_error(
        r#"
types:
  Customer:
    type: object
    fields:
      name: { type: strng }
"#,
    );
    assert_eq!(
        d.to_string(),
        "test.yaml:11:21: unknown type \"strng\"\n   |\n11 |       name: { type: strng }\n   |                     ^\n  = help: did you mean `string`? known types: string, integer, number, boolean, date, date-time, any, object, array, map, or a named type"
    );
}

// ---------------------------------------------------------------------------------------------
// What a valid spec lowers to.
// ---------------------------------------------------------------------------------------------

#[test]
fn fields_keep_their_order_and_get_rust_names() {
    let api = api(r#"
types:
  Customer:
    type: object
    description: Someone who pays.
    fields:
      updatedAt: { type: date-time, required: true }
      type: { type: string }
      id: { type: string, required: true, nullable: true }
      3ds_enabled: { type: boolean, lenient: true }
      website: { type: string, format: url, default: "https://example.com" }
"#);
    let customer = model(&api, "Customer");
    assert_eq!(customer.description.as_deref(), Some("Someone who pays."));
    let got: Vec<_> = fields(customer)
        .iter()
        .map(|f| {
            (
                f.wire_name.as_str(),
                f.rust_name.as_str(),
                f.required,
                f.nullable,
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("updatedAt", "updated_at", true, false),
            ("type", "type_", false, false),
            ("id", "id", true, true),
            ("3ds_enabled", "_3ds_enabled", false, false),
            ("website", "website", false, false),
        ]
    );
    let f = fields(customer);
    assert_eq!(f[0].ty, Type::Scalar(Scalar::DateTime));
    assert_eq!(f[3].ty, Type::Lenient(Scalar::Boolean));
    assert_eq!(f[4].format, Some(pabbly_spec::ir::Format::Url));
    assert_eq!(f[4].default, Some(serde_json::json!("https://example.com")));
}

#[test]
fn inline_objects_and_enums_are_hoisted_into_models() {
    let api = api(r#"
types:
  Customer:
    type: object
    fields:
      billing_address:
        type: object
        fields:
          city: { type: string }
      status: { type: string, enum: [active, flat_fee] }
      tags: { type: array, items: { type: object, fields: { name: { type: string } } } }
      limits: { type: map, values: { type: string, enum: [soft, hard] } }
"#);
    let mut hoisted = names(&api.models);
    hoisted.sort_unstable();
    assert_eq!(
        hoisted,
        [
            "Customer",
            "CustomerBillingAddress",
            "CustomerLimitsValue",
            "CustomerStatus",
            "CustomerTagsItem"
        ]
    );
    let customer = fields(model(&api, "Customer"));
    assert_eq!(
        customer[0].ty,
        named("CustomerBillingAddress", Scope::Models)
    );
    assert_eq!(customer[1].ty, named("CustomerStatus", Scope::Models));
    assert_eq!(
        customer[2].ty,
        Type::Array(Box::new(named("CustomerTagsItem", Scope::Models)))
    );
    assert_eq!(
        customer[3].ty,
        Type::Map(Box::new(named("CustomerLimitsValue", Scope::Models)))
    );
    assert_eq!(
        model(&api, "CustomerStatus").kind,
        TypeKind::Enum(vec![
            EnumValue {
                wire: "active".into(),
                variant: "Active".into()
            },
            EnumValue {
                wire: "flat_fee".into(),
                variant: "FlatFee".into()
            },
        ])
    );
    let address = fields(model(&api, "CustomerBillingAddress"));
    assert_eq!(address[0].wire_name, "city");
}

#[test]
fn references_to_named_types_resolve_to_models() {
    let api = api(r#"
types:
  Plan:
    type: object
    fields:
      id: { type: string }
  Customer:
    type: object
    fields:
      plan: { type: Plan }
"#);
    assert_eq!(
        fields(model(&api, "Customer"))[0].ty,
        named("Plan", Scope::Models)
    );
}

#[test]
fn path_params_come_in_template_order() {
    let api = api(r#"
operations:
  - id: invoices.get
    method: GET
    path: /customer/{customer_id}/invoice/{invoice_id}
    summary: Fetch an invoice.
    path_params:
      invoice_id: { type: integer }
      customer_id: { type: string }
    response: { data: { type: any } }
"#);
    let op = &api.resources[0].operations[0];
    let params: Vec<_> = op
        .path_params
        .iter()
        .map(|p| (p.wire_name.as_str(), p.ty.clone(), p.required))
        .collect();
    assert_eq!(
        params,
        [
            ("customer_id", Type::Scalar(Scalar::String), true),
            ("invoice_id", Type::Scalar(Scalar::Integer), true),
        ]
    );
}

#[test]
fn operation_types_live_in_their_resource() {
    let api = api(r#"
types:
  Customer:
    type: object
    fields:
      id: { type: string }
operations:
  - id: portal_sessions.create
    method: POST
    path: /portal_sessions/
    summary: Create a portal session.
    body:
      customer_id: { type: string, required: true }
      mode: { type: string, enum: [view, edit] }
    response:
      data:
        type: object
        fields:
          customer: { type: Customer }
          access_url: { type: string, format: url }
  - id: portal_sessions.list
    method: GET
    path: /portal_sessions/
    summary: List portal sessions.
    query:
      limit: { type: integer }
    response:
      envelope: message-list
      data: { type: array, items: { type: Customer } }
  - id: customers.delete
    method: DELETE
    path: /customers
    summary: Delete customers.
    response:
      envelope: message
"#);
    // Resources come in first-appearance order, named after the id's first half.
    let resources: Vec<_> = api
        .resources
        .iter()
        .map(|r| (r.module.as_str(), r.handle.as_str()))
        .collect();
    assert_eq!(
        resources,
        [
            ("portal_sessions", "PortalSessions"),
            ("customers", "Customers")
        ]
    );
    assert_eq!(names(&api.models), ["Customer"]);

    let sessions = &api.resources[0];
    assert_eq!(
        names(&sessions.types),
        ["CreateRequestMode", "CreateResponse"]
    );
    let create = &sessions.operations[0];
    assert_eq!(
        (create.id.as_str(), create.action.as_str()),
        ("portal_sessions.create", "create")
    );
    assert_eq!(create.method, Method::Post);
    let request = create.request.as_ref().expect("a body");
    assert_eq!(request.type_name, "CreateRequest");
    assert_eq!(request.location, ParamLocation::Body);
    assert_eq!(
        request.fields[1].ty,
        named("CreateRequestMode", Scope::Resource)
    );
    assert_eq!(create.response.envelope, Envelope::Data);
    assert_eq!(
        create.response.data,
        named("CreateResponse", Scope::Resource)
    );
    // Inside a resource type, a named type is still a model.
    let response = fields(&sessions.types[1]);
    assert_eq!(response[0].ty, named("Customer", Scope::Models));

    let list = &sessions.operations[1];
    let request = list.request.as_ref().expect("a query");
    assert_eq!(
        (request.type_name.as_str(), request.location),
        ("ListRequest", ParamLocation::Query)
    );
    assert_eq!(list.response.envelope, Envelope::MessageList);
    assert_eq!(
        list.response.data,
        Type::Array(Box::new(named("Customer", Scope::Models)))
    );

    let delete = &api.resources[1].operations[0];
    assert_eq!(delete.request, None);
    assert_eq!(delete.response.data, Type::Unit);
}

#[test]
fn examples_are_kept_on_the_operation() {
    let api = api(r#"
operations:
  - id: customers.create
    method: POST
    path: /customers
    summary: Create a customer.
    body:
      email: { type: string, required: true }
    response:
      data: { type: any }
    examples:
      request: { email: ada@example.com }
      response: { status: success, data: { id: cus_1 } }
"#);
    let op = &api.resources[0].operations[0];
    assert_eq!(
        op.example_request,
        Some(serde_json::json!({ "email": "ada@example.com" }))
    );
    assert_eq!(
        op.example_response,
        Some(serde_json::json!({ "status": "success", "data": { "id": "cus_1" } }))
    );
}

// ---------------------------------------------------------------------------------------------
// Links to the docs: `doc_page` and `overrides`.
// ---------------------------------------------------------------------------------------------

#[test]
fn doc_page_is_the_file_name_of_a_page() {
    let help = Some(
        "write the page's file name under spec/docs/, e.g. `customers__list-all-customers.md`",
    );
    for page in [
        "docs/customers.md",
        "docs\\\\customers.md",
        "customers.txt",
        ".md",
    ] {
        let found = errors(&format!(
            r#"
operations:
  - id: customers.list
    method: GET
    path: /customers
    summary: List customers.
    doc_page: "{page}"
    response: {{ data: {{ type: any }} }}
"#
        ));
        assert_eq!(found.len(), 1, "{page}: {}", Diagnostics(found.clone()));
        let written = page.replace("\\\\", "\\");
        check(
            &found[0],
            at(6, 15),
            &format!("doc_page \"{written}\" is not the file name of a page"),
            help,
        );
    }
}

#[test]
fn override_names_a_part_of_the_operation_and_gives_a_reason() {
    let found = errors(
        r#"
operations:
  - id: customers.list
    method: GET
    path: /customers
    summary: List customers.
    query:
      limit: { type: integer }
    response: { data: { type: any } }
    overrides:
      - at: query.limit
        reason: The docs forget it.
      - at: headers.accept
        reason: Not a part of an operation.
      - at: query..limit
        reason: An empty step.
      - at: response.data
      - at: path
        reason: "  "
"#,
    );
    let location_help = Some(
        "start it with one of method, path, path_params, query, body, response, e.g. \
         `query.limit` or `response.data.plan`",
    );
    let reason_help = Some("add `reason: …` saying why the spec differs from the docs here");
    assert_eq!(found.len(), 4, "{}", Diagnostics(found.clone()));
    check(
        &found[0],
        at(12, 13),
        "override location \"headers.accept\" names no part of an operation",
        location_help,
    );
    check(
        &found[1],
        at(14, 13),
        "override location \"query..limit\" names no part of an operation",
        location_help,
    );
    check(
        &found[2],
        at(16, 9),
        "the override at \"response.data\" has no reason",
        reason_help,
    );
    check(
        &found[3],
        at(17, 9),
        "the override at \"path\" has no reason",
        reason_help,
    );
}

#[test]
fn doc_page_and_overrides_are_kept_on_the_operation() {
    let api = api(r#"
operations:
  - id: customers.list
    method: GET
    path: /customers
    summary: List customers.
    doc_page: customers__list-all-customers.md
    response: { data: { type: any } }
    overrides:
      - at: response.data
        reason: "  The docs show no body.  "
"#);
    let op = &api.resources[0].operations[0];
    assert_eq!(
        op.doc_page.as_deref(),
        Some("customers__list-all-customers.md")
    );
    assert_eq!(
        op.overrides,
        [pabbly_spec::ir::Override {
            at: "response.data".to_owned(),
            reason: "The docs show no body.".to_owned(),
        }]
    );
}

#[test]
fn a_field_without_a_usable_rust_name_needs_rust_name() {
    let d = only_error(
        r#"
types:
  Odd:
    type: object
    fields:
      "!!!": { type: string }
"#,
    );
    check(
        &d,
        at(5, 7),
        "field \"!!!\" has no usable Rust name (`_`)",
        Some("give it a `rust_name`"),
    );
}

#[test]
fn a_field_named_new_would_shadow_the_constructor() {
    let d = only_error(
        r#"
types:
  Flags:
    type: object
    fields:
      new: { type: boolean }
"#,
    );
    check(
        &d,
        at(5, 7),
        "field \"new\" has no usable Rust name (`new`)",
        Some("give it a `rust_name`"),
    );
}

#[test]
fn reserved_resource_names_are_refused() {
    let d = only_error(
        r#"
operations:
  - id: models.list
    method: GET
    path: /models
    summary: Lists models.
    response:
      data: { type: any }
"#,
    );
    check(
        &d,
        at(2, 9),
        "`models` (the module of resource `models`) is reserved: it is the module of the shared types",
        Some("rename the resource part of the operation ids"),
    );
}

#[test]
fn base_is_a_relative_path() {
    let ok = api(r#"
operations:
  - id: dashboard.stats
    method: POST
    path: /getdashboardstats
    base: ../v2
    summary: Dashboard figures.
    response:
      data: { type: any }
"#);
    let op = ok.operations().next().expect("one operation");
    assert_eq!(op.base.as_deref(), Some("../v2"));

    let d = only_error(
        r#"
operations:
  - id: dashboard.stats
    method: POST
    path: /getdashboardstats
    base: https://elsewhere.example/v2
    summary: Dashboard figures.
    response:
      data: { type: any }
"#,
    );
    check(
        &d,
        at(5, 11),
        "base \"https://elsewhere.example/v2\" is not a relative path such as `../v2`",
        Some("write it relative to the API's base URL, with `../` steps and plain segments"),
    );
}

#[test]
fn lenient_elements_are_refused_because_nothing_would_decode_them_leniently() {
    let d = only_error(
        r#"
types:
  Plan:
    type: object
    fields:
      flags: { type: array, items: { type: boolean, lenient: true } }
"#,
    );
    check(
        &d,
        at(5, 62),
        "`lenient` applies to a field's own value, not to array items or map values",
        Some("use `type: any` for elements Pabbly sends in several JSON types"),
    );
}

#[test]
fn the_model_names_every_item_the_generator_emits() {
    let api = api(r#"
operations:
  - id: portal_sessions.list
    method: GET
    path: /portal_sessions/
    summary: List portal sessions.
    query:
      page: { type: integer }
      limit: { type: integer }
    response:
      data: { type: array, items: { type: any } }
  - id: portal_sessions.get
    method: GET
    path: /portal_session
    summary: Get one.
    response:
      data: { type: any }
"#);
    let names: Vec<_> = api
        .operations()
        .map(|op| {
            (
                op.action.as_str(),
                op.stream.as_deref(),
                op.static_name.as_str(),
                op.registry_name.as_str(),
                op.request.as_ref().map(|r| r.type_name.as_str()),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            (
                "list",
                Some("list_all"),
                "LIST",
                "portal_sessions_list",
                Some("ListRequest")
            ),
            ("get", None, "GET", "portal_sessions_get", None),
        ]
    );
}
