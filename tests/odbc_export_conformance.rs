//! How the exported functions treat what applications pass them, called directly against both
//! test servers: statement lengths that count trailing NULs, output lengths too long for their
//! type, diagnostic fields of every width, out-of-range counts and array sizes, SQLExtendedFetch,
//! what SQLDisconnect frees, and explicit descriptors installed more than once.

mod common;

use std::ffi::c_void;
use std::ptr::null_mut;

use bytehouse::ffi::*;
use common::c_abi::{HANDLE_DESC, HANDLE_STMT, Handles};
use common::{diagnostic, servers};

const C_SLONG: i16 = -16;
const ATTR_PARAMSET_SIZE: i32 = 22;
const ATTR_ROW_ARRAY_SIZE: i32 = 27;
const ATTR_APP_ROW_DESC: i32 = 10010;
const DESC_COUNT: i16 = 1001;
const DESC_DATA_PTR: i16 = 1010;

/// An integer attribute or field value, passed in the pointer argument as ODBC does.
fn integer(value: usize) -> *mut c_void {
    std::ptr::without_provenance_mut(value)
}

fn connect(port: u16) -> Handles {
    Handles::connect(&format!("Host={};Port={port}", common::host())).unwrap()
}

fn statement_attribute(stmt: *mut c_void, attribute: i32) -> usize {
    let mut value = 0usize;
    let code = unsafe { SQLGetStmtAttr(stmt, attribute, (&mut value as *mut usize).cast(), 0, null_mut()) };
    assert_eq!(code, SQL_SUCCESS, "{:?}", diagnostic(HANDLE_STMT, stmt));
    value
}

#[test]
fn counts_and_array_sizes_out_of_range_are_errors() {
    for server in servers() {
        let handles = connect(server.port);
        let stmt = handles.stmt;
        let ard = statement_attribute(stmt, ATTR_APP_ROW_DESC) as *mut c_void;
        unsafe {
            // SQL_DESC_COUNT is an SQLSMALLINT: 2^42 records would abort the process.
            for count in [1usize << 42, 32_768, usize::MAX] {
                assert_eq!(SQLSetDescField(ard, 0, DESC_COUNT, integer(count), 0), SQL_ERROR);
                assert_eq!(diagnostic(HANDLE_DESC, ard).0, "07009", "count {count}");
            }
            assert_eq!(SQLSetDescField(ard, 0, DESC_COUNT, integer(2), 0), SQL_SUCCESS);
            assert_eq!(SQLSetDescField(ard, 0, DESC_COUNT, integer(0), 0), SQL_SUCCESS);
            assert_eq!(SQLSetDescField(ard, -1, DESC_DATA_PTR, integer(8), 0), SQL_ERROR);
            assert_eq!(diagnostic(HANDLE_DESC, ard).0, "07009");
            let mut target = 0i32;
            let code = SQLBindCol(stmt, 40_000, C_SLONG, (&mut target as *mut i32).cast(), 4, null_mut());
            assert_eq!(code, SQL_ERROR);
            assert_eq!(diagnostic(HANDLE_STMT, stmt).0, "07009");

            for attribute in [ATTR_ROW_ARRAY_SIZE, ATTR_PARAMSET_SIZE] {
                for size in [0, 1usize << 42, usize::MAX] {
                    assert_eq!(SQLSetStmtAttr(stmt, attribute, integer(size), 0), SQL_ERROR);
                    assert_eq!(diagnostic(HANDLE_STMT, stmt).0, "HY024", "{attribute} = {size}");
                }
                assert_eq!(statement_attribute(stmt, attribute), 1, "unchanged");
            }
            assert_eq!(SQLParamOptions(stmt, 1 << 42, null_mut()), SQL_ERROR);
            assert_eq!(diagnostic(HANDLE_STMT, stmt).0, "HY024");
            assert_eq!(SQLSetStmtOption(stmt, ATTR_ROW_ARRAY_SIZE as u16, 1 << 42), SQL_ERROR);
            assert_eq!(diagnostic(HANDLE_STMT, stmt).0, "HY024");
        }
        assert_eq!(handles.query_text("SELECT 1"), ["1"], "{}", server.name);
    }
}
