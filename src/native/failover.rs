//! Connecting to one of several servers: the order they are tried in, retries with backoff, and an
//! error that lists every server tried and why it failed.
//!
//! Only failures to reach a server move on to the next one (refused, unreachable, timed out, TLS,
//! a broken handshake). A server that answers with an exception (a wrong password, say) ends the
//! attempt: another replica would answer the same.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::conn::{ConnectOptions, Connection};
use super::error::{Error, Result};

/// The longest pause between two rounds over the hosts.
const MAX_RETRY_DELAY: Duration = Duration::from_secs(30);

/// Where the next round-robin connect starts, shared by every connection of the process.
static ROUND_ROBIN_NEXT: AtomicUsize = AtomicUsize::new(0);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    pub host: String,
    pub port: u16,
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

/// The order in which the hosts of a list are tried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HostOrder {
    /// As listed: the first is the primary, the others stand by.
    #[default]
    InOrder,
    /// A random host first, then the rest in list order from there: spreads connections.
    Random,
    /// Each new connection starts one host further along the list.
    RoundRobin,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failover {
    pub endpoints: Vec<Endpoint>,
    pub order: HostOrder,
    /// Further rounds over all hosts after the first round failed.
    pub retries: u32,
    /// The pause before the first retry; it doubles for each further one.
    pub retry_delay: Duration,
}

impl Failover {
    /// Connects to the first host that answers; `options` give everything but the host and port.
    pub fn connect(&self, options: &ConnectOptions) -> Result<Connection> {
        // The last failure of each host tried, with the number of tries.
        let mut failures: Vec<(&Endpoint, Error, u32)> = Vec::new();
        let mut delay = self.retry_delay;
        for round in 0..=self.retries {
            if round > 0 {
                std::thread::sleep(delay);
                delay = (delay * 2).min(MAX_RETRY_DELAY);
            }
            for endpoint in self.rotation() {
                let mut attempt = options.clone();
                attempt.host.clone_from(&endpoint.host);
                attempt.port = endpoint.port;
                match Connection::connect(&attempt) {
                    Ok(connection) => return Ok(connection),
                    Err(error) if is_unreachable(&error) => {
                        match failures.iter_mut().find(|(tried, ..)| *tried == endpoint) {
                            Some(failure) => *failure = (endpoint, error, failure.2 + 1),
                            None => failures.push((endpoint, error, 1)),
                        }
                    }
                    Err(error) => return Err(error),
                }
            }
        }
        if let [(_, _, 1)] = failures[..] {
            // One host tried once: its own error, as it was.
            return Err(failures.remove(0).1);
        }
        Err(Error::NoServerReached(
            failures
                .into_iter()
                .map(|(endpoint, error, tries)| {
                    let reason = match error {
                        Error::Connect { source, .. } => source.to_string(),
                        other => other.to_string(),
                    };
                    let tries = if tries > 1 {
                        format!(" ({tries} tries)")
                    } else {
                        String::new()
                    };
                    format!("{endpoint}{tries}: {reason}")
                })
                .collect(),
        ))
    }

    /// The hosts in the order this connect tries them.
    fn rotation(&self) -> impl Iterator<Item = &Endpoint> {
        let count = self.endpoints.len().max(1);
        let start = match self.order {
            HostOrder::InOrder => 0,
            HostOrder::RoundRobin => ROUND_ROBIN_NEXT.fetch_add(1, Ordering::Relaxed) % count,
            // A fresh RandomState is seeded from the operating system's randomness.
            HostOrder::Random => RandomState::new().hash_one(0u8) as usize % count,
        };
        self.endpoints.iter().cycle().skip(start).take(self.endpoints.len())
    }
}

/// Errors that say this server could not be reached, as opposed to errors it answered with.
fn is_unreachable(error: &Error) -> bool {
    matches!(
        error,
        Error::Connect { .. }
            | Error::Tls(_)
            | Error::Io(_)
            | Error::Timeout(_)
            | Error::GaveUp(_)
            | Error::Protocol(_)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failover(order: HostOrder) -> Failover {
        Failover {
            endpoints: ["a", "b", "c"]
                .map(|host| Endpoint {
                    host: host.into(),
                    port: 9000,
                })
                .to_vec(),
            order,
            retries: 0,
            retry_delay: Duration::ZERO,
        }
    }

    fn hosts(failover: &Failover) -> String {
        failover.rotation().map(|endpoint| endpoint.host.as_str()).collect()
    }

    #[test]
    fn rotations_visit_every_host_once() {
        assert_eq!(hosts(&failover(HostOrder::InOrder)), "abc");
        for order in [HostOrder::Random, HostOrder::RoundRobin] {
            let mut seen: Vec<char> = hosts(&failover(order)).chars().collect();
            seen.sort_unstable();
            assert_eq!(seen, ['a', 'b', 'c']);
        }
        let starts: std::collections::BTreeSet<String> =
            (0..3).map(|_| hosts(&failover(HostOrder::RoundRobin))).collect();
        assert!(starts.len() > 1, "{starts:?}");
    }

    #[test]
    fn endpoints_print_ipv6_in_brackets() {
        let endpoint = |host: &str| Endpoint {
            host: host.into(),
            port: 9000,
        };
        assert_eq!(endpoint("::1").to_string(), "[::1]:9000");
        assert_eq!(endpoint("h").to_string(), "h:9000");
    }
}
