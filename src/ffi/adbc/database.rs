//! AdbcDatabase functions.

use std::ffi::c_char;

use super::options::{Optioned, option_functions};
use super::{AdbcError, AdbcHandle, DATABASES, entry};
use parking_lot::Mutex;

use crate::adbc::database::Database;
use crate::adbc::error::Failure;

type Object = Mutex<Database>;

impl Optioned for Object {
    fn set(&self, key: &str, value: &str) -> Result<(), Failure> {
        self.lock().set_option(key, value)
    }

    fn get(&self, key: &str) -> Result<String, Failure> {
        self.lock().get_option(key)
    }
}

pub(super) unsafe extern "C" fn DatabaseNew(handle: *mut AdbcHandle, error: *mut AdbcError) -> u8 {
    // SAFETY: the caller passes its handle.
    entry(error, || unsafe { DATABASES.create(handle, Object::default()) })
}

pub(super) unsafe extern "C" fn DatabaseInit(handle: *mut AdbcHandle, error: *mut AdbcError) -> u8 {
    // SAFETY: the caller passes its handle.
    entry(error, || unsafe { DATABASES.get::<Object>(handle) }?.lock().init())
}

pub(super) unsafe extern "C" fn DatabaseRelease(handle: *mut AdbcHandle, error: *mut AdbcError) -> u8 {
    // SAFETY: the caller passes its handle.
    entry(error, || unsafe { DATABASES.release::<Object>(handle) })
}

option_functions!(
    Object,
    DATABASES,
    DatabaseSetOption,
    DatabaseSetOptionBytes,
    DatabaseSetOptionInt,
    DatabaseSetOptionDouble,
    DatabaseGetOption,
    DatabaseGetOptionBytes,
    DatabaseGetOptionInt,
    DatabaseGetOptionDouble
);
