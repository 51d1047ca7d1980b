//! The ADBC driver's C entry points (`AdbcDriverInit`, and the driver table's functions): argument
//! checks and conversions over [`crate::adbc`].
//!
//! - `AdbcDriverInit` (and `AdbcBytehouseInit`, the name a driver manager derives from
//!   `libbytehouse.so`) fill the caller's table for ADBC 1.1.0 or 1.0.0 (then nothing past the 1.0.0
//!   members is written).
//! - A handle's `private_data` points at the driver's object and is checked against a registry of
//!   live objects of that kind: a released, foreign or wrong-kind handle gets INVALID_STATE instead
//!   of being dereferenced, so releasing twice is safe.
//! - Every function catches panics and reports failures through the `AdbcError`, with the 1.1 error
//!   details (the server's error code) where the caller passed a 1.1 error.
#![allow(non_snake_case)]

mod connection;
mod database;
mod driver;
mod error;
mod options;
mod statement;

pub use driver::{AdbcBytehouseInit, AdbcDriver, AdbcDriverInit};
pub use error::{AdbcError, AdbcErrorDetail};

use std::ffi::{CStr, c_char, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::adbc::error::{Failure, status};
use crate::live_set::LiveSet;

/// `AdbcDatabase`, `AdbcConnection` and `AdbcStatement`: the same two pointers.
#[repr(C)]
pub struct AdbcHandle {
    pub private_data: *mut c_void,
    pub private_driver: *mut AdbcDriver,
}

/// The live objects of one kind, by address.
struct Registry {
    live: LiveSet,
    kind: &'static str,
}

impl Registry {
    const fn new(kind: &'static str) -> Registry {
        Registry {
            live: LiveSet::new(),
            kind,
        }
    }

    /// Makes `object` the handle's.
    ///
    /// # Safety
    /// `handle` is null or writable.
    unsafe fn create<T>(&self, handle: *mut AdbcHandle, object: T) -> Result<(), Failure> {
        // SAFETY: as promised by the caller.
        let handle =
            unsafe { handle.as_mut() }.ok_or_else(|| Failure::invalid_argument(format!("a null {}", self.kind)))?;
        if self.live.contains(handle.private_data.cast::<T>()) {
            return Err(Failure::invalid_state(format!("the {} is already created", self.kind)));
        }
        handle.private_data = self.live.register(object).cast();
        Ok(())
    }

    /// The object behind a live handle.
    ///
    /// # Safety
    /// `handle` is null or readable; the object is not released while the reference is in use (ADBC
    /// forbids releasing a handle another call is using).
    unsafe fn get<'a, T>(&self, handle: *const AdbcHandle) -> Result<&'a T, Failure> {
        // SAFETY: as promised by the caller.
        let handle =
            unsafe { handle.as_ref() }.ok_or_else(|| Failure::invalid_argument(format!("a null {}", self.kind)))?;
        let object = handle.private_data.cast::<T>();
        if !self.live.contains(object) {
            return Err(Failure::invalid_state(format!(
                "the {} is not live (never created, or released)",
                self.kind
            )));
        }
        // SAFETY: registered addresses are live boxes of this kind's object.
        Ok(unsafe { &*object })
    }

    /// Drops the handle's object; a released handle is INVALID_STATE, not a crash.
    ///
    /// # Safety
    /// `handle` is null or writable.
    unsafe fn release<T>(&self, handle: *mut AdbcHandle) -> Result<(), Failure> {
        // SAFETY: as promised by the caller.
        let handle =
            unsafe { handle.as_mut() }.ok_or_else(|| Failure::invalid_argument(format!("a null {}", self.kind)))?;
        // SAFETY: a registry holds boxes of its kind's one object type.
        if !unsafe { self.live.free(handle.private_data.cast::<T>()) } {
            return Err(Failure::invalid_state(format!("the {} is already released", self.kind)));
        }
        handle.private_data = std::ptr::null_mut();
        Ok(())
    }
}

static DATABASES: Registry = Registry::new("database");
static CONNECTIONS: Registry = Registry::new("connection");
static STATEMENTS: Registry = Registry::new("statement");

/// Runs a function's body: OK, or the failure written to `error`; a panic is INTERNAL.
fn entry(error: *mut AdbcError, body: impl FnOnce() -> Result<(), Failure>) -> u8 {
    let outcome = catch_unwind(AssertUnwindSafe(body)).unwrap_or_else(|panic| {
        let detail = panic
            .downcast_ref::<&str>()
            .map(|text| text.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        Err(Failure::new(
            status::INTERNAL,
            "HY000",
            format!("internal error: {detail}"),
        ))
    });
    match outcome {
        Ok(()) => status::OK,
        Err(failure) => {
            // SAFETY: ADBC callers pass NULL or an initialized AdbcError.
            let _ = catch_unwind(AssertUnwindSafe(|| unsafe { error::set(error, &failure) }));
            failure.status
        }
    }
}

/// A NUL-terminated argument as text; NULL is None.
///
/// # Safety
/// `text` is null or NUL-terminated.
unsafe fn optional_text<'a>(text: *const c_char, what: &str) -> Result<Option<&'a str>, Failure> {
    if text.is_null() {
        return Ok(None);
    }
    // SAFETY: as promised by the caller.
    unsafe { CStr::from_ptr(text) }
        .to_str()
        .map(Some)
        .map_err(|_| Failure::invalid_argument(format!("{what} is not UTF-8")))
}

/// A NUL-terminated argument that must be given.
///
/// # Safety
/// As for [`optional_text`].
unsafe fn text<'a>(text: *const c_char, what: &str) -> Result<&'a str, Failure> {
    // SAFETY: as promised by the caller.
    unsafe { optional_text(text, what) }?.ok_or_else(|| Failure::invalid_argument(format!("{what} is NULL")))
}

/// A writable out-parameter that must be given.
///
/// # Safety
/// `pointer` is null or writable.
unsafe fn out<'a, T>(pointer: *mut T, what: &str) -> Result<&'a mut T, Failure> {
    // SAFETY: as promised by the caller.
    unsafe { pointer.as_mut() }.ok_or_else(|| Failure::invalid_argument(format!("{what} is NULL")))
}
