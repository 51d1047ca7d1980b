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
        // SAFETY: forwarded from the caller.
        HANDLE_STMT => unsafe {
            allocate_on_connection(input, output, |dbc| {
                let handle = Stmt::allocate(input as usize);
                dbc.statements.lock().push(handle as usize);
                handle
            })
        },
        // SAFETY: forwarded from the caller.
        HANDLE_DESC => unsafe {
            allocate_on_connection(input, output, |dbc| {
                let handle = Desc::new(input as usize, 0, Role::Explicit).register();
                dbc.descriptors.lock().push(handle as usize);
                handle
            })
        },
        _ => entry::<Dbc>(input, |_| {
            Err(Diagnostic::new(
                "HYC00",
                format!("handle type {handle_type} is not supported"),
            ))
        }),
    }
}

/// Allocates a statement or a descriptor on the open connection `input` with `allocate`, which
/// also lists the new handle on the connection, and writes it to `output`.
///
/// # Safety
/// `output` must be null or valid for one write.
unsafe fn allocate_on_connection(
    input: *mut c_void,
    output: *mut *mut c_void,
    allocate: impl FnOnce(&Dbc) -> *mut c_void,
) -> i16 {
    entry::<Dbc>(input, |dbc| {
        if output.is_null() {
            return Err(null_pointer());
        }
        if !dbc.is_connected() {
            return Err(Diagnostic::new("08003", "connection not open"));
        }
        // SAFETY: checked non-null; the caller promises it is writable.
        unsafe { output.write(allocate(dbc)) };
        Ok(SQL_SUCCESS)
    })
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
    // Each kind is first checked inside `entry`, which reports a refusal as any call does; only a
    // handle that may go is released after it.
    match handle_type {
        HANDLE_ENV => {
            let code = entry::<Env>(handle, |env| match env.connections.load(Ordering::Acquire) {
                0 => Ok(SQL_SUCCESS),
                _ => Err(Diagnostic::new("HY010", "the environment still has connections")),
            });
            // SAFETY: the caller hands the handle back for good.
            release_if(code, || drop(unsafe { Env::release(handle) }))
        }
        HANDLE_DBC => {
            let code = entry::<Dbc>(handle, |dbc| match dbc.is_connected() {
                // Its statements and descriptors went when it disconnected.
                false => Ok(SQL_SUCCESS),
                true => Err(Diagnostic::new("HY010", "disconnect first")),
            });
            release_if(code, || {
                // SAFETY: as above.
                if let Some(dbc) = unsafe { Dbc::release(handle) } {
                    dbc.env().connections.fetch_sub(1, Ordering::AcqRel);
                }
            })
        }
        // SAFETY: as above.
        HANDLE_STMT => catch_unwind(|| match unsafe { Stmt::free(handle) } {
            true => SQL_SUCCESS,
            false => SQL_INVALID_HANDLE,
        })
        .unwrap_or(SQL_ERROR),
        HANDLE_DESC => {
            let code = entry::<Desc>(handle, |desc| match desc.owner {
                0 => Ok(SQL_SUCCESS),
                _ => Err(Diagnostic::new(
                    "HY017",
                    "a statement's own descriptor is freed with the statement",
                )),
            });
            release_if(code, || {
                // SAFETY: as above.
                if let Some(desc) = unsafe { Desc::release(handle) } {
                    desc.detach();
                    // SAFETY: the connection outlives its descriptors (SQLDisconnect frees them).
                    let dbc = unsafe { &*(desc.dbc as *const Dbc) };
                    dbc.descriptors.lock().retain(|&address| address != handle as usize);
                }
            })
        }
        _ => SQL_INVALID_HANDLE,
    }
}

/// Runs `release` when `code`, what checking the handle returned, is SQL_SUCCESS; a panic in it
/// is SQL_ERROR.
fn release_if(code: i16, release: impl FnOnce()) -> i16 {
    if code != SQL_SUCCESS {
        return code;
    }
    catch_unwind(std::panic::AssertUnwindSafe(release)).map_or(SQL_ERROR, |_| SQL_SUCCESS)
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
