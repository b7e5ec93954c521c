//! `optout`: the OptOut Desk command line.
//!
//! `optout preview` shows what each SMS provider, and the account, would do with a reply; the
//! other commands work on the hub (the organisation's record of opt-outs).

mod hub;
mod output;
mod preview;
mod remote;
mod setup;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// OptOut Desk on the command line.
#[derive(Debug, Parser)]
#[command(name = "optout", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    common: hub::Common,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Show what happens to a reply: opt-outs, blocks, confirmation and what a person must do.
    ///
    /// Examples:
    ///   optout preview --provider 1 --auto-opt-outs on --first-response yes -- "Stop."
    ///   optout preview --all -- "no more texts please"
    ///   optout preview --provider 2 --auto-opt-outs off --first-response yes --stdin < replies.txt
    #[command(verbatim_doc_comment)]
    Preview(preview::Args),
    #[command(flatten)]
    Hub(hub::HubCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Preview(args) => preview::run(&args, &mut std::io::stdin().lock(), &mut std::io::stdout().lock()),
        Command::Hub(command) => return hub::run(command, &cli.common),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`optout preview --stdin … | head`): nothing more to say.
        Err(preview::Error::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("optout: {error}");
            ExitCode::FAILURE
        }
    }
}
