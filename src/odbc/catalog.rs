//! Catalog functions: SQLTables, SQLColumns, SQLPrimaryKeys, SQLStatistics and the ones ClickHouse
//! has nothing for (SQLSpecialColumns, SQLForeignKeys, SQLProcedures, SQLProcedureColumns,
//! SQLTablePrivileges, SQLColumnPrivileges), each a result with ODBC's columns.
//!
//! A database is a catalog; ClickHouse has no schemas, so TABLE_SCHEM is NULL and a schema
//! argument other than empty or `%` matches nothing. The server's `system.tables` and
//! `system.columns` are read and the ODBC columns computed here, so column types are described
//! exactly as result columns are (`describe`). Search patterns (`%`, `_`, `\` escapes) are matched
//! here too, and are taken literally with SQL_ATTR_METADATA_ID. A catalog argument left out
//! (NULL) means every database for SQLTables, and the current database for the functions about
//! one table (SQLColumns, SQLPrimaryKeys, SQLStatistics), as an application reflecting `t` means
//! the `t` it would query. TABLE_TYPE is VIEW for views, SYSTEM TABLE in the `system` database and
//! TABLE otherwise; REMARKS is the table's comment (NULL without one, and always on servers whose
//! `system.tables` has no `comment`, such as 18.16).
//!
//! ClickHouse's tables have engines and keys where ODBC has indexes, so SQLTables adds, after
//! ODBC's five columns and all NULL when empty or unknown:
//! - ENGINE, Nullable(String): `MergeTree`, `CnchMergeTree`, `View`, ...;
//! - ENGINE_FULL, Nullable(String): the engine with its arguments and clauses (`system.tables`);
//! - PARTITION_KEY, SORTING_KEY, PRIMARY_KEY, SAMPLING_KEY, Nullable(String): the key expressions;
//! - UNIQUE_KEY, Nullable(String): ByteHouse's UNIQUE KEY;
//! - CLUSTER_BY, Nullable(String): the expression of ByteHouse's CLUSTER BY, without its `INTO n
//!   BUCKETS` and options;
//! - BUCKETS, Nullable(Int32): the `n` of `INTO n BUCKETS`;
//! - TTL, Nullable(String): the table's TTL rules as written after the TTL keyword, without it
//!   (`d + toIntervalDay(1)`, several separated by commas, with their `WHERE`, `GROUP BY`, `TO
//!   DISK`, ...); columns' own TTLs are not in it. 18.16 has no table TTL, so always NULL there;
//! - SETTINGS, Nullable(String): the text after SETTINGS (`index_granularity = 8192`), without it.
//!
//! `system.tables` differs between servers, so its columns are asked once per connection and only
//! those it has are read; a unique key, CLUSTER BY and buckets with no column of their own, the TTL
//! and the settings are read from ENGINE_FULL (`engine_clause`). The special forms have NULL in the
//! added columns.
//!
//! SQLColumns adds, after ODBC's eighteen columns and from `system.columns`: IS_IN_PARTITION_KEY,
//! IS_IN_SORTING_KEY, IS_IN_PRIMARY_KEY, IS_IN_SAMPLING_KEY (Int16, 1 when the column is used in that
//! key's expression, else 0) and DEFAULT_KIND (Nullable(String): `DEFAULT`, `MATERIALIZED`, `ALIAS`,
//! `EPHEMERAL`, ..., NULL for a plain column); COLUMN_DEF is the default expression.
//!
//! SQLPrimaryKeys lists the primary key's items that are one column, and SQLStatistics the sorting
//! key's as a non-unique index; names are read as the server prints them, quoted or not, so names
//! with any characters come through.

use super::convert::{default_c_type, fixed_size};
use super::diag::Diagnostic;
use super::engine_clause::{Clause, EngineClauses, key_columns};
use super::handles::{Session, Stmt};
use super::statement::{Cursor, StatementState};
use super::types::{SqlDescription, describe, sql_type};
pub use crate::catalog::Filter;
use crate::catalog::{Source, Table, TableColumn, columns, table_type, tables};
use crate::native::{Block, Column, DataType, Value};

/// The ODBC connection reads the catalog through its session.
impl Source for Session {
    type Error = Diagnostic;

    fn rows_of(&mut self, sql: &str) -> Result<Vec<Vec<String>>, Diagnostic> {
        Session::rows_of(self, sql)
    }

    fn system_tables_columns(&mut self) -> Result<Vec<String>, Diagnostic> {
        Session::system_tables_columns(self).map(<[String]>::to_vec)
    }
}

/// A result being built: ODBC's column names and the ClickHouse types that carry them.
struct Listing {
    block: Block,
}

impl Listing {
    fn new(columns: &[(&str, &str)]) -> Result<Listing, Diagnostic> {
        let mut block = Block::default();
        for (name, type_name) in columns {
            block
                .columns
                .push(Column::new(*name, *type_name).map_err(|error| Diagnostic::from(&error))?);
        }
        Ok(Listing { block })
    }

    fn push(&mut self, row: &[Value<'_>]) -> Result<(), Diagnostic> {
        self.block.push_row(row).map_err(|error| Diagnostic::from(&error))
    }
}

fn text(value: &str) -> Value<'_> {
    Value::Bytes(value.as_bytes())
}

fn small(value: i16) -> Value<'static> {
    Value::Int(value.into())
}

fn optional_text(value: &str) -> Value<'_> {
    if value.is_empty() { Value::Null } else { text(value) }
}

const TABLES: &[(&str, &str)] = &[
    ("TABLE_CAT", "Nullable(String)"),
    ("TABLE_SCHEM", "Nullable(String)"),
    ("TABLE_NAME", "Nullable(String)"),
    ("TABLE_TYPE", "Nullable(String)"),
    ("REMARKS", "Nullable(String)"),
    ("ENGINE", "Nullable(String)"),
    ("ENGINE_FULL", "Nullable(String)"),
    ("PARTITION_KEY", "Nullable(String)"),
    ("SORTING_KEY", "Nullable(String)"),
    ("PRIMARY_KEY", "Nullable(String)"),
    ("SAMPLING_KEY", "Nullable(String)"),
    ("UNIQUE_KEY", "Nullable(String)"),
    ("CLUSTER_BY", "Nullable(String)"),
    ("BUCKETS", "Nullable(Int32)"),
    ("TTL", "Nullable(String)"),
    ("SETTINGS", "Nullable(String)"),
];

/// The result columns of SQLColumns or SQLProcedureColumns: `$before`, then DATA_TYPE to
/// IS_NULLABLE, which both describe a column's type with, then `$after`.
macro_rules! with_type_description {
    ([$($before:expr),* $(,)?], [$($after:expr),* $(,)?]) => {
        &[
            $($before,)*
            ("DATA_TYPE", "Int16"),
            ("TYPE_NAME", "String"),
            ("COLUMN_SIZE", "Nullable(Int32)"),
            ("BUFFER_LENGTH", "Nullable(Int32)"),
            ("DECIMAL_DIGITS", "Nullable(Int16)"),
            ("NUM_PREC_RADIX", "Nullable(Int16)"),
            ("NULLABLE", "Int16"),
            ("REMARKS", "Nullable(String)"),
            ("COLUMN_DEF", "Nullable(String)"),
            ("SQL_DATA_TYPE", "Int16"),
            ("SQL_DATETIME_SUB", "Nullable(Int16)"),
            ("CHAR_OCTET_LENGTH", "Nullable(Int32)"),
            ("ORDINAL_POSITION", "Int32"),
            ("IS_NULLABLE", "Nullable(String)"),
            $($after,)*
        ]
    };
}

const COLUMNS: &[(&str, &str)] = with_type_description!(
    [
        ("TABLE_CAT", "Nullable(String)"),
        ("TABLE_SCHEM", "Nullable(String)"),
        ("TABLE_NAME", "String"),
        ("COLUMN_NAME", "String"),
    ],
    [
        ("IS_IN_PARTITION_KEY", "Int16"),
        ("IS_IN_SORTING_KEY", "Int16"),
        ("IS_IN_PRIMARY_KEY", "Int16"),
        ("IS_IN_SAMPLING_KEY", "Int16"),
        ("DEFAULT_KIND", "Nullable(String)"),
    ]
);

const PRIMARY_KEYS: &[(&str, &str)] = &[
    ("TABLE_CAT", "Nullable(String)"),
    ("TABLE_SCHEM", "Nullable(String)"),
    ("TABLE_NAME", "String"),
    ("COLUMN_NAME", "String"),
    ("KEY_SEQ", "Int16"),
    ("PK_NAME", "Nullable(String)"),
];

const STATISTICS: &[(&str, &str)] = &[
    ("TABLE_CAT", "Nullable(String)"),
    ("TABLE_SCHEM", "Nullable(String)"),
    ("TABLE_NAME", "String"),
    ("NON_UNIQUE", "Nullable(Int16)"),
    ("INDEX_QUALIFIER", "Nullable(String)"),
    ("INDEX_NAME", "Nullable(String)"),
    ("TYPE", "Int16"),
    ("ORDINAL_POSITION", "Nullable(Int16)"),
    ("COLUMN_NAME", "Nullable(String)"),
    ("ASC_OR_DESC", "Nullable(String)"),
    ("CARDINALITY", "Nullable(Int32)"),
    ("PAGES", "Nullable(Int32)"),
    ("FILTER_CONDITION", "Nullable(String)"),
];

/// The results of the catalog functions ClickHouse has nothing for: ODBC's columns, no rows.
pub mod empty {
    pub const SPECIAL_COLUMNS: &[(&str, &str)] = &[
        ("SCOPE", "Nullable(Int16)"),
        ("COLUMN_NAME", "String"),
        ("DATA_TYPE", "Int16"),
        ("TYPE_NAME", "String"),
        ("COLUMN_SIZE", "Nullable(Int32)"),
        ("BUFFER_LENGTH", "Nullable(Int32)"),
        ("DECIMAL_DIGITS", "Nullable(Int16)"),
        ("PSEUDO_COLUMN", "Nullable(Int16)"),
    ];
    pub const FOREIGN_KEYS: &[(&str, &str)] = &[
        ("PKTABLE_CAT", "Nullable(String)"),
        ("PKTABLE_SCHEM", "Nullable(String)"),
        ("PKTABLE_NAME", "String"),
        ("PKCOLUMN_NAME", "String"),
        ("FKTABLE_CAT", "Nullable(String)"),
        ("FKTABLE_SCHEM", "Nullable(String)"),
        ("FKTABLE_NAME", "String"),
        ("FKCOLUMN_NAME", "String"),
        ("KEY_SEQ", "Int16"),
        ("UPDATE_RULE", "Nullable(Int16)"),
        ("DELETE_RULE", "Nullable(Int16)"),
        ("FK_NAME", "Nullable(String)"),
        ("PK_NAME", "Nullable(String)"),
        ("DEFERRABILITY", "Nullable(Int16)"),
    ];
    pub const PROCEDURES: &[(&str, &str)] = &[
        ("PROCEDURE_CAT", "Nullable(String)"),
        ("PROCEDURE_SCHEM", "Nullable(String)"),
        ("PROCEDURE_NAME", "String"),
        ("NUM_INPUT_PARAMS", "Nullable(Int32)"),
        ("NUM_OUTPUT_PARAMS", "Nullable(Int32)"),
        ("NUM_RESULT_SETS", "Nullable(Int32)"),
        ("REMARKS", "Nullable(String)"),
        ("PROCEDURE_TYPE", "Nullable(Int16)"),
    ];
    pub const PROCEDURE_COLUMNS: &[(&str, &str)] = with_type_description!(
        [
            ("PROCEDURE_CAT", "Nullable(String)"),
            ("PROCEDURE_SCHEM", "Nullable(String)"),
            ("PROCEDURE_NAME", "String"),
            ("COLUMN_NAME", "String"),
            ("COLUMN_TYPE", "Int16"),
        ],
        []
    );
    pub const TABLE_PRIVILEGES: &[(&str, &str)] = &[
        ("TABLE_CAT", "Nullable(String)"),
        ("TABLE_SCHEM", "Nullable(String)"),
        ("TABLE_NAME", "String"),
        ("GRANTOR", "Nullable(String)"),
        ("GRANTEE", "String"),
        ("PRIVILEGE", "String"),
        ("IS_GRANTABLE", "Nullable(String)"),
    ];
    pub const COLUMN_PRIVILEGES: &[(&str, &str)] = &[
        ("TABLE_CAT", "Nullable(String)"),
        ("TABLE_SCHEM", "Nullable(String)"),
        ("TABLE_NAME", "String"),
        ("COLUMN_NAME", "String"),
        ("GRANTOR", "Nullable(String)"),
        ("GRANTEE", "String"),
        ("PRIVILEGE", "String"),
        ("IS_GRANTABLE", "Nullable(String)"),
    ];
}

/// What a catalog function was asked.
pub enum Request {
    Tables {
        catalog: Filter,
        schema: Filter,
        table: Filter,
        types: Option<String>,
    },
    Columns {
        catalog: Filter,
        schema: Filter,
        table: Filter,
        column: Filter,
    },
    PrimaryKeys {
        catalog: Filter,
        schema: Filter,
        table: Filter,
    },
    Statistics {
        catalog: Filter,
        schema: Filter,
        table: Filter,
        unique_only: bool,
    },
    /// A function ClickHouse has nothing for: its columns.
    Empty(&'static [(&'static str, &'static str)]),
}

impl Stmt {
    /// Runs a catalog function; its result becomes this statement's cursor.
    pub fn catalog(&self, state: &mut StatementState, request: Request) -> Result<(), Diagnostic> {
        self.close_cursor(state);
        state.row_count = -1;
        let dbc = self.dbc();
        let mut session = dbc.session.lock();
        let session: &mut Session = session
            .as_mut()
            .ok_or_else(|| Diagnostic::new("08003", "connection not open"))?;
        let block = build(session, request)?;
        state.cursor = Some(Cursor::new(block, true, session.string_size));
        Ok(())
    }
}

/// A left-out catalog: the current database.
fn current_database(session: &mut Session, catalog: Filter) -> Result<Filter, Diagnostic> {
    if catalog != Filter::Any {
        return Ok(catalog);
    }
    Ok(Filter::Exact(session.current_database()?))
}

fn build(session: &mut Session, request: Request) -> Result<Block, Diagnostic> {
    match request {
        Request::Tables {
            catalog,
            schema,
            table,
            types,
        } => tables_result(session, catalog, schema, table, types),
        Request::Columns {
            catalog,
            schema,
            table,
            column,
        } => {
            let catalog = current_database(session, catalog)?;
            columns_result(session, &catalog, &schema, &table, &column)
        }
        Request::PrimaryKeys { catalog, schema, table } => {
            let catalog = current_database(session, catalog)?;
            keys_result(session, &catalog, &schema, &table)
        }
        Request::Statistics {
            catalog,
            schema,
            table,
            unique_only,
        } => {
            let catalog = current_database(session, catalog)?;
            statistics_result(session, &catalog, &schema, &table, unique_only)
        }
        Request::Empty(columns) => Ok(Listing::new(columns)?.block),
    }
}

fn tables_result(
    session: &mut Session,
    catalog: Filter,
    schema: Filter,
    table: Filter,
    types: Option<String>,
) -> Result<Block, Diagnostic> {
    let mut result = Listing::new(TABLES)?;
    let types: Option<Vec<String>> = types.filter(|types| !types.trim().is_empty()).map(|types| {
        types
            .split(',')
            .map(|kind| kind.trim().trim_matches('\'').to_ascii_uppercase())
            .collect()
    });
    let all_types = types.as_deref().is_some_and(|types| types == ["%"]);
    // The special forms: every catalog, every schema, every table type.
    if catalog.is_all() && catalog != Filter::Any && schema.is_empty() && table.is_empty() {
        for row in session.rows_of("SELECT name FROM system.databases ORDER BY name")? {
            result.push(&special_row(text(&row[0]), Value::Null))?;
        }
        return Ok(result.block);
    }
    if schema.is_all() && schema != Filter::Any && catalog.is_empty() && table.is_empty() {
        return Ok(result.block);
    }
    if all_types && catalog.is_empty() && schema.is_empty() && table.is_empty() {
        for kind in crate::catalog::TABLE_TYPES {
            result.push(&special_row(Value::Null, text(kind)))?;
        }
        return Ok(result.block);
    }
    if !schema.is_all() && !schema.is_empty() {
        return Ok(result.block);
    }
    for found in tables(session, &catalog, &table)? {
        let kind = table_type(&found);
        if types
            .as_ref()
            .is_some_and(|types| !all_types && !types.iter().any(|wanted| wanted == kind))
        {
            continue;
        }
        result.push(&table_row(&found, kind))?;
    }
    Ok(result.block)
}

/// A row of SQLTables' special forms: a catalog or a table type, NULL elsewhere.
fn special_row<'a>(catalog: Value<'a>, kind: Value<'a>) -> Vec<Value<'a>> {
    let mut row = vec![Value::Null; TABLES.len()];
    (row[0], row[3]) = (catalog, kind);
    row
}

/// A table's row of SQLTables.
fn table_row<'a>(table: &'a Table, kind: &'static str) -> [Value<'a>; TABLES.len()] {
    let clauses = EngineClauses::parse(&table.engine_full);
    let unique_key = table.unique_key.as_deref().or_else(|| clauses.get(Clause::UniqueKey));
    let (cluster_by, buckets) = clauses.cluster_by().unwrap_or_default();
    [
        text(&table.database),
        Value::Null,
        text(&table.name),
        text(kind),
        optional_text(&table.comment),
        optional_text(&table.engine),
        optional_text(&table.engine_full),
        optional_text(&table.partition_key),
        optional_text(&table.sorting_key),
        optional_text(&table.primary_key),
        optional_text(&table.sampling_key),
        optional_text(unique_key.unwrap_or_default()),
        optional_text(cluster_by),
        buckets.map_or(Value::Null, |count| Value::Int(count.into())),
        optional_text(clauses.get(Clause::Ttl).unwrap_or_default()),
        optional_text(clauses.get(Clause::Settings).unwrap_or_default()),
    ]
}

fn columns_result(
    session: &mut Session,
    catalog: &Filter,
    schema: &Filter,
    table: &Filter,
    column: &Filter,
) -> Result<Block, Diagnostic> {
    let mut result = Listing::new(COLUMNS)?;
    if !schema.is_all() && !schema.is_empty() {
        return Ok(result.block);
    }
    for found in columns(session, catalog, table, column)? {
        let data_type = DataType::parse(&found.type_name).unwrap_or(DataType::String);
        let description = describe(&data_type, session.string_size);
        push_column(&mut result, &found, &description)?;
    }
    Ok(result.block)
}

/// One row of SQLColumns.
fn push_column(result: &mut Listing, column: &TableColumn, description: &SqlDescription) -> Result<(), Diagnostic> {
    let size = |value: usize| Value::Int(i64::try_from(value.min(i32::MAX as usize)).unwrap_or(0));
    let flag = |set: bool| small(i16::from(set));
    let (is_text, is_numeric) = (description.is_text(), description.is_numeric());
    let (verbose, subcode) = match description.sql_type {
        sql_type::TYPE_DATE => (9, small(1)),
        sql_type::TYPE_TIMESTAMP => (9, small(3)),
        other => (other, Value::Null),
    };
    let buffer_length = match fixed_size(default_c_type(description)) {
        0 => description.column_size,
        bytes => bytes,
    };
    let digits = if is_numeric || description.sql_type == sql_type::TYPE_TIMESTAMP {
        small(description.decimal_digits)
    } else {
        Value::Null
    };
    result.push(&[
        text(&column.database),
        Value::Null,
        text(&column.table),
        text(&column.name),
        small(description.sql_type),
        text(&column.type_name),
        size(description.column_size),
        size(buffer_length),
        digits,
        if is_numeric { small(10) } else { Value::Null },
        small(i16::from(description.nullable)),
        optional_text(&column.comment),
        optional_text(&column.default_expression),
        small(verbose),
        subcode,
        if is_text {
            size(description.column_size)
        } else {
            Value::Null
        },
        Value::Int(column.position as i64),
        text(if description.nullable { "YES" } else { "NO" }),
        flag(column.in_partition_key),
        flag(column.in_sorting_key),
        flag(column.in_primary_key),
        flag(column.in_sampling_key),
        optional_text(&column.default_kind),
    ])
}

fn keys_result(session: &mut Session, catalog: &Filter, schema: &Filter, table: &Filter) -> Result<Block, Diagnostic> {
    let mut result = Listing::new(PRIMARY_KEYS)?;
    if !schema.is_all() && !schema.is_empty() {
        return Ok(result.block);
    }
    for found in tables(session, catalog, table)? {
        for (sequence, column) in key_columns(&found.primary_key).iter().enumerate() {
            result.push(&[
                text(&found.database),
                Value::Null,
                text(&found.name),
                text(column),
                small(sequence as i16 + 1),
                Value::Null,
            ])?;
        }
    }
    Ok(result.block)
}

/// SQL_TABLE_STAT and SQL_INDEX_OTHER.
const TABLE_STAT: i16 = 0;
const INDEX_OTHER: i16 = 3;

fn statistics_result(
    session: &mut Session,
    catalog: &Filter,
    schema: &Filter,
    table: &Filter,
    unique_only: bool,
) -> Result<Block, Diagnostic> {
    let mut result = Listing::new(STATISTICS)?;
    if !schema.is_all() && !schema.is_empty() {
        return Ok(result.block);
    }
    for found in tables(session, catalog, table)? {
        let table_row = [
            text(&found.database),
            Value::Null,
            text(&found.name),
            Value::Null,
            Value::Null,
            Value::Null,
            small(TABLE_STAT),
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
            Value::Null,
        ];
        result.push(&table_row)?;
        // The sorting key orders the data like a (non-unique) index; there are no unique ones.
        if unique_only {
            continue;
        }
        for (position, column) in key_columns(&found.sorting_key).iter().enumerate() {
            result.push(&[
                text(&found.database),
                Value::Null,
                text(&found.name),
                small(1),
                Value::Null,
                text("sorting key"),
                small(INDEX_OTHER),
                small(position as i16 + 1),
                text(column),
                text("A"),
                Value::Null,
                Value::Null,
                Value::Null,
            ])?;
        }
    }
    Ok(result.block)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(columns: &'static [(&'static str, &'static str)]) -> Vec<&'static str> {
        columns.iter().map(|&(name, _)| name).collect()
    }

    #[test]
    fn columns_and_procedure_columns_have_odbcs_result_columns() {
        let type_description = [
            "DATA_TYPE",
            "TYPE_NAME",
            "COLUMN_SIZE",
            "BUFFER_LENGTH",
            "DECIMAL_DIGITS",
            "NUM_PREC_RADIX",
            "NULLABLE",
            "REMARKS",
            "COLUMN_DEF",
            "SQL_DATA_TYPE",
            "SQL_DATETIME_SUB",
            "CHAR_OCTET_LENGTH",
            "ORDINAL_POSITION",
            "IS_NULLABLE",
        ];
        let columns = names(COLUMNS);
        assert_eq!(columns[..4], ["TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME"]);
        assert_eq!(columns[4..18], type_description);
        assert_eq!(
            columns[18..],
            [
                "IS_IN_PARTITION_KEY",
                "IS_IN_SORTING_KEY",
                "IS_IN_PRIMARY_KEY",
                "IS_IN_SAMPLING_KEY",
                "DEFAULT_KIND"
            ]
        );
        let procedure_columns = names(empty::PROCEDURE_COLUMNS);
        assert_eq!(
            procedure_columns[..5],
            [
                "PROCEDURE_CAT",
                "PROCEDURE_SCHEM",
                "PROCEDURE_NAME",
                "COLUMN_NAME",
                "COLUMN_TYPE"
            ]
        );
        assert_eq!(procedure_columns[5..], type_description);
    }
}
