//! libbytehouse.so loaded by unixODBC, as applications use it: isql with a DSN and pyodbc with a
//! DSN-less connection string. The driver is registered in generated ini files
//! (ODBCSYSINI/ODBCINI point at a temporary directory; nothing is written to /etc).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A directory with odbcinst.ini and odbc.ini for this run.
struct OdbcConfig {
    dir: PathBuf,
}

impl OdbcConfig {
    fn new(port: u16) -> OdbcConfig {
        let library = common::library();
        assert!(library.exists(), "{} is built with the tests", library.display());
        let dir = std::env::temp_dir().join(common::unique_table("bytehouse_odbc"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("odbcinst.ini"),
            format!(
                "[ByteHouse]\nDescription = libbytehouse test build\nDriver = {}\n",
                library.display()
            ),
        )
        .unwrap();
        std::fs::write(
            dir.join("odbc.ini"),
            format!(
                "[bytehouse_test]\nDriver = ByteHouse\nHost = {}\nPort = {port}\n",
                common::host()
            ),
        )
        .unwrap();
        OdbcConfig { dir }
    }

    fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command
            .env("ODBCSYSINI", &self.dir)
            .env("ODBCINI", self.dir.join("odbc.ini"));
        command
    }
}

impl Drop for OdbcConfig {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

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
    for server in common::servers() {
        let config = OdbcConfig::new(server.port);
        // isql takes the ANSI entry points, iusql the UTF-16 ones.
        for program in ["isql", "iusql"] {
            let mut client = config.command(program);
            client.args(["-b", "-d|", "bytehouse_test"]);
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

        let mut isql = config.command("isql");
        isql.args(["-b", "-v", "bytehouse_test"]);
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
    for server in common::servers() {
        let config = OdbcConfig::new(server.port);
        let mut python = config.command(&std::env::var("PYTHON").unwrap_or_else(|_| "python3".into()));
        python
            .arg(&script)
            .env("BYTEHOUSE_TEST_PORT", server.port.to_string())
            .env("BYTEHOUSE_TEST_HOST", common::host());
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
fn arrow_odbc_block_fetch() {
    run_python_suite("smoke_arrow_odbc.py", "arrow-odbc smoke");
}
