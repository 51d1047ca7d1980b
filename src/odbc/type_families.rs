//! The type names a server knows (`system.data_type_families`), by which SQLGetTypeInfo leaves out
//! the rows of types the server lacks.
//!
//! pyodbc calls SQLGetTypeInfo while it connects, so asking the server each time cost every new
//! connection a query round trip (about half of connect + `SELECT 1` on loopback). The names are a
//! property of the server's build, so they are kept for the process, per server name, version,
//! revision and display name; a server upgraded in place reports a new version and is asked again.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use parking_lot::Mutex;

use super::handles::Session;
use crate::native::ServerInfo;

/// (name, version, revision, display name): one server build.
type Build = (String, String, u64, Option<String>);

static KNOWN: LazyLock<Mutex<HashMap<Build, Arc<[String]>>>> = LazyLock::new(Default::default);

fn build_of(server: &ServerInfo) -> Build {
    (
        server.name.clone(),
        server.version(),
        server.revision,
        server.display_name.clone(),
    )
}

/// The type names of the session's server, asked once per server build; `None` if the server
/// cannot tell (no such table), which is not kept, so that a later call asks again.
pub fn type_families(session: &mut Session) -> Option<Arc<[String]>> {
    let build = build_of(session.connection.server_info());
    if let Some(names) = KNOWN.lock().get(&build) {
        return Some(names.clone());
    }
    let rows = session.rows_of("SELECT name FROM system.data_type_families").ok()?;
    let names: Arc<[String]> = rows.into_iter().flatten().collect();
    KNOWN.lock().insert(build, names.clone());
    Some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(version_patch: u64, display_name: Option<&str>) -> ServerInfo {
        ServerInfo {
            name: "ClickHouse".to_string(),
            version_major: 18,
            version_minor: 16,
            version_patch,
            revision: 54412,
            timezone: None,
            display_name: display_name.map(str::to_string),
        }
    }

    #[test]
    fn a_build_is_its_name_version_revision_and_display_name() {
        assert_eq!(build_of(&server(1, Some("a"))), build_of(&server(1, Some("a"))));
        assert_ne!(build_of(&server(1, Some("a"))), build_of(&server(2, Some("a"))));
        assert_ne!(build_of(&server(1, Some("a"))), build_of(&server(1, Some("b"))));
        assert_ne!(build_of(&server(1, Some("a"))), build_of(&server(1, None)));
    }
}
