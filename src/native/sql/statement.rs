//! What a statement is: an INSERT or not, what it does before it runs, and the literal rows after
//! `INSERT ... VALUES`.

use super::tokens::{skip_blanks, top_level_words};

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
