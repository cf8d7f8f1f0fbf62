//! Writes the `decode_responses` dispatcher: one arm per model name of the 2.11 conformance
//! dispatcher, each calling `check::<Type>` on the JSON bytes. Derived from that generated file so
//! that a regeneration that adds or renames types is picked up without editing the fuzz target.

#[path = "type_names.rs"]
mod type_names;

use std::fmt::Write;
use std::path::Path;

fn main() {
    let source_path = Path::new("..").join(type_names::DISPATCHER);
    println!("cargo:rerun-if-changed={}", source_path.display());
    println!("cargo:rerun-if-changed=type_names.rs");
    let source = std::fs::read_to_string(&source_path).unwrap_or_else(|e| panic!("{}: {e}", source_path.display()));
    let names = type_names::type_names(&source);
    assert!(!names.is_empty(), "no model names found in {}", source_path.display());
    let mut out = String::new();
    writeln!(out, "/// The model names; an input's first two bytes index this list (modulo its length).").unwrap();
    writeln!(out, "pub const NAMES: &[&str] = &{names:?};").unwrap();
    writeln!(out, "/// Runs `check` with the model at `index`.").unwrap();
    writeln!(out, "pub fn dispatch(index: usize, json: &[u8]) {{").unwrap();
    writeln!(out, "    match index {{").unwrap();
    for (i, name) in names.iter().enumerate() {
        writeln!(out, "        {i} => crate::check::<::intercom_api::v2_11::models::{name}>(json),").unwrap();
    }
    writeln!(out, "        _ => unreachable!(\"index {{index}} is reduced modulo NAMES.len()\"),").unwrap();
    writeln!(out, "    }}\n}}").unwrap();
    let dest = Path::new(&std::env::var_os("OUT_DIR").unwrap()).join("dispatch.rs");
    std::fs::write(&dest, out).unwrap();
}
