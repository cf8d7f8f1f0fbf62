//! The intermediate representation: plain Rust data, with every Rust name already chosen.
//! Lowering fills it from the description; emission turns it into tokens without consulting the
//! description again.

use std::collections::{BTreeMap, BTreeSet};

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
    /// inserted by the resolve stage (`cycles.rs`), never by the lowering itself.
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
    /// Whether the Rust field is `T` or `Option<T>`, and why: decided once by the resolve stage
    /// (`policy.rs`); lowering leaves [`FieldRule::Optional`].
    pub rule: FieldRule,
    /// How the member's value gets into the field: decided once by the resolve stage
    /// (`decoding.rs`); lowering leaves [`Decoding::ByValue`].
    pub decoding: Decoding,
}

#[cfg(test)]
impl Field {
    /// A member `wire` of a schema `Holder`, as lowering leaves it but for its rule: what the
    /// resolve steps' tests start from.
    pub fn for_test(wire: &str, ty: Ty, rule: FieldRule) -> Field {
        Field {
            rust: wire.into(),
            wire: wire.into(),
            ty,
            doc: None,
            required: false,
            nullable: false,
            constant: None,
            unix_time: false,
            example: None,
            pointer: format!("#/components/schemas/Holder/properties/{wire}"),
            rule,
            decoding: Decoding::ByValue,
        }
    }
}

/// How a struct field's member is decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decoding {
    /// Decoded into a value of its own, then stored in the field.
    ByValue,
    /// A struct that keeps undeclared members (or a list of them), filled where it stays: never
    /// built elsewhere and moved, as some of those structs are kilobytes.
    InPlace,
    /// A `type` member with one documented value (the field's `constant`): any other value does
    /// not fit, so that an object of another type (a company where a contact is declared) is a
    /// mismatch, or an error in strict decoding, rather than silently accepted.
    Tag,
}

/// Why a field ended up with the Rust type it has; counted per version in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FieldRule {
    /// Input type, required and not nullable: `T`.
    RequiredInput,
    /// Output type, declared required: `Option<T>` anyway (the spec's own examples omit such fields).
    RequiredButOutput,
    /// Declared `nullable`: `Option<T>`.
    Nullable,
    /// Not in `required`: `Option<T>`.
    Optional,
}

impl FieldRule {
    pub fn describe(self) -> &'static str {
        match self {
            FieldRule::RequiredInput => "required in a request-only type: T",
            FieldRule::RequiredButOutput => "required but reachable from a response: Option<T>",
            FieldRule::Nullable => "nullable: Option<T>",
            FieldRule::Optional => "not required: Option<T>",
        }
    }

    pub fn is_optional(self) -> bool {
        self != FieldRule::RequiredInput
    }
}

/// Whether every field of a struct is an `Option` (every type a response can carry): such a struct
/// implements `runtime::de::Fields` itself and can be filled in place; the others (request-only
/// types with required fields) decode through a partial copy. Both kinds keep undeclared members
/// in `extra_`.
pub fn all_optional_fields(fields: &[Field]) -> bool {
    fields.iter().all(|f| f.rule.is_optional())
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
    /// The shapes the union ranks for this branch: decided once by the resolve stage
    /// (`decoding.rs`); lowering leaves [`Ranked::Own`].
    pub ranked: Ranked,
}

/// Which shapes stand for one branch of a union when the union ranks its branches.
#[derive(Debug, Clone, PartialEq)]
pub enum Ranked {
    /// The branch's own [`Shape`].
    Own,
    /// The branch holds another union, `union`: its ranked shapes, in the order its own `branch`
    /// numbers them, are ranked with the outer union's, so the value is buffered, probed and
    /// ranked once.
    Inner { union: String, shapes: Vec<Shape> },
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
    /// Properties whose schema names one JSON kind, with it: a member of another kind speaks
    /// against the branch when branches otherwise rank equally.
    pub kinds: Vec<(String, JsonKind)>,
    /// String properties with an enum of several values: a member with another value speaks
    /// against the branch the same way (`operator: "AND"` is a multiple-filter search, not a
    /// single filter). Enums stay open, so this only ranks.
    pub values: Vec<(String, Vec<String>)>,
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

// Operations: method, path, parameters, body and responses, with their types.

/// The keys of a path item that hold operations.
pub const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options"];

/// The header every operation declares; the runtime sends it from the module's version.
pub const VERSION_HEADER: &str = "Intercom-Version";

#[derive(Debug, Clone)]
pub struct Operation {
    /// operationId as (fixed up and) written in the spec.
    pub id: String,
    /// snake_case method name.
    pub fn_name: String,
    /// UpperCamelCase request type name.
    pub type_name: String,
    /// Upper-case HTTP method.
    pub method: String,
    pub path: String,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    pub pointer: String,
    /// The `Intercom-Version` this operation must be sent with when its header parameter allows a
    /// single value (Preview's closed-beta operations declare `preview`, lowercase); `None` sends
    /// the module's version.
    pub version_value: Option<String>,
    /// What a success answer is and how it is read; decided from the responses (and an `Accept`
    /// header parameter) during lowering.
    pub success: Success,
    /// How the operation pages: decided by the resolve stage; lowering leaves [`Paging::None`].
    pub paging: Paging,
}

/// How an operation's success answer is read, and into which type.
#[derive(Debug, Clone, PartialEq)]
pub struct Success {
    pub kind: SuccessKind,
    /// The output type; `None` is `()`.
    pub ty: Option<Ty>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuccessKind {
    /// JSON into the output type.
    Json,
    /// No body (`()`).
    Empty,
    /// `text/*` into a `String`.
    Text,
    /// The raw bytes: a `200` declared `application/octet-stream`, or one without content whose
    /// `Accept` header parameter allows only `application/octet-stream`.
    Binary,
    /// The only success is a `3xx` declaring a `Location` header: the output is that location, the
    /// redirect is never followed.
    Redirect,
}

impl SuccessKind {
    /// The runtime's `SuccessBody` variant.
    pub fn runtime_name(self) -> &'static str {
        match self {
            SuccessKind::Json => "Json",
            SuccessKind::Empty => "Empty",
            SuccessKind::Text => "Text",
            SuccessKind::Binary => "Binary",
            SuccessKind::Redirect => "Redirect",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub wire: String,
    pub rust: String,
    pub location: ParamLocation,
    pub required: bool,
    pub ty: Ty,
    /// `style: form` + `explode` (OpenAPI's default for query parameters is true).
    pub explode: bool,
    pub doc: Option<String>,
    /// The parameter's `example`, if any.
    pub example: Option<serde_json::Value>,
    /// The one value a required header parameter's schema allows (`Accept:
    /// application/octet-stream`): sent by the operation itself, never asked of the caller.
    pub constant: Option<String>,
    /// The operation struct's field that holds it (`body` is the request body's, so a parameter
    /// named `body` is held in `body_param`).
    pub field: String,
    /// The name of the `Call` setter of an optional parameter (suffixed where it would shadow a
    /// method of `Call` itself).
    pub setter: String,
}

impl Operation {
    /// The parameters a caller sets, in constructor order (required first). Left out: the
    /// `Intercom-Version` header, which is the module's (a `v2_11` operation that could send `2.7`
    /// would decode a 2.7 answer as 2.11 types), and a header with one allowed value, which the
    /// operation sends itself.
    pub fn caller_params(&self) -> Vec<&Param> {
        let mut params: Vec<&Param> = self
            .params
            .iter()
            .filter(|p| !(p.location == ParamLocation::Header && p.wire.eq_ignore_ascii_case(VERSION_HEADER)))
            .filter(|p| !p.is_constant_header())
            .collect();
        params.sort_by_key(|p| !p.required);
        params
    }
}

impl Param {
    /// A header the operation sends with its single allowed value.
    pub fn is_constant_header(&self) -> bool {
        self.location == ParamLocation::Header && self.constant.is_some()
    }
}

#[derive(Debug, Clone)]
pub struct Body {
    pub ty: Ty,
    /// `requestBody.required` as written; `None` when absent.
    pub required: Option<bool>,
    pub content_type: String,
    pub encoding: BodyEncoding,
}

/// How a request body goes on the wire.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyEncoding {
    /// The body type serialized as JSON (`application/json`, and any other media type the runtime
    /// has no encoder for, which the report lists).
    Json,
    /// `multipart/form-data`: one part per member of the body's struct, in declaration order.
    Multipart(Vec<FormPart>),
}

/// One member of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq)]
pub struct FormPart {
    /// The part's (and the member's) wire name.
    pub wire: String,
    /// `Some` for a `format: binary` member, sent as a file; `None` for a text part.
    pub file: Option<FilePart>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FilePart {
    pub filename: String,
    /// From the media type's `encoding.<member>.contentType`, else `application/octet-stream`.
    pub content_type: String,
}

impl Body {
    /// Intercom never writes `required` on bodies although they carry the payload, so an absent
    /// `required` is taken as required; only an explicit `required: false` makes it optional.
    pub fn required_or_unspecified(&self) -> bool {
        self.required != Some(false)
    }
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: String,
    pub ty: Option<Ty>,
    pub content_type: Option<String>,
    pub description: Option<String>,
    /// Declares a `Location` header (what a redirect carries).
    pub location_header: bool,
}

impl Response {
    pub fn is_success(&self) -> bool {
        self.status.starts_with('2')
    }
}

/// Where a request or response example sits and which type it should decode into.
#[derive(Debug, Clone)]
pub struct ExampleCase {
    /// JSON pointer of the example value inside the fixed-up description.
    pub pointer: String,
    pub is_request: bool,
    pub ty: Ty,
    /// For a request example: the status of the response example with the same name, if any
    /// (Intercom pairs them; request examples paired with a 4xx are deliberately invalid).
    pub paired_status: Option<String>,
}

#[derive(Debug, Default)]
/// One version's IR: every type and operation with its Rust names, the examples to check, and
/// what the lowering coped with.
pub struct Ir {
    pub types: BTreeMap<String, TypeDef>,
    pub components: Vec<(String, String)>,
    pub operations: Vec<Operation>,
    pub examples: Vec<ExampleCase>,
    /// Coping rules the lowering applied, with the pointers they touched (for the report).
    pub notes: BTreeMap<&'static str, Vec<String>>,
    pub renamed: Vec<(String, String)>,
    /// The client's groups of operations, by tag: decided by the resolve stage.
    pub client_groups: Vec<ClientGroup>,
    /// The cargo features each item needs: decided by the resolve stage (`resources.rs`).
    pub resources: Resources,
}

/// One accessor of a version's client `Api` (`client.v2_11().contacts()`) and the group type it
/// returns.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientGroup {
    /// The first tag (in name order) that maps to this group.
    pub tag: String,
    /// The accessor's name (`contacts`).
    pub method: String,
    /// The group type's name (`ContactsApi`).
    pub type_name: String,
    /// Indices into [`Ir::operations`], each listed once.
    pub operations: Vec<usize>,
}

// Pagination: how an operation pages, decided by the resolve stage (`pagination.rs`).

/// An operation's paging verdict.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Paging {
    #[default]
    None,
    /// The request takes a page position, but the response does not say where the next page is
    /// (or its items are ambiguous): not paginated, and reported with this reason.
    Unresolved(String),
    Paginated(Box<Pagination>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PaginationStyle {
    QueryCursor,
    BodyCursor,
    PageNumber,
    Scroll,
}

impl PaginationStyle {
    pub const ALL: [PaginationStyle; 4] = [
        PaginationStyle::QueryCursor,
        PaginationStyle::BodyCursor,
        PaginationStyle::PageNumber,
        PaginationStyle::Scroll,
    ];

    /// How the report names the style.
    pub fn label(self) -> &'static str {
        match self {
            PaginationStyle::QueryCursor => "cursor (query)",
            PaginationStyle::BodyCursor => "cursor (body)",
            PaginationStyle::PageNumber => "page number",
            PaginationStyle::Scroll => "scroll",
        }
    }
}

/// Everything the emitted `impl Paginated` reads and writes, as paths of fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    pub style: PaginationStyle,
    /// Where the request holds its page position.
    pub position: PagePosition,
    /// Where the response says what comes next.
    pub next: NextPage,
    /// The response's one array member: its field and item type.
    pub items: Step,
    pub item_ty: Ty,
    /// A scroll response's `total_count`, which lets the stream stop without an empty page.
    pub total_count: Option<MemberPath>,
    /// A cursor response's `pages.page` and `pages.total_pages`: when the page number is below the
    /// total, a missing next cursor is drift, not the end.
    pub page_of_total: Option<(MemberPath, MemberPath)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PagePosition {
    /// A query parameter of the operation (`starting_after`, `scroll_param`, `page`), by the
    /// operation's field name.
    Query { field: String, required: bool },
    /// `body.pagination.starting_after`; a missing `pagination` is created from `Default` when
    /// the member is optional.
    BodyCursor { pagination: Step, cursor: Step },
}

#[derive(Debug, Clone, PartialEq)]
pub enum NextPage {
    /// A string member of the response (`pages.next.starting_after`, `scroll_param`).
    Cursor(MemberPath),
    /// Page numbers: the response's `pages.page` (when declared) and `pages.total_pages`.
    PageNumber { page: Option<MemberPath>, total_pages: MemberPath },
}

/// One struct field on a path through nested members.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub rust: String,
    /// `Option<T>` (by [`FieldRule`]).
    pub optional: bool,
    /// Held in a `Box` (recursion).
    pub boxed: bool,
}

/// Members read one inside the other (`pages.next.starting_after`), and the leaf's type.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberPath {
    pub steps: Vec<Step>,
    pub leaf: Ty,
}

// Resources: which cargo features each generated item needs, decided by the resolve stage
// (`resources.rs`) and only read by the emitters.

/// The cargo features an item of a version module needs, beyond the version's own `-core` feature.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum Gate {
    /// Reached by every resource of the version (or needed by the module itself): no `cfg`.
    #[default]
    Always,
    /// Reached by these resources only (feature names, sorted, never empty, never all of them):
    /// `#[cfg(any(feature = "a", feature = "b"))]`.
    Any(Vec<String>),
    /// Reached by no operation (a component only webhooks or nothing uses): only the full version
    /// feature (`v2_16`) brings it.
    FullVersion,
}

/// One version's resources and what each item needs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resources {
    /// The full version feature (`v2_16`), which [`Gate::FullVersion`] items need.
    pub version_feature: String,
    /// Every resource feature of the version, sorted, with the tags that map to it.
    pub features: BTreeMap<String, Vec<String>>,
    /// Each type's gate, by type name (every type of [`Ir::types`]).
    pub types: BTreeMap<String, Gate>,
    /// Each operation's gate, in [`Ir::operations`] order.
    pub operations: Vec<Gate>,
    /// Each client group's gate, in [`Ir::client_groups`] order.
    pub groups: Vec<Gate>,
    /// Per client group, each method's gate beyond the group's ([`Gate::Always`]: none), in the
    /// order of [`ClientGroup::operations`]: a method whose operation has only some of the tags
    /// that name the group.
    pub group_methods: Vec<Vec<Gate>>,
}

impl Resources {
    /// The gate of the type `name` ([`Gate::Always`] for a name the resolve stage did not see).
    pub fn type_gate(&self, name: &str) -> &Gate {
        static ALWAYS: Gate = Gate::Always;
        self.types.get(name).unwrap_or(&ALWAYS)
    }

    pub fn operation_gate(&self, index: usize) -> &Gate {
        static ALWAYS: Gate = Gate::Always;
        self.operations.get(index).unwrap_or(&ALWAYS)
    }

    pub fn group_gate(&self, index: usize) -> &Gate {
        static ALWAYS: Gate = Gate::Always;
        self.groups.get(index).unwrap_or(&ALWAYS)
    }

    /// The gate of the `method`-th method of the `group`-th client group, beyond the group's own.
    pub fn group_method_gate(&self, group: usize, method: usize) -> &Gate {
        static ALWAYS: Gate = Gate::Always;
        self.group_methods.get(group).and_then(|m| m.get(method)).unwrap_or(&ALWAYS)
    }
}
