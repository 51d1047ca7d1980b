//! ODBC escape sequences (`{d '2020-01-02'}`, `{fn UCASE(x)}`, `{oj ...}`, ...) rewritten into
//! ClickHouse SQL, for SQLExecDirect, SQLPrepare and SQLNativeSql.
//!
//! The scanner copies string literals, quoted identifiers and comments as they are, so braces in
//! them are not escapes. Escapes nest, and keywords and function names may be in any case.
//!
//! The expressions chosen run on ClickHouse 18.16 as well as on current servers. Where 18.16 has
//! nothing equivalent, the modern function is used (the old server then reports an unknown
//! function): `USER()`, `LOCATE` with a start position, `RIGHT`, and timestamps with fractions.
//! String functions count characters (UTF-8), as ODBC does; 18.16's `substringUTF8` only takes
//! constant, non-negative positions.

use std::borrow::Cow;

use super::diag::Diagnostic;

/// How deep escapes may nest, so that hostile input cannot exhaust the stack.
const MAX_NESTING: usize = 64;

/// ODBC scalar functions that ClickHouse has under another name: the arguments pass unchanged.
const RENAMED_FUNCTIONS: &[(&str, &str)] = &[
    // String functions.
    ("CHAR_LENGTH", "lengthUTF8"),
    ("CHARACTER_LENGTH", "lengthUTF8"),
    ("CONCAT", "concat"),
    ("LCASE", "lower"),
    ("OCTET_LENGTH", "length"),
    ("REPLACE", "replaceAll"),
    ("SUBSTRING", "substringUTF8"),
    ("UCASE", "upper"),
    // Numeric functions.
    ("ABS", "abs"),
    ("ACOS", "acos"),
    ("ASIN", "asin"),
    ("ATAN", "atan"),
    ("CEILING", "ceil"),
    ("COS", "cos"),
    ("EXP", "exp"),
    ("FLOOR", "floor"),
    ("LOG", "log"),
    ("LOG10", "log10"),
    ("MOD", "modulo"),
    ("PI", "pi"),
    ("POWER", "pow"),
    ("ROUND", "round"),
    ("SIN", "sin"),
    ("SQRT", "sqrt"),
    ("TAN", "tan"),
    ("TRUNCATE", "trunc"),
    // Date and time functions.
    ("CURDATE", "today"),
    ("CURRENT_DATE", "today"),
    ("DAYOFMONTH", "toDayOfMonth"),
    ("DAYOFYEAR", "toDayOfYear"),
    // `EXTRACT(YEAR FROM x)` is ClickHouse syntax too.
    ("EXTRACT", "EXTRACT"),
    ("HOUR", "toHour"),
    ("MINUTE", "toMinute"),
    ("MONTH", "toMonth"),
    ("NOW", "now"),
    ("QUARTER", "toQuarter"),
    ("SECOND", "toSecond"),
    ("YEAR", "toYear"),
    // System functions.
    ("DATABASE", "currentDatabase"),
    ("IFNULL", "ifNull"),
    // Not in ClickHouse 18.16, which has no function for the user's name at all.
    ("USER", "currentUser"),
];

/// The SQL type names of `CONVERT(value, SQL_type)` (without `SQL_`) and the ClickHouse types cast to.
const CONVERT_TYPES: &[(&str, &str)] = &[
    ("BIGINT", "Int64"),
    ("INTEGER", "Int32"),
    ("SMALLINT", "Int16"),
    ("TINYINT", "Int8"),
    ("BIT", "UInt8"),
    ("DOUBLE", "Float64"),
    ("FLOAT", "Float64"),
    ("REAL", "Float32"),
    ("CHAR", "String"),
    ("VARCHAR", "String"),
    ("LONGVARCHAR", "String"),
    ("WCHAR", "String"),
    ("WVARCHAR", "String"),
    ("WLONGVARCHAR", "String"),
    ("BINARY", "String"),
    ("VARBINARY", "String"),
    ("LONGVARBINARY", "String"),
    ("DATE", "Date"),
    ("TYPE_DATE", "Date"),
    ("TIMESTAMP", "DateTime"),
    ("TYPE_TIMESTAMP", "DateTime"),
    ("GUID", "UUID"),
];

/// The intervals of TIMESTAMPADD and TIMESTAMPDIFF (without `SQL_TSI_`): the `dateDiff` unit, and
/// the function and multiplier that add them (18.16 has no `addQuarters`).
const INTERVALS: &[(&str, &str, &str, u32)] = &[
    ("SECOND", "second", "addSeconds", 1),
    ("MINUTE", "minute", "addMinutes", 1),
    ("HOUR", "hour", "addHours", 1),
    ("DAY", "day", "addDays", 1),
    ("WEEK", "week", "addWeeks", 1),
    ("MONTH", "month", "addMonths", 1),
    ("QUARTER", "quarter", "addMonths", 3),
    ("YEAR", "year", "addYears", 1),
];

const DAY_NAMES: &str = "['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']";
const MONTH_NAMES: &str = "['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', \
                           'September', 'October', 'November', 'December']";

/// Rewrites the ODBC escape sequences of `sql` into ClickHouse SQL; borrows `sql` when there are none.
pub fn rewrite(sql: &str) -> Result<Cow<'_, str>, Diagnostic> {
    if !sql.contains('{') {
        return Ok(Cow::Borrowed(sql));
    }
    let mut scanner = Scanner { sql, at: 0, nesting: 0 };
    let mut rewritten = String::with_capacity(sql.len());
    scanner.copy_until(Stop::End, 0, &mut rewritten)?;
    Ok(if rewritten == sql {
        Cow::Borrowed(sql)
    } else {
        Cow::Owned(rewritten)
    })
}

/// Where [`Scanner::copy_until`] stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stop {
    /// The end of the statement.
    End,
    /// The `}` closing an escape.
    CloseBrace,
    /// The `,` or `)` ending a function argument (outside nested parentheses), or a `}`.
    ArgumentEnd,
}

struct Scanner<'a> {
    sql: &'a str,
    at: usize,
    nesting: usize,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.sql.as_bytes().get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(|byte| byte.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    fn word(&mut self) -> &'a str {
        let start = self.at;
        while self.peek().is_some_and(is_word_byte) {
            self.at += 1;
        }
        &self.sql[start..self.at]
    }

    /// Copies text to `out` up to where `stop` applies, rewriting the escapes in it. `opened_at` is
    /// the offset of the escape being read, for the error when the statement ends first.
    fn copy_until(&mut self, stop: Stop, opened_at: usize, out: &mut String) -> Result<(), Diagnostic> {
        let text = self.sql.as_bytes();
        let mut parentheses = 0usize;
        let mut copied_to = self.at;
        loop {
            let Some(byte) = self.peek() else {
                out.push_str(&self.sql[copied_to..]);
                return match stop {
                    Stop::End => Ok(()),
                    _ => Err(unterminated(opened_at)),
                };
            };
            let stops_here = match byte {
                b'}' => stop != Stop::End,
                b',' | b')' => stop == Stop::ArgumentEnd && parentheses == 0,
                _ => false,
            };
            if stops_here {
                out.push_str(&self.sql[copied_to..self.at]);
                return Ok(());
            }
            let rest = &text[self.at..];
            match byte {
                b'\'' | b'"' | b'`' => self.at = quoted_end(text, self.at).unwrap_or(text.len()),
                b'-' if rest.starts_with(b"--") => {
                    self.at = rest
                        .iter()
                        .position(|&byte| byte == b'\n')
                        .map_or(text.len(), |end| self.at + end + 1);
                }
                b'/' if rest.starts_with(b"/*") => {
                    self.at = rest[2..]
                        .windows(2)
                        .position(|pair| pair == b"*/")
                        .map_or(text.len(), |end| self.at + end + 4);
                }
                b'(' => {
                    parentheses += 1;
                    self.at += 1;
                }
                b')' => {
                    parentheses = parentheses.saturating_sub(1);
                    self.at += 1;
                }
                b'{' => {
                    out.push_str(&self.sql[copied_to..self.at]);
                    self.escape(out)?;
                    copied_to = self.at;
                }
                _ => self.at += 1,
            }
        }
    }

    /// Rewrites the escape whose `{` is at the current offset, appending the result to `out`.
    fn escape(&mut self, out: &mut String) -> Result<(), Diagnostic> {
        let opened_at = self.at;
        if self.nesting == MAX_NESTING {
            return Err(syntax_error(format!(
                "escape sequences are nested more than {MAX_NESTING} deep at offset {opened_at}"
            )));
        }
        self.nesting += 1;
        self.at += 1;
        let replacement = self.escape_body(opened_at);
        self.nesting -= 1;
        append_token(out, &replacement?, self.peek());
        Ok(())
    }

    /// Reads an escape from after its `{` through its `}` and returns its ClickHouse equivalent.
    fn escape_body(&mut self, opened_at: usize) -> Result<String, Diagnostic> {
        self.skip_whitespace();
        if self.peek() == Some(b'?') {
            return Err(procedures_not_supported());
        }
        let keyword = self.word();
        let replacement = match keyword.to_ascii_lowercase().as_str() {
            "fn" => self.scalar_function(opened_at)?,
            "d" => format!("toDate({})", self.datetime_literal(keyword, opened_at, is_date)?),
            // ClickHouse has no type for a time of day, so a time is the string CURTIME() also returns.
            "t" => self.datetime_literal(keyword, opened_at, is_time)?.to_owned(),
            "ts" => match self.datetime_literal(keyword, opened_at, is_timestamp)? {
                literal if literal.contains('.') => format!("toDateTime64({literal}, 9)"),
                literal => format!("toDateTime({literal})"),
            },
            "guid" => {
                let literal = self.quoted_string();
                let literal = literal.ok_or_else(|| expected("a quoted GUID", self.at, opened_at))?;
                format!("toUUID({literal})")
            }
            "oj" => {
                let mut joins = String::new();
                self.copy_until(Stop::CloseBrace, opened_at, &mut joins)?;
                trim_token(&joins).to_owned()
            }
            "escape" => self.like_escape(opened_at)?,
            "call" => return Err(procedures_not_supported()),
            "interval" => return Err(not_supported("interval literals ({INTERVAL ...}) are not supported")),
            "" if self.peek().is_none() => return Err(unterminated(opened_at)),
            "" => {
                return Err(syntax_error(format!(
                    "expected an escape keyword after `{{` at offset {opened_at}"
                )));
            }
            _ => {
                return Err(syntax_error(format!(
                    "unknown ODBC escape `{{{keyword}` at offset {opened_at}"
                )));
            }
        };
        self.skip_whitespace();
        match self.peek() {
            Some(b'}') => {
                self.at += 1;
                Ok(replacement)
            }
            None => Err(unterminated(opened_at)),
            Some(_) => Err(expected("`}`", self.at, opened_at)),
        }
    }

    /// A single-quoted string literal (quotes included) after optional whitespace.
    fn quoted_string(&mut self) -> Option<&'a str> {
        self.skip_whitespace();
        if self.peek() != Some(b'\'') {
            return None;
        }
        let start = self.at;
        self.at = quoted_end(self.sql.as_bytes(), start)?;
        Some(&self.sql[start..self.at])
    }

    /// The literal of `{d ...}`, `{t ...}` or `{ts ...}`, if `valid` accepts the text between its quotes.
    fn datetime_literal(
        &mut self,
        keyword: &str,
        opened_at: usize,
        valid: impl Fn(&str) -> bool,
    ) -> Result<&'a str, Diagnostic> {
        match self.quoted_string() {
            Some(literal) if valid(&literal[1..literal.len() - 1]) => Ok(literal),
            _ => Err(Diagnostic::new(
                "22007",
                format!("invalid datetime format in the `{{{keyword} ...}}` escape at offset {opened_at}"),
            )),
        }
    }

    /// `{escape 'c'}` after LIKE: ClickHouse patterns escape with a backslash and nothing else, so
    /// only a backslash is accepted, and the clause is dropped.
    fn like_escape(&mut self, opened_at: usize) -> Result<String, Diagnostic> {
        self.skip_whitespace();
        // `'\'` is how ODBC writes it; ClickHouse's lexer would read `\'` as an escaped quote.
        for backslash in [r"'\\'", r"'\'"] {
            if self.sql[self.at..].starts_with(backslash) {
                self.at += backslash.len();
                return Ok(String::new());
            }
        }
        match self.quoted_string() {
            Some(_) => Err(not_supported(
                "LIKE escape characters other than backslash are not supported ({escape ...})",
            )),
            None => Err(expected("a quoted escape character", self.at, opened_at)),
        }
    }

    /// `{fn name(arguments)}` from after `fn` through the `)`.
    fn scalar_function(&mut self, opened_at: usize) -> Result<String, Diagnostic> {
        self.skip_whitespace();
        let name = self.word();
        if name.is_empty() {
            return Err(expected("a function name", self.at, opened_at));
        }
        self.skip_whitespace();
        match self.peek() {
            Some(b'(') => self.at += 1,
            None => return Err(unterminated(opened_at)),
            Some(_) => return Err(expected("`(`", self.at, opened_at)),
        }
        let mut arguments = Vec::new();
        loop {
            let mut argument = String::new();
            self.copy_until(Stop::ArgumentEnd, opened_at, &mut argument)?;
            let argument = trim_token(&argument).to_owned();
            match self.peek() {
                Some(b',') => arguments.push(argument),
                Some(b')') => {
                    if !(arguments.is_empty() && argument.is_empty()) {
                        arguments.push(argument);
                    }
                    self.at += 1;
                    return scalar_function(name, &arguments);
                }
                _ => return Err(expected("`)`", self.at, opened_at)),
            }
            self.at += 1;
        }
    }
}

/// The ClickHouse expression for the ODBC scalar function `name` applied to `arguments`.
fn scalar_function(name: &str, arguments: &[String]) -> Result<String, Diagnostic> {
    let upper_name = name.to_ascii_uppercase();
    if let Some((_, clickhouse_name)) = RENAMED_FUNCTIONS.iter().find(|(odbc_name, _)| *odbc_name == upper_name) {
        return Ok(format!("{clickhouse_name}({})", arguments.join(", ")));
    }
    Ok(match (upper_name.as_str(), arguments) {
        // String functions. 18.16 has no ascii, char, repeat or trimLeft.
        ("ASCII", [text]) => format!("reinterpretAsUInt8(substring({text}, 1, 1))"),
        ("CHAR", [code]) => format!("reinterpretAsString(toUInt8({code}))"),
        ("BIT_LENGTH", [text]) => format!("(length({text}) * 8)"),
        // ODBC's LENGTH leaves out trailing blanks.
        ("LENGTH", [text]) => format!("lengthUTF8(replaceRegexpOne({text}, ' +$', ''))"),
        ("LEFT", [text, count]) => format!("substringUTF8({text}, 1, {count})"),
        ("RIGHT", [text, count]) => format!("substringUTF8({text}, -({count}), {count})"),
        ("LOCATE", [needle, haystack]) => format!("positionUTF8({haystack}, {needle})"),
        ("LOCATE", [needle, haystack, start]) => format!("positionUTF8({haystack}, {needle}, {start})"),
        ("LTRIM", [text]) => format!("replaceRegexpOne({text}, '^ +', '')"),
        ("RTRIM", [text]) => format!("replaceRegexpOne({text}, ' +$', '')"),
        ("REPEAT", [text, count]) => repeat(text, count),
        ("SPACE", [count]) => repeat("' '", count),
        ("INSERT", _) => return Err(not_supported("the scalar function INSERT is not supported")),
        // Numeric functions. 18.16 has no atan2, sign or cot, and drivers disagree on ATAN2's argument order.
        ("ATAN2", _) => return Err(not_supported("the scalar function ATAN2 is not supported")),
        ("COT", [x]) => format!("(1 / tan({x}))"),
        ("DEGREES", [x]) => format!("(({x}) * 180 / pi())"),
        ("RADIANS", [x]) => format!("(({x}) * pi() / 180)"),
        // A float in [0, 1) as ODBC wants; ClickHouse cannot seed rand().
        ("RAND", [] | [_]) => "(rand() / 4294967296)".to_owned(),
        ("SIGN", [x]) => format!("((({x}) > 0) - (({x}) < 0))"),
        // Date and time functions; the optional precision of the current time is ignored.
        ("CURRENT_TIMESTAMP", [] | [_]) => "now()".to_owned(),
        // `%T`, because `%M` is the minute on 18.16 but the month's name on current servers.
        ("CURTIME" | "CURRENT_TIME", [] | [_]) => "formatDateTime(now(), '%T')".to_owned(),
        // ODBC counts from Sunday = 1, ClickHouse from Monday = 1.
        ("DAYOFWEEK", [date]) => format!("(toDayOfWeek({date}) % 7 + 1)"),
        ("DAYNAME", [date]) => format!("{DAY_NAMES}[toDayOfWeek({date})]"),
        ("MONTHNAME", [date]) => format!("{MONTH_NAMES}[toMonth({date})]"),
        // ODBC's week: week 1 holds January 1st and weeks start on Sunday (not ISO weeks).
        ("WEEK", [date]) => {
            format!("(intDiv(toDayOfYear({date}) + toDayOfWeek(toStartOfYear({date})) % 7 - 1, 7) + 1)")
        }
        ("TIMESTAMPADD", [interval, count, timestamp]) => {
            let &(_, _, add_function, multiplier) = interval_of(interval)?;
            match multiplier {
                1 => format!("{add_function}({timestamp}, {count})"),
                _ => format!("{add_function}({timestamp}, ({count}) * {multiplier})"),
            }
        }
        // dateDiff counts unit boundaries crossed, as SQL Server's DATEDIFF does.
        ("TIMESTAMPDIFF", [interval, start, end]) => {
            let (_, unit, ..) = interval_of(interval)?;
            format!("dateDiff('{unit}', {start}, {end})")
        }
        ("CONVERT", [value, sql_type]) => format!("CAST({value} AS {})", convert_type(sql_type)?),
        _ => {
            let count = arguments.len();
            let plural = if count == 1 { "" } else { "s" };
            return Err(not_supported(format!(
                "the scalar function {name} with {count} argument{plural} is not supported"
            )));
        }
    })
}

/// `text` repeated `count` times, with what 18.16 has (it has no `repeat`).
fn repeat(text: &str, count: &str) -> String {
    format!("arrayStringConcat(arrayResize(emptyArrayString(), {count}, {text}))")
}

fn interval_of(interval: &str) -> Result<&'static (&'static str, &'static str, &'static str, u32), Diagnostic> {
    let upper = interval.to_ascii_uppercase();
    let unit = upper.strip_prefix("SQL_TSI_").unwrap_or(&upper);
    if let Some(known) = INTERVALS.iter().find(|(odbc_unit, ..)| *odbc_unit == unit) {
        return Ok(known);
    }
    Err(match unit {
        "FRAC_SECOND" => not_supported("the interval SQL_TSI_FRAC_SECOND is not supported"),
        _ => syntax_error(format!(
            "unknown interval `{interval}` in TIMESTAMPADD or TIMESTAMPDIFF"
        )),
    })
}

fn convert_type(sql_type: &str) -> Result<&'static str, Diagnostic> {
    let upper = sql_type.to_ascii_uppercase();
    let name = upper.strip_prefix("SQL_").unwrap_or(&upper);
    if let Some((_, clickhouse_type)) = CONVERT_TYPES.iter().find(|(odbc_type, _)| *odbc_type == name) {
        return Ok(clickhouse_type);
    }
    Err(match name {
        "DECIMAL" | "NUMERIC" => not_supported(format!(
            "CONVERT to {sql_type} is not supported: it gives no precision and scale for a Decimal"
        )),
        _ => not_supported(format!("CONVERT to {sql_type} is not supported")),
    })
}

/// Appends `token` to `out`, with a space where it would otherwise fuse with a neighbouring word
/// (`SELECT{fn NOW()}` or `{oj a JOIN b ON c}WHERE`); `next` is the byte after the escape.
fn append_token(out: &mut String, token: &str, next: Option<u8>) {
    let fuse = |left: Option<u8>, right: Option<u8>| left.is_some_and(is_word_byte) && right.is_some_and(is_word_byte);
    let before = out.bytes().last();
    if token.is_empty() {
        if fuse(before, next) {
            out.push(' ');
        }
        return;
    }
    if fuse(before, token.bytes().next()) {
        out.push(' ');
    }
    out.push_str(token);
    if fuse(token.bytes().last(), next) {
        out.push(' ');
    }
}

/// Trims an argument or join clause, keeping the newline that ends a trailing `--` comment.
fn trim_token(text: &str) -> &str {
    text.trim_start().trim_end_matches([' ', '\t'])
}

pub(super) fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// The offset after the quoted token starting at `at` (whose quote is `text[at]`), or None if unterminated.
/// A quote is escaped by doubling it or with a backslash, as ClickHouse's lexer reads it.
pub(super) fn quoted_end(text: &[u8], at: usize) -> Option<usize> {
    let quote = text[at];
    let mut index = at + 1;
    while index < text.len() {
        match text[index] {
            b'\\' => index += 2,
            byte if byte == quote && text.get(index + 1) == Some(&quote) => index += 2,
            byte if byte == quote => return Some(index + 1),
            _ => index += 1,
        }
    }
    None
}

/// Whether `text` has the shape of `pattern`, where `9` stands for any digit.
fn has_shape(text: &str, pattern: &str) -> bool {
    text.len() == pattern.len()
        && text
            .bytes()
            .zip(pattern.bytes())
            .all(|(byte, expected)| match expected {
                b'9' => byte.is_ascii_digit(),
                _ => byte == expected,
            })
}

fn is_date(text: &str) -> bool {
    has_shape(text, "9999-99-99")
}

fn is_time(text: &str) -> bool {
    has_shape(text, "99:99:99")
}

/// `yyyy-mm-dd hh:mm:ss` with an optional fraction of up to 9 digits.
fn is_timestamp(text: &str) -> bool {
    let (whole_seconds, fraction) = match text.split_once('.') {
        Some((whole_seconds, fraction)) => (whole_seconds, Some(fraction)),
        None => (text, None),
    };
    has_shape(whole_seconds, "9999-99-99 99:99:99")
        && fraction
            .is_none_or(|digits| (1..=9).contains(&digits.len()) && digits.bytes().all(|byte| byte.is_ascii_digit()))
}

fn unterminated(opened_at: usize) -> Diagnostic {
    syntax_error(format!("the ODBC escape at offset {opened_at} has no closing `}}`"))
}

fn expected(what: &str, at: usize, opened_at: usize) -> Diagnostic {
    syntax_error(format!(
        "expected {what} at offset {at} in the ODBC escape at offset {opened_at}"
    ))
}

fn syntax_error(message: String) -> Diagnostic {
    Diagnostic::new("42000", message)
}

fn not_supported(message: impl std::fmt::Display) -> Diagnostic {
    Diagnostic::new("HYC00", message)
}

fn procedures_not_supported() -> Diagnostic {
    not_supported("procedures are not supported ({call ...})")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(sql: &str) -> String {
        match rewrite(sql) {
            Ok(text) => text.into_owned(),
            Err(diagnostic) => panic!("{sql}: {}", diagnostic.message),
        }
    }

    fn sqlstate(sql: &str) -> &'static str {
        match rewrite(sql) {
            Ok(text) => panic!("{sql} was rewritten to {text}"),
            Err(diagnostic) => diagnostic.sqlstate,
        }
    }

    fn function(call: &str) -> String {
        rewritten(&format!("{{fn {call}}}"))
    }

    #[test]
    fn borrows_what_has_no_escapes() -> Result<(), Diagnostic> {
        assert!(matches!(rewrite("SELECT 1")?, Cow::Borrowed("SELECT 1")));
        let quoted = "SELECT '{d x}', \"{\", `{fn`, 'it''s {', 'a\\'{' -- {oj\n/* { */ FROM t";
        assert!(matches!(rewrite(quoted)?, Cow::Borrowed(text) if text == quoted));
        assert!(matches!(rewrite("SELECT {fn NOW()}")?, Cow::Owned(_)));
        Ok(())
    }

    #[test]
    fn leaves_braces_in_literals_identifiers_and_comments() {
        assert_eq!(
            rewritten("SELECT '{d}', \"{x}\", `{y}`, {fn UCASE('}')} -- {fn\n/* {oj */ + 1"),
            "SELECT '{d}', \"{x}\", `{y}`, upper('}') -- {fn\n/* {oj */ + 1"
        );
        assert_eq!(rewritten("SELECT {fn LCASE('a''}\\'')}"), "SELECT lower('a''}\\'')");
        assert_eq!(rewritten("SELECT {fn UCASE(x -- )\n)}"), "SELECT upper(x -- )\n)");
        assert_eq!(rewritten("SELECT 1 } {fn PI()}"), "SELECT 1 } pi()");
    }

    #[test]
    fn datetime_literals() {
        assert_eq!(rewritten("SELECT {d '2020-01-02'}"), "SELECT toDate('2020-01-02')");
        assert_eq!(rewritten("SELECT {t '10:11:12'}"), "SELECT '10:11:12'");
        assert_eq!(
            rewritten("SELECT {ts '2020-01-02 10:11:12'}"),
            "SELECT toDateTime('2020-01-02 10:11:12')"
        );
        assert_eq!(
            rewritten("SELECT {ts '2020-01-02 10:11:12.345'}"),
            "SELECT toDateTime64('2020-01-02 10:11:12.345', 9)"
        );
        assert_eq!(rewritten("{ D'2020-01-02' }"), "toDate('2020-01-02')");
        for invalid in [
            "{d '2020-1-02'}",
            "{d 2020-01-02}",
            "{d ?}",
            "{t '10:11'}",
            "{ts '2020-01-02'}",
            "{ts '2020-01-02 10:11:12.'}",
            "{ts '2020-01-02 10:11:12.1234567890'}",
            "{ts '2020-01-02T10:11:12'}",
            "{d '2020-01-02}",
        ] {
            assert_eq!(sqlstate(invalid), "22007", "{invalid}");
        }
    }

    #[test]
    fn other_escapes() {
        assert_eq!(
            rewritten("SELECT * FROM {oj a LEFT OUTER JOIN b ON a.x = b.x} WHERE 1"),
            "SELECT * FROM a LEFT OUTER JOIN b ON a.x = b.x WHERE 1"
        );
        assert_eq!(
            rewritten("SELECT {guid '61f0c404-5cb3-11e7-907b-a6006ad3dba0'}"),
            "SELECT toUUID('61f0c404-5cb3-11e7-907b-a6006ad3dba0')"
        );
        assert_eq!(rewritten(r"x LIKE 'a\_%' {escape '\'}"), r"x LIKE 'a\_%' ");
        assert_eq!(
            rewritten(r"x LIKE 'a\\_%' {ESCAPE '\\'} AND 1"),
            r"x LIKE 'a\\_%'  AND 1"
        );
        assert_eq!(sqlstate("x LIKE 'a!_' {escape '!'}"), "HYC00");
        assert_eq!(sqlstate("{call p(1)}"), "HYC00");
        assert_eq!(sqlstate("{?= call p(?)}"), "HYC00");
        assert_eq!(sqlstate("SELECT {INTERVAL '1' DAY}"), "HYC00");
    }

    #[test]
    fn syntax_errors() {
        for invalid in [
            "SELECT {",
            "SELECT {fn",
            "SELECT {fn NOW()",
            "SELECT {fn UCASE('a'",
            "SELECT {oj a JOIN b ON c",
            "SELECT {x}",
            "SELECT {'a': 1}",
            "SELECT {fn NOW}",
            "SELECT {fn NOW() x}",
            "SELECT {fn UCASE(x}",
            "SELECT {fn ()}",
            "SELECT {guid 1}",
            "SELECT {escape}",
            "SELECT {fn TIMESTAMPADD(SQL_TSI_EON, 1, x)}",
        ] {
            assert_eq!(sqlstate(invalid), "42000", "{invalid}");
        }
        let message = rewrite("SELECT 1, {fn UCASE(x)").unwrap_err().message;
        assert!(message.contains("offset 10"), "{message}");
        let message = rewrite("SELECT {foo 1}").unwrap_err().message;
        assert!(message.contains("`{foo`") && message.contains("offset 7"), "{message}");
    }

    #[test]
    fn nesting_case_and_whitespace() {
        assert_eq!(
            rewritten("{fn UCASE({fn LTRIM(x)})}"),
            "upper(replaceRegexpOne(x, '^ +', ''))"
        );
        assert_eq!(rewritten("{ FN ucase( x ) }"), "upper(x)");
        assert_eq!(
            rewritten("{fn concat(f(a, (b, c)), {fn substring('x,)', 1, {fn length(s)})})}"),
            "concat(f(a, (b, c)), substringUTF8('x,)', 1, lengthUTF8(replaceRegexpOne(s, ' +$', ''))))"
        );
        assert_eq!(
            rewritten("{oj a JOIN b ON a.d = {d '2020-01-02'}}"),
            "a JOIN b ON a.d = toDate('2020-01-02')"
        );
        assert_eq!(rewritten("SELECT{fn NOW()}"), "SELECT now()");
        assert_eq!(
            rewritten("FROM {oj a JOIN b ON c}WHERE 1"),
            "FROM a JOIN b ON c WHERE 1"
        );
        assert_eq!(rewritten("SELECT ÿ, {fn UCASE('é')}"), "SELECT ÿ, upper('é')");
        let deep = "{fn ABS(".repeat(10_000);
        assert_eq!(sqlstate(&deep), "42000");
        let nested = format!("{}1{}", "{fn ABS(".repeat(MAX_NESTING), ")}".repeat(MAX_NESTING));
        assert!(rewritten(&nested).starts_with("abs(abs("));
    }

    #[test]
    fn renamed_functions() {
        for (odbc_name, clickhouse_name) in RENAMED_FUNCTIONS {
            assert_eq!(function(&format!("{odbc_name}(x)")), format!("{clickhouse_name}(x)"));
        }
        assert_eq!(function("CONCAT('a', 'b')"), "concat('a', 'b')");
        assert_eq!(function("SUBSTRING(s,2 ,3)"), "substringUTF8(s, 2, 3)");
        assert_eq!(function("REPLACE(s, 'a', 'b')"), "replaceAll(s, 'a', 'b')");
        assert_eq!(function("MOD(7, 3)"), "modulo(7, 3)");
        assert_eq!(function("TRUNCATE(x, 2)"), "trunc(x, 2)");
        assert_eq!(function("POWER(2, 10)"), "pow(2, 10)");
        assert_eq!(function("PI()"), "pi()");
        assert_eq!(function("CURDATE()"), "today()");
        assert_eq!(function("CURRENT_DATE()"), "today()");
        assert_eq!(function("NOW()"), "now()");
        assert_eq!(function("DATABASE()"), "currentDatabase()");
        assert_eq!(function("USER()"), "currentUser()");
        assert_eq!(function("IFNULL(a, 0)"), "ifNull(a, 0)");
        assert_eq!(function("EXTRACT(YEAR FROM d)"), "EXTRACT(YEAR FROM d)");
    }

    #[test]
    fn string_functions() {
        assert_eq!(function("ASCII(s)"), "reinterpretAsUInt8(substring(s, 1, 1))");
        assert_eq!(function("CHAR(65)"), "reinterpretAsString(toUInt8(65))");
        assert_eq!(function("BIT_LENGTH(s)"), "(length(s) * 8)");
        assert_eq!(function("OCTET_LENGTH(s)"), "length(s)");
        assert_eq!(function("CHAR_LENGTH(s)"), "lengthUTF8(s)");
        assert_eq!(function("LENGTH(s)"), "lengthUTF8(replaceRegexpOne(s, ' +$', ''))");
        assert_eq!(function("LEFT(s, 2)"), "substringUTF8(s, 1, 2)");
        assert_eq!(function("RIGHT(s, 2)"), "substringUTF8(s, -(2), 2)");
        assert_eq!(function("LOCATE('b', s)"), "positionUTF8(s, 'b')");
        assert_eq!(function("LOCATE('b', s, 3)"), "positionUTF8(s, 'b', 3)");
        assert_eq!(function("LTRIM(s)"), "replaceRegexpOne(s, '^ +', '')");
        assert_eq!(function("RTRIM(s)"), "replaceRegexpOne(s, ' +$', '')");
        assert_eq!(
            function("REPEAT(s, 3)"),
            "arrayStringConcat(arrayResize(emptyArrayString(), 3, s))"
        );
        assert_eq!(
            function("SPACE(2)"),
            "arrayStringConcat(arrayResize(emptyArrayString(), 2, ' '))"
        );
        assert_eq!(function("UCASE(s)"), "upper(s)");
        assert_eq!(function("LCASE(s)"), "lower(s)");
        assert_eq!(sqlstate("{fn INSERT('abc', 1, 1, 'x')}"), "HYC00");
    }

    #[test]
    fn numeric_functions() {
        assert_eq!(function("CEILING(x)"), "ceil(x)");
        assert_eq!(function("COT(x)"), "(1 / tan(x))");
        assert_eq!(function("DEGREES(x + 1)"), "((x + 1) * 180 / pi())");
        assert_eq!(function("RADIANS(x)"), "((x) * pi() / 180)");
        assert_eq!(function("RAND()"), "(rand() / 4294967296)");
        assert_eq!(function("RAND(7)"), "(rand() / 4294967296)");
        assert_eq!(function("SIGN(x)"), "(((x) > 0) - ((x) < 0))");
        assert_eq!(function("ROUND(x, 2)"), "round(x, 2)");
        assert_eq!(function("LOG10(x)"), "log10(x)");
        assert_eq!(sqlstate("{fn ATAN2(1, 2)}"), "HYC00");
    }

    #[test]
    fn date_and_time_functions() {
        assert_eq!(function("CURTIME()"), "formatDateTime(now(), '%T')");
        assert_eq!(function("CURRENT_TIME(3)"), "formatDateTime(now(), '%T')");
        assert_eq!(function("CURRENT_TIMESTAMP()"), "now()");
        assert_eq!(function("DAYOFWEEK(d)"), "(toDayOfWeek(d) % 7 + 1)");
        assert_eq!(function("DAYOFMONTH(d)"), "toDayOfMonth(d)");
        assert_eq!(function("DAYOFYEAR(d)"), "toDayOfYear(d)");
        assert_eq!(function("HOUR(d)"), "toHour(d)");
        assert_eq!(function("QUARTER(d)"), "toQuarter(d)");
        assert_eq!(
            function("WEEK(d)"),
            "(intDiv(toDayOfYear(d) + toDayOfWeek(toStartOfYear(d)) % 7 - 1, 7) + 1)"
        );
        assert_eq!(function("DAYNAME(d)"), format!("{DAY_NAMES}[toDayOfWeek(d)]"));
        assert_eq!(function("MONTHNAME(d)"), format!("{MONTH_NAMES}[toMonth(d)]"));
        assert_eq!(function("TIMESTAMPADD(SQL_TSI_SECOND, 5, t)"), "addSeconds(t, 5)");
        assert_eq!(function("TIMESTAMPADD(sql_tsi_minute, 5, t)"), "addMinutes(t, 5)");
        assert_eq!(function("TIMESTAMPADD(SQL_TSI_HOUR, 5, t)"), "addHours(t, 5)");
        assert_eq!(function("TIMESTAMPADD(SQL_TSI_DAY, n, t)"), "addDays(t, n)");
        assert_eq!(function("TIMESTAMPADD(SQL_TSI_WEEK, 1, t)"), "addWeeks(t, 1)");
        assert_eq!(function("TIMESTAMPADD(SQL_TSI_MONTH, 1, t)"), "addMonths(t, 1)");
        assert_eq!(
            function("TIMESTAMPADD(SQL_TSI_QUARTER, n + 1, t)"),
            "addMonths(t, (n + 1) * 3)"
        );
        assert_eq!(function("TIMESTAMPADD(SQL_TSI_YEAR, 1, t)"), "addYears(t, 1)");
        assert_eq!(function("TIMESTAMPDIFF(SQL_TSI_DAY, a, b)"), "dateDiff('day', a, b)");
        assert_eq!(
            function("TIMESTAMPDIFF(SQL_TSI_QUARTER, a, b)"),
            "dateDiff('quarter', a, b)"
        );
        assert_eq!(
            function("TIMESTAMPDIFF(SQL_TSI_SECOND, a, b)"),
            "dateDiff('second', a, b)"
        );
        assert_eq!(sqlstate("{fn TIMESTAMPADD(SQL_TSI_FRAC_SECOND, 1, t)}"), "HYC00");
        assert_eq!(sqlstate("{fn TIMESTAMPDIFF(SQL_TSI_FRAC_SECOND, a, b)}"), "HYC00");
    }

    #[test]
    fn convert() {
        for (sql_type, clickhouse_type) in [
            ("SQL_BIGINT", "Int64"),
            ("SQL_INTEGER", "Int32"),
            ("SQL_SMALLINT", "Int16"),
            ("SQL_TINYINT", "Int8"),
            ("SQL_DOUBLE", "Float64"),
            ("SQL_FLOAT", "Float64"),
            ("SQL_REAL", "Float32"),
            ("SQL_VARCHAR", "String"),
            ("SQL_CHAR", "String"),
            ("SQL_WVARCHAR", "String"),
            ("SQL_LONGVARCHAR", "String"),
            ("SQL_DATE", "Date"),
            ("sql_type_date", "Date"),
            ("SQL_TIMESTAMP", "DateTime"),
            ("SQL_TYPE_TIMESTAMP", "DateTime"),
            ("SQL_BIT", "UInt8"),
            ("SQL_GUID", "UUID"),
        ] {
            assert_eq!(
                function(&format!("CONVERT(x, {sql_type})")),
                format!("CAST(x AS {clickhouse_type})")
            );
        }
        assert_eq!(sqlstate("{fn CONVERT(x, SQL_DECIMAL)}"), "HYC00");
        assert_eq!(sqlstate("{fn CONVERT(x, SQL_NUMERIC)}"), "HYC00");
        assert_eq!(sqlstate("{fn CONVERT(x, SQL_INTERVAL_DAY)}"), "HYC00");
    }

    #[test]
    fn unknown_functions_are_named() {
        let error = rewrite("{fn SOUNDEX(x)}").unwrap_err();
        assert_eq!(error.sqlstate, "HYC00");
        assert!(error.message.contains("SOUNDEX"), "{}", error.message);
        assert_eq!(sqlstate("{fn LEFT(x)}"), "HYC00");
    }

    #[test]
    fn never_panics_on_random_input() {
        const ALPHABET: &[&str] = &[
            "{",
            "}",
            "(",
            ")",
            "'",
            "\"",
            "`",
            ",",
            " ",
            "\\",
            "-",
            "/",
            "*",
            "\n",
            "?",
            "=",
            "d",
            "t",
            "s",
            "fn",
            "oj",
            "ts",
            "f",
            "n",
            "x",
            "1",
            "é",
            "UCASE",
            "call",
            "escape",
            "SQL_TSI_DAY",
            ".",
            ":",
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..50_000 {
            let length = next() % 24;
            let sql: String = (0..length)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect();
            let _ = rewrite(&sql);
        }
    }
}
