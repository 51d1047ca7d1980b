//! SQLGetTypeInfo: the ClickHouse types an application can use in DDL, described as ODBC types.
//!
//! [`TYPES`] lists every type a user may write in CREATE TABLE that maps cleanly onto one ODBC type,
//! under its canonical name (the one the server reports back), described exactly as
//! [`describe`](super::types::describe) describes a column of that type. Left out:
//! - aliases (`INT`, `TIMESTAMP`, `Decimal32(S)`, `DateTime32`, ...): one name per type;
//! - types whose arguments are types or value lists, which CREATE_PARAMS (only `length`, `precision`,
//!   `scale`) cannot express: Nullable, LowCardinality, Array, Tuple, Map, Nested, Enum8/16,
//!   AggregateFunction, SimpleAggregateFunction;
//! - types the driver does not read (Time, BFloat16, JSON, Variant, Dynamic, geo types) and types no
//!   column can have (Nothing, Interval*).
//!
//! Rows are listed only if the connected server has the type (`system.data_type_families`, asked once
//! per connection), so an 18.16 server gets no Bool, Int128/256, UInt128/256, Date32, DateTime64 or
//! IPv4/6 rows (and its Decimal stops at precision 38). Within one DATA_TYPE the type that
//! ClickHouse's own SQL name for it resolves to comes first (TINYINT is Int8, BIGINT Int64, DATE
//! Date), except that DateTime64 leads TIMESTAMP where the server has it: SQL's TIMESTAMP has
//! fractional seconds, and applications (pyodbc) size timestamp parameters from the first row.
//! Wider or unsigned variants follow.
//!
//! Floats keep the decimal precision describe() gives them (7 and 15, as Appendix D's column sizes
//! have it), so their NUM_PREC_RADIX is 10, as SQLColAttribute reports it, not 2 (which would make
//! COLUMN_SIZE a number of bits).

use super::diag::Diagnostic;
use super::types::sql_type;
use crate::native::{Block, Column, Value};

/// The columns of SQLGetTypeInfo's result, in ODBC's order.
const TYPE_INFO_COLUMNS: &[(&str, &str)] = &[
    ("TYPE_NAME", "String"),
    ("DATA_TYPE", "Int16"),
    ("COLUMN_SIZE", "Nullable(Int32)"),
    ("LITERAL_PREFIX", "Nullable(String)"),
    ("LITERAL_SUFFIX", "Nullable(String)"),
    ("CREATE_PARAMS", "Nullable(String)"),
    ("NULLABLE", "Int16"),
    ("CASE_SENSITIVE", "Int16"),
    ("SEARCHABLE", "Int16"),
    ("UNSIGNED_ATTRIBUTE", "Nullable(Int16)"),
    ("FIXED_PREC_SCALE", "Int16"),
    ("AUTO_UNIQUE_VALUE", "Nullable(Int16)"),
    ("LOCAL_TYPE_NAME", "Nullable(String)"),
    ("MINIMUM_SCALE", "Nullable(Int16)"),
    ("MAXIMUM_SCALE", "Nullable(Int16)"),
    ("SQL_DATA_TYPE", "Int16"),
    ("SQL_DATETIME_SUB", "Nullable(Int16)"),
    ("NUM_PREC_RADIX", "Nullable(Int32)"),
    ("INTERVAL_PRECISION", "Nullable(Int16)"),
];

/// SQL_ALL_TYPES.
const ALL_TYPES: i16 = 0;
/// ODBC 2's codes for date, time and timestamp, which ODBC 3 renamed SQL_TYPE_DATE, _TIME, _TIMESTAMP.
const ODBC2_DATE: i16 = 9;
const ODBC2_TIME: i16 = 10;
const ODBC2_TIMESTAMP: i16 = 11;
const TYPE_TIME: i16 = 92;
/// SQL_DATETIME: SQL_DATA_TYPE of every date and time type, told apart by SQL_DATETIME_SUB.
const DATETIME: i16 = 9;
const CODE_DATE: i16 = 1;
const CODE_TIMESTAMP: i16 = 3;

/// Every ClickHouse type accepts NULL once wrapped in Nullable(T), so each row is SQL_NULLABLE even
/// though a column declared with the bare name is not.
const NULLABLE: i16 = 1;
/// SQL_PRED_BASIC: every comparison but LIKE, which ClickHouse allows only on strings.
const PRED_BASIC: i16 = 2;
/// SQL_SEARCHABLE: LIKE as well.
const SEARCHABLE: i16 = 3;

/// One row of the result; the columns it does not hold are the same for every ClickHouse type.
struct TypeInfo {
    name: &'static str,
    data_type: i16,
    /// `None` for String, whose size is the connection's nominal one (`StringMaxLength`).
    column_size: Option<i32>,
    /// Literals are written in single quotes (LITERAL_PREFIX and LITERAL_SUFFIX `'`).
    quoted: bool,
    create_params: Option<&'static str>,
    case_sensitive: bool,
    searchable: i16,
    /// `Some` for numeric types, which also get NUM_PREC_RADIX 10 and AUTO_UNIQUE_VALUE false.
    unsigned: Option<bool>,
    /// (MINIMUM_SCALE, MAXIMUM_SCALE), `None` where scale does not apply.
    scale: Option<(i16, i16)>,
}

const fn integer(name: &'static str, data_type: i16, digits: i32, unsigned: bool) -> TypeInfo {
    TypeInfo {
        name,
        data_type,
        column_size: Some(digits),
        quoted: false,
        create_params: None,
        case_sensitive: false,
        searchable: PRED_BASIC,
        unsigned: Some(unsigned),
        scale: Some((0, 0)),
    }
}

/// Int128/256 and UInt128/256: DECIMAL with scale 0. Their literals are quoted, since a bare number
/// beyond 64 bits is a Float64 to ClickHouse and loses digits.
const fn wide_integer(name: &'static str, digits: i32, unsigned: bool) -> TypeInfo {
    TypeInfo {
        quoted: true,
        ..integer(name, sql_type::DECIMAL, digits, unsigned)
    }
}

const fn float(name: &'static str, data_type: i16, digits: i32) -> TypeInfo {
    TypeInfo {
        scale: None,
        ..integer(name, data_type, digits, false)
    }
}

/// A non-numeric type; all but Bool take their literals in single quotes.
const fn non_numeric(name: &'static str, data_type: i16, column_size: i32) -> TypeInfo {
    TypeInfo {
        name,
        data_type,
        column_size: Some(column_size),
        quoted: true,
        create_params: None,
        case_sensitive: false,
        searchable: PRED_BASIC,
        unsigned: None,
        scale: None,
    }
}

/// The types SQLGetTypeInfo lists, ordered by DATA_TYPE and then by how closely they map to it.
const TYPES: &[TypeInfo] = &[
    non_numeric("UUID", sql_type::GUID, 36),
    // Literals true and false.
    TypeInfo {
        quoted: false,
        ..non_numeric("Bool", sql_type::BIT, 1)
    },
    integer("Int8", sql_type::TINYINT, 3, false),
    integer("UInt8", sql_type::TINYINT, 3, true),
    integer("Int64", sql_type::BIGINT, 19, false),
    integer("UInt64", sql_type::BIGINT, 20, true),
    // Widened like result columns (see `types`): every UInt32 fits a signed BIGINT.
    integer("UInt32", sql_type::BIGINT, 10, true),
    // Newer servers refuse a FixedString longer than 256 unless allow_suspicious_fixed_string_types
    // is set; LIKE on FixedString works on newer servers only (18.16 refuses it), hence PRED_BASIC.
    TypeInfo {
        create_params: Some("length"),
        case_sensitive: true,
        ..non_numeric("FixedString", sql_type::CHAR, 256)
    },
    TypeInfo {
        create_params: Some("precision,scale"),
        scale: Some((0, 76)),
        ..integer("Decimal", sql_type::DECIMAL, 76, false)
    },
    wide_integer("Int128", 39, false),
    wide_integer("UInt128", 39, true),
    wide_integer("Int256", 77, false),
    wide_integer("UInt256", 78, true),
    integer("Int32", sql_type::INTEGER, 10, false),
    integer("Int16", sql_type::SMALLINT, 5, false),
    integer("UInt16", sql_type::SMALLINT, 5, true),
    float("Float32", sql_type::REAL, 7),
    float("Float64", sql_type::DOUBLE, 15),
    TypeInfo {
        case_sensitive: true,
        searchable: SEARCHABLE,
        column_size: None,
        ..non_numeric("String", sql_type::VARCHAR, 0)
    },
    non_numeric("IPv4", sql_type::VARCHAR, 15),
    non_numeric("IPv6", sql_type::VARCHAR, 39),
    non_numeric("Date", sql_type::TYPE_DATE, 10),
    non_numeric("Date32", sql_type::TYPE_DATE, 10),
    // DateTime64 first: SQL's TIMESTAMP has fractional seconds, and pyodbc keeps the fraction of
    // datetime parameters only if the first TIMESTAMP row is wider than 19 characters.
    TypeInfo {
        create_params: Some("precision"),
        scale: Some((0, 9)),
        // yyyy-mm-dd hh:mm:ss.fffffffff
        ..non_numeric("DateTime64", sql_type::TYPE_TIMESTAMP, 29)
    },
    TypeInfo {
        scale: Some((0, 0)),
        ..non_numeric("DateTime", sql_type::TYPE_TIMESTAMP, 19)
    },
];

impl TypeInfo {
    /// The row's values in the order of [`TYPE_INFO_COLUMNS`].
    /// An ODBC 2 application (`odbc2`) gets its own codes for dates and timestamps in DATA_TYPE.
    fn values(&self, string_size: usize, odbc2: bool) -> [Value<'static>; TYPE_INFO_COLUMNS.len()] {
        let small = |value: i16| Value::Int(value.into());
        let text = |text: &'static str| Value::Bytes(text.as_bytes());
        let quote = if self.quoted { text("'") } else { Value::Null };
        let (sql_data_type, datetime_sub) = match self.data_type {
            sql_type::TYPE_DATE => (DATETIME, small(CODE_DATE)),
            sql_type::TYPE_TIMESTAMP => (DATETIME, small(CODE_TIMESTAMP)),
            other => (other, Value::Null),
        };
        let numeric = self.unsigned.is_some();
        [
            text(self.name),
            small(match self.data_type {
                sql_type::TYPE_DATE if odbc2 => ODBC2_DATE,
                sql_type::TYPE_TIMESTAMP if odbc2 => ODBC2_TIMESTAMP,
                other => other,
            }),
            Value::Int(self.column_size.map_or(string_size as i64, i64::from)),
            quote.clone(),
            quote,
            self.create_params.map_or(Value::Null, text),
            small(NULLABLE),
            small(self.case_sensitive.into()),
            small(self.searchable),
            self.unsigned.map_or(Value::Null, |unsigned| small(unsigned.into())),
            // No type has a precision and scale of its own, as a money type would.
            small(0),
            if numeric { small(0) } else { Value::Null },
            // As SQLColAttribute's SQL_DESC_LOCAL_TYPE_NAME: ClickHouse names are not localized.
            text(self.name),
            self.scale.map_or(Value::Null, |(minimum, _)| small(minimum)),
            self.scale.map_or(Value::Null, |(_, maximum)| small(maximum)),
            small(sql_data_type),
            datetime_sub,
            if numeric { Value::Int(10) } else { Value::Null },
            Value::Null,
        ]
    }
}

/// The ODBC 3 code for `data_type`, which ODBC 2 applications may pass in its old form.
fn odbc3_type(data_type: i16) -> i16 {
    match data_type {
        ODBC2_DATE => sql_type::TYPE_DATE,
        ODBC2_TIME => TYPE_TIME,
        ODBC2_TIMESTAMP => sql_type::TYPE_TIMESTAMP,
        other => other,
    }
}

/// The result of SQLGetTypeInfo for `data_type` (SQL_ALL_TYPES = 0 for every type); a type code no
/// row has gives an empty result, as ODBC asks. String's size is `string_size`. `families` are the
/// type names the server knows (`system.data_type_families`); rows it lacks are left out, and
/// `None` (the server did not say) keeps them all. `odbc2`: the application asked for ODBC 2.
pub fn type_info_block(
    data_type: i16,
    string_size: usize,
    families: Option<&[String]>,
    odbc2: bool,
) -> Result<Block, Diagnostic> {
    let mut block = Block::default();
    for (name, type_name) in TYPE_INFO_COLUMNS {
        block
            .columns
            .push(Column::new(*name, *type_name).map_err(|error| Diagnostic::from(&error))?);
    }
    let wanted = odbc3_type(data_type);
    for row in TYPES
        .iter()
        .filter(|row| wanted == ALL_TYPES || row.data_type == wanted)
        .filter(|row| families.is_none_or(|families| families.iter().any(|family| family == row.name)))
    {
        block
            .push_row(&row.values(string_size, odbc2))
            .map_err(|error| Diagnostic::from(&error))?;
    }
    Ok(block)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::DataType;
    use crate::odbc::types::describe;

    /// A String size unlike any fixed one, to show where it goes.
    const SIZE: usize = 1234;

    /// The value `row` has in the result column `name`.
    fn cell(row: &TypeInfo, name: &str) -> Value<'static> {
        let index = TYPE_INFO_COLUMNS
            .iter()
            .position(|(column, _)| *column == name)
            .unwrap();
        row.values(SIZE, false)[index].clone()
    }

    fn column<'a>(block: &'a Block, name: &str) -> Vec<Value<'a>> {
        let column = block.column(name).unwrap_or_else(|| panic!("no column {name}"));
        (0..block.rows()).map(|row| column.value(row)).collect()
    }

    fn type_names(block: &Block) -> Vec<String> {
        column(block, "TYPE_NAME").iter().map(ToString::to_string).collect()
    }

    fn data_types(block: &Block) -> Vec<i64> {
        column(block, "DATA_TYPE")
            .iter()
            .map(|value| match value {
                Value::Int(code) => *code,
                other => panic!("DATA_TYPE {other:?}"),
            })
            .collect()
    }

    #[test]
    fn every_type_is_one_row_of_nineteen_columns() {
        let block = type_info_block(ALL_TYPES, SIZE, None, false).unwrap();
        let names: Vec<&str> = block.columns.iter().map(|column| column.name.as_str()).collect();
        assert_eq!(names.len(), 19);
        assert_eq!((names[0], names[18]), ("TYPE_NAME", "INTERVAL_PRECISION"));
        assert_eq!(block.rows(), TYPES.len());
        let mut unique = type_names(&block);
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), TYPES.len());
        for (index, row) in TYPES.iter().enumerate() {
            assert_eq!(cell(row, "NULLABLE"), Value::Int(1), "{}", row.name);
            assert_eq!(cell(row, "INTERVAL_PRECISION"), Value::Null, "{}", row.name);
            for (position, value) in row.values(SIZE, false).iter().enumerate() {
                assert_eq!(&block.columns[position].value(index), value, "{}", row.name);
            }
        }
    }

    #[test]
    fn rows_are_ordered_by_data_type_with_the_sql_name_first() {
        let block = type_info_block(ALL_TYPES, SIZE, None, false).unwrap();
        let codes = data_types(&block);
        assert!(codes.is_sorted(), "{codes:?}");
        let first_of = |code: i16| {
            let index = codes.iter().position(|&each| each == i64::from(code)).unwrap();
            type_names(&block)[index].clone()
        };
        assert_eq!(first_of(sql_type::TINYINT), "Int8");
        assert_eq!(first_of(sql_type::BIGINT), "Int64");
        assert_eq!(first_of(sql_type::DECIMAL), "Decimal");
        assert_eq!(first_of(sql_type::VARCHAR), "String");
        assert_eq!(first_of(sql_type::TYPE_DATE), "Date");
        assert_eq!(first_of(sql_type::TYPE_TIMESTAMP), "DateTime64");
    }

    #[test]
    fn only_the_types_the_server_has_are_listed() {
        let old_server: Vec<String> = ["DateTime", "String", "Int8"].map(String::from).into();
        let listed = type_info_block(ALL_TYPES, SIZE, Some(&old_server), false).unwrap();
        assert_eq!(type_names(&listed), ["Int8", "String", "DateTime"]);
    }

    #[test]
    fn filters_by_data_type_in_odbc_2_and_3_codes() {
        let timestamps = type_info_block(sql_type::TYPE_TIMESTAMP, SIZE, None, false).unwrap();
        assert_eq!(type_names(&timestamps), ["DateTime64", "DateTime"]);
        assert_eq!(type_info_block(ODBC2_TIMESTAMP, SIZE, None, false).unwrap(), timestamps);
        let dates = type_info_block(ODBC2_DATE, SIZE, None, false).unwrap();
        let odbc2 = type_info_block(ODBC2_TIMESTAMP, SIZE, None, true).unwrap();
        assert_eq!(data_types(&odbc2), [11, 11], "ODBC 2 codes for ODBC 2");
        assert_eq!(type_names(&dates), ["Date", "Date32"]);
        assert_eq!(data_types(&dates), [91, 91]);
        assert_eq!(
            type_names(&type_info_block(sql_type::BIT, SIZE, None, false).unwrap()),
            ["Bool"]
        );
        // SQL_TYPE_TIME in both forms, SQL_WVARCHAR, and a code ODBC does not define: no rows, no error.
        for code in [TYPE_TIME, ODBC2_TIME, -9, 1234] {
            let block = type_info_block(code, SIZE, None, false).unwrap();
            assert_eq!((block.rows(), block.columns.len()), (0, 19), "type {code}");
        }
    }

    #[test]
    fn datetime_rows_have_the_verbose_type_and_subcode() {
        for row in TYPES {
            let expected = match row.data_type {
                sql_type::TYPE_DATE => (Value::Int(9), Value::Int(1)),
                sql_type::TYPE_TIMESTAMP => (Value::Int(9), Value::Int(3)),
                other => (Value::Int(other.into()), Value::Null),
            };
            let actual = (cell(row, "SQL_DATA_TYPE"), cell(row, "SQL_DATETIME_SUB"));
            assert_eq!(actual, expected, "{}", row.name);
        }
    }

    /// `name` with each CREATE_PARAMS parameter at its largest (`widest`) or smallest value.
    fn declaration(row: &TypeInfo, widest: bool) -> String {
        let (minimum_scale, maximum_scale) = row.scale.unwrap_or((0, 0));
        let scale = if widest { maximum_scale } else { minimum_scale };
        match row.create_params {
            None => row.name.to_string(),
            Some("length") => format!(
                "{}({})",
                row.name,
                if widest { row.column_size.unwrap_or(1) } else { 1 }
            ),
            Some("precision,scale") => format!(
                "{}({}, {scale})",
                row.name,
                if widest { row.column_size.unwrap_or(1) } else { 1 }
            ),
            // DateTime64's precision is its number of fractional digits, i.e. its scale.
            Some("precision") => format!("{}({scale})", row.name),
            Some(other) => panic!("{}: unexpected CREATE_PARAMS {other}", row.name),
        }
    }

    #[test]
    fn rows_agree_with_how_columns_are_described() {
        for row in TYPES {
            let widest = declaration(row, true);
            let described = describe(&DataType::parse(&widest).unwrap(), SIZE);
            assert_eq!(described.sql_type, row.data_type, "{widest}");
            assert_eq!(
                Some(described.column_size as i32),
                row.column_size.or(Some(SIZE as i32)),
                "{widest}"
            );
            assert!(!described.nullable, "{widest}");
            if let Some(unsigned) = row.unsigned {
                assert_eq!(described.unsigned, unsigned, "{widest}");
            }
            if let Some((minimum, maximum)) = row.scale {
                assert_eq!(described.decimal_digits, maximum, "{widest}");
                let narrowest = declaration(row, false);
                assert_eq!(
                    describe(&DataType::parse(&narrowest).unwrap(), SIZE).decimal_digits,
                    minimum,
                    "{narrowest}"
                );
            }
            let nullable = format!("Nullable({widest})");
            assert!(
                describe(&DataType::parse(&nullable).unwrap(), SIZE).nullable,
                "{nullable}"
            );
        }
    }
}
