//! The billing guarantees, used the way a billing service uses the crate: exact amounts on the
//! wire, money-moving calls sent once, secrets out of `Debug`, out-of-range page sizes refused
//! before sending, every field of an answer kept, typed flags, and untyped answers decoded into
//! models. Through `pabbly` and `pabbly-mock` (or a loopback server that records the bytes) only.

mod support;

use futures_util::TryStreamExt;
use pabbly::models::{PaymentMode, SubscriptionStatus};
use pabbly::subscriptions::{CancelRequest, ChangePlanRequest};
use pabbly::transactions::RecordRefundRequest;
use pabbly::{Decimal, ErrorKind, RequestOptions};
use pabbly_mock::{Fault, MockServer, Options};
use support::OneShot;

const PAYMENT: &str = "5e3bf8b8db85462760295d2f";
const SUBSCRIPTION: &str = "6188d46e3a5dad46546547fa";
const PLAN: &str = "61811ba89764a44a4cae8986";

fn client(base_url: impl AsRef<str>) -> Result<pabbly::Client, pabbly::Error> {
    pabbly::Client::builder("test-key", "test-secret")
        .base_url(base_url.as_ref())
        .build()
}

#[tokio::test]
async fn a_refund_of_ninety_and_a_half_is_recorded_exactly() -> Result<(), pabbly::Error> {
    let server = OneShot::answer(
        "200 OK",
        "application/json",
        r#"{"status":"success","message":"Payment refunded"}"#,
    )
    .await;
    let client = client(format!("{}/api/v1", server.origin))?;
    let amount: Decimal = "90.50".parse().expect("a decimal");
    let request = RecordRefundRequest::new()
        .amount(amount)
        .refund_type("record_refund");
    client
        .transactions()
        .record_refund(PAYMENT, &request)
        .await?;
    let sent = server.recorded().await;
    assert_eq!(
        sent.body, r#"{"amount":90.50,"refund_type":"record_refund"}"#,
        "the amount goes out with its own digits"
    );
    Ok(())
}

#[tokio::test]
async fn amounts_in_answers_keep_every_digit() -> Result<(), pabbly::Error> {
    // A plan priced beyond what an f64 can hold, and a setup fee sent as text.
    let answer = r#"{"status":"success","message":"Plan data","data":[
        {"id":"p1","product_id":"x","plan_name":"Big","plan_code":"big","price":12345678901234567.89,
         "setup_fee":"0.10","createdAt":"2020-03-04T08:31:40.457Z","updatedAt":"2020-03-04T08:31:40.457Z"}]}"#;
    let server = MockServer::start_with(
        Options::default().fault("plans.list", Fault::status(200).body(answer)),
    )
    .await
    .expect("the mock starts");
    let client = client(server.base_url())?;
    let plans = client
        .plans()
        .list(&pabbly::plans::ListRequest::new())
        .await?
        .into_data();
    server.stop().await;
    let plan = &plans[0];
    assert_eq!(
        plan.price.map(|p| p.to_string()).as_deref(),
        Some("12345678901234567.89")
    );
    let fee = plan.setup_fee.unwrap_or_default();
    assert_eq!(
        fee + fee + fee,
        "0.30".parse::<Decimal>().expect("a decimal")
    );
    Ok(())
}

#[tokio::test]
async fn a_plan_change_is_sent_once_after_a_dropped_connection() -> Result<(), pabbly::Error> {
    let server = MockServer::start_with(Options::default().fault(
        "subscriptions.change_plan",
        Fault::drop_connection().times(1),
    ))
    .await
    .expect("the mock starts");
    let client = client(server.base_url())?;
    let request = ChangePlanRequest::new(PLAN, PaymentMode::CreditCard);

    let lost = client
        .subscriptions()
        .change_plan(SUBSCRIPTION, &request)
        .await;
    assert_eq!(lost.err().map(|e| e.kind()), Some(ErrorKind::Transport));
    assert_eq!(
        server.hits("subscriptions.change_plan"),
        1,
        "not repeated: it may have charged the card"
    );

    // The caller who has checked that the change did not happen opts in for this one call.
    server
        .fault(
            "subscriptions.change_plan",
            Fault::drop_connection().times(1),
        )
        .expect("a known route");
    let careful = client.with_options(RequestOptions::new().retry_unsafe(true));
    careful
        .subscriptions()
        .change_plan(SUBSCRIPTION, &request)
        .await?;
    assert_eq!(server.hits("subscriptions.change_plan"), 3);
    server.stop().await;
    Ok(())
}

#[tokio::test]
async fn a_page_size_above_pabblys_cap_is_refused_before_sending() -> Result<(), pabbly::Error> {
    let server = MockServer::start().await.expect("the mock starts");
    let client = client(server.base_url())?;
    for request in [
        pabbly::subscriptions::ListRequest::new().limit(500),
        pabbly::subscriptions::ListRequest::new().limit(-5),
        pabbly::subscriptions::ListRequest::new().page(0),
    ] {
        let error = client
            .subscriptions()
            .list(&request)
            .await
            .expect_err("refused");
        assert_eq!(error.kind(), ErrorKind::InvalidRequest);
        let message = error.to_string();
        assert!(
            message.contains("`limit` must be from 1 to 100")
                || message.contains("`page` must be at least 1"),
            "{message}"
        );
        // The stream refuses it too, on its first page, instead of stopping early.
        let walked: Result<Vec<_>, _> = client
            .subscriptions()
            .list_all(&request)
            .try_collect()
            .await;
        assert_eq!(
            walked.err().map(|e| e.kind()),
            Some(ErrorKind::InvalidRequest)
        );
    }
    assert_eq!(server.hits("subscriptions.list"), 0, "nothing was sent");
    let fine = pabbly::subscriptions::ListRequest::new().limit(100).page(1);
    client.subscriptions().list(&fine).await?;
    assert_eq!(server.hits("subscriptions.list"), 1);
    server.stop().await;
    Ok(())
}

#[tokio::test]
async fn a_subscription_is_typed_and_keeps_what_its_model_does_not_list()
-> Result<(), pabbly::Error> {
    let answer = r#"{"status":"success","message":"Subscription data","data":{
        "id":"6188d46e3a5dad46546547fa","status":"live","next_billing_date":"",
        "starts_at":"2021-11-08T07:38:22.515Z","canceled_date":null,"setup_fee":10,
        "currency_symbol":"$","quantity":3,"gateway_type":"stripe"}}"#;
    let server = MockServer::start_with(
        Options::default().fault("subscriptions.get", Fault::status(200).body(answer)),
    )
    .await
    .expect("the mock starts");
    let client = client(server.base_url())?;
    let subscription = client.subscriptions().get(SUBSCRIPTION).await?.into_data();
    server.stop().await;

    assert_eq!(subscription.id.as_deref(), Some(SUBSCRIPTION));
    assert_eq!(subscription.status, Some(SubscriptionStatus::Live));
    assert_eq!(
        subscription.next_billing_date, None,
        "Pabbly's \"\" is unset"
    );
    assert_eq!(
        subscription.starts_at.map(|at| at.to_rfc3339()).as_deref(),
        Some("2021-11-08T07:38:22.515+00:00")
    );
    assert_eq!(subscription.setup_fee, Some(Decimal::from(10)));
    // Fields the model does not list are kept, by wire name.
    assert_eq!(
        subscription.extra.decode::<i64>("quantity").ok().flatten(),
        Some(3)
    );
    assert_eq!(
        subscription
            .extra
            .get("gateway_type")
            .and_then(|v| v.as_str()),
        Some("stripe")
    );
    assert_eq!(subscription.extra.len(), 2);
    Ok(())
}

#[tokio::test]
async fn a_cancel_flag_is_a_bool_sent_as_pabbly_reads_it() -> Result<(), pabbly::Error> {
    let server = OneShot::answer(
        "200 OK",
        "application/json",
        r#"{"status":"success","message":"Your suscription would be cancelled at the end of the term"}"#,
    )
    .await;
    let client = client(format!("{}/api/v1", server.origin))?;
    client
        .subscriptions()
        .cancel(SUBSCRIPTION, &CancelRequest::new(true))
        .await?;
    assert_eq!(server.recorded().await.body, r#"{"cancel_at_end":"true"}"#);
    Ok(())
}

#[tokio::test]
async fn an_untyped_answer_decodes_into_the_model_its_docs_name() -> Result<(), pabbly::Error> {
    let answer = r#"{"status":"success","message":"Customer data","data":{
        "id":"5e5f50647c5aeb3675f416aa","first_name":"Ada","last_name":"Lovelace",
        "email_id":"ada@example.com","user_id":"u1","createdAt":"2020-03-04T08:31:40.457Z",
        "updatedAt":"2020-03-04T08:31:40.457Z","loyalty_tier":"gold"}}"#;
    let not_a_customer = r#"{"status":"success","message":"Customer data","data":{"id":5}}"#;
    let options = Options::default()
        .fault("customers.get", Fault::status(200).body(answer).times(1))
        .fault(
            "customers.get",
            Fault::status(200).body(not_a_customer).times(1),
        );
    let server = MockServer::start_with(options)
        .await
        .expect("the mock starts");
    let client = client(server.base_url())?;
    let response = client.customers().get("5e5f50647c5aeb3675f416aa").await?;
    let customer = response.decode::<pabbly::models::Customer>()?.into_data();
    assert_eq!(customer.id, "5e5f50647c5aeb3675f416aa");
    assert_eq!(
        customer.extra.get("loyalty_tier").and_then(|v| v.as_str()),
        Some("gold")
    );
    // Data that is not the model is a decode error that says where, not a panic.
    let response = client.customers().get("5e5f50647c5aeb3675f416aa").await?;
    server.stop().await;
    let error = response
        .decode::<pabbly::models::Customer>()
        .expect_err("not a customer");
    assert_eq!(error.kind(), ErrorKind::Decode);
    assert!(
        error.to_string().contains("invalid type: integer `5`"),
        "{error}"
    );
    Ok(())
}

#[tokio::test]
async fn every_list_with_pages_walks_them_all() -> Result<(), pabbly::Error> {
    let server = MockServer::start().await.expect("the mock starts");
    let client = client(server.base_url())?;
    // Lists whose answers the docs do not show still walk page by page, item by item.
    let customers: Vec<pabbly::serde_json::Value> = client
        .customers()
        .list_all(&pabbly::customers::ListRequest::new())
        .try_collect()
        .await?;
    let invoices: Vec<pabbly::serde_json::Value> = client
        .invoices()
        .list_by_customer_all("c1", &pabbly::invoices::ListByCustomerRequest::new())
        .try_collect()
        .await?;
    let transactions: Vec<pabbly::serde_json::Value> = client
        .transactions()
        .list_by_customer_all("c1", &pabbly::transactions::ListByCustomerRequest::new())
        .try_collect()
        .await?;
    assert!(customers.is_empty() && invoices.is_empty() && transactions.is_empty());
    assert_eq!(server.hits("customers.list"), 1);
    assert_eq!(server.hits("invoices.list_by_customer"), 1);
    assert_eq!(server.hits("transactions.list_by_customer"), 1);
    server.stop().await;
    Ok(())
}

#[tokio::test]
async fn an_untyped_list_walks_every_page_until_a_short_one() -> Result<(), pabbly::Error> {
    // Two full pages of two customers, then a short one: the walk asks for pages 1, 2 and 3.
    let page = |ids: &[&str]| {
        let items: Vec<_> = ids
            .iter()
            .map(|id| pabbly::serde_json::json!({"id": id}))
            .collect();
        pabbly_mock::Stub::data(&items).times(1)
    };
    let options = Options::default()
        .stub("customers.list", page(&["c1", "c2"]))
        .stub("customers.list", page(&["c3", "c4"]))
        .stub("customers.list", page(&["c5"]));
    let server = MockServer::start_with(options)
        .await
        .expect("the mock starts");
    let client = client(server.base_url())?;
    let customers: Vec<pabbly::serde_json::Value> = client
        .customers()
        .list_all(&pabbly::customers::ListRequest::new().limit(2))
        .try_collect()
        .await?;
    let ids: Vec<&str> = customers.iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(ids, ["c1", "c2", "c3", "c4", "c5"]);
    let pages: Vec<Option<String>> = server
        .requests("customers.list")
        .iter()
        .map(|sent| sent.query("page").map(str::to_owned))
        .collect();
    assert_eq!(
        pages,
        [
            Some("1".to_owned()),
            Some("2".to_owned()),
            Some("3".to_owned())
        ]
    );
    server.stop().await;
    Ok(())
}
