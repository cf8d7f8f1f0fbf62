//! Resolve: how generated code decodes what a version's types hold. Decided once over the whole
//! version, after optionality (`policy.rs` decides which structs keep undeclared members), and
//! written into the IR, so that the model emitter only reads it:
//! - a field holding a struct that keeps undeclared members, or a list of them, is filled in
//!   place ([`Decoding::InPlace`]);
//! - a `type` member with a single documented value is checked against it ([`Decoding::Tag`]);
//! - a union's branch that holds another union is ranked by that union's own ranked shapes
//!   ([`Ranked::Inner`]), so that a value is buffered, probed and ranked once however deep the
//!   unions nest, and a value none of the inner shapes admits is the outer union's `Unknown`.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{all_optional_fields, Decoding, Ranked, Shape, Ty, TypeDef, TypeKind, Variant};

pub fn apply(types: &mut BTreeMap<String, TypeDef>) {
    fill_in_place(types);
    rank_nested_unions(types);
}

fn fill_in_place(types: &mut BTreeMap<String, TypeDef>) {
    let fillable: BTreeSet<String> = types
        .values()
        .filter(|t| matches!(&t.kind, TypeKind::Struct(fields) if all_optional_fields(fields)))
        .map(|t| t.name.clone())
        .collect();
    let is_fillable = |ty: &Ty| matches!(ty, Ty::Named(name) if fillable.contains(name));
    for def in types.values_mut() {
        let TypeKind::Struct(fields) = &mut def.kind else { continue };
        for field in fields {
            // A boxed struct is filled in its box (`runtime::de::member_boxed_in_place`).
            let fills = match &field.ty {
                Ty::Vec(item) | Ty::Boxed(item) => is_fillable(item),
                ty => is_fillable(ty),
            };
            field.decoding = if fills {
                Decoding::InPlace
            } else if is_type_tag(field) {
                Decoding::Tag
            } else {
                Decoding::ByValue
            };
        }
    }
}

/// A member named `type` whose schema allows one value (`type: [contact]`): the object's own kind.
/// Other single-value members (`message_type: comment`) describe a request's choice, not what the
/// object is, and keep decoding any string.
fn is_type_tag(field: &crate::ir::Field) -> bool {
    field.wire == "type" && field.constant.is_some() && field.ty == Ty::String
}

fn rank_nested_unions(types: &mut BTreeMap<String, TypeDef>) {
    let mut ranking = Ranking { types, done: BTreeMap::new(), open: Vec::new() };
    for name in types.keys() {
        ranking.shapes(name);
    }
    // Decided over the IR as it stands, then written into it.
    let done = ranking.done;
    for (name, (ranked, _)) in done {
        if let Some(TypeDef { kind: TypeKind::OneOf(variants), .. }) = types.get_mut(&name) {
            for (variant, ranked) in variants.iter_mut().zip(ranked) {
                variant.ranked = ranked;
            }
        }
    }
}

/// Each union's ranked shapes, computed once and reused by every union that holds it, so that the
/// shape an outer union numbers `j` within an inner union is the one the inner union's own
/// `branch(j)` decodes.
struct Ranking<'a> {
    types: &'a BTreeMap<String, TypeDef>,
    /// Per union: how each variant ranks, and the union's ranked shapes in order.
    done: BTreeMap<String, (Vec<Ranked>, Vec<Shape>)>,
    /// Unions being ranked: one reached again through its own branches stays a single opaque
    /// branch, ranked by its own shape, so that recursion ends.
    open: Vec<String>,
}

impl<'a> Ranking<'a> {
    /// The branches of the union named `name`; `None` if it is not a union.
    fn union(&self, name: &str) -> Option<&'a [Variant]> {
        match &self.types.get(name)?.kind {
            TypeKind::OneOf(variants) => Some(variants),
            _ => None,
        }
    }

    /// The ranked shapes of `name`, empty if it is not a union.
    fn shapes(&mut self, name: &str) -> Vec<Shape> {
        if let Some((_, shapes)) = self.done.get(name) {
            return shapes.clone();
        }
        let Some(variants) = self.union(name) else { return Vec::new() };
        self.open.push(name.to_string());
        let mut ranked = Vec::with_capacity(variants.len());
        let mut shapes = Vec::new();
        for variant in variants {
            let inner = match &variant.ty {
                Ty::Named(inner) if self.union(inner).is_some() && !self.open.contains(inner) => Some(inner),
                _ => None,
            };
            match inner {
                Some(inner) => {
                    let inner_shapes = self.shapes(inner);
                    shapes.extend(inner_shapes.iter().cloned());
                    ranked.push(Ranked::Inner { union: inner.clone(), shapes: inner_shapes });
                }
                None => {
                    shapes.push(variant.shape.clone());
                    ranked.push(Ranked::Own);
                }
            }
        }
        self.open.pop();
        self.done.insert(name.to_string(), (ranked, shapes.clone()));
        shapes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Field, FieldRule};

    /// A shape told apart by its tag only.
    fn shape(tag: &str) -> Shape {
        Shape { tags: vec![("type".into(), tag.into())], ..Shape::default() }
    }

    /// A component named `name`, keyed as the IR keys it.
    fn type_def(name: &str, kind: TypeKind) -> (String, TypeDef) {
        let origin = format!("#/components/schemas/{name}");
        (name.into(), TypeDef { name: name.into(), origin, doc: None, kind, bases: Vec::new() })
    }

    fn union(name: &str, branches: &[(&str, Ty)]) -> (String, TypeDef) {
        let variants = branches
            .iter()
            .map(|(tag, ty)| Variant { rust: tag.to_string(), ty: ty.clone(), shape: shape(tag), ranked: Ranked::Own })
            .collect();
        type_def(name, TypeKind::OneOf(variants))
    }

    fn ranked(types: &BTreeMap<String, TypeDef>, name: &str) -> Vec<Ranked> {
        match &types[name].kind {
            TypeKind::OneOf(variants) => variants.iter().map(|v| v.ranked.clone()).collect(),
            _ => unreachable!("{name} is a union"),
        }
    }

    /// The shapes a union ranks, as the emitter numbers them.
    fn leaves(types: &BTreeMap<String, TypeDef>, name: &str) -> Vec<Shape> {
        let TypeKind::OneOf(variants) = &types[name].kind else { unreachable!("{name} is a union") };
        variants
            .iter()
            .flat_map(|v| match &v.ranked {
                Ranked::Own => vec![v.shape.clone()],
                Ranked::Inner { shapes, .. } => shapes.clone(),
            })
            .collect()
    }

    #[test]
    fn a_branch_holding_a_union_ranks_by_its_shapes() {
        let mut types: BTreeMap<String, TypeDef> = [
            union("Outer", &[("inner", Ty::Named("Inner".into())), ("plain", Ty::String)]),
            union("Inner", &[("a", Ty::String), ("b", Ty::I64)]),
        ]
        .into();
        apply(&mut types);
        assert_eq!(
            ranked(&types, "Outer"),
            [Ranked::Inner { union: "Inner".into(), shapes: vec![shape("a"), shape("b")] }, Ranked::Own]
        );
        assert_eq!(ranked(&types, "Inner"), [Ranked::Own, Ranked::Own]);
    }

    #[test]
    fn unions_holding_each_other_agree_on_the_numbering_and_end() {
        // `A` holds `B` and `B` holds `A`: the one ranked second stays an opaque branch of the
        // other, and the shapes an outer union lists for an inner one are exactly the inner
        // union's own, so that `branch(j)` means the same shape on both sides.
        let mut types: BTreeMap<String, TypeDef> = [
            union("A", &[("b", Ty::Named("B".into())), ("x", Ty::String)]),
            union("B", &[("a", Ty::Named("A".into())), ("y", Ty::I64)]),
            union("C", &[("c", Ty::Named("C".into())), ("z", Ty::Bool)]),
        ]
        .into();
        apply(&mut types);
        for name in ["A", "B", "C"] {
            for rank in ranked(&types, name) {
                if let Ranked::Inner { union, shapes } = rank {
                    assert_eq!(shapes, leaves(&types, &union), "{name} lists {union}'s shapes as {union} numbers them");
                }
            }
        }
        assert_eq!(leaves(&types, "A"), [shape("a"), shape("y"), shape("x")]);
        assert_eq!(ranked(&types, "B"), [Ranked::Own, Ranked::Own]);
        // A union holding itself ranks that branch by the branch's own shape.
        assert_eq!(ranked(&types, "C"), [Ranked::Own, Ranked::Own]);
    }

    #[test]
    fn fields_holding_structs_that_keep_undeclared_members_are_filled_in_place() {
        let field = Field::for_test;
        let strukt = |name: &str, fields: Vec<Field>| type_def(name, TypeKind::Struct(fields));
        let mut types: BTreeMap<String, TypeDef> = [
            strukt(
                "Holder",
                vec![
                    field("one", Ty::Named("Open".into()), FieldRule::Optional),
                    field("many", Ty::Vec(Box::new(Ty::Named("Open".into()))), FieldRule::Optional),
                    field("strict", Ty::Named("Strict".into()), FieldRule::Optional),
                    field("text", Ty::String, FieldRule::Optional),
                ],
            ),
            strukt("Open", vec![field("id", Ty::String, FieldRule::Optional)]),
            strukt("Strict", vec![field("id", Ty::String, FieldRule::RequiredInput)]),
        ]
        .into();
        apply(&mut types);
        let TypeKind::Struct(fields) = &types["Holder"].kind else { unreachable!("a struct") };
        let decodings: Vec<Decoding> = fields.iter().map(|f| f.decoding).collect();
        assert_eq!(decodings, [Decoding::InPlace, Decoding::InPlace, Decoding::ByValue, Decoding::ByValue]);
    }

    #[test]
    fn only_a_single_valued_type_member_is_checked_as_a_tag() {
        let field = |wire: &str, constant: Option<&str>| Field {
            constant: constant.map(str::to_string),
            ..Field::for_test(wire, Ty::String, FieldRule::Optional)
        };
        let mut types: BTreeMap<String, TypeDef> = [type_def(
            "Contact",
            TypeKind::Struct(vec![
                field("type", Some("contact")),
                field("message_type", Some("comment")),
                field("role", None),
            ]),
        )]
        .into();
        apply(&mut types);
        let TypeKind::Struct(fields) = &types["Contact"].kind else { unreachable!("a struct") };
        let decodings: Vec<Decoding> = fields.iter().map(|f| f.decoding).collect();
        assert_eq!(decodings, [Decoding::Tag, Decoding::ByValue, Decoding::ByValue]);
        // An open `type` (no single value) decodes any string.
        let mut types: BTreeMap<String, TypeDef> =
            [type_def("Contact", TypeKind::Struct(vec![field("type", None)]))].into();
        apply(&mut types);
        let TypeKind::Struct(fields) = &types["Contact"].kind else { unreachable!("a struct") };
        assert_eq!(fields[0].decoding, Decoding::ByValue);
    }
}
