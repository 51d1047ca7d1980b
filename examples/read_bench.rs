//! Reads a query's whole result through the native client and touches every value, for
//! `bench/native_read.sh`. Prints rows, seconds and rows per second.
//!
//! Usage: `read_bench [--compress] SQL`; the server comes from CLICKHOUSE_HOST and CLICKHOUSE_PORT.

use std::time::Instant;

use bytehouse::native::{ConnectOptions, Connection, QueryOptions, Value};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let compression = args.first().is_some_and(|arg| arg == "--compress");
    if compression {
        args.remove(0);
    }
    let sql = args.join(" ");
    let options = ConnectOptions {
        host: std::env::var("CLICKHOUSE_HOST").unwrap_or_else(|_| "127.0.0.1".into()),
        port: std::env::var("CLICKHOUSE_PORT")
            .ok()
            .and_then(|port| port.parse().ok())
            .unwrap_or(19000),
        compression,
        ..ConnectOptions::default()
    };
    let started = Instant::now();
    let mut connection = Connection::connect(&options)?;
    let mut rows = 0usize;
    let mut checksum = 0u64;
    if let Some(mut block) = connection.query(&sql, &QueryOptions::default())? {
        while connection.next_block(&mut block)? {
            for column in &block.columns {
                for row in 0..block.rows() {
                    // Reading each value keeps the benchmark honest: decoding is not skipped.
                    checksum = checksum.wrapping_add(match column.value(row) {
                        Value::UInt(number) => number,
                        Value::Int(number) => number as u64,
                        Value::Float64(number) => number as u64,
                        Value::Bytes(bytes) => bytes.len() as u64,
                        Value::DateTime { seconds, .. } => seconds as u64,
                        _ => 1,
                    });
                }
            }
            rows += block.rows();
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "rows={rows} seconds={seconds:.3} rows_per_second={:.0} checksum={checksum}",
        rows as f64 / seconds
    );
    Ok(())
}
