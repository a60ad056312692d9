//! `mde_client` and the calls made with it.

use std::ffi::c_char;

use mde_core::{ActionId, Client, Config};

use crate::boundary::{boundary, core_error, non_null, utf8, Failed};
use crate::error::{c_string, mde_error};
use crate::runtime::block_on;
use crate::status::mde_status;

/// A client of the machine-action API. Safe to share between threads: any number
/// of threads may call on one client at once. Free it with mde_client_free once no
/// call is in flight on it.
pub struct mde_client {
    client: Client,
}

/// Creates a client from `config_json`, mde-core's JSON configuration object (same
/// keys, same validation: an unknown key is MDE_STATUS_INVALID_ARGUMENT naming it),
/// or from the MDE_* environment variables when `config_json` is NULL.
///
/// # Safety
/// Pointers are NULL or valid; `config_json` is NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn mde_client_new(
    config_json: *const c_char,
    out_client: *mut *mut mde_client,
    out_error: *mut *mut mde_error,
) -> mde_status {
    boundary(out_error, || {
        non_null(out_client, "out_client")?;
        // SAFETY: checked non-NULL above.
        unsafe { *out_client = std::ptr::null_mut() };
        let config = if config_json.is_null() {
            Config::from_env()
        } else {
            // SAFETY: the caller's contract.
            Config::from_json(unsafe { utf8(config_json, "config_json")? })
        }
        .map_err(|e| core_error(&e))?;
        let client = Client::new(config).map_err(|e| core_error(&e))?;
        // SAFETY: checked non-NULL above; ownership passes to the caller.
        unsafe { *out_client = Box::into_raw(Box::new(mde_client { client })) };
        Ok(())
    })
}

/// Frees a client. Accepts NULL. No call may be in flight on it.
///
/// # Safety
/// `client` is NULL or a pointer from mde_client_new not freed yet.
#[no_mangle]
pub unsafe extern "C" fn mde_client_free(client: *mut mde_client) {
    if !client.is_null() {
        // Dropping tears down connections, which cannot panic across the boundary
        // in practice; the boundary is kept for the rule's sake.
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            // SAFETY: the pointer came from Box::into_raw and is freed once.
            drop(unsafe { Box::from_raw(client) });
        }));
    }
}

/// Cancels a machine action that is not final yet, recording `comment` on it. On
/// success `*out_action_json` is the action as the service returned it (unknown
/// fields included), to free with mde_string_free.
///
/// Fails with MDE_STATUS_INVALID_ARGUMENT for an id that is not a GUID or a blank
/// or overlong comment (nothing is sent), MDE_STATUS_NOT_FOUND,
/// MDE_STATUS_NOT_CANCELLABLE (see mde_error_action_status), and the other statuses.
///
/// # Safety
/// Pointers are NULL or valid; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn mde_cancel_action(
    client: *const mde_client,
    action_id: *const c_char,
    comment: *const c_char,
    out_action_json: *mut *mut c_char,
    out_error: *mut *mut mde_error,
) -> mde_status {
    returning_json(out_action_json, "out_action_json", out_error, || {
        // SAFETY: the caller's contract.
        let (client, id) = unsafe { client_and_id(client, action_id)? };
        // SAFETY: the caller's contract.
        let comment = unsafe { utf8(comment, "comment")? };
        block_on(client.cancel_action_json(&id, comment))?.map_err(|e| core_error(&e))
    })
}

/// Reads one machine action. On success `*out_action_json` is the action as the
/// service returned it, to free with mde_string_free.
///
/// # Safety
/// Pointers are NULL or valid; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn mde_get_action(
    client: *const mde_client,
    action_id: *const c_char,
    out_action_json: *mut *mut c_char,
    out_error: *mut *mut mde_error,
) -> mde_status {
    returning_json(out_action_json, "out_action_json", out_error, || {
        // SAFETY: the caller's contract.
        let (client, id) = unsafe { client_and_id(client, action_id)? };
        block_on(client.get_action_json(&id))?.map_err(|e| core_error(&e))
    })
}

impl mde_client {
    /// The core client.
    pub(crate) fn client(&self) -> &Client {
        &self.client
    }
}

/// The client behind a handle, and a parsed action id.
///
/// # Safety
/// `client` is NULL or live; `action_id` is NULL or NUL-terminated.
pub(crate) unsafe fn client_and_id<'a>(
    client: *const mde_client,
    action_id: *const c_char,
) -> Result<(&'a Client, ActionId), Failed> {
    non_null(client, "client")?;
    // SAFETY: the caller's contract.
    let id = unsafe { utf8(action_id, "action_id")? };
    let id = ActionId::parse(id).map_err(|e| core_error(&e))?;
    // SAFETY: non-NULL and live, by the caller's contract.
    Ok((unsafe { &(*client).client }, id))
}

/// The shape of every call that returns JSON: the out-parameter is checked and
/// cleared first, and set only on success.
pub(crate) fn returning_json(
    out_json: *mut *mut c_char,
    name: &str,
    out_error: *mut *mut mde_error,
    body: impl FnOnce() -> Result<String, Failed>,
) -> mde_status {
    boundary(out_error, || {
        non_null(out_json, name)?;
        // SAFETY: checked non-NULL above.
        unsafe { *out_json = std::ptr::null_mut() };
        let json = body()?;
        // SAFETY: as above; ownership passes to the caller (mde_string_free).
        unsafe { *out_json = c_string(json).into_raw() };
        Ok(())
    })
}
