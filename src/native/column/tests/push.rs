//! The conversions `push` performs, and pushes that fail leaving the column unchanged.

use super::round_trips::sample_block;
use super::*;

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
