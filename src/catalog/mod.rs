//! The catalog as both drivers read it (ODBC's catalog functions in [`crate::odbc::catalog`], ADBC's
//! GetObjects in [`crate::adbc::objects`]): name filters, and the tables and columns of the server's
//! `system.tables` and `system.columns`, whatever the connection they are read through.
//!
//! A database is a catalog; ClickHouse has no schemas. TABLE_TYPE is VIEW for views, SYSTEM TABLE in
//! the `system` database and TABLE otherwise.

use crate::native::sql::quote_string;

/// Where catalog rows are read from: a connection of either driver.
pub trait Source {
    type Error;
    /// Every row of a query's result, each value as the server prints it.
    fn rows_of(&mut self, sql: &str) -> Result<Vec<Vec<String>>, Self::Error>;
    /// The columns `system.tables` has on this server (servers differ).
    fn system_tables_columns(&mut self) -> Result<Vec<String>, Self::Error>;
}

/// The table types, in the order listed.
pub const TABLE_TYPES: [&str; 3] = ["SYSTEM TABLE", "TABLE", "VIEW"];

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
    pub fn is_all(&self) -> bool {
        match self {
            Filter::Any => true,
            Filter::Pattern(pattern) => pattern == "%",
            Filter::Exact(_) => false,
        }
    }

    pub fn is_empty(&self) -> bool {
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

/// A table as `system.tables` lists it; a column the server lacks reads as empty.
pub struct Table {
    pub database: String,
    pub name: String,
    pub engine: String,
    pub engine_full: String,
    pub comment: String,
    pub partition_key: String,
    pub sorting_key: String,
    pub primary_key: String,
    pub sampling_key: String,
    /// None where `system.tables` has no such column (ByteHouse): ENGINE_FULL then tells.
    pub unique_key: Option<String>,
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
pub fn tables<S: Source>(source: &mut S, catalog: &Filter, table: &Filter) -> Result<Vec<Table>, S::Error> {
    let present = source.system_tables_columns()?;
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
    let rows = source.rows_of(&sql)?;
    Ok(rows
        .into_iter()
        .filter(|row| row.len() == TABLE_FIELDS.len())
        .map(|row| {
            // The cells are TABLE_FIELDS, which are in the order of Table's fields.
            let mut cells = row.into_iter();
            let mut next = || cells.next().unwrap_or_default();
            Table {
                database: next(),
                name: next(),
                engine: next(),
                engine_full: next(),
                comment: next(),
                partition_key: next(),
                sorting_key: next(),
                primary_key: next(),
                sampling_key: next(),
                unique_key: Some(next()).filter(|_| has_unique_key),
            }
        })
        .filter(|found| catalog.matches(&found.database) && table.matches(&found.name))
        .collect())
}

pub fn table_type(table: &Table) -> &'static str {
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
pub fn where_clause(filters: &[(&str, &Filter)]) -> String {
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

/// A column as `system.columns` lists it, with its 1-based position in its table.
pub struct TableColumn {
    pub database: String,
    pub table: String,
    pub name: String,
    pub type_name: String,
    pub default_expression: String,
    pub comment: String,
    pub default_kind: String,
    pub in_partition_key: bool,
    pub in_sorting_key: bool,
    pub in_primary_key: bool,
    pub in_sampling_key: bool,
    pub position: usize,
}

/// The columns named `column` of the tables `table` in databases `catalog`, ordered by database,
/// table and position.
pub fn columns<S: Source>(
    source: &mut S,
    catalog: &Filter,
    table: &Filter,
    column: &Filter,
) -> Result<Vec<TableColumn>, S::Error> {
    // Every column of the tables, even with a column filter: positions count them all.
    let sql = format!(
        "SELECT database, table, name, type, default_expression, comment, default_kind, is_in_partition_key, \
         is_in_sorting_key, is_in_primary_key, is_in_sampling_key FROM system.columns{}",
        where_clause(&[("database", catalog), ("table", table)])
    );
    let rows = source.rows_of(&sql)?;
    let mut found = Vec::new();
    let mut position = 0;
    for (index, row) in rows.iter().enumerate() {
        // system.columns lists a table's columns together, in order.
        let same_table = index > 0 && rows[index - 1][..2] == row[..2];
        position = if same_table { position + 1 } else { 1 };
        if row.len() < 11 || !(catalog.matches(&row[0]) && table.matches(&row[1]) && column.matches(&row[2])) {
            continue;
        }
        let flag = |cell: &String| cell == "1";
        found.push(TableColumn {
            database: row[0].clone(),
            table: row[1].clone(),
            name: row[2].clone(),
            type_name: row[3].clone(),
            default_expression: row[4].clone(),
            comment: row[5].clone(),
            default_kind: row[6].clone(),
            in_partition_key: flag(&row[7]),
            in_sorting_key: flag(&row[8]),
            in_primary_key: flag(&row[9]),
            in_sampling_key: flag(&row[10]),
            position,
        });
    }
    found.sort_by(|left, right| {
        (&left.database, &left.table, left.position).cmp(&(&right.database, &right.table, right.position))
    });
    Ok(found)
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
