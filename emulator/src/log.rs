//! The log of received requests, for tests to assert what clients sent.

use serde::Serialize;
use std::collections::BTreeMap;

/// One request as received, with the bearer token redacted.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LoggedRequest {
    /// Position in the log (from 0 since the last clear).
    pub seq: u64,
    /// The route: `cancel`, `get`, `list`, `create` or `other`.
    pub route: String,
    /// The HTTP method.
    pub method: String,
    /// The path and query, as sent.
    pub path: String,
    /// Headers by lower-case name; `authorization` reads `Bearer [redacted]`.
    pub headers: BTreeMap<String, String>,
    /// The body as text (lossy UTF-8).
    pub body: String,
    /// The status answered; `None` when the connection was dropped instead.
    pub status: Option<u16>,
    /// Milliseconds since the emulator started, on arrival.
    pub at_ms: f64,
}

/// Redacts the credential in an `Authorization` value, keeping its scheme.
pub fn redact_authorization(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme, _)) => format!("{scheme} [redacted]"),
        None => "[redacted]".into(),
    }
}
