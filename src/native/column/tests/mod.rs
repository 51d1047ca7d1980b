//! Unit tests of the column codecs, without a server: known wire bytes, round trips of every type,
//! truncated and corrupt input, and the conversions `push` performs; the helpers they share.

mod malformed;
mod push;
mod round_trips;
mod wire_bytes;

use std::net::{Ipv4Addr, Ipv6Addr};

use super::{ColumnData, Value, read_prefix, write_prefix};
use crate::native::block::{Block, Column};
use crate::native::error::Result;
use crate::native::revision::{BLOCK_INFO, CUSTOM_SERIALIZATION};
use crate::native::types::DataType;
use crate::native::wire::WriteExt;

/// The client's own revision (BlockInfo and the custom-serialization flag), one with BlockInfo only, and
/// the oldest (neither).
const REVISIONS: [u64; 3] = [54460, 54412, 0];

fn parse(type_name: &str) -> DataType {
    DataType::parse(type_name).unwrap_or_else(|error| panic!("{type_name}: {error}"))
}

/// Bytes written as hex pairs, e.g. `"01 02 ff"`.
fn hex(text: &str) -> Vec<u8> {
    text.split_whitespace()
        .map(|pair| u8::from_str_radix(pair, 16).unwrap_or_else(|_| panic!("bad hex `{pair}`")))
        .collect()
}

/// Builds wire bytes piece by piece.
#[derive(Default)]
struct Wire(Vec<u8>);

impl Wire {
    fn u64(mut self, value: u64) -> Wire {
        self.0.extend_from_slice(&value.to_le_bytes());
        self
    }
    fn varint(mut self, value: u64) -> Wire {
        self.0.write_varint(value);
        self
    }
    fn string(mut self, text: &str) -> Wire {
        self.0.write_str(text);
        self
    }
    fn hex(mut self, text: &str) -> Wire {
        self.0.extend(hex(text));
        self
    }
}

/// A 256-bit two's complement integer from decimal text, little endian (independent of the code under test).
fn wide(text: &str) -> [u8; 32] {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, text),
    };
    let mut bytes = [0u8; 32];
    for digit in digits.bytes() {
        let mut carry = u32::from(digit - b'0');
        for byte in bytes.iter_mut() {
            let product = u32::from(*byte) * 10 + carry;
            *byte = product as u8;
            carry = product >> 8;
        }
        assert_eq!(carry, 0, "{text} does not fit 256 bits");
    }
    if negative {
        let mut carry = 1u16;
        for byte in bytes.iter_mut() {
            let sum = u16::from(!*byte) + carry;
            *byte = sum as u8;
            carry = sum >> 8;
        }
    }
    bytes
}

fn decimal(unscaled: i128, scale: u8) -> Value<'static> {
    Value::Decimal { unscaled, scale }
}

fn int256(digits: &str, signed: bool) -> Value<'static> {
    Value::Int256 {
        bytes: wide(digits),
        signed,
    }
}

fn decimal256(digits: &str, scale: u8) -> Value<'static> {
    Value::Decimal256 {
        bytes: wide(digits),
        scale,
    }
}

fn datetime(seconds: i64, timezone: Option<&'static str>) -> Value<'static> {
    Value::DateTime { seconds, timezone }
}

/// A DateTime64(3) value.
fn datetime64(ticks: i64, timezone: Option<&'static str>) -> Value<'static> {
    Value::DateTime64 {
        ticks,
        precision: 3,
        timezone,
    }
}

fn enumerated(value: i16, name: &'static str) -> Value<'static> {
    Value::Enum { value, name }
}

fn text(value: &'static str) -> Value<'static> {
    Value::Bytes(value.as_bytes())
}

fn owned(value: &str) -> Value<'static> {
    Value::Text(value.to_string())
}

/// A column of `data_type` holding `values`, pushed one by one.
fn column_of(data_type: &DataType, values: &[Value<'_>]) -> ColumnData {
    let mut column = ColumnData::new(data_type);
    for (row, value) in values.iter().enumerate() {
        if let Err(error) = column.push(data_type, value) {
            panic!("{data_type}: pushing {value:?} failed: {error}");
        }
        assert_eq!(column.len(), row + 1, "{data_type}");
    }
    column
}

fn values_of<'a>(data_type: &'a DataType, column: &'a ColumnData) -> Vec<Value<'a>> {
    (0..column.len()).map(|row| column.value(data_type, row)).collect()
}

/// The column in the Native format: its prefix, then its rows.
fn encode(data_type: &DataType, column: &ColumnData) -> Vec<u8> {
    let mut out = Vec::new();
    write_prefix(data_type, &mut out);
    column.write_rows(data_type, &mut out);
    out
}

/// Reads a prefix and `rows` rows from `reader` into `column`.
fn read_into(data_type: &DataType, column: &mut ColumnData, reader: &mut &[u8], rows: usize) -> Result<()> {
    read_prefix(data_type, reader)?;
    column.read_rows(data_type, reader, rows)
}

/// Decodes `bytes` into a fresh column, which must use every byte.
fn decode(data_type: &DataType, bytes: &[u8], rows: usize) -> ColumnData {
    let mut reader = bytes;
    let mut column = ColumnData::new(data_type);
    if let Err(error) = read_into(data_type, &mut column, &mut reader, rows) {
        panic!("{data_type}: decoding {bytes:02x?} failed: {error}");
    }
    assert!(reader.is_empty(), "{data_type}: {} bytes left over", reader.len());
    assert_eq!(column.len(), rows, "{data_type}");
    column
}

/// Heap bytes a column holds, to show corrupt counts did not make it reserve much.
fn heap_bytes(column: &ColumnData) -> usize {
    match column {
        ColumnData::Fixed { bytes, .. } => bytes.capacity(),
        ColumnData::Strings { ends, bytes } => ends.capacity() * size_of::<usize>() + bytes.capacity(),
        ColumnData::Nullable { nulls, values } => nulls.capacity() + heap_bytes(values),
        ColumnData::Array { ends, values } => ends.capacity() * size_of::<u64>() + heap_bytes(values),
        ColumnData::Tuple(elements) => elements.iter().map(heap_bytes).sum(),
        ColumnData::LowCardinality { dictionary, keys } => keys.capacity() * size_of::<u32>() + heap_bytes(dictionary),
    }
}

/// Every proper prefix of `bytes` (a column of `rows` rows) must fail to decode, without panicking.
fn assert_every_cut_fails(data_type: &DataType, bytes: &[u8], rows: usize) {
    for cut in 0..bytes.len() {
        let mut column = ColumnData::new(data_type);
        let result = read_into(data_type, &mut column, &mut &bytes[..cut], rows);
        assert!(result.is_err(), "{data_type}: {cut} of {} bytes decoded", bytes.len());
    }
}
