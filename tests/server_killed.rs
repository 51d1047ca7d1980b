//! A real ClickHouse 18.16 killed in the middle of queries: every connection gets a clean error
//! quickly, none hangs. The test runs its own private server (`scripts/test-servers.sh start-old`
//! with its own state directory and ports) so that the shared test servers stay up.

mod common;

use std::time::{Duration, Instant};

use bytehouse::native::{ConnectOptions, Connection, Error, QueryOptions};
use common::private_server::{Ports, PrivateServer};

const PORTS: Ports = Ports {
    tcp: 19010,
    tls: 19450,
    http: 18133,
};

#[test]
fn killing_the_server_mid_query_gives_clean_errors() {
    let server = PrivateServer::start("killed", PORTS);
    let options = ConnectOptions {
        port: PORTS.tcp,
        receive_timeout: Duration::from_secs(30),
        ..ConnectOptions::default()
    };

    // One connection in the middle of a stream of blocks, one waiting on a query that sends none.
    let mut streaming = Connection::connect(&options).unwrap();
    let mut block = streaming
        .query("SELECT number FROM system.numbers", &QueryOptions::default())
        .unwrap()
        .unwrap();
    assert!(streaming.next_block(&mut block).unwrap());
    let mut waiting = Connection::connect(&options).unwrap();
    let waiter = std::thread::spawn(move || {
        let started = Instant::now();
        let result = waiting.execute("SELECT count() FROM system.numbers");
        (result, started.elapsed(), waiting.is_broken())
    });
    std::thread::sleep(Duration::from_millis(500));

    server.signal(libc::SIGKILL);
    let started = Instant::now();
    let error = loop {
        match streaming.next_block(&mut block) {
            Ok(true) => assert!(
                started.elapsed() < Duration::from_secs(10),
                "rows keep coming from a killed server"
            ),
            Ok(false) => panic!("the stream ended normally although the server died"),
            Err(error) => break error,
        }
    };
    assert!(matches!(error, Error::Io(_)), "{error:?}");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    assert!(streaming.is_broken());
    assert!(matches!(streaming.ping(), Err(Error::Broken)));

    let (result, elapsed, broken) = waiter.join().unwrap();
    assert!(matches!(result, Err(Error::Io(_))), "{result:?}");
    assert!(elapsed < Duration::from_secs(10), "took {elapsed:?}");
    assert!(broken);
    // Nothing answers any more (refused, or reset if the port was caught mid-close).
    let again = Connection::connect(&options);
    assert!(
        again.is_err(),
        "a dead server accepted a connection: {:?}",
        again.map(|connection| connection.server_info().clone())
    );
}
