//! Bulk ingest (`adbc.ingest.*`): a table made from an Arrow schema where the mode asks, then the
//! bound rows sent as native INSERT blocks.
//!
//! | Arrow | ClickHouse |
//! |---|---|
//! | bool | Bool (UInt8 where the server has no Bool) |
//! | int8–64, uint8–64, float32/64 | Int8–64, UInt8–64, Float32/64 |
//! | utf8, large utf8, binary, large binary | String |
//! | fixed_size_binary(n) | FixedString(n) |
//! | date32, date64 | Date32 (Date on servers without it), DateTime64(3) |
//! | timestamp[s, tz] | DateTime('tz') |
//! | timestamp[ms/us/ns, tz] | DateTime64(3/6/9, 'tz') (DateTime where the server has no DateTime64) |
//! | decimal(p, s) | Decimal(p, s) |
//! | list, struct, map | Array, Tuple, Map |
//! | dictionary | LowCardinality of the values' type |
//! | a nullable field | Nullable(T) where ClickHouse allows it |
//!
//! Tables are `MergeTree ORDER BY tuple()` on ClickHouse and `CnchMergeTree ORDER BY tuple()` on
//! ByteHouse; `adbc.ingest.temporary` makes a session's temporary table (engine Memory).

use std::ffi::CStr;

use super::bound::Bound;
use super::connection::rows_of;
use super::error::Failure;
use super::options;
use crate::arrow::abi::{ARROW_FLAG_NULLABLE, ArrowSchema};
use crate::capi::{Client, StatementOptions};
use crate::native::sql::{quote_identifier, quote_string};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Create,
    Append,
    Replace,
    CreateAppend,
}

impl Mode {
    pub fn parse(value: &str) -> Result<Mode, Failure> {
        match value {
            "adbc.ingest.mode.create" => Ok(Mode::Create),
            "adbc.ingest.mode.append" => Ok(Mode::Append),
            "adbc.ingest.mode.replace" => Ok(Mode::Replace),
            "adbc.ingest.mode.create_append" => Ok(Mode::CreateAppend),
            other => Err(Failure::invalid_argument(format!(
                "option `{}` does not take `{other}`",
                options::INGEST_MODE
            ))),
        }
    }
}

/// Where and how rows are ingested.
#[derive(Debug, Clone, Default)]
pub struct Target {
    pub table: String,
    pub catalog: Option<String>,
    pub mode: Mode,
    pub temporary: bool,
}

/// What the server offers that the mapping depends on.
struct Server {
    types: Vec<String>,
    is_bytehouse: bool,
}

impl Server {
    fn ask(client: &Client) -> Result<Server, Failure> {
        let types = rows_of(client, "SELECT name FROM system.data_type_families")?
            .into_iter()
            .flatten()
            .collect();
        let engines = rows_of(
            client,
            "SELECT name FROM system.table_engines WHERE name = 'CnchMergeTree'",
        )?;
        Ok(Server {
            types,
            is_bytehouse: !engines.is_empty(),
        })
    }

    fn has(&self, type_name: &str) -> bool {
        self.types.iter().any(|known| known == type_name)
    }
}

/// Ingests the bound rows into `target`; the rows stored.
pub fn ingest(client: &Client, target: &Target, mut bound: Bound) -> Result<u64, Failure> {
    if target.temporary && target.catalog.is_some() {
        return Err(Failure::invalid_argument(
            "a temporary table cannot be given a catalog (adbc.ingest.target_catalog)",
        ));
    }
    let name = match &target.catalog {
        Some(catalog) => format!("{}.{}", quote_identifier(catalog), quote_identifier(&target.table)),
        None => quote_identifier(&target.table),
    };
    let columns = bound.with_schema(columns)?;
    if target.mode != Mode::Append {
        let server = Server::ask(client)?;
        let definitions: Vec<String> = columns
            .iter()
            .map(|column| {
                Ok(format!(
                    "{} {}",
                    quote_identifier(&column.name),
                    column.type_for(&server)?
                ))
            })
            .collect::<Result<_, Failure>>()?;
        if target.mode == Mode::Replace {
            let temporary = if target.temporary { "TEMPORARY " } else { "" };
            client.execute(
                &format!("DROP {temporary}TABLE IF EXISTS {name}"),
                &[],
                StatementOptions::default(),
            )?;
        }
        client.execute(
            &create_table(&name, &definitions, target, &server),
            &[],
            StatementOptions::default(),
        )?;
    }
    let names: Vec<String> = columns.iter().map(|column| quote_identifier(&column.name)).collect();
    let mut stream = bound.into_stream();
    // SAFETY: a live stream the statement owns; insert_arrow releases it.
    let rows = unsafe {
        client.insert_arrow(
            &format!("INSERT INTO {name} ({}) VALUES", names.join(", ")),
            StatementOptions::default(),
            &mut stream,
        )
    }?;
    Ok(rows)
}

fn create_table(name: &str, definitions: &[String], target: &Target, server: &Server) -> String {
    let if_not_exists = if target.mode == Mode::CreateAppend {
        "IF NOT EXISTS "
    } else {
        ""
    };
    let (temporary, engine) = match (target.temporary, server.is_bytehouse) {
        (true, _) => ("TEMPORARY ", "Memory"),
        (false, true) => ("", "CnchMergeTree ORDER BY tuple()"),
        (false, false) => ("", "MergeTree ORDER BY tuple()"),
    };
    format!(
        "CREATE {temporary}TABLE {if_not_exists}{name} ({}) ENGINE = {engine}",
        definitions.join(", ")
    )
}

/// An Arrow field's type, read from its schema.
#[derive(Debug, Clone, PartialEq)]
struct ArrowType {
    format: String,
    nullable: bool,
    children: Vec<(String, ArrowType)>,
    dictionary: Option<Box<ArrowType>>,
}

struct IngestColumn {
    name: String,
    arrow: ArrowType,
}

impl IngestColumn {
    fn type_for(&self, server: &Server) -> Result<String, Failure> {
        clickhouse_type(&self.arrow, server)
            .map_err(|message| Failure::not_implemented(format!("column `{}`: {message}", self.name)))
    }
}

/// Nesting deeper than any real schema; bounds the recursion over caller-made trees.
const MAX_DEPTH: usize = 64;

fn columns(schema: &ArrowSchema) -> Result<Vec<IngestColumn>, Failure> {
    // SAFETY: a live schema the caller handed over.
    let table = unsafe { read_type(schema, 0) }.map_err(Failure::invalid_argument)?;
    if table.format != "+s" {
        return Err(Failure::invalid_argument("the bound data is not a struct of columns"));
    }
    if table.children.is_empty() {
        return Err(Failure::invalid_argument("the bound data has no columns"));
    }
    Ok(table
        .children
        .into_iter()
        .map(|(name, arrow)| IngestColumn { name, arrow })
        .collect())
}

/// # Safety
/// `schema` is a valid Arrow schema.
unsafe fn read_type(schema: &ArrowSchema, depth: usize) -> Result<ArrowType, String> {
    if depth > MAX_DEPTH {
        return Err("the schema nests too deeply".into());
    }
    let text = |pointer: *const std::ffi::c_char| {
        // SAFETY: the specification makes format and name NUL-terminated strings (or NULL).
        (!pointer.is_null()).then(|| unsafe { CStr::from_ptr(pointer) }.to_string_lossy().into_owned())
    };
    let format = text(schema.format).ok_or("a field without a format")?;
    let count = usize::try_from(schema.n_children).map_err(|_| "a negative child count")?;
    if count > 0 && schema.children.is_null() {
        return Err("children missing".into());
    }
    let mut children = Vec::with_capacity(count.min(4096));
    for index in 0..count {
        // SAFETY: `children` holds `n_children` pointers.
        let child = unsafe { (*schema.children.add(index)).as_ref() }.ok_or("a null child")?;
        // SAFETY: as above.
        children.push((text(child.name).unwrap_or_default(), unsafe {
            read_type(child, depth + 1)
        }?));
    }
    // SAFETY: as above.
    let dictionary = match unsafe { schema.dictionary.as_ref() } {
        Some(values) => Some(Box::new(unsafe { read_type(values, depth + 1) }?)),
        None => None,
    };
    Ok(ArrowType {
        format,
        nullable: schema.flags & ARROW_FLAG_NULLABLE != 0,
        children,
        dictionary,
    })
}

/// The ClickHouse type a column of `arrow` is created with.
fn clickhouse_type(arrow: &ArrowType, server: &Server) -> Result<String, String> {
    if let Some(values) = &arrow.dictionary {
        let mut values = (**values).clone();
        values.nullable |= arrow.nullable;
        let inner = clickhouse_type(&values, server)?;
        return Ok(format!("LowCardinality({inner})"));
    }
    let format = arrow.format.as_str();
    let child = |index: usize| {
        arrow
            .children
            .get(index)
            .ok_or_else(|| format!("`{format}` without its child"))
            .and_then(|(_, child)| clickhouse_type(child, server))
    };
    let zone = |rest: &str| {
        let zone = rest.split_once(':').map_or("", |(_, zone)| zone);
        if zone.is_empty() {
            String::new()
        } else {
            quote_string(zone)
        }
    };
    let base = match format {
        "n" => return Ok("Nullable(Nothing)".into()),
        "b" if server.has("Bool") => "Bool".into(),
        "b" | "C" => "UInt8".into(),
        "c" => "Int8".into(),
        "s" => "Int16".into(),
        "S" => "UInt16".into(),
        "i" => "Int32".into(),
        "I" => "UInt32".into(),
        "l" => "Int64".into(),
        "L" => "UInt64".into(),
        "f" => "Float32".into(),
        "g" => "Float64".into(),
        "u" | "U" | "z" | "Z" => "String".into(),
        "tdD" if server.has("Date32") => "Date32".into(),
        "tdD" => "Date".into(),
        "tdm" if server.has("DateTime64") => "DateTime64(3)".into(),
        "tdm" => "DateTime".into(),
        "+l" | "+L" => return Ok(format!("Array({})", child(0)?)),
        "+s" => {
            let elements = (0..arrow.children.len()).map(child).collect::<Result<Vec<_>, _>>()?;
            return Ok(format!("Tuple({})", elements.join(", ")));
        }
        "+m" => {
            let entries = arrow
                .children
                .first()
                .map(|(_, entries)| entries)
                .ok_or("a map without entries")?;
            let key = entries.children.first().ok_or("a map without keys")?;
            let value = entries.children.get(1).ok_or("a map without values")?;
            return Ok(format!(
                "Map({}, {})",
                clickhouse_type(&key.1, server)?,
                clickhouse_type(&value.1, server)?
            ));
        }
        other => {
            if let Some(width) = other.strip_prefix("w:") {
                format!("FixedString({width})")
            } else if let Some(rest) = other.strip_prefix("d:") {
                let parts: Vec<&str> = rest.split(',').collect();
                match parts.as_slice() {
                    [precision, scale] | [precision, scale, "128" | "256"] => format!("Decimal({precision}, {scale})"),
                    _ => return Err(format!("the Arrow type `{other}` has no ClickHouse column type here")),
                }
            } else if let Some(rest) = other.strip_prefix("ts") {
                let zone = zone(rest);
                let precision = match rest.chars().next() {
                    Some('s') => None,
                    Some('m') => Some(3),
                    Some('u') => Some(6),
                    Some('n') => Some(9),
                    _ => return Err(format!("the Arrow type `{other}` has no ClickHouse column type here")),
                };
                match precision {
                    Some(precision) if server.has("DateTime64") => {
                        let zone = if zone.is_empty() {
                            String::new()
                        } else {
                            format!(", {zone}")
                        };
                        format!("DateTime64({precision}{zone})")
                    }
                    _ if zone.is_empty() => "DateTime".into(),
                    _ => format!("DateTime({zone})"),
                }
            } else {
                return Err(format!("the Arrow type `{other}` has no ClickHouse column type here"));
            }
        }
    };
    Ok(if arrow.nullable {
        format!("Nullable({base})")
    } else {
        base
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(format: &str, nullable: bool) -> ArrowType {
        ArrowType {
            format: format.into(),
            nullable,
            children: Vec::new(),
            dictionary: None,
        }
    }

    #[test]
    fn arrow_types_become_clickhouse_types_the_server_has() {
        let modern = Server {
            types: ["Bool", "Date32", "DateTime64"].map(String::from).to_vec(),
            is_bytehouse: false,
        };
        let old = Server {
            types: Vec::new(),
            is_bytehouse: false,
        };
        let map = |arrow: &ArrowType, server: &Server| clickhouse_type(arrow, server).unwrap();
        assert_eq!(map(&leaf("l", false), &old), "Int64");
        assert_eq!(map(&leaf("u", true), &old), "Nullable(String)");
        assert_eq!(map(&leaf("b", false), &modern), "Bool");
        assert_eq!(map(&leaf("b", false), &old), "UInt8");
        assert_eq!(map(&leaf("tsn:", true), &modern), "Nullable(DateTime64(9))");
        assert_eq!(map(&leaf("tsu:UTC", false), &modern), "DateTime64(6, 'UTC')");
        assert_eq!(map(&leaf("tsn:UTC", false), &old), "DateTime('UTC')");
        assert_eq!(map(&leaf("d:10,2", false), &old), "Decimal(10, 2)");
        let mut list = leaf("+l", true);
        list.children.push(("item".into(), leaf("i", true)));
        assert_eq!(map(&list, &old), "Array(Nullable(Int32))");
        let mut dictionary = leaf("i", true);
        dictionary.dictionary = Some(Box::new(leaf("u", false)));
        assert_eq!(map(&dictionary, &old), "LowCardinality(Nullable(String))");
        assert!(clickhouse_type(&leaf("tin", false), &old).is_err());
        let target = Target {
            table: "t".into(),
            mode: Mode::CreateAppend,
            ..Target::default()
        };
        let bytehouse = Server {
            types: Vec::new(),
            is_bytehouse: true,
        };
        assert_eq!(
            create_table("`t`", &["`a` Int64".into()], &target, &bytehouse),
            "CREATE TABLE IF NOT EXISTS `t` (`a` Int64) ENGINE = CnchMergeTree ORDER BY tuple()"
        );
    }
}
