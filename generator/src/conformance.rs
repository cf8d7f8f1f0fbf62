//! The spec's own examples as a conformance corpus. For each request/response example whose schema
//! is a named type we hand out the example and the JSON that decoding then re-encoding it must give:
//! the example with `null`s removed (null ≡ absent) and with properties the type does not declare
//! removed (unknown fields are ignored by design).
//!
//! The corpus itself is test support (feature `test-kit`); what is always compiled is the
//! projection that finds undeclared members, because the codegen report counts them.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::ir::ExampleCase;
use crate::ir::{Ty, TypeDef, TypeKind};
use crate::Prepared;

#[cfg(feature = "test-kit")]
#[derive(Debug, Clone)]
pub struct Case {
    pub pointer: String,
    pub is_request: bool,
    /// Request examples only: the status of the same-named response example.
    pub paired_status: Option<String>,
    /// The Rust type name in the version's `models` module.
    pub type_name: String,
    pub value: Value,
    pub expected: Value,
    /// Object members dropped because the type does not declare them (`path.key`).
    pub undeclared: Vec<String>,
}

/// The examples whose schema is a named type and whose value is in the description, with that name
/// and value.
fn named_examples(prepared: &Prepared) -> impl Iterator<Item = (&ExampleCase, &String, &Value)> {
    prepared.ir.examples.iter().filter_map(|ex| {
        let Ty::Named(name) = &ex.ty else { return None };
        Some((ex, name, prepared.doc.pointer(&ex.pointer)?))
    })
}

/// For each response example of [`named_examples`]: its pointer and the members its type does not
/// declare (what the codegen report counts).
pub(crate) fn undeclared_in_responses(prepared: &Prepared) -> Vec<(String, Vec<String>)> {
    named_examples(prepared)
        .filter(|(ex, ..)| !ex.is_request)
        .map(|(ex, _, value)| {
            let mut undeclared = Vec::new();
            project(&prepared.ir.types, &ex.ty, value, "", &mut undeclared);
            (ex.pointer.clone(), undeclared)
        })
        .collect()
}

/// Cases whose schema is a named type, plus the number of examples skipped because it is not.
#[cfg(feature = "test-kit")]
pub fn cases(prepared: &Prepared) -> (Vec<Case>, usize) {
    let types = &prepared.ir.types;
    let mut out = Vec::new();
    for (ex, name, value) in named_examples(prepared) {
        let mut undeclared = Vec::new();
        let expected = project(types, &ex.ty, value, "", &mut undeclared);
        out.push(Case {
            pointer: ex.pointer.clone(),
            is_request: ex.is_request,
            paired_status: ex.paired_status.clone(),
            type_name: name.clone(),
            value: value.clone(),
            expected,
            undeclared,
        });
    }
    let skipped = prepared.ir.examples.len() - out.len();
    (out, skipped)
}

/// The form in which two JSON documents are compared: object members that are `null` removed
/// (null ≡ absent) and numbers compared by value (`0` ≡ `0.0`, as JSON itself has one number type).
#[cfg(feature = "test-kit")]
pub fn strip_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            Value::Object(map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), strip_nulls(v))).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(strip_nulls).collect()),
        Value::Number(n) => match n.as_f64() {
            Some(f) if n.is_f64() && f.fract() == 0.0 && f.abs() < 9.0e15 => Value::from(f as i64),
            _ => value.clone(),
        },
        other => other.clone(),
    }
}

fn project(
    types: &BTreeMap<String, TypeDef>,
    ty: &Ty,
    value: &Value,
    path: &str,
    undeclared: &mut Vec<String>,
) -> Value {
    match (ty, value) {
        (_, Value::Null) => Value::Null,
        (Ty::Option(inner) | Ty::Boxed(inner), _) => project(types, inner, value, path, undeclared),
        (Ty::Vec(item), Value::Array(items)) => Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| project(types, item, v, &format!("{path}[{i}]"), undeclared))
                .collect(),
        ),
        (Ty::Map(inner), Value::Object(map)) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), project(types, inner, v, &format!("{path}.{k}"), undeclared)))
                .collect(),
        ),
        (Ty::Named(name), _) => match types.get(name).map(|d| &d.kind) {
            Some(TypeKind::Alias(inner)) => project(types, inner, value, path, undeclared),
            Some(TypeKind::Struct(fields)) => match value {
                Value::Object(map) => {
                    let mut kept = Map::new();
                    for (k, v) in map {
                        match fields.iter().find(|f| &f.wire == k) {
                            Some(f) => {
                                kept.insert(k.clone(), project(types, &f.ty, v, &format!("{path}.{k}"), undeclared));
                            }
                            None => undeclared.push(format!("{path}.{k} (in {name})")),
                        }
                    }
                    Value::Object(kept)
                }
                other => other.clone(),
            },
            Some(TypeKind::OneOf(variants)) => {
                // Project with the first branch that declares each member (the union of branches).
                match value {
                    Value::Object(map) => {
                        let mut kept = Map::new();
                        for (k, v) in map {
                            let field = variants.iter().find_map(|var| match &var.ty {
                                Ty::Named(n) => match types.get(n).map(|d| &d.kind) {
                                    Some(TypeKind::Struct(fields)) => {
                                        fields.iter().find(|f| &f.wire == k).map(|f| f.ty.clone())
                                    }
                                    _ => None,
                                },
                                _ => None,
                            });
                            match field {
                                Some(fty) => {
                                    kept.insert(k.clone(), project(types, &fty, v, &format!("{path}.{k}"), undeclared));
                                }
                                None if variants
                                    .iter()
                                    .any(|var| matches!(var.ty, Ty::JsonObject | Ty::Json | Ty::Map(_))) =>
                                {
                                    kept.insert(k.clone(), v.clone());
                                }
                                None => undeclared.push(format!("{path}.{k} (in {name})")),
                            }
                        }
                        Value::Object(kept)
                    }
                    other => other.clone(),
                }
            }
            _ => value.clone(),
        },
        _ => value.clone(),
    }
}

/// Where two JSON values first differ, as `path: left vs right`; `None` when equal.
#[cfg(feature = "test-kit")]
pub fn first_difference(left: &Value, right: &Value) -> Option<String> {
    fn walk(a: &Value, b: &Value, path: &str) -> Option<String> {
        match (a, b) {
            (Value::Object(x), Value::Object(y)) => {
                for (k, v) in x {
                    match y.get(k) {
                        Some(w) => {
                            if let Some(d) = walk(v, w, &format!("{path}.{k}")) {
                                return Some(d);
                            }
                        }
                        None => return Some(format!("{path}.{k}: only on the left ({v})")),
                    }
                }
                y.keys().find(|k| !x.contains_key(*k)).map(|k| format!("{path}.{k}: only on the right ({})", y[k]))
            }
            (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
                x.iter().zip(y).enumerate().find_map(|(i, (v, w))| walk(v, w, &format!("{path}[{i}]")))
            }
            _ if a == b => None,
            _ => Some(format!("{path}: {a} vs {b}")),
        }
    }
    walk(left, right, "")
}

/// One value per success response type of the version, composed the way Intercom's reference pages
/// show an object: every property that has a schema-level `example` takes it, nested objects and
/// arrays of objects are composed the same way. Types that compose to nothing are left out.
/// `skip` names properties (by JSON pointer) whose example is known to contradict its type.
#[cfg(feature = "test-kit")]
pub fn composed_cases(prepared: &Prepared, skip: &dyn Fn(&str) -> bool) -> Vec<Case> {
    let types = &prepared.ir.types;
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for op in &prepared.ir.operations {
        for response in op.responses.iter().filter(|r| r.is_success()) {
            let Some(Ty::Named(name)) = &response.ty else { continue };
            if !seen.insert(name.clone()) {
                continue;
            }
            let Some(value) = compose(types, &Ty::Named(name.clone()), 0, skip) else { continue };
            let pointer = format!("{}/responses/{} (composed from property examples)", op.pointer, response.status);
            out.push(Case {
                pointer,
                is_request: false,
                paired_status: None,
                type_name: name.clone(),
                expected: value.clone(),
                value,
                undeclared: Vec::new(),
            });
        }
    }
    out
}

/// The model `type_name` composed from its properties' examples, as [`composed_cases`] composes
/// a response type: what Intercom's reference pages show of that object (a webhook item, say).
/// `skip` names properties (by JSON pointer) whose example is known to contradict its type.
#[cfg(feature = "test-kit")]
pub fn compose_named(prepared: &Prepared, type_name: &str, skip: &dyn Fn(&str) -> bool) -> Option<Value> {
    compose(&prepared.ir.types, &Ty::Named(type_name.to_string()), 0, skip)
}

#[cfg(feature = "test-kit")]
fn compose(types: &BTreeMap<String, TypeDef>, ty: &Ty, depth: usize, skip: &dyn Fn(&str) -> bool) -> Option<Value> {
    // Recursive schemas (the search AST) stop after a few levels.
    if depth > 6 {
        return None;
    }
    match ty {
        Ty::Option(inner) | Ty::Boxed(inner) => compose(types, inner, depth, skip),
        Ty::Vec(inner) => compose(types, inner, depth + 1, skip).map(|v| Value::Array(vec![v])),
        Ty::Named(name) => match types.get(name).map(|d| &d.kind) {
            Some(TypeKind::Alias(inner)) => compose(types, inner, depth, skip),
            Some(TypeKind::OneOf(variants)) => variants.iter().find_map(|v| compose(types, &v.ty, depth + 1, skip)),
            Some(TypeKind::Struct(fields)) => {
                let mut map = Map::new();
                for f in fields {
                    let known_wrong = || skip(&f.pointer);
                    let value = match &f.example {
                        Some(_) if known_wrong() => None,
                        Some(example) => Some(example.clone()),
                        None => compose(types, &f.ty, depth + 1, skip),
                    };
                    if let Some(v) = value {
                        map.insert(f.wire.clone(), v);
                    }
                }
                (!map.is_empty()).then_some(Value::Object(map))
            }
            _ => None,
        },
        _ => None,
    }
}

/// `value` with the JSON type of every scalar changed (string → number, number → boolean,
/// boolean → string): what a response looks like after Intercom changes a member's type.
#[cfg(feature = "test-kit")]
pub fn retype(value: &Value) -> Value {
    match value {
        Value::String(_) => Value::from(42),
        Value::Number(_) => Value::Bool(true),
        Value::Bool(b) => Value::String(b.to_string()),
        Value::Array(items) => Value::Array(items.iter().map(retype).collect()),
        Value::Object(map) => Value::Object(map.iter().map(|(k, v)| (k.clone(), retype(v))).collect()),
        Value::Null => Value::Null,
    }
}

#[cfg(all(test, feature = "test-kit"))]
mod tests {
    use super::*;

    #[test]
    fn retype_changes_every_scalar_and_keeps_the_shape() {
        let v = serde_json::json!({"a": "x", "b": 1.5, "c": [true, null], "d": {"e": 2}});
        assert_eq!(retype(&v), serde_json::json!({"a": 42, "b": true, "c": ["true", null], "d": {"e": true}}));
    }
}
