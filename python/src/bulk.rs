//! Bulk calls from Python: filters from keywords, outcomes and progress as objects.

use mde_core::{BulkOutcome, CancelResult, ListFilter, Progress};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::{Map, Value};

use crate::action::PyMachineAction;
use crate::errors::{invalid, to_py_err};

// The clients' `concurrency=8` default is mde-core's (written as a literal so the
// signature Python shows says 8).
const _: () = assert!(mde_core::DEFAULT_CONCURRENCY == 8);

/// Keywords `list_actions` takes, with the filter keys they set.
const FILTER_KEYS: &[&str] = &[
    "status",
    "type",
    "machine_id",
    "requestor",
    "created_after",
    "created_before",
    "top",
];

/// A list filter from keywords: `status` and `type` a str or a list of str,
/// `created_after`/`created_before` a datetime (naive means UTC) or ISO text.
pub fn filter_from_kwargs(
    py: Python<'_>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<ListFilter> {
    let mut map = Map::new();
    for (key, value) in kwargs.into_iter().flatten() {
        let key: String = key.extract()?;
        if !FILTER_KEYS.contains(&key.as_str()) {
            return Err(PyTypeError::new_err(format!(
                "got an unexpected keyword argument '{key}'"
            )));
        }
        if value.is_none() {
            continue;
        }
        let json = match key.as_str() {
            "status" | "type" => match value.extract::<String>() {
                Ok(one) => Value::from(one),
                Err(_) => Value::from(value.extract::<Vec<String>>()?),
            },
            "top" => Value::from(value.extract::<usize>()?),
            "created_after" | "created_before" if value.hasattr("isoformat")? => {
                Value::from(value.call_method0("isoformat")?.extract::<String>()?)
            }
            _ => Value::from(value.extract::<String>()?),
        };
        map.insert(key, json);
    }
    serde_json::from_value(Value::Object(map))
        .map_err(|e| invalid(py, format!("invalid list filter: {e}")))
}

/// Where a bulk cancel stands, passed to the `progress` callable.
#[pyclass(name = "BulkProgress", module = "mde", frozen, get_all)]
pub struct PyBulkProgress {
    /// Ids with an outcome.
    done: usize,
    /// Ids in all (duplicates once).
    total: usize,
    /// Outcomes "cancelled".
    cancelled: usize,
    /// Outcomes per second so far.
    rate: f64,
    /// Seconds the rate limits need for the rest.
    eta: f64,
}

impl From<&Progress> for PyBulkProgress {
    fn from(p: &Progress) -> Self {
        PyBulkProgress {
            done: p.done,
            total: p.total,
            cancelled: p.cancelled,
            rate: p.rate,
            eta: p.eta.as_secs_f64(),
        }
    }
}

#[pymethods]
impl PyBulkProgress {
    /// Other outcomes (done - cancelled).
    #[getter]
    fn other(&self) -> usize {
        self.done - self.cancelled
    }

    fn __repr__(&self) -> String {
        format!(
            "BulkProgress(done={}, total={}, cancelled={}, eta={:.1})",
            self.done, self.total, self.cancelled, self.eta
        )
    }
}

/// What happened to one id of a bulk cancel.
#[pyclass(name = "CancelOutcome", module = "mde", frozen, get_all)]
pub struct PyCancelOutcome {
    /// The id as given.
    id: String,
    /// "cancelled", "not_cancellable", "not_found", "invalid_id" or "error".
    outcome: &'static str,
    /// The action's status, when known.
    status: Option<String>,
    /// The action, for "cancelled" and "not_cancellable".
    action: Option<Py<PyMachineAction>>,
    /// The exception, for "invalid_id" and "error".
    error: Option<Py<PyAny>>,
}

#[pymethods]
impl PyCancelOutcome {
    fn __repr__(&self) -> String {
        format!(
            "CancelOutcome(id={:?}, outcome={:?}, status={:?})",
            self.id, self.outcome, self.status
        )
    }
}

/// The Python view of one outcome.
pub fn outcome(py: Python<'_>, o: BulkOutcome) -> PyResult<PyCancelOutcome> {
    let name = o.result.name();
    let (status, action, error) = match o.result {
        CancelResult::Cancelled(a) => (
            Some(a.status.to_string()),
            Some(Py::new(py, PyMachineAction::from(*a))?),
            None,
        ),
        CancelResult::NotCancellable { status, action } => (
            Some(status.to_string()),
            Some(Py::new(py, PyMachineAction::from(*action))?),
            None,
        ),
        CancelResult::NotFound => (None, None, None),
        CancelResult::InvalidId(message) => (
            None,
            None,
            Some(invalid(py, message).into_value(py).into_any()),
        ),
        CancelResult::Failed(e) => (
            None,
            None,
            Some(to_py_err(py, &e).into_value(py).into_any()),
        ),
    };
    Ok(PyCancelOutcome {
        id: o.id,
        outcome: name,
        status,
        action,
        error,
    })
}

/// Reports progress to the callable, if any; its exception stops the job.
pub fn report(py: Python<'_>, callback: Option<&Py<PyAny>>, o: &BulkOutcome) -> PyResult<()> {
    if let Some(callback) = callback {
        callback.call1(py, (PyBulkProgress::from(&o.progress),))?;
    }
    Ok(())
}
