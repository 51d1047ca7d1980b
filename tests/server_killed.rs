//! A real ClickHouse 18.16 killed in the middle of queries: every connection gets a clean error
//! quickly, none hangs. The test runs its own private server (`scripts/test-servers.sh start-old`
//! with its own state directory and ports) so that the shared test servers stay up.

use std::process::Command;

use std::time::{Duration, Instant};

use bytehouse::native::{ConnectOptions, Connection, Error, QueryOptions};

const PORT: u16 = 19010;

struct PrivateServer {
    dir: std::path::PathBuf,
}

impl PrivateServer {
    fn script(&self, command: &str) -> String {
        let output = Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/test-servers.sh"))
            .arg(command)
            .env("BYTEHOUSE_TEST_DIR", &self.dir)
            .env("CLICKHOUSE_PORT", PORT.to_string())
            .env("CLICKHOUSE_TLS_PORT", "19450")
            .env("CLICKHOUSE_HTTP_PORT", "18133")
            .output()
            .expect("scripts/test-servers.sh runs");
        assert!(
            output.status.success(),
            "{command}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn pid(&self) -> String {
        let env = self.script("env");
        let line = env
            .lines()
            .find_map(|line| line.strip_prefix("export CLICKHOUSE_SERVER_PID="));
        line.filter(|pid| !pid.is_empty())
            .expect("the private server runs")
            .to_string()
    }
}

impl Drop for PrivateServer {
    fn drop(&mut self) {
        let _ = Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/test-servers.sh"))
            .arg("stop")
            .env("BYTEHOUSE_TEST_DIR", &self.dir)
            .output();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn killing_the_server_mid_query_gives_clean_errors() {
    let server = PrivateServer {
        dir: std::env::temp_dir().join(format!("bytehouse-killed-{}", std::process::id())),
    };
    server.script("start-old");
    let options = ConnectOptions {
        port: PORT,
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

    let pid: i32 = server.pid().parse().unwrap();
    // SAFETY: kill(2) with a negative pid signals that process group, the server's own.
    let killed = unsafe { libc::kill(-pid, libc::SIGKILL) };
    assert_eq!(killed, 0, "kill the server's process group {pid}");
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
