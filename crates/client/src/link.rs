//! What a hub does for its clients: the commands they send, the answers, pages and files they
//! get back; and the hub in this process that does it.

use std::future::Future;
use std::path::Path;

use optout_hub::{
    Account, AccountSettings, Actor, Campaign, CampaignChange, Change, Hub, ImportOptions, ImportSummary, Lookup,
    NewAccount, NewCampaign, NewToken, OptInRequest, OptOutFilter, OptOutRequest, ProviderConnection, ProviderSetup,
    Region, RetireSender, ReviewRequest, RevokeToken, SenderChange, Token,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Error, Result};

/// An admin's action, as the hub receives it. Each carries a UUID made on this computer, so the
/// hub applies it once however often it is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Command {
    /// Opt a number out of an account.
    OptOut(OptOutRequest),
    /// Reverse one opt-out.
    OptIn(OptInRequest),
    /// Settle a conversation's review flag.
    Review(ReviewRequest),
    /// Change an account's settings, or rename it.
    Settings {
        /// The command's id.
        command_id: Uuid,
        /// The account.
        account: String,
        /// What changes.
        settings: AccountSettings,
    },
    /// Add an account.
    AddAccount(NewAccount),
    /// Add a campaign.
    AddCampaign(NewCampaign),
    /// Stop, restart or rename a campaign.
    UpdateCampaign(CampaignChange),
    /// Give a sender number to a campaign.
    AddSender(SenderChange),
    /// Retire a sender number.
    RetireSender(RetireSender),
    /// Make a token; only the secret's hash travels and is kept.
    AddToken(NewToken),
    /// Revoke a token.
    RevokeToken(RevokeToken),
}

impl Command {
    /// The command's id.
    pub fn id(&self) -> Uuid {
        match self {
            Command::OptOut(r) => r.command_id,
            Command::OptIn(r) => r.command_id,
            Command::Review(r) => r.command_id,
            Command::Settings { command_id, .. } => *command_id,
            Command::AddAccount(r) => r.command_id,
            Command::AddCampaign(r) => r.command_id,
            Command::UpdateCampaign(r) => r.command_id,
            Command::AddSender(r) => r.command_id,
            Command::RetireSender(r) => r.command_id,
            Command::AddToken(r) => r.command_id,
            Command::RevokeToken(r) => r.command_id,
        }
    }

    /// The account it acts on, when the account must exist already.
    pub fn account(&self) -> Option<&str> {
        match self {
            Command::OptOut(r) => Some(&r.account),
            Command::OptIn(r) => Some(&r.account),
            Command::Settings { account, .. } => Some(account),
            Command::AddCampaign(r) => Some(&r.account),
            Command::UpdateCampaign(r) => Some(&r.account),
            Command::AddSender(r) => Some(&r.account),
            Command::Review(_)
            | Command::AddAccount(_)
            | Command::RetireSender(_)
            | Command::AddToken(_)
            | Command::RevokeToken(_) => None,
        }
    }

    /// What kind of command it is, as the outbox lists it.
    pub fn kind(&self) -> &'static str {
        match self {
            Command::OptOut(_) => "opt_out",
            Command::OptIn(_) => "opt_in",
            Command::Review(_) => "review",
            Command::Settings { .. } => "settings",
            Command::AddAccount(_) => "add_account",
            Command::AddCampaign(_) => "add_campaign",
            Command::UpdateCampaign(_) => "update_campaign",
            Command::AddSender(_) => "add_sender",
            Command::RetireSender(_) => "retire_sender",
            Command::AddToken(_) => "add_token",
            Command::RevokeToken(_) => "revoke_token",
        }
    }

    /// What it does, in a line, for the list of pending work.
    pub fn summary(&self) -> String {
        match self {
            Command::OptOut(r) => format!("Opt {} out of {}", r.phone, r.account),
            Command::OptIn(r) => {
                format!("Opt {} back in to {} (reverses opt-out {})", r.phone, r.account, r.opt_out_id)
            }
            Command::Review(r) => match &r.action {
                optout_hub::ReviewAction::Dismiss => {
                    format!("Dismiss the review flag of conversation {}", r.conversation_id)
                }
                optout_hub::ReviewAction::Ask { .. } => {
                    format!("Ask the contact of conversation {} whether they want to stop", r.conversation_id)
                }
            },
            Command::Settings { account, settings, .. } => match &settings.name {
                Some(name) if *name != *account => format!("Rename {account} to {name}"),
                _ => format!("Change the settings of {account}"),
            },
            Command::AddAccount(r) => format!("Add the account {}", r.name),
            Command::AddCampaign(r) => format!("Add the campaign {} to {}", r.name, r.account),
            Command::UpdateCampaign(r) => match (r.active, &r.rename) {
                (_, Some(name)) => format!("Rename the campaign {} to {name}", r.campaign),
                (Some(false), None) => format!("Stop the campaign {}", r.campaign),
                (Some(true), None) => format!("Restart the campaign {}", r.campaign),
                (None, None) => format!("Change the campaign {}", r.campaign),
            },
            Command::AddSender(r) => match r.move_from_campaign {
                Some(_) => format!("Move {} to the campaign {}", r.phone, r.campaign),
                None => format!("Add {} to the campaign {}", r.phone, r.campaign),
            },
            Command::RetireSender(r) => format!("Retire the sender number {}", r.phone),
            Command::AddToken(r) => format!("Make a token for {} ({})", r.name, r.role.as_str()),
            Command::RevokeToken(r) => format!("Revoke token {}", r.token_id),
        }
    }
}

/// The hub's answer to a command.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Answer {
    /// Done; its changes come on the feed.
    Accepted {
        /// What the hub returned.
        outcome: serde_json::Value,
    },
    /// Not done, and never will be: sending it again gets the same answer.
    Refused {
        /// A stable code, such as `opted_out_again`.
        code: String,
        /// Why, for the admin.
        message: String,
    },
}

/// A page of the change feed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Page {
    /// Changes after the cursor asked for, in order.
    pub changes: Vec<Change>,
    /// The newest sequence number on the hub's feed when the page was read.
    pub head: i64,
}

/// A way to reach a hub.
pub trait Link: Send + Sync {
    /// Which hub this is, to keep one hub's records out of another's cache.
    fn hub(&self) -> String;

    /// Who the hub takes this app to be.
    fn whoami(&self) -> impl Future<Output = Result<Actor>> + Send;

    /// Up to `limit` changes after `cursor`.
    fn changes(&self, cursor: i64, limit: u32) -> impl Future<Output = Result<Page>> + Send;

    /// Sends a command; an error means no answer came, so it must be sent again later.
    fn send(&self, command: &Command) -> impl Future<Output = Result<Answer>> + Send;

    /// The accounts, as the hub has them now.
    fn accounts(&self) -> impl Future<Output = Result<Vec<Account>>> + Send;

    /// The campaigns of one account or of all, as the hub has them now.
    fn campaigns(&self, account: Option<&str>) -> impl Future<Output = Result<Vec<Campaign>>> + Send;

    /// The tokens, with when each was last used: the hub's alone, never in the cache.
    fn tokens(&self) -> impl Future<Output = Result<Vec<Token>>> + Send;

    /// Everything the hub knows about one number.
    fn lookup(&self, phone: &str, region: Region) -> impl Future<Output = Result<Lookup>> + Send;

    /// The review log from `from` to `to`, as CSV: every flag raised, and who settled it how.
    fn review_log(&self, from: Option<When>, to: Option<When>) -> impl Future<Output = Result<String>> + Send;

    /// The provider connections, with what has arrived: never their secrets.
    fn providers(&self) -> impl Future<Output = Result<Vec<ProviderConnection>>> + Send;

    /// Sets a provider's secret. Sent at once, never queued: no copy of it stays on this
    /// computer.
    fn set_provider(&self, setup: &ProviderSetup) -> impl Future<Output = Result<ProviderConnection>> + Send;

    /// Imports the CSV opt-out list at `path` (with a header, or bare numbers) as `request`
    /// says, recorded as this link's actor, and answers the hub's summary. The hub's errors
    /// name the file: by `path` in this process, by its file name over HTTP.
    ///
    /// # Errors
    /// [`Error::InvalidField`] naming the file when it cannot be read; [`Error::Refused`] for
    /// an unknown account, a missing column or a file the hub will not take.
    fn import(&self, path: &Path, request: &ImportRequest<'_>) -> impl Future<Output = Result<ImportSummary>> + Send;

    /// Writes the opt-outs that `filter` selects to `out` as the hub's CSV export, oldest
    /// first with a header, and answers how many rows it holds. The file is written beside
    /// `out` and put in place only when complete ([`optout_hub::Partial`]).
    ///
    /// # Errors
    /// [`Error::Refused`] for an unknown account or a bad filter; [`Error::InvalidField`]
    /// naming `out` when it cannot be written. No file is left at `out` either way.
    fn export(&self, filter: &OptOutFilter, out: &Path) -> impl Future<Output = Result<u64>> + Send;
}

/// What [`Link::import`] imports into.
#[derive(Debug, Clone, Copy)]
pub struct ImportRequest<'a> {
    /// The account.
    pub account: &'a str,
    /// Numbers without `+` are read in this region.
    pub region: Region,
    /// The phone column's header, when it is not one of the usual names.
    pub column: Option<&'a str>,
    /// Say what the import would do, and write nothing.
    pub dry_run: bool,
}

/// A time, for the periods the hub is asked about.
pub type When = chrono::DateTime<chrono::Utc>;

/// A hub's read that failed, as [`from_hub`] says.
fn read<T>(result: optout_hub::Result<T>) -> Result<T> {
    result.map_err(from_hub)
}

/// A hub's error as a link's: the caller's own file that cannot be read or written as bad input
/// naming it (also when it stopped an import partway), a role that may not (as a remote hub's
/// 403) as a token refused, the hub's other refusals (bad input) as such, anything else as
/// unreachable.
pub(crate) fn from_hub(error: optout_hub::Error) -> Error {
    match error {
        optout_hub::Error::File { path, source } => Error::field(&path.display().to_string(), source.to_string()),
        optout_hub::Error::Refused { code: optout_hub::Refusal::Forbidden, message } => Error::Unauthorized(message),
        error if error.is_client_error() => {
            Error::Refused { code: error.code().as_str().to_owned(), message: error.to_string() }
        }
        error if error.is_callers() => Error::field("file", error.to_string()),
        error => Error::Unreachable(error.to_string()),
    }
}

/// A hub in this process, used through the same sync as a remote one.
#[derive(Clone)]
pub struct Embedded {
    hub: Hub,
    actor: Actor,
    name: String,
}

impl Embedded {
    /// Links to `hub`, acting as `actor`; `name` says which hub it is (its file).
    pub fn new(hub: Hub, actor: Actor, name: impl Into<String>) -> Embedded {
        Embedded { hub, actor, name: name.into() }
    }
}

fn answer<T: Serialize>(result: optout_hub::Result<T>) -> Result<Answer> {
    match result {
        Ok(outcome) => {
            Ok(Answer::Accepted { outcome: serde_json::to_value(outcome).map_err(|e| Error::Protocol(e.to_string()))? })
        }
        Err(error) if error.is_client_error() => {
            Ok(Answer::Refused { code: error.code().as_str().to_owned(), message: error.to_string() })
        }
        Err(error) => Err(Error::Unreachable(error.to_string())),
    }
}

impl Link for Embedded {
    fn hub(&self) -> String {
        self.name.clone()
    }

    async fn whoami(&self) -> Result<Actor> {
        Ok(self.actor.clone())
    }

    async fn changes(&self, cursor: i64, limit: u32) -> Result<Page> {
        let changes = read(self.hub.changes_after(&self.actor, cursor, limit).await)?;
        let head = read(self.hub.feed_head().await)?;
        Ok(Page { changes, head })
    }

    async fn send(&self, command: &Command) -> Result<Answer> {
        match command {
            Command::OptOut(request) => answer(self.hub.opt_out(&self.actor, request).await),
            Command::OptIn(request) => answer(self.hub.opt_in(&self.actor, request).await),
            Command::Review(request) => answer(self.hub.review(&self.actor, request).await),
            Command::Settings { command_id, account, settings } => {
                let settings = AccountSettings { command_id: Some(*command_id), ..settings.clone() };
                answer(self.hub.update_account(&self.actor, account, &settings).await)
            }
            Command::AddAccount(r) => answer(self.hub.add_account(&self.actor, r).await),
            Command::AddCampaign(r) => answer(self.hub.add_campaign(&self.actor, r).await),
            Command::UpdateCampaign(r) => answer(self.hub.update_campaign(&self.actor, r).await),
            Command::AddSender(r) => answer(self.hub.add_sender(&self.actor, r).await),
            Command::RetireSender(r) => answer(self.hub.retire_sender(&self.actor, r).await),
            Command::AddToken(r) => answer(self.hub.add_token(&self.actor, r).await),
            Command::RevokeToken(r) => answer(self.hub.revoke_token(&self.actor, r).await),
        }
    }

    async fn accounts(&self) -> Result<Vec<Account>> {
        read(self.hub.accounts().await)
    }

    async fn campaigns(&self, account: Option<&str>) -> Result<Vec<Campaign>> {
        read(self.hub.campaigns(account).await)
    }

    async fn tokens(&self) -> Result<Vec<Token>> {
        read(self.hub.tokens(&self.actor).await)
    }

    async fn lookup(&self, phone: &str, region: Region) -> Result<Lookup> {
        read(self.hub.lookup(&self.actor, phone, region).await)
    }

    async fn review_log(&self, from: Option<When>, to: Option<When>) -> Result<String> {
        read(self.hub.review_log_csv(&self.actor, from, to).await)
    }

    async fn providers(&self) -> Result<Vec<ProviderConnection>> {
        read(self.hub.providers(&self.actor).await)
    }

    async fn set_provider(&self, setup: &ProviderSetup) -> Result<ProviderConnection> {
        read(self.hub.set_provider(&self.actor, setup).await)
    }

    async fn import(&self, path: &Path, request: &ImportRequest<'_>) -> Result<ImportSummary> {
        let options = ImportOptions {
            account: request.account.to_owned(),
            region: request.region,
            column: request.column.map(str::to_owned),
            batch_rows: optout_hub::DEFAULT_BATCH_ROWS,
            dry_run: request.dry_run,
        };
        read(self.hub.import_csv(&self.actor, path, &options, |_| true).await)
    }

    async fn export(&self, filter: &OptOutFilter, out: &Path) -> Result<u64> {
        if let Some(account) = &filter.account {
            read(self.hub.account(account).await)?;
        }
        let (partial, file) = read(optout_hub::Partial::create(out))?;
        let rows = read(self.hub.export_csv(&self.actor, filter, file, out, |_| true).await)?;
        read(partial.commit())?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::{from_hub, Error};

    fn unreadable() -> optout_hub::Error {
        optout_hub::Error::File { path: "list.csv".into(), source: std::io::Error::other("device gone") }
    }

    #[test]
    fn a_file_that_fails_is_bad_input_also_when_it_stopped_an_import_partway() {
        assert!(matches!(from_hub(unreadable()), Error::InvalidField { .. }));
        let stopped = optout_hub::Error::ImportStopped {
            cause: Box::new(unreadable()),
            next_line: 200_001,
            kept: "200,000 numbers opted out".to_owned(),
        };
        match from_hub(stopped) {
            Error::InvalidField { message, .. } => assert!(message.contains("list.csv") && message.contains("200001")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_role_that_may_not_is_a_refused_token_as_a_remote_hub_answers_it() {
        let forbidden = optout_hub::Error::Refused {
            code: optout_hub::Refusal::Forbidden,
            message: "only an admin may list the tokens".to_owned(),
        };
        match from_hub(forbidden) {
            Error::Unauthorized(message) => assert_eq!(message, "only an admin may list the tokens"),
            other => panic!("{other:?}"),
        }
        let other = optout_hub::Error::Refused { code: optout_hub::Refusal::NotTextable, message: "no".to_owned() };
        assert!(matches!(from_hub(other), Error::Refused { code, .. } if code == "not_textable"));
    }
}
