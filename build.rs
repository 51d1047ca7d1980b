//! Generates `include/bytehouse.h`, the C header of what the library exports beyond standard ODBC.

fn main() {
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    let crate_dir = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let config = cbindgen::Config::from_file(format!("{crate_dir}/cbindgen.toml")).expect("cbindgen.toml is valid");
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
