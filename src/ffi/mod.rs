//! The exported ODBC entry points: thin functions that check their handle, convert raw C arguments
//! and call into `crate::odbc`. Every one runs inside [`entry`], which catches panics so that none
//! crosses into the application, and leaves a diagnostic record behind every SQL_ERROR.

pub mod adbc;
pub mod c_api;
mod catalog_api;
mod connect_api;
mod desc_api;
mod diag_api;
mod handle_api;
mod info_api;
mod odbc2_api;
mod results_api;
mod stmt_api;
mod stmt_attr_api;

pub use c_api::*;
pub use catalog_api::*;
pub use connect_api::*;
pub use desc_api::*;
pub use diag_api::*;
pub use handle_api::*;
pub use info_api::*;
pub use odbc2_api::*;
pub use results_api::*;
pub use stmt_api::*;
pub use stmt_attr_api::*;

use std::ffi::c_void;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::odbc::descriptor::Width;
use crate::odbc::diag::Diagnostic;
use crate::odbc::handles::Handle;
use crate::odbc::text::{CodeUnit, Encoding, NTS, Output, read_input};
use crate::odbc::types::SqlDescription;

pub const SQL_SUCCESS: i16 = 0;
pub const SQL_SUCCESS_WITH_INFO: i16 = 1;
pub const SQL_NO_DATA: i16 = 100;
pub const SQL_ERROR: i16 = -1;
pub const SQL_INVALID_HANDLE: i16 = -2;

/// Runs the body of an entry point on the object behind `handle`: SQL_INVALID_HANDLE if the handle
/// is not a live one of that kind, diagnostics cleared first, an `Err` recorded as SQL_ERROR, and a
/// panic turned into an HY000 record instead of unwinding into C.
fn entry<H: Handle>(handle: *mut c_void, body: impl FnOnce(&H) -> Result<i16, Diagnostic>) -> i16 {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: ODBC forbids freeing a handle while another call uses it.
        let Some(object) = (unsafe { H::from_handle(handle) }) else {
            return SQL_INVALID_HANDLE;
        };
        object.diagnostics().clear();
        let code = match body(object) {
            Ok(code) => code,
            Err(diagnostic) => {
                object.diagnostics().push(diagnostic);
                SQL_ERROR
            }
        };
        object.diagnostics().set_return_code(code);
        code
    }));
    outcome.unwrap_or_else(|panic| {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|text| text.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        // SAFETY: as above.
        if let Some(object) = unsafe { H::from_handle(handle) } {
            object
                .diagnostics()
                .push(Diagnostic::new("HY000", format!("internal error: {detail}")));
            object.diagnostics().set_return_code(SQL_ERROR);
        }
        SQL_ERROR
    })
}

/// Returns SQL_SUCCESS, or SQL_SUCCESS_WITH_INFO after recording the warnings (an `Option` or a list).
fn with_warning<H: Handle>(object: &H, warnings: impl IntoIterator<Item = Diagnostic>) -> i16 {
    let mut result = SQL_SUCCESS;
    for diagnostic in warnings {
        object.diagnostics().push(diagnostic);
        result = SQL_SUCCESS_WITH_INFO;
    }
    result
}

/// The integer type of an output length argument: SQLSMALLINT, SQLINTEGER or SQLLEN.
trait OutputLength: Copy {
    /// `length`, or when the type cannot hold it (`true`) the longest text a buffer whose size
    /// has this type holds with its terminator: one less than the type's largest value, so that
    /// an application sizing a buffer as length + 1 (pyodbc) stays within the type.
    fn clamped(length: usize) -> (Self, bool);
}

macro_rules! output_length {
    ($($type:ty),*) => {$(
        impl OutputLength for $type {
            fn clamped(length: usize) -> ($type, bool) {
                match <$type>::try_from(length) {
                    Ok(length) if length < <$type>::MAX => (length, false),
                    _ => (<$type>::MAX - 1, true),
                }
            }
        }
    )*};
}

output_length!(i16, i32, isize);

/// Writes an output string where the application asked for it, and its full length, counted in
/// units of `length_unit` bytes, wherever a length pointer was given: a length beyond what its
/// type holds is cut too (`OutputLength::clamped`). Returns the 01004 warning when the text or its
/// length had to be cut.
///
/// # Safety
/// `buffer` must be null or valid for `capacity_bytes` bytes; `length` null or valid for a write.
unsafe fn write_output<L: OutputLength>(
    text: &str,
    buffer: *mut u8,
    capacity_bytes: usize,
    length: *mut L,
    encoding: Encoding,
    length_unit: usize,
) -> Option<Diagnostic> {
    let output = Output {
        buffer,
        capacity_bytes,
        encoding,
    };
    // SAFETY: forwarded from the caller.
    let (full_length, truncated) = unsafe { output.write(text) };
    let mut clamped = false;
    if !length.is_null() {
        let (value, cut) = L::clamped(full_length * encoding.unit_size() / length_unit);
        clamped = cut;
        // SAFETY: the caller promises `length` is valid.
        unsafe { length.write_unaligned(value) };
    }
    (truncated || clamped).then(Diagnostic::truncated)
}

/// Writes an output string into a buffer of `buffer_length` code units `C`, and its length in
/// them (see [`write_output`]).
///
/// # Safety
/// `buffer` must be null or valid for `buffer_length` units; `length` null or valid for a write.
unsafe fn write_text<C: CodeUnit, L: OutputLength>(
    text: &str,
    buffer: *mut C,
    buffer_length: impl Into<i64>,
    length: *mut L,
) -> Option<Diagnostic> {
    let encoding = C::encoding();
    let capacity_bytes = usize::try_from(buffer_length.into()).unwrap_or(0) * encoding.unit_size();
    // SAFETY: forwarded from the caller.
    unsafe {
        write_output(
            text,
            buffer.cast(),
            capacity_bytes,
            length,
            encoding,
            encoding.unit_size(),
        )
    }
}

/// [`write_text`] for the functions whose length arguments count bytes also in their W form
/// (SQLColAttributeW, SQLGetInfoW, SQLGetDiagFieldW, SQLGetDescFieldW, SQLGetConnectAttrW):
/// `buffer_length` is the buffer's size (an odd one is rounded down to whole units) and `length`
/// receives the full length in bytes.
///
/// # Safety
/// `buffer` must be null or valid for `buffer_length` bytes; `length` null or valid for a write.
unsafe fn write_text_in_bytes<L: OutputLength>(
    text: &str,
    buffer: *mut c_void,
    buffer_length: impl Into<i64>,
    length: *mut L,
    encoding: Encoding,
) -> Option<Diagnostic> {
    let capacity_bytes = usize::try_from(buffer_length.into()).unwrap_or(0);
    // SAFETY: forwarded from the caller.
    unsafe { write_output(text, buffer.cast(), capacity_bytes, length, encoding, 1) }
}

/// Reads an input string of `length` code units `C` (see [`read_input`]).
///
/// # Safety
/// `text` must be null or valid for `length` units (or NUL-terminated for SQL_NTS).
unsafe fn read_text<C: CodeUnit>(text: *const C, length: impl Into<isize>) -> Option<String> {
    // SAFETY: forwarded from the caller.
    unsafe { read_input(text.cast(), length.into(), C::encoding()) }
}

/// Reads the string arguments `texts`, each of its length in `lengths` (see [`read_text`]).
///
/// # Safety
/// As for [`read_text`], for each text and its length.
unsafe fn read_texts<C: CodeUnit, const N: usize>(texts: [*const C; N], lengths: [i16; N]) -> [Option<String>; N] {
    // SAFETY: forwarded from the caller.
    std::array::from_fn(|index| unsafe { read_text(texts[index], lengths[index]) })
}

/// Reads the text of a statement (SQLPrepare, SQLExecDirect, SQLNativeSql). Some applications pass
/// their buffer's size as the length, so NULs after the text are dropped; a NUL inside it is an
/// error, since the server would read a different statement than the application sees.
///
/// # Safety
/// `text` must be null or valid for `length` characters (or NUL-terminated for SQL_NTS).
unsafe fn statement_text_input<C: CodeUnit>(text: *const C, length: i32) -> Result<String, Diagnostic> {
    let length = length as isize;
    if length < 0 && length != NTS {
        return Err(Diagnostic::new("HY090", format!("invalid statement length {length}")));
    }
    // SAFETY: forwarded from the caller.
    let mut text = unsafe { read_text(text, length) }.ok_or_else(|| Diagnostic::new("HY009", "null statement text"))?;
    text.truncate(text.trim_end_matches('\0').len());
    if let Some(position) = text.find('\0') {
        return Err(Diagnostic::new(
            "42000",
            format!("the statement text has a NUL character at byte {position}"),
        ));
    }
    Ok(text)
}

/// Writes `value` where an output argument points, unless the application passed null for it.
///
/// # Safety
/// `target` must be null or valid for a write of `T`; application memory may be unaligned.
unsafe fn write_if_given<T>(target: *mut T, value: T) {
    if !target.is_null() {
        // SAFETY: the caller promises `target` is writable.
        unsafe { target.write_unaligned(value) };
    }
}

/// Writes what SQLDescribeCol and SQLDescribeParam tell of a column or a parameter: its SQL type,
/// size, decimal digits and nullability, each where the application asked for it.
///
/// # Safety
/// Each pointer must be null or valid for a write.
unsafe fn write_description(
    description: &SqlDescription,
    data_type: *mut i16,
    size: *mut usize,
    digits: *mut i16,
    nullable: *mut i16,
) {
    // SAFETY: forwarded from the caller.
    unsafe {
        write_if_given(data_type, description.sql_type);
        write_if_given(size, description.column_size);
        write_if_given(digits, description.decimal_digits);
        write_if_given(nullable, i16::from(description.nullable));
    }
}

/// Writes a numeric value as the C type its `width` names, and that type's size as its length,
/// where the application asked for them.
///
/// # Safety
/// `target` must be null or valid for a write of that type; `length` null or valid for a write.
unsafe fn write_number<L: OutputLength>(target: *mut c_void, width: Width, value: isize, length: *mut L) {
    // SAFETY: the caller promises room for the value's type and the length; application memory
    // may be unaligned.
    unsafe {
        if !target.is_null() {
            match width {
                Width::Small => target.cast::<i16>().write_unaligned(value as i16),
                Width::Integer => target.cast::<i32>().write_unaligned(value as i32),
                Width::Long => target.cast::<isize>().write_unaligned(value),
            }
        }
        write_if_given(length, L::clamped(width.size()).0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_too_long_for_their_type_are_cut_below_its_largest_value() {
        assert_eq!(i16::clamped(32_766), (32_766, false));
        assert_eq!(i16::clamped(32_767), (32_766, true));
        assert_eq!(i16::clamped(200_020), (32_766, true));
        assert_eq!(i32::clamped(200_020), (200_020, false));
        assert_eq!(isize::clamped(usize::MAX), (isize::MAX - 1, true));
    }

    /// A call from one export into another clears the diagnostics the first one recorded and
    /// skips its handling (SQLExtendedFetch lost its records this way): exports call the shared
    /// bodies instead.
    #[test]
    fn no_export_calls_another() {
        let sources = [
            include_str!("catalog_api.rs"),
            include_str!("connect_api.rs"),
            include_str!("desc_api.rs"),
            include_str!("diag_api.rs"),
            include_str!("handle_api.rs"),
            include_str!("info_api.rs"),
            include_str!("odbc2_api.rs"),
            include_str!("results_api.rs"),
            include_str!("stmt_api.rs"),
            include_str!("stmt_attr_api.rs"),
        ];
        let lines = || sources.iter().flat_map(|source| source.lines());
        let exports: Vec<&str> = lines()
            .filter_map(|line| line.split("extern \"C\" fn ").nth(1))
            .filter_map(|rest| rest.split('(').next())
            .collect();
        assert!(exports.len() > 100, "{exports:?}");
        for line in lines().filter(|line| !line.trim_start().starts_with("//") && !line.contains("extern \"C\" fn ")) {
            for export in &exports {
                let calls = line.match_indices(&format!("{export}(")).any(|(at, _)| {
                    !line[..at].ends_with(|character: char| character.is_alphanumeric() || character == '_')
                });
                assert!(!calls, "an export calls {export}: {line}");
            }
        }
    }

    #[test]
    fn text_arguments_are_read_and_written_in_the_code_units_of_the_signature() {
        let narrow = b"abc\0";
        let wide: Vec<u16> = "déf".encode_utf16().collect();
        let read = unsafe { read_texts([narrow.as_ptr(), std::ptr::null(), narrow.as_ptr()], [NTS as i16, 5, 2]) };
        assert_eq!(read, [Some("abc".to_string()), None, Some("ab".to_string())]);
        assert_eq!(unsafe { read_text(wide.as_ptr(), 2i16) }, Some("dé".to_string()));

        // Buffer lengths count code units: room for two characters and the NUL.
        let mut buffer = [0xffffu16; 4];
        let mut length = 0i16;
        let warning = unsafe { write_text("wxyz", buffer.as_mut_ptr(), 3, &mut length) };
        assert_eq!(warning.map(|warning| warning.sqlstate), Some("01004"));
        assert_eq!((buffer, length), ([u16::from(b'w'), u16::from(b'x'), 0, 0xffff], 4));
        let mut buffer = [0xffu8; 8];
        assert!(unsafe { write_text("wxyz", buffer.as_mut_ptr(), 8, &mut length) }.is_none());
        assert_eq!((&buffer[..5], length), (&b"wxyz\0"[..], 4));
    }

    #[test]
    fn statement_text_loses_trailing_nuls_only() {
        let read = |text: &[u8], length: i32| unsafe { statement_text_input(text.as_ptr(), length) };
        assert_eq!(read(b"SELECT 1\0\0\0", 11), Ok("SELECT 1".to_string()));
        assert_eq!(read(b"SELECT 1\0\0\0", -3), Ok("SELECT 1".to_string()));
        assert_eq!(read(b"SELECT 1\0\0\0", 0), Ok(String::new()));
        assert_eq!(read(b"SELECT\x001\0", 9).unwrap_err().sqlstate, "42000");
        assert_eq!(read(b"SELECT 1", -1).unwrap_err().sqlstate, "HY090");
        let wide: Vec<u16> = "SELECT 2\0\0".encode_utf16().collect();
        let text = unsafe { statement_text_input(wide.as_ptr(), 10) };
        assert_eq!(text, Ok("SELECT 2".to_string()));
    }
}
