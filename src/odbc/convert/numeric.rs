//! SQL_C_NUMERIC: a number as an SQL_NUMERIC_STRUCT, at the ARD's precision and scale or its own.

use std::borrow::Cow;

use super::text_and_binary::text_of;
use super::{NumericFormat, c_type, not_allowed, out_of_range};
use crate::native::Value;
use crate::odbc::diag::Diagnostic;

/// SQL_NUMERIC_STRUCT: precision, scale, sign (1 positive, 0 negative), then the magnitude as 16
/// little-endian bytes.
pub(super) const NUMERIC_STRUCT_SIZE: usize = 19;
/// Digits every 128-bit magnitude can hold.
const NUMERIC_DIGITS: usize = 38;

/// The decimal text of a number (`[-]digits[.digits]`, or a text to be read as one).
fn decimal_text<'a>(value: &'a Value<'a>, c_type: i16) -> Result<Cow<'a, str>, Diagnostic> {
    match value {
        // Rust writes the shortest digits that read back as the same float, without an exponent.
        Value::Float32(number) if number.is_finite() => Ok(Cow::Owned(number.to_string())),
        Value::Float64(number) if number.is_finite() => Ok(Cow::Owned(number.to_string())),
        Value::Float32(_) | Value::Float64(_) => Err(out_of_range()),
        Value::Date(_) | Value::DateTime { .. } | Value::DateTime64 { .. } | Value::Uuid(_) => {
            Err(not_allowed(value, c_type))
        }
        other => Ok(text_of(other)),
    }
}

/// Splits `[-+]digits[.digits]` into whether it is negative, the whole digits and the fraction's.
fn split_decimal(text: &str) -> Option<(bool, &str, &str)> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let all_digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    let is_number = all_digits(whole) && all_digits(fraction) && !(whole.is_empty() && fraction.is_empty());
    is_number.then_some((negative, whole, fraction))
}

/// `whole.fraction` × 10^`scale` as a 128-bit magnitude, and whether nonzero digits were cut off.
fn scaled_magnitude(whole: &str, fraction: &str, scale: i32) -> Result<(u128, bool), Diagnostic> {
    let mut digits = format!("{whole}{fraction}");
    let kept = (digits.len() as i64 + i64::from(scale) - fraction.len() as i64).max(0) as usize;
    let dropped = digits
        .get(kept..)
        .is_some_and(|cut| cut.bytes().any(|digit| digit != b'0'));
    digits.truncate(kept);
    let zeros = kept - digits.len();
    digits.extend(std::iter::repeat_n('0', zeros));
    let significant = digits.trim_start_matches('0');
    let magnitude = if significant.is_empty() {
        0
    } else {
        significant.parse().map_err(|_| out_of_range())?
    };
    Ok((magnitude, dropped))
}

/// Writes `value` as an SQL_NUMERIC_STRUCT at `format`'s precision and scale, or its own (see the
/// module's documentation); returns whether fraction digits were dropped.
pub(super) fn write_numeric(
    value: &Value<'_>,
    format: Option<NumericFormat>,
    buffer: *mut u8,
) -> Result<bool, Diagnostic> {
    let text = decimal_text(value, c_type::NUMERIC)?;
    let text = text.trim();
    let float_text;
    let (negative, whole, fraction) = match split_decimal(text) {
        Some(parts) => parts,
        None => {
            // Text with an exponent (`1e-7`), as ClickHouse writes some floats.
            let not_a_number = || Diagnostic::new("22018", format!("`{text}` is not a number"));
            let float: f64 = text.parse().map_err(|_| not_a_number())?;
            if !float.is_finite() {
                return Err(out_of_range());
            }
            float_text = float.to_string();
            split_decimal(&float_text).ok_or_else(not_a_number)?
        }
    };
    let whole = whole.trim_start_matches('0');
    let scale = match format {
        Some(format) => i32::from(format.scale),
        // All fraction digits, unless there are more digits than a magnitude holds.
        None => {
            let significant = format!("{whole}{fraction}").trim_start_matches('0').len();
            let excess = significant.saturating_sub(NUMERIC_DIGITS);
            fraction.len().saturating_sub(excess).min(i8::MAX as usize) as i32
        }
    };
    let (magnitude, dropped) = scaled_magnitude(whole, fraction, scale)?;
    let digit_count = magnitude.checked_ilog10().map_or(0, |log| log + 1) as u8;
    let precision = match format {
        Some(format) if digit_count > format.precision => return Err(out_of_range()),
        Some(format) => format.precision,
        // The smallest precision that holds the value at its scale.
        None => digit_count.max(scale as u8).max(1),
    };
    let mut bytes = [0u8; NUMERIC_STRUCT_SIZE];
    bytes[0] = precision;
    bytes[1] = scale as i8 as u8;
    bytes[2] = u8::from(!negative || magnitude == 0);
    bytes[3..].copy_from_slice(&magnitude.to_le_bytes());
    // SAFETY: the caller's buffer holds an SQL_NUMERIC_STRUCT.
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), buffer, NUMERIC_STRUCT_SIZE) };
    Ok(dropped)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{convert_wide, state};
    use super::super::{Outcome, c_type};
    use super::*;

    /// (precision, scale, sign, magnitude) of an SQL_NUMERIC_STRUCT.
    fn numeric(bytes: [u8; 19]) -> (u8, i8, u8, u128) {
        let magnitude = u128::from_le_bytes(bytes[3..].try_into().unwrap());
        (bytes[0], bytes[1] as i8, bytes[2], magnitude)
    }

    #[test]
    fn numerics_keep_their_own_scale_by_default() {
        let decimal = Value::Decimal {
            unscaled: -12_345,
            scale: 3,
        };
        let (outcome, bytes, length) = convert_wide(decimal, c_type::NUMERIC, None);
        assert_eq!((outcome, length), (Ok(Outcome::Complete), 19));
        assert_eq!(numeric(bytes), (5, 3, 0, 12_345));
        let (_, bytes, _) = convert_wide(Value::UInt(u64::MAX), c_type::NUMERIC, None);
        assert_eq!(numeric(bytes), (20, 0, 1, u128::from(u64::MAX)));
        let (_, bytes, _) = convert_wide(Value::Float64(0.25), c_type::NUMERIC, None);
        assert_eq!(numeric(bytes), (2, 2, 1, 25));
        let (_, bytes, _) = convert_wide(Value::Text(" 1e-3 ".into()), c_type::NUMERIC, None);
        assert_eq!(numeric(bytes), (3, 3, 1, 1));
        let (_, bytes, _) = convert_wide(Value::Bytes(b"-0.000"), c_type::NUMERIC, None);
        assert_eq!(numeric(bytes), (3, 3, 1, 0), "zero is positive");
        let decimal256 = Value::Decimal256 {
            bytes: [0xff; 32],
            scale: 2,
        };
        let (_, bytes, _) = convert_wide(decimal256, c_type::NUMERIC, None);
        assert_eq!(numeric(bytes), (2, 2, 0, 1), "-0.01");
        // More fraction digits than 128 bits hold: the last ones go, with 01S07.
        let long = Value::Text(format!("1.{}", "1".repeat(45)));
        let (outcome, bytes, _) = convert_wide(long, c_type::NUMERIC, None);
        assert_eq!((state(outcome), numeric(bytes).1), ("01S07", 37));
    }

    #[test]
    fn numerics_follow_the_ard_precision_and_scale() {
        let decimal = || Value::Decimal {
            unscaled: -12_345,
            scale: 3,
        };
        let format = |precision, scale| Some(NumericFormat { precision, scale });
        let (outcome, bytes, _) = convert_wide(decimal(), c_type::NUMERIC, format(10, 5));
        assert_eq!((state(outcome), numeric(bytes)), ("", (10, 5, 0, 1_234_500)));
        let (outcome, bytes, _) = convert_wide(decimal(), c_type::NUMERIC, format(4, 2));
        assert_eq!((state(outcome), numeric(bytes)), ("01S07", (4, 2, 0, 1_234)));
        let (outcome, bytes, _) = convert_wide(Value::UInt(12_345), c_type::NUMERIC, format(3, -2));
        assert_eq!((state(outcome), numeric(bytes)), ("01S07", (3, -2, 1, 123)));
        assert_eq!(state(convert_wide(decimal(), c_type::NUMERIC, format(3, 2)).0), "22003");
    }

    #[test]
    fn numerics_refuse_what_is_no_number_or_too_big() {
        let refused = |value| state(convert_wide(value, c_type::NUMERIC, None).0);
        assert_eq!(refused(Value::Text("12x".into())), "22018");
        assert_eq!(refused(Value::Text("9".repeat(40))), "22003");
        assert_eq!(refused(Value::Float64(f64::INFINITY)), "22003");
        assert_eq!(refused(Value::Float64(1e39)), "22003");
        assert_eq!(refused(Value::Date(0)), "07006");
    }
}
