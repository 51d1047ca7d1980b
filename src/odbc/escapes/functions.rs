//! ODBC scalar functions (`{fn ...}`) as ClickHouse expressions.

use super::errors::{not_supported, syntax_error};
use crate::odbc::diag::Diagnostic;

/// ODBC scalar functions that ClickHouse has under another name: the arguments pass unchanged.
pub(super) const RENAMED_FUNCTIONS: &[(&str, &str)] = &[
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

pub(super) const DAY_NAMES: &str = "['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday']";
pub(super) const MONTH_NAMES: &str = "['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', \
                           'September', 'October', 'November', 'December']";

/// The ClickHouse expression for the ODBC scalar function `name` applied to `arguments`.
pub(super) fn scalar_function(name: &str, arguments: &[String]) -> Result<String, Diagnostic> {
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
