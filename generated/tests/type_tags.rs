//! A model whose `type` member has one documented value (`contact`) does not take another kind of
//! object (issue 28 item 3): a company answered to `show_contact` is a mismatch at `type`, the
//! value kept, or an error naming `type` in strict decoding, never a silent `Ok(Contact)`.

#![cfg(all(feature = "test-util", feature = "v2_11"))]

use intercom_api::client::testing::{MockTransport, Scripted};
use intercom_api::runtime::{parse_response_with, Decoding, Error};
use intercom_api::v2_11::operations::ShowContact;
use intercom_api::Client;

const COMPANY: &str = r#"{"type":"company","id":"6762f0dd1bb69f9f2193bb7b","name":"Acme","company_id":"acme"}"#;

fn client(mock: &MockTransport, strict: bool) -> Client {
    Client::builder("test-token").transport(mock.clone()).strict_decoding(strict).max_retries(0).build()
}

#[tokio::test(flavor = "current_thread")]
async fn a_company_answered_for_a_contact_is_a_mismatch_at_type() {
    let mock = MockTransport::new();
    mock.push(Scripted::json(200, COMPANY));
    let response = client(&mock, false).v2_11().contacts().show_contact("c1").response().await.unwrap();
    let paths: Vec<&str> = response.mismatches.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths, ["type"], "{:?}", response.mismatches);
    assert!(
        response.mismatches[0].message.contains("\"company\"") && response.mismatches[0].message.contains("`contact`")
    );
    // The value is kept raw, and the contact re-encodes to what was received.
    let contact = response.data;
    assert_eq!(contact.r#type, None);
    assert_eq!(contact.extra_["type"], "company");
    assert_eq!(contact.id.as_deref(), Some("6762f0dd1bb69f9f2193bb7b"));
    let received: serde_json::Value = serde_json::from_str(COMPANY).unwrap();
    assert_eq!(serde_json::to_value(&contact).unwrap(), received);
}

#[tokio::test(flavor = "current_thread")]
async fn strict_decoding_refuses_a_company_for_a_contact_naming_type() {
    let mock = MockTransport::new();
    mock.push(Scripted::json(200, COMPANY));
    let err = client(&mock, true).v2_11().contacts().show_contact("c1").await.unwrap_err();
    match &err {
        Error::Decode { path, message, .. } => {
            assert_eq!(path, "type", "{err}");
            assert!(message.contains("\"company\""), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_documented_value_null_and_absence_all_decode_strictly() {
    let ok = |body: &str| {
        let response = http::Response::builder().status(200).body(body.as_bytes().to_vec()).unwrap();
        parse_response_with::<ShowContact>(response, Decoding::Strict).unwrap()
    };
    assert_eq!(ok(r#"{"type":"contact","id":"1"}"#).value.r#type.as_deref(), Some("contact"));
    assert_eq!(ok(r#"{"type":null,"id":"1"}"#).value.r#type, None);
    assert_eq!(ok(r#"{"id":"1"}"#).value.r#type, None);
    // The other members decode as before.
    assert_eq!(ok(r#"{"type":"contact","role":"visitor"}"#).value.role.as_deref(), Some("visitor"));
}
