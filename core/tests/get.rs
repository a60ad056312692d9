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
