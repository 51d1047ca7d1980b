//! Helpers for tests of the plain C API (`bh_*`).

use std::ffi::{CStr, CString};
use std::ptr::{null, null_mut};

use bytehouse::ffi::*;

use super::host;

pub fn connection_string(port: u16) -> CString {
    CString::new(format!("Host={};Port={port}", host())).unwrap()
}

/// Connects to the server at `port`, panicking with the error on failure.
pub fn connect(port: u16) -> *mut bh_connection {
    let mut error = null_mut();
    // SAFETY: a NUL-terminated string and a writable error slot.
    let connection = unsafe { bh_connect(connection_string(port).as_ptr(), &mut error) };
    assert!(!connection.is_null(), "connect: {:?}", take(error));
    connection
}

/// Takes an error out-parameter's value: (SQLSTATE, code, message), and frees it.
pub fn take(error: *mut bh_error) -> (String, i32, String) {
    assert!(!error.is_null(), "an error was expected");
    // SAFETY: a live error, freed once here.
    unsafe {
        let taken = (
            CStr::from_ptr(bh_error_sqlstate(error)).to_string_lossy().into_owned(),
            bh_error_code(error),
            CStr::from_ptr(bh_error_message(error)).to_string_lossy().into_owned(),
        );
        bh_error_free(error);
        taken
    }
}

/// Runs a statement without parameters or options, panicking with the error on failure.
pub fn execute(connection: *mut bh_connection, sql: &str) {
    let sql = CString::new(sql).unwrap();
    let mut error = null_mut();
    // SAFETY: a live connection, a NUL-terminated statement, a writable error slot.
    let code = unsafe { bh_execute(connection, sql.as_ptr(), null(), 0, null(), null_mut(), &mut error) };
    assert_eq!(code, 0, "{sql:?}: {:?}", take(error));
}
