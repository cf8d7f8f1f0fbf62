//! One drifted member must not multiply the memory of a decode (issue 28, item 2): a page of
//! contacts whose last contact has a member of the wrong JSON type decodes leniently (kept raw,
//! reported) or fails strictly (naming the path) within 1.25 times the heap a clean decode of the
//! same page takes at its peak, and allocating at most 1.25 times as many bytes in all: the
//! lenient decode reuses the contacts the failed strict pass decoded instead of decoding them
//! again, and the strict one names its path without a second decode. Allocations are counted by
//! this binary's own allocator, per thread: the figures are deterministic, no time is measured.
//!
//! Before this, the lenient decode parsed the whole body into a `serde_json::Value` tree and the
//! strict one did the same to name its path: 2.7 times the clean peak on this page.
//!
//! The clean decode itself is bounded too: a page of small contacts takes at most 8 times its
//! body (it took 22.9 times, each absent optional struct inline in every `Contact` and the list
//! doubling its capacity), and a body repeating its list member decodes to the last copy
//! whichever copy drifted (the lenient pass's reuse of the strict pass's items must not mix
//! copies).

#![cfg(feature = "v2_11")]

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
#[path = "support/small_contact.rs"]
mod small_contact;

use counting_alloc::cost_of;
use http::StatusCode;
use intercom_api::runtime::operation::decode_success_with;
use intercom_api::runtime::{Decoded, Decoding, Error, SuccessBody};
use intercom_api::v2_11::models::ContactList;
use serde_json::Value;
use small_contact::small_contact;

/// Contacts in a page: a few megabytes of JSON.
const CONTACTS: usize = 6_000;

fn contact(index: usize) -> Value {
    serde_json::json!({
        "type": "contact",
        "id": format!("{index:024x}"),
        "role": "user",
        "email": format!("joe{index}@bloggs.com"),
        "name": format!("Joe Bloggs {index}"),
        "created_at": 1719492777,
        "location": {"type": "location", "country": "Ireland", "city": "Dublin"},
        "tags": {"type": "list", "data": [{"type": "tag", "id": format!("{index}"), "url": "/tags/1"}], "has_more": false},
        "custom_attributes": {"paid": true}
    })
}

/// The page, and the same page with `drift` applied to its last contact.
fn pages(drift: impl FnOnce(&mut Value)) -> (Vec<u8>, Vec<u8>) {
    let mut page = serde_json::json!({
        "type": "list",
        "data": (0..CONTACTS).map(contact).collect::<Vec<_>>(),
        "total_count": CONTACTS,
    });
    let clean = serde_json::to_vec(&page).unwrap();
    drift(&mut page["data"][CONTACTS - 1]);
    (clean, serde_json::to_vec(&page).unwrap())
}

fn decode(body: &[u8], decoding: Decoding) -> Result<Decoded<ContactList>, Error> {
    decode_success_with::<ContactList>(SuccessBody::Json, StatusCode::OK, body, decoding)
}

/// The bound: 1.25 times the clean decode's peak, and 64 KiB for the paths and messages.
fn bound(clean_peak: usize) -> usize {
    clean_peak + clean_peak / 4 + (64 << 10)
}

/// Decodes `drifted` leniently and strictly within the bound, and checks what each reports.
fn check(drift: impl FnOnce(&mut Value), path: &str) {
    let (clean, drifted) = pages(drift);
    let (decoded, clean_cost) = cost_of(|| decode(&clean, Decoding::Lenient));
    assert!(decoded.unwrap().mismatches.is_empty());
    assert!(clean_cost.peak > clean.len(), "the counting allocator sees the decode: {clean_cost:?}");

    let (decoded, lenient_cost) = cost_of(|| decode(&drifted, Decoding::Lenient));
    let decoded = decoded.unwrap_or_else(|e| panic!("kept raw, not an error: {e}"));
    let paths: Vec<&str> = decoded.mismatches.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths, [path], "{:?}", decoded.mismatches);
    // Lossless: every member, the drifted one included, re-encodes to what was received.
    let received: Value = serde_json::from_slice(&drifted).unwrap();
    assert_eq!(serde_json::to_value(&decoded.value).unwrap(), received);
    drop(decoded);
    assert!(
        lenient_cost.peak <= bound(clean_cost.peak),
        "lenient decode of one drifted member: {lenient_cost:?} against {clean_cost:?} clean"
    );
    assert!(
        lenient_cost.total <= bound(clean_cost.total),
        "lenient decode of one drifted member decodes the contacts before it once: {lenient_cost:?} against {clean_cost:?} clean"
    );

    let (result, strict_cost) = cost_of(|| decode(&drifted, Decoding::Strict));
    match result {
        Err(Error::Decode { path: at, message, .. }) => {
            assert_eq!(at, path, "{message}");
            assert!(message.contains("invalid type"), "{message}");
        }
        other => panic!("expected a decode error, got {:?}", other.map(|d| d.mismatches)),
    }
    assert!(
        strict_cost.peak <= bound(clean_cost.peak) && strict_cost.total <= bound(clean_cost.total),
        "strict decode of one drifted member names its path without a second decode: {strict_cost:?} against {clean_cost:?} clean"
    );
}

#[test]
fn a_drifted_string_member_costs_at_most_a_quarter_more_than_a_clean_decode() {
    check(|c| c["name"] = Value::from(12345), &format!("data[{}].name", CONTACTS - 1));
}

#[test]
fn a_scalar_where_a_struct_is_declared_costs_at_most_a_quarter_more() {
    check(|c| c["location"] = Value::from("Dublin"), &format!("data[{}].location", CONTACTS - 1));
}

#[test]
fn a_drifted_member_of_a_nested_list_item_costs_at_most_a_quarter_more() {
    check(|c| c["tags"]["data"][0]["id"] = Value::from(7), &format!("data[{}].tags.data[0].id", CONTACTS - 1));
}

#[test]
fn a_list_item_of_the_wrong_kind_keeps_the_whole_list_raw() {
    // No `extra_` can hold an item: the list is kept raw in its parent, as before.
    let (_, drifted) = pages(|c| c["tags"]["data"] = serde_json::json!([{"type": "tag", "id": "1"}, "two"]));
    let decoded = decode(&drifted, Decoding::Lenient).unwrap();
    let paths: Vec<&str> = decoded.mismatches.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths, [format!("data[{}].tags.data[1]", CONTACTS - 1)]);
    let last = &decoded.value.data.as_ref().unwrap()[CONTACTS - 1];
    assert_eq!(last.tags.as_ref().and_then(|t| t.data.as_ref()), None);
    let received: Value = serde_json::from_slice(&drifted).unwrap();
    assert_eq!(serde_json::to_value(&decoded.value).unwrap(), received);
    match decode(&drifted, Decoding::Strict) {
        Err(Error::Decode { path, .. }) => assert_eq!(path, format!("data[{}].tags.data[1]", CONTACTS - 1)),
        other => panic!("expected a decode error, got {:?}", other.map(|d| d.mismatches)),
    }
}

#[test]
fn a_page_of_small_contacts_decodes_within_eight_times_its_body() {
    // 20,000 contacts: past the size from which a list grows by a quarter, as a real page is.
    let page = serde_json::json!({
        "type": "list",
        "data": (0..20_000).map(small_contact).collect::<Vec<_>>(),
        "total_count": 20_000,
    });
    let body = serde_json::to_vec(&page).unwrap();
    let (decoded, cost) = cost_of(|| decode(&body, Decoding::Lenient));
    let decoded = decoded.unwrap();
    assert!(decoded.mismatches.is_empty());
    assert_eq!(serde_json::to_value(&decoded.value).unwrap(), page, "lossless");
    let times = cost.peak as f64 / body.len() as f64;
    assert!(times <= 8.0, "a clean decode took {times:.2} times its {} byte body: {cost:?}", body.len());
    // The list holds at most a quarter more slots than items.
    let data = decoded.value.data.as_ref().unwrap();
    assert!(data.capacity() <= data.len() + data.len() / 4, "{} slots for {} contacts", data.capacity(), data.len());
}

/// A `ContactList` body whose `data` member comes twice, each copy as given (JSON text).
fn repeated_data(first: &[Value], second: &[Value]) -> Vec<u8> {
    let list = |items: &[Value]| serde_json::to_string(items).unwrap();
    format!(r#"{{"type":"list","data":{},"total_count":2,"data":{}}}"#, list(first), list(second)).into_bytes()
}

/// Decodes `body` leniently; checks that it reads as `serde_json::Value` reads it (the last copy
/// of a repeated member) and returns the mismatches' paths.
fn decodes_to_last_copy(body: &[u8]) -> Vec<String> {
    let decoded = decode(body, Decoding::Lenient).unwrap_or_else(|e| panic!("kept raw, not an error: {e}"));
    let received: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(serde_json::to_value(&decoded.value).unwrap(), received, "the last copy of `data`, every member kept");
    decoded.mismatches.iter().map(|m| m.path.clone()).collect()
}

#[test]
fn a_repeated_list_member_decodes_to_its_last_copy_whichever_copy_drifted() {
    let contacts: Vec<Value> = (0..6).map(contact).collect();
    let drifted = |items: &[Value], at: usize| {
        let mut items = items.to_vec();
        items[at]["name"] = Value::from(7);
        items
    };
    // The last copy drifts: the strict pass saves its first items, and the lenient pass reaches
    // the first copy at the same path before it (longer, shorter, and as long as what was saved).
    assert_eq!(decodes_to_last_copy(&repeated_data(&contacts, &drifted(&contacts[3..], 2))), ["data[2].name"]);
    assert_eq!(decodes_to_last_copy(&repeated_data(&contacts[..1], &drifted(&contacts, 4))), ["data[4].name"]);
    assert_eq!(decodes_to_last_copy(&repeated_data(&contacts[..2], &drifted(&contacts[..3], 2))), ["data[2].name"]);
    // The first copy drifts: the received member is reported, the value is the last copy's.
    assert_eq!(decodes_to_last_copy(&repeated_data(&drifted(&contacts, 1), &contacts[..2])), ["data[1].name"]);
    // Both drift.
    let paths = decodes_to_last_copy(&repeated_data(&drifted(&contacts, 1), &drifted(&contacts[2..], 0)));
    assert_eq!(paths, ["data[1].name", "data[0].name"]);
}
