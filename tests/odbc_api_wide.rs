//! tests/odbc_api/suite.rs with odbc-api calling the UTF-16 `W` functions (its `wide` feature, a
//! dev-dependency of this crate). tests/odbc_api_narrow/ runs the same suite with the ANSI ones.

// Only the driver-free part of tests/common: the driver must be reached through libodbc.
#[path = "common/environment.rs"]
mod common;
#[path = "odbc_api/suite.rs"]
mod suite;

type SqlCharOfThisBuild = u16;
