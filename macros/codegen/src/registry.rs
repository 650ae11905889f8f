//! The hidden `__operations` table: every operation callable with JSON input (see
//! `pabbly::__private::Case`), for the table-driven wire test over the whole spec.

use pabbly_spec::ir::{Api, Operation, Resource, Scalar, Type, TypeDef, TypeKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

pub(crate) fn expand(api: &Api) -> TokenStream {
    let mut entries = Vec::new();
    let mut functions = Vec::new();
    for resource in &api.resources {
        for op in &resource.operations {
            let function = format_ident!("{}", op.registry_name);
            let id = &op.id;
            let request_json = match &op.request {
                Some(request) => {
                    let module = format_ident!("{}", resource.module);
                    let name = format_ident!("{}", request.type_name);
                    quote! {
                        Some(
                            rt::reserialize::<super::#module::#name>
                        )
                    }
                }
                None => quote! { None },
            };
            entries.push(quote! {
                rt::Case { id: #id, call: #function, request_json: #request_json }
            });
            functions.push(case_function(&function, resource, op));
        }
    }
    let secretive = secretive_types(api);
    quote! {
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
fn secretive_types(api: &Api) -> Vec<TokenStream> {
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
            let module = format_ident!("{module}");
            let name = format_ident!("{name}");
            quote! { (#label, rt::debug_of::<super::#module::#name>) }
        })
        .collect()
}

fn case_function(
    function: &proc_macro2::Ident,
    resource: &Resource,
    op: &Operation,
) -> TokenStream {
    let module = format_ident!("{}", resource.module);
    let action = format_ident!("{}", op.action);
    let mut args = Vec::new();
    for (index, field) in op.path_params.iter().enumerate() {
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        args.push(if field.ty == Type::Scalar(Scalar::Integer) {
            quote! { input.path_integer(#index)? }
        } else {
            quote! { input.path(#index)? }
        });
    }
    let request = op.request.as_ref().map(|request| {
        let name = format_ident!("{}", request.type_name);
        args.push(quote! { &request });
        quote! { let request: super::#module::#name = input.request()?; }
    });
    quote! {
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
