//! A private ClickHouse 18.16 for fault tests (`scripts/test-servers.sh start-old` with its own
//! state directory and ports), so that the shared test servers stay up. Stopped on drop.

use std::path::PathBuf;
use std::process::Command;

const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/test-servers.sh");

pub struct PrivateServer {
    dir: PathBuf,
    /// Native TCP, TLS and HTTP ports.
    ports: [u16; 3],
}

impl PrivateServer {
    /// Starts a server named `name` (for its state directory) on `ports` (native, TLS, HTTP).
    pub fn start_old(name: &str, ports: [u16; 3]) -> PrivateServer {
        let server = PrivateServer {
            dir: std::env::temp_dir().join(format!("bytehouse-{name}-{}", std::process::id())),
            ports,
        };
        server.script("start-old");
        server
    }

    /// The native TCP port.
    pub fn port(&self) -> u16 {
        self.ports[0]
    }

    fn command(&self, command: &str) -> Command {
        let [port, tls_port, http_port] = self.ports;
        let mut script = Command::new(SCRIPT);
        script
            .arg(command)
            .env("BYTEHOUSE_TEST_DIR", &self.dir)
            .env("CLICKHOUSE_PORT", port.to_string())
            .env("CLICKHOUSE_TLS_PORT", tls_port.to_string())
            .env("CLICKHOUSE_HTTP_PORT", http_port.to_string());
        script
    }

    fn script(&self, command: &str) -> String {
        let output = self.command(command).output().expect("scripts/test-servers.sh runs");
        assert!(
            output.status.success(),
            "{command}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// The server's pid, which leads its own process group; `None` when it does not run.
    fn pid(&self) -> Option<i32> {
        let output = self.command("env").output().ok()?;
        let env = String::from_utf8_lossy(&output.stdout);
        env.lines()
            .find_map(|line| line.strip_prefix("export CLICKHOUSE_SERVER_PID="))
            .and_then(|pid| pid.parse().ok())
    }

    /// Sends `signal` to the server's process group.
    pub fn signal(&self, signal: i32) {
        let pid = self.pid().expect("the private server runs");
        // SAFETY: kill(2) with a negative pid signals that process group, the server's own.
        let sent = unsafe { libc::kill(-pid, signal) };
        assert_eq!(sent, 0, "signal {signal} to the server's process group {pid}");
    }
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        if let Some(pid) = self.pid() {
            // A frozen server would not stop. SAFETY: as in `signal`.
            unsafe { libc::kill(-pid, libc::SIGCONT) };
        }
        let _ = self.command("stop").output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
