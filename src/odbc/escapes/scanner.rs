//! The scanner: copies a statement through, skipping string literals, quoted identifiers and
//! comments, and reads each escape into its ClickHouse equivalent.

use super::errors::{expected, not_supported, procedures_not_supported, syntax_error, unterminated};
use super::functions::scalar_function;
use super::literals::{is_date, is_time, is_timestamp};
use crate::native::sql::{is_word_byte, quoted_end};
use crate::odbc::diag::Diagnostic;

/// How deep escapes may nest, so that hostile input cannot exhaust the stack.
pub(super) const MAX_NESTING: usize = 64;

/// Where [`Scanner::copy_until`] stops.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Stop {
    /// The end of the statement.
    End,
    /// The `}` closing an escape.
    CloseBrace,
    /// The `,` or `)` ending a function argument (outside nested parentheses), or a `}`.
    ArgumentEnd,
}

pub(super) struct Scanner<'a> {
    sql: &'a str,
    at: usize,
    nesting: usize,
}

impl<'a> Scanner<'a> {
    pub(super) fn new(sql: &'a str) -> Self {
        Scanner { sql, at: 0, nesting: 0 }
    }

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
    pub(super) fn copy_until(&mut self, stop: Stop, opened_at: usize, out: &mut String) -> Result<(), Diagnostic> {
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

/// Appends `token` to `out`, with a space where it would otherwise fuse with a neighbouring word
/// (`SELECT{fn NOW()}` or `{oj a JOIN b ON c}WHERE`); `next` is the byte after the escape.
pub(super) fn append_token(out: &mut String, token: &str, next: Option<u8>) {
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
pub(super) fn trim_token(text: &str) -> &str {
    text.trim_start().trim_end_matches([' ', '\t'])
}
