//! INSERTs: rows of typed values, sent as native INSERT blocks.

use std::ffi::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr::{null, null_mut};

use super::{ColumnNames, LIVE_INSERTS, bh_connection, bh_error, bh_insert, client, free, live_mut, run, text};
use crate::arrow::ArrowArrayStream;
use crate::capi::params::values;
use crate::capi::query_options::read as read_options;
use crate::capi::{CError, bh_column, bh_param, bh_query_options};
use crate::native::ProgressObserver;

/// # Safety
/// `insert` is NULL or a pointer `bh_insert_begin` returned, used by one thread at a time.
unsafe fn insert<'a>(insert: *mut bh_insert) -> Result<&'a mut bh_insert, CError> {
    // SAFETY: as promised by the caller.
    unsafe { live_mut(&LIVE_INSERTS, insert) }
        .ok_or_else(|| CError::argument("the INSERT is NULL, freed or not one bh_insert_begin returned"))
}

/// Starts an INSERT: `sql` is `INSERT INTO t [(columns)] VALUES` without rows (or `... FORMAT
/// Native`), with `options` as for `bh_execute` (NULL for the defaults). Append rows with
/// `bh_insert_append_row` or whole columns with `bh_insert_append_columns`, send them with `bh_insert_send` (one block per call) and end with
/// `bh_insert_finish`. NULL on failure, with `*error` set.
///
/// # Safety
/// `connection` as from `bh_connect`; `sql` NUL-terminated; `options` NULL or readable; `error`
/// NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_insert_begin(
    connection: *mut bh_connection,
    sql: *const c_char,
    options: *const bh_query_options,
    error: *mut *mut bh_error,
) -> *mut bh_insert {
    let mut begun = null_mut();
    run(error, || {
        // SAFETY: as promised by the caller.
        let (client, sql, options) =
            unsafe { (client(connection)?, text(sql, "the statement")?, read_options(options)?) };
        let insert = client.insert(sql, options)?;
        let columns = ColumnNames::of(insert.header());
        begun = LIVE_INSERTS.register(bh_insert { insert, columns });
        Ok(())
    });
    begun
}

/// The number of columns the INSERT fills (0 for a pointer that is not a live INSERT).
///
/// # Safety
/// `insert` as from `bh_insert_begin`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_insert_column_count(insert: *mut bh_insert) -> usize {
    // SAFETY: as promised by the caller.
    catch_unwind(AssertUnwindSafe(|| {
        unsafe { self::insert(insert) }.map_or(0, |insert| insert.columns.count())
    }))
    .unwrap_or(0)
}

/// The name of column `index` (from 0); NULL when out of range. Valid until `bh_insert_free`.
///
/// # Safety
/// `insert` as from `bh_insert_begin`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_insert_column_name(insert: *mut bh_insert, index: usize) -> *const c_char {
    // SAFETY: as promised by the caller.
    catch_unwind(AssertUnwindSafe(|| {
        unsafe { self::insert(insert) }.map_or(null(), |insert| insert.columns.name(index))
    }))
    .unwrap_or(null())
}

/// The server's type name of column `index`; NULL when out of range. Valid until `bh_insert_free`.
///
/// # Safety
/// `insert` as from `bh_insert_begin`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_insert_column_type(insert: *mut bh_insert, index: usize) -> *const c_char {
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: as promised by the caller.
        unsafe { self::insert(insert) }.map_or(null(), |insert| insert.columns.type_name(index))
    }))
    .unwrap_or(null())
}

/// Appends one row: `n_values` typed values, one per column in order, converted to the column's
/// type. A value that does not fit is an error (22018) naming its column and row, and nothing of the
/// row is kept. Returns 0, or -1 with `*error` set.
///
/// # Safety
/// `insert` as from `bh_insert_begin`; `values` valid for `n_values`; `error` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_insert_append_row(
    insert: *mut bh_insert,
    row: *const bh_param,
    n_values: usize,
    error: *mut *mut bh_error,
) -> i32 {
    run(error, || {
        // SAFETY: as promised by the caller.
        let (insert, values) = unsafe { (self::insert(insert)?, values(row, n_values)?) };
        insert.insert.append_row(&values)
    })
}

/// Appends `rows` rows given as whole columns: `n_columns` views, one per column in order, each
/// describing the caller's memory with the layout `bh_block_column` documents for the column's type
/// (`kind`, `rows`, and per kind `data` and `width`, `ends` with `width` the length of `data`,
/// `nulls`, `array_ends`, `keys`, `children`; `name` and `type_name` are not read). A view of
/// another kind or width than its column takes, offsets that decrease or pass their data, or a
/// value the type cannot hold (an enum number it does not name, a Bool other than 0 or 1, a null
/// map byte other than 0 or 1, a key past the dictionary) is an error naming the column and row
/// (22018; 07002 for the wrong number of columns), and nothing of the call is kept. The values are
/// copied: the memory may be reused once the call returns. Returns 0, or -1 with `*error` set.
///
/// # Safety
/// `insert` as from `bh_insert_begin`; `columns` valid for `n_columns` views (NULL with 0), every
/// pointer in them NULL or valid for the counts they give; `error` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_insert_append_columns(
    insert: *mut bh_insert,
    columns: *const bh_column,
    n_columns: usize,
    rows: usize,
    error: *mut *mut bh_error,
) -> i32 {
    run(error, || {
        // SAFETY: as promised by the caller.
        let insert = unsafe { self::insert(insert) }?;
        if columns.is_null() && n_columns > 0 {
            return Err(CError::argument(format!("{n_columns} columns at NULL")));
        }
        if n_columns > isize::MAX as usize / size_of::<bh_column>() {
            return Err(CError::argument(format!("{n_columns} columns cannot be")));
        }
        let views = if n_columns == 0 {
            &[][..]
        } else {
            // SAFETY: as promised by the caller.
            unsafe { std::slice::from_raw_parts(columns, n_columns) }
        };
        // SAFETY: as promised by the caller.
        unsafe { insert.insert.append_columns(views, rows) }
    })
}

/// Sends the rows appended since the last send as one block. Returns 0, or -1 with `*error` set.
///
/// # Safety
/// `insert` as from `bh_insert_begin`; `error` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_insert_send(insert: *mut bh_insert, error: *mut *mut bh_error) -> i32 {
    // SAFETY: as promised by the caller.
    run(error, || unsafe { self::insert(insert) }?.insert.send())
}

/// Sends what is left, ends the INSERT and waits until the server has stored the rows; `*rows`
/// (when not NULL) gets the number of rows the INSERT sent. Returns 0, or -1 with `*error` set.
/// The INSERT is still freed with `bh_insert_free`.
///
/// # Safety
/// `insert` as from `bh_insert_begin`; `rows` and `error` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_insert_finish(insert: *mut bh_insert, rows: *mut u64, error: *mut *mut bh_error) -> i32 {
    run(error, || {
        // SAFETY: as promised by the caller.
        let sent = unsafe { self::insert(insert) }?.insert.finish()?;
        // SAFETY: as promised by the caller.
        if let Some(rows) = unsafe { rows.as_mut() } {
            *rows = sent;
        }
        Ok(())
    })
}

/// Runs an INSERT (`INSERT INTO t [(columns)] VALUES`, without rows) with the rows of an Arrow C
/// stream (`options` as for `bh_execute`, NULL for the defaults): the stream's struct fields fill
/// the columns in order, one block per batch, each value
/// converted to its column's type. A bad value is 22018 naming its column and row: its batch is not
/// sent, the batches before it are stored. `*rows` (when not NULL) gets the rows stored. The stream is consumed: released here, also
/// on error. Returns 0, or -1 with `*error` set.
///
/// # Safety
/// `connection` as from `bh_connect`; `sql` NUL-terminated; `options` NULL or readable; `stream` a
/// valid, unreleased stream; `rows` and `error` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_insert_arrow(
    connection: *mut bh_connection,
    sql: *const c_char,
    options: *const bh_query_options,
    stream: *mut ArrowArrayStream,
    rows: *mut u64,
    error: *mut *mut bh_error,
) -> i32 {
    run(error, || {
        // SAFETY: as promised by the caller.
        let stream = unsafe { stream.as_mut() }
            .filter(|stream| stream.release.is_some())
            .ok_or_else(|| CError::argument("the stream is NULL or released"))?;
        // SAFETY: as promised by the caller.
        let checked = unsafe { (client(connection), text(sql, "the statement"), read_options(options)) };
        let (client, sql, options) = match checked {
            (Ok(client), Ok(sql), Ok(options)) => (client, sql, options),
            (Err(failure), _, _) | (_, Err(failure), _) | (_, _, Err(failure)) => {
                // SAFETY: the caller's stream, consumed on every path.
                unsafe { stream.release.map(|release| release(stream)) };
                return Err(failure);
            }
        };
        // SAFETY: as promised by the caller.
        let stored = unsafe { client.insert_arrow(sql, options, stream) }?;
        // SAFETY: as promised by the caller.
        if let Some(rows) = unsafe { rows.as_mut() } {
            *rows = stored;
        }
        Ok(())
    })
}

/// Frees an INSERT. One not finished is ended there: rows appended but not sent are dropped, blocks
/// already sent with `bh_insert_send` stay stored (the server writes each block as it arrives), and
/// the connection stays usable. NULL, a freed or a foreign pointer is ignored.
///
/// # Safety
/// No other thread may be using the INSERT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_insert_free(insert: *mut bh_insert) {
    // From inside a progress callback freeing could wait for the connection being read: ignored.
    if !ProgressObserver::is_running() {
        let _ = catch_unwind(AssertUnwindSafe(|| free(&LIVE_INSERTS, insert)));
    }
}
