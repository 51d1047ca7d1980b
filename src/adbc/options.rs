//! ADBC option keys, and database options turned into the driver's connection keys.
//!
//! `uri` takes a `bytehouse://` or `clickhouse://` URL in the forms [`crate::config::url`] reads,
//! `username` and `password` are `UID` and `PWD`, and every connection key of the driver is an option
//! by its own name (`Region`, `api_key`, `secure`, `virtual_warehouse`, `setting.max_threads`, ...;
//! keys ignore case and `_`). A key the driver does not know is NOT_IMPLEMENTED, as ADBC asks.

use super::error::Failure;
use crate::config::keys::{Keys, normalize_key};
use crate::config::url;

pub const URI: &str = "uri";
pub const USERNAME: &str = "username";
pub const PASSWORD: &str = "password";

pub const AUTOCOMMIT: &str = "adbc.connection.autocommit";
pub const READ_ONLY: &str = "adbc.connection.readonly";
pub const CURRENT_CATALOG: &str = "adbc.connection.catalog";
pub const CURRENT_DB_SCHEMA: &str = "adbc.connection.db_schema";
pub const ISOLATION_LEVEL: &str = "adbc.connection.transaction.isolation_level";

pub const INGEST_TARGET_TABLE: &str = "adbc.ingest.target_table";
pub const INGEST_MODE: &str = "adbc.ingest.mode";
pub const INGEST_TARGET_CATALOG: &str = "adbc.ingest.target_catalog";
pub const INGEST_TARGET_DB_SCHEMA: &str = "adbc.ingest.target_db_schema";
pub const INGEST_TEMPORARY: &str = "adbc.ingest.temporary";
pub const INCREMENTAL: &str = "adbc.statement.exec.incremental";
pub const BIND_BY_NAME: &str = "adbc.statement.bind_by_name";

pub const ENABLED: &str = "true";
pub const DISABLED: &str = "false";

/// A boolean option's value; anything but `true` and `false` is INVALID_ARGUMENT.
pub fn boolean(key: &str, value: &str) -> Result<bool, Failure> {
    match value {
        ENABLED => Ok(true),
        DISABLED => Ok(false),
        _ => Err(Failure::invalid_argument(format!(
            "option `{key}` takes `true` or `false`, not `{value}`"
        ))),
    }
}

/// Options that connect: the driver's keys, given in any order; a key set again replaces its value.
#[derive(Debug, Default, Clone)]
pub struct ConnectOptions {
    /// The pairs of `uri`, which explicit keys override.
    uri: Vec<(String, String)>,
    uri_text: Option<String>,
    /// Explicit keys, each once.
    keys: Vec<(String, String)>,
}

impl ConnectOptions {
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), Failure> {
        if key == URI {
            self.uri = url::parse(value)?;
            self.uri_text = Some(value.to_string());
            return Ok(());
        }
        let key = match key {
            USERNAME => "UID",
            PASSWORD => "PWD",
            other => other,
        };
        let pair = (key.to_string(), value.to_string());
        let keys = Keys::collect(std::iter::once(&pair))?;
        if let Some(unknown) = keys.unknown().first() {
            return Err(Failure::not_implemented(format!("unknown option: {unknown}")));
        }
        let normalized = normalize_key(key);
        self.keys.retain(|(existing, _)| normalize_key(existing) != normalized);
        self.keys.push(pair);
        Ok(())
    }

    /// A value set before, as given; secrets are never read back.
    pub fn get(&self, key: &str) -> Option<String> {
        if key == URI {
            return self.uri_text.clone();
        }
        let key = if key == USERNAME { "UID" } else { key };
        if crate::config::keys::is_secret_key(key) || key == PASSWORD {
            return None;
        }
        let normalized = normalize_key(key);
        self.keys
            .iter()
            .find(|(existing, _)| normalize_key(existing) == normalized)
            .map(|(_, value)| value.clone())
    }

    /// The pairs in precedence order (the first occurrence of a key wins): `over`'s keys, then these
    /// explicit keys, then the URI's.
    pub fn pairs_over(&self, over: &ConnectOptions) -> Vec<(String, String)> {
        over.keys
            .iter()
            .chain(&self.keys)
            .chain(&over.uri)
            .chain(&self.uri)
            .cloned()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_keys_win_over_the_uri_and_unknown_keys_are_not_implemented() {
        let mut options = ConnectOptions::default();
        options
            .set(URI, "clickhouse://ann:pw@h:9001/db?setting.max_threads=2")
            .unwrap();
        options.set(USERNAME, "bob").unwrap();
        options.set("Compression", "1").unwrap();
        options.set("compression", "0").unwrap();
        let pairs = options.pairs_over(&ConnectOptions::default());
        assert_eq!(pairs[0], ("UID".to_string(), "bob".to_string()));
        assert_eq!(pairs[1], ("compression".to_string(), "0".to_string()));
        assert!(pairs.contains(&("Host".to_string(), "h:9001".to_string())));
        assert_eq!(options.get(USERNAME).as_deref(), Some("bob"));
        assert_eq!(options.get(PASSWORD), None);
        let failure = options.set("no_such_key", "1").unwrap_err();
        assert_eq!(failure.status, super::super::error::status::NOT_IMPLEMENTED);
        assert_eq!(
            options.set(URI, "mysql://h").unwrap_err().status,
            super::super::error::status::INVALID_ARGUMENT
        );
    }
}
