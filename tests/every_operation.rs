//! One table-driven test over every operation of the spec, through the generated client and the
//! spec-driven mock: the example (or a sampled) request goes out, the mock validates it against
//! the spec, and the answer decodes into the typed response. No test per endpoint: a new spec
//! entry is covered as soon as it exists.

mod support;

use pabbly::__private::CaseInput;
use pabbly_spec::sample;

#[test]
fn the_registry_lists_every_operation_in_spec_order() {
    let listed: Vec<&str> = pabbly::__operations::ALL.iter().map(|c| c.id).collect();
    let api = support::real_spec();
    let specified: Vec<&str> = api.operations().map(|op| op.id.as_str()).collect();
    assert_eq!(listed, specified);
}

#[test]
fn every_example_request_serializes_to_the_documented_json() {
    let api = support::real_spec();
    let mut checked = 0;
    for case in pabbly::__operations::ALL {
        let op = api
            .operations()
            .find(|op| op.id == case.id)
            .expect("in the spec");
        let (Some(example), Some(request_json)) = (&op.example_request, case.request_json) else {
            continue;
        };
        let input = CaseInput {
            request: example.clone(),
            path: Vec::new(),
        };
        match request_json(&input) {
            Ok(json) => assert_eq!(
                &json, example,
                "{}: the request does not round-trip",
                case.id
            ),
            Err(error) => panic!("{}: {error}", case.id),
        }
        checked += 1;
    }
    assert!(checked > 0, "no operation has an example request");
}

#[tokio::test]
async fn every_operation_round_trips_through_the_mock() {
    let api = support::real_spec();
    let server = pabbly_mock::MockServer::start()
        .await
        .expect("the mock starts");
    let client = pabbly::Client::builder("test-key", "test-secret")
        .base_url(server.base_url())
        .build()
        .expect("a valid configuration");
    let mut failures = Vec::new();
    for case in pabbly::__operations::ALL {
        let op = api
            .operations()
            .find(|op| op.id == case.id)
            .expect("in the spec");
        let input = CaseInput {
            request: sample::request(&api, op),
            path: sample::path_values(op),
        };
        if let Err(error) = (case.call)(&client, &input).await {
            failures.push(format!("{}: {error}", case.id));
        }
    }
    server.stop().await;
    assert!(
        failures.is_empty(),
        "operations failing against the mock:\n{}",
        failures.join("\n")
    );
}
