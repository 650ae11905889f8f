//! The generated `Client`: construction through the runtime's builder, one accessor per resource.

use crate::rust::Rust;
use pabbly_rust_text::rust;
use pabbly_spec::ir::Api;

use crate::docs;

pub(crate) fn expand(api: &Api, krate: Option<&str>) -> Rust {
    let example = krate.map(|k| {
        format!(
            "# Example\n\n```no_run\n# fn main() -> Result<(), {k}::Error> {{\n\
             let client = {k}::Client::builder(\"API_KEY\", \"SECRET_KEY\").build()?;\n\
             # let _ = client;\n# Ok(())\n# }}\n```"
        )
    });
    let doc = docs::paragraphs([
        Some(format!(
            "Client for the {} API ({}).",
            api.title, api.version
        )),
        api.description.clone(),
        Some(format!(
            "Requests go to `{}` unless the builder sets another base URL. A `Client` is cheap to clone and shares one connection pool.",
            api.base_url
        )),
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
    let webhooks = api.webhooks.as_ref().map(|_| crate::webhooks::accessor());
    common(&doc, rust! { #(#accessors)* #webhooks })
}

pub(crate) fn skeleton() -> Rust {
    let doc = rust! { #[doc = " Client for the Pabbly API (not generated: the spec has errors)."] };
    common(&doc, Rust::new())
}

/// The struct, its builder entry point, `accessors`, and the conversion the builder uses.
fn common(doc: &Rust, accessors: Rust) -> Rust {
    rust! {
        #doc
        #[derive(::core::clone::Clone, ::core::fmt::Debug)]
        pub struct Client {
            runtime: ::pabbly::__private::Runtime,
        }

        impl Client {
            /// Starts configuring a client that authenticates with the API key and secret key
            /// (HTTP Basic).
            pub fn builder(
                api_key: impl ::core::convert::Into<::std::string::String>,
                secret_key: impl ::core::convert::Into<::std::string::String>,
            ) -> ::pabbly::ClientBuilder<Self> {
                ::pabbly::ClientBuilder::new(api_key, secret_key)
            }

            /// A client sharing this one's connections whose calls follow `options` (attempts,
            /// backoff, timeout, deadline, retrying non-idempotent requests) where it sets them.
            #[must_use]
            pub fn with_options(&self, options: ::pabbly::RequestOptions) -> Self {
                Self {
                    runtime: self.runtime.with_options(options),
                }
            }

            #accessors
        }

        impl ::core::convert::From<::pabbly::__private::Runtime> for Client {
            fn from(runtime: ::pabbly::__private::Runtime) -> Self {
                Self { runtime }
            }
        }
    }
}
