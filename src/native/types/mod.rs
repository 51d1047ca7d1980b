//! ClickHouse data types: the tree that a type name such as `Array(Nullable(String))` parses into.
//!
//! The tree drives how columns are read and written; [`std::fmt::Display`] writes the canonical name
//! back in the form the server itself sends (`Decimal(9, 2)`, `DateTime('UTC')`, `Enum8('a' = 1)`).

use std::fmt;

use crate::native::Error;

mod parser;
#[cfg(test)]
mod tests;

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

impl DataType {
    /// Parses a type name as the server sends it in block headers, e.g. `LowCardinality(Nullable(String))`.
    pub fn parse(name: &str) -> Result<DataType, Error> {
        parser::parse(name)
    }

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
    name.chars().next().is_some_and(parser::starts_identifier)
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
