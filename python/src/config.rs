//! Keyword arguments to mde-core's JSON configuration: the keys are the JSON keys,
//! with durations in seconds (`timeout` for `timeout_ms`, ...). One parser serves
//! both clients; an unknown keyword is a TypeError.

use mde_core::Config;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use serde_json::{json, Map, Value};

use crate::errors::{invalid, to_py_err};

/// Keywords whose value is text, passed under the same name.
const TEXT: &[&str] = &[
    "base_url",
    "cloud",
    "region",
    "token",
    "tenant_id",
    "client_id",
    "client_secret",
    "client_certificate_path",
    "client_certificate_password",
    "authority_host",
    "scope",
    "ca_certificate_path",
];

/// Keywords in seconds, and the millisecond keys they become.
const SECONDS: &[(&str, &str)] = &[
    ("timeout", "timeout_ms"),
    ("rate_limit_margin", "rate_limit_margin_ms"),
    ("max_wait", "max_wait_ms"),
    ("retry_base", "retry_base_ms"),
    ("retry_cap", "retry_cap_ms"),
];

/// Seconds as whole milliseconds, naming the keyword when the value is unusable.
fn millis(py: Python<'_>, name: &str, seconds: f64) -> PyResult<u64> {
    if !seconds.is_finite() || seconds < 0.0 {
        return Err(invalid(
            py,
            format!("{name} must be a non-negative number of seconds, not {seconds}"),
        ));
    }
    Ok((seconds * 1000.0).round() as u64)
}

/// The validated configuration of a constructor's keywords (None values ignored).
pub fn from_kwargs(py: Python<'_>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Config> {
    let mut map = Map::new();
    for (key, value) in kwargs.into_iter().flatten() {
        let key: String = key.extract()?;
        if value.is_none() {
            continue;
        }
        if TEXT.contains(&key.as_str()) {
            map.insert(key, Value::String(value.extract()?));
        } else if let Some((_, ms_key)) = SECONDS.iter().find(|(k, _)| *k == key) {
            map.insert(
                (*ms_key).to_owned(),
                json!(millis(py, &key, value.extract()?)?),
            );
        } else if key == "max_retries" {
            map.insert(key, json!(value.extract::<u32>()?));
        } else if key == "rate_limits" {
            let limits = value
                .extract::<Vec<(u32, f64)>>()?
                .into_iter()
                .map(|(calls, period)| Ok(json!({"calls": calls, "period_ms": millis(py, "rate_limits period", period)?})))
                .collect::<PyResult<Vec<_>>>()?;
            map.insert(key, Value::Array(limits));
        } else {
            return Err(PyTypeError::new_err(format!(
                "got an unexpected keyword argument '{key}'"
            )));
        }
    }
    Config::from_value(Value::Object(map)).map_err(|e| to_py_err(py, &e))
}
