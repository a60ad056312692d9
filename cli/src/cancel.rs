//! `mde cancel`: select (ids or a filter), confirm, cancel within the limits, report.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use futures_util::StreamExt;
use mde_core::{Client, Comment, DEFAULT_CONCURRENCY};
use serde_json::Value;

use crate::output::{self, Format};
use crate::progress::Progress;
use crate::report::{self, Report};
use crate::selection::{read_ids, FilterArgs};
use crate::Failure;

/// Above this many actions, a run asks for confirmation unless `--yes`.
const CONFIRM_ABOVE: usize = 10;

/// Statuses a filter selects when `--status` is not given: the ones a cancel can act on.
const CANCELLABLE: &[&str] = &["Pending", "InProgress"];

/// Cancel machine actions, by id or by filter.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct CancelArgs {
    /// Machine action ids; `-` reads ids from stdin, one per line.
    #[arg(value_name = "ID")]
    pub ids: Vec<String>,
    /// Why the actions are cancelled (recorded on each).
    #[arg(long)]
    pub comment: String,
    /// A file of ids, one per line (`-` for stdin).
    #[arg(long, value_name = "FILE")]
    pub ids_file: Option<String>,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// Print what would be cancelled; send no cancel.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation (asked above 10 actions).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// Append one JSON line per id to FILE as each finishes.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Skip the ids a previous report already finished (outcomes other than error).
    #[arg(long, value_name = "FILE")]
    pub resume: Option<PathBuf>,
    /// Output format of the results.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub output: Format,
    /// Cancels in flight at once (the rate limits set the pace).
    #[arg(long, default_value_t = DEFAULT_CONCURRENCY)]
    pub concurrency: usize,
}

/// Asks on stderr; reads the answer from stdin, or from the terminal when stdin
/// held the ids.
fn confirm(count: usize, stdin_used: bool) -> Result<bool, Failure> {
    eprint!("Cancel {count} machine actions? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    if stdin_used {
        let tty = std::fs::File::open("/dev/tty").map_err(|_| {
            Failure::Usage(format!(
                "{count} actions need confirmation and stdin held the ids: pass --yes"
            ))
        })?;
        std::io::BufReader::new(tty).read_line(&mut answer)
    } else {
        std::io::stdin().lock().read_line(&mut answer)
    }
    .map_err(|e| Failure::Usage(format!("cannot read the confirmation: {e}")))?;
    Ok(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

/// Runs `mde cancel`. Exit status 0 when every selected action ended cancelled.
pub async fn run(client: &Client, args: CancelArgs) -> Result<ExitCode, Failure> {
    Comment::new(&args.comment).map_err(|e| Failure::Usage(e.to_string()))?;
    let mut stdin_used = false;
    let mut ids = Vec::new();
    for id in &args.ids {
        if id == "-" {
            stdin_used = true;
            ids.extend(read_ids("-").map_err(Failure::Usage)?);
        } else {
            ids.push(id.clone());
        }
    }
    if let Some(file) = &args.ids_file {
        stdin_used |= file == "-";
        ids.extend(read_ids(file).map_err(Failure::Usage)?);
    }
    let by_filter = !args.filter.is_empty();
    match (ids.is_empty(), by_filter) {
        (false, true) => return Err(Failure::Usage("give ids or a filter, not both".into())),
        (true, false) if args.ids.is_empty() && args.ids_file.is_none() => {
            return Err(Failure::Usage(
                "nothing selected: give ids, --ids-file, or a filter such as --requestor".into(),
            ))
        }
        _ => {}
    }
    let mut listed = Vec::new();
    if by_filter {
        let filter = args.filter.filter(CANCELLABLE).map_err(Failure::Usage)?;
        let mut stream = Box::pin(client.list_actions(&filter));
        while let Some(action) = stream.next().await {
            listed.push(action.map_err(|e| Failure::Failed(e.to_string()))?);
        }
        ids = listed.iter().map(|a| a.id.clone()).collect();
    }

    let previous = match &args.resume {
        Some(path) if path.exists() => report::finished(path).map_err(Failure::Usage)?,
        _ => Default::default(),
    };
    let before = ids.len();
    ids.retain(|id| !previous.contains_key(&id.to_ascii_lowercase()));
    if args.resume.is_some() {
        eprintln!(
            "resuming: {} already finished, {} to go",
            before - ids.len(),
            ids.len()
        );
    }

    if args.dry_run {
        if listed.is_empty() {
            println!("{}", ids.join("\n"));
        } else {
            let selected: std::collections::HashSet<&String> = ids.iter().collect();
            let rows: Vec<_> = listed
                .iter()
                .filter(|a| selected.contains(&a.id))
                .map(output::action_row)
                .collect();
            println!("{}", output::table(output::ACTION_HEADERS, &rows));
        }
        eprintln!(
            "dry run: would cancel {} machine actions; nothing was sent",
            ids.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if ids.len() > CONFIRM_ABOVE && !args.yes && !confirm(ids.len(), stdin_used)? {
        eprintln!("aborted: nothing was cancelled");
        return Ok(ExitCode::from(1));
    }

    let mut report = args
        .report
        .as_deref()
        .map(Report::open)
        .transpose()
        .map_err(Failure::Usage)?;
    let outcomes = client
        .cancel_actions(&ids, &args.comment, args.concurrency)
        .map_err(|e| Failure::Usage(e.to_string()))?;
    let progress = Progress::new(ids.len());
    let mut results: Vec<Value> = Vec::new();
    let mut outcomes = Box::pin(outcomes);
    while let Some(outcome) = outcomes.next().await {
        let json = outcome.to_json();
        if let Some(report) = &mut report {
            report.record(&json).map_err(Failure::Failed)?;
        }
        progress.update(&outcome);
        if args.output == Format::Jsonl {
            println!("{json}");
        }
        results.push(json);
    }
    progress.finish();

    let count = |kind: &str| results.iter().filter(|r| r["outcome"] == kind).count();
    match args.output {
        Format::Table => {
            let rows: Vec<_> = results.iter().map(output::outcome_row).collect();
            println!("{}", output::table(output::OUTCOME_HEADERS, &rows));
        }
        Format::Json => println!(
            "{}",
            serde_json::to_string(&results).expect("JSON values always serialise")
        ),
        Format::Jsonl => {}
    }
    eprintln!(
        "{} cancelled, {} not cancellable, {} not found, {} invalid ids, {} errors",
        count("cancelled"),
        count("not_cancellable"),
        count("not_found"),
        count("invalid_id"),
        count("error")
    );
    let all_cancelled = results
        .iter()
        .chain(previous.values())
        .all(|r| r["outcome"] == "cancelled");
    Ok(if all_cancelled {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
