//! Gives the shared library a stable soname, so a host that preloads it by full path
//! (the PowerShell module does) satisfies a later `dlopen("libmde.so")`.

fn main() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libmde.so");
    } else if os == "macos" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-install_name,@rpath/libmde.dylib");
    }
}
