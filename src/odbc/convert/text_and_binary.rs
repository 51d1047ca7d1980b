//! Text and binary values (SQL_C_CHAR, SQL_C_WCHAR, SQL_C_BINARY), which come in pieces when the
//! buffer is too small: 01004, and the rest with the next call.

use std::borrow::Cow;

use super::{Outcome, Progress, Target};
use crate::native::Value;
use crate::odbc::diag::Diagnostic;
use crate::odbc::text::Encoding;

/// ClickHouse's text of a value, with bits as `0`/`1` as ODBC wants them.
pub(super) fn text_of<'a>(value: &'a Value<'a>) -> Cow<'a, str> {
    match value {
        Value::Bool(flag) => Cow::Borrowed(if *flag { "1" } else { "0" }),
        other => match other.as_str() {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(other.to_string()),
        },
    }
}

/// SQL_C_CHAR keeps string bytes as they are (UTF-8 by convention, not checked).
pub(super) fn char_bytes<'a>(value: &'a Value<'a>) -> Cow<'a, [u8]> {
    match value {
        Value::Bytes(bytes) => Cow::Borrowed(bytes),
        Value::Blob(bytes) => Cow::Borrowed(bytes),
        other => match text_of(other) {
            Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
            Cow::Owned(text) => Cow::Owned(text.into_bytes()),
        },
    }
}

pub(super) fn binary_bytes<'a>(value: &'a Value<'a>) -> Cow<'a, [u8]> {
    match value {
        Value::Uuid(bytes) => Cow::Borrowed(bytes),
        other => char_bytes(other),
    }
}

/// Writes `text` as NUL-terminated SQLWCHARs (`wide`: UTF-16 or UTF-32) straight into the buffer if
/// all of it fits (the common case, with no intermediate copy); `false` leaves the value to the
/// chunked path.
pub(super) unsafe fn write_wide_whole(text: &str, wide: Encoding, target: &Target) -> bool {
    let unit = wide.unit_size();
    let room = usize::try_from(target.capacity).unwrap_or(0) / unit;
    // Neither needs more units than UTF-8 has bytes, so a short enough text always fits.
    if target.buffer.is_null() || room == 0 || (text.len() >= room && wide.length_of(text) >= room) {
        return false;
    }
    let mut written = 0;
    let mut put = |value: u32| {
        let at = target.buffer.wrapping_add(written * unit);
        // SAFETY: fewer than `room` units are written, as counted above; the buffer may be unaligned.
        unsafe {
            match wide {
                Encoding::Utf32 => at.cast::<u32>().write_unaligned(value),
                _ => at.cast::<u16>().write_unaligned(value as u16),
            }
        }
        written += 1;
    };
    match wide {
        Encoding::Utf32 => text.chars().for_each(|character| put(character.into())),
        _ => text.encode_utf16().for_each(|unit| put(unit.into())),
    }
    put(0);
    if !target.length.is_null() {
        // SAFETY: the length is valid, as the caller promises.
        unsafe { target.length.write_unaligned(((written - 1) * unit) as isize) };
    }
    true
}

/// Writes the next piece of a variable-length value; the indicator gets the bytes still left.
pub(super) unsafe fn write_in_chunks(
    bytes: &[u8],
    terminator: usize,
    target: &Target,
    progress: &mut Progress,
) -> Result<Outcome, Diagnostic> {
    let start = match *progress {
        Progress::Partial(offset) => offset,
        _ => 0,
    };
    let remaining = &bytes[start.min(bytes.len())..];
    let room = usize::try_from(target.capacity).unwrap_or(0).saturating_sub(terminator);
    // Whole code units only: SQLWCHARs are two or four bytes.
    let written = remaining.len().min(room - room % terminator.max(1));
    if !target.buffer.is_null() && usize::try_from(target.capacity).unwrap_or(0) >= terminator {
        // SAFETY: `written + terminator <= capacity` bytes are writable, as the caller promises.
        unsafe {
            std::ptr::copy_nonoverlapping(remaining.as_ptr(), target.buffer, written);
            std::ptr::write_bytes(target.buffer.add(written), 0, terminator);
        }
    }
    if !target.length.is_null() {
        // SAFETY: the length is valid, as the caller promises.
        unsafe { target.length.write_unaligned(remaining.len() as isize) };
    }
    if written < remaining.len() {
        *progress = Progress::Partial(start + written);
        Ok(Outcome::Warning(Diagnostic::truncated()))
    } else {
        *progress = Progress::Done;
        Ok(Outcome::Complete)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::target;
    use super::super::{c_type, get_data};
    use super::*;

    #[test]
    fn text_comes_in_chunks_with_01004() {
        let value = Value::Bytes(b"abcdefgh");
        let (mut buffer, mut indicator, mut progress) = ([0u8; 4], 0isize, Progress::Untouched);
        let mut next = |buffer: &mut [u8; 4], indicator: &mut isize| unsafe {
            get_data(&value, c_type::CHAR, &target(buffer, indicator), &mut progress)
        };
        let outcome = next(&mut buffer, &mut indicator);
        assert!(matches!(outcome, Ok(Outcome::Warning(ref d)) if d.sqlstate == "01004"));
        assert_eq!((&buffer, indicator), (b"abc\0", 8));
        let outcome = next(&mut buffer, &mut indicator);
        assert!(matches!(outcome, Ok(Outcome::Warning(_))));
        assert_eq!((&buffer, indicator), (b"def\0", 5));
        assert_eq!(next(&mut buffer, &mut indicator), Ok(Outcome::Complete));
        assert_eq!((&buffer[..3], indicator), (&b"gh\0"[..], 2));
        assert_eq!(next(&mut buffer, &mut indicator), Ok(Outcome::NoData));
    }

    #[test]
    fn wide_text_counts_bytes_and_keeps_whole_units() {
        let value = Value::Text("héllo".into());
        let (mut buffer, mut indicator, mut progress) = ([0u8; 7], 0isize, Progress::Untouched);
        let outcome = unsafe {
            get_data(
                &value,
                c_type::WCHAR,
                &target(&mut buffer, &mut indicator),
                &mut progress,
            )
        };
        assert!(matches!(outcome, Ok(Outcome::Warning(_))));
        assert_eq!(indicator, 10);
        assert_eq!(&buffer[..6], &[b'h', 0, 0xe9, 0, 0, 0]);
    }
}
