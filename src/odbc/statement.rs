//! Statement execution and result cursors on top of the native client.
//!
//! A result stays as the blocks the server sends: the cursor points at a row of the current block,
//! and the next block replaces it when the cursor moves past the end, so memory stays bounded
//! however many rows come back.

use std::time::Duration;

use super::convert::{Direct, Progress};
use super::descriptor::{Fields, resolved_c_type};
use super::diag::Diagnostic;
use super::handles::Stmt;
use super::params::{SuppliedData, bound, is_data_at_execution, is_placeholder_row, read_value, substitute};
use super::prepared_result::PreparedResult;
use super::type_families::type_families;
use super::type_info::type_info_block;
use super::types::{SqlDescription, UNKNOWN_PARAMETER, describe, describe_parameter};
use crate::native::sql::{InlineData, inline_insert_data, question_marks};
use crate::native::{Block, Column, ColumnData};

/// The error of an INSERT whose rows were being sent or had been sent: when the connection failed
/// there, the server may have stored some or all of them, and the application must be told.
fn insert_failure(error: &crate::native::Error) -> Diagnostic {
    let mut diagnostic = Diagnostic::from(error);
    if error.breaks_connection() {
        diagnostic
            .message
            .push_str(" (the connection failed while the rows were sent: whether the server stored them is unknown)");
    }
    diagnostic
}

/// An open result set.
pub struct Cursor {
    pub block: Block,
    pub descriptions: Vec<SqlDescription>,
    /// The current row in `block`; `None` before the first fetch.
    pub row: Option<usize>,
    /// How much of each column SQLGetData has returned for the current row.
    pub progress: Vec<Progress>,
    /// Per column, the C type SQLGetData last asked for and its direct path, if it has one: found
    /// once for the result, not for each cell.
    directs: Vec<Option<(i16, Option<Direct>)>>,
    /// The server has sent the whole result.
    pub finished: bool,
    /// Rows fetched so far: the number of the current row in the whole result.
    pub delivered: usize,
}

/// A statement waiting for data-at-execution parameters (SQLParamData / SQLPutData).
pub struct PendingData {
    sql: String,
    /// (parameter set, parameter index) of every value to be sent, in the order they are asked for.
    queue: Vec<(usize, usize)>,
    /// How many of `queue` SQLParamData has asked for; the last one asked receives SQLPutData.
    asked: usize,
    supplied: SuppliedData,
}

#[derive(Default)]
pub struct StatementState {
    pub prepared: Option<String>,
    pub cursor: Option<Cursor>,
    /// Rows written by the last statement, -1 when unknown (SQLRowCount).
    pub row_count: isize,
    pub query_timeout: Option<Duration>,
    /// SQL_ATTR_MAX_ROWS: fetching ends after this many rows (0: no limit).
    pub max_rows: usize,
    /// SQL_ATTR_NOSCAN: statements are sent without translating escape sequences.
    pub no_scan: bool,
    /// SQL_ATTR_METADATA_ID: catalog function arguments are identifiers, not patterns.
    pub metadata_id: bool,
    pub pending: Option<PendingData>,
    /// Set by SQLSetCursorName; otherwise SQLGetCursorName makes one up from the handle.
    pub cursor_name: Option<String>,
    /// What SQLDescribeParam reports for the prepared statement, learned once.
    pub parameter_descriptions: Option<Vec<SqlDescription>>,
    /// The prepared statement's result columns before it runs, learned once.
    pub prepared_result: PreparedResult,
}

impl StatementState {
    /// SQLPrepare: `sql` is kept for SQLExecute; what was learned about the previous one goes.
    pub fn prepare(&mut self, sql: String) {
        self.prepared = Some(sql);
        self.parameter_descriptions = None;
        self.prepared_result = PreparedResult::Unknown;
    }

    /// SQLExecDirect: the statement is no longer prepared, so nothing describes the old text.
    pub fn unprepare(&mut self) {
        self.prepared = None;
        self.parameter_descriptions = None;
        self.prepared_result = PreparedResult::Unknown;
    }
}

fn not_connected() -> Diagnostic {
    Diagnostic::new("08003", "connection not open")
}

fn sequence_error() -> Diagnostic {
    Diagnostic::new(
        "HY010",
        "function sequence error: no data-at-execution parameter is pending",
    )
}

/// Parameter set statuses (SQL_PARAM_*).
const PARAM_SUCCESS: u16 = 0;
const PARAM_ERROR: u16 = 5;
const PARAM_UNUSED: u16 = 7;

/// Where the application wants parameter set statuses and the count of sets processed (IPD).
struct ParameterReport {
    statuses: usize,
    processed: usize,
}

impl ParameterReport {
    /// # Safety
    /// The pointers, if set, must hold the parameter array.
    unsafe fn write(&self, processed: usize, statuses: impl IntoIterator<Item = u16>) {
        // SAFETY: as promised by the caller.
        unsafe {
            if self.processed != 0 {
                (self.processed as *mut usize).write_unaligned(processed);
            }
            if self.statuses != 0 {
                for (index, status) in statuses.into_iter().enumerate() {
                    (self.statuses as *mut u16).add(index).write_unaligned(status);
                }
            }
        }
    }
}

/// What an execution left to do.
#[derive(Debug, PartialEq, Eq)]
pub enum Execution {
    Done,
    /// Data-at-execution parameters must be sent first (SQL_NEED_DATA).
    NeedData,
}

impl Stmt {
    /// Runs `sql` with its bound parameters, or asks for data-at-execution parameters first.
    ///
    /// # Safety
    /// Bound parameter buffers must be valid for every set of the parameter array.
    pub unsafe fn execute_with_parameters(
        &self,
        state: &mut StatementState,
        sql: &str,
    ) -> Result<Execution, Diagnostic> {
        state.pending = None;
        let markers = question_marks(sql).len();
        if markers == 0 {
            return self.execute(state, sql).map(|_| Execution::Done);
        }
        let queue = {
            let apd = self.apd().fields.lock();
            // SAFETY: forwarded from the caller.
            let layout = unsafe { apd.layout() };
            let mut queue = Vec::new();
            for set in 0..apd.array_size {
                for index in 0..markers {
                    // SAFETY: forwarded from the caller.
                    if unsafe { is_data_at_execution(bound(&apd.records, index)?, set, &layout) } {
                        queue.push((set, index));
                    }
                }
            }
            queue
        };
        if queue.is_empty() {
            // SAFETY: forwarded from the caller.
            return unsafe { self.run_with_parameters(state, sql, &SuppliedData::default()) }.map(|_| Execution::Done);
        }
        state.pending = Some(PendingData {
            sql: sql.to_string(),
            queue,
            asked: 0,
            supplied: SuppliedData::default(),
        });
        Ok(Execution::NeedData)
    }

    /// SQLParamData: the token (bound buffer address) of the next parameter to send, or `None`
    /// after the statement ran with all of them.
    ///
    /// # Safety
    /// As for [`Stmt::execute_with_parameters`].
    pub unsafe fn param_data(&self, state: &mut StatementState) -> Result<Option<usize>, Diagnostic> {
        let pending = state.pending.as_mut().ok_or_else(sequence_error)?;
        if let Some(&(set, index)) = pending.queue.get(pending.asked) {
            pending.asked += 1;
            pending.supplied.start(set, index);
            let apd = self.apd().fields.lock();
            let record = bound(&apd.records, index)?;
            let c_type = resolved_c_type(record, index, &self.ipd().fields.lock());
            // SAFETY: forwarded from the caller.
            let layout = unsafe { apd.layout() };
            return Ok(Some(layout.element(record.data_ptr, set, record.data_stride(c_type))));
        }
        let Some(pending) = state.pending.take() else {
            return Err(sequence_error());
        };
        // SAFETY: forwarded from the caller.
        unsafe { self.run_with_parameters(state, &pending.sql, &pending.supplied) }.map(|_| None)
    }

    /// SQLPutData: appends a piece of the parameter SQLParamData asked for (`None` sends NULL).
    pub fn put_data(&self, state: &mut StatementState, piece: Option<&[u8]>) -> Result<(), Diagnostic> {
        let pending = state.pending.as_mut().filter(|pending| pending.asked > 0);
        pending.ok_or_else(sequence_error)?.supplied.append(piece)
    }

    /// The bound parameters (the APD), with SQL_C_DEFAULT resolved from the IPD's SQL types.
    fn parameter_bindings(&self) -> Fields {
        self.apd().fields.lock().with_default_c_types(&self.ipd().fields.lock())
    }

    /// Runs `sql` for every parameter set: one statement per set, except that an
    /// `INSERT ... VALUES (?, ...)` takes all sets in one native INSERT.
    ///
    /// # Safety
    /// As for [`Stmt::execute_with_parameters`].
    unsafe fn run_with_parameters(
        &self,
        state: &mut StatementState,
        sql: &str,
        supplied: &SuppliedData,
    ) -> Result<(), Diagnostic> {
        let apd = self.parameter_bindings();
        let report = {
            let ipd = self.ipd().fields.lock();
            ParameterReport {
                statuses: ipd.array_status_ptr,
                processed: ipd.rows_processed_ptr,
            }
        };
        // SAFETY: forwarded from the caller.
        let layout = unsafe { apd.layout() };
        let sets = apd.array_size;
        if let InlineData::Values { query, rows } = inline_insert_data(sql) {
            let result = if is_placeholder_row(rows) {
                // SAFETY: forwarded from the caller.
                unsafe { self.insert_parameter_sets(state, query, &apd, supplied) }
            } else {
                let mut statement = format!("{query} ");
                for set in 0..sets {
                    if set > 0 {
                        statement.push_str(", ");
                    }
                    // SAFETY: forwarded from the caller.
                    statement.push_str(&unsafe { substitute(rows, &apd.records, set, &layout, supplied) }?);
                }
                self.execute(state, &statement).map_err(|error| (None, error))
            };
            return match result {
                Ok(()) => {
                    // SAFETY: forwarded from the caller.
                    unsafe { report.write(sets, std::iter::repeat_n(PARAM_SUCCESS, sets)) };
                    if state.row_count < 0 {
                        state.row_count = sets as isize;
                    }
                    Ok(())
                }
                Err((failed, error)) => {
                    // Nothing was stored: the set at fault is an error, the others were not used.
                    let statuses = (0..sets).map(|set| match failed {
                        Some(failed) if failed != set => PARAM_UNUSED,
                        _ => PARAM_ERROR,
                    });
                    // SAFETY: forwarded from the caller.
                    unsafe { report.write(failed.map_or(sets, |set| set + 1), statuses) };
                    Err(error)
                }
            };
        }
        let mut statuses = vec![PARAM_UNUSED; sets];
        let mut written = 0isize;
        for set in 0..sets {
            // SAFETY: forwarded from the caller.
            let statement = unsafe { substitute(sql, &apd.records, set, &layout, supplied) };
            let result = statement.and_then(|statement| self.execute(state, &statement));
            statuses[set] = if result.is_ok() { PARAM_SUCCESS } else { PARAM_ERROR };
            if let Err(error) = result {
                // SAFETY: forwarded from the caller.
                unsafe { report.write(set + 1, statuses) };
                return Err(error);
            }
            written += state.row_count.max(0);
        }
        // SAFETY: forwarded from the caller.
        unsafe { report.write(sets, statuses) };
        if sets > 1 {
            state.row_count = written;
        }
        Ok(())
    }

    /// Sends every parameter set of `INSERT ... VALUES (?, ...)` as a row of one native INSERT
    /// block. All rows are converted before anything is sent, so a bad value stores nothing; the
    /// error names the set at fault.
    ///
    /// # Safety
    /// As for [`Stmt::execute_with_parameters`].
    unsafe fn insert_parameter_sets(
        &self,
        state: &mut StatementState,
        query: &str,
        apd: &Fields,
        supplied: &SuppliedData,
    ) -> Result<(), (Option<usize>, Diagnostic)> {
        state.cursor = None;
        state.row_count = -1;
        let mut session = self.session().map_err(|error| (None, error))?;
        session.make_way().map_err(|error| (None, error))?;
        let options = session.options(state.query_timeout);
        let started = std::time::Instant::now();
        let header = session
            .connection
            .insert_with(query, &options)
            .map_err(|error| (None, Diagnostic::from(&error)))?;
        let mut block = Block::with_columns_of(&header);
        // SAFETY: forwarded from the caller.
        let filled = unsafe { fill_columns(&mut block, apd, supplied) };
        let sent = filled.and_then(|()| {
            let connection = &mut session.connection;
            connection
                .send_block(&block)
                .map_err(|error| (None, insert_failure(&error)))
        });
        // Also after a bad value: ending the INSERT with no rows keeps the connection usable.
        let finished = session
            .connection
            .finish_insert()
            .map_err(|error| (None, insert_failure(&error)));
        let outcome = sent.and(finished);
        if let Some(log) = &session.log {
            let rows = block.rows();
            let result = match &outcome {
                Ok(()) => format!("{rows} rows"),
                Err((_, error)) => format!("failed: {}", error.message),
            };
            log.write(
                &format!("insert {query} with parameter arrays: {result}"),
                started.elapsed(),
            );
        }
        outcome?;
        state.row_count = isize::try_from(block.rows()).unwrap_or(isize::MAX);
        Ok(())
    }

    /// The description of parameter `index` of the prepared statement: for
    /// `INSERT ... VALUES (?, ...)` its target column's type, which the server tells in the header
    /// of an INSERT that is then ended without rows; otherwise (or if that fails) unknown.
    pub fn describe_parameter(&self, state: &mut StatementState, index: usize) -> SqlDescription {
        if state.parameter_descriptions.is_none() {
            let described = state.prepared.as_deref().and_then(|sql| match inline_insert_data(sql) {
                InlineData::Values { query, rows } if is_placeholder_row(rows) => self.insert_columns(query).ok(),
                _ => None,
            });
            state.parameter_descriptions = Some(described.unwrap_or_default());
        }
        state
            .parameter_descriptions
            .as_ref()
            .and_then(|descriptions| descriptions.get(index).copied())
            .unwrap_or(UNKNOWN_PARAMETER)
    }

    /// The parameter descriptions of the columns an INSERT (`query`, up to VALUES) writes.
    fn insert_columns(&self, query: &str) -> Result<Vec<SqlDescription>, Diagnostic> {
        let mut session = self.session()?;
        session.make_way_keeping_results()?;
        let options = session.options(None);
        let header = session
            .connection
            .insert_with(query, &options)
            .map_err(|error| Diagnostic::from(&error))?;
        session
            .connection
            .finish_insert()
            .map_err(|error| Diagnostic::from(&error))?;
        Ok(header
            .columns
            .iter()
            .map(|column| describe_parameter(&column.data_type))
            .collect())
    }

    /// SQLGetTypeInfo's result for `data_type` as this statement's cursor: the types the server has.
    pub fn type_info(&self, state: &mut StatementState, data_type: i16) -> Result<(), Diagnostic> {
        self.close_cursor(state);
        let dbc = self.dbc();
        let mut session = dbc.session.lock();
        let session = session.as_mut().ok_or_else(not_connected)?;
        // A server that cannot tell (no such table) gets the whole list.
        let families = type_families(session);
        let odbc2 = dbc.env().odbc_version.load(std::sync::atomic::Ordering::Acquire) == 2;
        let block = type_info_block(data_type, session.string_size, families.as_deref(), odbc2)?;
        state.cursor = Some(Cursor::new(block, true, session.string_size));
        Ok(())
    }

    /// Runs `sql`; a result set becomes this statement's cursor.
    pub fn execute(&self, state: &mut StatementState, sql: &str) -> Result<(), Diagnostic> {
        state.cursor = None;
        state.row_count = -1;
        let mut session = self.session()?;
        session.make_way()?;
        let options = session.options(state.query_timeout);
        let started = std::time::Instant::now();
        // A new query ends any open result, also when it fails: that result's owner must then
        // get an error when it fetches, not an early end.
        session.result_owner = None;
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
        match header {
            Some(block) => {
                state.cursor = Some(Cursor::new(block, false, session.string_size));
                session.result_owner = Some(self.id());
            }
            None => {
                // -1 where the server does not say (INSERT ... SELECT on old servers).
                state.row_count = session
                    .connection
                    .written_rows()
                    .map_or(-1, |written| isize::try_from(written).unwrap_or(isize::MAX));
            }
        }
        Ok(())
    }

    /// Moves the cursor to the next row; `false` at the end of the result.
    pub fn fetch(&self, state: &mut StatementState) -> Result<bool, Diagnostic> {
        let max_rows = state.max_rows;
        let cursor = state
            .cursor
            .as_mut()
            .ok_or_else(|| Diagnostic::new("24000", "invalid cursor state"))?;
        cursor.progress.fill(Progress::Untouched);
        if max_rows > 0 && cursor.delivered >= max_rows {
            // The rest is dropped when the cursor closes.
            return Ok(false);
        }
        let next = cursor.row.map_or(0, |row| row + 1);
        if next < cursor.block.rows() {
            cursor.row = Some(next);
            cursor.delivered += 1;
            return Ok(true);
        }
        if cursor.finished {
            return Ok(false);
        }
        let outcome = self.session()?.next_block_of(self.id(), &mut cursor.block);
        match outcome {
            Ok(true) => {
                cursor.row = Some(0);
                cursor.delivered += 1;
            }
            Ok(false) => {
                cursor.finished = true;
                cursor.row = None;
            }
            // Not finished: fetching again reports that the result is gone, never its end. The
            // block may hold part of what failed; none of it is a row.
            Err(_) => {
                cursor.block = Block::with_columns_of(&cursor.block);
                cursor.row = None;
            }
        }
        outcome
    }

    /// Closes the cursor, ending the stream on the connection if it is still open.
    pub fn close_cursor(&self, state: &mut StatementState) {
        if state.cursor.take().is_none() {
            return;
        }
        if let Ok(mut session) = self.session() {
            session.end_result_of(self.id());
        }
    }
}

/// Fills `block`'s columns, a column at a time, from every parameter set (the APD `apd`); on a
/// bad value, the set at fault and the error.
///
/// # Safety
/// As for [`Stmt::execute_with_parameters`].
unsafe fn fill_columns(
    block: &mut Block,
    apd: &Fields,
    supplied: &SuppliedData,
) -> Result<(), (Option<usize>, Diagnostic)> {
    // SAFETY: forwarded from the caller.
    let layout = unsafe { apd.layout() };
    let mut scratch = String::new();
    for (index, column) in block.columns.iter_mut().enumerate() {
        let record = bound(&apd.records, index).map_err(|error| (None, error))?;
        for set in 0..apd.array_size {
            // SAFETY: forwarded from the caller.
            let value = unsafe { read_value(record, index, set, &layout, supplied, &mut scratch) }
                .map_err(|error| (Some(set), error))?;
            column.data.push(&column.data_type, &value).map_err(|message| {
                let error = crate::native::Error::Value {
                    column: column.name.clone(),
                    row: set,
                    message,
                };
                (Some(set), Diagnostic::from(&error))
            })?;
        }
    }
    block
        .set_rows_from_columns()
        .map_err(|error| (None, Diagnostic::from(&error)))
}

impl Cursor {
    /// A cursor before the first row of `block`; `finished` when no more blocks will follow.
    /// String columns are described with the nominal size `string_size`.
    pub fn new(block: Block, finished: bool, string_size: usize) -> Cursor {
        let descriptions = block
            .columns
            .iter()
            .map(|column| describe(&column.data_type, string_size))
            .collect();
        let progress = vec![Progress::Untouched; block.columns.len()];
        Cursor {
            directs: vec![None; block.columns.len()],
            block,
            descriptions,
            row: None,
            progress,
            finished,
            delivered: 0,
        }
    }

    /// The column `number` (from 1) and its description (07009 when there is no such column).
    pub fn column(&self, number: u16) -> Result<(&Column, SqlDescription), Diagnostic> {
        let index = self.column_index(number)?;
        Ok((&self.block.columns[index], self.descriptions[index]))
    }

    /// The direct path of column `index` into `c_type`, if it has one, and the column's data.
    pub fn direct(&mut self, index: usize, c_type: i16) -> Option<(&Direct, &ColumnData)> {
        let column = &self.block.columns[index];
        let memo = &mut self.directs[index];
        if memo.as_ref().is_none_or(|(asked, _)| *asked != c_type) {
            *memo = Some((c_type, Direct::of(&column.data_type, c_type)));
        }
        Some((memo.as_ref()?.1.as_ref()?, &column.data))
    }

    /// The index of column `number` (from 1; 07009 when there is no such column).
    pub fn column_index(&self, number: u16) -> Result<usize, Diagnostic> {
        usize::from(number)
            .checked_sub(1)
            .filter(|&index| index < self.block.columns.len())
            .ok_or_else(|| Diagnostic::new("07009", format!("invalid column number {number}")))
    }

    /// The current row of the block (24000 before the first fetch or after the last row).
    pub fn current_row(&self) -> Result<usize, Diagnostic> {
        self.row
            .filter(|&row| row < self.block.rows())
            .ok_or_else(|| Diagnostic::new("24000", "no current row"))
    }
}
