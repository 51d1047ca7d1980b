//! ClickHouse types as Arrow types, and columns as Arrow arrays.
//!
//! | ClickHouse | Arrow | data |
//! |---|---|---|
//! | (U)Int8–64, Float32/64, Date32, FixedString(n) | same width (`FixedString` as fixed_size_binary(n)) | moved, not copied |
//! | Bool | boolean | packed to bits |
//! | Decimal(p, s) | decimal128(p, s) for p ≤ 38, else decimal256(p, s) | moved when the widths agree, else widened |
//! | Int128, UInt128 | decimal256(39, 0) (Arrow has no 128-bit integer) | widened |
//! | Int256, UInt256, Enum8/16, IPv4, IPv6 | utf8, as the server prints them (no exact Arrow type) | printed |
//! | String | utf8 (binary when asked: ClickHouse strings are bytes) | bytes moved, offsets rewritten |
//! | Date | date32 | widened |
//! | DateTime(zone) | timestamp[s, zone] (UTC when the column names none) | widened |
//! | DateTime64(p, zone) | timestamp[s/ms/us/ns, zone]; other precisions scaled to the next unit | moved for p = 0, 3, 6, 9 |
//! | UUID | fixed_size_binary(16), bytes in RFC 4122 order | reordered |
//! | Nothing | null | |
//! | Nullable(T) | T, nullable, with a validity bitmap | |
//! | Array(T), Map(K, V), Tuple(...) | list, map, struct | offsets rewritten |
//! | LowCardinality(T) | dictionary with int32 indices over T | keys rewritten |

use super::abi::ARROW_FLAG_NULLABLE;
use super::export::{ArrayNode, Buffer, SchemaNode};
use crate::native::{Block, ColumnData, DataType, Error, Result};

/// How String columns are handed over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StringsAs {
    #[default]
    Utf8,
    Binary,
}

/// The schema of a block: a struct with one field per column.
pub fn block_schema(block: &Block, strings: StringsAs) -> SchemaNode {
    let mut schema = SchemaNode::new("+s", "");
    schema.children = block
        .columns
        .iter()
        .map(|column| field(&column.data_type, &column.name, strings))
        .collect();
    schema
}

/// A block's rows as a struct array, moving the column data out of the block.
pub fn block_array(block: &mut Block) -> Result<ArrayNode> {
    let length = block.rows();
    let children = std::mem::take(&mut block.columns)
        .into_iter()
        .map(|column| array(&column.data_type, column.data))
        .collect::<Result<Vec<_>>>()?;
    Ok(ArrayNode {
        length,
        null_count: 0,
        buffers: vec![Buffer::Absent],
        children,
        dictionary: None,
    })
}

/// The Arrow field of a column of `data_type` named `name`.
pub fn field(data_type: &DataType, name: &str, strings: StringsAs) -> SchemaNode {
    let mut node = match data_type {
        DataType::SimpleAggregateFunction { inner, .. } => return field(inner, name, strings),
        DataType::Nullable(inner) => {
            let mut node = field(inner, name, strings);
            node.flags |= ARROW_FLAG_NULLABLE;
            return node;
        }
        DataType::LowCardinality(inner) => {
            let (value_type, nullable) = match inner.as_ref() {
                DataType::Nullable(value_type) => (value_type.as_ref(), true),
                value_type => (value_type, false),
            };
            let mut node = SchemaNode::new("i", name);
            node.dictionary = Some(Box::new(field(value_type, "", strings)));
            if nullable {
                node.flags |= ARROW_FLAG_NULLABLE;
            }
            return node;
        }
        DataType::Array(element) => {
            let mut node = SchemaNode::new("+l", name);
            node.children.push(field(element, "item", strings));
            node
        }
        DataType::Map(key, value) => {
            let mut entries = SchemaNode::new("+s", "entries");
            entries.children = vec![field(key, "key", strings), field(value, "value", strings)];
            let mut node = SchemaNode::new("+m", name);
            node.children.push(entries);
            node
        }
        DataType::Tuple(elements) => {
            let mut node = SchemaNode::new("+s", name);
            node.children = elements
                .iter()
                .enumerate()
                .map(|(index, (element_name, element))| {
                    let element_name = element_name.clone().unwrap_or_else(|| (index + 1).to_string());
                    field(element, &element_name, strings)
                })
                .collect();
            node
        }
        other => SchemaNode::new(format_of(other, strings), name),
    };
    if matches!(data_type, DataType::Nothing) {
        node.flags |= ARROW_FLAG_NULLABLE;
    }
    node
}

/// The format string of a type without children.
fn format_of(data_type: &DataType, strings: StringsAs) -> String {
    let format = match data_type {
        DataType::UInt8 => "C",
        DataType::UInt16 => "S",
        DataType::UInt32 => "I",
        DataType::UInt64 => "L",
        DataType::Int8 => "c",
        DataType::Int16 => "s",
        DataType::Int32 => "i",
        DataType::Int64 => "l",
        DataType::Float32 => "f",
        DataType::Float64 => "g",
        DataType::Bool => "b",
        DataType::Int128 | DataType::UInt128 => "d:39,0,256",
        DataType::Decimal { precision, scale } if *precision <= 38 => return format!("d:{precision},{scale}"),
        DataType::Decimal { precision, scale } => return format!("d:{precision},{scale},256"),
        DataType::String if strings == StringsAs::Binary => "z",
        DataType::FixedString(width) => return format!("w:{width}"),
        DataType::Uuid => "w:16",
        DataType::Date | DataType::Date32 => "tdD",
        DataType::DateTime { timezone } => return format!("tss:{}", zone(timezone)),
        DataType::DateTime64 { precision, timezone } => {
            return format!("ts{}:{}", time_unit(*precision).0, zone(timezone));
        }
        DataType::Nothing => "n",
        // Printed: String, and types without an exact Arrow counterpart.
        _ => "u",
    };
    format.to_string()
}

/// A DateTime without a zone of its own is shown in the server's, which the block has already
/// attached; none at all means UTC.
fn zone(timezone: &Option<String>) -> &str {
    timezone.as_deref().unwrap_or("UTC")
}

/// The Arrow unit for DateTime64(`precision`) and what its ticks are multiplied by to reach it.
fn time_unit(precision: u8) -> (char, i64) {
    match precision {
        0 => ('s', 1),
        1..=3 => ('m', 10i64.pow(3 - u32::from(precision))),
        4..=6 => ('u', 10i64.pow(6 - u32::from(precision))),
        _ => ('n', 10i64.pow(9u32.saturating_sub(u32::from(precision)))),
    }
}

/// The Arrow array of a column of `data_type` holding `data` (utf8 and binary share a layout).
pub fn array(data_type: &DataType, data: ColumnData) -> Result<ArrayNode> {
    let length = data.len();
    match (data_type, data) {
        (DataType::SimpleAggregateFunction { inner, .. }, data) => array(inner, data),
        (DataType::Nothing, _) => Ok(ArrayNode {
            length,
            null_count: length,
            buffers: Vec::new(),
            children: Vec::new(),
            dictionary: None,
        }),
        (DataType::Nullable(inner), ColumnData::Nullable { nulls, values }) => {
            let mut node = array(inner, *values)?;
            if !node.buffers.is_empty() {
                let (validity, null_count) = pack_bytes(&nulls, Bit::SetWhereZero);
                node.buffers[0] = validity;
                node.null_count = null_count;
            }
            Ok(node)
        }
        (DataType::LowCardinality(inner), ColumnData::LowCardinality { dictionary, keys }) => {
            let (value_type, nullable) = match inner.as_ref() {
                DataType::Nullable(value_type) => (value_type.as_ref(), true),
                value_type => (value_type, false),
            };
            let (validity, null_count) = if nullable {
                bitmap(&keys, |&key| key != 0)
            } else {
                (Buffer::Absent, 0)
            };
            let indices = keys
                .iter()
                .map(|&key| i32::try_from(key).map_err(|_| too_large("a LowCardinality dictionary")))
                .collect::<Result<Vec<i32>>>()?;
            Ok(ArrayNode {
                length,
                null_count,
                buffers: vec![validity, Buffer::I32(indices)],
                children: Vec::new(),
                dictionary: Some(Box::new(array(value_type, *dictionary)?)),
            })
        }
        (DataType::Array(element), ColumnData::Array { ends, values }) => Ok(ArrayNode {
            length,
            null_count: 0,
            buffers: vec![
                Buffer::Absent,
                Buffer::I32(offsets(ends.iter().copied(), "an Array column")?),
            ],
            children: vec![array(element, *values)?],
            dictionary: None,
        }),
        (DataType::Map(key, value), ColumnData::Array { ends, values }) => {
            let ColumnData::Tuple(mut pair) = *values else {
                return Err(mismatch(data_type));
            };
            let (Some(value_data), Some(key_data)) = (pair.pop(), pair.pop()) else {
                return Err(mismatch(data_type));
            };
            let entries = ArrayNode {
                length: key_data.len(),
                null_count: 0,
                buffers: vec![Buffer::Absent],
                children: vec![array(key, key_data)?, array(value, value_data)?],
                dictionary: None,
            };
            Ok(ArrayNode {
                length,
                null_count: 0,
                buffers: vec![
                    Buffer::Absent,
                    Buffer::I32(offsets(ends.iter().copied(), "a Map column")?),
                ],
                children: vec![entries],
                dictionary: None,
            })
        }
        (DataType::Tuple(types), ColumnData::Tuple(elements)) => Ok(ArrayNode {
            length: elements.first().map_or(0, ColumnData::len),
            null_count: 0,
            buffers: vec![Buffer::Absent],
            children: types
                .iter()
                .zip(elements)
                .map(|((_, element_type), element)| array(element_type, element))
                .collect::<Result<_>>()?,
            dictionary: None,
        }),
        (DataType::String, ColumnData::Strings { ends, bytes }) => {
            let offsets = offsets(ends.iter().map(|&end| end as u64), "a String column")?;
            Ok(primitive(length, vec![Buffer::I32(offsets), Buffer::Bytes(bytes)]))
        }
        (data_type, ColumnData::Fixed { bytes, .. }) => fixed(data_type, length, bytes),
        (data_type, data) => printed(data_type, &data),
    }
}

/// An array without children: a validity buffer (none yet) and `buffers`.
fn primitive(length: usize, buffers: Vec<Buffer>) -> ArrayNode {
    let mut all = vec![Buffer::Absent];
    all.extend(buffers);
    ArrayNode {
        length,
        null_count: 0,
        buffers: all,
        children: Vec::new(),
        dictionary: None,
    }
}

/// Fixed-width columns: moved where Arrow's layout is ClickHouse's, converted otherwise.
fn fixed(data_type: &DataType, length: usize, bytes: Vec<u8>) -> Result<ArrayNode> {
    let values = match data_type {
        DataType::Bool => pack_bytes(&bytes, Bit::SetWhereNonZero).0,
        DataType::Int128 => Buffer::Bytes(widen::<16, 32>(&bytes, true)),
        DataType::UInt128 => Buffer::Bytes(widen::<16, 32>(&bytes, false)),
        DataType::Decimal { precision, .. } => {
            let target = if *precision <= 38 { 16 } else { 32 };
            let width = bytes.len().checked_div(length).unwrap_or(target);
            Buffer::Bytes(match (width, target) {
                _ if width == target => bytes,
                (4, 16) => widen::<4, 16>(&bytes, true),
                (8, 16) => widen::<8, 16>(&bytes, true),
                (4, 32) => widen::<4, 32>(&bytes, true),
                (8, 32) => widen::<8, 32>(&bytes, true),
                (16, 32) => widen::<16, 32>(&bytes, true),
                _ => return Err(mismatch(data_type)),
            })
        }
        DataType::Date => Buffer::Bytes(widen::<2, 4>(&bytes, false)),
        DataType::DateTime { .. } => Buffer::Bytes(widen::<4, 8>(&bytes, false)),
        DataType::DateTime64 { precision, .. } => match time_unit(*precision).1 {
            1 => Buffer::Bytes(bytes),
            factor => Buffer::I64(
                bytes
                    .chunks_exact(8)
                    .map(|chunk| {
                        let ticks = i64::from_le_bytes(chunk.try_into().unwrap_or_default());
                        ticks
                            .checked_mul(factor)
                            .ok_or_else(|| Error::Type(format!("a {data_type} value beyond Arrow's timestamp range")))
                    })
                    .collect::<Result<_>>()?,
            ),
        },
        DataType::Uuid => Buffer::Bytes(
            bytes
                .chunks_exact(8)
                .flat_map(|half| half.iter().rev().copied())
                .collect(),
        ),
        DataType::Int256
        | DataType::UInt256
        | DataType::Enum8(_)
        | DataType::Enum16(_)
        | DataType::IPv4
        | DataType::IPv6 => {
            return printed(
                data_type,
                &ColumnData::Fixed {
                    width: bytes.len().checked_div(length).unwrap_or(1),
                    bytes,
                },
            );
        }
        _ => Buffer::Bytes(bytes),
    };
    Ok(primitive(length, vec![values]))
}

/// Types Arrow has no exact counterpart for, as utf8 text the way the server prints them.
fn printed(data_type: &DataType, data: &ColumnData) -> Result<ArrayNode> {
    let length = data.len();
    let mut bytes = Vec::new();
    let mut offsets = Vec::with_capacity(length + 1);
    offsets.push(0i32);
    for row in 0..length {
        use std::io::Write;
        write!(bytes, "{}", data.value(data_type, row)).map_err(|error| Error::Type(error.to_string()))?;
        offsets.push(i32::try_from(bytes.len()).map_err(|_| too_large("a printed column"))?);
    }
    Ok(primitive(length, vec![Buffer::I32(offsets), Buffer::Bytes(bytes)]))
}

/// Arrow's 32-bit offsets from ClickHouse's end offsets: a leading 0, then each end. The range is
/// checked once, on the largest end, so that the copy has no branch.
fn offsets(ends: impl ExactSizeIterator<Item = u64> + Clone, what: &str) -> Result<Vec<i32>> {
    if i32::try_from(ends.clone().max().unwrap_or(0)).is_err() {
        return Err(too_large(what));
    }
    let mut offsets = Vec::with_capacity(ends.len() + 1);
    offsets.push(0);
    offsets.extend(ends.map(|end| end as i32));
    Ok(offsets)
}

/// Which bytes [`pack_bytes`] marks.
#[derive(Clone, Copy)]
enum Bit {
    SetWhereNonZero,
    SetWhereZero,
}

/// A bitmap with a bit per byte of `bytes` (a null map or Bool values), and the count of unset
/// bits. Eight bytes at a time: each byte becomes 0x01 where it is non-zero, and one multiplication
/// gathers the eight flags into a byte, first byte lowest.
fn pack_bytes(bytes: &[u8], bit: Bit) -> (Buffer, usize) {
    const LOW_SEVEN: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const GATHER: u64 = 0x0102_0408_1020_4080;
    let pack = |eight: [u8; 8]| {
        let word = u64::from_le_bytes(eight);
        let non_zero = ((((word & LOW_SEVEN) + LOW_SEVEN) | word) & !LOW_SEVEN) >> 7;
        let packed = (non_zero.wrapping_mul(GATHER) >> 56) as u8;
        match bit {
            Bit::SetWhereNonZero => packed,
            Bit::SetWhereZero => !packed,
        }
    };
    let chunks = bytes.chunks_exact(8);
    let rest = chunks.remainder();
    let mut packed: Vec<u8> = chunks.map(|eight| pack(eight.try_into().unwrap_or_default())).collect();
    if !rest.is_empty() {
        let mut eight = [0; 8];
        eight[..rest.len()].copy_from_slice(rest);
        // Bits past the last value stay unset.
        packed.push(pack(eight) & ((1u8 << rest.len()) - 1));
    }
    let set: usize = packed.iter().map(|byte| byte.count_ones() as usize).sum();
    (Buffer::Bytes(packed), bytes.len() - set)
}

/// A bitmap with bit `i` set where `is_set(&values[i])`, and the count of unset bits. Eight values
/// make one byte, so the loop carries no per-bit indexing.
fn bitmap<T>(values: &[T], is_set: impl Fn(&T) -> bool) -> (Buffer, usize) {
    let bytes: Vec<u8> = values
        .chunks(8)
        .map(|eight| {
            eight
                .iter()
                .enumerate()
                .fold(0u8, |byte, (bit, value)| byte | (u8::from(is_set(value)) << bit))
        })
        .collect();
    let set: usize = bytes.iter().map(|byte| byte.count_ones() as usize).sum();
    (Buffer::Bytes(bytes), values.len() - set)
}

/// Little-endian integers of `FROM` bytes widened to `TO` bytes, sign- or zero-extended; the sizes
/// are constants so that each value's copy compiles to a move, not a call.
fn widen<const FROM: usize, const TO: usize>(bytes: &[u8], signed: bool) -> Vec<u8> {
    let mut wide = vec![0u8; bytes.len() / FROM * TO];
    for (narrow, value) in bytes.chunks_exact(FROM).zip(wide.chunks_exact_mut(TO)) {
        value[..FROM].copy_from_slice(narrow);
        if signed && narrow[FROM - 1] & 0x80 != 0 {
            value[FROM..].fill(0xFF);
        }
    }
    wide
}

fn too_large(what: &str) -> Error {
    Error::Type(format!(
        "{what} holds more than 2 GiB in one block, beyond Arrow's 32-bit offsets"
    ))
}

fn mismatch(data_type: &DataType) -> Error {
    Error::Type(format!("column data does not match its type {data_type}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn format(type_name: &str) -> String {
        let node = field(&DataType::parse(type_name).unwrap(), "c", StringsAs::Utf8);
        let mut text = node.format.clone();
        if let Some(dictionary) = &node.dictionary {
            text += &format!(" dict {}", dictionary.format);
        }
        for child in &node.children {
            text += &format!(" [{} {}]", child.name, child.format);
            for grandchild in &child.children {
                text += &format!(" [{} {}]", grandchild.name, grandchild.format);
            }
        }
        if node.flags & ARROW_FLAG_NULLABLE != 0 {
            text += " nullable";
        }
        text
    }

    #[test]
    fn every_type_has_a_format() {
        let cases = [
            ("UInt64", "L"),
            ("Int8", "c"),
            ("Bool", "b"),
            ("Int128", "d:39,0,256"),
            ("UInt256", "u"),
            ("Decimal(9, 2)", "d:9,2"),
            ("Decimal(76, 10)", "d:76,10,256"),
            ("FixedString(3)", "w:3"),
            ("UUID", "w:16"),
            ("Date", "tdD"),
            ("DateTime", "tss:UTC"),
            ("DateTime('Asia/Tokyo')", "tss:Asia/Tokyo"),
            ("DateTime64(3)", "tsm:UTC"),
            ("DateTime64(5, 'UTC')", "tsu:UTC"),
            ("DateTime64(9)", "tsn:UTC"),
            ("Enum8('a' = 1)", "u"),
            ("IPv6", "u"),
            ("Nothing", "n nullable"),
            ("Nullable(String)", "u nullable"),
            ("Array(Nullable(Int32))", "+l [item i]"),
            ("Map(String, UInt8)", "+m [entries +s] [key u] [value C]"),
            ("Tuple(a Int8, String)", "+s [a c] [2 u]"),
            ("LowCardinality(Nullable(String))", "i dict u nullable"),
            ("SimpleAggregateFunction(sum, UInt64)", "L"),
        ];
        for (type_name, expected) in cases {
            assert_eq!(format(type_name), expected, "{type_name}");
        }
        let binary = field(&DataType::String, "s", StringsAs::Binary);
        assert_eq!(binary.format, "z");
    }

    #[test]
    fn conversions_widen_pack_and_reorder() {
        assert_eq!(widen::<2, 4>(&[0xFE, 0xFF], true), [0xFE, 0xFF, 0xFF, 0xFF]);
        assert_eq!(widen::<2, 4>(&[0xFE, 0xFF], false), [0xFE, 0xFF, 0, 0]);
        let (bits, unset) = bitmap(&[true, false, true, true, false, false, false, false, true], |&bit| bit);
        assert!(matches!(bits, Buffer::Bytes(ref bytes) if bytes == &[0b0000_1101, 1]));
        assert_eq!(unset, 5);
        // Every length up to 20 and bytes with any bit set, against the one-bit-at-a-time bitmap.
        let bytes: Vec<u8> = (0..20u8)
            .map(|i| [0, 1, 0x80, 0xFF, 0x7F, 0][usize::from(i % 6)])
            .collect();
        for length in 0..=bytes.len() {
            let values = &bytes[..length];
            let (zero, zero_unset) = pack_bytes(values, Bit::SetWhereZero);
            let (non_zero, non_zero_unset) = pack_bytes(values, Bit::SetWhereNonZero);
            let (Buffer::Bytes(zero), Buffer::Bytes(expected_zero)) = (zero, bitmap(values, |&b| b == 0).0) else {
                panic!("bitmaps are bytes");
            };
            let (Buffer::Bytes(non_zero), Buffer::Bytes(expected_non_zero)) = (non_zero, bitmap(values, |&b| b != 0).0)
            else {
                panic!("bitmaps are bytes");
            };
            assert_eq!((zero, non_zero), (expected_zero, expected_non_zero), "{length}");
            assert_eq!(zero_unset + non_zero_unset, length);
            assert_eq!(zero_unset, values.iter().filter(|&&b| b != 0).count());
        }
        assert_eq!(offsets([3u64, 5].into_iter(), "x").unwrap(), [0, 3, 5]);
        assert!(
            offsets([1u64 << 31].into_iter(), "x")
                .unwrap_err()
                .to_string()
                .contains("2 GiB")
        );
        assert_eq!(time_unit(2), ('m', 10));
        assert_eq!(time_unit(7), ('n', 100));
    }
}
