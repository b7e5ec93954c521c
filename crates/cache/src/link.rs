//! How the sync reaches a hub: the commands it sends, the answers and pages it gets back.

use std::future::Future;

use optout_hub::{AccountSettings, Actor, Change, Hub, OptInRequest, OptOutRequest, ReviewRequest};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Error, Remote, Result};

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
    /// Change an account's settings.
    Settings {
        /// The command's id.
        command_id: Uuid,
        /// The account.
        account: String,
        /// What changes.
        settings: AccountSettings,
    },
}

impl Command {
    /// The command's id.
    pub fn id(&self) -> Uuid {
        match self {
            Command::OptOut(r) => r.command_id,
            Command::OptIn(r) => r.command_id,
            Command::Review(r) => r.command_id,
            Command::Settings { command_id, .. } => *command_id,
        }
    }

    /// The account it acts on, when it names one.
    pub fn account(&self) -> Option<&str> {
        match self {
            Command::OptOut(r) => Some(&r.account),
            Command::OptIn(r) => Some(&r.account),
            Command::Review(_) => None,
            Command::Settings { account, .. } => Some(account),
        }
    }

    /// `opt_out`, `opt_in`, `review` or `settings`.
    pub fn kind(&self) -> &'static str {
        match self {
            Command::OptOut(_) => "opt_out",
            Command::OptIn(_) => "opt_in",
            Command::Review(_) => "review",
            Command::Settings { .. } => "settings",
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
            Command::Settings { account, .. } => format!("Change the settings of {account}"),
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
            Ok(Answer::Refused { code: error.code().to_owned(), message: error.to_string() })
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
        let unreachable = |e: optout_hub::Error| Error::Unreachable(e.to_string());
        let changes = self.hub.changes_after(cursor, limit).await.map_err(unreachable)?;
        let head = self.hub.feed_head().await.map_err(unreachable)?;
        Ok(Page { changes, head })
    }

    async fn send(&self, command: &Command) -> Result<Answer> {
        match command {
            Command::OptOut(request) => answer(self.hub.opt_out(&self.actor, request).await),
            Command::OptIn(request) => answer(self.hub.opt_in(&self.actor, request).await),
            Command::Review(request) => answer(self.hub.review(&self.actor, request).await),
            Command::Settings { account, settings, .. } => answer(self.hub.update_account(account, settings).await),
        }
    }
}

/// Either kind of link, chosen at run time (the desktop's settings decide).
#[derive(Clone)]
pub enum AnyLink {
    /// A hub in this process.
    Embedded(Embedded),
    /// A hub over HTTP.
    Remote(Remote),
}

impl Link for AnyLink {
    fn hub(&self) -> String {
        match self {
            AnyLink::Embedded(link) => link.hub(),
            AnyLink::Remote(link) => link.hub(),
        }
    }

    async fn whoami(&self) -> Result<Actor> {
        match self {
            AnyLink::Embedded(link) => link.whoami().await,
            AnyLink::Remote(link) => link.whoami().await,
        }
    }

    async fn changes(&self, cursor: i64, limit: u32) -> Result<Page> {
        match self {
            AnyLink::Embedded(link) => link.changes(cursor, limit).await,
            AnyLink::Remote(link) => link.changes(cursor, limit).await,
        }
    }

    async fn send(&self, command: &Command) -> Result<Answer> {
        match self {
            AnyLink::Embedded(link) => link.send(command).await,
            AnyLink::Remote(link) => link.send(command).await,
        }
    }
}
