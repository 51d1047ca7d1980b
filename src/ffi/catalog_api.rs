//! Catalog functions (ANSI and wide): thin entries that hand their names to [`run_catalog`] with the
//! function making the request of them (`crate::odbc::catalog` answers it).

use std::ffi::c_void;

use super::{SQL_SUCCESS, entry, read_texts};
use crate::odbc::catalog::{Filter, Request, empty};
use crate::odbc::diag::Diagnostic;
use crate::odbc::handles::Stmt;
use crate::odbc::text::CodeUnit;

/// SQL_NTS as a name length.
const NTS: i16 = -3;

/// SQL_INDEX_UNIQUE, SQLStatistics' request for unique indexes only.
const INDEX_UNIQUE: u16 = 0;

/// A catalog function's name arguments as read, in the order of its signature.
type Names<const N: usize> = [Option<String>; N];

/// Reads a catalog function's name arguments and runs the request `build` makes of them (with
/// SQL_ATTR_METADATA_ID).
///
/// # Safety
/// Each name must be null or valid for its length in characters (or NUL-terminated for SQL_NTS).
unsafe fn run_catalog<C: CodeUnit, const N: usize>(
    statement: *mut c_void,
    names: [*const C; N],
    lengths: [i16; N],
    build: impl FnOnce(Names<N>, bool) -> Request,
) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        let mut given = names.iter().zip(lengths);
        if let Some((_, length)) = given.find(|(name, length)| !name.is_null() && *length < 0 && *length != NTS) {
            return Err(Diagnostic::new("HY090", format!("invalid string length {length}")));
        }
        // SAFETY: forwarded from the caller.
        let names = unsafe { read_texts(names, lengths) };
        let mut state = stmt.state.lock();
        if state.pending.is_some() {
            return Err(Diagnostic::new(
                "HY010",
                "data-at-execution parameters are still awaited",
            ));
        }
        let metadata_id = state.metadata_id;
        stmt.catalog(&mut state, build(names, metadata_id))?;
        Ok(SQL_SUCCESS)
    })
}

fn tables([catalog, schema, table, types]: Names<4>, metadata_id: bool) -> Request {
    Request::Tables {
        catalog: Filter::pattern(catalog, metadata_id),
        schema: Filter::pattern(schema, metadata_id),
        table: Filter::pattern(table, metadata_id),
        types,
    }
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqltables-function>:
/// tables (and the special forms listing catalogs, schemas or table types).
///
/// # Safety
/// Each name must be null or valid for its length (or NUL-terminated for SQL_NTS).
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn SQLTables(
    statement: *mut c_void,
    catalog: *const u8,
    catalog_length: i16,
    schema: *const u8,
    schema_length: i16,
    table: *const u8,
    table_length: i16,
    types: *const u8,
    types_length: i16,
) -> i16 {
    let lengths = [catalog_length, schema_length, table_length, types_length];
    // SAFETY: forwarded from the caller.
    unsafe { run_catalog(statement, [catalog, schema, table, types], lengths, tables) }
}

/// Wide form of [`SQLTables`]; lengths count characters.
///
/// # Safety
/// As for [`SQLTables`].
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn SQLTablesW(
    statement: *mut c_void,
    catalog: *const u16,
    catalog_length: i16,
    schema: *const u16,
    schema_length: i16,
    table: *const u16,
    table_length: i16,
    types: *const u16,
    types_length: i16,
) -> i16 {
    let lengths = [catalog_length, schema_length, table_length, types_length];
    // SAFETY: forwarded from the caller.
    unsafe { run_catalog(statement, [catalog, schema, table, types], lengths, tables) }
}

fn columns([catalog, schema, table, column]: Names<4>, metadata_id: bool) -> Request {
    Request::Columns {
        catalog: Filter::exact(catalog),
        schema: Filter::pattern(schema, metadata_id),
        table: Filter::pattern(table, metadata_id),
        column: Filter::pattern(column, metadata_id),
    }
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlcolumns-function>:
/// the columns of tables, described as result columns are.
///
/// # Safety
/// Each name must be null or valid for its length (or NUL-terminated for SQL_NTS).
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn SQLColumns(
    statement: *mut c_void,
    catalog: *const u8,
    catalog_length: i16,
    schema: *const u8,
    schema_length: i16,
    table: *const u8,
    table_length: i16,
    column: *const u8,
    column_length: i16,
) -> i16 {
    let lengths = [catalog_length, schema_length, table_length, column_length];
    // SAFETY: forwarded from the caller.
    unsafe { run_catalog(statement, [catalog, schema, table, column], lengths, columns) }
}

/// Wide form of [`SQLColumns`]; lengths count characters.
///
/// # Safety
/// As for [`SQLColumns`].
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn SQLColumnsW(
    statement: *mut c_void,
    catalog: *const u16,
    catalog_length: i16,
    schema: *const u16,
    schema_length: i16,
    table: *const u16,
    table_length: i16,
    column: *const u16,
    column_length: i16,
) -> i16 {
    let lengths = [catalog_length, schema_length, table_length, column_length];
    // SAFETY: forwarded from the caller.
    unsafe { run_catalog(statement, [catalog, schema, table, column], lengths, columns) }
}

fn primary_keys([catalog, schema, table]: Names<3>, _metadata_id: bool) -> Request {
    Request::PrimaryKeys {
        catalog: Filter::exact(catalog),
        schema: Filter::exact(schema),
        table: Filter::exact(table),
    }
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlprimarykeys-function>:
/// the primary key's columns, in key order.
///
/// # Safety
/// Each name must be null or valid for its length (or NUL-terminated for SQL_NTS).
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn SQLPrimaryKeys(
    statement: *mut c_void,
    catalog: *const u8,
    catalog_length: i16,
    schema: *const u8,
    schema_length: i16,
    table: *const u8,
    table_length: i16,
) -> i16 {
    let lengths = [catalog_length, schema_length, table_length];
    // SAFETY: forwarded from the caller.
    unsafe { run_catalog(statement, [catalog, schema, table], lengths, primary_keys) }
}

/// Wide form of [`SQLPrimaryKeys`]; lengths count characters.
///
/// # Safety
/// As for [`SQLPrimaryKeys`].
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn SQLPrimaryKeysW(
    statement: *mut c_void,
    catalog: *const u16,
    catalog_length: i16,
    schema: *const u16,
    schema_length: i16,
    table: *const u16,
    table_length: i16,
) -> i16 {
    let lengths = [catalog_length, schema_length, table_length];
    // SAFETY: forwarded from the caller.
    unsafe { run_catalog(statement, [catalog, schema, table], lengths, primary_keys) }
}

/// SQLStatistics' request, for `unique` SQL_INDEX_UNIQUE or SQL_INDEX_ALL.
fn statistics(unique: u16) -> impl FnOnce(Names<3>, bool) -> Request {
    move |[catalog, schema, table], _| Request::Statistics {
        catalog: Filter::exact(catalog),
        schema: Filter::exact(schema),
        table: Filter::exact(table),
        unique_only: unique == INDEX_UNIQUE,
    }
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlstatistics-function>:
/// a table row and the sorting key as a non-unique index.
///
/// # Safety
/// Each name must be null or valid for its length (or NUL-terminated for SQL_NTS).
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn SQLStatistics(
    statement: *mut c_void,
    catalog: *const u8,
    catalog_length: i16,
    schema: *const u8,
    schema_length: i16,
    table: *const u8,
    table_length: i16,
    unique: u16,
    _reserved: u16,
) -> i16 {
    let lengths = [catalog_length, schema_length, table_length];
    // SAFETY: forwarded from the caller.
    unsafe { run_catalog(statement, [catalog, schema, table], lengths, statistics(unique)) }
}

/// Wide form of [`SQLStatistics`]; lengths count characters.
///
/// # Safety
/// As for [`SQLStatistics`].
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn SQLStatisticsW(
    statement: *mut c_void,
    catalog: *const u16,
    catalog_length: i16,
    schema: *const u16,
    schema_length: i16,
    table: *const u16,
    table_length: i16,
    unique: u16,
    _reserved: u16,
) -> i16 {
    let lengths = [catalog_length, schema_length, table_length];
    // SAFETY: forwarded from the caller.
    unsafe { run_catalog(statement, [catalog, schema, table], lengths, statistics(unique)) }
}

// The catalog functions whose answer is always empty.

fn special_columns(_: Names<3>, _: bool) -> Request {
    Request::Empty(empty::SPECIAL_COLUMNS)
}

fn foreign_keys(_: Names<6>, _: bool) -> Request {
    Request::Empty(empty::FOREIGN_KEYS)
}

fn procedures(_: Names<3>, _: bool) -> Request {
    Request::Empty(empty::PROCEDURES)
}

fn procedure_columns(_: Names<4>, _: bool) -> Request {
    Request::Empty(empty::PROCEDURE_COLUMNS)
}

fn table_privileges(_: Names<3>, _: bool) -> Request {
    Request::Empty(empty::TABLE_PRIVILEGES)
}

fn column_privileges(_: Names<4>, _: bool) -> Request {
    Request::Empty(empty::COLUMN_PRIVILEGES)
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlspecialcolumns-function>: none, for
/// every identifier type, scope and nullability: ClickHouse has no row identifier or row version.
///
/// # Safety
/// Each name must be null or valid for its length (or NUL-terminated for SQL_NTS).
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn SQLSpecialColumns(
    statement: *mut c_void,
    _identifier_type: u16,
    catalog: *const u8,
    catalog_length: i16,
    schema: *const u8,
    schema_length: i16,
    table: *const u8,
    table_length: i16,
    _scope: u16,
    _nullable: u16,
) -> i16 {
    let lengths = [catalog_length, schema_length, table_length];
    // SAFETY: forwarded from the caller.
    unsafe { run_catalog(statement, [catalog, schema, table], lengths, special_columns) }
}

/// Wide form of [`SQLSpecialColumns`]; lengths count characters.
///
/// # Safety
/// As for [`SQLSpecialColumns`].
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn SQLSpecialColumnsW(
    statement: *mut c_void,
    _identifier_type: u16,
    catalog: *const u16,
    catalog_length: i16,
    schema: *const u16,
    schema_length: i16,
    table: *const u16,
    table_length: i16,
    _scope: u16,
    _nullable: u16,
) -> i16 {
    let lengths = [catalog_length, schema_length, table_length];
    // SAFETY: forwarded from the caller.
    unsafe { run_catalog(statement, [catalog, schema, table], lengths, special_columns) }
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlforeignkeys-function>:
/// none: ClickHouse has no foreign keys.
///
/// # Safety
/// Each name must be null or valid for its length (or NUL-terminated for SQL_NTS).
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn SQLForeignKeys(
    statement: *mut c_void,
    pk_catalog: *const u8,
    pk_catalog_length: i16,
    pk_schema: *const u8,
    pk_schema_length: i16,
    pk_table: *const u8,
    pk_table_length: i16,
    fk_catalog: *const u8,
    fk_catalog_length: i16,
    fk_schema: *const u8,
    fk_schema_length: i16,
    fk_table: *const u8,
    fk_table_length: i16,
) -> i16 {
    let lengths = [
        pk_catalog_length,
        pk_schema_length,
        pk_table_length,
        fk_catalog_length,
        fk_schema_length,
        fk_table_length,
    ];
    // SAFETY: forwarded from the caller.
    unsafe {
        run_catalog(
            statement,
            [pk_catalog, pk_schema, pk_table, fk_catalog, fk_schema, fk_table],
            lengths,
            foreign_keys,
        )
    }
}

/// Wide form of [`SQLForeignKeys`]; lengths count characters.
///
/// # Safety
/// As for [`SQLForeignKeys`].
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn SQLForeignKeysW(
    statement: *mut c_void,
    pk_catalog: *const u16,
    pk_catalog_length: i16,
    pk_schema: *const u16,
    pk_schema_length: i16,
    pk_table: *const u16,
    pk_table_length: i16,
    fk_catalog: *const u16,
    fk_catalog_length: i16,
    fk_schema: *const u16,
    fk_schema_length: i16,
    fk_table: *const u16,
    fk_table_length: i16,
) -> i16 {
    let lengths = [
        pk_catalog_length,
        pk_schema_length,
        pk_table_length,
        fk_catalog_length,
        fk_schema_length,
        fk_table_length,
    ];
    // SAFETY: forwarded from the caller.
    unsafe {
        run_catalog(
            statement,
            [pk_catalog, pk_schema, pk_table, fk_catalog, fk_schema, fk_table],
            lengths,
            foreign_keys,
        )
    }
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlprocedures-function>:
/// none: ClickHouse has no stored procedures.
///
/// # Safety
/// Each name must be null or valid for its length (or NUL-terminated for SQL_NTS).
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn SQLProcedures(
    statement: *mut c_void,
    catalog: *const u8,
    catalog_length: i16,
    schema: *const u8,
    schema_length: i16,
    procedure: *const u8,
    procedure_length: i16,
) -> i16 {
    let lengths = [catalog_length, schema_length, procedure_length];
    // SAFETY: forwarded from the caller.
    unsafe { run_catalog(statement, [catalog, schema, procedure], lengths, procedures) }
}

/// Wide form of [`SQLProcedures`]; lengths count characters.
///
/// # Safety
/// As for [`SQLProcedures`].
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn SQLProceduresW(
    statement: *mut c_void,
    catalog: *const u16,
    catalog_length: i16,
    schema: *const u16,
    schema_length: i16,
    procedure: *const u16,
    procedure_length: i16,
) -> i16 {
    let lengths = [catalog_length, schema_length, procedure_length];
    // SAFETY: forwarded from the caller.
    unsafe { run_catalog(statement, [catalog, schema, procedure], lengths, procedures) }
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlprocedurecolumns-function>:
/// none: ClickHouse has no stored procedures.
///
/// # Safety
/// Each name must be null or valid for its length (or NUL-terminated for SQL_NTS).
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn SQLProcedureColumns(
    statement: *mut c_void,
    catalog: *const u8,
    catalog_length: i16,
    schema: *const u8,
    schema_length: i16,
    procedure: *const u8,
    procedure_length: i16,
    column: *const u8,
    column_length: i16,
) -> i16 {
    let lengths = [catalog_length, schema_length, procedure_length, column_length];
    // SAFETY: forwarded from the caller.
    unsafe {
        run_catalog(
            statement,
            [catalog, schema, procedure, column],
            lengths,
            procedure_columns,
        )
    }
}

/// Wide form of [`SQLProcedureColumns`]; lengths count characters.
///
/// # Safety
/// As for [`SQLProcedureColumns`].
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn SQLProcedureColumnsW(
    statement: *mut c_void,
    catalog: *const u16,
    catalog_length: i16,
    schema: *const u16,
    schema_length: i16,
    procedure: *const u16,
    procedure_length: i16,
    column: *const u16,
    column_length: i16,
) -> i16 {
    let lengths = [catalog_length, schema_length, procedure_length, column_length];
    // SAFETY: forwarded from the caller.
    unsafe {
        run_catalog(
            statement,
            [catalog, schema, procedure, column],
            lengths,
            procedure_columns,
        )
    }
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqltableprivileges-function>: none reported.
///
/// # Safety
/// Each name must be null or valid for its length (or NUL-terminated for SQL_NTS).
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn SQLTablePrivileges(
    statement: *mut c_void,
    catalog: *const u8,
    catalog_length: i16,
    schema: *const u8,
    schema_length: i16,
    table: *const u8,
    table_length: i16,
) -> i16 {
    let lengths = [catalog_length, schema_length, table_length];
    // SAFETY: forwarded from the caller.
    unsafe { run_catalog(statement, [catalog, schema, table], lengths, table_privileges) }
}

/// Wide form of [`SQLTablePrivileges`]; lengths count characters.
///
/// # Safety
/// As for [`SQLTablePrivileges`].
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn SQLTablePrivilegesW(
    statement: *mut c_void,
    catalog: *const u16,
    catalog_length: i16,
    schema: *const u16,
    schema_length: i16,
    table: *const u16,
    table_length: i16,
) -> i16 {
    let lengths = [catalog_length, schema_length, table_length];
    // SAFETY: forwarded from the caller.
    unsafe { run_catalog(statement, [catalog, schema, table], lengths, table_privileges) }
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlcolumnprivileges-function>: none reported.
///
/// # Safety
/// Each name must be null or valid for its length (or NUL-terminated for SQL_NTS).
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn SQLColumnPrivileges(
    statement: *mut c_void,
    catalog: *const u8,
    catalog_length: i16,
    schema: *const u8,
    schema_length: i16,
    table: *const u8,
    table_length: i16,
    column: *const u8,
    column_length: i16,
) -> i16 {
    let lengths = [catalog_length, schema_length, table_length, column_length];
    // SAFETY: forwarded from the caller.
    unsafe { run_catalog(statement, [catalog, schema, table, column], lengths, column_privileges) }
}

/// Wide form of [`SQLColumnPrivileges`]; lengths count characters.
///
/// # Safety
/// As for [`SQLColumnPrivileges`].
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn SQLColumnPrivilegesW(
    statement: *mut c_void,
    catalog: *const u16,
    catalog_length: i16,
    schema: *const u16,
    schema_length: i16,
    table: *const u16,
    table_length: i16,
    column: *const u16,
    column_length: i16,
) -> i16 {
    let lengths = [catalog_length, schema_length, table_length, column_length];
    // SAFETY: forwarded from the caller.
    unsafe { run_catalog(statement, [catalog, schema, table, column], lengths, column_privileges) }
}
