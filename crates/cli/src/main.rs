//! `optout`: the OptOut Desk command line.
//!
//! `optout preview` shows what each SMS provider, and the account, would do with a reply; the
//! other commands work on the hub (the organisation's record of opt-outs).

mod connect;
mod dispatch;
mod failure;
mod hub;
mod local;
mod output;
mod preview;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::failure::Failure;

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
    #[command(flatten)]
    Local(hub::LocalCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Preview(args) => preview::run(&args, &mut std::io::stdin().lock(), &mut std::io::stdout().lock()),
        Command::Hub(command) => return Failure::exit(on_hub(Work::Link(command), &cli.common)),
        Command::Local(command) => return Failure::exit(on_hub(Work::Local(command), &cli.common)),
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

/// What a hub command needs: a link to the hub, wherever it is, or the hub's own database.
enum Work {
    Link(hub::HubCommand),
    Local(hub::LocalCommand),
}

/// Runs a command that works on the hub.
fn on_hub(work: Work, common: &hub::Common) -> Result<(), Failure> {
    // One thread for a command: a command is one sequence of statements, and a second thread
    // only adds switching between them (bench/RESULTS.md, "Settings the code chose by
    // measuring"). The server takes every core for its clients.
    let runtime = match &work {
        Work::Local(hub::LocalCommand::Serve { .. }) => tokio::runtime::Runtime::new(),
        _ => tokio::runtime::Builder::new_current_thread().enable_all().build(),
    };
    let runtime = runtime.map_err(|e| Failure::Broken(format!("cannot start: {e}")))?;
    runtime.block_on(async {
        match work {
            Work::Link(command) => dispatch::execute(command, &connect::link(common).await?, common.json).await,
            Work::Local(_) if common.hub.is_some() => Err(Failure::Refused(
                "demo and serve work on the hub's own database: run them where the hub runs, without --hub".into(),
            )),
            Work::Local(command) => Ok(local::execute(command, common).await?),
        }
    })
}
