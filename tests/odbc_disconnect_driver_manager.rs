//! Connections closed through unixODBC with their statements' results still open: unixODBC does
//! not free the statements itself and ignores a driver that refuses to free the connection, so
//! unless SQLDisconnect frees them every such connection leaks its statements and their results.

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

#[test]
fn disconnect_frees_open_statements_under_unixodbc() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/tests/disconnect_frees_statements.py");
    let config = common::OdbcConfig::temporary();
    for server in common::servers() {
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
        assert!(output.status.success(), "{}: {text}", server.name);
        // Each cycle left about 14 MiB behind (280 MiB over 20); what remains is the allocator's.
        assert!(growth_kib(&text) < 100 * 1024, "{}: {text}", server.name);
    }
}
