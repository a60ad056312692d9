//! cancel_action against the emulator over real HTTP.

mod common;

use common::*;
use mde_core::{ActionStatus, ErrorKind, USER_AGENT};
use mde_emulator::{Emulator, EmulatorConfig, Fault};
use serde_json::json;

fn fault(route: &str) -> Fault {
    Fault {
        route: route.into(),
        count: 1,
        ..Fault::default()
    }
}

#[tokio::test]
async fn cancel_sends_exactly_the_documented_request() {
    let emu = emulator();
    let id = seed(&emu, json!({"status": "Pending", "type": "Isolate"}));
    let comment = "isolé par erreur 🚫 \"quoted\" \\ <tag>";
    let action = client(&emu).cancel_action(&id, comment).await.unwrap();

    assert_eq!(action.id, id.as_str());
    assert_eq!(action.status, ActionStatus::Cancelled);
    assert_eq!(action.cancellation_comment.as_deref(), Some(comment));
    assert_eq!(
        action.cancellation_requestor.as_deref(),
        Some("mde-emulator app")
    );
    assert!(action.cancellation_date_time_utc.is_some());

    let log = emu.requests();
    assert_eq!(log.len(), 1, "{log:?}");
    let r = &log[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, format!("/api/machineactions/{id}/cancel"));
    assert_eq!(r.headers["authorization"], "Bearer [redacted]");
    assert_eq!(r.headers["content-type"], "application/json");
    assert_eq!(r.headers["accept"], "application/json");
    assert_eq!(r.headers["user-agent"], USER_AGENT);
    assert!(USER_AGENT.starts_with(&format!("mde-cancel/{}", env!("CARGO_PKG_VERSION"))));
    let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(body, json!({ "Comment": comment }));
    assert_eq!(emu.applied_cancels(id.as_str()), 1);
}

#[tokio::test]
async fn the_token_is_sent_as_a_bearer_header() {
    // The emulator only knows this exact token: a wrong header would be a 401.
    let emu = Emulator::start(EmulatorConfig {
        accept_any_token: false,
        tokens: vec![mde_emulator::StaticToken {
            token: TOKEN.into(),
            roles: None,
            name: "exact".into(),
        }],
        ..EmulatorConfig::default()
    })
    .unwrap();
    let id = seed(&emu, json!({}));
    let action = client(&emu).cancel_action(&id, "x").await.unwrap();
    assert_eq!(action.cancellation_requestor.as_deref(), Some("exact"));
}

#[tokio::test]
async fn unknown_action_is_not_found_with_the_service_details() {
    let emu = emulator();
    let err = client(&emu)
        .cancel_action(&unknown_id(), "x")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.http_status(), Some(404));
    assert_eq!(err.code(), Some("NotFound"));
    assert!(err.target().is_some_and(|t| t.len() == 36), "{err:?}");
    assert!(err.to_string().contains("machine action id"), "{err}");
}

async fn final_action_is_not_cancellable(final_cancel_status: u16) {
    let emu = Emulator::start(EmulatorConfig {
        final_cancel_status,
        ..EmulatorConfig::default()
    })
    .unwrap();
    for status in ["Succeeded", "Failed", "TimeOut", "Cancelled"] {
        emu.clear_requests();
        let id = seed(&emu, json!({ "status": status }));
        let err = client(&emu)
            .cancel_action(&id, "too late")
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotCancellable, "{status}: {err}");
        assert_eq!(err.action_status().unwrap().as_str(), status);
        assert_eq!(err.http_status(), Some(final_cancel_status));
        assert!(err.to_string().contains(status), "{err}");
        let routes: Vec<_> = emu.requests().iter().map(|r| r.route.clone()).collect();
        assert_eq!(routes, ["cancel", "get"]);
        assert_eq!(emu.applied_cancels(id.as_str()), 0);
    }
}

#[tokio::test]
async fn final_action_is_not_cancellable_on_400() {
    final_action_is_not_cancellable(400).await;
}

#[tokio::test]
async fn final_action_is_not_cancellable_on_409() {
    final_action_is_not_cancellable(409).await;
}

#[tokio::test]
async fn other_400_on_a_pending_action_is_an_api_error_with_its_code() {
    let emu = emulator();
    let id = seed(&emu, json!({"status": "InProgress"}));
    emu.inject(Fault {
        status: Some(400),
        code: Some("InvalidRequestBody".into()),
        ..fault("cancel")
    });
    let err = client(&emu).cancel_action(&id, "x").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.http_status(), Some(400));
    assert_eq!(err.code(), Some("InvalidRequestBody"));
    assert_eq!(err.service_message(), Some("Injected fault"));
    let routes: Vec<_> = emu.requests().iter().map(|r| r.route.clone()).collect();
    assert_eq!(routes, ["cancel", "get"], "one GET to look at the action");
}

#[tokio::test]
async fn wrong_token_is_unauthorized_and_never_shown() {
    let emu = Emulator::start(EmulatorConfig {
        accept_any_token: false,
        ..EmulatorConfig::default()
    })
    .unwrap();
    let id = seed(&emu, json!({}));
    let c = client(&emu);
    let err = c.cancel_action(&id, "x").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unauthorized);
    assert_eq!(err.http_status(), Some(401));
    assert_eq!(err.code(), Some("Unauthorized"));
    for text in [err.to_string(), format!("{err:?}"), format!("{c:?}")] {
        assert!(!text.contains(TOKEN), "token leaked: {text}");
    }
}

#[tokio::test]
async fn missing_permission_is_forbidden() {
    let emu = Emulator::start(EmulatorConfig {
        accept_any_token: false,
        tokens: vec![mde_emulator::StaticToken {
            token: TOKEN.into(),
            roles: Some(vec!["Machine.Read.All".into()]),
            name: "reader".into(),
        }],
        ..EmulatorConfig::default()
    })
    .unwrap();
    let id = seed(&emu, json!({}));
    let c = client(&emu);
    let err = c.cancel_action(&id, "x").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Forbidden);
    assert_eq!(err.http_status(), Some(403));
    assert!(err.to_string().contains("Machine.Isolate"), "advice: {err}");
    // Reading is allowed with that role.
    assert_eq!(
        c.get_action(&id).await.unwrap().status,
        ActionStatus::Pending
    );
}

#[tokio::test]
async fn throttled_answer_is_rate_limited_with_retry_after() {
    let emu = emulator();
    let id = seed(&emu, json!({}));
    emu.inject(Fault {
        status: Some(429),
        retry_after: Some("7".into()),
        ..fault("cancel")
    });
    let err = client_with(&emu, json!({"max_retries": 0}))
        .cancel_action(&id, "x")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.retry_after(), Some(std::time::Duration::from_secs(7)));
    assert_eq!(err.code(), Some("TooManyRequests"));
}

#[tokio::test]
async fn server_error_is_reported_with_its_status() {
    let emu = emulator();
    let id = seed(&emu, json!({}));
    emu.inject(Fault {
        status: Some(500),
        ..fault("cancel")
    });
    let err = client_with(&emu, json!({"max_retries": 0}))
        .cancel_action(&id, "x")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ServerError);
    assert_eq!(err.http_status(), Some(500));
    assert_eq!(err.code(), Some("InternalServerError"));
}

#[tokio::test]
async fn malformed_and_truncated_bodies_are_bad_responses() {
    let emu = emulator();
    let id = seed(&emu, json!({}));
    emu.inject(Fault {
        body: Some("<html>gateway</html>".into()),
        ..fault("get")
    });
    emu.inject(Fault {
        truncate: true,
        ..fault("get")
    });
    emu.inject(Fault {
        body: Some(r#"{"status": "Pending"}"#.into()),
        ..fault("get")
    });
    let c = client(&emu);
    for _ in 0..3 {
        let err = c.get_action(&id).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BadResponse, "{err}");
        assert_eq!(err.http_status(), Some(200));
    }
    assert!(c.get_action(&id).await.is_ok(), "faults are used up");
}

#[tokio::test]
async fn slow_answer_times_out() {
    let emu = emulator();
    let id = seed(&emu, json!({}));
    emu.inject(Fault {
        delay_ms: 1500,
        ..fault("cancel")
    });
    let started = std::time::Instant::now();
    let err = client_with(&emu, json!({"timeout_ms": 200, "max_retries": 0}))
        .cancel_action(&id, "x")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(err.to_string().contains("200 ms"), "{err}");
    assert!(started.elapsed() < std::time::Duration::from_millis(1400));
}

#[tokio::test]
async fn dropped_connection_is_a_network_error() {
    let emu = emulator();
    let id = seed(&emu, json!({}));
    emu.inject(Fault {
        drop: true,
        ..fault("get")
    });
    let err = client_with(&emu, json!({"max_retries": 0}))
        .get_action(&id)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert_eq!(err.http_status(), None);
}

#[tokio::test]
async fn invalid_input_sends_nothing() {
    let emu = emulator();
    let id = seed(&emu, json!({}));
    let c = client(&emu);
    for comment in ["", "   ", &"x".repeat(4097)] {
        let err = c.cancel_action(&id, comment).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    }
    let no_token = mde_core::Client::new(
        mde_core::Config::from_value(json!({ "base_url": emu.url() })).unwrap(),
    )
    .unwrap();
    let err = no_token.cancel_action(&id, "x").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert!(err.to_string().contains("token"), "{err}");
    assert!(emu.requests().is_empty(), "{:?}", emu.requests());
    assert_eq!(emu.applied_cancels(id.as_str()), 0);
}

#[tokio::test]
async fn cancelling_again_with_the_same_comment_is_idempotent() {
    let emu = emulator();
    let id = seed(&emu, json!({"status": "Pending"}));
    let c = client(&emu);
    c.cancel_action(&id, "same job").await.unwrap();
    let again = c.cancel_action(&id, "same job").await.unwrap();
    assert_eq!(again.status, ActionStatus::Cancelled);
    let err = c.cancel_action(&id, "another job").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotCancellable);
    assert_eq!(emu.applied_cancels(id.as_str()), 1);
}
