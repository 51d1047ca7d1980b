//! Result metadata between SQLPrepare and SQLExecute, as BI tools ask for it, through the exported
//! functions against both servers: SELECTs (with `?` placeholders too) are described without being
//! run, statements without a result report none and do not run, and SQLExecute then works as usual.

mod common;

use std::ffi::c_void;
use std::ptr::null_mut;
use std::time::{Duration, Instant};

use bytehouse::ffi::*;
use common::c_abi::{HANDLE_STMT, Handles};
use common::{diagnostic, servers, unique_table};

const SQL_DESC_TYPE_NAME: u16 = 14;
const C_SLONG: i16 = -16;
const SQL_INTEGER: i16 = 4;
const PARAM_INPUT: i16 = 1;

fn prepare(stmt: *mut c_void, sql: &str) {
    let code = unsafe { SQLPrepare(stmt, sql.as_ptr(), sql.len() as i32) };
    assert_eq!(code, SQL_SUCCESS, "{sql}: {:?}", diagnostic(HANDLE_STMT, stmt));
}

fn column_count(stmt: *mut c_void) -> i16 {
    let mut count = -1i16;
    let code = unsafe { SQLNumResultCols(stmt, &mut count) };
    assert_eq!(code, SQL_SUCCESS, "{:?}", diagnostic(HANDLE_STMT, stmt));
    count
}

/// Name, SQL type, size, digits, nullability and the server's type name of column `number`.
fn describe(stmt: *mut c_void, number: u16) -> (String, i16, usize, i16, i16, String) {
    let mut name = [0u8; 128];
    let (mut name_length, mut data_type, mut size, mut digits, mut nullable) = (0i16, 0i16, 0usize, 0i16, 0i16);
    let code = unsafe {
        SQLDescribeCol(
            stmt,
            number,
            name.as_mut_ptr(),
            128,
            &mut name_length,
            &mut data_type,
            &mut size,
            &mut digits,
            &mut nullable,
        )
    };
    assert_eq!(code, SQL_SUCCESS, "{:?}", diagnostic(HANDLE_STMT, stmt));
    let mut type_name = [0u8; 128];
    let mut type_name_length = 0i16;
    let code = unsafe {
        SQLColAttribute(
            stmt,
            number,
            SQL_DESC_TYPE_NAME,
            type_name.as_mut_ptr().cast(),
            128,
            &mut type_name_length,
            null_mut(),
        )
    };
    assert_eq!(code, SQL_SUCCESS, "{:?}", diagnostic(HANDLE_STMT, stmt));
    (
        String::from_utf8_lossy(&name[..name_length as usize]).into_owned(),
        data_type,
        size,
        digits,
        nullable,
        String::from_utf8_lossy(&type_name[..type_name_length as usize]).into_owned(),
    )
}

fn describe_all(stmt: *mut c_void) -> Vec<(String, i16, usize, i16, i16, String)> {
    (1..=column_count(stmt) as u16)
        .map(|number| describe(stmt, number))
        .collect()
}

/// SQL_DESC_COUNT and the SQL_DESC_NAME of record 1 of the statement's IRD.
fn ird_count_and_first_name(stmt: *mut c_void) -> (i16, String) {
    const IMP_ROW_DESC: i32 = 10012;
    const DESC_COUNT: i16 = 1001;
    const DESC_NAME: i16 = 1011;
    let mut ird: *mut c_void = null_mut();
    let mut count = 0i16;
    let mut name = [0u8; 64];
    let mut length = 0i32;
    unsafe {
        let ird_out: *mut *mut c_void = &mut ird;
        assert_eq!(
            SQLGetStmtAttr(stmt, IMP_ROW_DESC, ird_out.cast(), 0, null_mut()),
            SQL_SUCCESS
        );
        let count_out: *mut i16 = &mut count;
        assert_eq!(
            SQLGetDescField(ird, 0, DESC_COUNT, count_out.cast(), 0, null_mut()),
            SQL_SUCCESS
        );
        let code = SQLGetDescField(ird, 1, DESC_NAME, name.as_mut_ptr().cast(), 64, &mut length);
        assert_eq!(code, SQL_SUCCESS);
    }
    (count, String::from_utf8_lossy(&name[..length as usize]).into_owned())
}

#[test]
fn a_prepared_select_with_placeholders_is_described_before_it_runs() {
    for server in servers() {
        let handles = Handles::connect_server(&server);
        let sql = "SELECT number AS n, toString(number) AS s, toDecimal64(number, 2) AS d, \
                   if(number = 2, NULL, number) AS maybe FROM numbers(10) WHERE number > ? ORDER BY n";
        prepare(handles.stmt, sql);
        let before = describe_all(handles.stmt);
        let names: Vec<&str> = before.iter().map(|column| column.0.as_str()).collect();
        assert_eq!(names, ["n", "s", "d", "maybe"], "{}", server.name);
        assert_eq!(before[0].5, "UInt64", "{}", server.name);
        assert_eq!(before[2].5, "Decimal(18, 2)", "{}", server.name);
        assert_eq!(before[3].4, 1, "{}: nullable", server.name);
        assert_eq!(
            ird_count_and_first_name(handles.stmt),
            (4, "n".to_string()),
            "{}",
            server.name
        );

        let mut bound = 6i32;
        let code = unsafe {
            SQLBindParameter(
                handles.stmt,
                1,
                PARAM_INPUT,
                C_SLONG,
                SQL_INTEGER,
                0,
                0,
                (&mut bound as *mut i32).cast(),
                0,
                null_mut(),
            )
        };
        assert_eq!(code, SQL_SUCCESS);
        assert_eq!(
            unsafe { SQLExecute(handles.stmt) },
            SQL_SUCCESS,
            "{:?}",
            diagnostic(HANDLE_STMT, handles.stmt)
        );
        assert_eq!(
            describe_all(handles.stmt),
            before,
            "{}: the same after SQLExecute",
            server.name
        );
        let mut rows = 0;
        while unsafe { SQLFetch(handles.stmt) } == SQL_SUCCESS {
            rows += 1;
        }
        assert_eq!(rows, 3, "{}", server.name);
        // Closed, the statement is prepared again and still described.
        unsafe { SQLCloseCursor(handles.stmt) };
        assert_eq!(describe_all(handles.stmt), before, "{}", server.name);
    }
}

#[test]
fn placeholders_in_limit_and_offset_are_described() {
    for server in servers() {
        let handles = Handles::connect_server(&server);
        for sql in [
            "SELECT number AS n FROM numbers(10) LIMIT ?",
            "SELECT number AS n FROM numbers(10) LIMIT ? OFFSET ?",
            "SELECT number AS n FROM numbers(10) WHERE number > ? LIMIT ?, ?",
            "SELECT number AS n FROM numbers(10) ORDER BY n LIMIT ? BY n",
        ] {
            prepare(handles.stmt, sql);
            let names: Vec<String> = describe_all(handles.stmt).into_iter().map(|column| column.0).collect();
            assert_eq!(names, ["n"], "{}: {sql}", server.name);
            unsafe { SQLFreeStmt(handles.stmt, 0) };
        }
    }
}

#[test]
fn describing_runs_nothing_and_is_learned_once() {
    for server in servers() {
        let handles = Handles::connect_server(&server);
        // Endless if it ran.
        prepare(handles.stmt, "SELECT count() AS c FROM system.numbers");
        let started = Instant::now();
        assert_eq!(column_count(handles.stmt), 1, "{}", server.name);
        assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());

        let table = unique_table("prepared_described");
        let other = handles_statement(&handles);
        run(
            other,
            &format!("CREATE TABLE {table} (id UInt32, name String) ENGINE = Memory"),
        );
        prepare(handles.stmt, &format!("SELECT * FROM {table}"));
        assert_eq!(column_count(handles.stmt), 2, "{}", server.name);
        run(other, &format!("DROP TABLE {table}"));
        // Learned once: the table is gone, the description is not.
        assert_eq!(describe(handles.stmt, 2).0, "name", "{}", server.name);
        unsafe { SQLFreeHandle(HANDLE_STMT, other) };
    }
}

#[test]
fn statements_without_a_result_report_none_and_do_not_run() {
    for server in servers() {
        let handles = Handles::connect_server(&server);
        let other = handles_statement(&handles);
        let table = unique_table("prepared_insert");
        run(other, &format!("CREATE TABLE {table} (id UInt32) ENGINE = Memory"));

        prepare(handles.stmt, &format!("INSERT INTO {table} VALUES (1)"));
        assert_eq!(column_count(handles.stmt), 0, "{}", server.name);
        let mut name_length = 0i16;
        let code = unsafe {
            SQLDescribeCol(
                handles.stmt,
                1,
                null_mut(),
                0,
                &mut name_length,
                null_mut(),
                null_mut(),
                null_mut(),
                null_mut(),
            )
        };
        assert_eq!(code, SQL_ERROR);
        assert_eq!(diagnostic(HANDLE_STMT, handles.stmt).0, "07005", "{}", server.name);
        assert_eq!(
            texts(other, &format!("SELECT count() FROM {table}")),
            ["0"],
            "{}",
            server.name
        );
        assert_eq!(unsafe { SQLExecute(handles.stmt) }, SQL_SUCCESS, "{}", server.name);
        assert_eq!(
            texts(other, &format!("SELECT count() FROM {table}")),
            ["1"],
            "{}",
            server.name
        );

        let created = unique_table("prepared_create");
        prepare(
            handles.stmt,
            &format!("CREATE TABLE {created} (id UInt32) ENGINE = Memory"),
        );
        assert_eq!(column_count(handles.stmt), 0, "{}", server.name);
        let exists = format!("EXISTS TABLE {created}");
        assert_eq!(texts(other, &exists), ["0"], "{}: not created at prepare", server.name);

        // Metadata statements are described by the header of their result.
        prepare(handles.stmt, &exists);
        assert_eq!(column_count(handles.stmt), 1, "{}", server.name);
        run(other, &format!("DROP TABLE {table}"));
        unsafe { SQLFreeHandle(HANDLE_STMT, other) };
    }
}

fn handles_statement(handles: &Handles) -> *mut c_void {
    let mut stmt = null_mut();
    assert_eq!(
        unsafe { SQLAllocHandle(HANDLE_STMT, handles.dbc, &mut stmt) },
        SQL_SUCCESS
    );
    stmt
}

fn run(stmt: *mut c_void, sql: &str) {
    let code = unsafe { SQLExecDirect(stmt, sql.as_ptr(), sql.len() as i32) };
    assert_eq!(code, SQL_SUCCESS, "{sql}: {:?}", diagnostic(HANDLE_STMT, stmt));
    unsafe { SQLCloseCursor(stmt) };
}

/// The first column of every row of `sql` as text.
fn texts(stmt: *mut c_void, sql: &str) -> Vec<String> {
    let code = unsafe { SQLExecDirect(stmt, sql.as_ptr(), sql.len() as i32) };
    assert_eq!(code, SQL_SUCCESS, "{sql}: {:?}", diagnostic(HANDLE_STMT, stmt));
    let mut rows = Vec::new();
    while unsafe { SQLFetch(stmt) } == SQL_SUCCESS {
        let mut buffer = [0u8; 64];
        let mut length = 0isize;
        let code = unsafe { SQLGetData(stmt, 1, 1, buffer.as_mut_ptr().cast(), 64, &mut length) };
        assert_eq!(code, SQL_SUCCESS);
        rows.push(String::from_utf8_lossy(&buffer[..length.max(0) as usize]).into_owned());
    }
    unsafe { SQLCloseCursor(stmt) };
    rows
}
