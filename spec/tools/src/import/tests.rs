//! End-to-end importer tests on small pages written inline: each page is imported, its YAML
//! loaded as a spec, and the loaded operation compared with the page again.

use super::{DraftResponse, Imported, NoteKind, Ty, compare, import_page, to_yaml};
use pabbly_spec::ir::{Api, Envelope, Method, Operation, ParamLocation, Scalar, Type};

const HEADER: &str = "spec_version: 1
api:
  title: Test
  version: v1
  base_url: https://payments.pabbly.com/api/v1
  auth: basic
operations:
";

fn import(page: &str) -> Imported {
    match import_page(page, "docs/widgets__test-page.md") {
        Ok(imported) => imported,
        Err(error) => panic!("{error}"),
    }
}

/// Loads the page's YAML as a spec.
fn load_yaml(imported: &Imported) -> (Api, String) {
    let yaml = to_yaml(&imported.draft);
    match pabbly_spec::load_str(&format!("{HEADER}{yaml}"), "imported.yaml") {
        Ok(api) => (api, yaml),
        Err(diagnostics) => panic!("{diagnostics}\n--- yaml ---\n{yaml}"),
    }
}

/// Loads the page's YAML as a spec and checks it round-trips without drift.
fn load(imported: &Imported) -> (Api, String) {
    let (api, yaml) = load_yaml(imported);
    let op = operation(&api);
    let drift = compare(&api, op, &imported.draft);
    assert!(drift.is_empty(), "round trip drifts: {drift:?}\n{yaml}");
    (api, yaml)
}

fn operation(api: &Api) -> &Operation {
    api.operations().next().expect("one operation")
}

fn kinds(imported: &Imported) -> Vec<(u64, NoteKind)> {
    imported.notes.iter().map(|n| (n.line(), n.kind)).collect()
}

#[test]
fn a_full_page_becomes_an_operation() {
    let imported = import(
        r#"<!-- completeness: full -->
# POST /widgets — Create Widget API

> Canonical: `/subscription-billing/widgets/create-widget`

**Body parameters:**

| Name | Type | Required | Description |
|------|------|----------|-------------|
| name | string | Yes | The widget's name. Shown to customers. |
| size | string | No | integer; default 3; min 1; max 9 |
| colour | string | No | one of: red, green |

**Example request body:**

```json
{"name": "Big", "size": 4, "colour": "red"}
```

**Response (200)** — Create Widget API:

```json
{"status": "success", "message": "Created", "data": {"id": "5e5f56717c5aeb3675f416d1", "createdAt": "2020-03-04T07:19:13.685Z", "price": "10.00", "active": "true"}}
```
"#,
    );
    assert!(imported.notes.is_empty(), "{:?}", imported.notes);
    let draft = &imported.draft;
    assert_eq!(
        draft.id, "widgets.create",
        "the id does not repeat the resource"
    );
    assert_eq!(draft.summary, "Create widget API.");
    assert_eq!(
        draft.docs.as_deref(),
        Some("https://www.pabbly.com/subscription-billing/widgets/create-widget")
    );
    assert_eq!(draft.doc_page, "widgets__test-page.md");
    let (api, yaml) = load(&imported);
    assert!(yaml.contains("doc_page: widgets__test-page.md"), "{yaml}");
    let op = operation(&api);
    assert_eq!(
        (op.method, op.path.to_string().as_str()),
        (Method::Post, "/widgets")
    );
    assert_eq!(op.doc_page.as_deref(), Some("widgets__test-page.md"));
    let request = op.request.as_ref().expect("a body");
    assert_eq!(request.location, ParamLocation::Body);
    let size = &request.fields[1];
    assert_eq!(
        (size.ty.clone(), size.default.clone()),
        (Type::Scalar(Scalar::Integer), Some(serde_json::json!(3)))
    );
    assert_eq!(size.description.as_deref(), Some("Min 1, max 9."));
    assert_eq!(
        request.fields[0].description.as_deref(),
        Some("The widget's name.")
    );
    assert!(matches!(request.fields[2].ty, Type::Named(_)), "an enum");
    assert_eq!(op.response.envelope, Envelope::Data);
    assert!(op.example_request.is_some() && op.example_response.is_some());
}

#[test]
fn nested_rows_become_nested_fields() {
    let imported = import(
        "# PUT /customer/{{customer_id}} — Update Customer

**Path parameters:**

| Name | Type | Required | Description |
|------|------|----------|-------------|
| customer_id | string | Yes |  |

**Body parameters:**

| Name | Type | Required | Description |
|------|------|----------|-------------|
| billing_address | object | No |  |
| ↳ city | string | Yes |  |
| ↳ zip_code | string | No |  |
| addons | object | No |  |
| ↳ 5e3aac363c92e44b424b6dfc | object | No |  |
| ↳ checked | boolean | No |  |
| tags | array | No |  |
",
    );
    let (api, yaml) = load(&imported);
    assert!(yaml.contains("      billing_address:\n        type: object\n        fields:\n          city: { type: string, required: true }"), "{yaml}");
    assert!(
        yaml.contains("      addons:\n        type: map\n        values:\n          type: object"),
        "{yaml}"
    );
    assert!(
        yaml.contains("tags: { type: array, items: { type: any } }"),
        "{yaml}"
    );
    let op = operation(&api);
    assert_eq!(op.path.to_string(), "/customer/{customer_id}");
    let fields = &op.request.as_ref().expect("a body").fields;
    assert!(matches!(fields[0].ty, Type::Named(_)));
    assert!(matches!(fields[1].ty, Type::Map(_)));
    assert_eq!(
        kinds(&imported),
        [
            (1, NoteKind::Reconciled),
            (1, NoteKind::NoResponse),
            (16, NoteKind::Structure),
            (18, NoteKind::Structure)
        ]
    );
}

#[test]
fn every_type_name_and_an_unknown_one() {
    let imported = import(
        "# GET /things — Things

**Query parameters:**

| Name | Type | Required | Description |
|------|------|----------|-------------|
| s | string | No |  |
| i | integer | No |  |
| n | number | No |  |
| b | boolean | No |  |
| o | object | No |  |
| a | array | No |  |
| from | string | No | format yyyy-mm-dd |
| w | widget | No |  |
",
    );
    let types: Vec<_> = imported
        .draft
        .query
        .iter()
        .map(|f| f.schema.type_name())
        .collect();
    assert_eq!(
        types,
        [
            "string", "integer", "number", "boolean", "any", "array", "date", "any"
        ]
    );
    assert!(kinds(&imported).contains(&(14, NoteKind::UnknownType)));
    let (api, _) = load(&imported);
    let fields = &operation(&api).request.as_ref().expect("a query").fields;
    assert_eq!(fields[6].ty, Type::Scalar(Scalar::Date));
}

#[test]
fn a_stub_with_nothing_but_a_heading_still_imports() {
    let imported = import(
        "<!-- completeness: stub -->
# DELETE /widgets/{{widget_id}} — Delete Widget

<!-- not recovered: description, examples and response -->
",
    );
    assert_eq!(
        kinds(&imported),
        [
            (2, NoteKind::Reconciled),
            (2, NoteKind::Reconciled),
            (2, NoteKind::NoResponse),
            (4, NoteKind::NotRecovered)
        ]
    );
    assert!(
        imported.notes[2].diagnostic.message.contains("stub"),
        "{}",
        imported.notes[2]
    );
    assert_eq!(
        imported.draft.id, "widgets.test_page",
        "no canonical: the id comes from the file name"
    );
    assert_eq!(imported.draft.response, DraftResponse::Unknown);
    let (api, yaml) = load(&imported);
    assert!(
        yaml.contains("path_params:\n      widget_id: { type: string }"),
        "{yaml}"
    );
    assert!(
        yaml.contains("description: The docs do not show the response."),
        "{yaml}"
    );
    assert_eq!(operation(&api).response.data, Type::Any);
}

#[test]
fn a_cut_example_is_reported_and_used_for_what_it_shows() {
    let imported = import(
        r#"<!-- completeness: partial -->
# GET /widgets — List Widgets

**Response (200)** — List Widgets:

```json
{
    "status": "success",
    "message": "Widgets",
    "data": [
        {
            "id": "a",
            "meta": {
                "size": 1,
                "colour": "re
```

<!-- not recovered: remainder of the response example -->
"#,
    );
    assert_eq!(
        kinds(&imported),
        [
            (2, NoteKind::Reconciled),
            (15, NoteKind::Truncated),
            (18, NoteKind::NotRecovered)
        ]
    );
    assert!(
        imported.notes[1]
            .diagnostic
            .message
            .contains("cut off at line 15")
    );
    assert!(imported.draft.example_response.is_none());
    let DraftResponse::Known {
        envelope,
        data: Some(data),
    } = &imported.draft.response
    else {
        panic!("a known response: {:?}", imported.draft.response)
    };
    assert_eq!(*envelope, Envelope::Data);
    let Ty::Array(items) = &data.ty else {
        panic!("an array")
    };
    assert!(!items.complete);
    let (_, yaml) = load(&imported);
    assert!(yaml.contains("The docs' example is cut off here"), "{yaml}");
    assert!(!yaml.contains("examples:"), "{yaml}");
}

#[test]
fn a_commented_example_is_read_without_its_comments() {
    let imported = import(
        r#"# POST /invoices/create-metered/{{subscription_id}} — Create Metered Invoice

**Path parameters:**

| Name | Type | Required | Description |
|------|------|----------|-------------|
| subscription_id | string | Yes |  |

**Example request body:**

```json
{
    "amount": 200, //Invoice amount
    "invoice_date":"2023-01-22" // Optional
}
```

**Response (200)** — Create Metered Invoice:

```json
{"status": "success", "message": "Invoice cancelled"}
```
"#,
    );
    assert_eq!(
        kinds(&imported),
        [
            (1, NoteKind::Reconciled),
            (12, NoteKind::Reconciled),
            (13, NoteKind::Comments)
        ]
    );
    assert!(
        imported.notes[2].diagnostic.message.contains("13, 14"),
        "{}",
        imported.notes[2]
    );
    assert_eq!(
        imported.draft.example_request.as_deref(),
        Some(r#"{"amount": 200, "invoice_date": "2023-01-22"}"#)
    );
    let (api, _) = load(&imported);
    let op = operation(&api);
    assert_eq!(op.response.envelope, Envelope::Message);
    assert_eq!(op.response.data, Type::Unit);
    let body = &op.request.as_ref().expect("a body from the example").fields;
    assert_eq!(body[1].ty, Type::Scalar(Scalar::Date));
}

#[test]
fn an_example_that_is_not_json_is_ignored_with_a_note() {
    let imported = import(
        "# POST /a — A

**Body parameters:**

| Name | Type | Required | Description |
|------|------|----------|-------------|
| id | string | Yes |  |

**Example request body:**

```json
{\"id\": {{customer_id}}}
```
",
    );
    assert!(
        kinds(&imported).contains(&(12, NoteKind::Unusable)),
        "{:?}",
        imported.notes
    );
    assert!(imported.draft.example_request.is_none());
    load(&imported);
}

#[test]
fn placeholders_become_path_parameters() {
    let imported = import(
        "# GET /scheduledchanges/{{suscription_id}}/{{item}} — Get Scheduled

**Path parameters:**

| Name | Type | Required | Description |
|------|------|----------|-------------|
| suscription_id | string | Yes |  |
| stray | string | Yes |  |
",
    );
    assert_eq!(
        imported.draft.path,
        "/scheduledchanges/{suscription_id}/{item}"
    );
    let names: Vec<_> = imported
        .draft
        .path_params
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["suscription_id", "item"]);
    assert_eq!(
        kinds(&imported),
        [
            (1, NoteKind::Reconciled),
            (1, NoteKind::Reconciled),
            (1, NoteKind::NoResponse),
            (8, NoteKind::Skipped)
        ]
    );
    load(&imported);
    let error = import_page("# GET /a/{{customer-id}} — A\n", "x.md").expect_err("not a name");
    assert_eq!((error.file.as_str(), error.position.line), ("x.md", 1));
}

#[test]
fn a_resource_the_spec_has_never_seen() {
    let imported = import(
        "# GET /gadgets/{{gadget_id}}/parts — List Gadget Parts

> Canonical: `/subscription-billing/gadget-parts/list-gadget-parts`

**Response (200)** — List Gadget Parts:

```json
[{\"part\": \"x\", \"count\": 2}, {\"part\": \"y\", \"count\": 3, \"note\": null}]
```
",
    );
    assert_eq!(imported.draft.id, "gadget_parts.list");
    let (api, _) = load(&imported);
    assert_eq!(api.resources[0].module, "gadget_parts");
    assert_eq!(operation(&api).response.envelope, Envelope::Bare);
}

#[test]
fn tables_fit_the_example_and_mixed_parameters_are_kept() {
    let imported = import(
        r#"# POST /subscription/{{subscription_id}}/update_charges — Update Charges

**Query parameters:**

| Name | Type | Required | Description |
|------|------|----------|-------------|
| dry_run | boolean | No |  |

**Body parameters:**

| Name | Type | Required | Description |
|------|------|----------|-------------|
| plan_id | string | Yes |  |
| quantity | string | No |  |
| addons | string | No |  |

**Example request body:**

```json
{"plan_id": "p", "quantity": 2, "addons": [{"id": "a", "quantity": 1}], "extra": "x"}
```

**Response (200)** — Update Charges:

```json
{"status": "success", "message": [{"id": "t1", "amount": 10}]}
```
"#,
    );
    let (api, yaml) = load_yaml(&imported);
    assert!(
        yaml.contains("    # query:\n    #   dry_run: { type: boolean }"),
        "{yaml}"
    );
    // The commented-out query parameter is the one thing the spec cannot hold.
    let drift = compare(&api, operation(&api), &imported.draft);
    assert_eq!(drift.len(), 1, "{drift:?}");
    assert_eq!(
        drift[0].to_string(),
        "query.dry_run: added in the docs (boolean, optional)"
    );
    let body = &operation(&api).request.as_ref().expect("the body").fields;
    let names: Vec<_> = body
        .iter()
        .map(|f| (f.wire_name.as_str(), f.ty.clone()))
        .collect();
    assert_eq!(names[1], ("quantity", Type::Lenient(Scalar::String)));
    assert!(matches!(names[2].1, Type::Array(_)));
    assert_eq!(names[3].0, "extra");
    assert_eq!(operation(&api).response.envelope, Envelope::MessageList);
    let reconciled = imported
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::Reconciled)
        .count();
    assert_eq!(reconciled, 6, "{:#?}", imported.notes);
}

#[test]
fn malformed_pages_are_errors_naming_file_and_line() {
    let error = import_page("Some text\n", "docs/a.md").expect_err("no heading");
    assert_eq!(
        error.to_string(),
        "docs/a.md:1: no `# METHOD /path — Title` heading"
    );
    let page = "# GET /a — A\n\n**Query parameters:**\n\n| Name | Type | Required | Description |\n|---|---|---|---|\n| limit | string | No\n";
    let error = import_page(page, "docs/a.md").expect_err("broken row");
    assert_eq!((error.position.line, error.file.as_str()), (7, "docs/a.md"));
}

#[test]
fn clashing_rust_names_get_a_rust_name() {
    let imported = import(
        r#"# GET /a — A

**Response (200)** — A:

```json
{"status": "success", "message": "m", "data": {"createdAt": "2020-03-04T07:19:13.685Z", "created_at": "2020-03-04T07:19:13.685Z"}}
```
"#,
    );
    let (_, yaml) = load(&imported);
    assert!(yaml.contains("rust_name: created_at_2"), "{yaml}");
    assert_eq!(
        kinds(&imported),
        [(1, NoteKind::Reconciled), (1, NoteKind::Structure)]
    );
}

fn import_as(page: &str, file: &str) -> Imported {
    match import_page(page, file) {
        Ok(imported) => imported,
        Err(error) => panic!("{error}"),
    }
}

/// A page of the `gizmos` section at `/gizmos/…` with these tables and examples.
fn gizmo_page(method: &str, path: &str, title: &str, slug: &str, rest: &str) -> String {
    format!(
        "<!-- completeness: full -->\n# {method} {path} — {title}\n\n> Canonical: `/subscription-billing/gizmos/{slug}`\n\n{rest}"
    )
}

#[test]
fn ids_do_not_repeat_the_resource() {
    let cases = [
        ("create-gizmo", "gizmos.create"),
        ("get-single-gizmo", "gizmos.get"),
        ("list-all-gizmos", "gizmos.list"),
        ("delete-gizmo-code", "gizmos.delete_code"),
        ("get-gizmo-codes", "gizmos.get_codes"),
        ("list-all-plans-by-gizmo", "gizmos.list_all_plans_by_gizmo"),
        ("gizmos", "gizmos.gizmos"),
    ];
    for (slug, id) in cases {
        let page = gizmo_page("GET", "/gizmos", "Gizmo", slug, "");
        assert_eq!(import_as(&page, "gizmos__x.md").draft.id, id, "{slug}");
    }
    let page = "# GET /categories — List All Add-on Categories\n\n> Canonical: `/subscription-billing/add-on-category/list-all-add-on-categories`\n";
    assert_eq!(
        import_as(page, "x.md").draft.id,
        "add_on_category.list",
        "a resource of several words, its last one plural"
    );
    let page = "# GET /addons — List All Addons\n\n> Canonical: `/subscription-billing/add-on/list-all-addons`\n";
    assert_eq!(
        import_as(page, "x.md").draft.id,
        "add_on.list",
        "words run together"
    );
}

#[test]
fn page_and_limit_are_integers_with_the_facts_their_prose_states() {
    let page = gizmo_page(
        "GET",
        "/gizmos",
        "List All Gizmos",
        "list-all-gizmos",
        "**Query parameters:**\n\n| Name | Type | Required | Description |\n|------|------|----------|-------------|\n| page | string | No | Page number, starting at 1. |\n| limit | string | No | Page size, an integer: default 50, range 1–100. |\n| status | string | No | e.g. `active`. |\n",
    );
    let imported = import_as(&page, "gizmos__list-all-gizmos.md");
    let query = &imported.draft.query;
    assert_eq!(
        (query[0].name.as_str(), &query[0].schema.ty),
        ("page", &Ty::Integer)
    );
    assert_eq!(query[0].schema.default, None);
    assert_eq!(
        (query[1].name.as_str(), &query[1].schema.ty),
        ("limit", &Ty::Integer)
    );
    assert_eq!(query[1].schema.default, Some(serde_json::json!(50)));
    assert_eq!(
        query[1].schema.description.as_deref(),
        Some("Page size, an integer: default 50, range 1–100.")
    );
    assert_eq!(query[2].schema.ty, Ty::String, "only page and limit");
    assert_eq!(
        query[2].schema.description.as_deref(),
        Some("e.g. `active`."),
        "not cut at the abbreviation"
    );
    assert!(
        imported
            .notes
            .iter()
            .any(|n| n.line() == 10 && n.diagnostic.message.contains("NOTES §5")),
        "{:?}",
        imported.notes
    );
    let (api, _) = load(&imported);
    let request = operation(&api).request.as_ref().expect("query");
    assert_eq!(request.fields[0].ty, Type::Scalar(Scalar::Integer));
}

#[test]
fn descriptions_end_at_the_sentence_not_at_an_abbreviation() {
    use super::params::shorten;
    assert_eq!(
        shorten("Status, e.g. `active`. Other text."),
        Some("Status, e.g. `active`.".to_owned())
    );
    assert_eq!(
        shorten("One code, i.e. a string. More."),
        Some("One code, i.e. a string.".to_owned())
    );
    assert_eq!(shorten("e.g. `active`."), Some("e.g. `active`.".to_owned()));
}

#[test]
fn an_enum_list_ends_with_its_sentence() {
    let page = gizmo_page(
        "POST",
        "/gizmos",
        "Create Gizmo",
        "create-gizmo",
        "**Body parameters:**\n\n| Name | Type | Required | Description |\n|------|------|----------|-------------|\n| kind | string | Yes | One of `paypal`, `free`. Razorpay uses `custom`; others use `connect`. |\n| term | string | No | One of `net0`, `net15`; `net0` when omitted. |\n",
    );
    let imported = import_as(&page, "gizmos__create-gizmo.md");
    assert_eq!(imported.draft.body[0].schema.values, ["paypal", "free"]);
    assert_eq!(imported.draft.body[1].schema.values, ["net0", "net15"]);
}

#[test]
fn label_rows_are_matched_to_the_examples_wire_names() {
    let page = gizmo_page(
        "POST",
        "/gizmos",
        "Create Gizmo",
        "create-gizmo",
        "**Body parameters:**\n\n| Name | Type | Required | Description |\n|------|------|----------|-------------|\n| name | string | Yes | Gizmo name. |\n| plan_id | string | No |  |\n| Plan ID | string | Yes | Plan the gizmo is for (row name as listed; it appears to describe `plan_id`). |\n| Gizmo Codes | string | No | Codes to hand out. |\n| Card Details | object | No | Not a field of the example. |\n\n**Example request body:**\n\n```json\n{\"name\": \"G\", \"plan_id\": \"5fa102de8a9cd93f37cd768f\", \"gizmo_codes\": \"A\\nB\"}\n```\n",
    );
    let imported = import_as(&page, "gizmos__create-gizmo.md");
    let body = &imported.draft.body;
    let names: Vec<_> = body.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["name", "plan_id", "gizmo_codes"]);
    assert_eq!(
        body[1].schema.description.as_deref(),
        Some("Plan the gizmo is for."),
        "the label's description, without its remark about the row"
    );
    assert_eq!(body[1].required, Some(false), "the wire row's flag counts");
    assert_eq!(
        body[2].schema.description.as_deref(),
        Some("Codes to hand out.")
    );
    let notes: Vec<_> = imported
        .notes
        .iter()
        .filter(|n| n.kind != NoteKind::NoResponse)
        .map(|n| {
            (
                n.line(),
                n.kind,
                n.diagnostic.message.contains("which counts"),
            )
        })
        .collect();
    assert_eq!(
        notes,
        [
            (12, NoteKind::Reconciled, true),
            (13, NoteKind::Reconciled, false),
            (14, NoteKind::Skipped, false),
        ]
    );
    let (api, _) = load(&imported);
    assert!(
        operation(&api).example_request.is_some(),
        "the example fits"
    );
}

#[test]
fn secondary_sources_keep_yes_and_doubt_no() {
    let page = gizmo_page(
        "POST",
        "/gizmos",
        "Create Gizmo",
        "create-gizmo",
        "<!-- parameters from secondary sources -->\n\n**Body parameters:**\n\n| Name | Type | Required | Description |\n|------|------|----------|-------------|\n| name | string | Yes |  |\n| colour | string | No |  |\n",
    );
    let imported = import_as(&page, "gizmos__create-gizmo.md");
    let flags: Vec<_> = imported.draft.body.iter().map(|f| f.required).collect();
    assert_eq!(flags, [Some(true), None]);
    assert!(kinds(&imported).contains(&(10, NoteKind::RequiredUnknown)));
}

#[test]
fn an_object_several_pages_repeat_becomes_one_named_type() {
    let response = |fields: &str| {
        format!(
            "**Response (200)** — X:\n\n```json\n{{\"status\": \"success\", \"message\": \"ok\", \"data\": {{{fields}}}}}\n```\n"
        )
    };
    let create = gizmo_page(
        "POST",
        "/gizmos",
        "Create Gizmo",
        "create-gizmo",
        &response(
            r#""id": "601251d87948fe7864c0af15", "name": "G", "codes": [{"code": "A", "used": "no"}]"#,
        ),
    );
    let delete = gizmo_page(
        "DELETE",
        "/gizmos/{{gizmo_id}}",
        "Delete Gizmo",
        "delete-gizmo",
        &response(
            r#""id": "601251d87948fe7864c0af15", "name": "G", "user_id": "5d3041850f26256feb47242e", "codes": [{"code": "B", "used": "yes"}]"#,
        ),
    );
    let other = gizmo_page(
        "GET",
        "/gizmos/{{gizmo_id}}/stats",
        "Gizmo Stats",
        "gizmo-stats",
        &response(r#""id": 7, "count": 2"#),
    );
    let drafts: Vec<_> = [(&create, "c.md"), (&delete, "d.md"), (&other, "o.md")]
        .iter()
        .map(|(page, file)| import_as(page, file).draft)
        .collect();
    let yaml = super::to_spec_yaml(drafts.clone());
    let mut hoisted = drafts.clone();
    let types = super::hoist(&mut hoisted);
    assert_eq!(
        hoisted[0].overrides,
        [(
            "response.data.user_id".to_owned(),
            "Shared Gizmo type: the field is shown on other pages.".to_owned()
        )],
        "the page that does not show a shared field records why the spec has it"
    );
    let names: Vec<_> = types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Gizmo"], "the codes go with their gizmo: {yaml}");
    let Ty::Object(fields) = &types[0].schema.ty else {
        panic!("an object")
    };
    let flags: Vec<_> = fields
        .iter()
        .map(|f| (f.name.as_str(), f.required))
        .collect();
    assert_eq!(
        flags,
        [
            ("id", Some(true)),
            ("name", Some(true)),
            ("codes", Some(true)),
            ("user_id", Some(false))
        ],
        "required only where every page has it"
    );
    let Ty::Array(codes) = &fields[2].schema.ty else {
        panic!("an array")
    };
    let Ty::Object(code) = &codes.ty else {
        panic!("objects")
    };
    assert_eq!(code.len(), 2, "the codes go with their gizmo, merged");
    for draft in &hoisted[..2] {
        let DraftResponse::Known {
            data: Some(data), ..
        } = &draft.response
        else {
            panic!("data")
        };
        assert_eq!(data.ty, Ty::Named("Gizmo".to_owned()));
    }
    let DraftResponse::Known {
        data: Some(stats), ..
    } = &hoisted[2].response
    else {
        panic!("data")
    };
    assert!(
        matches!(stats.ty, Ty::Object(_)),
        "an object that disagrees stays inline"
    );
    // What `import` prints loads as a spec, the types under `types:`.
    let (types_part, operations_part) = yaml
        .split_once("# under `operations:`\n")
        .expect("both parts");
    let spec = format!(
        "{}types:\n{types_part}operations:\n{operations_part}",
        HEADER.trim_end_matches("operations:\n")
    );
    let api = match pabbly_spec::load_str(&spec, "hoisted.yaml") {
        Ok(api) => api,
        Err(diagnostics) => panic!("{diagnostics}\n{spec}"),
    };
    assert_eq!(api.operations().count(), 3);
    assert!(api.models.iter().any(|t| t.name == "Gizmo"));
    for (op, page) in api.operations().zip(&drafts) {
        assert_eq!(
            compare(&api, op, page),
            [],
            "{} drifts from its page",
            op.id
        );
    }
}
