//! Fixed-size C values: integers, bits, floats, and the numeric, date and time, and GUID structs.

use super::datetime::write_datetime;
use super::numeric::write_numeric;
use super::text_and_binary::text_of;
use super::{Target, c_type, not_allowed, odbc3_datetime_code, out_of_range};
use crate::native::Value;
use crate::odbc::diag::Diagnostic;

/// Writes a fixed-size C value; returns whether a fraction (or a date's time) was dropped.
pub(super) fn write_fixed(value: &Value<'_>, c_type: i16, target: &Target) -> Result<bool, Diagnostic> {
    let buffer = target.buffer;
    if buffer.is_null() {
        return Err(Diagnostic::new("HY009", "null target buffer"));
    }
    let c_type = odbc3_datetime_code(c_type);
    macro_rules! integer {
        ($type:ty) => {{
            let (number, fraction) = integer_of(value, c_type)?;
            let number = <$type>::try_from(number).map_err(|_| out_of_range())?;
            // SAFETY: the caller's buffer holds the C type; it may be unaligned.
            unsafe { buffer.cast::<$type>().write_unaligned(number) };
            Ok(fraction)
        }};
    }
    match c_type {
        c_type::TINYINT | c_type::STINYINT => integer!(i8),
        c_type::UTINYINT => integer!(u8),
        c_type::SHORT | c_type::SSHORT => integer!(i16),
        c_type::USHORT => integer!(u16),
        c_type::LONG | c_type::SLONG => integer!(i32),
        c_type::ULONG => integer!(u32),
        c_type::SBIGINT => integer!(i64),
        c_type::UBIGINT => integer!(u64),
        c_type::BIT => {
            let (number, fraction) = integer_of(value, c_type)?;
            let bit = u8::try_from(number)
                .ok()
                .filter(|&bit| bit <= 1)
                .ok_or_else(out_of_range)?;
            // SAFETY: one byte is writable.
            unsafe { buffer.write(bit) };
            Ok(fraction)
        }
        c_type::DOUBLE => {
            let number = float_of(value, c_type)?;
            // SAFETY: the caller's buffer holds a double.
            unsafe { buffer.cast::<f64>().write_unaligned(number) };
            Ok(false)
        }
        c_type::FLOAT => {
            let number = float_of(value, c_type)?;
            if number.is_finite() && number.abs() > f64::from(f32::MAX) {
                return Err(out_of_range());
            }
            // SAFETY: the caller's buffer holds a float.
            unsafe { buffer.cast::<f32>().write_unaligned(number as f32) };
            Ok(false)
        }
        c_type::NUMERIC => write_numeric(value, target.numeric, buffer),
        c_type::TYPE_DATE | c_type::TYPE_TIME | c_type::TYPE_TIMESTAMP => write_datetime(value, c_type, buffer),
        c_type::GUID => write_guid(value, c_type, buffer),
        other => Err(Diagnostic::new("HYC00", format!("C type {other} is not supported yet"))),
    }
}

/// The value as a whole number, and whether a fraction was dropped on the way.
fn integer_of(value: &Value<'_>, c_type: i16) -> Result<(i128, bool), Diagnostic> {
    let from_float = |float: f64| {
        if !float.is_finite() || float.abs() >= 2f64.powi(127) {
            return Err(out_of_range());
        }
        Ok((float.trunc() as i128, float.fract() != 0.0))
    };
    match value {
        Value::Bool(flag) => Ok((i128::from(*flag), false)),
        Value::UInt(number) => Ok((i128::from(*number), false)),
        Value::Int(number) => Ok((i128::from(*number), false)),
        Value::Int128(number) => Ok((*number, false)),
        Value::UInt128(number) => i128::try_from(*number)
            .map(|number| (number, false))
            .map_err(|_| out_of_range()),
        Value::Float32(number) => from_float(f64::from(*number)),
        Value::Float64(number) => from_float(*number),
        Value::Decimal { unscaled, scale } => {
            let divisor = 10i128.pow(u32::from(*scale));
            Ok((unscaled / divisor, unscaled % divisor != 0))
        }
        Value::Date(_) | Value::DateTime { .. } | Value::DateTime64 { .. } | Value::Uuid(_) => {
            Err(not_allowed(value, c_type))
        }
        other => {
            let text = text_of(other);
            let text = text.trim();
            if let Ok(number) = text.parse::<i128>() {
                return Ok((number, false));
            }
            match text.parse::<f64>() {
                Ok(float) => from_float(float),
                Err(_) if text.bytes().all(|byte| byte.is_ascii_digit() || byte == b'-') => Err(out_of_range()),
                Err(_) => Err(Diagnostic::new("22018", format!("`{text}` is not a number"))),
            }
        }
    }
}

fn float_of(value: &Value<'_>, c_type: i16) -> Result<f64, Diagnostic> {
    match value {
        Value::Float32(number) => Ok(f64::from(*number)),
        Value::Float64(number) => Ok(*number),
        Value::Bool(flag) => Ok(f64::from(u8::from(*flag))),
        Value::UInt(number) => Ok(*number as f64),
        Value::Int(number) => Ok(*number as f64),
        Value::Date(_) | Value::DateTime { .. } | Value::DateTime64 { .. } | Value::Uuid(_) => {
            Err(not_allowed(value, c_type))
        }
        other => {
            let text = text_of(other);
            text.trim()
                .parse()
                .map_err(|_| Diagnostic::new("22018", format!("`{text}` is not a number")))
        }
    }
}

/// Writes an SQLGUID.
fn write_guid(value: &Value<'_>, c_type: i16, buffer: *mut u8) -> Result<bool, Diagnostic> {
    let canonical = match value {
        Value::Uuid(bytes) => *bytes,
        other => return Err(not_allowed(other, c_type)),
    };
    // SQLGUID: Data1 u32, Data2 u16, Data3 u16 in native order, then Data4 as bytes.
    let mut bytes = [0u8; 16];
    bytes[..4].copy_from_slice(&u32::from_be_bytes(canonical[..4].try_into().unwrap_or_default()).to_ne_bytes());
    bytes[4..6].copy_from_slice(&u16::from_be_bytes([canonical[4], canonical[5]]).to_ne_bytes());
    bytes[6..8].copy_from_slice(&u16::from_be_bytes([canonical[6], canonical[7]]).to_ne_bytes());
    bytes[8..].copy_from_slice(&canonical[8..]);
    // SAFETY: the caller's buffer holds an SQLGUID.
    unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), buffer, 16) };
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::convert;
    use super::super::{Outcome, c_type};
    use super::*;

    #[test]
    fn numbers_check_their_range() {
        let buffer = &mut [0u8; 8];
        assert_eq!(
            convert(Value::UInt(u64::MAX), c_type::UBIGINT, buffer),
            Ok(Outcome::Complete)
        );
        assert_eq!(
            convert(Value::UInt(u64::MAX), c_type::SBIGINT, buffer)
                .unwrap_err()
                .sqlstate,
            "22003"
        );
        assert_eq!(
            convert(Value::Int(-1), c_type::ULONG, buffer).unwrap_err().sqlstate,
            "22003"
        );
        assert_eq!(
            convert(Value::Text("12x".into()), c_type::SLONG, buffer)
                .unwrap_err()
                .sqlstate,
            "22018"
        );
        let fraction = convert(Value::Float64(2.5), c_type::SLONG, buffer);
        assert!(matches!(fraction, Ok(Outcome::Warning(ref d)) if d.sqlstate == "01S07"));
        assert_eq!(
            convert(
                Value::Decimal {
                    unscaled: 150,
                    scale: 2
                },
                c_type::DOUBLE,
                buffer
            ),
            Ok(Outcome::Complete)
        );
        assert_eq!(f64::from_ne_bytes(*buffer), 1.5);
        assert_eq!(
            convert(Value::Date(0), c_type::SLONG, buffer).unwrap_err().sqlstate,
            "07006"
        );
    }
}
