//! The project's own spec loads and lowers to the expected model.

use std::path::Path;

use pabbly_spec::ir::{Envelope, Method, ParamLocation, PathSegment, Scalar, Type};

#[test]
fn the_real_spec_loads() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("pabbly.yaml");
    let api = match pabbly_spec::load(&path, "spec/pabbly.yaml") {
        Ok(api) => api,
        Err(diagnostics) => panic!("{diagnostics}"),
    };
    let op = api
        .operations()
        .find(|op| op.id == "portal_sessions.create")
        .expect("portal_sessions.create is in the spec");
    assert_eq!(op.method, Method::Post);
    assert_eq!(op.path.to_string(), "/portal_sessions/");
    assert_eq!(
        (op.path.segments.as_slice(), op.path.trailing_slash),
        (
            &[PathSegment::Literal("portal_sessions".to_owned())][..],
            true
        )
    );
    assert!(op.root.is_base());
    assert_eq!(op.mount, ["api", "v1"]);
    let stats = api
        .operations()
        .find(|op| op.id == "dashboard.get_stats")
        .expect("the dashboard is in the spec");
    // `base: ../v2`, resolved once: one step up from the base URL's path, then `v2`.
    assert_eq!(
        (stats.root.up, stats.root.then.as_slice()),
        (1, &["v2".to_owned()][..])
    );
    assert_eq!(stats.root.to_string(), "../v2");
    assert_eq!(stats.mount, ["api", "v2"]);
    assert_eq!(op.response.envelope, Envelope::Data);
    let request = op.request.as_ref().expect("a body");
    assert_eq!(request.location, ParamLocation::Body);
    let names: Vec<_> = request
        .fields
        .iter()
        .map(|f| (f.wire_name.as_str(), f.required))
        .collect();
    assert_eq!(names, [("customer_id", true), ("redirect_url", false)]);
    let session = api
        .models
        .iter()
        .find(|t| t.name == "PortalSession")
        .expect("model");
    let pabbly_spec::ir::TypeKind::Struct(fields) = &session.kind else {
        panic!("PortalSession is a struct")
    };
    let created = fields
        .iter()
        .find(|f| f.wire_name == "createdAt")
        .expect("createdAt");
    assert_eq!(created.rust_name, "created_at");
    assert_eq!(created.ty, Type::Scalar(Scalar::DateTime));
}

#[test]
fn the_real_spec_describes_the_webhook_events_of_notes_15() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("pabbly.yaml");
    let api = match pabbly_spec::load(&path, "spec/pabbly.yaml") {
        Ok(api) => api,
        Err(diagnostics) => panic!("{diagnostics}"),
    };
    let webhooks = api.webhooks.as_ref().expect("a webhooks section");
    assert_eq!(webhooks.events.len(), 28);
    let confirmed: Vec<&str> = webhooks
        .events
        .iter()
        .filter(|e| e.confirmed)
        .map(|e| e.wire.as_str())
        .collect();
    assert_eq!(
        confirmed,
        [
            "subscription_activate",
            "subscription_renew",
            "invoice_create"
        ],
        "only the strings the docs show are confirmed"
    );
    for event in &webhooks.events {
        let object = event.wire.split('_').next().unwrap_or_default();
        let confirm = event.confirm.as_ref();
        let expected = match object {
            "customer" => Some(("Customer", "customers.get")),
            "subscription" => Some(("Subscription", "subscriptions.get")),
            "invoice" => Some(("Invoice", "invoices.get")),
            // The docs do not say what payment, credit and affiliate events carry.
            _ => None,
        };
        assert_eq!(
            event.data.as_ref().map(|d| d.name.as_str()),
            expected.map(|(model, _)| model),
            "{}",
            event.wire
        );
        assert_eq!(
            confirm.map(|c| c.operation.as_str()),
            expected.map(|(_, op)| op),
            "{}",
            event.wire
        );
        assert_eq!(
            confirm.is_some_and(|c| c.gone),
            event.wire.ends_with("_delete"),
            "{}: only a deletion is confirmed by absence",
            event.wire
        );
    }
    let data_types: Vec<&str> = webhooks
        .data_types
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(data_types, ["Customer", "Subscription", "Invoice"]);
}
