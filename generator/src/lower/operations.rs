//! Lowering of operations: method, path, parameters, body and responses with their types, plus the
//! request/response examples that the conformance tests decode.

use heck::{ToSnakeCase, ToUpperCamelCase};
use serde_json::{Map, Value};

use super::{description, Lowerer};
use crate::error::{pointer_push, Result};
use crate::ir::{
    Body, BodyEncoding, ExampleCase, FilePart, FormPart, Operation, Paging, Param, ParamLocation, Response, Success,
    SuccessKind, Ty, TypeKind, METHODS, VERSION_HEADER,
};
use crate::naming;

impl Lowerer<'_> {
    /// Pass 3 of the lowering: every operation of `paths`, after the components have their names.
    pub(super) fn lower_operations(&mut self) -> Result<()> {
        lower_all(self)
    }
}

fn lower_all(l: &mut Lowerer<'_>) -> Result<()> {
    let doc = l.doc;
    let Some(paths) = doc.get("paths") else { return Ok(()) };
    let paths = paths.as_object().ok_or_else(|| l.err("/paths", "must be an object"))?;
    for (path, item) in paths {
        let item_ptr = pointer_push("/paths", path);
        let item = item.as_object().ok_or_else(|| l.err(&item_ptr, "a path item must be an object"))?;
        for method in METHODS {
            if let Some(op) = item.get(*method) {
                let op_ptr = pointer_push(&item_ptr, method);
                let op = op.as_object().ok_or_else(|| l.err(&op_ptr, "an operation must be an object"))?;
                let lowered = lower_operation(l, path, method, item, op, &op_ptr)?;
                l.out.operations.push(lowered);
            }
        }
    }
    reject_colliding_names(l)
}

/// Two operations whose ids differ only in case or punctuation (`getThing`, `get_thing`) would get
/// the same type and method; renaming one silently would hide which is which, so it is refused.
fn reject_colliding_names(l: &Lowerer<'_>) -> Result<()> {
    let mut by_type: std::collections::HashMap<&str, &Operation> = std::collections::HashMap::new();
    let mut by_fn: std::collections::HashMap<&str, &Operation> = std::collections::HashMap::new();
    for op in &l.out.operations {
        for (map, name) in [(&mut by_type, op.type_name.as_str()), (&mut by_fn, op.fn_name.as_str())] {
            if let Some(first) = map.insert(name, op) {
                return Err(l.err(
                    &op.pointer,
                    format!("operations `{}` ({}) and `{}` ({}) both map to the Rust name `{name}`; rename one with a fix-up", first.id, first.pointer, op.id, op.pointer),
                ));
            }
        }
    }
    Ok(())
}

/// The `{name}`s of a path template, or an error for an unbalanced or empty brace.
fn template_names(l: &Lowerer<'_>, path: &str, ptr: &str) -> Result<Vec<String>> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find(['{', '}']) {
        let end = match (rest.as_bytes()[start], rest[start + 1..].find(['{', '}'])) {
            (b'{', Some(offset)) if rest.as_bytes()[start + 1 + offset] == b'}' && offset > 0 => start + 1 + offset,
            _ => return Err(l.err(ptr, format!("path template `{path}` has an unbalanced or empty `{{…}}`"))),
        };
        names.push(rest[start + 1..end].to_string());
        rest = &rest[end + 1..];
    }
    Ok(names)
}

fn lower_operation(
    l: &mut Lowerer<'_>,
    path: &str,
    method: &str,
    item: &Map<String, Value>,
    op: &Map<String, Value>,
    ptr: &str,
) -> Result<Operation> {
    let id = match op.get("operationId").and_then(Value::as_str) {
        Some(id) if naming::is_usable_operation_id(id) => id.to_string(),
        Some(_) => {
            // Non-ASCII or without a letter, it would become `Unnamed` / `field()`: named like an
            // operation without one.
            l.note("unusable operationId (not ASCII letters and digits): named from method and path", ptr);
            format!("{method} {}", path.replace(['{', '}'], ""))
        }
        None => {
            // A few later versions omit operationIds: derive a stable one from method and path.
            l.note("operation without operationId: named from method and path", ptr);
            format!("{method} {}", path.replace(['{', '}'], ""))
        }
    };
    let type_name = naming::type_name(&id.to_upper_camel_case());
    let params = lower_params(l, &type_name, path, item, op, ptr)?;
    let version_value = version_value(l, op, item, ptr)?;
    let body = match op.get("requestBody") {
        Some(rb) => lower_body(l, &type_name, rb, &pointer_push(ptr, "requestBody"))?,
        None => None,
    };
    let first_example = l.out.examples.len();
    let mut responses = Vec::new();
    if let Some(rs) = op.get("responses").and_then(Value::as_object) {
        pair_request_examples(l, op, rs, first_example, ptr);
        for (status, r) in rs {
            let rptr = pointer_push(&pointer_push(ptr, "responses"), status);
            responses.push(lower_response(l, &type_name, status, r, &rptr)?);
        }
    }
    let success = success_of(l, &params, &responses, ptr);
    for p in params.iter().filter(|p| p.is_constant_header()) {
        l.note(
            "header parameter allowing one value: sent by the operation, not a parameter of the call",
            &format!("{ptr} ({}: {})", p.wire, p.constant.as_deref().unwrap_or_default()),
        );
    }
    Ok(Operation {
        fn_name: naming::field_name(&id.to_snake_case()),
        type_name,
        id,
        method: method.to_uppercase(),
        path: path.to_string(),
        tags: op
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        summary: op.get("summary").and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string),
        description: description(op),
        params,
        body,
        responses,
        pointer: ptr.to_string(),
        version_value,
        success,
        paging: Paging::None,
    })
}

const OCTET_STREAM: &str = "application/octet-stream";

/// What the operation's success answer is: the lowest 2xx decides; without one, a 3xx declaring
/// `Location` is a redirect whose location is the output.
/// The operation's parameters: the path item's, then the operation's own (which override by name
/// and location), then one for each template segment none declares; Rust names deduplicated.
fn lower_params(
    l: &mut Lowerer<'_>,
    type_name: &str,
    path: &str,
    item: &Map<String, Value>,
    op: &Map<String, Value>,
    ptr: &str,
) -> Result<Vec<Param>> {
    let mut params = Vec::new();
    // Path-item parameters first, then the operation's own (which override by name and location).
    let sources = [
        (item.get("parameters"), pointer_push(&pointer_push("/paths", path), "parameters")),
        (op.get("parameters"), pointer_push(ptr, "parameters")),
    ];
    for (level, (list, list_ptr)) in sources.into_iter().enumerate() {
        for (i, p) in list.and_then(Value::as_array).into_iter().flatten().enumerate() {
            let pptr = pointer_push(&list_ptr, &i.to_string());
            if level == 0 {
                l.note(
                    "path-item parameter: merged into each operation of the path (the operation's own override)",
                    &format!("{ptr} ({pptr})"),
                );
            }
            let (p, pptr) = l.resolve_parameter(p, &pptr)?;
            let param = lower_param(l, type_name, p, &pptr)?;
            params.retain(|q: &Param| !(q.wire == param.wire && q.location == param.location));
            params.push(param);
        }
    }
    // A template segment no parameter declares (upstream's `{job_identifier}` from 2.14 on) is a
    // required string: without it the path could not be built at all.
    for name in template_names(l, path, &pointer_push("/paths", path))? {
        if !params.iter().any(|p| p.location == ParamLocation::Path && p.wire == name) {
            l.note(
                "path template segment declared by no parameter: a required string parameter",
                &format!("{ptr} ({name})"),
            );
            params.push(Param {
                rust: naming::field_name(&name),
                wire: name,
                location: ParamLocation::Path,
                required: true,
                ty: Ty::String,
                explode: false,
                doc: Some("A segment of the path template that the description declares no parameter for.".into()),
                example: None,
                constant: None,
                field: String::new(),
                setter: String::new(),
            });
        }
    }
    let rust_names = naming::dedupe(params.iter().map(|p| p.rust.clone()).collect());
    for (p, n) in params.iter_mut().zip(rust_names) {
        p.field = naming::param_field_name(&n);
        p.setter = naming::setter_name(&p.field);
        p.rust = n;
    }
    Ok(params)
}

fn success_of(l: &mut Lowerer<'_>, params: &[Param], responses: &[Response], ptr: &str) -> Success {
    let accepts_only_binary = params.iter().any(|p| {
        p.location == ParamLocation::Header
            && p.wire.eq_ignore_ascii_case("accept")
            && p.constant.as_deref() == Some(OCTET_STREAM)
    });
    let ok = responses.iter().filter(|r| r.is_success()).min_by_key(|r| r.status.clone());
    match ok {
        Some(r)
            if r.content_type.as_deref() == Some(OCTET_STREAM) || (r.content_type.is_none() && accepts_only_binary) =>
        {
            l.note(
                "binary response (`application/octet-stream` content or `Accept` parameter): the output is the raw bytes (`bytes::Bytes`)",
                &pointer_push(&pointer_push(ptr, "responses"), &r.status),
            );
            Success { kind: SuccessKind::Binary, ty: Some(Ty::Bytes) }
        }
        Some(r) if r.content_type.as_deref().is_some_and(|c| c.starts_with("text/")) => {
            Success { kind: SuccessKind::Text, ty: Some(Ty::String) }
        }
        Some(r) if r.ty.is_some() => Success { kind: SuccessKind::Json, ty: r.ty.clone() },
        Some(r) if r.content_type.is_some() => Success { kind: SuccessKind::Json, ty: Some(Ty::Json) },
        Some(_) => Success { kind: SuccessKind::Empty, ty: None },
        None => match responses.iter().find(|r| r.status.starts_with('3') && r.location_header) {
            Some(r) => {
                l.note(
                    "redirect response with `Location`: never followed; the output is the location (a String)",
                    &pointer_push(&pointer_push(ptr, "responses"), &r.status),
                );
                Success { kind: SuccessKind::Redirect, ty: Some(Ty::String) }
            }
            None => Success { kind: SuccessKind::Empty, ty: None },
        },
    }
}

/// The single value the `Intercom-Version` header parameter allows, when its schema is an enum of
/// one value (Preview's `intercom_version_preview`: `[preview]`).
fn version_value(
    l: &mut Lowerer<'_>,
    op: &Map<String, Value>,
    item: &Map<String, Value>,
    ptr: &str,
) -> Result<Option<String>> {
    let declared = [op.get("parameters"), item.get("parameters")]
        .into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .find(|p| {
            let p = l.resolve_parameter(p, ptr).map(|(p, _)| p).unwrap_or(p);
            p.get("in").and_then(Value::as_str) == Some("header")
                && p.get("name").and_then(Value::as_str) == Some(VERSION_HEADER)
        });
    let Some(param) = declared else { return Ok(None) };
    let (param, pptr) = l.resolve_parameter(param, ptr)?;
    let Some(schema) = param.get("schema") else { return Ok(None) };
    let (schema, _) = l.resolve(schema, &pointer_push(&pptr, "schema"))?;
    match schema.get("enum").and_then(Value::as_array).map(Vec::as_slice) {
        Some([Value::String(single)]) => {
            l.note(
                "`Intercom-Version` restricted to one value: the operation sends that value",
                &format!("{ptr} ({single})"),
            );
            Ok(Some(single.clone()))
        }
        _ => Ok(None),
    }
}

/// Marks each request example of this operation with the status of the same-named response example.
fn pair_request_examples(
    l: &mut Lowerer<'_>,
    _op: &Map<String, Value>,
    responses: &Map<String, Value>,
    first: usize,
    _ptr: &str,
) {
    for case in l.out.examples[..first].iter_mut().rev().take_while(|c| c.is_request) {
        // Request examples are named like their response's (`admin_not_found` ~ `Admin not found`).
        let name =
            example_key(&case.pointer.rsplit('/').nth(1).unwrap_or_default().replace("~1", "/").replace("~0", "~"));
        case.paired_status = responses.iter().find_map(|(status, r)| {
            let content = r.get("content")?.as_object()?;
            content
                .values()
                .any(|m| {
                    m.get("examples")
                        .and_then(Value::as_object)
                        .is_some_and(|e| e.keys().any(|k| example_key(k) == name))
                })
                .then(|| status.clone())
        });
    }
}

fn example_key(name: &str) -> String {
    name.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect()
}

fn lower_param(l: &mut Lowerer<'_>, op_type: &str, p: &Value, ptr: &str) -> Result<Param> {
    let obj = p.as_object().ok_or_else(|| l.err(ptr, "a parameter must be an object"))?;
    let wire = obj
        .get("name")
        .and_then(Value::as_str)
        .ok_or_else(|| l.err(ptr, "a parameter needs a string `name`"))?
        .to_string();
    let location = match obj.get("in").and_then(Value::as_str) {
        Some("path") => ParamLocation::Path,
        Some("query") => ParamLocation::Query,
        Some("header") => ParamLocation::Header,
        other => return Err(l.err(&pointer_push(ptr, "in"), format!("unsupported parameter location {other:?}"))),
    };
    let (ty, constant) = match obj.get("schema") {
        Some(s) => {
            let lowering = l.lower_schema_as(
                s,
                &pointer_push(ptr, "schema"),
                &naming::nested_type_hints(op_type, &naming::type_name(&wire)),
            )?;
            (lowering.ty, lowering.constant)
        }
        None => (Ty::String, None),
    };
    let required = location == ParamLocation::Path || obj.get("required").and_then(Value::as_bool).unwrap_or(false);
    // Only a required header is sent for the caller: an optional one may mean "leave it out".
    // The version header has its own rule (`Operation::version_value`).
    let constant = constant
        .filter(|_| required && location == ParamLocation::Header && !wire.eq_ignore_ascii_case(VERSION_HEADER));
    let style_form = obj.get("style").and_then(Value::as_str).is_none_or(|s| s == "form");
    if !style_form && location == ParamLocation::Query {
        return Err(l.err(&pointer_push(ptr, "style"), "only `style: form` query parameters are supported"));
    }
    let explode = obj.get("explode").and_then(Value::as_bool).unwrap_or(true);
    if !explode && matches!(ty, Ty::Vec(_)) {
        l.note("array query parameter with `explode: false`: one comma-separated value", ptr);
    }
    Ok(Param {
        rust: naming::field_name(&wire),
        required,
        constant,
        ty,
        explode,
        doc: description(obj),
        example: obj.get("example").cloned(),
        wire,
        location,
        // Named once the operation's parameters are deduplicated (`lower_operation`).
        field: String::new(),
        setter: String::new(),
    })
}

fn lower_body(l: &mut Lowerer<'_>, op_type: &str, rb: &Value, ptr: &str) -> Result<Option<Body>> {
    let content =
        rb.get("content").and_then(Value::as_object).ok_or_else(|| l.err(ptr, "a requestBody needs `content`"))?;
    let Some((content_type, media)) = content.iter().next() else { return Ok(None) };
    let mptr = pointer_push(&pointer_push(ptr, "content"), content_type);
    let multipart = content_type == "multipart/form-data";
    if content_type != "application/json" && !multipart {
        l.note(
            "request body neither `application/json` nor `multipart/form-data`: typed, but the runtime sends JSON",
            &mptr,
        );
    }
    // The examples of a form body are not JSON documents of its type (`catalog: "@products.json"`
    // names a file): they are not conformance cases.
    let ty = media_type(l, &naming::nested_type_hints(op_type, "Request"), media, &mptr, true, !multipart)?;
    let ty = ty.unwrap_or(Ty::Json);
    let encoding = if multipart {
        l.note(
            "`multipart/form-data` request body: sent as a form, `format: binary` members as file parts (bytes), the others as text parts",
            &mptr,
        );
        BodyEncoding::Multipart(form_parts(l, &ty, media, &mptr)?)
    } else {
        BodyEncoding::Json
    };
    Ok(Some(Body {
        ty,
        required: rb.get("required").and_then(Value::as_bool),
        content_type: content_type.clone(),
        encoding,
    }))
}

/// The parts of a `multipart/form-data` body: one per member of its object schema. A binary
/// member is a file named after it, with the content type its `encoding` entry declares.
fn form_parts(l: &Lowerer<'_>, ty: &Ty, media: &Value, ptr: &str) -> Result<Vec<FormPart>> {
    let fields = match ty {
        Ty::Named(name) => match l.out.types.get(name).map(|d| &d.kind) {
            Some(TypeKind::Struct(fields)) => fields,
            _ => return Err(l.err(ptr, "a `multipart/form-data` body must be an object with properties")),
        },
        _ => return Err(l.err(ptr, "a `multipart/form-data` body must be an object with properties")),
    };
    let mut parts = Vec::new();
    for f in fields {
        let scalar = |ty: &Ty| match ty {
            Ty::String | Ty::I64 | Ty::Number | Ty::Bool => true,
            Ty::Named(n) => matches!(l.out.types.get(n).map(|d| &d.kind), Some(TypeKind::Enum(_))),
            _ => false,
        };
        let file = match &f.ty {
            Ty::Bytes => {
                let declared = media
                    .pointer(&format!("/encoding/{}/contentType", f.wire.replace('~', "~0").replace('/', "~1")))
                    .and_then(Value::as_str);
                let content_type = declared.unwrap_or(OCTET_STREAM).to_string();
                let extension = if content_type == "application/json" { ".json" } else { "" };
                Some(FilePart { filename: format!("{}{extension}", f.wire), content_type })
            }
            ty if scalar(ty) => None,
            _ => {
                return Err(l.err(
                    &f.pointer,
                    format!("`multipart/form-data` member `{}`: only binary and scalar members are supported", f.wire),
                ))
            }
        };
        parts.push(FormPart { wire: f.wire.clone(), file });
    }
    Ok(parts)
}

fn lower_response(l: &mut Lowerer<'_>, op_type: &str, status: &str, r: &Value, ptr: &str) -> Result<Response> {
    if r.get("$ref").is_some() {
        l.note("response `$ref` to components/responses: resolved in place", ptr);
    }
    let (r, ptr) = l.resolve_response(r, ptr)?;
    let description = r.as_object().and_then(description);
    let location_header = r
        .get("headers")
        .and_then(Value::as_object)
        .is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case("location")));
    let Some((content_type, media)) = r.get("content").and_then(Value::as_object).and_then(|c| c.iter().next()) else {
        return Ok(Response { status: status.into(), ty: None, content_type: None, description, location_header });
    };
    let mptr = pointer_push(&pointer_push(&ptr, "content"), content_type);
    if content_type.starts_with("text/") {
        l.note("`text/*` response: decoded as a String", &mptr);
    }
    let hint = if status.starts_with('2') {
        naming::nested_type_hints(op_type, "Response")
    } else {
        naming::nested_type_hints(op_type, &format!("Error{status}"))
    };
    // A binary answer has no type to decode into, and no example to check.
    if content_type == OCTET_STREAM {
        return Ok(Response {
            status: status.into(),
            ty: None,
            content_type: Some(content_type.clone()),
            description,
            location_header,
        });
    }
    let ty = media_type(l, &hint, media, &mptr, false, true)?;
    Ok(Response { status: status.into(), ty, content_type: Some(content_type.clone()), description, location_header })
}

/// The type of one media object, recording its examples as conformance cases.
fn media_type(
    l: &mut Lowerer<'_>,
    hints: &[String],
    media: &Value,
    ptr: &str,
    is_request: bool,
    record_examples: bool,
) -> Result<Option<Ty>> {
    let ty = match media.get("schema") {
        Some(s) => Some(l.lower_schema_as(s, &pointer_push(ptr, "schema"), hints)?.ty),
        None => {
            l.note("media type without schema: body kept as serde_json::Value", ptr);
            None
        }
    };
    if let Some(ty) = ty.as_ref().filter(|_| record_examples) {
        if let Some(examples) = media.get("examples").and_then(Value::as_object) {
            for (name, ex) in examples {
                if ex.get("value").is_some() {
                    let pointer = pointer_push(&pointer_push(&pointer_push(ptr, "examples"), name), "value");
                    l.out.examples.push(ExampleCase { pointer, is_request, ty: ty.clone(), paired_status: None });
                }
            }
        }
        if media.get("example").is_some() {
            l.out.examples.push(ExampleCase {
                pointer: pointer_push(ptr, "example"),
                is_request,
                ty: ty.clone(),
                paired_status: None,
            });
        }
    }
    Ok(ty)
}

impl<'a> Lowerer<'a> {
    fn resolve_component<'v>(&self, value: &'v Value, ptr: &str, section: &str) -> Result<(&'v Value, String)>
    where
        'a: 'v,
    {
        match value.get("$ref").map(|r| r.as_str()) {
            None => Ok((value, ptr.to_string())),
            Some(Some(r)) => {
                let prefix = format!("#/components/{section}/");
                let key = r
                    .strip_prefix(&prefix)
                    .ok_or_else(|| self.err(ptr, format!("unsupported `$ref` `{r}` (expected {prefix}…)")))?;
                let target = pointer_push(&format!("/components/{section}"), key);
                let v = self
                    .doc
                    .pointer(&target)
                    .ok_or_else(|| self.err(ptr, format!("`$ref` `{r}` points at nothing")))?;
                Ok((v, target))
            }
            Some(None) => Err(self.err(ptr, "`$ref` must be a string")),
        }
    }

    fn resolve_parameter<'v>(&self, value: &'v Value, ptr: &str) -> Result<(&'v Value, String)>
    where
        'a: 'v,
    {
        self.resolve_component(value, ptr, "parameters")
    }

    fn resolve_response<'v>(&self, value: &'v Value, ptr: &str) -> Result<(&'v Value, String)>
    where
        'a: 'v,
    {
        self.resolve_component(value, ptr, "responses")
    }
}
