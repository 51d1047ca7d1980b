//! Passwords and API keys never come back out of the driver: error paths run with marker secrets,
//! and every diagnostic record (SQLGetDiagRec(W) and each string field of SQLGetDiagField), the
//! `LogFile=` log, SQLDriverConnect's completed string, Debug output of the configuration, and the
//! output of isql reading a DSN from odbc.ini (unixODBC) must not contain any of them.

mod common;

use std::ffi::c_void;
use std::process::Stdio;

use bytehouse::ffi::*;
use common::c_abi::{HANDLE_DBC, HANDLE_STMT, Handles};

/// A password and an API key no server knows: they appear only in failed logins.
const PASSWORD: &str = "MARKERpw0";
const API_KEY: &str = "MARKERkey0";
/// The real key of the test servers' `bytehouse` user: the secret of sessions that do log in.
const REAL_KEY: &str = "test-api-key";
const SECRETS: [&str; 3] = [PASSWORD, API_KEY, REAL_KEY];

/// Fails if `text` (from `origin`) holds any secret.
fn assert_no_secret(origin: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{origin} shows `{secret}`:\n{text}");
    }
}

/// Every record of a handle, read with SQLGetDiagRec and SQLGetDiagRecW, and each string field of
/// SQLGetDiagField; all of it as one text, one record a line.
fn all_diagnostics(handle_type: i16, handle: *mut c_void) -> String {
    /// SQL_DIAG_ fields of type string: SQLSTATE, message, class and subclass origin,
    /// connection and server name, and the header's dynamic function.
    const STRING_FIELDS: [i16; 7] = [4, 6, 8, 9, 10, 11, 7];
    let mut text = String::new();
    for number in 1i16.. {
        let Some((_, _, message)) = common::diagnostic_record(handle_type, handle, number) else {
            break;
        };
        text.push_str(&message);
        let (mut native, mut length) = (0i32, 0i16);
        let mut wide = [0u16; 4096];
        let mut wide_state = [0u16; 6];
        let code = unsafe {
            SQLGetDiagRecW(
                handle_type,
                handle,
                number,
                wide_state.as_mut_ptr(),
                &mut native,
                wide.as_mut_ptr(),
                wide.len() as i16,
                &mut length,
            )
        };
        assert_eq!(code, SQL_SUCCESS, "record {number} (W)");
        text.push_str(&String::from_utf16_lossy(&wide[..length as usize]));
        for field in STRING_FIELDS {
            let mut value = [0u8; 4096];
            let mut length = 0i16;
            let code = unsafe {
                SQLGetDiagField(
                    handle_type,
                    handle,
                    number,
                    field,
                    value.as_mut_ptr().cast(),
                    value.len() as i16,
                    &mut length,
                )
            };
            if code == SQL_SUCCESS {
                text.push_str(&String::from_utf8_lossy(&value[..length.max(0) as usize]));
                text.push(' ');
            }
        }
        text.push('\n');
    }
    text
}

/// Connects with `connection_string`; returns the handles if that worked, else the connection's
/// diagnostics. Either way the completed string and the diagnostics are checked for secrets.
fn connect(connection_string: &str) -> Result<Handles, String> {
    let handles = Handles::allocate();
    let mut out = [0u8; 2048];
    let mut out_length = 0i16;
    let code = unsafe {
        SQLDriverConnect(
            handles.dbc,
            std::ptr::null_mut(),
            connection_string.as_ptr(),
            connection_string.len() as i16,
            out.as_mut_ptr(),
            out.len() as i16,
            &mut out_length,
            0,
        )
    };
    let diagnostics = all_diagnostics(HANDLE_DBC, handles.dbc);
    assert_no_secret(&format!("the diagnostics of {connection_string}"), &diagnostics);
    if code != SQL_SUCCESS && code != SQL_SUCCESS_WITH_INFO {
        assert!(!diagnostics.is_empty(), "{connection_string} failed without a record");
        return Err(diagnostics);
    }
    let completed = String::from_utf8_lossy(&out[..out_length as usize]).into_owned();
    assert_no_secret(&format!("the completed string of {connection_string}"), &completed);
    assert!(completed.contains("=***"), "secrets are shown as ***: {completed}");
    let mut handles = handles;
    unsafe { assert_eq!(SQLAllocHandle(HANDLE_STMT, handles.dbc, &mut handles.stmt), SQL_SUCCESS) };
    Ok(handles)
}

fn server_address(server: &common::Server) -> String {
    format!("Host={};Port={}", common::host(), server.port)
}

/// Connection strings that cannot log in or cannot even be read, each holding a marker secret.
fn failing_connection_strings(log: &std::path::Path) -> Vec<String> {
    let log = format!("LogFile={}", log.display());
    let host = common::host();
    let mut strings = Vec::new();
    for server in common::servers() {
        let address = server_address(&server);
        strings.extend([
            format!("{address};UID=default;PWD={PASSWORD};{log}"),
            format!("{address};UID=nobody;Password={PASSWORD};{log}"),
            format!("{address};ApiKey={API_KEY};{log}"),
        ]);
    }
    strings.extend([
        // Nothing listens there (this test's private port range), or the name does not resolve.
        format!("Host={host};Port=19039;PWD={PASSWORD};{log}"),
        format!("Host=no-such-host.invalid;Port=9000;ApiKey={API_KEY};{log}"),
        // TLS against a plain port, and a certificate from a CA nobody trusts.
        format!(
            "Host={host};Port={};Secure=1;PWD={PASSWORD};{log}",
            common::old_server().port
        ),
        format!(
            "Host=localhost;Port={};Secure=1;ApiKey={API_KEY};{log}",
            common::tls_port()
        ),
        // Keys the configuration refuses, and strings that do not parse.
        format!("Host={host};ApiKey={API_KEY};PWD={PASSWORD}"),
        format!("Host={host};ApiKey={API_KEY};UID=someone"),
        format!("Host={host};PWD={PASSWORD};NoSuchKey={PASSWORD}"),
        format!("Host={host};PWD={{{PASSWORD}"),
        format!("Host={host};PWD={{{PASSWORD}}}x;ApiKey={API_KEY}"),
        format!("Host={host};PWD={PASSWORD};{API_KEY};{log}"),
        format!("PWD={PASSWORD};ApiKey={API_KEY}"),
    ]);
    strings
}

#[test]
fn failed_connections_show_no_secret() {
    let log = std::env::temp_dir().join(format!("{}.log", common::unique_table("secrets_failed")));
    for connection_string in failing_connection_strings(&log) {
        let outcome = connect(&connection_string);
        assert!(outcome.is_err(), "{connection_string} connected");
    }
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    std::fs::remove_file(&log).ok();
    assert!(logged.contains("connect"), "the log has the connects: {logged}");
    assert_no_secret("the driver log", &logged);
}

#[test]
fn a_session_shows_its_key_nowhere() {
    for server in common::servers() {
        let log = std::env::temp_dir().join(format!("{}.log", common::unique_table("secrets_session")));
        let strings = [
            format!(
                "{};ApiKey={REAL_KEY};LogFile={}",
                server_address(&server),
                log.display()
            ),
            format!(
                "{};UID=bytehouse;PWD={REAL_KEY};LogFile={}",
                server_address(&server),
                log.display()
            ),
        ];
        for connection_string in strings {
            let handles = connect(&connection_string).unwrap_or_else(|error| panic!("{}: {error}", server.name));
            // Server errors, the key in the SQL text itself, and a query that works.
            for sql in [
                "SELEC 1",
                "SELECT * FROM no_such_table_anywhere",
                "SELECT no_such_column",
                "SELECT 1 FROM no_such_table_anywhere",
            ] {
                assert_eq!(handles.execute(sql), SQL_ERROR, "{sql}");
                let diagnostics = all_diagnostics(HANDLE_STMT, handles.stmt);
                assert!(!diagnostics.is_empty(), "{sql}");
                assert_no_secret(&format!("the diagnostics of {sql} on {}", server.name), &diagnostics);
            }
            // The application's own SQL may hold the key: the log shows it as `***`.
            assert_eq!(handles.query_text(&format!("SELECT '{REAL_KEY}'")), [REAL_KEY]);
            // A second connect on a connected handle fails (08002).
            let again = connection_string.as_str();
            let code = unsafe {
                SQLDriverConnect(
                    handles.dbc,
                    std::ptr::null_mut(),
                    again.as_ptr(),
                    again.len() as i16,
                    std::ptr::null_mut(),
                    0,
                    std::ptr::null_mut(),
                    0,
                )
            };
            assert_eq!(code, SQL_ERROR);
            assert_no_secret("a second connect", &all_diagnostics(HANDLE_DBC, handles.dbc));
        }
        let logged = std::fs::read_to_string(&log).unwrap();
        std::fs::remove_file(&log).ok();
        assert!(logged.contains("no_such_table_anywhere"), "{logged}");
        assert_no_secret(&format!("the driver log on {}", server.name), &logged);
    }
}

#[test]
fn debug_output_of_the_configuration_shows_no_secret() {
    use bytehouse::config::{Config, connection_string};
    for text in [
        format!("Host=h;PWD={PASSWORD};UID=u"),
        format!("Host=h;Password={PASSWORD}"),
        format!("Host=h;ApiKey={API_KEY}"),
        format!("Host=gateway.aws-cn-north-1.bytehouse.cloud;api_key={API_KEY}"),
    ] {
        let Ok(pairs) = connection_string::parse(&text) else {
            continue;
        };
        match Config::from_pairs(&[], &pairs) {
            Ok(config) => {
                assert_no_secret("Debug of Config", &format!("{config:?}"));
                assert_no_secret("Debug of ConnectOptions", &format!("{:?}", config.connect_options()));
            }
            Err(error) => {
                assert_no_secret("Debug of ConfigError", &format!("{error:?} {error}"));
            }
        }
        let string = connection_string::ConnectionString::from(pairs);
        assert_no_secret("Display and Debug of ConnectionString", &format!("{string} {string:?}"));
    }
}

/// isql reading DSNs from odbc.ini (unixODBC): a wrong password and a wrong API key in the DSN or
/// given to SQLConnect, and a DSN that logs in and then runs failing statements. Nothing isql
/// prints may show a secret.
#[test]
fn a_dsn_read_through_unixodbc_shows_no_secret() {
    let config = common::OdbcConfig::temporary();
    let odbc_ini = config
        .variables()
        .into_iter()
        .find_map(|(name, path)| (name == "ODBCINI").then_some(path))
        .unwrap();
    let log = std::env::temp_dir().join(format!("{}.log", common::unique_table("secrets_dsn")));
    let mut sections = std::fs::read_to_string(&odbc_ini).unwrap();
    let mut cases = Vec::new();
    for server in common::servers() {
        for (suffix, secret_line, logs_in) in [
            ("pwd", format!("PWD = {PASSWORD}"), false),
            ("key", format!("ApiKey = {API_KEY}"), false),
            ("real", format!("ApiKey = {REAL_KEY}"), true),
        ] {
            let name = format!("secrets_{suffix}_{}", server.port);
            sections.push_str(&format!(
                "[{name}]\nDriver = {}\nHost = {}\nPort = {}\n{secret_line}\nLogFile = {}\n",
                common::DRIVER_NAME,
                common::host(),
                server.port,
                log.display()
            ));
            cases.push((name, Vec::new(), logs_in));
        }
        // SQLConnect's own user and password arguments.
        cases.push((server.dsn(), vec!["default".to_string(), PASSWORD.to_string()], false));
    }
    std::fs::write(&odbc_ini, sections).unwrap();
    for (dsn, arguments, logs_in) in cases {
        for program in ["isql", "iusql"] {
            let mut child = config
                .command(program)
                .args(["-v", "-b", &dsn])
                .args(&arguments)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let statements = "SELEC 1\nSELECT 1 FROM no_such_table_anywhere\nSELECT 1\n";
            use std::io::Write;
            child.stdin.take().unwrap().write_all(statements.as_bytes()).unwrap();
            let output = child.wait_with_output().unwrap();
            let printed = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            let expected = if logs_in {
                "no_such_table_anywhere"
            } else {
                "[ISQL]ERROR"
            };
            assert!(printed.contains(expected), "{program} {dsn}: {printed}");
            assert_no_secret(&format!("{program} with DSN {dsn}"), &printed);
        }
    }
    let logged = std::fs::read_to_string(&log).unwrap();
    std::fs::remove_file(&log).ok();
    assert_no_secret("the driver log of the DSNs", &logged);
}
