//! Resolve: which optional members are held in a `Box`, to keep decoded responses small.
//!
//! A struct holds its optional struct members inline: `Option<ContactLocation>` takes the whole
//! `ContactLocation` in every `Contact`, present or not. Responses are mostly made of such absent
//! members (a contact without `location`, `avatar`, `social_profiles`), and a page of them is a
//! `Vec` of the full size: 2.11's `Contact` was 2,368 bytes, 1,296 of them its 8 optional structs,
//! so that a page of small contacts took 22.9 times its body in memory (BENCHMARKS.md, 8).
//!
//! Rule: in an output type (one a response can carry: the optionality policy's verdict), every
//! optional member whose type is a struct is `Option<Box<T>>`: 8 bytes when absent, one
//! allocation when present. Input-only types keep their members inline, as callers build them by
//! hand; lists and maps already are indirections; unions and enums stay inline (most are a string
//! or a few words). The members are still filled in place (`decoding.rs`): the box is allocated
//! and its struct decoded where it stays.
//!
//! Construction keeps the README's style: `Some(location.into())` (`Box<T>: From<T>`); reading
//! goes through `Box`'s `Deref` (`contact.location.as_deref()` gives `Option<&ContactLocation>`).

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Ty, TypeDef, TypeKind};

/// Boxes the optional struct members of every output type. Returns `(type, member)` of each.
pub fn box_optional_structs(
    types: &mut BTreeMap<String, TypeDef>,
    outputs: &BTreeSet<String>,
) -> Vec<(String, String)> {
    let structs: BTreeSet<String> =
        types.values().filter(|t| matches!(t.kind, TypeKind::Struct(_))).map(|t| t.name.clone()).collect();
    let mut boxed = Vec::new();
    for def in types.values_mut() {
        if !outputs.contains(&def.name) {
            continue;
        }
        let TypeKind::Struct(fields) = &mut def.kind else { continue };
        for field in fields.iter_mut().filter(|f| f.rule.is_optional()) {
            if matches!(&field.ty, Ty::Named(name) if structs.contains(name)) {
                field.ty = Ty::Boxed(Box::new(field.ty.clone()));
                boxed.push((def.name.clone(), field.wire.clone()));
            }
        }
    }
    boxed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{EnumValue, Field, FieldRule};

    fn field(wire: &str, ty: Ty, rule: FieldRule) -> Field {
        Field::for_test(wire, ty, rule)
    }

    fn type_def(name: &str, kind: TypeKind) -> (String, TypeDef) {
        let origin = format!("#/components/schemas/{name}");
        (name.into(), TypeDef { name: name.into(), origin, doc: None, kind, bases: Vec::new() })
    }

    fn named(name: &str) -> Ty {
        Ty::Named(name.into())
    }

    fn tys(types: &BTreeMap<String, TypeDef>, name: &str) -> Vec<Ty> {
        let TypeKind::Struct(fields) = &types[name].kind else { unreachable!("a struct") };
        fields.iter().map(|f| f.ty.clone()).collect()
    }

    #[test]
    fn only_optional_struct_members_of_output_types_are_boxed() {
        let holder = |name: &str| {
            type_def(
                name,
                TypeKind::Struct(vec![
                    field("location", named("Location"), FieldRule::Optional),
                    field("avatar", named("Location"), FieldRule::Nullable),
                    field("source", named("Location"), FieldRule::RequiredInput),
                    field("kind", named("Kind"), FieldRule::Optional),
                    field("many", Ty::Vec(Box::new(named("Location"))), FieldRule::Optional),
                    field("parent", Ty::Boxed(Box::new(named("Location"))), FieldRule::Optional),
                    field("name", Ty::String, FieldRule::Optional),
                ]),
            )
        };
        let mut types: BTreeMap<String, TypeDef> = [
            holder("Response"),
            holder("Request"),
            type_def("Location", TypeKind::Struct(vec![field("city", Ty::String, FieldRule::Optional)])),
            type_def("Kind", TypeKind::Enum(Vec::<EnumValue>::new())),
        ]
        .into();
        let outputs: BTreeSet<String> = ["Response".to_string(), "Location".to_string()].into();
        let boxed = box_optional_structs(&mut types, &outputs);
        assert_eq!(boxed, [("Response".to_string(), "location".to_string()), ("Response".into(), "avatar".into())]);
        let boxed_location = Ty::Boxed(Box::new(named("Location")));
        assert_eq!(
            tys(&types, "Response"),
            [
                boxed_location.clone(),
                boxed_location.clone(),
                named("Location"),
                named("Kind"),
                Ty::Vec(Box::new(named("Location"))),
                // Boxed already (recursion): not boxed twice.
                boxed_location,
                Ty::String,
            ]
        );
        // An input-only type keeps what callers build inline.
        assert_eq!(tys(&types, "Request")[0], named("Location"));
    }
}
