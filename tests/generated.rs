//! The fixture specs compiled by the real macro, and the generated code's behaviour: open enums,
//! lenient scalars, wire names, path and query encoding, and every envelope.

mod support;

use serde_json::json;
use support::{OneShot, Recorded, Scripted};

mod enums {
    pabbly::include_api!("fixtures/enums.yaml");
}
mod envelopes {
    pabbly::include_api!("fixtures/envelopes.yaml");
}
mod lenient {
    pabbly::include_api!("fixtures/lenient.yaml");
}
mod nested {
    pabbly::include_api!("fixtures/nested.yaml");
}
mod optional_body {
    pabbly::include_api!("fixtures/optional_body.yaml");
}
mod path_params {
    pabbly::include_api!("fixtures/path_params.yaml");
}
mod query_params {
    pabbly::include_api!("fixtures/query_params.yaml");
}
mod wire_names {
    pabbly::include_api!("fixtures/wire_names.yaml");
}

/// A user's module that defines its own items under the prelude's names and under `rt` (the
/// alias generated modules import the runtime under), then generates an API next to them: the
/// generated code must not pick any of them up. Compiling is most of the test.
macro_rules! api_among_own_names {
    ($module:ident, $spec:literal) => {
        #[allow(dead_code)]
        mod $module {
            type Result<T> = core::result::Result<T, Error>;
            struct Error;
            struct Option;
            struct String;
            struct Vec;
            struct Box;
            struct Some;
            struct None;
            struct Ok;
            trait Clone {}
            trait Default {}
            trait Into {}
            trait PartialEq {}
            trait ToString {}
            mod rt {}
            pabbly::include_api!($spec);
        }
    };
}

api_among_own_names!(own_names_enums, "fixtures/enums.yaml");
api_among_own_names!(own_names_nested, "fixtures/nested.yaml");
api_among_own_names!(own_names_query_params, "fixtures/query_params.yaml");
api_among_own_names!(own_names_wire_kinds, "fixtures/wire_kinds.yaml");

#[test]
fn generated_code_ignores_the_users_own_prelude_names() {
    let plan: own_names_enums::models::Plan =
        decode(json!({"billing_period": "m", "plan_type": "donation"}));
    assert_eq!(
        plan.billing_period,
        own_names_enums::models::BillingPeriod::M
    );
    let client = own_names_wire_kinds::Client::builder("API_KEY", "SECRET_KEY").build();
    assert!(client.is_ok(), "the client builds");
}

fn decode<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    match serde_json::from_value(value) {
        Ok(decoded) => decoded,
        Err(error) => panic!("does not decode: {error}"),
    }
}

#[test]
fn open_enums_keep_unknown_values() {
    use enums::models::{BillingPeriod, Plan, PlanPlanType};
    let plan: Plan = decode(json!({"billing_period": "m", "plan_type": "donation"}));
    assert_eq!(plan.billing_period, BillingPeriod::M);
    assert!(
        matches!(&plan.plan_type, PlanPlanType::Unknown(value) if value.as_str() == "donation"),
        "{:?}",
        plan.plan_type
    );
    assert_eq!(plan.plan_type.as_str(), "donation");
    assert_eq!(
        serde_json::to_value(&plan.plan_type).expect("serializes"),
        json!("donation")
    );
    let known: Plan = decode(json!({"billing_period": "m", "plan_type": "per_unit"}));
    assert_eq!(known.plan_type, PlanPlanType::PerUnit);
    assert_eq!(BillingPeriod::Y.to_string(), "y");
}

#[test]
fn lenient_scalars_and_empty_dates_decode() {
    let plan: lenient::models::Plan = decode(json!({
        "plan_active": "true",
        "billing_period_num": "",
        "mrr": "33590.75",
        "code": 42,
        "trial_expiry_date": "",
        "starts_on": null
    }));
    assert!(plan.plan_active);
    assert_eq!(plan.billing_period_num, None);
    assert_eq!(plan.mrr, Some(33590.75));
    assert_eq!(plan.code.as_deref(), Some("42"));
    assert_eq!(plan.trial_expiry_date, None);
    assert_eq!(plan.starts_on, None);

    let plan: lenient::models::Plan =
        decode(json!({"plan_active": false, "billing_period_num": 3}));
    assert!(!plan.plan_active);
    assert_eq!(plan.billing_period_num, Some(3));

    let wrong = serde_json::from_value::<lenient::models::Plan>(json!({"plan_active": "maybe"}));
    assert!(
        wrong.is_err(),
        "a value that is no boolean in any spelling is refused"
    );
}

#[test]
fn wire_names_stay_on_the_wire() {
    let purchase: wire_names::models::Purchase = decode(json!({
        "createdAt": "2020-03-04T07:19:13.685Z",
        "puchase_info": {"plan": "gold"},
        "reccuring_amount": 10,
        "type": "renewal",
        "unknown_new_field": true
    }));
    assert_eq!(purchase.purchase_info, Some(json!({"plan": "gold"})));
    assert_eq!(purchase.recurring_amount, Some(10.0));
    assert_eq!(purchase.type_.as_deref(), Some("renewal"));
    let back = serde_json::to_value(&purchase).expect("serializes");
    assert_eq!(back["puchase_info"], json!({"plan": "gold"}));
    assert_eq!(back["createdAt"], json!("2020-03-04T07:19:13.685Z"));
}

#[test]
fn nested_request_types_are_constructible() {
    use nested::subscriptions::{CreateRequest, CreateRequestAddonsValue};
    let addons = [("addon-1".to_owned(), CreateRequestAddonsValue::new(true, 2))];
    let request = CreateRequest::new("plan-1").addons(
        addons
            .into_iter()
            .collect::<std::collections::BTreeMap<_, _>>(),
    );
    assert_eq!(
        serde_json::to_value(&request).expect("serializes"),
        json!({"plan_id": "plan-1", "addons": {"addon-1": {"checked": true, "quantity": 2}}})
    );
}

fn base(server: &OneShot) -> String {
    format!("{}/api/v1", server.origin)
}

macro_rules! client {
    ($module:ident, $server:expr) => {
        $module::Client::builder("key", "secret")
            .base_url(base(&$server))
            .build()
            .expect("a valid configuration")
    };
}

const OK_ANY: &str = r#"{"status":"success","message":"ok","data":{}}"#;

#[tokio::test]
async fn hostile_path_values_stay_inside_one_segment() {
    let server = OneShot::answer("200 OK", "application/json", OK_ANY).await;
    client!(path_params, server)
        .subscriptions()
        .scheduled_changes("../customers?x=1#y")
        .await
        .expect("success");
    let recorded = server.recorded().await;
    assert_eq!(
        recorded.request_line,
        "GET /api/v1/scheduledchanges/..%2Fcustomers%3Fx%3D1%23y HTTP/1.1"
    );
}

#[tokio::test]
async fn path_values_follow_the_template_order() {
    let server = OneShot::answer("200 OK", "application/json", OK_ANY).await;
    client!(path_params, server)
        .invoices()
        .line("INV-3399", 3)
        .await
        .expect("success");
    let recorded = server.recorded().await;
    assert_eq!(
        recorded.request_line,
        "GET /api/v1/invoice/INV-3399/lines/3 HTTP/1.1"
    );
}

#[tokio::test]
async fn query_parameters_are_encoded_and_unset_ones_left_out() {
    use query_params::subscriptions::{ListRequest, ListRequestStatus};
    let server = OneShot::answer(
        "200 OK",
        "application/json",
        r#"{"status":"success","message":"ok","data":[]}"#,
    )
    .await;
    let request = ListRequest::new()
        .page(2)
        .email("a+b@example.com")
        .status(ListRequestStatus::Live);
    let page = client!(query_params, server)
        .subscriptions()
        .list(&request)
        .await
        .expect("success");
    assert!(page.data.is_empty());
    let recorded = server.recorded().await;
    assert_eq!(
        recorded.request_line,
        "GET /api/v1/subscriptions?page=2&email=a%2Bb%40example.com&status=live HTTP/1.1"
    );
    assert_eq!(recorded.body, "");
}

#[tokio::test]
async fn body_with_dates_and_numbers_serializes_as_documented() {
    use optional_body::credits::AddRequest;
    let server = OneShot::answer(
        "200 OK",
        "application/json",
        r#"{"status":"success","message":"Credit added"}"#,
    )
    .await;
    let date = pabbly::chrono::NaiveDate::from_ymd_opt(2026, 12, 31).expect("a date");
    let request = AddRequest::new(12.5, "Goodwill").expires_on(date);
    let done = client!(optional_body, server)
        .credits()
        .add("sub-1", &request)
        .await
        .expect("success");
    assert_eq!(done.message.as_deref(), Some("Credit added"));
    let recorded = server.recorded().await;
    assert_eq!(
        recorded.request_line,
        "POST /api/v1/subscription/credit/sub-1/create HTTP/1.1"
    );
    assert_eq!(
        recorded.body,
        r#"{"amount":12.5,"description":"Goodwill","expires_on":"2026-12-31"}"#
    );
}

#[tokio::test]
async fn data_as_a_string_decodes() {
    let server = OneShot::answer(
        "200 OK",
        "application/json",
        r#"{"status":"success","message":"Category","data":"Category Created"}"#,
    )
    .await;
    let request = envelopes::categories::CreateRequest::new("Extras");
    let created = client!(envelopes, server)
        .categories()
        .create(&request)
        .await
        .expect("success");
    assert_eq!(created.data, "Category Created");
    server.recorded().await;
}

#[tokio::test]
async fn message_only_envelope_returns_the_message() {
    let server = OneShot::answer(
        "200 OK",
        "application/json",
        r#"{"status":"success","message":"Subscription cancelled"}"#,
    )
    .await;
    let done = client!(envelopes, server)
        .subscriptions()
        .cancel("sub-1")
        .await
        .expect("success");
    assert_eq!(done.message.as_deref(), Some("Subscription cancelled"));
    let recorded = server.recorded().await;
    assert_eq!(
        recorded.request_line,
        "POST /api/v1/subscription/sub-1/cancel HTTP/1.1"
    );
}

#[tokio::test]
async fn list_under_message_decodes() {
    let server = OneShot::answer(
        "200 OK",
        "application/json",
        r#"{"status":"success","message":[{"id":"t1"},{"id":"t2"}]}"#,
    )
    .await;
    let listed = client!(envelopes, server)
        .invoices()
        .transactions("INV-1")
        .await
        .expect("success");
    assert_eq!(listed.data.len(), 2);
    assert_eq!(listed.data[1]["id"], "t2");
    server.recorded().await;
}

#[tokio::test]
async fn bare_array_decodes() {
    let server = OneShot::answer(
        "200 OK",
        "application/json",
        r#"[{"month":"Jan","mrr":"10.00"}]"#,
    )
    .await;
    let report = client!(envelopes, server)
        .reports()
        .mrr()
        .await
        .expect("success");
    assert_eq!(report.data, vec![json!({"month": "Jan", "mrr": "10.00"})]);
    server.recorded().await;
}

/// Pages of `limit` items until page 3, which is short.
fn three_pages(request: &Recorded) -> String {
    let query = request
        .request_line
        .split(['?', ' '])
        .nth(2)
        .unwrap_or_default();
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|pair| {
                pair.strip_prefix(name)?
                    .strip_prefix('=')?
                    .parse::<usize>()
                    .ok()
            })
            .unwrap_or(0)
    };
    let (page, limit) = (param("page"), param("limit"));
    let count = if page < 3 { limit } else { 1 };
    let items: Vec<String> = (0..count).map(|i| format!("\"p{page}-{i}\"")).collect();
    format!(
        r#"{{"status":"success","message":"ok","data":[{}]}}"#,
        items.join(",")
    )
}

#[tokio::test]
async fn all_pages_are_walked_until_a_short_page() {
    use query_params::subscriptions::{ListRequest, ListRequestStatus};
    let server = Scripted::start(three_pages).await;
    let client = query_params::Client::builder("key", "secret")
        .base_url(format!("{}/api/v1", server.origin))
        .build()
        .expect("a valid configuration");
    let request = ListRequest::new().limit(2).status(ListRequestStatus::Live);
    let items = client
        .subscriptions()
        .list_all(&request)
        .collect_all()
        .await
        .expect("success");
    assert_eq!(
        items,
        vec![
            json!("p1-0"),
            json!("p1-1"),
            json!("p2-0"),
            json!("p2-1"),
            json!("p3-0")
        ]
    );
    assert_eq!(
        server.request_lines(),
        vec![
            "GET /api/v1/subscriptions?limit=2&status=live&page=1 HTTP/1.1",
            "GET /api/v1/subscriptions?limit=2&status=live&page=2 HTTP/1.1",
            "GET /api/v1/subscriptions?limit=2&status=live&page=3 HTTP/1.1",
        ]
    );
}

#[tokio::test]
async fn a_page_cap_stops_the_walk_and_the_default_limit_applies() {
    use futures_util::TryStreamExt as _;
    use query_params::subscriptions::ListRequest;
    let server = Scripted::start(three_pages).await;
    let client = query_params::Client::builder("key", "secret")
        .base_url(format!("{}/api/v1", server.origin))
        .build()
        .expect("a valid configuration");
    let pages = client
        .subscriptions()
        .list_all(&ListRequest::new())
        .max_pages(1);
    let items: Vec<serde_json::Value> = pages.try_collect().await.expect("success");
    assert_eq!(
        items.len(),
        50,
        "the spec's default limit of 50 is the page size"
    );
    assert_eq!(
        server.request_lines(),
        vec!["GET /api/v1/subscriptions?page=1&limit=50 HTTP/1.1"]
    );
}
