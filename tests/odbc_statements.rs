//! Several statements on one connection, through the exported functions, against both servers:
//! an open result survives other statements' queries (failing ones too), SQLCancel reaches only
//! its own statement's query, and query timeouts bound the wait for the server only.

mod common;

use std::ffi::c_void;
use std::ptr::null_mut;
use std::time::{Duration, Instant};

use bytehouse::ffi::*;
use common::c_abi::{HANDLE_STMT, Handles};
use common::{Server, diagnostic, servers};

const C_UBIGINT: i16 = -27;
const ROWS_FETCHED_PTR: i32 = 26;
const ROW_ARRAY_SIZE: i32 = 27;
const QUERY_TIMEOUT: i32 = 0;
/// Rows fetched per SQLFetch by [`Rows`].
const ROWSET: usize = 1000;

/// A statement handle that may be passed to another thread, as ODBC allows.
#[derive(Clone, Copy)]
struct Shared(*mut c_void);
// SAFETY: ODBC handles may be used from any thread.
unsafe impl Send for Shared {}

fn connect(server: &Server, keys: &str) -> Handles {
    let text = format!("Host={};Port={};{keys}", common::host(), server.port);
    Handles::connect(&text).unwrap_or_else(|error| panic!("connect {text}: {error:?}"))
}

fn allocate_statement(handles: &Handles) -> *mut c_void {
    let mut stmt = null_mut();
    assert_eq!(
        unsafe { SQLAllocHandle(HANDLE_STMT, handles.dbc, &mut stmt) },
        SQL_SUCCESS
    );
    stmt
}

fn execute(stmt: *mut c_void, sql: &str) -> i16 {
    unsafe { SQLExecDirect(stmt, sql.as_ptr(), sql.len() as i32) }
}

/// The SQLSTATE and message of a call that returned SQL_ERROR.
fn error_of(stmt: *mut c_void, code: i16) -> (String, String) {
    assert_eq!(code, SQL_ERROR, "expected an error");
    diagnostic(HANDLE_STMT, stmt)
}

fn succeed(stmt: *mut c_void, code: i16, what: &str) {
    assert!(
        code == SQL_SUCCESS || code == SQL_SUCCESS_WITH_INFO,
        "{what}: code {code}: {:?}",
        diagnostic(HANDLE_STMT, stmt)
    );
}

/// Reads column 1 (a UInt64) of a statement's result a rowset at a time.
struct Rows {
    stmt: *mut c_void,
    values: Box<[u64; ROWSET]>,
    fetched: Box<usize>,
    count: usize,
    sum: u64,
}

impl Rows {
    fn bind(stmt: *mut c_void) -> Rows {
        let mut rows = Rows {
            stmt,
            values: Box::new([0; ROWSET]),
            fetched: Box::new(0),
            count: 0,
            sum: 0,
        };
        unsafe {
            assert_eq!(
                SQLSetStmtAttr(stmt, ROW_ARRAY_SIZE, ROWSET as *mut c_void, 0),
                SQL_SUCCESS
            );
            let fetched: *mut usize = &mut *rows.fetched;
            assert_eq!(SQLSetStmtAttr(stmt, ROWS_FETCHED_PTR, fetched.cast(), 0), SQL_SUCCESS);
            let values = rows.values.as_mut_ptr();
            assert_eq!(
                SQLBindCol(stmt, 1, C_UBIGINT, values.cast(), 8, null_mut()),
                SQL_SUCCESS
            );
        }
        rows
    }

    /// One rowset; the fetch's return code.
    fn fetch(&mut self) -> i16 {
        let code = unsafe { SQLFetch(self.stmt) };
        if code == SQL_SUCCESS {
            self.count += *self.fetched;
            self.sum += self.values[..*self.fetched].iter().sum::<u64>();
        }
        code
    }

    /// Every remaining rowset; the code that ended them.
    fn fetch_rest(&mut self) -> i16 {
        loop {
            let code = self.fetch();
            if code != SQL_SUCCESS {
                return code;
            }
        }
    }
}

/// The sum of 0..rows.
fn sum_below(rows: u64) -> u64 {
    rows * (rows - 1) / 2
}

#[test]
fn an_open_result_survives_other_statements_failing_and_succeeding() {
    const TOTAL: u64 = 1_000_000;
    for server in servers() {
        let log = std::env::temp_dir().join(common::unique_table("read_ahead_log"));
        let handles = connect(&server, &format!("LogFile={}", log.display()));
        let other = allocate_statement(&handles);
        let sql = format!("SELECT number FROM numbers({TOTAL})");
        succeed(handles.stmt, execute(handles.stmt, &sql), "open the result");
        let mut rows = Rows::bind(handles.stmt);
        assert_eq!(rows.fetch(), SQL_SUCCESS);

        let (state, message) = error_of(other, execute(other, "SELECT * FROM no_such_table_anywhere"));
        assert_eq!(state, "42S02", "{}: {message}", server.name);
        succeed(other, execute(other, "SELECT 7"), "a query after the failed one");
        assert_eq!(unsafe { SQLFetch(other) }, SQL_SUCCESS);
        // A metadata query mid-fetch, as BI tools run them.
        succeed(
            other,
            unsafe { SQLTables(other, null_mut(), 0, null_mut(), 0, null_mut(), 0, null_mut(), 0) },
            "SQLTables mid-fetch",
        );
        // And the description of a prepared statement.
        let prepared = "SELECT 1 AS one, 2 AS two";
        let mut columns = 0i16;
        unsafe {
            assert_eq!(SQLPrepare(other, prepared.as_ptr(), prepared.len() as i32), SQL_SUCCESS);
            assert_eq!(SQLNumResultCols(other, &mut columns), SQL_SUCCESS);
        }
        assert_eq!(columns, 2, "{}", server.name);

        assert_eq!(rows.fetch_rest(), SQL_NO_DATA, "{}", server.name);
        assert_eq!(
            (rows.count as u64, rows.sum),
            (TOTAL, sum_below(TOTAL)),
            "{}",
            server.name
        );
        unsafe { SQLFreeHandle(HANDLE_STMT, other) };
        let logged = std::fs::read_to_string(&log).unwrap();
        assert!(logged.contains("read ahead of an open result: "), "{logged}");
        let _ = std::fs::remove_file(&log);
    }
}

#[test]
fn past_the_buffer_limit_the_other_statement_gets_a_clear_error() {
    const TOTAL: u64 = 300_000;
    for server in servers() {
        let handles = connect(&server, "ResultBufferLimit=100000");
        let other = allocate_statement(&handles);
        let sql = format!("SELECT number FROM numbers({TOTAL}) SETTINGS max_block_size = 10000");
        succeed(handles.stmt, execute(handles.stmt, &sql), "open the result");
        let mut rows = Rows::bind(handles.stmt);
        assert_eq!(rows.fetch(), SQL_SUCCESS);

        let (state, message) = error_of(other, execute(other, "SELECT 1"));
        assert_eq!(state, "HY000", "{}: {message}", server.name);
        assert!(message.contains("ResultBufferLimit (100000 bytes)"), "{message}");

        // Nothing of the open result was lost, and the connection serves others once it ends.
        assert_eq!(rows.fetch_rest(), SQL_NO_DATA, "{}", server.name);
        assert_eq!(
            (rows.count as u64, rows.sum),
            (TOTAL, sum_below(TOTAL)),
            "{}",
            server.name
        );
        succeed(other, execute(other, "SELECT 1"), "after the result ended");
        unsafe { SQLFreeHandle(HANDLE_STMT, other) };
    }
}

#[test]
fn a_result_cut_short_by_an_error_reports_it_after_its_rows() {
    for server in servers() {
        let handles = connect(&server, "");
        let other = allocate_statement(&handles);
        // Rows come in blocks of 10; the server fails at row 100 000.
        let sql = "SELECT throwIf(number = 100000) + number AS n FROM numbers(200000) \
                   SETTINGS max_block_size = 10";
        succeed(handles.stmt, execute(handles.stmt, sql), "open the result");
        let mut rows = Rows::bind(handles.stmt);
        assert_eq!(rows.fetch(), SQL_SUCCESS);
        succeed(
            other,
            execute(other, "SELECT 1"),
            "another statement reads the rest ahead",
        );
        let (state, message) = error_of(handles.stmt, rows.fetch_rest());
        assert_eq!(state, "HY000", "{}: {message}", server.name);
        assert!(message.contains("throwIf"), "{message}");
        // The rows before the failure arrive (the rowset the error cuts short is not counted).
        assert!(
            (99_000..=100_000).contains(&rows.count),
            "{}: {}",
            server.name,
            rows.count
        );
        // Fetching again after the error never looks like the end of the result.
        let (state, message) = error_of(handles.stmt, rows.fetch());
        assert_eq!(state, "HY000", "{}: {message}", server.name);
        unsafe { SQLFreeHandle(HANDLE_STMT, other) };
    }
}

#[test]
fn sql_cancel_reaches_only_its_own_statement() {
    for server in servers() {
        let handles = connect(&server, "");
        let idle = allocate_statement(&handles);

        // Cancelling an idle statement leaves another statement's running query alone.
        let running = Shared(handles.stmt);
        let runner = std::thread::spawn(move || {
            let running = running;
            let code = execute(running.0, "SELECT sleep(1.5)");
            let fetched = unsafe { SQLFetch(running.0) };
            (code, fetched)
        });
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(unsafe { SQLCancel(idle) }, SQL_SUCCESS);
        assert_eq!(runner.join().unwrap(), (SQL_SUCCESS, SQL_SUCCESS), "{}", server.name);
        unsafe { SQLCloseCursor(handles.stmt) };

        // Nor does it touch another statement's open result; a statement's own SQLCancel between
        // its fetches does nothing either (ODBC 3).
        succeed(
            handles.stmt,
            execute(handles.stmt, "SELECT number FROM numbers(100000)"),
            "open",
        );
        let mut rows = Rows::bind(handles.stmt);
        assert_eq!(rows.fetch(), SQL_SUCCESS);
        assert_eq!(unsafe { SQLCancel(idle) }, SQL_SUCCESS);
        assert_eq!(unsafe { SQLCancel(handles.stmt) }, SQL_SUCCESS);
        assert_eq!(rows.fetch_rest(), SQL_NO_DATA, "{}", server.name);
        assert_eq!(rows.count, 100_000, "{}", server.name);

        // A statement waiting for its query is cancelled from another thread; the other statement
        // then works.
        let waiting = Shared(idle);
        let waiter = std::thread::spawn(move || {
            let waiting = waiting;
            let started = Instant::now();
            let mut code = execute(waiting.0, "SELECT count() FROM system.numbers");
            if code == SQL_SUCCESS {
                // The header comes at once; the wait is for the count.
                code = unsafe { SQLFetch(waiting.0) };
            }
            let state = (code == SQL_ERROR).then(|| diagnostic(HANDLE_STMT, waiting.0).0);
            (code, state, started.elapsed())
        });
        std::thread::sleep(Duration::from_millis(500));
        assert_eq!(unsafe { SQLCancel(idle) }, SQL_SUCCESS);
        let (code, state, elapsed) = waiter.join().unwrap();
        assert_eq!((code, state.as_deref()), (SQL_ERROR, Some("HY008")), "{}", server.name);
        assert!(elapsed < Duration::from_secs(10), "{elapsed:?}");
        succeed(idle, execute(idle, "SELECT 5"), "after the cancel");
        assert_eq!(unsafe { SQLFetch(idle) }, SQL_SUCCESS);
        unsafe { SQLFreeHandle(HANDLE_STMT, idle) };
    }
}

#[test]
fn query_timeout_counts_waiting_for_the_server_not_reading() {
    for server in servers() {
        let handles = connect(&server, "");
        unsafe { SQLSetStmtAttr(handles.stmt, QUERY_TIMEOUT, 2 as *mut c_void, 0) };
        let sql = "SELECT number FROM numbers(3000000)";
        succeed(handles.stmt, execute(handles.stmt, sql), "open the result");
        let mut rows = Rows::bind(handles.stmt);
        // A slow reader: 3 s of the application's time in all, longer than the timeout.
        let started = Instant::now();
        let mut next_pause = 300_000;
        let code = loop {
            let code = rows.fetch();
            if code != SQL_SUCCESS {
                break code;
            }
            if rows.count >= next_pause {
                next_pause += 300_000;
                std::thread::sleep(Duration::from_millis(300));
            }
        };
        assert_eq!(
            code,
            SQL_NO_DATA,
            "{}: {:?}",
            server.name,
            diagnostic(HANDLE_STMT, handles.stmt)
        );
        assert_eq!(rows.count, 3_000_000, "{}", server.name);
        assert!(started.elapsed() > Duration::from_secs(2));
    }
}

#[test]
fn query_timeout_key_is_each_statements_default() {
    for server in servers() {
        let handles = connect(&server, "QueryTimeout=1");
        let mut timeout = 0usize;
        unsafe {
            SQLGetStmtAttr(
                handles.stmt,
                QUERY_TIMEOUT,
                (&mut timeout as *mut usize).cast(),
                0,
                null_mut(),
            )
        };
        assert_eq!(timeout, 1, "{}", server.name);
        let started = Instant::now();
        // Three sleeps of a second: three seconds of waiting for the server.
        let code = execute(
            handles.stmt,
            "SELECT sleepEachRow(1) FROM numbers(3) SETTINGS max_block_size = 1",
        );
        let code = if code == SQL_SUCCESS {
            let mut code = SQL_SUCCESS;
            while code == SQL_SUCCESS {
                code = unsafe { SQLFetch(handles.stmt) };
            }
            code
        } else {
            code
        };
        let (state, message) = error_of(handles.stmt, code);
        assert_eq!(state, "HYT00", "{}: {message}", server.name);
        assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
        // A statement can still turn the default off.
        unsafe { SQLSetStmtAttr(handles.stmt, QUERY_TIMEOUT, null_mut(), 0) };
        assert_eq!(handles.query_text("SELECT 5"), ["5"], "{}", server.name);
    }
}
