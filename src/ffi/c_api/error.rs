//! Reading and freeing errors.

use std::ffi::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::{LIVE_ERRORS, bh_error, free, live};

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
