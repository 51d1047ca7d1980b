//! libbytehouse.so loaded by unixODBC, as applications use it: isql with a DSN and pyodbc with a
//! DSN-less connection string. The driver is registered in generated ini files
//! (ODBCSYSINI/ODBCINI point at a temporary directory; nothing is written to /etc).

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::OdbcConfig;

fn run_with_input(mut command: Command, input: &str) -> (bool, String) {
    use std::io::Write;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

#[test]
fn isql_and_iusql_query_through_a_dsn() {
    let config = OdbcConfig::temporary();
    for server in common::servers() {
        // isql takes the ANSI entry points, iusql the UTF-16 ones.
        for program in ["isql", "iusql"] {
            let mut client = config.command(program);
            client.args(["-b", "-d|", &server.dsn()]);
            let (ok, output) = run_with_input(
                client,
                "SELECT number, concat('é', toString(number * 2)) FROM numbers(3)\n",
            );
            assert!(ok, "{program} on {}: {output}", server.name);
            let rows: Vec<&str> = output
                .lines()
                .map(str::trim)
                .filter(|line| line.contains('|'))
                .collect();
            assert_eq!(rows, ["0|é0", "1|é2", "2|é4"], "{program} on {}: {output}", server.name);
        }

        // isql's `help` lists tables (SQLTables), `help <table>` its columns (SQLColumns).
        for program in ["isql", "iusql"] {
            let mut client = config.command(program);
            client.args(["-b", "-d|", &server.dsn()]);
            let (ok, output) = run_with_input(client, "help\n");
            assert!(
                ok && output.contains("|numbers|SYSTEM TABLE|"),
                "{program} help: {output}"
            );
            let table = common::unique_table("isql_help");
            let mut client = config.command(program);
            client.args(["-b", "-d|", &server.dsn()]);
            let script = format!("CREATE TABLE {table} (n UInt8) ENGINE = Memory\nhelp {table}\nDROP TABLE {table}\n");
            let (ok, output) = run_with_input(client, &script);
            assert!(
                ok && output.contains(&format!("|{table}|n|-6|UInt8|")),
                "{program} help {table}: {output}"
            );
        }

        let mut isql = config.command("isql");
        isql.args(["-b", "-v", &server.dsn()]);
        let (_, output) = run_with_input(isql, "SELEC 1\n");
        // isql is an ODBC 2 application: the driver manager maps 42000 to its ODBC 2 name, 37000.
        assert!(
            output.contains("[37000][libbytehouse]") && output.contains("Syntax error"),
            "{output}"
        );
    }
}

/// Runs a Python script from `python/tests` against each server; it prints `<marker>: ok`.
fn run_python_suite(script: &str, marker: &str) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/tests").join(script);
    let config = OdbcConfig::temporary();
    for server in common::servers() {
        let mut python = config.command(std::env::var("PYTHON").unwrap_or_else(|_| "python3".into()));
        python
            .arg(&script)
            .env("BYTEHOUSE_TEST_PORT", server.port.to_string())
            .env("BYTEHOUSE_TEST_HOST", common::host())
            .env("BYTEHOUSE_TEST_DSN", server.dsn());
        let (ok, output) = run_with_input(python, "");
        assert!(ok, "{}: {output}", server.name);
        assert!(output.contains(&format!("{marker}: ok")), "{output}");
    }
}

#[test]
fn pyodbc_suite() {
    run_python_suite("smoke_pyodbc.py", "pyodbc smoke");
}

#[test]
fn pyodbc_cursors_share_a_connection() {
    run_python_suite("statements_pyodbc.py", "pyodbc statements");
}

#[test]
fn arrow_odbc_block_fetch() {
    run_python_suite("smoke_arrow_odbc.py", "arrow-odbc smoke");
}

/// iODBC's SQLWCHAR is the 4-byte wchar_t: iodbctest (iODBC linked into the program, which announces
/// itself with SQL_APPLICATION_NAME) and a Python program loading libiodbc.so.2, narrow and wide.
#[test]
fn iodbc_queries_through_a_dsn() {
    let config = OdbcConfig::temporary();
    for server in common::servers() {
        let mut client = config.iodbc_command("iodbctest");
        client.arg(format!("DSN={}", server.dsn()));
        let (ok, output) = run_with_input(
            client,
            "SELECT number, concat('é', toString(number * 2)) AS s FROM numbers(3)\n\
             SELECT * FROM no_such_table_for_iodbctest\nquit\n",
        );
        assert!(ok, "iodbctest on {}: {output}", server.name);
        let rows: Vec<String> = output
            .lines()
            .filter(|line| line.contains('|') && !line.contains("number"))
            .map(|line| line.split('|').map(str::trim).collect::<Vec<_>>().join("|"))
            .collect();
        assert_eq!(rows, ["0|é0", "1|é2", "2|é4"], "iodbctest on {}: {output}", server.name);
        assert!(
            output.contains("no_such_table_for_iodbctest") && output.contains("SQLSTATE=42S02"),
            "iodbctest error on {}: {output}",
            server.name
        );

        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/tests/smoke_iodbc.py");
        let mut python = config.iodbc_command(std::env::var("PYTHON").unwrap_or_else(|_| "python3".into()));
        python.arg(&script).env("BYTEHOUSE_TEST_DSN", server.dsn());
        let (ok, output) = run_with_input(python, "");
        assert!(ok && output.contains("iodbc smoke: ok"), "{}: {output}", server.name);
    }
}
