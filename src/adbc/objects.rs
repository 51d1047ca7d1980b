//! AdbcConnectionGetObjects: catalogs (databases), one unnamed schema in each (ClickHouse has none),
//! tables and columns, read through the same catalog code as ODBC's SQLTables and SQLColumns
//! ([`crate::catalog`]). Filters are LIKE patterns; the lists below the depth asked for are null.

use std::collections::BTreeMap;

use super::arrays::{booleans, field, list, numbers, structure, utf8};
use super::connection::{Connection, rows_of};
use super::error::Failure;
use crate::arrow::export::{ArrayNode, SchemaNode};
use crate::capi::Client;
use crate::catalog::{Filter, Source, TableColumn, columns, table_type, tables};
use crate::native::DataType;
use crate::odbc::types::{SqlDescription, describe};

pub use crate::catalog::TABLE_TYPES;

/// How deep GetObjects goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Depth {
    Catalogs,
    DbSchemas,
    Tables,
    /// Columns too (ADBC_OBJECT_DEPTH_ALL and ADBC_OBJECT_DEPTH_COLUMNS).
    All,
}

impl Depth {
    pub fn from_code(code: i32) -> Result<Depth, Failure> {
        match code {
            0 => Ok(Depth::All),
            1 => Ok(Depth::Catalogs),
            2 => Ok(Depth::DbSchemas),
            3 => Ok(Depth::Tables),
            other => Err(Failure::invalid_argument(format!(
                "GetObjects depth {other} is not one of 0-3"
            ))),
        }
    }
}

pub struct ObjectsRequest<'a> {
    pub depth: Depth,
    pub catalog: Option<&'a str>,
    pub db_schema: Option<&'a str>,
    pub table: Option<&'a str>,
    pub table_types: Option<Vec<String>>,
    pub column: Option<&'a str>,
}

/// The ADBC connection reads the catalog through its client.
struct ClientSource<'a>(&'a Client);

impl Source for ClientSource<'_> {
    type Error = Failure;

    fn rows_of(&mut self, sql: &str) -> Result<Vec<Vec<String>>, Failure> {
        rows_of(self.0, sql)
    }

    fn system_tables_columns(&mut self) -> Result<Vec<String>, Failure> {
        let rows = rows_of(
            self.0,
            "SELECT name FROM system.columns WHERE database = 'system' AND table = 'tables'",
        )?;
        Ok(rows.into_iter().flatten().collect())
    }
}

fn pattern(text: Option<&str>) -> Filter {
    text.map_or(Filter::Any, |text| Filter::Pattern(text.to_string()))
}

/// A table found, with its columns when asked for.
struct FoundTable {
    name: String,
    kind: &'static str,
    columns: Vec<TableColumn>,
}

pub fn get_objects(connection: &Connection, request: &ObjectsRequest<'_>) -> Result<(SchemaNode, ArrayNode), Failure> {
    let mut source = ClientSource(connection.client()?);
    let catalog = pattern(request.catalog);
    let catalogs: Vec<String> = rows_of(source.0, "SELECT name FROM system.databases ORDER BY name")?
        .into_iter()
        .flatten()
        .filter(|name| catalog.matches(name))
        .collect();
    let has_schema = pattern(request.db_schema).matches("");
    let mut found: BTreeMap<String, Vec<FoundTable>> = BTreeMap::new();
    if request.depth >= Depth::Tables && has_schema {
        let table = pattern(request.table);
        for listed in tables(&mut source, &catalog, &table)? {
            let kind = table_type(&listed);
            let wanted = request.table_types.as_ref();
            if wanted.is_some_and(|types| !types.iter().any(|wanted| wanted.eq_ignore_ascii_case(kind))) {
                continue;
            }
            found.entry(listed.database).or_default().push(FoundTable {
                name: listed.name,
                kind,
                columns: Vec::new(),
            });
        }
        if request.depth == Depth::All {
            for column in columns(&mut source, &catalog, &table, &pattern(request.column))? {
                let in_table = found
                    .get_mut(&column.database)
                    .and_then(|tables| tables.iter_mut().find(|table| table.name == column.table));
                if let Some(table) = in_table {
                    table.columns.push(column);
                }
            }
        }
    }
    let string_max_length = source.0.string_max_length;
    Ok((
        schema(),
        batch(&catalogs, has_schema, &found, request.depth, string_max_length),
    ))
}

/// The GetObjects rows; String columns are described as `string_max_length` long.
fn batch(
    catalogs: &[String],
    has_schema: bool,
    found: &BTreeMap<String, Vec<FoundTable>>,
    depth: Depth,
    string_max_length: usize,
) -> ArrayNode {
    let no_tables = Vec::new();
    let schemas_of: Vec<&Vec<FoundTable>> = catalogs
        .iter()
        .filter(|_| has_schema && depth >= Depth::DbSchemas)
        .map(|catalog| found.get(catalog).unwrap_or(&no_tables))
        .collect();
    let tables: Vec<&FoundTable> = schemas_of.iter().flat_map(|tables| tables.iter()).collect();
    let columns: Vec<&TableColumn> = tables.iter().flat_map(|table| table.columns.iter()).collect();

    let column_array = column_array(&columns, string_max_length);
    let constraints = constraint_array();
    let table_count = tables.len();
    let table_array = structure(
        table_count,
        vec![
            utf8(&tables.iter().map(|table| Some(table.name.as_str())).collect::<Vec<_>>()),
            utf8(&tables.iter().map(|table| Some(table.kind)).collect::<Vec<_>>()),
            list(
                &tables
                    .iter()
                    .map(|table| (depth == Depth::All).then_some(table.columns.len()))
                    .collect::<Vec<_>>(),
                column_array,
            ),
            list(&vec![(depth == Depth::All).then_some(0); table_count], constraints),
        ],
    );
    let schema_count = schemas_of.len();
    let schema_array = structure(
        schema_count,
        vec![
            utf8(&vec![Some(""); schema_count]),
            list(
                &schemas_of
                    .iter()
                    .map(|tables| (depth >= Depth::Tables).then_some(tables.len()))
                    .collect::<Vec<_>>(),
                table_array,
            ),
        ],
    );
    let schemas_per_catalog = (depth >= Depth::DbSchemas).then_some(usize::from(has_schema));
    structure(
        catalogs.len(),
        vec![
            utf8(&catalogs.iter().map(|name| Some(name.as_str())).collect::<Vec<_>>()),
            list(&vec![schemas_per_catalog; catalogs.len()], schema_array),
        ],
    )
}

/// The columns' rows; the xdbc_* sizes and types are ODBC's description of the column type, as
/// SQLColumns gives them.
fn column_array(columns: &[&TableColumn], string_max_length: usize) -> ArrayNode {
    let count = columns.len();
    let descriptions: Vec<SqlDescription> = columns
        .iter()
        .map(|column| {
            let data_type = DataType::parse(&column.type_name).unwrap_or(DataType::String);
            describe(&data_type, string_max_length)
        })
        .collect();
    let size = |value: usize| Some(i32::try_from(value).unwrap_or(i32::MAX));
    let non_empty = |text: &str| Some(text).filter(|text| !text.is_empty()).map(str::to_string);
    let texts = |value: &dyn Fn(&TableColumn) -> Option<String>| {
        utf8(&columns.iter().map(|column| value(column)).collect::<Vec<_>>())
    };
    let smalls =
        |value: &dyn Fn(&SqlDescription) -> Option<i16>| numbers(&descriptions.iter().map(value).collect::<Vec<_>>());
    let ints =
        |value: &dyn Fn(&SqlDescription) -> Option<i32>| numbers(&descriptions.iter().map(value).collect::<Vec<_>>());
    let no_text = || utf8::<&str>(&vec![None; count]);
    let no_bool = || booleans(&vec![None; count]);
    structure(
        count,
        vec![
            texts(&|column| Some(column.name.clone())),
            numbers(
                &columns
                    .iter()
                    .map(|column| i32::try_from(column.position).ok())
                    .collect::<Vec<_>>(),
            ),
            texts(&|column| non_empty(&column.comment)),
            smalls(&|description| Some(description.sql_type)),
            texts(&|column| Some(column.type_name.clone())),
            ints(&|description| size(description.column_size)),
            smalls(&|description| description.is_numeric().then_some(description.decimal_digits)),
            smalls(&|description| description.is_numeric().then_some(10)),
            smalls(&|description| Some(i16::from(description.nullable))),
            texts(&|column| non_empty(&column.default_expression)),
            smalls(&|_| None),
            smalls(&|_| None),
            ints(&|description| description.is_text().then(|| size(description.column_size)).flatten()),
            utf8(
                &descriptions
                    .iter()
                    .map(|description| Some(if description.nullable { "YES" } else { "NO" }))
                    .collect::<Vec<_>>(),
            ),
            no_text(),
            no_text(),
            no_text(),
            no_bool(),
            no_bool(),
        ],
    )
}

/// ClickHouse declares no constraints ADBC describes: always empty.
fn constraint_array() -> ArrayNode {
    let usage = structure(
        0,
        vec![
            utf8::<&str>(&[]),
            utf8::<&str>(&[]),
            utf8::<&str>(&[]),
            utf8::<&str>(&[]),
        ],
    );
    structure(
        0,
        vec![
            utf8::<&str>(&[]),
            utf8::<&str>(&[]),
            list(&[], utf8::<&str>(&[])),
            list(&[], usage),
        ],
    )
}

fn schema() -> SchemaNode {
    let leaf = |format: &str, name: &str, nullable: bool| field(format, name, nullable, Vec::new());
    let list_of = |name: &str, nullable: bool, item: SchemaNode| field("+l", name, nullable, vec![item]);
    let column = field(
        "+s",
        "item",
        true,
        vec![
            leaf("u", "column_name", false),
            leaf("i", "ordinal_position", true),
            leaf("u", "remarks", true),
            leaf("s", "xdbc_data_type", true),
            leaf("u", "xdbc_type_name", true),
            leaf("i", "xdbc_column_size", true),
            leaf("s", "xdbc_decimal_digits", true),
            leaf("s", "xdbc_num_prec_radix", true),
            leaf("s", "xdbc_nullable", true),
            leaf("u", "xdbc_column_def", true),
            leaf("s", "xdbc_sql_data_type", true),
            leaf("s", "xdbc_datetime_sub", true),
            leaf("i", "xdbc_char_octet_length", true),
            leaf("u", "xdbc_is_nullable", true),
            leaf("u", "xdbc_scope_catalog", true),
            leaf("u", "xdbc_scope_schema", true),
            leaf("u", "xdbc_scope_table", true),
            leaf("b", "xdbc_is_autoincrement", true),
            leaf("b", "xdbc_is_generatedcolumn", true),
        ],
    );
    let usage = field(
        "+s",
        "item",
        true,
        vec![
            leaf("u", "fk_catalog", true),
            leaf("u", "fk_db_schema", true),
            leaf("u", "fk_table", false),
            leaf("u", "fk_column_name", false),
        ],
    );
    let constraint = field(
        "+s",
        "item",
        true,
        vec![
            leaf("u", "constraint_name", true),
            leaf("u", "constraint_type", false),
            list_of("constraint_column_names", false, leaf("u", "item", true)),
            list_of("constraint_column_usage", true, usage),
        ],
    );
    let table = field(
        "+s",
        "item",
        true,
        vec![
            leaf("u", "table_name", false),
            leaf("u", "table_type", false),
            list_of("table_columns", true, column),
            list_of("table_constraints", true, constraint),
        ],
    );
    let db_schema = field(
        "+s",
        "item",
        true,
        vec![
            leaf("u", "db_schema_name", true),
            list_of("db_schema_tables", true, table),
        ],
    );
    field(
        "+s",
        "",
        false,
        vec![
            leaf("u", "catalog_name", true),
            list_of("catalog_db_schemas", true, db_schema),
        ],
    )
}
