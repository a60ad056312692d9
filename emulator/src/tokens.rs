//! The identity platform's side: the v2 and v1 token endpoints for registered apps,
//! and the verification of the tokens they issue on every API call.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::config::RegisteredApp;
use crate::shared::Shared;

/// The claims of an issued access token (those a real app-only token carries that
/// the emulator uses).
#[derive(Serialize, Deserialize)]
pub struct AccessClaims {
    pub aud: String,
    pub iss: String,
    pub iat: u64,
    pub nbf: u64,
    pub exp: u64,
    pub appid: String,
    pub app_displayname: String,
    pub tid: String,
    pub roles: Vec<String>,
    pub oid: String,
    pub idtyp: String,
    pub jti: String,
}

/// The key this emulator instance signs its tokens with (HS256, random per instance).
pub struct Signer {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

impl Default for Signer {
    fn default() -> Self {
        let secret = format!("{}{}", uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
        Signer {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
        }
    }
}

/// Why a token of ours was refused by the signature check.
pub enum Refusal {
    Expired,
}

impl Signer {
    /// The claims of a token this emulator issued; `None` for anything else (not a
    /// JWT, or signed by someone else); `Err` for one of ours that is expired.
    pub fn verify(&self, token: &str) -> Option<Result<AccessClaims, Refusal>> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.validate_aud = false;
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp"]);
        match jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &validation) {
            Ok(data) => Some(Ok(data.claims)),
            Err(e) if matches!(e.kind(), jsonwebtoken::errors::ErrorKind::ExpiredSignature) => {
                Some(Err(Refusal::Expired))
            }
            Err(_) => None,
        }
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// An error of the identity platform, before it is rendered.
struct AadError {
    status: u16,
    error: &'static str,
    code: u32,
    message: String,
}

impl IntoResponse for AadError {
    fn into_response(self) -> Response {
        aad_error(self.status, self.error, self.code, &self.message)
    }
}

/// An error answer of the identity platform: `error`, `error_description` starting
/// with the AADSTS number, `error_codes`, and the correlation ids.
fn aad_error(status: u16, error: &str, code: u32, message: &str) -> Response {
    let correlation = uuid::Uuid::new_v4().to_string();
    let trace = uuid::Uuid::new_v4().to_string();
    let body = serde_json::json!({
        "error": error,
        "error_description": format!("AADSTS{code}: {message} Trace ID: {trace} Correlation ID: {correlation}"),
        "error_codes": [code],
        "trace_id": trace,
        "correlation_id": correlation,
    });
    (
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        Json(body),
    )
        .into_response()
}

/// `POST /{tenant}/oauth2/v2.0/token` (with `scope`).
pub async fn token_v2(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let audience = format!("{}/{tenant}/oauth2/v2.0/token", origin(&headers));
    issue(&shared, &tenant, &form, &audience, true)
}

/// `POST /{tenant}/oauth2/token` (v1, with `resource`).
pub async fn token_v1(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let audience = format!("{}/{tenant}/oauth2/token", origin(&headers));
    issue(&shared, &tenant, &form, &audience, false)
}

fn origin(headers: &HeaderMap) -> String {
    let host = headers
        .get("host")
        .and_then(|h| h.to_str().ok())
        .unwrap_or("localhost");
    format!("http://{host}")
}

fn issue(
    shared: &Shared,
    tenant: &str,
    form: &HashMap<String, String>,
    audience: &str,
    v2: bool,
) -> Response {
    let field = |k: &str| form.get(k).map(String::as_str).filter(|v| !v.is_empty());
    if field("grant_type") != Some("client_credentials") {
        return aad_error(
            400,
            "unsupported_grant_type",
            70003,
            "The app requested an unsupported grant type.",
        );
    }
    let Some(client_id) = field("client_id") else {
        return aad_error(
            400,
            "invalid_request",
            900144,
            "The request body must contain the following parameter: 'client_id'.",
        );
    };
    let Some(app) = shared
        .config
        .apps
        .iter()
        .find(|a| a.client_id.eq_ignore_ascii_case(client_id))
    else {
        return aad_error(400, "unauthorized_client", 700016, &format!("Application with identifier '{client_id}' was not found in the directory '{tenant}'."));
    };
    if !app.tenant_id.eq_ignore_ascii_case(tenant) {
        return aad_error(
            400,
            "invalid_request",
            90002,
            &format!("Tenant '{tenant}' not found."),
        );
    }
    let resource = if v2 {
        match field("scope").and_then(|s| s.strip_suffix("/.default")) {
            Some(r) => r.to_owned(),
            None => return aad_error(400, "invalid_scope", 1002012, "The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier."),
        }
    } else {
        match field("resource") {
            Some(r) => r.to_owned(),
            None => {
                return aad_error(
                    400,
                    "invalid_request",
                    900144,
                    "The request body must contain the following parameter: 'resource'.",
                )
            }
        }
    };
    if let Err(refused) = authenticate(app, form, audience) {
        return refused.into_response();
    }
    let issued = now();
    let lifetime = shared.config.token_lifetime;
    let claims = AccessClaims {
        aud: resource.clone(),
        iss: format!("https://sts.windows.net/{}/", app.tenant_id),
        iat: issued,
        nbf: issued,
        // Rounded up: the token never expires before the client expects it to.
        exp: issued + lifetime.as_secs() + u64::from(lifetime.subsec_nanos() > 0),
        appid: app.client_id.clone(),
        app_displayname: app.display_name.clone(),
        tid: app.tenant_id.clone(),
        roles: app.roles.clone(),
        oid: uuid::Uuid::new_v4().to_string(),
        idtyp: "app".into(),
        jti: uuid::Uuid::new_v4().to_string(),
    };
    let token = match jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &shared.signer.encoding,
    ) {
        Ok(t) => t,
        Err(e) => return aad_error(500, "server_error", 90000, &e.to_string()),
    };
    shared.lock().issued.push(claims.jti.clone());
    let mut body = serde_json::json!({
        "token_type": "Bearer",
        "expires_in": lifetime.as_secs(),
        "ext_expires_in": lifetime.as_secs(),
        "access_token": token,
    });
    if !v2 {
        // v1 sends numbers as strings, and says which resource the token is for.
        body["expires_in"] = lifetime.as_secs().to_string().into();
        body["expires_on"] = claims.exp.to_string().into();
        body["resource"] = resource.into();
    }
    Json(body).into_response()
}

/// Checks the app's secret or client assertion.
fn authenticate(
    app: &RegisteredApp,
    form: &HashMap<String, String>,
    audience: &str,
) -> Result<(), AadError> {
    let invalid = |code: u32, message: &str| AadError {
        status: 401,
        error: "invalid_client",
        code,
        message: message.to_owned(),
    };
    if let Some(secret) = form.get("client_secret") {
        return match &app.client_secret {
            Some(expected) if expected == secret => Ok(()),
            _ => Err(invalid(7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app.")),
        };
    }
    let Some(assertion) = form.get("client_assertion") else {
        return Err(invalid(7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."));
    };
    if form.get("client_assertion_type").map(String::as_str)
        != Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
    {
        return Err(AadError {
            status: 400,
            error: "invalid_request",
            code: 50027,
            message: "Invalid client_assertion_type.".into(),
        });
    }
    let Some(pem_text) = &app.certificate_pem else {
        return Err(invalid(
            700027,
            "The application has no certificate registered.",
        ));
    };
    let (thumbprint, key) = certificate_key(pem_text).map_err(|why| invalid(700027, &why))?;
    let header = jsonwebtoken::decode_header(assertion)
        .map_err(|_| invalid(700027, "Client assertion is not a valid JWT."))?;
    if header.x5t.as_deref() != Some(thumbprint.as_str()) {
        return Err(invalid(700027, "The certificate used to sign the client assertion (x5t) is not registered on the application."));
    }
    #[derive(Deserialize)]
    struct Assertion {
        iss: String,
        sub: String,
    }
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[audience]);
    validation.leeway = 0;
    let claims = jsonwebtoken::decode::<Assertion>(assertion, &key, &validation).map_err(|e| {
        match e.kind() {
            jsonwebtoken::errors::ErrorKind::ExpiredSignature => invalid(
                700024,
                "Client assertion is not within its valid time range.",
            ),
            jsonwebtoken::errors::ErrorKind::InvalidAudience => invalid(
                700212,
                "No matching federated identity record found for presented assertion audience.",
            ),
            _ => invalid(700027, "Client assertion contains an invalid signature."),
        }
    })?;
    if !claims.claims.iss.eq_ignore_ascii_case(&app.client_id)
        || claims.claims.sub != claims.claims.iss
    {
        return Err(invalid(
            700023,
            "Client assertion audience claim does not match Realm issuer.",
        ));
    }
    Ok(())
}

/// The registered certificate's SHA-1 thumbprint (base64url) and RSA public key.
fn certificate_key(pem_text: &str) -> Result<(String, DecodingKey), String> {
    let block = pem::parse_many(pem_text)
        .map_err(|e| e.to_string())?
        .into_iter()
        .find(|b| b.tag() == "CERTIFICATE")
        .ok_or("no CERTIFICATE in the registration")?;
    let der = block.contents();
    let (_, cert) = x509_parser::parse_x509_certificate(der).map_err(|e| e.to_string())?;
    let key = DecodingKey::from_rsa_der(&cert.tbs_certificate.subject_pki.subject_public_key.data);
    let digest = ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, der);
    Ok((
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(digest.as_ref()),
        key,
    ))
}
