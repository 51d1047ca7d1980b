//! Input a server should never send: truncated at every byte, zero rows, corrupt counts and lengths.

use super::round_trips::{cases, sample_block};
use super::*;

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
