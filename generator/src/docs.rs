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

/// Intercom's Markdoc tags as Markdown rustdoc renders: `{% admonition type="warning" name="…" %}`
/// … `{% /admonition %}` becomes a block quote headed `**Warning: …**` (`info` → Note, `danger` →
/// Danger); any other Markdoc tag line is dropped. Tags always stand on lines of their own.
fn markdoc_to_markdown(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    // The open admonition: its heading and its lines so far.
    let mut open: Option<(String, Vec<&str>)> = None;
    let close = |out: &mut Vec<String>, (heading, lines): (String, Vec<&str>)| {
        let indent =
            lines.iter().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
        out.push(format!("> {heading}"));
        out.push(">".into());
        for line in lines {
            let body = line.get(indent..).unwrap_or("").trim_end();
            out.push(if body.is_empty() { ">".into() } else { format!("> {body}") });
        }
        while out.last().is_some_and(|l| l == ">") {
            out.pop();
        }
    };
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(tag) = trimmed.strip_prefix("{%").and_then(|t| t.strip_suffix("%}")).map(str::trim) {
            if let Some(attributes) = tag.strip_prefix("admonition") {
                if let Some(previous) = open.take() {
                    close(&mut out, previous);
                }
                open = Some((admonition_heading(attributes), Vec::new()));
            } else if tag == "/admonition" {
                if let Some(current) = open.take() {
                    close(&mut out, current);
                }
            }
            continue;
        }
        match &mut open {
            Some((_, lines)) => lines.push(line),
            None => out.push(line.to_string()),
        }
    }
    if let Some(current) = open.take() {
        close(&mut out, current);
    }
    out.join("\n")
}

/// `**Warning: <name>**` from `type="warning" name="<name>"`.
fn admonition_heading(attributes: &str) -> String {
    let attribute = |key: &str| {
        let start = attributes.find(&format!("{key}=\""))? + key.len() + 2;
        let end = attributes[start..].find('"')? + start;
        Some(attributes[start..end].trim().to_string())
    };
    let kind = match attribute("type").as_deref() {
        Some("info") | None => "Note".to_string(),
        Some("warning") => "Warning".to_string(),
        Some("danger") => "Danger".to_string(),
        Some(other) => other.chars().take(1).flat_map(char::to_uppercase).chain(other.chars().skip(1)).collect(),
    };
    match attribute("name").filter(|n| !n.is_empty()) {
        Some(name) => format!("**{kind}: {name}**"),
        None => format!("**{kind}**"),
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
    let text = markdoc_to_markdown(&text);
    let mut out = String::with_capacity(text.len());
    let mut in_fence = false;
    for line in text.trim().lines() {
        // A fence may sit inside a block quote (an admonition): look past the `>` markers.
        let trimmed = line.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admonitions_become_block_quotes() {
        let text = "Intro.\n\n{% admonition type=\"warning\" name=\"Using `company_id`\" %}\n  You can set it once.\n\n  Not later.\n{% /admonition %}\nAfter.";
        assert_eq!(
            clean(text),
            "Intro.\n\n> **Warning: Using `company_id`**\n>\n> You can set it once.\n>\n> Not later.\nAfter."
        );
        assert_eq!(
            clean("{% admonition type=\"info\" %}\nNote this.\n{% /admonition %}"),
            "> **Note**\n>\n> Note this."
        );
        assert_eq!(clean("{% admonition type=\"danger\" name=\"\" %}\nx"), "> **Danger**\n>\n> x");
    }

    #[test]
    fn fences_in_admonitions_are_text() {
        let text = "{% admonition type=\"info\" %}\n```\ncurl x\n```\n{% /admonition %}";
        assert_eq!(clean(text), "> **Note**\n>\n> ```text\n> curl x\n> ```");
    }

    #[test]
    fn other_markdoc_tags_are_dropped() {
        assert_eq!(clean("a\n{% partial file=\"x\" /%}\nb"), "a\nb");
    }
}
