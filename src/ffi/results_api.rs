//! Results: describing columns, fetching, bound columns and SQLGetData.

use std::ffi::c_void;

use super::{
    SQL_ERROR, SQL_NO_DATA, SQL_SUCCESS, SQL_SUCCESS_WITH_INFO, entry, with_warning, write_description, write_if_given,
    write_number, write_text, write_text_in_bytes,
};
use crate::odbc::convert::Outcome;
use crate::odbc::descriptor::{Attribute, Width, column_attribute};
use crate::odbc::diag::Diagnostic;
use crate::odbc::handles::Stmt;
use crate::odbc::statement::Cursor;
use crate::odbc::text::{CodeUnit, Encoding};

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
        // SAFETY: the caller promises `count` is null or writable.
        unsafe { write_if_given(count, i16::try_from(columns).unwrap_or(i16::MAX)) };
        Ok(SQL_SUCCESS)
    })
}

/// # Safety
/// Output pointers null or valid; `name` for `buffer_length` characters.
#[allow(clippy::too_many_arguments)]
unsafe fn describe_col<C: CodeUnit>(
    statement: *mut c_void,
    number: u16,
    name: *mut C,
    buffer_length: i16,
    name_length: *mut i16,
    data_type: *mut i16,
    column_size: *mut usize,
    decimal_digits: *mut i16,
    nullable: *mut i16,
) -> i16 {
    with_columns(statement, |stmt, cursor| {
        let (column, description) = cursor.column(number)?;
        // SAFETY: the caller promises every non-null pointer is writable.
        unsafe {
            write_description(&description, data_type, column_size, decimal_digits, nullable);
            let warning = write_text(&column.name, name, buffer_length, name_length);
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
            name,
            buffer_length,
            name_length,
            data_type,
            column_size,
            decimal_digits,
            nullable,
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
                // SAFETY: forwarded from the caller.
                let warning = unsafe { write_text_in_bytes(&value, text, buffer_length, length, encoding) };
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
            ard.unbind(column);
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
        // SAFETY: forwarded from the caller.
        let outcome = unsafe { stmt.column_data(cursor, column, target_type, target, buffer_length, indicator) };
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
        // SAFETY: the caller promises `count` is null or writable.
        unsafe { write_if_given(count, stmt.state.lock().row_count) };
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
