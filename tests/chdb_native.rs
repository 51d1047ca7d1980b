//! Column codecs against ClickHouse 26.9's own Native format, produced and read back by chdb
//! (`pip install chdb-core==26.9.0`). One Python process writes a Native file per type; we decode
//! each and compare every value with the server's `toString`. Then we encode the decoded columns
//! into new Native files, and chdb reads them back to the same text.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;

use bytehouse::native::Block;
use common::comparable_text;

mod common;

/// (type, SQL expressions of values of that type). Each case becomes one Native file.
const CASES: &[(&str, &[&str])] = &[
    ("UInt8", &["0", "255"]),
    (
        "Int256",
        &[
            "'-57896044618658097711785492504343953926634992332820282019728792003956564819968'",
            "1",
        ],
    ),
    (
        "UInt256",
        &[
            "'115792089237316195423570985008687907853269984665640564039457584007913129639935'",
            "0",
        ],
    ),
    ("Int128", &["'-170141183460469231731687303715884105728'", "42"]),
    ("UInt128", &["'340282366920938463463374607431768211455'", "7"]),
    ("Float32", &["-1.5", "0.25"]),
    ("Float64", &["1e300", "-0.125"]),
    ("Bool", &["true", "false"]),
    ("Decimal(9, 2)", &["'-1234567.89'", "'0.05'"]),
    ("Decimal(18, 3)", &["'-123.456'", "'1'"]),
    (
        "Decimal(38, 10)",
        &["'-1234567890123456789012345678.0123456789'", "'0'"],
    ),
    (
        "Decimal(76, 20)",
        &[
            "'-12345678901234567890123456789012345678901234567890.01234567890123456789'",
            "'2.5'",
        ],
    ),
    ("String", &["'plain'", "'Grüße\\0\\xff'"]),
    ("FixedString(4)", &["'ab'", "'abcd'"]),
    ("Date", &["'1970-01-01'", "'2149-06-06'"]),
    ("Date32", &["'1900-01-01'", "'2299-12-31'"]),
    ("DateTime('UTC')", &["'1970-01-01 00:00:00'", "'2106-02-07 06:28:15'"]),
    (
        "DateTime64(3, 'UTC')",
        &["'1969-12-31 23:59:59.999'", "'2020-01-02 03:04:05.678'"],
    ),
    (
        "DateTime64(9, 'UTC')",
        &["'2262-04-11 23:47:16.854775807'", "'1970-01-01 00:00:00.000000001'"],
    ),
    (
        "UUID",
        &[
            "'01234567-89ab-cdef-0123-456789abcdef'",
            "'00000000-0000-0000-0000-000000000001'",
        ],
    ),
    ("Enum8('a' = -128, 'b\\'c' = 127)", &["'a'", "'b\\'c'"]),
    ("Enum16('x' = -32768, 'y' = 32767)", &["'x'", "'y'"]),
    ("IPv4", &["'1.2.3.4'", "'255.255.255.255'"]),
    ("IPv6", &["'2001:db8::ff00:42:8329'", "'::ffff:1.2.3.4'"]),
    ("Nullable(String)", &["NULL", "'x'"]),
    ("Nullable(Decimal(18, 2))", &["'1.25'", "NULL"]),
    ("Array(Nullable(Int64))", &["[NULL, -1]", "[]"]),
    ("Array(Array(String))", &["[['a'], [], ['b', 'c']]", "[]"]),
    ("Tuple(UInt8, String)", &["(1, 'one')", "(2, '')"]),
    ("Tuple(a Int32, b Array(String))", &["(-1, ['x'])", "(0, [])"]),
    ("Map(String, UInt64)", &["map('k', 1, 'l', 2)", "map()"]),
    (
        "Map(LowCardinality(String), Array(Nullable(UInt8)))",
        &["map('a', [1, NULL])", "map()"],
    ),
    ("LowCardinality(String)", &["'p'", "'q'"]),
    ("LowCardinality(Nullable(String))", &["NULL", "'v'"]),
    ("Array(LowCardinality(Nullable(String)))", &["['a', NULL, 'a']", "[]"]),
    ("SimpleAggregateFunction(sum, UInt64)", &["5", "6"]),
    ("Nullable(Nothing)", &["NULL", "NULL"]),
];

fn work_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bytehouse-chdb-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn python(script: &str) -> String {
    let output = Command::new(std::env::var("PYTHON").unwrap_or_else(|_| "python3".into()))
        .arg("-c")
        .arg(script)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The SQL that yields a case's rows: the value and the server's own text of it.
fn case_sql(type_name: &str, values: &[&str]) -> String {
    let rows: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(index, value)| format!("SELECT {index} AS id, CAST({value} AS {type_name}) AS v"))
        .collect();
    format!(
        "SELECT v, toString(v) AS text FROM ({}) ORDER BY id",
        rows.join(" UNION ALL ")
    )
}

fn py_string(text: &str) -> String {
    format!("{text:?}")
}

fn read_native(path: &Path) -> Vec<Block> {
    let bytes = std::fs::read(path).unwrap();
    let mut reader = Cursor::new(bytes);
    let mut blocks = Vec::new();
    while (reader.position() as usize) < reader.get_ref().len() {
        let mut block = Block::default();
        block
            .read(&mut reader, 0)
            .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        blocks.push(block);
    }
    blocks
}

#[test]
fn codecs_match_clickhouse_26_native_format() {
    let dir = work_dir();
    let mut script = String::from("import chdb\n");
    for (index, (type_name, values)) in CASES.iter().enumerate() {
        let path = dir.join(format!("case{index}.native"));
        script += &format!(
            "open({}, 'wb').write(chdb.query({}, 'Native').bytes())\n",
            py_string(path.to_str().unwrap()),
            py_string(&case_sql(type_name, values))
        );
    }
    python(&script);

    let mut read_back = String::from("import chdb\n");
    let mut expected = Vec::new();
    for (index, (type_name, values)) in CASES.iter().enumerate() {
        let blocks = read_native(&dir.join(format!("case{index}.native")));
        let mut rows = 0;
        for block in &blocks {
            assert_eq!(
                block.columns[0].data_type.to_string(),
                block.columns[0].type_name,
                "{type_name}"
            );
            for row in 0..block.rows() {
                let value = block.columns[0].value(row);
                let theirs = block.columns[1].value(row);
                if value.is_null() {
                    assert!(theirs.is_null(), "decoding {type_name}, row {row}: NULL vs {theirs}");
                    expected.push(format!("{index}:\\N"));
                } else {
                    let theirs = theirs.to_string();
                    assert_eq!(
                        comparable_text(&value, type_name),
                        theirs,
                        "decoding {type_name}, row {row}"
                    );
                    expected.push(format!("{index}:{}", theirs.replace('\0', "\\0")));
                }
                rows += 1;
            }
        }
        assert_eq!(rows, values.len(), "{type_name}");

        // Encode the value column alone and let chdb read it back.
        let mut encoded = Vec::new();
        for block in &blocks {
            let mut only_values = Block::default();
            only_values.columns.push(block.columns[0].clone());
            only_values.set_rows_from_columns().unwrap();
            only_values.write(&mut encoded, 0);
        }
        let path = dir.join(format!("encoded{index}.native"));
        std::fs::write(&path, &encoded).unwrap();
        read_back += &format!(
            "for row in chdb.query(\"SELECT toString(v) FROM file('{}', Native)\", 'CSV').bytes().decode('utf-8', 'replace').splitlines():\n    print('{index}:' + (row[1:-1] if row.startswith('\"') else row).replace('\\x00', '\\\\0'))\n",
            path.display()
        );
    }
    let printed = python(&read_back);
    // CSV doubles quotes inside strings. A file of several blocks may be read in any block order,
    // so rows are compared as sorted lists (each line starts with its case number).
    let mut printed: Vec<String> = printed.lines().map(|line| line.replace("\"\"", "\"")).collect();

    printed.sort();
    expected.sort();
    assert_eq!(printed, expected, "chdb read our encoding differently");
    std::fs::remove_dir_all(dir).ok();
}
