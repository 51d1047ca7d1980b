//! Primitive encodings of the native protocol: unsigned LEB128 varints, length-prefixed strings and
//! little-endian fixed-width numbers.
//!
//! Reading works on any [`BufRead`] so that the same code decodes plain socket bytes and decompressed
//! frames; the hot paths (varints, short strings) take bytes straight from the reader's buffer.

use std::io::{self, BufRead};

use super::error::{Error, Result};

/// The longest string or byte run this client accepts from the wire; a larger length is corruption.
pub const MAX_STRING_LEN: u64 = 1 << 30;

/// The varint at the start of `buffered`, with the bytes it takes; `None` when `buffered` ends
/// inside it.
#[inline]
pub fn buffered_varint(buffered: &[u8]) -> Option<Result<(u64, usize)>> {
    let mut value = 0u64;
    for index in 0..10 {
        let byte = *buffered.get(index)?;
        value |= u64::from(byte & 0x7f) << (7 * index);
        if byte & 0x80 == 0 {
            return Some(Ok((value, index + 1)));
        }
    }
    Some(Err(Error::protocol("varint longer than 10 bytes")))
}

/// A string or byte-run length read from the wire, refused beyond [`MAX_STRING_LEN`].
#[inline]
pub fn checked_length(length: u64) -> Result<usize> {
    if length > MAX_STRING_LEN {
        return Err(Error::protocol(format!(
            "length {length} is larger than the protocol allows"
        )));
    }
    Ok(length as usize)
}

/// Reading helpers for every buffered reader.
pub trait ReadExt: BufRead {
    /// An unsigned LEB128 integer of at most 10 bytes.
    fn read_varint(&mut self) -> Result<u64> {
        // Fast path: the whole varint is already buffered.
        if let Some(varint) = buffered_varint(self.fill_buf()?) {
            let (value, taken) = varint?;
            self.consume(taken);
            return Ok(value);
        }
        let mut value = 0u64;
        for index in 0..10 {
            let byte = self.read_u8()?;
            value |= u64::from(byte & 0x7f) << (7 * index);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Error::protocol("varint longer than 10 bytes"))
    }

    fn read_u8(&mut self) -> Result<u8> {
        let mut byte = [0u8; 1];
        self.read_exact(&mut byte)?;
        Ok(byte[0])
    }

    fn read_bool(&mut self) -> Result<bool> {
        Ok(self.read_u8()? != 0)
    }

    fn read_fixed_bytes<const N: usize>(&mut self) -> Result<[u8; N]> {
        let mut bytes = [0u8; N];
        self.read_exact(&mut bytes)?;
        Ok(bytes)
    }

    fn read_i32_le(&mut self) -> Result<i32> {
        Ok(i32::from_le_bytes(self.read_fixed_bytes()?))
    }

    fn read_u64_le(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.read_fixed_bytes()?))
    }

    /// A varint length that must stay below [`MAX_STRING_LEN`].
    fn read_length(&mut self) -> Result<usize> {
        checked_length(self.read_varint()?)
    }

    /// Passes exactly `count` bytes to `sink`, piece by piece as they arrive.
    fn read_exact_with(&mut self, count: usize, mut sink: impl FnMut(&[u8])) -> Result<()> {
        let mut remaining = count;
        while remaining > 0 {
            let buffer = self.fill_buf()?;
            if buffer.is_empty() {
                return Err(io::Error::from(io::ErrorKind::UnexpectedEof).into());
            }
            let taken = buffer.len().min(remaining);
            sink(&buffer[..taken]);
            self.consume(taken);
            remaining -= taken;
        }
        Ok(())
    }

    /// Appends exactly `count` bytes to `out`, growing it no faster than the bytes arrive.
    fn read_exact_into(&mut self, out: &mut Vec<u8>, count: usize) -> Result<()> {
        self.read_exact_with(count, |piece| out.extend_from_slice(piece))
    }

    /// A length-prefixed byte string appended to `out`; returns its length.
    fn read_string_into(&mut self, out: &mut Vec<u8>) -> Result<usize> {
        let length = self.read_length()?;
        self.read_exact_into(out, length)?;
        Ok(length)
    }

    fn read_bytes(&mut self) -> Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.read_string_into(&mut bytes)?;
        Ok(bytes)
    }

    /// A protocol string (names, messages); invalid UTF-8 is replaced rather than rejected.
    fn read_string(&mut self) -> Result<String> {
        let bytes = self.read_bytes()?;
        Ok(lossy_text(bytes))
    }

    /// A protocol string of which at most `limit` bytes are kept; the rest is read and dropped.
    /// Returns the kept text and how many bytes were dropped.
    fn read_string_capped(&mut self, limit: usize) -> Result<(String, usize)> {
        let length = self.read_length()?;
        let kept = length.min(limit);
        let mut bytes = Vec::new();
        self.read_exact_into(&mut bytes, kept)?;
        self.skip_bytes(length - kept)?;
        Ok((lossy_text(bytes), length - kept))
    }

    /// Reads and drops exactly `count` bytes.
    fn skip_bytes(&mut self, count: usize) -> Result<()> {
        self.read_exact_with(count, |_| {})
    }
}

impl<R: BufRead + ?Sized> ReadExt for R {}

/// Text from the wire; invalid UTF-8 is replaced rather than rejected.
fn lossy_text(bytes: Vec<u8>) -> String {
    match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => String::from_utf8_lossy(error.as_bytes()).into_owned(),
    }
}

/// Writing helpers; packets are assembled in memory and sent with one write.
pub trait WriteExt {
    fn write_varint(&mut self, value: u64);
    fn write_u8(&mut self, value: u8);
    fn write_bytes(&mut self, bytes: &[u8]);
    fn write_str(&mut self, text: &str) {
        self.write_bytes(text.as_bytes());
    }
}

impl WriteExt for Vec<u8> {
    fn write_varint(&mut self, mut value: u64) {
        while value >= 0x80 {
            self.push((value as u8) | 0x80);
            value >>= 7;
        }
        self.push(value as u8);
    }

    fn write_u8(&mut self, value: u8) {
        self.push(value);
    }

    fn write_bytes(&mut self, bytes: &[u8]) {
        self.write_varint(bytes.len() as u64);
        self.extend_from_slice(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{BufReader, Cursor};

    fn encoded(value: u64) -> Vec<u8> {
        let mut out = Vec::new();
        out.write_varint(value);
        out
    }

    #[test]
    fn varints_match_known_bytes() {
        assert_eq!(encoded(0), [0x00]);
        assert_eq!(encoded(127), [0x7f]);
        assert_eq!(encoded(128), [0x80, 0x01]);
        assert_eq!(encoded(300), [0xac, 0x02]);
        assert_eq!(encoded(u64::MAX).len(), 10);
    }

    #[test]
    fn varints_round_trip_through_fast_and_slow_paths() {
        let values = [0, 1, 127, 128, 16_383, 16_384, 54_460, u32::MAX as u64, u64::MAX];
        let mut bytes = Vec::new();
        for value in values {
            bytes.write_varint(value);
        }
        let mut fast = Cursor::new(bytes.clone());
        // A one-byte buffer forces every varint through the byte-at-a-time path.
        let mut slow = BufReader::with_capacity(1, Cursor::new(bytes));
        for value in values {
            assert_eq!(fast.read_varint().unwrap(), value);
            assert_eq!(slow.read_varint().unwrap(), value);
        }
    }

    #[test]
    fn overlong_varint_is_a_protocol_error() {
        let mut reader = Cursor::new(vec![0xff; 11]);
        assert!(matches!(reader.read_varint(), Err(Error::Protocol(_))));
    }

    #[test]
    fn truncated_input_is_an_io_error() {
        let mut reader = Cursor::new(vec![0x80]);
        assert!(matches!(reader.read_varint(), Err(Error::Io(_))));
        let mut reader = Cursor::new(vec![0x05, b'a', b'b']);
        assert!(matches!(reader.read_string(), Err(Error::Io(_))));
    }

    #[test]
    fn strings_round_trip_and_keep_raw_bytes() {
        let mut bytes = Vec::new();
        bytes.write_str("ClickHouse");
        bytes.write_bytes(&[0xff, 0x00, 0xfe]);
        bytes.write_str("");
        let mut reader = BufReader::with_capacity(3, Cursor::new(bytes));
        assert_eq!(reader.read_string().unwrap(), "ClickHouse");
        assert_eq!(reader.read_bytes().unwrap(), [0xff, 0x00, 0xfe]);
        assert_eq!(reader.read_string().unwrap(), "");
    }

    #[test]
    fn capped_strings_keep_a_prefix_and_stay_in_step() {
        let mut bytes = Vec::new();
        bytes.write_str("0123456789");
        bytes.write_str("next");
        let mut reader = BufReader::with_capacity(3, Cursor::new(bytes));
        assert_eq!(reader.read_string_capped(4).unwrap(), ("0123".to_string(), 6));
        assert_eq!(reader.read_string_capped(100).unwrap(), ("next".to_string(), 0));
        let mut truncated = Cursor::new(vec![0x05, b'a', b'b']);
        assert!(matches!(truncated.read_string_capped(1), Err(Error::Io(_))));
    }

    #[test]
    fn absurd_lengths_are_rejected_before_allocating() {
        let mut bytes = Vec::new();
        bytes.write_varint(MAX_STRING_LEN + 1);
        assert!(matches!(Cursor::new(bytes).read_bytes(), Err(Error::Protocol(_))));
    }
}
