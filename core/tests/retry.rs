//! Retries, Retry-After and the reconciliation of a cancel whose answer was lost.

mod common;

use std::time::Duration;

use common::*;
use mde_core::{ActionStatus, ErrorKind};
use mde_emulator::Fault;
use serde_json::json;

fn fault(route: &str, count: u32) -> Fault {
    Fault {
        route: route.into(),
        count,
        ..Fault::default()
    }
}

/// The next `count` calls of `route` answer `status`.
fn fail(emu: &mde_emulator::Emulator, route: &str, status: u16, count: u32) {
    emu.inject(Fault {
        status: Some(status),
        ..fault(route, count)
    });
}

/// Fast backoff so retries do not slow the suite.
fn fast() -> serde_json::Value {
    json!({"retry_base_ms": 20, "retry_cap_ms": 50, "timeout_ms": 400})
}

fn routes(emu: &mde_emulator::Emulator) -> Vec<(String, Option<u16>)> {
    emu.requests()
        .iter()
        .map(|r| (r.route.clone(), r.status))
        .collect()
}

#[tokio::test]
async fn server_errors_are_retried_until_success() {
    let emu = emulator();
    let id = seed(&emu, json!({}));
    fail(&emu, "cancel", 500, 1);
    fail(&emu, "cancel", 503, 1);
    let action = client_with(&emu, fast())
        .cancel_action(&id, "x")
        .await
        .unwrap();
    assert_eq!(action.status, ActionStatus::Cancelled);
    let seen: Vec<_> = routes(&emu).into_iter().map(|(_, s)| s).collect();
    assert_eq!(seen, [Some(500), Some(503), Some(200)]);
}

#[tokio::test]
async fn timeouts_and_dropped_connections_are_retried() {
    let emu = emulator();
    let id = seed(&emu, json!({}));
    emu.inject(Fault {
        delay_ms: 1500,
        ..fault("get", 1)
    });
    emu.inject(Fault {
        drop: true,
        ..fault("get", 1)
    });
    let action = client_with(&emu, fast()).get_action(&id).await.unwrap();
    assert_eq!(action.id, id.as_str());
    assert_eq!(emu.requests().len(), 3);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let emu = emulator();
    let id = seed(&emu, json!({}));
    let c = client_with(&emu, fast());
    let err = c.get_action(&unknown_id()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(err.attempts(), 1);
    fail(&emu, "cancel", 400, 1);
    let err = c.cancel_action(&id, "x").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    // One cancel, and the one read that tells a final action apart.
    assert_eq!(
        routes(&emu)[1..],
        [("cancel".into(), Some(400)), ("get".into(), Some(200))]
    );
}

#[tokio::test]
async fn exhausted_retries_say_how_many_attempts_and_the_last_status() {
    let emu = emulator();
    let id = seed(&emu, json!({}));
    fail(&emu, "get", 502, 1);
    fail(&emu, "get", 503, 3);
    let err = client_with(&emu, fast()).get_action(&id).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ServerError);
    assert_eq!(err.attempts(), 4);
    assert_eq!(err.http_status(), Some(503));
    assert!(err.to_string().contains("after 4 attempts"), "{err}");
    assert!(err.to_string().contains("HTTP 503"), "{err}");
}

#[tokio::test]
async fn retry_after_is_honoured_before_the_next_attempt() {
    let emu = emulator();
    let id = seed(&emu, json!({}));
    emu.inject(Fault {
        status: Some(429),
        retry_after: Some("1".into()),
        ..fault("cancel", 1)
    });
    let action = client_with(&emu, fast())
        .cancel_action(&id, "x")
        .await
        .unwrap();
    assert_eq!(action.status, ActionStatus::Cancelled);
    let log = emu.requests();
    assert_eq!(log.len(), 2);
    let gap = log[1].at_ms - log[0].at_ms;
    assert!(gap >= 1000.0, "retried {gap} ms after a Retry-After of 1 s");
}

#[tokio::test]
async fn retry_after_as_an_http_date_is_honoured() {
    let emu = emulator();
    let id = seed(&emu, json!({}));
    let when = std::time::SystemTime::now() + Duration::from_secs(2);
    emu.inject(Fault {
        status: Some(429),
        retry_after: Some(httpdate_fmt(when)),
        ..fault("get", 1)
    });
    client_with(&emu, fast()).get_action(&id).await.unwrap();
    let log = emu.requests();
    // The date has one-second resolution: at least one second passes.
    assert!(log[1].at_ms - log[0].at_ms >= 1000.0);
}

fn httpdate_fmt(t: std::time::SystemTime) -> String {
    // RFC 7231 IMF-fixdate, formatted by hand to keep httpdate out of the tests.
    let secs = t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let dt = time::OffsetDateTime::from_unix_timestamp(secs).unwrap();
    let days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {:02} {} {} {:02}:{:02}:{:02} GMT",
        days[dt.weekday().number_days_from_monday() as usize],
        dt.day(),
        months[u8::from(dt.month()) as usize - 1],
        dt.year(),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

#[tokio::test]
async fn a_throttled_api_pauses_every_client_sharing_the_budget() {
    let emu = emulator();
    let id = seed(&emu, json!({}));
    emu.inject(Fault {
        status: Some(429),
        retry_after: Some("2".into()),
        ..fault("get", 1)
    });
    let a = client_with(&emu, json!({"max_retries": 0}));
    let b = client_with(&emu, json!({"max_retries": 0, "max_wait_ms": 500}));
    assert_eq!(
        a.get_action(&id).await.unwrap_err().kind(),
        ErrorKind::RateLimited
    );
    let err = b.get_action(&id).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert!(
        err.retry_after().unwrap() > Duration::from_millis(1500),
        "{err:?}"
    );
    assert_eq!(emu.requests().len(), 1, "the second client sent nothing");
    // Another API has its own budget.
    b.cancel_action(&id, "x").await.unwrap();
}

#[tokio::test]
async fn a_lost_cancel_answer_is_reconciled_and_applied_once() {
    let emu = emulator();
    let id = seed(&emu, json!({"status": "InProgress"}));
    emu.inject(Fault {
        apply_then_drop: true,
        ..fault("cancel", 1)
    });
    let action = client_with(&emu, fast())
        .cancel_action(&id, "lost answer")
        .await
        .unwrap();
    assert_eq!(action.status, ActionStatus::Cancelled);
    assert_eq!(action.cancellation_comment.as_deref(), Some("lost answer"));
    assert_eq!(emu.applied_cancels(id.as_str()), 1);
    // The dropped attempt, the refused retry, and the read that reconciled them.
    assert_eq!(
        routes(&emu),
        [
            ("cancel".into(), None),
            ("cancel".into(), Some(400)),
            ("get".into(), Some(200))
        ]
    );
}

#[tokio::test]
async fn a_lost_answer_after_a_server_error_is_reconciled_too() {
    let emu = emulator();
    let id = seed(&emu, json!({}));
    emu.inject(Fault {
        apply_then_drop: true,
        ..fault("cancel", 1)
    });
    fail(&emu, "cancel", 503, 1);
    let action = client_with(&emu, fast())
        .cancel_action(&id, "x")
        .await
        .unwrap();
    assert_eq!(action.status, ActionStatus::Cancelled);
    assert_eq!(emu.applied_cancels(id.as_str()), 1);
}

#[tokio::test]
async fn a_cancel_by_someone_else_during_a_lost_answer_is_not_cancellable() {
    let emu = emulator();
    let id = seed(&emu, json!({}));
    // The first attempt times out; meanwhile the action finishes.
    emu.inject(Fault {
        delay_ms: 1000,
        ..fault("cancel", 1)
    });
    let c = client_with(
        &emu,
        json!({"timeout_ms": 300, "retry_base_ms": 900, "retry_cap_ms": 900}),
    );
    let task = tokio::spawn({
        let c = c.clone();
        let id = id.clone();
        async move { c.cancel_action(&id, "mine").await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    emu.seed(json!({"id": id.as_str(), "status": "Succeeded"}))
        .unwrap();
    let err = task.await.unwrap().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotCancellable, "{err}");
    assert_eq!(err.action_status(), Some(&ActionStatus::Succeeded));
}

#[tokio::test]
async fn a_reconciled_action_that_is_still_pending_is_cancelled_again() {
    let emu = emulator();
    let id = seed(&emu, json!({}));
    // A 503 (outcome unknown), then a 400 for a reason other than finality.
    fail(&emu, "cancel", 503, 1);
    fail(&emu, "cancel", 400, 1);
    let action = client_with(&emu, fast())
        .cancel_action(&id, "x")
        .await
        .unwrap();
    assert_eq!(action.status, ActionStatus::Cancelled);
    let seen: Vec<_> = routes(&emu);
    assert_eq!(
        seen,
        [
            ("cancel".into(), Some(503)),
            ("cancel".into(), Some(400)),
            ("get".into(), Some(200)),
            ("cancel".into(), Some(200))
        ]
    );
}
