//! Keyword arguments to mde-core's JSON configuration: the keys are the JSON keys,
//! with durations in seconds (`timeout` for `timeout_ms`, ...).

use mde_core::Config;
use pyo3::prelude::*;
use serde_json::{json, Map, Value};

use crate::errors::{invalid, to_py_err};

/// The keywords every client constructor takes.
#[derive(Default)]
pub struct Keywords {
    pub base_url: Option<String>,
    pub cloud: Option<String>,
    pub region: Option<String>,
    pub token: Option<String>,
    pub timeout: Option<f64>,
    pub rate_limits: Option<Vec<(u32, f64)>>,
    pub rate_limit_margin: Option<f64>,
    pub max_wait: Option<f64>,
    pub max_retries: Option<u32>,
    pub retry_base: Option<f64>,
    pub retry_cap: Option<f64>,
}

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

impl Keywords {
    /// The validated configuration.
    pub fn config(self, py: Python<'_>) -> PyResult<Config> {
        let mut map = Map::new();
        let mut text = |key: &str, v: Option<String>| {
            if let Some(v) = v {
                map.insert(key.to_owned(), Value::String(v));
            }
        };
        text("base_url", self.base_url);
        text("cloud", self.cloud);
        text("region", self.region);
        text("token", self.token);
        for (key, name, seconds) in [
            ("timeout_ms", "timeout", self.timeout),
            (
                "rate_limit_margin_ms",
                "rate_limit_margin",
                self.rate_limit_margin,
            ),
            ("max_wait_ms", "max_wait", self.max_wait),
            ("retry_base_ms", "retry_base", self.retry_base),
            ("retry_cap_ms", "retry_cap", self.retry_cap),
        ] {
            if let Some(s) = seconds {
                map.insert(key.to_owned(), json!(millis(py, name, s)?));
            }
        }
        if let Some(n) = self.max_retries {
            map.insert("max_retries".into(), json!(n));
        }
        if let Some(limits) = self.rate_limits {
            let limits = limits
                .into_iter()
                .map(|(calls, period)| Ok(json!({"calls": calls, "period_ms": millis(py, "rate_limits period", period)?})))
                .collect::<PyResult<Vec<_>>>()?;
            map.insert("rate_limits".into(), Value::Array(limits));
        }
        Config::from_value(Value::Object(map)).map_err(|e| to_py_err(py, &e))
    }
}
