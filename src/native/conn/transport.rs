//! The byte stream under a connection: plain TCP or TLS, with timeouts, cancellation and deadlines.
//!
//! Reads wait in short slices so that a request to cancel, made from another thread through
//! [`CancelHandle`], or a query deadline is acted on while the server is silent. The Cancel packet is
//! written by the reading thread itself, so TLS needs no second handle on the session.

use std::fmt;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::{Duration, Instant};

use native_tls::{Certificate, HandshakeError, TlsConnector, TlsStream};

use crate::native::error::{Error, Result};

/// How long one read waits before checking for a cancel request or a deadline.
const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// The Cancel packet: client packet code 3, no payload.
const CANCEL_PACKET: [u8; 1] = [3];

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

/// The life cycle of the current query, shared with [`CancelHandle`]s.
const IDLE: u8 = 0;
const RUNNING: u8 = 1;
const CANCEL_REQUESTED: u8 = 2;
const CANCEL_SENT: u8 = 3;

/// Cancels the query running on a connection, from any thread.
#[derive(Clone, Debug)]
pub struct CancelHandle {
    state: Arc<AtomicU8>,
}

impl CancelHandle {
    pub(super) fn new() -> CancelHandle {
        CancelHandle {
            state: Arc::new(AtomicU8::new(IDLE)),
        }
    }

    /// Asks the server to stop the running query; does nothing when no query runs. The connection
    /// reads the rest of the answer and stays usable; the query reports [`Error::Cancelled`].
    pub fn cancel(&self) {
        let _ = self
            .state
            .compare_exchange(RUNNING, CANCEL_REQUESTED, Ordering::AcqRel, Ordering::Acquire);
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
    query_state: Arc<AtomicU8>,
    receive_timeout: Duration,
    /// While connecting: when the connect timeout (the second field) runs out.
    connect_deadline: Option<(Instant, Duration)>,
    deadline: Option<Instant>,
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
            deadline: None,
            interruption: None,
        })
    }

    /// Ends the connect phase: from now on only the receive timeout bounds a silent server.
    pub fn handshake_done(&mut self) {
        self.connect_deadline = None;
    }

    /// Marks the start of a query that cancel requests and `deadline` apply to.
    pub fn begin_query(&mut self, deadline: Option<Instant>) {
        self.deadline = deadline;
        self.interruption = None;
        self.query_state.store(RUNNING, Ordering::Release);
    }

    /// Marks the end of the query; returns how it was interrupted, if it was.
    pub fn end_query(&mut self) -> Option<Interruption> {
        self.query_state.store(IDLE, Ordering::Release);
        self.deadline = None;
        self.interruption.take()
    }

    /// Sends Cancel now, if a query is running and it was not sent yet.
    pub fn cancel_now(&mut self) -> io::Result<()> {
        if self
            .query_state
            .compare_exchange(RUNNING, CANCEL_REQUESTED, Ordering::AcqRel, Ordering::Acquire)
            .is_ok()
        {
            self.interruption = Some(Interruption::Cancelled);
        }
        self.send_cancel_if_requested()
    }

    fn send_cancel_if_requested(&mut self) -> io::Result<()> {
        let state = self.query_state.load(Ordering::Acquire);
        let deadline_passed = state == RUNNING && self.deadline.is_some_and(|deadline| Instant::now() >= deadline);
        if state == CANCEL_REQUESTED || deadline_passed {
            if self.interruption.is_none() {
                self.interruption = Some(if deadline_passed {
                    Interruption::DeadlinePassed
                } else {
                    Interruption::Cancelled
                });
            }
            self.query_state.store(CANCEL_SENT, Ordering::Release);
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

/// The connect timeout passed before the connection was established (ODBC's login timeout).
#[derive(Debug)]
pub struct ConnectTimedOut(Duration);

impl fmt::Display for ConnectTimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the server did not complete the handshake within the connect timeout ({} s)",
            self.0.as_secs_f64()
        )
    }
}

impl std::error::Error for ConnectTimedOut {}

fn handshake_timeout(connect_timeout: Duration) -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, ConnectTimedOut(connect_timeout))
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
        loop {
            self.send_cancel_if_requested()?;
            match self.raw_read(buffer) {
                Err(error) if matches!(error.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
                    if let Some((deadline, connect_timeout)) = self.connect_deadline
                        && Instant::now() >= deadline
                    {
                        return Err(handshake_timeout(connect_timeout));
                    }
                    if started.elapsed() >= self.receive_timeout {
                        return Err(io::Error::new(
                            io::ErrorKind::TimedOut,
                            format!("the server sent nothing for {} s", self.receive_timeout.as_secs_f64()),
                        ));
                    }
                }
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                result => return result,
            }
        }
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
