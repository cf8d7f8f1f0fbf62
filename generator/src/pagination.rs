//! Which operations paginate, and how, derived from request and response shapes only:
//!
//! | style | request | response |
//! | --- | --- | --- |
//! | cursor (query) | query `starting_after` (string) | `pages.next.starting_after` |
//! | cursor (body) | body `pagination.starting_after` | `pages.next.starting_after` |
//! | scroll | query `scroll_param` (string) | `scroll_param` (and `total_count`, to stop without an empty page) |
//! | page number | query `page` (integer) | `pages.total_pages` (and `pages.page`) |
//!
//! An operation matches the first style whose both ends exist. Its items are the one array member
//! of the response; a response with several arrays would be ambiguous and is reported as such, to be
//! settled in data (none of the pinned descriptions has one). The emitted `impl Paginated` uses only
//! what was found here.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Field, Ty, TypeDef, TypeKind};
use crate::naming;
use crate::operations::{Operation, ParamLocation};
use crate::policy::Policy;
use crate::tokens::{ident, ty_tokens_in};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Style {
    QueryCursor,
    BodyCursor,
    PageNumber,
    Scroll,
}

impl Style {
    pub const ALL: [Style; 4] = [Style::QueryCursor, Style::BodyCursor, Style::PageNumber, Style::Scroll];

    pub fn label(self) -> &'static str {
        match self {
            Style::QueryCursor => "cursor (query)",
            Style::BodyCursor => "cursor (body)",
            Style::PageNumber => "page number",
            Style::Scroll => "scroll",
        }
    }

    fn variant(self) -> TokenStream {
        match self {
            Style::QueryCursor => quote!(QueryCursor),
            Style::BodyCursor => quote!(BodyCursor),
            Style::PageNumber => quote!(PageNumber),
            Style::Scroll => quote!(Scroll),
        }
    }
}

/// What the detection found for one operation.
pub enum Detection {
    Paginated {
        style: Style,
        impl_tokens: TokenStream,
    },
    /// The request takes a page position, but the response does not say where the next page is
    /// (or the items are ambiguous): not paginated, and reported.
    Unresolved(String),
    NotPaginated,
}

/// Per version: the paginated operations by style, and those left out with the reason.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub by_style: BTreeMap<Style, Vec<String>>,
    pub unresolved: Vec<String>,
}

impl Summary {
    pub fn of(ops: &[Operation], types: &BTreeMap<String, TypeDef>, policy: &Policy) -> Summary {
        let mut summary = Summary::default();
        for op in ops {
            match detect(op, types, policy) {
                Detection::Paginated { style, .. } => summary.by_style.entry(style).or_default().push(op.id.clone()),
                Detection::Unresolved(why) => summary.unresolved.push(format!("{}: {why}", op.id)),
                Detection::NotPaginated => {}
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

fn field<'t>(types: &'t BTreeMap<String, TypeDef>, ty: &Ty, wire: &str) -> Option<(&'t str, &'t Field)> {
    let (owner, fields) = struct_of(types, ty)?;
    fields.iter().find(|f| f.wire == wire).map(|f| (owner, f))
}

fn unboxed(ty: &Ty) -> &Ty {
    match ty {
        Ty::Boxed(inner) => unboxed(inner),
        other => other,
    }
}

/// An expression of type `Option<&Leaf>` reading the members `wires` from `base` (an expression of
/// type `&Root`), and the leaf's type.
fn read_chain(
    types: &BTreeMap<String, TypeDef>,
    policy: &Policy,
    root: &Ty,
    base: TokenStream,
    wires: &[&str],
) -> Option<(TokenStream, Ty)> {
    let mut expr = quote!(::std::option::Option::Some(#base));
    let mut ty = root.clone();
    for wire in wires {
        let (owner, f) = field(types, &ty, wire)?;
        let id = ident(&f.rust);
        expr = if policy.rule(owner, f).is_optional() {
            quote!(#expr.and_then(|v| v.#id.as_ref()))
        } else {
            quote!(#expr.map(|v| &v.#id))
        };
        if let Ty::Boxed(_) = &f.ty {
            expr = quote!(#expr.map(|v| &**v));
        }
        ty = unboxed(&f.ty).clone();
    }
    Some((expr, ty))
}

/// `Option<i64>` from an `Option<&integer>` expression.
fn as_i64(expr: TokenStream, ty: &Ty) -> Option<TokenStream> {
    match ty {
        Ty::I64 => Some(quote!(#expr.copied())),
        Ty::Number => Some(quote!(#expr.and_then(|n| n.as_i64()))),
        _ => None,
    }
}

/// The response's items: its one array member.
fn items(
    types: &BTreeMap<String, TypeDef>,
    policy: &Policy,
    output: &Ty,
) -> Result<(TokenStream, TokenStream, TokenStream), String> {
    let (owner, fields) = struct_of(types, output).ok_or("the response is not an object")?;
    let arrays: Vec<&Field> = fields.iter().filter(|f| matches!(unboxed(&f.ty), Ty::Vec(_))).collect();
    let [list] = arrays.as_slice() else {
        let names: Vec<&str> = arrays.iter().map(|f| f.wire.as_str()).collect();
        return Err(format!("the response has {} array members ({}), not one", arrays.len(), names.join(", ")));
    };
    let Ty::Vec(item) = unboxed(&list.ty) else { unreachable!("filtered on arrays") };
    let item_ty = ty_tokens_in(item, &quote!(super::models));
    let id = ident(&list.rust);
    let (count, into) = if policy.rule(owner, list).is_optional() {
        (quote!(output.#id.as_ref().map_or(0, |items| items.len())), quote!(output.#id.unwrap_or_default()))
    } else {
        (quote!(output.#id.len()), quote!(output.#id))
    };
    Ok((item_ty, count, into))
}

fn query_param<'o>(op: &'o Operation, wire: &str, ty: &Ty) -> Option<&'o crate::operations::Param> {
    op.params.iter().find(|p| p.location == ParamLocation::Query && p.wire == wire && &p.ty == ty)
}

/// Reads and writes a query parameter holding the page position.
fn query_position(p: &crate::operations::Param, cursor: bool) -> (TokenStream, TokenStream) {
    let id = ident(&naming::param_field_name(&p.rust));
    let (read, value) = if cursor {
        (
            if p.required {
                quote!(::std::option::Option::Some(::intercom_api::runtime::PageToken::Cursor(self.#id.clone())))
            } else {
                quote!(self.#id.clone().map(::intercom_api::runtime::PageToken::Cursor))
            },
            quote!(::intercom_api::runtime::pagination::cursor(page)),
        )
    } else {
        (
            if p.required {
                quote!(u64::try_from(self.#id).ok().map(::intercom_api::runtime::PageToken::Page))
            } else {
                quote!(self.#id.and_then(|n| u64::try_from(n).ok()).map(::intercom_api::runtime::PageToken::Page))
            },
            quote!(::intercom_api::runtime::pagination::page_number(&page)),
        )
    };
    let write = if p.required {
        quote!(if let ::std::option::Option::Some(value) = #value { self.#id = value; })
    } else {
        quote!(if let ::std::option::Option::Some(value) = #value { self.#id = ::std::option::Option::Some(value); })
    };
    (read, write)
}

/// Detects how `op` paginates and emits its `impl Paginated`.
pub fn detect(op: &Operation, types: &BTreeMap<String, TypeDef>, policy: &Policy) -> Detection {
    let takes_position = op.params.iter().any(|p| {
        p.location == ParamLocation::Query && matches!(p.wire.as_str(), "starting_after" | "page" | "scroll_param")
    }) || op.body.as_ref().is_some_and(|b| field(types, &b.ty, "pagination").is_some());
    let Some(output) = op.success.ty.clone() else {
        return if takes_position {
            Detection::Unresolved("no typed response".into())
        } else {
            Detection::NotPaginated
        };
    };
    let next_cursor = read_chain(types, policy, &output, quote!(output), &["pages", "next", "starting_after"])
        .filter(|(_, ty)| *ty == Ty::String)
        .map(|(expr, _)| quote!(#expr.cloned().map(::intercom_api::runtime::PageToken::Cursor)));

    let mut found: Option<(Style, TokenStream, TokenStream, TokenStream, Option<TokenStream>)> = None;
    // Cursor in the query.
    if let (Some(p), Some(next)) = (query_param(op, "starting_after", &Ty::String), &next_cursor) {
        let (read, write) = query_position(p, true);
        found = Some((Style::QueryCursor, read, write, next.clone(), None));
    }
    // Cursor in the body's `pagination`.
    if found.is_none() {
        if let (Some(body), Some(next)) = (op.body.as_ref().filter(|b| b.required_or_unspecified()), &next_cursor) {
            if let Some(tokens) = body_cursor(types, policy, &body.ty) {
                found = Some((Style::BodyCursor, tokens.0, tokens.1, next.clone(), None));
            }
        }
    }
    // Scroll.
    if found.is_none() {
        if let (Some(p), Some((scroll, Ty::String))) = (
            query_param(op, "scroll_param", &Ty::String),
            read_chain(types, policy, &output, quote!(output), &["scroll_param"]),
        ) {
            let (read, write) = query_position(p, true);
            let next = quote!(#scroll.cloned().map(::intercom_api::runtime::PageToken::Cursor));
            let total = read_chain(types, policy, &output, quote!(output), &["total_count"])
                .and_then(|(expr, ty)| as_i64(expr, &ty))
                .map(|total| {
                    quote! {
                        fn total_count(output: &Self::Output) -> ::std::option::Option<u64> {
                            #total.and_then(|n| u64::try_from(n).ok())
                        }
                    }
                });
            found = Some((Style::Scroll, read, write, next, total));
        }
    }
    // Page numbers.
    if found.is_none() {
        let total = read_chain(types, policy, &output, quote!(output), &["pages", "total_pages"])
            .and_then(|(expr, ty)| as_i64(expr, &ty));
        if let (Some(p), Some(total)) = (query_param(op, "page", &Ty::I64), total) {
            let page = read_chain(types, policy, &output, quote!(output), &["pages", "page"])
                .and_then(|(expr, ty)| as_i64(expr, &ty))
                .unwrap_or_else(|| quote!(::std::option::Option::None));
            let (read, write) = query_position(p, false);
            let id = ident(&naming::param_field_name(&p.rust));
            let requested = if p.required { quote!(::std::option::Option::Some(self.#id)) } else { quote!(self.#id) };
            let next = quote!(::intercom_api::runtime::pagination::next_page_number(#page, #requested, #total));
            found = Some((Style::PageNumber, read, write, next, None));
        }
    }
    let Some((style, read, write, next, extra)) = found else {
        return if takes_position {
            Detection::Unresolved("takes a page position, but the response does not link the next page".into())
        } else {
            Detection::NotPaginated
        };
    };
    let (item_ty, count, into) = match items(types, policy, &output) {
        Ok(items) => items,
        Err(why) => return Detection::Unresolved(why),
    };
    let name = ident(&op.type_name);
    let variant = style.variant();
    let impl_tokens = quote! {
        impl ::intercom_api::runtime::Paginated for #name {
            type Item = #item_ty;
            const STYLE: ::intercom_api::runtime::PaginationStyle = ::intercom_api::runtime::PaginationStyle::#variant;
            fn page(&self) -> ::std::option::Option<::intercom_api::runtime::PageToken> {
                #read
            }
            fn set_page(&mut self, page: ::intercom_api::runtime::PageToken) {
                #write
            }
            fn next_page(&self, output: &Self::Output) -> ::std::option::Option<::intercom_api::runtime::PageToken> {
                #next
            }
            fn item_count(output: &Self::Output) -> usize {
                #count
            }
            fn into_items(output: Self::Output) -> ::std::vec::Vec<Self::Item> {
                #into
            }
            #extra
        }
    };
    Detection::Paginated { style, impl_tokens }
}

/// Reads and writes `body.pagination.starting_after`, when the body has it and a missing
/// `pagination` can be created from `Default`.
fn body_cursor(types: &BTreeMap<String, TypeDef>, policy: &Policy, body: &Ty) -> Option<(TokenStream, TokenStream)> {
    let (owner, pagination) = field(types, body, "pagination")?;
    let (inner_owner, cursor) = field(types, &pagination.ty, "starting_after")?;
    if *unboxed(&cursor.ty) != Ty::String {
        return None;
    }
    let (_, inner_fields) = struct_of(types, &pagination.ty)?;
    let defaultable = inner_fields.iter().all(|f| policy.rule(inner_owner, f).is_optional());
    let pid = ident(&pagination.rust);
    let cid = ident(&cursor.rust);
    let pagination_optional = policy.rule(owner, pagination).is_optional();
    let target = match (pagination_optional, defaultable) {
        (true, true) => quote!(self.body.#pid.get_or_insert_with(::std::default::Default::default)),
        (false, _) => quote!(self.body.#pid),
        (true, false) => return None,
    };
    let cursor_optional = policy.rule(inner_owner, cursor).is_optional();
    let assign = if cursor_optional { quote!(::std::option::Option::Some(cursor)) } else { quote!(cursor) };
    let write = quote! {
        if let ::std::option::Option::Some(cursor) = ::intercom_api::runtime::pagination::cursor(page) {
            #target.#cid = #assign;
        }
    };
    let (read_pagination, _) = read_chain(types, policy, body, quote!(&self.body), &["pagination", "starting_after"])?;
    let read = quote!(#read_pagination.cloned().map(::intercom_api::runtime::PageToken::Cursor));
    Some((read, write))
}
