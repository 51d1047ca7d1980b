//! Columns as they travel in the Native format, kept as received and interpreted on access.
//!
//! A column is a [`ColumnData`] tree that mirrors its [`DataType`]: fixed-width values stay in one
//! little-endian byte buffer, strings in one byte buffer with end offsets, so a block costs a handful
//! of allocations however many rows it has, and buffers are reused from block to block.
//!
//! Wire layout (server `src/DataTypes/Serializations/`), N rows:
//! - fixed-width types: N × width bytes; String: N × (varint length, bytes);
//! - Nullable(T): N null flags (1 = NULL), then T for all N rows (placeholders under NULL);
//! - Array(T): N cumulative UInt64 end offsets, then all elements; Map(K, V) is Array(Tuple(K, V));
//! - Tuple: each element column in full, one after another;
//! - LowCardinality(T): a UInt64 version prefix written before any other stream of the enclosing
//!   column, then per granule: UInt64 flags and index width, the dictionary ("additional keys") as
//!   T without Nullable, UInt64 row count, and one index per row. With Nullable, index 0 is NULL.

mod decode;
mod encode;
mod push;
mod value;

use std::borrow::Cow;
use std::net::{Ipv4Addr, Ipv6Addr};

pub use decode::read_prefix;
pub use encode::write_prefix;
pub use value::{Value, int256_digits};

use super::types::DataType;

/// The data of one column, shaped like its type.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    /// Fixed-width values: `width` little-endian bytes per row.
    Fixed {
        width: usize,
        bytes: Vec<u8>,
    },
    /// Byte strings: row `i` is `bytes[ends[i - 1]..ends[i]]`.
    Strings {
        ends: Vec<usize>,
        bytes: Vec<u8>,
    },
    Nullable {
        nulls: Vec<u8>,
        values: Box<ColumnData>,
    },
    /// Array and Map: row `i` holds elements `ends[i - 1]..ends[i]` of `values`.
    Array {
        ends: Vec<u64>,
        values: Box<ColumnData>,
    },
    Tuple(Vec<ColumnData>),
    /// Row `i` is `dictionary[keys[i]]`; for LowCardinality(Nullable(T)) key 0 means NULL.
    LowCardinality {
        dictionary: Box<ColumnData>,
        keys: Vec<u32>,
    },
}

impl ColumnData {
    /// An empty column of the given type.
    pub fn new(data_type: &DataType) -> ColumnData {
        if let Some(width) = data_type.fixed_width() {
            return ColumnData::Fixed {
                width,
                bytes: Vec::new(),
            };
        }
        match data_type {
            DataType::Nullable(inner) => ColumnData::Nullable {
                nulls: Vec::new(),
                values: Box::new(ColumnData::new(inner)),
            },
            DataType::Array(inner) => ColumnData::Array {
                ends: Vec::new(),
                values: Box::new(ColumnData::new(inner)),
            },
            DataType::Map(key, value) => ColumnData::Array {
                ends: Vec::new(),
                values: Box::new(ColumnData::Tuple(vec![ColumnData::new(key), ColumnData::new(value)])),
            },
            DataType::Tuple(elements) => {
                ColumnData::Tuple(elements.iter().map(|(_, element)| ColumnData::new(element)).collect())
            }
            DataType::LowCardinality(inner) => ColumnData::LowCardinality {
                dictionary: Box::new(ColumnData::new(dictionary_type(inner))),
                keys: Vec::new(),
            },
            DataType::SimpleAggregateFunction { inner, .. } => ColumnData::new(inner),
            _ => ColumnData::Strings {
                ends: Vec::new(),
                bytes: Vec::new(),
            },
        }
    }

    /// Removes every row but keeps the allocations for the next block.
    pub fn clear(&mut self, data_type: &DataType) {
        let data_type = skip_aggregate(data_type);
        match self {
            ColumnData::Fixed { bytes, .. } => bytes.clear(),
            ColumnData::Strings { ends, bytes } => {
                ends.clear();
                bytes.clear();
            }
            ColumnData::Nullable { nulls, values } => {
                nulls.clear();
                values.clear(inner_type(data_type));
            }
            ColumnData::Array { ends, values } => {
                ends.clear();
                values.clear(&element_type(data_type));
            }
            ColumnData::Tuple(elements) => {
                for (element, element_type) in elements.iter_mut().zip(tuple_types(data_type)) {
                    element.clear(element_type);
                }
            }
            ColumnData::LowCardinality { dictionary, keys } => {
                // A nullable dictionary's NULL placeholder comes with the first row (see `push`), so
                // an empty column allocates nothing, whatever width the server's type names.
                keys.clear();
                dictionary.clear(dictionary_type(inner_type(data_type)));
            }
        }
    }

    pub fn len(&self) -> usize {
        match self {
            ColumnData::Fixed { width, bytes } => bytes.len().checked_div(*width).unwrap_or(0),
            ColumnData::Strings { ends, .. } => ends.len(),
            ColumnData::Nullable { nulls, .. } => nulls.len(),
            ColumnData::Array { ends, .. } => ends.len(),
            ColumnData::Tuple(elements) => elements.first().map_or(0, ColumnData::len),
            ColumnData::LowCardinality { keys, .. } => keys.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True if row `row` is NULL, without building the value.
    pub fn is_null(&self, data_type: &DataType, row: usize) -> bool {
        match self {
            ColumnData::Nullable { nulls, .. } => nulls.get(row).is_some_and(|&flag| flag != 0),
            ColumnData::LowCardinality { keys, .. } => {
                inner_type(data_type).is_nullable() && keys.get(row).is_some_and(|&key| key == 0)
            }
            _ => false,
        }
    }

    /// The bytes of a String or FixedString row, without interpreting them.
    #[inline]
    pub fn bytes_at(&self, row: usize) -> &[u8] {
        match self {
            ColumnData::Fixed { width, bytes } => bytes.get(row * width..(row + 1) * width).unwrap_or_default(),
            ColumnData::Strings { ends, bytes } => {
                let start = if row == 0 { 0 } else { ends[row - 1] };
                bytes.get(start..ends[row]).unwrap_or_default()
            }
            _ => &[],
        }
    }

    /// The element range of an Array or Map row.
    fn element_range(ends: &[u64], row: usize) -> std::ops::Range<usize> {
        let start = if row == 0 { 0 } else { ends[row - 1] as usize };
        start..ends[row] as usize
    }

    /// Row `row` as a [`Value`]. `data_type` must be the type this column was made for and `row` < len.
    #[inline]
    pub fn value<'a>(&'a self, data_type: &'a DataType, row: usize) -> Value<'a> {
        let data_type = skip_aggregate(data_type);
        match (self, data_type) {
            (ColumnData::Nullable { nulls, values }, DataType::Nullable(inner)) => {
                if nulls[row] != 0 {
                    Value::Null
                } else {
                    values.value(inner, row)
                }
            }
            (ColumnData::LowCardinality { dictionary, keys }, DataType::LowCardinality(inner)) => {
                let key = keys[row] as usize;
                if key == 0 && inner.is_nullable() {
                    Value::Null
                } else {
                    dictionary.value(dictionary_type(inner), key)
                }
            }
            (ColumnData::Array { ends, values }, DataType::Array(element)) => Value::Array(
                Self::element_range(ends, row)
                    .map(|index| values.value(element, index))
                    .collect(),
            ),
            (ColumnData::Array { ends, values }, DataType::Map(key_type, value_type)) => {
                let ColumnData::Tuple(pair) = &**values else {
                    return Value::Null;
                };
                Value::Map(
                    Self::element_range(ends, row)
                        .map(|index| (pair[0].value(key_type, index), pair[1].value(value_type, index)))
                        .collect(),
                )
            }
            (ColumnData::Tuple(elements), DataType::Tuple(types)) => Value::Tuple(
                elements
                    .iter()
                    .zip(types)
                    .map(|(element, (_, element_type))| element.value(element_type, row))
                    .collect(),
            ),
            (ColumnData::Strings { .. }, _) => Value::Bytes(self.bytes_at(row)),
            (ColumnData::Fixed { .. }, _) => fixed_value(data_type, self.bytes_at(row)),
            _ => Value::Null,
        }
    }
}

/// Interprets the bytes of one fixed-width cell.
#[inline]
fn fixed_value<'a>(data_type: &'a DataType, bytes: &'a [u8]) -> Value<'a> {
    fn array<const N: usize>(bytes: &[u8]) -> [u8; N] {
        bytes.try_into().unwrap_or([0; N])
    }
    match data_type {
        DataType::UInt8 => Value::UInt(u64::from(bytes[0])),
        DataType::UInt16 => Value::UInt(u64::from(u16::from_le_bytes(array(bytes)))),
        DataType::UInt32 => Value::UInt(u64::from(u32::from_le_bytes(array(bytes)))),
        DataType::UInt64 => Value::UInt(u64::from_le_bytes(array(bytes))),
        DataType::UInt128 => Value::UInt128(u128::from_le_bytes(array(bytes))),
        DataType::Int8 => Value::Int(i64::from(bytes[0] as i8)),
        DataType::Int16 => Value::Int(i64::from(i16::from_le_bytes(array(bytes)))),
        DataType::Int32 => Value::Int(i64::from(i32::from_le_bytes(array(bytes)))),
        DataType::Int64 => Value::Int(i64::from_le_bytes(array(bytes))),
        DataType::Int128 => Value::Int128(i128::from_le_bytes(array(bytes))),
        DataType::UInt256 => Value::Int256 {
            bytes: array(bytes),
            signed: false,
        },
        DataType::Int256 => Value::Int256 {
            bytes: array(bytes),
            signed: true,
        },
        DataType::Float32 => Value::Float32(f32::from_le_bytes(array(bytes))),
        DataType::Float64 => Value::Float64(f64::from_le_bytes(array(bytes))),
        DataType::Bool => Value::Bool(bytes[0] != 0),
        DataType::Decimal { scale, .. } => match bytes.len() {
            4 => Value::Decimal {
                unscaled: i128::from(i32::from_le_bytes(array(bytes))),
                scale: *scale,
            },
            8 => Value::Decimal {
                unscaled: i128::from(i64::from_le_bytes(array(bytes))),
                scale: *scale,
            },
            16 => Value::Decimal {
                unscaled: i128::from_le_bytes(array(bytes)),
                scale: *scale,
            },
            _ => Value::Decimal256 {
                bytes: array(bytes),
                scale: *scale,
            },
        },
        DataType::FixedString(_) => Value::Bytes(bytes),
        DataType::Date => Value::Date(i32::from(u16::from_le_bytes(array(bytes)))),
        DataType::Date32 => Value::Date(i32::from_le_bytes(array(bytes))),
        DataType::DateTime { timezone } => Value::DateTime {
            seconds: i64::from(u32::from_le_bytes(array(bytes))),
            timezone: timezone.as_deref(),
        },
        DataType::DateTime64 { precision, timezone } => Value::DateTime64 {
            ticks: i64::from_le_bytes(array(bytes)),
            precision: *precision,
            timezone: timezone.as_deref(),
        },
        DataType::Uuid => {
            // Two little-endian u64 halves, high half first.
            let mut canonical = [0u8; 16];
            canonical[..8].copy_from_slice(&u64::from_le_bytes(array(&bytes[..8])).to_be_bytes());
            canonical[8..].copy_from_slice(&u64::from_le_bytes(array(&bytes[8..])).to_be_bytes());
            Value::Uuid(canonical)
        }
        DataType::Enum8(names) | DataType::Enum16(names) => {
            let value = if bytes.len() == 1 {
                i16::from(bytes[0] as i8)
            } else {
                i16::from_le_bytes(array(bytes))
            };
            let name = names
                .iter()
                .find(|(_, code)| *code == value)
                .map_or("", |(name, _)| name.as_str());
            Value::Enum { value, name }
        }
        DataType::IPv4 => Value::IPv4(Ipv4Addr::from(u32::from_le_bytes(array(bytes)))),
        DataType::IPv6 => Value::IPv6(Ipv6Addr::from(array::<16>(bytes))),
        _ => Value::Null,
    }
}

/// SimpleAggregateFunction(f, T) is T on the wire.
#[inline]
fn skip_aggregate(data_type: &DataType) -> &DataType {
    match data_type {
        DataType::SimpleAggregateFunction { inner, .. } => skip_aggregate(inner),
        other => other,
    }
}

/// The argument of Nullable, LowCardinality or SimpleAggregateFunction.
fn inner_type(data_type: &DataType) -> &DataType {
    match data_type {
        DataType::Nullable(inner) | DataType::LowCardinality(inner) => inner,
        DataType::SimpleAggregateFunction { inner, .. } => inner_type(inner),
        other => other,
    }
}

/// The type stored in a LowCardinality dictionary: the inner type without Nullable.
fn dictionary_type(inner: &DataType) -> &DataType {
    match inner {
        DataType::Nullable(value) => value,
        other => other,
    }
}

/// The element type of an Array, or the (key, value) tuple of a Map.
fn element_type(data_type: &DataType) -> Cow<'_, DataType> {
    match data_type {
        DataType::Array(element) => Cow::Borrowed(element),
        DataType::Map(key, value) => Cow::Owned(DataType::Tuple(vec![
            (None, (**key).clone()),
            (None, (**value).clone()),
        ])),
        other => Cow::Borrowed(other),
    }
}

/// The element types of a Tuple (none for any other type).
fn tuple_types(data_type: &DataType) -> impl Iterator<Item = &DataType> {
    let elements: &[(Option<String>, DataType)] = match data_type {
        DataType::Tuple(elements) => elements,
        _ => &[],
    };
    elements.iter().map(|(_, element)| element)
}

#[cfg(test)]
mod tests;
