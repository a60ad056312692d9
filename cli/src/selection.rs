//! Which actions a command works on: ids (arguments, a file, stdin) or a filter.

use std::io::BufRead;
use std::time::Duration;

use mde_core::{ListFilter, Timestamp};

/// Filter options, shared by `mde list` and `mde cancel`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct FilterArgs {
    /// Status to select (repeatable): Pending, InProgress, Succeeded, Failed, TimeOut,
    /// Cancelled. `mde cancel` selects Pending and InProgress when none is given.
    #[arg(long = "status", value_name = "STATUS")]
    pub status: Vec<String>,
    /// Action type to select (repeatable): Isolate, RunAntiVirusScan, ...
    #[arg(long = "type", value_name = "TYPE")]
    pub action_type: Vec<String>,
    /// The machine's id.
    #[arg(long)]
    pub machine_id: Option<String>,
    /// Who launched the actions (a UPN or an app's display name).
    #[arg(long)]
    pub requestor: Option<String>,
    /// Created after this time: ISO 8601, or a duration ago such as 30m, 2h, 1d.
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,
    /// Created before this time: ISO 8601, or a duration ago.
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,
    /// At most this many actions.
    #[arg(long)]
    pub top: Option<usize>,
}

/// Reads `--since`/`--until`: a timestamp, or a duration before now.
fn when(text: &str) -> Result<Timestamp, String> {
    if let Some(t) = Timestamp::parse(text) {
        return Ok(t);
    }
    let (number, unit) = text.split_at(
        text.trim_end_matches(|c: char| c.is_ascii_alphabetic())
            .len(),
    );
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is neither a timestamp nor a duration like 30m"))?;
    let secs = match unit {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => return Err(format!("{text:?}: the unit must be s, m, h or d")),
    };
    Ok(Timestamp::now().before(Duration::from_secs(secs)))
}

impl FilterArgs {
    /// Whether any filter is given.
    pub fn is_empty(&self) -> bool {
        self.status.is_empty()
            && self.action_type.is_empty()
            && self.machine_id.is_none()
            && self.requestor.is_none()
            && self.since.is_none()
            && self.until.is_none()
            && self.top.is_none()
    }

    /// The core filter; `default_status` applies when no `--status` is given.
    pub fn filter(&self, default_status: &[&str]) -> Result<ListFilter, String> {
        let status = if self.status.is_empty() {
            default_status.iter().map(|s| (*s).to_owned()).collect()
        } else {
            self.status.clone()
        };
        Ok(ListFilter {
            status,
            action_type: self.action_type.clone(),
            machine_id: self.machine_id.clone(),
            requestor: self.requestor.clone(),
            created_after: self.since.as_deref().map(when).transpose()?,
            created_before: self.until.as_deref().map(when).transpose()?,
            top: self.top,
        })
    }
}

/// Ids from a file or stdin (`-`): one per line, blank lines and `#` comments skipped.
pub fn read_ids(source: &str) -> Result<Vec<String>, String> {
    let lines: Vec<String> = if source == "-" {
        std::io::stdin()
            .lock()
            .lines()
            .collect::<Result<_, _>>()
            .map_err(|e| format!("stdin: {e}"))?
    } else {
        std::fs::read_to_string(source)
            .map_err(|e| format!("cannot read {source}: {e}"))?
            .lines()
            .map(str::to_owned)
            .collect()
    };
    Ok(lines
        .into_iter()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_timestamps_or_durations_ago() {
        assert_eq!(
            when("2024-01-02T03:04:05Z").unwrap().to_service_string(),
            "2024-01-02T03:04:05.0000000Z"
        );
        let an_hour_ago = when("1h").unwrap().unix_nanos();
        let now = Timestamp::now().unix_nanos();
        assert!((now - an_hour_ago - 3_600_000_000_000).abs() < 5_000_000_000);
        assert!(when("3 weeks").is_err());
        assert!(when("5y").is_err());
    }
}
