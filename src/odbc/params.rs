//! Statement parameters: the values in the APD's buffers (or sent with SQLPutData) read as native
//! [`Value`]s. ClickHouse's native protocol has no bind step, so a value either becomes an SQL
//! literal in place of its `?` — quoted here: strings as `'...'` with `\\`, `'` and NUL escaped,
//! numbers, dates and UUIDs formatted from their C types, so no value can change the statement — or,
//! for `INSERT ... VALUES (?, ...)`, goes straight into the columns of a native INSERT block.

use std::cell::Cell;
use std::fmt::Write as _;
use std::ops::Range;

use super::convert::{NumericFormat, c_type, fixed_size, odbc3_datetime_code};
use super::descriptor::{ArrayLayout, Record};
use super::diag::Diagnostic;
use super::text::Encoding;
use crate::native::Value;
use crate::native::calendar::days_from_civil;
use crate::native::sql::{question_marks, substitute_with, write_literal};

const NULL_DATA: isize = -1;
const DATA_AT_EXEC: isize = -2;
const NTS: isize = -3;
/// SQL_LEN_DATA_AT_EXEC(length) is this offset minus the length.
const LEN_DATA_AT_EXEC_OFFSET: isize = -100;

/// Values sent with SQLPutData, kept in one buffer in the order they were asked for, which is by
/// parameter set, then parameter (so lookups can bisect).
#[derive(Debug, Default)]
pub struct SuppliedData {
    bytes: Vec<u8>,
    values: Vec<SuppliedValue>,
    /// Where the next lookup probably is: execution reads the values in the order they came.
    next: Cell<usize>,
}

/// (parameter set, parameter index) and where the value is in `bytes`; `None` for NULL.
type SuppliedValue = ((usize, usize), Option<Range<usize>>);

impl SuppliedData {
    /// Starts the (empty) value of parameter `index` in set `set`.
    pub fn start(&mut self, set: usize, index: usize) {
        let end = self.bytes.len();
        self.values.push(((set, index), Some(end..end)));
    }

    /// Appends a piece to the value started last; `None` makes it NULL.
    pub fn append(&mut self, piece: Option<&[u8]>) -> Result<(), Diagnostic> {
        let Some((_, value)) = self.values.last_mut() else {
            return Err(Diagnostic::new("HY010", "no parameter is waiting for data"));
        };
        match (value, piece) {
            (Some(range), Some(piece)) => {
                self.bytes.extend_from_slice(piece);
                range.end = self.bytes.len();
            }
            (value, None) => *value = None,
            (None, Some(_)) => {
                return Err(Diagnostic::new(
                    "HY011",
                    "data was sent after NULL for the same parameter",
                ));
            }
        }
        Ok(())
    }

    /// The value of parameter `index` in set `set`: `None` if never sent, `Some(None)` for NULL.
    pub fn get(&self, set: usize, index: usize) -> Option<Option<&[u8]>> {
        let hint = self.next.get();
        let position = match self.values.get(hint) {
            Some((key, _)) if *key == (set, index) => hint,
            _ => self.values.binary_search_by_key(&(set, index), |(key, _)| *key).ok()?,
        };
        self.next.set(position + 1);
        Some(self.values[position].1.clone().map(|range| &self.bytes[range]))
    }
}

/// Reads a fixed-size value at `address`.
///
/// # Safety
/// `address` must hold a `T`.
unsafe fn read<T: Copy>(address: usize) -> T {
    // SAFETY: as promised by the caller; application buffers may be unaligned.
    unsafe { (address as *const T).read_unaligned() }
}

/// The length or indicator the application stored for set `set` of an SQLLEN array at `base`.
///
/// # Safety
/// The array, if bound, must hold every set.
unsafe fn length_at(base: usize, set: usize, layout: &ArrayLayout) -> Option<isize> {
    let address = layout.length_element(base, set);
    // SAFETY: as promised by the caller.
    (address != 0).then(|| unsafe { read::<isize>(address) })
}

/// Whether set `set` of the parameter bound by `record` is sent at execution (SQLPutData).
///
/// # Safety
/// As for [`length_at`].
pub unsafe fn is_data_at_execution(record: &Record, set: usize, layout: &ArrayLayout) -> bool {
    // SAFETY: forwarded from the caller.
    unsafe { length_at(record.octet_length_ptr, set, layout) }
        .is_some_and(|length| length == DATA_AT_EXEC || length <= LEN_DATA_AT_EXEC_OFFSET)
}

fn invalid_date() -> Diagnostic {
    Diagnostic::new("22008", "invalid date or time in a parameter")
}

/// The value of set `set` of parameter `index`, bound by the APD record `record`.
///
/// # Safety
/// The bound buffers must be valid for the set under `layout`.
pub unsafe fn read_value<'a>(
    record: &Record,
    index: usize,
    set: usize,
    layout: &ArrayLayout,
    supplied: &'a SuppliedData,
    scratch: &'a mut String,
) -> Result<Value<'a>, Diagnostic> {
    // SAFETY: forwarded from the caller.
    if unsafe { is_data_at_execution(record, set, layout) } {
        return match supplied.get(set, index) {
            Some(Some(bytes)) => {
                let size = fixed_size(record.concise_type);
                if bytes.len() < size {
                    return Err(Diagnostic::new(
                        "HY090",
                        format!("parameter {} needs {size} bytes of data", index + 1),
                    ));
                }
                // SAFETY: the bytes hold the whole value, checked above for fixed-size types.
                unsafe { decode(record, bytes.as_ptr() as usize, bytes.len() as isize, scratch) }
            }
            Some(None) => Ok(Value::Null),
            None => Err(Diagnostic::new(
                "HY000",
                format!("no data was sent for parameter {}", index + 1),
            )),
        };
    }
    // SAFETY: forwarded from the caller.
    if unsafe { length_at(record.indicator_ptr, set, layout) } == Some(NULL_DATA) {
        return Ok(Value::Null);
    }
    if record.data_ptr == 0 {
        return Err(Diagnostic::new("HY009", "parameter buffer is null"));
    }
    let address = layout.element(record.data_ptr, set, record.data_stride(record.concise_type));
    // SAFETY: forwarded from the caller.
    let length = unsafe { length_at(record.octet_length_ptr, set, layout) }.unwrap_or(NTS);
    // SAFETY: the application promises a value of the bound C type there.
    unsafe { decode(record, address, length, scratch) }
}

/// Whether a time of day is one a C struct may hold (a second up to 61 allows for leap seconds).
fn check_time_of_day(hour: u16, minute: u16, second: u16) -> Result<(), Diagnostic> {
    if hour > 23 || minute > 59 || second > 61 {
        return Err(invalid_date());
    }
    Ok(())
}

/// An SQL_NUMERIC_STRUCT's value: `magnitude` / 10^`scale`, negative if `sign` is 0. The
/// structure's precision plays no part: any magnitude that fits a Decimal's 128 bits is taken.
fn numeric_value(sign: u8, magnitude: u128, scale: i8) -> Result<Value<'static>, Diagnostic> {
    let out_of_range = || Diagnostic::new("22003", "numeric parameter out of range");
    let unscaled = match sign {
        0 => 0i128.checked_sub_unsigned(magnitude),
        _ => i128::try_from(magnitude).ok(),
    };
    let unscaled = unscaled.ok_or_else(out_of_range)?;
    // A negative scale counts tens of a whole number.
    let (unscaled, scale) = match u8::try_from(scale) {
        Ok(scale) => (unscaled, scale),
        Err(_) => (
            10i128
                .checked_pow(u32::from(scale.unsigned_abs()))
                .and_then(|power| unscaled.checked_mul(power))
                .ok_or_else(out_of_range)?,
            0,
        ),
    };
    Ok(Value::Decimal { unscaled, scale })
}

/// Reads a value of the C type `record` binds at `address`; `length` counts the bytes of text and
/// binary values (SQL_NTS: up to the terminator). A numeric takes the APD's scale if the
/// application set SQL_DESC_PRECISION, as ODBC says, else the structure's own, which is what
/// applications fill in (and psqlODBC reads).
///
/// Text the driver makes (wide text decoded, times formatted) goes into `scratch`, which the value
/// then borrows: no allocation per value.
///
/// # Safety
/// `address` must hold such a value.
unsafe fn decode<'a>(
    record: &Record,
    address: usize,
    length: isize,
    scratch: &'a mut String,
) -> Result<Value<'a>, Diagnostic> {
    scratch.clear();
    let c_type = odbc3_datetime_code(record.concise_type);
    // SAFETY (every read below): as promised by the caller.
    unsafe {
        Ok(match c_type {
            c_type::CHAR | c_type::BINARY | c_type::WCHAR => {
                let unit = if c_type == c_type::WCHAR {
                    Encoding::wide().unit_size()
                } else {
                    1
                };
                let units = match length {
                    NTS => (0..)
                        .find(|&count| (0..unit).all(|byte| *((address + count * unit + byte) as *const u8) == 0))
                        .unwrap_or(0),
                    length if length < 0 => {
                        return Err(Diagnostic::new("HY090", format!("invalid string length {length}")));
                    }
                    length => length as usize / unit,
                };
                let bytes: &'a [u8] = std::slice::from_raw_parts(address as *const u8, units * unit);
                if c_type != c_type::WCHAR {
                    return Ok(Value::Bytes(bytes));
                }
                Encoding::wide().decode_into(bytes, scratch);
                Value::Bytes(scratch.as_bytes())
            }
            c_type::TINYINT | c_type::STINYINT => Value::Int(read::<i8>(address).into()),
            c_type::UTINYINT => Value::UInt(read::<u8>(address).into()),
            c_type::BIT => Value::Bool(read::<u8>(address) != 0),
            c_type::SHORT | c_type::SSHORT => Value::Int(read::<i16>(address).into()),
            c_type::USHORT => Value::UInt(read::<u16>(address).into()),
            c_type::LONG | c_type::SLONG => Value::Int(read::<i32>(address).into()),
            c_type::ULONG => Value::UInt(read::<u32>(address).into()),
            c_type::SBIGINT => Value::Int(read::<i64>(address)),
            c_type::UBIGINT => Value::UInt(read::<u64>(address)),
            c_type::FLOAT => Value::Float32(read::<f32>(address)),
            c_type::DOUBLE => Value::Float64(read::<f64>(address)),
            c_type::TYPE_DATE => {
                let [year, month, day] = read::<[u16; 3]>(address);
                let days =
                    days_from_civil(i64::from(year as i16), month.into(), day.into()).ok_or_else(invalid_date)?;
                Value::Date(i32::try_from(days).map_err(|_| invalid_date())?)
            }
            c_type::NUMERIC => {
                let [_precision, scale, sign, magnitude @ ..] = read::<[u8; 19]>(address);
                let scale = record
                    .numeric_format()
                    .map_or(scale as i8, |NumericFormat { scale, .. }| scale);
                numeric_value(sign, u128::from_le_bytes(magnitude), scale)?
            }
            c_type::TYPE_TIME => {
                // Text, as ODBC converts a time to character data: a String takes it, a DateTime
                // only in SQL text on servers that read a time alone (26.9, not 18.16).
                let [hour, minute, second] = read::<[u16; 3]>(address);
                check_time_of_day(hour, minute, second)?;
                write!(scratch, "{hour:02}:{minute:02}:{second:02}").unwrap_or_default();
                Value::Bytes(scratch.as_bytes())
            }
            c_type::TYPE_TIMESTAMP => {
                let [year, month, day, hour, minute, second] = read::<[u16; 6]>(address);
                let fraction = read::<u32>(address + 12);
                check_time_of_day(hour, minute, second)?;
                if fraction > 999_999_999 {
                    return Err(invalid_date());
                }
                days_from_civil(i64::from(year as i16), month.into(), day.into()).ok_or_else(invalid_date)?;
                // A wall-clock time, as text: the server (or the INSERT block) reads it in the
                // column's zone, the zone it is shown in when read back.
                write!(
                    scratch,
                    "{:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}",
                    year as i16
                )
                .unwrap_or_default();
                if fraction > 0 {
                    write!(scratch, ".{fraction:09}").unwrap_or_default();
                }
                Value::Bytes(scratch.as_bytes())
            }
            c_type::GUID => {
                // SQLGUID: Data1 u32, Data2 u16, Data3 u16 in native order, then Data4 as bytes.
                let raw = read::<[u8; 16]>(address);
                let mut canonical = [0u8; 16];
                canonical[..4].copy_from_slice(&u32::from_ne_bytes([raw[0], raw[1], raw[2], raw[3]]).to_be_bytes());
                canonical[4..6].copy_from_slice(&u16::from_ne_bytes([raw[4], raw[5]]).to_be_bytes());
                canonical[6..8].copy_from_slice(&u16::from_ne_bytes([raw[6], raw[7]]).to_be_bytes());
                canonical[8..].copy_from_slice(&raw[8..]);
                Value::Uuid(canonical)
            }
            other => {
                return Err(Diagnostic::new(
                    "HYC00",
                    format!("parameters of C type {other} are not supported yet"),
                ));
            }
        })
    }
}

/// Counts the placeholders of a statement.
pub fn count(sql: &str) -> usize {
    question_marks(sql).len()
}

/// Whether the rows after VALUES are exactly one `(?, ?, ...)` row: then each parameter set is a
/// row and goes into the INSERT's columns without becoming SQL text.
pub fn is_placeholder_row(rows: &str) -> bool {
    let tokens: String = rows.chars().filter(|character| !character.is_whitespace()).collect();
    tokens
        .strip_prefix('(')
        .and_then(|inner| inner.strip_suffix(')'))
        .is_some_and(|inner| inner.split(',').all(|item| item == "?"))
}

/// The APD record of parameter `index` (0-based), which must be bound.
pub fn bound(records: &[Record], index: usize) -> Result<&Record, Diagnostic> {
    records
        .get(index)
        .filter(|record| record.is_bound())
        .ok_or_else(|| Diagnostic::new("07002", format!("parameter {} is not bound", index + 1)))
}

/// The statement with set `set`'s values in place of its placeholders.
///
/// # Safety
/// As for [`read_value`], for every placeholder's parameter.
pub unsafe fn substitute(
    sql: &str,
    records: &[Record],
    set: usize,
    layout: &ArrayLayout,
    supplied: &SuppliedData,
) -> Result<String, Diagnostic> {
    let mut scratch = String::new();
    substitute_with(sql, |index, out| {
        // SAFETY: forwarded from the caller.
        let value = unsafe { read_value(bound(records, index)?, index, set, layout, supplied, &mut scratch) }?;
        write_literal(&value, out);
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_parameter(buffer: &[u8], length: isize, indicators: &[isize]) -> Record {
        Record {
            concise_type: c_type::CHAR,
            data_ptr: buffer.as_ptr() as usize,
            octet_length: length,
            indicator_ptr: indicators.as_ptr() as usize,
            octet_length_ptr: indicators.as_ptr() as usize,
            length: 0,
            precision: 0,
            scale: 0,
            parameter_type: 1,
        }
    }

    #[test]
    fn placeholder_rows() {
        assert!(is_placeholder_row(" ( ?, ?,?\n) "));
        assert!(!is_placeholder_row("(?, now())"));
        assert!(!is_placeholder_row("(?), (?)"));
        assert!(!is_placeholder_row("(?, ?) -- comment"));
    }

    #[test]
    fn column_wise_arrays_with_nulls_and_lengths() {
        // Two sets of a 4-byte text column: "ab" (length 2) and NULL.
        let buffer = *b"abXXcdYY";
        let indicators = [2isize, NULL_DATA];
        let parameter = text_parameter(&buffer, 4, &indicators);
        let layout = ArrayLayout::default();
        let sql = "INSERT INTO t VALUES (?)";
        let none = SuppliedData::default();
        let first = unsafe { substitute(sql, &[parameter], 0, &layout, &none) }.unwrap();
        let second = unsafe { substitute(sql, &[parameter], 1, &layout, &none) }.unwrap();
        assert_eq!(
            (first.as_str(), second.as_str()),
            ("INSERT INTO t VALUES ('ab')", "INSERT INTO t VALUES (NULL)")
        );
    }

    #[test]
    fn numbers_dates_data_at_execution_and_missing_parameters() {
        let number = -42i64;
        let date: [u16; 3] = [2020, 1, 2];
        let stamp: ([u16; 6], u32) = ([1969, 12, 31, 23, 59, 58], 500_000_000);
        let integer = Record {
            concise_type: c_type::SBIGINT,
            data_ptr: &number as *const i64 as usize,
            ..text_parameter(&[], 0, &[])
        };
        let integer = Record {
            indicator_ptr: 0,
            octet_length_ptr: 0,
            ..integer
        };
        let day = Record {
            concise_type: c_type::TYPE_DATE,
            data_ptr: date.as_ptr() as usize,
            ..integer
        };
        let time = Record {
            concise_type: c_type::TYPE_TIMESTAMP,
            data_ptr: &stamp as *const _ as usize,
            ..integer
        };
        let at_execution = [DATA_AT_EXEC];
        let later = Record {
            octet_length_ptr: at_execution.as_ptr() as usize,
            ..text_parameter(&[], 0, &[])
        };
        let mut supplied = SuppliedData::default();
        supplied.start(0, 3);
        supplied.append(Some(b"it")).unwrap();
        supplied.append(Some(b"'s")).unwrap();
        let layout = ArrayLayout::default();
        let records = [integer, day, time, later];
        let sql = unsafe { substitute("SELECT ?, ?, ?, ? -- ?", &records, 0, &layout, &supplied) }.unwrap();
        assert_eq!(
            sql,
            "SELECT -42, '2020-01-02', '1969-12-31 23:59:58.500000000', 'it\\'s' -- ?"
        );
        let missing = unsafe { substitute("SELECT ?, ?", &[integer], 0, &layout, &supplied) }.unwrap_err();
        assert_eq!(missing.sqlstate, "07002");
        let bad_day = [2020u16, 2, 30];
        let bad = Record {
            data_ptr: bad_day.as_ptr() as usize,
            ..day
        };
        let error = unsafe { substitute("SELECT ?", &[bad], 0, &layout, &supplied) }.unwrap_err();
        assert_eq!(error.sqlstate, "22008");
    }

    /// An SQL_NUMERIC_STRUCT.
    fn numeric_struct(precision: u8, scale: i8, sign: u8, magnitude: u128) -> [u8; 19] {
        let mut bytes = [0u8; 19];
        bytes[..3].copy_from_slice(&[precision, scale as u8, sign]);
        bytes[3..].copy_from_slice(&magnitude.to_le_bytes());
        bytes
    }

    fn bound_at(c_type: i16, address: usize) -> Record {
        Record {
            concise_type: c_type,
            data_ptr: address,
            indicator_ptr: 0,
            octet_length_ptr: 0,
            ..text_parameter(&[], 0, &[])
        }
    }

    #[test]
    fn numerics_take_the_structure_scale_unless_the_apd_sets_one() {
        let layout = ArrayLayout::default();
        let none = SuppliedData::default();
        let value = |bytes: &[u8; 19], record: Record| unsafe {
            read_value(
                &Record {
                    data_ptr: bytes.as_ptr() as usize,
                    ..record
                },
                0,
                0,
                &layout,
                &none,
                // Numerics need no text: a scratch buffer per call is fine in a test.
                Box::leak(Box::default()),
            )
        };
        let numeric = bound_at(c_type::NUMERIC, 0);
        let negative = numeric_struct(5, 3, 0, 12_345);
        let expected = Value::Decimal {
            unscaled: -12_345,
            scale: 3,
        };
        assert_eq!(value(&negative, numeric), Ok(expected));
        let set_in_apd = Record {
            precision: 10,
            scale: 1,
            ..numeric
        };
        assert_eq!(
            value(&negative, set_in_apd),
            Ok(Value::Decimal {
                unscaled: -12_345,
                scale: 1
            })
        );
        // Any precision will do if the magnitude fits; a negative scale counts tens.
        let wide = numeric_struct(60, -2, 1, 7);
        assert_eq!(
            value(&wide, numeric),
            Ok(Value::Decimal {
                unscaled: 700,
                scale: 0
            })
        );
        let most_negative = numeric_struct(39, 0, 0, 1 << 127);
        assert!(value(&most_negative, numeric).is_ok());
        let too_big = numeric_struct(39, 0, 1, 1 << 127);
        assert_eq!(value(&too_big, numeric).unwrap_err().sqlstate, "22003");
        let mut out = String::new();
        write_literal(&value(&negative, numeric).unwrap(), &mut out);
        assert_eq!(out, "toDecimal128('-12.345', 3)");
    }

    #[test]
    fn times_become_text_and_odbc2_codes_are_their_odbc3_types() {
        let layout = ArrayLayout::default();
        let none = SuppliedData::default();
        let time: [u16; 3] = [7, 8, 9];
        let date: [u16; 3] = [2020, 1, 2];
        let records = [
            bound_at(c_type::TYPE_TIME, time.as_ptr() as usize),
            bound_at(c_type::TIME, time.as_ptr() as usize),
            bound_at(c_type::DATE, date.as_ptr() as usize),
        ];
        let sql = unsafe { substitute("SELECT ?, ?, ?", &records, 0, &layout, &none) }.unwrap();
        assert_eq!(sql, "SELECT '07:08:09', '07:08:09', '2020-01-02'");
        let late: [u16; 3] = [24, 0, 0];
        let late = bound_at(c_type::TYPE_TIME, late.as_ptr() as usize);
        let error = unsafe { substitute("SELECT ?", &[late], 0, &layout, &none) }.unwrap_err();
        assert_eq!(error.sqlstate, "22008");
    }
}
