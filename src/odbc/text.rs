//! Strings across the ODBC boundary: SQLCHAR is UTF-8, SQLWCHAR is UTF-16 (unixODBC's 2-byte
//! SQLWCHAR). Input honours SQL_NTS and explicit lengths; output is NUL-terminated, reports the full
//! length and tells when it had to cut (SQLSTATE 01004).

use std::slice;

/// `SQL_NTS`: the string ends at its NUL.
pub const NTS: isize = odbc_sys::NTS;

/// Which character width an entry point uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// Reads an input string of `length` characters (or up to its NUL for SQL_NTS). A null pointer is
/// `None`; invalid sequences are replaced, never rejected.
///
/// # Safety
/// `text` must be null or point to `length` characters (or a NUL-terminated string for SQL_NTS).
pub unsafe fn read_input(text: *const u8, length: isize, encoding: Encoding) -> Option<String> {
    if text.is_null() {
        return None;
    }
    match encoding {
        Encoding::Utf8 => {
            let length = if length == NTS {
                // SAFETY: the caller promises a NUL-terminated string.
                unsafe { libc::strlen(text.cast()) }
            } else {
                usize::try_from(length).ok()?
            };
            // SAFETY: `length` bytes are readable, as promised by the caller.
            let bytes = unsafe { slice::from_raw_parts(text, length) };
            Some(String::from_utf8_lossy(bytes).into_owned())
        }
        Encoding::Utf16 => {
            let wide: *const u16 = text.cast();
            let length = if length == NTS {
                let mut count = 0;
                // SAFETY: the caller promises a NUL-terminated string.
                while unsafe { *wide.add(count) } != 0 {
                    count += 1;
                }
                count
            } else {
                usize::try_from(length).ok()?
            };
            // SAFETY: `length` units are readable, as promised by the caller.
            let units = unsafe { slice::from_raw_parts(wide, length) };
            Some(String::from_utf16_lossy(units))
        }
    }
}

/// Where an output string goes: a buffer of `capacity_bytes` bytes, or null when the caller only
/// wants the length.
pub struct Output {
    pub buffer: *mut u8,
    pub capacity_bytes: usize,
    pub encoding: Encoding,
}

impl Output {
    /// Writes `text`, cut at a character boundary to fit with its terminating NUL. Returns the full
    /// length in characters of the encoding (bytes for UTF-8, UTF-16 units for UTF-16) and whether
    /// it was cut.
    ///
    /// # Safety
    /// `buffer` must be null or valid for `capacity_bytes` bytes of writes.
    pub unsafe fn write(&self, text: &str) -> (usize, bool) {
        match self.encoding {
            Encoding::Utf8 => {
                let bytes = text.as_bytes();
                if self.buffer.is_null() {
                    return (bytes.len(), false);
                }
                if self.capacity_bytes == 0 {
                    return (bytes.len(), !bytes.is_empty());
                }
                let mut fitting = bytes.len().min(self.capacity_bytes - 1);
                while !text.is_char_boundary(fitting) {
                    fitting -= 1;
                }
                // SAFETY: `fitting + 1 <= capacity_bytes`, which the caller promises are writable.
                unsafe {
                    std::ptr::copy_nonoverlapping(bytes.as_ptr(), self.buffer, fitting);
                    *self.buffer.add(fitting) = 0;
                }
                (bytes.len(), fitting < bytes.len())
            }
            Encoding::Utf16 => {
                let units: Vec<u16> = text.encode_utf16().collect();
                let capacity = self.capacity_bytes / 2;
                if self.buffer.is_null() {
                    return (units.len(), false);
                }
                if capacity == 0 {
                    return (units.len(), !units.is_empty());
                }
                let mut fitting = units.len().min(capacity - 1);
                // Never leave half of a surrogate pair.
                if fitting > 0 && fitting < units.len() && (0xD800..0xDC00).contains(&units[fitting - 1]) {
                    fitting -= 1;
                }
                let wide: *mut u16 = self.buffer.cast();
                // SAFETY: `fitting + 1 <= capacity` units are writable, as the caller promises; the
                // buffer may be unaligned, so each unit is written unaligned.
                unsafe {
                    for (index, unit) in units[..fitting].iter().enumerate() {
                        wide.add(index).write_unaligned(*unit);
                    }
                    wide.add(fitting).write_unaligned(0);
                }
                (units.len(), fitting < units.len())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_narrow_and_wide_input() {
        let narrow = b"SELECT 1\0garbage";
        assert_eq!(
            unsafe { read_input(narrow.as_ptr(), NTS, Encoding::Utf8) }.unwrap(),
            "SELECT 1"
        );
        assert_eq!(
            unsafe { read_input(narrow.as_ptr(), 6, Encoding::Utf8) }.unwrap(),
            "SELECT"
        );
        let wide: Vec<u16> = "héllo\0".encode_utf16().collect();
        assert_eq!(
            unsafe { read_input(wide.as_ptr().cast(), NTS, Encoding::Utf16) }.unwrap(),
            "héllo"
        );
        assert_eq!(
            unsafe { read_input(wide.as_ptr().cast(), 2, Encoding::Utf16) }.unwrap(),
            "hé"
        );
        assert_eq!(unsafe { read_input(std::ptr::null(), NTS, Encoding::Utf8) }, None);
    }

    #[test]
    fn output_is_cut_at_character_boundaries() {
        let mut buffer = [0xffu8; 4];
        let output = Output {
            buffer: buffer.as_mut_ptr(),
            capacity_bytes: 4,
            encoding: Encoding::Utf8,
        };
        assert_eq!(unsafe { output.write("aé€") }, (6, true));
        assert_eq!(&buffer[..4], b"a\xc3\xa9\0");
        let mut wide = [0xffffu16; 3];
        let output = Output {
            buffer: wide.as_mut_ptr().cast(),
            capacity_bytes: 6,
            encoding: Encoding::Utf16,
        };
        assert_eq!(unsafe { output.write("a😀") }, (3, true));
        assert_eq!(wide, [u16::from(b'a'), 0, 0xffff]);
        let output = Output {
            buffer: std::ptr::null_mut(),
            capacity_bytes: 0,
            encoding: Encoding::Utf16,
        };
        assert_eq!(unsafe { output.write("abc") }, (3, false));
    }
}
