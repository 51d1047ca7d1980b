//! Reading a data source's keys from odbc.ini through the driver manager's installer library.
//!
//! `SQLGetPrivateProfileString` belongs to unixODBC's libodbcinst. It is found at run time (already
//! loaded, or opened by name) rather than linked, so a program that links this library directly
//! loads it even where unixODBC is absent, and gets a clear error only if it names a DSN.

use std::ffi::{CString, c_char, c_int};

use super::diag::Diagnostic;

type GetPrivateProfileString = unsafe extern "C" fn(
    section: *const c_char,
    entry: *const c_char,
    default: *const c_char,
    buffer: *mut c_char,
    size: c_int,
    file: *const c_char,
) -> c_int;

const BUFFER_SIZE: usize = 64 * 1024;

fn lookup() -> Result<GetPrivateProfileString, Diagnostic> {
    let name = c"SQLGetPrivateProfileString";
    // SAFETY: dlsym and dlopen get NUL-terminated names; a library opened here is never closed.
    let symbol = unsafe {
        let loaded = libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr());
        if loaded.is_null() {
            let library = libc::dlopen(c"libodbcinst.so.2".as_ptr(), libc::RTLD_NOW);
            if library.is_null() {
                loaded
            } else {
                libc::dlsym(library, name.as_ptr())
            }
        } else {
            loaded
        }
    };
    if symbol.is_null() {
        return Err(Diagnostic::new(
            "IM002",
            "reading a DSN needs unixODBC's libodbcinst.so.2; use a connection string with Host instead",
        ));
    }
    // SAFETY: the symbol is libodbcinst's SQLGetPrivateProfileString, which has this signature.
    Ok(unsafe { std::mem::transmute::<*mut libc::c_void, GetPrivateProfileString>(symbol) })
}

/// Calls the installer function; returns the bytes it wrote.
fn read(function: GetPrivateProfileString, section: &CString, entry: Option<&CString>) -> Vec<u8> {
    let mut buffer = vec![0u8; BUFFER_SIZE];
    // SAFETY: every string is NUL-terminated and the buffer holds BUFFER_SIZE bytes.
    let written = unsafe {
        function(
            section.as_ptr(),
            entry.map_or(std::ptr::null(), |entry| entry.as_ptr()),
            c"".as_ptr(),
            buffer.as_mut_ptr().cast(),
            BUFFER_SIZE as c_int,
            c"odbc.ini".as_ptr(),
        )
    };
    buffer.truncate(usize::try_from(written).unwrap_or(0).min(BUFFER_SIZE));
    buffer
}

/// The key/value pairs of data source `name`, as odbc.ini (user file, then system file) has them.
pub fn dsn_pairs(name: &str) -> Result<Vec<(String, String)>, Diagnostic> {
    let function = lookup()?;
    let section = CString::new(name).map_err(|_| Diagnostic::new("IM002", "a DSN name cannot contain NUL"))?;
    // With no entry name, the installer lists the section's keys, each ended by a NUL.
    let keys = read(function, &section, None);
    let pairs: Vec<(String, String)> = keys
        .split(|&byte| byte == 0)
        .filter(|key| !key.is_empty())
        .filter_map(|key| {
            let entry = CString::new(key).ok()?;
            let value = read(function, &section, Some(&entry));
            let value = value.split(|&byte| byte == 0).next().unwrap_or_default();
            Some((
                String::from_utf8_lossy(key).into_owned(),
                String::from_utf8_lossy(value).into_owned(),
            ))
        })
        .collect();
    if pairs.is_empty() {
        return Err(Diagnostic::new(
            "IM002",
            format!("data source `{name}` not found in odbc.ini"),
        ));
    }
    Ok(pairs)
}
