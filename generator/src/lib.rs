//! `intercom-codegen`: Intercom's OpenAPI descriptions → the `intercom-api` crate.
//!
//! A pure library: callers hand in bytes and get back file contents; the pipeline never touches the
//! file system (only `xtask` writes). The one exception is the `workspace` module (feature
//! `workspace`), the read-only loader of this repository's `spec/` and the pinned descriptions that
//! `xtask`, the tests and the benchmarks share. The pipeline for one version:
//! hash check → YAML → fix-ups (data from `spec/fixups.toml`) → lowering into the IR (every Rust
//! name chosen) → tokens (`quote`) → formatted source (`prettyplease`).

// The public surface: the data files, errors, the migration report, the report, re-pinning checks,
// hashing and parsing a description, and the workspace loader.
pub mod config;
pub mod diff;
pub mod error;
pub mod load;
pub mod repin;
pub mod report;
#[doc(hidden)]
pub mod webhooks;
#[cfg(feature = "workspace")]
pub mod workspace;

// The IR and the stages that build it, reachable through `Prepared` and `Report`: public for xtask
// and the tests, hidden from the docs because it is no stable API (it changes with the generator).
#[doc(hidden)]
pub mod fixups;
#[doc(hidden)]
pub mod ir;
#[doc(hidden)]
pub mod lower;
#[doc(hidden)]
pub mod naming;
#[doc(hidden)]
pub mod pagination;
#[doc(hidden)]
pub mod policy;
#[doc(hidden)]
pub mod resolve;
#[doc(hidden)]
pub mod resources;
#[doc(hidden)]
pub mod search;
#[doc(hidden)]
pub mod search_operators;

// Internal stages.
mod boxing;
mod cycles;
mod decoding;
mod docs;
mod emit_client;
mod emit_models;
mod emit_operations;
mod emit_pagination;
mod emit_search;
mod emit_webhooks;
mod gate;
mod surface;
mod tokens;

// Public only to the test kit (the benchmark times rendering alone); always part of the pipeline.
#[cfg(feature = "test-kit")]
pub mod render;
#[cfg(not(feature = "test-kit"))]
mod render;
// The examples corpus: test support, except the projection the report's undeclared-member count
// needs, hence always compiled and public only with `test-kit`.
#[cfg(feature = "test-kit")]
pub mod conformance;
#[cfg(not(feature = "test-kit"))]
mod conformance;
// Test support only: request samples for the Prism suite, the test dispatch and the derived
// benchmark baseline.
#[cfg(feature = "test-kit")]
mod emit_derived;
#[cfg(feature = "test-kit")]
mod emit_dispatch;
#[cfg(feature = "test-kit")]
pub mod samples;
// The generated lines a feature set compiles, for the resource benchmark.
#[cfg(feature = "test-kit")]
pub mod cfg_lines;

use quote::quote;
use serde_json::Value;

pub use config::{FixupsFile, PinnedVersion, ResourcesFile, Upstream, VersionsFile, WebhookTopicsFile};
pub use error::{Error, Result};
pub use render::PREAMBLE_MARK;
pub use report::Report;
pub use serde_json as json;
#[cfg(feature = "workspace")]
pub use workspace::Workspace;

/// One version's inputs: its pin and the description's bytes.
pub struct VersionInput<'a> {
    pub upstream: &'a Upstream,
    pub pinned: &'a PinnedVersion,
    pub yaml: &'a [u8],
    /// `spec/resources.toml`, which names each tag's cargo feature; `None` derives the names from
    /// the tags (`Help Center` → `help-center`), for descriptions outside the pinned set.
    pub resources: Option<&'a ResourcesFile>,
}

impl VersionInput<'_> {
    /// How errors name this input: version and upstream path.
    pub fn file_label(&self) -> String {
        format!("{} ({})", self.pinned.name, self.pinned.path)
    }
}

/// A file the generator produced, relative to the workspace root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// A description after hashing, parsing, fixing up and lowering.
pub struct Prepared {
    pub doc: Value,
    pub fixups: Vec<fixups::AppliedFixup>,
    pub ir: ir::Ir,
}

/// Checks the hash, parses, applies the fix-ups and lowers one version.
pub fn prepare(input: &VersionInput<'_>, fixups_file: &FixupsFile) -> Result<Prepared> {
    let file = input.file_label();
    load::verify_sha256(&file, input.yaml, &input.pinned.sha256)?;
    let doc = load::parse_yaml(&file, input.yaml)?;
    prepare_parsed(&file, &input.pinned.name, doc, fixups_file, input.resources)
}

/// [`prepare`] without the hash check: for fixture specs in tests.
pub fn prepare_unpinned(file: &str, version: &str, yaml: &[u8], fixups_file: &FixupsFile) -> Result<Prepared> {
    prepare_parsed(file, version, load::parse_yaml(file, yaml)?, fixups_file, None)
}

/// Applies the fix-ups to an already parsed description and lowers it.
fn prepare_parsed(
    file: &str,
    version: &str,
    mut doc: Value,
    fixups_file: &FixupsFile,
    resources: Option<&ResourcesFile>,
) -> Result<Prepared> {
    let applied = fixups::apply(file, version, &mut doc, fixups_file)?;
    let mut ir = lower::lower(file, &doc)?;
    resolve::resolve(file, &mut ir)?;
    resolve::resources(file, &naming::version_module(version), &mut ir, resources)?;
    Ok(Prepared { doc, fixups: applied, ir })
}

/// Response examples that carry members their type does not declare, after all fix-ups and (when
/// the description lowers without them) before the fix-ups of kind `examples`.
fn undeclared_members(
    file: &str,
    version: &str,
    raw: Value,
    fixups_file: &FixupsFile,
    prepared: &Prepared,
) -> report::Undeclared {
    let count = |p: &Prepared| {
        conformance::undeclared_in_responses(p).iter().filter(|(_, undeclared)| !undeclared.is_empty()).count()
    };
    let responses = conformance::undeclared_in_responses(prepared);
    let without = FixupsFile {
        fixups: fixups_file.fixups.iter().filter(|f| f.kind != config::FixupKind::Examples).cloned().collect(),
        search: Vec::new(),
    };
    report::Undeclared {
        responses: responses.len(),
        before: prepare_parsed(file, version, raw, &without, None).ok().map(|p| count(&p)),
        after: responses.iter().filter(|(_, undeclared)| !undeclared.is_empty()).count(),
        remaining: responses
            .iter()
            .flat_map(|(pointer, undeclared)| undeclared.iter().map(move |m| format!("{pointer} {m}")))
            .collect(),
    }
}

/// The modules of a version directory that come from the description (`mod.rs` aside). Public for
/// the codegen benchmark, which renders them one by one.
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionModule {
    Models,
    Operations,
    Client,
}

impl VersionModule {
    pub const ALL: [VersionModule; 3] = [VersionModule::Models, VersionModule::Operations, VersionModule::Client];

    pub fn file_name(self) -> &'static str {
        match self {
            VersionModule::Models => "models.rs",
            VersionModule::Operations => "operations.rs",
            VersionModule::Client => "client.rs",
        }
    }

    /// This module's tokens for the version `module` (`v2_11`), each item compiled with the
    /// features `resources` says it needs.
    fn emit(self, module: &str, prepared: &Prepared, resources: &ir::Resources) -> proc_macro2::TokenStream {
        let ops = &prepared.ir.operations;
        match self {
            VersionModule::Models => {
                let types: Vec<&ir::TypeDef> = prepared.ir.types.values().collect();
                emit_models::models(&types, resources)
            }
            VersionModule::Operations => emit_operations::operations_module(ops, &prepared.ir.types, resources),
            VersionModule::Client => emit_client::client_module(module, ops, &prepared.ir.client_groups, resources),
        }
    }
}

/// The token streams of one prepared version's modules, in [`VersionModule::ALL`] order, before
/// formatting. Exposed so benchmarks can time emission and rendering apart.
#[doc(hidden)]
pub fn emit_tokens(module: &str, prepared: &Prepared) -> [proc_macro2::TokenStream; 3] {
    VersionModule::ALL.map(|m| m.emit(module, prepared, &prepared.ir.resources))
}

/// A fixture spec's `models`, `operations` and `client` modules in one file, each item with the
/// resource features it needs: what the gating snapshot test pins (never compiled: the client
/// extends `Client`, which only the `intercom-api` crate may do).
#[doc(hidden)]
pub fn render_gated_fixture(path: &str, source: &str, prepared: &Prepared) -> Result<String> {
    let [models, operations, client] = emit_tokens("fixture", prepared);
    render::render(
        path,
        source,
        quote! {
            pub mod models { #models }
            pub mod operations { #operations }
            pub mod client { #client }
        },
    )
}

/// A fixture spec's generated code in one file: `models` and `operations` as inline modules, the
/// way a version directory holds them (the client is left out: it extends `Client` itself, which
/// only the `intercom-api` crate may do).
pub fn render_fixture(path: &str, source: &str, prepared: &Prepared) -> Result<String> {
    // Compiled by the crate's tests with none of the fixture's resource features: ungated.
    let ungated = ir::Resources::default();
    let models = VersionModule::Models.emit("fixture", prepared, &ungated);
    let operations = VersionModule::Operations.emit("fixture", prepared, &ungated);
    render::render(
        path,
        source,
        quote! {
            /// The `Intercom-Version` fixture operations send.
            pub const VERSION: &str = "fixture";
            pub mod models { #models }
            pub mod operations { #operations }
        },
    )
}

/// The API surface listing (one line per type, field, variant, operation).
pub fn surface(prepared: &Prepared) -> String {
    let types: Vec<&ir::TypeDef> = prepared.ir.types.values().collect();
    surface::listing(&types, &prepared.ir.operations)
}

/// The SDK files (`generated/src/<version>/`) of one version, plus its report; the test support
/// generated from the same description is `generate_test_support`'s (feature `test-kit`).
///
/// The files are emitted and rendered on scoped threads, one per file: rendering (`syn` parsing
/// the tokens back, then `prettyplease`) is most of the generator's time (BENCHMARKS.md, 1) and
/// the files are independent. The output does not depend on the scheduling. Alone, a version does
/// not know its predecessor: its `mod.rs` names no migration report ([`generate_versions`] does).
pub fn generate_version(input: &VersionInput<'_>, fixups_file: &FixupsFile) -> Result<(Vec<GeneratedFile>, Report)> {
    generate_version_after(input, None, fixups_file).map(|v| (v.files, v.report))
}

/// One version's generated files, its report, and the IR its migration reports compare.
pub struct GeneratedVersion {
    pub files: Vec<GeneratedFile>,
    pub report: Report,
    pub ir: diff::VersionIr,
    /// What the files were generated from, for the test support generated from the same IR.
    pub prepared: Prepared,
}

/// [`generate_version`] for the version listed after `previous`, whose module docs name the
/// migration report from it.
fn generate_version_after(
    input: &VersionInput<'_>,
    previous: Option<&PinnedVersion>,
    fixups_file: &FixupsFile,
) -> Result<GeneratedVersion> {
    let file = input.file_label();
    load::verify_sha256(&file, input.yaml, &input.pinned.sha256)?;
    let raw = load::parse_yaml(&file, input.yaml)?;
    let prepared = prepare_parsed(&file, &input.pinned.name, raw.clone(), fixups_file, input.resources)?;
    let undeclared = undeclared_members(&file, &input.pinned.name, raw, fixups_file, &prepared);
    let searches = search::extract(&file, &input.pinned.name, &prepared.ir, &fixups_file.search)?;
    let module = input.pinned.module_name();
    let source = source_label(input);
    let dir = version_dir(&module);
    type Emit<'a> = Box<dyn FnOnce() -> proc_macro2::TokenStream + Send + 'a>;
    let mut jobs: Vec<(String, Emit<'_>)> =
        vec![(format!("{dir}/mod.rs"), Box::new(move || version_module_tokens(input, previous)))];
    for m in VersionModule::ALL {
        let (module, prepared) = (&module, &prepared);
        jobs.push((
            format!("{dir}/{}", m.file_name()),
            Box::new(move || m.emit(module, prepared, &prepared.ir.resources)),
        ));
    }
    let (name, ir, searches_ref) = (&input.pinned.name, &prepared.ir, &searches);
    jobs.push((format!("{dir}/search.rs"), Box::new(move || emit_search::search_module(name, ir, searches_ref))));
    // Tokens cannot cross threads (`proc_macro2` shares them through `Rc`), so each file is
    // emitted on the thread that renders it; one thread per file.
    let workers = jobs.len();
    let files = parallel_map(jobs, workers, |(path, emit)| {
        let contents = render::render(&path, &source, emit())?;
        Ok(GeneratedFile { path, contents })
    })?;
    let mut report = build_report(&input.pinned.name, &prepared, &files, undeclared);
    report.search = search::summary(&searches);
    let ir = diff::VersionIr::new(&input.pinned.name, &prepared);
    Ok(GeneratedVersion { files, report, ir, prepared })
}

/// How a version's generated files name their source in the preamble.
fn source_label(input: &VersionInput<'_>) -> String {
    format!(
        "Intercom API {} (`{}` at {}, sha256 {})",
        input.pinned.name, input.pinned.path, input.upstream.commit, input.pinned.sha256
    )
}

/// The generated test support of `versions` (every pinned version, in order, with what
/// [`generate_versions_with_ir`] prepared of it): each version's conformance and mock-server
/// dispatch (`generated/tests/{conformance,mock}/`), their indexes, and the derived baseline of the
/// latest stable version (`generated/benches/derived/`).
#[cfg(feature = "test-kit")]
pub fn generate_test_support(versions: &[(&VersionInput<'_>, &Prepared)]) -> Result<Vec<GeneratedFile>> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let latest = versions.iter().rposition(|(v, _)| v.pinned.is_stable());
    let per_version = parallel_map(versions.iter().enumerate().collect(), cores, |(i, &(input, prepared))| {
        let module = input.pinned.module_name();
        let source = source_label(input);
        let conformance = format!("generated/tests/conformance/{module}.rs");
        let mock = format!("generated/tests/mock/{module}.rs");
        let ops = &prepared.ir.operations;
        let mock_tokens = emit_dispatch::mock_dispatch(&module, ops);
        let mut files = vec![
            GeneratedFile {
                contents: render::render(&conformance, &source, conformance_dispatch(&module, prepared))?,
                path: conformance,
            },
            GeneratedFile { contents: render::render(&mock, &source, mock_tokens)?, path: mock },
        ];
        if Some(i) == latest {
            files.push(derived_baseline(input, prepared)?);
        }
        Ok(files)
    })?;
    let pinned: Vec<PinnedVersion> = versions.iter().map(|(input, _)| input.pinned.clone()).collect();
    let mut files: Vec<GeneratedFile> = per_version.into_iter().flatten().collect();
    files.push(conformance_index(&pinned)?);
    files.push(mock_index(&pinned)?);
    Ok(files)
}

/// Each version's `webhooks.rs` (`generated/src/versions/<v>/webhooks.rs`) from the topic table,
/// with how many topics it has (`ping` aside) and how many of them keep their item as JSON, in
/// input order. A row naming an unpinned version, or
/// a schema a listed version lacks, is an error naming topic, version and schema.
pub fn generate_webhooks(
    versions: &[(&VersionInput<'_>, &Prepared)],
    table: &WebhookTopicsFile,
) -> Result<Vec<(GeneratedFile, report::WebhookTopics)>> {
    let pinned: Vec<PinnedVersion> = versions.iter().map(|(input, _)| input.pinned.clone()).collect();
    webhooks::check_versions(table, &pinned)?;
    versions
        .iter()
        .map(|&(input, prepared)| {
            let topics = webhooks::topics_for(&input.pinned.name, prepared, table)?;
            let path = format!("{}/webhooks.rs", version_dir(&input.pinned.module_name()));
            let tokens = emit_webhooks::webhooks_module(&input.pinned.name, &topics, &prepared.ir.resources);
            let source = format!("{} and {}", source_label(input), webhooks::TOPICS_FILE);
            let contents = render::render(&path, &source, tokens)?;
            let counts = report::WebhookTopics {
                topics: topics.len(),
                untyped: topics.iter().filter(|t| t.item.is_none()).count(),
            };
            Ok((GeneratedFile { path, contents }, counts))
        })
        .collect()
}

/// One version's files and its report.
pub type VersionOutput = (Vec<GeneratedFile>, Report);

/// Every version of `inputs`, in input order, generated by as many workers as there are cores
/// (each version's files are already rendered in parallel; more versions at once than cores only
/// adds memory to fault in). An error is that of the first failing version in input order.
pub fn generate_versions(inputs: &[VersionInput<'_>], fixups_file: &FixupsFile) -> Result<Vec<VersionOutput>> {
    Ok(generate_versions_with_ir(inputs, fixups_file)?.into_iter().map(|v| (v.files, v.report)).collect())
}

/// [`generate_versions`], keeping each version's IR for the migration reports.
pub fn generate_versions_with_ir(
    inputs: &[VersionInput<'_>],
    fixups_file: &FixupsFile,
) -> Result<Vec<GeneratedVersion>> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let items: Vec<(Option<&PinnedVersion>, &VersionInput<'_>)> =
        inputs.iter().enumerate().map(|(i, input)| (i.checked_sub(1).map(|p| inputs[p].pinned), input)).collect();
    parallel_map(items, cores, |(previous, input)| generate_version_after(input, previous, fixups_file))
}

/// Where the migration report from version `from` to version `to` lives: `changes/2.15-to-2.16.md`.
pub fn changes_path(from: &str, to: &str) -> String {
    format!("changes/{from}-to-{to}.md")
}

/// The migration report of each consecutive pair of `versions` (in their listed order).
pub fn generate_changes(versions: &[&diff::VersionIr]) -> Vec<GeneratedFile> {
    versions
        .windows(2)
        .map(|pair| GeneratedFile {
            path: changes_path(&pair[0].name, &pair[1].name),
            contents: diff::report(pair[0], pair[1]),
        })
        .collect()
}

/// The median of benchmark samples (the mean of the middle two for an even count): one definition
/// for the benchmarks and `cargo xtask bench`, so their figures are comparable.
#[cfg(feature = "test-kit")]
pub fn median(mut xs: Vec<f64>) -> f64 {
    assert!(!xs.is_empty(), "median of nothing");
    xs.sort_by(f64::total_cmp);
    let mid = xs.len() / 2;
    if xs.len() % 2 == 1 {
        xs[mid]
    } else {
        (xs[mid - 1] + xs[mid]) / 2.0
    }
}

/// `items.map(f)` on at most `workers` scoped threads taking items in order; results in item order.
/// An error is the first failing item's in item order, whatever finished first; a panic in `f` (a
/// generator bug) is re-raised here once every thread has stopped.
fn parallel_map<T: Send, R: Send>(items: Vec<T>, workers: usize, f: impl Fn(T) -> Result<R> + Sync) -> Result<Vec<R>> {
    use std::sync::{Mutex, PoisonError};
    let count = items.len();
    let queue = Mutex::new(items.into_iter().enumerate());
    let slots: Vec<Mutex<Option<Result<R>>>> = (0..count).map(|_| Mutex::new(None)).collect();
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, count.max(1)) {
            scope.spawn(|| loop {
                let next = queue.lock().unwrap_or_else(PoisonError::into_inner).next();
                let Some((index, item)) = next else { break };
                *slots[index].lock().unwrap_or_else(PoisonError::into_inner) = Some(f(item));
            });
        }
    });
    slots
        .into_iter()
        .map(|slot| {
            slot.into_inner().unwrap_or_else(PoisonError::into_inner).expect("every item was taken by a worker")
        })
        .collect()
}

fn build_report(version: &str, prepared: &Prepared, files: &[GeneratedFile], undeclared: report::Undeclared) -> Report {
    let mut field_rules = std::collections::BTreeMap::new();
    for def in prepared.ir.types.values() {
        if let ir::TypeKind::Struct(fields) = &def.kind {
            for f in fields {
                *field_rules.entry(f.rule).or_insert(0) += 1;
            }
        }
    }
    let component_schemas = prepared.ir.components.len();
    Report {
        version: version.into(),
        component_schemas,
        inline_types: prepared.ir.types.len() - component_schemas,
        operations: prepared.ir.operations.len(),
        fixups: prepared.fixups.clone(),
        notes: prepared.ir.notes.clone(),
        field_rules,
        pagination: pagination::Summary::of(&prepared.ir.operations),
        renamed: prepared.ir.renamed.clone(),
        webhook_topics: None,
        lines_of_code: files
            .iter()
            .filter(|f| f.path.starts_with("generated/src/"))
            .map(|f| f.contents.lines().count())
            .sum(),
        undeclared,
        search: Vec::new(),
        resources: resources::Summary::of(&prepared.ir),
    }
}

fn version_module_tokens(input: &VersionInput<'_>, previous: Option<&PinnedVersion>) -> proc_macro2::TokenStream {
    let p = input.pinned;
    let mut doc = format!(
        " Intercom API version {}.\n\n Generated from `{}` of `{}` at commit `{}` (sha256 `{}`).",
        p.name, p.path, input.upstream.repository, input.upstream.commit, p.sha256
    );
    if let Some(prev) = previous {
        doc.push_str(&format!(
            "\n\n Changes since {}: `{}` in the intercom-rs repository (operations, parameters, types, \
             fields and enum values added, removed and changed).",
            prev.name,
            changes_path(&prev.name, &p.name)
        ));
    }
    let name = &p.name;
    let sha = &p.sha256;
    let commit = &input.upstream.commit;
    quote! {
        #![doc = #doc]
        /// The `Intercom-Version` this module speaks.
        pub const VERSION: &str = #name;
        /// sha256 of the description this module was generated from.
        pub const SPEC_SHA256: &str = #sha;
        /// Upstream commit of that description.
        pub const UPSTREAM_COMMIT: &str = #commit;
        pub mod models;
        pub mod operations;
        pub mod search;
        #[cfg(feature = "client")]
        pub mod client;
        #[cfg(feature = "webhooks")]
        pub mod webhooks;
    }
}

/// The model names a version's test dispatch covers: every type an example names, and every success
/// response type (the composed cases), sorted.
#[cfg(feature = "test-kit")]
fn dispatch_names(prepared: &Prepared) -> Vec<&String> {
    let responses = prepared
        .ir
        .operations
        .iter()
        .flat_map(|op| op.responses.iter().filter(|r| r.is_success()).filter_map(|r| r.ty.as_ref()));
    let mut names: Vec<&String> = prepared
        .ir
        .examples
        .iter()
        .map(|e| &e.ty)
        .chain(responses)
        .filter_map(|ty| match ty {
            ir::Ty::Named(n) => Some(n),
            _ => None,
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Test support: hands the model called `type_name` to a visitor (`crate::ModelVisitor`, defined by
/// each test or bench that includes the file), which decides what to do with the type.
#[cfg(feature = "test-kit")]
fn model_dispatch(models: proc_macro2::TokenStream, names: &[&String]) -> proc_macro2::TokenStream {
    let idents = names.iter().map(|n| tokens::ident(n));
    quote! {
        use #models as m;
        /// Calls `visitor.visit::<T>()` for the model called `type_name`; `None` for a name that no
        /// example or success response uses.
        pub fn visit<V: crate::ModelVisitor>(type_name: &str, visitor: V) -> ::std::option::Option<V::Output> {
            ::std::option::Option::Some(match type_name {
                #(#names => visitor.visit::<m::#idents>(),)*
                _ => return ::std::option::Option::None,
            })
        }
    }
}

#[cfg(feature = "test-kit")]
fn conformance_dispatch(module: &str, prepared: &Prepared) -> proc_macro2::TokenStream {
    let module = tokens::ident(module);
    model_dispatch(quote!(::intercom_api::#module::models), &dispatch_names(prepared))
}

/// `generated/benches/derived/latest.rs`: the baseline of the corpus decode benchmark. The latest
/// version's models with serde's derived `Deserialize` (what progenitor and typify emit), and the
/// same model dispatch; compiled only with that version's feature.
#[cfg(feature = "test-kit")]
fn derived_baseline(input: &VersionInput<'_>, prepared: &Prepared) -> Result<GeneratedFile> {
    let feature = input.pinned.module_name();
    let path = "generated/benches/derived/latest.rs".to_string();
    let types: Vec<&ir::TypeDef> = prepared.ir.types.values().collect();
    let models = emit_derived::models(&types);
    let dispatch = model_dispatch(quote!(super::models), &dispatch_names(prepared));
    let version = &input.pinned.name;
    let tokens = quote! {
        /// The version these models are of (the latest stable one).
        pub const VERSION: &str = #version;
        /// The models with serde's derived `Deserialize`.
        #[cfg(feature = #feature)]
        pub mod models { #models }
        #[cfg(feature = #feature)]
        mod dispatch { #dispatch }
        #[cfg(feature = #feature)]
        pub use dispatch::visit;
        /// Without the version's feature there is no baseline.
        #[cfg(not(feature = #feature))]
        pub fn visit<V: crate::ModelVisitor>(_type_name: &str, _visitor: V) -> ::std::option::Option<V::Output> {
            ::std::option::Option::None
        }
    };
    let source = format!("Intercom API {} (`{}`), derived baseline", input.pinned.name, input.pinned.path);
    Ok(GeneratedFile { contents: render::render(&path, &source, tokens)?, path })
}

/// Where a version's generated modules live: `generated/src/versions/v2_11/`, apart from the
/// hand-written `runtime/` and `client/` so that the folder view tells generated code from written.
pub fn version_dir(module: &str) -> String {
    format!("generated/src/versions/{module}")
}

/// `generated/src/lib.rs`: the crate root, one feature-gated module per version.
pub fn generate_crate_root(versions: &[PinnedVersion]) -> Result<GeneratedFile> {
    let path = "generated/src/lib.rs";
    let modules = versions.iter().map(|v| {
        let m = v.module_name();
        let id = tokens::ident(&m);
        let core = core_feature(&m);
        let doc = format!(
            " Intercom API version {} (cargo feature `{m}`; `{core}` and resource features for a part of it).",
            v.name
        );
        let file = format!("versions/{m}/mod.rs");
        quote! {
            #[cfg(feature = #core)]
            #[doc = #doc]
            #[path = #file]
            pub mod #id;
        }
    });
    let tokens = quote! {
        #![doc = include_str!("../README.md")]
        #![forbid(unsafe_code)]
        #![cfg_attr(docsrs, feature(doc_cfg))]
        // Generated code names this crate by absolute path, so that the same code also compiles
        // when it is a test fixture outside the crate.
        extern crate self as intercom_api;
        pub mod runtime;
        #[cfg(feature = "client")]
        pub mod client;
        #[cfg(feature = "client")]
        pub use client::{Client, ClientBuilder, EndReason, Items, Pages, Paginate, Region};
        pub use runtime::{Error, Operation};
        // The crates whose types appear in this crate's public API (`http::Request`,
        // `http::HeaderMap`, `bytes::Bytes`, `serde_json::Value` in `extra_`, `reqwest::Client` in
        // `ClientBuilder::http_client`), re-exported so that a user names them without adding a
        // dependency whose version must match ours.
        pub use ::bytes;
        pub use ::http;
        #[cfg(feature = "client")]
        pub use ::reqwest;
        pub use ::serde_json;
        // Hand-written: verifying and decoding the notifications Intercom posts.
        #[cfg(feature = "webhooks")]
        pub mod webhooks;
        #(#modules)*
    };
    Ok(GeneratedFile { path: path.into(), contents: render::render(path, "spec/versions.toml", tokens)? })
}

/// `generated/tests/conformance/versions.rs`: the model dispatch of each enabled version.
#[cfg(feature = "test-kit")]
fn conformance_index(versions: &[PinnedVersion]) -> Result<GeneratedFile> {
    let path = "generated/tests/conformance/versions.rs";
    let pairs: Vec<(String, String)> = versions.iter().map(|v| (v.name.clone(), v.module_name())).collect();
    let modules = emit_dispatch::version_modules(&pairs);
    let features: Vec<String> = versions.iter().map(PinnedVersion::module_name).collect();
    let idents: Vec<proc_macro2::Ident> = features.iter().map(|m| tokens::ident(m)).collect();
    let names: Vec<&str> = versions.iter().map(|v| v.name.as_str()).collect();
    let tokens = quote! {
        #modules
        /// Calls `visitor.visit::<T>()` for the model `type_name` of `version`; `None` when the
        /// version's feature is off or it has no such model.
        #[allow(unused_variables)]
        pub fn visit<V: crate::ModelVisitor>(version: &str, type_name: &str, visitor: V) -> ::std::option::Option<V::Output> {
            match version {
                #(
                    #[cfg(feature = #features)]
                    #names => #idents::visit(type_name, visitor),
                )*
                _ => ::std::option::Option::None,
            }
        }
    };
    Ok(GeneratedFile { path: path.into(), contents: render::render(path, "spec/versions.toml", tokens)? })
}

/// `generated/tests/mock/versions.rs`: the mock-server dispatch of each enabled version.
#[cfg(feature = "test-kit")]
fn mock_index(versions: &[PinnedVersion]) -> Result<GeneratedFile> {
    let path = "generated/tests/mock/versions.rs";
    let pairs: Vec<(String, String)> = versions.iter().map(|v| (v.name.clone(), v.module_name())).collect();
    Ok(GeneratedFile {
        path: path.into(),
        contents: render::render(path, "spec/versions.toml", emit_dispatch::mock_index(&pairs))?,
    })
}

/// The `[features]` table `generated/Cargo.toml` must have, from each version with its resource
/// features (`ir::Resources::features`): per version `v2_16-core` (the module with the resources
/// enabled) and `v2_16` (the module with all of its resources), one feature per resource (of any
/// version), and default = the latest stable version.
pub fn crate_features(versions: &[(&PinnedVersion, Vec<String>)]) -> Vec<(String, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>)> = Vec::new();
    let pinned: Vec<PinnedVersion> = versions.iter().map(|(v, _)| (*v).clone()).collect();
    if let Some(latest) = config::latest_stable(&pinned) {
        out.push(("default".into(), vec![latest.module_name()]));
    }
    let mut every_resource = std::collections::BTreeSet::new();
    for (v, resources) in versions {
        let core = core_feature(&v.module_name());
        out.push((core.clone(), Vec::new()));
        out.push((v.module_name(), std::iter::once(core).chain(resources.iter().cloned()).collect()));
        every_resource.extend(resources.iter().cloned());
    }
    out.extend(every_resource.into_iter().map(|r| (r, Vec::new())));
    out
}

/// The feature that compiles a version's module with only the resources enabled: `v2_16-core`.
pub fn core_feature(module: &str) -> String {
    format!("{module}-core")
}
