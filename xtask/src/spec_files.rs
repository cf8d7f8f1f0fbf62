//! Reading the maintainers' data files and the pinned descriptions.

use std::path::{Path, PathBuf};

use intercom_codegen::{config, FixupsFile, PinnedVersion, VersionsFile};

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives inside the workspace").to_path_buf()
}

pub fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

pub struct Inputs {
    pub versions: VersionsFile,
    pub fixups: FixupsFile,
}

pub fn load_inputs(root: &Path) -> Result<Inputs, String> {
    let vpath = root.join("spec/versions.toml");
    let fpath = root.join("spec/fixups.toml");
    let versions = config::parse_versions("spec/versions.toml", &read_text(&vpath)?).map_err(|e| e.to_string())?;
    let fixups = config::parse_fixups("spec/fixups.toml", &read_text(&fpath)?).map_err(|e| e.to_string())?;
    Ok(Inputs { versions, fixups })
}

/// The bytes of a pinned description: `$INTERCOM_OPENAPI_DIR`, else the cache, else a download
/// into the cache. The hash is checked by the generator; a cached file with a wrong hash is not
/// used (a fresh download replaces it).
pub fn description_bytes(
    root: &Path,
    openapi_dir: Option<&Path>,
    versions: &VersionsFile,
    pinned: &PinnedVersion,
) -> Result<Vec<u8>, String> {
    let candidates = intercom_codegen::spec_candidates(openapi_dir, root, &versions.upstream, pinned);
    if let Some(dir) = openapi_dir {
        let path = &candidates[0];
        return std::fs::read(path).map_err(|e| {
            format!(
                "{} ({}): cannot read {} from INTERCOM_OPENAPI_DIR={}: {e}",
                pinned.name,
                pinned.path,
                path.display(),
                dir.display()
            )
        });
    }
    let cache = intercom_codegen::cache_path(root, &versions.upstream, pinned);
    if let Ok(bytes) = std::fs::read(&cache) {
        if intercom_codegen::load::sha256_hex(&bytes) == pinned.sha256 {
            return Ok(bytes);
        }
    }
    download(&versions.upstream.raw_url_for(&pinned.path), &cache).map_err(|e| {
        format!(
            "{} ({}): not in INTERCOM_OPENAPI_DIR (unset) nor in the cache, and the download failed: {e}",
            pinned.name, pinned.path
        )
    })?;
    std::fs::read(&cache).map_err(|e| format!("{}: {e}", cache.display()))
}

/// Downloads with the system's curl into a temporary file, then renames it into place.
fn download(url: &str, dest: &Path) -> Result<(), String> {
    let dir = dest.parent().expect("cache paths have a parent");
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let tmp = dest.with_extension("download");
    let status = std::process::Command::new("curl")
        .args(["--fail", "--silent", "--show-error", "--location", "--output"])
        .arg(&tmp)
        .arg(url)
        .status()
        .map_err(|e| format!("cannot run curl: {e}"))?;
    if !status.success() {
        let _ = std::fs::remove_file(&tmp);
        return Err(format!("curl {url} failed ({status})"));
    }
    std::fs::rename(&tmp, dest).map_err(|e| format!("{}: {e}", dest.display()))
}

pub fn print_fixed(version: &str) -> Result<(), String> {
    let root = workspace_root();
    let inputs = load_inputs(&root)?;
    let pinned = inputs
        .versions
        .versions
        .iter()
        .find(|v| v.name == version)
        .ok_or_else(|| format!("version `{version}` is not in spec/versions.toml"))?;
    let openapi_dir = std::env::var_os("INTERCOM_OPENAPI_DIR").map(PathBuf::from);
    let bytes = description_bytes(&root, openapi_dir.as_deref(), &inputs.versions, pinned)?;
    let input = intercom_codegen::VersionInput { upstream: &inputs.versions.upstream, pinned, yaml: &bytes };
    let prepared = intercom_codegen::prepare(&input, &inputs.fixups).map_err(|e| e.to_string())?;
    let text = serde_json_to_string(&prepared.doc);
    println!("{text}");
    Ok(())
}

fn serde_json_to_string(v: &intercom_codegen_json::Value) -> String {
    intercom_codegen_json::to_string_pretty(v).expect("a JSON tree always serializes")
}

use intercom_codegen::json as intercom_codegen_json;
