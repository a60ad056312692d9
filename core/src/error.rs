//! The one error type of the library, and its stable kinds.

use std::fmt;
use std::time::Duration;

use crate::action::{ActionStatus, MachineAction};

/// The kind of an [`Error`], with a number that never changes: the C ABI publishes
/// these numbers as `mde_status` values, and every binding maps them one to one.
/// (0, 1, 2 and 14 belong to the C ABI: OK, NULL_ARGUMENT, INVALID_UTF8, PANIC.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(i32)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The caller passed something invalid; nothing was sent.
    InvalidArgument = 3,
    /// The service has no action with that id (HTTP 404).
    NotFound = 4,
    /// The action is already final (succeeded, failed, timed out or cancelled).
    NotCancellable = 5,
    /// The token is missing, invalid or expired, or no token could be obtained.
    Unauthorized = 6,
    /// The token is valid but lacks the permission the call needs (HTTP 403).
    Forbidden = 7,
    /// The service throttled the call (HTTP 429), or the client-side budget would have
    /// needed a longer wait than `max_wait_ms`.
    RateLimited = 8,
    /// No answer came within `timeout_ms`.
    Timeout = 9,
    /// The connection failed or dropped.
    Network = 10,
    /// The service failed (HTTP 5xx).
    ServerError = 11,
    /// The service answered something this library cannot read.
    BadResponse = 12,
    /// Any other HTTP error (for example a 400 with the service's code).
    Api = 13,
}

impl ErrorKind {
    /// The stable number of this kind (the C ABI's `mde_status`).
    pub fn code(self) -> i32 {
        self as i32
    }

    /// The stable upper-case name of this kind, such as `"NOT_FOUND"`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "INVALID_ARGUMENT",
            ErrorKind::NotFound => "NOT_FOUND",
            ErrorKind::NotCancellable => "NOT_CANCELLABLE",
            ErrorKind::Unauthorized => "UNAUTHORIZED",
            ErrorKind::Forbidden => "FORBIDDEN",
            ErrorKind::RateLimited => "RATE_LIMITED",
            ErrorKind::Timeout => "TIMEOUT",
            ErrorKind::Network => "NETWORK",
            ErrorKind::ServerError => "SERVER_ERROR",
            ErrorKind::BadResponse => "BAD_RESPONSE",
            ErrorKind::Api => "API_ERROR",
        }
    }
}

/// What is known about a failed call: which call, what the service answered (when it
/// answered), and how many attempts were made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Failure {
    /// The call that failed, such as `cancel of machine action 988c...`.
    pub context: String,
    /// The HTTP status of the last answer, `None` when no answer came.
    pub http_status: Option<u16>,
    /// The service's error `code` (for example `ActiveRequestAlreadyExists`).
    pub code: Option<String>,
    /// The service's error `message`, or a description of what went wrong.
    pub message: Option<String>,
    /// The service's correlation id (`target`), to quote to Microsoft support.
    pub target: Option<String>,
    /// How many HTTP attempts were made (0 when nothing was sent).
    pub attempts: u32,
}

impl Failure {
    /// A failure of `context` with a message and nothing else.
    pub(crate) fn described(context: &str, message: String) -> Self {
        Failure {
            context: context.to_owned(),
            message: Some(message),
            ..Failure::default()
        }
    }
}

/// Every error this library returns. Match on [`Error::kind`] to branch; the variant
/// data gives the details.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// The caller passed something invalid; nothing was sent.
    InvalidArgument {
        /// What was wrong, naming the value or key.
        message: String,
    },
    /// No action has that id (HTTP 404).
    NotFound(Box<Failure>),
    /// The action is already final and cannot be cancelled.
    NotCancellable {
        /// The call and the answer that revealed it.
        failure: Box<Failure>,
        /// The action's current (final) status.
        status: ActionStatus,
        /// The action as read from the service.
        action: Box<MachineAction>,
    },
    /// The token is missing, invalid or expired (HTTP 401), or the sign-in failed.
    Unauthorized(Box<Failure>),
    /// The token lacks the permission the call needs (HTTP 403).
    Forbidden(Box<Failure>),
    /// Throttled by the service (HTTP 429) or by the client-side budget.
    RateLimited {
        /// The call and the answer, if the service answered.
        failure: Box<Failure>,
        /// How long until budget frees up, when known.
        retry_after: Option<Duration>,
    },
    /// No answer within the per-attempt timeout.
    Timeout {
        /// The call that timed out.
        failure: Box<Failure>,
        /// The per-attempt timeout that expired.
        timeout: Duration,
    },
    /// The connection failed or dropped.
    Network(Box<Failure>),
    /// The service failed (HTTP 5xx).
    ServerError(Box<Failure>),
    /// The answer could not be read (malformed or truncated JSON, unexpected shape).
    BadResponse(Box<Failure>),
    /// Any other HTTP error.
    Api(Box<Failure>),
}

impl Error {
    /// Builds an `InvalidArgument` error.
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Error::InvalidArgument {
            message: message.into(),
        }
    }

    /// The stable kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::InvalidArgument { .. } => ErrorKind::InvalidArgument,
            Error::NotFound(_) => ErrorKind::NotFound,
            Error::NotCancellable { .. } => ErrorKind::NotCancellable,
            Error::Unauthorized(_) => ErrorKind::Unauthorized,
            Error::Forbidden(_) => ErrorKind::Forbidden,
            Error::RateLimited { .. } => ErrorKind::RateLimited,
            Error::Timeout { .. } => ErrorKind::Timeout,
            Error::Network(_) => ErrorKind::Network,
            Error::ServerError(_) => ErrorKind::ServerError,
            Error::BadResponse(_) => ErrorKind::BadResponse,
            Error::Api(_) => ErrorKind::Api,
        }
    }

    /// The failure details, for every kind but `InvalidArgument`.
    pub fn failure(&self) -> Option<&Failure> {
        match self {
            Error::InvalidArgument { .. } => None,
            Error::NotFound(f)
            | Error::Unauthorized(f)
            | Error::Forbidden(f)
            | Error::Network(f)
            | Error::ServerError(f)
            | Error::BadResponse(f)
            | Error::Api(f) => Some(f.as_ref()),
            Error::NotCancellable { failure, .. }
            | Error::RateLimited { failure, .. }
            | Error::Timeout { failure, .. } => Some(failure.as_ref()),
        }
    }

    /// The HTTP status of the service's answer, if one came.
    pub fn http_status(&self) -> Option<u16> {
        self.failure().and_then(|f| f.http_status)
    }

    /// The service's error code, if it sent one.
    pub fn code(&self) -> Option<&str> {
        self.failure().and_then(|f| f.code.as_deref())
    }

    /// The service's correlation id, if it sent one.
    pub fn target(&self) -> Option<&str> {
        self.failure().and_then(|f| f.target.as_deref())
    }

    /// The service's own message (or, without one, what went wrong).
    pub fn service_message(&self) -> Option<&str> {
        self.failure().and_then(|f| f.message.as_deref())
    }

    /// How long to wait before budget frees up, for `RateLimited`.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The action's current status, for `NotCancellable`.
    pub fn action_status(&self) -> Option<&ActionStatus> {
        match self {
            Error::NotCancellable { status, .. } => Some(status),
            _ => None,
        }
    }

    /// How many HTTP attempts were made before giving up.
    pub fn attempts(&self) -> u32 {
        self.failure().map_or(0, |f| f.attempts)
    }

    /// What to do next, for the message.
    fn advice(&self) -> &'static str {
        match self {
            Error::InvalidArgument { .. } => "",
            Error::NotFound(_) => "check the id: it must be a machine action id, not a machine id",
            Error::NotCancellable { .. } => "nothing to cancel",
            Error::Unauthorized(_) => {
                "check the token or the app credentials, the tenant and the cloud"
            }
            Error::Forbidden(_) => {
                "grant the app one of Machine.Isolate, Machine.Scan, Machine.CollectForensics, \
                 Machine.RestrictExecution, Machine.Offboard, Machine.StopAndQuarantine, \
                 Machine.LiveResponse (to cancel) or Machine.Read.All (to read), with admin consent"
            }
            Error::RateLimited { .. } => "wait for the budget to free up, then retry",
            Error::Timeout { .. } => "retry later, or raise timeout_ms",
            Error::Network(_) => "check connectivity, proxies and the base URL",
            Error::ServerError(_) => "the service failed: retry later",
            Error::BadResponse(_) => {
                "the answer was not the documented entity: report it with the correlation id"
            }
            Error::Api(_) => "the service refused the request: see its code and message",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let failure = match self {
            Error::InvalidArgument { message } => return write!(f, "invalid argument: {message}"),
            _ => self.failure().expect("every other kind has a failure"),
        };
        write!(f, "{}: ", failure.context)?;
        match self {
            Error::NotCancellable { status, .. } => {
                write!(f, "not cancellable, the action is already {status}")?
            }
            Error::RateLimited { retry_after, .. } => {
                f.write_str("rate limited")?;
                if let Some(wait) = retry_after {
                    write!(f, ", budget frees up in {:.3} s", wait.as_secs_f64())?;
                }
            }
            Error::Timeout { timeout, .. } => {
                write!(f, "no answer within {} ms", timeout.as_millis())?
            }
            Error::NotFound(_) => f.write_str("not found")?,
            Error::Unauthorized(_) => f.write_str("unauthorized")?,
            Error::Forbidden(_) => f.write_str("forbidden")?,
            Error::Network(_) => f.write_str("network error")?,
            Error::ServerError(_) => f.write_str("server error")?,
            Error::BadResponse(_) => f.write_str("unreadable response")?,
            Error::Api(_) => f.write_str("request refused")?,
            Error::InvalidArgument { .. } => unreachable!(),
        }
        let mut details = Vec::new();
        if let Some(status) = failure.http_status {
            details.push(format!("HTTP {status}"));
        }
        if let Some(code) = &failure.code {
            details.push(code.clone());
        }
        if let Some(message) = &failure.message {
            details.push(format!("{message:?}"));
        }
        if let Some(target) = &failure.target {
            details.push(format!("correlation id {target}"));
        }
        if failure.attempts > 1 {
            details.push(format!("after {} attempts", failure.attempts));
        }
        if !details.is_empty() {
            write!(f, " ({})", details.join(", "))?;
        }
        write!(f, "; {}", self.advice())
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_the_published_numbers() {
        let pairs = [
            (ErrorKind::InvalidArgument, 3, "INVALID_ARGUMENT"),
            (ErrorKind::NotFound, 4, "NOT_FOUND"),
            (ErrorKind::NotCancellable, 5, "NOT_CANCELLABLE"),
            (ErrorKind::Unauthorized, 6, "UNAUTHORIZED"),
            (ErrorKind::Forbidden, 7, "FORBIDDEN"),
            (ErrorKind::RateLimited, 8, "RATE_LIMITED"),
            (ErrorKind::Timeout, 9, "TIMEOUT"),
            (ErrorKind::Network, 10, "NETWORK"),
            (ErrorKind::ServerError, 11, "SERVER_ERROR"),
            (ErrorKind::BadResponse, 12, "BAD_RESPONSE"),
            (ErrorKind::Api, 13, "API_ERROR"),
        ];
        for (kind, code, name) in pairs {
            assert_eq!(kind.code(), code);
            assert_eq!(kind.name(), name);
        }
    }

    #[test]
    fn display_gives_the_service_details_and_advice() {
        let err = Error::Api(Box::new(Failure {
            context: "cancel of machine action x".into(),
            http_status: Some(400),
            code: Some("InvalidRequestBody".into()),
            message: Some("bad body".into()),
            target: Some("c0ffee".into()),
            attempts: 2,
        }));
        let text = err.to_string();
        for part in [
            "cancel of machine action x",
            "HTTP 400",
            "InvalidRequestBody",
            "\"bad body\"",
            "correlation id c0ffee",
            "after 2 attempts",
            "refused",
        ] {
            assert!(text.contains(part), "{part} missing from {text}");
        }
    }
}
