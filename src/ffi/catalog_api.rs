//! Catalog functions (ANSI and wide): thin entries over `crate::odbc::catalog`.

use std::ffi::c_void;

use super::{SQL_SUCCESS, entry};
use crate::odbc::catalog::{Filter, Request, empty};
use crate::odbc::diag::Diagnostic;
use crate::odbc::handles::Stmt;
use crate::odbc::text::{Encoding, read_input};

/// SQL_NTS as a name length.
const NTS: i16 = -3;

/// SQL_INDEX_UNIQUE, SQLStatistics' request for unique indexes only.
const INDEX_UNIQUE: u16 = 0;

/// Reads a catalog function's name arguments and runs the request `build` makes of them (with
/// SQL_ATTR_METADATA_ID).
///
/// # Safety
/// Each argument must be null or valid for its length in characters (or NUL-terminated).
unsafe fn catalog<const N: usize>(
    statement: *mut c_void,
    arguments: [(*const u8, i16); N],
    encoding: Encoding,
    build: impl FnOnce([Option<String>; N], bool) -> Request,
) -> i16 {
    entry::<Stmt>(statement, |stmt| {
        if let Some((_, length)) = arguments
            .iter()
            .find(|(text, length)| !text.is_null() && *length < 0 && *length != NTS)
        {
            return Err(Diagnostic::new("HY090", format!("invalid string length {length}")));
        }
        // SAFETY: forwarded from the caller.
        let names = arguments.map(|(text, length)| unsafe { read_input(text, length.into(), encoding) });
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

/// # Safety
/// As for [`catalog`].
unsafe fn tables(statement: *mut c_void, arguments: [(*const u8, i16); 4], encoding: Encoding) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe {
        catalog(
            statement,
            arguments,
            encoding,
            |[catalog, schema, table, types], metadata_id| Request::Tables {
                catalog: Filter::pattern(catalog, metadata_id),
                schema: Filter::pattern(schema, metadata_id),
                table: Filter::pattern(table, metadata_id),
                types,
            },
        )
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
    // SAFETY: forwarded from the caller.
    unsafe {
        tables(
            statement,
            [
                (catalog, catalog_length),
                (schema, schema_length),
                (table, table_length),
                (types, types_length),
            ],
            Encoding::Utf8,
        )
    }
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
    // SAFETY: forwarded from the caller.
    unsafe {
        tables(
            statement,
            [
                (catalog.cast(), catalog_length),
                (schema.cast(), schema_length),
                (table.cast(), table_length),
                (types.cast(), types_length),
            ],
            Encoding::wide(),
        )
    }
}

/// # Safety
/// As for [`catalog`].
unsafe fn columns(statement: *mut c_void, arguments: [(*const u8, i16); 4], encoding: Encoding) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe {
        catalog(
            statement,
            arguments,
            encoding,
            |[catalog, schema, table, column], metadata_id| Request::Columns {
                catalog: Filter::exact(catalog),
                schema: Filter::pattern(schema, metadata_id),
                table: Filter::pattern(table, metadata_id),
                column: Filter::pattern(column, metadata_id),
            },
        )
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
    // SAFETY: forwarded from the caller.
    unsafe {
        columns(
            statement,
            [
                (catalog, catalog_length),
                (schema, schema_length),
                (table, table_length),
                (column, column_length),
            ],
            Encoding::Utf8,
        )
    }
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
    // SAFETY: forwarded from the caller.
    unsafe {
        columns(
            statement,
            [
                (catalog.cast(), catalog_length),
                (schema.cast(), schema_length),
                (table.cast(), table_length),
                (column.cast(), column_length),
            ],
            Encoding::wide(),
        )
    }
}

/// # Safety
/// As for [`catalog`].
unsafe fn primary_keys(statement: *mut c_void, arguments: [(*const u8, i16); 3], encoding: Encoding) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe {
        catalog(statement, arguments, encoding, |[catalog, schema, table], _| {
            Request::PrimaryKeys {
                catalog: Filter::exact(catalog),
                schema: Filter::exact(schema),
                table: Filter::exact(table),
            }
        })
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
    // SAFETY: forwarded from the caller.
    unsafe {
        primary_keys(
            statement,
            [
                (catalog, catalog_length),
                (schema, schema_length),
                (table, table_length),
            ],
            Encoding::Utf8,
        )
    }
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
    // SAFETY: forwarded from the caller.
    unsafe {
        primary_keys(
            statement,
            [
                (catalog.cast(), catalog_length),
                (schema.cast(), schema_length),
                (table.cast(), table_length),
            ],
            Encoding::wide(),
        )
    }
}

/// # Safety
/// As for [`catalog`].
unsafe fn statistics(
    statement: *mut c_void,
    arguments: [(*const u8, i16); 3],
    encoding: Encoding,
    unique: u16,
    _reserved: u16,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe {
        catalog(statement, arguments, encoding, |[catalog, schema, table], _| {
            Request::Statistics {
                catalog: Filter::exact(catalog),
                schema: Filter::exact(schema),
                table: Filter::exact(table),
                unique_only: unique == INDEX_UNIQUE,
            }
        })
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
    // SAFETY: forwarded from the caller.
    unsafe {
        statistics(
            statement,
            [
                (catalog, catalog_length),
                (schema, schema_length),
                (table, table_length),
            ],
            Encoding::Utf8,
            unique,
            _reserved,
        )
    }
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
    // SAFETY: forwarded from the caller.
    unsafe {
        statistics(
            statement,
            [
                (catalog.cast(), catalog_length),
                (schema.cast(), schema_length),
                (table.cast(), table_length),
            ],
            Encoding::wide(),
            unique,
            _reserved,
        )
    }
}

/// # Safety
/// As for [`catalog`].
unsafe fn special_columns(statement: *mut c_void, arguments: [(*const u8, i16); 3], encoding: Encoding) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe {
        catalog(statement, arguments, encoding, |_, _| {
            Request::Empty(empty::SPECIAL_COLUMNS)
        })
    }
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
    let names = [
        (catalog, catalog_length),
        (schema, schema_length),
        (table, table_length),
    ];
    // SAFETY: forwarded from the caller.
    unsafe { special_columns(statement, names, Encoding::Utf8) }
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
    let names = [
        (catalog.cast(), catalog_length),
        (schema.cast(), schema_length),
        (table.cast(), table_length),
    ];
    // SAFETY: forwarded from the caller.
    unsafe { special_columns(statement, names, Encoding::wide()) }
}

/// # Safety
/// As for [`catalog`].
unsafe fn foreign_keys(statement: *mut c_void, arguments: [(*const u8, i16); 6], encoding: Encoding) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe {
        catalog(statement, arguments, encoding, |_, _| {
            Request::Empty(empty::FOREIGN_KEYS)
        })
    }
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
    // SAFETY: forwarded from the caller.
    unsafe {
        foreign_keys(
            statement,
            [
                (pk_catalog, pk_catalog_length),
                (pk_schema, pk_schema_length),
                (pk_table, pk_table_length),
                (fk_catalog, fk_catalog_length),
                (fk_schema, fk_schema_length),
                (fk_table, fk_table_length),
            ],
            Encoding::Utf8,
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
    // SAFETY: forwarded from the caller.
    unsafe {
        foreign_keys(
            statement,
            [
                (pk_catalog.cast(), pk_catalog_length),
                (pk_schema.cast(), pk_schema_length),
                (pk_table.cast(), pk_table_length),
                (fk_catalog.cast(), fk_catalog_length),
                (fk_schema.cast(), fk_schema_length),
                (fk_table.cast(), fk_table_length),
            ],
            Encoding::wide(),
        )
    }
}

/// # Safety
/// As for [`catalog`].
unsafe fn procedures(statement: *mut c_void, arguments: [(*const u8, i16); 3], encoding: Encoding) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { catalog(statement, arguments, encoding, |_, _| Request::Empty(empty::PROCEDURES)) }
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
    // SAFETY: forwarded from the caller.
    unsafe {
        procedures(
            statement,
            [
                (catalog, catalog_length),
                (schema, schema_length),
                (procedure, procedure_length),
            ],
            Encoding::Utf8,
        )
    }
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
    // SAFETY: forwarded from the caller.
    unsafe {
        procedures(
            statement,
            [
                (catalog.cast(), catalog_length),
                (schema.cast(), schema_length),
                (procedure.cast(), procedure_length),
            ],
            Encoding::wide(),
        )
    }
}

/// # Safety
/// As for [`catalog`].
unsafe fn procedure_columns(statement: *mut c_void, arguments: [(*const u8, i16); 4], encoding: Encoding) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe {
        catalog(statement, arguments, encoding, |_, _| {
            Request::Empty(empty::PROCEDURE_COLUMNS)
        })
    }
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
    // SAFETY: forwarded from the caller.
    unsafe {
        procedure_columns(
            statement,
            [
                (catalog, catalog_length),
                (schema, schema_length),
                (procedure, procedure_length),
                (column, column_length),
            ],
            Encoding::Utf8,
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
    // SAFETY: forwarded from the caller.
    unsafe {
        procedure_columns(
            statement,
            [
                (catalog.cast(), catalog_length),
                (schema.cast(), schema_length),
                (procedure.cast(), procedure_length),
                (column.cast(), column_length),
            ],
            Encoding::wide(),
        )
    }
}

/// # Safety
/// As for [`catalog`].
unsafe fn table_privileges(statement: *mut c_void, arguments: [(*const u8, i16); 3], encoding: Encoding) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe {
        catalog(statement, arguments, encoding, |_, _| {
            Request::Empty(empty::TABLE_PRIVILEGES)
        })
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
    // SAFETY: forwarded from the caller.
    unsafe {
        table_privileges(
            statement,
            [
                (catalog, catalog_length),
                (schema, schema_length),
                (table, table_length),
            ],
            Encoding::Utf8,
        )
    }
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
    // SAFETY: forwarded from the caller.
    unsafe {
        table_privileges(
            statement,
            [
                (catalog.cast(), catalog_length),
                (schema.cast(), schema_length),
                (table.cast(), table_length),
            ],
            Encoding::wide(),
        )
    }
}

/// # Safety
/// As for [`catalog`].
unsafe fn column_privileges(statement: *mut c_void, arguments: [(*const u8, i16); 4], encoding: Encoding) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe {
        catalog(statement, arguments, encoding, |_, _| {
            Request::Empty(empty::COLUMN_PRIVILEGES)
        })
    }
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
    // SAFETY: forwarded from the caller.
    unsafe {
        column_privileges(
            statement,
            [
                (catalog, catalog_length),
                (schema, schema_length),
                (table, table_length),
                (column, column_length),
            ],
            Encoding::Utf8,
        )
    }
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
    // SAFETY: forwarded from the caller.
    unsafe {
        column_privileges(
            statement,
            [
                (catalog.cast(), catalog_length),
                (schema.cast(), schema_length),
                (table.cast(), table_length),
                (column.cast(), column_length),
            ],
            Encoding::wide(),
        )
    }
}
