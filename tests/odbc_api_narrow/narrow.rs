//! tests/odbc_api/suite.rs with odbc-api calling the ANSI functions (its `narrow` feature; also
//! its default on Linux). tests/odbc_api_wide.rs runs the same suite with the UTF-16 ones.

#[path = "../common/environment.rs"]
mod common;
#[path = "../odbc_api/suite.rs"]
mod suite;

type SqlCharOfThisBuild = u8;
