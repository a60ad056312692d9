//! Status codes: stable forever, never renumbered or reused.

use std::ffi::c_char;

use mde_core::ErrorKind;

/// The result of every fallible call: one of the MDE_STATUS_ codes.
#[allow(non_camel_case_types)]
pub type mde_status = i32;

/// Success.
pub const MDE_STATUS_OK: mde_status = 0;
/// A required pointer argument was NULL.
pub const MDE_STATUS_NULL_ARGUMENT: mde_status = 1;
/// A string argument was not valid UTF-8.
pub const MDE_STATUS_INVALID_UTF8: mde_status = 2;
/// An argument or the configuration was invalid; nothing was sent.
pub const MDE_STATUS_INVALID_ARGUMENT: mde_status = 3;
/// No machine action has that id (HTTP 404).
pub const MDE_STATUS_NOT_FOUND: mde_status = 4;
/// The action is already final; see mde_error_action_status.
pub const MDE_STATUS_NOT_CANCELLABLE: mde_status = 5;
/// The token is missing, invalid or expired (HTTP 401), or sign-in failed.
pub const MDE_STATUS_UNAUTHORIZED: mde_status = 6;
/// The token lacks the permission the call needs (HTTP 403).
pub const MDE_STATUS_FORBIDDEN: mde_status = 7;
/// Throttled by the service (HTTP 429) or by the client-side budget; see
/// mde_error_retry_after_ms.
pub const MDE_STATUS_RATE_LIMITED: mde_status = 8;
/// No answer within timeout_ms.
pub const MDE_STATUS_TIMEOUT: mde_status = 9;
/// The connection failed or dropped.
pub const MDE_STATUS_NETWORK: mde_status = 10;
/// The service failed (HTTP 5xx).
pub const MDE_STATUS_SERVER_ERROR: mde_status = 11;
/// The service's answer could not be read.
pub const MDE_STATUS_BAD_RESPONSE: mde_status = 12;
/// Any other HTTP error; see mde_error_http_status and mde_error_code.
pub const MDE_STATUS_API_ERROR: mde_status = 13;
/// The library panicked; the host process goes on. Please report it.
pub const MDE_STATUS_PANIC: mde_status = 14;

/// The status of a core error kind: the numbers are the same by design.
pub(crate) fn status_of(kind: ErrorKind) -> mde_status {
    kind.code()
}

/// A static, NUL-terminated description of a status code; never NULL (unknown codes
/// get "unknown status").
#[no_mangle]
pub extern "C" fn mde_status_str(status: mde_status) -> *const c_char {
    let text: &'static [u8] = match status {
        MDE_STATUS_OK => b"ok\0",
        MDE_STATUS_NULL_ARGUMENT => b"a required pointer argument was NULL\0",
        MDE_STATUS_INVALID_UTF8 => b"a string argument was not valid UTF-8\0",
        MDE_STATUS_INVALID_ARGUMENT => b"invalid argument\0",
        MDE_STATUS_NOT_FOUND => b"machine action not found\0",
        MDE_STATUS_NOT_CANCELLABLE => b"machine action is already final\0",
        MDE_STATUS_UNAUTHORIZED => b"unauthorized\0",
        MDE_STATUS_FORBIDDEN => b"forbidden\0",
        MDE_STATUS_RATE_LIMITED => b"rate limited\0",
        MDE_STATUS_TIMEOUT => b"timed out\0",
        MDE_STATUS_NETWORK => b"network error\0",
        MDE_STATUS_SERVER_ERROR => b"server error\0",
        MDE_STATUS_BAD_RESPONSE => b"unreadable response\0",
        MDE_STATUS_API_ERROR => b"API error\0",
        MDE_STATUS_PANIC => b"internal panic\0",
        _ => b"unknown status\0",
    };
    text.as_ptr().cast()
}
