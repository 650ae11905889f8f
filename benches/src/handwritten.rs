//! The hand-written baseline: `POST /portal_sessions/` with reqwest and serde_json, as one would
//! write it without the generator, doing the same work as the generated client (Basic auth,
//! JSON body, status and envelope checks, dates parsed with chrono).

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use serde::{Deserialize, Serialize};

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

/// A subscription, written by hand: the fields of the spec's `Subscription` model (and of the
/// `Plan`, `SubscriptionAddon` and `BumpOffer` inside it) with the same Rust types, except that
/// open enums are plain `String`s, and the loosely typed scalars use the small visitors below
/// instead of the generated client's `Value`-based ones.
#[derive(Debug, Deserialize)]
pub struct Subscription {
    /// The plan subscribed to.
    #[serde(default)]
    pub plan: Option<Plan>,
    /// A one-time fee.
    #[serde(default)]
    pub setup_fee: Option<f64>,
    /// Payment terms.
    #[serde(default)]
    pub payment_terms: Option<String>,
    /// The currency symbol.
    #[serde(default)]
    pub currency_symbol: Option<String>,
    /// The add-ons bought with the plan.
    #[serde(default)]
    pub addons: Option<Vec<SubscriptionAddon>>,
}

/// A plan, written by hand.
#[derive(Debug, Deserialize)]
#[allow(
    missing_docs,
    reason = "the fields mirror the spec's `Plan`, documented there"
)]
pub struct Plan {
    pub id: String,
    #[serde(default)]
    pub product_id: Option<String>,
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub plan_name: Option<String>,
    #[serde(default)]
    pub plan_code: Option<String>,
    #[serde(default)]
    pub plan_type: Option<String>,
    #[serde(default, deserialize_with = "loose::bool")]
    pub plan_active: Option<bool>,
    #[serde(default)]
    pub plan_description: Option<String>,
    #[serde(default)]
    pub price: Option<f64>,
    #[serde(default)]
    pub currency_code: Option<String>,
    #[serde(default)]
    pub currency_symbol: Option<String>,
    #[serde(default)]
    pub billing_period: Option<String>,
    #[serde(default, deserialize_with = "loose::int")]
    pub billing_period_num: Option<i64>,
    #[serde(default)]
    pub billing_cycle: Option<String>,
    #[serde(default, deserialize_with = "loose::int")]
    pub billing_cycle_num: Option<i64>,
    #[serde(default, deserialize_with = "loose::int")]
    pub trial_period: Option<i64>,
    #[serde(default)]
    pub trial_type: Option<String>,
    #[serde(default)]
    pub setup_fee: Option<f64>,
    #[serde(default)]
    pub setup_fee_type: Option<String>,
    #[serde(default, deserialize_with = "loose::int")]
    pub custom_payment_term: Option<i64>,
    #[serde(default, deserialize_with = "loose::bool")]
    pub is_metered: Option<bool>,
    #[serde(default)]
    pub redirect_url: Option<String>,
    #[serde(default)]
    pub checkout_page: Option<String>,
    #[serde(default)]
    pub bump_offer: Option<BumpOffer>,
    #[serde(default)]
    pub meta_data: Option<std::collections::BTreeMap<String, String>>,
    #[serde(default)]
    pub failed_payment_gateway: Option<String>,
    #[serde(default)]
    pub failed_payment_gateway_array: Option<Vec<serde_json::Value>>,
    #[serde(default)]
    pub funnel: Option<Vec<serde_json::Value>>,
    #[serde(rename = "createdAt")]
    pub created_at: DateTime<Utc>,
    #[serde(rename = "updatedAt")]
    pub updated_at: DateTime<Utc>,
}

/// An add-on of a subscription, written by hand.
#[derive(Debug, Deserialize)]
#[allow(
    missing_docs,
    reason = "the fields mirror the spec's `SubscriptionAddon`"
)]
pub struct SubscriptionAddon {
    pub id: String,
    #[serde(default)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub product_id: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub price: Option<f64>,
    #[serde(default, deserialize_with = "loose::int")]
    pub quantity: Option<i64>,
}

/// A bump offer, written by hand.
#[derive(Debug, Deserialize)]
#[allow(missing_docs, reason = "the fields mirror the spec's `BumpOffer`")]
pub struct BumpOffer {
    #[serde(default)]
    pub plan_id: Option<String>,
    #[serde(default)]
    pub title_label: Option<String>,
    #[serde(default)]
    pub tag_line: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// Scalars Pabbly sends as a number, a boolean or a string (`""` or `null` for none), decoded
/// straight from the deserializer, without an intermediate `Value`.
mod loose {
    use std::fmt;

    use serde::Deserializer;
    use serde::de::{Error, Visitor};

    /// `true`, `"true"`, `"yes"`, `1`, `"1"` and their opposites; `null` and `""` are `None`.
    pub(super) fn bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Option<bool>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a boolean, 0 or 1, or a string of one")
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
            fn visit_i64<E: Error>(self, v: i64) -> Result<Self::Value, E> {
                self.visit_u64(u64::try_from(v).map_err(E::custom)?)
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
        d.deserialize_any(V)
    }

    /// An integer, or a string of one; `null` and `""` are `None`.
    pub(super) fn int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Option<i64>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an integer, or a string of one")
            }
            fn visit_i64<E: Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Some(v))
            }
            fn visit_u64<E: Error>(self, v: u64) -> Result<Self::Value, E> {
                i64::try_from(v).map(Some).map_err(E::custom)
            }
            fn visit_f64<E: Error>(self, v: f64) -> Result<Self::Value, E> {
                if v.fract() == 0.0 && v.abs() < 9.0e15 {
                    Ok(Some(v as i64))
                } else {
                    Err(E::custom(format!("{v} is not an integer")))
                }
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
        d.deserialize_any(V)
    }
}
