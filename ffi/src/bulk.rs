//! Bulk calls: list actions with a filter, cancel many actions.

use std::ffi::c_char;

use futures_util::StreamExt;
use mde_core::{ListFilter, DEFAULT_CONCURRENCY};

use crate::boundary::{core_error, non_null, utf8, Failed};
use crate::client::{mde_client, returning_json};
use crate::error::mde_error;
use crate::runtime::block_on;
use crate::status::{mde_status, MDE_STATUS_INVALID_ARGUMENT};

fn invalid(message: String) -> Failed {
    Box::new(mde_error::new(MDE_STATUS_INVALID_ARGUMENT, &message))
}

/// Cancels many actions with one comment, concurrently within the rate limits.
/// `ids_json` is a JSON array of id strings. On success `*out_results_json` is a
/// JSON array with one outcome per id (duplicates once, in completion order):
/// `{"id", "outcome": "cancelled" | "not_cancellable" | "not_found" | "invalid_id" |
/// "error", "status", "action", "error": {"status", "http_status", "code",
/// "message", ...}}`. Free it with mde_string_free. Per-id failures are outcomes;
/// the call itself fails only for bad arguments (MDE_STATUS_INVALID_ARGUMENT: not an
/// array of strings, a blank comment) or a panic. Bounded in time by the number of
/// ids and the client's configuration.
///
/// # Safety
/// Pointers are NULL or valid; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn mde_cancel_actions(
    client: *const mde_client,
    ids_json: *const c_char,
    comment: *const c_char,
    out_results_json: *mut *mut c_char,
    out_error: *mut *mut mde_error,
) -> mde_status {
    returning_json(out_results_json, "out_results_json", out_error, || {
        non_null(client, "client")?;
        // SAFETY: the caller's contract.
        let (ids, comment) = unsafe { (utf8(ids_json, "ids_json")?, utf8(comment, "comment")?) };
        let ids: Vec<String> = serde_json::from_str(ids)
            .map_err(|e| invalid(format!("ids_json must be a JSON array of strings: {e}")))?;
        // SAFETY: non-NULL and live, by the caller's contract.
        let client = unsafe { (*client).client() };
        let outcomes = client
            .cancel_actions(&ids, comment, DEFAULT_CONCURRENCY)
            .map_err(|e| core_error(&e))?;
        let outcomes: Vec<_> = block_on(outcomes.map(|o| o.to_json()).collect())?;
        Ok(serde_json::Value::Array(outcomes).to_string())
    })
}

/// Lists the actions matching `filter_json` (NULL: all): a JSON object with keys
/// `status` and `type` (a string or a list), `machine_id`, `requestor`,
/// `created_after`, `created_before` (ISO 8601) and `top`; unknown keys are
/// MDE_STATUS_INVALID_ARGUMENT. On success `*out_actions_json` is a JSON array of the
/// entities as the service sent them, across every page; free it with
/// mde_string_free.
///
/// # Safety
/// Pointers are NULL or valid; strings are NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn mde_list_actions(
    client: *const mde_client,
    filter_json: *const c_char,
    out_actions_json: *mut *mut c_char,
    out_error: *mut *mut mde_error,
) -> mde_status {
    returning_json(out_actions_json, "out_actions_json", out_error, || {
        non_null(client, "client")?;
        let filter = if filter_json.is_null() {
            ListFilter::default()
        } else {
            // SAFETY: the caller's contract.
            ListFilter::from_json(unsafe { utf8(filter_json, "filter_json")? })
                .map_err(|e| core_error(&e))?
        };
        // SAFETY: non-NULL and live, by the caller's contract.
        let client = unsafe { (*client).client() };
        let actions: Vec<_> = block_on(client.list_actions(&filter).collect())?;
        // The entities are joined as sent, not re-serialised.
        let mut out = String::from("[");
        for (i, action) in actions.into_iter().enumerate() {
            let action = action.map_err(|e| core_error(&e))?;
            if i > 0 {
                out.push(',');
            }
            out.push_str(action.raw_json());
        }
        out.push(']');
        Ok(out)
    })
}
