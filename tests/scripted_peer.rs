//! A scripted server for what the local servers cannot show: a modern handshake at revision 54460
//! (Hello addendum, elapsed time in Progress), a connection cut in the middle of a block, a server
//! that stalls, and packets this client does not know.

mod common;

use std::io::Write;
use std::time::{Duration, Instant};

use bytehouse::native::wire::WriteExt;
use bytehouse::native::{Block, ConnectOptions, Connection, Error, QueryOptions, Value};
use common::scripted_peer::{data_packet, peer, sample_block};

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
    let peer = peer(54492, |socket, revision| {
        assert_eq!(revision, 54460);
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
    let seen = peer.thread.join().unwrap();
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
    let nested = exception.nested.as_ref().expect("the nested cause");
    assert_eq!((nested.code, nested.message.as_str()), (60, "inner cause"));
    assert!(error.to_string().contains("inner cause"), "{error}");
    assert!(!connection.is_broken());
    peer.thread.join().unwrap();
}
