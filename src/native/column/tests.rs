//! Pure codec tests: known wire bytes, a round trip for every type, and truncated input.

use std::io::Cursor;

use super::{ColumnData, Value, read_prefix, write_prefix};
use crate::native::block::{Block, Column};
use crate::native::types::DataType;

fn encode(type_name: &str, values: &[Value<'_>]) -> (DataType, Vec<u8>) {
    let data_type = DataType::parse(type_name).unwrap();
    let mut column = ColumnData::new(&data_type);
    for value in values {
        column
            .push(&data_type, value)
            .unwrap_or_else(|error| panic!("{type_name}: {error}"));
    }
    let mut bytes = Vec::new();
    write_prefix(&data_type, &mut bytes);
    column.write_rows(&data_type, &mut bytes);
    (data_type, bytes)
}

fn decode(data_type: &DataType, bytes: &[u8], rows: usize) -> crate::native::Result<ColumnData> {
    let mut reader = Cursor::new(bytes);
    let mut column = ColumnData::new(data_type);
    read_prefix(data_type, &mut reader)?;
    column.read_rows(data_type, &mut reader, rows)?;
    Ok(column)
}

/// Every type with values that reach its edges, given as text the column converts.
const CASES: &[(&str, &[&str])] = &[
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
        "DateTime('Asia/Shanghai')",
        &["1970-01-01 00:00:00", "2106-02-07 06:28:15"],
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
    ("Enum8('a\\'b' = -1, 'c' = 2)", &["a'b", "c"]),
    ("Enum16('x' = 1000)", &["x", "x"]),
    ("IPv4", &["1.2.3.4", "255.255.255.255"]),
    ("IPv6", &["2001:db8::ff00:42:8329", "::"]),
    ("SimpleAggregateFunction(sum, UInt64)", &["5", "6"]),
];

#[test]
fn every_scalar_type_round_trips() {
    for (type_name, texts) in CASES {
        let values: Vec<Value<'_>> = texts.iter().map(|text| Value::Text(text.to_string())).collect();
        let (data_type, bytes) = encode(type_name, &values);
        let column = decode(&data_type, &bytes, values.len()).unwrap_or_else(|error| panic!("{type_name}: {error}"));
        for (row, text) in texts.iter().enumerate() {
            assert_eq!(
                column.value(&data_type, row).to_string(),
                *text,
                "{type_name} row {row}"
            );
        }
        // Every cut of the bytes is an error, never a panic or a short read taken as data.
        for cut in 0..bytes.len() {
            assert!(
                decode(&data_type, &bytes[..cut], values.len()).is_err(),
                "{type_name} cut at {cut}"
            );
        }
    }
}

#[test]
fn nested_types_round_trip_through_blocks() {
    let columns: &[(&str, Vec<Value<'static>>)] = &[
        ("Nullable(String)", vec![Value::Null, Value::Text("x".into())]),
        ("Nullable(Nothing)", vec![Value::Null, Value::Null]),
        (
            "Array(Array(Nullable(String)))",
            vec![
                Value::Array(vec![
                    Value::Array(vec![Value::Null, Value::Text("a".into())]),
                    Value::Array(vec![]),
                ]),
                Value::Array(vec![]),
            ],
        ),
        (
            "Tuple(a UInt8, b String)",
            vec![
                Value::Tuple(vec![Value::UInt(1), Value::Text("one".into())]),
                Value::Tuple(vec![Value::UInt(2), Value::Text(String::new())]),
            ],
        ),
        (
            "Map(String, Array(UInt8))",
            vec![
                Value::Map(vec![(Value::Text("k".into()), Value::Array(vec![Value::UInt(1)]))]),
                Value::Map(vec![]),
            ],
        ),
        (
            "LowCardinality(String)",
            vec![Value::Text("p".into()), Value::Text("p".into())],
        ),
        (
            "LowCardinality(Nullable(String))",
            vec![Value::Null, Value::Text("v".into())],
        ),
        (
            "Array(LowCardinality(String))",
            vec![
                Value::Array(vec![Value::Text("a".into()), Value::Text("b".into())]),
                Value::Array(vec![]),
            ],
        ),
    ];
    let mut header = Block::default();
    for (index, (type_name, _)) in columns.iter().enumerate() {
        header
            .columns
            .push(Column::new(format!("c{index}"), *type_name).unwrap());
    }
    let mut block = Block::with_columns_of(&header);
    for row in 0..2 {
        let values: Vec<Value<'_>> = columns.iter().map(|(_, values)| values[row].clone()).collect();
        block.push_row(&values).unwrap();
    }
    for revision in [0, 54412, 54460] {
        let mut bytes = Vec::new();
        block.write(&mut bytes, revision);
        let mut decoded = Block::default();
        decoded.read(&mut Cursor::new(&bytes), revision).unwrap();
        assert_eq!(decoded.rows(), 2);
        for (index, (type_name, values)) in columns.iter().enumerate() {
            for (row, value) in values.iter().enumerate() {
                let got = decoded.columns[index].value(row);
                assert_eq!(
                    got.to_string(),
                    value.to_string(),
                    "{type_name} row {row} at {revision}"
                );
            }
        }
        for cut in 0..bytes.len() {
            assert!(
                Block::default()
                    .read(&mut Cursor::new(&bytes[..cut]), revision)
                    .is_err(),
                "cut at {cut}"
            );
        }
    }
}

#[test]
fn known_wire_bytes() {
    let cases: &[(&str, &str, &[u8])] = &[
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
    for (type_name, text, expected) in cases {
        let (_, bytes) = encode(type_name, &[Value::Text(text.to_string())]);
        assert_eq!(&bytes, expected, "{type_name}");
    }
    let (_, bytes) = encode("Nullable(Int32)", &[Value::Null]);
    assert_eq!(bytes, [1, 0, 0, 0, 0]);
    // LowCardinality(String) as the server sends ["0", "1", "0"]: version, flags, keys, indexes.
    let server: Vec<u8> = [
        &1u64.to_le_bytes()[..],
        &0x0600u64.to_le_bytes(),
        &3u64.to_le_bytes(),
        &[0, 1, b'0', 1, b'1'],
        &3u64.to_le_bytes(),
        &[1, 2, 1],
    ]
    .concat();
    let data_type = DataType::parse("LowCardinality(String)").unwrap();
    let column = decode(&data_type, &server, 3).unwrap();
    let rows: Vec<String> = (0..3).map(|row| column.value(&data_type, row).to_string()).collect();
    assert_eq!(rows, ["0", "1", "0"]);
}

#[test]
fn corrupt_input_is_refused() {
    let array = DataType::parse("Array(UInt8)").unwrap();
    let backwards = [&2u64.to_le_bytes()[..], &1u64.to_le_bytes(), &[1, 2]].concat();
    assert!(decode(&array, &backwards, 2).is_err());
    let low_cardinality = DataType::parse("LowCardinality(String)").unwrap();
    let bad_version = [&2u64.to_le_bytes()[..]].concat();
    assert!(decode(&low_cardinality, &bad_version, 1).is_err());
    let outside = [
        &1u64.to_le_bytes()[..],
        &0x0600u64.to_le_bytes(),
        &1u64.to_le_bytes(),
        &[0],
        &1u64.to_le_bytes(),
        &[5],
    ]
    .concat();
    assert!(decode(&low_cardinality, &outside, 1).is_err());
}

#[test]
fn failed_pushes_leave_columns_unchanged() {
    let data_type = DataType::parse("Array(UInt8)").unwrap();
    let mut column = ColumnData::new(&data_type);
    column.push(&data_type, &Value::Array(vec![Value::UInt(1)])).unwrap();
    let error = column
        .push(&data_type, &Value::Array(vec![Value::UInt(2), Value::Int(300)]))
        .unwrap_err();
    assert!(error.contains("300"), "{error}");
    assert_eq!(column.len(), 1);
    assert_eq!(column.value(&data_type, 0).to_string(), "[1]");
    let strict = DataType::parse("UInt64").unwrap();
    let mut numbers = ColumnData::new(&strict);
    assert!(numbers.push(&strict, &Value::Int(-1)).is_err());
    assert!(numbers.push(&strict, &Value::Null).is_err());
    assert!(numbers.push(&strict, &Value::Text("1.5".into())).is_err());
    assert_eq!(numbers.len(), 0);
}
