//! The driver as a Rust application uses it: odbc-api over unixODBC, against each test server.
//! Compiled twice, as tests/odbc_api_wide.rs (odbc-api calls the UTF-16 `W` functions) and as
//! tests/odbc_api_narrow/ (the ANSI functions); each binary names odbc-api's character type in
//! `crate::SqlCharOfThisBuild`.

use std::num::NonZeroUsize;
use std::sync::LazyLock;

use odbc_api::buffers::{BufferDesc, ColumnarDynBuffer, TextRowSet};
use odbc_api::handles::{SqlChar, slice_to_cow_utf8};
use odbc_api::sys::Timestamp;
use odbc_api::{
    BindParamDesc, ColumnDescription, Connection, ConnectionOptions, Cursor, DataType, Environment, Error,
    IntoParameter, Nullability, ResultSetMetadata,
};

use crate::common::{self, DRIVER_NAME, OdbcConfig, Server};

// Stops the build if feature unification gave odbc-api the other mode.
const _: fn(SqlChar) -> crate::SqlCharOfThisBuild = std::convert::identity;

/// Four-byte UTF-8 too, a surrogate pair in UTF-16.
const NON_ASCII: &str = "Grüße, 世界 🦀";
const QUOTES_AND_BACKSLASHES: &str = r#"it's "quoted", \' and \\ and a trailing \"#;

/// The process's ODBC environment. unixODBC reads ODBCSYSINI and ODBCINI when a connection loads
/// the driver, so they are set here, once, before the environment exists.
fn environment() -> &'static Environment {
    static ENVIRONMENT: LazyLock<(OdbcConfig, Environment)> = LazyLock::new(|| {
        // In the target dir under this binary's name, so each run replaces the last run's files.
        let config = OdbcConfig::in_dir(common::target_dir().join(concat!("odbc-ini-", env!("CARGO_CRATE_NAME"))));
        for (name, value) in config.variables() {
            // SAFETY: nothing calls into unixODBC (or libc's getenv) before this initialiser returns.
            unsafe { std::env::set_var(name, value) };
        }
        (config, Environment::new().expect("an ODBC environment"))
    });
    &ENVIRONMENT.1
}

fn connect(server: &Server) -> Connection<'static> {
    let connection_string = format!("Driver={{{DRIVER_NAME}}};Host={};Port={}", common::host(), server.port);
    environment()
        .connect_with_connection_string(&connection_string, ConnectionOptions::default())
        .unwrap_or_else(|error| panic!("connect to {}: {error}", server.name))
}

/// Runs a statement without parameters; its result set, if any, is dropped.
fn execute(connection: &Connection, sql: &str) {
    connection
        .execute(sql, (), None)
        .unwrap_or_else(|error| panic!("{sql}: {error}"));
}

fn query<'c>(connection: &'c Connection, sql: &str) -> impl Cursor + 'c {
    connection
        .execute(sql, (), None)
        .unwrap_or_else(|error| panic!("{sql}: {error}"))
        .unwrap_or_else(|| panic!("{sql}: no result set"))
}

/// Every row of a query's result as text (NULL as `None`), fetched into a `TextRowSet`.
fn query_text(connection: &Connection, sql: &str) -> Vec<Vec<Option<String>>> {
    text_rows(query(connection, sql))
}

fn text_rows(mut cursor: impl Cursor) -> Vec<Vec<Option<String>>> {
    let buffer = TextRowSet::for_cursor(100, &mut cursor, Some(4096)).unwrap();
    let mut block_cursor = cursor.bind_buffer(buffer).unwrap();
    let mut rows = Vec::new();
    while let Some(batch) = block_cursor.fetch().unwrap() {
        for row in 0..batch.num_rows() {
            let cells = (0..batch.num_cols()).map(|column| batch.at_as_str(column, row).unwrap().map(str::to_owned));
            rows.push(cells.collect());
        }
    }
    rows
}

fn owned(cells: &[Option<&str>]) -> Vec<Option<String>> {
    cells.iter().map(|cell| cell.map(str::to_owned)).collect()
}

#[test]
fn connects_with_a_connection_string_and_with_a_dsn() {
    for server in common::servers() {
        let version_prefix = if server.is_modern() { "26.9." } else { "18.16." };
        let with_dsn = environment()
            .connect(&server.dsn(), "", "", ConnectionOptions::default())
            .unwrap_or_else(|error| panic!("DSN {} of {}: {error}", server.dsn(), server.name));
        for connection in [connect(&server), with_dsn] {
            let version = query_text(&connection, "SELECT version()");
            let version = version[0][0].as_deref().unwrap();
            assert!(
                version.starts_with(version_prefix),
                "{}: version {version}",
                server.name
            );
        }
    }
}

#[test]
fn inserts_parameters_of_each_kind() {
    for server in common::servers() {
        let connection = connect(&server);
        let table = common::unique_table("odbc_api_parameters");
        execute(
            &connection,
            &format!(
                "CREATE TABLE {table} (id Int32, big Int64, ratio Float64, name String, note Nullable(String)) \
                 ENGINE = Memory"
            ),
        );
        let insert = format!("INSERT INTO {table} (id, big, ratio, name, note) VALUES (?, ?, ?, ?, ?)");
        let rows = [
            (1, -(1i64 << 40), 0.1, NON_ASCII, Some("ü")),
            (2, i64::MAX, -2.5e-300, QUOTES_AND_BACKSLASHES, None),
        ];
        for (id, big, ratio, name, note) in rows {
            let (name, note) = (name.into_parameter(), note.into_parameter());
            connection
                .execute(&insert, (&id, &big, &ratio, &name, &note), None)
                .unwrap_or_else(|error| panic!("{}: {insert}: {error}", server.name));
        }

        let stored = query_text(
            &connection,
            &format!("SELECT id, big, ratio = 0.1, ratio = -2.5e-300, name, note FROM {table} ORDER BY id"),
        );
        let expected = [
            owned(&[
                Some("1"),
                Some("-1099511627776"),
                Some("1"),
                Some("0"),
                Some(NON_ASCII),
                Some("ü"),
            ]),
            owned(&[
                Some("2"),
                Some("9223372036854775807"),
                Some("0"),
                Some("1"),
                Some(QUOTES_AND_BACKSLASHES),
                None,
            ]),
        ];
        assert_eq!(stored, expected, "{}", server.name);
        execute(&connection, &format!("DROP TABLE {table}"));
    }
}

#[test]
fn fetches_typed_columns_into_a_columnar_buffer() {
    /// One row as the typed buffers hold it: id, name as UTF-8 and as UTF-16, ratio, at, maybe.
    type Row = (i64, String, String, f64, Timestamp, Option<i32>);
    let timestamp = |year, month, day, hour, minute, second| Timestamp {
        year,
        month,
        day,
        hour,
        minute,
        second,
        fraction: 0,
    };
    let expected: Vec<Row> = vec![
        (
            1,
            NON_ASCII.into(),
            NON_ASCII.into(),
            0.1,
            timestamp(2024, 2, 29, 13, 14, 15),
            None,
        ),
        (
            2,
            String::new(),
            String::new(),
            -1.5e300,
            timestamp(1999, 12, 31, 23, 59, 59),
            Some(i32::MIN),
        ),
        // Above 2^53: an integer that went through a double would come back changed.
        (
            9_007_199_254_740_993,
            "ж".into(),
            "ж".into(),
            0.0,
            timestamp(2000, 1, 1, 0, 0, 0),
            Some(7),
        ),
    ];
    for server in common::servers() {
        let connection = connect(&server);
        let table = common::unique_table("odbc_api_columnar");
        execute(
            &connection,
            &format!(
                "CREATE TABLE {table} (id UInt64, name String, ratio Float64, at DateTime, maybe Nullable(Int32)) \
                 ENGINE = Memory"
            ),
        );
        execute(
            &connection,
            &format!(
                "INSERT INTO {table} VALUES (1, '{NON_ASCII}', 0.1, '2024-02-29 13:14:15', NULL), \
                 (2, '', -1.5e300, '1999-12-31 23:59:59', -2147483648), (9007199254740993, 'ж', 0, '2000-01-01 00:00:00', 7)"
            ),
        );

        let cursor = query(
            &connection,
            &format!("SELECT id, name, name, ratio, at, maybe FROM {table} ORDER BY id"),
        );
        let descriptions = [
            BufferDesc::I64 { nullable: false },
            BufferDesc::Text { max_str_len: 64 },
            BufferDesc::WText { max_str_len: 64 },
            BufferDesc::F64 { nullable: false },
            BufferDesc::Timestamp { nullable: false },
            BufferDesc::I32 { nullable: true },
        ];
        // Fewer rows than the result has: the last block is partly filled.
        let buffer = ColumnarDynBuffer::from_descs(2, descriptions);
        let mut block_cursor = cursor.bind_buffer(buffer).unwrap();
        let mut fetched: Vec<Row> = Vec::new();
        let mut blocks = 0;
        while let Some(batch) = block_cursor.fetch().unwrap() {
            blocks += 1;
            let ids = batch.column(0).as_slice::<i64>().unwrap();
            let names = batch.column(1).as_text().unwrap();
            let wide_names = batch.column(2).as_wide_text().unwrap();
            let ratios = batch.column(3).as_slice::<f64>().unwrap();
            let ats = batch.column(4).as_slice::<Timestamp>().unwrap();
            let maybes: Vec<Option<i32>> = batch
                .column(5)
                .as_nullable_slice::<i32>()
                .unwrap()
                .map(|cell| cell.copied())
                .collect();
            for row in 0..batch.num_rows() {
                fetched.push((
                    ids[row],
                    String::from_utf8(names.get(row).unwrap().to_vec()).unwrap(),
                    String::from_utf16(wide_names.get(row).unwrap()).unwrap(),
                    ratios[row],
                    ats[row],
                    maybes[row],
                ));
            }
        }
        assert_eq!(fetched, expected, "{}", server.name);
        assert_eq!(blocks, 2, "{}", server.name);
        execute(&connection, &format!("DROP TABLE {table}"));
    }
}

#[test]
fn gets_long_text_row_by_row() {
    for server in common::servers() {
        let connection = connect(&server);
        // Longer than the nominal VARCHAR size (256), so the driver hands it out in pieces (01004).
        let sql = "SELECT number, arrayStringConcat(arrayMap(x -> 'ж', range(6000 + number))) AS long, long \
                   FROM numbers(2)";
        let mut cursor = query(&connection, sql);
        let (mut number, mut utf8, mut utf16) = (0u64, Vec::new(), Vec::new());
        let mut rows = 0;
        while let Some(mut row) = cursor.next_row().unwrap() {
            row.get_data(1, &mut number).unwrap();
            assert!(row.get_text(2, &mut utf8).unwrap(), "{}: not NULL", server.name);
            assert!(row.get_wide_text(3, &mut utf16).unwrap(), "{}: not NULL", server.name);
            let expected = "ж".repeat(6000 + rows);
            assert_eq!(number, rows as u64, "{}", server.name);
            assert!(
                std::str::from_utf8(&utf8).unwrap() == expected,
                "{}: UTF-8 text of row {rows}",
                server.name
            );
            assert!(
                String::from_utf16(&utf16).unwrap() == expected,
                "{}: UTF-16 text of row {rows}",
                server.name
            );
            rows += 1;
        }
        assert_eq!(rows, 2, "{}", server.name);
    }
}

#[test]
fn describes_result_columns() {
    let sql = "SELECT toUInt64(18446744073709551615) AS big, 'é' AS name, toFloat64(0.5) AS ratio, \
               toDateTime('2024-02-29 13:14:15') AS at, CAST(NULL AS Nullable(Int32)) AS maybe";
    // (name, type, nullability, SQL_DESC_UNSIGNED: true for UInt and for every type that is not numeric)
    let expected = [
        ("big", DataType::BigInt, Nullability::NoNulls, true),
        (
            "name",
            DataType::Varchar {
                length: NonZeroUsize::new(256),
            },
            Nullability::NoNulls,
            true,
        ),
        ("ratio", DataType::Double, Nullability::NoNulls, false),
        ("at", DataType::Timestamp { precision: 0 }, Nullability::NoNulls, true),
        ("maybe", DataType::Integer, Nullability::Nullable, false),
    ];
    for server in common::servers() {
        let connection = connect(&server);
        let mut cursor = query(&connection, sql);
        assert_eq!(cursor.num_result_cols().unwrap(), 5, "{}", server.name);
        for (column, (name, data_type, nullability, unsigned)) in (1..).zip(expected) {
            let mut description = ColumnDescription::default();
            cursor.describe_col(column, &mut description).unwrap();
            let described = (
                description.name_to_string().unwrap(),
                description.data_type,
                description.nullability,
            );
            assert_eq!(described, (name.into(), data_type, nullability), "{}", server.name);
            assert_eq!(cursor.col_name(column).unwrap(), name, "{}", server.name);
            assert_eq!(
                cursor.col_data_type(column).unwrap(),
                data_type,
                "{}: {name}",
                server.name
            );
            assert_eq!(
                cursor.col_nullability(column).unwrap(),
                nullability,
                "{}: {name}",
                server.name
            );
            assert_eq!(
                cursor.column_is_unsigned(column).unwrap(),
                unsigned,
                "{}: {name}",
                server.name
            );
        }
        let row = owned(&[
            Some("18446744073709551615"),
            Some("é"),
            Some("0.5"),
            Some("2024-02-29 13:14:15"),
            None,
        ]);
        assert_eq!(text_rows(cursor), [row], "{}", server.name);
    }
}

#[test]
fn describes_a_prepared_query_before_it_runs() {
    for server in common::servers() {
        let connection = connect(&server);
        let sql = "SELECT number AS n, toString(number) AS s FROM numbers(3) WHERE number > ?";
        let mut prepared = connection.prepare(sql).unwrap();
        assert_eq!(prepared.num_result_cols().unwrap(), 2, "{}", server.name);
        assert_eq!(prepared.col_name(2).unwrap(), "s", "{}", server.name);
        assert_eq!(prepared.col_data_type(1).unwrap(), DataType::BigInt, "{}", server.name);
        let cursor = prepared.execute(&1i32).unwrap().expect("a result set");
        assert_eq!(text_rows(cursor), [owned(&[Some("2"), Some("2")])], "{}", server.name);
    }
}

#[test]
fn timestamp_precision_is_its_fraction_digits() {
    for server in common::servers() {
        let connection = connect(&server);
        let sql = "SELECT toDateTime('2024-02-29 13:14:15') AS at";
        let mut cursor = query(&connection, sql);
        assert_eq!(cursor.col_precision(1).unwrap(), 0, "{}", server.name);
        assert_eq!(
            cursor.col_data_type(1).unwrap(),
            DataType::Timestamp { precision: 0 },
            "{}",
            server.name
        );
    }
}

#[test]
fn unknown_table_is_42s02_with_the_server_message() {
    for server in common::servers() {
        let connection = connect(&server);
        let table = common::unique_table("odbc_api_missing");
        let error = connection
            .execute(&format!("SELECT * FROM {table}"), (), None)
            .err()
            .unwrap_or_else(|| panic!("{}: SELECT from a missing table succeeded", server.name));
        let Error::Diagnostics { record, .. } = &error else {
            panic!("{}: {error:?}", server.name);
        };
        let message = slice_to_cow_utf8(&record.message);
        assert_eq!(record.state.as_str(), "42S02", "{}: {message}", server.name);
        // The server's error code UNKNOWN_TABLE is the native error.
        assert_eq!(record.native_error, 60, "{}: {message}", server.name);
        assert!(message.contains(&table), "{}: {message}", server.name);
        // The connection is still usable.
        assert_eq!(
            query_text(&connection, "SELECT 1"),
            [owned(&[Some("1")])],
            "{}",
            server.name
        );
    }
}

#[test]
fn inserts_a_parameter_array() {
    const ROWS: usize = 10_000;
    for server in common::servers() {
        let connection = connect(&server);
        let table = common::unique_table("odbc_api_bulk");
        execute(
            &connection,
            &format!("CREATE TABLE {table} (id Int64, name String, score Nullable(Float64)) ENGINE = Memory"),
        );
        let prepared = connection
            .prepare(&format!("INSERT INTO {table} (id, name, score) VALUES (?, ?, ?)"))
            .unwrap();
        let descriptions = [
            BindParamDesc::i64(false),
            BindParamDesc::text(32),
            BindParamDesc::f64(true),
        ];
        let mut inserter = prepared.into_column_inserter(ROWS, descriptions).unwrap();
        inserter.set_num_rows(ROWS);
        for (row, id) in inserter.column_mut(0).as_slice::<i64>().unwrap().iter_mut().enumerate() {
            *id = row as i64;
        }
        let mut names = inserter.column_mut(1).as_text().unwrap();
        for row in 0..ROWS {
            names.set_cell(row, Some(format!("строка {row}").as_bytes()));
        }
        // Every third score is NULL.
        let mut scores = inserter.column_mut(2).as_nullable_slice::<f64>().unwrap();
        for row in 0..ROWS {
            scores.set_cell(row, (row % 3 != 0).then_some(row as f64 / 4.0));
        }
        inserter
            .execute()
            .unwrap_or_else(|error| panic!("{}: {error}", server.name));

        let summary = query_text(
            &connection,
            &format!("SELECT count(), sum(id), count(score), countIf(name = 'строка 9999') FROM {table}"),
        );
        let expected_sum = (ROWS * (ROWS - 1) / 2).to_string();
        let non_null_scores = (ROWS - ROWS.div_ceil(3)).to_string();
        let expected = owned(&[Some("10000"), Some(&expected_sum), Some(&non_null_scores), Some("1")]);
        assert_eq!(summary, [expected], "{}", server.name);
        execute(&connection, &format!("DROP TABLE {table}"));
    }
}
