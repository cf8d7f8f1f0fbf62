//! Recursive schemas, settled once after lowering.
//!
//! Rust needs indirection wherever a type contains itself by value: `Thing.parent: $ref Thing` or
//! `A.b: B`, `B.a: A` would be "recursive type has infinite size". `Vec` and `BTreeMap` already
//! are indirections (Intercom's search AST recurses through arrays and needs nothing), so only the
//! by-value edges count: a field, a `oneOf` branch or an alias naming a type directly or inside
//! `Option`. Every such edge between two types of the same strongly connected component is boxed,
//! which breaks every cycle (each cycle is made of such edges).
//!
//! Type aliases cannot be recursive at all (`type A = B; type B = A`, or `type A = Vec<A>`): rustc
//! rejects them and every later stage would loop, so an alias cycle is an error naming its schemas.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Ty, TypeDef, TypeKind};

/// A cycle made only of aliases: the pointers of the schemas on it, in order.
pub fn alias_cycle(types: &BTreeMap<String, TypeDef>) -> Option<Vec<String>> {
    let edges = |name: &str| -> Vec<String> {
        let mut refs = BTreeSet::new();
        if let Some(TypeDef { kind: TypeKind::Alias(ty), .. }) = types.get(name) {
            ty.named_refs(&mut refs);
        }
        refs.into_iter().filter(|r| matches!(types.get(r).map(|d| &d.kind), Some(TypeKind::Alias(_)))).collect()
    };
    let aliases: Vec<&String> =
        types.iter().filter(|(_, d)| matches!(d.kind, TypeKind::Alias(_))).map(|(n, _)| n).collect();
    let components = strongly_connected(aliases.iter().map(|n| (*n).clone()).collect(), edges);
    let cyclic = components.into_iter().find(|c| c.len() > 1 || edges(&c[0]).contains(&c[0]))?;
    Some(cyclic.iter().map(|n| types[n].origin.clone()).collect())
}

/// Boxes every by-value edge that closes a cycle. Returns `(type, member)` of each boxed place.
pub fn box_recursion(types: &mut BTreeMap<String, TypeDef>) -> Vec<(String, String)> {
    let names: Vec<String> = types.keys().cloned().collect();
    let components = strongly_connected(names, |name| by_value_refs(types, name));
    let mut component_of: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, c) in components.iter().enumerate() {
        for n in c {
            component_of.insert(n, i);
        }
    }
    // Only components that really cycle: more than one type, or one type naming itself.
    let cyclic: BTreeSet<usize> = components
        .iter()
        .enumerate()
        .filter(|(_, c)| c.len() > 1 || by_value_refs(types, &c[0]).contains(&c[0]))
        .map(|(i, _)| i)
        .collect();
    let in_cycle: BTreeMap<String, usize> =
        component_of.iter().filter(|(_, i)| cyclic.contains(i)).map(|(n, i)| ((*n).to_string(), *i)).collect();
    let mut boxed = Vec::new();
    for (name, def) in types.iter_mut() {
        let Some(&own) = in_cycle.get(name) else { continue };
        let same = |target: &str| in_cycle.get(target) == Some(&own);
        match &mut def.kind {
            TypeKind::Struct(fields) => {
                for f in fields {
                    if box_in_place(&mut f.ty, &same) {
                        boxed.push((name.clone(), f.wire.clone()));
                    }
                }
            }
            TypeKind::OneOf(variants) => {
                for v in variants {
                    if box_in_place(&mut v.ty, &same) {
                        boxed.push((name.clone(), v.rust.clone()));
                    }
                }
            }
            // Aliases stay transparent: the struct or enum on the cycle carries the box.
            TypeKind::Alias(_) | TypeKind::Enum(_) => {}
        }
    }
    boxed
}

/// Wraps the by-value `Named` positions of `ty` that point into the same cycle in `Box`.
fn box_in_place(ty: &mut Ty, same: &dyn Fn(&str) -> bool) -> bool {
    match ty {
        Ty::Named(n) => {
            if !same(n) {
                return false;
            }
            *ty = Ty::Boxed(Box::new(ty.clone()));
            true
        }
        Ty::Option(inner) => box_in_place(inner, same),
        _ => false,
    }
}

/// The types `name` holds by value (not through `Vec`, a map or an existing `Box`).
fn by_value_refs(types: &BTreeMap<String, TypeDef>, name: &str) -> Vec<String> {
    fn direct(ty: &Ty, out: &mut Vec<String>) {
        match ty {
            Ty::Named(n) => out.push(n.clone()),
            Ty::Option(inner) => direct(inner, out),
            _ => {}
        }
    }
    let mut out = Vec::new();
    match types.get(name).map(|d| &d.kind) {
        Some(TypeKind::Struct(fields)) => fields.iter().for_each(|f| direct(&f.ty, &mut out)),
        Some(TypeKind::OneOf(variants)) => variants.iter().for_each(|v| direct(&v.ty, &mut out)),
        Some(TypeKind::Alias(ty)) => direct(ty, &mut out),
        Some(TypeKind::Enum(_)) | None => {}
    }
    out.retain(|n| types.contains_key(n));
    out
}

/// Kosaraju's algorithm with explicit stacks (a hostile spec may chain thousands of schemas, which
/// must not overflow the stack). Components come out in a deterministic order.
fn strongly_connected(nodes: Vec<String>, edges: impl Fn(&str) -> Vec<String>) -> Vec<Vec<String>> {
    let index: BTreeMap<&str, usize> = nodes.iter().enumerate().map(|(i, n)| (n.as_str(), i)).collect();
    let adjacency: Vec<Vec<usize>> =
        nodes.iter().map(|n| edges(n).iter().filter_map(|t| index.get(t.as_str()).copied()).collect()).collect();
    let mut reverse = vec![Vec::new(); nodes.len()];
    for (from, targets) in adjacency.iter().enumerate() {
        for &to in targets {
            reverse[to].push(from);
        }
    }
    // Pass 1: finishing order on the graph.
    let mut visited = vec![false; nodes.len()];
    let mut order = Vec::with_capacity(nodes.len());
    for start in 0..nodes.len() {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        let mut stack = vec![(start, 0usize)];
        while let Some((node, next)) = stack.last_mut() {
            if let Some(&to) = adjacency[*node].get(*next) {
                *next += 1;
                if !visited[to] {
                    visited[to] = true;
                    stack.push((to, 0));
                }
            } else {
                order.push(*node);
                stack.pop();
            }
        }
    }
    // Pass 2: components on the reversed graph, in reverse finishing order.
    let mut component = vec![usize::MAX; nodes.len()];
    let mut out: Vec<Vec<String>> = Vec::new();
    for &start in order.iter().rev() {
        if component[start] != usize::MAX {
            continue;
        }
        let id = out.len();
        let mut members = Vec::new();
        let mut stack = vec![start];
        component[start] = id;
        while let Some(node) = stack.pop() {
            members.push(nodes[node].clone());
            for &from in &reverse[node] {
                if component[from] == usize::MAX {
                    component[from] = id;
                    stack.push(from);
                }
            }
        }
        members.sort();
        out.push(members);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edges<'a>(graph: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Vec<String> + 'a {
        move |n| graph.iter().filter(|(a, _)| *a == n).map(|(_, b)| b.to_string()).collect()
    }

    #[test]
    fn components_of_a_small_graph() {
        let nodes = ["a", "b", "c", "d"].map(String::from).to_vec();
        let graph = [("a", "b"), ("b", "a"), ("b", "c"), ("d", "d")];
        let mut c = strongly_connected(nodes, edges(&graph));
        c.sort();
        assert_eq!(c, vec![vec!["a".to_string(), "b".into()], vec!["c".into()], vec!["d".into()]]);
    }

    #[test]
    fn a_long_chain_does_not_overflow_the_stack() {
        let nodes: Vec<String> = (0..200_000).map(|i| format!("n{i}")).collect();
        let c = strongly_connected(nodes, |n| {
            let i: usize = n[1..].parse().unwrap();
            if i + 1 < 200_000 {
                vec![format!("n{}", i + 1)]
            } else {
                vec!["n0".into()]
            }
        });
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].len(), 200_000);
    }
}
