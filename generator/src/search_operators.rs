//! The operators a search operation accepts, read from the "Accepted Operators" section of its
//! description: the `| Operator | Valid Types | … |` table (which field types, or "All except"
//! types and fields) and the sentences around it that restrict a type or single out a field
//! ("Searching by `tag_id` supports only the `=` and `!=` operators", "You may use the `<=` or
//! `>=` operators to search by `created_at`"). Each search has its own section, and it changes
//! between versions, so nothing here assumes one resource's rules for another.
//!
//! A table row or an operator sentence this module cannot read is returned as unread (reported by
//! `cargo xtask codegen`, and an error for the pinned versions' tests), never guessed.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::SearchFieldType;

/// A filter operator, in the runtime's order (`runtime::search::Operator`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SearchOperator {
    Eq,
    Ne,
    In,
    Nin,
    Lt,
    Gt,
    Le,
    Ge,
    Contains,
    NotContains,
    StartsWith,
    EndsWith,
}

impl SearchOperator {
    pub const ALL: [SearchOperator; 12] = {
        use SearchOperator::*;
        [Eq, Ne, In, Nin, Lt, Gt, Le, Ge, Contains, NotContains, StartsWith, EndsWith]
    };

    /// As sent and as the descriptions write it.
    pub fn wire(self) -> &'static str {
        use SearchOperator::*;
        match self {
            Eq => "=",
            Ne => "!=",
            In => "IN",
            Nin => "NIN",
            Lt => "<",
            Gt => ">",
            Le => "<=",
            Ge => ">=",
            Contains => "~",
            NotContains => "!~",
            StartsWith => "^",
            EndsWith => "$",
        }
    }

    /// The name of the runtime's `Operator` variant and `op` marker type.
    pub fn variant(self) -> &'static str {
        use SearchOperator::*;
        match self {
            Eq => "Eq",
            Ne => "Ne",
            In => "In",
            Nin => "Nin",
            Lt => "Lt",
            Gt => "Gt",
            Le => "Le",
            Ge => "Ge",
            Contains => "Contains",
            NotContains => "NotContains",
            StartsWith => "StartsWith",
            EndsWith => "EndsWith",
        }
    }

    fn parse(text: &str) -> Option<SearchOperator> {
        SearchOperator::ALL.into_iter().find(|o| o.wire() == text)
    }
}

/// The field types an "All" in the Valid Types column stands for: every type a field handle has
/// (a family, `Custom`, takes the rules of the type its caller names; `Tag` is a fix-up's type,
/// never a table's).
pub const TABLE_TYPES: [SearchFieldType; 5] = [
    SearchFieldType::String,
    SearchFieldType::Integer,
    SearchFieldType::Boolean,
    SearchFieldType::Date,
    SearchFieldType::Datetime,
];

/// What one search's "Accepted Operators" section says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OperatorRules {
    /// Per field type, the operators accepted on its fields.
    pub by_type: BTreeMap<SearchFieldType, BTreeSet<SearchOperator>>,
    /// Operators a table row's "except" takes away from single fields (`IN` … "All except Date and
    /// tag_id"), by field name.
    pub excluded: BTreeMap<String, BTreeSet<SearchOperator>>,
    /// Fields the prose allows only these operators on ("supports only the `=` and `!=`").
    pub only: BTreeMap<String, BTreeSet<SearchOperator>>,
    /// Operators the prose adds for single fields ("may use the `<=` or `>=` … by `created_at`").
    pub added: BTreeMap<String, BTreeSet<SearchOperator>>,
    /// The operator sentences read, as written (for the report).
    pub sentences: Vec<String>,
    /// Table rows and operator sentences not read, as written, with the reason.
    pub unread: Vec<String>,
}

impl OperatorRules {
    /// The operators of one field of the table type `table_type`, named `field`.
    pub fn for_field(&self, field: &str, table_type: SearchFieldType) -> BTreeSet<SearchOperator> {
        if let Some(only) = self.only.get(field) {
            return only.clone();
        }
        let mut ops = self.by_type.get(&table_type).cloned().unwrap_or_default();
        if let Some(excluded) = self.excluded.get(field) {
            ops.retain(|o| !excluded.contains(o));
        }
        ops.extend(self.added.get(field).into_iter().flatten());
        ops
    }

    /// Every field the section names.
    pub fn named_fields(&self) -> BTreeSet<&str> {
        self.excluded.keys().chain(self.only.keys()).chain(self.added.keys()).map(String::as_str).collect()
    }
}

/// The rules of the "Accepted Operators" section of `description`; `None` when it has none.
pub fn read(description: &str) -> Option<OperatorRules> {
    let section = section(description)?;
    let mut rules = OperatorRules::default();
    let table: Vec<&str> = section.iter().copied().filter(|l| l.starts_with('|')).collect();
    // The header and the `| --- |` separator row are no rules.
    for row in table.iter().skip(2) {
        if let Err(why) = read_row(row, &mut rules) {
            rules.unread.push(format!("{row} ({why})"));
        }
    }
    // "All" names the table's own types: a table that never names Datetime (every one but
    // Preview's contacts) has no Datetime fields, so its "All" does not cover one.
    if !table.iter().any(|row| row.to_ascii_lowercase().contains("datetime")) {
        rules.by_type.remove(&SearchFieldType::Datetime);
    }
    if rules.by_type.is_empty() && rules.unread.is_empty() {
        rules.unread.push("(no operator table)".into());
    }
    let prose = section.iter().filter(|l| !l.starts_with('|') && !l.starts_with("{%")).copied();
    for sentence in prose.flat_map(sentences) {
        read_sentence(sentence, &mut rules);
    }
    Some(rules)
}

/// The trimmed lines after the "Accepted Operators" heading, up to the next heading.
fn section(description: &str) -> Option<Vec<&str>> {
    let mut lines = description.lines().map(str::trim);
    lines.find(|l| l.starts_with('#') && l.contains("Accepted Operators"))?;
    Some(lines.take_while(|l| !l.starts_with('#')).filter(|l| !l.is_empty()).collect())
}

/// `| op | Valid Types | Description |`.
fn read_row(row: &str, rules: &mut OperatorRules) -> Result<(), &'static str> {
    let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
    let [op, valid, ..] = cells.as_slice() else { return Err("fewer than two cells") };
    let op = SearchOperator::parse(op).ok_or("not an operator")?;
    let (types, fields) = valid_types(valid)?;
    for ty in types {
        rules.by_type.entry(ty).or_default().insert(op);
    }
    for field in fields {
        rules.excluded.entry(field).or_default().insert(op);
    }
    Ok(())
}

/// The Valid Types cell: the types allowed, and the fields an "All except" takes out.
fn valid_types(cell: &str) -> Result<(BTreeSet<SearchFieldType>, Vec<String>), &'static str> {
    let without_notes = strip_parentheses(&cell.replace("<br>", " "));
    let (all, rest) = match without_notes.trim().strip_prefix("All") {
        Some(rest) => (true, rest.trim().strip_prefix("except").map(str::trim).unwrap_or(rest)),
        None => (false, without_notes.trim()),
    };
    if all && !rest.is_empty() && !without_notes.contains("except") {
        return Err("text after `All` that is not an `except` list");
    }
    let mut types = BTreeSet::new();
    let mut fields = Vec::new();
    for word in rest.split([' ', ',']).filter(|w| !w.is_empty() && *w != "and" && *w != "or") {
        match type_named(word) {
            Some(ty) => {
                types.insert(ty);
            }
            None if is_field_name(word) && all => fields.push(word.to_string()),
            None => return Err("a word that is neither a field type nor an excepted field"),
        }
    }
    if all {
        let except = types;
        Ok((TABLE_TYPES.into_iter().filter(|t| !except.contains(t)).collect(), fields))
    } else if types.is_empty() {
        Err("no field type")
    } else {
        Ok((types, fields))
    }
}

fn type_named(word: &str) -> Option<SearchFieldType> {
    Some(match word.to_ascii_lowercase().as_str() {
        "string" => SearchFieldType::String,
        "integer" => SearchFieldType::Integer,
        "boolean" => SearchFieldType::Boolean,
        "date" => SearchFieldType::Date,
        "datetime" => SearchFieldType::Datetime,
        _ => return None,
    })
}

/// A field as the tables write it: lowercase, digits, `_` and `.`, not capitalised like a type.
fn is_field_name(word: &str) -> bool {
    word.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.')
        && word.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
}

/// `Date (UNIX Timestamp)` → `Date `: notes in parentheses are no types.
fn strip_parentheses(text: &str) -> String {
    let mut depth = 0usize;
    text.chars()
        .filter(|c| match c {
            '(' => {
                depth += 1;
                false
            }
            ')' => {
                depth = depth.saturating_sub(1);
                false
            }
            _ => depth == 0,
        })
        .collect()
}

/// The sentences of one prose line (`. ` ends one; `eg. ` too, which only splits the example off).
fn sentences(line: &str) -> impl Iterator<Item = &str> {
    line.split(". ").map(str::trim).filter(|s| !s.is_empty())
}

/// The backticked spans of `sentence`: operators, and the field names among the rest. A quoted
/// span (`"="`) is an example of how to write an operator, not a rule.
fn spans(sentence: &str) -> (BTreeSet<SearchOperator>, Vec<&str>) {
    let mut ops = BTreeSet::new();
    let mut fields = Vec::new();
    for span in sentence.split('`').skip(1).step_by(2) {
        if let Some(op) = SearchOperator::parse(span) {
            ops.insert(op);
        } else if is_field_name(span) {
            fields.push(span);
        }
    }
    (ops, fields)
}

/// One sentence of the section: a rule when it names operators, else nothing to read.
fn read_sentence(sentence: &str, rules: &mut OperatorRules) {
    let (ops, fields) = spans(sentence);
    if ops.is_empty() {
        return;
    }
    let lower = sentence.to_ascii_lowercase();
    let denies = lower.contains("not supported") || lower.contains("do not support") || lower.contains("cannot");
    let read = if lower.contains("supports only") && fields.len() == 1 {
        rules.only.entry(fields[0].to_string()).or_default().extend(&ops);
        true
    } else if lower.contains("may use") && lower.contains("to search by") && fields.len() == 1 {
        rules.added.entry(fields[0].to_string()).or_default().extend(&ops);
        true
    } else if denies && (lower.contains("date fields") || lower.contains("date custom attributes")) {
        // A restriction of the Date type ("Date fields (`created_at`, …) do not support …"):
        // the fields in parentheses are examples of the type, not single fields.
        remove(rules, SearchFieldType::Date, &ops);
        true
    } else if denies && lower.contains("string value") {
        remove(rules, SearchFieldType::String, &ops);
        true
    } else {
        false
    };
    if read {
        rules.sentences.push(sentence.to_string());
    } else {
        rules.unread.push(format!("{sentence} (an operator sentence of no known form)"));
    }
}

fn remove(rules: &mut OperatorRules, ty: SearchFieldType, ops: &BTreeSet<SearchOperator>) {
    if let Some(set) = rules.by_type.get_mut(&ty) {
        set.retain(|o| !ops.contains(o));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use SearchFieldType as T;
    use SearchOperator::*;

    fn set<const N: usize>(ops: [SearchOperator; N]) -> BTreeSet<SearchOperator> {
        ops.into_iter().collect()
    }

    const CONTACTS: &str = "### Accepted Fields\n| a | b |\n\n### Accepted Operators\n\n\
        {% admonition type=\"warning\" name=\"x\" %}\n  Date fields (`created_at`, `updated_at`, and any Date custom \
        attribute) do not support the `!=`, `>=`, or `<=` operators. Using them returns an error.\n{% /admonition %}\n\n\
        The operator should be put in as a string (`\"=\"`). Searching by `tag_id` supports only the `=` and `!=` operators.\n\n\
        | Operator | Valid Types | Description |\n| :--- | :--- | :--- |\n\
        | =  | All | Equals |\n| != | All except Date | x |\n| IN | All except Date and tag_id | In<br>x |\n\
        | >  | Integer<br>Date | x |\n| >= | Integer | x |\n| ~ | String | x |\n\n### Sorting\n| = | String | x |\n";

    #[test]
    fn a_table_with_except_lists_and_prose_restrictions() {
        let rules = read(CONTACTS).unwrap();
        assert_eq!(rules.unread, Vec::<String>::new());
        assert_eq!(rules.by_type[&T::String], set([Eq, Ne, In, Contains]));
        assert_eq!(rules.by_type[&T::Integer], set([Eq, Ne, In, Gt, Ge]));
        assert_eq!(rules.by_type[&T::Date], set([Eq, Gt]));
        assert!(!rules.by_type.contains_key(&T::Datetime), "no Datetime row, no Datetime type");
        assert_eq!(rules.excluded["tag_id"], set([In]));
        assert_eq!(rules.for_field("tag_id", T::String), set([Eq, Ne]));
        assert_eq!(rules.for_field("email", T::String), set([Eq, Ne, In, Contains]));
        assert_eq!(rules.sentences.len(), 2, "{:?}", rules.sentences);
    }

    #[test]
    fn a_field_can_gain_operators_from_the_prose() {
        let tickets = "### Accepted Operators\n\nYou may use the `<=` or `>=` operators to search by `created_at`.\n\
            | Operator | Valid Types |\n| --- | --- |\n| != | All |\n| >  | Integer  Date (UNIX Timestamp) |\n";
        let rules = read(tickets).unwrap();
        assert_eq!(rules.unread, Vec::<String>::new());
        assert_eq!(rules.by_type[&T::Date], set([Ne, Gt]));
        assert_eq!(rules.for_field("created_at", T::Date), set([Ne, Gt, Le, Ge]));
        assert_eq!(rules.for_field("updated_at", T::Date), set([Ne, Gt]));
    }

    #[test]
    fn what_cannot_be_read_is_reported_not_guessed() {
        let odd = "### Accepted Operators\nOnly admins may use `>` here.\n| Operator | Valid Types |\n| - | - |\n\
            | >> | Integer |\n| < | Integer or Float |\n| = | All but Date |\n| != | Integer |\n";
        let rules = read(odd).unwrap();
        assert_eq!(rules.by_type.keys().collect::<Vec<_>>(), [&T::Integer]);
        assert_eq!(rules.unread.len(), 4, "{:?}", rules.unread);
        assert!(rules.unread[0].contains("not an operator"));
        assert!(rules.unread[1].contains("neither a field type"));
        assert!(rules.unread[2].contains("not an `except` list"));
        assert!(rules.unread[3].contains("no known form"));
        assert_eq!(read("### Accepted Fields\n| a | b |"), None);
    }
}
