//! Cells written straight from a column's storage into the C type, without a [`Value`] per cell:
//! the pairs that bound rowsets and row-by-row SQLGetData meet most. Integers and floats already in
//! the C layout; integers into a C integer of another width or sign; Float32 into SQL_C_DOUBLE;
//! String and FixedString into SQL_C_CHAR, or ASCII into SQL_C_WCHAR; DateTime and Date into their
//! structs, and Date into SQL_C_TYPE_TIMESTAMP. pyodbc, for one, reads every TINYINT and SMALLINT
//! as SQL_C_LONG, every REAL as SQL_C_DOUBLE and every DATE as SQL_C_TYPE_TIMESTAMP.
//!
//! A cell this path cannot write exactly as [`get_data`](super::get_data) would (out of range,
//! text that does not fit, wide text that is not ASCII) is left to `get_data`, so every error,
//! warning and piece comes from one place.
//!
//! [`Value`]: crate::native::Value

use super::datetime_struct;
use super::{c_type, odbc3_datetime_code};
use crate::native::calendar::civil_from_days;
use crate::native::timezone::{is_utc, offset};
use crate::native::{ColumnData, DataType};
use crate::odbc::text::Encoding;

/// How the non-NULL cells of a column reach one C type. It depends on the column's type alone, so
/// it is found once for a result's column and C type, and then serves every block.
#[derive(Clone, Debug, PartialEq)]
pub enum Direct {
    /// Little-endian values already laid out as the C type.
    Copy,
    /// An integer column into a C integer of another width or sign: each value that fits.
    Integer { from: IntegerLayout, to: IntegerLayout },
    /// Float32 into SQL_C_DOUBLE.
    Float32AsDouble,
    /// String or FixedString into SQL_C_CHAR: the bytes as they are, NUL-terminated.
    Text,
    /// String or FixedString into SQL_C_WCHAR: ASCII text widened to the process's SQLWCHAR.
    WideText(Encoding),
    /// DateTime into SQL_C_TYPE_TIMESTAMP, and Date into SQL_C_TYPE_TIMESTAMP or SQL_C_TYPE_DATE.
    Calendar {
        unit: CalendarUnit,
        /// SQL_C_TYPE_TIMESTAMP's struct, or SQL_C_TYPE_DATE's (its first 6 bytes).
        timestamp: bool,
    },
}

/// What a calendar column stores.
#[derive(Clone, Debug, PartialEq)]
pub enum CalendarUnit {
    /// Date: UInt16 days since 1970-01-01.
    Days,
    /// DateTime: UInt32 seconds since the epoch, shown as wall-clock time in its zone (`None` for
    /// UTC, whose offset is not looked up for each cell).
    Seconds { timezone: Option<String> },
}

/// The width and sign of an integer column or C integer type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntegerLayout {
    pub width: usize,
    signed: bool,
}

impl IntegerLayout {
    fn of_column(data_type: &DataType) -> Option<IntegerLayout> {
        let (width, signed) = match data_type {
            DataType::Int8 => (1, true),
            DataType::UInt8 => (1, false),
            DataType::Int16 => (2, true),
            DataType::UInt16 => (2, false),
            DataType::Int32 => (4, true),
            DataType::UInt32 => (4, false),
            DataType::Int64 => (8, true),
            DataType::UInt64 => (8, false),
            _ => return None,
        };
        Some(IntegerLayout { width, signed })
    }

    fn of_c_type(c_type: i16) -> Option<IntegerLayout> {
        let (width, signed) = match c_type {
            c_type::TINYINT | c_type::STINYINT => (1, true),
            c_type::UTINYINT => (1, false),
            c_type::SHORT | c_type::SSHORT => (2, true),
            c_type::USHORT => (2, false),
            c_type::LONG | c_type::SLONG => (4, true),
            c_type::ULONG => (4, false),
            c_type::SBIGINT => (8, true),
            c_type::UBIGINT => (8, false),
            _ => return None,
        };
        Some(IntegerLayout { width, signed })
    }

    /// The value of a little-endian cell of this layout.
    #[inline]
    fn read(self, cell: &[u8]) -> i128 {
        let mut bytes = [0u8; 16];
        bytes[..self.width].copy_from_slice(cell);
        let shift = 128 - 8 * self.width as u32;
        let raw = i128::from_le_bytes(bytes);
        if self.signed { (raw << shift) >> shift } else { raw }
    }

    #[inline]
    fn holds(self, value: i128) -> bool {
        let bits = 8 * self.width as u32;
        if self.signed {
            (-(1i128 << (bits - 1))..1i128 << (bits - 1)).contains(&value)
        } else {
            (0..1i128 << bits).contains(&value)
        }
    }
}

/// A column's storage as the direct path reads it: its NULL flags, if it is Nullable, and the
/// storage of its values.
pub struct Cells<'a> {
    nulls: Option<&'a [u8]>,
    pub values: &'a ColumnData,
}

impl<'a> Cells<'a> {
    #[inline]
    pub fn of(data: &'a ColumnData) -> Cells<'a> {
        match data {
            ColumnData::Nullable { nulls, values } => Cells {
                nulls: Some(nulls),
                values,
            },
            values => Cells { nulls: None, values },
        }
    }

    /// Whether row `row` is NULL.
    #[inline]
    pub fn is_null(&self, row: usize) -> bool {
        self.nulls.is_some_and(|nulls| nulls[row] != 0)
    }
}

impl Direct {
    /// The direct path from a column of `data_type` (Nullable or not) to `c_type`, if there is one.
    pub fn of(data_type: &DataType, c_type: i16) -> Option<Direct> {
        let data_type = match data_type {
            DataType::Nullable(inner) => inner,
            data_type => data_type,
        };
        let c_type = odbc3_datetime_code(c_type);
        // The Native format is little-endian, and so are the C types on a little-endian target.
        let little_endian = cfg!(target_endian = "little");
        Some(match data_type {
            data_type
                if let (Some(from), Some(to)) =
                    (IntegerLayout::of_column(data_type), IntegerLayout::of_c_type(c_type))
                    && little_endian =>
            {
                if from == to {
                    Direct::Copy
                } else {
                    Direct::Integer { from, to }
                }
            }
            DataType::Float32 if c_type == c_type::FLOAT && little_endian => Direct::Copy,
            DataType::Float64 if c_type == c_type::DOUBLE && little_endian => Direct::Copy,
            DataType::Float32 if c_type == c_type::DOUBLE => Direct::Float32AsDouble,
            DataType::String | DataType::FixedString(_) if c_type == c_type::CHAR => Direct::Text,
            DataType::String | DataType::FixedString(_) if c_type == c_type::WCHAR => {
                Direct::WideText(Encoding::wide())
            }
            DataType::DateTime { timezone } if c_type == c_type::TYPE_TIMESTAMP => Direct::Calendar {
                unit: CalendarUnit::Seconds {
                    timezone: timezone.clone().filter(|name| !is_utc(name)),
                },
                timestamp: true,
            },
            DataType::Date if matches!(c_type, c_type::TYPE_DATE | c_type::TYPE_TIMESTAMP) => Direct::Calendar {
                unit: CalendarUnit::Days,
                timestamp: c_type == c_type::TYPE_TIMESTAMP,
            },
            _ => return None,
        })
    }

    /// Writes row `row` of `values` (the [`Cells::values`] of a column, of a non-NULL row)
    /// into `data`, which has room for the C type, or `capacity` bytes for text. Returns the length
    /// to report, or `None` to leave this cell to `get_data`.
    ///
    /// # Safety
    /// `data` must be null or valid for writes of the C type (`capacity` bytes for text).
    #[inline(always)]
    pub unsafe fn write(
        &self,
        values: &ColumnData,
        row: usize,
        data: *mut u8,
        capacity: isize,
        days: &mut DayCache,
    ) -> Option<usize> {
        let capacity = usize::try_from(capacity).unwrap_or(0);
        let length = match (self, values) {
            (Direct::Copy, ColumnData::Fixed { width, bytes }) => {
                let cell = &bytes[row * width..(row + 1) * width];
                // SAFETY (all writes below): as promised by the caller; the buffer may be unaligned.
                unsafe { copy_to(data, cell) };
                *width
            }
            (Direct::Integer { from, to }, ColumnData::Fixed { width, bytes }) if *width == from.width => {
                let value = from.read(&bytes[row * width..(row + 1) * width]);
                if !to.holds(value) {
                    return None;
                }
                // Little-endian: a value that fits is the low bytes of its two's complement.
                unsafe { copy_to(data, &value.to_le_bytes()[..to.width]) };
                to.width
            }
            (Direct::Float32AsDouble, ColumnData::Fixed { width: 4, bytes }) => {
                let value = f32::from_le_bytes(bytes[row * 4..row * 4 + 4].try_into().ok()?);
                unsafe { copy_to(data, &f64::from(value).to_ne_bytes()) };
                8
            }
            (Direct::Text, values @ (ColumnData::Strings { .. } | ColumnData::Fixed { .. })) => {
                let text = values.bytes_at(row);
                if text.len() >= capacity {
                    return None;
                }
                if !data.is_null() {
                    unsafe {
                        std::ptr::copy_nonoverlapping(text.as_ptr(), data, text.len());
                        data.add(text.len()).write(0);
                    }
                }
                text.len()
            }
            (Direct::WideText(wide), values @ (ColumnData::Strings { .. } | ColumnData::Fixed { .. })) => {
                let text = values.bytes_at(row);
                let unit = wide.unit_size();
                if data.is_null() || text.len() >= capacity / unit || !text.is_ascii() {
                    return None;
                }
                unsafe {
                    match wide {
                        Encoding::Utf32 => widen::<u32>(text, data),
                        _ => widen::<u16>(text, data),
                    }
                }
                text.len() * unit
            }
            (Direct::Calendar { unit, timestamp }, ColumnData::Fixed { width, bytes }) => {
                let seconds = match (unit, width) {
                    (CalendarUnit::Days, 2) => {
                        i64::from(u16::from_le_bytes(bytes[row * 2..row * 2 + 2].try_into().ok()?)) * 86_400
                    }
                    (CalendarUnit::Seconds { timezone }, 4) => {
                        let utc = i64::from(u32::from_le_bytes(bytes[row * 4..row * 4 + 4].try_into().ok()?));
                        utc + timezone.as_deref().map_or(0, |name| offset(Some(name), utc))
                    }
                    _ => return None,
                };
                let (year, month, day) = days.civil(seconds.div_euclid(86_400));
                let time = seconds.rem_euclid(86_400);
                let fields = [year, month, day, time / 3600, time / 60 % 60, time % 60];
                let length = if *timestamp { 16 } else { 6 };
                unsafe { copy_to(data, &datetime_struct(fields.map(|field| field as u16), 0)[..length]) };
                length
            }
            _ => return None,
        };
        Some(length)
    }
}

/// Copies `cell` to `data` unless it is null.
///
/// # Safety
/// `data` must be null or valid for `cell.len()` bytes.
#[inline]
unsafe fn copy_to(data: *mut u8, cell: &[u8]) {
    if !data.is_null() {
        // SAFETY: as promised by the caller.
        unsafe { std::ptr::copy_nonoverlapping(cell.as_ptr(), data, cell.len()) };
    }
}

/// Writes ASCII `text` as NUL-terminated code units of type `U` (u16 or u32).
///
/// # Safety
/// `data` must be valid for `text.len() + 1` units; it may be unaligned.
#[inline]
unsafe fn widen<U: From<u8>>(text: &[u8], data: *mut u8) {
    let units = data.cast::<U>();
    for (at, &byte) in text.iter().chain(&[0]).enumerate() {
        // SAFETY: as promised by the caller.
        unsafe { units.add(at).write_unaligned(U::from(byte)) };
    }
}

/// The calendar date of the last day number asked for: rows of a block are often of one day.
#[derive(Default)]
pub struct DayCache(Option<(i64, [i64; 3])>);

impl DayCache {
    fn civil(&mut self, days: i64) -> (i64, i64, i64) {
        let [year, month, day] = match self.0 {
            Some((cached, civil)) if cached == days => civil,
            _ => {
                let (year, month, day) = civil_from_days(days);
                let civil = [year, month.into(), day.into()];
                self.0 = Some((days, civil));
                civil
            }
        };
        (year, month, day)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::target;
    use super::super::{Outcome, Progress, Target, get_data};
    use super::*;
    use crate::native::{Column, Value};

    fn column(type_name: &str, values: &[Value<'_>]) -> Column {
        let mut column = Column::new("c", type_name).unwrap();
        for value in values {
            column
                .data
                .push(&column.data_type, value)
                .unwrap_or_else(|error| panic!("{type_name}: {error}"));
        }
        column
    }

    /// Every cell the direct path writes, it writes as `get_data` does: the same bytes and length,
    /// and no warning; the cells it leaves are the ones with an error, a warning or pieces.
    #[test]
    fn direct_cells_are_written_as_get_data_writes_them() {
        let text = |text: &'static str| Value::Text(text.into());
        let columns = [
            column("Int32", &[Value::Int(-7), Value::Int(i64::from(i32::MAX))]),
            column("Nullable(Int64)", &[Value::Null, Value::Int(-1)]),
            column("UInt64", &[Value::UInt(42), Value::UInt(u64::MAX)]),
            column("Float64", &[Value::Float64(-0.5), Value::Float64(f64::NAN)]),
            column("Float32", &[Value::Float32(1.5)]),
            column("UInt8", &[Value::UInt(255), Value::UInt(127)]),
            column("Int8", &[Value::Int(-128), Value::Int(5)]),
            column("Int16", &[Value::Int(-300), Value::Int(i64::from(i16::MAX))]),
            column("Nullable(UInt16)", &[Value::UInt(65_535), Value::Null]),
            column("UInt32", &[Value::UInt(u64::from(u32::MAX)), Value::UInt(7)]),
            column("Int64", &[Value::Int(i64::MIN), Value::Int(-1), Value::Int(1 << 40)]),
            column(
                "Nullable(String)",
                &[text("abc"), Value::Null, text(""), text("héllo"), text("a longer text")],
            ),
            column(
                "DateTime",
                &[
                    Value::UInt(0),
                    Value::UInt(1_700_000_000),
                    Value::UInt(u64::from(u32::MAX)),
                ],
            ),
            column("DateTime('Asia/Shanghai')", &[Value::UInt(1_700_000_000)]),
            column("Date", &[Value::Date(0), Value::Date(20_000)]),
            column(
                "FixedString(3)",
                &[Value::Bytes(b"abc"), Value::Bytes(b"a\0\0"), Value::Bytes(b"\xff\0z")],
            ),
        ];
        let c_types = [
            c_type::STINYINT,
            c_type::UTINYINT,
            c_type::SHORT,
            c_type::USHORT,
            c_type::LONG,
            c_type::SLONG,
            c_type::ULONG,
            c_type::SBIGINT,
            c_type::UBIGINT,
            c_type::DOUBLE,
            c_type::FLOAT,
            c_type::CHAR,
            c_type::WCHAR,
            c_type::TYPE_TIMESTAMP,
            c_type::TIMESTAMP,
            c_type::TYPE_DATE,
        ];
        let mut written = 0;
        for column in &columns {
            for c_type in c_types {
                let Some(direct) = Direct::of(&column.data_type, c_type) else {
                    continue;
                };
                let cells = Cells::of(&column.data);
                for row in 0..column.data.len() {
                    for capacity in [0, 1, 4, 7, 12, 64] {
                        let mut ours = [0u8; 64];
                        let theirs_length = &mut 0isize;
                        let mut theirs = [0u8; 64];
                        let cell = if cells.is_null(row) {
                            None
                        } else {
                            unsafe {
                                direct.write(cells.values, row, ours.as_mut_ptr(), capacity, &mut DayCache::default())
                            }
                        };
                        let target = Target {
                            capacity,
                            ..target(&mut theirs, theirs_length)
                        };
                        let outcome =
                            unsafe { get_data(&column.value(row), c_type, &target, &mut Progress::Untouched) };
                        let Some(length) = cell else { continue };
                        let case = format!("{} row {row} as {c_type} in {capacity}", column.type_name);
                        assert_eq!(outcome, Ok(Outcome::Complete), "{case}");
                        assert_eq!((ours, length as isize), (theirs, *theirs_length), "{case}");
                        written += 1;
                    }
                }
            }
        }
        assert!(written > 600, "only {written} cells went the direct way");
    }

    #[test]
    fn cells_with_an_error_a_warning_or_pieces_are_left_to_get_data() {
        let left = |type_name: &str, value: Value<'_>, c_type: i16, capacity: isize| {
            let column = column(type_name, &[value]);
            let direct = Direct::of(&column.data_type, c_type).unwrap();
            let mut buffer = [0u8; 16];
            unsafe { direct.write(&column.data, 0, buffer.as_mut_ptr(), capacity, &mut DayCache::default()) }.is_none()
        };
        assert!(left("UInt64", Value::UInt(u64::MAX), c_type::SBIGINT, 8), "22003");
        assert!(left("Int16", Value::Int(-1), c_type::ULONG, 8), "22003");
        assert!(left("UInt32", Value::UInt(1 << 31), c_type::SLONG, 8), "22003");
        assert!(left("Int64", Value::Int(1 << 40), c_type::SLONG, 8), "22003");
        assert!(!left("Int16", Value::Int(-1), c_type::SBIGINT, 8));
        assert!(left("String", Value::Text("abcd".into()), c_type::CHAR, 4), "01004");
        assert!(left("String", Value::Text("é".into()), c_type::WCHAR, 16), "not ASCII");
        assert!(left("String", Value::Text("abcd".into()), c_type::WCHAR, 8), "01004");
        assert!(!left("String", Value::Text("abc".into()), c_type::WCHAR, 8));
        assert!(Direct::of(&DataType::parse("Decimal(9, 2)").unwrap(), c_type::CHAR).is_none());
    }
}
