//! The ODBC 2 names older applications and driver managers may call, each mapped onto its ODBC 3
//! counterpart.

use std::ffi::c_void;

use super::connect_api::{end_tran, get_connect_attr, set_connect_attr};
use super::diag_api::write_record;
use super::handle_api::{alloc_handle, free_handle};
use super::results_api::{col_attribute, fetch};
use super::stmt_api::bind_parameter;
use super::stmt_attr_api::{get_stmt_attr, set_stmt_attr};
use super::{SQL_INVALID_HANDLE, SQL_NO_DATA, SQL_SUCCESS, entry};
use crate::odbc::handles::{Dbc, Env, Handle, Stmt};
use crate::odbc::text::{CodeUnit, Encoding};

/// ODBC 2 column attribute SQL_COLUMN_COUNT; the others share their numbers with ODBC 3 fields.
const COLUMN_COUNT: u16 = 0;
const DESC_COUNT: u16 = 1001;

/// Statement attributes SQLParamOptions sets.
const ATTR_PARAMS_PROCESSED_PTR: i32 = 21;
const ATTR_PARAMSET_SIZE: i32 = 22;

/// # Safety
/// `env` must be null or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLAllocEnv(env: *mut *mut c_void) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { alloc_handle(1, std::ptr::null_mut(), env) }
}

/// # Safety
/// `dbc` must be null or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLAllocConnect(env: *mut c_void, dbc: *mut *mut c_void) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { alloc_handle(2, env, dbc) }
}

/// # Safety
/// `stmt` must be null or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLAllocStmt(dbc: *mut c_void, stmt: *mut *mut c_void) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { alloc_handle(3, dbc, stmt) }
}

/// # Safety
/// `env` must not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLFreeEnv(env: *mut c_void) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { free_handle(1, env) }
}

/// # Safety
/// `dbc` must not be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLFreeConnect(dbc: *mut c_void) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { free_handle(2, dbc) }
}

/// The next diagnostic of the most specific handle given, removed as ODBC 2 expects.
///
/// # Safety
/// Pointers null or valid; `message` for `buffer_length` characters.
#[allow(clippy::too_many_arguments)]
unsafe fn error<C: CodeUnit>(
    env: *mut c_void,
    dbc: *mut c_void,
    stmt: *mut c_void,
    state: *mut C,
    native_error: *mut i32,
    message: *mut C,
    buffer_length: i16,
    text_length: *mut i16,
) -> i16 {
    let next = || {
        // SAFETY: the registry refuses anything that is not a live handle of that kind.
        let diagnostics = unsafe {
            if !stmt.is_null() {
                Stmt::from_handle(stmt).map(Handle::diagnostics)
            } else if !dbc.is_null() {
                Dbc::from_handle(dbc).map(Handle::diagnostics)
            } else {
                Env::from_handle(env).map(Handle::diagnostics)
            }
        };
        diagnostics.ok_or(SQL_INVALID_HANDLE)?.take_first().ok_or(SQL_NO_DATA)
    };
    // SAFETY: forwarded from the caller.
    unsafe { write_record(next, state, native_error, message, buffer_length, text_length) }
}

/// # Safety
/// As for [`error`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLError(
    env: *mut c_void,
    dbc: *mut c_void,
    stmt: *mut c_void,
    state: *mut u8,
    native_error: *mut i32,
    message: *mut u8,
    buffer_length: i16,
    text_length: *mut i16,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { error(env, dbc, stmt, state, native_error, message, buffer_length, text_length) }
}

/// # Safety
/// As for [`error`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLErrorW(
    env: *mut c_void,
    dbc: *mut c_void,
    stmt: *mut c_void,
    state: *mut u16,
    native_error: *mut i32,
    message: *mut u16,
    buffer_length: i16,
    text_length: *mut i16,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { error(env, dbc, stmt, state, native_error, message, buffer_length, text_length) }
}

fn odbc3_field(field: u16) -> u16 {
    if field == COLUMN_COUNT { DESC_COUNT } else { field }
}

/// # Safety
/// As for [`SQLColAttribute`](super::SQLColAttribute).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLColAttributes(
    stmt: *mut c_void,
    column: u16,
    field: u16,
    text: *mut c_void,
    buffer_length: i16,
    length: *mut i16,
    number: *mut isize,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe {
        col_attribute(
            stmt,
            column,
            odbc3_field(field),
            text,
            buffer_length,
            length,
            number,
            Encoding::Utf8,
        )
    }
}

/// # Safety
/// As for [`SQLColAttributeW`](super::SQLColAttributeW).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLColAttributesW(
    stmt: *mut c_void,
    column: u16,
    field: u16,
    text: *mut c_void,
    buffer_length: i16,
    length: *mut i16,
    number: *mut isize,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe {
        col_attribute(
            stmt,
            column,
            odbc3_field(field),
            text,
            buffer_length,
            length,
            number,
            Encoding::wide(),
        )
    }
}

/// # Safety
/// One of the handles must be valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLTransact(env: *mut c_void, dbc: *mut c_void, _completion: u16) -> i16 {
    if dbc.is_null() {
        end_tran(1, env)
    } else {
        end_tran(2, dbc)
    }
}

/// # Safety
/// As for [`SQLSetConnectAttr`](super::SQLSetConnectAttr).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLSetConnectOption(dbc: *mut c_void, option: u16, value: usize) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { set_connect_attr(dbc, i32::from(option), value as *mut c_void, 0, Encoding::Utf8) }
}

/// # Safety
/// As for [`SQLGetConnectAttr`](super::SQLGetConnectAttr).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetConnectOption(dbc: *mut c_void, option: u16, value: *mut c_void) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { get_connect_attr(dbc, i32::from(option), value, 0, std::ptr::null_mut(), Encoding::Utf8) }
}

/// # Safety
/// As for [`SQLSetStmtAttr`](super::SQLSetStmtAttr).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLSetStmtOption(stmt: *mut c_void, option: u16, value: usize) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { set_stmt_attr(stmt, i32::from(option), value as *mut c_void) }
}

/// # Safety
/// As for [`SQLGetStmtAttr`](super::SQLGetStmtAttr).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetStmtOption(stmt: *mut c_void, option: u16, value: *mut c_void) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { get_stmt_attr(stmt, i32::from(option), value, std::ptr::null_mut()) }
}

/// SQLSetParam: SQLBindParameter for an input parameter.
///
/// # Safety
/// As for [`SQLBindParameter`](super::SQLBindParameter).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLSetParam(
    stmt: *mut c_void,
    number: u16,
    value_type: i16,
    parameter_type: i16,
    column_size: usize,
    decimal_digits: i16,
    value: *mut c_void,
    indicator: *mut isize,
) -> i16 {
    bind_parameter(
        stmt,
        number,
        1,
        value_type,
        parameter_type,
        column_size,
        decimal_digits,
        value,
        0,
        indicator,
    )
}

/// SQLParamOptions: the parameter array size and where to count processed sets.
///
/// # Safety
/// `processed` null or valid for writes during later executions.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLParamOptions(stmt: *mut c_void, sets: usize, processed: *mut usize) -> i16 {
    entry::<Stmt>(stmt, |stmt| {
        stmt.set_attribute(ATTR_PARAMSET_SIZE, sets)?;
        stmt.set_attribute(ATTR_PARAMS_PROCESSED_PTR, processed as usize)?;
        Ok(SQL_SUCCESS)
    })
}

/// SQLExtendedFetch: SQLFetchScroll with the rows-fetched and row-status pointers given per call.
/// The application's own SQL_ATTR_ROWS_FETCHED_PTR and SQL_ATTR_ROW_STATUS_PTR are in force again
/// afterwards.
///
/// # Safety
/// As for SQLFetchScroll; `rows` and `statuses` null or valid for the rowset.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLExtendedFetch(
    stmt: *mut c_void,
    orientation: u16,
    _offset: isize,
    rows: *mut usize,
    statuses: *mut u16,
) -> i16 {
    entry::<Stmt>(stmt, |stmt| {
        let _own = RowPointers::install(stmt, rows as usize, statuses as usize);
        // SAFETY: forwarded from the caller; the pointers are in force for this call only.
        unsafe { fetch(stmt, orientation as i16) }
    })
}

/// The IRD's rows-fetched and row-status pointers SQLExtendedFetch replaced, put back when it
/// ends, also by a panic (the ones it was given are not valid after the call).
struct RowPointers<'a> {
    stmt: &'a Stmt,
    rows: usize,
    statuses: usize,
}

impl<'a> RowPointers<'a> {
    fn install(stmt: &'a Stmt, rows: usize, statuses: usize) -> RowPointers<'a> {
        let mut ird = stmt.ird().fields.lock();
        let own = RowPointers {
            stmt,
            rows: ird.rows_processed_ptr,
            statuses: ird.array_status_ptr,
        };
        (ird.rows_processed_ptr, ird.array_status_ptr) = (rows, statuses);
        own
    }
}

impl Drop for RowPointers<'_> {
    fn drop(&mut self) {
        let mut ird = self.stmt.ird().fields.lock();
        (ird.rows_processed_ptr, ird.array_status_ptr) = (self.rows, self.statuses);
    }
}
