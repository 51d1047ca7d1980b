//! An ADBC statement: SQL or an ingest target, bound data, and their execution.
//!
//! - A query's result is an Arrow stream read block by block from the server (rows affected -1: not
//!   known before the result is read); without an output stream, the statement runs and the rows it
//!   wrote are counted.
//! - Bound data with `INSERT INTO t [(columns)] VALUES` (with or without `(?, ...)`) is sent as native
//!   INSERT blocks; with any other statement, each bound row fills the `?` placeholders once.
//! - Bound data is dropped once the statement ran, so a later query of the statement binds nothing.

use std::sync::Arc;

use super::arrays::{field, structure};
use super::batch_stream::export_batch;
use super::bound::Bound;
use super::connection::result_schema;
use super::error::Failure;
use super::ingest::{self, Mode, Target};
use super::options;
use crate::arrow::abi::ArrowArrayStream;
use crate::arrow::export::SchemaNode;
use crate::arrow::import::read_batches;
use crate::arrow::{StringsAs, export_stream};
use crate::capi::{CError, Client, QueryResult, StatementOptions};
use crate::native::Value;
use crate::native::sql::{Kind, is_insert, kind, question_marks};

pub struct Statement {
    client: Arc<Client>,
    sql: Option<String>,
    /// The ingest options, used once a target table is set (and until SQL is set).
    target: Target,
    ingesting: bool,
    bound: Option<Bound>,
}

impl Statement {
    pub fn new(client: Arc<Client>) -> Statement {
        Statement {
            client,
            sql: None,
            target: Target::default(),
            ingesting: false,
            bound: None,
        }
    }

    pub fn set_sql(&mut self, sql: &str) {
        self.sql = Some(sql.to_string());
        self.ingesting = false;
    }

    pub fn set_option(&mut self, key: &str, value: &str) -> Result<(), Failure> {
        match key {
            options::INGEST_TARGET_TABLE => {
                self.target.table = value.to_string();
                self.sql = None;
                self.ingesting = true;
            }
            options::INGEST_MODE => self.target.mode = Mode::parse(value)?,
            options::INGEST_TARGET_CATALOG => {
                self.target.catalog = Some(value.to_string()).filter(|catalog| !catalog.is_empty());
            }
            options::INGEST_TARGET_DB_SCHEMA if value.is_empty() => {}
            options::INGEST_TARGET_DB_SCHEMA => {
                return Err(Failure::not_implemented("ClickHouse has no schemas"));
            }
            options::INGEST_TEMPORARY => self.target.temporary = options::boolean(key, value)?,
            options::INCREMENTAL | options::BIND_BY_NAME => {
                if options::boolean(key, value)? {
                    return Err(Failure::not_implemented(format!("option `{key}` is not supported")));
                }
            }
            _ => return Err(Failure::not_implemented(format!("unknown statement option `{key}`"))),
        }
        Ok(())
    }

    pub fn get_option(&self, key: &str) -> Result<String, Failure> {
        match key {
            options::INGEST_TARGET_TABLE => self.ingesting.then(|| self.target.table.clone()),
            options::INGEST_TARGET_CATALOG => self.target.catalog.clone(),
            options::INGEST_TEMPORARY => Some(self.target.temporary.to_string()),
            options::INCREMENTAL | options::BIND_BY_NAME => Some(options::DISABLED.to_string()),
            _ => None,
        }
        .ok_or_else(|| Failure::not_found(format!("option `{key}` has no value to read")))
    }

    pub fn prepare(&self) -> Result<(), Failure> {
        if self.sql.is_none() && !self.ingesting {
            return Err(Failure::invalid_state("no SQL to prepare (AdbcStatementSetSqlQuery)"));
        }
        Ok(())
    }

    pub fn bind(&mut self, bound: Bound) {
        self.bound = Some(bound);
    }

    fn sql(&self) -> Result<&str, Failure> {
        self.sql
            .as_deref()
            .ok_or_else(|| Failure::invalid_state("no SQL to run (AdbcStatementSetSqlQuery)"))
    }

    /// Runs the statement: its result into `out` when given; the rows affected, -1 when unknown.
    pub fn execute(&mut self, out: Option<&mut ArrowArrayStream>) -> Result<i64, Failure> {
        let bound = self.bound.take();
        let client = Arc::clone(&self.client);
        if self.ingesting {
            let bound = bound.ok_or_else(|| Failure::invalid_state("ingest needs bound data (AdbcStatementBind)"))?;
            let rows = ingest::ingest(&client, &self.target, bound)?;
            if let Some(out) = out {
                export_empty(out);
            }
            return Ok(count(Some(rows)));
        }
        let sql = self.sql()?.to_string();
        match (bound, out) {
            (None, Some(out)) => {
                let result = client.query(&sql, &[], StatementOptions::default())?;
                export_stream(Box::new(result), StringsAs::Utf8, out);
                Ok(-1)
            }
            (None, None) => Ok(count(client.execute(&sql, &[], StatementOptions::default())?)),
            (Some(bound), out) => match insert_prefix(&sql) {
                Some(insert) => {
                    let mut stream = bound.into_stream();
                    // SAFETY: a live stream the statement owns; insert_arrow releases it.
                    let rows = unsafe { client.insert_arrow(insert, StatementOptions::default(), &mut stream) }?;
                    if let Some(out) = out {
                        export_empty(out);
                    }
                    Ok(count(Some(rows)))
                }
                None => execute_per_row(&client, &sql, bound, out),
            },
        }
    }

    /// The schema of the statement's result, for a query that reads (SELECT, WITH).
    pub fn execute_schema(&self) -> Result<SchemaNode, Failure> {
        let sql = self.sql()?;
        if kind(sql) != Kind::Select {
            return Err(Failure::not_implemented(
                "the result schema is known before running only for SELECT queries",
            ));
        }
        result_schema(&self.client, &format!("({sql})"))
    }

    /// The statement's `?` placeholders, named by position; their types are not known (null).
    pub fn parameter_schema(&self) -> Result<SchemaNode, Failure> {
        let count = question_marks(self.sql()?).len();
        let parameters = (0..count)
            .map(|index| field("n", &index.to_string(), true, Vec::new()))
            .collect();
        Ok(field("+s", "", false, parameters))
    }
}

fn count(rows: Option<u64>) -> i64 {
    rows.and_then(|rows| i64::try_from(rows).ok()).unwrap_or(-1)
}

/// A result without columns or rows, for a caller that asked for one where a statement returns none.
fn export_empty(out: &mut ArrowArrayStream) {
    export_batch(field("+s", "", false, Vec::new()), structure(0, Vec::new()), out);
}

/// Runs `sql` once per bound row, the row's values in its placeholders; the last row's result goes
/// into `out` when asked for.
fn execute_per_row(
    client: &Client,
    sql: &str,
    bound: Bound,
    out: Option<&mut ArrowArrayStream>,
) -> Result<i64, Failure> {
    let wants_result = out.is_some();
    let mut last: Option<QueryResult> = None;
    let mut written: Option<u64> = Some(0);
    let mut stream = bound.into_stream();
    // SAFETY: a live stream the statement owns; read_batches releases it.
    unsafe {
        read_batches(&mut stream, |batch| {
            for row in 0..batch.rows() {
                let values = (0..batch.columns())
                    .map(|column| batch.value(column, row))
                    .collect::<Result<Vec<Value<'_>>, _>>()
                    .map_err(|error| CError::new("22018", error))?;
                if wants_result {
                    // The earlier row's result is closed before the next query starts.
                    last = None;
                    last = Some(client.query(sql, &values, StatementOptions::default())?);
                } else {
                    let rows = client.execute(sql, &values, StatementOptions::default())?;
                    written = written.zip(rows).map(|(sum, rows)| sum + rows);
                }
            }
            Ok::<(), CError>(())
        })
    }?;
    match (out, last) {
        (Some(out), Some(result)) => {
            export_stream(Box::new(result), StringsAs::Utf8, out);
            Ok(-1)
        }
        (Some(out), None) => {
            export_empty(out);
            Ok(0)
        }
        (None, _) => Ok(count(written)),
    }
}

/// `INSERT INTO t [(columns)] VALUES` of an INSERT whose VALUES are nothing or one row of `?`.
fn insert_prefix(sql: &str) -> Option<&str> {
    if !is_insert(sql) {
        return None;
    }
    let lower = sql.to_ascii_lowercase();
    let at = lower.rfind("values")?;
    let end = at + "values".len();
    let word_before = sql[..at].ends_with(|c: char| c.is_whitespace() || c == ')');
    let rest = sql[end..].trim().trim_end_matches(';').trim_end();
    let placeholders = rest.is_empty()
        || rest
            .strip_prefix('(')
            .and_then(|inner| inner.strip_suffix(')'))
            .is_some_and(|inner| inner.split(',').all(|item| item.trim() == "?"));
    (word_before && placeholders).then(|| &sql[..end])
}

#[cfg(test)]
mod tests {
    use super::insert_prefix;

    #[test]
    fn inserts_of_placeholders_lose_their_values_row() {
        assert_eq!(
            insert_prefix("INSERT INTO t (a, b) VALUES (?, ?)"),
            Some("INSERT INTO t (a, b) VALUES")
        );
        assert_eq!(insert_prefix("insert into t values"), Some("insert into t values"));
        assert_eq!(insert_prefix("INSERT INTO t VALUES (?, 1)"), None);
        assert_eq!(insert_prefix("SELECT ? AS values"), None);
        assert_eq!(insert_prefix("INSERT INTO t SELECT * FROM u"), None);
    }
}
