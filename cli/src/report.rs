//! `--report`: one JSON line per id as each finishes, flushed at once, so an
//! interrupted run leaves every finished outcome on disk; `--resume` reads it back.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::Path;

use serde_json::Value;

/// An open report file (appended to).
pub struct Report {
    file: File,
}

impl Report {
    /// Opens (or creates) the report for appending.
    pub fn open(path: &Path) -> Result<Self, String> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| format!("cannot open the report {}: {e}", path.display()))?;
        Ok(Report { file })
    }

    /// Appends one outcome and hands it to the operating system before returning.
    pub fn record(&mut self, outcome: &Value) -> Result<(), String> {
        writeln!(self.file, "{outcome}")
            .and_then(|()| self.file.flush())
            .map_err(|e| format!("cannot write the report: {e}"))
    }
}

/// The outcomes a report already holds, by lower-case id. Outcomes `error` are left
/// out: those ids are tried again. A last line cut short by a crash is ignored.
pub fn finished(path: &Path) -> Result<HashMap<String, Value>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the report {}: {e}", path.display()))?;
    let mut done = HashMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(outcome) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let (Some(id), Some(kind)) = (outcome["id"].as_str(), outcome["outcome"].as_str()) else {
            continue;
        };
        if kind != "error" {
            done.insert(id.to_ascii_lowercase(), outcome.clone());
        }
    }
    Ok(done)
}
