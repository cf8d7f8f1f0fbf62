//! The sans-IO core and the client's behaviour that needs no mock server: request building
//! (version header, auth, user agent, percent-encoding, query styles, bodies), response parsing
//! (typed success, empty bodies, `error.list`, decode errors with their JSON path), timeouts,
//! transport failures and token redaction.

// Every case goes through 2.11's operations.
#![cfg(feature = "v2_11")]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use intercom_api::runtime::{
    build_request, parse_response, parse_response_with, Decoding, Error, Operation, RequestContext,
};
use intercom_api::v2_11::{models, operations as ops};

const CONTEXT: RequestContext<'static> =
    RequestContext { base_url: "https://api.intercom.io/", token: Some("secret-token"), user_agent: "ua/1" };

fn header<'a>(req: &'a http::Request<Vec<u8>>, name: &str) -> &'a str {
    req.headers().get(name).map(|v| v.to_str().unwrap()).unwrap_or("")
}

#[test]
fn requests_carry_version_auth_agent_and_encoded_path() {
    let op = ops::CreateNote::new(
        "a/b c",
        models::CreateNoteRequest { admin_id: Some("991".into()), ..models::CreateNoteRequest::new("hi") },
    );
    let req = build_request(&op, CONTEXT).unwrap();
    assert_eq!(req.method(), http::Method::POST);
    assert_eq!(req.uri().to_string(), "https://api.intercom.io/contacts/a%2Fb%20c/notes");
    assert_eq!(header(&req, "intercom-version"), "2.11");
    assert_eq!(header(&req, "authorization"), "Bearer secret-token");
    assert!(req.headers().get("authorization").unwrap().is_sensitive());
    assert_eq!(header(&req, "user-agent"), "ua/1");
    assert_eq!(header(&req, "content-type"), "application/json");
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(req.body()).unwrap(),
        serde_json::json!({"body": "hi", "admin_id": "991"})
    );
}

#[test]
fn module_version_and_query_parameters() {
    let mut op = ops::ListContacts::new();
    op.per_page = Some(50);
    op.starting_after = Some("WzE2MDAw==".into());
    let req = build_request(&op, RequestContext { token: None, ..CONTEXT }).unwrap();
    assert_eq!(req.uri().query(), Some("per_page=50&starting_after=WzE2MDAw%3D%3D"));
    assert_eq!(header(&req, "intercom-version"), "2.11", "the module's version, which its types decode");
    assert!(req.headers().get("authorization").is_none());
    assert!(req.body().is_empty());
    assert!(req.headers().get("content-type").is_none());

    // `GET /events`: an object-valued `filter`, style form + explode: its members become parameters.
    let filter = models::ListDataEventsFilter { email: Some("ada@example.com".into()), ..Default::default() };
    let req = build_request(&ops::ListDataEvents::new(filter, "user"), CONTEXT).unwrap();
    assert_eq!(req.uri().query(), Some("email=ada%40example.com&type=user"));
}

fn response(status: u16, body: &str) -> http::Response<Vec<u8>> {
    http::Response::builder().status(status).header("x-request-id", "hdr-id").body(body.as_bytes().to_vec()).unwrap()
}

#[test]
fn responses_decode_or_explain() {
    let tag =
        parse_response::<ops::FindTag>(response(200, r#"{"type":"tag","id":"7","name":"vip","brand_new":1}"#)).unwrap();
    assert_eq!(tag.name.as_deref(), Some("vip"));
    // No-body operations accept whatever arrives.
    parse_response::<ops::DeleteTag>(response(200, "")).unwrap();

    let err = parse_response::<ops::FindTag>(response(404, r#"{"type":"error.list","request_id":"req-1","errors":[{"code":"not_found","message":"Resource Not Found","field":"id"}]}"#)).unwrap_err();
    let api = err.api().expect("an API error");
    assert_eq!(api.status, 404);
    assert_eq!(api.request_id.as_deref(), Some("req-1"));
    assert_eq!(api.code(), Some("not_found"));
    assert_eq!(
        err.to_string(),
        "Intercom returned 404 Not Found; not_found: Resource Not Found (field `id`) in findTag (GET /tags/{tag_id}, version 2.11) [request req-1]"
    );
    assert_eq!(err.code(), Some(intercom_api::runtime::ErrorCode::NotFound));
    assert_eq!(err.operation_id(), Some("findTag"));

    let err = parse_response::<ops::FindTag>(response(502, "<html>bad gateway</html>")).unwrap_err();
    let api = err.api().unwrap();
    assert!(api.error_list.is_none());
    assert_eq!(api.request_id.as_deref(), Some("hdr-id"));
    assert_eq!(api.body, b"<html>bad gateway</html>");

    // A member of another JSON type than declared: lenient by default (kept raw, reported) ...
    let drifted = r#"{"type":"list","data":[{"id":"1"},{"id":2}]}"#;
    let decoded = parse_response_with::<ops::ListContacts>(response(200, drifted), Decoding::Lenient).unwrap();
    let data = decoded.value.data.unwrap();
    assert_eq!(data[1].id, None);
    assert_eq!(data[1].extra_["id"], serde_json::json!(2));
    assert_eq!(decoded.mismatches.len(), 1);
    assert_eq!(decoded.mismatches[0].path, "data[1].id");
    assert_eq!(serde_json::to_value(&data).unwrap(), serde_json::json!([{"id":"1"},{"id":2}]), "nothing is lost");
    assert!(parse_response::<ops::ListContacts>(response(200, drifted)).is_ok());
    // ... an error naming its path in strict mode.
    let err = parse_response_with::<ops::ListContacts>(response(200, drifted), Decoding::Strict).unwrap_err();
    match err {
        Error::Decode { path, body, .. } => {
            assert_eq!(path, "data[1].id");
            assert!(!body.is_empty());
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn operations_name_their_route() {
    assert_eq!(ops::CreateNote::PATH, "/contacts/{contact_id}/notes");
    assert_eq!(ops::CreateNote::OPERATION_ID, "createNote");
    // Upstream's misspelt operationIds are corrected by spec/fixups.toml.
    assert_eq!(ops::ListDataAttributes::OPERATION_ID, "listDataAttributes");
    assert_eq!(ops::ListDataEvents::OPERATION_ID, "listDataEvents");
}

#[tokio::test(flavor = "current_thread")]
async fn client_timeout_transport_and_redaction() {
    // A server that accepts and never answers: the client must give up with `Timeout`.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let silent = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut buf = [0u8; 1024];
        let _ = stream.read(&mut buf);
        std::thread::sleep(Duration::from_millis(800));
        let _ = stream.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n{}");
    });
    let client = intercom_api::Client::builder("secret-token")
        .base_url(format!("http://{addr}"))
        .timeout(Duration::from_millis(200))
        .build();
    let err = client.v2_11().tags().list_tags().await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    silent.join().unwrap();

    // Nothing listens on a port we just released: a transport error.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let client =
        intercom_api::Client::builder("secret-token").base_url(format!("http://{closed}")).max_retries(0).build();
    assert!(matches!(client.v2_11().tags().list_tags().await.unwrap_err(), Error::Transport { not_sent: true, .. }));

    let shown = format!("{client:?} {:?}", intercom_api::Client::builder("secret-token"));
    assert!(!shown.contains("secret-token"), "{shown}");
    assert_eq!(intercom_api::Region::Eu.base_url(), "https://api.eu.intercom.io");
    assert_eq!(
        intercom_api::Client::builder("t").region(intercom_api::Region::Au).build().base_url(),
        "https://api.au.intercom.io"
    );
    let req = client.request_for(&ops::ListTags::new()).unwrap();
    assert!(header(&req, "user-agent").starts_with("intercom-api-rust/"));
}

/// Serves `bodies` to successive connections on 127.0.0.1 and returns the request heads it saw
/// (request line and headers, header names lower-cased by the client).
fn scripted_server(bodies: Vec<&'static str>) -> (String, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for body in bodies {
            let (mut stream, _) = listener.accept().unwrap();
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap() == 1 {
                head.push(byte[0]);
            }
            seen.push(String::from_utf8_lossy(&head).into_owned());
            let reply = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
            stream.write_all(reply.as_bytes()).unwrap();
        }
        seen
    });
    (url, handle)
}

#[tokio::test(flavor = "current_thread")]
async fn pages_follow_the_cursor_until_the_last_page() {
    let (url, server) = scripted_server(vec![
        r#"{"type":"list","data":[{"id":"1"}],"pages":{"type":"pages","next":{"starting_after":"c1"}}}"#,
        r#"{"type":"list","data":[{"id":"2"}],"pages":{"type":"pages","next":{"starting_after":"c2"}}}"#,
        r#"{"type":"list","data":[{"id":"3"}],"pages":{"type":"pages","next":null}}"#,
    ]);
    let client = intercom_api::Client::builder("t").base_url(url).build();
    let call = client.v2_11().contacts().list_contacts().with(|op| op.per_page = Some(1));
    let mut pages = call.header("X-Trace", "run-7").pages();
    let mut ids = Vec::new();
    while let Some(page) = futures_util::StreamExt::next(&mut pages).await {
        ids.extend(page.unwrap().data.unwrap_or_default().into_iter().filter_map(|c| c.id));
    }
    assert_eq!(ids, ["1", "2", "3"]);
    let heads = server.join().unwrap();
    for head in &heads {
        // Every page carries the call's own header and the bearer token.
        assert!(head.contains("\r\nx-trace: run-7\r\n"), "{head}");
        assert!(head.contains("\r\nauthorization: Bearer t\r\n"), "{head}");
    }
    let seen: Vec<&str> = heads.iter().map(|h| h.lines().next().unwrap_or_default()).collect();
    assert_eq!(
        seen,
        [
            "GET /contacts?per_page=1 HTTP/1.1",
            "GET /contacts?per_page=1&starting_after=c1 HTTP/1.1",
            "GET /contacts?per_page=1&starting_after=c2 HTTP/1.1"
        ]
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_repeated_cursor_ends_the_pages() {
    let page = r#"{"type":"list","data":[{"id":"1"}],"pages":{"next":{"starting_after":"same"}}}"#;
    let (url, server) = scripted_server(vec![page, page]);
    let client = intercom_api::Client::builder("t").base_url(url).build();
    let mut pages = client.pages(ops::ListContacts::new());
    let mut count = 0;
    while let Some(page) = futures_util::StreamExt::next(&mut pages).await {
        page.unwrap();
        count += 1;
    }
    // The second page points at itself again: not followed.
    assert_eq!(count, 2);
    assert!(pages.loop_detected());
    server.join().unwrap();
}

#[test]
fn search_cursors_go_into_the_body() {
    use intercom_api::runtime::{PageToken, Paginated};
    let query = models::SearchRequestQuery::Single(models::SingleFilterSearchRequest {
        field: Some("email".into()),
        operator: Some(models::SingleFilterSearchRequestOperator::Eq),
        value: Some(models::SingleFilterSearchRequestValue::String("ada@example.com".into())),
        ..Default::default()
    });
    let mut op = ops::SearchContacts::new(models::SearchRequest::new(query));
    op.set_page(PageToken::Cursor("next-page".into()));
    assert_eq!(op.page(), Some(PageToken::Cursor("next-page".into())));
    let req = build_request(&op, CONTEXT).unwrap();
    let body: serde_json::Value = serde_json::from_slice(req.body()).unwrap();
    assert_eq!(body["pagination"], serde_json::json!({"starting_after": "next-page"}));
    assert_eq!(body["query"]["operator"], "=");
}

#[tokio::test(flavor = "current_thread")]
async fn a_token_that_cannot_be_a_header_fails_every_call_before_sending() {
    // Nothing listens here: reaching the network would be a transport error, not this one.
    let client = intercom_api::Client::builder("line\nbreak").base_url("http://127.0.0.1:9").build();
    let err = client.v2_11().tags().list_tags().await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("token")), "{err:?}");
    assert!(!format!("{err:?}").contains("line\nbreak"));
}

#[test]
fn constructors_set_single_value_members() {
    // `message_type` and `type` have one possible value each: `new` sets them, the caller never
    // spells them.
    let reply = models::ContactReplyTicketIntercomUserIdRequest::new("Thanks!", "6762f0dd1bb69f9f2193bb7c");
    assert_eq!(
        serde_json::to_value(&reply).unwrap(),
        serde_json::json!({"message_type": "comment", "type": "user", "body": "Thanks!", "intercom_user_id": "6762f0dd1bb69f9f2193bb7c"})
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_call_is_static_and_its_setters_reach_the_wire() {
    let (url, server) = scripted_server(vec![r#"{"type":"list","data":[{"id":"1"}],"pages":{"next":null}}"#]);
    let client = intercom_api::Client::builder("t").base_url(url).build();
    // The generated setters set the optional parameters; the call owns its client handle, so it
    // can be spawned as it is, and outlive the client it came from.
    let call = client.v2_11().contacts().list_contacts().per_page(7).starting_after("c0");
    assert_eq!(call.operation().per_page, Some(7));
    drop(client);
    let list = tokio::spawn(std::future::IntoFuture::into_future(call)).await.unwrap().unwrap();
    assert_eq!(list.data.unwrap_or_default().len(), 1);
    let heads = server.join().unwrap();
    assert_eq!(heads[0].lines().next().unwrap_or_default(), "GET /contacts?per_page=7&starting_after=c0 HTTP/1.1");
}

/// The typical calls as the README's construction style writes them (`new` with the required
/// values, short variant names), and the bodies they send: constant tags set, nothing spelt twice.
#[test]
fn typical_calls_build_the_documented_bodies() {
    let client = intercom_api::Client::new("t");
    let api = client.v2_11();
    let body = |call: &dyn Fn() -> Result<http::Request<Vec<u8>>, Error>| {
        serde_json::from_slice::<serde_json::Value>(call().unwrap().body()).unwrap()
    };

    let reply = models::ReplyConversationRequest::Contact(models::ContactReplyConversationRequest::IntercomUserId(
        models::ContactReplyIntercomUserIdRequest::new("Thanks!", "6762f2971bb69f9f2193bc49"),
    ));
    let call = api.conversations().reply_conversation("123", reply);
    assert_eq!(
        body(&|| client.request_for(call.operation())),
        serde_json::json!({"message_type": "comment", "type": "user", "body": "Thanks!", "intercom_user_id": "6762f2971bb69f9f2193bc49"})
    );

    let redact =
        models::RedactConversationRequest::ConversationPart(models::RedactConversationPartRequest::new("123", "456"));
    let call = api.conversations().redact_conversation(redact);
    assert_eq!(
        body(&|| client.request_for(call.operation())),
        serde_json::json!({"type": "conversation_part", "conversation_id": "123", "conversation_part_id": "456"})
    );

    let close = models::ManageConversationRequest::Close(models::CloseConversationRequest::new("991"));
    let call = api.conversations().manage_conversation("123", close);
    assert_eq!(
        body(&|| client.request_for(call.operation())),
        serde_json::json!({"message_type": "close", "type": "admin", "admin_id": "991"})
    );
}
