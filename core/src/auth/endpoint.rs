//! One request to the identity platform's token endpoint (OAuth2 client credentials).

use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderValue, ACCEPT, CONTENT_TYPE};
use http::{Method, Request, Uri};
use http_body_util::Full;
use serde_json::Value;

use crate::certificate::ClientCertificate;
use crate::error::{Error, Failure};
use crate::secret::Secret;
use crate::transport::Transport;
use std::sync::Arc;

/// What an app proves itself with.
#[derive(Clone)]
pub(crate) enum Proof {
    Secret(Secret),
    Certificate(Arc<ClientCertificate>),
}

/// Everything needed to ask for a token.
#[derive(Clone)]
pub(crate) struct TokenRequest {
    /// `{authority}/{tenant}/oauth2/v2.0/token`.
    pub url: String,
    pub tenant_id: String,
    pub client_id: String,
    pub scope: String,
    pub proof: Proof,
    pub timeout: Duration,
}

/// A token as the endpoint returned it.
pub(crate) struct Token {
    pub access_token: Secret,
    pub expires_in: Duration,
}

impl TokenRequest {
    fn context(&self) -> String {
        format!(
            "sign-in of app {} in tenant {}",
            self.client_id, self.tenant_id
        )
    }

    /// Asks for a token. Errors: `Unauthorized` with the identity platform's error
    /// code and description (never a secret), `Network`, `Timeout`, `BadResponse`.
    pub(crate) async fn send(&self, http: &Transport) -> Result<Token, Error> {
        let assertion;
        let mut form: Vec<(&str, &str)> = vec![
            ("grant_type", "client_credentials"),
            ("client_id", &self.client_id),
            ("scope", &self.scope),
        ];
        match &self.proof {
            Proof::Secret(secret) => form.push(("client_secret", secret.expose())),
            Proof::Certificate(certificate) => {
                assertion = certificate.assertion(&self.client_id, &self.url)?;
                form.push((
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ));
                form.push(("client_assertion", &assertion));
            }
        }
        let failure = |message: Option<String>| Failure {
            context: self.context(),
            message,
            attempts: 1,
            ..Failure::default()
        };
        let uri = Uri::try_from(self.url.as_str()).map_err(|e| {
            Error::invalid_argument(format!("invalid token endpoint {}: {e}", self.url))
        })?;
        let body = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(&form)
            .finish();
        let mut request = Request::new(Full::new(Bytes::from(body)));
        *request.method_mut() = Method::POST;
        *request.uri_mut() = uri;
        request.headers_mut().insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        request
            .headers_mut()
            .insert(ACCEPT, HeaderValue::from_static("application/json"));
        let response = http
            .send(request, self.timeout)
            .await
            .map_err(|e| e.into_error(&self.context(), 1, self.timeout))?;
        let status = response.status().as_u16();
        let body = response.into_body();
        let json: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let text = |k: &str| json.get(k).and_then(Value::as_str).map(str::to_owned);
        if !(200..300).contains(&status) {
            return Err(Error::Unauthorized(Box::new(Failure {
                http_status: Some(status),
                code: text("error"),
                target: text("correlation_id").or_else(|| text("trace_id")),
                ..failure(
                    text("error_description")
                        .or_else(|| Some("the token endpoint refused the request".into())),
                )
            })));
        }
        let access_token = text("access_token");
        // v1 endpoints send expires_in as a string.
        let expires_in = json
            .get("expires_in")
            .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()));
        match (access_token, expires_in) {
            (Some(token), Some(secs)) => Ok(Token {
                access_token: Secret::new(token),
                expires_in: Duration::from_secs(secs),
            }),
            _ => Err(Error::BadResponse(Box::new(Failure {
                http_status: Some(status),
                ..failure(Some(
                    "the token endpoint's answer has no access_token or expires_in".into(),
                ))
            }))),
        }
    }
}
