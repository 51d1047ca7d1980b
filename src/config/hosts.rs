//! The `Host` key's value: one server or a list of servers to fail over between.
//!
//! - `host`, `host:port`, `[ipv6]`, `[ipv6]:port`; an IPv6 address without brackets has no port.
//! - `host,port`, as SQLAlchemy's pyodbc connector writes `Server=`: one host with its port (a single
//!   comma followed by digits only, or by nothing).
//! - `h1:9000,h2:9001,h3`: several hosts, tried as `HostOrder` says; one without a port gets `Port`
//!   or the default port.

use super::ConfigError;

/// One entry of the list: a host and the port given with it, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostPort {
    pub host: String,
    pub port: Option<u16>,
}

/// Parses the `Host` value given under `key`; never empty.
pub fn parse(key: &str, value: &str) -> Result<Vec<HostPort>, ConfigError> {
    let entries: Vec<&str> = value.split(',').map(str::trim).collect();
    if let [host, port] = entries[..]
        && !host.is_empty()
        && port.bytes().all(|byte| byte.is_ascii_digit())
    {
        let port = (!port.is_empty()).then(|| parse_port(key, port)).transpose()?;
        return Ok(vec![HostPort {
            host: host.to_string(),
            port,
        }]);
    }
    entries
        .into_iter()
        .map(|entry| {
            if entry.is_empty() {
                return Err(ConfigError::new(format!("`{key}` lists an empty host")));
            }
            let (host, port) = split_host_port(key, entry)?;
            Ok(HostPort {
                host: host.to_string(),
                port: port.map(|port| parse_port(key, port)).transpose()?,
            })
        })
        .collect()
}

/// Splits `host:port` or `[ipv6]:port`; the port may be absent.
pub fn split_host_port<'a>(key: &str, text: &'a str) -> Result<(&'a str, Option<&'a str>), ConfigError> {
    let Some(bracketed) = text.strip_prefix('[') else {
        return Ok(match text.split_once(':') {
            // More than one colon: an IPv6 address without brackets, which cannot carry a port.
            Some((_, after)) if after.contains(':') => (text, None),
            Some((host, port)) => (host, Some(port)),
            None => (text, None),
        });
    };
    let (host, after) = bracketed
        .split_once(']')
        .ok_or_else(|| ConfigError::new(format!("`{key}`: an IPv6 address without its closing `]`")))?;
    match after.strip_prefix(':') {
        Some(port) => Ok((host, Some(port))),
        None if after.is_empty() => Ok((host, None)),
        None => Err(ConfigError::new(format!("`{key}`: text after `]` that is not `:port`"))),
    }
}

/// A port from 1 to 65535; the error names the key and the value.
pub fn parse_port(key: &str, text: &str) -> Result<u16, ConfigError> {
    text.trim()
        .parse::<u16>()
        .ok()
        .filter(|&port| port != 0)
        .ok_or_else(|| ConfigError::new(format!("`{key}` must be a port number from 1 to 65535, not `{text}`")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hosts(value: &str) -> Vec<String> {
        parse("Host", value)
            .unwrap()
            .into_iter()
            .map(|entry| format!("{}|{:?}", entry.host, entry.port))
            .collect()
    }

    #[test]
    fn single_hosts_in_every_form() {
        assert_eq!(hosts("ch.local"), ["ch.local|None"]);
        assert_eq!(hosts("ch.local:9001"), ["ch.local|Some(9001)"]);
        assert_eq!(hosts("ch.local, 9001"), ["ch.local|Some(9001)"]);
        assert_eq!(hosts("ch.local,"), ["ch.local|None"]);
        assert_eq!(hosts("[::1]:9002"), ["::1|Some(9002)"]);
        assert_eq!(hosts("[::1]"), ["::1|None"]);
        assert_eq!(hosts("::1"), ["::1|None"]);
    }

    #[test]
    fn lists_keep_their_order_and_ports() {
        assert_eq!(
            hosts("h1:9000, h2 ,[fe80::1]:9440"),
            ["h1|Some(9000)", "h2|None", "fe80::1|Some(9440)"]
        );
        assert_eq!(hosts("h1,h2"), ["h1|None", "h2|None"]);
        assert_eq!(hosts("h1,9000,h2"), ["h1|None", "9000|None", "h2|None"]);
    }

    #[test]
    fn malformed_lists_are_errors_naming_the_key() {
        let error = |value: &str| parse("Server", value).unwrap_err().to_string();
        assert_eq!(error("h1,,h2"), "`Server` lists an empty host");
        assert_eq!(error(",h1"), "`Server` lists an empty host");
        assert_eq!(error("h1:0"), "`Server` must be a port number from 1 to 65535, not `0`");
        assert!(error("h1:x,h2").contains("not `x`"));
        assert!(error("[::1").contains("closing `]`"));
        assert!(error("[::1]9000").contains("after `]`"));
    }
}
