//! Column-wise bound rowsets of a Nullable(Int32) column, through the exported functions, against
//! both servers: the values arrive copied a block at a time, each row's indicator says NULL or the
//! value's length, and a NULL with no indicator bound fails its row alone (22002, SQL_ROW_ERROR)
//! while the other rows keep their values. An integer bound as a C integer of another sign or width
//! (UInt64 as SQL_C_SBIGINT, Int32 as SQL_C_ULONG, Int64 as SQL_C_SLONG) keeps its values too,
//! except one that does not fit, whose row alone fails (22003).

mod common;

use std::ffi::c_void;
use std::ptr::null_mut;

use bytehouse::ffi::*;
use common::c_abi::{HANDLE_STMT, Handles};
use common::{diagnostic_record, servers};

const C_SLONG: i16 = -16;
const C_SBIGINT: i16 = -25;
const C_ULONG: i16 = -18;
const ROW_STATUS_PTR: i32 = 25;
const ROWS_FETCHED_PTR: i32 = 26;
const ROW_ARRAY_SIZE: i32 = 27;
const ROW_SUCCESS: u16 = 0;
const ROW_ERROR: u16 = 5;
const NULL_DATA: isize = -1;
/// More rows than one rowset takes, so that a rowset also starts in the middle of a block.
const ROWS: usize = 25;
const ROWSET: usize = 10;
/// Every third value is NULL.
const SQL: &str = "SELECT if(number % 3 = 0, NULL, toInt32(number) - 100) FROM system.numbers LIMIT 25";

fn expected(row: usize) -> Option<i32> {
    (!row.is_multiple_of(3)).then_some(row as i32 - 100)
}

/// The rowsets of [`SQL`], the column bound with or without an indicator array: per row, its
/// status, its value and its indicator (`None` where none is bound); and the SQLSTATEs reported.
struct Fetched {
    rows: Vec<(u16, i32, Option<isize>)>,
    states: Vec<String>,
}

/// A statement fetching rowsets of [`ROWSET`] rows, with their statuses in `statuses` and the
/// count of each in `fetched`.
fn rowset_statement(handles: &Handles, statuses: &mut [u16], fetched: &mut usize) -> *mut c_void {
    let mut stmt = null_mut();
    let fetched_ptr: *mut usize = fetched;
    unsafe {
        assert_eq!(SQLAllocHandle(HANDLE_STMT, handles.dbc, &mut stmt), SQL_SUCCESS);
        assert_eq!(
            SQLSetStmtAttr(stmt, ROW_ARRAY_SIZE, ROWSET as *mut c_void, 0),
            SQL_SUCCESS
        );
        assert_eq!(
            SQLSetStmtAttr(stmt, ROW_STATUS_PTR, statuses.as_mut_ptr().cast(), 0),
            SQL_SUCCESS
        );
        assert_eq!(
            SQLSetStmtAttr(stmt, ROWS_FETCHED_PTR, fetched_ptr.cast(), 0),
            SQL_SUCCESS
        );
    }
    stmt
}

fn fetch_all(handles: &Handles, with_indicator: bool) -> Fetched {
    let mut values = vec![0i32; ROWSET];
    let mut indicators = vec![0isize; ROWSET];
    let mut statuses = vec![0u16; ROWSET];
    let mut fetched = 0usize;
    let stmt = rowset_statement(handles, &mut statuses, &mut fetched);
    let indicator_ptr = if with_indicator {
        indicators.as_mut_ptr()
    } else {
        null_mut()
    };
    unsafe {
        assert_eq!(
            SQLBindCol(stmt, 1, C_SLONG, values.as_mut_ptr().cast(), 4, indicator_ptr),
            SQL_SUCCESS
        );
        assert_eq!(SQLExecDirect(stmt, SQL.as_ptr(), SQL.len() as i32), SQL_SUCCESS);
    }
    let mut result = Fetched {
        rows: Vec::new(),
        states: Vec::new(),
    };
    loop {
        values.fill(i32::MIN);
        let code = unsafe { SQLFetch(stmt) };
        if code == SQL_NO_DATA {
            break;
        }
        assert!(code == SQL_SUCCESS || code == SQL_SUCCESS_WITH_INFO, "SQLFetch: {code}");
        let mut number = 1;
        while let Some((state, _, _)) = diagnostic_record(HANDLE_STMT, stmt, number) {
            result.states.push(state);
            number += 1;
        }
        for position in 0..fetched {
            let indicator = with_indicator.then_some(indicators[position]);
            result.rows.push((statuses[position], values[position], indicator));
        }
    }
    unsafe { SQLFreeHandle(HANDLE_STMT, stmt) };
    result
}

#[test]
fn values_and_indicators_of_every_row() {
    for server in servers() {
        let handles = Handles::connect_server(&server);
        let fetched = fetch_all(&handles, true);
        assert_eq!(fetched.rows.len(), ROWS, "{}", server.name);
        assert!(fetched.states.is_empty(), "{}: {:?}", server.name, fetched.states);
        for (row, &(status, value, indicator)) in fetched.rows.iter().enumerate() {
            assert_eq!(status, ROW_SUCCESS, "{}: row {row}", server.name);
            match expected(row) {
                Some(number) => {
                    assert_eq!((value, indicator), (number, Some(4)), "{}: row {row}", server.name)
                }
                None => assert_eq!(indicator, Some(NULL_DATA), "{}: row {row}", server.name),
            }
        }
    }
}

#[test]
fn a_null_without_an_indicator_fails_its_row_alone() {
    for server in servers() {
        let handles = Handles::connect_server(&server);
        let fetched = fetch_all(&handles, false);
        assert_eq!(fetched.rows.len(), ROWS, "{}", server.name);
        let nulls = (0..ROWS).filter(|&row| expected(row).is_none()).count();
        assert_eq!(fetched.states, vec!["22002".to_string(); nulls], "{}", server.name);
        for (row, &(status, value, _)) in fetched.rows.iter().enumerate() {
            match expected(row) {
                Some(number) => assert_eq!((status, value), (ROW_SUCCESS, number), "{}: row {row}", server.name),
                None => assert_eq!(status, ROW_ERROR, "{}: row {row}", server.name),
            }
        }
    }
}

/// An integer bound as a C integer of another sign or width: copied a block at a time (same width)
/// or cell by cell (other width), except the one value that does not fit, whose row alone fails.
#[test]
fn an_integer_that_does_not_fit_its_c_type_fails_its_row_alone() {
    const BAD_ROW: usize = 3;
    let cases = [
        ("18446744073709551615", "number", C_SBIGINT, 8),
        ("toInt32(-1)", "toInt32(number)", C_ULONG, 4),
        ("toInt64(1099511627776)", "toInt64(number)", C_SLONG, 4),
    ];
    for server in servers() {
        let handles = Handles::connect_server(&server);
        for (bad, good, c_type, width) in cases {
            let sql = format!("SELECT if(number = {BAD_ROW}, {bad}, {good}) FROM system.numbers LIMIT {ROWS}");
            let case = format!("{}: {sql} as {c_type}", server.name);
            let mut values = vec![0u8; ROWSET * width];
            let mut statuses = vec![0u16; ROWSET];
            let mut fetched = 0usize;
            let stmt = rowset_statement(&handles, &mut statuses, &mut fetched);
            unsafe {
                assert_eq!(
                    SQLBindCol(stmt, 1, c_type, values.as_mut_ptr().cast(), width as isize, null_mut()),
                    SQL_SUCCESS
                );
                assert_eq!(
                    SQLExecDirect(stmt, sql.as_ptr(), sql.len() as i32),
                    SQL_SUCCESS,
                    "{case}"
                );
            }
            let (mut rows, mut states) = (Vec::new(), Vec::new());
            while unsafe { SQLFetch(stmt) } != SQL_NO_DATA {
                let mut number = 1;
                while let Some((state, _, _)) = diagnostic_record(HANDLE_STMT, stmt, number) {
                    states.push(state);
                    number += 1;
                }
                rows.extend((0..fetched).map(|position| {
                    let mut value = [0u8; 8];
                    value[..width].copy_from_slice(&values[position * width..(position + 1) * width]);
                    (statuses[position], u64::from_le_bytes(value))
                }));
            }
            unsafe { SQLFreeHandle(HANDLE_STMT, stmt) };
            assert_eq!(rows.len(), ROWS, "{case}");
            assert_eq!(states, vec!["22003".to_string()], "{case}");
            for (row, &(status, value)) in rows.iter().enumerate() {
                match row {
                    BAD_ROW => assert_eq!(status, ROW_ERROR, "{case}"),
                    _ => assert_eq!((status, value), (ROW_SUCCESS, row as u64), "{case}: row {row}"),
                }
            }
        }
    }
}
