//! The members of a notification around its item, decoded as the generated models are: through
//! [`Fields`] (strictly first, leniently when a member drifted), every member nobody declares kept
//! in an `extra_` map and seen by `runtime::undeclared`.
//!
//! The item itself is no member here: it is taken out of `data` before the envelope is decoded,
//! and decoded by its topic afterwards (the topic may come after `data` in the body).

use serde::de::Deserializer;
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};

use crate::runtime::de::{self, Extra, Fields};
use crate::runtime::ser;

/// The envelope's declared members, in the order of Intercom's "Webhook notification object"
/// table (plus `app_id`, `delivery_status`, `delivered_at` and `links`, which its examples send).
pub(super) const ENVELOPE_FIELDS: &[&str] = &[
    "type",
    "id",
    "topic",
    "app_id",
    "created_at",
    "delivery_status",
    "delivery_attempts",
    "delivered_at",
    "first_sent_at",
    "self",
    "links",
    "data",
];

/// `data`'s declared members other than `item` (which is decoded apart, by topic).
pub(super) const DATA_FIELDS: &[&str] = &["type"];

/// The notification without its item.
#[derive(Debug, Default)]
pub(super) struct Envelope {
    pub type_: Option<String>,
    pub id: Option<String>,
    pub topic: Option<String>,
    pub app_id: Option<String>,
    pub created_at: Option<i64>,
    pub delivery_status: Option<String>,
    pub delivery_attempts: Option<i64>,
    pub delivered_at: Option<i64>,
    pub first_sent_at: Option<i64>,
    pub self_: Option<String>,
    pub links: Option<Links>,
    pub data: Option<EnvelopeData>,
    pub extra_: Extra,
}

impl Fields for Envelope {
    const NAME: &'static str = "Notification";
    const FIELDS: &'static [&'static str] = ENVELOPE_FIELDS;

    fn set<'de, D: Deserializer<'de>>(&mut self, index: usize, value: D) -> Result<(), D::Error> {
        match index {
            0 => de::member(&mut self.type_, value),
            1 => de::member(&mut self.id, value),
            2 => de::member(&mut self.topic, value),
            3 => de::member(&mut self.app_id, value),
            4 => de::member(&mut self.created_at, value),
            5 => de::member(&mut self.delivery_status, value),
            6 => de::member(&mut self.delivery_attempts, value),
            7 => de::member(&mut self.delivered_at, value),
            8 => de::member(&mut self.first_sent_at, value),
            9 => de::member(&mut self.self_, value),
            10 => de::member_in_place(&mut self.links, value),
            11 => de::member_in_place(&mut self.data, value),
            _ => de::skip(value),
        }
    }

    fn extra(&mut self) -> Option<&mut Extra> {
        Some(&mut self.extra_)
    }
}

impl<'de> Deserialize<'de> for Envelope {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::deserialize(deserializer)
    }
}

/// `data` without its item.
#[derive(Debug, Default)]
pub(super) struct EnvelopeData {
    pub type_: Option<String>,
    pub extra_: Extra,
}

impl Fields for EnvelopeData {
    const NAME: &'static str = "NotificationData";
    const FIELDS: &'static [&'static str] = DATA_FIELDS;

    fn set<'de, D: Deserializer<'de>>(&mut self, index: usize, value: D) -> Result<(), D::Error> {
        match index {
            0 => de::member(&mut self.type_, value),
            _ => de::skip(value),
        }
    }

    fn extra(&mut self) -> Option<&mut Extra> {
        Some(&mut self.extra_)
    }
}

/// A notification's `links`: an object Intercom sends empty, whose members no page describes.
/// Each one it does send is kept, and reported as undeclared (`links.…`).
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Links {
    /// Every member of `links`, as received.
    pub extra_: Extra,
}

impl Fields for Links {
    const NAME: &'static str = "Links";
    const FIELDS: &'static [&'static str] = &[];

    fn set<'de, D: Deserializer<'de>>(&mut self, _index: usize, value: D) -> Result<(), D::Error> {
        de::skip(value)
    }

    fn extra(&mut self) -> Option<&mut Extra> {
        Some(&mut self.extra_)
    }
}

impl<'de> Deserialize<'de> for Links {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::deserialize(deserializer)
    }
}

impl Serialize for Links {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        ser::extra(&mut map, &self.extra_, Self::FIELDS, &[])?;
        map.end()
    }
}
