//! The code generated for the fixture specs (generator/tests/fixtures/*.yaml, written to
//! tests/fixtures/ by `cargo xtask codegen`) compiles, and behaves as each construct requires.

#[allow(dead_code)] // fixtures declare types no test needs
#[path = "fixtures/composition.rs"]
mod composition;
#[allow(dead_code)] // fixtures declare types no test needs
#[path = "fixtures/discriminator.rs"]
mod discriminator;
#[allow(dead_code)] // fixtures declare types no test needs
#[path = "fixtures/enums.rs"]
mod enums;
#[allow(dead_code)] // fixtures declare types no test needs
#[path = "fixtures/maps.rs"]
mod maps;
#[allow(dead_code)] // fixtures declare types no test needs
#[path = "fixtures/naming.rs"]
mod naming;
#[allow(dead_code)] // fixtures declare types no test needs
#[path = "fixtures/one_of.rs"]
mod one_of;
// The fixture is named for what it covers; its generated module holds an `operations` module too.
#[allow(clippy::module_inception)]
#[allow(dead_code)] // fixtures declare types no test needs
#[path = "fixtures/operations.rs"]
mod operations;
#[allow(dead_code)] // fixtures declare types no test needs
#[path = "fixtures/recursion.rs"]
mod recursion;

use serde_json::{json, Value};

fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(value: Value) -> (T, Value) {
    let decoded: T = serde_json::from_value(value).expect("decodes");
    let encoded = serde_json::to_value(&decoded).expect("encodes");
    (decoded, encoded)
}

#[test]
fn enums_keep_unknown_values_and_wire_strings() {
    use enums::models::*;
    let (f, back): (SearchFilter, _) =
        round_trip(json!({"type": "filter", "operator": "!~", "state": "archived", "error_type": "3rd_party_error"}));
    assert_eq!(f.operator, Some(SearchFilterOperator::NotContains));
    assert_eq!(f.state, Some(SearchFilterState::Unknown("archived".into())));
    assert_eq!(f.error_type, Some(SearchFilterErrorType::V3rdPartyError));
    assert_eq!(back, json!({"type": "filter", "operator": "!~", "state": "archived", "error_type": "3rd_party_error"}));
    // A single-value `type` is checked (issue 28 item 3): another value fails strict decoding at
    // `type`; lenient decoding keeps it raw in `extra_`, reports it, and encodes it again.
    let strict = serde_json::from_value::<SearchFilter>(json!({"type": "filter.v2"})).unwrap_err();
    assert!(strict.to_string().contains("filter.v2"), "{strict}");
    let (f, mismatches) =
        intercom_api::runtime::lenient::decode_value::<SearchFilter>(&json!({"type": "filter.v2"})).unwrap();
    assert_eq!((f.r#type.as_deref(), &f.extra_["type"]), (None, &json!("filter.v2")));
    assert_eq!(mismatches.iter().map(|m| m.path.as_str()).collect::<Vec<_>>(), ["type"]);
    assert_eq!(serde_json::to_value(&f).unwrap(), json!({"type": "filter.v2"}));
    // A wire value spelt like the catch-all gets its own variant.
    assert_eq!(SearchFilterState::from("unknown"), SearchFilterState::UnknownValue);
    assert_eq!(IntercomVersion::from("2.10"), IntercomVersion::V2_10);
    // Every way in agrees, and `Unknown` takes the `String` it is given.
    assert_eq!("!~".parse::<SearchFilterOperator>(), Ok(SearchFilterOperator::NotContains));
    assert_eq!(SearchFilterOperator::from(String::from("!~")), SearchFilterOperator::NotContains);
    assert_eq!(SearchFilterState::from(String::from("archived")), SearchFilterState::Unknown("archived".into()));
    assert_eq!(SearchFilterOperator::NotContains.as_ref(), "!~");
    assert_eq!(IntercomVersion::V2_1.as_str(), "2.1");
    assert_eq!(IntercomVersion::V2_10.to_string(), "2.10");
    assert!(serde_json::from_value::<SearchFilter>(json!({"operator": null})).unwrap().operator.is_none());
}

#[test]
fn one_of_picks_the_branch_by_tag_and_never_fails() {
    use one_of::models::*;
    let (c, back): (ContactReference, _) = round_trip(json!({"type": "lead", "id": "7"}));
    assert!(matches!(c, ContactReference::Lead(Lead { ref id, .. }) if id.as_deref() == Some("7")));
    assert_eq!(back, json!({"type": "lead", "id": "7"}));
    let (c, _): (ContactReference, _) = round_trip(json!({"type": "user", "email": "a@b.c"}));
    assert!(matches!(c, ContactReference::User(_)));
    let (c, back): (ContactReference, _) = round_trip(json!({"type": "visitor", "id": "1"}));
    assert_eq!(c, ContactReference::Unknown(json!({"type": "visitor", "id": "1"})));
    assert_eq!(back, json!({"type": "visitor", "id": "1"}));
    let (v, _): (FilterValue, _) = round_trip(json!(42));
    assert_eq!(v, FilterValue::Integer(42));
    let (v, _): (FilterValue, _) = round_trip(json!(["a", "b"]));
    assert_eq!(v, FilterValue::StringList(vec!["a".into(), "b".into()]));
    let (h, _): (Holder, _) = round_trip(json!({"owner": {"team_id": 3}}));
    assert!(matches!(h.owner, Some(HolderOwner::TeamOwner(_))));
    // A single-member wrapper is an alias of its member.
    let w: Wrapped = User::default();
    assert_eq!(w.id, None);
}

#[test]
fn a_union_inside_a_union_is_ranked_as_one() {
    use one_of::models::*;
    let (r, back): (Reply, _) = round_trip(json!({"type": "user", "email": "a@b.c"}));
    assert!(matches!(r, Reply::ContactReply(ContactReply::Email(_))), "{r:?}");
    assert_eq!(back, json!({"type": "user", "email": "a@b.c"}));
    let (r, _): (Reply, _) = round_trip(json!({"type": "user", "id": "7"}));
    assert!(matches!(r, Reply::ContactReply(ContactReply::Id(_))), "{r:?}");
    let (r, _): (Reply, _) = round_trip(json!({"type": "admin", "admin_id": "1"}));
    assert!(matches!(r, Reply::AdminReply(AdminReply { ref admin_id, .. }) if admin_id.as_deref() == Some("1")));
    // No inner branch admits it: the outer union's own catch-all, not the inner one's.
    let (r, back): (Reply, _) = round_trip(json!({"type": "bot", "id": "1"}));
    assert_eq!(r, Reply::Unknown(json!({"type": "bot", "id": "1"})));
    assert_eq!(back, json!({"type": "bot", "id": "1"}));
    // A drifted member of the one admitted branch is drift, not an inner `Unknown`: strict
    // decoding refuses it, lenient decoding keeps the branch and the member raw.
    let drifted = br#"{"type": "admin", "admin_id": 5}"#;
    assert!(serde_json::from_slice::<Reply>(drifted).is_err());
    let (r, mismatches) = intercom_api::runtime::lenient::decode::<Reply>(drifted).unwrap();
    let Reply::AdminReply(admin) = r else { panic!("the admin branch, leniently: {r:?}") };
    assert_eq!((admin.admin_id, admin.extra_.get("admin_id")), (None, Some(&json!(5))));
    assert_eq!(mismatches.iter().map(|m| m.path.as_str()).collect::<Vec<_>>(), ["admin_id"]);
}

#[test]
fn composition_merges_all_of_and_honours_ref_siblings() {
    use composition::models::*;
    let (a, back): (Article, _) =
        round_trip(json!({"id": "1", "created_at": 1719492710, "title": "t", "statistics": null}));
    assert_eq!(a.id.as_deref(), Some("1"));
    assert_eq!(a.created_at, Some(1719492710));
    assert_eq!(a.statistics, None);
    assert_eq!(back, json!({"id": "1", "created_at": 1719492710, "title": "t"}));
    let (a, _): (Article, _) = round_trip(json!({"statistics": {"views": 2, "happy_reaction_percentage": 0.5}}));
    assert_eq!(a.statistics.and_then(|s| s.views), Some(2));
    // Constraint-only anyOf branches do not make either identifier mandatory.
    let (c, _): (CreateContactRequest, _) = round_trip(json!({"external_id": "x"}));
    assert_eq!(c.email, None);
}

#[test]
fn maps_keep_free_form_json_and_nullable_items() {
    use maps::models::*;
    let input = json!({
        "custom_attributes": {"plan": "pro", "seats": 3, "vip": true, "tags": ["a", 1]},
        "plan": {"anything": {"nested": [1, null]}},
        "metadata": {"k": 1.5},
        "counts": {"a": 1},
        "labels": ["x", null],
        "anything": [1, "two", {"three": 3}]
    });
    let (t, back): (Ticket, _) = round_trip(input.clone());
    assert_eq!(back, input);
    let attrs = t.custom_attributes.unwrap();
    assert_eq!(attrs["seats"], TicketCustomAttributesValue::Number(3.into()));
    assert_eq!(attrs["vip"], TicketCustomAttributesValue::Bool(true));
    assert_eq!(t.labels, Some(vec![Some("x".into()), None]));
}

#[test]
fn naming_and_the_required_policy() {
    use naming::models::*;
    // Output types: every field optional, unknown members kept in `extra_` and encoded again, renames exact.
    let input =
        json!({"type": "contact", "self": "/contacts/1", "translated_content": {"pt-BR": "olá"}, "new_field": 1});
    let (c, back): (Contact, _) = round_trip(input.clone());
    assert_eq!(c.self_.as_deref(), Some("/contacts/1"));
    assert_eq!(c.extra_["new_field"], json!(1));
    assert_eq!(back, input);
    let (empty, _): (Contact, _) = round_trip(json!({}));
    assert_eq!(empty, Contact::default());
    // Input-only types: required fields are required, missing or `null`, and named in the error.
    let missing = serde_json::from_value::<CreateContactRequest>(json!({"name": "x"})).unwrap_err();
    assert_eq!(missing.to_string(), "missing field `role`");
    let null = serde_json::from_value::<CreateContactRequest>(json!({"role": null})).unwrap_err();
    assert_eq!(null.to_string(), "missing field `role`");
    let wrong = serde_json::from_str::<CreateContactRequest>(r#"{"role": "lead", "name": 5}"#).unwrap_err();
    assert!(wrong.to_string().contains("expected a string"), "{wrong}");
    // Members in any order, unknown ones kept in `extra_` (and sent again), the last of a repeated
    // member kept.
    let decoded: CreateContactRequest =
        serde_json::from_str(r#"{"name": "A", "x": [1], "role": "user", "name": "Ada"}"#).unwrap();
    let mut expected =
        CreateContactRequest { name: Some("Ada".into()), ..CreateContactRequest::new(CreateContactRequestRole::User) };
    expected.extra_.insert("x".into(), json!([1]));
    assert_eq!(decoded, expected);
    assert_eq!(serde_json::to_value(&decoded).unwrap(), json!({"role": "user", "name": "Ada", "x": [1]}));
    let req = CreateContactRequest::new(CreateContactRequestRole::Lead);
    assert_eq!(
        (req.role.clone(), req.name.clone(), req.extra_.is_empty()),
        (CreateContactRequestRole::Lead, None, true)
    );
    let named =
        CreateContactRequest { name: Some("Ada".into()), ..CreateContactRequest::new(CreateContactRequestRole::Lead) };
    assert_eq!(named.name.as_deref(), Some("Ada"));
    assert_eq!(serde_json::to_value(&req).unwrap(), json!({"role": "lead"}));
    // The inline body that collides with a component gets a distinct name and keeps merged fields.
    let body = CreateTicketRequestObject { skip_notifications: Some(true), ..CreateTicketRequestObject::new("9") };
    assert_eq!(serde_json::to_value(&body).unwrap(), json!({"ticket_type_id": "9", "skip_notifications": true}));
    let _unrelated = CreateTicketRequestBody::default();
    // A schema named like a crate-root item is renamed (`error` → `ErrorBody`): no glob-import clash.
    let _error = ErrorBody::default();
    // Nested inline types are named by the nearest part of their parent that keeps the name within
    // 40 characters (not the whole path), an untitled union branch by what it holds.
    let nested = ReferenceMappingsItemIntercomObjectType::Company;
    assert_eq!(serde_json::to_value(&nested).unwrap(), json!("company"));
    let (value, back): (DataConnectorDetailFilterValue, _) = round_trip(json!(["a", 1]));
    assert!(matches!(value, DataConnectorDetailFilterValue::StringOrIntegerList(_)), "{value:?}");
    assert_eq!(back, json!(["a", 1]));
    // Untitled object branches are named by the members that tell them apart, and each payload
    // decodes into the branch its name says.
    let first = json!({"workspace_id": "w", "admin": "a"});
    let (request, back): (ConfigureRequest, _) = round_trip(first.clone());
    assert!(matches!(request, ConfigureRequest::WithoutComponentId(_)), "{request:?}");
    assert_eq!(back, first);
    let submit = json!({"workspace_id": "w", "admin": "a", "workspace_region": "eu", "component_id": "b1"});
    let (request, back): (ConfigureRequest, _) = round_trip(submit.clone());
    match &request {
        ConfigureRequest::WithComponentId(r) => assert_eq!(r.component_id.as_deref(), Some("b1")),
        other => panic!("a submit's request decoded as {other:?}"),
    }
    assert_eq!(back, submit);
    let (response, _): (ConfigureResponse, _) = round_trip(json!({"canvas": {"content": "x"}}));
    assert!(matches!(response, ConfigureResponse::WithCanvas(_)), "{response:?}");
    // Two owners that shorten to one name: the second is named from its own first words.
    let create = CreateOfficeHoursExceptionRequest {
        exception_type: Some(OfficeHoursExceptionRequestExceptionType::Closed),
        ..Default::default()
    };
    let update = UpdateOfficeHoursExceptionRequest {
        exception_type: Some(UpdateOfficeHoursExceptionExceptionType::Closed),
        ..Default::default()
    };
    assert_eq!(serde_json::to_value(&create).unwrap(), serde_json::to_value(&update).unwrap());
}

#[test]
fn fixture_operations_build_requests() {
    use intercom_api::runtime::{build_request, parse_response, Operation, RequestContext};
    use naming::{models, operations};
    // A single-member `oneOf` body is the component itself; required body fields are arguments.
    let op = operations::CreateContact::new(models::CreateContactRequest::new(models::CreateContactRequestRole::User));
    let req =
        build_request(&op, RequestContext { base_url: "http://localhost", token: None, user_agent: "t" }).unwrap();
    assert_eq!(req.uri(), "http://localhost/contacts");
    assert_eq!(req.headers()["intercom-version"], "fixture");
    assert_eq!(req.body(), br#"{"role":"user"}"#);
    assert_eq!(operations::CreateTicket::OPERATION_ID, "createTicket");
    let response = http::Response::builder().status(200).body(br#"{"type":"ticket","id":"5"}"#.to_vec()).unwrap();
    let ticket: models::CreateTicketResponse = parse_response::<operations::CreateTicket>(response).unwrap();
    assert_eq!(ticket.id.as_deref(), Some("5"));
}

#[test]
fn recursive_schemas_hold_themselves_through_a_box() {
    use recursion::models::*;
    // Self-reference, a two-cycle through an alias, and a cycle through a oneOf, all by value.
    let input = json!({
        "id": "1",
        "parent": {"id": "0", "parent": {"id": "-1"}},
        "children": [{"id": "2", "children": []}],
        "first": {"b": {"a": {"b": {"a": {}}}}}
    });
    let (thing, back): (Thing, _) = round_trip(input.clone());
    assert_eq!(back, input);
    let grandparent = thing.parent.as_ref().and_then(|p| p.parent.as_ref()).unwrap();
    assert_eq!(grandparent.id.as_deref(), Some("-1"));
    let deep = thing.first.unwrap().b.unwrap().a.unwrap().b.unwrap();
    assert_eq!(*deep, NodeB { a: Some(Box::new(NodeA::default())), ..Default::default() });
    let (e, back): (Expression, _) = round_trip(json!({"not": {"not": "x"}}));
    assert_eq!(back, json!({"not": {"not": "x"}}));
    let Expression::NotExpression(outer) = e else { panic!("not the object branch") };
    let Some(Expression::NotExpression(inner)) = outer.not.as_deref() else { panic!("not nested") };
    assert_eq!(inner.not.as_deref(), Some(&Expression::String("x".into())));
}

#[test]
fn keyword_names_undeclared_path_segments_and_control_characters() {
    use intercom_api::runtime::{build_request, Operation, RequestContext};
    use recursion::{models, operations};
    // A schema, property and enum value named `self`/`Self` get legal names; the wire stays exact.
    let (s, back): (models::SelfType, _) = round_trip(json!({"self": "Self", "super": "x"}));
    assert_eq!(s.self_, Some(models::SelfTypeSelfType::SelfValue2));
    assert_eq!(s.super_.as_deref(), Some("x"));
    assert_eq!(back, json!({"self": "Self", "super": "x"}));
    assert_eq!(models::SelfTypeSelfType::from("self"), models::SelfTypeSelfType::SelfValue);
    // `{job_identifier}` is declared by no parameter: it is a required string all the same.
    let op = operations::SelfType::new("job 1");
    let req =
        build_request(&op, RequestContext { base_url: "http://localhost", token: None, user_agent: "t" }).unwrap();
    assert_eq!(req.uri(), "http://localhost/exports/job%201");
    assert_eq!(operations::SelfType::OPERATION_ID, "self");
    assert_eq!(operations::GetThing::PATH, "/things/{id}");
}

#[test]
fn discriminator_mapping_decides_the_branch_many_to_one() {
    use discriminator::models::*;
    // Three values map to one branch, one to the other; the branch follows the mapping.
    for tag in ["content_snippet", "external_content", "internal_article"] {
        let (r, back): (SearchResult, _) = round_trip(json!({"type": tag, "id": "1"}));
        assert!(matches!(r, SearchResult::DefaultItem(_)), "{tag}");
        assert_eq!(back, json!({"type": tag, "id": "1"}));
    }
    let (r, back): (SearchResult, _) = round_trip(json!({"type": "article", "id": "2", "title": "t"}));
    assert!(matches!(r, SearchResult::ArticleItem(_)));
    assert_eq!(back, json!({"type": "article", "id": "2", "title": "t"}));
}

#[test]
fn read_only_properties_are_never_required() {
    use discriminator::models::*;
    // `audience.id` is required and readOnly: a request may leave it out, so it is an `Option`.
    let (a, back): (Audience, _) = round_trip(json!({"name": "VIPs"}));
    assert_eq!(a.id, None);
    assert_eq!(a.name, "VIPs");
    assert_eq!(back, json!({"name": "VIPs"}));
}

#[test]
fn later_versions_operation_constructs() {
    use intercom_api::runtime::{build_request, parse_response, Operation, RequestContext};
    use operations::{models, operations as ops};
    let context = || RequestContext { base_url: "http://localhost", token: None, user_agent: "t" };
    // A path-item parameter, an array query parameter sent comma-separated (`explode: false`), and
    // a version header that allows one value only (sent instead of the module's version).
    let mut op = ops::GetThing::new("a b");
    op.states = Some(vec!["open".into(), "closed".into()]);
    let req = build_request(&op, context()).unwrap();
    assert_eq!(req.uri(), "http://localhost/things/a%20b?states=open%2Cclosed");
    assert_eq!(req.headers()["intercom-version"], "preview");
    assert_eq!(ops::GetThing::VERSION, "preview");
    assert_eq!(ops::GetThingTranscript::VERSION, "fixture");
    // A `$ref` to components/responses types the error body like an inline one.
    let response = http::Response::builder().status(404).body(br#"{"type":"error","message":"no"}"#.to_vec()).unwrap();
    assert!(parse_response::<ops::GetThing>(response).is_err());
    // `text/plain` decodes into a String.
    let response = http::Response::builder().status(200).body(b"[00:01] hello".to_vec()).unwrap();
    let text: String = parse_response::<ops::GetThingTranscript>(response).unwrap();
    assert_eq!(text, "[00:01] hello");
    // No operationId: the name comes from method and path (braces dropped), the same in every version.
    assert_eq!(ops::GetExportThingsJobIdentifier::OPERATION_ID, "get /export/things/job_identifier");
    let req = build_request(&ops::GetExportThingsJobIdentifier::new("j1"), context()).unwrap();
    assert_eq!(req.uri(), "http://localhost/export/things/j1");
    let _ = models::Thing::default();
}

#[test]
fn fixture_redirect_returns_its_location() {
    use intercom_api::runtime::{parse_response, Error, Operation, SuccessBody};
    use operations::operations as ops;
    assert_eq!(ops::GetThingRecording::SUCCESS_BODY, SuccessBody::Redirect);
    let location = "https://storage.example.com/rec.mp3?signature=abc";
    let response = http::Response::builder().status(302).header("location", location).body(Vec::new()).unwrap();
    let got: String = parse_response::<ops::GetThingRecording>(response).unwrap();
    assert_eq!(got, location);
    // A redirect without `Location`, or no redirect at all, is a decode error naming the problem.
    let response = http::Response::builder().status(302).body(Vec::new()).unwrap();
    match parse_response::<ops::GetThingRecording>(response) {
        Err(Error::Decode { message, .. }) => assert!(message.contains("no `Location`"), "{message}"),
        other => panic!("{other:?}"),
    }
    let response = http::Response::builder().status(200).body(Vec::new()).unwrap();
    match parse_response::<ops::GetThingRecording>(response) {
        Err(Error::Decode { message, .. }) => assert!(message.contains("expected a redirect"), "{message}"),
        other => panic!("{other:?}"),
    }
    // An error status is still the typed API error.
    let response = http::Response::builder().status(404).body(br#"{"type":"error.list"}"#.to_vec()).unwrap();
    assert!(matches!(parse_response::<ops::GetThingRecording>(response), Err(Error::Api(_))));
}

#[test]
fn fixture_binary_download() {
    use intercom_api::runtime::{build_request, parse_response, Error, Operation, RequestContext, SuccessBody};
    use operations::operations as ops;
    let context = RequestContext { base_url: "http://localhost", token: None, user_agent: "t" };
    // The `Accept` parameter allows one value: not a constructor argument, sent by the operation,
    // replacing the default `Accept: application/json` (one header, not two).
    let req = build_request(&ops::DownloadThing::new("t1"), context).unwrap();
    let accepts: Vec<_> = req.headers().get_all("accept").iter().collect();
    assert_eq!(accepts, ["application/octet-stream"]);
    assert_eq!(ops::DownloadThing::SUCCESS_BODY, SuccessBody::Binary);
    let payload = b"\x00\x01id,name\r\n1,\xff".to_vec();
    let response = http::Response::builder().status(200).body(payload.clone()).unwrap();
    let bytes: bytes::Bytes = parse_response::<ops::DownloadThing>(response).unwrap();
    assert_eq!(bytes, payload);
    let response = http::Response::builder().status(404).body(br#"{"type":"error.list"}"#.to_vec()).unwrap();
    assert!(matches!(parse_response::<ops::DownloadThing>(response), Err(Error::Api(_))));
    // An `application/octet-stream` response is binary too, and asks for it.
    assert_eq!(ops::GetThingArchive::SUCCESS_BODY, SuccessBody::Binary);
    let req = build_request(&ops::GetThingArchive::new("t1"), context).unwrap();
    assert_eq!(req.headers()["accept"], "application/octet-stream");
    let response = http::Response::builder().status(200).body(b"PK\x03\x04".to_vec()).unwrap();
    assert_eq!(parse_response::<ops::GetThingArchive>(response).unwrap(), &b"PK\x03\x04"[..]);
}

#[test]
fn fixture_multipart_body() {
    use intercom_api::runtime::{build_request, Operation, RequestContext};
    use operations::{models, operations as ops};
    let context = RequestContext { base_url: "http://localhost", token: None, user_agent: "t" };
    // The binary members are bytes; the others keep their types.
    let mut body = models::UploadThingRequest::new(bytes::Bytes::from_static(b"[{\"id\":\"1\"}]"));
    body.finalize = Some(models::UploadThingRequestFinalize::False);
    body.part_number = Some(2);
    let op = ops::UploadThing::new("t1", body);
    let req = build_request(&op, context).unwrap();
    let content_type = req.headers()["content-type"].to_str().unwrap().to_string();
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect(&content_type);
    let expected = format!(
        "--{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"file.json\"\r\nContent-Type: application/json\r\n\r\n[{{\"id\":\"1\"}}]\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"finalize\"\r\n\r\nfalse\r\n\
         --{b}\r\nContent-Disposition: form-data; name=\"part_number\"\r\n\r\n2\r\n--{b}--\r\n",
        b = boundary
    );
    assert_eq!(String::from_utf8(req.body().clone()).unwrap(), expected);
    // `body()` is the same bytes; an unset optional member sends no part (`raw` above).
    assert_eq!(op.body().unwrap().unwrap(), *req.body());
    // A binary member without an `encoding` entry is an `application/octet-stream` file.
    let mut body = models::UploadThingRequest::new(bytes::Bytes::new());
    body.raw = Some(bytes::Bytes::from_static(b"\xff"));
    let req = build_request(&ops::UploadThing::new("t1", body), context).unwrap();
    let text = String::from_utf8_lossy(req.body()).to_string();
    assert!(text.contains("name=\"raw\"; filename=\"raw\"\r\nContent-Type: application/octet-stream\r\n"), "{text}");
}
