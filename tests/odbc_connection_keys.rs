//! Connection keys as SQLDriverConnect reads them: the first occurrence wins, unknown keys are
//! warnings (01S00) unless they look like TLS or credential keys, settings the server rejects are
//! reported at connect by key, the connect timeout bounds the whole connect, and a host list fails
//! over to the servers that answer.

mod common;

use std::ffi::c_void;
use std::net::TcpListener;
use std::ptr::null_mut;
use std::time::{Duration, Instant};

use bytehouse::ffi::*;
use common::c_abi::{HANDLE_DBC, HANDLE_STMT, Handles};
use common::{Server, diagnostic_record, host, old_server, servers};

/// SQL_ATTR_LOGIN_TIMEOUT.
const ATTR_LOGIN_TIMEOUT: i32 = 103;

/// Every diagnostic record of a handle: (SQLSTATE, native error, message).
fn records(handle_type: i16, handle: *mut c_void) -> Vec<(String, i32, String)> {
    (1..)
        .map_while(|number| diagnostic_record(handle_type, handle, number))
        .collect()
}

/// SQLDriverConnect on fresh handles: the return code, the records, and the handles (connected
/// when the code says so).
fn driver_connect(text: &str) -> (i16, Vec<(String, i32, String)>, Handles) {
    let mut handles = Handles::allocate();
    let code = unsafe {
        SQLDriverConnect(
            handles.dbc,
            null_mut(),
            text.as_ptr(),
            text.len() as i16,
            null_mut(),
            0,
            null_mut(),
            0,
        )
    };
    let records = records(HANDLE_DBC, handles.dbc);
    if code == SQL_SUCCESS || code == SQL_SUCCESS_WITH_INFO {
        assert_eq!(
            unsafe { SQLAllocHandle(HANDLE_STMT, handles.dbc, &mut handles.stmt) },
            SQL_SUCCESS
        );
    }
    (code, records, handles)
}

fn address(server: &Server) -> String {
    format!("{}:{}", host(), server.port)
}

/// A port nothing listens on: bound, then released.
fn refused_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[test]
fn unknown_keys_connect_with_a_warning_but_misspelt_tls_keys_are_refused() {
    for server in servers() {
        let text = format!(
            "Driver=x;Host={};Port={};Trusted_Connection=Yes;Prot=1",
            host(),
            server.port
        );
        let (code, records, handles) = driver_connect(&text);
        assert_eq!(code, SQL_SUCCESS_WITH_INFO, "{}: {records:?}", server.name);
        let states: Vec<&str> = records.iter().map(|(state, ..)| state.as_str()).collect();
        assert_eq!(states, ["01S00", "01S00"], "{}", server.name);
        assert!(records[0].2.contains("`Trusted_Connection`"), "{records:?}");
        assert!(records[1].2.contains("`Prot` (did you mean `Port`?)"), "{records:?}");
        assert_eq!(handles.query_text("SELECT 7"), ["7"]);

        let (code, records, _) = driver_connect(&format!("Host={};Port={};Secur=1", host(), server.port));
        assert_eq!(code, SQL_ERROR);
        assert!(records[0].2.contains("did you mean `Secure`?"), "{records:?}");
    }
}

#[test]
fn the_first_occurrence_of_a_repeated_key_wins() {
    for server in servers() {
        let text = format!("Host={};Port={};PORT=1;Server=nowhere.invalid", host(), server.port);
        let (code, records, handles) = driver_connect(&text);
        assert_eq!(code, SQL_SUCCESS, "{}: {records:?}", server.name);
        assert_eq!(handles.query_text("SELECT 1"), ["1"]);
    }
}

#[test]
fn valid_settings_apply_to_every_query() {
    for server in servers() {
        let text = format!("Host={};Port={};setting.max_threads=3", host(), server.port);
        let (code, records, handles) = driver_connect(&text);
        assert_eq!(code, SQL_SUCCESS, "{}: {records:?}", server.name);
        for _ in 0..2 {
            let value = handles.query_text("SELECT value FROM system.settings WHERE name = 'max_threads'");
            assert_eq!(value, ["3"], "{}", server.name);
        }
    }
}

#[test]
fn settings_the_server_rejects_are_reported_at_connect_by_key() {
    let old = old_server();
    let modern = common::modern_server();
    let cases = [
        (&old, "VirtualWarehouse=vw-1", 115, "`VirtualWarehouse`"),
        (&old, "Role=analyst", 115, "`Role`"),
        (&old, "setting.no_such_setting=1", 115, "`setting.no_such_setting`"),
        (
            &old,
            "setting.max_execution_time=2.5",
            170,
            "`setting.max_execution_time`",
        ),
        (&modern, "setting.max_threads=abc", 27, "`setting.max_threads`"),
    ];
    for (server, keys, native, key) in cases {
        let started = Instant::now();
        let (code, records, _) = driver_connect(&format!("Host={};Port={};{keys}", host(), server.port));
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{keys}: took {:?}",
            started.elapsed()
        );
        assert_eq!(code, SQL_ERROR, "{}: {keys}", server.name);
        let (state, got_native, message) = &records[0];
        assert_eq!(
            (state.as_str(), *got_native),
            ("HY000", native),
            "{}: {keys}: {message}",
            server.name
        );
        assert!(message.contains(key) && message.contains("rejected"), "{message}");
    }
}

#[test]
fn the_connect_timeout_bounds_a_server_that_never_says_hello() {
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    // By the key, and by SQL_ATTR_LOGIN_TIMEOUT with the key at its default of 10 s.
    for login_timeout in [None, Some(1usize)] {
        let mut handles = Handles::allocate();
        let text = match login_timeout {
            None => format!("Host=127.0.0.1;Port={port};ConnectTimeout=1"),
            Some(seconds) => {
                let code = unsafe { SQLSetConnectAttr(handles.dbc, ATTR_LOGIN_TIMEOUT, seconds as *mut c_void, 0) };
                assert_eq!(code, SQL_SUCCESS);
                format!("Host=127.0.0.1;Port={port}")
            }
        };
        let started = Instant::now();
        let error = handles.connect_with(&text).unwrap_err();
        let elapsed = started.elapsed();
        assert!(elapsed < Duration::from_secs(4), "waited {elapsed:?}");
        assert_eq!(error.0, "HYT00", "{error:?}");
        assert!(error.1.contains("connect timeout (1 s)"), "{error:?}");
    }
}

#[test]
fn a_host_list_fails_over_to_a_server_that_answers() {
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent = format!("127.0.0.1:{}", silent.local_addr().unwrap().port());
    let refused = format!("127.0.0.1:{}", refused_port());
    for server in servers() {
        // The silent host costs its connect timeout each time it is tried: once here.
        let with_silent = format!("Host={refused},{silent},{};ConnectTimeout=1", address(&server));
        let (code, records, handles) = driver_connect(&with_silent);
        assert_eq!(code, SQL_SUCCESS, "{}: {with_silent}: {records:?}", server.name);
        assert_eq!(handles.query_text("SELECT 2"), ["2"]);
        for order in ["in_order", "random", "round_robin"] {
            for _ in 0..3 {
                let text = format!("Host={refused},{};HostOrder={order}", address(&server));
                let (code, records, handles) = driver_connect(&text);
                assert_eq!(code, SQL_SUCCESS, "{}: {text}: {records:?}", server.name);
                assert_eq!(handles.query_text("SELECT 2"), ["2"]);
            }
        }
    }
}

#[test]
fn when_no_host_answers_the_error_lists_each_with_its_reason() {
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent = format!("127.0.0.1:{}", silent.local_addr().unwrap().port());
    let refused = format!("127.0.0.1:{}", refused_port());
    let text = format!("Host={refused},{silent};ConnectTimeout=1;ConnectRetries=1;RetryDelayMs=10");
    let started = Instant::now();
    let (code, records, _) = driver_connect(&text);
    assert!(started.elapsed() < Duration::from_secs(6), "{:?}", started.elapsed());
    assert_eq!(code, SQL_ERROR);
    let (state, _, message) = &records[0];
    assert_eq!(state, "08001", "{message}");
    assert!(message.contains(&format!("{refused} (2 tries): ")), "{message}");
    assert!(message.contains(&format!("{silent} (2 tries): ")), "{message}");
    assert!(message.contains("connect timeout"), "{message}");
}

#[test]
fn a_server_that_refuses_the_login_ends_the_failover() {
    let [old, modern] = servers();
    let text = format!("Host={},{};UID=no_such_user", address(&old), address(&modern));
    let (code, records, _) = driver_connect(&text);
    assert_eq!(code, SQL_ERROR);
    assert_eq!(records[0].0, "28000", "{records:?}");
}
