//! Packet bodies other than blocks: Hello, Query, Exception, Progress, ProfileInfo
//! (server `src/Server/TCPHandler.cpp`, `src/Client/Connection.cpp`, `src/Interpreters/ClientInfo.cpp`).

use std::io::BufRead;

use crate::native::error::{ExceptionCause, Result, ServerException};
use crate::native::revision;
use crate::native::wire::{ReadExt, WriteExt};

/// Client packet codes.
pub mod client {
    pub const HELLO: u64 = 0;
    pub const QUERY: u64 = 1;
    pub const DATA: u64 = 2;
    pub const PING: u64 = 4;
}

/// Server packet codes.
pub mod server {
    pub const HELLO: u64 = 0;
    pub const DATA: u64 = 1;
    pub const EXCEPTION: u64 = 2;
    pub const PROGRESS: u64 = 3;
    pub const PONG: u64 = 4;
    pub const END_OF_STREAM: u64 = 5;
    pub const PROFILE_INFO: u64 = 6;
    pub const TOTALS: u64 = 7;
    pub const EXTREMES: u64 = 8;
    pub const LOG: u64 = 10;
    pub const TABLE_COLUMNS: u64 = 11;
    pub const PART_UUIDS: u64 = 12;
    pub const PROFILE_EVENTS: u64 = 14;
    pub const TIMEZONE_UPDATE: u64 = 17;
}

/// This client's version, as sent in Hello and ClientInfo.
pub const CLIENT_VERSION_MAJOR: u64 = 0;
pub const CLIENT_VERSION_MINOR: u64 = 1;
pub const CLIENT_VERSION_PATCH: u64 = 0;

/// What the server said about itself in its Hello.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInfo {
    pub name: String,
    pub version_major: u64,
    pub version_minor: u64,
    pub version_patch: u64,
    /// The revision the server announced; the connection uses `min(client, server)`.
    pub revision: u64,
    pub timezone: Option<String>,
    pub display_name: Option<String>,
}

impl ServerInfo {
    /// The version as `major.minor.patch`.
    pub fn version(&self) -> String {
        format!("{}.{}.{}", self.version_major, self.version_minor, self.version_patch)
    }
}

pub struct Hello<'a> {
    pub client_name: &'a str,
    pub revision: u64,
    pub database: &'a str,
    pub user: &'a str,
    pub password: &'a str,
}

impl Hello<'_> {
    pub fn write(&self, out: &mut Vec<u8>) {
        out.write_varint(client::HELLO);
        out.write_str(self.client_name);
        out.write_varint(CLIENT_VERSION_MAJOR);
        out.write_varint(CLIENT_VERSION_MINOR);
        out.write_varint(self.revision);
        out.write_str(self.database);
        out.write_str(self.user);
        out.write_str(self.password);
    }
}

/// Reads the server Hello body (after its packet code). `client_revision` is what we advertised.
pub fn read_server_hello<R: BufRead + ?Sized>(reader: &mut R, client_revision: u64) -> Result<ServerInfo> {
    let name = reader.read_string()?;
    let version_major = reader.read_varint()?;
    let version_minor = reader.read_varint()?;
    let server_revision = reader.read_varint()?;
    let revision = server_revision.min(client_revision);
    let timezone = if revision >= revision::SERVER_TIMEZONE {
        Some(reader.read_string()?)
    } else {
        None
    };
    let display_name = if revision >= revision::SERVER_DISPLAY_NAME {
        Some(reader.read_string()?)
    } else {
        None
    };
    let version_patch = if revision >= revision::VERSION_PATCH {
        reader.read_varint()?
    } else {
        server_revision
    };
    Ok(ServerInfo {
        name,
        version_major,
        version_minor,
        version_patch,
        revision: server_revision,
        timezone,
        display_name,
    })
}

/// The Hello addendum sent right after the server Hello from revision 54458 on.
pub fn write_addendum(out: &mut Vec<u8>, revision: u64, quota_key: &str) {
    if revision >= revision::ADDENDUM {
        out.write_str(quota_key);
    }
}

/// One setting sent with a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub name: String,
    pub value: String,
    /// An important setting the server does not know is an error; others are skipped (strings format).
    pub important: bool,
}

impl Setting {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Setting {
        Setting {
            name: name.into(),
            value: value.into(),
            important: false,
        }
    }
}

/// Settings whose binary (pre-54429) form is a Float written as text rather than a VarUInt.
const FLOAT_SETTINGS: &[&str] = &[
    "totals_auto_threshold",
    "max_streams_to_max_threads_ratio",
    "max_streams_multiplier_for_merge_tables",
    "memory_tracker_fault_probability",
    "max_bytes_ratio_before_external_group_by",
    "max_bytes_ratio_before_external_sort",
    "min_execution_speed_bytes",
];

/// Writes settings in the revision's format, terminated by an empty name.
///
/// Below 54429 each value is written in its setting's own binary form, which the client must guess:
/// whole numbers and booleans as VarUInt, known float settings and anything else as text.
fn write_settings(out: &mut Vec<u8>, settings: &[Setting], revision: u64) {
    const IMPORTANT: u64 = 0x1;
    for setting in settings {
        out.write_str(&setting.name);
        if revision >= revision::SETTINGS_SERIALIZED_AS_STRINGS {
            out.write_varint(if setting.important { IMPORTANT } else { 0 });
            out.write_str(&setting.value);
            continue;
        }
        let value = setting.value.trim();
        let number = match value.to_ascii_lowercase().as_str() {
            "true" => Some(1),
            "false" => Some(0),
            text => text.parse::<u64>().ok(),
        };
        match number {
            Some(number) if !FLOAT_SETTINGS.contains(&setting.name.as_str()) => out.write_varint(number),
            _ => out.write_str(value),
        }
    }
    out.write_str("");
}

/// Query processing stage: run the whole query.
const STAGE_COMPLETE: u64 = 2;
/// ClientInfo: the query starts here, not on behalf of another server.
const QUERY_KIND_INITIAL: u8 = 1;
const INTERFACE_TCP: u8 = 1;

pub struct Query<'a> {
    pub query_id: &'a str,
    pub sql: &'a str,
    pub settings: &'a [Setting],
    pub compression: bool,
    pub client_name: &'a str,
    pub client_revision: u64,
    pub quota_key: &'a str,
}

impl Query<'_> {
    /// Writes the Query packet for the negotiated `revision`.
    pub fn write(&self, out: &mut Vec<u8>, revision: u64) {
        out.write_varint(client::QUERY);
        out.write_str(self.query_id);
        if revision >= revision::CLIENT_INFO {
            self.write_client_info(out, revision);
        }
        write_settings(out, self.settings, revision);
        if revision >= revision::INTERSERVER_SECRET {
            out.write_str("");
        }
        out.write_varint(STAGE_COMPLETE);
        out.write_varint(u64::from(self.compression));
        out.write_str(self.sql);
        if revision >= revision::PARAMETERS {
            write_settings(out, &[], revision);
        }
    }

    fn write_client_info(&self, out: &mut Vec<u8>, revision: u64) {
        out.write_u8(QUERY_KIND_INITIAL);
        out.write_str(""); // initial user: the server fills it in
        out.write_str(""); // initial query id
        out.write_str("0.0.0.0:0"); // initial address: the server overwrites it for initial queries
        if revision >= revision::INITIAL_QUERY_START_TIME {
            out.extend_from_slice(&0i64.to_le_bytes());
        }
        out.write_u8(INTERFACE_TCP);
        out.write_str(&os_user());
        out.write_str(host_name());
        out.write_str(self.client_name);
        out.write_varint(CLIENT_VERSION_MAJOR);
        out.write_varint(CLIENT_VERSION_MINOR);
        out.write_varint(self.client_revision);
        if revision >= revision::QUOTA_KEY_IN_CLIENT_INFO {
            out.write_str(self.quota_key);
        }
        if revision >= revision::DISTRIBUTED_DEPTH {
            out.write_varint(0);
        }
        if revision >= revision::VERSION_PATCH {
            out.write_varint(CLIENT_VERSION_PATCH);
        }
        if revision >= revision::OPENTELEMETRY {
            out.write_u8(0); // no trace context
        }
        if revision >= revision::PARALLEL_REPLICAS {
            out.write_varint(0); // collaborate_with_initiator
            out.write_varint(0); // count_participating_replicas
            out.write_varint(0); // number_of_current_replica
        }
    }
}

fn os_user() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_default()
}

/// Read once per process: every query's ClientInfo carries it, and reading the file each time cost
/// three system calls a query.
fn host_name() -> &'static str {
    static HOST_NAME: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HOST_NAME.get_or_init(|| {
        std::fs::read_to_string("/proc/sys/kernel/hostname")
            .map(|name| name.trim().to_string())
            .unwrap_or_default()
    })
}

/// The most nested causes of one exception that are kept; real chains have a handful.
pub const MAX_EXCEPTION_CAUSES: usize = 64;
/// The most text (names, messages, stack traces) of one exception chain that is kept.
pub const MAX_EXCEPTION_TEXT: usize = 1 << 20;

/// Reads an Exception body with its chain of nested causes, level by level (never recursively: the
/// server decides how deep the chain is). Every level is read so the stream stays in step, but only
/// [`MAX_EXCEPTION_CAUSES`] causes and [`MAX_EXCEPTION_TEXT`] bytes of text are kept; the rest is
/// counted in the exception's `omitted_causes` and `omitted_bytes`.
pub fn read_exception<R: BufRead + ?Sized>(reader: &mut R) -> Result<ServerException> {
    let mut text_budget = MAX_EXCEPTION_TEXT;
    let mut omitted_bytes = 0u64;
    let mut read_level = |reader: &mut R, keep: bool| -> Result<(ExceptionCause, bool)> {
        let code = reader.read_i32_le()?;
        let mut text = || -> Result<String> {
            let (kept, dropped) = reader.read_string_capped(if keep { text_budget } else { 0 })?;
            text_budget -= kept.len().min(text_budget);
            if keep {
                omitted_bytes += dropped as u64;
            }
            Ok(kept)
        };
        let level = ExceptionCause {
            code,
            name: text()?,
            message: text()?,
            stack_trace: text()?,
        };
        Ok((level, reader.read_bool()?))
    };
    let (head, mut has_nested) = read_level(reader, true)?;
    let mut causes = Vec::new();
    let mut omitted_causes = 0u64;
    while has_nested {
        let keep = causes.len() < MAX_EXCEPTION_CAUSES;
        let (cause, more) = read_level(reader, keep)?;
        if keep {
            causes.push(cause);
        } else {
            omitted_causes += 1;
        }
        has_nested = more;
    }
    Ok(ServerException {
        code: head.code,
        name: head.name,
        message: head.message,
        stack_trace: head.stack_trace,
        causes,
        omitted_causes,
        omitted_bytes,
    })
}

/// Query progress; each packet carries increments that [`Progress::add`] sums up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub read_rows: u64,
    pub read_bytes: u64,
    pub total_rows_to_read: u64,
    pub written_rows: u64,
    pub written_bytes: u64,
    pub elapsed_ns: u64,
}

impl Progress {
    pub fn read<R: BufRead + ?Sized>(reader: &mut R, revision: u64) -> Result<Progress> {
        let mut progress = Progress {
            read_rows: reader.read_varint()?,
            read_bytes: reader.read_varint()?,
            ..Progress::default()
        };
        if revision >= revision::TOTAL_ROWS_IN_PROGRESS {
            progress.total_rows_to_read = reader.read_varint()?;
        }
        if revision >= revision::CLIENT_WRITE_INFO {
            progress.written_rows = reader.read_varint()?;
            progress.written_bytes = reader.read_varint()?;
        }
        if revision >= revision::SERVER_QUERY_TIME_IN_PROGRESS {
            progress.elapsed_ns = reader.read_varint()?;
        }
        Ok(progress)
    }

    pub fn add(&mut self, increment: &Progress) {
        self.read_rows += increment.read_rows;
        self.read_bytes += increment.read_bytes;
        self.total_rows_to_read += increment.total_rows_to_read;
        self.written_rows += increment.written_rows;
        self.written_bytes += increment.written_bytes;
        self.elapsed_ns += increment.elapsed_ns;
    }
}

/// Totals the server reports at the end of a SELECT.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ProfileInfo {
    pub rows: u64,
    pub blocks: u64,
    pub bytes: u64,
    pub applied_limit: bool,
    pub rows_before_limit: u64,
    pub calculated_rows_before_limit: bool,
}

impl ProfileInfo {
    pub fn read<R: BufRead + ?Sized>(reader: &mut R) -> Result<ProfileInfo> {
        Ok(ProfileInfo {
            rows: reader.read_varint()?,
            blocks: reader.read_varint()?,
            bytes: reader.read_varint()?,
            applied_limit: reader.read_bool()?,
            rows_before_limit: reader.read_varint()?,
            calculated_rows_before_limit: reader.read_bool()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// An Exception body of `levels` levels, each with the given message, followed by one byte 0xAB.
    fn chain(levels: usize, message: &str) -> Vec<u8> {
        let mut bytes = Vec::new();
        for level in 0..levels {
            bytes.extend_from_slice(&(level as i32).to_le_bytes());
            bytes.write_str("DB::Exception");
            bytes.write_str(message);
            bytes.write_str("");
            bytes.write_u8(u8::from(level + 1 < levels));
        }
        bytes.push(0xab);
        bytes
    }

    #[test]
    fn a_deep_chain_is_read_flat_and_capped() {
        let mut reader = Cursor::new(chain(50_000, "level"));
        let exception = read_exception(&mut reader).unwrap();
        assert_eq!(reader.read_u8().unwrap(), 0xab, "the whole chain was read");
        assert_eq!(exception.causes.len(), MAX_EXCEPTION_CAUSES);
        assert_eq!(exception.causes[0].code, 1);
        assert_eq!(exception.omitted_causes, (50_000 - 1 - MAX_EXCEPTION_CAUSES) as u64);
        let text = exception.to_string();
        assert!(text.starts_with("Code: 0. level (caused by: Code: 1. level"), "{text}");
        assert!(text.contains("(and 49935 more nested causes)"), "{text}");
        assert!(text.ends_with(&")".repeat(MAX_EXCEPTION_CAUSES)), "{text}");
    }

    #[test]
    fn exception_text_is_capped() {
        let long = "x".repeat(MAX_EXCEPTION_TEXT / 2 + 10);
        let mut reader = Cursor::new(chain(3, &long));
        let exception = read_exception(&mut reader).unwrap();
        assert_eq!(reader.read_u8().unwrap(), 0xab);
        let kept: usize = [exception.name.len(), exception.message.len()]
            .into_iter()
            .chain(
                exception
                    .causes
                    .iter()
                    .map(|cause| cause.name.len() + cause.message.len()),
            )
            .sum();
        assert_eq!(kept, MAX_EXCEPTION_TEXT);
        assert_eq!(exception.message, long);
        assert_eq!(
            exception.omitted_bytes as usize,
            3 * (long.len() + 13) - MAX_EXCEPTION_TEXT
        );
        assert!(exception.to_string().ends_with("bytes of exception text omitted)"));
    }

    #[test]
    fn a_chain_cut_short_is_an_io_error() {
        let bytes = chain(10, "m");
        let mut reader = Cursor::new(&bytes[..bytes.len() - 5]);
        assert!(matches!(read_exception(&mut reader), Err(crate::native::Error::Io(_))));
    }
}
