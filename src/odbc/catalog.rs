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
use crate::native::sql::quote_string;
use crate::native::{Block, Column, DataType, Value};

/// A catalog function's name argument.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// Left out (NULL): matches everything.
    Any,
    /// A search pattern: `%` any characters, `_` one character, `\` takes the next literally.
    Pattern(String),
    /// An identifier, compared exactly (SQL_ATTR_METADATA_ID, or an argument that is no pattern).
    Exact(String),
}

impl Filter {
    /// A pattern-value argument: a pattern unless SQL_ATTR_METADATA_ID says identifiers.
    pub fn pattern(text: Option<String>, metadata_id: bool) -> Filter {
        match text {
            None => Filter::Any,
            Some(text) if metadata_id => Filter::Exact(text),
            Some(text) => Filter::Pattern(text),
        }
    }

    /// An ordinary argument: an identifier.
    pub fn exact(text: Option<String>) -> Filter {
        text.map_or(Filter::Any, Filter::Exact)
    }

    pub fn matches(&self, text: &str) -> bool {
        match self {
            Filter::Any => true,
            Filter::Exact(wanted) => wanted == text,
            Filter::Pattern(pattern) => like(pattern.as_bytes(), text.as_bytes()),
        }
    }

    /// Whether it stands for every value (left out, or the pattern `%`).
    fn is_all(&self) -> bool {
        match self {
            Filter::Any => true,
            Filter::Pattern(pattern) => pattern == "%",
            Filter::Exact(_) => false,
        }
    }

    fn is_empty(&self) -> bool {
        matches!(self, Filter::Pattern(text) | Filter::Exact(text) if text.is_empty())
    }
}

/// SQL LIKE over UTF-8 bytes with `\` escapes; `_` is one character, as for the server.
fn like(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'%', rest)) => (0..=text.len()).any(|skip| like(rest, &text[skip..])),
        Some((b'_', rest)) => !text.is_empty() && like(rest, &text[character_width(text)..]),
        Some((b'\\', rest)) if !rest.is_empty() => text.first() == Some(&rest[0]) && like(&rest[1..], &text[1..]),
        Some((byte, rest)) => text.first() == Some(byte) && like(rest, &text[1..]),
    }
}

/// The bytes of the UTF-8 character `text` starts with: its first and the continuation bytes after it.
fn character_width(text: &[u8]) -> usize {
    1 + text.iter().skip(1).take_while(|&&byte| byte & 0xC0 == 0x80).count()
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

const COLUMNS: &[(&str, &str)] = &[
    ("TABLE_CAT", "Nullable(String)"),
    ("TABLE_SCHEM", "Nullable(String)"),
    ("TABLE_NAME", "String"),
    ("COLUMN_NAME", "String"),
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
    ("IS_IN_PARTITION_KEY", "Int16"),
    ("IS_IN_SORTING_KEY", "Int16"),
    ("IS_IN_PRIMARY_KEY", "Int16"),
    ("IS_IN_SAMPLING_KEY", "Int16"),
    ("DEFAULT_KIND", "Nullable(String)"),
];

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
    pub const PROCEDURE_COLUMNS: &[(&str, &str)] = &[
        ("PROCEDURE_CAT", "Nullable(String)"),
        ("PROCEDURE_SCHEM", "Nullable(String)"),
        ("PROCEDURE_NAME", "String"),
        ("COLUMN_NAME", "String"),
        ("COLUMN_TYPE", "Int16"),
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
    ];
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

/// A table as `system.tables` lists it; a column the server lacks reads as empty.
struct Table {
    database: String,
    name: String,
    engine: String,
    engine_full: String,
    comment: String,
    partition_key: String,
    sorting_key: String,
    primary_key: String,
    sampling_key: String,
    /// None where `system.tables` has no such column (ByteHouse): ENGINE_FULL then tells.
    unique_key: Option<String>,
}

/// The `system.tables` columns read, in `Table`'s order.
const TABLE_FIELDS: [&str; 10] = [
    "database",
    "name",
    "engine",
    "engine_full",
    "comment",
    "partition_key",
    "sorting_key",
    "primary_key",
    "sampling_key",
    "unique_key",
];

/// The tables in databases `catalog` whose names match `table`.
fn tables(session: &mut Session, catalog: &Filter, table: &Filter) -> Result<Vec<Table>, Diagnostic> {
    let present = session.system_tables_columns()?;
    let has = |field: &str| present.iter().any(|column| column == field);
    let selected: Vec<String> = TABLE_FIELDS
        .iter()
        .map(|&field| {
            if has(field) {
                field.to_string()
            } else {
                format!("'' AS {field}")
            }
        })
        .collect();
    let has_unique_key = has("unique_key");
    let sql = format!(
        "SELECT {} FROM system.tables{} ORDER BY database, name",
        selected.join(", "),
        where_clause(&[("database", catalog), ("name", table)])
    );
    let rows = session.rows_of(&sql)?;
    Ok(rows
        .into_iter()
        .filter_map(|row| <[String; TABLE_FIELDS.len()]>::try_from(row).ok())
        .filter(|[database, name, ..]| catalog.matches(database) && table.matches(name))
        .map(
            |[
                database,
                name,
                engine,
                engine_full,
                comment,
                partition_key,
                sorting_key,
                primary_key,
                sampling_key,
                unique_key,
            ]| Table {
                database,
                name,
                engine,
                engine_full,
                comment,
                partition_key,
                sorting_key,
                primary_key,
                sampling_key,
                unique_key: has_unique_key.then_some(unique_key),
            },
        )
        .collect())
}

fn table_type(table: &Table) -> &'static str {
    if table.engine.ends_with("View") {
        "VIEW"
    } else if table.database == "system" {
        "SYSTEM TABLE"
    } else {
        "TABLE"
    }
}

/// ` WHERE ...` narrowing a system table to what the filters can match, so that the server sends
/// only that (a cloud account may have many databases); ClickHouse's LIKE reads ODBC's patterns
/// as they are. The rows are still matched here too.
fn where_clause(filters: &[(&str, &Filter)]) -> String {
    let conditions: Vec<String> = filters
        .iter()
        .filter_map(|(column, filter)| match filter {
            Filter::Any => None,
            Filter::Exact(name) => Some(format!("{column} = {}", quote_string(name))),
            Filter::Pattern(pattern) => Some(format!("{column} LIKE {}", quote_string(pattern))),
        })
        .collect();
    if conditions.is_empty() {
        String::new()
    } else {
        format!(" WHERE {}", conditions.join(" AND "))
    }
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
        for kind in ["SYSTEM TABLE", "TABLE", "VIEW"] {
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
    // Every column of the tables, even with a column filter: positions count them all.
    let sql = format!(
        "SELECT database, table, name, type, default_expression, comment, default_kind, is_in_partition_key, \
         is_in_sorting_key, is_in_primary_key, is_in_sampling_key FROM system.columns{}",
        where_clause(&[("database", catalog), ("table", table)])
    );
    let rows = session.rows_of(&sql)?;
    let mut ordered: Vec<(usize, &Vec<String>)> = Vec::new();
    let mut position = 0;
    for (index, row) in rows.iter().enumerate() {
        // system.columns lists a table's columns together, in order.
        let same_table = index > 0 && rows[index - 1][..2] == row[..2];
        position = if same_table { position + 1 } else { 1 };
        if catalog.matches(&row[0]) && table.matches(&row[1]) && column.matches(&row[2]) {
            ordered.push((position, row));
        }
    }
    ordered.sort_by(|(left_position, left), (right_position, right)| {
        (&left[0], &left[1], left_position).cmp(&(&right[0], &right[1], right_position))
    });
    for (position, row) in ordered {
        let data_type = DataType::parse(&row[3]).unwrap_or(DataType::String);
        let description = describe(&data_type, session.string_size);
        push_column(&mut result, row, &row[3], &description, position)?;
    }
    Ok(result.block)
}

/// One row of SQLColumns.
fn push_column(
    result: &mut Listing,
    row: &[String],
    type_name: &str,
    description: &SqlDescription,
    position: usize,
) -> Result<(), Diagnostic> {
    let size = |value: usize| Value::Int(i64::try_from(value.min(i32::MAX as usize)).unwrap_or(0));
    let flag = |cell: &String| small(i16::from(cell == "1"));
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
        text(&row[0]),
        Value::Null,
        text(&row[1]),
        text(&row[2]),
        small(description.sql_type),
        text(type_name),
        size(description.column_size),
        size(buffer_length),
        digits,
        if is_numeric { small(10) } else { Value::Null },
        small(i16::from(description.nullable)),
        optional_text(&row[5]),
        optional_text(&row[4]),
        small(verbose),
        subcode,
        if is_text {
            size(description.column_size)
        } else {
            Value::Null
        },
        Value::Int(position as i64),
        text(if description.nullable { "YES" } else { "NO" }),
        flag(&row[7]),
        flag(&row[8]),
        flag(&row[9]),
        flag(&row[10]),
        optional_text(&row[6]),
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

    #[test]
    fn patterns_match_like_sql() {
        let pattern = |text: &str| Filter::Pattern(text.into());
        assert!(pattern("t%").matches("table"));
        assert!(pattern("t_ble").matches("table"));
        assert!(!pattern("t_ble").matches("tble"));
        assert!(pattern("my\\_t").matches("my_t"));
        assert!(!pattern("my\\_t").matches("myxt"));
        assert!(pattern("%").matches(""));
        assert!(Filter::Exact("my_t".into()).matches("my_t"));
        assert!(!Filter::Exact("my_t".into()).matches("myxt"));
        assert!(Filter::pattern(Some("a%".into()), true) == Filter::Exact("a%".into()));
        assert!(pattern("db._'x").matches("db.ü'x"), "`_` is one character");
        assert!(pattern("_").matches("名") && !pattern("__").matches("名"));
        assert!(pattern("\\\\_").matches("\\é") && !pattern("\\\\_").matches("\\"));
    }

    #[test]
    fn filters_narrow_the_system_tables() {
        let pattern = Filter::Pattern("my\\_t%".into());
        let exact = Filter::Exact("it's".into());
        assert_eq!(
            where_clause(&[("database", &exact), ("name", &pattern), ("x", &Filter::Any)]),
            " WHERE database = 'it\\'s' AND name LIKE 'my\\\\_t%'"
        );
        assert_eq!(where_clause(&[("name", &Filter::Any)]), "");
    }
}
