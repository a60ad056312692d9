//! libmde: the blocking C ABI of mde-cancel.
//!
//! Every exported name is written here exactly as C sees it. Fallible calls return an
//! `mde_status`; inputs come first, outputs last. Errors are owned `mde_error` objects;
//! results are JSON strings owned by the library. The header `include/mde.h` is
//! generated from this crate by the pinned cbindgen and committed.

#![allow(non_camel_case_types)]
#![warn(missing_docs)]

mod boundary;
mod bulk;
mod client;
mod error;
mod runtime;
mod status;

use std::ffi::c_char;

pub use bulk::{mde_cancel_actions, mde_list_actions};
pub use client::{mde_cancel_action, mde_client, mde_client_free, mde_client_new, mde_get_action};
pub use error::{
    mde_error, mde_error_action_status, mde_error_code, mde_error_free, mde_error_http_status,
    mde_error_message, mde_error_retry_after_ms, mde_error_status,
};
pub use status::*;

/// The version of this ABI. It changes only if an existing function changes; new
/// functions do not change it.
pub const MDE_ABI_VERSION: u32 = 1;

/// The ABI version of the loaded library (== MDE_ABI_VERSION of its header).
#[no_mangle]
pub extern "C" fn mde_abi_version() -> u32 {
    MDE_ABI_VERSION
}

/// The library's version (the crate version), static and NUL-terminated.
#[no_mangle]
pub extern "C" fn mde_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

/// Frees a string returned by this library. Accepts NULL.
///
/// # Safety
/// `s` is NULL or a string from this library not freed yet.
#[no_mangle]
pub unsafe extern "C" fn mde_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: the pointer came from CString::into_raw and is freed once.
        drop(unsafe { std::ffi::CString::from_raw(s) });
    }
}
