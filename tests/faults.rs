//! Faults seen through the ODBC functions: a real ClickHouse 18.16 (a private one, see
//! `common::private_server`) killed in the middle of a result and of an INSERT, frozen with
//! SIGSTOP, a port where nothing listens, and a scripted peer that stalls, cuts the connection or
//! sends garbage at each point of the exchange. Each case ends in a clean error with the right
//! SQLSTATE within a bound, and the next connection works.

mod common;

use std::ffi::c_void;
use std::io::Write;
use std::ptr::null_mut;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use bytehouse::ffi::*;
use bytehouse::native::{Block, Column};
use common::c_abi::{HANDLE_STMT, Handles};
use common::private_server::{Ports, PrivateServer};
use common::scripted_peer::{Client, data_packet, hello, listen, sample_block};

/// This file's private servers, in the load tests' port range 19030-19039.
const KILLED: Ports = Ports {
    tcp: 19030,
    tls: 19031,
    http: 19032,
};
const FROZEN: Ports = Ports {
    tcp: 19033,
    tls: 19034,
    http: 19035,
};
/// A port in that range where nothing listens.
const CLOSED_PORT: u16 = 19039;
/// ConnectTimeout and SendReceiveTimeout of every connection here, in seconds.
const TIMEOUT: u64 = 2;
/// How much later than its timeout an error may come (a busy machine, buffered rows first).
const SLACK: Duration = Duration::from_secs(4);
const SQL_PARAM_INPUT: i16 = 1;
const SQL_C_SBIGINT: i16 = -25;
const SQL_BIGINT: i16 = -5;
const SQL_ATTR_PARAMSET_SIZE: i32 = 22;

fn connection_string(port: u16) -> String {
    format!(
        "Host={};Port={port};ConnectTimeout={TIMEOUT};SendReceiveTimeout={TIMEOUT}",
        common::host()
    )
}

fn within_timeout(started: Instant) -> bool {
    started.elapsed() < Duration::from_secs(TIMEOUT) + SLACK
}

/// A statement's first diagnostic if `code` is an error.
fn outcome(stmt: *mut c_void, code: i16) -> Result<(), (String, String)> {
    match code {
        SQL_SUCCESS | SQL_SUCCESS_WITH_INFO => Ok(()),
        _ => Err(common::diagnostic(HANDLE_STMT, stmt)),
    }
}

fn execute(handles: &Handles, sql: &str) -> Result<(), (String, String)> {
    outcome(handles.stmt, handles.execute(sql))
}

/// Fetches up to `limit` rows; Ok(rows fetched) at the end of the result or at the limit.
fn fetch(handles: &Handles, limit: usize) -> Result<usize, (String, String)> {
    for fetched in 0..limit {
        match unsafe { SQLFetch(handles.stmt) } {
            SQL_NO_DATA => return Ok(fetched),
            code => outcome(handles.stmt, code)?,
        }
    }
    Ok(limit)
}

/// `INSERT INTO table VALUES (?)` with `values` as one parameter array.
fn insert(handles: &Handles, table: &str, values: &mut [i64]) -> Result<(), (String, String)> {
    let stmt = handles.stmt;
    unsafe {
        let size = std::ptr::without_provenance_mut(values.len());
        outcome(stmt, SQLSetStmtAttr(stmt, SQL_ATTR_PARAMSET_SIZE, size, 0))?;
        let code = SQLBindParameter(
            stmt,
            1,
            SQL_PARAM_INPUT,
            SQL_C_SBIGINT,
            SQL_BIGINT,
            0,
            0,
            values.as_mut_ptr().cast(),
            8,
            null_mut(),
        );
        outcome(stmt, code)?;
    }
    execute(handles, &format!("INSERT INTO {table} VALUES (?)"))
}

/// The connection of `handles`, disconnected if it was connected, connects to the shared 18.16
/// server and runs a query: a fault leaves nothing behind that stops the next connection.
fn next_connection_works(mut handles: Handles) {
    unsafe {
        if !handles.stmt.is_null() {
            SQLFreeHandle(HANDLE_STMT, handles.stmt);
            handles.stmt = null_mut();
            SQLDisconnect(handles.dbc);
        }
    }
    handles
        .connect_with(&connection_string(common::old_server().port))
        .expect("the next connection");
    assert_eq!(handles.query_text("SELECT 42"), ["42"]);
}

#[test]
fn a_refused_connection_is_08001_at_once_with_host_and_port() {
    let started = Instant::now();
    let error = Handles::connect(&connection_string(CLOSED_PORT))
        .err()
        .expect("nothing listens");
    assert!(
        started.elapsed() < Duration::from_secs(TIMEOUT),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(error.0, "08001", "{error:?}");
    let address = format!("{}:{CLOSED_PORT}", common::host());
    assert!(error.1.contains(&address), "{error:?}");
    next_connection_works(Handles::allocate());
}

/// Rows of one INSERT in the killed-server test.
const ROWS_PER_INSERT: usize = 20_000;

#[test]
fn killing_the_server_mid_result_and_mid_insert() {
    let server = PrivateServer::start("faults-killed", KILLED);
    let table = common::unique_table("killed_insert");
    let admin = Handles::connect(&connection_string(KILLED.tcp)).unwrap();
    execute(
        &admin,
        &format!("CREATE TABLE {table} (n Int64) ENGINE = MergeTree() ORDER BY n"),
    )
    .unwrap();

    let reader = Handles::connect(&connection_string(KILLED.tcp)).unwrap();
    execute(&reader, "SELECT number FROM system.numbers").unwrap();
    assert_eq!(fetch(&reader, 1000), Ok(1000));

    let inserts_done = AtomicUsize::new(0);
    let (killed_at, insert_error) = std::thread::scope(|scope| {
        let inserter = scope.spawn(|| {
            let handles = Handles::connect(&connection_string(KILLED.tcp)).unwrap();
            let mut values: Vec<i64> = (0..ROWS_PER_INSERT as i64).collect();
            loop {
                if let Err(error) = insert(&handles, &table, &mut values) {
                    return (error, Instant::now());
                }
                inserts_done.fetch_add(1, Ordering::SeqCst);
            }
        });
        while inserts_done.load(Ordering::SeqCst) < 3 {
            std::thread::sleep(Duration::from_millis(10));
        }
        server.signal(libc::SIGKILL);
        let killed_at = Instant::now();
        let (error, failed_at) = inserter.join().unwrap();
        assert!(
            failed_at.duration_since(killed_at) < SLACK,
            "the INSERT failed after {:?}",
            failed_at - killed_at
        );
        (killed_at, error)
    });
    assert_eq!(insert_error.0, "08S01", "{insert_error:?}");

    let read_error = loop {
        match fetch(&reader, 1000) {
            Ok(1000) => assert!(within_timeout(killed_at), "rows keep coming from a killed server"),
            Ok(rows) => panic!("the result ended after {rows} more rows although the server died"),
            Err(error) => break error,
        }
    };
    assert_eq!(read_error.0, "08S01", "{read_error:?}");
    assert!(within_timeout(killed_at));
    assert_eq!(execute(&reader, "SELECT 1").unwrap_err().0, "08S01");
    assert_eq!(
        Handles::connect(&connection_string(KILLED.tcp))
            .err()
            .map(|error| error.0),
        Some("08001".to_string())
    );

    // Every INSERT reported done is stored; the one that failed is stored only if its error said
    // that nobody can know.
    server.restart_keeping_data();
    let after = Handles::connect(&connection_string(KILLED.tcp)).unwrap();
    let stored: usize = after.query_text(&format!("SELECT count() FROM {table}"))[0]
        .parse()
        .unwrap();
    let done = inserts_done.load(Ordering::SeqCst);
    let unknown = insert_error.1.contains("whether the server stored them is unknown");
    println!(
        "{done} INSERTs reported done, {stored} rows stored after the restart; the failed one: {}",
        insert_error.1
    );
    if unknown {
        assert!(
            stored == done * ROWS_PER_INSERT || stored == (done + 1) * ROWS_PER_INSERT,
            "{stored} rows after {done} INSERTs"
        );
    } else {
        assert_eq!(stored, done * ROWS_PER_INSERT);
    }
    next_connection_works(after);
}

#[test]
fn a_frozen_server_gives_08s01_within_the_receive_timeout() {
    let server = PrivateServer::start("faults-frozen", FROZEN);
    let reader = Handles::connect(&connection_string(FROZEN.tcp)).unwrap();
    execute(&reader, "SELECT number FROM system.numbers").unwrap();
    assert_eq!(fetch(&reader, 1000), Ok(1000));
    let idle = Handles::connect(&connection_string(FROZEN.tcp)).unwrap();

    server.signal(libc::SIGSTOP);
    let frozen_at = Instant::now();
    let read_error = loop {
        match fetch(&reader, 1000) {
            Ok(1000) => assert!(within_timeout(frozen_at), "rows keep coming from a frozen server"),
            Ok(rows) => panic!("the result ended after {rows} more rows although the server froze"),
            Err(error) => break error,
        }
    };
    assert_eq!(read_error.0, "08S01", "{read_error:?}");
    assert!(within_timeout(frozen_at), "{:?}", frozen_at.elapsed());
    assert_eq!(execute(&reader, "SELECT 1").unwrap_err().0, "08S01");

    let started = Instant::now();
    assert_eq!(execute(&idle, "SELECT 1").unwrap_err().0, "08S01");
    assert!(within_timeout(started), "{:?}", started.elapsed());
    // The kernel still accepts connections for the frozen server; its Hello never comes.
    let started = Instant::now();
    let refused = Handles::connect(&connection_string(FROZEN.tcp))
        .err()
        .expect("no Hello");
    assert!(within_timeout(started), "{:?}", started.elapsed());
    // The connect (login) timeout expired: HYT00, as ODBC says for SQLDriverConnect.
    assert_eq!(refused.0, "HYT00", "{refused:?}");

    server.signal(libc::SIGCONT);
    let thawed = Handles::connect(&connection_string(FROZEN.tcp)).unwrap();
    assert_eq!(thawed.query_text("SELECT 7"), ["7"]);
}

/// Where the scripted peer breaks the exchange.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Point {
    /// As soon as the client connects.
    BeforeHello,
    /// After half of the server's Hello.
    MidHello,
    /// After half of the result's header block.
    ResultHeader,
    /// After the header and half of a block of rows.
    MidBlock,
    /// After the header and all rows, where EndOfStream should come.
    EndOfStream,
    /// After the header of an INSERT, while the client sends its rows.
    InsertData,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
    /// Sends nothing more (for longer than any timeout here), keeping the connection open.
    Stall,
    /// Closes the connection.
    Cut,
    /// Sends bytes that are no packet.
    Garbage,
}

const STALL: Duration = Duration::from_secs(TIMEOUT + 6);

fn break_exchange(client: &mut Client, fault: Fault) {
    match fault {
        Fault::Stall => std::thread::sleep(STALL),
        Fault::Cut => {
            let _ = client.socket.shutdown(std::net::Shutdown::Both);
        }
        Fault::Garbage => {
            let _ = client.socket.write_all(&[0xee; 256]);
            // Keep the socket open until the client has read and given up.
            std::thread::sleep(Duration::from_secs(1));
        }
    }
}

fn half(bytes: &[u8]) -> &[u8] {
    &bytes[..bytes.len() / 2]
}

/// The peer's side of one case: the exchange up to `point`, then `fault`.
fn peer_script(point: Point, fault: Fault, mut client: Client) {
    const REVISION: u64 = 54460;
    if point == Point::BeforeHello {
        return break_exchange(&mut client, fault);
    }
    if point == Point::MidHello {
        client.read_hello();
        client.socket.write_all(half(&hello(REVISION))).unwrap();
        return break_exchange(&mut client, fault);
    }
    let revision = client.handshake(REVISION);
    client.read_query(revision);
    let rows = sample_block();
    let header = data_packet(&Block::with_columns_of(&rows), revision);
    match point {
        Point::ResultHeader => client.socket.write_all(half(&header)).unwrap(),
        Point::MidBlock => {
            client.socket.write_all(&header).unwrap();
            client.socket.write_all(half(&data_packet(&rows, revision))).unwrap();
        }
        Point::EndOfStream => {
            client.socket.write_all(&header).unwrap();
            client.socket.write_all(&data_packet(&rows, revision)).unwrap();
        }
        Point::InsertData => {
            let mut columns = Block::default();
            columns.columns.push(Column::new("n", "Int64").unwrap());
            client.socket.write_all(&data_packet(&columns, revision)).unwrap();
        }
        Point::BeforeHello | Point::MidHello => unreachable!(),
    }
    break_exchange(&mut client, fault);
}

/// The client's side of one case, up to the error it must get: its handles, SQLSTATE and message.
fn client_side(point: Point, port: u16) -> (Handles, String, String) {
    let mut handles = Handles::allocate();
    if let Err((state, message)) = handles.connect_with(&connection_string(port)) {
        assert!(
            matches!(point, Point::BeforeHello | Point::MidHello),
            "connect failed: {message}"
        );
        return (handles, state, message);
    }
    let failure = match point {
        Point::BeforeHello | Point::MidHello => panic!("connected to a peer that broke the Hello"),
        Point::ResultHeader => execute(&handles, "SELECT n, s FROM t").err(),
        Point::MidBlock => {
            execute(&handles, "SELECT n, s FROM t").unwrap();
            fetch(&handles, usize::MAX).err()
        }
        Point::EndOfStream => {
            execute(&handles, "SELECT n, s FROM t").unwrap();
            let rows = fetch(&handles, 1000);
            assert_eq!(rows, Ok(1000));
            fetch(&handles, 1).err()
        }
        Point::InsertData => insert(&handles, "t", &mut [1, 2, 3]).err(),
    };
    let (state, message) = failure.expect("an error, not an end");
    (handles, state, message)
}

#[test]
fn a_peer_breaking_each_point_of_the_exchange_gives_clean_errors() {
    let points = [
        Point::BeforeHello,
        Point::MidHello,
        Point::ResultHeader,
        Point::MidBlock,
        Point::EndOfStream,
        Point::InsertData,
    ];
    let faults = [Fault::Stall, Fault::Cut, Fault::Garbage];
    let cases: Vec<(Point, Fault)> = points
        .iter()
        .flat_map(|&point| faults.iter().map(move |&fault| (point, fault)))
        .collect();
    std::thread::scope(|scope| {
        for &(point, fault) in &cases {
            scope.spawn(move || {
                let peer = listen(move |client| peer_script(point, fault, client));
                let started = Instant::now();
                let (handles, state, message) = client_side(point, peer.port);
                let case = format!("{fault:?} at {point:?}: {state} {message}");
                println!("{case} after {:.1} s", started.elapsed().as_secs_f64());
                assert!(within_timeout(started), "{case} took {:?}", started.elapsed());
                let expected: &[&str] = match point {
                    // Login timeout (HYT00) for a stall, link failure or no connection otherwise.
                    Point::BeforeHello | Point::MidHello if fault == Fault::Stall => &["HYT00", "08001", "08S01"],
                    Point::BeforeHello | Point::MidHello => &["08001", "08S01"],
                    _ => &["08S01"],
                };
                assert!(expected.contains(&state.as_str()), "{case}");
                if point == Point::InsertData {
                    assert!(message.contains("whether the server stored them is unknown"), "{case}");
                }
                next_connection_works(handles);
                peer.thread.join().unwrap();
            });
        }
    });
    println!("{} scripted fault cases", cases.len());
}
