//! What users lost before the catch-all and the schema corrections, checked on every version
//! through the sans-IO core: the companies of a contact (Intercom sends `data`, the description
//! declared `companies`), a company page whose custom attributes are booleans and numbers, and
//! members no version declares, which come back in `extra_` and are encoded again.

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
