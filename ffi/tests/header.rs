//! The committed include/mde.h is what the pinned cbindgen generates from ffi/src.
//! Regenerate with: UPDATE_HEADER=1 cargo test -p mde-ffi --test header

#[test]
fn committed_header_is_current() {
    let crate_dir = env!("CARGO_MANIFEST_DIR");
    let config = cbindgen::Config::from_file(format!("{crate_dir}/cbindgen.toml")).unwrap();
    let bindings = cbindgen::Builder::new()
        .with_src(format!("{crate_dir}/src/lib.rs"))
        .with_config(config)
        .generate()
        .expect("cbindgen generates the header");
    let mut generated = Vec::new();
    bindings.write(&mut generated);
    let generated = String::from_utf8(generated).unwrap();
    let path = format!("{crate_dir}/../include/mde.h");
    if std::env::var_os("UPDATE_HEADER").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "include/mde.h is stale: run UPDATE_HEADER=1 cargo test -p mde-ffi --test header"
    );
    for name in [
        "#define MDE_ABI_VERSION 1",
        "typedef int32_t mde_status;",
        "typedef struct mde_client mde_client;",
        "typedef struct mde_error mde_error;",
        "#define MDE_STATUS_PANIC 14",
        "mde_status mde_cancel_action(const mde_client *client,",
    ] {
        assert!(generated.contains(name), "{name} missing from the header");
    }
}
