//! The optional driver log (connection key `LogFile`): one line per connect, statement and error,
//! with timings. The connection's password or API key is replaced by `***` wherever it would appear,
//! SQL text included.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use parking_lot::Mutex;

pub struct DriverLog {
    file: Mutex<File>,
    secret: String,
}

impl DriverLog {
    /// Opens (appends to) the log; `None` if the file cannot be opened, since logging must never
    /// stop a connection.
    pub fn open(path: &Path, secret: &str) -> Option<DriverLog> {
        let file = OpenOptions::new().create(true).append(true).open(path).ok()?;
        Some(DriverLog {
            file: Mutex::new(file),
            secret: secret.to_string(),
        })
    }

    /// Writes one line: time since the epoch, thread, the event, and how long it took.
    pub fn write(&self, event: &str, elapsed: Duration) {
        let mut line = event.replace(['\n', '\r'], " ");
        if !self.secret.is_empty() {
            line = line.replace(&self.secret, "***");
        }
        let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        let thread = std::thread::current().id();
        let _ = writeln!(
            self.file.lock(),
            "{}.{:06} {thread:?} {line} ({:.3} ms)",
            now.as_secs(),
            now.subsec_micros(),
            elapsed.as_secs_f64() * 1000.0
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_have_timings_and_no_secret() {
        let path = std::env::temp_dir().join(format!("bytehouse-log-test-{}", std::process::id()));
        let log = DriverLog::open(&path, "s3cret").unwrap();
        log.write(
            "execute CREATE USER u IDENTIFIED BY 's3cret'\nnext",
            Duration::from_micros(1500),
        );
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::remove_file(&path).ok();
        assert!(
            text.contains("execute CREATE USER u IDENTIFIED BY '***' next (1.500 ms)"),
            "{text}"
        );
        assert!(!text.contains("s3cret"));
    }
}
