//! The `?` placeholders of a statement, and the statement with literals in their place.

use super::quoting::write_literal;
use super::tokens::{quoted_end, skip_blanks};
use crate::native::column::Value;
use crate::native::error::{Error, Result};

/// Byte offsets of the `?` placeholders outside quotes and comments.
pub fn question_marks(sql: &str) -> Vec<usize> {
    let text = sql.as_bytes();
    let mut positions = Vec::new();
    let mut at = 0;
    while at < text.len() {
        at = skip_blanks(text, at);
        match text.get(at) {
            Some(b'\'' | b'"' | b'`') => at = quoted_end(text, at).unwrap_or(text.len()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_placeholders_outside_quotes_and_comments() {
        let sql = "SELECT ?, '?', \"?\", `?` -- ?\n, /* ? */ ?";
        assert_eq!(question_marks(sql), [7, sql.len() - 1]);
        assert_eq!(question_marks("SELECT 'it''s ?' , ?"), [19]);
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
}
