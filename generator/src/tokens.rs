//! Token helpers every emitter shares: identifiers (raw ones included) and a type as a path.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::Ty;

pub fn ident(text: &str) -> Ident {
    match text.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(text, Span::call_site()),
    }
}

pub fn ty_tokens(ty: &Ty) -> TokenStream {
    ty_tokens_in(ty, &TokenStream::new())
}

/// The type as seen from another module: named types prefixed with `models` (e.g. `super::models`).
pub fn ty_tokens_in(ty: &Ty, models: &TokenStream) -> TokenStream {
    let t = |inner: &Ty| ty_tokens_in(inner, models);
    match ty {
        Ty::String => quote!(::std::string::String),
        Ty::I64 => quote!(i64),
        Ty::Number => quote!(::serde_json::Number),
        Ty::Bool => quote!(bool),
        Ty::Bytes => quote!(::bytes::Bytes),
        Ty::Json => quote!(::serde_json::Value),
        Ty::JsonObject => quote!(::serde_json::Map<::std::string::String, ::serde_json::Value>),
        Ty::Named(n) => {
            let id = ident(n);
            if models.is_empty() {
                quote!(#id)
            } else {
                quote!(#models::#id)
            }
        }
        Ty::Vec(inner) => {
            let inner = t(inner);
            quote!(::std::vec::Vec<#inner>)
        }
        Ty::Option(inner) => {
            let inner = t(inner);
            quote!(::std::option::Option<#inner>)
        }
        Ty::Map(inner) => {
            let inner = t(inner);
            quote!(::std::collections::BTreeMap<::std::string::String, #inner>)
        }
        Ty::Boxed(inner) => {
            let inner = t(inner);
            quote!(::std::boxed::Box<#inner>)
        }
    }
}

/// Where a version's `operations` and `client` modules find its models.
pub fn models() -> TokenStream {
    quote!(super::models)
}
