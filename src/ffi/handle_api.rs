//! Handle life cycle: SQLAllocHandle, SQLFreeHandle, SQLFreeStmt, environment attributes.

use std::ffi::c_void;
use std::panic::catch_unwind;
use std::sync::atomic::Ordering;

use super::{SQL_ERROR, SQL_INVALID_HANDLE, SQL_SUCCESS, entry, write_number};
use crate::odbc::descriptor::{Role, Width};
use crate::odbc::diag::Diagnostic;
use crate::odbc::handles::{Dbc, Desc, Env, Handle, Stmt};

const HANDLE_ENV: i16 = 1;
const HANDLE_DBC: i16 = 2;
const HANDLE_STMT: i16 = 3;
const HANDLE_DESC: i16 = 4;

const ATTR_ODBC_VERSION: i32 = 200;
const ATTR_OUTPUT_NTS: i32 = 10001;

const FREE_CLOSE: u16 = 0;
const FREE_DROP: u16 = 1;
const FREE_UNBIND: u16 = 2;
const FREE_RESET_PARAMS: u16 = 3;

fn null_pointer() -> Diagnostic {
    Diagnostic::new("HY009", "invalid use of null pointer")
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlallochandle-function>
///
/// # Safety
/// `output` must be null or valid for one write; `input` must be a handle from this driver or null.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLAllocHandle(handle_type: i16, input: *mut c_void, output: *mut *mut c_void) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { alloc_handle(handle_type, input, output) }
}

/// The body of [`SQLAllocHandle`], also behind the ODBC 2 allocation functions.
///
/// # Safety
/// As for [`SQLAllocHandle`].
pub(super) unsafe fn alloc_handle(handle_type: i16, input: *mut c_void, output: *mut *mut c_void) -> i16 {
    match handle_type {
        HANDLE_ENV => {
            if output.is_null() {
                return SQL_ERROR;
            }
            catch_unwind(|| {
                // SAFETY: checked non-null above; the caller promises it is writable.
                unsafe { output.write(Env::default().register()) };
                SQL_SUCCESS
            })
            .unwrap_or(SQL_ERROR)
        }
        HANDLE_DBC => entry::<Env>(input, |env| {
            if output.is_null() {
                return Err(null_pointer());
            }
            env.connections.fetch_add(1, Ordering::AcqRel);
            // SAFETY: checked non-null; the caller promises it is writable.
            unsafe { output.write(Dbc::new(input as usize).register()) };
            Ok(SQL_SUCCESS)
        }),
        HANDLE_STMT => entry::<Dbc>(input, |dbc| {
            if output.is_null() {
                return Err(null_pointer());
            }
            if !dbc.is_connected() {
                return Err(Diagnostic::new("08003", "connection not open"));
            }
            let handle = Stmt::allocate(input as usize);
            dbc.statements.lock().push(handle as usize);
            // SAFETY: checked non-null; the caller promises it is writable.
            unsafe { output.write(handle) };
            Ok(SQL_SUCCESS)
        }),
        HANDLE_DESC => entry::<Dbc>(input, |dbc| {
            if output.is_null() {
                return Err(null_pointer());
            }
            if !dbc.is_connected() {
                return Err(Diagnostic::new("08003", "connection not open"));
            }
            let handle = Desc::new(input as usize, 0, Role::Explicit).register();
            dbc.descriptors.lock().push(handle as usize);
            // SAFETY: checked non-null; the caller promises it is writable.
            unsafe { output.write(handle) };
            Ok(SQL_SUCCESS)
        }),
        _ => entry::<Dbc>(input, |_| {
            Err(Diagnostic::new(
                "HYC00",
                format!("handle type {handle_type} is not supported"),
            ))
        }),
    }
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlfreehandle-function>
///
/// # Safety
/// `handle` must not be used by another thread during or after the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLFreeHandle(handle_type: i16, handle: *mut c_void) -> i16 {
    // SAFETY: forwarded from the caller.
    unsafe { free_handle(handle_type, handle) }
}

/// The body of [`SQLFreeHandle`], also behind SQLFreeStmt(SQL_DROP) and the ODBC 2 functions.
///
/// # Safety
/// As for [`SQLFreeHandle`].
pub(super) unsafe fn free_handle(handle_type: i16, handle: *mut c_void) -> i16 {
    catch_unwind(|| match handle_type {
        HANDLE_ENV => {
            // SAFETY: the caller hands the handle back for good.
            match unsafe { Env::from_handle(handle) } {
                None => SQL_INVALID_HANDLE,
                Some(env) if env.connections.load(Ordering::Acquire) > 0 => {
                    env.diagnostics
                        .push(Diagnostic::new("HY010", "the environment still has connections"));
                    env.diagnostics.set_return_code(SQL_ERROR);
                    SQL_ERROR
                }
                // SAFETY: as above.
                Some(_) => unsafe { Env::release(handle) }.map_or(SQL_INVALID_HANDLE, |_| SQL_SUCCESS),
            }
        }
        HANDLE_DBC => {
            // SAFETY: as above.
            match unsafe { Dbc::from_handle(handle) } {
                None => SQL_INVALID_HANDLE,
                Some(dbc) if dbc.is_connected() => {
                    dbc.diagnostics.push(Diagnostic::new("HY010", "disconnect first"));
                    dbc.diagnostics.set_return_code(SQL_ERROR);
                    SQL_ERROR
                }
                // Its statements and descriptors went when it disconnected.
                Some(dbc) => {
                    // SAFETY: the environment outlives its connections (see HANDLE_ENV above).
                    let env = unsafe { &*(dbc.env as *const Env) };
                    env.connections.fetch_sub(1, Ordering::AcqRel);
                    // SAFETY: as above.
                    unsafe { Dbc::release(handle) }.map_or(SQL_INVALID_HANDLE, |_| SQL_SUCCESS)
                }
            }
        }
        // SAFETY: as above.
        HANDLE_STMT => match unsafe { Stmt::free(handle) } {
            true => SQL_SUCCESS,
            false => SQL_INVALID_HANDLE,
        },
        // SAFETY: as above.
        HANDLE_DESC => match unsafe { Desc::from_handle(handle) } {
            None => SQL_INVALID_HANDLE,
            Some(desc) if desc.owner != 0 => {
                desc.diagnostics.push(Diagnostic::new(
                    "HY017",
                    "a statement's own descriptor is freed with the statement",
                ));
                desc.diagnostics.set_return_code(SQL_ERROR);
                SQL_ERROR
            }
            Some(desc) => {
                desc.detach();
                // SAFETY: the connection outlives its descriptors.
                let dbc = unsafe { &*(desc.dbc as *const Dbc) };
                dbc.descriptors.lock().retain(|&address| address != handle as usize);
                // SAFETY: as above.
                drop(unsafe { Desc::release(handle) });
                SQL_SUCCESS
            }
        },
        _ => SQL_INVALID_HANDLE,
    })
    .unwrap_or(SQL_ERROR)
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlfreestmt-function>
///
/// # Safety
/// `statement` must be a statement handle; SQL_DROP frees it.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLFreeStmt(statement: *mut c_void, option: u16) -> i16 {
    if option == FREE_DROP {
        // SAFETY: forwarded from the caller.
        return unsafe { free_handle(HANDLE_STMT, statement) };
    }
    entry::<Stmt>(statement, |stmt| match option {
        FREE_CLOSE => {
            stmt.close_cursor(&mut stmt.state.lock());
            Ok(SQL_SUCCESS)
        }
        FREE_UNBIND => {
            stmt.ard().fields.lock().records.clear();
            Ok(SQL_SUCCESS)
        }
        FREE_RESET_PARAMS => {
            stmt.apd().fields.lock().records.clear();
            stmt.ipd().fields.lock().records.clear();
            Ok(SQL_SUCCESS)
        }
        other => Err(Diagnostic::new("HY092", format!("invalid SQLFreeStmt option {other}"))),
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlsetenvattr-function>
///
/// # Safety
/// `environment` must be an environment handle.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLSetEnvAttr(
    environment: *mut c_void,
    attribute: i32,
    value: *mut c_void,
    _length: i32,
) -> i16 {
    entry::<Env>(environment, |env| match attribute {
        // Integer attributes arrive as the pointer value itself.
        ATTR_ODBC_VERSION => {
            env.odbc_version.store(value as usize as i32, Ordering::Release);
            Ok(SQL_SUCCESS)
        }
        ATTR_OUTPUT_NTS if value as usize == 1 => Ok(SQL_SUCCESS),
        other => Err(Diagnostic::new(
            "HYC00",
            format!("environment attribute {other} is not supported"),
        )),
    })
}

/// <https://learn.microsoft.com/sql/odbc/reference/syntax/sqlgetenvattr-function>
///
/// # Safety
/// `value` must be null or valid for a 4-byte write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn SQLGetEnvAttr(
    environment: *mut c_void,
    attribute: i32,
    value: *mut c_void,
    _buffer_length: i32,
    length: *mut i32,
) -> i16 {
    entry::<Env>(environment, |env| {
        let answer = match attribute {
            ATTR_ODBC_VERSION => env.odbc_version.load(Ordering::Acquire),
            ATTR_OUTPUT_NTS => 1,
            other => {
                return Err(Diagnostic::new(
                    "HY092",
                    format!("environment attribute {other} is not known"),
                ));
            }
        };
        // SAFETY: the caller promises a 4-byte integer buffer.
        unsafe { write_number(value, Width::Integer, answer as isize, length) };
        Ok(SQL_SUCCESS)
    })
}
