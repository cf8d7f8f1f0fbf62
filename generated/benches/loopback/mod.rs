//! A minimal HTTP/1.1 server on 127.0.0.1 for the client benchmarks: it answers every request with
//! the fixed JSON body registered for its path (or whatever a handler writes, for the pacing
//! benchmark's rate-limited server), over keep-alive connections. It is started and
//! stopped by the benchmark (dropping [`Server`] stops it and joins its threads), and it binds the
//! loopback address only.
//!
//! Blocking std I/O on its own threads keeps it off the client's async runtime, so the client side
//! is what the measurement sees.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// A safety net only: connections normally end when the benchmark drops its clients. It is long,
/// because a server closing a pooled keep-alive connection races with the client reusing it.
const IDLE_TIMEOUT: Duration = Duration::from_secs(120);

pub struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    acceptor: Option<JoinHandle<()>>,
}

/// Writes the whole response (status line, headers, body) to a request for a path.
pub type Handler = dyn Fn(&str) -> Vec<u8> + Send + Sync;

impl Server {
    /// Serves `routes` (path without query → JSON body); any other path gets a 404.
    #[allow(dead_code)] // each benchmark uses one of the two ways to start
    pub fn start(routes: BTreeMap<String, Vec<u8>>) -> Server {
        Server::start_with(Arc::new(move |path: &str| match routes.get(path) {
            Some(json) => respond("200 OK", &[], json),
            None => respond(
                "404 Not Found",
                &[],
                br#"{"type":"error.list","errors":[{"code":"not_found","message":"no such route"}]}"#,
            ),
        }))
    }

    /// Answers every request with what `handler` writes for its path (without query).
    pub fn start_with(handler: Arc<Handler>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("bound address");
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let acceptor = std::thread::spawn(move || {
            let mut connections = Vec::new();
            for stream in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let handler = Arc::clone(&handler);
                connections.push(std::thread::spawn(move || serve(stream, &*handler)));
            }
            for c in connections {
                let _ = c.join();
            }
        });
        Server { addr, stop, acceptor: Some(acceptor) }
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the blocking `accept`, which then sees the flag.
        let _ = TcpStream::connect(self.addr);
        if let Some(a) = self.acceptor.take() {
            let _ = a.join();
        }
    }
}

/// One keep-alive connection: read a request head (and any body), write the response, repeat.
fn serve(stream: TcpStream, handler: &Handler) {
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let Ok(mut writer) = stream.try_clone() else { return };
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let path = line.split_whitespace().nth(1).unwrap_or("/").split('?').next().unwrap_or("/").to_string();
        let mut body_len = 0usize;
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let header = line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    body_len = value.trim().parse().unwrap_or(0);
                }
            }
        }
        let mut body = vec![0; body_len];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let response = handler(&path);
        if writer.write_all(&response).is_err() {
            return;
        }
    }
}

/// A JSON response with `status` (`"200 OK"`) and `headers` (name, value) besides the content ones.
pub fn respond(status: &str, headers: &[(&str, String)], body: &[u8]) -> Vec<u8> {
    let mut head = format!("HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n", body.len());
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut out = head.into_bytes();
    out.extend_from_slice(body);
    out
}
