//! Where the module's futures run, and how a blocking call stays interruptible.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use tokio::runtime::Runtime;

/// How often a blocking call looks for a pending signal (Ctrl-C).
const SIGNAL_CHECK: Duration = Duration::from_millis(50);

/// The runtime blocking calls run on: current-thread, so the calling thread drives
/// its own request (no hop to a worker and back), one per process. After fork() the
/// child gets a runtime of its own; the parent's threads and sockets are not reused.
fn blocking_runtime() -> PyResult<Arc<Runtime>> {
    static RUNTIME: Mutex<Option<(u32, Arc<Runtime>)>> = Mutex::new(None);
    let pid = std::process::id();
    let mut slot = RUNTIME.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((owner, rt)) = slot.as_ref() {
        if *owner == pid {
            return Ok(rt.clone());
        }
    }
    let rt = Arc::new(
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| PyRuntimeError::new_err(format!("cannot start mde's runtime: {e}")))?,
    );
    *slot = Some((pid, rt.clone()));
    Ok(rt)
}

/// Fails in a process other than the one that created a client: its connections
/// belong to the parent.
pub fn check_pid(created_in: u32) -> PyResult<()> {
    if created_in != std::process::id() {
        return Err(PyRuntimeError::new_err(
            "this mde client was created in another process (before fork()); \
             create a new client in this process",
        ));
    }
    Ok(())
}

/// Runs `future` with the GIL released, waking every 50 ms to let Python handle
/// signals: Ctrl-C raises KeyboardInterrupt and drops (cancels) the request.
pub fn block_on<T: Send>(py: Python<'_>, future: impl Future<Output = T> + Send) -> PyResult<T> {
    let runtime = blocking_runtime()?;
    let mut future = Box::pin(future);
    loop {
        let done = py.detach(|| {
            runtime.block_on(async { tokio::time::timeout(SIGNAL_CHECK, &mut future).await.ok() })
        });
        match done {
            Some(out) => return Ok(out),
            None => py.check_signals()?,
        }
    }
}
