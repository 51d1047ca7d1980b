//! The plain C API (`bh_*`): argument checks and conversions over [`crate::capi`].
//!
//! Ownership and threads, as `include/bytehouse.h` documents them:
//! - `bh_connect` returns a connection the caller frees with `bh_connection_free`; one thread at a
//!   time may run statements on it, `bh_cancel` may come from any thread.
//! - A `bh_error` written to an `error` out-parameter belongs to the caller (`bh_error_free`); its
//!   texts live as long as it does. On success the out-parameter is set to NULL.
//! - An `ArrowArrayStream` filled by `bh_query_arrow` belongs to the caller, who calls its `release`;
//!   it keeps the connection's socket until then, even after `bh_connection_free`.
//! - Handles are checked against a registry of live ones: a freed or foreign pointer gets an error
//!   (or is ignored by the free functions) instead of being dereferenced. Freeing a handle while
//!   another thread uses it is the caller's error.
#![allow(non_camel_case_types)]

use std::collections::HashSet;
use std::ffi::{CStr, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use once_cell::sync::Lazy;
use parking_lot::Mutex;

use crate::arrow::{ArrowArrayStream, StringsAs, export_stream};
use crate::capi::{CError, Client};

/// Flags of `bh_query_arrow`, or-ed together.
#[repr(u32)]
pub enum bh_arrow_flags {
    /// String columns as Arrow binary instead of utf8 (ClickHouse strings are bytes; utf8 is what
    /// most consumers expect).
    BH_ARROW_STRINGS_AS_BINARY = 1,
}

const STRINGS_AS_BINARY: u32 = bh_arrow_flags::BH_ARROW_STRINGS_AS_BINARY as u32;

/// An open connection (opaque).
pub struct bh_connection(Client);

/// A failure: the server's code, a SQLSTATE and a message (opaque).
pub struct bh_error(CError);

/// Addresses of live handles, by kind.
static LIVE_CONNECTIONS: Lazy<Mutex<HashSet<usize>>> = Lazy::new(Mutex::default);
static LIVE_ERRORS: Lazy<Mutex<HashSet<usize>>> = Lazy::new(Mutex::default);

fn register<T>(live: &Mutex<HashSet<usize>>, object: T) -> *mut T {
    let pointer = Box::into_raw(Box::new(object));
    live.lock().insert(pointer as usize);
    pointer
}

/// The object behind a live handle.
///
/// # Safety
/// The handle must not be freed while the reference is in use.
unsafe fn live<'a, T>(live: &Mutex<HashSet<usize>>, pointer: *const T) -> Option<&'a T> {
    // SAFETY: registered addresses are live boxes of T.
    live.lock().contains(&(pointer as usize)).then(|| unsafe { &*pointer })
}

/// Unregisters and frees a live handle; anything else is ignored.
fn free<T>(live: &Mutex<HashSet<usize>>, pointer: *mut T) {
    if live.lock().remove(&(pointer as usize)) {
        // SAFETY: the address came from `register` and is no longer registered.
        drop(unsafe { Box::from_raw(pointer) });
    }
}

/// Runs an export's body: catches panics, hands an error to `error` (when not NULL) and returns
/// 0 on success, -1 on failure.
fn run(error: *mut *mut bh_error, body: impl FnOnce() -> Result<(), CError>) -> i32 {
    let outcome = catch_unwind(AssertUnwindSafe(body))
        .unwrap_or_else(|_| Err(CError::new("HY000", "internal error: the driver panicked")));
    // SAFETY: the caller passes NULL or a writable pointer.
    let slot = unsafe { error.as_mut() };
    match outcome {
        Ok(()) => {
            if let Some(slot) = slot {
                *slot = std::ptr::null_mut();
            }
            0
        }
        Err(failure) => {
            if let Some(slot) = slot {
                *slot = register(&LIVE_ERRORS, bh_error(failure));
            }
            -1
        }
    }
}

/// # Safety
/// `text` is NULL or a NUL-terminated string.
unsafe fn text<'a>(text: *const c_char, what: &str) -> Result<&'a str, CError> {
    if text.is_null() {
        return Err(CError::argument(format!("{what} is NULL")));
    }
    // SAFETY: as promised by the caller.
    unsafe { CStr::from_ptr(text) }
        .to_str()
        .map_err(|_| CError::argument(format!("{what} is not UTF-8")))
}

/// # Safety
/// `connection` is NULL or a pointer `bh_connect` returned, not freed by another thread meanwhile.
unsafe fn client<'a>(connection: *const bh_connection) -> Result<&'a Client, CError> {
    // SAFETY: as promised by the caller.
    unsafe { live(&LIVE_CONNECTIONS, connection) }
        .map(|connection| &connection.0)
        .ok_or_else(|| CError::argument("the connection is NULL, freed or not one bh_connect returned"))
}

/// Connects with a connection string (the ODBC driver's keys, `DSN=` included). Returns NULL on
/// failure, with the reason in `*error` when `error` is not NULL.
///
/// # Safety
/// `connection_string` is NULL or NUL-terminated; `error` is NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_connect(connection_string: *const c_char, error: *mut *mut bh_error) -> *mut bh_connection {
    let mut connection = std::ptr::null_mut();
    run(error, || {
        // SAFETY: as promised by the caller.
        let connection_string = unsafe { text(connection_string, "the connection string") }?;
        connection = register(&LIVE_CONNECTIONS, bh_connection(Client::connect(connection_string)?));
        Ok(())
    });
    connection
}

/// Closes a connection. NULL, a freed or a foreign pointer is ignored. Open Arrow streams keep
/// working until released.
///
/// # Safety
/// No other thread may be using the connection.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_connection_free(connection: *mut bh_connection) {
    let _ = catch_unwind(AssertUnwindSafe(|| free(&LIVE_CONNECTIONS, connection)));
}

/// Runs a statement and drops any rows it returns. `*rows_written` (when not NULL) gets the rows
/// the statement wrote, or -1 when the server does not say. Returns 0, or -1 with `*error` set.
///
/// # Safety
/// `connection` as from `bh_connect`; `sql` NUL-terminated; `rows_written` and `error` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_execute(
    connection: *mut bh_connection,
    sql: *const c_char,
    rows_written: *mut i64,
    error: *mut *mut bh_error,
) -> i32 {
    run(error, || {
        // SAFETY: as promised by the caller.
        let (client, sql) = unsafe { (client(connection)?, text(sql, "the statement")?) };
        let written = client.execute(sql)?;
        // SAFETY: as promised by the caller.
        if let Some(out) = unsafe { rows_written.as_mut() } {
            *out = written.and_then(|rows| i64::try_from(rows).ok()).unwrap_or(-1);
        }
        Ok(())
    })
}

/// Runs a statement and fills `*out` with its result as an Arrow C stream: one struct array per
/// block, released by the caller. A statement without a result gives a stream with no columns and
/// no arrays. `flags`: 0, or `BH_ARROW_STRINGS_AS_BINARY`. Returns 0, or -1 with `*error` set (and
/// `*out` untouched).
///
/// # Safety
/// `connection` as from `bh_connect`; `sql` NUL-terminated; `out` writable; `error` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_query_arrow(
    connection: *mut bh_connection,
    sql: *const c_char,
    flags: u32,
    out: *mut ArrowArrayStream,
    error: *mut *mut bh_error,
) -> i32 {
    run(error, || {
        // SAFETY: as promised by the caller.
        let (client, sql) = unsafe { (client(connection)?, text(sql, "the statement")?) };
        // SAFETY: as promised by the caller.
        let out = unsafe { out.as_mut() }.ok_or_else(|| CError::argument("the output stream is NULL"))?;
        if flags & !STRINGS_AS_BINARY != 0 {
            return Err(CError::new("HY024", format!("unknown flags {flags:#x}")));
        }
        let strings = if flags & STRINGS_AS_BINARY != 0 {
            StringsAs::Binary
        } else {
            StringsAs::Utf8
        };
        export_stream(client.query(sql)?, strings, out);
        Ok(())
    })
}

/// Asks the server to stop the query running on the connection, from any thread; the query then
/// fails with SQLSTATE HY008. Returns 0, or -1 when the connection is not a live one.
///
/// # Safety
/// `connection` as from `bh_connect`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_cancel(connection: *mut bh_connection) -> i32 {
    run(std::ptr::null_mut(), || {
        // SAFETY: as promised by the caller.
        unsafe { client(connection) }?.cancel();
        Ok(())
    })
}

/// The server's error code, or 0 when the client found the error (or `error` is not a live error).
///
/// # Safety
/// `error` is NULL or a pointer from an `error` out-parameter.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_error_code(error: *const bh_error) -> i32 {
    // SAFETY: as promised by the caller.
    catch_unwind(|| unsafe { live(&LIVE_ERRORS, error) }.map_or(0, |error| error.0.code)).unwrap_or(0)
}

/// The five-character SQLSTATE; "" for a pointer that is not a live error. Valid until `bh_error_free`.
///
/// # Safety
/// As for [`bh_error_code`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_error_sqlstate(error: *const bh_error) -> *const c_char {
    // SAFETY: as promised by the caller.
    catch_unwind(|| unsafe { live(&LIVE_ERRORS, error) }.map_or(c"".as_ptr(), |error| error.0.sqlstate.as_ptr()))
        .unwrap_or(c"".as_ptr())
}

/// The message (never holding a password or API key); "" for a pointer that is not a live error.
/// Valid until `bh_error_free`.
///
/// # Safety
/// As for [`bh_error_code`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_error_message(error: *const bh_error) -> *const c_char {
    // SAFETY: as promised by the caller.
    catch_unwind(|| unsafe { live(&LIVE_ERRORS, error) }.map_or(c"".as_ptr(), |error| error.0.message.as_ptr()))
        .unwrap_or(c"".as_ptr())
}

/// Frees an error. NULL, a freed or a foreign pointer is ignored.
///
/// # Safety
/// `error` is not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_error_free(error: *mut bh_error) {
    let _ = catch_unwind(AssertUnwindSafe(|| free(&LIVE_ERRORS, error)));
}

/// The library's version, e.g. "0.1.0"; a static string.
#[unsafe(no_mangle)]
pub extern "C" fn bh_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
