//! Property test: the description's own response examples of every enabled version, mutated
//! (scalars retyped, members dropped, unknown members added, values nulled, arrays emptied), fed to
//! the generated decoders of their models. Nothing panics; whatever decodes (strictly, else
//! leniently) re-encodes to a value that decodes again to the same encoding, and loses nothing
//! (the re-encoding equals the mutated input, `null` ≡ absent).

#[path = "support/spec.rs"]
mod spec;
#[path = "conformance/versions.rs"]
mod versions;

use std::sync::OnceLock;

use intercom_codegen::conformance::strip_nulls;
use proptest::prelude::*;
use proptest::sample::Index;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

/// What the generated model dispatch hands each model type to.
pub trait ModelVisitor {
    type Output;
    fn visit<T: DeserializeOwned + Serialize>(self) -> Self::Output;
}

/// Decodes the value as the model, the client's way, and checks the round trip.
struct Check<'v>(&'v Value);

impl ModelVisitor for Check<'_> {
    type Output = Result<(), String>;

    fn visit<T: DeserializeOwned + Serialize>(self) -> Result<(), String> {
        let bytes = serde_json::to_vec(self.0).expect("a JSON tree serializes");
        let decoded = match serde_json::from_slice::<T>(&bytes) {
            Ok(decoded) => decoded,
            Err(_) => match intercom_api::runtime::lenient::decode::<T>(&bytes) {
                Ok((decoded, _)) => decoded,
                // The wrong overall shape (a string where an object is declared) stays an error.
                Err(_) => return Ok(()),
            },
        };
        let encoded = serde_json::to_value(&decoded).map_err(|e| format!("encode: {e}"))?;
        let again: T = intercom_api::runtime::lenient::decode_value::<T>(&encoded)
            .map_err(|e| format!("decode of the encoding: {e}"))?
            .0;
        let encoded_again = serde_json::to_value(&again).map_err(|e| format!("encode again: {e}"))?;
        if encoded_again != encoded {
            return Err(format!("unstable: {encoded} then {encoded_again}"));
        }
        if strip_nulls(&encoded) != strip_nulls(self.0) {
            return Err(format!("lost something: {} became {encoded}", self.0));
        }
        Ok(())
    }
}

/// (version, model name, response example) of every enabled version.
fn examples() -> &'static [(String, String, Value)] {
    static EXAMPLES: OnceLock<Vec<(String, String, Value)>> = OnceLock::new();
    EXAMPLES.get_or_init(|| {
        let spec = spec::workspace();
        let mut out = Vec::new();
        for pinned in spec.versions.versions.iter().filter(|v| versions::enabled(&v.name)) {
            let prepared = spec.prepare(pinned).unwrap_or_else(|e| panic!("{e}"));
            let (cases, _) = intercom_codegen::conformance::cases(&prepared);
            out.extend(
                cases.into_iter().filter(|c| !c.is_request).map(|c| (pinned.name.clone(), c.type_name, c.value)),
            );
        }
        assert!(!out.is_empty(), "no enabled version");
        out
    })
}

#[derive(Debug, Clone)]
enum Mutation {
    Retype,
    Drop,
    AddUnknown(String),
    Null,
    Empty,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        Just(Mutation::Retype),
        Just(Mutation::Drop),
        "[a-z_]{1,12}".prop_map(Mutation::AddUnknown),
        Just(Mutation::Null),
        Just(Mutation::Empty),
    ]
}

/// Applies `mutation` at the `at`-th node (pre-order) of `value`.
fn mutate(value: &mut Value, at: &mut usize, mutation: &Mutation) -> bool {
    if *at == 0 {
        match mutation {
            Mutation::Retype => *value = intercom_codegen::conformance::retype(value),
            Mutation::Null => *value = Value::Null,
            Mutation::Empty => match value {
                Value::Array(items) => items.clear(),
                Value::Object(map) => map.clear(),
                other => *other = Value::String(String::new()),
            },
            Mutation::Drop | Mutation::AddUnknown(_) => match value {
                Value::Object(map) if matches!(mutation, Mutation::Drop) => {
                    let first = map.keys().next().cloned();
                    if let Some(k) = first {
                        map.shift_remove(&k);
                    }
                }
                Value::Object(map) => {
                    if let Mutation::AddUnknown(name) = mutation {
                        map.insert(format!("zz_{name}"), Value::from(1));
                    }
                }
                other => *other = Value::Object(Map::new()),
            },
        }
        return true;
    }
    *at -= 1;
    match value {
        Value::Array(items) => items.iter_mut().any(|v| mutate(v, at, mutation)),
        Value::Object(map) => map.values_mut().any(|v| mutate(v, at, mutation)),
        _ => false,
    }
}

fn nodes(value: &Value) -> usize {
    1 + match value {
        Value::Array(items) => items.iter().map(nodes).sum(),
        Value::Object(map) => map.values().map(nodes).sum(),
        _ => 0,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_response_examples_never_panic_and_round_trip(which in any::<Index>(), mutations in prop::collection::vec((any::<Index>(), mutation()), 1..4)) {
        let (version, type_name, example) = which.get(examples());
        let mut value = example.clone();
        for (at, m) in &mutations {
            let mut at = at.index(nodes(&value));
            mutate(&mut value, &mut at, m);
        }
        let outcome = versions::visit(version, type_name, Check(&value)).expect("every example's model is in the dispatch");
        prop_assert!(outcome.is_ok(), "{} {}: {}", version, type_name, outcome.unwrap_err());
    }
}
