//! One mapping from the core's error to the Python exception classes of
//! `mde._errors` (defined in Python so that `InvalidArgumentError` can also be a
//! `ValueError` and `RequestTimeoutError` a `TimeoutError`).

use mde_core::{Error, ErrorKind};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyModule;

/// The exception class for each kind: one subclass per kind.
fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::InvalidArgument => "InvalidArgumentError",
        ErrorKind::NotFound => "NotFoundError",
        ErrorKind::NotCancellable => "NotCancellableError",
        ErrorKind::Unauthorized => "AuthenticationError",
        ErrorKind::Forbidden => "PermissionDeniedError",
        ErrorKind::RateLimited => "RateLimitError",
        ErrorKind::Timeout => "RequestTimeoutError",
        ErrorKind::Network => "NetworkError",
        ErrorKind::ServerError => "ServerError",
        ErrorKind::BadResponse => "BadResponseError",
        ErrorKind::Api => "ApiError",
        _ => "MdeError",
    }
}

fn errors_module(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    static MODULE: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
    MODULE
        .get_or_try_init(py, || Ok(py.import("mde._errors")?.unbind()))
        .map(|m| m.bind(py))
}

/// The Python exception for a core error, with its attributes set.
pub fn to_py_err(py: Python<'_>, e: &Error) -> PyErr {
    build(py, e).unwrap_or_else(|failed| failed)
}

fn build(py: Python<'_>, e: &Error) -> PyResult<PyErr> {
    let class = errors_module(py)?.getattr(class_name(e.kind()))?;
    let text = e.to_string();
    let exc = class.call1((text.clone(),))?;
    exc.setattr("status", e.kind().name())?;
    exc.setattr("http_status", e.http_status())?;
    exc.setattr("code", e.code())?;
    exc.setattr("message", e.service_message().unwrap_or(&text))?;
    exc.setattr("target", e.target())?;
    exc.setattr("attempts", e.attempts())?;
    if e.kind() == ErrorKind::RateLimited {
        exc.setattr("retry_after", e.retry_after().map(|d| d.as_secs_f64()))?;
    }
    if let Some(status) = e.action_status() {
        exc.setattr("action_status", status.as_str())?;
    }
    Ok(PyErr::from_value(exc))
}

/// An `InvalidArgumentError` for a bad keyword value, before anything is built.
pub fn invalid(py: Python<'_>, message: String) -> PyErr {
    to_py_err(py, &Error::invalid_argument(message))
}
