//! `impl Paginated` for each operation the resolve stage found paginated: a pure function of the
//! operation's [`Pagination`], which says where the page position and the next page live.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{MemberPath, NextPage, Operation, PagePosition, Pagination, PaginationStyle, Paging, Step, Ty};
use crate::tokens::{ident, ty_tokens_in};

/// The operation's `impl Paginated`, or nothing when it does not paginate.
pub fn paginated_impl(op: &Operation) -> Option<TokenStream> {
    let Paging::Paginated(p) = &op.paging else { return None };
    let (read, write) = match &p.position {
        PagePosition::Query { field, required } => {
            query_position(&ident(field), *required, p.style != PaginationStyle::PageNumber)
        }
        PagePosition::BodyCursor { pagination, cursor } => body_cursor(pagination, cursor),
    };
    let next = next_page(p);
    let item_ty = ty_tokens_in(&p.item_ty, &quote!(super::models));
    let id = ident(&p.items.rust);
    let (count, into) = if p.items.optional {
        (quote!(output.#id.as_ref().map_or(0, |items| items.len())), quote!(output.#id.unwrap_or_default()))
    } else {
        (quote!(output.#id.len()), quote!(output.#id))
    };
    let total = p.total_count.as_ref().map(|total| {
        let total = as_i64(total, quote!(output));
        quote! {
            fn total_count(output: &Self::Output) -> ::std::option::Option<u64> {
                #total.and_then(|n| u64::try_from(n).ok())
            }
        }
    });
    let more = p.page_of_total.as_ref().map(|(page, total)| {
        let page = as_i64(page, quote!(output));
        let total = as_i64(total, quote!(output));
        quote! {
            fn more_pages(output: &Self::Output) -> ::std::option::Option<bool> {
                ::std::option::Option::Some(#page? < #total?)
            }
        }
    });
    let name = ident(&op.type_name);
    let variant = match p.style {
        PaginationStyle::QueryCursor => quote!(QueryCursor),
        PaginationStyle::BodyCursor => quote!(BodyCursor),
        PaginationStyle::PageNumber => quote!(PageNumber),
        PaginationStyle::Scroll => quote!(Scroll),
    };
    Some(quote! {
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
            #total
            #more
        }
    })
}

/// An expression of type `Option<&Leaf>` reading `path` from `base` (an expression of type `&Root`).
fn read_chain(path: &MemberPath, base: TokenStream) -> TokenStream {
    let mut expr = quote!(::std::option::Option::Some(#base));
    for step in &path.steps {
        let id = ident(&step.rust);
        expr = if step.optional { quote!(#expr.and_then(|v| v.#id.as_ref())) } else { quote!(#expr.map(|v| &v.#id)) };
        if step.boxed {
            expr = quote!(#expr.map(|v| &**v));
        }
    }
    expr
}

/// `Option<i64>` from an integer member (the resolve stage keeps only `integer` and `number` leaves).
fn as_i64(path: &MemberPath, base: TokenStream) -> TokenStream {
    let expr = read_chain(path, base);
    match path.leaf {
        Ty::Number => quote!(#expr.and_then(|n| n.as_i64())),
        _ => quote!(#expr.copied()),
    }
}

fn next_page(p: &Pagination) -> TokenStream {
    match &p.next {
        NextPage::Cursor(path) => {
            let cursor = read_chain(path, quote!(output));
            quote!(#cursor.cloned().map(::intercom_api::runtime::PageToken::Cursor))
        }
        NextPage::PageNumber { page, total_pages } => {
            let total = as_i64(total_pages, quote!(output));
            let page = match page {
                Some(page) => as_i64(page, quote!(output)),
                None => quote!(::std::option::Option::None),
            };
            // Page numbers only ever come from a query parameter (the detection's page-number style).
            let requested = match &p.position {
                PagePosition::Query { field, required: true } => {
                    let id = ident(field);
                    quote!(::std::option::Option::Some(self.#id))
                }
                PagePosition::Query { field, required: false } => {
                    let id = ident(field);
                    quote!(self.#id)
                }
                PagePosition::BodyCursor { .. } => quote!(::std::option::Option::None),
            };
            quote!(::intercom_api::runtime::pagination::next_page_number(#page, #requested, #total))
        }
    }
}

/// Reads and writes a query parameter holding the page position.
fn query_position(id: &proc_macro2::Ident, required: bool, cursor: bool) -> (TokenStream, TokenStream) {
    let (read, value) = if cursor {
        (
            if required {
                quote!(::std::option::Option::Some(::intercom_api::runtime::PageToken::Cursor(self.#id.clone())))
            } else {
                quote!(self.#id.clone().map(::intercom_api::runtime::PageToken::Cursor))
            },
            quote!(::intercom_api::runtime::pagination::cursor(page)),
        )
    } else {
        (
            if required {
                quote!(u64::try_from(self.#id).ok().map(::intercom_api::runtime::PageToken::Page))
            } else {
                quote!(self.#id.and_then(|n| u64::try_from(n).ok()).map(::intercom_api::runtime::PageToken::Page))
            },
            quote!(::intercom_api::runtime::pagination::page_number(&page)),
        )
    };
    let write = if required {
        quote!(if let ::std::option::Option::Some(value) = #value { self.#id = value; })
    } else {
        quote!(if let ::std::option::Option::Some(value) = #value { self.#id = ::std::option::Option::Some(value); })
    };
    (read, write)
}

/// Reads and writes `body.pagination.starting_after`.
fn body_cursor(pagination: &Step, cursor: &Step) -> (TokenStream, TokenStream) {
    let pid = ident(&pagination.rust);
    let cid = ident(&cursor.rust);
    let target = if pagination.optional {
        quote!(self.body.#pid.get_or_insert_with(::std::default::Default::default))
    } else {
        quote!(self.body.#pid)
    };
    let assign = if cursor.optional { quote!(::std::option::Option::Some(cursor)) } else { quote!(cursor) };
    let write = quote! {
        if let ::std::option::Option::Some(cursor) = ::intercom_api::runtime::pagination::cursor(page) {
            #target.#cid = #assign;
        }
    };
    let path = MemberPath { steps: vec![pagination.clone(), cursor.clone()], leaf: Ty::String };
    let read_cursor = read_chain(&path, quote!(&self.body));
    let read = quote!(#read_cursor.cloned().map(::intercom_api::runtime::PageToken::Cursor));
    (read, write)
}
