//! One cell of a column, borrowed from the column where it can be.
//!
//! Reading gives a [`Value`] per cell; INSERT takes [`Value`]s and converts them to the column's type.
//! `Display` renders the text ClickHouse itself would show (arrays as `[1,2]`, strings inside
//! containers quoted), with times in UTC.

use std::fmt::{self, Write as _};
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::native::calendar::{civil_from_days, civil_from_seconds, ticks_per_second};
use crate::native::timezone::offset;

#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    /// UInt8 to UInt64.
    UInt(u64),
    /// Int8 to Int64.
    Int(i64),
    UInt128(u128),
    Int128(i128),
    /// 256-bit integers as 32 little-endian bytes; `signed` tells Int256 from UInt256.
    Int256 {
        bytes: [u8; 32],
        signed: bool,
    },
    Float32(f32),
    Float64(f64),
    /// Decimals up to precision 38.
    Decimal {
        unscaled: i128,
        scale: u8,
    },
    /// Decimals of precision 39 to 76: the unscaled value as 32 little-endian bytes.
    Decimal256 {
        bytes: [u8; 32],
        scale: u8,
    },
    /// String and FixedString: raw bytes, not necessarily UTF-8.
    Bytes(&'a [u8]),
    /// An owned string, for values built by the application.
    Text(String),
    /// Owned bytes that need not be UTF-8.
    Blob(Vec<u8>),
    /// Date and Date32: days since 1970-01-01.
    Date(i32),
    /// Seconds since the epoch.
    DateTime {
        seconds: i64,
        timezone: Option<&'a str>,
    },
    /// Ticks of 10^-precision seconds since the epoch.
    DateTime64 {
        ticks: i64,
        precision: u8,
        timezone: Option<&'a str>,
    },
    /// The canonical 16 bytes, as written in `01234567-89ab-...`.
    Uuid([u8; 16]),
    Enum {
        value: i16,
        name: &'a str,
    },
    IPv4(Ipv4Addr),
    IPv6(Ipv6Addr),
    Array(Vec<Value<'a>>),
    Tuple(Vec<Value<'a>>),
    Map(Vec<(Value<'a>, Value<'a>)>),
}

impl Value<'_> {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Text of a string-like value, if it has one (bytes must be valid UTF-8).
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Bytes(bytes) => std::str::from_utf8(bytes).ok(),
            Value::Blob(bytes) => std::str::from_utf8(bytes).ok(),
            Value::Text(text) => Some(text),
            Value::Enum { name, .. } => Some(name),
            _ => None,
        }
    }

    /// Writes the value as it appears inside an array, tuple or map: strings quoted and escaped.
    fn fmt_nested(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bytes(_)
            | Value::Blob(_)
            | Value::Text(_)
            | Value::Enum { .. }
            | Value::Date(_)
            | Value::DateTime { .. }
            | Value::DateTime64 { .. }
            | Value::Uuid(_)
            | Value::IPv4(_)
            | Value::IPv6(_) => {
                f.write_char('\'')?;
                for character in self.to_string().chars() {
                    match character {
                        '\'' => f.write_str("\\'")?,
                        '\\' => f.write_str("\\\\")?,
                        _ => f.write_char(character)?,
                    }
                }
                f.write_char('\'')
            }
            _ => write!(f, "{self}"),
        }
    }
}

/// Writes a float as ClickHouse does: the shortest text that reads back to the same value, with an
/// exponent outside 1e-7 < |x| < 1e21 (the ECMAScript rule), and `nan`/`inf` spelled in lower case.
fn write_float<T: fmt::Display + fmt::LowerExp>(f: &mut fmt::Formatter<'_>, value: T, is_nan: bool) -> fmt::Result {
    if is_nan {
        return f.write_str("nan");
    }
    let scientific = format!("{value:e}");
    let exponent: i32 = scientific
        .rsplit_once('e')
        .and_then(|(_, exponent)| exponent.parse().ok())
        .unwrap_or(0);
    if scientific.contains("inf") || (-7 < exponent && exponent < 21) {
        write!(f, "{value}")
    } else {
        f.write_str(&scientific)
    }
}

/// Formats an unscaled integer given as decimal digits with a sign, inserting the decimal point.
fn write_scaled(f: &mut fmt::Formatter<'_>, negative: bool, digits: &str, scale: usize) -> fmt::Result {
    if negative {
        f.write_char('-')?;
    }
    if scale == 0 {
        return f.write_str(digits);
    }
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (whole, fraction) = padded.split_at(padded.len() - scale);
    write!(f, "{whole}.{fraction}")
}

/// Decimal digits of the magnitude of a 256-bit little-endian integer, and whether it is negative.
pub fn int256_digits(bytes: &[u8; 32], signed: bool) -> (bool, String) {
    let mut limbs = [0u64; 4];
    for (index, limb) in limbs.iter_mut().enumerate() {
        *limb = u64::from_le_bytes(bytes[index * 8..index * 8 + 8].try_into().unwrap_or_default());
    }
    let negative = signed && limbs[3] >> 63 == 1;
    if negative {
        // Two's complement negation: invert and add one.
        let mut carry = true;
        for limb in limbs.iter_mut() {
            let (sum, overflow) = (!*limb).overflowing_add(u64::from(carry));
            *limb = sum;
            carry = overflow;
        }
    }
    let mut digits = Vec::new();
    while limbs.iter().any(|&limb| limb != 0) {
        // Divide the 256-bit number by 10^18 and keep the remainder as 18 digits.
        const CHUNK: u64 = 1_000_000_000_000_000_000;
        let mut remainder = 0u128;
        for limb in limbs.iter_mut().rev() {
            let current = (remainder << 64) | u128::from(*limb);
            *limb = (current / u128::from(CHUNK)) as u64;
            remainder = current % u128::from(CHUNK);
        }
        digits.push(remainder as u64);
    }
    let text = match digits.split_last() {
        None => "0".to_string(),
        Some((most_significant, rest)) => {
            let mut text = most_significant.to_string();
            for chunk in rest.iter().rev() {
                let _ = write!(text, "{chunk:018}");
            }
            text
        }
    };
    (negative, text)
}

impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("NULL"),
            Value::Bool(value) => write!(f, "{value}"),
            Value::UInt(value) => write!(f, "{value}"),
            Value::Int(value) => write!(f, "{value}"),
            Value::UInt128(value) => write!(f, "{value}"),
            Value::Int128(value) => write!(f, "{value}"),
            Value::Int256 { bytes, signed } => {
                let (negative, digits) = int256_digits(bytes, *signed);
                write_scaled(f, negative, &digits, 0)
            }
            Value::Float32(value) => write_float(f, *value, value.is_nan()),
            Value::Float64(value) => write_float(f, *value, value.is_nan()),
            Value::Decimal { unscaled, scale } => write_scaled(
                f,
                *unscaled < 0,
                &unscaled.unsigned_abs().to_string(),
                usize::from(*scale),
            ),
            Value::Decimal256 { bytes, scale } => {
                let (negative, digits) = int256_digits(bytes, true);
                write_scaled(f, negative, &digits, usize::from(*scale))
            }
            Value::Bytes(bytes) => f.write_str(&String::from_utf8_lossy(bytes)),
            Value::Blob(bytes) => f.write_str(&String::from_utf8_lossy(bytes)),
            Value::Text(text) => f.write_str(text),
            Value::Date(days) => {
                let (year, month, day) = civil_from_days(i64::from(*days));
                write!(f, "{year:04}-{month:02}-{day:02}")
            }
            Value::DateTime { seconds, timezone } => {
                let civil = civil_from_seconds(seconds + offset(*timezone, *seconds), 0);
                write!(
                    f,
                    "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                    civil.year, civil.month, civil.day, civil.hour, civil.minute, civil.second
                )
            }
            Value::DateTime64 {
                ticks,
                precision,
                timezone,
            } => {
                let Some(scale) = ticks_per_second(*precision) else {
                    return write!(f, "{ticks}");
                };
                let seconds = ticks.div_euclid(scale);
                let civil = civil_from_seconds(seconds + offset(*timezone, seconds), 0);
                write!(
                    f,
                    "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                    civil.year, civil.month, civil.day, civil.hour, civil.minute, civil.second
                )?;
                if *precision > 0 {
                    write!(
                        f,
                        ".{:0width$}",
                        ticks.rem_euclid(scale),
                        width = usize::from(*precision)
                    )?;
                }
                Ok(())
            }
            Value::Uuid(bytes) => {
                for (index, byte) in bytes.iter().enumerate() {
                    if matches!(index, 4 | 6 | 8 | 10) {
                        f.write_char('-')?;
                    }
                    write!(f, "{byte:02x}")?;
                }
                Ok(())
            }
            Value::Enum { name, .. } => f.write_str(name),
            Value::IPv4(address) => write!(f, "{address}"),
            Value::IPv6(address) => write!(f, "{address}"),
            Value::Array(items) => {
                f.write_char('[')?;
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        f.write_char(',')?;
                    }
                    item.fmt_nested(f)?;
                }
                f.write_char(']')
            }
            Value::Tuple(items) => {
                f.write_char('(')?;
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        f.write_char(',')?;
                    }
                    item.fmt_nested(f)?;
                }
                f.write_char(')')
            }
            Value::Map(entries) => {
                f.write_char('{')?;
                for (index, (key, value)) in entries.iter().enumerate() {
                    if index > 0 {
                        f.write_char(',')?;
                    }
                    key.fmt_nested(f)?;
                    f.write_char(':')?;
                    value.fmt_nested(f)?;
                }
                f.write_char('}')
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int256(value: i128) -> [u8; 32] {
        let mut bytes = [if value < 0 { 0xff } else { 0 }; 32];
        bytes[..16].copy_from_slice(&value.to_le_bytes());
        bytes
    }

    #[test]
    fn renders_scalars_like_clickhouse() {
        assert_eq!(
            Value::Decimal {
                unscaled: 150,
                scale: 2
            }
            .to_string(),
            "1.50"
        );
        assert_eq!(
            Value::Decimal {
                unscaled: -1500,
                scale: 3
            }
            .to_string(),
            "-1.500"
        );
        assert_eq!(Value::Decimal { unscaled: -5, scale: 3 }.to_string(), "-0.005");
        assert_eq!(Value::Date(18_263).to_string(), "2020-01-02");
        assert_eq!(
            Value::DateTime {
                seconds: 1,
                timezone: None
            }
            .to_string(),
            "1970-01-01 00:00:01"
        );
        let ticks = Value::DateTime64 {
            ticks: -1,
            precision: 3,
            timezone: None,
        };
        assert_eq!(ticks.to_string(), "1969-12-31 23:59:59.999");
        let uuid = [
            0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
        ];
        assert_eq!(Value::Uuid(uuid).to_string(), "01234567-89ab-cdef-0123-456789abcdef");
    }

    #[test]
    fn renders_floats_like_clickhouse() {
        assert_eq!(Value::Float64(1e300).to_string(), "1e300");
        assert_eq!(Value::Float64(1e20).to_string(), "100000000000000000000");
        assert_eq!(Value::Float64(1e21).to_string(), "1e21");
        assert_eq!(Value::Float64(-0.000001).to_string(), "-0.000001");
        assert_eq!(Value::Float64(1.5e-7).to_string(), "1.5e-7");
        assert_eq!(Value::Float32(0.1).to_string(), "0.1");
        assert_eq!(Value::Float64(f64::NAN).to_string(), "nan");
        assert_eq!(Value::Float64(f64::NEG_INFINITY).to_string(), "-inf");
    }

    #[test]
    fn renders_256_bit_integers() {
        assert_eq!(
            Value::Int256 {
                bytes: int256(-42),
                signed: true
            }
            .to_string(),
            "-42"
        );
        assert_eq!(
            Value::Int256 {
                bytes: [0; 32],
                signed: true
            }
            .to_string(),
            "0"
        );
        let max = Value::Int256 {
            bytes: [0xff; 32],
            signed: false,
        };
        assert_eq!(
            max.to_string(),
            "115792089237316195423570985008687907853269984665640564039457584007913129639935"
        );
        let min = {
            let mut bytes = [0u8; 32];
            bytes[31] = 0x80;
            Value::Int256 { bytes, signed: true }
        };
        assert_eq!(
            min.to_string(),
            "-57896044618658097711785492504343953926634992332820282019728792003956564819968"
        );
        assert_eq!(
            Value::Decimal256 {
                bytes: int256(-12345),
                scale: 2
            }
            .to_string(),
            "-123.45"
        );
    }

    #[test]
    fn renders_containers_with_quoted_strings() {
        let array = Value::Array(vec![Value::Bytes(b"a'b"), Value::Null]);
        assert_eq!(array.to_string(), "['a\\'b',NULL]");
        let map = Value::Map(vec![(Value::Bytes(b"k"), Value::UInt(1))]);
        assert_eq!(map.to_string(), "{'k':1}");
        let tuple = Value::Tuple(vec![Value::Int(-1), Value::Array(vec![])]);
        assert_eq!(tuple.to_string(), "(-1,[])");
    }
}
