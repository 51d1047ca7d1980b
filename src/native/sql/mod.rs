//! The little SQL this client must understand itself: what a statement is (an INSERT, a query to
//! describe), its `?` placeholders, values written as literals, and literals read back, such as
//! the rows of `INSERT ... VALUES (...)`, which are sent as blocks as clickhouse-client does.

mod placeholders;
mod quoting;
mod statement;
mod tokens;
mod values;

pub use placeholders::{question_marks, substitute, substitute_with};
pub use quoting::{literal_for_old_servers, quote_bytes, quote_identifier, quote_string, write_literal};
pub use statement::{InlineData, Kind, inline_insert_data, is_insert, kind};
pub use tokens::{is_word_byte, quoted_end};
pub use values::{parse_literal, parse_values};
