//! The connection keys: which field each sets, the first value given for each, and what becomes of
//! keys this driver does not know.
//!
//! The first occurrence of a key wins, as the ODBC specification says for connection strings; aliases
//! (`Host`/`Server`) are one key. [`super::Config::from_pairs`] passes the connection string's pairs
//! before the data source's, so the string overrides the DSN. An empty value is an explicit default:
//! it wins like any other value and leaves the field unset.
//!
//! An unknown key is ignored and reported (ODBC's 01S00), because tools add keys of their own
//! (`Trusted_Connection`, `Description`, ...). Ignoring it would be unsafe when it looks like a TLS or
//! password key: a misspelt `Secure` would silently connect in plain text. Those are errors that name
//! the nearest known key.

use std::collections::BTreeMap;

use super::ConfigError;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Region,
    Host,
    Port,
    Account,
    User,
    Password,
    ApiKey,
    Database,
    Secure,
    SkipVerification,
    CaFile,
    ConnectTimeout,
    QueryTimeout,
    SendReceiveTimeout,
    Compression,
    VirtualWarehouse,
    Role,
    ClientName,
    ProtocolRevision,
    LogFile,
    StringMaxLength,
    ResultBufferLimit,
    HostOrder,
    ConnectRetries,
    RetryDelay,
}

/// Every key by its documented spelling, with the field it sets (`None`: accepted and ignored).
const KEYS: &[(&str, Option<Field>)] = &[
    ("Driver", None),
    ("DSN", None),
    ("Description", None),
    ("Region", Some(Field::Region)),
    ("Host", Some(Field::Host)),
    ("Server", Some(Field::Host)),
    ("Port", Some(Field::Port)),
    ("Account", Some(Field::Account)),
    ("UID", Some(Field::User)),
    ("User", Some(Field::User)),
    ("Username", Some(Field::User)),
    ("PWD", Some(Field::Password)),
    ("Password", Some(Field::Password)),
    ("ApiKey", Some(Field::ApiKey)),
    ("Database", Some(Field::Database)),
    ("Secure", Some(Field::Secure)),
    ("SkipVerification", Some(Field::SkipVerification)),
    ("CAFile", Some(Field::CaFile)),
    ("ConnectTimeout", Some(Field::ConnectTimeout)),
    ("QueryTimeout", Some(Field::QueryTimeout)),
    ("SendReceiveTimeout", Some(Field::SendReceiveTimeout)),
    ("Compression", Some(Field::Compression)),
    ("VirtualWarehouse", Some(Field::VirtualWarehouse)),
    ("Role", Some(Field::Role)),
    ("ActiveRole", Some(Field::Role)),
    ("ClientName", Some(Field::ClientName)),
    ("ProtocolRevision", Some(Field::ProtocolRevision)),
    ("LogFile", Some(Field::LogFile)),
    ("StringMaxLength", Some(Field::StringMaxLength)),
    ("ResultBufferLimit", Some(Field::ResultBufferLimit)),
    ("HostOrder", Some(Field::HostOrder)),
    ("ConnectRetries", Some(Field::ConnectRetries)),
    ("RetryDelayMs", Some(Field::RetryDelay)),
];

/// Keys that decide whether the connection is encrypted or how it logs in.
const GUARDED_FIELDS: &[Field] = &[
    Field::Secure,
    Field::SkipVerification,
    Field::CaFile,
    Field::Password,
    Field::ApiKey,
];

/// Words that mark an unknown key as being about TLS or credentials (in keys compared loosely).
const GUARDED_WORDS: &[&str] = &[
    "ssl", "tls", "cert", "verif", "pass", "pwd", "secret", "token", "apikey",
];

/// Compares keys the way the configuration does: ignoring case and `_`.
pub fn normalize_key(key: &str) -> String {
    key.chars().filter(|&c| c != '_').flat_map(char::to_lowercase).collect()
}

/// Keys whose values are passwords or API keys.
pub fn is_secret_key(key: &str) -> bool {
    matches!(
        field_of(&normalize_key(key)),
        Some(Some(Field::Password | Field::ApiKey))
    )
}

/// The field a normalized key sets: `Some(None)` for keys accepted and ignored, `None` for unknown keys.
fn field_of(normalized_key: &str) -> Option<Option<Field>> {
    KEYS.iter()
        .find(|(name, _)| normalize_key(name) == normalized_key)
        .map(|&(_, field)| field)
}

/// The setting a `setting.`/`settings.` key names, if it has that prefix.
fn setting_name(key: &str) -> Option<&str> {
    ["setting.", "settings."].iter().find_map(|prefix| {
        let head = key.get(..prefix.len())?;
        head.eq_ignore_ascii_case(prefix).then(|| &key[prefix.len()..])
    })
}

/// A value with the key as it was spelled, for messages.
pub struct Given {
    pub key: String,
    pub value: String,
}

/// The first value given for each field and each server setting, before defaults and precedence apply.
#[derive(Default)]
pub struct Keys {
    /// `None`: given with an empty value, so the default applies.
    fields: BTreeMap<Field, Option<Given>>,
    /// Server settings in the order first given; an empty value keeps the server's default.
    settings: Vec<(String, String)>,
    /// Unknown keys, as spelled, each with the nearest known key if one is close.
    unknown: Vec<String>,
}

impl Keys {
    /// Collects pairs in order of precedence (the first occurrence of a key wins).
    pub fn collect<'a>(pairs: impl Iterator<Item = &'a (String, String)>) -> Result<Keys, ConfigError> {
        let mut keys = Keys::default();
        for (key, value) in pairs {
            if let Some(name) = setting_name(key) {
                let name = name.trim();
                if name.is_empty() {
                    return Err(ConfigError::new(format!("`{key}` names no server setting")));
                }
                if !keys.settings.iter().any(|(known, _)| known == name) {
                    keys.settings.push((name.to_string(), value.to_string()));
                }
                continue;
            }
            match field_of(&normalize_key(key)) {
                Some(Some(field)) => keys.set(field, key, value),
                Some(None) => {}
                None => keys.unknown.push(describe_unknown(key)?),
            }
        }
        Ok(keys)
    }

    fn set(&mut self, field: Field, key: &str, value: &str) {
        // Kept as given: a password in braces may begin or end with spaces.
        let given = (!value.trim().is_empty()).then(|| Given {
            key: key.to_string(),
            value: value.to_string(),
        });
        self.fields.entry(field).or_insert(given);
    }

    pub fn get(&self, field: Field) -> Option<&Given> {
        self.fields.get(&field).and_then(Option::as_ref)
    }

    pub fn text(&self, field: Field) -> Option<String> {
        self.get(field).map(|given| given.value.clone())
    }

    /// The server settings given a value, in order.
    pub fn settings(&self) -> impl Iterator<Item = (&str, &str)> {
        self.settings
            .iter()
            .filter(|(_, value)| !value.trim().is_empty())
            .map(|(name, value)| (name.as_str(), value.as_str()))
    }

    /// Descriptions of the unknown keys that were ignored.
    pub fn unknown(&self) -> &[String] {
        &self.unknown
    }

    /// Parses a non-secret field; the error names the key and the value.
    pub fn parse<T>(
        &self,
        field: Field,
        expected: &str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Result<Option<T>, ConfigError> {
        let Some(given) = self.get(field) else { return Ok(None) };
        parse(given.value.trim())
            .map(Some)
            .ok_or_else(|| ConfigError::new(format!("`{}` must be {expected}, not `{}`", given.key, given.value)))
    }

    pub fn bool(&self, field: Field) -> Result<Option<bool>, ConfigError> {
        self.parse(
            field,
            "a boolean (1/0, true/false, yes/no, on/off)",
            |value| match value.to_ascii_lowercase().as_str() {
                "1" | "true" | "yes" | "on" => Some(true),
                "0" | "false" | "no" | "off" => Some(false),
                _ => None,
            },
        )
    }
}

/// What the 01S00 warning says of an unknown key; an error when the key looks like a TLS or
/// credential key, since ignoring it could connect unencrypted or as someone else.
fn describe_unknown(key: &str) -> Result<String, ConfigError> {
    let loose = loose_key(key);
    let nearest = KEYS
        .iter()
        .filter(|(_, field)| field.is_some())
        .map(|&(name, field)| (edit_distance(&loose, &loose_key(name)), name, field))
        .min_by_key(|&(distance, ..)| distance)
        .filter(|&(distance, ..)| distance <= 2);
    let guarded_nearest = nearest.filter(|(_, _, field)| field.is_some_and(|field| GUARDED_FIELDS.contains(&field)));
    if guarded_nearest.is_some() || GUARDED_WORDS.iter().any(|word| loose.contains(word)) {
        let suggestion = match guarded_nearest {
            Some((_, name, _)) => format!("did you mean `{name}`?"),
            None => "TLS is set with `Secure`, `SkipVerification` and `CAFile`; credentials with `PWD` or `ApiKey`"
                .to_string(),
        };
        return Err(ConfigError::new(format!(
            "unknown connection key `{key}`, not ignored because it looks like a TLS or credential key: {suggestion}"
        )));
    }
    Ok(match nearest {
        Some((_, name, _)) => format!("`{key}` (did you mean `{name}`?)"),
        None => format!("`{key}`"),
    })
}

/// A key lower-cased without `_`, `-`, `.` and spaces, for finding what it was meant to be.
fn loose_key(key: &str) -> String {
    key.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Levenshtein distance over bytes (keys compared here are ASCII).
fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, &a_byte) in a.as_bytes().iter().enumerate() {
        current[0] = i + 1;
        for (j, &b_byte) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(a_byte != b_byte);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn keys(list: &[(&str, &str)]) -> Result<Keys, ConfigError> {
        Keys::collect(pairs(list).iter())
    }

    #[test]
    fn the_first_occurrence_wins_across_aliases_and_empty_values() {
        let keys = keys(&[("Server", "a"), ("HOST", "b"), ("Database", ""), ("Database", "db")]).unwrap();
        assert_eq!(keys.text(Field::Host).as_deref(), Some("a"));
        assert_eq!(keys.get(Field::Host).unwrap().key, "Server");
        assert_eq!(keys.text(Field::Database), None);
        let keys = self::keys(&[
            ("setting.a", "1"),
            ("settings.a", "2"),
            ("setting.b", ""),
            ("setting.b", "3"),
        ])
        .unwrap();
        assert_eq!(keys.settings().collect::<Vec<_>>(), [("a", "1")]);
    }

    #[test]
    fn unknown_keys_are_kept_with_the_nearest_known_key() {
        let keys = keys(&[("Trusted_Connection", "Yes"), ("Prot", "9000"), ("Host", "h")]).unwrap();
        assert_eq!(
            keys.unknown(),
            ["`Trusted_Connection`", "`Prot` (did you mean `Port`?)"]
        );
    }

    #[test]
    fn unknown_keys_that_look_like_tls_or_credentials_are_errors() {
        for (key, nearest) in [
            ("Secur", "`Secure`"),
            ("SECURE_", "never"),
            ("Pasword", "`Password`"),
            ("api-key", "`ApiKey`"),
            ("CA_Fil", "`CAFile`"),
            ("SSLMode", "`Secure`, `SkipVerification`"),
            ("verify", "`Secure`, `SkipVerification`"),
            ("Token", "`PWD` or `ApiKey`"),
        ] {
            match keys(&[(key, "x")]) {
                Ok(keys) => assert!(nearest == "never" && keys.unknown().is_empty(), "{key}"),
                Err(error) => {
                    let message = error.to_string();
                    assert!(
                        message.starts_with(&format!("unknown connection key `{key}`")),
                        "{message}"
                    );
                    assert!(message.contains(nearest), "{message}");
                    assert!(!message.contains("=x") && !message.contains("`x`"), "{message}");
                }
            }
        }
    }

    #[test]
    fn secret_keys_and_distances() {
        assert!(is_secret_key("pwd") && is_secret_key("API_KEY") && is_secret_key("Password"));
        assert!(!is_secret_key("UID"));
        assert_eq!(edit_distance("prot", "port"), 2);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("secur", "secure"), 1);
    }
}
