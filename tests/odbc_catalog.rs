//! Catalog functions through the exported functions called directly, against both test servers.

mod common;

use std::ptr::null;

use bytehouse::ffi::*;
use common::c_abi::Handles;
use common::{servers, unique_table};

const NTS: i16 = -3;

/// SQLTables with each argument left out (None) or given; the rows as "cat|table|type".
fn tables(
    handles: &Handles,
    catalog: Option<&str>,
    schema: Option<&str>,
    table: Option<&str>,
    kind: Option<&str>,
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
    rows(handles, &[1, 3, 4])
}

/// The text of `columns` of every row of the open result, joined with `|`.
fn rows(handles: &Handles, columns: &[u16]) -> Vec<String> {
    let mut rows = Vec::new();
    while unsafe { SQLFetch(handles.stmt) } == SQL_SUCCESS {
        let cells: Vec<String> = columns
            .iter()
            .map(|&column| {
                let mut buffer = [0u8; 256];
                let mut length = 0isize;
                let code = unsafe { SQLGetData(handles.stmt, column, 1, buffer.as_mut_ptr().cast(), 256, &mut length) };
                handles.ok(code);
                usize::try_from(length).map_or("NULL".into(), |length| {
                    String::from_utf8_lossy(&buffer[..length]).into_owned()
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
