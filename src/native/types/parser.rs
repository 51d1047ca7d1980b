//! The parser of type names: a cursor over the name that builds the [`DataType`] tree, with
//! bounds that keep a hostile name from exhausting the stack or memory.

use std::fmt;
use std::ops::RangeInclusive;

use super::DataType;
use crate::native::Error;

/// Deeper than any real schema; bounds the recursion so a hostile name cannot exhaust a small thread stack.
pub(super) const MAX_NESTING: usize = 100;

/// The server refuses larger FixedString sizes (`MAX_FIXEDSTRING_SIZE`), so larger ones are corrupt input.
const MAX_FIXED_STRING: usize = 0xFF_FFFF;

const MAX_DECIMAL_PRECISION: u8 = 76;

/// Parses a type name as the server sends it in block headers.
pub(super) fn parse(name: &str) -> Result<DataType, Error> {
    let mut parser = Parser {
        source: name,
        position: 0,
        depth: 0,
    };
    let data_type = parser.data_type()?;
    parser.skip_whitespace();
    if parser.peek().is_some() {
        return Err(parser.expected("end of type name"));
    }
    Ok(data_type)
}

/// `Tuple(Float64, Float64)`: the element of every geo type.
fn point() -> DataType {
    DataType::Tuple(vec![(None, DataType::Float64), (None, DataType::Float64)])
}

fn array_of(element: DataType) -> DataType {
    DataType::Array(Box::new(element))
}

/// A cursor over the type name. Positions are byte offsets that always sit on char boundaries,
/// because the cursor only ever advances by whole chars.
struct Parser<'a> {
    source: &'a str,
    position: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn data_type(&mut self) -> Result<DataType, Error> {
        if self.depth > MAX_NESTING {
            return Err(self.error(format_args!("types are nested more than {MAX_NESTING} levels deep")));
        }
        self.depth += 1;
        let data_type = self.named_type();
        self.depth -= 1;
        data_type
    }

    fn named_type(&mut self) -> Result<DataType, Error> {
        self.skip_whitespace();
        let start = self.position;
        let name = self.identifier().ok_or_else(|| self.expected("a type name"))?;
        if let Some(data_type) = argumentless_type(name) {
            if self.eat('(') {
                return Err(self.error_at(start, format_args!("type `{name}` takes no arguments")));
            }
            return Ok(data_type);
        }
        match name {
            "Nullable" => self.wrapper(DataType::Nullable),
            "Array" => self.wrapper(DataType::Array),
            "LowCardinality" => self.wrapper(DataType::LowCardinality),
            "Tuple" => self
                .arguments(|p| p.comma_separated(Self::tuple_element))
                .map(DataType::Tuple),
            "Map" => self.arguments(|p| {
                let key = p.data_type()?;
                p.expect(',')?;
                Ok(DataType::Map(Box::new(key), Box::new(p.data_type()?)))
            }),
            "SimpleAggregateFunction" => self.arguments(|p| {
                let function = p.aggregate_function()?;
                p.expect(',')?;
                Ok(DataType::SimpleAggregateFunction {
                    function,
                    inner: Box::new(p.data_type()?),
                })
            }),
            _ => self.leaf_type_with_arguments(name, start),
        }
    }

    /// A type with one type argument, such as `Nullable(T)`.
    fn wrapper(&mut self, wrap: fn(Box<DataType>) -> DataType) -> Result<DataType, Error> {
        self.arguments(Self::data_type).map(|inner| wrap(Box::new(inner)))
    }

    /// Types whose arguments are numbers or strings. Kept apart from [`Self::named_type`] so the
    /// recursive path has a small stack frame.
    fn leaf_type_with_arguments(&mut self, name: &str, start: usize) -> Result<DataType, Error> {
        let data_type = match name {
            "FixedString" => {
                DataType::FixedString(self.arguments(|p| p.number("FixedString length", 1..=MAX_FIXED_STRING))?)
            }
            "Decimal" => self.arguments(|p| {
                let precision = p.number("Decimal precision", 1..=MAX_DECIMAL_PRECISION)?;
                let scale = if p.eat(',') {
                    p.number("Decimal scale", 0..=precision)?
                } else {
                    0
                };
                Ok(DataType::Decimal { precision, scale })
            })?,
            "Decimal32" => self.decimal_with_precision(9)?,
            "Decimal64" => self.decimal_with_precision(18)?,
            "Decimal128" => self.decimal_with_precision(38)?,
            "Decimal256" => self.decimal_with_precision(MAX_DECIMAL_PRECISION)?,
            "DateTime" => {
                let timezone = if self.peek_token() == Some('(') {
                    Some(self.arguments(Self::quoted_string)?)
                } else {
                    None
                };
                DataType::DateTime { timezone }
            }
            "DateTime64" => self.arguments(|p| {
                let precision = p.number("DateTime64 precision", 0..=9)?;
                let timezone = if p.eat(',') { Some(p.quoted_string()?) } else { None };
                Ok(DataType::DateTime64 { precision, timezone })
            })?,
            "Enum8" => DataType::Enum8(self.enum_entries("Enum8", i8::MIN.into()..=i8::MAX.into())?),
            "Enum16" => DataType::Enum16(self.enum_entries("Enum16", i16::MIN..=i16::MAX)?),
            _ => return Err(self.unsupported(start)),
        };
        Ok(data_type)
    }

    /// `Decimal32(S)` and friends: the precision is implied by the name.
    fn decimal_with_precision(&mut self, precision: u8) -> Result<DataType, Error> {
        let scale = self.arguments(|p| p.number("Decimal scale", 0..=precision))?;
        Ok(DataType::Decimal { precision, scale })
    }

    fn enum_entries(&mut self, kind: &str, values: RangeInclusive<i16>) -> Result<Vec<(String, i16)>, Error> {
        self.arguments(|p| {
            p.comma_separated(|p| {
                let name = p.quoted_string()?;
                p.expect('=')?;
                Ok((name, p.number(&format!("{kind} value"), values.clone())?))
            })
        })
    }

    /// `Type`, `name Type`, or a name quoted with backticks or double quotes before the type.
    fn tuple_element(&mut self) -> Result<(Option<String>, DataType), Error> {
        let name = match self.peek_token() {
            Some(quote @ ('`' | '"')) => Some(self.quoted(quote)?),
            _ => {
                let checkpoint = self.position;
                match self.identifier() {
                    // A type name is never followed by another word, so two words mean `name Type`.
                    Some(name) if self.peek_token().is_some_and(starts_identifier) => Some(name.to_owned()),
                    _ => {
                        self.position = checkpoint;
                        None
                    }
                }
            }
        };
        Ok((name, self.data_type()?))
    }

    /// The function of a SimpleAggregateFunction, kept verbatim with its parameters (`quantiles(0.5, 0.9)`).
    fn aggregate_function(&mut self) -> Result<String, Error> {
        self.skip_whitespace();
        let start = self.position;
        self.identifier()
            .ok_or_else(|| self.expected("an aggregate function name"))?;
        let mut end = self.position;
        if self.peek_token() == Some('(') {
            self.skip_arguments()?;
            end = self.position;
        }
        Ok(self.source[start..end].to_owned())
    }

    /// Names the unsupported type with its arguments, so the message shows what the server sent.
    fn unsupported(&mut self, start: usize) -> Error {
        let mut end = self.position;
        if self.peek_token() == Some('(') {
            if let Err(error) = self.skip_arguments() {
                return error;
            }
            end = self.position;
        }
        let type_name = &self.source[start..end];
        if type_name == self.source.trim() {
            Error::Type(format!("unsupported ClickHouse type `{type_name}`"))
        } else {
            Error::Type(format!(
                "unsupported ClickHouse type `{type_name}` in `{}`",
                self.source
            ))
        }
    }

    /// `( item )` around whatever `item` parses.
    fn arguments<T>(&mut self, item: impl FnOnce(&mut Self) -> Result<T, Error>) -> Result<T, Error> {
        self.expect('(')?;
        let value = item(self)?;
        self.expect(')')?;
        Ok(value)
    }

    /// One or more items separated by commas.
    fn comma_separated<T>(&mut self, mut item: impl FnMut(&mut Self) -> Result<T, Error>) -> Result<Vec<T>, Error> {
        let mut items = vec![item(self)?];
        while self.eat(',') {
            items.push(item(self)?);
        }
        Ok(items)
    }

    /// Skips a parenthesized list without interpreting it, minding nested parentheses and quotes.
    fn skip_arguments(&mut self) -> Result<(), Error> {
        self.expect('(')?;
        let mut depth = 1;
        while depth > 0 {
            match self.peek_token() {
                Some('(') => depth += 1,
                Some(')') => depth -= 1,
                Some(quote @ ('\'' | '`' | '"')) => {
                    self.quoted(quote)?;
                    continue;
                }
                Some(_) => {}
                None => return Err(self.expected("`)`")),
            }
            self.advance();
        }
        Ok(())
    }

    /// A signed decimal integer that must lie in `range`.
    fn number<T>(&mut self, what: &str, range: RangeInclusive<T>) -> Result<T, Error>
    where
        T: TryFrom<i64> + PartialOrd + fmt::Display,
    {
        self.skip_whitespace();
        let start = self.position;
        if self.peek() == Some('-') {
            self.advance();
        }
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.advance();
        }
        let digits = &self.source[start..self.position];
        if digits.is_empty() || digits == "-" {
            self.position = start;
            return Err(self.expected(what));
        }
        digits
            .parse::<i64>()
            .ok()
            .and_then(|value| T::try_from(value).ok())
            .filter(|value| range.contains(value))
            .ok_or_else(|| {
                self.error_at(
                    start,
                    format_args!("{what} {digits} is out of range {}..={}", range.start(), range.end()),
                )
            })
    }

    fn quoted_string(&mut self) -> Result<String, Error> {
        self.quoted('\'')
    }

    /// A string between `quote`s with ClickHouse escapes (`\n`, `\xHH`, `\'`, ...) or a doubled quote.
    /// Escapes may produce single bytes, so the text is assembled as bytes and checked to be UTF-8.
    fn quoted(&mut self, quote: char) -> Result<String, Error> {
        self.skip_whitespace();
        let start = self.position;
        if !self.eat(quote) {
            return Err(self.expected(&format!("a string quoted with {quote}")));
        }
        let mut bytes = Vec::new();
        loop {
            let Some(c) = self.next_char() else {
                return Err(self.error_at(start, "unterminated quoted string"));
            };
            match c {
                '\\' => self.escape(&mut bytes)?,
                c if c == quote && self.peek() == Some(quote) => {
                    self.advance();
                    push_char(&mut bytes, quote);
                }
                c if c == quote => break,
                c => push_char(&mut bytes, c),
            }
        }
        String::from_utf8(bytes).map_err(|_| self.error_at(start, "quoted string is not valid UTF-8"))
    }

    /// Decodes the escape after a backslash; unknown escapes stand for the escaped char itself.
    fn escape(&mut self, bytes: &mut Vec<u8>) -> Result<(), Error> {
        let escape_start = self.position - 1;
        let byte = match self.next_char() {
            Some('n') => b'\n',
            Some('t') => b'\t',
            Some('r') => b'\r',
            Some('0') => b'\0',
            Some('a') => 0x07,
            Some('b') => 0x08,
            Some('e') => 0x1B,
            Some('f') => 0x0C,
            Some('v') => 0x0B,
            Some('x') => {
                let mut hex_digit = || {
                    self.next_char()
                        .and_then(|c| c.to_digit(16))
                        .and_then(|d| u8::try_from(d).ok())
                };
                let (Some(high), Some(low)) = (hex_digit(), hex_digit()) else {
                    return Err(self.error_at(escape_start, "`\\x` must be followed by two hex digits"));
                };
                high << 4 | low
            }
            Some(other) => {
                push_char(bytes, other);
                return Ok(());
            }
            None => return Err(self.error_at(escape_start, "unterminated quoted string")),
        };
        bytes.push(byte);
        Ok(())
    }

    /// An ASCII word such as `UInt8` or a tuple element name; `None` (consuming nothing) otherwise.
    fn identifier(&mut self) -> Option<&'a str> {
        self.skip_whitespace();
        let start = self.position;
        if !self.peek().is_some_and(starts_identifier) {
            return None;
        }
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            self.advance();
        }
        Some(&self.source[start..self.position])
    }

    fn expect(&mut self, symbol: char) -> Result<(), Error> {
        if self.eat(symbol) {
            Ok(())
        } else {
            Err(self.expected(&format!("`{symbol}`")))
        }
    }

    fn eat(&mut self, symbol: char) -> bool {
        let matched = self.peek_token() == Some(symbol);
        if matched {
            self.advance();
        }
        matched
    }

    /// The next char that is not whitespace, leaving the cursor on it.
    fn peek_token(&mut self) -> Option<char> {
        self.skip_whitespace();
        self.peek()
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.advance();
        }
    }

    fn peek(&self) -> Option<char> {
        self.source[self.position..].chars().next()
    }

    fn next_char(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.position += c.len_utf8();
        Some(c)
    }

    fn advance(&mut self) {
        self.next_char();
    }

    fn expected(&self, what: &str) -> Error {
        match self.peek() {
            Some(found) => self.error(format_args!("expected {what}, found `{found}`")),
            None => self.error(format_args!("expected {what}, found end of input")),
        }
    }

    fn error(&self, message: impl fmt::Display) -> Error {
        self.error_at(self.position, message)
    }

    /// `position` is a byte offset; the message counts chars, as a reader of the name would.
    fn error_at(&self, position: usize, message: impl fmt::Display) -> Error {
        let offset = self.source[..position].chars().count();
        Error::Type(format!(
            "cannot parse type name `{}`: {message} at offset {offset}",
            self.source
        ))
    }
}

/// Types written as a bare name, including the aliases the server may send in their place.
fn argumentless_type(name: &str) -> Option<DataType> {
    let data_type = match name {
        "UInt8" => DataType::UInt8,
        "UInt16" => DataType::UInt16,
        "UInt32" => DataType::UInt32,
        "UInt64" => DataType::UInt64,
        "UInt128" => DataType::UInt128,
        "UInt256" => DataType::UInt256,
        "Int8" => DataType::Int8,
        "Int16" => DataType::Int16,
        "Int32" => DataType::Int32,
        "Int64" => DataType::Int64,
        "Int128" => DataType::Int128,
        "Int256" => DataType::Int256,
        "Float32" => DataType::Float32,
        "Float64" => DataType::Float64,
        "Bool" | "Boolean" => DataType::Bool,
        "String" => DataType::String,
        "Date" => DataType::Date,
        "Date32" => DataType::Date32,
        "UUID" => DataType::Uuid,
        "IPv4" => DataType::IPv4,
        "IPv6" => DataType::IPv6,
        "Nothing" => DataType::Nothing,
        "Point" => point(),
        "Ring" | "LineString" => array_of(point()),
        "MultiLineString" | "Polygon" => array_of(array_of(point())),
        "MultiPolygon" => array_of(array_of(array_of(point()))),
        // Intervals are stored as the Int64 count of their unit.
        interval if interval.starts_with("Interval") => DataType::Int64,
        _ => return None,
    };
    Some(data_type)
}

pub(super) fn starts_identifier(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn push_char(bytes: &mut Vec<u8>, c: char) {
    bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
}
