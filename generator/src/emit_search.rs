//! A version's `search.rs`: one module per search operation with an "Accepted Fields" table
//! (`search.rs` decides which and what they hold), each with a function per field returning the
//! runtime handle of the field's type, the conversion of a query into the operation's request
//! body, and a `search` method on the operation's client group.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use std::collections::BTreeSet;

use crate::config::SearchFieldType;
use crate::gate;
use crate::ir::{Ir, Operation};
use crate::search::{SearchField, SearchResource};
use crate::search_operators::{SearchOperator, TABLE_TYPES};
use crate::tokens::ident;

pub fn search_module(version: &str, ir: &Ir, resources: &[SearchResource]) -> TokenStream {
    let modules = resources.iter().map(|r| {
        let gates = &ir.resources;
        let module = resource_module(version, ir, &ir.operations[r.operation], r);
        gate::items(gates.operation_gate(r.operation), gates, module)
    });
    let allows = crate::docs::upstream_prose_allows();
    let doc = format!(
        " Typed search queries for API version {version}: one module per search, its fields read from the \
         operation's \"Accepted Fields\" table. The query tree, the operators each field type has and the \
         checks made before sending: [`runtime::search`](crate::runtime::search)."
    );
    quote! {
        #allows
        #![doc = #doc]
        #(#modules)*
    }
}

fn resource_module(version: &str, ir: &Ir, op: &Operation, r: &SearchResource) -> TokenStream {
    let module = ident(&r.resource);
    let body = ident(&r.body_type);
    let op_ty = ident(&op.type_name);
    let call = ident(&op.fn_name);
    let doc = format!(
        " Queries for `{} {}` (`{}`), API version {version}: the {} fields its description lists.",
        op.method,
        op.path,
        op.fn_name,
        r.fields.len()
    );
    let type_rules = TABLE_TYPES
        .into_iter()
        .map(|t| (t, r.type_operators(t)))
        .filter(|(_, ops)| !ops.is_empty())
        .collect::<Vec<_>>();
    // One constant per type's operator list, shared by the rules and the fields of that type.
    let list_consts = type_rules.iter().map(|(t, ops)| {
        let name = type_list_const(*t);
        let ops = operator_list(ops);
        quote!(const #name: &[s::Operator] = #ops;)
    });
    let infos = r.fields.iter().map(|f| {
        let name = &f.name;
        let ty = format_ident!("{}", f.field_type.label());
        let ops = if f.own_operators || f.operators.is_empty() {
            operator_list(&f.operators)
        } else {
            let list = type_list_const(f.field_type);
            quote!(#list)
        };
        quote!(s::FieldInfo::new(#name, s::FieldType::#ty, #ops))
    });
    let functions = r.fields.iter().map(field_function);
    let allows = type_rules.iter().map(|(t, ops)| allows_impls(&quote!(Resource), *t, ops));
    let rules = type_rules.iter().map(|(t, _)| {
        let ty = format_ident!("{}", t.label());
        let list = type_list_const(*t);
        quote!((s::FieldType::#ty, #list))
    });
    let table = crate::search::operator_table(r, true);
    let rules_doc = format!(
        " The operators this search accepts on a field of each type, as its description's \"Accepted \
         Operators\" section gives them: {table}. A field handle has a method for an operator only \
         where its rules implement [`Allows`](s::Allows) for it; a custom attribute typed at run time \
         ([`typed`](s::CustomAttribute::typed)) is checked against [`OPERATORS`](s::SearchRules::OPERATORS) \
         before sending."
    );
    let search_doc = format!(
        " `{} {}` with a typed query: the query is checked and converted first (a violation is \
         [`Error::InvalidRequest`](crate::Error::InvalidRequest) and nothing is sent), then this is \
         [`{}`](Self::{}) with that body. Set pagination or sorting on the returned call \
         (`.with(|op| …)`).",
        op.method, op.path, op.fn_name, op.fn_name
    );
    let client = r.client_group.as_ref().map(|group| {
        // The group may need fewer features than the operation has (its other tags' groups), and
        // the method it calls those of the operation's tags that name the group.
        let group_gate = ir
            .client_groups
            .iter()
            .position(|g| &g.type_name == group)
            .map(|g| {
                let method = ir.client_groups[g].operations.iter().position(|&i| i == r.operation);
                let method_gate = method.map(|m| gate::cfg_only(ir.resources.group_method_gate(g, m), &ir.resources));
                let group_gate = gate::attrs(ir.resources.group_gate(g), &ir.resources);
                quote!(#group_gate #method_gate)
            })
            .unwrap_or_default();
        let group = ident(group);
        quote! {
            #[cfg(feature = "client")]
            #group_gate
            impl super::super::client::#group<'_> {
                #[doc = #search_doc]
                pub fn search(
                    &self,
                    query: Query,
                ) -> ::std::result::Result<::intercom_api::client::Call<super::super::operations::#op_ty>, ::intercom_api::Error> {
                    ::std::result::Result::Ok(self.#call(::std::convert::TryFrom::try_from(query)?))
                }
            }
        }
    });
    quote! {
        #[doc = #doc]
        pub mod #module {
            use ::intercom_api::runtime::search as s;
            pub use s::{all_of, any_of};
            /// Marks the queries of this search, so that they cannot be sent to another one, and
            /// carries its operator rules (below).
            #[derive(::std::fmt::Debug)]
            pub enum Resource {}
            #[doc = #rules_doc]
            impl s::SearchRules for Resource {
                const OPERATORS: &'static [(s::FieldType, &'static [s::Operator])] = &[#(#rules),*];
            }
            #(#list_consts)*
            #(#allows)*
            /// A query of this search.
            pub type Query = s::Query<Resource>;
            /// Every row of the description's "Accepted Fields" table that was read, in its order.
            pub const FIELDS: &[s::FieldInfo] = &[#(#infos),*];
            #(#functions)*
            impl ::std::convert::TryFrom<Query> for super::super::models::#body {
                type Error = ::intercom_api::Error;
                /// The body `{"query": …}`, after the checks of [`Query::to_json`](s::Query::to_json).
                fn try_from(query: Query) -> ::std::result::Result<Self, Self::Error> {
                    query.to_body()
                }
            }
            #client
        }
    }
}

fn field_function(f: &SearchField) -> TokenStream {
    let function = ident(&f.function_name());
    let name = &f.name;
    if let Some(prefix) = f.family_prefix() {
        let doc = format!(
            " `{name}`: the member `name` of the family, typed by the caller \
             (`.string()`, `.integer()`, `.date()`, `.boolean()`, or `.typed(…)`)."
        );
        return quote! {
            #[doc = #doc]
            pub fn #function(name: &str) -> s::CustomAttribute<Resource> {
                s::CustomAttribute::new(#prefix, name)
            }
        };
    }
    let handle = match f.field_type {
        SearchFieldType::String => quote!(StringField),
        SearchFieldType::Integer => quote!(IntegerField),
        SearchFieldType::Boolean => quote!(BooleanField),
        SearchFieldType::Date => quote!(DateField),
        SearchFieldType::Datetime => quote!(DatetimeField),
        SearchFieldType::Tag => quote!(TagField),
        // A non-family field of no single type has no typed handle: `Query::raw` reaches it.
        SearchFieldType::Custom => return TokenStream::new(),
    };
    let mut doc = format!(" `{name}` ({})", f.field_type.label());
    match f.field_type {
        SearchFieldType::Date => doc.push_str(", matched by calendar day in the workspace's timezone"),
        SearchFieldType::Datetime => doc.push_str(", matched to the second"),
        _ => {}
    }
    if let Some(fixup) = &f.fixup {
        doc.push_str(&format!("; type set by the fix-up `{fixup}` (`spec/fixups.toml`)"));
    }
    let ops = f.operators.iter().map(|o| format!("`{}`", o.wire())).collect::<Vec<_>>().join(" ");
    doc.push_str(&format!("; operators {ops}."));
    if !f.own_operators {
        return quote! {
            #[doc = #doc]
            pub fn #function() -> s::#handle<Resource> {
                s::#handle::new(#name)
            }
        };
    }
    let marker = rules_marker(f);
    let marker_doc = format!(
        " The operators of `{name}`, which its search's description sets apart from the other {} fields': {ops}.",
        f.field_type.label()
    );
    let allows = allows_impls(&quote!(#marker), f.field_type, &f.operators);
    quote! {
        #[doc = #marker_doc]
        #[derive(::std::fmt::Debug)]
        pub enum #marker {}
        #allows
        #[doc = #doc]
        pub fn #function() -> s::#handle<Resource, #marker> {
            s::#handle::new(#name)
        }
    }
}

/// The rules type of a field with its own operators: `created_at` → `CreatedAtOperators`.
pub fn rules_marker(f: &SearchField) -> proc_macro2::Ident {
    let camel: String = f
        .name
        .split(['_', '.'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars.next().map(|c| c.to_ascii_uppercase()).into_iter().chain(chars).collect::<String>()
        })
        .collect();
    format_ident!("{camel}Operators")
}

/// `impl s::Allows<s::kind::Date, s::op::Ne> for #rules {}`, one per operator.
fn allows_impls(rules: &TokenStream, ty: SearchFieldType, ops: &BTreeSet<SearchOperator>) -> TokenStream {
    let kind = format_ident!("{}", ty.label());
    let impls = ops.iter().map(|o| {
        let op = format_ident!("{}", o.variant());
        quote!(impl s::Allows<s::kind::#kind, s::op::#op> for #rules {})
    });
    quote!(#(#impls)*)
}

/// The private constant of one type's operators: `DATE_OPERATORS`.
fn type_list_const(ty: SearchFieldType) -> proc_macro2::Ident {
    format_ident!("{}_OPERATORS", ty.label().to_ascii_uppercase())
}

/// `&[s::Operator::Eq, …]`.
fn operator_list(ops: &BTreeSet<SearchOperator>) -> TokenStream {
    let ops = ops.iter().map(|o| format_ident!("{}", o.variant()));
    quote!(&[#(s::Operator::#ops),*])
}
