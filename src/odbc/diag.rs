//! Diagnostic records: what SQLGetDiagRec returns, and the one place where client errors get their
//! SQLSTATEs.

use std::sync::atomic::{AtomicBool, AtomicI16, AtomicIsize, Ordering};

use parking_lot::Mutex;

use crate::native::Error;

/// Prefix of every message, per ODBC convention `[vendor][component]`.
const MESSAGE_PREFIX: &str = "[libbytehouse]";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub sqlstate: &'static str,
    /// The server's error code when the server raised it, else 0.
    pub native_error: i32,
    pub message: String,
}

impl Diagnostic {
    pub fn new(sqlstate: &'static str, message: impl std::fmt::Display) -> Diagnostic {
        Diagnostic {
            sqlstate,
            native_error: 0,
            message: format!("{MESSAGE_PREFIX} {message}"),
        }
    }

    /// Warning for text cut to fit the application's buffer.
    pub fn truncated() -> Diagnostic {
        Diagnostic::new("01004", "string data, right truncated")
    }
}

impl From<&Error> for Diagnostic {
    fn from(error: &Error) -> Diagnostic {
        Diagnostic {
            native_error: error.server_code(),
            ..Diagnostic::new(error.sqlstate(), error)
        }
    }
}

/// The records of one handle and the header fields SQLGetDiagField reports with them. Each ODBC
/// call but the diagnostic ones clears the records first.
#[derive(Debug, Default)]
pub struct Diagnostics {
    records: Mutex<Vec<Diagnostic>>,
    /// Set while there are records, so that clearing an empty list (every call) takes no lock.
    any: AtomicBool,
    /// What the last call on the handle returned (SQL_DIAG_RETURNCODE).
    return_code: AtomicI16,
    /// Rows the last statement executed on the handle changed (SQL_DIAG_ROW_COUNT).
    row_count: AtomicIsize,
}

impl Diagnostics {
    pub fn set_return_code(&self, code: i16) {
        self.return_code.store(code, Ordering::Relaxed);
    }

    pub fn return_code(&self) -> i16 {
        self.return_code.load(Ordering::Relaxed)
    }

    pub fn set_row_count(&self, rows: isize) {
        self.row_count.store(rows, Ordering::Relaxed);
    }

    pub fn row_count(&self) -> isize {
        self.row_count.load(Ordering::Relaxed)
    }

    pub fn clear(&self) {
        // A plain load first: most calls find nothing to clear, and a swap costs a locked instruction.
        if self.any.load(Ordering::Acquire) && self.any.swap(false, Ordering::AcqRel) {
            self.records.lock().clear();
        }
    }

    pub fn push(&self, diagnostic: Diagnostic) {
        let mut records = self.records.lock();
        records.push(diagnostic);
        self.any.store(true, Ordering::Release);
    }

    /// Record `number`, counted from 1.
    pub fn get(&self, number: usize) -> Option<Diagnostic> {
        self.records.lock().get(number.checked_sub(1)?).cloned()
    }

    /// Removes and returns the first record (ODBC 2's SQLError consumes records this way).
    pub fn take_first(&self) -> Option<Diagnostic> {
        let mut records = self.records.lock();
        let first = (!records.is_empty()).then(|| records.remove(0));
        self.any.store(!records.is_empty(), Ordering::Release);
        first
    }

    pub fn len(&self) -> usize {
        self.records.lock().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::ServerException;

    fn server(code: i32) -> Error {
        Error::Server(ServerException {
            code,
            name: "DB::Exception".into(),
            message: format!("DB::Exception: failure {code}"),
            ..ServerException::default()
        })
    }

    #[test]
    fn server_errors_keep_code_and_message() {
        let diagnostic = Diagnostic::from(&server(62));
        assert_eq!((diagnostic.sqlstate, diagnostic.native_error), ("42000", 62));
        assert!(
            diagnostic.message.starts_with("[libbytehouse] Code: 62."),
            "{}",
            diagnostic.message
        );
        assert_eq!(Diagnostic::from(&server(516)).sqlstate, "28000");
        assert_eq!(Diagnostic::from(&server(60)).sqlstate, "42S02");
        assert_eq!(Diagnostic::from(&Error::Cancelled).sqlstate, "HY008");
        assert_eq!(Diagnostic::from(&Error::QueryTimeout).sqlstate, "HYT00");
        assert_eq!(Diagnostic::from(&Error::Broken).sqlstate, "08S01");
        assert_eq!(Diagnostic::from(&Error::Timeout("silent".into())).sqlstate, "08S01");
    }

    #[test]
    fn records_are_numbered_from_one() {
        let diagnostics = Diagnostics::default();
        diagnostics.push(Diagnostic::truncated());
        assert_eq!(diagnostics.get(1).map(|record| record.sqlstate), Some("01004"));
        assert_eq!(diagnostics.get(0), None);
        assert_eq!(diagnostics.get(2), None);
        diagnostics.clear();
        assert!(diagnostics.is_empty());
    }
}
