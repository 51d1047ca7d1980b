//! The little SQL this client must understand itself: whether a statement is an INSERT, and the
//! literal rows of `INSERT ... VALUES (...)`, which are sent as blocks as clickhouse-client does.

use std::fmt::Write as _;

use super::block::Block;
use super::column::Value;
use super::error::{Error, Result};

/// What follows the head of an INSERT statement.
#[derive(Debug, PartialEq, Eq)]
pub enum InlineData<'a> {
    /// Not an INSERT with inline rows (SELECT, INSERT ... SELECT, INSERT ... VALUES with nothing after).
    None,
    /// `query` ends with `VALUES`; `rows` is the literal text after it.
    Values { query: &'a str, rows: &'a str },
    /// Inline data in another format (`FORMAT CSV ...`), left for the server.
    OtherFormat,
}

/// Skips whitespace and comments; returns the offset of the next token.
fn skip_blanks(text: &[u8], mut at: usize) -> usize {
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
fn skip_quoted(text: &[u8], at: usize) -> usize {
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
fn top_level_words(sql: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
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

/// Byte offsets of the `?` placeholders outside quotes and comments.
pub fn question_marks(sql: &str) -> Vec<usize> {
    let text = sql.as_bytes();
    let mut positions = Vec::new();
    let mut at = 0;
    while at < text.len() {
        at = skip_blanks(text, at);
        match text.get(at) {
            Some(b'\'' | b'"' | b'`') => at = skip_quoted(text, at),
            Some(b'?') => {
                positions.push(at);
                at += 1;
            }
            Some(_) => at += 1,
            None => break,
        }
    }
    positions
}

/// True if the statement's first word is INSERT.
pub fn is_insert(sql: &str) -> bool {
    top_level_words(sql)
        .next()
        .is_some_and(|(start, end)| sql[start..end].eq_ignore_ascii_case("insert"))
}

/// What a statement does, as far as describing its result before it runs is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// SELECT or WITH ... SELECT: a result that `DESCRIBE TABLE (query)` can describe.
    Select,
    /// SHOW, DESCRIBE, EXISTS, EXPLAIN: a result, and reading it changes nothing.
    Inspect,
    /// Anything else (INSERT, DDL, SET, ...), which must not run before it is executed.
    Other,
}

/// The kind of `sql`, from its first word (after any opening parentheses). A top-level INSERT
/// anywhere makes it [`Kind::Other`].
pub fn kind(sql: &str) -> Kind {
    let text = sql.as_bytes();
    let mut at = skip_blanks(text, 0);
    while text.get(at) == Some(&b'(') {
        at = skip_blanks(text, at + 1);
    }
    let end = text[at..]
        .iter()
        .position(|byte| !byte.is_ascii_alphabetic())
        .map_or(text.len(), |length| at + length);
    let writes = top_level_words(sql).any(|(start, end)| sql[start..end].eq_ignore_ascii_case("insert"));
    match sql[at..end].to_ascii_lowercase().as_str() {
        _ if writes => Kind::Other,
        "select" | "with" => Kind::Select,
        "show" | "describe" | "desc" | "exists" | "explain" => Kind::Inspect,
        _ => Kind::Other,
    }
}

/// Splits the literal rows off an `INSERT ... VALUES` statement.
pub fn inline_insert_data(sql: &str) -> InlineData<'_> {
    if !is_insert(sql) {
        return InlineData::None;
    }
    for (start, end) in top_level_words(sql) {
        let word = &sql[start..end];
        if word.eq_ignore_ascii_case("select") || word.eq_ignore_ascii_case("with") {
            return InlineData::None;
        }
        if word.eq_ignore_ascii_case("values") {
            let rows = sql[end..].trim();
            let rows = rows.strip_suffix(';').unwrap_or(rows).trim_end();
            if rows.is_empty() {
                return InlineData::None;
            }
            return InlineData::Values {
                query: &sql[..end],
                rows,
            };
        }
        if word.eq_ignore_ascii_case("format") {
            // The format name follows; anything after it is data.
            let after_format = skip_blanks(sql.as_bytes(), end);
            let name_end = sql[after_format..]
                .find(|c: char| c.is_whitespace())
                .map_or(sql.len(), |offset| after_format + offset);
            return if sql[name_end..].trim().trim_end_matches(';').is_empty() {
                InlineData::None
            } else {
                InlineData::OtherFormat
            };
        }
    }
    InlineData::None
}

/// Parses literal rows `(1, 'a'), (2, NULL)` into `block`, converting each value to its column's type.
pub fn parse_values(rows: &str, block: &mut Block) -> Result<()> {
    let mut parser = Parser {
        text: rows.as_bytes(),
        at: 0,
        what: "VALUES",
    };
    loop {
        parser.skip_blanks();
        if parser.at >= parser.text.len() {
            return Ok(());
        }
        if block.rows() > 0 {
            parser.expect(b',').ok();
            parser.skip_blanks();
        }
        let row_start = parser.at;
        let Value::Tuple(values) = parser.tuple(b'(', b')')? else {
            return Err(parser.error("expected a row in parentheses"));
        };
        if values.len() != block.columns.len() {
            return Err(Error::Usage(format!(
                "row {} at offset {row_start} of VALUES has {} values for {} columns",
                block.rows() + 1,
                values.len(),
                block.columns.len()
            )));
        }
        block.push_row(&values)?;
    }
}

/// One literal as ClickHouse prints it (`[1,2]`, `{'k':1}`, `(1,'x')`, `'text'`, `NULL`): how text
/// written into an Array, Map or Tuple column is read.
pub fn parse_literal(text: &str) -> Result<Value<'static>> {
    let mut parser = Parser {
        text: text.as_bytes(),
        at: 0,
        what: "the literal",
    };
    let value = parser.value()?;
    parser.skip_blanks();
    if parser.at < parser.text.len() {
        return Err(parser.error("unexpected text after the value"));
    }
    Ok(value)
}

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
    /// What is parsed, for messages.
    what: &'static str,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> Error {
        let near: String = String::from_utf8_lossy(&self.text[self.at.min(self.text.len())..])
            .chars()
            .take(20)
            .collect();
        Error::Usage(format!(
            "cannot parse {} at offset {}: {message} (near `{near}`)",
            self.what, self.at
        ))
    }

    fn skip_blanks(&mut self) {
        self.at = skip_blanks(self.text, self.at);
    }

    fn expect(&mut self, byte: u8) -> Result<()> {
        self.skip_blanks();
        if self.text.get(self.at) == Some(&byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected `{}`", byte as char)))
        }
    }

    /// A parenthesised or bracketed list of values.
    fn list(&mut self, open: u8, close: u8) -> Result<Vec<Value<'static>>> {
        self.expect(open)?;
        let mut items = Vec::new();
        self.skip_blanks();
        if self.text.get(self.at) == Some(&close) {
            self.at += 1;
            return Ok(items);
        }
        loop {
            items.push(self.value()?);
            self.skip_blanks();
            match self.text.get(self.at) {
                Some(b',') => self.at += 1,
                Some(&byte) if byte == close => {
                    self.at += 1;
                    return Ok(items);
                }
                _ => return Err(self.error(&format!("expected `,` or `{}`", close as char))),
            }
        }
    }

    fn tuple(&mut self, open: u8, close: u8) -> Result<Value<'static>> {
        Ok(Value::Tuple(self.list(open, close)?))
    }

    fn value(&mut self) -> Result<Value<'static>> {
        self.skip_blanks();
        match self.text.get(self.at) {
            None => Err(self.error("expected a value")),
            Some(b'\'') => self.string(),
            Some(b'(') => self.tuple(b'(', b')'),
            Some(b'[') => Ok(Value::Array(self.list(b'[', b']')?)),
            Some(b'{') => self.map(),
            Some(byte) if byte.is_ascii_digit() || matches!(byte, b'-' | b'+' | b'.') => self.number(),
            Some(byte) if byte.is_ascii_alphabetic() => {
                let start = self.at;
                while self
                    .text
                    .get(self.at)
                    .is_some_and(|byte| byte.is_ascii_alphanumeric() || *byte == b'_')
                {
                    self.at += 1;
                }
                let word = String::from_utf8_lossy(&self.text[start..self.at]).to_ascii_lowercase();
                match word.as_str() {
                    "null" => Ok(Value::Null),
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    "inf" | "nan" => Ok(Value::Text(word)),
                    _ => {
                        self.at = start;
                        Err(self.error("only literal values can be sent in VALUES, not expressions"))
                    }
                }
            }
            Some(_) => Err(self.error("expected a literal value")),
        }
    }

    fn number(&mut self) -> Result<Value<'static>> {
        let start = self.at;
        if matches!(self.text.get(self.at), Some(b'-' | b'+')) {
            self.at += 1;
        }
        while let Some(&byte) = self.text.get(self.at) {
            let exponent_sign = matches!(byte, b'-' | b'+') && matches!(self.text[self.at - 1], b'e' | b'E');
            if byte.is_ascii_alphanumeric() || byte == b'.' || exponent_sign {
                self.at += 1;
            } else {
                break;
            }
        }
        let text = String::from_utf8_lossy(&self.text[start..self.at]).into_owned();
        if text.trim_start_matches(['-', '+']).is_empty() {
            return Err(self.error("expected a number"));
        }
        Ok(Value::Text(text))
    }

    /// A quoted string with ClickHouse escapes; the result may be any bytes.
    fn string(&mut self) -> Result<Value<'static>> {
        self.at += 1;
        let mut bytes = Vec::new();
        loop {
            let Some(&byte) = self.text.get(self.at) else {
                return Err(self.error("unterminated string"));
            };
            self.at += 1;
            match byte {
                b'\'' if self.text.get(self.at) == Some(&b'\'') => {
                    bytes.push(b'\'');
                    self.at += 1;
                }
                b'\'' => return Ok(Value::Blob(bytes)),
                b'\\' => {
                    let Some(&escaped) = self.text.get(self.at) else {
                        return Err(self.error("unterminated string"));
                    };
                    self.at += 1;
                    match escaped {
                        b'n' => bytes.push(b'\n'),
                        b't' => bytes.push(b'\t'),
                        b'r' => bytes.push(b'\r'),
                        b'0' => bytes.push(0),
                        b'b' => bytes.push(0x08),
                        b'f' => bytes.push(0x0c),
                        b'a' => bytes.push(0x07),
                        b'v' => bytes.push(0x0b),
                        b'x' => {
                            let hex = self
                                .text
                                .get(self.at..self.at + 2)
                                .and_then(|pair| std::str::from_utf8(pair).ok());
                            let value = hex.and_then(|pair| u8::from_str_radix(pair, 16).ok());
                            let Some(value) = value else {
                                return Err(self.error("bad \\x escape"));
                            };
                            bytes.push(value);
                            self.at += 2;
                        }
                        other => bytes.push(other),
                    }
                }
                other => bytes.push(other),
            }
        }
    }

    fn map(&mut self) -> Result<Value<'static>> {
        self.expect(b'{')?;
        let mut entries = Vec::new();
        self.skip_blanks();
        if self.text.get(self.at) == Some(&b'}') {
            self.at += 1;
            return Ok(Value::Map(entries));
        }
        loop {
            let key = self.value()?;
            self.expect(b':')?;
            entries.push((key, self.value()?));
            self.skip_blanks();
            match self.text.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Map(entries));
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }
}

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

/// `sql` with `values` in place of its `?` placeholders, as literals; the counts must agree.
pub fn substitute(sql: &str, values: &[Value<'_>]) -> Result<String> {
    let placeholders = question_marks(sql).len();
    if placeholders != values.len() {
        return Err(Error::Usage(format!(
            "the statement has {placeholders} placeholders but {} values were given",
            values.len()
        )));
    }
    substitute_with(sql, |index, out| {
        write_literal(&values[index], out);
        Ok(())
    })
}

/// `sql` with the text `literal` writes for placeholder `index` (from 0) in place of each `?`.
pub fn substitute_with<E>(
    sql: &str,
    mut literal: impl FnMut(usize, &mut String) -> Result<(), E>,
) -> Result<String, E> {
    let positions = question_marks(sql);
    let mut out = String::with_capacity(sql.len() + positions.len() * 8);
    let mut copied = 0;
    for (index, position) in positions.iter().enumerate() {
        out.push_str(&sql[copied..*position]);
        literal(index, &mut out)?;
        copied = position + 1;
    }
    out.push_str(&sql[copied..]);
    Ok(out)
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
    fn substitute_puts_literals_where_the_placeholders_are() {
        let values = [
            Value::Int(-3),
            Value::Text("it's ?".into()),
            Value::Null,
            Value::Float64(f64::NAN),
        ];
        let sql = substitute("SELECT ?, '?', ?, ? -- ?\n, ?", &values).unwrap();
        assert_eq!(sql, "SELECT -3, '?', 'it\\'s ?', NULL -- ?\n, nan");
        assert!(
            substitute("SELECT ?", &[])
                .unwrap_err()
                .to_string()
                .contains("1 placeholders but 0 values")
        );
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

    #[test]
    fn kinds_of_statements() {
        for sql in [
            "SELECT 1",
            " -- c\n ((select 1) UNION ALL (SELECT 2))",
            "WITH 1 AS x SELECT x",
        ] {
            assert_eq!(kind(sql), Kind::Select, "{sql}");
        }
        for sql in [
            "SHOW TABLES",
            "describe t",
            "DESC t",
            "EXISTS TABLE t",
            "/* x */ EXPLAIN SELECT 1",
        ] {
            assert_eq!(kind(sql), Kind::Inspect, "{sql}");
        }
        for sql in [
            "INSERT INTO t SELECT 1",
            "WITH 1 AS x INSERT INTO t SELECT x",
            "CREATE TABLE t AS SELECT 1",
            "DROP TABLE t",
            "SET x = 1",
            "selected",
            "",
            "(",
            "Ünïcode",
        ] {
            assert_eq!(kind(sql), Kind::Other, "{sql}");
        }
    }

    #[test]
    fn finds_placeholders_outside_quotes_and_comments() {
        let sql = "SELECT ?, '?', \"?\", `?` -- ?\n, /* ? */ ?";
        assert_eq!(question_marks(sql), [7, sql.len() - 1]);
        assert_eq!(question_marks("SELECT 'it''s ?' , ?"), [19]);
    }

    #[test]
    fn recognises_inserts() {
        assert!(is_insert("  /* x */ insert into t values (1)"));
        assert!(is_insert("-- comment\nINSERT INTO t FORMAT Native"));
        assert!(!is_insert("SELECT 'insert'"));
    }

    #[test]
    fn splits_inline_values() {
        assert_eq!(
            inline_insert_data("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y');"),
            InlineData::Values {
                query: "INSERT INTO t (a, b) VALUES",
                rows: "(1, 'x'), (2, 'y')"
            }
        );
        assert_eq!(inline_insert_data("INSERT INTO t VALUES"), InlineData::None);
        assert_eq!(
            inline_insert_data("INSERT INTO t SELECT * FROM values('a UInt8', 1)"),
            InlineData::None
        );
        assert_eq!(
            inline_insert_data("INSERT INTO `values` FORMAT CSV 1,2"),
            InlineData::OtherFormat
        );
        assert_eq!(inline_insert_data("INSERT INTO t FORMAT Native"), InlineData::None);
        assert_eq!(inline_insert_data("SELECT 1"), InlineData::None);
    }

    fn block(types: &[&str]) -> Block {
        let mut header = Block::default();
        for (index, type_name) in types.iter().enumerate() {
            header
                .columns
                .push(crate::native::Column::new(format!("c{index}"), *type_name).unwrap());
        }
        Block::with_columns_of(&header)
    }

    #[test]
    fn parses_literal_rows_into_typed_columns() {
        let mut rows = block(&[
            "Int32",
            "Nullable(String)",
            "Array(Float64)",
            "Map(String, UInt8)",
            "Date",
        ]);
        parse_values(
            "(-1, 'it''s \\x41\\n', [1.5, -2e3], {'k': 7}, '2020-01-02'), (2, NULL, [], {}, '1970-01-01')",
            &mut rows,
        )
        .unwrap();
        assert_eq!(rows.rows(), 2);
        assert_eq!(rows.columns[0].value(0), Value::Int(-1));
        assert_eq!(rows.columns[1].value(0), Value::Bytes(b"it's A\n"));
        assert_eq!(rows.columns[1].value(1), Value::Null);
        assert_eq!(
            rows.columns[2].value(0),
            Value::Array(vec![Value::Float64(1.5), Value::Float64(-2000.0)])
        );
        assert_eq!(rows.columns[3].value(0).to_string(), "{'k':7}");
        assert_eq!(rows.columns[4].value(0), Value::Date(18_263));
    }

    #[test]
    fn parses_one_literal_and_nothing_after_it() {
        assert_eq!(
            parse_literal(" [1, 'a'] ").unwrap(),
            Value::Array(vec![Value::Text("1".into()), Value::Blob(b"a".to_vec())])
        );
        assert_eq!(
            parse_literal("{'k':(1,NULL)}").unwrap(),
            Value::Map(vec![(
                Value::Blob(b"k".to_vec()),
                Value::Tuple(vec![Value::Text("1".into()), Value::Null])
            )])
        );
        assert!(parse_literal("[1] [2]").is_err());
        assert!(parse_literal("").is_err());
    }

    #[test]
    fn rejects_what_it_cannot_send() {
        let mut rows = block(&["UInt8"]);
        assert!(parse_values("(now())", &mut rows).is_err());
        assert!(parse_values("(300)", &mut rows).is_err());
        assert!(parse_values("('unterminated)", &mut rows).is_err());
        assert_eq!(rows.rows(), 0);
        let mut two = block(&["UInt8", "String"]);
        assert!(parse_values("(1)", &mut two).is_err());
    }
}
