//! The test environment, without the driver crate: the servers, where the built driver is, and ini
//! files that register it with unixODBC. Tests that reach the driver only through the driver
//! manager include just this file as their `common`, so the driver's `SQL*` symbols cannot be
//! linked into them and shadow libodbc's.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One server under test: a name for messages and how to reach it.
#[derive(Debug, Clone)]
pub struct Server {
    pub name: &'static str,
    pub port: u16,
    /// The revision the server announces in its Hello.
    pub revision: u64,
}

impl Server {
    pub fn is_modern(&self) -> bool {
        self.revision >= 54460
    }

    /// The name of this server's data source in `OdbcConfig`'s odbc.ini.
    pub fn dsn(&self) -> String {
        format!("bytehouse_{}", self.port)
    }
}

/// The directory cargo builds into (`target/debug`), where libbytehouse.so is.
pub fn target_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary has a path");
    exe.parent()
        .and_then(|deps| deps.parent())
        .expect("tests run from target/<profile>/deps")
        .to_path_buf()
}

/// The driver library the tests load.
pub fn library() -> PathBuf {
    target_dir().join("libbytehouse.so")
}

pub fn host() -> String {
    std::env::var("CLICKHOUSE_HOST").unwrap_or_else(|_| "127.0.0.1".into())
}

pub fn port(variable: &str, default: u16) -> u16 {
    std::env::var(variable)
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// ClickHouse 18.16 (Debian's clickhouse-server).
pub fn old_server() -> Server {
    Server {
        name: "ClickHouse 18.16",
        port: port("CLICKHOUSE_PORT", 19000),
        revision: 54412,
    }
}

/// ClickHouse 26.9 (chdb-core's clickhouse-local listener).
pub fn modern_server() -> Server {
    Server {
        name: "ClickHouse 26.9",
        port: port("CLICKHOUSE_MODERN_PORT", 19100),
        revision: 54492,
    }
}

pub fn servers() -> [Server; 2] {
    [old_server(), modern_server()]
}

/// A table name no other test (or run) uses at the same time.
pub fn unique_table(stem: &str) -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{stem}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// The name under which `OdbcConfig` registers the driver.
pub const DRIVER_NAME: &str = "ByteHouse";

/// odbcinst.ini registering the test build of the driver as `DRIVER_NAME`, and odbc.ini with a
/// data source for each server (`Server::dsn`), in a directory removed on drop. unixODBC finds
/// them through ODBCSYSINI and ODBCINI (`variables`); nothing is written to /etc.
pub struct OdbcConfig {
    dir: PathBuf,
}

impl OdbcConfig {
    /// The files in a fresh temporary directory.
    pub fn temporary() -> OdbcConfig {
        OdbcConfig::in_dir(std::env::temp_dir().join(unique_table("bytehouse_odbc")))
    }

    /// The files in `dir`, created if missing; files already there are replaced.
    pub fn in_dir(dir: PathBuf) -> OdbcConfig {
        let library = library();
        assert!(library.exists(), "{} is built (cargo build)", library.display());
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("odbcinst.ini"),
            format!(
                "[{DRIVER_NAME}]\nDescription = libbytehouse test build\nDriver = {}\n",
                library.display()
            ),
        )
        .unwrap();
        let data_sources: String = servers()
            .iter()
            .map(|server| {
                format!(
                    "[{}]\nDriver = {DRIVER_NAME}\nHost = {}\nPort = {}\n",
                    server.dsn(),
                    host(),
                    server.port
                )
            })
            .collect();
        std::fs::write(dir.join("odbc.ini"), data_sources).unwrap();
        OdbcConfig { dir }
    }

    /// The environment variables that point unixODBC at these files.
    pub fn variables(&self) -> [(&'static str, PathBuf); 2] {
        [("ODBCSYSINI", self.dir.clone()), ("ODBCINI", self.dir.join("odbc.ini"))]
    }

    /// A command whose driver manager reads these files.
    pub fn command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut command = Command::new(program);
        command.envs(self.variables());
        command
    }

    /// A command whose iODBC driver manager reads these files (iODBC names both files directly;
    /// unixODBC would read ODBCINSTINI as a file name inside ODBCSYSINI).
    pub fn iodbc_command(&self, program: impl AsRef<OsStr>) -> Command {
        let mut command = Command::new(program);
        command
            .env("ODBCINI", self.dir.join("odbc.ini"))
            .env("ODBCINSTINI", self.dir.join("odbcinst.ini"));
        command
    }
}

impl Drop for OdbcConfig {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
