//! The hand-written baseline: `POST /portal_sessions/` with reqwest and serde_json, as one would
//! write it without the generator, doing the same work as the generated client (Basic auth,
//! JSON body, status and envelope checks, dates parsed with chrono); and the subscription
//! models with the generated ones' guarantees (exact amounts, unknown fields kept).

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use pabbly::Decimal;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Pabbly's success envelope around `data`.
#[derive(Debug, Deserialize)]
pub struct Envelope<T> {
    /// `"success"`, or `"error"` / `"failed"` when the call failed.
    pub status: String,
    /// Pabbly's message.
    #[serde(default)]
    pub message: Option<String>,
    /// The payload.
    pub data: Option<T>,
}

/// A client portal session, written by hand.
#[derive(Debug, Deserialize)]
pub struct PortalSession {
    /// The session's id.
    pub id: String,
    /// The merchant account.
    pub user_id: String,
    /// The secret token.
    pub token: String,
    /// `created` for a new session.
    pub status: String,
    /// The customer signed in.
    pub customer_id: String,
    /// The sign-in link.
    pub access_url: String,
    /// When the link stops working.
    pub expires_at: DateTime<Utc>,
    /// When the session was created.
    #[serde(rename = "createdAt")]
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    #[serde(rename = "updatedAt")]
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize)]
struct CreatePortalSession<'a> {
    customer_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    redirect_url: Option<&'a str>,
}

/// Why a hand-written call failed.
#[derive(Debug)]
pub enum HandError {
    /// The TLS settings could not be made.
    Tls(pabbly::Error),
    /// reqwest failed to send or read.
    Transport(reqwest::Error),
    /// A status other than 2xx.
    Status(u16),
    /// The body did not decode.
    Decode(serde_json::Error),
    /// Pabbly answered with a failure status in the body.
    Api(Option<String>),
}

impl fmt::Display for HandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandError::Tls(error) => write!(f, "TLS: {error}"),
            HandError::Transport(error) => write!(f, "transport: {error}"),
            HandError::Status(status) => write!(f, "HTTP {status}"),
            HandError::Decode(error) => write!(f, "decode: {error}"),
            HandError::Api(message) => write!(f, "API error: {message:?}"),
        }
    }
}

impl std::error::Error for HandError {}

/// A minimal hand-written client for the one endpoint.
#[derive(Clone, Debug)]
pub struct HandClient {
    http: reqwest::Client,
    url: String,
    api_key: String,
    secret_key: String,
}

impl HandClient {
    /// A client for the API at `base_url` (e.g. the mock's), with the generated client's
    /// default timeouts.
    ///
    /// # Errors
    /// When reqwest cannot build its client.
    pub fn new(base_url: &str, api_key: &str, secret_key: &str) -> Result<Self, HandError> {
        // The TLS settings the generated client uses, so both build the same HTTP stack.
        let tls = pabbly::tls_config().map_err(HandError::Tls)?;
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(HandError::Transport)?;
        Ok(Self {
            http,
            url: format!("{}/portal_sessions/", base_url.trim_end_matches('/')),
            api_key: api_key.to_owned(),
            secret_key: secret_key.to_owned(),
        })
    }

    /// `POST /portal_sessions/`: the session and Pabbly's message.
    ///
    /// # Errors
    /// Any failure to send, a non-2xx status, an undecodable body or a failure envelope.
    pub async fn create_portal_session(
        &self,
        customer_id: &str,
        redirect_url: Option<&str>,
    ) -> Result<(PortalSession, Option<String>), HandError> {
        let body = serde_json::to_vec(&CreatePortalSession {
            customer_id,
            redirect_url,
        })
        .map_err(HandError::Decode)?;
        let response = self
            .http
            .post(&self.url)
            .basic_auth(&self.api_key, Some(&self.secret_key))
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .body(body)
            .send()
            .await
            .map_err(HandError::Transport)?;
        let status = response.status();
        if !status.is_success() {
            return Err(HandError::Status(status.as_u16()));
        }
        let bytes = response.bytes().await.map_err(HandError::Transport)?;
        let envelope: Envelope<PortalSession> =
            serde_json::from_slice(&bytes).map_err(HandError::Decode)?;
        match envelope {
            Envelope {
                status,
                message,
                data: Some(data),
            } if status == "success" => Ok((data, message)),
            Envelope { message, .. } => Err(HandError::Api(message)),
        }
    }
}

/// Writes a model struct by hand as one would to keep what Pabbly sends: every listed field read
/// by its decoder in one pass over the object, every other field kept in `extra`, a required
/// field checked at the end. (`#[serde(flatten)]` would keep the rest too, but buffers the
/// whole object first and turns every number into an `f64`, so amounts could not be exact.)
macro_rules! model {
    (
        $(#[$doc:meta])*
        $name:ident { $($field:ident: $ty:ty = $wire:literal by $via:ty,)* }
        required [$($required:ident),*]
    ) => {
        $(#[$doc])*
        #[derive(Debug, Default)]
        #[allow(missing_docs, reason = "the fields mirror the spec's model of the same name")]
        pub struct $name {
            $(pub $field: Option<$ty>,)*
            /// The fields the model does not list, as sent.
            pub extra: Map<String, Value>,
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct ModelVisitor;

                impl<'de> Visitor<'de> for ModelVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str(concat!("a ", stringify!($name)))
                    }

                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        let mut model = $name::default();
                        while let Some(key) = map.next_key::<read::Key<'de>>()? {
                            match key.0.as_ref() {
                                $($wire => model.$field = map.next_value::<$via>()?.0,)*
                                _ => {
                                    let value: Value = map.next_value()?;
                                    model.extra.insert(key.0.into_owned(), value);
                                }
                            }
                        }
                        $(if model.$required.is_none() {
                            return Err(de::Error::missing_field(stringify!($required)));
                        })*
                        Ok(model)
                    }
                }

                deserializer.deserialize_map(ModelVisitor)
            }
        }
    };
}

model! {
    /// A subscription, written by hand like for like with the generated one: the fields of the
    /// spec's `Subscription` (and of the `Plan`, `SubscriptionAddon` and `BumpOffer` inside it),
    /// exact amounts, unknown fields kept, `""` as unset; open enums are plain `String`s.
    Subscription {
        id: String = "id" by Plain<String>,
        status: String = "status" by Unset<String>,
        starts_at: DateTime<Utc> = "starts_at" by Unset<DateTime<Utc>>,
        activation_date: DateTime<Utc> = "activation_date" by Unset<DateTime<Utc>>,
        expiry_date: DateTime<Utc> = "expiry_date" by Unset<DateTime<Utc>>,
        trial_expiry_date: DateTime<Utc> = "trial_expiry_date" by Unset<DateTime<Utc>>,
        next_billing_date: DateTime<Utc> = "next_billing_date" by Unset<DateTime<Utc>>,
        last_billing_date: DateTime<Utc> = "last_billing_date" by Unset<DateTime<Utc>>,
        canceled_date: DateTime<Utc> = "canceled_date" by Unset<DateTime<Utc>>,
        created_at: DateTime<Utc> = "createdAt" by Unset<DateTime<Utc>>,
        updated_at: DateTime<Utc> = "updatedAt" by Unset<DateTime<Utc>>,
        plan: Plan = "plan" by Unset<Plan>,
        setup_fee: Decimal = "setup_fee" by Money,
        payment_terms: String = "payment_terms" by Plain<String>,
        currency_symbol: String = "currency_symbol" by Plain<String>,
        addons: Vec<SubscriptionAddon> = "addons" by Plain<Vec<SubscriptionAddon>>,
    }
    required []
}

model! {
    /// A plan, written by hand.
    Plan {
        id: String = "id" by Plain<String>,
        product_id: String = "product_id" by Plain<String>,
        user_id: String = "user_id" by Plain<String>,
        plan_name: String = "plan_name" by Plain<String>,
        plan_code: String = "plan_code" by Plain<String>,
        plan_type: String = "plan_type" by Unset<String>,
        plan_active: bool = "plan_active" by LooseBool,
        plan_description: String = "plan_description" by Plain<String>,
        price: Decimal = "price" by Money,
        currency_code: String = "currency_code" by Plain<String>,
        currency_symbol: String = "currency_symbol" by Plain<String>,
        billing_period: String = "billing_period" by Unset<String>,
        billing_period_num: i64 = "billing_period_num" by LooseInt,
        billing_cycle: String = "billing_cycle" by Unset<String>,
        billing_cycle_num: i64 = "billing_cycle_num" by LooseInt,
        trial_period: i64 = "trial_period" by LooseInt,
        trial_type: String = "trial_type" by Unset<String>,
        setup_fee: Decimal = "setup_fee" by Money,
        setup_fee_type: String = "setup_fee_type" by Plain<String>,
        custom_payment_term: i64 = "custom_payment_term" by LooseInt,
        is_metered: bool = "is_metered" by LooseBool,
        redirect_url: String = "redirect_url" by Plain<String>,
        checkout_page: String = "checkout_page" by Plain<String>,
        bump_offer: BumpOffer = "bump_offer" by Unset<BumpOffer>,
        meta_data: BTreeMap<String, Value> = "meta_data" by Plain<BTreeMap<String, Value>>,
        failed_payment_gateway: String = "failed_payment_gateway" by Plain<String>,
        failed_payment_gateway_array: Vec<Value> = "failed_payment_gateway_array" by Plain<Vec<Value>>,
        funnel: Vec<Value> = "funnel" by Plain<Vec<Value>>,
        created_at: DateTime<Utc> = "createdAt" by Unset<DateTime<Utc>>,
        updated_at: DateTime<Utc> = "updatedAt" by Unset<DateTime<Utc>>,
    }
    required [id, created_at, updated_at]
}

model! {
    /// An add-on of a subscription, written by hand.
    SubscriptionAddon {
        id: String = "id" by Plain<String>,
        user_id: String = "user_id" by Plain<String>,
        product_id: String = "product_id" by Plain<String>,
        name: String = "name" by Plain<String>,
        code: String = "code" by Plain<String>,
        price: Decimal = "price" by Money,
        quantity: i64 = "quantity" by LooseInt,
    }
    required [id]
}

model! {
    /// A bump offer, written by hand.
    BumpOffer {
        plan_id: String = "plan_id" by Plain<String>,
        title_label: String = "title_label" by Plain<String>,
        tag_line: String = "tag_line" by Plain<String>,
        description: String = "description" by Plain<String>,
    }
    required []
}

use read::{LooseBool, LooseInt, Money, Plain, Unset};

/// The field decoders of the hand-written models, each reading the value straight from the
/// deserializer (no intermediate `Value`) into an `Option`.
mod read {
    use std::borrow::Cow;
    use std::fmt;
    use std::marker::PhantomData;

    use pabbly::Decimal;
    use serde::de::{self, Deserialize, Deserializer, Error, IntoDeserializer, Visitor};
    use serde_json::value::RawValue;

    /// An object's key, borrowed from the input when it has no escapes.
    pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

    impl<'de> Deserialize<'de> for Key<'de> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Key<'de>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a field name")
                }
                fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                    Ok(Key(Cow::Borrowed(v)))
                }
                fn visit_str<E: Error>(self, v: &str) -> Result<Key<'de>, E> {
                    Ok(Key(Cow::Owned(v.to_owned())))
                }
            }
            d.deserialize_str(V)
        }
    }

    /// The type's own decoder; `null` is `None`.
    pub(crate) struct Plain<T>(pub(crate) Option<T>);

    impl<'de, T: Deserialize<'de>> Deserialize<'de> for Plain<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            Option::<T>::deserialize(d).map(Plain)
        }
    }

    /// `null` and `""` are `None`, anything else the type's own.
    pub(crate) struct Unset<T>(pub(crate) Option<T>);

    impl<'de, T: Deserialize<'de>> Deserialize<'de> for Unset<T> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V<T>(PhantomData<T>);
            impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
                type Value = Option<T>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a value, null or \"\"")
                }
                fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
                    Ok(None)
                }
                fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Self::Value, E> {
                    if v.is_empty() {
                        return Ok(None);
                    }
                    T::deserialize(de::value::BorrowedStrDeserializer::new(v)).map(Some)
                }
                fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
                    if v.is_empty() {
                        return Ok(None);
                    }
                    T::deserialize(v.to_owned().into_deserializer()).map(Some)
                }
                fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                    T::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
                }
            }
            d.deserialize_any(V(PhantomData)).map(Unset)
        }
    }

    /// An exact amount from the digits as sent (a number or a decimal text); `null` and `""`
    /// are `None`.
    pub(crate) struct Money(pub(crate) Option<Decimal>);

    impl<'de> Deserialize<'de> for Money {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            let raw = <&'de RawValue>::deserialize(d)?.get();
            let text = raw.strip_prefix('"').and_then(|t| t.strip_suffix('"'));
            let amount = match text.unwrap_or(raw) {
                "" | "null" => return Ok(Money(None)),
                digits if digits.contains(['e', 'E']) && text.is_none() => {
                    Decimal::from_scientific(digits)
                }
                digits => Decimal::from_str_exact(digits),
            };
            amount.map(|a| Money(Some(a))).map_err(D::Error::custom)
        }
    }

    /// An integer, or a text of one; `null` and `""` are `None`.
    pub(crate) struct LooseInt(pub(crate) Option<i64>);

    impl<'de> Deserialize<'de> for LooseInt {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = Option<i64>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("an integer, or a text of one")
                }
                fn visit_i64<E: Error>(self, v: i64) -> Result<Self::Value, E> {
                    Ok(Some(v))
                }
                fn visit_u64<E: Error>(self, v: u64) -> Result<Self::Value, E> {
                    i64::try_from(v).map(Some).map_err(E::custom)
                }
                fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
                    match v.trim() {
                        "" => Ok(None),
                        text => text.parse().map(Some).map_err(E::custom),
                    }
                }
                fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
                    Ok(None)
                }
            }
            d.deserialize_any(V).map(LooseInt)
        }
    }

    /// `true`, `"true"`, `"yes"`, `1`, `"1"` and their opposites; `null` and `""` are `None`.
    pub(crate) struct LooseBool(pub(crate) Option<bool>);

    impl<'de> Deserialize<'de> for LooseBool {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl Visitor<'_> for V {
                type Value = Option<bool>;
                fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                    f.write_str("a boolean, 0 or 1, or a text of one")
                }
                fn visit_bool<E: Error>(self, v: bool) -> Result<Self::Value, E> {
                    Ok(Some(v))
                }
                fn visit_u64<E: Error>(self, v: u64) -> Result<Self::Value, E> {
                    match v {
                        0 => Ok(Some(false)),
                        1 => Ok(Some(true)),
                        _ => Err(E::custom(format!("{v} is not a boolean"))),
                    }
                }
                fn visit_str<E: Error>(self, v: &str) -> Result<Self::Value, E> {
                    match v.trim() {
                        "" => Ok(None),
                        "true" | "yes" | "1" => Ok(Some(true)),
                        "false" | "no" | "0" => Ok(Some(false)),
                        other => Err(E::custom(format!("{other:?} is not a boolean"))),
                    }
                }
                fn visit_unit<E: Error>(self) -> Result<Self::Value, E> {
                    Ok(None)
                }
            }
            d.deserialize_any(V).map(LooseBool)
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{Map, Value};

    use super::{Envelope, Subscription};

    fn keys(extra: &Map<String, Value>) -> Vec<&str> {
        extra.keys().map(String::as_str).collect()
    }

    fn generated_keys(extra: &pabbly::ExtraFields) -> Vec<&str> {
        extra.iter().map(|(key, _)| key).collect()
    }

    /// The baseline is like for like: the same values and the same kept fields as the
    /// generated models, on the body the decoding bench reads.
    #[test]
    fn the_baseline_decodes_what_the_generated_models_do() -> Result<(), Box<dyn std::error::Error>>
    {
        let body = crate::subscriptions::docs_subscription_list(2)?;
        let hand: Envelope<Vec<Subscription>> = serde_json::from_slice(&body.bytes)?;
        let generated: Envelope<Vec<pabbly::models::Subscription>> =
            serde_json::from_slice(&body.bytes)?;
        let hand = hand.data.unwrap_or_default();
        let generated = generated.data.unwrap_or_default();
        assert_eq!((hand.len(), generated.len()), (2, 2));
        let (hand, generated) = (&hand[1], &generated[1]);
        assert_eq!(hand.setup_fee, generated.setup_fee);
        assert_eq!(keys(&hand.extra), generated_keys(&generated.extra));

        let hand = hand.plan.as_ref().ok_or("a hand-written plan")?;
        let generated = generated.plan.as_ref().ok_or("a generated plan")?;
        assert_eq!(hand.id.as_deref(), Some(generated.id.as_str()));
        assert!(hand.price.is_some());
        assert_eq!(hand.price, generated.price);
        assert_eq!(hand.plan_active, generated.plan_active);
        assert_eq!(hand.billing_period_num, generated.billing_period_num);
        assert_eq!(hand.trial_period, generated.trial_period);
        assert_eq!(keys(&hand.extra), generated_keys(&generated.extra));
        Ok(())
    }
}
