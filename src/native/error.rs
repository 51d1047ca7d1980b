//! Errors of the native client. Each variant says whether the connection is still usable.

use std::fmt;
use std::io;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An exception sent by the server, with the chain of causes nested inside it.
///
/// The chain is a flat list, never a recursive structure: a hostile server may nest causes without
/// end, and recursion over such a chain (reading, printing or dropping it) would overflow the stack.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerException {
    pub code: i32,
    pub name: String,
    pub message: String,
    pub stack_trace: String,
    /// The nested causes, outermost first, as many as the reader keeps.
    pub causes: Vec<ExceptionCause>,
    /// Nested causes that were read but not kept (past the cap on levels).
    pub omitted_causes: u64,
    /// Bytes of text (names, messages, stack traces) that were read but not kept (past the cap on text).
    pub omitted_bytes: u64,
}

/// One nested cause of a [`ServerException`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExceptionCause {
    pub code: i32,
    pub name: String,
    pub message: String,
    pub stack_trace: String,
}

impl fmt::Display for ServerException {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Code: {}. {}", self.code, self.message)?;
        for cause in &self.causes {
            write!(f, " (caused by: Code: {}. {}", cause.code, cause.message)?;
        }
        if self.omitted_causes > 0 {
            write!(f, " (and {} more nested causes)", self.omitted_causes)?;
        }
        for _ in &self.causes {
            f.write_str(")")?;
        }
        if self.omitted_bytes > 0 {
            write!(f, " ({} bytes of exception text omitted)", self.omitted_bytes)?;
        }
        Ok(())
    }
}

#[derive(Debug)]
pub enum Error {
    /// No connection could be made (resolution, refusal, connect timeout).
    Connect { address: String, source: io::Error },
    /// Every server of a list failed to answer; one line per attempt, naming the server.
    NoServerReached(Vec<String>),
    /// The TLS handshake failed (certificate verification included).
    Tls(String),
    /// The server answered with an exception; after a query the connection stays usable.
    Server(ServerException),
    /// Reading or writing the socket failed; the connection is broken.
    Io(io::Error),
    /// The peer sent bytes that do not follow the protocol; the connection is broken.
    Protocol(String),
    /// A compressed frame was corrupt (checksum mismatch, bad sizes); the connection is broken.
    Compression(String),
    /// The server sent nothing for longer than the receive timeout; the connection is broken.
    Timeout(String),
    /// A timeout the application set expired and the connection was given up: the connect timeout,
    /// or a query timeout whose Cancel the server never answered.
    GaveUp(String),
    /// The query ran past its deadline and was cancelled; the connection stays usable.
    QueryTimeout,
    /// The query was cancelled on request; the connection stays usable.
    Cancelled,
    /// A type name could not be parsed, or names a type this client cannot read or write.
    Type(String),
    /// A value given for INSERT does not fit its column.
    Value {
        column: String,
        row: usize,
        message: String,
    },
    /// A call that does not fit the connection's state (e.g. a query while a result is open).
    Usage(String),
    /// An earlier failure left the connection unusable.
    Broken,
    /// The server rejected the connection's settings (one, or one of these) while it was being
    /// established.
    Setting { names: Vec<String>, source: Box<Error> },
}

impl Error {
    pub fn protocol(message: impl Into<String>) -> Self {
        Error::Protocol(message.into())
    }

    /// True if the socket itself failed or went silent, as opposed to carrying bytes this client
    /// could not read: reopening the connection would not help, or would only wait again.
    pub fn is_transport_failure(&self) -> bool {
        matches!(self, Error::Io(_) | Error::Timeout(_) | Error::GaveUp(_))
    }

    /// True if the connection that produced this error must not be used again.
    /// Marks a server's answer as its verdict on the connection's settings `names`; other errors
    /// (the connection failing meanwhile) stay as they are.
    pub fn for_settings(self, names: Vec<String>) -> Error {
        match self {
            Error::Server(_) => Error::Setting {
                names,
                source: Box::new(self),
            },
            other => other,
        }
    }

    /// The SQLSTATE of this failure (SQL's standard error classes, shared by the ODBC functions and
    /// the C API). A rejected setting is classified by what the server said of it.
    pub fn sqlstate(&self) -> &'static str {
        match self {
            Error::Setting { source, .. } => source.sqlstate(),
            Error::Connect { .. } | Error::NoServerReached(_) | Error::Tls(_) => "08001",
            Error::Server(exception) => match exception.code {
                // Authentication failed, unknown user, wrong password, required password.
                192..=195 | 516 => "28000",
                62 => "42000",
                60 => "42S02",
                47 => "42S22",
                81 => "3D000",
                159 => "HYT00",
                394 => "HY008",
                _ => "HY000",
            },
            // A server silent past the receive timeout broke the link: no query timeout expired.
            Error::Io(_) | Error::Protocol(_) | Error::Compression(_) | Error::Timeout(_) | Error::Broken => "08S01",
            // The query timeout, also when its Cancel went unanswered, and the login timeout.
            Error::QueryTimeout | Error::GaveUp(_) => "HYT00",
            Error::Cancelled => "HY008",
            Error::Type(_) => "HY000",
            Error::Value { .. } => "22018",
            Error::Usage(_) => "HY010",
        }
    }

    /// The server's error code when the server raised the error (also behind a rejected setting),
    /// else 0.
    pub fn server_code(&self) -> i32 {
        match self {
            Error::Server(exception) => exception.code,
            Error::Setting { source, .. } => source.server_code(),
            _ => 0,
        }
    }

    pub fn breaks_connection(&self) -> bool {
        matches!(
            self,
            Error::Connect { .. }
                | Error::NoServerReached(_)
                | Error::Tls(_)
                | Error::Io(_)
                | Error::Protocol(_)
                | Error::Compression(_)
                | Error::Timeout(_)
                | Error::GaveUp(_)
                | Error::Broken
        )
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Connect { address, source } => write!(f, "cannot connect to {address}: {source}"),
            Error::NoServerReached(attempts) => write!(f, "no server could be reached: {}", attempts.join("; ")),
            Error::Tls(message) => write!(f, "TLS handshake failed: {message}"),
            Error::Server(exception) => write!(f, "{exception}"),
            Error::Io(source) => write!(f, "connection failed: {source}"),
            Error::Protocol(message) => write!(f, "protocol error: {message}"),
            Error::Compression(message) => write!(f, "compressed data is corrupt: {message}"),
            Error::Timeout(message) | Error::GaveUp(message) => write!(f, "timed out: {message}"),
            Error::QueryTimeout => write!(f, "query timed out and was cancelled"),
            Error::Cancelled => write!(f, "query was cancelled"),
            Error::Type(message) => write!(f, "{message}"),
            Error::Value { column, row, message } => {
                write!(f, "value for column `{column}` at row {row}: {message}")
            }
            Error::Usage(message) => write!(f, "{message}"),
            Error::Broken => write!(f, "connection is broken by an earlier error"),
            Error::Setting { names, source } => {
                let names: Vec<String> = names.iter().map(|name| format!("`{name}`")).collect();
                let (noun, list) = match &names[..] {
                    [one] => ("setting", one.clone()),
                    several => ("one of the settings", several.join(", ")),
                };
                write!(f, "the server rejected {noun} {list}: {source}")
            }
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Connect { source, .. } | Error::Io(source) => Some(source),
            _ => None,
        }
    }
}

impl From<io::Error> for Error {
    fn from(source: io::Error) -> Self {
        if let Some(corrupt) = source
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<super::compress::CorruptFrame>())
        {
            return Error::Compression(corrupt.to_string());
        }
        if let Some(timed_out) = source
            .get_ref()
            .and_then(|inner| inner.downcast_ref::<super::conn::GaveUp>())
        {
            return Error::GaveUp(timed_out.to_string());
        }
        match source.kind() {
            io::ErrorKind::UnexpectedEof => Error::Io(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the server closed the connection",
            )),
            io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => Error::Timeout(source.to_string()),
            _ => Error::Io(source),
        }
    }
}
