//! A pyodbc loop under valgrind memcheck: no error may come from libbytehouse.so (CPython itself,
//! built without valgrind support, reports uninitialised reads in its own collector; those are
//! not ours and are ignored).

mod common;

use std::process::Command;

#[test]
fn pyodbc_loop_is_clean_under_memcheck() {
    let python = Command::new("python3")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .unwrap();
    let python = String::from_utf8_lossy(&python.stdout).trim().to_string();
    let server = common::old_server();
    let config = common::OdbcConfig::temporary();
    let output = config
        .command("valgrind")
        .args(["--tool=memcheck", "--num-callers=40", "--leak-check=no"])
        .arg(&python)
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/python/tests/valgrind_loop.py"))
        .env("PYTHONMALLOC", "malloc")
        .env("BYTEHOUSE_TEST_HOST", common::host())
        .env("BYTEHOUSE_TEST_PORT", server.port.to_string())
        .output()
        .expect("valgrind runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(stdout.contains("done"), "{stdout}\n{report}");
    // Each error is a block of lines between blank `==pid==` lines.
    let ours: Vec<&str> = report
        .split("== \n")
        .filter(|block| block.contains("libbytehouse"))
        .collect();
    assert!(ours.is_empty(), "memcheck errors in libbytehouse:\n{}", ours.join("\n"));
}
