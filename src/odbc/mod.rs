//! ODBC semantics on top of the native client: handles, diagnostics, type descriptions and
//! conversions. Nothing here is `extern "C"`; the exported entry points in `crate::ffi` call in.

pub mod binding;
pub mod catalog;
pub mod connect;
pub mod convert;
pub mod cursor_name;
pub mod descriptor;
pub mod diag;
pub mod dsn;
pub mod engine_clause;
pub mod escapes;
pub mod functions;
pub mod get_data;
pub mod handles;
pub mod info;
pub mod log;
pub mod parameter_binding;
pub mod params;
pub mod prepared_result;
pub mod shared_connection;
pub mod statement;
pub mod stmt_attr;
pub mod text;
pub mod type_families;
pub mod type_info;
pub mod types;
