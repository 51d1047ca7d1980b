//! SQLGetInfo's answers: what this driver and its server support, described by ODBC's codes.

mod info_types;
mod values;

use self::info_types as info;
use self::values::*;
use crate::odbc::diag::Diagnostic;
use crate::odbc::handles::Dbc;

/// An SQLGetInfo answer: text, or an integer of the width the info type prescribes.
pub enum Info {
    Text(String),
    /// An SQLUSMALLINT.
    Small(u16),
    /// An SQLUINTEGER: a value or a bitmask.
    Integer(u32),
}

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
pub fn answer(dbc: &Dbc, info_type: u16) -> Result<Info, Diagnostic> {
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
        // Any number of statements of a connection may have results open: the server streams one
        // at a time, and a statement that runs reads the open one ahead (up to ResultBufferLimit).
        info::MAX_CONCURRENT_ACTIVITIES => Small(0),
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
        info::MAX_CURSOR_NAME_LEN => Small(crate::odbc::cursor_name::CURSOR_NAME_MAX as u16),
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
