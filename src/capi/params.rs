//! Typed parameters for the C API: values bound by position to a statement's `?` placeholders and
//! written into it as literals, quoted as the ODBC driver quotes them.
#![allow(non_camel_case_types)]

use std::ffi::c_char;

use super::error::CError;
use crate::native::Value;

/// The type of a [`bh_param`]; the field it reads is named in each variant.
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum bh_param_kind {
    /// NULL; no field.
    BH_PARAM_NULL = 0,
    /// `int64`.
    BH_PARAM_INT64 = 1,
    /// `uint64`.
    BH_PARAM_UINT64 = 2,
    /// `float64`.
    BH_PARAM_FLOAT64 = 3,
    /// `text` and `length`: bytes (not necessarily UTF-8, NULs allowed), quoted as a string.
    BH_PARAM_TEXT = 4,
}

/// One parameter value.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct bh_param {
    pub kind: bh_param_kind,
    pub int64: i64,
    pub uint64: u64,
    pub float64: f64,
    pub text: *const c_char,
    pub length: usize,
}

/// The values of `count` parameters at `params` (NULL when `count` is 0).
///
/// # Safety
/// `params` is valid for `count` parameters, each text valid for its length.
pub unsafe fn values<'a>(params: *const bh_param, count: usize) -> Result<Vec<Value<'a>>, CError> {
    if count == 0 {
        return Ok(Vec::new());
    }
    if params.is_null() {
        return Err(CError::argument(format!("{count} parameters at NULL")));
    }
    if count > isize::MAX as usize / size_of::<bh_param>() {
        return Err(CError::argument(format!("{count} parameters cannot be")));
    }
    // SAFETY: as promised by the caller.
    let params = unsafe { std::slice::from_raw_parts(params, count) };
    params
        .iter()
        .enumerate()
        .map(|(index, param)| {
            // The kind is read as the integer it is: a value outside the enum is refused, not trusted.
            // SAFETY: `kind` is a u32-sized field of a readable struct.
            let kind = unsafe { std::ptr::from_ref(&param.kind).cast::<u32>().read() };
            Ok(match kind {
                0 => Value::Null,
                1 => Value::Int(param.int64),
                2 => Value::UInt(param.uint64),
                3 => Value::Float64(param.float64),
                4 if param.text.is_null() && param.length > 0 => {
                    return Err(CError::argument(format!("parameter {} has NULL text", index + 1)));
                }
                4 if param.text.is_null() => Value::Bytes(&[]),
                // SAFETY: as promised by the caller.
                4 => Value::Bytes(unsafe { std::slice::from_raw_parts(param.text.cast::<u8>(), param.length) }),
                other => {
                    return Err(CError::new(
                        "HY004",
                        format!("parameter {} has unknown kind {other}", index + 1),
                    ));
                }
            })
        })
        .collect()
}
