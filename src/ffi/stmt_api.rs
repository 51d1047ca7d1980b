//! Statements: preparing and executing, parameters, cancelling.

use std::ffi::c_void;

use super::{SQL_SUCCESS, entry, statement_text_input, write_description, write_if_given};
use crate::odbc::diag::Diagnostic;
use crate::odbc::escapes;
use crate::odbc::handles::Stmt;
use crate::odbc::statement::{Execution, StatementState};
use crate::odbc::text::CodeUnit;

/// SQL_NEED_DATA: data-at-execution parameters are awaited.
const SQL_NEED_DATA: i16 = 99;

fn no_statement() -> Diagnostic {
    Diagnostic::new("HY010", "no statement was prepared")
}

/// The statement text with its ODBC escape sequences translated.
///
/// # Safety
/// `text` must be null or valid for `length` characters (or NUL-terminated for SQL_NTS).
/// Escape sequences are left alone when `no_scan` (SQL_ATTR_NOSCAN) is set.
unsafe fn statement_text<C: CodeUnit>(text: *const C, length: i32, no_scan: bool) -> Result<String, Diagnostic> {
    // SAFETY: forwarded from the caller.
    let text = unsafe { statement_text_input(text, length) }?;
    if no_scan {
        return Ok(text);
    }
    Ok(escapes::rewrite(&text)?.into_owned())
}

/// # Safety
/// Bound parameter buffers must be valid for every parameter set.
unsafe fn execute(stmt: &Stmt, state: &mut StatementState, sql: &str) -> Result<i16, Diagnostic> {
    // SAFETY: forwarded from the caller.
    let execution = unsafe { stmt.execute_with_parameters(state, sql) }?;
    Ok(finished(stmt, state, execution))
}

/// The return code of an execution, whose row count SQLGetDiagField reports from now on.
fn finished(stmt: &Stmt, state: &StatementState, execution: Execution) -> i16 {
    match execution {
        Execution::Done => {
            stmt.diagnostics.set_row_count(state.row_count);
            SQL_SUCCESS
        }
        Execution::NeedData => SQL_NEED_DATA,
    }
}

/// # Safety
/// `statement` a statement handle; `text` as for [`statement_text`].
unsafe fn exec_direct<C: CodeUnit>(statement: *mut c_void, text: *const C, length: i32) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        let mut state = stmt.state.lock();
        // SAFETY: forwarded from the caller.
        let sql = unsafe { statement_text(text, length, state.no_scan) }?;
        state.unprepare();
        // SAFETY: forwarded from the caller.
        unsafe { execute(stmt, &mut state, &sql) }
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlexecdirect-function>
///
/// # Safety
/// `text` must be valid for `length` bytes or NUL-terminated for SQL_NTS.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLExecDirect(statement: *mut c_void, text: *const u8, length: i32) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { exec_direct(statement, text, length) }
}

/// UTF-16 form of [`SQLExecDirect`]; `length` counts characters.
///
/// # Safety
/// As for [`SQLExecDirect`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLExecDirectW(statement: *mut c_void, text: *const u16, length: i32) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { exec_direct(statement, text, length) }
}

/// # Safety
/// As for [`statement_text`].
unsafe fn prepare<C: CodeUnit>(statement: *mut c_void, text: *const C, length: i32) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        let mut state = stmt.state.lock();
        // SAFETY: forwarded from the caller.
        let sql = unsafe { statement_text(text, length, state.no_scan) }?;
        stmt.close_cursor(&mut state);
        state.prepare(sql);
        Ok(SQL_SUCCESS)
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlprepare-function>. The text is kept
/// and sent at SQLExecute (ClickHouse has no server-side prepared statements).
///
/// # Safety
/// As for [`SQLExecDirect`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLPrepare(statement: *mut c_void, text: *const u8, length: i32) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { prepare(statement, text, length) }
}

/// UTF-16 form of [`SQLPrepare`].
///
/// # Safety
/// As for [`SQLExecDirect`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLPrepareW(statement: *mut c_void, text: *const u16, length: i32) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { prepare(statement, text, length) }
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlexecute-function>
///
/// # Safety
/// `statement` must be a statement handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLExecute(statement: *mut c_void) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        let mut state = stmt.state.lock();
        let sql = state.prepared.clone().ok_or_else(no_statement)?;
        // SAFETY: the application promises its bound parameters are valid.
        unsafe { execute(stmt, &mut state, &sql) }
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlbindparameter-function>
///
/// # Safety
/// The buffers must stay valid until the statement is executed for the last time with them.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLBindParameter(
    statement: *mut c_void,
    number: u16,
    io_type: i16,
    value_type: i16,
    parameter_type: i16,
    column_size: usize,
    decimal_digits: i16,
    value: *mut c_void,
    buffer_length: isize,
    indicator: *mut isize,
) -> i16 {
    bind_parameter(
        statement,
        number,
        io_type,
        value_type,
        parameter_type,
        column_size,
        decimal_digits,
        value,
        buffer_length,
        indicator,
    )
}

/// The body of [`SQLBindParameter`], which only records the addresses it is given.
#[allow(clippy::too_many_arguments)]
pub(super) fn bind_parameter(
    statement: *mut c_void,
    number: u16,
    io_type: i16,
    value_type: i16,
    parameter_type: i16,
    column_size: usize,
    decimal_digits: i16,
    value: *mut c_void,
    buffer_length: isize,
    indicator: *mut isize,
) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        stmt.bind_parameter(
            number,
            io_type,
            value_type,
            parameter_type,
            column_size,
            decimal_digits,
            value as usize,
            buffer_length,
            indicator as usize,
        )?;
        Ok(SQL_SUCCESS)
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlparamdata-function>: names the next
/// data-at-execution parameter by its bound buffer address, or runs the statement once all were
/// sent.
///
/// # Safety
/// `token` null or valid for a pointer write; bound parameters valid as for SQLExecute.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLParamData(statement: *mut c_void, token: *mut *mut c_void) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        let mut state = stmt.state.lock();
        // SAFETY: the application promises its bound parameters are valid.
        match unsafe { stmt.param_data(&mut state) }? {
            Some(address) => {
                // SAFETY: the caller promises `token` is null or writable.
                unsafe { write_if_given(token, address as *mut c_void) };
                Ok(SQL_NEED_DATA)
            }
            None => Ok(finished(stmt, &state, Execution::Done)),
        }
    })
}

/// SQL_NTS and SQL_NULL_DATA as SQLPutData lengths.
const NTS: isize = -3;
const NULL_DATA: isize = -1;

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlputdata-function>: a piece of the
/// parameter SQLParamData named; several calls append.
///
/// # Safety
/// `data` valid for `length` bytes (NUL-terminated for SQL_NTS).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLPutData(statement: *mut c_void, data: *mut c_void, length: isize) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        let piece = match length {
            NULL_DATA => None,
            _ if data.is_null() => return Err(Diagnostic::new("HY009", "null data pointer")),
            // SAFETY: the caller promises a NUL-terminated string.
            NTS => Some(unsafe { std::ffi::CStr::from_ptr(data.cast()) }.to_bytes()),
            length if length < 0 => return Err(Diagnostic::new("HY090", format!("invalid length {length}"))),
            // SAFETY: the caller promises `length` readable bytes.
            length => Some(unsafe { std::slice::from_raw_parts(data.cast::<u8>(), length as usize) }),
        };
        stmt.put_data(&mut stmt.state.lock(), piece)?;
        Ok(SQL_SUCCESS)
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlnumparams-function>
///
/// # Safety
/// `count_out` null or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLNumParams(statement: *mut c_void, count_out: *mut i16) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        let count = stmt.parameter_count()?;
        // SAFETY: the caller promises `count_out` is null or writable.
        unsafe { write_if_given(count_out, i16::try_from(count).unwrap_or(i16::MAX)) };
        Ok(SQL_SUCCESS)
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqldescribeparam-function>: the
/// parameters of `INSERT ... VALUES (?, ...)` have their target columns' types; any other is a
/// nullable VARCHAR. A size that cannot be known (String) is 0, as the specification says, which
/// tells pyodbc's fast_executemany to send such values at execution instead of sizing a buffer.
///
/// # Safety
/// Output pointers null or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLDescribeParam(
    statement: *mut c_void,
    number: u16,
    data_type: *mut i16,
    size: *mut usize,
    digits: *mut i16,
    nullable: *mut i16,
) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        let description = stmt.parameter_description(number)?;
        // SAFETY: the caller promises every non-null pointer is writable.
        unsafe { write_description(&description, data_type, size, digits, nullable) };
        Ok(SQL_SUCCESS)
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlcancel-function>: works from another
/// thread while the statement runs; the running call then fails with HY008. It reaches only the
/// query this statement waits for, never another statement's on the same connection.
///
/// # Safety
/// `statement` must be a statement handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLCancel(statement: *mut c_void) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        // A statement waiting for data-at-execution parameters is idle: cancelling drops them.
        if let Some(mut state) = stmt.state.try_lock() {
            state.pending = None;
        }
        if let Some(cancel) = stmt.dbc().cancel.lock().as_ref() {
            cancel.cancel_waiter(stmt.id() as u64);
        }
        Ok(SQL_SUCCESS)
    })
}
