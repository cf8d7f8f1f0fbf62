//! What a user meets after the quickstart (issue 26): requests that carry what the description
//! lacks, responses that say which members it does not declare, and the crates of the public API
//! reachable through this one.

#![cfg(all(feature = "test-util", feature = "v2_11"))]

use intercom_api::client::testing::{MockTransport, Scripted};
use intercom_api::v2_11::models::CreateNoteRequest;
use intercom_api::Error;

fn client(mock: &MockTransport) -> intercom_api::Client {
    intercom_api::Client::builder("test-token").transport(mock.clone()).build()
}

const NOTE: &str = r#"{"type":"note","id":"17","body":"<p>Met</p>"}"#;

/// The reference page's create-note body sends `contact_id` and an integer `admin_id`, neither of
/// which 2.11's `CreateNoteRequest` declares in that form: both go in `extra_`, after the declared
/// members, exactly as given.
#[tokio::test]
async fn a_request_carries_members_the_description_lacks() {
    let mock = MockTransport::new();
    mock.push(Scripted::json(200, NOTE));
    let mut note = CreateNoteRequest::new("Met at the conference");
    note.extra_.insert("contact_id".into(), "6762f0dd1bb69f9f2193bb7b".into());
    note.extra_.insert("admin_id".into(), 991267.into());
    client(&mock).v2_11().notes().create_note("6762f0dd1bb69f9f2193bb7b", note).await.unwrap();

    let requests = mock.requests();
    assert_eq!(
        std::str::from_utf8(requests[0].body()).unwrap(),
        r#"{"body":"Met at the conference","contact_id":"6762f0dd1bb69f9f2193bb7b","admin_id":991267}"#
    );
}

/// A member set both as a declared field and in `extra_` would be sent twice: refused before
/// anything is sent, naming the member.
#[tokio::test]
async fn a_declared_member_repeated_in_extra_is_refused_before_sending() {
    let mock = MockTransport::new();
    mock.push(Scripted::json(200, NOTE));
    let mut note = CreateNoteRequest::new("Met at the conference");
    note.extra_.insert("body".into(), "twice".into());
    let error = client(&mock).v2_11().notes().create_note("1", note).await.unwrap_err();
    match &error {
        Error::InvalidRequest(message) => assert!(message.contains("`body`"), "{message}"),
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert_eq!(mock.request_count(), 0, "nothing may be sent");
}

/// A request decoded from JSON and encoded again loses nothing: the undeclared member survives.
#[test]
fn a_request_with_required_fields_round_trips_its_undeclared_members() {
    let json = r#"{"body":"Hi","admin_id":"12","contact_id":"abc","nested":{"a":[1,2]}}"#;
    let note: CreateNoteRequest = serde_json::from_str(json).unwrap();
    assert_eq!(note.body, "Hi");
    assert_eq!(note.extra_.get("contact_id"), Some(&serde_json::json!("abc")));
    assert_eq!(serde_json::to_string(&note).unwrap(), json);
}

/// Which members landed in `extra_`, by path; a member of the wrong type is a mismatch, not an
/// undeclared member.
#[tokio::test]
async fn a_response_lists_its_undeclared_members_by_path() {
    let mock = MockTransport::new();
    mock.push(Scripted::json(
        200,
        r#"{"type":"list","data":[
            {"type":"contact","id":"1"},
            {"type":"contact","id":"2","brand_new":{"x":1},"email":7,"custom_attributes":{"plan":"pro"}}
        ],"total_count":2,"surprise":true}"#,
    ));
    let response = client(&mock).v2_11().contacts().list_contacts().response().await.unwrap();
    assert_eq!(response.undeclared, ["data[1].brand_new", "surprise"]);
    assert_eq!(response.mismatches.len(), 1, "{:?}", response.mismatches);
    assert_eq!(response.mismatches[0].path, "data[1].email");
}

#[tokio::test]
async fn a_response_holding_only_declared_members_lists_none() {
    let mock = MockTransport::new();
    mock.push(Scripted::json(200, r#"{"type":"list","data":[{"type":"contact","id":"1"}],"total_count":1}"#));
    let response = client(&mock).v2_11().contacts().list_contacts().response().await.unwrap();
    assert!(response.undeclared.is_empty(), "{:?}", response.undeclared);
}

/// `http`, `bytes` and `serde_json` types appear in the public API; they are reachable through
/// this crate, so a user needs no dependency of their own whose version must match.
#[test]
fn the_crates_of_the_public_api_are_re_exported() {
    let client = intercom_api::Client::new("test-token");
    let operation = intercom_api::v2_11::operations::IdentifyAdmin::new();
    let request: intercom_api::http::Request<Vec<u8>> = client.request_for(&operation).unwrap();
    assert_eq!(request.method(), intercom_api::http::Method::GET);
    let bytes = intercom_api::bytes::Bytes::from_static(b"x");
    assert_eq!(bytes.len(), 1);
    let value: intercom_api::serde_json::Value = intercom_api::serde_json::json!({"a": 1});
    assert!(value.is_object());
}

/// 2.7's Contact reference page shows `formatted_phone`, which its description does not declare
/// (fix-up `contact-formatted-phone`): the member is a field, not an `extra_` entry.
#[cfg(feature = "v2_7")]
#[test]
fn formatted_phone_is_a_field_of_2_7s_contact() {
    let contact: intercom_api::v2_7::models::Contact =
        serde_json::from_str(r#"{"type":"contact","id":"1","phone":"+1123456789","formatted_phone":"+1123456789"}"#)
            .unwrap();
    assert_eq!(contact.formatted_phone.as_deref(), Some("+1123456789"));
    assert!(contact.extra_.is_empty(), "{:?}", contact.extra_);
}
