//! A C program compiled with gcc against unixODBC's headers links libbytehouse.so directly and
//! queries both test servers.

mod common;

use std::process::Command;

#[test]
fn a_c_program_links_the_library_directly() {
    let target_dir = common::target_dir();
    let source = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/c/select.c");
    let program = target_dir.join(common::unique_table("c_select"));
    let compiled = Command::new("gcc")
        .args(["-Wall", "-Werror", "-o"])
        .arg(&program)
        .arg(source)
        .arg(format!("-L{}", target_dir.display()))
        .arg(format!("-Wl,-rpath,{}", target_dir.display()))
        .arg("-lbytehouse")
        .output()
        .expect("gcc runs");
    assert!(
        compiled.status.success(),
        "{}",
        String::from_utf8_lossy(&compiled.stderr)
    );
    for server in common::servers() {
        let output = Command::new(&program)
            .arg(common::host())
            .arg(server.port.to_string())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{}: {stderr}", server.name);
        assert_eq!(stdout, "0|row 0\n1|row 1\n2|row 2\n", "{}", server.name);
        assert!(
            stderr.contains("[42000]") && stderr.contains("Syntax error"),
            "{stderr}"
        );
    }
    let _ = std::fs::remove_file(program);
}
