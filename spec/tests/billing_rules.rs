//! The rules of the billing facts in the spec language: amounts (`money`), repeat safety,
//! secrets (`sensitive`), bounds (`minimum`/`maximum`), booleans and amounts sent as text
//! (`sent_as`) and the model an untyped answer probably is (`probably`). Each test states the
//! fact as a spec author writes it and checks what lowering makes of it, or the error it gives.

use pabbly_spec::ir::{Api, Range, Scalar, SentAs, Type, TypeKind};

const HEADER: &str = "\
spec_version: 1
api:
  title: Test API
  version: v1
  base_url: https://example.com/api
  auth: basic
types:
  Plan:
    type: object
    fields:
      price: { type: money, required: true }
operations:
";

fn load(operations: &str) -> Result<Api, Vec<String>> {
    let text = format!(
        "{HEADER}{}",
        operations.strip_prefix('\n').unwrap_or(operations)
    );
    pabbly_spec::load_str(&text, "test.yaml")
        .map_err(|diagnostics| diagnostics.0.iter().map(|d| d.to_string()).collect())
}

#[track_caller]
fn api(operations: &str) -> Api {
    load(operations).unwrap_or_else(|errors| panic!("expected a valid spec, got {errors:#?}"))
}

/// The one error `operations` has, with its position and help.
#[track_caller]
fn error(operations: &str) -> String {
    match load(operations) {
        Ok(_) => panic!("expected an error"),
        Err(errors) if errors.len() == 1 => errors.into_iter().next().unwrap_or_default(),
        Err(errors) => panic!("expected one error, got {errors:#?}"),
    }
}

const GET: &str = "
  - id: things.get
    method: GET
    path: /things
    summary: Reads.
    response:
      data: { type: Plan }
";

#[test]
fn money_is_an_exact_scalar_and_refuses_lenient() {
    let api = api(GET);
    let TypeKind::Struct(fields) = &api.models[0].kind else {
        panic!("Plan is a struct");
    };
    assert_eq!(fields[0].ty, Type::Scalar(Scalar::Money));

    let text = format!(
        "{HEADER}  - id: things.get\n    method: GET\n    path: /things\n    summary: Reads.\n    \
         response:\n      data: {{ type: object, fields: {{ total: {{ type: money, lenient: true }} }} }}\n"
    );
    let errors = pabbly_spec::load_str(&text, "test.yaml")
        .err()
        .map(|d| d.to_string());
    let errors = errors.unwrap_or_default();
    assert!(
        errors
            .contains("`lenient` only applies to string, integer, number and boolean, not `money`")
            && errors.contains("money always accepts a JSON number or a decimal text"),
        "{errors}"
    );
}

#[test]
fn money_is_refused_as_array_items() {
    let found = error(
        "
  - id: things.get
    method: GET
    path: /things
    summary: Reads.
    response:
      data: { type: array, items: { type: money } }
",
    );
    assert!(
        found.contains("test.yaml:18:43: `money` applies to a field's own value"),
        "{found}"
    );
}

#[test]
fn repeat_safety_follows_the_method_unless_overridden_with_a_reason() {
    let api = api("
  - id: things.charge
    method: PUT
    path: /things
    repeat_safe: false
    repeat_reason: Charges the card.
    summary: Charges.
    response:
      envelope: message
  - id: things.update
    method: PUT
    path: /things/update
    summary: Updates.
    response:
      envelope: message
  - id: things.create
    method: POST
    path: /things
    summary: Creates.
    response:
      envelope: message
");
    let safety: Vec<(bool, Option<&str>)> = api
        .operations()
        .map(|op| (op.repeat_safe.safe, op.repeat_safe.reason.as_deref()))
        .collect();
    assert_eq!(
        safety,
        [
            (false, Some("Charges the card.")),
            (true, None),
            (false, None)
        ]
    );
}

#[test]
fn an_override_of_repeat_safety_needs_a_reason() {
    let found = error(
        "
  - id: things.charge
    method: PUT
    path: /things
    repeat_safe: false
    summary: Charges.
    response:
      envelope: message
",
    );
    assert!(
        found.contains("test.yaml:16:18: `repeat_safe: false` overrides the default for PUT without a `repeat_reason`"),
        "{found}"
    );
    assert!(found.contains("help: add `repeat_reason: …`"), "{found}");
}

#[test]
fn repeat_safety_equal_to_the_default_is_refused() {
    let found = error(
        "
  - id: things.get
    method: GET
    path: /things
    repeat_safe: true
    summary: Reads.
    response:
      data: { type: Plan }
",
    );
    assert!(
        found.contains("`repeat_safe: true` is already the default for GET"),
        "{found}"
    );
}

#[test]
fn bounds_apply_to_integers_in_order() {
    let api = api("
  - id: things.list
    method: GET
    path: /things
    summary: Lists.
    query:
      page: { type: integer, minimum: 1 }
      limit: { type: integer, minimum: 1, maximum: 100 }
    response:
      data: { type: array, items: { type: Plan } }
");
    let op = api.operations().next().expect("one operation");
    let ranges: Vec<Range> = op
        .request
        .iter()
        .flat_map(|r| &r.fields)
        .map(|f| f.range)
        .collect();
    assert_eq!(
        ranges,
        [
            Range {
                min: Some(1),
                max: None
            },
            Range {
                min: Some(1),
                max: Some(100)
            }
        ]
    );

    let found = error(
        "
  - id: things.list
    method: GET
    path: /things
    summary: Lists.
    query:
      limit: { type: integer, minimum: 100, maximum: 1 }
    response:
      data: { type: array, items: { type: Plan } }
",
    );
    assert!(
        found.contains("`minimum` 100 is greater than `maximum` 1"),
        "{found}"
    );
    let found = error(
        "
  - id: things.list
    method: GET
    path: /things
    summary: Lists.
    query:
      name: { type: string, maximum: 1 }
    response:
      data: { type: array, items: { type: Plan } }
",
    );
    assert!(
        found.contains("test.yaml:18:38: `minimum` and `maximum` only apply to `type: integer`"),
        "{found}"
    );
}

#[test]
fn sent_as_fits_booleans_and_amounts() {
    let api = api("
  - id: things.cancel
    method: POST
    path: /things
    summary: Cancels.
    body:
      at_end: { type: boolean, sent_as: text, required: true }
      portal: { type: boolean, sent_as: yes-no }
      price: { type: money, sent_as: text }
    response:
      envelope: message
");
    let op = api.operations().next().expect("one operation");
    let sent_as: Vec<Option<SentAs>> = op
        .request
        .iter()
        .flat_map(|r| &r.fields)
        .map(|f| f.sent_as)
        .collect();
    assert_eq!(
        sent_as,
        [Some(SentAs::Text), Some(SentAs::YesNo), Some(SentAs::Text)]
    );

    let found = error(
        "
  - id: things.cancel
    method: POST
    path: /things
    summary: Cancels.
    body:
      price: { type: money, sent_as: yes-no }
    response:
      envelope: message
",
    );
    assert!(
        found.contains("`sent_as: yes-no` does not apply to this type"),
        "{found}"
    );
}

#[test]
fn sensitive_is_a_field_fact_not_a_type_fact() {
    let api = api("
  - id: things.card
    method: POST
    path: /things
    summary: Stores a card.
    body:
      card_number: { type: string, sensitive: true }
    response:
      envelope: message
");
    let op = api.operations().next().expect("one operation");
    assert!(op.request.as_ref().is_some_and(|r| r.fields[0].sensitive));

    let text = HEADER.replace(
        "      price: { type: money, required: true }",
        "      price: { type: money, required: true }\n  Card:\n    type: object\n    sensitive: true\n    fields:\n      number: { type: string }",
    ) + "  - id: things.get\n    method: GET\n    path: /things\n    summary: Reads.\n    response:\n      data: { type: Card }\n";
    let errors = pabbly_spec::load_str(&text, "test.yaml")
        .err()
        .map(|d| d.to_string())
        .unwrap_or_default();
    assert!(
        errors.contains("`sensitive` only applies to a field or parameter"),
        "{errors}"
    );
}

#[test]
fn probably_names_a_model_for_untyped_data_only() {
    let api = api("
  - id: things.list
    method: GET
    path: /things
    summary: Lists.
    response:
      data: { type: array, items: { type: any } }
      probably: Plan
");
    let op = api.operations().next().expect("one operation");
    assert_eq!(
        op.response.probably.as_ref().map(|r| r.name.as_str()),
        Some("Plan")
    );

    let found = error(
        "
  - id: things.get
    method: GET
    path: /things
    summary: Reads.
    response:
      data: { type: any }
      probably: Plam
",
    );
    assert!(
        found.contains("`probably` names no type under `types:`: `Plam`")
            && found.contains("did you mean `Plan`?"),
        "{found}"
    );
    let found = error(
        "
  - id: things.get
    method: GET
    path: /things
    summary: Reads.
    response:
      data: { type: Plan }
      probably: Plan
",
    );
    assert!(
        found.contains("`probably` only applies to data of `type: any`"),
        "{found}"
    );
}
