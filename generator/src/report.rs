//! What one regeneration did to one version: the numbers a maintainer reviews.

use std::collections::BTreeMap;
use std::fmt;

use crate::fixups::AppliedFixup;
use crate::policy::FieldRule;

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
            writeln!(f, "    renamed {} inline types that collided: {}", self.renamed.len(), self.renamed.iter().map(|(a, b)| format!("{a}→{b}")).collect::<Vec<_>>().join(", "))?;
        }
        Ok(())
    }
}
