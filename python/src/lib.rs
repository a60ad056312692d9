//! The native part of the Python package `mde`: `mde._mde`. The public names are
//! re-exported by `mde/__init__.py`; the exception classes live in `mde/_errors.py`.

mod action;
mod bulk;
mod client;
mod config;
mod errors;
mod runtime;

use std::sync::OnceLock;

use pyo3::prelude::*;

static LOG_RESET: OnceLock<pyo3_log::ResetHandle> = OnceLock::new();

/// Makes mde's log records follow logging configuration changed after import
/// (levels are cached for speed).
#[pyfunction]
fn reset_log_cache() {
    if let Some(handle) = LOG_RESET.get() {
        handle.reset();
    }
}

#[pymodule]
fn _mde(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // mde-core's tracing events become log records, forwarded to Python's logging
    // (logger "mde"). Another extension may have installed a Rust logger first.
    if let Ok(handle) =
        pyo3_log::Logger::new(m.py(), pyo3_log::Caching::LoggersAndLevels)?.install()
    {
        let _ = LOG_RESET.set(handle);
    }
    m.add_class::<client::PyClient>()?;
    m.add_class::<client::PyAsyncClient>()?;
    m.add_class::<action::PyMachineAction>()?;
    m.add_class::<bulk::PyCancelOutcome>()?;
    m.add_class::<bulk::PyBulkProgress>()?;
    m.add_function(wrap_pyfunction!(reset_log_cache, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
