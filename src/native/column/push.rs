//! Appending application values to columns, for INSERT. Each value is converted to the column's type
//! the way the server would convert a literal, and rejected with a reason when it does not fit.

use std::net::{IpAddr, Ipv6Addr};

use super::{ColumnData, Value, dictionary_type, element_type, inner_type, skip_aggregate, tuple_types};
use crate::native::calendar::{SECONDS_PER_DAY, parse_date, parse_date_time, ticks_per_second};
use crate::native::sql::parse_literal;
use crate::native::timezone::{offset, utc_from_local};
use crate::native::types::DataType;

/// Gives an empty LowCardinality(Nullable(T)) dictionary the default value that key 0, NULL, points at.
fn add_null_placeholder(dictionary: &mut ColumnData, inner: &DataType) {
    if inner.is_nullable() && dictionary.is_empty() {
        dictionary.push_default(dictionary_type(inner));
    }
}

/// A 256-bit two's complement integer, little endian: the common form every integer input takes.
type Wide = [u8; 32];

impl ColumnData {
    /// Appends `value` converted to `data_type`. On error the column is left as it was.
    pub fn push(&mut self, data_type: &DataType, value: &Value<'_>) -> Result<(), String> {
        let rows = self.len();
        let result = self.push_unchecked(data_type, value);
        if result.is_err() {
            self.truncate_rows(data_type, rows);
        }
        result
    }

    /// Appends the type's default value (zero, empty, NULL for Nullable): the placeholder under NULL.
    pub fn push_default(&mut self, data_type: &DataType) {
        let data_type = skip_aggregate(data_type);
        match self {
            ColumnData::Fixed { width, bytes } => {
                let filler = if matches!(data_type, DataType::Nothing) {
                    b'0'
                } else {
                    0
                };
                bytes.resize(bytes.len() + *width, filler);
            }
            ColumnData::Strings { ends, bytes } => ends.push(bytes.len()),
            ColumnData::Nullable { nulls, values } => {
                nulls.push(1);
                values.push_default(inner_type(data_type));
            }
            ColumnData::Array { ends, .. } => ends.push(ends.last().copied().unwrap_or(0)),
            ColumnData::Tuple(elements) => {
                for (element, element_type) in elements.iter_mut().zip(tuple_types(data_type)) {
                    element.push_default(element_type);
                }
            }
            ColumnData::LowCardinality { dictionary, keys } => {
                let inner = inner_type(data_type);
                if inner.is_nullable() {
                    add_null_placeholder(dictionary, inner);
                    keys.push(0);
                } else {
                    dictionary.push_default(inner);
                    keys.push(dictionary.len() as u32 - 1);
                }
            }
        }
    }

    /// Drops rows from `rows` on.
    pub fn truncate_rows(&mut self, data_type: &DataType, rows: usize) {
        let data_type = skip_aggregate(data_type);
        match self {
            ColumnData::Fixed { width, bytes } => bytes.truncate(rows * *width),
            ColumnData::Strings { ends, bytes } => {
                ends.truncate(rows);
                bytes.truncate(ends.last().copied().unwrap_or(0));
            }
            ColumnData::Nullable { nulls, values } => {
                nulls.truncate(rows);
                values.truncate_rows(inner_type(data_type), rows);
            }
            ColumnData::Array { ends, values } => {
                ends.truncate(rows);
                let elements = ends.last().copied().unwrap_or(0) as usize;
                values.truncate_rows(&element_type(data_type), elements);
            }
            ColumnData::Tuple(elements) => {
                for (element, element_type) in elements.iter_mut().zip(tuple_types(data_type)) {
                    element.truncate_rows(element_type, rows);
                }
            }
            // Dictionary entries no key points to are harmless; only the keys matter.
            ColumnData::LowCardinality { keys, .. } => keys.truncate(rows),
        }
    }

    fn push_unchecked(&mut self, data_type: &DataType, value: &Value<'_>) -> Result<(), String> {
        let data_type = skip_aggregate(data_type);
        if let Some(literal) = composite_literal(data_type, value) {
            return self.push_unchecked(data_type, &literal?);
        }
        match (&mut *self, data_type) {
            (ColumnData::Nullable { nulls, values }, DataType::Nullable(inner)) => {
                if value.is_null() {
                    nulls.push(1);
                    values.push_default(inner);
                    Ok(())
                } else {
                    nulls.push(0);
                    values.push_unchecked(inner, value)
                }
            }
            (ColumnData::LowCardinality { dictionary, keys }, DataType::LowCardinality(inner))
                if value.is_null() && inner.is_nullable() =>
            {
                add_null_placeholder(dictionary, inner);
                keys.push(0);
                Ok(())
            }
            (_, _) if value.is_null() => Err(format!("NULL does not fit the non-Nullable type {data_type}")),
            (ColumnData::LowCardinality { dictionary, keys }, DataType::LowCardinality(inner)) => {
                add_null_placeholder(dictionary, inner);
                dictionary.push_unchecked(dictionary_type(inner), value)?;
                keys.push(u32::try_from(dictionary.len() - 1).map_err(|_| "too many values".to_string())?);
                Ok(())
            }
            (ColumnData::Array { ends, values }, DataType::Array(element)) => {
                let Value::Array(items) = value else {
                    return Err(mismatch(value, data_type));
                };
                for item in items {
                    values.push_unchecked(element, item)?;
                }
                ends.push(ends.last().copied().unwrap_or(0) + items.len() as u64);
                Ok(())
            }
            (ColumnData::Array { ends, values }, DataType::Map(key_type, value_type)) => {
                let Value::Map(entries) = value else {
                    return Err(mismatch(value, data_type));
                };
                let ColumnData::Tuple(pair) = &mut **values else {
                    return Err(mismatch(value, data_type));
                };
                for (key, item) in entries {
                    pair[0].push_unchecked(key_type, key)?;
                    pair[1].push_unchecked(value_type, item)?;
                }
                ends.push(ends.last().copied().unwrap_or(0) + entries.len() as u64);
                Ok(())
            }
            (ColumnData::Tuple(elements), DataType::Tuple(types)) => {
                let Value::Tuple(items) = value else {
                    return Err(mismatch(value, data_type));
                };
                if items.len() != types.len() {
                    return Err(format!("a tuple of {} values does not fit {data_type}", items.len()));
                }
                for ((element, (_, element_type)), item) in elements.iter_mut().zip(types).zip(items) {
                    element.push_unchecked(element_type, item)?;
                }
                Ok(())
            }
            (ColumnData::Strings { ends, bytes }, _) => {
                match value {
                    Value::Bytes(raw) => bytes.extend_from_slice(raw),
                    Value::Blob(raw) => bytes.extend_from_slice(raw),
                    Value::Text(text) => bytes.extend_from_slice(text.as_bytes()),
                    other => bytes.extend_from_slice(other.to_string().as_bytes()),
                }
                ends.push(bytes.len());
                Ok(())
            }
            (ColumnData::Fixed { width, bytes }, _) => {
                let start = bytes.len();
                bytes.resize(start + *width, 0);
                encode_fixed(data_type, value, &mut bytes[start..])
            }
            _ => Err(mismatch(value, data_type)),
        }
    }
}

/// Text bound for an Array, Map or Tuple (ODBC describes them as text) read as the literal the
/// server prints for that type, so that what an application fetched can be written back.
fn composite_literal(data_type: &DataType, value: &Value<'_>) -> Option<Result<Value<'static>, String>> {
    let composite = matches!(data_type, DataType::Array(_) | DataType::Map(..) | DataType::Tuple(_));
    let is_text = matches!(value, Value::Bytes(_) | Value::Blob(_) | Value::Text(_));
    // Checked first: `as_str` validates UTF-8, which every text cell would otherwise pay for.
    if !(composite && is_text) {
        return None;
    }
    let text = value.as_str()?;
    let literal = parse_literal(text).map_err(|error| format!("{error} for {data_type}"));
    // A number or a quoted string is text again: taking it would recurse without end.
    Some(literal.and_then(|literal| match literal {
        Value::Array(_) | Value::Map(_) | Value::Tuple(_) => Ok(literal),
        _ => Err(mismatch(value, data_type)),
    }))
}

fn mismatch(value: &Value<'_>, data_type: &DataType) -> String {
    format!("value {value} does not fit type {data_type}")
}

/// Writes one fixed-width cell into `cell`, which has the type's width and is zeroed.
fn encode_fixed(data_type: &DataType, value: &Value<'_>, cell: &mut [u8]) -> Result<(), String> {
    let out_of_range = || format!("value {value} is out of range for {data_type}");
    match data_type {
        DataType::UInt8 | DataType::UInt16 | DataType::UInt32 | DataType::UInt64 | DataType::UInt128 => {
            write_integer(&integer_of(value, data_type)?, false, cell).ok_or_else(out_of_range)
        }
        DataType::UInt256 => {
            // The upper half of UInt256 is beyond the signed form every other input takes.
            let unsigned = match value {
                Value::Int256 { bytes, signed: false } => Some(*bytes),
                other => other
                    .as_str()
                    .and_then(|text| parse_magnitude(text.trim().as_bytes()))
                    .map(wide_from_limbs),
            };
            match unsigned {
                Some(bytes) => {
                    cell.copy_from_slice(&bytes);
                    Ok(())
                }
                None => write_integer(&integer_of(value, data_type)?, false, cell).ok_or_else(out_of_range),
            }
        }
        DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64 | DataType::Int128 | DataType::Int256 => {
            write_integer(&integer_of(value, data_type)?, true, cell).ok_or_else(out_of_range)
        }
        DataType::Float32 => {
            let float = float_of(value, data_type)?;
            if float.is_finite() && float.abs() > f64::from(f32::MAX) {
                return Err(out_of_range());
            }
            cell.copy_from_slice(&(float as f32).to_le_bytes());
            Ok(())
        }
        DataType::Float64 => {
            cell.copy_from_slice(&float_of(value, data_type)?.to_le_bytes());
            Ok(())
        }
        DataType::Bool => {
            cell[0] = match value {
                Value::Bool(flag) => u8::from(*flag),
                Value::UInt(0) | Value::Int(0) => 0,
                Value::UInt(1) | Value::Int(1) => 1,
                _ => match value.as_str().map(|text| text.trim().to_ascii_lowercase()).as_deref() {
                    Some("true" | "1") => 1,
                    Some("false" | "0") => 0,
                    _ => return Err(mismatch(value, data_type)),
                },
            };
            Ok(())
        }
        DataType::Decimal { precision, scale } => {
            let text = match value {
                Value::Float32(float) => format!("{:.*}", usize::from(*scale), float),
                Value::Float64(float) => format!("{:.*}", usize::from(*scale), float),
                Value::Bool(_) | Value::Date(_) | Value::DateTime { .. } => return Err(mismatch(value, data_type)),
                other => other.as_str().map_or_else(|| other.to_string(), str::to_string),
            };
            let unscaled = parse_decimal(&text, *precision, *scale)
                .ok_or_else(|| format!("value {value} does not fit {data_type}"))?;
            write_integer(&unscaled, true, cell).ok_or_else(out_of_range)
        }
        DataType::FixedString(length) => {
            let bytes: &[u8] = match value {
                Value::Bytes(bytes) => bytes,
                Value::Blob(bytes) => bytes,
                Value::Text(text) => text.as_bytes(),
                _ => return Err(mismatch(value, data_type)),
            };
            if bytes.len() > *length {
                return Err(format!("{} bytes do not fit {data_type}", bytes.len()));
            }
            cell[..bytes.len()].copy_from_slice(bytes);
            Ok(())
        }
        DataType::Date | DataType::Date32 => {
            let days = match value {
                Value::Date(days) => i64::from(*days),
                // The date the time shows in its zone.
                Value::DateTime { seconds, timezone } => {
                    (seconds + offset(*timezone, *seconds)).div_euclid(SECONDS_PER_DAY)
                }
                Value::DateTime64 {
                    ticks,
                    precision,
                    timezone,
                } => {
                    let scale = ticks_per_second(*precision).ok_or_else(|| mismatch(value, data_type))?;
                    let seconds = ticks.div_euclid(scale);
                    (seconds + offset(*timezone, seconds)).div_euclid(SECONDS_PER_DAY)
                }
                other => match other.as_str() {
                    Some(text) => parse_date(text)
                        .or_else(|| parse_date_time(text).map(|(seconds, _)| seconds.div_euclid(SECONDS_PER_DAY)))
                        .ok_or_else(|| mismatch(value, data_type))?,
                    None => return Err(mismatch(value, data_type)),
                },
            };
            if matches!(data_type, DataType::Date) {
                let days = u16::try_from(days).map_err(|_| out_of_range())?;
                cell.copy_from_slice(&days.to_le_bytes());
            } else {
                let days = i32::try_from(days).map_err(|_| out_of_range())?;
                cell.copy_from_slice(&days.to_le_bytes());
            }
            Ok(())
        }
        DataType::DateTime { .. } => {
            let (seconds, _) = time_of(value, data_type)?;
            let seconds = u32::try_from(seconds).map_err(|_| out_of_range())?;
            cell.copy_from_slice(&seconds.to_le_bytes());
            Ok(())
        }
        DataType::DateTime64 { precision, .. } => {
            let ticks = match value {
                Value::DateTime64 {
                    ticks, precision: from, ..
                } => rescale_ticks(*ticks, *from, *precision),
                other => {
                    let (seconds, nanosecond) = time_of(other, data_type)?;
                    let scale = ticks_per_second(*precision).ok_or_else(out_of_range)?;
                    seconds
                        .checked_mul(scale)
                        .and_then(|ticks| ticks.checked_add(i64::from(nanosecond) / (1_000_000_000 / scale)))
                }
            }
            .ok_or_else(out_of_range)?;
            cell.copy_from_slice(&ticks.to_le_bytes());
            Ok(())
        }
        DataType::Uuid => {
            let canonical = match value {
                Value::Uuid(bytes) => *bytes,
                other => other
                    .as_str()
                    .and_then(parse_uuid)
                    .ok_or_else(|| mismatch(value, data_type))?,
            };
            // Two little-endian u64 halves, high half first.
            for half in 0..2 {
                let part = u64::from_be_bytes(canonical[half * 8..half * 8 + 8].try_into().unwrap_or_default());
                cell[half * 8..half * 8 + 8].copy_from_slice(&part.to_le_bytes());
            }
            Ok(())
        }
        DataType::Enum8(names) | DataType::Enum16(names) => {
            let code = match value {
                Value::Enum { value: code, .. } if names.iter().any(|(_, known)| known == code) => *code,
                Value::UInt(_) | Value::Int(_) => {
                    let code = i16::from_le_bytes(
                        write_wide_to::<2>(&integer_of(value, data_type)?).ok_or_else(out_of_range)?,
                    );
                    names
                        .iter()
                        .find(|(_, known)| *known == code)
                        .map(|(_, known)| *known)
                        .ok_or_else(out_of_range)?
                }
                other => {
                    let name = other.as_str().ok_or_else(|| mismatch(value, data_type))?;
                    names
                        .iter()
                        .find(|(known, _)| known == name)
                        .map(|(_, code)| *code)
                        .ok_or_else(|| format!("`{name}` is not a value of {data_type}"))?
                }
            };
            cell.copy_from_slice(&code.to_le_bytes()[..cell.len()]);
            Ok(())
        }
        DataType::IPv4 => {
            let address = match value {
                Value::IPv4(address) => u32::from(*address),
                Value::UInt(number) => u32::try_from(*number).map_err(|_| out_of_range())?,
                other => match other.as_str().and_then(|text| text.trim().parse::<IpAddr>().ok()) {
                    Some(IpAddr::V4(address)) => u32::from(address),
                    _ => return Err(mismatch(value, data_type)),
                },
            };
            cell.copy_from_slice(&address.to_le_bytes());
            Ok(())
        }
        DataType::IPv6 => {
            let address: Ipv6Addr = match value {
                Value::IPv6(address) => *address,
                Value::IPv4(address) => address.to_ipv6_mapped(),
                other => match other.as_str().and_then(|text| text.trim().parse::<IpAddr>().ok()) {
                    Some(IpAddr::V6(address)) => address,
                    Some(IpAddr::V4(address)) => address.to_ipv6_mapped(),
                    None => return Err(mismatch(value, data_type)),
                },
            };
            cell.copy_from_slice(&address.octets());
            Ok(())
        }
        DataType::Nothing => Err(format!("only NULL fits {data_type}")),
        _ => Err(mismatch(value, data_type)),
    }
}

/// UTC seconds and nanoseconds of a time-like value; dates and text are wall-clock times in the
/// column's zone, as the server reads them.
fn time_of(value: &Value<'_>, data_type: &DataType) -> Result<(i64, u32), String> {
    let zone = match data_type {
        DataType::DateTime { timezone } | DataType::DateTime64 { timezone, .. } => timezone.as_deref(),
        _ => None,
    };
    match value {
        Value::DateTime { seconds, .. } => Ok((*seconds, 0)),
        Value::DateTime64 { ticks, precision, .. } => {
            let scale = ticks_per_second(*precision).ok_or_else(|| mismatch(value, data_type))?;
            let nanosecond = ticks.rem_euclid(scale) * (1_000_000_000 / scale);
            Ok((ticks.div_euclid(scale), nanosecond as u32))
        }
        Value::Date(days) => Ok((utc_from_local(zone, i64::from(*days) * SECONDS_PER_DAY), 0)),
        Value::UInt(seconds) => i64::try_from(*seconds)
            .map(|seconds| (seconds, 0))
            .map_err(|_| mismatch(value, data_type)),
        Value::Int(seconds) => Ok((*seconds, 0)),
        other => other
            .as_str()
            .and_then(parse_date_time)
            .map(|(local, nanosecond)| (utc_from_local(zone, local), nanosecond))
            .ok_or_else(|| mismatch(value, data_type)),
    }
}

fn rescale_ticks(ticks: i64, from: u8, to: u8) -> Option<i64> {
    let (from, to) = (ticks_per_second(from)?, ticks_per_second(to)?);
    if to >= from {
        ticks.checked_mul(to / from)
    } else {
        Some(ticks.div_euclid(from / to))
    }
}

/// An integer-valued input as a 256-bit integer; fractions and non-numbers are rejected.
fn integer_of(value: &Value<'_>, data_type: &DataType) -> Result<Wide, String> {
    let not_integer = || format!("value {value} is not an integer, as {data_type} needs");
    match value {
        Value::Bool(flag) => Ok(wide_from_i128(i128::from(*flag))),
        Value::UInt(number) => Ok(wide_from_i128(i128::from(*number))),
        Value::Int(number) => Ok(wide_from_i128(i128::from(*number))),
        Value::Int128(number) => Ok(wide_from_i128(*number)),
        Value::UInt128(number) => {
            let mut wide = [0u8; 32];
            wide[..16].copy_from_slice(&number.to_le_bytes());
            Ok(wide)
        }
        Value::Int256 { bytes, signed } if *signed || bytes[31] & 0x80 == 0 => Ok(*bytes),
        Value::Enum { value: code, .. } => Ok(wide_from_i128(i128::from(*code))),
        Value::Float32(_) | Value::Float64(_) => {
            let float = float_of(value, data_type)?;
            if float.fract() != 0.0 || !float.is_finite() || float.abs() >= 2f64.powi(127) {
                return Err(not_integer());
            }
            Ok(wide_from_i128(float as i128))
        }
        Value::Decimal { .. } | Value::Decimal256 { .. } => {
            let text = value.to_string();
            let whole = match text.split_once('.') {
                Some((whole, fraction)) if fraction.bytes().all(|digit| digit == b'0') => whole.to_string(),
                Some(_) => return Err(not_integer()),
                None => text,
            };
            parse_wide(&whole).ok_or_else(not_integer)
        }
        other => other
            .as_str()
            .and_then(|text| parse_wide(text.trim()))
            .ok_or_else(not_integer),
    }
}

fn float_of(value: &Value<'_>, data_type: &DataType) -> Result<f64, String> {
    match value {
        Value::Bool(flag) => Ok(f64::from(u8::from(*flag))),
        Value::UInt(number) => Ok(*number as f64),
        Value::Int(number) => Ok(*number as f64),
        Value::UInt128(number) => Ok(*number as f64),
        Value::Int128(number) => Ok(*number as f64),
        Value::Float32(number) => Ok(f64::from(*number)),
        Value::Float64(number) => Ok(*number),
        Value::Decimal { .. } | Value::Decimal256 { .. } | Value::Int256 { .. } => {
            value.to_string().parse().map_err(|_| mismatch(value, data_type))
        }
        other => other
            .as_str()
            .and_then(|text| text.trim().parse().ok())
            .ok_or_else(|| format!("value {value} is not a number, as {data_type} needs")),
    }
}

fn wide_from_i128(number: i128) -> Wide {
    let mut wide = [if number < 0 { 0xff } else { 0 }; 32];
    wide[..16].copy_from_slice(&number.to_le_bytes());
    wide
}

/// Parses a run of decimal digits into 256-bit limbs, least significant first.
fn parse_magnitude(digits: &[u8]) -> Option<[u64; 4]> {
    if digits.is_empty() {
        return None;
    }
    let mut limbs = [0u64; 4];
    for &digit in digits {
        if !digit.is_ascii_digit() {
            return None;
        }
        let mut carry = u128::from(digit - b'0');
        for limb in limbs.iter_mut() {
            let product = u128::from(*limb) * 10 + carry;
            *limb = product as u64;
            carry = product >> 64;
        }
        if carry != 0 {
            return None;
        }
    }
    Some(limbs)
}

fn wide_from_limbs(limbs: [u64; 4]) -> Wide {
    let mut wide = [0u8; 32];
    for (index, limb) in limbs.iter().enumerate() {
        wide[index * 8..index * 8 + 8].copy_from_slice(&limb.to_le_bytes());
    }
    wide
}

/// Parses an optionally signed run of decimal digits into a signed 256-bit integer.
fn parse_wide(text: &str) -> Option<Wide> {
    let (negative, digits) = match text.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        rest => (false, rest),
    };
    let mut limbs = parse_magnitude(digits)?;
    // Magnitudes from 2^255 on do not fit a signed 256-bit number, but for its minimum, -2^255.
    if limbs[3] >> 63 == 1 && !(negative && limbs == [0, 0, 0, 1 << 63]) {
        return None;
    }
    if negative {
        let mut carry = true;
        for limb in limbs.iter_mut() {
            let (sum, overflow) = (!*limb).overflowing_add(u64::from(carry));
            *limb = sum;
            carry = overflow;
        }
    }
    Some(wide_from_limbs(limbs))
}

/// Writes the low `cell.len()` bytes of `wide` if the value fits that width and signedness.
fn write_integer(wide: &Wide, signed: bool, cell: &mut [u8]) -> Option<()> {
    let width = cell.len();
    let negative = wide[31] & 0x80 != 0;
    if negative && !signed {
        return None;
    }
    let extension = if negative { 0xff } else { 0 };
    if wide[width..].iter().any(|&byte| byte != extension) {
        return None;
    }
    if signed && width < 32 && (wide[width - 1] & 0x80 != 0) != negative {
        return None;
    }
    cell.copy_from_slice(&wide[..width]);
    Some(())
}

fn write_wide_to<const N: usize>(wide: &Wide) -> Option<[u8; N]> {
    let mut cell = [0u8; N];
    write_integer(wide, true, &mut cell)?;
    Some(cell)
}

/// Parses decimal text into the unscaled integer at `scale`, truncating extra fraction digits toward
/// zero as the server does; `None` if it is not a number or has more than `precision` digits.
fn parse_decimal(text: &str, precision: u8, scale: u8) -> Option<Wide> {
    let text = text.trim();
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.strip_prefix('+').unwrap_or(text)),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits_only = |part: &str| part.bytes().all(|digit| digit.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !digits_only(whole) || !digits_only(fraction) {
        return None;
    }
    let whole = whole.trim_start_matches('0');
    let scale = usize::from(scale);
    let kept: String = fraction.chars().chain(std::iter::repeat('0')).take(scale).collect();
    if whole.len() + scale > usize::from(precision) {
        return None;
    }
    let digits = format!("{whole}{kept}");
    parse_wide(&format!("{sign}{}", if digits.is_empty() { "0" } else { &digits }))
}

fn parse_uuid(text: &str) -> Option<[u8; 16]> {
    let hex: Vec<u8> = text
        .trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .bytes()
        .filter(|&byte| byte != b'-')
        .collect();
    // Hex digits only: `from_str_radix` below would also take a sign.
    if hex.len() != 32 || !hex.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    let mut bytes = [0u8; 16];
    for (index, pair) in hex.chunks(2).enumerate() {
        bytes[index] = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(bytes)
}
