//! ODBC escape sequences (`{d '2020-01-02'}`, `{fn UCASE(x)}`, `{oj ...}`, ...) rewritten into
//! ClickHouse SQL, for SQLExecDirect, SQLPrepare and SQLNativeSql.
//!
//! The scanner copies string literals, quoted identifiers and comments as they are, so braces in
//! them are not escapes. Escapes nest, and keywords and function names may be in any case.
//!
//! The expressions chosen run on ClickHouse 18.16 as well as on current servers. Where 18.16 has
//! nothing equivalent, the modern function is used (the old server then reports an unknown
//! function): `USER()`, `LOCATE` with a start position, `RIGHT`, and timestamps with fractions.
//! String functions count characters (UTF-8), as ODBC does; 18.16's `substringUTF8` only takes
//! constant, non-negative positions.

mod errors;
mod functions;
mod literals;
mod scanner;
#[cfg(test)]
mod tests;

use std::borrow::Cow;

use super::diag::Diagnostic;
use scanner::{Scanner, Stop};

/// Rewrites the ODBC escape sequences of `sql` into ClickHouse SQL; borrows `sql` when there are none.
pub fn rewrite(sql: &str) -> Result<Cow<'_, str>, Diagnostic> {
    if !sql.contains('{') {
        return Ok(Cow::Borrowed(sql));
    }
    let mut scanner = Scanner::new(sql);
    let mut rewritten = String::with_capacity(sql.len());
    scanner.copy_until(Stop::End, 0, &mut rewritten)?;
    Ok(if rewritten == sql {
        Cow::Borrowed(sql)
    } else {
        Cow::Owned(rewritten)
    })
}
