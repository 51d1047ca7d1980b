//! The `packets` fuzz target's seeds, recorded from both real servers by
//! examples/capture_fuzz_seeds.rs, read cleanly through the connection's packet reader over plain
//! bytes: every packet to the last byte, with the blocks and exceptions the queries produced.

use std::path::Path;

use bytehouse::native::Block;
use bytehouse::native::conn::{PacketReader, ServerPacket};

#[test]
fn recorded_server_traffic_reads_to_the_end() {
    let directory = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus-seed/packets");
    let mut seeds = 0;
    for entry in std::fs::read_dir(&directory).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let (&selector, mut input) = bytes.split_first().unwrap();
        let revision = if selector & 2 != 0 { 54460 } else { 54412 };
        assert_eq!(revision == 54460, name.starts_with("26.9"), "{name}");
        assert_eq!(selector & 1 != 0, name.contains("-lz4-"), "{name}");
        let mut reader = PacketReader::new(revision, selector & 1 != 0, None);
        let mut block = Block::default();
        let (mut rows, mut exceptions, mut ended) = (0, 0, false);
        while !input.is_empty() {
            match reader.read(&mut input, &mut block) {
                Ok(ServerPacket::Data) => rows += block.rows(),
                Ok(ServerPacket::Exception(_)) => exceptions += 1,
                Ok(ServerPacket::EndOfStream) => ended = true,
                Ok(_) => {}
                Err(error) => panic!("{name}: {error}"),
            }
        }
        assert!(
            (rows > 0 && ended) || exceptions == 1,
            "{name}: {rows} rows, {exceptions} exceptions"
        );
        seeds += 1;
    }
    assert_eq!(seeds, 36, "2 servers x 2 compressions x 9 queries");
}
