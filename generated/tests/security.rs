//! Security and robustness of the runtime (issue 13): the default timeout, the response size
//! limit, trailing data after a JSON body, free-form numbers, short `Debug` of huge bodies, escaped
//! server text, and an access token that no error, `Display` or `Debug` ever shows.

#![cfg(all(feature = "client", feature = "v2_11"))]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use intercom_api::client::{DEFAULT_MAX_BODY_SIZE, DEFAULT_TIMEOUT};
use intercom_api::runtime::params::Query;
use intercom_api::runtime::{parse_response, ApiError, Error, Operation, SuccessBody};
use intercom_api::v2_11::operations as ops;
use intercom_api::Client;

const TOKEN: &str = "tok-SECRET-123";

/// A raw HTTP/1.1 response with a `Content-Length`.
fn reply(status: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

/// A raw HTTP/1.1 200 response in chunked transfer encoding (no `Content-Length`).
fn chunked_reply(chunks: &[&[u8]]) -> Vec<u8> {
    let mut out =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
            .to_vec();
    for chunk in chunks {
        out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        out.extend_from_slice(chunk);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"0\r\n\r\n");
    out
}

/// Serves `replies` to successive connections on 127.0.0.1, one each, after reading the request
/// head. Write errors are ignored: a client that refuses a body closes the connection early.
fn server(replies: Vec<Vec<u8>>) -> (String, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = std::thread::spawn(move || {
        for reply in replies {
            let (mut stream, _) = listener.accept().unwrap();
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).unwrap_or(0) == 1 {
                head.push(byte[0]);
            }
            let _ = stream.write_all(&reply);
        }
    });
    (url, handle)
}

/// A server that accepts one connection and never answers. It holds the connection until the
/// returned sender is dropped, or gives up after 10 s so that a client that never times out fails
/// the test instead of hanging. (Waiting for the client to hang up does not work: the connection
/// is closed by a task on the test's single-threaded runtime, which a blocking `join` starves.)
fn silent_server() -> (String, std::sync::mpsc::Sender<()>, std::thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (release, released) = std::sync::mpsc::channel::<()>();
    let handle = std::thread::spawn(move || {
        let (_stream, _) = listener.accept().unwrap();
        let _ = released.recv_timeout(Duration::from_secs(10));
    });
    (url, release, handle)
}

fn client(url: &str) -> Client {
    Client::builder(TOKEN).base_url(url).build()
}

fn closed_port_url() -> String {
    format!("http://{}", TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap())
}

#[test]
fn the_default_timeout_is_30_seconds_and_can_be_changed_or_turned_off() {
    assert_eq!(DEFAULT_TIMEOUT, Duration::from_secs(30));
    assert_eq!(Client::new("t").timeout(), Some(Duration::from_secs(30)));
    assert_eq!(
        Client::builder("t").timeout(Duration::from_millis(5)).build().timeout(),
        Some(Duration::from_millis(5))
    );
    assert_eq!(Client::builder("t").no_timeout().build().timeout(), None);
    assert_eq!(
        Client::builder("t").no_timeout().timeout(Duration::from_secs(1)).build().timeout(),
        Some(Duration::from_secs(1))
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_server_that_never_answers_times_out() {
    let (url, release, server) = silent_server();
    let client = Client::builder(TOKEN).base_url(url).timeout(Duration::from_millis(200)).build();
    let err = client.v2_11().tags().list_tags().await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    drop(release);
    server.join().unwrap();
}

#[tokio::test(flavor = "current_thread")]
async fn oversized_bodies_are_refused_with_or_without_content_length() {
    assert_eq!(DEFAULT_MAX_BODY_SIZE, 64 * 1024 * 1024);
    assert_eq!(Client::new("t").max_body_size(), DEFAULT_MAX_BODY_SIZE);
    let list = br#"{"type":"list","data":[]}"#;
    let padded = |len: usize| {
        let mut body = list.to_vec();
        body.resize(len, b' ');
        body
    };
    let exact = padded(1024);
    let over = padded(1025);
    let (url, server) = server(vec![
        reply("200 OK", &exact),
        chunked_reply(&[&exact[..500], &exact[500..]]),
        reply("200 OK", &padded(4096)),
        chunked_reply(&[&over[..600], &over[600..]]),
        // An error response is limited too.
        reply("500 Internal Server Error", &padded(4096)),
    ]);
    let client = Client::builder(TOKEN).base_url(url).max_body_size(1024).build();
    assert_eq!(client.max_body_size(), 1024);
    for expect_ok in [true, true, false, false, false] {
        let result = client.v2_11().tags().list_tags().await;
        if expect_ok {
            result.unwrap();
        } else {
            let err = result.unwrap_err();
            assert!(matches!(err, Error::BodyTooLarge { limit: 1024, .. }), "{err:?}");
        }
    }
    server.join().unwrap();
}

#[test]
fn trailing_data_after_the_json_value_is_a_decode_error() {
    let response = |body: &str| http::Response::builder().status(200).body(body.as_bytes().to_vec()).unwrap();
    for body in [r#"{"id":"real"}{"id":"evil"}"#, r#"{"id":"real"} x"#, r#"{"id":"real"}]"#] {
        match parse_response::<ops::FindTag>(response(body)) {
            Err(Error::Decode { path, message, .. }) => {
                assert_eq!(path, ".", "{body}");
                assert!(message.contains("trailing characters"), "{body}: {message}");
            }
            other => panic!("{body}: {other:?}"),
        }
    }
    let tag = parse_response::<ops::FindTag>(response("{\"id\":\"real\"} \r\n\t")).unwrap();
    assert_eq!(tag.id.as_deref(), Some("real"));
}

#[test]
fn free_form_numbers_re_encode_exactly() {
    // Without serde_json's `float_roundtrip` this number decodes one unit in the last place off,
    // and so re-encodes with other digits. serde_json always writes the exponent's sign.
    let text = "9.848103217016127e299";
    let written = "9.848103217016127e+299";
    let body =
        format!(r#"{{"type":"contact","id":"c1","custom_attributes":{{"score":{text},"small":0.1,"count":3}}}}"#);
    let contact =
        parse_response::<ops::ShowContact>(http::Response::builder().status(200).body(body.into_bytes()).unwrap())
            .unwrap();
    let attributes = contact.custom_attributes.unwrap();
    assert_eq!(attributes["score"].as_f64().map(f64::to_bits), Some(text.parse::<f64>().unwrap().to_bits()));
    assert_eq!(serde_json::to_string(&attributes).unwrap(), format!(r#"{{"score":{written},"small":0.1,"count":3}}"#));
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(value.to_string(), written);
    assert_eq!(serde_json::from_str::<serde_json::Value>(written).unwrap(), value);
}

#[test]
fn debug_of_a_50_mb_body_stays_short() {
    let body = vec![b'x'; 50 * 1024 * 1024];
    let api = Error::Api(Box::new(ApiError::from_response(
        http::StatusCode::BAD_GATEWAY,
        http::HeaderMap::new(),
        body.clone(),
    )));
    let debug = format!("{api:?}");
    assert!(debug.len() < 2048, "{}", debug.len());
    assert!(debug.contains(&format!("… ({} bytes)", body.len())), "{}", &debug[..200]);
    let decode =
        Error::Decode { path: ".".into(), message: "m".into(), status: http::StatusCode::OK, body, context: None };
    assert!(format!("{decode:?}").len() < 2048);

    // A huge error.list: every server string is capped in `Display` and `Debug`.
    let huge = "y".repeat(10 * 1024 * 1024);
    let list = format!(
        r#"{{"type":"error.list","request_id":"{huge}","errors":[{{"code":"{huge}","message":"{huge}","field":"{huge}"}}]}}"#
    );
    let api = Error::Api(Box::new(ApiError::from_response(
        http::StatusCode::BAD_REQUEST,
        http::HeaderMap::new(),
        list.into_bytes(),
    )));
    assert!(api.api().unwrap().error_list.is_some());
    assert!(api.to_string().len() < 2048);
    assert!(format!("{api:?}").len() < 4096);
}

#[test]
fn server_text_cannot_forge_log_lines() {
    let body = r#"{"type":"error.list","request_id":"r1\n[INFO] forged","errors":[{"code":"x\u001b[2K","message":"gone\r\nok","field":"f\u2028g"}]}"#;
    let err =
        parse_response::<ops::FindTag>(http::Response::builder().status(422).body(body.as_bytes().to_vec()).unwrap())
            .unwrap_err();
    let shown = err.to_string();
    assert_eq!(
        shown,
        r"Intercom returned 422 Unprocessable Entity; x\u{1b}[2K: gone\r\nok (field `f\u{2028}g`) in findTag (GET /tags/{tag_id}, version 2.11) [request r1\n[INFO] forged]"
    );
    // The raw body is still there for whoever needs it.
    assert_eq!(err.api().unwrap().body, body.as_bytes());
    let debug = format!("{err:?}");
    assert!(!debug.contains(['\n', '\r', '\x1b', '\u{2028}']), "{debug}");
}

/// An operation whose body cannot be encoded (a map with non-string keys), to reach `Encode`.
struct Unencodable;

impl Operation for Unencodable {
    type Output = serde_json::Value;
    const METHOD: http::Method = http::Method::POST;
    const PATH: &'static str = "/unencodable";
    const OPERATION_ID: &'static str = "unencodable";
    const VERSION: &'static str = "2.11";
    const SUCCESS_BODY: SuccessBody = SuccessBody::Json;

    fn path(&self) -> Result<String, Error> {
        Ok(Self::PATH.into())
    }

    fn query(&self, _query: &mut Query) -> Result<(), Error> {
        Ok(())
    }

    fn body(&self) -> Result<Option<Vec<u8>>, Error> {
        let map = BTreeMap::from([((1u8, 2u8), 3u8)]);
        serde_json::to_vec(&map).map(Some).map_err(Error::Encode)
    }
}

/// Fails if `text` shows the token or an `Authorization` value.
fn assert_hidden(text: &str, secrets: &[&str]) {
    for secret in secrets.iter().chain(&[TOKEN, "Bearer"]) {
        assert!(!text.contains(secret), "{secret:?} shown in {text}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn no_error_display_or_debug_shows_the_token() {
    let error_list = br#"{"type":"error.list","request_id":"r","errors":[{"code":"unauthorized","message":"Access Token Invalid"}]}"#;
    let (url, server) = server(vec![
        reply("401 Unauthorized", error_list),
        reply("200 OK", br#"[{"id":"5"}]"#),
        reply("200 OK", &[b' '; 100]),
    ]);
    let api = client(&url).v2_11().tags().find_tag("1").await.unwrap_err();
    assert!(matches!(api, Error::Api(_)), "{api:?}");
    let decode = client(&url).v2_11().tags().find_tag("1").await.unwrap_err();
    assert!(matches!(decode, Error::Decode { .. }), "{decode:?}");
    let too_large =
        Client::builder(TOKEN).base_url(&url).max_body_size(10).build().v2_11().tags().find_tag("1").await.unwrap_err();
    assert!(matches!(too_large, Error::BodyTooLarge { .. }), "{too_large:?}");
    server.join().unwrap();

    let encode = client(&url).call(Unencodable).await.unwrap_err();
    assert!(matches!(encode, Error::Encode(_)), "{encode:?}");
    let bad_base = client("not a url").v2_11().tags().list_tags().await.unwrap_err();
    assert!(matches!(bad_base, Error::InvalidRequest(_)), "{bad_base:?}");
    let bad_header = client(&url).v2_11().tags().list_tags().header("x-bad", "a\nb").await.unwrap_err();
    assert!(matches!(bad_header, Error::InvalidRequest(_)), "{bad_header:?}");
    let transport = client(&closed_port_url()).v2_11().tags().list_tags().await.unwrap_err();
    assert!(matches!(transport, Error::Transport { .. }), "{transport:?}");
    let (silent, release, server) = silent_server();
    let timeout = Client::builder(TOKEN)
        .base_url(silent)
        .timeout(Duration::from_millis(100))
        .build()
        .v2_11()
        .tags()
        .list_tags()
        .await
        .unwrap_err();
    assert!(matches!(timeout, Error::Timeout { .. }), "{timeout:?}");
    drop(release);
    server.join().unwrap();

    for err in [api, decode, too_large, encode, bad_base, bad_header, transport, timeout] {
        assert_hidden(&format!("{err} {err:?}"), &[]);
    }

    // A token that cannot be a header value is not echoed either, escaped or not.
    let bad = "bad\ntoken";
    let hidden = [bad, "bad\\ntoken", "bad\\n"];
    let client = Client::builder(bad).base_url(closed_port_url()).build();
    let err = client.v2_11().tags().list_tags().await.unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(m) if m.contains("token")), "{err:?}");
    assert_hidden(&format!("{err} {err:?}"), &hidden);
    let err = client.request_for(&ops::ListTags::new()).unwrap_err();
    assert_hidden(&format!("{err} {err:?}"), &hidden);

    assert_hidden(&format!("{:?} {:?}", self::client(&url), Client::builder(TOKEN)), &[]);
    assert_hidden(&format!("{client:?} {:?}", Client::builder(bad)), &hidden);
}

/// The user info of the base URLs below, and its parts: none may be shown anywhere.
const CREDENTIALS: [&str; 3] = ["ada:pa55-SECRET", "pa55-SECRET", "ada:"];

/// Every message an error reporter prints for `err` (`Display`, then each `source()`), and its
/// `Debug`.
fn everything_shown(err: &Error) -> String {
    let mut text = format!("{err} {err:?}");
    let mut next = std::error::Error::source(err);
    while let Some(inner) = next {
        text.push_str(&format!(" | {inner} {inner:?}"));
        next = inner.source();
    }
    text
}

/// A transport whose errors quote the request's URI, credentials and all (as a careless custom
/// transport might).
struct QuotingTransport;

impl intercom_api::client::Transport for QuotingTransport {
    fn send(&self, request: http::Request<Vec<u8>>) -> intercom_api::client::TransportFuture<'_> {
        let uri = request.uri().to_string();
        Box::pin(async move { Err(intercom_api::client::TransportError::not_sent(format!("cannot connect to {uri}"))) })
    }
}

#[tokio::test(flavor = "current_thread")]
async fn credentials_in_the_base_url_are_never_shown() {
    let closed = closed_port_url().replace("http://", "http://ada:pa55-SECRET@");
    let client = Client::builder(TOKEN).base_url(&closed).max_retries(0).build();
    // Debug of the client and the builder show where, not who.
    let debug = format!("{client:?} {:?}", Client::builder(TOKEN).base_url(&closed));
    assert!(debug.contains("http://***@127.0.0.1:"), "{debug}");
    assert_hidden(&debug, &CREDENTIALS);

    // reqwest's connection error names the URL: redacted, the rest of it kept.
    let refused = client.v2_11().tags().list_tags().await.unwrap_err();
    assert!(matches!(refused, Error::Transport { not_sent: true, .. }), "{refused:?}");
    let shown = everything_shown(&refused);
    assert!(shown.contains("***@127.0.0.1:"), "{shown}");
    assert_hidden(&shown, &CREDENTIALS);

    // A custom transport's error that quotes the URI is redacted too.
    let quoting = Client::builder(TOKEN)
        .base_url("https://ada:pa55-SECRET@proxy.example/")
        .transport(QuotingTransport)
        .max_retries(0)
        .build();
    let quoted = quoting.v2_11().tags().list_tags().await.unwrap_err();
    let shown = everything_shown(&quoted);
    assert!(shown.contains("cannot connect to https://***@proxy.example/tags"), "{shown}");
    assert_hidden(&shown, &CREDENTIALS);

    // A base URL that cannot be parsed is named in the error without its credentials.
    let bad = Client::builder(TOKEN).base_url("http://ada:pa55-SECRET@bad host/").build();
    let invalid = bad.v2_11().tags().list_tags().await.unwrap_err();
    assert!(matches!(invalid, Error::InvalidRequest(_)), "{invalid:?}");
    let shown = everything_shown(&invalid);
    assert!(shown.contains("***@bad host"), "{shown}");
    assert_hidden(&shown, &CREDENTIALS);
    let sans_io = bad.request_for(&ops::ListTags::new()).unwrap_err();
    assert_hidden(&everything_shown(&sans_io), &CREDENTIALS);
}
