//! No path parameter can turn one operation into another: for every operation of every enabled
//! version, each string path parameter set to an empty, `.` or `..` value makes building the
//! request fail with `Error::InvalidRequest` naming the operation and the parameter, before
//! anything is sent; an ordinary value with every reserved character stays one segment.
//!
//! Operations are built through the generated mock dispatch (the same arms the Prism suite uses),
//! with a `send` that only builds the request.

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

use intercom_api::runtime::{Error, Operation};
use intercom_codegen::ir::ParamLocation;
use intercom_codegen::ir::Ty;
use serde_json::{Map, Value};

/// The built request's URI, or why it could not be built.
pub struct Outcome(Result<String, Error>);

pub async fn send<O: Operation>(client: &intercom_api::Client, operation: O, _args: &Args) -> Result<Outcome, String> {
    Ok(Outcome(client.request_for(&operation).map(|r| r.uri().to_string())))
}

/// The dispatch sends paginated operations here; only the request is built, as for the others.
pub async fn send_paged<O: Operation>(
    client: &intercom_api::Client,
    operation: O,
    args: &Args,
) -> Result<Outcome, String> {
    send(client, operation, args).await
}

#[test]
fn dot_and_empty_path_parameters_are_refused_before_sending() {
    let spec = spec::workspace();
    let client = intercom_api::Client::new("token");
    let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    report!("path parameters (operations with string path parameters, empty/./.. values refused):");
    for pinned in &spec.versions.versions {
        if !versions::enabled(&pinned.name) {
            continue;
        }
        let prepared = spec.prepare(pinned).unwrap_or_else(|e| panic!("{e}"));
        let types = &prepared.ir.types;
        let (mut operations, mut cases) = (0, 0);
        for op in &prepared.ir.operations {
            let path_params: Vec<_> =
                op.params.iter().filter(|p| p.location == ParamLocation::Path && p.ty == Ty::String).collect();
            if path_params.is_empty() {
                continue;
            }
            operations += 1;
            let mut base = Map::new();
            for p in op.params.iter().filter(|p| p.required) {
                base.insert(p.wire.clone(), intercom_codegen::samples::synthesize(types, &p.ty));
            }
            let build_with = |body: &Option<Value>, value: &str, target: &str| {
                let mut params = base.clone();
                params.insert(target.to_string(), Value::String(value.into()));
                let args = Args { params, body: body.clone(), ..Args::default() };
                runtime
                    .block_on(versions::call(&pinned.name, &client, &op.id, &args))
                    .expect("a dispatch arm per operation")
            };
            // A body that decodes: the request examples first, then one synthesized from property examples.
            let prefix = format!("{}/requestBody/", op.pointer);
            let mut bodies: Vec<Option<Value>> = prepared
                .ir
                .examples
                .iter()
                .filter(|e| e.is_request && e.pointer.starts_with(&prefix))
                .filter_map(|e| prepared.doc.pointer(&e.pointer).cloned())
                .map(Some)
                .collect();
            bodies.push(op.body.as_ref().map(|b| intercom_codegen::samples::synthesize(types, &b.ty)));
            let body =
                bodies.iter().find(|b| build_with(b, "x", &path_params[0].wire).is_ok()).cloned().unwrap_or(None);
            let build = |value: &str, target: &str| build_with(&body, value, target);
            for p in &path_params {
                for bad in ["", ".", ".."] {
                    cases += 1;
                    match build(bad, &p.wire) {
                        Ok(Outcome(Err(Error::InvalidRequest(message))))
                            if message.contains(&op.id) && message.contains(&p.wire) => {}
                        Ok(Outcome(Err(other))) => failures
                            .push(format!("{} {} {:?}={bad:?}: wrong error {other}", pinned.name, op.id, p.wire)),
                        Ok(Outcome(Ok(uri))) => {
                            failures.push(format!("{} {} {:?}={bad:?}: built {uri}", pinned.name, op.id, p.wire))
                        }
                        Err(e) => {
                            failures.push(format!("{} {} {:?}={bad:?}: arguments: {e}", pinned.name, op.id, p.wire))
                        }
                    }
                }
                // Reserved characters stay inside the one segment.
                match build("../a/?#%2F\r\n x", &p.wire) {
                    Ok(Outcome(Ok(uri))) if uri.contains("..%2Fa%2F%3F%23%252F%0D%0A%20x") => {}
                    Ok(Outcome(other)) => failures.push(format!(
                        "{} {} {:?}: not one segment: {:?}",
                        pinned.name,
                        op.id,
                        p.wire,
                        other.map_err(|e| e.to_string())
                    )),
                    Err(e) => failures.push(format!("{} {} {:?}: arguments: {e}", pinned.name, op.id, p.wire)),
                }
            }
        }
        checked += operations;
        report!(
            "  {:<5} operations with string path parameters {operations}, refused values checked {cases}",
            pinned.name
        );
    }
    assert!(checked > 0, "no operation with a path parameter was checked");
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
