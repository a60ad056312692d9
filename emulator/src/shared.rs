//! The state one emulator instance shares between its connections.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use serde_json::Value;

use crate::config::EmulatorConfig;
use crate::faults::Faults;
use crate::log::{redact_authorization, LoggedRequest};
use crate::ratelimit::Throttle;
use crate::store::Store;
use crate::tokens::Signer;

/// A form body with the values of secret fields replaced.
fn redact_form(body: &[u8]) -> String {
    let mut out = url::form_urlencoded::Serializer::new(String::new());
    for (k, v) in url::form_urlencoded::parse(body) {
        let secret = matches!(k.as_ref(), "client_secret" | "client_assertion");
        out.append_pair(&k, if secret { "[redacted]" } else { &v });
    }
    out.finish()
}

/// Everything that changes while the emulator runs.
#[derive(Default)]
pub struct State {
    /// The machine actions.
    pub store: Store,
    /// Faults waiting for their requests.
    pub faults: Faults,
    /// Requests received, in order.
    pub log: Vec<LoggedRequest>,
    /// Rate-limit bookkeeping.
    pub throttle: Throttle,
    /// How many cancels were applied, per action id.
    pub applied_cancels: HashMap<String, u32>,
    /// The ids (`jti`) of the tokens issued so far.
    pub issued: Vec<String>,
    /// The ids of revoked tokens.
    pub revoked: HashSet<String>,
    next_seq: u64,
}

/// The configuration and the state, behind one lock (no lock is held across an await).
pub struct Shared {
    /// The configuration, fixed at start.
    pub config: EmulatorConfig,
    /// When the emulator started, for log times.
    pub started: Instant,
    /// Signs and verifies the tokens this instance issues.
    pub signer: Signer,
    state: Mutex<State>,
}

impl Shared {
    /// A fresh emulator state.
    pub fn new(config: EmulatorConfig) -> Self {
        Shared {
            config,
            started: Instant::now(),
            signer: Signer::default(),
            state: Mutex::new(State::default()),
        }
    }

    /// Locks the state. A panic in a handler cannot leave it half-written in a way
    /// that matters to a test emulator, so a poisoned lock is used as is.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Appends a request to the log and returns its sequence number.
    pub fn log_request(&self, route: &str, parts: &axum::http::request::Parts, body: &[u8]) -> u64 {
        // Token requests carry the app's secret or assertion: never logged.
        let body = if route == "token" {
            redact_form(body)
        } else {
            String::from_utf8_lossy(body).into_owned()
        };
        let headers: BTreeMap<String, String> = parts
            .headers
            .iter()
            .map(|(name, value)| {
                let text = String::from_utf8_lossy(value.as_bytes()).into_owned();
                let text = if name == axum::http::header::AUTHORIZATION {
                    redact_authorization(&text)
                } else {
                    text
                };
                (name.as_str().to_owned(), text)
            })
            .collect();
        let mut state = self.lock();
        let seq = state.next_seq;
        state.next_seq += 1;
        state.log.push(LoggedRequest {
            seq,
            route: route.to_owned(),
            method: parts.method.to_string(),
            path: parts
                .uri
                .path_and_query()
                .map_or_else(|| parts.uri.path().to_owned(), |p| p.as_str().to_owned()),
            headers,
            body,
            status: None,
            at_ms: self.started.elapsed().as_secs_f64() * 1000.0,
        });
        seq
    }

    /// Records the status answered to a logged request.
    pub fn log_status(&self, seq: u64, status: u16) {
        let mut state = self.lock();
        if let Some(entry) = state.log.iter_mut().rev().find(|e| e.seq == seq) {
            entry.status = Some(status);
        }
    }

    /// Seeds actions from one partial entity or an array of them; returns them rendered.
    pub fn seed(&self, spec: Value) -> Result<Vec<Value>, String> {
        let specs = match spec {
            Value::Array(items) => items,
            other => vec![other],
        };
        let mut state = self.lock();
        specs
            .into_iter()
            .map(|s| match s {
                Value::Object(map) => state.store.seed(map).map(|a| a.render(None)),
                other => Err(format!("an action must be a JSON object, not {other}")),
            })
            .collect()
    }

    /// Forgets actions, faults, the log and the rate-limit state.
    pub fn reset(&self) {
        let mut state = self.lock();
        state.store.clear();
        state.faults.clear();
        state.log.clear();
        state.throttle.clear();
        state.applied_cancels.clear();
        state.issued.clear();
        state.revoked.clear();
    }

    /// Revokes every token issued so far: the API answers 401 to them.
    pub fn revoke_tokens(&self) {
        let mut state = self.lock();
        let issued = std::mem::take(&mut state.issued);
        state.revoked.extend(issued);
    }
}
