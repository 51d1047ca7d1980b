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

/// The end of a quoted token starting at `at` (the quote character is `text[at]`).
pub(super) fn skip_quoted(text: &[u8], at: usize) -> usize {
    let quote = text[at];
    let mut index = at + 1;
    while index < text.len() {
        match text[index] {
            b'\\' => index += 2,
            byte if byte == quote => {
                if text.get(index + 1) == Some(&quote) {
                    index += 2;
                } else {
                    return index + 1;
                }
            }
            _ => index += 1,
        }
    }
    text.len()
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
                b'\'' | b'"' | b'`' => at = skip_quoted(text, at),
                b'(' | b'[' | b'{' => {
                    depth += 1;
                    at += 1;
                }
                b')' | b']' | b'}' => {
                    depth = depth.saturating_sub(1);
                    at += 1;
                }
                byte if byte.is_ascii_alphanumeric() || byte == b'_' => {
                    let start = at;
                    while at < text.len() && (text[at].is_ascii_alphanumeric() || text[at] == b'_' || text[at] == b'.')
                    {
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
