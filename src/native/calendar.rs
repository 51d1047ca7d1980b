//! Proleptic Gregorian calendar arithmetic for Date, DateTime and DateTime64 values (UTC).
//!
//! Days are counted from 1970-01-01 with the well-known "days from civil" algorithms, so no time zone
//! database is needed for UTC.

/// A calendar date and time of day in UTC, with a fraction of a second in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CivilDateTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub nanosecond: u32,
}

pub const SECONDS_PER_DAY: i64 = 86_400;

/// Ticks per second of DateTime64(`precision`); `None` beyond nanoseconds (precision 9), the
/// finest ClickHouse has.
pub fn ticks_per_second(precision: u8) -> Option<i64> {
    (precision <= 9).then(|| 10i64.pow(u32::from(precision)))
}

/// The (year, month, day) of a day number counted from 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The day number (from 1970-01-01) of a calendar date; `None` if the date does not exist.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> Option<i64> {
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    let shifted_month = i64::from(if month > 2 { month - 3 } else { month + 9 });
    let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(era * 146_097 + day_of_era - 719_468)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Splits seconds since the epoch (plus nanoseconds) into a UTC calendar date and time.
pub fn civil_from_seconds(seconds: i64, nanosecond: u32) -> CivilDateTime {
    let (year, month, day) = civil_from_days(seconds.div_euclid(SECONDS_PER_DAY));
    let second_of_day = seconds.rem_euclid(SECONDS_PER_DAY) as u32;
    CivilDateTime {
        year,
        month,
        day,
        hour: second_of_day / 3600,
        minute: second_of_day / 60 % 60,
        second: second_of_day % 60,
        nanosecond,
    }
}

/// Parses `YYYY-MM-DD` into a day number.
pub fn parse_date(text: &str) -> Option<i64> {
    let bytes = text.trim().as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year = parse_digits(&bytes[0..4])?;
    let month = parse_digits(&bytes[5..7])?;
    let day = parse_digits(&bytes[8..10])?;
    days_from_civil(year as i64, month, day)
}

/// Parses `YYYY-MM-DD[( |T)hh:mm:ss[.fraction]]` (UTC) into seconds and nanoseconds.
pub fn parse_date_time(text: &str) -> Option<(i64, u32)> {
    let text = text.trim();
    let date_part = text.get(..10)?;
    let days = parse_date(date_part)?;
    let rest = &text.as_bytes()[10..];
    if rest.is_empty() {
        return Some((days * SECONDS_PER_DAY, 0));
    }
    if rest.len() < 9 || !matches!(rest[0], b' ' | b'T') || rest[3] != b':' || rest[6] != b':' {
        return None;
    }
    let hour = parse_digits(&rest[1..3])?;
    let minute = parse_digits(&rest[4..6])?;
    let second = parse_digits(&rest[7..9])?;
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let nanosecond = match &rest[9..] {
        [] => 0,
        [b'.', digits @ ..] if !digits.is_empty() && digits.len() <= 9 => {
            parse_digits(digits)? * 10u32.pow(9 - digits.len() as u32)
        }
        _ => return None,
    };
    let seconds = days * SECONDS_PER_DAY + i64::from(hour * 3600 + minute * 60 + second);
    Some((seconds, nanosecond))
}

fn parse_digits(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |value, &digit| {
        digit.is_ascii_digit().then(|| value * 10 + u32::from(digit - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_days() {
        assert_eq!(days_from_civil(1970, 1, 1), Some(0));
        assert_eq!(days_from_civil(2020, 1, 2), Some(18_263));
        assert_eq!(days_from_civil(1900, 1, 1), Some(-25_567));
        assert_eq!(days_from_civil(2299, 12, 31), Some(120_529));
        assert_eq!(days_from_civil(2023, 2, 29), None);
        assert_eq!(days_from_civil(2024, 2, 29), Some(19_782));
    }

    #[test]
    fn days_round_trip_over_a_wide_range() {
        for days in (-800_000..800_000).step_by(7) {
            let (year, month, day) = civil_from_days(days);
            assert_eq!(days_from_civil(year, month, day), Some(days));
        }
    }

    #[test]
    fn parses_dates_and_times() {
        assert_eq!(parse_date("2020-01-02"), Some(18_263));
        assert_eq!(parse_date("2020-13-02"), None);
        assert_eq!(parse_date_time("1970-01-01 00:00:01"), Some((1, 0)));
        assert_eq!(parse_date_time("1970-01-02T00:00:00.5"), Some((86_400, 500_000_000)));
        assert_eq!(parse_date_time("1970-01-01"), Some((0, 0)));
        assert_eq!(parse_date_time("1970-01-01 24:00:00"), None);
        assert_eq!(parse_date_time("1970-01-01 00:00:00.1234567891"), None);
        assert_eq!(parse_date_time("2020-01-0é"), None);
    }

    #[test]
    fn splits_negative_seconds() {
        let civil = civil_from_seconds(-1, 0);
        assert_eq!(
            (civil.year, civil.month, civil.day, civil.hour, civil.second),
            (1969, 12, 31, 23, 59)
        );
    }
}
