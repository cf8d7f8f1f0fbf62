//! `spec/example-contradictions.toml`: examples that contradict their own schema upstream (whole
//! request examples, and property-level examples the composed cases are built from).

use std::collections::BTreeSet;

#[derive(serde::Deserialize)]
pub struct Known {
    #[serde(default)]
    contradiction: Vec<Entry>,
    #[serde(default)]
    property_example: Vec<Entry>,
}

#[derive(serde::Deserialize)]
struct Entry {
    versions: Vec<String>,
    pointer: String,
    #[allow(dead_code)]
    why: String,
}

pub fn parse(text: &str) -> Known {
    toml::from_str(text).unwrap_or_else(|e| panic!("spec/example-contradictions.toml: {e}"))
}

// Each test that includes this module uses one list or both.
#[allow(dead_code)]
impl Known {
    pub fn for_version(&self, version: &str) -> BTreeSet<&str> {
        Self::of(&self.contradiction, version)
    }

    pub fn property_examples_for(&self, version: &str) -> BTreeSet<&str> {
        Self::of(&self.property_example, version)
    }

    fn of<'a>(entries: &'a [Entry], version: &str) -> BTreeSet<&'a str> {
        entries.iter().filter(|e| e.versions.iter().any(|v| v == version)).map(|e| e.pointer.as_str()).collect()
    }
}
