//! One error type for everything the generator can refuse. Every variant names the spec it was
//! reading and, for problems inside a spec, the JSON pointer of the offending node, so that a
//! maintainer can open the YAML and go straight to the place.

use std::fmt;

/// Where in which input a problem sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Human name of the input (e.g. `2.11 (descriptions/2.11/api.intercom.io.yaml)` or `spec/fixups.toml`).
    pub file: String,
    /// JSON pointer into the parsed document; empty for the whole document.
    pub pointer: String,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pointer.is_empty() {
            write!(f, "{}", self.file)
        } else {
            write!(f, "{} at {}", self.file, self.pointer)
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{file}: sha256 mismatch: expected {expected}, got {actual}")]
    HashMismatch { file: String, expected: String, actual: String },
    #[error("{file}: malformed YAML: {message}")]
    Yaml { file: String, message: String },
    #[error("{file}: malformed TOML: {message}")]
    Toml { file: String, message: String },
    #[error("{location}: {message}")]
    Spec { location: Location, message: String },
    #[error("{location}: fix-up `{fixup}` does not apply: {message}")]
    Fixup { location: Location, fixup: String, message: String },
    #[error("{file}: generated code does not parse as Rust ({message}); this is a generator bug")]
    Render { file: String, message: String },
    /// A file the workspace loader needs (feature `workspace`) cannot be read; the message says
    /// where it looked and how to fix it.
    #[error("{file}: {message}")]
    Read { file: String, message: String },
    /// A version that `spec/versions.toml` does not pin was asked for.
    #[error("version `{name}` is not in spec/versions.toml (pinned: {known})")]
    NotPinned { name: String, known: String },
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Appends one reference token to a JSON pointer, escaping `~` and `/` as RFC 6901 asks.
pub fn pointer_push(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}
