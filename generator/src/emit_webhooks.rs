//! `generated/src/versions/<v>/webhooks.rs`: a version's webhook topics as Rust. The `Topic` enum
//! (with `FromStr` / `AsRef<str>`), the `Event` enum (one variant per topic with a typed item,
//! holding it as the version's model; `Untyped` for a known topic whose item stays JSON; `Ping`;
//! and `Unknown` keeping raw JSON), and `Notification`, the hand-written envelope
//! (`intercom_api::webhooks::Notification`) over that `Event`. Decoding goes through the runtime's
//! `webhooks::decode_item`: the crate's lenient, lossless model decoding.

use proc_macro2::TokenStream;
use quote::quote;

use crate::gate;
use crate::ir::Resources;
use crate::tokens::ident;
use crate::webhooks::VersionTopic;

pub fn webhooks_module(version: &str, topics: &[VersionTopic], resources: &Resources) -> TokenStream {
    let raw_count = topics.iter().filter(|t| t.item.is_none()).count();
    let module_doc = format!(
        " The webhook notifications of Intercom API {version}: the {} topics its reference pages \
         document (`spec/webhook-topics.toml`, with the evidence for each) and `ping`, each with the \
         model its item decodes into ({raw_count} of them with no model: their item is kept as JSON, \
         [`Event::Untyped`]).\n\n Verify, then decode: [`receive`] (or \
         [`intercom_api::webhooks::Verifier`] and [`decode`]).",
        topics.len()
    );
    let all_variants: Vec<_> = topics.iter().map(|t| ident(&t.variant)).collect();
    let wires: Vec<&str> = topics.iter().map(|t| t.topic.as_str()).collect();
    let topic_docs: Vec<String> = topics
        .iter()
        .map(|t| match &t.item {
            Some(item) => format!(" `{}`: the item is a `{}` ([`Event::{}`]).", t.topic, item.model, t.variant),
            None => format!(" `{}`: the item is kept as JSON ([`Event::Untyped`]).", t.topic),
        })
        .collect();
    let typed: Vec<&VersionTopic> = topics.iter().filter(|t| t.item.is_some()).collect();
    let untyped: Vec<&VersionTopic> = topics.iter().filter(|t| t.item.is_none()).collect();
    let variants: Vec<_> = typed.iter().map(|t| ident(&t.variant)).collect();
    let models: Vec<_> = typed.iter().filter_map(|t| t.item.as_ref()).map(|i| ident(&i.model)).collect();
    let event_docs: Vec<String> = typed
        .iter()
        .filter_map(|t| {
            t.item.as_ref().map(|i| format!(" `{}`: the item is a `{}` (`{}`).", t.topic, i.model, i.schema))
        })
        .collect();
    let untyped_variants: Vec<_> = untyped.iter().map(|t| ident(&t.variant)).collect();
    // A typed topic whose model the enabled resource features leave out has no `Event` variant:
    // it decodes as `Event::Untyped` (its `Topic` stays), its item kept as JSON.
    let gates: Vec<_> = typed
        .iter()
        .filter_map(|t| t.item.as_ref())
        .map(|i| gate::attrs(resources.type_gate(&i.model), resources))
        .collect();
    let arm_gates: Vec<_> = typed
        .iter()
        .filter_map(|t| t.item.as_ref())
        .map(|i| gate::cfg_only(resources.type_gate(&i.model), resources))
        .collect();
    // With every typed topic's model left out by the resource features, `decode` decodes nothing.
    let allow_unused = if arm_gates.iter().any(|g| !g.is_empty()) {
        quote!(#[allow(unused_variables, unused_imports)])
    } else {
        TokenStream::new()
    };
    let typed_arms: Vec<TokenStream> = typed
        .iter()
        .filter_map(|t| t.item.as_ref().map(|i| (t, i)))
        .map(|(t, i)| {
            let (wire, variant) = (t.topic.as_str(), ident(&t.variant));
            let gate = resources.type_gate(&i.model);
            let decoded = quote! {
                #wire => decode_item(item, mismatches)
                    .map_or_else(|item| Event::Untyped { topic: Topic::#variant, item }, Event::#variant),
            };
            match gate::cfg_not(gate, resources) {
                None => decoded,
                Some(off) => {
                    let on = gate::cfg_only(gate, resources);
                    quote! {
                        #on #decoded
                        #off #wire => Event::Untyped { topic: Topic::#variant, item },
                    }
                }
            }
        })
        .collect();
    let untyped_wires: Vec<&str> = untyped.iter().map(|t| t.topic.as_str()).collect();
    quote! {
        #![doc = #module_doc]
        #![allow(clippy::large_enum_variant)]

        /// A topic this version documents. `#[non_exhaustive]`: Intercom adds topics; one this
        /// crate does not know is [`Event::Unknown`] when decoded and an error from `FromStr`.
        #[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug, ::std::cmp::PartialEq, ::std::cmp::Eq, ::std::hash::Hash)]
        #[non_exhaustive]
        pub enum Topic {
            #( #[doc = #topic_docs] #all_variants, )*
            /// `ping`: always subscribed; sent when a subscription is pinged.
            Ping,
        }

        impl Topic {
            /// Every topic of this version, `Ping` last.
            pub const ALL: &'static [Topic] = &[ #( Topic::#all_variants, )* Topic::Ping ];

            /// The topic as notifications name it.
            pub fn as_str(self) -> &'static str {
                match self {
                    #( Topic::#all_variants => #wires, )*
                    Topic::Ping => "ping",
                }
            }
        }

        impl ::std::convert::AsRef<str> for Topic {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for Topic {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for Topic {
            type Err = ::intercom_api::webhooks::UnknownTopic;
            fn from_str(s: &str) -> ::std::result::Result<Topic, Self::Err> {
                match s {
                    #( #wires => ::std::result::Result::Ok(Topic::#all_variants), )*
                    "ping" => ::std::result::Result::Ok(Topic::Ping),
                    _ => ::std::result::Result::Err(::intercom_api::webhooks::UnknownTopic::new(s)),
                }
            }
        }

        /// A notification's item, decoded by its topic. Members that drifted from the model are
        /// kept raw in the model's `extra_` and reported as mismatches, never an error.
        ///
        /// A topic whose item has no model yet is [`Event::Untyped`]; when a later table gives it
        /// one, it gains its own variant, and [`Event::topic`] and the encoded item stay the same:
        /// dispatch on `event.topic()` to be unaffected.
        #[derive(::std::clone::Clone, ::std::fmt::Debug, ::std::cmp::PartialEq)]
        #[non_exhaustive]
        pub enum Event {
            #( #gates #[doc = #event_docs] #variants(super::models::#models), )*
            /// `ping`: the item is kept as JSON (no schema describes it).
            Ping { item: ::serde_json::Value },
            /// A topic this version documents whose item is kept as JSON: the reference pages give
            /// it no schema of the description (see its [`Topic`] variant), its model is left out by
            /// the enabled resource features (its variant needs the features shown on it), or the
            /// item is not an object of its model at all (a mismatch at `data.item` says so).
            Untyped { topic: Topic, item: ::serde_json::Value },
            /// A topic this version does not document (added later, or not listed): kept as
            /// received.
            Unknown { topic: ::std::string::String, item: ::serde_json::Value },
        }

        impl Event {
            /// The topic, `None` for [`Event::Unknown`].
            pub fn topic(&self) -> ::std::option::Option<Topic> {
                match self {
                    #( #arm_gates Event::#variants(_) => ::std::option::Option::Some(Topic::#variants), )*
                    Event::Ping { .. } => ::std::option::Option::Some(Topic::Ping),
                    Event::Untyped { topic, .. } => ::std::option::Option::Some(*topic),
                    Event::Unknown { .. } => ::std::option::Option::None,
                }
            }
        }

        impl ::intercom_api::webhooks::Event for Event {
            #allow_unused
            fn decode(
                topic: &str,
                item: ::serde_json::Value,
                mismatches: &mut ::std::vec::Vec<::intercom_api::runtime::Mismatch>,
            ) -> Event {
                use ::intercom_api::webhooks::decode_item;
                match topic {
                    #( #typed_arms )*
                    #( #untyped_wires => Event::Untyped { topic: Topic::#untyped_variants, item }, )*
                    "ping" => Event::Ping { item },
                    _ => Event::Unknown { topic: topic.to_string(), item },
                }
            }
        }

        impl ::serde::Serialize for Event {
            /// The item alone, as it was received.
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #( #arm_gates Event::#variants(item) => item.serialize(serializer), )*
                    Event::Ping { item } | Event::Untyped { item, .. } | Event::Unknown { item, .. } => {
                        item.serialize(serializer)
                    }
                }
            }
        }

        /// A notification of this version: the envelope, its item decoded into [`Event`].
        pub type Notification = ::intercom_api::webhooks::Notification<Event>;

        /// Decodes a verified notification body.
        pub fn decode(
            body: &[u8],
        ) -> ::std::result::Result<::intercom_api::runtime::Decoded<Notification>, ::intercom_api::webhooks::DecodeError> {
            ::intercom_api::webhooks::decode(body)
        }

        /// Verifies a raw body against its `X-Hub-Signature` value, then decodes it.
        pub fn receive(
            verifier: &::intercom_api::webhooks::Verifier,
            body: &[u8],
            signature_header: ::std::option::Option<&[u8]>,
        ) -> ::std::result::Result<::intercom_api::runtime::Decoded<Notification>, ::intercom_api::webhooks::ReceiveError> {
            ::intercom_api::webhooks::receive(verifier, body, signature_header)
        }

        /// [`receive`] from a request whose body has been read.
        pub fn receive_request<B: ::std::convert::AsRef<[u8]>>(
            verifier: &::intercom_api::webhooks::Verifier,
            request: &::http::Request<B>,
        ) -> ::std::result::Result<::intercom_api::runtime::Decoded<Notification>, ::intercom_api::webhooks::ReceiveError> {
            ::intercom_api::webhooks::receive_request(verifier, request)
        }
    }
}
