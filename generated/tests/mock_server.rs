//! Every operation of every enabled version, called through the generated client against Stoplight
//! Prism serving that version's fixed-up description (an independent OpenAPI implementation that
//! validates requests). Arguments come from the spec's own examples. Pass criteria per call: Prism
//! rejects nothing (no 422) and reports no violation located in the request (`sl-violations`), and
//! a success response decodes. Operations that declare 404/401 are called again with
//! `Prefer: code=…` to exercise the typed error path.
//!
//! `cargo xtask test` starts Prism (installed by `.ci/run`, or `npm install` of
//! `@stoplight/prism-cli` into `.tools/`) and passes the servers in `INTERCOM_PRISM_URLS`
//! (`2.11=http://127.0.0.1:4014;…`). Without it the test fails under `CI=true` and is skipped
//! with a notice elsewhere.

#[path = "mock/versions.rs"]
mod versions;

#[macro_use]
#[path = "support/report.rs"]
mod report;
#[path = "support/mock_args.rs"]
mod mock_args;
#[path = "support/spec.rs"]
mod spec;

pub use mock_args::{arg, body, opt, opt_body, Args};

use std::collections::BTreeMap;

use intercom_api::runtime::{Error, Operation};
use serde_json::{Map, Value};

#[derive(Debug)]
pub struct Outcome {
    pub status: u16,
    /// `sl-violations` entries located in the request.
    pub request_violations: Vec<String>,
    pub decode_error: Option<String>,
    /// A non-success body parsed as Intercom's `error.list`.
    pub parsed_error_list: bool,
    /// For a paginated operation, what walking its `.pages()` stream to a second page gave.
    pub walk: Walk,
}

/// A paginated operation's `.pages()` stream, walked after its first call was accepted.
#[derive(Debug, Default)]
pub enum Walk {
    /// Not paginated, or not walked (an error status was asked for, or the first call failed).
    #[default]
    NotWalked,
    /// The served page links no next page, so the stream asked for nothing more.
    LastPage,
    /// The stream's second request: the position it asked for, Prism's request violations and
    /// how the page decoded.
    Second { position: String, violations: Vec<String>, error: Option<String> },
    /// The stream did not make the requests it should have.
    Broken(String),
}

/// Every exchange of the suite's client, in order: the request's URI and Prism's request
/// violations for it. The suite runs on one thread, one call at a time.
static EXCHANGES: std::sync::Mutex<Vec<(String, Vec<String>)>> = std::sync::Mutex::new(Vec::new());

/// The default transport, recording each exchange in [`EXCHANGES`] (a stream hides the response
/// headers that carry Prism's verdict).
struct Recording(intercom_api::client::ReqwestTransport);

impl intercom_api::client::Transport for Recording {
    fn send(&self, request: http::Request<Vec<u8>>) -> intercom_api::client::TransportFuture<'_> {
        let uri = request.uri().to_string();
        Box::pin(async move {
            let response = self.0.send(request).await?;
            EXCHANGES.lock().unwrap().push((uri, request_violations(response.headers())));
            Ok(response)
        })
    }
}

fn recorded() -> usize {
    EXCHANGES.lock().unwrap().len()
}

fn request_violations(headers: &http::HeaderMap) -> Vec<String> {
    let Some(raw) = headers.get("sl-violations").and_then(|v| v.to_str().ok()) else { return Vec::new() };
    let parsed: Vec<Value> = serde_json::from_str(raw).unwrap_or_default();
    parsed
        .into_iter()
        .filter(|v| v.pointer("/location/0").and_then(Value::as_str) == Some("request"))
        .map(|v| v.to_string())
        .collect()
}

pub async fn send<O>(client: &intercom_api::Client, operation: O, args: &Args) -> Result<Outcome, String>
where
    O: Operation + Send + Sync + 'static,
    O::Output: Send,
{
    // Each served status is checked as it is: a 5xx example is not retried.
    let mut call = client.call(operation).max_retries(0);
    if let Some(p) = &args.prefer {
        call = call.header("Prefer", p);
    }
    match call.response().await {
        Ok(r) => Ok(Outcome {
            status: r.status.as_u16(),
            request_violations: request_violations(&r.headers),
            decode_error: None,
            parsed_error_list: false,
            walk: Walk::NotWalked,
        }),
        Err(Error::Api(e)) => Ok(Outcome {
            status: e.status.as_u16(),
            request_violations: {
                let mut v = request_violations(&e.headers);
                if e.status.as_u16() == 422 {
                    v.push(String::from_utf8_lossy(&e.body).into_owned());
                }
                v
            },
            decode_error: None,
            parsed_error_list: e.error_list.is_some(),
            walk: Walk::NotWalked,
        }),
        Err(Error::Decode { path, message, status, .. }) => Ok(Outcome {
            status: status.as_u16(),
            request_violations: Vec::new(),
            decode_error: Some(format!("at `{path}`: {message}")),
            parsed_error_list: false,
            walk: Walk::NotWalked,
        }),
        Err(other) => Err(other.to_string()),
    }
}

/// [`send`]; or, for a walk ([`Args::walk`]), the operation's `.pages()` stream walked as a user
/// would: its first page, and a second request wherever the served page links a next one. Prism
/// serves the same example again, so the stream then sees a repeated position (or, for a scroll,
/// a repeated page) and stops.
pub async fn send_paged<O>(client: &intercom_api::Client, operation: O, args: &Args) -> Result<Outcome, String>
where
    O: intercom_api::Paginate,
{
    if !args.walk {
        return send(client, operation, args).await;
    }
    let start = recorded();
    let mut pages = client.call(operation).max_retries(0).pages();
    let first = pages.next().await;
    let walk = match (first, pages.next_page()) {
        (Some(Ok(_)), None) => Walk::LastPage,
        (Some(Ok(_)), Some(position)) => {
            let second = pages.next().await;
            let exchanges = EXCHANGES.lock().unwrap()[start..].to_vec();
            match (second, exchanges.as_slice()) {
                (Some(result), [_, (_, violations)]) => Walk::Second {
                    position: position.to_string(),
                    violations: violations.clone(),
                    error: result.err().map(|e| e.to_string()),
                },
                // A scroll keeps its `scroll_param`, so the repeated example is recognised by its
                // content: the stream ends with a cycle instead of returning the page twice.
                (None, [_, (_, violations)])
                    if matches!(pages.end_reason(), Some(intercom_api::EndReason::Cycle { .. })) =>
                {
                    Walk::Second { position: position.to_string(), violations: violations.clone(), error: None }
                }
                (second, exchanges) => Walk::Broken(format!(
                    "after position {position}: {} requests ({:?}), second result {:?}",
                    exchanges.len(),
                    exchanges.iter().map(|(uri, _)| uri).collect::<Vec<_>>(),
                    second.map(|r| r.map(|_| "a page"))
                )),
            }
        }
        (first, _) => Walk::Broken(format!("the first page: {:?}", first.map(|r| r.map(|_| "a page")))),
    };
    Ok(Outcome { status: 200, request_violations: Vec::new(), decode_error: None, parsed_error_list: false, walk })
}

/// Argument sets to try for one operation, best first: each request-body example (those paired
/// with a success response first; error-paired ones are invalid on purpose and not used), then a
/// body synthesized from schema-level property examples. Scalars that contradict their declared
/// type are repaired first. Parameters use their `example`, else a synthesized value.
fn candidates(prepared: &intercom_codegen::Prepared, op: &intercom_codegen::ir::Operation) -> Vec<(String, Args)> {
    use intercom_codegen::samples::{repair, synthesize};
    let types = &prepared.ir.types;
    let mut params = Map::new();
    for p in &op.params {
        let value = match &p.example {
            Some(ex) => repair(types, &p.ty, ex),
            None if p.required => synthesize(types, &p.ty),
            None => continue,
        };
        params.insert(p.wire.clone(), value);
    }
    let Some(body) = &op.body else { return vec![("no body".into(), Args { params, ..Args::default() })] };
    let prefix = format!("{}/requestBody/", op.pointer);
    let mut examples: Vec<&intercom_codegen::ir::ExampleCase> = prepared
        .ir
        .examples
        .iter()
        .filter(|e| e.is_request && e.pointer.starts_with(&prefix))
        .filter(|e| e.paired_status.as_deref().is_none_or(|s| s.starts_with('2')))
        .collect();
    examples.sort_by_key(|e| e.paired_status.is_none());
    let mut out: Vec<(String, Args)> = examples
        .iter()
        .filter_map(|e| {
            prepared.doc.pointer(&e.pointer).map(|v| {
                (format!("example {}", e.pointer.rsplit('/').nth(1).unwrap_or("?")), repair(types, &body.ty, v))
            })
        })
        .map(|(label, v)| (label, Args { params: params.clone(), body: Some(v), ..Args::default() }))
        .collect();
    out.push((
        "synthesized from property examples".into(),
        Args { params, body: Some(synthesize(types, &body.ty)), ..Args::default() },
    ));
    out
}

/// Why the runtime cannot make this call as the description has it, if it cannot: a request body
/// in a media type the runtime has no encoder for (it would go out as JSON; `application/json` and
/// `multipart/form-data` are encoded), or a redirect as the only answer without a `Location` to
/// return. None of the pinned versions has either today: the binary download, the `302` with
/// `Location` and the catalog upload's form are all called.
fn not_callable(op: &intercom_codegen::ir::Operation) -> Option<String> {
    use intercom_codegen::ir::{BodyEncoding, SuccessKind};
    if let Some(body) =
        op.body.as_ref().filter(|b| b.encoding == BodyEncoding::Json && b.content_type != "application/json")
    {
        return Some(format!("a `{}` body, which the runtime has no encoder for", body.content_type));
    }
    if op.success.kind != SuccessKind::Redirect
        && op.responses.iter().any(|r| r.status.starts_with('3'))
        && !op.responses.iter().any(|r| r.is_success())
    {
        return Some("a redirect without `Location`, the only answer, which no output can carry".into());
    }
    None
}

#[derive(Default)]
struct Tally {
    generated: usize,
    in_spec: usize,
    calls: usize,
    violations: usize,
    decode_failures: usize,
    error_paths: usize,
    /// Upstream request examples Prism rejected (reported, not failed, when another candidate passed).
    rejected_examples: usize,
    synthesized: usize,
    /// Operations the runtime cannot call as described, listed with the reason instead of called
    /// (see [`not_callable`]).
    not_called: Vec<String>,
    /// Operations every request of which Prism rejects, listed in `spec/prism-rejections.toml`.
    known_rejected: Vec<String>,
    /// Error paths Prism cannot serve to a request that accepts only binary.
    error_paths_unchecked: Vec<String>,
    /// Paginated operations whose `.pages()` stream made an accepted second request.
    second_pages: usize,
    /// Paginated operations whose served page is the last one (nothing further to ask for).
    last_page: Vec<String>,
}

/// `spec/prism-rejections.toml`: operations whose every candidate request Prism rejects, each with
/// the reason. A listed operation that starts passing fails the suite, so the list stays exact.
mod known {
    use serde::Deserialize;

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct File {
        #[serde(default, rename = "rejected")]
        entries: Vec<Entry>,
    }

    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Entry {
        versions: Vec<String>,
        operation: String,
        #[allow(dead_code)]
        why: String,
    }

    pub struct Known(Vec<(String, String)>);

    impl Known {
        pub fn load(root: &std::path::Path) -> Known {
            let path = root.join("spec/prism-rejections.toml");
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let file: File = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            Known(
                file.entries
                    .into_iter()
                    .flat_map(|e| e.versions.into_iter().map(move |v| (v, e.operation.clone())))
                    .collect(),
            )
        }

        pub fn contains(&self, version: &str, operation: &str) -> bool {
            self.0.iter().any(|(v, o)| v == version && o == operation)
        }
    }
}

#[test]
fn every_operation_against_prism() {
    // The dispatch future of a large version (2.14+: 150–256 operations in one `match`) outgrows a
    // test thread's 2 MiB stack in debug builds; run the suite on a thread with room for it.
    let suite = std::thread::Builder::new().stack_size(256 << 20).spawn(run_against_prism).expect("spawn the suite");
    if let Err(panic) = suite.join() {
        std::panic::resume_unwind(panic);
    }
}

fn run_against_prism() {
    let Some(urls) = std::env::var("INTERCOM_PRISM_URLS").ok().filter(|u| !u.is_empty()) else {
        assert!(
            std::env::var("CI").is_err(),
            "CI must run the Prism suite: run it through `cargo xtask test` with Prism installed (.ci/run does)"
        );
        eprintln!("NOTICE: INTERCOM_PRISM_URLS is not set; the Prism suite was skipped (run `cargo xtask test` with Prism installed)");
        return;
    };
    let urls: BTreeMap<&str, &str> = urls.split(';').filter_map(|kv| kv.split_once('=')).collect();
    let spec = spec::workspace();
    let known = known::Known::load(spec.root());
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut failures = Vec::new();
    let mut any = false;
    let mut walked_any = false;
    report!(
        "Prism suite (operations generated/in spec, calls, request violations, decode failures, typed error paths):"
    );
    for pinned in &spec.versions.versions {
        if !versions::enabled(&pinned.name) {
            continue;
        }
        let url = urls
            .get(pinned.name.as_str())
            .unwrap_or_else(|| panic!("no Prism server for {} in INTERCOM_PRISM_URLS", pinned.name));
        any = true;
        let prepared = spec.prepare(pinned).unwrap_or_else(|e| panic!("{e}"));
        let in_spec = prepared.doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|item| intercom_codegen::ir::METHODS.iter().filter(|m| item.get(**m).is_some()).count())
            .sum();
        // Like the client's own, this reqwest client follows no redirect: a `302` is the answer.
        let http =
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("a reqwest client");
        let client = intercom_api::Client::builder("test-token")
            .transport(Recording(intercom_api::client::ReqwestTransport::new(http, 64 << 20)))
            .base_url(*url)
            .timeout(std::time::Duration::from_secs(30))
            .build();
        let mut t = Tally { in_spec, generated: prepared.ir.operations.len(), ..Tally::default() };
        for op in &prepared.ir.operations {
            let label = format!("{} {} ({} {})", pinned.name, op.id, op.method, op.path);
            if let Some(reason) = not_callable(op) {
                t.not_called.push(format!("{} {}: {reason}", op.method, op.path));
                continue;
            }
            let mut accepted: Option<Args> = None;
            let mut rejections = Vec::new();
            for (which, args) in candidates(&prepared, op) {
                let outcome = runtime
                    .block_on(versions::call(&pinned.name, &client, &op.id, &args))
                    .unwrap_or_else(|| Err("no dispatch arm".into()));
                t.calls += 1;
                match outcome {
                    Err(e) => rejections.push(format!("{which}: {e}")),
                    Ok(o) if o.status == 422 || !o.request_violations.is_empty() => {
                        rejections.push(format!("{which}: rejected ({}): {:?}", o.status, o.request_violations))
                    }
                    Ok(o) => {
                        if let Some(d) = o.decode_error {
                            t.decode_failures += 1;
                            failures.push(format!("{label}: success response did not decode {d}"));
                        }
                        t.synthesized += usize::from(which.starts_with("synthesized"));
                        accepted = Some(args);
                        break;
                    }
                }
            }
            let listed = known.contains(&pinned.name, &op.id);
            let Some(mut args) = accepted else {
                if listed {
                    t.known_rejected.push(op.id.clone());
                } else {
                    t.violations += 1;
                    failures
                        .push(format!("{label}: every argument set was rejected:\n    {}", rejections.join("\n    ")));
                }
                continue;
            };
            if listed {
                failures.push(format!("{label}: listed in spec/prism-rejections.toml but accepted now (remove it)"));
            }
            t.rejected_examples += rejections.len();
            if let intercom_codegen::ir::Paging::Paginated(_) = op.paging {
                let start = recorded();
                let walked = runtime
                    .block_on(versions::call(&pinned.name, &client, &op.id, &args.from_first_page()))
                    .unwrap_or_else(|| Err("no dispatch arm".into()));
                t.calls += recorded() - start;
                match walked.map(|o| o.walk) {
                    Ok(Walk::LastPage) => t.last_page.push(op.id.clone()),
                    Ok(Walk::Second { violations, error: None, .. }) if violations.is_empty() => t.second_pages += 1,
                    Ok(Walk::Second { position, violations, error }) => failures.push(format!(
                        "{label}: the pages stream's second request (position {position}): violations {violations:?}, error {error:?}"
                    )),
                    Ok(other) => failures.push(format!("{label}: pages stream: {other:?}")),
                    Err(e) => failures.push(format!("{label}: pages stream: {e}")),
                }
            }
            for code in ["404", "401"] {
                let Some(error) = op.responses.iter().find(|r| r.status == code) else { continue };
                // A request that accepts only `application/octet-stream` (the binary download) cannot
                // get the error's JSON from Prism, whose content negotiation then serves the `200`;
                // widening `Accept` is a violation of the parameter's one allowed value. Those error
                // paths are decoded through the scripted transport instead (tests/non_json.rs).
                if op.success.kind == intercom_codegen::ir::SuccessKind::Binary
                    && error.content_type.as_deref() != Some("application/octet-stream")
                {
                    t.error_paths_unchecked.push(format!("{} {} {code}", op.method, op.path));
                    continue;
                }
                args.prefer = Some(format!("code={code}"));
                let outcome = runtime
                    .block_on(versions::call(&pinned.name, &client, &op.id, &args))
                    .unwrap_or_else(|| Err("no dispatch arm".into()));
                t.calls += 1;
                match outcome {
                    Ok(o)
                        if o.status.to_string() == code
                            && o.request_violations.is_empty()
                            && (o.parsed_error_list || code == "401") =>
                    {
                        t.error_paths += 1
                    }
                    other => failures.push(format!("{label} with Prefer code={code}: {other:?}")),
                }
            }
        }
        report!(
            "  {:<5} operations {}/{}  calls {}  operations with request violations {}  decode failures {}  typed error paths {}  (upstream examples rejected and replaced: {}; bodies synthesized: {})",
            pinned.name, t.generated, t.in_spec, t.calls, t.violations, t.decode_failures, t.error_paths, t.rejected_examples, t.synthesized
        );
        if !t.known_rejected.is_empty() {
            report!(
                "  {:<5} rejected by Prism for the reasons in spec/prism-rejections.toml ({}): {}",
                pinned.name,
                t.known_rejected.len(),
                t.known_rejected.join(", ")
            );
        }
        if !t.error_paths_unchecked.is_empty() {
            report!(
                "  {:<5} error paths not checked (the request accepts only `application/octet-stream`, Prism then serves the 200) ({}): {}",
                pinned.name,
                t.error_paths_unchecked.len(),
                t.error_paths_unchecked.join("; ")
            );
        }
        report!(
            "  {:<5} paginated operations walked by their `.pages()` stream to an accepted second request: {}; served a last page (no second request due) ({}): {}",
            pinned.name,
            t.second_pages,
            t.last_page.len(),
            t.last_page.join(", ")
        );
        walked_any |= t.second_pages > 0;
        if !t.not_called.is_empty() {
            report!("  {:<5} not called ({}): {}", pinned.name, t.not_called.len(), t.not_called.join("; "));
        }
        if t.generated != t.in_spec {
            failures
                .push(format!("{}: {} operations generated of {} in the spec", pinned.name, t.generated, t.in_spec));
        }
    }
    assert!(any, "no enabled version has a Prism server");
    assert!(walked_any, "no paginated operation was walked to a second request: the walk is broken");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
