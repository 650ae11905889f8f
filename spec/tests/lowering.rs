//! What valid specs lower to: names, types, order and the facts kept on each operation. (What
//! invalid specs report is in `rules.rs`: one spec file per rule.)

mod support;

use support::HEADER;

use pabbly_spec::Diagnostics;
use pabbly_spec::ir::{
    Api, EnumValue, Envelope, Field, Method, ParamLocation, PathSegment, Root, Scalar, Scope, Type,
    TypeDef, TypeKind, TypeRef, Usage,
};

/// How diagnostics name the spec.
const FILE: &str = "test.yaml";

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
fn a_fitting_example_passes() {
    api(&customer_example(&customer_json(|_| {})));
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
fn each_type_knows_which_way_it_travels() {
    let api = api(r#"
types:
  Address:
    type: object
    fields:
      city: { type: string }
  Customer:
    type: object
    fields:
      id: { type: string }
      addresses: { type: array, items: { type: Address } }
  Tag:
    type: object
    fields:
      name: { type: string }
  Invoice:
    type: object
    fields:
      id: { type: string }
      tags: { type: map, values: { type: Tag } }
  Unused:
    type: object
    fields:
      id: { type: string }
operations:
  - id: customers.create
    method: POST
    path: /customer
    summary: Create a customer.
    body:
      customer: { type: Customer, required: true }
      note: { type: object, fields: { text: { type: string } } }
    response: { data: { type: Customer } }
  - id: invoices.get
    method: GET
    path: /invoice
    summary: Fetch an invoice.
    response: { data: { type: Invoice } }
"#);
    let usage = |def: &TypeDef| (def.name.clone(), def.usage);
    let both = Usage {
        sent: true,
        received: true,
    };
    let received = Usage {
        sent: false,
        received: true,
    };
    let models: Vec<_> = api.models.iter().map(usage).collect();
    assert_eq!(
        models,
        [
            ("Address".to_owned(), both),
            ("Customer".to_owned(), both),
            ("Tag".to_owned(), received),
            ("Invoice".to_owned(), received),
            ("Unused".to_owned(), received),
        ],
        "through arrays and maps; a model nothing uses counts as received"
    );
    let hoisted: Vec<_> = api.resources[0].types.iter().map(usage).collect();
    assert_eq!(hoisted, [("CreateRequestNote".to_owned(), Usage::SENT)]);
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

#[test]
fn an_optional_field_may_be_null_in_an_example() {
    api(&customer_example(&customer_json(|c| {
        c.insert("age".into(), serde_json::Value::Null);
    })));
}

#[test]
fn an_empty_string_is_an_unset_nullable_date_in_an_example() {
    // `due_on` is nullable: Pabbly's `""` means unset.
    api(&customer_example(&customer_json(|c| {
        c.insert("due_on".into(), "".into());
    })));
}

#[test]
fn lenient_values_are_accepted_in_their_string_forms() {
    api(&customer_example(&customer_json(|c| {
        c.insert("count".into(), "42".into());
        c.insert("active".into(), "yes".into());
    })));
}

#[test]
fn base_is_resolved_once_into_steps_and_the_mount() {
    let ok = api(r#"
operations:
  - id: dashboard.stats
    method: POST
    path: /getdashboardstats
    base: ../../v2/stats/../reports/
    summary: Dashboard figures.
    response:
      data: { type: any }
"#);
    let op = ok.operations().next().expect("one operation");
    // A `..` after a segment takes it back; the trailing slash is not a segment.
    let expected = Root {
        up: 2,
        then: vec!["v2".to_owned(), "reports".to_owned()],
    };
    assert_eq!(op.root, expected);
    assert_eq!(op.root.to_string(), "../../v2/reports");
    // The test header's base URL is `https://example.com/api`: two steps up leave the host.
    assert_eq!(op.mount, ["v2", "reports"]);
}

#[test]
fn path_templates_are_parsed_into_segments_naming_their_parameters() {
    let ok = api(r#"
operations:
  - id: licenses.delete_code
    method: DELETE
    path: /products/{product_id}/licenses/{license_id}/codes/{code}/
    summary: Delete a code.
    path_params:
      code: { type: string }
      license_id: { type: string }
      product_id: { type: integer }
    response:
      data: { type: any }
"#);
    let op = ok.operations().next().expect("one operation");
    let param = |index: usize, name: &str| PathSegment::Param {
        index,
        name: name.to_owned(),
    };
    let literal = |text: &str| PathSegment::Literal(text.to_owned());
    assert_eq!(
        op.path.segments,
        [
            literal("products"),
            param(0, "product_id"),
            literal("licenses"),
            param(1, "license_id"),
            literal("codes"),
            param(2, "code"),
        ]
    );
    assert!(op.path.trailing_slash);
    // Each index names the parameter the placeholder spells, whatever the declaration order.
    for segment in &op.path.segments {
        if let PathSegment::Param { index, name } = segment {
            assert_eq!(&op.path_params[*index].wire_name, name);
        }
    }
    assert_eq!(
        op.path.to_string(),
        "/products/{product_id}/licenses/{license_id}/codes/{code}/"
    );
    assert!(op.root.is_base());
    assert_eq!(op.mount, ["api"]);
}
