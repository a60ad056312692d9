//! The machine-action API routes: cancel, get, list, and the calls that create actions.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query as QueryParams, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::gate::Caller;
use crate::odata::Query;
use crate::shared::Shared;
use crate::store::NewAction;
use crate::wire::{api_error, ApiError};

/// The base URL the client used, from its `Host` header, for `@odata` links.
fn base(headers: &HeaderMap) -> String {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}/api")
}

fn entity_context(headers: &HeaderMap) -> String {
    format!("{}/$metadata#MachineActions/$entity", base(headers))
}

/// Reads a JSON object body with a case-sensitive, required `Comment` string.
fn comment_body(body: &[u8]) -> Result<(String, Map<String, Value>), ApiError> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        ApiError::new(
            400,
            "InvalidRequestBody",
            format!("Request body is not valid JSON: {e}"),
        )
    })?;
    let Value::Object(map) = value else {
        return Err(ApiError::new(
            400,
            "InvalidRequestBody",
            "Request body must be a JSON object",
        ));
    };
    match map.get("Comment") {
        Some(Value::String(c)) => Ok((c.clone(), map)),
        None | Some(Value::Null) => Err(ApiError::new(
            400,
            "MissingRequiredParameter",
            "Missing required parameter 'Comment' (parameter names are case-sensitive)",
        )),
        Some(_) => Err(ApiError::new(
            400,
            "InvalidRequestBody",
            "'Comment' must be a string",
        )),
    }
}

fn not_found(id: &str) -> Response {
    api_error(
        404,
        "NotFound",
        &format!("MachineAction with id {id} was not found"),
    )
}

/// `POST /api/machineactions/{id}/cancel`.
pub async fn cancel(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (comment, _) = match comment_body(&body) {
        Ok(parsed) => parsed,
        Err(error) => return error.into_response(),
    };
    let mut state = shared.lock();
    let Some(action) = state.store.get(&id, &shared.config) else {
        return not_found(&id);
    };
    if action.is_final() {
        let status = shared.config.final_cancel_status;
        let code = if status == 409 {
            "Conflict"
        } else {
            "BadRequest"
        };
        let message = format!(
            "Cannot cancel action {} in status {}",
            action.id, action.status
        );
        return api_error(status, code, &message);
    }
    let now = OffsetDateTime::now_utc();
    action.status = "Cancelled".into();
    action.cancellation_requestor = Some(caller.name.clone());
    action.cancellation_comment = Some(comment);
    action.cancelled_at = Some(now);
    action.last_update = now;
    let rendered = action.render(Some(&entity_context(&headers)));
    let id = action.id.clone();
    *state.applied_cancels.entry(id).or_default() += 1;
    (StatusCode::OK, Json(rendered)).into_response()
}

/// `GET /api/machineactions/{id}`.
pub async fn get(
    State(shared): State<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let mut state = shared.lock();
    match state.store.get(&id, &shared.config) {
        Some(action) => Json(action.render(Some(&entity_context(&headers)))).into_response(),
        None => not_found(&id),
    }
}

/// `GET /api/machineactions` with OData options.
pub async fn list(
    State(shared): State<Arc<Shared>>,
    QueryParams(params): QueryParams<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    let query = match Query::parse(&params) {
        Ok(q) => q,
        Err(message) => return api_error(400, "ODataError", &message),
    };
    let mut state = shared.lock();
    let mut selected: Vec<_> = state
        .store
        .all(&shared.config)
        .iter()
        .filter(|a| query.matches(a))
        .collect();
    query.sort(&mut selected);
    let wanted = query.top.unwrap_or(usize::MAX);
    let page_len = wanted.min(shared.config.page_size);
    let page: Vec<Value> = selected
        .iter()
        .skip(query.skip)
        .take(page_len)
        .map(|a| a.render(None))
        .collect();
    let base = base(&headers);
    let mut body = Map::new();
    body.insert(
        "@odata.context".into(),
        format!("{base}/$metadata#MachineActions").into(),
    );
    let next_skip = query.skip + page.len();
    let remaining_wanted = wanted.saturating_sub(page.len());
    let more = page.len() == page_len && next_skip < selected.len() && remaining_wanted > 0;
    body.insert("value".into(), Value::Array(page));
    if more {
        let mut link = url::form_urlencoded::Serializer::new(String::new());
        if let Some(f) = &query.raw_filter {
            link.append_pair("$filter", f);
        }
        if let Some(o) = &query.raw_orderby {
            link.append_pair("$orderby", o);
        }
        if query.top.is_some() {
            link.append_pair("$top", &remaining_wanted.to_string());
        }
        link.append_pair("$skip", &next_skip.to_string());
        body.insert(
            "@odata.nextLink".into(),
            format!("{base}/machineactions?{}", link.finish()).into(),
        );
    }
    Json(Value::Object(body)).into_response()
}

/// The action type each create call makes, and the body key of its scope option.
pub fn create_verb(verb: &str) -> Option<(&'static str, Option<(&'static str, &'static str)>)> {
    Some(match verb {
        "isolate" => ("Isolate", Some(("IsolationType", "Full"))),
        "unisolate" => ("Unisolate", None),
        "runAntiVirusScan" => ("RunAntiVirusScan", Some(("ScanType", "Quick"))),
        "collectInvestigationPackage" => ("CollectInvestigationPackage", None),
        "restrictCodeExecution" => ("RestrictCodeExecution", None),
        "unrestrictCodeExecution" => ("UnrestrictCodeExecution", None),
        _ => return None,
    })
}

/// `POST /api/machines/{machineId}/{verb}`: creates an action (201), or 400
/// `ActiveRequestAlreadyExists` when one of the same type is pending on that machine.
pub async fn create(
    State(shared): State<Arc<Shared>>,
    Extension(caller): Extension<Caller>,
    Path((machine_id, verb)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some((action_type, scope_key)) = create_verb(&verb) else {
        return api_error(404, "ResourceNotFound", &format!("No API named {verb}"));
    };
    let (comment, map) = match comment_body(&body) {
        Ok(parsed) => parsed,
        Err(error) => return error.into_response(),
    };
    let scope = scope_key.map(|(key, default)| {
        map.get(key)
            .and_then(Value::as_str)
            .unwrap_or(default)
            .to_owned()
    });
    let mut state = shared.lock();
    let busy = state
        .store
        .all(&shared.config)
        .iter()
        .any(|a| a.machine_id == machine_id && a.action_type == action_type && !a.is_final());
    if busy {
        return api_error(
            400,
            "ActiveRequestAlreadyExists",
            "Action is already in progress",
        );
    }
    let action = state.store.create(NewAction {
        action_type: action_type.to_owned(),
        machine_id,
        requestor: caller.name.clone(),
        comment,
        scope,
    });
    (
        StatusCode::CREATED,
        Json(action.render(Some(&entity_context(&headers)))),
    )
        .into_response()
}
