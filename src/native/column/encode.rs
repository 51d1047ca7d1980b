//! Writing columns in the Native format, the mirror of `decode.rs`.

use super::decode::{HAS_ADDITIONAL_KEYS, LOW_CARDINALITY_VERSION, NEED_UPDATE_DICTIONARY};
use super::{ColumnData, dictionary_type, element_type, inner_type, skip_aggregate, tuple_types};
use crate::native::types::DataType;
use crate::native::wire::WriteExt;

/// Writes the state prefixes of nested LowCardinality columns.
pub fn write_prefix(data_type: &DataType, out: &mut Vec<u8>) {
    match skip_aggregate(data_type) {
        DataType::Nullable(inner) | DataType::Array(inner) => write_prefix(inner, out),
        DataType::Map(key, value) => {
            write_prefix(key, out);
            write_prefix(value, out);
        }
        DataType::Tuple(elements) => elements.iter().for_each(|(_, element)| write_prefix(element, out)),
        DataType::LowCardinality(_) => out.extend_from_slice(&LOW_CARDINALITY_VERSION.to_le_bytes()),
        _ => {}
    }
}

impl ColumnData {
    /// Writes every row of this column in the Native format.
    pub fn write_rows(&self, data_type: &DataType, out: &mut Vec<u8>) {
        let data_type = skip_aggregate(data_type);
        match self {
            ColumnData::Fixed { bytes, .. } => out.extend_from_slice(bytes),
            ColumnData::Strings { ends, bytes } => {
                let mut start = 0;
                for &end in ends {
                    out.write_bytes(&bytes[start..end]);
                    start = end;
                }
            }
            ColumnData::Nullable { nulls, values } => {
                out.extend_from_slice(nulls);
                values.write_rows(inner_type(data_type), out);
            }
            ColumnData::Array { ends, values } => {
                for end in ends {
                    out.extend_from_slice(&end.to_le_bytes());
                }
                values.write_rows(&element_type(data_type), out);
            }
            ColumnData::Tuple(elements) => {
                for (element, element_type) in elements.iter().zip(tuple_types(data_type)) {
                    element.write_rows(element_type, out);
                }
            }
            // No rows (inside an empty array): no granule at all, as the server writes it.
            ColumnData::LowCardinality { keys, .. } if keys.is_empty() => {}
            ColumnData::LowCardinality { dictionary, keys } => {
                // One granule holding the whole dictionary as additional keys, as clients do.
                let (index_type, width) = match dictionary.len() {
                    0..=0xff => (0u64, 1),
                    0x100..=0xffff => (1, 2),
                    _ => (2, 4),
                };
                let flags = HAS_ADDITIONAL_KEYS | NEED_UPDATE_DICTIONARY | index_type;
                out.extend_from_slice(&flags.to_le_bytes());
                out.extend_from_slice(&(dictionary.len() as u64).to_le_bytes());
                dictionary.write_rows(dictionary_type(inner_type(data_type)), out);
                out.extend_from_slice(&(keys.len() as u64).to_le_bytes());
                for key in keys {
                    out.extend_from_slice(&key.to_le_bytes()[..width]);
                }
            }
        }
    }
}
