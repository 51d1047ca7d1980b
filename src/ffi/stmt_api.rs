//! Statements: execution, result description, fetching and SQLGetData.

use std::ffi::c_void;

use super::{
    SQL_ERROR, SQL_NO_DATA, SQL_SUCCESS, SQL_SUCCESS_WITH_INFO, characters_to_bytes, entry, statement_text_input,
    with_warning, write_number, write_string, write_string_in_bytes,
};
use crate::native::Column;
use crate::odbc::convert::{Outcome, Target, c_type, default_c_type, get_data};
use crate::odbc::descriptor::{Attribute, PARAM_INPUT, Width, column_attribute};
use crate::odbc::diag::Diagnostic;
use crate::odbc::escapes;
use crate::odbc::handles::Stmt;
use crate::odbc::params::count;
use crate::odbc::statement::{Cursor, Execution, StatementState};
use crate::odbc::text::{Encoding, read_input};
use crate::odbc::types::SqlDescription;

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
unsafe fn statement_text(
    text: *const u8,
    length: i32,
    encoding: Encoding,
    no_scan: bool,
) -> Result<String, Diagnostic> {
    // SAFETY: forwarded from the caller.
    let text = unsafe { statement_text_input(text, length, encoding) }?;
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
unsafe fn exec_direct(statement: *mut c_void, text: *const u8, length: i32, encoding: Encoding) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        let mut state = stmt.state.lock();
        // SAFETY: forwarded from the caller.
        let sql = unsafe { statement_text(text, length, encoding, state.no_scan) }?;
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
    unsafe { exec_direct(statement, text, length, Encoding::Utf8) }
}

/// UTF-16 form of [`SQLExecDirect`]; `length` counts characters.
///
/// # Safety
/// As for [`SQLExecDirect`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLExecDirectW(statement: *mut c_void, text: *const u16, length: i32) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { exec_direct(statement, text.cast(), length, Encoding::wide()) }
}

/// # Safety
/// As for [`statement_text`].
unsafe fn prepare(statement: *mut c_void, text: *const u8, length: i32, encoding: Encoding) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        let mut state = stmt.state.lock();
        // SAFETY: forwarded from the caller.
        let sql = unsafe { statement_text(text, length, encoding, state.no_scan) }?;
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
    unsafe { prepare(statement, text, length, Encoding::Utf8) }
}

/// UTF-16 form of [`SQLPrepare`].
///
/// # Safety
/// As for [`SQLExecDirect`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLPrepareW(statement: *mut c_void, text: *const u16, length: i32) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { prepare(statement, text.cast(), length, Encoding::wide()) }
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

/// Runs `body` on the open cursor of a statement.
fn with_cursor(statement: *mut c_void, body: impl FnOnce(&Stmt, &mut Cursor) -> Result<i16, Diagnostic>) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        let mut state = stmt.state.lock();
        let cursor = state
            .cursor
            .as_mut()
            .ok_or_else(|| Diagnostic::new("24000", "no result set is open"))?;
        body(stmt, cursor)
    })
}

/// Runs `body` on the result columns of a statement: its open cursor's, or after SQLPrepare those
/// of the prepared statement (07005 when it returns no result set).
fn with_columns(statement: *mut c_void, body: impl FnOnce(&Stmt, &Cursor) -> Result<i16, Diagnostic>) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        let mut state = stmt.state.lock();
        let prepared = state.prepared.is_some();
        match stmt.result_columns(&mut state)? {
            Some(cursor) => body(stmt, cursor),
            None if prepared => Err(Diagnostic::new("07005", "the prepared statement returns no result set")),
            None => Err(Diagnostic::new("24000", "no result set is open")),
        }
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlnumresultcols-function>. After
/// SQLPrepare the prepared statement's columns are counted before it runs.
///
/// # Safety
/// `count` must be null or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLNumResultCols(statement: *mut c_void, count: *mut i16) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        let mut state = stmt.state.lock();
        let columns = stmt
            .result_columns(&mut state)?
            .map_or(0, |cursor| cursor.block.columns.len());
        if !count.is_null() {
            // SAFETY: the caller promises `count` is writable.
            unsafe { count.write_unaligned(i16::try_from(columns).unwrap_or(i16::MAX)) };
        }
        Ok(SQL_SUCCESS)
    })
}

/// The column `number` (1-based) and its description.
fn column(cursor: &Cursor, number: u16) -> Result<(&Column, SqlDescription), Diagnostic> {
    let index = usize::from(number)
        .checked_sub(1)
        .filter(|&index| index < cursor.block.columns.len());
    let index = index.ok_or_else(|| Diagnostic::new("07009", format!("invalid column number {number}")))?;
    Ok((&cursor.block.columns[index], cursor.descriptions[index]))
}

/// # Safety
/// Output pointers null or valid; `name` for `buffer_length` characters.
#[allow(clippy::too_many_arguments)]
unsafe fn describe_col(
    statement: *mut c_void,
    number: u16,
    name: *mut u8,
    buffer_length: i16,
    name_length: *mut i16,
    data_type: *mut i16,
    column_size: *mut usize,
    decimal_digits: *mut i16,
    nullable: *mut i16,
    encoding: Encoding,
) -> i16 {
    with_columns(statement, |stmt, cursor| {
        let (column, description) = column(cursor, number)?;
        // SAFETY: the caller promises every non-null pointer is writable.
        unsafe {
            let warning = write_string(
                &column.name,
                name,
                characters_to_bytes(buffer_length, encoding),
                name_length,
                encoding,
            );
            for (target, value) in [
                (data_type, description.sql_type),
                (decimal_digits, description.decimal_digits),
            ] {
                if !target.is_null() {
                    target.write_unaligned(value);
                }
            }
            if !column_size.is_null() {
                column_size.write_unaligned(description.column_size);
            }
            if !nullable.is_null() {
                nullable.write_unaligned(i16::from(description.nullable));
            }
            Ok(with_warning(stmt, warning))
        }
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqldescribecol-function>
///
/// # Safety
/// Output pointers null or valid; `name` for `buffer_length` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLDescribeCol(
    statement: *mut c_void,
    number: u16,
    name: *mut u8,
    buffer_length: i16,
    name_length: *mut i16,
    data_type: *mut i16,
    column_size: *mut usize,
    decimal_digits: *mut i16,
    nullable: *mut i16,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe {
        describe_col(
            statement,
            number,
            name,
            buffer_length,
            name_length,
            data_type,
            column_size,
            decimal_digits,
            nullable,
            Encoding::Utf8,
        )
    }
}

/// UTF-16 form of [`SQLDescribeCol`]; `buffer_length` counts characters.
///
/// # Safety
/// As for [`SQLDescribeCol`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLDescribeColW(
    statement: *mut c_void,
    number: u16,
    name: *mut u16,
    buffer_length: i16,
    name_length: *mut i16,
    data_type: *mut i16,
    column_size: *mut usize,
    decimal_digits: *mut i16,
    nullable: *mut i16,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe {
        describe_col(
            statement,
            number,
            name.cast(),
            buffer_length,
            name_length,
            data_type,
            column_size,
            decimal_digits,
            nullable,
            Encoding::wide(),
        )
    }
}

/// # Safety
/// `text` null or valid for `buffer_length` bytes; `length` and `number` null or valid.
#[allow(clippy::too_many_arguments)]
pub(super) unsafe fn col_attribute(
    statement: *mut c_void,
    column: u16,
    field: u16,
    text: *mut c_void,
    buffer_length: i16,
    length: *mut i16,
    number: *mut isize,
    encoding: Encoding,
) -> i16 {
    with_columns(statement, |stmt, cursor| {
        match column_attribute(cursor, column, field as i16)? {
            Attribute::Number(value) => {
                // SAFETY: the caller promises `number` and `length` are writable.
                unsafe { write_number(number.cast(), Width::Long, value, length) };
                Ok(SQL_SUCCESS)
            }
            Attribute::Text(value) => {
                // BufferLength counts bytes here, also for the W form; an odd one is rounded down.
                let capacity = usize::try_from(buffer_length).unwrap_or(0);
                // SAFETY: forwarded from the caller.
                let warning = unsafe { write_string_in_bytes(&value, text.cast(), capacity, length, encoding) };
                Ok(with_warning(stmt, warning))
            }
        }
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlcolattribute-function>
///
/// # Safety
/// As for [`col_attribute`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLColAttribute(
    statement: *mut c_void,
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
            statement,
            column,
            field,
            text,
            buffer_length,
            length,
            number,
            Encoding::Utf8,
        )
    }
}

/// UTF-16 form of [`SQLColAttribute`].
///
/// # Safety
/// As for [`col_attribute`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLColAttributeW(
    statement: *mut c_void,
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
            statement,
            column,
            field,
            text,
            buffer_length,
            length,
            number,
            Encoding::wide(),
        )
    }
}

/// Fetches the next rowset into the bound columns (one row without a block cursor) in the
/// direction `orientation`: SQL_FETCH_NEXT, the only one of a forward-only cursor.
///
/// # Safety
/// Bound buffers and rowset pointers must be valid for the rowset.
pub(super) unsafe fn fetch(stmt: &Stmt, orientation: i16) -> Result<i16, Diagnostic> {
    if orientation != FETCH_NEXT {
        return Err(Diagnostic::new(
            "HY106",
            "the cursor is forward-only: only SQL_FETCH_NEXT is supported",
        ));
    }
    let mut state = stmt.state.lock();
    // SAFETY: forwarded from the caller.
    let outcome = unsafe { stmt.fetch_rowset(&mut state) }?;
    if outcome.rows == 0 {
        return Ok(SQL_NO_DATA);
    }
    let warned = !outcome.warnings.is_empty();
    for diagnostic in outcome.warnings {
        stmt.diagnostics.push(diagnostic);
    }
    Ok(match (outcome.errors, outcome.rows) {
        (0, _) if !warned => SQL_SUCCESS,
        (errors, rows) if errors > 0 && rows == 1 => SQL_ERROR,
        _ => SQL_SUCCESS_WITH_INFO,
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlfetch-function>
///
/// # Safety
/// Bound buffers and rowset pointers must be valid for the rowset.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLFetch(statement: *mut c_void) -> i16 {
    // SAFETY: forwarded from the caller.
    entry::<Stmt>(statement, |stmt| unsafe { fetch(stmt, FETCH_NEXT) })
}

/// SQL_FETCH_NEXT, the only direction of a forward-only cursor.
const FETCH_NEXT: i16 = 1;

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlfetchscroll-function>: forward only.
///
/// # Safety
/// As for [`SQLFetch`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLFetchScroll(statement: *mut c_void, orientation: i16, _offset: isize) -> i16 {
    // SAFETY: forwarded from the caller.
    entry::<Stmt>(statement, |stmt| unsafe { fetch(stmt, orientation) })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlbindcol-function>. A null buffer and
/// indicator unbind the column.
///
/// # Safety
/// The buffers must stay valid until unbound or the statement is freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLBindCol(
    statement: *mut c_void,
    column: u16,
    target_type: i16,
    target: *mut c_void,
    buffer_length: isize,
    indicator: *mut isize,
) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        if column == 0 {
            return Err(Diagnostic::new("HYC00", "bookmarks are not supported"));
        }
        let mut ard = stmt.ard().fields.lock();
        if target.is_null() && indicator.is_null() {
            if let Some(record) = ard.records.get_mut(usize::from(column) - 1) {
                record.data_ptr = 0;
                record.indicator_ptr = 0;
                record.octet_length_ptr = 0;
            }
            ard.trim_unbound();
            return Ok(SQL_SUCCESS);
        }
        ard.bind(column, target_type, target as usize, buffer_length, indicator as usize)?;
        Ok(SQL_SUCCESS)
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlgetdata-function>
///
/// # Safety
/// `target` must be valid for the C type (or `buffer_length` bytes for text and binary);
/// `indicator` null or valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetData(
    statement: *mut c_void,
    column: u16,
    target_type: i16,
    target: *mut c_void,
    buffer_length: isize,
    indicator: *mut isize,
) -> i16 {
    with_cursor(statement, |stmt, cursor| {
        let (_, description) = self::column(cursor, column)?;
        // SQL_ARD_TYPE takes the type, and a numeric's precision and scale, from the ARD's record.
        let (target_type, numeric) = match target_type {
            c_type::ARD_TYPE => {
                let ard = stmt.ard().fields.lock();
                let record = ard.records.get(usize::from(column) - 1);
                record.map_or((c_type::DEFAULT, None), |record| {
                    (record.concise_type, record.numeric_format())
                })
            }
            other => (other, None),
        };
        let c_type = if target_type == c_type::DEFAULT {
            default_c_type(&description)
        } else {
            target_type
        };
        let value = cursor.value(usize::from(column) - 1)?;
        let target = Target {
            buffer: target.cast(),
            capacity: buffer_length,
            indicator,
            length: indicator,
            numeric,
        };
        let mut progress = cursor.progress[usize::from(column) - 1];
        // SAFETY: forwarded from the caller.
        let outcome = unsafe { get_data(&value, c_type, &target, &mut progress) };
        cursor.progress[usize::from(column) - 1] = progress;
        Ok(match outcome? {
            Outcome::Complete => SQL_SUCCESS,
            Outcome::Warning(diagnostic) => {
                stmt.diagnostics.push(diagnostic);
                SQL_SUCCESS_WITH_INFO
            }
            Outcome::NoData => SQL_NO_DATA,
        })
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlrowcount-function>
///
/// # Safety
/// `count` null or valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLRowCount(statement: *mut c_void, count: *mut isize) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        if !count.is_null() {
            // SAFETY: the caller promises `count` is writable.
            unsafe { count.write_unaligned(stmt.state.lock().row_count) };
        }
        Ok(SQL_SUCCESS)
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlclosecursor-function>
///
/// # Safety
/// `statement` must be a statement handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLCloseCursor(statement: *mut c_void) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        let mut state = stmt.state.lock();
        if state.cursor.is_none() {
            return Err(Diagnostic::new("24000", "no cursor is open"));
        }
        stmt.close_cursor(&mut state);
        Ok(SQL_SUCCESS)
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlmoreresults-function>: ClickHouse
/// returns one result per statement.
///
/// # Safety
/// `statement` must be a statement handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLMoreResults(statement: *mut c_void) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        stmt.close_cursor(&mut stmt.state.lock());
        Ok(SQL_NO_DATA)
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

/// # Safety
/// Integer attributes come in the pointer itself.
pub(super) unsafe fn set_stmt_attr(statement: *mut c_void, attribute: i32, value: *mut c_void) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        let warning = stmt.set_attribute(attribute, value as usize)?;
        Ok(with_warning(stmt, warning))
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlsetstmtattr-function>
///
/// # Safety
/// As for [`set_stmt_attr`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLSetStmtAttr(
    statement: *mut c_void,
    attribute: i32,
    value: *mut c_void,
    _length: i32,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { set_stmt_attr(statement, attribute, value) }
}

/// UTF-16 form of [`SQLSetStmtAttr`] (no string attributes are supported).
///
/// # Safety
/// As for [`set_stmt_attr`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLSetStmtAttrW(
    statement: *mut c_void,
    attribute: i32,
    value: *mut c_void,
    _length: i32,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { set_stmt_attr(statement, attribute, value) }
}

/// # Safety
/// `value` null or valid for an SQLULEN write; `length` null or valid.
pub(super) unsafe fn get_stmt_attr(
    statement: *mut c_void,
    attribute: i32,
    value: *mut c_void,
    length: *mut i32,
) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        let answer = stmt.attribute(attribute)?;
        // SAFETY: the caller promises room for an SQLULEN (or a pointer, the same size).
        unsafe { write_number(value, Width::Long, answer as isize, length) };
        Ok(SQL_SUCCESS)
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlgetstmtattr-function>
///
/// # Safety
/// As for [`get_stmt_attr`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetStmtAttr(
    statement: *mut c_void,
    attribute: i32,
    value: *mut c_void,
    _buffer_length: i32,
    length: *mut i32,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { get_stmt_attr(statement, attribute, value, length) }
}

/// UTF-16 form of [`SQLGetStmtAttr`].
///
/// # Safety
/// As for [`get_stmt_attr`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetStmtAttrW(
    statement: *mut c_void,
    attribute: i32,
    value: *mut c_void,
    _buffer_length: i32,
    length: *mut i32,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { get_stmt_attr(statement, attribute, value, length) }
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlgettypeinfo-function>
///
/// # Safety
/// `statement` must be a statement handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetTypeInfo(statement: *mut c_void, data_type: i16) -> i16 {
    get_type_info(statement, data_type)
}

fn get_type_info(statement: *mut c_void, data_type: i16) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        stmt.type_info(&mut stmt.state.lock(), data_type)?;
        Ok(SQL_SUCCESS)
    })
}

/// UTF-16 form of [`SQLGetTypeInfo`].
///
/// # Safety
/// As for [`SQLGetTypeInfo`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetTypeInfoW(statement: *mut c_void, data_type: i16) -> i16 {
    get_type_info(statement, data_type)
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
        if number == 0 {
            return Err(Diagnostic::new("07009", "parameter numbers start at 1"));
        }
        if io_type != PARAM_INPUT {
            return Err(Diagnostic::new("HYC00", "only input parameters are supported"));
        }
        let mut apd = stmt.apd().fields.lock();
        apd.bind(number, value_type, value as usize, buffer_length, indicator as usize)?;
        let mut ipd = stmt.ipd().fields.lock();
        let record = ipd.record_mut(number)?;
        record.concise_type = parameter_type;
        record.length = column_size;
        record.precision = i16::try_from(column_size).unwrap_or(i16::MAX);
        record.scale = decimal_digits;
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
                if !token.is_null() {
                    // SAFETY: the caller promises `token` is writable.
                    unsafe { token.write_unaligned(address as *mut c_void) };
                }
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
        let state = stmt.state.lock();
        let sql = state.prepared.as_deref().ok_or_else(no_statement)?;
        if !count_out.is_null() {
            // SAFETY: the caller promises `count_out` is writable.
            unsafe { count_out.write_unaligned(i16::try_from(count(sql)).unwrap_or(i16::MAX)) };
        }
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
        let mut state = stmt.state.lock();
        let markers = count(state.prepared.as_deref().ok_or_else(no_statement)?);
        if number == 0 || usize::from(number) > markers {
            return Err(Diagnostic::new("07009", format!("invalid parameter number {number}")));
        }
        let description = stmt.describe_parameter(&mut state, usize::from(number) - 1);
        // SAFETY: the caller promises every non-null pointer is writable.
        unsafe {
            if !data_type.is_null() {
                data_type.write_unaligned(description.sql_type);
            }
            if !size.is_null() {
                size.write_unaligned(description.column_size);
            }
            if !digits.is_null() {
                digits.write_unaligned(description.decimal_digits);
            }
            if !nullable.is_null() {
                nullable.write_unaligned(i16::from(description.nullable));
            }
        }
        Ok(SQL_SUCCESS)
    })
}

/// # Safety
/// `name` valid for `length` characters or NUL-terminated for SQL_NTS.
unsafe fn set_cursor_name(statement: *mut c_void, name: *const u8, length: i16, encoding: Encoding) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        // SAFETY: forwarded from the caller.
        let name = unsafe { read_input(name, length.into(), encoding) }
            .ok_or_else(|| Diagnostic::new("HY009", "null cursor name"))?;
        // Names starting SQL_CUR are reserved for the ones drivers make up.
        if name.is_empty() || name.len() > CURSOR_NAME_MAX || name.to_ascii_uppercase().starts_with("SQL_CUR") {
            return Err(Diagnostic::new("34000", format!("invalid cursor name `{name}`")));
        }
        stmt.state.lock().cursor_name = Some(name);
        Ok(SQL_SUCCESS)
    })
}

/// SQL_MAX_CURSOR_NAME_LEN as SQLGetInfo reports it.
pub(super) const CURSOR_NAME_MAX: usize = 18;

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlsetcursorname-function>: the name is
/// kept and reported; ClickHouse has no positioned UPDATE or DELETE that would use it.
///
/// # Safety
/// As for [`set_cursor_name`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLSetCursorName(statement: *mut c_void, name: *const u8, length: i16) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { set_cursor_name(statement, name, length, Encoding::Utf8) }
}

/// UTF-16 form of [`SQLSetCursorName`].
///
/// # Safety
/// As for [`set_cursor_name`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLSetCursorNameW(statement: *mut c_void, name: *const u16, length: i16) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { set_cursor_name(statement, name.cast(), length, Encoding::wide()) }
}

/// # Safety
/// `name` null or valid for `buffer_length` characters; `length` null or valid.
unsafe fn get_cursor_name(
    statement: *mut c_void,
    name: *mut u8,
    buffer_length: i16,
    length: *mut i16,
    encoding: Encoding,
) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        let mut state = stmt.state.lock();
        let cursor_name = state
            .cursor_name
            .get_or_insert_with(|| format!("SQL_CUR{:x}", stmt.id() & 0xffff_ffff))
            .clone();
        // SAFETY: forwarded from the caller.
        let warning = unsafe {
            write_string(
                &cursor_name,
                name,
                characters_to_bytes(buffer_length, encoding),
                length,
                encoding,
            )
        };
        Ok(with_warning(stmt, warning))
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlgetcursorname-function>
///
/// # Safety
/// As for [`get_cursor_name`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetCursorName(
    statement: *mut c_void,
    name: *mut u8,
    buffer_length: i16,
    length: *mut i16,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { get_cursor_name(statement, name, buffer_length, length, Encoding::Utf8) }
}

/// UTF-16 form of [`SQLGetCursorName`]; lengths count characters.
///
/// # Safety
/// As for [`get_cursor_name`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetCursorNameW(
    statement: *mut c_void,
    name: *mut u16,
    buffer_length: i16,
    length: *mut i16,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { get_cursor_name(statement, name.cast(), buffer_length, length, Encoding::wide()) }
}
