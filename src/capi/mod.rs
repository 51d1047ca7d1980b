//! The plain C API's semantics (`bh_*` in `include/bytehouse.h`; the exported functions are in
//! [`crate::ffi::c_api`]): connections over the native client, errors as values, results as Arrow
//! streams. It knows nothing of ODBC handles.

pub mod client;
pub mod column_input;
pub mod column_view;
pub mod error;
pub mod insert;
pub mod params;
pub mod query_options;

pub use client::{Client, QueryResult};
pub use column_view::{BlockView, bh_column, bh_column_kind};
pub use error::CError;
pub use insert::Insert;
pub use params::{bh_param, bh_param_kind};
pub use query_options::{StatementOptions, bh_progress_callback, bh_query_options, bh_setting};
