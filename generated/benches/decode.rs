//! Decode and encode throughput of the generated 2.11 models against `serde_json::Value`, on the same
//! bytes in the same run: the description's largest response examples of contacts, conversations,
//! tickets and lists, plus one realistic page of contacts (see `common::contact_page`).
//!
//! `cargo bench -p intercom-api --bench decode` measures with divan. Under `cargo test` divan runs
//! every benchmark once, which checks that each sample decodes without timing anything.
//!
//! Each benchmark takes the representation as its innermost argument, so divan runs the typed and
//! the `Value` variant of one sample back to back: the two numbers that form a ratio are taken
//! moments apart, which keeps them comparable on a busy machine.

mod common;
#[path = "../tests/support/spec.rs"]
mod spec;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use divan::counter::BytesCount;
use divan::{black_box, Bencher};
use http::StatusCode;
use intercom_api::runtime::operation::decode_success;
use intercom_api::runtime::SuccessBody;
use intercom_api::v2_11::models::{
    Contact, ContactList, Conversation, DataAttributeList, PaginatedConversationResponse, Ticket, TicketList,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

/// Contacts in the synthetic `ContactList` page: a mid-size page.
const PAGE_SIZE: usize = 50;

static SAMPLES: OnceLock<BTreeMap<String, Vec<u8>>> = OnceLock::new();

#[derive(Debug, Clone, Copy)]
enum Repr {
    /// `serde_json::from_slice` into the model.
    Typed,
    /// `serde_json::from_slice` into `serde_json::Value`: the baseline.
    Value,
    /// What the client runs on a success body: `runtime::decode_success`, which decodes plainly
    /// and tracks the JSON path (for `Error::Decode`) only when that fails.
    Sdk,
}

fn main() {
    let mut samples = common::largest_response_examples();
    let page = common::contact_page(&samples, PAGE_SIZE);
    samples.insert("ContactList".into(), page);
    print_samples(&samples);
    SAMPLES.set(samples).expect("set once");
    divan::main();
}

fn print_samples(samples: &BTreeMap<String, Vec<u8>>) {
    println!("decode samples (2.11 response examples, compact JSON):");
    for name in SAMPLE_NAMES {
        println!("  {name:<32} {:>7} bytes", common::example(samples, name).len());
    }
}

/// Keep in step with the `types` lists below.
const SAMPLE_NAMES: [&str; 7] = [
    "Contact",
    "ContactList",
    "Conversation",
    "DataAttributeList",
    "PaginatedConversationResponse",
    "Ticket",
    "TicketList",
];

/// The sample of model `T`, by its unqualified name.
fn sample<T>() -> &'static [u8] {
    let name = std::any::type_name::<T>().rsplit("::").next().expect("a type has a name");
    common::example(SAMPLES.get().expect("main sets the samples"), name)
}

#[divan::bench(types = [Contact, ContactList, Conversation, DataAttributeList, PaginatedConversationResponse, Ticket, TicketList], args = [Repr::Typed, Repr::Value, Repr::Sdk])]
fn decode<T: DeserializeOwned + Serialize>(bencher: Bencher, repr: Repr) {
    let bytes = sample::<T>();
    let bencher = bencher.counter(BytesCount::of_slice(bytes));
    match repr {
        Repr::Typed => bencher.bench(|| serde_json::from_slice::<T>(black_box(bytes)).expect("sample decodes")),
        Repr::Value => bencher.bench(|| serde_json::from_slice::<Value>(black_box(bytes)).expect("sample is JSON")),
        Repr::Sdk => bencher.bench(|| {
            decode_success::<T>(SuccessBody::Json, StatusCode::OK, black_box(bytes)).expect("sample decodes")
        }),
    }
}

/// Encoding the decoded sample. Throughput is counted in bytes of the sample for both sides; the
/// typed encoding omits `null`s and members the model does not declare, so it may be shorter.
#[divan::bench(types = [Contact, ContactList, Conversation, DataAttributeList, PaginatedConversationResponse, Ticket, TicketList], args = [Repr::Typed, Repr::Value])]
fn encode<T: DeserializeOwned + Serialize + Sync>(bencher: Bencher, repr: Repr) {
    let bytes = sample::<T>();
    let bencher = bencher.counter(BytesCount::of_slice(bytes));
    match repr {
        Repr::Typed => {
            let typed: T = serde_json::from_slice(bytes).expect("sample decodes");
            bencher.bench(|| serde_json::to_vec(black_box(&typed)).expect("model serializes"))
        }
        Repr::Value | Repr::Sdk => {
            let value: Value = serde_json::from_slice(bytes).expect("sample is JSON");
            bencher.bench(|| serde_json::to_vec(black_box(&value)).expect("a JSON tree serializes"))
        }
    }
}
