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

mod connection;
mod error;
mod insert;
mod result;

pub use connection::*;
pub use error::*;
pub use insert::*;
pub use result::*;

use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::capi::{BlockView, CError, Client, Insert, QueryResult};
use crate::live_set::LiveSet;
use crate::native::{Block, ProgressObserver};

/// An open connection (opaque).
pub struct bh_connection(Client);

/// A failure: the server's code, a SQLSTATE and a message (opaque).
pub struct bh_error(CError);

/// A statement's result, read block by block (opaque).
pub struct bh_result {
    result: QueryResult,
    columns: ColumnNames,
}

/// An INSERT being filled (opaque).
pub struct bh_insert {
    insert: Insert,
    columns: ColumnNames,
}

/// The names and type names of a header's columns, as C strings.
struct ColumnNames {
    names: Vec<CString>,
    type_names: Vec<CString>,
}

impl ColumnNames {
    fn of(header: &Block) -> ColumnNames {
        let c_string = |text: &str| CString::new(text.replace('\0', " ")).unwrap_or_default();
        ColumnNames {
            names: header.columns.iter().map(|column| c_string(&column.name)).collect(),
            type_names: header
                .columns
                .iter()
                .map(|column| c_string(&column.type_name))
                .collect(),
        }
    }

    fn count(&self) -> usize {
        self.names.len()
    }

    /// Column `index`'s name, NULL when out of range.
    fn name(&self, index: usize) -> *const c_char {
        self.names.get(index).map_or(std::ptr::null(), |name| name.as_ptr())
    }

    /// Column `index`'s type name, NULL when out of range.
    fn type_name(&self, index: usize) -> *const c_char {
        self.type_names
            .get(index)
            .map_or(std::ptr::null(), |name| name.as_ptr())
    }
}

/// One block of a result's rows with typed views of its columns (opaque).
pub struct bh_block(BlockView);

/// Live handles, by kind: each set holds boxes of one handle type.
static LIVE_CONNECTIONS: LiveSet = LiveSet::new();
static LIVE_ERRORS: LiveSet = LiveSet::new();
static LIVE_RESULTS: LiveSet = LiveSet::new();
static LIVE_BLOCKS: LiveSet = LiveSet::new();
static LIVE_INSERTS: LiveSet = LiveSet::new();

/// The object behind a live handle.
///
/// # Safety
/// The handle must not be freed while the reference is in use.
pub(super) unsafe fn live<'a, T>(live: &LiveSet, pointer: *const T) -> Option<&'a T> {
    // SAFETY: registered addresses are live boxes of T.
    live.contains(pointer).then(|| unsafe { &*pointer })
}

/// The object behind a live handle, for a call that changes it.
///
/// # Safety
/// As for [`live`], and no other reference to the object may be in use (one thread at a time).
pub(super) unsafe fn live_mut<'a, T>(live: &LiveSet, pointer: *mut T) -> Option<&'a mut T> {
    // SAFETY: registered addresses are live boxes of T; the caller promised exclusive use.
    live.contains(pointer).then(|| unsafe { &mut *pointer })
}

/// Unregisters and frees a live handle; anything else is ignored.
pub(super) fn free<T>(live: &LiveSet, pointer: *mut T) {
    // SAFETY: each set holds boxes of the one handle type its callers pass.
    unsafe { live.free(pointer) };
}

/// Runs an export's body: catches panics, hands an error to `error` (when not NULL) and returns
/// 0 on success, -1 on failure. From inside a progress callback the body is not run (HY010): it
/// could wait for the connection the callback's own thread is reading.
pub(super) fn run(error: *mut *mut bh_error, body: impl FnOnce() -> Result<(), CError>) -> i32 {
    if ProgressObserver::is_running() {
        return run_in_callback_too(error, || {
            Err(CError::new(
                "HY010",
                "only bh_cancel may be called from inside a progress callback",
            ))
        });
    }
    run_in_callback_too(error, body)
}

/// [`run`] for the exports a progress callback may call too (they never wait for a connection).
pub(super) fn run_in_callback_too(error: *mut *mut bh_error, body: impl FnOnce() -> Result<(), CError>) -> i32 {
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
                *slot = LIVE_ERRORS.register(bh_error(failure));
            }
            -1
        }
    }
}

/// # Safety
/// `text` is NULL or a NUL-terminated string.
pub(super) unsafe fn text<'a>(text: *const c_char, what: &str) -> Result<&'a str, CError> {
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
pub(super) unsafe fn client<'a>(connection: *const bh_connection) -> Result<&'a Client, CError> {
    // SAFETY: as promised by the caller.
    unsafe { live(&LIVE_CONNECTIONS, connection) }
        .map(|connection| &connection.0)
        .ok_or_else(|| CError::argument("the connection is NULL, freed or not one bh_connect returned"))
}

/// The library's version, e.g. "0.1.0"; a static string.
#[unsafe(no_mangle)]
pub extern "C" fn bh_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}
