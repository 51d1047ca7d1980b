//! SQLGetInfo(W) and SQLGetFunctions.

use std::ffi::c_void;

use super::{SQL_SUCCESS, entry, with_warning, write_string};
use crate::odbc::diag::Diagnostic;
use crate::odbc::handles::Dbc;
use crate::odbc::text::Encoding;

/// Every ODBC function this library exports, by SQL_API_* number. SQLGetFunctions answers from this
/// list, and the driver manager hides whatever it leaves out, so it must match the exports exactly
/// (a test compares it with the library's symbols).
pub const EXPORTED_FUNCTIONS: &[(u16, &str)] = &[
    (1, "SQLAllocConnect"),
    (2, "SQLAllocEnv"),
    (3, "SQLAllocStmt"),
    (4, "SQLBindCol"),
    (5, "SQLCancel"),
    (6, "SQLColAttribute"),
    (6, "SQLColAttributes"),
    (7, "SQLConnect"),
    (8, "SQLDescribeCol"),
    (9, "SQLDisconnect"),
    (10, "SQLError"),
    (11, "SQLExecDirect"),
    (12, "SQLExecute"),
    (13, "SQLFetch"),
    (14, "SQLFreeConnect"),
    (15, "SQLFreeEnv"),
    (16, "SQLFreeStmt"),
    (18, "SQLNumResultCols"),
    (19, "SQLPrepare"),
    (20, "SQLRowCount"),
    (22, "SQLSetParam"),
    (23, "SQLTransact"),
    (41, "SQLDriverConnect"),
    (42, "SQLGetConnectOption"),
    (43, "SQLGetData"),
    (44, "SQLGetFunctions"),
    (45, "SQLGetInfo"),
    (46, "SQLGetStmtOption"),
    (47, "SQLGetTypeInfo"),
    (50, "SQLSetConnectOption"),
    (51, "SQLSetStmtOption"),
    (58, "SQLDescribeParam"),
    (59, "SQLExtendedFetch"),
    (61, "SQLMoreResults"),
    (62, "SQLNativeSql"),
    (63, "SQLNumParams"),
    (64, "SQLParamOptions"),
    (72, "SQLBindParameter"),
    (1001, "SQLAllocHandle"),
    (1003, "SQLCloseCursor"),
    (1005, "SQLEndTran"),
    (1006, "SQLFreeHandle"),
    (1007, "SQLGetConnectAttr"),
    (1010, "SQLGetDiagField"),
    (1011, "SQLGetDiagRec"),
    (1012, "SQLGetEnvAttr"),
    (1014, "SQLGetStmtAttr"),
    (1016, "SQLSetConnectAttr"),
    (1019, "SQLSetEnvAttr"),
    (1020, "SQLSetStmtAttr"),
    (1021, "SQLFetchScroll"),
];

const API_ALL_FUNCTIONS: u16 = 0;
const API_ODBC3_ALL_FUNCTIONS: u16 = 999;
const ODBC3_BITMAP_WORDS: usize = 250;
const ODBC2_TABLE_SIZE: usize = 100;

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlgetfunctions-function>
///
/// # Safety
/// `supported` must hold 250 (ODBC 3 bitmap), 100 (ODBC 2 table) or 1 SQLUSMALLINT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetFunctions(connection: *mut c_void, function: u16, supported: *mut u16) -> i16 {
    entry::<Dbc>(connection, |_| {
        if supported.is_null() {
            return Err(Diagnostic::new("HY009", "invalid use of null pointer"));
        }
        let ids = EXPORTED_FUNCTIONS.iter().map(|(id, _)| usize::from(*id));
        match function {
            API_ODBC3_ALL_FUNCTIONS => {
                let mut bitmap = [0u16; ODBC3_BITMAP_WORDS];
                for id in ids {
                    bitmap[id >> 4] |= 1 << (id & 15);
                }
                // SAFETY: the caller promises room for the bitmap.
                unsafe { std::ptr::copy_nonoverlapping(bitmap.as_ptr(), supported, ODBC3_BITMAP_WORDS) };
            }
            API_ALL_FUNCTIONS => {
                let mut table = [0u16; ODBC2_TABLE_SIZE];
                for id in ids.filter(|&id| id < ODBC2_TABLE_SIZE) {
                    table[id] = 1;
                }
                // SAFETY: the caller promises room for the table.
                unsafe { std::ptr::copy_nonoverlapping(table.as_ptr(), supported, ODBC2_TABLE_SIZE) };
            }
            single => {
                let known = EXPORTED_FUNCTIONS.iter().any(|(id, _)| *id == single);
                // SAFETY: the caller promises room for one value.
                unsafe { supported.write_unaligned(u16::from(known)) };
            }
        }
        Ok(SQL_SUCCESS)
    })
}

/// An SQLGetInfo answer: text, or an integer of the width the info type prescribes.
enum Info {
    Text(String),
    Small(u16),
    Integer(u32),
}

mod info {
    pub const MAX_DRIVER_CONNECTIONS: u16 = 0;
    pub const MAX_CONCURRENT_ACTIVITIES: u16 = 1;
    pub const DATA_SOURCE_NAME: u16 = 2;
    pub const DRIVER_NAME: u16 = 6;
    pub const DRIVER_VER: u16 = 7;
    pub const SERVER_NAME: u16 = 13;
    pub const DBMS_NAME: u16 = 17;
    pub const DBMS_VER: u16 = 18;
    pub const CURSOR_COMMIT_BEHAVIOR: u16 = 23;
    pub const CURSOR_ROLLBACK_BEHAVIOR: u16 = 24;
    pub const DATA_SOURCE_READ_ONLY: u16 = 25;
    pub const IDENTIFIER_CASE: u16 = 28;
    pub const IDENTIFIER_QUOTE_CHAR: u16 = 29;
    pub const SEARCH_PATTERN_ESCAPE: u16 = 14;
    pub const TXN_CAPABLE: u16 = 46;
    pub const DEFAULT_TXN_ISOLATION: u16 = 26;
    pub const DRIVER_ODBC_VER: u16 = 77;
    pub const NEED_LONG_DATA_LEN: u16 = 111;
    pub const DESCRIBE_PARAMETER: u16 = 10002;
}

/// SQL_CB_PRESERVE: cursors survive commit and rollback (there are no transactions).
const CURSOR_PRESERVE: u16 = 2;
/// SQL_IC_SENSITIVE: identifiers are case-sensitive.
const IDENTIFIERS_CASE_SENSITIVE: u16 = 3;

fn answer(dbc: &Dbc, info_type: u16) -> Result<Info, Diagnostic> {
    let server = || {
        dbc.session
            .lock()
            .as_ref()
            .map(|session| session.connection.server_info().clone())
            .ok_or_else(|| Diagnostic::new("08003", "connection not open"))
    };
    Ok(match info_type {
        info::DRIVER_ODBC_VER => Info::Text("03.80".into()),
        info::DRIVER_NAME => Info::Text("libbytehouse.so".into()),
        info::DRIVER_VER => {
            let version: Vec<u32> = env!("CARGO_PKG_VERSION")
                .split('.')
                .filter_map(|part| part.parse().ok())
                .collect();
            let part = |index: usize| version.get(index).copied().unwrap_or(0);
            Info::Text(format!("{:02}.{:02}.{:04}", part(0), part(1), part(2)))
        }
        info::DBMS_NAME => Info::Text(server()?.name),
        info::DBMS_VER => {
            let server = server()?;
            Info::Text(format!(
                "{:02}.{:02}.{:04}",
                server.version_major, server.version_minor, server.version_patch
            ))
        }
        info::SERVER_NAME => Info::Text(server()?.display_name.unwrap_or_default()),
        info::DATA_SOURCE_NAME => Info::Text(String::new()),
        info::DESCRIBE_PARAMETER | info::NEED_LONG_DATA_LEN | info::DATA_SOURCE_READ_ONLY => Info::Text("N".into()),
        info::IDENTIFIER_QUOTE_CHAR => Info::Text("`".into()),
        info::SEARCH_PATTERN_ESCAPE => Info::Text("\\".into()),
        info::CURSOR_COMMIT_BEHAVIOR | info::CURSOR_ROLLBACK_BEHAVIOR => Info::Small(CURSOR_PRESERVE),
        info::TXN_CAPABLE => Info::Small(0),
        info::DEFAULT_TXN_ISOLATION => Info::Integer(0),
        info::IDENTIFIER_CASE => Info::Small(IDENTIFIERS_CASE_SENSITIVE),
        info::MAX_DRIVER_CONNECTIONS => Info::Small(0),
        // One result stream per connection: a second statement's query ends the first one's.
        info::MAX_CONCURRENT_ACTIVITIES => Info::Small(1),
        other => {
            return Err(Diagnostic::new(
                "HY096",
                format!("information type {other} is not supported yet"),
            ));
        }
    })
}

/// # Safety
/// `value` null or valid for `buffer_length` bytes (or the integer's width); `length` null or valid.
unsafe fn get_info(
    connection: *mut c_void,
    info_type: u16,
    value: *mut c_void,
    buffer_length: i16,
    length: *mut i16,
    encoding: Encoding,
) -> i16 {
    entry::<Dbc>(connection, |dbc| {
        let (integer, width) = match answer(dbc, info_type)? {
            Info::Text(text) => {
                let capacity = usize::try_from(buffer_length).unwrap_or(0);
                // SAFETY: forwarded from the caller.
                let warning = unsafe { write_string(&text, value.cast(), capacity, length, encoding) };
                if encoding == Encoding::Utf16 && !length.is_null() {
                    // SQLGetInfoW reports bytes.
                    let bytes = text.encode_utf16().count() * 2;
                    // SAFETY: the caller promises `length` is writable.
                    unsafe { length.write_unaligned(i16::try_from(bytes).unwrap_or(i16::MAX)) };
                }
                return Ok(with_warning(dbc, warning));
            }
            Info::Small(number) => (u32::from(number), 2),
            Info::Integer(number) => (number, 4),
        };
        if !value.is_null() {
            // SAFETY: the caller promises room for the info type's integer.
            unsafe {
                if width == 2 {
                    value.cast::<u16>().write_unaligned(integer as u16);
                } else {
                    value.cast::<u32>().write_unaligned(integer);
                }
            }
        }
        if !length.is_null() {
            // SAFETY: the caller promises `length` is writable.
            unsafe { length.write_unaligned(width) };
        }
        Ok(SQL_SUCCESS)
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlgetinfo-function>
///
/// # Safety
/// As for [`get_info`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetInfo(
    connection: *mut c_void,
    info_type: u16,
    value: *mut c_void,
    buffer_length: i16,
    length: *mut i16,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { get_info(connection, info_type, value, buffer_length, length, Encoding::Utf8) }
}

/// UTF-16 form of [`SQLGetInfo`]; `buffer_length` and the reported length are in bytes.
///
/// # Safety
/// As for [`get_info`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetInfoW(
    connection: *mut c_void,
    info_type: u16,
    value: *mut c_void,
    buffer_length: i16,
    length: *mut i16,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { get_info(connection, info_type, value, buffer_length, length, Encoding::Utf16) }
}
