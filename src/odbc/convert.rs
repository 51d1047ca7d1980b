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

use std::borrow::Cow;

use super::diag::Diagnostic;
use super::text::Encoding;
use super::types::{SqlDescription, UNKNOWN_PARAMETER, sql_type};
use crate::native::Value;
use crate::native::calendar::{SECONDS_PER_DAY, civil_from_seconds, parse_date_time, ticks_per_second};
use crate::native::timezone::offset;

pub mod c_type {
    pub const CHAR: i16 = 1;
    pub const WCHAR: i16 = -8;
    pub const BINARY: i16 = -2;
    pub const DEFAULT: i16 = 99;
    pub const LONG: i16 = 4;
    pub const SLONG: i16 = -16;
    pub const ULONG: i16 = -18;
    pub const SHORT: i16 = 5;
    pub const SSHORT: i16 = -15;
    pub const USHORT: i16 = -17;
    pub const TINYINT: i16 = -6;
    pub const STINYINT: i16 = -26;
    pub const UTINYINT: i16 = -28;
    pub const SBIGINT: i16 = -25;
    pub const UBIGINT: i16 = -27;
    pub const FLOAT: i16 = 7;
    pub const DOUBLE: i16 = 8;
    pub const BIT: i16 = -7;
    pub const NUMERIC: i16 = 2;
    pub const TYPE_DATE: i16 = 91;
    pub const TYPE_TIME: i16 = 92;
    pub const TYPE_TIMESTAMP: i16 = 93;
    /// ODBC 2's codes for the date, time and timestamp types.
    pub const DATE: i16 = 9;
    pub const TIME: i16 = 10;
    pub const TIMESTAMP: i16 = 11;
    pub const GUID: i16 = -11;
    /// SQLGetData's "the type the ARD's record has".
    pub const ARD_TYPE: i16 = -99;
}

/// SQL types a parameter can be declared with that no result column is described with.
mod declared_sql_type {
    pub const FLOAT: i16 = 6;
    pub const TYPE_TIME: i16 = 92;
    pub const WCHAR: i16 = -8;
    pub const WVARCHAR: i16 = -9;
    pub const WLONGVARCHAR: i16 = -10;
    pub const BINARY: i16 = -2;
    pub const VARBINARY: i16 = -3;
    pub const LONGVARBINARY: i16 = -4;
}

/// The ODBC 3 code of a date, time or timestamp type given by its ODBC 2 code (9, 10 and 11, for C
/// and SQL types alike); any other code as it is.
pub fn odbc3_datetime_code(code: i16) -> i16 {
    match code {
        c_type::DATE | c_type::TIME | c_type::TIMESTAMP => code + 82,
        other => other,
    }
}

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

/// The C type SQL_C_DEFAULT stands for with a column of this description.
pub fn default_c_type(description: &SqlDescription) -> i16 {
    match (description.sql_type, description.unsigned) {
        (sql_type::BIGINT, false) => c_type::SBIGINT,
        (sql_type::BIGINT, true) => c_type::UBIGINT,
        (sql_type::INTEGER, false) => c_type::SLONG,
        (sql_type::INTEGER, true) => c_type::ULONG,
        (sql_type::SMALLINT, false) => c_type::SSHORT,
        (sql_type::SMALLINT, true) => c_type::USHORT,
        (sql_type::TINYINT, false) => c_type::STINYINT,
        (sql_type::TINYINT, true) => c_type::UTINYINT,
        (sql_type::REAL, _) => c_type::FLOAT,
        (sql_type::DOUBLE, _) => c_type::DOUBLE,
        (sql_type::BIT, _) => c_type::BIT,
        (sql_type::TYPE_DATE, _) => c_type::TYPE_DATE,
        (sql_type::TYPE_TIMESTAMP, _) => c_type::TYPE_TIMESTAMP,
        (sql_type::GUID, _) => c_type::GUID,
        _ => c_type::CHAR,
    }
}

/// The C type SQL_C_DEFAULT stands for with a parameter declared as `sql_type` (the IPD's type):
/// ODBC's default C type of that SQL type, signed for integers.
pub fn default_parameter_c_type(sql_type: i16) -> i16 {
    match odbc3_datetime_code(sql_type) {
        declared_sql_type::WCHAR | declared_sql_type::WVARCHAR | declared_sql_type::WLONGVARCHAR => c_type::WCHAR,
        declared_sql_type::BINARY | declared_sql_type::VARBINARY | declared_sql_type::LONGVARBINARY => c_type::BINARY,
        declared_sql_type::FLOAT => c_type::DOUBLE,
        declared_sql_type::TYPE_TIME => c_type::TYPE_TIME,
        other => default_c_type(&SqlDescription {
            sql_type: other,
            ..UNKNOWN_PARAMETER
        }),
    }
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

/// ClickHouse's text of a value, with bits as `0`/`1` as ODBC wants them.
fn text_of<'a>(value: &'a Value<'a>) -> Cow<'a, str> {
    match value {
        Value::Bool(flag) => Cow::Borrowed(if *flag { "1" } else { "0" }),
        other => match other.as_str() {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(other.to_string()),
        },
    }
}

/// SQL_C_CHAR keeps string bytes as they are (UTF-8 by convention, not checked).
fn char_bytes<'a>(value: &'a Value<'a>) -> Cow<'a, [u8]> {
    match value {
        Value::Bytes(bytes) => Cow::Borrowed(bytes),
        Value::Blob(bytes) => Cow::Borrowed(bytes),
        other => match text_of(other) {
            Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
            Cow::Owned(text) => Cow::Owned(text.into_bytes()),
        },
    }
}

fn binary_bytes<'a>(value: &'a Value<'a>) -> Cow<'a, [u8]> {
    match value {
        Value::Uuid(bytes) => Cow::Borrowed(bytes),
        other => char_bytes(other),
    }
}

/// Writes `text` as NUL-terminated SQLWCHARs (`wide`: UTF-16 or UTF-32) straight into the buffer if
/// all of it fits (the common case, with no intermediate copy); `false` leaves the value to the
/// chunked path.
unsafe fn write_wide_whole(text: &str, wide: Encoding, target: &Target) -> bool {
    let unit = wide.unit_size();
    let room = usize::try_from(target.capacity).unwrap_or(0) / unit;
    // Neither needs more units than UTF-8 has bytes, so a short enough text always fits.
    if target.buffer.is_null() || room == 0 || (text.len() >= room && wide.length_of(text) >= room) {
        return false;
    }
    let mut written = 0;
    let mut put = |value: u32| {
        let at = target.buffer.wrapping_add(written * unit);
        // SAFETY: fewer than `room` units are written, as counted above; the buffer may be unaligned.
        unsafe {
            match wide {
                Encoding::Utf32 => at.cast::<u32>().write_unaligned(value),
                _ => at.cast::<u16>().write_unaligned(value as u16),
            }
        }
        written += 1;
    };
    match wide {
        Encoding::Utf32 => text.chars().for_each(|character| put(character.into())),
        _ => text.encode_utf16().for_each(|unit| put(unit.into())),
    }
    put(0);
    if !target.length.is_null() {
        // SAFETY: the length is valid, as the caller promises.
        unsafe { target.length.write_unaligned(((written - 1) * unit) as isize) };
    }
    true
}

/// Writes the next piece of a variable-length value; the indicator gets the bytes still left.
unsafe fn write_in_chunks(
    bytes: &[u8],
    terminator: usize,
    target: &Target,
    progress: &mut Progress,
) -> Result<Outcome, Diagnostic> {
    let start = match *progress {
        Progress::Partial(offset) => offset,
        _ => 0,
    };
    let remaining = &bytes[start.min(bytes.len())..];
    let room = usize::try_from(target.capacity).unwrap_or(0).saturating_sub(terminator);
    // Whole code units only: SQLWCHARs are two or four bytes.
    let written = remaining.len().min(room - room % terminator.max(1));
    if !target.buffer.is_null() && usize::try_from(target.capacity).unwrap_or(0) >= terminator {
        // SAFETY: `written + terminator <= capacity` bytes are writable, as the caller promises.
        unsafe {
            std::ptr::copy_nonoverlapping(remaining.as_ptr(), target.buffer, written);
            std::ptr::write_bytes(target.buffer.add(written), 0, terminator);
        }
    }
    if !target.length.is_null() {
        // SAFETY: the length is valid, as the caller promises.
        unsafe { target.length.write_unaligned(remaining.len() as isize) };
    }
    if written < remaining.len() {
        *progress = Progress::Partial(start + written);
        Ok(Outcome::Warning(Diagnostic::truncated()))
    } else {
        *progress = Progress::Done;
        Ok(Outcome::Complete)
    }
}

/// SQL_NUMERIC_STRUCT: precision, scale, sign (1 positive, 0 negative), then the magnitude as 16
/// little-endian bytes.
const NUMERIC_STRUCT_SIZE: usize = 19;
/// Digits every 128-bit magnitude can hold.
const NUMERIC_DIGITS: usize = 38;

/// The bytes of an SQL_DATE_STRUCT, SQL_TIME_STRUCT or SQL_TIMESTAMP_STRUCT: the 16-bit `fields`
/// in order, and a timestamp's 32-bit `fraction` at byte 12; a struct takes its first
/// [`fixed_size`] bytes.
pub fn datetime_struct(fields: impl IntoIterator<Item = u16>, fraction: u32) -> [u8; 16] {
    let mut bytes = [0u8; 16];
    for (slot, field) in bytes.chunks_exact_mut(2).zip(fields) {
        slot.copy_from_slice(&field.to_ne_bytes());
    }
    bytes[12..].copy_from_slice(&fraction.to_ne_bytes());
    bytes
}

/// Bytes of a fixed-size C type; 0 for text and binary.
pub fn fixed_size(c_type: i16) -> usize {
    match odbc3_datetime_code(c_type) {
        c_type::TINYINT | c_type::STINYINT | c_type::UTINYINT | c_type::BIT => 1,
        c_type::SHORT | c_type::SSHORT | c_type::USHORT => 2,
        c_type::LONG | c_type::SLONG | c_type::ULONG | c_type::FLOAT => 4,
        c_type::SBIGINT | c_type::UBIGINT | c_type::DOUBLE => 8,
        c_type::TYPE_DATE | c_type::TYPE_TIME => 6,
        c_type::TYPE_TIMESTAMP | c_type::GUID => 16,
        c_type::NUMERIC => NUMERIC_STRUCT_SIZE,
        _ => 0,
    }
}

fn out_of_range() -> Diagnostic {
    Diagnostic::new("22003", "numeric value out of range")
}

fn not_allowed(value: &Value<'_>, c_type: i16) -> Diagnostic {
    Diagnostic::new("07006", format!("value {value} cannot be converted to C type {c_type}"))
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

/// Seconds, nanoseconds of a time-like value. Text is read as `YYYY-MM-DD[ hh:mm:ss[.f]]`, and for
/// SQL_C_TYPE_TIME also as `hh:mm:ss[.f]`; a date has no time of day to give one.
fn time_of(value: &Value<'_>, c_type: i16) -> Result<(i64, u32), Diagnostic> {
    match value {
        Value::Date(_) if c_type == c_type::TYPE_TIME => Err(not_allowed(value, c_type)),
        Value::Date(days) => Ok((i64::from(*days) * SECONDS_PER_DAY, 0)),
        // Times as the server shows them: wall-clock time in the value's zone.
        Value::DateTime { seconds, timezone } => Ok((seconds + offset(*timezone, *seconds), 0)),
        Value::DateTime64 {
            ticks,
            precision,
            timezone,
        } => {
            let scale = ticks_per_second(*precision).ok_or_else(|| not_allowed(value, c_type))?;
            let seconds = ticks.div_euclid(scale);
            Ok((
                seconds + offset(*timezone, seconds),
                (ticks.rem_euclid(scale) * (1_000_000_000 / scale)) as u32,
            ))
        }
        Value::Bytes(_) | Value::Blob(_) | Value::Text(_) => {
            let text = text_of(value);
            let text = text.trim();
            let parsed = match c_type {
                c_type::TYPE_TIME => parse_date_time(&format!("1970-01-01 {text}"))
                    .or_else(|| parse_date_time(text).filter(|_| text.contains(':'))),
                _ => parse_date_time(text),
            };
            parsed.ok_or_else(|| Diagnostic::new("22018", format!("`{text}` is not a date or time")))
        }
        other => Err(not_allowed(other, c_type)),
    }
}

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
fn write_numeric(value: &Value<'_>, format: Option<NumericFormat>, buffer: *mut u8) -> Result<bool, Diagnostic> {
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

/// Writes a fixed-size C value; returns whether a fraction (or a date's time) was dropped.
fn write_fixed(value: &Value<'_>, c_type: i16, target: &Target) -> Result<bool, Diagnostic> {
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
        c_type::TYPE_DATE | c_type::TYPE_TIME | c_type::TYPE_TIMESTAMP => {
            let (seconds, nanosecond) = time_of(value, c_type)?;
            let civil = civil_from_seconds(seconds, nanosecond);
            let year = match c_type {
                c_type::TYPE_TIME => 0,
                _ => i16::try_from(civil.year).map_err(|_| out_of_range())?,
            };
            let fields = [year as u16, civil.month as u16, civil.day as u16]
                .into_iter()
                .chain([civil.hour, civil.minute, civil.second].map(|part| part as u16));
            // SQL_TIMESTAMP_STRUCT: six 16-bit fields and a 32-bit fraction; SQL_DATE_STRUCT the first
            // three, SQL_TIME_STRUCT the next three. A time ignores the date, as ODBC says.
            let (skipped, dropped) = match c_type {
                c_type::TYPE_DATE => (0, seconds.rem_euclid(SECONDS_PER_DAY) != 0 || nanosecond != 0),
                c_type::TYPE_TIME => (3, nanosecond != 0),
                _ => (0, false),
            };
            let bytes = datetime_struct(fields.skip(skipped), nanosecond);
            // SAFETY: the caller's buffer holds the date, time or timestamp struct.
            unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), buffer, fixed_size(c_type)) };
            Ok(dropped)
        }
        c_type::GUID => {
            let canonical = match value {
                Value::Uuid(bytes) => *bytes,
                other => return Err(not_allowed(other, c_type)),
            };
            // SQLGUID: Data1 u32, Data2 u16, Data3 u16 in native order, then Data4 as bytes.
            let mut bytes = [0u8; 16];
            bytes[..4]
                .copy_from_slice(&u32::from_be_bytes(canonical[..4].try_into().unwrap_or_default()).to_ne_bytes());
            bytes[4..6].copy_from_slice(&u16::from_be_bytes([canonical[4], canonical[5]]).to_ne_bytes());
            bytes[6..8].copy_from_slice(&u16::from_be_bytes([canonical[6], canonical[7]]).to_ne_bytes());
            bytes[8..].copy_from_slice(&canonical[8..]);
            // SAFETY: the caller's buffer holds an SQLGUID.
            unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), buffer, 16) };
            Ok(false)
        }
        other => Err(Diagnostic::new("HYC00", format!("C type {other} is not supported yet"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(buffer: &mut [u8], indicator: &mut isize) -> Target {
        let indicator: *mut isize = indicator;
        Target {
            buffer: buffer.as_mut_ptr(),
            capacity: buffer.len() as isize,
            indicator,
            length: indicator,
            numeric: None,
        }
    }

    #[test]
    fn text_comes_in_chunks_with_01004() {
        let value = Value::Bytes(b"abcdefgh");
        let (mut buffer, mut indicator, mut progress) = ([0u8; 4], 0isize, Progress::Untouched);
        let mut next = |buffer: &mut [u8; 4], indicator: &mut isize| unsafe {
            get_data(&value, c_type::CHAR, &target(buffer, indicator), &mut progress)
        };
        let outcome = next(&mut buffer, &mut indicator);
        assert!(matches!(outcome, Ok(Outcome::Warning(ref d)) if d.sqlstate == "01004"));
        assert_eq!((&buffer, indicator), (b"abc\0", 8));
        let outcome = next(&mut buffer, &mut indicator);
        assert!(matches!(outcome, Ok(Outcome::Warning(_))));
        assert_eq!((&buffer, indicator), (b"def\0", 5));
        assert_eq!(next(&mut buffer, &mut indicator), Ok(Outcome::Complete));
        assert_eq!((&buffer[..3], indicator), (&b"gh\0"[..], 2));
        assert_eq!(next(&mut buffer, &mut indicator), Ok(Outcome::NoData));
    }

    #[test]
    fn wide_text_counts_bytes_and_keeps_whole_units() {
        let value = Value::Text("héllo".into());
        let (mut buffer, mut indicator, mut progress) = ([0u8; 7], 0isize, Progress::Untouched);
        let outcome = unsafe {
            get_data(
                &value,
                c_type::WCHAR,
                &target(&mut buffer, &mut indicator),
                &mut progress,
            )
        };
        assert!(matches!(outcome, Ok(Outcome::Warning(_))));
        assert_eq!(indicator, 10);
        assert_eq!(&buffer[..6], &[b'h', 0, 0xe9, 0, 0, 0]);
    }

    fn convert(value: Value<'_>, c_type: i16, buffer: &mut [u8; 8]) -> Result<Outcome, Diagnostic> {
        let (mut indicator, mut progress) = (0isize, Progress::Untouched);
        unsafe { get_data(&value, c_type, &target(buffer, &mut indicator), &mut progress) }
    }

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

    #[test]
    fn timestamps_and_nulls() {
        let (mut buffer, mut indicator, mut progress) = ([0u8; 16], 0isize, Progress::Untouched);
        let value = Value::DateTime64 {
            ticks: 1_577_934_245_678,
            precision: 3,
            timezone: None,
        };
        let outcome = unsafe {
            get_data(
                &value,
                c_type::TYPE_TIMESTAMP,
                &target(&mut buffer, &mut indicator),
                &mut progress,
            )
        };
        assert_eq!(outcome, Ok(Outcome::Complete));
        let field = |index: usize| u16::from_ne_bytes([buffer[index * 2], buffer[index * 2 + 1]]);
        assert_eq!(
            [field(0), field(1), field(2), field(3), field(4), field(5)],
            [2020, 1, 2, 3, 4, 5]
        );
        assert_eq!(u32::from_ne_bytes(buffer[12..16].try_into().unwrap()), 678_000_000);
        let mut progress = Progress::Untouched;
        let null = Target {
            buffer: buffer.as_mut_ptr(),
            capacity: 16,
            indicator: std::ptr::null_mut(),
            length: std::ptr::null_mut(),
            numeric: None,
        };
        assert_eq!(
            unsafe { get_data(&Value::Null, c_type::CHAR, &null, &mut progress) }
                .unwrap_err()
                .sqlstate,
            "22002"
        );
    }

    /// Converts into a 19-byte buffer, with the ARD's numeric format `numeric`.
    fn convert_wide(
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

    /// (precision, scale, sign, magnitude) of an SQL_NUMERIC_STRUCT.
    fn numeric(bytes: [u8; 19]) -> (u8, i8, u8, u128) {
        let magnitude = u128::from_le_bytes(bytes[3..].try_into().unwrap());
        (bytes[0], bytes[1] as i8, bytes[2], magnitude)
    }

    fn state(outcome: Result<Outcome, Diagnostic>) -> &'static str {
        match outcome {
            Ok(Outcome::Warning(warning)) => warning.sqlstate,
            Ok(_) => "",
            Err(error) => error.sqlstate,
        }
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

    #[test]
    fn times_take_the_time_of_day() {
        let fields = |bytes: [u8; 19], count: usize| -> Vec<u16> {
            (0..count)
                .map(|index| u16::from_ne_bytes([bytes[index * 2], bytes[index * 2 + 1]]))
                .collect()
        };
        let stamp = || Value::DateTime {
            seconds: 1_577_934_245,
            timezone: None,
        };
        for time_type in [c_type::TYPE_TIME, c_type::TIME] {
            let (outcome, bytes, length) = convert_wide(stamp(), time_type, None);
            assert_eq!(
                (outcome, length, fields(bytes, 4)),
                (Ok(Outcome::Complete), 6, vec![3, 4, 5, 0])
            );
        }
        let fraction = Value::DateTime64 {
            ticks: 1_577_934_245_678,
            precision: 3,
            timezone: None,
        };
        let (outcome, bytes, _) = convert_wide(fraction, c_type::TYPE_TIME, None);
        assert_eq!((state(outcome), fields(bytes, 3)), ("01S07", vec![3, 4, 5]));
        let (outcome, bytes, _) = convert_wide(Value::Text("23:59:58".into()), c_type::TYPE_TIME, None);
        assert_eq!((state(outcome), fields(bytes, 3)), ("", vec![23, 59, 58]));
        let text = Value::Bytes(b"2020-01-02 03:04:05");
        assert_eq!(fields(convert_wide(text, c_type::TYPE_TIME, None).1, 3), [3, 4, 5]);
        assert_eq!(state(convert_wide(Value::Date(0), c_type::TYPE_TIME, None).0), "07006");
        let date_only = Value::Text("2020-01-02".into());
        assert_eq!(state(convert_wide(date_only, c_type::TYPE_TIME, None).0), "22018");
        // ODBC 2's date and timestamp codes are the ODBC 3 types.
        let (_, bytes, length) = convert_wide(stamp(), c_type::TIMESTAMP, None);
        assert_eq!((length, fields(bytes, 6)), (16, vec![2020, 1, 2, 3, 4, 5]));
        let (outcome, bytes, length) = convert_wide(stamp(), c_type::DATE, None);
        assert_eq!(
            (state(outcome), length, fields(bytes, 3)),
            ("01S07", 6, vec![2020, 1, 2])
        );
    }

    #[test]
    fn parameters_default_to_the_c_type_of_their_sql_type() {
        assert_eq!(default_parameter_c_type(sql_type::INTEGER), c_type::SLONG);
        assert_eq!(default_parameter_c_type(declared_sql_type::WVARCHAR), c_type::WCHAR);
        assert_eq!(default_parameter_c_type(declared_sql_type::FLOAT), c_type::DOUBLE);
        assert_eq!(default_parameter_c_type(10), c_type::TYPE_TIME, "ODBC 2's SQL_TIME");
        assert_eq!(default_parameter_c_type(sql_type::DECIMAL), c_type::CHAR);
    }
}
