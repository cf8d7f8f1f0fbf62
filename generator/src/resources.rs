//! Resources (issue 27): which cargo features each item of a version module needs. A resource is
//! an operation tag, mapped to a stable feature name by `spec/resources.toml`; an operation needs
//! any of its tags' features, a type any of the features of the operations that reach it (through
//! parameters, bodies, responses, union branches, fields, aliases and `allOf` bases), a client
//! group the features of the tags that name it. Computed once, in the resolve stage, into
//! [`Ir::resources`]; emitters only render it (`gate.rs`), and [`dangling`] checks it.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToKebabCase;

use crate::config::ResourcesFile;
use crate::error::{Error, Location, Result};
use crate::ir::{Gate, Ir, Operation, Paging, Resources, Ty, TypeDef, TypeKind};
use crate::naming;

/// The feature of `tag`: from the table when there is one (a tag it lacks is an error naming the
/// operation's tags), else derived (`Help Center` → `help-center`, for fixture descriptions).
fn feature_of(file: &str, op: &Operation, tag: &str, table: Option<&ResourcesFile>) -> Result<String> {
    let Some(table) = table else { return Ok(tag.to_kebab_case()) };
    table.tags.get(tag).cloned().ok_or_else(|| Error::Spec {
        location: Location { file: file.into(), pointer: format!("{}/tags", op.pointer) },
        message: format!(
            "tag `{tag}` has no cargo feature in spec/resources.toml; add `\"{tag}\" = \"{}\"` to its [tags] \
             (or the feature of the tag it was renamed from)",
            tag.to_kebab_case()
        ),
    })
}

/// The tags an operation is grouped under (`Other` when it has none).
fn tags_of(op: &Operation) -> Vec<&str> {
    if op.tags.is_empty() {
        vec![naming::UNTAGGED]
    } else {
        op.tags.iter().map(String::as_str).collect()
    }
}

/// The types an operation's code names: parameters, body, every response, the paginated item.
pub fn operation_refs(op: &Operation) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for p in &op.params {
        p.ty.named_refs(&mut out);
    }
    if let Some(b) = &op.body {
        b.ty.named_refs(&mut out);
    }
    for r in &op.responses {
        if let Some(ty) = &r.ty {
            ty.named_refs(&mut out);
        }
    }
    if let Some(ty) = &op.success.ty {
        ty.named_refs(&mut out);
    }
    if let Paging::Paginated(p) = &op.paging {
        p.item_ty.named_refs(&mut out);
    }
    out
}

/// The types a type's code names: its fields', branches' or alias's types.
pub fn type_refs(def: &TypeDef) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut add = |ty: &Ty| ty.named_refs(&mut out);
    match &def.kind {
        TypeKind::Struct(fields) => fields.iter().for_each(|f| add(&f.ty)),
        TypeKind::OneOf(variants) => variants.iter().for_each(|v| add(&v.ty)),
        TypeKind::Alias(ty) => add(ty),
        TypeKind::Enum(_) => {}
    }
    out
}

/// The gate of an item reached by `reached` of the version's `all` features.
fn gate_of(reached: &BTreeSet<String>, all: &BTreeSet<String>) -> Gate {
    if reached.is_empty() {
        Gate::FullVersion
    } else if reached == all {
        Gate::Always
    } else {
        Gate::Any(reached.iter().cloned().collect())
    }
}

/// Computes [`Ir::resources`] for the version whose full feature is `version_feature` (`v2_16`).
pub fn assign(file: &str, version_feature: &str, ir: &mut Ir, table: Option<&ResourcesFile>) -> Result<()> {
    let mut features: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut op_features: Vec<BTreeSet<String>> = Vec::with_capacity(ir.operations.len());
    for op in &ir.operations {
        let mut set = BTreeSet::new();
        for tag in tags_of(op) {
            let feature = feature_of(file, op, tag, table)?;
            let tags = features.entry(feature.clone()).or_default();
            if !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_string());
                tags.sort();
            }
            set.insert(feature);
        }
        op_features.push(set);
    }
    let all: BTreeSet<String> = features.keys().cloned().collect();

    // Which features reach each type: a walk from each operation's types, through the types they
    // name and their `allOf` bases (which share their uses).
    let mut reached: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (op, op_set) in ir.operations.iter().zip(&op_features) {
        let mut stack: Vec<String> = operation_refs(op).into_iter().collect();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        while let Some(name) = stack.pop() {
            let Some((key, def)) = ir.types.get_key_value(&name) else { continue };
            if !seen.insert(name) {
                continue;
            }
            reached.entry(key.as_str()).or_default().extend(op_set.iter().cloned());
            stack.extend(type_refs(def).into_iter().chain(def.bases.iter().cloned()).filter(|n| !seen.contains(n)));
        }
    }
    let types = ir
        .types
        .keys()
        .map(|name| (name.clone(), gate_of(reached.get(name.as_str()).unwrap_or(&BTreeSet::new()), &all)))
        .collect();
    let operations = op_features.iter().map(|set| gate_of(set, &all)).collect();

    // A group needs the features of the tags that name it; each of its methods needs those of them
    // that are its operation's (`Always` when that is the group's whole set: no `cfg` of its own).
    let mut groups = Vec::with_capacity(ir.client_groups.len());
    let mut group_methods = Vec::with_capacity(ir.client_groups.len());
    for group in &ir.client_groups {
        let naming_tags = |op: &Operation| -> BTreeSet<String> {
            tags_of(op)
                .into_iter()
                .filter(|t| {
                    let (method, type_name) = naming::group_names(t);
                    method == group.method || type_name == group.type_name
                })
                .filter_map(|t| feature_of(file, op, t, table).ok())
                .collect()
        };
        let per_method: Vec<BTreeSet<String>> =
            group.operations.iter().map(|&i| naming_tags(&ir.operations[i])).collect();
        let group_set: BTreeSet<String> = per_method.iter().flatten().cloned().collect();
        groups.push(gate_of(&group_set, &all));
        group_methods.push(
            per_method.iter().map(|set| if *set == group_set { Gate::Always } else { gate_of(set, &all) }).collect(),
        );
    }
    ir.resources =
        Resources { version_feature: version_feature.into(), features, types, operations, groups, group_methods };
    Ok(())
}

/// Whether an item with `gate` is compiled when exactly `enabled` resource features are on, and
/// the full version feature is (`full`) or not.
pub fn enabled(gate: &Gate, enabled: &BTreeSet<&str>, full: bool) -> bool {
    match gate {
        Gate::Always => true,
        Gate::Any(features) => full || features.iter().any(|f| enabled.contains(f.as_str())),
        Gate::FullVersion => full,
    }
}

/// Every reference from an item compiled with `enabled` features to one that is not, for each
/// resource alone and for none (the `-core` feature alone): `"operation X needs type Y"`. Empty
/// when every such combination compiles. The webhook and search modules gate their items by the
/// gates checked here (a topic's model, a search's operation and client group).
pub fn dangling(ir: &Ir) -> Vec<String> {
    let r = &ir.resources;
    let mut combinations: Vec<BTreeSet<&str>> = vec![BTreeSet::new()];
    combinations.extend(r.features.keys().map(|f| BTreeSet::from([f.as_str()])));
    let mut out = Vec::new();
    for on in &combinations {
        let label = if on.is_empty() {
            "no resource".to_string()
        } else {
            format!("`{}` alone", on.iter().next().unwrap_or(&""))
        };
        let type_on = |name: &str| enabled(r.type_gate(name), on, false);
        for def in ir.types.values().filter(|d| type_on(&d.name)) {
            for used in type_refs(def).iter().filter(|n| ir.types.contains_key(*n) && !type_on(n)) {
                out.push(format!("{label}: type {} needs type {used}", def.name));
            }
        }
        for (_, op) in ir.operations.iter().enumerate().filter(|(i, _)| enabled(r.operation_gate(*i), on, false)) {
            for used in operation_refs(op).iter().filter(|n| ir.types.contains_key(*n) && !type_on(n)) {
                out.push(format!("{label}: operation {} needs type {used}", op.type_name));
            }
        }
        for (g, group) in ir.client_groups.iter().enumerate().filter(|(g, _)| enabled(r.group_gate(*g), on, false)) {
            for (m, &i) in group.operations.iter().enumerate() {
                let method_on = enabled(r.group_method_gate(g, m), on, false);
                if method_on && !enabled(r.operation_gate(i), on, false) {
                    out.push(format!(
                        "{label}: {}::{} needs operation {}",
                        group.type_name, ir.operations[i].fn_name, ir.operations[i].type_name
                    ));
                }
            }
        }
    }
    out
}

/// The report's numbers for one version: per feature, the operations and types it brings, and
/// how many types several features share.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    /// Feature → (operations, types) it enables, beyond those every resource has.
    pub per_feature: BTreeMap<String, (usize, usize)>,
    /// Types reached by several (not all) resources.
    pub shared: usize,
    /// Types every resource reaches (no `cfg`).
    pub always: usize,
    /// Types no operation reaches (only with the full version feature).
    pub full_only: usize,
}

impl Summary {
    pub fn of(ir: &Ir) -> Summary {
        let r = &ir.resources;
        let mut per_feature: BTreeMap<String, (usize, usize)> =
            r.features.keys().map(|f| (f.clone(), (0, 0))).collect();
        for gate in &r.operations {
            if let Gate::Any(features) = gate {
                for f in features {
                    if let Some(e) = per_feature.get_mut(f) {
                        e.0 += 1;
                    }
                }
            }
        }
        let mut summary = Summary::default();
        for gate in r.types.values() {
            match gate {
                Gate::Always => summary.always += 1,
                Gate::FullVersion => summary.full_only += 1,
                Gate::Any(features) => {
                    if features.len() > 1 {
                        summary.shared += 1;
                    }
                    for f in features {
                        if let Some(e) = per_feature.get_mut(f) {
                            e.1 += 1;
                        }
                    }
                }
            }
        }
        summary.per_feature = per_feature;
        summary
    }
}
