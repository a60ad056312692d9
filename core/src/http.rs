//! One HTTP attempt, and how the service's answers become errors.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use http::{Method, Request, Uri};
use http_body_util::Full;
use serde_json::Value;

use crate::action_id::ActionId;
use crate::error::{Error, Failure};
use crate::secret::Secret;
use crate::transport::Transport;

/// The service's APIs; each has its own rate-limit budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Api {
    /// `POST /api/machineactions/{id}/cancel`.
    Cancel,
    /// `GET /api/machineactions/{id}`.
    Get,
    /// `GET /api/machineactions` (OData).
    List,
}

impl Api {
    /// Every API, in the order of their discriminants (budgets are indexed by them).
    pub(crate) const ALL: &'static [Api] = &[Api::Cancel, Api::Get, Api::List];
}

impl Api {
    /// The name used in logs and budget keys.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Api::Cancel => "cancel",
            Api::Get => "get",
            Api::List => "list",
        }
    }
}

/// One request to make, possibly more than once.
pub(crate) struct Call {
    pub api: Api,
    pub method: Method,
    pub url: Uri,
    pub body: Option<Bytes>,
    /// What the call does (`cancel`, `get`, `list of machine actions`).
    pub what: &'static str,
    /// The action it is about, if one.
    pub id: Option<ActionId>,
}

impl Call {
    /// Says which call failed, in errors: `cancel of machine action ...`. Built only
    /// when an error needs it.
    pub(crate) fn context(&self) -> String {
        match &self.id {
            Some(id) => format!("{} of machine action {id}", self.what),
            None => self.what.to_owned(),
        }
    }
}

/// An HTTP answer, whatever its status.
pub(crate) struct Reply {
    pub status: u16,
    /// The only header an answer is read for.
    pub retry_after: Option<HeaderValue>,
    pub body: Bytes,
}

/// Why an attempt got no answer.
pub(crate) enum NoAnswer {
    /// The attempt ran out of time.
    Timeout,
    /// The connection failed or dropped; the text says how. `sent` is false when
    /// the request certainly never reached the service (the connection was refused).
    Network { message: String, sent: bool },
}

/// The `Authorization` header for a bearer token, marked sensitive so that no layer
/// below prints it.
pub(crate) fn bearer(token: &Secret) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| {
        Error::invalid_argument("the token holds characters that cannot be sent in an HTTP header")
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// A request URI, parsed once when the call is made, not on every attempt. `text`
/// is a checked base URL with URI-safe segments (fixed names, GUIDs) or a URL the url
/// crate wrote, so a failure here means a bug; it is reported, not a panic.
pub(crate) fn request_uri(text: String) -> Result<Uri, Error> {
    Uri::try_from(text.as_str())
        .map_err(|e| Error::invalid_argument(format!("cannot send a request to {text}: {e}")))
}

/// Sends one attempt of `call` with the `Authorization` header, and reads the whole
/// answer within `timeout`.
pub(crate) async fn attempt(
    http: &Transport,
    call: &Call,
    authorization: &HeaderValue,
    timeout: Duration,
) -> Result<Reply, NoAnswer> {
    let mut request = Request::new(Full::new(call.body.clone().unwrap_or_default()));
    *request.method_mut() = call.method.clone();
    *request.uri_mut() = call.url.clone();
    let headers = request.headers_mut();
    headers.insert(AUTHORIZATION, authorization.clone());
    headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
    if call.body.is_some() {
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    let response = http.send(request, timeout).await?;
    Ok(Reply {
        status: response.status().as_u16(),
        retry_after: response.headers().get(RETRY_AFTER).cloned(),
        body: response.into_body(),
    })
}

impl NoAnswer {
    /// Whether the service may have received, and applied, the request.
    pub(crate) fn maybe_applied(&self) -> bool {
        match self {
            NoAnswer::Timeout => true,
            NoAnswer::Network { sent, .. } => *sent,
        }
    }

    /// The error for an attempt that got no answer.
    pub(crate) fn into_error(self, context: &str, attempts: u32, timeout: Duration) -> Error {
        let failure = Failure {
            context: context.to_owned(),
            attempts,
            ..Failure::default()
        };
        match self {
            NoAnswer::Timeout => Error::Timeout {
                failure: Box::new(failure),
                timeout,
            },
            NoAnswer::Network { message, .. } => Error::Network(Box::new(Failure {
                message: Some(message),
                ..failure
            })),
        }
    }
}

impl Reply {
    /// Whether the status is 2xx.
    pub(crate) fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The error for a non-2xx answer, with the service's code, message and target.
    pub(crate) fn into_error(self, context: &str, attempts: u32) -> Error {
        let mut failure = Failure {
            context: context.to_owned(),
            http_status: Some(self.status),
            attempts,
            ..Failure::default()
        };
        match serde_json::from_slice::<Value>(&self.body) {
            Ok(body) => {
                let error = body.get("error").unwrap_or(&Value::Null);
                let text = |k: &str| error.get(k).and_then(Value::as_str).map(str::to_owned);
                failure.code = text("code");
                failure.message = text("message");
                failure.target = text("target");
            }
            Err(_) if !self.body.is_empty() => {
                let text = String::from_utf8_lossy(&self.body);
                failure.message = Some(text.chars().take(200).collect());
            }
            Err(_) => {}
        }
        let failure = Box::new(failure);
        match self.status {
            401 => Error::Unauthorized(failure),
            403 => Error::Forbidden(failure),
            404 => Error::NotFound(failure),
            429 => Error::RateLimited {
                retry_after: retry_after(self.retry_after.as_ref(), SystemTime::now()),
                failure,
            },
            500..=599 => Error::ServerError(failure),
            _ => Error::Api(failure),
        }
    }

    /// The body as UTF-8 text, or a `BadResponse` error.
    pub(crate) fn text(&self, context: &str, attempts: u32) -> Result<&str, Error> {
        std::str::from_utf8(&self.body)
            .map_err(|_| self.bad(context, attempts, "the body is not UTF-8"))
    }

    /// A `BadResponse` error about this answer.
    pub(crate) fn bad(&self, context: &str, attempts: u32, why: &str) -> Error {
        Error::BadResponse(Box::new(Failure {
            context: context.to_owned(),
            http_status: Some(self.status),
            message: Some(why.to_owned()),
            attempts,
            ..Failure::default()
        }))
    }
}

/// Reads `Retry-After`: whole seconds, or an HTTP date (time left until it).
pub(crate) fn retry_after(value: Option<&HeaderValue>, now: SystemTime) -> Option<Duration> {
    let text = value?.to_str().ok()?.trim();
    if let Ok(secs) = text.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let when = httpdate::parse_http_date(text).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header::HeaderMap;

    #[test]
    fn request_uris_keep_the_base_path_and_refuse_what_is_not_a_uri() {
        let uri =
            request_uri("https://proxy.example/mde/api/machineactions/x/cancel".into()).unwrap();
        assert_eq!(uri.path(), "/mde/api/machineactions/x/cancel");
        assert_eq!(uri.host(), Some("proxy.example"));
        let e = request_uri("http://h/a b".into()).unwrap_err();
        assert!(e.to_string().contains("http://h/a b"), "{e}");
    }

    #[test]
    fn bearer_header_is_sensitive_and_refuses_control_characters() {
        let h = bearer(&Secret::new("abc")).unwrap();
        assert!(h.is_sensitive());
        assert_eq!(h.to_str().unwrap(), "Bearer abc");
        assert!(bearer(&Secret::new("a\nb")).is_err());
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(
            retry_after(h.get(RETRY_AFTER), SystemTime::now()),
            Some(Duration::from_secs(7))
        );
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:28:30 GMT"),
        );
        assert_eq!(
            retry_after(h.get(RETRY_AFTER), now),
            Some(Duration::from_secs(30))
        );
        h.insert(
            RETRY_AFTER,
            HeaderValue::from_static("Wed, 21 Oct 2015 07:27:00 GMT"),
        );
        assert_eq!(retry_after(h.get(RETRY_AFTER), now), Some(Duration::ZERO));
        h.insert(RETRY_AFTER, HeaderValue::from_static("soon"));
        assert_eq!(retry_after(h.get(RETRY_AFTER), now), None);
    }
}
