//! A resource module: its handle type, one async method per operation, and the request types.

use pabbly_spec::ir::{
    Envelope, Method, Operation, ParamLocation, Request, Resource, Scalar, Type,
};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::docs;
use crate::examples;
use crate::models;
use crate::types::{self, Site};

pub(crate) fn expand_resource(resource: &Resource, krate: Option<&str>) -> TokenStream {
    let module = format_ident!("{}", resource.module);
    let handle = format_ident!("{}", resource.handle);
    let module_doc = format!(" Operations on {}.", resource.module.replace('_', " "));
    let handle_doc = format!(
        " The {} operations, borrowed from a [`Client`](super::Client).",
        resource.module.replace('_', " ")
    );
    let methods = resource.operations.iter().map(|op| {
        expand_method(
            op,
            krate.and_then(|k| examples::method_example(k, resource, op)),
        )
    });
    let requests = resource.operations.iter().filter_map(|op| {
        op.request
            .as_ref()
            .map(|request| expand_request(op, request, &resource.handle))
    });
    let hoisted = resource
        .types
        .iter()
        .map(|def| models::expand_type(def, Site::Resource));
    quote! {
        #[doc = #module_doc]
        pub mod #module {
            #[doc = #handle_doc]
            #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
            pub struct #handle<'a> {
                pub(super) runtime: &'a ::pabbly::__private::Runtime,
            }

            impl #handle<'_> {
                #(#methods)*
            }

            #(#requests)*
            #(#hoisted)*
        }
    }
}

fn expand_method(op: &Operation, example: Option<String>) -> TokenStream {
    let doc = method_doc(op, example);
    let action = format_ident!("{}", op.action);
    let id = &op.id;
    let path = &op.path;
    let method = format_ident!("{}", method_variant(op.method));
    let envelope = format_ident!("{}", envelope_variant(op.response.envelope));
    let data = types::rust_type(&op.response.data, Site::Resource);

    let mut params = Vec::new();
    let mut conversions = Vec::new();
    let mut values = Vec::new();
    for field in &op.path_params {
        let ident = format_ident!("{}", field.rust_name);
        if field.ty == Type::Scalar(Scalar::Integer) {
            let text = format_ident!("__{}", field.rust_name);
            params.push(quote! { #ident: i64 });
            conversions.push(quote! { let #text = ::std::string::ToString::to_string(&#ident); });
            values.push(quote! { #text.as_str() });
        } else {
            params.push(quote! { #ident: &str });
            values.push(quote! { #ident });
        }
    }
    let payload = match &op.request {
        Some(request) => {
            let name = format_ident!("{}", request.type_name);
            params.push(quote! { request: &#name });
            match request.location {
                ParamLocation::Query => quote! { ::pabbly::__private::Payload::Query(request) },
                ParamLocation::Body => quote! { ::pabbly::__private::Payload::Json(request) },
            }
        }
        None => quote! { ::pabbly::__private::Payload::<()>::None },
    };
    quote! {
        #doc
        pub async fn #action(
            &self,
            #(#params),*
        ) -> ::core::result::Result<::pabbly::Response<#data>, ::pabbly::Error> {
            static OPERATION: ::pabbly::__private::Operation = ::pabbly::__private::Operation {
                id: #id,
                method: ::pabbly::__private::Method::#method,
                path: #path,
                envelope: ::pabbly::__private::Envelope::#envelope,
            };
            #(#conversions)*
            self.runtime.execute(&OPERATION, &[#(#values),*], #payload).await
        }
    }
}

fn method_doc(op: &Operation, example: Option<String>) -> TokenStream {
    let sends = format!("Sends `{} {}`.", op.method.as_str(), op.path);
    let link = op
        .docs_url
        .as_ref()
        .map(|url| format!("Pabbly's reference: <{url}>"));
    let params = (!op.path_params.is_empty()).then(|| {
        op.path_params
            .iter()
            .map(|p| {
                let about = p.description.as_deref().unwrap_or("path parameter");
                format!("- `{}`: {about}", p.rust_name)
            })
            .collect::<Vec<_>>()
            .join("\n")
    });
    let errors = "# Errors\n\nFails with [`pabbly::Error`](::pabbly::Error) when the request cannot be sent, \
        Pabbly answers with an error (whatever the HTTP status), or the answer does not decode."
        .to_owned();
    docs::paragraphs([
        Some(op.summary.clone()),
        op.description.clone(),
        Some(sends),
        params,
        link,
        Some(errors),
        example.map(|code| format!("# Example\n\n{code}")),
    ])
}

fn method_variant(method: Method) -> &'static str {
    match method {
        Method::Get => "Get",
        Method::Post => "Post",
        Method::Put => "Put",
        Method::Patch => "Patch",
        Method::Delete => "Delete",
    }
}

fn envelope_variant(envelope: Envelope) -> &'static str {
    match envelope {
        Envelope::Data => "Data",
        Envelope::Message => "MessageOnly",
        Envelope::MessageList => "MessageList",
        Envelope::Bare => "Bare",
    }
}

/// The request type: a struct like any other, documented as the operation's parameters.
fn expand_request(op: &Operation, request: &Request, handle: &str) -> TokenStream {
    let where_ = match request.location {
        ParamLocation::Query => "Query parameters",
        ParamLocation::Body => "Body",
    };
    let doc = docs::lines(&format!("{where_} of [`{handle}::{}`].", op.action));
    models::expand_struct(&request.type_name, &doc, &request.fields, Site::Resource)
}
