//! SQLAlchemy-style URLs, `bytehouse://user:password@host:port/database?key=value&...`.
//!
//! A URL becomes the pairs a connection string would give, for [`super::Config::from_pairs`]: user →
//! `UID`, password → `PWD`, `host:port` → `Host` (a list `h1:9000,h2:9000` too), path → `Database`,
//! and each query parameter under its own name (`region`, `secure`, `api_key`, `setting.max_threads`;
//! keys ignore case and `_`) or the name clickhouse-driver and the SQLAlchemy dialect give it (see
//! `query_pair`). The scheme is `bytehouse` or `bytehouses`, which forces `Secure=true` (`clickhouse`
//! and `clickhouses` alike, as ADBC users write them), optionally with a driver suffix such as
//! `bytehouse+pyodbc`. User, password, database and query are percent-decoded; in the query a `+` is a
//! space, as SQLAlchemy's `quote_plus` writes it. An IPv6 host is written in brackets.

use super::ConfigError;

/// Parses a URL into configuration pairs; empty parts give no pair.
pub fn parse(url: &str) -> Result<Vec<(String, String)>, ConfigError> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| ConfigError::new("URL: expected `bytehouse://` or `bytehouses://`"))?;
    let base_scheme = scheme.split('+').next().unwrap_or_default();
    let forces_secure = match base_scheme.to_ascii_lowercase().as_str() {
        "bytehouse" | "clickhouse" => false,
        "bytehouses" | "clickhouses" => true,
        // The scheme is not quoted: in a mistyped URL it may hold the password.
        _ => {
            return Err(ConfigError::new(
                "URL: unsupported scheme; use bytehouse://, bytehouses://, clickhouse:// or clickhouses://",
            ));
        }
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let (path, query) = tail.split_once('?').unwrap_or((tail, ""));
    let (user_info, host_port) = match authority.rsplit_once('@') {
        Some((user_info, host_port)) => (Some(user_info), host_port),
        None => (None, authority),
    };

    let mut pairs = Vec::new();
    let mut push = |key: &str, value: String| {
        if !value.is_empty() {
            pairs.push((key.to_string(), value));
        }
    };
    if let Some(user_info) = user_info {
        let (user, password) = user_info.split_once(':').unwrap_or((user_info, ""));
        push("UID", percent_decode(user, "user", false)?);
        push("PWD", percent_decode(password, "password", false)?);
    }
    push("Host", host_port.to_string());
    push(
        "Database",
        percent_decode(path.strip_prefix('/').unwrap_or(path), "database", false)?,
    );
    // Before the query's keys: the first occurrence of a key wins, and the scheme's TLS must.
    if forces_secure {
        push("Secure", "true".to_string());
    }
    for parameter in query.split('&').filter(|parameter| !parameter.is_empty()) {
        let (key, value) = parameter.split_once('=').unwrap_or((parameter, ""));
        let key = percent_decode(key, "query", true)?;
        pairs.extend(query_pair(key, percent_decode(value, "query", true)?));
    }
    Ok(pairs)
}

/// A query parameter in the driver's words: the names clickhouse-driver and the SQLAlchemy dialect
/// accept (`vw`, `ca_certs`, `verify`, `compression=lz4`, fractional timeouts) become the driver's
/// keys, and the keys only the dialect or pyodbc read are dropped.
fn query_pair(key: String, value: String) -> Option<(String, String)> {
    let is_true = |value: &str| ["1", "true", "yes", "on"].contains(&value.trim().to_ascii_lowercase().as_str());
    let is_false = |value: &str| ["0", "false", "no", "off"].contains(&value.trim().to_ascii_lowercase().as_str());
    let renamed = |name: &str| Some((name.to_string(), value.clone()));
    match key.to_ascii_lowercase().as_str() {
        "engine_reflection" | "driver" | "odbc_connect" | "ansi" | "unicode_results" | "autocommit" => None,
        "vw" | "warehouse" => renamed("VirtualWarehouse"),
        "ca_certs" => renamed("CAFile"),
        // Anything else stays `verify`, which the configuration rejects by name.
        "verify" if is_true(&value) => Some(("SkipVerification".into(), "0".into())),
        "verify" if is_false(&value) => Some(("SkipVerification".into(), "1".into())),
        "compression" if ["lz4", "lz4hc"].contains(&value.trim().to_ascii_lowercase().as_str()) => {
            Some((key, "1".into()))
        }
        "connect_timeout" | "send_receive_timeout" | "query_timeout" => {
            let seconds = value
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|seconds| seconds.fract() != 0.0);
            Some((key, seconds.map_or(value, |seconds| seconds.ceil().to_string())))
        }
        _ => Some((key, value)),
    }
}

/// Decodes `%XX` escapes (and `+` when `plus_is_space`); the error names the part, never its text.
fn percent_decode(text: &str, part: &str, plus_is_space: bool) -> Result<String, ConfigError> {
    let invalid = || ConfigError::new(format!("URL: invalid percent-encoding in the {part}"));
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text.as_bytes();
    while let Some((&byte, tail)) = rest.split_first() {
        rest = tail;
        match byte {
            b'%' => {
                let digit = |index: usize| rest.get(index).and_then(|&digit| char::from(digit).to_digit(16));
                let (Some(high), Some(low)) = (digit(0), digit(1)) else {
                    return Err(invalid());
                };
                bytes.push((high * 16 + low) as u8);
                rest = &rest[2..];
            }
            b'+' if plus_is_space => bytes.push(b' '),
            _ => bytes.push(byte),
        }
    }
    String::from_utf8(bytes).map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::super::Config;
    use super::*;

    fn config(url: &str) -> Config {
        Config::from_pairs(&[], &parse(url).unwrap()).unwrap()
    }

    #[test]
    fn full_url_with_percent_encoding() {
        let url = "bytehouse://acme%3A%3Aann:p%40ss%2Fw%3Ard@ch.local:9001/my%20db?secure=true&setting.log_id=a+b%26c";
        let pairs = parse(url).unwrap();
        let expected = [
            ("UID", "acme::ann"),
            ("PWD", "p@ss/w:rd"),
            ("Host", "ch.local:9001"),
            ("Database", "my db"),
            ("secure", "true"),
            ("setting.log_id", "a b&c"),
        ];
        let expected: Vec<(String, String)> = expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        assert_eq!(pairs, expected);
        let config = config(url);
        assert_eq!(
            (config.user.as_str(), config.password.expose()),
            ("acme::ann", "p@ss/w:rd")
        );
        assert_eq!(
            (config.hosts[0].port, config.secure, config.database.as_str()),
            (9001, true, "my db")
        );
    }

    #[test]
    fn region_and_api_key_in_the_query() {
        let config = config("bytehouse+pyodbc:///?region=ap-southeast-1&api_key=abc%3D&virtual_warehouse=vw-1");
        assert_eq!(
            (config.hosts[0].host.as_str(), config.hosts[0].port, config.secure),
            ("gateway.aws-ap-southeast-1.bytehouse.cloud", 19000, true)
        );
        assert_eq!((config.user.as_str(), config.password.expose()), ("bytehouse", "abc="));
        assert_eq!(config.virtual_warehouse.as_deref(), Some("vw-1"));
    }

    #[test]
    fn secure_scheme_forces_tls_and_ipv6_hosts() {
        let config = config("bytehouses://[::1]/?secure=false");
        let host = &config.hosts[0];
        assert_eq!((host.host.as_str(), host.port, config.secure), ("::1", 9440, true));
        assert_eq!(self::config("bytehouse://[::1]:9000").hosts[0].port, 9000);
        let endpoints: Vec<String> = self::config("bytehouse://u@h1:9001,[::1]:9002/db")
            .hosts
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(endpoints, ["h1:9001", "[::1]:9002"]);
        assert_eq!(self::config("BYTEHOUSE://u@h").user, "u");
        assert!(self::config("clickhouses://h").secure && !self::config("clickhouse://h").secure);
    }

    #[test]
    fn the_names_of_clickhouse_driver_and_the_dialect_are_read() {
        let config = config(
            "clickhouse://h/?vw=vw-7&verify=false&compression=lz4&connect_timeout=2.5&ca_certs=/ca.pem&engine_reflection=1",
        );
        assert_eq!(config.virtual_warehouse.as_deref(), Some("vw-7"));
        assert!(config.skip_verification && config.compression);
        assert_eq!(config.connect_timeout, std::time::Duration::from_secs(3));
        assert_eq!(config.ca_file.as_deref(), Some(std::path::Path::new("/ca.pem")));
    }

    #[test]
    fn bad_urls_are_errors_without_secrets() {
        let message = |url: &str| parse(url).unwrap_err().to_string();
        assert_eq!(
            message("mysql://h"),
            "URL: unsupported scheme; use bytehouse://, bytehouses://, clickhouse:// or clickhouses://"
        );
        assert!(!message("u:s3cr3t@h://x").contains("s3cr3t"));
        assert_eq!(message("u:s3cr3t@h"), "URL: expected `bytehouse://` or `bytehouses://`");
        assert_eq!(
            message("bytehouse://u:s3cr3t%zz@h"),
            "URL: invalid percent-encoding in the password"
        );
        assert_eq!(
            message("bytehouse://u:s3cr3t%c3@h"),
            "URL: invalid percent-encoding in the password"
        );
        assert_eq!(
            message("bytehouse://h?x=%4"),
            "URL: invalid percent-encoding in the query"
        );
        let config_error = |url: &str| Config::from_pairs(&[], &parse(url).unwrap()).unwrap_err().to_string();
        assert_eq!(
            config_error("bytehouse://[::1"),
            "`Host`: an IPv6 address without its closing `]`"
        );
        assert!(config_error("bytehouse://h?verify=maybe").starts_with("unknown connection key `verify`"));
    }
}
