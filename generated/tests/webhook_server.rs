//! The example webhook server (`examples/webhook_server.rs`) over real HTTP on 127.0.0.1: a post
//! signed by Python's `hmac` (the fixture) is answered 200 and reaches the dispatcher as a typed
//! `conversation.admin.replied`; unsigned, wrongly signed, oversized and non-POST requests are
//! refused and reach nothing.

#![cfg(all(feature = "webhooks", feature = "v2_16"))]

#[allow(dead_code)]
#[path = "../examples/webhook_server.rs"]
mod server;

use intercom_api::v2_16::webhooks::Event;
use intercom_api::webhooks::Verifier;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Sends one HTTP/1.1 request and returns the status code of the answer.
async fn send(addr: std::net::SocketAddr, method: &str, signature: Option<&str>, body: &[u8]) -> u16 {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut head = format!("{method} /hooks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n");
    if let Some(signature) = signature {
        head.push_str(&format!("X-Hub-Signature: {signature}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\nConnection: close\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    answer.split(' ').nth(1).and_then(|code| code.parse().ok()).unwrap_or_else(|| panic!("no status in {answer:?}"))
}

#[tokio::test]
async fn signed_posts_are_dispatched_and_everything_else_is_refused() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/webhooks");
    let signed: toml::Table = std::fs::read_to_string(dir.join("signed.toml")).unwrap().parse().unwrap();
    let text = |key: &str| signed[key].as_str().unwrap().to_string();
    let body = std::fs::read(dir.join(text("body"))).unwrap();
    let signature = text("signature");

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (sender, mut received) = tokio::sync::mpsc::unbounded_channel();
    let verifier = Verifier::new(text("secret")).max_body_size(4096);
    tokio::spawn(server::serve(listener, verifier, sender));

    assert_eq!(send(addr, "POST", None, &body).await, 401, "unsigned");
    let wrong = format!("sha1={}", "0".repeat(40));
    assert_eq!(send(addr, "POST", Some(&wrong), &body).await, 401, "wrongly signed");
    assert_eq!(send(addr, "POST", Some("sha1=xyz"), &body).await, 401, "malformed signature");
    assert_eq!(send(addr, "POST", Some(&signature), &vec![b' '; 5000]).await, 413, "over the limit");
    assert_eq!(send(addr, "GET", Some(&signature), b"").await, 405, "not a POST");
    assert!(received.try_recv().is_err(), "nothing refused reaches the dispatcher");

    assert_eq!(send(addr, "POST", Some(&signature), &body).await, 200, "signed");
    let notification = received.recv().await.expect("the signed notification is dispatched");
    let Event::ConversationAdminReplied(conversation) = &notification.event else { panic!("{:?}", notification.event) };
    assert_eq!(conversation.id.as_deref(), Some("147"));
    assert_eq!(conversation.title.as_deref(), Some("Café — ünïcode stays byte-exact"));
    assert_eq!(
        server::describe(&notification),
        "notif_78c122d0-23ba-11e4-9464-79b01267cc2e: an admin replied in conversation 147"
    );
    assert!(received.try_recv().is_err(), "exactly one notification");
}
