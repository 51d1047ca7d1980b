//! Descriptors, data-at-execution parameters and parameter-array INSERTs, through the exported
//! functions called directly, against both test servers.

mod common;

use std::ffi::c_void;
use std::ptr::null_mut;

use bytehouse::ffi::*;
use common::c_abi::{HANDLE_DESC, HANDLE_STMT, Handles};
use common::{diagnostic, servers, unique_table};

const C_CHAR: i16 = 1;
const C_SLONG: i16 = -16;
const C_SBIGINT: i16 = -25;
const SQL_INTEGER: i16 = 4;
const SQL_VARCHAR: i16 = 12;
const SQL_BIGINT: i16 = -5;
const NULL_DATA: isize = -1;
const DATA_AT_EXEC: isize = -2;
const NEED_DATA: i16 = 99;

const ATTR_PARAM_STATUS_PTR: i32 = 20;
const ATTR_PARAMSET_SIZE: i32 = 22;
const ATTR_APP_ROW_DESC: i32 = 10010;
const ATTR_IMP_ROW_DESC: i32 = 10012;

const DESC_ARRAY_SIZE: i16 = 20;
const DESC_COUNT: i16 = 1001;
const DESC_CONCISE_TYPE: i16 = 2;
const DESC_DATA_PTR: i16 = 1010;
const DESC_NAME: i16 = 1011;
const DESC_ALLOC_TYPE: i16 = 1099;

/// An integer attribute or field value, passed in the pointer argument as ODBC does.
fn integer(value: usize) -> *mut c_void {
    std::ptr::without_provenance_mut(value)
}

fn connect(port: u16) -> Handles {
    Handles::connect(&format!("Host={};Port={port}", common::host())).unwrap()
}

fn statement_attribute(handles: &Handles, attribute: i32) -> usize {
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
    handles.ok(code);
    value
}

fn small_field(desc: *mut c_void, record: i16, field: i16) -> i16 {
    let mut value = 0i16;
    let code = unsafe { SQLGetDescField(desc, record, field, (&mut value as *mut i16).cast(), 0, null_mut()) };
    assert_eq!(code, SQL_SUCCESS, "{:?}", diagnostic(HANDLE_DESC, desc));
    value
}

#[test]
fn an_explicit_descriptor_is_the_ard_for_block_fetches() {
    for server in servers() {
        let handles = connect(server.port);
        let mut desc = null_mut();
        assert_eq!(
            unsafe { SQLAllocHandle(HANDLE_DESC, handles.dbc, &mut desc) },
            SQL_SUCCESS
        );
        assert_eq!(small_field(desc, 0, DESC_ALLOC_TYPE), 2, "SQL_DESC_ALLOC_USER");
        let mut values = [0i32; 3];
        let mut lengths = [0isize; 3];
        let code = unsafe {
            SQLSetDescRec(
                desc,
                1,
                C_SLONG,
                0,
                4,
                0,
                0,
                values.as_mut_ptr().cast(),
                lengths.as_mut_ptr(),
                lengths.as_mut_ptr(),
            )
        };
        assert_eq!(code, SQL_SUCCESS, "{:?}", diagnostic(HANDLE_DESC, desc));
        assert_eq!(
            unsafe { SQLSetDescField(desc, 0, DESC_ARRAY_SIZE, integer(3), 0) },
            SQL_SUCCESS
        );
        let implicit = statement_attribute(&handles, ATTR_APP_ROW_DESC);
        handles.ok(unsafe { SQLSetStmtAttr(handles.stmt, ATTR_APP_ROW_DESC, desc, 0) });
        assert_eq!(statement_attribute(&handles, ATTR_APP_ROW_DESC), desc as usize);

        handles.ok(handles.execute("SELECT toInt32(number) * 10 FROM numbers(5)"));
        handles.ok(unsafe { SQLFetch(handles.stmt) });
        assert_eq!((values, lengths), ([0, 10, 20], [4; 3]), "{}", server.name);
        handles.ok(unsafe { SQLFetch(handles.stmt) });
        assert_eq!(&values[..2], &[30, 40], "{}", server.name);
        assert_eq!(unsafe { SQLFetch(handles.stmt) }, SQL_NO_DATA);

        // Freeing the descriptor gives the statement its own ARD back.
        assert_eq!(unsafe { SQLFreeHandle(HANDLE_DESC, desc) }, SQL_SUCCESS);
        assert_eq!(statement_attribute(&handles, ATTR_APP_ROW_DESC), implicit);
        let ird = statement_attribute(&handles, ATTR_IMP_ROW_DESC) as *mut c_void;
        assert_eq!(unsafe { SQLFreeHandle(HANDLE_DESC, ird) }, SQL_ERROR, "implicit: HY017");
    }
}

#[test]
fn the_ird_describes_the_result_and_copies_into_an_ard() {
    for server in servers() {
        let handles = connect(server.port);
        handles.ok(handles.execute("SELECT toInt32(1) AS id, 'x' AS label"));
        let ird = statement_attribute(&handles, ATTR_IMP_ROW_DESC) as *mut c_void;
        assert_eq!(small_field(ird, 0, DESC_COUNT), 2);
        assert_eq!(small_field(ird, 2, DESC_CONCISE_TYPE), SQL_VARCHAR);
        let mut name = [0u8; 16];
        let mut length = 0i32;
        let code = unsafe { SQLGetDescField(ird, 2, DESC_NAME, name.as_mut_ptr().cast(), 16, &mut length) };
        assert_eq!((code, &name[..length as usize]), (SQL_SUCCESS, &b"label"[..]));
        let (mut data_type, mut subtype, mut octets, mut precision, mut scale, mut nullable) = (0, 0, 0, 0, 0, 0);
        let code = unsafe {
            SQLGetDescRec(
                ird,
                1,
                name.as_mut_ptr(),
                16,
                null_mut(),
                &mut data_type,
                &mut subtype,
                &mut octets,
                &mut precision,
                &mut scale,
                &mut nullable,
            )
        };
        assert_eq!(
            (code, data_type, nullable),
            (SQL_SUCCESS, SQL_INTEGER, 0),
            "{}",
            server.name
        );
        assert_eq!(
            unsafe {
                SQLGetDescRec(
                    ird,
                    3,
                    null_mut(),
                    0,
                    null_mut(),
                    null_mut(),
                    null_mut(),
                    null_mut(),
                    null_mut(),
                    null_mut(),
                    null_mut(),
                )
            },
            SQL_NO_DATA
        );

        let mut copy = null_mut();
        assert_eq!(
            unsafe { SQLAllocHandle(HANDLE_DESC, handles.dbc, &mut copy) },
            SQL_SUCCESS
        );
        assert_eq!(
            unsafe { SQLCopyDesc(ird, copy) },
            SQL_SUCCESS,
            "{:?}",
            diagnostic(HANDLE_DESC, copy)
        );
        assert_eq!(small_field(copy, 0, DESC_COUNT), 2);
        assert_eq!(small_field(copy, 1, DESC_CONCISE_TYPE), SQL_INTEGER);
        assert_eq!(unsafe { SQLCopyDesc(copy, ird) }, SQL_ERROR, "the IRD is read-only");
        unsafe { SQLFreeHandle(HANDLE_DESC, copy) };

        // SQLBindCol writes the implicit ARD.
        let mut value = 0i32;
        let code = unsafe { SQLBindCol(handles.stmt, 1, C_SLONG, (&mut value as *mut i32).cast(), 4, null_mut()) };
        handles.ok(code);
        let ard = statement_attribute(&handles, ATTR_APP_ROW_DESC) as *mut c_void;
        let mut bound = 0usize;
        let code = unsafe { SQLGetDescField(ard, 1, DESC_DATA_PTR, (&mut bound as *mut usize).cast(), 0, null_mut()) };
        assert_eq!((code, bound), (SQL_SUCCESS, &mut value as *mut i32 as usize));
        handles.ok(unsafe { SQLFetch(handles.stmt) });
        assert_eq!(value, 1);
    }
}

#[test]
fn data_at_execution_parameters_arrive_in_pieces() {
    for server in servers() {
        let handles = connect(server.port);
        let table = unique_table("dae");
        handles.ok(handles.execute(&format!(
            "CREATE TABLE {table} (id Int32, s Nullable(String)) ENGINE = Memory"
        )));
        let sql = format!("INSERT INTO {table} VALUES (?, ?)");
        handles.ok(unsafe { SQLPrepare(handles.stmt, sql.as_ptr(), sql.len() as i32) });
        let ids = [1i32, 2];
        let mut at_execution = [DATA_AT_EXEC; 2];
        let token = integer(0x5eed);
        unsafe {
            handles.ok(SQLSetStmtAttr(handles.stmt, ATTR_PARAMSET_SIZE, integer(2), 0));
            let code = SQLBindParameter(
                handles.stmt,
                1,
                1,
                C_SLONG,
                SQL_INTEGER,
                0,
                0,
                ids.as_ptr() as *mut c_void,
                0,
                null_mut(),
            );
            handles.ok(code);
            let code = SQLBindParameter(
                handles.stmt,
                2,
                1,
                C_CHAR,
                SQL_VARCHAR,
                0,
                0,
                token,
                0,
                at_execution.as_mut_ptr(),
            );
            handles.ok(code);
            assert_eq!(SQLExecute(handles.stmt), NEED_DATA);
            let mut asked = null_mut();
            // Set 1: "it's " + "there" in two pieces; set 2: NULL.
            assert_eq!(SQLParamData(handles.stmt, &mut asked), NEED_DATA);
            assert_eq!(asked, token);
            handles.ok(SQLPutData(handles.stmt, c"it's ".as_ptr() as *mut c_void, -3));
            handles.ok(SQLPutData(handles.stmt, b"there".as_ptr() as *mut c_void, 5));
            assert_eq!(SQLParamData(handles.stmt, &mut asked), NEED_DATA);
            handles.ok(SQLPutData(handles.stmt, null_mut(), NULL_DATA));
            let code = SQLParamData(handles.stmt, &mut asked);
            assert_eq!(code, SQL_SUCCESS, "{:?}", diagnostic(HANDLE_STMT, handles.stmt));
            assert_eq!(
                SQLParamData(handles.stmt, &mut asked),
                SQL_ERROR,
                "nothing pending: HY010"
            );
            handles.ok(SQLSetStmtAttr(handles.stmt, ATTR_PARAMSET_SIZE, integer(1), 0));
            handles.ok(SQLFreeStmt(handles.stmt, 3));
        }
        let rows = handles.query_text(&format!(
            "SELECT concat(toString(id), ':', ifNull(s, 'NULL')) FROM {table} ORDER BY id"
        ));
        assert_eq!(rows, ["1:it's there", "2:NULL"], "{}", server.name);
        handles.ok(handles.execute(&format!("DROP TABLE {table}")));
    }
}

#[test]
fn parameter_arrays_insert_as_one_block_and_a_bad_value_stores_nothing() {
    for server in servers() {
        let handles = connect(server.port);
        let table = unique_table("param_array");
        handles.ok(handles.execute(&format!("CREATE TABLE {table} (id Int64, name String) ENGINE = Memory")));
        let sql = format!("INSERT INTO {table} (id, name) VALUES (?, ?)");
        handles.ok(unsafe { SQLPrepare(handles.stmt, sql.as_ptr(), sql.len() as i32) });
        let (mut data_type, mut size, mut digits, mut nullable) = (0i16, 99usize, 0i16, 0i16);
        unsafe {
            handles.ok(SQLDescribeParam(
                handles.stmt,
                1,
                &mut data_type,
                &mut size,
                &mut digits,
                &mut nullable,
            ));
            assert_eq!((data_type, nullable), (SQL_BIGINT, 0), "{}", server.name);
            handles.ok(SQLDescribeParam(
                handles.stmt,
                2,
                &mut data_type,
                &mut size,
                &mut digits,
                &mut nullable,
            ));
            assert_eq!((data_type, size), (SQL_VARCHAR, 0), "String has no known size");
        }
        // Column-wise: three ids as text (one not a number) and three names.
        let ids = *b"7\x00\x00\x00x\x00\x00\x009\x00\x00\x00";
        let names = *b"a\0\0\0b\0\0\0c\0\0\0";
        let lengths = [-3isize; 3];
        let mut statuses = [99u16; 3];
        unsafe {
            handles.ok(SQLSetStmtAttr(handles.stmt, ATTR_PARAMSET_SIZE, integer(3), 0));
            handles.ok(SQLSetStmtAttr(
                handles.stmt,
                ATTR_PARAM_STATUS_PTR,
                statuses.as_mut_ptr().cast(),
                0,
            ));
            let code = SQLBindParameter(
                handles.stmt,
                1,
                1,
                C_CHAR,
                SQL_BIGINT,
                0,
                0,
                ids.as_ptr() as *mut c_void,
                4,
                lengths.as_ptr() as *mut isize,
            );
            handles.ok(code);
            let code = SQLBindParameter(
                handles.stmt,
                2,
                1,
                C_CHAR,
                SQL_VARCHAR,
                0,
                0,
                names.as_ptr() as *mut c_void,
                4,
                lengths.as_ptr() as *mut isize,
            );
            handles.ok(code);
            assert_eq!(SQLExecute(handles.stmt), SQL_ERROR);
        }
        let (state, message) = diagnostic(HANDLE_STMT, handles.stmt);
        assert_eq!(state, "22018", "{message}");
        assert_eq!(statuses, [7, 5, 7], "only the second set is at fault; none was used");
        assert_eq!(handles.query_text(&format!("SELECT count() FROM {table}")), ["0"]);

        // The same statement with good values stores all three as one INSERT.
        let good = [7i64, 8, 9];
        let sql = format!("INSERT INTO {table} (id, name) VALUES (?, ?)");
        unsafe {
            handles.ok(SQLPrepare(handles.stmt, sql.as_ptr(), sql.len() as i32));
            let code = SQLBindParameter(
                handles.stmt,
                1,
                1,
                C_SBIGINT,
                SQL_BIGINT,
                0,
                0,
                good.as_ptr() as *mut c_void,
                0,
                null_mut(),
            );
            handles.ok(code);
            handles.ok(SQLExecute(handles.stmt));
            let mut count = 0isize;
            handles.ok(SQLRowCount(handles.stmt, &mut count));
            assert_eq!((count, statuses), (3, [0; 3]), "{}", server.name);
            handles.ok(SQLSetStmtAttr(handles.stmt, ATTR_PARAM_STATUS_PTR, null_mut(), 0));
            handles.ok(SQLSetStmtAttr(handles.stmt, ATTR_PARAMSET_SIZE, integer(1), 0));
        }
        let rows = handles.query_text(&format!("SELECT concat(toString(id), name) FROM {table} ORDER BY id"));
        assert_eq!(rows, ["7a", "8b", "9c"], "{}", server.name);
        handles.ok(handles.execute(&format!("DROP TABLE {table}")));
    }
}

/// Bound columns (converted a column at a time, some without a value per cell) give the same bytes,
/// lengths and warnings as SQLGetData of the same cells.
#[test]
fn bound_columns_match_get_data_cell_for_cell() {
    const ROWS: usize = 5;
    // (C type, buffer bytes per row)
    const COLUMNS: [(i16, usize); 6] = [
        (C_CHAR, 4),
        (C_CHAR, 8),
        (93, 16),
        (91, 6),
        (C_SLONG, 4),
        (C_SBIGINT, 8),
    ];
    let sql = "SELECT toString(number * 1000) AS s, if(number % 2 = 1, NULL, toString(number)) AS n, \
               toDateTime(86398 + number, 'UTC') AS t, toDate(17000 + number) AS d, toInt32(number) - 2 AS i, \
               number * 3 AS u FROM numbers(5)";
    for server in servers() {
        let handles = connect(server.port);
        // Bound, one rowset of five rows, column-wise.
        let mut buffers: Vec<Vec<u8>> = COLUMNS.iter().map(|(_, size)| vec![0xAA; size * ROWS]).collect();
        let mut lengths = [[0isize; ROWS]; COLUMNS.len()];
        let mut statuses = [0u16; ROWS];
        unsafe {
            handles.ok(SQLSetStmtAttr(handles.stmt, 27, integer(ROWS), 0));
            handles.ok(SQLSetStmtAttr(handles.stmt, 25, statuses.as_mut_ptr().cast(), 0));
            for (index, ((c_type, size), buffer)) in COLUMNS.iter().zip(&mut buffers).enumerate() {
                let code = SQLBindCol(
                    handles.stmt,
                    index as u16 + 1,
                    *c_type,
                    buffer.as_mut_ptr().cast(),
                    *size as isize,
                    lengths[index].as_mut_ptr(),
                );
                handles.ok(code);
            }
        }
        handles.ok(handles.execute(sql));
        assert_eq!(
            unsafe { SQLFetch(handles.stmt) },
            SQL_SUCCESS_WITH_INFO,
            "a text was cut"
        );
        assert_eq!(
            statuses,
            [0, 6, 6, 6, 6],
            "{}: \"1000\" and on do not fit 4 bytes",
            server.name
        );
        unsafe {
            SQLCloseCursor(handles.stmt);
            SQLFreeStmt(handles.stmt, 2);
            handles.ok(SQLSetStmtAttr(handles.stmt, 27, integer(1), 0));
            handles.ok(SQLSetStmtAttr(handles.stmt, 25, null_mut(), 0));
        }
        // The same cells through SQLGetData.
        handles.ok(handles.execute(sql));
        for row in 0..ROWS {
            assert_eq!(unsafe { SQLFetch(handles.stmt) }, SQL_SUCCESS);
            for (index, (c_type, size)) in COLUMNS.iter().enumerate() {
                let mut cell = vec![0xAA; *size];
                let mut length = 0isize;
                unsafe {
                    SQLGetData(
                        handles.stmt,
                        index as u16 + 1,
                        *c_type,
                        cell.as_mut_ptr().cast(),
                        *size as isize,
                        &mut length,
                    )
                };
                let bound = &buffers[index][row * size..(row + 1) * size];
                assert_eq!(
                    (lengths[index][row], bound),
                    (length, &cell[..]),
                    "{}: row {row} column {}",
                    server.name,
                    index + 1
                );
            }
        }
        unsafe { SQLCloseCursor(handles.stmt) };
        // A UInt64 beyond SQLBIGINT, bound as one: 22003, not a wrapped value.
        let mut value = 0i64;
        let mut length = 0isize;
        let code = unsafe {
            SQLBindCol(
                handles.stmt,
                1,
                C_SBIGINT,
                (&mut value as *mut i64).cast(),
                8,
                &mut length,
            )
        };
        handles.ok(code);
        handles.ok(handles.execute("SELECT toUInt64(18446744073709551615)"));
        assert_eq!(unsafe { SQLFetch(handles.stmt) }, SQL_ERROR);
        assert_eq!(diagnostic(HANDLE_STMT, handles.stmt).0, "22003", "{}", server.name);
    }
}

/// Misuse of descriptor and data-at-execution functions gets a diagnostic, never a crash.
#[test]
fn descriptor_misuse_is_diagnosed() {
    let server = &servers()[0];
    let handles = connect(server.port);
    let ird = statement_attribute(&handles, ATTR_IMP_ROW_DESC) as *mut c_void;
    unsafe {
        assert_eq!(SQLSetDescField(ird, 1, DESC_DATA_PTR, integer(8), 0), SQL_ERROR);
        assert_eq!(diagnostic(HANDLE_DESC, ird).0, "HY016");
        // A statement handle where a descriptor belongs, and a descriptor freed already.
        assert_eq!(SQLCopyDesc(handles.stmt, ird), SQL_INVALID_HANDLE);
        let mut desc = null_mut();
        assert_eq!(SQLAllocHandle(HANDLE_DESC, handles.dbc, &mut desc), SQL_SUCCESS);
        assert_eq!(SQLCopyDesc(handles.stmt, desc), SQL_INVALID_HANDLE);
        assert_eq!(
            SQLSetDescField(desc, 1, DESC_CONCISE_TYPE, integer(12345), 0),
            SQL_ERROR
        );
        assert_eq!(diagnostic(HANDLE_DESC, desc).0, "HY021");
        assert_eq!(SQLFreeHandle(HANDLE_DESC, desc), SQL_SUCCESS);
        assert_eq!(
            SQLSetDescField(desc, 0, DESC_ARRAY_SIZE, integer(2), 0),
            SQL_INVALID_HANDLE
        );
        // A statement handle is no descriptor to install.
        assert_eq!(
            SQLSetStmtAttr(handles.stmt, ATTR_APP_ROW_DESC, handles.stmt, 0),
            SQL_ERROR
        );
        assert_eq!(diagnostic(HANDLE_STMT, handles.stmt).0, "HY024");
        // Data at execution out of order.
        assert_eq!(SQLPutData(handles.stmt, c"x".as_ptr().cast_mut().cast(), 1), SQL_ERROR);
        assert_eq!(diagnostic(HANDLE_STMT, handles.stmt).0, "HY010");
        let mut token = null_mut();
        assert_eq!(SQLParamData(handles.stmt, &mut token), SQL_ERROR);
        assert_eq!(diagnostic(HANDLE_STMT, handles.stmt).0, "HY010");
        // Records beyond the count are SQL_NO_DATA.
        let mut value = 0i16;
        let code = SQLGetDescField(
            ird,
            5,
            DESC_CONCISE_TYPE,
            (&mut value as *mut i16).cast(),
            0,
            null_mut(),
        );
        assert!(code == SQL_NO_DATA || code == SQL_ERROR, "no result: {code}");
    }
}
