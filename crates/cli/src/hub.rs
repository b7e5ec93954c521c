//! The arguments of the `optout` commands that work on a hub: where the hub is (`Common`),
//! the commands that go to it through a link (`HubCommand`), and the ones that need its own
//! database (`LocalCommand`).

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Subcommand, ValueEnum};
use optout_hub::{Region, Source};

/// Where the embedded hub lives, and how to print.
#[derive(Debug, Args)]
pub struct Common {
    /// The folder of the embedded hub (default: the desktop app's data folder).
    #[arg(long, global = true, value_name = "DIR")]
    pub(crate) data_dir: Option<PathBuf>,
    /// Work on a hub in PostgreSQL (postgres://…) instead of the embedded SQLite file.
    #[arg(long, global = true, value_name = "URL")]
    pub(crate) database_url: Option<String>,
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

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum OnOff {
    On,
    Off,
}

/// The commands that go to a hub through a link: to its own database, or with `--hub` to
/// `optout serve`.
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
        #[arg(long, default_value = "US", value_parser = region(), ignore_case = true)]
        region: Region,
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
        #[arg(long, value_parser = source())]
        source: Option<Source>,
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
        #[arg(long, default_value = "US", value_parser = region(), ignore_case = true)]
        region: Region,
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
        #[arg(long, default_value = "US", value_parser = region(), ignore_case = true)]
        region: Region,
    },
    /// Everything about one number.
    Lookup {
        phone: String,
        #[arg(long, default_value = "US", value_parser = region(), ignore_case = true)]
        region: Region,
    },
    /// Manage API tokens.
    #[command(subcommand)]
    Tokens(TokensCommand),
}

/// The commands that need the hub's own database: they run where the hub runs, never over
/// `--hub`.
#[derive(Debug, Subcommand)]
pub enum LocalCommand {
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
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Admin,
    Texter,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProviderArg {
    #[value(name = "1")]
    One,
    #[value(name = "2")]
    Two,
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
    /// Change an account's settings, or rename it.
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
        /// A new name.
        #[arg(long, value_name = "NAME")]
        rename: Option<String>,
        /// The keywords automatic opt-outs act on: reference or us_2025.
        #[arg(long, value_enum)]
        rule_set: Option<crate::preview::RuleSetArg>,
        /// Business days a review flag may wait, 1 to 10.
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=10))]
        review_days: Option<u32>,
    },
}

#[derive(Debug, Subcommand)]
pub enum CampaignsCommand {
    /// Add a campaign with the numbers it sends from.
    ///
    /// Example: optout campaigns add "Spring Drive" --account Acme --provider 1 --sender +14155550100
    Add {
        name: String,
        #[arg(long)]
        account: String,
        /// 1: the US and Canada; 2: the UK.
        #[arg(long, value_enum)]
        provider: ProviderArg,
        /// A number it sends from (repeat for more).
        #[arg(long = "sender", value_name = "PHONE")]
        senders: Vec<String>,
    },
    /// List the campaigns, of one account or of all.
    List {
        #[arg(long)]
        account: Option<String>,
    },
    /// Stop, restart or rename a campaign.
    Set {
        name: String,
        #[arg(long)]
        account: String,
        #[arg(long, value_enum)]
        active: Option<OnOff>,
        #[arg(long, value_name = "NAME")]
        rename: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SendersCommand {
    /// Give a number to a campaign: a new one, a retired one, or (with --move) one that sends for
    /// another campaign now.
    Add {
        phone: String,
        #[arg(long)]
        campaign: String,
        #[arg(long)]
        account: String,
        /// Take the number from the campaign it sends for now.
        #[arg(long = "move")]
        take: bool,
    },
    /// Retire a number: it sends no more; its conversations stay, and late replies still count.
    Retire { phone: String },
}

#[derive(Debug, Subcommand)]
pub enum ProvidersCommand {
    /// Connect a provider: the secret that proves its callbacks genuine, read from a file (so that
    /// it is in no shell history and no `ps` listing).
    ///
    /// Examples:
    ///   optout providers set twilio --auth-token-file twilio-token.txt
    ///   optout providers set telnyx --public-key-file telnyx-key.txt
    ///   optout providers set bandwidth --username optout --password-file bw-password.txt
    #[command(verbatim_doc_comment)]
    Set {
        #[arg(value_enum)]
        provider: ProviderNameArg,
        /// Twilio: a file holding the account's auth token.
        #[arg(long, value_name = "FILE", required_if_eq("provider", "twilio"))]
        auth_token_file: Option<std::path::PathBuf>,
        /// Telnyx: a file holding the account's public key (base64).
        #[arg(long, value_name = "FILE", required_if_eq("provider", "telnyx"))]
        public_key_file: Option<std::path::PathBuf>,
        /// Bandwidth: the callback user name set in the Bandwidth application.
        #[arg(long, required_if_eq("provider", "bandwidth"))]
        username: Option<String>,
        /// Bandwidth: a file holding the callback password.
        #[arg(long, value_name = "FILE", required_if_eq("provider", "bandwidth"))]
        password_file: Option<std::path::PathBuf>,
    },
    /// List the connections: when set and by whom, and what has arrived (never the secrets).
    List,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProviderNameArg {
    Twilio,
    Telnyx,
    Bandwidth,
}

#[derive(Debug, Subcommand)]
pub enum ReviewsCommand {
    /// Write the review log as CSV (formula-safe): every flag the rules raised, with the reply,
    /// and who settled it, how and when. For a compliance officer.
    Export {
        /// From this time on (RFC 3339).
        #[arg(long)]
        from: Option<chrono::DateTime<chrono::Utc>>,
        /// Before this time.
        #[arg(long)]
        to: Option<chrono::DateTime<chrono::Utc>>,
        #[arg(long)]
        out: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokensCommand {
    /// Make a token for a person or a system; its secret is shown once.
    Create {
        #[arg(long, value_enum)]
        role: RoleArg,
        /// Who will use it; recorded as the actor of what it does.
        #[arg(long, default_value = "api")]
        name: String,
    },
    /// List tokens (never their secrets): who, role, made, last used.
    List,
    /// Revoke a token by id.
    Revoke { id: i64 },
}

/// `--region`: a number written without `+` is read in this country. US, CA or GB (UK too),
/// in any case; anything else is refused with the accepted values listed.
fn region() -> impl TypedValueParser<Value = Region> {
    PossibleValuesParser::new(["US", "CA", "GB", "UK"]).try_map(|text| Region::parse(&text))
}

/// `--source`: the sources an opt-out may have (a request to stop in the contact's own words,
/// `reply`, never opts anybody out by itself).
fn source() -> impl TypedValueParser<Value = Source> {
    let sources = [Source::KeywordReply, Source::Manual, Source::ProviderBlock, Source::Import, Source::Api];
    PossibleValuesParser::new(sources.map(Source::as_str)).try_map(|text| Source::parse(&text))
}
