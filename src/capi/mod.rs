//! The plain C API's semantics (`bh_*` in `include/bytehouse.h`; the exported functions are in
//! [`crate::ffi::c_api`]): connections over the native client, errors as values, results as Arrow
//! streams. It knows nothing of ODBC handles.

pub mod client;
pub mod error;

pub use client::Client;
pub use error::CError;
