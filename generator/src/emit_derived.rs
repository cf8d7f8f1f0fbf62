//! The decode benchmark's baseline: a version's models as progenitor and typify would emit them,
//! with serde's derived `Deserialize`. Same names, fields and optionality as the real models
//! (`emit_models`), but no catch-all map, no lenient mode, enums that map unknown values to a unit
//! `Unknown` (`#[serde(other)]`), and `oneOf`s as `#[serde(untagged)]` enums tried in order. Never
//! part of the SDK: it is written under `generated/benches/`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use crate::ir::FieldRule;
use crate::ir::{EnumValue, Field, TypeDef, TypeKind, Variant};
use crate::tokens::{ident, ty_tokens};

pub fn models(types: &[&TypeDef]) -> TokenStream {
    let items = types.iter().map(|def| {
        let name = ident(&def.name);
        match &def.kind {
            TypeKind::Struct(fields) => struct_def(&name, fields),
            TypeKind::Enum(values) => enum_def(&name, values),
            TypeKind::OneOf(variants) => one_of_def(&name, variants),
            TypeKind::Alias(ty) => {
                let ty = ty_tokens(ty);
                quote! { pub type #name = #ty; }
            }
        }
    });
    quote! {
        #![allow(dead_code, clippy::enum_variant_names, clippy::large_enum_variant)]
        #(#items)*
    }
}

fn struct_def(name: &Ident, fields: &[Field]) -> TokenStream {
    let fields = fields.iter().map(|f| {
        let fname = ident(&f.rust);
        let ty = ty_tokens(&f.ty);
        let wire = &f.wire;
        if f.rule == FieldRule::RequiredInput {
            quote! { #[serde(rename = #wire)] pub #fname: #ty, }
        } else {
            quote! { #[serde(rename = #wire, default)] pub #fname: ::std::option::Option<#ty>, }
        }
    });
    quote! {
        #[derive(::std::fmt::Debug, ::serde::Deserialize)]
        pub struct #name { #(#fields)* }
    }
}

fn enum_def(name: &Ident, values: &[EnumValue]) -> TokenStream {
    let variants = values.iter().map(|v| {
        let id = ident(&v.rust);
        let wire = &v.wire;
        quote! { #[serde(rename = #wire)] #id, }
    });
    quote! {
        #[derive(::std::fmt::Debug, ::serde::Deserialize)]
        pub enum #name {
            #(#variants)*
            #[serde(other)]
            Unknown,
        }
    }
}

fn one_of_def(name: &Ident, variants: &[Variant]) -> TokenStream {
    let variants = variants.iter().map(|v| {
        let id = ident(&v.rust);
        let ty = ty_tokens(&v.ty);
        quote! { #id(#ty), }
    });
    quote! {
        #[derive(::std::fmt::Debug, ::serde::Deserialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#variants)*
            Unknown(::serde_json::Value),
        }
    }
}
