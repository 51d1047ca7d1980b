//! Per-statement options for the C API: settings, a query timeout and a progress callback.
#![allow(non_camel_case_types)]

use std::ffi::{CStr, c_char, c_void};
use std::time::Duration;

use super::error::CError;
use crate::native::{ProgressObserver, Setting};

/// More settings than any server has: a count beyond it is taken for garbage, not read.
const MAX_SETTINGS: usize = 4096;

/// One setting for a statement: its name and value as text (e.g. "max_threads" and "1").
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct bh_setting {
    pub name: *const c_char,
    pub value: *const c_char,
}

/// Called with the rows and bytes the server has read so far for the statement (sums that only
/// grow), each time the server reports progress. It runs on the thread that called the API, inside
/// that call (while a result is read). It may call `bh_cancel`; any other call that could wait for
/// a connection fails with HY010 there (`bh_result_free`, `bh_insert_free` and a stream's
/// `release` do nothing, `get_next` returns EINVAL), since the connection is busy in that read.
pub type bh_progress_callback = Option<unsafe extern "C" fn(context: *mut c_void, rows: u64, bytes: u64)>;

/// Options for one statement; NULL in place of a pointer to one means all defaults, as does a
/// zeroed struct.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct bh_query_options {
    /// `n_settings` settings sent with the statement (NULL when 0). A name the server does not know,
    /// or a value it refuses, fails the statement with the server's code and message naming the
    /// setting, and the connection goes on. Each (name, value) is checked by the server once per
    /// connection with a query of its own (one round trip the first time). Servers before revision
    /// 54429 (e.g. 18.16) get them by `SET` before the statement (after reading their values) and
    /// set back before the next one: 1 + 2n more round trips for n settings.
    pub settings: *const bh_setting,
    pub n_settings: usize,
    /// Cancel the statement when it has waited this many milliseconds for the server (SQLSTATE
    /// HYT00); 0 for the connection's `QueryTimeout`.
    pub timeout_ms: u64,
    /// Progress reports; NULL for none.
    pub progress: bh_progress_callback,
    /// Passed to `progress` as it is.
    pub progress_context: *mut c_void,
}

/// The options of one statement, read from C.
#[derive(Debug, Default)]
pub struct StatementOptions {
    pub settings: Vec<Setting>,
    /// `None` for the connection's.
    pub timeout: Option<Duration>,
    pub progress: Option<ProgressObserver>,
}

/// The caller's callback and context, called from whichever thread reads the result.
struct CallbackTarget {
    callback: unsafe extern "C" fn(*mut c_void, u64, u64),
    context: *mut c_void,
}

impl CallbackTarget {
    fn call(&self, rows: u64, bytes: u64) {
        // SAFETY: the caller's callback with the caller's context, called as documented.
        unsafe { (self.callback)(self.context, rows, bytes) }
    }
}

// SAFETY: the C API documents that the callback runs on the thread reading the result with the
// context as given; what the context points at is the caller's to keep valid.
unsafe impl Send for CallbackTarget {}
// SAFETY: as above; the target is only read.
unsafe impl Sync for CallbackTarget {}

/// The options at `options` (all defaults for NULL).
///
/// # Safety
/// `options` is NULL or readable; its settings valid for `n_settings`, each name and value NULL or
/// NUL-terminated.
pub unsafe fn read(options: *const bh_query_options) -> Result<StatementOptions, CError> {
    // SAFETY: as promised by the caller.
    let Some(options) = (unsafe { options.as_ref() }) else {
        return Ok(StatementOptions::default());
    };
    // SAFETY: as promised by the caller.
    let settings = unsafe { settings(options.settings, options.n_settings) }?;
    let progress = options.progress.map(|callback| {
        let target = CallbackTarget {
            callback,
            context: options.progress_context,
        };
        ProgressObserver::new(move |progress| target.call(progress.read_rows, progress.read_bytes))
    });
    Ok(StatementOptions {
        settings,
        timeout: (options.timeout_ms > 0).then(|| Duration::from_millis(options.timeout_ms)),
        progress,
    })
}

/// # Safety
/// As for [`read`].
unsafe fn settings(settings: *const bh_setting, count: usize) -> Result<Vec<Setting>, CError> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if count > MAX_SETTINGS {
        return Err(CError::argument(format!(
            "{count} settings: at most {MAX_SETTINGS} are taken"
        )));
    }
    if settings.is_null() {
        return Err(CError::argument(format!("{count} settings at NULL")));
    }
    // SAFETY: as promised by the caller.
    let settings = unsafe { std::slice::from_raw_parts(settings, count) };
    settings
        .iter()
        .enumerate()
        .map(|(index, setting)| {
            let number = index + 1;
            // SAFETY: as promised by the caller.
            let name = unsafe { text(setting.name) }
                .ok_or_else(|| CError::argument(format!("setting {number} has a NULL or non-UTF-8 name")))?;
            // An empty name ends the settings on the wire; it cannot name one.
            if name.is_empty() {
                return Err(CError::argument(format!("setting {number} has an empty name")));
            }
            // SAFETY: as promised by the caller.
            let value = unsafe { text(setting.value) }
                .ok_or_else(|| CError::argument(format!("setting `{name}` has a NULL or non-UTF-8 value")))?;
            Ok(Setting {
                name: name.to_string(),
                value: value.to_string(),
                // The server refuses a setting it does not know instead of skipping it.
                important: true,
            })
        })
        .collect()
}

/// # Safety
/// `text` is NULL or NUL-terminated.
unsafe fn text<'a>(text: *const c_char) -> Option<&'a str> {
    if text.is_null() {
        return None;
    }
    // SAFETY: as promised by the caller.
    unsafe { CStr::from_ptr(text) }.to_str().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(settings: &[bh_setting], timeout_ms: u64) -> bh_query_options {
        bh_query_options {
            settings: settings.as_ptr(),
            n_settings: settings.len(),
            timeout_ms,
            progress: None,
            progress_context: std::ptr::null_mut(),
        }
    }

    #[test]
    fn null_and_zero_mean_the_defaults() {
        // SAFETY: NULL is allowed.
        let read_null = unsafe { read(std::ptr::null()) }.unwrap();
        assert!(read_null.settings.is_empty() && read_null.timeout.is_none() && read_null.progress.is_none());
        // SAFETY: a valid struct without settings.
        let zero = unsafe { read(&options(&[], 0)) }.unwrap();
        assert!(zero.timeout.is_none());
        // SAFETY: as above.
        let timed = unsafe { read(&options(&[], 1500)) }.unwrap();
        assert_eq!(timed.timeout, Some(Duration::from_millis(1500)));
    }

    #[test]
    fn settings_are_important_and_bad_ones_refused() {
        let good = [bh_setting {
            name: c"max_threads".as_ptr(),
            value: c"2".as_ptr(),
        }];
        // SAFETY: valid settings.
        let read_good = unsafe { read(&options(&good, 0)) }.unwrap();
        assert_eq!(
            read_good.settings,
            [Setting {
                name: "max_threads".into(),
                value: "2".into(),
                important: true,
            }]
        );
        let empty_name = [bh_setting {
            name: c"".as_ptr(),
            value: c"2".as_ptr(),
        }];
        // SAFETY: valid pointers, refused for their content.
        let refused = unsafe { read(&options(&empty_name, 0)) }.unwrap_err();
        assert_eq!(refused.sqlstate.to_str(), Ok("HY009"));
        let mut too_many = options(&good, 0);
        too_many.n_settings = MAX_SETTINGS + 1;
        // SAFETY: the count is refused before anything is read.
        assert!(unsafe { read(&too_many) }.is_err());
    }
}
