//! SQLGetInfo(W) called directly, with no driver manager in between: every information type of
//! ODBC 3.8 is answered in the form its type prescribes, text answers are cut and measured as ODBC
//! says, and the capabilities the answers claim hold on both test servers.

mod common;

use std::ptr::null_mut;

use bytehouse::ffi::*;
use common::c_abi::{HANDLE_DBC, HANDLE_STMT, Handles};
use common::diagnostic;

const C_CHAR: i16 = 1;
const C_SLONG: i16 = -16;

/// How SQLGetInfo returns an information type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A NUL-terminated character string.
    Text,
    /// An SQLUSMALLINT.
    Small,
    /// An SQLUINTEGER value or bitmask.
    Integer,
}

use Kind::{Integer, Small, Text};

/// Every information type of sql.h and sqlext.h (unixODBC 2.3, ODBCVER 0x0380) that the driver
/// answers, with the form of its answer from the SQLGetInfo reference; plus SQL_DATABASE_NAME of
/// ODBC 1, which only older headers define.
const INFO_TYPES: &[(u16, &str, Kind)] = &[
    (0, "SQL_MAX_DRIVER_CONNECTIONS", Small),
    (1, "SQL_MAX_CONCURRENT_ACTIVITIES", Small),
    (2, "SQL_DATA_SOURCE_NAME", Text),
    (6, "SQL_DRIVER_NAME", Text),
    (7, "SQL_DRIVER_VER", Text),
    (8, "SQL_FETCH_DIRECTION", Integer),
    (9, "SQL_ODBC_API_CONFORMANCE", Small),
    (11, "SQL_ROW_UPDATES", Text),
    (12, "SQL_ODBC_SAG_CLI_CONFORMANCE", Small),
    (13, "SQL_SERVER_NAME", Text),
    (14, "SQL_SEARCH_PATTERN_ESCAPE", Text),
    (15, "SQL_ODBC_SQL_CONFORMANCE", Small),
    (16, "SQL_DATABASE_NAME", Text),
    (17, "SQL_DBMS_NAME", Text),
    (18, "SQL_DBMS_VER", Text),
    (19, "SQL_ACCESSIBLE_TABLES", Text),
    (20, "SQL_ACCESSIBLE_PROCEDURES", Text),
    (21, "SQL_PROCEDURES", Text),
    (22, "SQL_CONCAT_NULL_BEHAVIOR", Small),
    (23, "SQL_CURSOR_COMMIT_BEHAVIOR", Small),
    (24, "SQL_CURSOR_ROLLBACK_BEHAVIOR", Small),
    (25, "SQL_DATA_SOURCE_READ_ONLY", Text),
    (26, "SQL_DEFAULT_TXN_ISOLATION", Integer),
    (27, "SQL_EXPRESSIONS_IN_ORDERBY", Text),
    (28, "SQL_IDENTIFIER_CASE", Small),
    (29, "SQL_IDENTIFIER_QUOTE_CHAR", Text),
    (30, "SQL_MAX_COLUMN_NAME_LEN", Small),
    (31, "SQL_MAX_CURSOR_NAME_LEN", Small),
    (32, "SQL_MAX_SCHEMA_NAME_LEN", Small),
    (33, "SQL_MAX_PROCEDURE_NAME_LEN", Small),
    (34, "SQL_MAX_CATALOG_NAME_LEN", Small),
    (35, "SQL_MAX_TABLE_NAME_LEN", Small),
    (36, "SQL_MULT_RESULT_SETS", Text),
    (37, "SQL_MULTIPLE_ACTIVE_TXN", Text),
    (38, "SQL_OUTER_JOINS", Text),
    (39, "SQL_SCHEMA_TERM", Text),
    (40, "SQL_PROCEDURE_TERM", Text),
    (41, "SQL_CATALOG_NAME_SEPARATOR", Text),
    (42, "SQL_CATALOG_TERM", Text),
    (43, "SQL_SCROLL_CONCURRENCY", Integer),
    (44, "SQL_SCROLL_OPTIONS", Integer),
    (45, "SQL_TABLE_TERM", Text),
    (46, "SQL_TXN_CAPABLE", Small),
    (47, "SQL_USER_NAME", Text),
    (48, "SQL_CONVERT_FUNCTIONS", Integer),
    (49, "SQL_NUMERIC_FUNCTIONS", Integer),
    (50, "SQL_STRING_FUNCTIONS", Integer),
    (51, "SQL_SYSTEM_FUNCTIONS", Integer),
    (52, "SQL_TIMEDATE_FUNCTIONS", Integer),
    (53, "SQL_CONVERT_BIGINT", Integer),
    (54, "SQL_CONVERT_BINARY", Integer),
    (55, "SQL_CONVERT_BIT", Integer),
    (56, "SQL_CONVERT_CHAR", Integer),
    (57, "SQL_CONVERT_DATE", Integer),
    (58, "SQL_CONVERT_DECIMAL", Integer),
    (59, "SQL_CONVERT_DOUBLE", Integer),
    (60, "SQL_CONVERT_FLOAT", Integer),
    (61, "SQL_CONVERT_INTEGER", Integer),
    (62, "SQL_CONVERT_LONGVARCHAR", Integer),
    (63, "SQL_CONVERT_NUMERIC", Integer),
    (64, "SQL_CONVERT_REAL", Integer),
    (65, "SQL_CONVERT_SMALLINT", Integer),
    (66, "SQL_CONVERT_TIME", Integer),
    (67, "SQL_CONVERT_TIMESTAMP", Integer),
    (68, "SQL_CONVERT_TINYINT", Integer),
    (69, "SQL_CONVERT_VARBINARY", Integer),
    (70, "SQL_CONVERT_VARCHAR", Integer),
    (71, "SQL_CONVERT_LONGVARBINARY", Integer),
    (72, "SQL_TXN_ISOLATION_OPTION", Integer),
    (73, "SQL_INTEGRITY", Text),
    (74, "SQL_CORRELATION_NAME", Small),
    (75, "SQL_NON_NULLABLE_COLUMNS", Small),
    (77, "SQL_DRIVER_ODBC_VER", Text),
    (78, "SQL_LOCK_TYPES", Integer),
    (79, "SQL_POS_OPERATIONS", Integer),
    (80, "SQL_POSITIONED_STATEMENTS", Integer),
    (81, "SQL_GETDATA_EXTENSIONS", Integer),
    (82, "SQL_BOOKMARK_PERSISTENCE", Integer),
    (83, "SQL_STATIC_SENSITIVITY", Integer),
    (84, "SQL_FILE_USAGE", Small),
    (85, "SQL_NULL_COLLATION", Small),
    (86, "SQL_ALTER_TABLE", Integer),
    (87, "SQL_COLUMN_ALIAS", Text),
    (88, "SQL_GROUP_BY", Small),
    (89, "SQL_KEYWORDS", Text),
    (90, "SQL_ORDER_BY_COLUMNS_IN_SELECT", Text),
    (91, "SQL_SCHEMA_USAGE", Integer),
    (92, "SQL_CATALOG_USAGE", Integer),
    (93, "SQL_QUOTED_IDENTIFIER_CASE", Small),
    (94, "SQL_SPECIAL_CHARACTERS", Text),
    (95, "SQL_SUBQUERIES", Integer),
    (96, "SQL_UNION", Integer),
    (97, "SQL_MAX_COLUMNS_IN_GROUP_BY", Small),
    (98, "SQL_MAX_COLUMNS_IN_INDEX", Small),
    (99, "SQL_MAX_COLUMNS_IN_ORDER_BY", Small),
    (100, "SQL_MAX_COLUMNS_IN_SELECT", Small),
    (101, "SQL_MAX_COLUMNS_IN_TABLE", Small),
    (102, "SQL_MAX_INDEX_SIZE", Integer),
    (103, "SQL_MAX_ROW_SIZE_INCLUDES_LONG", Text),
    (104, "SQL_MAX_ROW_SIZE", Integer),
    (105, "SQL_MAX_STATEMENT_LEN", Integer),
    (106, "SQL_MAX_TABLES_IN_SELECT", Small),
    (107, "SQL_MAX_USER_NAME_LEN", Small),
    (108, "SQL_MAX_CHAR_LITERAL_LEN", Integer),
    (109, "SQL_TIMEDATE_ADD_INTERVALS", Integer),
    (110, "SQL_TIMEDATE_DIFF_INTERVALS", Integer),
    (111, "SQL_NEED_LONG_DATA_LEN", Text),
    (112, "SQL_MAX_BINARY_LITERAL_LEN", Integer),
    (113, "SQL_LIKE_ESCAPE_CLAUSE", Text),
    (114, "SQL_CATALOG_LOCATION", Small),
    (115, "SQL_OJ_CAPABILITIES", Integer),
    (116, "SQL_ACTIVE_ENVIRONMENTS", Small),
    (117, "SQL_ALTER_DOMAIN", Integer),
    (118, "SQL_SQL_CONFORMANCE", Integer),
    (119, "SQL_DATETIME_LITERALS", Integer),
    (120, "SQL_BATCH_ROW_COUNT", Integer),
    (121, "SQL_BATCH_SUPPORT", Integer),
    (122, "SQL_CONVERT_WCHAR", Integer),
    (123, "SQL_CONVERT_INTERVAL_DAY_TIME", Integer),
    (124, "SQL_CONVERT_INTERVAL_YEAR_MONTH", Integer),
    (125, "SQL_CONVERT_WLONGVARCHAR", Integer),
    (126, "SQL_CONVERT_WVARCHAR", Integer),
    (127, "SQL_CREATE_ASSERTION", Integer),
    (128, "SQL_CREATE_CHARACTER_SET", Integer),
    (129, "SQL_CREATE_COLLATION", Integer),
    (130, "SQL_CREATE_DOMAIN", Integer),
    (131, "SQL_CREATE_SCHEMA", Integer),
    (132, "SQL_CREATE_TABLE", Integer),
    (133, "SQL_CREATE_TRANSLATION", Integer),
    (134, "SQL_CREATE_VIEW", Integer),
    (136, "SQL_DROP_ASSERTION", Integer),
    (137, "SQL_DROP_CHARACTER_SET", Integer),
    (138, "SQL_DROP_COLLATION", Integer),
    (139, "SQL_DROP_DOMAIN", Integer),
    (140, "SQL_DROP_SCHEMA", Integer),
    (141, "SQL_DROP_TABLE", Integer),
    (142, "SQL_DROP_TRANSLATION", Integer),
    (143, "SQL_DROP_VIEW", Integer),
    (144, "SQL_DYNAMIC_CURSOR_ATTRIBUTES1", Integer),
    (145, "SQL_DYNAMIC_CURSOR_ATTRIBUTES2", Integer),
    (146, "SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1", Integer),
    (147, "SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES2", Integer),
    (148, "SQL_INDEX_KEYWORDS", Integer),
    (149, "SQL_INFO_SCHEMA_VIEWS", Integer),
    (150, "SQL_KEYSET_CURSOR_ATTRIBUTES1", Integer),
    (151, "SQL_KEYSET_CURSOR_ATTRIBUTES2", Integer),
    (152, "SQL_ODBC_INTERFACE_CONFORMANCE", Integer),
    (153, "SQL_PARAM_ARRAY_ROW_COUNTS", Integer),
    (154, "SQL_PARAM_ARRAY_SELECTS", Integer),
    (155, "SQL_SQL92_DATETIME_FUNCTIONS", Integer),
    (156, "SQL_SQL92_FOREIGN_KEY_DELETE_RULE", Integer),
    (157, "SQL_SQL92_FOREIGN_KEY_UPDATE_RULE", Integer),
    (158, "SQL_SQL92_GRANT", Integer),
    (159, "SQL_SQL92_NUMERIC_VALUE_FUNCTIONS", Integer),
    (160, "SQL_SQL92_PREDICATES", Integer),
    (161, "SQL_SQL92_RELATIONAL_JOIN_OPERATORS", Integer),
    (162, "SQL_SQL92_REVOKE", Integer),
    (163, "SQL_SQL92_ROW_VALUE_CONSTRUCTOR", Integer),
    (164, "SQL_SQL92_STRING_FUNCTIONS", Integer),
    (165, "SQL_SQL92_VALUE_EXPRESSIONS", Integer),
    (166, "SQL_STANDARD_CLI_CONFORMANCE", Integer),
    (167, "SQL_STATIC_CURSOR_ATTRIBUTES1", Integer),
    (168, "SQL_STATIC_CURSOR_ATTRIBUTES2", Integer),
    (169, "SQL_AGGREGATE_FUNCTIONS", Integer),
    (170, "SQL_DDL_INDEX", Integer),
    (172, "SQL_INSERT_STATEMENT", Integer),
    (173, "SQL_CONVERT_GUID", Integer),
    (1750, "SQL_DTC_TRANSITION_COST", Integer),
    (10000, "SQL_XOPEN_CLI_YEAR", Text),
    (10001, "SQL_CURSOR_SENSITIVITY", Integer),
    (10002, "SQL_DESCRIBE_PARAMETER", Text),
    (10003, "SQL_CATALOG_NAME", Text),
    (10004, "SQL_COLLATION_SEQ", Text),
    (10005, "SQL_MAX_IDENTIFIER_LEN", Small),
    (10021, "SQL_ASYNC_MODE", Integer),
    (10022, "SQL_MAX_ASYNC_CONCURRENT_STATEMENTS", Integer),
    (10023, "SQL_ASYNC_DBC_FUNCTIONS", Integer),
    (10024, "SQL_DRIVER_AWARE_POOLING_SUPPORTED", Integer),
    (10025, "SQL_ASYNC_NOTIFICATION", Integer),
];

/// The information types of the headers that the driver manager answers alone, never asking the
/// driver: the driver refuses them with HYC00.
const DRIVER_MANAGER_TYPES: &[(u16, &str)] = &[
    (3, "SQL_DRIVER_HDBC"),
    (4, "SQL_DRIVER_HENV"),
    (5, "SQL_DRIVER_HSTMT"),
    (10, "SQL_ODBC_VER"),
    (76, "SQL_DRIVER_HLIB"),
    (135, "SQL_DRIVER_HDESC"),
    (171, "SQL_DM_VER"),
];

const DBMS_NAME: u16 = 17;
const DBMS_VER: u16 = 18;
const KEYWORDS: u16 = 89;

/// SQLGetInfo and running statements on the shared C-ABI handles.
trait GetInfo {
    /// SQLGetInfo into a 512-byte buffer: (return code, buffer, reported length).
    fn info(&self, info_type: u16) -> (i16, Vec<u8>, i16);
    /// SQLGetInfo or SQLGetInfoW into a buffer of `capacity` bytes filled with 0xAA first.
    fn info_into(&self, info_type: u16, capacity: usize, wide: bool) -> (i16, Vec<u8>, i16);
    fn text(&self, info_type: u16) -> String;
    fn integer(&self, info_type: u16) -> u32;
    fn small(&self, info_type: u16) -> u16;
    /// Runs `sql` and fetches its whole result: Err with the first diagnostic if anything fails.
    fn run(&self, sql: &str) -> Result<(), (String, String)>;
}

impl GetInfo for Handles {
    fn info(&self, info_type: u16) -> (i16, Vec<u8>, i16) {
        self.info_into(info_type, 512, false)
    }

    fn info_into(&self, info_type: u16, capacity: usize, wide: bool) -> (i16, Vec<u8>, i16) {
        let mut buffer = vec![0xAAu8; capacity];
        let mut length = -1i16;
        let get_info = if wide { SQLGetInfoW } else { SQLGetInfo };
        let code = unsafe {
            get_info(
                self.dbc,
                info_type,
                buffer.as_mut_ptr().cast(),
                capacity as i16,
                &mut length,
            )
        };
        (code, buffer, length)
    }

    fn text(&self, info_type: u16) -> String {
        let (code, buffer, length) = self.info(info_type);
        assert_eq!(code, SQL_SUCCESS, "information type {info_type}");
        String::from_utf8(buffer[..length as usize].to_vec()).unwrap()
    }

    fn integer(&self, info_type: u16) -> u32 {
        let (code, buffer, length) = self.info(info_type);
        assert_eq!(code, SQL_SUCCESS, "information type {info_type}");
        assert_eq!(length, 4, "information type {info_type}");
        u32::from_ne_bytes(buffer[..4].try_into().unwrap())
    }

    fn small(&self, info_type: u16) -> u16 {
        let (code, buffer, length) = self.info(info_type);
        assert_eq!(code, SQL_SUCCESS, "information type {info_type}");
        assert_eq!(length, 2, "information type {info_type}");
        u16::from_ne_bytes(buffer[..2].try_into().unwrap())
    }

    fn run(&self, sql: &str) -> Result<(), (String, String)> {
        unsafe {
            let code = SQLExecDirect(self.stmt, sql.as_ptr(), sql.len() as i32);
            if code != SQL_SUCCESS && code != SQL_SUCCESS_WITH_INFO {
                return Err(diagnostic(HANDLE_STMT, self.stmt));
            }
            let mut columns = 0i16;
            assert_eq!(SQLNumResultCols(self.stmt, &mut columns), SQL_SUCCESS);
            if columns == 0 {
                return Ok(());
            }
            loop {
                match SQLFetch(self.stmt) {
                    SQL_SUCCESS | SQL_SUCCESS_WITH_INFO => {}
                    SQL_NO_DATA => break,
                    _ => return Err(diagnostic(HANDLE_STMT, self.stmt)),
                }
            }
            assert_eq!(SQLCloseCursor(self.stmt), SQL_SUCCESS);
        }
        Ok(())
    }
}

fn utf16(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|pair| u16::from_ne_bytes([pair[0], pair[1]]))
        .collect();
    String::from_utf16(&units).unwrap()
}

#[test]
fn every_information_type_answers_in_its_form() {
    let handles = Handles::connect_server(&common::old_server());
    for &(info_type, name, kind) in INFO_TYPES {
        for wide in [false, true] {
            let (code, buffer, length) = handles.info_into(info_type, 512, wide);
            let call = if wide { "SQLGetInfoW" } else { "SQLGetInfo" };
            assert_eq!(
                code,
                SQL_SUCCESS,
                "{call}({name}): {:?}",
                diagnostic(HANDLE_DBC, handles.dbc)
            );
            assert!(length >= 0, "{call}({name}) length {length}");
            let length = length as usize;
            match kind {
                Text if wide => {
                    assert_eq!(length % 2, 0, "{call}({name}) length {length} is not in bytes");
                    assert_eq!(&buffer[length..length + 2], &[0, 0], "{call}({name}) is not terminated");
                    utf16(&buffer[..length]);
                }
                Text => {
                    assert_eq!(buffer[length], 0, "{call}({name}) is not terminated");
                    String::from_utf8(buffer[..length].to_vec()).unwrap();
                }
                Small | Integer => {
                    let width = if kind == Small { 2 } else { 4 };
                    assert_eq!(length, width, "{call}({name}) width");
                    assert!(
                        buffer[width..].iter().all(|&byte| byte == 0xAA),
                        "{call}({name}) wrote past its width"
                    );
                }
            }
        }
    }
}

#[test]
fn the_table_holds_each_information_type_once() {
    let mut numbers: Vec<u16> = INFO_TYPES.iter().map(|(number, ..)| *number).collect();
    numbers.extend(DRIVER_MANAGER_TYPES.iter().map(|(number, _)| *number));
    let count = numbers.len();
    numbers.sort_unstable();
    numbers.dedup();
    assert_eq!(numbers.len(), count);
    assert_eq!(count, 186);
}

#[test]
fn integers_have_the_width_of_their_type() {
    let handles = Handles::connect_server(&common::old_server());
    // SQLUSMALLINT: SQL_TXN_CAPABLE, SQL_MAX_IDENTIFIER_LEN, SQL_CATALOG_LOCATION, SQL_NULL_COLLATION.
    for info_type in [46, 10005, 114, 85] {
        let (code, buffer, length) = handles.info_into(info_type, 8, false);
        assert_eq!((code, length), (SQL_SUCCESS, 2), "information type {info_type}");
        assert_eq!(&buffer[2..], &[0xAA; 6]);
    }
    // SQLUINTEGER: SQL_DEFAULT_TXN_ISOLATION, SQL_SCROLL_OPTIONS, SQL_GETDATA_EXTENSIONS,
    // SQL_ASYNC_DBC_FUNCTIONS, SQL_CURSOR_SENSITIVITY.
    for info_type in [26, 44, 81, 10023, 10001] {
        let (code, buffer, length) = handles.info_into(info_type, 8, false);
        assert_eq!((code, length), (SQL_SUCCESS, 4), "information type {info_type}");
        assert_eq!(&buffer[4..], &[0xAA; 4]);
    }
    // A null buffer still gets the length.
    let mut length = 0i16;
    assert_eq!(
        unsafe { SQLGetInfo(handles.dbc, 44, null_mut(), 0, &mut length) },
        SQL_SUCCESS
    );
    assert_eq!(length, 4);
}

#[test]
fn dbms_name_and_dotted_version() {
    for server in common::servers() {
        let handles = Handles::connect_server(&server);
        assert_eq!(handles.text(DBMS_NAME), "ClickHouse", "{}", server.name);
        let version = handles.text(DBMS_VER);
        let parts: Vec<&str> = version.split('.').collect();
        let widths: Vec<usize> = parts.iter().map(|part| part.len()).collect();
        assert_eq!(widths, [2, 2, 4], "{}: {version}", server.name);
        assert!(
            parts.iter().all(|part| part.bytes().all(|byte| byte.is_ascii_digit())),
            "{version}"
        );
        if !server.is_modern() {
            assert!(version.starts_with("18.16."), "{version}");
        }
    }
}

#[test]
fn text_is_cut_and_reports_its_full_length() {
    let handles = Handles::connect_server(&common::old_server());
    let keywords = handles.text(KEYWORDS);
    assert!(keywords.len() > 8);

    let (code, buffer, length) = handles.info_into(KEYWORDS, 8, false);
    assert_eq!(code, SQL_SUCCESS_WITH_INFO);
    assert_eq!(length as usize, keywords.len());
    assert_eq!(&buffer[..7], &keywords.as_bytes()[..7]);
    assert_eq!(buffer[7], 0);
    assert_eq!(diagnostic(HANDLE_DBC, handles.dbc).0, "01004");

    // The wide form counts bytes: 8 bytes hold three characters and the terminator.
    let (code, buffer, length) = handles.info_into(KEYWORDS, 8, true);
    assert_eq!(code, SQL_SUCCESS_WITH_INFO);
    assert_eq!(length as usize, keywords.len() * 2);
    assert_eq!(utf16(&buffer[..6]), keywords[..3]);
    assert_eq!(&buffer[6..8], &[0, 0]);
    assert_eq!(diagnostic(HANDLE_DBC, handles.dbc).0, "01004");

    // No buffer at all: just the length.
    let mut length = 0i16;
    let code = unsafe { SQLGetInfo(handles.dbc, KEYWORDS, null_mut(), 0, &mut length) };
    assert_eq!((code, length as usize), (SQL_SUCCESS, keywords.len()));
}

#[test]
fn the_wide_form_reports_bytes() {
    let handles = Handles::connect_server(&common::old_server());
    let (code, buffer, length) = handles.info_into(DBMS_NAME, 64, true);
    assert_eq!(code, SQL_SUCCESS);
    assert_eq!(length, 20);
    assert_eq!(utf16(&buffer[..20]), "ClickHouse");
    assert_eq!(&buffer[20..22], &[0, 0]);
}

#[test]
fn undefined_and_driver_manager_types_are_refused() {
    let handles = Handles::connect_server(&common::old_server());
    for info_type in [65000, 174, 1000, 65003] {
        let (code, buffer, _) = handles.info(info_type);
        assert_eq!(code, SQL_ERROR, "information type {info_type}");
        assert!(buffer.iter().all(|&byte| byte == 0xAA));
        let (state, message) = diagnostic(HANDLE_DBC, handles.dbc);
        assert_eq!(state, "HY096", "{message}");
        assert!(message.contains(&info_type.to_string()), "{message}");
    }
    for &(info_type, name) in DRIVER_MANAGER_TYPES {
        let (code, ..) = handles.info(info_type);
        assert_eq!(code, SQL_ERROR, "{name}");
        let (state, message) = diagnostic(HANDLE_DBC, handles.dbc);
        assert_eq!(state, "HYC00", "{name}: {message}");
        assert!(message.contains("driver manager"), "{message}");
    }
}

#[test]
fn driver_facts_need_no_connection_and_server_facts_do() {
    let handles = Handles::allocate();
    assert_eq!(handles.text(77), "03.80");
    assert_eq!(handles.small(46), 0);
    let (code, ..) = handles.info(DBMS_NAME);
    assert_eq!(code, SQL_ERROR);
    assert_eq!(diagnostic(HANDLE_DBC, handles.dbc).0, "08003");
}

/// Answers that BI tools, pyodbc and SQLAlchemy act on.
#[test]
fn answers_tools_rely_on() {
    let handles = Handles::connect_server(&common::old_server());
    for (info_type, expected) in [
        (77, "03.80"),          // SQL_DRIVER_ODBC_VER
        (6, "libbytehouse.so"), // SQL_DRIVER_NAME
        (29, "`"),              // SQL_IDENTIFIER_QUOTE_CHAR
        (10003, "Y"),           // SQL_CATALOG_NAME
        (42, "database"),       // SQL_CATALOG_TERM
        (41, "."),              // SQL_CATALOG_NAME_SEPARATOR
        (39, ""),               // SQL_SCHEMA_TERM
        (45, "table"),          // SQL_TABLE_TERM
        (14, "\\"),             // SQL_SEARCH_PATTERN_ESCAPE
        (10002, "N"),           // SQL_DESCRIBE_PARAMETER
        (111, "N"),             // SQL_NEED_LONG_DATA_LEN
        (36, "N"),              // SQL_MULT_RESULT_SETS
        (21, "N"),              // SQL_PROCEDURES
        (10000, "1995"),        // SQL_XOPEN_CLI_YEAR
    ] {
        assert_eq!(handles.text(info_type), expected, "information type {info_type}");
    }
    assert!(handles.text(7).starts_with("00."), "SQL_DRIVER_VER");
    for (info_type, expected) in [
        (46, 0),  // SQL_TXN_CAPABLE: SQL_TC_NONE
        (1, 0),   // SQL_MAX_CONCURRENT_ACTIVITIES: no limit, open results are read ahead
        (114, 1), // SQL_CATALOG_LOCATION: SQL_CL_START
        (28, 3),  // SQL_IDENTIFIER_CASE: SQL_IC_SENSITIVE
        (85, 4),  // SQL_NULL_COLLATION: SQL_NC_END
        (23, 2),  // SQL_CURSOR_COMMIT_BEHAVIOR: SQL_CB_PRESERVE
    ] {
        assert_eq!(handles.small(info_type), expected, "information type {info_type}");
    }
    for (info_type, expected) in [
        (44, 1),      // SQL_SCROLL_OPTIONS: SQL_SO_FORWARD_ONLY
        (10001, 1),   // SQL_CURSOR_SENSITIVITY: SQL_INSENSITIVE
        (146, 1),     // SQL_FORWARD_ONLY_CURSOR_ATTRIBUTES1: SQL_CA1_NEXT
        (167, 0),     // SQL_STATIC_CURSOR_ATTRIBUTES1
        (144, 0),     // SQL_DYNAMIC_CURSOR_ATTRIBUTES1
        (72, 0),      // SQL_TXN_ISOLATION_OPTION
        (91, 0),      // SQL_SCHEMA_USAGE
        (152, 1),     // SQL_ODBC_INTERFACE_CONFORMANCE: SQL_OIC_CORE
        (118, 1),     // SQL_SQL_CONFORMANCE: SQL_SC_SQL92_ENTRY
        (10021, 0),   // SQL_ASYNC_MODE: SQL_AM_NONE
        (10023, 0),   // SQL_ASYNC_DBC_FUNCTIONS: SQL_ASYNC_DBC_NOT_CAPABLE
        (10025, 0),   // SQL_ASYNC_NOTIFICATION: SQL_ASYNC_NOTIFICATION_NOT_CAPABLE
        (10024, 0),   // SQL_DRIVER_AWARE_POOLING_SUPPORTED: SQL_DRIVER_AWARE_POOLING_NOT_CAPABLE
        (153, 2),     // SQL_PARAM_ARRAY_ROW_COUNTS: SQL_PARC_NO_BATCH
        (81, 0b1011), // SQL_GETDATA_EXTENSIONS: SQL_GD_ANY_COLUMN | SQL_GD_ANY_ORDER | SQL_GD_BOUND
    ] {
        assert_eq!(handles.integer(info_type), expected, "information type {info_type}");
    }
}

/// SQL_GETDATA_EXTENSIONS: SQLGetData reads any column, in any order, bound ones too.
#[test]
fn get_data_reads_any_column_in_any_order() {
    for server in common::servers() {
        let handles = Handles::connect_server(&server);
        let sql = "SELECT toInt32(7) AS a, toInt32(8) AS b, toInt32(9) AS c";
        let mut bound = 0i32;
        let mut indicator = 0isize;
        unsafe {
            assert_eq!(SQLExecDirect(handles.stmt, sql.as_ptr(), sql.len() as i32), SQL_SUCCESS);
            let target = (&mut bound as *mut i32).cast();
            assert_eq!(
                SQLBindCol(handles.stmt, 2, C_SLONG, target, 4, &mut indicator),
                SQL_SUCCESS
            );
            assert_eq!(SQLFetch(handles.stmt), SQL_SUCCESS);
        }
        assert_eq!(bound, 8);
        for (column, expected) in [(3, "9"), (1, "7"), (2, "8")] {
            let mut buffer = [0u8; 16];
            let code = unsafe {
                SQLGetData(
                    handles.stmt,
                    column,
                    C_CHAR,
                    buffer.as_mut_ptr().cast(),
                    16,
                    &mut indicator,
                )
            };
            assert_eq!(code, SQL_SUCCESS, "{}: column {column}", server.name);
            assert_eq!(&buffer[..indicator as usize], expected.as_bytes());
        }
    }
}

// What the bitmask answers claim, checked by running a statement per claimed bit on both servers.

/// (information type, bit, a statement using what the bit claims).
const CLAIMS: &[(u16, u32, &str)] = &[
    // SQL_STRING_FUNCTIONS
    (50, 0x0000_0001, "SELECT {fn CONCAT('a', 'b')}"),
    (50, 0x0000_0004, "SELECT {fn LEFT('abc', 2)}"),
    (50, 0x0000_0008, "SELECT {fn LTRIM('  a')}"),
    (50, 0x0000_0010, "SELECT {fn LENGTH('abc  ')}"),
    (50, 0x0000_0020, "SELECT {fn LOCATE('b', 'abcb', 3)}"),
    (50, 0x0000_0040, "SELECT {fn LCASE('A')}"),
    (50, 0x0000_0080, "SELECT {fn REPEAT('ab', 3)}"),
    (50, 0x0000_0100, "SELECT {fn REPLACE('abc', 'b', 'x')}"),
    (50, 0x0000_0200, "SELECT {fn RIGHT('abc', 2)}"),
    (50, 0x0000_0400, "SELECT {fn RTRIM('a  ')}"),
    (50, 0x0000_0800, "SELECT {fn SUBSTRING('abc', 2, 1)}"),
    (50, 0x0000_1000, "SELECT {fn UCASE('a')}"),
    (50, 0x0000_2000, "SELECT {fn ASCII('a')}"),
    (50, 0x0000_4000, "SELECT {fn CHAR(65)}"),
    (50, 0x0001_0000, "SELECT {fn LOCATE('b', 'abc')}"),
    (50, 0x0004_0000, "SELECT {fn SPACE(3)}"),
    (50, 0x0008_0000, "SELECT {fn BIT_LENGTH('abc')}"),
    (50, 0x0010_0000, "SELECT {fn CHAR_LENGTH('abc')}"),
    (50, 0x0020_0000, "SELECT {fn CHARACTER_LENGTH('abc')}"),
    (50, 0x0040_0000, "SELECT {fn OCTET_LENGTH('abc')}"),
    // SQL_NUMERIC_FUNCTIONS
    (49, 0x0000_0001, "SELECT {fn ABS(-1)}"),
    (49, 0x0000_0002, "SELECT {fn ACOS(1)}"),
    (49, 0x0000_0004, "SELECT {fn ASIN(1)}"),
    (49, 0x0000_0008, "SELECT {fn ATAN(1)}"),
    (49, 0x0000_0010, "SELECT {fn ATAN2(1, 1)}"),
    (49, 0x0000_0020, "SELECT {fn CEILING(1.5)}"),
    (49, 0x0000_0040, "SELECT {fn COS(0)}"),
    (49, 0x0000_0080, "SELECT {fn COT(1)}"),
    (49, 0x0000_0100, "SELECT {fn EXP(1)}"),
    (49, 0x0000_0200, "SELECT {fn FLOOR(1.5)}"),
    (49, 0x0000_0400, "SELECT {fn LOG(2)}"),
    (49, 0x0000_0800, "SELECT {fn MOD(7, 3)}"),
    (49, 0x0000_1000, "SELECT {fn SIGN(-2)}"),
    (49, 0x0000_2000, "SELECT {fn SIN(0)}"),
    (49, 0x0000_4000, "SELECT {fn SQRT(4)}"),
    (49, 0x0000_8000, "SELECT {fn TAN(0)}"),
    (49, 0x0001_0000, "SELECT {fn PI()}"),
    (49, 0x0002_0000, "SELECT {fn RAND()}, {fn RAND(1)}"),
    (49, 0x0004_0000, "SELECT {fn DEGREES(1)}"),
    (49, 0x0008_0000, "SELECT {fn LOG10(100)}"),
    (49, 0x0010_0000, "SELECT {fn POWER(2, 3)}"),
    (49, 0x0020_0000, "SELECT {fn RADIANS(180)}"),
    (49, 0x0040_0000, "SELECT {fn ROUND(1.55, 1)}"),
    (49, 0x0080_0000, "SELECT {fn TRUNCATE(1.55, 1)}"),
    // SQL_TIMEDATE_FUNCTIONS
    (52, 0x0000_0001, "SELECT {fn NOW()}"),
    (52, 0x0000_0002, "SELECT {fn CURDATE()}"),
    (52, 0x0000_0004, "SELECT {fn DAYOFMONTH(now())}"),
    (52, 0x0000_0008, "SELECT {fn DAYOFWEEK(today())}"),
    (52, 0x0000_0010, "SELECT {fn DAYOFYEAR(now())}"),
    (52, 0x0000_0020, "SELECT {fn MONTH(now())}"),
    (52, 0x0000_0040, "SELECT {fn QUARTER(now())}"),
    (52, 0x0000_0080, "SELECT {fn WEEK(today())}"),
    (52, 0x0000_0100, "SELECT {fn YEAR(now())}"),
    (52, 0x0000_0200, "SELECT {fn CURTIME()}"),
    (52, 0x0000_0400, "SELECT {fn HOUR(now())}"),
    (52, 0x0000_0800, "SELECT {fn MINUTE(now())}"),
    (52, 0x0000_1000, "SELECT {fn SECOND(now())}"),
    (52, 0x0000_2000, "SELECT {fn TIMESTAMPADD(SQL_TSI_DAY, 1, now())}"),
    (
        52,
        0x0000_4000,
        "SELECT {fn TIMESTAMPDIFF(SQL_TSI_DAY, today(), now())}",
    ),
    (52, 0x0000_8000, "SELECT {fn DAYNAME(now())}"),
    (52, 0x0001_0000, "SELECT {fn MONTHNAME(now())}"),
    (52, 0x0002_0000, "SELECT {fn CURRENT_DATE()}"),
    (52, 0x0004_0000, "SELECT {fn CURRENT_TIME()}, {fn CURRENT_TIME(3)}"),
    (
        52,
        0x0008_0000,
        "SELECT {fn CURRENT_TIMESTAMP()}, {fn CURRENT_TIMESTAMP(3)}",
    ),
    (52, 0x0010_0000, "SELECT {fn EXTRACT(YEAR FROM now())}"),
    // SQL_SYSTEM_FUNCTIONS
    (51, 0x0000_0001, "SELECT {fn USER()}"),
    (51, 0x0000_0002, "SELECT {fn DATABASE()}"),
    (51, 0x0000_0004, "SELECT {fn IFNULL(NULL, 1)}"),
    // SQL_CONVERT_FUNCTIONS (the SQL_CONVERT_* answers are checked separately)
    (48, 0x0000_0001, "SELECT {fn CONVERT(1, SQL_VARCHAR)}"),
    (
        48,
        0x0000_0002,
        "SELECT CAST(1 AS INTEGER), CAST('a' AS VARCHAR), CAST(1 AS DOUBLE)",
    ),
    // SQL_AGGREGATE_FUNCTIONS
    (169, 0x01, "SELECT AVG(number) FROM numbers(3)"),
    (169, 0x02, "SELECT COUNT(number), COUNT(*) FROM numbers(3)"),
    (169, 0x04, "SELECT MAX(number) FROM numbers(3)"),
    (169, 0x08, "SELECT MIN(number) FROM numbers(3)"),
    (169, 0x10, "SELECT SUM(number) FROM numbers(3)"),
    (
        169,
        0x20,
        "SELECT SUM(DISTINCT number), AVG(DISTINCT number) FROM numbers(3)",
    ),
    (169, 0x40, "SELECT SUM(ALL number) FROM numbers(3)"),
    // SQL_SQL92_STRING_FUNCTIONS
    (164, 0x02, "SELECT LOWER('A')"),
    (164, 0x04, "SELECT UPPER('a')"),
    (164, 0x08, "SELECT SUBSTRING('abc' FROM 2 FOR 1)"),
    (164, 0x20, "SELECT TRIM(BOTH ' ' FROM ' a ')"),
    (164, 0x40, "SELECT TRIM(LEADING ' ' FROM ' a ')"),
    (164, 0x80, "SELECT TRIM(TRAILING ' ' FROM ' a ')"),
    // SQL_SQL92_NUMERIC_VALUE_FUNCTIONS
    (159, 0x01, "SELECT BIT_LENGTH('abc')"),
    (159, 0x02, "SELECT CHAR_LENGTH('abc')"),
    (159, 0x04, "SELECT CHARACTER_LENGTH('abc')"),
    (159, 0x08, "SELECT EXTRACT(YEAR FROM now())"),
    (159, 0x10, "SELECT OCTET_LENGTH('abc')"),
    (159, 0x20, "SELECT POSITION('b' IN 'abc')"),
    // SQL_SQL92_DATETIME_FUNCTIONS
    (155, 0x01, "SELECT CURRENT_DATE"),
    (155, 0x02, "SELECT CURRENT_TIME"),
    (155, 0x04, "SELECT CURRENT_TIMESTAMP"),
    // SQL_SQL92_VALUE_EXPRESSIONS
    (165, 0x01, "SELECT CASE WHEN 1 = 1 THEN 'a' ELSE 'b' END"),
    (165, 0x02, "SELECT CAST(1 AS VARCHAR)"),
    (165, 0x04, "SELECT COALESCE(NULL, 1)"),
    (165, 0x08, "SELECT NULLIF(1, 2)"),
    // SQL_SQL92_PREDICATES
    (160, 0x0001, "SELECT 1 WHERE EXISTS (SELECT 1)"),
    (160, 0x0002, "SELECT 1 WHERE 1 IS NOT NULL"),
    (160, 0x0004, "SELECT 1 WHERE NULL IS NULL"),
    (160, 0x0200, "SELECT 1 WHERE 'abc' LIKE 'a%'"),
    (160, 0x0400, "SELECT 1 WHERE 1 IN (1, 2)"),
    (160, 0x0800, "SELECT 1 WHERE 1 BETWEEN 0 AND 2"),
    (160, 0x1000, "SELECT 1 WHERE 1 < 2 AND 1 <> 2"),
    (160, 0x2000, "SELECT 1 WHERE 1 = ANY (SELECT 1)"),
    // SQL_SQL92_ROW_VALUE_CONSTRUCTOR
    (163, 0x01, "SELECT (1, 2) = (1, 2)"),
    (163, 0x02, "SELECT (1, NULL)"),
    // SQL_SUBQUERIES
    (95, 0x01, "SELECT 1 WHERE 1 = (SELECT 1)"),
    (95, 0x02, "SELECT 1 WHERE EXISTS (SELECT 1)"),
    (95, 0x04, "SELECT 1 WHERE 1 IN (SELECT 1)"),
    (95, 0x08, "SELECT 1 WHERE 1 = ANY (SELECT 1)"),
    // SQL_UNION
    (96, 0x01, "SELECT 1 UNION SELECT 2"),
    (96, 0x02, "SELECT 1 UNION ALL SELECT 2"),
    // SQL_DATETIME_LITERALS
    (119, 0x01, "SELECT DATE '2020-01-02'"),
    (119, 0x04, "SELECT TIMESTAMP '2020-01-02 03:04:05'"),
    // SQL_OJ_CAPABILITIES
    (
        115,
        0x01,
        "SELECT * FROM {oj (SELECT number AS a FROM numbers(2)) AS x \
         LEFT OUTER JOIN (SELECT number AS b FROM numbers(3)) AS y ON x.a = y.b}",
    ),
    (
        115,
        0x02,
        "SELECT * FROM {oj (SELECT number AS a FROM numbers(2)) AS x \
         RIGHT OUTER JOIN (SELECT number AS b FROM numbers(3)) AS y ON x.a = y.b}",
    ),
    (
        115,
        0x04,
        "SELECT * FROM {oj (SELECT number AS a FROM numbers(2)) AS x \
         FULL OUTER JOIN (SELECT number AS b FROM numbers(3)) AS y ON x.a = y.b}",
    ),
    (
        115,
        0x10,
        "SELECT * FROM {oj (SELECT number AS a FROM numbers(2)) AS x \
         LEFT OUTER JOIN (SELECT number AS b FROM numbers(3)) AS y ON y.b = x.a}",
    ),
    (
        115,
        0x40,
        "SELECT * FROM (SELECT number AS a FROM numbers(2)) AS x \
         LEFT OUTER JOIN (SELECT number AS b FROM numbers(3)) AS y ON x.a < y.b",
    ),
    // SQL_SQL92_RELATIONAL_JOIN_OPERATORS
    (
        161,
        0x002,
        "SELECT * FROM (SELECT 1 AS a) AS x CROSS JOIN (SELECT 2 AS b) AS y",
    ),
    (
        161,
        0x008,
        "SELECT * FROM (SELECT number AS a FROM numbers(2)) AS x \
         FULL OUTER JOIN (SELECT number AS b FROM numbers(3)) AS y ON x.a = y.b",
    ),
    (
        161,
        0x010,
        "SELECT * FROM (SELECT number AS a FROM numbers(2)) AS x \
         INNER JOIN (SELECT number AS b FROM numbers(3)) AS y ON x.a = y.b",
    ),
    (
        161,
        0x040,
        "SELECT * FROM (SELECT number AS a FROM numbers(2)) AS x \
         LEFT OUTER JOIN (SELECT number AS b FROM numbers(3)) AS y ON x.a = y.b",
    ),
    (
        161,
        0x100,
        "SELECT * FROM (SELECT number AS a FROM numbers(2)) AS x \
         RIGHT OUTER JOIN (SELECT number AS b FROM numbers(3)) AS y ON x.a = y.b",
    ),
];

/// The intervals of TIMESTAMPADD and TIMESTAMPDIFF by SQL_FN_TSI_* bit.
const INTERVALS: &[(u32, &str)] = &[
    (0x001, "SQL_TSI_FRAC_SECOND"),
    (0x002, "SQL_TSI_SECOND"),
    (0x004, "SQL_TSI_MINUTE"),
    (0x008, "SQL_TSI_HOUR"),
    (0x010, "SQL_TSI_DAY"),
    (0x020, "SQL_TSI_WEEK"),
    (0x040, "SQL_TSI_MONTH"),
    (0x080, "SQL_TSI_QUARTER"),
    (0x100, "SQL_TSI_YEAR"),
];

/// The statements claimed by the answer `mask` to `info_type`; panics on a bit with no statement.
fn claimed_statements(info_type: u16, mask: u32) -> Vec<String> {
    let interval_statement = |name: &str| match info_type {
        109 => Some(format!("SELECT {{fn TIMESTAMPADD({name}, 2, now())}}")),
        110 => Some(format!(
            "SELECT {{fn TIMESTAMPDIFF({name}, toDateTime('2020-01-02 03:04:05'), now())}}"
        )),
        _ => None,
    };
    let mut statements = Vec::new();
    for bit in (0..32).map(|shift| 1u32 << shift).filter(|bit| mask & bit != 0) {
        let from_claims = CLAIMS
            .iter()
            .find(|(claim_type, claim_bit, _)| (*claim_type, *claim_bit) == (info_type, bit))
            .map(|(.., sql)| sql.to_string());
        let from_intervals = INTERVALS
            .iter()
            .find(|(interval_bit, _)| *interval_bit == bit)
            .and_then(|(_, name)| interval_statement(name));
        let statement = from_claims.or(from_intervals);
        statements
            .push(statement.unwrap_or_else(|| panic!("information type {info_type}: no statement for bit {bit:#x}")));
    }
    statements
}

#[test]
fn claimed_functions_and_syntax_run_on_both_servers() {
    let claimed_types: Vec<u16> = {
        let mut types: Vec<u16> = CLAIMS.iter().map(|(info_type, ..)| *info_type).collect();
        types.extend([109, 110]);
        types.sort_unstable();
        types.dedup();
        types
    };
    let mut failures = Vec::new();
    for server in common::servers() {
        let handles = Handles::connect_server(&server);
        for &info_type in &claimed_types {
            for sql in claimed_statements(info_type, handles.integer(info_type)) {
                if let Err((state, message)) = handles.run(&sql) {
                    failures.push(format!(
                        "{}: information type {info_type}: {sql}: {state} {message}",
                        server.name
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// SQL_CONVERT_* by source type: the SQL_CONVERT_* information type and a value of that type for
/// a target (text has to look like the target).
const CONVERT_SOURCES: &[(u16, &str)] = &[
    (53, "toInt64(1)"),
    (54, "'ab'"),
    (55, "toUInt8(1)"),
    (56, "text"),
    (57, "toDate('2020-01-02')"),
    (58, "toDecimal64(1, 2)"),
    (59, "toFloat64(1)"),
    (60, "toFloat64(1)"),
    (61, "toInt32(1)"),
    (62, "text"),
    (63, "toDecimal64(1, 2)"),
    (64, "toFloat32(1)"),
    (65, "toInt16(1)"),
    (66, "'03:04:05'"),
    (67, "toDateTime('2020-01-02 03:04:05')"),
    (68, "toInt8(1)"),
    (69, "'ab'"),
    (70, "text"),
    (71, "'ab'"),
    (122, "text"),
    (123, "INTERVAL 1 DAY"),
    (124, "INTERVAL 1 MONTH"),
    (125, "text"),
    (126, "text"),
    (173, "toUUID('00000000-0000-0000-0000-000000000001')"),
];

/// The SQL_CVT_* bits and the SQL type CONVERT names for each.
const CONVERT_TARGETS: &[(u32, &str)] = &[
    (0x0000_0001, "SQL_CHAR"),
    (0x0000_0002, "SQL_NUMERIC"),
    (0x0000_0004, "SQL_DECIMAL"),
    (0x0000_0008, "SQL_INTEGER"),
    (0x0000_0010, "SQL_SMALLINT"),
    (0x0000_0020, "SQL_FLOAT"),
    (0x0000_0040, "SQL_REAL"),
    (0x0000_0080, "SQL_DOUBLE"),
    (0x0000_0100, "SQL_VARCHAR"),
    (0x0000_0200, "SQL_LONGVARCHAR"),
    (0x0000_0400, "SQL_BINARY"),
    (0x0000_0800, "SQL_VARBINARY"),
    (0x0000_1000, "SQL_BIT"),
    (0x0000_2000, "SQL_TINYINT"),
    (0x0000_4000, "SQL_BIGINT"),
    (0x0000_8000, "SQL_DATE"),
    (0x0001_0000, "SQL_TIME"),
    (0x0002_0000, "SQL_TIMESTAMP"),
    (0x0004_0000, "SQL_LONGVARBINARY"),
    (0x0008_0000, "SQL_INTERVAL_YEAR_TO_MONTH"),
    (0x0010_0000, "SQL_INTERVAL_DAY_TO_SECOND"),
    (0x0020_0000, "SQL_WCHAR"),
    (0x0040_0000, "SQL_WLONGVARCHAR"),
    (0x0080_0000, "SQL_WVARCHAR"),
    (0x0100_0000, "SQL_GUID"),
];

#[test]
fn claimed_conversions_run_on_both_servers() {
    let mut failures = Vec::new();
    let mut conversions = 0;
    for server in common::servers() {
        let handles = Handles::connect_server(&server);
        for &(info_type, value) in CONVERT_SOURCES {
            let mask = handles.integer(info_type);
            let known: u32 = CONVERT_TARGETS.iter().map(|(bit, _)| bit).sum();
            assert_eq!(mask & !known, 0, "information type {info_type}: unknown bits {mask:#x}");
            for &(_, target) in CONVERT_TARGETS.iter().filter(|(bit, _)| mask & bit != 0) {
                let value = match (value, target) {
                    ("text", "SQL_DATE") => "'2020-01-02'",
                    ("text", "SQL_TIMESTAMP") => "'2020-01-02 03:04:05'",
                    ("text", "SQL_GUID") => "'00000000-0000-0000-0000-000000000001'",
                    ("text", _) => "'1'",
                    (value, _) => value,
                };
                let sql = format!("SELECT {{fn CONVERT({value}, {target})}}");
                conversions += 1;
                if let Err((state, message)) = handles.run(&sql) {
                    failures.push(format!(
                        "{}: information type {info_type}: {sql}: {state} {message}",
                        server.name
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(conversions > 0);
}

/// SQL_CREATE_TABLE, SQL_ALTER_TABLE, SQL_INSERT_STATEMENT, SQL_CREATE_VIEW and SQL_DROP_TABLE.
#[test]
fn claimed_data_definition_runs_on_both_servers() {
    for server in common::servers() {
        let handles = Handles::connect_server(&server);
        // SQL_CT_CREATE_TABLE | SQL_CT_COLUMN_DEFAULT
        assert_eq!(handles.integer(132), 0x401);
        // SQL_AT_ADD_COLUMN | SQL_AT_DROP_COLUMN | SQL_AT_ADD_COLUMN_SINGLE | SQL_AT_ADD_COLUMN_DEFAULT
        assert_eq!(handles.integer(86), 0x63);
        // SQL_IS_INSERT_LITERALS | SQL_IS_INSERT_SEARCHED
        assert_eq!(handles.integer(172), 0x3);
        // SQL_CV_CREATE_VIEW; SQL_DT_DROP_TABLE; no DROP VIEW on 18.16.
        assert_eq!(handles.integer(134), 0x1);
        assert_eq!(handles.integer(141), 0x1);
        assert_eq!(handles.integer(143), 0);
        let table = common::unique_table("get_info_ddl");
        let view = format!("{table}_view");
        for sql in [
            format!("CREATE TABLE {table} (a Int32, b Int32 DEFAULT 1) ENGINE = MergeTree ORDER BY a"),
            format!("ALTER TABLE {table} ADD COLUMN c Int32 DEFAULT 2"),
            format!("ALTER TABLE {table} DROP COLUMN c"),
            format!("INSERT INTO {table} (a, b) VALUES (1, 2)"),
            format!("INSERT INTO {table} (a) SELECT toInt32(number) FROM numbers(3)"),
            format!("CREATE VIEW {view} AS SELECT a FROM {table}"),
            format!("SELECT count() FROM {view}"),
            format!("DROP TABLE {view}"),
            format!("DROP TABLE {table}"),
        ] {
            handles
                .run(&sql)
                .unwrap_or_else(|error| panic!("{}: {sql}: {error:?}", server.name));
        }
    }
}
