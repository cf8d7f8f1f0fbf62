//! Resolve: the decisions taken once over a whole version's IR, after lowering and before any
//! emitter runs. Each writes its verdict into the IR, so emitters and reports only read it:
//! - structural checks: aliases that only alias each other, identifiers Rust cannot spell;
//! - recursion: a type holding itself by value gets a `Box` (`cycles.rs`);
//! - optionality: each struct field's `T` or `Option<T>` (`policy.rs`);
//! - size: an output type's optional struct members are `Option<Box<T>>` (`boxing.rs`);
//! - client groups: which accessor of the client holds each operation (`naming.rs`);
//! - pagination: how each operation pages, or why it cannot (`pagination.rs`);
//! - decoding: which fields are filled in place, how nested unions rank (`decoding.rs`);
//! - resources: the cargo features each item needs (`resources.rs`), once the client groups and
//!   the pagination it reads are decided.

use crate::error::{Error, Location, Result};
use crate::ir::Ir;
use crate::{boxing, cycles, decoding, naming, pagination, policy};

pub fn resolve(file: &str, ir: &mut Ir) -> Result<()> {
    if let Some(cycle) = cycles::alias_cycle(&ir.types) {
        return Err(Error::Spec {
            location: Location { file: file.into(), pointer: cycle[0].clone() },
            message: format!("schemas that only alias each other form a cycle: {}", cycle.join(" -> ")),
        });
    }
    for (owner, member) in cycles::box_recursion(&mut ir.types) {
        ir.notes.entry("recursive member held in a Box").or_default().push(format!("{owner}.{member}"));
    }
    naming::check_identifiers(file, ir)?;
    ir.client_groups = naming::client_groups(&ir.operations);
    let outputs = policy::apply(ir);
    for (owner, member) in boxing::box_optional_structs(&mut ir.types, &outputs) {
        ir.notes.entry("optional struct member held in a Box").or_default().push(format!("{owner}.{member}"));
    }
    pagination::apply(ir);
    decoding::apply(&mut ir.types);
    Ok(())
}

/// The cargo features each item needs ([`Ir::resources`]), from the operations' tags through
/// `spec/resources.toml` (`None`: names derived from the tags).
pub fn resources(
    file: &str,
    version_feature: &str,
    ir: &mut Ir,
    table: Option<&crate::config::ResourcesFile>,
) -> Result<()> {
    crate::resources::assign(file, version_feature, ir, table)
}
