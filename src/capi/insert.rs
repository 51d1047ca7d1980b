//! INSERTs for the C API: rows of typed values gathered into blocks and sent as native INSERT data.
//!
//! A row is checked against the column types when it is appended: a value that does not fit is an
//! error naming its column and row, and nothing of that row is kept. Rows go to the server as one
//! block at each [`Insert::send`] and at [`Insert::finish`], which ends the INSERT and waits until the
//! server has stored them. The server stores each block as it arrives: an INSERT given up keeps the
//! blocks already sent.

use std::sync::atomic::Ordering;

use super::client::Shared;
use super::column_input::append;
use super::column_view::bh_column;
use super::error::CError;
use crate::arrow::import::Batch;
use crate::native::{Block, Column, Error, Value};
use std::sync::Arc;

pub struct Insert {
    shared: Arc<Shared>,
    statement: u64,
    header: Block,
    pending: Block,
    /// Rows already sent in earlier blocks.
    sent: u64,
    finished: bool,
}

impl Insert {
    pub(super) fn new(shared: Arc<Shared>, statement: u64, header: Block) -> Insert {
        Insert {
            shared,
            statement,
            pending: Block::with_columns_of(&header),
            header,
            sent: 0,
            finished: false,
        }
    }

    /// The target columns, with their types (no rows).
    pub fn header(&self) -> &Block {
        &self.header
    }

    /// Appends one row, a value per column; row numbers in errors count from 1 over the whole INSERT.
    pub fn append_row(&mut self, values: &[Value<'_>]) -> Result<(), CError> {
        self.usable()?;
        self.pending.push_row(values).map_err(|error| match error {
            Error::Value { column, row, message } => bad_value(&column, self.sent + row as u64 + 1, message),
            other => CError::new("07002", other),
        })
    }

    /// Appends the rows of an Arrow batch, column by column: moved in one go where the layouts agree,
    /// else value by value through the same checks as [`Insert::append_row`]. On error nothing of
    /// the batch is kept.
    pub fn append_batch(&mut self, batch: &Batch<'_>) -> Result<(), CError> {
        self.append_or_undo(batch.columns(), |columns, first_row| {
            columns.iter_mut().enumerate().try_for_each(|(index, column)| {
                if batch.append_column(index, &column.data_type, &mut column.data) {
                    return Ok(());
                }
                for row in 0..batch.rows() {
                    let value = batch.value(index, row).map_err(CError::from)?;
                    column
                        .data
                        .push(&column.data_type, &value)
                        .map_err(|message| bad_value(&column.name, first_row + row as u64, message))?;
                }
                Ok(())
            })
        })
    }

    /// Appends `rows` rows given as whole columns, one view per column in order (the layouts of
    /// [`bh_column`]), checked against the column types. On error, naming the column and row,
    /// nothing of the call is kept.
    ///
    /// # Safety
    /// Every pointer of the views is NULL or valid for the counts it gives.
    pub unsafe fn append_columns(&mut self, views: &[bh_column], rows: usize) -> Result<(), CError> {
        self.append_or_undo(views.len(), |columns, first_row| {
            columns.iter_mut().zip(views).try_for_each(|(column, view)| {
                // SAFETY: as promised by the caller.
                unsafe { append(view, &column.data_type, &mut column.data, rows) }
                    .map_err(|problem| bad_value(&column.name, first_row + problem.index as u64, problem.message))
            })
        })
    }

    /// Fills the pending columns with `fill` (given them and the number of the first new row, from
    /// 1 over the whole INSERT), from `given` columns; on error every column goes back to the rows
    /// it had.
    fn append_or_undo(
        &mut self,
        given: usize,
        fill: impl FnOnce(&mut [Column], u64) -> Result<(), CError>,
    ) -> Result<(), CError> {
        self.usable()?;
        let columns = self.pending.columns.len();
        if given != columns {
            return Err(CError::new(
                "07002",
                format!("{given} columns given for an INSERT of {columns}"),
            ));
        }
        let before = self.pending.rows();
        let first_row = self.sent + before as u64 + 1;
        let outcome = fill(&mut self.pending.columns, first_row)
            .and_then(|()| self.pending.set_rows_from_columns().map_err(CError::from));
        if outcome.is_err() {
            for column in &mut self.pending.columns {
                column.data.truncate_rows(&column.data_type, before);
            }
        }
        outcome
    }

    /// Sends the rows appended since the last send as one block.
    pub fn send(&mut self) -> Result<(), CError> {
        self.usable()?;
        let mut connection = self.shared.connection.lock();
        connection.send_block(&self.pending)?;
        self.sent += self.pending.rows() as u64;
        self.pending = Block::with_columns_of(&self.header);
        Ok(())
    }

    /// Sends what is left, ends the INSERT and waits until the server has stored the rows; returns
    /// how many rows the INSERT sent.
    pub fn finish(&mut self) -> Result<u64, CError> {
        self.send()?;
        self.finished = true;
        self.shared.connection.lock().finish_insert()?;
        Ok(self.sent)
    }

    fn usable(&self) -> Result<(), CError> {
        if self.finished {
            return Err(CError::new("HY010", "the INSERT is finished"));
        }
        if self.shared.statements.load(Ordering::Acquire) != self.statement {
            return Err(CError::new(
                "HY010",
                "another statement ran on the connection and ended this INSERT",
            ));
        }
        Ok(())
    }
}

impl Drop for Insert {
    /// An INSERT given up before `finish`: rows not sent yet are dropped and the INSERT is ended, so
    /// the connection stays usable. Blocks already sent stay stored: the server writes each block
    /// as it arrives, and closing the connection would not undo them either.
    fn drop(&mut self) {
        if !self.finished && self.shared.statements.load(Ordering::Acquire) == self.statement {
            let _ = self.shared.connection.lock().finish_insert();
        }
    }
}

/// A value that does not fit its column: 22018, naming the column and the row.
fn bad_value(column: &str, row: u64, message: impl std::fmt::Display) -> CError {
    CError::new("22018", format!("value for column `{column}` at row {row}: {message}"))
}
