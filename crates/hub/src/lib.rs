//! The OptOut Desk hub: the organisation's record of opt-outs.
//!
//! The hub holds accounts, campaigns, sender numbers, contacts, conversations, messages, opt-outs,
//! provider blocks and the audit log. It applies the rules engine ([`optout_rules`]) to incoming
//! replies, answers whether a send is allowed, and publishes every change on an ordered feed.
//!
//! It runs on a SQLite file (embedded, the default) or on PostgreSQL, through one implementation:
//! SQL is written once, with `$n` parameters that both databases read, and the few differences
//! (schema types, triggers, transaction start) live in [`store`].
//!
//! ```no_run
//! # async fn demo() -> optout_hub::Result<()> {
//! use optout_hub::{Actor, Hub, NewAccount};
//! let hub = Hub::open(std::path::Path::new("hub.sqlite3")).await?;
//! let admin = Actor::admin("ada@example.org");
//! let acme = NewAccount { command_id: uuid::Uuid::new_v4(), name: "Acme".into(), auto_opt_outs: true };
//! hub.add_account(&admin, &acme).await?;
//! let check = hub.send_check("Acme", "+14155550100", "+14155552671").await;
//! assert!(!check.allowed, "no campaign sends from that number yet");
//! # Ok(()) }
//! ```
//!
//! # Invariants
//! - An opt-out is never deleted; it is reversed only by an admin's opt-in naming it
//!   ([`Hub::opt_in`]), and both are in the append-only audit log (database triggers refuse to
//!   change either behind the hub's back).
//! - Commands carry a client-made id: the same command twice changes nothing and answers the same.
//! - Every write takes the feed's head row first, so sequence numbers follow commit order.

#![deny(missing_docs)]

mod accounts;
mod campaigns;
mod commands;
mod demo;
mod error;
mod export;
mod feed;
pub mod http;
mod import;
mod ingest;
mod lookup;
mod model;
mod optins;
mod optouts;
mod organisation;
mod page;
pub mod phone;
pub mod provider_number;
mod providers;
mod records;
mod requests;
mod review;
mod send_check;
mod store;
mod text;
mod tokens;
pub mod webhooks;

use std::path::Path;

use sqlx::AnyPool;

pub use demo::{DemoContact, DemoSummary, DemoTraffic};
pub use error::{Error, ErrorCode, Refusal, Result};
pub use export::{neutralise, ExportRecord, Partial, EXPORT_HEADER};
pub use feed::{
    Change, Changed, CommandAnswer, CommandSettled, Conversation, Direction, Message, QueuedMessage, RefusalCode,
    ReviewFlag, Undecodable,
};
pub use import::{ImportOptions, ImportSummary, Progress, RowError, DEFAULT_BATCH_ROWS, MAX_ROW_ERRORS};
pub use ingest::{
    Event, IncomingReply, Ingested, OutgoingMessage, ProviderAction, RefusedOutcome, RefusedSend, ReplyOutcome,
};
pub use lookup::{AccountStatus, ConversationSummary, Lookup, OptOutFilter, OptOutPage};
pub use model::{
    Account, AccountSettings, Actor, AuditEntry, Campaign, DatedOptOut, ImportedOptOuts, ImportedStopRequests, OptIn,
    OptOut, ProviderBlock, Role, Source, StopRequest,
};
pub use optins::{OptInOutcome, OptInRequest};
pub use optouts::{OptOutOutcome, OptOutRequest};
pub use organisation::{CampaignChange, NewAccount, NewCampaign, RetireSender, SenderChange};
pub use page::PageCursor;
pub use phone::Region;
pub use providers::{Arrival, ProviderConnection, ProviderSetup};
pub use review::{ReviewAction, ReviewOutcome, ReviewRequest, REVIEW_LOG_HEADER};
pub use send_check::SendCheck;
pub use store::{shrink_idle, Backend};
pub use tokens::{new_secret, secret_sha256, NewToken, RevokeToken, Token};

/// The hub: a handle on the record. Cheap to clone; clones share one connection pool.
#[derive(Clone)]
pub struct Hub {
    pool: AnyPool,
    /// Where writes go: on SQLite, the one connection that makes them (see `store::Pools`).
    writer: AnyPool,
    backend: Backend,
    /// The folder of the SQLite file; none on PostgreSQL.
    dir: Option<std::path::PathBuf>,
    tokens: tokens::Recent,
    /// Where send checks go: see [`send_check`].
    batcher: send_check::Batcher,
    /// What the providers' callbacks brought, between writes.
    counts: providers::Counts,
}

impl Hub {
    /// Opens (creating if missing) the embedded hub in a SQLite file, and migrates it.
    ///
    /// # Errors
    /// [`Error::File`] when the folder cannot be made; [`Error::Storage`] when the file cannot
    /// be opened or migrated.
    pub async fn open(path: &Path) -> Result<Hub> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| Error::File { path: dir.to_owned(), source })?;
        }
        Hub::connect(&store::sqlite_url(path)).await
    }

    /// Connects to a hub database by URL (`sqlite://…` or `postgres://…`), and migrates it.
    ///
    /// # Errors
    /// [`Error::InvalidField`] for another scheme; [`Error::Storage`] when it cannot connect.
    pub async fn connect(url: &str) -> Result<Hub> {
        let store::Pools { read: pool, write: writer, backend } = store::open_pool(url).await?;
        store::migrate(&writer, backend).await?;
        let batcher = send_check::Batcher::start(&pool, backend);
        let dir = store::sqlite_dir(url);
        Ok(Hub { pool, writer, backend, dir, tokens: tokens::Recent::default(), batcher, counts: Default::default() })
    }

    /// Which database holds the record.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The folder that holds the hub's SQLite file; `None` on PostgreSQL.
    pub fn data_dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// How a commit reaches the disk, as the database says on one of the hub's own connections:
    /// `synchronous=FULL` on SQLite (the WAL is synced at every commit), `synchronous_commit=on`
    /// on PostgreSQL (a commit returns once its WAL is flushed). Either way an answer that says
    /// a write happened survives a power cut. `optout serve` prints it when it starts.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub async fn durability(&self) -> Result<String> {
        let mut conn = self.pool.acquire().await?;
        Ok(match self.backend {
            Backend::Sqlite => {
                let level: i64 = sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut *conn).await?;
                let name = ["OFF", "NORMAL", "FULL", "EXTRA"].get(level as usize).copied().unwrap_or("?");
                format!("synchronous={name}")
            }
            Backend::Postgres => {
                let commit: String = sqlx::query_scalar("SHOW synchronous_commit").fetch_one(&mut *conn).await?;
                format!("synchronous_commit={commit}")
            }
        })
    }

    /// Empties the page caches of the SQLite connections that are idle, after a burst of reads
    /// (a desktop's first sync from its embedded hub) that the next ones will not need. The
    /// memory goes back to the allocator. On PostgreSQL the server holds its own caches.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub async fn shrink_memory(&self) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Ok(());
        }
        store::shrink_idle(&self.writer).await?;
        Ok(store::shrink_idle(&self.pool).await?)
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }

    pub(crate) async fn write(&self) -> Result<store::Write<'static>> {
        store::Write::begin(&self.writer, self.backend).await
    }
}
