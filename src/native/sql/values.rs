//! Literals as ClickHouse prints them, read back into values: the rows of `INSERT ... VALUES`,
//! which are sent as blocks as clickhouse-client does, and text written into Array, Map or Tuple
//! columns.

use super::tokens::skip_blanks;
use crate::native::block::Block;
use crate::native::column::Value;
use crate::native::error::{Error, Result};

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

#[cfg(test)]
mod tests {
    use super::*;

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
