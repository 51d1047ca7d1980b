//! How ClickHouse types are described to ODBC applications (SQLDescribeCol, SQLColAttribute).
//!
//! The rule: integers up to 64 bits keep their width and report SQL_DESC_UNSIGNED for UInt types
//! (UInt64 is an unsigned SQL_BIGINT, read with SQL_C_UBIGINT), except that UInt32 is widened to
//! an unsigned SQL_BIGINT so that no value looks negative to an application reading SQL_INTEGER
//! as signed; 128- and 256-bit integers are DECIMAL(39 or 77/78, 0) because no SQL integer holds
//! them; DateTime64(p) is a TIMESTAMP with p fractional digits; String is VARCHAR with a nominal
//! size, 256 unless the `StringMaxLength` key says otherwise (ClickHouse strings have no length
//! limit, and applications that bind columns size their buffers from it: a longer value then
//! arrives cut, with 01004 and its full length, as psqlODBC does with its 8190 for text; as a parameter's
//! size it is 0, unknown); types without an SQL equivalent (Array, Map, Tuple, Enum, IPv4/6, ...)
//! are VARCHAR holding ClickHouse's text. Nullable(T) and LowCardinality(Nullable(T)) are
//! nullable.

use crate::native::DataType;

pub mod sql_type {
    pub const CHAR: i16 = 1;
    pub const DECIMAL: i16 = 3;
    pub const INTEGER: i16 = 4;
    pub const SMALLINT: i16 = 5;
    pub const REAL: i16 = 7;
    pub const DOUBLE: i16 = 8;
    pub const VARCHAR: i16 = 12;
    pub const BIGINT: i16 = -5;
    pub const TINYINT: i16 = -6;
    pub const BIT: i16 = -7;
    pub const GUID: i16 = -11;
    pub const TYPE_DATE: i16 = 91;
    pub const TYPE_TIMESTAMP: i16 = 93;
}

/// What an application is told about one result column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SqlDescription {
    pub sql_type: i16,
    /// Characters for text, digits for numbers, as SQLDescribeCol's ColumnSize.
    pub column_size: usize,
    pub decimal_digits: i16,
    pub nullable: bool,
    pub unsigned: bool,
    /// Characters needed to show any value (SQL_DESC_DISPLAY_SIZE).
    pub display_size: usize,
}

/// How a parameter written into a column of `data_type` is described (SQLDescribeParam): as the
/// column, String's size unknown, and a DECIMAL's size counting its sign and point, since
/// applications that send a number as text size their buffer from it (pyodbc's fast_executemany cut
/// `-2^127`, 40 characters, to the 39 digits of an Int128).
pub fn describe_parameter(data_type: &DataType) -> SqlDescription {
    let mut description = describe(data_type, 0);
    if description.sql_type == sql_type::DECIMAL {
        description.column_size = description.display_size;
    }
    description
}

/// How a column of `data_type` is described; `string_size` is the nominal size of String and the
/// other unbounded types (the `StringMaxLength` key), 0 where it is unknown (parameters).
impl SqlDescription {
    /// Character data (CHAR, VARCHAR).
    pub fn is_text(&self) -> bool {
        matches!(self.sql_type, sql_type::VARCHAR | sql_type::CHAR)
    }

    /// A number with a precision (integers, DECIMAL, floats; not BIT).
    pub fn is_numeric(&self) -> bool {
        matches!(
            self.sql_type,
            sql_type::TINYINT
                | sql_type::SMALLINT
                | sql_type::INTEGER
                | sql_type::BIGINT
                | sql_type::DECIMAL
                | sql_type::REAL
                | sql_type::DOUBLE
        )
    }
}

pub fn describe(data_type: &DataType, string_size: usize) -> SqlDescription {
    let nullable = data_type.is_nullable();
    let base = match data_type.strip_low_cardinality() {
        DataType::Nullable(inner) => inner.strip_low_cardinality(),
        other => other,
    };
    let (sql_type, column_size, decimal_digits, unsigned, display_size) = match base {
        DataType::Int8 => (sql_type::TINYINT, 3, 0, false, 4),
        DataType::UInt8 => (sql_type::TINYINT, 3, 0, true, 3),
        DataType::Int16 => (sql_type::SMALLINT, 5, 0, false, 6),
        DataType::UInt16 => (sql_type::SMALLINT, 5, 0, true, 5),
        DataType::Int32 => (sql_type::INTEGER, 10, 0, false, 11),
        // Widened, as the official ClickHouse driver does, so that applications that read INTEGER
        // as a signed 32-bit value (pyodbc does) still get every value right.
        DataType::UInt32 => (sql_type::BIGINT, 10, 0, true, 10),
        DataType::Int64 => (sql_type::BIGINT, 19, 0, false, 20),
        DataType::UInt64 => (sql_type::BIGINT, 20, 0, true, 20),
        DataType::Int128 => (sql_type::DECIMAL, 39, 0, false, 40),
        DataType::UInt128 => (sql_type::DECIMAL, 39, 0, true, 39),
        DataType::Int256 => (sql_type::DECIMAL, 77, 0, false, 78),
        DataType::UInt256 => (sql_type::DECIMAL, 78, 0, true, 78),
        DataType::Float32 => (sql_type::REAL, 7, 0, false, 14),
        DataType::Float64 => (sql_type::DOUBLE, 15, 0, false, 24),
        DataType::Bool => (sql_type::BIT, 1, 0, true, 1),
        DataType::Decimal { precision, scale } => {
            let precision = usize::from(*precision);
            (sql_type::DECIMAL, precision, i16::from(*scale), false, precision + 2)
        }
        DataType::FixedString(length) => (sql_type::CHAR, *length, 0, false, *length),
        DataType::Date | DataType::Date32 => (sql_type::TYPE_DATE, 10, 0, false, 10),
        DataType::DateTime { .. } => (sql_type::TYPE_TIMESTAMP, 19, 0, false, 19),
        DataType::DateTime64 { precision, .. } => {
            let digits = usize::from(*precision);
            let size = if digits == 0 { 19 } else { 20 + digits };
            (sql_type::TYPE_TIMESTAMP, size, i16::from(*precision), false, size)
        }
        DataType::Uuid => (sql_type::GUID, 36, 0, false, 36),
        DataType::IPv4 => (sql_type::VARCHAR, 15, 0, false, 15),
        DataType::IPv6 => (sql_type::VARCHAR, 39, 0, false, 39),
        DataType::Enum8(names) | DataType::Enum16(names) => {
            let longest = names.iter().map(|(name, _)| name.chars().count()).max().unwrap_or(0);
            (sql_type::VARCHAR, longest.max(1), 0, false, longest.max(1))
        }
        _ => (sql_type::VARCHAR, string_size, 0, false, string_size),
    };
    SqlDescription {
        sql_type,
        column_size,
        decimal_digits,
        nullable,
        unsigned,
        display_size,
    }
}

/// A parameter whose target is unknown: a nullable text of unknown size.
pub(crate) const UNKNOWN_PARAMETER: SqlDescription = SqlDescription {
    sql_type: sql_type::VARCHAR,
    column_size: 0,
    decimal_digits: 0,
    nullable: true,
    unsigned: false,
    display_size: 0,
};

#[cfg(test)]
mod tests {
    use super::*;

    fn described(name: &str) -> SqlDescription {
        describe(&DataType::parse(name).unwrap(), 100)
    }

    #[test]
    fn decimal_parameters_leave_room_for_sign_and_point() {
        let parameter = |name: &str| describe_parameter(&DataType::parse(name).unwrap()).column_size;
        assert_eq!(parameter("Int128"), 40);
        assert_eq!(parameter("Nullable(Int256)"), 78);
        assert_eq!(parameter("UInt256"), 78);
        assert_eq!(parameter("Decimal(18, 4)"), 20);
        assert_eq!(parameter("String"), 0);
    }

    #[test]
    fn follows_the_documented_rule() {
        assert_eq!(described("UInt64").sql_type, sql_type::BIGINT);
        assert!(described("UInt64").unsigned);
        assert_eq!(described("Int256").sql_type, sql_type::DECIMAL);
        let timestamp = described("DateTime64(3, 'UTC')");
        assert_eq!(
            (timestamp.sql_type, timestamp.column_size, timestamp.decimal_digits),
            (93, 23, 3)
        );
        assert!(described("LowCardinality(Nullable(String))").nullable);
        assert!(!described("LowCardinality(String)").nullable);
        assert_eq!(described("Nullable(Decimal(18, 4))").decimal_digits, 4);
        assert_eq!(described("Array(UInt8)").sql_type, sql_type::VARCHAR);
        assert_eq!(described("String").column_size, 100);
        assert_eq!(described("Enum8('abc' = 1, 'de' = 2)").column_size, 3);
    }
}
