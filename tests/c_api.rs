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
use bytehouse::capi::{bh_column, bh_column_kind, bh_param, bh_param_kind};
use bytehouse::ffi::*;
use common::c_api::{connect, connection_string, execute, take};
use common::{host, servers};

const INCLUDE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/include");

fn compile(compiler: &str, standard: &str, source: &str, output: &PathBuf, language: &str) -> std::process::Output {
    let target_dir = common::target_dir();
    Command::new(compiler)
        .args([
            standard,
            "-pthread",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-pedantic",
            "-x",
            language,
        ])
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

/// Builds examples/c/`name`.c.
fn c_example(name: &str) -> PathBuf {
    let program = common::target_dir().join(common::unique_table(name));
    let source = format!("{}/examples/c/{name}.c", env!("CARGO_MANIFEST_DIR"));
    let output = compile("gcc", "-std=c99", &source, &program, "c");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    program
}

/// Runs an example `program` against both servers, expecting `expected` on its standard output,
/// then once under memcheck; removes it afterwards.
fn assert_example_runs(program: PathBuf, expected: &str) {
    for server in servers() {
        let output = Command::new(&program)
            .arg(connection_string(server.port).to_str().unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{}: {stderr}", server.name);
        assert_eq!(String::from_utf8_lossy(&output.stdout), expected, "{}", server.name);
    }
    assert_clean_under_valgrind(&program, expected);
    let _ = std::fs::remove_file(program);
}

/// Runs `program` against the 18.16 server under memcheck: no error, no definite leak, and the
/// output it gives without valgrind.
fn assert_clean_under_valgrind(program: &PathBuf, expected: &str) {
    let output = Command::new("valgrind")
        .args([
            "--quiet",
            "--error-exitcode=99",
            "--leak-check=full",
            "--errors-for-leak-kinds=definite",
        ])
        .arg(program)
        .arg(connection_string(servers()[0].port).to_str().unwrap())
        .output()
        .expect("valgrind runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "valgrind: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), expected);
}

const EXPECTED_EXAMPLE_OUTPUT: &str = "n L\ns u nullable\nrows 100000 sum 4999950000 nulls 10000 batches 10\nprogress reported 1, grew only 1, read all 1\nerror 42000 62\n";

#[test]
fn the_arrow_stream_example_reads_both_servers_and_is_clean_under_valgrind() {
    assert_example_runs(c_example("arrow_stream"), EXPECTED_EXAMPLE_OUTPUT);
}

const EXPECTED_INSERT_OUTPUT: &str = "refused [22018] value for column `name` at row 7: end 5 is before the previous \
    end 6\ninserted 4\n(1,'one',10,[7])\n(2,'two',NULL,[])\n(3,'three',30,[8,9])\n(4,'four',40,[10])\n";

#[test]
fn the_column_insert_example_runs_on_both_servers_and_is_clean_under_valgrind() {
    assert_example_runs(c_example("insert_columns"), EXPECTED_INSERT_OUTPUT);
}

const EXPECTED_CPP_OUTPUT: &str = "id UInt64\ntext String\nmaybe Nullable(Int32)\nids 45 last text 18 nulls 3 sum 33\ncancelled HY008\ntimed out HYT00\n";

#[test]
fn the_cpp_example_reads_typed_views_and_cancels_on_both_servers_also_under_valgrind() {
    let program = common::target_dir().join(common::unique_table("query_blocks"));
    let source = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/cpp/query_blocks.cpp");
    let output = compile("g++", "-std=c++17", source, &program, "c++");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_example_runs(program, EXPECTED_CPP_OUTPUT);
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
        assert_eq!(
            bh_execute(connection, null(), null(), 0, null(), null_mut(), &mut error),
            -1
        );
        assert_eq!(take(error).0, "HY009");
        assert_eq!(
            bh_execute(null_mut(), sql.as_ptr(), null(), 0, null(), null_mut(), &mut error),
            -1
        );
        assert_eq!(take(error).0, "HY009");
        assert_eq!(
            bh_query_arrow(connection, sql.as_ptr(), null(), 0, null(), 0, null_mut(), &mut error),
            -1
        );
        assert!(take(error).2.contains("output stream is NULL"));
        let mut stream = ArrowArrayStream::empty();
        assert_eq!(
            bh_query_arrow(
                connection,
                sql.as_ptr(),
                null(),
                0,
                null(),
                0x80,
                &mut stream,
                &mut error
            ),
            -1
        );
        assert_eq!(take(error).0, "HY024");
        assert!(stream.release.is_none(), "a failed call leaves the stream alone");
        // A foreign pointer is refused, not dereferenced.
        let foreign = std::ptr::dangling_mut::<bh_connection>();
        assert_eq!(
            bh_execute(foreign, sql.as_ptr(), null(), 0, null(), null_mut(), &mut error),
            -1
        );
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
        let connection = connect(servers()[0].port);
        bh_connection_free(connection);
        bh_connection_free(connection);
        assert_eq!(
            bh_execute(
                connection,
                c"SELECT 1".as_ptr(),
                null(),
                0,
                null(),
                null_mut(),
                &mut error
            ),
            -1
        );
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
            let connection = connect(server.port);
            let mut stream = ArrowArrayStream::empty();
            let sql = c"SELECT number FROM numbers(200000) SETTINGS max_block_size = 10000";
            assert_eq!(
                bh_query_arrow(connection, sql.as_ptr(), null(), 0, null(), 0, &mut stream, &mut error),
                0
            );
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
            let connection = connect(server.port);
            let address = connection as usize;
            let canceller = std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(300));
                bh_cancel(address as *mut bh_connection)
            });
            let started = Instant::now();
            let endless: *const c_char = c"SELECT count() FROM system.numbers".as_ptr();
            assert_eq!(
                bh_execute(connection, endless, null(), 0, null(), null_mut(), &mut error),
                -1
            );
            assert_eq!(canceller.join().unwrap(), 0);
            assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
            assert_eq!(take(error).0, "HY008", "{}", server.name);
            let mut written = 0i64;
            assert_eq!(
                bh_execute(
                    connection,
                    c"SELECT 1".as_ptr(),
                    null(),
                    0,
                    null(),
                    &mut written,
                    &mut error
                ),
                0
            );
            bh_connection_free(connection);
        }
    }
}

/// A value of a column view at `row`, as text: enough of each kind to check the views' pointers.
unsafe fn view_text(column: &bh_column, row: usize) -> String {
    unsafe {
        let children = if column.children.is_null() {
            &[]
        } else {
            std::slice::from_raw_parts(column.children, column.n_children)
        };
        match column.kind {
            bh_column_kind::BH_FIXED => {
                let bytes = std::slice::from_raw_parts(column.data.add(row * column.width), column.width);
                let mut value = [0u8; 8];
                value[..column.width.min(8)].copy_from_slice(&bytes[..column.width.min(8)]);
                u64::from_le_bytes(value).to_string()
            }
            bh_column_kind::BH_STRINGS => {
                let ends = std::slice::from_raw_parts(column.ends, column.rows);
                let start = if row == 0 { 0 } else { ends[row - 1] };
                let bytes = std::slice::from_raw_parts(column.data.add(start), ends[row] - start);
                String::from_utf8_lossy(bytes).into_owned()
            }
            bh_column_kind::BH_NULLABLE if *column.nulls.add(row) == 1 => "NULL".into(),
            bh_column_kind::BH_NULLABLE => view_text(&children[0], row),
            bh_column_kind::BH_ARRAY => {
                let ends = std::slice::from_raw_parts(column.array_ends, column.rows);
                let start = if row == 0 { 0 } else { ends[row - 1] };
                let elements: Vec<String> = (start..ends[row])
                    .map(|element| view_text(&children[0], element as usize))
                    .collect();
                format!("[{}]", elements.join(","))
            }
            bh_column_kind::BH_TUPLE => {
                let elements: Vec<String> = children.iter().map(|child| view_text(child, row)).collect();
                format!("({})", elements.join(","))
            }
            bh_column_kind::BH_LOW_CARDINALITY => view_text(&children[0], *column.keys.add(row) as usize),
        }
    }
}

#[test]
fn blocks_give_typed_views_of_every_column_kind() {
    for server in servers() {
        let sql = if server.is_modern() {
            "SELECT toUInt32(number) AS u, toString(number) AS s, if(number % 2 = 0, NULL, number) AS n, \
             [number, 7] AS a, (number, 'x') AS t, toLowCardinality(toString(number % 3)) AS lc, \
             map('k', number) AS m FROM numbers(3)"
        } else {
            "SELECT toUInt32(number) AS u, toString(number) AS s, if(number % 2 = 0, NULL, number) AS n, \
             [number, 7] AS a, (number, 'x') AS t, toLowCardinality(toString(number % 3)) AS lc \
             FROM numbers(3) SETTINGS allow_experimental_low_cardinality_type = 1"
        };
        let sql = CString::new(sql).unwrap();
        unsafe {
            let mut error = null_mut();
            let connection = connect(server.port);
            let result = bh_query(connection, sql.as_ptr(), null(), 0, null(), &mut error);
            assert!(!result.is_null(), "{}: {:?}", server.name, take(error));
            let columns = bh_result_column_count(result);
            assert_eq!(CStr::from_ptr(bh_result_column_name(result, 2)).to_str(), Ok("n"));
            assert_eq!(
                CStr::from_ptr(bh_result_column_type(result, 2)).to_str(),
                Ok("Nullable(UInt64)")
            );
            assert!(bh_result_column_name(result, columns).is_null());
            let mut block = null_mut();
            assert_eq!(bh_result_next_block(result, &mut block, &mut error), 0);
            assert_eq!((bh_block_rows(block), bh_block_column_count(block)), (3, columns));
            let mut rows = Vec::new();
            for row in 0..3 {
                let cells: Vec<String> = (0..columns)
                    .map(|index| view_text(&*bh_block_column(block, index), row))
                    .collect();
                rows.push(cells.join("|"));
            }
            let map = if server.is_modern() {
                ["|[(k,0)]", "|[(k,1)]", "|[(k,2)]"]
            } else {
                [""; 3]
            };
            assert_eq!(
                rows,
                [
                    format!("0|0|NULL|[0,7]|(0,x)|0{}", map[0]),
                    format!("1|1|1|[1,7]|(1,x)|1{}", map[1]),
                    format!("2|2|NULL|[2,7]|(2,x)|2{}", map[2]),
                ],
                "{}",
                server.name
            );
            let view = &*bh_block_column(block, 3);
            assert_eq!(
                (view.kind, CStr::from_ptr(view.name).to_str()),
                (bh_column_kind::BH_ARRAY, Ok("a"))
            );
            assert_eq!(CStr::from_ptr((*view.children).type_name).to_str(), Ok("UInt64"));
            assert!(bh_block_column(block, columns).is_null());
            let (mut read_rows, mut read_bytes) = (0u64, 0u64);
            assert_eq!(bh_result_progress(result, &mut read_rows, &mut read_bytes), 0);
            let mut end = std::ptr::dangling_mut::<bh_block>();
            assert_eq!(bh_result_next_block(result, &mut end, &mut error), 0);
            assert!(end.is_null(), "the end of the result");
            // Blocks outlive their result; frees of freed handles are ignored.
            bh_result_free(result);
            assert_eq!(bh_block_rows(block), 3);
            bh_block_free(block);
            bh_block_free(block);
            assert_eq!(bh_block_rows(block), 0);
            assert_eq!(bh_result_next_block(result, &mut end, &mut error), -1);
            assert_eq!(take(error).0, "HY009");
            bh_connection_free(connection);
        }
    }
}

#[test]
fn a_result_freed_early_is_cancelled_and_the_connection_goes_on() {
    for server in servers() {
        unsafe {
            let mut error = null_mut();
            let connection = connect(server.port);
            let endless = bh_query(
                connection,
                c"SELECT number FROM system.numbers".as_ptr(),
                null(),
                0,
                null(),
                &mut error,
            );
            let mut block = null_mut();
            assert_eq!(bh_result_next_block(endless, &mut block, &mut error), 0);
            bh_block_free(block);
            let started = Instant::now();
            bh_result_free(endless);
            assert!(started.elapsed() < Duration::from_secs(10));
            let mut written = 0;
            assert_eq!(
                bh_execute(
                    connection,
                    c"SELECT 1".as_ptr(),
                    null(),
                    0,
                    null(),
                    &mut written,
                    &mut error
                ),
                0,
                "{}",
                server.name
            );
            bh_connection_free(connection);
        }
    }
}

fn param(kind: bh_param_kind) -> bh_param {
    bh_param {
        kind,
        int64: 0,
        uint64: 0,
        float64: 0.0,
        text: null(),
        length: 0,
    }
}

#[test]
fn typed_parameters_are_quoted_into_their_placeholders() {
    let text = b"it's \\ \xc3\xa9\0x ?";
    let params = [
        bh_param {
            int64: -5,
            ..param(bh_param_kind::BH_PARAM_INT64)
        },
        bh_param {
            uint64: u64::MAX,
            ..param(bh_param_kind::BH_PARAM_UINT64)
        },
        bh_param {
            float64: 1.5,
            ..param(bh_param_kind::BH_PARAM_FLOAT64)
        },
        bh_param {
            text: text.as_ptr().cast(),
            length: text.len(),
            ..param(bh_param_kind::BH_PARAM_TEXT)
        },
        param(bh_param_kind::BH_PARAM_NULL),
    ];
    let sql = c"SELECT concat(toString(?), '|', toString(?), '|', toString(?), '|', ?, '|', toString(isNull(?))) AS s";
    for server in servers() {
        unsafe {
            let mut error = null_mut();
            let connection = connect(server.port);
            let result = bh_query(
                connection,
                sql.as_ptr(),
                params.as_ptr(),
                params.len(),
                null(),
                &mut error,
            );
            assert!(!result.is_null(), "{}: {:?}", server.name, take(error));
            let mut block = null_mut();
            assert_eq!(bh_result_next_block(result, &mut block, &mut error), 0);
            let column = &*bh_block_column(block, 0);
            let value = std::slice::from_raw_parts(column.data, *column.ends);
            assert_eq!(
                value, b"-5|18446744073709551615|1.5|it's \\ \xc3\xa9\0x ?|1",
                "{}",
                server.name
            );
            bh_block_free(block);
            bh_result_free(result);

            let one = c"SELECT ?";
            assert!(bh_query(connection, one.as_ptr(), params.as_ptr(), 2, null(), &mut error).is_null());
            assert_eq!(take(error).0, "07002");
            assert_eq!(
                bh_execute(connection, one.as_ptr(), null(), 1, null(), null_mut(), &mut error),
                -1
            );
            assert_eq!(take(error).0, "HY009");
            let no_text = bh_param {
                length: 3,
                ..param(bh_param_kind::BH_PARAM_TEXT)
            };
            assert_eq!(
                bh_execute(connection, one.as_ptr(), &no_text, 1, null(), null_mut(), &mut error),
                -1
            );
            assert_eq!(take(error).0, "HY009");
            let mut unknown = param(bh_param_kind::BH_PARAM_NULL);
            std::ptr::from_mut(&mut unknown.kind).cast::<u32>().write(77);
            assert_eq!(
                bh_execute(connection, one.as_ptr(), &unknown, 1, null(), null_mut(), &mut error),
                -1
            );
            assert_eq!(take(error).0, "HY004");
            bh_connection_free(connection);
        }
    }
}

/// A connection to the server at `port` with a new Memory table `table` of `columns`.
fn connect_with_table(port: u16, table: &str, columns: &str) -> *mut bh_connection {
    let connection = connect(port);
    execute(connection, &format!("CREATE TABLE {table} ({columns}) ENGINE = Memory"));
    connection
}

#[test]
fn inserts_take_rows_of_typed_values_and_name_a_bad_value() {
    for server in servers() {
        let table = common::unique_table("c_api_insert");
        unsafe {
            let mut error = null_mut();
            let connection = connect_with_table(server.port, &table, "x UInt32, s String, n Nullable(Int64)");
            let sql = CString::new(format!("INSERT INTO {table} (x, s, n) VALUES")).unwrap();
            let insert = bh_insert_begin(connection, sql.as_ptr(), null(), &mut error);
            assert!(!insert.is_null(), "{}: {:?}", server.name, take(error));
            assert_eq!(bh_insert_column_count(insert), 3);
            assert_eq!(
                CStr::from_ptr(bh_insert_column_type(insert, 2)).to_str(),
                Ok("Nullable(Int64)")
            );
            assert!(bh_insert_column_name(insert, 3).is_null());
            let text = b"row";
            for x in 1..=5u64 {
                let row = [
                    bh_param {
                        uint64: x,
                        ..param(bh_param_kind::BH_PARAM_UINT64)
                    },
                    bh_param {
                        text: text.as_ptr().cast(),
                        length: text.len(),
                        ..param(bh_param_kind::BH_PARAM_TEXT)
                    },
                    if x % 2 == 0 {
                        param(bh_param_kind::BH_PARAM_NULL)
                    } else {
                        bh_param {
                            int64: -(x as i64),
                            ..param(bh_param_kind::BH_PARAM_INT64)
                        }
                    },
                ];
                assert_eq!(bh_insert_append_row(insert, row.as_ptr(), 3, &mut error), 0);
                if x == 3 {
                    assert_eq!(bh_insert_send(insert, &mut error), 0);
                }
            }
            let bad = [
                bh_param {
                    int64: -1,
                    ..param(bh_param_kind::BH_PARAM_INT64)
                },
                param(bh_param_kind::BH_PARAM_NULL),
                param(bh_param_kind::BH_PARAM_NULL),
            ];
            assert_eq!(bh_insert_append_row(insert, bad.as_ptr(), 3, &mut error), -1);
            let (state, _, message) = take(error);
            assert_eq!(state, "22018", "{message}");
            assert!(message.contains("column `x` at row 6"), "{message}");
            assert_eq!(bh_insert_append_row(insert, bad.as_ptr(), 2, &mut error), -1);
            assert_eq!(take(error).0, "07002");
            let mut rows = 0u64;
            assert_eq!(bh_insert_finish(insert, &mut rows, &mut error), 0, "{}", server.name);
            assert_eq!(rows, 5);
            assert_eq!(bh_insert_send(insert, &mut error), -1);
            assert_eq!(take(error).0, "HY010");
            bh_insert_free(insert);
            bh_insert_free(insert);

            let check = CString::new(format!(
                "SELECT concat(toString(sum(x)), '|', toString(ifNull(sum(n), 0)), '|', toString(countIf(isNull(n)))) FROM {table}"
            ))
            .unwrap();
            let result = bh_query(connection, check.as_ptr(), null(), 0, null(), &mut error);
            let mut block = null_mut();
            assert_eq!(bh_result_next_block(result, &mut block, &mut error), 0);
            let column = &*bh_block_column(block, 0);
            assert_eq!(
                std::slice::from_raw_parts(column.data, *column.ends),
                b"15|-9|2",
                "{}",
                server.name
            );
            bh_block_free(block);
            bh_result_free(result);

            // An INSERT given up keeps the block it sent, drops the row it did not, and leaves the
            // connection usable.
            let insert = bh_insert_begin(connection, sql.as_ptr(), null(), &mut error);
            let row = [
                param(bh_param_kind::BH_PARAM_UINT64),
                param(bh_param_kind::BH_PARAM_TEXT),
                param(bh_param_kind::BH_PARAM_NULL),
            ];
            assert_eq!(bh_insert_append_row(insert, row.as_ptr(), 3, &mut error), 0);
            assert_eq!(bh_insert_send(insert, &mut error), 0);
            assert_eq!(bh_insert_append_row(insert, row.as_ptr(), 3, &mut error), 0);
            bh_insert_free(insert);
            let count = CString::new(format!("SELECT count() FROM {table}")).unwrap();
            let mut stream = ArrowArrayStream::empty();
            assert_eq!(
                bh_query_arrow(
                    connection,
                    count.as_ptr(),
                    null(),
                    0,
                    null(),
                    0,
                    &mut stream,
                    &mut error
                ),
                0
            );
            let mut batch = ArrowArray::empty();
            assert_eq!(stream.get_next.unwrap()(&mut stream, &mut batch), 0);
            let count_column = &**batch.children;
            let counted = *(*count_column.buffers.add(1)).cast::<u64>();
            assert_eq!(
                counted, 6,
                "{}: the block sent, not the row appended after it",
                server.name
            );
            batch.release.unwrap()(&mut batch);
            stream.release.unwrap()(&mut stream);
            execute(connection, &format!("DROP TABLE {table}"));
            bh_connection_free(connection);
        }
    }
}

#[test]
fn a_query_stream_inserts_into_a_table_and_a_misused_stream_is_refused() {
    for server in servers() {
        let table = common::unique_table("c_api_arrow_insert");
        unsafe {
            let mut error = null_mut();
            let connection = connect_with_table(server.port, &table, "x UInt64, s String");
            // A second connection produces the stream the first one inserts.
            let source = connect(server.port);
            let mut stream = ArrowArrayStream::empty();
            let select =
                c"SELECT number AS x, toString(number) AS s FROM numbers(100000) SETTINGS max_block_size = 7000";
            assert_eq!(
                bh_query_arrow(source, select.as_ptr(), null(), 0, null(), 0, &mut stream, &mut error),
                0
            );
            let insert = CString::new(format!("INSERT INTO {table} VALUES")).unwrap();
            let mut rows = 0u64;
            assert_eq!(
                bh_insert_arrow(connection, insert.as_ptr(), null(), &mut stream, &mut rows, &mut error),
                0,
                "{}",
                server.name
            );
            assert_eq!(rows, 100000);
            assert!(stream.release.is_none(), "the stream is consumed");
            // Consumed or NULL streams are refused; a stream given with a bad connection is released.
            assert_eq!(
                bh_insert_arrow(connection, insert.as_ptr(), null(), &mut stream, null_mut(), &mut error),
                -1
            );
            assert_eq!(take(error).0, "HY009");
            assert_eq!(
                bh_insert_arrow(connection, insert.as_ptr(), null(), null_mut(), null_mut(), &mut error),
                -1
            );
            assert_eq!(take(error).0, "HY009");
            assert_eq!(
                bh_query_arrow(source, select.as_ptr(), null(), 0, null(), 0, &mut stream, &mut error),
                0
            );
            assert_eq!(
                bh_insert_arrow(null_mut(), insert.as_ptr(), null(), &mut stream, null_mut(), &mut error),
                -1
            );
            assert_eq!(take(error).0, "HY009");
            assert!(stream.release.is_none(), "released on the error path too");
            let check = CString::new(format!(
                "SELECT sum(x) = 4999950000 AND sum(toUInt64(s)) = 4999950000 FROM {table}"
            ))
            .unwrap();
            let result = bh_query(connection, check.as_ptr(), null(), 0, null(), &mut error);
            let mut block = null_mut();
            assert_eq!(bh_result_next_block(result, &mut block, &mut error), 0);
            assert_eq!(*(*bh_block_column(block, 0)).data, 1, "{}", server.name);
            bh_block_free(block);
            bh_result_free(result);
            execute(connection, &format!("DROP TABLE {table}"));
            bh_connection_free(source);
            bh_connection_free(connection);
        }
    }
}
