//! The shapes the date, time and timestamp escapes (`{d ...}`, `{t ...}`, `{ts ...}`) accept.

/// Whether `text` has the shape of `pattern`, where `9` stands for any digit.
fn has_shape(text: &str, pattern: &str) -> bool {
    text.len() == pattern.len()
        && text
            .bytes()
            .zip(pattern.bytes())
            .all(|(byte, expected)| match expected {
                b'9' => byte.is_ascii_digit(),
                _ => byte == expected,
            })
}

pub(super) fn is_date(text: &str) -> bool {
    has_shape(text, "9999-99-99")
}

pub(super) fn is_time(text: &str) -> bool {
    has_shape(text, "99:99:99")
}

/// `yyyy-mm-dd hh:mm:ss` with an optional fraction of up to 9 digits.
pub(super) fn is_timestamp(text: &str) -> bool {
    let (whole_seconds, fraction) = match text.split_once('.') {
        Some((whole_seconds, fraction)) => (whole_seconds, Some(fraction)),
        None => (text, None),
    };
    has_shape(whole_seconds, "9999-99-99 99:99:99")
        && fraction
            .is_none_or(|digits| (1..=9).contains(&digits.len()) && digits.bytes().all(|byte| byte.is_ascii_digit()))
}
