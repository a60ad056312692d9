//! Bulk work against the emulator: listing with filters and paging, cancelling many
//! with one outcome per id, waiting for final states.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::*;
use futures_util::StreamExt;
use mde_core::{ActionId, ErrorKind, ListFilter};
use mde_emulator::{Emulator, EmulatorConfig, Fault, RateWindow};
use serde_json::json;

fn compressed(page_size: usize) -> Emulator {
    Emulator::start(EmulatorConfig {
        rate_limits: vec![
            RateWindow {
                calls: 20,
                period: Duration::from_millis(200),
            },
            RateWindow {
                calls: 100,
                period: Duration::from_millis(2000),
            },
        ],
        page_size,
        ..EmulatorConfig::default()
    })
    .unwrap()
}

fn limits() -> serde_json::Value {
    json!({"rate_limits": [{"calls": 20, "period_ms": 200}, {"calls": 100, "period_ms": 2000}],
           "rate_limit_margin_ms": 15})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_filtered_bulk_cancel_touches_exactly_the_selection() {
    let emu = compressed(50);
    let statuses = ["Pending", "InProgress", "Succeeded", "Failed", "Cancelled"];
    let types = ["Isolate", "RunAntiVirusScan"];
    let requestors = ["playbook@contoso.com", "analyst@contoso.com"];
    let mut expected = HashSet::new();
    for i in 0..500usize {
        let (status, ty, who) = (
            statuses[i % 5],
            types[(i / 5) % 2],
            requestors[(i / 10) % 2],
        );
        let id = emu.seed_one(json!({"status": status, "type": ty, "requestor": who}));
        if ty == "Isolate"
            && who == requestors[0]
            && (status == "Pending" || status == "InProgress")
        {
            expected.insert(id);
        }
    }
    let c = client_with(&emu, limits());
    let filter = ListFilter {
        status: vec!["Pending".into(), "InProgress".into()],
        action_type: vec!["Isolate".into()],
        requestor: Some("playbook@contoso.com".into()),
        ..ListFilter::default()
    };
    let selected: Vec<String> = c
        .list_actions(&filter)
        .map(|a| a.unwrap().id)
        .collect()
        .await;
    assert_eq!(selected.iter().cloned().collect::<HashSet<_>>(), expected);
    assert_eq!(selected.len(), 50);

    let outcomes: Vec<_> = c
        .cancel_actions(&selected, "mistaken playbook run", 8)
        .unwrap()
        .collect()
        .await;
    assert_eq!(outcomes.len(), 50);
    assert!(
        outcomes.iter().all(|o| o.result.name() == "cancelled"),
        "{outcomes:?}"
    );
    let last = &outcomes.last().unwrap().progress;
    assert_eq!(
        (last.done, last.total, last.cancelled, last.other()),
        (50, 50, 50, 0)
    );

    let log = emu.requests();
    let cancelled: HashSet<String> = log
        .iter()
        .filter(|r| r.route == "cancel")
        .map(|r| r.path.split('/').nth(3).unwrap().to_owned())
        .collect();
    assert_eq!(cancelled, expected, "nothing else was touched");
    assert_eq!(log.iter().filter(|r| r.route == "cancel").count(), 50);
    assert!(log.iter().all(|r| r.status != Some(429)), "zero 429s");
    assert!(log.iter().filter(|r| r.route == "list").count() >= 1);
    for id in &expected {
        assert_eq!(emu.applied_cancels(id), 1);
    }
}

#[tokio::test]
async fn listing_follows_next_links_and_stops_at_top() {
    let emu = compressed(7);
    let ids: Vec<String> = (0..30)
        .map(|_| emu.seed_one(json!({"status": "Pending"})))
        .collect();
    emu.seed(json!([{"status": "Failed"}, {"status": "Failed"}]))
        .unwrap();
    let c = client(&emu);
    let filter = ListFilter {
        status: vec!["Pending".into()],
        ..ListFilter::default()
    };
    let listed: Vec<String> = c
        .list_actions(&filter)
        .map(|a| a.unwrap().id)
        .collect()
        .await;
    assert_eq!(listed, ids, "all of them, in order, across pages");
    assert_eq!(
        emu.requests().iter().filter(|r| r.route == "list").count(),
        5
    );

    let top = ListFilter {
        top: Some(10),
        ..filter
    };
    let listed: Vec<String> = c.list_actions(&top).map(|a| a.unwrap().id).collect().await;
    assert_eq!(listed, ids[..10]);
}

#[tokio::test]
async fn a_next_link_to_another_host_is_not_followed() {
    let emu = emulator();
    emu.inject(Fault {
        route: "list".into(),
        count: 1,
        body: Some(r#"{"value": [], "@odata.nextLink": "https://evil.example/api/machineactions?$skip=1"}"#.into()),
        ..Fault::default()
    });
    let results: Vec<_> = client(&emu)
        .list_actions(&ListFilter::default())
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    let err = results[0].as_ref().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BadResponse);
    assert!(err.to_string().contains("evil.example"), "{err}");
    assert_eq!(emu.requests().len(), 1);
}

#[tokio::test]
async fn every_id_gets_one_outcome_in_any_mix() {
    let emu = emulator();
    let pending = emu.seed_one(json!({"status": "Pending"}));
    let failing = emu.seed_one(json!({"status": "Pending"}));
    let done = emu.seed_one(json!({"status": "Succeeded"}));
    let unknown = unknown_id().to_string();
    // The first cancel sent meets a server error, with no retries left.
    emu.inject(Fault {
        route: "cancel".into(),
        count: 1,
        status: Some(503),
        ..Fault::default()
    });
    let ids = [
        failing.as_str(),
        pending.as_str(),
        done.as_str(),
        unknown.as_str(),
        "not-a-guid",
        &pending.to_uppercase(),
    ];
    let c = client_with(&emu, json!({"max_retries": 0}));
    let outcomes: Vec<_> = c.cancel_actions(ids, "mixed", 1).unwrap().collect().await;
    let names: Vec<(&str, &str)> = outcomes
        .iter()
        .map(|o| (o.id.as_str(), o.result.name()))
        .collect();
    assert_eq!(
        names,
        [
            (failing.as_str(), "error"),
            (pending.as_str(), "cancelled"),
            (done.as_str(), "not_cancellable"),
            (unknown.as_str(), "not_found"),
            ("not-a-guid", "invalid_id"),
        ],
        "the duplicate (upper case) is cancelled once"
    );
    let json = outcomes[2].to_json();
    assert_eq!(
        (json["outcome"].as_str(), json["status"].as_str()),
        (Some("not_cancellable"), Some("Succeeded"))
    );
    assert_eq!(outcomes[0].to_json()["error"]["status"], "SERVER_ERROR");
    assert_eq!(outcomes[1].to_json()["action"]["status"], "Cancelled");
    let last = &outcomes.last().unwrap().progress;
    assert_eq!(
        (last.done, last.total, last.cancelled, last.other()),
        (5, 5, 1, 4)
    );
    assert_eq!(
        emu.requests()
            .iter()
            .filter(|r| r.route == "cancel")
            .count(),
        4,
        "nothing sent for the invalid id"
    );

    let err = c.cancel_actions(["x"], "  ", 1).err().unwrap();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
}

#[tokio::test]
async fn waiting_until_final_reports_races_and_times_out() {
    let emu = Emulator::start(EmulatorConfig {
        pending_for: Some(Duration::from_millis(200)),
        in_progress_for: Some(Duration::from_millis(300)),
        ..EmulatorConfig::default()
    })
    .unwrap();
    let c = client(&emu);
    let moving =
        ActionId::parse(&emu.seed_one(json!({"status": "Pending", "progress": true}))).unwrap();
    let settled = c
        .wait_until_final(&moving, Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(settled.action.status.as_str(), "Succeeded");
    assert!(!settled.cancel_raced_completion);

    let raced = ActionId::parse(&emu.seed_one(json!({"status": "Cancelled",
        "commands": [{"index": 0, "commandStatus": "Completed", "errors": [], "command": {"type": "Isolate", "params": []}}]})))
    .unwrap();
    assert!(
        c.wait_until_final(&raced, Duration::from_secs(1))
            .await
            .unwrap()
            .cancel_raced_completion
    );

    let stuck = ActionId::parse(&emu.seed_one(json!({"status": "InProgress"}))).unwrap();
    let err = c
        .wait_until_final(&stuck, Duration::from_millis(1500))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(err.to_string().contains("still InProgress"), "{err}");
}
