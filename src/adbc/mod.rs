//! ADBC semantics (the Arrow Database Connectivity C API, 1.1.0 and 1.0.0): databases, connections
//! and statements over the C API's [`crate::capi::Client`], options, failures as ADBC status codes,
//! metadata (GetInfo, GetObjects, GetTableSchema, GetTableTypes) and bulk ingest. The exported
//! functions are in [`crate::ffi::adbc`]; nothing here handles raw pointers but the Arrow structs
//! bound to a statement.

pub mod arrays;
pub mod batch_stream;
pub mod bound;
pub mod connection;
pub mod database;
pub mod error;
pub mod info;
pub mod ingest;
pub mod objects;
pub mod options;
pub mod statement;
