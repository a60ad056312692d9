//! The one process-wide tokio runtime every blocking call runs on, started lazily.
//!
//! It is a current-thread runtime: the thread that calls drives the request itself,
//! so an answer wakes no other thread. A multi-thread runtime moved each request
//! between the caller and two workers (about ten futex and epoll calls a request)
//! and measured 2.3 times libcurl's latency on loopback (bench/c/run.sh). Concurrent
//! callers still work: whichever thread is inside `block_on` drives every
//! connection, the others wait for their answer.

use std::future::Future;
use std::sync::OnceLock;

use tokio::runtime::{Handle, Runtime};

use crate::boundary::Failed;
use crate::error::mde_error;
use crate::status::MDE_STATUS_INVALID_ARGUMENT;

struct Shared {
    runtime: Result<Runtime, String>,
    /// The process that started it: its worker threads do not survive fork().
    pid: u32,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| Shared {
        runtime: tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string()),
        pid: std::process::id(),
    })
}

fn refused(why: &str) -> Failed {
    Box::new(mde_error::new(MDE_STATUS_INVALID_ARGUMENT, why))
}

/// Runs `future` to completion on the shared runtime, blocking the calling thread.
/// Refuses (rather than deadlock or panic) inside a tokio runtime and after fork().
pub(crate) fn block_on<F: Future>(future: F) -> Result<F::Output, Failed> {
    if Handle::try_current().is_ok() {
        return Err(refused(
            "libmde's blocking functions cannot be called from inside a tokio runtime; \
             call them from a plain thread, or use mde-core's async API",
        ));
    }
    let shared = shared();
    if shared.pid != std::process::id() {
        return Err(refused(
            "libmde's runtime was started before fork(): a child process cannot use it; \
             create clients and call libmde in the parent, or before any call in the parent",
        ));
    }
    match &shared.runtime {
        Ok(runtime) => Ok(runtime.block_on(future)),
        Err(e) => Err(refused(&format!("cannot start libmde's runtime: {e}"))),
    }
}
