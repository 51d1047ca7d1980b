//! Statement execution and result cursors on top of the native client.
//!
//! A result stays as the blocks the server sends: the cursor points at a row of the current block,
//! and the next block replaces it when the cursor moves past the end, so memory stays bounded
//! however many rows come back.

use std::time::Duration;

use super::binding::{Binding, RowsetLayout};
use super::convert::Progress;
use super::diag::Diagnostic;
use super::handles::{Session, Stmt};
use super::params::{Parameter, ParameterLayout, substitute};
use super::types::{SqlDescription, describe};
use crate::native::sql::{InlineData, inline_insert_data, question_marks};
use crate::native::{Block, QueryOptions, Value};

/// An open result set.
pub struct Cursor {
    pub block: Block,
    pub descriptions: Vec<SqlDescription>,
    /// The current row in `block`; `None` before the first fetch.
    pub row: Option<usize>,
    /// How much of each column SQLGetData has returned for the current row.
    pub progress: Vec<Progress>,
    /// The server has sent the whole result.
    pub finished: bool,
}

#[derive(Default)]
pub struct StatementState {
    pub prepared: Option<String>,
    pub cursor: Option<Cursor>,
    /// Rows written by the last statement, -1 when unknown (SQLRowCount).
    pub row_count: isize,
    pub query_timeout: Option<Duration>,
    /// SQLBindCol buffers by column (0-based); `None` for unbound columns.
    pub bindings: Vec<Option<Binding>>,
    pub layout: RowsetLayout,
    /// SQLBindParameter buffers by parameter (0-based).
    pub parameters: Vec<Option<Parameter>>,
    pub parameter_layout: ParameterLayout,
}

fn not_connected() -> Diagnostic {
    Diagnostic::new("08003", "connection not open")
}

/// Parameter set statuses (SQL_PARAM_*).
const PARAM_SUCCESS: u16 = 0;
const PARAM_ERROR: u16 = 5;
const PARAM_UNUSED: u16 = 7;

impl Stmt {
    /// Runs `sql` with its bound parameters: one statement per parameter set, except that an
    /// `INSERT ... VALUES (?, ...)` takes all sets in one statement (sent as column blocks).
    ///
    /// # Safety
    /// Bound parameter buffers must be valid for every set of the parameter array.
    pub unsafe fn execute_with_parameters(&self, state: &mut StatementState, sql: &str) -> Result<(), Diagnostic> {
        if question_marks(sql).is_empty() {
            return self.execute(state, sql);
        }
        let layout = state.parameter_layout;
        let sets = layout.set_size.max(1);
        let report = |processed: usize, statuses: &[u16]| {
            // SAFETY: the application promises these pointers, if set, hold the parameter array.
            unsafe {
                if layout.processed != 0 {
                    (layout.processed as *mut usize).write_unaligned(processed);
                }
                if layout.status != 0 {
                    for (index, status) in statuses.iter().enumerate() {
                        (layout.status as *mut u16).add(index).write_unaligned(*status);
                    }
                }
            }
        };
        if let InlineData::Values { query, rows } = inline_insert_data(sql) {
            let mut statement = format!("{query} ");
            for set in 0..sets {
                if set > 0 {
                    statement.push_str(", ");
                }
                // SAFETY: forwarded from the caller.
                statement.push_str(&unsafe { substitute(rows, &state.parameters, set, &layout) }?);
            }
            let result = self.execute(state, &statement);
            let status = if result.is_ok() { PARAM_SUCCESS } else { PARAM_ERROR };
            report(if result.is_ok() { sets } else { 0 }, &vec![status; sets]);
            if result.is_ok() && state.row_count < 0 {
                state.row_count = sets as isize;
            }
            return result;
        }
        let mut statuses = vec![PARAM_UNUSED; sets];
        let mut written = 0isize;
        for set in 0..sets {
            // SAFETY: forwarded from the caller.
            let statement = unsafe { substitute(sql, &state.parameters, set, &layout) };
            let result = statement.and_then(|statement| self.execute(state, &statement));
            statuses[set] = if result.is_ok() { PARAM_SUCCESS } else { PARAM_ERROR };
            if let Err(error) = result {
                report(set + 1, &statuses);
                return Err(error);
            }
            written += state.row_count.max(0);
        }
        report(sets, &statuses);
        if sets > 1 {
            state.row_count = written;
        }
        Ok(())
    }

    /// Runs `sql`; a result set becomes this statement's cursor.
    pub fn execute(&self, state: &mut StatementState, sql: &str) -> Result<(), Diagnostic> {
        state.cursor = None;
        state.row_count = -1;
        let dbc = self.dbc();
        let mut session = dbc.session.lock();
        let session: &mut Session = session.as_mut().ok_or_else(not_connected)?;
        let options = QueryOptions {
            settings: session.settings.clone(),
            timeout: state.query_timeout,
            ..QueryOptions::default()
        };
        let started = std::time::Instant::now();
        let header = session.connection.query(sql, &options);
        if let Some(log) = &session.log {
            let outcome = match &header {
                Ok(Some(block)) => format!("{} columns", block.columns.len()),
                Ok(None) => "done".to_string(),
                Err(error) => format!("failed: {error}"),
            };
            log.write(&format!("execute {sql}: {outcome}"), started.elapsed());
        }
        let header = header.map_err(|error| Diagnostic::from(&error))?;
        session.result_owner = None;
        match header {
            Some(block) => {
                state.cursor = Some(Cursor::new(block, false));
                session.result_owner = Some(self.id());
            }
            None => {
                let written = session.connection.progress().written_rows;
                state.row_count = isize::try_from(written).unwrap_or(isize::MAX);
            }
        }
        Ok(())
    }

    /// Moves the cursor to the next row; `false` at the end of the result.
    pub fn fetch(&self, state: &mut StatementState) -> Result<bool, Diagnostic> {
        let cursor = state
            .cursor
            .as_mut()
            .ok_or_else(|| Diagnostic::new("24000", "invalid cursor state"))?;
        cursor.progress.fill(Progress::Untouched);
        let next = cursor.row.map_or(0, |row| row + 1);
        if next < cursor.block.rows() {
            cursor.row = Some(next);
            return Ok(true);
        }
        if cursor.finished {
            return Ok(false);
        }
        let dbc = self.dbc();
        let mut session = dbc.session.lock();
        let session = session.as_mut().ok_or_else(not_connected)?;
        if session.result_owner != Some(self.id()) {
            return Err(Diagnostic::new(
                "HY000",
                "the result was closed because another statement ran on this connection",
            ));
        }
        let outcome = loop {
            match session.connection.next_block(&mut cursor.block) {
                Ok(true) if cursor.block.rows() > 0 => break Ok(true),
                Ok(true) => {}
                Ok(false) => break Ok(false),
                Err(error) => break Err(Diagnostic::from(&error)),
            }
        };
        if outcome == Ok(true) {
            cursor.row = Some(0);
        } else {
            session.result_owner = None;
            cursor.finished = true;
            cursor.row = None;
        }
        outcome
    }

    /// Closes the cursor, ending the stream on the connection if it is still open.
    pub fn close_cursor(&self, state: &mut StatementState) {
        if state.cursor.take().is_none() {
            return;
        }
        let dbc = self.dbc();
        let mut session = dbc.session.lock();
        if let Some(session) = session
            .as_mut()
            .filter(|session| session.result_owner == Some(self.id()))
        {
            session.result_owner = None;
            // A failure here marks the connection broken; the next call reports it.
            let _ = session.connection.close_result();
        }
    }
}

impl Cursor {
    /// A cursor before the first row of `block`; `finished` when no more blocks will follow.
    pub fn new(block: Block, finished: bool) -> Cursor {
        let descriptions = block.columns.iter().map(|column| describe(&column.data_type)).collect();
        let progress = vec![Progress::Untouched; block.columns.len()];
        Cursor {
            block,
            descriptions,
            row: None,
            progress,
            finished,
        }
    }

    /// The value at column `column` (0-based) of the current row.
    pub fn value(&self, column: usize) -> Result<Value<'_>, Diagnostic> {
        let row = self
            .row
            .filter(|&row| row < self.block.rows())
            .ok_or_else(|| Diagnostic::new("24000", "no current row"))?;
        let column = self
            .block
            .columns
            .get(column)
            .ok_or_else(|| Diagnostic::new("07009", "invalid column number"))?;
        Ok(column.value(row))
    }
}
