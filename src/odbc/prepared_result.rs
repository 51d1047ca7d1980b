//! The result columns of a prepared statement before it is executed, for the tools (Power BI,
//! Tableau, Excel, SSIS) that ask for them between SQLPrepare and SQLExecute. They are learned
//! once per prepare, and nothing that could write ever runs for it: a SELECT is described by the
//! server with `DESCRIBE TABLE (query)`, which executes nothing; SHOW, DESCRIBE, EXISTS and EXPLAIN
//! (and a SELECT the server cannot describe that way) run until the header of their result
//! arrives and are then cancelled; any other statement has no result set.

use super::diag::Diagnostic;
use super::handles::Stmt;
use super::statement::{Cursor, StatementState};
use crate::native::sql::{self, Kind};
use crate::native::{Block, Column};

/// What is known about the result of the prepared statement.
#[derive(Default)]
pub enum PreparedResult {
    /// Not asked yet.
    #[default]
    Unknown,
    /// The statement returns no result set.
    None,
    /// Its columns, as a cursor with no rows.
    Columns(Cursor),
}

impl Stmt {
    /// The columns of the statement's result: the open cursor's, or else those of the prepared
    /// statement, learned from the server the first time they are asked for. `None` when there
    /// is no result set.
    pub fn result_columns<'s>(&self, state: &'s mut StatementState) -> Result<Option<&'s Cursor>, Diagnostic> {
        if state.cursor.is_none()
            && matches!(state.prepared_result, PreparedResult::Unknown)
            && let Some(sql) = state.prepared.clone()
        {
            state.prepared_result = self.describe_result(&sql, state)?;
        }
        Ok(match (&state.cursor, &state.prepared_result) {
            (Some(cursor), _) | (None, PreparedResult::Columns(cursor)) => Some(cursor),
            _ => None,
        })
    }

    fn describe_result(&self, sql: &str, state: &StatementState) -> Result<PreparedResult, Diagnostic> {
        let kind = sql::kind(sql);
        if kind == Kind::Other {
            return Ok(PreparedResult::None);
        }
        // Parameters are not bound yet: a stand-in takes each one's place.
        let mut sql = sql.to_string();
        for position in sql::question_marks(&sql).into_iter().rev() {
            let stand_in = stand_in(&sql[..position]);
            sql.replace_range(position..=position, stand_in);
        }
        let mut session = self.session()?;
        session.make_way_keeping_results()?;
        let string_size = session.string_size;
        if kind == Kind::Select {
            let query = sql.trim_end();
            let query = query.strip_suffix(';').unwrap_or(query);
            // A server that cannot describe it (a FORMAT clause, say) reads its header below; a
            // timeout or a lost connection is the answer, not a reason to wait again.
            match session.rows_within(&format!("DESCRIBE TABLE ({query}\n)"), state.query_timeout) {
                Ok(rows) => {
                    let header = header_of(&rows)?;
                    return Ok(PreparedResult::Columns(Cursor::new(header, true, string_size)));
                }
                Err(diagnostic) if matches!(diagnostic.sqlstate, "HYT00" | "08S01") => return Err(diagnostic),
                Err(_) => {}
            }
        }
        let options = session.options(state.query_timeout);
        let header = session
            .connection
            .query(&sql, &options)
            .map_err(|error| Diagnostic::from(&error))?;
        let Some(header) = header else {
            return Ok(PreparedResult::None);
        };
        session
            .connection
            .close_result()
            .map_err(|error| Diagnostic::from(&error))?;
        Ok(PreparedResult::Columns(Cursor::new(header, true, string_size)))
    }
}

/// What describes a placeholder preceded by `before`: 0 where the grammar wants a number (`LIMIT ?`,
/// `LIMIT ?, ?`, `OFFSET ?`, `TOP ?`), NULL, which fits any other place, elsewhere.
fn stand_in(before: &str) -> &'static str {
    let before = before.trim_end();
    let last_word = |text: &str| {
        let start = text
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '?'))
            .map_or(0, |index| index + 1);
        text[start..].to_ascii_uppercase()
    };
    let wants_number = match before.strip_suffix(',') {
        // `LIMIT offset, ?`: the word before the offset decides.
        Some(head) => {
            let head = head.trim_end();
            let offset = last_word(head);
            !offset.is_empty() && last_word(head[..head.len() - offset.len()].trim_end()) == "LIMIT"
        }
        None => matches!(last_word(before).as_str(), "LIMIT" | "OFFSET" | "TOP"),
    };
    if wants_number { "0" } else { "NULL" }
}

/// An empty block with the columns `DESCRIBE` lists (name, type, then columns not needed here).
fn header_of(rows: &[Vec<String>]) -> Result<Block, Diagnostic> {
    let mut header = Block::default();
    for row in rows {
        let [name, type_name, ..] = row.as_slice() else {
            return Err(Diagnostic::new("HY000", "DESCRIBE answered rows without name and type"));
        };
        let column = Column::new(name.as_str(), type_name.as_str()).map_err(|error| Diagnostic::from(&error))?;
        header.columns.push(column);
    }
    Ok(header)
}

#[cfg(test)]
mod tests {
    use super::stand_in;

    #[test]
    fn numbers_stand_in_where_the_grammar_wants_them() {
        for before in [
            "SELECT 1 LIMIT ",
            "x limit\n",
            "LIMIT 5, ",
            "LIMIT ?,",
            "OFFSET ",
            "SELECT TOP ",
        ] {
            assert_eq!(stand_in(before), "0", "{before:?}");
        }
        for before in ["WHERE a = ", "f(1, ", "SELECT ", "", "IN (1, ", "my_limit = "] {
            assert_eq!(stand_in(before), "NULL", "{before:?}");
        }
    }
}
