//! Connection configuration: DSN keys, connection strings and URLs resolved into native connect options.
//!
//! Pure logic: nothing here opens files or sockets. [`Config::from_pairs`] takes a data source's keys
//! and a connection string's; the string's win, and within each the first occurrence of a key wins
//! (also across aliases such as `Host` and `Server`), as the ODBC specification says.
//!
//! Keys are compared ignoring case and `_` (`ApiKey`, `APIKEY` and the URL form `api_key` are one key):
//! `Driver`, `DSN`, `Description` (ignored here), `Region`, `Host`/`Server`, `Port`, `Account`,
//! `UID`/`User`/`Username`, `PWD`/`Password`, `ApiKey`, `Database`, `Secure`, `SkipVerification`, `CAFile`,
//! `ConnectTimeout`, `QueryTimeout`, `SendReceiveTimeout` (whole seconds), `Compression`,
//! `VirtualWarehouse`, `Role`/`ActiveRole`, `ClientName`, `ProtocolRevision`, `LogFile`,
//! `StringMaxLength` (the column size reported for String, default 256), `ResultBufferLimit` (the
//! bytes of another statement's open result read ahead when a statement runs, default 128 MiB),
//! `HostOrder`, `ConnectRetries`, `RetryDelayMs`.
//! Booleans accept 1/0, true/false, yes/no, on/off in any case. An empty value leaves a key (a setting
//! too) at its default, so `Port =` in odbc.ini is harmless.
//!
//! Server settings: a key prefixed `setting.` or `settings.` (`setting.max_threads=4`) is passed to the
//! server as the setting named after the prefix. Any other unknown key is ignored and listed in
//! [`Config::unknown_keys`] (ODBC's 01S00 warning), unless it looks like a TLS or credential key: that
//! is an error naming the nearest known key (see [`keys`]).
//!
//! Precedence:
//! - `Host` wins over `Region`; `Region` is then only validated. Without `Host`, `Region` supplies the
//!   gateway host, port 19000 and TLS on by default. With neither, configuration fails.
//! - `Host` may list several servers, `h1:9000,h2:9001` (see [`hosts`]); `Server=host,port` (as
//!   SQLAlchemy's pyodbc writes it) is one host with its port. `HostOrder` (`in_order`, the default,
//!   `random` or `round_robin`) picks the order they are tried in; `ConnectTimeout` bounds each try
//!   (TCP, TLS and handshake); `ConnectRetries` (default 0) further rounds over the list follow, the
//!   first after `RetryDelayMs` (default 500), each later one after twice the previous pause.
//! - A cloud host is a region's gateway or any host in ByteHouse's cloud domains: `*.bytehouse.cloud`,
//!   `*.bytehouse.cn`, and `*.volces.com` with a label starting with `bytehouse` (see
//!   [`region::is_cloud_host`]).
//! - `Secure` defaults to on when the first host is a cloud host, off otherwise; an explicit `Secure`
//!   wins.
//! - A port given with a host wins; then `Port`; then 19000 for a cloud host, else 9440 with TLS and
//!   9000 without.
//! - `ApiKey` logs in as user `bytehouse` with the key as password; giving `PWD`, `Account` or a user
//!   other than `bytehouse` as well is a conflict.
//! - `Account` and `User` log in as `account::user`; `Account` alone is an error; the default user is
//!   `default`.
//! - `SkipVerification` turns certificate verification off; it matters only with TLS.

pub mod connection_string;
pub mod hosts;
pub mod keys;
pub mod region;
pub mod url;

use std::fmt;
use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::time::Duration;

use crate::native::{ConnectOptions, Endpoint, Failover, HostOrder, Setting, TlsOptions, revision};
use keys::{Field, Keys};
use region::REGION_PORT;

pub(crate) use keys::{is_secret_key, normalize_key};

/// The user an API key logs in as (python, Go and Java drivers alike).
const API_KEY_USER: &str = "bytehouse";
const DEFAULT_USER: &str = "default";
const DEFAULT_PORT: u16 = 9000;
const DEFAULT_SECURE_PORT: u16 = 9440;
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const DEFAULT_SEND_RECEIVE_TIMEOUT: Duration = Duration::from_secs(300);
const DEFAULT_RETRY_DELAY: Duration = Duration::from_millis(500);
/// Retries beyond this are surely a mistake: with backoff they would wait for hours.
const MAX_CONNECT_RETRIES: u32 = 100;
const DEFAULT_CLIENT_NAME: &str = "libbytehouse";
/// The String column size applications see unless `StringMaxLength` says otherwise (see
/// `crate::odbc::types`). 256, near the 255 that Simba's drivers (Spark, Hive, Athena) report for
/// unbounded strings by default (DefaultStringColumnLength): applications that bind columns reserve
/// it per row (arrow-odbc four bytes a character for 65,535 rows: 64 MiB a String column, where
/// 8192 asked for 2 GiB, so that arrow-odbc shrank its batches and peaked at 1.6 GB of RSS). A longer value arrives cut with 01004 only
/// in a buffer bound that small; SQLGetData reads it whole in pieces.
pub const DEFAULT_STRING_MAX_LENGTH: usize = 256;
const DEFAULT_RESULT_BUFFER_LIMIT: usize = 128 << 20;
/// Accepted `ProtocolRevision` values: from ClientInfo with a quota key, which every supported server
/// speaks, to the newest this client implements.
const PROTOCOL_REVISIONS: RangeInclusive<u64> = 54060..=revision::MAX_CLIENT_REVISION;

/// Why a connection could not be configured. Messages name keys and harmless values, never secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    message: String,
}

impl ConfigError {
    fn new(message: impl Into<String>) -> ConfigError {
        ConfigError {
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

/// A password or API key: printed as `***` by `Debug` so it cannot leak into logs.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_empty() { "\"\"" } else { "***" })
    }
}

/// A resolved connection configuration; see the module documentation for the rules.
#[derive(Debug, Clone)]
pub struct Config {
    /// The servers to try, in the order listed; never empty.
    pub hosts: Vec<Endpoint>,
    pub host_order: HostOrder,
    pub connect_retries: u32,
    pub retry_delay: Duration,
    pub database: String,
    /// The login name, already `account::user` or `bytehouse` for an API key.
    pub user: String,
    pub password: Secret,
    pub secure: bool,
    pub skip_verification: bool,
    pub ca_file: Option<PathBuf>,
    /// Bounds each connect attempt: TCP, TLS and the protocol handshake.
    pub connect_timeout: Duration,
    /// Per-query limit; `None` (also `QueryTimeout=0`) for none.
    pub query_timeout: Option<Duration>,
    pub send_receive_timeout: Duration,
    pub compression: bool,
    /// Sent as the `virtual_warehouse` setting (a ByteHouse gateway setting, the warehouse id).
    pub virtual_warehouse: Option<String>,
    /// Sent as the `active_role` setting (ByteHouse gateway only).
    pub role: Option<String>,
    pub client_name: String,
    pub protocol_revision: u64,
    /// Where a driver log should go; only stored here.
    pub log_file: Option<PathBuf>,
    /// The column size reported for String and other unbounded types (characters).
    pub string_max_length: usize,
    /// Settings given with the `setting.` prefix, in order, each name once.
    pub server_settings: Vec<Setting>,
    /// Keys that were ignored because this driver does not know them, as spelled (with the nearest
    /// known key when one is close), for ODBC's 01S00 warning.
    pub unknown_keys: Vec<String>,
    /// The most bytes of open results read ahead for their statements while another one runs.
    pub result_buffer_limit: usize,
}

impl Config {
    /// Resolves a DSN's pairs and a connection string's pairs, which override them.
    pub fn from_pairs(
        dsn_pairs: &[(String, String)],
        string_pairs: &[(String, String)],
    ) -> Result<Config, ConfigError> {
        Keys::collect(string_pairs.iter().chain(dsn_pairs))?.resolve()
    }

    /// Options for connecting to the first host; [`Config::failover`] tries the others.
    pub fn connect_options(&self) -> ConnectOptions {
        ConnectOptions {
            host: self.hosts[0].host.clone(),
            port: self.hosts[0].port,
            database: self.database.clone(),
            user: self.user.clone(),
            password: self.password.expose().to_string(),
            tls: self.secure.then(|| TlsOptions {
                verify: !self.skip_verification,
                ca_file: self.ca_file.clone(),
                server_name: None,
            }),
            connect_timeout: self.connect_timeout,
            send_timeout: self.send_receive_timeout,
            receive_timeout: self.send_receive_timeout,
            compression: self.compression,
            client_name: self.client_name.clone(),
            revision: self.protocol_revision,
            quota_key: String::new(),
            settings: self.settings(),
        }
    }

    /// How to pick among the hosts.
    pub fn failover(&self) -> Failover {
        Failover {
            endpoints: self.hosts.clone(),
            order: self.host_order,
            retries: self.connect_retries,
            retry_delay: self.retry_delay,
        }
    }

    /// The settings the connection carries: the pass-through ones, then `virtual_warehouse` and
    /// `active_role`, which replace a pass-through setting of the same name.
    pub fn settings(&self) -> Vec<Setting> {
        let mut settings = self.server_settings.clone();
        if let Some(warehouse) = &self.virtual_warehouse {
            upsert_setting(&mut settings, "virtual_warehouse", warehouse);
        }
        if let Some(role) = &self.role {
            upsert_setting(&mut settings, "active_role", role);
        }
        settings
    }

    /// The connection key a server setting came from, for messages.
    pub fn key_of_setting(&self, name: &str) -> String {
        match name {
            "virtual_warehouse" if self.virtual_warehouse.is_some() => "VirtualWarehouse".to_string(),
            "active_role" if self.role.is_some() => "Role".to_string(),
            _ => format!("setting.{name}"),
        }
    }
}

fn upsert_setting(settings: &mut Vec<Setting>, name: &str, value: &str) {
    match settings.iter_mut().find(|setting| setting.name == name) {
        Some(setting) => setting.value = value.to_string(),
        None => settings.push(Setting::new(name, value)),
    }
}

impl Keys {
    /// Whole seconds; `u32` keeps every deadline computed from them far from overflow.
    fn seconds(&self, field: Field, allow_zero: bool) -> Result<Option<Duration>, ConfigError> {
        let expected = if allow_zero {
            "a whole number of seconds"
        } else {
            "a positive whole number of seconds"
        };
        let seconds = self.parse(field, expected, |value| {
            value.parse::<u32>().ok().filter(|&seconds| allow_zero || seconds > 0)
        })?;
        Ok(seconds.map(|seconds| Duration::from_secs(seconds.into())))
    }

    fn resolve(self) -> Result<Config, ConfigError> {
        let region_host = self
            .get(Field::Region)
            .map(|region| region::gateway_host(&region.value));
        let listed = match (self.get(Field::Host), region_host.transpose()?) {
            (Some(host), _) => hosts::parse(&host.key, &host.value)?,
            (None, Some(region_host)) => vec![hosts::HostPort {
                host: region_host.to_string(),
                port: None,
            }],
            (None, None) => return Err(ConfigError::new("either Host or Region is required")),
        };
        // A region's gateway is a cloud host too.
        let cloud = region::is_cloud_host(&listed[0].host);
        let secure = self.bool(Field::Secure)?.unwrap_or(cloud);
        let default_port = match (cloud, secure) {
            (true, _) => REGION_PORT,
            (false, true) => DEFAULT_SECURE_PORT,
            (false, false) => DEFAULT_PORT,
        };
        let port = match self.get(Field::Port) {
            Some(port) => hosts::parse_port(&port.key, &port.value)?,
            None => default_port,
        };
        let hosts = listed
            .into_iter()
            .map(|entry| Endpoint {
                host: entry.host,
                port: entry.port.unwrap_or(port),
            })
            .collect();
        let (first, last) = (PROTOCOL_REVISIONS.start(), PROTOCOL_REVISIONS.end());
        let expected_revision = format!("a protocol revision from {first} to {last}");
        let protocol_revision = self.parse(Field::ProtocolRevision, &expected_revision, |value| {
            value
                .parse()
                .ok()
                .filter(|revision| PROTOCOL_REVISIONS.contains(revision))
        })?;
        let (user, password) = self.login()?;
        Ok(Config {
            hosts,
            host_order: self
                .parse(
                    Field::HostOrder,
                    "`in_order`, `random` or `round_robin`",
                    |value| match normalize_key(value).as_str() {
                        "inorder" => Some(HostOrder::InOrder),
                        "random" => Some(HostOrder::Random),
                        "roundrobin" => Some(HostOrder::RoundRobin),
                        _ => None,
                    },
                )?
                .unwrap_or_default(),
            connect_retries: self
                .parse(
                    Field::ConnectRetries,
                    &format!("a whole number from 0 to {MAX_CONNECT_RETRIES}"),
                    |value| value.parse().ok().filter(|&retries| retries <= MAX_CONNECT_RETRIES),
                )?
                .unwrap_or(0),
            retry_delay: self
                .parse(Field::RetryDelay, "a whole number of milliseconds", |value| {
                    value.parse::<u32>().ok()
                })?
                .map_or(DEFAULT_RETRY_DELAY, |millis| Duration::from_millis(millis.into())),
            database: self.text(Field::Database).unwrap_or_default(),
            user,
            password,
            secure,
            skip_verification: self.bool(Field::SkipVerification)?.unwrap_or(false),
            ca_file: self.text(Field::CaFile).map(PathBuf::from),
            connect_timeout: self
                .seconds(Field::ConnectTimeout, false)?
                .unwrap_or(DEFAULT_CONNECT_TIMEOUT),
            query_timeout: self
                .seconds(Field::QueryTimeout, true)?
                .filter(|timeout| !timeout.is_zero()),
            send_receive_timeout: self
                .seconds(Field::SendReceiveTimeout, false)?
                .unwrap_or(DEFAULT_SEND_RECEIVE_TIMEOUT),
            compression: self.bool(Field::Compression)?.unwrap_or(false),
            virtual_warehouse: self.text(Field::VirtualWarehouse),
            role: self.text(Field::Role),
            client_name: self
                .text(Field::ClientName)
                .unwrap_or_else(|| DEFAULT_CLIENT_NAME.to_string()),
            protocol_revision: protocol_revision.unwrap_or(revision::DEFAULT_CLIENT_REVISION),
            log_file: self.text(Field::LogFile).map(PathBuf::from),
            string_max_length: self
                .parse(Field::StringMaxLength, "a positive whole number", |value| {
                    value.parse::<u32>().ok().filter(|&length| length > 0)
                })?
                .map_or(DEFAULT_STRING_MAX_LENGTH, |length| length as usize),
            result_buffer_limit: self
                .parse(Field::ResultBufferLimit, "a number of bytes", |value| {
                    value.parse().ok()
                })?
                .unwrap_or(DEFAULT_RESULT_BUFFER_LIMIT),
            server_settings: self.settings().map(|(name, value)| Setting::new(name, value)).collect(),
            unknown_keys: self.unknown().to_vec(),
        })
    }

    /// The login name and password, after the API key and account rules.
    fn login(&self) -> Result<(String, Secret), ConfigError> {
        let account = self.get(Field::Account);
        let user = self.get(Field::User);
        if let Some(api_key) = self.get(Field::ApiKey) {
            let other_user = user.filter(|user| user.value != API_KEY_USER);
            if let Some(conflict) = [self.get(Field::Password), account, other_user]
                .into_iter()
                .flatten()
                .next()
            {
                return Err(ConfigError::new(format!(
                    "`{}` and `{}` conflict: an API key logs in as user `{API_KEY_USER}` with the key as password",
                    api_key.key, conflict.key
                )));
            }
            return Ok((API_KEY_USER.to_string(), Secret(api_key.value.clone())));
        }
        let user = match (account, user) {
            (Some(account), Some(user)) => format!("{}::{}", account.value, user.value),
            (Some(account), None) => {
                return Err(ConfigError::new(format!(
                    "`{}` needs a user (UID): ByteHouse logs in as `account::user`",
                    account.key
                )));
            }
            (None, Some(user)) => user.value.clone(),
            (None, None) => DEFAULT_USER.to_string(),
        };
        Ok((user, Secret(self.text(Field::Password).unwrap_or_default())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        connection_string::parse(text).unwrap()
    }

    fn config(text: &str) -> Config {
        Config::from_pairs(&[], &pairs(text)).unwrap()
    }

    fn error(text: &str) -> String {
        Config::from_pairs(&[], &pairs(text)).unwrap_err().to_string()
    }

    /// Where and how a configuration connects, in one comparable line.
    fn endpoint(text: &str) -> String {
        let config = config(text);
        format!(
            "{}:{} tls={} user={}",
            config.hosts[0].host, config.hosts[0].port, config.secure, config.user
        )
    }

    #[test]
    fn defaults_for_a_plain_host() {
        assert_eq!(
            endpoint("Driver={ByteHouse};Host=ch.local"),
            "ch.local:9000 tls=false user=default"
        );
        let config = config("Host=ch.local");
        assert_eq!(
            (config.password.expose(), config.database.as_str(), config.query_timeout),
            ("", "", None)
        );
        let options = config.connect_options();
        assert!(options.tls.is_none() && !options.compression);
        assert_eq!(options.connect_timeout, Duration::from_secs(10));
        assert_eq!(
            [options.send_timeout, options.receive_timeout],
            [Duration::from_secs(300); 2]
        );
        assert_eq!(
            (options.client_name.as_str(), options.revision),
            ("libbytehouse", revision::DEFAULT_CLIENT_REVISION)
        );
    }

    #[test]
    fn region_gives_gateway_port_and_tls() {
        let gateway = "gateway.aws-ap-southeast-1.bytehouse.cloud";
        assert_eq!(
            endpoint("region=ap-southeast-1"),
            format!("{gateway}:19000 tls=true user=default")
        );
        assert!(config("Region=CN-NORTH-1").connect_options().tls.unwrap().verify);
        assert!(!config("Region=CN-NORTH-1;Secure=off").secure);
        assert_eq!(config("Region=US-EAST-1;Port=19001").hosts[0].port, 19001);
    }

    #[test]
    fn cloud_hosts_default_to_tls_on_the_gateway_port() {
        assert_eq!(
            endpoint("Host=tenant-1-cn-beijing.bytehouse.volces.com"),
            "tenant-1-cn-beijing.bytehouse.volces.com:19000 tls=true user=default"
        );
        assert_eq!(
            endpoint("Host=Gateway.AWS-US-East-1.ByteHouse.Cloud."),
            "Gateway.AWS-US-East-1.ByteHouse.Cloud.:19000 tls=true user=default"
        );
        assert_eq!(
            endpoint("Host=evilbytehouse.cloud"),
            "evilbytehouse.cloud:9000 tls=false user=default"
        );
        let explicit = config("Host=bytehouse-cn-beijing.volces.com;Secure=0;Port=9000");
        assert_eq!((explicit.secure, explicit.hosts[0].port), (false, 9000));
        assert_eq!(config("Server=x.bytehouse.cn,19443").hosts[0].port, 19443);
    }

    #[test]
    fn host_wins_over_region_which_is_still_validated_and_one_is_required() {
        assert_eq!(
            endpoint("Region=US-EAST-1;Host=ch.local"),
            "ch.local:9000 tls=false user=default"
        );
        assert!(error("Region=MARS-1;Host=ch.local").starts_with("unknown region `MARS-1`; valid regions"));
        assert_eq!(error("Port=9000"), "either Host or Region is required");
        assert_eq!(error("Host=;Port=9000"), "either Host or Region is required");
    }

    #[test]
    fn port_defaults_follow_tls() {
        assert_eq!(config("Host=h;Secure=yes").hosts[0].port, 9440);
        assert_eq!(config("Host=h;Secure=yes;Port=9000").hosts[0].port, 9000);
        assert_eq!(
            error("Host=h;Port=0"),
            "`Port` must be a port number from 1 to 65535, not `0`"
        );
        assert!(error("Host=h;port=70000").starts_with("`port` must be a port number"));
    }

    #[test]
    fn server_with_comma_sets_host_and_port() {
        assert_eq!(
            endpoint("DRIVER={ByteHouse};SERVER=ch.local,9001"),
            "ch.local:9001 tls=false user=default"
        );
        assert_eq!(config("Server=ch.local,9001;Port=9002").hosts[0].port, 9001);
        assert_eq!(config("Port=9002;Server=ch.local,").hosts[0].port, 9002);
        assert!(error("Server=ch.local:x").starts_with("`Server` must be a port number"));
    }

    #[test]
    fn string_overrides_dsn_and_the_first_alias_wins() {
        let dsn = pairs("Host=dsn.local;UID=dsn_user;Database=db1;Description=anything");
        let config = Config::from_pairs(&dsn, &pairs("Server=string.local;User=me")).unwrap();
        assert_eq!(
            [config.hosts[0].host.clone(), config.user, config.database],
            ["string.local", "me", "db1"]
        );
        let cleared = Config::from_pairs(&dsn, &pairs("Database=")).unwrap();
        assert_eq!(cleared.database, "");
    }

    #[test]
    fn account_and_user_rules() {
        assert_eq!(config("Host=h;Account=acme;UID=ann").user, "acme::ann");
        assert_eq!(config("Host=h;uid=ann;pwd=s").user, "ann");
        assert_eq!(
            error("Host=h;Account=acme"),
            "`Account` needs a user (UID): ByteHouse logs in as `account::user`"
        );
    }

    #[test]
    fn api_key_logs_in_as_bytehouse_and_conflicts_are_named() {
        let config = config("Host=h;ApiKey=k3y=;UID=bytehouse");
        assert_eq!((config.user.as_str(), config.password.expose()), ("bytehouse", "k3y="));
        for (extra, key) in [("PWD=p4ss", "PWD"), ("Account=acme", "Account"), ("UID=ann", "UID")] {
            let message = error(&format!("Host=h;ApiKey=k3y;{extra}"));
            assert!(
                message.starts_with(&format!("`ApiKey` and `{key}` conflict")),
                "{message}"
            );
            assert!(!message.contains("k3y") && !message.contains("p4ss"), "{message}");
        }
    }

    #[test]
    fn booleans_timeouts_and_revision() {
        for (text, expected) in [
            ("1", true),
            ("TRUE", true),
            ("Yes", true),
            ("on", true),
            ("0", false),
            ("Off", false),
        ] {
            assert_eq!(config(&format!("Host=h;Compression={text}")).compression, expected);
        }
        let message = error("Host=h;Secure=maybe");
        assert_eq!(
            message,
            "`Secure` must be a boolean (1/0, true/false, yes/no, on/off), not `maybe`"
        );
        let config = config("Host=h;ConnectTimeout=3;QueryTimeout=5;SendReceiveTimeout=60;ProtocolRevision=54406");
        let timeouts = [
            config.connect_timeout,
            config.query_timeout.unwrap(),
            config.send_receive_timeout,
        ];
        assert_eq!(timeouts, [3, 5, 60].map(Duration::from_secs));
        assert_eq!(config.connect_options().revision, 54406);
        assert_eq!(self::config("Host=h;QueryTimeout=0").query_timeout, None);
        assert_eq!(self::config("Host=h").result_buffer_limit, DEFAULT_RESULT_BUFFER_LIMIT);
        assert_eq!(self::config("Host=h;ResultBufferLimit=1000").result_buffer_limit, 1000);
        assert!(error("Host=h;ResultBufferLimit=lots").contains("`ResultBufferLimit` must be a number of bytes"));
        assert!(error("Host=h;ConnectTimeout=0").contains("positive whole number of seconds"));
        assert!(error("Host=h;SendReceiveTimeout=-1").starts_with("`SendReceiveTimeout` must be"));
        assert!(error("Host=h;ProtocolRevision=54059").contains("from 54060 to 54460"));
        assert!(error("Host=h;ProtocolRevision=54461").contains("`54461`"));
    }

    #[test]
    fn tls_options_follow_secure_and_verification_keys() {
        let options =
            config("Host=h;Secure=1;SkipVerification=yes;CAFile=/etc/ca.pem;ClientName=app").connect_options();
        let tls = options.tls.unwrap();
        assert!(!tls.verify);
        assert_eq!(
            (tls.ca_file, options.client_name.as_str()),
            (Some(PathBuf::from("/etc/ca.pem")), "app")
        );
        assert!(config("Host=h;SkipVerification=1").connect_options().tls.is_none());
    }

    #[test]
    fn unknown_keys_are_listed_and_ignored() {
        let config = config("Host=h;Foo=1;Prot=9000;Trusted_Connection=Yes");
        assert_eq!(
            config.unknown_keys,
            ["`Foo`", "`Prot` (did you mean `Port`?)", "`Trusted_Connection`"]
        );
        assert_eq!(config.hosts[0].port, 9000);
        assert!(error("Host=h;Secur=1").contains("did you mean `Secure`?"));
        assert_eq!(error("Host=h;setting.=1"), "`setting.` names no server setting");
    }

    #[test]
    fn the_first_occurrence_of_a_key_wins() {
        let config = config("Host=a;Server=b;UID=u1;User=u2;PWD={ p w };PWD=x;Port=;Port=9001");
        assert_eq!(endpoint("Host=a;Server=b;UID=u1;User=u2"), "a:9000 tls=false user=u1");
        assert_eq!((config.password.expose(), config.hosts[0].port), (" p w ", 9000));
    }

    #[test]
    fn host_lists_with_order_retries_and_per_host_ports() {
        let config =
            config("Host=h1:9001,h2,[::1]:9003;Port=9100;HostOrder=Round_Robin;ConnectRetries=2;RetryDelayMs=50");
        let failover = config.failover();
        let endpoints: Vec<String> = failover.endpoints.iter().map(ToString::to_string).collect();
        assert_eq!(endpoints, ["h1:9001", "h2:9100", "[::1]:9003"]);
        assert_eq!(
            (failover.order, failover.retries, failover.retry_delay),
            (HostOrder::RoundRobin, 2, Duration::from_millis(50))
        );
        assert_eq!(
            (config.connect_options().host.as_str(), config.connect_options().port),
            ("h1", 9001)
        );
        let defaults = self::config("Host=h").failover();
        assert_eq!(
            (defaults.order, defaults.retries, defaults.retry_delay),
            (HostOrder::InOrder, 0, DEFAULT_RETRY_DELAY)
        );
        assert!(error("Host=h;HostOrder=first").contains("`in_order`, `random` or `round_robin`"));
        assert!(error("Host=h;ConnectRetries=101").contains("from 0 to 100"));
        assert_eq!(
            endpoint("Host=a.bytehouse.cloud,b.bytehouse.cloud"),
            "a.bytehouse.cloud:19000 tls=true user=default"
        );
    }

    #[test]
    fn settings_pass_through_with_warehouse_and_role() {
        let text = "Host=h;setting.max_threads=4;SETTINGS.log_id=x;setting.max_threads=8;setting.a=1;setting.a=;\
                    setting.active_role=old;VirtualWarehouse=vw-1;ActiveRole=analyst;LogFile=/tmp/bh.log";
        let config = config(text);
        let settings: Vec<String> = config
            .settings()
            .iter()
            .map(|s| format!("{}={}", s.name, s.value))
            .collect();
        assert_eq!(
            settings,
            [
                "max_threads=4",
                "log_id=x",
                "a=1",
                "active_role=analyst",
                "virtual_warehouse=vw-1"
            ]
        );
        assert_eq!(config.log_file, Some(PathBuf::from("/tmp/bh.log")));
        assert!(self::config("Host=h").settings().is_empty());
    }

    #[test]
    fn string_max_length_is_a_positive_size() {
        assert_eq!(config("Host=h").string_max_length, DEFAULT_STRING_MAX_LENGTH);
        assert_eq!(config("Host=h;StringMaxLength=4096").string_max_length, 4096);
        assert!(error("Host=h;StringMaxLength=0").contains("StringMaxLength"));
    }

    #[test]
    fn secrets_never_appear_in_debug() {
        let with_password = config("Host=h;UID=u;PWD={s3cr3t;pw}");
        let with_api_key = config("Host=h;ApiKey=ak-s3cr3t");
        for config in [with_password, with_api_key] {
            assert!(!format!("{config:?}").contains("s3cr3t"));
            assert!(!format!("{:?}", config.connect_options()).contains("s3cr3t"));
        }
        assert_eq!(format!("{:?}", Secret::default()), "\"\"");
    }
}
