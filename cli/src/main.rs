//! `mde`: cancel Microsoft Defender for Endpoint machine actions, one or in bulk.

mod cancel;
mod demo;
mod output;
mod progress;
mod report;
mod selection;
mod settings;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use futures_util::StreamExt;
use mde_core::{ActionId, Client};

use output::Format;
use selection::FilterArgs;
use settings::Connection;

/// Cancel Microsoft Defender for Endpoint machine actions: one, many, or a filtered
/// selection, within the service's rate limits, with a report of every outcome.
///
/// Start with `mde demo`: it needs no credentials.
#[derive(Parser, Debug)]
#[command(name = "mde", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Cancel actions by id (arguments, --ids-file, or - for stdin) or by filter.
    Cancel {
        #[command(flatten)]
        args: cancel::CancelArgs,
        #[command(flatten)]
        connection: Connection,
    },
    /// Show one action.
    Get {
        #[command(flatten)]
        connection: Connection,
        /// The machine action id.
        id: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Json)]
        output: Format,
    },
    /// List actions.
    List {
        #[command(flatten)]
        connection: Connection,
        #[command(flatten)]
        filter: FilterArgs,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        output: Format,
    },
    /// Run the emulator of the service (same options as mde-emulator).
    #[command(long_about = mde_emulator::cli::ABOUT)]
    Emulator(mde_emulator::cli::Args),
    /// Show a mistaken mass isolation being found and cancelled, on an emulator.
    Demo,
}

/// Why a command stopped: a usage or configuration problem (exit 2), or a failed
/// operation (exit 1).
#[derive(Debug)]
pub enum Failure {
    Usage(String),
    Failed(String),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Emulator(args) = &cli.command {
        mde_emulator::cli::run(args);
        return ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("mde: cannot start: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(dispatch(cli)) {
        Ok(code) => code,
        Err(Failure::Usage(message)) => {
            eprintln!("mde: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Failed(message)) => {
            eprintln!("mde: {message}");
            ExitCode::from(1)
        }
    }
}

fn client(connection: &Connection) -> Result<Client, Failure> {
    let config = connection.config().map_err(Failure::Usage)?;
    Client::new(config).map_err(|e| Failure::Usage(e.to_string()))
}

async fn dispatch(cli: Cli) -> Result<ExitCode, Failure> {
    match cli.command {
        Command::Demo => demo::run().await,
        Command::Cancel { args, connection } => cancel::run(&client(&connection)?, args).await,
        Command::Get {
            connection,
            id,
            output,
        } => {
            let id = ActionId::parse(&id).map_err(|e| Failure::Usage(e.to_string()))?;
            let action = client(&connection)?
                .get_action(&id)
                .await
                .map_err(|e| Failure::Failed(e.to_string()))?;
            match output {
                Format::Table => println!(
                    "{}",
                    output::table(output::ACTION_HEADERS, &[output::action_row(&action)])
                ),
                _ => println!("{}", action.raw_json()),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::List {
            connection,
            filter,
            output,
        } => {
            let filter = filter.filter(&[]).map_err(Failure::Usage)?;
            let client = client(&connection)?;
            let mut stream = Box::pin(client.list_actions(&filter));
            let mut rows = Vec::new();
            let mut all = Vec::new();
            while let Some(action) = stream.next().await {
                let action = action.map_err(|e| Failure::Failed(e.to_string()))?;
                match output {
                    Format::Jsonl => println!("{}", action.raw_json()),
                    Format::Json => all.push(
                        serde_json::from_str::<serde_json::Value>(action.raw_json())
                            .unwrap_or_default(),
                    ),
                    Format::Table => rows.push(output::action_row(&action)),
                }
            }
            match output {
                Format::Table => println!("{}", output::table(output::ACTION_HEADERS, &rows)),
                Format::Json => println!("{}", serde_json::Value::Array(all)),
                Format::Jsonl => {}
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Emulator(_) => unreachable!("handled before the runtime starts"),
    }
}
