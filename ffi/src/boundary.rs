//! What every exported function goes through: the panic boundary, and the checks of
//! pointer and string arguments.

use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::error::mde_error;
use crate::status::*;

/// A failed call: its status and the error to hand out.
pub(crate) type Failed = Box<mde_error>;

/// Runs `body` inside a panic boundary, then applies the out-parameter rules:
/// `*out_error` is NULL on success and a new error on failure (when `out_error` is
/// not NULL). `body` must have set its own `*out_...` results to NULL first.
pub(crate) fn boundary(
    out_error: *mut *mut mde_error,
    body: impl FnOnce() -> Result<(), Failed>,
) -> mde_status {
    if !out_error.is_null() {
        // SAFETY: a non-NULL out_error points to writable storage for a pointer.
        unsafe { *out_error = std::ptr::null_mut() };
    }
    let failed = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return MDE_STATUS_OK,
        Ok(Err(failed)) => failed,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Box::new(mde_error::new(
                MDE_STATUS_PANIC,
                &format!("internal panic in libmde: {what}; please report it"),
            ))
        }
    };
    let status = failed.status();
    if !out_error.is_null() {
        // SAFETY: as above; ownership passes to the caller.
        unsafe { *out_error = Box::into_raw(failed) };
    }
    status
}

/// Fails with NULL_ARGUMENT naming `name` when `ptr` is NULL.
pub(crate) fn non_null<T>(ptr: *const T, name: &str) -> Result<(), Failed> {
    if ptr.is_null() {
        Err(Box::new(mde_error::new(
            MDE_STATUS_NULL_ARGUMENT,
            &format!("{name} is NULL"),
        )))
    } else {
        Ok(())
    }
}

/// Reads a NUL-terminated UTF-8 argument, naming it in errors.
///
/// # Safety
/// `ptr` is NULL or points to a NUL-terminated string that outlives the call.
pub(crate) unsafe fn utf8<'a>(ptr: *const c_char, name: &str) -> Result<&'a str, Failed> {
    non_null(ptr, name)?;
    // SAFETY: non-NULL and NUL-terminated, by the caller's contract.
    let bytes = unsafe { CStr::from_ptr(ptr) };
    bytes.to_str().map_err(|e| {
        Box::new(mde_error::new(
            MDE_STATUS_INVALID_UTF8,
            &format!(
                "{name} is not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ),
        ))
    })
}

/// The error for a core error.
pub(crate) fn core_error(e: &mde_core::Error) -> Failed {
    Box::new(mde_error::from_core(e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{mde_error_free, mde_error_message, mde_error_status};

    #[test]
    fn a_panic_becomes_a_panic_status_with_its_message() {
        let mut error: *mut mde_error = std::ptr::null_mut();
        let status = boundary(&mut error, || panic!("boom {}", 42));
        assert_eq!(status, MDE_STATUS_PANIC);
        unsafe {
            assert_eq!(mde_error_status(error), MDE_STATUS_PANIC);
            let text = CStr::from_ptr(mde_error_message(error)).to_str().unwrap();
            assert!(text.contains("boom 42"), "{text}");
            mde_error_free(error);
        }
        // Without out_error the status still comes back.
        assert_eq!(
            boundary(std::ptr::null_mut(), || panic!("quiet")),
            MDE_STATUS_PANIC
        );
    }

    #[test]
    fn success_clears_out_error() {
        let mut error: *mut mde_error = std::ptr::dangling_mut::<mde_error>();
        assert_eq!(boundary(&mut error, || Ok(())), MDE_STATUS_OK);
        assert!(error.is_null());
    }
}
