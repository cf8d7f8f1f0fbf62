//! The searchable fields of each search operation, read from the "Accepted Fields" Markdown table
//! in its description (`| Field | Type |` rows), corrected by the `[[search]]` entries of
//! `spec/fixups.toml` where the prose is wrong or ambiguous, with the operators each field accepts
//! read from the same description's "Accepted Operators" section (`search_operators.rs`). The
//! result is the per-version table `emit_search.rs` turns into field functions and operator
//! rules, and what `cargo xtask codegen` reports.

use std::collections::BTreeSet;

use crate::config::{SearchFieldType, SearchFixup};
use crate::error::{Error, Location, Result};
use crate::ir::{Ir, Ty};
use crate::search_operators::{OperatorRules, SearchOperator};

/// One search operation whose description documents its fields.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchResource {
    /// The module name: the path segment before `/search` (`contacts`).
    pub resource: String,
    /// Index into [`Ir::operations`].
    pub operation: usize,
    /// The request body's type name (`SearchRequest`, `ContactSearchRequest`).
    pub body_type: String,
    /// The client group type the operation is in (`ContactsApi`), when its call takes the body.
    pub client_group: Option<String>,
    /// The table's rows that were read, in table order.
    pub fields: Vec<SearchField>,
    /// The "Accepted Operators" section, as read.
    pub operators: OperatorRules,
    /// Rows (of either table) and operator sentences that could not be read, as written, with the
    /// reason.
    pub unread: Vec<String>,
}

impl SearchResource {
    /// The operators accepted on a field of type `ty` that the section does not single out (and
    /// on every member of a family the caller types `ty`), limited to the methods its handle has.
    pub fn type_operators(&self, ty: SearchFieldType) -> BTreeSet<SearchOperator> {
        let mut ops = self.operators.by_type.get(&ty).cloned().unwrap_or_default();
        ops.retain(|o| handle_has(ty, *o));
        ops
    }
}

/// Whether the runtime's handle for fields of type `ty` has a method for `op`
/// (`runtime::search`'s handles: what the generated rules can switch on).
pub fn handle_has(ty: SearchFieldType, op: SearchOperator) -> bool {
    use SearchOperator::*;
    match ty {
        SearchFieldType::String => {
            matches!(op, Eq | Ne | In | Nin | Contains | NotContains | StartsWith | EndsWith)
        }
        SearchFieldType::Integer | SearchFieldType::Date | SearchFieldType::Datetime => {
            matches!(op, Eq | Ne | In | Nin | Lt | Gt | Le | Ge)
        }
        SearchFieldType::Boolean => matches!(op, Eq | Ne | In | Nin),
        SearchFieldType::Tag => matches!(op, Eq | Ne),
        SearchFieldType::Custom => false,
    }
}

/// One row of an "Accepted Fields" table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchField {
    /// As sent: `location.country`, or a family `custom_attributes.{attribute_name}`.
    pub name: String,
    pub field_type: SearchFieldType,
    /// The type the table gives, before any fix-up: what the operator table's types refer to.
    pub table_type: SearchFieldType,
    /// The fix-up that set the type, if any.
    pub fixup: Option<String>,
    /// The operators accepted on this field (empty for a family: its members follow their type).
    pub operators: BTreeSet<SearchOperator>,
    /// Whether [`operators`](Self::operators) differ from the resource's rules for the field's
    /// type (contacts' `tag_id`, tickets' `created_at`): the field then has its own rules type.
    pub own_operators: bool,
}

impl SearchField {
    /// A family of fields named by the caller (`custom_attributes.{attribute_name}`): the prefix
    /// before `.{`.
    pub fn family_prefix(&self) -> Option<&str> {
        self.name.split_once(".{").map(|(prefix, _)| prefix)
    }

    /// The Rust function of the field: dots become underscores; a family's function is named
    /// after its prefix in the singular (`custom_attributes` → `custom_attribute`).
    pub fn function_name(&self) -> String {
        let base = match self.family_prefix() {
            Some(prefix) => prefix.strip_suffix('s').unwrap_or(prefix).replace('.', "_"),
            None => self.name.replace('.', "_"),
        };
        if crate::naming::is_keyword(&base) {
            format!("r#{base}")
        } else {
            base
        }
    }
}

/// Names a generated resource module defines besides the field functions.
const RESERVED: &[&str] = &["Resource", "Query", "FIELDS", "all_of", "any_of"];

/// Every search operation of `ir` with an "Accepted Fields" table, in operation order, with the
/// fix-ups of `version` applied. A fix-up naming a row that does not exist is an error (upstream
/// changed, the fix-up must be revisited).
pub fn extract(file: &str, version: &str, ir: &Ir, fixups: &[SearchFixup]) -> Result<Vec<SearchResource>> {
    let mut out = Vec::new();
    for (index, op) in ir.operations.iter().enumerate() {
        let Some(resource) = op.path.strip_suffix("/search").and_then(|p| p.rsplit('/').next()) else { continue };
        if op.method != "POST" {
            continue;
        }
        let Some(description) = op.description.as_deref() else { continue };
        let Some(rows) = accepted_fields_rows(description) else { continue };
        let Some(Ty::Named(body_type)) = op.body.as_ref().map(|b| &b.ty) else { continue };
        let client_group = op
            .body
            .as_ref()
            .filter(|b| b.required_or_unspecified())
            .and_then(|_| ir.client_groups.iter().find(|g| g.operations.contains(&index)))
            .map(|g| g.type_name.clone());
        let operators = crate::search_operators::read(description).unwrap_or_else(|| OperatorRules {
            unread: vec!["(no Accepted Operators section)".into()],
            ..OperatorRules::default()
        });
        let mut resource = SearchResource {
            resource: resource.replace('-', "_"),
            operation: index,
            body_type: body_type.clone(),
            client_group,
            fields: Vec::new(),
            unread: operators.unread.iter().map(|u| format!("operators: {u}")).collect(),
            operators,
        };
        for row in rows {
            match read_row(&row) {
                Ok(field) if resource.fields.iter().any(|f| f.function_name() == field.function_name()) => {
                    resource.unread.push(format!("{row} (a second row for the function `{}`)", field.function_name()))
                }
                Ok(field) if RESERVED.contains(&field.function_name().as_str()) => {
                    resource.unread.push(format!("{row} (its function would be named like a module item)"))
                }
                Ok(field) => resource.fields.push(field),
                Err(why) => resource.unread.push(format!("{row} ({why})")),
            }
        }
        out.push(resource);
    }
    for fix in fixups.iter().filter(|f| f.versions.iter().any(|v| v == version)) {
        let field = out
            .iter_mut()
            .filter(|r| r.resource == fix.resource)
            .flat_map(|r| r.fields.iter_mut())
            .find(|f| f.name == fix.field)
            .ok_or_else(|| Error::Fixup {
                location: Location { file: file.into(), pointer: format!("search {}.{}", fix.resource, fix.field) },
                fixup: fix.id.clone(),
                message: "no such row in the resource's Accepted Fields table".into(),
            })?;
        field.field_type = fix.field_type;
        field.fixup = Some(fix.id.clone());
    }
    out.iter_mut().for_each(resolve_operators);
    Ok(out)
}

/// Each field's operators from its resource's rules, once the fix-ups have set the types; an
/// operator its handle has no method for, or a field the operator prose names that the table
/// does not list, is unread.
fn resolve_operators(resource: &mut SearchResource) {
    for name in resource.operators.named_fields() {
        if !resource.fields.iter().any(|f| f.name == name) {
            resource.unread.push(format!("operators: `{name}` is named by the operator rules but not a field"));
        }
    }
    for ty in crate::search_operators::TABLE_TYPES {
        for op in resource.operators.by_type.get(&ty).into_iter().flatten().filter(|o| !handle_has(ty, **o)) {
            resource.unread.push(format!("operators: {} on {} has no method on its handle", op.wire(), ty.label()));
        }
    }
    let mut unread = Vec::new();
    let by_type: Vec<_> =
        crate::search_operators::TABLE_TYPES.into_iter().map(|t| (t, resource.type_operators(t))).collect();
    for field in resource.fields.iter_mut().filter(|f| f.family_prefix().is_none()) {
        let all = resource.operators.for_field(&field.name, field.table_type);
        for op in all.iter().filter(|o| !handle_has(field.field_type, **o)) {
            unread.push(format!("operators: {} on `{}` has no method on its handle", op.wire(), field.name));
        }
        field.operators = all.into_iter().filter(|o| handle_has(field.field_type, *o)).collect();
        let of_type = by_type.iter().find(|(t, _)| *t == field.field_type).map(|(_, ops)| ops);
        field.own_operators = of_type != Some(&field.operators);
    }
    resource.unread.extend(unread);
}

/// The body rows of the first Markdown table after the "Accepted Fields" heading, as written;
/// `None` when there is no such heading.
fn accepted_fields_rows(description: &str) -> Option<Vec<String>> {
    let mut lines =
        description.lines().skip_while(|l| !l.trim_start().starts_with('#') || !l.contains("Accepted Fields"));
    lines.next()?;
    let table = lines
        .skip_while(|l| !l.trim_start().starts_with('|'))
        .take_while(|l| l.trim_start().starts_with('|'))
        .map(|l| l.trim().to_string());
    // The header and the `| --- |` separator row are no fields.
    Some(table.skip(2).collect())
}

/// One row: `| name | Type<br>notes |`.
fn read_row(row: &str) -> std::result::Result<SearchField, &'static str> {
    let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
    let [name, ty, ..] = cells.as_slice() else { return Err("fewer than two cells") };
    let name = name.trim_matches('`');
    let family = name.split_once(".{");
    let plain = |s: &str| {
        !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
    };
    let name_ok = match family {
        Some((prefix, rest)) => plain(prefix) && rest.ends_with('}') && !rest[..rest.len() - 1].contains(['{', '}']),
        None => plain(name) && !name.starts_with('.') && !name.ends_with('.') && !name.contains(".."),
    };
    if !name_ok {
        return Err("not a field name");
    }
    let ty = ty.split("<br>").next().unwrap_or_default().trim().to_ascii_lowercase();
    let field_type = if family.is_some() {
        // The type column of a family describes its members, each of its own type.
        SearchFieldType::Custom
    } else if ty == "string" {
        SearchFieldType::String
    } else if ty == "integer" {
        SearchFieldType::Integer
    } else if ty == "boolean" {
        SearchFieldType::Boolean
    } else if ty.starts_with("datetime") && ty.contains("timestamp") {
        SearchFieldType::Datetime
    } else if ty.starts_with("date") && ty.contains("timestamp") {
        SearchFieldType::Date
    } else {
        return Err("unknown type");
    };
    Ok(SearchField {
        name: name.to_string(),
        field_type,
        table_type: field_type,
        fixup: None,
        operators: BTreeSet::new(),
        own_operators: false,
    })
}

/// The report's lines for one version: fields per resource, fix-ups applied, rows not read.
pub fn summary(resources: &[SearchResource]) -> Vec<String> {
    let mut lines = vec![resources
        .iter()
        .map(|r| format!("{} {} fields", r.resource, r.fields.len()))
        .collect::<Vec<_>>()
        .join(", ")];
    for r in resources {
        for f in r.fields.iter().filter(|f| f.fixup.is_some()) {
            lines.push(format!(
                "{}.{} is {} (fix-up {})",
                r.resource,
                f.name,
                f.field_type.label(),
                f.fixup.as_deref().unwrap_or_default()
            ));
        }
        lines.push(format!("{} operators: {}", r.resource, operator_table(r, false)));
        for row in &r.unread {
            lines.push(format!("{}: row not read: {row}", r.resource));
        }
    }
    lines
}

/// The operators read for one resource, per field type and then per field that has its own:
/// `String = != IN; Date = < >; tag_id = != (2 sentences read)`.
/// With `code`, each operator and field is in backticks (for rustdoc, where `<` could open a tag).
pub fn operator_table(r: &SearchResource, code: bool) -> String {
    let tick = if code { "`" } else { "" };
    let ops = |set: &BTreeSet<SearchOperator>| {
        set.iter().map(|o| format!("{tick}{}{tick}", o.wire())).collect::<Vec<_>>().join(" ")
    };
    let types = crate::search_operators::TABLE_TYPES
        .into_iter()
        .filter(|t| r.operators.by_type.contains_key(t) || r.fields.iter().any(|f| f.field_type == *t))
        .map(|t| format!("{} {}", t.label(), ops(&r.type_operators(t))));
    let fields =
        r.fields.iter().filter(|f| f.own_operators).map(|f| format!("{tick}{}{tick} {}", f.name, ops(&f.operators)));
    format!("{} ({} sentences read)", types.chain(fields).collect::<Vec<_>>().join("; "), r.operators.sentences.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_read_with_their_types_and_families() {
        let description = "Intro\n\n### Accepted Fields\n\nProse.\n\n| Field | Type |\n| :--- | :--- |\n\
            | id | String |\n| role | String<br>Accepts user or lead |\n| created_at | Date (UNIX Timestamp) |\n\
            | team_assignee_id | Integer |\n| open | Boolean |\n| location.country | String |\n\
            | custom_attributes.{attribute_name} | String |\n| what ever | String |\n| price | Float |\n\n\
            ### Accepted Operators\n\n| Operator | Valid Types |\n| --- | --- |\n| = | All |\n";
        let rows = accepted_fields_rows(description).unwrap();
        assert_eq!(rows.len(), 9);
        let read: Vec<_> = rows.iter().map(|r| read_row(r).map(|f| (f.name, f.field_type))).collect();
        use SearchFieldType::*;
        assert_eq!(
            read,
            vec![
                Ok(("id".into(), String)),
                Ok(("role".into(), String)),
                Ok(("created_at".into(), Date)),
                Ok(("team_assignee_id".into(), Integer)),
                Ok(("open".into(), Boolean)),
                Ok(("location.country".into(), String)),
                Ok(("custom_attributes.{attribute_name}".into(), Custom)),
                Err("not a field name"),
                Err("unknown type"),
            ]
        );
    }

    #[test]
    fn function_names() {
        let f = |name: &str| SearchField {
            name: name.into(),
            field_type: SearchFieldType::String,
            table_type: SearchFieldType::String,
            fixup: None,
            operators: BTreeSet::new(),
            own_operators: false,
        };
        assert_eq!(f("location.country").function_name(), "location_country");
        assert_eq!(f("custom_attributes.{attribute_name}").function_name(), "custom_attribute");
        assert_eq!(f("ticket_attribute.{id}").function_name(), "ticket_attribute");
        assert_eq!(f("type").function_name(), "r#type");
    }

    #[test]
    fn no_heading_no_table() {
        assert_eq!(accepted_fields_rows("| a | b |\n| - | - |\n| x | String |"), None);
    }

    /// A resource read from `description` as `extract` reads one (without an operation).
    fn resource(description: &str) -> SearchResource {
        let operators = crate::search_operators::read(description).unwrap();
        let mut r = SearchResource {
            resource: "things".into(),
            operation: 0,
            body_type: "SearchRequest".into(),
            client_group: None,
            fields: accepted_fields_rows(description).unwrap().iter().map(|row| read_row(row).unwrap()).collect(),
            unread: Vec::new(),
            operators,
        };
        resolve_operators(&mut r);
        r
    }

    #[test]
    fn fields_get_their_types_operators_or_their_own() {
        let r = resource(
            "### Accepted Fields\n| Field | Type |\n| - | - |\n| name | String |\n| created_at | Date (UNIX timestamp) |\n\
             | updated_at | Date (UNIX timestamp) |\n| custom_attributes.{name} | String |\n\
             ### Accepted Operators\nYou may use the `<=` or `>=` operators to search by `created_at`.\n\
             | Operator | Valid Types |\n| - | - |\n| = | All |\n| > | Integer<br>Date |\n| ~ | String |\n",
        );
        assert_eq!(r.unread, Vec::<String>::new());
        let field = |name: &str| r.fields.iter().find(|f| f.name == name).unwrap();
        let wire = |f: &SearchField| f.operators.iter().map(|o| o.wire()).collect::<Vec<_>>();
        assert_eq!((wire(field("name")), field("name").own_operators), (vec!["=", "~"], false));
        assert_eq!((wire(field("updated_at")), field("updated_at").own_operators), (vec!["=", ">"], false));
        assert_eq!((wire(field("created_at")), field("created_at").own_operators), (vec!["=", ">", "<=", ">="], true));
        assert!(field("custom_attributes.{name}").operators.is_empty());
        assert_eq!(
            operator_table(&r, false),
            "String = ~; Integer = >; Boolean =; Date = >; created_at = > <= >= (1 sentences read)"
        );
    }

    #[test]
    fn an_operator_without_a_method_or_a_field_without_a_row_is_unread() {
        let r = resource(
            "### Accepted Fields\n| Field | Type |\n| - | - |\n| open | Boolean |\n\
             ### Accepted Operators\nSearching by `gone_id` supports only the `=` operators.\n\
             | Operator | Valid Types |\n| - | - |\n| = | All |\n| ~ | Boolean |\n",
        );
        assert_eq!(
            r.unread,
            [
                "operators: `gone_id` is named by the operator rules but not a field",
                "operators: ~ on Boolean has no method on its handle",
                "operators: ~ on `open` has no method on its handle",
            ]
        );
        assert_eq!(r.fields[0].operators.iter().map(|o| o.wire()).collect::<Vec<_>>(), ["="]);
    }
}
