//! Errors as values: what a failed call of the C API hands back.

use std::ffi::CString;

use crate::native::Error;
use crate::odbc::diag::Diagnostic;

/// The server's error code (0 when the client found the error), a SQLSTATE and a message. Messages
/// come from errors that never hold passwords or API keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CError {
    pub code: i32,
    pub sqlstate: CString,
    pub message: CString,
}

impl CError {
    pub fn new(sqlstate: &str, message: impl std::fmt::Display) -> CError {
        CError {
            code: 0,
            sqlstate: c_text(sqlstate),
            message: c_text(&message.to_string()),
        }
    }

    /// An argument the caller got wrong (a null pointer, text that is not UTF-8, a freed handle).
    pub fn argument(message: impl std::fmt::Display) -> CError {
        CError::new("HY009", message)
    }
}

impl From<&Error> for CError {
    fn from(error: &Error) -> CError {
        CError {
            code: error.server_code(),
            sqlstate: c_text(error.sqlstate()),
            message: c_text(&error.to_string()),
        }
    }
}

impl From<Error> for CError {
    fn from(error: Error) -> CError {
        CError::from(&error)
    }
}

/// Failures found by the ODBC layer's helpers the C API shares (reading a DSN from odbc.ini).
impl From<Diagnostic> for CError {
    fn from(diagnostic: Diagnostic) -> CError {
        CError {
            code: diagnostic.native_error,
            sqlstate: c_text(diagnostic.sqlstate),
            message: c_text(&diagnostic.message),
        }
    }
}

/// A C string of `text`, NULs replaced (C cannot carry them).
fn c_text(text: &str) -> CString {
    CString::new(text.replace('\0', " ")).unwrap_or_default()
}
