//! The desktop's local cache of the hub, and the sync that keeps it.
//!
//! Every read the desktop makes is served from a SQLite file on this computer ([`Cache`]), so it
//! is instant and works offline. Every change the admin makes is an [`optout_client::Command`]:
//! written to the cache's outbox first, then pushed to the hub, and settled by the hub's
//! answer. The cache follows the hub's change feed in pages; each page and the cursor after it
//! commit together, so a crash or a lost connection resumes where it stopped and nothing is
//! applied twice.
//!
//! The hub is reached through an [`optout_client::Link`]: [`optout_client::Embedded`] (a hub in
//! this process, on a local file) or [`optout_client::Remote`] (`optout serve` over HTTP). The
//! same [`Syncer`] drives both.

#![deny(missing_docs)]

mod apply;
mod cache;
mod error;
mod export;
mod opt_out_list;
mod outbox;
mod review_queue;
mod sync;
pub mod synthetic;
mod trends;
mod views;

pub use cache::{Cache, SyncState};
pub use error::{Error, Result};
pub use opt_out_list::{OptOutListPage, OptOutQuery};
pub use outbox::{OutboxItem, OutboxStatus};
pub use review_queue::ReviewCounts;
pub use sync::{PullProgress, PushSummary, Status, Syncer};
pub use trends::{CampaignRate, DayOfOptOuts, Trends};
pub use views::{
    parse_any, AccountStanding, ConversationDetail, ConversationFilter, ConversationPage, ConversationRow,
    ConversationView, MessageRow, NumberRecord, MAX_PAGE,
};
