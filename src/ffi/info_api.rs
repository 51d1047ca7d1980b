//! SQLGetInfo(W) and SQLGetFunctions.

use std::ffi::c_void;

use super::{SQL_SUCCESS, entry, with_warning, write_if_given, write_text_in_bytes};
use crate::odbc::diag::Diagnostic;
use crate::odbc::functions::supported;
use crate::odbc::handles::Dbc;
use crate::odbc::info::{Info, answer};
use crate::odbc::text::Encoding;

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlgetfunctions-function>
///
/// # Safety
/// `supported_out` must hold 250 (ODBC 3 bitmap), 100 (ODBC 2 table) or 1 SQLUSMALLINT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetFunctions(connection: *mut c_void, function: u16, supported_out: *mut u16) -> i16 {
    entry::<Dbc>(connection, |_| {
        if supported_out.is_null() {
            return Err(Diagnostic::new("HY009", "invalid use of null pointer"));
        }
        let answer = supported(function);
        // SAFETY: the caller promises room for the answer's shape (see `supported`).
        unsafe { std::ptr::copy_nonoverlapping(answer.as_ptr(), supported_out, answer.len()) };
        Ok(SQL_SUCCESS)
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
                // SAFETY: forwarded from the caller.
                let warning = unsafe { write_text_in_bytes(&text, value, buffer_length, length, encoding) };
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
        // SAFETY: the caller promises `length` is null or writable.
        unsafe { write_if_given(length, width) };
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
    unsafe { get_info(connection, info_type, value, buffer_length, length, Encoding::wide()) }
}
