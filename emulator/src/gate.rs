//! What every API request goes through before its handler: the request log, fault
//! injection, authentication, permissions and throttling.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::faults::Fault;
use crate::server::ConnKill;
use crate::shared::Shared;
use crate::tokens::Refusal;
use crate::wire::{api_error, default_code, too_many_requests, ApiError};

/// Who is calling, once authenticated.
#[derive(Clone, Debug)]
pub struct Caller {
    /// What identifies the caller for throttling.
    pub id: String,
    /// The app's display name, recorded as requestor.
    pub name: String,
    /// The roles granted; `None` grants all.
    pub roles: Option<Vec<String>>,
}

/// The largest request body read.
const MAX_BODY: usize = 1 << 20;

/// The route of a request (`cancel`, `get`, `list`, `create`, `other`) and the
/// throttling budget it counts against (each create verb has its own).
pub fn classify(method: &Method, path: &str) -> (&'static str, String) {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (method, parts.as_slice()) {
        (&Method::POST, ["api", "machineactions", _, "cancel"]) => ("cancel", "cancel".into()),
        (&Method::GET, ["api", "machineactions", _]) => ("get", "get".into()),
        (&Method::GET, ["api", "machineactions"]) => ("list", "list".into()),
        (&Method::POST, ["api", "machines", _, verb]) => ("create", format!("create:{verb}")),
        (&Method::POST, [_, "oauth2", "token"] | [_, "oauth2", "v2.0", "token"]) => {
            ("token", "token".into())
        }
        _ => ("other", "other".into()),
    }
}

/// Whether `roles` allow a call on `route` (the create verb in `budget`).
fn permitted(roles: &Option<Vec<String>>, route: &str, budget: &str) -> bool {
    let Some(roles) = roles else { return true };
    let has = |wanted: &[&str]| roles.iter().any(|r| wanted.contains(&r.as_str()));
    const FORENSICS: &[&str] = &["Machine.CollectForensics", "Machine.CollectForensic"];
    match route {
        "cancel" => {
            has(FORENSICS)
                || has(&[
                    "Machine.Isolate",
                    "Machine.RestrictExecution",
                    "Machine.Scan",
                    "Machine.Offboard",
                    "Machine.StopAndQuarantine",
                    "Machine.LiveResponse",
                ])
        }
        "get" | "list" => has(&["Machine.Read.All", "Machine.ReadWrite.All"]),
        _ => match budget {
            "create:isolate" | "create:unisolate" => has(&["Machine.Isolate"]),
            "create:runAntiVirusScan" => has(&["Machine.Scan"]),
            "create:collectInvestigationPackage" => has(FORENSICS),
            _ => has(&["Machine.RestrictExecution"]),
        },
    }
}

/// Checks the bearer token.
fn authenticate(shared: &Shared, request: &Request) -> Result<Caller, ApiError> {
    let unauthorized = |m: &str| ApiError::new(401, "Unauthorized", m);
    let value = request
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| unauthorized("Authorization header is missing"))?
        .to_str()
        .map_err(|_| unauthorized("Authorization header is not valid"))?;
    let token = match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            token.trim()
        }
        _ => return Err(unauthorized("Authorization must be a Bearer token")),
    };
    if let Some(verified) = shared.signer.verify(token) {
        let claims = match verified {
            Ok(claims) => claims,
            Err(Refusal::Expired) => return Err(unauthorized("The access token has expired")),
        };
        if shared.lock().revoked.contains(&claims.jti) {
            return Err(unauthorized("The access token has been revoked"));
        }
        return Ok(Caller {
            id: format!("{}/{}", claims.tid, claims.appid),
            name: claims.app_displayname,
            roles: Some(claims.roles),
        });
    }
    if let Some(t) = shared.config.tokens.iter().find(|t| t.token == token) {
        return Ok(Caller {
            id: token.to_owned(),
            name: t.name.clone(),
            roles: t.roles.clone(),
        });
    }
    if shared.config.accept_any_token {
        return Ok(Caller {
            id: token.to_owned(),
            name: shared.config.app_name.clone(),
            roles: None,
        });
    }
    Err(unauthorized("The access token is invalid or has expired"))
}

/// The middleware around every API route.
pub async fn gate(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, MAX_BODY).await.unwrap_or_default();
    let (route, budget) = classify(&parts.method, parts.uri.path());
    let seq = shared.log_request(route, &parts, &bytes);
    let kill = parts.extensions.get::<ConnKill>().cloned();
    let request = Request::from_parts(parts, Body::from(bytes));
    let fault = shared.lock().faults.take(route);
    let response = answer(&shared, request, next, route, &budget, fault.as_ref(), kill).await;
    shared.log_status(seq, response.status().as_u16());
    response
}

async fn answer(
    shared: &Arc<Shared>,
    mut request: Request,
    next: Next,
    route: &str,
    budget: &str,
    fault: Option<&Fault>,
    kill: Option<ConnKill>,
) -> Response {
    if let Some(f) = fault {
        if f.delay_ms > 0 {
            tokio::time::sleep(Duration::from_millis(f.delay_ms)).await;
        }
        if f.drop {
            return drop_connection(kill).await;
        }
        if let Some(body) = &f.body {
            let status = f.status.unwrap_or(200);
            let status = axum::http::StatusCode::from_u16(status).unwrap_or_default();
            return (
                status,
                [(header::CONTENT_TYPE, "application/json")],
                body.clone(),
            )
                .into_response();
        }
        if let Some(status) = f.status {
            if status == 429 {
                return too_many_requests(f.retry_after.as_deref().unwrap_or("1"));
            }
            let code = f.code.as_deref().unwrap_or(default_code(status));
            return api_error(status, code, "Injected fault");
        }
    }
    if route == "token" {
        // The identity platform: no bearer token, no API throttling.
        return next.run(request).await;
    }
    let caller = match authenticate(shared, &request) {
        Ok(caller) => caller,
        Err(error) => return error.into_response(),
    };
    if !permitted(&caller.roles, route, budget) {
        return api_error(
            403,
            "Forbidden",
            "The application does not have any of the required application roles",
        );
    }
    let admitted = shared.lock().throttle.admit(
        &caller.id,
        budget,
        &shared.config.rate_limits,
        Instant::now(),
    );
    if let Err(wait) = admitted {
        // Whole seconds, rounded up, as the service sends them.
        let secs = wait.as_millis().div_ceil(1000).max(1);
        return too_many_requests(&secs.to_string());
    }
    request.extensions_mut().insert(caller);
    let response = next.run(request).await;
    match fault {
        Some(f) if f.apply_then_drop => drop_connection(kill).await,
        Some(f) if f.truncate => truncate(response).await,
        _ => response,
    }
}

/// Closes the client's connection without an answer; never returns.
async fn drop_connection(kill: Option<ConnKill>) -> Response {
    if let Some(kill) = kill {
        kill.fire();
        std::future::pending::<()>().await;
    }
    // Not served by our accept loop (never happens): answer something visible.
    api_error(500, "InternalServerError", "could not drop the connection")
}

/// The same answer with only the first half of its body.
async fn truncate(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes.slice(..bytes.len() / 2)))
}
