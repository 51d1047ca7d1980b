//! Every exported ODBC function (`SQL*`) has the parameters unixODBC's headers declare for it: the same
//! number, each of the same width and kind (a pointer, or an integer of the same size and sign).
//! A parameter out of place would make the driver read garbage (Rust cannot see the C side).

use std::collections::BTreeMap;
use std::path::Path;

/// A parameter as the ABI sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pointer,
    Signed(u8),
    Unsigned(u8),
}

fn c_kind(declaration: &str) -> Kind {
    let declaration = declaration.trim();
    if declaration.contains('*') {
        return Kind::Pointer;
    }
    let type_name = declaration.split_whitespace().next().unwrap_or_default();
    match type_name {
        "SQLHANDLE" | "SQLHENV" | "SQLHDBC" | "SQLHSTMT" | "SQLHDESC" | "SQLHWND" | "SQLPOINTER" | "HWND" => {
            Kind::Pointer
        }
        "SQLSMALLINT" | "SQLRETURN" => Kind::Signed(16),
        "SQLUSMALLINT" | "UWORD" => Kind::Unsigned(16),
        "SQLINTEGER" => Kind::Signed(32),
        "SQLUINTEGER" => Kind::Unsigned(32),
        "SQLLEN" | "SQLROWOFFSET" => Kind::Signed(64),
        "SQLULEN" | "SQLROWCOUNT" | "SQLROWSETSIZE" | "SQLSETPOSIROW" => Kind::Unsigned(64),
        other => panic!("C type {other} in `{declaration}`"),
    }
}

fn rust_kind(declaration: &str) -> Kind {
    let type_name = declaration.split(':').nth(1).unwrap_or_default().trim();
    if type_name.starts_with('*') {
        return Kind::Pointer;
    }
    match type_name {
        "i16" => Kind::Signed(16),
        "u16" => Kind::Unsigned(16),
        "i32" => Kind::Signed(32),
        "u32" => Kind::Unsigned(32),
        "isize" => Kind::Signed(64),
        "usize" => Kind::Unsigned(64),
        other => panic!("Rust type {other} in `{declaration}`"),
    }
}

/// Splits `name(parameters)` declarations out of `text`, starting at each `marker`.
fn declarations(text: &str, marker: &str) -> BTreeMap<String, Vec<String>> {
    let mut found = BTreeMap::new();
    let mut rest = text;
    while let Some(start) = rest.find(marker) {
        rest = &rest[start + marker.len()..];
        let Some(open) = rest.find('(') else { break };
        // Some header prototypes put SQL_API between the return type and the name, some do not.
        let name = rest[..open].trim().trim_start_matches("SQL_API").trim().to_string();
        if name.is_empty() || !name.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'_') {
            continue;
        }
        let close = rest[open..].find(')').map(|close| open + close).unwrap_or(rest.len());
        let parameters = rest[open + 1..close]
            .split(',')
            .map(str::trim)
            .filter(|parameter| !parameter.is_empty() && *parameter != "void")
            .map(str::to_string)
            .collect();
        found.insert(name, parameters);
        rest = &rest[close..];
    }
    found
}

#[test]
fn exports_match_the_unixodbc_headers() {
    let headers: String = ["sql.h", "sqlext.h", "sqlucode.h"]
        .iter()
        .map(|header| std::fs::read_to_string(Path::new("/usr/include").join(header)).expect("unixodbc-dev headers"))
        .collect();
    let declared = declarations(&headers, "SQLRETURN ");
    let sources = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ffi");
    let mut checked = 0;
    for file in std::fs::read_dir(sources).unwrap() {
        let path = file.unwrap().path();
        // Folders hold the C API (`c_api/`), whose functions the generated header declares.
        if path.is_dir() {
            continue;
        }
        let source = std::fs::read_to_string(path).unwrap();
        // The C API's own `bh_*` functions are declared by include/bytehouse.h, generated from them.
        let odbc_exports = declarations(&source, "pub unsafe extern \"C\" fn ")
            .into_iter()
            .filter(|(name, _)| name.starts_with("SQL"));
        for (name, parameters) in odbc_exports {
            let Some(c_parameters) = declared.get(&name) else {
                panic!("{name} is exported but unixODBC does not declare it");
            };
            let ours: Vec<Kind> = parameters.iter().map(|parameter| rust_kind(parameter)).collect();
            let theirs: Vec<Kind> = c_parameters.iter().map(|parameter| c_kind(parameter)).collect();
            assert_eq!(ours, theirs, "{name}: {parameters:?} against {c_parameters:?}");
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} exports checked");
}
