//! A connection for the C API: the native client behind a lock, with the connection's query
//! options, and results that stream from it as Arrow.
//!
//! One thread at a time runs statements; [`Client::cancel`] may come from any thread. A result
//! stream keeps the connection alive after the handle is freed, until the stream is released. A
//! new statement on the connection ends a result still open; that result then fails with an error
//! saying so instead of looking complete.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use parking_lot::Mutex;

use super::error::CError;
use super::insert::Insert;
use super::query_options::StatementOptions;
use crate::arrow::import::read_batches;
use crate::arrow::{ArrowArrayStream, BlockSource};
use crate::config::{Config, connection_string};
use crate::native::sql::substitute;
use crate::native::{Block, CancelHandle, Connection, Error, QueryOptions, Result, Value};
use crate::odbc::dsn::dsn_pairs;

pub(super) struct Shared {
    pub(super) connection: Mutex<Connection>,
    cancel: CancelHandle,
    /// The connection's `QueryTimeout`, for statements that set none of their own.
    query_timeout: Option<Duration>,
    /// Counts statements; a result or an INSERT belongs to the statement of its number.
    pub(super) statements: AtomicU64,
}

pub struct Client {
    shared: Arc<Shared>,
    /// Keys that were ignored, for the caller to hear of.
    pub unknown_keys: Vec<String>,
    /// The connection's `StringMaxLength`: the size metadata gives a String column.
    pub string_max_length: usize,
}

impl Client {
    /// Connects with the keys of a connection string (a `DSN` key brings in that data source's keys).
    pub fn connect(text: &str) -> Result<Client, CError> {
        let pairs = connection_string::parse(text).map_err(|error| CError::new("HY000", error))?;
        let dsn = pairs
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case("dsn"))
            .map(|(_, name)| name.as_str())
            .filter(|name| !name.is_empty());
        let dsn_pairs = dsn.map(dsn_pairs).transpose()?.unwrap_or_default();
        let config = Config::from_pairs(&dsn_pairs, &pairs).map_err(|error| CError::new("HY000", error))?;
        let connection = config.failover().connect(&config.connect_options())?;
        let cancel = connection.cancel_handle();
        Ok(Client {
            shared: Arc::new(Shared {
                connection: Mutex::new(connection),
                cancel,
                query_timeout: config.query_timeout,
                statements: AtomicU64::new(0),
            }),
            unknown_keys: config.unknown_keys,
            string_max_length: config.string_max_length,
        })
    }

    /// Runs a statement (with `values` for its placeholders) and drops any rows it returns; the rows
    /// it wrote, where the server says.
    pub fn execute(&self, sql: &str, values: &[Value<'_>], options: StatementOptions) -> Result<Option<u64>, CError> {
        let sql = with_values(sql, values)?;
        let options = self.query_options(options);
        let mut connection = self.shared.connection.lock();
        self.shared.statements.fetch_add(1, Ordering::AcqRel);
        if connection.query(&sql, &options)?.is_some() {
            let mut block = Block::default();
            while connection.next_block(&mut block)? {}
        }
        Ok(connection.written_rows())
    }

    /// Runs a statement (with `values` for its placeholders) and returns its result, read block by block (no columns and no blocks for
    /// a statement without a result).
    pub fn query(&self, sql: &str, values: &[Value<'_>], options: StatementOptions) -> Result<QueryResult, CError> {
        let sql = with_values(sql, values)?;
        let options = self.query_options(options);
        let mut connection = self.shared.connection.lock();
        let statement = self.shared.statements.fetch_add(1, Ordering::AcqRel) + 1;
        let header = connection.query(&sql, &options)?;
        Ok(QueryResult {
            shared: Arc::clone(&self.shared),
            statement,
            open: header.is_some(),
            header: header.unwrap_or_default(),
        })
    }

    /// Starts an INSERT (`INSERT INTO t [(columns)] VALUES`, without rows), to be filled through the
    /// returned [`Insert`].
    pub fn insert(&self, sql: &str, options: StatementOptions) -> Result<Insert, CError> {
        let options = self.query_options(options);
        let mut connection = self.shared.connection.lock();
        let statement = self.shared.statements.fetch_add(1, Ordering::AcqRel) + 1;
        connection.close_result()?;
        let header = connection.insert_with(sql, &options)?;
        Ok(Insert::new(Arc::clone(&self.shared), statement, header))
    }

    /// Runs an INSERT (`INSERT INTO t [(columns)] VALUES`) with the rows of an Arrow stream, one
    /// block per batch; returns the rows stored. The stream is released, also on error.
    ///
    /// # Safety
    /// `stream` is a valid, unreleased Arrow C stream.
    pub unsafe fn insert_arrow(
        &self,
        sql: &str,
        options: StatementOptions,
        stream: &mut ArrowArrayStream,
    ) -> Result<u64, CError> {
        let mut insert = match self.insert(sql, options) {
            Ok(insert) => insert,
            Err(error) => {
                if let Some(release) = stream.release {
                    // SAFETY: as promised by the caller; released once.
                    unsafe { release(stream) };
                }
                return Err(error);
            }
        };
        // SAFETY: as promised by the caller.
        unsafe {
            read_batches(stream, |batch| {
                insert.append_batch(batch)?;
                insert.send()
            })
        }?;
        insert.finish()
    }

    /// The native options of a statement: its own, with the connection's timeout unless it set one.
    fn query_options(&self, options: StatementOptions) -> QueryOptions {
        QueryOptions {
            settings: options.settings,
            timeout: options.timeout.or(self.shared.query_timeout),
            progress: options.progress,
            ..QueryOptions::default()
        }
    }

    /// Asks the server to stop the running query; from any thread.
    pub fn cancel(&self) {
        self.shared.cancel.cancel();
    }
}

/// The statement with its placeholders replaced; a count that does not match is SQLSTATE 07002.
fn with_values(sql: &str, values: &[Value<'_>]) -> Result<String, CError> {
    substitute(sql, values).map_err(|error| CError::new("07002", error))
}

/// The blocks of one statement's result.
pub struct QueryResult {
    shared: Arc<Shared>,
    statement: u64,
    /// The server may still send blocks.
    open: bool,
    header: Block,
}

impl QueryResult {
    fn is_current(&self) -> bool {
        self.shared.statements.load(Ordering::Acquire) == self.statement
    }

    /// Rows and bytes the server has read for the query so far.
    pub fn progress(&self) -> (u64, u64) {
        let connection = self.shared.connection.lock();
        if !self.is_current() {
            return (0, 0);
        }
        let progress = connection.progress();
        (progress.read_rows, progress.read_bytes)
    }
}

impl BlockSource for QueryResult {
    fn header(&self) -> &Block {
        &self.header
    }

    fn next_block(&mut self, block: &mut Block) -> Result<bool> {
        if !self.open {
            return Ok(false);
        }
        let mut connection = self.shared.connection.lock();
        if !self.is_current() {
            self.open = false;
            return Err(Error::Usage(
                "another statement ran on the connection before this result was read to its end".into(),
            ));
        }
        let more = connection.next_block(block);
        self.open = matches!(more, Ok(true));
        more
    }
}

impl Drop for QueryResult {
    /// A result released early is cancelled, so the connection is free for the next statement.
    fn drop(&mut self) {
        if self.open {
            let mut connection = self.shared.connection.lock();
            if self.is_current() {
                let _ = connection.close_result();
            }
        }
    }
}
