//! The emulator's machine actions: what they hold, how they progress, how they render.

use std::collections::HashMap;
use std::time::Instant;

use serde_json::{Map, Value};
use time::OffsetDateTime;

use crate::config::EmulatorConfig;
use crate::wire::{parse_timestamp, timestamp};

/// The statuses after which an action no longer changes.
pub const FINAL_STATUSES: &[&str] = &["Succeeded", "Failed", "TimeOut", "Cancelled"];

/// One machine action as the emulator holds it.
#[derive(Clone, Debug)]
pub struct StoredAction {
    pub id: String,
    pub action_type: String,
    pub title: Option<String>,
    pub requestor: String,
    pub requestor_comment: Option<String>,
    pub status: String,
    pub machine_id: String,
    pub computer_dns_name: Option<String>,
    pub created: OffsetDateTime,
    pub last_update: OffsetDateTime,
    pub cancellation_requestor: Option<String>,
    pub cancellation_comment: Option<String>,
    pub cancelled_at: Option<OffsetDateTime>,
    pub scope: Option<String>,
    pub external_id: Option<String>,
    pub related_file_info: Value,
    pub commands: Vec<Value>,
    /// Seeded keys the emulator does not model, rendered after the documented ones.
    pub extra: Map<String, Value>,
    /// Whether the action follows the configured Pending/InProgress timings.
    pub progresses: bool,
    /// When the action entered its current status (monotonic clock).
    pub status_since: Instant,
}

impl StoredAction {
    /// Whether the status is final.
    pub fn is_final(&self) -> bool {
        FINAL_STATUSES.contains(&self.status.as_str())
    }

    /// Moves the action along the configured timeline, up to `now`.
    pub fn advance(&mut self, now: Instant, config: &EmulatorConfig) {
        if !self.progresses {
            return;
        }
        loop {
            let (next, after) = match self.status.as_str() {
                "Pending" => ("InProgress", config.pending_for),
                "InProgress" => ("Succeeded", config.in_progress_for),
                _ => return,
            };
            let Some(after) = after else { return };
            let at = self.status_since + after;
            if now < at {
                return;
            }
            self.status = next.to_owned();
            self.status_since = at;
            self.last_update = OffsetDateTime::now_utc() - now.duration_since(at);
            if next == "Succeeded" {
                for command in &mut self.commands {
                    if let Some(c) = command.as_object_mut() {
                        c.insert("commandStatus".into(), "Completed".into());
                    }
                }
            }
        }
    }

    /// The entity as the service renders it: every documented key, in the observed
    /// order, then seeded extras.
    pub fn render(&self, context: Option<&str>) -> Value {
        let mut m = Map::new();
        if let Some(context) = context {
            m.insert("@odata.context".into(), context.into());
        }
        let opt = |v: &Option<String>| v.clone().map_or(Value::Null, Value::String);
        m.insert("id".into(), self.id.clone().into());
        m.insert("type".into(), self.action_type.clone().into());
        m.insert("title".into(), opt(&self.title));
        m.insert("requestor".into(), self.requestor.clone().into());
        m.insert("requestorComment".into(), opt(&self.requestor_comment));
        m.insert("status".into(), self.status.clone().into());
        m.insert("machineId".into(), self.machine_id.clone().into());
        m.insert("computerDnsName".into(), opt(&self.computer_dns_name));
        m.insert("creationDateTimeUtc".into(), timestamp(self.created).into());
        m.insert(
            "lastUpdateDateTimeUtc".into(),
            timestamp(self.last_update).into(),
        );
        m.insert(
            "cancellationRequestor".into(),
            opt(&self.cancellation_requestor),
        );
        m.insert(
            "cancellationComment".into(),
            opt(&self.cancellation_comment),
        );
        m.insert(
            "cancellationDateTimeUtc".into(),
            self.cancelled_at
                .map_or(Value::Null, |t| timestamp(t).into()),
        );
        m.insert("errorHResult".into(), 0.into());
        m.insert("scope".into(), opt(&self.scope));
        m.insert("externalId".into(), opt(&self.external_id));
        m.insert("requestSource".into(), "PublicApi".into());
        m.insert("relatedFileInfo".into(), self.related_file_info.clone());
        m.insert("commands".into(), Value::Array(self.commands.clone()));
        m.insert("troubleshootInfo".into(), Value::Null);
        for (k, v) in &self.extra {
            m.insert(k.clone(), v.clone());
        }
        Value::Object(m)
    }
}

/// A new action's description, for [`Store::create`].
pub struct NewAction {
    pub action_type: String,
    pub machine_id: String,
    pub requestor: String,
    pub comment: String,
    pub scope: Option<String>,
}

/// All actions, in creation order.
#[derive(Default)]
pub struct Store {
    actions: Vec<StoredAction>,
    by_id: HashMap<String, usize>,
}

impl Store {
    /// The action with this id (any case), moved along its timeline first.
    pub fn get(&mut self, id: &str, config: &EmulatorConfig) -> Option<&mut StoredAction> {
        let index = *self.by_id.get(&id.to_ascii_lowercase())?;
        let action = &mut self.actions[index];
        action.advance(Instant::now(), config);
        Some(action)
    }

    /// Every action, moved along its timeline first.
    pub fn all(&mut self, config: &EmulatorConfig) -> &[StoredAction] {
        let now = Instant::now();
        for a in &mut self.actions {
            a.advance(now, config);
        }
        &self.actions
    }

    /// Forgets every action.
    pub fn clear(&mut self) {
        self.actions.clear();
        self.by_id.clear();
    }

    fn insert(&mut self, action: StoredAction) -> &StoredAction {
        let index = match self.by_id.get(&action.id) {
            Some(&i) => {
                self.actions[i] = action;
                i
            }
            None => {
                self.by_id.insert(action.id.clone(), self.actions.len());
                self.actions.push(action);
                self.actions.len() - 1
            }
        };
        &self.actions[index]
    }

    /// Creates an action through the API: Pending, following the configured timings.
    pub fn create(&mut self, new: NewAction) -> &StoredAction {
        let now = OffsetDateTime::now_utc();
        self.insert(StoredAction {
            id: uuid::Uuid::new_v4().to_string(),
            title: Some(format!("{} by {}", new.action_type, new.requestor)),
            computer_dns_name: Some(format!(
                "host-{}",
                &new.machine_id[..new.machine_id.len().min(8)]
            )),
            action_type: new.action_type,
            requestor: new.requestor,
            requestor_comment: Some(new.comment),
            status: "Pending".into(),
            machine_id: new.machine_id,
            created: now,
            last_update: now,
            cancellation_requestor: None,
            cancellation_comment: None,
            cancelled_at: None,
            scope: new.scope,
            external_id: None,
            related_file_info: Value::Null,
            commands: Vec::new(),
            extra: Map::new(),
            progresses: true,
            status_since: Instant::now(),
        })
    }

    /// Seeds an action from a partial entity (camelCase keys; missing ones get
    /// defaults, unknown ones are kept and rendered). `"progress": true` makes it follow
    /// the configured timings; seeded actions otherwise stay where they are.
    pub fn seed(&mut self, mut spec: Map<String, Value>) -> Result<&StoredAction, String> {
        let mut text = |key: &str| -> Result<Option<String>, String> {
            match spec.shift_remove(key) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s)),
                Some(other) => Err(format!("{key} must be a string, not {other}")),
            }
        };
        let id = match text("id")? {
            Some(id) if uuid::Uuid::try_parse(&id).is_ok() => id.to_ascii_lowercase(),
            Some(id) => return Err(format!("id {id:?} is not a GUID")),
            None => uuid::Uuid::new_v4().to_string(),
        };
        let action_type = text("type")?.unwrap_or_else(|| "Isolate".into());
        let status = text("status")?.unwrap_or_else(|| "Pending".into());
        let machine_id = text("machineId")?.unwrap_or_else(random_machine_id);
        let requestor = text("requestor")?.unwrap_or_else(|| "analyst@contoso.com".into());
        let requestor_comment = text("requestorComment")?;
        let title = text("title")?;
        let computer_dns_name = text("computerDnsName")?;
        let cancellation_requestor = text("cancellationRequestor")?;
        let cancellation_comment = text("cancellationComment")?;
        let scope = text("scope")?;
        let external_id = text("externalId")?;
        let when = |key: &str, t: Option<String>| -> Result<Option<OffsetDateTime>, String> {
            t.map(|t| parse_timestamp(&t).ok_or_else(|| format!("{key} {t:?} is not a timestamp")))
                .transpose()
        };
        let created = when("creationDateTimeUtc", text("creationDateTimeUtc")?)?
            .unwrap_or_else(OffsetDateTime::now_utc);
        let last_update =
            when("lastUpdateDateTimeUtc", text("lastUpdateDateTimeUtc")?)?.unwrap_or(created);
        let cancelled_at = when("cancellationDateTimeUtc", text("cancellationDateTimeUtc")?)?;
        let progresses = matches!(spec.shift_remove("progress"), Some(Value::Bool(true)));
        let related_file_info = spec.shift_remove("relatedFileInfo").unwrap_or(Value::Null);
        let commands = match spec.shift_remove("commands") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(c)) => c,
            Some(other) => return Err(format!("commands must be an array, not {other}")),
        };
        // Keys the emulator renders itself cannot be overridden by a seed.
        for fixed in [
            "@odata.context",
            "errorHResult",
            "requestSource",
            "troubleshootInfo",
        ] {
            spec.shift_remove(fixed);
        }
        Ok(self.insert(StoredAction {
            id,
            action_type,
            title,
            requestor,
            requestor_comment,
            status,
            machine_id,
            computer_dns_name,
            created,
            last_update,
            cancellation_requestor,
            cancellation_comment,
            cancelled_at,
            scope,
            external_id,
            related_file_info,
            commands,
            extra: spec,
            progresses,
            status_since: Instant::now(),
        }))
    }
}

/// A machine id as the service shows them: 40 hex characters.
pub fn random_machine_id() -> String {
    let a = uuid::Uuid::new_v4().simple().to_string();
    let b = uuid::Uuid::new_v4().simple().to_string();
    format!("{a}{}", &b[..8])
}
