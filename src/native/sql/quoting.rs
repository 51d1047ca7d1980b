//! Values written as ClickHouse SQL: string literals, identifiers, parameters and settings.

use std::fmt::Write as _;

use crate::native::column::Value;

/// A string literal: `'...'` with backslash, quote and NUL escaped.
pub fn quote_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quote_bytes(text.as_bytes(), &mut quoted);
    quoted
}

/// Quotes bytes as a ClickHouse string literal; bytes that are not UTF-8 are kept as `\xHH`.
pub fn quote_bytes(bytes: &[u8], out: &mut String) {
    out.push('\'');
    for chunk in bytes.utf8_chunks() {
        for character in chunk.valid().chars() {
            match character {
                '\\' => out.push_str("\\\\"),
                '\'' => out.push_str("\\'"),
                '\0' => out.push_str("\\0"),
                other => out.push(other),
            }
        }
        for byte in chunk.invalid() {
            write!(out, "\\x{byte:02X}").unwrap_or_default();
        }
    }
    out.push('\'');
}

/// Appends a parameter value as an SQL literal.
pub fn write_literal(value: &Value<'_>, out: &mut String) {
    match value {
        Value::Bytes(bytes) => quote_bytes(bytes, out),
        Value::Blob(bytes) => quote_bytes(bytes, out),
        Value::Text(text) => quote_bytes(text.as_bytes(), out),
        Value::Bool(flag) => out.push_str(if *flag { "1" } else { "0" }),
        Value::Float32(number) => write_float(f64::from(*number), out),
        Value::Float64(number) => write_float(*number, out),
        Value::Date(_) | Value::DateTime { .. } | Value::DateTime64 { .. } | Value::Uuid(_) => {
            quote_bytes(value.to_string().as_bytes(), out)
        }
        // A typed literal: a bare one is a Float64, which loses digits and which 18.16 cannot
        // compare with a Decimal column.
        Value::Decimal { scale, .. } => write!(out, "toDecimal128('{value}', {scale})").unwrap_or_default(),
        other => write!(out, "{other}").unwrap_or_default(),
    }
}

fn write_float(value: f64, out: &mut String) {
    // inf and nan are identifiers in ClickHouse SQL, not literals of any other meaning.
    match value {
        value if value.is_nan() => out.push_str("nan"),
        value if value.is_infinite() => out.push_str(if value > 0.0 { "inf" } else { "-inf" }),
        value => write!(out, "{value:?}").unwrap_or_default(),
    }
}

/// A setting's value as a literal servers before revision 54429 accept in `SET`: they convert a
/// number but not a string to a numeric setting, so numbers (and booleans, as 1 and 0) are written
/// bare and anything else as a string.
pub fn literal_for_old_servers(value: &str) -> String {
    let value = value.trim();
    match value.to_ascii_lowercase().as_str() {
        "true" => return "1".to_string(),
        "false" => return "0".to_string(),
        _ => {}
    }
    let is_number =
        value.parse::<i64>().is_ok() || value.parse::<u64>().is_ok() || value.parse::<f64>().is_ok_and(f64::is_finite);
    if is_number && !value.starts_with('+') && !value.contains(['e', 'E']) {
        value.to_string()
    } else {
        quote_string(value)
    }
}

/// A backquoted identifier, with backslash and backquote escaped.
pub fn quote_identifier(name: &str) -> String {
    format!("`{}`", name.replace('\\', "\\\\").replace('`', "\\`"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_quoted_and_escaped() {
        let mut out = String::new();
        quote_bytes(b"it's \\ a\0b \xff\xfe \xc3\xa9", &mut out);
        assert_eq!(out, "'it\\'s \\\\ a\\0b \\xFF\\xFE é'");
    }

    #[test]
    fn quoting_escapes_what_would_end_the_literal() {
        assert_eq!(quote_string("it's \\ a\0b é"), "'it\\'s \\\\ a\\0b é'");
        assert_eq!(quote_identifier("a`b\\c"), "`a\\`b\\\\c`");
        let literals =
            ["4", "-1", "2.5", "TRUE", "false", "abc", "1e5", "inf", "+3", "it's"].map(literal_for_old_servers);
        assert_eq!(
            literals,
            [
                "4", "-1", "2.5", "1", "0", "'abc'", "'1e5'", "'inf'", "'+3'", "'it\\'s'"
            ]
        );
    }
}
