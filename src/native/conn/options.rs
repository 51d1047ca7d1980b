//! What opening a connection and running a query take: address, login, timeouts, settings.

use std::fmt;
use std::time::Duration;

use super::packets::Setting;
use super::progress_observer::ProgressObserver;
use super::transport::TlsOptions;
use crate::native::revision;

/// Everything needed to open a connection.
#[derive(Clone)]
pub struct ConnectOptions {
    pub host: String,
    pub port: u16,
    /// Empty for the user's default database.
    pub database: String,
    pub user: String,
    pub password: String,
    /// TLS when set, with certificate verification unless opted out.
    pub tls: Option<TlsOptions>,
    pub connect_timeout: Duration,
    pub send_timeout: Duration,
    /// The longest the server may stay silent while a query runs before the connection is given up.
    pub receive_timeout: Duration,
    /// LZ4-compress data blocks in both directions.
    pub compression: bool,
    pub client_name: String,
    /// The protocol revision to advertise, clamped to what this client implements.
    pub revision: u64,
    pub quota_key: String,
    /// Settings for every query of the connection. From revision 54429 they travel with each query
    /// as text; older servers take them by `SET` once at connect, because their binary form needs
    /// each setting's type, which a client can only guess, and a wrong guess derails the stream.
    pub settings: Vec<Setting>,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            host: "127.0.0.1".into(),
            port: 9000,
            database: String::new(),
            user: "default".into(),
            password: String::new(),
            tls: None,
            connect_timeout: Duration::from_secs(10),
            send_timeout: Duration::from_secs(300),
            receive_timeout: Duration::from_secs(300),
            compression: false,
            client_name: "libbytehouse".into(),
            revision: revision::DEFAULT_CLIENT_REVISION,
            quota_key: String::new(),
            settings: Vec::new(),
        }
    }
}

/// The password is never printed.
impl fmt::Debug for ConnectOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectOptions")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("database", &self.database)
            .field("user", &self.user)
            .field("password", &if self.password.is_empty() { "" } else { "***" })
            .field("tls", &self.tls)
            .field("connect_timeout", &self.connect_timeout)
            .field("send_timeout", &self.send_timeout)
            .field("receive_timeout", &self.receive_timeout)
            .field("compression", &self.compression)
            .field("client_name", &self.client_name)
            .field("revision", &self.revision)
            .field("settings", &self.settings)
            .finish()
    }
}

/// Per-query options.
#[derive(Debug, Clone, Default)]
pub struct QueryOptions {
    /// Empty lets the server choose one.
    pub query_id: String,
    pub settings: Vec<Setting>,
    /// Cancel the query when it has waited longer than this for the server (the time the caller
    /// takes between reads does not count); it then fails with [`Error::QueryTimeout`].
    pub timeout: Option<Duration>,
    /// Told of the query's progress as each Progress packet arrives.
    pub progress: Option<ProgressObserver>,
}
