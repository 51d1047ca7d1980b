//! SQLGetTypeInfo: the ClickHouse types an application can use in DDL, described as ODBC types.

use super::diag::Diagnostic;
use crate::native::{Block, Column};

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

/// The result of SQLGetTypeInfo for `data_type` (SQL_ALL_TYPES = 0 for every type).
pub fn type_info_block(_data_type: i16) -> Result<Block, Diagnostic> {
    let mut block = Block::default();
    for (name, type_name) in TYPE_INFO_COLUMNS {
        block
            .columns
            .push(Column::new(*name, *type_name).map_err(|error| Diagnostic::from(&error))?);
    }
    Ok(block)
}
