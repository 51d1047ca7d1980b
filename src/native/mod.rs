//! A blocking client for the ClickHouse native TCP protocol.
//!
//! Wire facts follow the server's `src/Core/Protocol.h` and `ProtocolDefines.h`; every optional field is
//! gated on the negotiated revision through [`revision`], never on raw numbers.

pub mod block;
pub mod calendar;
pub mod column;
pub mod compress;
pub mod conn;
pub mod error;
pub mod failover;
pub mod prefault;
pub mod revision;
pub mod sql;
pub mod timezone;
pub mod types;
pub mod wire;

pub use block::{Block, Column};
pub use column::{ColumnData, Value};
pub use conn::{
    CancelHandle, ConnectOptions, Connection, Progress, ProgressObserver, QueryOptions, ServerInfo, Setting, TlsOptions,
};
pub use error::{Error, ExceptionCause, Result, ServerException};
pub use failover::{Endpoint, Failover, HostOrder};
pub use types::DataType;
