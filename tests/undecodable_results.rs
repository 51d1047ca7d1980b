//! A result column of a type this client cannot decode, on both real servers: the error reaches the
//! caller as itself, and the connection, whose socket holds the rest of the packet, is opened again
//! so the next statement runs (never "a query is still running", never a protocol error).

mod common;

use std::time::{Duration, Instant};

use bytehouse::native::{Connection, Error, QueryOptions, Setting};
use common::{rows_as_text, servers};

/// Runs `sql`, which must fail on a type this client rejects, then shows the connection still works.
fn assert_recovers(connection: &mut Connection, sql: &str, settings: &[Setting], type_name: &str, server: &str) {
    let options = QueryOptions {
        settings: settings.to_vec(),
        ..QueryOptions::default()
    };
    let error = connection.query(sql, &options).unwrap_err();
    assert!(
        matches!(&error, Error::Type(message) if message.contains(type_name)),
        "{server}: {error:?}"
    );
    assert!(!connection.is_broken(), "{server}");
    assert!(!connection.is_busy(), "{server}");
    assert_eq!(rows_as_text(connection, "SELECT 1 + 1"), [["2"]], "{server}");
    connection.ping().unwrap();
}

#[test]
fn an_undecodable_column_is_reported_and_the_connection_recovers() {
    for server in servers() {
        for mut connection in [server.connect(), server.connect_compressed()] {
            // Both servers send AggregateFunction states, which this client does not read.
            for _ in 0..2 {
                assert_recovers(
                    &mut connection,
                    "SELECT uniqState(number) FROM numbers(3)",
                    &[],
                    "AggregateFunction",
                    server.name,
                );
            }
            if server.is_modern() {
                let json = [Setting::new("allow_experimental_json_type", "1")];
                assert_recovers(&mut connection, "SELECT '{\"a\":1}'::JSON", &json, "JSON", server.name);
            }
        }
    }
}

#[test]
fn the_abandoned_query_is_cancelled_on_the_server() {
    for server in servers() {
        let mut connection = server.connect();
        // Endless: it aggregates all of system.numbers; its header alone is undecodable.
        let query_id = format!("undecodable-{}-{}", std::process::id(), server.name);
        let options = QueryOptions {
            query_id: query_id.clone(),
            ..QueryOptions::default()
        };
        let error = connection
            .query("SELECT uniqState(number) FROM system.numbers", &options)
            .unwrap_err();
        assert!(matches!(&error, Error::Type(_)), "{}: {error:?}", server.name);
        let mut observer = server.connect();
        let running = format!("SELECT count() FROM system.processes WHERE query_id = '{query_id}'");
        let started = Instant::now();
        while rows_as_text(&mut observer, &running) != [["0"]] {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{}: the server still runs the abandoned query",
                server.name
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
