//! The `optout` commands that work on the hub: the command line's arguments, and the commands
//! that need the hub's own database (import, export, demo, serve) or, with `--hub`, its HTTP
//! API. The commands that set an organisation up and act on numbers are in `setup`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use optout_cache::{AnyLink, Embedded, Remote};
use optout_hub::{Actor, Error, Hub, ImportOptions, OptOutFilter, Region, Source};

use crate::output::{print, print_export, print_import};
pub use crate::setup::{
    AccountsCommand, CampaignsCommand, ProvidersCommand, ReviewsCommand, SendersCommand, TokensCommand,
};

/// Where the embedded hub lives, and how to print.
#[derive(Debug, Args)]
pub struct Common {
    /// The folder of the embedded hub (default: the desktop app's data folder).
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Work on a hub in PostgreSQL (postgres://…) instead of the embedded SQLite file.
    #[arg(long, global = true, value_name = "URL")]
    database_url: Option<String>,
    /// Work on a hub over HTTP (`optout serve` at this URL) instead of a local database.
    #[arg(long, global = true, value_name = "URL", conflicts_with_all = ["data_dir", "database_url"])]
    pub(crate) hub: Option<String>,
    /// The token for --hub (default: the OPTOUT_TOKEN environment variable, which `ps` does not show).
    #[arg(long, global = true, value_name = "TOKEN", requires = "hub")]
    pub(crate) token: Option<String>,
    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    pub(crate) json: bool,
}

/// Why a command failed, as its exit code tells: 1 when the input was wrong or the hub refused
/// (a bad number, an unknown account, a missing or broken file, a bad token), 3 when storage
/// or the connection to the hub failed.
#[derive(Debug)]
pub enum Failure {
    /// Exit 1.
    Refused(String),
    /// Exit 3.
    Broken(String),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        match error {
            Error::Storage(_) | Error::Corrupt(_) => Failure::Broken(error.to_string()),
            Error::InvalidPhone { .. }
            | Error::InvalidField { .. }
            | Error::UnknownAccount(_)
            | Error::UnknownCampaign(_)
            | Error::UnknownSender(_)
            | Error::NotFound(_)
            | Error::AlreadyExists(_)
            | Error::Refused { .. }
            | Error::CommandReused(_)
            | Error::Csv { .. }
            | Error::File { .. }
            | Error::Cancelled
            | Error::ImportStopped { .. } => Failure::Refused(error.to_string()),
        }
    }
}

impl From<optout_cache::Error> for Failure {
    fn from(error: optout_cache::Error) -> Failure {
        use optout_cache::Error as E;
        match error {
            E::Refused { .. } | E::InvalidField { .. } | E::Unauthorized(_) | E::Cancelled => {
                Failure::Refused(error.to_string())
            }
            E::Unreachable(_) | E::Protocol(_) | E::Storage(_) | E::OtherHub { .. } => {
                Failure::Broken(error.to_string())
            }
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

/// The hub commands.
#[derive(Debug, Subcommand)]
pub enum HubCommand {
    /// Manage accounts.
    #[command(subcommand)]
    Accounts(AccountsCommand),
    /// Manage campaigns.
    #[command(subcommand)]
    Campaigns(CampaignsCommand),
    /// Manage the numbers campaigns send from.
    #[command(subcommand)]
    Senders(SendersCommand),
    /// The review log.
    #[command(subcommand)]
    Reviews(ReviewsCommand),
    /// The SMS providers' webhooks: the secrets that prove their callbacks genuine.
    #[command(subcommand)]
    Providers(ProvidersCommand),
    /// Import an opt-out list (CSV with a header, or bare numbers) into an account.
    Import {
        file: PathBuf,
        #[arg(long)]
        account: String,
        /// Region for numbers written without +.
        #[arg(long, default_value = "US", value_parser = ["US", "CA", "GB", "UK"], ignore_case = true)]
        region: String,
        /// The header of the phone column, when it is not phone, mobile, cell, number or e164.
        #[arg(long)]
        column: Option<String>,
        /// Say what the import would do (new, already opted out, duplicates, refused rows) and
        /// write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Export the opt-out list as CSV.
    Export {
        #[arg(long)]
        account: Option<String>,
        #[arg(long)]
        campaign: Option<String>,
        #[arg(long, value_parser = ["keyword_reply", "manual", "provider_block", "import", "api"])]
        source: Option<String>,
        /// From this time on (RFC 3339, e.g. 2026-01-01T00:00:00Z).
        #[arg(long)]
        from: Option<chrono::DateTime<chrono::Utc>>,
        /// Before this time.
        #[arg(long)]
        to: Option<chrono::DateTime<chrono::Utc>>,
        /// Include opt-outs that were reversed.
        #[arg(long)]
        include_reversed: bool,
        #[arg(long)]
        out: PathBuf,
    },
    /// Opt a number out of an account.
    OptOut {
        phone: String,
        #[arg(long)]
        account: String,
        #[arg(long)]
        reason: String,
        /// Send this message to the contact about it.
        #[arg(long)]
        message: Option<String>,
        #[arg(long, default_value = "US")]
        region: String,
    },
    /// Opt a number back into an account (reverses its opt-out in force, or the one named).
    OptIn {
        phone: String,
        #[arg(long)]
        account: String,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        opt_out_id: Option<i64>,
        /// When the contact asked to stop again after the opt-out, the latest such request (the
        /// refusal names it): opt in anyway, having read it.
        #[arg(long, value_name = "REQUEST_ID")]
        overrides_request: Option<i64>,
        #[arg(long, default_value = "US")]
        region: String,
    },
    /// Everything about one number.
    Lookup {
        phone: String,
        #[arg(long, default_value = "US")]
        region: String,
    },
    /// Build a demo organisation with realistic traffic.
    Demo {
        #[arg(long, default_value_t = 2000)]
        contacts: u64,
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// Serve the HTTP API (from PostgreSQL with --database-url postgres://…).
    Serve {
        #[arg(long, default_value = "127.0.0.1:8484")]
        listen: String,
        /// The hub's address as the providers reach it, when it sits behind a proxy
        /// (https://hub.example.org): the URL Twilio signs its callbacks with.
        #[arg(long, value_name = "URL")]
        public_url: Option<String>,
    },
    /// Manage API tokens.
    #[command(subcommand)]
    Tokens(TokensCommand),
}

/// Where the desktop app keeps its data; the CLI uses the same hub file by default.
fn data_dir(common: &Common) -> Result<PathBuf, Error> {
    common
        .data_dir
        .clone()
        .or_else(|| dirs::data_dir().map(|d| d.join("org.optoutdesk.app")))
        .ok_or_else(|| Error::InvalidField { field: "--data-dir".into(), message: "no home folder; pass one".into() })
}

fn actor_name() -> String {
    std::env::var("USER").ok().filter(|u| !u.is_empty()).map_or_else(|| "cli".to_owned(), |u| format!("{u} (cli)"))
}

/// Runs a hub command and maps its error to an exit code: 1 when the input was wrong or the hub
/// refused (a bad number, an unknown account, a missing or broken file), 3 when storage failed.
pub fn run(command: HubCommand, common: &Common) -> ExitCode {
    // One thread for a command: a command is one sequence of statements, and a second thread
    // only adds switching between them (the 100,000-contact demo took 12.4 s on two threads,
    // 8.8 s on one). The server takes every core for its clients.
    let runtime = match &command {
        HubCommand::Serve { .. } => tokio::runtime::Runtime::new(),
        _ => tokio::runtime::Builder::new_current_thread().enable_all().build(),
    };
    let runtime = match runtime {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("optout: cannot start: {e}");
            return ExitCode::from(3);
        }
    };
    let result = runtime.block_on(async {
        if crate::setup::handles(&command) {
            return crate::setup::execute(command, &link(common).await?, common.json).await;
        }
        match &common.hub {
            Some(url) => crate::remote::execute(command, url, common).await,
            None => execute(command, common).await.map_err(Failure::from),
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Refused(message)) => {
            eprintln!("optout: {message}");
            ExitCode::from(1)
        }
        Err(Failure::Broken(message)) => {
            eprintln!("optout: {message}");
            ExitCode::from(3)
        }
    }
}

async fn open(common: &Common) -> Result<Hub, Error> {
    match &common.database_url {
        Some(url) => Hub::connect(url).await,
        None => Hub::open(&data_dir(common)?.join("hub.sqlite3")).await,
    }
}

/// The link the setup commands go through: to `optout serve` with `--hub`, else to the hub's
/// own database, as the person at this terminal, an admin.
async fn link(common: &Common) -> Result<AnyLink, Failure> {
    Ok(match &common.hub {
        Some(url) => AnyLink::Remote(Remote::new(url, &crate::remote::token(common)?)?),
        None => AnyLink::Embedded(Embedded::new(open(common).await?, Actor::admin(actor_name()), "local")),
    })
}

async fn execute(command: HubCommand, common: &Common) -> Result<(), Error> {
    let json = common.json;
    match command {
        HubCommand::Import { file, account, region, column, dry_run } => {
            let hub = open(common).await?;
            let options = ImportOptions {
                account,
                region: Region::parse(&region)?,
                column,
                actor: actor_name(),
                batch_rows: optout_hub::DEFAULT_BATCH_ROWS,
                dry_run,
            };
            let summary = hub.import_csv(&file, &options, |_| true).await?;
            print_import(json, &summary, &file);
            Ok(())
        }
        HubCommand::Export { account, campaign, source, from, to, include_reversed, out } => {
            let hub = open(common).await?;
            if let Some(account) = &account {
                hub.account(account).await?;
            }
            let filter = OptOutFilter {
                account,
                campaign,
                source: source.as_deref().map(Source::parse).transpose()?,
                from,
                to,
                phone_prefix: None,
                include_reversed,
            };
            let (partial, file) = optout_hub::Partial::create(&out)?;
            let rows = hub.export_csv(&filter, file, &out, |_| true).await?;
            partial.commit()?;
            print_export(json, rows, &out);
            Ok(())
        }
        HubCommand::Demo { contacts, seed } => {
            let hub = open(common).await?;
            let summary = hub.build_demo(contacts, seed, |_| true).await?;
            print(json, &summary, || {
                format!(
                    "{} accounts, {} contacts, {} messages, {} opt-outs in force",
                    summary.accounts, summary.contacts, summary.messages, summary.opt_outs
                )
            });
            Ok(())
        }
        HubCommand::Serve { listen, public_url } => {
            // The server's log: what it refused and why, never a secret or a body.
            tracing_subscriber::fmt()
                .with_env_filter(
                    tracing_subscriber::EnvFilter::try_from_env("OPTOUT_LOG")
                        .unwrap_or_else(|_| "info,sqlx=warn".into()),
                )
                .with_writer(std::io::stderr)
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
                .init();
            let hub = open(common).await?;
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .map_err(|source| Error::File { path: PathBuf::from(&listen), source })?;
            let address = listener.local_addr().map_err(|source| Error::File { path: listen.into(), source })?;
            let mut options = optout_hub::http::ServeOptions::new(data_dir(common)?.join("uploads"));
            options.public_url = public_url;
            tracing::info!(
                target: "optout::serve",
                "serving the hub ({:?}, commits with {}, uploads in {}) on http://{address}",
                hub.backend(),
                hub.durability().await?,
                options.upload_dir.display()
            );
            let shutdown = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            optout_hub::http::serve_with(hub, listener, options, shutdown)
                .await
                .map_err(|source| Error::File { path: PathBuf::from(address.to_string()), source })
        }
        other => Err(Error::InvalidField { field: "command".into(), message: format!("{other:?} runs elsewhere") }),
    }
}
