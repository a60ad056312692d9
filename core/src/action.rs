//! The MachineAction entity, read leniently: it never fails on an unexpected field,
//! enum value or null, and keeps everything it does not model.

use serde_json::{Map, Value};

use crate::open_enum::open_enum;
use crate::timestamp::Timestamp;

open_enum! {
    /// The status of a machine action. `Canceled` (very old docs) reads as `Cancelled`.
    ActionStatus {
        /// Accepted, not started on the device.
        Pending = "Pending",
        /// Running on the device.
        InProgress = "InProgress",
        /// Completed.
        Succeeded = "Succeeded",
        /// Failed on the device.
        Failed = "Failed",
        /// The device did not pick it up in time.
        TimeOut = "TimeOut",
        /// Cancelled before it completed.
        Cancelled = "Cancelled" | "Canceled",
    }
}

impl ActionStatus {
    /// Whether the status can no longer change (Succeeded, Failed, TimeOut, Cancelled).
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            ActionStatus::Succeeded
                | ActionStatus::Failed
                | ActionStatus::TimeOut
                | ActionStatus::Cancelled
        )
    }
}

open_enum! {
    /// The type of a machine action. `Live Response` (old docs) reads as `LiveResponse`.
    ActionType {
        /// An antivirus scan.
        RunAntiVirusScan = "RunAntiVirusScan",
        /// Offboarding the device.
        Offboard = "Offboard",
        /// A live-response session.
        LiveResponse = "LiveResponse" | "Live Response",
        /// Collecting an investigation package.
        CollectInvestigationPackage = "CollectInvestigationPackage",
        /// Network isolation.
        Isolate = "Isolate",
        /// Releasing from isolation.
        Unisolate = "Unisolate",
        /// Stopping a file and quarantining it.
        StopAndQuarantineFile = "StopAndQuarantineFile",
        /// Restricting app execution.
        RestrictCodeExecution = "RestrictCodeExecution",
        /// Lifting the app execution restriction.
        UnrestrictCodeExecution = "UnrestrictCodeExecution",
    }
}

/// The file an action is about (`relatedFileInfo`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct RelatedFileInfo {
    /// `fileIdentifier`: the hash.
    pub file_identifier: Option<String>,
    /// `fileIdentifierType`: `Sha1`, `Sha256` or `Md5`.
    pub file_identifier_type: Option<String>,
    /// Keys this library does not model, verbatim.
    pub extra: Map<String, Value>,
}

/// One command of an action (live response actions carry them).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Command {
    /// `index`: position in the session.
    pub index: Option<i64>,
    /// `startTime`.
    pub start_time: Option<Timestamp>,
    /// `endTime`.
    pub end_time: Option<Timestamp>,
    /// `commandStatus`: Created, Completed, Failed, ...
    pub command_status: Option<String>,
    /// `errors`, verbatim.
    pub errors: Vec<Value>,
    /// `command.type`.
    pub command_type: Option<String>,
    /// `command.params` as (key, value) pairs.
    pub params: Vec<(String, Value)>,
    /// Keys this library does not model, verbatim.
    pub extra: Map<String, Value>,
}

/// A machine action as the service returned it: typed fields for every documented
/// key, `extra` for everything else, and the raw JSON text unchanged.
#[derive(Clone, Debug, PartialEq)]
pub struct MachineAction {
    /// `id`.
    pub id: String,
    /// `type`.
    pub action_type: ActionType,
    /// `title`.
    pub title: Option<String>,
    /// `requestor`: a UPN, or an app's display name.
    pub requestor: Option<String>,
    /// `requestorComment`.
    pub requestor_comment: Option<String>,
    /// `status`.
    pub status: ActionStatus,
    /// `machineId`.
    pub machine_id: Option<String>,
    /// `computerDnsName`.
    pub computer_dns_name: Option<String>,
    /// `creationDateTimeUtc`.
    pub creation_date_time_utc: Option<Timestamp>,
    /// `lastUpdateDateTimeUtc` (or `lastUpdateTimeUtc`).
    pub last_update_date_time_utc: Option<Timestamp>,
    /// `cancellationRequestor`.
    pub cancellation_requestor: Option<String>,
    /// `cancellationComment`.
    pub cancellation_comment: Option<String>,
    /// `cancellationDateTimeUtc`.
    pub cancellation_date_time_utc: Option<Timestamp>,
    /// `errorHResult`.
    pub error_hresult: Option<i64>,
    /// `scope`: Full/Selective, Quick/Full.
    pub scope: Option<String>,
    /// `externalId` (or `externalID`).
    pub external_id: Option<String>,
    /// `requestSource`.
    pub request_source: Option<String>,
    /// `relatedFileInfo`.
    pub related_file_info: Option<RelatedFileInfo>,
    /// `commands`.
    pub commands: Vec<Command>,
    /// `troubleshootInfo`, verbatim.
    pub troubleshoot_info: Option<Value>,
    /// `@odata.context`, on single-entity answers.
    pub odata_context: Option<String>,
    /// Every key not listed above, and any listed key whose value had an unexpected
    /// type, verbatim.
    pub extra: Map<String, Value>,
    raw: String,
}

impl MachineAction {
    /// Reads an entity from JSON text. Fails only when the text is not a JSON object
    /// with a string `id`.
    pub fn from_json(text: &str) -> Result<Self, String> {
        let map: Map<String, Value> = serde_json::from_str(text)
            .map_err(|e| format!("the action is not a JSON object: {e}"))?;
        Self::from_map(map, text.to_owned())
    }

    fn from_map(mut map: Map<String, Value>, raw: String) -> Result<Self, String> {
        let mut f = Fields {
            map: &mut map,
            extra: Map::new(),
        };
        let id = match f.string(&["id"]) {
            Some(id) => id,
            None => return Err("the action has no string \"id\"".into()),
        };
        let action = MachineAction {
            odata_context: f.string(&["@odata.context"]),
            id,
            action_type: ActionType::parse(&f.string(&["type"]).unwrap_or_default()),
            title: f.string(&["title"]),
            requestor: f.string(&["requestor"]),
            requestor_comment: f.string(&["requestorComment"]),
            status: ActionStatus::parse(&f.string(&["status"]).unwrap_or_default()),
            machine_id: f.string(&["machineId"]),
            computer_dns_name: f.string(&["computerDnsName"]),
            creation_date_time_utc: f.timestamp(&["creationDateTimeUtc"]),
            last_update_date_time_utc: f.timestamp(&["lastUpdateDateTimeUtc", "lastUpdateTimeUtc"]),
            cancellation_requestor: f.string(&["cancellationRequestor"]),
            cancellation_comment: f.string(&["cancellationComment"]),
            cancellation_date_time_utc: f.timestamp(&["cancellationDateTimeUtc"]),
            error_hresult: f.integer(&["errorHResult"]),
            scope: f.string(&["scope"]),
            external_id: f.string(&["externalId", "externalID"]),
            request_source: f.string(&["requestSource"]),
            related_file_info: f.object(&["relatedFileInfo"], |mut o| {
                Some(RelatedFileInfo {
                    file_identifier: o.string(&["fileIdentifier"]),
                    file_identifier_type: o.string(&["fileIdentifierType"]),
                    extra: o.finish(),
                })
            }),
            commands: f.commands().unwrap_or_default(),
            troubleshoot_info: f.any(&["troubleshootInfo"]),
            extra: Map::new(),
            raw,
        };
        let extra = f.finish();
        Ok(MachineAction { extra, ..action })
    }

    /// Whether the action can no longer change.
    pub fn is_final(&self) -> bool {
        self.status.is_final()
    }

    /// The entity exactly as the service sent it, as JSON text.
    pub fn raw_json(&self) -> &str {
        &self.raw
    }
}

/// Takes keys out of a JSON object one by one, leniently: a null reads as `None`, and
/// a value of an unexpected type is moved to `extra` untouched.
struct Fields<'a> {
    map: &'a mut Map<String, Value>,
    extra: Map<String, Value>,
}

impl Fields<'_> {
    fn take(&mut self, keys: &[&str]) -> Option<(String, Value)> {
        keys.iter()
            .find_map(|k| self.map.shift_remove_entry(*k))
            .filter(|(_, v)| !v.is_null())
    }

    fn convert<T>(&mut self, keys: &[&str], f: impl FnOnce(&Value) -> Option<T>) -> Option<T> {
        let (key, value) = self.take(keys)?;
        let out = f(&value);
        if out.is_none() {
            self.extra.insert(key, value);
        }
        out
    }

    fn string(&mut self, keys: &[&str]) -> Option<String> {
        self.convert(keys, |v| v.as_str().map(str::to_owned))
    }

    fn integer(&mut self, keys: &[&str]) -> Option<i64> {
        self.convert(keys, Value::as_i64)
    }

    fn timestamp(&mut self, keys: &[&str]) -> Option<Timestamp> {
        self.convert(keys, |v| v.as_str().and_then(Timestamp::parse))
    }

    fn any(&mut self, keys: &[&str]) -> Option<Value> {
        self.take(keys).map(|(_, v)| v)
    }

    fn object<T>(&mut self, keys: &[&str], f: impl FnOnce(Fields<'_>) -> Option<T>) -> Option<T> {
        self.convert(keys, |v| {
            let mut map = v.as_object()?.clone();
            f(Fields {
                map: &mut map,
                extra: Map::new(),
            })
        })
    }

    fn commands(&mut self) -> Option<Vec<Command>> {
        self.convert(&["commands"], |v| {
            v.as_array()?
                .iter()
                .map(|c| {
                    let mut map = c.as_object()?.clone();
                    let mut o = Fields {
                        map: &mut map,
                        extra: Map::new(),
                    };
                    let (command_type, params) = o
                        .object(&["command"], |mut spec| {
                            let params = spec.convert(&["params"], |p| {
                                p.as_array()?
                                    .iter()
                                    .map(|kv| {
                                        let key = kv.get("key")?.as_str()?.to_owned();
                                        Some((key, kv.get("value").cloned().unwrap_or_default()))
                                    })
                                    .collect::<Option<Vec<_>>>()
                            });
                            Some((spec.string(&["type"]), params.unwrap_or_default()))
                        })
                        .unwrap_or_default();
                    Some(Command {
                        index: o.integer(&["index"]),
                        start_time: o.timestamp(&["startTime"]),
                        end_time: o.timestamp(&["endTime"]),
                        command_status: o.string(&["commandStatus"]),
                        errors: o
                            .convert(&["errors"], |e| e.as_array().cloned())
                            .unwrap_or_default(),
                        command_type,
                        params,
                        extra: o.finish(),
                    })
                })
                .collect()
        })
    }

    /// Everything not taken, plus the values that had unexpected types.
    fn finish(mut self) -> Map<String, Value> {
        let mut rest = std::mem::take(self.map);
        rest.append(&mut self.extra);
        rest
    }
}

#[cfg(test)]
mod tests;
