//! Opening a connection: the transport, the Hello packets and the addendum.

use std::io::{BufReader, Write};

use super::ConnectOptions;
use super::packets::{self, Hello, ServerInfo, server};
use super::transport::{CancelHandle, Stream};
use crate::native::error::{Error, Result};
use crate::native::revision;
use crate::native::wire::ReadExt;

/// Size of the read buffer over the socket.
const READ_BUFFER_SIZE: usize = 256 * 1024;

/// Opens the transport, exchanges Hello packets and sends the addendum.
pub(super) fn handshake(
    options: &ConnectOptions,
    cancel_handle: &CancelHandle,
) -> Result<(BufReader<Stream>, ServerInfo)> {
    let client_revision = options.revision.min(revision::MAX_CLIENT_REVISION);
    let timeouts = [options.connect_timeout, options.send_timeout, options.receive_timeout];
    let stream = Stream::connect(
        &options.host,
        options.port,
        options.tls.as_ref(),
        timeouts,
        cancel_handle,
    )?;
    let mut reader = BufReader::with_capacity(READ_BUFFER_SIZE, stream);
    let mut out = Vec::new();
    Hello {
        client_name: &options.client_name,
        revision: client_revision,
        database: &options.database,
        user: &options.user,
        password: &options.password,
    }
    .write(&mut out);
    reader.get_mut().write_all(&out)?;
    let server = match reader.read_varint()? {
        server::HELLO => packets::read_server_hello(&mut reader, client_revision)?,
        server::EXCEPTION => return Err(Error::Server(packets::read_exception(&mut reader)?)),
        other => {
            return Err(Error::protocol(format!(
                "expected the server Hello, got packet {other}"
            )));
        }
    };
    out.clear();
    packets::write_addendum(&mut out, server.revision.min(client_revision), &options.quota_key);
    if !out.is_empty() {
        reader.get_mut().write_all(&out)?;
    }
    Ok((reader, server))
}
