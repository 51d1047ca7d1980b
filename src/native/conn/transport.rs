//! The byte stream under a connection: plain TCP or TLS, with timeouts, cancellation and deadlines.
//!
//! Reads wait in short slices so that a request to cancel, made from another thread through
//! [`CancelHandle`], or a query timeout is acted on while the server is silent. The Cancel packet is
//! written by the reading thread itself, so TLS needs no second handle on the session.
//!
//! A query's timeout counts only the time spent waiting for the server's bytes, not the time the
//! application takes between reads. A server that answers a Cancel with nothing for
//! [`CANCEL_GRACE`] is given up: the read fails with a timeout and the connection is broken.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use native_tls::{Certificate, HandshakeError, TlsConnector, TlsStream};

use crate::native::error::{Error, Result};

/// How long one read waits before checking for a cancel request or a deadline.
const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// The Cancel packet: client packet code 3, no payload.
const CANCEL_PACKET: [u8; 1] = [3];

/// How long a server may stay silent after a Cancel before the connection is given up. ClickHouse
/// checks for a cancel between blocks, and `sleep` holds a block for at most 3 s.
pub const CANCEL_GRACE: Duration = Duration::from_secs(5);

#[derive(Clone, PartialEq, Eq)]
pub struct TlsOptions {
    /// Verify the certificate chain and host name (the default). Turning it off is an explicit opt-out.
    pub verify: bool,
    /// A PEM file with extra trusted certificates, e.g. a private CA.
    pub ca_file: Option<PathBuf>,
    /// The name sent as SNI and checked against the certificate; the host when `None`.
    pub server_name: Option<String>,
}

impl Default for TlsOptions {
    fn default() -> Self {
        TlsOptions {
            verify: true,
            ca_file: None,
            server_name: None,
        }
    }
}

impl fmt::Debug for TlsOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsOptions")
            .field("verify", &self.verify)
            .field("ca_file", &self.ca_file)
            .field("server_name", &self.server_name)
            .finish()
    }
}

enum Transport {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

impl Transport {
    fn socket(&self) -> &TcpStream {
        match self {
            Transport::Plain(socket) => socket,
            Transport::Tls(stream) => stream.get_ref(),
        }
    }
}

/// The life cycle of the current query, shared with [`CancelHandle`]s: the phase in the low two
/// bits, above them the waiter, the caller's tag for whoever is waiting on the connection now
/// (0 for nobody in particular).
const IDLE: u64 = 0;
const RUNNING: u64 = 1;
const CANCEL_REQUESTED: u64 = 2;
const CANCEL_SENT: u64 = 3;
const PHASE_BITS: u32 = 2;
const PHASE_MASK: u64 = (1 << PHASE_BITS) - 1;

fn phase(state: u64) -> u64 {
    state & PHASE_MASK
}

fn with_phase(state: u64, phase: u64) -> u64 {
    state & !PHASE_MASK | phase
}

/// Cancels the query running on a connection, from any thread.
#[derive(Clone, Debug)]
pub struct CancelHandle {
    state: Arc<AtomicU64>,
}

impl CancelHandle {
    pub(super) fn new() -> CancelHandle {
        CancelHandle {
            state: Arc::new(AtomicU64::new(IDLE)),
        }
    }

    /// Asks the server to stop the running query; does nothing when no query runs. The connection
    /// reads the rest of the answer and stays usable; the query reports [`Error::Cancelled`].
    pub fn cancel(&self) {
        let _ = self.state.fetch_update(Ordering::AcqRel, Ordering::Acquire, |state| {
            (phase(state) == RUNNING).then_some(with_phase(state, CANCEL_REQUESTED))
        });
    }

    /// As [`CancelHandle::cancel`], but only while `waiter` (a tag given to
    /// [`CancelHandle::set_waiter`], not 0) is the one waiting on the connection: a cancel meant
    /// for one user of a shared connection never stops another's query.
    pub fn cancel_waiter(&self, waiter: u64) {
        let running = waiter << PHASE_BITS | RUNNING;
        if waiter != 0 {
            let _ = self.state.compare_exchange(
                running,
                with_phase(running, CANCEL_REQUESTED),
                Ordering::AcqRel,
                Ordering::Acquire,
            );
        }
    }

    /// Records who waits on the connection from now on (0: nobody in particular). Tags must fit in
    /// 62 bits (an address does). A cancel asked for but not yet sent is dropped when the waiter
    /// changes: the call it was meant for has ended.
    pub fn set_waiter(&self, waiter: u64) {
        let _ = self.state.fetch_update(Ordering::AcqRel, Ordering::Acquire, |state| {
            let phase = match phase(state) {
                CANCEL_REQUESTED => RUNNING,
                phase => phase,
            };
            Some(waiter << PHASE_BITS | phase)
        });
    }
}

/// Why a query ended early, if it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interruption {
    Cancelled,
    DeadlinePassed,
}

pub struct Stream {
    transport: Transport,
    query_state: Arc<AtomicU64>,
    receive_timeout: Duration,
    /// While connecting: when the connect timeout (the second field) runs out.
    connect_deadline: Option<(Instant, Duration)>,
    /// The current query's timeout, and how long it has waited for the server so far.
    query_timeout: Option<Duration>,
    waited: Duration,
    /// When the Cancel went out, while its answer is awaited.
    cancel_sent_at: Option<Instant>,
    interruption: Option<Interruption>,
}

impl Stream {
    /// Opens TCP (and TLS when asked) to `host:port`, trying each resolved address in turn.
    /// `cancel_handle` is the handle this stream obeys; a reconnect passes the old one on.
    ///
    /// The connect timeout bounds everything up to [`Stream::handshake_done`]: TCP, TLS and the
    /// protocol handshake, so a server that accepts and then stays silent fails in time.
    pub fn connect(
        host: &str,
        port: u16,
        tls: Option<&TlsOptions>,
        timeouts: [Duration; 3],
        cancel_handle: &CancelHandle,
    ) -> Result<Stream> {
        let [connect_timeout, send_timeout, receive_timeout] = timeouts;
        let deadline = Instant::now() + connect_timeout;
        let address = format!("{host}:{port}");
        let connect_error = |source: io::Error| Error::Connect {
            address: address.clone(),
            source,
        };
        let candidates: Vec<SocketAddr> = (host, port).to_socket_addrs().map_err(connect_error)?.collect();
        let mut last_error = io::Error::new(io::ErrorKind::NotFound, "the host name resolved to no address");
        let mut socket = None;
        for candidate in candidates {
            let Some(remaining) = remaining_until(deadline) else {
                last_error = io::Error::new(io::ErrorKind::TimedOut, "the connect timeout passed");
                break;
            };
            match TcpStream::connect_timeout(&candidate, remaining) {
                Ok(connected) => {
                    socket = Some(connected);
                    break;
                }
                Err(error) => last_error = error,
            }
        }
        let socket = socket.ok_or_else(|| connect_error(last_error))?;
        socket.set_nodelay(true).map_err(connect_error)?;
        let transport = match tls {
            None => Transport::Plain(socket),
            Some(options) => {
                // The TLS handshake blocks: it may take what is left of the connect timeout.
                let remaining = remaining_until(deadline).ok_or_else(|| handshake_timeout(connect_timeout))?;
                socket.set_read_timeout(Some(remaining)).map_err(connect_error)?;
                socket.set_write_timeout(Some(remaining)).map_err(connect_error)?;
                Transport::Tls(Box::new(tls_handshake(host, socket, options)?))
            }
        };
        let socket = transport.socket();
        socket.set_write_timeout(Some(send_timeout)).map_err(connect_error)?;
        socket.set_read_timeout(Some(POLL_INTERVAL)).map_err(connect_error)?;
        Ok(Stream {
            transport,
            query_state: Arc::clone(&cancel_handle.state),
            receive_timeout,
            connect_deadline: Some((deadline, connect_timeout)),
            query_timeout: None,
            waited: Duration::ZERO,
            cancel_sent_at: None,
            interruption: None,
        })
    }

    /// Ends the connect phase: from now on only the receive timeout bounds a silent server.
    pub fn handshake_done(&mut self) {
        self.connect_deadline = None;
    }

    /// Marks the start of a query that cancel requests and `timeout` apply to.
    pub fn begin_query(&mut self, timeout: Option<Duration>) {
        self.query_timeout = timeout;
        self.waited = Duration::ZERO;
        self.cancel_sent_at = None;
        self.interruption = None;
        self.update_phase(|_| RUNNING);
    }

    /// Marks the end of the query; returns how it was interrupted, if it was.
    pub fn end_query(&mut self) -> Option<Interruption> {
        self.update_phase(|_| IDLE);
        self.query_timeout = None;
        self.cancel_sent_at = None;
        self.interruption.take()
    }

    /// Sends Cancel now, if a query is running and it was not sent yet.
    pub fn cancel_now(&mut self) -> io::Result<()> {
        let mut requested_now = false;
        self.update_phase(|phase| {
            requested_now = phase == RUNNING;
            if requested_now { CANCEL_REQUESTED } else { phase }
        });
        if requested_now {
            self.interruption = Some(Interruption::Cancelled);
        }
        self.send_cancel_if_requested(Duration::ZERO)
    }

    /// Changes the phase of the query state, keeping the waiter.
    fn update_phase(&self, mut change: impl FnMut(u64) -> u64) {
        let _ = self
            .query_state
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |state| {
                Some(with_phase(state, change(phase(state))))
            });
    }

    /// Sends Cancel when one was asked for or the query has waited `waiting` (this read) on top of
    /// its earlier waits for longer than its timeout.
    fn send_cancel_if_requested(&mut self, waiting: Duration) -> io::Result<()> {
        let state = phase(self.query_state.load(Ordering::Acquire));
        let timed_out = state == RUNNING
            && self
                .query_timeout
                .is_some_and(|timeout| self.waited + waiting >= timeout);
        if state == CANCEL_REQUESTED || timed_out {
            if self.interruption.is_none() {
                self.interruption = Some(if timed_out {
                    Interruption::DeadlinePassed
                } else {
                    Interruption::Cancelled
                });
            }
            self.update_phase(|_| CANCEL_SENT);
            self.cancel_sent_at = Some(Instant::now());
            self.write_all(&CANCEL_PACKET)?;
            self.flush()?;
        }
        Ok(())
    }

    fn raw_read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        match &mut self.transport {
            Transport::Plain(socket) => socket.read(buffer),
            Transport::Tls(stream) => stream.read(buffer),
        }
    }
}

/// The time left until `deadline`, `None` once it has passed.
fn remaining_until(deadline: Instant) -> Option<Duration> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|left| !left.is_zero())
}

/// A timeout the application set expired and the connection was given up: the connect timeout
/// before the connection was established (ODBC's login timeout), or a query timeout whose Cancel
/// the server never answered. Unlike the receive timeout, the application asked for this limit.
#[derive(Debug)]
pub struct GaveUp(String);

impl fmt::Display for GaveUp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for GaveUp {}

fn handshake_timeout(connect_timeout: Duration) -> io::Error {
    let message = format!(
        "the server did not complete the handshake within the connect timeout ({} s)",
        connect_timeout.as_secs_f64()
    );
    io::Error::new(io::ErrorKind::TimedOut, GaveUp(message))
}

fn tls_handshake(host: &str, socket: TcpStream, options: &TlsOptions) -> Result<TlsStream<TcpStream>> {
    let mut builder = TlsConnector::builder();
    if !options.verify {
        builder
            .danger_accept_invalid_certs(true)
            .danger_accept_invalid_hostnames(true);
    }
    if let Some(path) = &options.ca_file {
        let pem = std::fs::read(path)
            .map_err(|error| Error::Tls(format!("cannot read CA file {}: {error}", path.display())))?;
        let certificate = Certificate::from_pem(&pem)
            .map_err(|error| Error::Tls(format!("CA file {} is not a PEM certificate: {error}", path.display())))?;
        builder.add_root_certificate(certificate);
    }
    let connector = builder.build().map_err(|error| Error::Tls(error.to_string()))?;
    let server_name = options.server_name.as_deref().unwrap_or(host);
    match connector.connect(server_name, socket) {
        Ok(stream) => Ok(stream),
        Err(HandshakeError::Failure(error)) => Err(Error::Tls(format!("with {server_name}: {error}"))),
        Err(HandshakeError::WouldBlock(_)) => Err(Error::Tls(format!("with {server_name}: no answer in time"))),
    }
}

impl Read for Stream {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let started = Instant::now();
        let result = loop {
            if let Err(error) = self.send_cancel_if_requested(started.elapsed()) {
                break Err(error);
            }
            match self.raw_read(buffer) {
                Err(error) if matches!(error.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                    if let Some((deadline, connect_timeout)) = self.connect_deadline
                        && Instant::now() >= deadline
                    {
                        break Err(handshake_timeout(connect_timeout));
                    }
                    let unanswered = self
                        .cancel_sent_at
                        .map(|sent| sent.max(started).elapsed())
                        .filter(|silence| *silence >= CANCEL_GRACE);
                    if let Some(silence) = unanswered {
                        let message = format!("the server did not answer the cancel for {} s", silence.as_secs());
                        break Err(io::Error::new(io::ErrorKind::TimedOut, GaveUp(message)));
                    }
                    if started.elapsed() >= self.receive_timeout {
                        break Err(io::Error::new(
                            io::ErrorKind::TimedOut,
                            format!("the server sent nothing for {} s", self.receive_timeout.as_secs_f64()),
                        ));
                    }
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                result => break result,
            }
        };
        self.waited += started.elapsed();
        result
    }
}

impl Write for Stream {
    fn write(&mut self, buffer: &[u8]) -> io::Result<usize> {
        match &mut self.transport {
            Transport::Plain(socket) => socket.write(buffer),
            Transport::Tls(stream) => stream.write(buffer),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.transport {
            Transport::Plain(socket) => socket.flush(),
            Transport::Tls(stream) => stream.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phase_of(handle: &CancelHandle) -> u64 {
        phase(handle.state.load(Ordering::Acquire))
    }

    #[test]
    fn a_cancel_for_one_waiter_leaves_another_alone() {
        let handle = CancelHandle::new();
        handle.state.store(RUNNING, Ordering::Release);
        handle.set_waiter(7);
        handle.cancel_waiter(8);
        handle.cancel_waiter(0);
        assert_eq!(phase_of(&handle), RUNNING);
        handle.cancel_waiter(7);
        assert_eq!(phase_of(&handle), CANCEL_REQUESTED);
    }

    #[test]
    fn a_cancel_not_sent_when_its_waiter_leaves_is_dropped() {
        let handle = CancelHandle::new();
        handle.state.store(RUNNING, Ordering::Release);
        handle.set_waiter(7);
        handle.cancel_waiter(7);
        handle.set_waiter(0);
        assert_eq!(phase_of(&handle), RUNNING);
        // Nobody waits: a statement's cancel between its calls does nothing.
        handle.cancel_waiter(7);
        assert_eq!(phase_of(&handle), RUNNING);
        // The native client's own cancel reaches whatever runs.
        handle.cancel();
        assert_eq!(phase_of(&handle), CANCEL_REQUESTED);
    }

    #[test]
    fn no_cancel_without_a_running_query() {
        let handle = CancelHandle::new();
        handle.set_waiter(7);
        handle.cancel_waiter(7);
        handle.cancel();
        assert_eq!(phase_of(&handle), IDLE);
    }
}
