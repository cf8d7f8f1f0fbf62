//! IR operations → a version's `operations` module: one typed request value per operation, with
//! its `Operation` impl. The client groups are `emit_client.rs`, the test dispatch `emit_dispatch.rs`.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::docs::doc_attr;
use crate::ir::FieldRule;
use crate::ir::{Body, BodyEncoding, FormPart, Operation, Param, ParamLocation, SuccessKind};
use crate::ir::{Resources, Ty, TypeDef, TypeKind};
use crate::tokens::{ident, models, ty_tokens_in};

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

pub fn operations_module(ops: &[Operation], types: &BTreeMap<String, TypeDef>, resources: &Resources) -> TokenStream {
    let items = ops.iter().enumerate().map(|(i, op)| {
        let item = operation(op, types);
        let paging = crate::emit_pagination::paginated_impl(op);
        crate::gate::items(resources.operation_gate(i), resources, quote!(#item #paging))
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

fn operation(op: &Operation, types: &BTreeMap<String, TypeDef>) -> TokenStream {
    let m = models();
    let name = ident(&op.type_name);
    let doc = doc_attr(Some(&op_doc(op)));
    let params = op.caller_params();
    let output = op.success.ty.as_ref().map(|t| ty_tokens_in(t, &m)).unwrap_or_else(|| quote!(()));
    let kind = format_ident!("{}", op.success.kind.runtime_name());
    let Members { fields, ctor_args, ctor_inits } = members(op, &params);
    let body_method = body_method(op, types);
    let query_method = query_method(&params);
    let headers_method = headers_method(op, &params);
    let method = format_ident!("{}", op.method);
    let path = &op.path;
    let op_id = &op.id;
    let version_value = match &op.version_value {
        Some(v) => quote!(#v),
        None => quote!(super::VERSION),
    };
    // Path: the template with each `{param}` replaced by its encoded value.
    let (path_fmt, path_args) = path_format(op, &params);
    let path_expr = if path_args.is_empty() {
        quote!(::std::string::String::from(#path_fmt))
    } else {
        quote!(::std::format!(#path_fmt #(, #path_args)*))
    };
    // Operations without required arguments also get `Default` (what `new()` returns).
    let default = ctor_args.is_empty().then(|| quote!(::std::default::Default,));
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

            #query_method
            #headers_method
            #body_method
        }
    }
}

/// The operation struct's fields, and `new`'s arguments and initialisers: parameters (required
/// first) then the body.
struct Members {
    fields: Vec<TokenStream>,
    ctor_args: Vec<TokenStream>,
    ctor_inits: Vec<TokenStream>,
}

fn members(op: &Operation, params: &[&Param]) -> Members {
    let m = models();
    let mut out = Members { fields: Vec::new(), ctor_args: Vec::new(), ctor_inits: Vec::new() };
    for p in params {
        let fname = ident(&p.field);
        let ty = ty_tokens_in(&p.ty, &m);
        let fdoc = doc_attr(p.doc.as_deref());
        if p.required {
            out.fields.push(quote! { #fdoc pub #fname: #ty, });
            if p.ty == Ty::String {
                out.ctor_args.push(quote!(#fname: impl ::std::convert::Into<::std::string::String>));
                out.ctor_inits.push(quote!(#fname: #fname.into(),));
            } else {
                out.ctor_args.push(quote!(#fname: #ty));
                out.ctor_inits.push(quote!(#fname,));
            }
        } else {
            out.fields.push(quote! { #fdoc pub #fname: ::std::option::Option<#ty>, });
            out.ctor_inits.push(quote!(#fname: ::std::option::Option::None,));
        }
    }
    if let Some(b) = &op.body {
        let ty = ty_tokens_in(&b.ty, &m);
        if b.required_or_unspecified() {
            out.fields.push(quote! { /// The request body.
            pub body: #ty, });
            out.ctor_args.push(quote!(body: #ty));
            out.ctor_inits.push(quote!(body,));
        } else {
            out.fields.push(quote! { /// The request body (optional).
            pub body: ::std::option::Option<#ty>, });
            out.ctor_inits.push(quote!(body: ::std::option::Option::None,));
        }
    }
    out
}

/// `Operation::body`: the body encoded as its media type requires, or none.
fn body_method(op: &Operation, types: &BTreeMap<String, TypeDef>) -> TokenStream {
    let Some(b) = &op.body else {
        return quote! {
            fn body(&self) -> ::std::result::Result<::std::option::Option<::std::vec::Vec<u8>>, ::intercom_api::runtime::Error> {
                ::std::result::Result::Ok(::std::option::Option::None)
            }
        };
    };
    let required = b.required_or_unspecified();
    match (&b.encoding, required) {
        (BodyEncoding::Multipart(parts), _) => multipart_body(b, parts, required, types),
        (BodyEncoding::Json, true) => quote! {
            fn body(&self) -> ::std::result::Result<::std::option::Option<::std::vec::Vec<u8>>, ::intercom_api::runtime::Error> {
                ::intercom_api::runtime::ser::json_body(&self.body).map(::std::option::Option::Some)
            }
        },
        (BodyEncoding::Json, false) => quote! {
            fn body(&self) -> ::std::result::Result<::std::option::Option<::std::vec::Vec<u8>>, ::intercom_api::runtime::Error> {
                self.body.as_ref().map(::intercom_api::runtime::ser::json_body).transpose()
            }
        },
    }
}

/// `Operation::query`: each query parameter that is set, encoded by the runtime.
fn query_method(params: &[&Param]) -> TokenStream {
    let query_pushes = params.iter().filter(|p| p.location == ParamLocation::Query).map(|p| {
        let wire = &p.wire;
        let fname = ident(&p.field);
        let explode = p.explode;
        if p.required {
            quote!(query.push(#wire, &self.#fname, #explode)?;)
        } else {
            quote!(if let ::std::option::Option::Some(value) = &self.#fname { query.push(#wire, value, #explode)?; })
        }
    });
    let query_var =
        if params.iter().any(|p| p.location == ParamLocation::Query) { quote!(query) } else { quote!(_query) };
    quote! {
        fn query(&self, #query_var: &mut ::intercom_api::runtime::params::Query) -> ::std::result::Result<(), ::intercom_api::runtime::Error> {
            #(#query_pushes)*
            ::std::result::Result::Ok(())
        }
    }
}

/// `Operation::headers`, when the operation sends any: its single-value headers, then the header
/// parameters that are set.
fn headers_method(op: &Operation, params: &[&Param]) -> Option<TokenStream> {
    let constant_pushes = op.params.iter().filter(|p| p.is_constant_header()).map(|p| {
        let wire = &p.wire;
        let value = p.constant.as_deref().unwrap_or_default();
        quote!(headers.push((#wire, ::std::string::String::from(#value)));)
    });
    let header_pushes: Vec<TokenStream> = constant_pushes
        .chain(params.iter().filter(|p| p.location == ParamLocation::Header).map(|p| {
            let wire = &p.wire;
            let fname = ident(&p.field);
            if p.required {
                quote!(headers.push((#wire, ::intercom_api::runtime::params::header_value(&self.#fname)?));)
            } else {
                quote!(if let ::std::option::Option::Some(value) = &self.#fname { headers.push((#wire, ::intercom_api::runtime::params::header_value(value)?)); })
            }
        }))
        .collect();
    (!header_pushes.is_empty()).then(|| {
        quote! {
            fn headers(&self, headers: &mut ::std::vec::Vec<(&'static str, ::std::string::String)>) -> ::std::result::Result<(), ::intercom_api::runtime::Error> {
                #(#header_pushes)*
                ::std::result::Result::Ok(())
            }
        }
    })
}

/// `request_body` of a `multipart/form-data` operation (one part per member that is set, in
/// declaration order) and `body` as its bytes.
fn multipart_body(body: &Body, parts: &[FormPart], required: bool, types: &BTreeMap<String, TypeDef>) -> TokenStream {
    let fields = match &body.ty {
        Ty::Named(name) => match types.get(name).map(|d| &d.kind) {
            Some(TypeKind::Struct(fields)) => fields.as_slice(),
            _ => &[][..],
        },
        _ => &[][..],
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
        Some(if field.rule == FieldRule::RequiredInput {
            quote! { { let value = &body.#fname; #add } }
        } else {
            quote! { if let ::std::option::Option::Some(value) = &body.#fname { #add } }
        })
    });
    // Undeclared members kept in `extra_` are text parts too (after the declared ones); one that
    // names a declared member that is set is refused, as JSON encoding refuses it
    // (`runtime::ser::extra`).
    let extra = (!fields.is_empty()).then(|| {
        let checks = fields.iter().map(|f| {
            let fname = ident(&f.rust);
            let wire = &f.wire;
            if f.rule == FieldRule::RequiredInput {
                quote!((name == #wire))
            } else {
                quote!((name == #wire && body.#fname.is_some()))
            }
        });
        quote! {
            for (name, value) in &body.extra_ {
                if #(#checks)||* {
                    return ::std::result::Result::Err(::intercom_api::runtime::Error::InvalidRequest(::std::format!(
                        "request body: `extra_` member `{name}` is a declared member, and it is set: set only the field"
                    )));
                }
                form.text(name, value)?;
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
        // Lowering gives every template segment a path parameter (one it synthesizes if undeclared).
        let field = params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.wire == name)
            .map(|p| p.field.as_str())
            .expect("every path template segment has a parameter");
        let fid = ident(field);
        let op_id = &op.id;
        // Refuses empty and dot-segment values, which URL normalisation would turn into another endpoint.
        args.push(quote!(::intercom_api::runtime::params::path_param(#op_id, #name, &self.#fid)?));
        rest = &rest[end + 1..];
    }
    fmt.push_str(rest);
    (fmt, args)
}
