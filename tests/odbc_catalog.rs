//! Catalog functions through the exported functions called directly, against both test servers.

mod common;

use std::ptr::null;

use bytehouse::ffi::*;
use common::c_abi::Handles;
use common::{servers, unique_table};

const NTS: i16 = -3;
const SQL_C_WCHAR: i16 = -8;
/// SQLStatistics' SQL_INDEX_ALL.
const INDEX_ALL: u16 = 1;

/// SQLTables with each argument left out (None) or given; the rows as "cat|table|type".
fn tables(
    handles: &Handles,
    catalog: Option<&str>,
    schema: Option<&str>,
    table: Option<&str>,
    kind: Option<&str>,
) -> Vec<String> {
    tables_columns(handles, catalog, schema, table, kind, &[1, 3, 4])
}

/// SQLTables as `tables` does it, the rows' `columns`.
fn tables_columns(
    handles: &Handles,
    catalog: Option<&str>,
    schema: Option<&str>,
    table: Option<&str>,
    kind: Option<&str>,
    columns: &[u16],
) -> Vec<String> {
    let pointer = |text: Option<&str>| text.map_or(null(), str::as_ptr);
    let length = |text: Option<&str>| text.map_or(0, |text| text.len() as i16);
    let code = unsafe {
        SQLTables(
            handles.stmt,
            pointer(catalog),
            length(catalog),
            pointer(schema),
            length(schema),
            pointer(table),
            length(table),
            pointer(kind),
            length(kind),
        )
    };
    handles.ok(code);
    rows(handles, columns)
}

/// The text of `columns` of every row of the open result, joined with `|`.
fn rows(handles: &Handles, columns: &[u16]) -> Vec<String> {
    read_rows(handles, columns, false)
}

/// The rows' `columns` as `rows` gives them, read as SQL_C_WCHAR when `wide`, else SQL_C_CHAR.
fn read_rows(handles: &Handles, columns: &[u16], wide: bool) -> Vec<String> {
    let c_type = if wide { SQL_C_WCHAR } else { 1 };
    let mut rows = Vec::new();
    while unsafe { SQLFetch(handles.stmt) } == SQL_SUCCESS {
        let cells: Vec<String> = columns
            .iter()
            .map(|&column| {
                let mut buffer = [0u8; 512];
                let mut length = 0isize;
                let code = unsafe {
                    SQLGetData(
                        handles.stmt,
                        column,
                        c_type,
                        buffer.as_mut_ptr().cast(),
                        512,
                        &mut length,
                    )
                };
                handles.ok(code);
                usize::try_from(length).map_or("NULL".into(), |length| {
                    let bytes = &buffer[..length];
                    if wide {
                        let units: Vec<u16> = bytes
                            .chunks_exact(2)
                            .map(|pair| u16::from_ne_bytes([pair[0], pair[1]]))
                            .collect();
                        String::from_utf16_lossy(&units)
                    } else {
                        String::from_utf8_lossy(bytes).into_owned()
                    }
                })
            })
            .collect();
        rows.push(cells.join("|"));
    }
    unsafe { SQLCloseCursor(handles.stmt) };
    rows
}

#[test]
fn tables_by_pattern_type_and_the_special_forms() {
    for server in servers() {
        let handles = Handles::connect_server(&server);
        let table = unique_table("catalog_t");
        let lookalike = table.replacen('_', "x", 1);
        for name in [&table, &lookalike] {
            handles.ok(handles.execute(&format!("CREATE TABLE {name} (id UInt8) ENGINE = Memory")));
        }
        handles.ok(handles.execute(&format!("CREATE VIEW {table}_v AS SELECT 1 AS one")));
        let database = handles.query_text("SELECT currentDatabase()").remove(0);

        // `_` is a one-character wildcard: the pattern finds both tables, the identifier one.
        let found = tables(&handles, None, None, Some(&table), None);
        assert_eq!(found.len(), 2, "{}: {found:?}", server.name);
        let metadata_id = 10014;
        unsafe { SQLSetStmtAttr(handles.stmt, metadata_id, std::ptr::without_provenance_mut(1), 0) };
        let exact = tables(&handles, None, None, Some(&table), None);
        assert_eq!(exact, [format!("{database}|{table}|TABLE")], "{}", server.name);
        unsafe { SQLSetStmtAttr(handles.stmt, metadata_id, std::ptr::null_mut(), 0) };

        let pattern = format!("{table}%");
        let views = tables(&handles, Some(&database), None, Some(&pattern), Some("'VIEW'"));
        assert_eq!(views, [format!("{database}|{table}_v|VIEW")], "{}", server.name);
        assert!(
            tables(&handles, None, Some("public"), Some(&pattern), None).is_empty(),
            "no schemas"
        );

        let catalogs = tables(&handles, Some("%"), Some(""), Some(""), None);
        assert!(catalogs.contains(&"system|NULL|NULL".to_string()), "{catalogs:?}");
        assert!(
            tables(&handles, Some(""), Some("%"), Some(""), None).is_empty(),
            "schemas"
        );
        let kinds = tables(&handles, Some(""), Some(""), Some(""), Some("%"));
        assert_eq!(kinds, ["NULL|NULL|SYSTEM TABLE", "NULL|NULL|TABLE", "NULL|NULL|VIEW"]);

        // SQLColumns without a catalog looks in the current database; `\_` is a literal underscore.
        let escaped = table.replace('_', "\\_");
        let code = unsafe {
            SQLColumns(
                handles.stmt,
                null(),
                0,
                null(),
                0,
                escaped.as_ptr(),
                escaped.len() as i16,
                c"%".as_ptr().cast(),
                NTS,
            )
        };
        handles.ok(code);
        assert_eq!(
            rows(&handles, &[3, 4, 5, 17]),
            [format!("{table}|id|-6|1")],
            "{}",
            server.name
        );

        let code = unsafe { SQLTables(handles.stmt, null(), 0, null(), 0, table.as_ptr(), -7, null(), 0) };
        assert_eq!(
            (code, common::diagnostic(3, handles.stmt).0.as_str()),
            (SQL_ERROR, "HY090")
        );

        for name in [format!("{table}_v"), table.clone(), lookalike.clone()] {
            handles.ok(handles.execute(&format!("DROP TABLE {name}")));
        }
    }
}

/// An identifier in backquotes, as ClickHouse reads it.
fn backquoted(name: &str) -> String {
    format!("`{}`", name.replace('\\', "\\\\").replace('`', "\\`"))
}

/// A name as a search pattern matching only itself.
fn escaped(name: &str) -> String {
    name.replace('\\', "\\\\").replace('_', "\\_").replace('%', "\\%")
}

/// The ODBC columns and the extra ones: engine, keys and comment in SQLTables, key flags and default
/// kind in SQLColumns.
#[test]
fn tables_and_columns_tell_engines_keys_and_comments() {
    for server in servers() {
        let handles = Handles::connect_server(&server);
        let table = unique_table("catalog_keys");
        let database = handles.query_text("SELECT currentDatabase()").remove(0);
        // Table comments came after 18.16.
        let old = handles.query_text("SELECT version()")[0].starts_with("18.");
        let comment = if old { "" } else { " COMMENT 'it''s keyed'" };
        handles.ok(handles.execute(&format!(
            "CREATE TABLE {table} (id UInt32, t DateTime, d Date DEFAULT toDate(t), note String, \
             m UInt8 MATERIALIZED 1, al ALIAS id + 1) ENGINE = MergeTree PARTITION BY toYYYYMM(d) \
             ORDER BY (id, t) PRIMARY KEY id SAMPLE BY id{comment}"
        )));
        handles.ok(handles.execute(&format!("CREATE VIEW {table}_v AS SELECT 1 AS one")));

        let all_columns: Vec<u16> = (1..=16).collect();
        let pattern = escaped(&table);
        let with_view = format!("{pattern}%");
        let found = tables_columns(&handles, None, None, Some(&with_view), None, &all_columns);
        let remarks = if old { "NULL" } else { "it's keyed" };
        let engine_full = "MergeTree PARTITION BY toYYYYMM(d) PRIMARY KEY id ORDER BY (id, t) SAMPLE BY id SETTINGS index_granularity = 8192";
        assert_eq!(
            found,
            [
                format!(
                    "{database}|NULL|{table}|TABLE|{remarks}|MergeTree|{engine_full}|toYYYYMM(d)|id, t|id|id|NULL|NULL|NULL\
                     |NULL|index_granularity = 8192"
                ),
                format!("{database}|NULL|{table}_v|VIEW|NULL|View|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL"),
            ],
            "{}",
            server.name
        );
        let catalogs = tables_columns(&handles, Some("%"), Some(""), Some(""), None, &all_columns);
        assert!(
            catalogs.contains(&format!("system{}", "|NULL".repeat(15))),
            "{catalogs:?}"
        );

        let code = unsafe {
            SQLColumns(
                handles.stmt,
                null(),
                0,
                null(),
                0,
                pattern.as_ptr(),
                pattern.len() as i16,
                null(),
                0,
            )
        };
        handles.ok(code);
        assert_eq!(
            rows(&handles, &[4, 13, 17, 19, 20, 21, 22, 23]),
            [
                "id|NULL|1|0|1|1|1|NULL",
                "t|NULL|2|0|1|0|0|NULL",
                "d|toDate(t)|3|1|0|0|0|DEFAULT",
                "note|NULL|4|0|0|0|0|NULL",
                "m|1|5|0|0|0|0|MATERIALIZED",
                "al|id + 1|6|0|0|0|0|ALIAS",
            ],
            "{}",
            server.name
        );

        handles.ok(handles.execute(&format!("DROP TABLE {table}_v")));
        handles.ok(handles.execute(&format!("DROP TABLE {table}")));
    }
}

/// SQLTables' TTL and SETTINGS columns: the text after each keyword in ENGINE_FULL, NULL without
/// it. 18.16 has no table TTL (its parser rejects the clause), so the TTL is tested on 26.9 only.
#[test]
fn tables_tell_ttl_and_settings() {
    for server in servers() {
        let handles = Handles::connect_server(&server);
        let old = handles.query_text("SELECT version()")[0].starts_with("18.");
        let table = unique_table("catalog_ttl");
        // A column's own TTL is in the column's definition, not in ENGINE_FULL.
        let with_ttl = format!(
            "CREATE TABLE {table} (id UInt32, d Date, t DateTime, v UInt64 TTL d + INTERVAL 2 DAY) ENGINE = MergeTree \
             PARTITION BY d ORDER BY (id, t) TTL d + INTERVAL 1 DAY, t + INTERVAL 1 HOUR DELETE WHERE id = 1 \
             SETTINGS index_granularity = 4096"
        );
        if old {
            assert_eq!(handles.execute(&with_ttl), SQL_ERROR, "18.16 has no TTL");
            handles.ok(handles.execute(&format!(
                "CREATE TABLE {table} (id UInt32, d Date, t DateTime) ENGINE = MergeTree PARTITION BY d \
                 ORDER BY (id, t) SETTINGS index_granularity = 4096"
            )));
        } else {
            handles.ok(handles.execute(&with_ttl));
        }
        // The old syntax has neither clause; 26.9 takes it no more by default.
        let plain = format!("{table}_plain");
        let plain_engine = if old { "MergeTree(d, id, 4096)" } else { "Memory" };
        handles.ok(handles.execute(&format!(
            "CREATE TABLE {plain} (id UInt32, d Date) ENGINE = {plain_engine}"
        )));

        let found = tables_columns(
            &handles,
            None,
            None,
            Some(&format!("{}%", escaped(&table))),
            None,
            &[3, 7, 15, 16],
        );
        let (engine_full, ttl) = if old {
            (
                "MergeTree PARTITION BY d ORDER BY (id, t) SETTINGS index_granularity = 4096",
                "NULL",
            )
        } else {
            (
                "MergeTree PARTITION BY d ORDER BY (id, t) TTL d + toIntervalDay(1), t + toIntervalHour(1) WHERE id = 1 \
                 SETTINGS index_granularity = 4096",
                "d + toIntervalDay(1), t + toIntervalHour(1) WHERE id = 1",
            )
        };
        assert_eq!(
            found,
            [
                format!("{table}|{engine_full}|{ttl}|index_granularity = 4096"),
                format!("{plain}|{plain_engine}|NULL|NULL"),
            ],
            "{}",
            server.name
        );
        for name in [plain, table] {
            handles.ok(handles.execute(&format!("DROP TABLE {name}")));
        }
    }
}

/// Runs SQLTables, SQLColumns, SQLPrimaryKeys or SQLStatistics (SQL_INDEX_ALL), ANSI or wide, on
/// `catalog` and `table` (the schema and column left out) and returns the rows' `columns`.
fn catalog_rows(
    handles: &Handles,
    function: &str,
    [catalog, table]: [&str; 2],
    wide: bool,
    columns: &[u16],
) -> Vec<String> {
    let stmt = handles.stmt;
    let code = unsafe {
        if wide {
            let (catalog, table): (Vec<u16>, Vec<u16>) =
                (catalog.encode_utf16().collect(), table.encode_utf16().collect());
            let (c, c_length, t, t_length) = (
                catalog.as_ptr(),
                catalog.len() as i16,
                table.as_ptr(),
                table.len() as i16,
            );
            match function {
                "SQLTables" => SQLTablesW(stmt, c, c_length, null(), 0, t, t_length, null(), 0),
                "SQLColumns" => SQLColumnsW(stmt, c, c_length, null(), 0, t, t_length, null(), 0),
                "SQLPrimaryKeys" => SQLPrimaryKeysW(stmt, c, c_length, null(), 0, t, t_length),
                _ => SQLStatisticsW(stmt, c, c_length, null(), 0, t, t_length, INDEX_ALL, 0),
            }
        } else {
            let (c, c_length, t, t_length) = (
                catalog.as_ptr(),
                catalog.len() as i16,
                table.as_ptr(),
                table.len() as i16,
            );
            match function {
                "SQLTables" => SQLTables(stmt, c, c_length, null(), 0, t, t_length, null(), 0),
                "SQLColumns" => SQLColumns(stmt, c, c_length, null(), 0, t, t_length, null(), 0),
                "SQLPrimaryKeys" => SQLPrimaryKeys(stmt, c, c_length, null(), 0, t, t_length),
                _ => SQLStatistics(stmt, c, c_length, null(), 0, t, t_length, INDEX_ALL, 0),
            }
        }
    };
    handles.ok(code);
    read_rows(handles, columns, wide)
}

/// Databases, tables and columns named with quotes, backslashes, dots, spaces and non-ASCII letters,
/// keyed on such columns, through every catalog function that reads names, ANSI and wide.
#[test]
fn awkward_names_in_every_catalog_function() {
    let columns = ["名前", "a.b", "it's", "back`tick", "sp ace", "dq\"x", "bs\\y", "plain"];
    // Partitioned by the Date, sorted by the others; the primary key is all but the last of those.
    let partition = "it's";
    let sorting: Vec<&str> = columns.into_iter().filter(|name| *name != partition).collect();
    let primary = &sorting[..6];
    let listed = |names: &[&str]| names.iter().map(|name| backquoted(name)).collect::<Vec<_>>().join(", ");
    let declared: Vec<String> = columns
        .iter()
        .map(|name| {
            format!(
                "{} {}",
                backquoted(name),
                if *name == partition { "Date" } else { "String" }
            )
        })
        .collect();
    // How both 18.16 and 26.9 print that sorting key: quoted where a name needs it.
    let printed_sorting_key = r#"`名前`, `a.b`, `back\`tick`, `sp ace`, `dq"x`, `bs\\y`, plain"#;
    for server in servers() {
        let handles = Handles::connect_server(&server);
        let database = format!("{}.ü'x", unique_table("catalog_db"));
        let table = "t a\"b\\c ü";
        handles.ok(handles.execute(&format!("CREATE DATABASE {}", backquoted(&database))));
        handles.ok(handles.execute(&format!(
            "CREATE TABLE {}.{} ({}) ENGINE = MergeTree PARTITION BY {} ORDER BY ({}) PRIMARY KEY ({})",
            backquoted(&database),
            backquoted(table),
            declared.join(", "),
            backquoted(partition),
            listed(&sorting),
            listed(primary)
        )));

        for wide in [false, true] {
            let context = format!("{} wide={wide}", server.name);
            let patterns = [escaped(&database), escaped(table)];
            let found = catalog_rows(&handles, "SQLTables", [&patterns[0], &patterns[1]], wide, &[1, 3, 4, 9]);
            assert_eq!(
                found,
                [format!("{database}|{table}|TABLE|{printed_sorting_key}")],
                "{context}"
            );

            let described = catalog_rows(
                &handles,
                "SQLColumns",
                [&database, &patterns[1]],
                wide,
                &[1, 3, 4, 17, 19, 21],
            );
            let expected: Vec<String> = columns
                .iter()
                .enumerate()
                .map(|(index, name)| {
                    let in_partition = u8::from(*name == partition);
                    let in_primary = u8::from(primary.contains(name));
                    format!("{database}|{table}|{name}|{}|{in_partition}|{in_primary}", index + 1)
                })
                .collect();
            assert_eq!(described, expected, "{context}");

            let keys = catalog_rows(&handles, "SQLPrimaryKeys", [&database, table], wide, &[1, 3, 4, 5]);
            let expected: Vec<String> = primary
                .iter()
                .enumerate()
                .map(|(index, name)| format!("{database}|{table}|{name}|{}", index + 1))
                .collect();
            assert_eq!(keys, expected, "{context}");

            let statistics = catalog_rows(&handles, "SQLStatistics", [&database, table], wide, &[1, 3, 6, 8, 9]);
            let mut expected = vec![format!("{database}|{table}|NULL|NULL|NULL")];
            expected.extend(
                sorting
                    .iter()
                    .enumerate()
                    .map(|(index, name)| format!("{database}|{table}|sorting key|{}|{name}", index + 1)),
            );
            assert_eq!(statistics, expected, "{context}");
        }
        handles.ok(handles.execute(&format!("DROP DATABASE {}", backquoted(&database))));
    }
}
