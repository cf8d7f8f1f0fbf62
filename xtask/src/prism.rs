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

/// How often a server that lost its port to another process is started again on a new one.
const PORT_ATTEMPTS: usize = 3;

/// `count` distinct free ports. Every listener is held until all are chosen: one dropped at once
/// lets the system hand the same port out again (two versions once shared one, and one version's
/// tests then ran against another version's server).
fn free_ports(count: usize) -> Result<Vec<u16>, String> {
    let listeners = (0..count)
        .map(|_| TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port on 127.0.0.1: {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    listeners.iter().map(|l| l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())).collect()
}

/// One version's server while it starts.
struct Starting {
    version: String,
    spec: PathBuf,
    log: PathBuf,
    port: u16,
    attempts: usize,
}

impl Starting {
    fn spawn(&self, bin: &Path) -> Result<Child, String> {
        let log_file = std::fs::File::create(&self.log).map_err(|e| format!("{}: {e}", self.log.display()))?;
        Command::new(bin)
            .args(["mock", "--host", "127.0.0.1", "--port", &self.port.to_string()])
            .arg(&self.spec)
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().map_err(|e| e.to_string())?)
            .stderr(log_file)
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", bin.display()))
    }

    /// Whether this server's own log says it listens on its port: a connection alone could reach
    /// another process that holds the port.
    fn listening(&self) -> bool {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        log.contains(&format!("Prism is listening on http://127.0.0.1:{}", self.port))
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }
}

pub fn start(root: &Path, inputs: &Workspace, bin: &Path) -> Result<Servers, String> {
    let dir = root.join("target/prism");
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut servers = Servers { children: Vec::new(), urls: String::new(), by_version: Vec::new() };
    let ports = free_ports(inputs.versions.versions.len())?;
    let mut pending = Vec::new();
    for (pinned, port) in inputs.versions.versions.iter().zip(ports) {
        let prepared = spec_files::prepare(inputs, pinned)?;
        let spec = dir.join(format!("{}.json", pinned.module_name()));
        std::fs::write(&spec, intercom_codegen::json::to_vec(&prepared.doc).expect("JSON serializes"))
            .map_err(|e| format!("{}: {e}", spec.display()))?;
        let log = dir.join(format!("{}.log", pinned.module_name()));
        let starting = Starting { version: pinned.name.clone(), spec, log, port, attempts: 1 };
        servers.children.push((pinned.name.clone(), starting.spawn(bin)?));
        pending.push(starting);
    }
    // Prism takes a few seconds to load a description (eleven at once on two cores: about a
    // minute); wait for every server to say it listens, and for its port to accept.
    let deadline = Instant::now() + Duration::from_secs(STARTUP_SECS);
    for mut starting in pending {
        loop {
            let addr = SocketAddr::from(([127, 0, 0, 1], starting.port));
            if starting.listening() && TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                break;
            }
            let child =
                &mut servers.children.iter_mut().find(|(v, _)| *v == starting.version).expect("started above").1;
            if let Ok(Some(status)) = child.try_wait() {
                let tail = starting.log_tail();
                if !tail.contains("EADDRINUSE") || starting.attempts == PORT_ATTEMPTS {
                    return Err(format!("Prism for {} exited ({status}):\n{tail}", starting.version));
                }
                // Another process took the port between choosing it and Prism binding it.
                starting.port = free_ports(1)?[0];
                starting.attempts += 1;
                *child = starting.spawn(bin)?;
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "Prism for {} did not listen on port {} within {STARTUP_SECS} s (log: {})",
                    starting.version,
                    starting.port,
                    starting.log.display()
                ));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        servers.by_version.push((starting.version.clone(), format!("http://127.0.0.1:{}", starting.port)));
    }
    servers.urls = servers.by_version.iter().map(|(v, u)| format!("{v}={u}")).collect::<Vec<_>>().join(";");
    Ok(servers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_chosen_together_are_distinct() {
        let ports = free_ports(64).unwrap();
        let distinct: std::collections::BTreeSet<u16> = ports.iter().copied().collect();
        assert_eq!(distinct.len(), ports.len(), "{ports:?}");
    }

    #[test]
    fn a_server_listens_only_when_its_own_log_says_so_on_its_own_port() {
        let dir = std::env::temp_dir().join(format!("intercom-prism-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let starting = |log: &str| {
            let path = dir.join("server.log");
            std::fs::write(&path, log).unwrap();
            Starting { version: "2.11".into(), spec: dir.join("spec.json"), log: path, port: 38827, attempts: 1 }
        };
        let line = "[8:26:09 AM] › [CLI] ▶  start     Prism is listening on http://127.0.0.1:38827\n";
        assert!(starting(line).listening());
        assert!(!starting(&line.replace("38827", "38828")).listening(), "another server's port");
        let lost = "[8:26:09 AM] › [CLI] ✖  fatal\nlisten EADDRINUSE: address already in use 127.0.0.1:38827\n";
        assert!(!starting(lost).listening());
        assert!(starting(lost).log_tail().contains("EADDRINUSE"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
