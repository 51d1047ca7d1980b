//! The exported ODBC functions called directly, as a C program linking libbytehouse.so would, with
//! no driver manager in between; against both test servers.

mod common;

use std::ffi::c_void;
use std::ptr::null_mut;

use bytehouse::ffi::*;
use bytehouse::odbc::functions::EXPORTED_FUNCTIONS;
use common::c_abi::{HANDLE_DBC, HANDLE_ENV, HANDLE_STMT, Handles};
use common::{diagnostic, servers};

const NTS: i16 = -3;
const C_CHAR: i16 = 1;
const C_WCHAR: i16 = -8;
const C_SLONG: i16 = -16;
const C_UBIGINT: i16 = -27;
const C_DOUBLE: i16 = 8;
const C_TYPE_TIMESTAMP: i16 = 93;

fn connection_string(port: u16) -> String {
    format!("Host={};Port={port}", common::host())
}

fn text(stmt: *mut c_void, column: u16) -> Option<String> {
    let mut buffer = [0u8; 256];
    let mut indicator = 0isize;
    let code = unsafe { SQLGetData(stmt, column, C_CHAR, buffer.as_mut_ptr().cast(), 256, &mut indicator) };
    assert_eq!(code, SQL_SUCCESS);
    (indicator >= 0).then(|| String::from_utf8_lossy(&buffer[..indicator as usize]).into_owned())
}

#[test]
fn select_describe_fetch_and_get_data() {
    for server in servers() {
        let handles = Handles::connect(&connection_string(server.port)).unwrap();
        let sql = "SELECT number AS n, toString(number) AS s, if(number = 1, NULL, number / 4) AS f, \
                   toDateTime(number) AS t FROM numbers(3)";
        assert_eq!(handles.execute(sql), SQL_SUCCESS, "{}", server.name);
        let mut columns = 0i16;
        unsafe { SQLNumResultCols(handles.stmt, &mut columns) };
        assert_eq!(columns, 4);

        let mut name = [0u16; 8];
        let (mut name_length, mut data_type, mut size, mut digits, mut nullable) = (0i16, 0i16, 0usize, 0i16, 0i16);
        let code = unsafe {
            SQLDescribeColW(
                handles.stmt,
                3,
                name.as_mut_ptr(),
                8,
                &mut name_length,
                &mut data_type,
                &mut size,
                &mut digits,
                &mut nullable,
            )
        };
        assert_eq!(code, SQL_SUCCESS);
        assert_eq!(
            (String::from_utf16_lossy(&name[..1]), name_length, data_type, nullable),
            ("f".into(), 1, 8, 1)
        );
        let mut unsigned = 0isize;
        unsafe { SQLColAttribute(handles.stmt, 1, 8, null_mut(), 0, null_mut(), &mut unsigned) };
        assert_eq!(unsigned, 1, "UInt64 is unsigned");

        let mut rows = Vec::new();
        while unsafe { SQLFetch(handles.stmt) } == SQL_SUCCESS {
            let mut number = 0u64;
            let code = unsafe {
                SQLGetData(
                    handles.stmt,
                    1,
                    C_UBIGINT,
                    (&mut number as *mut u64).cast(),
                    8,
                    null_mut(),
                )
            };
            assert_eq!(code, SQL_SUCCESS);
            let mut float = 0f64;
            let mut indicator = 0isize;
            unsafe {
                SQLGetData(
                    handles.stmt,
                    3,
                    C_DOUBLE,
                    (&mut float as *mut f64).cast(),
                    8,
                    &mut indicator,
                )
            };
            let mut timestamp = [0u16; 8];
            let code = unsafe {
                SQLGetData(
                    handles.stmt,
                    4,
                    C_TYPE_TIMESTAMP,
                    timestamp.as_mut_ptr().cast(),
                    16,
                    null_mut(),
                )
            };
            assert_eq!(code, SQL_SUCCESS);
            rows.push((
                number,
                text(handles.stmt, 2),
                (indicator != -1).then_some(float),
                timestamp[5],
            ));
        }
        assert_eq!(
            rows,
            [
                (0, Some("0".into()), Some(0.0), 0),
                (1, Some("1".into()), None, 1),
                (2, Some("2".into()), Some(0.5), 2)
            ],
            "{}",
            server.name
        );
        assert_eq!(unsafe { SQLFetch(handles.stmt) }, SQL_NO_DATA);
    }
}

#[test]
fn long_text_comes_in_pieces_in_both_encodings() {
    let server = &servers()[0];
    let handles = Handles::connect(&connection_string(server.port)).unwrap();
    let expected = format!("{}end", "é".repeat(10));
    assert_eq!(handles.execute(&format!("SELECT '{expected}' AS s")), SQL_SUCCESS);
    assert_eq!(unsafe { SQLFetch(handles.stmt) }, SQL_SUCCESS);
    let mut collected = Vec::new();
    let mut buffer = [0u16; 4];
    let mut indicator = 0isize;
    loop {
        let code = unsafe { SQLGetData(handles.stmt, 1, C_WCHAR, buffer.as_mut_ptr().cast(), 8, &mut indicator) };
        match code {
            SQL_SUCCESS_WITH_INFO => {
                assert_eq!(diagnostic(HANDLE_STMT, handles.stmt).0, "01004");
                collected.extend_from_slice(&buffer[..3]);
            }
            SQL_SUCCESS => {
                collected.extend_from_slice(&buffer[..indicator as usize / 2]);
                break;
            }
            other => panic!("SQLGetData returned {other}"),
        }
    }
    assert_eq!(String::from_utf16_lossy(&collected), expected);
    assert_eq!(
        unsafe { SQLGetData(handles.stmt, 1, C_CHAR, buffer.as_mut_ptr().cast(), 8, &mut indicator) },
        SQL_NO_DATA
    );
}

#[test]
fn errors_carry_sqlstate_and_server_message() {
    for server in servers() {
        let handles = Handles::connect(&connection_string(server.port)).unwrap();
        assert_eq!(handles.execute("SELEC 1"), SQL_ERROR);
        let (state, message) = diagnostic(HANDLE_STMT, handles.stmt);
        assert_eq!(state, "42000", "{message}");
        assert!(message.contains("Syntax error"), "{message}");
        assert_eq!(handles.execute("SELECT * FROM missing_table_xyz"), SQL_ERROR);
        assert_eq!(diagnostic(HANDLE_STMT, handles.stmt).0, "42S02");
        assert_eq!(
            handles.execute("SELECT 7"),
            SQL_SUCCESS,
            "{}: still usable",
            server.name
        );
        assert_eq!(unsafe { SQLFetch(handles.stmt) }, SQL_SUCCESS);
        assert_eq!(text(handles.stmt, 1).as_deref(), Some("7"));
        let mut number = 0i32;
        let code = unsafe {
            SQLGetData(
                handles.stmt,
                2,
                C_SLONG,
                (&mut number as *mut i32).cast(),
                4,
                null_mut(),
            )
        };
        assert_eq!(
            (code, diagnostic(HANDLE_STMT, handles.stmt).0.as_str()),
            (SQL_ERROR, "07009")
        );
    }
}

#[test]
fn refused_logins_and_bad_strings_are_diagnosed() {
    let server = &servers()[0];
    let wrong = format!("{};UID=default;PWD=wrong-password-123", connection_string(server.port));
    let (state, message) = Handles::connect(&wrong).err().expect("a wrong password is refused");
    assert_eq!(state, "28000", "{message}");
    assert!(!message.contains("wrong-password-123"), "{message}");
    let (state, message) = Handles::connect("Host=127.0.0.1;Port=1")
        .err()
        .expect("nothing listens on port 1");
    assert_eq!(state, "08001", "{message}");
    let (_, message) = Handles::connect("Port=9000").err().expect("no host");
    assert!(message.to_lowercase().contains("host"), "{message}");
}

#[test]
fn invalid_handles_are_refused_not_dereferenced() {
    let mut garbage = [0u8; 64];
    let bogus: *mut c_void = garbage.as_mut_ptr().cast();
    unsafe {
        assert_eq!(
            SQLExecDirect(bogus, "SELECT 1".as_ptr(), NTS.into()),
            SQL_INVALID_HANDLE
        );
        assert_eq!(SQLFetch(null_mut()), SQL_INVALID_HANDLE);
        assert_eq!(SQLFreeHandle(HANDLE_STMT, bogus), SQL_INVALID_HANDLE);
        let mut env = null_mut();
        assert_eq!(SQLAllocHandle(HANDLE_ENV, null_mut(), &mut env), SQL_SUCCESS);
        // An environment handle is not a connection handle.
        assert_eq!(SQLDisconnect(env), SQL_INVALID_HANDLE);
        assert_eq!(SQLFreeHandle(HANDLE_ENV, env), SQL_SUCCESS);
        assert_eq!(SQLFreeHandle(HANDLE_ENV, env), SQL_INVALID_HANDLE, "double free");
    }
}

#[test]
fn get_functions_matches_the_exported_symbols() {
    let library = common::library();
    let output = std::process::Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(&library)
        .output()
        .unwrap();
    let symbols = String::from_utf8_lossy(&output.stdout);
    let exported: std::collections::BTreeSet<&str> = symbols
        .lines()
        .filter_map(|line| line.split_whitespace().last())
        .filter(|name| name.starts_with("SQL"))
        .map(|name| name.strip_suffix('W').unwrap_or(name))
        .collect();
    let declared: std::collections::BTreeSet<&str> = EXPORTED_FUNCTIONS.iter().map(|(_, name)| *name).collect();
    assert_eq!(exported, declared, "{}", library.display());
}

#[test]
fn row_wise_block_fetch_with_bind_offset_and_row_status() {
    #[repr(C)]
    #[derive(Clone, Copy, Default, Debug)]
    struct Row {
        number: i32,
        number_indicator: isize,
        text: [u8; 4],
        text_indicator: isize,
    }
    let server = &servers()[0];
    let handles = Handles::connect(&connection_string(server.port)).unwrap();
    // Two arrays; columns are bound to the first, SQL_ATTR_ROW_BIND_OFFSET_PTR moves them to the second.
    let mut unused = [Row::default(); 4];
    let mut rows = [Row::default(); 4];
    let mut statuses = [99u16; 4];
    let mut fetched = 0usize;
    let offset: isize = rows.as_mut_ptr() as isize - unused.as_mut_ptr() as isize;
    let stmt = handles.stmt;
    let fetch = || unsafe { SQLFetch(stmt) };
    unsafe {
        assert_eq!(SQLSetStmtAttr(stmt, 5, size_of::<Row>() as *mut c_void, 0), SQL_SUCCESS);
        assert_eq!(SQLSetStmtAttr(stmt, 27, 4 as *mut c_void, 0), SQL_SUCCESS);
        assert_eq!(
            SQLSetStmtAttr(stmt, 23, (&offset as *const isize) as *mut c_void, 0),
            SQL_SUCCESS
        );
        assert_eq!(SQLSetStmtAttr(stmt, 25, statuses.as_mut_ptr().cast(), 0), SQL_SUCCESS);
        assert_eq!(
            SQLSetStmtAttr(stmt, 26, (&mut fetched as *mut usize).cast(), 0),
            SQL_SUCCESS
        );
        let first = &mut unused[0];
        let bound = SQLBindCol(
            stmt,
            1,
            C_SLONG,
            (&mut first.number as *mut i32).cast(),
            4,
            &mut first.number_indicator,
        );
        assert_eq!(bound, SQL_SUCCESS);
        let bound = SQLBindCol(
            stmt,
            2,
            C_CHAR,
            first.text.as_mut_ptr().cast(),
            4,
            &mut first.text_indicator,
        );
        assert_eq!(bound, SQL_SUCCESS);
    }
    let sql = "SELECT toInt32(number) * 10, if(number = 4, NULL, concat('ab', toString(number * 100))) FROM numbers(6)";
    assert_eq!(handles.execute(sql), SQL_SUCCESS);

    // Row 0 fits; rows 1 to 3 are cut to 3 bytes and say so.
    assert_eq!(fetch(), SQL_SUCCESS_WITH_INFO);
    assert_eq!(diagnostic(HANDLE_STMT, stmt).0, "01004");
    assert_eq!((fetched, statuses), (4, [0, 6, 6, 6]));
    let numbers: Vec<i32> = rows.iter().map(|row| row.number).collect();
    assert_eq!(numbers, [0, 10, 20, 30]);
    assert_eq!((&rows[0].text, rows[0].text_indicator), (b"ab0\0", 3));
    assert_eq!((&rows[1].text, rows[1].text_indicator), (b"ab1\0", 5));

    // The last two rows: a NULL, then a cut text; the rest of the rowset is empty.
    assert_eq!(fetch(), SQL_SUCCESS_WITH_INFO);
    assert_eq!((fetched, statuses), (2, [0, 6, 3, 3]));
    assert_eq!((rows[0].number, rows[0].text_indicator), (40, -1));
    assert_eq!((rows[1].number, &rows[1].text), (50, b"ab5\0"));
    assert_eq!(fetch(), SQL_NO_DATA);
    assert_eq!(fetched, 0);
    assert!(
        unused.iter().all(|row| row.number == 0 && row.text_indicator == 0),
        "writes follow the offset"
    );
}

/// Runs a never-ending count to its end (which only a cancel or a timeout brings); returns the
/// code of the call that failed and its SQLSTATE.
fn run_endless_count(stmt: *mut c_void) -> (i16, String) {
    let sql = "SELECT count() FROM system.numbers";
    let mut code = unsafe { SQLExecDirect(stmt, sql.as_ptr(), sql.len() as i32) };
    if code == SQL_SUCCESS {
        code = unsafe { SQLFetch(stmt) };
    }
    let state = if code == SQL_ERROR {
        diagnostic(HANDLE_STMT, stmt).0
    } else {
        String::new()
    };
    (code, state)
}

#[test]
fn sql_cancel_from_another_thread_and_query_timeout() {
    struct SendHandle(*mut c_void);
    // SAFETY: ODBC handles may be used from any thread; SQLCancel is made for exactly that.
    unsafe impl Send for SendHandle {}

    for server in servers() {
        let handles = Handles::connect(&connection_string(server.port)).unwrap();
        let target = SendHandle(handles.stmt);
        let canceller = std::thread::spawn(move || {
            let target = target;
            std::thread::sleep(std::time::Duration::from_millis(300));
            unsafe { SQLCancel(target.0) }
        });
        let started = std::time::Instant::now();
        assert_eq!(
            run_endless_count(handles.stmt),
            (SQL_ERROR, "HY008".to_string()),
            "{}",
            server.name
        );
        assert_eq!(canceller.join().unwrap(), SQL_SUCCESS);
        assert!(started.elapsed() < std::time::Duration::from_secs(10));

        unsafe {
            assert_eq!(
                SQLSetStmtAttr(handles.stmt, 0, std::ptr::without_provenance_mut(1), 0),
                SQL_SUCCESS
            )
        };
        let started = std::time::Instant::now();
        assert_eq!(
            run_endless_count(handles.stmt),
            (SQL_ERROR, "HYT00".to_string()),
            "{}",
            server.name
        );
        assert!(started.elapsed() < std::time::Duration::from_secs(10));

        assert_eq!(
            handles.execute("SELECT 5"),
            SQL_SUCCESS,
            "{}: usable after cancel and timeout",
            server.name
        );
        assert_eq!(unsafe { SQLFetch(handles.stmt) }, SQL_SUCCESS);
        assert_eq!(text(handles.stmt, 1).as_deref(), Some("5"));
    }
}

#[test]
fn odbc2_error_consumes_records() {
    let server = &servers()[0];
    let handles = Handles::connect(&connection_string(server.port)).unwrap();
    assert_eq!(handles.execute("SELEC 1"), SQL_ERROR);
    let next = |state: &mut [u8; 6], native: &mut i32| {
        let mut message = [0u8; 64];
        let mut length = 0i16;
        unsafe {
            SQLError(
                null_mut(),
                null_mut(),
                handles.stmt,
                state.as_mut_ptr(),
                native,
                message.as_mut_ptr(),
                64,
                &mut length,
            )
        }
    };
    let (mut state, mut native) = ([0u8; 6], 0i32);
    assert_eq!(
        next(&mut state, &mut native),
        SQL_SUCCESS_WITH_INFO,
        "a long message is cut to the buffer"
    );
    assert_eq!((&state[..5], native), (&b"42000"[..], 62));
    assert_eq!(next(&mut state, &mut native), SQL_NO_DATA);
}

#[test]
fn driver_log_has_timings_and_never_the_password() {
    let server = &servers()[0];
    let path = std::env::temp_dir().join(common::unique_table("bytehouse_driver_log"));
    let base = format!("{};LogFile={}", connection_string(server.port), path.display());
    let refused = Handles::connect(&format!("{base};PWD=secret-pass-9f2"))
        .err()
        .expect("wrong password");
    assert_eq!(refused.0, "28000");
    let handles = Handles::connect(&base).unwrap();
    assert_eq!(handles.execute("SELECT 'logged' AS x"), SQL_SUCCESS);
    drop(handles);
    let log = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).ok();
    assert!(log.contains("connect ") && log.contains("failed"), "{log}");
    assert!(log.contains("execute SELECT 'logged' AS x: 1 columns ("), "{log}");
    assert!(log.contains(" ms)"), "{log}");
    assert!(!log.contains("secret-pass-9f2"), "{log}");
}

#[test]
fn escape_sequences_are_translated() {
    for server in servers() {
        let handles = Handles::connect(&connection_string(server.port)).unwrap();
        let sql = "SELECT {fn UCASE('abc')}, {d '2020-01-02'}, {fn CONCAT('{not', ' an escape}')}";
        assert_eq!(
            handles.execute(sql),
            SQL_SUCCESS,
            "{}: {:?}",
            server.name,
            diagnostic(HANDLE_STMT, handles.stmt)
        );
        assert_eq!(unsafe { SQLFetch(handles.stmt) }, SQL_SUCCESS);
        assert_eq!(text(handles.stmt, 1).as_deref(), Some("ABC"));
        assert_eq!(text(handles.stmt, 2).as_deref(), Some("2020-01-02"));
        assert_eq!(text(handles.stmt, 3).as_deref(), Some("{not an escape}"));

        let mut out = [0u8; 128];
        let mut length = 0i32;
        let input = "SELECT {fn LCASE(x)} FROM t";
        let code = unsafe {
            SQLNativeSql(
                handles.dbc,
                input.as_ptr(),
                input.len() as i32,
                out.as_mut_ptr(),
                128,
                &mut length,
            )
        };
        assert_eq!(code, SQL_SUCCESS);
        assert_eq!(&out[..length as usize], b"SELECT lower(x) FROM t");

        assert_eq!(handles.execute("SELECT {fn NO_SUCH_FUNCTION(1)}"), SQL_ERROR);
        assert_eq!(diagnostic(HANDLE_STMT, handles.stmt).0, "HYC00");
    }
}

#[test]
fn string_max_length_sets_the_size_of_string_columns() {
    for server in servers() {
        let handles = Handles::connect(&format!("{};StringMaxLength=100", connection_string(server.port))).unwrap();
        assert_eq!(handles.execute("SELECT 'abc' AS s, [1, 2] AS a"), SQL_SUCCESS);
        for column in [1, 2] {
            let (mut data_type, mut size) = (0i16, 0usize);
            let code = unsafe {
                SQLDescribeCol(
                    handles.stmt,
                    column,
                    null_mut(),
                    0,
                    null_mut(),
                    &mut data_type,
                    &mut size,
                    null_mut(),
                    null_mut(),
                )
            };
            assert_eq!((code, data_type, size), (SQL_SUCCESS, 12, 100), "{}", server.name);
        }
        unsafe { SQLCloseCursor(handles.stmt) };
        assert_eq!(unsafe { SQLGetTypeInfo(handles.stmt, 12) }, SQL_SUCCESS);
        let mut sizes = Vec::new();
        while unsafe { SQLFetch(handles.stmt) } == SQL_SUCCESS {
            sizes.push((text(handles.stmt, 1), text(handles.stmt, 3)));
        }
        assert!(
            sizes.contains(&(Some("String".into()), Some("100".into()))),
            "{sizes:?}"
        );
    }
}

#[test]
fn row_count_of_an_insert_is_its_rows_on_both_servers() {
    for server in servers() {
        let handles = Handles::connect(&connection_string(server.port)).unwrap();
        let table = common::unique_table("row_count");
        assert_eq!(
            handles.execute(&format!("CREATE TABLE {table} (n Int32) ENGINE = Memory")),
            SQL_SUCCESS
        );
        assert_eq!(
            handles.execute(&format!("INSERT INTO {table} VALUES (1), (2), (3)")),
            SQL_SUCCESS
        );
        let mut count = 0isize;
        assert_eq!(unsafe { SQLRowCount(handles.stmt, &mut count) }, SQL_SUCCESS);
        assert_eq!(count, 3, "{}", server.name);
        assert_eq!(handles.execute(&format!("DROP TABLE {table}")), SQL_SUCCESS);
    }
}

#[test]
fn cursor_names_are_kept_and_made_up() {
    let server = &servers()[0];
    let handles = Handles::connect(&connection_string(server.port)).unwrap();
    let mut name = [0u8; 32];
    let mut length = 0i16;
    let code = unsafe { SQLGetCursorName(handles.stmt, name.as_mut_ptr(), 32, &mut length) };
    assert_eq!(code, SQL_SUCCESS);
    assert!(name.starts_with(b"SQL_CUR"), "{:?}", &name[..length as usize]);
    let chosen = "orders";
    assert_eq!(
        unsafe { SQLSetCursorName(handles.stmt, chosen.as_ptr(), 6) },
        SQL_SUCCESS
    );
    let mut wide = [0u16; 4];
    let code = unsafe { SQLGetCursorNameW(handles.stmt, wide.as_mut_ptr(), 4, &mut length) };
    assert_eq!(
        (code, length, String::from_utf16_lossy(&wide[..3])),
        (SQL_SUCCESS_WITH_INFO, 6, "ord".into())
    );
    let reserved = "SQL_CUR1";
    assert_eq!(
        unsafe { SQLSetCursorName(handles.stmt, reserved.as_ptr(), 8) },
        SQL_ERROR
    );
    assert_eq!(diagnostic(HANDLE_STMT, handles.stmt).0, "34000");
}

/// Handles used from several threads at once: connections of their own, and statements sharing one
/// connection (whose calls the connection serializes; each keeps its own results and diagnostics).
#[test]
fn handles_are_safe_to_use_from_several_threads() {
    struct Shared(*mut c_void);
    // SAFETY: ODBC handles may be used from any thread; the driver locks what they share.
    unsafe impl Send for Shared {}
    unsafe impl Sync for Shared {}

    for server in servers() {
        let own: Vec<_> = (0..4)
            .map(|worker| {
                let address = connection_string(server.port);
                std::thread::spawn(move || {
                    let handles = Handles::connect(&address).unwrap();
                    for round in 0..20 {
                        let sql = format!("SELECT {worker} * 1000 + {round}");
                        assert_eq!(handles.execute(&sql), SQL_SUCCESS);
                        assert_eq!(unsafe { SQLFetch(handles.stmt) }, SQL_SUCCESS);
                        assert_eq!(text(handles.stmt, 1), Some((worker * 1000 + round).to_string()));
                        unsafe { SQLCloseCursor(handles.stmt) };
                    }
                })
            })
            .collect();
        for worker in own {
            worker.join().unwrap();
        }

        let handles = Handles::connect(&connection_string(server.port)).unwrap();
        let connection = std::sync::Arc::new(Shared(handles.dbc));
        let sharing: Vec<_> = (0..4)
            .map(|worker| {
                let connection = connection.clone();
                std::thread::spawn(move || {
                    let mut stmt = null_mut();
                    assert_eq!(
                        unsafe { SQLAllocHandle(HANDLE_STMT, connection.0, &mut stmt) },
                        SQL_SUCCESS
                    );
                    for round in 0..20 {
                        // Each statement reads its whole (one-row) result in one go, or fails
                        // cleanly if another statement ran in between: never a wrong value.
                        let sql = format!("SELECT {worker} * 1000 + {round}");
                        if unsafe { SQLExecDirect(stmt, sql.as_ptr(), sql.len() as i32) } == SQL_SUCCESS
                            && unsafe { SQLFetch(stmt) } == SQL_SUCCESS
                        {
                            assert_eq!(text(stmt, 1), Some((worker * 1000 + round).to_string()));
                        }
                        let bad = "SELECT * FROM no_such_table_for_threads";
                        assert_eq!(
                            unsafe { SQLExecDirect(stmt, bad.as_ptr(), bad.len() as i32) },
                            SQL_ERROR
                        );
                        assert_eq!(diagnostic(HANDLE_STMT, stmt).0, "42S02");
                    }
                    unsafe { SQLFreeHandle(HANDLE_STMT, stmt) };
                })
            })
            .collect();
        for worker in sharing {
            worker.join().unwrap();
        }
        assert_eq!(handles.execute("SELECT 1"), SQL_SUCCESS, "{}", server.name);
    }
}

#[test]
fn row_count_of_insert_select_is_known_or_minus_one() {
    for server in servers() {
        let handles = Handles::connect(&connection_string(server.port)).unwrap();
        let table = common::unique_table("row_count_select");
        assert_eq!(
            handles.execute(&format!("CREATE TABLE {table} (n UInt64) ENGINE = Memory")),
            SQL_SUCCESS
        );
        let sql = format!("INSERT INTO {table} SELECT number FROM numbers(4)");
        assert_eq!(handles.execute(&sql), SQL_SUCCESS);
        let mut count = 0isize;
        assert_eq!(unsafe { SQLRowCount(handles.stmt, &mut count) }, SQL_SUCCESS);
        // 18.16 does not report written rows (revision 54412 < 54420).
        assert_eq!(count, if server.is_modern() { 4 } else { -1 }, "{}", server.name);
        assert_eq!(handles.execute(&format!("DROP TABLE {table}")), SQL_SUCCESS);
    }
}

/// The statement attributes tools set before a query: fixed ones keep their value with 01S02,
/// SQL_ATTR_MAX_ROWS ends the result early, SQL_ATTR_NOSCAN leaves escapes alone.
#[test]
fn statement_attributes_tools_set() {
    let get = |handles: &Handles, attribute: i32| {
        let mut value = 0usize;
        let code = unsafe {
            SQLGetStmtAttr(
                handles.stmt,
                attribute,
                (&mut value as *mut usize).cast(),
                0,
                null_mut(),
            )
        };
        assert_eq!(code, SQL_SUCCESS, "attribute {attribute}");
        value
    };
    let set = |handles: &Handles, attribute: i32, value: usize| unsafe {
        SQLSetStmtAttr(handles.stmt, attribute, std::ptr::without_provenance_mut(value), 0)
    };
    for server in servers() {
        let handles = Handles::connect(&connection_string(server.port)).unwrap();
        // Forward-only, read-only: asking for a keyset cursor or lock concurrency changes the value.
        assert_eq!(set(&handles, 6, 0), SQL_SUCCESS);
        assert_eq!(set(&handles, 6, 1), SQL_SUCCESS_WITH_INFO);
        assert_eq!(diagnostic(HANDLE_STMT, handles.stmt).0, "01S02");
        assert_eq!((get(&handles, 6), get(&handles, 7)), (0, 1));
        assert_eq!(set(&handles, 7, 1), SQL_SUCCESS);
        assert_eq!(set(&handles, 12, 0), SQL_SUCCESS, "bookmarks off");
        assert_eq!(set(&handles, 123_456, 0), SQL_ERROR);
        assert_eq!(diagnostic(HANDLE_STMT, handles.stmt).0, "HY092");

        assert_eq!(set(&handles, 1, 3), SQL_SUCCESS);
        assert_eq!(handles.execute("SELECT number FROM numbers(10)"), SQL_SUCCESS);
        let mut fetched = 0;
        while unsafe { SQLFetch(handles.stmt) } == SQL_SUCCESS {
            fetched += 1;
            assert_eq!(get(&handles, 14), fetched, "SQL_ATTR_ROW_NUMBER");
        }
        assert_eq!(fetched, 3, "{}: SQL_ATTR_MAX_ROWS", server.name);
        unsafe { SQLCloseCursor(handles.stmt) };
        assert_eq!(set(&handles, 1, 0), SQL_SUCCESS);

        assert_eq!(set(&handles, 2, 1), SQL_SUCCESS);
        assert_eq!(
            handles.execute("SELECT {fn UCASE('a')}"),
            SQL_ERROR,
            "not translated with NOSCAN"
        );
        assert_eq!(set(&handles, 2, 0), SQL_SUCCESS);
        assert_eq!(handles.execute("SELECT {fn UCASE('a')}"), SQL_SUCCESS);
    }
}

/// SQL_ATTR_CURRENT_CATALOG is the database: before connecting it is the one to connect to, after
/// it switches with USE.
#[test]
fn current_catalog_is_the_database() {
    let catalog = |dbc: *mut c_void| {
        let mut name = [0u8; 64];
        let mut length = 0i32;
        let code = unsafe { SQLGetConnectAttr(dbc, 109, name.as_mut_ptr().cast(), 64, &mut length) };
        assert_eq!(code, SQL_SUCCESS);
        String::from_utf8_lossy(&name[..length as usize]).into_owned()
    };
    for server in servers() {
        let mut handles = Handles::allocate();
        let system = "system";
        assert_eq!(
            unsafe { SQLSetConnectAttr(handles.dbc, 109, system.as_ptr().cast_mut().cast(), system.len() as i32) },
            SQL_SUCCESS
        );
        handles.connect_with(&connection_string(server.port)).unwrap();
        assert_eq!(catalog(handles.dbc), "system", "{}", server.name);
        assert_eq!(handles.query_text("SELECT currentDatabase()"), ["system"]);
        let default = "default\0";
        assert_eq!(
            unsafe { SQLSetConnectAttr(handles.dbc, 109, default.as_ptr().cast_mut().cast(), -3) },
            SQL_SUCCESS
        );
        assert_eq!(
            handles.query_text("SELECT currentDatabase()"),
            ["default"],
            "{}",
            server.name
        );
        assert_eq!(catalog(handles.dbc), "default");
        let missing = "no_such_database_for_catalog";
        let code = unsafe {
            SQLSetConnectAttr(
                handles.dbc,
                109,
                missing.as_ptr().cast_mut().cast(),
                missing.len() as i32,
            )
        };
        assert_eq!(code, SQL_ERROR);
        assert!(
            diagnostic(HANDLE_DBC, handles.dbc).1.contains(missing),
            "{}",
            server.name
        );
    }
}

/// TLS through connection-string keys (the 18.16 test server has a TLS port): certificates are
/// verified by default, against CAFile when given, and not at all with SkipVerification.
#[test]
fn tls_keys_verify_by_default() {
    let base = format!("Host={};Port={};Secure=1", common::host(), common::tls_port());
    let ca = common::tls_ca();
    let with_ca = Handles::connect(&format!("{base};CAFile={}", ca.display())).expect("TLS with the test CA");
    assert_eq!(with_ca.query_text("SELECT 7"), ["7"]);
    let (state, message) = Handles::connect(&base).err().expect("an unknown CA is refused");
    assert_eq!(state, "08001", "{message}");
    assert!(message.to_lowercase().contains("certificate"), "{message}");
    let skipped = Handles::connect(&format!("{base};SkipVerification=1")).expect("verification off");
    assert_eq!(skipped.query_text("SELECT 8"), ["8"]);
}
