//! Compressed frames as the server sends them around blocks: any bytes are read as a stream of
//! frames without panicking or allocating past the bound, and any bytes written as frames read back.
#![no_main]

use std::io::{Cursor, Read};

use bytehouse::native::compress::{FrameReader, write_frame};
use bytehouse_fuzz::bounded;
use libfuzzer_sys::fuzz_target;

bytehouse_fuzz::use_bounded_allocator!();

fuzz_target!(|data: &[u8]| {
    bounded(data.len(), || {
        let mut raw = Vec::new();
        drop(FrameReader::new(Cursor::new(data)).read_to_end(&mut raw));

        let mut framed = Vec::new();
        write_frame(&mut framed, data);
        let mut back = Vec::new();
        FrameReader::new(Cursor::new(framed)).read_to_end(&mut back).unwrap();
        assert_eq!(back, data);
    });
});
