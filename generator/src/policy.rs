//! The optionality policy: which fields are `Option<T>`.
//!
//! Intercom's `required` lists are not reliable for responses (2.11 declares 716 entries and 58 of
//! its own 301 response examples omit some of them), while for requests they say what the server
//! insists on. So:
//! - a type reachable from any response (or from no operation at all) is an *output* type: every
//!   field is `Option<T>` and decoding never fails on an absent or `null` field;
//! - a type reachable only from request bodies/parameters is an *input* type: a field that is
//!   required and not nullable is a plain `T` the caller must supply; the rest are `Option<T>`.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Field, FieldRule, Ir, Operation, TypeDef, TypeKind};

struct Policy {
    outputs: BTreeSet<String>,
}

/// The resolve step of optionality: writes each struct field's [`FieldRule`] into the IR, once,
/// so that emitters and reports read `field.rule` instead of asking again. Returns the output
/// types (reachable from a response, or from no operation), which later decisions also read.
pub fn apply(ir: &mut Ir) -> BTreeSet<String> {
    let policy = Policy::new(&ir.types, &ir.operations);
    for def in ir.types.values_mut() {
        if let TypeKind::Struct(fields) = &mut def.kind {
            for field in fields {
                field.rule = policy.rule(&def.name, field);
            }
        }
    }
    policy.outputs
}

impl Policy {
    fn new(types: &BTreeMap<String, TypeDef>, operations: &[Operation]) -> Policy {
        let mut input_roots = BTreeSet::new();
        let mut output_roots = BTreeSet::new();
        for op in operations {
            for p in &op.params {
                p.ty.named_refs(&mut input_roots);
            }
            if let Some(b) = &op.body {
                b.ty.named_refs(&mut input_roots);
            }
            for r in &op.responses {
                if let Some(t) = &r.ty {
                    t.named_refs(&mut output_roots);
                }
            }
        }
        let reachable_inputs = closure(types, input_roots);
        let mut outputs = closure(types, output_roots);
        // Types no operation reaches are documentation-only in the spec; treat them as outputs.
        outputs.extend(types.keys().filter(|k| !reachable_inputs.contains(*k)).cloned());
        Policy { outputs }
    }

    fn is_output(&self, type_name: &str) -> bool {
        self.outputs.contains(type_name)
    }

    fn rule(&self, owner: &str, field: &Field) -> FieldRule {
        match (field.required, field.nullable, self.is_output(owner)) {
            (_, true, _) => FieldRule::Nullable,
            (false, _, _) => FieldRule::Optional,
            (true, false, true) => FieldRule::RequiredButOutput,
            (true, false, false) => FieldRule::RequiredInput,
        }
    }
}

fn closure(types: &BTreeMap<String, TypeDef>, roots: BTreeSet<String>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = roots.into_iter().collect();
    while let Some(name) = stack.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        let Some(def) = types.get(&name) else { continue };
        let mut refs: BTreeSet<String> = def.bases.iter().cloned().collect();
        match &def.kind {
            TypeKind::Struct(fields) => fields.iter().for_each(|f| f.ty.named_refs(&mut refs)),
            TypeKind::OneOf(variants) => variants.iter().for_each(|v| v.ty.named_refs(&mut refs)),
            TypeKind::Alias(ty) => ty.named_refs(&mut refs),
            TypeKind::Enum(_) => {}
        }
        stack.extend(refs.into_iter().filter(|r| !seen.contains(r)));
    }
    seen
}
