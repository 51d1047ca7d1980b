//! A scripted server on 127.0.0.1 for what no real server here can show: it speaks the native
//! protocol step by step (read Hello, write Hello, read a query), so a test can answer or break
//! the exchange at any point.

use std::io::{BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::thread::JoinHandle;
use std::time::Duration;

use bytehouse::native::wire::{ReadExt, WriteExt};
use bytehouse::native::{Block, Column, Value};

/// What the peer read from the client.
#[derive(Debug, Default)]
pub struct Seen {
    pub client_revision: u64,
    pub user: String,
    pub quota_key: Option<String>,
    pub query: String,
    pub settings: Vec<(String, u64, String)>,
}

/// One accepted client: the socket to write to and a reader over the same socket.
pub struct Client {
    pub socket: TcpStream,
    pub reader: BufReader<TcpStream>,
    pub seen: Seen,
}

pub struct Peer<T> {
    pub port: u16,
    pub thread: JoinHandle<T>,
}

/// Listens on a free port and runs `script` on the first client that connects.
pub fn listen<T: Send + 'static>(script: impl FnOnce(Client) -> T + Send + 'static) -> Peer<T> {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let thread = std::thread::spawn(move || script(accept(&listener)));
    Peer { port, thread }
}

/// Waits for the next client on `listener`.
pub fn accept(listener: &TcpListener) -> Client {
    let (socket, _) = listener.accept().unwrap();
    socket.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let reader = BufReader::new(socket.try_clone().unwrap());
    Client {
        socket,
        reader,
        seen: Seen::default(),
    }
}

impl Client {
    /// Reads the client's Hello.
    pub fn read_hello(&mut self) {
        let reader = &mut self.reader;
        assert_eq!(reader.read_varint().unwrap(), 0, "Hello");
        reader.read_string().unwrap();
        reader.read_varint().unwrap();
        reader.read_varint().unwrap();
        self.seen.client_revision = reader.read_varint().unwrap();
        reader.read_string().unwrap();
        self.seen.user = reader.read_string().unwrap();
        reader.read_string().unwrap();
    }

    /// Reads the client's Hello, answers as a server of `server_revision` and reads the addendum;
    /// returns the negotiated revision.
    pub fn handshake(&mut self, server_revision: u64) -> u64 {
        self.read_hello();
        let revision = self.seen.client_revision.min(server_revision);
        self.socket.write_all(&hello(server_revision)).unwrap();
        if revision >= 54458 {
            self.seen.quota_key = Some(self.reader.read_string().unwrap());
        }
        revision
    }

    /// Reads a Query packet (as a client at revision 54460 sends it) and the empty block that ends
    /// its external tables.
    pub fn read_query(&mut self, revision: u64) {
        let reader = &mut self.reader;
        let seen = &mut self.seen;
        assert_eq!(reader.read_varint().unwrap(), 1, "Query");
        reader.read_string().unwrap(); // query id
        assert_eq!(reader.read_u8().unwrap(), 1, "initial query");
        for _ in 0..3 {
            reader.read_string().unwrap(); // initial user, query id, address
        }
        reader.read_u64_le().unwrap(); // initial_query_start_time (54449)
        assert_eq!(reader.read_u8().unwrap(), 1, "TCP interface");
        for _ in 0..3 {
            reader.read_string().unwrap(); // os user, host name, client name
        }
        for _ in 0..3 {
            reader.read_varint().unwrap(); // major, minor, revision
        }
        reader.read_string().unwrap(); // quota key
        reader.read_varint().unwrap(); // distributed depth (54448)
        reader.read_varint().unwrap(); // patch
        assert_eq!(reader.read_u8().unwrap(), 0, "no OpenTelemetry context"); // 54442
        for _ in 0..3 {
            reader.read_varint().unwrap(); // parallel replicas (54453)
        }
        loop {
            let name = reader.read_string().unwrap();
            if name.is_empty() {
                break;
            }
            let flags = reader.read_varint().unwrap();
            seen.settings.push((name, flags, reader.read_string().unwrap()));
        }
        assert_eq!(reader.read_string().unwrap(), "", "interserver secret");
        assert_eq!(reader.read_varint().unwrap(), 2, "stage Complete");
        assert_eq!(reader.read_varint().unwrap(), 0, "no compression");
        seen.query = reader.read_string().unwrap();
        assert_eq!(reader.read_string().unwrap(), "", "parameters end (54459)");
        self.read_end_of_data(revision);
    }

    /// Reads a Data packet that must be the empty block ending a stream of blocks.
    pub fn read_end_of_data(&mut self, revision: u64) {
        assert_eq!(self.reader.read_varint().unwrap(), 2, "Data");
        assert_eq!(self.reader.read_string().unwrap(), "");
        let mut empty = Block::default();
        empty.read(&mut self.reader, revision).unwrap();
        assert!(empty.is_end_marker());
    }
}

/// The server Hello a 26.9 server of `server_revision` writes (this client negotiates 54460 at
/// most, so the fields up to that revision).
pub fn hello(server_revision: u64) -> Vec<u8> {
    let mut hello = Vec::new();
    hello.write_varint(0);
    hello.write_str("ClickHouse");
    hello.write_varint(26);
    hello.write_varint(9);
    hello.write_varint(server_revision);
    hello.write_str("UTC"); // timezone
    hello.write_str("scripted"); // display name
    hello.write_varint(2); // patch
    hello
}

/// Starts a peer that announces `server_revision`, reads one query, then hands the socket to
/// `respond` with the negotiated revision.
pub fn peer(server_revision: u64, respond: impl FnOnce(&mut TcpStream, u64) + Send + 'static) -> Peer<Seen> {
    listen(move |mut client| {
        let revision = client.handshake(server_revision);
        client.read_query(revision);
        respond(&mut client.socket, revision);
        client.seen
    })
}

pub fn data_packet(block: &Block, revision: u64) -> Vec<u8> {
    let mut bytes = Vec::new();
    bytes.write_varint(1);
    bytes.write_str("");
    block.write(&mut bytes, revision);
    bytes
}

/// 1,000 rows of (n UInt64, s String).
pub fn sample_block() -> Block {
    let mut block = Block::default();
    block.columns.push(Column::new("n", "UInt64").unwrap());
    block.columns.push(Column::new("s", "String").unwrap());
    let mut block = Block::with_columns_of(&block);
    for number in 0..1000u64 {
        block
            .push_row(&[Value::UInt(number), Value::Text(format!("row {number}"))])
            .unwrap();
    }
    block
}
