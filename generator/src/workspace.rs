//! The one read-only loader of a checkout of this repository (cargo feature `workspace`): used by
//! `xtask`, the tests and the benchmarks alike, so that "which description does version X mean"
//! has a single answer.
//!
//! It reads `spec/versions.toml` and `spec/fixups.toml`, finds a pinned description
//! (`$INTERCOM_OPENAPI_DIR/<path>`, else the git-ignored cache `spec/cache/<commit>/<path>`) and
//! prepares it. It never writes: filling the cache (a download) and writing generated files stay in
//! `xtask`. Everything else in this crate is the pure pipeline and touches no file system; this
//! module is the only exception, and only when the feature is on.

use std::path::{Path, PathBuf};

use crate::config::{self, FixupsFile, PinnedVersion, ResourcesFile, VersionsFile, WebhookTopicsFile};
use crate::error::{Error, Result};
use crate::{Prepared, VersionInput};

const VERSIONS: &str = "spec/versions.toml";
const FIXUPS: &str = "spec/fixups.toml";
const WEBHOOK_TOPICS: &str = crate::webhooks::TOPICS_FILE;
/// The cargo feature of each operation tag.
pub const RESOURCES: &str = "spec/resources.toml";
/// The environment variable naming a checkout of Intercom-OpenAPI.
pub const OPENAPI_DIR_VAR: &str = "INTERCOM_OPENAPI_DIR";

/// A workspace's data files, parsed, and where its descriptions are found.
#[derive(Debug, Clone)]
pub struct Workspace {
    root: PathBuf,
    openapi_dir: Option<PathBuf>,
    pub versions: VersionsFile,
    pub fixups: FixupsFile,
    /// `spec/webhook-topics.toml`: the webhook topics per version.
    pub webhook_topics: WebhookTopicsFile,
    /// `spec/resources.toml`: the cargo feature of each operation tag.
    pub resources: ResourcesFile,
}

impl Workspace {
    /// Reads `spec/versions.toml` and `spec/fixups.toml` under `root`; descriptions come from
    /// `$INTERCOM_OPENAPI_DIR` when it is set (see [`Workspace::with_openapi_dir`]).
    pub fn load(root: &Path) -> Result<Workspace> {
        let versions = config::parse_versions(VERSIONS, &read_text(root, VERSIONS)?)?;
        let fixups = config::parse_fixups(FIXUPS, &read_text(root, FIXUPS)?)?;
        let webhook_topics = config::parse_webhook_topics(WEBHOOK_TOPICS, &read_text(root, WEBHOOK_TOPICS)?)?;
        let resources = config::parse_resources(RESOURCES, &read_text(root, RESOURCES)?)?;
        let openapi_dir = std::env::var_os(OPENAPI_DIR_VAR).filter(|d| !d.is_empty()).map(PathBuf::from);
        Ok(Workspace { root: root.to_path_buf(), openapi_dir, versions, fixups, webhook_topics, resources })
    }

    /// The same workspace reading descriptions from the checkout `dir` instead (`None`: only the
    /// cache), whatever `$INTERCOM_OPENAPI_DIR` says: for `cargo xtask pin --from` and for tests
    /// on throwaway workspaces.
    pub fn with_openapi_dir(mut self, dir: Option<&Path>) -> Workspace {
        self.openapi_dir = dir.map(Path::to_path_buf);
        self
    }

    /// The same workspace with other pins (`cargo xtask pin` generates from the new pins before
    /// writing them).
    pub fn with_versions(mut self, versions: VersionsFile) -> Workspace {
        self.versions = versions;
        self
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The checkout descriptions are read from, if any.
    pub fn openapi_dir(&self) -> Option<&Path> {
        self.openapi_dir.as_deref()
    }

    /// The pinned version called `name` (`2.11`).
    pub fn pinned(&self, name: &str) -> Result<&PinnedVersion> {
        self.versions.versions.iter().find(|v| v.name == name).ok_or_else(|| {
            let known: Vec<&str> = self.versions.versions.iter().map(|v| v.name.as_str()).collect();
            Error::NotPinned { name: name.into(), known: known.join(", ") }
        })
    }

    /// Where the cache keeps `pinned`'s description: `spec/cache/<commit>/<path>`.
    pub fn cache_path(&self, pinned: &PinnedVersion) -> PathBuf {
        self.root.join("spec").join("cache").join(&self.versions.upstream.commit).join(&pinned.path)
    }

    /// The bytes of `pinned`'s description, not yet hash-checked ([`Workspace::prepare`] checks).
    ///
    /// With a checkout (`$INTERCOM_OPENAPI_DIR`) only the checkout is read: a checkout that lacks
    /// the file is a mistake to report, not one to hide behind an older cached copy. Without one,
    /// the cache is read.
    pub fn description(&self, pinned: &PinnedVersion) -> Result<Vec<u8>> {
        let file = format!("{} ({})", pinned.name, pinned.path);
        let commit = &self.versions.upstream.commit;
        if let Some(dir) = &self.openapi_dir {
            let path = dir.join(&pinned.path);
            return std::fs::read(&path).map_err(|e| Error::Read {
                file,
                message: format!(
                    "cannot read {} from {OPENAPI_DIR_VAR}={}: {e}; point {OPENAPI_DIR_VAR} at a checkout of \
                     Intercom-OpenAPI at commit {commit}",
                    path.display(),
                    dir.display()
                ),
            });
        }
        let cache = self.cache_path(pinned);
        std::fs::read(&cache).map_err(|e| Error::Read {
            file,
            message: format!(
                "not in the cache ({}: {e}) and {OPENAPI_DIR_VAR} is unset; set {OPENAPI_DIR_VAR} to a checkout \
                 of Intercom-OpenAPI at commit {commit} (CI uses ../shared/intercom-openapi) or run \
                 `cargo xtask codegen` once with network to fill spec/cache",
                cache.display()
            ),
        })
    }

    /// The generator's input for `pinned` with the description `yaml`.
    pub fn input<'a>(&'a self, pinned: &'a PinnedVersion, yaml: &'a [u8]) -> VersionInput<'a> {
        VersionInput { upstream: &self.versions.upstream, pinned, yaml, resources: Some(&self.resources) }
    }

    /// `pinned`'s description read, hash-checked, fixed up and lowered.
    pub fn prepare(&self, pinned: &PinnedVersion) -> Result<Prepared> {
        let yaml = self.description(pinned)?;
        crate::prepare(&self.input(pinned, &yaml), &self.fixups)
    }
}

fn read_text(root: &Path, rel: &str) -> Result<String> {
    let path = root.join(rel);
    std::fs::read_to_string(&path)
        .map_err(|e| Error::Read { file: rel.into(), message: format!("{}: {e}", path.display()) })
}
