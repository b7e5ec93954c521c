//! The commands that set an organisation up and act on numbers: accounts, campaigns, sender
//! numbers, tokens, opt-outs, opt-ins and lookups. One dispatcher for both places a hub can be:
//! each command goes through the same link as the desktop's (`optout_client::Link`), to the
//! hub's own database or to `optout serve` with `--hub`.

use clap::{Subcommand, ValueEnum};
use optout_client::{Answer, AnyLink, Command, Link};
use optout_hub::{
    AccountSettings, CampaignChange, NewAccount, NewCampaign, NewToken, OptInRequest, OptOutRequest, ProviderSetup,
    Region, RetireSender, RevokeToken, Role, SenderChange, Source,
};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::hub::{Failure, HubCommand, OnOff};
use crate::output::{
    describe_lookup, print, print_account, print_accounts, print_campaign, print_campaigns, print_opt_in,
    print_opt_out, print_providers, print_tokens, shown,
};

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

/// A secret read from a file, trimmed; the error names the file.
fn secret_file(path: &std::path::Path) -> Result<String, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| Failure::from(optout_hub::Error::File { path: path.to_owned(), source }))?;
    Ok(text.trim().to_owned())
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

/// Whether `command` is one of this module's.
pub(crate) fn handles(command: &HubCommand) -> bool {
    matches!(
        command,
        HubCommand::Accounts(_)
            | HubCommand::Campaigns(_)
            | HubCommand::Senders(_)
            | HubCommand::Tokens(_)
            | HubCommand::Reviews(_)
            | HubCommand::Providers(_)
            | HubCommand::OptOut { .. }
            | HubCommand::OptIn { .. }
            | HubCommand::Lookup { .. }
    )
}

/// Sends `command` and reads its outcome; a refusal is the hub's reason.
async fn send<T: DeserializeOwned>(link: &AnyLink, command: Command) -> Result<T, Failure> {
    match link.send(&command).await? {
        Answer::Accepted { outcome } => serde_json::from_value(outcome)
            .map_err(|e| Failure::Broken(format!("the hub's answer cannot be read: {e}"))),
        Answer::Refused { message, .. } => Err(Failure::Refused(message)),
    }
}

fn on(value: OnOff) -> bool {
    matches!(value, OnOff::On)
}

/// Runs one of the commands [`handles`] says are this module's.
pub(crate) async fn execute(command: HubCommand, link: &AnyLink, json: bool) -> Result<(), Failure> {
    let id = Uuid::new_v4;
    match command {
        HubCommand::Accounts(AccountsCommand::List) => print_accounts(json, &link.accounts().await?),
        HubCommand::Accounts(AccountsCommand::Add { name, auto_opt_outs }) => {
            let request = NewAccount { command_id: id(), name, auto_opt_outs: on(auto_opt_outs) };
            print_account(json, &send(link, Command::AddAccount(request)).await?);
        }
        HubCommand::Accounts(AccountsCommand::Set {
            name,
            auto_opt_outs,
            confirmation_message,
            default_opt_out_message,
            rename,
            rule_set,
            review_days,
        }) => {
            let settings = AccountSettings {
                command_id: None,
                name: rename,
                auto_opt_outs: auto_opt_outs.map(on),
                confirmation_message,
                default_opt_out_message,
                rule_set: rule_set.map(|r| r.rule_set()),
                review_days,
            };
            let command = Command::Settings { command_id: id(), account: name, settings };
            print_account(json, &send(link, command).await?);
        }
        HubCommand::Campaigns(CampaignsCommand::List { account }) => {
            print_campaigns(json, &link.campaigns(account.as_deref()).await?);
        }
        HubCommand::Campaigns(CampaignsCommand::Add { name, account, provider, senders }) => {
            let provider = if provider == ProviderArg::One { 1 } else { 2 };
            let request = NewCampaign { command_id: id(), account, name, provider, sender_numbers: senders };
            print_campaign(json, &send(link, Command::AddCampaign(request)).await?);
        }
        HubCommand::Campaigns(CampaignsCommand::Set { name, account, active, rename }) => {
            let request = CampaignChange { command_id: id(), account, campaign: name, active: active.map(on), rename };
            print_campaign(json, &send(link, Command::UpdateCampaign(request)).await?);
        }
        HubCommand::Senders(SendersCommand::Add { phone, campaign, account, take }) => {
            let move_from_campaign = match take {
                true => sends_for(link, &phone).await?,
                false => None,
            };
            let request = SenderChange { command_id: id(), phone, account, campaign, move_from_campaign };
            print_campaign(json, &send(link, Command::AddSender(request)).await?);
        }
        HubCommand::Senders(SendersCommand::Retire { phone }) => {
            let request = RetireSender { command_id: id(), phone };
            print_campaign(json, &send(link, Command::RetireSender(request)).await?);
        }
        HubCommand::Tokens(TokensCommand::Create { role, name }) => {
            let role = match role {
                RoleArg::Admin => Role::Admin,
                RoleArg::Texter => Role::Texter,
            };
            // The secret is made here and only its hash travels: nothing keeps it but this screen.
            let secret = optout_hub::new_secret()?;
            let hash = Some(optout_hub::secret_sha256(&secret));
            let request = NewToken { command_id: id(), name, role, secret_sha256: hash };
            let token: optout_hub::Token = send(link, Command::AddToken(request)).await?;
            print(json, &serde_json::json!({ "token": token, "secret": secret }), || {
                format!(
                    "{secret}\n(token {} for {}, role {}; the secret is not shown again)",
                    token.id,
                    shown(&token.name),
                    role.as_str()
                )
            });
        }
        HubCommand::Tokens(TokensCommand::List) => print_tokens(json, &link.tokens().await?),
        HubCommand::Tokens(TokensCommand::Revoke { id: token_id }) => {
            let request = RevokeToken { command_id: id(), token_id };
            let token: optout_hub::Token = send(link, Command::RevokeToken(request)).await?;
            print(json, &token, || format!("token {} of {} revoked", token.id, shown(&token.name)));
        }
        HubCommand::OptOut { phone, account, reason, message, region } => {
            let region = Region::parse(&region)?;
            let request =
                OptOutRequest { command_id: id(), account, phone, region, reason, message, source: Source::Manual };
            print_opt_out(json, &send(link, Command::OptOut(request)).await?);
        }
        HubCommand::OptIn { phone, account, reason, opt_out_id, overrides_request, region } => {
            let region = Region::parse(&region)?;
            let opt_out_id = match opt_out_id {
                Some(id) => id,
                None => in_force(&link.lookup(&phone, region).await?, &account, &phone)?,
            };
            let request = OptInRequest {
                command_id: id(),
                account,
                phone,
                region,
                opt_out_id,
                overrides_request_id: overrides_request,
                reason,
            };
            print_opt_in(json, &send(link, Command::OptIn(request)).await?);
        }
        HubCommand::Lookup { phone, region } => {
            let lookup = link.lookup(&phone, Region::parse(&region)?).await?;
            print(json, &lookup, || describe_lookup(&lookup));
        }
        HubCommand::Providers(ProvidersCommand::List) => print_providers(json, &link.providers().await?),
        HubCommand::Providers(ProvidersCommand::Set {
            provider,
            auth_token_file,
            public_key_file,
            username,
            password_file,
        }) => {
            let file = |path: Option<std::path::PathBuf>, flag: &str| {
                path.ok_or_else(|| Failure::Refused(format!("{flag} is required"))).and_then(|p| secret_file(&p))
            };
            let setup = match provider {
                ProviderNameArg::Twilio => {
                    ProviderSetup::Twilio { auth_token: file(auth_token_file, "--auth-token-file")? }
                }
                ProviderNameArg::Telnyx => {
                    ProviderSetup::Telnyx { public_key: file(public_key_file, "--public-key-file")? }
                }
                ProviderNameArg::Bandwidth => ProviderSetup::Bandwidth {
                    username: username.unwrap_or_default(),
                    password: file(password_file, "--password-file")?,
                },
            };
            print_providers(json, &[link.set_provider(&setup).await?]);
        }
        HubCommand::Reviews(ReviewsCommand::Export { from, to, out }) => {
            let csv = link.review_log(from, to).await?;
            let (partial, mut file) = optout_hub::Partial::create(&out)?;
            let failed = |source| Failure::from(optout_hub::Error::File { path: out.clone(), source });
            std::io::Write::write_all(&mut file, csv.as_bytes()).map_err(failed)?;
            partial.commit()?;
            // Replies may hold line breaks inside their quotes: count records, not lines.
            let rows = ::csv::Reader::from_reader(csv.as_bytes()).records().count();
            print(json, &serde_json::json!({ "rows": rows, "out": out }), || {
                format!("{rows} lines of the review log written to {}", out.display())
            });
        }
        other => return Err(Failure::Broken(format!("{other:?} is not a setup command"))),
    }
    Ok(())
}

/// The campaign a number sends for now, which a move names.
async fn sends_for(link: &AnyLink, phone: &str) -> Result<Option<i64>, Failure> {
    let phone = optout_hub::phone::e164_any(phone)
        .map_err(|why| Failure::Refused(format!("phone: {:?} is not a valid phone number ({why})", phone)))?;
    let campaigns = link.campaigns(None).await?;
    let owner = campaigns.iter().find(|c| c.sender_numbers.contains(&phone) || c.retired_numbers.contains(&phone));
    Ok(owner.map(|c| c.id))
}

/// The id of the opt-out in force for `phone` in `account`, which an opt-in reverses when none
/// is named.
fn in_force(lookup: &optout_hub::Lookup, account: &str, phone: &str) -> Result<i64, Failure> {
    let status = lookup
        .accounts
        .iter()
        .find(|a| a.account == account)
        .ok_or_else(|| Failure::Refused(format!("no account named {account:?}")))?;
    let opt_out = status
        .opt_out
        .as_ref()
        .ok_or_else(|| Failure::Refused(format!("an opt-out of {phone} in {account} not found")))?;
    Ok(opt_out.id)
}
