//! Connections: connect, free, execute, cancel, and results as Arrow streams.

use std::ffi::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::{LIVE_CONNECTIONS, bh_connection, bh_error, client, free, run, run_in_callback_too, text};
use crate::arrow::{ArrowArrayStream, StringsAs, export_stream};
use crate::capi::params::values;
use crate::capi::query_options::read as read_options;
use crate::capi::{CError, Client, bh_param, bh_query_options};

/// Flags of `bh_query_arrow`, or-ed together.
#[repr(u32)]
pub enum bh_arrow_flags {
    /// String columns as Arrow binary instead of utf8 (ClickHouse strings are bytes; utf8 is what
    /// most consumers expect).
    BH_ARROW_STRINGS_AS_BINARY = 1,
}

const STRINGS_AS_BINARY: u32 = bh_arrow_flags::BH_ARROW_STRINGS_AS_BINARY as u32;

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
        connection = LIVE_CONNECTIONS.register(bh_connection(Client::connect(connection_string)?));
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

/// Runs a statement and drops any rows it returns. Its `?` placeholders take the `n_params` values
/// at `params` in order, written as literals (SQLSTATE 07002 when the counts differ). `options`:
/// settings, timeout and progress callback for this statement, NULL for the defaults. `*rows_written`
/// (when not NULL) gets the rows the statement wrote, or -1 when the server does not say. Returns 0,
/// or -1 with `*error` set.
///
/// # Safety
/// `connection` as from `bh_connect`; `sql` NUL-terminated; `params` valid for `n_params` values (or
/// NULL with 0); `options` NULL or readable; `rows_written` and `error` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_execute(
    connection: *mut bh_connection,
    sql: *const c_char,
    params: *const bh_param,
    n_params: usize,
    options: *const bh_query_options,
    rows_written: *mut i64,
    error: *mut *mut bh_error,
) -> i32 {
    run(error, || {
        // SAFETY: as promised by the caller.
        let (client, sql, values, options) = unsafe {
            (
                client(connection)?,
                text(sql, "the statement")?,
                values(params, n_params)?,
                read_options(options)?,
            )
        };
        let written = client.execute(sql, &values, options)?;
        // SAFETY: as promised by the caller.
        if let Some(out) = unsafe { rows_written.as_mut() } {
            *out = written.and_then(|rows| i64::try_from(rows).ok()).unwrap_or(-1);
        }
        Ok(())
    })
}

/// Runs a statement (placeholders and options as for `bh_execute`) and fills `*out` with its result as an Arrow
/// C stream: one struct array per block, released by the caller. A statement without a result gives a stream with no columns and
/// no arrays. `flags`: 0, or `BH_ARROW_STRINGS_AS_BINARY`. Returns 0, or -1 with `*error` set (and
/// `*out` untouched).
///
/// # Safety
/// `connection` as from `bh_connect`; `sql` NUL-terminated; `params` valid for `n_params` values (or
/// NULL with 0); `options` NULL or readable; `out` writable; `error` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_query_arrow(
    connection: *mut bh_connection,
    sql: *const c_char,
    params: *const bh_param,
    n_params: usize,
    options: *const bh_query_options,
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
        // SAFETY: as promised by the caller.
        let (values, options) = unsafe { (values(params, n_params)?, read_options(options)?) };
        export_stream(Box::new(client.query(sql, &values, options)?), strings, out);
        Ok(())
    })
}

/// Asks the server to stop the query running on the connection, from any thread and from inside
/// a progress callback; the query then fails with SQLSTATE HY008. Returns 0, or -1 when the
/// connection is not a live one.
///
/// # Safety
/// `connection` as from `bh_connect`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_cancel(connection: *mut bh_connection) -> i32 {
    run_in_callback_too(std::ptr::null_mut(), || {
        // SAFETY: as promised by the caller.
        unsafe { client(connection) }?.cancel();
        Ok(())
    })
}
