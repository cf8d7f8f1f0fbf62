//! The intermediate representation: plain Rust data, with every Rust name already chosen.
//! Lowering fills it from the description; emission turns it into tokens without consulting the
//! description again.

use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    String,
    I64,
    /// `type: number`: kept as `serde_json::Number`, so `3` and `1.5` re-encode exactly.
    Number,
    Bool,
    /// Any JSON value.
    Json,
    /// A free-form JSON object (`custom_attributes`, `plan`, …).
    JsonObject,
    /// `type: string, format: binary`: raw bytes (a file part of a `multipart/form-data` body, a
    /// binary download).
    Bytes,
    Named(String),
    /// A nullable array item or map value (fields carry nullability separately).
    Option(Box<Ty>),
    Vec(Box<Ty>),
    /// `additionalProperties` with a schema: string keys to typed values.
    Map(Box<Ty>),
    /// Indirection for a type that contains itself (directly or through other types) by value;
    /// inserted by [`crate::cycles`] after lowering, never by the lowering itself.
    Boxed(Box<Ty>),
}

impl Ty {
    pub fn named_refs(&self, out: &mut BTreeSet<String>) {
        match self {
            Ty::Named(n) => {
                out.insert(n.clone());
            }
            Ty::Vec(t) | Ty::Map(t) | Ty::Option(t) | Ty::Boxed(t) => t.named_refs(out),
            _ => {}
        }
    }
}

#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    /// JSON pointer of the schema it came from.
    pub origin: String,
    pub doc: Option<String>,
    pub kind: TypeKind,
    /// Components whose properties were merged in through `allOf`: they share this type's uses.
    pub bases: Vec<String>,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(Vec<Field>),
    /// A string enum with a catch-all for values added later.
    Enum(Vec<EnumValue>),
    /// `oneOf`/`anyOf`: tried in ranked order, with a catch-all holding the raw JSON.
    OneOf(Vec<Variant>),
    Alias(Ty),
}

#[derive(Debug, Clone)]
pub struct Field {
    pub rust: String,
    pub wire: String,
    pub ty: Ty,
    pub doc: Option<String>,
    /// In the schema's `required` list.
    pub required: bool,
    pub nullable: bool,
    /// A single-value enum (`type: [company]`): documented, but decoded as a plain string.
    pub constant: Option<String>,
    /// `integer` with `format: date-time`/`timestamp`: Unix seconds.
    pub unix_time: bool,
    /// The property's schema-level `example`, if any (used to synthesize test values).
    pub example: Option<serde_json::Value>,
    /// JSON pointer of the property's schema (inside an `allOf` member for merged fields).
    pub pointer: String,
}

#[derive(Debug, Clone)]
pub struct EnumValue {
    pub rust: String,
    pub wire: String,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub rust: String,
    pub ty: Ty,
    pub shape: Shape,
}

/// What a JSON value must look like to be a candidate for a `oneOf` branch; used to rank branches
/// before trying to decode (all-optional structs would otherwise match anything).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shape {
    pub kind: JsonKind,
    /// Properties with a single allowed value, e.g. `("type", "contact")`.
    pub tags: Vec<(String, String)>,
    pub required: Vec<String>,
    pub known: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum JsonKind {
    #[default]
    Any,
    Object,
    Array,
    String,
    Integer,
    Number,
    Bool,
}
