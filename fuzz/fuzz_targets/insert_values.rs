//! `INSERT ... VALUES` with literal rows, parsed by the driver into blocks for the target columns.
//! Rows that parse are written in the Native format and read back unchanged.
//!
//! Input: the column types separated by `;` on the first line (a default set when they do not
//! parse), then the statement.
#![no_main]

use bytehouse::native::sql::{self, InlineData};
use bytehouse::native::{Block, Column};
use bytehouse_fuzz::bounded;
use libfuzzer_sys::fuzz_target;

bytehouse_fuzz::use_bounded_allocator!();

const DEFAULT_TYPES: &str = "UInt8;Int64;Nullable(String);Array(Int32);Tuple(String, Float64);\
    Map(String, UInt8);LowCardinality(Nullable(String));Decimal(10, 2);DateTime64(3, 'UTC');Date;\
    UUID;IPv6;Enum8('a' = 1, 'b' = 2);FixedString(3);Bool";

/// The newest revision this client speaks; the block layout is the same for the older ones.
const REVISION: u64 = 54460;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (types, statement) = text.split_once('\n').unwrap_or(("", text));
    bounded(data.len(), || {
        let header = header(types).unwrap_or_else(|| header(DEFAULT_TYPES).unwrap());
        sql::is_insert(statement);
        sql::question_marks(statement);
        let InlineData::Values { rows, .. } = sql::inline_insert_data(statement) else {
            return;
        };
        let mut block = Block::with_columns_of(&header);
        if sql::parse_values(rows, &mut block).is_err() {
            return;
        }
        let mut bytes = Vec::new();
        block.write(&mut bytes, REVISION);
        let mut back = Block::default();
        back.read(&mut bytes.as_slice(), REVISION).unwrap();
        assert_eq!(back, block, "{statement:?}");
    });
});

/// A block header with one column per type, or `None` when a type does not parse.
fn header(types: &str) -> Option<Block> {
    let mut header = Block::default();
    for (index, type_name) in types.split(';').enumerate() {
        header
            .columns
            .push(Column::new(format!("c{index}"), type_name.trim()).ok()?);
    }
    Some(header)
}
