//! Either link, chosen at run time.

use std::path::Path;

use optout_hub::{
    Account, Actor, Campaign, ImportSummary, Lookup, OptOutFilter, ProviderConnection, ProviderSetup, Region, Token,
};

use crate::link::{Answer, Command, Embedded, ImportRequest, Link, Page, When};
use crate::{Remote, Result};

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

    async fn accounts(&self) -> Result<Vec<Account>> {
        match self {
            AnyLink::Embedded(link) => link.accounts().await,
            AnyLink::Remote(link) => link.accounts().await,
        }
    }

    async fn campaigns(&self, account: Option<&str>) -> Result<Vec<Campaign>> {
        match self {
            AnyLink::Embedded(link) => link.campaigns(account).await,
            AnyLink::Remote(link) => link.campaigns(account).await,
        }
    }

    async fn tokens(&self) -> Result<Vec<Token>> {
        match self {
            AnyLink::Embedded(link) => link.tokens().await,
            AnyLink::Remote(link) => link.tokens().await,
        }
    }

    async fn lookup(&self, phone: &str, region: Region) -> Result<Lookup> {
        match self {
            AnyLink::Embedded(link) => link.lookup(phone, region).await,
            AnyLink::Remote(link) => link.lookup(phone, region).await,
        }
    }

    async fn review_log(&self, from: Option<When>, to: Option<When>) -> Result<String> {
        match self {
            AnyLink::Embedded(link) => link.review_log(from, to).await,
            AnyLink::Remote(link) => link.review_log(from, to).await,
        }
    }

    async fn providers(&self) -> Result<Vec<ProviderConnection>> {
        match self {
            AnyLink::Embedded(link) => link.providers().await,
            AnyLink::Remote(link) => link.providers().await,
        }
    }

    async fn set_provider(&self, setup: &ProviderSetup) -> Result<ProviderConnection> {
        match self {
            AnyLink::Embedded(link) => link.set_provider(setup).await,
            AnyLink::Remote(link) => link.set_provider(setup).await,
        }
    }

    async fn import(&self, path: &Path, request: &ImportRequest<'_>) -> Result<ImportSummary> {
        match self {
            AnyLink::Embedded(link) => link.import(path, request).await,
            AnyLink::Remote(link) => link.import(path, request).await,
        }
    }

    async fn export(&self, filter: &OptOutFilter, out: &Path) -> Result<u64> {
        match self {
            AnyLink::Embedded(link) => link.export(filter, out).await,
            AnyLink::Remote(link) => link.export(filter, out).await,
        }
    }
}
