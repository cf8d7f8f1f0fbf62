//! Pure helpers of `cargo xtask pin` (re-pinning to a newer upstream checkout): reading the
//! checkout's commit, and finding every fix-up that no longer applies (generation stops at the
//! first; a maintainer re-pinning wants the whole list).

use crate::config::FixupsFile;
use crate::error::Result;

/// A fix-up of `spec/fixups.toml` that does not apply to a version's new description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleFixup {
    pub id: String,
    pub version: String,
    /// The error generation would stop with (names the file, pointer and fix-up).
    pub error: String,
}

/// Every fix-up listed for `version` that does not apply to `yaml`, in `spec/fixups.toml` order.
/// Each is tried on the description as the fix-ups before it left it (a failed one changes
/// nothing), so one stale fix-up does not hide the next. Malformed YAML is an error.
pub fn stale_fixups(file: &str, version: &str, yaml: &[u8], fixups: &FixupsFile) -> Result<Vec<StaleFixup>> {
    let mut doc = crate::load::parse_yaml(file, yaml)?;
    let mut stale = Vec::new();
    for fixup in fixups.fixups.iter().filter(|f| f.versions.iter().any(|v| v == version)) {
        let one = FixupsFile { fixups: vec![fixup.clone()], search: Vec::new() };
        if let Err(e) = crate::fixups::apply(file, version, &mut doc, &one) {
            stale.push(StaleFixup { id: fixup.id.clone(), version: version.to_string(), error: e.to_string() });
        }
    }
    Ok(stale)
}

/// The commit named by an `UPSTREAM_COMMIT` file (its first word: 7 to 40 hex digits; a date may
/// follow), for a checkout that is not a git repository.
pub fn parse_upstream_commit(file: &str, text: &str) -> std::result::Result<String, String> {
    let word = text.split_whitespace().next().unwrap_or("");
    if (7..=40).contains(&word.len()) && word.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(word.to_ascii_lowercase())
    } else {
        Err(format!("{file}: expected a commit hash (7 to 40 hex digits) as the first word, found `{word}`"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_commit_files() {
        let sha = "8889625a7b931d8649e18726e7f872ff073520fc";
        assert_eq!(parse_upstream_commit("U", &format!("{sha} 2026-08-21T16:48:12+01:00\n")).unwrap(), sha);
        let err = parse_upstream_commit("dir/UPSTREAM_COMMIT", "main\n").unwrap_err();
        assert!(err.starts_with("dir/UPSTREAM_COMMIT: "), "{err}");
        assert!(err.contains("found `main`"), "{err}");
    }

    #[test]
    fn every_stale_fixup_is_listed() {
        let fixups = crate::config::parse_fixups(
            "f.toml",
            "[[fixup]]\nid = 'gone'\nversions = ['1']\nop = 'remove'\npointer = '/a/b'\nwhy = 'w'\n\
             [[fixup]]\nid = 'fine'\nversions = ['1']\nop = 'replace'\npointer = '/a/c'\nvalue = 2\nwhy = 'w'\n\
             [[fixup]]\nid = 'there'\nversions = ['1', '2']\nop = 'add'\npointer = '/a/c'\nvalue = 3\nwhy = 'w'\n\
             [[fixup]]\nid = 'other'\nversions = ['2']\nop = 'remove'\npointer = '/x'\nwhy = 'w'\n",
        )
        .unwrap();
        let stale = stale_fixups("d.yaml", "1", b"openapi: 3.0.1\na: {c: 1}\n", &fixups).unwrap();
        let ids: Vec<&str> = stale.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["gone", "there"]);
        assert!(stale[0].error.starts_with("d.yaml at /a/b: fix-up `gone` does not apply"), "{}", stale[0].error);
        let err = stale_fixups("d.yaml", "1", b"openapi: 3.0.1\na: [\n", &fixups).unwrap_err().to_string();
        assert!(err.starts_with("d.yaml: malformed YAML"), "{err}");
    }
}
