//! C type conversions both ways, through the exported functions called directly, against both test
//! servers: results into SQL_C_NUMERIC and the time types (ODBC 3 and ODBC 2 codes), parameters
//! from SQL_C_NUMERIC, SQL_C_TYPE_TIME and SQL_C_DEFAULT.

mod common;

use std::ffi::c_void;
use std::ptr::null_mut;

use bytehouse::ffi::*;
use common::c_abi::{HANDLE_STMT, Handles};
use common::{diagnostic, servers, unique_table};

const C_NUMERIC: i16 = 2;
const C_DATE: i16 = 9;
const C_TIME: i16 = 10;
const C_TIMESTAMP: i16 = 11;
const C_TYPE_TIME: i16 = 92;
const C_DEFAULT: i16 = 99;
const SQL_NUMERIC: i16 = 2;
const SQL_INTEGER: i16 = 4;
const SQL_TYPE_TIME: i16 = 92;
const PARAM_INPUT: i16 = 1;

const ATTR_APP_ROW_DESC: i32 = 10010;
const DESC_PRECISION: i16 = 1005;
const DESC_SCALE: i16 = 1006;

/// (precision, scale, sign, magnitude) of an SQL_NUMERIC_STRUCT.
type Numeric = (u8, i8, u8, u128);

fn numeric(bytes: &[u8; 19]) -> Numeric {
    let magnitude = u128::from_le_bytes(bytes[3..].try_into().unwrap());
    (bytes[0], bytes[1] as i8, bytes[2], magnitude)
}

fn numeric_struct((precision, scale, sign, magnitude): Numeric) -> [u8; 19] {
    let mut bytes = [0u8; 19];
    bytes[..3].copy_from_slice(&[precision, scale as u8, sign]);
    bytes[3..].copy_from_slice(&magnitude.to_le_bytes());
    bytes
}

/// The 16-bit fields of a date, time or timestamp structure.
fn fields(bytes: &[u8], count: usize) -> Vec<u16> {
    bytes[..count * 2]
        .chunks_exact(2)
        .map(|pair| u16::from_ne_bytes([pair[0], pair[1]]))
        .collect()
}

/// SQLGetData of `column` as `c_type` into a buffer big enough for any fixed-size type; the return
/// code, the bytes and the length.
fn get_data(handles: &Handles, column: u16, c_type: i16) -> (i16, [u8; 19], isize) {
    let (mut buffer, mut length) = ([0u8; 19], 0isize);
    let code = unsafe {
        SQLGetData(
            handles.stmt,
            column,
            c_type,
            buffer.as_mut_ptr().cast(),
            19,
            &mut length,
        )
    };
    (code, buffer, length)
}

const NUMBERS: &str = "SELECT toDecimal64(-12.345, 3), toUInt64('18446744073709551615'), toFloat64(0.125)";

/// What the three columns of `NUMBERS` are as SQL_C_NUMERIC at their own scale.
const NUMBERS_AS_NUMERIC: [Numeric; 3] = [(5, 3, 0, 12_345), (20, 0, 1, u64::MAX as u128), (3, 3, 1, 125)];

#[test]
fn numbers_into_sql_c_numeric_through_get_data_and_bound_columns() {
    for server in servers() {
        let handles = Handles::connect_server(&server);
        handles.ok(handles.execute(NUMBERS));
        assert_eq!(unsafe { SQLFetch(handles.stmt) }, SQL_SUCCESS);
        for (column, expected) in (1..).zip(NUMBERS_AS_NUMERIC) {
            let (code, bytes, length) = get_data(&handles, column, C_NUMERIC);
            assert_eq!((code, length), (SQL_SUCCESS, 19), "{}", server.name);
            assert_eq!(numeric(&bytes), expected, "column {column} on {}", server.name);
        }
        unsafe { SQLCloseCursor(handles.stmt) };

        let mut buffers = [[0u8; 19]; 3];
        let mut lengths = [0isize; 3];
        for (column, (buffer, length)) in (1..).zip(buffers.iter_mut().zip(lengths.iter_mut())) {
            let code = unsafe { SQLBindCol(handles.stmt, column, C_NUMERIC, buffer.as_mut_ptr().cast(), 19, length) };
            handles.ok(code);
        }
        handles.ok(handles.execute(NUMBERS));
        assert_eq!(unsafe { SQLFetch(handles.stmt) }, SQL_SUCCESS, "{}", server.name);
        assert_eq!(
            buffers.map(|buffer| numeric(&buffer)),
            NUMBERS_AS_NUMERIC,
            "{}",
            server.name
        );
        assert_eq!(lengths, [19; 3]);
        unsafe { SQLCloseCursor(handles.stmt) };

        // Precision and scale set in the ARD apply: two decimals drop a digit (01S07), and the
        // UInt64 maximum has more than 10 whole digits (22003, which fails the one-row rowset).
        let mut ard = null_mut();
        let code = unsafe {
            SQLGetStmtAttr(
                handles.stmt,
                ATTR_APP_ROW_DESC,
                (&mut ard as *mut *mut c_void).cast(),
                0,
                null_mut(),
            )
        };
        handles.ok(code);
        for column in 1..=3 {
            unsafe {
                assert_eq!(
                    SQLSetDescField(ard, column, DESC_PRECISION, 12 as *mut c_void, 0),
                    SQL_SUCCESS
                );
                assert_eq!(
                    SQLSetDescField(ard, column, DESC_SCALE, 2 as *mut c_void, 0),
                    SQL_SUCCESS
                );
            }
        }
        handles.ok(handles.execute(NUMBERS));
        assert_eq!(unsafe { SQLFetch(handles.stmt) }, SQL_ERROR, "{}", server.name);
        assert_eq!(numeric(&buffers[0]), (12, 2, 0, 1_234));
        assert_eq!(numeric(&buffers[2]), (12, 2, 1, 12));
        let mut states: Vec<String> = (1..=3)
            .map(|record| {
                let mut state = [0u8; 6];
                let (mut native, mut length) = (0i32, 0i16);
                let code = unsafe {
                    SQLGetDiagRec(
                        HANDLE_STMT,
                        handles.stmt,
                        record,
                        state.as_mut_ptr(),
                        &mut native,
                        null_mut(),
                        0,
                        &mut length,
                    )
                };
                assert_eq!(code, SQL_SUCCESS, "diagnostic record {record}");
                String::from_utf8_lossy(&state[..5]).into_owned()
            })
            .collect();
        states.sort();
        assert_eq!(states, ["01S07", "01S07", "22003"], "{}", server.name);

        // SQL_ARD_TYPE makes SQLGetData follow the ARD too.
        unsafe { SQLCloseCursor(handles.stmt) };
        handles.ok(unsafe { SQLFreeStmt(handles.stmt, 2) });
        unsafe {
            assert_eq!(
                SQLSetDescField(ard, 1, 2, C_NUMERIC as usize as *mut c_void, 0),
                SQL_SUCCESS
            );
            assert_eq!(
                SQLSetDescField(ard, 1, DESC_PRECISION, 6 as *mut c_void, 0),
                SQL_SUCCESS
            );
            assert_eq!(SQLSetDescField(ard, 1, DESC_SCALE, 4 as *mut c_void, 0), SQL_SUCCESS);
        }
        handles.ok(handles.execute(NUMBERS));
        assert_eq!(unsafe { SQLFetch(handles.stmt) }, SQL_SUCCESS);
        let (code, bytes, _) = get_data(&handles, 1, -99);
        assert_eq!(
            (code, numeric(&bytes)),
            (SQL_SUCCESS, (6, 4, 0, 123_450)),
            "{}",
            server.name
        );
        unsafe { SQLCloseCursor(handles.stmt) };
    }
}

#[test]
fn datetimes_into_time_and_the_odbc2_types() {
    for server in servers() {
        let handles = Handles::connect_server(&server);
        let sql = "SELECT t, t, t, t FROM (SELECT toDateTime('2020-01-02 03:04:05', 'UTC') AS t)";
        handles.ok(handles.execute(sql));
        assert_eq!(unsafe { SQLFetch(handles.stmt) }, SQL_SUCCESS);
        let (code, bytes, length) = get_data(&handles, 1, C_TYPE_TIME);
        assert_eq!(
            (code, length, fields(&bytes, 3)),
            (SQL_SUCCESS, 6, vec![3, 4, 5]),
            "{}",
            server.name
        );
        let (code, bytes, length) = get_data(&handles, 2, C_TIME);
        assert_eq!(
            (code, length, fields(&bytes, 3)),
            (SQL_SUCCESS, 6, vec![3, 4, 5]),
            "{}",
            server.name
        );
        let (code, bytes, length) = get_data(&handles, 3, C_TIMESTAMP);
        assert_eq!((code, length), (SQL_SUCCESS, 16), "{}", server.name);
        assert_eq!(fields(&bytes, 6), [2020, 1, 2, 3, 4, 5]);
        assert_eq!(u32::from_ne_bytes(bytes[12..16].try_into().unwrap()), 0);
        // A date drops the time of day, with 01S07.
        let (code, bytes, length) = get_data(&handles, 4, C_DATE);
        assert_eq!(
            (code, length, fields(&bytes, 3)),
            (SQL_SUCCESS_WITH_INFO, 6, vec![2020, 1, 2])
        );
        assert_eq!(diagnostic(HANDLE_STMT, handles.stmt).0, "01S07");
        unsafe { SQLCloseCursor(handles.stmt) };

        // A bound time takes a timestamp's text and drops its fraction, with 01S07 (18.16 has no
        // DateTime64).
        let mut time = [0u16; 3];
        let mut length = 0isize;
        let code = unsafe { SQLBindCol(handles.stmt, 1, C_TYPE_TIME, time.as_mut_ptr().cast(), 6, &mut length) };
        handles.ok(code);
        handles.ok(handles.execute("SELECT '2020-01-02 23:59:58.5'"));
        assert_eq!(
            unsafe { SQLFetch(handles.stmt) },
            SQL_SUCCESS_WITH_INFO,
            "{}",
            server.name
        );
        assert_eq!((time, length), ([23, 59, 58], 6));
        assert_eq!(diagnostic(HANDLE_STMT, handles.stmt).0, "01S07");
        unsafe { SQLCloseCursor(handles.stmt) };
    }
}

#[test]
fn numeric_time_and_default_parameters_insert_and_compare() {
    for server in servers() {
        let handles = Handles::connect_server(&server);
        let table = unique_table("conversions");
        let create = format!("CREATE TABLE {table} (id Int32, amount Decimal(18, 4), moment String) ENGINE = Memory");
        handles.ok(handles.execute(&create));

        let id = 7i32;
        let amount = numeric_struct((18, 3, 0, 12_345));
        let moment = [12u16, 34, 56];
        let bind = |number, c_type, sql_type, size, digits, value: *const c_void| {
            let code = unsafe {
                SQLBindParameter(
                    handles.stmt,
                    number,
                    PARAM_INPUT,
                    c_type,
                    sql_type,
                    size,
                    digits,
                    value as *mut c_void,
                    0,
                    null_mut(),
                )
            };
            handles.ok(code);
        };
        bind(1, C_DEFAULT, SQL_INTEGER, 10, 0, (&id as *const i32).cast());
        bind(2, C_NUMERIC, SQL_NUMERIC, 18, 4, amount.as_ptr().cast());
        bind(3, C_TYPE_TIME, SQL_TYPE_TIME, 8, 0, moment.as_ptr().cast());
        // Straight into the columns of a native INSERT block.
        handles.ok(handles.execute(&format!("INSERT INTO {table} (id, amount, moment) VALUES (?, ?, ?)")));
        // As SQL literals: a typed Decimal compares with the column even on 18.16.
        let matching = format!("SELECT count() FROM {table} WHERE id = ? AND amount = ? AND moment = ?");
        assert_eq!(handles.query_text(&matching), ["1"], "{}", server.name);
        handles.ok(unsafe { SQLFreeStmt(handles.stmt, 3) });

        let stored = handles.query_text(&format!("SELECT concat(toString(id), ' ', moment) FROM {table}"));
        assert_eq!(stored, ["7 12:34:56"], "{}", server.name);
        handles.ok(handles.execute(&format!("SELECT amount FROM {table}")));
        assert_eq!(unsafe { SQLFetch(handles.stmt) }, SQL_SUCCESS);
        let (code, bytes, _) = get_data(&handles, 1, C_NUMERIC);
        assert_eq!(
            (code, numeric(&bytes)),
            (SQL_SUCCESS, (6, 4, 0, 123_450)),
            "{}",
            server.name
        );
        unsafe { SQLCloseCursor(handles.stmt) };
        handles.ok(handles.execute(&format!("DROP TABLE {table}")));
    }
}

/// DateTime values are shown in their column's zone, as the server shows them, whether read with
/// SQLGetData (timestamp or text) or bound; timestamp parameters are wall-clock times in that zone,
/// through SQL text and through a parameter-array INSERT alike.
#[test]
fn datetimes_are_wall_clock_times_in_their_zone() {
    for server in servers() {
        let handles = Handles::connect_server(&server);
        let sql = "SELECT toDateTime('2020-01-02 03:04:05', 'Asia/Shanghai') AS t";
        assert_eq!(handles.query_text(sql), ["2020-01-02 03:04:05"], "{}", server.name);
        handles.ok(handles.execute(sql));
        assert_eq!(unsafe { SQLFetch(handles.stmt) }, SQL_SUCCESS);
        let (code, bytes, _) = get_data(&handles, 1, C_TIMESTAMP);
        assert_eq!(
            (code, fields(&bytes, 6)),
            (SQL_SUCCESS, vec![2020, 1, 2, 3, 4, 5]),
            "{}",
            server.name
        );
        unsafe { SQLCloseCursor(handles.stmt) };
        if server.is_modern() {
            let sql = "SELECT toDateTime64('2020-07-01 12:00:00.250', 3, 'America/New_York')";
            assert_eq!(handles.query_text(sql), ["2020-07-01 12:00:00.250"]);
        }

        let table = unique_table("zoned");
        handles.ok(handles.execute(&format!(
            "CREATE TABLE {table} (t DateTime('Asia/Shanghai')) ENGINE = Memory"
        )));
        let stamp: ([u16; 6], u32) = ([2021, 6, 7, 8, 9, 10], 0);
        let bind = |sql: &str| unsafe {
            handles.ok(SQLPrepare(handles.stmt, sql.as_ptr(), sql.len() as i32));
            let code = SQLBindParameter(
                handles.stmt,
                1,
                1,
                C_TIMESTAMP,
                93,
                19,
                0,
                (&stamp as *const ([u16; 6], u32)).cast_mut().cast(),
                16,
                null_mut(),
            );
            handles.ok(code);
            handles.ok(SQLExecute(handles.stmt));
        };
        // A parameter-array INSERT (a native block) reads it in the column's zone, as the server
        // reads VALUES.
        bind(&format!("INSERT INTO {table} (t) VALUES (?)"));
        unsafe { SQLFreeStmt(handles.stmt, 3) };
        let shown = handles.query_text(&format!("SELECT toString(t) FROM {table}"));
        assert_eq!(shown, ["2021-06-07 08:09:10"], "{}", server.name);
        // In SQL text the server converts the literal; 18.16 reads such strings in its own zone
        // rather than the column's, newer servers in the column's.
        if server.is_modern() {
            bind(&format!("INSERT INTO {table} SELECT ?"));
            bind(&format!("SELECT count() FROM {table} WHERE t = ?"));
            let mut count = [0u8; 8];
            let mut length = 0isize;
            unsafe {
                assert_eq!(SQLFetch(handles.stmt), SQL_SUCCESS);
                SQLGetData(handles.stmt, 1, 1, count.as_mut_ptr().cast(), 8, &mut length);
                SQLCloseCursor(handles.stmt);
                SQLFreeStmt(handles.stmt, 3);
            }
            assert_eq!(&count[..1], b"2", "{}", server.name);
        }
        handles.ok(handles.execute(&format!("DROP TABLE {table}")));
    }
}

/// A column read as one C type in a row and as another in the next gets each as asked: the driver
/// keeps each column's way into the C type last asked for, not the first.
#[test]
fn a_column_read_as_another_c_type_in_the_next_row() {
    const C_CHAR: i16 = 1;
    const C_SLONG: i16 = -16;
    const C_ULONG: i16 = -18;
    const C_TYPE_DATE: i16 = 91;
    const C_TYPE_TIMESTAMP: i16 = 93;
    let read = |handles: &Handles, column: u16, c_type: i16| {
        let (code, bytes, length) = get_data(handles, column, c_type);
        match code {
            SQL_SUCCESS => bytes[..length as usize].to_vec(),
            _ => diagnostic(HANDLE_STMT, handles.stmt).0.into_bytes(),
        }
    };
    let date = |day: u16, time: bool| {
        let fields: &[u16] = if time {
            &[1970, 1, day, 0, 0, 0, 0, 0]
        } else {
            &[1970, 1, day]
        };
        fields.iter().flat_map(|field| field.to_ne_bytes()).collect::<Vec<u8>>()
    };
    for server in servers() {
        let handles = Handles::connect_server(&server);
        handles.ok(handles.execute("SELECT toInt16(number) - 1, toDate(number) FROM system.numbers LIMIT 3"));
        let (mut integers, mut dates) = (Vec::new(), Vec::new());
        for (integer_type, date_type) in [(C_ULONG, C_TYPE_TIMESTAMP), (C_SLONG, C_TYPE_DATE), (C_CHAR, C_CHAR)] {
            assert_eq!(unsafe { SQLFetch(handles.stmt) }, SQL_SUCCESS, "{}", server.name);
            integers.push(read(&handles, 1, integer_type));
            dates.push(read(&handles, 2, date_type));
        }
        unsafe { SQLCloseCursor(handles.stmt) };
        let expected_integers = [b"22003".to_vec(), 0i32.to_ne_bytes().to_vec(), b"1".to_vec()];
        assert_eq!(integers, expected_integers, "{}", server.name);
        let expected_dates = [date(1, true), date(2, false), b"1970-01-03".to_vec()];
        assert_eq!(dates, expected_dates, "{}", server.name);
    }
}
