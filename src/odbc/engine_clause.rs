//! The SQL that `system.tables` prints about a table's engine, read: `engine_full` split into its
//! clauses, and a key expression (`sorting_key`, `primary_key`) into the columns it lists.
//!
//! ByteHouse (ByConity) has no `system.tables` column for its UNIQUE KEY and CLUSTER BY clauses, so
//! they are read from `engine_full`, such as `CnchMergeTree() PARTITION BY d CLUSTER BY sipHash64(id)
//! INTO 1 BUCKETS ORDER BY s UNIQUE KEY id SETTINGS index_granularity = 8192`. Clauses come in any
//! order. Only keywords at the top level count: not those inside parentheses or brackets, string
//! literals (`'...'`) or quoted identifiers (`` `...` ``, `"..."`, with backslash escapes). Nor
//! does a keyword where an operand is due: after a clause's keyword, an operator, a comma, or a word
//! such as WHERE that follows an operand. It is a column of that name, which the servers print
//! unquoted: 26.9 prints `TTL settings + toIntervalDay(1) WHERE order = 1, ttl + ...` and both 18.16
//! and 26.9 `SAMPLE BY set SETTINGS ...` for columns named `settings`, `order`, `ttl` and `set`.

use crate::native::sql::{is_word_byte, quoted_end};

/// A clause of an engine definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clause {
    PartitionBy,
    ClusterBy,
    PrimaryKey,
    OrderBy,
    UniqueKey,
    SampleBy,
    Ttl,
    Settings,
    Comment,
}

/// The words that start each clause, in any case.
const KEYWORDS: &[(&[&str], Clause)] = &[
    (&["PARTITION", "BY"], Clause::PartitionBy),
    (&["CLUSTER", "BY"], Clause::ClusterBy),
    (&["PRIMARY", "KEY"], Clause::PrimaryKey),
    (&["ORDER", "BY"], Clause::OrderBy),
    (&["UNIQUE", "KEY"], Clause::UniqueKey),
    (&["SAMPLE", "BY"], Clause::SampleBy),
    (&["TTL"], Clause::Ttl),
    (&["SETTINGS"], Clause::Settings),
    (&["COMMENT"], Clause::Comment),
];

/// Words an operand follows where they follow an operand themselves (where an operand is due they
/// are a column's name): those of a TTL rule's `WHERE` and `GROUP BY ... SET`, and operators.
const OPERAND_AFTER: &[&str] = &[
    "WHERE", "AND", "OR", "NOT", "BY", "SET", "IS", "LIKE", "ILIKE", "IN", "BETWEEN", "AS", "WHEN", "THEN", "ELSE",
];

/// A piece of SQL at the top level: a word, a whole parenthesized or bracketed group, a quoted
/// literal or identifier, or one other character. `start` is its byte offset.
struct Token<'a> {
    start: usize,
    text: &'a str,
}

impl Token<'_> {
    fn is(&self, word: &str) -> bool {
        self.text.eq_ignore_ascii_case(word)
    }

    /// Whether an operand is due after this token, `operand_due` telling whether it was due here: after
    /// an operator or a comma, and after a word such as WHERE that is not itself the operand.
    fn wants_operand(&self, operand_due: bool) -> bool {
        matches!(self.text.as_bytes(), [byte] if b",.=<>!+-*/%?:|&^~".contains(byte))
            || !operand_due && OPERAND_AFTER.iter().any(|word| self.is(word))
    }
}

/// Non-ASCII bytes belong to words, so that every token boundary is a character boundary.
fn is_word(byte: u8) -> bool {
    is_word_byte(byte) || !byte.is_ascii()
}

/// The top-level tokens of `text`, whitespace left out. An unterminated group or quote runs to the end.
fn tokens(text: &str) -> Vec<Token<'_>> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        let start = index;
        index = match bytes[index] {
            byte if byte.is_ascii_whitespace() => {
                index += 1;
                continue;
            }
            b'(' | b'[' => group_end(bytes, index),
            b'\'' | b'"' | b'`' => quoted_end(bytes, index).unwrap_or(bytes.len()),
            byte if is_word(byte) => index + bytes[index..].iter().take_while(|&&byte| is_word(byte)).count(),
            _ => index + 1,
        };
        tokens.push(Token {
            start,
            text: &text[start..index],
        });
    }
    tokens
}

/// The offset after the bracket that closes the group opened at `at`, or the end of `bytes`.
fn group_end(bytes: &[u8], at: usize) -> usize {
    let mut depth = 0usize;
    let mut index = at;
    while index < bytes.len() {
        match bytes[index] {
            b'(' | b'[' => depth += 1,
            b')' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return index + 1;
                }
            }
            b'\'' | b'"' | b'`' => {
                index = quoted_end(bytes, index).unwrap_or(bytes.len());
                continue;
            }
            _ => {}
        }
        index += 1;
    }
    bytes.len()
}

/// An engine definition split into the engine and its clauses.
#[derive(Debug, PartialEq, Eq)]
pub struct EngineClauses<'a> {
    /// The engine with its arguments (`CnchMergeTree()`, `MergeTree`).
    pub engine: &'a str,
    clauses: Vec<(Clause, &'a str)>,
}

impl<'a> EngineClauses<'a> {
    pub fn parse(engine_full: &'a str) -> EngineClauses<'a> {
        let tokens = tokens(engine_full);
        // Each clause: its keyword's first token and the token after the keyword.
        let mut found: Vec<(Clause, usize, usize)> = Vec::new();
        let mut index = 0;
        // Where an operand is due a keyword is a column's name: `ORDER BY order`, `WHERE settings = 1`.
        let mut operand_due = false;
        while index < tokens.len() {
            let keyword = KEYWORDS.iter().find(|(words, _)| {
                words.len() <= tokens.len() - index
                    && words.iter().zip(&tokens[index..]).all(|(word, token)| token.is(word))
            });
            match keyword {
                Some(&(words, clause)) if !operand_due => {
                    found.push((clause, index, index + words.len()));
                    index += words.len();
                    operand_due = true;
                }
                _ => {
                    operand_due = tokens[index].wants_operand(operand_due);
                    index += 1;
                }
            }
        }
        let offset = |index: usize| tokens.get(index).map_or(engine_full.len(), |token| token.start);
        let mut clauses = Vec::new();
        for (position, &(clause, _, after)) in found.iter().enumerate() {
            let end = found
                .get(position + 1)
                .map_or(engine_full.len(), |&(_, next, _)| offset(next));
            clauses.push((clause, engine_full[offset(after)..end].trim()));
        }
        let engine_end = found.first().map_or(engine_full.len(), |&(_, first, _)| offset(first));
        EngineClauses {
            engine: engine_full[..engine_end].trim(),
            clauses,
        }
    }

    /// The text of a clause after its keyword, if the engine has it.
    pub fn get(&self, clause: Clause) -> Option<&'a str> {
        self.clauses
            .iter()
            .find(|(found, _)| *found == clause)
            .map(|&(_, text)| text)
    }

    /// CLUSTER BY's expression alone and the bucket count of its `INTO n BUCKETS`; the
    /// `SPLIT_NUMBER` and `WITH_RANGE` options that may follow are left out.
    pub fn cluster_by(&self) -> Option<(&'a str, Option<i32>)> {
        let text = self.get(Clause::ClusterBy)?;
        let tokens = tokens(text);
        // INTO after the expression, which is at least one token.
        let Some(into) = (1..tokens.len()).find(|&index| tokens[index].is("INTO")) else {
            return Some((text, None));
        };
        let buckets = match &tokens[into + 1..] {
            [count, buckets, ..] if buckets.is("BUCKETS") => count.text.parse().ok(),
            _ => None,
        };
        Some((text[..tokens[into].start].trim(), buckets))
    }
}

/// The columns a key expression lists as they are, in order: items that are one identifier, plain
/// (`id`, `n.x`), backquoted (`` `a.b` ``, `` `it\`s` ``) or double-quoted. Items that are
/// expressions (`toDate(t)`) are left out. A key of several items may come in parentheses, which
/// ClickHouse 26.9 prints even around one (`(a)`).
pub fn key_columns(expression: &str) -> Vec<String> {
    let mut tokens = tokens(expression.trim());
    if let [tuple] = tokens.as_slice()
        && let Some(inside) = tuple.text.strip_prefix('(').and_then(|text| text.strip_suffix(')'))
    {
        tokens = self::tokens(inside);
    }
    tokens.split(|token| token.text == ",").filter_map(identifier).collect()
}

/// The name `tokens` spell if they are one identifier: parts joined by dots, each a plain word
/// not starting with a digit or a quoted name.
fn identifier(tokens: &[Token<'_>]) -> Option<String> {
    let mut name = String::new();
    for (index, token) in tokens.iter().enumerate() {
        if index % 2 == 1 {
            if token.text != "." || index + 1 == tokens.len() {
                return None;
            }
            name.push('.');
        } else if token.text.starts_with(['`', '"']) {
            name.push_str(&unquote(token.text)?);
        } else if token.text.bytes().all(is_word) && !token.text.starts_with(|c: char| c.is_ascii_digit()) {
            name.push_str(token.text);
        } else {
            return None;
        }
    }
    (!name.is_empty()).then_some(name)
}

/// The name in a whole quoted identifier, its escapes (`\``, `\\`, `\n`, `\xHH`, a doubled quote) read
/// as ClickHouse reads them.
fn unquote(quoted: &str) -> Option<String> {
    let bytes = quoted.as_bytes();
    if quoted_end(bytes, 0) != Some(bytes.len()) {
        return None;
    }
    let quote = bytes[0];
    let inside = &bytes[1..bytes.len() - 1];
    let mut name = Vec::with_capacity(inside.len());
    let mut index = 0;
    while index < inside.len() {
        let (byte, width) = match inside[index..] {
            [b'\\', b'x', high, low, ..] if high.is_ascii_hexdigit() && low.is_ascii_hexdigit() => {
                (hex_value(high) << 4 | hex_value(low), 4)
            }
            [b'\\', escaped, ..] => (unescaped(escaped), 2),
            [byte, next, ..] if byte == quote && next == quote => (quote, 2),
            [byte, ..] => (byte, 1),
            [] => break,
        };
        name.push(byte);
        index += width;
    }
    Some(String::from_utf8_lossy(&name).into_owned())
}

fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        _ => (digit | 0x20) - b'a' + 10,
    }
}

/// The character a backslash escape stands for; an escaped ordinary character is itself.
fn unescaped(escaped: u8) -> u8 {
    match escaped {
        b'b' => 0x08,
        b'f' => 0x0C,
        b'n' => b'\n',
        b'r' => b'\r',
        b't' => b'\t',
        b'0' => 0,
        b'a' => 0x07,
        b'v' => 0x0B,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clauses(text: &str) -> Vec<(Clause, &str)> {
        EngineClauses::parse(text).clauses
    }

    #[test]
    fn bytehouse_engine_with_unique_key_and_buckets() {
        let text = "CnchMergeTree() PARTITION BY d UNIQUE KEY id CLUSTER BY sipHash64(id) INTO 1 BUCKETS \
                    ORDER BY s SETTINGS index_granularity = 8192";
        let parsed = EngineClauses::parse(text);
        assert_eq!(parsed.engine, "CnchMergeTree()");
        assert_eq!(
            parsed.clauses,
            [
                (Clause::PartitionBy, "d"),
                (Clause::UniqueKey, "id"),
                (Clause::ClusterBy, "sipHash64(id) INTO 1 BUCKETS"),
                (Clause::OrderBy, "s"),
                (Clause::Settings, "index_granularity = 8192"),
            ]
        );
        assert_eq!(parsed.cluster_by(), Some(("sipHash64(id)", Some(1))));
    }

    #[test]
    fn every_clause_in_another_order() {
        let text = "CnchMergeTree PARTITION BY toDate(t) CLUSTER BY (a, b) INTO 16 BUCKETS SPLIT_NUMBER 64 WITH_RANGE \
                    ORDER BY (a, b) PRIMARY KEY a UNIQUE KEY (a, b) SAMPLE BY a TTL t + toIntervalDay(1) \
                    SETTINGS x = 1 COMMENT 'c'";
        let parsed = EngineClauses::parse(text);
        assert_eq!(parsed.engine, "CnchMergeTree");
        assert_eq!(
            parsed.clauses,
            [
                (Clause::PartitionBy, "toDate(t)"),
                (Clause::ClusterBy, "(a, b) INTO 16 BUCKETS SPLIT_NUMBER 64 WITH_RANGE"),
                (Clause::OrderBy, "(a, b)"),
                (Clause::PrimaryKey, "a"),
                (Clause::UniqueKey, "(a, b)"),
                (Clause::SampleBy, "a"),
                (Clause::Ttl, "t + toIntervalDay(1)"),
                (Clause::Settings, "x = 1"),
                (Clause::Comment, "'c'"),
            ]
        );
        assert_eq!(parsed.cluster_by(), Some(("(a, b)", Some(16))));
        assert_eq!(parsed.get(Clause::SampleBy), Some("a"));
    }

    #[test]
    fn keywords_inside_groups_quotes_and_identifiers_do_not_split() {
        let text = "CnchMergeTree('order by', \"x\") ORDER BY (`ORDER BY`, f(a, 'SETTINGS'), [1, 2], \
                    `it\\`s ORDER BY`, \"PRIMARY KEY\") PRIMARY KEY `a b` SETTINGS s = 'it\\'s ORDER BY' \
                    , t = 'it''s ttl'";
        assert_eq!(
            clauses(text),
            [
                (
                    Clause::OrderBy,
                    "(`ORDER BY`, f(a, 'SETTINGS'), [1, 2], `it\\`s ORDER BY`, \"PRIMARY KEY\")"
                ),
                (Clause::PrimaryKey, "`a b`"),
                (Clause::Settings, "s = 'it\\'s ORDER BY' , t = 'it''s ttl'"),
            ]
        );
        assert_eq!(EngineClauses::parse(text).engine, "CnchMergeTree('order by', \"x\")");
    }

    #[test]
    fn keywords_in_any_case_and_columns_named_like_keywords() {
        assert_eq!(
            clauses("MergeTree order by settings ttl ttl + 1 Settings a = 1"),
            [
                (Clause::OrderBy, "settings"),
                (Clause::Ttl, "ttl + 1"),
                (Clause::Settings, "a = 1")
            ]
        );
        assert!(clauses("MergeTree ORDERBY x").is_empty(), "two words, not one");
    }

    /// TTL's and SETTINGS' text as the servers print them (26.9; 18.16 has no table TTL).
    #[test]
    fn ttl_rules_and_settings_as_printed() {
        let ttl_and_settings = |text| {
            let parsed = EngineClauses::parse(text);
            (parsed.get(Clause::Ttl), parsed.get(Clause::Settings))
        };
        assert_eq!(
            ttl_and_settings(
                "MergeTree PARTITION BY d ORDER BY (id, t) TTL d + toIntervalDay(1), t + toIntervalHour(1) \
                 WHERE id = 1, d + toIntervalDay(3) RECOMPRESS CODEC(ZSTD(3)) SETTINGS index_granularity = 4096, \
                 merge_with_ttl_timeout = 100"
            ),
            (
                Some(
                    "d + toIntervalDay(1), t + toIntervalHour(1) WHERE id = 1, d + toIntervalDay(3) \
                     RECOMPRESS CODEC(ZSTD(3))"
                ),
                Some("index_granularity = 4096, merge_with_ttl_timeout = 100")
            )
        );
        assert_eq!(
            ttl_and_settings(
                "MergeTree ORDER BY (id, d) TTL d + toIntervalMonth(1) GROUP BY id SET v = max(v) \
                 SETTINGS index_granularity = 8192"
            ),
            (
                Some("d + toIntervalMonth(1) GROUP BY id SET v = max(v)"),
                Some("index_granularity = 8192")
            )
        );
        assert_eq!(
            ttl_and_settings("MergeTree ORDER BY id TTL t TO DISK 'cold', t + 1 TO VOLUME 'v' DELETE SETTINGS a = 'b'"),
            (Some("t TO DISK 'cold', t + 1 TO VOLUME 'v' DELETE"), Some("a = 'b'"))
        );
        // 18.16: settings, and none in the old syntax.
        assert_eq!(
            ttl_and_settings(
                "MergeTree PARTITION BY d ORDER BY id SETTINGS index_granularity = 4096, parts_to_throw_insert = 400"
            ),
            (None, Some("index_granularity = 4096, parts_to_throw_insert = 400"))
        );
        assert_eq!(ttl_and_settings("MergeTree(d, id, 4096)"), (None, None));
        assert_eq!(ttl_and_settings("Memory"), (None, None));
        assert_eq!(
            ttl_and_settings("X ORDER BY a TTL"),
            (Some(""), None),
            "empty: NULL in SQLTables"
        );
        assert_eq!(ttl_and_settings("X TTL settings"), (Some("settings"), None), "a column");
    }

    /// Columns named like keywords, which both servers print unquoted, where an operand is due.
    #[test]
    fn keywords_where_an_operand_is_due_are_columns() {
        // As 26.9 prints a TTL on columns named `settings`, `order` and `ttl`.
        let text = "MergeTree ORDER BY id TTL settings + toIntervalDay(1) WHERE order = 1, ttl + toIntervalDay(1) \
                    WHERE settings > '2020-01-01' SETTINGS index_granularity = 4096";
        assert_eq!(
            clauses(text),
            [
                (Clause::OrderBy, "id"),
                (
                    Clause::Ttl,
                    "settings + toIntervalDay(1) WHERE order = 1, ttl + toIntervalDay(1) WHERE settings > '2020-01-01'"
                ),
                (Clause::Settings, "index_granularity = 4096"),
            ]
        );
        // As both print keys on columns named `in`, `set` and `where`: a word such as SET is a name where
        // an operand is due, and a keyword after it starts a clause.
        let text = "MergeTree PARTITION BY in PRIMARY KEY set ORDER BY (set, where) SAMPLE BY set SETTINGS index_granularity = 4096";
        assert_eq!(
            clauses(text),
            [
                (Clause::PartitionBy, "in"),
                (Clause::PrimaryKey, "set"),
                (Clause::OrderBy, "(set, where)"),
                (Clause::SampleBy, "set"),
                (Clause::Settings, "index_granularity = 4096"),
            ]
        );
        assert_eq!(
            clauses("X TTL d + 1, ttl + 1 WHERE a AND comment IN (1) OR NOT x = -settings SETTINGS s = 1 COMMENT 'c'"),
            [
                (
                    Clause::Ttl,
                    "d + 1, ttl + 1 WHERE a AND comment IN (1) OR NOT x = -settings"
                ),
                (Clause::Settings, "s = 1"),
                (Clause::Comment, "'c'"),
            ]
        );
        assert_eq!(
            clauses("X ORDER BY where TTL d WHERE ttl GROUP BY settings SET x = order SETTINGS y = 1"),
            [
                (Clause::OrderBy, "where"),
                (Clause::Ttl, "d WHERE ttl GROUP BY settings SET x = order"),
                (Clause::Settings, "y = 1"),
            ]
        );
    }

    #[test]
    fn plain_engines_and_odd_texts() {
        let parsed = EngineClauses::parse("MergeTree(d, (id, t), 8192)");
        assert_eq!(
            (parsed.engine, parsed.clauses.len()),
            ("MergeTree(d, (id, t), 8192)", 0)
        );
        assert_eq!(EngineClauses::parse("").engine, "");
        assert_eq!(EngineClauses::parse("View").cluster_by(), None);
        for text in [
            "X CLUSTER BY",
            "X ORDER BY",
            "X CLUSTER BY a INTO",
            "X CLUSTER BY a INTO x BUCKETS",
            "X CLUSTER BY a INTO 99999999999 BUCKETS",
            "X ORDER BY (a, 'b",
            "X ORDER BY `a\\",
            "X ORDER BY a) PRIMARY KEY (b]",
            "ü ORDER BY é SETTINGS ø",
        ] {
            let parsed = EngineClauses::parse(text);
            let _ = (parsed.cluster_by(), parsed.get(Clause::OrderBy));
        }
        assert_eq!(
            EngineClauses::parse("X CLUSTER BY a INTO").cluster_by(),
            Some(("a", None))
        );
        assert_eq!(
            EngineClauses::parse("X CLUSTER BY into INTO 2 BUCKETS").cluster_by(),
            Some(("into", Some(2)))
        );
        assert_eq!(EngineClauses::parse("X CLUSTER BY a").cluster_by(), Some(("a", None)));
        assert_eq!(
            clauses("ü ORDER BY é SETTINGS ø"),
            [(Clause::OrderBy, "é"), (Clause::Settings, "ø")]
        );
    }

    #[test]
    fn key_columns_are_the_identifiers_in_order() {
        assert_eq!(key_columns("id, toDate(t), `name`"), ["id", "name"]);
        assert_eq!(key_columns("(a, b)"), ["a", "b"]);
        assert_eq!(key_columns("(a)"), ["a"]);
        assert_eq!(key_columns("a"), ["a"]);
        assert_eq!(key_columns("((a, b))"), Vec::<String>::new(), "one tuple item");
        assert!(key_columns("").is_empty());
        assert!(key_columns("tuple()").is_empty());
        assert!(key_columns("(a + 1) * 2, 1, -x, x DESC, a.").is_empty());
    }

    #[test]
    fn key_columns_read_quoted_names_as_clickhouse_prints_them() {
        // As 18.16 and 26.9 print `sorting_key` for such columns.
        let key = r#"`名前`, `a.b`, `back\`tick`, `sp ace`, `dq"x`, `bs\\y`, plain, order, `1x`, `nl\nx`, n.x"#;
        assert_eq!(
            key_columns(key),
            [
                "名前",
                "a.b",
                "back`tick",
                "sp ace",
                "dq\"x",
                "bs\\y",
                "plain",
                "order",
                "1x",
                "nl\nx",
                "n.x"
            ]
        );
        assert_eq!(
            key_columns(r#""it's", "d""q", `b``q`, `\x41\t`, "#),
            ["it's", "d\"q", "b`q", "A\t"]
        );
        assert_eq!(key_columns("名前, `x"), ["名前"], "unterminated: not a name");
        assert_eq!(key_columns("`a`.`b c`"), ["a.b c"]);
    }
}
