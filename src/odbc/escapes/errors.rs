//! The diagnostics of escapes the driver cannot rewrite: 42000 for bad syntax, HYC00 for what
//! ClickHouse has no equivalent of.

use crate::odbc::diag::Diagnostic;

pub(super) fn unterminated(opened_at: usize) -> Diagnostic {
    syntax_error(format!("the ODBC escape at offset {opened_at} has no closing `}}`"))
}

pub(super) fn expected(what: &str, at: usize, opened_at: usize) -> Diagnostic {
    syntax_error(format!(
        "expected {what} at offset {at} in the ODBC escape at offset {opened_at}"
    ))
}

pub(super) fn syntax_error(message: String) -> Diagnostic {
    Diagnostic::new("42000", message)
}

pub(super) fn not_supported(message: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::new("HYC00", message)
}

pub(super) fn procedures_not_supported() -> Diagnostic {
    not_supported("procedures are not supported ({call ...})")
}
