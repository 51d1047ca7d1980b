//! ODBC connection strings, `key=value;key={value}`, as SQLDriverConnect receives and returns them.
//!
//! - Pairs are separated by `;`; empty segments (`;;`, a trailing `;`) are ignored.
//! - Keys are trimmed and compared like configuration keys (ignoring case and `_`), but keep their
//!   spelling for messages.
//! - A value in `{braces}` is taken verbatim and may hold `;`, `=` and spaces; `}}` stands for `}`.
//!   Any other value runs to the next `;` and is trimmed; it may hold `=`, as base64 API keys do.
//! - A key given twice keeps its first value, as the ODBC specification says; later ones are dropped.

use std::fmt;
use std::str::FromStr;

use super::{ConfigError, is_secret_key, normalize_key};

/// Parses a connection string into its pairs, in order, each key once.
pub fn parse(text: &str) -> Result<Vec<(String, String)>, ConfigError> {
    let mut pairs = Vec::new();
    let mut offset = 0;
    while offset < text.len() {
        let rest = &text[offset..];
        let key_end = rest.find(['=', ';']).unwrap_or(rest.len());
        let key = rest[..key_end].trim();
        let key_offset = offset + rest.len() - rest.trim_start().len();
        if !rest[key_end..].starts_with('=') {
            if !key.is_empty() {
                return Err(error_at(
                    text,
                    key_offset,
                    "`=` missing (a value holding `;` must be in braces)",
                ));
            }
            offset += key_end + 1;
            continue;
        }
        if key.is_empty() {
            return Err(error_at(text, key_offset, "a value without a key"));
        }
        let (value, next) = read_value(text, offset + key_end + 1)?;
        insert(&mut pairs, key, value);
        offset = next;
    }
    Ok(pairs)
}

/// Reads the value that starts at byte `start`; returns it and the offset just past its `;`.
fn read_value(text: &str, start: usize) -> Result<(String, usize), ConfigError> {
    let rest = &text[start..];
    let end = rest.find(';').unwrap_or(rest.len());
    let brace = start + rest.len() - rest.trim_start().len();
    if !text[brace..].starts_with('{') {
        return Ok((rest[..end].trim().to_string(), start + end + 1));
    }
    let mut value = String::new();
    let mut chars = text[brace + 1..].char_indices().peekable();
    while let Some((index, c)) = chars.next() {
        if c != '}' {
            value.push(c);
        } else if chars.next_if(|&(_, next)| next == '}').is_some() {
            value.push('}');
        } else {
            let after = brace + 1 + index + 1;
            let tail = &text[after..];
            let tail_end = tail.find(';').unwrap_or(tail.len());
            if !tail[..tail_end].trim().is_empty() {
                return Err(error_at(text, after, "text after the closing `}`"));
            }
            return Ok((value, after + tail_end + 1));
        }
    }
    Err(error_at(text, brace, "a `{` that is never closed"))
}

/// Names the place by character, counted from 1, and never quotes the text, which may hold a password.
fn error_at(text: &str, offset: usize, problem: &str) -> ConfigError {
    let character = text.get(..offset).map_or(0, |before| before.chars().count()) + 1;
    ConfigError::new(format!("connection string: {problem} at character {character}"))
}

fn insert(pairs: &mut Vec<(String, String)>, key: &str, value: String) {
    let normalized = normalize_key(key);
    if !pairs.iter().any(|(existing, _)| normalize_key(existing) == normalized) {
        pairs.push((key.to_string(), value));
    }
}

/// Pairs to hand back as a connection string, e.g. SQLDriverConnect's completed string.
///
/// [`ConnectionString::to_connection_string`] includes passwords and API keys, since a reconnect needs
/// them; `Display` and `Debug`, meant for logs, print them as `***`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct ConnectionString {
    pairs: Vec<(String, String)>,
}

impl ConnectionString {
    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    pub fn to_connection_string(&self) -> String {
        self.render(false)
    }

    fn render(&self, redact: bool) -> String {
        let rendered: Vec<String> = self
            .pairs
            .iter()
            .map(|(key, value)| {
                let value = if redact && is_secret_key(key) {
                    "***"
                } else {
                    value.as_str()
                };
                format!("{key}={}", quote(value))
            })
            .collect();
        rendered.join(";")
    }
}

/// Braces a value that would not read back the same bare.
fn quote(value: &str) -> String {
    let needs_braces = value.contains([';', '{', '}', '=']) || value.trim() != value;
    if needs_braces {
        format!("{{{}}}", value.replace('}', "}}"))
    } else {
        value.to_string()
    }
}

impl FromStr for ConnectionString {
    type Err = ConfigError;

    fn from_str(text: &str) -> Result<ConnectionString, ConfigError> {
        parse(text).map(|pairs| ConnectionString { pairs })
    }
}

impl From<Vec<(String, String)>> for ConnectionString {
    fn from(pairs: Vec<(String, String)>) -> ConnectionString {
        ConnectionString { pairs }
    }
}

impl fmt::Display for ConnectionString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(true))
    }
}

impl fmt::Debug for ConnectionString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ConnectionString").field(&self.render(true)).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Vec<(String, String)> {
        parse(text).unwrap()
    }

    fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect()
    }

    #[test]
    fn pairs_in_order_with_trimmed_keys_and_values() {
        assert_eq!(
            parsed(" Driver = {ByteHouse} ;; Host = ch.local ;Port=9000;"),
            owned(&[("Driver", "ByteHouse"), ("Host", "ch.local"), ("Port", "9000")])
        );
        assert!(parsed("").is_empty());
        assert!(parsed(";; ;").is_empty());
        assert_eq!(parsed("ApiKey=YWJj=="), owned(&[("ApiKey", "YWJj==")]));
        assert_eq!(parsed("Database="), owned(&[("Database", "")]));
    }

    #[test]
    fn braces_hold_separators_and_escaped_closing_braces() {
        assert_eq!(
            parsed("PWD={a;b=c}}d} ;UID=u"),
            owned(&[("PWD", "a;b=c}d"), ("UID", "u")])
        );
        assert_eq!(parsed("PWD={ spaced }"), owned(&[("PWD", " spaced ")]));
        assert_eq!(parsed("PWD={}"), owned(&[("PWD", "")]));
        assert_eq!(parsed("Name={ü{}}}"), owned(&[("Name", "ü{}")]));
    }

    #[test]
    fn the_first_of_duplicates_wins_ignoring_case() {
        assert_eq!(parsed("HOST=a;Port=1;host=b"), owned(&[("HOST", "a"), ("Port", "1")]));
        assert_eq!(parsed("api_key=a;APIKEY=b"), owned(&[("api_key", "a")]));
    }

    #[test]
    fn malformed_input_says_where() {
        let message = |text: &str| parse(text).unwrap_err().to_string();
        assert_eq!(
            message("Host=h;PWD={abc"),
            "connection string: a `{` that is never closed at character 12"
        );
        assert_eq!(
            message("PWD=x;secretpart;Host=h"),
            "connection string: `=` missing (a value holding `;` must be in braces) at character 7"
        );
        assert_eq!(
            message("Host=h; =v"),
            "connection string: a value without a key at character 9"
        );
        assert_eq!(
            message("PWD={a}b;Host=h"),
            "connection string: text after the closing `}` at character 8"
        );
        assert_eq!(
            message("Größe=1;ü"),
            "connection string: `=` missing (a value holding `;` must be in braces) at character 9"
        );
        assert!(!message("PWD=x;secretpart").contains("secretpart"));
    }

    #[test]
    fn writes_back_with_braces_where_needed_and_round_trips() {
        let text = "Driver={ByteHouse};Host=h;PWD={p;w=}}d};UID= u ;Role={ x}";
        let string: ConnectionString = text.parse().unwrap();
        let written = string.to_connection_string();
        assert_eq!(written, "Driver=ByteHouse;Host=h;PWD={p;w=}}d};UID=u;Role={ x}");
        assert_eq!(written.parse::<ConnectionString>().unwrap(), string);
        assert_eq!(string.pairs()[2], ("PWD".to_string(), "p;w=}d".to_string()));
    }

    #[test]
    fn display_and_debug_redact_secrets() {
        let string = ConnectionString::from(parse("Host=h;pwd=s3cr3t;Password=s3cr3t;api_key=s3cr3t;UID=u").unwrap());
        assert_eq!(string.to_string(), "Host=h;pwd=***;Password=***;api_key=***;UID=u");
        assert!(!format!("{string:?}").contains("s3cr3t"));
        assert!(string.to_connection_string().contains("pwd=s3cr3t"));
    }
}
