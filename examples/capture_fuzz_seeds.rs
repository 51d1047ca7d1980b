//! Records what real servers send for a few representative queries and writes it as seeds for the
//! `packets` fuzz target (`fuzz/corpus-seed/packets/`), and the type names those results carry as
//! seeds for `type_names`.
//!
//! Each query runs on a connection of its own through a recording TCP relay; a seed is the bytes
//! the server sent after its Hello, behind the target's selector byte (compression, revision,
//! zone). Usage, with the test servers running (`eval "$(scripts/test-servers.sh env)"`):
//! `cargo run --example capture_fuzz_seeds -- fuzz/corpus-seed`.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread;

use bytehouse::native::{Block, ConnectOptions, Connection, QueryOptions, Setting};

/// A seed's name, its SQL and the settings it runs with (name, value).
type Capture = (&'static str, &'static str, &'static [(&'static str, &'static str)]);

/// What is recorded; a query a server rejects still records its exception.
const QUERIES: &[Capture] = &[
    (
        "numbers",
        "SELECT toUInt8(number) AS u8, toInt16(number) AS i16, toUInt32(number) AS u32, toInt64(number) AS i64, \
         toFloat32(number) / 3 AS f32, toFloat64(number) / 7 AS f64 FROM system.numbers LIMIT 7",
        &[],
    ),
    (
        "text_and_time",
        "SELECT toString(number) AS s, toFixedString(toString(number), 3) AS fs, toDate(number * 1000) AS d, \
         toDateTime(number * 100000) AS dt, toDecimal64(number, 4) / 3 AS dec, \
         toUUID('01234567-89ab-cdef-0123-456789abcdef') AS id, CAST(number % 2 + 1 AS Enum8('a' = 1, 'b' = 2)) AS e \
         FROM system.numbers LIMIT 5",
        &[],
    ),
    (
        "composite",
        "SELECT if(number % 2 = 0, NULL, number) AS n, range(number % 4) AS arr, (number, toString(number)) AS tup, \
         [[number], []] AS nested, [NULL, 'x'] AS nullable_items FROM system.numbers LIMIT 5",
        &[],
    ),
    (
        "low_cardinality",
        "SELECT toLowCardinality(toString(number % 3)) AS lc, toLowCardinality(toNullable(toString(number % 2))) AS lcn \
         FROM system.numbers LIMIT 9",
        &[],
    ),
    (
        "modern_types",
        "SELECT map('k', number) AS m, toIPv4('10.0.0.1') AS v4, toIPv6('::1') AS v6, toDateTime64(number, 3) AS dt64, \
         toDate32(number) AS d32, toInt128(number) AS i128, toUInt256(number) AS u256, toBool(number % 2) AS b, \
         toDecimal256(number, 10) AS d256 FROM system.numbers LIMIT 4",
        &[],
    ),
    (
        "many_blocks",
        "SELECT number, toString(number) FROM system.numbers LIMIT 30",
        &[("max_block_size", "7")],
    ),
    (
        "totals_and_extremes",
        "SELECT number % 3 AS k, count() AS c FROM (SELECT number FROM system.numbers LIMIT 10) GROUP BY k WITH TOTALS \
         ORDER BY k",
        &[("extremes", "1")],
    ),
    ("exception", "SELECT no_such_function(1)", &[]),
    (
        "nested_exception",
        "SELECT * FROM remote('127.0.0.1:1', system.one)",
        &[],
    ),
];

/// A TCP relay to the server that records what the server sends, in order.
struct Relay {
    port: u16,
    recorded: Arc<Mutex<Vec<u8>>>,
    thread: thread::JoinHandle<()>,
}

impl Relay {
    fn start(server: String) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let recorded = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&recorded);
        let thread = thread::spawn(move || {
            let (mut client, _) = listener.accept().unwrap();
            let mut upstream = TcpStream::connect(server).unwrap();
            let (mut client_reader, mut upstream_writer) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
            let forward = thread::spawn(move || {
                let _ = std::io::copy(&mut client_reader, &mut upstream_writer);
                let _ = upstream_writer.shutdown(Shutdown::Write);
            });
            let mut buffer = [0u8; 64 * 1024];
            loop {
                match upstream.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(count) => {
                        // Recorded before it is passed on, so the client never sees unrecorded bytes.
                        sink.lock().unwrap().extend_from_slice(&buffer[..count]);
                        if client.write_all(&buffer[..count]).is_err() {
                            break;
                        }
                    }
                }
            }
            let _ = client.shutdown(Shutdown::Both);
            forward.join().unwrap();
        });
        Relay { port, recorded, thread }
    }
}

/// The bytes the server sent for `sql` after its Hello, and the type names of the result.
fn record(server: &str, compression: bool, sql: &str, settings: &[(&str, &str)]) -> (Vec<u8>, Vec<String>, u64) {
    let relay = Relay::start(server.to_string());
    let options = ConnectOptions {
        port: relay.port,
        compression,
        ..ConnectOptions::default()
    };
    let mut connection = Connection::connect(&options).unwrap();
    let revision = connection.revision();
    let hello_length = relay.recorded.lock().unwrap().len();
    let options = QueryOptions {
        settings: settings
            .iter()
            .map(|(name, value)| Setting::new(*name, *value))
            .collect(),
        ..QueryOptions::default()
    };
    let mut type_names = Vec::new();
    if let Ok(Some(mut block)) = connection.query(sql, &options) {
        type_names.extend(block.columns.iter().map(|column| column.type_name.clone()));
        let mut rows = Block::default();
        while let Ok(true) = connection.next_block(&mut rows) {}
        block.clear();
    }
    drop(connection);
    relay.thread.join().unwrap();
    let recorded = relay.recorded.lock().unwrap().split_off(hello_length);
    (recorded, type_names, revision)
}

fn write(directory: &Path, name: &str, bytes: &[u8]) {
    std::fs::create_dir_all(directory).unwrap();
    std::fs::write(directory.join(name), bytes).unwrap();
}

fn main() {
    let root = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "fuzz/corpus-seed".into()));
    let host = std::env::var("CLICKHOUSE_HOST").unwrap_or_else(|_| "127.0.0.1".into());
    let servers = [
        (
            "18.16",
            std::env::var("CLICKHOUSE_PORT").unwrap_or_else(|_| "19000".into()),
        ),
        (
            "26.9",
            std::env::var("CLICKHOUSE_MODERN_PORT").unwrap_or_else(|_| "19100".into()),
        ),
    ];
    let mut type_names = std::collections::BTreeSet::new();
    for (server_name, port) in &servers {
        let address = format!("{host}:{port}");
        for compression in [false, true] {
            for (query_name, sql, settings) in QUERIES {
                let (bytes, types, revision) = record(&address, compression, sql, settings);
                let selector = u8::from(compression) | if revision >= 54460 { 2 } else { 0 };
                let mut seed = vec![selector];
                seed.extend_from_slice(&bytes);
                let mode = if compression { "lz4" } else { "plain" };
                let name = format!("{server_name}-{mode}-{query_name}");
                println!("{name}: {} bytes", seed.len());
                write(&root.join("packets"), &name, &seed);
                type_names.extend(types);
            }
        }
    }
    for (index, type_name) in type_names.iter().enumerate() {
        write(
            &root.join("type_names"),
            &format!("server-{index:02}"),
            type_name.as_bytes(),
        );
    }
}
