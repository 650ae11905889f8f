//! One wire-acceptance rule set: for arbitrary JSON, the client's generated decoders, the spec's
//! example check and the mock's validation of canned answers accept exactly the same values of
//! every scalar kind (`pabbly_wire`), optional (Pabbly's `""` as unset) and required.

use std::sync::OnceLock;

use pabbly_spec::ir::{Api, Operation};
use proptest::prelude::*;
use serde_json::{Value, json};

mod kinds {
    pabbly::include_api!("fixtures/wire_kinds.yaml");
}

/// The fields of `fixtures/wire_kinds.yaml`, one per kind, and a valid value of each.
const FIELDS: [(&str, &str); 13] = [
    ("string", r#""a""#),
    ("integer", "1"),
    ("number", "1.5"),
    ("boolean", "true"),
    ("money", r#""1.50""#),
    ("date", r#""2024-05-01""#),
    ("date_time", r#""2024-05-01T10:00:00Z""#),
    ("lenient_string", "7"),
    ("lenient_integer", r#""7""#),
    ("lenient_number", r#""7.5""#),
    ("lenient_boolean", r#""yes""#),
    ("open_enum", r#""monthly""#),
    ("sent_as_text", r#""false""#),
];

fn api() -> &'static Api {
    static API: OnceLock<Api> = OnceLock::new();
    API.get_or_init(|| {
        let yaml = include_str!("fixtures/wire_kinds.yaml");
        pabbly_spec::load_str(yaml, "wire_kinds.yaml").expect("the fixture loads")
    })
}

fn operation(id: &str) -> &'static Operation {
    api().resources[0]
        .operations
        .iter()
        .find(|op| op.id == id)
        .expect("the fixture has the operation")
}

/// A `Required` object whose fields are all valid.
fn valid_required() -> serde_json::Map<String, Value> {
    FIELDS
        .iter()
        .map(|(name, json)| {
            let value = serde_json::from_str(json).expect("a valid JSON literal");
            ((*name).to_owned(), value)
        })
        .collect()
}

/// Texts near the rules' edges, next to arbitrary ones.
fn text() -> impl Strategy<Value = String> {
    let edges = prop::sample::select(vec![
        "",
        " ",
        "0",
        "1",
        "2",
        "yes",
        "No",
        "TRUE",
        "maybe",
        "5.00",
        "5.5",
        " 7 ",
        "-3",
        "+4",
        "1e3",
        "1E-2",
        "NaN",
        "nan",
        "inf",
        "-infinity",
        ".5",
        "5.",
        "0x10",
        "12,50",
        "2024-05-01",
        "2024-13-01",
        "2024-02-30",
        "2024-2-3",
        "2024-05-01T10:00:00Z",
        "2024-05-01 10:00:00+05:30",
        "2024-13-01T10:00:00Z",
        "2024-05-01T10:00:00",
        "2024-05-01t10:00:00.5z",
        "2024-05-01T24:00:00Z",
        "9223372036854775807",
        "9223372036854775808",
        "9007199254740993.0",
        "0.12345678901234567890123456789",
        "79228162514264337593543950335",
        "79228162514264337593543950336",
        "monthly",
        "weekly",
        "a\"b",
    ]);
    prop_oneof![
        edges.prop_map(str::to_owned),
        "[ -~]{0,12}",
        "[-+ ]?[0-9]{1,22}(\\.[0-9]{0,30})?([eE][-+]?[0-9]{1,3})? ?",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,3})?(Z|[+-][0-9]{2}:[0-9]{2})?)?",
    ]
}

/// Arbitrary JSON, weighted towards the scalars the rules are about.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        prop::sample::select(vec![0_i64, 1, 2, -1, i64::MIN, i64::MAX]).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("JSON has no NaN or infinity", |n| {
            serde_json::Number::from_f64(n).map(Value::Number)
        }),
        (-1e17..1e17_f64).prop_map(|n| Value::from(n.trunc())),
        (-1e6..1e6_f64).prop_map(Value::from),
        text().prop_map(Value::from),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 6, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,3}", inner, 0..3)
                .prop_map(|entries| Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// Whether the generated decoder takes `object` as a `T`, from its JSON text (the path answers
/// take: amounts are read from their raw digits).
fn decodes<T: serde::de::DeserializeOwned>(object: &Value) -> Result<(), String> {
    serde_json::from_str::<T>(&object.to_string())
        .map(drop)
        .map_err(|error| error.to_string())
}

/// The spec's example check of `object` as the data of operation `id`.
fn example_check(id: &str, object: &Value) -> Vec<String> {
    let body = json!({"status": "success", "message": "ok", "data": object});
    pabbly_spec::check_response(api(), operation(id), &body)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn decoder_and_example_check_agree(
        field in prop::sample::select(FIELDS.map(|(name, _)| name).to_vec()),
        value in json_value(),
    ) {
        let optional = json!({field: value});
        let decoded = decodes::<kinds::models::Optional>(&optional);
        let checked = example_check("kinds.optional", &optional);
        prop_assert_eq!(
            decoded.is_ok(), checked.is_empty(),
            "optional {} = {}: decoder {:?}, example check {:?}", field, value, decoded, checked
        );

        let mut required = valid_required();
        required.insert(field.to_owned(), value.clone());
        let required = Value::Object(required);
        let decoded = decodes::<kinds::models::Required>(&required);
        let checked = example_check("kinds.required", &required);
        prop_assert_eq!(
            decoded.is_ok(), checked.is_empty(),
            "required {} = {}: decoder {:?}, example check {:?}", field, value, decoded, checked
        );
    }
}

/// The fields of the real spec's `Plan` the mock's stub validation is asked about: a lenient
/// boolean, lenient integers (one nullable), amounts, an open enum, strings (one nullable).
const PLAN_FIELDS: [&str; 8] = [
    "plan_active",
    "billing_period_num",
    "trial_period",
    "price",
    "setup_fee",
    "plan_type",
    "plan_name",
    "redirect_url",
];

#[test]
fn the_mock_validates_stubs_as_the_client_decodes() {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let server = runtime
        .block_on(pabbly_mock::MockServer::start())
        .expect("the mock starts");
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(512));
    let strategy = (prop::sample::select(PLAN_FIELDS.to_vec()), json_value());
    let result = runner.run(&strategy, |(field, value)| {
        let plan = json!({"id": "plan_1", field: value});
        let decoded = decodes::<pabbly::models::Plan>(&plan);
        let stubbed = server.stub("plans.list", pabbly_mock::Stub::data(&[&plan]));
        server.clear_stubs();
        prop_assert_eq!(
            decoded.is_ok(),
            stubbed.is_ok(),
            "{} = {}: decoder {:?}, mock {:?}",
            field,
            value,
            decoded,
            stubbed
        );
        Ok(())
    });
    runtime.block_on(server.stop());
    if let Err(failure) = result {
        panic!("{failure}");
    }
}

#[test]
fn the_edges_the_rules_decide() {
    let optional = |field: &str, value: Value| {
        let object = json!({ field: value });
        let decoded = decodes::<kinds::models::Optional>(&object).is_ok();
        assert_eq!(
            decoded,
            example_check("kinds.optional", &object).is_empty(),
            "{object}"
        );
        decoded
    };
    // Reproduced disagreements before the rules were shared, now decided once.
    assert!(optional("lenient_integer", json!(1.0)));
    assert!(!optional("lenient_number", json!("NaN")));
    assert!(!optional("lenient_number", json!("inf")));
    assert!(!optional("date_time", json!("2024-13-01T10:00:00Z")));
    assert!(optional("open_enum", json!(3)));
    assert!(optional("money", json!(" ")));
    assert!(!optional("integer", json!(u64::MAX)));
    assert!(!optional("money", json!("0.12345678901234567890123456789")));
}
