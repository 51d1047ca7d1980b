//! The plain C API (`bh_*`, include/bytehouse.h): the header compiles as C99 and C++17 (also after
//! another copy of the Arrow C interface), the Arrow stream example runs against both servers and
//! under valgrind, and every export survives misuse: NULLs, freed and foreign handles, bad flags,
//! released streams.

mod common;

use std::ffi::{CStr, CString, c_char};
use std::path::PathBuf;
use std::process::Command;
use std::ptr::{null, null_mut};
use std::time::{Duration, Instant};

use bytehouse::arrow::{ArrowArray, ArrowArrayStream, ArrowSchema};
use bytehouse::ffi::*;
use common::{host, servers};

const INCLUDE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/include");

fn connection_string(port: u16) -> CString {
    CString::new(format!("Host={};Port={port}", host())).unwrap()
}

/// Takes an error out-parameter's value: (SQLSTATE, code, message), and frees it.
fn take(error: *mut bh_error) -> (String, i32, String) {
    assert!(!error.is_null(), "an error was expected");
    unsafe {
        let taken = (
            CStr::from_ptr(bh_error_sqlstate(error)).to_string_lossy().into_owned(),
            bh_error_code(error),
            CStr::from_ptr(bh_error_message(error)).to_string_lossy().into_owned(),
        );
        bh_error_free(error);
        taken
    }
}

fn compile(compiler: &str, standard: &str, source: &str, output: &PathBuf, language: &str) -> std::process::Output {
    let target_dir = common::target_dir();
    Command::new(compiler)
        .args([standard, "-Wall", "-Wextra", "-Werror", "-pedantic", "-x", language])
        .arg(format!("-I{INCLUDE}"))
        .arg("-o")
        .arg(output)
        .arg(source)
        .args(["-x", "none"])
        .arg(format!("-L{}", target_dir.display()))
        .arg(format!("-Wl,-rpath,{}", target_dir.display()))
        .arg("-lbytehouse")
        .output()
        .expect("the compiler runs")
}

#[test]
fn the_header_compiles_as_c99_and_cpp17_also_after_another_arrow_header() {
    let dir = std::env::temp_dir().join(common::unique_table("c_api_header"));
    std::fs::create_dir_all(&dir).unwrap();
    // A stand-in for arrow's abi.h: the same guards, so ours must step aside.
    let other_arrow = "#include <stdint.h>\n#ifndef ARROW_C_DATA_INTERFACE\n#define ARROW_C_DATA_INTERFACE\n\
        #define ARROW_FLAG_DICTIONARY_ORDERED 1\n#define ARROW_FLAG_NULLABLE 2\n#define ARROW_FLAG_MAP_KEYS_SORTED 4\n\
        struct ArrowSchema { const char* format; const char* name; const char* metadata; int64_t flags; \
        int64_t n_children; struct ArrowSchema** children; struct ArrowSchema* dictionary; \
        void (*release)(struct ArrowSchema*); void* private_data; };\n\
        struct ArrowArray { int64_t length; int64_t null_count; int64_t offset; int64_t n_buffers; \
        int64_t n_children; const void** buffers; struct ArrowArray** children; struct ArrowArray* dictionary; \
        void (*release)(struct ArrowArray*); void* private_data; };\n#endif\n";
    for (first, name) in [("", "alone"), (other_arrow, "after_abi")] {
        let source = dir.join(format!("{name}.c"));
        std::fs::write(
            &source,
            format!("{first}#include \"bytehouse.h\"\nint main(void) {{ return bh_version() == 0; }}\n"),
        )
        .unwrap();
        for (compiler, standard, language) in [("gcc", "-std=c99", "c"), ("g++", "-std=c++17", "c++")] {
            let program = dir.join(format!("{name}_{compiler}"));
            let output = compile(compiler, standard, source.to_str().unwrap(), &program, language);
            assert!(
                output.status.success(),
                "{compiler} {standard} {name}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(Command::new(&program).status().unwrap().success());
        }
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Builds examples/c/arrow_stream.c.
fn arrow_example() -> PathBuf {
    let program = common::target_dir().join(common::unique_table("arrow_stream"));
    let source = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/c/arrow_stream.c");
    let output = compile("gcc", "-std=c99", source, &program, "c");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    program
}

const EXPECTED_EXAMPLE_OUTPUT: &str =
    "n L\ns u nullable\nrows 100000 sum 4999950000 nulls 10000 batches>0 1\nerror 42000 62\n";

#[test]
fn the_arrow_stream_example_reads_both_servers_and_is_clean_under_valgrind() {
    let program = arrow_example();
    for server in servers() {
        let output = Command::new(&program)
            .arg(connection_string(server.port).to_str().unwrap())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}: {}",
            server.name,
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            EXPECTED_EXAMPLE_OUTPUT,
            "{}",
            server.name
        );
    }
    let server = &servers()[0];
    let output = Command::new("valgrind")
        .args([
            "--quiet",
            "--error-exitcode=99",
            "--leak-check=full",
            "--errors-for-leak-kinds=definite",
        ])
        .arg(&program)
        .arg(connection_string(server.port).to_str().unwrap())
        .output()
        .expect("valgrind runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "valgrind: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), EXPECTED_EXAMPLE_OUTPUT);
    let _ = std::fs::remove_file(program);
}

#[test]
fn null_and_malformed_arguments_are_errors_not_crashes() {
    unsafe {
        let mut error = null_mut();
        assert!(bh_connect(null(), &mut error).is_null());
        assert_eq!(take(error).0, "HY009");
        assert!(bh_connect(null(), null_mut()).is_null());
        let not_utf8 = b"Host=\xff\0";
        assert!(bh_connect(not_utf8.as_ptr().cast(), &mut error).is_null());
        assert!(take(error).2.contains("not UTF-8"));

        let server = &servers()[0];
        let connection = bh_connect(connection_string(server.port).as_ptr(), &mut error);
        assert!(!connection.is_null() && error.is_null());
        let sql = c"SELECT 1";
        assert_eq!(bh_execute(connection, null(), null_mut(), &mut error), -1);
        assert_eq!(take(error).0, "HY009");
        assert_eq!(bh_execute(null_mut(), sql.as_ptr(), null_mut(), &mut error), -1);
        assert_eq!(take(error).0, "HY009");
        assert_eq!(bh_query_arrow(connection, sql.as_ptr(), 0, null_mut(), &mut error), -1);
        assert!(take(error).2.contains("output stream is NULL"));
        let mut stream = ArrowArrayStream::empty();
        assert_eq!(
            bh_query_arrow(connection, sql.as_ptr(), 0x80, &mut stream, &mut error),
            -1
        );
        assert_eq!(take(error).0, "HY024");
        assert!(stream.release.is_none(), "a failed call leaves the stream alone");
        // A foreign pointer is refused, not dereferenced.
        let foreign = std::ptr::dangling_mut::<bh_connection>();
        assert_eq!(bh_execute(foreign, sql.as_ptr(), null_mut(), &mut error), -1);
        assert_eq!(take(error).0, "HY009");
        assert_eq!(bh_cancel(foreign), -1);
        bh_connection_free(foreign);
        bh_connection_free(null_mut());
        bh_connection_free(connection);
    }
}

#[test]
fn freed_handles_are_refused_and_double_frees_ignored() {
    unsafe {
        let mut error = null_mut();
        let connection = bh_connect(connection_string(servers()[0].port).as_ptr(), &mut error);
        assert!(!connection.is_null());
        bh_connection_free(connection);
        bh_connection_free(connection);
        assert_eq!(bh_execute(connection, c"SELECT 1".as_ptr(), null_mut(), &mut error), -1);
        let freed_error = error;
        let (state, ..) = take(error);
        assert_eq!(state, "HY009");
        // The error is freed now: its getters answer empty, a second free is ignored.
        assert_eq!(bh_error_code(freed_error), 0);
        assert_eq!(CStr::from_ptr(bh_error_sqlstate(freed_error)).to_bytes(), b"");
        assert_eq!(CStr::from_ptr(bh_error_message(null())).to_bytes(), b"");
        bh_error_free(freed_error);
        bh_error_free(null_mut());
    }
}

#[test]
fn connect_errors_carry_sqlstate_and_code_without_the_password() {
    let refused = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    unsafe {
        let mut error = null_mut();
        let text = CString::new(format!("Host=127.0.0.1;Port={refused};PWD=MarkerPass9")).unwrap();
        assert!(bh_connect(text.as_ptr(), &mut error).is_null());
        let (state, code, message) = take(error);
        assert_eq!((state.as_str(), code), ("08001", 0), "{message}");
        let text = CString::new(format!(
            "Host={};Port={};UID=nobody;PWD=MarkerPass9",
            host(),
            servers()[0].port
        ))
        .unwrap();
        assert!(bh_connect(text.as_ptr(), &mut error).is_null());
        let (state, code, message) = take(error);
        assert_eq!(state, "28000", "{message}");
        assert!(code != 0 && !message.contains("MarkerPass9"), "{message}");
    }
}

/// Runs `query` and reads the stream to its end: (rows, the error of the read if any).
unsafe fn read_stream(stream: &mut ArrowArrayStream) -> (i64, Option<String>) {
    let mut rows = 0;
    unsafe {
        loop {
            let mut batch = ArrowArray::empty();
            if stream.get_next.unwrap()(stream, &mut batch) != 0 {
                let message = CStr::from_ptr(stream.get_last_error.unwrap()(stream));
                return (rows, Some(message.to_string_lossy().into_owned()));
            }
            let Some(release) = batch.release else {
                return (rows, None);
            };
            rows += batch.length;
            release(&mut batch);
        }
    }
}

#[test]
fn streams_outlive_their_connection_and_survive_misuse() {
    for server in servers() {
        unsafe {
            let mut error = null_mut();
            let connection = bh_connect(connection_string(server.port).as_ptr(), &mut error);
            let mut stream = ArrowArrayStream::empty();
            let sql = c"SELECT number FROM numbers(200000) SETTINGS max_block_size = 10000";
            assert_eq!(bh_query_arrow(connection, sql.as_ptr(), 0, &mut stream, &mut error), 0);
            bh_connection_free(connection);
            let get_schema = stream.get_schema.unwrap();
            assert_eq!(get_schema(&mut stream, null_mut()), 22, "EINVAL for a NULL schema");
            let mut schema = ArrowSchema::empty();
            assert_eq!(get_schema(&mut stream, &mut schema), 0);
            schema.release.unwrap()(&mut schema);
            assert_eq!(read_stream(&mut stream), (200000, None), "{}", server.name);
            let release = stream.release.unwrap();
            release(&mut stream);
            release(&mut stream);
            let mut batch = ArrowArray::empty();
            assert_eq!(
                stream.get_next.unwrap()(&mut stream, &mut batch),
                22,
                "EINVAL once released"
            );
            assert!(stream.get_last_error.unwrap()(&mut stream).is_null());
        }
    }
}

#[test]
fn cancel_from_another_thread_stops_a_running_statement() {
    for server in servers() {
        unsafe {
            let mut error = null_mut();
            let connection = bh_connect(connection_string(server.port).as_ptr(), &mut error);
            let address = connection as usize;
            let canceller = std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(300));
                bh_cancel(address as *mut bh_connection)
            });
            let started = Instant::now();
            let endless: *const c_char = c"SELECT count() FROM system.numbers".as_ptr();
            assert_eq!(bh_execute(connection, endless, null_mut(), &mut error), -1);
            assert_eq!(canceller.join().unwrap(), 0);
            assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
            assert_eq!(take(error).0, "HY008", "{}", server.name);
            let mut written = 0i64;
            assert_eq!(
                bh_execute(connection, c"SELECT 1".as_ptr(), &mut written, &mut error),
                0
            );
            bh_connection_free(connection);
        }
    }
}
