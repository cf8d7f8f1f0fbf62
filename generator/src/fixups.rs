//! Applies the per-version corrections from `spec/fixups.toml` to a parsed description. The fixes
//! are data, not code: each says which versions, which node (JSON pointer), what to do and why.
//! A fix-up that no longer matches its target is an error, so stale fixes cannot pile up silently.

use serde_json::Value;

use crate::config::{Fixup, FixupOp, FixupsFile};
use crate::error::{Error, Location, Result};

/// One fix-up that was applied, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedFixup {
    pub id: String,
    pub pointer: String,
    pub why: String,
}

pub fn apply(file: &str, version: &str, doc: &mut Value, fixups: &FixupsFile) -> Result<Vec<AppliedFixup>> {
    let mut applied = Vec::new();
    for fixup in fixups.fixups.iter().filter(|f| f.versions.iter().any(|v| v == version)) {
        apply_one(file, doc, fixup)?;
        applied.push(AppliedFixup { id: fixup.id.clone(), pointer: fixup.pointer.clone(), why: fixup.why.clone() });
    }
    Ok(applied)
}

fn apply_one(file: &str, doc: &mut Value, fixup: &Fixup) -> Result<()> {
    let fail = |message: String| Error::Fixup {
        location: Location { file: file.into(), pointer: fixup.pointer.clone() },
        fixup: fixup.id.clone(),
        message,
    };
    let (parent_ptr, last) = split_pointer(&fixup.pointer).ok_or_else(|| fail("pointer has no last token".into()))?;
    let parent = doc.pointer_mut(&parent_ptr).ok_or_else(|| fail(format!("parent `{parent_ptr}` does not exist")))?;
    let value = fixup.value.as_ref().map(toml_to_json);
    match parent {
        Value::Object(map) => match fixup.op {
            FixupOp::Add => {
                if map.contains_key(&last) {
                    return Err(fail("target already exists (has upstream fixed it?)".into()));
                }
                map.insert(last, value.expect("checked when parsing"));
            }
            FixupOp::Replace => {
                let slot = map
                    .get_mut(&last)
                    .ok_or_else(|| fail("target does not exist (has upstream changed it?)".into()))?;
                *slot = value.expect("checked when parsing");
            }
            FixupOp::Remove => {
                map.shift_remove(&last)
                    .ok_or_else(|| fail("target does not exist (has upstream changed it?)".into()))?;
            }
        },
        Value::Array(items) => {
            let index: usize = last.parse().map_err(|_| fail(format!("`{last}` is not an array index")))?;
            match fixup.op {
                FixupOp::Add if index <= items.len() => items.insert(index, value.expect("checked when parsing")),
                FixupOp::Replace if index < items.len() => items[index] = value.expect("checked when parsing"),
                FixupOp::Remove if index < items.len() => {
                    items.remove(index);
                }
                _ => return Err(fail(format!("index {index} out of range"))),
            }
        }
        _ => return Err(fail(format!("parent `{parent_ptr}` is neither an object nor an array"))),
    }
    Ok(())
}

/// Splits `/a/b~1c` into (`/a`, `b/c`): the parent pointer and the unescaped last token.
fn split_pointer(pointer: &str) -> Option<(String, String)> {
    let idx = pointer.rfind('/')?;
    let last = pointer[idx + 1..].replace("~1", "/").replace("~0", "~");
    Some((pointer[..idx].to_string(), last))
}

fn toml_to_json(value: &toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => Value::from(*f),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.iter().map(toml_to_json).collect()),
        toml::Value::Table(table) => Value::Object(table.iter().map(|(k, v)| (k.clone(), toml_to_json(v))).collect()),
    }
}
