//! The ADBC entry points called directly, as a C driver manager would: the 1.1.0 and 1.0.0 tables,
//! queries and ingest on both servers, failures with their status, SQLSTATE and server code, and
//! misuse (NULL handles, options after init, releasing twice, a version it does not know).

mod common;

use std::ffi::{CStr, CString, c_char, c_void};
use std::ptr::{null, null_mut};

use bytehouse::arrow::{ArrowArray, ArrowArrayStream, ArrowSchema};
use bytehouse::ffi::adbc::{AdbcDriver, AdbcDriverInit, AdbcError, AdbcHandle};
use common::{host, servers, unique_table};

const VERSION_1_0_0: i32 = 1_000_000;
const VERSION_1_1_0: i32 = 1_001_000;
const OK: u8 = 0;
const NOT_IMPLEMENTED: u8 = 2;
const NOT_FOUND: u8 = 3;
const ALREADY_EXISTS: u8 = 4;
const INVALID_ARGUMENT: u8 = 5;
const INVALID_STATE: u8 = 6;
const IO: u8 = 10;

fn driver() -> AdbcDriver {
    // SAFETY: a zeroed table is what a manager passes (every member NULL).
    let mut driver: AdbcDriver = unsafe { std::mem::zeroed() };
    let status = unsafe { AdbcDriverInit(VERSION_1_1_0, (&raw mut driver).cast(), null_mut()) };
    assert_eq!(status, OK);
    driver
}

fn handle() -> AdbcHandle {
    AdbcHandle {
        private_data: null_mut(),
        private_driver: null_mut(),
    }
}

/// A 1.1 error, as the Python driver manager passes it.
fn new_error() -> AdbcError {
    AdbcError {
        message: null_mut(),
        vendor_code: i32::MIN,
        sqlstate: [0; 5],
        release: None,
        private_data: null_mut(),
        private_driver: null_mut(),
    }
}

/// A failure's message, SQLSTATE and error details, the error released.
fn take(driver: &AdbcDriver, error: &mut AdbcError) -> (String, String, Vec<(String, String)>) {
    unsafe {
        let message = CStr::from_ptr(error.message).to_string_lossy().into_owned();
        let sqlstate = String::from_utf8_lossy(&error.sqlstate.map(|byte| byte as u8)).into_owned();
        let count = (*error.private_driver).ErrorGetDetailCount.unwrap()(error);
        let details = (0..count)
            .map(|index| {
                let detail = driver.ErrorGetDetail.unwrap()(error, index);
                let value = std::slice::from_raw_parts(detail.value, detail.value_length);
                (
                    CStr::from_ptr(detail.key).to_string_lossy().into_owned(),
                    String::from_utf8_lossy(value).into_owned(),
                )
            })
            .collect();
        error.release.unwrap()(error);
        assert!(error.release.is_none());
        (message, sqlstate, details)
    }
}

fn text(value: &str) -> CString {
    CString::new(value).unwrap()
}

/// A failure: status, message, SQLSTATE and error details.
type Failed = (u8, String, String, Vec<(String, String)>);

/// An initialized database and connection to the server on `port`.
struct Session {
    driver: AdbcDriver,
    database: Box<AdbcHandle>,
    connection: Box<AdbcHandle>,
}

impl Session {
    fn open(port: u16) -> Session {
        let driver = driver();
        let mut database = Box::new(handle());
        let mut connection = Box::new(handle());
        let uri = text(&format!("clickhouse://default@{}:{port}/default", host()));
        unsafe {
            assert_eq!(driver.DatabaseNew.unwrap()(&mut *database, null_mut()), OK);
            assert_eq!(
                driver.DatabaseSetOption.unwrap()(&mut *database, c"uri".as_ptr(), uri.as_ptr(), null_mut()),
                OK
            );
            assert_eq!(driver.DatabaseInit.unwrap()(&mut *database, null_mut()), OK);
            assert_eq!(driver.ConnectionNew.unwrap()(&mut *connection, null_mut()), OK);
            assert_eq!(
                driver.ConnectionInit.unwrap()(&mut *connection, &mut *database, null_mut()),
                OK
            );
        }
        Session {
            driver,
            database,
            connection,
        }
    }

    fn statement(&mut self) -> Box<AdbcHandle> {
        let mut statement = Box::new(handle());
        let status = unsafe { self.driver.StatementNew.unwrap()(&mut *self.connection, &mut *statement, null_mut()) };
        assert_eq!(status, OK);
        statement
    }

    /// Runs `sql` and reads its result: (rows, columns of the schema).
    fn query(&mut self, sql: &str) -> Result<(i64, i64), Failed> {
        let mut statement = self.statement();
        let sql = text(sql);
        let mut error = new_error();
        let mut stream = ArrowArrayStream::empty();
        let outcome = unsafe {
            let driver = &self.driver;
            assert_eq!(
                driver.StatementSetSqlQuery.unwrap()(&mut *statement, sql.as_ptr(), null_mut()),
                OK
            );
            let status = driver.StatementExecuteQuery.unwrap()(&mut *statement, &mut stream, null_mut(), &mut error);
            if status == OK {
                Ok(read(&mut stream))
            } else {
                let (message, sqlstate, details) = take(driver, &mut error);
                Err((status, message, sqlstate, details))
            }
        };
        unsafe { assert_eq!(self.driver.StatementRelease.unwrap()(&mut *statement, null_mut()), OK) };
        outcome
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        unsafe {
            assert_eq!(
                self.driver.ConnectionRelease.unwrap()(&mut *self.connection, null_mut()),
                OK
            );
            assert_eq!(
                self.driver.DatabaseRelease.unwrap()(&mut *self.database, null_mut()),
                OK
            );
            assert_eq!(self.driver.release.unwrap()(&mut self.driver, null_mut()), OK);
        }
    }
}

/// Reads a stream to its end and releases it: the rows and the schema's column count.
unsafe fn read(stream: &mut ArrowArrayStream) -> (i64, i64) {
    unsafe {
        let mut schema = ArrowSchema::empty();
        assert_eq!(stream.get_schema.unwrap()(stream, &mut schema), 0);
        let columns = schema.n_children;
        schema.release.unwrap()(&mut schema);
        let mut rows = 0;
        loop {
            let mut batch = ArrowArray::empty();
            assert_eq!(stream.get_next.unwrap()(stream, &mut batch), 0);
            let Some(release) = batch.release else { break };
            rows += batch.length;
            release(&mut batch);
        }
        stream.release.unwrap()(stream);
        (rows, columns)
    }
}

#[test]
fn queries_run_and_failures_carry_status_sqlstate_and_server_code() {
    for server in servers() {
        let mut session = Session::open(server.port);
        assert_eq!(
            session.query("SELECT number, toString(number) FROM system.numbers LIMIT 100000"),
            Ok((100_000, 2)),
            "{}",
            server.name
        );
        let (status, message, sqlstate, details) = session.query("SELECT * FROM no_such_table_adbc").unwrap_err();
        assert_eq!(
            (status, sqlstate.as_str()),
            (NOT_FOUND, "42S02"),
            "{}: {message}",
            server.name
        );
        assert_eq!(details, [("bytehouse.server_code".to_string(), "60".to_string())]);
        let (status, ..) = session.query("SELEC 1").unwrap_err();
        assert_eq!(status, INVALID_ARGUMENT, "{}", server.name);
    }
}

#[test]
fn a_stream_failing_midway_hands_out_its_error_until_released() {
    for server in servers() {
        let mut session = Session::open(server.port);
        let mut statement = session.statement();
        let sql = text("SELECT throwIf(number = 50000) FROM numbers(100000) SETTINGS max_block_size = 1000");
        let mut stream = ArrowArrayStream::empty();
        let driver = &session.driver;
        let from_stream = driver.ErrorFromArrayStream.unwrap();
        unsafe {
            assert_eq!(
                driver.StatementSetSqlQuery.unwrap()(&mut *statement, sql.as_ptr(), null_mut()),
                OK
            );
            assert_eq!(
                driver.StatementExecuteQuery.unwrap()(&mut *statement, &mut stream, null_mut(), null_mut()),
                OK
            );
            // No error yet, another library's stream, NULL: nothing, and the status is left alone.
            let mut status = OK;
            let mut foreign = ArrowArrayStream::empty();
            foreign.private_data = (&raw mut status).cast();
            assert!(from_stream(&mut stream, &mut status).is_null());
            assert!(from_stream(&mut foreign, &mut status).is_null());
            assert!(from_stream(null_mut(), null_mut()).is_null());
            assert_eq!(status, OK);
            let mut batches = 0;
            let failed = loop {
                let mut batch = ArrowArray::empty();
                if stream.get_next.unwrap()(&mut stream, &mut batch) != 0 {
                    break true;
                }
                let Some(release) = batch.release else { break false };
                release(&mut batch);
                batches += 1;
            };
            assert!(failed && batches > 0, "{}: {batches} batches", server.name);
            let error = from_stream(&mut stream, &mut status);
            assert!(!error.is_null(), "{}", server.name);
            assert_eq!(status, 1, "{}: UNKNOWN", server.name);
            // Asked again, the same error, which the stream still owns.
            assert_eq!(from_stream(&mut stream, null_mut()), error);
            let message = CStr::from_ptr((*error).message).to_string_lossy();
            assert!(message.contains("throwIf"), "{}: {message}", server.name);
            assert_eq!(driver.ErrorGetDetailCount.unwrap()(error), 1);
            let detail = driver.ErrorGetDetail.unwrap()(error, 0);
            assert_eq!(CStr::from_ptr(detail.key), c"bytehouse.server_code");
            assert_eq!(std::slice::from_raw_parts(detail.value, detail.value_length), b"395");
            stream.release.unwrap()(&mut stream);
            assert!(from_stream(&mut stream, &mut status).is_null());
            assert_eq!(driver.StatementRelease.unwrap()(&mut *statement, null_mut()), OK);
        }
    }
}

#[test]
fn ingest_creates_appends_and_refuses_an_existing_table() {
    for server in servers() {
        let mut session = Session::open(server.port);
        // The rows come from a query on another connection: a connection runs one statement at a time.
        let mut source_session = Session::open(server.port);
        let table = unique_table("adbc_ingest");
        let target = text(&table);
        for (mode, expected) in [
            ("adbc.ingest.mode.create", OK),
            ("adbc.ingest.mode.append", OK),
            ("adbc.ingest.mode.create", ALREADY_EXISTS),
        ] {
            let mut statement = source_session.statement();
            let driver = &session.driver;
            let mode = text(mode);
            let mut source = ArrowArrayStream::empty();
            query_into(
                driver,
                &mut statement,
                "SELECT number AS n, toString(number) AS s FROM system.numbers LIMIT 1000",
                &mut source,
            );
            let mut ingest = Box::new(handle());
            let mut rows = -1;
            let mut error = new_error();
            let status = unsafe {
                assert_eq!(
                    driver.StatementNew.unwrap()(&mut *session.connection, &mut *ingest, null_mut()),
                    OK
                );
                for (key, value) in [
                    (c"adbc.ingest.target_table", target.as_c_str()),
                    (c"adbc.ingest.mode", mode.as_c_str()),
                ] {
                    assert_eq!(
                        driver.StatementSetOption.unwrap()(&mut *ingest, key.as_ptr(), value.as_ptr(), null_mut()),
                        OK
                    );
                }
                assert_eq!(
                    driver.StatementBindStream.unwrap()(&mut *ingest, &mut source, null_mut()),
                    OK
                );
                assert!(source.release.is_none(), "the statement took the stream");
                driver.StatementExecuteQuery.unwrap()(&mut *ingest, null_mut(), &mut rows, &mut error)
            };
            assert_eq!(status, expected, "{}", server.name);
            if status == OK {
                assert_eq!(rows, 1000);
            } else {
                let (_, _, details) = take(driver, &mut error);
                assert_eq!(details[0].1, "57");
            }
            unsafe {
                assert_eq!(driver.StatementRelease.unwrap()(&mut *ingest, null_mut()), OK);
                assert_eq!(driver.StatementRelease.unwrap()(&mut *statement, null_mut()), OK);
            }
        }
        assert_eq!(session.query(&format!("SELECT * FROM {table}")), Ok((2000, 2)));
        session.query(&format!("DROP TABLE {table}")).unwrap();
    }
}

/// Runs a query on `statement`, its result into `stream`.
fn query_into(driver: &AdbcDriver, statement: &mut AdbcHandle, sql: &str, stream: &mut ArrowArrayStream) {
    let sql = text(sql);
    unsafe {
        assert_eq!(
            driver.StatementSetSqlQuery.unwrap()(statement, sql.as_ptr(), null_mut()),
            OK
        );
        assert_eq!(
            driver.StatementExecuteQuery.unwrap()(statement, stream, null_mut(), null_mut()),
            OK
        );
    }
}

#[test]
fn misuse_is_an_error_never_a_crash() {
    let driver = driver();
    unsafe {
        // NULL handles and arguments.
        assert_eq!(driver.DatabaseNew.unwrap()(null_mut(), null_mut()), INVALID_ARGUMENT);
        assert_eq!(driver.DatabaseInit.unwrap()(null_mut(), null_mut()), INVALID_ARGUMENT);
        assert_eq!(
            driver.StatementExecuteQuery.unwrap()(null_mut(), null_mut(), null_mut(), null_mut()),
            INVALID_ARGUMENT
        );
        let mut foreign = AdbcHandle {
            private_data: 0x1234 as *mut c_void,
            private_driver: null_mut(),
        };
        assert_eq!(
            driver.ConnectionRelease.unwrap()(&mut foreign, null_mut()),
            INVALID_STATE
        );

        let mut database = handle();
        assert_eq!(driver.DatabaseNew.unwrap()(&mut database, null_mut()), OK);
        assert_eq!(
            driver.DatabaseSetOption.unwrap()(&mut database, null(), c"x".as_ptr(), null_mut()),
            INVALID_ARGUMENT
        );
        let mut error = new_error();
        assert_eq!(
            driver.DatabaseSetOption.unwrap()(&mut database, c"no_such_key".as_ptr(), c"1".as_ptr(), &mut error),
            NOT_IMPLEMENTED
        );
        assert!(take(&driver, &mut error).0.contains("no_such_key"));
        let password = c"s3cr3t-adbc";
        assert_eq!(
            driver.DatabaseSetOption.unwrap()(&mut database, c"password".as_ptr(), password.as_ptr(), null_mut()),
            OK
        );
        let port = text(&common::old_server().port.to_string());
        assert_eq!(
            driver.DatabaseSetOption.unwrap()(&mut database, c"host".as_ptr(), text(&host()).as_ptr(), null_mut()),
            OK
        );
        assert_eq!(
            driver.DatabaseSetOption.unwrap()(&mut database, c"port".as_ptr(), port.as_ptr(), null_mut()),
            OK
        );
        // GetOption: the length protocol, and secrets are never read back.
        let mut length = 0usize;
        assert_eq!(
            driver.DatabaseGetOption.unwrap()(&mut database, c"port".as_ptr(), null_mut(), &mut length, null_mut()),
            OK
        );
        assert_eq!(length, port.as_bytes().len() + 1);
        let mut buffer = vec![0 as c_char; length];
        assert_eq!(
            driver.DatabaseGetOption.unwrap()(
                &mut database,
                c"port".as_ptr(),
                buffer.as_mut_ptr(),
                &mut length,
                null_mut()
            ),
            OK
        );
        assert_eq!(CStr::from_ptr(buffer.as_ptr()), port.as_c_str());
        assert_eq!(
            driver.DatabaseGetOption.unwrap()(&mut database, c"password".as_ptr(), null_mut(), &mut length, null_mut()),
            NOT_FOUND
        );

        // A connection before its database is initialized, then options after init.
        let mut connection = handle();
        assert_eq!(driver.ConnectionNew.unwrap()(&mut connection, null_mut()), OK);
        assert_eq!(
            driver.ConnectionInit.unwrap()(&mut connection, &mut database, null_mut()),
            INVALID_STATE
        );
        assert_eq!(driver.DatabaseInit.unwrap()(&mut database, null_mut()), OK);
        assert_eq!(
            driver.DatabaseSetOption.unwrap()(&mut database, c"port".as_ptr(), c"1".as_ptr(), null_mut()),
            INVALID_STATE
        );
        // The wrong password: refused, and the message does not quote it.
        let mut error = new_error();
        let status = driver.ConnectionInit.unwrap()(&mut connection, &mut database, &mut error);
        assert_ne!(status, OK);
        let (message, ..) = take(&driver, &mut error);
        assert!(!message.contains("s3cr3t-adbc"), "{message}");
        assert_eq!(driver.ConnectionRelease.unwrap()(&mut connection, null_mut()), OK);

        // A working connection: options after init, autocommit, statement misuse.
        let mut connection = handle();
        assert_eq!(driver.ConnectionNew.unwrap()(&mut connection, null_mut()), OK);
        let mut good = handle();
        assert_eq!(driver.DatabaseNew.unwrap()(&mut good, null_mut()), OK);
        let uri = text(&format!("bytehouse://{}:{}", host(), common::old_server().port));
        assert_eq!(
            driver.DatabaseSetOption.unwrap()(&mut good, c"uri".as_ptr(), uri.as_ptr(), null_mut()),
            OK
        );
        assert_eq!(driver.DatabaseInit.unwrap()(&mut good, null_mut()), OK);
        assert_eq!(
            driver.ConnectionInit.unwrap()(&mut connection, &mut good, null_mut()),
            OK
        );
        assert_eq!(
            driver.ConnectionInit.unwrap()(&mut connection, &mut good, null_mut()),
            INVALID_STATE
        );
        assert_eq!(
            driver.ConnectionSetOption.unwrap()(&mut connection, c"compression".as_ptr(), c"1".as_ptr(), null_mut()),
            INVALID_STATE
        );
        assert_eq!(
            driver.ConnectionSetOption.unwrap()(
                &mut connection,
                c"adbc.connection.autocommit".as_ptr(),
                c"false".as_ptr(),
                null_mut()
            ),
            NOT_IMPLEMENTED
        );
        assert_eq!(
            driver.ConnectionCommit.unwrap()(&mut connection, null_mut()),
            INVALID_STATE
        );
        let mut statement = handle();
        assert_eq!(
            driver.StatementNew.unwrap()(&mut connection, &mut statement, null_mut()),
            OK
        );
        let mut stream = ArrowArrayStream::empty();
        assert_eq!(
            driver.StatementExecuteQuery.unwrap()(&mut statement, &mut stream, null_mut(), null_mut()),
            INVALID_STATE
        );
        assert_eq!(
            driver.StatementPrepare.unwrap()(&mut statement, null_mut()),
            INVALID_STATE
        );
        assert_eq!(
            driver.StatementBindStream.unwrap()(&mut statement, &mut stream, null_mut()),
            INVALID_ARGUMENT
        );
        assert_eq!(
            driver.StatementSetOption.unwrap()(
                &mut statement,
                c"adbc.ingest.mode".as_ptr(),
                c"sideways".as_ptr(),
                null_mut()
            ),
            INVALID_ARGUMENT
        );
        assert_eq!(
            driver.StatementSetSqlQuery.unwrap()(&mut statement, null(), null_mut()),
            INVALID_ARGUMENT
        );

        // Releasing twice, and using a released handle.
        assert_eq!(driver.StatementRelease.unwrap()(&mut statement, null_mut()), OK);
        assert_eq!(
            driver.StatementRelease.unwrap()(&mut statement, null_mut()),
            INVALID_STATE
        );
        assert_eq!(driver.ConnectionRelease.unwrap()(&mut connection, null_mut()), OK);
        assert_eq!(
            driver.ConnectionRelease.unwrap()(&mut connection, null_mut()),
            INVALID_STATE
        );
        assert_eq!(
            driver.StatementPrepare.unwrap()(&mut statement, null_mut()),
            INVALID_STATE
        );
        for database in [&mut database, &mut good] {
            assert_eq!(driver.DatabaseRelease.unwrap()(database, null_mut()), OK);
            assert_eq!(driver.DatabaseRelease.unwrap()(database, null_mut()), INVALID_STATE);
        }
    }
}

#[test]
fn the_1_0_0_table_ends_where_1_0_0_does_and_unknown_versions_are_refused() {
    const SIZE_1_0_0: usize = 29 * std::mem::size_of::<usize>();
    let mut bytes = vec![0xAAu8; std::mem::size_of::<AdbcDriver>()];
    let status = unsafe { AdbcDriverInit(VERSION_1_0_0, bytes.as_mut_ptr().cast(), null_mut()) };
    assert_eq!(status, OK);
    assert!(
        bytes[SIZE_1_0_0..].iter().all(|&byte| byte == 0xAA),
        "nothing written past 1.0.0"
    );
    assert!(
        bytes[16..SIZE_1_0_0].chunks(8).all(|member| member != [0; 8]),
        "every 1.0.0 function is set"
    );
    // A 1.0 error: the server's code as vendor_code, nothing written past the 1.0 fields.
    let mut error = new_error();
    error.vendor_code = 0;
    error.private_data = std::ptr::dangling_mut::<c_void>();
    let status = unsafe { AdbcDriverInit(42, bytes.as_mut_ptr().cast(), &mut error) };
    assert_eq!(status, NOT_IMPLEMENTED);
    assert_eq!(error.private_data, std::ptr::dangling_mut::<c_void>());
    unsafe { error.release.unwrap()(&mut error) };
    assert_eq!(
        unsafe { AdbcDriverInit(VERSION_1_1_0, null_mut(), null_mut()) },
        INVALID_ARGUMENT
    );
}

#[test]
fn an_unreachable_server_is_an_io_error() {
    let driver = driver();
    let mut database = handle();
    let mut connection = handle();
    unsafe {
        assert_eq!(driver.DatabaseNew.unwrap()(&mut database, null_mut()), OK);
        assert_eq!(
            driver.DatabaseSetOption.unwrap()(
                &mut database,
                c"uri".as_ptr(),
                c"clickhouse://127.0.0.1:21101".as_ptr(),
                null_mut()
            ),
            OK
        );
        assert_eq!(driver.DatabaseInit.unwrap()(&mut database, null_mut()), OK);
        assert_eq!(driver.ConnectionNew.unwrap()(&mut connection, null_mut()), OK);
        let mut error = new_error();
        assert_eq!(
            driver.ConnectionInit.unwrap()(&mut connection, &mut database, &mut error),
            IO
        );
        assert_eq!(take(&driver, &mut error).1, "08001");
        assert_eq!(driver.ConnectionRelease.unwrap()(&mut connection, null_mut()), OK);
        assert_eq!(driver.DatabaseRelease.unwrap()(&mut database, null_mut()), OK);
    }
}

#[test]
fn cancel_from_another_thread_stops_a_running_statement() {
    const CANCELLED: u8 = 11;
    for server in servers() {
        let mut session = Session::open(server.port);
        let mut statement = session.statement();
        let driver = &session.driver;
        let cancel = driver.StatementCancel.unwrap();
        let address = &raw mut *statement as usize;
        let canceller = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(300));
            // SAFETY: the statement outlives this thread, which is joined below.
            unsafe { cancel(address as *mut AdbcHandle, null_mut()) }
        });
        let started = std::time::Instant::now();
        let mut error = new_error();
        let status = unsafe {
            assert_eq!(
                driver.StatementSetSqlQuery.unwrap()(
                    &mut *statement,
                    c"SELECT count() FROM system.numbers".as_ptr(),
                    null_mut()
                ),
                OK
            );
            driver.StatementExecuteQuery.unwrap()(&mut *statement, null_mut(), null_mut(), &mut error)
        };
        assert_eq!(canceller.join().unwrap(), OK);
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(status, CANCELLED, "{}", server.name);
        assert_eq!(take(driver, &mut error).1, "HY008");
        unsafe { assert_eq!(driver.StatementRelease.unwrap()(&mut *statement, null_mut()), OK) };
        assert_eq!(
            session.query("SELECT 1"),
            Ok((1, 1)),
            "the connection works after a cancel"
        );
    }
}
