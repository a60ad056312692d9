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
        use serde::Deserializer as _;
        let mut de = serde_json::Deserializer::from_str(text);
        let mut builder = de
            .deserialize_map(Builder::default())
            .and_then(|b| de.end().map(|()| b))
            .map_err(|e| format!("the action is not a JSON object: {e}"))?;
        let id = builder.id.take().ok_or("the action has no string \"id\"")?;
        Ok(builder.build(id, text.to_owned()))
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

/// The entity's keys, read in one pass over the object: each documented key goes to
/// its typed slot, anything else (or a value of an unexpected type) to `extra`.
#[derive(Default)]
struct Builder {
    id: Option<String>,
    odata_context: Option<String>,
    action_type: Option<String>,
    title: Option<String>,
    requestor: Option<String>,
    requestor_comment: Option<String>,
    status: Option<String>,
    machine_id: Option<String>,
    computer_dns_name: Option<String>,
    created: Option<Timestamp>,
    last_update: Option<Timestamp>,
    cancellation_requestor: Option<String>,
    cancellation_comment: Option<String>,
    cancelled: Option<Timestamp>,
    error_hresult: Option<i64>,
    scope: Option<String>,
    external_id: Option<String>,
    request_source: Option<String>,
    related_file_info: Option<RelatedFileInfo>,
    commands: Option<Vec<Command>>,
    troubleshoot_info: Option<Value>,
    extra: Map<String, Value>,
}

/// A conversion that hands the value back when its type is unexpected.
type Convert<T> = fn(Value) -> Result<T, Value>;

fn string(v: Value) -> Result<String, Value> {
    match v {
        Value::String(s) => Ok(s),
        other => Err(other),
    }
}

fn timestamp(v: Value) -> Result<Timestamp, Value> {
    match v {
        Value::String(s) => Timestamp::parse(&s).ok_or(Value::String(s)),
        other => Err(other),
    }
}

fn integer(v: Value) -> Result<i64, Value> {
    v.as_i64().ok_or(v)
}

fn related_file_info(v: Value) -> Result<RelatedFileInfo, Value> {
    let Value::Object(mut map) = v else {
        return Err(v);
    };
    let mut o = Fields {
        map: &mut map,
        extra: Map::new(),
    };
    Ok(RelatedFileInfo {
        file_identifier: o.string(&["fileIdentifier"]),
        file_identifier_type: o.string(&["fileIdentifierType"]),
        extra: o.finish(),
    })
}

fn commands(v: Value) -> Result<Vec<Command>, Value> {
    let mut map = Map::new();
    map.insert("commands".to_owned(), v);
    let mut f = Fields {
        map: &mut map,
        extra: Map::new(),
    };
    match f.commands() {
        Some(commands) => Ok(commands),
        None => Err(f.finish().remove("commands").unwrap_or_default()),
    }
}

impl Builder {
    /// Puts a value in its slot, or in `extra` when the slot is taken (an alias seen
    /// twice) or the value's type is unexpected. A null leaves the slot empty.
    fn put<T>(
        slot: &mut Option<T>,
        extra: &mut Map<String, Value>,
        key: String,
        v: Value,
        f: Convert<T>,
    ) {
        if v.is_null() && slot.is_none() {
            return;
        }
        if slot.is_some() {
            extra.insert(key, v);
            return;
        }
        match f(v) {
            Ok(t) => *slot = Some(t),
            Err(v) => {
                extra.insert(key, v);
            }
        }
    }

    fn accept(&mut self, key: String, v: Value) {
        let x = &mut self.extra;
        match key.as_str() {
            "id" => Self::put(&mut self.id, x, key, v, string),
            "@odata.context" => Self::put(&mut self.odata_context, x, key, v, string),
            "type" => Self::put(&mut self.action_type, x, key, v, string),
            "title" => Self::put(&mut self.title, x, key, v, string),
            "requestor" => Self::put(&mut self.requestor, x, key, v, string),
            "requestorComment" => Self::put(&mut self.requestor_comment, x, key, v, string),
            "status" => Self::put(&mut self.status, x, key, v, string),
            "machineId" => Self::put(&mut self.machine_id, x, key, v, string),
            "computerDnsName" => Self::put(&mut self.computer_dns_name, x, key, v, string),
            "creationDateTimeUtc" => Self::put(&mut self.created, x, key, v, timestamp),
            "lastUpdateDateTimeUtc" | "lastUpdateTimeUtc" => {
                Self::put(&mut self.last_update, x, key, v, timestamp)
            }
            "cancellationRequestor" => {
                Self::put(&mut self.cancellation_requestor, x, key, v, string)
            }
            "cancellationComment" => Self::put(&mut self.cancellation_comment, x, key, v, string),
            "cancellationDateTimeUtc" => Self::put(&mut self.cancelled, x, key, v, timestamp),
            "errorHResult" => Self::put(&mut self.error_hresult, x, key, v, integer),
            "scope" => Self::put(&mut self.scope, x, key, v, string),
            "externalId" | "externalID" => Self::put(&mut self.external_id, x, key, v, string),
            "requestSource" => Self::put(&mut self.request_source, x, key, v, string),
            "relatedFileInfo" => {
                Self::put(&mut self.related_file_info, x, key, v, related_file_info)
            }
            "commands" => Self::put(&mut self.commands, x, key, v, commands),
            "troubleshootInfo" => Self::put(&mut self.troubleshoot_info, x, key, v, Ok),
            _ => {
                x.insert(key, v);
            }
        }
    }

    fn build(self, id: String, raw: String) -> MachineAction {
        MachineAction {
            id,
            action_type: ActionType::parse(self.action_type.as_deref().unwrap_or_default()),
            title: self.title,
            requestor: self.requestor,
            requestor_comment: self.requestor_comment,
            status: ActionStatus::parse(self.status.as_deref().unwrap_or_default()),
            machine_id: self.machine_id,
            computer_dns_name: self.computer_dns_name,
            creation_date_time_utc: self.created,
            last_update_date_time_utc: self.last_update,
            cancellation_requestor: self.cancellation_requestor,
            cancellation_comment: self.cancellation_comment,
            cancellation_date_time_utc: self.cancelled,
            error_hresult: self.error_hresult,
            scope: self.scope,
            external_id: self.external_id,
            request_source: self.request_source,
            related_file_info: self.related_file_info,
            commands: self.commands.unwrap_or_default(),
            troubleshoot_info: self.troubleshoot_info,
            odata_context: self.odata_context,
            extra: self.extra,
            raw,
        }
    }
}

impl<'de> serde::de::Visitor<'de> for Builder {
    type Value = Builder;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(mut self, mut map: A) -> Result<Builder, A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let value: Value = map.next_value()?;
            self.accept(key, value);
        }
        Ok(self)
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
