//! Statement parameters: SQLBindParameter buffers rendered as SQL literals and put in place of the
//! `?` placeholders. ClickHouse's native protocol has no bind step, so the driver quotes values
//! itself: strings are written as `'...'` with `\\`, `'` and NUL escaped, numbers and dates are
//! formatted here, never copied from the application as SQL, so no value can change the statement.
//! An INSERT ... VALUES with a parameter array becomes one statement with one row per set, which
//! the native client sends as column blocks.

use std::fmt::Write as _;

use super::convert::{c_type, fixed_size};
use super::diag::Diagnostic;
use crate::native::sql::question_marks;

/// One SQLBindParameter call. Addresses belong to the application.
#[derive(Debug, Clone, Copy)]
pub struct Parameter {
    pub c_type: i16,
    pub sql_type: i16,
    pub buffer: usize,
    pub buffer_length: isize,
    pub indicator: usize,
}

/// How parameter arrays are laid out (the APD's array size, bind type and offset).
#[derive(Debug, Clone, Copy)]
pub struct ParameterLayout {
    pub set_size: usize,
    /// 0 for column-wise binding, else the size of one set's structure.
    pub bind_type: usize,
    pub bind_offset: usize,
    pub processed: usize,
    pub status: usize,
}

impl Default for ParameterLayout {
    fn default() -> Self {
        ParameterLayout {
            set_size: 1,
            bind_type: 0,
            bind_offset: 0,
            processed: 0,
            status: 0,
        }
    }
}

const NULL_DATA: isize = -1;
const NTS: isize = -3;

/// Quotes bytes as a ClickHouse string literal; bytes that are not UTF-8 are kept as `\xHH`.
fn quote(bytes: &[u8], out: &mut String) {
    out.push('\'');
    for chunk in bytes.utf8_chunks() {
        for character in chunk.valid().chars() {
            match character {
                '\\' => out.push_str("\\\\"),
                '\'' => out.push_str("\\'"),
                '\0' => out.push_str("\\0"),
                other => out.push(other),
            }
        }
        for byte in chunk.invalid() {
            write!(out, "\\x{byte:02X}").unwrap_or_default();
        }
    }
    out.push('\'');
}

/// Reads a fixed-size value at `address`.
///
/// # Safety
/// `address` must hold a `T`.
unsafe fn read<T: Copy>(address: usize) -> T {
    // SAFETY: as promised by the caller; application buffers may be unaligned.
    unsafe { (address as *const T).read_unaligned() }
}

impl Parameter {
    /// Appends set `row`'s value as an SQL literal.
    ///
    /// # Safety
    /// The bound buffers must be valid for the parameter set `row` under `layout`.
    pub unsafe fn render(&self, row: usize, layout: &ParameterLayout, out: &mut String) -> Result<(), Diagnostic> {
        // SAFETY: the application promises the offset pointer, if set, is readable.
        let offset = if layout.bind_offset == 0 {
            0
        } else {
            unsafe { read::<isize>(layout.bind_offset) }
        };
        let element = match (layout.bind_type, fixed_size(self.c_type)) {
            // Column-wise: fixed-size values are packed, text and binary strides are BufferLength.
            (0, 0) => self.buffer_length.max(0) as usize,
            (0, size) => size,
            (row_size, _) => row_size,
        };
        let indicator_stride = if layout.bind_type == 0 {
            size_of::<isize>()
        } else {
            layout.bind_type
        };
        let at = |base: usize, stride: usize| (base as isize + offset) as usize + row * stride;
        let indicator = if self.indicator == 0 {
            NTS
        } else {
            unsafe { read::<isize>(at(self.indicator, indicator_stride)) }
        };
        if indicator == NULL_DATA {
            out.push_str("NULL");
            return Ok(());
        }
        if self.buffer == 0 {
            return Err(Diagnostic::new("HY009", "parameter buffer is null"));
        }
        let unit = if self.c_type == c_type::WCHAR { 2 } else { 1 };
        let address = at(self.buffer, element);
        // SAFETY (every read below): the application promises a value of the bound C type there.
        unsafe {
            match self.c_type {
                c_type::CHAR | c_type::BINARY | c_type::WCHAR => {
                    let units = if indicator == NTS {
                        let mut count = 0;
                        while (0..unit).any(|byte| *((address + count * unit + byte) as *const u8) != 0) {
                            count += 1;
                        }
                        count
                    } else if indicator < 0 {
                        return Err(Diagnostic::new(
                            "HYC00",
                            "data-at-execution parameters are not supported yet",
                        ));
                    } else {
                        indicator as usize / unit
                    };
                    let bytes = std::slice::from_raw_parts(address as *const u8, units * unit);
                    if self.c_type == c_type::WCHAR {
                        let wide: Vec<u16> = bytes
                            .chunks_exact(2)
                            .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
                            .collect();
                        quote(String::from_utf16_lossy(&wide).as_bytes(), out);
                    } else {
                        quote(bytes, out);
                    }
                }
                c_type::TINYINT | c_type::STINYINT => write!(out, "{}", read::<i8>(address)).unwrap_or_default(),
                c_type::UTINYINT | c_type::BIT => write!(out, "{}", read::<u8>(address)).unwrap_or_default(),
                c_type::SHORT | c_type::SSHORT => write!(out, "{}", read::<i16>(address)).unwrap_or_default(),
                c_type::USHORT => write!(out, "{}", read::<u16>(address)).unwrap_or_default(),
                c_type::LONG | c_type::SLONG => write!(out, "{}", read::<i32>(address)).unwrap_or_default(),
                c_type::ULONG => write!(out, "{}", read::<u32>(address)).unwrap_or_default(),
                c_type::SBIGINT => write!(out, "{}", read::<i64>(address)).unwrap_or_default(),
                c_type::UBIGINT => write!(out, "{}", read::<u64>(address)).unwrap_or_default(),
                c_type::FLOAT => write_float(f64::from(read::<f32>(address)), out)?,
                c_type::DOUBLE => write_float(read::<f64>(address), out)?,
                c_type::TYPE_DATE => {
                    let [year, month, day] = read::<[u16; 3]>(address);
                    write!(out, "'{:04}-{month:02}-{day:02}'", year as i16).unwrap_or_default();
                }
                c_type::TYPE_TIMESTAMP => {
                    let [year, month, day, hour, minute, second] = read::<[u16; 6]>(address);
                    let fraction = read::<u32>(address + 12);
                    write!(
                        out,
                        "'{:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}",
                        year as i16
                    )
                    .unwrap_or_default();
                    if fraction > 0 {
                        write!(out, ".{:09}", fraction).unwrap_or_default();
                    }
                    out.push('\'');
                }
                c_type::GUID => {
                    let bytes = read::<[u8; 16]>(address);
                    let data1 = u32::from_ne_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
                    let data2 = u16::from_ne_bytes([bytes[4], bytes[5]]);
                    let data3 = u16::from_ne_bytes([bytes[6], bytes[7]]);
                    write!(out, "'{data1:08x}-{data2:04x}-{data3:04x}-").unwrap_or_default();
                    for (index, byte) in bytes[8..].iter().enumerate() {
                        if index == 2 {
                            out.push('-');
                        }
                        write!(out, "{byte:02x}").unwrap_or_default();
                    }
                    out.push('\'');
                }
                other => {
                    return Err(Diagnostic::new(
                        "HYC00",
                        format!("parameters of C type {other} are not supported yet"),
                    ));
                }
            }
        }
        Ok(())
    }
}

fn write_float(value: f64, out: &mut String) -> Result<(), Diagnostic> {
    if !value.is_finite() {
        // inf and nan are identifiers in ClickHouse SQL, not literals of any other meaning.
        write!(
            out,
            "{}",
            if value.is_nan() {
                "nan"
            } else if value > 0.0 {
                "inf"
            } else {
                "-inf"
            }
        )
        .unwrap_or_default();
    } else {
        write!(out, "{value:?}").unwrap_or_default();
    }
    Ok(())
}

/// Counts the placeholders of a statement.
pub fn count(sql: &str) -> usize {
    question_marks(sql).len()
}

/// The statement with set `row`'s values in place of its placeholders.
///
/// # Safety
/// As for [`Parameter::render`], for every placeholder's parameter.
pub unsafe fn substitute(
    sql: &str,
    parameters: &[Option<Parameter>],
    row: usize,
    layout: &ParameterLayout,
) -> Result<String, Diagnostic> {
    let positions = question_marks(sql);
    let mut out = String::with_capacity(sql.len() + positions.len() * 8);
    let mut copied = 0;
    for (index, position) in positions.iter().enumerate() {
        out.push_str(&sql[copied..*position]);
        let parameter = parameters
            .get(index)
            .copied()
            .flatten()
            .ok_or_else(|| Diagnostic::new("07002", format!("parameter {} is not bound", index + 1)))?;
        // SAFETY: forwarded from the caller.
        unsafe { parameter.render(row, layout, &mut out) }?;
        copied = position + 1;
    }
    out.push_str(&sql[copied..]);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_parameter(buffer: &[u8], length: isize, indicators: &[isize]) -> Parameter {
        Parameter {
            c_type: c_type::CHAR,
            sql_type: 12,
            buffer: buffer.as_ptr() as usize,
            buffer_length: length,
            indicator: indicators.as_ptr() as usize,
        }
    }

    #[test]
    fn strings_are_quoted_and_escaped() {
        let mut out = String::new();
        quote(b"it's \\ a\0b \xff\xfe \xc3\xa9", &mut out);
        assert_eq!(out, "'it\\'s \\\\ a\\0b \\xFF\\xFE é'");
    }

    #[test]
    fn column_wise_arrays_with_nulls_and_lengths() {
        // Two sets of a 4-byte text column: "ab" (length 2) and NULL.
        let buffer = *b"abXXcdYY";
        let indicators = [2isize, NULL_DATA];
        let parameter = text_parameter(&buffer, 4, &indicators);
        let layout = ParameterLayout {
            set_size: 2,
            ..ParameterLayout::default()
        };
        let sql = "INSERT INTO t VALUES (?)";
        let first = unsafe { substitute(sql, &[Some(parameter)], 0, &layout) }.unwrap();
        let second = unsafe { substitute(sql, &[Some(parameter)], 1, &layout) }.unwrap();
        assert_eq!(
            (first.as_str(), second.as_str()),
            ("INSERT INTO t VALUES ('ab')", "INSERT INTO t VALUES (NULL)")
        );
    }

    #[test]
    fn numbers_dates_and_missing_parameters() {
        let number = -42i64;
        let date: [u16; 3] = [2020, 1, 2];
        let integer = Parameter {
            c_type: c_type::SBIGINT,
            sql_type: -5,
            buffer: &number as *const i64 as usize,
            buffer_length: 0,
            indicator: 0,
        };
        let day = Parameter {
            c_type: c_type::TYPE_DATE,
            buffer: date.as_ptr() as usize,
            ..integer
        };
        let layout = ParameterLayout::default();
        let sql = unsafe { substitute("SELECT ?, ? -- ?", &[Some(integer), Some(day)], 0, &layout) }.unwrap();
        assert_eq!(sql, "SELECT -42, '2020-01-02' -- ?");
        let missing = unsafe { substitute("SELECT ?, ?", &[Some(integer)], 0, &layout) }.unwrap_err();
        assert_eq!(missing.sqlstate, "07002");
    }
}
