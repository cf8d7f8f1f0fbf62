//! Properties of the generated source as a whole. Its docs are rustdoc, not the web page they were
//! written for: no Markdoc tag (`{% admonition %}`) survives, and implementation rationale is said
//! once in the crate docs, not on every field. Its public enums can grow: a re-pin that adds a
//! value or a branch must not break a user's `match`.

use std::path::Path;

fn generated_sources(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            generated_sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            if text.starts_with("// @generated") {
                out.push((path.display().to_string(), text));
            }
        }
    }
}

#[test]
fn no_markdoc_or_repeated_rationale_in_generated_docs() {
    let mut files = Vec::new();
    generated_sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    assert!(files.len() > 10, "generated sources not found");
    let mut found = Vec::new();
    for (path, text) in &files {
        for (n, line) in text.lines().enumerate() {
            let doc = line.trim_start().starts_with("///") || line.trim_start().starts_with("//!");
            if doc && (line.contains("{%") || line.contains("kept as a string so that")) {
                found.push(format!("{path}:{}: {}", n + 1, line.trim()));
            }
        }
    }
    assert!(found.is_empty(), "{} doc lines still carry Markdoc or rationale:\n{}", found.len(), found.join("\n"));
}

#[test]
fn every_generated_enum_is_non_exhaustive() {
    let mut files = Vec::new();
    generated_sources(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let mut exhaustive = Vec::new();
    for (path, text) in &files {
        let lines: Vec<&str> = text.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            if line.starts_with("pub enum ")
                && !lines[..n].iter().rev().take(4).any(|l| l.trim() == "#[non_exhaustive]")
            {
                exhaustive.push(format!("{path}:{}: {line}", n + 1));
            }
        }
    }
    assert!(exhaustive.is_empty(), "{} enums are exhaustive:\n{}", exhaustive.len(), exhaustive.join("\n"));
}
