//! Reading server packets from any buffered byte source: the socket of a connection, or recorded
//! bytes (the fuzz targets feed it what follows a handshake).

use std::io::BufRead;

use super::packets::{self, ProfileInfo, Progress, server};
use crate::native::block::Block;
use crate::native::compress::{FrameBuffers, FrameReader};
use crate::native::error::{Error, Result, ServerException};
use crate::native::revision;
use crate::native::timezone;
use crate::native::wire::ReadExt;

/// One server packet, read in full.
#[derive(Debug)]
pub enum ServerPacket {
    /// A block of rows or a header, read into the caller's block.
    Data,
    Totals(Block),
    Extremes(Block),
    Exception(ServerException),
    Progress(Progress),
    ProfileInfo(ProfileInfo),
    TableColumns,
    EndOfStream,
    Pong,
    /// Log, ProfileEvents, PartUUIDs, TimezoneUpdate: read, with nothing for the caller to act on.
    Skipped,
}

/// What reading packets needs to remember between them: the negotiated revision, whether blocks
/// come compressed, the session's time zone and buffers reused from packet to packet.
pub struct PacketReader {
    revision: u64,
    compression: bool,
    /// The zone the server shows DateTime values without one in (its own, or the session's once it
    /// sends TimezoneUpdate); `None` for UTC.
    timezone: Option<String>,
    frame_buffers: FrameBuffers,
    /// Receives Log and ProfileEvents blocks, which are read and dropped.
    side_block: Block,
}

impl PacketReader {
    /// A reader for a connection at `revision` whose server announced `server_timezone`.
    pub fn new(revision: u64, compression: bool, server_timezone: Option<&str>) -> PacketReader {
        PacketReader {
            revision,
            compression,
            timezone: server_timezone
                .filter(|zone| !timezone::is_utc(zone))
                .map(str::to_string),
            frame_buffers: FrameBuffers::new(),
            side_block: Block::default(),
        }
    }

    pub fn timezone(&self) -> Option<&str> {
        self.timezone.as_deref()
    }

    /// Reads one packet from `reader`; a Data block goes into `block`. After an error the source
    /// is at an unknown place inside the packet.
    pub fn read<R: BufRead + ?Sized>(&mut self, reader: &mut R, block: &mut Block) -> Result<ServerPacket> {
        let code = reader.read_varint()?;
        Ok(match code {
            server::DATA => {
                self.read_block(reader, block, self.compression)?;
                if let Some(timezone) = &self.timezone {
                    block.assume_timezone(timezone);
                }
                ServerPacket::Data
            }
            server::TOTALS | server::EXTREMES => {
                let mut summary = Block::default();
                self.read_block(reader, &mut summary, self.compression)?;
                if code == server::TOTALS {
                    ServerPacket::Totals(summary)
                } else {
                    ServerPacket::Extremes(summary)
                }
            }
            server::LOG | server::PROFILE_EVENTS => {
                let mut side_block = std::mem::take(&mut self.side_block);
                let result = self.read_block(reader, &mut side_block, false);
                self.side_block = side_block;
                result?;
                ServerPacket::Skipped
            }
            server::EXCEPTION => ServerPacket::Exception(packets::read_exception(reader)?),
            server::PROGRESS => ServerPacket::Progress(Progress::read(reader, self.revision)?),
            server::PROFILE_INFO => ServerPacket::ProfileInfo(ProfileInfo::read(reader)?),
            server::TABLE_COLUMNS => {
                reader.read_string()?;
                reader.read_string()?;
                ServerPacket::TableColumns
            }
            server::PART_UUIDS => {
                let count = reader.read_varint()?;
                for _ in 0..count {
                    reader.read_fixed_bytes::<16>()?;
                }
                ServerPacket::Skipped
            }
            server::TIMEZONE_UPDATE => {
                let timezone = reader.read_string()?;
                self.timezone = Some(timezone).filter(|zone| !timezone::is_utc(zone));
                ServerPacket::Skipped
            }
            server::END_OF_STREAM => ServerPacket::EndOfStream,
            server::PONG => ServerPacket::Pong,
            other => return Err(Error::protocol(format!("unknown packet {other} from the server"))),
        })
    }

    fn read_block<R: BufRead + ?Sized>(&mut self, reader: &mut R, block: &mut Block, compressed: bool) -> Result<()> {
        if self.revision >= revision::TEMPORARY_TABLES {
            reader.read_string()?;
        }
        if !compressed {
            return block.read(reader, self.revision);
        }
        let mut frames = FrameReader::with_buffers(reader, &mut self.frame_buffers);
        block.read(&mut frames, self.revision)?;
        if !frames.at_frame_boundary() {
            return Err(Error::protocol("a compressed block did not end on a frame boundary"));
        }
        Ok(())
    }
}
