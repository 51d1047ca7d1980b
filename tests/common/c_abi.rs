//! The driver's exported functions called directly (no driver manager): handles for C-ABI tests.

use std::ffi::c_void;
use std::ptr::null_mut;

use bytehouse::ffi::*;

use super::{Server, diagnostic, host};

pub const HANDLE_ENV: i16 = 1;
pub const HANDLE_DBC: i16 = 2;
pub const HANDLE_STMT: i16 = 3;
pub const HANDLE_DESC: i16 = 4;

/// An allocated environment and connection, and once connected a statement (null until then).
pub struct Handles {
    pub env: *mut c_void,
    pub dbc: *mut c_void,
    pub stmt: *mut c_void,
}

impl Handles {
    /// An ODBC 3 environment and a connection handle, not connected.
    pub fn allocate() -> Handles {
        let mut handles = Handles {
            env: null_mut(),
            dbc: null_mut(),
            stmt: null_mut(),
        };
        unsafe {
            assert_eq!(SQLAllocHandle(HANDLE_ENV, null_mut(), &mut handles.env), SQL_SUCCESS);
            assert_eq!(SQLSetEnvAttr(handles.env, 200, 3 as *mut c_void, 0), SQL_SUCCESS);
            assert_eq!(SQLAllocHandle(HANDLE_DBC, handles.env, &mut handles.dbc), SQL_SUCCESS);
        }
        handles
    }

    /// Connects the allocated connection and allocates the statement; Err with the connection's
    /// first diagnostic if the connection is refused.
    pub fn connect_with(&mut self, connection_string: &str) -> Result<(), (String, String)> {
        unsafe {
            let code = SQLDriverConnect(
                self.dbc,
                null_mut(),
                connection_string.as_ptr(),
                connection_string.len() as i16,
                null_mut(),
                0,
                null_mut(),
                0,
            );
            if code != SQL_SUCCESS {
                return Err(diagnostic(HANDLE_DBC, self.dbc));
            }
            assert_eq!(SQLAllocHandle(HANDLE_STMT, self.dbc, &mut self.stmt), SQL_SUCCESS);
        }
        Ok(())
    }

    pub fn connect(connection_string: &str) -> Result<Handles, (String, String)> {
        let mut handles = Handles::allocate();
        handles.connect_with(connection_string)?;
        Ok(handles)
    }

    /// Connected to a test server; panics with the diagnostic if that fails.
    pub fn connect_server(server: &Server) -> Handles {
        let text = format!("Host={};Port={}", host(), server.port);
        Handles::connect(&text).unwrap_or_else(|error| panic!("connect {text}: {error:?}"))
    }

    pub fn execute(&self, sql: &str) -> i16 {
        unsafe { SQLExecDirect(self.stmt, sql.as_ptr(), sql.len() as i32) }
    }

    /// Asserts that `code` is SQL_SUCCESS or SQL_SUCCESS_WITH_INFO, showing the statement's
    /// diagnostic if not.
    pub fn ok(&self, code: i16) {
        assert!(
            code == SQL_SUCCESS || code == SQL_SUCCESS_WITH_INFO,
            "code {code}: {:?}",
            diagnostic(HANDLE_STMT, self.stmt)
        );
    }

    /// The first column of every row of `sql` as text (`NULL` for NULL), read with SQLGetData.
    pub fn query_text(&self, sql: &str) -> Vec<String> {
        self.ok(self.execute(sql));
        let mut rows = Vec::new();
        while unsafe { SQLFetch(self.stmt) } == SQL_SUCCESS {
            let mut buffer = [0u8; 64];
            let mut length = 0isize;
            let code = unsafe { SQLGetData(self.stmt, 1, 1, buffer.as_mut_ptr().cast(), 64, &mut length) };
            self.ok(code);
            rows.push(match usize::try_from(length) {
                Ok(length) => String::from_utf8_lossy(&buffer[..length]).into_owned(),
                Err(_) => "NULL".to_string(),
            });
        }
        unsafe { SQLCloseCursor(self.stmt) };
        rows
    }
}

impl Drop for Handles {
    fn drop(&mut self) {
        unsafe {
            if !self.stmt.is_null() {
                SQLFreeHandle(HANDLE_STMT, self.stmt);
                SQLDisconnect(self.dbc);
            }
            SQLFreeHandle(HANDLE_DBC, self.dbc);
            SQLFreeHandle(HANDLE_ENV, self.env);
        }
    }
}
