//! Fault injection: the next N requests on a route answer something else.

use serde::{Deserialize, Serialize};

/// What the next `count` requests on `route` get instead of (or on top of) the
/// normal answer. Fields combine: `delay_ms` waits first, then `drop`, `status` or
/// `body` replace the answer; `truncate` and `apply_then_drop` act after the request
/// was handled normally.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// `cancel`, `get`, `list`, `create`, `token` or `*` for any of them.
    pub route: String,
    /// How many requests it applies to (default 1).
    #[serde(default = "one")]
    pub count: u32,
    /// Wait this long before handling the request.
    #[serde(default)]
    pub delay_ms: u64,
    /// Answer this status with an error body in the documented shape.
    #[serde(default)]
    pub status: Option<u16>,
    /// The error `code` for `status` (default: the usual code for the status).
    #[serde(default)]
    pub code: Option<String>,
    /// A `Retry-After` header value (for 429; default `1`).
    #[serde(default)]
    pub retry_after: Option<String>,
    /// Answer this raw body (with `status`, default 200).
    #[serde(default)]
    pub body: Option<String>,
    /// Drop the connection without answering; nothing is applied.
    #[serde(default)]
    pub drop: bool,
    /// Handle the request, then send only the first half of the body.
    #[serde(default)]
    pub truncate: bool,
    /// Handle (apply) the request, then drop the connection without answering.
    #[serde(default)]
    pub apply_then_drop: bool,
}

fn one() -> u32 {
    1
}

/// The pending faults, first in first used.
#[derive(Default)]
pub struct Faults {
    pending: Vec<Fault>,
}

impl Faults {
    /// Queues a fault.
    pub fn add(&mut self, fault: Fault) {
        if fault.count > 0 {
            self.pending.push(fault);
        }
    }

    /// Takes one use of the first fault for `route`.
    pub fn take(&mut self, route: &str) -> Option<Fault> {
        let index = self
            .pending
            .iter()
            .position(|f| f.route == route || f.route == "*")?;
        let fault = &mut self.pending[index];
        fault.count -= 1;
        let taken = fault.clone();
        if fault.count == 0 {
            self.pending.remove(index);
        }
        Some(taken)
    }

    /// Forgets every fault.
    pub fn clear(&mut self) {
        self.pending.clear();
    }
}
