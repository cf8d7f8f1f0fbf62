//! `cargo xtask pin [--from DIR] [--add VERSION [--path PATH]]… [--details]`: re-pins every version to a newer
//! checkout of the upstream repository (default `$INTERCOM_OPENAPI_DIR`), optionally adding new
//! versions, and regenerates.
//!
//! 1. The checkout's commit: `git rev-parse HEAD` when it is a git repository (whose pinned files
//!    must not differ from that commit), else the first word of its `UPSTREAM_COMMIT` file.
//! 2. `spec/versions.toml` is edited in memory (comments and layout kept): the commit, each file's
//!    sha256, and each added version (`descriptions/<v>/api.intercom.io.yaml` unless `--path`),
//!    placed after the last numbered version below it, before named channels such as Preview.
//! 3. Every fix-up that no longer applies is listed, with its id and version; then nothing is
//!    written.
//! 4. Everything is regenerated in memory (`cargo xtask codegen`'s plan); only when it all
//!    succeeded are the files and `spec/versions.toml` written.
//! 5. Per version, a one-line summary of the IR differences against the previous pin. The previous
//!    pin's description is looked up in the checkout's git history, then in `$INTERCOM_OPENAPI_DIR`
//!    when `--from` names another directory, then in the cache, each checked against the old hash.
//!    `--details` also prints the Markdown report of each changed version against its previous pin.

use std::path::{Path, PathBuf};
use std::process::Command;

use intercom_codegen::diff::{self, VersionIr};
use intercom_codegen::{config, load, PinnedVersion};

use crate::codegen;
use intercom_codegen::Workspace;

use crate::spec_files;

const VERSIONS: &str = "spec/versions.toml";

/// A version to add: its name and, when not the default, its path in the checkout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addition {
    pub name: String,
    pub path: Option<String>,
}

pub fn run(args: &[&str]) -> Result<(), String> {
    let details = args.contains(&"--details");
    let args: Vec<&str> = args.iter().copied().filter(|a| *a != "--details").collect();
    let (from, adds) = parse_args(&args)?;
    let env_dir = std::env::var_os("INTERCOM_OPENAPI_DIR").map(PathBuf::from);
    let new_dir = from
        .clone()
        .or_else(|| env_dir.clone())
        .ok_or("cargo xtask pin needs an upstream checkout: set INTERCOM_OPENAPI_DIR or pass --from <dir>")?;
    // The old pin's files may still be in INTERCOM_OPENAPI_DIR when --from names the new checkout.
    let old_dir = env_dir.filter(|d| from.is_some() && *d != new_dir);
    let outcome = pin_in(&spec_files::workspace_root(), &new_dir, old_dir.as_deref(), &adds)?;
    print!("{}", outcome.summary);
    if details {
        for report in &outcome.reports {
            print!("\n{report}");
        }
    }
    if from.is_some() && std::env::var_os("INTERCOM_OPENAPI_DIR").is_some_and(|d| Path::new(&d) != new_dir) {
        println!(
            "note: INTERCOM_OPENAPI_DIR still names the old checkout; point it at {} for `cargo xtask codegen`",
            new_dir.display()
        );
    }
    Ok(())
}

fn parse_args(args: &[&str]) -> Result<(Option<PathBuf>, Vec<Addition>), String> {
    let mut from = None;
    let mut adds: Vec<Addition> = Vec::new();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        let mut value = |flag: &str| rest.next().copied().ok_or(format!("{flag} needs a value"));
        match *arg {
            "--from" => from = Some(PathBuf::from(value("--from")?)),
            "--add" => adds.push(Addition { name: value("--add")?.to_string(), path: None }),
            "--path" => {
                let path = value("--path")?.to_string();
                match adds.last_mut() {
                    Some(add) if add.path.is_none() => add.path = Some(path),
                    _ => {
                        return Err(
                            "--path names the file of the version added just before it (--add V --path P)".into()
                        )
                    }
                }
            }
            other => return Err(format!("cargo xtask pin: unknown argument `{other}`\n{}", crate::USAGE)),
        }
    }
    Ok((from, adds))
}

/// What a re-pin did.
#[derive(Debug)]
pub struct PinOutcome {
    /// The commit change, then one line per version.
    pub summary: String,
    /// For each version whose description changed and could be compared, the Markdown report of
    /// the previous pin against the new one (printed by `--details`).
    pub reports: Vec<String>,
}

/// Re-pins the workspace at `root` to the checkout `new_dir` (see the module docs).
pub fn pin_in(root: &Path, new_dir: &Path, old_dir: Option<&Path>, adds: &[Addition]) -> Result<PinOutcome, String> {
    if !new_dir.is_dir() {
        return Err(format!("upstream checkout {} does not exist or is not a directory", new_dir.display()));
    }
    let commit = checkout_commit(new_dir)?;
    let old = spec_files::load_inputs(root)?;
    let text = spec_files::read_text(&root.join(VERSIONS))?;
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e| format!("{VERSIONS}: {e}"))?;

    check_additions(&old, adds)?;
    let add_path =
        |add: &Addition| add.path.clone().unwrap_or_else(|| format!("descriptions/{}/api.intercom.io.yaml", add.name));
    if git_repository(new_dir) {
        let paths: Vec<String> =
            old.versions.versions.iter().map(|v| v.path.clone()).chain(adds.iter().map(add_path)).collect();
        ensure_clean(new_dir, &commit, paths.iter().map(String::as_str))?;
    }

    // The new pin, edited into the document so that comments and layout survive.
    let descriptions = edit_pins(&mut doc, &commit, new_dir, adds, add_path)?;
    let new_text = doc.to_string();
    let versions = config::parse_versions(VERSIONS, &new_text).map_err(|e| e.to_string())?;
    let inputs = old.clone().with_versions(versions).with_openapi_dir(Some(new_dir));

    // Every fix-up that no longer applies, before generation would stop at the first.
    refuse_stale_fixups(&inputs, &descriptions, new_dir, &commit)?;

    let plan = codegen::plan(&inputs)?;
    let mut summary = format!("pin: {} → {commit} ({})\n", old.versions.upstream.commit, new_dir.display());
    let mut reports = Vec::new();
    for (pinned, ir) in inputs.versions.versions.iter().zip(&plan.irs) {
        let line = version_line(&inputs, &old, pinned, ir, (new_dir, old_dir), &commit, &mut reports);
        summary.push_str(&format!("  {}: {line}\n", pinned.name));
    }

    codegen::apply(root, &plan, false)?;
    if new_text != text {
        std::fs::write(root.join(VERSIONS), &new_text).map_err(|e| format!("{VERSIONS}: {e}"))?;
    }
    Ok(PinOutcome { summary, reports })
}

/// Refuses additions that are pinned already or named twice.
fn check_additions(old: &Workspace, adds: &[Addition]) -> Result<(), String> {
    for add in adds {
        if old.versions.versions.iter().any(|v| v.name == add.name) {
            return Err(format!(
                "version `{}` is already in {VERSIONS}; `cargo xtask pin` without --add re-pins it",
                add.name
            ));
        }
        if adds.iter().filter(|a| a.name == add.name).count() > 1 {
            return Err(format!("version `{}` is named twice", add.name));
        }
    }
    Ok(())
}

/// Writes the new commit and every description's hash into the `versions.toml` document, inserting
/// the added versions in version order; returns each version's description bytes, in pin order.
fn edit_pins(
    doc: &mut toml_edit::DocumentMut,
    commit: &str,
    new_dir: &Path,
    adds: &[Addition],
    add_path: impl Fn(&Addition) -> String,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    doc["upstream"]["commit"] = toml_edit::value(commit);
    let tables = doc
        .get_mut("version")
        .and_then(toml_edit::Item::as_array_of_tables_mut)
        .ok_or_else(|| format!("{VERSIONS}: no [[version]] tables"))?;
    let mut descriptions: Vec<(String, Vec<u8>)> = Vec::new();
    for table in tables.iter_mut() {
        let name = table.get("name").and_then(toml_edit::Item::as_str).unwrap_or_default().to_string();
        let path = table.get("path").and_then(toml_edit::Item::as_str).unwrap_or_default().to_string();
        let bytes = read_description(new_dir, &name, &path)?;
        table["sha256"] = toml_edit::value(load::sha256_hex(&bytes));
        descriptions.push((name, bytes));
    }
    for add in adds {
        let path = add_path(add);
        let bytes = read_description(new_dir, &add.name, &path)?;
        let mut table = toml_edit::Table::new();
        table.decor_mut().set_prefix("\n");
        table["name"] = toml_edit::value(add.name.as_str());
        table["path"] = toml_edit::value(path.as_str());
        table["sha256"] = toml_edit::value(load::sha256_hex(&bytes));
        let names: Vec<String> = tables
            .iter()
            .map(|t| t.get("name").and_then(toml_edit::Item::as_str).unwrap_or_default().to_string())
            .collect();
        let at = insertion_index(&names, &add.name);
        let mut all: Vec<toml_edit::Table> = tables.iter().cloned().collect();
        all.insert(at, table);
        tables.clear();
        for t in all {
            tables.push(t);
        }
        descriptions.insert(at, (add.name.clone(), bytes));
    }
    Ok(descriptions)
}

/// Every fix-up that no longer applies at the new commit, listed at once (generation would stop at
/// the first); nothing is written when there is one.
fn refuse_stale_fixups(
    inputs: &Workspace,
    descriptions: &[(String, Vec<u8>)],
    new_dir: &Path,
    commit: &str,
) -> Result<(), String> {
    let mut stale = Vec::new();
    for (pinned, (_, bytes)) in inputs.versions.versions.iter().zip(descriptions) {
        let file = format!("{} ({})", pinned.name, pinned.path);
        stale.extend(
            intercom_codegen::repin::stale_fixups(&file, &pinned.name, bytes, &inputs.fixups)
                .map_err(|e| format!("{e} (upstream checkout {})", new_dir.display()))?,
        );
    }
    if !stale.is_empty() {
        let mut msg = format!(
            "{} fix-up(s) of spec/fixups.toml no longer apply at {commit}; nothing was written. Remove them \
             (or the versions they list) or correct them, then run `cargo xtask pin` again:\n",
            stale.len()
        );
        for s in &stale {
            msg.push_str(&format!("  fix-up `{}` for {}: {}\n", s.id, s.version, s.error));
        }
        return Err(msg);
    }
    Ok(())
}

/// What re-pinning did to one version, for the summary; a changed description also adds its
/// migration report to `reports`.
fn version_line(
    inputs: &Workspace,
    old: &Workspace,
    pinned: &PinnedVersion,
    ir: &diff::VersionIr,
    (new_dir, old_dir): (&Path, Option<&Path>),
    commit: &str,
    reports: &mut Vec<String>,
) -> String {
    match old.versions.versions.iter().find(|v| v.name == pinned.name) {
        None => match inputs.versions.versions.iter().position(|v| v.name == pinned.name) {
            Some(i) if i > 0 => {
                let prev = &inputs.versions.versions[i - 1].name;
                format!("new version; changes since {prev}: {}", intercom_codegen::changes_path(prev, &pinned.name))
            }
            _ => "new version".into(),
        },
        Some(before) if before.sha256 == pinned.sha256 => "description unchanged".into(),
        Some(before) => match previous_ir(new_dir, old_dir, old, before) {
            Ok(before_ir) => {
                let changes = diff::diff(&before_ir, ir);
                if !changes.summary().is_empty() {
                    let title = format!("Intercom API {}: previous pin → {commit}", pinned.name);
                    let intro = format!(
                        "What changed in the `{}` module when re-pinning from commit `{}` (sha256 `{}`) to \
                         commit `{commit}` (sha256 `{}`), computed from the generator's IR of both descriptions.",
                        pinned.module_name(),
                        old.versions.upstream.commit,
                        before.sha256,
                        pinned.sha256
                    );
                    reports.push(changes.markdown_titled(&title, &intro));
                }
                format!("{} → {}: {}", short(&before.sha256), short(&pinned.sha256), changes.summary())
            }
            Err(why) => format!("{} → {}: not compared ({why})", short(&before.sha256), short(&pinned.sha256)),
        },
    }
}

fn short(sha: &str) -> &str {
    &sha[..sha.len().min(12)]
}

/// Where a new version goes among the listed ones: a numbered version after the last numbered one
/// below it (before named channels such as `Preview`), a named one at the end.
fn insertion_index(names: &[String], name: &str) -> usize {
    let number = |n: &str| -> Option<Vec<u64>> {
        n.starts_with(|c: char| c.is_ascii_digit()).then(|| n.split('.').map(|p| p.parse().unwrap_or(0)).collect())
    };
    let Some(new) = number(name) else { return names.len() };
    names.iter().position(|n| number(n).is_none_or(|existing| existing > new)).unwrap_or(names.len())
}

fn read_description(dir: &Path, name: &str, path: &str) -> Result<Vec<u8>, String> {
    let file = dir.join(path);
    std::fs::read(&file)
        .map_err(|e| format!("{name} ({path}): cannot read {} in the upstream checkout: {e}", file.display()))
}

fn git_repository(dir: &Path) -> bool {
    dir.join(".git").exists()
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git in {}: {e}", dir.display()))?;
    if !out.status.success() {
        return Err(format!(
            "git {} in {} failed: {}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(out.stdout)
}

/// The commit the checkout holds: git's HEAD, else its `UPSTREAM_COMMIT` file.
fn checkout_commit(dir: &Path) -> Result<String, String> {
    if git_repository(dir) {
        let head = git(dir, &["rev-parse", "HEAD"])?;
        return Ok(String::from_utf8_lossy(&head).trim().to_string());
    }
    let file = dir.join("UPSTREAM_COMMIT");
    let text = std::fs::read_to_string(&file).map_err(|e| {
        format!(
            "{} is not a git repository and has no readable UPSTREAM_COMMIT file ({e}): which commit is it?",
            dir.display()
        )
    })?;
    intercom_codegen::repin::parse_upstream_commit(&file.display().to_string(), &text)
}

/// Refuses a git checkout whose pinned files differ from its HEAD: the pin would record a commit
/// that does not hold the hashed files.
fn ensure_clean<'a>(dir: &Path, commit: &str, paths: impl Iterator<Item = &'a str>) -> Result<(), String> {
    let mut args = vec!["status", "--porcelain", "--"];
    args.extend(paths);
    let status = git(dir, &args)?;
    if status.is_empty() {
        return Ok(());
    }
    Err(format!(
        "{} has uncommitted changes to pinned files (they would not match commit {commit}):\n{}",
        dir.display(),
        String::from_utf8_lossy(&status).trim_end()
    ))
}

/// The IR of a version at its previous pin.
fn previous_ir(
    new_dir: &Path,
    old_dir: Option<&Path>,
    old: &Workspace,
    before: &PinnedVersion,
) -> Result<VersionIr, String> {
    let bytes = previous_bytes(new_dir, old_dir, old, before).ok_or_else(|| {
        "the previous description is neither in the checkout's git history, INTERCOM_OPENAPI_DIR nor the cache"
            .to_string()
    })?;
    let prepared = intercom_codegen::prepare(&old.input(before, &bytes), &old.fixups).map_err(|e| e.to_string())?;
    Ok(VersionIr::new(&before.name, &prepared))
}

fn previous_bytes(new_dir: &Path, old_dir: Option<&Path>, old: &Workspace, before: &PinnedVersion) -> Option<Vec<u8>> {
    let matches = |bytes: &Vec<u8>| load::sha256_hex(bytes) == before.sha256;
    let from_git = || {
        git_repository(new_dir)
            .then(|| git(new_dir, &["show", &format!("{}:{}", old.versions.upstream.commit, before.path)]).ok())
            .flatten()
    };
    let from_dir = || old_dir.and_then(|d| std::fs::read(d.join(&before.path)).ok());
    let from_cache = || std::fs::read(old.cache_path(before)).ok();
    from_git().filter(matches).or_else(|| from_dir().filter(matches)).or_else(|| from_cache().filter(matches))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fixture versions of generator/tests/diff.rs: a version at its two upstream commits.
    const BEFORE: &str = include_str!("../../generator/tests/fixtures/diff/before.yaml");
    const AFTER: &str = include_str!("../../generator/tests/fixtures/diff/after.yaml");
    const OTHER: &str = include_str!("../../generator/tests/fixtures/composition.yaml");
    const HEADER: &str = "# Pinned versions (this comment must survive re-pinning).\n\n[upstream]\nrepository = 'r'\n\
        commit = '0000000'\nraw_url = 'http://127.0.0.1:9/{path}'\n\n# The only version.\n[[version]]\nname = '1.0'\n\
        path = 'descriptions/1.0/api.intercom.io.yaml'\nsha256 = '0000000000000000000000000000000000000000000000000000000000000000'\n";

    /// A throwaway workspace pinning version 1.0 to no real commit, and a fake upstream git
    /// repository whose first commit holds `BEFORE` as 1.0.
    fn setup(tag: &str, fixups: &str) -> (PathBuf, PathBuf, PathBuf) {
        let base = std::env::temp_dir().join(format!("intercom-pin-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let (root, upstream) = (base.join("ws"), base.join("upstream"));
        for dir in ["spec", "generator/tests/fixtures", "generated"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        std::fs::write(root.join(VERSIONS), HEADER).unwrap();
        std::fs::write(root.join("spec/fixups.toml"), fixups).unwrap();
        std::fs::write(root.join("spec/webhook-topics.toml"), "").unwrap();
        // The fixtures' operations have no tags: they are grouped, and featured, as `Other`.
        std::fs::write(root.join("spec/resources.toml"), "[tags]\nOther = 'other'\n").unwrap();
        std::fs::write(root.join("generated/Cargo.toml"), "[package]\nname = 'x'\n").unwrap();
        write(&upstream, "descriptions/1.0/api.intercom.io.yaml", BEFORE);
        write(&upstream, "LICENSE.md", "fixture\n");
        git_test(&upstream, &["init", "-q"]);
        commit(&upstream, "one");
        (base, root, upstream)
    }

    fn write(dir: &Path, path: &str, text: &str) {
        let file = dir.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }

    fn git_test(dir: &Path, args: &[&str]) -> String {
        let mut all =
            vec!["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"];
        all.extend(args);
        String::from_utf8(git(dir, &all).unwrap()).unwrap().trim().to_string()
    }

    fn commit(dir: &Path, message: &str) -> String {
        git_test(dir, &["add", "-A"]);
        git_test(dir, &["commit", "-q", "-m", message]);
        git_test(dir, &["rev-parse", "HEAD"])
    }

    fn sha(text: &str) -> String {
        load::sha256_hex(text.as_bytes())
    }

    #[test]
    fn repin_then_add_a_version_end_to_end() {
        let (base, root, upstream) = setup("e2e", "");
        let first = git_test(&upstream, &["rev-parse", "HEAD"]);
        let summary = pin_in(&root, &upstream, None, &[]).unwrap().summary;
        assert!(summary.starts_with(&format!("pin: 0000000 → {first} (")), "{summary}");
        // The old pin named no real commit: reported, not fatal.
        assert!(summary.contains("  1.0: 000000000000 → "), "{summary}");
        assert!(summary.contains("not compared"), "{summary}");
        let toml = std::fs::read_to_string(root.join(VERSIONS)).unwrap();
        assert!(toml.starts_with("# Pinned versions (this comment must survive re-pinning).\n"), "{toml}");
        assert!(toml.contains("# The only version.\n[[version]]"), "{toml}");
        assert!(toml.contains(&format!("commit = \"{first}\"")), "{toml}");
        assert!(toml.contains(&sha(BEFORE)), "{toml}");
        assert!(root.join("generated/src/versions/v1_0/models.rs").exists());
        codegen::run_in(&root, Some(&upstream), true).unwrap();

        // Upstream moves: 1.0 is edited and 2.0 published.
        write(&upstream, "descriptions/1.0/api.intercom.io.yaml", AFTER);
        write(&upstream, "descriptions/2.0/api.intercom.io.yaml", OTHER);
        let second = commit(&upstream, "two");
        let add = Addition { name: "2.0".into(), path: None };
        let outcome = pin_in(&root, &upstream, None, &[add]).unwrap();
        let summary = outcome.summary;
        assert_eq!(outcome.reports.len(), 1);
        assert!(
            outcome.reports[0].contains(&format!("# Intercom API 1.0: previous pin → {second}\n")),
            "{}",
            outcome.reports[0]
        );
        assert_eq!(
            summary.lines().skip(1).collect::<Vec<_>>(),
            [
                format!(
                    "  1.0: {} → {}: operations: 1 added, 1 removed, 3 changed; types: 1 added, 1 removed, 6 changed",
                    &sha(BEFORE)[..12],
                    &sha(AFTER)[..12]
                ),
                "  2.0: new version; changes since 1.0: changes/1.0-to-2.0.md".to_string(),
            ]
        );
        let toml = std::fs::read_to_string(root.join(VERSIONS)).unwrap();
        assert!(toml.starts_with("# Pinned versions (this comment must survive re-pinning).\n"), "{toml}");
        assert!(toml.contains(&format!("commit = \"{second}\"")), "{toml}");
        assert!(toml.ends_with(&format!(
            "\n[[version]]\nname = \"2.0\"\npath = \"descriptions/2.0/api.intercom.io.yaml\"\nsha256 = \"{}\"\n",
            sha(OTHER)
        )));
        assert!(toml.contains(&sha(AFTER)) && !toml.contains(&sha(BEFORE)), "{toml}");
        assert!(root.join("generated/src/versions/v2_0/mod.rs").exists());
        let module_doc = std::fs::read_to_string(root.join("generated/src/versions/v2_0/mod.rs")).unwrap();
        assert!(module_doc.contains("Changes since 1.0: `changes/1.0-to-2.0.md`"), "{module_doc}");
        let report = std::fs::read_to_string(root.join("changes/1.0-to-2.0.md")).unwrap();
        assert!(report.contains("# Intercom API 1.0 → 2.0"), "{report}");
        // `cargo xtask diff` gives the committed report; everything is fresh.
        assert_eq!(crate::diff::report_in(&root, Some(&upstream), "1.0", "2.0").unwrap(), report);
        codegen::run_in(&root, Some(&upstream), true).unwrap();

        // Re-pinning to the same commit changes nothing; a report no longer produced is listed.
        let summary = pin_in(&root, &upstream, None, &[]).unwrap().summary;
        assert!(summary.contains("  1.0: description unchanged\n  2.0: description unchanged\n"), "{summary}");
        std::fs::write(root.join("changes/0.9-to-1.0.md"), format!("{}\n", intercom_codegen::diff::REPORT_MARK))
            .unwrap();
        let err = codegen::run_in(&root, Some(&upstream), true).unwrap_err();
        assert!(err.contains("no longer generated: changes/0.9-to-1.0.md"), "{err}");
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn every_stale_fixup_is_listed_and_nothing_is_written() {
        let fixups = "[[fixup]]\nid = 'retired-reason'\nversions = ['1.0']\nop = 'replace'\n\
            pointer = '/components/schemas/retired/properties/reason'\nvalue = { type = 'string' }\nwhy = 'w'\n\
            [[fixup]]\nid = 'still-fine'\nversions = ['1.0']\nop = 'replace'\n\
            pointer = '/components/schemas/error/properties/message'\nvalue = { type = 'string' }\nwhy = 'w'\n\
            [[fixup]]\nid = 'merged-into'\nversions = ['1.0']\nop = 'add'\n\
            pointer = '/components/schemas/contact/properties/merged_into'\nvalue = { type = 'string' }\nwhy = 'w'\n";
        let (base, root, upstream) = setup("stale", fixups);
        pin_in(&root, &upstream, None, &[]).unwrap();
        let pinned = std::fs::read_to_string(root.join(VERSIONS)).unwrap();
        write(&upstream, "descriptions/1.0/api.intercom.io.yaml", AFTER);
        let second = commit(&upstream, "two");
        let err = pin_in(&root, &upstream, None, &[]).unwrap_err();
        assert!(
            err.starts_with(&format!(
                "2 fix-up(s) of spec/fixups.toml no longer apply at {second}; nothing was written"
            )),
            "{err}"
        );
        assert!(err.contains("\n  fix-up `retired-reason` for 1.0: 1.0 (descriptions/1.0/api.intercom.io.yaml) at /components/schemas/retired/properties/reason: fix-up `retired-reason` does not apply: parent `/components/schemas/retired/properties` does not exist"), "{err}");
        assert!(err.contains("\n  fix-up `merged-into` for 1.0: "), "{err}");
        assert!(err.contains("target already exists"), "{err}");
        assert!(!err.contains("still-fine"), "{err}");
        assert_eq!(std::fs::read_to_string(root.join(VERSIONS)).unwrap(), pinned);
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn bad_input_gives_clear_errors() {
        let (base, root, upstream) = setup("bad", "");
        let err = pin_in(&root, &base.join("nowhere"), None, &[]).unwrap_err();
        assert!(
            err.starts_with("upstream checkout ") && err.ends_with("nowhere does not exist or is not a directory"),
            "{err}"
        );
        let add = |name: &str| vec![Addition { name: name.into(), path: None }];
        let err = pin_in(&root, &upstream, None, &add("3.0")).unwrap_err();
        assert!(err.starts_with("3.0 (descriptions/3.0/api.intercom.io.yaml): cannot read "), "{err}");
        assert!(err.contains("in the upstream checkout"), "{err}");
        let err = pin_in(&root, &upstream, None, &add("1.0")).unwrap_err();
        assert!(err.starts_with("version `1.0` is already in spec/versions.toml"), "{err}");

        // Uncommitted edits to a pinned file would make the recorded commit a lie.
        write(&upstream, "descriptions/1.0/api.intercom.io.yaml", "openapi: 3.0.1\npaths: [unclosed\n");
        let err = pin_in(&root, &upstream, None, &[]).unwrap_err();
        assert!(err.contains("has uncommitted changes to pinned files"), "{err}");
        assert!(err.contains("descriptions/1.0/api.intercom.io.yaml"), "{err}");
        // Committed, malformed YAML is named by version and file.
        commit(&upstream, "broken");
        let err = pin_in(&root, &upstream, None, &[]).unwrap_err();
        assert!(err.starts_with("1.0 (descriptions/1.0/api.intercom.io.yaml): malformed YAML"), "{err}");
        assert!(err.contains("(upstream checkout "), "{err}");

        // A plain directory names its commit in UPSTREAM_COMMIT, or is refused.
        let plain = base.join("plain");
        write(&plain, "descriptions/1.0/api.intercom.io.yaml", BEFORE);
        let err = pin_in(&root, &plain, None, &[]).unwrap_err();
        assert!(err.contains("is not a git repository and has no readable UPSTREAM_COMMIT file"), "{err}");
        write(&plain, "UPSTREAM_COMMIT", "not-a-commit\n");
        let err = pin_in(&root, &plain, None, &[]).unwrap_err();
        assert!(err.contains("UPSTREAM_COMMIT: expected a commit hash"), "{err}");
        write(&plain, "UPSTREAM_COMMIT", "8889625a7b931d8649e18726e7f872ff073520fc 2026-08-21T16:48:12+01:00\n");
        pin_in(&root, &plain, None, &[]).unwrap();
        let toml = std::fs::read_to_string(root.join(VERSIONS)).unwrap();
        assert!(toml.contains("commit = \"8889625a7b931d8649e18726e7f872ff073520fc\""), "{toml}");
        assert!(std::fs::read_to_string(root.join(VERSIONS)).unwrap().contains(&sha(BEFORE)));
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn the_previous_pin_can_come_from_the_old_checkout() {
        let (base, root, upstream) = setup("old-dir", "");
        pin_in(&root, &upstream, None, &[]).unwrap();
        // A plain copy of a newer commit; the old files are only in the old checkout (the usual
        // `INTERCOM_OPENAPI_DIR=old cargo xtask pin --from new`).
        let new = base.join("new");
        write(&new, "descriptions/1.0/api.intercom.io.yaml", AFTER);
        write(&new, "UPSTREAM_COMMIT", "abcdef0123456789abcdef0123456789abcdef01\n");
        let summary = pin_in(&root, &new, Some(&upstream), &[]).unwrap().summary;
        assert!(summary.contains("types: 1 added, 1 removed, 6 changed\n"), "{summary}");
        codegen::run_in(&root, Some(&new), true).unwrap();
        std::fs::remove_dir_all(&base).unwrap();
    }

    #[test]
    fn arguments() {
        assert_eq!(parse_args(&[]).unwrap(), (None, vec![]));
        let (from, adds) =
            parse_args(&["--from", "/x", "--add", "2.17", "--add", "Next", "--path", "d/n.yaml"]).unwrap();
        assert_eq!(from, Some(PathBuf::from("/x")));
        assert_eq!(
            adds,
            vec![
                Addition { name: "2.17".into(), path: None },
                Addition { name: "Next".into(), path: Some("d/n.yaml".into()) }
            ]
        );
        assert!(parse_args(&["--path", "p"]).unwrap_err().contains("--add V --path P"));
        assert!(parse_args(&["--add"]).unwrap_err().contains("--add needs a value"));
        assert!(parse_args(&["--bogus"]).unwrap_err().contains("unknown argument `--bogus`"));
    }

    #[test]
    fn new_versions_go_after_the_numbered_ones_below_them() {
        let names: Vec<String> = ["2.9", "2.10", "2.16", "Preview"].iter().map(|s| s.to_string()).collect();
        assert_eq!(insertion_index(&names, "2.17"), 3);
        assert_eq!(insertion_index(&names, "2.11"), 2);
        assert_eq!(insertion_index(&names, "1.0"), 0);
        assert_eq!(insertion_index(&names, "Next"), 4);
    }
}
