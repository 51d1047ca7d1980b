//! Columns against wire bytes known from the server.

use super::*;

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
