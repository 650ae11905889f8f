//! A resource module: its handle type, one async method per operation, and the request types.

use crate::rust::Rust;
use pabbly_rust_text::rust;
use pabbly_spec::ir::{
    Envelope, Format, Method, Operation, ParamLocation, PathSegment, Request, Resource, Scalar,
    Type, TypeDef, Usage,
};

use crate::Options;
use crate::docs;
use crate::examples;
use crate::models::{self, Impls};
use crate::types::{self, Site};

/// Which client a method is generated for; its docs differ only where the call does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// `Client`: `async` methods and `Pages` streams.
    Async,
    /// `blocking::Client`: the same calls, returning when done, and page iterators.
    Blocking,
}

/// With the blocking client (`options.blocking`) the operation statics are `pub(crate)`, for
/// the blocking twin to name.
pub(crate) fn expand_resource(
    resource: &Resource,
    models: &[TypeDef],
    options: Options<'_>,
) -> Rust {
    let krate = options.crate_name;
    let shared_statics = options.blocking;
    let module = Rust::ident(&resource.module);
    let handle = Rust::ident(&resource.handle);
    let module_doc = format!(" Operations on {}.", resource.module.replace('_', " "));
    let handle_doc = format!(
        " The {} operations, borrowed from a [`Client`](super::Client).",
        resource.module.replace('_', " ")
    );
    let statics = resource
        .operations
        .iter()
        .map(|op| expand_static(op, shared_statics));
    let methods = resource.operations.iter().map(|op| {
        expand_method(
            op,
            krate.and_then(|k| examples::method_example(k, models, resource, op, Flavor::Async)),
        )
    });
    let requests = resource.operations.iter().filter_map(|op| {
        op.request
            .as_ref()
            .map(|request| expand_request(op, request, &resource.handle, options))
    });
    let hoisted = resource
        .types
        .iter()
        .map(|def| models::expand_type(def, Site::Resource, options.operation_registry));
    rust! {
        #[doc = #module_doc]
        pub mod #module {
            use ::pabbly::__private as rt;

            #[doc = #handle_doc]
            #[derive(Clone, Copy, Debug)]
            pub struct #handle<'a> {
                pub(super) runtime: &'a rt::Runtime,
            }

            impl #handle<'_> {
                #(#methods)*
            }

            #(#statics)*
            #(#requests)*
            #(#hoisted)*
        }
    }
}

/// The operation's description for the runtime, as a module-level static.
fn expand_static(op: &Operation, shared: bool) -> Rust {
    let vis = shared.then(|| rust! { pub(crate) });
    let name = static_name(op);
    let doc = format!(" `{} {}`", op.method.as_str(), op.path);
    let id = &op.id;
    let path = op.path.to_string();
    let method = Rust::ident(method_variant(op.method));
    let envelope = Rust::ident(envelope_variant(op.response.envelope));
    let root = if op.root.is_base() {
        rust! { rt::Root::BASE }
    } else {
        let up = Rust::unsuffixed(op.root.up);
        let then = &op.root.then;
        rust! { rt::Root { up: #up, then: &[#(#then),*] } }
    };
    let list = matches!(op.response.data, Type::Array(_));
    let url_fields = op
        .request
        .iter()
        .flat_map(|r| &r.fields)
        .filter(|f| f.format == Some(Format::Url))
        .map(|f| f.wire_name.as_str());
    let bounds = op
        .request
        .iter()
        .flat_map(|r| &r.fields)
        .filter(|f| f.range.is_bounded())
        .map(|f| {
            let field = &f.wire_name;
            let min = option_literal(f.range.min);
            let max = option_literal(f.range.max);
            rust! { rt::Bounds { field: #field, min: #min, max: #max } }
        });
    let repeat_safe = op.repeat_safe.safe;
    rust! {
        #[doc = #doc]
        #vis static #name: rt::Operation = rt::Operation {
            id: #id,
            method: rt::Method::#method,
            path: #path,
            root: #root,
            envelope: rt::Envelope::#envelope,
            list: #list,
            url_fields: &[#(#url_fields),*],
            bounds: &[#(#bounds),*],
            repeat_safe: #repeat_safe,
        };
    }
}

fn option_literal(value: Option<i64>) -> Rust {
    match value {
        Some(value) => {
            let value = Rust::unsuffixed(value);
            rust! { Some(#value) }
        }
        None => rust! { None },
    }
}

pub(crate) fn static_name(op: &Operation) -> Rust {
    Rust::ident(&op.static_name)
}

/// The method's path parameters: its arguments, their conversions to text, and the request
/// path as segments, each parameter's value in its placeholder's place.
pub(crate) struct PathArgs {
    pub(crate) params: Vec<Rust>,
    pub(crate) conversions: Vec<Rust>,
    pub(crate) segments: Vec<Rust>,
}

pub(crate) fn path_args(op: &Operation) -> PathArgs {
    let mut args = PathArgs {
        params: Vec::new(),
        conversions: Vec::new(),
        segments: Vec::new(),
    };
    let mut values = Vec::new();
    for field in &op.path_params {
        let ident = Rust::ident(&field.rust_name);
        if field.ty == Type::Scalar(Scalar::Integer) {
            let text = Rust::ident(&format!("__{}", field.rust_name));
            args.params.push(rust! { #ident: i64 });
            args.conversions
                .push(rust! { let #text = ToString::to_string(&#ident); });
            values.push(rust! { #text.as_str() });
        } else {
            args.params.push(rust! { #ident: &str });
            values.push(rust! { #ident });
        }
    }
    for segment in &op.path.segments {
        args.segments.push(match segment {
            PathSegment::Literal(text) => rust! { rt::Segment::Literal(#text) },
            PathSegment::Param { index, name } => {
                // The model's placeholders index `path_params`, one each.
                let value = &values[*index];
                rust! { rt::Segment::Value(#name, #value) }
            }
        });
    }
    if op.path.trailing_slash {
        args.segments.push(rust! { rt::Segment::Literal("") });
    }
    args
}

fn expand_method(op: &Operation, example: Option<String>) -> Rust {
    let doc = method_doc(op, example);
    let action = Rust::ident(&op.action);
    let operation = static_name(op);
    let data = types::rust_type(&op.response.data, Site::Resource);
    let PathArgs {
        mut params,
        conversions,
        segments,
    } = path_args(op);
    let payload = payload(op, &mut params);
    let all = expand_all_pages(op, Flavor::Async);
    rust! {
        #doc
        pub async fn #action(
            &self,
            #(#params),*
        ) -> Result<::pabbly::Response<#data>, ::pabbly::Error> {
            #(#conversions)*
            self.runtime.execute(&#operation, &[#(#segments),*], #payload).await
        }

        #all
    }
}

/// The request argument (pushed onto `params`) and the payload expression made of it.
pub(crate) fn payload(op: &Operation, params: &mut Vec<Rust>) -> Rust {
    match &op.request {
        Some(request) => {
            let name = Rust::ident(&request.type_name);
            params.push(rust! { request: &#name });
            match request.location {
                ParamLocation::Query => rust! { rt::Payload::Query(request) },
                ParamLocation::Body => rust! { rt::Payload::Json(request) },
            }
        }
        None => rust! { rt::Payload::none() },
    }
}

/// What an `_all` method is made of, for a list taking `page` and `limit`.
struct AllPages {
    name: Rust,
    item: Rust,
    request_type: Rust,
    /// Pabbly's own default page size where the docs state it, else the usual 10.
    default_limit: u64,
}

fn all_pages(op: &Operation) -> Option<AllPages> {
    let stream = op.stream.as_ref()?;
    let (item, limit) = op.pagination()?;
    let request = op.request.as_ref()?;
    // Pabbly's own default page size where the docs state it, else the usual 10.
    let default_limit = limit
        .default
        .as_ref()
        .and_then(|d| {
            d.as_u64()
                .or_else(|| d.as_str().and_then(|s| s.parse().ok()))
        })
        .unwrap_or(10);
    Some(AllPages {
        name: Rust::ident(stream),
        item: types::rust_type(item, Site::Resource),
        request_type: Rust::ident(&request.type_name),
        default_limit,
    })
}

/// The docs of an `_all` method.
fn all_pages_doc(op: &Operation, default_limit: u64, flavor: Flavor) -> Rust {
    let (fetched, max_pages) = match flavor {
        Flavor::Async => ("as the stream is polled", "::pabbly::Pages::max_pages"),
        Flavor::Blocking => (
            "as the iterator is advanced",
            "::pabbly::blocking::Pages::max_pages",
        ),
    };
    docs::paragraphs([
        Some(format!(
            "Every item of [`{}`](Self::{}), fetched page after page {fetched}.",
            op.action, op.action
        )),
        Some(format!(
            "Starts at the request's `page` (default 1) with its `limit` as page size (default {default_limit}); \
             ends after the first page shorter than that, or at [`Pages::max_pages`]({max_pages})."
        )),
    ])
}

/// For a list taking `page` and `limit`: `<action>_all`, every item of every page, as a stream
/// (async) or an iterator (blocking).
pub(crate) fn expand_all_pages(op: &Operation, flavor: Flavor) -> Option<Rust> {
    let AllPages {
        name,
        item,
        request_type,
        default_limit,
    } = all_pages(op)?;
    let default_limit_literal = Rust::unsuffixed(default_limit);
    let operation = static_name(op);
    let PathArgs {
        params,
        conversions,
        segments,
    } = path_args(op);
    let doc = all_pages_doc(op, default_limit, flavor);
    let pages = match flavor {
        Flavor::Async => rust! { ::pabbly::Pages<#item> },
        Flavor::Blocking => rust! { ::pabbly::blocking::Pages<#item> },
    };
    // `#[inline]`: a plain function serializing the request and typing the pages, which would
    // otherwise be compiled into `pabbly` for every list whether a user walks it or not.
    Some(rust! {
        #doc
        #[inline]
        pub fn #name(
            &self,
            #(#params,)*
            request: &#request_type,
        ) -> #pages {
            #(#conversions)*
            self.runtime.pages(&#operation, &[#(#segments),*], request, #default_limit_literal)
        }
    })
}

pub(crate) fn method_doc(op: &Operation, example: Option<String>) -> Rust {
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
        untyped_doc(op),
        Some(repeat_doc(op)),
        link,
        Some(errors),
        example.map(|code| format!("# Example\n\n{code}")),
    ])
}

/// What the docs say about an answer the reference does not describe, and the model to try.
fn untyped_doc(op: &Operation) -> Option<String> {
    let (list, probably) = match &op.response.data {
        Type::Any => (false, op.response.probably.as_ref()),
        Type::Array(item) if **item == Type::Any => (true, op.response.probably.as_ref()),
        _ => return None,
    };
    let what = if list { "each item" } else { "the data" };
    let untyped = format!(
        "# Untyped answer\n\nPabbly's reference does not document the shape of this answer, so {what} \
         is untyped JSON."
    );
    let hint = probably.map(|model| {
        let target = if list {
            format!("Vec<models::{}>", model.name)
        } else {
            format!("models::{}", model.name)
        };
        format!(
            " It is probably a [`models::{name}`](super::models::{name}): \
             `response.decode::<{target}>()` (see [`Response::decode`](::pabbly::Response::decode)) \
             turns it into one, and fields the model does not list stay readable in its `extra`.",
            name = model.name
        )
    });
    Some(untyped + &hint.unwrap_or_else(|| {
        " Decode it with [`Response::decode`](::pabbly::Response::decode) into a type of your own.".to_owned()
    }))
}

/// Whether a failed attempt is sent again, and why.
fn repeat_doc(op: &Operation) -> String {
    let safety = &op.repeat_safe;
    let because = safety
        .reason
        .as_ref()
        .map(|reason| format!(" {reason}"))
        .unwrap_or_default();
    if safety.safe {
        format!(
            "Safe to repeat: a failed attempt is retried as [`RequestOptions`](::pabbly::RequestOptions) allow.{because}"
        )
    } else {
        format!(
            "Not safe to repeat: once the request may have reached Pabbly it is not sent again \
             unless [`RequestOptions::retry_unsafe`](::pabbly::RequestOptions::retry_unsafe) is set.{because}"
        )
    }
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
fn expand_request(op: &Operation, request: &Request, handle: &str, options: Options<'_>) -> Rust {
    let where_ = match request.location {
        ParamLocation::Query => "Query parameters",
        ParamLocation::Body => "Body",
    };
    let doc = docs::lines(&format!("{where_} of [`{handle}::{}`].", op.action));
    let impls = Impls::new(Usage::SENT, options.operation_registry);
    models::expand_struct(
        &request.type_name,
        &doc,
        &request.fields,
        Site::Resource,
        impls,
    )
}
