//! The notification envelope Intercom posts, decoded leniently and losslessly, with its item
//! decoded by topic into a version's models (the `Event` enum each version module generates).
//!
//! The envelope (Webhook models, "Notification object"): `type` (`notification_event`), `id`,
//! `topic`, `app_id`, `created_at`, `delivery_status`, `delivery_attempts`, `delivered_at`,
//! `first_sent_at`, `self`, `links`, and `data: { type: "notification_event_data", item }`.
//!
//! The body is parsed once. The item is taken out of it whole (no copy, no text round trip) and the
//! rest decoded as the generated models are ([`envelope`](super::envelope)); then the item is
//! decoded from the parsed value into the model its topic names. Nothing here rejects a
//! notification whose members drifted: a rejected delivery is retried by Intercom again and again.
//! A member of an unexpected JSON type is kept raw in `extra_` (or, for the item, in its model's
//! `extra_`) and reported as a [`Mismatch`]. Only a body that is not a JSON object, or that has no
//! string `topic` (nothing could dispatch it), is an error.

use std::fmt;

use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::envelope::{Envelope, EnvelopeData, Links, DATA_FIELDS, ENVELOPE_FIELDS};
use crate::runtime::ser::{self, entry};
use crate::runtime::{Decoded, Mismatch};

/// What each version's `webhooks::Event` implements: decoding an item by topic, and encoding it
/// back (its `Serialize` writes the item alone).
pub trait Event: Serialize + Sized {
    /// Decodes `item` as the object `topic` carries, recording what was kept raw in `mismatches`
    /// (paths relative to the notification: `data.item.…`). Never fails: an unknown topic, or an
    /// item that is not an object of its topic's kind, is kept raw.
    fn decode(topic: &str, item: Value, mismatches: &mut Vec<Mismatch>) -> Self;
}

/// One notification: the envelope's members typed, the item decoded by topic into `E` (a version's
/// `webhooks::Event`), and every member nobody declares kept in `extra_` / `data_extra_` /
/// `links`, and listed in [`Decoded::undeclared`] (`foo`, `data.foo`, `links.foo`, beside the
/// item's own `data.item.…`).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Notification<E> {
    /// `type`: always `notification_event`.
    pub type_: Option<String>,
    /// `id` (`notif_…`): the same for every delivery attempt of one notification, so it
    /// identifies repeats (delivery is at least once).
    pub id: Option<String>,
    /// `topic` as sent (`conversation.admin.replied`).
    pub topic: String,
    /// `app_id`: the workspace the event happened in.
    pub app_id: Option<String>,
    /// `created_at`, Unix seconds.
    pub created_at: Option<i64>,
    pub delivery_status: Option<String>,
    pub delivery_attempts: Option<i64>,
    /// `delivered_at`, Unix seconds (0 before the first delivery).
    pub delivered_at: Option<i64>,
    /// `first_sent_at`, Unix seconds.
    pub first_sent_at: Option<i64>,
    /// `self`: the notification's URL (often `null`).
    pub self_: Option<String>,
    /// `links` (an object, usually empty), its members kept.
    pub links: Option<Links>,
    /// `data.type`: always `notification_event_data`.
    pub data_type: Option<String>,
    /// `data.item`, decoded by topic.
    pub event: E,
    /// Members of `data` other than `type` and `item` (and `type` itself when it is no string).
    pub data_extra_: Map<String, Value>,
    /// Members of the envelope nobody declares, and declared ones of an unexpected JSON type.
    pub extra_: Map<String, Value>,
    /// Whether the body had a `data` object (encoding writes one back only then).
    has_data: bool,
    /// Whether `data` had an `item` member (encoding writes one back only then).
    has_item: bool,
}

/// A body that is not a notification at all: not JSON, or JSON but not an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    message: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "webhook body is not a notification: {}", self.message)
    }
}

impl std::error::Error for DecodeError {}

/// Decodes a notification body (already verified: see [`super::Verifier`]) with `E`, a version's
/// `webhooks::Event`. Drifted members are in [`Decoded::mismatches`], never an error; an error is a
/// body that is not a JSON object, or one without a string `topic`.
pub fn decode<E: Event>(body: &[u8]) -> Result<Decoded<Notification<E>>, DecodeError> {
    let mut value: Value = crate::runtime::de::from_body(body).map_err(|e| DecodeError { message: e.to_string() })?;
    let Value::Object(members) = &mut value else {
        return Err(DecodeError { message: format!("expected a JSON object, found {}", kind(&value)) });
    };
    // The item is decoded by its topic, which may come after `data`: moved out of the parsed body
    // now (neither copied nor re-serialized) and decoded below, once the topic is known.
    let item = match members.get_mut("data") {
        Some(Value::Object(data)) => data.shift_remove("item"),
        _ => None,
    };
    let (envelope, mut mismatches) = decode_envelope(&value)?;
    let topic = match envelope.topic {
        Some(topic) => topic,
        None => {
            let message = match envelope.extra_.get("topic") {
                Some(other) => format!("its `topic` is {}, not a string", kind(other)),
                None => "it has no `topic`".to_string(),
            };
            return Err(DecodeError { message });
        }
    };
    let has_item = item.is_some();
    let event = E::decode(&topic, item.unwrap_or(Value::Null), &mut mismatches);
    let (has_data, data) = match envelope.data {
        Some(data) => (true, data),
        None => (false, EnvelopeData::default()),
    };
    let value = Notification {
        type_: envelope.type_,
        id: envelope.id,
        topic,
        app_id: envelope.app_id,
        created_at: envelope.created_at,
        delivery_status: envelope.delivery_status,
        delivery_attempts: envelope.delivery_attempts,
        delivered_at: envelope.delivered_at,
        first_sent_at: envelope.first_sent_at,
        self_: envelope.self_,
        links: envelope.links,
        data_type: data.type_,
        event,
        data_extra_: data.extra_,
        extra_: envelope.extra_,
        has_data,
        has_item: has_data && has_item,
    };
    let undeclared = crate::runtime::undeclared::paths(&value);
    Ok(Decoded { value, mismatches, undeclared })
}

/// The envelope (the item already taken out), strictly at full speed, then leniently when a member
/// drifted: each member of an unexpected JSON type kept raw in `extra_` and reported.
fn decode_envelope(value: &Value) -> Result<(Envelope, Vec<Mismatch>), DecodeError> {
    if let Ok(envelope) = Envelope::deserialize(value) {
        return Ok((envelope, Vec::new()));
    }
    crate::runtime::lenient::decode_value::<Envelope>(value).map_err(|e| DecodeError { message: e.to_string() })
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Decodes the item of a known topic into its model `M`, from the parsed value (no text round
/// trip): strictly at full speed first, then leniently (members that do not fit kept raw in
/// `extra_`, each a mismatch). An item that is not an object of `M`'s kind at all is handed back
/// raw, with a mismatch at `data.item`.
#[doc(hidden)]
pub fn decode_item<M: serde::de::DeserializeOwned>(item: Value, mismatches: &mut Vec<Mismatch>) -> Result<M, Value> {
    if let Ok(model) = M::deserialize(&item) {
        return Ok(model);
    }
    match crate::runtime::lenient::decode_value::<M>(&item) {
        Ok((model, found)) => {
            mismatches.extend(found.into_iter().map(|m| Mismatch {
                path: if m.path == "." { "data.item".into() } else { format!("data.item.{}", m.path) },
                message: m.message,
            }));
            Ok(model)
        }
        Err(e) => {
            mismatches.push(Mismatch { path: "data.item".into(), message: e.to_string() });
            Err(item)
        }
    }
}

impl<E: Event> Serialize for Notification<E> {
    /// The notification as Intercom sent it: declared members, then `data` (type, item, the
    /// rest of `data`), then every member kept in `extra_`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        entry(&mut map, "type", &self.type_)?;
        entry(&mut map, "id", &self.id)?;
        map.serialize_entry("topic", &self.topic)?;
        entry(&mut map, "app_id", &self.app_id)?;
        entry(&mut map, "created_at", &self.created_at)?;
        entry(&mut map, "delivery_status", &self.delivery_status)?;
        entry(&mut map, "delivery_attempts", &self.delivery_attempts)?;
        entry(&mut map, "delivered_at", &self.delivered_at)?;
        entry(&mut map, "first_sent_at", &self.first_sent_at)?;
        entry(&mut map, "self", &self.self_)?;
        entry(&mut map, "links", &self.links)?;
        if self.has_data {
            map.serialize_entry("data", &Data(self))?;
        }
        let set = [
            self.type_.is_some(),
            self.id.is_some(),
            true,
            self.app_id.is_some(),
            self.created_at.is_some(),
            self.delivery_status.is_some(),
            self.delivery_attempts.is_some(),
            self.delivered_at.is_some(),
            self.first_sent_at.is_some(),
            self.self_.is_some(),
            self.links.is_some(),
            self.has_data,
        ];
        ser::extra(&mut map, &self.extra_, ENVELOPE_FIELDS, &set)?;
        map.end()
    }
}

/// `data` of a notification being encoded.
struct Data<'a, E>(&'a Notification<E>);

impl<E: Event> Serialize for Data<'_, E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        entry(&mut map, "type", &self.0.data_type)?;
        if self.0.has_item {
            map.serialize_entry("item", &self.0.event)?;
        }
        ser::extra(&mut map, &self.0.data_extra_, DATA_FIELDS, &[self.0.data_type.is_some()])?;
        map.end()
    }
}
