//! What one regeneration did to one version: the numbers a maintainer reviews.

use std::collections::BTreeMap;
use std::fmt;

use crate::fixups::AppliedFixup;
use crate::ir::FieldRule;

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub version: String,
    pub component_schemas: usize,
    pub inline_types: usize,
    pub operations: usize,
    pub fixups: Vec<AppliedFixup>,
    /// Coping rules applied by the lowering (rule → JSON pointers).
    pub notes: BTreeMap<&'static str, Vec<String>>,
    pub field_rules: BTreeMap<FieldRule, usize>,
    /// Inline type names that collided and were changed: (wanted, given).
    pub renamed: Vec<(String, String)>,
    pub lines_of_code: usize,
    /// Webhook topics generated for the version (`ping` aside); `None` until the topic table is
    /// applied (`generate_webhooks`).
    pub webhook_topics: Option<WebhookTopics>,
    pub undeclared: Undeclared,
    /// The paginated operations by style, and those that take a page position without one.
    pub pagination: crate::pagination::Summary,
    /// The typed search builder: fields per search resource, then fix-ups applied and rows not read.
    pub search: Vec<String>,
    /// The resource features: what each brings, and the types several share.
    pub resources: crate::resources::Summary,
}

/// A version's webhook topics (`ping` aside): how many, and how many keep their item as JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebhookTopics {
    pub topics: usize,
    pub untyped: usize,
}

/// Response examples with members their type does not declare (kept in `extra_` when decoded).
#[derive(Debug, Clone, Default)]
pub struct Undeclared {
    /// Response examples with a named type.
    pub responses: usize,
    /// How many carry undeclared members without the fix-ups of kind `examples` (`None` when the
    /// description does not lower without them).
    pub before: Option<usize>,
    /// How many still do after every fix-up.
    pub after: usize,
    /// Each member still kept only in the catch-all: example pointer and member path.
    pub remaining: Vec<String>,
}

impl fmt::Display for Report {
    /// One summary line, then details indented.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: {} schemas, {} inline types, {} operations, {} fix-ups, {} lines",
            self.version,
            self.component_schemas,
            self.inline_types,
            self.operations,
            self.fixups.len(),
            self.lines_of_code
        )?;
        let u = &self.undeclared;
        let before = u.before.map_or_else(|| "n/a".to_string(), |b| b.to_string());
        writeln!(f, "    examples  response examples with undeclared members: {before}/{} before the `examples` fix-ups, {}/{} after", u.responses, u.after, u.responses)?;
        for member in &u.remaining {
            writeln!(f, "    examples  kept only in `extra_` (no schema or fix-up declares it): {member}")?;
        }
        if let Some(w) = self.webhook_topics {
            writeln!(
                f,
                "    webhooks  {} topics from spec/webhook-topics.toml ({} with their item kept as JSON), and ping",
                w.topics, w.untyped
            )?;
        }
        let p = &self.pagination;
        let styles: Vec<String> = crate::ir::PaginationStyle::ALL
            .iter()
            .map(|s| format!("{} {}", p.by_style.get(s).map_or(0, Vec::len), s.label()))
            .collect();
        writeln!(f, "    paginated {:>3}  {}", p.total(), styles.join(", "))?;
        for (style, ops) in &p.by_style {
            writeln!(f, "    paginated {:>3}  {}: {}", ops.len(), style.label(), ops.join(", "))?;
        }
        for op in &p.unresolved {
            writeln!(f, "    paginated   ?  not paginated: {op}")?;
        }
        for line in &self.search {
            writeln!(f, "    search    {line}")?;
        }
        let r = &self.resources;
        writeln!(
            f,
            "    resources {:>3}  features; types: {} in every one (no cfg), {} shared by several, {} only with the full \
             version feature (no operation reaches them)",
            r.per_feature.len(),
            r.always,
            r.shared,
            r.full_only
        )?;
        for (feature, (ops, types)) in &r.per_feature {
            writeln!(f, "    resource  {feature}: {ops} operations, {types} types")?;
        }
        for (rule, count) in &self.field_rules {
            writeln!(f, "    fields {:>4}  {}", count, rule.describe())?;
        }
        for fix in &self.fixups {
            writeln!(f, "    fix-up {} at {}: {}", fix.id, fix.pointer, fix.why)?;
        }
        for (rule, pointers) in &self.notes {
            writeln!(f, "    coped  {:>4}  {}", pointers.len(), rule)?;
        }
        if !self.renamed.is_empty() {
            writeln!(
                f,
                "    renamed {} inline types that collided: {}",
                self.renamed.len(),
                self.renamed.iter().map(|(a, b)| format!("{a}→{b}")).collect::<Vec<_>>().join(", ")
            )?;
        }
        Ok(())
    }
}
