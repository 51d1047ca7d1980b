//! One connection, many statements. The server runs one query at a time per connection, so when a
//! statement runs a query while another statement's result is still open, the rest of that result
//! is read into memory first (up to `ResultBufferLimit` bytes) and the other statement goes on
//! fetching from there: nothing is lost and nothing looks ended that did not end. SQLCancel on a
//! statement reaches only the query that statement is waiting for.

use std::collections::{HashMap, VecDeque};
use std::ops::{Deref, DerefMut};

use parking_lot::{MappedMutexGuard, MutexGuard};

use super::diag::Diagnostic;
use super::handles::{Session, Stmt};
use crate::native::{Block, ColumnData};

/// The rest of a statement's result, read ahead while another statement used the connection.
struct ParkedResult {
    blocks: VecDeque<Block>,
    /// What `blocks` hold, by [`block_bytes`].
    bytes: usize,
    /// How the stream ended; `None` while its rest is still on the connection (the limit was hit).
    end: Option<Result<(), Diagnostic>>,
}

/// Parked results by statement.
#[derive(Default)]
pub struct ParkedResults {
    results: HashMap<usize, ParkedResult>,
}

impl ParkedResults {
    /// Bytes held for every statement together.
    fn bytes(&self) -> usize {
        self.results.values().map(|parked| parked.bytes).sum()
    }
}

impl Session {
    /// Readies the connection for a new query of `statement` (`None` for a metadata query of the
    /// driver's own): the statement's own open result is dropped, another statement's is parked.
    pub fn make_way(&mut self, statement: Option<usize>) -> Result<(), Diagnostic> {
        if let Some(statement) = statement {
            self.end_result_of(statement);
        }
        self.park_open_result()
    }

    /// Drops `statement`'s result: what was parked of it, and its stream if still open.
    pub fn end_result_of(&mut self, statement: usize) {
        self.parked.results.remove(&statement);
        if self.result_owner == Some(statement) {
            self.result_owner = None;
            // A failure marks the connection broken; the next call reports it.
            let _ = self.connection.close_result();
        }
    }

    /// Reads the rest of the open result into memory for its statement. Past the buffer limit the
    /// stream stays open on the connection for its owner, what was read stays parked, and the
    /// caller gets an error naming the limit.
    fn park_open_result(&mut self) -> Result<(), Diagnostic> {
        let Some(owner) = self.result_owner else {
            return Ok(());
        };
        // Reading ahead is nobody's query to cancel.
        self.connection.set_waiter(0);
        let started = std::time::Instant::now();
        let mut held = self.parked.bytes();
        let parked = self.parked.results.entry(owner).or_insert_with(|| ParkedResult {
            blocks: VecDeque::new(),
            bytes: 0,
            end: None,
        });
        loop {
            if held > self.result_buffer_limit {
                if let Some(log) = &self.log {
                    log.write(
                        "read ahead of an open result stopped at ResultBufferLimit",
                        started.elapsed(),
                    );
                }
                return Err(Diagnostic::new(
                    "HY000",
                    format!(
                        "another statement's result is still open on this connection and holds more than \
                         ResultBufferLimit ({} bytes) to read ahead: fetch or close it first, or raise \
                         ResultBufferLimit",
                        self.result_buffer_limit
                    ),
                ));
            }
            let mut block = Block::default();
            match self.connection.next_block(&mut block) {
                Ok(true) => {
                    let bytes = block_bytes(&block);
                    held += bytes;
                    parked.bytes += bytes;
                    parked.blocks.push_back(block);
                }
                Ok(false) => {
                    parked.end = Some(Ok(()));
                    break;
                }
                Err(error) => {
                    parked.end = Some(Err(Diagnostic::from(&error)));
                    break;
                }
            }
        }
        if let Some(log) = &self.log {
            let event = format!("read ahead of an open result: {} bytes held", parked.bytes);
            log.write(&event, started.elapsed());
        }
        self.result_owner = None;
        Ok(())
    }

    /// The next block of `statement`'s result: parked ones first, then the stream. `false` at
    /// its end; a result that is neither parked nor open on the connection is an error.
    pub fn next_block_of(&mut self, statement: usize, block: &mut Block) -> Result<bool, Diagnostic> {
        if let Some(parked) = self.parked.results.get_mut(&statement) {
            if let Some(next) = parked.blocks.pop_front() {
                parked.bytes -= block_bytes(&next);
                *block = next;
                return Ok(true);
            }
            let end = parked.end.take();
            self.parked.results.remove(&statement);
            if let Some(end) = end {
                return end.map(|()| false);
            }
        }
        if self.result_owner != Some(statement) {
            return Err(Diagnostic::new(
                "HY000",
                "the result is no longer open on this connection",
            ));
        }
        let outcome = loop {
            match self.connection.next_block(block) {
                Ok(true) if block.rows() > 0 => break Ok(true),
                Ok(true) => {}
                Ok(false) => break Ok(false),
                Err(error) => break Err(Diagnostic::from(&error)),
            }
        };
        if outcome != Ok(true) {
            self.result_owner = None;
        }
        outcome
    }
}

/// The memory a block's values take, near enough to bound what is read ahead.
fn block_bytes(block: &Block) -> usize {
    block.columns.iter().map(|column| column_bytes(&column.data)).sum()
}

fn column_bytes(data: &ColumnData) -> usize {
    match data {
        ColumnData::Fixed { bytes, .. } => bytes.len(),
        ColumnData::Strings { ends, bytes } => bytes.len() + size_of_val(ends.as_slice()),
        ColumnData::Nullable { nulls, values } => nulls.len() + column_bytes(values),
        ColumnData::Array { ends, values } => size_of_val(ends.as_slice()) + column_bytes(values),
        ColumnData::Tuple(elements) => elements.iter().map(column_bytes).sum(),
        ColumnData::LowCardinality { dictionary, keys } => size_of_val(keys.as_slice()) + column_bytes(dictionary),
    }
}

/// The connection as one statement uses it: while this lives, SQLCancel on that statement reaches
/// the query it waits for, and only that.
pub struct StatementSession<'a> {
    session: MappedMutexGuard<'a, Session>,
    statement: usize,
}

impl Stmt {
    /// Locks the connection for this statement's use.
    pub fn session(&self) -> Result<StatementSession<'_>, Diagnostic> {
        let session = MutexGuard::try_map(self.dbc().session.lock(), Option::as_mut)
            .map_err(|_| Diagnostic::new("08003", "connection not open"))?;
        session.connection.set_waiter(self.id() as u64);
        Ok(StatementSession {
            session,
            statement: self.id(),
        })
    }
}

impl StatementSession<'_> {
    /// [`Session::make_way`] for this statement's next query, which replaces its own result.
    pub fn make_way(&mut self) -> Result<(), Diagnostic> {
        self.waiting_again_after(|session, statement| session.make_way(Some(statement)))
    }

    /// [`Session::make_way`] for a query that learns something about this statement and leaves
    /// its result alone: any open result, this statement's too, is parked.
    pub fn make_way_keeping_results(&mut self) -> Result<(), Diagnostic> {
        self.waiting_again_after(|session, _| session.make_way(None))
    }

    /// Runs `step`, after which this statement is the waiter again (parking clears it).
    fn waiting_again_after(
        &mut self,
        step: impl FnOnce(&mut Session, usize) -> Result<(), Diagnostic>,
    ) -> Result<(), Diagnostic> {
        let statement = self.statement;
        let outcome = step(&mut self.session, statement);
        self.connection.set_waiter(statement as u64);
        outcome
    }
}

impl Deref for StatementSession<'_> {
    type Target = Session;

    fn deref(&self) -> &Session {
        &self.session
    }
}

impl DerefMut for StatementSession<'_> {
    fn deref_mut(&mut self) -> &mut Session {
        &mut self.session
    }
}

impl Drop for StatementSession<'_> {
    fn drop(&mut self) {
        self.session.connection.set_waiter(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::{Column, Value};

    #[test]
    fn block_bytes_counts_values_of_every_shape() {
        let mut block = Block::default();
        block.columns.push(Column::new("n", "UInt32").unwrap());
        block.columns.push(Column::new("s", "Nullable(String)").unwrap());
        for (number, text) in [(1u32, "abc"), (2, "de")] {
            block
                .push_row(&[Value::UInt(u64::from(number)), Value::Bytes(text.as_bytes())])
                .unwrap();
        }
        // 2 × 4 bytes, 2 null flags, 5 text bytes and 2 string ends.
        assert_eq!(block_bytes(&block), 8 + 2 + 5 + 2 * size_of::<usize>());
    }
}
