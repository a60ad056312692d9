//! `mde.MachineAction`: an immutable view of one action.

use std::hash::{DefaultHasher, Hash, Hasher};

use mde_core::{MachineAction, Timestamp};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyDict;

/// A machine action as the service returned it.
#[pyclass(name = "MachineAction", module = "mde", frozen, eq)]
#[derive(PartialEq)]
pub struct PyMachineAction {
    inner: MachineAction,
}

impl From<MachineAction> for PyMachineAction {
    fn from(inner: MachineAction) -> Self {
        PyMachineAction { inner }
    }
}

/// `datetime.datetime` and `datetime.timezone.utc`, looked up once (the datetime C
/// API is not part of the stable ABI).
fn datetime(py: Python<'_>, t: Option<Timestamp>) -> PyResult<Option<Bound<'_, PyAny>>> {
    static CLASS: PyOnceLock<(Py<PyAny>, Py<PyAny>)> = PyOnceLock::new();
    let Some(t) = t else { return Ok(None) };
    let (class, utc) = CLASS.get_or_try_init(py, || -> PyResult<_> {
        let m = py.import("datetime")?;
        Ok((
            m.getattr("datetime")?.unbind(),
            m.getattr("timezone")?.getattr("utc")?.unbind(),
        ))
    })?;
    let t = t.as_offset_date_time();
    let args = (
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.nanosecond() / 1000,
        utc.bind(py),
    );
    class.bind(py).call1(args).map(Some)
}

fn json_loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let loads = LOADS.get_or_try_init(py, || {
        Ok::<_, PyErr>(py.import("json")?.getattr("loads")?.unbind())
    })?;
    loads.bind(py).call1((text,))
}

#[pymethods]
impl PyMachineAction {
    /// The action's id (a GUID).
    #[getter]
    fn id(&self) -> &str {
        &self.inner.id
    }

    /// The action's type as the service spells it, e.g. "Isolate".
    #[getter(r#type)]
    fn action_type(&self) -> &str {
        self.inner.action_type.as_str()
    }

    /// The status as the service spells it, e.g. "Cancelled".
    #[getter]
    fn status(&self) -> &str {
        self.inner.status.as_str()
    }

    /// Whether the status is final (Succeeded, Failed, TimeOut, Cancelled).
    #[getter]
    fn is_final(&self) -> bool {
        self.inner.is_final()
    }

    #[getter]
    fn machine_id(&self) -> Option<&str> {
        self.inner.machine_id.as_deref()
    }

    #[getter]
    fn computer_dns_name(&self) -> Option<&str> {
        self.inner.computer_dns_name.as_deref()
    }

    #[getter]
    fn title(&self) -> Option<&str> {
        self.inner.title.as_deref()
    }

    #[getter]
    fn requestor(&self) -> Option<&str> {
        self.inner.requestor.as_deref()
    }

    #[getter]
    fn requestor_comment(&self) -> Option<&str> {
        self.inner.requestor_comment.as_deref()
    }

    #[getter]
    fn cancellation_requestor(&self) -> Option<&str> {
        self.inner.cancellation_requestor.as_deref()
    }

    #[getter]
    fn cancellation_comment(&self) -> Option<&str> {
        self.inner.cancellation_comment.as_deref()
    }

    #[getter]
    fn scope(&self) -> Option<&str> {
        self.inner.scope.as_deref()
    }

    #[getter]
    fn external_id(&self) -> Option<&str> {
        self.inner.external_id.as_deref()
    }

    #[getter]
    fn request_source(&self) -> Option<&str> {
        self.inner.request_source.as_deref()
    }

    #[getter]
    fn error_hresult(&self) -> Option<i64> {
        self.inner.error_hresult
    }

    /// When the action was created, timezone-aware UTC.
    #[getter]
    fn creation_date_time_utc<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        datetime(py, self.inner.creation_date_time_utc)
    }

    /// When the action last changed, timezone-aware UTC.
    #[getter]
    fn last_update_date_time_utc<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        datetime(py, self.inner.last_update_date_time_utc)
    }

    /// When the action was cancelled, timezone-aware UTC.
    #[getter]
    fn cancellation_date_time_utc<'py>(
        &self,
        py: Python<'py>,
    ) -> PyResult<Option<Bound<'py, PyAny>>> {
        datetime(py, self.inner.cancellation_date_time_utc)
    }

    /// The action's commands, as the service sent them (a list of dicts).
    #[getter]
    fn commands<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let all = self.to_dict(py)?;
        match all.get_item("commands")? {
            Some(c) if !c.is_none() => Ok(c),
            _ => Ok(pyo3::types::PyList::empty(py).into_any()),
        }
    }

    /// The related file (`fileIdentifier`, `fileIdentifierType`), as sent, or None.
    #[getter]
    fn related_file_info<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        Ok(self
            .to_dict(py)?
            .get_item("relatedFileInfo")?
            .filter(|v| !v.is_none()))
    }

    /// `troubleshootInfo`, as sent, or None.
    #[getter]
    fn troubleshoot_info<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        Ok(self
            .to_dict(py)?
            .get_item("troubleshootInfo")?
            .filter(|v| !v.is_none()))
    }

    /// The entity exactly as the service sent it: camelCase keys, unknown fields
    /// included. A new dict each call.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        Ok(json_loads(py, self.inner.raw_json())?.cast_into::<PyDict>()?)
    }

    fn __repr__(&self) -> String {
        format!(
            "MachineAction(id={:?}, type={:?}, status={:?}, machine_id={:?})",
            self.inner.id,
            self.inner.action_type.as_str(),
            self.inner.status.as_str(),
            self.inner.machine_id.as_deref().unwrap_or("")
        )
    }

    fn __hash__(&self) -> u64 {
        let mut h = DefaultHasher::new();
        self.inner.raw_json().hash(&mut h);
        h.finish()
    }
}
