//! The `webhooks` module: the open `EventType`, the `Event` as Pabbly POSTs it, its data typed
//! with the shared models, and the `Webhooks` handle that confirms an event by reading its object
//! back through the operation the spec names.

use crate::rust::Rust;
use pabbly_rust_text::rust;
use pabbly_spec::ir::{Confirm, EnumValue, Type, TypeRef, WebhookEvent, Webhooks};

use crate::docs;
use crate::models;

/// The `Client` accessor of the webhook handle.
pub(crate) fn accessor() -> Rust {
    rust! {
        /// Webhook events: confirming one by reading its object back (see
        /// [`webhooks::Webhooks::confirm`]).
        pub fn webhooks(&self) -> webhooks::Webhooks<'_> {
            webhooks::Webhooks { runtime: &self.runtime }
        }
    }
}

pub(crate) fn expand(webhooks: &Webhooks, krate: Option<&str>) -> Rust {
    let module_doc = docs::paragraphs([
        Some(
            "Webhook events: what Pabbly POSTs to your URL, typed, and their confirmation."
                .to_owned(),
        ),
        webhooks.description.clone(),
        Some(
            "Receive a body with [`Event::from_slice`] (or, with the `axum` feature, the \
             `Webhook` extractor), read its object with [`Event::data`], and act only on what \
             [`Webhooks::confirm`] reads back: events are not signed."
                .to_owned(),
        ),
    ]);
    let event_type = expand_event_type(webhooks);
    let event = expand_event(webhooks, krate);
    let data = expand_data(&webhooks.data_types);
    let handle = expand_handle(webhooks, krate);
    rust! {
        #module_doc
        pub mod webhooks {
            use ::pabbly::__private as rt;

            pub use rt::webhook_api::*;

            #event_type
            #event
            #data
            #handle
        }
    }
}

fn expand_event_type(webhooks: &Webhooks) -> Rust {
    let values: Vec<EnumValue> = webhooks
        .events
        .iter()
        .map(|e| EnumValue {
            wire: e.wire.clone(),
            variant: e.variant.clone(),
        })
        .collect();
    let variant_docs: Vec<Rust> = webhooks.events.iter().map(variant_doc).collect();
    let doc = docs::lines(
        "What a webhook event reports: its `event_type`.\n\n\
         The docs show only some of these strings; each variant says whether its string is \
         confirmed or inferred from the event's name. A type Pabbly sends that is not listed \
         decodes as `Unknown` with the string as sent.",
    );
    models::expand_open_enum("EventType", &doc, &values, &variant_docs)
}

fn variant_doc(event: &WebhookEvent) -> Rust {
    let wire = if event.confirmed {
        format!("Sent as `{}` (shown by the docs).", event.wire)
    } else {
        format!(
            "Sent as `{}`: inferred from the event's name, not shown by the docs.",
            event.wire
        )
    };
    let data = match &event.data {
        Some(ty) => format!(
            "`data`: [`{0}`](super::models::{0}) ([`EventData::{0}`]).",
            ty.name
        ),
        None => "`data`: not documented ([`EventData::Untyped`]).".to_owned(),
    };
    let confirm = match &event.confirm {
        Some(Confirm {
            operation,
            gone: true,
            ..
        }) => format!("Confirmed when `{operation}` no longer finds the object."),
        Some(Confirm { operation, .. }) => {
            format!("Confirmed by reading the object with `{operation}`.")
        }
        None => "No operation reads its object back: `confirm` refuses it.".to_owned(),
    };
    docs::paragraphs([
        Some(format!("{}.", event.name)),
        event.description.clone(),
        Some(wire),
        Some(data),
        event.data_description.clone(),
        Some(confirm),
    ])
}

/// `EventType::A | EventType::B` for `events`.
fn variants<'e>(events: impl IntoIterator<Item = &'e WebhookEvent>) -> Rust {
    let variants = events
        .into_iter()
        .map(|e| Rust::ident(&e.variant))
        .map(|v| rust! { EventType::#v });
    rust! { #(#variants)|* }
}

/// The events grouped by a key, in first-appearance order.
fn group_by<'e, K: PartialEq>(
    events: &'e [WebhookEvent],
    key: impl Fn(&'e WebhookEvent) -> Option<K>,
) -> Vec<(K, Vec<&'e WebhookEvent>)> {
    let mut groups: Vec<(K, Vec<&WebhookEvent>)> = Vec::new();
    for event in events {
        let Some(k) = key(event) else { continue };
        match groups.iter_mut().find(|(g, _)| *g == k) {
            Some((_, members)) => members.push(event),
            None => groups.push((k, vec![event])),
        }
    }
    groups
}

fn expand_event(webhooks: &Webhooks, krate: Option<&str>) -> Rust {
    let from_slice_example = krate.zip(webhooks.events.first()).map(|(k, first)| {
        docs::lines(&format!(
            "```\nuse {k}::webhooks::Event;\n\n\
             let body = br#\"{{\"event_type\": \"{wire}\", \"data\": {{\"id\": \"obj_1\"}}}}\"#;\n\
             let event = Event::from_slice(body)?;\n\
             assert_eq!(event.event_type.as_str(), \"{wire}\");\n\
             assert_eq!(event.raw_data(), r#\"{{\"id\": \"obj_1\"}}\"#);\n\
             # Ok::<(), {k}::webhooks::Rejection>(())\n```\n",
            wire = first.wire
        ))
    });
    let typed = group_by(&webhooks.events, |e| e.data.as_ref())
        .into_iter()
        .map(|(ty, events)| {
            let pattern = variants(events);
            let name = Rust::ident(&ty.name);
            rust! {
                #pattern => rt::serde_json::from_str(raw)
                    .map(|data| EventData::#name(::std::boxed::Box::new(data))),
            }
        });
    let ids = group_by(&webhooks.events, |e| {
        e.confirm.as_ref().map(|c| c.id_key.as_str())
    })
    .into_iter()
    .map(|(key, events)| {
        let pattern = variants(events);
        rust! { #pattern => rt::webhook::object_id(&self.data, #key), }
    });
    // The decoding functions are `#[inline]`: they instantiate the decoders of every event's
    // data type, compiled only into crates that receive webhooks rather than into `pabbly`.
    rust! {
        /// A webhook event as Pabbly POSTs it:
        /// `{"event_type": …, "event_source": …, "data": {…}}`.
        ///
        /// `data` is kept exactly as sent ([`raw_data`](Self::raw_data)) and typed on demand
        /// ([`data`](Self::data)); keys besides these three are kept in `extra`, so nothing
        /// Pabbly sent is lost. Anyone who finds the URL can send one: confirm it
        /// ([`Webhooks::confirm`]) before acting.
        #[derive(::core::clone::Clone, ::core::fmt::Debug, rt::serde::Serialize)]
        #[serde(crate = "rt::serde")]
        #[non_exhaustive]
        pub struct Event {
            /// What happened.
            pub event_type: EventType,
            /// What caused it, e.g. `checkout` or `scheduler`; `None` when the body has none.
            #[serde(skip_serializing_if = "::core::option::Option::is_none")]
            pub event_source: ::core::option::Option<::std::string::String>,
            data: ::std::boxed::Box<rt::serde_json::value::RawValue>,
            /// Keys of the body besides `event_type`, `event_source` and `data`.
            #[serde(flatten)]
            pub extra: ::pabbly::ExtraFields,
        }

        impl Event {
            /// Decodes a webhook body within the default [`Limits`].
            ///
            #from_slice_example
            ///
            /// # Errors
            /// A [`Rejection`] saying why the body is not an event.
            #[inline]
            pub fn from_slice(body: &[u8]) -> ::core::result::Result<Self, Rejection> {
                Self::from_slice_with(body, &Limits::new())
            }

            /// Decodes a webhook body within `limits`.
            ///
            /// # Errors
            /// A [`Rejection`] saying why the body is not an event.
            #[inline]
            pub fn from_slice_with(
                body: &[u8],
                limits: &Limits,
            ) -> ::core::result::Result<Self, Rejection> {
                rt::webhook::decode(body, limits)
            }

            /// `data` exactly as sent, amounts with their digits.
            pub fn raw_data(&self) -> &str {
                self.data.get()
            }

            /// `data` typed as the spec says this event's data is (see [`EventType`]), or as
            /// JSON where the docs do not say or the type is unknown.
            ///
            /// # Errors
            /// When `data` is not what the spec says; [`raw_data`](Self::raw_data) still has it.
            #[inline]
            pub fn data(
                &self,
            ) -> ::core::result::Result<EventData, rt::serde_json::Error> {
                let raw = self.data.get();
                match &self.event_type {
                    #(#typed)*
                    _ => rt::serde_json::from_str(raw).map(EventData::Untyped),
                }
            }

            /// The id of the object the event is about, read from `data` under the key the
            /// confirming operation takes; `None` for events that have no such operation or
            /// when `data` has no such string.
            pub fn object_id(&self) -> ::core::option::Option<::std::string::String> {
                match &self.event_type {
                    #(#ids)*
                    _ => ::core::option::Option::None,
                }
            }
        }

        impl rt::de::Object for Event {
            const NAME: &'static str = "Event";

            fn decode<'de, A>(mut map: A) -> ::core::result::Result<Self, A::Error>
            where
                A: rt::serde::de::MapAccess<'de>,
            {
                use rt::{de, webhook};
                let mut event_type = ::core::option::Option::None;
                let mut event_source = ::core::option::Option::None;
                let mut data = ::core::option::Option::None;
                let mut extra = ::pabbly::ExtraFields::new();
                while let ::core::option::Option::Some(key) = map.next_key::<de::Key<'de>>()? {
                    match key.as_str() {
                        "event_type" => de::field(&mut map, &mut event_type, "event_type", webhook::Text("event_type"))?,
                        "event_source" => de::field(&mut map, &mut event_source, "event_source", webhook::Text("event_source"))?,
                        "data" => de::field(&mut map, &mut data, "data", webhook::Data)?,
                        _ => de::keep(&mut map, &mut extra, key)?,
                    }
                }
                let event_type: ::std::string::String =
                    de::required(event_type.flatten(), "event_type")?;
                ::core::result::Result::Ok(Self {
                    event_type: <EventType as de::WireEnum>::from_wire(&event_type),
                    event_source: event_source.flatten(),
                    data: de::required(data, "data")?,
                    extra,
                })
            }
        }

        impl<'de> rt::serde::Deserialize<'de> for Event {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: rt::serde::Deserializer<'de>,
            {
                rt::de::object(deserializer)
            }
        }
    }
}

fn expand_data(types: &[TypeRef]) -> Rust {
    let variants = types.iter().map(|ty| {
        let name = Rust::ident(&ty.name);
        let doc = format!(" [`{0}`](super::models::{0}).", ty.name);
        rust! {
            #[doc = #doc]
            #name(::std::boxed::Box<super::models::#name>),
        }
    });
    rust! {
        /// The object in an event's `data`, typed with the shared models.
        #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
        #[non_exhaustive]
        pub enum EventData {
            #(#variants)*
            /// Data whose shape the docs do not give, or of an event type the spec does not
            /// list, as JSON (numbers as `f64`: [`Event::raw_data`] has their digits).
            Untyped(::pabbly::serde_json::Value),
        }

        /// What reading an event's object back found.
        #[derive(::core::clone::Clone, ::core::fmt::Debug, ::core::cmp::PartialEq)]
        #[non_exhaustive]
        pub enum Confirmed {
            /// The object as Pabbly has it now: act on this, not on the event's data.
            Found(EventData),
            /// The event reports a deletion, and the object is gone.
            Gone,
        }
    }
}

fn expand_handle(webhooks: &Webhooks, krate: Option<&str>) -> Rust {
    let arms = group_by(&webhooks.events, |e| {
        e.confirm.as_ref().map(|c| (c, e.data.as_ref()))
    })
    .into_iter()
    .map(|((confirm, data), events)| confirm_arm(confirm, data, &variants(events)));
    let example = krate.zip(webhooks.data_types.first()).map(|(k, ty)| {
        let ty = &ty.name;
        format!(
            "# Example\n\n```no_run\n\
             use {k}::webhooks::{{Confirmed, Event, EventData}};\n\n\
             # async fn handle(client: &{k}::Client, body: &[u8]) -> Result<(), Box<dyn std::error::Error>> {{\n\
             let event = Event::from_slice(body)?;\n\
             match client.webhooks().confirm(&event).await {{\n    \
                 Ok(Confirmed::Found(EventData::{ty}(object))) => {{\n        \
                     println!(\"{{}}: {{object:?}}\", event.event_type);\n    \
                 }}\n    \
                 Ok(_) => {{}}\n    \
                 Err(refused) if refused.kind() == {k}::ErrorKind::Unconfirmed => {{\n        \
                     eprintln!(\"ignoring an event the API does not bear out: {{refused}}\");\n    \
                 }}\n    \
                 Err(error) => return Err(error.into()), // answer 5xx: Pabbly may send it again\n\
             }}\n\
             # Ok(())\n# }}\n```"
        )
    });
    let confirm_doc = docs::paragraphs([
        Some(
            "Confirms `event` by reading its object back through the API: events are not \
             signed, so anyone who finds the URL can send one."
                .to_owned(),
        ),
        Some(
            "Returns the object as Pabbly has it now (act on it, not on the event's data), or \
             [`Confirmed::Gone`] for a delete event whose object is gone. Which operation \
             confirms which event is in the spec; each [`EventType`] variant names it. The read \
             is an ordinary call: it is retried, observed and counted like any other."
                .to_owned(),
        ),
        Some(
            "# Errors\n\n[`ErrorKind::Unconfirmed`](::pabbly::ErrorKind::Unconfirmed) when the \
             object does not exist (or, for a delete event, still does), when `data` names no \
             object, or when no operation reads back this type of event; the read's own error \
             (a timeout, say) otherwise."
                .to_owned(),
        ),
        example,
    ]);
    rust! {
        /// Confirms webhook events, borrowed from a [`Client`](super::Client).
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug)]
        pub struct Webhooks<'a> {
            pub(super) runtime: &'a rt::Runtime,
        }

        impl Webhooks<'_> {
            #confirm_doc
            pub async fn confirm(
                &self,
                event: &Event,
            ) -> ::core::result::Result<Confirmed, ::pabbly::Error> {
                use rt::webhook;
                let event_type = event.event_type.as_str();
                match &event.event_type {
                    #(#arms)*
                    _ => ::core::result::Result::Err(webhook::not_confirmable(event_type)),
                }
            }
        }
    }
}

/// One arm of `confirm`: read the object, then expect it found (typed as the data) or gone.
fn confirm_arm(confirm: &Confirm, data: Option<&TypeRef>, pattern: &Rust) -> Rust {
    let module = Rust::ident(&confirm.module);
    let handle = Rust::ident(&confirm.handle);
    let action = Rust::ident(&confirm.action);
    let key = &confirm.id_key;
    let read = rust! {
        let id = event
            .object_id()
            .ok_or_else(|| webhook::missing_id(event_type, #key))?;
        let read = super::#module::#handle { runtime: self.runtime }.#action(&id).await;
    };
    if confirm.gone {
        return rust! {
            #pattern => {
                #read
                webhook::expect_gone(event_type, &id, read)?;
                ::core::result::Result::Ok(Confirmed::Gone)
            }
        };
    }
    let found = match (data, &confirm.answer) {
        (Some(ty), Type::Any) => {
            let name = Rust::ident(&ty.name);
            rust! { EventData::#name(::std::boxed::Box::new(webhook::decode_answer(object)?)) }
        }
        (Some(ty), _) => {
            let name = Rust::ident(&ty.name);
            rust! { EventData::#name(::std::boxed::Box::new(object)) }
        }
        (None, _) => rust! { EventData::Untyped(object) },
    };
    rust! {
        #pattern => {
            #read
            let object = webhook::expect_found(event_type, &id, read)?;
            ::core::result::Result::Ok(Confirmed::Found(#found))
        }
    }
}
