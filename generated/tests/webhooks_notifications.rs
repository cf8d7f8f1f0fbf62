//! Typed webhook notifications of each enabled version (`intercom_api::vX_Y::webhooks`): for every
//! topic `spec/webhook-topics.toml` lists for the version, a notification carrying that version's
//! example of the topic's object (composed from the description's property examples by the
//! generator's test kit) decodes into the topic's variant and re-encodes with every member kept;
//! the same item with every scalar's JSON type changed still decodes (leniently, mismatches
//! reported, members kept raw); an unknown topic and `ping` keep their item as received.

#![cfg(feature = "webhooks")]

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

/// Decodes `sent` as a notification of `E`; the topic decoded (`None`: `Unknown`), the mismatches,
/// and an error when re-encoding loses or changes a member.
fn roundtrip<E: Event>(
    sent: &Value,
    topic_of: impl Fn(&E) -> Option<&'static str>,
) -> Result<(Option<&'static str>, Vec<String>), String> {
    let bytes = serde_json::to_vec(sent).unwrap();
    let decoded = decode::<E>(&bytes).map_err(|e| e.to_string())?;
    let notification: &Notification<E> = &decoded.value;
    let encoded = serde_json::to_value(notification).map_err(|e| format!("encode: {e}"))?;
    if let Some(at) = first_difference(&strip_nulls(sent), &strip_nulls(&encoded)) {
        return Err(format!("not lossless at {at}"));
    }
    Ok((topic_of(&notification.event), decoded.mismatches.iter().map(ToString::to_string).collect()))
}

/// Checks every topic of `version` against its generated `Event` (`E`) and `Topic::ALL`.
fn check_version<E: Event>(
    version: &str,
    generated_topics: &[&'static str],
    topic_of: impl Fn(&E) -> Option<&'static str> + Copy,
) -> Vec<String> {
    let ws = spec::workspace();
    let prepared = ws.prepare(ws.pinned(version).unwrap()).unwrap_or_else(|e| panic!("{e}"));
    let topics = intercom_codegen::webhooks::topics_for(version, &prepared, &ws.webhook_topics).unwrap();
    let mut failures = Vec::new();
    if topics.is_empty() {
        failures.push(format!("{version}: the table lists no topic for it"));
    }
    let listed: Vec<&str> = topics.iter().map(|t| t.topic.as_str()).chain(["ping"]).collect();
    if listed != generated_topics {
        failures.push(format!("{version}: the table lists {listed:?}, the module has {generated_topics:?}"));
    }
    for t in &topics {
        let label = format!("{version} {} ({})", t.topic, t.model);
        let Some(item) = compose_named(&prepared, &t.model) else {
            failures.push(format!("{label}: the description has no example of the object"));
            continue;
        };
        match roundtrip::<E>(&envelope(&t.topic, item.clone()), topic_of) {
            Ok((Some(decoded), mismatches)) if decoded == t.topic && mismatches.is_empty() => {}
            Ok(other) => failures.push(format!("{label}: decoded as {other:?}")),
            Err(e) => failures.push(format!("{label}: {e}")),
        }
        // Drifted: every scalar of the item changed type. Still this topic, nothing lost, and
        // each member kept raw reported under `data.item`.
        match roundtrip::<E>(&envelope(&t.topic, retype(&item)), topic_of) {
            Ok((Some(decoded), mismatches))
                if decoded == t.topic
                    && !mismatches.is_empty()
                    && mismatches.iter().all(|m| m.starts_with("at `data.item")) => {}
            Ok(other) => failures.push(format!("{label} retyped: decoded as {other:?}")),
            Err(e) => failures.push(format!("{label} retyped: {e}")),
        }
    }
    // A topic added after this crate: kept whole, item raw.
    let unknown = envelope("made_up.topic.created", json!({"type": "novelty", "id": "1", "nested": {"a": [1, 2.5]}}));
    match roundtrip::<E>(&unknown, topic_of) {
        Ok((None, mismatches)) if mismatches.is_empty() => {}
        other => failures.push(format!("{version} unknown topic: {other:?}")),
    }
    if let Some(t) = topics.first() {
        // A known topic whose item is not an object of its model at all: kept raw, reported.
        match roundtrip::<E>(&envelope(&t.topic, json!([1, "two"])), topic_of) {
            Ok((None, mismatches)) if mismatches.len() == 1 && mismatches[0].starts_with("at `data.item`") => {}
            other => failures.push(format!("{version} {} with an array item: {other:?}", t.topic)),
        }
        // Drifted envelope members: kept raw in `extra_`, reported, the item still decoded.
        let mut drifted = envelope(&t.topic, compose_named(&prepared, &t.model).unwrap_or(json!({})));
        drifted["created_at"] = json!("2026-12-07T08:00:00Z");
        drifted["delivery_attempts"] = json!(1.5);
        drifted["data"]["type"] = json!(7);
        match roundtrip::<E>(&drifted, topic_of) {
            Ok((Some(decoded), mismatches))
                if decoded == t.topic
                    && mismatches.len() == 3
                    && mismatches[0].starts_with("at `created_at`")
                    && mismatches[1].starts_with("at `delivery_attempts`")
                    && mismatches[2].starts_with("at `data.type`") => {}
            other => failures.push(format!("{version} {} with drifted envelope members: {other:?}", t.topic)),
        }
    }
    let ping = envelope("ping", json!({"type": "ping", "message": "something something interzen"}));
    match roundtrip::<E>(&ping, topic_of) {
        Ok((Some("ping"), mismatches)) if mismatches.is_empty() => {}
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
                    failures.extend(check_version::<Event>($name, &names, |e: &Event| e.topic().map(Topic::as_str)));
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
