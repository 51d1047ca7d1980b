//! The driver table (`struct AdbcDriver`, members in adbc.h's order) and the init entry points.

use std::ffi::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicI32, Ordering};

use super::connection::*;
use super::database::*;
use super::error::{AdbcError, AdbcErrorDetail, ErrorFromArrayStream, ErrorGetDetail, ErrorGetDetailCount};
use super::statement::*;
use super::{AdbcHandle, entry};
use crate::adbc::error::{Failure, status};
use crate::adbc::info::{ADBC_VERSION_1_0_0, ADBC_VERSION_1_1_0};
use crate::arrow::abi::{ArrowArray, ArrowArrayStream, ArrowSchema};

type Status = u8;
type Handle = *mut AdbcHandle;
type Error = *mut AdbcError;
type Text = *const c_char;

#[repr(C)]
pub struct AdbcDriver {
    pub private_data: *mut c_void,
    pub private_manager: *mut c_void,
    pub release: Option<unsafe extern "C" fn(*mut AdbcDriver, Error) -> Status>,
    pub DatabaseInit: Option<unsafe extern "C" fn(Handle, Error) -> Status>,
    pub DatabaseNew: Option<unsafe extern "C" fn(Handle, Error) -> Status>,
    pub DatabaseSetOption: Option<unsafe extern "C" fn(Handle, Text, Text, Error) -> Status>,
    pub DatabaseRelease: Option<unsafe extern "C" fn(Handle, Error) -> Status>,
    pub ConnectionCommit: Option<unsafe extern "C" fn(Handle, Error) -> Status>,
    pub ConnectionGetInfo:
        Option<unsafe extern "C" fn(Handle, *const u32, usize, *mut ArrowArrayStream, Error) -> Status>,
    pub ConnectionGetObjects: Option<
        unsafe extern "C" fn(
            Handle,
            c_int,
            Text,
            Text,
            Text,
            *const Text,
            Text,
            *mut ArrowArrayStream,
            Error,
        ) -> Status,
    >,
    pub ConnectionGetTableSchema:
        Option<unsafe extern "C" fn(Handle, Text, Text, Text, *mut ArrowSchema, Error) -> Status>,
    pub ConnectionGetTableTypes: Option<unsafe extern "C" fn(Handle, *mut ArrowArrayStream, Error) -> Status>,
    pub ConnectionInit: Option<unsafe extern "C" fn(Handle, Handle, Error) -> Status>,
    pub ConnectionNew: Option<unsafe extern "C" fn(Handle, Error) -> Status>,
    pub ConnectionSetOption: Option<unsafe extern "C" fn(Handle, Text, Text, Error) -> Status>,
    pub ConnectionReadPartition:
        Option<unsafe extern "C" fn(Handle, *const u8, usize, *mut ArrowArrayStream, Error) -> Status>,
    pub ConnectionRelease: Option<unsafe extern "C" fn(Handle, Error) -> Status>,
    pub ConnectionRollback: Option<unsafe extern "C" fn(Handle, Error) -> Status>,
    pub StatementBind: Option<unsafe extern "C" fn(Handle, *mut ArrowArray, *mut ArrowSchema, Error) -> Status>,
    pub StatementBindStream: Option<unsafe extern "C" fn(Handle, *mut ArrowArrayStream, Error) -> Status>,
    pub StatementExecuteQuery: Option<unsafe extern "C" fn(Handle, *mut ArrowArrayStream, *mut i64, Error) -> Status>,
    pub StatementExecutePartitions:
        Option<unsafe extern "C" fn(Handle, *mut ArrowSchema, *mut c_void, *mut i64, Error) -> Status>,
    pub StatementGetParameterSchema: Option<unsafe extern "C" fn(Handle, *mut ArrowSchema, Error) -> Status>,
    pub StatementNew: Option<unsafe extern "C" fn(Handle, Handle, Error) -> Status>,
    pub StatementPrepare: Option<unsafe extern "C" fn(Handle, Error) -> Status>,
    pub StatementRelease: Option<unsafe extern "C" fn(Handle, Error) -> Status>,
    pub StatementSetOption: Option<unsafe extern "C" fn(Handle, Text, Text, Error) -> Status>,
    pub StatementSetSqlQuery: Option<unsafe extern "C" fn(Handle, Text, Error) -> Status>,
    pub StatementSetSubstraitPlan: Option<unsafe extern "C" fn(Handle, *const u8, usize, Error) -> Status>,
    // ADBC 1.1.0
    pub ErrorGetDetailCount: Option<unsafe extern "C" fn(*const AdbcError) -> c_int>,
    pub ErrorGetDetail: Option<unsafe extern "C" fn(*const AdbcError, c_int) -> AdbcErrorDetail>,
    pub ErrorFromArrayStream: Option<unsafe extern "C" fn(*mut ArrowArrayStream, *mut Status) -> *const AdbcError>,
    pub DatabaseGetOption: Option<unsafe extern "C" fn(Handle, Text, *mut c_char, *mut usize, Error) -> Status>,
    pub DatabaseGetOptionBytes: Option<unsafe extern "C" fn(Handle, Text, *mut u8, *mut usize, Error) -> Status>,
    pub DatabaseGetOptionDouble: Option<unsafe extern "C" fn(Handle, Text, *mut f64, Error) -> Status>,
    pub DatabaseGetOptionInt: Option<unsafe extern "C" fn(Handle, Text, *mut i64, Error) -> Status>,
    pub DatabaseSetOptionBytes: Option<unsafe extern "C" fn(Handle, Text, *const u8, usize, Error) -> Status>,
    pub DatabaseSetOptionDouble: Option<unsafe extern "C" fn(Handle, Text, f64, Error) -> Status>,
    pub DatabaseSetOptionInt: Option<unsafe extern "C" fn(Handle, Text, i64, Error) -> Status>,
    pub ConnectionCancel: Option<unsafe extern "C" fn(Handle, Error) -> Status>,
    pub ConnectionGetOption: Option<unsafe extern "C" fn(Handle, Text, *mut c_char, *mut usize, Error) -> Status>,
    pub ConnectionGetOptionBytes: Option<unsafe extern "C" fn(Handle, Text, *mut u8, *mut usize, Error) -> Status>,
    pub ConnectionGetOptionDouble: Option<unsafe extern "C" fn(Handle, Text, *mut f64, Error) -> Status>,
    pub ConnectionGetOptionInt: Option<unsafe extern "C" fn(Handle, Text, *mut i64, Error) -> Status>,
    pub ConnectionGetStatistics:
        Option<unsafe extern "C" fn(Handle, Text, Text, Text, c_char, *mut ArrowArrayStream, Error) -> Status>,
    pub ConnectionGetStatisticNames: Option<unsafe extern "C" fn(Handle, *mut ArrowArrayStream, Error) -> Status>,
    pub ConnectionSetOptionBytes: Option<unsafe extern "C" fn(Handle, Text, *const u8, usize, Error) -> Status>,
    pub ConnectionSetOptionDouble: Option<unsafe extern "C" fn(Handle, Text, f64, Error) -> Status>,
    pub ConnectionSetOptionInt: Option<unsafe extern "C" fn(Handle, Text, i64, Error) -> Status>,
    pub StatementCancel: Option<unsafe extern "C" fn(Handle, Error) -> Status>,
    pub StatementExecuteSchema: Option<unsafe extern "C" fn(Handle, *mut ArrowSchema, Error) -> Status>,
    pub StatementGetOption: Option<unsafe extern "C" fn(Handle, Text, *mut c_char, *mut usize, Error) -> Status>,
    pub StatementGetOptionBytes: Option<unsafe extern "C" fn(Handle, Text, *mut u8, *mut usize, Error) -> Status>,
    pub StatementGetOptionDouble: Option<unsafe extern "C" fn(Handle, Text, *mut f64, Error) -> Status>,
    pub StatementGetOptionInt: Option<unsafe extern "C" fn(Handle, Text, *mut i64, Error) -> Status>,
    pub StatementSetOptionBytes: Option<unsafe extern "C" fn(Handle, Text, *const u8, usize, Error) -> Status>,
    pub StatementSetOptionDouble: Option<unsafe extern "C" fn(Handle, Text, f64, Error) -> Status>,
    pub StatementSetOptionInt: Option<unsafe extern "C" fn(Handle, Text, i64, Error) -> Status>,
}

/// The bytes of the 1.0.0 table: every member before ErrorGetDetailCount.
pub const DRIVER_1_0_0_SIZE: usize = std::mem::offset_of!(AdbcDriver, ErrorGetDetailCount);

/// The full table; AdbcDriverInit copies it, and 1.1 errors point at it.
struct Table(AdbcDriver);

// SAFETY: the table is never written; its null pointers and function pointers are shared freely.
unsafe impl Sync for Table {}

static TABLE: Table = Table(AdbcDriver {
    private_data: std::ptr::null_mut(),
    private_manager: std::ptr::null_mut(),
    release: Some(DriverRelease),
    DatabaseInit: Some(DatabaseInit),
    DatabaseNew: Some(DatabaseNew),
    DatabaseSetOption: Some(DatabaseSetOption),
    DatabaseRelease: Some(DatabaseRelease),
    ConnectionCommit: Some(ConnectionCommit),
    ConnectionGetInfo: Some(ConnectionGetInfo),
    ConnectionGetObjects: Some(ConnectionGetObjects),
    ConnectionGetTableSchema: Some(ConnectionGetTableSchema),
    ConnectionGetTableTypes: Some(ConnectionGetTableTypes),
    ConnectionInit: Some(ConnectionInit),
    ConnectionNew: Some(ConnectionNew),
    ConnectionSetOption: Some(ConnectionSetOption),
    ConnectionReadPartition: Some(ConnectionReadPartition),
    ConnectionRelease: Some(ConnectionRelease),
    ConnectionRollback: Some(ConnectionRollback),
    StatementBind: Some(StatementBind),
    StatementBindStream: Some(StatementBindStream),
    StatementExecuteQuery: Some(StatementExecuteQuery),
    StatementExecutePartitions: Some(StatementExecutePartitions),
    StatementGetParameterSchema: Some(StatementGetParameterSchema),
    StatementNew: Some(StatementNew),
    StatementPrepare: Some(StatementPrepare),
    StatementRelease: Some(StatementRelease),
    StatementSetOption: Some(StatementSetOption),
    StatementSetSqlQuery: Some(StatementSetSqlQuery),
    StatementSetSubstraitPlan: Some(StatementSetSubstraitPlan),
    ErrorGetDetailCount: Some(ErrorGetDetailCount),
    ErrorGetDetail: Some(ErrorGetDetail),
    ErrorFromArrayStream: Some(ErrorFromArrayStream),
    DatabaseGetOption: Some(DatabaseGetOption),
    DatabaseGetOptionBytes: Some(DatabaseGetOptionBytes),
    DatabaseGetOptionDouble: Some(DatabaseGetOptionDouble),
    DatabaseGetOptionInt: Some(DatabaseGetOptionInt),
    DatabaseSetOptionBytes: Some(DatabaseSetOptionBytes),
    DatabaseSetOptionDouble: Some(DatabaseSetOptionDouble),
    DatabaseSetOptionInt: Some(DatabaseSetOptionInt),
    ConnectionCancel: Some(ConnectionCancel),
    ConnectionGetOption: Some(ConnectionGetOption),
    ConnectionGetOptionBytes: Some(ConnectionGetOptionBytes),
    ConnectionGetOptionDouble: Some(ConnectionGetOptionDouble),
    ConnectionGetOptionInt: Some(ConnectionGetOptionInt),
    ConnectionGetStatistics: Some(ConnectionGetStatistics),
    ConnectionGetStatisticNames: Some(ConnectionGetStatisticNames),
    ConnectionSetOptionBytes: Some(ConnectionSetOptionBytes),
    ConnectionSetOptionDouble: Some(ConnectionSetOptionDouble),
    ConnectionSetOptionInt: Some(ConnectionSetOptionInt),
    StatementCancel: Some(StatementCancel),
    StatementExecuteSchema: Some(StatementExecuteSchema),
    StatementGetOption: Some(StatementGetOption),
    StatementGetOptionBytes: Some(StatementGetOptionBytes),
    StatementGetOptionDouble: Some(StatementGetOptionDouble),
    StatementGetOptionInt: Some(StatementGetOptionInt),
    StatementSetOptionBytes: Some(StatementSetOptionBytes),
    StatementSetOptionDouble: Some(StatementSetOptionDouble),
    StatementSetOptionInt: Some(StatementSetOptionInt),
});

/// The version the last AdbcDriverInit agreed on, for GetInfo.
static VERSION: AtomicI32 = AtomicI32::new(ADBC_VERSION_1_1_0);

pub(super) fn driver_table() -> *mut AdbcDriver {
    std::ptr::from_ref(&TABLE.0).cast_mut()
}

pub(super) fn negotiated_version() -> i32 {
    VERSION.load(Ordering::Relaxed)
}

/// Fills `driver` for ADBC `version` (1.1.0 or 1.0.0; others are NOT_IMPLEMENTED, so that a manager
/// may try an older one).
///
/// # Safety
/// `driver` is null or writable for the size of `version`'s table; `error` null or an AdbcError.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn AdbcDriverInit(version: c_int, driver: *mut c_void, error: *mut AdbcError) -> u8 {
    // SAFETY: forwarded.
    unsafe { init(version, driver, error) }
}

/// The same as `AdbcDriverInit`, under the name a driver manager derives from `libbytehouse.so`.
///
/// # Safety
/// As for [`AdbcDriverInit`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn AdbcBytehouseInit(version: c_int, driver: *mut c_void, error: *mut AdbcError) -> u8 {
    // SAFETY: forwarded.
    unsafe { init(version, driver, error) }
}

/// # Safety
/// As for [`AdbcDriverInit`].
unsafe fn init(version: c_int, driver: *mut c_void, error: *mut AdbcError) -> u8 {
    entry(error, || {
        let size = match version {
            ADBC_VERSION_1_1_0 => std::mem::size_of::<AdbcDriver>(),
            ADBC_VERSION_1_0_0 => DRIVER_1_0_0_SIZE,
            other => {
                return Err(Failure::new(
                    status::NOT_IMPLEMENTED,
                    "HYC00",
                    format!("ADBC version {other} is not supported (1.1.0 and 1.0.0 are)"),
                ));
            }
        };
        if driver.is_null() {
            return Err(Failure::invalid_argument("the driver table is NULL"));
        }
        // SAFETY: the caller's table holds `size` bytes for this version; the table is plain data.
        unsafe { std::ptr::copy_nonoverlapping(std::ptr::from_ref(&TABLE.0).cast::<u8>(), driver.cast::<u8>(), size) };
        VERSION.store(version, Ordering::Relaxed);
        Ok(())
    })
}

unsafe extern "C" fn DriverRelease(driver: *mut AdbcDriver, error: *mut AdbcError) -> u8 {
    entry(error, || {
        // SAFETY: the caller's table; only its private data is ours to clear, and it holds nothing.
        if let Some(driver) = unsafe { driver.as_mut() } {
            driver.private_data = std::ptr::null_mut();
        }
        Ok(())
    })
}

/// For the members a caller may find NULL-checked but this driver has nothing behind.
pub(super) fn not_implemented(what: &str) -> Result<(), Failure> {
    Err(Failure::not_implemented(format!(
        "{what} is not supported by this driver"
    )))
}
