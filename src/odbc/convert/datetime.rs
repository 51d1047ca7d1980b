//! Dates, times and timestamps as SQL_DATE_STRUCT, SQL_TIME_STRUCT and SQL_TIMESTAMP_STRUCT.

use super::text_and_binary::text_of;
use super::{c_type, fixed_size, not_allowed, out_of_range};
use crate::native::Value;
use crate::native::calendar::{SECONDS_PER_DAY, civil_from_seconds, parse_date_time, ticks_per_second};
use crate::native::timezone::offset;
use crate::odbc::diag::Diagnostic;

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

/// Writes a date, time or timestamp struct; returns whether a date's time or a time's fraction was
/// dropped.
pub(super) fn write_datetime(value: &Value<'_>, c_type: i16, buffer: *mut u8) -> Result<bool, Diagnostic> {
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

#[cfg(test)]
mod tests {
    use super::super::test_support::{convert_wide, state, target};
    use super::super::{Outcome, Progress, get_data};
    use super::*;

    #[test]
    fn timestamps_fill_the_struct() {
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
}
