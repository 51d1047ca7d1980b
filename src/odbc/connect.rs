//! Opening a connection from DSN and connection-string keys.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::diag::Diagnostic;
use super::dsn::dsn_pairs;
use super::handles::{Dbc, Session};
use super::log::DriverLog;
use crate::config::Config;
use crate::native::Error;
use crate::native::sql::quote_identifier;

impl Dbc {
    /// Connects with the keys of a connection string; a `DSN` key brings in that data source's keys,
    /// which the string's own keys override. Returns the warnings to report with success (01S00 for
    /// each key that was ignored).
    pub fn connect(&self, string_pairs: &[(String, String)]) -> Result<Vec<Diagnostic>, Diagnostic> {
        if self.is_connected() {
            return Err(Diagnostic::new("08002", "connection already open"));
        }
        let dsn = string_pairs
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case("dsn"))
            .map(|(_, value)| value);
        let dsn_pairs = match dsn {
            Some(name) if !name.is_empty() => dsn_pairs(name)?,
            _ => Vec::new(),
        };
        let mut config =
            Config::from_pairs(&dsn_pairs, string_pairs).map_err(|error| Diagnostic::new("HY000", error))?;
        if let Some(catalog) = self.catalog.lock().clone() {
            config.database = catalog;
        }
        let mut options = config.connect_options();
        let login_timeout = self.login_timeout.load(Ordering::Acquire);
        if login_timeout > 0 {
            options.connect_timeout = Duration::from_secs(login_timeout);
        }
        let log = config
            .log_file
            .as_deref()
            .and_then(|path| DriverLog::open(path, config.password.expose()));
        let started = Instant::now();
        let connection = config.failover().connect(&options);
        if let Some(log) = &log {
            let outcome = match &connection {
                Ok(connection) => {
                    format!(
                        "server {} revision {}",
                        connection.server_info().version(),
                        connection.revision()
                    )
                }
                Err(error) => format!("failed: {error}"),
            };
            let hosts: Vec<String> = config.hosts.iter().map(ToString::to_string).collect();
            let event = format!("connect {} as {}: {outcome}", hosts.join(","), options.user);
            log.write(&event, started.elapsed());
        }
        let connection = connection.map_err(|error| {
            let diagnostic = Diagnostic::from(&error);
            match &error {
                Error::Setting { names, .. } => {
                    let keys: Vec<String> = names
                        .iter()
                        .map(|name| format!("`{}`", config.key_of_setting(name)))
                        .collect();
                    Diagnostic {
                        message: format!("{} (from connection key {})", diagnostic.message, keys.join(", ")),
                        ..diagnostic
                    }
                }
                _ => diagnostic,
            }
        })?;
        *self.cancel.lock() = Some(connection.cancel_handle());
        let query_timeout = config.query_timeout.map_or(0, |timeout| timeout.as_secs());
        self.query_timeout.store(query_timeout, Ordering::Release);
        *self.session.lock() = Some(Session {
            connection,
            result_owner: None,
            parked: Default::default(),
            result_buffer_limit: config.result_buffer_limit,
            log,
            string_size: config.string_max_length,
            system_tables_columns: None,
            database: Some(config.database.clone()).filter(|database| !database.is_empty()),
        });
        Ok(config
            .unknown_keys
            .iter()
            .map(|key| Diagnostic::new("01S00", format!("unknown connection key {key} ignored")))
            .collect())
    }

    /// SQL_ATTR_CURRENT_CATALOG: switches the connection to database `name` (`USE`), or names the
    /// database to connect to when not connected yet.
    pub fn set_current_catalog(&self, name: &str) -> Result<(), Diagnostic> {
        let mut session = self.session.lock();
        let Some(session) = session.as_mut() else {
            *self.catalog.lock() = Some(name.to_string());
            return Ok(());
        };
        session.rows_of(&format!("USE {}", quote_identifier(name)))?;
        session.database = Some(name.to_string());
        Ok(())
    }

    /// SQL_ATTR_CURRENT_CATALOG: the connection's current database.
    pub fn current_catalog(&self) -> Result<String, Diagnostic> {
        let mut session = self.session.lock();
        let Some(session) = session.as_mut() else {
            return Ok(self.catalog.lock().clone().unwrap_or_default());
        };
        session.current_database()
    }

    pub fn disconnect(&self) {
        *self.cancel.lock() = None;
        self.session.lock().take();
    }
}
