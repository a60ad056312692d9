//! The client: cancel and read machine actions.

use std::sync::Arc;

use bytes::Bytes;
use reqwest::Method;

use crate::action::MachineAction;
use crate::action_id::ActionId;
use crate::comment::Comment;
use crate::config::Config;
use crate::error::Error;
use crate::http::{attempt, Api, Call, Reply};
use crate::secret::Secret;

/// The `User-Agent` every request carries.
pub const USER_AGENT: &str = concat!(
    "mde-cancel/",
    env!("CARGO_PKG_VERSION"),
    " (mde-core; Rust)"
);

/// A client of the machine-action API. Cheap to clone (clones share one connection
/// pool), `Send + Sync`; it owns no runtime, so its futures run on the caller's.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    config: Config,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Builds a client. Fails with `InvalidArgument` only if the HTTP stack cannot be
    /// set up.
    pub fn new(config: Config) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(config.timeout())
            .connect_timeout(config.timeout().min(std::time::Duration::from_secs(10)))
            .build()
            .map_err(|e| Error::invalid_argument(format!("cannot set up HTTP: {e}")))?;
        Ok(Client {
            inner: Arc::new(Inner { http, config }),
        })
    }

    /// The configuration this client was built from.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Cancels a machine action that is not final yet, recording `comment` on it, and
    /// returns the action as updated by the service.
    ///
    /// Errors: `InvalidArgument` for a blank or overlong comment (nothing is sent),
    /// `NotFound`, `NotCancellable` (the action is already final; carries its status),
    /// and the transport and service errors of [`Error`].
    pub async fn cancel_action(
        &self,
        id: &ActionId,
        comment: &str,
    ) -> Result<MachineAction, Error> {
        let comment = Comment::new(comment)?;
        let token = self.token()?;
        let body = serde_json::to_vec(&serde_json::json!({ "Comment": comment.as_str() }))
            .expect("a string map always serialises");
        let call = Call {
            api: Api::Cancel,
            method: Method::POST,
            url: format!(
                "{}/api/machineactions/{id}/cancel",
                self.inner.config.api_base()
            ),
            body: Some(Bytes::from(body)),
            context: format!("cancel of machine action {id}"),
        };
        match self.entity(&call, token).await {
            Err(e) if matches!(e.http_status(), Some(400 | 409)) => {
                self.explain_refused_cancel(id, e).await
            }
            other => other,
        }
    }

    /// Reads one machine action.
    ///
    /// Errors: `NotFound`, and the transport and service errors of [`Error`].
    pub async fn get_action(&self, id: &ActionId) -> Result<MachineAction, Error> {
        let token = self.token()?;
        let call = Call {
            api: Api::Get,
            method: Method::GET,
            url: format!("{}/api/machineactions/{id}", self.inner.config.api_base()),
            body: None,
            context: format!("get of machine action {id}"),
        };
        self.entity(&call, token).await
    }

    /// The service documents no answer for cancelling a final action; clients see a
    /// 4xx. Reading the action tells a final one (`NotCancellable`) from any other
    /// refusal, which is returned as it came.
    async fn explain_refused_cancel(
        &self,
        id: &ActionId,
        refused: Error,
    ) -> Result<MachineAction, Error> {
        match self.get_action(id).await {
            Ok(action) if action.is_final() => Err(Error::NotCancellable {
                failure: refused.failure().cloned().unwrap_or_default(),
                status: action.status.clone(),
                action: Box::new(action),
            }),
            _ => Err(refused),
        }
    }

    /// Makes a call whose answer is one MachineAction.
    async fn entity(&self, call: &Call, token: &Secret) -> Result<MachineAction, Error> {
        let (reply, attempts) = self.send(call, token).await?;
        let text = reply.text(&call.context, attempts)?;
        MachineAction::from_json(text).map_err(|why| reply.bad(&call.context, attempts, &why))
    }

    /// Sends a call and returns a 2xx answer with the number of attempts made.
    async fn send(&self, call: &Call, token: &Secret) -> Result<(Reply, u32), Error> {
        let started = std::time::Instant::now();
        let result = attempt(&self.inner.http, call, token).await;
        let attempts = 1;
        tracing::debug!(
            api = call.api.name(),
            method = %call.method,
            url = %call.url,
            status = result.as_ref().map(|r| r.status).ok(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "machine-action API call"
        );
        match result {
            Ok(reply) if reply.is_success() => Ok((reply, attempts)),
            Ok(reply) => Err(reply.into_error(&call.context, attempts)),
            Err(no) => Err(no.into_error(&call.context, attempts, self.inner.config.timeout())),
        }
    }

    fn token(&self) -> Result<&Secret, Error> {
        self.inner.config.token().ok_or_else(|| {
            Error::invalid_argument("no credentials configured: set \"token\" (or MDE_TOKEN)")
        })
    }
}
