//! Type names parsed and printed back, against what both servers send.

use super::DataType;
use super::parser::MAX_NESTING;
use crate::native::Error;

fn parse(name: &str) -> DataType {
    DataType::parse(name).unwrap_or_else(|error| panic!("`{name}` should parse: {error}"))
}

fn parse_error(name: &str) -> String {
    match DataType::parse(name) {
        Err(Error::Type(message)) => message,
        Err(other) => panic!("`{name}` gave a non-type error: {other}"),
        Ok(data_type) => panic!("`{name}` should not parse, got {data_type:?}"),
    }
}

fn boxed(data_type: DataType) -> Box<DataType> {
    Box::new(data_type)
}

fn point() -> DataType {
    DataType::Tuple(vec![(None, DataType::Float64), (None, DataType::Float64)])
}

#[test]
fn datetimes_without_a_zone_take_the_servers() {
    let mut data_type =
        parse("Tuple(Array(Nullable(DateTime)), DateTime64(3), DateTime('UTC'), Map(String, DateTime))");
    data_type.assume_timezone("Asia/Shanghai");
    assert_eq!(
        data_type.to_string(),
        "Tuple(Array(Nullable(DateTime('Asia/Shanghai'))), DateTime64(3, 'Asia/Shanghai'), DateTime('UTC'), \
         Map(String, DateTime('Asia/Shanghai')))"
    );
}

#[test]
fn simple_names() {
    let cases = [
        ("UInt8", DataType::UInt8),
        ("UInt16", DataType::UInt16),
        ("UInt32", DataType::UInt32),
        ("UInt64", DataType::UInt64),
        ("UInt128", DataType::UInt128),
        ("UInt256", DataType::UInt256),
        ("Int8", DataType::Int8),
        ("Int16", DataType::Int16),
        ("Int32", DataType::Int32),
        ("Int64", DataType::Int64),
        ("Int128", DataType::Int128),
        ("Int256", DataType::Int256),
        ("Float32", DataType::Float32),
        ("Float64", DataType::Float64),
        ("Bool", DataType::Bool),
        ("Boolean", DataType::Bool),
        ("String", DataType::String),
        ("Date", DataType::Date),
        ("Date32", DataType::Date32),
        ("UUID", DataType::Uuid),
        ("IPv4", DataType::IPv4),
        ("IPv6", DataType::IPv6),
        ("Nothing", DataType::Nothing),
        ("FixedString(16)", DataType::FixedString(16)),
        ("IntervalSecond", DataType::Int64),
        ("IntervalDay", DataType::Int64),
        ("IntervalNanosecond", DataType::Int64),
    ];
    for (name, expected) in cases {
        assert_eq!(parse(name), expected, "{name}");
    }
}

#[test]
fn decimals() {
    let decimal = |precision, scale| DataType::Decimal { precision, scale };
    assert_eq!(parse("Decimal(9, 2)"), decimal(9, 2));
    assert_eq!(parse("Decimal(18)"), decimal(18, 0));
    assert_eq!(parse("Decimal(76, 76)"), decimal(76, 76));
    assert_eq!(parse("Decimal(1, 0)"), decimal(1, 0));
    assert_eq!(parse("Decimal32(4)"), decimal(9, 4));
    assert_eq!(parse("Decimal64(0)"), decimal(18, 0));
    assert_eq!(parse("Decimal128(38)"), decimal(38, 38));
    assert_eq!(parse("Decimal256(20)"), decimal(76, 20));
    assert!(parse_error("Decimal(77, 1)").contains("Decimal precision 77 is out of range 1..=76"));
    assert!(parse_error("Decimal(0, 0)").contains("precision 0"));
    assert!(parse_error("Decimal(9, 10)").contains("Decimal scale 10 is out of range 0..=9"));
    assert!(parse_error("Decimal32(10)").contains("scale 10"));
    assert!(parse_error("Decimal(9, -1)").contains("scale -1"));
    assert!(parse_error("Decimal").contains("expected `(`"));
}

#[test]
fn date_times() {
    assert_eq!(parse("DateTime"), DataType::DateTime { timezone: None });
    assert_eq!(
        parse("DateTime('Asia/Shanghai')"),
        DataType::DateTime {
            timezone: Some("Asia/Shanghai".into())
        }
    );
    assert_eq!(
        parse("DateTime64(3)"),
        DataType::DateTime64 {
            precision: 3,
            timezone: None
        }
    );
    assert_eq!(
        parse("DateTime64(9, 'UTC')"),
        DataType::DateTime64 {
            precision: 9,
            timezone: Some("UTC".into())
        }
    );
    assert!(parse_error("DateTime64(10)").contains("DateTime64 precision 10 is out of range 0..=9"));
    assert!(parse_error("DateTime(UTC)").contains("expected a string quoted with '"));
    assert!(parse_error("DateTime64").contains("expected `(`"));
}

#[test]
fn enums() {
    assert_eq!(
        parse("Enum8('a' = 1, 'b' = -2)"),
        DataType::Enum8(vec![("a".into(), 1), ("b".into(), -2)])
    );
    assert_eq!(
        parse("Enum8('min' = -128, 'max' = 127)"),
        DataType::Enum8(vec![("min".into(), -128), ("max".into(), 127)])
    );
    assert_eq!(
        parse("Enum16('low' = -32768, 'high' = 32767)"),
        DataType::Enum16(vec![("low".into(), -32768), ("high".into(), 32767)])
    );
    assert!(parse_error("Enum8('a' = 200)").contains("Enum8 value 200 is out of range -128..=127"));
    assert!(parse_error("Enum8('a' = -129)").contains("Enum8 value -129"));
    assert!(parse_error("Enum16('a' = 40000)").contains("Enum16 value 40000"));
    assert!(parse_error("Enum16('a' = 99999999999999999999)").contains("out of range"));
    assert!(parse_error("Enum8()").contains("expected a string quoted with '"));
    assert!(parse_error("Enum8('a')").contains("expected `=`"));
    assert!(parse_error("Enum8('a' = )").contains("expected Enum8 value, found `)`"));
    assert!(parse_error("Enum8('a' = -)").contains("expected Enum8 value"));
    assert!(parse_error("Enum8('a = 1)").contains("unterminated quoted string"));
}

#[test]
fn enum_name_escapes() {
    let name = r"Enum8('it\'s' = 1, 'back\\slash' = 2, 'it''s' = 3, 'a\nb\tc' = 4, 'nul\0' = 5, '\x41\x62' = 6)";
    let expected = ["it's", "back\\slash", "it's!", "a\nb\tc", "nul\0", "Ab"];
    let DataType::Enum8(entries) = parse(&name.replace("'it''s' = 3", "'it''s!' = 3")) else {
        panic!("not an Enum8");
    };
    let names: Vec<&str> = entries.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, expected);
    // Escapes of UTF-8 bytes, unknown escapes and raw non-ASCII text.
    assert_eq!(parse(r"Enum8('\xC3\xA9' = 1)"), DataType::Enum8(vec![("é".into(), 1)]));
    assert_eq!(parse(r"Enum8('\q' = 1)"), DataType::Enum8(vec![("q".into(), 1)]));
    assert_eq!(parse("Enum8('日本' = 1)"), DataType::Enum8(vec![("日本".into(), 1)]));
    assert!(parse_error(r"Enum8('\xZZ' = 1)").contains("two hex digits"));
    assert!(parse_error(r"Enum8('\xFF' = 1)").contains("not valid UTF-8"));
    assert!(parse_error(r"Enum8('a\").contains("unterminated quoted string"));
    let display = DataType::Enum8(vec![("it's".into(), 1), ("a\\b".into(), 2)]).to_string();
    assert_eq!(display, r"Enum8('it\'s' = 1, 'a\\b' = 2)");
}

#[test]
fn composites() {
    assert_eq!(parse("Nullable(String)"), DataType::Nullable(boxed(DataType::String)));
    assert_eq!(
        parse("Array(Array(Array(UInt8)))"),
        DataType::Array(boxed(DataType::Array(boxed(DataType::Array(boxed(DataType::UInt8))))))
    );
    assert_eq!(
        parse("Tuple(UInt8, String)"),
        DataType::Tuple(vec![(None, DataType::UInt8), (None, DataType::String)])
    );
    assert_eq!(
        parse("Tuple(a UInt8, b Nullable(String))"),
        DataType::Tuple(vec![
            (Some("a".into()), DataType::UInt8),
            (Some("b".into()), DataType::Nullable(boxed(DataType::String))),
        ])
    );
    assert_eq!(
        parse("Tuple(`a b` UInt8, \"c\" String, String String)"),
        DataType::Tuple(vec![
            (Some("a b".into()), DataType::UInt8),
            (Some("c".into()), DataType::String),
            (Some("String".into()), DataType::String),
        ])
    );
    assert_eq!(
        parse("Map(String, UInt64)"),
        DataType::Map(boxed(DataType::String), boxed(DataType::UInt64))
    );
    assert_eq!(
        parse("LowCardinality(Nullable(String))"),
        DataType::LowCardinality(boxed(DataType::Nullable(boxed(DataType::String))))
    );
}

#[test]
fn simple_aggregate_functions() {
    assert_eq!(
        parse("SimpleAggregateFunction(any, UInt64)"),
        DataType::SimpleAggregateFunction {
            function: "any".into(),
            inner: boxed(DataType::UInt64)
        }
    );
    assert_eq!(
        parse("SimpleAggregateFunction(sumMap, Map(String, UInt64))"),
        DataType::SimpleAggregateFunction {
            function: "sumMap".into(),
            inner: boxed(DataType::Map(boxed(DataType::String), boxed(DataType::UInt64))),
        }
    );
    assert_eq!(
        parse("SimpleAggregateFunction( quantiles(0.5, 0.9) , Array(Float64))"),
        DataType::SimpleAggregateFunction {
            function: "quantiles(0.5, 0.9)".into(),
            inner: boxed(DataType::Array(boxed(DataType::Float64))),
        }
    );
    assert!(parse_error("SimpleAggregateFunction(any)").contains("expected `,`"));
    assert!(parse_error("SimpleAggregateFunction(f(1, UInt8)").contains("expected `,`, found end of input"));
}

#[test]
fn geo_aliases() {
    let ring = DataType::Array(boxed(point()));
    let polygon = DataType::Array(boxed(ring.clone()));
    assert_eq!(parse("Point"), point());
    assert_eq!(parse("Ring"), ring);
    assert_eq!(parse("LineString"), ring);
    assert_eq!(parse("MultiLineString"), polygon);
    assert_eq!(parse("Polygon"), polygon);
    assert_eq!(parse("MultiPolygon"), DataType::Array(boxed(polygon)));
}

#[test]
fn whitespace_between_tokens() {
    assert_eq!(
        parse("  Map ( String ,\n\tArray( Nullable ( Decimal ( 9 , 2 ) ) ) )  "),
        parse("Map(String, Array(Nullable(Decimal(9, 2))))")
    );
    assert_eq!(parse("Enum8( 'a'=1 ,'b' =2 )"), parse("Enum8('a' = 1, 'b' = 2)"));
    assert_eq!(parse("DateTime64( 3 ,'UTC' )"), parse("DateTime64(3, 'UTC')"));
}

#[test]
fn display_is_canonical() {
    let cases = [
        ("Decimal32(2)", "Decimal(9, 2)"),
        ("Decimal(5)", "Decimal(5, 0)"),
        ("DateTime", "DateTime"),
        ("DateTime('UTC')", "DateTime('UTC')"),
        ("DateTime64(3)", "DateTime64(3)"),
        ("DateTime64( 3,'UTC')", "DateTime64(3, 'UTC')"),
        ("Enum8('a'=1,'b'=2)", "Enum8('a' = 1, 'b' = 2)"),
        ("FixedString(3)", "FixedString(3)"),
        ("Tuple(UInt8,String)", "Tuple(UInt8, String)"),
        ("Tuple(a UInt8, `b` String)", "Tuple(a UInt8, b String)"),
        ("Tuple(\"a b\" UInt8)", "Tuple(`a b` UInt8)"),
        ("Map(String,UInt64)", "Map(String, UInt64)"),
        ("LowCardinality(Nullable(String))", "LowCardinality(Nullable(String))"),
        (
            "SimpleAggregateFunction(any,UInt64)",
            "SimpleAggregateFunction(any, UInt64)",
        ),
        ("UUID", "UUID"),
        ("IPv4", "IPv4"),
        ("Boolean", "Bool"),
        ("IntervalDay", "Int64"),
        ("Point", "Tuple(Float64, Float64)"),
    ];
    for (name, canonical) in cases {
        assert_eq!(parse(name).to_string(), canonical, "{name}");
    }
}

#[test]
fn display_round_trips() {
    let names = [
        "UInt8",
        "UInt16",
        "UInt32",
        "UInt64",
        "UInt128",
        "UInt256",
        "Int8",
        "Int16",
        "Int32",
        "Int64",
        "Int128",
        "Int256",
        "Float32",
        "Float64",
        "Bool",
        "String",
        "FixedString(1)",
        "Date",
        "Date32",
        "DateTime",
        "DateTime('Europe/Moscow')",
        "DateTime64(0)",
        "DateTime64(6, 'America/New_York')",
        "Decimal(1, 0)",
        "Decimal(76, 38)",
        "UUID",
        "IPv4",
        "IPv6",
        "Nothing",
        "Nullable(Nothing)",
        r"Enum8('a' = -128, 'it\'s' = 0, 'x\\y' = 127)",
        "Enum16('new\nline' = -1000, 'tab\there' = 1000, 'ünï' = 2)",
        "Array(Array(Nullable(Int32)))",
        "Tuple(UInt8, Array(String), Map(String, Tuple(Float64, Float64)))",
        "Tuple(a UInt8, `with space` String, `back``tick` Date, `x\\y` Date32)",
        "Map(LowCardinality(String), Array(Nullable(Decimal(18, 4))))",
        "LowCardinality(Nullable(FixedString(8)))",
        "SimpleAggregateFunction(anyLast, Nullable(String))",
        "SimpleAggregateFunction(quantiles(0.5, 0.9), Array(Float64))",
        "MultiPolygon",
    ];
    for name in names {
        let data_type = parse(name);
        let display = data_type.to_string();
        assert_eq!(parse(&display), data_type, "{name} displayed as {display}");
        assert_eq!(parse(&display).to_string(), display, "{name}");
    }
}

#[test]
fn unsupported_types_are_named() {
    assert_eq!(
        parse_error("AggregateFunction(sum, UInt64)"),
        "unsupported ClickHouse type `AggregateFunction(sum, UInt64)`"
    );
    assert_eq!(
        parse_error("Array(JSON)"),
        "unsupported ClickHouse type `JSON` in `Array(JSON)`"
    );
    let names = [
        "Object('json')",
        "JSON",
        "JSON(max_dynamic_paths = 10)",
        "Dynamic",
        "Variant(UInt8, String)",
        "Nested(a UInt8, b String)",
        "BFloat16",
        "Frobnicate",
        "uint8",
    ];
    for name in names {
        assert_eq!(parse_error(name), format!("unsupported ClickHouse type `{name}`"));
    }
    assert!(parse_error("Map(String, Variant(UInt8, String))").contains("`Variant(UInt8, String)` in `Map("));
}

#[test]
fn malformed_names_are_errors() {
    let cases = [
        ("", "expected a type name, found end of input at offset 0"),
        ("   ", "expected a type name, found end of input at offset 3"),
        ("Array(UInt8", "expected `)`, found end of input at offset 11"),
        ("Array(UInt8))", "expected end of type name, found `)` at offset 12"),
        ("UInt8 junk", "expected end of type name, found `j` at offset 6"),
        ("Array()", "expected a type name, found `)`"),
        ("Array(UInt8, UInt8)", "expected `)`, found `,`"),
        ("Map(String)", "expected `,`, found `)`"),
        ("Tuple()", "expected a type name, found `)`"),
        ("UInt8(3)", "type `UInt8` takes no arguments"),
        ("FixedString(0)", "FixedString length 0 is out of range"),
        ("FixedString(-1)", "FixedString length -1 is out of range"),
        ("FixedString(x)", "expected FixedString length, found `x`"),
        ("Nullable(String", "expected `)`"),
        ("Tuple(a UInt8,", "expected a type name, found end of input"),
        ("Tuple(a UInt8 c)", "expected `)`, found `c` at offset 14"),
        ("AggregateFunction(sum, UInt64", "expected `)`, found end of input"),
        ("Array(日本)", "expected a type name, found `日`"),
        ("Enum8('日本' = 1) é", "found `é` at offset 16"),
    ];
    for (name, message) in cases {
        let error = parse_error(name);
        assert!(error.contains(&format!("`{name}`")), "{error} should name `{name}`");
        assert!(error.contains(message), "`{name}`: {error} should contain {message}");
    }
}

#[test]
fn nesting_is_bounded() {
    let deep = |levels: usize| format!("{}UInt8{}", "Array(".repeat(levels), ")".repeat(levels));
    assert!(DataType::parse(&deep(MAX_NESTING)).is_ok());
    assert!(parse_error(&deep(MAX_NESTING + 1)).contains("nested more than 100 levels"));
    assert!(parse_error(&deep(100_000)).contains("nested more than 100 levels"));
}

#[test]
fn fixed_widths() {
    let cases = [
        ("UInt8", Some(1)),
        ("Int8", Some(1)),
        ("Bool", Some(1)),
        ("Enum8('a' = 1)", Some(1)),
        ("Nothing", Some(1)),
        ("UInt16", Some(2)),
        ("Date", Some(2)),
        ("Enum16('a' = 1)", Some(2)),
        ("Int32", Some(4)),
        ("Float32", Some(4)),
        ("Date32", Some(4)),
        ("DateTime('UTC')", Some(4)),
        ("IPv4", Some(4)),
        ("UInt64", Some(8)),
        ("Float64", Some(8)),
        ("DateTime64(3)", Some(8)),
        ("IntervalHour", Some(8)),
        ("Int128", Some(16)),
        ("UUID", Some(16)),
        ("IPv6", Some(16)),
        ("UInt256", Some(32)),
        ("Decimal(9, 2)", Some(4)),
        ("Decimal(10, 2)", Some(8)),
        ("Decimal(18, 2)", Some(8)),
        ("Decimal(38, 2)", Some(16)),
        ("Decimal(39, 2)", Some(32)),
        ("FixedString(5)", Some(5)),
        ("SimpleAggregateFunction(sum, UInt64)", Some(8)),
        ("String", None),
        ("Nullable(UInt8)", None),
        ("Array(UInt8)", None),
        ("Tuple(UInt8)", None),
        ("Map(UInt8, UInt8)", None),
        ("LowCardinality(UInt8)", None),
        ("SimpleAggregateFunction(any, String)", None),
    ];
    for (name, width) in cases {
        assert_eq!(parse(name).fixed_width(), width, "{name}");
    }
}

#[test]
fn nullability_and_stripping() {
    assert!(parse("Nullable(UInt8)").is_nullable());
    assert!(parse("LowCardinality(Nullable(String))").is_nullable());
    assert!(parse("SimpleAggregateFunction(anyLast, Nullable(UInt8))").is_nullable());
    assert!(!parse("LowCardinality(String)").is_nullable());
    assert!(!parse("Array(Nullable(UInt8))").is_nullable());
    assert!(!parse("String").is_nullable());

    assert_eq!(
        parse("LowCardinality(Nullable(String))").strip_low_cardinality(),
        &DataType::Nullable(boxed(DataType::String))
    );
    assert_eq!(
        parse("SimpleAggregateFunction(any, LowCardinality(String))").strip_low_cardinality(),
        &DataType::String
    );
    assert_eq!(
        parse("Array(LowCardinality(String))").strip_low_cardinality(),
        &parse("Array(LowCardinality(String))")
    );
}
