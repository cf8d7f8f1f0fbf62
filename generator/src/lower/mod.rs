//! Lowering: the fixed-up description (a JSON tree) → the IR. Component schemas claim their names
//! first; inline schemas are named after where they sit (`{Parent}{Property}`, `{Operation}Request`…)
//! and cached by JSON pointer, so a schema reached twice (e.g. through `allOf`) yields one type.
//! Lowering only translates: decisions over the whole IR (recursion, optionality, pagination) are
//! the resolve stage's (`resolve.rs`).

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::error::{pointer_push, Error, Location, Result};
use crate::ir::{Ir, Ty};
use crate::naming::{self, NameRegistry};

mod operations;
mod schemas;

pub use schemas::MAX_ENUM_VALUES;

pub(crate) use schemas::description;

/// Lowers a fixed-up description into its IR: the one entry point of this stage.
pub fn lower(file: &str, doc: &Value) -> Result<Ir> {
    Lowerer::new(file, doc).run()
}

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// The lowering's state: names claimed so far and inline types already lowered, by pointer.
pub(crate) struct Lowerer<'a> {
    file: &'a str,
    doc: &'a Value,
    names: NameRegistry,
    component_names: HashMap<String, String>,
    inline_cache: HashMap<String, Ty>,
    out: Ir,
}

/// One schema lowered where it is used: its type and what the use site must know besides.
#[derive(Debug, Clone)]
struct SchemaUse {
    ty: Ty,
    nullable: bool,
    constant: Option<String>,
    unix_time: bool,
}

impl SchemaUse {
    /// The type as an array item or map value, where nullability must live in the type itself.
    fn into_element(self) -> Ty {
        if self.nullable && !matches!(self.ty, Ty::Json) {
            Ty::Option(Box::new(self.ty))
        } else {
            self.ty
        }
    }
}

impl<'a> Lowerer<'a> {
    fn new(file: &'a str, doc: &'a Value) -> Self {
        Lowerer {
            file,
            doc,
            names: NameRegistry::default(),
            component_names: HashMap::new(),
            inline_cache: HashMap::new(),
            out: Ir::default(),
        }
    }

    fn err(&self, pointer: &str, message: impl Into<String>) -> Error {
        Error::Spec { location: Location { file: self.file.into(), pointer: pointer.into() }, message: message.into() }
    }

    fn note(&mut self, rule: &'static str, pointer: &str) {
        self.out.notes.entry(rule).or_default().push(pointer.to_string());
    }

    fn run(mut self) -> Result<Ir> {
        let schemas = match self.doc.pointer("/components/schemas") {
            Some(Value::Object(map)) => map.clone(),
            Some(_) => return Err(self.err("/components/schemas", "must be an object")),
            None => Map::new(),
        };
        // Pass 1: every component claims its name before any inline type is named.
        let mut claimed_by: HashMap<String, String> = HashMap::new();
        for key in schemas.keys() {
            let name = naming::type_name(key);
            let ptr = pointer_push("/components/schemas", key);
            if !self.names.reserve(&name) {
                let first = claimed_by.get(&name).cloned().unwrap_or_default();
                return Err(self.err(
                    &ptr,
                    format!("schemas {first} and {ptr} both map to the Rust name `{name}`; rename one with a fix-up"),
                ));
            }
            claimed_by.insert(name.clone(), ptr);
            self.component_names.insert(key.clone(), name.clone());
            self.out.components.push((key.clone(), name));
        }
        // Pass 2: lower each component into the type of that name.
        for (key, schema) in &schemas {
            let ptr = pointer_push("/components/schemas", key);
            let name = self.component_names[key].clone();
            self.lower_named(&name, schema, &ptr)?;
        }
        // Pass 3: operations (their inline bodies and parameters get names after the components').
        self.lower_operations()?;
        self.out.renamed = std::mem::take(&mut self.names.renamed);
        Ok(self.out)
    }

    /// Components named by `$ref` members of `allOf`.
    fn bases_of(&self, obj: &Map<String, Value>) -> Vec<String> {
        obj.get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|m| m.get("$ref")?.as_str()?.strip_prefix(COMPONENT_PREFIX))
            .filter_map(|key| self.component_names.get(key).cloned())
            .collect()
    }

    /// Resolves a `$ref` to the Rust name of its component, or fails naming the pointer.
    fn ref_name(&self, reference: &Value, ptr: &str) -> Result<String> {
        let text = reference.as_str().ok_or_else(|| self.err(ptr, "`$ref` must be a string"))?;
        let key = text.strip_prefix(COMPONENT_PREFIX).ok_or_else(|| {
            self.err(ptr, format!("unsupported `$ref` `{text}` (only {COMPONENT_PREFIX}… is supported)"))
        })?;
        self.component_names.get(key).cloned().ok_or_else(|| {
            self.err(ptr, format!("`$ref` `{text}` points at no schema, and no fix-up in spec/fixups.toml defines it"))
        })
    }

    /// Follows `$ref`s to the schema object they name, with its pointer.
    fn resolve<'v>(&self, schema: &'v Value, ptr: &str) -> Result<(&'v Value, String)>
    where
        'a: 'v,
    {
        let mut current = schema;
        let mut current_ptr = ptr.to_string();
        for _ in 0..32 {
            match current.get("$ref") {
                Some(r) => {
                    let text = r.as_str().ok_or_else(|| self.err(&current_ptr, "`$ref` must be a string"))?;
                    let key = text
                        .strip_prefix(COMPONENT_PREFIX)
                        .ok_or_else(|| self.err(&current_ptr, format!("unsupported `$ref` `{text}`")))?;
                    current_ptr = pointer_push("/components/schemas", key);
                    current = self
                        .doc
                        .pointer(&current_ptr)
                        .ok_or_else(|| self.err(ptr, format!("`$ref` `{text}` points at nothing")))?;
                }
                None => return Ok((current, current_ptr)),
            }
        }
        Err(self.err(ptr, "`$ref` chain longer than 32 (a cycle of aliases?)"))
    }
}
