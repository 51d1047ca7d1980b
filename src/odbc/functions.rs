//! Which ODBC functions the driver has, for SQLGetFunctions.

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

/// SQLGetFunctions' answer for `function`, as the SQLUSMALLINTs to write: the ODBC 3 bitmap (250),
/// the ODBC 2 table (100), or whether that one function exists (1).
pub fn supported(function: u16) -> Vec<u16> {
    let ids = EXPORTED_FUNCTIONS.iter().map(|(id, _)| usize::from(*id));
    match function {
        API_ODBC3_ALL_FUNCTIONS => {
            let mut bitmap = vec![0u16; ODBC3_BITMAP_WORDS];
            for id in ids {
                bitmap[id >> 4] |= 1 << (id & 15);
            }
            bitmap
        }
        API_ALL_FUNCTIONS => {
            let mut table = vec![0u16; ODBC2_TABLE_SIZE];
            for id in ids.filter(|&id| id < ODBC2_TABLE_SIZE) {
                table[id] = 1;
            }
            table
        }
        single => vec![u16::from(EXPORTED_FUNCTIONS.iter().any(|(id, _)| *id == single))],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_three_shapes_agree() {
        let bitmap = supported(API_ODBC3_ALL_FUNCTIONS);
        let table = supported(API_ALL_FUNCTIONS);
        assert_eq!((bitmap.len(), table.len()), (ODBC3_BITMAP_WORDS, ODBC2_TABLE_SIZE));
        for id in [13u16, 43, 1021, 57, 1002] {
            let one = supported(id)[0];
            assert_eq!(bitmap[usize::from(id) >> 4] >> (id & 15) & 1, one, "{id}");
            if usize::from(id) < ODBC2_TABLE_SIZE {
                assert_eq!(table[usize::from(id)], one, "{id}");
            }
        }
        assert_eq!(supported(13), [1]);
        assert_eq!(supported(57), [0]);
    }
}
