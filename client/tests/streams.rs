//! Walking a paginated list as a nightly sync does, against `pabbly-mock`: a server that repeats
//! its full page, one that never ends, an item that does not decode, and resuming.

mod with_mock;

use std::time::Duration;

use pabbly::subscriptions::ListRequest;
use pabbly::{DEFAULT_MAX_PAGES, ErrorKind, Pages};
use pabbly_mock::{Fault, MockServer, Options, Stub};
use serde_json::json;
use with_mock::client;

/// A subscription's setup fee as a float, for comparing with the pages' fees (-1 when unset).
fn fee(subscription: &pabbly::models::Subscription) -> f64 {
    subscription
        .setup_fee
        .and_then(|fee| fee.to_string().parse().ok())
        .unwrap_or(-1.0)
}

fn fees(pages: &[&[f64]]) -> Vec<f64> {
    pages.iter().flat_map(|page| page.iter().copied()).collect()
}

/// A page of subscriptions with these setup fees.
fn page(fees: &[f64]) -> Stub {
    let items: Vec<_> = fees.iter().map(|fee| json!({"setup_fee": fee})).collect();
    Stub::data(&items).times(1)
}

async fn walk(pages: &mut Pages<pabbly::models::Subscription>) -> (Vec<f64>, Vec<pabbly::Error>) {
    let (mut items, mut errors) = (Vec::new(), Vec::new());
    while let Some(item) = pages.next().await {
        match item {
            Ok(subscription) => items.push(fee(&subscription)),
            Err(error) => errors.push(error),
        }
    }
    (items, errors)
}

#[tokio::test]
async fn a_server_repeating_its_full_page_costs_two_requests() {
    // Every request gets the same full page, whatever its `page`.
    let options = Options::default().stub(
        "subscriptions.list",
        Stub::data(&json!([{"setup_fee": 1}, {"setup_fee": 2}])),
    );
    let server = MockServer::start_with(options).await.expect("mock starts");
    let mut pages = client(&server)
        .subscriptions()
        .list_all(&ListRequest::new().limit(2));
    let (items, errors) = walk(&mut pages).await;
    assert_eq!(items, [1.0, 2.0], "the first page is yielded once");
    assert_eq!(errors.len(), 1);
    let error = &errors[0];
    assert_eq!(error.kind(), ErrorKind::Pagination);
    assert_eq!(error.operation(), Some("subscriptions.list"));
    assert!(
        error
            .to_string()
            .contains("page 2 has exactly the items of page 1"),
        "{error}"
    );
    assert_eq!(server.hits("subscriptions.list"), 2);
    let sent: Vec<_> = server
        .requests("subscriptions.list")
        .iter()
        .map(|r| {
            (
                r.query("page").map(str::to_owned),
                r.query("limit").map(str::to_owned),
            )
        })
        .collect();
    assert_eq!(
        sent,
        [
            (Some("1".to_owned()), Some("2".to_owned())),
            (Some("2".to_owned()), Some("2".to_owned()))
        ]
    );
    server.stop().await;
}

#[tokio::test]
async fn a_server_whose_pages_never_end_is_stopped_at_the_default_page_limit() {
    let server = MockServer::start().await.expect("mock starts");
    let pages = usize::try_from(DEFAULT_MAX_PAGES).expect("fits") + 5;
    for n in 0..pages {
        let fee = n as f64;
        server
            .stub("subscriptions.list", page(&[fee, fee + 0.5]))
            .expect("a valid stub");
    }
    let client = client(&server);
    let error = client
        .subscriptions()
        .list_all(&ListRequest::new().limit(2))
        .collect_all()
        .await
        .expect_err("more may remain");
    assert_eq!(error.kind(), ErrorKind::Pagination);
    assert!(
        error.to_string().contains("default limit of 1000 pages"),
        "{error}"
    );
    assert_eq!(server.hits("subscriptions.list") as u64, DEFAULT_MAX_PAGES);

    // An explicit cap ends quietly.
    let first_two = client
        .subscriptions()
        .list_all(&ListRequest::new().limit(2))
        .max_pages(2)
        .collect_all()
        .await
        .expect("capped");
    assert_eq!(first_two.len(), 4);
    server.stop().await;
}

/// Page 1 full, page 2 with a fee that is no amount (`"forty-nine"`), page 3 short.
async fn server_with_a_bad_item() -> MockServer {
    let bad_page = r#"{"status":"success","message":"ok","data":[{"setup_fee":3},{"setup_fee":"forty-nine"}]}"#;
    let options = Options::default()
        .fault("subscriptions.list", Fault::delay(Duration::ZERO).times(1))
        .fault(
            "subscriptions.list",
            Fault::status(200).body(bad_page).times(1),
        )
        .stub("subscriptions.list", page(&[1.0, 2.0]))
        .stub("subscriptions.list", page(&[5.0]));
    MockServer::start_with(options).await.expect("mock starts")
}

#[tokio::test]
async fn an_undecodable_item_ends_the_walk_where_it_can_be_resumed() {
    let server = server_with_a_bad_item().await;
    let mut pages = client(&server)
        .subscriptions()
        .list_all(&ListRequest::new().limit(2));
    let (items, errors) = walk(&mut pages).await;
    assert_eq!(
        items,
        fees(&[&[1.0, 2.0], &[3.0]]),
        "the good items before it"
    );
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].kind(), ErrorKind::Decode);
    assert!(
        errors[0]
            .to_string()
            .contains("item 2 of page 2 does not decode"),
        "{}",
        errors[0]
    );
    assert_eq!(
        errors[0].body(),
        Some(r#"{"setup_fee":"forty-nine"}"#),
        "nothing dropped"
    );
    assert_eq!(pages.page(), Some(2));
    assert_eq!(pages.resume_page(), 2);
    assert_eq!(
        server.hits("subscriptions.list"),
        2,
        "no page after the bad one"
    );
    server.stop().await;
}

#[tokio::test]
async fn per_item_mode_yields_every_good_item_and_reports_the_bad_one() {
    let server = server_with_a_bad_item().await;
    let mut pages = client(&server)
        .subscriptions()
        .list_all(&ListRequest::new().limit(2))
        .per_item();
    let mut items = Vec::new();
    let mut bad = Vec::new();
    while let Some(item) = pages.next().await {
        match item {
            Ok(subscription) => items.push(fee(&subscription)),
            Err(error) => bad.push((pages.page(), error.kind(), error.body().map(str::to_owned))),
        }
    }
    assert_eq!(items, fees(&[&[1.0, 2.0], &[3.0], &[5.0]]));
    assert_eq!(
        bad,
        [(
            Some(2),
            ErrorKind::Decode,
            Some(r#"{"setup_fee":"forty-nine"}"#.to_owned())
        )]
    );
    assert_eq!(server.hits("subscriptions.list"), 3);
    server.stop().await;
}

#[tokio::test]
async fn a_failed_page_can_be_resumed_from_its_number() {
    let options = Options::default()
        .fault("subscriptions.list", Fault::delay(Duration::ZERO).times(1))
        .fault("subscriptions.list", Fault::status(500).times(1))
        .stub("subscriptions.list", page(&[1.0, 2.0]))
        .stub("subscriptions.list", page(&[3.0]));
    let server = MockServer::start_with(options).await.expect("mock starts");
    let client = client(&server);
    let mut pages = client
        .subscriptions()
        .list_all(&ListRequest::new().limit(2));
    let mut seen = Vec::new();
    let error = loop {
        match pages.try_next().await {
            Ok(Some(subscription)) => seen.push(fee(&subscription)),
            Ok(None) => panic!("the second page fails"),
            Err(error) => break error,
        }
    };
    assert_eq!(error.kind(), ErrorKind::Server);
    assert_eq!(seen, [1.0, 2.0]);
    let resume = pages.resume_page();
    assert_eq!(resume, 2);

    let rest = client
        .subscriptions()
        .list_all(
            &ListRequest::new()
                .limit(2)
                .page(i64::try_from(resume).expect("fits")),
        )
        .collect_all()
        .await
        .expect("the rest");
    assert_eq!(rest.iter().map(fee).collect::<Vec<_>>(), [3.0]);
    server.stop().await;
}
