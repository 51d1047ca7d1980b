//! How the exported functions treat what applications pass them, called directly against both
//! test servers: statement lengths that count trailing NULs, output lengths too long for their
//! type, diagnostic fields of every width, out-of-range counts and array sizes, SQLExtendedFetch,
//! what SQLDisconnect frees, and explicit descriptors installed more than once.

mod common;

use std::ffi::c_void;
use std::ptr::null_mut;

use bytehouse::ffi::*;
use common::c_abi::{HANDLE_DBC, HANDLE_DESC, HANDLE_ENV, HANDLE_STMT, Handles};
use common::{diagnostic, servers, unique_table};

const C_CHAR: i16 = 1;
const C_SLONG: i16 = -16;
const SQL_INTEGER: i16 = 4;

const ATTR_PARAMSET_SIZE: i32 = 22;
const ATTR_ROW_STATUS_PTR: i32 = 25;
const ATTR_ROWS_FETCHED_PTR: i32 = 26;
const ATTR_ROW_ARRAY_SIZE: i32 = 27;
const ATTR_APP_ROW_DESC: i32 = 10010;
const ATTR_IMP_ROW_DESC: i32 = 10012;

const DESC_COUNT: i16 = 1001;
const DESC_DATA_PTR: i16 = 1010;
const DESC_NAME: i16 = 1011;

const DIAG_RETURNCODE: i16 = 1;
const DIAG_NUMBER: i16 = 2;
const DIAG_ROW_COUNT: i16 = 3;
const DIAG_SQLSTATE: i16 = 4;
const DIAG_NATIVE: i16 = 5;
const DIAG_DYNAMIC_FUNCTION_CODE: i16 = 12;
const DIAG_ROW_NUMBER: i16 = -1248;
const DIAG_COLUMN_NUMBER: i16 = -1247;

const FETCH_NEXT: u16 = 1;
const FETCH_PRIOR: u16 = 4;
const ROW_SUCCESS: u16 = 0;

/// What an output variable holds before a call, to tell whether the call wrote it.
const UNWRITTEN: i16 = -7777;
/// The length an SQLSMALLINT reports for longer text: the most a buffer of 32,767 characters
/// holds with its terminator.
const LONGEST: i16 = i16::MAX - 1;

/// An integer attribute or field value, passed in the pointer argument as ODBC does.
fn integer(value: usize) -> *mut c_void {
    std::ptr::without_provenance_mut(value)
}

fn connect(port: u16) -> Handles {
    Handles::connect(&format!("Host={};Port={port}", common::host())).unwrap()
}

fn statement_attribute(stmt: *mut c_void, attribute: i32) -> usize {
    let mut value = 0usize;
    let code = unsafe { SQLGetStmtAttr(stmt, attribute, (&mut value as *mut usize).cast(), 0, null_mut()) };
    assert_eq!(code, SQL_SUCCESS, "{:?}", diagnostic(HANDLE_STMT, stmt));
    value
}

/// The first column of the next row as text.
fn fetch_text(handles: &Handles) -> String {
    handles.ok(unsafe { SQLFetch(handles.stmt) });
    let mut buffer = [0u8; 64];
    let mut length = 0isize;
    let code = unsafe { SQLGetData(handles.stmt, 1, C_CHAR, buffer.as_mut_ptr().cast(), 64, &mut length) };
    handles.ok(code);
    unsafe { SQLCloseCursor(handles.stmt) };
    String::from_utf8_lossy(&buffer[..length as usize]).into_owned()
}

fn wide(text: &str) -> Vec<u16> {
    text.encode_utf16().collect()
}

#[test]
fn statement_lengths_that_count_trailing_nuls() {
    for server in servers() {
        let handles = connect(server.port);
        // The buffer's size passed as the length, as some applications do.
        let mut narrow = *b"SELECT 7\0\0\0\0\0\0\0\0";
        let code = unsafe { SQLExecDirect(handles.stmt, narrow.as_ptr(), narrow.len() as i32) };
        handles.ok(code);
        assert_eq!(fetch_text(&handles), "7", "{}", server.name);
        let mut wide_text = wide("SELECT 8");
        wide_text.resize(32, 0);
        let code = unsafe { SQLExecDirectW(handles.stmt, wide_text.as_ptr(), wide_text.len() as i32) };
        handles.ok(code);
        assert_eq!(fetch_text(&handles), "8", "{}", server.name);
        unsafe {
            handles.ok(SQLPrepare(handles.stmt, narrow.as_ptr(), narrow.len() as i32));
            handles.ok(SQLExecute(handles.stmt));
            assert_eq!(fetch_text(&handles), "7");
            handles.ok(SQLPrepareW(handles.stmt, wide_text.as_ptr(), wide_text.len() as i32));
            handles.ok(SQLExecute(handles.stmt));
            assert_eq!(fetch_text(&handles), "8");

            let mut out = [0u8; 64];
            let mut out_length = 0i32;
            let code = SQLNativeSql(
                handles.dbc,
                narrow.as_ptr(),
                narrow.len() as i32,
                out.as_mut_ptr(),
                64,
                &mut out_length,
            );
            assert_eq!((code, out_length, &out[..9]), (SQL_SUCCESS, 8, &b"SELECT 7\0"[..]));
            let mut wide_out = [0u16; 64];
            let code = SQLNativeSqlW(
                handles.dbc,
                wide_text.as_ptr(),
                wide_text.len() as i32,
                wide_out.as_mut_ptr(),
                64,
                &mut out_length,
            );
            assert_eq!((code, out_length), (SQL_SUCCESS, 8));
            assert_eq!(String::from_utf16_lossy(&wide_out[..8]), "SELECT 8");

            // A NUL inside the text is refused, whatever follows it.
            narrow[8..10].copy_from_slice(b"\x001");
            for code in [
                SQLExecDirect(handles.stmt, narrow.as_ptr(), narrow.len() as i32),
                SQLPrepare(handles.stmt, narrow.as_ptr(), narrow.len() as i32),
            ] {
                assert_eq!(code, SQL_ERROR);
                assert_eq!(diagnostic(HANDLE_STMT, handles.stmt).0, "42000");
            }
            wide_text[8] = 0;
            wide_text[9] = u16::from(b'1');
            let code = SQLExecDirectW(handles.stmt, wide_text.as_ptr(), wide_text.len() as i32);
            assert_eq!(code, SQL_ERROR);
            assert_eq!(diagnostic(HANDLE_STMT, handles.stmt).0, "42000");
            let code = SQLNativeSql(
                handles.dbc,
                narrow.as_ptr(),
                narrow.len() as i32,
                out.as_mut_ptr(),
                64,
                &mut out_length,
            );
            assert_eq!(code, SQL_ERROR);
            assert_eq!(diagnostic(HANDLE_DBC, handles.dbc).0, "42000");

            // Lengths no text has, and no text at all.
            assert_eq!(SQLExecDirect(handles.stmt, narrow.as_ptr(), -5), SQL_ERROR);
            assert_eq!(diagnostic(HANDLE_STMT, handles.stmt).0, "HY090");
            assert_eq!(SQLExecDirect(handles.stmt, std::ptr::null(), 8), SQL_ERROR);
            assert_eq!(diagnostic(HANDLE_STMT, handles.stmt).0, "HY009");
            // The statement still works.
            assert_eq!(handles.query_text("SELECT 9"), ["9"]);
        }
    }
}

#[test]
fn output_lengths_are_written_even_when_too_long_for_their_type() {
    for server in servers() {
        let handles = connect(server.port);
        // The server names the column after its expression: `length('xx…x')`, 100,010 characters.
        let sql = format!("SELECT length('{}')", "x".repeat(100_000));
        handles.ok(handles.execute(&sql));
        let full = 100_010usize;
        unsafe {
            let mut name = [0u16; 256];
            let mut name_length = UNWRITTEN;
            let (mut data_type, mut size, mut digits, mut nullable) = (0i16, 0usize, 0i16, 0i16);
            let code = SQLDescribeColW(
                handles.stmt,
                1,
                name.as_mut_ptr(),
                256,
                &mut name_length,
                &mut data_type,
                &mut size,
                &mut digits,
                &mut nullable,
            );
            assert_eq!((code, name_length), (SQL_SUCCESS_WITH_INFO, LONGEST), "{}", server.name);
            assert_eq!(diagnostic(HANDLE_STMT, handles.stmt).0, "01004");
            assert_eq!(String::from_utf16_lossy(&name[..8]), "length('");
            assert_eq!(name[255], 0, "cut and terminated");

            let mut narrow = [0u8; 256];
            let mut name_length = UNWRITTEN;
            let code = SQLDescribeCol(
                handles.stmt,
                1,
                narrow.as_mut_ptr(),
                256,
                &mut name_length,
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut(),
            );
            assert_eq!((code, name_length), (SQL_SUCCESS_WITH_INFO, LONGEST));
            // Only the length asked for: still reported, clamped, with 01004.
            let mut name_length = UNWRITTEN;
            let code = SQLDescribeColW(
                handles.stmt,
                1,
                null_mut(),
                0,
                &mut name_length,
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut(),
            );
            assert_eq!((code, name_length), (SQL_SUCCESS_WITH_INFO, LONGEST));

            for wide_form in [false, true] {
                let mut length = UNWRITTEN;
                let attribute = if wide_form { SQLColAttributeW } else { SQLColAttribute };
                let code = attribute(
                    handles.stmt,
                    1,
                    DESC_NAME as u16,
                    name.as_mut_ptr().cast(),
                    512,
                    &mut length,
                    null_mut(),
                );
                assert_eq!((code, length), (SQL_SUCCESS_WITH_INFO, LONGEST), "wide: {wide_form}");
            }

            // The IRD: SQLGetDescFieldW's SQLINTEGER holds the length in bytes; SQLGetDescRecW's
            // SQLSMALLINT does not.
            let ird = statement_attribute(handles.stmt, ATTR_IMP_ROW_DESC) as *mut c_void;
            let mut length = -1i32;
            let code = SQLGetDescFieldW(ird, 1, DESC_NAME, name.as_mut_ptr().cast(), 512, &mut length);
            assert_eq!((code, length), (SQL_SUCCESS_WITH_INFO, (full * 2) as i32));
            let mut name_length = UNWRITTEN;
            let code = SQLGetDescRecW(
                ird,
                1,
                name.as_mut_ptr(),
                256,
                &mut name_length,
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut(),
            );
            assert_eq!((code, name_length), (SQL_SUCCESS_WITH_INFO, LONGEST));
        }
    }
}

/// A numeric diagnostic field written into the first of two `T`s preset to `fill`; returns both.
fn diag_number<T: Copy>(handle_type: i16, handle: *mut c_void, record: i16, field: i16, fill: T) -> (i16, [T; 2]) {
    let mut pair = [fill; 2];
    let code = unsafe {
        SQLGetDiagField(
            handle_type,
            handle,
            record,
            field,
            pair.as_mut_ptr().cast(),
            0,
            null_mut(),
        )
    };
    (code, pair)
}

#[test]
fn diagnostic_fields_have_their_own_widths_and_real_values() {
    for server in servers() {
        let handles = connect(server.port);
        let stmt = handles.stmt;
        assert_eq!(handles.execute("SELEC 1"), SQL_ERROR);
        // SQLRETURN is two bytes, SQLINTEGER four, SQLLEN eight: nothing beyond is touched.
        assert_eq!(
            diag_number(HANDLE_STMT, stmt, 0, DIAG_RETURNCODE, 0x5555i16),
            (SQL_SUCCESS, [SQL_ERROR, 0x5555])
        );
        assert_eq!(
            diag_number(HANDLE_STMT, stmt, 0, DIAG_NUMBER, 0x5555_5555i32),
            (SQL_SUCCESS, [1, 0x5555_5555])
        );
        let (code, [native, after]) = diag_number(HANDLE_STMT, stmt, 1, DIAG_NATIVE, 0x5555_5555i32);
        assert_eq!(
            (code, native, after),
            (SQL_SUCCESS, 62, 0x5555_5555),
            "syntax error code"
        );
        for field in [DIAG_DYNAMIC_FUNCTION_CODE, DIAG_COLUMN_NUMBER] {
            let (code, [_, after]) = diag_number(HANDLE_STMT, stmt, 1, field, 0x5555_5555i32);
            assert_eq!((code, after), (SQL_SUCCESS, 0x5555_5555), "field {field}");
        }
        assert_eq!(
            diag_number(HANDLE_STMT, stmt, 1, DIAG_COLUMN_NUMBER, 0i32).1[0],
            -2,
            "unknown"
        );
        assert_eq!(
            diag_number(HANDLE_STMT, stmt, 1, DIAG_ROW_NUMBER, 0x5555isize),
            (SQL_SUCCESS, [-2, 0x5555])
        );

        // Warnings and successes report their own return codes.
        handles.ok(handles.execute("SELECT 'abcdef'"));
        unsafe { SQLFetch(stmt) };
        let mut buffer = [0u8; 3];
        let code = unsafe { SQLGetData(stmt, 1, C_CHAR, buffer.as_mut_ptr().cast(), 3, null_mut()) };
        assert_eq!(code, SQL_SUCCESS_WITH_INFO);
        assert_eq!(
            diag_number(HANDLE_STMT, stmt, 0, DIAG_RETURNCODE, 0i16).1[0],
            SQL_SUCCESS_WITH_INFO
        );
        unsafe { SQLCloseCursor(stmt) };
        assert_eq!(
            diag_number(HANDLE_STMT, stmt, 0, DIAG_RETURNCODE, 0x55i16).1[0],
            SQL_SUCCESS
        );

        // The row count of the last statement executed, as SQLRowCount reports it.
        let table = unique_table("diag_row_count");
        handles.ok(handles.execute(&format!("CREATE TABLE {table} (n Int32) ENGINE = Memory")));
        let mut values = [1i32, 2, 3];
        unsafe {
            handles.ok(SQLSetStmtAttr(stmt, ATTR_PARAMSET_SIZE, integer(3), 0));
            let code = SQLBindParameter(
                stmt,
                1,
                1,
                C_SLONG,
                SQL_INTEGER,
                0,
                0,
                values.as_mut_ptr().cast(),
                4,
                null_mut(),
            );
            handles.ok(code);
        }
        handles.ok(handles.execute(&format!("INSERT INTO {table} VALUES (?)")));
        let mut row_count = 0isize;
        unsafe { SQLRowCount(stmt, &mut row_count) };
        assert_eq!(row_count, 3, "{}", server.name);
        assert_eq!(
            diag_number(HANDLE_STMT, stmt, 0, DIAG_ROW_COUNT, 0x5555isize),
            (SQL_SUCCESS, [3, 0x5555])
        );
        // Statement fields are refused on other handles.
        assert_eq!(
            diag_number(HANDLE_DBC, handles.dbc, 0, DIAG_ROW_COUNT, 0isize).0,
            SQL_ERROR
        );
        unsafe {
            handles.ok(SQLFreeStmt(stmt, 3));
            handles.ok(SQLSetStmtAttr(stmt, ATTR_PARAMSET_SIZE, integer(1), 0));
        }
        handles.ok(handles.execute(&format!("DROP TABLE {table}")));

        // A record that is not there, a handle that is not one.
        assert_eq!(diag_number(HANDLE_STMT, stmt, 1, DIAG_NATIVE, 0i32).0, SQL_NO_DATA);
        assert_eq!(
            diag_number(HANDLE_STMT, handles.dbc, 0, DIAG_NUMBER, 0i32).0,
            SQL_INVALID_HANDLE
        );
        let mut state = [0u8; 6];
        let mut length = UNWRITTEN;
        assert_eq!(handles.execute("SELEC 1"), SQL_ERROR);
        let code = unsafe {
            SQLGetDiagField(
                HANDLE_STMT,
                stmt,
                1,
                DIAG_SQLSTATE,
                state.as_mut_ptr().cast(),
                6,
                &mut length,
            )
        };
        assert_eq!((code, length, &state), (SQL_SUCCESS, 5, b"42000\0"));
    }
}

#[test]
fn counts_and_array_sizes_out_of_range_are_errors() {
    for server in servers() {
        let handles = connect(server.port);
        let stmt = handles.stmt;
        let ard = statement_attribute(stmt, ATTR_APP_ROW_DESC) as *mut c_void;
        unsafe {
            // SQL_DESC_COUNT is an SQLSMALLINT: 2^42 records would abort the process.
            for count in [1usize << 42, 32_768, usize::MAX] {
                assert_eq!(SQLSetDescField(ard, 0, DESC_COUNT, integer(count), 0), SQL_ERROR);
                assert_eq!(diagnostic(HANDLE_DESC, ard).0, "07009", "count {count}");
            }
            assert_eq!(SQLSetDescField(ard, 0, DESC_COUNT, integer(2), 0), SQL_SUCCESS);
            assert_eq!(SQLSetDescField(ard, 0, DESC_COUNT, integer(0), 0), SQL_SUCCESS);
            assert_eq!(SQLSetDescField(ard, -1, DESC_DATA_PTR, integer(8), 0), SQL_ERROR);
            assert_eq!(diagnostic(HANDLE_DESC, ard).0, "07009");
            let mut target = 0i32;
            let code = SQLBindCol(stmt, 40_000, C_SLONG, (&mut target as *mut i32).cast(), 4, null_mut());
            assert_eq!(code, SQL_ERROR);
            assert_eq!(diagnostic(HANDLE_STMT, stmt).0, "07009");

            for attribute in [ATTR_ROW_ARRAY_SIZE, ATTR_PARAMSET_SIZE] {
                for size in [0, 1usize << 42, usize::MAX] {
                    assert_eq!(SQLSetStmtAttr(stmt, attribute, integer(size), 0), SQL_ERROR);
                    assert_eq!(diagnostic(HANDLE_STMT, stmt).0, "HY024", "{attribute} = {size}");
                }
                assert_eq!(statement_attribute(stmt, attribute), 1, "unchanged");
            }
            assert_eq!(SQLParamOptions(stmt, 1 << 42, null_mut()), SQL_ERROR);
            assert_eq!(diagnostic(HANDLE_STMT, stmt).0, "HY024");
            assert_eq!(SQLSetStmtOption(stmt, ATTR_ROW_ARRAY_SIZE as u16, 1 << 42), SQL_ERROR);
            assert_eq!(diagnostic(HANDLE_STMT, stmt).0, "HY024");
        }
        assert_eq!(handles.query_text("SELECT 1"), ["1"], "{}", server.name);
    }
}

#[test]
fn extended_fetch_keeps_its_diagnostics_and_the_applications_pointers() {
    for server in servers() {
        let handles = connect(server.port);
        let stmt = handles.stmt;
        let mut own_rows = 0usize;
        let mut own_statuses = [9u16; 2];
        unsafe {
            handles.ok(SQLSetStmtAttr(
                stmt,
                ATTR_ROWS_FETCHED_PTR,
                (&mut own_rows as *mut usize).cast(),
                0,
            ));
            handles.ok(SQLSetStmtAttr(
                stmt,
                ATTR_ROW_STATUS_PTR,
                own_statuses.as_mut_ptr().cast(),
                0,
            ));
            // No result yet: the error has its record.
            let (mut rows, mut statuses) = (7usize, [9u16; 2]);
            assert_eq!(
                SQLExtendedFetch(stmt, FETCH_NEXT, 0, &mut rows, statuses.as_mut_ptr()),
                SQL_ERROR
            );
            assert_eq!(diagnostic(HANDLE_STMT, stmt).0, "24000", "{}", server.name);

            handles.ok(handles.execute("SELECT number FROM numbers(3)"));
            assert_eq!(
                SQLExtendedFetch(stmt, FETCH_NEXT, 0, &mut rows, statuses.as_mut_ptr()),
                SQL_SUCCESS
            );
            assert_eq!((rows, statuses[0]), (1, ROW_SUCCESS));
            assert_eq!(
                SQLExtendedFetch(stmt, FETCH_PRIOR, 0, &mut rows, statuses.as_mut_ptr()),
                SQL_ERROR
            );
            assert_eq!(diagnostic(HANDLE_STMT, stmt).0, "HY106");
            // The application's own pointers are in force again, and SQLFetch fills them.
            assert_eq!(
                statement_attribute(stmt, ATTR_ROWS_FETCHED_PTR),
                &mut own_rows as *mut usize as usize
            );
            assert_eq!(
                statement_attribute(stmt, ATTR_ROW_STATUS_PTR),
                own_statuses.as_mut_ptr() as usize
            );
            assert_eq!(SQLFetch(stmt), SQL_SUCCESS);
            assert_eq!((own_rows, own_statuses[0]), (1, ROW_SUCCESS));
            // A freed handle.
            assert_eq!(
                SQLExtendedFetch(integer(8), FETCH_NEXT, 0, &mut rows, statuses.as_mut_ptr()),
                SQL_INVALID_HANDLE
            );
        }
    }
}

/// An environment and a connection to `port`, not through `Handles` (whose drop would free what
/// these tests free themselves).
fn raw_connection(port: u16) -> (*mut c_void, *mut c_void) {
    let (mut env, mut dbc) = (null_mut(), null_mut());
    let text = format!("Host={};Port={port}", common::host());
    unsafe {
        assert_eq!(SQLAllocHandle(HANDLE_ENV, null_mut(), &mut env), SQL_SUCCESS);
        assert_eq!(SQLSetEnvAttr(env, 200, integer(3), 0), SQL_SUCCESS);
        assert_eq!(SQLAllocHandle(HANDLE_DBC, env, &mut dbc), SQL_SUCCESS);
        let code = SQLDriverConnect(
            dbc,
            null_mut(),
            text.as_ptr(),
            text.len() as i16,
            null_mut(),
            0,
            null_mut(),
            0,
        );
        assert_eq!(code, SQL_SUCCESS, "{:?}", diagnostic(HANDLE_DBC, dbc));
    }
    (env, dbc)
}

fn allocate(handle_type: i16, dbc: *mut c_void) -> *mut c_void {
    let mut handle = null_mut();
    assert_eq!(unsafe { SQLAllocHandle(handle_type, dbc, &mut handle) }, SQL_SUCCESS);
    handle
}

#[test]
fn disconnect_frees_the_statements_and_descriptors() {
    for server in servers() {
        let (env, dbc) = raw_connection(server.port);
        let (open, idle) = (allocate(HANDLE_STMT, dbc), allocate(HANDLE_STMT, dbc));
        let desc = allocate(HANDLE_DESC, dbc);
        unsafe {
            assert_eq!(SQLSetStmtAttr(open, ATTR_APP_ROW_DESC, desc, 0), SQL_SUCCESS);
            let sql = "SELECT number FROM numbers(100000)";
            assert_eq!(SQLExecDirect(open, sql.as_ptr(), sql.len() as i32), SQL_SUCCESS);
            assert_eq!(SQLFetch(open), SQL_SUCCESS);
            let ird = statement_attribute(open, ATTR_IMP_ROW_DESC) as *mut c_void;

            // Not while a statement awaits data at execution.
            let mut at_execution = -2isize;
            let marker = "SELECT ?";
            let code = SQLBindParameter(idle, 1, 1, C_CHAR, 12, 0, 0, integer(1), 0, &mut at_execution);
            assert_eq!(code, SQL_SUCCESS);
            assert_eq!(SQLExecDirect(idle, marker.as_ptr(), marker.len() as i32), 99);
            assert_eq!(SQLDisconnect(dbc), SQL_ERROR);
            assert_eq!(diagnostic(HANDLE_DBC, dbc).0, "HY010");
            assert_eq!(SQLCancel(idle), SQL_SUCCESS);

            assert_eq!(SQLDisconnect(dbc), SQL_SUCCESS, "{}", server.name);
            // Every handle of the connection is gone: refused, never dereferenced.
            assert_eq!(SQLFetch(open), SQL_INVALID_HANDLE);
            assert_eq!(SQLExecDirect(idle, sql.as_ptr(), sql.len() as i32), SQL_INVALID_HANDLE);
            assert_eq!(SQLSetDescField(desc, 0, DESC_COUNT, integer(1), 0), SQL_INVALID_HANDLE);
            assert_eq!(
                SQLGetDescField(ird, 0, DESC_COUNT, null_mut(), 0, null_mut()),
                SQL_INVALID_HANDLE
            );
            assert_eq!(SQLFreeHandle(HANDLE_STMT, open), SQL_INVALID_HANDLE);
            assert_eq!(SQLFreeHandle(HANDLE_DESC, desc), SQL_INVALID_HANDLE);
            assert_eq!(SQLFreeStmt(idle, 1), SQL_INVALID_HANDLE);
            assert_eq!(SQLDisconnect(dbc), SQL_ERROR, "not connected");
            assert_eq!(diagnostic(HANDLE_DBC, dbc).0, "08003");

            // The connection connects again, and then frees.
            let text = format!("Host={};Port={}", common::host(), server.port);
            let code = SQLDriverConnect(
                dbc,
                null_mut(),
                text.as_ptr(),
                text.len() as i16,
                null_mut(),
                0,
                null_mut(),
                0,
            );
            assert_eq!(code, SQL_SUCCESS);
            let stmt = allocate(HANDLE_STMT, dbc);
            assert_eq!(SQLExecDirect(stmt, sql.as_ptr(), sql.len() as i32), SQL_SUCCESS);
            assert_eq!(SQLFreeHandle(HANDLE_DBC, dbc), SQL_ERROR, "still connected");
            assert_eq!(SQLFreeHandle(HANDLE_DBC, dbc), SQL_ERROR, "still connected");
            assert_eq!(diagnostic(HANDLE_DBC, dbc).0, "HY010");
            // Each refusal replaced the last one's record, as every call does.
            assert_eq!(
                diag_number(HANDLE_DBC, dbc, 0, DIAG_NUMBER, 0i32),
                (SQL_SUCCESS, [1, 0])
            );
            assert_eq!(SQLDisconnect(dbc), SQL_SUCCESS);
            assert_eq!(SQLFreeHandle(HANDLE_DBC, dbc), SQL_SUCCESS);
            assert_eq!(SQLFreeHandle(HANDLE_ENV, env), SQL_SUCCESS);
            assert_eq!(SQLFreeHandle(HANDLE_STMT, stmt), SQL_INVALID_HANDLE);
            assert_eq!(SQLFreeHandle(HANDLE_DBC, dbc), SQL_INVALID_HANDLE);
        }
    }
}

/// The sequence that wrote into a freed statement: an application that installs its ARD before
/// each query, then frees the statement and the descriptor.
#[test]
fn an_explicit_descriptor_installed_twice_outlives_its_statement() {
    for server in servers() {
        let handles = connect(server.port);
        unsafe {
            let desc = allocate(HANDLE_DESC, handles.dbc);
            let (first, second) = (allocate(HANDLE_STMT, handles.dbc), allocate(HANDLE_STMT, handles.dbc));
            for _ in 0..2 {
                assert_eq!(SQLSetStmtAttr(first, ATTR_APP_ROW_DESC, desc, 0), SQL_SUCCESS);
                assert_eq!(SQLSetStmtAttr(second, ATTR_APP_ROW_DESC, desc, 0), SQL_SUCCESS);
            }
            let implicit = {
                let third = allocate(HANDLE_STMT, handles.dbc);
                let ard = statement_attribute(third, ATTR_APP_ROW_DESC);
                assert_eq!(SQLFreeHandle(HANDLE_STMT, third), SQL_SUCCESS);
                ard
            };
            assert_ne!(implicit, desc as usize);
            assert_eq!(SQLFreeHandle(HANDLE_STMT, first), SQL_SUCCESS, "{}", server.name);
            // Statements allocated now may reuse the freed one's memory.
            let reused = allocate(HANDLE_STMT, handles.dbc);
            assert_eq!(SQLFreeHandle(HANDLE_DESC, desc), SQL_SUCCESS);
            // The statement still using it has its own ARD back; the new one was never touched.
            assert_ne!(statement_attribute(second, ATTR_APP_ROW_DESC), desc as usize);
            assert_ne!(statement_attribute(reused, ATTR_APP_ROW_DESC), desc as usize);
            let sql = "SELECT 5";
            assert_eq!(SQLExecDirect(second, sql.as_ptr(), sql.len() as i32), SQL_SUCCESS);
            let mut value = 0i32;
            let code = SQLBindCol(second, 1, C_SLONG, (&mut value as *mut i32).cast(), 4, null_mut());
            assert_eq!(code, SQL_SUCCESS);
            assert_eq!((SQLFetch(second), value), (SQL_SUCCESS, 5));
            assert_eq!(SQLFreeHandle(HANDLE_STMT, second), SQL_SUCCESS);
            assert_eq!(SQLFreeHandle(HANDLE_STMT, reused), SQL_SUCCESS);
            assert_eq!(SQLFreeHandle(HANDLE_DESC, desc), SQL_INVALID_HANDLE);
        }
    }
}

/// The sequence above under valgrind's memcheck: before, freeing the descriptor read and wrote the
/// freed statement.
#[test]
fn the_descriptor_sequence_is_clean_under_memcheck() {
    let test = "an_explicit_descriptor_installed_twice_outlives_its_statement";
    let output = std::process::Command::new("valgrind")
        .args(["--error-exitcode=1", "-q"])
        .arg(std::env::current_exe().unwrap())
        .args(["--exact", test, "--test-threads=1"])
        .output()
        .expect("valgrind runs");
    let report = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}\n{report}");
    assert!(stdout.contains("1 passed"), "{stdout}");
}

/// Every export these fixes touched, given handles that are freed, null or of another kind, and
/// null output pointers: SQL_INVALID_HANDLE or a diagnosed error, never a dereference.
#[test]
fn touched_exports_refuse_dead_handles_and_take_null_outputs() {
    let server = &servers()[0];
    let (env, dbc) = raw_connection(server.port);
    let (stmt, desc) = (allocate(HANDLE_STMT, dbc), allocate(HANDLE_DESC, dbc));
    let sql = "SELECT 1";
    let (text, length) = (sql.as_ptr(), sql.len() as i32);
    let wide_text = wide(sql);
    let mut out = [0u8; 16];
    let (mut small, mut integer_out, mut long) = (0i16, 0i32, 0isize);
    let (null, mut rows, mut status) = (null_mut::<c_void>(), 0usize, 0u16);
    unsafe {
        assert_eq!(SQLFreeHandle(HANDLE_STMT, stmt), SQL_SUCCESS);
        assert_eq!(SQLFreeHandle(HANDLE_DESC, desc), SQL_SUCCESS);
        // Freed, null, and an environment where a statement belongs.
        for dead in [stmt, null, env] {
            let codes = [
                SQLExecDirect(dead, text, length),
                SQLExecDirectW(dead, wide_text.as_ptr(), length),
                SQLPrepare(dead, text, length),
                SQLPrepareW(dead, wide_text.as_ptr(), length),
                SQLDescribeCol(
                    dead,
                    1,
                    out.as_mut_ptr(),
                    16,
                    &mut small,
                    null_mut(),
                    null_mut(),
                    null_mut(),
                    null_mut(),
                ),
                SQLDescribeColW(
                    dead,
                    1,
                    null_mut(),
                    0,
                    &mut small,
                    null_mut(),
                    null_mut(),
                    null_mut(),
                    null_mut(),
                ),
                SQLColAttribute(dead, 1, DESC_NAME as u16, null, 0, &mut small, &mut long),
                SQLColAttributeW(dead, 1, DESC_NAME as u16, null, 0, &mut small, &mut long),
                SQLColAttributes(dead, 1, 0, null, 0, &mut small, &mut long),
                SQLColAttributesW(dead, 1, 0, null, 0, &mut small, &mut long),
                SQLFetch(dead),
                SQLFetchScroll(dead, 1, 0),
                SQLExtendedFetch(dead, FETCH_NEXT, 0, &mut rows, &mut status),
                SQLParamOptions(dead, 2, null_mut()),
                SQLGetTypeInfo(dead, 0),
                SQLGetTypeInfoW(dead, 0),
                SQLBindParameter(dead, 1, 1, C_SLONG, SQL_INTEGER, 0, 0, null, 0, null_mut()),
                SQLSetParam(dead, 1, C_SLONG, SQL_INTEGER, 0, 0, null, null_mut()),
                SQLSetStmtOption(dead, ATTR_ROW_ARRAY_SIZE as u16, 1),
                SQLGetStmtOption(dead, ATTR_ROW_ARRAY_SIZE as u16, (&mut long as *mut isize).cast()),
                SQLFreeStmt(dead, 0),
                SQLFreeStmt(dead, 1),
                SQLGetDiagField(
                    HANDLE_STMT,
                    dead,
                    0,
                    DIAG_NUMBER,
                    (&mut integer_out as *mut i32).cast(),
                    0,
                    null_mut(),
                ),
                SQLGetDiagFieldW(
                    HANDLE_STMT,
                    dead,
                    0,
                    DIAG_NUMBER,
                    (&mut integer_out as *mut i32).cast(),
                    0,
                    null_mut(),
                ),
                SQLFreeHandle(HANDLE_STMT, dead),
            ];
            assert!(codes.iter().all(|&code| code == SQL_INVALID_HANDLE), "{codes:?}");
        }
        for dead in [desc, null, stmt] {
            let codes = [
                SQLSetDescField(dead, 0, DESC_COUNT, integer(1), 0),
                SQLSetDescFieldW(dead, 0, DESC_COUNT, integer(1), 0),
                SQLGetDescField(dead, 0, DESC_COUNT, null, 0, null_mut()),
                SQLGetDescFieldW(dead, 0, DESC_COUNT, null, 0, null_mut()),
                SQLGetDescRec(
                    dead,
                    1,
                    null_mut(),
                    0,
                    &mut small,
                    null_mut(),
                    null_mut(),
                    null_mut(),
                    null_mut(),
                    null_mut(),
                    null_mut(),
                ),
                SQLGetDescRecW(
                    dead,
                    1,
                    null_mut(),
                    0,
                    &mut small,
                    null_mut(),
                    null_mut(),
                    null_mut(),
                    null_mut(),
                    null_mut(),
                    null_mut(),
                ),
                SQLFreeHandle(HANDLE_DESC, dead),
            ];
            assert!(codes.iter().all(|&code| code == SQL_INVALID_HANDLE), "{codes:?}");
        }

        // Null outputs on live handles: nothing is written, nothing fails.
        let stmt = allocate(HANDLE_STMT, dbc);
        assert_eq!(SQLAllocHandle(HANDLE_STMT, dbc, null_mut()), SQL_ERROR);
        assert_eq!(diagnostic(HANDLE_DBC, dbc).0, "HY009");
        assert_eq!(SQLExecDirect(stmt, text, length), SQL_SUCCESS);
        let code = SQLDescribeColW(
            stmt,
            1,
            null_mut(),
            0,
            null_mut(),
            null_mut(),
            null_mut(),
            null_mut(),
            null_mut(),
        );
        assert_eq!(code, SQL_SUCCESS);
        assert_eq!(
            SQLColAttributeW(stmt, 1, DESC_NAME as u16, null, 0, null_mut(), null_mut()),
            SQL_SUCCESS
        );
        for column in [0, 2, u16::MAX] {
            let code = SQLDescribeCol(
                stmt,
                column,
                null_mut(),
                0,
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut(),
            );
            assert_eq!(code, SQL_ERROR);
            assert_eq!(diagnostic(HANDLE_STMT, stmt).0, "07009", "column {column}");
        }
        assert_eq!(
            SQLExtendedFetch(stmt, FETCH_NEXT, 0, null_mut(), null_mut()),
            SQL_SUCCESS
        );
        assert_eq!(
            SQLExtendedFetch(stmt, FETCH_NEXT, 0, null_mut(), null_mut()),
            SQL_NO_DATA
        );
        assert_eq!(
            SQLGetDiagField(HANDLE_STMT, stmt, 0, DIAG_RETURNCODE, null, 0, null_mut()),
            SQL_SUCCESS
        );
        assert_eq!(
            SQLNativeSql(dbc, text, length, null_mut(), 0, &mut integer_out),
            SQL_SUCCESS
        );
        assert_eq!(integer_out, length);
        assert_eq!(SQLNativeSql(dbc, text, length, null_mut(), 0, null_mut()), SQL_SUCCESS);
        assert_eq!(SQLDisconnect(dbc), SQL_SUCCESS);
        for code in [
            SQLNativeSql(dbc, text, length, out.as_mut_ptr(), 16, null_mut()),
            SQLAllocHandle(HANDLE_STMT, dbc, &mut null_mut()),
            SQLDisconnect(dbc),
        ] {
            assert_eq!(code, SQL_ERROR);
        }
        assert_eq!(SQLFreeConnect(dbc), SQL_SUCCESS);
        assert_eq!(SQLFreeEnv(env), SQL_SUCCESS);
        for code in [
            SQLNativeSql(dbc, text, length, out.as_mut_ptr(), 16, null_mut()),
            SQLNativeSqlW(dbc, wide_text.as_ptr(), length, null_mut(), 0, null_mut()),
            SQLDisconnect(dbc),
            SQLTransact(null, dbc, 0),
            SQLTransact(env, null, 0),
            SQLSetConnectOption(dbc, 102, 1),
            SQLGetConnectOption(dbc, 102, (&mut integer_out as *mut i32).cast()),
            SQLAllocStmt(dbc, &mut null_mut()),
            SQLFreeConnect(dbc),
            SQLFreeEnv(env),
        ] {
            assert_eq!(code, SQL_INVALID_HANDLE);
        }
    }
}

/// Numeric attributes and fields report the size of what they wrote wherever a length was asked
/// for (it was left unwritten).
#[test]
fn numeric_outputs_report_their_size() {
    let server = &servers()[0];
    let handles = connect(server.port);
    let stmt = handles.stmt;
    handles.ok(handles.execute("SELECT 1"));
    let mut value = [0u8; 16];
    let buffer = value.as_mut_ptr().cast::<c_void>();
    unsafe {
        let mut length = -1i32;
        assert_eq!(SQLGetEnvAttr(handles.env, 200, buffer, 0, &mut length), SQL_SUCCESS);
        assert_eq!(length, 4);
        length = -1;
        assert_eq!(SQLGetConnectAttr(handles.dbc, 102, buffer, 0, &mut length), SQL_SUCCESS);
        assert_eq!(length, 4);
        length = -1;
        assert_eq!(
            SQLGetStmtAttrW(stmt, ATTR_ROW_ARRAY_SIZE, buffer, 0, &mut length),
            SQL_SUCCESS
        );
        assert_eq!(length, 8);
        let ird = statement_attribute(stmt, ATTR_IMP_ROW_DESC) as *mut c_void;
        length = -1;
        assert_eq!(SQLGetDescField(ird, 0, DESC_COUNT, buffer, 0, &mut length), SQL_SUCCESS);
        assert_eq!((length, value[0]), (2, 1));
        let mut small = UNWRITTEN;
        let code = SQLColAttribute(stmt, 1, DESC_COUNT as u16, null_mut(), 0, &mut small, buffer.cast());
        assert_eq!((code, small, value[0]), (SQL_SUCCESS, 8, 1));
        small = UNWRITTEN;
        let code = SQLGetDiagField(HANDLE_STMT, stmt, 0, DIAG_RETURNCODE, buffer, 0, &mut small);
        assert_eq!((code, small), (SQL_SUCCESS, 2));
    }
}
