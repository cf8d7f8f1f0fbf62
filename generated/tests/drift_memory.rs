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

#![cfg(feature = "v2_11")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use http::StatusCode;
use intercom_api::runtime::operation::decode_success_with;
use intercom_api::runtime::{Decoded, Decoding, Error, SuccessBody};
use intercom_api::v2_11::models::ContactList;
use serde_json::Value;

/// Counts the live heap bytes of each thread and their high-water mark.
struct Counting;

thread_local! {
    // Const-initialized `Cell`s of plain numbers: no allocation and no destructor, so the
    // allocator may use them.
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
    static TOTAL: Cell<usize> = const { Cell::new(0) };
}

fn grew(bytes: usize) {
    let _ = TOTAL.try_with(|total| total.set(total.get() + bytes));
    let _ = LIVE.try_with(|live| {
        live.set(live.get() + bytes as isize);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
}

fn shrank(bytes: usize) {
    let _ = LIVE.try_with(|live| live.set(live.get() - bytes as isize));
}

// SAFETY: every call is forwarded to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout);
        shrank(layout.size());
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        if !p.is_null() {
            shrank(layout.size());
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// What a decode cost this thread: its peak heap growth and all the bytes it allocated.
#[derive(Debug, Clone, Copy)]
struct Cost {
    peak: usize,
    total: usize,
}

/// Runs `f` and returns its result and what it cost.
fn cost_of<R>(f: impl FnOnce() -> R) -> (R, Cost) {
    let before = LIVE.with(Cell::get);
    PEAK.with(|p| p.set(before));
    let total_before = TOTAL.with(Cell::get);
    let result = f();
    let peak = (PEAK.with(Cell::get) - before).max(0) as usize;
    (result, Cost { peak, total: TOTAL.with(Cell::get) - total_before })
}

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
