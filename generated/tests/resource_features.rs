//! Resource features at run time (issue 27), built by `cargo xtask test` with `webhooks`,
//! `v2_16-core` and `companies` only: a company topic decodes into its model, and a conversation
//! topic, whose model only other resources reach, decodes as `Event::Untyped` (its topic known)
//! with its item kept.

#![cfg(all(
    feature = "webhooks",
    feature = "v2_16-core",
    feature = "companies",
    not(feature = "v2_16"),
    not(feature = "conversations"),
    not(feature = "custom-object-instances"),
    not(feature = "tickets")
))]

use intercom_api::v2_16::webhooks::{decode, Event, Topic};
use serde_json::{json, Value};

fn notification(topic: &str, item: Value) -> Vec<u8> {
    let body = json!({
        "type": "notification_event",
        "topic": topic,
        "data": { "type": "notification_event_data", "item": item },
    });
    serde_json::to_vec(&body).unwrap()
}

#[test]
fn a_topic_whose_model_is_left_out_decodes_untyped() {
    let company = json!({ "type": "company", "id": "531ee472cce572a6ec000006", "name": "Blue Sun" });
    let decoded = decode(&notification("company.created", company)).unwrap();
    match &decoded.value.event {
        Event::CompanyCreated(c) => assert_eq!(c.name.as_deref(), Some("Blue Sun")),
        other => panic!("expected CompanyCreated, got {other:?}"),
    }

    let conversation = json!({ "type": "conversation", "id": "123", "title": "Hello" });
    let decoded = decode(&notification("conversation.admin.replied", conversation.clone())).unwrap();
    match &decoded.value.event {
        Event::Untyped { topic, item } => {
            assert_eq!(*topic, Topic::ConversationAdminReplied);
            assert_eq!(item, &conversation, "the item is kept as received");
        }
        other => panic!("expected Untyped, got {other:?}"),
    }
    // The topic itself stays known: only its decoded variant needs the model.
    assert!(Topic::ALL.iter().any(|t| t.as_str() == "conversation.admin.replied"));
}
