//! `bh_connect("DSN=...")` reads the data source's keys from odbc.ini, as the ODBC driver does, and
//! keys in the connection string win over them. The ini files are generated in a temporary
//! directory that ODBCSYSINI and ODBCINI point at (never /etc); this file holds one test, so
//! setting those variables races with no other test.

mod common;

use std::ffi::CString;
use std::ptr::{null, null_mut};

use bytehouse::ffi::*;
use common::c_api::take;
use common::{host, servers};

/// The first cell of a one-row, one-string-column result, read through the block views.
fn text_of(connection: *mut bh_connection, sql: &std::ffi::CStr) -> String {
    let mut error = null_mut();
    unsafe {
        let result = bh_query(connection, sql.as_ptr(), null(), 0, null(), &mut error);
        assert!(!result.is_null(), "{sql:?}: {:?}", take(error));
        let mut block = null_mut();
        assert_eq!(bh_result_next_block(result, &mut block, &mut error), 0);
        assert!(!block.is_null(), "{sql:?} gave no rows");
        let column = &*bh_block_column(block, 0);
        let bytes = std::slice::from_raw_parts(column.data, *column.ends);
        let text = String::from_utf8_lossy(bytes).into_owned();
        bh_block_free(block);
        bh_result_free(result);
        text
    }
}

/// The version a server reports starts with the one in its name ("ClickHouse 18.16").
fn version_of(server: &common::Server) -> &'static str {
    server.name.trim_start_matches("ClickHouse ")
}

fn connect(connection_string: &str) -> Result<*mut bh_connection, (String, i32, String)> {
    let text = CString::new(connection_string).unwrap();
    let mut error = null_mut();
    let connection = unsafe { bh_connect(text.as_ptr(), &mut error) };
    if connection.is_null() {
        Err(take(error))
    } else {
        Ok(connection)
    }
}

#[test]
fn a_dsn_brings_its_keys_and_the_connection_string_wins() {
    let dir = std::env::temp_dir().join(common::unique_table("c_api_dsn"));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("odbcinst.ini"),
        format!("[ByteHouse test]\nDriver = {}\n", common::library().display()),
    )
    .unwrap();
    let servers = servers();
    let data_sources: String = servers
        .iter()
        .map(|server| {
            format!(
                "[capi_{}]\nDriver = ByteHouse test\nHost = {}\nPort = {}\nDatabase = system\n\
                 UID = default\nPWD =\n\n",
                server.port,
                host(),
                server.port
            )
        })
        .collect();
    std::fs::write(dir.join("odbc.ini"), data_sources).unwrap();
    // SAFETY: the only test of this binary, before any thread reads the environment.
    unsafe {
        std::env::set_var("ODBCSYSINI", &dir);
        std::env::set_var("ODBCINI", dir.join("odbc.ini"));
    }

    for (index, server) in servers.iter().enumerate() {
        let other = &servers[(index + 1) % servers.len()];
        let dsn = format!("DSN=capi_{}", server.port);

        // The data source's host, port and database.
        let connection = connect(&dsn).unwrap_or_else(|error| panic!("{dsn}: {error:?}"));
        assert_eq!(
            text_of(connection, c"SELECT currentDatabase()"),
            "system",
            "{}",
            server.name
        );
        let version = text_of(connection, c"SELECT version()");
        assert!(version.starts_with(version_of(server)), "{}: {version}", server.name);
        unsafe { bh_connection_free(connection) };

        // Keys in the connection string win over the data source's.
        let overridden = format!("{dsn};Database=default;Port={}", other.port);
        let connection = connect(&overridden).unwrap_or_else(|error| panic!("{overridden}: {error:?}"));
        assert_eq!(
            text_of(connection, c"SELECT currentDatabase()"),
            "default",
            "{}",
            server.name
        );
        let version = text_of(connection, c"SELECT version()");
        assert!(version.starts_with(version_of(other)), "{}: {version}", server.name);
        unsafe { bh_connection_free(connection) };
    }

    // A data source that is not there is an error naming it, not a connection to some default.
    let (sqlstate, _, message) = connect("DSN=capi_missing").map(|_| ()).unwrap_err();
    assert!(message.contains("capi_missing"), "[{sqlstate}] {message}");
    let _ = std::fs::remove_dir_all(dir);
}
