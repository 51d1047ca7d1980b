//! `AdbcError`: the message, SQLSTATE and, for callers passing the 1.1 struct, error details (the
//! server's error code under `bytehouse.server_code`). A 1.0 caller gets the server's code as
//! `vendor_code` and nothing written past the 1.0 fields.

use std::ffi::{CString, c_char, c_int, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::AdbcDriver;
use super::driver::driver_table;
use crate::adbc::error::Failure;
use crate::arrow::{ArrowArrayStream, stream_failure};
use crate::live_set::LiveSet;

/// Set by a caller that passes the whole 1.1 struct (ADBC_ERROR_VENDOR_CODE_PRIVATE_DATA).
pub const VENDOR_CODE_PRIVATE_DATA: i32 = i32::MIN;

/// The detail key of the server's error code.
pub const SERVER_CODE_KEY: &std::ffi::CStr = c"bytehouse.server_code";

#[repr(C)]
pub struct AdbcError {
    pub message: *mut c_char,
    pub vendor_code: i32,
    pub sqlstate: [c_char; 5],
    pub release: Option<unsafe extern "C" fn(*mut AdbcError)>,
    /// 1.1 only.
    pub private_data: *mut c_void,
    /// 1.1 only.
    pub private_driver: *mut AdbcDriver,
}

#[repr(C)]
pub struct AdbcErrorDetail {
    pub key: *const c_char,
    pub value: *const u8,
    pub value_length: usize,
}

/// A 1.1 error's details.
struct Details {
    entries: Vec<(&'static std::ffi::CStr, Vec<u8>)>,
}

/// The details of every error this driver filled and no one has released yet: how an error handed
/// back is known as ours, since a driver manager may point its `private_driver` at its own table.
static LIVE_DETAILS: LiveSet = LiveSet::new();

/// Writes `failure` into the caller's error, releasing what it held.
///
/// # Safety
/// `error` is null or an initialized `AdbcError` (the 1.1 size when its vendor code says so).
pub(super) unsafe fn set(error: *mut AdbcError, failure: &Failure) {
    // SAFETY: as promised by the caller.
    let Some(error) = (unsafe { error.as_mut() }) else {
        return;
    };
    if let Some(release) = error.release {
        // SAFETY: the error's own release, for what it holds.
        unsafe { release(error) };
    }
    let is_1_1 = error.vendor_code == VENDOR_CODE_PRIVATE_DATA;
    error.message = CString::new(failure.message.replace('\0', " "))
        .unwrap_or_default()
        .into_raw();
    error.sqlstate = [0; 5];
    for (slot, byte) in error.sqlstate.iter_mut().zip(failure.sqlstate.bytes()) {
        *slot = byte as c_char;
    }
    error.release = Some(release_error);
    if is_1_1 {
        let mut entries = Vec::new();
        if failure.server_code != 0 {
            entries.push((SERVER_CODE_KEY, failure.server_code.to_string().into_bytes()));
        }
        error.private_data = LIVE_DETAILS.register(Details { entries }).cast();
        error.private_driver = driver_table();
    } else {
        error.vendor_code = failure.server_code;
    }
}

unsafe extern "C" fn release_error(error: *mut AdbcError) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: an error this module filled; a released one has a null release.
        unsafe {
            let Some(error) = error.as_mut() else { return };
            if error.release.is_none() {
                return;
            }
            if !error.message.is_null() {
                drop(CString::from_raw(error.message));
                error.message = std::ptr::null_mut();
            }
            if error.vendor_code == VENDOR_CODE_PRIVATE_DATA && LIVE_DETAILS.free(error.private_data.cast::<Details>())
            {
                error.private_data = std::ptr::null_mut();
            }
            error.release = None;
        }
    }));
}

/// The details of an error this driver filled, if it is a 1.1 one.
///
/// # Safety
/// `error` is null or an initialized `AdbcError`.
unsafe fn details<'a>(error: *const AdbcError) -> Option<&'a Details> {
    // SAFETY: as promised by the caller.
    unsafe {
        let error = error.as_ref()?;
        if error.vendor_code != VENDOR_CODE_PRIVATE_DATA || !LIVE_DETAILS.contains(error.private_data.cast::<Details>())
        {
            return None;
        }
        error.private_data.cast::<Details>().as_ref()
    }
}

pub(super) unsafe extern "C" fn ErrorGetDetailCount(error: *const AdbcError) -> c_int {
    // SAFETY: the caller passes NULL or an initialized error.
    catch_unwind(|| unsafe { details(error) }.map_or(0, |details| details.entries.len() as c_int)).unwrap_or(0)
}

pub(super) unsafe extern "C" fn ErrorGetDetail(error: *const AdbcError, index: c_int) -> AdbcErrorDetail {
    let none = AdbcErrorDetail {
        key: std::ptr::null(),
        value: std::ptr::null(),
        value_length: 0,
    };
    catch_unwind(|| {
        // SAFETY: the caller passes NULL or an initialized error.
        let details = unsafe { details(error) }?;
        let (key, value) = details.entries.get(usize::try_from(index).ok()?)?;
        Some(AdbcErrorDetail {
            key: key.as_ptr(),
            value: value.as_ptr(),
            value_length: value.len(),
        })
    })
    .ok()
    .flatten()
    .unwrap_or(none)
}

/// An error this driver filled for a stream's failure, released with the stream.
struct StreamError(Box<AdbcError>);

impl Drop for StreamError {
    fn drop(&mut self) {
        // SAFETY: filled by `set`, so its release is this module's.
        unsafe { release_error(&mut *self.0) };
    }
}

/// The error behind a failed `get_next` of a stream this driver made (ADBC 1.1), with the server's
/// code among its details; NULL for another driver's stream or one that has not failed. The stream
/// owns the error: it stays valid until the stream is released, and the caller must not release it.
pub(super) unsafe extern "C" fn ErrorFromArrayStream(
    stream: *mut ArrowArrayStream,
    status: *mut u8,
) -> *const AdbcError {
    catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the caller passes NULL or a stream; `stream_failure` checks that it is ours.
        let (error, annex) = unsafe { stream_failure(stream) }?;
        let failure = Failure::from(error);
        // SAFETY: the caller passes NULL or a writable status.
        if let Some(status) = unsafe { status.as_mut() } {
            *status = failure.status;
        }
        // Asked again, the same error: the pointer handed out before stays valid.
        if let Some(StreamError(made)) = annex.as_ref().and_then(|annex| annex.downcast_ref::<StreamError>()) {
            return Some(&**made as *const AdbcError);
        }
        let mut adbc_error = Box::new(AdbcError {
            message: std::ptr::null_mut(),
            vendor_code: VENDOR_CODE_PRIVATE_DATA,
            sqlstate: [0; 5],
            release: None,
            private_data: std::ptr::null_mut(),
            private_driver: std::ptr::null_mut(),
        });
        // SAFETY: a whole 1.1 struct, initialized above.
        unsafe { set(&mut *adbc_error, &failure) };
        let pointer: *const AdbcError = &*adbc_error;
        *annex = Some(Box::new(StreamError(adbc_error)));
        Some(pointer)
    }))
    .ok()
    .flatten()
    .unwrap_or(std::ptr::null())
}
