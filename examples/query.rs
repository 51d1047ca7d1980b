//! Runs one SQL statement through the native client and prints the result as tab-separated text.
//!
//! Usage: `cargo run --example query -- "SELECT version()"`; the server comes from CLICKHOUSE_HOST
//! and CLICKHOUSE_PORT (default 127.0.0.1:19000, the 18.16 test server).

use std::io::Write;
use std::process::ExitCode;

use bytehouse::native::{ConnectOptions, Connection, QueryOptions};

fn main() -> ExitCode {
    let sql = std::env::args().skip(1).collect::<Vec<_>>().join(" ");
    let sql = if sql.is_empty() {
        "SELECT version()".to_string()
    } else {
        sql
    };
    let options = ConnectOptions {
        host: std::env::var("CLICKHOUSE_HOST").unwrap_or_else(|_| "127.0.0.1".into()),
        port: std::env::var("CLICKHOUSE_PORT")
            .ok()
            .and_then(|port| port.parse().ok())
            .unwrap_or(19000),
        ..ConnectOptions::default()
    };
    match run(&options, &sql) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: &ConnectOptions, sql: &str) -> Result<(), Box<dyn std::error::Error>> {
    let mut connection = Connection::connect(options)?;
    let info = connection.server_info();
    eprintln!(
        "connected to {} {} (revision {})",
        info.name,
        info.version(),
        connection.revision()
    );
    let Some(mut block) = connection.query(sql, &QueryOptions::default())? else {
        eprintln!("ok");
        return Ok(());
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let names: Vec<&str> = block.columns.iter().map(|column| column.name.as_str()).collect();
    writeln!(out, "{}", names.join("\t"))?;
    while connection.next_block(&mut block)? {
        for row in 0..block.rows() {
            let cells: Vec<String> = block
                .columns
                .iter()
                .map(|column| column.value(row).to_string())
                .collect();
            writeln!(out, "{}", cells.join("\t"))?;
        }
    }
    Ok(())
}
