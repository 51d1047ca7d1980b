//! A real ClickHouse 18.16 frozen with SIGSTOP while a query with a timeout waits for it: the
//! Cancel gets no answer, so the driver gives up after a short grace period with HYT00 and the
//! connection is broken (08S01 afterwards); SQLCancel and describing a prepared statement likewise. Once the server wakes (SIGCONT) a
//! new connection works; a server killed while frozen gives a clean error. Runs its own private
//! server.

mod common;

use std::time::{Duration, Instant};

use bytehouse::ffi::*;
use common::c_abi::{HANDLE_STMT, Handles};
use common::diagnostic;
use common::private_server::{Ports, PrivateServer};

fn connect(server: &PrivateServer, keys: &str) -> Handles {
    let text = format!("Host={};Port={};{keys}", common::host(), server.ports.tcp);
    Handles::connect(&text).unwrap_or_else(|error| panic!("connect {text}: {error:?}"))
}

/// A statement handle that may be passed to another thread, as ODBC allows.
struct Shared(*mut std::ffi::c_void);
// SAFETY: ODBC handles may be used from any thread; SQLCancel is made for that.
unsafe impl Send for Shared {}

/// Runs `sql` and reads its result; the SQLSTATE of the call that failed and how long it took.
fn failing_query(handles: &Handles, sql: &str) -> (String, Duration) {
    let started = Instant::now();
    let mut code = handles.execute(sql);
    while code == SQL_SUCCESS {
        code = unsafe { SQLFetch(handles.stmt) };
    }
    assert_eq!(code, SQL_ERROR, "{sql} did not fail");
    (diagnostic(HANDLE_STMT, handles.stmt).0, started.elapsed())
}

#[test]
fn a_frozen_server_times_out_and_breaks_the_connection() {
    let server = PrivateServer::start(
        "frozen",
        Ports {
            tcp: 19020,
            tls: 19021,
            http: 19022,
        },
    );
    let handles = connect(&server, "QueryTimeout=2");
    assert_eq!(handles.query_text("SELECT 1"), ["1"]);

    server.signal(libc::SIGSTOP);
    let (state, elapsed) = failing_query(&handles, "SELECT count() FROM numbers(10)");
    assert_eq!(state, "HYT00");
    // The 2 s timeout, then the grace period for the Cancel's answer (5 s).
    assert!(elapsed >= Duration::from_secs(2), "gave up after {elapsed:?}");
    assert!(elapsed < Duration::from_secs(15), "gave up after {elapsed:?}");
    let (state, elapsed) = failing_query(&handles, "SELECT 1");
    assert_eq!(state, "08S01", "the connection is broken");
    assert!(elapsed < Duration::from_secs(1), "{elapsed:?}");

    server.signal(libc::SIGCONT);
    let woken = connect(&server, "");
    assert_eq!(woken.query_text("SELECT 2"), ["2"]);

    // Describing a prepared statement waits no longer than running it would.
    let describing = connect(&server, "QueryTimeout=2");
    server.signal(libc::SIGSTOP);
    let started = Instant::now();
    let sql = "SELECT count() FROM numbers(10)";
    assert_eq!(
        unsafe { SQLPrepare(describing.stmt, sql.as_ptr(), sql.len() as i32) },
        SQL_SUCCESS
    );
    let mut columns = 0i16;
    assert_eq!(unsafe { SQLNumResultCols(describing.stmt, &mut columns) }, SQL_ERROR);
    assert_eq!(diagnostic(HANDLE_STMT, describing.stmt).0, "HYT00");
    // One timeout and one grace period (7 s), not a second wait for the header.
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(12), "gave up after {elapsed:?}");
    server.signal(libc::SIGCONT);

    // Without a timeout, SQLCancel from another thread gets the same grace period.
    let cancelled = connect(&server, "");
    server.signal(libc::SIGSTOP);
    let target = Shared(cancelled.stmt);
    let (state, elapsed) = std::thread::scope(|scope| {
        scope.spawn(move || {
            let target = target;
            std::thread::sleep(Duration::from_millis(500));
            unsafe { SQLCancel(target.0) }
        });
        failing_query(&cancelled, "SELECT count() FROM numbers(10)")
    });
    assert_eq!(state, "HYT00");
    assert!(elapsed < Duration::from_secs(10), "gave up after {elapsed:?}");
    server.signal(libc::SIGCONT);
    assert_eq!(woken.query_text("SELECT 3"), ["3"], "another connection lives on");

    // Killed while frozen: the waiting query fails cleanly as soon as the socket closes.
    server.signal(libc::SIGSTOP);
    let (state, elapsed) = std::thread::scope(|scope| {
        scope.spawn(|| {
            std::thread::sleep(Duration::from_millis(500));
            server.signal(libc::SIGKILL);
        });
        failing_query(&woken, "SELECT count() FROM numbers(10)")
    });
    assert_eq!(state, "08S01");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}
