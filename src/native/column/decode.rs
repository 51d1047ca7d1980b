//! Reading columns from the Native format.

use std::io::BufRead;

use super::{ColumnData, dictionary_type, element_type, inner_type, skip_aggregate, tuple_types};
use crate::native::error::{Error, Result};
use crate::native::prefault;
use crate::native::types::DataType;
use crate::native::wire::{ReadExt, buffered_varint, checked_length};

/// LowCardinality serialization version "shared dictionaries with additional keys", the only one in use.
pub(super) const LOW_CARDINALITY_VERSION: u64 = 1;
/// Index-type flags of a LowCardinality granule.
pub(super) const NEED_GLOBAL_DICTIONARY: u64 = 1 << 8;
pub(super) const HAS_ADDITIONAL_KEYS: u64 = 1 << 9;
pub(super) const NEED_UPDATE_DICTIONARY: u64 = 1 << 10;

/// The most memory reserved for rows ahead of the bytes that hold them: a row or element count
/// from the wire is only a claim, so buffers reserve at most this much and then grow as rows arrive.
/// It holds a column of 65,536 eight-byte values, the server's usual block, so those buffers are
/// filled without being moved as they grow.
const MAX_RESERVE_AHEAD: usize = 512 * 1024;

/// Reserves room for `count` more items, or for as many as [`MAX_RESERVE_AHEAD`] bytes hold, with
/// its pages made resident at once.
fn reserve_ahead<T>(items: &mut Vec<T>, count: usize) {
    items.reserve(count.min(MAX_RESERVE_AHEAD / size_of::<T>()));
    prefault::spare_capacity(items);
}

/// Reads the state prefixes that nested LowCardinality columns write before any data.
pub fn read_prefix<R: BufRead + ?Sized>(data_type: &DataType, reader: &mut R) -> Result<()> {
    match skip_aggregate(data_type) {
        DataType::Nullable(inner) | DataType::Array(inner) => read_prefix(inner, reader),
        DataType::Map(key, value) => {
            read_prefix(key, reader)?;
            read_prefix(value, reader)
        }
        DataType::Tuple(elements) => elements
            .iter()
            .try_for_each(|(_, element)| read_prefix(element, reader)),
        DataType::LowCardinality(_) => match reader.read_u64_le()? {
            LOW_CARDINALITY_VERSION => Ok(()),
            version => Err(Error::protocol(format!(
                "unknown LowCardinality serialization version {version}"
            ))),
        },
        _ => Ok(()),
    }
}

/// Appends up to `limit` length-prefixed strings that lie whole in `buffered`, the reader's buffered
/// bytes, without a call on the reader per string; returns how many it appended and the bytes they
/// took. It stops at the first string that reaches past `buffered`.
fn read_buffered_strings(
    buffered: &[u8],
    limit: usize,
    ends: &mut Vec<usize>,
    bytes: &mut Vec<u8>,
) -> Result<(usize, usize)> {
    let mut position = 0;
    let mut decoded = 0;
    while decoded < limit {
        // Most strings are shorter than 128 bytes: a one-byte length, read here without the call.
        let (length, taken) = match buffered.get(position) {
            Some(&byte) if byte < 0x80 => (u64::from(byte), 1),
            _ => match buffered_varint(&buffered[position..]) {
                Some(varint) => varint?,
                None => break,
            },
        };
        let start = position + taken;
        let Some(value) = buffered.get(start..start + checked_length(length)?) else {
            break;
        };
        bytes.extend_from_slice(value);
        ends.push(bytes.len());
        position = start + value.len();
        decoded += 1;
    }
    Ok((decoded, position))
}

impl ColumnData {
    /// Appends `rows` rows of `data_type` read from the Native format.
    pub fn read_rows<R: BufRead + ?Sized>(&mut self, data_type: &DataType, reader: &mut R, rows: usize) -> Result<()> {
        let data_type = skip_aggregate(data_type);
        match self {
            ColumnData::Fixed { width, bytes } => {
                let count = rows
                    .checked_mul(*width)
                    .ok_or_else(|| Error::protocol("column size overflows"))?;
                reserve_ahead(bytes, count);
                reader.read_exact_into(bytes, count)
            }
            ColumnData::Strings { ends, bytes } => {
                reserve_ahead(ends, rows);
                let mut left = rows;
                while left > 0 {
                    let buffered = reader.fill_buf()?;
                    let (decoded, used) = read_buffered_strings(buffered, left, ends, bytes)?;
                    reader.consume(used);
                    left -= decoded;
                    if decoded == 0 {
                        // A string reaching past the buffered bytes (or the end of the input).
                        reader.read_string_into(bytes)?;
                        ends.push(bytes.len());
                        left -= 1;
                    }
                }
                Ok(())
            }
            ColumnData::Nullable { nulls, values } => {
                reader.read_exact_into(nulls, rows)?;
                values.read_rows(inner_type(data_type), reader, rows)
            }
            ColumnData::Array { ends, values } => {
                let base = ends.last().copied().unwrap_or(0);
                let mut previous = 0;
                reserve_ahead(ends, rows);
                for _ in 0..rows {
                    let end = reader.read_u64_le()?;
                    if end < previous {
                        return Err(Error::protocol("array offsets go backwards"));
                    }
                    previous = end;
                    ends.push(
                        base.checked_add(end)
                            .ok_or_else(|| Error::protocol("array offsets overflow"))?,
                    );
                }
                values.read_rows(
                    &element_type(data_type),
                    reader,
                    usize::try_from(previous).map_err(|_| Error::protocol("array too large"))?,
                )
            }
            ColumnData::Tuple(elements) => {
                for (element, element_type) in elements.iter_mut().zip(tuple_types(data_type)) {
                    element.read_rows(element_type, reader, rows)?;
                }
                Ok(())
            }
            ColumnData::LowCardinality { dictionary, keys } => {
                read_low_cardinality(inner_type(data_type), dictionary, keys, reader, rows)
            }
        }
    }
}

/// Reads LowCardinality granules until `rows` indexes have arrived. Each granule brings its own keys;
/// they are appended to one dictionary and the granule's indexes shifted to match.
fn read_low_cardinality<R: BufRead + ?Sized>(
    inner: &DataType,
    dictionary: &mut ColumnData,
    keys: &mut Vec<u32>,
    reader: &mut R,
    rows: usize,
) -> Result<()> {
    let nullable = inner.is_nullable();
    let target = keys.len() + rows;
    while keys.len() < target {
        let flags = reader.read_u64_le()?;
        if flags & NEED_GLOBAL_DICTIONARY != 0 {
            return Err(Error::protocol(
                "LowCardinality with a global dictionary is not supported",
            ));
        }
        if flags & HAS_ADDITIONAL_KEYS == 0 {
            return Err(Error::protocol("LowCardinality granule without keys"));
        }
        let key_count = reader.read_u64_le()?;
        let key_count =
            usize::try_from(key_count).map_err(|_| Error::protocol("LowCardinality dictionary too large"))?;
        let base = dictionary.len();
        dictionary.read_rows(dictionary_type(inner), reader, key_count)?;
        let granule_rows = reader.read_u64_le()?;
        let granule_rows = usize::try_from(granule_rows)
            .ok()
            .filter(|&count| count <= target - keys.len())
            .ok_or_else(|| Error::protocol("LowCardinality granule has more rows than the block"))?;
        let width = match flags & 0xff {
            0 => 1,
            1 => 2,
            2 => 4,
            3 => 8,
            other => return Err(Error::protocol(format!("unknown LowCardinality index type {other}"))),
        };
        reserve_ahead(keys, granule_rows);
        for _ in 0..granule_rows {
            let mut raw = [0u8; 8];
            reader.read_exact(&mut raw[..width])?;
            let index = u64::from_le_bytes(raw);
            if index >= key_count as u64 {
                return Err(Error::protocol("LowCardinality index outside its dictionary"));
            }
            // NULL (index 0 of a nullable granule) points at the first granule's placeholder, key 0.
            let key = if nullable && index == 0 { 0 } else { base as u64 + index };
            keys.push(u32::try_from(key).map_err(|_| Error::protocol("LowCardinality dictionary too large"))?);
        }
    }
    Ok(())
}
