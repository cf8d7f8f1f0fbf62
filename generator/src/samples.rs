//! Request values for tests against a mock server, derived from the IR: repairing spec examples
//! whose scalars contradict their declared types (ids written as numbers where strings are
//! declared, and the reverse), and synthesizing a value from schema-level property examples where
//! an operation has no usable example. Both are reported by the tests that use them.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::ir::{Field, Ty, TypeDef, TypeKind};

/// `value` with scalars converted to the types `ty` declares, and missing required tag fields
/// (`type: "…"` with a single allowed value) filled in.
pub fn repair(types: &BTreeMap<String, TypeDef>, ty: &Ty, value: &Value) -> Value {
    repair_at(types, ty, value, 0)
}

fn repair_at(types: &BTreeMap<String, TypeDef>, ty: &Ty, value: &Value, depth: usize) -> Value {
    if depth > 32 {
        return value.clone();
    }
    match (ty, value) {
        (_, Value::Null) => Value::Null,
        (Ty::String, Value::Number(n)) => Value::String(n.to_string()),
        (Ty::I64, Value::String(s)) => s.parse::<i64>().map(Value::from).unwrap_or_else(|_| Value::from(1)),
        (Ty::Number, Value::String(s)) => s.parse::<f64>().ok().map(Value::from).unwrap_or_else(|| Value::from(1)),
        (Ty::Option(inner) | Ty::Boxed(inner), v) => repair_at(types, inner, v, depth + 1),
        (Ty::Vec(item), Value::Array(items)) => {
            Value::Array(items.iter().map(|v| repair_at(types, item, v, depth + 1)).collect())
        }
        (Ty::Vec(item), Value::Object(_)) => Value::Array(vec![repair_at(types, item, value, depth + 1)]),
        (Ty::Map(inner), Value::Object(map)) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), repair_at(types, inner, v, depth + 1))).collect())
        }
        (Ty::Named(name), _) => match types.get(name).map(|d| &d.kind) {
            Some(TypeKind::Alias(inner)) => repair_at(types, inner, value, depth + 1),
            Some(TypeKind::Struct(fields)) => match value {
                Value::Object(map) => Value::Object(repair_object(types, fields, map, depth)),
                other => other.clone(),
            },
            Some(TypeKind::OneOf(variants)) => {
                // Repair with the branch whose tags agree and that knows the most members.
                let best = variants
                    .iter()
                    .filter(|v| {
                        v.shape.tags.iter().all(|(k, t)| value.get(k).and_then(Value::as_str).is_none_or(|a| a == t))
                    })
                    .max_by_key(|v| {
                        value.as_object().map(|m| m.keys().filter(|k| v.shape.known.contains(k)).count()).unwrap_or(0)
                    });
                match best {
                    Some(v) => repair_at(types, &v.ty, value, depth + 1),
                    None => value.clone(),
                }
            }
            _ => value.clone(),
        },
        _ => value.clone(),
    }
}

fn repair_object(
    types: &BTreeMap<String, TypeDef>,
    fields: &[Field],
    map: &Map<String, Value>,
    depth: usize,
) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in map {
        let repaired = match fields.iter().find(|f| &f.wire == k) {
            Some(f) => repair_at(types, &f.ty, v, depth + 1),
            None => v.clone(),
        };
        out.insert(k.clone(), repaired);
    }
    for f in fields.iter().filter(|f| f.required) {
        if let (Some(c), false) = (&f.constant, out.contains_key(&f.wire)) {
            out.insert(f.wire.clone(), Value::String(c.clone()));
        }
    }
    out
}

/// An object, or a choice whose first branch is one: a member that constraint-only requirements
/// (not in the IR) may name, such as `createMessage`'s `to` (a recipient or a list of them).
fn is_object_like(types: &BTreeMap<String, TypeDef>, ty: &Ty) -> bool {
    match ty {
        Ty::Named(n) => match types.get(n).map(|d| &d.kind) {
            Some(TypeKind::Struct(_)) => true,
            Some(TypeKind::OneOf(variants)) => variants.first().is_some_and(|v| is_object_like(types, &v.ty)),
            _ => false,
        },
        _ => false,
    }
}

/// A value of type `ty` built from schema-level examples: every field that has an example, nested
/// objects (and choices of objects) built the same way (constraint-only `anyOf` requirements are not in the IR, and they
/// usually name the nested objects), required tags set. An object left empty gets its first
/// field, so that "one of these identifiers" requirements can be met.
pub fn synthesize(types: &BTreeMap<String, TypeDef>, ty: &Ty) -> Value {
    synthesize_at(types, ty, 0)
}

fn synthesize_at(types: &BTreeMap<String, TypeDef>, ty: &Ty, depth: usize) -> Value {
    if depth > 8 {
        return Value::Null;
    }
    match ty {
        Ty::String => Value::String("123".into()),
        Ty::I64 => Value::from(1),
        Ty::Number => Value::from(1),
        Ty::Bool => Value::Bool(true),
        // A file part's content: an empty JSON array (what the catalog upload takes).
        Ty::Bytes => Value::String("[]".into()),
        Ty::Json | Ty::JsonObject | Ty::Map(_) => Value::Object(Map::new()),
        Ty::Option(inner) | Ty::Boxed(inner) => synthesize_at(types, inner, depth + 1),
        Ty::Vec(inner) => Value::Array(vec![synthesize_at(types, inner, depth + 1)]),
        Ty::Named(name) => match types.get(name).map(|d| &d.kind) {
            Some(TypeKind::Alias(inner)) => synthesize_at(types, inner, depth + 1),
            Some(TypeKind::Enum(values)) => {
                values.first().map(|v| Value::String(v.wire.clone())).unwrap_or(Value::Null)
            }
            Some(TypeKind::OneOf(variants)) => {
                variants.first().map(|v| synthesize_at(types, &v.ty, depth + 1)).unwrap_or(Value::Null)
            }
            Some(TypeKind::Struct(fields)) => {
                let mut out = Map::new();
                for f in fields {
                    let value = match (&f.example, &f.constant) {
                        (_, Some(c)) if f.required => Some(Value::String(c.clone())),
                        (Some(ex), _) => Some(repair_at(types, &f.ty, ex, depth + 1)),
                        (None, _) if f.required || is_object_like(types, &f.ty) => {
                            Some(synthesize_at(types, &f.ty, depth + 1))
                        }
                        _ => None,
                    };
                    if let Some(v) = value.filter(|v| !v.is_null()) {
                        out.insert(f.wire.clone(), v);
                    }
                }
                if out.is_empty() {
                    if let Some(f) = fields.first() {
                        out.insert(f.wire.clone(), synthesize_at(types, &f.ty, depth + 1));
                    }
                }
                Value::Object(out)
            }
            None => Value::Null,
        },
    }
}
