//! libbytehouse: an ODBC driver for ByteHouse and ClickHouse.
//!
//! Layers, lowest first; data flows upward only:
//! - [`native`]: a blocking client for the ClickHouse native TCP protocol. It knows nothing of ODBC.
//! - [`config`]: DSN keys, connection strings and URLs resolved into native connect options and
//!   settings, with the region, login and TLS rules. Pure logic, no ODBC types.
//! - [`odbc`]: ODBC semantics (handles, diagnostics, type descriptions, conversions), no `extern "C"`.
//! - [`catalog`]: the server's tables and columns as both drivers list them.
//! - [`capi`], [`arrow`]: the plain C API and its Arrow streams; [`adbc`]: the ADBC driver over them.
//! - [`ffi`]: the exported ODBC, C API and ADBC entry points, thin wrappers over the layers above.

pub mod adbc;
pub mod arrow;
pub mod capi;
pub mod catalog;
pub mod config;
pub mod ffi;
pub mod live_set;
pub mod native;
pub mod odbc;
