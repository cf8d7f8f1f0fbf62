//! IR types → Rust tokens for a version's `models` module. Generated code names everything by
//! full path (`::serde::Serialize`, `::std::option::Option`) so it cannot be confused by a type
//! that happens to be called `Option` or `Result` in the spec.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::docs::doc_attr;
use crate::ir::FieldRule;
use crate::ir::{Decoding, EnumValue, Field, JsonKind, Ranked, Resources, Shape, Ty, TypeDef, TypeKind, Variant};
use crate::tokens::{ident, ty_tokens};

/// Every type of one version, in name order, each compiled with the features it needs.
pub fn models(types: &[&TypeDef], resources: &Resources) -> TokenStream {
    let items = types.iter().map(|def| crate::gate::items(resources.type_gate(&def.name), resources, type_def(def)));
    let allows = crate::docs::upstream_prose_allows();
    quote! {
        #allows
        #(#items)*
    }
}

/// One entry of a union's ranked shapes: the variant it decodes into and, for a variant that holds
/// a union, the index of the shape among that union's own ranked shapes (`decoding.rs`).
struct Leaf<'a> {
    variant: &'a Variant,
    inner: Option<(&'a str, usize)>,
    shape: &'a Shape,
}

/// The shapes a union ranks, in the order its `branch` numbers them.
fn leaves(variants: &[Variant]) -> Vec<Leaf<'_>> {
    let mut out = Vec::new();
    for variant in variants {
        match &variant.ranked {
            Ranked::Own => out.push(Leaf { variant, inner: None, shape: &variant.shape }),
            Ranked::Inner { union, shapes } => out.extend(shapes.iter().enumerate().map(|(index, shape)| Leaf {
                variant,
                inner: Some((union.as_str(), index)),
                shape,
            })),
        }
    }
    out
}

fn type_def(def: &TypeDef) -> TokenStream {
    let doc = doc_attr(def.doc.as_deref());
    let aliases = crate::naming::component_schema(&def.origin)
        .map(|schema| crate::naming::renamed_aliases(&schema, &def.name))
        .unwrap_or_default();
    let doc = if aliases.is_empty() { doc } else { quote!(#doc #[doc(#(alias = #aliases),*)]) };
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(fields) => struct_def(&name, &doc, fields),
        TypeKind::Enum(values) => enum_def(&name, &doc, values),
        TypeKind::OneOf(variants) => one_of_def(&name, &doc, variants, &leaves(variants)),
        TypeKind::Alias(ty) => {
            let ty = ty_tokens(ty);
            quote! { #doc pub type #name = #ty; }
        }
    }
}

fn field_doc(field: &Field) -> Option<String> {
    let mut parts: Vec<String> = field.doc.iter().cloned().collect();
    // Why constants are strings is explained once, in the crate docs, not on every field.
    if let Some(c) = &field.constant {
        parts.push(format!("Always `{c}`."));
    }
    let says_unix_time = field.doc.as_deref().is_some_and(|d| {
        let d = d.to_ascii_lowercase();
        d.contains("unix") || d.contains("timestamp") || d.contains("epoch")
    });
    if field.unix_time && !says_unix_time {
        parts.push("Unix timestamp in seconds.".into());
    }
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

fn struct_def(name: &Ident, doc: &TokenStream, fields: &[Field]) -> TokenStream {
    let all_optional = crate::ir::all_optional_fields(fields);
    let rendered = fields.iter().map(|f| {
        let fdoc = doc_attr(field_doc(f).as_deref());
        let fname = ident(&f.rust);
        let ty = ty_tokens(&f.ty);
        // Encoded and decoded by the impls of `fields_impl` / `request_codec`, which carry the
        // wire names.
        if f.rule == FieldRule::RequiredInput {
            // A single-value member (`type: "conversation_part"`) is set by `new` and cannot be
            // changed: private, read through its accessor, so it cannot be got wrong.
            let vis = f.constant.is_none().then(|| quote!(pub));
            quote! { #fdoc #vis #fname: #ty, }
        } else {
            quote! { #fdoc pub #fname: ::std::option::Option<#ty>, }
        }
    });
    let rendered: Vec<TokenStream> = rendered.collect();
    if all_optional {
        let codec = fields_impl(name, fields);
        quote! {
            #doc
            #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq, ::std::default::Default)]
            pub struct #name {
                #(#rendered)*
                /// Members the description does not declare (or whose value did not fit its declared
                /// type), kept verbatim and encoded again.
                pub extra_: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
            }
            #codec
        }
    } else {
        // Request-only types with required fields: encoded like the others, decoded through a
        // partial copy whose fields are all optional (see `partial_decoding`). They keep undeclared
        // members too, so that a caller can send what the description lacks.
        let constructor = constructor(name, fields);
        let decoding = partial_decoding(name, fields);
        let encoding = request_encoding(name, fields);
        quote! {
            #doc
            #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq)]
            pub struct #name {
                #(#rendered)*
                /// Members the description does not declare, sent after the declared ones (a name
                /// that is a declared, set member is an `InvalidRequest` before anything is sent).
                pub extra_: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
            }
            #constructor
            #decoding
            #encoding
        }
    }
}

/// `Serialize` for a request-only struct with required fields: required members always, optional
/// ones when set, then the catch-all's members (`runtime::ser::extra`), like `fields_impl`.
fn request_encoding(name: &Ident, fields: &[Field]) -> TokenStream {
    let partial = format_ident!("_Partial{}", name);
    let entries = fields.iter().map(|f| {
        let fname = ident(&f.rust);
        let wire = &f.wire;
        if f.rule == FieldRule::RequiredInput {
            quote!(::serde::ser::SerializeMap::serialize_entry(&mut map, #wire, &self.#fname)?;)
        } else {
            quote!(::intercom_api::runtime::ser::entry(&mut map, #wire, &self.#fname)?;)
        }
    });
    let set = fields.iter().map(|f| {
        let fname = ident(&f.rust);
        if f.rule == FieldRule::RequiredInput {
            quote!(true)
        } else {
            quote!(self.#fname.is_some())
        }
    });
    quote! {
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                let mut map = ::serde::Serializer::serialize_map(serializer, ::std::option::Option::None)?;
                #(#entries)*
                ::intercom_api::runtime::ser::extra(&mut map, &self.extra_, <#partial as ::intercom_api::runtime::de::Fields>::FIELDS, &[#(#set),*])?;
                ::serde::ser::SerializeMap::end(map)
            }
        }
    }
}

/// `Deserialize` for a request-only struct with required fields: its members are decoded into a
/// private copy of the struct whose fields are all optional, by the same shared code as every
/// response struct (`runtime::de::Fields`), then each required field is taken out or reported
/// missing by its wire name, as serde's derive reports it.
///
/// Not the derive: its per-type code is several times this, fetched cold for each request a
/// program decodes, and it moves the whole struct (2.7's `CreateCollectionRequest` holds 5.5 KB
/// of optional translations) through several locals (BENCHMARKS.md, 3e). The partial copy's name
/// starts with an underscore, which no generated type name does, so it cannot collide.
fn partial_decoding(name: &Ident, fields: &[Field]) -> TokenStream {
    let partial = format_ident!("_Partial{}", name);
    let names: Vec<Ident> = fields.iter().map(|f| ident(&f.rust)).collect();
    let tys = fields.iter().map(|f| ty_tokens(&f.ty));
    let decoding = fields_trait_impl(&partial, &name.to_string(), fields);
    let takes = fields.iter().zip(&names).map(|(f, fname)| {
        let wire = &f.wire;
        if f.rule == FieldRule::RequiredInput {
            quote!(#fname: ::intercom_api::runtime::de::required(partial.#fname, #wire)?,)
        } else {
            quote!(#fname: partial.#fname,)
        }
    });
    quote! {
        #[derive(::std::default::Default)]
        struct #partial {
            #(#names: ::std::option::Option<#tys>,)*
            extra_: ::serde_json::Map<::std::string::String, ::serde_json::Value>,
        }
        #decoding
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let partial: #partial = ::intercom_api::runtime::de::deserialize(deserializer)?;
                ::std::result::Result::Ok(Self { #(#takes)* extra_: partial.extra_ })
            }
        }
    }
}

/// `new(required…)` for a request type with required fields: the required fields in declaration
/// order as arguments, except single-value ones (`message_type: "comment"`), which it sets itself;
/// every optional field `None`. With struct update (`T { opt: Some(x), ..T::new(a) }`) a caller's
/// code keeps compiling when a re-pin adds an optional field.
fn constructor(name: &Ident, fields: &[Field]) -> TokenStream {
    let mut args = Vec::new();
    let mut inits = Vec::new();
    let mut documented = Vec::new();
    let mut accessors = Vec::new();
    for f in fields {
        let fname = ident(&f.rust);
        if f.rule != FieldRule::RequiredInput {
            inits.push(quote!(#fname: ::std::option::Option::None,));
        } else if let Some(constant) = &f.constant {
            inits.push(quote!(#fname: ::std::convert::From::from(#constant),));
            documented.push(format!("`{}` = `{constant}`", f.wire));
            let ty = ty_tokens(&f.ty);
            let doc = format!(" `{}`: always `{constant}`, set by [`new`](Self::new).", f.wire);
            accessors.push(quote! {
                #[doc = #doc]
                pub fn #fname(&self) -> &#ty { &self.#fname }
            });
        } else if f.ty == Ty::String {
            args.push(quote!(#fname: impl ::std::convert::Into<::std::string::String>));
            inits.push(quote!(#fname: #fname.into(),));
        } else {
            let ty = ty_tokens(&f.ty);
            args.push(quote!(#fname: #ty));
            inits.push(quote!(#fname,));
        }
    }
    let doc = if documented.is_empty() {
        " The value with its required fields; every optional field is `None`.".to_string()
    } else {
        format!(
            " The value with its required fields; {} set for you, every optional field `None`.",
            documented.join(", ")
        )
    };
    // Nothing to pass: `Default` is the same value (and clippy expects it beside `new()`).
    let default = args.is_empty().then(|| {
        quote! {
            impl ::std::default::Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    quote! {
        impl #name {
            #[doc = #doc]
            pub fn new(#(#args),*) -> Self {
                Self { #(#inits)* extra_: ::serde_json::Map::new() }
            }
            #(#accessors)*
        }
        #default
    }
}

/// `Serialize` and `Deserialize` for an all-optional struct, through `runtime::ser::entry` and
/// `runtime::de::Fields`: a fraction of the code serde's derives expand to, which matters because
/// these are most of a version's types (BENCHMARKS.md, 2). A `None` field is not encoded.
fn fields_impl(name: &Ident, fields: &[Field]) -> TokenStream {
    let wires: Vec<&str> = fields.iter().map(|f| f.wire.as_str()).collect();
    let decoding = fields_trait_impl(name, &name.to_string(), fields);
    let entry_fields: Vec<Ident> = fields.iter().map(|f| ident(&f.rust)).collect();
    // Imported inside the function: shorter per field, and no spec type (all CamelCase) can shadow it.
    let entry_import = (!fields.is_empty()).then(|| {
        quote!(
            use ::intercom_api::runtime::ser::entry;
        )
    });
    quote! {
        #[doc(hidden)]
        #decoding
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::intercom_api::runtime::de::deserialize(deserializer)
            }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                #entry_import
                let mut map = ::serde::Serializer::serialize_map(serializer, ::std::option::Option::None)?;
                #(entry(&mut map, #wires, &self.#entry_fields)?;)*
                ::intercom_api::runtime::ser::extra(&mut map, &self.extra_, <Self as ::intercom_api::runtime::de::Fields>::FIELDS, &[#(self.#entry_fields.is_some()),*])?;
                ::serde::ser::SerializeMap::end(map)
            }
        }
    }
}

/// `runtime::de::Fields` for `target`, whose fields are `fields`, every one an `Option`, plus the
/// catch-all `extra_` that keeps undeclared members; `label` names the type in decoding errors.
fn fields_trait_impl(target: &Ident, label: &str, fields: &[Field]) -> TokenStream {
    let wires = fields.iter().map(|f| f.wire.as_str());
    let arms = fields.iter().enumerate().map(|(index, f)| {
        let fname = ident(&f.rust);
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        match (f.decoding, &f.constant) {
            (Decoding::Tag, Some(tag)) => {
                quote!(#index => ::intercom_api::runtime::de::tag(&mut self.#fname, value, #tag)?,)
            }
            (Decoding::InPlace, _) if matches!(f.ty, Ty::Boxed(_)) => {
                quote!(#index => ::intercom_api::runtime::de::member_boxed_in_place(&mut self.#fname, value)?,)
            }
            (Decoding::InPlace, _) => {
                quote!(#index => ::intercom_api::runtime::de::member_in_place(&mut self.#fname, value)?,)
            }
            (Decoding::ByValue | Decoding::Tag, _) => {
                quote!(#index => ::intercom_api::runtime::de::member(&mut self.#fname, value)?,)
            }
        }
    });
    let extra = quote!(::std::option::Option::Some(&mut self.extra_));
    quote! {
        impl ::intercom_api::runtime::de::Fields for #target {
            const NAME: &'static str = #label;
            const FIELDS: &'static [&'static str] = &[#(#wires),*];
            fn set<'de, D: ::serde::Deserializer<'de>>(&mut self, index: usize, value: D) -> ::std::result::Result<(), D::Error> {
                match index {
                    #(#arms)*
                    _ => ::intercom_api::runtime::de::skip(value)?,
                }
                ::std::result::Result::Ok(())
            }
            fn extra(&mut self) -> ::std::option::Option<&mut ::intercom_api::runtime::de::Extra> {
                #extra
            }
        }
    }
}

fn enum_def(name: &Ident, doc: &TokenStream, values: &[EnumValue]) -> TokenStream {
    let variants: Vec<Ident> = values.iter().map(|v| ident(&v.rust)).collect();
    let wires: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
    let docs = wires.iter().map(|w| {
        let text = crate::docs::clean(&format!("`{w}`"));
        quote!(#[doc = #text])
    });
    quote! {
        #doc
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#docs #variants,)*
            /// A value this crate does not know yet, kept verbatim.
            Unknown(::std::string::String),
        }
        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }
        }
        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#variants,)*
                    other => Self::Unknown(::std::borrow::ToOwned::to_owned(other)),
                }
            }
        }
        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    #(#wires => Self::#variants,)*
                    _ => Self::Unknown(value),
                }
            }
        }
        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;
            /// Never fails: a value this crate does not know is `Unknown`.
            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }
        impl ::std::convert::AsRef<str> for #name {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }
        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::intercom_api::runtime::wire_enum::deserialize(deserializer)
            }
        }
    }
}

fn json_kind_tokens(kind: JsonKind) -> TokenStream {
    let variant = format_ident!(
        "{}",
        match kind {
            JsonKind::Any => "Any",
            JsonKind::Object => "Object",
            JsonKind::Array => "Array",
            JsonKind::String => "String",
            JsonKind::Integer => "Integer",
            JsonKind::Number => "Number",
            JsonKind::Bool => "Bool",
        }
    );
    quote!(::intercom_api::runtime::one_of::JsonKind::#variant)
}

fn shape_tokens(shape: &Shape) -> TokenStream {
    let kind = json_kind_tokens(shape.kind);
    let tag_keys = shape.tags.iter().map(|(k, _)| k);
    let tag_values = shape.tags.iter().map(|(_, v)| v);
    let required = &shape.required;
    let known = &shape.known;
    let kind_names = shape.kinds.iter().map(|(k, _)| k);
    let kind_kinds = shape.kinds.iter().map(|(_, kind)| json_kind_tokens(*kind));
    let value_names = shape.values.iter().map(|(k, _)| k);
    let value_lists = shape.values.iter().map(|(_, values)| quote!(&[#(#values),*]));
    quote! {
        ::intercom_api::runtime::one_of::Shape {
            kind: #kind,
            tags: &[#((#tag_keys, #tag_values)),*],
            required: &[#(#required),*],
            known: &[#(#known),*],
            kinds: &[#((#kind_names, #kind_kinds)),*],
            values: &[#((#value_names, #value_lists)),*],
        }
    }
}

fn one_of_def(name: &Ident, doc: &TokenStream, variants: &[Variant], leaves: &[Leaf<'_>]) -> TokenStream {
    let names: Vec<Ident> = variants.iter().map(|v| ident(&v.rust)).collect();
    let tys = variants.iter().map(|v| ty_tokens(&v.ty));
    let shapes = leaves.iter().map(|leaf| shape_tokens(leaf.shape));
    let indices = 0..leaves.len();
    let decoders = leaves.iter().map(|leaf| {
        let variant = ident(&leaf.variant.rust);
        match leaf.inner {
            Some((inner, index)) => {
                let inner = ident(inner);
                quote!(<#inner as ::intercom_api::runtime::one_of::OneOf>::branch(#index, deserializer).map(Self::#variant))
            }
            None => quote!(::serde::Deserialize::deserialize(deserializer).map(Self::#variant)),
        }
    });
    quote! {
        #doc
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq, ::serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#names(#tys),)*
            /// A shape this crate does not know yet, kept as raw JSON.
            Unknown(::serde_json::Value),
        }
        #[doc(hidden)]
        impl ::intercom_api::runtime::one_of::OneOf for #name {
            const SHAPES: &'static [::intercom_api::runtime::one_of::Shape] = &[#(#shapes),*];
            fn branch<'de, D: ::serde::Deserializer<'de>>(index: usize, deserializer: D) -> ::std::result::Result<Self, D::Error> {
                match index {
                    #(#indices => #decoders,)*
                    _ => ::std::result::Result::Err(<D::Error as ::serde::de::Error>::custom("no such branch")),
                }
            }
            fn unknown(value: ::serde_json::Value) -> Self {
                Self::Unknown(value)
            }
        }
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::intercom_api::runtime::one_of::deserialize(deserializer)
            }
        }
    }
}
