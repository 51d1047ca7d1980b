//! Every type pushed, encoded, decoded and shown again; blocks at each revision.

use super::*;

/// A type and rows of it, each with the text ClickHouse shows for it.
pub(super) struct Case {
    pub(super) type_name: &'static str,
    pub(super) rows: Vec<(Value<'static>, String)>,
}

fn case(type_name: &'static str, rows: Vec<(Value<'static>, &str)>) -> Case {
    let rows = rows
        .into_iter()
        .map(|(value, text)| (value, text.to_string()))
        .collect();
    Case { type_name, rows }
}

pub(super) fn cases() -> Vec<Case> {
    let int256_min = "-57896044618658097711785492504343953926634992332820282019728792003956564819968";
    let uint256_max = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
    let big_decimal = "-123456789012345678901234567890123456789012345678901234567890123456";
    let max_decimal = "9".repeat(76);
    let uuid = [
        0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
    ];
    let array = Value::Array;
    let tuple = Value::Tuple;
    vec![
        case("UInt8", vec![(Value::UInt(0), "0"), (Value::UInt(255), "255")]),
        case("UInt16", vec![(Value::UInt(65535), "65535")]),
        case("UInt32", vec![(Value::UInt(u32::MAX.into()), "4294967295")]),
        case("UInt64", vec![(Value::UInt(u64::MAX), "18446744073709551615")]),
        case(
            "UInt128",
            vec![
                (Value::UInt128(u128::MAX), "340282366920938463463374607431768211455"),
                (Value::UInt128(1), "1"),
            ],
        ),
        case(
            "UInt256",
            vec![(int256(uint256_max, false), uint256_max), (int256("1", false), "1")],
        ),
        case("Int8", vec![(Value::Int(-128), "-128"), (Value::Int(127), "127")]),
        case("Int16", vec![(Value::Int(-32768), "-32768")]),
        case("Int32", vec![(Value::Int(i32::MIN.into()), "-2147483648")]),
        case("Int64", vec![(Value::Int(i64::MIN), "-9223372036854775808")]),
        case(
            "Int128",
            vec![(Value::Int128(i128::MIN), "-170141183460469231731687303715884105728")],
        ),
        case(
            "Int256",
            vec![(int256(int256_min, true), int256_min), (int256("-1", true), "-1")],
        ),
        case(
            "Float32",
            vec![
                (Value::Float32(1.5), "1.5"),
                (Value::Float32(-0.1), "-0.1"),
                (Value::Float32(f32::INFINITY), "inf"),
            ],
        ),
        case(
            "Float64",
            vec![
                (Value::Float64(1e300), "1e300"),
                (Value::Float64(f64::NEG_INFINITY), "-inf"),
            ],
        ),
        case("Bool", vec![(Value::Bool(true), "true"), (Value::Bool(false), "false")]),
        case(
            "Decimal(9, 2)",
            vec![(decimal(150, 2), "1.50"), (decimal(-999_999_999, 2), "-9999999.99")],
        ),
        case(
            "Decimal(18, 3)",
            vec![
                (decimal(-1500, 3), "-1.500"),
                (decimal(999_999_999_999_999_999, 3), "999999999999999.999"),
            ],
        ),
        case(
            "Decimal(38, 1)",
            vec![
                (decimal(20, 1), "2.0"),
                (
                    decimal(-(10i128.pow(38) - 1), 1),
                    "-9999999999999999999999999999999999999.9",
                ),
            ],
        ),
        case(
            "Decimal(76, 10)",
            vec![
                (
                    decimal256(big_decimal, 10),
                    "-12345678901234567890123456789012345678901234567890123456.7890123456",
                ),
                (decimal256("0", 10), "0.0000000000"),
                (
                    decimal256(&max_decimal, 10),
                    &format!("{}.{}", &max_decimal[..66], &max_decimal[66..]),
                ),
            ],
        ),
        case(
            "String",
            vec![
                (text(""), ""),
                (text("hello"), "hello"),
                (Value::Bytes(&[0xff, 0x00, 0xc3]), "\u{fffd}\0\u{fffd}"),
            ],
        ),
        case(
            "FixedString(3)",
            vec![
                (text("ab\0"), "ab\0"),
                (Value::Bytes(&[0xff, 0xfe, 0x41]), "\u{fffd}\u{fffd}A"),
            ],
        ),
        case(
            "Date",
            vec![
                (Value::Date(0), "1970-01-01"),
                (Value::Date(18263), "2020-01-02"),
                (Value::Date(65535), "2149-06-06"),
            ],
        ),
        case(
            "Date32",
            vec![(Value::Date(-25567), "1900-01-01"), (Value::Date(120529), "2299-12-31")],
        ),
        case(
            "DateTime",
            vec![
                (datetime(0, None), "1970-01-01 00:00:00"),
                (datetime(u32::MAX.into(), None), "2106-02-07 06:28:15"),
            ],
        ),
        // Display shows times in UTC whatever the column's zone.
        case(
            "DateTime('Asia/Shanghai')",
            // Shown in its zone: 2020-01-01 00:00 UTC is 08:00 in Shanghai.
            vec![(datetime(1_577_836_800, Some("Asia/Shanghai")), "2020-01-01 08:00:00")],
        ),
        case(
            "DateTime64(3, 'UTC')",
            vec![
                (datetime64(1_577_836_800_123, Some("UTC")), "2020-01-01 00:00:00.123"),
                (datetime64(-1, Some("UTC")), "1969-12-31 23:59:59.999"),
            ],
        ),
        case(
            "UUID",
            vec![
                (Value::Uuid(uuid), "01234567-89ab-cdef-0123-456789abcdef"),
                (Value::Uuid([0; 16]), "00000000-0000-0000-0000-000000000000"),
            ],
        ),
        case(
            r"Enum8('it\'s' = 1, 'b' = -2)",
            vec![(enumerated(1, "it's"), "it's"), (enumerated(-2, "b"), "b")],
        ),
        case(
            "Enum16('low' = -32768, 'high' = 32767)",
            vec![(enumerated(-32768, "low"), "low"), (enumerated(32767, "high"), "high")],
        ),
        case(
            "IPv4",
            vec![
                (Value::IPv4(Ipv4Addr::new(1, 2, 3, 4)), "1.2.3.4"),
                (Value::IPv4(Ipv4Addr::BROADCAST), "255.255.255.255"),
            ],
        ),
        case(
            "IPv6",
            vec![
                (Value::IPv6(Ipv6Addr::LOCALHOST), "::1"),
                (
                    Value::IPv6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0xff00, 0x42, 0x8329)),
                    "2001:db8::ff00:42:8329",
                ),
            ],
        ),
        case("Nullable(Nothing)", vec![(Value::Null, "NULL"), (Value::Null, "NULL")]),
        case("Nullable(Int32)", vec![(Value::Null, "NULL"), (Value::Int(-7), "-7")]),
        case(
            "Nullable(String)",
            vec![(text("a"), "a"), (Value::Null, "NULL"), (text(""), "")],
        ),
        case(
            "Nullable(Decimal(38, 1))",
            vec![(Value::Null, "NULL"), (decimal(-5, 1), "-0.5")],
        ),
        case(
            "Array(Array(Nullable(String)))",
            vec![
                (
                    array(vec![array(vec![text("a"), Value::Null]), array(vec![])]),
                    "[['a',NULL],[]]",
                ),
                (array(vec![]), "[]"),
                (array(vec![array(vec![text("it's")])]), r"[['it\'s']]"),
            ],
        ),
        case(
            "Tuple(UInt8, String)",
            vec![(tuple(vec![Value::UInt(1), text("x")]), "(1,'x')")],
        ),
        case(
            "Tuple(a UInt8, b Nullable(String), c Array(Date))",
            vec![
                (
                    tuple(vec![Value::UInt(1), Value::Null, array(vec![Value::Date(0)])]),
                    "(1,NULL,['1970-01-01'])",
                ),
                (tuple(vec![Value::UInt(2), text("y"), array(vec![])]), "(2,'y',[])"),
            ],
        ),
        case(
            "Map(String, Array(UInt8))",
            vec![
                (
                    Value::Map(vec![
                        (text("k"), array(vec![Value::UInt(1), Value::UInt(2)])),
                        (text("e"), array(vec![])),
                    ]),
                    "{'k':[1,2],'e':[]}",
                ),
                (Value::Map(vec![]), "{}"),
            ],
        ),
        case(
            "LowCardinality(String)",
            vec![(text("a"), "a"), (text("b"), "b"), (text("a"), "a"), (text(""), "")],
        ),
        case(
            "LowCardinality(Nullable(String))",
            vec![
                (Value::Null, "NULL"),
                (text("a"), "a"),
                (Value::Null, "NULL"),
                (text(""), ""),
            ],
        ),
        case(
            "Array(LowCardinality(String))",
            vec![
                (array(vec![text("a"), text("b")]), "['a','b']"),
                (array(vec![]), "[]"),
                (array(vec![text("a")]), "['a']"),
            ],
        ),
        // No element at all: the LowCardinality column inside writes its prefix but no granule.
        case(
            "Array(LowCardinality(String))",
            vec![(array(vec![]), "[]"), (array(vec![]), "[]")],
        ),
        case(
            "SimpleAggregateFunction(sum, UInt64)",
            vec![(Value::UInt(0), "0"), (Value::UInt(42), "42")],
        ),
    ]
}

/// Pushes the rows, reads them back, encodes, decodes (twice into one column, to append) and re-encodes.
fn round_trip(case: &Case) {
    let type_name = case.type_name;
    let data_type = parse(type_name);
    let values: Vec<Value> = case.rows.iter().map(|(value, _)| value.clone()).collect();
    let check = |column: &ColumnData, stage: &str| {
        for (row, (value, text)) in case.rows.iter().enumerate() {
            let got = column.value(&data_type, row);
            assert_eq!(&got, value, "{type_name}: row {row} {stage}");
            assert_eq!(&got.to_string(), text, "{type_name}: row {row} {stage}");
        }
    };

    let pushed = column_of(&data_type, &values);
    check(&pushed, "pushed");
    let bytes = encode(&data_type, &pushed);

    let decoded = decode(&data_type, &bytes, values.len());
    check(&decoded, "decoded");
    assert_eq!(encode(&data_type, &decoded), bytes, "{type_name}: re-encoded");

    let mut doubled = ColumnData::new(&data_type);
    let mut reader = &[bytes.as_slice(), bytes.as_slice()].concat()[..];
    for _ in 0..2 {
        if let Err(error) = read_into(&data_type, &mut doubled, &mut reader, values.len()) {
            panic!("{type_name}: appending failed: {error}");
        }
    }
    assert!(reader.is_empty(), "{type_name}: bytes left after appending");
    assert_eq!(doubled.len(), 2 * values.len(), "{type_name}");
    let appended = values_of(&data_type, &doubled);
    assert_eq!(appended[..values.len()], values[..], "{type_name}: first half");
    assert_eq!(appended[values.len()..], values[..], "{type_name}: appended half");
}

#[test]
fn every_type_round_trips() {
    for case in cases() {
        round_trip(&case);
    }
}

/// Scalar types with values at their edges, given as the text the column converts and shows again.
const TEXT_CASES: &[(&str, &[&str])] = &[
    ("UInt8", &["0", "255"]),
    ("Int16", &["-32768", "32767"]),
    ("UInt64", &["18446744073709551615", "0"]),
    ("Int128", &["-170141183460469231731687303715884105728", "1"]),
    (
        "UInt256",
        &[
            "115792089237316195423570985008687907853269984665640564039457584007913129639935",
            "0",
        ],
    ),
    (
        "Int256",
        &[
            "-57896044618658097711785492504343953926634992332820282019728792003956564819968",
            "7",
        ],
    ),
    ("Float32", &["-1.5", "0.25"]),
    ("Float64", &["1e300", "-0.125"]),
    ("Bool", &["true", "false"]),
    ("Decimal(9, 2)", &["-1234567.89", "0.05"]),
    (
        "Decimal(38, 10)",
        &["-1234567890123456789012345678.0123456789", "0.0000000000"],
    ),
    (
        "Decimal(76, 20)",
        &[
            "-12345678901234567890123456789012345678901234567890.01234567890123456789",
            "2.50000000000000000000",
        ],
    ),
    ("String", &["", "Grüße"]),
    ("FixedString(3)", &["ab\0", "xyz"]),
    ("Date", &["1970-01-01", "2149-06-06"]),
    ("Date32", &["1900-01-01", "2299-12-31"]),
    (
        // The whole UInt32 range, as Shanghai's wall-clock times (UTC+8).
        "DateTime('Asia/Shanghai')",
        &["1970-01-01 08:00:00", "2106-02-07 14:28:15"],
    ),
    (
        "DateTime64(3, 'UTC')",
        &["1969-12-31 23:59:59.999", "2020-01-02 03:04:05.678"],
    ),
    (
        "UUID",
        &[
            "01234567-89ab-cdef-0123-456789abcdef",
            "00000000-0000-0000-0000-000000000001",
        ],
    ),
    (r"Enum8('a\'b' = -1, 'c' = 2)", &["a'b", "c"]),
    ("Enum16('x' = 1000)", &["x", "x"]),
    ("IPv4", &["1.2.3.4", "255.255.255.255"]),
    ("IPv6", &["2001:db8::ff00:42:8329", "::"]),
    ("SimpleAggregateFunction(sum, UInt64)", &["5", "6"]),
];

#[test]
fn text_input_round_trips_for_scalar_types() {
    for (type_name, texts) in TEXT_CASES {
        let data_type = parse(type_name);
        let values: Vec<Value> = texts.iter().map(|text| owned(text)).collect();
        let bytes = encode(&data_type, &column_of(&data_type, &values));
        let column = decode(&data_type, &bytes, values.len());
        for (row, text) in texts.iter().enumerate() {
            assert_eq!(
                column.value(&data_type, row).to_string(),
                *text,
                "{type_name} row {row}"
            );
        }
        assert_every_cut_fails(&data_type, &bytes, values.len());
    }
}

/// Composite types written as the text the server prints for them (ODBC describes them as text).
const COMPOSITE_TEXT_CASES: &[(&str, &[&str])] = &[
    ("Array(Nullable(String))", &["['a\\'b',NULL]", "[]"]),
    ("Map(String, Array(UInt8))", &["{'k':[1,2]}", "{}"]),
    ("Tuple(a UInt8, b String)", &["(1,'x')", "(2,'')"]),
    ("Array(Array(Int32))", &["[[1],[-2,3]]", "[[]]"]),
];

#[test]
fn text_input_round_trips_for_composite_types() {
    for (type_name, texts) in COMPOSITE_TEXT_CASES {
        let data_type = parse(type_name);
        let values: Vec<Value> = texts.iter().map(|text| owned(text)).collect();
        let column = column_of(&data_type, &values);
        for (row, text) in texts.iter().enumerate() {
            assert_eq!(
                column.value(&data_type, row).to_string(),
                *text,
                "{type_name} row {row}"
            );
        }
    }
    let mut column = ColumnData::new(&parse("Array(UInt8)"));
    let error = column.push(&parse("Array(UInt8)"), &owned("[1,")).unwrap_err();
    assert!(error.contains("cannot parse the literal"), "{error}");
    assert_eq!(column.len(), 0);
}

/// Text that parses to a number or a string, not to the composite, is refused once (found by the
/// `insert_values` fuzz target: `.t` for an Array recursed until the stack overflowed).
#[test]
fn text_that_is_no_composite_literal_is_an_error() {
    for (type_name, text) in [
        ("Array(Int32)", ".t"),
        ("Map(String, UInt8)", "'{}'"),
        ("Tuple(UInt8)", "7"),
    ] {
        let data_type = parse(type_name);
        let mut column = ColumnData::new(&data_type);
        let error = column.push(&data_type, &owned(text)).unwrap_err();
        assert!(error.contains("does not fit"), "{type_name} {text}: {error}");
        assert_eq!(column.len(), 0);
    }
}

/// The columns of the multi-column block tests, and three rows of them.
pub(super) fn sample_block() -> Block {
    let columns = [
        ("id", "UInt64"),
        ("name", "String"),
        ("n", "Nullable(Int32)"),
        ("tag", "LowCardinality(Nullable(String))"),
        ("tags", "Array(LowCardinality(String))"),
        ("attrs", "Map(String, Array(UInt8))"),
        ("t", "Tuple(a UInt8, b Decimal(76, 10))"),
    ];
    let mut header = Block::default();
    header.columns = columns
        .iter()
        .map(|(name, type_name)| Column::new(*name, *type_name).unwrap_or_else(|error| panic!("{error}")))
        .collect();
    let mut block = Block::with_columns_of(&header);
    let rows = [
        [
            Value::UInt(1),
            text("one"),
            Value::Null,
            text("x"),
            Value::Array(vec![text("a"), text("b")]),
            Value::Map(vec![(text("k"), Value::Array(vec![Value::UInt(7)]))]),
            Value::Tuple(vec![Value::UInt(1), owned("1.5")]),
        ],
        [
            Value::UInt(2),
            Value::Bytes(&[0xff]),
            Value::Int(-2),
            Value::Null,
            Value::Array(vec![]),
            Value::Map(vec![]),
            Value::Tuple(vec![Value::UInt(2), owned("-0.0000000001")]),
        ],
        [
            Value::UInt(3),
            text(""),
            Value::Int(3),
            text("x"),
            Value::Array(vec![text("b")]),
            Value::Map(vec![
                (text("a"), Value::Array(vec![])),
                (text("b"), Value::Array(vec![])),
            ]),
            Value::Tuple(vec![Value::UInt(3), owned("0")]),
        ],
    ];
    for row in &rows {
        if let Err(error) = block.push_row(row) {
            panic!("{error}");
        }
    }
    assert_eq!(block.rows(), 3);
    block
}

#[test]
fn block_round_trips_at_each_revision() {
    let block = sample_block();
    for revision in REVISIONS {
        let mut bytes = Vec::new();
        block.write(&mut bytes, revision);

        let mut read = Block::default();
        let mut reader = bytes.as_slice();
        if let Err(error) = read.read(&mut reader, revision) {
            panic!("revision {revision}: {error}");
        }
        assert!(reader.is_empty(), "revision {revision}: bytes left over");
        assert_eq!(read, block, "revision {revision}");

        // Reading again reuses the columns (same names and types), which must be cleared first.
        let mut reader = bytes.as_slice();
        if let Err(error) = read.read(&mut reader, revision) {
            panic!("revision {revision}, reused: {error}");
        }
        assert_eq!(read, block, "revision {revision}, reused");
        for (column, expected) in read.columns.iter().zip(&block.columns) {
            let got: Vec<String> = (0..3).map(|row| column.value(row).to_string()).collect();
            let want: Vec<String> = (0..3).map(|row| expected.value(row).to_string()).collect();
            assert_eq!(got, want, "{}", column.name);
        }
    }
}
