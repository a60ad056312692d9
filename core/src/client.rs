//! The client: cancel and read machine actions, within the rate limits, retrying
//! what is safe to retry.

use std::sync::Arc;

use bytes::Bytes;
use http::Method;
use tokio::time::Instant;

use crate::action::{ActionStatus, MachineAction};
use crate::action_id::ActionId;
use crate::auth::Auth;
use crate::comment::Comment;
use crate::config::Config;
use crate::error::{Error, Failure};
use crate::http::{attempt, request_uri, Api, Call, Reply};
use crate::ratelimit::{shared_budget, Budget, BudgetKey};
use crate::retry::backoff;
use crate::transport::Transport;

/// The `User-Agent` every request carries.
pub const USER_AGENT: &str = concat!(
    "mde-cancel/",
    env!("CARGO_PKG_VERSION"),
    " (mde-core; Rust)"
);

/// A client of the machine-action API. Cheap to clone (clones share one connection
/// pool), `Send + Sync`; it owns no runtime, so its futures run on the caller's.
///
/// Every call waits for rate-limit budget (shared with every client of the process
/// that has the same API host and identity), and is retried on 429, 500, 502, 503,
/// 504, timeouts and dropped connections, up to `max_retries` times. One call takes
/// at most [`Config::worst_case_duration`].
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: Transport,
    pub(crate) config: Config,
    /// The API base, parsed once.
    pub(crate) base: url::Url,
    /// Where the `Authorization` header comes from; `None` without credentials.
    auth: Option<Auth>,
    /// `None` without credentials: such a client fails every call before I/O.
    pub(crate) budget: Option<Arc<Budget>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

/// What one logical call has done so far, across its attempts.
#[derive(Default)]
pub(crate) struct Tries {
    pub(crate) attempts: u32,
    /// An earlier attempt may have been applied although its answer was lost.
    maybe_applied: bool,
    /// The token was renewed after a 401 (once per call).
    renewed: bool,
}

impl Client {
    /// Builds a client. Fails with `InvalidArgument` only if the configuration's URLs
    /// or token cannot be used.
    ///
    /// Redirects are never followed (the API does not redirect, and following one
    /// would carry the token elsewhere). Connections go through the proxy that
    /// `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and `NO_PROXY` choose (http:// proxies,
    /// by CONNECT).
    pub fn new(config: Config) -> Result<Self, Error> {
        let http = Transport::new(
            config.timeout().min(std::time::Duration::from_secs(10)),
            USER_AGENT,
            config.ca_certificates(),
        );
        let budget = config.credentials().map(|credentials| {
            shared_budget(BudgetKey::new(
                config.api_base(),
                &credentials.identity(),
                config.rate_limits(),
                config.rate_limit_margin(),
            ))
        });
        let base = url::Url::parse(config.api_base())
            .map_err(|e| Error::invalid_argument(format!("invalid API base URL: {e}")))?;
        let auth = Auth::new(&config)?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                auth,
                config,
                budget,
            }),
        })
    }

    /// The configuration this client was built from.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Cancels a machine action that is not final yet, recording `comment` on it, and
    /// returns the action as updated by the service.
    ///
    /// The cancel is a POST: when an attempt's answer is lost (timeout, dropped
    /// connection, 5xx) and a later attempt is refused, the action is read to learn
    /// whether the lost attempt was applied. An action already cancelled with this
    /// very comment counts as success, so a repeated or resumed cancel is idempotent.
    ///
    /// Errors: `InvalidArgument` for a blank or overlong comment (nothing is sent),
    /// `NotFound`, `NotCancellable` (the action is already final; carries its status),
    /// `RateLimited`, and the transport and service errors of [`Error`].
    pub async fn cancel_action(
        &self,
        id: &ActionId,
        comment: &str,
    ) -> Result<MachineAction, Error> {
        self.cancel_with(id, comment, entity, |a| a).await
    }

    /// Like [`Client::cancel_action`], returning the entity as the service sent it
    /// (JSON text) without building the typed view: for bindings that pass it on as
    /// JSON. The answer is still checked to be an entity (an object with an `id`).
    pub async fn cancel_action_json(&self, id: &ActionId, comment: &str) -> Result<String, Error> {
        self.cancel_with(id, comment, raw_entity, |a| a.raw_json().to_owned())
            .await
    }

    /// The cancel, with `read` turning a 2xx answer into the result, and `known`
    /// turning an action read during reconciliation into it.
    async fn cancel_with<T>(
        &self,
        id: &ActionId,
        comment: &str,
        read: fn(&Call, &Reply, u32) -> Result<T, Error>,
        known: fn(MachineAction) -> T,
    ) -> Result<T, Error> {
        let comment = Comment::new(comment)?;
        let auth = self.auth()?;
        #[derive(serde::Serialize)]
        struct CancelBody<'a> {
            // Case-sensitive on the service.
            #[serde(rename = "Comment")]
            comment: &'a str,
        }
        let body = serde_json::to_vec(&CancelBody {
            comment: comment.as_str(),
        })
        .expect("a string always serialises");
        let call = Call {
            api: Api::Cancel,
            method: Method::POST,
            url: request_uri(format!(
                "{}/api/machineactions/{id}/cancel",
                self.inner.config.api_base()
            ))?,
            body: Some(Bytes::from(body)),
            what: "cancel",
            id: Some(id.clone()),
        };
        let mut tries = Tries::default();
        loop {
            let refused = match self.send(&call, auth, &mut tries).await {
                Ok(reply) => return read(&call, &reply, tries.attempts),
                Err(e) if is_refusal(&e) => e,
                Err(e) => return Err(e),
            };
            // The service documents no answer for cancelling a final action; clients
            // see a 4xx. Unless an earlier attempt may have been applied, only 400 and
            // 409 are worth reading the action for.
            if !tries.maybe_applied && !matches!(refused.http_status(), Some(400 | 409)) {
                return Err(refused);
            }
            let Ok(action) = self.get_action(id).await else {
                return Err(refused);
            };
            // Cancelled with this very comment: a lost attempt of ours, or an earlier
            // run of the same job (a resumed bulk cancel). Either way, done.
            if action.status == ActionStatus::Cancelled
                && action.cancellation_comment.as_deref() == Some(comment.as_str())
            {
                tracing::info!(target: "mde", %id, attempts = tries.attempts, "the action is already cancelled with this comment");
                return Ok(known(action));
            }
            if action.is_final() {
                return Err(not_cancellable(refused, action));
            }
            if !tries.maybe_applied {
                return Err(refused);
            }
            // Not applied after all: the refusal concerned this attempt only.
            tries.maybe_applied = false;
            if tries.attempts > self.inner.config.retry().max_retries {
                return Err(refused);
            }
        }
    }

    /// Reads one machine action.
    ///
    /// Errors: `NotFound`, `RateLimited`, and the transport and service errors of
    /// [`Error`].
    pub async fn get_action(&self, id: &ActionId) -> Result<MachineAction, Error> {
        self.get_with(id, entity).await
    }

    /// Like [`Client::get_action`], returning the entity as the service sent it (JSON
    /// text) without building the typed view.
    pub async fn get_action_json(&self, id: &ActionId) -> Result<String, Error> {
        self.get_with(id, raw_entity).await
    }

    async fn get_with<T>(
        &self,
        id: &ActionId,
        read: fn(&Call, &Reply, u32) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let auth = self.auth()?;
        let call = Call {
            api: Api::Get,
            method: Method::GET,
            url: request_uri(format!(
                "{}/api/machineactions/{id}",
                self.inner.config.api_base()
            ))?,
            body: None,
            what: "get",
            id: Some(id.clone()),
        };
        let mut tries = Tries::default();
        let reply = self.send(&call, auth, &mut tries).await?;
        read(&call, &reply, tries.attempts)
    }

    /// Sends `call` until it gets a 2xx, a final error, or runs out of retries. Every
    /// attempt first waits for budget on the shared limiter.
    pub(crate) async fn send(
        &self,
        call: &Call,
        auth: &Auth,
        tries: &mut Tries,
    ) -> Result<Reply, Error> {
        let config = &self.inner.config;
        let budget = self
            .inner
            .budget
            .as_ref()
            .expect("a client with a token has a budget")
            .api(call.api);
        loop {
            let authorization = auth.header(&self.inner.http).await?;
            if let Err(wait) = budget.acquire(config.max_wait()).await {
                return Err(Error::RateLimited {
                    failure: Box::new(Failure {
                        context: call.context(),
                        message: Some(format!(
                            "the client-side budget of the {} API would need a wait of {} ms, \
                             more than max_wait_ms ({} ms); nothing was sent",
                            call.api.name(),
                            wait.as_millis(),
                            config.max_wait().as_millis()
                        )),
                        attempts: tries.attempts,
                        ..Failure::default()
                    }),
                    retry_after: Some(wait),
                });
            }
            tries.attempts += 1;
            let started = Instant::now();
            let result = attempt(&self.inner.http, call, &authorization, config.timeout()).await;
            tracing::debug!(
                target: "mde",
                api = call.api.name(),
                method = %call.method,
                url = %call.url,
                attempt = tries.attempts,
                status = result.as_ref().map(|r| r.status).ok(),
                elapsed_ms = started.elapsed().as_millis() as u64,
                "machine-action API call"
            );
            let (error, pause) = match result {
                Ok(reply) if reply.is_success() => return Ok(reply),
                Ok(reply) => {
                    let status = reply.status;
                    let error = reply.into_error(&call.context(), tries.attempts);
                    match status {
                        // A revoked or expired token: renew once and retry at once.
                        401 if !tries.renewed => {
                            tries.renewed = true;
                            if auth
                                .renew(&self.inner.http, &authorization)
                                .await?
                                .is_some()
                            {
                                tracing::info!(target: "mde", api = call.api.name(), "token refused; renewed it, retrying");
                                continue;
                            }
                            return Err(error);
                        }
                        429 => {
                            let pause = error.retry_after();
                            if let Some(wait) = pause {
                                // Every caller of this API waits, not just this one.
                                budget.pause(Instant::now() + wait);
                            }
                            (error, pause)
                        }
                        500 | 502 | 503 | 504 => {
                            tries.maybe_applied = true;
                            (error, None)
                        }
                        _ => return Err(error),
                    }
                }
                Err(no_answer) => {
                    tries.maybe_applied |= no_answer.maybe_applied();
                    let error =
                        no_answer.into_error(&call.context(), tries.attempts, config.timeout());
                    (error, None)
                }
            };
            if tries.attempts > config.retry().max_retries {
                return Err(error);
            }
            // After a 429 with Retry-After the budget's pause is the wait.
            let delay = match pause {
                Some(_) => std::time::Duration::ZERO,
                None => backoff(config.retry(), tries.attempts),
            };
            tracing::info!(
                target: "mde",
                api = call.api.name(),
                attempt = tries.attempts,
                delay_ms = delay.as_millis() as u64,
                error = %error.kind().name(),
                "retrying"
            );
            tokio::time::sleep(delay).await;
        }
    }

    pub(crate) fn auth(&self) -> Result<&Auth, Error> {
        self.inner.auth.as_ref().ok_or_else(|| {
            Error::invalid_argument(
                "no credentials configured: set \"token\", or \"tenant_id\", \"client_id\" and \
                 \"client_secret\" or \"client_certificate_path\" (or their environment variables)",
            )
        })
    }
}

/// Reads a 2xx answer holding one MachineAction.
fn entity(call: &Call, reply: &Reply, attempts: u32) -> Result<MachineAction, Error> {
    let text = reply.text(&call.context(), attempts)?;
    MachineAction::from_json(text).map_err(|why| reply.bad(&call.context(), attempts, &why))
}

/// Checks that a 2xx answer holds one entity (a JSON object with a string `id`) and
/// returns its text, without building the typed view.
fn raw_entity(call: &Call, reply: &Reply, attempts: u32) -> Result<String, Error> {
    #[derive(serde::Deserialize)]
    struct Entity<'a> {
        // Required, and a string; its value is not needed.
        #[serde(borrow, rename = "id")]
        _id: std::borrow::Cow<'a, str>,
    }
    let text = reply.text(&call.context(), attempts)?;
    serde_json::from_str::<Entity<'_>>(text).map_err(|e| {
        reply.bad(
            &call.context(),
            attempts,
            &format!("not a machine action: {e}"),
        )
    })?;
    Ok(text.to_owned())
}

/// Whether the service refused the request itself (a 4xx other than 429).
fn is_refusal(e: &Error) -> bool {
    matches!(e.http_status(), Some(400..=499)) && e.http_status() != Some(429)
}

fn not_cancellable(refused: Error, action: MachineAction) -> Error {
    Error::NotCancellable {
        failure: Box::new(refused.failure().cloned().unwrap_or_default()),
        status: action.status.clone(),
        action: Box::new(action),
    }
}
