//! Connections: SQLDriverConnect(W), SQLConnect(W), SQLDisconnect, connection attributes, SQLEndTran.

use std::ffi::c_void;
use std::sync::atomic::Ordering;

use super::{
    SQL_SUCCESS, entry, read_text, read_texts, statement_text_input, with_warning, write_number, write_text,
    write_text_in_bytes,
};
use crate::config::connection_string::{self, ConnectionString};
use crate::odbc::descriptor::Width;
use crate::odbc::diag::Diagnostic;
use crate::odbc::escapes;
use crate::odbc::handles::{Dbc, Env};
use crate::odbc::text::{CodeUnit, Encoding, read_input};

const ATTR_ACCESS_MODE: i32 = 101;
const ATTR_AUTOCOMMIT: i32 = 102;
const ATTR_LOGIN_TIMEOUT: i32 = 103;
const ATTR_TXN_ISOLATION: i32 = 108;
const ATTR_CONNECTION_TIMEOUT: i32 = 113;
const ATTR_ANSI_APP: i32 = 115;
const ATTR_ASYNC_ENABLE: i32 = 4;
const ATTR_CURRENT_CATALOG: i32 = 109;
const ATTR_QUIET_MODE: i32 = 111;
const ATTR_PACKET_SIZE: i32 = 112;
const ATTR_AUTO_IPD: i32 = 10001;
const ATTR_METADATA_ID: i32 = 10014;
/// SQL_APPLICATION_NAME, an OpenLink (iODBC) extension.
const ATTR_IODBC_APPLICATION_NAME: i32 = 1051;
const ATTR_CONNECTION_DEAD: i32 = 1209;

/// # Safety
/// `text` null or valid for `length` characters (or NUL-terminated for SQL_NTS); `out` null or
/// valid for `out_max` characters, `out_length` null or valid.
unsafe fn driver_connect<C: CodeUnit>(
    connection: *mut c_void,
    text: *const C,
    length: i16,
    out: *mut C,
    out_max: i16,
    out_length: *mut i16,
) -> i16 {
    entry::<Dbc>(connection, |dbc| {
        // SAFETY: forwarded from the caller.
        let text = unsafe { read_text(text, length) }.unwrap_or_default();
        let pairs = connection_string::parse(&text).map_err(|error| Diagnostic::new("HY000", error))?;
        let mut warnings = dbc.connect(&pairs)?;
        // The completed string has the keys given (none were prompted for), with passwords and API
        // keys as `***`: applications log and store it, so it must not carry secrets.
        let completed = ConnectionString::from(pairs).to_string();
        // SAFETY: forwarded from the caller.
        let truncated = unsafe { write_text(&completed, out, out_max, out_length) };
        warnings.extend(truncated);
        Ok(with_warning(dbc, warnings))
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqldriverconnect-function>. Never
/// prompts: every completion mode connects with the keys given.
///
/// # Safety
/// As for [`driver_connect`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLDriverConnect(
    connection: *mut c_void,
    _window: *mut c_void,
    text: *const u8,
    length: i16,
    out: *mut u8,
    out_max: i16,
    out_length: *mut i16,
    _completion: u16,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { driver_connect(connection, text, length, out, out_max, out_length) }
}

/// UTF-16 form of [`SQLDriverConnect`]; lengths count characters.
///
/// # Safety
/// As for [`driver_connect`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLDriverConnectW(
    connection: *mut c_void,
    _window: *mut c_void,
    text: *const u16,
    length: i16,
    out: *mut u16,
    out_max: i16,
    out_length: *mut i16,
    _completion: u16,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { driver_connect(connection, text, length, out, out_max, out_length) }
}

/// The body of [`SQLConnect`] and [`SQLConnectW`]: the data source, user and password with their
/// lengths.
///
/// # Safety
/// Each text null or valid for its length (or NUL-terminated for SQL_NTS).
unsafe fn connect<C: CodeUnit>(connection: *mut c_void, texts: [*const C; 3], lengths: [i16; 3]) -> i16 {
    entry::<Dbc>(connection, |dbc| {
        // SAFETY: forwarded from the caller.
        let [dsn, user, password] = unsafe { read_texts(texts, lengths) }.map(Option::unwrap_or_default);
        let mut pairs = vec![("DSN".to_string(), dsn)];
        // Arguments given to SQLConnect override the data source's own UID and PWD.
        if !user.is_empty() {
            pairs.push(("UID".into(), user));
        }
        if !password.is_empty() {
            pairs.push(("PWD".into(), password));
        }
        let warnings = dbc.connect(&pairs)?;
        Ok(with_warning(dbc, warnings))
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlconnect-function>
///
/// # Safety
/// As for [`connect`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLConnect(
    connection: *mut c_void,
    dsn: *const u8,
    dsn_length: i16,
    user: *const u8,
    user_length: i16,
    password: *const u8,
    password_length: i16,
) -> i16 {
    let lengths = [dsn_length, user_length, password_length];
    // SAFETY: forwarded from the caller.
    unsafe { connect(connection, [dsn, user, password], lengths) }
}

/// UTF-16 form of [`SQLConnect`].
///
/// # Safety
/// As for [`connect`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLConnectW(
    connection: *mut c_void,
    dsn: *const u16,
    dsn_length: i16,
    user: *const u16,
    user_length: i16,
    password: *const u16,
    password_length: i16,
) -> i16 {
    let lengths = [dsn_length, user_length, password_length];
    // SAFETY: forwarded from the caller.
    unsafe { connect(connection, [dsn, user, password], lengths) }
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqldisconnect-function>
///
/// # Safety
/// `connection` must be a connection handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLDisconnect(connection: *mut c_void) -> i16 {
    entry::<Dbc>(connection, |dbc| {
        if !dbc.is_connected() {
            return Err(Diagnostic::new("08003", "connection not open"));
        }
        if dbc.has_busy_statement() {
            return Err(Diagnostic::new(
                "HY010",
                "a statement is awaiting data at execution or still running",
            ));
        }
        dbc.disconnect();
        dbc.free_children();
        Ok(SQL_SUCCESS)
    })
}

/// # Safety
/// Integer attributes come in the pointer itself; a string one is valid for `length` bytes (or
/// NUL-terminated for SQL_NTS).
pub(super) unsafe fn set_connect_attr(
    connection: *mut c_void,
    attribute: i32,
    value: *mut c_void,
    length: i32,
    encoding: Encoding,
) -> i16 {
    entry::<Dbc>(connection, |dbc| {
        let number = value as usize;
        match attribute {
            ATTR_AUTOCOMMIT => dbc.autocommit.store(number != 0, Ordering::Release),
            ATTR_LOGIN_TIMEOUT => dbc.login_timeout.store(number as u64, Ordering::Release),
            ATTR_CURRENT_CATALOG => {
                let characters = if length < 0 {
                    length as isize
                } else {
                    length as isize / encoding.unit_size() as isize
                };
                // SAFETY: the caller promises a string of `length` bytes (or NUL-terminated).
                let name = unsafe { read_input(value.cast(), characters, encoding) }
                    .ok_or_else(|| Diagnostic::new("HY009", "null catalog name"))?;
                dbc.set_current_catalog(&name)?;
            }
            // No transactions, write protection, packet size or asynchronous execution to
            // configure: accepted as the defaults.
            ATTR_ACCESS_MODE
            | ATTR_TXN_ISOLATION
            | ATTR_CONNECTION_TIMEOUT
            | ATTR_ANSI_APP
            | ATTR_PACKET_SIZE
            | ATTR_QUIET_MODE
            | ATTR_METADATA_ID => {}
            ATTR_ASYNC_ENABLE if number == 0 => {}
            // iODBC's extension, sent by nothing else: tells which SQLWCHAR the caller has.
            ATTR_IODBC_APPLICATION_NAME => Encoding::iodbc_announced(),
            other => {
                return Err(Diagnostic::new(
                    "HYC00",
                    format!("connection attribute {other} is not supported yet"),
                ));
            }
        }
        Ok(SQL_SUCCESS)
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlsetconnectattr-function>
///
/// # Safety
/// As for [`set_connect_attr`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLSetConnectAttr(
    connection: *mut c_void,
    attribute: i32,
    value: *mut c_void,
    length: i32,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { set_connect_attr(connection, attribute, value, length, Encoding::Utf8) }
}

/// Wide form of [`SQLSetConnectAttr`]; string lengths count bytes.
///
/// # Safety
/// As for [`set_connect_attr`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLSetConnectAttrW(
    connection: *mut c_void,
    attribute: i32,
    value: *mut c_void,
    length: i32,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { set_connect_attr(connection, attribute, value, length, Encoding::wide()) }
}

/// # Safety
/// `value` null or valid for a 4-byte write, or for `buffer_length` bytes for a string attribute;
/// `length` null or valid.
pub(super) unsafe fn get_connect_attr(
    connection: *mut c_void,
    attribute: i32,
    value: *mut c_void,
    buffer_length: i32,
    length: *mut i32,
    encoding: Encoding,
) -> i16 {
    entry::<Dbc>(connection, |dbc| {
        let answer = match attribute {
            ATTR_CURRENT_CATALOG => {
                let name = dbc.current_catalog()?;
                // SAFETY: forwarded from the caller.
                let warning = unsafe { write_text_in_bytes(&name, value, buffer_length, length, encoding) };
                return Ok(with_warning(dbc, warning));
            }
            ATTR_AUTOCOMMIT => u32::from(dbc.autocommit.load(Ordering::Acquire)),
            ATTR_LOGIN_TIMEOUT => dbc.login_timeout.load(Ordering::Acquire) as u32,
            ATTR_CONNECTION_DEAD => {
                let alive = dbc
                    .session
                    .lock()
                    .as_ref()
                    .is_some_and(|session| !session.connection.is_broken());
                u32::from(!alive)
            }
            // No transactions, so no isolation level either (SQL_DEFAULT_TXN_ISOLATION is 0 too).
            ATTR_TXN_ISOLATION
            | ATTR_ACCESS_MODE
            | ATTR_CONNECTION_TIMEOUT
            | ATTR_PACKET_SIZE
            | ATTR_QUIET_MODE
            | ATTR_METADATA_ID
            | ATTR_ASYNC_ENABLE
            | ATTR_AUTO_IPD => 0,
            other => {
                return Err(Diagnostic::new(
                    "HY092",
                    format!("connection attribute {other} is not known"),
                ));
            }
        };
        // SAFETY: the caller promises room for an SQLUINTEGER.
        unsafe { write_number(value, Width::Integer, answer as isize, length) };
        Ok(SQL_SUCCESS)
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlgetconnectattr-function>
///
/// # Safety
/// As for [`get_connect_attr`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetConnectAttr(
    connection: *mut c_void,
    attribute: i32,
    value: *mut c_void,
    buffer_length: i32,
    length: *mut i32,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { get_connect_attr(connection, attribute, value, buffer_length, length, Encoding::Utf8) }
}

/// UTF-16 form of [`SQLGetConnectAttr`].
///
/// # Safety
/// As for [`get_connect_attr`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetConnectAttrW(
    connection: *mut c_void,
    attribute: i32,
    value: *mut c_void,
    buffer_length: i32,
    length: *mut i32,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { get_connect_attr(connection, attribute, value, buffer_length, length, Encoding::wide()) }
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlendtran-function>: ClickHouse has no
/// transactions, so commit and rollback succeed and change nothing (pyodbc and SQLAlchemy call them
/// all the time).
///
/// # Safety
/// `handle` must be a connection or environment handle of `handle_type`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLEndTran(handle_type: i16, handle: *mut c_void, _completion: i16) -> i16 {
    end_tran(handle_type, handle)
}

/// The body of [`SQLEndTran`] (and of ODBC 2's SQLTransact): nothing to commit or roll back.
pub(super) fn end_tran(handle_type: i16, handle: *mut c_void) -> i16 {
    match handle_type {
        1 => entry::<Env>(handle, |_| Ok(SQL_SUCCESS)),
        _ => entry::<Dbc>(handle, |_| Ok(SQL_SUCCESS)),
    }
}

/// # Safety
/// `text` null or valid for `length` characters; `out` null or valid for `out_max` characters.
unsafe fn native_sql<C: CodeUnit>(
    connection: *mut c_void,
    text: *const C,
    length: i32,
    out: *mut C,
    out_max: i32,
    out_length: *mut i32,
) -> i16 {
    entry::<Dbc>(connection, |dbc| {
        if !dbc.is_connected() {
            return Err(Diagnostic::new("08003", "connection not open"));
        }
        // SAFETY: forwarded from the caller.
        let text = unsafe { statement_text_input(text, length) }?;
        let translated = escapes::rewrite(&text)?;
        // SAFETY: forwarded from the caller.
        let warning = unsafe { write_text(&translated, out, out_max, out_length) };
        Ok(with_warning(dbc, warning))
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlnativesql-function>: the text as it
/// is sent to the server, escape sequences translated.
///
/// # Safety
/// As for [`native_sql`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLNativeSql(
    connection: *mut c_void,
    text: *const u8,
    length: i32,
    out: *mut u8,
    out_max: i32,
    out_length: *mut i32,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { native_sql(connection, text, length, out, out_max, out_length) }
}

/// UTF-16 form of [`SQLNativeSql`].
///
/// # Safety
/// As for [`native_sql`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLNativeSqlW(
    connection: *mut c_void,
    text: *const u16,
    length: i32,
    out: *mut u16,
    out_max: i32,
    out_length: *mut i32,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { native_sql(connection, text, length, out, out_max, out_length) }
}
