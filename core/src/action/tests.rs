//! Parsing of documented example payloads and of real-world shapes.

use super::*;

/// The example of Microsoft's "Get machineAction API" page.
const DOCS_GET_EXAMPLE: &str = r#"{
    "@odata.context": "https://api.security.microsoft.com/api/$metadata#MachineActions/$entity",
    "id": "2e9da30d-27f6-4208-81f2-9cd3d67893ba",
    "type": "RunAntiVirusScan",
    "scope": "Full",
    "requestor": "Analyst@TestPrd.onmicrosoft.com",
    "requestorComment": "Check machine for viruses due to alert 3212",
    "status": "Succeeded",
    "machineId": "1e5bc9d7e413ddd7902c2932e418702b84d0cc07",
    "computerDnsName": "desktop-test",
    "creationDateTimeUtc": "2019-01-02T14:39:38.2262283Z",
    "lastUpdateDateTimeUtc": "2019-01-02T14:40:44.6596267Z",
    "relatedFileInfo": null
}"#;

/// The MachineAction entity page's example: old key spellings, commands as strings.
const DOCS_ENTITY_EXAMPLE: &str = r#"{
    "id": "5382f7ea-7557-4ab7-9782-d50480024a4e",
    "type": "Isolate",
    "scope": "Selective",
    "requestor": "Analyst@TestPrd.onmicrosoft.com",
    "requestorComment": "test for docs",
    "status": "Succeeded",
    "machineId": "7b1f4967d9728e5aa3c06a9e617a22a4a5a17378",
    "computerDnsName": "desktop-test",
    "creationDateTimeUtc": "2019-01-02T14:39:38.2262283Z",
    "lastUpdateTimeUtc": "2019-01-02T14:40:44.6596267Z",
    "externalID": "abc-123",
    "commands": ["RunScript"],
    "relatedFileInfo": {"fileIdentifier": "a1b2", "fileIdentifierType": "Sha1"}
}"#;

/// A live-response action as captured from the service, with an unknown field and an
/// unknown enum value added.
const REAL_WORLD: &str = r#"{
    "@odata.context": "https://api.security.microsoft.com/api/$metadata#MachineActions/$entity",
    "id": "988cc94e-7a8f-4b28-ab65-54970c5d5018",
    "type": "QuantumEntangle",
    "title": null,
    "requestor": "SOC Automation",
    "requestorComment": "collect",
    "status": "Cancelled",
    "machineId": "1e5bc9d7e413ddd7902c2932e418702b84d0cc07",
    "computerDnsName": null,
    "creationDateTimeUtc": "2024-01-02T13:39:46Z",
    "lastUpdateDateTimeUtc": "2024-01-02T13:39:46.773821Z",
    "cancellationRequestor": "SOC Automation",
    "cancellationComment": "mistake",
    "cancellationDateTimeUtc": "2024-01-02T13:39:46.7738206Z",
    "errorHResult": 0,
    "scope": null,
    "externalId": null,
    "requestSource": "PublicApi",
    "relatedFileInfo": null,
    "commands": [
        {"index": 0, "startTime": "2024-01-02T13:39:47.1Z", "endTime": null,
         "commandStatus": "Completed", "errors": [],
         "command": {"type": "RunScript", "params": [{"key": "ScriptName", "value": "a.ps1"}]}}
    ],
    "troubleshootInfo": null,
    "someFutureField": {"nested": [1, 2, 3]},
    "anotherNull": null
}"#;

#[test]
fn documented_get_example() {
    let a = MachineAction::from_json(DOCS_GET_EXAMPLE).unwrap();
    assert_eq!(a.id, "2e9da30d-27f6-4208-81f2-9cd3d67893ba");
    assert_eq!(a.action_type, ActionType::RunAntiVirusScan);
    assert_eq!(a.status, ActionStatus::Succeeded);
    assert!(a.is_final());
    assert_eq!(a.scope.as_deref(), Some("Full"));
    assert_eq!(
        a.machine_id.as_deref(),
        Some("1e5bc9d7e413ddd7902c2932e418702b84d0cc07")
    );
    assert_eq!(
        a.last_update_date_time_utc.unwrap().to_service_string(),
        "2019-01-02T14:40:44.6596267Z"
    );
    assert!(a.related_file_info.is_none());
    assert!(a.odata_context.unwrap().ends_with("$entity"));
    assert!(a.extra.is_empty(), "{:?}", a.extra);
    assert_eq!(a.raw, DOCS_GET_EXAMPLE);
}

#[test]
fn documented_entity_example_with_old_spellings() {
    let a = MachineAction::from_json(DOCS_ENTITY_EXAMPLE).unwrap();
    assert_eq!(a.external_id.as_deref(), Some("abc-123"));
    assert!(a.last_update_date_time_utc.is_some());
    let file = a.related_file_info.unwrap();
    assert_eq!(file.file_identifier_type.as_deref(), Some("Sha1"));
    // Commands as strings are not the real shape: kept verbatim, not dropped.
    assert!(a.commands.is_empty());
    assert_eq!(a.extra["commands"], serde_json::json!(["RunScript"]));
}

#[test]
fn real_world_shape_keeps_unknowns() {
    let a = MachineAction::from_json(REAL_WORLD).unwrap();
    assert_eq!(a.action_type, ActionType::Other("QuantumEntangle".into()));
    assert_eq!(a.action_type.as_str(), "QuantumEntangle");
    assert_eq!(a.status, ActionStatus::Cancelled);
    assert_eq!(a.error_hresult, Some(0));
    assert_eq!(a.request_source.as_deref(), Some("PublicApi"));
    assert!(a.computer_dns_name.is_none());
    assert_eq!(a.cancellation_comment.as_deref(), Some("mistake"));
    let c = &a.commands[0];
    assert_eq!(c.index, Some(0));
    assert_eq!(c.command_status.as_deref(), Some("Completed"));
    assert_eq!(c.command_type.as_deref(), Some("RunScript"));
    assert_eq!(
        c.params,
        vec![("ScriptName".into(), serde_json::json!("a.ps1"))]
    );
    assert_eq!(
        c.start_time.unwrap().as_offset_date_time().nanosecond(),
        100_000_000
    );
    assert_eq!(
        a.extra["someFutureField"],
        serde_json::json!({"nested": [1, 2, 3]})
    );
    assert!(a.extra.contains_key("anotherNull"));
    assert_eq!(a.raw_json(), REAL_WORLD);
}

#[test]
fn unexpected_types_and_nulls_never_fail() {
    let text = r#"{"id": "x", "type": null, "status": 7, "errorHResult": "zero",
                  "creationDateTimeUtc": "not a date", "commands": null}"#;
    let a = MachineAction::from_json(text).unwrap();
    assert_eq!(a.status, ActionStatus::Other(String::new()));
    assert!(!a.is_final());
    assert!(a.error_hresult.is_none());
    assert_eq!(a.extra["status"], serde_json::json!(7));
    assert_eq!(a.extra["errorHResult"], serde_json::json!("zero"));
    assert_eq!(
        a.extra["creationDateTimeUtc"],
        serde_json::json!("not a date")
    );
}

#[test]
fn not_an_entity_is_an_error() {
    assert!(MachineAction::from_json("[]").is_err());
    assert!(MachineAction::from_json(r#"{"status": "Pending"}"#).is_err());
    assert!(MachineAction::from_json(r#"{"id": "x", "status": "Pend"#).is_err());
}

#[test]
fn old_spellings_of_enum_values() {
    assert_eq!(ActionStatus::parse("Canceled"), ActionStatus::Cancelled);
    assert_eq!(ActionType::parse("Live Response"), ActionType::LiveResponse);
    for s in ["Succeeded", "Failed", "TimeOut", "Cancelled"] {
        assert!(ActionStatus::parse(s).is_final(), "{s}");
    }
    for s in ["Pending", "InProgress", "Whatever"] {
        assert!(!ActionStatus::parse(s).is_final(), "{s}");
    }
}
