//! A webhook endpoint for Intercom API 2.16 on hyper 1: verifies each notification's signature,
//! answers at once (200, or 401 / 400 / 413 / 405), and hands the notification to a task that
//! dispatches on its topic, so that slow handling never makes Intercom retry a delivery.
//!
//! Run it with the app's client secret, then point the app's webhook URL at it:
//!
//! ```text
//! INTERCOM_CLIENT_SECRET=… cargo run -p intercom-api --example webhook_server --features webhooks,v2_16
//! ```
//!
//! `tests/webhook_server.rs` drives it over real HTTP on 127.0.0.1.

use std::convert::Infallible;
use std::sync::Arc;

use http_body_util::{BodyExt, Full, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use intercom_api::v2_16::webhooks::{self, Event, Notification};
use intercom_api::webhooks::{ReceiveError, Verifier};
use tokio::net::TcpListener;
use tokio::sync::mpsc::UnboundedSender;

/// Serves `listener` until it fails, sending each verified notification to `notifications`.
pub async fn serve(listener: TcpListener, verifier: Verifier, notifications: UnboundedSender<Notification>) {
    let verifier = Arc::new(verifier);
    while let Ok((stream, _)) = listener.accept().await {
        let (verifier, notifications) = (verifier.clone(), notifications.clone());
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let (verifier, notifications) = (verifier.clone(), notifications.clone());
                async move { Ok::<_, Infallible>(answer(request, &verifier, &notifications).await) }
            });
            // A client that hangs up mid-request is its own problem, not the server's.
            let _ = hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
        });
    }
}

/// Reads the body (no more than the verifier's limit), verifies and decodes it, and answers.
async fn answer(
    request: Request<Incoming>,
    verifier: &Verifier,
    notifications: &UnboundedSender<Notification>,
) -> Response<Full<Bytes>> {
    if request.method() != Method::POST {
        return status(StatusCode::METHOD_NOT_ALLOWED);
    }
    let (parts, body) = request.into_parts();
    // The exact bytes received: a body parsed and re-serialized would no longer match its signature.
    let Ok(body) = Limited::new(body, verifier.body_limit()).collect().await.map(|b| b.to_bytes()) else {
        return status(StatusCode::PAYLOAD_TOO_LARGE);
    };
    match webhooks::receive_request(verifier, &Request::from_parts(parts, body)) {
        Ok(decoded) => {
            for mismatch in &decoded.mismatches {
                eprintln!("kept raw (drifted from the model): {mismatch}");
            }
            // Handled after answering: a closed channel means the server is shutting down.
            let _ = notifications.send(decoded.value);
            status(StatusCode::OK)
        }
        Err(ReceiveError::Verify(e)) => {
            eprintln!("refused: {e}");
            status(StatusCode::UNAUTHORIZED)
        }
        Err(e) => {
            eprintln!("refused: {e}");
            status(StatusCode::BAD_REQUEST)
        }
    }
}

fn status(code: StatusCode) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::new()));
    *response.status_mut() = code;
    response
}

/// What a service does with a notification: here, one line per topic it cares about.
pub fn describe(notification: &Notification) -> String {
    let id = notification.id.as_deref().unwrap_or("?");
    match &notification.event {
        Event::ConversationAdminReplied(conversation) => {
            format!("{id}: an admin replied in conversation {}", conversation.id.as_deref().unwrap_or("?"))
        }
        Event::Ping { .. } => format!("{id}: ping"),
        Event::Unknown { topic, .. } => format!("{id}: {topic} (a topic this crate does not know)"),
        other => format!("{id}: {}", other.topic().map_or("?", |t| t.as_str())),
    }
}

#[allow(dead_code)] // The test drives `serve`; `main` is for `cargo run`.
#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("INTERCOM_CLIENT_SECRET").map_err(|_| "set INTERCOM_CLIENT_SECRET")?;
    let listener = TcpListener::bind(("127.0.0.1", 3000)).await?;
    println!("listening on http://{}", listener.local_addr()?);
    let (sender, mut received) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(serve(listener, Verifier::new(secret), sender));
    while let Some(notification) = received.recv().await {
        println!("{}", describe(&notification));
    }
    Ok(())
}
