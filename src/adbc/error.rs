//! ADBC failures: a status code chosen to match the failure, a message, a SQLSTATE and the server's
//! error code (0 when the client found the error), which the exported functions hand back through an
//! `AdbcError`.

use crate::capi::CError;
use crate::config::ConfigError;
use crate::native::Error;

/// ADBC status codes (`AdbcStatusCode`).
pub mod status {
    pub const OK: u8 = 0;
    pub const UNKNOWN: u8 = 1;
    pub const NOT_IMPLEMENTED: u8 = 2;
    pub const NOT_FOUND: u8 = 3;
    pub const ALREADY_EXISTS: u8 = 4;
    pub const INVALID_ARGUMENT: u8 = 5;
    pub const INVALID_STATE: u8 = 6;
    pub const INVALID_DATA: u8 = 7;
    pub const INTERNAL: u8 = 9;
    pub const IO: u8 = 10;
    pub const CANCELLED: u8 = 11;
    pub const TIMEOUT: u8 = 12;
    pub const UNAUTHENTICATED: u8 = 13;
    pub const UNAUTHORIZED: u8 = 14;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub status: u8,
    pub sqlstate: String,
    pub message: String,
    pub server_code: i32,
}

impl Failure {
    pub fn new(status: u8, sqlstate: &str, message: impl std::fmt::Display) -> Failure {
        Failure {
            status,
            sqlstate: sqlstate.to_string(),
            message: message.to_string(),
            server_code: 0,
        }
    }

    pub fn invalid_argument(message: impl std::fmt::Display) -> Failure {
        Failure::new(status::INVALID_ARGUMENT, "HY024", message)
    }

    pub fn invalid_state(message: impl std::fmt::Display) -> Failure {
        Failure::new(status::INVALID_STATE, "HY010", message)
    }

    pub fn not_implemented(message: impl std::fmt::Display) -> Failure {
        Failure::new(status::NOT_IMPLEMENTED, "HYC00", message)
    }

    pub fn not_found(message: impl std::fmt::Display) -> Failure {
        Failure::new(status::NOT_FOUND, "HY000", message)
    }
}

/// The status that fits a failure, from the server's code where the server raised it, else from its
/// SQLSTATE.
fn status_of(sqlstate: &str, server_code: i32) -> u8 {
    match server_code {
        57 | 82 => return status::ALREADY_EXISTS,
        16 | 46 | 47 | 60 | 81 => return status::NOT_FOUND,
        497 => return status::UNAUTHORIZED,
        6 | 27 | 53 | 69 | 70 => return status::INVALID_DATA,
        _ => {}
    }
    match sqlstate {
        "28000" => status::UNAUTHENTICATED,
        "HYT00" => status::TIMEOUT,
        "HY008" => status::CANCELLED,
        "42S02" | "42S22" | "3D000" => status::NOT_FOUND,
        "42000" | "07002" | "HY004" | "HY009" | "HY024" => status::INVALID_ARGUMENT,
        "HY010" => status::INVALID_STATE,
        state if state.starts_with("08") => status::IO,
        state if state.starts_with("22") => status::INVALID_DATA,
        _ => status::UNKNOWN,
    }
}

impl From<CError> for Failure {
    fn from(error: CError) -> Failure {
        let sqlstate = error.sqlstate.to_string_lossy().into_owned();
        Failure {
            status: status_of(&sqlstate, error.code),
            message: error.message.to_string_lossy().into_owned(),
            server_code: error.code,
            sqlstate,
        }
    }
}

impl From<&Error> for Failure {
    fn from(error: &Error) -> Failure {
        Failure::from(CError::from(error))
    }
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure::from(&error)
    }
}

/// Configuration errors never quote a secret (see [`crate::config`]).
impl From<ConfigError> for Failure {
    fn from(error: ConfigError) -> Failure {
        Failure::invalid_argument(error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_follow_the_server_code_then_the_sqlstate() {
        assert_eq!(status_of("HY000", 60), status::NOT_FOUND);
        assert_eq!(status_of("HY000", 57), status::ALREADY_EXISTS);
        assert_eq!(status_of("28000", 516), status::UNAUTHENTICATED);
        assert_eq!(status_of("42000", 62), status::INVALID_ARGUMENT);
        assert_eq!(status_of("08001", 0), status::IO);
        assert_eq!(status_of("HYT00", 0), status::TIMEOUT);
        assert_eq!(status_of("HY008", 394), status::CANCELLED);
        assert_eq!(status_of("HY000", 1001), status::UNKNOWN);
    }
}
