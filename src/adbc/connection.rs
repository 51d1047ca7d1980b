//! An ADBC connection: options set before `AdbcConnectionInit` (the driver's keys, over the
//! database's), a native connection after it, and the connection-level options ADBC defines.
//! ClickHouse has no transactions: autocommit is the only mode, and turning it off is NOT_IMPLEMENTED.

use std::sync::Arc;

use super::database::Database;
use super::error::Failure;
use super::options::{self, ConnectOptions};
use crate::arrow::export::SchemaNode;
use crate::arrow::mapping::block_schema;
use crate::arrow::{BlockSource, StringsAs};
use crate::capi::{Client, StatementOptions};
use crate::config::connection_string::ConnectionString;
use crate::native::Block;
use crate::native::sql::quote_identifier;

#[derive(Default)]
pub struct Connection {
    options: ConnectOptions,
    client: Option<Arc<Client>>,
}

impl Connection {
    pub fn init(&mut self, database: &Database) -> Result<(), Failure> {
        if self.client.is_some() {
            return Err(Failure::invalid_state("the connection is already initialized"));
        }
        if !database.is_initialized() {
            return Err(Failure::invalid_state(
                "the database is not initialized (AdbcDatabaseInit)",
            ));
        }
        let pairs = database.options.pairs_over(&self.options);
        let text = ConnectionString::from(pairs).to_connection_string();
        self.client = Some(Arc::new(Client::connect(&text)?));
        Ok(())
    }

    /// The native client, once initialized.
    pub fn client(&self) -> Result<&Arc<Client>, Failure> {
        self.client
            .as_ref()
            .ok_or_else(|| Failure::invalid_state("the connection is not initialized (AdbcConnectionInit)"))
    }

    pub fn set_option(&mut self, key: &str, value: &str) -> Result<(), Failure> {
        match key {
            options::AUTOCOMMIT => match options::boolean(key, value)? {
                true => Ok(()),
                false => Err(Failure::not_implemented(
                    "ClickHouse has no transactions: autocommit is the only mode",
                )),
            },
            options::READ_ONLY => match options::boolean(key, value)? {
                false => Ok(()),
                true => Err(Failure::not_implemented("read-only connections are not supported")),
            },
            options::ISOLATION_LEVEL => Err(Failure::not_implemented(
                "ClickHouse has no transactions, so no isolation levels",
            )),
            options::CURRENT_CATALOG => match &self.client {
                Some(client) => {
                    client.execute(
                        &format!("USE {}", quote_identifier(value)),
                        &[],
                        StatementOptions::default(),
                    )?;
                    Ok(())
                }
                None => self.options.set("Database", value),
            },
            options::CURRENT_DB_SCHEMA => Err(Failure::not_implemented("ClickHouse has no schemas")),
            _ if self.client.is_some() => Err(Failure::invalid_state(format!(
                "option `{key}` must be set before AdbcConnectionInit"
            ))),
            _ => self.options.set(key, value),
        }
    }

    pub fn get_option(&self, key: &str) -> Result<String, Failure> {
        match key {
            options::AUTOCOMMIT => Ok(options::ENABLED.to_string()),
            options::READ_ONLY => Ok(options::DISABLED.to_string()),
            options::CURRENT_CATALOG => self.current_database(),
            options::CURRENT_DB_SCHEMA => Err(Failure::not_found("ClickHouse has no schemas")),
            _ => self
                .options
                .get(key)
                .ok_or_else(|| Failure::not_found(format!("option `{key}` has no value to read"))),
        }
    }

    /// Commit and rollback: there is never a transaction to end.
    pub fn transaction_end(&self) -> Result<(), Failure> {
        self.client()?;
        Err(Failure::invalid_state(
            "autocommit is on: there is no transaction to end",
        ))
    }

    pub fn current_database(&self) -> Result<String, Failure> {
        let rows = rows_of(self.client()?, "SELECT currentDatabase()")?;
        Ok(rows.into_iter().flatten().next().unwrap_or_default())
    }

    /// The Arrow schema of a table (`catalog` NULL: the current database).
    pub fn table_schema(
        &self,
        catalog: Option<&str>,
        db_schema: Option<&str>,
        table: &str,
    ) -> Result<SchemaNode, Failure> {
        if db_schema.is_some_and(|schema| !schema.is_empty()) {
            return Err(Failure::not_found("ClickHouse has no schemas"));
        }
        let name = match catalog.filter(|catalog| !catalog.is_empty()) {
            Some(catalog) => format!("{}.{}", quote_identifier(catalog), quote_identifier(table)),
            None => quote_identifier(table),
        };
        result_schema(self.client()?, &name)
    }
}

/// The Arrow schema of `SELECT * FROM source` (a table, or a query in parentheses), read from the
/// header of a result with no rows.
pub fn result_schema(client: &Client, source: &str) -> Result<SchemaNode, Failure> {
    let mut result = client.query(
        &format!("SELECT * FROM {source} LIMIT 0"),
        &[],
        StatementOptions::default(),
    )?;
    let schema = block_schema(result.header(), StringsAs::Utf8);
    let mut block = Block::default();
    while result.next_block(&mut block)? {}
    Ok(schema)
}

/// Every row of a query's result, each value as the server prints it.
pub fn rows_of(client: &Client, sql: &str) -> Result<Vec<Vec<String>>, Failure> {
    let mut result = client.query(sql, &[], StatementOptions::default())?;
    let mut rows = Vec::new();
    let mut block = Block::default();
    while result.next_block(&mut block)? {
        rows.extend(block.text_rows());
    }
    Ok(rows)
}
