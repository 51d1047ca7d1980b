//! Load through the exported functions: on each server, 8 threads with a connection each and 8
//! threads with a statement each on one shared connection run a mix of small SELECTs (values
//! checked), INSERTs, parameters, catalog calls and failing statements, while another thread
//! connects and disconnects; then the inserted rows are counted. Memory must stay flat: VmRSS after
//! a warm-up round and after the measured round are printed and bounded.
//!
//! `BYTEHOUSE_LOAD_STATEMENTS` sets the statements per thread of the measured round (default 600,
//! under a minute for both servers in a debug build); `scripts/load.sh` runs it longer. The
//! `..._under_memcheck` test runs a short round of this binary under valgrind.

mod common;

use std::ffi::c_void;
use std::ptr::null_mut;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use bytehouse::ffi::*;
use common::c_abi::{HANDLE_STMT, Handles};

const THREADS: usize = 8;
/// Connect/disconnect cycles of the churn thread per 100 statements of a worker.
const CHURN_PER_HUNDRED: usize = 5;
const SQL_PARAM_INPUT: i16 = 1;
const SQL_C_SBIGINT: i16 = -25;
const SQL_BIGINT: i16 = -5;
const SQL_RESET_PARAMS: u16 = 3;

fn statements_per_thread(default: usize) -> usize {
    std::env::var("BYTEHOUSE_LOAD_STATEMENTS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(default)
}

/// The process's resident set in kB.
fn rss_kb() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|line| line.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// A statement handle another thread may use (ODBC handles are thread-safe).
#[derive(Clone, Copy)]
struct Statement(*mut c_void);

// SAFETY: the driver serialises calls on a connection; each statement is used by one thread.
unsafe impl Send for Statement {}

/// How a statement failed: SQLSTATE and message.
type Failure = (String, String);

impl Statement {
    fn on(dbc: *mut c_void) -> Statement {
        let mut stmt = null_mut();
        assert_eq!(unsafe { SQLAllocHandle(HANDLE_STMT, dbc, &mut stmt) }, SQL_SUCCESS);
        Statement(stmt)
    }

    fn check(self, code: i16) -> Result<(), Failure> {
        match code {
            SQL_SUCCESS | SQL_SUCCESS_WITH_INFO => Ok(()),
            _ => Err(common::diagnostic(HANDLE_STMT, self.0)),
        }
    }

    /// Fetches every row of the open result as text, then closes the cursor.
    fn rows(self, columns: u16) -> Result<Vec<Vec<String>>, Failure> {
        let mut rows = Vec::new();
        let outcome = loop {
            match unsafe { SQLFetch(self.0) } {
                SQL_NO_DATA => break Ok(()),
                code => {
                    if let Err(failure) = self.check(code) {
                        break Err(failure);
                    }
                }
            }
            let mut row = Vec::new();
            for column in 1..=columns {
                let mut buffer = [0u8; 128];
                let mut length = 0isize;
                let code = unsafe { SQLGetData(self.0, column, 1, buffer.as_mut_ptr().cast(), 128, &mut length) };
                self.check(code)?;
                row.push(String::from_utf8_lossy(&buffer[..length.max(0) as usize]).into_owned());
            }
            rows.push(row);
        };
        unsafe { SQLFreeStmt(self.0, 0) };
        outcome.map(|()| rows)
    }

    fn query(self, sql: &str, columns: u16) -> Result<Vec<Vec<String>>, Failure> {
        self.check(unsafe { SQLExecDirect(self.0, sql.as_ptr(), sql.len() as i32) })?;
        self.rows(columns)
    }

    /// `SELECT ? * 3` with `value` bound as a BIGINT parameter.
    fn times_three(self, value: i64) -> Result<Vec<Vec<String>>, Failure> {
        let mut value = value;
        let code = unsafe {
            SQLBindParameter(
                self.0,
                1,
                SQL_PARAM_INPUT,
                SQL_C_SBIGINT,
                SQL_BIGINT,
                0,
                0,
                (&mut value as *mut i64).cast(),
                8,
                null_mut(),
            )
        };
        self.check(code)?;
        let rows = self.query("SELECT ? * 3", 1);
        unsafe { SQLFreeStmt(self.0, SQL_RESET_PARAMS) };
        rows
    }

    /// The column names SQLColumns reports for `table`.
    fn column_names(self, table: &str) -> Result<Vec<String>, Failure> {
        let code = unsafe {
            SQLColumns(
                self.0,
                null_mut(),
                0,
                null_mut(),
                0,
                table.as_ptr(),
                table.len() as i16,
                null_mut(),
                0,
            )
        };
        self.check(code)?;
        let rows = self.rows(4)?;
        Ok(rows.into_iter().map(|mut row| row.swap_remove(3)).collect())
    }

    fn free(self) {
        assert_eq!(unsafe { SQLFreeHandle(HANDLE_STMT, self.0) }, SQL_SUCCESS);
    }
}

/// What the workers did, summed over threads.
#[derive(Default)]
struct Tally {
    statements: AtomicUsize,
    inserted: AtomicUsize,
}

/// Statement `round` of a worker: one of the mix, its answer checked. On the shared connection
/// another thread's statement reads an open result ahead, so no failure is allowed there either.
fn run_one(statement: Statement, table: &str, worker: usize, round: usize, shared: bool, tally: &Tally) {
    let n = round % 7 + 1;
    let outcome = match round % 6 {
        0 => statement
            .query(
                &format!("SELECT number, toString(number * {worker}) FROM numbers({n})"),
                2,
            )
            .map(|rows| {
                let expected: Vec<Vec<String>> = (0..n)
                    .map(|number| vec![number.to_string(), (number * worker).to_string()])
                    .collect();
                assert_eq!(rows, expected, "worker {worker} round {round}");
            }),
        1 => {
            let sql = format!("INSERT INTO {table} VALUES ({worker}, 'row {round}')");
            let inserted = statement.check(unsafe { SQLExecDirect(statement.0, sql.as_ptr(), sql.len() as i32) });
            inserted.map(|()| {
                tally.inserted.fetch_add(1, Ordering::Relaxed);
            })
        }
        2 => statement.times_three(round as i64).map(|rows| {
            assert_eq!(rows, [[(round * 3).to_string()]], "worker {worker} round {round}");
        }),
        3 => statement.column_names(table).map(|names| {
            assert_eq!(names, ["worker", "text"], "worker {worker} round {round}");
        }),
        4 => match statement.query("SELECT * FROM no_such_table_for_load", 1) {
            Err((state, message)) if state == "42S02" => {
                assert!(message.contains("no_such_table_for_load"), "{message}");
                Ok(())
            }
            other => panic!("a missing table gave {other:?}"),
        },
        _ => statement
            .query(
                &format!("SELECT sum(number), count() FROM numbers({})", round % 1000),
                2,
            )
            .map(|rows| {
                let count = round % 1000;
                let sum = count * count.saturating_sub(1) / 2;
                assert_eq!(
                    rows,
                    [[sum.to_string(), count.to_string()]],
                    "worker {worker} round {round}"
                );
            }),
    };
    tally.statements.fetch_add(1, Ordering::Relaxed);
    if let Err(failure) = outcome {
        panic!("worker {worker} round {round} (shared: {shared}): {failure:?}");
    }
}

/// One round on `server`: the workers and the churn thread, each running `statements` statements.
fn round(server: &common::Server, table: &str, statements: usize, tally: &Tally) {
    let shared = Handles::connect_server(server);
    std::thread::scope(|scope| {
        for worker in 0..THREADS {
            scope.spawn(move || {
                let own = Handles::connect_server(server);
                let statement = Statement(own.stmt);
                for round in 0..statements {
                    run_one(statement, table, worker, round, false, tally);
                }
            });
            let statement = Statement::on(shared.dbc);
            scope.spawn(move || {
                let worker = THREADS + worker;
                for round in 0..statements {
                    run_one(statement, table, worker, round, true, tally);
                }
                statement.free();
            });
        }
        scope.spawn(|| {
            for cycle in 0..statements * CHURN_PER_HUNDRED / 100 {
                let handles = Handles::connect_server(server);
                assert_eq!(handles.query_text(&format!("SELECT {cycle}")), [cycle.to_string()]);
                tally.statements.fetch_add(1, Ordering::Relaxed);
                assert_eq!(unsafe { SQLDisconnect(handles.dbc) }, SQL_SUCCESS);
                let mut handles = handles;
                // Disconnected: Drop must not free the statement or disconnect again.
                unsafe { SQLFreeHandle(HANDLE_STMT, handles.stmt) };
                handles.stmt = null_mut();
            }
        });
    });
    assert_eq!(shared.query_text("SELECT 'still usable'"), ["still usable"]);
}

/// Drops the test's table however the test ends, so a failed run leaves nothing in the shared
/// servers' default database (SQLAlchemy's compliance suite lists its tables).
struct TableDropper<'a> {
    admin: &'a Handles,
    table: &'a str,
}

impl Drop for TableDropper<'_> {
    fn drop(&mut self) {
        self.admin.execute(&format!("DROP TABLE IF EXISTS {}", self.table));
    }
}

fn run_load(statements: usize) {
    for server in common::servers() {
        let table = common::unique_table("load");
        let admin = Handles::connect_server(&server);
        admin.ok(admin.execute(&format!(
            "CREATE TABLE {table} (worker UInt64, text String) ENGINE = Memory"
        )));
        let _dropper = TableDropper {
            admin: &admin,
            table: &table,
        };
        let warm_up = Tally::default();
        round(&server, &table, statements / 10 + 6, &warm_up);
        let rss_start = rss_kb();
        let tally = Tally::default();
        let started = Instant::now();
        round(&server, &table, statements, &tally);
        let elapsed = started.elapsed();
        let rss_end = rss_kb();
        let total = tally.statements.load(Ordering::Relaxed);
        println!(
            "load on {}: {total} statements in {:.1} s = {:.0} statements/s; VmRSS after warm-up {rss_start} kB, \
             at the end {rss_end} kB",
            server.name,
            elapsed.as_secs_f64(),
            total as f64 / elapsed.as_secs_f64(),
        );
        let inserted = warm_up.inserted.load(Ordering::Relaxed) + tally.inserted.load(Ordering::Relaxed);
        assert_eq!(
            admin.query_text(&format!("SELECT count() FROM {table}")),
            [inserted.to_string()],
            "every INSERT reported done is stored"
        );
        // Generous: allocator caches and thread stacks may grow, a leak per statement would not fit.
        assert!(
            rss_end <= rss_start + rss_start / 2 + 32 * 1024,
            "VmRSS grew from {rss_start} kB to {rss_end} kB"
        );
    }
}

#[test]
fn many_threads_and_connections_stay_correct_and_flat() {
    run_load(statements_per_thread(600));
}

/// A short round of the load test in this same binary under valgrind memcheck: any error fails.
#[test]
fn a_short_load_is_clean_under_memcheck() {
    let output = std::process::Command::new("valgrind")
        .args([
            "--tool=memcheck",
            "--error-exitcode=1",
            "--num-callers=40",
            "--leak-check=no",
        ])
        .arg(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "many_threads_and_connections_stay_correct_and_flat",
            "--nocapture",
        ])
        .env("BYTEHOUSE_LOAD_STATEMENTS", "30")
        .output()
        .expect("valgrind runs");
    let report = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "memcheck found errors:\n{stdout}\n{report}");
    assert!(stdout.contains("1 passed"), "{stdout}\n{report}");
    println!(
        "{}",
        report
            .lines()
            .filter(|line| line.contains("ERROR SUMMARY"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// What the shared-connection workers ran into: a failing statement while another statement's
/// result is open must never end that result early; the result is read ahead and stays whole.
#[test]
fn a_failed_statement_does_not_end_another_result_silently() {
    for server in common::servers() {
        let handles = Handles::connect_server(&server);
        let reader = Statement::on(handles.dbc);
        let sql = "SELECT number FROM numbers(10)";
        reader
            .check(unsafe { SQLExecDirect(reader.0, sql.as_ptr(), sql.len() as i32) })
            .unwrap();
        let failing = Statement(handles.stmt);
        assert_eq!(
            failing.query("SELECT * FROM no_such_table_for_load", 1).unwrap_err().0,
            "42S02"
        );
        let rows = reader
            .rows(1)
            .unwrap_or_else(|failure| panic!("{failure:?} on {}", server.name));
        let expected: Vec<Vec<String>> = (0..10).map(|n| vec![n.to_string()]).collect();
        assert_eq!(rows, expected, "on {}", server.name);
        reader.free();
    }
}
