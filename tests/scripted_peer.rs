//! A scripted server for what the local servers cannot show: a modern handshake at revision 54460
//! (Hello addendum, elapsed time in Progress), a connection cut in the middle of a block, a server
//! that stalls, and packets this client does not know.

mod common;

use std::io::Write;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use bytehouse::native::wire::WriteExt;
use bytehouse::native::{Block, ConnectOptions, Connection, Error, QueryOptions, Value};
use common::scripted_peer::{accept, data_packet, listen, peer, sample_block};

fn options(port: u16) -> ConnectOptions {
    ConnectOptions {
        port,
        receive_timeout: Duration::from_secs(2),
        quota_key: "quota-7".into(),
        ..ConnectOptions::default()
    }
}

#[test]
fn modern_handshake_sends_the_addendum_and_reads_elapsed_time() {
    let peer = listen(|mut client| {
        let revision = client.handshake(54492);
        assert_eq!(revision, 54460);
        // A query's own setting is first checked by a query of its own, answered here as accepted.
        client.read_query(revision);
        let probe = std::mem::take(&mut client.seen.query);
        client.socket.write_all(&[5]).unwrap(); // EndOfStream
        client.read_query(revision);
        let socket = &mut client.socket;
        let mut bytes = Vec::new();
        bytes.extend(data_packet(&Block::with_columns_of(&sample_block()), revision));
        // Progress at 54460: rows, bytes, total rows, total bytes (no: 54463), written rows/bytes, elapsed ns.
        bytes.write_varint(3);
        for value in [1000, 16000, 1000, 0, 0, 123_456_789] {
            bytes.write_varint(value);
        }
        bytes.extend(data_packet(&sample_block(), revision));
        bytes.write_varint(5);
        socket.write_all(&bytes).unwrap();
        (client.seen, probe)
    });
    let mut connection = Connection::connect(&options(peer.port)).unwrap();
    assert_eq!(connection.server_info().revision, 54492);
    assert_eq!(connection.revision(), 54460);
    assert_eq!(connection.server_info().display_name.as_deref(), Some("scripted"));
    let options = QueryOptions {
        settings: vec![bytehouse::native::Setting {
            name: "max_threads".into(),
            value: "2".into(),
            important: true,
        }],
        ..Default::default()
    };
    let mut block = connection.query("SELECT n, s FROM t", &options).unwrap().unwrap();
    assert!(connection.next_block(&mut block).unwrap());
    assert_eq!(block.rows(), 1000);
    assert_eq!(block.columns[1].value(999), Value::Bytes(b"row 999"));
    assert!(!connection.next_block(&mut block).unwrap());
    assert_eq!(connection.progress().elapsed_ns, 123_456_789);
    assert_eq!(connection.progress().read_rows, 1000);
    let (seen, probe) = peer.thread.join().unwrap();
    assert_eq!(probe, "SELECT 1 SETTINGS `max_threads` = '2'");
    assert_eq!(seen.client_revision, 54460);
    assert_eq!(seen.quota_key.as_deref(), Some("quota-7"));
    assert_eq!(seen.query, "SELECT n, s FROM t");
    assert_eq!(seen.settings, [("max_threads".to_string(), 1, "2".to_string())]);
}

#[test]
fn a_connection_cut_mid_block_is_a_clean_error() {
    let peer = peer(54460, |socket, revision| {
        let mut bytes = data_packet(&sample_block(), revision);
        bytes.truncate(bytes.len() / 2);
        socket.write_all(&bytes).unwrap();
        socket.shutdown(std::net::Shutdown::Both).unwrap();
    });
    let mut connection = Connection::connect(&options(peer.port)).unwrap();
    let started = Instant::now();
    let error = connection.query("SELECT 1", &QueryOptions::default()).unwrap_err();
    assert!(matches!(error, Error::Io(_)), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(connection.is_broken());
    assert!(matches!(
        connection.query("SELECT 1", &QueryOptions::default()),
        Err(Error::Broken)
    ));
    peer.thread.join().unwrap();
}

#[test]
fn a_stalled_server_times_out() {
    let peer = peer(54460, |socket, revision| {
        let bytes = data_packet(&sample_block(), revision);
        socket.write_all(&bytes[..bytes.len() - 10]).unwrap();
        std::thread::sleep(Duration::from_secs(4));
    });
    let mut connection = Connection::connect(&options(peer.port)).unwrap();
    let started = Instant::now();
    let error = connection.query("SELECT 1", &QueryOptions::default()).unwrap_err();
    assert!(matches!(error, Error::Timeout(_)), "{error:?}");
    assert!(started.elapsed() >= Duration::from_secs(2) && started.elapsed() < Duration::from_secs(4));
    assert!(connection.is_broken());
    peer.thread.join().unwrap();
}

#[test]
fn an_unknown_packet_breaks_the_connection() {
    let peer = peer(54460, |socket, _| {
        // ByteHouse's QueryMetadata id collides with ProfileEvents; 99 is unknown everywhere.
        socket.write_all(&[99]).unwrap();
    });
    let mut connection = Connection::connect(&options(peer.port)).unwrap();
    let error = connection.query("SELECT 1", &QueryOptions::default()).unwrap_err();
    assert!(
        matches!(&error, Error::Protocol(message) if message.contains("99")),
        "{error:?}"
    );
    assert!(connection.is_broken());
    peer.thread.join().unwrap();
}

#[test]
fn nested_exceptions_keep_their_chain_and_the_connection() {
    let peer = peer(54460, |socket, _| {
        let mut bytes = Vec::new();
        bytes.write_varint(2);
        for (code, message, more) in [(1001, "outer failure", true), (60, "inner cause", false)] {
            bytes.extend_from_slice(&i32::to_le_bytes(code));
            bytes.write_str("DB::Exception");
            bytes.write_str(message);
            bytes.write_str("stack");
            bytes.write_u8(u8::from(more));
        }
        socket.write_all(&bytes).unwrap();
        // The Ping that brings the stream back in step.
        let mut ping = [0u8; 1];
        std::io::Read::read_exact(socket, &mut ping).unwrap();
        assert_eq!(ping, [4]);
        bytes.clear();
        bytes.write_varint(4);
        socket.write_all(&bytes).unwrap();
    });
    let mut connection = Connection::connect(&options(peer.port)).unwrap();
    let error = connection.query("SELECT 1", &QueryOptions::default()).unwrap_err();
    let Error::Server(exception) = &error else {
        panic!("{error:?}")
    };
    assert_eq!((exception.code, exception.message.as_str()), (1001, "outer failure"));
    let [nested] = exception.causes.as_slice() else {
        panic!("one nested cause: {exception:?}")
    };
    assert_eq!((nested.code, nested.message.as_str()), (60, "inner cause"));
    assert!(error.to_string().contains("inner cause"), "{error}");
    assert!(!connection.is_broken());
    peer.thread.join().unwrap();
}

/// An Exception packet whose chain nests `levels` causes: 400 KB for 50,000 levels, which recursion
/// over the chain would overflow the stack with.
fn exception_chain(levels: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    bytes.write_varint(2);
    for level in 0..levels {
        bytes.extend_from_slice(&(level as i32).to_le_bytes());
        bytes.write_str("E");
        bytes.write_str("m");
        bytes.write_str("");
        bytes.write_u8(u8::from(level + 1 < levels));
    }
    bytes
}

const HOSTILE_LEVELS: usize = 50_000;

fn assert_capped_chain(error: &Error) {
    let Error::Server(exception) = error else {
        panic!("{error:?}")
    };
    assert_eq!(exception.code, 0);
    assert_eq!(exception.causes.len(), bytehouse::native::conn::MAX_EXCEPTION_CAUSES);
    let omitted = HOSTILE_LEVELS - 1 - exception.causes.len();
    assert_eq!(exception.omitted_causes, omitted as u64);
    assert!(error.to_string().contains(&format!("and {omitted} more nested causes")));
}

#[test]
fn an_endless_exception_chain_at_the_handshake_is_an_error_not_a_crash() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let thread = std::thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        // The exception answers the client's Hello; the socket stays open until the client leaves
        // (closing it with the Hello unread would reset the connection).
        let mut hello = [0u8; 1];
        std::io::Read::read_exact(&mut socket, &mut hello).unwrap();
        socket.write_all(&exception_chain(HOSTILE_LEVELS)).unwrap();
        let _ = std::io::Read::read_to_end(&mut socket, &mut Vec::new());
    });
    let error = Connection::connect(&options(port)).err().expect("the exception");
    assert_capped_chain(&error);
    thread.join().unwrap();
}

#[test]
fn an_endless_exception_chain_mid_query_keeps_the_connection() {
    let peer = peer(54460, |socket, revision| {
        let mut bytes = data_packet(&Block::with_columns_of(&sample_block()), revision);
        bytes.extend(exception_chain(HOSTILE_LEVELS));
        socket.write_all(&bytes).unwrap();
        let mut ping = [0u8; 1];
        std::io::Read::read_exact(socket, &mut ping).unwrap();
        assert_eq!(ping, [4]);
        socket.write_all(&[4]).unwrap();
    });
    let mut connection = Connection::connect(&options(peer.port)).unwrap();
    let mut block = connection
        .query("SELECT n, s FROM t", &QueryOptions::default())
        .unwrap()
        .unwrap();
    let error = connection.next_block(&mut block).unwrap_err();
    assert_capped_chain(&error);
    assert!(!connection.is_broken());
    peer.thread.join().unwrap();
}

/// A Data packet whose block has one row in a column of a type this client cannot read.
fn undecodable_block(revision: u64) -> Vec<u8> {
    let mut bytes = Vec::new();
    bytes.write_varint(1);
    bytes.write_str("");
    let mut block = Vec::new();
    Block::default().write(&mut block, revision);
    // The empty block's BlockInfo, then one column of one row instead of none.
    let shape = block.len() - 2;
    block.truncate(shape);
    block.write_varint(1);
    block.write_varint(1);
    block.write_str("x");
    block.write_str("Frobnicate(1)");
    block.write_u8(0); // no custom serialization (54454)
    block.extend_from_slice(b"undecodable bytes the client must not take for packets");
    bytes.extend(block);
    bytes
}

#[test]
fn an_undecodable_block_mid_result_is_reported_and_the_connection_reopened() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let thread = std::thread::spawn(move || {
        let mut first = accept(&listener);
        let revision = first.handshake(54460);
        first.read_query(revision);
        let mut bytes = data_packet(&Block::with_columns_of(&sample_block()), revision);
        bytes.extend(undecodable_block(revision));
        first.socket.write_all(&bytes).unwrap();
        // The connection is opened again; on it the next query gets an ordinary answer.
        let mut second = accept(&listener);
        let revision = second.handshake(54460);
        second.read_query(revision);
        let mut bytes = data_packet(&Block::with_columns_of(&sample_block()), revision);
        bytes.extend(data_packet(&sample_block(), revision));
        bytes.write_varint(5);
        second.socket.write_all(&bytes).unwrap();
        second.seen
    });
    let mut connection = Connection::connect(&options(port)).unwrap();
    let mut block = connection
        .query("SELECT n, s FROM t", &QueryOptions::default())
        .unwrap()
        .unwrap();
    let error = connection.next_block(&mut block).unwrap_err();
    assert!(
        matches!(&error, Error::Type(message) if message.contains("Frobnicate")),
        "{error:?}"
    );
    assert!(!connection.is_broken() && !connection.is_busy());
    let mut block = connection
        .query("SELECT n, s FROM t", &QueryOptions::default())
        .unwrap()
        .unwrap();
    assert!(connection.next_block(&mut block).unwrap());
    assert_eq!(block.rows(), 1000);
    assert_eq!(thread.join().unwrap().query, "SELECT n, s FROM t");
}

#[test]
fn an_undecodable_block_with_no_server_to_reopen_breaks_the_connection() {
    let peer = peer(54460, |socket, revision| {
        let mut bytes = data_packet(&Block::with_columns_of(&sample_block()), revision);
        bytes.extend(undecodable_block(revision));
        socket.write_all(&bytes).unwrap();
    });
    let mut connection = Connection::connect(&ConnectOptions {
        connect_timeout: Duration::from_secs(2),
        ..options(peer.port)
    })
    .unwrap();
    let mut block = connection
        .query("SELECT n, s FROM t", &QueryOptions::default())
        .unwrap()
        .unwrap();
    peer.thread.join().unwrap();
    // The peer is gone, so the connection cannot be opened again: the first error is still reported
    // as itself, and the next call finds the connection broken.
    let error = connection.next_block(&mut block).unwrap_err();
    assert!(
        matches!(&error, Error::Type(message) if message.contains("Frobnicate")),
        "{error:?}"
    );
    assert!(connection.is_broken());
    assert!(matches!(
        connection.query("SELECT 1", &QueryOptions::default()),
        Err(Error::Broken)
    ));
}

#[test]
fn a_reopened_connection_whose_settings_probe_fails_too_is_broken_not_reopened_again() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (client_done, done) = std::sync::mpsc::channel::<()>();
    let thread = std::thread::spawn(move || {
        let mut first = accept(&listener);
        let revision = first.handshake(54460);
        // The settings probe at connect, then the query whose result cannot be read.
        first.read_query(revision);
        let mut bytes = data_packet(&Block::with_columns_of(&sample_block()), revision);
        bytes.write_varint(5);
        first.socket.write_all(&bytes).unwrap();
        first.read_query(revision);
        let mut bytes = data_packet(&Block::with_columns_of(&sample_block()), revision);
        bytes.extend(undecodable_block(revision));
        first.socket.write_all(&bytes).unwrap();
        // Reopened: the probe's answer cannot be read either.
        let mut second = accept(&listener);
        let revision = second.handshake(54460);
        second.read_query(revision);
        second.socket.write_all(&undecodable_block(revision)).unwrap();
        done.recv().unwrap();
        listener.set_nonblocking(true).unwrap();
        assert!(listener.accept().is_err(), "no third connection");
    });
    let options = ConnectOptions {
        settings: vec![bytehouse::native::Setting::new("max_threads", "2")],
        ..options(port)
    };
    let mut connection = Connection::connect(&options).unwrap();
    let mut block = connection
        .query("SELECT n, s FROM t", &QueryOptions::default())
        .unwrap()
        .unwrap();
    let error = connection.next_block(&mut block).unwrap_err();
    assert!(
        matches!(&error, Error::Type(message) if message.contains("Frobnicate")),
        "{error:?}"
    );
    assert!(connection.is_broken());
    client_done.send(()).unwrap();
    thread.join().unwrap();
}
