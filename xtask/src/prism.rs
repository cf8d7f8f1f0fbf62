//! Stoplight Prism mock servers for the operation tests: one per version, serving the fixed-up
//! description on 127.0.0.1, stopped (by their process handles) when the guard drops.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use intercom_codegen::Workspace;

use crate::spec_files;

/// Pinned in `.ci/run`, which installs it into `.tools/`.
pub fn binary(root: &Path) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("PRISM_BIN") {
        return Some(PathBuf::from(p));
    }
    let local = root.join(".tools/node_modules/.bin/prism");
    local.exists().then_some(local)
}

pub struct Servers {
    children: Vec<(String, Child)>,
    /// `2.7=http://127.0.0.1:…;2.8=…`, as the test reads it from `INTERCOM_PRISM_URLS`.
    pub urls: String,
    by_version: Vec<(String, String)>,
}

impl Servers {
    pub fn url(&self, version: &str) -> Option<&str> {
        self.by_version.iter().find(|(v, _)| v == version).map(|(_, u)| u.as_str())
    }
}

impl Drop for Servers {
    fn drop(&mut self) {
        for (_, child) in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// How long the servers may take to listen, all together.
const STARTUP_SECS: u64 = 300;

fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port on 127.0.0.1: {e}"))?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

pub fn start(root: &Path, inputs: &Workspace, bin: &Path) -> Result<Servers, String> {
    let dir = root.join("target/prism");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut servers = Servers { children: Vec::new(), urls: String::new(), by_version: Vec::new() };
    let mut pending = Vec::new();
    for pinned in &inputs.versions.versions {
        let prepared = spec_files::prepare(inputs, pinned)?;
        let spec = dir.join(format!("{}.json", pinned.module_name()));
        std::fs::write(&spec, intercom_codegen::json::to_vec(&prepared.doc).expect("JSON serializes"))
            .map_err(|e| format!("{}: {e}", spec.display()))?;
        let port = free_port()?;
        let log = dir.join(format!("{}.log", pinned.module_name()));
        let log_file = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let child = Command::new(bin)
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            .arg(&spec)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
            .stderr(log_file)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))?;
        let url = format!("http://127.0.0.1:{port}");
        servers.children.push((pinned.name.clone(), child));
        servers.by_version.push((pinned.name.clone(), url.clone()));
        pending.push((pinned.name.clone(), port, log));
    }
    servers.urls = servers.by_version.iter().map(|(v, u)| format!("{v}={u}")).collect::<Vec<_>>().join(";");
    // Prism takes a few seconds to load a description (eleven at once on two cores: about a
    // minute); wait for every port to accept.
    let deadline = Instant::now() + Duration::from_secs(STARTUP_SECS);
    for (version, port, log) in pending {
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                break;
            }
            let (_, child) = servers.children.iter_mut().find(|(v, _)| *v == version).expect("started above");
            if let Ok(Some(status)) = child.try_wait() {
                let tail = std::fs::read_to_string(&log).unwrap_or_default();
                return Err(format!(
                    "Prism for {version} exited ({status}):\n{}",
                    tail.lines().rev().take(20).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("\n")
                ));
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "Prism for {version} did not listen on port {port} within {STARTUP_SECS} s (log: {})",
                    log.display()
                ));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
    Ok(servers)
}
