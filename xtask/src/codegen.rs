//! `cargo xtask codegen [--check]`: everything is generated in memory first; only when every
//! version succeeded is anything written, so a bad spec never leaves a half-written tree.

use std::collections::BTreeSet;
use std::path::Path;

use intercom_codegen::diff::{VersionIr, REPORT_MARK};
use intercom_codegen::{GeneratedFile, Report, VersionInput, Workspace, PREAMBLE_MARK};

use crate::spec_files;

/// Directories whose generated files (those carrying the preamble) the codegen owns.
const OWNED_DIRS: &[&str] = &["generated/src", "generated/tests", "generated/benches"];
const FIXTURE_DIR: &str = "generator/tests/fixtures";
/// The migration reports between consecutive versions (those whose first line is the report mark).
const CHANGES_DIR: &str = "changes";

pub fn run(check: bool) -> Result<(), String> {
    let ws = spec_files::load_inputs(&spec_files::workspace_root())?;
    apply(ws.root(), &plan(&ws)?, check)
}

/// [`run`] on the workspace at `root` with descriptions from the checkout `openapi_dir` (tests).
#[cfg(test)]
pub fn run_in(root: &Path, openapi_dir: Option<&Path>, check: bool) -> Result<(), String> {
    let ws = spec_files::load_inputs(root)?.with_openapi_dir(openapi_dir);
    apply(root, &plan(&ws)?, check)
}

/// Everything `cargo xtask codegen` would write, generated in memory.
pub struct Plan {
    pub files: Vec<GeneratedFile>,
    pub reports: Vec<Report>,
    /// Each version's IR, in `spec/versions.toml` order (what the migration reports compare).
    pub irs: Vec<VersionIr>,
}

/// Generates every file from `inputs` (read from its `spec/`, or with the new pins of `cargo xtask
/// pin`) without writing anything.
pub fn plan(inputs: &Workspace) -> Result<Plan, String> {
    let root = inputs.root();
    let descriptions = inputs
        .versions
        .versions
        .iter()
        .map(|pinned| spec_files::description_bytes(inputs, pinned))
        .collect::<Result<Vec<_>, _>>()?;
    let version_inputs: Vec<VersionInput<'_>> = inputs
        .versions
        .versions
        .iter()
        .zip(&descriptions)
        .map(|(pinned, bytes)| VersionInput {
            upstream: &inputs.versions.upstream,
            pinned,
            yaml: bytes,
            resources: Some(&inputs.resources),
        })
        .collect();
    let generated =
        intercom_codegen::generate_versions_with_ir(&version_inputs, &inputs.fixups).map_err(|e| e.to_string())?;
    // The test support is generated from the very IR the SDK files were: each version is prepared once.
    let prepared: Vec<_> = version_inputs.iter().zip(generated.iter().map(|v| &v.prepared)).collect();
    let test_support = intercom_codegen::generate_test_support(&prepared).map_err(|e| e.to_string())?;
    let webhooks = intercom_codegen::generate_webhooks(&prepared, &inputs.webhook_topics).map_err(|e| e.to_string())?;
    let features = intercom_codegen::crate_features(
        &version_inputs
            .iter()
            .zip(&generated)
            .map(|(input, v)| (input.pinned, v.prepared.ir.resources.features.keys().cloned().collect()))
            .collect::<Vec<_>>(),
    );
    let mut files = Vec::new();
    let mut reports = Vec::new();
    let mut irs = Vec::new();
    for (mut version, (webhooks_file, topics)) in generated.into_iter().zip(webhooks) {
        version.report.webhook_topics = Some(topics);
        files.push(webhooks_file);
        files.extend(version.files);
        reports.push(version.report);
        irs.push(version.ir);
    }
    files.extend(intercom_codegen::generate_changes(&irs.iter().collect::<Vec<_>>()));
    files.push(intercom_codegen::generate_crate_root(&inputs.versions.versions).map_err(|e| e.to_string())?);
    files.extend(test_support);
    files.extend(fixture_files(root, inputs)?);
    files.push(cargo_toml_with_features(root, &features)?);
    Ok(Plan { files, reports, irs })
}

/// Compares a plan with the tree: with `check`, fails listing stale and orphaned files; else
/// writes the stale ones, deletes the orphans and prints the reports.
pub fn apply(root: &Path, plan: &Plan, check: bool) -> Result<(), String> {
    let files = &plan.files;
    let produced: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let orphans = orphaned_files(root, &produced)?;
    let stale: Vec<&GeneratedFile> = files
        .iter()
        .filter(|f| std::fs::read_to_string(root.join(&f.path)).ok().as_deref() != Some(f.contents.as_str()))
        .collect();

    if check {
        if stale.is_empty() && orphans.is_empty() {
            println!("codegen --check: {} files up to date", files.len());
            return Ok(());
        }
        let mut msg = String::from("generated files are stale; run `cargo xtask codegen`:\n");
        for f in &stale {
            msg.push_str(&format!("  stale: {}\n", f.path));
        }
        for o in &orphans {
            msg.push_str(&format!("  no longer generated: {o}\n"));
        }
        return Err(msg);
    }
    for f in &stale {
        ensure_file_contents(&root.join(&f.path), &f.contents)?;
    }
    for o in &orphans {
        let path = root.join(o);
        std::fs::remove_file(&path).map_err(|e| format!("{o}: {e}"))?;
        // A folder that held only generated files (a dropped or moved version) goes with them.
        if let Some(dir) = path.parent() {
            if std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_none()) {
                std::fs::remove_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
        }
    }
    for r in &plan.reports {
        print!("{r}");
    }
    println!("codegen: {} files ({} changed, {} removed)", files.len(), stale.len(), orphans.len());
    Ok(())
}

/// Writes through a temporary file and a rename, so a file is never seen half-written.
fn ensure_file_contents(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let tmp = path.with_extension("tmp-codegen");
    std::fs::write(&tmp, contents).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Files under the owned directories that carry the preamble but are no longer produced.
fn orphaned_files(root: &Path, produced: &BTreeSet<&str>) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for dir in OWNED_DIRS {
        walk(root, &root.join(dir), &mut |rel, text| {
            if text.contains(PREAMBLE_MARK) && !produced.contains(rel) {
                out.push(rel.to_string());
            }
        })?;
    }
    let dir = root.join(CHANGES_DIR);
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        paths.sort();
        for path in paths.into_iter().filter(|p| p.extension().is_some_and(|e| e == "md")) {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let rel = format!("{CHANGES_DIR}/{}", path.file_name().expect("listed").to_string_lossy());
            if text.starts_with(REPORT_MARK) && !produced.contains(rel.as_str()) {
                out.push(rel);
            }
        }
    }
    Ok(out)
}

fn walk(root: &Path, dir: &Path, visit: &mut dyn FnMut(&str, &str)) -> Result<(), String> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Ok(()) };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            walk(root, &path, visit)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let rel = path.strip_prefix(root).expect("walked below root").to_string_lossy().replace('\\', "/");
            // Only the first lines hold the preamble.
            let head: String = text.lines().take(2).collect::<Vec<_>>().join("\n");
            visit(&rel, &head);
        }
    }
    Ok(())
}

/// The fixture specs' models, compiled by `generated/tests/fixtures.rs`.
fn fixture_files(root: &Path, inputs: &Workspace) -> Result<Vec<GeneratedFile>, String> {
    let mut out = Vec::new();
    let dir = root.join(FIXTURE_DIR);
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    names.sort();
    for path in names {
        let stem = path.file_stem().expect("has a name").to_string_lossy().to_string();
        let label = format!("{FIXTURE_DIR}/{stem}.yaml");
        let bytes = std::fs::read(&path).map_err(|e| format!("{label}: {e}"))?;
        let prepared =
            intercom_codegen::prepare_unpinned(&label, "fixture", &bytes, &inputs.fixups).map_err(|e| e.to_string())?;
        let out_path = format!("generated/tests/fixtures/{stem}.rs");
        let contents = intercom_codegen::render_fixture(&out_path, &label, &prepared).map_err(|e| e.to_string())?;
        out.push(GeneratedFile { path: out_path, contents });
    }
    Ok(out)
}

/// `generated/Cargo.toml` with its `[features]` table set to `wanted`: per version its `-core` and
/// full features, one per resource, and the default version.
fn cargo_toml_with_features(root: &Path, wanted: &[(String, Vec<String>)]) -> Result<GeneratedFile, String> {
    let path = "generated/Cargo.toml";
    let text = spec_files::read_text(&root.join(path))?;
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e| format!("{path}: {e}"))?;
    let features = doc
        .entry("features")
        .or_insert(toml_edit::table())
        .as_table_mut()
        .ok_or_else(|| format!("{path}: [features] is not a table"))?;
    let generated_keys: BTreeSet<&str> = wanted.iter().map(|(k, _)| k.as_str()).collect();
    // Drop version and resource features that are no longer generated; keep hand-written ones
    // (e.g. `client`).
    let stale: Vec<String> = features
        .iter()
        .map(|(k, _)| k.to_string())
        .filter(|k| !intercom_codegen::config::RESERVED_FEATURES.contains(&k.as_str()))
        .filter(|k| !generated_keys.contains(k.as_str()))
        .collect();
    for k in stale {
        features.remove(&k);
    }
    for (name, enables) in wanted {
        if name == "default" {
            // Keep hand-written defaults (the client), replace the version part.
            let mut list: Vec<String> = features
                .get("default")
                .and_then(|i| i.as_array())
                .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
                .unwrap_or_default();
            list.retain(|f| !is_version_feature(f));
            list.extend(enables.iter().cloned());
            features.insert("default", toml_edit::value(list.into_iter().collect::<toml_edit::Array>()));
        } else {
            let current: Option<Vec<&str>> =
                features.get(name).and_then(|i| i.as_array()).map(|a| a.iter().filter_map(|v| v.as_str()).collect());
            if current.as_deref() != Some(&enables.iter().map(String::as_str).collect::<Vec<_>>()[..]) {
                features.insert(name, toml_edit::value(enables.iter().collect::<toml_edit::Array>()));
            }
        }
    }
    Ok(GeneratedFile { path: path.into(), contents: doc.to_string() })
}

/// A feature named like a version module (`v2_11`, `preview`), as opposed to a hand-written one
/// (`client`, `tracing`).
fn is_version_feature(name: &str) -> bool {
    name == "preview" || (name.starts_with('v') && name[1..].starts_with(|c: char| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    /// A throwaway workspace holding `versions` (name, YAML) pinned by their real hashes.
    fn workspace(tag: &str, versions: &[(&str, &str)]) -> (PathBuf, PathBuf) {
        let root = std::env::temp_dir().join(format!("intercom-xtask-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let openapi = root.join("openapi");
        let mut toml =
            String::from("[upstream]\nrepository = 'r'\ncommit = 'c'\nraw_url = 'http://127.0.0.1:9/{path}'\n");
        for (name, yaml) in versions {
            let path = format!("descriptions/{name}/api.yaml");
            std::fs::create_dir_all(openapi.join(format!("descriptions/{name}"))).unwrap();
            std::fs::write(openapi.join(&path), yaml).unwrap();
            let sha = intercom_codegen::load::sha256_hex(yaml.as_bytes());
            toml.push_str(&format!("[[version]]\nname = '{name}'\npath = '{path}'\nsha256 = '{sha}'\n"));
        }
        std::fs::create_dir_all(root.join("spec")).unwrap();
        std::fs::create_dir_all(root.join(FIXTURE_DIR)).unwrap();
        std::fs::create_dir_all(root.join("generated")).unwrap();
        std::fs::write(root.join("spec/versions.toml"), toml).unwrap();
        std::fs::write(root.join("spec/fixups.toml"), "").unwrap();
        std::fs::write(root.join("spec/webhook-topics.toml"), "").unwrap();
        std::fs::write(root.join("spec/resources.toml"), "").unwrap();
        std::fs::write(root.join("generated/Cargo.toml"), "[package]\nname = 'x'\n").unwrap();
        (root, openapi)
    }

    /// The committed `generated/` matches what the generator produces from the pinned specs.
    #[test]
    fn committed_output_is_fresh() {
        let dir = std::env::var_os("INTERCOM_OPENAPI_DIR").map(PathBuf::from);
        assert!(
            dir.is_some() || crate::spec_files::workspace_root().join("spec/cache").exists(),
            "set INTERCOM_OPENAPI_DIR (CI: ../shared/intercom-openapi)"
        );
        if let Err(e) = run_in(&crate::spec_files::workspace_root(), dir.as_deref(), true) {
            panic!("{e}");
        }
    }

    const GOOD: &str = "openapi: 3.0.1\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents: {schemas: {note: {type: object, properties: {id: {type: string}}}}}\n";

    #[test]
    fn a_bad_version_writes_nothing_and_names_the_place() {
        let bad = "openapi: 3.0.1\ninfo: {title: t, version: '2'}\npaths: {}\ncomponents: {schemas: {a: {$ref: '#/components/schemas/nope'}}}\n";
        let (root, openapi) = workspace("bad", &[("1.0", GOOD), ("2.0", bad)]);
        let err = run_in(&root, Some(&openapi), false).unwrap_err();
        assert!(err.starts_with("2.0 (descriptions/2.0/api.yaml) at /components/schemas/a/$ref:"), "{err}");
        assert!(!root.join("generated/src").exists(), "nothing may be written when any version fails");
        assert_eq!(std::fs::read_to_string(root.join("generated/Cargo.toml")).unwrap(), "[package]\nname = 'x'\n");
        std::fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn generate_then_check_then_detect_staleness_and_orphans() {
        let (root, openapi) = workspace("good", &[("1.0", GOOD)]);
        run_in(&root, Some(&openapi), false).unwrap();
        assert!(root.join("generated/src/versions/v1_0/models.rs").exists());
        run_in(&root, Some(&openapi), true).unwrap();
        // Byte-identical on a second run.
        let before = std::fs::read_to_string(root.join("generated/src/versions/v1_0/models.rs")).unwrap();
        run_in(&root, Some(&openapi), false).unwrap();
        assert_eq!(before, std::fs::read_to_string(root.join("generated/src/versions/v1_0/models.rs")).unwrap());
        // A hand edit and a leftover generated file are both reported by --check.
        std::fs::write(root.join("generated/src/versions/v1_0/models.rs"), "// edited\n").unwrap();
        std::fs::write(root.join("generated/src/v0_9.rs"), format!("// {PREAMBLE_MARK} from x.\n")).unwrap();
        std::fs::create_dir_all(root.join("generated/src/versions/v0_8")).unwrap();
        std::fs::write(root.join("generated/src/versions/v0_8/mod.rs"), format!("// {PREAMBLE_MARK} from x.\n"))
            .unwrap();
        let err = run_in(&root, Some(&openapi), true).unwrap_err();
        assert!(err.contains("stale: generated/src/versions/v1_0/models.rs"), "{err}");
        assert!(err.contains("no longer generated: generated/src/v0_9.rs"), "{err}");
        run_in(&root, Some(&openapi), false).unwrap();
        assert!(!root.join("generated/src/v0_9.rs").exists());
        assert!(!root.join("generated/src/versions/v0_8").exists(), "a folder left empty goes too");
        run_in(&root, Some(&openapi), true).unwrap();
        std::fs::remove_dir_all(&root).unwrap();
    }
}
