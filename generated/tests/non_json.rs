//! The operations whose request or answer is not JSON, called through the generated Preview client:
//! the reporting-data download (binary), the call recording (a redirect) and the catalog upload
//! (`multipart/form-data`). The scripted transport checks what is sent and what comes back; two
//! local HTTP servers check that the default reqwest transport does not follow a redirect.

#![cfg(all(feature = "test-util", feature = "preview"))]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use intercom_api::client::testing::{MockTransport, Scripted};
use intercom_api::preview::models::{UploadEcommerceCatalogRequest, UploadEcommerceCatalogRequestFinalize};
use intercom_api::preview::operations;
use intercom_api::runtime::{Operation, SuccessBody};
use intercom_api::{Client, Error};

const TOKEN: &str = "secret-token-7f3a";

fn client(mock: &MockTransport) -> Client {
    Client::builder(TOKEN).base_url("https://api.intercom.test").transport(mock.clone()).max_retries(0).build()
}

fn header_values(request: &http::Request<Vec<u8>>, name: &str) -> Vec<String> {
    request.headers().get_all(name).iter().map(|v| v.to_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn binary_download_returns_the_bytes_and_asks_for_octet_stream() {
    let mock = MockTransport::new();
    // Not UTF-8, not JSON: returned byte for byte.
    let export = b"\x1f\x8b\x08\x00id,name\r\n1,\xff\xfe".to_vec();
    mock.push(Scripted::status(200, export.clone()).header("content-type", "application/octet-stream"));
    let api = client(&mock);
    // The `Accept` header is not an argument: the operation sends the one value it may have.
    let bytes: bytes::Bytes = api
        .preview()
        .reporting_data_export()
        .get_download_reporting_data_job_identifier("app 1", "job1")
        .await
        .unwrap();
    assert_eq!(bytes, export);
    let requests = mock.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.method(), http::Method::GET);
    assert_eq!(request.uri().to_string(), "https://api.intercom.test/download/reporting_data/job1?app_id=app%201");
    assert_eq!(header_values(request, "accept"), ["application/octet-stream"], "one Accept, not JSON's as well");
    assert_eq!(header_values(request, "authorization"), [format!("Bearer {TOKEN}")]);
    assert_eq!(
        header_values(request, "intercom-version"),
        [operations::GetDownloadReportingDataJobIdentifier::VERSION]
    );
    assert!(request.body().is_empty());
    assert_eq!(operations::GetDownloadReportingDataJobIdentifier::SUCCESS_BODY, SuccessBody::Binary);

    // An error answer is still the typed API error.
    mock.push(Scripted::json(
        404,
        r#"{"type":"error.list","request_id":"r1","errors":[{"code":"not_found","message":"Export job not found"}]}"#,
    ));
    let err = api.preview().reporting_data_export().get_download_reporting_data_job_identifier("a", "j").await;
    match err {
        Err(Error::Api(e)) => assert_eq!(e.status, http::StatusCode::NOT_FOUND),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn redirect_returns_the_location_without_following_it() {
    let mock = MockTransport::new();
    let signed = "https://recordings.example-cdn.com/r/1.mp3?X-Amz-Signature=abc";
    mock.push(Scripted::status(302, Vec::new()).header("location", signed));
    let api = client(&mock);
    let location: String = api.preview().calls().show_call_recording("call 7").await.unwrap();
    assert_eq!(location, signed);
    let requests = mock.requests();
    assert_eq!(requests.len(), 1, "the redirect is not followed");
    assert_eq!(requests[0].method(), http::Method::GET);
    assert_eq!(requests[0].uri().to_string(), "https://api.intercom.test/calls/call%207/recording");
    assert_eq!(header_values(&requests[0], "accept"), ["application/json"]);
    assert_eq!(operations::ShowCallRecording::SUCCESS_BODY, SuccessBody::Redirect);

    // A redirect without `Location` is a decode error, not an empty success.
    mock.push(Scripted::status(302, Vec::new()));
    match api.preview().calls().show_call_recording("c").await {
        Err(Error::Decode { message, status, .. }) => {
            assert_eq!(status, http::StatusCode::FOUND);
            assert!(message.contains("no `Location`"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    // Its 404 is the typed API error.
    mock.push(Scripted::json(
        404,
        r#"{"type":"error.list","errors":[{"code":"not_found","message":"Recording Not Found"}]}"#,
    ));
    assert!(matches!(api.preview().calls().show_call_recording("c").await, Err(Error::Api(_))));
    assert_eq!(mock.request_count(), 3);
}

#[tokio::test]
async fn multipart_upload_sends_a_form() {
    let mock = MockTransport::new();
    mock.push(Scripted::json(200, r#"{"import_job_id":"job_01abc123","next_part_number":3}"#));
    let api = client(&mock);
    let catalog =
        bytes::Bytes::from_static(b"[{\"id\":\"p1\",\"title\":\"Shirt\",\"url\":\"https://shop.example/p1\"}]");
    let mut body = UploadEcommerceCatalogRequest {
        catalog: Some(catalog.clone()),
        finalize: Some(UploadEcommerceCatalogRequestFinalize::False),
        import_job_id: Some("job_01abc123".into()),
        part_number: Some(2),
        ..Default::default()
    };
    // An undeclared member is a text part too, after the declared ones.
    body.extra_.insert("source".into(), "rust-sdk".into());
    let answer = api.preview().ecommerce_connectors().upload_ecommerce_catalog("42939", body).await.unwrap();
    assert_eq!(answer.import_job_id.as_deref(), Some("job_01abc123"));
    assert_eq!(answer.next_part_number, Some(3));

    let request = &mock.requests()[0];
    assert_eq!(request.method(), http::Method::POST);
    assert_eq!(request.uri().to_string(), "https://api.intercom.test/ecommerce/connectors/42939/catalog");
    assert_eq!(header_values(request, "intercom-version"), ["preview"]);
    let content_type = header_values(request, "content-type");
    assert_eq!(content_type.len(), 1);
    let boundary = content_type[0].strip_prefix("multipart/form-data; boundary=").expect("a form content type");
    let mut expected = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"catalog\"; filename=\"catalog.json\"\r\nContent-Type: application/json\r\n\r\n"
    )
    .into_bytes();
    expected.extend_from_slice(&catalog);
    expected.extend_from_slice(
        format!(
            "\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"finalize\"\r\n\r\nfalse\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"import_job_id\"\r\n\r\njob_01abc123\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"part_number\"\r\n\r\n2\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"source\"\r\n\r\nrust-sdk\r\n\
             --{boundary}--\r\n"
        )
        .as_bytes(),
    );
    assert_eq!(String::from_utf8_lossy(request.body()), String::from_utf8_lossy(&expected));
    assert_eq!(request.body(), &expected);

    // Finalizing sends no file part at all; a nested value in `extra_` cannot be a text part and is
    // refused before anything is sent.
    mock.push(Scripted::json(202, "{}"));
    let finalize = UploadEcommerceCatalogRequest {
        finalize: Some(UploadEcommerceCatalogRequestFinalize::True),
        import_job_id: Some("job_01abc123".into()),
        ..Default::default()
    };
    api.preview().ecommerce_connectors().upload_ecommerce_catalog("42939", finalize).await.unwrap();
    let body = String::from_utf8(mock.requests()[1].body().clone()).unwrap();
    assert!(!body.contains("name=\"catalog\""), "{body}");
    assert!(body.contains("name=\"finalize\"\r\n\r\ntrue\r\n"), "{body}");
    let mut nested = UploadEcommerceCatalogRequest::default();
    nested.extra_.insert("meta".into(), serde_json::json!({"a": 1}));
    let err = api.preview().ecommerce_connectors().upload_ecommerce_catalog("42939", nested).await;
    assert!(matches!(err, Err(Error::InvalidRequest(_))), "{err:?}");
    assert_eq!(mock.request_count(), 2);
}

/// A one-request-per-connection HTTP server on 127.0.0.1 answering every request with `response`;
/// returns its address and the request heads it received.
fn serve(response: String) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut head = String::new();
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                head.push_str(&line);
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            record.lock().unwrap().push(head);
            let _ = stream.write_all(response.as_bytes());
        }
    });
    (address, seen)
}

#[tokio::test]
async fn the_reqwest_transport_never_follows_a_redirect() {
    let (elsewhere, elsewhere_seen) = serve(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}".into(),
    );
    let target = format!("{elsewhere}/recording.mp3?sig=1");
    let (api_url, api_seen) =
        serve(format!("HTTP/1.1 302 Found\r\nlocation: {target}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"));

    // The default client: the location is the answer, nothing goes to the other host.
    let api = Client::builder(TOKEN).base_url(&api_url).max_retries(0).build();
    let location = api.preview().calls().show_call_recording("c1").await.unwrap();
    assert_eq!(location, target);
    // Another operation answered with a redirect gets the status as an error, still not followed.
    let err = api.preview().calls().show_call("c1").await;
    match err {
        Err(Error::Api(e)) => assert_eq!(e.status, http::StatusCode::FOUND),
        other => panic!("{other:?}"),
    }
    assert_eq!(api_seen.lock().unwrap().len(), 2);
    assert!(elsewhere_seen.lock().unwrap().is_empty(), "the redirect was followed");

    // A caller's reqwest client that follows redirects: its answer from elsewhere is refused.
    let api = Client::builder(TOKEN).base_url(&api_url).http_client(reqwest::Client::new()).max_retries(0).build();
    match api.preview().calls().show_call_recording("c1").await {
        Err(Error::Transport { source, .. }) => {
            assert!(source.to_string().contains("followed a redirect"), "{source}")
        }
        other => panic!("{other:?}"),
    }
}
