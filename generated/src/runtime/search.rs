//! Typed search queries: the query tree behind every version's `search` module
//! (`intercom_api::v2_16::search::contacts::email()`), the field handles, and the checks Intercom
//! would otherwise answer with a `400`.
//!
//! A query is a filter (`{field, operator, value}`) or a group (`{operator: AND|OR, value: [...]}`).
//! The generated modules hand out one function per field their version documents, each returning a
//! handle of the field's type; a handle has a method only for the operators that type supports, and
//! takes values of that type:
//!
//! | handle | operators (methods) | value |
//! |---|---|---|
//! | [`StringField`] | `=` `!=` `IN` `NIN` `~` `!~` `^` `$` ([`eq`](StringField::eq), [`ne`](StringField::ne), [`is_in`](StringField::is_in), [`not_in`](StringField::not_in), [`contains`](StringField::contains), [`not_contains`](StringField::not_contains), [`starts_with`](StringField::starts_with), [`ends_with`](StringField::ends_with)) | text |
//! | [`IntegerField`] | `=` `!=` `IN` `NIN` `<` `>` `<=` `>=` | `i64` |
//! | [`BooleanField`] | `=` `!=` `IN` `NIN` | `bool` |
//! | [`DateField`] | `=` `<` `>` ([`on`](DateField::on), [`before`](DateField::before), [`after`](DateField::after)) | Unix seconds (`i64`) |
//! | [`TagField`] | `=` `!=` | a tag id |
//!
//! # Dates
//!
//! Intercom matches timestamps and date custom attributes **by calendar day, in the workspace's
//! timezone**, never to the second: [`DateField::on`] matches the whole day the timestamp falls on,
//! [`DateField::after`] matches from the start of the *next* day, and [`DateField::before`] matches
//! everything before the start of that day. So two workspaces in different timezones can answer
//! the same query differently. `!=`, `>=`, `<=`, `IN` and `NIN` are refused by Intercom on dates,
//! so a date field has no method for them:
//!
//! ```compile_fail
//! use intercom_api::runtime::search::{DateField, Query};
//! enum Contacts {}
//! let created_at: DateField<Contacts> = DateField::new("created_at");
//! let _: Query<Contacts> = created_at.ne(1_577_836_800); // no `!=` on a date
//! ```
//!
//! (The same with `on`, which a date has, compiles:)
//!
//! ```
//! use intercom_api::runtime::search::{DateField, Query};
//! enum Contacts {}
//! let created_at: DateField<Contacts> = DateField::new("created_at");
//! let _: Query<Contacts> = created_at.on(1_577_836_800);
//! ```
//!
//! A query is typed by the search it is for, so the filters of two searches do not mix:
//!
//! ```compile_fail
//! use intercom_api::runtime::search::{all_of, StringField};
//! enum Contacts {}
//! enum Tickets {}
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
//! declared ([`CustomAttribute::typed`]), an operator that type supports. A violation is
//! [`Error::InvalidRequest`] naming the rule, and nothing is sent.
//!
//! # Fields the tables do not know
//!
//! [`Query::raw`] builds any filter (field, operator, JSON value) with no type check: for fields
//! Intercom added after the pinned description, or operators a resource accepts beyond the rules
//! above (the conversation and ticket tables allow `!=` on dates, for instance). The limits above
//! still apply to it.

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FieldType {
    /// Text: `=` `!=` `IN` `NIN` `~` `!~` `^` `$`.
    String,
    /// Whole numbers: `=` `!=` `IN` `NIN` `<` `>` `<=` `>=`.
    Integer,
    /// `true`/`false`: `=` `!=` `IN` `NIN`.
    Boolean,
    /// A Unix timestamp matched by calendar day: `=` `<` `>`.
    Date,
    /// A tag id (contacts' `tag_id`): `=` `!=`.
    Tag,
    /// A family of fields named by the caller (`custom_attributes.{name}`) whose type the
    /// description leaves to each attribute.
    Custom,
}

impl FieldType {
    /// Whether Intercom accepts `operator` on a field of this type. [`FieldType::Custom`] accepts
    /// every operator: its real type is the attribute's.
    pub fn supports(self, operator: Operator) -> bool {
        use Operator::*;
        match self {
            FieldType::String => {
                matches!(operator, Eq | Ne | In | Nin | Contains | NotContains | StartsWith | EndsWith)
            }
            FieldType::Integer => matches!(operator, Eq | Ne | In | Nin | Lt | Gt | Le | Ge),
            FieldType::Boolean => matches!(operator, Eq | Ne | In | Nin),
            FieldType::Date => matches!(operator, Eq | Lt | Gt),
            FieldType::Tag => matches!(operator, Eq | Ne),
            FieldType::Custom => true,
        }
    }

    fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Boolean => "boolean",
            FieldType::Date => "date",
            FieldType::Tag => "tag",
            FieldType::Custom => "custom",
        }
    }
}

/// One row of a version's "Accepted Fields" table: the `FIELDS` list of each generated resource
/// module. A name with `{…}` (`custom_attributes.{attribute_name}`) is a family, reached through a
/// function taking the name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldInfo {
    /// The field as sent (`location.country`).
    pub name: &'static str,
    pub field_type: FieldType,
}

impl FieldInfo {
    /// For generated code.
    pub const fn new(name: &'static str, field_type: FieldType) -> Self {
        FieldInfo { name, field_type }
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
        /// The type the caller declared for a custom attribute: its operator is checked against it.
        declared: Option<FieldType>,
    },
    Group {
        operator: GroupOp,
        members: Vec<Node>,
    },
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

    fn filter(field: &str, operator: Operator, value: Value, declared: Option<FieldType>) -> Self {
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
            if let Some(declared) = declared.filter(|t| !t.supports(*operator)) {
                return Err(rule_broken(
                    "an operator the field's type supports",
                    format!("{path}: {field} is declared {}, which does not support {operator}", declared.name()),
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

/// Declares a field handle type: a name and the resource it belongs to.
macro_rules! field_handle {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        pub struct $name<R> {
            name: Cow<'static, str>,
            resource: PhantomData<fn() -> R>,
        }

        impl<R> $name<R> {
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

        impl<R> Clone for $name<R> {
            fn clone(&self) -> Self {
                $name::new(self.name.clone())
            }
        }

        impl<R> fmt::Debug for $name<R> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.name).finish()
            }
        }
    };
}

field_handle!(
    /// A text field: `=` `!=` `IN` `NIN` `~` `!~` `^` `$`.
    StringField
);
field_handle!(
    /// A whole-number field: `=` `!=` `IN` `NIN` `<` `>` `<=` `>=`.
    IntegerField
);
field_handle!(
    /// A boolean field: `=` `!=` `IN` `NIN`.
    BooleanField
);
field_handle!(
    /// A timestamp field, matched by calendar day in the workspace's timezone (see the
    /// [module docs](self#dates)): `=` `<` `>` only.
    DateField
);
field_handle!(
    /// A tag id field (contacts' `tag_id`): `=` `!=` only.
    TagField
);

fn list<T: Into<Value>>(values: impl IntoIterator<Item = T>) -> Value {
    Value::Array(values.into_iter().map(Into::into).collect())
}

impl<R> StringField<R> {
    /// `=`: equals `value`.
    pub fn eq(&self, value: impl Into<String>) -> Query<R> {
        self.with(Operator::Eq, Value::String(value.into()))
    }
    /// `!=`: does not equal `value`.
    pub fn ne(&self, value: impl Into<String>) -> Query<R> {
        self.with(Operator::Ne, Value::String(value.into()))
    }
    /// `IN`: equals one of `values` (a non-empty list, checked before sending).
    pub fn is_in<S: Into<String>>(&self, values: impl IntoIterator<Item = S>) -> Query<R> {
        self.with(Operator::In, list(values.into_iter().map(Into::into)))
    }
    /// `NIN`: equals none of `values` (a non-empty list, checked before sending).
    pub fn not_in<S: Into<String>>(&self, values: impl IntoIterator<Item = S>) -> Query<R> {
        self.with(Operator::Nin, list(values.into_iter().map(Into::into)))
    }
    /// `~`: contains `value`.
    pub fn contains(&self, value: impl Into<String>) -> Query<R> {
        self.with(Operator::Contains, Value::String(value.into()))
    }
    /// `!~`: does not contain `value`.
    pub fn not_contains(&self, value: impl Into<String>) -> Query<R> {
        self.with(Operator::NotContains, Value::String(value.into()))
    }
    /// `^`: starts with `value`.
    pub fn starts_with(&self, value: impl Into<String>) -> Query<R> {
        self.with(Operator::StartsWith, Value::String(value.into()))
    }
    /// `$`: ends with `value` (`email().ends_with("@example.com")`).
    pub fn ends_with(&self, value: impl Into<String>) -> Query<R> {
        self.with(Operator::EndsWith, Value::String(value.into()))
    }
}

impl<R> IntegerField<R> {
    /// `=`
    pub fn eq(&self, value: i64) -> Query<R> {
        self.with(Operator::Eq, value.into())
    }
    /// `!=`
    pub fn ne(&self, value: i64) -> Query<R> {
        self.with(Operator::Ne, value.into())
    }
    /// `IN` (a non-empty list, checked before sending).
    pub fn is_in(&self, values: impl IntoIterator<Item = i64>) -> Query<R> {
        self.with(Operator::In, list(values))
    }
    /// `NIN` (a non-empty list, checked before sending).
    pub fn not_in(&self, values: impl IntoIterator<Item = i64>) -> Query<R> {
        self.with(Operator::Nin, list(values))
    }
    /// `<`
    pub fn lt(&self, value: i64) -> Query<R> {
        self.with(Operator::Lt, value.into())
    }
    /// `>`
    pub fn gt(&self, value: i64) -> Query<R> {
        self.with(Operator::Gt, value.into())
    }
    /// `<=`
    pub fn le(&self, value: i64) -> Query<R> {
        self.with(Operator::Le, value.into())
    }
    /// `>=`
    pub fn ge(&self, value: i64) -> Query<R> {
        self.with(Operator::Ge, value.into())
    }
}

impl<R> BooleanField<R> {
    /// `=`
    pub fn eq(&self, value: bool) -> Query<R> {
        self.with(Operator::Eq, value.into())
    }
    /// `!=`
    pub fn ne(&self, value: bool) -> Query<R> {
        self.with(Operator::Ne, value.into())
    }
    /// `IN` (a non-empty list, checked before sending).
    pub fn is_in(&self, values: impl IntoIterator<Item = bool>) -> Query<R> {
        self.with(Operator::In, list(values))
    }
    /// `NIN` (a non-empty list, checked before sending).
    pub fn not_in(&self, values: impl IntoIterator<Item = bool>) -> Query<R> {
        self.with(Operator::Nin, list(values))
    }
}

impl<R> DateField<R> {
    /// `=`: on the calendar day (workspace timezone) that `unix_seconds` falls on.
    pub fn on(&self, unix_seconds: i64) -> Query<R> {
        self.with(Operator::Eq, unix_seconds.into())
    }
    /// `<`: before the start of the day that `unix_seconds` falls on.
    pub fn before(&self, unix_seconds: i64) -> Query<R> {
        self.with(Operator::Lt, unix_seconds.into())
    }
    /// `>`: from the start of the day *after* the one `unix_seconds` falls on.
    pub fn after(&self, unix_seconds: i64) -> Query<R> {
        self.with(Operator::Gt, unix_seconds.into())
    }
}

impl<R> TagField<R> {
    /// `=`: has the tag.
    pub fn eq(&self, tag_id: impl Into<String>) -> Query<R> {
        self.with(Operator::Eq, Value::String(tag_id.into()))
    }
    /// `!=`: does not have the tag.
    pub fn ne(&self, tag_id: impl Into<String>) -> Query<R> {
        self.with(Operator::Ne, Value::String(tag_id.into()))
    }
}

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
    pub fn eq(&self, value: impl Into<String>) -> Query<R> {
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
    /// A filter with any operator; unless the declared type supports `operator`, the query is
    /// refused before sending ([`Query::to_json`]).
    pub fn filter(&self, operator: Operator, value: impl Into<Value>) -> Query<R> {
        Query::filter(&self.name, operator, value.into(), Some(self.field_type))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    enum Res {}

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
        assert!(refused.contains("custom_attributes.renewal is declared date, which does not support !="), "{refused}");
        let accepted = plan.typed(FieldType::Date).filter(Operator::Gt, 1).to_json().unwrap();
        assert_eq!(accepted, json!({"field": "custom_attributes.renewal", "operator": ">", "value": 1}));
    }

    #[test]
    fn every_operator_is_supported_by_exactly_the_documented_types() {
        use Operator::*;
        let all = [Eq, Ne, In, Nin, Lt, Gt, Le, Ge, Contains, NotContains, StartsWith, EndsWith];
        let supported = |t: FieldType| all.iter().filter(|o| t.supports(**o)).map(|o| o.as_str()).collect::<Vec<_>>();
        assert_eq!(supported(FieldType::String), ["=", "!=", "IN", "NIN", "~", "!~", "^", "$"]);
        assert_eq!(supported(FieldType::Integer), ["=", "!=", "IN", "NIN", "<", ">", "<=", ">="]);
        assert_eq!(supported(FieldType::Boolean), ["=", "!=", "IN", "NIN"]);
        assert_eq!(supported(FieldType::Date), ["=", "<", ">"]);
        assert_eq!(supported(FieldType::Tag), ["=", "!="]);
        assert_eq!(supported(FieldType::Custom).len(), all.len());
    }
}
