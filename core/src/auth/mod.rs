//! Authentication: the `Authorization` header of each request, from a static token
//! or from an app's token cache.

mod cache;
mod endpoint;

use std::sync::Arc;

use http::header::HeaderValue;

use crate::config::Config;
use crate::credentials::Credentials;
use crate::error::Error;
use crate::http::bearer;
use crate::shared::SharedTable;
use crate::transport::Transport;
use cache::TokenCache;
use endpoint::{Proof, TokenRequest};

/// Where a client's `Authorization` header comes from.
pub(crate) enum Auth {
    Static(HeaderValue),
    App(Arc<TokenCache>),
}

/// What makes two clients share a token cache. The proof is hashed: the table never
/// holds a secret.
#[derive(PartialEq, Eq, Hash)]
struct CacheKey {
    authority: String,
    tenant_id: String,
    client_id: String,
    scope: String,
    proof: u64,
}

impl Auth {
    /// The authentication of a configuration; `None` without credentials.
    pub(crate) fn new(config: &Config) -> Result<Option<Auth>, Error> {
        let (tenant_id, client_id, proof) = match config.credentials() {
            None => return Ok(None),
            Some(Credentials::Token(token)) => return Ok(Some(Auth::Static(bearer(token)?))),
            Some(Credentials::ClientSecret {
                tenant_id,
                client_id,
                secret,
            }) => (tenant_id, client_id, Proof::Secret(secret.clone())),
            Some(Credentials::Certificate {
                tenant_id,
                client_id,
                certificate,
            }) => (
                tenant_id,
                client_id,
                Proof::Certificate(certificate.clone()),
            ),
        };
        let proof_hash = {
            use std::hash::{DefaultHasher, Hash, Hasher};
            let mut h = DefaultHasher::new();
            match &proof {
                Proof::Secret(s) => s.expose().hash(&mut h),
                Proof::Certificate(c) => c.thumbprint().hash(&mut h),
            }
            h.finish()
        };
        let request = TokenRequest {
            url: format!("{}/{tenant_id}/oauth2/v2.0/token", config.authority_host()),
            tenant_id: tenant_id.clone(),
            client_id: client_id.clone(),
            scope: config.scope().to_owned(),
            proof,
            timeout: config.timeout(),
        };
        static CACHES: SharedTable<CacheKey, TokenCache> = SharedTable::new();
        let key = CacheKey {
            authority: config.authority_host().to_ascii_lowercase(),
            tenant_id: tenant_id.clone(),
            client_id: client_id.clone(),
            scope: config.scope().to_owned(),
            proof: proof_hash,
        };
        Ok(Some(Auth::App(
            CACHES.get_or_make(key, || TokenCache::new(request)),
        )))
    }

    /// The header for the next request.
    pub(crate) async fn header(&self, http: &Transport) -> Result<HeaderValue, Error> {
        match self {
            Auth::Static(h) => Ok(h.clone()),
            Auth::App(cache) => cache.header(http, None).await,
        }
    }

    /// After a 401 with `rejected`: a renewed header to retry with, or `None` when
    /// the credentials cannot be renewed (a static token).
    pub(crate) async fn renew(
        &self,
        http: &Transport,
        rejected: &HeaderValue,
    ) -> Result<Option<HeaderValue>, Error> {
        match self {
            Auth::Static(_) => Ok(None),
            Auth::App(cache) => cache.header(http, Some(rejected)).await.map(Some),
        }
    }
}
