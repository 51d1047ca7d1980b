//! Per-statement options of the C API (`bh_query_options`) on both servers: settings the server
//! sees for that statement only, a rejected setting named with the server's code and message, the
//! statement's own timeout, progress reported through a callback, and misuse of the struct.

mod common;

use std::ffi::{CStr, CString, c_char, c_void};
use std::ptr::{null, null_mut};
use std::time::{Duration, Instant};

use bytehouse::capi::{bh_query_options, bh_setting};
use bytehouse::ffi::*;
use common::c_api::{connect, execute, execute_with, take};
use common::servers;

fn no_options() -> bh_query_options {
    bh_query_options {
        settings: null(),
        n_settings: 0,
        timeout_ms: 0,
        progress: None,
        progress_context: null_mut(),
    }
}

/// The texts of a one-column result's rows, read through the block views.
fn texts(connection: *mut bh_connection, sql: &str, options: *const bh_query_options) -> Vec<String> {
    let sql = CString::new(sql).unwrap();
    let mut error = null_mut();
    let mut texts = Vec::new();
    unsafe {
        let result = bh_query(connection, sql.as_ptr(), null(), 0, options, &mut error);
        assert!(!result.is_null(), "{sql:?}: {:?}", take(error));
        loop {
            let mut block = null_mut();
            assert_eq!(
                bh_result_next_block(result, &mut block, &mut error),
                0,
                "{:?}",
                take(error)
            );
            if block.is_null() {
                break;
            }
            let column = &*bh_block_column(block, 0);
            for row in 0..bh_block_rows(block) {
                let start = if row == 0 { 0 } else { *column.ends.add(row - 1) };
                let end = *column.ends.add(row);
                let bytes = std::slice::from_raw_parts(column.data.add(start), end - start);
                texts.push(String::from_utf8_lossy(bytes).into_owned());
            }
            bh_block_free(block);
        }
        bh_result_free(result);
    }
    texts
}

/// What the server's session shows for two settings (18.16 has no getSetting()).
const SHOWN: &str = "SELECT value FROM system.settings WHERE name IN ('max_block_size', 'max_threads') ORDER BY name";

#[test]
fn settings_apply_to_their_statement_only() {
    for server in servers() {
        let connection = connect(server.port);
        let before = texts(connection, SHOWN, null());
        let settings = [
            bh_setting {
                name: c"max_block_size".as_ptr(),
                value: c"777".as_ptr(),
            },
            bh_setting {
                name: c"max_threads".as_ptr(),
                value: c"3".as_ptr(),
            },
        ];
        let options = bh_query_options {
            settings: settings.as_ptr(),
            n_settings: settings.len(),
            ..no_options()
        };
        assert_eq!(texts(connection, SHOWN, &options), ["777", "3"], "{}", server.name);
        // numbers() makes blocks of max_block_size rows.
        let blocks = texts(
            connection,
            "SELECT toString(count()) FROM (SELECT blockNumber() FROM numbers(7770) GROUP BY blockNumber())",
            &options,
        );
        assert_eq!(blocks, ["10"], "{}", server.name);
        assert_eq!(texts(connection, SHOWN, null()), before, "{}", server.name);
        // Through bh_execute and bh_query_arrow too.
        let mut error = null_mut();
        unsafe {
            let sql = c"SELECT 1";
            assert_eq!(
                bh_execute(connection, sql.as_ptr(), null(), 0, &options, null_mut(), &mut error),
                0,
                "{}",
                server.name
            );
            let mut stream = std::mem::zeroed();
            assert_eq!(
                bh_query_arrow(
                    connection,
                    sql.as_ptr(),
                    null(),
                    0,
                    &options,
                    0,
                    &mut stream,
                    &mut error
                ),
                0,
                "{}",
                server.name
            );
            if let Some(release) = stream.release {
                release(&mut stream);
            }
            bh_connection_free(connection);
        }
    }
}

#[test]
fn a_rejected_setting_is_named_with_the_servers_code_and_the_connection_goes_on() {
    // A hostile name is a name the server does not know, never SQL of its own.
    let hostile = c"max_threads = 1, readonly` = 1; DROP TABLE x --";
    for (name, value, code) in [
        (c"max_block_size", c"lots", 0),
        (c"no_such_setting", c"1", 115),
        (hostile, c"1", 115),
    ] {
        for server in servers() {
            let connection = connect(server.port);
            let settings = [bh_setting {
                name: name.as_ptr(),
                value: value.as_ptr(),
            }];
            let options = bh_query_options {
                settings: settings.as_ptr(),
                n_settings: 1,
                ..no_options()
            };
            let mut error = null_mut();
            unsafe {
                let result = bh_query(connection, c"SELECT 1".as_ptr(), null(), 0, &options, &mut error);
                assert!(result.is_null(), "{}: {name:?} was taken", server.name);
            }
            let (sqlstate, server_code, message) = take(error);
            eprintln!(
                "{}: {name:?}={value:?}: [{sqlstate}] {server_code} {message}",
                server.name
            );
            assert!(server_code != 0, "{}: {message}", server.name);
            if code != 0 {
                assert_eq!(server_code, code, "{}: {message}", server.name);
            }
            assert!(message.contains(name.to_str().unwrap()), "{}: {message}", server.name);
            assert_eq!(
                texts(connection, "SELECT 'still here'", null()),
                ["still here"],
                "{}",
                server.name
            );
            unsafe { bh_connection_free(connection) };
        }
    }
}

#[test]
fn a_statements_timeout_cancels_it_with_hyt00() {
    for server in servers() {
        let connection = connect(server.port);
        let options = bh_query_options {
            timeout_ms: 300,
            ..no_options()
        };
        let started = Instant::now();
        let (code, error) = execute_with(connection, c"SELECT count() FROM system.numbers", &options);
        assert_eq!(code, -1, "{}", server.name);
        assert_eq!(take(error).0, "HYT00", "{}", server.name);
        assert!(started.elapsed() < Duration::from_secs(20), "{}", server.name);
        assert_eq!(
            texts(connection, "SELECT 'after'", null()),
            ["after"],
            "{}",
            server.name
        );
        unsafe { bh_connection_free(connection) };
    }
}

/// What the progress callback saw.
#[derive(Default)]
struct Seen {
    rows: Vec<u64>,
    bytes: Vec<u64>,
}

unsafe extern "C" fn record(context: *mut c_void, rows: u64, bytes: u64) {
    // SAFETY: the test passes a live `Seen`, used by this thread only.
    let seen = unsafe { &mut *context.cast::<Seen>() };
    seen.rows.push(rows);
    seen.bytes.push(bytes);
}

/// Settings for small blocks, and progress sent every millisecond instead of every 100.
fn frequent_progress() -> [bh_setting; 2] {
    [
        bh_setting {
            name: c"max_block_size".as_ptr(),
            value: c"10000".as_ptr(),
        },
        bh_setting {
            name: c"interactive_delay".as_ptr(),
            value: c"1000".as_ptr(),
        },
    ]
}

/// The rows [`SLOW_SUM`] sums.
const SLOW_SUM_ROWS: u64 = 300_000;
/// A sum whose blocks (of 10,000 rows with [`frequent_progress`]) take 20 ms each (sleepEachRow), so
/// that a fast server cannot finish before its first progress packet.
const SLOW_SUM: &CStr = c"SELECT toString(sum(cityHash64(number) % 2 + sleepEachRow(0.000002))) FROM numbers(300000)";

#[test]
fn progress_reaches_the_callback_with_growing_sums() {
    for server in servers() {
        let connection = connect(server.port);
        let mut seen = Seen::default();
        let settings = frequent_progress();
        let options = bh_query_options {
            settings: settings.as_ptr(),
            n_settings: settings.len(),
            progress: Some(record),
            progress_context: std::ptr::from_mut(&mut seen).cast(),
            ..no_options()
        };
        let sum = texts(connection, SLOW_SUM.to_str().unwrap(), &options);
        assert_eq!(sum.len(), 1, "{}", server.name);
        assert!(
            seen.rows.len() > 1 && seen.rows[0] < SLOW_SUM_ROWS,
            "{}: {:?}",
            server.name,
            seen.rows
        );
        assert!(
            seen.rows.is_sorted() && seen.bytes.is_sorted(),
            "{}: {:?}",
            server.name,
            seen.rows
        );
        assert_eq!(seen.rows.last(), Some(&SLOW_SUM_ROWS), "{}", server.name);
        eprintln!("{}: {} progress calls", server.name, seen.rows.len());
        // A later statement without a callback does not call it.
        let calls = seen.rows.len();
        execute(connection, "SELECT sum(number) FROM numbers(100000)");
        assert_eq!(seen.rows.len(), calls, "{}", server.name);
        unsafe { bh_connection_free(connection) };
    }
}

#[test]
fn misused_options_are_argument_errors() {
    let server = &servers()[0];
    let connection = connect(server.port);
    let good = c"1".as_ptr();
    let setting = |name: *const c_char, value: *const c_char| bh_setting { name, value };
    let cases: [(Vec<bh_setting>, Option<usize>, &str); 6] = [
        (vec![setting(null(), good)], None, "NULL or non-UTF-8 name"),
        (
            vec![setting(c"max_threads".as_ptr(), null())],
            None,
            "NULL or non-UTF-8 value",
        ),
        (vec![setting(c"".as_ptr(), good)], None, "empty name"),
        (vec![setting(c"\xff".as_ptr(), good)], None, "non-UTF-8 name"),
        (
            vec![setting(c"max_threads".as_ptr(), good)],
            Some(usize::MAX),
            "at most 4096",
        ),
        (Vec::new(), Some(2), "at NULL"),
    ];
    for (settings, count, expected) in cases {
        let options = bh_query_options {
            settings: if settings.is_empty() { null() } else { settings.as_ptr() },
            n_settings: count.unwrap_or(settings.len()),
            ..no_options()
        };
        let (code, error) = execute_with(connection, c"SELECT 1", &options);
        assert_eq!(code, -1, "{expected}");
        let (sqlstate, _, message) = take(error);
        assert_eq!(sqlstate, "HY009", "{message}");
        assert!(message.contains(expected), "{message}");
    }
    execute(connection, "SELECT 1");
    unsafe { bh_connection_free(connection) };
}

/// What a callback that calls back into the library saw.
struct Reentry {
    connection: *mut bh_connection,
    cancel: bool,
    refusals: Vec<(i32, String)>,
}

unsafe extern "C" fn call_back_in(context: *mut c_void, _rows: u64, _bytes: u64) {
    // SAFETY: the test passes a live `Reentry`, used by this thread only.
    let reentry = unsafe { &mut *context.cast::<Reentry>() };
    if reentry.cancel {
        // SAFETY: a live connection; cancelling from the callback is allowed.
        assert_eq!(unsafe { bh_cancel(reentry.connection) }, 0);
        return;
    }
    // Refused, not run.
    let (code, error) = execute_with(reentry.connection, c"SELECT 1", null());
    reentry.refusals.push((code, take(error).0));
}

#[test]
fn a_callback_may_cancel_but_not_wait_for_its_own_connection() {
    let settings = frequent_progress();
    for server in servers() {
        for cancel in [false, true] {
            let connection = connect(server.port);
            let mut reentry = Reentry {
                connection,
                cancel,
                refusals: Vec::new(),
            };
            let options = bh_query_options {
                settings: settings.as_ptr(),
                n_settings: settings.len(),
                progress: Some(call_back_in),
                progress_context: std::ptr::from_mut(&mut reentry).cast(),
                ..no_options()
            };
            let started = Instant::now();
            let (code, error) = execute_with(connection, SLOW_SUM, &options);
            assert!(started.elapsed() < Duration::from_secs(30), "{}", server.name);
            if cancel {
                assert_eq!((code, take(error).0.as_str()), (-1, "HY008"), "{}", server.name);
            } else {
                assert_eq!(code, 0, "{}: {:?}", server.name, take(error));
                assert!(!reentry.refusals.is_empty(), "{}", server.name);
                assert!(
                    reentry
                        .refusals
                        .iter()
                        .all(|(code, sqlstate)| *code == -1 && sqlstate == "HY010"),
                    "{}: {:?}",
                    server.name,
                    reentry.refusals
                );
            }
            assert_eq!(
                texts(connection, "SELECT 'after'", null()),
                ["after"],
                "{}",
                server.name
            );
            unsafe { bh_connection_free(connection) };
        }
    }
}
