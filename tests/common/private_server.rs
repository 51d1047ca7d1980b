//! A private ClickHouse 18.16 that a test may kill, freeze or restart: `scripts/test-servers.sh
//! start-old` with its own state directory and ports, so that the shared test servers stay up.
//! Stopped and removed on drop.

use std::path::PathBuf;
use std::process::Command;

/// The ports of one private server; each test file picks its own from its range.
#[derive(Debug, Clone, Copy)]
pub struct Ports {
    pub tcp: u16,
    pub tls: u16,
    pub http: u16,
}

pub struct PrivateServer {
    dir: PathBuf,
    pub ports: Ports,
}

impl PrivateServer {
    /// Starts a server with a fresh data directory under `name` and waits until it answers.
    pub fn start(name: &str, ports: Ports) -> PrivateServer {
        let server = PrivateServer {
            dir: std::env::temp_dir().join(format!("bytehouse-{name}-{}", std::process::id())),
            ports,
        };
        server.script("start-old", &[]);
        server
    }

    /// Starts the server again on the data it had (after a kill, say) and waits until it answers.
    pub fn restart_keeping_data(&self) {
        self.script("start-old", &[("BYTEHOUSE_KEEP_DATA", "1")]);
    }

    fn script(&self, command: &str, variables: &[(&str, &str)]) -> String {
        let output = Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/test-servers.sh"))
            .arg(command)
            .env("BYTEHOUSE_TEST_DIR", &self.dir)
            .env("CLICKHOUSE_PORT", self.ports.tcp.to_string())
            .env("CLICKHOUSE_TLS_PORT", self.ports.tls.to_string())
            .env("CLICKHOUSE_HTTP_PORT", self.ports.http.to_string())
            .envs(variables.iter().copied())
            .output()
            .expect("scripts/test-servers.sh runs");
        assert!(
            output.status.success(),
            "{command}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    /// The pid of the server, the leader of its process group, while it runs.
    fn running_pid(&self) -> Option<i32> {
        let env = self.script("env", &[]);
        let line = env
            .lines()
            .find_map(|line| line.strip_prefix("export CLICKHOUSE_SERVER_PID="));
        line.and_then(|pid| pid.parse().ok())
    }

    pub fn pid(&self) -> i32 {
        self.running_pid().expect("the private server runs")
    }

    /// Sends `signal` to the server's process group (SIGKILL, SIGSTOP, SIGCONT).
    pub fn signal(&self, signal: i32) {
        let pid = self.pid();
        // SAFETY: kill(2) with a negative pid signals that process group, the server's own.
        let sent = unsafe { libc::kill(-pid, signal) };
        assert_eq!(sent, 0, "signal {signal} to the server's process group {pid}");
    }
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        // A frozen server would not stop.
        if let Some(pid) = self.running_pid() {
            // SAFETY: as in `signal`.
            unsafe { libc::kill(-pid, libc::SIGCONT) };
        }
        let _ = Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/test-servers.sh"))
            .arg("stop")
            .env("BYTEHOUSE_TEST_DIR", &self.dir)
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
