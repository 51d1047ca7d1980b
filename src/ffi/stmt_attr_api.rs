//! Statement attributes, cursor names and SQLGetTypeInfo.

use std::ffi::c_void;

use super::{SQL_SUCCESS, entry, read_text, with_warning, write_number, write_text};
use crate::odbc::descriptor::Width;
use crate::odbc::diag::Diagnostic;
use crate::odbc::handles::Stmt;
use crate::odbc::text::CodeUnit;

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

/// # Safety
/// `name` valid for `length` characters or NUL-terminated for SQL_NTS.
unsafe fn set_cursor_name<C: CodeUnit>(statement: *mut c_void, name: *const C, length: i16) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        // SAFETY: forwarded from the caller.
        let name = unsafe { read_text(name, length) }.ok_or_else(|| Diagnostic::new("HY009", "null cursor name"))?;
        stmt.set_cursor_name(name)?;
        Ok(SQL_SUCCESS)
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlsetcursorname-function>: the name is
/// kept and reported; ClickHouse has no positioned UPDATE or DELETE that would use it.
///
/// # Safety
/// As for [`set_cursor_name`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLSetCursorName(statement: *mut c_void, name: *const u8, length: i16) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { set_cursor_name(statement, name, length) }
}

/// UTF-16 form of [`SQLSetCursorName`].
///
/// # Safety
/// As for [`set_cursor_name`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLSetCursorNameW(statement: *mut c_void, name: *const u16, length: i16) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { set_cursor_name(statement, name, length) }
}

/// # Safety
/// `name` null or valid for `buffer_length` characters; `length` null or valid.
unsafe fn get_cursor_name<C: CodeUnit>(
    statement: *mut c_void,
    name: *mut C,
    buffer_length: i16,
    length: *mut i16,
) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        let cursor_name = stmt.cursor_name();
        // SAFETY: forwarded from the caller.
        let warning = unsafe { write_text(&cursor_name, name, buffer_length, length) };
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
    unsafe { get_cursor_name(statement, name, buffer_length, length) }
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
    unsafe { get_cursor_name(statement, name, buffer_length, length) }
}
