//! The type-name parser, on names as a server could send them in a block header. A name that parses
//! prints as a canonical name that parses back to the same type, and an empty column of it
//! allocates within the bound.
#![no_main]

use bytehouse::native::{ColumnData, DataType};
use bytehouse_fuzz::bounded;
use libfuzzer_sys::fuzz_target;

bytehouse_fuzz::use_bounded_allocator!();

fuzz_target!(|data: &[u8]| {
    let Ok(name) = std::str::from_utf8(data) else {
        return;
    };
    bounded(data.len(), || {
        let Ok(data_type) = DataType::parse(name) else {
            return;
        };
        let canonical = data_type.to_string();
        let reparsed = DataType::parse(&canonical)
            .unwrap_or_else(|error| panic!("{name:?} prints as {canonical:?}, which does not parse: {error}"));
        assert_eq!(reparsed, data_type, "{name:?} prints as {canonical:?}");
        let mut column = ColumnData::new(&data_type);
        column.clear(&data_type);
        assert_eq!(column.len(), 0);
    });
});
