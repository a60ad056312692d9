//! The service's wire formats: error bodies and timestamps.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use time::OffsetDateTime;

/// An error the service answers, before it is rendered.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The error code.
    pub code: &'static str,
    /// The message.
    pub message: String,
}

impl ApiError {
    /// An error with this status, code and message.
    pub fn new(status: u16, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        api_error(self.status, self.code, &self.message)
    }
}

/// An error answer in the documented shape, with a fresh correlation id as `target`.
pub fn api_error(status: u16, code: &str, message: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let body = serde_json::json!({
        "error": {
            "code": code,
            "message": message,
            "target": uuid::Uuid::new_v4().to_string(),
        }
    });
    (status, Json(body)).into_response()
}

/// A 429 with `Retry-After`.
pub fn too_many_requests(retry_after: &str) -> Response {
    let mut response = api_error(
        429,
        "TooManyRequests",
        "Rate limit is exceeded. Try again later.",
    );
    if let Ok(value) = HeaderValue::from_str(retry_after) {
        response.headers_mut().insert("retry-after", value);
    }
    response
}

/// The default error code the service uses for a status.
pub fn default_code(status: u16) -> &'static str {
    match status {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        _ => "Error",
    }
}

/// Formats a timestamp as the service does: UTC, seven fractional digits.
pub fn timestamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:07}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.nanosecond() / 100
    )
}

/// Parses an ISO 8601 timestamp (any number of fractional digits; no offset is UTC).
pub fn parse_timestamp(text: &str) -> Option<OffsetDateTime> {
    use time::format_description::well_known::Rfc3339;
    OffsetDateTime::parse(text, &Rfc3339)
        .ok()
        .or_else(|| OffsetDateTime::parse(&format!("{text}Z"), &Rfc3339).ok())
}
