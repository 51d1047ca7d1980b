//! An ADBC database: the connection options every connection made from it shares. Options are set
//! before `AdbcDatabaseInit`, which checks them; setting one afterwards is INVALID_STATE.

use super::error::Failure;
use super::options::ConnectOptions;
use crate::config::Config;

#[derive(Debug, Default)]
pub struct Database {
    pub options: ConnectOptions,
    initialized: bool,
}

impl Database {
    pub fn set_option(&mut self, key: &str, value: &str) -> Result<(), Failure> {
        if self.initialized {
            return Err(Failure::invalid_state(format!(
                "option `{key}` must be set before AdbcDatabaseInit"
            )));
        }
        self.options.set(key, value)
    }

    pub fn get_option(&self, key: &str) -> Result<String, Failure> {
        self.options
            .get(key)
            .ok_or_else(|| Failure::not_found(format!("option `{key}` has no value to read")))
    }

    /// Checks the options as a connection would read them (a DSN is read when connecting).
    pub fn init(&mut self) -> Result<(), Failure> {
        if self.initialized {
            return Err(Failure::invalid_state("the database is already initialized"));
        }
        let pairs = self.options.pairs_over(&ConnectOptions::default());
        let names_dsn = pairs.iter().any(|(key, _)| key.eq_ignore_ascii_case("dsn"));
        if !names_dsn {
            Config::from_pairs(&[], &pairs)?;
        }
        self.initialized = true;
        Ok(())
    }

    pub fn is_initialized(&self) -> bool {
        self.initialized
    }
}
