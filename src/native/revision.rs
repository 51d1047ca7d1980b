//! Protocol revisions that gate optional fields (server `src/Core/ProtocolDefines.h`).
//!
//! Every gate is checked against the negotiated revision, `min(client, server)`.

/// The revision this client advertises unless told otherwise: it brings the Hello addendum, query
/// parameters and elapsed time in Progress, and stays below password rules, nonces, chunked packets,
/// server settings in Hello and sparse columns.
pub const DEFAULT_CLIENT_REVISION: u64 = 54460;

/// The newest revision whose fields this client reads and writes; a higher request is clamped to it.
pub const MAX_CLIENT_REVISION: u64 = 54460;

pub const TEMPORARY_TABLES: u64 = 50264;
pub const TOTAL_ROWS_IN_PROGRESS: u64 = 51554;
pub const BLOCK_INFO: u64 = 51903;
pub const CLIENT_INFO: u64 = 54032;
pub const SERVER_TIMEZONE: u64 = 54058;
pub const QUOTA_KEY_IN_CLIENT_INFO: u64 = 54060;
pub const SERVER_DISPLAY_NAME: u64 = 54372;
pub const VERSION_PATCH: u64 = 54401;
pub const SERVER_LOGS: u64 = 54406;
pub const COLUMN_DEFAULTS_METADATA: u64 = 54410;
pub const CLIENT_WRITE_INFO: u64 = 54420;
pub const SETTINGS_SERIALIZED_AS_STRINGS: u64 = 54429;
pub const INTERSERVER_SECRET: u64 = 54441;
pub const OPENTELEMETRY: u64 = 54442;
pub const DISTRIBUTED_DEPTH: u64 = 54448;
pub const INITIAL_QUERY_START_TIME: u64 = 54449;
pub const INCREMENTAL_PROFILE_EVENTS: u64 = 54451;
pub const PARALLEL_REPLICAS: u64 = 54453;
pub const CUSTOM_SERIALIZATION: u64 = 54454;
pub const ADDENDUM: u64 = 54458;
pub const PARAMETERS: u64 = 54459;
pub const SERVER_QUERY_TIME_IN_PROGRESS: u64 = 54460;
