//! Reading Arrow data handed in through the C stream interface, value by value, for INSERT.
//!
//! Every pointer comes from the producer and is checked where the specification lets a consumer
//! check: formats are parsed strictly, buffer counts and lengths must agree, offsets must stay
//! inside their buffers. Types read: null, boolean, integers, floats, (large) utf8 and binary,
//! fixed-size binary, date32/date64, timestamps (any unit, zone ignored: the values are instants),
//! decimal128/256, (large) lists, structs, maps and dictionaries.

use std::ffi::CStr;

use super::abi::{ArrowArray, ArrowArrayStream, ArrowSchema};
use crate::native::{ColumnData, DataType, Error, Result, Value};

/// A field's type, parsed from its format string.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    Null,
    Bool,
    Int {
        bytes: usize,
        signed: bool,
    },
    Float {
        bytes: usize,
    },
    Text {
        large: bool,
    },
    Binary {
        large: bool,
    },
    FixedBinary(usize),
    Date32,
    Date64,
    /// Ticks of 10^-precision seconds.
    Timestamp {
        precision: u8,
    },
    Decimal {
        bytes: usize,
        scale: u8,
    },
    List {
        large: bool,
    },
    Struct,
    Map,
}

/// A field with its children, parsed once per stream.
#[derive(Debug)]
struct Field {
    kind: Kind,
    children: Vec<Field>,
    /// The index type is `kind`; the values are described here.
    dictionary: Option<Box<Field>>,
}

/// Deeper nesting than any real schema; bounds the recursion over producer-made trees.
const MAX_DEPTH: usize = 64;

fn invalid(message: impl Into<String>) -> Error {
    Error::Usage(format!("Arrow input: {}", message.into()))
}

/// # Safety
/// `schema` is a valid, unreleased Arrow schema.
unsafe fn parse_field(schema: &ArrowSchema, depth: usize) -> Result<Field> {
    if depth > MAX_DEPTH {
        return Err(invalid("the schema nests too deeply"));
    }
    if schema.format.is_null() {
        return Err(invalid("a field without a format"));
    }
    // SAFETY: the specification makes format a NUL-terminated string.
    let format = unsafe { CStr::from_ptr(schema.format) }
        .to_str()
        .map_err(|_| invalid("a format that is not UTF-8"))?;
    let kind = match format {
        "n" => Kind::Null,
        "b" => Kind::Bool,
        "c" | "C" | "s" | "S" | "i" | "I" | "l" | "L" => {
            let code = format.as_bytes()[0];
            let bytes = match code.to_ascii_lowercase() {
                b'c' => 1,
                b's' => 2,
                b'i' => 4,
                _ => 8,
            };
            Kind::Int {
                bytes,
                signed: code.is_ascii_lowercase(),
            }
        }
        "f" => Kind::Float { bytes: 4 },
        "g" => Kind::Float { bytes: 8 },
        "u" | "U" => Kind::Text { large: format == "U" },
        "z" | "Z" => Kind::Binary { large: format == "Z" },
        "tdD" => Kind::Date32,
        "tdm" => Kind::Date64,
        "+l" | "+L" => Kind::List { large: format == "+L" },
        "+s" => Kind::Struct,
        "+m" => Kind::Map,
        other => {
            if let Some(width) = other.strip_prefix("w:") {
                Kind::FixedBinary(width.parse().map_err(|_| invalid(format!("format `{other}`")))?)
            } else if let Some(rest) = other.strip_prefix("ts") {
                let precision = match rest.split(':').next() {
                    Some("s") => 0,
                    Some("m") => 3,
                    Some("u") => 6,
                    Some("n") => 9,
                    _ => return Err(invalid(format!("format `{other}`"))),
                };
                Kind::Timestamp { precision }
            } else if let Some(rest) = other.strip_prefix("d:") {
                let parts: Vec<&str> = rest.split(',').collect();
                let number = |text: &str| {
                    text.trim()
                        .parse::<u16>()
                        .map_err(|_| invalid(format!("format `{other}`")))
                };
                let (scale, bytes) = match parts[..] {
                    [_, scale] => (number(scale)?, 16),
                    [_, scale, "128"] => (number(scale)?, 16),
                    [_, scale, "256"] => (number(scale)?, 32),
                    _ => return Err(invalid(format!("format `{other}` is not supported"))),
                };
                Kind::Decimal {
                    bytes,
                    scale: u8::try_from(scale).map_err(|_| invalid(format!("format `{other}`")))?,
                }
            } else {
                return Err(invalid(format!("format `{other}` is not supported")));
            }
        }
    };
    let count = usize::try_from(schema.n_children).map_err(|_| invalid("a negative child count"))?;
    let mut children = Vec::new();
    for index in 0..count {
        // SAFETY: the specification makes children an array of n_children valid schemas.
        let child = unsafe { nth(schema.children, index) }.ok_or_else(|| invalid("a missing child schema"))?;
        // SAFETY: as above.
        children.push(unsafe { parse_field(child, depth + 1) }?);
    }
    // SAFETY: a dictionary, when present, is a valid schema.
    let dictionary = match unsafe { schema.dictionary.as_ref() } {
        Some(values) => Some(Box::new(unsafe { parse_field(values, depth + 1) }?)),
        None => None,
    };
    let expected_children = match kind {
        Kind::List { .. } | Kind::Map => 1,
        Kind::Struct => children.len(),
        _ => 0,
    };
    if children.len() != expected_children || (kind == Kind::Map && children[0].kind != Kind::Struct) {
        return Err(invalid(format!("format `{format}` with {} children", children.len())));
    }
    if dictionary.is_some() && !matches!(kind, Kind::Int { .. }) {
        return Err(invalid("a dictionary whose index type is not an integer"));
    }
    Ok(Field {
        kind,
        children,
        dictionary,
    })
}

/// Entry `index` of a producer's array of pointers; `None` when the array or the entry is NULL.
///
/// # Safety
/// `pointers` is NULL or holds more than `index` pointers, each NULL or valid.
unsafe fn nth<'a, T>(pointers: *mut *mut T, index: usize) -> Option<&'a T> {
    // SAFETY: as promised by the caller.
    unsafe { pointers.as_ref().and_then(|_| (*pointers.add(index)).as_ref()) }
}

/// An array of a parsed field, checked enough that reading its values stays in bounds.
struct Column<'a> {
    field: &'a Field,
    array: &'a ArrowArray,
    offset: usize,
    length: usize,
    children: Vec<Column<'a>>,
    dictionary: Option<Box<Column<'a>>>,
}

impl<'a> Column<'a> {
    /// # Safety
    /// `array` is a valid, unreleased array of `field`'s type, its buffers as long as the
    /// specification says for its length and offset.
    unsafe fn new(field: &'a Field, array: &'a ArrowArray) -> Result<Column<'a>> {
        let offset = usize::try_from(array.offset).map_err(|_| invalid("a negative offset"))?;
        let length = usize::try_from(array.length).map_err(|_| invalid("a negative length"))?;
        let buffers = match field.kind {
            Kind::Null => 0,
            Kind::Struct => 1,
            Kind::Text { .. } | Kind::Binary { .. } => 3,
            _ => 2,
        };
        if array.n_buffers != buffers || (buffers > 0 && array.buffers.is_null()) {
            return Err(invalid(format!(
                "{} buffers where {buffers} were expected",
                array.n_buffers
            )));
        }
        if usize::try_from(array.n_children).ok() != Some(field.children.len()) {
            return Err(invalid("an array whose children do not match its schema"));
        }
        let mut children = Vec::new();
        for (index, child_field) in field.children.iter().enumerate() {
            // SAFETY: as promised by the caller.
            let child = unsafe { nth(array.children, index) }.ok_or_else(|| invalid("a missing child array"))?;
            // SAFETY: as promised by the caller.
            children.push(unsafe { Column::new(child_field, child) }?);
        }
        let dictionary = match (&field.dictionary, unsafe { array.dictionary.as_ref() }) {
            // SAFETY: as promised by the caller.
            (Some(values), Some(array)) => Some(Box::new(unsafe { Column::new(values, array) }?)),
            (None, None) => None,
            _ => return Err(invalid("a dictionary in the array but not the schema, or the reverse")),
        };
        Ok(Column {
            field,
            array,
            offset,
            length,
            children,
            dictionary,
        })
    }

    /// Buffer `index` as a pointer to T.
    fn buffer<T>(&self, index: usize) -> *const T {
        // SAFETY: `new` checked the buffer count.
        unsafe { *self.array.buffers.add(index) }.cast()
    }

    fn is_valid(&self, row: usize) -> bool {
        let validity = self.buffer::<u8>(0);
        let at = self.offset + row;
        // SAFETY: a validity bitmap covers offset + length bits.
        validity.is_null() || unsafe { *validity.add(at / 8) } >> (at % 8) & 1 == 1
    }

    /// The `(start, end)` offsets of variable-length element `row`.
    fn range(&self, row: usize, large: bool) -> Result<(usize, usize)> {
        let at = self.offset + row;
        // SAFETY: offsets buffers hold offset + length + 1 entries.
        let (start, end) = unsafe {
            if large {
                let offsets = self.buffer::<i64>(1);
                (offsets.add(at).read_unaligned(), offsets.add(at + 1).read_unaligned())
            } else {
                let offsets = self.buffer::<i32>(1);
                (
                    i64::from(offsets.add(at).read_unaligned()),
                    i64::from(offsets.add(at + 1).read_unaligned()),
                )
            }
        };
        match (usize::try_from(start), usize::try_from(end)) {
            (Ok(start), Ok(end)) if start <= end => Ok((start, end)),
            _ => Err(invalid("offsets that run backwards")),
        }
    }

    /// Fixed-width value `row` as its bytes.
    fn fixed(&self, row: usize, width: usize) -> &'a [u8] {
        // SAFETY: a fixed-width values buffer holds (offset + length) values.
        unsafe { std::slice::from_raw_parts(self.buffer::<u8>(1).add((self.offset + row) * width), width) }
    }

    /// Field `index` of struct row `row`: a struct's offset applies to its children as well.
    fn struct_field(&self, index: usize, row: usize) -> Result<Value<'a>> {
        let child = &self.children[index];
        let at = self.offset + row;
        if at >= child.length {
            return Err(invalid("a struct field shorter than its struct"));
        }
        child.value(at)
    }

    /// Value `row` (`row < length`).
    fn value(&self, row: usize) -> Result<Value<'a>> {
        if !self.is_valid(row) || self.field.kind == Kind::Null {
            return Ok(Value::Null);
        }
        if let Some(values) = &self.dictionary {
            let index = match self.field.kind {
                Kind::Int { bytes, signed } => integer(self.fixed(row, bytes), signed),
                _ => unreachable!("checked when the schema was parsed"),
            };
            let index = usize::try_from(index)
                .ok()
                .filter(|&index| index < values.length)
                .ok_or_else(|| invalid("a dictionary index out of range"))?;
            return values.value(index);
        }
        Ok(match self.field.kind {
            Kind::Null => Value::Null,
            Kind::Bool => {
                let at = self.offset + row;
                // SAFETY: a boolean values bitmap covers offset + length bits.
                Value::Bool(unsafe { *self.buffer::<u8>(1).add(at / 8) } >> (at % 8) & 1 == 1)
            }
            Kind::Int { bytes, signed } => {
                let value = integer(self.fixed(row, bytes), signed);
                if signed {
                    Value::Int(value as i64)
                } else {
                    Value::UInt(value as u64)
                }
            }
            Kind::Float { bytes: 4 } => {
                Value::Float32(f32::from_le_bytes(self.fixed(row, 4).try_into().unwrap_or_default()))
            }
            Kind::Float { .. } => Value::Float64(f64::from_le_bytes(self.fixed(row, 8).try_into().unwrap_or_default())),
            Kind::Text { large } | Kind::Binary { large } => {
                let (start, end) = self.range(row, large)?;
                // SAFETY: the data buffer holds the bytes its offsets reach.
                let bytes = unsafe { std::slice::from_raw_parts(self.buffer::<u8>(2).add(start), end - start) };
                Value::Bytes(bytes)
            }
            Kind::FixedBinary(width) => Value::Bytes(self.fixed(row, width)),
            Kind::Date32 => Value::Date(i32::from_le_bytes(self.fixed(row, 4).try_into().unwrap_or_default())),
            Kind::Date64 => {
                let millis = i64::from_le_bytes(self.fixed(row, 8).try_into().unwrap_or_default());
                Value::Date(i32::try_from(millis.div_euclid(86_400_000)).map_err(|_| invalid("a date64 out of range"))?)
            }
            Kind::Timestamp { precision } => Value::DateTime64 {
                ticks: i64::from_le_bytes(self.fixed(row, 8).try_into().unwrap_or_default()),
                precision,
                timezone: None,
            },
            Kind::Decimal { bytes: 16, scale } => Value::Decimal {
                unscaled: i128::from_le_bytes(self.fixed(row, 16).try_into().unwrap_or_default()),
                scale,
            },
            Kind::Decimal { scale, .. } => Value::Decimal256 {
                bytes: self.fixed(row, 32).try_into().unwrap_or_default(),
                scale,
            },
            Kind::List { large } => {
                let (start, end) = self.range(row, large)?;
                let elements = &self.children[0];
                if end > elements.length {
                    return Err(invalid("list offsets beyond the elements"));
                }
                Value::Array(
                    (start..end)
                        .map(|element| elements.value(element))
                        .collect::<Result<_>>()?,
                )
            }
            Kind::Struct => Value::Tuple(
                (0..self.children.len())
                    .map(|index| self.struct_field(index, row))
                    .collect::<Result<_>>()?,
            ),
            Kind::Map => {
                let (start, end) = self.range(row, false)?;
                let entries = &self.children[0];
                let [keys, values] = &entries.children[..] else {
                    return Err(invalid("map entries that are not key and value"));
                };
                if end > entries.length {
                    return Err(invalid("map offsets beyond the entries"));
                }
                Value::Map(
                    (start..end)
                        .map(|entry| Ok((keys.value(entry)?, values.value(entry)?)))
                        .collect::<Result<_>>()?,
                )
            }
        })
    }
}

/// A little-endian integer of 1 to 8 bytes, sign- or zero-extended to 64 bits.
fn integer(bytes: &[u8], signed: bool) -> i128 {
    let mut wide = [0u8; 8];
    wide[..bytes.len()].copy_from_slice(bytes);
    let value = u64::from_le_bytes(wide);
    let bits = bytes.len() * 8;
    if signed && bits < 64 && value >> (bits - 1) & 1 == 1 {
        i128::from(value as i64 - (1i64 << bits))
    } else if signed {
        i128::from(value as i64)
    } else {
        i128::from(value)
    }
}

/// One batch of a stream: its columns (the fields of the top-level struct), checked.
pub struct Batch<'a> {
    table: Column<'a>,
}

impl Batch<'_> {
    pub fn rows(&self) -> usize {
        self.table.length
    }

    pub fn columns(&self) -> usize {
        self.table.children.len()
    }

    /// The value of column `column` at `row` (`row < rows()`).
    pub fn value(&self, column: usize, row: usize) -> Result<Value<'_>> {
        self.table.struct_field(column, row)
    }

    /// Appends all of column `column` to `data` of `data_type` in one go where the Arrow layout is
    /// ClickHouse's (integers and floats of the same width and sign, utf8 or binary into String,
    /// each also into Nullable); `false`, with `data` untouched, where the values must be
    /// converted one by one.
    pub fn append_column(&self, column: usize, data_type: &DataType, data: &mut ColumnData) -> bool {
        let column = &self.table.children[column];
        if self.table.offset != 0 || column.dictionary.is_some() || column.length < self.table.length {
            return false;
        }
        let rows = self.table.length;
        match (data_type, data) {
            (DataType::Nullable(inner), ColumnData::Nullable { nulls, values }) => {
                let before = values.len();
                if !column.append_values(inner, values, rows) {
                    return false;
                }
                debug_assert_eq!(values.len(), before + rows);
                nulls.extend((0..rows).map(|row| u8::from(!column.is_valid(row))));
                true
            }
            (data_type, data) => column.array.null_count == 0 && column.append_values(data_type, data, rows),
        }
    }
}

impl Column<'_> {
    /// Appends the first `rows` values, ignoring validity, where the layouts agree.
    fn append_values(&self, data_type: &DataType, data: &mut ColumnData, rows: usize) -> bool {
        let same_fixed_layout = match (&self.field.kind, data_type) {
            (Kind::Int { bytes, signed }, data_type) => same_integer(data_type, *bytes, *signed),
            (Kind::Float { bytes: 4 }, DataType::Float32) | (Kind::Float { bytes: 8 }, DataType::Float64) => true,
            _ => false,
        };
        match (&self.field.kind, data_type, data) {
            (_, _, ColumnData::Fixed { width, bytes: out }) if same_fixed_layout => {
                let width = *width;
                // SAFETY: a fixed-width values buffer holds (offset + length) values of this width
                // (the same as the column's, since the types agree).
                out.extend_from_slice(unsafe {
                    std::slice::from_raw_parts(self.buffer::<u8>(1).add(self.offset * width), rows * width)
                });
                true
            }
            (Kind::Text { large } | Kind::Binary { large }, DataType::String, ColumnData::Strings { ends, bytes }) => {
                let (Ok((first, _)), Ok((_, last))) =
                    (self.range(0, *large), self.range(rows.saturating_sub(1), *large))
                else {
                    return false;
                };
                if rows == 0 {
                    return true;
                }
                let base = bytes.len();
                let mut previous = first;
                let mut new_ends = Vec::with_capacity(rows);
                for row in 0..rows {
                    let Ok((start, end)) = self.range(row, *large) else {
                        return false;
                    };
                    if start != previous {
                        return false;
                    }
                    new_ends.push(base + end - first);
                    previous = end;
                }
                // SAFETY: the data buffer holds the bytes its offsets reach.
                bytes.extend_from_slice(unsafe {
                    std::slice::from_raw_parts(self.buffer::<u8>(2).add(first), last - first)
                });
                ends.extend(new_ends);
                true
            }
            _ => false,
        }
    }
}

/// Whether a ClickHouse integer type has `bytes` bytes and this signedness.
fn same_integer(data_type: &DataType, bytes: usize, signed: bool) -> bool {
    matches!(
        (data_type, bytes, signed),
        (DataType::Int8, 1, true)
            | (DataType::Int16, 2, true)
            | (DataType::Int32, 4, true)
            | (DataType::Int64, 8, true)
            | (DataType::UInt8, 1, false)
            | (DataType::UInt16, 2, false)
            | (DataType::UInt32, 4, false)
            | (DataType::UInt64, 8, false)
    )
}

/// Reads a stream to its end, handing `on_batch` each batch; returns the rows read. The stream is
/// released at the end, also on error.
///
/// # Safety
/// `stream` is a valid, unreleased Arrow C stream.
pub unsafe fn read_batches<E: From<Error>>(
    stream: &mut ArrowArrayStream,
    mut on_batch: impl FnMut(&Batch<'_>) -> Result<(), E>,
) -> Result<u64, E> {
    let stream_ptr: *mut ArrowArrayStream = std::ptr::from_mut(stream);
    let outcome = (|| -> Result<u64, E> {
        let mut schema = ArrowSchema::empty();
        // SAFETY: as promised by the caller.
        let (get_schema, get_next) = unsafe { ((*stream_ptr).get_schema, (*stream_ptr).get_next) };
        let get_schema = get_schema.ok_or_else(|| invalid("a stream without get_schema"))?;
        let get_next = get_next.ok_or_else(|| invalid("a stream without get_next"))?;
        // SAFETY: as promised by the caller.
        if unsafe { get_schema(stream_ptr, &mut schema) } != 0 {
            return Err(invalid(format!("get_schema failed: {}", unsafe { last_error(stream_ptr) })).into());
        }
        let parsed = unsafe { parse_field(&schema, 0) };
        if let Some(release) = schema.release {
            // SAFETY: the producer's schema, released once.
            unsafe { release(&mut schema) };
        }
        let field = parsed?;
        if field.kind != Kind::Struct {
            return Err(invalid("the stream's schema is not a struct of columns").into());
        }
        let mut rows = 0u64;
        loop {
            let mut batch = ArrowArray::empty();
            // SAFETY: as promised by the caller.
            if unsafe { get_next(stream_ptr, &mut batch) } != 0 {
                return Err(invalid(format!("get_next failed: {}", unsafe { last_error(stream_ptr) })).into());
            }
            let Some(release) = batch.release else { return Ok(rows) };
            // SAFETY: the batch the producer just handed over, of the stream's schema.
            let outcome = unsafe { Column::new(&field, &batch) }
                .map_err(E::from)
                .and_then(|table| {
                    rows += table.length as u64;
                    on_batch(&Batch { table })
                });
            // SAFETY: released once, after its values were used.
            unsafe { release(&mut batch) };
            outcome?;
        }
    })();
    // SAFETY: the caller's stream, released once.
    if let Some(release) = unsafe { (*stream_ptr).release } {
        unsafe { release(stream_ptr) };
    }
    outcome
}

/// # Safety
/// `stream` is a valid Arrow C stream.
unsafe fn last_error(stream: *mut ArrowArrayStream) -> String {
    // SAFETY: as promised by the caller; the message is a NUL-terminated string or NULL.
    unsafe {
        match (*stream).get_last_error.map(|get| get(stream)) {
            Some(message) if !message.is_null() => CStr::from_ptr(message).to_string_lossy().into_owned(),
            _ => "no message".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_extend_by_sign() {
        assert_eq!(integer(&[0xFF], true), -1);
        assert_eq!(integer(&[0xFF], false), 255);
        assert_eq!(integer(&[0, 0x80], true), -32768);
        assert_eq!(integer(&u64::MAX.to_le_bytes(), false), i128::from(u64::MAX));
        assert_eq!(integer(&(-7i64).to_le_bytes(), true), -7);
    }
}
