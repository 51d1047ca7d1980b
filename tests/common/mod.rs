//! Shared helpers for tests against the local servers started by `scripts/test-servers.sh`.
#![allow(dead_code)]

pub mod c_abi;
pub mod c_api;
mod environment;
pub mod private_server;
pub mod scripted_peer;

pub use environment::*;

use bytehouse::native::{ConnectOptions, Connection};

// Here, not in environment.rs: these need the driver crate (its native client).
impl Server {
    pub fn options(&self) -> ConnectOptions {
        ConnectOptions {
            host: host(),
            port: self.port,
            ..ConnectOptions::default()
        }
    }

    pub fn connect(&self) -> Connection {
        Connection::connect(&self.options()).unwrap_or_else(|error| panic!("connect to {}: {error}", self.name))
    }

    pub fn connect_compressed(&self) -> Connection {
        let options = ConnectOptions {
            compression: true,
            ..self.options()
        };
        Connection::connect(&options).unwrap_or_else(|error| panic!("connect to {}: {error}", self.name))
    }
}

pub fn tls_port() -> u16 {
    port("CLICKHOUSE_TLS_PORT", 19440)
}

pub fn tls_ca() -> std::path::PathBuf {
    std::env::var("CLICKHOUSE_TLS_CA")
        .map(Into::into)
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/.test-servers/certs/ca.pem").into())
}

/// Runs a statement and returns every row as text (`Value`'s Display).
pub fn rows_as_text(connection: &mut Connection, sql: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let Some(mut block) = connection
        .query(sql, &Default::default())
        .unwrap_or_else(|error| panic!("{sql}: {error}"))
    else {
        return rows;
    };
    loop {
        rows.extend(block.text_rows());
        if !connection
            .next_block(&mut block)
            .unwrap_or_else(|error| panic!("{sql}: {error}"))
        {
            return rows;
        }
    }
}

/// Our text of a value, in the form the server's `toString` gives: decimals without trailing zeros
/// (26.9; we keep the scale) and FixedString without its zero padding (both servers).
pub fn comparable_text(value: &bytehouse::native::Value<'_>, type_name: &str) -> String {
    let text = value.to_string();
    if type_name.contains("FixedString") {
        return text.trim_end_matches('\0').to_string();
    }
    let is_decimal = type_name.contains("Decimal")
        && text.contains('.')
        && text
            .bytes()
            .all(|byte| byte.is_ascii_digit() || byte == b'.' || byte == b'-');
    if is_decimal {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// Diagnostic record `number` (from 1) of a handle through SQLGetDiagRec: (SQLSTATE, native error,
/// message); `None` once there are no more (SQL_NO_DATA). Any other answer fails the test.
pub fn diagnostic_record(
    handle_type: i16,
    handle: *mut std::ffi::c_void,
    number: i16,
) -> Option<(String, i32, String)> {
    let mut state = [0u8; 6];
    let mut message = [0u8; 4096];
    let (mut native, mut length) = (0i32, 0i16);
    let code = unsafe {
        bytehouse::ffi::SQLGetDiagRec(
            handle_type,
            handle,
            number,
            state.as_mut_ptr(),
            &mut native,
            message.as_mut_ptr(),
            message.len() as i16,
            &mut length,
        )
    };
    if code == bytehouse::ffi::SQL_NO_DATA {
        return None;
    }
    assert_eq!(code, bytehouse::ffi::SQL_SUCCESS, "diagnostic record {number}");
    Some((
        String::from_utf8_lossy(&state[..5]).into_owned(),
        native,
        String::from_utf8_lossy(&message[..length as usize]).into_owned(),
    ))
}

/// The first diagnostic record of a handle: (SQLSTATE, message).
pub fn diagnostic(handle_type: i16, handle: *mut std::ffi::c_void) -> (String, String) {
    let (state, _, message) = diagnostic_record(handle_type, handle, 1).expect("no diagnostic record");
    (state, message)
}
