//! The `optout` commands that work on the hub: accounts, import, export, opt-out, opt-in,
//! lookup, demo, serve and tokens.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use optout_hub::{
    AccountSettings, Actor, Error, Hub, ImportOptions, OptInRequest, OptOutFilter, OptOutRequest, Region, Role, Source,
};
use uuid::Uuid;

use crate::output::{
    describe_lookup, print, print_account, print_accounts, print_export, print_import, print_opt_in, print_opt_out,
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
            _ => Failure::Refused(error.to_string()),
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

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Admin,
    Texter,
}

#[derive(Debug, Subcommand)]
pub enum AccountsCommand {
    /// Add an account.
    Add {
        name: String,
        #[arg(long, value_enum, default_value = "on")]
        auto_opt_outs: OnOff,
    },
    /// List the accounts and their settings.
    List,
    /// Change an account's settings.
    Set {
        name: String,
        #[arg(long, value_enum)]
        auto_opt_outs: Option<OnOff>,
        /// The confirmation sent after an automatic opt-out ("" for none).
        #[arg(long)]
        confirmation_message: Option<String>,
        /// The message offered when opting someone out by hand.
        #[arg(long)]
        default_opt_out_message: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokensCommand {
    /// Make a token for the HTTP API; its secret is shown once.
    Create {
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Who will use it; recorded as the actor of what it does.
        #[arg(long, default_value = "api")]
        name: String,
    },
    /// List tokens (never their secrets).
    List,
    /// Revoke a token by id.
    Revoke { id: i64 },
}

/// The hub commands.
#[derive(Debug, Subcommand)]
pub enum HubCommand {
    /// Manage accounts.
    #[command(subcommand)]
    Accounts(AccountsCommand),
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
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("optout: cannot start: {e}");
            return ExitCode::from(3);
        }
    };
    let result = match &common.hub {
        Some(url) => runtime.block_on(crate::remote::execute(command, url, common)),
        None => runtime.block_on(execute(command, common)).map_err(Failure::from),
    };
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

pub(crate) fn on(value: OnOff) -> bool {
    matches!(value, OnOff::On)
}

async fn execute(command: HubCommand, common: &Common) -> Result<(), Error> {
    let json = common.json;
    match command {
        HubCommand::Accounts(command) => accounts(command, common).await,
        HubCommand::Import { file, account, region, column } => {
            let hub = open(common).await?;
            let options = ImportOptions {
                account,
                region: Region::parse(&region)?,
                column,
                actor: actor_name(),
                batch_rows: optout_hub::DEFAULT_BATCH_ROWS,
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
        HubCommand::OptOut { phone, account, reason, message, region } => {
            let hub = open(common).await?;
            let request = OptOutRequest {
                command_id: Uuid::new_v4(),
                account,
                phone,
                region: Region::parse(&region)?,
                reason,
                message,
                source: Source::Manual,
            };
            let outcome = hub.opt_out(&Actor::admin(actor_name()), &request).await?;
            print_opt_out(json, &outcome);
            Ok(())
        }
        HubCommand::OptIn { phone, account, reason, opt_out_id, overrides_request, region } => {
            let hub = open(common).await?;
            let region = Region::parse(&region)?;
            let opt_out_id = match opt_out_id {
                Some(id) => id,
                None => in_force(&hub.lookup(&phone, region).await?, &account, &phone)?,
            };
            let request = OptInRequest {
                command_id: Uuid::new_v4(),
                account,
                phone,
                region,
                opt_out_id,
                overrides_request_id: overrides_request,
                reason,
            };
            let outcome = hub.opt_in(&Actor::admin(actor_name()), &request).await?;
            print_opt_in(json, &outcome);
            Ok(())
        }
        HubCommand::Lookup { phone, region } => {
            let hub = open(common).await?;
            let lookup = hub.lookup(&phone, Region::parse(&region)?).await?;
            print(json, &lookup, || describe_lookup(&lookup));
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
        HubCommand::Serve { listen } => {
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
            let options = optout_hub::http::ServeOptions::new(data_dir(common)?.join("uploads"));
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
        HubCommand::Tokens(command) => tokens(command, common).await,
    }
}

async fn accounts(command: AccountsCommand, common: &Common) -> Result<(), Error> {
    let hub = open(common).await?;
    let account = match command {
        AccountsCommand::Add { name, auto_opt_outs } => hub.add_account(&name, on(auto_opt_outs)).await?,
        AccountsCommand::Set { name, auto_opt_outs, confirmation_message, default_opt_out_message } => {
            hub.update_account(&name, &settings(auto_opt_outs, confirmation_message, default_opt_out_message)).await?
        }
        AccountsCommand::List => {
            print_accounts(common.json, &hub.accounts().await?);
            return Ok(());
        }
    };
    print_account(common.json, &account);
    Ok(())
}

pub(crate) fn settings(
    auto_opt_outs: Option<OnOff>,
    confirmation_message: Option<String>,
    default_opt_out_message: Option<String>,
) -> AccountSettings {
    AccountSettings { auto_opt_outs: auto_opt_outs.map(on), confirmation_message, default_opt_out_message }
}

/// The id of the opt-out in force for `phone` in `account`, which an opt-in reverses when none
/// is named.
pub(crate) fn in_force(lookup: &optout_hub::Lookup, account: &str, phone: &str) -> Result<i64, Error> {
    Ok(lookup
        .accounts
        .iter()
        .find(|a| a.account == account)
        .ok_or_else(|| Error::UnknownAccount(account.to_owned()))?
        .opt_out
        .as_ref()
        .ok_or_else(|| Error::NotFound(format!("an opt-out of {phone} in {account}")))?
        .id)
}

async fn tokens(command: TokensCommand, common: &Common) -> Result<(), Error> {
    let hub = open(common).await?;
    match command {
        TokensCommand::Create { role, name } => {
            let role = match role {
                RoleArg::Admin => Role::Admin,
                RoleArg::Texter => Role::Texter,
            };
            let (token, secret) = hub.create_token(&name, role).await?;
            print(common.json, &serde_json::json!({ "token": token, "secret": secret }), || {
                format!(
                    "{secret}\n(token {} for {}, role {}; the secret is not shown again)",
                    token.id,
                    token.name,
                    role.as_str()
                )
            });
        }
        TokensCommand::List => {
            let tokens = hub.tokens().await?;
            print(common.json, &tokens, || {
                tokens
                    .iter()
                    .map(|t| {
                        let state = if t.revoked_at.is_some() { "revoked" } else { "live" };
                        format!("{}\t{}\t{}\t{state}", t.id, t.name, t.role.as_str())
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        TokensCommand::Revoke { id } => {
            hub.revoke_token(id).await?;
            print(common.json, &serde_json::json!({ "revoked": id }), || format!("token {id} revoked"));
        }
    }
    Ok(())
}
