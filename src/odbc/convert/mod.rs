//! Converting one cell to the C type an application asks for (SQLGetData), with ODBC's warnings and
//! errors: 01004 text cut to fit (the rest comes with the next call), 01S07 fraction dropped, 22003
//! out of range, 22018 text that is not a number, 22002 NULL without an indicator, 07006 a
//! conversion ODBC does not allow.
//!
//! SQL_C_NUMERIC takes the precision and scale the application set in the ARD (SQL_DESC_PRECISION,
//! SQL_DESC_SCALE). Left at 0, as SQLBindCol and SQLGetData leave them, the value keeps its own
//! scale, as psqlODBC does: a Decimal column's scale, 0 for integers, the digits of a float's
//! shortest form or of a text, and the smallest precision that holds it. ODBC's own default (scale
//! 0, which msodbcsql follows) would drop the fraction of every decimal whose application did not
//! know to set the descriptor.

mod c_types;
mod datetime;
mod direct;
mod fixed;
mod numeric;
#[cfg(test)]
mod test_support;
mod text_and_binary;

use super::diag::Diagnostic;
use super::text::Encoding;
use crate::native::Value;
pub use c_types::{c_type, default_c_type, default_parameter_c_type, fixed_size, odbc3_datetime_code};
pub use datetime::datetime_struct;
pub use direct::{Cells, DayCache, Direct};
use fixed::write_fixed;
use text_and_binary::{binary_bytes, char_bytes, text_of, write_in_chunks, write_wide_whole};

/// The precision and scale of an SQL_C_NUMERIC buffer, when the application set them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumericFormat {
    pub precision: u8,
    pub scale: i8,
}

/// The application's buffer for one value.
pub struct Target {
    pub buffer: *mut u8,
    /// Bytes available at `buffer` (used by the variable-length types only).
    pub capacity: isize,
    /// Receives SQL_NULL_DATA for a NULL.
    pub indicator: *mut isize,
    /// Receives the length of a value; SQLGetData and SQLBindCol pass the same pointer for both.
    pub length: *mut isize,
    /// For SQL_C_NUMERIC: the precision and scale the ARD sets, or `None` for the value's own.
    pub numeric: Option<NumericFormat>,
}

/// How much of a cell earlier SQLGetData calls returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    Untouched,
    /// Bytes of the text or binary form already returned.
    Partial(usize),
    Done,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Complete,
    /// Written with a warning (truncation).
    Warning(Diagnostic),
    /// Everything was returned by earlier calls.
    NoData,
}

/// Writes `value` as `c_type` into `target`, continuing where `progress` says earlier calls stopped.
///
/// # Safety
/// `target.buffer` must be valid for writes of the C type (or `capacity` bytes for text and binary);
/// `target.indicator` and `target.length` must be null or valid for one write.
pub unsafe fn get_data(
    value: &Value<'_>,
    c_type: i16,
    target: &Target,
    progress: &mut Progress,
) -> Result<Outcome, Diagnostic> {
    if *progress == Progress::Done {
        return Ok(Outcome::NoData);
    }
    if value.is_null() {
        if target.indicator.is_null() {
            return Err(Diagnostic::new("22002", "indicator variable required but not supplied"));
        }
        // SAFETY: the indicator is valid, as the caller promises.
        unsafe { target.indicator.write_unaligned(odbc_sys::NULL_DATA) };
        *progress = Progress::Done;
        return Ok(Outcome::Complete);
    }
    match c_type {
        c_type::WCHAR => {
            let text = text_of(value);
            let wide = Encoding::wide();
            // SAFETY: forwarded from the caller.
            if *progress == Progress::Untouched && unsafe { write_wide_whole(&text, wide, target) } {
                *progress = Progress::Done;
                return Ok(Outcome::Complete);
            }
            // SAFETY: forwarded from the caller.
            unsafe { write_in_chunks(&wide.encode(&text), wide.unit_size(), target, progress) }
        }
        c_type::CHAR | c_type::BINARY => {
            let (bytes, terminator) = match c_type {
                c_type::CHAR => (char_bytes(value), 1),
                _ => (binary_bytes(value), 0),
            };
            // SAFETY: forwarded from the caller.
            unsafe { write_in_chunks(&bytes, terminator, target, progress) }
        }
        _ => {
            let fraction_dropped = write_fixed(value, c_type, target)?;
            if !target.length.is_null() {
                // SAFETY: the length is valid, as the caller promises.
                unsafe { target.length.write_unaligned(fixed_size(c_type) as isize) };
            }
            *progress = Progress::Done;
            Ok(if fraction_dropped {
                Outcome::Warning(Diagnostic::new("01S07", "fractional truncation"))
            } else {
                Outcome::Complete
            })
        }
    }
}

pub(super) fn out_of_range() -> Diagnostic {
    Diagnostic::new("22003", "numeric value out of range")
}

pub(super) fn not_allowed(value: &Value<'_>, c_type: i16) -> Diagnostic {
    Diagnostic::new("07006", format!("value {value} cannot be converted to C type {c_type}"))
}

#[cfg(test)]
mod tests {
    use super::test_support::target;
    use super::*;

    #[test]
    fn nulls_need_an_indicator() {
        let mut buffer = [0u8; 16];
        let mut progress = Progress::Untouched;
        let null = Target {
            indicator: std::ptr::null_mut(),
            length: std::ptr::null_mut(),
            ..target(&mut buffer, &mut 0)
        };
        assert_eq!(
            unsafe { get_data(&Value::Null, c_type::CHAR, &null, &mut progress) }
                .unwrap_err()
                .sqlstate,
            "22002"
        );
    }
}
