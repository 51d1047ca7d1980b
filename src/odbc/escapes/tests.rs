use std::borrow::Cow;

use super::functions::{DAY_NAMES, MONTH_NAMES, RENAMED_FUNCTIONS};
use super::rewrite;
use super::scanner::MAX_NESTING;
use crate::odbc::diag::Diagnostic;

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
