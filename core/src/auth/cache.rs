//! The token cache of one app: renewed before expiry, one renewal at a time.

use std::time::Duration;

use http::header::HeaderValue;
use tokio::time::Instant;

use super::endpoint::TokenRequest;
use crate::error::Error;
use crate::http::bearer;
use crate::transport::Transport;

/// How long before expiry a token is renewed (at most half its lifetime).
const RENEW_BEFORE: Duration = Duration::from_secs(300);

struct Cached {
    header: HeaderValue,
    renew_at: Instant,
    expires_at: Instant,
}

/// The current token of one (authority, tenant, client, scope), shared by every
/// client of the process that signs in as that app.
pub(crate) struct TokenCache {
    request: TokenRequest,
    /// Held during a renewal, so concurrent callers wait for it instead of each
    /// asking for a token.
    state: tokio::sync::Mutex<Option<Cached>>,
}

impl TokenCache {
    pub(crate) fn new(request: TokenRequest) -> Self {
        TokenCache {
            request,
            state: tokio::sync::Mutex::new(None),
        }
    }

    /// The `Authorization` header to send. Renews the token when it is due, or when
    /// `rejected` (the header the API just refused with 401) is still the current one.
    /// If renewal fails while the current token is still valid (and not rejected),
    /// the current token is used.
    pub(crate) async fn header(
        &self,
        http: &Transport,
        rejected: Option<&HeaderValue>,
    ) -> Result<HeaderValue, Error> {
        let mut state = self.state.lock().await;
        let now = Instant::now();
        let usable = |c: &Cached| rejected != Some(&c.header);
        if let Some(c) = state.as_ref().filter(|c| usable(c) && now < c.renew_at) {
            return Ok(c.header.clone());
        }
        match self.request.send(http).await {
            Ok(token) => {
                let header = bearer(&token.access_token)?;
                let received = Instant::now();
                *state = Some(Cached {
                    header: header.clone(),
                    renew_at: received + token.expires_in - RENEW_BEFORE.min(token.expires_in / 2),
                    expires_at: received + token.expires_in,
                });
                tracing::debug!(target: "mde", client_id = %self.request.client_id, expires_in_s = token.expires_in.as_secs(), "token obtained");
                Ok(header)
            }
            Err(e) => match state.as_ref().filter(|c| usable(c) && now < c.expires_at) {
                Some(c) => {
                    tracing::warn!(target: "mde", client_id = %self.request.client_id, error = %e.kind().name(), "token renewal failed; the current token is still valid and stays in use");
                    Ok(c.header.clone())
                }
                None => {
                    tracing::warn!(target: "mde", client_id = %self.request.client_id, error = %e.kind().name(), code = e.code().unwrap_or(""), "sign-in failed");
                    Err(e)
                }
            },
        }
    }
}
