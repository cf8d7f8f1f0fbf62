//! Every model of 2.11 that the descriptions' examples use, decoded from arbitrary bytes.
//!
//! Input: two bytes (big-endian) choosing the type, an index into `NAMES` modulo its length, then
//! the JSON body. Properties:
//! - neither the strict decode (`serde_json::from_slice`) nor the lenient one panics;
//! - a strictly decoded value encodes again, and that encoding decodes strictly to an equal value;
//! - a leniently decoded value encodes again (the members kept raw included), and that encoding
//!   decodes leniently to an equal value with the same mismatches. Not strictly: a member that
//!   did not fit its declared type is re-encoded as received, so it contradicts its type again;
//! - encoding is then stable: the value decoded from the encoding encodes to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde::de::DeserializeOwned;
use serde::Serialize;

use intercom_api::runtime::lenient;

mod dispatch {
    include!(concat!(env!("OUT_DIR"), "/dispatch.rs"));
}

fuzz_target!(|data: &[u8]| {
    let [hi, lo, json @ ..] = data else { return };
    let index = usize::from(u16::from_be_bytes([*hi, *lo])) % dispatch::NAMES.len();
    dispatch::dispatch(index, json);
});

fn check<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(json: &[u8]) {
    let name = std::any::type_name::<T>();
    if let Ok(value) = serde_json::from_slice::<T>(json) {
        let encoded = encode(&value);
        let again: T = serde_json::from_slice(&encoded).unwrap_or_else(|e| {
            panic!(
                "{name}: the encoding of a strictly decoded value does not decode strictly: {e}\nencoded: {}",
                String::from_utf8_lossy(&encoded)
            )
        });
        assert_eq!(
            value,
            again,
            "{name}: strict round trip changed the value\nencoded: {}",
            String::from_utf8_lossy(&encoded)
        );
        assert_eq!(encoded, encode(&again), "{name}: encoding is not stable");
    }
    if let Ok((value, mismatches)) = lenient::decode::<T>(json) {
        let encoded = encode(&value);
        let (again, again_mismatches) = lenient::decode::<T>(&encoded).unwrap_or_else(|e| {
            panic!(
                "{name}: the encoding of a leniently decoded value does not decode leniently: {e}\nencoded: {}",
                String::from_utf8_lossy(&encoded)
            )
        });
        assert_eq!(
            value,
            again,
            "{name}: lenient round trip changed the value\nencoded: {}",
            String::from_utf8_lossy(&encoded)
        );
        // The same mismatches, in any order: they follow document order, and encoding writes the
        // declared fields first and the kept members after them (the input may repeat a member).
        let sorted = |mut m: Vec<lenient::Mismatch>| {
            m.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
            m
        };
        assert_eq!(
            sorted(mismatches.clone()),
            sorted(again_mismatches),
            "{name}: lenient round trip changed the mismatches\nencoded: {}",
            String::from_utf8_lossy(&encoded)
        );
        assert_eq!(encoded, encode(&again), "{name}: encoding is not stable");
        // With nothing kept raw, the lenient decode is a strict one and must agree with it.
        if mismatches.is_empty() {
            match serde_json::from_slice::<T>(&encoded) {
                Ok(strict) => assert_eq!(strict, value, "{name}: strict and lenient decodes differ"),
                Err(e) => panic!("{name}: a lenient decode without mismatches encodes to what a strict decode refuses: {e}\nencoded: {}", String::from_utf8_lossy(&encoded)),
            }
        }
    }
}

fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value)
        .unwrap_or_else(|e| panic!("{}: a decoded value does not encode: {e}", std::any::type_name::<T>()))
}
