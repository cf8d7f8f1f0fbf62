//! A plain-text listing of one version's API surface, one line per type, field and variant, with
//! Rust types: snapshotted so that a reviewer sees exactly what a spec change did.

use std::fmt::Write;

use crate::ir::{BodyEncoding, Operation, ParamLocation, SuccessKind};
use crate::ir::{Ty, TypeDef, TypeKind};

pub fn ty_text(ty: &Ty) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::I64 => "i64".into(),
        Ty::Number => "Number".into(),
        Ty::Bool => "bool".into(),
        Ty::Bytes => "Bytes".into(),
        Ty::Json => "Value".into(),
        Ty::JsonObject => "Map<String, Value>".into(),
        Ty::Named(n) => n.clone(),
        Ty::Vec(t) => format!("Vec<{}>", ty_text(t)),
        Ty::Option(t) => format!("Option<{}>", ty_text(t)),
        Ty::Map(t) => format!("BTreeMap<String, {}>", ty_text(t)),
        Ty::Boxed(t) => format!("Box<{}>", ty_text(t)),
    }
}

pub fn listing(types: &[&TypeDef], operations: &[Operation]) -> String {
    let mut out = String::new();
    for def in types {
        match &def.kind {
            TypeKind::Struct(fields) => {
                let _ = writeln!(out, "struct {}", def.name);
                for f in fields {
                    let ty = ty_text(&f.ty);
                    let ty = if f.rule.is_optional() { format!("Option<{ty}>") } else { ty };
                    let _ = writeln!(out, "  {}: {} = {:?}", f.rust, ty, f.wire);
                }
            }
            TypeKind::Enum(values) => {
                let _ = writeln!(out, "enum {}", def.name);
                for v in values {
                    let _ = writeln!(out, "  {} = {:?}", v.rust, v.wire);
                }
            }
            TypeKind::OneOf(variants) => {
                let _ = writeln!(out, "one_of {}", def.name);
                for v in variants {
                    let _ = writeln!(out, "  {}({})", v.rust, ty_text(&v.ty));
                }
            }
            TypeKind::Alias(ty) => {
                let _ = writeln!(out, "type {} = {}", def.name, ty_text(ty));
            }
        }
    }
    for op in operations {
        let _ = writeln!(out, "operation {} {} {} -> fn {}", op.id, op.method, op.path, op.fn_name);
        for p in &op.params {
            let loc = match p.location {
                ParamLocation::Path => "path",
                ParamLocation::Query => "query",
                ParamLocation::Header => "header",
            };
            let req = if p.required { "" } else { "?" };
            match &p.constant {
                Some(value) if p.is_constant_header() => {
                    let _ = writeln!(out, "  {loc} {}: sent as {value:?} = {:?}", p.rust, p.wire);
                }
                _ => {
                    let _ = writeln!(out, "  {loc} {}{req}: {} = {:?}", p.rust, ty_text(&p.ty), p.wire);
                }
            }
        }
        if let Some(b) = &op.body {
            match &b.encoding {
                BodyEncoding::Json => {
                    let _ = writeln!(out, "  body: {}", ty_text(&b.ty));
                }
                BodyEncoding::Multipart(parts) => {
                    let parts: Vec<String> = parts
                        .iter()
                        .map(|p| match &p.file {
                            Some(f) => format!("{} file {:?} {}", p.wire, f.filename, f.content_type),
                            None => format!("{} text", p.wire),
                        })
                        .collect();
                    let _ = writeln!(out, "  body: {} as multipart/form-data [{}]", ty_text(&b.ty), parts.join(", "));
                }
            }
        }
        match op.success.kind {
            SuccessKind::Binary | SuccessKind::Redirect => {
                let ty = op.success.ty.as_ref().map(ty_text).unwrap_or_else(|| "()".into());
                let _ = writeln!(out, "  output: {ty} ({:?})", op.success.kind);
            }
            SuccessKind::Json | SuccessKind::Empty | SuccessKind::Text => {}
        }
        for r in &op.responses {
            let _ =
                writeln!(out, "  {} -> {}", r.status, r.ty.as_ref().map(ty_text).unwrap_or_else(|| "(no body)".into()));
        }
    }
    out
}
