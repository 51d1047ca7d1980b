//! Unit tests of the column codecs, without a server: known wire bytes, round trips of every type,
//! truncated and corrupt input, and the conversions `push` performs.

use std::net::{Ipv4Addr, Ipv6Addr};

use super::{ColumnData, Value, read_prefix, write_prefix};
use crate::native::block::{Block, Column};
use crate::native::error::Result;
use crate::native::revision::{BLOCK_INFO, CUSTOM_SERIALIZATION};
use crate::native::types::DataType;
use crate::native::wire::WriteExt;

/// The client's own revision (BlockInfo and the custom-serialization flag), one with BlockInfo only, and
/// the oldest (neither).
const REVISIONS: [u64; 3] = [54460, 54412, 0];

fn parse(type_name: &str) -> DataType {
    DataType::parse(type_name).unwrap_or_else(|error| panic!("{type_name}: {error}"))
}

/// Bytes written as hex pairs, e.g. `"01 02 ff"`.
fn hex(text: &str) -> Vec<u8> {
    text.split_whitespace()
        .map(|pair| u8::from_str_radix(pair, 16).unwrap_or_else(|_| panic!("bad hex `{pair}`")))
        .collect()
}

/// Builds wire bytes piece by piece.
#[derive(Default)]
struct Wire(Vec<u8>);

impl Wire {
    fn u64(mut self, value: u64) -> Wire {
        self.0.extend_from_slice(&value.to_le_bytes());
        self
    }
    fn varint(mut self, value: u64) -> Wire {
        self.0.write_varint(value);
        self
    }
    fn string(mut self, text: &str) -> Wire {
        self.0.write_str(text);
        self
    }
    fn hex(mut self, text: &str) -> Wire {
        self.0.extend(hex(text));
        self
    }
}

/// A 256-bit two's complement integer from decimal text, little endian (independent of the code under test).
fn wide(text: &str) -> [u8; 32] {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, text),
    };
    let mut bytes = [0u8; 32];
    for digit in digits.bytes() {
        let mut carry = u32::from(digit - b'0');
        for byte in bytes.iter_mut() {
            let product = u32::from(*byte) * 10 + carry;
            *byte = product as u8;
            carry = product >> 8;
        }
        assert_eq!(carry, 0, "{text} does not fit 256 bits");
    }
    if negative {
        let mut carry = 1u16;
        for byte in bytes.iter_mut() {
            let sum = u16::from(!*byte) + carry;
            *byte = sum as u8;
            carry = sum >> 8;
        }
    }
    bytes
}

fn decimal(unscaled: i128, scale: u8) -> Value<'static> {
    Value::Decimal { unscaled, scale }
}

fn int256(digits: &str, signed: bool) -> Value<'static> {
    Value::Int256 {
        bytes: wide(digits),
        signed,
    }
}

fn decimal256(digits: &str, scale: u8) -> Value<'static> {
    Value::Decimal256 {
        bytes: wide(digits),
        scale,
    }
}

fn datetime(seconds: i64, timezone: Option<&'static str>) -> Value<'static> {
    Value::DateTime { seconds, timezone }
}

/// A DateTime64(3) value.
fn datetime64(ticks: i64, timezone: Option<&'static str>) -> Value<'static> {
    Value::DateTime64 {
        ticks,
        precision: 3,
        timezone,
    }
}

fn enumerated(value: i16, name: &'static str) -> Value<'static> {
    Value::Enum { value, name }
}

fn text(value: &'static str) -> Value<'static> {
    Value::Bytes(value.as_bytes())
}

fn owned(value: &str) -> Value<'static> {
    Value::Text(value.to_string())
}

/// A column of `data_type` holding `values`, pushed one by one.
fn column_of(data_type: &DataType, values: &[Value<'_>]) -> ColumnData {
    let mut column = ColumnData::new(data_type);
    for (row, value) in values.iter().enumerate() {
        if let Err(error) = column.push(data_type, value) {
            panic!("{data_type}: pushing {value:?} failed: {error}");
        }
        assert_eq!(column.len(), row + 1, "{data_type}");
    }
    column
}

fn values_of<'a>(data_type: &'a DataType, column: &'a ColumnData) -> Vec<Value<'a>> {
    (0..column.len()).map(|row| column.value(data_type, row)).collect()
}

/// The column in the Native format: its prefix, then its rows.
fn encode(data_type: &DataType, column: &ColumnData) -> Vec<u8> {
    let mut out = Vec::new();
    write_prefix(data_type, &mut out);
    column.write_rows(data_type, &mut out);
    out
}

/// Reads a prefix and `rows` rows from `reader` into `column`.
fn read_into(data_type: &DataType, column: &mut ColumnData, reader: &mut &[u8], rows: usize) -> Result<()> {
    read_prefix(data_type, reader)?;
    column.read_rows(data_type, reader, rows)
}

/// Decodes `bytes` into a fresh column, which must use every byte.
fn decode(data_type: &DataType, bytes: &[u8], rows: usize) -> ColumnData {
    let mut reader = bytes;
    let mut column = ColumnData::new(data_type);
    if let Err(error) = read_into(data_type, &mut column, &mut reader, rows) {
        panic!("{data_type}: decoding {bytes:02x?} failed: {error}");
    }
    assert!(reader.is_empty(), "{data_type}: {} bytes left over", reader.len());
    assert_eq!(column.len(), rows, "{data_type}");
    column
}

/// Heap bytes a column holds, to show corrupt counts did not make it reserve much.
fn heap_bytes(column: &ColumnData) -> usize {
    match column {
        ColumnData::Fixed { bytes, .. } => bytes.capacity(),
        ColumnData::Strings { ends, bytes } => ends.capacity() * size_of::<usize>() + bytes.capacity(),
        ColumnData::Nullable { nulls, values } => nulls.capacity() + heap_bytes(values),
        ColumnData::Array { ends, values } => ends.capacity() * size_of::<u64>() + heap_bytes(values),
        ColumnData::Tuple(elements) => elements.iter().map(heap_bytes).sum(),
        ColumnData::LowCardinality { dictionary, keys } => keys.capacity() * size_of::<u32>() + heap_bytes(dictionary),
    }
}

// ---------------------------------------------------------------------------------------------------------
// 1. Known wire bytes.

#[test]
fn known_wire_bytes() {
    let uuid = [
        0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
    ];
    let cases: Vec<(&str, Vec<Value>, Vec<u8>)> = vec![
        ("Decimal(9, 2)", vec![decimal(150, 2)], hex("96 00 00 00")),
        (
            "Decimal(18, 3)",
            vec![decimal(-1500, 3)],
            (-1500i64).to_le_bytes().to_vec(),
        ),
        ("Decimal(38, 1)", vec![decimal(20, 1)], 20i128.to_le_bytes().to_vec()),
        ("FixedString(3)", vec![text("ab\0")], hex("61 62 00")),
        ("Date", vec![Value::Date(18263)], 18263u16.to_le_bytes().to_vec()),
        (
            "UUID",
            vec![Value::Uuid(uuid)],
            hex("ef cd ab 89 67 45 23 01 ef cd ab 89 67 45 23 01"),
        ),
        ("IPv4", vec![Value::IPv4(Ipv4Addr::new(1, 2, 3, 4))], hex("04 03 02 01")),
        ("Nullable(Int32)", vec![Value::Null], hex("01 00 00 00 00")),
        ("Nullable(Nothing)", vec![Value::Null], hex("01 30")),
        (
            "Tuple(UInt8, String)",
            vec![Value::Tuple(vec![Value::UInt(1), text("x")])],
            hex("01 01 78"),
        ),
        (
            "Array(UInt8)",
            vec![
                Value::Array(vec![Value::UInt(1), Value::UInt(2)]),
                Value::Array(vec![]),
                Value::Array(vec![Value::UInt(3)]),
            ],
            Wire::default().u64(2).u64(2).u64(3).hex("01 02 03").0,
        ),
        (
            "LowCardinality(String)",
            vec![text("0"), text("1"), text("0")],
            hex(concat!(
                "01 00 00 00 00 00 00 00 ", // version: shared dictionaries with additional keys
                "00 06 00 00 00 00 00 00 ", // UInt8 indexes, HasAdditionalKeys | NeedUpdateDictionary
                "03 00 00 00 00 00 00 00 ", // three keys: "", "0", "1"
                "00 01 30 01 31 ",
                "03 00 00 00 00 00 00 00 ", // three rows
                "01 02 01",
            )),
        ),
        (
            // The server's layout for a nullable dictionary: NULL at index 0, the default at 1, then the values.
            "LowCardinality(Nullable(String))",
            vec![Value::Null, text("a"), Value::Null, text("")],
            hex(concat!(
                "01 00 00 00 00 00 00 00 ",
                "00 06 00 00 00 00 00 00 ",
                "03 00 00 00 00 00 00 00 ", // keys: NULL placeholder, "", "a"
                "00 00 01 61 ",
                "04 00 00 00 00 00 00 00 ",
                "00 02 00 01",
            )),
        ),
    ];
    for (type_name, values, wire) in cases {
        let data_type = parse(type_name);
        let decoded = decode(&data_type, &wire, values.len());
        assert_eq!(values_of(&data_type, &decoded), values, "{type_name}: decoded");
        // Re-encoding what the server sent gives its bytes back, dictionaries included.
        assert_eq!(encode(&data_type, &decoded), wire, "{type_name}: re-encoded");

        let pushed = column_of(&data_type, &values);
        let encoded = encode(&data_type, &pushed);
        if matches!(data_type, DataType::LowCardinality(_)) {
            // Our dictionary is not the server's, so only the values must survive.
            let again = decode(&data_type, &encoded, values.len());
            assert_eq!(values_of(&data_type, &again), values, "{type_name}: pushed and decoded");
        } else {
            assert_eq!(encoded, wire, "{type_name}: encoded");
        }
    }
}

#[test]
fn text_input_encodes_to_the_known_wire_bytes() {
    let cases: [(&str, &str, &[u8]); 5] = [
        ("Decimal(9, 2)", "1.5", &[0x96, 0, 0, 0]),
        ("FixedString(3)", "ab", b"ab\0"),
        ("Date", "2020-01-02", &18263u16.to_le_bytes()),
        (
            "UUID",
            "01234567-89ab-cdef-0123-456789abcdef",
            &[
                0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01, 0xef, 0xcd, 0xab, 0x89, 0x67, 0x45, 0x23, 0x01,
            ],
        ),
        ("IPv4", "1.2.3.4", &[4, 3, 2, 1]),
    ];
    for (type_name, input, wire) in cases {
        let data_type = parse(type_name);
        assert_eq!(
            encode(&data_type, &column_of(&data_type, &[owned(input)])),
            wire,
            "{type_name}"
        );
    }
}

#[test]
fn low_cardinality_decodes_every_index_width_and_several_granules() {
    let data_type = parse("LowCardinality(String)");
    let expected = [text("0"), text("1"), text("0")];
    for (index_type, width) in [(0u64, 1usize), (1, 2), (2, 4), (3, 8)] {
        let mut wire = Wire::default()
            .u64(1)
            .u64(0x600 | index_type)
            .u64(3)
            .hex("00 01 30 01 31")
            .u64(3);
        for index in [1u64, 2, 1] {
            wire.0.extend_from_slice(&index.to_le_bytes()[..width]);
        }
        let column = decode(&data_type, &wire.0, 3);
        assert_eq!(values_of(&data_type, &column), expected, "index type {index_type}");
    }

    // Two granules, each with its own keys: the second one's indexes refer to its own dictionary.
    let wire = Wire::default()
        .u64(1)
        .u64(0x600)
        .u64(2)
        .hex("00 01 30")
        .u64(1)
        .hex("01")
        .u64(0x600)
        .u64(2)
        .hex("01 31 01 30")
        .u64(2)
        .hex("00 01");
    let column = decode(&data_type, &wire.0, 3);
    assert_eq!(values_of(&data_type, &column), [text("0"), text("1"), text("0")]);

    let nullable = parse("LowCardinality(Nullable(String))");
    let wire = Wire::default()
        .u64(1)
        .u64(0x600)
        .u64(2)
        .hex("00 01 61")
        .u64(2)
        .hex("01 00")
        .u64(0x600)
        .u64(2)
        .hex("00 01 62")
        .u64(2)
        .hex("00 01");
    let column = decode(&nullable, &wire.0, 4);
    assert_eq!(
        values_of(&nullable, &column),
        [text("a"), Value::Null, Value::Null, text("b")]
    );
}

// ---------------------------------------------------------------------------------------------------------
// 2. Round trips of every type.

/// A type and rows of it, each with the text ClickHouse shows for it.
struct Case {
    type_name: &'static str,
    rows: Vec<(Value<'static>, String)>,
}

fn case(type_name: &'static str, rows: Vec<(Value<'static>, &str)>) -> Case {
    let rows = rows
        .into_iter()
        .map(|(value, text)| (value, text.to_string()))
        .collect();
    Case { type_name, rows }
}

fn cases() -> Vec<Case> {
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

/// The columns of the multi-column block tests, and three rows of them.
fn sample_block() -> Block {
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

// ---------------------------------------------------------------------------------------------------------
// 3. Truncated input.

/// Every proper prefix of `bytes` (a column of `rows` rows) must fail to decode, without panicking.
fn assert_every_cut_fails(data_type: &DataType, bytes: &[u8], rows: usize) {
    for cut in 0..bytes.len() {
        let mut column = ColumnData::new(data_type);
        let result = read_into(data_type, &mut column, &mut &bytes[..cut], rows);
        assert!(result.is_err(), "{data_type}: {cut} of {} bytes decoded", bytes.len());
    }
}

#[test]
fn truncated_columns_are_errors() {
    for case in cases() {
        let data_type = parse(case.type_name);
        let values: Vec<Value> = case.rows.iter().map(|(value, _)| value.clone()).collect();
        let bytes = encode(&data_type, &column_of(&data_type, &values));
        assert_every_cut_fails(&data_type, &bytes, values.len());
    }
}

#[test]
fn truncated_blocks_are_errors() {
    let block = sample_block();
    for revision in REVISIONS {
        let mut bytes = Vec::new();
        block.write(&mut bytes, revision);
        for cut in 0..bytes.len() {
            let result = Block::default().read(&mut &bytes[..cut], revision);
            assert!(
                result.is_err(),
                "revision {revision}: {cut} of {} bytes decoded",
                bytes.len()
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// 4. Zero rows.

#[test]
fn empty_columns_write_nothing_and_read_nothing() {
    for case in cases() {
        let data_type = parse(case.type_name);
        let column = ColumnData::new(&data_type);
        let mut out = Vec::new();
        column.write_rows(&data_type, &mut out);
        assert!(out.is_empty(), "{}: {out:02x?}", case.type_name);
        let mut column = ColumnData::new(&data_type);
        let result = column.read_rows(&data_type, &mut &[][..], 0);
        assert!(result.is_ok(), "{}: {result:?}", case.type_name);
        assert!(column.is_empty());
    }
}

#[test]
fn zero_row_block_has_only_the_header() {
    let header = Block::with_columns_of(&sample_block());
    assert_eq!(header.rows(), 0);
    for revision in REVISIONS {
        let mut bytes = Vec::new();
        header.write(&mut bytes, revision);

        let mut expected = Wire::default();
        if revision >= BLOCK_INFO {
            expected = expected.hex("01 00 02 ff ff ff ff 00");
        }
        expected = expected.varint(header.columns.len() as u64).varint(0);
        for column in &header.columns {
            expected = expected.string(&column.name).string(&column.type_name);
            if revision >= CUSTOM_SERIALIZATION {
                expected = expected.hex("00");
            }
        }
        assert_eq!(bytes, expected.0, "revision {revision}");

        // Read into a block that still holds rows of the same columns: they must go.
        let mut read = sample_block();
        let mut reader = bytes.as_slice();
        if let Err(error) = read.read(&mut reader, revision) {
            panic!("revision {revision}: {error}");
        }
        assert!(reader.is_empty());
        assert_eq!(read.rows(), 0);
        assert!(!read.is_end_marker());
        assert_eq!(read, header, "revision {revision}");
        assert!(read.columns.iter().all(Column::is_empty));
    }
}

// ---------------------------------------------------------------------------------------------------------
// 5. Conversions in `push`.

/// Pushes one value into a fresh column: the text of the stored value, or the error.
fn push_one(type_name: &str, value: &Value<'_>) -> std::result::Result<String, String> {
    let data_type = parse(type_name);
    let mut column = ColumnData::new(&data_type);
    match column.push(&data_type, value) {
        Ok(()) => {
            assert_eq!(column.len(), 1, "{type_name}");
            Ok(column.value(&data_type, 0).to_string())
        }
        Err(error) => {
            assert_eq!(column.len(), 0, "{type_name}: a failed push left a row");
            Err(error)
        }
    }
}

#[test]
fn push_converts_like_the_server() {
    const INT256_MIN: &str = "-57896044618658097711785492504343953926634992332820282019728792003956564819968";
    const TWO_TO_255: &str = "57896044618658097711785492504343953926634992332820282019728792003956564819968";
    const UINT256_MAX: &str = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
    const TWO_TO_256: &str = "115792089237316195423570985008687907853269984665640564039457584007913129639936";
    let enum8 = r"Enum8('it\'s' = 1, 'b' = -2)";
    let uuid = "01234567-89ab-cdef-0123-456789abcdef";
    let nines = "9".repeat(66);
    let nines_scaled = format!("{nines}.0000000000");
    // (type, input, Some(stored text) or None for an error)
    let cases: Vec<(&str, Value, Option<&str>)> = vec![
        // Integer ranges.
        ("UInt8", Value::UInt(255), Some("255")),
        ("UInt8", Value::UInt(300), None),
        ("UInt8", Value::Int(-1), None),
        ("UInt64", Value::Int(-1), None),
        ("UInt64", Value::UInt(u64::MAX), Some("18446744073709551615")),
        ("Int8", Value::Int(-128), Some("-128")),
        ("Int8", Value::Int(128), None),
        ("Int8", Value::Int(-129), None),
        ("Int64", Value::UInt(u64::MAX), None),
        ("Int128", Value::UInt128(u128::MAX), None),
        (
            "UInt128",
            Value::UInt128(u128::MAX),
            Some("340282366920938463463374607431768211455"),
        ),
        ("Int256", owned(TWO_TO_255), None),
        ("Int256", owned(INT256_MIN), Some(INT256_MIN)),
        ("Int256", int256(TWO_TO_255, false), None),
        ("UInt256", owned(UINT256_MAX), Some(UINT256_MAX)),
        ("UInt256", owned(TWO_TO_256), None),
        ("UInt256", Value::Int(-1), None),
        // Other inputs into integers.
        ("Int32", owned(" 42 "), Some("42")),
        ("Int32", owned("+42"), Some("42")),
        ("Int32", owned("4.2"), None),
        ("Int32", owned("abc"), None),
        ("Int32", owned(""), None),
        ("Int32", Value::Float64(3.0), Some("3")),
        ("Int32", Value::Float64(3.5), None),
        ("Int64", Value::Float64(1e20), None),
        ("Int64", decimal(-300, 2), Some("-3")),
        ("Int64", decimal(350, 2), None),
        ("UInt8", Value::Bool(true), Some("1")),
        // Floats.
        ("Float64", owned("1.5"), Some("1.5")),
        ("Float64", owned("x"), None),
        ("Float32", owned("3.5e38"), None),
        ("Float32", Value::Float64(1e39), None),
        ("Float32", Value::Int(-3), Some("-3")),
        // Bool.
        ("Bool", owned("true"), Some("true")),
        ("Bool", owned("0"), Some("false")),
        ("Bool", owned("yes"), None),
        ("Bool", Value::UInt(2), None),
        // Decimals: extra fraction digits are cut off toward zero, too many digits overflow.
        ("Decimal(9, 2)", owned("1.5"), Some("1.50")),
        ("Decimal(9, 2)", owned("1.239"), Some("1.23")),
        ("Decimal(9, 2)", owned("-1.239"), Some("-1.23")),
        ("Decimal(9, 2)", owned(".5"), Some("0.50")),
        ("Decimal(9, 2)", owned("1234567.891"), Some("1234567.89")),
        ("Decimal(9, 2)", owned("12345678.9"), None),
        ("Decimal(9, 2)", owned("00001234567"), Some("1234567.00")),
        ("Decimal(9, 2)", Value::UInt(10_000_000), None),
        ("Decimal(9, 2)", owned("1e3"), None),
        ("Decimal(9, 2)", owned("1.2.3"), None),
        ("Decimal(9, 2)", owned("."), None),
        ("Decimal(9, 2)", Value::Float64(1.5), Some("1.50")),
        ("Decimal(9, 2)", Value::Bool(true), None),
        ("Decimal(3, 3)", owned("0.001"), Some("0.001")),
        ("Decimal(3, 3)", owned("1.0"), None),
        ("Decimal(18, 3)", Value::Int(-2), Some("-2.000")),
        ("Decimal(38, 1)", decimal(15, 1), Some("1.5")),
        ("Decimal(38, 1)", decimal(15, 0), Some("15.0")),
        ("Decimal(76, 10)", owned(&nines), Some(nines_scaled.as_str())),
        ("Decimal(76, 10)", owned(&"9".repeat(67)), None),
        // Dates and times from text and from other time values.
        ("Date", owned("2020-01-02"), Some("2020-01-02")),
        ("Date", owned("2020-01-02 23:59:59"), Some("2020-01-02")),
        ("Date", owned("2020-13-01"), None),
        ("Date", owned("2020-1-2"), None),
        ("Date", owned("2150-01-01"), None),
        ("Date", owned("1969-12-31"), None),
        ("Date", datetime(86_399, None), Some("1970-01-01")),
        ("Date", datetime64(-1, None), None),
        ("Date32", owned("1900-01-01"), Some("1900-01-01")),
        ("Date32", datetime64(-1, None), Some("1969-12-31")),
        ("DateTime", owned("2020-01-02 03:04:05"), Some("2020-01-02 03:04:05")),
        ("DateTime", owned("2020-01-02T03:04:05"), Some("2020-01-02 03:04:05")),
        ("DateTime", owned("2020-01-02"), Some("2020-01-02 00:00:00")),
        ("DateTime", owned("2020-01-02 24:00:00"), None),
        ("DateTime", owned("1969-12-31 23:59:59"), None),
        ("DateTime", Value::Int(-1), None),
        ("DateTime", Value::Date(1), Some("1970-01-02 00:00:00")),
        (
            "DateTime64(3)",
            owned("2020-01-02 03:04:05.123456"),
            Some("2020-01-02 03:04:05.123"),
        ),
        (
            "DateTime64(3)",
            owned("1969-12-31 23:59:59.5"),
            Some("1969-12-31 23:59:59.500"),
        ),
        (
            "DateTime64(3)",
            Value::DateTime64 {
                ticks: 1_500_000,
                precision: 6,
                timezone: None,
            },
            Some("1970-01-01 00:00:01.500"),
        ),
        ("DateTime64(9)", owned("2262-04-12 00:00:00"), None),
        // UUID, IP addresses, enums.
        ("UUID", owned(uuid), Some(uuid)),
        ("UUID", owned("{01234567-89AB-CDEF-0123-456789ABCDEF}"), Some(uuid)),
        ("UUID", owned("0123456789abcdef0123456789abcdef"), Some(uuid)),
        ("UUID", owned("01234567-89ab-cdef-0123-456789abcde"), None),
        ("UUID", owned("g1234567-89ab-cdef-0123-456789abcdef"), None),
        ("IPv4", owned("1.2.3.4"), Some("1.2.3.4")),
        ("IPv4", Value::UInt(0x0102_0304), Some("1.2.3.4")),
        ("IPv4", Value::UInt(1 << 32), None),
        ("IPv4", owned("::1"), None),
        ("IPv4", owned("256.0.0.1"), None),
        ("IPv6", owned("::1"), Some("::1")),
        ("IPv6", owned("1.2.3.4"), Some("::ffff:1.2.3.4")),
        ("IPv6", Value::IPv4(Ipv4Addr::new(1, 2, 3, 4)), Some("::ffff:1.2.3.4")),
        ("IPv6", owned("nope"), None),
        (enum8, owned("it's"), Some("it's")),
        (enum8, Value::Int(-2), Some("b")),
        (enum8, Value::Int(3), None),
        (enum8, Value::Int(1000), None),
        (enum8, owned("c"), None),
        ("Enum16('a' = 1000)", owned("a"), Some("a")),
        // Strings take anything, FixedString only what fits.
        ("String", Value::Int(42), Some("42")),
        ("FixedString(2)", owned("a"), Some("a\0")),
        ("FixedString(2)", owned("abc"), None),
        ("FixedString(2)", Value::UInt(1), None),
        // NULL only where the type allows it.
        ("Nullable(UInt8)", Value::Null, Some("NULL")),
        ("Nullable(UInt8)", Value::UInt(300), None),
        ("UInt8", Value::Null, None),
        ("String", Value::Null, None),
        ("Array(UInt8)", Value::Null, None),
        ("Tuple(UInt8)", Value::Null, None),
        ("LowCardinality(String)", Value::Null, None),
        ("LowCardinality(Nullable(String))", Value::Null, Some("NULL")),
        ("Nullable(Nothing)", Value::UInt(0), None),
        // Shapes.
        ("Array(UInt8)", Value::UInt(1), None),
        ("Tuple(UInt8, String)", Value::Tuple(vec![Value::UInt(1)]), None),
        ("Map(String, UInt8)", Value::Array(vec![]), None),
    ];
    for (type_name, input, expected) in cases {
        let result = push_one(type_name, &input);
        match expected {
            Some(text) => assert_eq!(result.as_deref(), Ok(text), "{type_name} <- {input:?}"),
            None => assert!(result.is_err(), "{type_name} <- {input:?} gave {result:?}"),
        }
    }
    let error = push_one("Array(UInt8)", &Value::Array(vec![Value::UInt(2), Value::Int(300)]));
    assert!(error.as_ref().is_err_and(|error| error.contains("300")), "{error:?}");
}

#[test]
fn push_rejects_a_decimal_with_two_signs() {
    let result = push_one("Decimal(9, 2)", &owned("+-1"));
    assert!(result.is_err(), "accepted as {result:?}");
}

#[test]
fn push_rejects_a_uuid_with_signs() {
    let result = push_one("UUID", &owned("+123456789abcdef0123456789abcdef"));
    assert!(result.is_err(), "accepted as {result:?}");
}

#[test]
fn push_never_panics_on_an_implausible_datetime64_precision() {
    for precision in [19, 30] {
        let value = Value::DateTime64 {
            ticks: 1,
            precision,
            timezone: None,
        };
        for type_name in ["DateTime", "Date", "DateTime64(3)"] {
            let result = std::panic::catch_unwind(|| push_one(type_name, &value));
            assert!(result.is_ok(), "{type_name} <- precision {precision} panicked");
        }
    }
}

/// Pushes `good`, then `bad` which must fail, and checks the column is as if `bad` was never pushed:
/// same rows, same values after an encode and decode, same bytes, and still usable for another push.
fn assert_atomic(type_name: &str, good: &Value<'_>, bad: &Value<'_>) {
    let data_type = parse(type_name);
    let mut column = column_of(&data_type, std::slice::from_ref(good));
    let result = column.push(&data_type, bad);
    assert!(result.is_err(), "{type_name}: {bad:?} was accepted");
    assert_eq!(column.len(), 1, "{type_name}: {bad:?} left a row");
    column
        .push(&data_type, good)
        .unwrap_or_else(|error| panic!("{type_name}: pushing after a failure: {error}"));
    let expected = [good.clone(), good.clone()];
    let bytes = encode(&data_type, &column);
    let decoded = decode(&data_type, &bytes, 2);
    assert_eq!(values_of(&data_type, &decoded), expected, "{type_name}");
    // A failed LowCardinality value may leave an unused dictionary entry (documented as harmless).
    if !type_name.contains("LowCardinality") {
        let fresh = encode(&data_type, &column_of(&data_type, &expected));
        assert_eq!(bytes, fresh, "{type_name}");
    }
}

#[test]
fn failed_push_leaves_the_column_unchanged() {
    let array = Value::Array;
    let tuple = Value::Tuple;
    let cases: Vec<(&str, Value, Value)> = vec![
        ("UInt8", Value::UInt(1), Value::UInt(300)),
        ("String", text("a"), Value::Null),
        ("Nullable(UInt8)", Value::UInt(1), Value::UInt(300)),
        (
            "Array(UInt8)",
            array(vec![Value::UInt(1)]),
            array(vec![Value::UInt(1), Value::UInt(2), Value::UInt(300)]),
        ),
        (
            "Array(Array(UInt8))",
            array(vec![array(vec![Value::UInt(1)])]),
            array(vec![
                array(vec![Value::UInt(1)]),
                array(vec![Value::UInt(2), Value::Int(-1)]),
            ]),
        ),
        (
            "Array(Nullable(UInt8))",
            array(vec![Value::UInt(1)]),
            array(vec![Value::UInt(2), Value::Null, Value::UInt(300)]),
        ),
        (
            "Tuple(UInt8, String, UInt8)",
            tuple(vec![Value::UInt(1), text("x"), Value::UInt(2)]),
            tuple(vec![Value::UInt(1), text("x"), Value::UInt(300)]),
        ),
        (
            "Tuple(a UInt8, b Array(Nullable(UInt8)))",
            tuple(vec![Value::UInt(1), array(vec![Value::Null])]),
            tuple(vec![Value::UInt(1), array(vec![Value::Null, Value::UInt(300)])]),
        ),
        (
            "Array(Tuple(String, UInt8))",
            array(vec![tuple(vec![text("a"), Value::UInt(1)])]),
            array(vec![tuple(vec![text("a"), Value::UInt(1)]), tuple(vec![text("b")])]),
        ),
        (
            "Map(String, UInt8)",
            Value::Map(vec![(text("a"), Value::UInt(1))]),
            Value::Map(vec![(text("a"), Value::UInt(1)), (text("b"), Value::Int(-1))]),
        ),
        (
            "Map(String, Array(UInt8))",
            Value::Map(vec![(text("a"), array(vec![Value::UInt(1)]))]),
            Value::Map(vec![(text("a"), array(vec![Value::UInt(1), Value::UInt(256)]))]),
        ),
        (
            "Array(LowCardinality(String))",
            array(vec![text("a")]),
            array(vec![text("b"), Value::Null]),
        ),
        (
            "Tuple(LowCardinality(String), UInt8)",
            tuple(vec![text("a"), Value::UInt(1)]),
            tuple(vec![text("b"), Value::UInt(300)]),
        ),
        (
            "SimpleAggregateFunction(groupArrayArray, Array(UInt8))",
            array(vec![Value::UInt(1)]),
            array(vec![Value::UInt(2), Value::UInt(300)]),
        ),
    ];
    for (type_name, good, bad) in &cases {
        assert_atomic(type_name, good, bad);
    }
}

#[test]
fn failed_push_in_a_low_cardinality_dictionary_keeps_the_rows() {
    // A failing dictionary value may leave an unused dictionary entry behind (documented as harmless),
    // so only rows and values are compared, not bytes.
    for type_name in [
        "LowCardinality(FixedString(2))",
        "LowCardinality(Nullable(FixedString(2)))",
    ] {
        let data_type = parse(type_name);
        let mut column = column_of(&data_type, &[text("ab")]);
        assert!(column.push(&data_type, &text("abc")).is_err(), "{type_name}");
        assert_eq!(column.len(), 1, "{type_name}");
        let bytes = encode(&data_type, &column);
        let decoded = decode(&data_type, &bytes, 1);
        assert_eq!(values_of(&data_type, &decoded), [text("ab")], "{type_name}");
    }
}

#[test]
fn failed_block_row_changes_no_column() {
    let mut block = sample_block();
    let before = block.clone();
    let mut row: Vec<Value> = before.columns.iter().map(|column| column.value(0)).collect();
    // Every column before `tags` takes its value, then `tags` fails.
    row[4] = Value::Array(vec![text("a"), Value::Null]);
    assert!(block.push_row(&row).is_err());
    assert_eq!(block.rows(), 3);
    // LowCardinality dictionaries may keep unused entries, so compare what the rows hold.
    let mut bytes = Vec::new();
    block.write(&mut bytes, REVISIONS[0]);
    let mut read = Block::default();
    if let Err(error) = read.read(&mut bytes.as_slice(), REVISIONS[0]) {
        panic!("{error}");
    }
    for (column, expected) in read.columns.iter().zip(&before.columns) {
        assert_eq!(column.len(), 3, "{}", column.name);
        assert_eq!(
            values_of(&column.data_type, &column.data),
            values_of(&expected.data_type, &expected.data)
        );
    }
}

// ---------------------------------------------------------------------------------------------------------
// 6. Corrupt input.

#[test]
fn corrupt_input_is_an_error_without_large_allocations() {
    // A column's few buffers, each reserving at most 512 KiB ahead of its bytes.
    const LIMIT: usize = 2 << 20;
    let huge = 1u64 << 40;
    // (type, rows, bytes, part of the error message or "" for any error)
    let cases: Vec<(&str, usize, Vec<u8>, &str)> = vec![
        (
            "Array(UInt8)",
            2,
            Wire::default().u64(2).u64(1).hex("01 02").0,
            "backwards",
        ),
        ("Map(String, UInt8)", 2, Wire::default().u64(1).u64(0).0, "backwards"),
        ("Array(UInt8)", 1, Wire::default().u64(u64::MAX).0, ""),
        ("Array(String)", 1, Wire::default().u64(huge).hex("01 61").0, ""),
        ("Array(Array(UInt64))", 1, Wire::default().u64(huge).u64(1).0, ""),
        (
            "Tuple(UInt8, Array(UInt8))",
            1,
            Wire::default().hex("01").u64(huge).0,
            "",
        ),
        ("String", 1, Wire::default().varint(huge).0, "length"),
        ("String", 1 << 32, hex("01 61"), ""),
        ("UInt64", 1 << 32, hex("01 02 03"), ""),
        ("UInt64", usize::MAX / 4, vec![], "overflows"),
        ("FixedString(1000)", 1 << 32, vec![], ""),
        ("Nullable(String)", 1 << 32, hex("00 00"), ""),
        (
            "LowCardinality(String)",
            1,
            Wire::default().u64(2).u64(0x600).u64(1).string("a").u64(1).hex("00").0,
            "version 2",
        ),
        (
            "Array(LowCardinality(String))",
            1,
            Wire::default().u64(0).u64(0).0,
            "version 0",
        ),
        (
            "LowCardinality(String)",
            1,
            Wire::default().u64(1).u64(0x604).u64(1).string("a").u64(1).hex("00").0,
            "index type 4",
        ),
        (
            "LowCardinality(String)",
            1,
            Wire::default().u64(1).u64(0x600).u64(1).string("a").u64(1).hex("01").0,
            "outside its dictionary",
        ),
        (
            "LowCardinality(Nullable(String))",
            2,
            Wire::default()
                .u64(1)
                .u64(0x600)
                .u64(2)
                .hex("00 01 61")
                .u64(2)
                .hex("00 02")
                .0,
            "outside its dictionary",
        ),
        (
            "LowCardinality(String)",
            1,
            Wire::default().u64(1).u64(0x600).u64(0).u64(1).hex("00").0,
            "outside its dictionary",
        ),
        (
            "LowCardinality(String)",
            1,
            Wire::default().u64(1).u64(0x700).u64(1).string("a").u64(1).hex("00").0,
            "global dictionary",
        ),
        (
            "LowCardinality(String)",
            1,
            Wire::default().u64(1).u64(0).u64(1).hex("00").0,
            "without keys",
        ),
        (
            "LowCardinality(String)",
            1,
            Wire::default()
                .u64(1)
                .u64(0x600)
                .u64(1)
                .string("a")
                .u64(5)
                .hex("00 00 00 00 00")
                .0,
            "more rows",
        ),
        (
            "LowCardinality(String)",
            1,
            Wire::default().u64(1).u64(0x600).u64(huge).string("a").0,
            "",
        ),
        (
            "LowCardinality(UInt64)",
            1,
            Wire::default().u64(1).u64(0x600).u64(u64::MAX).0,
            "",
        ),
        (
            "LowCardinality(String)",
            1 << 32,
            Wire::default().u64(1).u64(0x600).u64(1).string("a").u64(huge).0,
            "",
        ),
    ];
    for (type_name, rows, bytes, message) in cases {
        let data_type = parse(type_name);
        let mut column = ColumnData::new(&data_type);
        let result = read_into(&data_type, &mut column, &mut bytes.as_slice(), rows);
        match result {
            Ok(()) => panic!("{type_name}: {bytes:02x?} decoded"),
            Err(error) => assert!(error.to_string().contains(message), "{type_name}: {error}"),
        }
        assert!(
            heap_bytes(&column) < LIMIT,
            "{type_name}: {} bytes reserved",
            heap_bytes(&column)
        );
    }
}

#[test]
fn corrupt_block_shapes_are_errors() {
    let cases = [
        // Implausible column and row counts.
        Wire::default().varint(1 << 30).varint(1).0,
        Wire::default().varint(1).varint(1 << 40).0,
        // Rows without columns to hold them.
        Wire::default().varint(0).varint(1 << 31).0,
        // An unknown type name.
        Wire::default()
            .varint(1)
            .varint(1)
            .string("c")
            .string("Frobnicate")
            .hex("00")
            .0,
        // A custom serialization.
        Wire::default()
            .varint(1)
            .varint(1)
            .string("c")
            .string("UInt8")
            .hex("01 01")
            .0,
    ];
    for bytes in cases {
        let result = Block::default().read(&mut bytes.as_slice(), 54454);
        assert!(result.is_err(), "{bytes:02x?} decoded");
    }
    let unknown_field = hex("07 00");
    assert!(Block::default().read(&mut unknown_field.as_slice(), 54460).is_err());
}

#[test]
fn empty_columns_of_wide_types_allocate_nothing() {
    // A header naming the widest FixedString the server allows costs no memory until rows arrive:
    // the NULL placeholder of a nullable LowCardinality dictionary comes with the first row.
    let wide = "LowCardinality(Nullable(FixedString(16777215)))";
    let many = format!("Tuple({})", vec![wide; 1000].join(", "));
    for type_name in [wide, many.as_str()] {
        let data_type = parse(type_name);
        let mut column = ColumnData::new(&data_type);
        assert_eq!(heap_bytes(&column), 0, "{type_name}");
        column.clear(&data_type);
        assert_eq!(heap_bytes(&column), 0, "{type_name}");
    }
    let data_type = parse("LowCardinality(Nullable(FixedString(2)))");
    let column = column_of(&data_type, &[Value::Null, text("ab"), Value::Null]);
    assert_eq!(
        values_of(&data_type, &column),
        [Value::Null, Value::Bytes(b"ab"), Value::Null]
    );
    assert_eq!(decode(&data_type, &encode(&data_type, &column), 3), column);
}

#[test]
fn strings_straddling_the_readers_buffer_decode_whole() {
    let data_type = parse("String");
    let texts: Vec<String> = [0usize, 1, 7, 127, 128, 300, 20_000, 3]
        .iter()
        .map(|&length| "x".repeat(length))
        .collect();
    let values: Vec<Value> = texts.iter().map(|text| Value::Bytes(text.as_bytes())).collect();
    let bytes = encode(&data_type, &column_of(&data_type, &values));
    for capacity in (1..=12).chain([64, 1000, 1 << 16]) {
        let mut reader = std::io::BufReader::with_capacity(capacity, bytes.as_slice());
        let mut column = ColumnData::new(&data_type);
        column.read_rows(&data_type, &mut reader, values.len()).unwrap();
        assert_eq!(values_of(&data_type, &column), values, "capacity {capacity}");
    }
}

#[test]
fn hostile_string_lengths_fail_in_the_buffered_path_too() {
    let data_type = parse("String");
    for bytes in [vec![0xff; 11], vec![0x80, 0x80, 0x80, 0x80, 0x10]] {
        let mut column = ColumnData::new(&data_type);
        let error = column.read_rows(&data_type, &mut bytes.as_slice(), 1).unwrap_err();
        assert!(
            error.to_string().contains("varint") || error.to_string().contains("larger"),
            "{error}"
        );
    }
}
