//! Renders a [`Gate`] (decided by `resources.rs`) as the attributes that compile an item only with
//! the features it needs, shown on docs.rs by `doc(cfg)` (the crate enables `doc_cfg` under
//! `--cfg docsrs`).

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Gate, Resources};

/// The `cfg` predicate of `gate`; `None` for [`Gate::Always`].
fn predicate(gate: &Gate, resources: &Resources) -> Option<TokenStream> {
    match gate {
        Gate::Always => None,
        Gate::Any(features) if features.len() == 1 => {
            let f = &features[0];
            Some(quote!(feature = #f))
        }
        Gate::Any(features) => Some(quote!(any(#(feature = #features),*))),
        Gate::FullVersion => {
            let f = &resources.version_feature;
            Some(quote!(feature = #f))
        }
    }
}

/// `#[cfg(…)]` and its docs.rs label for one item; nothing for [`Gate::Always`].
pub fn attrs(gate: &Gate, resources: &Resources) -> TokenStream {
    match predicate(gate, resources) {
        Some(p) => quote! {
            #[cfg(#p)]
            #[cfg_attr(docsrs, doc(cfg(#p)))]
        },
        None => TokenStream::new(),
    }
}

/// `#[cfg(…)]` alone, for what docs do not show (match arms, trait impls' parts).
pub fn cfg_only(gate: &Gate, resources: &Resources) -> TokenStream {
    match predicate(gate, resources) {
        Some(p) => quote!(#[cfg(#p)]),
        None => TokenStream::new(),
    }
}

/// `#[cfg(not(…))]`, for the fallback a gated item leaves behind (a webhook topic whose model is
/// left out decodes untyped); `None` for [`Gate::Always`], which has no fallback.
pub fn cfg_not(gate: &Gate, resources: &Resources) -> Option<TokenStream> {
    predicate(gate, resources).map(|p| quote!(#[cfg(not(#p))]))
}

/// `items` (a type or an operation with its impls) with `gate`'s `cfg` on each item: the items an
/// emitter produces together share one gate. The first (the type itself) carries the docs.rs label.
pub fn items(gate: &Gate, resources: &Resources, items: TokenStream) -> TokenStream {
    let (first, rest) = (attrs(gate, resources), cfg_only(gate, resources));
    if first.is_empty() {
        return items;
    }
    // The emitters' own output: it always parses (rendering parses it again, through the same syn).
    let file: syn::File = syn::parse2(items).expect("emitted items parse as Rust items");
    let with_attrs =
        file.items
            .into_iter()
            .enumerate()
            .map(|(i, item)| if i == 0 { quote!(#first #item) } else { quote!(#rest #item) });
    quote!(#(#with_attrs)*)
}
