//! Every column type the servers have, read through the C API's block views (`bh_block_column`)
//! and printed from the raw view memory the way the header documents it, compared with what the
//! server prints for the same value (`toString`), on both servers.

mod common;

use std::ffi::{CStr, CString};
use std::net::{Ipv4Addr, Ipv6Addr};
use std::ptr::{null, null_mut};

use bytehouse::capi::{bh_column, bh_column_kind};
use bytehouse::ffi::*;
use common::c_api::{EVERY_TYPE, connect, printed, take};
use common::servers;

/// A value of a view at `row`, printed from the view's memory as the server prints it; `quoted`
/// inside arrays, maps and tuples, where the server quotes texts, dates, UUIDs, enums and addresses.
unsafe fn print(view: &bh_column, row: usize, quoted: bool) -> String {
    unsafe {
        let type_name = CStr::from_ptr(view.type_name).to_str().unwrap();
        let children = if view.children.is_null() {
            &[][..]
        } else {
            std::slice::from_raw_parts(view.children, view.n_children)
        };
        match view.kind {
            bh_column_kind::BH_NULLABLE if *view.nulls.add(row) == 1 => "NULL".into(),
            bh_column_kind::BH_NULLABLE => print(&children[0], row, quoted),
            bh_column_kind::BH_LOW_CARDINALITY => {
                let key = *view.keys.add(row) as usize;
                if key == 0 && type_name.starts_with("LowCardinality(Nullable(") {
                    "NULL".into()
                } else {
                    print(&children[0], key, quoted)
                }
            }
            bh_column_kind::BH_ARRAY => {
                let start = if row == 0 {
                    0
                } else {
                    *view.array_ends.add(row - 1) as usize
                };
                let end = *view.array_ends.add(row) as usize;
                if type_name.starts_with("Map(") {
                    let pairs = &*children[0].children;
                    let entries: Vec<String> = (start..end)
                        .map(|entry| {
                            let value = &*children[0].children.add(1);
                            format!("{}:{}", print(pairs, entry, true), print(value, entry, true))
                        })
                        .collect();
                    format!("{{{}}}", entries.join(","))
                } else {
                    let elements: Vec<String> =
                        (start..end).map(|element| print(&children[0], element, true)).collect();
                    format!("[{}]", elements.join(","))
                }
            }
            bh_column_kind::BH_TUPLE => {
                let elements: Vec<String> = children.iter().map(|child| print(child, row, true)).collect();
                format!("({})", elements.join(","))
            }
            bh_column_kind::BH_STRINGS => {
                let start = if row == 0 { 0 } else { *view.ends.add(row - 1) };
                let bytes = std::slice::from_raw_parts(view.data.add(start), *view.ends.add(row) - start);
                quote(String::from_utf8_lossy(bytes).into_owned(), quoted)
            }
            bh_column_kind::BH_FIXED => {
                let bytes = std::slice::from_raw_parts(view.data.add(row * view.width), view.width);
                print_fixed(type_name, bytes, quoted)
            }
        }
    }
}

fn quote(text: String, quoted: bool) -> String {
    if quoted {
        format!("'{}'", text.replace('\'', "\\'"))
    } else {
        text
    }
}

/// A fixed-width value, by its type (the view's `type_name`).
fn print_fixed(type_name: &str, bytes: &[u8], quoted: bool) -> String {
    let base = type_name.split('(').next().unwrap();
    let argument = |index: usize| -> &str {
        let inner = &type_name[type_name.find('(').unwrap() + 1..type_name.len() - 1];
        inner.split(',').nth(index).unwrap().trim().trim_matches('\'')
    };
    let unsigned = || {
        bytes
            .iter()
            .rev()
            .fold(0u128, |value, byte| value << 8 | u128::from(*byte))
    };
    match base {
        "UInt8" | "UInt16" | "UInt32" | "UInt64" | "UInt128" => unsigned().to_string(),
        "Int8" | "Int16" | "Int32" | "Int64" | "Int128" => {
            let shift = 128 - 8 * bytes.len() as u32;
            (((unsigned() << shift) as i128) >> shift).to_string()
        }
        "UInt256" => wide_decimal(bytes, false),
        "Int256" => wide_decimal(bytes, true),
        "Float32" => f32::from_le_bytes(bytes.try_into().unwrap()).to_string(),
        "Float64" => f64::from_le_bytes(bytes.try_into().unwrap()).to_string(),
        "Bool" => (if bytes[0] == 0 { "false" } else { "true" }).to_string(),
        "Decimal" => {
            let digits = wide_decimal(bytes, true);
            let scale: usize = argument(1).parse().unwrap();
            let (sign, digits) = digits
                .strip_prefix('-')
                .map_or(("", digits.as_str()), |rest| ("-", rest));
            let digits = format!("{digits:0>width$}", width = scale + 1);
            let (whole, fraction) = digits.split_at(digits.len() - scale);
            format!("{sign}{whole}.{fraction}")
        }
        "FixedString" => quote(String::from_utf8_lossy(bytes).into_owned(), quoted),
        "Date" => quote(
            civil_date(i64::from(u16::from_le_bytes(bytes.try_into().unwrap()))),
            quoted,
        ),
        "Date32" => quote(
            civil_date(i64::from(i32::from_le_bytes(bytes.try_into().unwrap()))),
            quoted,
        ),
        "DateTime" => {
            let seconds = i64::from(u32::from_le_bytes(bytes.try_into().unwrap()));
            quote(civil_time(seconds + zone_offset(argument(0)), ""), quoted)
        }
        "DateTime64" => {
            let ticks = i64::from_le_bytes(bytes.try_into().unwrap());
            let precision: u32 = argument(0).parse().unwrap();
            let scale = 10i64.pow(precision);
            let fraction = format!(".{:0width$}", ticks.rem_euclid(scale), width = precision as usize);
            let seconds = ticks.div_euclid(scale) + zone_offset(argument(1));
            quote(civil_time(seconds, &fraction), quoted)
        }
        "UUID" => {
            let high = u64::from_le_bytes(bytes[..8].try_into().unwrap());
            let low = u64::from_le_bytes(bytes[8..].try_into().unwrap());
            let hex = format!("{high:016x}{low:016x}");
            let text = format!(
                "{}-{}-{}-{}-{}",
                &hex[..8],
                &hex[8..12],
                &hex[12..16],
                &hex[16..20],
                &hex[20..]
            );
            quote(text, quoted)
        }
        "Enum8" | "Enum16" => {
            let number = if base == "Enum8" {
                i16::from(bytes[0] as i8)
            } else {
                i16::from_le_bytes(bytes.try_into().unwrap())
            };
            let inner = &type_name[base.len() + 1..type_name.len() - 1];
            let name = inner
                .split(", ")
                .find_map(|pair| {
                    let (name, value) = pair.rsplit_once(" = ")?;
                    (value.parse::<i16>().ok()? == number).then(|| name.trim_matches('\'').to_string())
                })
                .unwrap();
            quote(name, quoted)
        }
        "IPv4" => quote(
            Ipv4Addr::from(u32::from_le_bytes(bytes.try_into().unwrap())).to_string(),
            quoted,
        ),
        "IPv6" => quote(Ipv6Addr::from(<[u8; 16]>::try_from(bytes).unwrap()).to_string(), quoted),
        other => panic!("no printer for {other}"),
    }
}

/// A little-endian two's-complement (or unsigned) integer of any width, in decimal.
fn wide_decimal(bytes: &[u8], signed: bool) -> String {
    let negative = signed && bytes.last().is_some_and(|byte| byte & 0x80 != 0);
    // The magnitude, as little-endian 32-bit limbs.
    let mut limbs: Vec<u64> = bytes
        .chunks(4)
        .map(|chunk| {
            let mut word = [0u8; 4];
            word[..chunk.len()].copy_from_slice(chunk);
            u64::from(u32::from_le_bytes(word))
        })
        .collect();
    if negative {
        let mut carry = 1;
        for limb in &mut limbs {
            let sum = (!*limb & 0xffff_ffff) + carry;
            *limb = sum & 0xffff_ffff;
            carry = sum >> 32;
        }
    }
    let mut digits = Vec::new();
    while limbs.iter().any(|limb| *limb != 0) {
        let mut remainder = 0;
        for limb in limbs.iter_mut().rev() {
            let current = remainder << 32 | *limb;
            *limb = current / 10;
            remainder = current % 10;
        }
        digits.push(b'0' + remainder as u8);
    }
    if digits.is_empty() {
        digits.push(b'0');
    }
    digits.reverse();
    format!(
        "{}{}",
        if negative { "-" } else { "" },
        String::from_utf8(digits).unwrap()
    )
}

/// Seconds east of UTC of the zones the cases use (Asia/Tokyo has had no daylight saving since 1951).
fn zone_offset(zone: &str) -> i64 {
    match zone {
        "UTC" => 0,
        "Asia/Tokyo" => 9 * 3600,
        other => panic!("no offset for {other}"),
    }
}

/// Year, month and day of a count of days since 1970-01-01 (proleptic Gregorian).
fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

fn civil_time(seconds: i64, fraction: &str) -> String {
    let of_day = seconds.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}:{:02}{fraction}",
        civil_date(seconds.div_euclid(86_400)),
        of_day / 3600,
        of_day % 3600 / 60,
        of_day % 60
    )
}

#[test]
fn every_type_reads_through_the_block_view_as_the_server_prints_it() {
    for server in servers() {
        let cases: Vec<&str> = EVERY_TYPE
            .iter()
            .filter(|(_, modern)| server.is_modern() || !modern)
            .map(|(expression, _)| *expression)
            .collect();
        let columns: Vec<String> = cases
            .iter()
            .enumerate()
            .map(|(index, expression)| {
                let printed = printed(expression, &format!("v{index}"));
                format!("{expression} AS v{index}, {printed} AS p{index}")
            })
            .collect();
        let settings = if server.is_modern() {
            ""
        } else {
            " SETTINGS allow_experimental_low_cardinality_type = 1"
        };
        let sql = CString::new(format!("SELECT {}{settings}", columns.join(", "))).unwrap();
        let connection = connect(server.port);
        unsafe {
            let mut error = null_mut();
            let result = bh_query(connection, sql.as_ptr(), null(), 0, null(), &mut error);
            assert!(!result.is_null(), "{}: {:?}", server.name, take(error));
            let mut block = null_mut();
            assert_eq!(
                bh_result_next_block(result, &mut block, &mut error),
                0,
                "{}",
                server.name
            );
            assert_eq!(bh_block_rows(block), 1, "{}", server.name);
            for (index, expression) in cases.iter().enumerate() {
                let value = &*bh_block_column(block, 2 * index);
                let printed = &*bh_block_column(block, 2 * index + 1);
                assert_eq!(
                    print(value, 0, false),
                    print(printed, 0, false),
                    "{}: {expression} ({})",
                    server.name,
                    CStr::from_ptr(value.type_name).to_string_lossy()
                );
            }
            bh_block_free(block);
            bh_result_free(result);
            bh_connection_free(connection);
        }
    }
}
