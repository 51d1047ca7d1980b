//! AdbcConnectionGetInfo and AdbcConnectionGetTableTypes: small results built in memory.
//!
//! GetInfo's rows are `info_name` (uint32) and `info_value`, a dense union whose members ADBC fixes;
//! this driver answers with strings and, for the ADBC version, an int64. Codes it does not know are
//! left out, as ADBC asks.

use super::arrays::{booleans, field, list, numbers, structure, utf8};
use super::connection::{Connection, rows_of};
use super::error::Failure;
use crate::arrow::export::{ArrayNode, Buffer, SchemaNode};

pub const VENDOR_NAME: u32 = 0;
pub const VENDOR_VERSION: u32 = 1;
pub const VENDOR_SQL: u32 = 3;
pub const DRIVER_NAME: u32 = 100;
pub const DRIVER_VERSION: u32 = 101;
pub const DRIVER_ADBC_VERSION: u32 = 103;

pub const ADBC_VERSION_1_0_0: i32 = 1_000_000;
pub const ADBC_VERSION_1_1_0: i32 = 1_001_000;

const KNOWN: [u32; 6] = [
    VENDOR_NAME,
    VENDOR_VERSION,
    VENDOR_SQL,
    DRIVER_NAME,
    DRIVER_VERSION,
    DRIVER_ADBC_VERSION,
];

enum InfoValue {
    Text(String),
    Bool(bool),
    Int(i64),
}

/// The union member ids, in the order of `info_value`'s children.
const TEXT: i8 = 0;
const BOOL: i8 = 1;
const INT: i8 = 2;

fn schema() -> SchemaNode {
    let int_list = field("+l", "value", true, vec![field("i", "item", true, Vec::new())]);
    let map_entries = field(
        "+s",
        "entries",
        false,
        vec![field("i", "key", false, Vec::new()), int_list],
    );
    let union = field(
        "+ud:0,1,2,3,4,5",
        "info_value",
        true,
        vec![
            field("u", "string_value", true, Vec::new()),
            field("b", "bool_value", true, Vec::new()),
            field("l", "int64_value", true, Vec::new()),
            field("i", "int32_bitmask", true, Vec::new()),
            field("+l", "string_list", true, vec![field("u", "item", true, Vec::new())]),
            field("+m", "int32_to_int32_list_map", true, vec![map_entries]),
        ],
    );
    field("+s", "", false, vec![field("I", "info_name", false, Vec::new()), union])
}

/// The rows asked for (all when `codes` is None), as one batch with its schema.
pub fn get_info(
    connection: &Connection,
    codes: Option<&[u32]>,
    adbc_version: i32,
) -> Result<(SchemaNode, ArrayNode), Failure> {
    let wanted: Vec<u32> = match codes {
        Some(codes) => codes.iter().copied().filter(|code| KNOWN.contains(code)).collect(),
        None => KNOWN.to_vec(),
    };
    let client = connection.client()?;
    let needs_server = wanted.iter().any(|&code| code == VENDOR_NAME || code == VENDOR_VERSION);
    let (vendor, version) = if needs_server {
        let rows = rows_of(
            client,
            "SELECT version(), (SELECT count() FROM system.table_engines WHERE name = 'CnchMergeTree')",
        )?;
        let row = rows.into_iter().next().unwrap_or_default();
        let is_bytehouse = row.get(1).is_some_and(|count| count != "0");
        let vendor = if is_bytehouse { "ByteHouse" } else { "ClickHouse" };
        (vendor.to_string(), row.into_iter().next().unwrap_or_default())
    } else {
        Default::default()
    };
    let values: Vec<(u32, InfoValue)> = wanted
        .into_iter()
        .map(|code| {
            let value = match code {
                VENDOR_NAME => InfoValue::Text(vendor.clone()),
                VENDOR_VERSION => InfoValue::Text(version.clone()),
                VENDOR_SQL => InfoValue::Bool(true),
                DRIVER_NAME => InfoValue::Text("libbytehouse ADBC driver".to_string()),
                DRIVER_VERSION => InfoValue::Text(env!("CARGO_PKG_VERSION").to_string()),
                _ => InfoValue::Int(i64::from(adbc_version)),
            };
            (code, value)
        })
        .collect();
    Ok((schema(), batch(&values)))
}

fn batch(values: &[(u32, InfoValue)]) -> ArrayNode {
    let (mut texts, mut bools, mut ints) = (Vec::new(), Vec::new(), Vec::new());
    let mut type_ids = Vec::with_capacity(values.len());
    let mut offsets = Vec::with_capacity(values.len());
    for (_, value) in values {
        let (id, offset) = match value {
            InfoValue::Text(text) => {
                texts.push(Some(text.as_str()));
                (TEXT, texts.len() - 1)
            }
            InfoValue::Bool(flag) => {
                bools.push(Some(*flag));
                (BOOL, bools.len() - 1)
            }
            InfoValue::Int(number) => {
                ints.push(Some(*number));
                (INT, ints.len() - 1)
            }
        };
        type_ids.push(id as u8);
        offsets.push(offset as i32);
    }
    let no_lists = || list(&[], numbers::<i32>(&[]));
    let empty_map = list(&[], structure(0, vec![numbers::<i32>(&[]), no_lists()]));
    let union = ArrayNode {
        length: values.len(),
        null_count: 0,
        buffers: vec![Buffer::Bytes(type_ids), Buffer::I32(offsets)],
        children: vec![
            utf8(&texts),
            booleans(&bools),
            numbers(&ints),
            numbers::<i32>(&[]),
            list(&[], utf8::<&str>(&[])),
            empty_map,
        ],
        dictionary: None,
    };
    let names: Vec<Option<u32>> = values.iter().map(|(code, _)| Some(*code)).collect();
    structure(values.len(), vec![numbers(&names), union])
}

/// GetTableTypes: the types GetObjects reports.
pub fn table_types() -> (SchemaNode, ArrayNode) {
    let types = super::objects::TABLE_TYPES.map(Some);
    let schema = field("+s", "", false, vec![field("u", "table_type", false, Vec::new())]);
    (schema, structure(types.len(), vec![utf8(&types)]))
}
