//! INSERT on a connection: the header the server answers with, blocks sent, the end awaited.

use super::{Connection, Packet, QueryOptions, State};
use crate::native::block::Block;
use crate::native::error::{Error, Result};

impl Connection {
    /// Starts an INSERT (`INSERT INTO t [(columns)] VALUES` or `... FORMAT Native`, without data)
    /// and returns the header: the target columns with their types. Send rows with
    /// [`Connection::send_block`], then call [`Connection::finish_insert`].
    pub fn insert(&mut self, sql: &str) -> Result<Block> {
        self.close_result()?;
        self.insert_with(sql, &QueryOptions::default())
    }

    /// [`Connection::insert`] with query options (settings, timeout).
    pub fn insert_with(&mut self, sql: &str, options: &QueryOptions) -> Result<Block> {
        let options = &self.options_for_query(options)?;
        self.start_insert(sql, options)
    }

    /// Sends an INSERT with options already prepared by [`Connection::options_for_query`].
    pub(super) fn start_insert(&mut self, sql: &str, options: &QueryOptions) -> Result<Block> {
        self.guard(|connection| {
            connection.start_query(sql, options)?;
            let mut header = Block::default();
            loop {
                match connection.read_packet(&mut header)? {
                    Packet::Data => {
                        connection.state = State::Sending;
                        return Ok(header);
                    }
                    Packet::TableColumns | Packet::Other => {}
                    Packet::EndOfStream => {
                        connection.end_query()?;
                        return Err(Error::Usage("the statement did not ask for INSERT data".into()));
                    }
                    Packet::Exception(exception) => return Err(connection.fail_query(exception)),
                    Packet::Pong => return Err(Error::protocol("unexpected Pong during an INSERT")),
                }
            }
        })
    }

    /// Sends one block of rows for the open INSERT. Its columns must match the header's types.
    pub fn send_block(&mut self, block: &Block) -> Result<()> {
        if self.state != State::Sending {
            return Err(Error::Usage("no INSERT is waiting for data".into()));
        }
        if block.rows() == 0 {
            return Ok(());
        }
        self.guard(|connection| connection.write_data(block))
    }

    /// Ends the open INSERT and waits until the server has stored the rows.
    pub fn finish_insert(&mut self) -> Result<()> {
        if self.state != State::Sending {
            return Err(Error::Usage("no INSERT is open".into()));
        }
        self.guard(Connection::finish_insert_inner)
    }

    /// Gives up an open INSERT by breaking the connection. Blocks already sent stay stored: the
    /// server writes each block as it arrives (a Memory table keeps them, as tests/c_api.rs shows),
    /// so this only stops the INSERT from going on.
    pub fn abort_insert(&mut self) {
        if self.state == State::Sending {
            self.state = State::Broken;
        }
    }

    pub(super) fn finish_insert_inner(&mut self) -> Result<()> {
        self.write_data(&Block::default())?;
        self.state = State::Receiving;
        let mut scratch = Block::default();
        loop {
            match self.read_packet(&mut scratch)? {
                Packet::EndOfStream => {
                    // Servers before 54420 report no written rows, and newer ones none for rows a
                    // client sends: then the rows sent are the count.
                    self.progress.written_rows = self.progress.written_rows.max(self.rows_sent);
                    return self.end_query();
                }
                Packet::Exception(exception) => return Err(self.fail_query(exception)),
                Packet::Data | Packet::TableColumns | Packet::Other => {}
                Packet::Pong => return Err(Error::protocol("unexpected Pong after INSERT data")),
            }
        }
    }
}
