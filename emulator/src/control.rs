//! The control routes under `/_emulator/`, for tests: seeding, faults, the request
//! log, counters and reset. They need no token and are never rate limited.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::Value;

use crate::faults::Fault;
use crate::shared::Shared;
use crate::wire::api_error;

/// The control routes.
pub fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/_emulator/actions", post(seed))
        .route("/_emulator/faults", post(add_faults).delete(clear_faults))
        .route("/_emulator/requests", get(requests).delete(clear_requests))
        .route("/_emulator/stats", get(stats))
        .route("/_emulator/reset", post(reset))
        .route("/_emulator/revoke", post(revoke))
}

async fn seed(State(shared): State<Arc<Shared>>, Json(spec): Json<Value>) -> Response {
    match shared.seed(spec) {
        Ok(actions) => (StatusCode::CREATED, Json(Value::Array(actions))).into_response(),
        Err(message) => api_error(400, "InvalidInput", &message),
    }
}

async fn add_faults(State(shared): State<Arc<Shared>>, Json(spec): Json<Value>) -> Response {
    let items = match spec {
        Value::Array(items) => items,
        other => vec![other],
    };
    let faults: Result<Vec<Fault>, _> = items.into_iter().map(serde_json::from_value).collect();
    match faults {
        Ok(faults) => {
            let mut state = shared.lock();
            for f in faults {
                state.faults.add(f);
            }
            StatusCode::NO_CONTENT.into_response()
        }
        Err(e) => api_error(400, "InvalidInput", &e.to_string()),
    }
}

async fn clear_faults(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.lock().faults.clear();
    StatusCode::NO_CONTENT
}

async fn requests(State(shared): State<Arc<Shared>>) -> Response {
    Json(shared.lock().log.clone()).into_response()
}

async fn clear_requests(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.lock().log.clear();
    StatusCode::NO_CONTENT
}

async fn stats(State(shared): State<Arc<Shared>>) -> Response {
    let state = shared.lock();
    Json(serde_json::json!({
        "applied_cancels": state.applied_cancels,
        "requests": state.log.len(),
        "throttled": state.log.iter().filter(|r| r.status == Some(429)).count(),
        "token_requests": state.log.iter().filter(|r| r.route == "token").count(),
    }))
    .into_response()
}

async fn revoke(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.revoke_tokens();
    StatusCode::NO_CONTENT
}

async fn reset(State(shared): State<Arc<Shared>>) -> StatusCode {
    shared.reset();
    StatusCode::NO_CONTENT
}
