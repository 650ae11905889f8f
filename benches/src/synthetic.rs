//! Synthetic specs of any size, written as YAML text the way `spec/pabbly.yaml` is written.
//!
//! Operations come in resources of six, cycling through a realistic mix: a paginated list with
//! query filters, a read with a path parameter, a create whose body nests objects and arrays of
//! objects, an update, a delete answered with a message, and a sub-list under two path
//! parameters (one an integer) answered in the `message-list` envelope. Every resource has its
//! own model and open enum; all of them share `Address`, `Money` and `Currency`. Reads and
//! creates carry example responses and requests, which the loader checks against the types.

use std::fmt::Write as _;

/// Operations per resource; a spec of `n` operations has `n.div_ceil(6)` resources.
pub const OPERATIONS_PER_RESOURCE: usize = 6;

/// The YAML text of a valid spec with exactly `operations` operations.
///
/// ```
/// let text = pabbly_benches::synthetic::spec(10);
/// let api = pabbly_spec::load_str(&text, "synthetic.yaml").expect("a valid spec");
/// assert_eq!(api.operations().count(), 10);
/// ```
pub fn spec(operations: usize) -> String {
    let resources = operations.div_ceil(OPERATIONS_PER_RESOURCE);
    let mut out = String::with_capacity(operations * 4096);
    out.push_str(HEADER);
    for r in 0..resources {
        resource_types(&mut out, r);
    }
    out.push_str("\noperations:\n");
    for k in 0..operations {
        let r = k / OPERATIONS_PER_RESOURCE;
        match k % OPERATIONS_PER_RESOURCE {
            0 => list(&mut out, r),
            1 => get(&mut out, r),
            2 => create(&mut out, r),
            3 => update(&mut out, r),
            4 => delete(&mut out, r),
            _ => history(&mut out, r),
        }
    }
    out
}

const HEADER: &str = r#"# A synthetic spec for benchmarks, written by pabbly-benches (src/synthetic.rs).
spec_version: 1

api:
  title: Synthetic
  version: v1
  description: A generated API of many resources, shaped like Pabbly's.
  base_url: https://payments.pabbly.com/api/v1
  auth: basic
  docs: https://www.pabbly.com/subscriptions/api/

types:
  Currency:
    type: string
    enum: [usd, eur, gbp, inr, aud]
    description: An ISO 4217 currency code, lowercase.
  Money:
    type: object
    description: An amount in a currency.
    fields:
      amount:
        type: number
        lenient: true
        required: true
        description: The amount in major units; Pabbly sends it as a number or a string.
      currency:
        type: Currency
        required: true
        description: The currency of `amount`.
  Address:
    type: object
    description: A postal address.
    fields:
      street1: { type: string, description: First line. }
      street2: { type: string, description: Second line. }
      city: { type: string, required: true, description: City or town. }
      state: { type: string, description: State or region. }
      zip_code: { type: string, description: Postal code. }
      country: { type: string, required: true, description: Two-letter country code. }
"#;

fn resource_types(out: &mut String, r: usize) {
    let _ = write!(
        out,
        r#"  Thing{r}Status:
    type: string
    enum: [active, trial, paused, cancelled, expired]
    description: The state of a thing of resource {r}.
  Thing{r}:
    type: object
    description: One thing of resource {r}, as every operation of the resource answers it.
    fields:
      id:
        type: string
        required: true
        description: The thing's id.
      name:
        type: string
        required: true
        description: Its display name.
      status:
        type: Thing{r}Status
        required: true
        description: Its state.
      price:
        type: Money
        description: What it costs per period.
      address:
        type: Address
        nullable: true
        description: Where it is billed.
      tags:
        type: array
        items: {{ type: string }}
        description: Free-form labels.
      custom_fields:
        type: map
        values: {{ type: any }}
        description: Merchant-defined fields, keyed by name.
      limits:
        type: object
        description: Usage limits.
        fields:
          seats: {{ type: integer, lenient: true, description: Seats included. }}
          storage_gb: {{ type: number, description: "Storage included, in GB." }}
      active:
        type: boolean
        lenient: true
        required: true
        description: Whether it can be used.
      trial_ends_on:
        type: date
        nullable: true
        description: The last day of the trial.
      createdAt:
        type: date-time
        required: true
        description: When it was created.
      updatedAt:
        type: date-time
        description: When it last changed.
"#
    );
}

fn list(out: &mut String, r: usize) {
    let _ = write!(
        out,
        r#"  - id: thing{r}.list
    method: GET
    path: /things{r}
    summary: Lists the things of resource {r}, a page at a time.
    description: >-
      Newest first. Filters combine: only things matching all of them are returned.
    query:
      page: {{ type: integer, description: "Page number, from 1." }}
      limit: {{ type: integer, default: 50, description: "Page size, 1 to 100." }}
      status: {{ type: Thing{r}Status, description: Only things in this state. }}
      email: {{ type: string, format: email, description: Only things of this customer. }}
      created_after: {{ type: date, description: Only things created after this day. }}
    response:
      envelope: data
      data: {{ type: array, items: {{ type: Thing{r} }} }}
    examples:
      request: {{"page": 1, "limit": 10, "status": "active"}}
"#
    );
}

fn get(out: &mut String, r: usize) {
    let _ = write!(
        out,
        r#"  - id: thing{r}.get
    method: GET
    path: /thing{r}/{{thing_id}}
    summary: Reads one thing of resource {r}.
    path_params:
      thing_id: {{ type: string, description: The thing's id. }}
    response:
      data: {{ type: Thing{r} }}
    examples:
      response:
        {{
          "status": "success",
          "message": "Thing details",
          "data": {{
            "id": "5e5f56717c5aeb3675f416d1",
            "name": "Gold plan",
            "status": "active",
            "price": {{ "amount": "19.99", "currency": "usd" }},
            "address": {{ "city": "Bhopal", "country": "IN", "zip_code": "462001" }},
            "tags": ["annual", "promo"],
            "custom_fields": {{ "source": "import", "score": 3 }},
            "limits": {{ "seats": "5", "storage_gb": 10.5 }},
            "active": "true",
            "trial_ends_on": "",
            "createdAt": "2020-03-04T07:19:13.685Z",
            "updatedAt": "2020-03-04T07:19:13.685Z"
          }}
        }}
"#
    );
}

fn create(out: &mut String, r: usize) {
    let _ = write!(
        out,
        r#"  - id: thing{r}.create
    method: POST
    path: /thing{r}
    summary: Creates a thing of resource {r}.
    body:
      name: {{ type: string, required: true, description: Its display name. }}
      currency: {{ type: Currency, required: true, description: The billing currency. }}
      amount: {{ type: number, description: The price per period. }}
      address: {{ type: Address, description: Where it is billed. }}
      options:
        type: object
        description: How to notify the customer.
        fields:
          notify: {{ type: boolean, description: Whether to send an email. }}
          channels:
            type: array
            items: {{ type: string, enum: [email, sms, webhook] }}
            description: Where to send notifications.
      items:
        type: array
        description: The line items.
        items:
          type: object
          fields:
            sku: {{ type: string, required: true, description: The product code. }}
            quantity: {{ type: integer, required: true, description: How many. }}
    response:
      data: {{ type: Thing{r} }}
    examples:
      request:
        {{
          "name": "Gold plan",
          "currency": "usd",
          "amount": 19.99,
          "options": {{ "notify": true, "channels": ["email"] }},
          "items": [{{ "sku": "A-1", "quantity": 2 }}]
        }}
"#
    );
}

fn update(out: &mut String, r: usize) {
    let _ = write!(
        out,
        r#"  - id: thing{r}.update
    method: PUT
    path: /thing{r}/{{thing_id}}
    summary: Changes a thing of resource {r}.
    path_params:
      thing_id: {{ type: string, description: The thing's id. }}
    body:
      name: {{ type: string, description: A new display name. }}
      status: {{ type: Thing{r}Status, description: A new state. }}
      custom_fields:
        type: map
        values: {{ type: string }}
        description: Fields to set, keyed by name.
    response:
      data: {{ type: Thing{r} }}
"#
    );
}

fn delete(out: &mut String, r: usize) {
    let _ = write!(
        out,
        r#"  - id: thing{r}.delete
    method: DELETE
    path: /thing{r}/{{thing_id}}
    summary: Deletes a thing of resource {r}.
    path_params:
      thing_id: {{ type: string, description: The thing's id. }}
    response:
      envelope: message
    examples:
      response: {{"status": "success", "message": "Thing deleted"}}
"#
    );
}

fn history(out: &mut String, r: usize) {
    let _ = write!(
        out,
        r#"  - id: thing{r}.history
    method: GET
    path: /thing{r}/{{thing_id}}/history/{{page_no}}
    summary: Lists what happened to a thing of resource {r}.
    path_params:
      thing_id: {{ type: string, description: The thing's id. }}
      page_no: {{ type: integer, description: "Page number, from 1." }}
    response:
      envelope: message-list
      data:
        type: array
        items:
          type: object
          fields:
            at: {{ type: date-time, required: true, description: When it happened. }}
            event:
              type: string
              enum: [created, renewed, upgraded, cancelled]
              required: true
              description: What happened.
            amount: {{ type: Money, description: "The amount charged, if any." }}
"#
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_size_loads_with_exactly_n_operations() {
        for n in [1, 6, 10, 13, 100] {
            let text = spec(n);
            let api = match pabbly_spec::load_str(&text, "synthetic.yaml") {
                Ok(api) => api,
                Err(diagnostics) => panic!("n = {n}:\n{diagnostics}"),
            };
            assert_eq!(api.operations().count(), n);
            assert_eq!(api.resources.len(), n.div_ceil(OPERATIONS_PER_RESOURCE));
        }
    }

    #[test]
    fn the_mix_has_every_feature() {
        let api = pabbly_spec::load_str(&spec(6), "synthetic.yaml").expect("valid");
        let ops: Vec<_> = api.operations().collect();
        assert!(ops.iter().any(|op| op.pagination().is_some()));
        assert!(ops.iter().any(|op| op.path_params.len() == 2));
        assert!(ops.iter().any(|op| op.example_response.is_some()));
        assert!(ops.iter().any(|op| op.example_request.is_some()));
        assert!(api.models.len() >= 5, "{:?}", api.models);
    }
}
