//! Which operations paginate, and how, derived from request and response shapes only:
//!
//! | style | request | response |
//! | --- | --- | --- |
//! | cursor (query) | query `starting_after` (string) | `pages.next.starting_after` (and `pages.page` < `pages.total_pages`, to tell drift from the end) |
//! | cursor (body) | body `pagination.starting_after` | `pages.next.starting_after` (the same) |
//! | scroll | query `scroll_param` (string) | `scroll_param` (and `total_count`, to stop without an empty page) |
//! | page number | query `page` (integer) | `pages.total_pages` (and `pages.page`) |
//!
//! An operation matches the first style whose both ends exist. Its items are the one array member
//! of the response; a response with several arrays would be ambiguous and is reported as such, to be
//! settled in data (none of the pinned descriptions has one).
//!
//! Part of the resolve stage: the verdict is written into each operation's
//! [`paging`](crate::ir::Operation::paging) as paths of fields; `emit_pagination` turns it into
//! `impl Paginated` and uses nothing else.

use std::collections::BTreeMap;

use crate::ir::{
    Field, Ir, MemberPath, NextPage, Operation, PagePosition, Pagination, PaginationStyle as Style, Paging, Param,
    ParamLocation, Step, Ty, TypeDef, TypeKind,
};

/// Writes every operation's paging verdict into the IR (after optionality is resolved: the paths
/// record whether each field is an `Option`).
pub fn apply(ir: &mut Ir) {
    let verdicts: Vec<Paging> = ir.operations.iter().map(|op| detect(op, &ir.types)).collect();
    for (op, paging) in ir.operations.iter_mut().zip(verdicts) {
        op.paging = paging;
    }
}

/// Per version: the paginated operations by style, and those left out with the reason.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub by_style: BTreeMap<Style, Vec<String>>,
    pub unresolved: Vec<String>,
}

impl Summary {
    pub fn of(ops: &[Operation]) -> Summary {
        let mut summary = Summary::default();
        for op in ops {
            match &op.paging {
                Paging::Paginated(p) => summary.by_style.entry(p.style).or_default().push(op.id.clone()),
                Paging::Unresolved(why) => summary.unresolved.push(format!("{}: {why}", op.id)),
                Paging::None => {}
            }
        }
        summary
    }

    pub fn total(&self) -> usize {
        self.by_style.values().map(Vec::len).sum()
    }
}

/// The struct a type names (through aliases and boxes), with its name.
fn struct_of<'t>(types: &'t BTreeMap<String, TypeDef>, ty: &Ty) -> Option<(&'t str, &'t [Field])> {
    match ty {
        Ty::Boxed(inner) => struct_of(types, inner),
        Ty::Named(name) => {
            let def = types.get(name)?;
            match &def.kind {
                TypeKind::Struct(fields) => Some((def.name.as_str(), fields)),
                TypeKind::Alias(inner) => struct_of(types, inner),
                _ => None,
            }
        }
        _ => None,
    }
}

fn field<'t>(types: &'t BTreeMap<String, TypeDef>, ty: &Ty, wire: &str) -> Option<&'t Field> {
    let (_, fields) = struct_of(types, ty)?;
    fields.iter().find(|f| f.wire == wire)
}

fn unboxed(ty: &Ty) -> &Ty {
    match ty {
        Ty::Boxed(inner) => unboxed(inner),
        other => other,
    }
}

fn step(f: &Field) -> Step {
    Step { rust: f.rust.clone(), optional: f.rule.is_optional(), boxed: matches!(f.ty, Ty::Boxed(_)) }
}

/// The members `wires` read one inside the other from `root`, when each exists.
fn path(types: &BTreeMap<String, TypeDef>, root: &Ty, wires: &[&str]) -> Option<MemberPath> {
    let mut steps = Vec::new();
    let mut ty = root.clone();
    for wire in wires {
        let f = field(types, &ty, wire)?;
        steps.push(step(f));
        ty = unboxed(&f.ty).clone();
    }
    Some(MemberPath { steps, leaf: ty })
}

fn integer(path: MemberPath) -> Option<MemberPath> {
    matches!(path.leaf, Ty::I64 | Ty::Number).then_some(path)
}

/// The response's items: its one array member.
fn items(types: &BTreeMap<String, TypeDef>, output: &Ty) -> Result<(Step, Ty), String> {
    let (_, fields) = struct_of(types, output).ok_or("the response is not an object")?;
    let arrays: Vec<&Field> = fields.iter().filter(|f| matches!(unboxed(&f.ty), Ty::Vec(_))).collect();
    let [list] = arrays.as_slice() else {
        let names: Vec<&str> = arrays.iter().map(|f| f.wire.as_str()).collect();
        return Err(format!("the response has {} array members ({}), not one", arrays.len(), names.join(", ")));
    };
    let Ty::Vec(item) = unboxed(&list.ty) else { unreachable!("filtered on arrays") };
    Ok((step(list), (**item).clone()))
}

fn query_param<'o>(op: &'o Operation, wire: &str, ty: &Ty) -> Option<&'o Param> {
    op.params.iter().find(|p| p.location == ParamLocation::Query && p.wire == wire && &p.ty == ty)
}

fn query_position(p: &Param) -> PagePosition {
    PagePosition::Query { field: p.field.clone(), required: p.required }
}

/// Detects how `op` paginates.
pub fn detect(op: &Operation, types: &BTreeMap<String, TypeDef>) -> Paging {
    let takes_position = op.params.iter().any(|p| {
        p.location == ParamLocation::Query && matches!(p.wire.as_str(), "starting_after" | "page" | "scroll_param")
    }) || op.body.as_ref().is_some_and(|b| field(types, &b.ty, "pagination").is_some());
    let Some(output) = op.success.ty.clone() else {
        return if takes_position { Paging::Unresolved("no typed response".into()) } else { Paging::None };
    };
    let next_cursor = path(types, &output, &["pages", "next", "starting_after"]).filter(|p| p.leaf == Ty::String);

    let mut found: Option<(Style, PagePosition, NextPage, Option<MemberPath>)> = None;
    // Cursor in the query.
    if let (Some(p), Some(next)) = (query_param(op, "starting_after", &Ty::String), &next_cursor) {
        found = Some((Style::QueryCursor, query_position(p), NextPage::Cursor(next.clone()), None));
    }
    // Cursor in the body's `pagination`.
    if found.is_none() {
        if let (Some(body), Some(next)) = (op.body.as_ref().filter(|b| b.required_or_unspecified()), &next_cursor) {
            if let Some(position) = body_cursor(types, &body.ty) {
                found = Some((Style::BodyCursor, position, NextPage::Cursor(next.clone()), None));
            }
        }
    }
    // Scroll.
    if found.is_none() {
        let scroll = path(types, &output, &["scroll_param"]).filter(|p| p.leaf == Ty::String);
        if let (Some(p), Some(scroll)) = (query_param(op, "scroll_param", &Ty::String), scroll) {
            let total = path(types, &output, &["total_count"]).and_then(integer);
            found = Some((Style::Scroll, query_position(p), NextPage::Cursor(scroll), total));
        }
    }
    // Page numbers.
    if found.is_none() {
        let total_pages = path(types, &output, &["pages", "total_pages"]).and_then(integer);
        if let (Some(p), Some(total_pages)) = (query_param(op, "page", &Ty::I64), total_pages) {
            let page = path(types, &output, &["pages", "page"]).and_then(integer);
            found = Some((Style::PageNumber, query_position(p), NextPage::PageNumber { page, total_pages }, None));
        }
    }
    // A cursor page that also numbers itself says whether more follow, cursor or not.
    let page_of_total = matches!(found, Some((Style::QueryCursor | Style::BodyCursor, ..)))
        .then(|| {
            let page = path(types, &output, &["pages", "page"]).and_then(integer)?;
            let total = path(types, &output, &["pages", "total_pages"]).and_then(integer)?;
            Some((page, total))
        })
        .flatten();
    let Some((style, position, next, total_count)) = found else {
        return if takes_position {
            Paging::Unresolved("takes a page position, but the response does not link the next page".into())
        } else {
            Paging::None
        };
    };
    match items(types, &output) {
        Ok((items, item_ty)) => Paging::Paginated(Box::new(Pagination {
            style,
            position,
            next,
            items,
            item_ty,
            total_count,
            page_of_total,
        })),
        Err(why) => Paging::Unresolved(why),
    }
}

/// `body.pagination.starting_after`, when the body has it and a missing `pagination` can be
/// created from `Default`.
fn body_cursor(types: &BTreeMap<String, TypeDef>, body: &Ty) -> Option<PagePosition> {
    let pagination = field(types, body, "pagination")?;
    let cursor = field(types, &pagination.ty, "starting_after")?;
    if *unboxed(&cursor.ty) != Ty::String {
        return None;
    }
    let (_, inner_fields) = struct_of(types, &pagination.ty)?;
    let defaultable = inner_fields.iter().all(|f| f.rule.is_optional());
    if pagination.rule.is_optional() && !defaultable {
        return None;
    }
    Some(PagePosition::BodyCursor { pagination: step(pagination), cursor: step(cursor) })
}
