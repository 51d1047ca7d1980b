//! A connection to one server: handshake, queries, result streams, INSERT, ping and cancel.
//!
//! A connection is a small state machine. After [`Connection::query`] it is receiving until the
//! result stream ends; after [`Connection::insert`] it is sending blocks until
//! [`Connection::finish_insert`]. A server exception or a cancel leaves it idle and usable. A packet
//! that cannot be read to its end (a type this client cannot decode, corrupt data) leaves the socket
//! inside that packet, so the connection is opened again; a failed socket, or a failed reopening,
//! marks it broken ([`Error::breaks_connection`]).

mod handshake;
mod insert;
mod options;
mod packets;
mod progress_observer;
mod query_settings;
mod receive;
mod transport;

use std::collections::HashSet;
use std::io::{BufReader, Write};

pub use options::{ConnectOptions, QueryOptions};
pub use packets::{MAX_EXCEPTION_CAUSES, MAX_EXCEPTION_TEXT, ProfileInfo, Progress, ServerInfo, Setting};
pub use progress_observer::ProgressObserver;
pub use receive::{PacketReader, ServerPacket};
pub use transport::{CancelHandle, GaveUp, TlsOptions};

use packets::{Query, client};
use transport::{Interruption, Stream};

use super::block::Block;
use super::compress::write_frame;
use super::error::{Error, Result};
use super::revision;
use super::sql::{self, InlineData};
use super::wire::WriteExt;

/// Server error codes this client acts on.
const QUERY_WAS_CANCELLED: i32 = 394;
const UNEXPECTED_PACKET_FROM_CLIENT: i32 = 101;

/// The setting that picks the compression method of blocks the server sends.
const COMPRESSION_METHOD_SETTING: &str = "network_compression_method";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Idle,
    /// A result stream is being read.
    Receiving,
    /// The server waits for INSERT blocks.
    Sending,
    /// A packet could not be read to its end, so the socket is at an unknown place inside it.
    OutOfStep,
    Broken,
}

/// What one server packet turned out to be.
enum Packet {
    Data,
    TableColumns,
    EndOfStream,
    Pong,
    Exception(super::error::ServerException),
    /// Progress, ProfileInfo, Totals, Extremes, Log, ProfileEvents, ...: recorded, nothing to act on.
    Other,
}

pub struct Connection {
    reader: BufReader<Stream>,
    out: Vec<u8>,
    block_bytes: Vec<u8>,
    packets: PacketReader,
    server: ServerInfo,
    revision: u64,
    options: ConnectOptions,
    cancel_handle: CancelHandle,
    state: State,
    progress: Progress,
    /// Rows sent in Data packets for the current INSERT.
    rows_sent: u64,
    profile_info: Option<ProfileInfo>,
    totals: Option<Block>,
    extremes: Option<Block>,
    /// True while `guard` opens the connection again after a packet it could not read.
    reopening: bool,
    /// The current query's progress observer.
    progress_observer: Option<ProgressObserver>,
    /// Session settings a query set on an old server, to set back before the next statement.
    saved_settings: Vec<query_settings::SavedSetting>,
    /// Query settings (name, value) the server has accepted on this connection.
    checked_settings: HashSet<(String, String)>,
}

impl Connection {
    /// Connects and performs the handshake.
    /// Connects, performs the handshake and establishes the connection's settings, all within the
    /// connect timeout.
    pub fn connect(options: &ConnectOptions) -> Result<Connection> {
        let cancel_handle = CancelHandle::new();
        let (reader, server) = handshake::handshake(options, &cancel_handle)?;
        let client_revision = options.revision.min(revision::MAX_CLIENT_REVISION);
        let revision = server.revision.min(client_revision);
        let mut connection = Connection {
            revision,
            reader,
            out: Vec::new(),
            block_bytes: Vec::new(),
            packets: PacketReader::new(revision, options.compression, server.timezone.as_deref()),
            options: options.clone(),
            cancel_handle,
            state: State::Idle,
            progress: Progress::default(),
            rows_sent: 0,
            profile_info: None,
            totals: None,
            extremes: None,
            server,
            reopening: false,
            progress_observer: None,
            saved_settings: Vec::new(),
            checked_settings: HashSet::new(),
        };
        connection.establish_settings()?;
        Ok(connection)
    }

    /// Ends the connect phase with the connection's settings checked, so that a setting the server
    /// rejects is reported, by name, at connect rather than derailing the first query. Below
    /// revision 54429 they are set for the session one by one; later servers get them with each
    /// query, and here with a probe query that carries them all.
    fn establish_settings(&mut self) -> Result<()> {
        if self.revision < revision::SETTINGS_SERIALIZED_AS_STRINGS {
            for index in 0..self.options.settings.len() {
                let setting = &self.options.settings[index];
                let statement = format!(
                    "SET {} = {}",
                    sql::quote_identifier(&setting.name),
                    sql::literal_for_old_servers(&setting.value)
                );
                let names = vec![setting.name.clone()];
                self.execute(&statement).map_err(|error| error.for_settings(names))?;
            }
        } else if !self.options.settings.is_empty() {
            let names = self
                .options
                .settings
                .iter()
                .map(|setting| setting.name.clone())
                .collect();
            self.execute("SELECT 1").map_err(|error| error.for_settings(names))?;
        }
        self.reader.get_mut().handshake_done();
        Ok(())
    }

    pub fn server_info(&self) -> &ServerInfo {
        &self.server
    }

    /// The negotiated revision, `min(client, server)`.
    /// The zone DateTime columns without one are shown in (the server's, or the session's); `None`
    /// for UTC.
    pub fn timezone(&self) -> Option<&str> {
        self.packets.timezone()
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn is_broken(&self) -> bool {
        self.state == State::Broken
    }

    /// True while a result stream or an INSERT is open.
    pub fn is_busy(&self) -> bool {
        matches!(self.state, State::Receiving | State::Sending)
    }

    pub fn cancel_handle(&self) -> CancelHandle {
        self.cancel_handle.clone()
    }

    /// Names who waits on this connection from now on, for [`CancelHandle::cancel_waiter`]
    /// (0: nobody in particular).
    pub fn set_waiter(&self, waiter: u64) {
        self.cancel_handle.set_waiter(waiter);
    }

    /// Progress of the current or last query, summed over its Progress packets.
    pub fn progress(&self) -> &Progress {
        &self.progress
    }

    /// Rows the last statement wrote, if known: servers before revision 54420 report none, so
    /// there only the rows this client sent count (an INSERT ... SELECT's are unknown).
    pub fn written_rows(&self) -> Option<u64> {
        (self.revision >= revision::CLIENT_WRITE_INFO || self.rows_sent > 0).then_some(self.progress.written_rows)
    }

    pub fn profile_info(&self) -> Option<&ProfileInfo> {
        self.profile_info.as_ref()
    }

    /// The WITH TOTALS row of the last query, once its stream has been read.
    pub fn totals(&self) -> Option<&Block> {
        self.totals.as_ref()
    }

    /// The min/max rows of the last query (setting `extremes = 1`), once its stream has been read.
    pub fn extremes(&self) -> Option<&Block> {
        self.extremes.as_ref()
    }

    /// Sends Ping and waits for Pong.
    pub fn ping(&mut self) -> Result<()> {
        self.guard(|connection| {
            connection.require_idle()?;
            connection.out.clear();
            connection.out.write_varint(client::PING);
            connection.send_out()?;
            let mut scratch = Block::default();
            loop {
                match connection.read_packet(&mut scratch)? {
                    Packet::Pong => return Ok(()),
                    Packet::Other => {}
                    _ => return Err(Error::protocol("unexpected packet in answer to Ping")),
                }
            }
        })
    }

    /// Runs a statement. Returns the header block (columns and types, no rows) when the statement
    /// produces a result, which is then read with [`Connection::next_block`]; `None` when it has
    /// finished already (DDL, SET, INSERT with its VALUES). An open result is cancelled first.
    ///
    /// INSERT ... VALUES with literal rows is sent the way clickhouse-client does it: the rows are
    /// parsed here and sent as blocks, so the data arrives on servers that do not execute inline
    /// data (18.16) and on those that do.
    pub fn query(&mut self, sql: &str, options: &QueryOptions) -> Result<Option<Block>> {
        self.close_result()?;
        let options = &self.options_for_query(options)?;
        match sql::inline_insert_data(sql) {
            InlineData::Values { query, rows } => {
                let header = self.start_insert(query, options)?;
                let mut block = Block::with_columns_of(&header);
                if let Err(error) = sql::parse_values(rows, &mut block) {
                    // Nothing was sent yet: end the INSERT without rows so the connection stays usable.
                    self.finish_insert()?;
                    return Err(error);
                }
                self.send_block(&block)?;
                self.finish_insert()?;
                return Ok(None);
            }
            InlineData::None | InlineData::OtherFormat => {}
        }
        let is_insert = sql::is_insert(sql);
        self.guard(|connection| {
            connection.start_query(sql, options)?;
            let mut header = Block::default();
            loop {
                match connection.read_packet(&mut header)? {
                    Packet::Data if is_insert => {
                        // The server waits for rows this statement did not carry: end the INSERT empty.
                        connection.state = State::Sending;
                        connection.finish_insert_inner()?;
                        // INSERT ... SELECT on 18.16 may not have read the external-tables block.
                        connection.resync()?;
                        return Ok(None);
                    }
                    Packet::Data => return Ok(Some(header)),
                    Packet::EndOfStream => {
                        connection.end_query()?;
                        if is_insert {
                            // INSERT ... SELECT: 18.16 finishes it without reading the external-tables block.
                            connection.resync()?;
                        }
                        return Ok(None);
                    }
                    Packet::Exception(exception) => return Err(connection.fail_query(exception)),
                    Packet::TableColumns | Packet::Other => {}
                    Packet::Pong => return Err(Error::protocol("unexpected Pong during a query")),
                }
            }
        })
    }

    /// Runs a statement and drops any result rows.
    pub fn execute(&mut self, sql: &str) -> Result<()> {
        if self.query(sql, &QueryOptions::default())?.is_some() {
            let mut block = Block::default();
            while self.next_block(&mut block)? {}
        }
        Ok(())
    }

    /// Reads the next block of rows into `block`, reusing its buffers. Returns `false` at the end of
    /// the stream; blocks without rows are skipped. Without an open result it fails: a stream that
    /// did not end must never look ended.
    pub fn next_block(&mut self, block: &mut Block) -> Result<bool> {
        match self.state {
            State::Receiving => {}
            State::Broken | State::OutOfStep => return Err(Error::Broken),
            State::Idle | State::Sending => return Err(Error::Usage("no result is open on this connection".into())),
        }
        self.guard(|connection| {
            loop {
                match connection.read_packet(block)? {
                    Packet::Data if block.rows() > 0 => return Ok(true),
                    Packet::Data | Packet::TableColumns | Packet::Other => {}
                    Packet::EndOfStream => {
                        connection.end_query()?;
                        return Ok(false);
                    }
                    Packet::Exception(exception) => return Err(connection.fail_query(exception)),
                    Packet::Pong => return Err(Error::protocol("unexpected Pong during a query")),
                }
            }
        })
    }

    /// Ends an open result early: cancels the query and reads what the server still sends.
    pub fn close_result(&mut self) -> Result<()> {
        match self.state {
            State::Idle => Ok(()),
            State::Broken | State::OutOfStep => Err(Error::Broken),
            State::Sending => {
                self.abort_insert();
                Ok(())
            }
            State::Receiving => {
                self.guard(|connection| Ok(connection.reader.get_mut().cancel_now()?))?;
                let mut block = Block::default();
                while self.state == State::Receiving {
                    match self.next_block(&mut block) {
                        Ok(true) => {}
                        Ok(false) | Err(Error::Cancelled) => return Ok(()),
                        Err(Error::Server(exception)) if exception.code == QUERY_WAS_CANCELLED => return Ok(()),
                        Err(error) if error.breaks_connection() => return Err(error),
                        Err(_) => return Ok(()),
                    }
                }
                Ok(())
            }
        }
    }

    fn require_idle(&self) -> Result<()> {
        match self.state {
            State::Idle => Ok(()),
            State::Broken => Err(Error::Broken),
            State::Receiving | State::Sending => {
                Err(Error::Usage("a query is still running on this connection".into()))
            }
            // `guard` brings the connection back before anything else can run.
            State::OutOfStep => Err(Error::Broken),
        }
    }

    /// Runs `operation`. After a packet that could not be read to its end (a type this client
    /// cannot decode, corrupt data) the socket is out of step for good, so the connection is opened
    /// again and the error reported as itself; any other error that breaks the stream (the socket
    /// failed), or a failed reopening, marks the connection broken.
    fn guard<T>(&mut self, operation: impl FnOnce(&mut Connection) -> Result<T>) -> Result<T> {
        if self.state == State::Broken {
            return Err(Error::Broken);
        }
        let result = operation(self);
        if let Err(error) = &result {
            if self.state == State::OutOfStep && !self.reopening {
                // The server would otherwise run the abandoned query to its end: ClickHouse 18.16
                // notices a closed socket only when it writes, which an endless query may never do.
                let _ = self.reader.get_mut().cancel_now();
                self.reader.get_mut().end_query();
                // Reopening runs the settings probe, which must not reopen again should it fail too.
                self.reopening = true;
                let reopened = self.reconnect();
                self.reopening = false;
                if reopened.is_err() {
                    self.state = State::Broken;
                }
            } else if self.state == State::OutOfStep {
                self.state = State::Broken;
            } else if error.breaks_connection() {
                self.state = State::Broken;
                self.reader.get_mut().end_query();
            }
        }
        result
    }

    fn start_query(&mut self, sql: &str, options: &QueryOptions) -> Result<()> {
        self.require_idle()?;
        self.progress = Progress::default();
        self.rows_sent = 0;
        self.profile_info = None;
        self.totals = None;
        self.extremes = None;
        self.progress_observer.clone_from(&options.progress);
        self.reader.get_mut().begin_query(options.timeout);
        self.out.clear();
        let mut settings = std::borrow::Cow::Borrowed(&options.settings);
        if self.revision >= revision::SETTINGS_SERIALIZED_AS_STRINGS {
            // The connection's settings, unless the query sets the same one.
            for setting in &self.options.settings {
                if !settings.iter().any(|given| given.name == setting.name) {
                    settings.to_mut().push(setting.clone());
                }
            }
        }
        if self.options.compression
            && !settings
                .iter()
                .any(|setting| setting.name == COMPRESSION_METHOD_SETTING)
        {
            // Servers may default to ZSTD; this client speaks LZ4.
            settings.to_mut().push(Setting::new(COMPRESSION_METHOD_SETTING, "lz4"));
        }
        Query {
            query_id: &options.query_id,
            sql,
            settings: &settings,
            compression: self.options.compression,
            client_name: &self.options.client_name,
            client_revision: self.options.revision.min(revision::MAX_CLIENT_REVISION),
            quota_key: &self.options.quota_key,
        }
        .write(&mut self.out, self.revision);
        self.send_out()?;
        self.state = State::Receiving;
        // No external tables: their list ends with an empty block.
        self.write_data(&Block::default())
    }

    /// The stream ended normally; report a cancel or deadline that cut it short.
    fn end_query(&mut self) -> Result<()> {
        self.state = State::Idle;
        match self.reader.get_mut().end_query() {
            None => Ok(()),
            Some(Interruption::Cancelled) => Err(Error::Cancelled),
            Some(Interruption::DeadlinePassed) => Err(Error::QueryTimeout),
        }
    }

    /// The server ended the query with an exception; a cancel we asked for is reported as such.
    /// The connection is then brought back in step.
    fn fail_query(&mut self, exception: super::error::ServerException) -> Error {
        let cancelled = exception.code == QUERY_WAS_CANCELLED;
        let error = match self.end_query() {
            Err(interruption) if cancelled => interruption,
            _ => Error::Server(exception),
        };
        if self.resync().is_err() {
            self.state = State::Broken;
        }
        error
    }

    /// Makes sure the server has read everything we sent. A server that ends a query before it has
    /// read the external-tables block (18.16 does, on a syntax error or an INSERT ... SELECT) later
    /// takes that block for stray packets, answers UNEXPECTED_PACKET_FROM_CLIENT and reads the rest
    /// as garbage. A Ping tells: a Pong means all is in step; that exception means the socket is out
    /// of step for good, and the connection is opened again (session settings are lost then).
    fn resync(&mut self) -> Result<()> {
        self.out.clear();
        self.out.write_varint(client::PING);
        self.send_out()?;
        let mut scratch = Block::default();
        loop {
            match self.read_packet(&mut scratch)? {
                Packet::Pong => return Ok(()),
                Packet::Other => {}
                Packet::Exception(exception) if exception.code == UNEXPECTED_PACKET_FROM_CLIENT => {
                    return self.reconnect();
                }
                Packet::Exception(exception) => return Err(Error::Server(exception)),
                _ => return Err(Error::protocol("unexpected packet in answer to Ping")),
            }
        }
    }

    /// Replaces the socket with a fresh connection to the same server; cancel handles stay valid.
    /// The new session starts in the server's time zone.
    fn reconnect(&mut self) -> Result<()> {
        let (reader, server) = handshake::handshake(&self.options, &self.cancel_handle)?;
        self.reader = reader;
        self.packets = PacketReader::new(self.revision, self.options.compression, server.timezone.as_deref());
        self.server = server;
        self.state = State::Idle;
        self.establish_settings()
    }

    fn send_out(&mut self) -> Result<()> {
        let stream = self.reader.get_mut();
        stream.write_all(&self.out)?;
        stream.flush()?;
        Ok(())
    }

    /// Sends a Data packet holding `block`, compressed when the connection compresses.
    fn write_data(&mut self, block: &Block) -> Result<()> {
        self.rows_sent += block.rows() as u64;
        self.out.clear();
        self.out.write_varint(client::DATA);
        if self.revision >= revision::TEMPORARY_TABLES {
            self.out.write_str("");
        }
        if self.options.compression {
            self.block_bytes.clear();
            block.write(&mut self.block_bytes, self.revision);
            write_frame(&mut self.out, &self.block_bytes);
        } else {
            block.write(&mut self.out, self.revision);
        }
        self.send_out()
    }

    /// Reads one packet; Data goes into `block`, everything else is recorded on the connection.
    /// A packet that could not be read to its end leaves the connection out of step, unless the
    /// socket itself failed.
    fn read_packet(&mut self, block: &mut Block) -> Result<Packet> {
        let packet = match self.packets.read(&mut self.reader, block) {
            Ok(packet) => packet,
            Err(error) => {
                if !error.is_transport_failure() {
                    self.state = State::OutOfStep;
                }
                return Err(error);
            }
        };
        Ok(match packet {
            ServerPacket::Data => Packet::Data,
            ServerPacket::TableColumns => Packet::TableColumns,
            ServerPacket::EndOfStream => Packet::EndOfStream,
            ServerPacket::Pong => Packet::Pong,
            ServerPacket::Exception(exception) => Packet::Exception(exception),
            ServerPacket::Totals(summary) => {
                self.totals = Some(summary);
                Packet::Other
            }
            ServerPacket::Extremes(summary) => {
                self.extremes = Some(summary);
                Packet::Other
            }
            ServerPacket::Progress(increment) => {
                self.progress.add(&increment);
                if let Some(observer) = &self.progress_observer {
                    observer.observe(&self.progress);
                }
                Packet::Other
            }
            ServerPacket::ProfileInfo(info) => {
                self.profile_info = Some(info);
                Packet::Other
            }
            ServerPacket::Skipped => Packet::Other,
        })
    }
}
