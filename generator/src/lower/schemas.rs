//! SchemaUse of schemas: components into named types, inline schemas into types named after where
//! they sit, `allOf` merged, `oneOf`/`anyOf` into ranked unions.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::{Lowerer, SchemaUse};
use crate::error::{pointer_push, Result};
use crate::ir::{Decoding, EnumValue, Field, FieldRule, JsonKind, Ranked, Shape, Ty, TypeDef, TypeKind, Variant};
use crate::naming;

/// The most values an enum may have. Each value is a variant with its own arms in the generated
/// code, and rustc's cost grows faster than the count: 10,000 values took 0.86 GB to compile,
/// 30,000 took 4.56 GB and 100,000 were killed at 24.3 GB (issue 28). Upstream's largest enum has
/// 115 values; 1,000 leaves room for growth far below any compile cost that matters.
pub const MAX_ENUM_VALUES: usize = 1000;

impl Lowerer<'_> {
    /// The schema's `type`: absent, or one of OpenAPI 3.0's type names as a string. A number, a
    /// list (`[string, "null"]`, OpenAPI 3.1's form; 3.0 says `nullable: true`) or anything else
    /// is refused with its pointer rather than read as "any JSON".
    fn type_name_of<'s>(&self, obj: &'s Map<String, Value>, ptr: &str) -> Result<Option<&'s str>> {
        match obj.get("type") {
            None => Ok(None),
            Some(Value::String(name)) => Ok(Some(name)),
            Some(Value::Array(_)) => Err(self.err(
                &pointer_push(ptr, "type"),
                "`type` is a list; OpenAPI 3.0 has no type arrays (write one type and `nullable: true`)",
            )),
            Some(other) => {
                Err(self.err(&pointer_push(ptr, "type"), format!("`type` must be a type name, not `{other}`")))
            }
        }
    }

    /// The values of an enum with more than one, refused above [`MAX_ENUM_VALUES`].
    fn enum_of(&self, wires: &[String], ptr: &str) -> Result<TypeKind> {
        if wires.len() > MAX_ENUM_VALUES {
            return Err(self.err(
                &pointer_push(ptr, "enum"),
                format!(
                    "an enum of {} values is more than the {MAX_ENUM_VALUES} this generator accepts (rustc's memory grows faster than the number of values)",
                    wires.len()
                ),
            ));
        }
        Ok(TypeKind::Enum(enum_values(wires)))
    }

    /// Defines the type `name` from a component schema.
    pub(super) fn lower_named(&mut self, name: &str, schema: &Value, ptr: &str) -> Result<()> {
        let obj = schema.as_object().ok_or_else(|| self.err(ptr, "a schema must be an object"))?;
        let doc = description(obj);
        self.type_name_of(obj, ptr)?;
        if let Some(kind) = self.composite_kind(name, obj, ptr)? {
            self.out.types.insert(
                name.to_string(),
                TypeDef { name: name.into(), origin: ptr.into(), doc, bases: self.bases_of(obj), kind },
            );
            return Ok(());
        }
        // Anything else (a primitive, an array, a map, an alias) becomes an alias of its lowering.
        let lowering = self.lower_schema(schema, ptr, name)?;
        self.out.types.insert(
            name.into(),
            TypeDef {
                name: name.into(),
                origin: ptr.into(),
                doc,
                bases: Vec::new(),
                kind: TypeKind::Alias(lowering.ty),
            },
        );
        Ok(())
    }

    /// Struct, enum or oneOf for a schema that defines one, `None` for everything else.
    fn composite_kind(&mut self, name: &str, obj: &Map<String, Value>, ptr: &str) -> Result<Option<TypeKind>> {
        if obj.contains_key("$ref") {
            return Ok(None);
        }
        if let Some(values) = obj.get("enum") {
            let wires = enum_strings(values);
            if self.type_name_of(obj, ptr)? != Some("boolean") && wires.len() > 1 {
                return Ok(Some(self.enum_of(&wires, ptr)?));
            }
            return Ok(None);
        }
        if let Some(members) = alternatives(obj) {
            if !has_properties(obj) && members.len() > 1 {
                return Ok(Some(self.one_of(name, members, ptr)?));
            }
        }
        if self.is_struct(obj, ptr)? {
            return Ok(Some(TypeKind::Struct(self.struct_fields(name, obj, ptr)?)));
        }
        Ok(None)
    }

    /// Whether a schema (after `allOf` merging) declares properties, and so becomes a struct.
    fn is_struct(&self, obj: &Map<String, Value>, ptr: &str) -> Result<bool> {
        self.is_struct_at(obj, ptr, 0)
    }

    fn is_struct_at(&self, obj: &Map<String, Value>, ptr: &str, depth: usize) -> Result<bool> {
        if depth > 16 {
            return Err(self.err(ptr, "`allOf` nested deeper than 16 (a cycle?)"));
        }
        if has_properties(obj) {
            return Ok(true);
        }
        if let Some(Value::Array(members)) = obj.get("allOf") {
            for (i, m) in members.iter().enumerate() {
                let mptr = pointer_push(&pointer_push(ptr, "allOf"), &i.to_string());
                let (resolved, rptr) = self.resolve(m, &mptr)?;
                if let Some(robj) = resolved.as_object() {
                    if self.is_struct_at(robj, &rptr, depth + 1)? {
                        return Ok(true);
                    }
                }
            }
        }
        Ok(false)
    }

    /// Lowers a schema where it is used; inline composites get a type named from `hint`.
    pub(super) fn lower_schema(&mut self, schema: &Value, ptr: &str, hint: &str) -> Result<SchemaUse> {
        self.lower_schema_as(schema, ptr, &[hint.to_string()])
    }

    /// [`Self::lower_schema`] with the candidates for an inline type's name, best first
    /// (`naming::nested_type_hints`): the first one no other type has taken names it.
    pub(super) fn lower_schema_as(&mut self, schema: &Value, ptr: &str, hints: &[String]) -> Result<SchemaUse> {
        let obj = schema.as_object().ok_or_else(|| self.err(ptr, "a schema must be an object"))?;
        let nullable = obj.get("nullable").and_then(Value::as_bool).unwrap_or(false);
        let plain = |ty| SchemaUse { ty, nullable, constant: None, unix_time: false };
        if let Some(r) = obj.get("$ref") {
            // `$ref` siblings (`nullable`, `description`) are honoured, not dropped.
            return Ok(plain(Ty::Named(self.ref_name(r, &pointer_push(ptr, "$ref"))?)));
        }
        let ty_name = self.type_name_of(obj, ptr)?;
        if let Some(values) = obj.get("enum") {
            let wires = enum_strings(values);
            if ty_name == Some("boolean") {
                return Ok(plain(Ty::Bool));
            }
            if wires.len() == 1 {
                // A single allowed value is a tag (`type: company`): a string, so a new or
                // different value from the server never fails decoding.
                return Ok(SchemaUse { ty: Ty::String, nullable, constant: Some(wires[0].clone()), unix_time: false });
            }
            if wires.is_empty() {
                return Ok(plain(Ty::Json));
            }
        }
        if let Some(ty) = self.inline_cache.get(ptr) {
            return Ok(plain(ty.clone()));
        }
        // Single-member oneOf/anyOf/allOf wrappers are the member itself.
        if let Some(members) = alternatives(obj).or_else(|| {
            obj.get("allOf").and_then(Value::as_array).map(|m| m.iter().collect()).filter(|_| !has_properties(obj))
        }) {
            if members.len() == 1 && !has_properties(obj) {
                let key = if obj.contains_key("allOf") {
                    "allOf"
                } else if obj.contains_key("oneOf") {
                    "oneOf"
                } else {
                    "anyOf"
                };
                let inner = self.lower_schema_as(members[0], &pointer_push(&pointer_push(ptr, key), "0"), hints)?;
                return Ok(SchemaUse { nullable: nullable || inner.nullable, ..inner });
            }
        }
        let suffix = kind_suffix(obj);
        if obj.contains_key("enum")
            || alternatives(obj).is_some_and(|m| m.len() > 1 && !has_properties(obj))
            || self.is_struct(obj, ptr)?
        {
            let name = self.names.claim_first(hints, suffix);
            self.inline_cache.insert(ptr.to_string(), Ty::Named(name.clone()));
            let kind = self.composite_kind(&name, obj, ptr)?.expect("checked above");
            self.out.types.insert(
                name.clone(),
                TypeDef {
                    name: name.clone(),
                    origin: ptr.into(),
                    doc: description(obj),
                    bases: self.bases_of(obj),
                    kind,
                },
            );
            return Ok(plain(Ty::Named(name)));
        }
        let format = obj.get("format").and_then(Value::as_str);
        let ty = match ty_name {
            Some("string") if format == Some("binary") => Ty::Bytes,
            Some("string") => Ty::String,
            Some("integer") => {
                let unix_time = matches!(format, Some("date-time" | "timestamp"));
                return Ok(SchemaUse { ty: Ty::I64, nullable, constant: None, unix_time });
            }
            Some("number") => Ty::Number,
            Some("boolean") => Ty::Bool,
            Some("array") => match obj.get("items") {
                Some(items) => Ty::Vec(Box::new(
                    self.lower_schema_as(items, &pointer_push(ptr, "items"), &nested_hints(hints, "Item"))?
                        .into_element(),
                )),
                None => {
                    self.note("array without `items`: Vec<serde_json::Value>", ptr);
                    Ty::Vec(Box::new(Ty::Json))
                }
            },
            Some("object") | None if obj.contains_key("additionalProperties") || ty_name == Some("object") => {
                match obj.get("additionalProperties") {
                    Some(ap @ Value::Object(apo)) if !apo.is_empty() => Ty::Map(Box::new(
                        self.lower_schema_as(
                            ap,
                            &pointer_push(ptr, "additionalProperties"),
                            &nested_hints(hints, "Value"),
                        )?
                        .into_element(),
                    )),
                    _ => Ty::JsonObject,
                }
            }
            None => Ty::Json,
            Some(other) => {
                return Err(self.err(&pointer_push(ptr, "type"), format!("unsupported schema type `{other}`")))
            }
        };
        Ok(plain(ty))
    }

    fn struct_fields(&mut self, name: &str, obj: &Map<String, Value>, ptr: &str) -> Result<Vec<Field>> {
        let mut props: Vec<(String, Value, String)> = Vec::new();
        let mut required = BTreeSet::new();
        self.collect_properties(obj, ptr, &mut props, &mut required, 0)?;
        let mut fields = Vec::with_capacity(props.len());
        for (wire, schema, pptr) in props {
            let hints = naming::nested_type_hints(name, &naming::type_name(&wire));
            let lowering = self.lower_schema_as(&schema, &pptr, &hints)?;
            // `readOnly`: Intercom sets it and ignores it in requests, so no request must supply it.
            let read_only = schema.get("readOnly").and_then(Value::as_bool) == Some(true);
            let mut doc = schema.as_object().and_then(description);
            if read_only {
                self.note("`readOnly` property: never required, documented as set by Intercom", &pptr);
                let note = "Read-only: set by Intercom, ignored in requests.";
                doc = Some(doc.map_or_else(|| note.to_string(), |d| format!("{d}\n\n{note}")));
            }
            fields.push(Field {
                rust: naming::field_name(&wire),
                doc,
                example: schema.get("example").cloned(),
                pointer: pptr.clone(),
                required: required.contains(&wire) && !read_only,
                nullable: lowering.nullable,
                constant: lowering.constant,
                unix_time: lowering.unix_time,
                ty: lowering.ty,
                wire,
                rule: FieldRule::Optional,
                decoding: Decoding::ByValue,
            });
        }
        for unknown in required.iter().filter(|r| !fields.iter().any(|f| &f.wire == *r)) {
            self.note("`required` names an undeclared property: ignored", &format!("{ptr} ({unknown})"));
        }
        let rust_names = naming::dedupe(fields.iter().map(|f| f.rust.clone()).collect());
        for (f, n) in fields.iter_mut().zip(rust_names) {
            f.rust = n;
        }
        Ok(fields)
    }

    /// Gathers properties through `allOf` (and `$ref`s inside it); later declarations of a property
    /// replace earlier ones in place.
    fn collect_properties(
        &self,
        obj: &Map<String, Value>,
        ptr: &str,
        props: &mut Vec<(String, Value, String)>,
        required: &mut BTreeSet<String>,
        depth: usize,
    ) -> Result<()> {
        if depth > 16 {
            return Err(self.err(ptr, "`allOf` nested deeper than 16 (a cycle?)"));
        }
        if let Some(Value::Array(members)) = obj.get("allOf") {
            for (i, m) in members.iter().enumerate() {
                let mptr = pointer_push(&pointer_push(ptr, "allOf"), &i.to_string());
                let (resolved, rptr) = self.resolve(m, &mptr)?;
                let robj = resolved.as_object().ok_or_else(|| self.err(&rptr, "a schema must be an object"))?;
                self.collect_properties(robj, &rptr, props, required, depth + 1)?;
            }
        }
        if let Some(p) = obj.get("properties") {
            let map = p.as_object().ok_or_else(|| self.err(&pointer_push(ptr, "properties"), "must be an object"))?;
            let pptr = pointer_push(ptr, "properties");
            for (k, v) in map {
                let entry = (k.clone(), v.clone(), pointer_push(&pptr, k));
                match props.iter_mut().find(|(w, _, _)| w == k) {
                    Some(slot) => *slot = entry,
                    None => props.push(entry),
                }
            }
        }
        if let Some(Value::Array(names)) = obj.get("required") {
            required.extend(names.iter().filter_map(Value::as_str).map(str::to_string));
        }
        Ok(())
    }

    fn one_of(&mut self, name: &str, members: Vec<&Value>, ptr: &str) -> Result<TypeKind> {
        let key = if ptr_has_key(self.doc, ptr, "oneOf") { "oneOf" } else { "anyOf" };
        let mut variants = Vec::new();
        let mptrs: Vec<String> =
            (0..members.len()).map(|i| pointer_push(&pointer_push(ptr, key), &i.to_string())).collect();
        let shapes = members.iter().zip(&mptrs).map(|(m, mptr)| self.shape_of(m, mptr)).collect::<Result<Vec<_>>>()?;
        // An untitled inline object branch is titled by the members that tell it from its siblings.
        let held = naming::untitled_branch_labels(
            &shapes
                .iter()
                .map(|s| {
                    (s.kind == JsonKind::Object)
                        .then(|| naming::BranchMembers { declared: s.known.clone(), required: s.required.clone() })
                })
                .collect::<Vec<_>>(),
        );
        for (i, ((member, mptr), shape)) in members.iter().zip(&mptrs).zip(shapes).enumerate() {
            let untitled_inline = member.get("title").is_none() && member.get("$ref").is_none();
            let title = match member.get("title").and_then(Value::as_str) {
                Some(title) => Some(title),
                None if untitled_inline => held[i].as_deref(),
                None => None,
            };
            // An untitled list branch is not a type of its own: its items are the union's items
            // (`FilterSearchRequestValueItem`), not `…Variant4Item`.
            let is_list = member.get("type").and_then(Value::as_str) == Some("array");
            let hint =
                if untitled_inline && is_list { name.to_string() } else { naming::branch_type_hint(name, title, i) };
            let lowering = self.lower_schema(member, mptr, &hint)?;
            let label = self.branch_label(name, &lowering.ty, mptr, title, i);
            variants.push(Variant { rust: label, ty: lowering.ty, shape, ranked: Ranked::Own });
        }
        self.apply_discriminator(members.as_slice(), &mut variants, ptr)?;
        let tags: Vec<&[(String, String)]> = variants.iter().map(|v| v.shape.tags.as_slice()).collect();
        let names = naming::tag_variant_names(&tags).unwrap_or_else(|| {
            // Named after the types they wrap: the words all share are said by the enum's name.
            if variants.iter().all(|v| matches!(v.ty, Ty::Named(_))) {
                naming::shorten_variant_labels(&variants.iter().map(|v| v.rust.clone()).collect::<Vec<_>>())
            } else {
                variants.iter().map(|v| v.rust.clone()).collect()
            }
        });
        for (v, n) in variants.iter_mut().zip(names) {
            v.rust = n;
        }
        let labels = naming::dedupe(variants.iter().map(|v| v.rust.clone()).collect());
        for (v, l) in variants.iter_mut().zip(labels) {
            v.rust = l;
        }
        if variants.iter().any(|v| v.rust == "Unknown") {
            return Err(self.err(ptr, "a oneOf branch is named `Unknown`, which the catch-all variant uses"));
        }
        Ok(TypeKind::OneOf(variants))
    }

    /// A union branch's variant name, from what it holds: a `$ref` or a scalar by its type (the
    /// words the union's own name says dropped); an inline branch by its title, else `Variant{n}`;
    /// a list of an inline union of scalars by those scalars (`StringOrIntegerList`).
    fn branch_label(&self, parent: &str, ty: &Ty, mptr: &str, title: Option<&str>, index: usize) -> String {
        let inline = |n: &str| self.out.types.get(n).is_some_and(|d| d.origin.starts_with(mptr));
        match ty {
            Ty::Named(n) if inline(n) => naming::branch_label(parent, title, index),
            Ty::Vec(item) => match &**item {
                Ty::Named(n) if inline(n) => {
                    let held = match self.out.types.get(n).map(|d| &d.kind) {
                        Some(TypeKind::OneOf(variants)) if variants.iter().all(|v| !matches!(v.ty, Ty::Named(_))) => {
                            variants.iter().map(|v| v.rust.as_str()).collect::<Vec<_>>().join("Or")
                        }
                        _ => naming::branch_label(parent, title, index),
                    };
                    format!("{held}List")
                }
                _ => without_parent(parent, variant_label(ty)),
            },
            _ => without_parent(parent, variant_label(ty)),
        }
    }

    /// A `discriminator` with a `mapping` decides branches by the value of one property. A branch
    /// mapped from exactly one value gets that value as its tag (the runtime excludes a branch whose
    /// tag disagrees); a branch mapped from several values (many-to-one) carries no tag for that
    /// property, so it takes every value the other branches do not claim.
    fn apply_discriminator(&mut self, members: &[&Value], variants: &mut [Variant], ptr: &str) -> Result<()> {
        let doc = self.doc;
        let Some(disc) = doc.pointer(ptr).and_then(|o| o.get("discriminator")) else { return Ok(()) };
        let dptr = pointer_push(ptr, "discriminator");
        let property = disc
            .get("propertyName")
            .and_then(Value::as_str)
            .ok_or_else(|| self.err(&dptr, "a discriminator needs a string `propertyName`"))?
            .to_string();
        let Some(mapping) = disc.get("mapping").and_then(Value::as_object) else {
            self.note("discriminator without `mapping`: branches told apart by their shapes", &dptr);
            return Ok(());
        };
        for (value, target) in mapping {
            let target =
                target.as_str().ok_or_else(|| self.err(&dptr, "a discriminator mapping must name a `$ref`"))?;
            if !members.iter().any(|m| m.get("$ref").and_then(Value::as_str) == Some(target)) {
                return Err(
                    self.err(&dptr, format!("discriminator value `{value}` maps to `{target}`, which is no branch"))
                );
            }
        }
        for (member, variant) in members.iter().zip(variants.iter_mut()) {
            let Some(target) = member.get("$ref").and_then(Value::as_str) else { continue };
            let values: Vec<&String> =
                mapping.iter().filter(|(_, t)| t.as_str() == Some(target)).map(|(v, _)| v).collect();
            variant.shape.tags.retain(|(k, _)| *k != property);
            match values.as_slice() {
                [] => {}
                [single] => variant.shape.tags.push((property.clone(), (*single).clone())),
                several => self.note(
                    "discriminator mapping many-to-one: the branch takes the values no other branch claims",
                    &format!(
                        "{dptr} ({} → {target})",
                        several.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
                    ),
                ),
            }
        }
        self.note("discriminator mapping honoured: each branch tagged with its value", &dptr);
        Ok(())
    }

    /// The JSON shape a oneOf branch accepts: kind, tag values, required and known properties.
    fn shape_of(&self, member: &Value, ptr: &str) -> Result<Shape> {
        let (resolved, rptr) = self.resolve(member, ptr)?;
        let obj = resolved.as_object().ok_or_else(|| self.err(&rptr, "a schema must be an object"))?;
        let mut shape = Shape::default();
        if self.is_struct(obj, &rptr)? {
            shape.kind = JsonKind::Object;
            let mut props = Vec::new();
            let mut required = BTreeSet::new();
            self.collect_properties(obj, &rptr, &mut props, &mut required, 0)?;
            for (wire, schema, pptr) in &props {
                let (p, pptr) = self.resolve(schema, pptr)?;
                if let Some(values) = p.get("enum") {
                    match enum_strings(values).as_slice() {
                        [single] => shape.tags.push((wire.clone(), single.clone())),
                        [] => {}
                        several => shape.values.push((wire.clone(), several.to_vec())),
                    }
                }
                let kind = match p.as_object() {
                    Some(pobj) if self.is_struct(pobj, &pptr)? => JsonKind::Object,
                    Some(pobj) => declared_kind(pobj),
                    None => JsonKind::Any,
                };
                if kind != JsonKind::Any {
                    shape.kinds.push((wire.clone(), kind));
                }
                shape.known.push(wire.clone());
            }
            shape.required = required.into_iter().filter(|r| shape.known.contains(r)).collect();
            return Ok(shape);
        }
        shape.kind = declared_kind(obj);
        Ok(shape)
    }
}

/// The JSON kind a schema's `type` names (`Any` without one, or with a list of types).
fn declared_kind(obj: &Map<String, Value>) -> JsonKind {
    match obj.get("type").and_then(Value::as_str) {
        Some("string") => JsonKind::String,
        Some("integer") => JsonKind::Integer,
        Some("number") => JsonKind::Number,
        Some("boolean") => JsonKind::Bool,
        Some("array") => JsonKind::Array,
        Some("object") => JsonKind::Object,
        _ => JsonKind::Any,
    }
}

fn ptr_has_key(doc: &Value, ptr: &str, key: &str) -> bool {
    doc.pointer(ptr).and_then(|v| v.get(key)).is_some()
}

/// The branches of a `oneOf`/`anyOf` that describe data; branches that only add `required`
/// constraints (Intercom's "one of these identifiers" idiom) are not alternatives.
fn alternatives(obj: &Map<String, Value>) -> Option<Vec<&Value>> {
    let members = obj.get("oneOf").or_else(|| obj.get("anyOf"))?.as_array()?;
    let data: Vec<&Value> = members.iter().filter(|m| !is_constraint_only(m)).collect();
    if data.is_empty() {
        None
    } else {
        Some(data)
    }
}

fn is_constraint_only(schema: &Value) -> bool {
    schema.as_object().is_some_and(|o| o.keys().all(|k| matches!(k.as_str(), "required" | "title" | "description")))
}

fn has_properties(obj: &Map<String, Value>) -> bool {
    obj.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty())
}

fn kind_suffix(obj: &Map<String, Value>) -> &'static str {
    if obj.contains_key("enum") {
        "Enum"
    } else if obj.contains_key("oneOf") || obj.contains_key("anyOf") {
        "OneOf"
    } else {
        "Object"
    }
}

pub(crate) fn description(obj: &Map<String, Value>) -> Option<String> {
    obj.get("description").and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

/// String values of an `enum`, nulls dropped (they mean "nullable", which `nullable` also says).
fn enum_strings(values: &Value) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for v in values.as_array().into_iter().flatten() {
        let s = match v {
            Value::String(s) => s.clone(),
            Value::Null => continue,
            other => other.to_string(),
        };
        if seen.insert(s.clone()) {
            out.push(s);
        }
    }
    out
}

fn enum_values(wires: &[String]) -> Vec<EnumValue> {
    let names = naming::dedupe(
        wires
            .iter()
            .map(|w| naming::variant_name(w))
            .map(|n| if n == "Unknown" { "UnknownValue".into() } else { n })
            .collect(),
    );
    wires.iter().zip(names).map(|(w, n)| EnumValue { rust: n, wire: w.clone() }).collect()
}

/// The candidates for a type nested under `member` in a type not named yet, from the candidates
/// for its owner's name (an array's items, a map's values), best first, each once.
fn nested_hints(owner_hints: &[String], member: &str) -> Vec<String> {
    let mut hints: Vec<String> = Vec::new();
    for hint in owner_hints.iter().flat_map(|owner| naming::nested_type_hints(owner, member)) {
        if !hints.contains(&hint) {
            hints.push(hint);
        }
    }
    hints
}

/// A variant label without the words the union's name already says (`{Enum}{Title}` → `{Title}`).
fn without_parent(parent: &str, label: String) -> String {
    match label.strip_prefix(parent) {
        Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => rest.to_string(),
        _ => label,
    }
}

fn variant_label(ty: &Ty) -> String {
    match ty {
        Ty::Named(n) => n.clone(),
        Ty::String => "String".into(),
        Ty::I64 => "Integer".into(),
        Ty::Number => "Number".into(),
        Ty::Bool => "Bool".into(),
        Ty::Bytes => "Bytes".into(),
        Ty::Json => "Json".into(),
        Ty::JsonObject => "Object".into(),
        Ty::Vec(inner) => format!("{}List", variant_label(inner)),
        Ty::Map(inner) => format!("{}Map", variant_label(inner)),
        Ty::Option(inner) | Ty::Boxed(inner) => variant_label(inner),
    }
}
