//! IR operations → a version's `operations` module (one typed request value per operation, with
//! its `Operation` impl) and its `client` module (calls grouped by tag: `contacts()`, `notes()`…).

use std::collections::BTreeMap;

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::docs::doc_attr;
use crate::emit_models::{ident, ty_tokens_in};
use crate::ir::{Ty, TypeDef, TypeKind};
use crate::naming;
use crate::operations::{Body, BodyEncoding, FormPart, Operation, Param, ParamLocation, SuccessKind};
use crate::policy::{FieldRule, Policy};

/// The header every operation declares; the runtime sends it from the module's version.
pub const VERSION_HEADER: &str = "Intercom-Version";

/// The operation's fields, in constructor order: required first.
pub struct OpFields<'a> {
    pub params: Vec<&'a Param>,
}

pub fn fields_of(op: &Operation) -> OpFields<'_> {
    // The `Intercom-Version` header is the module's (`Operation::VERSION`), never a parameter: a
    // `v2_11` operation that could send `2.7` would decode a 2.7 answer as 2.11 types.
    // A header with one allowed value (`Accept: application/octet-stream`) is the operation's own.
    let mut params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| !(p.location == ParamLocation::Header && p.wire.eq_ignore_ascii_case(VERSION_HEADER)))
        .filter(|p| !p.is_constant_header())
        .collect();
    params.sort_by_key(|p| !p.required);
    OpFields { params }
}

pub fn param_field_name(p: &Param) -> String {
    // `body` is the struct's own field.
    match p.rust.as_str() {
        "body" => format!("{}_param", p.rust),
        other => other.to_string(),
    }
}

fn models() -> TokenStream {
    quote!(super::models)
}

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

fn op_doc(op: &Operation) -> String {
    let mut parts = Vec::new();
    if let Some(s) = &op.summary {
        parts.push(s.clone());
    }
    if let Some(d) = &op.description {
        parts.push(d.clone());
    }
    parts.push(format!("`{} {}` (operationId `{}`)", op.method, op.path, op.id));
    let constants: Vec<String> = op
        .params
        .iter()
        .filter(|p| p.is_constant_header())
        .map(|p| format!("`{}: {}`", p.wire, p.constant.as_deref().unwrap_or_default()))
        .collect();
    if !constants.is_empty() {
        parts.push(format!("Sends {} itself (the only value the description allows).", constants.join(", ")));
    }
    if let Some(Body { encoding: BodyEncoding::Multipart(form), .. }) = &op.body {
        let described: Vec<String> = form
            .iter()
            .map(|p| match &p.file {
                Some(file) => format!("`{}` as a file (`{}`, `{}`)", p.wire, file.filename, file.content_type),
                None => format!("`{}` as text", p.wire),
            })
            .collect();
        parts.push(format!(
            "The body is sent as `multipart/form-data`, one part per member that is set: {}.",
            described.join(", ")
        ));
    }
    match op.success.kind {
        SuccessKind::Binary => parts.push(
            "Output: the response body as raw bytes ([`bytes::Bytes`](::bytes::Bytes)), e.g. the exported file.".into(),
        ),
        SuccessKind::Redirect => parts.push(
            "Output: the `Location` header of the redirect the operation answers with (for Intercom, a signed URL). \
             The client never follows redirects: fetch the location yourself, without this client's token."
                .into(),
        ),
        SuccessKind::Json | SuccessKind::Empty | SuccessKind::Text => {}
    }
    parts.join("\n\n")
}

pub fn operations_module(ops: &[Operation], types: &BTreeMap<String, TypeDef>, policy: &Policy) -> TokenStream {
    let items = ops.iter().map(|op| {
        let item = operation(op, types, policy);
        let paging = match crate::pagination::detect(op, types, policy) {
            crate::pagination::Detection::Paginated { impl_tokens, .. } => Some(impl_tokens),
            _ => None,
        };
        quote!(#item #paging)
    });
    let allows = crate::docs::upstream_prose_allows();
    quote! {
        #allows
        //! One typed request value per operation. Each implements
        //! [`Operation`](crate::runtime::Operation): build it, then send it with a
        //! [`Client`](crate::client::Client) or turn it into an `http::Request` yourself.
        #(#items)*
    }
}

fn operation(op: &Operation, types: &BTreeMap<String, TypeDef>, policy: &Policy) -> TokenStream {
    let m = models();
    let name = ident(&op.type_name);
    let doc = doc_attr(Some(&op_doc(op)));
    let f = fields_of(op);
    let output = op.success.ty.as_ref().map(|t| ty_tokens_in(t, &m)).unwrap_or_else(|| quote!(()));
    let kind = format_ident!("{}", op.success.kind.runtime_name());

    let mut fields = Vec::new();
    let mut ctor_args = Vec::new();
    let mut ctor_inits = Vec::new();
    for p in &f.params {
        let fname = ident(&param_field_name(p));
        let ty = ty_tokens_in(&p.ty, &m);
        let fdoc = doc_attr(p.doc.as_deref());
        if p.required {
            fields.push(quote! { #fdoc pub #fname: #ty, });
            if p.ty == Ty::String {
                ctor_args.push(quote!(#fname: impl ::std::convert::Into<::std::string::String>));
                ctor_inits.push(quote!(#fname: #fname.into(),));
            } else {
                ctor_args.push(quote!(#fname: #ty));
                ctor_inits.push(quote!(#fname,));
            }
        } else {
            fields.push(quote! { #fdoc pub #fname: ::std::option::Option<#ty>, });
            ctor_inits.push(quote!(#fname: ::std::option::Option::None,));
        }
    }
    let body_method = match &op.body {
        Some(b) => {
            let ty = ty_tokens_in(&b.ty, &m);
            let required = b.required_or_unspecified();
            if required {
                fields.push(quote! { /// The request body.
                pub body: #ty, });
                ctor_args.push(quote!(body: #ty));
                ctor_inits.push(quote!(body,));
            } else {
                fields.push(quote! { /// The request body (optional).
                pub body: ::std::option::Option<#ty>, });
                ctor_inits.push(quote!(body: ::std::option::Option::None,));
            }
            match (&b.encoding, required) {
                (BodyEncoding::Multipart(parts), _) => multipart_body(b, parts, required, types, policy),
                (BodyEncoding::Json, true) => quote! {
                    fn body(&self) -> ::std::result::Result<::std::option::Option<::std::vec::Vec<u8>>, ::intercom_api::runtime::Error> {
                        ::serde_json::to_vec(&self.body).map(::std::option::Option::Some).map_err(::intercom_api::runtime::Error::Encode)
                    }
                },
                (BodyEncoding::Json, false) => quote! {
                    fn body(&self) -> ::std::result::Result<::std::option::Option<::std::vec::Vec<u8>>, ::intercom_api::runtime::Error> {
                        self.body.as_ref().map(|b| ::serde_json::to_vec(b).map_err(::intercom_api::runtime::Error::Encode)).transpose()
                    }
                },
            }
        }
        None => quote! {
            fn body(&self) -> ::std::result::Result<::std::option::Option<::std::vec::Vec<u8>>, ::intercom_api::runtime::Error> {
                ::std::result::Result::Ok(::std::option::Option::None)
            }
        },
    };
    // Path: the template with each `{param}` replaced by its encoded value.
    let (path_fmt, path_args) = path_format(op, &f.params);
    let query_pushes = f.params.iter().filter(|p| p.location == ParamLocation::Query).map(|p| {
        let wire = &p.wire;
        let fname = ident(&param_field_name(p));
        let explode = p.explode;
        if p.required {
            quote!(query.push(#wire, &self.#fname, #explode)?;)
        } else {
            quote!(if let ::std::option::Option::Some(value) = &self.#fname { query.push(#wire, value, #explode)?; })
        }
    });
    let constant_pushes = op.params.iter().filter(|p| p.is_constant_header()).map(|p| {
        let wire = &p.wire;
        let value = p.constant.as_deref().unwrap_or_default();
        quote!(headers.push((#wire, ::std::string::String::from(#value)));)
    });
    let header_pushes: Vec<TokenStream> = constant_pushes
        .chain(f.params.iter().filter(|p| p.location == ParamLocation::Header).map(|p| {
            let wire = &p.wire;
            let fname = ident(&param_field_name(p));
            if p.required {
                quote!(headers.push((#wire, ::intercom_api::runtime::params::header_value(&self.#fname)?));)
            } else {
                quote!(if let ::std::option::Option::Some(value) = &self.#fname { headers.push((#wire, ::intercom_api::runtime::params::header_value(value)?)); })
            }
        }))
        .collect();
    let headers_method = (!header_pushes.is_empty()).then(|| {
        quote! {
            fn headers(&self, headers: &mut ::std::vec::Vec<(&'static str, ::std::string::String)>) -> ::std::result::Result<(), ::intercom_api::runtime::Error> {
                #(#header_pushes)*
                ::std::result::Result::Ok(())
            }
        }
    });
    let method = format_ident!("{}", op.method);
    let path = &op.path;
    let op_id = &op.id;
    let version_value = match &op.version_value {
        Some(v) => quote!(#v),
        None => quote!(super::VERSION),
    };
    let path_expr = if path_args.is_empty() {
        quote!(::std::string::String::from(#path_fmt))
    } else {
        quote!(::std::format!(#path_fmt #(, #path_args)*))
    };
    // Operations without required arguments also get `Default` (what `new()` returns).
    let default = ctor_args.is_empty().then(|| quote!(::std::default::Default,));
    let query_var =
        if f.params.iter().any(|p| p.location == ParamLocation::Query) { quote!(query) } else { quote!(_query) };
    quote! {
        #doc
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq, #default)]
        pub struct #name { #(#fields)* }

        impl #name {
            /// The operation with its required parameters; optional ones start unset.
            pub fn new(#(#ctor_args),*) -> Self {
                Self { #(#ctor_inits)* }
            }
        }

        impl ::intercom_api::runtime::Operation for #name {
            type Output = #output;
            const METHOD: ::http::Method = ::http::Method::#method;
            const PATH: &'static str = #path;
            const OPERATION_ID: &'static str = #op_id;
            const VERSION: &'static str = #version_value;
            const SUCCESS_BODY: ::intercom_api::runtime::SuccessBody = ::intercom_api::runtime::SuccessBody::#kind;

            fn path(&self) -> ::std::result::Result<::std::string::String, ::intercom_api::runtime::Error> {
                ::std::result::Result::Ok(#path_expr)
            }

            fn query(&self, #query_var: &mut ::intercom_api::runtime::params::Query) -> ::std::result::Result<(), ::intercom_api::runtime::Error> {
                #(#query_pushes)*
                ::std::result::Result::Ok(())
            }

            #headers_method
            #body_method
        }
    }
}

/// `request_body` of a `multipart/form-data` operation (one part per member that is set, in
/// declaration order) and `body` as its bytes.
fn multipart_body(
    body: &Body,
    parts: &[FormPart],
    required: bool,
    types: &BTreeMap<String, TypeDef>,
    policy: &Policy,
) -> TokenStream {
    let (owner, fields) = match &body.ty {
        Ty::Named(name) => match types.get(name).map(|d| &d.kind) {
            Some(TypeKind::Struct(fields)) => (name.as_str(), fields.as_slice()),
            _ => ("", &[][..]),
        },
        _ => ("", &[][..]),
    };
    let adds = parts.iter().filter_map(|part| {
        let field = fields.iter().find(|f| f.wire == part.wire)?;
        let fname = ident(&field.rust);
        let wire = &part.wire;
        let add = match &part.file {
            Some(file) => {
                let (filename, content_type) = (&file.filename, &file.content_type);
                quote!(form.file(#wire, #filename, #content_type, value)?;)
            }
            None => quote!(form.text(#wire, value)?;),
        };
        Some(if policy.rule(owner, field) == FieldRule::RequiredInput {
            quote! { { let value = &body.#fname; #add } }
        } else {
            quote! { if let ::std::option::Option::Some(value) = &body.#fname { #add } }
        })
    });
    // Undeclared members kept in `extra_` are text parts too (after the declared ones), unless a
    // declared member that is set has the same name; JSON encoding leaves them out the same way.
    let extra = (!fields.is_empty() && crate::emit_models::has_extra(owner, fields, policy)).then(|| {
        let checks = fields.iter().map(|f| {
            let fname = ident(&f.rust);
            let wire = &f.wire;
            quote!((name == #wire && body.#fname.is_some()))
        });
        quote! {
            for (name, value) in &body.extra_ {
                if !(#(#checks)||*) {
                    form.text(name, value)?;
                }
            }
        }
    });
    let bind = if required {
        quote!(let body = &self.body;)
    } else {
        quote!(let ::std::option::Option::Some(body) = &self.body else { return ::std::result::Result::Ok(::std::option::Option::None) };)
    };
    quote! {
        fn body(&self) -> ::std::result::Result<::std::option::Option<::std::vec::Vec<u8>>, ::intercom_api::runtime::Error> {
            ::std::result::Result::Ok(self.request_body()?.map(|b| b.bytes))
        }

        fn request_body(&self) -> ::std::result::Result<::std::option::Option<::intercom_api::runtime::RequestBody>, ::intercom_api::runtime::Error> {
            #bind
            let mut form = ::intercom_api::runtime::multipart::Form::new();
            #(#adds)*
            #extra
            ::std::result::Result::Ok(::std::option::Option::Some(form.finish()))
        }
    }
}

fn path_format(op: &Operation, params: &[&Param]) -> (String, Vec<TokenStream>) {
    let mut fmt = String::new();
    let mut args = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').map(|e| start + e).unwrap_or(rest.len() - 1);
        fmt.push_str(&rest[..start]);
        let name = &rest[start + 1..end];
        fmt.push_str("{}");
        let field = params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.wire == name)
            .map(|p| param_field_name(p))
            .unwrap_or_else(|| naming::field_name(name));
        let fid = ident(&field);
        let op_id = &op.id;
        // Refuses empty and dot-segment values, which URL normalisation would turn into another endpoint.
        args.push(quote!(::intercom_api::runtime::params::path_param(#op_id, #name, &self.#fid)?));
        rest = &rest[end + 1..];
    }
    fmt.push_str(rest);
    (fmt, args)
}

/// `impl Client { fn v2_11() }` and the tag groups with one method per operation.
pub fn client_module(module: &str, ops: &[Operation]) -> TokenStream {
    let module_id = ident(module);
    let groups = tag_groups(ops);
    let accessors = groups.iter().map(|g| {
        let method = ident(&g.method);
        let group = format_ident!("{}", g.type_name);
        let doc = crate::docs::clean(&format!("Operations tagged `{}`.", g.tag));
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> #group<'a> { #group { client: self.client } }
        }
    });
    let group_defs = groups.iter().map(|g| {
        let group = format_ident!("{}", g.type_name);
        let group_doc = crate::docs::clean(&format!("Calls of the `{}` group.", g.tag));
        let methods = g.ops.iter().map(|op| {
            let f = fields_of(op);
            let fn_name = ident(&op.fn_name);
            let op_ty = ident(&op.type_name);
            let doc = doc_attr(Some(&client_method_doc(op)));
            let mut args = Vec::new();
            let mut pass = Vec::new();
            for p in f.params.iter().filter(|p| p.required) {
                let fname = ident(&param_field_name(p));
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
                #doc
                pub fn #fn_name(&self, #(#args),*) -> ::intercom_api::client::Call<super::operations::#op_ty> {
                    self.client.call(super::operations::#op_ty::new(#(#pass),*))
                }
            }
        });
        quote! {
            #[doc = #group_doc]
            #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug)]
            pub struct #group<'a> { client: &'a ::intercom_api::client::Client }
            impl<'a> #group<'a> { #(#methods)* }
        }
    });
    let setters = ops.iter().filter_map(call_setters);
    let allows = crate::docs::upstream_prose_allows();
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
        pub struct Api<'a> { client: &'a ::intercom_api::client::Client }
        impl<'a> Api<'a> { #(#accessors)* }
        #(#group_defs)*
        #(#setters)*
    }
}

/// Methods of [`Call`](intercom_api::client::Call) itself; a setter by one of these names would
/// shadow it, so such a setter gets a `_param` suffix.
const CALL_METHODS: &[&str] = &[
    "with",
    "header",
    "timeout",
    "max_retries",
    "retry_policy",
    "response",
    "pages",
    "pages_from",
    "items",
    "items_from",
    "operation",
    "into_future",
];

/// One setter per optional parameter (and optional body) on the operation's `Call`, so that
/// `.per_page(50).starting_after(cursor)` reads like the rest of the call's builder. The doc links
/// the operation's field, which carries the upstream prose.
fn call_setters(op: &Operation) -> Option<TokenStream> {
    let m = models();
    let op_ty = ident(&op.type_name);
    let mut setters: Vec<TokenStream> = Vec::new();
    let mut optional: Vec<(String, &Ty)> =
        fields_of(op).params.iter().filter(|p| !p.required).map(|p| (param_field_name(p), &p.ty)).collect();
    if let Some(b) = op.body.as_ref().filter(|b| !b.required_or_unspecified()) {
        optional.push(("body".to_string(), &b.ty));
    }
    for (field, ty) in optional {
        let setter = if CALL_METHODS.contains(&field.as_str()) { format!("{field}_param") } else { field.clone() };
        let (setter, field_id) = (ident(&setter), ident(&field));
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

/// One accessor of a version's `Api` and the group type it returns.
struct TagGroup<'o> {
    /// The first tag (in name order) that maps to this group.
    tag: String,
    method: String,
    type_name: String,
    ops: Vec<&'o Operation>,
}

/// Operations grouped by tag, in tag order. Tags that map to the same Rust names (`Data Events`,
/// `data-events`) share one group, each operation listed once.
fn tag_groups(ops: &[Operation]) -> Vec<TagGroup<'_>> {
    let mut by_tag: BTreeMap<String, Vec<&Operation>> = BTreeMap::new();
    for op in ops {
        let tags = if op.tags.is_empty() { vec!["Other".to_string()] } else { op.tags.clone() };
        for t in tags {
            by_tag.entry(t).or_default().push(op);
        }
    }
    let mut groups: Vec<TagGroup<'_>> = Vec::new();
    for (tag, ops) in by_tag {
        let method = naming::field_name(&tag.to_snake_case());
        let type_name = format!("{}Api", naming::type_name(&method));
        match groups.iter_mut().find(|g| g.method == method || g.type_name == type_name) {
            Some(group) => {
                for op in ops {
                    if !group.ops.iter().any(|o| std::ptr::eq(*o, op)) {
                        group.ops.push(op);
                    }
                }
            }
            None => groups.push(TagGroup { tag, method, type_name, ops }),
        }
    }
    groups
}

/// Test support: builds each operation from JSON arguments through its typed fields and sends it
/// with the client, so a mock server can check every operation (generated/tests/prism.rs).
pub fn mock_dispatch(
    module: &str,
    ops: &[Operation],
    types: &BTreeMap<String, TypeDef>,
    policy: &Policy,
) -> TokenStream {
    let module_id = ident(module);
    let arms = ops.iter().map(|op| {
        // A paginated operation is also walked to its second page, through the client's stream.
        let send = match crate::pagination::detect(op, types, policy) {
            crate::pagination::Detection::Paginated { .. } => quote!(send_paged),
            _ => quote!(send),
        };
        let f = fields_of(op);
        let op_ty = ident(&op.type_name);
        let op_id = &op.id;
        let mut inits: Vec<TokenStream> = f
            .params
            .iter()
            .map(|p| {
                let fname = ident(&param_field_name(p));
                let wire = &p.wire;
                if p.required {
                    quote!(#fname: crate::arg(args, #wire)?,)
                } else {
                    quote!(#fname: crate::opt(args, #wire)?,)
                }
            })
            .collect();
        if let Some(b) = &op.body {
            inits.push(if b.required_or_unspecified() {
                quote!(body: crate::body(args)?,)
            } else {
                quote!(body: crate::opt_body(args)?,)
            });
        }
        quote! {
            #op_id => ::std::option::Option::Some(async {
                let operation = ops::#op_ty { #(#inits)* };
                crate::#send(client, operation, args).await
            }.await),
        }
    });
    quote! {
        use ::intercom_api::#module_id::operations as ops;
        /// Sends operation `operation_id` built from `args`; `None` for an unknown operationId.
        pub async fn call(client: &::intercom_api::Client, operation_id: &str, args: &crate::Args) -> ::std::option::Option<::std::result::Result<crate::Outcome, ::std::string::String>> {
            match operation_id {
                #(#arms)*
                _ => ::std::option::Option::None,
            }
        }
    }
}

/// The index of the mock dispatchers: one feature-gated module per version.
pub fn mock_index(versions: &[(String, String)]) -> TokenStream {
    let features: Vec<&String> = versions.iter().map(|(_, m)| m).collect();
    let files = features.iter().map(|m| format!("{m}.rs"));
    let idents: Vec<proc_macro2::Ident> = features.iter().map(|m| ident(m)).collect();
    let names: Vec<&String> = versions.iter().map(|(n, _)| n).collect();
    quote! {
        #(
            #[cfg(feature = #features)]
            #[path = #files]
            pub mod #idents;
        )*
        /// Whether `version` (`2.11`) is compiled in.
        pub fn enabled(version: &str) -> bool {
            match version {
                #(#[cfg(feature = #features)] #names => true,)*
                _ => false,
            }
        }
        /// Dispatches to the version's module; `None` when the version or operation is unknown.
        pub async fn call(version: &str, client: &::intercom_api::Client, operation_id: &str, args: &crate::Args) -> ::std::option::Option<::std::result::Result<crate::Outcome, ::std::string::String>> {
            match version {
                #(#[cfg(feature = #features)] #names => #idents::call(client, operation_id, args).await,)*
                _ => ::std::option::Option::None,
            }
        }
    }
}
