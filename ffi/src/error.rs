//! `mde_error`: an owned error object with accessors, freed by the caller.

use std::ffi::{c_char, CString};

use crate::status::*;

/// An error returned through `out_error`. One owner; not shared between threads
/// while in use. Free it with mde_error_free.
pub struct mde_error {
    status: mde_status,
    http_status: i32,
    retry_after_ms: i64,
    code: CString,
    message: CString,
    action_status: CString,
}

/// Makes a C string, dropping interior NULs rather than failing. An owned `String`
/// is reused, not copied (an action's JSON on every call).
pub(crate) fn c_string(text: impl Into<Vec<u8>>) -> CString {
    CString::new(text).unwrap_or_else(|e| {
        let mut bytes = e.into_vec();
        bytes.retain(|&b| b != 0);
        CString::new(bytes).expect("NULs were removed")
    })
}

impl mde_error {
    /// An error of the C ABI's own (NULL argument, invalid UTF-8, panic, runtime).
    pub(crate) fn new(status: mde_status, message: &str) -> Self {
        mde_error {
            status,
            http_status: 0,
            retry_after_ms: -1,
            code: c_string(""),
            message: c_string(message),
            action_status: c_string(""),
        }
    }

    /// The C view of a core error.
    pub(crate) fn from_core(e: &mde_core::Error) -> Self {
        mde_error {
            status: status_of(e.kind()),
            http_status: e.http_status().map_or(0, i32::from),
            retry_after_ms: e
                .retry_after()
                .map_or(-1, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX)),
            code: c_string(e.code().unwrap_or("")),
            message: c_string(e.to_string()),
            action_status: c_string(e.action_status().map_or("", |s| s.as_str())),
        }
    }

    /// The status.
    pub(crate) fn status(&self) -> mde_status {
        self.status
    }
}

/// The status code of the error (never MDE_STATUS_OK); MDE_STATUS_NULL_ARGUMENT when
/// `error` is NULL.
///
/// # Safety
/// `error` is NULL or a live pointer from this library.
#[no_mangle]
pub unsafe extern "C" fn mde_error_status(error: *const mde_error) -> mde_status {
    // SAFETY: the caller passes NULL or a live error.
    unsafe { error.as_ref() }.map_or(MDE_STATUS_NULL_ARGUMENT, |e| e.status)
}

/// The HTTP status of the service's answer; 0 when no answer came (or `error` is
/// NULL).
///
/// # Safety
/// `error` is NULL or a live pointer from this library.
#[no_mangle]
pub unsafe extern "C" fn mde_error_http_status(error: *const mde_error) -> i32 {
    // SAFETY: the caller passes NULL or a live error.
    unsafe { error.as_ref() }.map_or(0, |e| e.http_status)
}

/// For MDE_STATUS_RATE_LIMITED, milliseconds until budget frees up; -1 otherwise.
///
/// # Safety
/// `error` is NULL or a live pointer from this library.
#[no_mangle]
pub unsafe extern "C" fn mde_error_retry_after_ms(error: *const mde_error) -> i64 {
    // SAFETY: the caller passes NULL or a live error.
    unsafe { error.as_ref() }.map_or(-1, |e| e.retry_after_ms)
}

/// The service's error code (for example "ActiveRequestAlreadyExists"), or "".
/// Lives until mde_error_free; "" when `error` is NULL.
///
/// # Safety
/// `error` is NULL or a live pointer from this library.
#[no_mangle]
pub unsafe extern "C" fn mde_error_code(error: *const mde_error) -> *const c_char {
    // SAFETY: the caller passes NULL or a live error.
    unsafe { error.as_ref() }.map_or(c"".as_ptr(), |e| e.code.as_ptr())
}

/// What happened and what to do next; never NULL. Lives until mde_error_free.
///
/// # Safety
/// `error` is NULL or a live pointer from this library.
#[no_mangle]
pub unsafe extern "C" fn mde_error_message(error: *const mde_error) -> *const c_char {
    // SAFETY: the caller passes NULL or a live error.
    unsafe { error.as_ref() }.map_or(c"error is NULL".as_ptr(), |e| e.message.as_ptr())
}

/// For MDE_STATUS_NOT_CANCELLABLE, the action's current status (for example
/// "Succeeded"); "" otherwise. Lives until mde_error_free.
///
/// # Safety
/// `error` is NULL or a live pointer from this library.
#[no_mangle]
pub unsafe extern "C" fn mde_error_action_status(error: *const mde_error) -> *const c_char {
    // SAFETY: the caller passes NULL or a live error.
    unsafe { error.as_ref() }.map_or(c"".as_ptr(), |e| e.action_status.as_ptr())
}

/// Frees an error. Accepts NULL.
///
/// # Safety
/// `error` is NULL or a pointer from this library not freed yet.
#[no_mangle]
pub unsafe extern "C" fn mde_error_free(error: *mut mde_error) {
    if !error.is_null() {
        // SAFETY: the pointer came from Box::into_raw and is freed once.
        drop(unsafe { Box::from_raw(error) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn c_strings_drop_interior_nuls_and_keep_the_rest() {
        assert_eq!(c_string("a\0b\0").as_bytes(), b"ab");
        assert_eq!(
            c_string(String::from("{\"id\":\"x\"}")).as_bytes(),
            b"{\"id\":\"x\"}"
        );
        assert_eq!(c_string("").as_bytes(), b"");
    }
}
