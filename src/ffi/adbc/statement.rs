//! AdbcStatement functions.

use std::ffi::c_char;
use std::sync::Arc;

use parking_lot::{Mutex, MutexGuard};

use super::driver::not_implemented;
use super::options::{Optioned, option_functions};
use super::{AdbcError, AdbcHandle, CONNECTIONS, STATEMENTS, entry, out, text};
use crate::adbc::bound::Bound;
use crate::adbc::connection::Connection;
use crate::adbc::error::Failure;
use crate::adbc::statement::Statement;
use crate::arrow::abi::{ArrowArray, ArrowArrayStream, ArrowSchema};
use crate::capi::Client;

/// A statement, and its connection's client for a cancel that must not wait for the statement's lock.
struct Object {
    client: Arc<Client>,
    statement: Mutex<Statement>,
}

impl Optioned for Object {
    fn set(&self, key: &str, value: &str) -> Result<(), Failure> {
        self.statement.lock().set_option(key, value)
    }

    fn get(&self, key: &str) -> Result<String, Failure> {
        self.statement.lock().get_option(key)
    }
}

/// # Safety
/// `handle` null or the caller's handle.
unsafe fn statement<'a>(handle: *const AdbcHandle) -> Result<MutexGuard<'a, Statement>, Failure> {
    // SAFETY: as promised by the caller.
    Ok(unsafe { STATEMENTS.get::<Object>(handle) }?.statement.lock())
}

pub(super) unsafe extern "C" fn StatementNew(
    connection: *mut AdbcHandle,
    handle: *mut AdbcHandle,
    error: *mut AdbcError,
) -> u8 {
    entry(error, || {
        // SAFETY: the caller passes its handles.
        let client = Arc::clone(
            unsafe { CONNECTIONS.get::<Mutex<Connection>>(connection) }?
                .lock()
                .client()?,
        );
        let object = Object {
            statement: Mutex::new(Statement::new(Arc::clone(&client))),
            client,
        };
        // SAFETY: as above.
        unsafe { STATEMENTS.create(handle, object) }
    })
}

pub(super) unsafe extern "C" fn StatementRelease(handle: *mut AdbcHandle, error: *mut AdbcError) -> u8 {
    // SAFETY: the caller passes its handle.
    entry(error, || unsafe { STATEMENTS.release::<Object>(handle) })
}

pub(super) unsafe extern "C" fn StatementSetSqlQuery(
    handle: *mut AdbcHandle,
    sql: *const c_char,
    error: *mut AdbcError,
) -> u8 {
    entry(error, || {
        // SAFETY: the caller passes its handle and NUL-terminated text.
        let (mut statement, sql) = unsafe { (statement(handle)?, text(sql, "the SQL")?) };
        statement.set_sql(sql);
        Ok(())
    })
}

pub(super) unsafe extern "C" fn StatementPrepare(handle: *mut AdbcHandle, error: *mut AdbcError) -> u8 {
    // SAFETY: the caller passes its handle.
    entry(error, || unsafe { statement(handle) }?.prepare())
}

pub(super) unsafe extern "C" fn StatementBind(
    handle: *mut AdbcHandle,
    values: *mut ArrowArray,
    schema: *mut ArrowSchema,
    error: *mut AdbcError,
) -> u8 {
    entry(error, || {
        // SAFETY: the caller passes its handle and a batch with its schema, which the statement takes.
        unsafe {
            let mut statement = statement(handle)?;
            let bound = Bound::batch(out(schema, "the schema")?, out(values, "the values")?)?;
            statement.bind(bound);
        }
        Ok(())
    })
}

pub(super) unsafe extern "C" fn StatementBindStream(
    handle: *mut AdbcHandle,
    stream: *mut ArrowArrayStream,
    error: *mut AdbcError,
) -> u8 {
    entry(error, || {
        // SAFETY: the caller passes its handle and a stream, which the statement takes.
        unsafe {
            let mut statement = statement(handle)?;
            statement.bind(Bound::stream(out(stream, "the stream")?)?);
        }
        Ok(())
    })
}

pub(super) unsafe extern "C" fn StatementExecuteQuery(
    handle: *mut AdbcHandle,
    stream: *mut ArrowArrayStream,
    rows_affected: *mut i64,
    error: *mut AdbcError,
) -> u8 {
    entry(error, || {
        // SAFETY: the caller passes its handle, and NULL or writable outputs.
        unsafe {
            let rows = statement(handle)?.execute(stream.as_mut())?;
            if let Some(rows_affected) = rows_affected.as_mut() {
                *rows_affected = rows;
            }
        }
        Ok(())
    })
}

pub(super) unsafe extern "C" fn StatementExecuteSchema(
    handle: *mut AdbcHandle,
    schema: *mut ArrowSchema,
    error: *mut AdbcError,
) -> u8 {
    entry(error, || {
        // SAFETY: the caller passes its handle and a writable schema.
        unsafe {
            let out = out(schema, "the output schema")?;
            statement(handle)?.execute_schema()?.export(out);
        }
        Ok(())
    })
}

pub(super) unsafe extern "C" fn StatementGetParameterSchema(
    handle: *mut AdbcHandle,
    schema: *mut ArrowSchema,
    error: *mut AdbcError,
) -> u8 {
    entry(error, || {
        // SAFETY: the caller passes its handle and a writable schema.
        unsafe {
            let out = out(schema, "the output schema")?;
            statement(handle)?.parameter_schema()?.export(out);
        }
        Ok(())
    })
}

/// From any thread, also while the statement runs.
pub(super) unsafe extern "C" fn StatementCancel(handle: *mut AdbcHandle, error: *mut AdbcError) -> u8 {
    entry(error, || {
        // SAFETY: the caller passes its handle.
        unsafe { STATEMENTS.get::<Object>(handle) }?.client.cancel();
        Ok(())
    })
}

pub(super) unsafe extern "C" fn StatementExecutePartitions(
    _handle: *mut AdbcHandle,
    _schema: *mut ArrowSchema,
    _partitions: *mut std::ffi::c_void,
    _rows_affected: *mut i64,
    error: *mut AdbcError,
) -> u8 {
    entry(error, || not_implemented("partitioned results"))
}

pub(super) unsafe extern "C" fn StatementSetSubstraitPlan(
    _handle: *mut AdbcHandle,
    _plan: *const u8,
    _length: usize,
    error: *mut AdbcError,
) -> u8 {
    entry(error, || not_implemented("Substrait plans"))
}

option_functions!(
    Object,
    STATEMENTS,
    StatementSetOption,
    StatementSetOptionBytes,
    StatementSetOptionInt,
    StatementSetOptionDouble,
    StatementGetOption,
    StatementGetOptionBytes,
    StatementGetOptionInt,
    StatementGetOptionDouble
);
