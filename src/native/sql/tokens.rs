//! The tokens of a statement as far as this client reads them: blanks and comments, quoted
//! tokens, and top-level words.

/// Skips whitespace and comments; returns the offset of the next token.
pub(super) fn skip_blanks(text: &[u8], mut at: usize) -> usize {
    loop {
        while at < text.len() && text[at].is_ascii_whitespace() {
            at += 1;
        }
        if text[at..].starts_with(b"--") || text[at..].starts_with(b"#") {
            while at < text.len() && text[at] != b'\n' {
                at += 1;
            }
        } else if text[at..].starts_with(b"/*") {
            at = text[at + 2..]
                .windows(2)
                .position(|pair| pair == b"*/")
                .map_or(text.len(), |end| at + 2 + end + 2);
        } else {
            return at;
        }
    }
}

/// Whether `byte` may be part of a word (a keyword or a bare identifier).
pub fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// The offset after the quoted token starting at `at` (whose quote is `text[at]`), or None if unterminated.
/// A quote is escaped by doubling it or with a backslash, as ClickHouse's lexer reads it.
pub fn quoted_end(text: &[u8], at: usize) -> Option<usize> {
    let quote = text[at];
    let mut index = at + 1;
    while index < text.len() {
        match text[index] {
            b'\\' => index += 2,
            byte if byte == quote && text.get(index + 1) == Some(&quote) => index += 2,
            byte if byte == quote => return Some(index + 1),
            _ => index += 1,
        }
    }
    None
}

/// Top-level tokens of a statement: words in upper case with their offsets, other tokens skipped.
pub(super) fn top_level_words(sql: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let text = sql.as_bytes();
    let mut at = 0;
    let mut depth = 0usize;
    std::iter::from_fn(move || {
        loop {
            at = skip_blanks(text, at);
            let byte = *text.get(at)?;
            match byte {
                b'\'' | b'"' | b'`' => at = quoted_end(text, at).unwrap_or(text.len()),
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    at += 1;
                }
                b')' | b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    at += 1;
                }
                byte if is_word_byte(byte) => {
                    let start = at;
                    while at < text.len() && (is_word_byte(text[at]) || text[at] == b'.') {
                        at += 1;
                    }
                    if depth == 0 {
                        return Some((start, at));
                    }
                }
                _ => at += 1,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_tokens_end_after_their_closing_quote() {
        assert_eq!(quoted_end(b"'ab' x", 0), Some(4));
        assert_eq!(quoted_end(b"x `a``b` y", 2), Some(8));
        assert_eq!(quoted_end(br#""a\"b" y"#, 0), Some(6));
        assert_eq!(quoted_end(b"'it''s", 0), None);
        assert_eq!(quoted_end(b"'\\", 0), None);
    }
}
