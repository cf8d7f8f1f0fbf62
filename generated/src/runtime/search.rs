//! Typed search queries: the query tree behind every version's `search` module
//! (`intercom_api::v2_16::search::contacts::email()`), the field handles, and the checks Intercom
//! would otherwise answer with a `400`.
//!
//! A query is a filter (`{field, operator, value}`) or a group (`{operator: AND|OR, value: [...]}`).
//! The generated modules hand out one function per field their version documents, each returning a
//! handle of the field's type that takes values of that type. **Which operators a field accepts
//! depends on the search and its version**: each search's description has its own "Accepted
//! Operators" table (contacts refuse `!=` on dates, conversations and tickets accept it; tickets
//! accept `<=`/`>=` on `created_at` only; conversations have no `<=`/`>=` at all). The generator
//! reads each table into rules types ([`Allows`] implementations on the module's `Resource`, or on
//! a field's own rules type where the description singles the field out), and a handle's method
//! exists only where those rules allow its operator:
//!
//! | handle | methods (operator), each where the search accepts it | value |
//! |---|---|---|
//! | [`StringField`] | `eq` (`=`) `ne` (`!=`) `is_in` (`IN`) `not_in` (`NIN`) `contains` (`~`) `not_contains` (`!~`) `starts_with` (`^`) `ends_with` (`$`) | text |
//! | [`IntegerField`] | `eq` `ne` `is_in` `not_in` `lt` (`<`) `gt` (`>`) `le` (`<=`) `ge` (`>=`) | `i64` |
//! | [`BooleanField`] | `eq` `ne` `is_in` `not_in` | `bool` |
//! | [`DateField`] | [`on`](DateField::on) (`=`) [`ne`](DateField::ne) `is_in` `not_in` [`before`](DateField::before) (`<`) [`after`](DateField::after) (`>`) [`at_or_before`](DateField::at_or_before) (`<=`) [`at_or_after`](DateField::at_or_after) (`>=`) | Unix seconds (`i64`) |
//! | [`DatetimeField`] | `at` (`=`) `ne` `is_in` `not_in` `before` `after` `at_or_before` `at_or_after` | Unix seconds (`i64`) |
//! | [`TagField`] | `eq` `ne` | a tag id |
//!
//! Each generated `Resource` documents the table it was given, and its module's `FIELDS` lists
//! every field with its operators.
//!
//! # Dates
//!
//! Intercom matches timestamps and date custom attributes **by calendar day, in the workspace's
//! timezone**, never to the second: [`DateField::on`] matches the whole day the timestamp falls on,
//! [`DateField::after`] matches from the start of the *next* day, and [`DateField::before`] matches
//! everything before the start of that day. So two workspaces in different timezones can answer
//! the same query differently. (Preview's contacts match their standard timestamps to the second
//! instead: those fields are [`DatetimeField`]s.)
//!
//! The rules are types, so an operator a search refuses does not compile. A search with the
//! contacts' rules for dates (`=`, `<`, `>`):
//!
//! ```compile_fail,E0277
//! use intercom_api::runtime::search::{kind, op, Allows, DateField, Query};
//! enum Contacts {}
//! impl Allows<kind::Date, op::Eq> for Contacts {}
//! impl Allows<kind::Date, op::Lt> for Contacts {}
//! impl Allows<kind::Date, op::Gt> for Contacts {}
//! let created_at: DateField<Contacts> = DateField::new("created_at");
//! let _: Query<Contacts> = created_at.ne(1_577_836_800); // no `!=` on a date
//! ```
//!
//! (The same with `on`, which it has, compiles:)
//!
//! ```
//! use intercom_api::runtime::search::{kind, op, Allows, DateField, Query};
//! enum Contacts {}
//! impl Allows<kind::Date, op::Eq> for Contacts {}
//! let created_at: DateField<Contacts> = DateField::new("created_at");
//! let _: Query<Contacts> = created_at.on(1_577_836_800);
//! ```
//!
//! A query is typed by the search it is for, so the filters of two searches do not mix:
//!
//! ```compile_fail
//! use intercom_api::runtime::search::{all_of, kind, op, Allows, StringField};
//! enum Contacts {}
//! enum Tickets {}
//! impl Allows<kind::String, op::Eq> for Contacts {}
//! impl Allows<kind::String, op::Eq> for Tickets {}
//! let email = StringField::<Contacts>::new("email");
//! let state = StringField::<Tickets>::new("state");
//! let _ = all_of([email.eq("ada@example.com"), state.eq("submitted")]);
//! ```
//!
//! # What is checked before sending
//!
//! What the types cannot express is checked when the query becomes a request body
//! ([`Query::to_json`], and the generated `TryFrom<Query>` conversions and `search` methods that
//! call it): at most [`MAX_GROUP_NESTING`] nested groups, between 1 and [`MAX_GROUP_SIZE`] queries in
//! each group, a non-empty list for `IN`/`NIN`, and, for a custom attribute whose type the caller
//! declared ([`CustomAttribute::typed`]), an operator the search accepts on that type (its
//! [`SearchRules`], the same table the types come from). A violation is
//! [`Error::InvalidRequest`] naming the rule, and nothing is sent.
//!
//! # Fields the tables do not know
//!
//! [`Query::raw`] builds any filter (field, operator, JSON value) with no type check: for fields
//! Intercom added after the pinned description, or operators Intercom accepts beyond what its
//! description documents. The limits above still apply to it.
#![cfg_attr(feature = "v2_16", doc = include_str!("search_v2_16.md"))]

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde_json::{json, Value};

use crate::runtime::Error;

/// At most this many levels of nested groups: `(1 OR 2) AND (3 OR 4)` is two.
pub const MAX_GROUP_NESTING: usize = 2;
/// At most this many queries in one `AND` or `OR` group.
pub const MAX_GROUP_SIZE: usize = 15;

/// A filter's operator, as Intercom spells it on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operator {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `IN`: the value is a list.
    In,
    /// `NIN`: the value is a list.
    Nin,
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `<=`
    Le,
    /// `>=`
    Ge,
    /// `~` (contains)
    Contains,
    /// `!~` (does not contain)
    NotContains,
    /// `^` (starts with)
    StartsWith,
    /// `$` (ends with)
    EndsWith,
}

impl Operator {
    /// The operator as sent.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::Eq => "=",
            Operator::Ne => "!=",
            Operator::In => "IN",
            Operator::Nin => "NIN",
            Operator::Lt => "<",
            Operator::Gt => ">",
            Operator::Le => "<=",
            Operator::Ge => ">=",
            Operator::Contains => "~",
            Operator::NotContains => "!~",
            Operator::StartsWith => "^",
            Operator::EndsWith => "$",
        }
    }

    /// Whether the value is a list (`IN`, `NIN`).
    fn takes_list(self) -> bool {
        matches!(self, Operator::In | Operator::Nin)
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A searchable field's type, as the "Accepted Fields" tables of the search operations name it.
/// Which operators a type accepts depends on the search (and its version): see [`SearchRules`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldType {
    /// Text.
    String,
    /// Whole numbers.
    Integer,
    /// `true`/`false`.
    Boolean,
    /// A Unix timestamp matched by calendar day.
    Date,
    /// A Unix timestamp matched to the second (Preview's contacts call their standard timestamps
    /// "Datetime", apart from Date custom attributes).
    Datetime,
    /// A tag id (contacts' `tag_id`, by a fix-up): a text value with only the operators its
    /// search allows on that field.
    Tag,
    /// A family of fields named by the caller (`custom_attributes.{name}`) whose type the
    /// description leaves to each attribute.
    Custom,
}

impl FieldType {
    fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::Datetime => "datetime",
            FieldType::Tag => "tag",
            FieldType::Custom => "custom",
        }
    }
}

/// The operator rules of one search in one version, implemented by the `Resource` marker of each
/// generated search module from its description's "Accepted Operators" section. The same rules
/// are types ([`Allows`], what the handles' methods require) and this value (what the checks
/// before sending use).
pub trait SearchRules {
    /// Per field type, the operators the search accepts on fields of that type; a type absent
    /// here accepts none.
    const OPERATORS: &'static [(FieldType, &'static [Operator])];

    /// Whether the search accepts `operator` on a field of type `field_type`.
    fn allows(field_type: FieldType, operator: Operator) -> bool {
        Self::OPERATORS.iter().any(|(t, ops)| *t == field_type && ops.contains(&operator))
    }
}

/// The field kinds of [`Allows`]: one type per field handle.
pub mod kind {
    /// [`StringField`](super::StringField)
    #[derive(Debug)]
    pub enum String {}
    /// [`IntegerField`](super::IntegerField)
    #[derive(Debug)]
    pub enum Integer {}
    /// [`BooleanField`](super::BooleanField)
    #[derive(Debug)]
    pub enum Boolean {}
    /// [`DateField`](super::DateField)
    #[derive(Debug)]
    pub enum Date {}
    /// [`DatetimeField`](super::DatetimeField)
    #[derive(Debug)]
    pub enum Datetime {}
    /// [`TagField`](super::TagField)
    #[derive(Debug)]
    pub enum Tag {}
}

/// The operators of [`Allows`]: one type per [`Operator`].
pub mod op {
    macro_rules! operators {
        ($($name:ident $wire:literal),* $(,)?) => {$(
            #[doc = concat!("`", $wire, "`")]
            #[derive(Debug)]
            pub enum $name {}
        )*};
    }
    operators!(Eq "=", Ne "!=", In "IN", Nin "NIN", Lt "<", Gt ">", Le "<=", Ge ">=", Contains "~",
        NotContains "!~", StartsWith "^", EndsWith "$");
}

/// The search whose rules these are accepts the operator `O` on fields of kind `K`: implemented
/// by generated code only (each search module's `Resource`, and a field's own rules type where
/// its description sets it apart). A handle's method for `O` exists only where its rules
/// implement this, so an operator the search refuses does not compile.
#[diagnostic::on_unimplemented(
    message = "this search does not accept the operator `{O}` on a field of kind `{K}`",
    label = "not accepted by `{Self}`",
    note = "the operators come from the search's \"Accepted Operators\" section for this version; \
            `Query::raw` sends any filter unchecked"
)]
pub trait Allows<K, O> {}

/// One row of a version's "Accepted Fields" table: the `FIELDS` list of each generated resource
/// module. A name with `{…}` (`custom_attributes.{attribute_name}`) is a family, reached through a
/// function taking the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldInfo {
    /// The field as sent (`location.country`).
    pub name: &'static str,
    pub field_type: FieldType,
    /// The operators the search accepts on this field (empty for a family, whose members follow
    /// the rules of the type the caller gives them).
    pub operators: &'static [Operator],
}

impl FieldInfo {
    /// For generated code.
    pub const fn new(name: &'static str, field_type: FieldType, operators: &'static [Operator]) -> Self {
        FieldInfo { name, field_type, operators }
    }
}

/// How the query combines its members.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum GroupOp {
    And,
    Or,
}

impl GroupOp {
    fn as_str(self) -> &'static str {
        match self {
            GroupOp::And => "AND",
            GroupOp::Or => "OR",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Filter {
        field: String,
        operator: Operator,
        value: Value,
        /// The type the caller declared for a custom attribute: its operator is checked against the
        /// search's rules for it.
        declared: Option<Declared>,
    },
    Group {
        operator: GroupOp,
        members: Vec<Node>,
    },
}

/// A custom attribute's declared type, and whether its search accepts the filter's operator on
/// that type (decided where the search's rules are known, reported by the checks).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Declared {
    field_type: FieldType,
    allowed: bool,
}

/// A search query for the resource `R` (a marker type of a generated module, e.g.
/// `v2_16::search::contacts::Resource`), so that a contacts query cannot be sent to the
/// conversations search. Build it from the field functions of the version's `search` module,
/// combine with [`and`](Query::and), [`or`](Query::or), [`all_of`] and [`any_of`].
pub struct Query<R> {
    node: Node,
    resource: PhantomData<fn() -> R>,
}

impl<R> Clone for Query<R> {
    fn clone(&self) -> Self {
        Query { node: self.node.clone(), resource: PhantomData }
    }
}

impl<R> PartialEq for Query<R> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

impl<R> fmt::Debug for Query<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Query").field(&self.node).finish()
    }
}

/// Every query must match (`AND`).
pub fn all_of<R>(queries: impl IntoIterator<Item = Query<R>>) -> Query<R> {
    Query::group(GroupOp::And, queries)
}

/// At least one query must match (`OR`).
pub fn any_of<R>(queries: impl IntoIterator<Item = Query<R>>) -> Query<R> {
    Query::group(GroupOp::Or, queries)
}

impl<R> Query<R> {
    fn from_node(node: Node) -> Self {
        Query { node, resource: PhantomData }
    }

    fn group(operator: GroupOp, queries: impl IntoIterator<Item = Query<R>>) -> Self {
        Query::from_node(Node::Group { operator, members: queries.into_iter().map(|q| q.node).collect() })
    }

    fn filter(field: &str, operator: Operator, value: Value, declared: Option<Declared>) -> Self {
        Query::from_node(Node::Filter { field: field.to_owned(), operator, value, declared })
    }

    /// Any filter, unchecked: the escape hatch for a field the version's table does not list or an
    /// operator the typed handles do not offer. Intercom decides whether it accepts it; only the
    /// limits (nesting, group size, non-empty `IN`/`NIN` lists) are checked.
    pub fn raw(field: impl Into<String>, operator: Operator, value: impl Into<Value>) -> Self {
        Query::from_node(Node::Filter { field: field.into(), operator, value: value.into(), declared: None })
    }

    /// Both this and `other` must match. Chained `and`s make one group (`a.and(b).and(c)` is
    /// `all_of([a, b, c])`), so they count against the group size, not the nesting.
    pub fn and(self, other: Query<R>) -> Self {
        self.join(GroupOp::And, other)
    }

    /// This or `other` must match; chained `or`s make one group.
    pub fn or(self, other: Query<R>) -> Self {
        self.join(GroupOp::Or, other)
    }

    fn join(self, operator: GroupOp, other: Query<R>) -> Self {
        match self.node {
            Node::Group { operator: op, mut members } if op == operator => {
                members.push(other.node);
                Query::from_node(Node::Group { operator, members })
            }
            node => Query::from_node(Node::Group { operator, members: vec![node, other.node] }),
        }
    }

    /// The query as Intercom's JSON (`{"field", "operator", "value"}` or `{"operator", "value":
    /// [...]}`), after the checks described in the [module docs](self); a violation is
    /// [`Error::InvalidRequest`] naming the rule and where in the query it is broken.
    pub fn to_json(&self) -> Result<Value, Error> {
        check(&self.node, "query", 0)?;
        Ok(to_json(&self.node))
    }

    /// The request body `{"query": …}` of a search operation, as the version's generated type
    /// (`SearchRequest`, `ContactSearchRequest`): what the generated `TryFrom<Query>` conversions
    /// call. Checked like [`to_json`](Self::to_json); a body type the query does not fit is
    /// [`Error::InvalidRequest`] too.
    pub fn to_body<B: serde::de::DeserializeOwned>(&self) -> Result<B, Error> {
        // Through text, not `serde_json::from_value`: the generated unions read raw JSON values,
        // which only the text deserializer provides.
        let text = json!({ "query": self.to_json()? }).to_string();
        serde_json::from_str(&text).map_err(|e| {
            Error::InvalidRequest(format!("the search query does not fit {}: {e}", std::any::type_name::<B>()))
        })
    }
}

fn rule_broken(rule: &str, detail: String) -> Error {
    Error::InvalidRequest(format!("search query breaks the rule \"{rule}\": {detail}"))
}

/// Checks `node` at `path`, `depth` groups deep.
fn check(node: &Node, path: &str, depth: usize) -> Result<(), Error> {
    match node {
        Node::Filter { field, operator, value, declared } => {
            if operator.takes_list() {
                match value {
                    Value::Array(items) if items.is_empty() => {
                        return Err(rule_broken(
                            "IN and NIN take a non-empty list",
                            format!("{path} ({field} {operator}) has an empty list"),
                        ))
                    }
                    Value::Array(_) => {}
                    _ => {
                        return Err(rule_broken(
                            "IN and NIN take a non-empty list",
                            format!("{path} ({field} {operator}) has a value that is not a list"),
                        ))
                    }
                }
            }
            if let Some(declared) = declared.filter(|d| !d.allowed) {
                return Err(rule_broken(
                    "an operator the field's type supports",
                    format!(
                        "{path}: {field} is declared {}, which does not support {operator} in this search",
                        declared.field_type.name()
                    ),
                ));
            }
            Ok(())
        }
        Node::Group { operator, members } => {
            if depth + 1 > MAX_GROUP_NESTING {
                return Err(rule_broken(
                    "at most 2 levels of nested groups",
                    format!("{path} is a {} group at level {}", operator.as_str(), depth + 1),
                ));
            }
            if members.is_empty() || members.len() > MAX_GROUP_SIZE {
                return Err(rule_broken(
                    "between 1 and 15 queries in each AND or OR group",
                    format!("the {} group at {path} has {}", operator.as_str(), members.len()),
                ));
            }
            members.iter().enumerate().try_for_each(|(i, m)| check(m, &format!("{path}.value[{i}]"), depth + 1))
        }
    }
}

fn to_json(node: &Node) -> Value {
    match node {
        Node::Filter { field, operator, value, .. } => {
            json!({ "field": field, "operator": operator.as_str(), "value": value })
        }
        Node::Group { operator, members } => {
            json!({ "operator": operator.as_str(), "value": members.iter().map(to_json).collect::<Vec<_>>() })
        }
    }
}

/// Declares a field handle type: a name, the search `R` its queries are for, and the rules `P`
/// that decide which of its methods exist (the search's own, unless the field has its own).
macro_rules! field_handle {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        pub struct $name<R, P = R> {
            name: Cow<'static, str>,
            resource: PhantomData<fn() -> (R, P)>,
        }

        impl<R, P> $name<R, P> {
            /// The handle of the field `name` (as sent). Generated code calls this; use it yourself
            /// for a field the version's table does not list but whose type you know.
            pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
                $name { name: name.into(), resource: PhantomData }
            }

            /// The field as sent.
            pub fn name(&self) -> &str {
                &self.name
            }

            fn with(&self, operator: Operator, value: Value) -> Query<R> {
                Query::filter(&self.name, operator, value, None)
            }
        }

        impl<R, P> Clone for $name<R, P> {
            fn clone(&self) -> Self {
                $name::new(self.name.clone())
            }
        }

        impl<R, P> fmt::Debug for $name<R, P> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.name).finish()
            }
        }
    };
}

/// Declares the methods of a handle, each existing only where the rules `P` allow its operator:
/// `kind; method(value) => Operator as conversion, "doc"`.
macro_rules! operator_methods {
    ($handle:ident, $kind:ident, $value:ty, $convert:expr; $($op:ident $method:ident $(#[$doc:meta])*;)*) => {
        impl<R, P> $handle<R, P> {
            $(
                $(#[$doc])*
                pub fn $method(&self, value: $value) -> Query<R>
                where
                    P: Allows<kind::$kind, op::$op>,
                {
                    self.with(Operator::$op, $convert(value))
                }
            )*
        }
    };
}

/// Declares the `IN`/`NIN` methods of a handle (a list of values).
macro_rules! list_methods {
    ($handle:ident, $kind:ident, $item:ty) => {
        impl<R, P> $handle<R, P> {
            /// `IN`: equals one of `values` (a non-empty list, checked before sending).
            pub fn is_in<T: Into<$item>>(&self, values: impl IntoIterator<Item = T>) -> Query<R>
            where
                P: Allows<kind::$kind, op::In>,
            {
                self.with(Operator::In, list(values.into_iter().map(Into::<$item>::into)))
            }
            /// `NIN`: equals none of `values` (a non-empty list, checked before sending).
            pub fn not_in<T: Into<$item>>(&self, values: impl IntoIterator<Item = T>) -> Query<R>
            where
                P: Allows<kind::$kind, op::Nin>,
            {
                self.with(Operator::Nin, list(values.into_iter().map(Into::<$item>::into)))
            }
        }
    };
}

field_handle!(
    /// A text field: `=` `!=` `IN` `NIN` `~` `!~` `^` `$`, where its search accepts them.
    StringField
);
field_handle!(
    /// A whole-number field: `=` `!=` `IN` `NIN` `<` `>` `<=` `>=`, where its search accepts them.
    IntegerField
);
field_handle!(
    /// A boolean field: `=` `!=` `IN` `NIN`, where its search accepts them.
    BooleanField
);
field_handle!(
    /// A timestamp field, matched by calendar day in the workspace's timezone (see the
    /// [module docs](self#dates)): `=` `<` `>` in every search; `!=` `IN` `NIN` `<=` `>=` only
    /// where the search (or the field) accepts them.
    DateField
);
field_handle!(
    /// A timestamp field matched to the second (Preview's contacts): `=` `!=` `<` `>` `<=` `>=`
    /// (and `IN` `NIN`), where its search accepts them.
    DatetimeField
);
field_handle!(
    /// A tag id field (contacts' `tag_id`): `=` `!=`, where its search accepts them.
    TagField
);

fn list<T: Into<Value>>(values: impl IntoIterator<Item = T>) -> Value {
    Value::Array(values.into_iter().map(Into::into).collect())
}

fn text(value: impl Into<String>) -> Value {
    Value::String(value.into())
}

fn number(value: i64) -> Value {
    value.into()
}

fn boolean(value: bool) -> Value {
    value.into()
}

operator_methods!(StringField, String, impl Into<String>, text;
    Eq eq /// `=`: equals `value`.
    ;
    Ne ne /// `!=`: does not equal `value`.
    ;
    Contains contains /// `~`: contains `value`.
    ;
    NotContains not_contains /// `!~`: does not contain `value`.
    ;
    StartsWith starts_with /// `^`: starts with `value`.
    ;
    EndsWith ends_with /// `$`: ends with `value` (`email().ends_with("@example.com")`).
    ;
);
list_methods!(StringField, String, String);

operator_methods!(IntegerField, Integer, i64, number;
    Eq eq /// `=`
    ;
    Ne ne /// `!=`
    ;
    Lt lt /// `<`
    ;
    Gt gt /// `>`
    ;
    Le le /// `<=`
    ;
    Ge ge /// `>=`
    ;
);
list_methods!(IntegerField, Integer, i64);

operator_methods!(BooleanField, Boolean, bool, boolean;
    Eq eq /// `=`
    ;
    Ne ne /// `!=`
    ;
);
list_methods!(BooleanField, Boolean, bool);

operator_methods!(DateField, Date, i64, number;
    Eq on /// `=`: on the calendar day (workspace timezone) that the Unix timestamp falls on.
    ;
    Ne ne /// `!=`: not on that day (conversations, tickets, Preview's companies).
    ;
    Lt before /// `<`: before the start of the day that the Unix timestamp falls on.
    ;
    Gt after /// `>`: from the start of the day *after* the one the Unix timestamp falls on.
    ;
    Le at_or_before /// `<=`: up to and including that day (tickets' `created_at`).
    ;
    Ge at_or_after /// `>=`: from that day on (tickets' `created_at`).
    ;
);
list_methods!(DateField, Date, i64);

operator_methods!(DatetimeField, Datetime, i64, number;
    Eq at /// `=`: at exactly this Unix second.
    ;
    Ne ne /// `!=`: not at this second (Intercom: also matches records with no value).
    ;
    Lt before /// `<`: before this second.
    ;
    Gt after /// `>`: after this second.
    ;
    Le at_or_before /// `<=`: at or before this second.
    ;
    Ge at_or_after /// `>=`: at or after this second.
    ;
);
list_methods!(DatetimeField, Datetime, i64);

operator_methods!(TagField, Tag, impl Into<String>, text;
    Eq eq /// `=`: has the tag.
    ;
    Ne ne /// `!=`: does not have the tag.
    ;
);

/// A field of a family named by the caller (`custom_attributes.plan`, `ticket_attribute.42`),
/// whose type the description leaves to each member: say which type it is and get that type's
/// handle ([`string`](Self::string), [`integer`](Self::integer), …), or declare the type and pick
/// the operator at run time ([`typed`](Self::typed)).
pub struct CustomAttribute<R> {
    name: String,
    resource: PhantomData<fn() -> R>,
}

impl<R> fmt::Debug for CustomAttribute<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CustomAttribute").field(&self.name).finish()
    }
}

impl<R> CustomAttribute<R> {
    /// The member `name` of the family `prefix` (`custom_attributes`, `plan` → `custom_attributes.plan`).
    pub fn new(prefix: &str, name: &str) -> Self {
        CustomAttribute { name: format!("{prefix}.{name}"), resource: PhantomData }
    }

    /// The field as sent.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A text attribute.
    pub fn string(&self) -> StringField<R> {
        StringField::new(self.name.clone())
    }
    /// A whole-number attribute.
    pub fn integer(&self) -> IntegerField<R> {
        IntegerField::new(self.name.clone())
    }
    /// A boolean attribute.
    pub fn boolean(&self) -> BooleanField<R> {
        BooleanField::new(self.name.clone())
    }
    /// A date attribute (matched by calendar day, like every date).
    pub fn date(&self) -> DateField<R> {
        DateField::new(self.name.clone())
    }

    /// `=` with a text value: the common case, `custom_attribute("plan").eq("pro")`.
    pub fn eq(&self, value: impl Into<String>) -> Query<R>
    where
        R: Allows<kind::String, op::Eq>,
    {
        self.string().eq(value)
    }

    /// The attribute with a type chosen at run time (e.g. read from the workspace's data
    /// attributes): [`TypedAttribute::filter`] takes any operator, and one the type does not
    /// support is refused before sending.
    pub fn typed(&self, field_type: FieldType) -> TypedAttribute<R> {
        TypedAttribute { name: self.name.clone(), field_type, resource: PhantomData }
    }
}

/// A custom attribute whose type is known at run time only; see [`CustomAttribute::typed`].
pub struct TypedAttribute<R> {
    name: String,
    field_type: FieldType,
    resource: PhantomData<fn() -> R>,
}

impl<R> fmt::Debug for TypedAttribute<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TypedAttribute").field("name", &self.name).field("field_type", &self.field_type).finish()
    }
}

impl<R> TypedAttribute<R> {
    /// A filter with any operator; unless the search accepts `operator` on the declared type
    /// ([`SearchRules`]), the query is refused before sending ([`Query::to_json`]).
    pub fn filter(&self, operator: Operator, value: impl Into<Value>) -> Query<R>
    where
        R: SearchRules,
    {
        let declared = Declared { field_type: self.field_type, allowed: R::allows(self.field_type, operator) };
        Query::filter(&self.name, operator, value.into(), Some(declared))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A search with a few rules of its own, as a generated module would declare them.
    enum Res {}
    impl SearchRules for Res {
        const OPERATORS: &'static [(FieldType, &'static [Operator])] = &[
            (FieldType::String, &[Operator::Eq, Operator::In, Operator::Nin]),
            (FieldType::Date, &[Operator::Eq, Operator::Gt]),
        ];
    }
    impl Allows<kind::String, op::Eq> for Res {}
    impl Allows<kind::String, op::In> for Res {}
    impl Allows<kind::String, op::Nin> for Res {}

    fn s(name: &'static str) -> StringField<Res> {
        StringField::new(name)
    }

    #[test]
    fn nested_and_or_make_the_documented_json() {
        let q = all_of([any_of([s("a").eq("1"), s("b").eq("2")]), any_of([s("c").eq("3"), s("d").eq("4")])]);
        assert_eq!(
            q.to_json().unwrap(),
            json!({"operator": "AND", "value": [
                {"operator": "OR", "value": [
                    {"field": "a", "operator": "=", "value": "1"},
                    {"field": "b", "operator": "=", "value": "2"}]},
                {"operator": "OR", "value": [
                    {"field": "c", "operator": "=", "value": "3"},
                    {"field": "d", "operator": "=", "value": "4"}]}]})
        );
    }

    #[test]
    fn chained_and_makes_one_group_and_switching_operator_nests() {
        let q = s("a").eq("1").and(s("b").eq("2")).and(s("c").eq("3"));
        assert_eq!(q, all_of([s("a").eq("1"), s("b").eq("2"), s("c").eq("3")]));
        let mixed = s("a").eq("1").and(s("b").eq("2")).or(s("c").eq("3"));
        assert_eq!(mixed, any_of([all_of([s("a").eq("1"), s("b").eq("2")]), s("c").eq("3")]));
    }

    #[test]
    fn a_third_level_of_groups_is_refused_with_its_path() {
        let q = all_of([any_of([all_of([s("a").eq("1")])])]);
        let message = q.to_json().unwrap_err().to_string();
        assert!(message.contains("at most 2 levels of nested groups"), "{message}");
        assert!(message.contains("query.value[0].value[0]"), "{message}");
    }

    #[test]
    fn group_sizes_from_1_to_15_pass_and_0_or_16_are_refused() {
        let group = |n: usize| all_of((0..n).map(|i| s("a").eq(i.to_string())));
        assert!(group(1).to_json().is_ok());
        assert!(group(15).to_json().is_ok());
        for n in [0, 16] {
            let message = group(n).to_json().unwrap_err().to_string();
            assert!(message.contains("between 1 and 15 queries"), "{message}");
            assert!(message.contains(&format!("has {n}")), "{message}");
        }
    }

    #[test]
    fn empty_in_and_nin_are_refused_also_through_raw() {
        let none: [&str; 0] = [];
        for q in [s("a").is_in(none), s("a").not_in(none), Query::raw("a", Operator::In, json!([]))] {
            let message = q.to_json().unwrap_err().to_string();
            assert!(message.contains("IN and NIN take a non-empty list"), "{message}");
        }
        let not_a_list = Query::<Res>::raw("a", Operator::Nin, "x").to_json().unwrap_err().to_string();
        assert!(not_a_list.contains("not a list"), "{not_a_list}");
    }

    #[test]
    fn a_declared_custom_attribute_type_limits_its_operators() {
        let plan = CustomAttribute::<Res>::new("custom_attributes", "renewal");
        let refused = plan.typed(FieldType::Date).filter(Operator::Ne, 1).to_json().unwrap_err().to_string();
        assert!(
            refused.contains("custom_attributes.renewal is declared date, which does not support != in this search"),
            "{refused}"
        );
        let accepted = plan.typed(FieldType::Date).filter(Operator::Gt, 1).to_json().unwrap();
        assert_eq!(accepted, json!({"field": "custom_attributes.renewal", "operator": ">", "value": 1}));
    }

    #[test]
    fn a_search_allows_exactly_its_listed_operators() {
        use Operator::*;
        let all = [Eq, Ne, In, Nin, Lt, Gt, Le, Ge, Contains, NotContains, StartsWith, EndsWith];
        let allowed = |t: FieldType| all.iter().filter(|o| Res::allows(t, **o)).map(|o| o.as_str()).collect::<Vec<_>>();
        assert_eq!(allowed(FieldType::String), ["=", "IN", "NIN"]);
        assert_eq!(allowed(FieldType::Date), ["=", ">"]);
        assert!(allowed(FieldType::Integer).is_empty());
    }
}
