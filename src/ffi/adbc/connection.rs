//! AdbcConnection functions.

use std::ffi::{c_char, c_int};

use super::driver::{negotiated_version, not_implemented};
use super::options::{Optioned, option_functions};
use super::{AdbcError, AdbcHandle, CONNECTIONS, DATABASES, entry, optional_text, out, text};
use parking_lot::{Mutex, MutexGuard};

use crate::adbc::batch_stream::export_batch;
use crate::adbc::connection::Connection;
use crate::adbc::database::Database;
use crate::adbc::error::Failure;
use crate::adbc::info::{get_info, table_types};
use crate::adbc::objects::{Depth, ObjectsRequest, get_objects};
use crate::arrow::abi::{ArrowArrayStream, ArrowSchema};

type Object = Mutex<Connection>;

impl Optioned for Object {
    fn set(&self, key: &str, value: &str) -> Result<(), Failure> {
        self.lock().set_option(key, value)
    }

    fn get(&self, key: &str) -> Result<String, Failure> {
        self.lock().get_option(key)
    }
}

/// # Safety
/// `handle` null or the caller's handle.
unsafe fn connection<'a>(handle: *const AdbcHandle) -> Result<MutexGuard<'a, Connection>, Failure> {
    // SAFETY: as promised by the caller.
    Ok(unsafe { CONNECTIONS.get::<Object>(handle) }?.lock())
}

pub(super) unsafe extern "C" fn ConnectionNew(handle: *mut AdbcHandle, error: *mut AdbcError) -> u8 {
    // SAFETY: the caller passes its handle.
    entry(error, || unsafe { CONNECTIONS.create(handle, Object::default()) })
}

pub(super) unsafe extern "C" fn ConnectionInit(
    handle: *mut AdbcHandle,
    database: *mut AdbcHandle,
    error: *mut AdbcError,
) -> u8 {
    entry(error, || {
        // SAFETY: the caller passes its handles.
        let database = unsafe { DATABASES.get::<Mutex<Database>>(database) }?.lock();
        unsafe { connection(handle) }?.init(&database)
    })
}

pub(super) unsafe extern "C" fn ConnectionRelease(handle: *mut AdbcHandle, error: *mut AdbcError) -> u8 {
    // SAFETY: the caller passes its handle.
    entry(error, || unsafe { CONNECTIONS.release::<Object>(handle) })
}

pub(super) unsafe extern "C" fn ConnectionCommit(handle: *mut AdbcHandle, error: *mut AdbcError) -> u8 {
    // SAFETY: the caller passes its handle.
    entry(error, || unsafe { connection(handle) }?.transaction_end())
}

pub(super) unsafe extern "C" fn ConnectionRollback(handle: *mut AdbcHandle, error: *mut AdbcError) -> u8 {
    // SAFETY: the caller passes its handle.
    entry(error, || unsafe { connection(handle) }?.transaction_end())
}

/// From any thread: no lock is taken, as another call may hold the connection.
pub(super) unsafe extern "C" fn ConnectionCancel(handle: *mut AdbcHandle, error: *mut AdbcError) -> u8 {
    entry(error, || {
        // SAFETY: the caller passes its handle.
        let connection = unsafe { CONNECTIONS.get::<Object>(handle) }?;
        let client = connection.try_lock().map(|connection| connection.client().cloned());
        match client {
            Some(client) => client?.cancel(),
            None => {
                return Err(Failure::invalid_state(
                    "the connection is busy; cancel its statement instead",
                ));
            }
        }
        Ok(())
    })
}

pub(super) unsafe extern "C" fn ConnectionGetInfo(
    handle: *mut AdbcHandle,
    codes: *const u32,
    count: usize,
    stream: *mut ArrowArrayStream,
    error: *mut AdbcError,
) -> u8 {
    entry(error, || {
        // SAFETY: the caller passes its handle, `count` codes (or NULL for all) and a writable stream.
        let (connection, stream) = unsafe { (connection(handle)?, out(stream, "the output stream")?) };
        let codes = (!codes.is_null()).then(|| unsafe { std::slice::from_raw_parts(codes, count) });
        let (schema, batch) = get_info(&connection, codes, negotiated_version())?;
        export_batch(schema, batch, stream);
        Ok(())
    })
}

pub(super) unsafe extern "C" fn ConnectionGetObjects(
    handle: *mut AdbcHandle,
    depth: c_int,
    catalog: *const c_char,
    db_schema: *const c_char,
    table: *const c_char,
    table_types: *const *const c_char,
    column: *const c_char,
    stream: *mut ArrowArrayStream,
    error: *mut AdbcError,
) -> u8 {
    entry(error, || {
        // SAFETY: the caller passes its handle, NULL or NUL-terminated texts, NULL or a
        // NULL-terminated list of them, and a writable stream.
        unsafe {
            let mut types = None;
            if !table_types.is_null() {
                let mut list = Vec::new();
                let mut at = table_types;
                while !(*at).is_null() {
                    list.push(text(*at, "a table type")?.to_string());
                    at = at.add(1);
                }
                types = Some(list);
            }
            let request = ObjectsRequest {
                depth: Depth::from_code(depth)?,
                catalog: optional_text(catalog, "the catalog")?,
                db_schema: optional_text(db_schema, "the schema")?,
                table: optional_text(table, "the table name")?,
                table_types: types,
                column: optional_text(column, "the column name")?,
            };
            let stream = out(stream, "the output stream")?;
            let (schema, batch) = get_objects(&*connection(handle)?, &request)?;
            export_batch(schema, batch, stream);
        }
        Ok(())
    })
}

pub(super) unsafe extern "C" fn ConnectionGetTableSchema(
    handle: *mut AdbcHandle,
    catalog: *const c_char,
    db_schema: *const c_char,
    table: *const c_char,
    schema: *mut ArrowSchema,
    error: *mut AdbcError,
) -> u8 {
    entry(error, || {
        // SAFETY: the caller passes its handle, NULL or NUL-terminated texts and a writable schema.
        unsafe {
            let (catalog, db_schema) = (
                optional_text(catalog, "the catalog")?,
                optional_text(db_schema, "the schema")?,
            );
            let (table, schema) = (text(table, "the table name")?, out(schema, "the output schema")?);
            connection(handle)?
                .table_schema(catalog, db_schema, table)?
                .export(schema);
        }
        Ok(())
    })
}

pub(super) unsafe extern "C" fn ConnectionGetTableTypes(
    handle: *mut AdbcHandle,
    stream: *mut ArrowArrayStream,
    error: *mut AdbcError,
) -> u8 {
    entry(error, || {
        // SAFETY: the caller passes its handle and a writable stream.
        let (connection, stream) = unsafe { (connection(handle)?, out(stream, "the output stream")?) };
        connection.client()?;
        let (schema, batch) = table_types();
        export_batch(schema, batch, stream);
        Ok(())
    })
}

pub(super) unsafe extern "C" fn ConnectionReadPartition(
    _handle: *mut AdbcHandle,
    _partition: *const u8,
    _length: usize,
    _stream: *mut ArrowArrayStream,
    error: *mut AdbcError,
) -> u8 {
    entry(error, || not_implemented("partitioned results"))
}

pub(super) unsafe extern "C" fn ConnectionGetStatistics(
    _handle: *mut AdbcHandle,
    _catalog: *const c_char,
    _db_schema: *const c_char,
    _table: *const c_char,
    _approximate: c_char,
    _stream: *mut ArrowArrayStream,
    error: *mut AdbcError,
) -> u8 {
    entry(error, || not_implemented("GetStatistics"))
}

pub(super) unsafe extern "C" fn ConnectionGetStatisticNames(
    _handle: *mut AdbcHandle,
    _stream: *mut ArrowArrayStream,
    error: *mut AdbcError,
) -> u8 {
    entry(error, || not_implemented("GetStatisticNames"))
}

option_functions!(
    Object,
    CONNECTIONS,
    ConnectionSetOption,
    ConnectionSetOptionBytes,
    ConnectionSetOptionInt,
    ConnectionSetOptionDouble,
    ConnectionGetOption,
    ConnectionGetOptionBytes,
    ConnectionGetOptionInt,
    ConnectionGetOptionDouble
);
