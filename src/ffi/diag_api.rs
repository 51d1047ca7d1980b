//! SQLGetDiagRec(W) and SQLGetDiagField(W): the records the last call on a handle left behind.
//! (unixODBC reports a driver's errors only if it has both.)

use std::ffi::c_void;
use std::panic::{UnwindSafe, catch_unwind};

use super::{
    SQL_ERROR, SQL_INVALID_HANDLE, SQL_NO_DATA, SQL_SUCCESS, SQL_SUCCESS_WITH_INFO, write_if_given, write_number,
    write_text, write_text_in_bytes,
};
use crate::odbc::descriptor::Width;
use crate::odbc::diag::{Diagnostic, Diagnostics};
use crate::odbc::handles::{Dbc, Desc, Env, Handle, Stmt};
use crate::odbc::text::{CodeUnit, Encoding};

const HANDLE_STMT: i16 = 3;

/// The diagnostics of a handle of `handle_type`.
///
/// # Safety
/// `handle` must be a live handle or garbage the registry refuses.
unsafe fn diagnostics<'a>(handle_type: i16, handle: *mut c_void) -> Result<&'a Diagnostics, i16> {
    // SAFETY: forwarded from the caller.
    unsafe {
        match handle_type {
            1 => Env::from_handle(handle).map(Handle::diagnostics),
            2 => Dbc::from_handle(handle).map(Handle::diagnostics),
            HANDLE_STMT => Stmt::from_handle(handle).map(Handle::diagnostics),
            4 => Desc::from_handle(handle).map(Handle::diagnostics),
            _ => None,
        }
    }
    .ok_or(SQL_INVALID_HANDLE)
}

/// The record `number` of a handle of `handle_type`; `Err` with a return code when there is none.
///
/// # Safety
/// As for [`diagnostics`].
unsafe fn record(handle_type: i16, handle: *mut c_void, number: i16) -> Result<Diagnostic, i16> {
    // SAFETY: forwarded from the caller.
    let diagnostics = unsafe { diagnostics(handle_type, handle) }?;
    if number < 1 {
        return Err(SQL_ERROR);
    }
    diagnostics.get(number as usize).ok_or(SQL_NO_DATA)
}

/// Writes the record `find` gives the way SQLGetDiagRec and SQLError return it: SQLSTATE, native
/// error, message; `find` fails with the return code when there is none. A panic is SQL_ERROR.
///
/// # Safety
/// Pointers must be null or valid for their writes; `state` for 6 characters, `message` for
/// `buffer_length` characters.
pub(super) unsafe fn write_record<C: CodeUnit>(
    find: impl FnOnce() -> Result<Diagnostic, i16> + UnwindSafe,
    state: *mut C,
    native_error: *mut i32,
    message: *mut C,
    buffer_length: i16,
    text_length: *mut i16,
) -> i16 {
    catch_unwind(|| {
        let diagnostic = match find() {
            Ok(diagnostic) => diagnostic,
            Err(code) => return code,
        };
        // SAFETY: forwarded from the caller.
        unsafe {
            write_text::<C, i16>(diagnostic.sqlstate, state, 6, std::ptr::null_mut());
            write_if_given(native_error, diagnostic.native_error);
            match write_text(&diagnostic.message, message, buffer_length, text_length) {
                Some(_) => SQL_SUCCESS_WITH_INFO,
                None => SQL_SUCCESS,
            }
        }
    })
    .unwrap_or(SQL_ERROR)
}

/// # Safety
/// Pointers must be null or valid for their writes; `message` for `buffer_length` characters.
#[allow(clippy::too_many_arguments)]
unsafe fn get_diag_rec<C: CodeUnit>(
    handle_type: i16,
    handle: *mut c_void,
    number: i16,
    state: *mut C,
    native_error: *mut i32,
    message: *mut C,
    buffer_length: i16,
    text_length: *mut i16,
) -> i16 {
    // SAFETY: forwarded from the caller.
    let find = || unsafe { record(handle_type, handle, number) };
    // SAFETY: forwarded from the caller.
    unsafe { write_record(find, state, native_error, message, buffer_length, text_length) }
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlgetdiagrec-function>
///
/// # Safety
/// As for any ODBC call: pointers null or valid for the lengths given.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetDiagRec(
    handle_type: i16,
    handle: *mut c_void,
    number: i16,
    state: *mut u8,
    native_error: *mut i32,
    message: *mut u8,
    buffer_length: i16,
    text_length: *mut i16,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe {
        get_diag_rec(
            handle_type,
            handle,
            number,
            state,
            native_error,
            message,
            buffer_length,
            text_length,
        )
    }
}

/// The UTF-16 form of [`SQLGetDiagRec`]; `buffer_length` counts characters.
///
/// # Safety
/// As for any ODBC call: pointers null or valid for the lengths given.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetDiagRecW(
    handle_type: i16,
    handle: *mut c_void,
    number: i16,
    state: *mut u16,
    native_error: *mut i32,
    message: *mut u16,
    buffer_length: i16,
    text_length: *mut i16,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe {
        get_diag_rec(
            handle_type,
            handle,
            number,
            state,
            native_error,
            message,
            buffer_length,
            text_length,
        )
    }
}

mod field {
    pub const RETURNCODE: i16 = 1;
    pub const NUMBER: i16 = 2;
    pub const ROW_COUNT: i16 = 3;
    pub const SQLSTATE: i16 = 4;
    pub const NATIVE: i16 = 5;
    pub const MESSAGE_TEXT: i16 = 6;
    pub const DYNAMIC_FUNCTION: i16 = 7;
    pub const CLASS_ORIGIN: i16 = 8;
    pub const SUBCLASS_ORIGIN: i16 = 9;
    pub const CONNECTION_NAME: i16 = 10;
    pub const SERVER_NAME: i16 = 11;
    pub const DYNAMIC_FUNCTION_CODE: i16 = 12;
    pub const CURSOR_ROW_COUNT: i16 = -1249;
    pub const ROW_NUMBER: i16 = -1248;
    pub const COLUMN_NUMBER: i16 = -1247;
}

/// SQL_ROW_NUMBER_UNKNOWN / SQL_COLUMN_NUMBER_UNKNOWN.
const NUMBER_UNKNOWN: isize = -2;

/// The C type of a numeric diagnostic field, as the specification gives it: SQLRETURN for the
/// return code, SQLLEN for the row counts and the row number, SQLINTEGER for the rest.
fn integer_width(field: i16) -> Option<Width> {
    Some(match field {
        field::RETURNCODE => Width::Small,
        field::NUMBER | field::NATIVE | field::DYNAMIC_FUNCTION_CODE | field::COLUMN_NUMBER => Width::Integer,
        field::ROW_COUNT | field::CURSOR_ROW_COUNT | field::ROW_NUMBER => Width::Long,
        _ => return None,
    })
}

/// Header fields that only a statement has.
fn is_statement_field(field: i16) -> bool {
    matches!(
        field,
        field::ROW_COUNT | field::CURSOR_ROW_COUNT | field::DYNAMIC_FUNCTION | field::DYNAMIC_FUNCTION_CODE
    )
}

/// # Safety
/// `info` null or valid for `buffer_length` bytes (or the field's integer); `length` null or valid.
#[allow(clippy::too_many_arguments)]
unsafe fn get_diag_field(
    handle_type: i16,
    handle: *mut c_void,
    number: i16,
    field: i16,
    info: *mut c_void,
    buffer_length: i16,
    length: *mut i16,
    encoding: Encoding,
) -> i16 {
    catch_unwind(|| {
        // SAFETY: forwarded from the caller.
        let records = match unsafe { diagnostics(handle_type, handle) } {
            Ok(records) => records,
            Err(code) => return code,
        };
        if is_statement_field(field) && handle_type != HANDLE_STMT {
            return SQL_ERROR;
        }
        // Header fields first: they need no record.
        let header = match field {
            field::NUMBER => Some(records.len() as isize),
            field::RETURNCODE => Some(records.return_code().into()),
            field::ROW_COUNT => Some(records.row_count()),
            // A forward-only cursor does not know its row count; no dynamic function is named.
            field::CURSOR_ROW_COUNT | field::DYNAMIC_FUNCTION_CODE => Some(0),
            _ => None,
        };
        let record = if header.is_some() || field == field::DYNAMIC_FUNCTION {
            None
        } else {
            // SAFETY: forwarded from the caller.
            match unsafe { record(handle_type, handle, number) } {
                Ok(diagnostic) => Some(diagnostic),
                Err(code) => return code,
            }
        };
        if let Some(width) = integer_width(field) {
            let value = match (header, &record) {
                (Some(value), _) => value,
                (None, Some(diagnostic)) if field == field::NATIVE => diagnostic.native_error as isize,
                _ => NUMBER_UNKNOWN,
            };
            // SAFETY: the caller promises room for the field's integer.
            unsafe { write_number(info, width, value, length) };
            return SQL_SUCCESS;
        }
        let text = match (field, record) {
            (field::DYNAMIC_FUNCTION, _) => String::new(),
            (field::SQLSTATE, Some(diagnostic)) => diagnostic.sqlstate.to_string(),
            (field::MESSAGE_TEXT, Some(diagnostic)) => diagnostic.message,
            // States of class IM and the ODBC 3 ones come from ODBC 3.0, all others from ISO 9075.
            (field::CLASS_ORIGIN | field::SUBCLASS_ORIGIN, Some(_)) => "ODBC 3.0".to_string(),
            (field::CONNECTION_NAME | field::SERVER_NAME, Some(_)) => String::new(),
            _ => return SQL_ERROR,
        };
        // SAFETY: forwarded from the caller.
        let warning = unsafe { write_text_in_bytes(&text, info, buffer_length, length, encoding) };
        if warning.is_some() {
            SQL_SUCCESS_WITH_INFO
        } else {
            SQL_SUCCESS
        }
    })
    .unwrap_or(SQL_ERROR)
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlgetdiagfield-function>
///
/// # Safety
/// As for [`get_diag_field`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetDiagField(
    handle_type: i16,
    handle: *mut c_void,
    number: i16,
    field: i16,
    info: *mut c_void,
    buffer_length: i16,
    length: *mut i16,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe {
        get_diag_field(
            handle_type,
            handle,
            number,
            field,
            info,
            buffer_length,
            length,
            Encoding::Utf8,
        )
    }
}

/// UTF-16 form of [`SQLGetDiagField`]; `buffer_length` and the reported length are in bytes.
///
/// # Safety
/// As for [`get_diag_field`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetDiagFieldW(
    handle_type: i16,
    handle: *mut c_void,
    number: i16,
    field: i16,
    info: *mut c_void,
    buffer_length: i16,
    length: *mut i16,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe {
        get_diag_field(
            handle_type,
            handle,
            number,
            field,
            info,
            buffer_length,
            length,
            Encoding::wide(),
        )
    }
}
