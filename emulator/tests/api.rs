//! The emulator over real HTTP: list and OData, creates, timelines, throttling,
//! control routes.

use std::time::Duration;

use mde_emulator::{Emulator, EmulatorConfig, RateWindow};
use reqwest::StatusCode;
use serde_json::{json, Value};

struct Http {
    emu: Emulator,
    http: reqwest::Client,
}

impl Http {
    fn new(config: EmulatorConfig) -> Self {
        Http {
            emu: Emulator::start(config).unwrap(),
            http: reqwest::Client::new(),
        }
    }

    /// `GET target` (a path on the emulator, or a whole URL such as a nextLink),
    /// with `token` as bearer (none: no `Authorization` header).
    async fn get_as(&self, target: &str, token: Option<&str>) -> reqwest::Response {
        let url = if target.starts_with('/') {
            format!("{}{target}", self.emu.url())
        } else {
            target.to_owned()
        };
        let mut request = self.http.get(url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        let r = self.get_as(path, Some("t")).await;
        (r.status(), r.json().await.unwrap())
    }

    async fn post(
        &self,
        path: &str,
        body: Value,
    ) -> (StatusCode, Value, reqwest::header::HeaderMap) {
        let r = self
            .http
            .post(format!("{}{path}", self.emu.url()))
            .bearer_auth("t")
            .json(&body)
            .send()
            .await
            .unwrap();
        let headers = r.headers().clone();
        (r.status(), r.json().await.unwrap_or(Value::Null), headers)
    }

    async fn list(&self, query: &str) -> Vec<Value> {
        let (status, body) = self.get(&format!("/api/machineactions?{query}")).await;
        assert_eq!(status, 200, "{body}");
        body["value"].as_array().unwrap().clone()
    }
}

fn ids(actions: &[Value]) -> Vec<String> {
    actions
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn list_filters_with_eq_in_and_and_dates() {
    let h = Http::new(EmulatorConfig::default());
    let seeded = h
        .emu
        .seed(json!([
            {"status": "Pending", "type": "Isolate", "machineId": "m1", "requestor": "a@x",
             "creationDateTimeUtc": "2024-01-01T00:00:00Z"},
            {"status": "InProgress", "type": "Isolate", "machineId": "m2", "requestor": "b@x",
             "creationDateTimeUtc": "2024-01-02T00:00:00Z"},
            {"status": "Succeeded", "type": "RunAntiVirusScan", "machineId": "m1", "requestor": "a@x",
             "creationDateTimeUtc": "2024-01-03T00:00:00.1234567Z"},
        ]))
        .unwrap();
    let id = |i: usize| seeded[i]["id"].as_str().unwrap().to_owned();
    assert_eq!(ids(&h.list("$filter=status eq 'Pending'").await), [id(0)]);
    assert_eq!(
        ids(&h
            .list("$filter=status in ('Pending','InProgress') and type eq 'Isolate'")
            .await),
        [id(0), id(1)]
    );
    assert_eq!(
        ids(&h
            .list("$filter=machineId eq 'm1' and requestor eq 'a@x'")
            .await),
        [id(0), id(2)]
    );
    assert_eq!(
        ids(&h
            .list("$filter=creationDateTimeUtc gt 2024-01-01T00:00:00Z")
            .await),
        [id(1), id(2)]
    );
    assert_eq!(ids(&h.list("$filter=creationDateTimeUtc ge 2024-01-01T00:00:00Z and creationDateTimeUtc lt 2024-01-03T00:00:00Z").await), [id(0), id(1)]);
    assert_eq!(
        ids(&h
            .list(&format!("$filter=id eq '{}'", id(2).to_uppercase()))
            .await),
        [id(2)]
    );
    assert_eq!(
        ids(&h.list("$orderby=creationDateTimeUtc desc&$top=2").await),
        [id(2), id(1)]
    );
    assert_eq!(ids(&h.list("$skip=1&$top=1").await), [id(1)]);
    let (_, body) = h.get("/api/machineactions").await;
    assert!(body["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("$metadata#MachineActions"));
    assert!(body.get("@odata.nextLink").is_none());
}

#[tokio::test]
async fn unsupported_odata_is_an_odata_error() {
    let h = Http::new(EmulatorConfig::default());
    for q in [
        "$filter=status eq 'Pending' or status eq 'Failed'",
        "$filter=title eq 'x'",
        "$top=10001",
        "$select=id",
        "$orderby=status",
    ] {
        let (status, body) = h.get(&format!("/api/machineactions?{q}")).await;
        assert_eq!(status, 400, "{q}");
        assert_eq!(body["error"]["code"], "ODataError", "{q}");
        assert!(body["error"]["target"].is_string());
    }
}

#[tokio::test]
async fn pages_link_to_the_next_one() {
    let h = Http::new(EmulatorConfig {
        page_size: 4,
        ..EmulatorConfig::default()
    });
    let seeded = h
        .emu
        .seed(Value::Array(
            (0..10).map(|_| json!({"status": "Pending"})).collect(),
        ))
        .unwrap();
    let mut seen = Vec::new();
    let mut url = format!(
        "{}/api/machineactions?$filter=status eq 'Pending'",
        h.emu.url()
    );
    loop {
        let body: Value = h.get_as(&url, Some("t")).await.json().await.unwrap();
        seen.extend(ids(body["value"].as_array().unwrap()));
        match body["@odata.nextLink"].as_str() {
            Some(next) => url = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen, ids(&seeded));
    // $top bounds the total across pages.
    let (_, first) = h.get("/api/machineactions?$top=6").await;
    let next = first["@odata.nextLink"].as_str().unwrap();
    let second: Value = h.get_as(next, Some("t")).await.json().await.unwrap();
    assert_eq!(second["value"].as_array().unwrap().len(), 2);
    assert!(second.get("@odata.nextLink").is_none());
}

#[tokio::test]
async fn creates_answer_201_and_refuse_a_second_pending_request() {
    let h = Http::new(EmulatorConfig::default());
    for (verb, ty, scope) in [
        ("isolate", "Isolate", Some("Selective")),
        ("unisolate", "Unisolate", None),
        ("runAntiVirusScan", "RunAntiVirusScan", Some("Full")),
        (
            "collectInvestigationPackage",
            "CollectInvestigationPackage",
            None,
        ),
        ("restrictCodeExecution", "RestrictCodeExecution", None),
    ] {
        let body = json!({"Comment": "c", "IsolationType": "Selective", "ScanType": "Full"});
        let (status, action, _) = h
            .post(&format!("/api/machines/m1/{verb}"), body.clone())
            .await;
        assert_eq!(status, 201, "{verb}: {action}");
        assert_eq!(action["type"], ty);
        assert_eq!(action["status"], "Pending");
        assert_eq!(action["scope"], scope.map_or(Value::Null, Value::from));
        assert_eq!(action["errorHResult"], 0);
        assert_eq!(action["requestSource"], "PublicApi");
        let created = action["creationDateTimeUtc"].as_str().unwrap();
        assert_eq!(
            created.len(),
            "2024-01-02T13:39:46.7738206Z".len(),
            "{created}"
        );
        let (status, err, _) = h.post(&format!("/api/machines/m1/{verb}"), body).await;
        assert_eq!(status, 400);
        assert_eq!(err["error"]["code"], "ActiveRequestAlreadyExists");
    }
}

#[tokio::test]
async fn bodies_are_checked_like_the_service() {
    let h = Http::new(EmulatorConfig::default());
    let id = h.emu.seed_one(json!({}));
    let path = format!("/api/machineactions/{id}/cancel");
    let (status, err, _) = h.post(&path, json!({"comment": "lower case"})).await;
    assert_eq!(
        (status.as_u16(), err["error"]["code"].as_str()),
        (400, Some("MissingRequiredParameter"))
    );
    let raw = h
        .http
        .post(format!("{}{path}", h.emu.url()))
        .bearer_auth("t")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(raw.status(), 400);
    let err: Value = raw.json().await.unwrap();
    assert_eq!(err["error"]["code"], "InvalidRequestBody");
    let unauthenticated = h.get_as("/api/machineactions", None).await;
    assert_eq!(unauthenticated.status(), 401);
}

#[tokio::test]
async fn actions_progress_on_the_configured_timeline() {
    let h = Http::new(EmulatorConfig {
        pending_for: Some(Duration::from_millis(150)),
        in_progress_for: Some(Duration::from_millis(150)),
        ..EmulatorConfig::default()
    });
    let (_, created, _) = h
        .post("/api/machines/m9/isolate", json!({"Comment": "c"}))
        .await;
    let path = format!("/api/machineactions/{}", created["id"].as_str().unwrap());
    assert_eq!(h.get(&path).await.1["status"], "Pending");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(h.get(&path).await.1["status"], "InProgress");
    tokio::time::sleep(Duration::from_millis(150)).await;
    let done = h.get(&path).await.1;
    assert_eq!(done["status"], "Succeeded");
    assert_ne!(done["lastUpdateDateTimeUtc"], done["creationDateTimeUtc"]);
    // Seeded actions stay where they are unless asked to progress.
    let still = h.emu.seed_one(json!({"status": "Pending"}));
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(h.emu.action(&still).unwrap()["status"], "Pending");
}

#[tokio::test]
async fn throttles_per_caller_and_api_with_retry_after() {
    let h = Http::new(EmulatorConfig {
        rate_limits: vec![RateWindow {
            calls: 2,
            period: Duration::from_millis(1500),
        }],
        ..EmulatorConfig::default()
    });
    for _ in 0..2 {
        assert_eq!(h.get("/api/machineactions").await.0, 200);
    }
    let r = h.get_as("/api/machineactions", Some("t")).await;
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "2", "whole seconds, rounded up");
    let err: Value = r.json().await.unwrap();
    assert_eq!(err["error"]["code"], "TooManyRequests");
    // Another caller, and another API, have their own budgets.
    let other = h.get_as("/api/machineactions", Some("u")).await;
    assert_eq!(other.status(), 200);
    let id = h.emu.seed_one(json!({}));
    assert_eq!(h.get(&format!("/api/machineactions/{id}")).await.0, 200);
}

#[tokio::test]
async fn control_routes_seed_inject_and_report() {
    let h = Http::new(EmulatorConfig::default());
    let (status, seeded, _) = h
        .post(
            "/_emulator/actions",
            json!([{"status": "InProgress", "x-custom": 1}]),
        )
        .await;
    assert_eq!(status, 201);
    let id = seeded[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(seeded[0]["x-custom"], 1);
    let (status, _, _) = h
        .post(
            "/_emulator/faults",
            json!({"route": "get", "status": 503, "count": 2}),
        )
        .await;
    assert_eq!(status, 204);
    for expected in [503, 503, 200] {
        assert_eq!(
            h.get(&format!("/api/machineactions/{id}")).await.0,
            expected
        );
    }
    let (status, bad, _) = h
        .post("/_emulator/faults", json!({"route": "get", "stauts": 503}))
        .await;
    assert_eq!(status, 400, "{bad}");
    h.post(
        &format!("/api/machineactions/{id}/cancel"),
        json!({"Comment": "c"}),
    )
    .await;
    let (_, log) = h.get("/_emulator/requests").await;
    let log = log.as_array().unwrap();
    assert_eq!(log.len(), 4, "control calls are not logged");
    assert_eq!(log[3]["headers"]["authorization"], "Bearer [redacted]");
    assert_eq!(log[3]["body"], r#"{"Comment":"c"}"#);
    let (_, stats) = h.get("/_emulator/stats").await;
    assert_eq!(stats["applied_cancels"][&id], 1);
    h.post("/_emulator/reset", json!({})).await;
    assert_eq!(h.get(&format!("/api/machineactions/{id}")).await.0, 404);
}

mod tokens {
    use super::*;
    use mde_emulator::RegisteredApp;

    const TENANT: &str = "t1";
    const CLIENT: &str = "c1";

    fn with_app(roles: &[&str], lifetime: Duration) -> Http {
        Http::new(EmulatorConfig {
            accept_any_token: false,
            apps: vec![RegisteredApp {
                tenant_id: TENANT.into(),
                client_id: CLIENT.into(),
                client_secret: Some("s".into()),
                roles: roles.iter().map(|r| r.to_string()).collect(),
                display_name: "Reader".into(),
                ..RegisteredApp::default()
            }],
            token_lifetime: lifetime,
            ..EmulatorConfig::default()
        })
    }

    async fn token(h: &Http, path: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
        let r = h
            .http
            .post(format!("{}{path}", h.emu.url()))
            .form(form)
            .send()
            .await
            .unwrap();
        (r.status(), r.json().await.unwrap())
    }

    #[tokio::test]
    async fn v2_and_v1_endpoints_issue_tokens_verified_on_every_call() {
        let h = with_app(&["Machine.Read.All"], Duration::from_secs(60));
        let v2 = [
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT),
            ("client_secret", "s"),
            ("scope", "https://api.securitycenter.microsoft.com/.default"),
        ];
        let (status, body) = token(&h, "/t1/oauth2/v2.0/token", &v2).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            (body["token_type"].as_str(), body["expires_in"].as_u64()),
            (Some("Bearer"), Some(60))
        );
        let v1 = [
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT),
            ("client_secret", "s"),
            ("resource", "https://api.securitycenter.microsoft.com"),
        ];
        let (status, body1) = token(&h, "/t1/oauth2/token", &v1).await;
        assert_eq!(status, 200, "{body1}");
        assert_eq!(body1["expires_in"], "60");
        for b in [&body, &body1] {
            let jwt = b["access_token"].as_str().unwrap();
            let id = h.emu.seed_one(json!({}));
            let ok = h
                .get_as(&format!("/api/machineactions/{id}"), Some(jwt))
                .await;
            assert_eq!(ok.status(), 200);
            // Read-only roles: cancel is forbidden.
            let cancel = h
                .http
                .post(format!("{}/api/machineactions/{id}/cancel", h.emu.url()))
                .bearer_auth(jwt)
                .json(&json!({"Comment": "c"}))
                .send()
                .await
                .unwrap();
            assert_eq!(cancel.status(), 403);
        }
        // A foreign or malformed token is refused.
        for bad in [
            "not-a-jwt",
            "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjk5OTk5OTk5OTl9.c2ln",
        ] {
            let r = h.get_as("/api/machineactions", Some(bad)).await;
            assert_eq!(r.status(), 401, "{bad}");
        }
    }

    #[tokio::test]
    async fn expired_and_revoked_tokens_get_401() {
        let h = with_app(&["Machine.Read.All"], Duration::from_secs(1));
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", CLIENT),
            ("client_secret", "s"),
            ("scope", "api/.default"),
        ];
        let (_, body) = token(&h, "/t1/oauth2/v2.0/token", &form).await;
        let jwt = body["access_token"].as_str().unwrap().to_owned();
        let get = || h.get_as("/api/machineactions", Some(&jwt));
        assert_eq!(get().await.status(), 200);
        h.emu.revoke_tokens();
        let revoked = get().await;
        assert_eq!(revoked.status(), 401);
        let (_, fresh) = token(&h, "/t1/oauth2/v2.0/token", &form).await;
        let fresh = fresh["access_token"].as_str().unwrap().to_owned();
        tokio::time::sleep(Duration::from_millis(2100)).await;
        let expired = h.get_as("/api/machineactions", Some(&fresh)).await;
        assert_eq!(expired.status(), 401);
        let err: Value = expired.json().await.unwrap();
        assert!(err["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expired"));
    }

    #[tokio::test]
    async fn sign_in_errors_carry_aadsts_codes() {
        let h = with_app(&[], Duration::from_secs(60));
        type Case<'a> = (&'a [(&'a str, &'a str)], u16, &'a str, &'a str);
        let cases: [Case; 5] = [
            (
                &[("grant_type", "password")],
                400,
                "unsupported_grant_type",
                "AADSTS70003",
            ),
            (
                &[
                    ("grant_type", "client_credentials"),
                    ("client_id", "nope"),
                    ("client_secret", "s"),
                    ("scope", "a/.default"),
                ],
                400,
                "unauthorized_client",
                "AADSTS700016",
            ),
            (
                &[
                    ("grant_type", "client_credentials"),
                    ("client_id", CLIENT),
                    ("client_secret", "wrong"),
                    ("scope", "a/.default"),
                ],
                401,
                "invalid_client",
                "AADSTS7000215",
            ),
            (
                &[
                    ("grant_type", "client_credentials"),
                    ("client_id", CLIENT),
                    ("client_secret", "s"),
                    ("scope", "a"),
                ],
                400,
                "invalid_scope",
                "AADSTS1002012",
            ),
            (
                &[
                    ("grant_type", "client_credentials"),
                    ("client_id", CLIENT),
                    ("scope", "a/.default"),
                ],
                401,
                "invalid_client",
                "AADSTS7000218",
            ),
        ];
        for (form, status, error, code) in cases {
            let (s, body) = token(&h, "/t1/oauth2/v2.0/token", form).await;
            assert_eq!(
                (s.as_u16(), body["error"].as_str()),
                (status, Some(error)),
                "{body}"
            );
            assert!(
                body["error_description"]
                    .as_str()
                    .unwrap()
                    .starts_with(code),
                "{body}"
            );
            assert!(body["correlation_id"].is_string());
        }
        let (s, body) = token(
            &h,
            "/other-tenant/oauth2/v2.0/token",
            &[
                ("grant_type", "client_credentials"),
                ("client_id", CLIENT),
                ("client_secret", "s"),
                ("scope", "a/.default"),
            ],
        )
        .await;
        assert_eq!(
            (s.as_u16(), body["error_codes"][0].as_u64()),
            (400, Some(90002))
        );
        // The log never holds the secret.
        assert!(h
            .emu
            .requests()
            .iter()
            .all(|r| !r.body.contains("wrong") && r.route == "token"));
    }
}
