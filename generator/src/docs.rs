//! Doc comments from spec prose. Upstream text is Markdown written for a web page; we keep it,
//! only making fenced blocks without a language `text` so rustdoc does not take them for Rust.

use proc_macro2::TokenStream;
use quote::quote;

pub fn doc_attr(text: Option<&str>) -> TokenStream {
    match text {
        Some(t) => {
            let cleaned = clean(t);
            let lines = cleaned.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
            quote!(#(#[doc = #lines])*)
        }
        None => TokenStream::new(),
    }
}

pub fn clean(text: &str) -> String {
    // A bare CR is not allowed in a doc comment, and other control characters have no business in
    // one: line breaks are normalised to `\n`, the rest dropped (tabs kept).
    let text: String = text
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
        .collect();
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for line in text.trim().lines() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            if !in_fence && info.trim().is_empty() {
                out.push_str(&line[..line.len() - trimmed.len()]);
                out.push_str("```text\n");
                in_fence = true;
                continue;
            }
            in_fence = !in_fence;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.trim_end().to_string()
}

/// Inner attributes every generated version module starts with: the names and prose are upstream's,
/// so the lints that judge naming and Markdown style are not ours to satisfy there.
pub fn upstream_prose_allows() -> TokenStream {
    quote! {
        #![allow(
            clippy::enum_variant_names,
            clippy::large_enum_variant,
            clippy::too_many_arguments,
            clippy::doc_lazy_continuation,
            clippy::doc_overindented_list_items,
            clippy::too_long_first_doc_paragraph,
            rustdoc::bare_urls,
            rustdoc::broken_intra_doc_links,
            rustdoc::invalid_html_tags,
            rustdoc::invalid_rust_codeblocks,
            rustdoc::redundant_explicit_links,
            rustdoc::unescaped_backticks
        )]
    }
}
