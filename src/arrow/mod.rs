//! Results as Arrow: the C data and stream interface structs, the mapping from ClickHouse types to
//! Arrow types, a stream over a result's blocks, and Arrow streams read back for INSERT. It depends on [`crate::native`] only.

pub mod abi;
pub mod export;
pub mod import;
pub mod mapping;
pub mod stream;

pub use abi::{ArrowArray, ArrowArrayStream, ArrowSchema};
pub use mapping::StringsAs;
pub use stream::{BlockSource, export_stream, stream_failure};
