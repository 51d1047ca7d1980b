//! Helpers for tests of the plain C API (`bh_*`).

use std::ffi::{CStr, CString};
use std::ptr::{null, null_mut};

use bytehouse::capi::{bh_column_kind, bh_query_options};
use bytehouse::ffi::*;

use super::host;

pub fn connection_string(port: u16) -> CString {
    CString::new(format!("Host={};Port={port}", host())).unwrap()
}

/// Connects to the server at `port`, panicking with the error on failure.
pub fn connect(port: u16) -> *mut bh_connection {
    let mut error = null_mut();
    // SAFETY: a NUL-terminated string and a writable error slot.
    let connection = unsafe { bh_connect(connection_string(port).as_ptr(), &mut error) };
    assert!(!connection.is_null(), "connect: {:?}", take(error));
    connection
}

/// Takes an error out-parameter's value: (SQLSTATE, code, message), and frees it.
pub fn take(error: *mut bh_error) -> (String, i32, String) {
    assert!(!error.is_null(), "an error was expected");
    // SAFETY: a live error, freed once here.
    unsafe {
        let taken = (
            CStr::from_ptr(bh_error_sqlstate(error)).to_string_lossy().into_owned(),
            bh_error_code(error),
            CStr::from_ptr(bh_error_message(error)).to_string_lossy().into_owned(),
        );
        bh_error_free(error);
        taken
    }
}

/// Runs a statement without parameters or options, panicking with the error on failure.
pub fn execute(connection: *mut bh_connection, sql: &str) {
    let sql = CString::new(sql).unwrap();
    let (code, error) = execute_with(connection, &sql, null());
    assert_eq!(code, 0, "{sql:?}: {:?}", take(error));
}

/// Runs a statement without parameters under `options` (null for none): bh_execute's code, and its
/// error (null when there is none).
pub fn execute_with(
    connection: *mut bh_connection,
    sql: &CStr,
    options: *const bh_query_options,
) -> (i32, *mut bh_error) {
    let mut error = null_mut();
    // SAFETY: a live connection, a NUL-terminated statement, options null or valid, a writable error slot.
    let code = unsafe { bh_execute(connection, sql.as_ptr(), null(), 0, options, null_mut(), &mut error) };
    (code, error)
}

/// A value of every type the servers have: (expression, whether only the modern server has the
/// type).
pub const EVERY_TYPE: &[(&str, bool)] = &[
    ("toUInt8(255)", false),
    ("toUInt16(65535)", false),
    ("toUInt32(4294967295)", false),
    ("toUInt64(18446744073709551615)", false),
    ("toInt8(-128)", false),
    ("toInt16(-32768)", false),
    ("toInt32(-2147483648)", false),
    ("toInt64(-9223372036854775808)", false),
    ("toUInt128('340282366920938463463374607431768211455')", true),
    ("toInt128('-170141183460469231731687303715884105728')", true),
    (
        "toUInt256('115792089237316195423570985008687907853269984665640564039457584007913129639935')",
        true,
    ),
    ("toInt256('-12345678901234567890123456789012345678901234567890')", true),
    ("toFloat32(1.5)", false),
    ("toFloat64(-2.25)", false),
    ("toDecimal32('-12345.67', 2)", false),
    ("toDecimal64('123456789012.345678', 6)", false),
    // 18.16 prints larger Decimal128 values wrongly, so the value stays within 64 bits there.
    ("toDecimal128('-123456789.0123456789', 10)", false),
    ("toDecimal128('-1234567890123456789012345678.0123456789', 10)", true),
    ("toDecimal256('-1234567890123456789012345678901234567890.123', 3)", true),
    ("'text \\'quoted\\''", false),
    ("toFixedString('abc', 3)", false),
    ("toDate('2020-01-02')", false),
    ("toDate32('1900-01-02')", true),
    ("toDateTime('2020-01-02 03:04:05', 'UTC')", false),
    ("toDateTime('2020-01-02 03:04:05', 'Asia/Tokyo')", false),
    ("toDateTime64('2020-01-02 03:04:05.123', 3, 'UTC')", true),
    ("toDateTime64('1960-01-02 03:04:05.123456789', 9, 'UTC')", true),
    ("toUUID('01234567-89ab-cdef-0123-456789abcdef')", false),
    ("CAST('b' AS Enum8('a' = 1, 'b' = -2))", false),
    ("CAST('z' AS Enum16('y' = -1000, 'z' = 1000))", false),
    ("true", true),
    ("toIPv4('1.2.3.4')", true),
    ("toIPv6('2001:db8::1')", true),
    ("toNullable(toInt32(7))", false),
    ("CAST(NULL AS Nullable(String))", false),
    ("NULL", false),
    ("toLowCardinality('dictionary')", false),
    ("toLowCardinality(toNullable('maybe'))", false),
    ("[1, 2, 3]", false),
    ("[[toDate('2020-01-02')], []]", false),
    ("['a', NULL]", false),
    ("[]", false),
    ("tuple(1, 'x', NULL)", false),
    ("map('k', 1, 'l', 2)", true),
];

/// SQL printing `column`, which holds one of the [`EVERY_TYPE`] `expression`s, as the server prints
/// it (18.16 cannot print LowCardinality with toString; its value as a String it can).
pub fn printed(expression: &str, column: &str) -> String {
    if expression.starts_with("toLowCardinality") {
        let as_type = if expression.contains("Nullable") {
            "Nullable(String)"
        } else {
            "String"
        };
        format!("toString(CAST({column} AS {as_type}))")
    } else {
        format!("toString({column})")
    }
}

/// The cells of the first row of a result whose columns are all (Nullable) String, NULL as "NULL".
pub fn first_row(connection: *mut bh_connection, sql: &str, options: *const bh_query_options) -> Vec<String> {
    let sql = CString::new(sql).unwrap();
    let mut error = null_mut();
    // SAFETY: live handles; views read within their block's lifetime and bounds.
    unsafe {
        let result = bh_query(connection, sql.as_ptr(), null(), 0, options, &mut error);
        assert!(!result.is_null(), "{sql:?}: {:?}", take(error));
        let mut block = null_mut();
        assert_eq!(bh_result_next_block(result, &mut block, &mut error), 0, "{sql:?}");
        assert!(!block.is_null(), "{sql:?} gave no rows");
        let cells = (0..bh_block_column_count(block))
            .map(|index| {
                let mut column = &*bh_block_column(block, index);
                if column.kind == bh_column_kind::BH_NULLABLE {
                    if *column.nulls == 1 {
                        return "NULL".to_string();
                    }
                    column = &*column.children;
                }
                let bytes = std::slice::from_raw_parts(column.data, *column.ends);
                String::from_utf8_lossy(bytes).into_owned()
            })
            .collect();
        bh_block_free(block);
        bh_result_free(result);
        cells
    }
}
