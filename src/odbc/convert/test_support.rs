//! Buffers and outcomes for the conversion tests.

use super::{NumericFormat, Outcome, Progress, Target, get_data};
use crate::native::Value;
use crate::odbc::diag::Diagnostic;

pub(super) fn target(buffer: &mut [u8], indicator: &mut isize) -> Target {
    let indicator: *mut isize = indicator;
    Target {
        buffer: buffer.as_mut_ptr(),
        capacity: buffer.len() as isize,
        indicator,
        length: indicator,
        numeric: None,
    }
}

pub(super) fn convert(value: Value<'_>, c_type: i16, buffer: &mut [u8; 8]) -> Result<Outcome, Diagnostic> {
    let (mut indicator, mut progress) = (0isize, Progress::Untouched);
    unsafe { get_data(&value, c_type, &target(buffer, &mut indicator), &mut progress) }
}

/// Converts into a 19-byte buffer, with the ARD's numeric format `numeric`.
pub(super) fn convert_wide(
    value: Value<'_>,
    c_type: i16,
    numeric: Option<NumericFormat>,
) -> (Result<Outcome, Diagnostic>, [u8; 19], isize) {
    let (mut buffer, mut indicator, mut progress) = ([0u8; 19], 0isize, Progress::Untouched);
    let target = Target {
        numeric,
        ..target(&mut buffer, &mut indicator)
    };
    let outcome = unsafe { get_data(&value, c_type, &target, &mut progress) };
    (outcome, buffer, indicator)
}

pub(super) fn state(outcome: Result<Outcome, Diagnostic>) -> &'static str {
    match outcome {
        Ok(Outcome::Warning(warning)) => warning.sqlstate,
        Ok(_) => "",
        Err(error) => error.sqlstate,
    }
}
