//! Compressed frames around data blocks (server `src/Compression/CompressedReadBufferBase.cpp`).
//!
//! Frame: `[16 B checksum][1 B method][UInt32 LE compressed size][UInt32 LE raw size][payload]`.
//! The compressed size counts the 9 header bytes and the payload, not the checksum; the checksum is
//! CityHash128 v1.0.2 over those same bytes. The server splits a large block over several frames,
//! which read as one continuous stream, and a block always ends on a frame boundary.

use std::borrow::BorrowMut;
use std::cell::RefCell;
use std::fmt;
use std::io::{self, BufRead, Read};

use lz4_flex::block::CompressTable;

const METHOD_NONE: u8 = 0x02;
const METHOD_LZ4: u8 = 0x82;
const METHOD_ZSTD: u8 = 0x90;

const CHECKSUM_SIZE: usize = 16;
const HEADER_SIZE: usize = 9;
/// The most raw bytes one written frame holds, as the server's default `max_compress_block_size`.
pub const MAX_FRAME_INPUT: usize = 1 << 20;
/// Sizes above this are corruption, not data (the server's own limit, `DBMS_MAX_COMPRESSED_SIZE`).
const MAX_FRAME_SIZE: usize = 1 << 30;
/// No LZ4 block expands more than this: each byte of a match length adds at most 255 raw bytes.
const LZ4_MAX_RATIO: usize = 255;
/// Buffers that grew past this for an unusually large frame are released rather than kept.
const RETAINED_CAPACITY: usize = 4 * MAX_FRAME_INPUT;

/// CityHash128 v1.0.2 of `data`, in wire order (first half, then second, each little endian).
pub fn checksum(data: &[u8]) -> [u8; 16] {
    let hash = ch_cityhash102::cityhash128(data);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&hash.first.to_le_bytes());
    bytes[8..].copy_from_slice(&hash.second.to_le_bytes());
    bytes
}

thread_local! {
    /// LZ4's hash table, kept so that writing a frame allocates nothing beyond growing `out`.
    static LZ4_TABLE: RefCell<CompressTable> = RefCell::new(CompressTable::large());
}

/// Appends `data` as LZ4 frames of at most [`MAX_FRAME_INPUT`] raw bytes each; empty `data` writes nothing.
pub fn write_frame(out: &mut Vec<u8>, data: &[u8]) {
    for chunk in data.chunks(MAX_FRAME_INPUT) {
        let start = out.len();
        let payload_start = start + CHECKSUM_SIZE + HEADER_SIZE;
        out.resize(payload_start + lz4_flex::block::get_maximum_output_size(chunk.len()), 0);
        let compressed = LZ4_TABLE.with_borrow_mut(|table| {
            lz4_flex::block::compress_into_with_table(chunk, &mut out[payload_start..], table)
        });
        // LZ4 cannot overflow a buffer of its maximum output size; should it fail anyway, the
        // chunk goes out stored, which the server reads just as well.
        let (method, payload_len) = match compressed {
            Ok(length) => (METHOD_LZ4, length),
            Err(_) => {
                out.truncate(payload_start);
                out.extend_from_slice(chunk);
                (METHOD_NONE, chunk.len())
            }
        };
        out.truncate(payload_start + payload_len);
        // Both sizes are bounded by the chunk size (about 1 MiB), so they fit in a u32.
        let header = &mut out[start + CHECKSUM_SIZE..payload_start];
        header[0] = method;
        header[1..5].copy_from_slice(&((HEADER_SIZE + payload_len) as u32).to_le_bytes());
        header[5..9].copy_from_slice(&(chunk.len() as u32).to_le_bytes());
        let sum = checksum(&out[start + CHECKSUM_SIZE..]);
        out[start..start + CHECKSUM_SIZE].copy_from_slice(&sum);
    }
}

/// A corrupt or unsupported frame, carried inside an `io::Error` (kind `InvalidData`) so that block
/// decoders need no second error path; `Error::from` turns it into `Error::Compression`.
#[derive(Debug)]
pub struct CorruptFrame(String);

impl fmt::Display for CorruptFrame {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CorruptFrame {}

fn corrupt(message: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, CorruptFrame(message.into()))
}

/// The reusable memory of a [`FrameReader`]: keep one per connection so that reading blocks does not
/// allocate once the buffers have grown to the frame size.
#[derive(Debug, Default)]
pub struct FrameBuffers {
    /// Header and payload of the current frame, as the checksum covers them.
    compressed: Vec<u8>,
    /// The raw bytes of the current frame.
    decompressed: Vec<u8>,
}

impl FrameBuffers {
    pub fn new() -> Self {
        Self::default()
    }
}

/// Reads the raw bytes of consecutive frames from `inner` as one stream.
///
/// The reader borrows or owns its [`FrameBuffers`] (`B`), so it can live just for one block:
/// `FrameReader::with_buffers(&mut socket, &mut connection_buffers)` reuses memory across blocks,
/// while [`FrameReader::new`] brings fresh buffers of its own. `R` is a `BufRead` so that a clean end
/// of input between frames reads as end of file, while an end inside a frame is `UnexpectedEof`.
pub struct FrameReader<R, B = FrameBuffers> {
    inner: R,
    buffers: B,
    /// Bytes of `buffers.decompressed` already handed out.
    position: usize,
}

impl<R: BufRead> FrameReader<R> {
    pub fn new(inner: R) -> Self {
        Self::with_buffers(inner, FrameBuffers::new())
    }
}

impl<R: BufRead, B: BorrowMut<FrameBuffers>> FrameReader<R, B> {
    /// A reader over `inner` that keeps its frames in `buffers`; anything left there is discarded.
    pub fn with_buffers(inner: R, mut buffers: B) -> Self {
        let FrameBuffers {
            compressed,
            decompressed,
        } = buffers.borrow_mut();
        for buffer in [compressed, decompressed] {
            buffer.clear();
            if buffer.capacity() > RETAINED_CAPACITY {
                *buffer = Vec::new();
            }
        }
        FrameReader {
            inner,
            buffers,
            position: 0,
        }
    }

    /// The underlying reader; reading from it directly skips the rest of the current frame's stream.
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    pub fn into_inner(self) -> R {
        self.inner
    }

    /// True when every raw byte of the frames read so far has been consumed.
    pub fn at_frame_boundary(&self) -> bool {
        self.position == self.buffers.borrow().decompressed.len()
    }

    /// Replaces the current frame with the next one from `inner`. On error no raw bytes are left.
    fn read_frame(&mut self) -> io::Result<()> {
        let FrameBuffers {
            compressed,
            decompressed,
        } = self.buffers.borrow_mut();
        decompressed.clear();
        self.position = 0;

        let mut head = [0u8; CHECKSUM_SIZE + HEADER_SIZE];
        self.inner.read_exact(&mut head)?;
        let (expected, header) = head.split_at(CHECKSUM_SIZE);
        let method = header[0];
        let compressed_size = u32::from_le_bytes([header[1], header[2], header[3], header[4]]) as usize;
        let raw_size = u32::from_le_bytes([header[5], header[6], header[7], header[8]]) as usize;
        match method {
            METHOD_NONE | METHOD_LZ4 => {}
            METHOD_ZSTD => return Err(corrupt("ZSTD-compressed data is not supported; use LZ4")),
            other => return Err(corrupt(format!("unknown compression method 0x{other:02x}"))),
        }
        if !(HEADER_SIZE..=MAX_FRAME_SIZE).contains(&compressed_size) || raw_size > MAX_FRAME_SIZE {
            return Err(corrupt(format!(
                "implausible frame sizes: {compressed_size} compressed, {raw_size} raw"
            )));
        }
        // The raw size is checked against what the payload can hold before anything is read or
        // allocated for it: a header alone must not make us reserve a gigabyte.
        let payload_size = compressed_size - HEADER_SIZE;
        let raw_limit = match method {
            METHOD_NONE => payload_size,
            _ => payload_size.saturating_mul(LZ4_MAX_RATIO),
        };
        if raw_size > raw_limit || (method == METHOD_NONE && raw_size != payload_size) {
            return Err(corrupt(format!(
                "a frame of {payload_size} payload bytes cannot hold {raw_size} raw bytes"
            )));
        }

        // The sizes are not yet verified, so let the buffer grow with the bytes that actually
        // arrive instead of reserving what the header claims.
        compressed.clear();
        compressed.extend_from_slice(header);
        if (&mut self.inner).take(payload_size as u64).read_to_end(compressed)? != payload_size {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "input ended inside a compressed frame",
            ));
        }
        // Fuzzing builds accept any checksum, so that mutated frames reach the decompressor.
        if checksum(compressed) != expected && !cfg!(fuzzing) {
            return Err(corrupt("checksum mismatch in compressed frame"));
        }

        let payload = &compressed[HEADER_SIZE..];
        if method == METHOD_NONE {
            decompressed.extend_from_slice(payload);
            return Ok(());
        }
        decompressed.resize(raw_size, 0);
        let written = lz4_flex::block::decompress_into(payload, decompressed);
        if written.as_ref().ok() != Some(&raw_size) {
            decompressed.clear();
            return Err(corrupt(match written {
                Ok(written) => format!("LZ4 frame gave {written} bytes, its header says {raw_size}"),
                Err(error) => format!("LZ4 frame does not decompress: {error}"),
            }));
        }
        Ok(())
    }
}

impl<R: BufRead, B: BorrowMut<FrameBuffers>> Read for FrameReader<R, B> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        // Asking for nothing must not block on the next frame.
        if buffer.is_empty() {
            return Ok(0);
        }
        let available = self.fill_buf()?;
        let count = available.len().min(buffer.len());
        buffer[..count].copy_from_slice(&available[..count]);
        self.consume(count);
        Ok(count)
    }
}

impl<R: BufRead, B: BorrowMut<FrameBuffers>> BufRead for FrameReader<R, B> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        // Frames may legally be empty; read on until one has bytes or the input ends between frames.
        while self.at_frame_boundary() {
            if self.inner.fill_buf()?.is_empty() {
                return Ok(&[]);
            }
            self.read_frame()?;
        }
        Ok(&self.buffers.borrow().decompressed[self.position..])
    }

    fn consume(&mut self, amount: usize) {
        self.position = self
            .position
            .saturating_add(amount)
            .min(self.buffers.borrow().decompressed.len());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::native::error::Error;
    use std::io::Cursor;

    #[test]
    fn cityhash_matches_clickhouse_vectors() {
        let abc = checksum(b"abc");
        assert_eq!(u64::from_le_bytes(abc[..8].try_into().unwrap()), 0x900ff195577748fe);
        assert_eq!(u64::from_le_bytes(abc[8..].try_into().unwrap()), 0x13a9176355b20d7e);
        let empty = checksum(b"");
        assert_eq!(empty[..8], [0x2b, 0x9a, 0xc0, 0x64, 0xfc, 0x9d, 0xf0, 0x3d]);
        assert_eq!(empty[8..], [0x29, 0x1e, 0xe5, 0x92, 0xc3, 0x40, 0xb5, 0x3c]);
    }

    /// Compressible but not trivially so.
    fn sample(length: usize) -> Vec<u8> {
        (0..length)
            .map(|index| (index * 31 % 251) as u8 ^ (index / 1000) as u8)
            .collect()
    }

    /// A frame with a valid checksum around any method, payload and claimed raw size.
    fn frame(method: u8, payload: &[u8], raw_size: u32) -> Vec<u8> {
        let mut body = vec![method];
        body.extend_from_slice(&((HEADER_SIZE + payload.len()) as u32).to_le_bytes());
        body.extend_from_slice(&raw_size.to_le_bytes());
        body.extend_from_slice(payload);
        let mut bytes = checksum(&body).to_vec();
        bytes.extend_from_slice(&body);
        bytes
    }

    fn count_frames(mut framed: &[u8]) -> usize {
        let mut count = 0;
        while !framed.is_empty() {
            let size = u32::from_le_bytes(framed[17..21].try_into().unwrap()) as usize;
            framed = &framed[CHECKSUM_SIZE + size..];
            count += 1;
        }
        count
    }

    fn first_error(bytes: Vec<u8>) -> io::Error {
        FrameReader::new(Cursor::new(bytes)).fill_buf().unwrap_err()
    }

    #[test]
    fn empty_data_writes_nothing() {
        let mut framed = Vec::new();
        write_frame(&mut framed, &[]);
        assert!(framed.is_empty());
        let mut reader = FrameReader::new(Cursor::new(framed));
        assert_eq!(reader.read(&mut [0u8; 4]).unwrap(), 0);
    }

    #[test]
    fn round_trips_across_several_frames() {
        for (length, frames) in [(1, 1), (100, 1), (MAX_FRAME_INPUT, 1), (3 * MAX_FRAME_INPUT + 17, 4)] {
            let data = sample(length);
            let mut framed = b"prefix".to_vec();
            write_frame(&mut framed, &data);
            assert_eq!(count_frames(&framed[6..]), frames);
            let mut inner = Cursor::new(framed);
            inner.set_position(6);
            let mut reader = FrameReader::new(inner);
            let mut back = Vec::new();
            reader.read_to_end(&mut back).unwrap();
            assert_eq!(back, data);
            assert!(reader.at_frame_boundary());
        }
    }

    #[test]
    fn buffers_are_reused_across_blocks() {
        let data = sample(200_000);
        let mut framed = Vec::new();
        write_frame(&mut framed, &data);
        write_frame(&mut framed, &data);
        let mut inner = Cursor::new(framed);
        let mut buffers = FrameBuffers::new();
        let mut capacities = Vec::new();
        for _ in 0..2 {
            let mut reader = FrameReader::with_buffers(&mut inner, &mut buffers);
            let mut back = vec![0u8; data.len()];
            reader.read_exact(&mut back).unwrap();
            assert_eq!(back, data);
            assert!(reader.at_frame_boundary());
            capacities.push((buffers.compressed.capacity(), buffers.decompressed.as_ptr()));
        }
        assert_eq!(capacities[0], capacities[1]);
    }

    #[test]
    fn reads_stored_and_empty_frames() {
        let mut bytes = frame(METHOD_NONE, b"", 0);
        bytes.extend(frame(METHOD_NONE, b"raw ", 4));
        bytes.extend(frame(METHOD_LZ4, &lz4_flex::block::compress(b"bytes"), 5));
        let mut text = String::new();
        FrameReader::new(Cursor::new(bytes)).read_to_string(&mut text).unwrap();
        assert_eq!(text, "raw bytes");
    }

    #[test]
    fn buf_read_crosses_frame_boundaries() {
        let data = sample(MAX_FRAME_INPUT + 10);
        let mut framed = Vec::new();
        write_frame(&mut framed, &data);
        let mut reader = FrameReader::new(Cursor::new(framed));
        assert_eq!(reader.fill_buf().unwrap(), &data[..MAX_FRAME_INPUT]);
        reader.consume(MAX_FRAME_INPUT - 3);
        assert!(!reader.at_frame_boundary());
        let mut straddling = [0u8; 6];
        reader.read_exact(&mut straddling).unwrap();
        assert_eq!(straddling, data[MAX_FRAME_INPUT - 3..MAX_FRAME_INPUT + 3]);
        assert_eq!(reader.fill_buf().unwrap(), &data[MAX_FRAME_INPUT + 3..]);
        reader.consume(usize::MAX);
        assert!(reader.at_frame_boundary());
        assert!(reader.fill_buf().unwrap().is_empty());
    }

    #[test]
    fn flipped_byte_is_a_checksum_error() {
        let mut framed = Vec::new();
        write_frame(&mut framed, &sample(5000));
        let last = framed.len() - 1;
        framed[last] ^= 1;
        let error = first_error(framed);
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert!(error.to_string().contains("checksum mismatch"));
        assert!(matches!(Error::from(error), Error::Compression(message) if message.contains("checksum")));
    }

    #[test]
    fn truncated_frame_is_unexpected_eof() {
        let mut framed = Vec::new();
        write_frame(&mut framed, &sample(5000));
        for length in [1, CHECKSUM_SIZE + 3, framed.len() - 5] {
            let error = first_error(framed[..length].to_vec());
            assert_eq!(error.kind(), io::ErrorKind::UnexpectedEof, "cut at {length}");
        }
    }

    #[test]
    fn unsupported_methods_are_named() {
        let zstd = first_error(frame(METHOD_ZSTD, b"whatever", 8));
        assert!(
            zstd.to_string()
                .contains("ZSTD-compressed data is not supported; use LZ4")
        );
        let unknown = first_error(frame(0x77, b"whatever", 8));
        assert!(unknown.to_string().contains("unknown compression method 0x77"));
    }

    #[test]
    fn implausible_sizes_are_rejected() {
        let mut short = frame(METHOD_NONE, b"", 0);
        short[17..21].copy_from_slice(&8u32.to_le_bytes());
        assert!(first_error(short).to_string().contains("implausible"));
        let huge = frame(METHOD_LZ4, &lz4_flex::block::compress(b"x"), u32::MAX);
        assert!(first_error(huge).to_string().contains("implausible"));
        let stored = frame(METHOD_NONE, b"abc", 4);
        assert!(
            first_error(stored)
                .to_string()
                .contains("3 payload bytes cannot hold 4 raw bytes")
        );

        let mut reader = FrameReader::new(Cursor::new(frame(METHOD_LZ4, &lz4_flex::block::compress(b"abc"), 4)));
        assert!(reader.fill_buf().unwrap_err().to_string().contains("header says 4"));
        assert!(reader.at_frame_boundary(), "a failed frame leaves no bytes to read");
        let garbage = frame(METHOD_LZ4, &[0xff; 12], 100);
        assert!(first_error(garbage).to_string().contains("does not decompress"));
    }

    #[test]
    fn a_raw_size_the_payload_cannot_hold_is_rejected_before_reading_it() {
        // 1 GiB claimed for 12 bytes of LZ4 (at most 3060 raw bytes), and the payload never sent:
        // the header alone is refused, without waiting for the payload or reserving the size.
        let mut claims_a_gibibyte = frame(METHOD_LZ4, &[0; 12], 1 << 30);
        claims_a_gibibyte.truncate(CHECKSUM_SIZE + HEADER_SIZE);
        let error = first_error(claims_a_gibibyte);
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        assert!(
            error
                .to_string()
                .contains("12 payload bytes cannot hold 1073741824 raw bytes"),
            "{error}"
        );

        let most = 12 * LZ4_MAX_RATIO as u32;
        let at_the_limit = frame(METHOD_LZ4, &[0; 12], most);
        assert!(first_error(at_the_limit).to_string().contains("does not decompress"));
        let past_the_limit = frame(METHOD_LZ4, &[0; 12], most + 1);
        assert!(first_error(past_the_limit).to_string().contains("cannot hold"));
    }

    #[test]
    fn the_most_compressible_data_stays_within_the_ratio() {
        let zeros = vec![0u8; MAX_FRAME_INPUT];
        let compressed = lz4_flex::block::compress(&zeros);
        assert!(compressed.len() * LZ4_MAX_RATIO >= zeros.len());
        let mut framed = Vec::new();
        write_frame(&mut framed, &zeros);
        let mut back = Vec::new();
        FrameReader::new(Cursor::new(framed)).read_to_end(&mut back).unwrap();
        assert_eq!(back, zeros);
    }
}
