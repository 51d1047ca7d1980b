//! Strings across the ODBC boundary: SQLCHAR is UTF-8; SQLWCHAR is UTF-16 under unixODBC (and for
//! programs that link the driver directly) and UTF-32 under iODBC, whose SQLWCHAR is Linux's 4-byte
//! wchar_t, found out once per process ([`Encoding::wide`]). Input honours SQL_NTS and explicit
//! lengths; output is NUL-terminated, reports the full length and tells when it had to cut
//! (SQLSTATE 01004).

use std::slice;

use std::sync::atomic::{AtomicU8, Ordering};

/// `SQL_NTS`: the string ends at its NUL.
pub const NTS: isize = odbc_sys::NTS;

/// Which character width an entry point uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// The encoding of SQLWCHAR (the `W` entry points and SQL_C_WCHAR buffers) in this process.
    pub fn wide() -> Encoding {
        match WIDE.load(Ordering::Acquire) {
            WIDE_UTF16 => Encoding::Utf16,
            WIDE_UTF32 => Encoding::Utf32,
            _ => {
                // A driver manager is loaded before its drivers, possibly privately, so ask whether
                // its library is in the process at all.
                let iodbc = is_loaded(c"libiodbc.so.2") && !is_loaded(c"libodbc.so.2");
                let found = if iodbc { WIDE_UTF32 } else { WIDE_UTF16 };
                // An iODBC that announced itself first (`iodbc_announced`) keeps its answer.
                let _ = WIDE.compare_exchange(WIDE_UNKNOWN, found, Ordering::AcqRel, Ordering::Acquire);
                Encoding::wide()
            }
        }
    }

    /// iODBC, also when linked statically into a program (where no libiodbc is to be found), sends
    /// its own SQL_APPLICATION_NAME connection attribute before connecting: its SQLWCHAR is
    /// wchar_t, four bytes here.
    pub fn iodbc_announced() {
        WIDE.store(WIDE_UTF32, Ordering::Release);
    }

    /// Bytes per code unit.
    pub fn unit_size(self) -> usize {
        match self {
            Encoding::Utf8 => 1,
            Encoding::Utf16 => 2,
            Encoding::Utf32 => 4,
        }
    }

    /// `text` as code units of this encoding, each widened to u32.
    fn units(self, text: &str) -> Vec<u32> {
        match self {
            Encoding::Utf8 => text.bytes().map(u32::from).collect(),
            Encoding::Utf16 => text.encode_utf16().map(u32::from).collect(),
            Encoding::Utf32 => text.chars().map(u32::from).collect(),
        }
    }

    /// How many code units of this encoding `text` takes.
    pub fn length_of(self, text: &str) -> usize {
        match self {
            Encoding::Utf8 => text.len(),
            Encoding::Utf16 => text.encode_utf16().count(),
            Encoding::Utf32 => text.chars().count(),
        }
    }

    /// `text` encoded, in native byte order, without a terminator.
    pub fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Encoding::Utf8 => text.as_bytes().to_vec(),
            Encoding::Utf16 => text.encode_utf16().flat_map(u16::to_ne_bytes).collect(),
            Encoding::Utf32 => text
                .chars()
                .flat_map(|character| u32::from(character).to_ne_bytes())
                .collect(),
        }
    }

    /// Text from bytes in this encoding (native byte order); invalid sequences are replaced.
    pub fn decode(self, bytes: &[u8]) -> String {
        let mut text = String::new();
        self.decode_into(bytes, &mut text);
        text
    }

    /// [`Encoding::decode`] appending to `text`, so that a caller can reuse one buffer.
    pub fn decode_into(self, bytes: &[u8], text: &mut String) {
        match self {
            Encoding::Utf8 => text.push_str(&String::from_utf8_lossy(bytes)),
            Encoding::Utf16 => {
                let units = bytes.chunks_exact(2).map(|pair| u16::from_ne_bytes([pair[0], pair[1]]));
                text.extend(char::decode_utf16(units).map(|unit| unit.unwrap_or(char::REPLACEMENT_CHARACTER)));
            }
            Encoding::Utf32 => text.extend(bytes.chunks_exact(4).map(|unit| {
                let value = u32::from_ne_bytes([unit[0], unit[1], unit[2], unit[3]]);
                char::from_u32(value).unwrap_or(char::REPLACEMENT_CHARACTER)
            })),
        }
    }
}

/// A code unit of the strings in an entry point's signature: SQLCHAR (`u8`) in the ANSI functions,
/// SQLWCHAR (`u16` in the W functions' signatures) in the wide ones, so that one body serves both
/// (also inside `catch_unwind`, hence `RefUnwindSafe`).
pub trait CodeUnit: std::panic::RefUnwindSafe {
    /// The encoding of text made of these units.
    fn encoding() -> Encoding;
}

impl CodeUnit for u8 {
    fn encoding() -> Encoding {
        Encoding::Utf8
    }
}

impl CodeUnit for u16 {
    /// UTF-16, or UTF-32 under iODBC, whose SQLWCHAR is wider than the signatures say.
    fn encoding() -> Encoding {
        Encoding::wide()
    }
}

/// SQLWCHAR's width once known: [`WIDE_UNKNOWN`], [`WIDE_UTF16`] or [`WIDE_UTF32`].
static WIDE: AtomicU8 = AtomicU8::new(WIDE_UNKNOWN);
const WIDE_UNKNOWN: u8 = 0;
const WIDE_UTF16: u8 = 2;
const WIDE_UTF32: u8 = 4;

/// Whether the shared library `soname` is loaded in this process (without loading it).
fn is_loaded(soname: &std::ffi::CStr) -> bool {
    // SAFETY: RTLD_NOLOAD only looks for an already loaded library; the reference it returns is
    // given back at once.
    unsafe {
        let handle = libc::dlopen(soname.as_ptr(), libc::RTLD_LAZY | libc::RTLD_NOLOAD);
        if handle.is_null() {
            return false;
        }
        libc::dlclose(handle);
        true
    }
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
        wide => {
            let unit = wide.unit_size();
            let length = if length == NTS {
                let mut count = 0;
                // SAFETY: the caller promises a NUL-terminated string (a whole zero unit).
                while (0..unit).any(|byte| unsafe { *text.add(count * unit + byte) } != 0) {
                    count += 1;
                }
                count
            } else {
                usize::try_from(length).ok()?
            };
            // SAFETY: `length` units are readable, as promised by the caller.
            let bytes = unsafe { slice::from_raw_parts(text, length * unit) };
            Some(wide.decode(bytes))
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
            wide => {
                let unit = wide.unit_size();
                let units = wide.units(text);
                let capacity = self.capacity_bytes / unit;
                if self.buffer.is_null() {
                    return (units.len(), false);
                }
                if capacity == 0 {
                    return (units.len(), !units.is_empty());
                }
                let mut fitting = units.len().min(capacity - 1);
                // Never leave half of a UTF-16 surrogate pair.
                if fitting > 0 && fitting < units.len() && (0xD800..0xDC00).contains(&units[fitting - 1]) {
                    fitting -= 1;
                }
                // SAFETY: `fitting + 1 <= capacity` units are writable, as the caller promises; the
                // buffer may be unaligned, so each unit is written unaligned.
                unsafe {
                    for (index, value) in units[..fitting].iter().chain(&[0]).enumerate() {
                        let at = self.buffer.add(index * unit);
                        match wide {
                            Encoding::Utf32 => at.cast::<u32>().write_unaligned(*value),
                            _ => at.cast::<u16>().write_unaligned(*value as u16),
                        }
                    }
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

    #[test]
    fn utf32_for_iodbc() {
        let wide: Vec<u32> = "a😀\0".chars().map(u32::from).collect();
        assert_eq!(
            unsafe { read_input(wide.as_ptr().cast(), NTS, Encoding::Utf32) }.unwrap(),
            "a😀"
        );
        let mut buffer = [0xffff_ffffu32; 2];
        let output = Output {
            buffer: buffer.as_mut_ptr().cast(),
            capacity_bytes: 8,
            encoding: Encoding::Utf32,
        };
        assert_eq!(unsafe { output.write("é😀") }, (2, true));
        assert_eq!(buffer, [0xe9, 0]);
        assert_eq!(Encoding::Utf32.decode(&Encoding::Utf32.encode("x😀")), "x😀");
        assert_eq!(Encoding::Utf16.decode(&Encoding::Utf16.encode("x😀")), "x😀");
        assert_eq!(Encoding::Utf16.length_of("x😀"), 3);
        assert_eq!(Encoding::wide(), Encoding::Utf16, "no iODBC in the test process");
    }
}
