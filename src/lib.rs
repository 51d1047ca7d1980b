//! libbytehouse: an ODBC driver for ByteHouse and ClickHouse.
//!
//! Layers, lowest first; data flows upward only:
//! - [`native`]: a blocking client for the ClickHouse native TCP protocol. It knows nothing of ODBC.

pub mod native;
