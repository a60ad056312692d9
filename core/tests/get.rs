//! get_action against the emulator, and parsing of what it renders.

mod common;

use common::*;
use mde_core::{ActionStatus, ActionType, ErrorKind};
use serde_json::json;

#[tokio::test]
async fn get_reads_every_field_and_keeps_unknowns() {
    let emu = emulator();
    let id = seed(
        &emu,
        json!({
            "type": "LiveResponse",
            "status": "InProgress",
            "machineId": "1e5bc9d7e413ddd7902c2932e418702b84d0cc07",
            "computerDnsName": "desktop-test",
            "requestor": "SOC Automation",
            "requestorComment": "collect",
            "scope": "Full",
            "externalId": "ext-1",
            "creationDateTimeUtc": "2024-01-02T13:39:46.7738206Z",
            "relatedFileInfo": {"fileIdentifier": "abc", "fileIdentifierType": "Sha256"},
            "commands": [{"index": 0, "startTime": "2024-01-02T13:39:47Z", "endTime": null,
                          "commandStatus": "Created", "errors": [],
                          "command": {"type": "GetFile", "params": [{"key": "Path", "value": "C:\\a.txt"}]}}],
            "futureField": {"x": [1, null]}
        }),
    );
    let a = client(&emu).get_action(&id).await.unwrap();
    assert_eq!(a.action_type, ActionType::LiveResponse);
    assert_eq!(a.status, ActionStatus::InProgress);
    assert!(!a.is_final());
    assert_eq!(a.computer_dns_name.as_deref(), Some("desktop-test"));
    assert_eq!(a.external_id.as_deref(), Some("ext-1"));
    assert_eq!(a.error_hresult, Some(0));
    assert_eq!(a.request_source.as_deref(), Some("PublicApi"));
    assert_eq!(
        a.creation_date_time_utc.unwrap().to_service_string(),
        "2024-01-02T13:39:46.7738206Z"
    );
    assert_eq!(
        a.related_file_info
            .as_ref()
            .unwrap()
            .file_identifier_type
            .as_deref(),
        Some("Sha256")
    );
    assert_eq!(a.commands[0].command_type.as_deref(), Some("GetFile"));
    assert_eq!(a.extra["futureField"], json!({"x": [1, null]}));
    assert!(a.odata_context.as_deref().unwrap().ends_with("$entity"));
    // The raw entity is the body exactly as sent.
    let raw: serde_json::Value = serde_json::from_str(a.raw_json()).unwrap();
    assert_eq!(raw["futureField"], json!({"x": [1, null]}));
    assert!(a.raw_json().contains("\"troubleshootInfo\":null"));
    assert!(a.raw_json().contains("2024-01-02T13:39:46.7738206Z"));
}

#[tokio::test]
async fn get_of_unknown_id_is_not_found() {
    let emu = emulator();
    let err = client(&emu).get_action(&unknown_id()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound);
    assert_eq!(emu.requests()[0].method, "GET");
    assert_eq!(
        emu.requests()[0].path,
        format!("/api/machineactions/{}", unknown_id())
    );
}

#[test]
fn client_is_send_sync_and_cheap_to_clone() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<mde_core::Client>();
}

#[tokio::test]
async fn the_json_variants_return_the_entity_as_sent_and_still_check_it() {
    let emu = emulator();
    let id = seed(&emu, json!({"status": "Pending", "futureField": 1}));
    let c = client(&emu);
    let text = c.get_action_json(&id).await.unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["futureField"], 1);
    assert_eq!(value["id"], id.as_str());
    let text = c.cancel_action_json(&id, "raw").await.unwrap();
    assert!(text.contains("\"cancellationComment\":\"raw\""), "{text}");
    // Idempotent through the reconciliation path too.
    let again: serde_json::Value =
        serde_json::from_str(&c.cancel_action_json(&id, "raw").await.unwrap()).unwrap();
    assert_eq!(again["status"], "Cancelled");
    for body in [r#"{"status": "Pending"}"#, "[1, 2]", r#"{"id": 7}"#] {
        emu.inject(mde_emulator::Fault {
            route: "get".into(),
            count: 1,
            body: Some(body.into()),
            ..Default::default()
        });
        let err = c.get_action_json(&id).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::BadResponse, "{body}");
    }
}
