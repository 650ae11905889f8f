//! The rules of the billing facts in the spec language: amounts (`money`), repeat safety,
//! secrets (`sensitive`), bounds (`minimum`/`maximum`), booleans and amounts sent as text
//! (`sent_as`) and the model an untyped answer probably is (`probably`). Each test states the
//! fact as a spec author writes it and checks what lowering makes of it; the errors each fact
//! can give are rule files under `tests/rules/` (e.g. `money_is_never_lenient.yaml`).

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

const GET: &str = "
  - id: things.get
    method: GET
    path: /things
    summary: Reads.
    response:
      data: { type: Plan }
";

#[test]
fn money_is_an_exact_scalar() {
    let api = api(GET);
    let TypeKind::Struct(fields) = &api.models[0].kind else {
        panic!("Plan is a struct");
    };
    assert_eq!(fields[0].ty, Type::Scalar(Scalar::Money));
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
}

#[test]
fn sent_as_is_kept_per_field() {
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
}

#[test]
fn sensitive_marks_a_field() {
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
}

#[test]
fn probably_names_a_model_for_untyped_data() {
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
}
