//! Test support, not SDK: the dispatch that builds each operation from JSON arguments for the Prism
//! suite (`generated/tests/mock/`), and its index over the versions.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::Operation;
use crate::tokens::ident;

/// Test support: builds each operation from JSON arguments through its typed fields and sends it
/// with the client, so a mock server can check every operation (generated/tests/prism.rs).
pub fn mock_dispatch(module: &str, ops: &[Operation]) -> TokenStream {
    let module_id = ident(module);
    let arms = ops.iter().map(|op| {
        // A paginated operation is also walked to its second page, through the client's stream.
        let send = match op.paging {
            crate::ir::Paging::Paginated(_) => quote!(send_paged),
            _ => quote!(send),
        };
        let params = op.caller_params();
        let op_ty = ident(&op.type_name);
        let op_id = &op.id;
        let mut inits: Vec<TokenStream> = params
            .iter()
            .map(|p| {
                let fname = ident(&p.field);
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
    let idents: Vec<proc_macro2::Ident> = features.iter().map(|m| ident(m)).collect();
    let names: Vec<&String> = versions.iter().map(|(n, _)| n).collect();
    let modules = version_modules(versions);
    quote! {
        #modules
        /// Dispatches to the version's module; `None` when the version or operation is unknown.
        pub async fn call(version: &str, client: &::intercom_api::Client, operation_id: &str, args: &crate::Args) -> ::std::option::Option<::std::result::Result<crate::Outcome, ::std::string::String>> {
            match version {
                #(#[cfg(feature = #features)] #names => #idents::call(client, operation_id, args).await,)*
                _ => ::std::option::Option::None,
            }
        }
    }
}

/// The part every per-version test index shares: one feature-gated module per version (its file
/// beside the index), and `enabled(version)`. `versions` are (name, module) pairs.
pub fn version_modules(versions: &[(String, String)]) -> TokenStream {
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
    }
}
