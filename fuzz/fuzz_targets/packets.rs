//! Server packets as they follow a handshake, through the same reader a connection uses: Data,
//! Totals and Extremes blocks of every column type, compressed or not, exceptions, progress.
//!
//! Input: one selector byte (bit 0: blocks are LZ4-compressed; bit 1: revision 54460 as with 26.9,
//! else 54412 as with 18.16; bit 2: the server's zone is Asia/Shanghai, else UTC), then the bytes
//! the server sent.
#![no_main]

use bytehouse::native::conn::{PacketReader, ServerPacket};
use bytehouse::native::{Block, Error};
use bytehouse_fuzz::bounded;
use libfuzzer_sys::fuzz_target;

bytehouse_fuzz::use_bounded_allocator!();

fuzz_target!(|data: &[u8]| {
    let Some((&selector, mut input)) = data.split_first() else {
        return;
    };
    let compression = selector & 1 != 0;
    let revision = if selector & 2 != 0 { 54460 } else { 54412 };
    let zone = (selector & 4 != 0).then_some("Asia/Shanghai");
    bounded(data.len(), || {
        let mut reader = PacketReader::new(revision, compression, zone);
        let mut block = Block::default();
        while !input.is_empty() {
            match reader.read(&mut input, &mut block) {
                Ok(ServerPacket::Data) => show(&block),
                Ok(ServerPacket::Totals(summary) | ServerPacket::Extremes(summary)) => show(&summary),
                Ok(ServerPacket::Exception(exception)) => drop(Error::Server(exception).to_string()),
                Ok(_) => {}
                Err(error) => {
                    drop(error.to_string());
                    break;
                }
            }
        }
    });
});

/// Reads every value of the block the way a result set does.
fn show(block: &Block) {
    for column in &block.columns {
        assert_eq!(column.len(), block.rows(), "column `{}`", column.name);
        for row in 0..block.rows() {
            drop(column.value(row).to_string());
        }
    }
}
