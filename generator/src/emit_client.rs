//! IR operations → a version's `client` module: calls grouped by tag (`contacts()`, `notes()`…),
//! each method documented by one line, and a setter per optional parameter on its `Call`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::docs::doc_attr;
use crate::gate;
use crate::ir::{Body, BodyEncoding, ClientGroup, Operation, Resources, SuccessKind, Ty};
use crate::tokens::{ident, models, ty_tokens_in};

/// A client method's doc: the summary line, then what it sends and what it resolves to. The
/// operation's prose is on the operation type only, which this links to.
fn client_method_doc(op: &Operation) -> String {
    let summary = op.summary.clone().unwrap_or_else(|| format!("`{} {}`", op.method, op.path));
    let output = match (op.success.kind, &op.success.ty) {
        (SuccessKind::Binary, _) => "resolves to the response body's raw bytes (`bytes::Bytes`)".to_string(),
        (SuccessKind::Redirect, _) => {
            "resolves to the `Location` of the redirect it is answered with (a `String`), which the client \
             does not follow"
                .to_string()
        }
        (_, Some(ty)) => format!("resolves to {}", ty_doc(ty)),
        (_, None) => "resolves to `()`: the success response has no body".to_string(),
    };
    let form = match &op.body {
        Some(Body { encoding: BodyEncoding::Multipart(_), .. }) => ", its body sent as `multipart/form-data`",
        _ => "",
    };
    format!(
        "{summary}\n\nSends [`{name}`](super::operations::{name}) (`{} {}`{form}, the full description is there); \
         awaiting the call {output}.",
        op.method,
        op.path,
        name = op.type_name,
    )
}

/// A type as the docs name it: models are links, the rest plain Rust.
fn ty_doc(ty: &Ty) -> String {
    match ty {
        Ty::Named(name) => format!("[`{name}`](super::models::{name})"),
        Ty::String => "`String`".into(),
        Ty::I64 => "`i64`".into(),
        Ty::Number => "`serde_json::Number`".into(),
        Ty::Bool => "`bool`".into(),
        Ty::Bytes => "`bytes::Bytes`".into(),
        Ty::Json => "`serde_json::Value`".into(),
        Ty::JsonObject => "`serde_json::Map<String, serde_json::Value>`".into(),
        Ty::Option(inner) => format!("an optional {}", ty_doc(inner)),
        Ty::Vec(inner) => format!("a list of {}", ty_doc(inner)),
        Ty::Map(inner) => format!("a map of string keys to {}", ty_doc(inner)),
        Ty::Boxed(inner) => ty_doc(inner),
    }
}

/// `impl Client { fn v2_11() }` and the tag groups with one method per operation.
pub fn client_module(module: &str, ops: &[Operation], groups: &[ClientGroup], resources: &Resources) -> TokenStream {
    let module_id = ident(module);
    let accessors = groups.iter().enumerate().map(|(gi, g)| {
        let method = ident(&g.method);
        let group = format_ident!("{}", g.type_name);
        let doc = crate::docs::clean(&format!("Operations tagged `{}`.", g.tag));
        let gate = gate::attrs(resources.group_gate(gi), resources);
        quote! {
            #gate
            #[doc = #doc]
            pub fn #method(&self) -> #group<'a> { #group { client: self.client } }
        }
    });
    let group_defs = groups.iter().enumerate().map(|(gi, g)| {
        let group = format_ident!("{}", g.type_name);
        let group_doc = crate::docs::clean(&format!("Calls of the `{}` group.", g.tag));
        let methods = g.operations.iter().enumerate().map(|(mi, &i)| {
            let op = &ops[i];
            let method_gate = gate::attrs(resources.group_method_gate(gi, mi), resources);
            let params = op.caller_params();
            let fn_name = ident(&op.fn_name);
            let op_ty = ident(&op.type_name);
            let doc = doc_attr(Some(&client_method_doc(op)));
            let mut args = Vec::new();
            let mut pass = Vec::new();
            for p in params.iter().filter(|p| p.required) {
                let fname = ident(&p.field);
                let ty = ty_tokens_in(&p.ty, &quote!(super::models));
                if p.ty == Ty::String {
                    args.push(quote!(#fname: impl ::std::convert::Into<::std::string::String>));
                } else {
                    args.push(quote!(#fname: #ty));
                }
                pass.push(quote!(#fname));
            }
            if let Some(b) = op.body.as_ref().filter(|b| b.required_or_unspecified()) {
                let ty = ty_tokens_in(&b.ty, &quote!(super::models));
                args.push(quote!(body: #ty));
                pass.push(quote!(body));
            }
            quote! {
                #method_gate
                #doc
                pub fn #fn_name(&self, #(#args),*) -> ::intercom_api::client::Call<super::operations::#op_ty> {
                    self.client.call(super::operations::#op_ty::new(#(#pass),*))
                }
            }
        });
        let items = quote! {
            #[doc = #group_doc]
            #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug)]
            pub struct #group<'a> { client: &'a ::intercom_api::client::Client }
            impl<'a> #group<'a> { #(#methods)* }
        };
        gate::items(resources.group_gate(gi), resources, items)
    });
    let setters = ops
        .iter()
        .enumerate()
        .filter_map(|(i, op)| Some(gate::items(resources.operation_gate(i), resources, call_setters(op)?)));
    let allows = crate::docs::upstream_prose_allows();
    // With no resource feature enabled, no group reads the client.
    let client_field_allow = if (0..groups.len()).any(|g| *resources.group_gate(g) != crate::ir::Gate::Always) {
        quote!(#[allow(dead_code)])
    } else {
        TokenStream::new()
    };
    let version_doc = format!("Calls in API version {}.", module.trim_start_matches('v').replace('_', "."));
    quote! {
        #allows
        //! Calls grouped by tag, e.g. `client.v2_11().contacts().create_contact(body).await`.
        impl ::intercom_api::client::Client {
            #[doc = #version_doc]
            pub fn #module_id(&self) -> Api<'_> { Api { client: self } }
        }
        /// The operations of this version, grouped by tag.
        #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug)]
        pub struct Api<'a> { #client_field_allow client: &'a ::intercom_api::client::Client }
        impl<'a> Api<'a> { #(#accessors)* }
        #(#group_defs)*
        #(#setters)*
    }
}

/// One setter per optional parameter (and optional body) on the operation's `Call`, so that
/// `.per_page(50).starting_after(cursor)` reads like the rest of the call's builder. The doc links
/// the operation's field, which carries the upstream prose.
fn call_setters(op: &Operation) -> Option<TokenStream> {
    let m = models();
    let op_ty = ident(&op.type_name);
    let mut setters: Vec<TokenStream> = Vec::new();
    let params = op.caller_params();
    let mut optional: Vec<(&str, &str, &Ty)> =
        params.iter().filter(|p| !p.required).map(|p| (p.setter.as_str(), p.field.as_str(), &p.ty)).collect();
    // The body's field is `body` in every operation struct, which shadows no method of `Call`.
    if let Some(b) = op.body.as_ref().filter(|b| !b.required_or_unspecified()) {
        optional.push(("body", "body", &b.ty));
    }
    for (setter, field, ty) in optional {
        let (setter, field_id) = (ident(setter), ident(field));
        let doc = format!(" Sets [`{field}`](super::operations::{}::{field}).", op.type_name);
        let (arg, value) = if *ty == Ty::String {
            (quote!(impl ::std::convert::Into<::std::string::String>), quote!(value.into()))
        } else {
            (ty_tokens_in(ty, &m), quote!(value))
        };
        setters.push(quote! {
            #[doc = #doc]
            pub fn #setter(mut self, value: #arg) -> Self {
                self.operation_mut().#field_id = ::std::option::Option::Some(#value);
                self
            }
        });
    }
    if setters.is_empty() {
        return None;
    }
    Some(quote! {
        impl ::intercom_api::client::Call<super::operations::#op_ty> { #(#setters)* }
    })
}
