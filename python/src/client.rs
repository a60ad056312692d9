//! `mde.Client` (blocking, GIL released) and `mde.AsyncClient` (asyncio).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use futures_util::StreamExt;
use mde_core::{ActionId, Client, Config};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::action::PyMachineAction;
use crate::bulk::{self, filter_from_kwargs, PyCancelOutcome};
use crate::config::from_kwargs;
use crate::errors::to_py_err;
use crate::runtime::{block_on, check_pid};

fn build(py: Python<'_>, config: Config) -> PyResult<Client> {
    Client::new(config).map_err(|e| to_py_err(py, &e))
}

fn parse_id(py: Python<'_>, id: &str) -> PyResult<ActionId> {
    ActionId::parse(id).map_err(|e| to_py_err(py, &e))
}

fn from_env(py: Python<'_>) -> PyResult<Config> {
    Config::from_env().map_err(|e| to_py_err(py, &e))
}

/// A blocking client. Safe to share between threads; calls release the GIL and
/// can be interrupted with Ctrl-C.
#[pyclass(name = "Client", module = "mde", frozen)]
pub struct PyClient {
    client: Client,
    pid: u32,
}

#[pymethods]
impl PyClient {
    #[new]
    #[pyo3(signature = (**kwargs))]
    fn new(py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        Self::with_config(py, from_kwargs(py, kwargs)?)
    }

    /// A client configured from the MDE_* environment variables.
    #[staticmethod]
    fn from_env(py: Python<'_>) -> PyResult<Self> {
        Self::with_config(py, from_env(py)?)
    }

    /// Cancels a machine action that is not final yet; returns it as updated.
    fn cancel_action(
        &self,
        py: Python<'_>,
        action_id: &str,
        comment: &str,
    ) -> PyResult<PyMachineAction> {
        check_pid(self.pid)?;
        let id = parse_id(py, action_id)?;
        let (client, comment) = (self.client.clone(), comment.to_owned());
        let result = block_on(py, async move { client.cancel_action(&id, &comment).await })?;
        result.map(Into::into).map_err(|e| to_py_err(py, &e))
    }

    /// Reads one machine action.
    fn get_action(&self, py: Python<'_>, action_id: &str) -> PyResult<PyMachineAction> {
        check_pid(self.pid)?;
        let id = parse_id(py, action_id)?;
        let client = self.client.clone();
        let result = block_on(py, async move { client.get_action(&id).await })?;
        result.map(Into::into).map_err(|e| to_py_err(py, &e))
    }

    /// Lists actions matching the filters (status, type, machine_id, requestor,
    /// created_after, created_before, top), across every page.
    #[pyo3(signature = (**filters))]
    fn list_actions(
        &self,
        py: Python<'_>,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Vec<PyMachineAction>> {
        check_pid(self.pid)?;
        let filter = filter_from_kwargs(py, filters)?;
        let client = self.client.clone();
        let listed = block_on(py, async move {
            client.list_actions(&filter).collect::<Vec<_>>().await
        })?;
        listed
            .into_iter()
            .map(|a| a.map(Into::into).map_err(|e| to_py_err(py, &e)))
            .collect()
    }

    /// Cancels many actions, concurrently within the rate limits; one outcome per
    /// id (duplicates once), in completion order. `progress` is called with a
    /// BulkProgress after each outcome.
    #[pyo3(signature = (ids, comment, progress=None, concurrency=8))]
    fn cancel_actions(
        &self,
        py: Python<'_>,
        ids: Vec<String>,
        comment: &str,
        progress: Option<Py<PyAny>>,
        concurrency: usize,
    ) -> PyResult<Vec<PyCancelOutcome>> {
        check_pid(self.pid)?;
        let stream = self
            .client
            .cancel_actions(&ids, comment, concurrency)
            .map_err(|e| to_py_err(py, &e))?;
        let mut stream = Box::pin(stream);
        let mut outcomes = Vec::new();
        while let Some(o) = block_on(py, stream.next())? {
            bulk::report(py, progress.as_ref(), &o)?;
            outcomes.push(bulk::outcome(py, o)?);
        }
        Ok(outcomes)
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __exit__(&self, _kind: Py<PyAny>, _value: Py<PyAny>, _tb: Py<PyAny>) -> bool {
        false
    }

    fn __repr__(&self) -> String {
        format!("Client(base_url={:?})", self.client.config().api_base())
    }
}

impl PyClient {
    fn with_config(py: Python<'_>, config: Config) -> PyResult<Self> {
        Ok(PyClient {
            client: build(py, config)?,
            pid: std::process::id(),
        })
    }
}

/// The process that first ran an async call: the asyncio bridge's worker threads do
/// not survive fork(), so a child must not wait on them.
fn check_async_runtime() -> PyResult<()> {
    static OWNER: OnceLock<u32> = OnceLock::new();
    if *OWNER.get_or_init(std::process::id) != std::process::id() {
        return Err(PyRuntimeError::new_err(
            "mde.AsyncClient's runtime was started before fork(): use mde.Client in the \
             child process, or start async work only after forking",
        ));
    }
    Ok(())
}

/// An asyncio client: its methods return awaitables usable from any running event
/// loop; cancelling the awaiting task cancels the request.
#[pyclass(name = "AsyncClient", module = "mde", frozen)]
pub struct PyAsyncClient {
    client: Client,
    pid: u32,
    closed: AtomicBool,
}

#[pymethods]
impl PyAsyncClient {
    #[new]
    #[pyo3(signature = (**kwargs))]
    fn new(py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        Self::with_config(py, from_kwargs(py, kwargs)?)
    }

    /// An async client configured from the MDE_* environment variables.
    #[staticmethod]
    fn from_env(py: Python<'_>) -> PyResult<Self> {
        Self::with_config(py, from_env(py)?)
    }

    /// Cancels a machine action; an awaitable of the updated MachineAction.
    fn cancel_action<'py>(
        &self,
        py: Python<'py>,
        action_id: &str,
        comment: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.usable()?;
        let id = parse_id(py, action_id)?;
        let (client, comment) = (self.client.clone(), comment.to_owned());
        pyo3_async_runtimes::tokio::future_into_py(py, async move {
            let result = client.cancel_action(&id, &comment).await;
            result
                .map(PyMachineAction::from)
                .map_err(|e| Python::attach(|py| to_py_err(py, &e)))
        })
    }

    /// Reads one machine action; an awaitable of the MachineAction.
    fn get_action<'py>(&self, py: Python<'py>, action_id: &str) -> PyResult<Bound<'py, PyAny>> {
        self.usable()?;
        let id = parse_id(py, action_id)?;
        let client = self.client.clone();
        pyo3_async_runtimes::tokio::future_into_py(py, async move {
            let result = client.get_action(&id).await;
            result
                .map(PyMachineAction::from)
                .map_err(|e| Python::attach(|py| to_py_err(py, &e)))
        })
    }

    /// Lists actions matching the filters; an awaitable of a list of MachineAction.
    #[pyo3(signature = (**filters))]
    fn list_actions<'py>(
        &self,
        py: Python<'py>,
        filters: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.usable()?;
        let filter = filter_from_kwargs(py, filters)?;
        let client = self.client.clone();
        pyo3_async_runtimes::tokio::future_into_py(py, async move {
            let listed = client.list_actions(&filter).collect::<Vec<_>>().await;
            Python::attach(|py| {
                listed
                    .into_iter()
                    .map(|a| a.map(PyMachineAction::from).map_err(|e| to_py_err(py, &e)))
                    .collect::<PyResult<Vec<_>>>()
            })
        })
    }

    /// Cancels many actions; an awaitable of the outcomes. `progress` is called
    /// (from the runtime's thread, holding the GIL) after each outcome.
    #[pyo3(signature = (ids, comment, progress=None, concurrency=8))]
    fn cancel_actions<'py>(
        &self,
        py: Python<'py>,
        ids: Vec<String>,
        comment: &str,
        progress: Option<Py<PyAny>>,
        concurrency: usize,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.usable()?;
        let stream = self
            .client
            .cancel_actions(&ids, comment, concurrency)
            .map_err(|e| to_py_err(py, &e))?;
        pyo3_async_runtimes::tokio::future_into_py(py, async move {
            let mut stream = Box::pin(stream);
            let mut outcomes = Vec::new();
            while let Some(o) = stream.next().await {
                let converted = Python::attach(|py| {
                    bulk::report(py, progress.as_ref(), &o)?;
                    bulk::outcome(py, o)
                })?;
                outcomes.push(converted);
            }
            Ok(outcomes)
        })
    }

    /// Refuses further calls.
    fn close(&self) {
        self.closed.store(true, Ordering::Relaxed);
    }

    fn __aenter__<'py>(slf: Py<Self>, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        pyo3_async_runtimes::tokio::future_into_py(py, async move { Ok(slf) })
    }

    fn __aexit__<'py>(
        &self,
        py: Python<'py>,
        _kind: Py<PyAny>,
        _value: Py<PyAny>,
        _tb: Py<PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.close();
        pyo3_async_runtimes::tokio::future_into_py(py, async move { Ok(false) })
    }

    fn __repr__(&self) -> String {
        format!(
            "AsyncClient(base_url={:?})",
            self.client.config().api_base()
        )
    }
}

impl PyAsyncClient {
    fn with_config(py: Python<'_>, config: Config) -> PyResult<Self> {
        Ok(PyAsyncClient {
            client: build(py, config)?,
            pid: std::process::id(),
            closed: AtomicBool::new(false),
        })
    }

    fn usable(&self) -> PyResult<()> {
        check_pid(self.pid)?;
        check_async_runtime()?;
        if self.closed.load(Ordering::Relaxed) {
            return Err(PyRuntimeError::new_err("this mde.AsyncClient is closed"));
        }
        Ok(())
    }
}
