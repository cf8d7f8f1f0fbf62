//! Typed webhook notifications of each enabled version (`intercom_api::vX_Y::webhooks`): for every
//! topic `spec/webhook-topics.toml` lists for the version with a schema, a notification carrying
//! that version's example of the topic's object (composed from the description's property examples
//! by the generator's test kit) decodes into the topic's variant and re-encodes with every member
//! kept; the same item with every scalar's JSON type changed still decodes (leniently, mismatches
//! reported, members kept raw). A topic listed without a schema is known (`Event::Untyped`, its
//! `Topic`) and keeps its item as received, as do an unknown topic and `ping`. The envelope's own
//! members: drifted ones reported, undeclared ones listed, all re-encoded as received.

#![cfg(feature = "webhooks")]

#[path = "support/example_contradictions.rs"]
mod example_contradictions;
#[path = "support/spec.rs"]
mod spec;

use intercom_api::webhooks::{decode, Event, Notification};
use intercom_codegen::conformance::{compose_named, first_difference, retype, strip_nulls};
use serde_json::{json, Value};

/// A notification as Intercom sends one, around `item`.
fn envelope(topic: &str, item: Value) -> Value {
    json!({
        "type": "notification_event",
        "app_id": "a86dr8yl",
        "data": { "type": "notification_event_data", "item": item },
        "links": {},
        "id": "notif_78c122d0-23ba-11e4-9464-79b01267cc2e",
        "topic": topic,
        "delivery_status": "pending",
        "delivery_attempts": 1,
        "delivered_at": 0,
        "first_sent_at": 1700000001,
        "created_at": 1700000001,
        "self": null
    })
}

/// What a decoded `Event` is: its topic (`None`: `Unknown`), and whether its item was kept as JSON
/// under a known topic (`Untyped`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Shape {
    topic: Option<&'static str>,
    untyped: bool,
}

/// A typed variant of `topic`.
fn typed(topic: &str) -> impl Fn(&Shape) -> bool + '_ {
    move |s| s.topic == Some(topic) && !s.untyped
}

/// Decodes `sent` as a notification of `E`; the event's shape, the mismatches, and an error when
/// re-encoding loses or changes a member.
fn roundtrip<E: Event>(sent: &Value, shape_of: impl Fn(&E) -> Shape) -> Result<(Shape, Vec<String>), String> {
    let bytes = serde_json::to_vec(sent).unwrap();
    let decoded = decode::<E>(&bytes).map_err(|e| e.to_string())?;
    let notification: &Notification<E> = &decoded.value;
    let encoded = serde_json::to_value(notification).map_err(|e| format!("encode: {e}"))?;
    if let Some(at) = first_difference(&strip_nulls(sent), &strip_nulls(&encoded)) {
        return Err(format!("not lossless at {at}"));
    }
    Ok((shape_of(&notification.event), decoded.mismatches.iter().map(ToString::to_string).collect()))
}

/// Checks every topic of `version` against its generated `Event` (`E`) and `Topic::ALL`.
fn check_version<E: Event>(
    version: &str,
    generated_topics: &[&'static str],
    shape_of: impl Fn(&E) -> Shape + Copy,
) -> Vec<String> {
    let ws = spec::workspace();
    let prepared = ws.prepare(ws.pinned(version).unwrap()).unwrap_or_else(|e| panic!("{e}"));
    let topics = intercom_codegen::webhooks::topics_for(version, &prepared, &ws.webhook_topics).unwrap();
    // Property examples known to contradict their own type upstream are left out of the items,
    // as the conformance suite leaves them out of its composed cases.
    let known_text = std::fs::read_to_string(ws.root().join("spec/example-contradictions.toml")).unwrap();
    let known = example_contradictions::parse(&known_text);
    let wrong_examples = known.property_examples_for(version);
    let skip = |pointer: &str| wrong_examples.contains(pointer);
    let mut failures = Vec::new();
    if topics.is_empty() {
        failures.push(format!("{version}: the table lists no topic for it"));
    }
    let listed: Vec<&str> = topics.iter().map(|t| t.topic.as_str()).chain(["ping"]).collect();
    if listed != generated_topics {
        failures.push(format!("{version}: the table lists {listed:?}, the module has {generated_topics:?}"));
    }
    for t in &topics {
        let Some(topic_item) = &t.item else {
            // Known, no model: the item kept as received, whatever its shape, nothing reported.
            let item = json!({"type": "novelty", "id": "7", "nested": {"a": [1, 2.5, null, "x"]}, "flag": true});
            match roundtrip::<E>(&envelope(&t.topic, item), shape_of) {
                Ok((Shape { topic: Some(decoded), untyped: true }, mismatches))
                    if decoded == t.topic && mismatches.is_empty() => {}
                Ok(other) => failures.push(format!("{version} {} (raw item): decoded as {other:?}", t.topic)),
                Err(e) => failures.push(format!("{version} {} (raw item): {e}", t.topic)),
            }
            continue;
        };
        let label = format!("{version} {} ({})", t.topic, topic_item.model);
        let Some(item) = compose_named(&prepared, &topic_item.model, &skip) else {
            failures.push(format!("{label}: the description has no example of the object"));
            continue;
        };
        match roundtrip::<E>(&envelope(&t.topic, item.clone()), shape_of) {
            Ok((shape, mismatches)) if typed(&t.topic)(&shape) && mismatches.is_empty() => {}
            Ok(other) => failures.push(format!("{label}: decoded as {other:?}")),
            Err(e) => failures.push(format!("{label}: {e}")),
        }
        // Drifted: every scalar of the item changed type. Still this topic, nothing lost, and
        // each member kept raw reported under `data.item`.
        match roundtrip::<E>(&envelope(&t.topic, retype(&item)), shape_of) {
            Ok((shape, mismatches))
                if typed(&t.topic)(&shape)
                    && !mismatches.is_empty()
                    && mismatches.iter().all(|m| m.starts_with("at `data.item")) => {}
            Ok(other) => failures.push(format!("{label} retyped: decoded as {other:?}")),
            Err(e) => failures.push(format!("{label} retyped: {e}")),
        }
    }
    // A topic added after this crate: kept whole, item raw.
    let unknown = envelope("made_up.topic.created", json!({"type": "novelty", "id": "1", "nested": {"a": [1, 2.5]}}));
    match roundtrip::<E>(&unknown, shape_of) {
        Ok((Shape { topic: None, untyped: false }, mismatches)) if mismatches.is_empty() => {}
        other => failures.push(format!("{version} unknown topic: {other:?}")),
    }
    if let Some((t, model)) = topics.iter().find_map(|t| t.item.as_ref().map(|i| (t, &i.model))) {
        // A typed topic whose item is not an object of its model at all: still that topic, the
        // item kept raw, reported.
        match roundtrip::<E>(&envelope(&t.topic, json!([1, "two"])), shape_of) {
            Ok((Shape { topic: Some(decoded), untyped: true }, mismatches))
                if decoded == t.topic && mismatches.len() == 1 && mismatches[0].starts_with("at `data.item`") => {}
            other => failures.push(format!("{version} {} with an array item: {other:?}", t.topic)),
        }
        // Drifted envelope members: kept raw in `extra_`, reported (in the order sent), the item
        // still decoded.
        let mut drifted = envelope(&t.topic, compose_named(&prepared, model, &skip).unwrap_or(json!({})));
        drifted["created_at"] = json!("2026-12-07T08:00:00Z");
        drifted["delivery_attempts"] = json!(1.5);
        drifted["data"]["type"] = json!(7);
        drifted["links"] = json!([]);
        match roundtrip::<E>(&drifted, shape_of) {
            Ok((shape, mismatches))
                if typed(&t.topic)(&shape)
                    && mismatches.len() == 4
                    && mismatches[0].starts_with("at `data.type`")
                    && mismatches[1].starts_with("at `links`")
                    && mismatches[2].starts_with("at `delivery_attempts`")
                    && mismatches[3].starts_with("at `created_at`") => {}
            other => failures.push(format!("{version} {} with drifted envelope members: {other:?}", t.topic)),
        }
    }
    let ping = envelope("ping", json!({"type": "ping", "message": "something something interzen"}));
    match roundtrip::<E>(&ping, shape_of) {
        Ok((Shape { topic: Some("ping"), untyped: false }, mismatches)) if mismatches.is_empty() => {}
        other => failures.push(format!("{version} ping: {other:?}")),
    }
    failures
}

macro_rules! versions {
    ($($feature:literal => $module:ident as $name:literal,)*) => {
        /// Each enabled version's failures.
        fn every_version() -> (Vec<&'static str>, Vec<String>) {
            #[allow(unused_mut)]
            let (mut checked, mut failures) = (Vec::new(), Vec::new());
            $(
                #[cfg(feature = $feature)]
                {
                    use intercom_api::$module::webhooks::{Event, Topic};
                    // `FromStr` and `AsRef<str>` agree for every topic.
                    for topic in Topic::ALL {
                        assert_eq!(topic.as_ref().parse::<Topic>(), Ok(*topic));
                    }
                    assert!("made_up.topic".parse::<Topic>().is_err());
                    let names: Vec<&'static str> = Topic::ALL.iter().map(|t| t.as_str()).collect();
                    let shape_of = |e: &Event| Shape {
                        topic: e.topic().map(Topic::as_str),
                        untyped: matches!(e, Event::Untyped { .. }),
                    };
                    failures.extend(check_version::<Event>($name, &names, shape_of));
                    checked.push($name);
                }
            )*
            (checked, failures)
        }
    };
}

versions! {
    "v2_7" => v2_7 as "2.7",
    "v2_8" => v2_8 as "2.8",
    "v2_9" => v2_9 as "2.9",
    "v2_10" => v2_10 as "2.10",
    "v2_11" => v2_11 as "2.11",
    "v2_12" => v2_12 as "2.12",
    "v2_13" => v2_13 as "2.13",
    "v2_14" => v2_14 as "2.14",
    "v2_15" => v2_15 as "2.15",
    "v2_16" => v2_16 as "2.16",
    "preview" => preview as "Preview",
}

#[test]
fn every_topic_of_every_enabled_version_decodes_its_example_losslessly() {
    let (checked, failures) = every_version();
    assert!(!checked.is_empty(), "no version feature is enabled");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    eprintln!("webhook topics checked for {checked:?}");
}

/// The envelope itself, on 2.16: what it does not declare is listed, and it re-encodes as sent.
#[cfg(feature = "v2_16")]
mod envelope {
    use super::*;
    use intercom_api::v2_16::webhooks::{self, Event, Topic};

    /// A notification with every envelope member set (no `null`), `data` before `topic` as
    /// Intercom's examples send it.
    fn full(item: Value) -> Value {
        json!({
            "type": "notification_event",
            "app_id": "a86dr8yl",
            "data": { "type": "notification_event_data", "item": item },
            "links": {},
            "id": "notif_78c122d0-23ba-11e4-9464-79b01267cc2e",
            "topic": "conversation.admin.replied",
            "delivery_status": "pending",
            "delivery_attempts": 2,
            "delivered_at": 1700000003,
            "first_sent_at": 1700000001,
            "created_at": 1700000000,
            "self": "https://api.intercom.io/notifications/notif_78c122d0"
        })
    }

    #[test]
    fn undeclared_envelope_and_data_members_are_listed_beside_the_items() {
        let mut sent = full(json!({"type": "conversation", "id": "1", "bar": {"b": 1}}));
        sent["links"] = json!({"foo": "https://example.com/foo"});
        sent["data"]["trace"] = json!("t-1");
        sent["retry_after"] = json!(30);
        let decoded = webhooks::decode(&serde_json::to_vec(&sent).unwrap()).unwrap();
        assert!(decoded.mismatches.is_empty(), "{:?}", decoded.mismatches);
        assert_eq!(decoded.undeclared, ["links.foo", "data.item.bar", "data.trace", "retry_after"]);
        let n = &decoded.value;
        assert_eq!(
            n.links.as_ref().map(|l| l.extra_.clone()),
            Some(json!({"foo": "https://example.com/foo"}).as_object().unwrap().clone())
        );
        assert_eq!(n.data_extra_.get("trace"), Some(&json!("t-1")));
        assert_eq!(n.extra_.get("retry_after"), Some(&json!(30)));
        assert_eq!(serde_json::to_value(n).unwrap(), sent, "every member re-encoded as sent");
    }

    #[test]
    fn every_envelope_member_round_trips_exactly() {
        let sent = full(json!({"type": "conversation", "id": "1"}));
        let decoded = webhooks::decode(&serde_json::to_vec(&sent).unwrap()).unwrap();
        assert!(decoded.mismatches.is_empty() && decoded.undeclared.is_empty(), "{decoded:?}");
        let n = &decoded.value;
        assert_eq!(n.type_.as_deref(), Some("notification_event"));
        assert_eq!(n.id.as_deref(), Some("notif_78c122d0-23ba-11e4-9464-79b01267cc2e"));
        assert_eq!(n.topic, "conversation.admin.replied");
        assert_eq!(n.app_id.as_deref(), Some("a86dr8yl"));
        assert_eq!(
            (n.created_at, n.delivery_attempts, n.delivered_at, n.first_sent_at),
            (Some(1700000000), Some(2), Some(1700000003), Some(1700000001))
        );
        assert_eq!(n.delivery_status.as_deref(), Some("pending"));
        assert_eq!(n.self_.as_deref(), Some("https://api.intercom.io/notifications/notif_78c122d0"));
        assert_eq!(n.data_type.as_deref(), Some("notification_event_data"));
        assert!(matches!(&n.event, Event::ConversationAdminReplied(c) if c.id.as_deref() == Some("1")));
        assert_eq!(serde_json::to_value(n).unwrap(), sent);
        // No `data`, no `item`: nothing invented on the way back.
        let mut bare = sent.clone();
        bare.as_object_mut().unwrap().remove("data");
        let decoded = webhooks::decode(&serde_json::to_vec(&bare).unwrap()).unwrap();
        assert_eq!(serde_json::to_value(&decoded.value).unwrap(), bare);
        let mut no_item = sent.clone();
        no_item["data"].as_object_mut().unwrap().remove("item");
        let decoded = webhooks::decode(&serde_json::to_vec(&no_item).unwrap()).unwrap();
        assert_eq!(serde_json::to_value(&decoded.value).unwrap(), no_item);
        assert_eq!(decoded.value.event.topic(), Some(Topic::ConversationAdminReplied));
    }

    #[test]
    fn a_topic_with_a_raw_item_keeps_it_exactly() {
        // `ticket.closed` wraps the ticket in a `ticket` member (the table's note): no model fits.
        let item =
            json!({"type": "ticket", "ticket": {"type": "ticket", "id": "9", "ticket_state": {"id": "3"}}, "n": 1.25});
        let mut sent = full(item.clone());
        sent["topic"] = json!("ticket.closed");
        let decoded = webhooks::decode(&serde_json::to_vec(&sent).unwrap()).unwrap();
        assert!(decoded.mismatches.is_empty() && decoded.undeclared.is_empty(), "{decoded:?}");
        match &decoded.value.event {
            Event::Untyped { topic: Topic::TicketClosed, item: kept } => assert_eq!(kept, &item),
            other => panic!("expected Untyped ticket.closed, got {other:?}"),
        }
        assert_eq!(decoded.value.event.topic(), Some(Topic::TicketClosed));
        assert_eq!(serde_json::to_value(&decoded.value).unwrap(), sent);
    }

    #[test]
    fn a_new_topic_decodes_into_its_model() {
        let mut sent = full(json!({"type": "ticket", "id": "42", "ticket_id": "7"}));
        sent["topic"] = json!("ticket.state.updated");
        let decoded = webhooks::decode(&serde_json::to_vec(&sent).unwrap()).unwrap();
        match &decoded.value.event {
            Event::TicketStateUpdated(ticket) => assert_eq!(ticket.id.as_deref(), Some("42")),
            other => panic!("expected TicketStateUpdated, got {other:?}"),
        }
        assert_eq!(serde_json::to_value(&decoded.value).unwrap(), sent);
    }

    #[test]
    fn only_a_missing_or_non_string_topic_is_refused() {
        let sent = full(json!({"type": "conversation", "id": "1"}));
        let mut missing = sent.clone();
        missing.as_object_mut().unwrap().remove("topic");
        let err = webhooks::decode(&serde_json::to_vec(&missing).unwrap()).unwrap_err();
        assert_eq!(err.to_string(), "webhook body is not a notification: it has no `topic`");
        let mut number = sent.clone();
        number["topic"] = json!(12);
        let err = webhooks::decode(&serde_json::to_vec(&number).unwrap()).unwrap_err();
        assert_eq!(err.to_string(), "webhook body is not a notification: its `topic` is a number, not a string");
        // Every other member drifting is reported, not refused.
        let mut drifted = sent.clone();
        for name in ["type", "id", "app_id", "created_at", "delivery_status", "self"] {
            drifted[name] = json!({"odd": true});
        }
        let decoded = webhooks::decode(&serde_json::to_vec(&drifted).unwrap()).unwrap();
        assert_eq!(decoded.mismatches.len(), 6, "{:?}", decoded.mismatches);
        assert!(decoded.undeclared.is_empty(), "a drifted declared member is a mismatch: {:?}", decoded.undeclared);
        assert_eq!(serde_json::to_value(&decoded.value).unwrap(), drifted);
    }
}
