//! Output formats: aligned tables for people, JSON and JSON lines for programs.

use mde_core::MachineAction;
use serde_json::Value;

/// How results are printed.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    /// Aligned columns.
    #[default]
    Table,
    /// One JSON array.
    Json,
    /// One JSON object per line, as results arrive.
    Jsonl,
}

/// Rows under headers, each column as wide as its widest cell.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        padded.join("  ").trim_end().to_owned()
    };
    let mut out = vec![line(headers.iter().map(|h| (*h).to_owned()).collect())];
    out.extend(rows.iter().map(|r| line(r.clone())));
    out.join("\n")
}

/// A table row of an action: id, type, status, machine, created, requestor.
pub fn action_row(a: &MachineAction) -> Vec<String> {
    vec![
        a.id.clone(),
        a.action_type.to_string(),
        a.status.to_string(),
        a.computer_dns_name
            .clone()
            .or_else(|| a.machine_id.clone())
            .unwrap_or_default(),
        a.creation_date_time_utc
            .map(|t| t.to_string())
            .unwrap_or_default(),
        a.requestor.clone().unwrap_or_default(),
    ]
}

/// The headers of [`action_row`].
pub const ACTION_HEADERS: &[&str] = &["ID", "TYPE", "STATUS", "MACHINE", "CREATED", "REQUESTOR"];

/// A table row of a cancel outcome (its JSON form): id, outcome, status, detail.
pub fn outcome_row(o: &Value) -> Vec<String> {
    let text = |v: &Value| v.as_str().unwrap_or("").to_owned();
    let detail = match o["outcome"].as_str() {
        Some("not_cancellable") => format!("already {}", text(&o["status"])),
        Some("not_found") => "no action has this id".to_owned(),
        _ => text(&o["error"]["message"]),
    };
    vec![
        text(&o["id"]),
        text(&o["outcome"]),
        text(&o["status"]),
        detail,
    ]
}

/// The headers of [`outcome_row`].
pub const OUTCOME_HEADERS: &[&str] = &["ID", "OUTCOME", "STATUS", "DETAIL"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_columns() {
        let t = table(
            &["A", "BB"],
            &[
                vec!["xxx".into(), "y".into()],
                vec!["z".into(), "wwww".into()],
            ],
        );
        assert_eq!(t, "A    BB\nxxx  y\nz    wwww");
    }
}
