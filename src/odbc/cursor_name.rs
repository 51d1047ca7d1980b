//! Cursor names (SQLSetCursorName, SQLGetCursorName): kept and reported; ClickHouse has no
//! positioned UPDATE or DELETE that would use them.

use super::diag::Diagnostic;
use super::handles::Stmt;

/// SQL_MAX_CURSOR_NAME_LEN as SQLGetInfo reports it.
pub const CURSOR_NAME_MAX: usize = 18;

impl Stmt {
    /// Names the statement's cursor: 34000 for an empty or too long name, or one starting SQL_CUR,
    /// which is reserved for the names drivers make up.
    pub fn set_cursor_name(&self, name: String) -> Result<(), Diagnostic> {
        if name.is_empty() || name.len() > CURSOR_NAME_MAX || name.to_ascii_uppercase().starts_with("SQL_CUR") {
            return Err(Diagnostic::new("34000", format!("invalid cursor name `{name}`")));
        }
        self.state.lock().cursor_name = Some(name);
        Ok(())
    }

    /// The name set, or one made up from the handle's number and kept from then on.
    pub fn cursor_name(&self) -> String {
        let id = self.id();
        self.state
            .lock()
            .cursor_name
            .get_or_insert_with(|| format!("SQL_CUR{:x}", id & 0xffff_ffff))
            .clone()
    }
}
