//! The notification envelope Intercom posts, decoded leniently and losslessly, with its item
//! decoded by topic into a version's models (the `Event` enum each version module generates).
//!
//! The envelope (Webhook models, "Notification object"): `type` (`notification_event`), `id`,
//! `topic`, `app_id`, `created_at`, `delivery_status`, `delivery_attempts`, `delivered_at`,
//! `first_sent_at`, `self`, `links`, and `data: { type: "notification_event_data", item }`.
//!
//! Nothing here rejects a notification whose members drifted: a rejected delivery is retried by
//! Intercom again and again. A member of an unexpected JSON type is kept raw in `extra_` (or, for
//! the item, in its model's `extra_`) and reported as a [`Mismatch`]. Only a body that is not a
//! JSON object is an error.

use std::fmt;

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::{Map, Value};

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
/// `webhooks::Event`), and every member nobody declares kept in `extra_` / `data_extra_`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Notification<E> {
    /// `type`: always `notification_event`.
    pub type_: Option<String>,
    /// `id` (`notif_…`): the same for every delivery attempt of one notification, so it
    /// identifies repeats (delivery is at least once).
    pub id: Option<String>,
    /// `topic` as sent (`conversation.admin.replied`); empty when the body has none.
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
    /// `links` (an object, usually empty), kept as JSON.
    pub links: Option<Value>,
    /// `data.type`: always `notification_event_data`.
    pub data_type: Option<String>,
    /// `data.item`, decoded by topic.
    pub event: E,
    /// Members of `data` other than `type` and `item`.
    pub data_extra_: Map<String, Value>,
    /// Members of the envelope nobody declares, and declared ones of an unexpected JSON type.
    pub extra_: Map<String, Value>,
    /// Whether the body had a `data` object (encoding writes one back only then).
    has_data: bool,
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
/// `webhooks::Event`. Drifted members are in [`Decoded::mismatches`], never an error.
pub fn decode<E: Event>(body: &[u8]) -> Result<Decoded<Notification<E>>, DecodeError> {
    let value: Value = crate::runtime::de::from_body(body).map_err(|e| DecodeError { message: e.to_string() })?;
    let Value::Object(mut members) = value else {
        return Err(DecodeError { message: format!("expected a JSON object, found {}", kind(&value)) });
    };
    let mut mismatches = Vec::new();
    let mut kept = Map::new();
    let mut take = Taker { members: &mut members, kept: &mut kept, mismatches: &mut mismatches, prefix: "" };
    let type_ = take.string("type");
    let id = take.string("id");
    let topic = take.string("topic");
    let app_id = take.string("app_id");
    let created_at = take.integer("created_at");
    let delivery_status = take.string("delivery_status");
    let delivery_attempts = take.integer("delivery_attempts");
    let delivered_at = take.integer("delivered_at");
    let first_sent_at = take.integer("first_sent_at");
    let self_ = take.string("self");
    let links = take.object("links");
    let data = take.object("data");
    let has_data = data.is_some();
    let (data_type, item, data_extra_) = match data {
        Some(Value::Object(mut data)) => {
            let mut data_kept = Map::new();
            let mut take =
                Taker { members: &mut data, kept: &mut data_kept, mismatches: &mut mismatches, prefix: "data." };
            let data_type = take.string("type");
            let item = data.shift_remove("item").unwrap_or(Value::Null);
            data_kept.extend(data);
            (data_type, item, data_kept)
        }
        _ => (None, Value::Null, Map::new()),
    };
    // What the envelope does not declare (or declares with another JSON type), in the order sent.
    kept.extend(members);
    let topic = topic.unwrap_or_default();
    let event = E::decode(&topic, item, &mut mismatches);
    let value = Notification {
        type_,
        id,
        topic,
        app_id,
        created_at,
        delivery_status,
        delivery_attempts,
        delivered_at,
        first_sent_at,
        self_,
        links,
        data_type,
        event,
        data_extra_,
        extra_: kept,
        has_data,
    };
    // The item's undeclared members, by path (`data.item.…`); the envelope's own are in `extra_`.
    let undeclared = crate::runtime::undeclared::paths(&value);
    Ok(Decoded { value, mismatches, undeclared })
}

/// Takes declared members out of an object, keeping one of an unexpected JSON type raw.
struct Taker<'a> {
    members: &'a mut Map<String, Value>,
    kept: &'a mut Map<String, Value>,
    mismatches: &'a mut Vec<Mismatch>,
    prefix: &'static str,
}

impl Taker<'_> {
    fn take<T>(&mut self, name: &str, expected: &str, convert: impl FnOnce(&Value) -> Option<T>) -> Option<T> {
        let value = self.members.shift_remove(name)?;
        if value.is_null() {
            return None;
        }
        let converted = convert(&value);
        if converted.is_none() {
            self.mismatches.push(Mismatch {
                path: format!("{}{name}", self.prefix),
                message: format!("invalid type: {}, expected {expected}", kind(&value)),
            });
            self.kept.insert(name.to_string(), value);
        }
        converted
    }

    fn string(&mut self, name: &str) -> Option<String> {
        self.take(name, "a string", |v| v.as_str().map(str::to_string))
    }

    fn integer(&mut self, name: &str) -> Option<i64> {
        self.take(name, "an integer", Value::as_i64)
    }

    fn object(&mut self, name: &str) -> Option<Value> {
        self.take(name, "an object", |v| v.is_object().then(|| v.clone()))
    }
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

/// Decodes the item of a known topic into its model `M`: strictly at full speed first, then
/// leniently (members that do not fit kept raw in `extra_`, each a mismatch). An item that is not
/// an object of `M`'s kind at all is handed back raw, with a mismatch at `data.item`.
#[doc(hidden)]
pub fn decode_item<M: serde::de::DeserializeOwned>(item: Value, mismatches: &mut Vec<Mismatch>) -> Result<M, Value> {
    if let Ok(text) = serde_json::to_string(&item) {
        if let Ok(model) = crate::runtime::de::from_body::<M>(text.as_bytes()) {
            return Ok(model);
        }
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
        let optional: [(&str, Option<Value>); 10] = [
            ("type", self.type_.clone().map(Value::from)),
            ("id", self.id.clone().map(Value::from)),
            ("topic", (!self.topic.is_empty()).then(|| Value::from(self.topic.clone()))),
            ("app_id", self.app_id.clone().map(Value::from)),
            ("created_at", self.created_at.map(Value::from)),
            ("delivery_status", self.delivery_status.clone().map(Value::from)),
            ("delivery_attempts", self.delivery_attempts.map(Value::from)),
            ("delivered_at", self.delivered_at.map(Value::from)),
            ("first_sent_at", self.first_sent_at.map(Value::from)),
            ("self", self.self_.clone().map(Value::from)),
        ];
        for (name, value) in optional.iter().filter_map(|(n, v)| v.as_ref().map(|v| (n, v))) {
            map.serialize_entry(name, value)?;
        }
        if let Some(links) = &self.links {
            map.serialize_entry("links", links)?;
        }
        if self.has_data {
            map.serialize_entry("data", &Data(self))?;
        }
        for (name, value) in &self.extra_ {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// `data` of a notification being encoded.
struct Data<'a, E>(&'a Notification<E>);

impl<E: Event> Serialize for Data<'_, E> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        if let Some(data_type) = &self.0.data_type {
            map.serialize_entry("type", data_type)?;
        }
        map.serialize_entry("item", &self.0.event)?;
        for (name, value) in &self.0.data_extra_ {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}
