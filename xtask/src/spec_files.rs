//! The maintainers' data files and the pinned descriptions: read through the generator's
//! `Workspace` (the one loader xtask, tests and benchmarks share); what xtask adds is the download
//! into the cache when a description is in neither place.

use std::path::{Path, PathBuf};

use intercom_codegen::{PinnedVersion, Workspace};

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives inside the workspace").to_path_buf()
}

pub fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The workspace at `root`, its descriptions from `$INTERCOM_OPENAPI_DIR` when set.
pub fn load_inputs(root: &Path) -> Result<Workspace, String> {
    Workspace::load(root).map_err(|e| e.to_string())
}

/// The bytes of a pinned description: the workspace's checkout (`$INTERCOM_OPENAPI_DIR`), else the
/// cache, else a download into the cache. The hash is checked by the generator; a cached file with
/// a wrong hash is not used (a fresh download replaces it).
pub fn description_bytes(ws: &Workspace, pinned: &PinnedVersion) -> Result<Vec<u8>, String> {
    match ws.description(pinned) {
        Err(e) if ws.openapi_dir().is_some() => return Err(e.to_string()),
        Ok(bytes) if ws.openapi_dir().is_some() || intercom_codegen::load::sha256_hex(&bytes) == pinned.sha256 => {
            return Ok(bytes)
        }
        _ => {}
    }
    let cache = ws.cache_path(pinned);
    download(&ws.versions.upstream.raw_url_for(&pinned.path), &cache).map_err(|e| {
        format!(
            "{} ({}): not in INTERCOM_OPENAPI_DIR (unset) nor in the cache, and the download failed: {e}",
            pinned.name, pinned.path
        )
    })?;
    ws.description(pinned).map_err(|e| e.to_string())
}

/// [`description_bytes`], hash-checked, fixed up and lowered.
pub fn prepare(ws: &Workspace, pinned: &PinnedVersion) -> Result<intercom_codegen::Prepared, String> {
    let bytes = description_bytes(ws, pinned)?;
    intercom_codegen::prepare(&ws.input(pinned, &bytes), &ws.fixups).map_err(|e| e.to_string())
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
    let ws = load_inputs(&workspace_root())?;
    let pinned = ws.pinned(version).map_err(|e| e.to_string())?;
    let prepared = prepare(&ws, pinned)?;
    let text = intercom_codegen::json::to_string_pretty(&prepared.doc).expect("a JSON tree always serializes");
    println!("{text}");
    Ok(())
}
