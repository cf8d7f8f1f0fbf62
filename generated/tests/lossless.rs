//! What users lost before the catch-all and the schema corrections, checked on every version
//! through the sans-IO core and through the client against a local server serving the description's
//! own documented example: the companies of a contact (Intercom sends `data`, the description
//! declared `companies`), a company page whose custom attributes are booleans and numbers, and
//! members no version declares, which come back in `extra_` and are encoded again.

// The cases are 2.7–2.11's; with none of those versions there is nothing to check.
#![cfg(any(feature = "v2_7", feature = "v2_8", feature = "v2_9", feature = "v2_10", feature = "v2_11"))]

#[cfg(feature = "client")]
#[path = "support/spec.rs"]
mod spec;

use intercom_api::runtime::{parse_response, parse_response_with, Decoding};
use serde_json::{json, Value};

fn ok(body: &Value) -> http::Response<Vec<u8>> {
    http::Response::builder().status(200).body(serde_json::to_vec(body).unwrap()).unwrap()
}

/// Intercom's documented answer of `GET /contacts/{id}/companies`.
fn companies_of_a_contact() -> Value {
    json!({
        "type": "list",
        "data": [{"type": "company", "company_id": "6", "id": "6671",
                  "custom_attributes": {"paid_subscriber": true, "monthly_spend": 155.5, "team_mates": 9}}],
        "pages": {"type": "pages", "page": 1, "per_page": 50, "total_pages": 1},
        "total_count": 1
    })
}

fn company_page() -> Value {
    json!({
        "type": "list",
        "data": [
            {"type": "company", "id": "1", "custom_attributes": {"plan": "pro"}},
            {"type": "company", "id": "2", "custom_attributes": {"paid_subscriber": true, "monthly_spend": 155.5, "team_mates": 9, "tags": ["a", 1], "nothing": null}}
        ],
        "total_count": 2,
        "brand_new_member": {"from": "a later API version"}
    })
}

macro_rules! lossless_on {
    ($name:ident, $feature:literal, $v:ident) => {
        #[cfg(feature = $feature)]
        #[test]
        fn $name() {
            use intercom_api::$v::operations as ops;
            // The companies of a contact are there, typed.
            let attached = parse_response::<ops::ListCompaniesForAContact>(ok(&companies_of_a_contact())).unwrap();
            let companies = attached.data.as_ref().expect("the companies are decoded");
            assert_eq!(companies.len(), 1);
            assert_eq!(companies[0].id.as_deref(), Some("6671"));
            assert_eq!(attached.total_count, Some(1));
            assert_eq!(serde_json::to_value(&attached).unwrap(), companies_of_a_contact());

            // Boolean and numeric custom attributes decode strictly, and nothing is lost.
            let page = parse_response_with::<ops::ListAllCompanies>(ok(&company_page()), Decoding::Strict).unwrap();
            assert!(page.mismatches.is_empty(), "{:?}", page.mismatches);
            let data = page.value.data.as_ref().unwrap();
            let attributes = data[1].custom_attributes.as_ref().unwrap();
            assert_eq!(attributes["paid_subscriber"], json!(true));
            assert_eq!(attributes["monthly_spend"], json!(155.5));
            // A member no version declares is reachable and encoded again.
            assert_eq!(page.value.extra_["brand_new_member"], json!({"from": "a later API version"}));
            let mut expected = company_page();
            expected["data"][1]["custom_attributes"].as_object_mut().unwrap().remove("nothing");
            let mut encoded = serde_json::to_value(&page.value).unwrap();
            encoded["data"][1]["custom_attributes"].as_object_mut().unwrap().remove("nothing");
            assert_eq!(encoded, expected);
        }
    };
}

lossless_on!(v2_7, "v2_7", v2_7);
lossless_on!(v2_8, "v2_8", v2_8);
lossless_on!(v2_9, "v2_9", v2_9);
lossless_on!(v2_10, "v2_10", v2_10);
lossless_on!(v2_11, "v2_11", v2_11);

/// The documented `200` example of `GET /contacts/{id}/companies` in `version`'s description.
#[cfg(feature = "client")]
fn documented_companies_of_a_contact(version: &str) -> Value {
    let spec = spec::workspace();
    let pinned = spec.pinned(version).unwrap_or_else(|e| panic!("{e}"));
    let prepared = spec.prepare(pinned).unwrap_or_else(|e| panic!("{e}"));
    let op = prepared.ir.operations.iter().find(|o| o.id == "listCompaniesForAContact").unwrap();
    let example = prepared
        .ir
        .examples
        .iter()
        .find(|e| !e.is_request && e.pointer.starts_with(&format!("{}/responses/200/", op.pointer)))
        .unwrap();
    prepared.doc.pointer(&example.pointer).unwrap().clone()
}

/// Serves `body` once on 127.0.0.1 as a `200` JSON response.
#[cfg(feature = "client")]
fn serve_once(body: Vec<u8>) -> (String, std::thread::JoinHandle<()>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
            head.push(byte[0]);
        }
        let reply = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(reply.as_bytes());
        let _ = stream.write_all(&body);
    });
    (url, handle)
}

macro_rules! client_gets_the_companies_on {
    ($name:ident, $feature:literal, $v:ident, $version:literal) => {
        #[cfg(all(feature = "client", feature = $feature))]
        #[tokio::test(flavor = "current_thread")]
        async fn $name() {
            let documented = documented_companies_of_a_contact($version);
            let (url, server) = serve_once(serde_json::to_vec(&documented).unwrap());
            let client = intercom_api::Client::builder("token").base_url(url).strict_decoding(true).build();
            let response = client
                .$v()
                .companies()
                .list_companies_for_a_contact("5f4d3c1c-7b1b-4d7d-a97e-6095715c6632")
                .response()
                .await
                .unwrap();
            let companies = response.data.data.as_ref().expect("the documented companies are decoded");
            assert!(!companies.is_empty(), "{documented}");
            assert!(companies.iter().all(|c| c.id.is_some()), "{documented}");
            assert!(response.mismatches.is_empty());
            let strip = |v: &Value| intercom_codegen::conformance::strip_nulls(v);
            assert_eq!(strip(&serde_json::to_value(&response.data).unwrap()), strip(&documented), "nothing is lost");
            server.join().unwrap();
        }
    };
}

client_gets_the_companies_on!(client_v2_7, "v2_7", v2_7, "2.7");
client_gets_the_companies_on!(client_v2_8, "v2_8", v2_8, "2.8");
client_gets_the_companies_on!(client_v2_9, "v2_9", v2_9, "2.9");
client_gets_the_companies_on!(client_v2_10, "v2_10", v2_10, "2.10");
client_gets_the_companies_on!(client_v2_11, "v2_11", v2_11, "2.11");
