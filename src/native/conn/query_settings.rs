//! A query's own settings. From revision 54429 they travel with the query as text, but a server
//! that refuses a setting there (an unknown name) gives up the whole connection; so each setting is
//! first checked once per connection with a query of its own (`SELECT 1 SETTINGS name = 'value'`,
//! the name quoted as an identifier), whose refusal leaves the connection usable and names the
//! setting. Below 54429 the Query packet carries settings only in each setting's binary form, which
//! a client can only guess (a wrong guess derails the stream): there they are set for the session
//! with `SET` before the query, after reading their values from `system.settings`, and set back to
//! those values before the next statement.

use super::{Connection, QueryOptions, Setting};
use crate::native::error::Result;
use crate::native::revision;
use crate::native::sql;

/// Checked settings remembered per connection; beyond this many the memory starts over.
const MAX_CHECKED_SETTINGS: usize = 1024;

/// A setting to set back: its name and the text `system.settings` showed for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SavedSetting {
    name: String,
    value: String,
}

impl Connection {
    /// The options to send with a query: from revision 54429 unchanged, once the server has accepted
    /// each setting; below it, the settings are first set for the session and left out of the
    /// returned options. A rejected setting is [`crate::native::Error::Setting`] naming it. Settings
    /// an earlier query set for the session are set back first.
    pub(super) fn options_for_query(&mut self, options: &QueryOptions) -> Result<QueryOptions> {
        self.restore_session_settings()?;
        if options.settings.is_empty() {
            return Ok(options.clone());
        }
        if self.revision >= revision::SETTINGS_SERIALIZED_AS_STRINGS {
            self.check_settings(&options.settings)?;
            return Ok(options.clone());
        }
        let saved = self.current_values(options)?;
        // Kept aside until the end: each SET is a statement, which would set back the ones before.
        let mut changed = Vec::new();
        for setting in &options.settings {
            let statement = format!(
                "SET {} = {}",
                sql::quote_identifier(&setting.name),
                sql::literal_for_old_servers(&setting.value)
            );
            if let Err(error) = self.execute(&statement) {
                self.saved_settings = changed;
                return Err(error.for_settings(vec![setting.name.clone()]));
            }
            changed.extend(saved.iter().find(|saved| saved.name == setting.name).cloned());
        }
        self.saved_settings = changed;
        Ok(QueryOptions {
            settings: Vec::new(),
            ..options.clone()
        })
    }

    /// Has the server check each setting not checked before on this connection.
    fn check_settings(&mut self, settings: &[Setting]) -> Result<()> {
        for setting in settings {
            let checked = (setting.name.clone(), setting.value.clone());
            if self.checked_settings.contains(&checked) {
                continue;
            }
            let probe = format!(
                "SELECT 1 SETTINGS {} = {}",
                sql::quote_identifier(&setting.name),
                sql::quote_string(&setting.value)
            );
            self.execute(&probe)
                .map_err(|error| error.for_settings(vec![setting.name.clone()]))?;
            if self.checked_settings.len() >= MAX_CHECKED_SETTINGS {
                self.checked_settings.clear();
            }
            self.checked_settings.insert(checked);
        }
        Ok(())
    }

    /// Sets back what [`Connection::options_for_query`] changed for the session.
    pub(super) fn restore_session_settings(&mut self) -> Result<()> {
        for saved in std::mem::take(&mut self.saved_settings) {
            let statement = format!(
                "SET {} = {}",
                sql::quote_identifier(&saved.name),
                sql::literal_for_old_servers(&saved.value)
            );
            self.execute(&statement)
                .map_err(|error| error.for_settings(vec![saved.name.clone()]))?;
        }
        Ok(())
    }

    /// The session's values of the settings `options` names (names the server does not know are
    /// missing; their `SET` reports them).
    fn current_values(&mut self, options: &QueryOptions) -> Result<Vec<SavedSetting>> {
        let names: Vec<String> = options
            .settings
            .iter()
            .map(|setting| sql::quote_string(&setting.name))
            .collect();
        let query = format!(
            "SELECT name, value FROM system.settings WHERE name IN ({})",
            names.join(", ")
        );
        let mut saved = Vec::new();
        if let Some(header) = self.query(&query, &QueryOptions::default())? {
            let mut block = header;
            while self.next_block(&mut block)? {
                if let [name, value] = &block.columns[..] {
                    saved.extend((0..block.rows()).map(|row| SavedSetting {
                        name: name.value(row).to_string(),
                        value: value.value(row).to_string(),
                    }));
                }
            }
        }
        Ok(saved)
    }
}
