//! `mde-emulator`: runs the emulator until stopped.

use clap::Parser;

/// An emulator of Microsoft Defender for Endpoint's machine-action API, for testing
/// automation offline.
#[derive(Parser, Debug)]
#[command(name = "mde-emulator", version, long_about = mde_emulator::cli::ABOUT)]
struct Cli {
    #[command(flatten)]
    args: mde_emulator::cli::Args,
}

fn main() {
    mde_emulator::cli::run(&Cli::parse().args);
}
