//! Reads a query's whole result through the native client, for `bench/native_read.sh`. Prints rows,
//! seconds and rows per second.
//!
//! Usage: `read_bench [--compress] [--touch] SQL`; the server comes from CLICKHOUSE_HOST and
//! CLICKHOUSE_PORT. Without `--touch` blocks are decoded and dropped, as `clickhouse-client --format
//! Null` does; with it every value is also read as a `Value`, as a driver does on fetch.

use std::time::Instant;

use bytehouse::native::{ConnectOptions, Connection, QueryOptions, Value};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut take_flag = |flag: &str| {
        let present = args.iter().any(|arg| arg == flag);
        args.retain(|arg| arg != flag);
        present
    };
    let compression = take_flag("--compress");
    let touch = take_flag("--touch");
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
            rows += block.rows();
            if !touch {
                continue;
            }
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
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "rows={rows} seconds={seconds:.3} rows_per_second={:.0} checksum={checksum}",
        rows as f64 / seconds
    );
    Ok(())
}
