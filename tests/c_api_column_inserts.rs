//! INSERTs from whole column buffers (`bh_insert_append_columns`) on both servers: the views of a
//! query's block, of every type, go straight back in as the columns of an INSERT and read back as
//! the server printed them; hostile buffers (a kind or width the column does not take, offsets that
//! go backwards or past their data, values the type cannot hold, wrong counts) are errors naming
//! the column and row, and leave the pending rows as they were.

mod common;

use std::ffi::CString;
use std::ptr::{null, null_mut};

use bytehouse::capi::{bh_column, bh_column_kind, bh_query_options, bh_setting};
use bytehouse::ffi::*;
use common::c_api::{EVERY_TYPE, connect, execute, first_row, printed, take};
use common::servers;

/// Types a table column cannot have (Nothing outside Nullable or Array literals).
const NOT_STORABLE: &[&str] = &["NULL", "[]", "tuple(1, 'x', NULL)"];

/// 18.16 creates LowCardinality columns only with a setting, which 26.9 no longer knows.
fn low_cardinality_options(server: &common::Server, setting: &[bh_setting; 1]) -> Option<bh_query_options> {
    (!server.is_modern()).then_some(bh_query_options {
        settings: setting.as_ptr(),
        n_settings: 1,
        timeout_ms: 0,
        progress: None,
        progress_context: null_mut(),
    })
}

#[test]
fn the_views_of_a_block_of_every_type_insert_as_columns() {
    let setting = [bh_setting {
        name: c"allow_experimental_low_cardinality_type".as_ptr(),
        value: c"1".as_ptr(),
    }];
    for server in servers() {
        let options = low_cardinality_options(&server, &setting);
        let options: *const bh_query_options = options.as_ref().map_or(null(), std::ptr::from_ref);
        let expressions: Vec<&str> = EVERY_TYPE
            .iter()
            .filter(|(expression, modern)| (server.is_modern() || !modern) && !NOT_STORABLE.contains(expression))
            .map(|(expression, _)| *expression)
            .collect();
        let select = format!(
            "SELECT {}",
            expressions
                .iter()
                .enumerate()
                .map(|(index, expression)| format!("{expression} AS c{index}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let printed: Vec<String> = expressions
            .iter()
            .enumerate()
            .map(|(index, expression)| printed(expression, &format!("c{index}")))
            .collect();
        let table = common::unique_table("capi_column_inserts");
        let connection = connect(server.port);
        let create = CString::new(format!("CREATE TABLE {table} ENGINE = Memory AS {select} LIMIT 0")).unwrap();
        let mut error = null_mut();
        unsafe {
            assert_eq!(
                bh_execute(connection, create.as_ptr(), null(), 0, options, null_mut(), &mut error),
                0,
                "{}: {:?}",
                server.name,
                take(error)
            );
            // One block of the query: its views become the INSERT's columns.
            let sql = CString::new(select.clone()).unwrap();
            let result = bh_query(connection, sql.as_ptr(), null(), 0, options, &mut error);
            assert!(!result.is_null(), "{}: {:?}", server.name, take(error));
            let mut block = null_mut();
            assert_eq!(bh_result_next_block(result, &mut block, &mut error), 0);
            bh_result_free(result);
            let views: Vec<bh_column> = (0..bh_block_column_count(block))
                .map(|index| std::ptr::read(bh_block_column(block, index)))
                .collect();
            let insert_sql = CString::new(format!("INSERT INTO {table} VALUES")).unwrap();
            let insert = bh_insert_begin(connection, insert_sql.as_ptr(), options, &mut error);
            assert!(!insert.is_null(), "{}: {:?}", server.name, take(error));
            for _ in 0..2 {
                assert_eq!(
                    bh_insert_append_columns(insert, views.as_ptr(), views.len(), 1, &mut error),
                    0,
                    "{}: {:?}",
                    server.name,
                    take(error)
                );
            }
            let mut rows = 0;
            assert_eq!(bh_insert_finish(insert, &mut rows, &mut error), 0, "{}", server.name);
            assert_eq!(rows, 2, "{}", server.name);
            bh_insert_free(insert);
            bh_block_free(block);
        }
        let expected = first_row(
            connection,
            &format!("SELECT {} FROM ({select})", printed.join(", ")),
            options,
        );
        let stored = first_row(
            connection,
            &format!("SELECT {} FROM {table}", printed.join(", ")),
            null(),
        );
        assert_eq!(stored.len(), expressions.len(), "{}", server.name);
        for ((expression, expected), stored) in expressions.iter().zip(&expected).zip(&stored) {
            assert_eq!(stored, expected, "{}: {expression}", server.name);
        }
        assert_eq!(
            first_row(connection, &format!("SELECT toString(count()) FROM {table}"), null()),
            ["2"]
        );
        execute(connection, &format!("DROP TABLE {table}"));
        unsafe { bh_connection_free(connection) };
    }
}

/// A view of `rows` fixed-width values at `data`.
fn fixed<T>(data: &[T], rows: usize) -> bh_column {
    bh_column {
        kind: bh_column_kind::BH_FIXED,
        name: null(),
        type_name: null(),
        rows,
        data: data.as_ptr().cast(),
        width: size_of::<T>(),
        ends: null(),
        array_ends: null(),
        nulls: null(),
        keys: null(),
        n_children: 0,
        children: null(),
    }
}

/// The columns of `(n UInt64, s String, e Enum8('a' = 1, 'b' = 2), a Array(UInt8),
/// lc LowCardinality(String), nn Nullable(UInt8))` for three rows, over the buffers of `Buffers`.
struct Buffers {
    ids: [u64; 3],
    text: &'static [u8],
    text_ends: [usize; 3],
    enums: [i8; 3],
    array_ends: [u64; 3],
    elements: [u8; 4],
    keys: [u32; 3],
    dictionary_text: &'static [u8],
    dictionary_ends: [usize; 2],
    nulls: [u8; 3],
    maybe: [u8; 3],
}

impl Buffers {
    fn good() -> Buffers {
        Buffers {
            ids: [1, 2, 3],
            text: b"abcdef",
            text_ends: [1, 3, 6],
            enums: [1, 2, 1],
            array_ends: [2, 2, 4],
            elements: [1, 2, 3, 4],
            keys: [0, 1, 0],
            dictionary_text: b"xy",
            dictionary_ends: [1, 2],
            nulls: [0, 1, 0],
            maybe: [5, 0, 7],
        }
    }

    /// The views' children: the array elements, the dictionary and the nullable values.
    fn children(&self) -> [bh_column; 3] {
        [
            fixed(&self.elements, 4),
            strings(self.dictionary_text, &self.dictionary_ends),
            fixed(&self.maybe, 3),
        ]
    }

    /// The views, over `children` (from [`Buffers::children`], kept alive by the caller).
    fn columns(&self, children: &[bh_column; 3]) -> Vec<bh_column> {
        let parent = |kind, child: &bh_column| bh_column {
            kind,
            n_children: 1,
            children: child,
            ..fixed::<u8>(&[], 3)
        };
        vec![
            fixed(&self.ids, 3),
            strings(self.text, &self.text_ends),
            fixed(&self.enums, 3),
            bh_column {
                array_ends: self.array_ends.as_ptr(),
                ..parent(bh_column_kind::BH_ARRAY, &children[0])
            },
            bh_column {
                keys: self.keys.as_ptr(),
                ..parent(bh_column_kind::BH_LOW_CARDINALITY, &children[1])
            },
            bh_column {
                nulls: self.nulls.as_ptr(),
                ..parent(bh_column_kind::BH_NULLABLE, &children[2])
            },
        ]
    }
}

fn strings(data: &[u8], ends: &[usize]) -> bh_column {
    bh_column {
        kind: bh_column_kind::BH_STRINGS,
        data: data.as_ptr(),
        width: data.len(),
        ends: ends.as_ptr(),
        ..fixed::<u8>(&[], ends.len())
    }
}

#[test]
fn hostile_column_buffers_are_errors_naming_column_and_row_and_keep_nothing() {
    let setting = [bh_setting {
        name: c"allow_experimental_low_cardinality_type".as_ptr(),
        value: c"1".as_ptr(),
    }];
    // Each case spoils the buffers, or the views made over them.
    type SpoilBuffers = fn(&mut Buffers);
    type SpoilViews = fn(&mut [bh_column]);
    let cases: [(&str, SpoilBuffers, SpoilViews, &str); 12] = [
        (
            "`s` at row 5",
            |b| b.text_ends = [1, 0, 6],
            |_| {},
            "before the previous end",
        ),
        ("`s` at row 6", |b| b.text_ends = [1, 3, 7], |_| {}, "past the 6 bytes"),
        (
            "`e` at row 5",
            |b| b.enums = [1, 3, 1],
            |_| {},
            "3 is not a value of Enum8",
        ),
        (
            "`a` at row 6",
            |b| b.array_ends = [2, 2, 1],
            |_| {},
            "before the previous end",
        ),
        (
            "`lc` at row 6",
            |b| b.keys = [0, 1, 2],
            |_| {},
            "past the 2 dictionary entries",
        ),
        (
            "`lc` at row 5",
            |b| b.dictionary_text = b"x",
            |_| {},
            "past the 1 bytes",
        ),
        ("`nn` at row 5", |b| b.nulls = [0, 2, 0], |_| {}, "neither 0 nor 1"),
        ("`n` at row 4", |_| {}, |c| c[0].width = 4, "values of 4 bytes"),
        (
            "`s` at row 4",
            |_| {},
            |c| c[1].kind = bh_column_kind::BH_FIXED,
            "takes BH_STRINGS",
        ),
        ("`a` at row 4", |_| {}, |c| c[3].n_children = 0, "1 children expected"),
        ("`n` at row 4", |_| {}, |c| c[0].rows = 2, "2 values where 3"),
        ("`s` at row 4", |_| {}, |c| c[1].ends = null(), "`ends` is NULL"),
    ];
    for server in servers() {
        let options = low_cardinality_options(&server, &setting);
        let options: *const bh_query_options = options.as_ref().map_or(null(), std::ptr::from_ref);
        let table = common::unique_table("capi_hostile_columns");
        let connection = connect(server.port);
        let create = CString::new(format!(
            "CREATE TABLE {table} (n UInt64, s String, e Enum8('a' = 1, 'b' = 2), a Array(UInt8), \
             lc LowCardinality(String), nn Nullable(UInt8)) ENGINE = Memory"
        ))
        .unwrap();
        let insert_sql = CString::new(format!("INSERT INTO {table} VALUES")).unwrap();
        let mut error = null_mut();
        unsafe {
            assert_eq!(
                bh_execute(connection, create.as_ptr(), null(), 0, options, null_mut(), &mut error),
                0
            );
            let insert = bh_insert_begin(connection, insert_sql.as_ptr(), options, &mut error);
            assert!(!insert.is_null(), "{}: {:?}", server.name, take(error));
            let good = Buffers::good();
            let children = good.children();
            let columns = good.columns(&children);
            assert_eq!(
                bh_insert_append_columns(insert, columns.as_ptr(), 6, 3, &mut error),
                0,
                "{:?}",
                error
            );
            for (place, spoil_buffers, spoil_views, expected) in cases {
                let mut buffers = Buffers::good();
                spoil_buffers(&mut buffers);
                let children = buffers.children();
                let mut columns = buffers.columns(&children);
                spoil_views(&mut columns);
                assert_eq!(
                    bh_insert_append_columns(insert, columns.as_ptr(), 6, 3, &mut error),
                    -1,
                    "{place}"
                );
                let (sqlstate, _, message) = take(error);
                assert_eq!(sqlstate, "22018", "{}: {place}: {message}", server.name);
                assert!(
                    message.contains(place) && message.contains(expected),
                    "{}: {place}: {message}",
                    server.name
                );
            }
            // Wrong counts and NULLs are refused before anything is read.
            assert_eq!(bh_insert_append_columns(insert, columns.as_ptr(), 5, 3, &mut error), -1);
            assert_eq!(take(error).0, "07002");
            assert_eq!(bh_insert_append_columns(insert, null(), 6, 3, &mut error), -1);
            assert_eq!(take(error).0, "HY009");
            assert_eq!(
                bh_insert_append_columns(null_mut(), columns.as_ptr(), 6, 3, &mut error),
                -1
            );
            assert_eq!(take(error).0, "HY009");
            assert_eq!(
                bh_insert_append_columns(insert, columns.as_ptr(), usize::MAX, 3, &mut error),
                -1
            );
            assert_eq!(take(error).0, "HY009");
            let mut rows = 0;
            assert_eq!(bh_insert_finish(insert, &mut rows, &mut error), 0, "{}", server.name);
            assert_eq!(rows, 3, "{}", server.name);
            bh_insert_free(insert);
        }
        let stored = first_row(
            connection,
            &format!("SELECT toString(groupArray(tuple(n, s, e, a, lc, nn))) FROM (SELECT * FROM {table} ORDER BY n)"),
            null(),
        );
        assert_eq!(
            stored,
            ["[(1,'a','a',[1,2],'x',5),(2,'bc','b',[],'y',NULL),(3,'def','a',[3,4],'x',7)]"],
            "{}",
            server.name
        );
        execute(connection, &format!("DROP TABLE {table}"));
        unsafe { bh_connection_free(connection) };
    }
}
