//! ClickHouse data types: the tree that a type name such as `Array(Nullable(String))` parses into.
//!
//! The tree drives how columns are read and written; [`std::fmt::Display`] writes the canonical name
//! back in the form the server itself sends (`Decimal(9, 2)`, `DateTime('UTC')`, `Enum8('a' = 1)`).

use std::fmt;
use std::ops::RangeInclusive;

use crate::native::Error;

/// One ClickHouse type. Aliases are resolved while parsing (`Decimal32(2)` is `Decimal { 9, 2 }`,
/// `Point` is `Tuple(Float64, Float64)`), so every variant has exactly one wire encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataType {
    UInt8,
    UInt16,
    UInt32,
    UInt64,
    UInt128,
    UInt256,
    Int8,
    Int16,
    Int32,
    Int64,
    Int128,
    Int256,
    Float32,
    Float64,
    Bool,
    /// Stored as Int32/Int64/Int128/Int256 of the unscaled value, chosen by precision (≤9, ≤18, ≤38, ≤76).
    Decimal {
        precision: u8,
        scale: u8,
    },
    /// Arbitrary bytes; not necessarily UTF-8.
    String,
    FixedString(usize),
    /// UInt16 days since 1970-01-01.
    Date,
    /// Int32 days since 1970-01-01.
    Date32,
    /// UInt32 seconds since the epoch; the zone only changes how the value is shown.
    DateTime {
        timezone: Option<String>,
    },
    /// Int64 ticks of 10^-precision seconds since the epoch.
    DateTime64 {
        precision: u8,
        timezone: Option<String>,
    },
    Uuid,
    /// Int8 values with their names, in declaration order.
    Enum8(Vec<(String, i16)>),
    /// Int16 values with their names, in declaration order.
    Enum16(Vec<(String, i16)>),
    IPv4,
    IPv6,
    /// Only ever NULL; one placeholder byte per row.
    Nothing,
    Nullable(Box<DataType>),
    Array(Box<DataType>),
    /// Elements with their names when the tuple is named (`Tuple(a UInt8, b String)`).
    Tuple(Vec<(Option<String>, DataType)>),
    Map(Box<DataType>, Box<DataType>),
    LowCardinality(Box<DataType>),
    /// Encoded exactly as its argument type; the function name is kept for reporting.
    SimpleAggregateFunction {
        function: String,
        inner: Box<DataType>,
    },
}

/// Deeper than any real schema; bounds the recursion so a hostile name cannot exhaust a small thread stack.
const MAX_NESTING: usize = 100;

/// The server refuses larger FixedString sizes (`MAX_FIXEDSTRING_SIZE`), so larger ones are corrupt input.
const MAX_FIXED_STRING: usize = 0xFF_FFFF;

const MAX_DECIMAL_PRECISION: u8 = 76;

impl DataType {
    /// Parses a type name as the server sends it in block headers, e.g. `LowCardinality(Nullable(String))`.
    pub fn parse(name: &str) -> Result<DataType, Error> {
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

    /// Bytes per row when every row has the same size, `None` for variable or composite layouts.
    /// Gives DateTime and DateTime64 without a zone of their own, also nested ones, the zone
    /// `timezone`: the server shows them in its zone.
    pub fn assume_timezone(&mut self, timezone: &str) {
        match self {
            DataType::DateTime { timezone: zone @ None }
            | DataType::DateTime64 {
                timezone: zone @ None, ..
            } => {
                *zone = Some(timezone.to_string());
            }
            DataType::Nullable(inner)
            | DataType::Array(inner)
            | DataType::LowCardinality(inner)
            | DataType::SimpleAggregateFunction { inner, .. } => inner.assume_timezone(timezone),
            DataType::Map(key, value) => {
                key.assume_timezone(timezone);
                value.assume_timezone(timezone);
            }
            DataType::Tuple(elements) => {
                for (_, element) in elements {
                    element.assume_timezone(timezone);
                }
            }
            _ => {}
        }
    }

    pub fn fixed_width(&self) -> Option<usize> {
        let width = match self {
            DataType::UInt8 | DataType::Int8 | DataType::Bool | DataType::Enum8(_) | DataType::Nothing => 1,
            DataType::UInt16 | DataType::Int16 | DataType::Date | DataType::Enum16(_) => 2,
            DataType::UInt32
            | DataType::Int32
            | DataType::Float32
            | DataType::Date32
            | DataType::DateTime { .. }
            | DataType::IPv4 => 4,
            DataType::UInt64 | DataType::Int64 | DataType::Float64 | DataType::DateTime64 { .. } => 8,
            DataType::UInt128 | DataType::Int128 | DataType::Uuid | DataType::IPv6 => 16,
            DataType::UInt256 | DataType::Int256 => 32,
            DataType::Decimal { precision, .. } => match precision {
                0..=9 => 4,
                10..=18 => 8,
                19..=38 => 16,
                _ => 32,
            },
            DataType::FixedString(length) => *length,
            DataType::SimpleAggregateFunction { inner, .. } => return inner.fixed_width(),
            DataType::String
            | DataType::Nullable(_)
            | DataType::Array(_)
            | DataType::Tuple(_)
            | DataType::Map(..)
            | DataType::LowCardinality(_) => return None,
        };
        Some(width)
    }

    /// True if a row of this type can be NULL.
    pub fn is_nullable(&self) -> bool {
        match self {
            DataType::Nullable(_) => true,
            DataType::LowCardinality(inner) | DataType::SimpleAggregateFunction { inner, .. } => inner.is_nullable(),
            _ => false,
        }
    }

    /// The type the values have once dictionary encoding and aggregate wrappers are looked through.
    pub fn strip_low_cardinality(&self) -> &DataType {
        match self {
            DataType::LowCardinality(inner) | DataType::SimpleAggregateFunction { inner, .. } => {
                inner.strip_low_cardinality()
            }
            _ => self,
        }
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DataType::UInt8 => f.write_str("UInt8"),
            DataType::UInt16 => f.write_str("UInt16"),
            DataType::UInt32 => f.write_str("UInt32"),
            DataType::UInt64 => f.write_str("UInt64"),
            DataType::UInt128 => f.write_str("UInt128"),
            DataType::UInt256 => f.write_str("UInt256"),
            DataType::Int8 => f.write_str("Int8"),
            DataType::Int16 => f.write_str("Int16"),
            DataType::Int32 => f.write_str("Int32"),
            DataType::Int64 => f.write_str("Int64"),
            DataType::Int128 => f.write_str("Int128"),
            DataType::Int256 => f.write_str("Int256"),
            DataType::Float32 => f.write_str("Float32"),
            DataType::Float64 => f.write_str("Float64"),
            DataType::Bool => f.write_str("Bool"),
            DataType::Decimal { precision, scale } => write!(f, "Decimal({precision}, {scale})"),
            DataType::String => f.write_str("String"),
            DataType::FixedString(length) => write!(f, "FixedString({length})"),
            DataType::Date => f.write_str("Date"),
            DataType::Date32 => f.write_str("Date32"),
            DataType::DateTime { timezone } => match timezone {
                Some(timezone) => write!(f, "DateTime({})", Quoted('\'', timezone)),
                None => f.write_str("DateTime"),
            },
            DataType::DateTime64 { precision, timezone } => match timezone {
                Some(timezone) => write!(f, "DateTime64({precision}, {})", Quoted('\'', timezone)),
                None => write!(f, "DateTime64({precision})"),
            },
            DataType::Uuid => f.write_str("UUID"),
            DataType::Enum8(entries) => write_enum(f, "Enum8", entries),
            DataType::Enum16(entries) => write_enum(f, "Enum16", entries),
            DataType::IPv4 => f.write_str("IPv4"),
            DataType::IPv6 => f.write_str("IPv6"),
            DataType::Nothing => f.write_str("Nothing"),
            DataType::Nullable(inner) => write!(f, "Nullable({inner})"),
            DataType::Array(inner) => write!(f, "Array({inner})"),
            DataType::Tuple(elements) => {
                f.write_str("Tuple(")?;
                for (index, (name, element)) in elements.iter().enumerate() {
                    if index > 0 {
                        f.write_str(", ")?;
                    }
                    match name {
                        Some(name) if is_plain_identifier(name) => write!(f, "{name} ")?,
                        Some(name) => write!(f, "{} ", Quoted('`', name))?,
                        None => {}
                    }
                    write!(f, "{element}")?;
                }
                f.write_str(")")
            }
            DataType::Map(key, value) => write!(f, "Map({key}, {value})"),
            DataType::LowCardinality(inner) => write!(f, "LowCardinality({inner})"),
            DataType::SimpleAggregateFunction { function, inner } => {
                write!(f, "SimpleAggregateFunction({function}, {inner})")
            }
        }
    }
}

fn write_enum(f: &mut fmt::Formatter<'_>, kind: &str, entries: &[(String, i16)]) -> fmt::Result {
    write!(f, "{kind}(")?;
    for (index, (name, value)) in entries.iter().enumerate() {
        if index > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{} = {value}", Quoted('\'', name))?;
    }
    f.write_str(")")
}

/// Text between `quote`s, escaped the way the server writes it so that parsing gives the text back.
struct Quoted<'a>(char, &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Quoted(quote, text) = *self;
        write!(f, "{quote}")?;
        for c in text.chars() {
            match c {
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\t' => f.write_str("\\t")?,
                '\r' => f.write_str("\\r")?,
                '\0' => f.write_str("\\0")?,
                '\u{8}' => f.write_str("\\b")?,
                '\u{c}' => f.write_str("\\f")?,
                c if c == quote => write!(f, "\\{quote}")?,
                c => write!(f, "{c}")?,
            }
        }
        write!(f, "{quote}")
    }
}

/// A tuple element name that may be written without quotes.
fn is_plain_identifier(name: &str) -> bool {
    name.chars().next().is_some_and(starts_identifier) && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
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

fn starts_identifier(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn push_char(bytes: &mut Vec<u8>, c: char) {
    bytes.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
}

#[cfg(test)]
mod tests {
    use super::{DataType, MAX_NESTING};
    use crate::native::Error;

    fn parse(name: &str) -> DataType {
        DataType::parse(name).unwrap_or_else(|error| panic!("`{name}` should parse: {error}"))
    }

    fn parse_error(name: &str) -> String {
        match DataType::parse(name) {
            Err(Error::Type(message)) => message,
            Err(other) => panic!("`{name}` gave a non-type error: {other}"),
            Ok(data_type) => panic!("`{name}` should not parse, got {data_type:?}"),
        }
    }

    fn boxed(data_type: DataType) -> Box<DataType> {
        Box::new(data_type)
    }

    fn point() -> DataType {
        DataType::Tuple(vec![(None, DataType::Float64), (None, DataType::Float64)])
    }

    #[test]
    fn datetimes_without_a_zone_take_the_servers() {
        let mut data_type =
            parse("Tuple(Array(Nullable(DateTime)), DateTime64(3), DateTime('UTC'), Map(String, DateTime))");
        data_type.assume_timezone("Asia/Shanghai");
        assert_eq!(
            data_type.to_string(),
            "Tuple(Array(Nullable(DateTime('Asia/Shanghai'))), DateTime64(3, 'Asia/Shanghai'), DateTime('UTC'), \
             Map(String, DateTime('Asia/Shanghai')))"
        );
    }

    #[test]
    fn simple_names() {
        let cases = [
            ("UInt8", DataType::UInt8),
            ("UInt16", DataType::UInt16),
            ("UInt32", DataType::UInt32),
            ("UInt64", DataType::UInt64),
            ("UInt128", DataType::UInt128),
            ("UInt256", DataType::UInt256),
            ("Int8", DataType::Int8),
            ("Int16", DataType::Int16),
            ("Int32", DataType::Int32),
            ("Int64", DataType::Int64),
            ("Int128", DataType::Int128),
            ("Int256", DataType::Int256),
            ("Float32", DataType::Float32),
            ("Float64", DataType::Float64),
            ("Bool", DataType::Bool),
            ("Boolean", DataType::Bool),
            ("String", DataType::String),
            ("Date", DataType::Date),
            ("Date32", DataType::Date32),
            ("UUID", DataType::Uuid),
            ("IPv4", DataType::IPv4),
            ("IPv6", DataType::IPv6),
            ("Nothing", DataType::Nothing),
            ("FixedString(16)", DataType::FixedString(16)),
            ("IntervalSecond", DataType::Int64),
            ("IntervalDay", DataType::Int64),
            ("IntervalNanosecond", DataType::Int64),
        ];
        for (name, expected) in cases {
            assert_eq!(parse(name), expected, "{name}");
        }
    }

    #[test]
    fn decimals() {
        let decimal = |precision, scale| DataType::Decimal { precision, scale };
        assert_eq!(parse("Decimal(9, 2)"), decimal(9, 2));
        assert_eq!(parse("Decimal(18)"), decimal(18, 0));
        assert_eq!(parse("Decimal(76, 76)"), decimal(76, 76));
        assert_eq!(parse("Decimal(1, 0)"), decimal(1, 0));
        assert_eq!(parse("Decimal32(4)"), decimal(9, 4));
        assert_eq!(parse("Decimal64(0)"), decimal(18, 0));
        assert_eq!(parse("Decimal128(38)"), decimal(38, 38));
        assert_eq!(parse("Decimal256(20)"), decimal(76, 20));
        assert!(parse_error("Decimal(77, 1)").contains("Decimal precision 77 is out of range 1..=76"));
        assert!(parse_error("Decimal(0, 0)").contains("precision 0"));
        assert!(parse_error("Decimal(9, 10)").contains("Decimal scale 10 is out of range 0..=9"));
        assert!(parse_error("Decimal32(10)").contains("scale 10"));
        assert!(parse_error("Decimal(9, -1)").contains("scale -1"));
        assert!(parse_error("Decimal").contains("expected `(`"));
    }

    #[test]
    fn date_times() {
        assert_eq!(parse("DateTime"), DataType::DateTime { timezone: None });
        assert_eq!(
            parse("DateTime('Asia/Shanghai')"),
            DataType::DateTime {
                timezone: Some("Asia/Shanghai".into())
            }
        );
        assert_eq!(
            parse("DateTime64(3)"),
            DataType::DateTime64 {
                precision: 3,
                timezone: None
            }
        );
        assert_eq!(
            parse("DateTime64(9, 'UTC')"),
            DataType::DateTime64 {
                precision: 9,
                timezone: Some("UTC".into())
            }
        );
        assert!(parse_error("DateTime64(10)").contains("DateTime64 precision 10 is out of range 0..=9"));
        assert!(parse_error("DateTime(UTC)").contains("expected a string quoted with '"));
        assert!(parse_error("DateTime64").contains("expected `(`"));
    }

    #[test]
    fn enums() {
        assert_eq!(
            parse("Enum8('a' = 1, 'b' = -2)"),
            DataType::Enum8(vec![("a".into(), 1), ("b".into(), -2)])
        );
        assert_eq!(
            parse("Enum8('min' = -128, 'max' = 127)"),
            DataType::Enum8(vec![("min".into(), -128), ("max".into(), 127)])
        );
        assert_eq!(
            parse("Enum16('low' = -32768, 'high' = 32767)"),
            DataType::Enum16(vec![("low".into(), -32768), ("high".into(), 32767)])
        );
        assert!(parse_error("Enum8('a' = 200)").contains("Enum8 value 200 is out of range -128..=127"));
        assert!(parse_error("Enum8('a' = -129)").contains("Enum8 value -129"));
        assert!(parse_error("Enum16('a' = 40000)").contains("Enum16 value 40000"));
        assert!(parse_error("Enum16('a' = 99999999999999999999)").contains("out of range"));
        assert!(parse_error("Enum8()").contains("expected a string quoted with '"));
        assert!(parse_error("Enum8('a')").contains("expected `=`"));
        assert!(parse_error("Enum8('a' = )").contains("expected Enum8 value, found `)`"));
        assert!(parse_error("Enum8('a' = -)").contains("expected Enum8 value"));
        assert!(parse_error("Enum8('a = 1)").contains("unterminated quoted string"));
    }

    #[test]
    fn enum_name_escapes() {
        let name = r"Enum8('it\'s' = 1, 'back\\slash' = 2, 'it''s' = 3, 'a\nb\tc' = 4, 'nul\0' = 5, '\x41\x62' = 6)";
        let expected = ["it's", "back\\slash", "it's!", "a\nb\tc", "nul\0", "Ab"];
        let DataType::Enum8(entries) = parse(&name.replace("'it''s' = 3", "'it''s!' = 3")) else {
            panic!("not an Enum8");
        };
        let names: Vec<&str> = entries.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, expected);
        // Escapes of UTF-8 bytes, unknown escapes and raw non-ASCII text.
        assert_eq!(parse(r"Enum8('\xC3\xA9' = 1)"), DataType::Enum8(vec![("é".into(), 1)]));
        assert_eq!(parse(r"Enum8('\q' = 1)"), DataType::Enum8(vec![("q".into(), 1)]));
        assert_eq!(parse("Enum8('日本' = 1)"), DataType::Enum8(vec![("日本".into(), 1)]));
        assert!(parse_error(r"Enum8('\xZZ' = 1)").contains("two hex digits"));
        assert!(parse_error(r"Enum8('\xFF' = 1)").contains("not valid UTF-8"));
        assert!(parse_error(r"Enum8('a\").contains("unterminated quoted string"));
        let display = DataType::Enum8(vec![("it's".into(), 1), ("a\\b".into(), 2)]).to_string();
        assert_eq!(display, r"Enum8('it\'s' = 1, 'a\\b' = 2)");
    }

    #[test]
    fn composites() {
        assert_eq!(parse("Nullable(String)"), DataType::Nullable(boxed(DataType::String)));
        assert_eq!(
            parse("Array(Array(Array(UInt8)))"),
            DataType::Array(boxed(DataType::Array(boxed(DataType::Array(boxed(DataType::UInt8))))))
        );
        assert_eq!(
            parse("Tuple(UInt8, String)"),
            DataType::Tuple(vec![(None, DataType::UInt8), (None, DataType::String)])
        );
        assert_eq!(
            parse("Tuple(a UInt8, b Nullable(String))"),
            DataType::Tuple(vec![
                (Some("a".into()), DataType::UInt8),
                (Some("b".into()), DataType::Nullable(boxed(DataType::String))),
            ])
        );
        assert_eq!(
            parse("Tuple(`a b` UInt8, \"c\" String, String String)"),
            DataType::Tuple(vec![
                (Some("a b".into()), DataType::UInt8),
                (Some("c".into()), DataType::String),
                (Some("String".into()), DataType::String),
            ])
        );
        assert_eq!(
            parse("Map(String, UInt64)"),
            DataType::Map(boxed(DataType::String), boxed(DataType::UInt64))
        );
        assert_eq!(
            parse("LowCardinality(Nullable(String))"),
            DataType::LowCardinality(boxed(DataType::Nullable(boxed(DataType::String))))
        );
    }

    #[test]
    fn simple_aggregate_functions() {
        assert_eq!(
            parse("SimpleAggregateFunction(any, UInt64)"),
            DataType::SimpleAggregateFunction {
                function: "any".into(),
                inner: boxed(DataType::UInt64)
            }
        );
        assert_eq!(
            parse("SimpleAggregateFunction(sumMap, Map(String, UInt64))"),
            DataType::SimpleAggregateFunction {
                function: "sumMap".into(),
                inner: boxed(DataType::Map(boxed(DataType::String), boxed(DataType::UInt64))),
            }
        );
        assert_eq!(
            parse("SimpleAggregateFunction( quantiles(0.5, 0.9) , Array(Float64))"),
            DataType::SimpleAggregateFunction {
                function: "quantiles(0.5, 0.9)".into(),
                inner: boxed(DataType::Array(boxed(DataType::Float64))),
            }
        );
        assert!(parse_error("SimpleAggregateFunction(any)").contains("expected `,`"));
        assert!(parse_error("SimpleAggregateFunction(f(1, UInt8)").contains("expected `,`, found end of input"));
    }

    #[test]
    fn geo_aliases() {
        let ring = DataType::Array(boxed(point()));
        let polygon = DataType::Array(boxed(ring.clone()));
        assert_eq!(parse("Point"), point());
        assert_eq!(parse("Ring"), ring);
        assert_eq!(parse("LineString"), ring);
        assert_eq!(parse("MultiLineString"), polygon);
        assert_eq!(parse("Polygon"), polygon);
        assert_eq!(parse("MultiPolygon"), DataType::Array(boxed(polygon)));
    }

    #[test]
    fn whitespace_between_tokens() {
        assert_eq!(
            parse("  Map ( String ,\n\tArray( Nullable ( Decimal ( 9 , 2 ) ) ) )  "),
            parse("Map(String, Array(Nullable(Decimal(9, 2))))")
        );
        assert_eq!(parse("Enum8( 'a'=1 ,'b' =2 )"), parse("Enum8('a' = 1, 'b' = 2)"));
        assert_eq!(parse("DateTime64( 3 ,'UTC' )"), parse("DateTime64(3, 'UTC')"));
    }

    #[test]
    fn display_is_canonical() {
        let cases = [
            ("Decimal32(2)", "Decimal(9, 2)"),
            ("Decimal(5)", "Decimal(5, 0)"),
            ("DateTime", "DateTime"),
            ("DateTime('UTC')", "DateTime('UTC')"),
            ("DateTime64(3)", "DateTime64(3)"),
            ("DateTime64( 3,'UTC')", "DateTime64(3, 'UTC')"),
            ("Enum8('a'=1,'b'=2)", "Enum8('a' = 1, 'b' = 2)"),
            ("FixedString(3)", "FixedString(3)"),
            ("Tuple(UInt8,String)", "Tuple(UInt8, String)"),
            ("Tuple(a UInt8, `b` String)", "Tuple(a UInt8, b String)"),
            ("Tuple(\"a b\" UInt8)", "Tuple(`a b` UInt8)"),
            ("Map(String,UInt64)", "Map(String, UInt64)"),
            ("LowCardinality(Nullable(String))", "LowCardinality(Nullable(String))"),
            (
                "SimpleAggregateFunction(any,UInt64)",
                "SimpleAggregateFunction(any, UInt64)",
            ),
            ("UUID", "UUID"),
            ("IPv4", "IPv4"),
            ("Boolean", "Bool"),
            ("IntervalDay", "Int64"),
            ("Point", "Tuple(Float64, Float64)"),
        ];
        for (name, canonical) in cases {
            assert_eq!(parse(name).to_string(), canonical, "{name}");
        }
    }

    #[test]
    fn display_round_trips() {
        let names = [
            "UInt8",
            "UInt16",
            "UInt32",
            "UInt64",
            "UInt128",
            "UInt256",
            "Int8",
            "Int16",
            "Int32",
            "Int64",
            "Int128",
            "Int256",
            "Float32",
            "Float64",
            "Bool",
            "String",
            "FixedString(1)",
            "Date",
            "Date32",
            "DateTime",
            "DateTime('Europe/Moscow')",
            "DateTime64(0)",
            "DateTime64(6, 'America/New_York')",
            "Decimal(1, 0)",
            "Decimal(76, 38)",
            "UUID",
            "IPv4",
            "IPv6",
            "Nothing",
            "Nullable(Nothing)",
            r"Enum8('a' = -128, 'it\'s' = 0, 'x\\y' = 127)",
            "Enum16('new\nline' = -1000, 'tab\there' = 1000, 'ünï' = 2)",
            "Array(Array(Nullable(Int32)))",
            "Tuple(UInt8, Array(String), Map(String, Tuple(Float64, Float64)))",
            "Tuple(a UInt8, `with space` String, `back``tick` Date, `x\\y` Date32)",
            "Map(LowCardinality(String), Array(Nullable(Decimal(18, 4))))",
            "LowCardinality(Nullable(FixedString(8)))",
            "SimpleAggregateFunction(anyLast, Nullable(String))",
            "SimpleAggregateFunction(quantiles(0.5, 0.9), Array(Float64))",
            "MultiPolygon",
        ];
        for name in names {
            let data_type = parse(name);
            let display = data_type.to_string();
            assert_eq!(parse(&display), data_type, "{name} displayed as {display}");
            assert_eq!(parse(&display).to_string(), display, "{name}");
        }
    }

    #[test]
    fn unsupported_types_are_named() {
        assert_eq!(
            parse_error("AggregateFunction(sum, UInt64)"),
            "unsupported ClickHouse type `AggregateFunction(sum, UInt64)`"
        );
        assert_eq!(
            parse_error("Array(JSON)"),
            "unsupported ClickHouse type `JSON` in `Array(JSON)`"
        );
        let names = [
            "Object('json')",
            "JSON",
            "JSON(max_dynamic_paths = 10)",
            "Dynamic",
            "Variant(UInt8, String)",
            "Nested(a UInt8, b String)",
            "BFloat16",
            "Frobnicate",
            "uint8",
        ];
        for name in names {
            assert_eq!(parse_error(name), format!("unsupported ClickHouse type `{name}`"));
        }
        assert!(parse_error("Map(String, Variant(UInt8, String))").contains("`Variant(UInt8, String)` in `Map("));
    }

    #[test]
    fn malformed_names_are_errors() {
        let cases = [
            ("", "expected a type name, found end of input at offset 0"),
            ("   ", "expected a type name, found end of input at offset 3"),
            ("Array(UInt8", "expected `)`, found end of input at offset 11"),
            ("Array(UInt8))", "expected end of type name, found `)` at offset 12"),
            ("UInt8 junk", "expected end of type name, found `j` at offset 6"),
            ("Array()", "expected a type name, found `)`"),
            ("Array(UInt8, UInt8)", "expected `)`, found `,`"),
            ("Map(String)", "expected `,`, found `)`"),
            ("Tuple()", "expected a type name, found `)`"),
            ("UInt8(3)", "type `UInt8` takes no arguments"),
            ("FixedString(0)", "FixedString length 0 is out of range"),
            ("FixedString(-1)", "FixedString length -1 is out of range"),
            ("FixedString(x)", "expected FixedString length, found `x`"),
            ("Nullable(String", "expected `)`"),
            ("Tuple(a UInt8,", "expected a type name, found end of input"),
            ("Tuple(a UInt8 c)", "expected `)`, found `c` at offset 14"),
            ("AggregateFunction(sum, UInt64", "expected `)`, found end of input"),
            ("Array(日本)", "expected a type name, found `日`"),
            ("Enum8('日本' = 1) é", "found `é` at offset 16"),
        ];
        for (name, message) in cases {
            let error = parse_error(name);
            assert!(error.contains(&format!("`{name}`")), "{error} should name `{name}`");
            assert!(error.contains(message), "`{name}`: {error} should contain {message}");
        }
    }

    #[test]
    fn nesting_is_bounded() {
        let deep = |levels: usize| format!("{}UInt8{}", "Array(".repeat(levels), ")".repeat(levels));
        assert!(DataType::parse(&deep(MAX_NESTING)).is_ok());
        assert!(parse_error(&deep(MAX_NESTING + 1)).contains("nested more than 100 levels"));
        assert!(parse_error(&deep(100_000)).contains("nested more than 100 levels"));
    }

    #[test]
    fn fixed_widths() {
        let cases = [
            ("UInt8", Some(1)),
            ("Int8", Some(1)),
            ("Bool", Some(1)),
            ("Enum8('a' = 1)", Some(1)),
            ("Nothing", Some(1)),
            ("UInt16", Some(2)),
            ("Date", Some(2)),
            ("Enum16('a' = 1)", Some(2)),
            ("Int32", Some(4)),
            ("Float32", Some(4)),
            ("Date32", Some(4)),
            ("DateTime('UTC')", Some(4)),
            ("IPv4", Some(4)),
            ("UInt64", Some(8)),
            ("Float64", Some(8)),
            ("DateTime64(3)", Some(8)),
            ("IntervalHour", Some(8)),
            ("Int128", Some(16)),
            ("UUID", Some(16)),
            ("IPv6", Some(16)),
            ("UInt256", Some(32)),
            ("Decimal(9, 2)", Some(4)),
            ("Decimal(10, 2)", Some(8)),
            ("Decimal(18, 2)", Some(8)),
            ("Decimal(38, 2)", Some(16)),
            ("Decimal(39, 2)", Some(32)),
            ("FixedString(5)", Some(5)),
            ("SimpleAggregateFunction(sum, UInt64)", Some(8)),
            ("String", None),
            ("Nullable(UInt8)", None),
            ("Array(UInt8)", None),
            ("Tuple(UInt8)", None),
            ("Map(UInt8, UInt8)", None),
            ("LowCardinality(UInt8)", None),
            ("SimpleAggregateFunction(any, String)", None),
        ];
        for (name, width) in cases {
            assert_eq!(parse(name).fixed_width(), width, "{name}");
        }
    }

    #[test]
    fn nullability_and_stripping() {
        assert!(parse("Nullable(UInt8)").is_nullable());
        assert!(parse("LowCardinality(Nullable(String))").is_nullable());
        assert!(parse("SimpleAggregateFunction(anyLast, Nullable(UInt8))").is_nullable());
        assert!(!parse("LowCardinality(String)").is_nullable());
        assert!(!parse("Array(Nullable(UInt8))").is_nullable());
        assert!(!parse("String").is_nullable());

        assert_eq!(
            parse("LowCardinality(Nullable(String))").strip_low_cardinality(),
            &DataType::Nullable(boxed(DataType::String))
        );
        assert_eq!(
            parse("SimpleAggregateFunction(any, LowCardinality(String))").strip_low_cardinality(),
            &DataType::String
        );
        assert_eq!(
            parse("Array(LowCardinality(String))").strip_low_cardinality(),
            &parse("Array(LowCardinality(String))")
        );
    }
}
