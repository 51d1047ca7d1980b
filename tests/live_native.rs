//! The native client against real servers: ClickHouse 18.16 and 26.9, both started by
//! `scripts/test-servers.sh`. Every test that can runs against both.

mod common;

use std::time::{Duration, Instant};

use bytehouse::native::{Block, ConnectOptions, Connection, Error, QueryOptions, Setting, TlsOptions, Value};
use common::{modern_server, old_server, rows_as_text, servers, unique_table};

#[test]
fn handshake_negotiates_the_lower_revision() {
    for server in servers() {
        let connection = server.connect();
        let info = connection.server_info();
        assert_eq!(info.name, "ClickHouse", "{}", server.name);
        assert_eq!(info.revision, server.revision, "{}", server.name);
        assert_eq!(connection.revision(), server.revision.min(54460), "{}", server.name);
        assert!(
            info.timezone.as_deref().is_some_and(|zone| zone.ends_with("UTC")),
            "{info:?}"
        );
        let version: Vec<String> = rows_as_text(&mut server.connect(), "SELECT version()").remove(0);
        assert!(
            version[0].starts_with(&info.version_major.to_string()),
            "{}: {version:?}",
            server.name
        );
    }
}

#[test]
fn an_older_advertised_revision_still_works() {
    for server in servers() {
        for revision in [54406, 54412, 54429, 54453] {
            let options = ConnectOptions {
                revision,
                ..server.options()
            };
            let mut connection = Connection::connect(&options).unwrap();
            assert_eq!(connection.revision(), revision.min(server.revision));
            let rows = rows_as_text(&mut connection, "SELECT toString(number) FROM system.numbers LIMIT 3");
            assert_eq!(rows, [["0"], ["1"], ["2"]], "{} at {revision}", server.name);
            let settings = QueryOptions {
                settings: vec![Setting::new("max_block_size", "2")],
                ..Default::default()
            };
            let header = connection
                .query("SELECT number FROM system.numbers LIMIT 5", &settings)
                .unwrap();
            let mut block = header.unwrap();
            let mut sizes = Vec::new();
            while connection.next_block(&mut block).unwrap() {
                sizes.push(block.rows());
            }
            assert_eq!(
                sizes,
                [2, 2, 1],
                "{} at {revision}: max_block_size sent as a setting",
                server.name
            );
        }
    }
}

#[test]
fn ping_and_state_between_queries() {
    for server in servers() {
        let mut connection = server.connect();
        connection.ping().unwrap();
        connection.execute("SELECT 1").unwrap();
        connection.ping().unwrap();
        assert!(!connection.is_busy());
    }
}

#[test]
fn header_arrives_for_empty_results() {
    for server in servers() {
        let mut connection = server.connect();
        let header = connection
            .query("SELECT 1 AS a, 'x' AS b WHERE 0", &QueryOptions::default())
            .unwrap()
            .unwrap();
        let names: Vec<(&str, &str)> = header
            .columns
            .iter()
            .map(|column| (column.name.as_str(), column.type_name.as_str()))
            .collect();
        assert_eq!(names, [("a", "UInt8"), ("b", "String")], "{}", server.name);
        let mut block = header;
        assert!(!connection.next_block(&mut block).unwrap());
        assert!(
            connection
                .query("CREATE TEMPORARY TABLE IF NOT EXISTS t1 (x UInt8)", &Default::default())
                .unwrap()
                .is_none()
        );
    }
}

/// Columns of every type 18.16 has, with values chosen to hit edges; checked against the server's own
/// `toString` of each value and then inserted back and compared.
const OLD_TYPES: &[(&str, &str)] = &[
    ("u8", "UInt8"),
    ("u16", "UInt16"),
    ("u32", "UInt32"),
    ("u64", "UInt64"),
    ("i8", "Int8"),
    ("i16", "Int16"),
    ("i32", "Int32"),
    ("i64", "Int64"),
    ("f32", "Float32"),
    ("f64", "Float64"),
    ("d9", "Decimal(9, 2)"),
    ("d18", "Decimal(18, 3)"),
    ("d38", "Decimal(38, 1)"),
    ("s", "String"),
    ("fs", "FixedString(3)"),
    ("d", "Date"),
    ("dt", "DateTime"),
    ("uuid", "UUID"),
    ("e8", "Enum8('a' = 1, 'b\\'q' = -2)"),
    ("e16", "Enum16('x' = 1000, 'y' = -1000)"),
    ("ns", "Nullable(String)"),
    ("ni", "Nullable(Int32)"),
    ("a", "Array(UInt8)"),
    ("aa", "Array(Array(String))"),
    ("an", "Array(Nullable(Int64))"),
    ("t", "Tuple(UInt8, String)"),
    ("lc", "LowCardinality(String)"),
    ("lcn", "LowCardinality(Nullable(String))"),
    ("alc", "Array(LowCardinality(String))"),
];

const OLD_ROWS: &[&str] = &[
    "(0, 0, 0, 0, -128, -32768, -2147483648, -9223372036854775808, -1.5, -2.25, -1234567.89, -123.456, \
     -1234567890123456.7, 'hello', 'ab', '1970-01-01', '1970-01-01 00:00:00', \
     '01234567-89ab-cdef-0123-456789abcdef', 'a', 'x', NULL, NULL, [], [], [], (0, ''), '', NULL, [])",
    "(255, 65535, 4294967295, 18446744073709551615, 127, 32767, 2147483647, 9223372036854775807, 0.5, 1e300, \
     9999999.99, 999999999999999.999, 1.5, 'Grüße \\'quoted\\' \\\\ tab\\t', 'xyz', '2105-12-31', \
     '2105-12-31 23:59:59', '00000000-0000-0000-0000-000000000000', 'b\\'q', 'y', '', -7, [1, 2, 255], \
     [['a'], [], ['b', 'c']], [NULL, 5, NULL], (255, 'tuple'), 'card', 'nullable card', ['p', 'q', 'p'])",
];

/// Normalises the server's decimal text the way `comparable_text` does ours.
fn comparable_decimal(text: &str) -> String {
    let value = Value::Text(text.to_string());
    common::comparable_text(&value, "Decimal")
}

fn column_list(types: &[(&str, &str)]) -> String {
    types
        .iter()
        .map(|(name, type_name)| format!("{name} {type_name}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Creates a table, inserts rows as literal VALUES, and checks every value's text against the
/// server's `toString`, then copies the rows through a client-built INSERT block and compares again.
fn round_trip(connection: &mut Connection, server: &str, engine_settings: &str, types: &[(&str, &str)], rows: &[&str]) {
    let table = unique_table("types");
    connection
        .execute(&format!(
            "CREATE TABLE {table} (id UInt32, {}) ENGINE = Memory {engine_settings}",
            column_list(types)
        ))
        .unwrap_or_else(|error| panic!("{server}: {error}"));
    let values: Vec<String> = rows
        .iter()
        .enumerate()
        .map(|(index, row)| format!("({index}, {}", &row[1..]))
        .collect();
    connection
        .execute(&format!("INSERT INTO {table} VALUES {}", values.join(", ")))
        .unwrap_or_else(|error| panic!("{server}: insert: {error}"));

    let select = |connection: &mut Connection, table: &str| {
        let expressions: Vec<String> = types
            .iter()
            .map(|(name, _)| format!("{name}, toString({name})"))
            .collect();
        let sql = format!("SELECT {} FROM {table} ORDER BY id", expressions.join(", "));
        let mut block = connection.query(&sql, &QueryOptions::default()).unwrap().unwrap();
        let mut all = Vec::new();
        while connection.next_block(&mut block).unwrap() {
            all.push(block.clone());
        }
        all
    };
    let blocks = select(connection, &table);
    let mut seen = 0;
    for block in &blocks {
        for row in 0..block.rows() {
            for (index, (name, type_name)) in types.iter().enumerate() {
                let ours = block.columns[2 * index].value(row);
                let theirs = block.columns[2 * index + 1].value(row).to_string();
                // toString of a NULL is NULL; inside containers both sides quote strings alike.
                let ours = if ours.is_null() {
                    "NULL".to_string()
                } else {
                    common::comparable_text(&ours, type_name)
                };
                let theirs = if theirs.is_empty() && ours == "NULL" {
                    "NULL".to_string()
                } else {
                    theirs
                };
                // 18.16 shows the zero date and time as zeros, and 26.9 decimals in containers unpadded.
                let theirs = theirs.replace("0000-00-00", "1970-01-01");
                let theirs = if type_name.contains("Decimal") {
                    comparable_decimal(&theirs)
                } else {
                    theirs
                };
                assert_eq!(ours, theirs, "{server}: column {name} {type_name}, row {row}");
            }
            seen += 1;
        }
    }
    assert_eq!(seen, rows.len(), "{server}");

    // Send the same values back through an INSERT built from the decoded columns.
    let copy = unique_table("types_copy");
    connection
        .execute(&format!(
            "CREATE TABLE {copy} (id UInt32, {}) ENGINE = Memory {engine_settings}",
            column_list(types)
        ))
        .unwrap();
    let names: Vec<&str> = types.iter().map(|(name, _)| *name).collect();
    let header = connection
        .insert(&format!("INSERT INTO {copy} (id, {}) VALUES", names.join(", ")))
        .unwrap();
    let mut block = Block::with_columns_of(&header);
    let mut id = 0u64;
    for source in &blocks {
        for row in 0..source.rows() {
            let mut values = vec![Value::UInt(id)];
            values.extend((0..types.len()).map(|index| source.columns[2 * index].value(row)));
            block
                .push_row(&values)
                .unwrap_or_else(|error| panic!("{server}: {error}"));
            id += 1;
        }
    }
    connection.send_block(&block).unwrap();
    connection
        .finish_insert()
        .unwrap_or_else(|error| panic!("{server}: {error}"));
    let copied = select(connection, &copy);
    let text = |blocks: &[Block]| -> Vec<String> {
        blocks
            .iter()
            .flat_map(|block| {
                (0..block.rows()).map(move |row| {
                    block
                        .columns
                        .iter()
                        .map(|c| c.value(row).to_string())
                        .collect::<Vec<_>>()
                        .join("|")
                })
            })
            .collect()
    };
    assert_eq!(text(&copied), text(&blocks), "{server}: client-encoded INSERT differs");
    connection.execute(&format!("DROP TABLE {table}")).unwrap();
    connection.execute(&format!("DROP TABLE {copy}")).unwrap();
}

#[test]
fn every_old_type_round_trips() {
    for server in servers() {
        for compressed in [false, true] {
            let mut connection = if compressed {
                server.connect_compressed()
            } else {
                server.connect()
            };
            if !server.is_modern() {
                connection
                    .execute("SET allow_experimental_low_cardinality_type = 1")
                    .unwrap();
            }
            round_trip(&mut connection, server.name, "", OLD_TYPES, OLD_ROWS);
        }
    }
}

const MODERN_TYPES: &[(&str, &str)] = &[
    ("b", "Bool"),
    ("i128", "Int128"),
    ("u128", "UInt128"),
    ("i256", "Int256"),
    ("u256", "UInt256"),
    ("d38", "Decimal(38, 1)"),
    ("d76", "Decimal(76, 10)"),
    ("d32", "Date32"),
    ("dt64", "DateTime64(3, 'UTC')"),
    ("dt64n", "DateTime64(9)"),
    ("ip4", "IPv4"),
    ("ip6", "IPv6"),
    ("m", "Map(String, UInt64)"),
    ("mn", "Map(LowCardinality(String), Array(Nullable(Int8)))"),
    ("nt", "Tuple(a UInt8, b Nullable(String))"),
    ("lcn", "LowCardinality(Nullable(String))"),
    ("sa", "SimpleAggregateFunction(max, UInt64)"),
];

const MODERN_ROWS: &[&str] = &[
    "(false, -170141183460469231731687303715884105728, 0, \
     -57896044618658097711785492504343953926634992332820282019728792003956564819968, 0, \
     -12345678901234567890123456789012345.6, -123456789012345678901234567890.0123456789, '1900-01-01', '1969-12-31 23:59:59.999', \
     '2262-04-11 23:47:16.854775807', '0.0.0.0', '::', {}, {}, (0, NULL), NULL, 0)",
    "(true, 170141183460469231731687303715884105727, 340282366920938463463374607431768211455, 42, \
     115792089237316195423570985008687907853269984665640564039457584007913129639935, 0.5, 1.5, '2299-12-31', \
     '2020-01-02 03:04:05.678', '1970-01-01 00:00:00.000000001', '1.2.3.4', '2001:db8::ff00:42:8329', \
     {'k1': 1, 'k2': 18446744073709551615}, {'x': [NULL, -1]}, (7, 'seven'), 'lc', 99)",
];

#[test]
fn modern_types_round_trip() {
    let server = modern_server();
    for compressed in [false, true] {
        let mut connection = if compressed {
            server.connect_compressed()
        } else {
            server.connect()
        };
        round_trip(&mut connection, server.name, "", MODERN_TYPES, MODERN_ROWS);
    }
}

#[test]
fn large_results_stream_in_bounded_blocks() {
    for server in servers() {
        for compressed in [false, true] {
            let mut connection = if compressed {
                server.connect_compressed()
            } else {
                server.connect()
            };
            let sql = "SELECT number, toString(number) AS s, toNullable(toInt32(number)) AS n \
                       FROM system.numbers LIMIT 10000000";
            let mut block = connection.query(sql, &QueryOptions::default()).unwrap().unwrap();
            let (mut rows, mut sum, mut largest) = (0u64, 0u64, 0);
            while connection.next_block(&mut block).unwrap() {
                largest = largest.max(block.rows());
                let Value::UInt(last) = block.columns[0].value(block.rows() - 1) else {
                    panic!()
                };
                assert_eq!(block.columns[1].value(block.rows() - 1).to_string(), last.to_string());
                for row in 0..block.rows() {
                    if let Value::UInt(number) = block.columns[0].value(row) {
                        sum += number;
                    }
                }
                rows += block.rows() as u64;
            }
            assert_eq!(rows, 10_000_000, "{}", server.name);
            assert_eq!(sum, 10_000_000 * 9_999_999 / 2);
            assert!(largest <= 1 << 20, "{}: a block of {largest} rows", server.name);
            assert!(
                connection.progress().read_rows >= 10_000_000,
                "{:?}",
                connection.progress()
            );
            assert_eq!(connection.profile_info().map(|info| info.rows), Some(10_000_000));
        }
    }
}

fn server_error(result: Result<impl std::fmt::Debug, Error>) -> bytehouse::native::ServerException {
    match result {
        Err(Error::Server(exception)) => exception,
        other => panic!("expected a server exception, got {other:?}"),
    }
}

#[test]
fn server_errors_keep_code_and_message_and_the_connection() {
    for server in servers() {
        let mut connection = server.connect();
        let syntax = server_error(connection.query("SELEC 1", &QueryOptions::default()));
        assert_eq!(syntax.code, 62, "{}: {syntax}", server.name);
        assert!(syntax.message.contains("Syntax error"), "{}", syntax.message);
        let unknown = server_error(connection.query("SELECT * FROM no_such_table_here", &QueryOptions::default()));
        assert_eq!(unknown.code, 60, "{}: {unknown}", server.name);
        assert!(unknown.message.contains("no_such_table_here"));
        // The connection is still in step: the next query works.
        assert_eq!(rows_as_text(&mut connection, "SELECT 42"), [["42"]]);
        // An error after rows have streamed.
        let mut block = connection
            .query(
                "SELECT throwIf(number = 200000) FROM system.numbers LIMIT 300000",
                &QueryOptions::default(),
            )
            .unwrap()
            .unwrap();
        let failure = loop {
            match connection.next_block(&mut block) {
                Ok(true) => {}
                Ok(false) => panic!("{}: the stream ended without the error", server.name),
                Err(error) => break error,
            }
        };
        assert!(
            matches!(failure, Error::Server(ref exception) if exception.code == 395),
            "{failure:?}"
        );
        assert_eq!(
            rows_as_text(&mut connection, "SELECT 'still usable'"),
            [["still usable"]]
        );
    }
}

#[test]
fn refused_logins_carry_the_server_message_but_not_the_password() {
    for server in servers() {
        let options = ConnectOptions {
            password: "not-the-password-6d1f".into(),
            ..server.options()
        };
        let error = match Connection::connect(&options) {
            Err(error) => error,
            Ok(_) => panic!("{}: a wrong password was accepted", server.name),
        };
        let Error::Server(exception) = &error else {
            panic!("{}: {error:?}", server.name)
        };
        assert!(
            [192, 193, 516].contains(&exception.code),
            "{}: {exception}",
            server.name
        );
        for text in [error.to_string(), format!("{error:?}"), format!("{options:?}")] {
            assert!(!text.contains("not-the-password"), "{text}");
        }
    }
}

#[test]
fn unreachable_server_is_a_connect_error() {
    let options = ConnectOptions {
        port: 1,
        connect_timeout: Duration::from_secs(2),
        ..old_server().options()
    };
    let error = Connection::connect(&options).err().expect("nothing listens on port 1");
    assert!(matches!(error, Error::Connect { .. }), "{error:?}");
    assert!(error.to_string().contains("127.0.0.1:1"), "{error}");
}

#[test]
fn cancel_from_another_thread_keeps_the_connection() {
    for server in servers() {
        let mut connection = server.connect();
        let cancel = connection.cancel_handle();
        let started = Instant::now();
        let canceller = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            cancel.cancel();
        });
        let sql = "SELECT count() FROM system.numbers";
        let result = connection.query(sql, &QueryOptions::default()).and_then(|header| {
            let mut block = header.unwrap_or_default();
            while connection.next_block(&mut block)? {}
            Ok(())
        });
        canceller.join().unwrap();
        assert!(matches!(result, Err(Error::Cancelled)), "{}: {result:?}", server.name);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{}: cancel took {:?}",
            server.name,
            started.elapsed()
        );
        assert_eq!(rows_as_text(&mut connection, "SELECT 1"), [["1"]], "{}", server.name);
    }
}

#[test]
fn query_timeout_cancels_and_keeps_the_connection() {
    for server in servers() {
        let mut connection = server.connect();
        let options = QueryOptions {
            timeout: Some(Duration::from_millis(500)),
            ..Default::default()
        };
        let started = Instant::now();
        let result = connection
            .query("SELECT count() FROM system.numbers", &options)
            .and_then(|header| {
                let mut block = header.unwrap_or_default();
                while connection.next_block(&mut block)? {}
                Ok(())
            });
        assert!(
            matches!(result, Err(Error::QueryTimeout)),
            "{}: {result:?}",
            server.name
        );
        assert!(started.elapsed() < Duration::from_secs(10));
        assert_eq!(rows_as_text(&mut connection, "SELECT 2"), [["2"]]);
    }
}

#[test]
fn dropping_a_result_midway_leaves_the_connection_in_step() {
    for server in servers() {
        let mut connection = server.connect();
        let mut block = connection
            .query(
                "SELECT number FROM system.numbers LIMIT 5000000",
                &QueryOptions::default(),
            )
            .unwrap()
            .unwrap();
        assert!(connection.next_block(&mut block).unwrap());
        // A new query closes the open result first.
        assert_eq!(
            rows_as_text(&mut connection, "SELECT 'next'"),
            [["next"]],
            "{}",
            server.name
        );
    }
}

#[test]
fn insert_values_that_do_not_fit_name_column_and_row() {
    for server in servers() {
        let mut connection = server.connect();
        let table = unique_table("misfit");
        connection
            .execute(&format!("CREATE TABLE {table} (a UInt8, b String) ENGINE = Memory"))
            .unwrap();
        let header = connection.insert(&format!("INSERT INTO {table} VALUES")).unwrap();
        let mut block = Block::with_columns_of(&header);
        block.push_row(&[Value::UInt(1), Value::Text("ok".into())]).unwrap();
        let error = block
            .push_row(&[Value::Int(300), Value::Text("too big".into())])
            .unwrap_err();
        assert!(
            matches!(&error, Error::Value { column, row: 1, .. } if column == "a"),
            "{error:?}"
        );
        assert!(error.to_string().contains("300"), "{error}");
        connection.send_block(&block).unwrap();
        connection.finish_insert().unwrap();
        assert_eq!(
            rows_as_text(&mut connection, &format!("SELECT a, b FROM {table}")),
            [["1", "ok"]]
        );
        // Inline VALUES with an expression is refused before anything is stored.
        let refused = connection.execute(&format!("INSERT INTO {table} VALUES (2, 'x'), (now(), 'y')"));
        assert!(matches!(refused, Err(Error::Usage(_))), "{refused:?}");
        assert_eq!(
            rows_as_text(&mut connection, &format!("SELECT count() FROM {table}")),
            [["1"]]
        );
        connection.execute(&format!("DROP TABLE {table}")).unwrap();
    }
}

#[test]
fn insert_select_and_empty_values_run_on_the_server() {
    for server in servers() {
        let mut connection = server.connect();
        let table = unique_table("insert_select");
        connection
            .execute(&format!("CREATE TABLE {table} (n UInt64) ENGINE = Memory"))
            .unwrap();
        connection
            .execute(&format!(
                "INSERT INTO {table} SELECT number FROM system.numbers LIMIT 10"
            ))
            .unwrap();
        connection.execute(&format!("INSERT INTO {table} VALUES")).unwrap();
        assert_eq!(
            rows_as_text(&mut connection, &format!("SELECT sum(n) FROM {table}")),
            [["45"]],
            "{}",
            server.name
        );
        connection.execute(&format!("DROP TABLE {table}")).unwrap();
    }
}

#[test]
fn totals_and_extremes_are_kept() {
    for server in servers() {
        let mut connection = server.connect();
        let options = QueryOptions {
            settings: vec![Setting::new("extremes", "1")],
            ..Default::default()
        };
        let sql = "SELECT number % 2 AS k, count() AS c FROM numbers(10) GROUP BY k WITH TOTALS ORDER BY k";
        let mut block = connection.query(sql, &options).unwrap().unwrap();
        while connection.next_block(&mut block).unwrap() {}
        let totals = connection.totals().expect("totals");
        assert_eq!(totals.columns[1].value(0), Value::UInt(10), "{}", server.name);
        assert!(connection.extremes().is_some(), "{}", server.name);
    }
}

fn tls_options(verify: bool, ca: bool) -> ConnectOptions {
    ConnectOptions {
        host: "localhost".into(),
        port: common::tls_port(),
        tls: Some(TlsOptions {
            verify,
            ca_file: ca.then(common::tls_ca),
            server_name: None,
        }),
        connect_timeout: Duration::from_secs(5),
        ..ConnectOptions::default()
    }
}

#[test]
fn tls_verifies_certificates_unless_told_not_to() {
    let error = Connection::connect(&tls_options(true, false))
        .err()
        .expect("an unknown CA must be refused");
    assert!(matches!(error, Error::Tls(_)), "{error:?}");
    assert!(error.to_string().contains("localhost"), "{error}");

    for options in [tls_options(true, true), tls_options(false, false)] {
        let mut connection = Connection::connect(&options).unwrap_or_else(|error| panic!("{options:?}: {error}"));
        assert_eq!(rows_as_text(&mut connection, "SELECT 'over tls'"), [["over tls"]]);
        connection.ping().unwrap();
    }

    let compressed = ConnectOptions {
        compression: true,
        ..tls_options(true, true)
    };
    let mut connection = Connection::connect(&compressed).unwrap();
    let rows = rows_as_text(
        &mut connection,
        "SELECT count() FROM (SELECT toString(number) FROM numbers(300000))",
    );
    assert_eq!(rows, [["300000"]]);

    // A certificate for another name fails verification by host name.
    let wrong_name = ConnectOptions {
        tls: Some(TlsOptions {
            verify: true,
            ca_file: Some(common::tls_ca()),
            server_name: Some("example.com".into()),
        }),
        ..tls_options(true, true)
    };
    assert!(matches!(Connection::connect(&wrong_name), Err(Error::Tls(_))));
}

#[test]
fn cancel_over_tls() {
    let mut connection = Connection::connect(&tls_options(true, true)).unwrap();
    let cancel = connection.cancel_handle();
    let canceller = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(300));
        cancel.cancel();
    });
    let result = connection
        .query("SELECT count() FROM system.numbers", &QueryOptions::default())
        .and_then(|header| {
            let mut block = header.unwrap_or_default();
            while connection.next_block(&mut block)? {}
            Ok(())
        });
    canceller.join().unwrap();
    assert!(matches!(result, Err(Error::Cancelled)), "{result:?}");
    assert_eq!(rows_as_text(&mut connection, "SELECT 3"), [["3"]]);
}

#[test]
fn server_logs_are_read_and_skipped() {
    for server in servers() {
        let mut connection = server.connect();
        let options = QueryOptions {
            settings: vec![Setting::new("send_logs_level", "trace")],
            ..Default::default()
        };
        let mut block = connection
            .query("SELECT number FROM numbers(100000)", &options)
            .unwrap()
            .unwrap();
        let mut rows = 0;
        while connection.next_block(&mut block).unwrap() {
            rows += block.rows();
        }
        assert_eq!(rows, 100_000, "{}", server.name);
        assert_eq!(rows_as_text(&mut connection, "SELECT 'after logs'"), [["after logs"]]);
    }
}
