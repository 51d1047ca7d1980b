//! SQLGetInfo(W) and SQLGetFunctions.

use std::ffi::c_void;

use super::{SQL_SUCCESS, entry, with_warning, write_string_in_bytes};
use crate::odbc::diag::Diagnostic;
use crate::odbc::handles::Dbc;
use crate::odbc::text::Encoding;

/// Every ODBC function this library exports, by SQL_API_* number. SQLGetFunctions answers from this
/// list, and the driver manager hides whatever it leaves out, so it must match the exports exactly
/// (a test compares it with the library's symbols).
pub const EXPORTED_FUNCTIONS: &[(u16, &str)] = &[
    (1, "SQLAllocConnect"),
    (2, "SQLAllocEnv"),
    (3, "SQLAllocStmt"),
    (4, "SQLBindCol"),
    (5, "SQLCancel"),
    (6, "SQLColAttribute"),
    (6, "SQLColAttributes"),
    (7, "SQLConnect"),
    (8, "SQLDescribeCol"),
    (9, "SQLDisconnect"),
    (10, "SQLError"),
    (11, "SQLExecDirect"),
    (12, "SQLExecute"),
    (13, "SQLFetch"),
    (14, "SQLFreeConnect"),
    (15, "SQLFreeEnv"),
    (16, "SQLFreeStmt"),
    (17, "SQLGetCursorName"),
    (18, "SQLNumResultCols"),
    (19, "SQLPrepare"),
    (20, "SQLRowCount"),
    (21, "SQLSetCursorName"),
    (22, "SQLSetParam"),
    (23, "SQLTransact"),
    (40, "SQLColumns"),
    (41, "SQLDriverConnect"),
    (42, "SQLGetConnectOption"),
    (43, "SQLGetData"),
    (44, "SQLGetFunctions"),
    (45, "SQLGetInfo"),
    (46, "SQLGetStmtOption"),
    (47, "SQLGetTypeInfo"),
    (48, "SQLParamData"),
    (49, "SQLPutData"),
    (50, "SQLSetConnectOption"),
    (51, "SQLSetStmtOption"),
    (52, "SQLSpecialColumns"),
    (53, "SQLStatistics"),
    (54, "SQLTables"),
    (56, "SQLColumnPrivileges"),
    (58, "SQLDescribeParam"),
    (59, "SQLExtendedFetch"),
    (60, "SQLForeignKeys"),
    (61, "SQLMoreResults"),
    (62, "SQLNativeSql"),
    (63, "SQLNumParams"),
    (64, "SQLParamOptions"),
    (65, "SQLPrimaryKeys"),
    (66, "SQLProcedureColumns"),
    (67, "SQLProcedures"),
    (70, "SQLTablePrivileges"),
    (72, "SQLBindParameter"),
    (1001, "SQLAllocHandle"),
    (1003, "SQLCloseCursor"),
    (1004, "SQLCopyDesc"),
    (1005, "SQLEndTran"),
    (1006, "SQLFreeHandle"),
    (1007, "SQLGetConnectAttr"),
    (1008, "SQLGetDescField"),
    (1009, "SQLGetDescRec"),
    (1010, "SQLGetDiagField"),
    (1011, "SQLGetDiagRec"),
    (1012, "SQLGetEnvAttr"),
    (1014, "SQLGetStmtAttr"),
    (1016, "SQLSetConnectAttr"),
    (1017, "SQLSetDescField"),
    (1018, "SQLSetDescRec"),
    (1019, "SQLSetEnvAttr"),
    (1020, "SQLSetStmtAttr"),
    (1021, "SQLFetchScroll"),
];

const API_ALL_FUNCTIONS: u16 = 0;
const API_ODBC3_ALL_FUNCTIONS: u16 = 999;
const ODBC3_BITMAP_WORDS: usize = 250;
const ODBC2_TABLE_SIZE: usize = 100;

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlgetfunctions-function>
///
/// # Safety
/// `supported` must hold 250 (ODBC 3 bitmap), 100 (ODBC 2 table) or 1 SQLUSMALLINT.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetFunctions(connection: *mut c_void, function: u16, supported: *mut u16) -> i16 {
    entry::<Dbc>(connection, |_| {
        if supported.is_null() {
            return Err(Diagnostic::new("HY009", "invalid use of null pointer"));
        }
        let ids = EXPORTED_FUNCTIONS.iter().map(|(id, _)| usize::from(*id));
        match function {
            API_ODBC3_ALL_FUNCTIONS => {
                let mut bitmap = [0u16; ODBC3_BITMAP_WORDS];
                for id in ids {
                    bitmap[id >> 4] |= 1 << (id & 15);
                }
                // SAFETY: the caller promises room for the bitmap.
                unsafe { std::ptr::copy_nonoverlapping(bitmap.as_ptr(), supported, ODBC3_BITMAP_WORDS) };
            }
            API_ALL_FUNCTIONS => {
                let mut table = [0u16; ODBC2_TABLE_SIZE];
                for id in ids.filter(|&id| id < ODBC2_TABLE_SIZE) {
                    table[id] = 1;
                }
                // SAFETY: the caller promises room for the table.
                unsafe { std::ptr::copy_nonoverlapping(table.as_ptr(), supported, ODBC2_TABLE_SIZE) };
            }
            single => {
                let known = EXPORTED_FUNCTIONS.iter().any(|(id, _)| *id == single);
                // SAFETY: the caller promises room for one value.
                unsafe { supported.write_unaligned(u16::from(known)) };
            }
        }
        Ok(SQL_SUCCESS)
    })
}

/// An SQLGetInfo answer: text, or an integer of the width the info type prescribes.
enum Info {
    Text(String),
    /// An SQLUSMALLINT.
    Small(u16),
    /// An SQLUINTEGER: a value or a bitmask.
    Integer(u32),
}

/// Every information type of ODBC 3.8's sql.h and sqlext.h, by its ODBC 3 name without `SQL_`,
/// plus the ODBC 1 SQL_DATABASE_NAME that only older headers define.
mod info {
    // The driver, the server and what they conform to.
    pub const DATA_SOURCE_NAME: u16 = 2;
    pub const DRIVER_NAME: u16 = 6;
    pub const DRIVER_VER: u16 = 7;
    pub const ODBC_API_CONFORMANCE: u16 = 9;
    pub const ODBC_SAG_CLI_CONFORMANCE: u16 = 12;
    pub const SERVER_NAME: u16 = 13;
    pub const ODBC_SQL_CONFORMANCE: u16 = 15;
    pub const DATABASE_NAME: u16 = 16;
    pub const DBMS_NAME: u16 = 17;
    pub const DBMS_VER: u16 = 18;
    pub const USER_NAME: u16 = 47;
    pub const DRIVER_ODBC_VER: u16 = 77;
    pub const SQL_CONFORMANCE: u16 = 118;
    pub const ODBC_INTERFACE_CONFORMANCE: u16 = 152;
    pub const STANDARD_CLI_CONFORMANCE: u16 = 166;
    pub const XOPEN_CLI_YEAR: u16 = 10000;

    // Answered by the driver manager alone.
    pub const DRIVER_HDBC: u16 = 3;
    pub const DRIVER_HENV: u16 = 4;
    pub const DRIVER_HSTMT: u16 = 5;
    pub const ODBC_VER: u16 = 10;
    pub const DRIVER_HLIB: u16 = 76;
    pub const DRIVER_HDESC: u16 = 135;
    pub const DM_VER: u16 = 171;

    // Limits.
    pub const MAX_DRIVER_CONNECTIONS: u16 = 0;
    pub const MAX_CONCURRENT_ACTIVITIES: u16 = 1;
    pub const MAX_COLUMN_NAME_LEN: u16 = 30;
    pub const MAX_CURSOR_NAME_LEN: u16 = 31;
    pub const MAX_SCHEMA_NAME_LEN: u16 = 32;
    pub const MAX_PROCEDURE_NAME_LEN: u16 = 33;
    pub const MAX_CATALOG_NAME_LEN: u16 = 34;
    pub const MAX_TABLE_NAME_LEN: u16 = 35;
    pub const MAX_COLUMNS_IN_GROUP_BY: u16 = 97;
    pub const MAX_COLUMNS_IN_INDEX: u16 = 98;
    pub const MAX_COLUMNS_IN_ORDER_BY: u16 = 99;
    pub const MAX_COLUMNS_IN_SELECT: u16 = 100;
    pub const MAX_COLUMNS_IN_TABLE: u16 = 101;
    pub const MAX_INDEX_SIZE: u16 = 102;
    pub const MAX_ROW_SIZE_INCLUDES_LONG: u16 = 103;
    pub const MAX_ROW_SIZE: u16 = 104;
    pub const MAX_STATEMENT_LEN: u16 = 105;
    pub const MAX_TABLES_IN_SELECT: u16 = 106;
    pub const MAX_USER_NAME_LEN: u16 = 107;
    pub const MAX_CHAR_LITERAL_LEN: u16 = 108;
    pub const MAX_BINARY_LITERAL_LEN: u16 = 112;
    pub const ACTIVE_ENVIRONMENTS: u16 = 116;
    pub const MAX_IDENTIFIER_LEN: u16 = 10005;
    pub const MAX_ASYNC_CONCURRENT_STATEMENTS: u16 = 10022;

    // Names: catalogs, schemas, identifiers.
    pub const SEARCH_PATTERN_ESCAPE: u16 = 14;
    pub const ACCESSIBLE_TABLES: u16 = 19;
    pub const ACCESSIBLE_PROCEDURES: u16 = 20;
    pub const PROCEDURES: u16 = 21;
    pub const DATA_SOURCE_READ_ONLY: u16 = 25;
    pub const IDENTIFIER_CASE: u16 = 28;
    pub const IDENTIFIER_QUOTE_CHAR: u16 = 29;
    pub const SCHEMA_TERM: u16 = 39;
    pub const PROCEDURE_TERM: u16 = 40;
    pub const CATALOG_NAME_SEPARATOR: u16 = 41;
    pub const CATALOG_TERM: u16 = 42;
    pub const TABLE_TERM: u16 = 45;
    pub const FILE_USAGE: u16 = 84;
    pub const KEYWORDS: u16 = 89;
    pub const SCHEMA_USAGE: u16 = 91;
    pub const CATALOG_USAGE: u16 = 92;
    pub const QUOTED_IDENTIFIER_CASE: u16 = 93;
    pub const SPECIAL_CHARACTERS: u16 = 94;
    pub const CATALOG_LOCATION: u16 = 114;
    pub const INFO_SCHEMA_VIEWS: u16 = 149;
    pub const CATALOG_NAME: u16 = 10003;
    pub const COLLATION_SEQ: u16 = 10004;

    // Transactions.
    pub const CURSOR_COMMIT_BEHAVIOR: u16 = 23;
    pub const CURSOR_ROLLBACK_BEHAVIOR: u16 = 24;
    pub const DEFAULT_TXN_ISOLATION: u16 = 26;
    pub const MULTIPLE_ACTIVE_TXN: u16 = 37;
    pub const TXN_CAPABLE: u16 = 46;
    pub const TXN_ISOLATION_OPTION: u16 = 72;
    pub const DTC_TRANSITION_COST: u16 = 1750;

    // Cursors and fetching.
    pub const FETCH_DIRECTION: u16 = 8;
    pub const ROW_UPDATES: u16 = 11;
    pub const MULT_RESULT_SETS: u16 = 36;
    pub const SCROLL_CONCURRENCY: u16 = 43;
    pub const SCROLL_OPTIONS: u16 = 44;
    pub const LOCK_TYPES: u16 = 78;
    pub const POS_OPERATIONS: u16 = 79;
    pub const POSITIONED_STATEMENTS: u16 = 80;
    pub const GETDATA_EXTENSIONS: u16 = 81;
    pub const BOOKMARK_PERSISTENCE: u16 = 82;
    pub const STATIC_SENSITIVITY: u16 = 83;
    pub const DYNAMIC_CURSOR_ATTRIBUTES1: u16 = 144;
    pub const DYNAMIC_CURSOR_ATTRIBUTES2: u16 = 145;
    pub const FORWARD_ONLY_CURSOR_ATTRIBUTES1: u16 = 146;
    pub const FORWARD_ONLY_CURSOR_ATTRIBUTES2: u16 = 147;
    pub const KEYSET_CURSOR_ATTRIBUTES1: u16 = 150;
    pub const KEYSET_CURSOR_ATTRIBUTES2: u16 = 151;
    pub const STATIC_CURSOR_ATTRIBUTES1: u16 = 167;
    pub const STATIC_CURSOR_ATTRIBUTES2: u16 = 168;
    pub const CURSOR_SENSITIVITY: u16 = 10001;

    // Statements, parameters, asynchronous execution, pooling.
    pub const NEED_LONG_DATA_LEN: u16 = 111;
    pub const BATCH_ROW_COUNT: u16 = 120;
    pub const BATCH_SUPPORT: u16 = 121;
    pub const PARAM_ARRAY_ROW_COUNTS: u16 = 153;
    pub const PARAM_ARRAY_SELECTS: u16 = 154;
    pub const DESCRIBE_PARAMETER: u16 = 10002;
    pub const ASYNC_MODE: u16 = 10021;
    pub const ASYNC_DBC_FUNCTIONS: u16 = 10023;
    pub const DRIVER_AWARE_POOLING_SUPPORTED: u16 = 10024;
    pub const ASYNC_NOTIFICATION: u16 = 10025;

    // SQL: queries, DDL, SQL-92 features.
    pub const CONCAT_NULL_BEHAVIOR: u16 = 22;
    pub const EXPRESSIONS_IN_ORDERBY: u16 = 27;
    pub const OUTER_JOINS: u16 = 38;
    pub const INTEGRITY: u16 = 73;
    pub const CORRELATION_NAME: u16 = 74;
    pub const NON_NULLABLE_COLUMNS: u16 = 75;
    pub const NULL_COLLATION: u16 = 85;
    pub const ALTER_TABLE: u16 = 86;
    pub const COLUMN_ALIAS: u16 = 87;
    pub const GROUP_BY: u16 = 88;
    pub const ORDER_BY_COLUMNS_IN_SELECT: u16 = 90;
    pub const SUBQUERIES: u16 = 95;
    pub const UNION: u16 = 96;
    pub const LIKE_ESCAPE_CLAUSE: u16 = 113;
    pub const OJ_CAPABILITIES: u16 = 115;
    pub const ALTER_DOMAIN: u16 = 117;
    pub const DATETIME_LITERALS: u16 = 119;
    pub const CREATE_ASSERTION: u16 = 127;
    pub const CREATE_CHARACTER_SET: u16 = 128;
    pub const CREATE_COLLATION: u16 = 129;
    pub const CREATE_DOMAIN: u16 = 130;
    pub const CREATE_SCHEMA: u16 = 131;
    pub const CREATE_TABLE: u16 = 132;
    pub const CREATE_TRANSLATION: u16 = 133;
    pub const CREATE_VIEW: u16 = 134;
    pub const DROP_ASSERTION: u16 = 136;
    pub const DROP_CHARACTER_SET: u16 = 137;
    pub const DROP_COLLATION: u16 = 138;
    pub const DROP_DOMAIN: u16 = 139;
    pub const DROP_SCHEMA: u16 = 140;
    pub const DROP_TABLE: u16 = 141;
    pub const DROP_TRANSLATION: u16 = 142;
    pub const DROP_VIEW: u16 = 143;
    pub const INDEX_KEYWORDS: u16 = 148;
    pub const SQL92_DATETIME_FUNCTIONS: u16 = 155;
    pub const SQL92_FOREIGN_KEY_DELETE_RULE: u16 = 156;
    pub const SQL92_FOREIGN_KEY_UPDATE_RULE: u16 = 157;
    pub const SQL92_GRANT: u16 = 158;
    pub const SQL92_NUMERIC_VALUE_FUNCTIONS: u16 = 159;
    pub const SQL92_PREDICATES: u16 = 160;
    pub const SQL92_RELATIONAL_JOIN_OPERATORS: u16 = 161;
    pub const SQL92_REVOKE: u16 = 162;
    pub const SQL92_ROW_VALUE_CONSTRUCTOR: u16 = 163;
    pub const SQL92_STRING_FUNCTIONS: u16 = 164;
    pub const SQL92_VALUE_EXPRESSIONS: u16 = 165;
    pub const AGGREGATE_FUNCTIONS: u16 = 169;
    pub const DDL_INDEX: u16 = 170;
    pub const INSERT_STATEMENT: u16 = 172;

    // Scalar functions ({fn ...}) and the conversions of {fn CONVERT(...)}.
    pub const CONVERT_FUNCTIONS: u16 = 48;
    pub const NUMERIC_FUNCTIONS: u16 = 49;
    pub const STRING_FUNCTIONS: u16 = 50;
    pub const SYSTEM_FUNCTIONS: u16 = 51;
    pub const TIMEDATE_FUNCTIONS: u16 = 52;
    pub const CONVERT_BIGINT: u16 = 53;
    pub const CONVERT_BINARY: u16 = 54;
    pub const CONVERT_BIT: u16 = 55;
    pub const CONVERT_CHAR: u16 = 56;
    pub const CONVERT_DATE: u16 = 57;
    pub const CONVERT_DECIMAL: u16 = 58;
    pub const CONVERT_DOUBLE: u16 = 59;
    pub const CONVERT_FLOAT: u16 = 60;
    pub const CONVERT_INTEGER: u16 = 61;
    pub const CONVERT_LONGVARCHAR: u16 = 62;
    pub const CONVERT_NUMERIC: u16 = 63;
    pub const CONVERT_REAL: u16 = 64;
    pub const CONVERT_SMALLINT: u16 = 65;
    pub const CONVERT_TIME: u16 = 66;
    pub const CONVERT_TIMESTAMP: u16 = 67;
    pub const CONVERT_TINYINT: u16 = 68;
    pub const CONVERT_VARBINARY: u16 = 69;
    pub const CONVERT_VARCHAR: u16 = 70;
    pub const CONVERT_LONGVARBINARY: u16 = 71;
    pub const TIMEDATE_ADD_INTERVALS: u16 = 109;
    pub const TIMEDATE_DIFF_INTERVALS: u16 = 110;
    pub const CONVERT_WCHAR: u16 = 122;
    pub const CONVERT_INTERVAL_DAY_TIME: u16 = 123;
    pub const CONVERT_INTERVAL_YEAR_MONTH: u16 = 124;
    pub const CONVERT_WLONGVARCHAR: u16 = 125;
    pub const CONVERT_WVARCHAR: u16 = 126;
    pub const CONVERT_GUID: u16 = 173;
}

/// The values and bits of the answers used here, by their sql.h and sqlext.h names without `SQL_`.
mod value {
    // SQLUSMALLINT values.
    pub const CB_NULL: u16 = 0;
    pub const CB_PRESERVE: u16 = 2;
    pub const CL_START: u16 = 1;
    pub const CN_ANY: u16 = 2;
    pub const FILE_NOT_SUPPORTED: u16 = 0;
    pub const GB_GROUP_BY_CONTAINS_SELECT: u16 = 2;
    pub const IC_SENSITIVE: u16 = 3;
    pub const NC_END: u16 = 4;
    pub const NNC_NON_NULL: u16 = 1;
    pub const OAC_LEVEL1: u16 = 1;
    pub const OSC_MINIMUM: u16 = 0;
    pub const OSCC_NOT_COMPLIANT: u16 = 0;
    pub const TC_NONE: u16 = 0;

    // SQLUINTEGER values.
    pub const AM_NONE: u32 = 0;
    pub const ASYNC_DBC_NOT_CAPABLE: u32 = 0;
    pub const ASYNC_NOTIFICATION_NOT_CAPABLE: u32 = 0;
    pub const DRIVER_AWARE_POOLING_NOT_CAPABLE: u32 = 0;
    pub const INSENSITIVE: u32 = 1;
    pub const OIC_CORE: u32 = 1;
    pub const PARC_NO_BATCH: u32 = 2;
    pub const PAS_NO_SELECT: u32 = 3;

    // SQLUINTEGER bitmasks.
    pub const AF_AVG: u32 = 0x01;
    pub const AF_COUNT: u32 = 0x02;
    pub const AF_MAX: u32 = 0x04;
    pub const AF_MIN: u32 = 0x08;
    pub const AF_SUM: u32 = 0x10;
    pub const AT_ADD_COLUMN: u32 = 0x01;
    pub const AT_DROP_COLUMN: u32 = 0x02;
    pub const AT_ADD_COLUMN_SINGLE: u32 = 0x20;
    pub const AT_ADD_COLUMN_DEFAULT: u32 = 0x40;
    pub const CA1_NEXT: u32 = 0x01;
    pub const CA2_READ_ONLY_CONCURRENCY: u32 = 0x01;
    pub const CT_CREATE_TABLE: u32 = 0x01;
    pub const CT_COLUMN_DEFAULT: u32 = 0x400;
    pub const CU_DML_STATEMENTS: u32 = 0x01;
    pub const CU_TABLE_DEFINITION: u32 = 0x04;
    pub const CV_CREATE_VIEW: u32 = 0x01;
    pub const DT_DROP_TABLE: u32 = 0x01;
    pub const FD_FETCH_NEXT: u32 = 0x01;
    pub const GD_ANY_COLUMN: u32 = 0x01;
    pub const GD_ANY_ORDER: u32 = 0x02;
    pub const GD_BOUND: u32 = 0x08;
    pub const IK_NONE: u32 = 0;
    pub const IS_INSERT_LITERALS: u32 = 0x01;
    pub const IS_INSERT_SEARCHED: u32 = 0x02;
    pub const OJ_LEFT: u32 = 0x01;
    pub const OJ_NOT_ORDERED: u32 = 0x10;
    pub const SC_SQL92_ENTRY: u32 = 0x01;
    pub const SCCO_READ_ONLY: u32 = 0x01;
    pub const SNVF_CHAR_LENGTH: u32 = 0x02;
    pub const SNVF_CHARACTER_LENGTH: u32 = 0x04;
    pub const SNVF_EXTRACT: u32 = 0x08;
    pub const SO_FORWARD_ONLY: u32 = 0x01;
    pub const SP_ISNOTNULL: u32 = 0x02;
    pub const SP_ISNULL: u32 = 0x04;
    pub const SP_LIKE: u32 = 0x200;
    pub const SP_IN: u32 = 0x400;
    pub const SP_BETWEEN: u32 = 0x800;
    pub const SP_COMPARISON: u32 = 0x1000;
    pub const SQ_COMPARISON: u32 = 0x01;
    pub const SQ_IN: u32 = 0x04;
    pub const SRJO_CROSS_JOIN: u32 = 0x02;
    pub const SRJO_INNER_JOIN: u32 = 0x10;
    pub const SRJO_LEFT_OUTER_JOIN: u32 = 0x40;
    pub const SRVC_VALUE_EXPRESSION: u32 = 0x01;
    pub const SRVC_NULL: u32 = 0x02;
    pub const SSF_LOWER: u32 = 0x02;
    pub const SSF_UPPER: u32 = 0x04;
    pub const SSF_SUBSTRING: u32 = 0x08;
    pub const SVE_CASE: u32 = 0x01;
    pub const SVE_CAST: u32 = 0x02;
    pub const SVE_COALESCE: u32 = 0x04;
    pub const SVE_NULLIF: u32 = 0x08;
    pub const U_UNION_ALL: u32 = 0x02;

    // Scalar function bitmasks.
    pub const FN_CVT_CONVERT: u32 = 0x01;
    pub const FN_CVT_CAST: u32 = 0x02;
    pub const FN_NUM_ABS: u32 = 0x01;
    pub const FN_NUM_ACOS: u32 = 0x02;
    pub const FN_NUM_ASIN: u32 = 0x04;
    pub const FN_NUM_ATAN: u32 = 0x08;
    pub const FN_NUM_CEILING: u32 = 0x20;
    pub const FN_NUM_COS: u32 = 0x40;
    pub const FN_NUM_COT: u32 = 0x80;
    pub const FN_NUM_EXP: u32 = 0x100;
    pub const FN_NUM_FLOOR: u32 = 0x200;
    pub const FN_NUM_LOG: u32 = 0x400;
    pub const FN_NUM_MOD: u32 = 0x800;
    pub const FN_NUM_SIGN: u32 = 0x1000;
    pub const FN_NUM_SIN: u32 = 0x2000;
    pub const FN_NUM_SQRT: u32 = 0x4000;
    pub const FN_NUM_TAN: u32 = 0x8000;
    pub const FN_NUM_PI: u32 = 0x10000;
    pub const FN_NUM_RAND: u32 = 0x20000;
    pub const FN_NUM_DEGREES: u32 = 0x40000;
    pub const FN_NUM_LOG10: u32 = 0x80000;
    pub const FN_NUM_POWER: u32 = 0x100000;
    pub const FN_NUM_RADIANS: u32 = 0x200000;
    pub const FN_NUM_ROUND: u32 = 0x400000;
    pub const FN_NUM_TRUNCATE: u32 = 0x800000;
    pub const FN_STR_CONCAT: u32 = 0x01;
    pub const FN_STR_LEFT: u32 = 0x04;
    pub const FN_STR_LTRIM: u32 = 0x08;
    pub const FN_STR_LENGTH: u32 = 0x10;
    pub const FN_STR_LCASE: u32 = 0x40;
    pub const FN_STR_REPEAT: u32 = 0x80;
    pub const FN_STR_REPLACE: u32 = 0x100;
    pub const FN_STR_RTRIM: u32 = 0x400;
    pub const FN_STR_SUBSTRING: u32 = 0x800;
    pub const FN_STR_UCASE: u32 = 0x1000;
    pub const FN_STR_ASCII: u32 = 0x2000;
    pub const FN_STR_CHAR: u32 = 0x4000;
    pub const FN_STR_LOCATE_2: u32 = 0x10000;
    pub const FN_STR_SPACE: u32 = 0x40000;
    pub const FN_STR_BIT_LENGTH: u32 = 0x80000;
    pub const FN_STR_CHAR_LENGTH: u32 = 0x100000;
    pub const FN_STR_CHARACTER_LENGTH: u32 = 0x200000;
    pub const FN_STR_OCTET_LENGTH: u32 = 0x400000;
    pub const FN_SYS_DBNAME: u32 = 0x02;
    pub const FN_SYS_IFNULL: u32 = 0x04;
    pub const FN_TD_NOW: u32 = 0x01;
    pub const FN_TD_CURDATE: u32 = 0x02;
    pub const FN_TD_DAYOFMONTH: u32 = 0x04;
    pub const FN_TD_DAYOFWEEK: u32 = 0x08;
    pub const FN_TD_DAYOFYEAR: u32 = 0x10;
    pub const FN_TD_MONTH: u32 = 0x20;
    pub const FN_TD_QUARTER: u32 = 0x40;
    pub const FN_TD_WEEK: u32 = 0x80;
    pub const FN_TD_YEAR: u32 = 0x100;
    pub const FN_TD_CURTIME: u32 = 0x200;
    pub const FN_TD_HOUR: u32 = 0x400;
    pub const FN_TD_MINUTE: u32 = 0x800;
    pub const FN_TD_SECOND: u32 = 0x1000;
    pub const FN_TD_TIMESTAMPADD: u32 = 0x2000;
    pub const FN_TD_TIMESTAMPDIFF: u32 = 0x4000;
    pub const FN_TD_DAYNAME: u32 = 0x8000;
    pub const FN_TD_MONTHNAME: u32 = 0x10000;
    pub const FN_TD_CURRENT_DATE: u32 = 0x20000;
    pub const FN_TD_CURRENT_TIME: u32 = 0x40000;
    pub const FN_TD_CURRENT_TIMESTAMP: u32 = 0x80000;
    pub const FN_TD_EXTRACT: u32 = 0x100000;
    pub const FN_TSI_SECOND: u32 = 0x02;
    pub const FN_TSI_MINUTE: u32 = 0x04;
    pub const FN_TSI_HOUR: u32 = 0x08;
    pub const FN_TSI_DAY: u32 = 0x10;
    pub const FN_TSI_WEEK: u32 = 0x20;
    pub const FN_TSI_MONTH: u32 = 0x40;
    pub const FN_TSI_QUARTER: u32 = 0x80;
    pub const FN_TSI_YEAR: u32 = 0x100;

    // Conversion targets of SQL_CONVERT_*.
    pub const CVT_CHAR: u32 = 0x01;
    pub const CVT_INTEGER: u32 = 0x08;
    pub const CVT_SMALLINT: u32 = 0x10;
    pub const CVT_FLOAT: u32 = 0x20;
    pub const CVT_REAL: u32 = 0x40;
    pub const CVT_DOUBLE: u32 = 0x80;
    pub const CVT_VARCHAR: u32 = 0x100;
    pub const CVT_LONGVARCHAR: u32 = 0x200;
    pub const CVT_BINARY: u32 = 0x400;
    pub const CVT_VARBINARY: u32 = 0x800;
    pub const CVT_BIT: u32 = 0x1000;
    pub const CVT_TINYINT: u32 = 0x2000;
    pub const CVT_BIGINT: u32 = 0x4000;
    pub const CVT_DATE: u32 = 0x8000;
    pub const CVT_TIMESTAMP: u32 = 0x20000;
    pub const CVT_LONGVARBINARY: u32 = 0x40000;
    pub const CVT_WCHAR: u32 = 0x200000;
    pub const CVT_WLONGVARCHAR: u32 = 0x400000;
    pub const CVT_WVARCHAR: u32 = 0x800000;
    pub const CVT_GUID: u32 = 0x1000000;
}

use value::*;

/// ClickHouse keywords that are not ODBC's (SQL_KEYWORDS).
const KEYWORDS: &str = "ARRAY,ATTACH,DETACH,ENGINE,FINAL,FORMAT,GLOBAL,LIMIT,OPTIMIZE,PREWHERE,SAMPLE,SETTINGS,TOTALS";

// The scalar functions claimed are those `crate::odbc::escapes` rewrites into expressions that run
// on ClickHouse 18.16 as well as on current servers (tests/odbc_get_info.rs runs each on both).
// Left out: INSERT, ATAN2, DIFFERENCE, SOUNDEX and POSITION (not rewritten); LOCATE with a start,
// RIGHT, USER() and SUBSTRING without a length (18.16 lacks what they become).

const STRING_FUNCTIONS: u32 = FN_STR_ASCII
    | FN_STR_BIT_LENGTH
    | FN_STR_CHAR
    | FN_STR_CHAR_LENGTH
    | FN_STR_CHARACTER_LENGTH
    | FN_STR_CONCAT
    | FN_STR_LCASE
    | FN_STR_LEFT
    | FN_STR_LENGTH
    | FN_STR_LOCATE_2
    | FN_STR_LTRIM
    | FN_STR_OCTET_LENGTH
    | FN_STR_REPEAT
    | FN_STR_REPLACE
    | FN_STR_RTRIM
    | FN_STR_SPACE
    | FN_STR_SUBSTRING
    | FN_STR_UCASE;

const NUMERIC_FUNCTIONS: u32 = FN_NUM_ABS
    | FN_NUM_ACOS
    | FN_NUM_ASIN
    | FN_NUM_ATAN
    | FN_NUM_CEILING
    | FN_NUM_COS
    | FN_NUM_COT
    | FN_NUM_DEGREES
    | FN_NUM_EXP
    | FN_NUM_FLOOR
    | FN_NUM_LOG
    | FN_NUM_LOG10
    | FN_NUM_MOD
    | FN_NUM_PI
    | FN_NUM_POWER
    | FN_NUM_RADIANS
    | FN_NUM_RAND
    | FN_NUM_ROUND
    | FN_NUM_SIGN
    | FN_NUM_SIN
    | FN_NUM_SQRT
    | FN_NUM_TAN
    | FN_NUM_TRUNCATE;

const TIMEDATE_FUNCTIONS: u32 = FN_TD_CURDATE
    | FN_TD_CURRENT_DATE
    | FN_TD_CURRENT_TIME
    | FN_TD_CURRENT_TIMESTAMP
    | FN_TD_CURTIME
    | FN_TD_DAYNAME
    | FN_TD_DAYOFMONTH
    | FN_TD_DAYOFWEEK
    | FN_TD_DAYOFYEAR
    | FN_TD_EXTRACT
    | FN_TD_HOUR
    | FN_TD_MINUTE
    | FN_TD_MONTH
    | FN_TD_MONTHNAME
    | FN_TD_NOW
    | FN_TD_QUARTER
    | FN_TD_SECOND
    | FN_TD_TIMESTAMPADD
    | FN_TD_TIMESTAMPDIFF
    | FN_TD_WEEK
    | FN_TD_YEAR;

const SYSTEM_FUNCTIONS: u32 = FN_SYS_DBNAME | FN_SYS_IFNULL;

/// The intervals of TIMESTAMPADD and TIMESTAMPDIFF: all but SQL_TSI_FRAC_SECOND.
const TIMEDATE_INTERVALS: u32 = FN_TSI_SECOND
    | FN_TSI_MINUTE
    | FN_TSI_HOUR
    | FN_TSI_DAY
    | FN_TSI_WEEK
    | FN_TSI_MONTH
    | FN_TSI_QUARTER
    | FN_TSI_YEAR;

// {fn CONVERT(value, SQL_type)} becomes a CAST to the ClickHouse type of SQL_type (not to DECIMAL,
// NUMERIC, TIME or intervals); what a CAST from the value's type can do decides the answers by
// source type below. A value of TIME or of an interval type does not come from ClickHouse.

const CONVERT_TO_NUMBER: u32 =
    CVT_BIGINT | CVT_BIT | CVT_DOUBLE | CVT_FLOAT | CVT_INTEGER | CVT_REAL | CVT_SMALLINT | CVT_TINYINT;
const CONVERT_TO_TEXT: u32 = CVT_CHAR | CVT_LONGVARCHAR | CVT_VARCHAR | CVT_WCHAR | CVT_WLONGVARCHAR | CVT_WVARCHAR;
const CONVERT_TO_BINARY: u32 = CVT_BINARY | CVT_LONGVARBINARY | CVT_VARBINARY;
const CONVERT_TO_DATETIME: u32 = CVT_DATE | CVT_TIMESTAMP;

const CONVERT_FROM_NUMBER: u32 = CONVERT_TO_NUMBER | CONVERT_TO_TEXT;
/// Text parses into anything: binary data is a String too.
const CONVERT_FROM_TEXT: u32 = CONVERT_TO_NUMBER | CONVERT_TO_TEXT | CONVERT_TO_BINARY | CONVERT_TO_DATETIME | CVT_GUID;
const CONVERT_FROM_BINARY: u32 = CONVERT_TO_TEXT | CONVERT_TO_BINARY;
const CONVERT_FROM_DATETIME: u32 = CONVERT_TO_TEXT | CONVERT_TO_DATETIME;
const CONVERT_FROM_GUID: u32 = CONVERT_TO_TEXT | CVT_GUID;

/// The answer to SQLGetInfo(`info_type`).
///
/// The answers describe this driver on a ClickHouse server of any version from 18.16 on, so a
/// feature only newer servers have is left out.
fn answer(dbc: &Dbc, info_type: u16) -> Result<Info, Diagnostic> {
    use Info::{Integer, Small, Text};
    let server = || {
        dbc.session
            .lock()
            .as_ref()
            .map(|session| session.connection.server_info().clone())
            .ok_or_else(|| Diagnostic::new("08003", "connection not open"))
    };
    let text = |value: &str| Text(value.to_owned());
    Ok(match info_type {
        // The driver, the server and what they conform to.
        info::DRIVER_NAME => text("libbytehouse.so"),
        info::DRIVER_VER => {
            let version: Vec<u32> = env!("CARGO_PKG_VERSION")
                .split('.')
                .filter_map(|part| part.parse().ok())
                .collect();
            let part = |index: usize| version.get(index).copied().unwrap_or(0);
            Text(format!("{:02}.{:02}.{:04}", part(0), part(1), part(2)))
        }
        info::DRIVER_ODBC_VER => text("03.80"),
        info::DBMS_NAME => Text(server()?.name),
        info::DBMS_VER => {
            let server = server()?;
            Text(format!(
                "{:02}.{:02}.{:04}",
                server.version_major, server.version_minor, server.version_patch
            ))
        }
        info::SERVER_NAME => Text(server()?.display_name.unwrap_or_default()),
        // unixODBC answers this itself; the driver does not keep the name of the data source.
        info::DATA_SOURCE_NAME => text(""),
        // The current database and the user are whatever the server made of the connection
        // string's (possibly empty) values; only a query could tell, and SQLGetInfo sends none.
        info::DATABASE_NAME | info::USER_NAME => text(""),
        info::XOPEN_CLI_YEAR => text("1995"),
        info::ODBC_INTERFACE_CONFORMANCE => Integer(OIC_CORE),
        info::ODBC_API_CONFORMANCE => Small(OAC_LEVEL1),
        info::ODBC_SAG_CLI_CONFORMANCE => Small(OSCC_NOT_COMPLIANT),
        info::ODBC_SQL_CONFORMANCE => Small(OSC_MINIMUM),
        info::SQL_CONFORMANCE => Integer(SC_SQL92_ENTRY),
        info::STANDARD_CLI_CONFORMANCE => Integer(0),

        // The driver manager answers these itself and never passes them on. Called directly, the
        // driver has no driver manager's version, and no handles other than the caller's own.
        info::DRIVER_HDBC
        | info::DRIVER_HENV
        | info::DRIVER_HSTMT
        | info::DRIVER_HDESC
        | info::DRIVER_HLIB
        | info::DM_VER
        | info::ODBC_VER => {
            return Err(Diagnostic::new(
                "HYC00",
                format!("information type {info_type} is answered by the driver manager"),
            ));
        }

        // Limits: 0 is "no limit or unknown". ClickHouse sets none on names or on the number of
        // columns and tables; the length of a statement is bounded by the server's max_query_size
        // setting, which the driver does not know.
        info::MAX_DRIVER_CONNECTIONS | info::ACTIVE_ENVIRONMENTS => Small(0),
        // One result stream per connection: a second statement's query ends the first one's.
        info::MAX_CONCURRENT_ACTIVITIES => Small(1),
        info::MAX_CATALOG_NAME_LEN
        | info::MAX_COLUMN_NAME_LEN
        | info::MAX_COLUMNS_IN_GROUP_BY
        | info::MAX_COLUMNS_IN_INDEX
        | info::MAX_COLUMNS_IN_ORDER_BY
        | info::MAX_COLUMNS_IN_SELECT
        | info::MAX_COLUMNS_IN_TABLE
        | info::MAX_IDENTIFIER_LEN
        | info::MAX_PROCEDURE_NAME_LEN
        | info::MAX_SCHEMA_NAME_LEN
        | info::MAX_TABLE_NAME_LEN
        | info::MAX_TABLES_IN_SELECT
        | info::MAX_USER_NAME_LEN => Small(0),
        info::MAX_CURSOR_NAME_LEN => Small(super::stmt_api::CURSOR_NAME_MAX as u16),
        info::MAX_BINARY_LITERAL_LEN
        | info::MAX_CHAR_LITERAL_LEN
        | info::MAX_INDEX_SIZE
        | info::MAX_ROW_SIZE
        | info::MAX_STATEMENT_LEN
        | info::MAX_ASYNC_CONCURRENT_STATEMENTS => Integer(0),
        info::MAX_ROW_SIZE_INCLUDES_LONG => text("N"),

        // Names. ClickHouse names a table `database.table`; as in ClickHouse's own ODBC driver,
        // its databases are ODBC catalogs, and there are no schemas.
        info::CATALOG_NAME => text("Y"),
        info::CATALOG_TERM => text("database"),
        info::CATALOG_NAME_SEPARATOR => text("."),
        info::CATALOG_LOCATION => Small(CL_START),
        info::CATALOG_USAGE => Integer(CU_DML_STATEMENTS | CU_TABLE_DEFINITION),
        info::SCHEMA_TERM => text(""),
        info::SCHEMA_USAGE => Integer(0),
        info::TABLE_TERM => text("table"),
        info::PROCEDURE_TERM => text(""),
        info::PROCEDURES | info::ACCESSIBLE_PROCEDURES => text("N"),
        info::ACCESSIBLE_TABLES => text("Y"),
        info::IDENTIFIER_CASE | info::QUOTED_IDENTIFIER_CASE => Small(IC_SENSITIVE),
        info::IDENTIFIER_QUOTE_CHAR => text("`"),
        // Unquoted names are letters, digits and underscores only.
        info::SPECIAL_CHARACTERS => text(""),
        info::SEARCH_PATTERN_ESCAPE => text("\\"),
        info::KEYWORDS => text(KEYWORDS),
        info::COLLATION_SEQ => text(""),
        info::DATA_SOURCE_READ_ONLY => text("N"),
        info::FILE_USAGE => Small(FILE_NOT_SUPPORTED),
        // 18.16 has no INFORMATION_SCHEMA.
        info::INFO_SCHEMA_VIEWS => Integer(0),

        // Transactions: there are none, so cursors survive "commit" and "rollback".
        info::TXN_CAPABLE => Small(TC_NONE),
        info::TXN_ISOLATION_OPTION | info::DEFAULT_TXN_ISOLATION | info::DTC_TRANSITION_COST => Integer(0),
        info::MULTIPLE_ACTIVE_TXN => text("N"),
        info::CURSOR_COMMIT_BEHAVIOR | info::CURSOR_ROLLBACK_BEHAVIOR => Small(CB_PRESERVE),

        // Cursors: forward-only and read-only, over a result the server streams once.
        info::SCROLL_OPTIONS => Integer(SO_FORWARD_ONLY),
        info::FETCH_DIRECTION => Integer(FD_FETCH_NEXT),
        info::SCROLL_CONCURRENCY => Integer(SCCO_READ_ONLY),
        info::CURSOR_SENSITIVITY => Integer(INSENSITIVE),
        info::FORWARD_ONLY_CURSOR_ATTRIBUTES1 => Integer(CA1_NEXT),
        info::FORWARD_ONLY_CURSOR_ATTRIBUTES2 => Integer(CA2_READ_ONLY_CONCURRENCY),
        info::DYNAMIC_CURSOR_ATTRIBUTES1
        | info::DYNAMIC_CURSOR_ATTRIBUTES2
        | info::KEYSET_CURSOR_ATTRIBUTES1
        | info::KEYSET_CURSOR_ATTRIBUTES2
        | info::STATIC_CURSOR_ATTRIBUTES1
        | info::STATIC_CURSOR_ATTRIBUTES2 => Integer(0),
        // SQLGetData reads any column of the current row, in any order, bound or not.
        info::GETDATA_EXTENSIONS => Integer(GD_ANY_COLUMN | GD_ANY_ORDER | GD_BOUND),
        info::BOOKMARK_PERSISTENCE
        | info::LOCK_TYPES
        | info::POS_OPERATIONS
        | info::POSITIONED_STATEMENTS
        | info::STATIC_SENSITIVITY => Integer(0),
        info::ROW_UPDATES | info::MULT_RESULT_SETS => text("N"),

        // Statements and parameters.
        info::DESCRIBE_PARAMETER | info::NEED_LONG_DATA_LEN => text("N"),
        // A parameter array runs as one INSERT or one statement per set, with one row count for all.
        info::PARAM_ARRAY_ROW_COUNTS => Integer(PARC_NO_BATCH),
        // A query run per parameter set keeps only the last set's result.
        info::PARAM_ARRAY_SELECTS => Integer(PAS_NO_SELECT),
        info::BATCH_ROW_COUNT | info::BATCH_SUPPORT => Integer(0),
        info::ASYNC_MODE => Integer(AM_NONE),
        info::ASYNC_DBC_FUNCTIONS => Integer(ASYNC_DBC_NOT_CAPABLE),
        info::ASYNC_NOTIFICATION => Integer(ASYNC_NOTIFICATION_NOT_CAPABLE),
        info::DRIVER_AWARE_POOLING_SUPPORTED => Integer(DRIVER_AWARE_POOLING_NOT_CAPABLE),

        // Queries.
        info::COLUMN_ALIAS | info::EXPRESSIONS_IN_ORDERBY => text("Y"),
        info::ORDER_BY_COLUMNS_IN_SELECT => text("N"),
        info::GROUP_BY => Small(GB_GROUP_BY_CONTAINS_SELECT),
        info::CORRELATION_NAME => Small(CN_ANY),
        // NULLs sort last whether ascending or descending.
        info::NULL_COLLATION => Small(NC_END),
        info::CONCAT_NULL_BEHAVIOR => Small(CB_NULL),
        // Outer joins as 18.16 has them: RIGHT and FULL joins written with ON fail there ("Block
        // structure mismatch"), a join is on equalities only (not SQL_OJ_ALL_COMPARISON_OPS), and
        // one join at a time (not SQL_OJ_NESTED).
        info::OUTER_JOINS => text("Y"),
        info::OJ_CAPABILITIES => Integer(OJ_LEFT | OJ_NOT_ORDERED),
        info::SQL92_RELATIONAL_JOIN_OPERATORS => Integer(SRJO_CROSS_JOIN | SRJO_INNER_JOIN | SRJO_LEFT_OUTER_JOIN),
        // No EXISTS, ANY or ALL on 18.16, and no correlated subqueries.
        info::SUBQUERIES => Integer(SQ_COMPARISON | SQ_IN),
        // A bare UNION is refused unless the server's union_default_mode is set.
        info::UNION => Integer(U_UNION_ALL),
        // LIKE escapes with a backslash only; the {escape '\'} clause is accepted, others are not.
        info::LIKE_ESCAPE_CLAUSE => text("N"),
        // Current servers read DATE '...' and TIMESTAMP '...'; 18.16 does not ({d} and {ts} work).
        info::DATETIME_LITERALS => Integer(0),
        info::SQL92_PREDICATES => Integer(SP_BETWEEN | SP_COMPARISON | SP_IN | SP_ISNOTNULL | SP_ISNULL | SP_LIKE),
        info::SQL92_VALUE_EXPRESSIONS => Integer(SVE_CASE | SVE_CAST | SVE_COALESCE | SVE_NULLIF),
        info::SQL92_ROW_VALUE_CONSTRUCTOR => Integer(SRVC_VALUE_EXPRESSION | SRVC_NULL),
        info::SQL92_STRING_FUNCTIONS => Integer(SSF_LOWER | SSF_SUBSTRING | SSF_UPPER),
        info::SQL92_NUMERIC_VALUE_FUNCTIONS => Integer(SNVF_CHAR_LENGTH | SNVF_CHARACTER_LENGTH | SNVF_EXTRACT),
        // CURRENT_DATE and the like are unknown to 18.16.
        info::SQL92_DATETIME_FUNCTIONS => Integer(0),
        // count(DISTINCT x) works on 18.16, sum(DISTINCT x) and the others do not.
        info::AGGREGATE_FUNCTIONS => Integer(AF_AVG | AF_COUNT | AF_MAX | AF_MIN | AF_SUM),

        // Data definition and modification. No SQL-92 constraints, foreign keys, domains,
        // assertions, schemas, GRANT or REVOKE, and no CREATE INDEX; 18.16 has no DROP VIEW either
        // (DROP TABLE drops a view).
        info::CREATE_TABLE => Integer(CT_CREATE_TABLE | CT_COLUMN_DEFAULT),
        info::DROP_TABLE => Integer(DT_DROP_TABLE),
        info::CREATE_VIEW => Integer(CV_CREATE_VIEW),
        info::ALTER_TABLE => Integer(AT_ADD_COLUMN | AT_ADD_COLUMN_SINGLE | AT_ADD_COLUMN_DEFAULT | AT_DROP_COLUMN),
        info::INSERT_STATEMENT => Integer(IS_INSERT_LITERALS | IS_INSERT_SEARCHED),
        info::NON_NULLABLE_COLUMNS => Small(NNC_NON_NULL),
        info::INDEX_KEYWORDS => Integer(IK_NONE),
        info::INTEGRITY => text("N"),
        info::ALTER_DOMAIN
        | info::CREATE_ASSERTION
        | info::CREATE_CHARACTER_SET
        | info::CREATE_COLLATION
        | info::CREATE_DOMAIN
        | info::CREATE_SCHEMA
        | info::CREATE_TRANSLATION
        | info::DDL_INDEX
        | info::DROP_ASSERTION
        | info::DROP_CHARACTER_SET
        | info::DROP_COLLATION
        | info::DROP_DOMAIN
        | info::DROP_SCHEMA
        | info::DROP_TRANSLATION
        | info::DROP_VIEW
        | info::SQL92_FOREIGN_KEY_DELETE_RULE
        | info::SQL92_FOREIGN_KEY_UPDATE_RULE
        | info::SQL92_GRANT
        | info::SQL92_REVOKE => Integer(0),

        // Scalar functions and conversions.
        info::STRING_FUNCTIONS => Integer(STRING_FUNCTIONS),
        info::NUMERIC_FUNCTIONS => Integer(NUMERIC_FUNCTIONS),
        info::TIMEDATE_FUNCTIONS => Integer(TIMEDATE_FUNCTIONS),
        info::SYSTEM_FUNCTIONS => Integer(SYSTEM_FUNCTIONS),
        info::TIMEDATE_ADD_INTERVALS | info::TIMEDATE_DIFF_INTERVALS => Integer(TIMEDATE_INTERVALS),
        info::CONVERT_FUNCTIONS => Integer(FN_CVT_CAST | FN_CVT_CONVERT),
        info::CONVERT_BIGINT
        | info::CONVERT_BIT
        | info::CONVERT_DECIMAL
        | info::CONVERT_DOUBLE
        | info::CONVERT_FLOAT
        | info::CONVERT_INTEGER
        | info::CONVERT_NUMERIC
        | info::CONVERT_REAL
        | info::CONVERT_SMALLINT
        | info::CONVERT_TINYINT => Integer(CONVERT_FROM_NUMBER),
        info::CONVERT_CHAR
        | info::CONVERT_LONGVARCHAR
        | info::CONVERT_VARCHAR
        | info::CONVERT_WCHAR
        | info::CONVERT_WLONGVARCHAR
        | info::CONVERT_WVARCHAR => Integer(CONVERT_FROM_TEXT),
        info::CONVERT_BINARY | info::CONVERT_LONGVARBINARY | info::CONVERT_VARBINARY => Integer(CONVERT_FROM_BINARY),
        info::CONVERT_DATE | info::CONVERT_TIMESTAMP => Integer(CONVERT_FROM_DATETIME),
        info::CONVERT_GUID => Integer(CONVERT_FROM_GUID),
        info::CONVERT_TIME | info::CONVERT_INTERVAL_DAY_TIME | info::CONVERT_INTERVAL_YEAR_MONTH => Integer(0),

        other => {
            return Err(Diagnostic::new(
                "HY096",
                format!("information type {other} is not defined by ODBC 3.8"),
            ));
        }
    })
}

/// # Safety
/// `value` null or valid for `buffer_length` bytes (or the integer's width); `length` null or valid.
unsafe fn get_info(
    connection: *mut c_void,
    info_type: u16,
    value: *mut c_void,
    buffer_length: i16,
    length: *mut i16,
    encoding: Encoding,
) -> i16 {
    entry::<Dbc>(connection, |dbc| {
        let (integer, width) = match answer(dbc, info_type)? {
            Info::Text(text) => {
                let capacity = usize::try_from(buffer_length).unwrap_or(0);
                // SAFETY: forwarded from the caller.
                let warning = unsafe { write_string_in_bytes(&text, value.cast(), capacity, length, encoding) };
                return Ok(with_warning(dbc, warning));
            }
            Info::Small(number) => (u32::from(number), 2),
            Info::Integer(number) => (number, 4),
        };
        if !value.is_null() {
            // SAFETY: the caller promises room for the info type's integer.
            unsafe {
                if width == 2 {
                    value.cast::<u16>().write_unaligned(integer as u16);
                } else {
                    value.cast::<u32>().write_unaligned(integer);
                }
            }
        }
        if !length.is_null() {
            // SAFETY: the caller promises `length` is writable.
            unsafe { length.write_unaligned(width) };
        }
        Ok(SQL_SUCCESS)
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlgetinfo-function>
///
/// # Safety
/// As for [`get_info`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetInfo(
    connection: *mut c_void,
    info_type: u16,
    value: *mut c_void,
    buffer_length: i16,
    length: *mut i16,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { get_info(connection, info_type, value, buffer_length, length, Encoding::Utf8) }
}

/// UTF-16 form of [`SQLGetInfo`]; `buffer_length` and the reported length are in bytes.
///
/// # Safety
/// As for [`get_info`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetInfoW(
    connection: *mut c_void,
    info_type: u16,
    value: *mut c_void,
    buffer_length: i16,
    length: *mut i16,
) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { get_info(connection, info_type, value, buffer_length, length, Encoding::wide()) }
}
