//! The option functions of databases, connections and statements: one generic body per form (text,
//! bytes, int, double; set and get), and [`option_functions!`] naming them for each kind.

use std::ffi::c_char;

use super::{AdbcError, AdbcHandle, Registry, entry, out, text};
use crate::adbc::error::Failure;

/// An object with options, as ADBC's SetOption and GetOption see it (all values are text here).
pub(super) trait Optioned {
    fn set(&self, key: &str, value: &str) -> Result<(), Failure>;
    fn get(&self, key: &str) -> Result<String, Failure>;
}

/// # Safety
/// `handle` null or the caller's handle; `key` null or NUL-terminated.
unsafe fn set<T: Optioned>(
    registry: &Registry,
    handle: *mut AdbcHandle,
    key: *const c_char,
    value: &str,
) -> Result<(), Failure> {
    // SAFETY: as promised by the caller.
    let (object, key) = unsafe { (registry.get::<T>(handle)?, text(key, "the key")?) };
    object.set(key, value)
}

/// # Safety
/// As for [`set`].
unsafe fn get<T: Optioned>(
    registry: &Registry,
    handle: *mut AdbcHandle,
    key: *const c_char,
) -> Result<(String, String), Failure> {
    // SAFETY: as promised by the caller.
    let (object, key) = unsafe { (registry.get::<T>(handle)?, text(key, "the key")?) };
    let value = object.get(key)?;
    Ok((key.to_string(), value))
}

/// # Safety
/// As for [`set`]; `value` null or NUL-terminated.
pub(super) unsafe fn set_text<T: Optioned>(
    registry: &Registry,
    handle: *mut AdbcHandle,
    key: *const c_char,
    value: *const c_char,
    error: *mut AdbcError,
) -> u8 {
    // SAFETY: as promised by the caller.
    entry(error, || unsafe {
        set::<T>(registry, handle, key, text(value, "the value")?)
    })
}

/// # Safety
/// As for [`set`]; `value` null or readable for `length` bytes.
pub(super) unsafe fn set_bytes<T: Optioned>(
    registry: &Registry,
    handle: *mut AdbcHandle,
    key: *const c_char,
    value: *const u8,
    length: usize,
    error: *mut AdbcError,
) -> u8 {
    entry(error, || {
        if value.is_null() {
            return Err(Failure::invalid_argument("the value is NULL"));
        }
        // SAFETY: as promised by the caller.
        let bytes = unsafe { std::slice::from_raw_parts(value, length) };
        let value = std::str::from_utf8(bytes)
            .map_err(|_| Failure::not_implemented("binary option values are not supported"))?;
        // SAFETY: as promised by the caller.
        unsafe { set::<T>(registry, handle, key, value) }
    })
}

/// A number set as an option: its text.
///
/// # Safety
/// As for [`set`].
pub(super) unsafe fn set_number<T: Optioned>(
    registry: &Registry,
    handle: *mut AdbcHandle,
    key: *const c_char,
    value: impl ToString,
    error: *mut AdbcError,
) -> u8 {
    // SAFETY: as promised by the caller.
    entry(error, || unsafe { set::<T>(registry, handle, key, &value.to_string()) })
}

/// GetOption's protocol: the value (with a NUL for text) where it fits in `*length` bytes, and the
/// length it needs in `*length` either way.
///
/// # Safety
/// As for [`set`]; `buffer` null or writable for `*length` bytes; `length` null or writable.
pub(super) unsafe fn get_text<T: Optioned>(
    registry: &Registry,
    handle: *mut AdbcHandle,
    key: *const c_char,
    buffer: *mut u8,
    length: *mut usize,
    with_nul: bool,
    error: *mut AdbcError,
) -> u8 {
    entry(error, || {
        // SAFETY: as promised by the caller.
        let (_, value) = unsafe { get::<T>(registry, handle, key) }?;
        // SAFETY: as promised by the caller.
        let length = unsafe { out(length, "the length") }?;
        let needed = value.len() + usize::from(with_nul);
        if !buffer.is_null() && *length >= needed {
            // SAFETY: the caller's buffer holds `*length` bytes.
            unsafe {
                std::ptr::copy_nonoverlapping(value.as_ptr(), buffer, value.len());
                if with_nul {
                    *buffer.add(value.len()) = 0;
                }
            }
        }
        *length = needed;
        Ok(())
    })
}

/// A number read as an option: its text parsed; NOT_FOUND when it is not a number of that type.
///
/// # Safety
/// As for [`set`]; `value` null or writable.
pub(super) unsafe fn get_number<T: Optioned, N: std::str::FromStr>(
    registry: &Registry,
    handle: *mut AdbcHandle,
    key: *const c_char,
    value: *mut N,
    error: *mut AdbcError,
) -> u8 {
    entry(error, || {
        // SAFETY: as promised by the caller.
        let (key, text) = unsafe { get::<T>(registry, handle, key) }?;
        let number = text
            .parse()
            .map_err(|_| Failure::not_found(format!("option `{key}` is not a number of the type asked for")))?;
        // SAFETY: as promised by the caller.
        *unsafe { out(value, "the value") }? = number;
        Ok(())
    })
}

/// The eight option functions of one kind of object, over the generic bodies above.
macro_rules! option_functions {
    ($object:ty, $registry:expr, $set:ident, $set_bytes:ident, $set_int:ident, $set_double:ident,
     $get:ident, $get_bytes:ident, $get_int:ident, $get_double:ident) => {
        pub(super) unsafe extern "C" fn $set(
            handle: *mut AdbcHandle,
            key: *const c_char,
            value: *const c_char,
            error: *mut AdbcError,
        ) -> u8 {
            // SAFETY: forwarded from the caller.
            unsafe { super::options::set_text::<$object>(&$registry, handle, key, value, error) }
        }

        pub(super) unsafe extern "C" fn $set_bytes(
            handle: *mut AdbcHandle,
            key: *const c_char,
            value: *const u8,
            length: usize,
            error: *mut AdbcError,
        ) -> u8 {
            // SAFETY: forwarded from the caller.
            unsafe { super::options::set_bytes::<$object>(&$registry, handle, key, value, length, error) }
        }

        pub(super) unsafe extern "C" fn $set_int(
            handle: *mut AdbcHandle,
            key: *const c_char,
            value: i64,
            error: *mut AdbcError,
        ) -> u8 {
            // SAFETY: forwarded from the caller.
            unsafe { super::options::set_number::<$object>(&$registry, handle, key, value, error) }
        }

        pub(super) unsafe extern "C" fn $set_double(
            handle: *mut AdbcHandle,
            key: *const c_char,
            value: f64,
            error: *mut AdbcError,
        ) -> u8 {
            // SAFETY: forwarded from the caller.
            unsafe { super::options::set_number::<$object>(&$registry, handle, key, value, error) }
        }

        pub(super) unsafe extern "C" fn $get(
            handle: *mut AdbcHandle,
            key: *const c_char,
            value: *mut c_char,
            length: *mut usize,
            error: *mut AdbcError,
        ) -> u8 {
            // SAFETY: forwarded from the caller.
            unsafe { super::options::get_text::<$object>(&$registry, handle, key, value.cast(), length, true, error) }
        }

        pub(super) unsafe extern "C" fn $get_bytes(
            handle: *mut AdbcHandle,
            key: *const c_char,
            value: *mut u8,
            length: *mut usize,
            error: *mut AdbcError,
        ) -> u8 {
            // SAFETY: forwarded from the caller.
            unsafe { super::options::get_text::<$object>(&$registry, handle, key, value, length, false, error) }
        }

        pub(super) unsafe extern "C" fn $get_int(
            handle: *mut AdbcHandle,
            key: *const c_char,
            value: *mut i64,
            error: *mut AdbcError,
        ) -> u8 {
            // SAFETY: forwarded from the caller.
            unsafe { super::options::get_number::<$object, i64>(&$registry, handle, key, value, error) }
        }

        pub(super) unsafe extern "C" fn $get_double(
            handle: *mut AdbcHandle,
            key: *const c_char,
            value: *mut f64,
            error: *mut AdbcError,
        ) -> u8 {
            // SAFETY: forwarded from the caller.
            unsafe { super::options::get_number::<$object, f64>(&$registry, handle, key, value, error) }
        }
    };
}

pub(super) use option_functions;
