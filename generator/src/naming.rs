//! Every Rust name the generator emits comes from here, and each keeps its wire name beside it, so
//! serde renames are exact. Rules:
//! - types: UpperCamelCase of the schema name (`note_list` → `NoteList`);
//! - fields: snake_case, keywords as raw identifiers (`type` → `r#type`), non-identifier characters
//!   folded (`pt-BR` → `pt_br`);
//! - enum variants: UpperCamelCase, digit separators kept (`2.1` → `V2_1`, `2.10` → `V2_10`),
//!   operators named (`!=` → `NotEq`), a leading digit prefixed with `V`.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::ir::{ClientGroup, Operation};

/// `2.11` → `v2_11`; `0` (Preview) → `v0`.
pub fn version_module(version: &str) -> String {
    // A numbered version needs a letter in front (`v2_11`); a named one (Intercom's `Preview`)
    // is a module name already, lowercased.
    let mut out = String::from(if version.starts_with(|c: char| c.is_ascii_digit()) { "v" } else { "" });
    for c in version.chars() {
        out.push(if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' });
    }
    out
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Names that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// UpperCamelCase type name for a schema name or a composed hint.
/// The names `intercom_api` exports at its root, which no generated model may take.
pub const CRATE_ROOT_NAMES: &[&str] = &["Error", "Client", "ClientBuilder", "Region", "Operation"];

pub fn type_name(raw: &str) -> String {
    let camel = raw.to_upper_camel_case();
    let camel: String = camel.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    match camel.chars().next() {
        None => "Unnamed".to_string(),
        Some(c) if c.is_ascii_digit() => format!("V{camel}"),
        // `Self` is a keyword that cannot even be a raw identifier.
        _ if camel == "Self" => "SelfType".to_string(),
        // A model named like an item of the crate root would be ambiguous beside it under two glob
        // imports (`use intercom_api::*; use intercom_api::v2_11::models::*;`): upstream's `error`
        // schema, the body of an error response, becomes `ErrorBody`.
        _ if CRATE_ROOT_NAMES.contains(&camel.as_str()) => format!("{camel}Body"),
        _ => camel,
    }
}

/// The names a user may look for a component schema's type by, when its Rust name is not the plain
/// UpperCamelCase of the schema name (`error` → `ErrorBody`): that UpperCamelCase name, which a
/// user following upstream's documentation types, and the schema name itself. Emitted as
/// `#[doc(alias = …)]`, so that rustdoc's search finds the renamed type under either.
pub fn renamed_aliases(schema: &str, rust: &str) -> Vec<String> {
    let camel: String = schema.to_upper_camel_case().chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    if camel == rust || camel.is_empty() {
        return Vec::new();
    }
    let mut aliases = vec![camel];
    if !aliases.contains(&schema.to_string()) {
        aliases.push(schema.to_string());
    }
    aliases
}

/// The component schema a type was generated from (its origin `/components/schemas/note_list` →
/// `note_list`), `None` for inline types.
pub fn component_schema(origin: &str) -> Option<String> {
    let rest = origin.strip_prefix('#').unwrap_or(origin).strip_prefix("/components/schemas/")?;
    (!rest.contains('/')).then(|| rest.replace("~1", "/").replace("~0", "~"))
}

/// A field or method name, returned as the text of a Rust identifier (`r#type` for keywords).
pub fn field_name(wire: &str) -> String {
    let folded: String = wire.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect();
    let mut snake = folded.to_snake_case();
    if snake.is_empty() {
        snake = "field".into();
    }
    if snake.starts_with(|c: char| c.is_ascii_digit()) {
        snake = format!("n{snake}");
    }
    if NOT_RAW.contains(&snake.as_str()) {
        format!("{snake}_")
    } else if is_keyword(&snake) {
        format!("r#{snake}")
    } else {
        snake
    }
}

/// Whether an operationId can name an operation's type and method: ASCII only (type and method
/// names keep only ASCII letters and digits, so `créerContact` would lose its `é` and `日本` all
/// of itself), starting with a letter, with `_`, `-`, `.` or spaces between words.
pub fn is_usable_operation_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_alphabetic())
        && id.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ' '))
}

/// Names for values made only of operator characters (the search API's `operator`).
const OPERATORS: &[(&str, &str)] = &[
    ("=", "Eq"),
    ("!=", "NotEq"),
    ("<", "Lt"),
    ("<=", "Le"),
    (">", "Gt"),
    (">=", "Ge"),
    ("~", "Contains"),
    ("!~", "NotContains"),
    ("^", "StartsWith"),
    ("$", "EndsWith"),
];

/// UpperCamelCase variant name for an enum's wire value.
pub fn variant_name(wire: &str) -> String {
    if let Some((_, name)) = OPERATORS.iter().find(|(op, _)| *op == wire) {
        return (*name).to_string();
    }
    // Split into alphanumeric runs; keep `_` between two digit runs so `2.1` and `2.10` stay apart.
    let mut out = String::new();
    let mut prev_digit = false;
    for run in wire.split(|c: char| !c.is_ascii_alphanumeric()).filter(|r| !r.is_empty()) {
        let starts_digit = run.starts_with(|c: char| c.is_ascii_digit());
        if prev_digit && starts_digit {
            out.push('_');
        }
        // Keep a run's inner capitals (`inProgress` → `InProgress`); heck would split them the same way.
        out.push_str(&run.to_upper_camel_case());
        prev_digit = run.ends_with(|c: char| c.is_ascii_digit());
    }
    if out.is_empty() {
        return "Empty".into();
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'V');
    }
    if out == "Self" {
        return "SelfValue".into();
    }
    out
}

/// Hands out type names, unique within one version module. Component schemas claim theirs first,
/// so inline types can never take a component's name; a taken hint gets a kind suffix, then a number.
#[derive(Debug, Default)]
pub struct NameRegistry {
    taken: BTreeSet<String>,
    next_number: BTreeMap<String, usize>,
    /// Names that had to be altered, for the report: (hint, final name).
    pub renamed: Vec<(String, String)>,
}

impl NameRegistry {
    pub fn reserve(&mut self, name: &str) -> bool {
        self.taken.insert(name.to_string())
    }

    pub fn claim(&mut self, hint: &str, kind_suffix: &str) -> String {
        self.claim_first(&[hint.to_string()], kind_suffix)
    }

    /// The first of `hints` (a name's candidates, best first: [`nested_type_hints`]) not taken yet;
    /// when all are, the first with the kind suffix, then numbered.
    pub fn claim_first(&mut self, hints: &[String], kind_suffix: &str) -> String {
        let Some(hint) = hints.first() else { return self.claim_first(&["Unnamed".to_string()], kind_suffix) };
        if self.taken.insert(hint.clone()) {
            return hint.clone();
        }
        if let Some(other) = hints[1..].iter().find(|h| !self.taken.contains(*h)) {
            self.taken.insert(other.clone());
            self.renamed.push((hint.clone(), other.clone()));
            return other.clone();
        }
        let with_kind = format!("{hint}{kind_suffix}");
        let chosen = if self.taken.insert(with_kind.clone()) {
            with_kind
        } else {
            // Resume numbering where the last claim of this hint stopped: linear, not quadratic.
            let next = self.next_number.entry(with_kind.clone()).or_insert(2);
            let found = (*next..)
                .map(|n| (n, format!("{with_kind}{n}")))
                .find(|(_, c)| self.taken.insert(c.clone()))
                .expect("unbounded");
            *next = found.0 + 1;
            found.1
        };
        self.renamed.push((hint.to_string(), chosen.clone()));
        chosen
    }
}

/// The name of a `oneOf`/`anyOf` branch's inline type. Its title names it well when the title
/// already starts like the parent and says more than one word (2.11's `Redact Conversation Part
/// Request` under `RedactConversationRequest`): the title alone, instead of the parent's name
/// prefixed again (`RedactConversationRequestRedactConversationPartRequest`). Otherwise the
/// parent's name and the title (or `Variant{n}`).
pub fn branch_type_hint(parent: &str, title: Option<&str>, index: usize) -> String {
    let title = title.map(|t| t.to_upper_camel_case()).filter(|t| !t.is_empty());
    match title {
        Some(t) if words(&t) >= 3 && first_word(&t) == first_word(parent) => t,
        Some(t) => nested_type_hint(parent, &t),
        None => nested_type_hint(parent, &format!("Variant{}", index + 1)),
    }
}

/// The longest generated type name the naming rule aims for: beyond it a name is a path more
/// than a name (`DataConnectorDetailObjectMappingsItemReferenceMappingsItemIntercomObjectType`).
/// Component schemas keep upstream's names, whatever their length.
pub const MAX_TYPE_NAME: usize = 40;

/// Words that say where a type sits rather than what it is: a shortened name never starts with one.
const POSITIONAL_WORDS: &[&str] =
    &["Item", "Value", "Request", "Response", "Variant", "List", "To", "Of", "By", "And", "Or", "For", "With", "From"];

/// The name hint of a type nested in `owner` under `member` (`ContactLocation` for `contact`'s
/// `location`): `{owner}{member}` when that fits in [`MAX_TYPE_NAME`]; otherwise the nearest part
/// of the owner that fits with the member, i.e. the longest run of the owner's last words that
/// does not start with a positional word (`…ReferenceMappingsItem` + `IntercomObjectType` →
/// `ReferenceMappingsItemIntercomObjectType`). A name that cannot fit stays whole. The rule
/// depends on the two names only, so a type keeps its name in every version that has it.
pub fn nested_type_hint(owner: &str, member: &str) -> String {
    nested_type_hints(owner, member).swap_remove(0)
}

/// The candidates for the name of a type nested in `owner` under `member`, best first: the
/// [`nested_type_hint`], then, when that was shortened, the owner without its positional words
/// (`UpdateOfficeHoursExceptionRequest` + `ExceptionType` → `UpdateOfficeHoursExceptionExceptionType`),
/// or its nearest part that fits. Two owners that differ only in their first words
/// (`Create…`/`Update…`) shorten to the same name; the second candidate keeps those words, so the
/// second type to ask is named from its owner instead of taking a kind suffix (`…TypeEnum`).
pub fn nested_type_hints(owner: &str, member: &str) -> Vec<String> {
    let full = format!("{owner}{member}");
    if full.len() <= MAX_TYPE_NAME {
        return vec![full];
    }
    let words = camel_words(owner);
    let plain: Vec<&str> =
        words.iter().enumerate().filter(|(i, w)| *i == 0 || !POSITIONAL_WORDS.contains(w)).map(|(_, w)| *w).collect();
    // The longest run of the owner's last words that fits, never starting with a positional word
    // (`from` 1 for the owner itself, whose whole is `full`; 0 for its plain form).
    let nearest = |words: &[&str], from: usize| {
        (from..words.len())
            .filter(|&start| !POSITIONAL_WORDS.contains(&words[start]))
            .map(|start| words[start..].concat())
            .find(|suffix| suffix.len() + member.len() <= MAX_TYPE_NAME)
            .map(|suffix| format!("{suffix}{member}"))
    };
    let mut hints: Vec<String> = Vec::new();
    for candidate in [nearest(&words, 1), nearest(&plain, 0)].into_iter().flatten() {
        if !hints.contains(&candidate) {
            hints.push(candidate);
        }
    }
    if hints.is_empty() {
        hints.push(full);
    }
    hints
}

/// The members of one object branch of a union, for [`untitled_branch_labels`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BranchMembers {
    /// Every declared member, in declaration order.
    pub declared: Vec<String>,
    /// The required ones.
    pub required: Vec<String>,
}

/// Labels for untitled object branches of a union, from the members that tell a branch from its
/// siblings (`None` for a branch that is no object, or that nothing tells apart):
/// - a branch declaring members no sibling declares is `With{member}` (2.11's submitted
///   `ConfigureRequest` → `WithComponentId`; Preview's `{title}` beside a plain string →
///   `WithTitle`);
/// - a branch whose members are all a sibling's is `Without{that sibling's member}` (the first
///   `ConfigureRequest` → `WithoutComponentId`).
///
/// The member is the first required one among those, else the first declared, preferring an
/// identifier (`…_id`): it says which thing the branch is about (the component a submit came
/// from), where other members say what is attached. Labels that would repeat are `None`.
pub fn untitled_branch_labels(branches: &[Option<BranchMembers>]) -> Vec<Option<String>> {
    let picks: Vec<Option<&str>> = (0..branches.len()).map(|i| distinguishing_member(branches, i)).collect();
    let labels: Vec<Option<String>> = branches
        .iter()
        .enumerate()
        .map(|(i, branch)| {
            let own = branch.as_ref()?;
            if let Some(member) = picks[i] {
                return Some(format!("With{}", type_name(member)));
            }
            // Nothing of its own: named by what a sibling that holds all of it adds.
            // (A sibling's own member is one this branch does not declare, by definition.)
            branches.iter().enumerate().find_map(|(j, other)| {
                let holds_all =
                    other.as_ref().is_some_and(|o| j != i && own.declared.iter().all(|m| o.declared.contains(m)));
                holds_all.then(|| picks[j].map(|member| format!("Without{}", type_name(member)))).flatten()
            })
        })
        .collect();
    labels
        .iter()
        .map(|label| label.clone().filter(|l| labels.iter().filter(|o| o.as_ref() == Some(l)).count() == 1))
        .collect()
}

/// The member that best tells object branch `i` from its siblings (see [`untitled_branch_labels`]).
fn distinguishing_member(branches: &[Option<BranchMembers>], i: usize) -> Option<&str> {
    let own = branches.get(i)?.as_ref()?;
    let elsewhere = |m: &String| {
        branches.iter().enumerate().any(|(j, b)| j != i && b.as_ref().is_some_and(|b| b.declared.contains(m)))
    };
    let own_members: Vec<&String> = own.declared.iter().filter(|m| !elsewhere(m)).collect();
    let required: Vec<&String> = own_members.iter().copied().filter(|m| own.required.contains(m)).collect();
    let pool = if required.is_empty() { own_members } else { required };
    pool.iter().find(|m| m.ends_with("_id")).or_else(|| pool.first()).map(|m| m.as_str())
}

/// The variant name of an inline union branch: its title (without the words the union's name
/// already starts with, when the title repeats them), else `Variant{n}`.
pub fn branch_label(parent: &str, title: Option<&str>, index: usize) -> String {
    match title.map(|t| t.to_upper_camel_case()).filter(|t| !t.is_empty()) {
        Some(t) => match t.strip_prefix(parent) {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_uppercase()) => rest.to_string(),
            _ => t,
        },
        None => format!("Variant{}", index + 1),
    }
}

fn words(camel: &str) -> usize {
    camel.chars().filter(char::is_ascii_uppercase).count()
}

fn first_word(camel: &str) -> &str {
    let end = camel.char_indices().skip(1).find(|(_, c)| c.is_ascii_uppercase()).map_or(camel.len(), |(i, _)| i);
    &camel[..end]
}

/// Short variant names for a union whose every branch carries one tag, on the same member, with
/// distinct values (`type: conversation_part` / `type: source` → `ConversationPart`, `Source`):
/// the tag is what tells the branches apart, so it names them. `None` when that does not hold.
pub fn tag_variant_names(tags: &[&[(String, String)]]) -> Option<Vec<String>> {
    let key = &tags.first()?.first()?.0;
    let values: Vec<&str> = tags
        .iter()
        .map(|t| match t {
            [(k, v)] if k == key => Some(v.as_str()),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let names: Vec<String> = values.iter().map(|v| variant_name(v)).collect();
    let distinct: BTreeSet<&String> = names.iter().collect();
    (distinct.len() == names.len() && names.iter().all(|n| n != "Unknown")).then_some(names)
}

/// Variant names without the words every one of them shares at its start or end
/// (`ContactReplyIntercomUserIdRequest`, `ContactReplyEmailRequest` → `IntercomUserId`, `Email`;
/// `ContactReplyConversationRequest`, `AdminReplyConversationRequest` → `Contact`, `Admin`): the
/// enum's name already says what they share, and the type each wraps keeps its full name. Left as
/// they are unless at least two remain distinct, non-empty, and each starts with a letter.
pub fn shorten_variant_labels(labels: &[String]) -> Vec<String> {
    if labels.len() < 2 {
        return labels.to_vec();
    }
    let words: Vec<Vec<&str>> = labels.iter().map(|l| camel_words(l)).collect();
    let shortest = words.iter().map(Vec::len).min().unwrap_or(0);
    let shared = |pick: &dyn for<'w> Fn(&'w [&'w str], usize) -> &'w str| {
        (0..shortest).take_while(|&i| words.iter().all(|w| pick(w, i) == pick(&words[0], i))).count()
    };
    let prefix = shared(&|w, i| w[i]);
    // A shared ending is dropped only when it names the kind of thing (`…Request`, `…Component`);
    // `ListItemWithImage`/`ListItemWithoutImage` keep theirs (`WithImage`, not `With`).
    let suffix = match shared(&|w, i| w[w.len() - 1 - i]).min(shortest.saturating_sub(prefix)) {
        0 => 0,
        n if KIND_WORDS.contains(&words[0][words[0].len() - 1]) => n,
        _ => 0,
    };
    let short: Vec<String> = words.iter().map(|w| w[prefix..w.len() - suffix].concat()).collect();
    let distinct: BTreeSet<&String> = short.iter().collect();
    let usable = distinct.len() == short.len()
        && short.iter().all(|s| s.starts_with(|c: char| c.is_ascii_uppercase()) && s != "Unknown");
    if usable {
        short
    } else {
        labels.to_vec()
    }
}

/// Last words that say what kind of thing a type is rather than which one.
const KIND_WORDS: &[&str] = &["Request", "Response", "Component", "Object", "Payload"];

/// `ContactReplyEmailRequest` → `Contact`, `Reply`, `Email`, `Request` (a word starts at each
/// capital; digits stay with the word before them).
fn camel_words(name: &str) -> Vec<&str> {
    let mut starts: Vec<usize> = name.char_indices().filter(|(_, c)| c.is_ascii_uppercase()).map(|(i, _)| i).collect();
    if starts.first() != Some(&0) {
        starts.insert(0, 0);
    }
    starts.iter().zip(starts.iter().skip(1).chain(std::iter::once(&name.len()))).map(|(&a, &b)| &name[a..b]).collect()
}

/// The field of an operation struct that holds a parameter whose Rust name is `rust`: `body` is
/// the struct's own field for the request body, so a parameter named `body` becomes `body_param`.
pub fn param_field_name(rust: &str) -> String {
    match rust {
        "body" => "body_param".to_string(),
        other => other.to_string(),
    }
}

/// Methods of `Call` (`intercom_api::client::Call`) itself; a setter by one of these names would
/// shadow it.
const CALL_METHODS: &[&str] = &[
    "with",
    "header",
    "timeout",
    "max_retries",
    "retry_policy",
    "response",
    "pages",
    "pages_from",
    "items",
    "items_from",
    "operation",
    "into_future",
];

/// The `Call` setter of the operation field `field`: the field's name, with a `_param` suffix
/// where that would shadow a method of `Call`.
pub fn setter_name(field: &str) -> String {
    if CALL_METHODS.contains(&field) {
        format!("{field}_param")
    } else {
        field.to_string()
    }
}

/// Makes a list of names unique by numbering repeats (`Foo`, `Foo2`, …), keeping order.
pub fn dedupe(names: Vec<String>) -> Vec<String> {
    // Per name: how many times it was seen, and the next number to try for a repeat (so that many
    // repeats of one name cost linear, not quadratic, time).
    let mut seen: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut used: BTreeSet<String> = names.iter().cloned().collect();
    names
        .into_iter()
        .map(|name| {
            let (count, next) = seen.entry(name.clone()).or_insert((0, 2));
            *count += 1;
            if *count == 1 {
                return name;
            }
            let (n, fresh) =
                (*next..).map(|n| (n, format!("{name}{n}"))).find(|(_, c)| !used.contains(c)).expect("unbounded");
            *next = n + 1;
            used.insert(fresh.clone());
            fresh
        })
        .collect()
}

/// Every name the IR will emit must be a Rust identifier; a spec that still produces one that is
/// not (a generator gap) is refused here with its JSON pointer instead of failing later as
/// unparsable code.
pub fn check_identifiers(file: &str, ir: &crate::ir::Ir) -> crate::error::Result<()> {
    use crate::error::pointer_push;
    use crate::ir::TypeKind;
    let check = |text: &str, pointer: &str| -> crate::error::Result<()> {
        let plain = text.strip_prefix("r#").unwrap_or(text);
        let valid = if text.starts_with("r#") {
            !NOT_RAW.contains(&plain) && syn::parse_str::<syn::Ident>(text).is_ok()
        } else {
            syn::parse_str::<syn::Ident>(text).is_ok()
        };
        if valid {
            Ok(())
        } else {
            Err(crate::error::Error::Spec {
                location: crate::error::Location { file: file.into(), pointer: pointer.into() },
                message: format!("the generated name `{text}` is not a Rust identifier"),
            })
        }
    };
    for def in ir.types.values() {
        check(&def.name, &def.origin)?;
        match &def.kind {
            TypeKind::Struct(fields) => fields
                .iter()
                .try_for_each(|f| check(&f.rust, &pointer_push(&pointer_push(&def.origin, "properties"), &f.wire)))?,
            TypeKind::Enum(values) => {
                values.iter().try_for_each(|v| check(&v.rust, &pointer_push(&def.origin, "enum")))?
            }
            TypeKind::OneOf(variants) => variants.iter().try_for_each(|v| check(&v.rust, &def.origin))?,
            TypeKind::Alias(_) => {}
        }
    }
    for op in &ir.operations {
        check(&op.type_name, &op.pointer)?;
        check(&op.fn_name, &op.pointer)?;
        op.params.iter().try_for_each(|p| check(&p.rust, &pointer_push(&op.pointer, "parameters")))?;
    }
    Ok(())
}

/// The client's operation groups, by tag, in tag order (an operation without tags is in `Other`).
/// Tags that map to the same Rust names (`Data Events`, `data-events`) share one group, each
/// operation listed once.
pub fn client_groups(ops: &[Operation]) -> Vec<ClientGroup> {
    groups_of_tags(ops.iter().map(|op| op.tags.as_slice()))
}

/// The tag an operation without tags is grouped under.
pub const UNTAGGED: &str = "Other";

/// The client accessor and group type a tag names (`Help Center` → `help_center`, `HelpCenterApi`);
/// tags naming the same pair share one group.
pub fn group_names(tag: &str) -> (String, String) {
    let method = field_name(&tag.to_snake_case());
    let type_name = format!("{}Api", type_name(&method));
    (method, type_name)
}

/// [`client_groups`] from each operation's tags, in operation order.
fn groups_of_tags<'t>(tags: impl Iterator<Item = &'t [String]>) -> Vec<ClientGroup> {
    let mut by_tag: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, op_tags) in tags.enumerate() {
        if op_tags.is_empty() {
            by_tag.entry(UNTAGGED).or_default().push(i);
        }
        for t in op_tags {
            by_tag.entry(t).or_default().push(i);
        }
    }
    let mut groups: Vec<ClientGroup> = Vec::new();
    for (tag, members) in by_tag {
        let (method, type_name) = group_names(tag);
        match groups.iter_mut().find(|g| g.method == method || g.type_name == type_name) {
            Some(group) => {
                for i in members {
                    if !group.operations.contains(&i) {
                        group.operations.push(i);
                    }
                }
            }
            None => groups.push(ClientGroup { tag: tag.to_string(), method, type_name, operations: members }),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(type_name("note_list"), "NoteList");
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("pt-BR"), "pt_br");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(variant_name("2.1"), "V2_1");
        assert_eq!(variant_name("2.10"), "V2_10");
        assert_eq!(variant_name("!="), "NotEq");
        assert_eq!(variant_name("$"), "EndsWith");
        assert_eq!(variant_name("3rd_party_error"), "V3rdPartyError");
        assert_eq!(variant_name("tag.list"), "TagList");
        assert_eq!(variant_name("Preview"), "Preview");
        assert_eq!(version_module("2.11"), "v2_11");
        assert_eq!(version_module("Preview"), "preview");
        assert_eq!(type_name("error"), "ErrorBody");
        assert_eq!(nested_type_hint("Contact", "Location"), "ContactLocation");
        assert_eq!(
            nested_type_hint("DataConnectorDetailObjectMappingsItemReferenceMappingsItem", "IntercomObjectType"),
            "ReferenceMappingsItemIntercomObjectType"
        );
        assert_eq!(
            nested_type_hint("AttachContactToConversationRequestCustomer", "IntercomUserId"),
            "CustomerIntercomUserId",
            "a shortened name starts with a word that names something, not `Request…`"
        );
        let long = "Abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz";
        assert_eq!(nested_type_hint("Owner", long), format!("Owner{long}"), "nothing fits: kept whole");
        assert_eq!(camel_words("Variant4ItemX"), ["Variant4", "Item", "X"]);
        assert_eq!(renamed_aliases("error", "ErrorBody"), ["Error", "error"]);
        assert_eq!(renamed_aliases("note_list", "NoteList"), Vec::<String>::new());
        assert_eq!(renamed_aliases("Client", "ClientBody"), ["Client"]);
        assert_eq!(component_schema("/components/schemas/error").as_deref(), Some("error"));
        assert_eq!(component_schema("/components/schemas/a~1b").as_deref(), Some("a/b"));
        assert_eq!(component_schema("/components/schemas/error/properties/x"), None);
        assert_eq!(type_name("error_list"), "ErrorList");
        assert_eq!(dedupe(vec!["A".into(), "A".into(), "A2".into()]), vec!["A", "A3", "A2"]);
        assert_eq!(dedupe(vec!["A".into(), "A".into(), "A".into(), "A3".into()]), vec!["A", "A2", "A4", "A3"]);
        assert_eq!(type_name("self"), "SelfType");
        assert_eq!(variant_name("self"), "SelfValue");
        assert_eq!(field_name("super"), "super_");
    }

    #[test]
    fn a_shortened_name_has_a_second_candidate_from_its_owner() {
        let (create, update) = ("CreateOfficeHoursExceptionRequest", "UpdateOfficeHoursExceptionRequest");
        assert_eq!(
            nested_type_hints(create, "ExceptionType"),
            ["OfficeHoursExceptionRequestExceptionType", "CreateOfficeHoursExceptionExceptionType"]
        );
        assert_eq!(nested_type_hints("Contact", "Location"), ["ContactLocation"], "a name that fits has one");
        let mut r = NameRegistry::default();
        assert_eq!(
            r.claim_first(&nested_type_hints(create, "ExceptionType"), "Enum"),
            "OfficeHoursExceptionRequestExceptionType"
        );
        assert_eq!(
            r.claim_first(&nested_type_hints(update, "ExceptionType"), "Enum"),
            "UpdateOfficeHoursExceptionExceptionType",
            "the second owner is named from its own first words, not with a kind suffix"
        );
        assert_eq!(
            r.claim_first(&nested_type_hints(update, "ExceptionType"), "Enum"),
            "OfficeHoursExceptionRequestExceptionTypeEnum",
            "every candidate taken: the kind suffix"
        );
        assert_eq!(r.renamed.len(), 2);
    }

    #[test]
    fn untitled_object_branches_are_named_by_the_members_that_tell_them_apart() {
        let object = |declared: &[&str], required: &[&str]| {
            Some(BranchMembers {
                declared: declared.iter().map(|m| m.to_string()).collect(),
                required: required.iter().map(|m| m.to_string()).collect(),
            })
        };
        // 2.11's `ConfigureRequest`: the first request, and the one a submit sends with more.
        let first = object(&["workspace_id", "admin", "context"], &["workspace_id", "admin", "context"]);
        let submit = object(
            &["workspace_id", "workspace_region", "component_id", "admin", "context", "current_canvas"],
            &["workspace_id", "workspace_region", "component_id", "admin", "context", "current_canvas"],
        );
        assert_eq!(
            untitled_branch_labels(&[first.clone(), submit.clone()]),
            [Some("WithoutComponentId".to_string()), Some("WithComponentId".to_string())],
            "an identifier among the members only one branch has names both"
        );
        // 2.11's `ConfigureResponse`: a `$ref` branch (`results`) and an object with `canvas`.
        let results = object(&["results"], &["results"]);
        assert_eq!(
            untitled_branch_labels(&[results, object(&["canvas"], &["canvas"])])[1].as_deref(),
            Some("WithCanvas")
        );
        // Preview's product collections: a string or an object with an optional `title`.
        assert_eq!(untitled_branch_labels(&[None, object(&["title"], &[])]), [None, Some("WithTitle".to_string())]);
        // Required members come before optional ones; without an identifier, the first declared.
        assert_eq!(
            untitled_branch_labels(&[object(&["note", "body", "kind_id"], &["body"]), object(&[], &[])])[0].as_deref(),
            Some("WithBody")
        );
        // Identical members tell nothing apart; neither do labels that would repeat.
        assert_eq!(untitled_branch_labels(&[first.clone(), first.clone()]), [None, None]);
        let nested = untitled_branch_labels(&[object(&["a"], &[]), object(&["a"], &[]), object(&["a", "b"], &[])]);
        assert_eq!(nested, [None, None, Some("WithB".to_string())], "`WithoutB` twice names neither");
    }

    #[test]
    fn registry_never_reuses_a_name() {
        let mut r = NameRegistry::default();
        assert!(r.reserve("CreateContactRequest"));
        assert_eq!(r.claim("CreateContactRequest", "Body"), "CreateContactRequestBody");
        assert_eq!(r.claim("CreateContactRequest", "Body"), "CreateContactRequestBody2");
        assert_eq!(r.renamed.len(), 2);
    }

    #[test]
    fn a_branch_title_that_names_it_well_is_used_alone() {
        let parent = "RedactConversationRequest";
        assert_eq!(
            branch_type_hint(parent, Some("Redact Conversation Part Request"), 0),
            "RedactConversationPartRequest"
        );
        // A title that does not start like the parent, or says one word, is prefixed (by the
        // nearest part of the parent when the whole would be longer than `MAX_TYPE_NAME`).
        assert_eq!(branch_type_hint("ContactCustomer", Some("Intercom User ID"), 0), "ContactCustomerIntercomUserId");
        assert_eq!(
            branch_type_hint("AttachContactToConversationRequestCustomer", Some("Intercom User ID"), 0),
            "CustomerIntercomUserId"
        );
        assert_eq!(branch_type_hint("RedactRequest", Some("Redact"), 1), "RedactRequestRedact");
        assert_eq!(branch_type_hint(parent, None, 1), "RedactConversationRequestVariant2");
    }

    #[test]
    fn distinct_single_tags_name_the_variants() {
        let tag = |v: &str| vec![("type".to_string(), v.to_string())];
        let (part, source) = (tag("conversation_part"), tag("source"));
        assert_eq!(
            tag_variant_names(&[part.as_slice(), source.as_slice()]),
            Some(vec!["ConversationPart".to_string(), "Source".to_string()])
        );
        // A repeated value, an untagged branch, two tags, or tags on different members: no.
        assert_eq!(tag_variant_names(&[part.as_slice(), part.as_slice()]), None);
        assert_eq!(tag_variant_names(&[part.as_slice(), &[]]), None);
        let two = vec![("type".to_string(), "a".to_string()), ("kind".to_string(), "b".to_string())];
        assert_eq!(tag_variant_names(&[two.as_slice(), source.as_slice()]), None);
        let other = vec![("kind".to_string(), "x".to_string())];
        assert_eq!(tag_variant_names(&[other.as_slice(), source.as_slice()]), None);
        // `Unknown` is the catch-all's name.
        assert_eq!(tag_variant_names(&[tag("unknown").as_slice(), source.as_slice()]), None);
    }

    #[test]
    fn shared_words_are_dropped_from_variant_names() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            shorten_variant_labels(&names(&[
                "ContactReplyIntercomUserIdRequest",
                "ContactReplyEmailRequest",
                "ContactReplyUserIdRequest"
            ])),
            names(&["IntercomUserId", "Email", "UserId"])
        );
        assert_eq!(
            shorten_variant_labels(&names(&["ContactReplyConversationRequest", "AdminReplyConversationRequest"])),
            names(&["Contact", "Admin"])
        );
        // Nothing shared, one variant, or names that would collide or vanish: unchanged.
        let kept = names(&["Contact", "Company"]);
        assert_eq!(shorten_variant_labels(&kept), kept);
        let one = names(&["OnlyRequest"]);
        assert_eq!(shorten_variant_labels(&one), one);
        assert_eq!(
            shorten_variant_labels(&names(&["ListItemWithImage", "ListItemWithoutImage"])),
            names(&["WithImage", "WithoutImage"])
        );
        let nested = names(&["Ticket", "TicketList"]);
        assert_eq!(shorten_variant_labels(&nested), names(&["Ticket", "TicketList"]));
    }

    #[test]
    fn setters_never_shadow_call_methods() {
        assert_eq!(setter_name("per_page"), "per_page");
        assert_eq!(setter_name("header"), "header_param");
        assert_eq!(setter_name("timeout"), "timeout_param");
    }

    #[test]
    fn tags_that_spell_one_name_share_a_group() {
        let tags: Vec<Vec<String>> = vec![
            vec!["Data Events".into()],
            vec!["data-events".into(), "Contacts".into()],
            vec![],
            vec!["Data Events".into()],
        ];
        let groups = groups_of_tags(tags.iter().map(Vec::as_slice));
        let view: Vec<(&str, &str, &[usize])> =
            groups.iter().map(|g| (g.method.as_str(), g.type_name.as_str(), g.operations.as_slice())).collect();
        assert_eq!(
            view,
            [
                ("contacts", "ContactsApi", &[1][..]),
                ("data_events", "DataEventsApi", &[0, 3, 1][..]),
                ("other", "OtherApi", &[2][..])
            ]
        );
        assert_eq!(groups[1].tag, "Data Events", "the first tag in name order names the group");
    }
}
