//! The hidden `__operations` table: every operation callable with JSON input (see
//! `pabbly::__private::Case`), for the table-driven wire test over the whole spec.

use crate::rust::Rust;
use pabbly_rust_text::rust;
use pabbly_spec::ir::{Api, Operation, Resource, Scalar, Type, TypeDef, TypeKind};

pub(crate) fn expand(api: &Api) -> Rust {
    let mut entries = Vec::new();
    let mut functions = Vec::new();
    for resource in &api.resources {
        for op in &resource.operations {
            let function = Rust::ident(&op.registry_name);
            let id = &op.id;
            let request_json = match &op.request {
                Some(request) => {
                    let module = Rust::ident(&resource.module);
                    let name = Rust::ident(&request.type_name);
                    rust! {
                        Some(
                            rt::reserialize::<super::#module::#name>
                        )
                    }
                }
                None => rust! { None },
            };
            entries.push(rust! {
                rt::Case { id: #id, call: #function, request_json: #request_json }
            });
            functions.push(case_function(&function, resource, op));
        }
    }
    let secretive = secretive_types(api);
    rust! {
        /// Every operation, callable with JSON input; for tests, not covered by semver.
        #[doc(hidden)]
        pub mod __operations {
            use ::pabbly::__private as rt;

            /// One entry per operation, in spec order.
            pub static ALL: &[rt::Case<super::Client>] = &[#(#entries),*];

            /// Every type with a `sensitive` field, by `module::Type`, with its `Debug` of a
            /// JSON value: for the test that no secret shows.
            pub static SENSITIVE: &[(&str, rt::DebugOf)] = &[#(#secretive),*];

            #(#functions)*
        }
    }
}

/// `("module::Type", debug_of::<…>)` for every struct with a sensitive field.
fn secretive_types(api: &Api) -> Vec<Rust> {
    let has_secret = |def: &TypeDef| matches!(&def.kind, TypeKind::Struct(fields) if fields.iter().any(|f| f.sensitive));
    let models = api
        .models
        .iter()
        .filter(|def| has_secret(def))
        .map(|def| ("models", &def.name));
    let requests = api.resources.iter().flat_map(|resource| {
        let hoisted = resource
            .types
            .iter()
            .filter(|def| has_secret(def))
            .map(|def| &def.name);
        let requests = resource
            .operations
            .iter()
            .filter_map(|op| op.request.as_ref())
            .filter(|request| request.fields.iter().any(|f| f.sensitive))
            .map(|request| &request.type_name);
        hoisted
            .chain(requests)
            .map(|name| (resource.module.as_str(), name))
    });
    models
        .chain(requests)
        .map(|(module, name)| {
            let label = format!("{module}::{name}");
            let module = Rust::ident(module);
            let name = Rust::ident(name);
            rust! { (#label, rt::debug_of::<super::#module::#name>) }
        })
        .collect()
}

fn case_function(function: &Rust, resource: &Resource, op: &Operation) -> Rust {
    let module = Rust::ident(&resource.module);
    let action = Rust::ident(&op.action);
    let mut args = Vec::new();
    for (index, field) in op.path_params.iter().enumerate() {
        let index = Rust::unsuffixed(index);
        args.push(if field.ty == Type::Scalar(Scalar::Integer) {
            rust! { input.path_integer(#index)? }
        } else {
            rust! { input.path(#index)? }
        });
    }
    let request = op.request.as_ref().map(|request| {
        let name = Rust::ident(&request.type_name);
        args.push(rust! { &request });
        rust! { let request: super::#module::#name = input.request()?; }
    });
    rust! {
        fn #function<'a>(
            client: &'a super::Client,
            input: &'a rt::CaseInput,
        ) -> rt::CaseFuture<'a> {
            Box::pin(async move {
                #request
                let response = client.#module().#action(#(#args),*).await?;
                rt::case_output(response)
            })
        }
    }
}
