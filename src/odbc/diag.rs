//! Diagnostic records: what SQLGetDiagRec returns, and the one place where client errors get their
//! SQLSTATEs.

use std::sync::atomic::{AtomicBool, Ordering};

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
        let sqlstate = match error {
            Error::Connect { .. } | Error::Tls(_) => "08001",
            Error::Server(exception) => match exception.code {
                // Authentication failed, unknown user, wrong password, required password.
                192..=195 | 516 => "28000",
                62 => "42000",
                60 => "42S02",
                47 => "42S22",
                81 => "3D000",
                159 => "HYT00",
                394 => "HY008",
                _ => "HY000",
            },
            Error::Io(_) | Error::Protocol(_) | Error::Compression(_) | Error::Broken => "08S01",
            Error::Timeout(_) | Error::QueryTimeout => "HYT00",
            Error::Cancelled => "HY008",
            Error::Type(_) => "HY000",
            Error::Value { .. } => "22018",
            Error::Usage(_) => "HY010",
        };
        let native_error = match error {
            Error::Server(exception) => exception.code,
            _ => 0,
        };
        Diagnostic {
            native_error,
            ..Diagnostic::new(sqlstate, error)
        }
    }
}

/// The records of one handle. Each ODBC call but the diagnostic ones clears them first.
#[derive(Debug, Default)]
pub struct Diagnostics {
    records: Mutex<Vec<Diagnostic>>,
    /// Set while there are records, so that clearing an empty list (every call) takes no lock.
    any: AtomicBool,
}

impl Diagnostics {
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
