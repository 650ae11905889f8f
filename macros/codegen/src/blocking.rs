//! The blocking twin of the API (macro option `blocking`): a `blocking` module holding a
//! `Client` and, per resource, a handle with one synchronous method per operation. The methods
//! take the async API's request types and return the same `Response<T>`; each hands the
//! operation's static to the runtime's `BlockingRuntime`, which runs the async call to
//! completion. Docs come from the same functions as the async methods'.

use crate::rust::Rust;
use pabbly_rust_text::rust;
use pabbly_spec::ir::{Api, Operation, Resource, TypeDef};

use crate::operations::{self, Flavor, PathArgs};
use crate::types::{self, Site};
use crate::{docs, examples};

pub(crate) fn expand(api: &Api, krate: Option<&str>) -> Rust {
    let example = krate.map(|k| {
        format!(
            "# Example\n\n```no_run\n# fn main() -> Result<(), {k}::Error> {{\n\
             let client = {k}::blocking::Client::builder(\"API_KEY\", \"SECRET_KEY\").build()?;\n\
             # let _ = client;\n# Ok(())\n# }}\n```"
        )
    });
    let doc = docs::paragraphs([
        Some(format!(
            "Blocking client for the {} API ({}): the methods of [`Client`](super::Client), \
             returning when the call is done.",
            api.title, api.version
        )),
        Some(
            "Built by the same [`ClientBuilder`](::pabbly::ClientBuilder), with the same options, \
             retries, timeouts and errors. A `Client` is cheap to clone and can be used from several \
             threads at once; it must not be called on a thread running an async runtime \
             ([`ErrorKind::InsideAsyncRuntime`](::pabbly::ErrorKind::InsideAsyncRuntime))."
                .to_owned(),
        ),
        example,
    ]);
    let accessors = api.resources.iter().map(|resource| {
        let module = Rust::ident(&resource.module);
        let handle = Rust::ident(&resource.handle);
        let doc = format!(
            " Operations on {} (see [`{}::{}`]).",
            resource.module.replace('_', " "),
            resource.module,
            resource.handle
        );
        rust! {
            #[doc = #doc]
            pub fn #module(&self) -> #module::#handle<'_> {
                #module::#handle { runtime: &self.runtime }
            }
        }
    });
    let resources = api
        .resources
        .iter()
        .map(|resource| expand_resource(resource, &api.models, krate));
    rust! {
        /// The same API without `async`, for scripts, command-line tools and batch jobs (feature
        /// `blocking`).
        pub mod blocking {
            use super::models;
            use ::pabbly::__private as rt;

            pub use rt::BlockingPages as Pages;

            #doc
            #[derive(::core::clone::Clone, ::core::fmt::Debug)]
            pub struct Client {
                runtime: rt::BlockingRuntime,
            }

            impl Client {
                /// Starts configuring a blocking client that authenticates with the API key and
                /// secret key (HTTP Basic).
                pub fn builder(
                    api_key: impl ::core::convert::Into<::std::string::String>,
                    secret_key: impl ::core::convert::Into<::std::string::String>,
                ) -> ::pabbly::ClientBuilder<Self> {
                    ::pabbly::ClientBuilder::new(api_key, secret_key)
                }

                /// A client sharing this one's connections whose calls follow `options`
                /// (attempts, backoff, timeout, deadline, retrying non-idempotent requests)
                /// where it sets them.
                #[must_use]
                pub fn with_options(&self, options: ::pabbly::RequestOptions) -> Self {
                    Self {
                        runtime: self.runtime.with_options(options),
                    }
                }

                #(#accessors)*
            }

            impl ::core::convert::From<rt::Runtime> for Client {
                fn from(runtime: rt::Runtime) -> Self {
                    Self {
                        runtime: rt::BlockingRuntime::from(runtime),
                    }
                }
            }

            #(#resources)*
        }
    }
}

fn expand_resource(resource: &Resource, models: &[TypeDef], krate: Option<&str>) -> Rust {
    let module = Rust::ident(&resource.module);
    let handle = Rust::ident(&resource.handle);
    let module_doc = format!(
        " Operations on {}, blocking.",
        resource.module.replace('_', " ")
    );
    let handle_doc = format!(
        " The {} operations, borrowed from a blocking [`Client`](super::Client).",
        resource.module.replace('_', " ")
    );
    let methods = resource.operations.iter().map(|op| {
        let example =
            krate.and_then(|k| examples::method_example(k, models, resource, op, Flavor::Blocking));
        expand_method(op, example)
    });
    rust! {
        #[doc = #module_doc]
        pub mod #module {
            // The request and hoisted types and the operation statics of the async module.
            use super::super::#module::*;
            use ::pabbly::__private as rt;

            #[doc = #handle_doc]
            #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
            pub struct #handle<'a> {
                pub(super) runtime: &'a rt::BlockingRuntime,
            }

            impl #handle<'_> {
                #(#methods)*
            }
        }
    }
}

fn expand_method(op: &Operation, example: Option<String>) -> Rust {
    let doc = operations::method_doc(op, example);
    let action = Rust::ident(&op.action);
    let operation = operations::static_name(op);
    let data = types::rust_type(&op.response.data, Site::Resource);
    let PathArgs {
        mut params,
        conversions,
        segments,
    } = operations::path_args(op);
    let payload = operations::payload(op, &mut params);
    let all = operations::expand_all_pages(op, Flavor::Blocking);
    rust! {
        #doc
        pub fn #action(
            &self,
            #(#params),*
        ) -> ::core::result::Result<::pabbly::Response<#data>, ::pabbly::Error> {
            #(#conversions)*
            self.runtime.execute(&#operation, &[#(#segments),*], #payload)
        }

        #all
    }
}
