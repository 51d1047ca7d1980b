//! What a driver manager and the applications on it rely on from the exported functions, through
//! unixODBC: connections closed with their statements' results open, and output lengths longer
//! than their type.

// Only the driver-free part of tests/common: the driver must be reached through libodbc.
#[path = "common/environment.rs"]
mod common;

use std::path::Path;

/// Resident memory growth over 20 cycles of two open results each, in KiB, as the script reports.
fn growth_kib(output: &str) -> u64 {
    output
        .split_whitespace()
        .skip_while(|word| *word != "grew")
        .nth(1)
        .and_then(|number| number.parse().ok())
        .unwrap_or_else(|| panic!("no growth reported: {output}"))
}

/// Runs a script from `python/tests` against `server` through unixODBC; Err with its output if
/// it fails.
fn run_script(config: &common::OdbcConfig, script: &str, server: &common::Server) -> Result<String, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/tests").join(script);
    let output = config
        .command(std::env::var("PYTHON").unwrap_or_else(|_| "python3".into()))
        .arg(&script)
        .env("BYTEHOUSE_TEST_DSN", server.dsn())
        .env("CYCLES", "20")
        .output()
        .expect("python3 runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    if output.status.success() { Ok(text) } else { Err(text) }
}

/// unixODBC does not free a connection's statements itself and ignores a driver that refuses to
/// free the connection: unless SQLDisconnect frees them, every such connection leaks its
/// statements and their results.
#[test]
fn disconnect_frees_open_statements_under_unixodbc() {
    let config = common::OdbcConfig::temporary();
    for server in common::servers() {
        let text = run_script(&config, "disconnect_frees_statements.py", &server)
            .unwrap_or_else(|text| panic!("{}: {text}", server.name));
        // Each cycle left about 14 MiB behind (280 MiB over 20); what remains is the allocator's.
        assert!(growth_kib(&text) < 100 * 1024, "{}: {text}", server.name);
    }
}

/// pyodbc read an unwritten name length and raised SystemError; with a length of 32,767 it would
/// size its buffer past the SQLSMALLINT and fail to allocate.
#[test]
fn pyodbc_describes_a_column_name_longer_than_its_length_type() {
    let config = common::OdbcConfig::temporary();
    for server in common::servers() {
        let text = run_script(&config, "long_column_name_pyodbc.py", &server)
            .unwrap_or_else(|text| panic!("{}: {text}", server.name));
        assert!(text.contains("long column name: ok"), "{}: {text}", server.name);
    }
}
