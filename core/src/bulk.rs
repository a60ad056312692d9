//! Cancelling many actions: concurrently within the rate limits, one outcome per id,
//! with progress.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use futures_util::{Stream, StreamExt};
use serde_json::{json, Value};

use crate::action::{ActionStatus, MachineAction};
use crate::action_id::ActionId;
use crate::client::Client;
use crate::comment::Comment;
use crate::error::{Error, ErrorKind};
use crate::http::Api;

/// How many cancels are in flight at once by default; the rate limiter decides the
/// pace, this only bounds open requests.
pub const DEFAULT_CONCURRENCY: usize = 8;

/// What happened to one id.
#[derive(Debug)]
pub enum CancelResult {
    /// Cancelled; the action as the service returned it.
    Cancelled(Box<MachineAction>),
    /// Already final: nothing to cancel.
    NotCancellable {
        /// The action's status.
        status: ActionStatus,
        /// The action as read.
        action: Box<MachineAction>,
    },
    /// No action has this id.
    NotFound,
    /// The id is not a machine action id; nothing was sent for it.
    InvalidId(String),
    /// Any other error (after the client's retries).
    Failed(Error),
}

impl CancelResult {
    /// The outcome's stable name: `cancelled`, `not_cancellable`, `not_found`,
    /// `invalid_id` or `error`.
    pub fn name(&self) -> &'static str {
        match self {
            CancelResult::Cancelled(_) => "cancelled",
            CancelResult::NotCancellable { .. } => "not_cancellable",
            CancelResult::NotFound => "not_found",
            CancelResult::InvalidId(_) => "invalid_id",
            CancelResult::Failed(_) => "error",
        }
    }

    fn from_call(result: Result<MachineAction, Error>) -> Self {
        match result {
            Ok(action) => CancelResult::Cancelled(Box::new(action)),
            Err(Error::NotCancellable { status, action, .. }) => {
                CancelResult::NotCancellable { status, action }
            }
            Err(e) if e.kind() == ErrorKind::NotFound => CancelResult::NotFound,
            Err(e) => CancelResult::Failed(e),
        }
    }
}

/// Where a bulk cancel stands after an outcome.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    /// Ids with an outcome.
    pub done: usize,
    /// Ids in all (duplicates counted once).
    pub total: usize,
    /// Outcomes `cancelled`.
    pub cancelled: usize,
    /// Outcomes per second since the start (over at least one second).
    pub rate: f64,
    /// The time the rate limits need for the rest (the limiter's own schedule).
    pub eta: Duration,
}

impl Progress {
    /// Outcomes other than `cancelled`.
    pub fn other(&self) -> usize {
        self.done - self.cancelled
    }
}

/// One id's outcome, and the progress after it.
#[derive(Debug)]
pub struct BulkOutcome {
    /// The id as given.
    pub id: String,
    /// What happened.
    pub result: CancelResult,
    /// Where the whole job stands.
    pub progress: Progress,
}

/// An error as JSON, the same shape everywhere the library speaks JSON.
pub fn error_json(e: &Error) -> Value {
    json!({
        "status": e.kind().name(),
        "http_status": e.http_status(),
        "code": e.code(),
        "message": e.to_string(),
        "target": e.target(),
        "retry_after_ms": e.retry_after().map(|d| d.as_millis() as u64),
    })
}

impl BulkOutcome {
    /// The outcome as one JSON object: `id`, `outcome`, `status` (the action's, when
    /// known), `action` (the entity as the service sent it, or null), `error`.
    pub fn to_json(&self) -> Value {
        let raw =
            |a: &MachineAction| serde_json::from_str::<Value>(a.raw_json()).unwrap_or(Value::Null);
        let (status, action, error) = match &self.result {
            CancelResult::Cancelled(a) => (Some(a.status.as_str().to_owned()), raw(a), Value::Null),
            CancelResult::NotCancellable { status, action } => {
                (Some(status.as_str().to_owned()), raw(action), Value::Null)
            }
            CancelResult::NotFound => (None, Value::Null, Value::Null),
            CancelResult::InvalidId(message) => (
                None,
                Value::Null,
                json!({"status": "INVALID_ARGUMENT", "message": message}),
            ),
            CancelResult::Failed(e) => (None, Value::Null, error_json(e)),
        };
        json!({"id": self.id, "outcome": self.result.name(), "status": status, "action": action, "error": error})
    }
}

enum Job {
    Cancel(String, ActionId),
    Invalid(String, String),
}

impl Client {
    /// Cancels many actions with one comment, concurrently (at most `concurrency` in
    /// flight) and as fast as the rate limits allow, yielding one outcome per id as
    /// each finishes. Duplicate ids are cancelled once; ids that are not GUIDs get an
    /// `invalid_id` outcome and send nothing.
    ///
    /// Errors (before anything is sent): `InvalidArgument` for a blank or overlong
    /// comment, or no credentials.
    pub fn cancel_actions<I, S>(
        &self,
        ids: I,
        comment: &str,
        concurrency: usize,
    ) -> Result<impl Stream<Item = BulkOutcome> + Send + 'static, Error>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let comment = Comment::new(comment)?;
        self.auth()?;
        let mut seen = HashSet::new();
        let jobs: Vec<Job> = ids
            .into_iter()
            .filter_map(|raw| {
                let raw = raw.as_ref().to_owned();
                match ActionId::parse(&raw) {
                    Ok(id) => seen.insert(id.clone()).then_some(Job::Cancel(raw, id)),
                    Err(e) => Some(Job::Invalid(raw, e.to_string())),
                }
            })
            .collect();
        let total = jobs.len();
        let client = self.clone();
        let started = Instant::now();
        let mut progress = Progress {
            total,
            ..Progress::default()
        };
        let outcomes = futures_util::stream::iter(jobs)
            .map(move |job| {
                let client = client.clone();
                let comment = comment.clone();
                async move {
                    match job {
                        Job::Invalid(raw, message) => (raw, CancelResult::InvalidId(message)),
                        Job::Cancel(raw, id) => {
                            let result = client.cancel_action(&id, comment.as_str()).await;
                            (raw, CancelResult::from_call(result))
                        }
                    }
                }
            })
            .buffer_unordered(concurrency.max(1));
        let client = self.clone();
        Ok(outcomes.map(move |(id, result)| {
            progress.done += 1;
            if matches!(result, CancelResult::Cancelled(_)) {
                progress.cancelled += 1;
            }
            // Over at least a second: a burst's first outcomes say nothing of the pace.
            progress.rate = progress.done as f64 / started.elapsed().as_secs_f64().max(1.0);
            progress.eta = client.eta(Api::Cancel, progress.total - progress.done);
            BulkOutcome {
                id,
                result,
                progress: progress.clone(),
            }
        }))
    }

    /// How long `n` more calls of `api` need under the rate limits.
    fn eta(&self, api: Api, n: usize) -> Duration {
        self.inner
            .budget
            .as_ref()
            .map_or(Duration::ZERO, |b| b.api(api).eta(n))
    }
}
