//! The C types an application can ask for: their codes, their sizes, and the one SQL_C_DEFAULT
//! stands for.

use super::numeric::NUMERIC_STRUCT_SIZE;
use crate::odbc::types::{SqlDescription, UNKNOWN_PARAMETER, sql_type};

pub mod c_type {
    pub const CHAR: i16 = 1;
    pub const WCHAR: i16 = -8;
    pub const BINARY: i16 = -2;
    pub const DEFAULT: i16 = 99;
    pub const LONG: i16 = 4;
    pub const SLONG: i16 = -16;
    pub const ULONG: i16 = -18;
    pub const SHORT: i16 = 5;
    pub const SSHORT: i16 = -15;
    pub const USHORT: i16 = -17;
    pub const TINYINT: i16 = -6;
    pub const STINYINT: i16 = -26;
    pub const UTINYINT: i16 = -28;
    pub const SBIGINT: i16 = -25;
    pub const UBIGINT: i16 = -27;
    pub const FLOAT: i16 = 7;
    pub const DOUBLE: i16 = 8;
    pub const BIT: i16 = -7;
    pub const NUMERIC: i16 = 2;
    pub const TYPE_DATE: i16 = 91;
    pub const TYPE_TIME: i16 = 92;
    pub const TYPE_TIMESTAMP: i16 = 93;
    /// ODBC 2's codes for the date, time and timestamp types.
    pub const DATE: i16 = 9;
    pub const TIME: i16 = 10;
    pub const TIMESTAMP: i16 = 11;
    pub const GUID: i16 = -11;
    /// SQLGetData's "the type the ARD's record has".
    pub const ARD_TYPE: i16 = -99;
}

/// SQL types a parameter can be declared with that no result column is described with.
mod declared_sql_type {
    pub const FLOAT: i16 = 6;
    pub const TYPE_TIME: i16 = 92;
    pub const WCHAR: i16 = -8;
    pub const WVARCHAR: i16 = -9;
    pub const WLONGVARCHAR: i16 = -10;
    pub const BINARY: i16 = -2;
    pub const VARBINARY: i16 = -3;
    pub const LONGVARBINARY: i16 = -4;
}

/// The ODBC 3 code of a date, time or timestamp type given by its ODBC 2 code (9, 10 and 11, for C
/// and SQL types alike); any other code as it is.
pub fn odbc3_datetime_code(code: i16) -> i16 {
    match code {
        c_type::DATE | c_type::TIME | c_type::TIMESTAMP => code + 82,
        other => other,
    }
}

/// The C type SQL_C_DEFAULT stands for with a column of this description.
pub fn default_c_type(description: &SqlDescription) -> i16 {
    match (description.sql_type, description.unsigned) {
        (sql_type::BIGINT, false) => c_type::SBIGINT,
        (sql_type::BIGINT, true) => c_type::UBIGINT,
        (sql_type::INTEGER, false) => c_type::SLONG,
        (sql_type::INTEGER, true) => c_type::ULONG,
        (sql_type::SMALLINT, false) => c_type::SSHORT,
        (sql_type::SMALLINT, true) => c_type::USHORT,
        (sql_type::TINYINT, false) => c_type::STINYINT,
        (sql_type::TINYINT, true) => c_type::UTINYINT,
        (sql_type::REAL, _) => c_type::FLOAT,
        (sql_type::DOUBLE, _) => c_type::DOUBLE,
        (sql_type::BIT, _) => c_type::BIT,
        (sql_type::TYPE_DATE, _) => c_type::TYPE_DATE,
        (sql_type::TYPE_TIMESTAMP, _) => c_type::TYPE_TIMESTAMP,
        (sql_type::GUID, _) => c_type::GUID,
        _ => c_type::CHAR,
    }
}

/// The C type SQL_C_DEFAULT stands for with a parameter declared as `sql_type` (the IPD's type):
/// ODBC's default C type of that SQL type, signed for integers.
pub fn default_parameter_c_type(sql_type: i16) -> i16 {
    match odbc3_datetime_code(sql_type) {
        declared_sql_type::WCHAR | declared_sql_type::WVARCHAR | declared_sql_type::WLONGVARCHAR => c_type::WCHAR,
        declared_sql_type::BINARY | declared_sql_type::VARBINARY | declared_sql_type::LONGVARBINARY => c_type::BINARY,
        declared_sql_type::FLOAT => c_type::DOUBLE,
        declared_sql_type::TYPE_TIME => c_type::TYPE_TIME,
        other => default_c_type(&SqlDescription {
            sql_type: other,
            ..UNKNOWN_PARAMETER
        }),
    }
}

/// Bytes of a fixed-size C type; 0 for text and binary.
pub fn fixed_size(c_type: i16) -> usize {
    match odbc3_datetime_code(c_type) {
        c_type::TINYINT | c_type::STINYINT | c_type::UTINYINT | c_type::BIT => 1,
        c_type::SHORT | c_type::SSHORT | c_type::USHORT => 2,
        c_type::LONG | c_type::SLONG | c_type::ULONG | c_type::FLOAT => 4,
        c_type::SBIGINT | c_type::UBIGINT | c_type::DOUBLE => 8,
        c_type::TYPE_DATE | c_type::TYPE_TIME => 6,
        c_type::TYPE_TIMESTAMP | c_type::GUID => 16,
        c_type::NUMERIC => NUMERIC_STRUCT_SIZE,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_default_to_the_c_type_of_their_sql_type() {
        assert_eq!(default_parameter_c_type(sql_type::INTEGER), c_type::SLONG);
        assert_eq!(default_parameter_c_type(declared_sql_type::WVARCHAR), c_type::WCHAR);
        assert_eq!(default_parameter_c_type(declared_sql_type::FLOAT), c_type::DOUBLE);
        assert_eq!(default_parameter_c_type(10), c_type::TYPE_TIME, "ODBC 2's SQL_TIME");
        assert_eq!(default_parameter_c_type(sql_type::DECIMAL), c_type::CHAR);
    }
}
