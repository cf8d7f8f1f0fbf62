//! The pinned descriptions as the generator sees them: one loader for this crate's tests and
//! benchmarks (`spec/versions.toml`, `spec/fixups.toml`, the description from
//! `$INTERCOM_OPENAPI_DIR` or `spec/cache/`, then hash check, fix-ups and lowering).

use std::path::{Path, PathBuf};

use intercom_codegen::{FixupsFile, PinnedVersion, Prepared, VersionsFile};

pub struct Spec {
    pub root: PathBuf,
    pub versions: VersionsFile,
    pub fixups: FixupsFile,
}

impl Spec {
    pub fn load() -> Spec {
        let root =
            Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("generated/ lives in the workspace").to_path_buf();
        let read = |rel: &str| std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let versions = intercom_codegen::config::parse_versions("spec/versions.toml", &read("spec/versions.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
        let fixups = intercom_codegen::config::parse_fixups("spec/fixups.toml", &read("spec/fixups.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
        Spec { root, versions, fixups }
    }

    /// The pinned version called `name` (`2.11`).
    #[allow(dead_code)] // not every test binary looks a version up by name
    pub fn pinned(&self, name: &str) -> &PinnedVersion {
        self.versions
            .versions
            .iter()
            .find(|v| v.name == name)
            .unwrap_or_else(|| panic!("{name} is not pinned in spec/versions.toml"))
    }

    /// The description of `pinned`, hash-checked, fixed up and lowered.
    pub fn prepare(&self, pinned: &PinnedVersion) -> Prepared {
        let env_dir = std::env::var_os("INTERCOM_OPENAPI_DIR").map(PathBuf::from);
        let candidates =
            intercom_codegen::spec_candidates(env_dir.as_deref(), &self.root, &self.versions.upstream, pinned);
        let yaml = candidates.iter().find_map(|c| std::fs::read(c).ok()).unwrap_or_else(|| {
            panic!(
                "{} ({}): description not found in {candidates:?}; set INTERCOM_OPENAPI_DIR to a checkout of Intercom-OpenAPI (CI uses ../shared/intercom-openapi) or run `cargo xtask codegen` once with network to fill spec/cache",
                pinned.name, pinned.path
            )
        });
        let input = intercom_codegen::VersionInput { upstream: &self.versions.upstream, pinned, yaml: &yaml };
        intercom_codegen::prepare(&input, &self.fixups).unwrap_or_else(|e| panic!("{e}"))
    }
}
