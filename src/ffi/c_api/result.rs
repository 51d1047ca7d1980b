//! Results read block by block, with typed views of each block's columns.

use std::ffi::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr::{null, null_mut};

use super::{
    ColumnNames, LIVE_BLOCKS, LIVE_RESULTS, bh_block, bh_connection, bh_error, bh_result, client, free, live, live_mut,
    run, text,
};
use crate::arrow::BlockSource;
use crate::capi::params::values;
use crate::capi::query_options::read as read_options;
use crate::capi::{BlockView, CError, bh_column, bh_param, bh_query_options};
use crate::native::{Block, ProgressObserver};

/// # Safety
/// `result` is NULL or a pointer `bh_query` returned, not freed by another thread meanwhile.
unsafe fn result<'a>(result: *const bh_result) -> Option<&'a bh_result> {
    // SAFETY: as promised by the caller.
    unsafe { live(&LIVE_RESULTS, result) }
}

/// # Safety
/// `block` is NULL or a pointer `bh_result_next_block` gave, not freed by another thread meanwhile.
unsafe fn block<'a>(block: *const bh_block) -> Option<&'a bh_block> {
    // SAFETY: as promised by the caller.
    unsafe { live(&LIVE_BLOCKS, block) }
}

/// Runs a statement (placeholders and options as for `bh_execute`) and returns its result, to be read with
/// `bh_result_next_block` and freed with `bh_result_free` (which cancels a result not read to its
/// end). A statement without a result gives one with no columns and no blocks. NULL on failure,
/// with `*error` set.
///
/// # Safety
/// `connection` as from `bh_connect`; `sql` NUL-terminated; `params` valid for `n_params` values (or
/// NULL with 0); `options` NULL or readable; `error` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_query(
    connection: *mut bh_connection,
    sql: *const c_char,
    params: *const bh_param,
    n_params: usize,
    options: *const bh_query_options,
    error: *mut *mut bh_error,
) -> *mut bh_result {
    let mut opened = null_mut();
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
        let result = client.query(sql, &values, options)?;
        let columns = ColumnNames::of(result.header());
        opened = LIVE_RESULTS.register(bh_result { result, columns });
        Ok(())
    });
    opened
}

/// The number of columns of a result (0 for a pointer that is not a live result).
///
/// # Safety
/// `result` as from `bh_query`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_result_column_count(result: *const bh_result) -> usize {
    // SAFETY: as promised by the caller.
    catch_unwind(AssertUnwindSafe(|| {
        unsafe { self::result(result) }.map_or(0, |result| result.columns.count())
    }))
    .unwrap_or(0)
}

/// The name of column `index` (from 0); NULL when out of range. Valid until `bh_result_free`.
///
/// # Safety
/// `result` as from `bh_query`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_result_column_name(result: *const bh_result, index: usize) -> *const c_char {
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: as promised by the caller.
        unsafe { self::result(result) }.map_or(null(), |result| result.columns.name(index))
    }))
    .unwrap_or(null())
}

/// The server's type name of column `index` (e.g. `Nullable(String)`); NULL when out of range.
/// Valid until `bh_result_free`.
///
/// # Safety
/// `result` as from `bh_query`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_result_column_type(result: *const bh_result, index: usize) -> *const c_char {
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: as promised by the caller.
        unsafe { self::result(result) }.map_or(null(), |result| result.columns.type_name(index))
    }))
    .unwrap_or(null())
}

/// Reads the next block of rows into `*out`, which the caller frees with `bh_block_free`; `*out` is
/// NULL at the end of the result. Returns 0, or -1 with `*error` set (a result that fails never
/// looks complete).
///
/// # Safety
/// `result` as from `bh_query`, used by one thread at a time; `out` writable; `error` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_result_next_block(
    result: *mut bh_result,
    out: *mut *mut bh_block,
    error: *mut *mut bh_error,
) -> i32 {
    run(error, || {
        // SAFETY: as promised by the caller.
        let out = unsafe { out.as_mut() }.ok_or_else(|| CError::argument("the output block pointer is NULL"))?;
        *out = null_mut();
        // SAFETY: as promised by the caller: no other thread uses the result.
        let result = unsafe { live_mut(&LIVE_RESULTS, result) }
            .ok_or_else(|| CError::argument("the result is NULL, freed or not one bh_query returned"))?;
        let mut block = Block::default();
        if result.result.next_block(&mut block)? {
            *out = LIVE_BLOCKS.register(bh_block(BlockView::new(block)));
        }
        Ok(())
    })
}

/// Rows and bytes the server has read for the result's query so far (for progress reports).
/// Returns 0, or -1 for a pointer that is not a live result.
///
/// # Safety
/// `result` as from `bh_query`; `rows` and `bytes` NULL or writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_result_progress(result: *const bh_result, rows: *mut u64, bytes: *mut u64) -> i32 {
    run(null_mut(), || {
        // SAFETY: as promised by the caller.
        let result = unsafe { self::result(result) }.ok_or_else(|| CError::argument("not a live result"))?;
        let (read_rows, read_bytes) = result.result.progress();
        // SAFETY: as promised by the caller.
        unsafe {
            if let Some(rows) = rows.as_mut() {
                *rows = read_rows;
            }
            if let Some(bytes) = bytes.as_mut() {
                *bytes = read_bytes;
            }
        }
        Ok(())
    })
}

/// Frees a result, cancelling its query if it was not read to its end. NULL, a freed or a foreign
/// pointer is ignored. Blocks already read stay valid.
///
/// # Safety
/// No other thread may be using the result.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_result_free(result: *mut bh_result) {
    // From inside a progress callback freeing could wait for the connection being read: ignored.
    if !ProgressObserver::is_running() {
        let _ = catch_unwind(AssertUnwindSafe(|| free(&LIVE_RESULTS, result)));
    }
}

/// The rows of a block (0 for a pointer that is not a live block).
///
/// # Safety
/// `block` as from `bh_result_next_block`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_block_rows(block: *const bh_block) -> usize {
    // SAFETY: as promised by the caller.
    catch_unwind(AssertUnwindSafe(|| {
        unsafe { self::block(block) }.map_or(0, |block| block.0.rows())
    }))
    .unwrap_or(0)
}

/// The columns of a block (0 for a pointer that is not a live block).
///
/// # Safety
/// `block` as from `bh_result_next_block`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_block_column_count(block: *const bh_block) -> usize {
    // SAFETY: as promised by the caller.
    catch_unwind(AssertUnwindSafe(|| {
        unsafe { self::block(block) }.map_or(0, |block| block.0.columns().len())
    }))
    .unwrap_or(0)
}

/// A typed view of column `index` (from 0) of a block, valid until `bh_block_free`; NULL when out of
/// range or for a pointer that is not a live block.
///
/// # Safety
/// `block` as from `bh_result_next_block`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_block_column(block: *const bh_block, index: usize) -> *const bh_column {
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: as promised by the caller.
        unsafe { self::block(block) }
            .and_then(|block| block.0.columns().get(index))
            .map_or(null(), std::ptr::from_ref)
    }))
    .unwrap_or(null())
}

/// Frees a block and its views. NULL, a freed or a foreign pointer is ignored.
///
/// # Safety
/// No view of the block may be used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn bh_block_free(block: *mut bh_block) {
    let _ = catch_unwind(AssertUnwindSafe(|| free(&LIVE_BLOCKS, block)));
}
