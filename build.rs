//! Generates `include/bytehouse.h`, the C header of what the library exports beyond standard ODBC.
//! The standard entry points (every `SQL*` function in `src/ffi/`) are left out: `sql.h` and
//! `sqlext.h` declare them.

use std::path::Path;

/// Names of the standard ODBC functions exported from `src/ffi/`.
fn standard_entry_points(ffi_dir: &Path) -> Vec<String> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(ffi_dir).into_iter().flatten().flatten() {
        let source = std::fs::read_to_string(entry.path()).unwrap_or_default();
        for line in source.lines() {
            if let Some(rest) = line.trim().strip_prefix("pub unsafe extern \"C\" fn ") {
                let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if name.starts_with("SQL") {
                    names.push(name);
                }
            }
        }
    }
    names
}

fn main() {
    // unixODBC loads libodbc, which exports the same SQL* names, before the driver. Without this,
    // a call from one of our entry points to another (SQLFreeStmt -> SQLFreeHandle) would bind to
    // the driver manager's function instead of ours.
    println!("cargo:rustc-cdylib-link-arg=-Wl,-Bsymbolic-functions");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    let crate_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let mut config = cbindgen::Config::from_file(format!("{crate_dir}/cbindgen.toml")).expect("cbindgen.toml is valid");
    config
        .export
        .exclude
        .extend(standard_entry_points(&Path::new(&crate_dir).join("src/ffi")));
    match cbindgen::Builder::new()
        .with_crate(&crate_dir)
        .with_config(config)
        .generate()
    {
        // Written only when the text changes, so builds stay incremental.
        Ok(bindings) => {
            bindings.write_to_file(format!("{crate_dir}/include/bytehouse.h"));
        }
        Err(error) => println!("cargo:warning=include/bytehouse.h not regenerated: {error}"),
    }
}
