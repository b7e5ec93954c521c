//! The OptOut Desk desktop's back end, without the window.
//!
//! A [`Desk`] is what the app's commands call. It knows where the hub is ([`Connection`]: a hub
//! embedded in this process on a file in the data folder, filled with a demo organisation on
//! first run, or `optout serve` over HTTP), keeps the local cache in step with it through one
//! [`optout_cache::Syncer`] in both cases, serves every read from the cache, and turns every
//! action into a command in the outbox.
//!
//! ```no_run
//! # async fn demo() -> Result<(), optout_desktop::Failure> {
//! let desk = optout_desktop::Desk::start(std::path::Path::new("/tmp/desk"), optout_desktop::Options::default()).await?;
//! let record = desk.number("(201) 555-0143").await?;
//! println!("{} is opted out of {} accounts", record.phone, record.accounts.iter().filter(|a| a.opt_out.is_some()).count());
//! # Ok(()) }
//! ```

#![deny(missing_docs)]

mod connection;
mod desk;
mod failure;
mod file_purpose;
mod first_run;
mod importer;
mod jobs;
mod lists;
mod memory;
mod organisation;
mod review_clock;
mod rule_sets;
mod session;

pub use connection::{Connection, HubSettings};
pub use desk::{Desk, DeskStatus, HubMode, Options};
pub use failure::{Failure, FailureCode};
pub use file_purpose::FilePurpose;
pub use first_run::{beginning, Beginning, FirstRun, FirstRunChoice};
pub use jobs::{Job, JobKind, JobState};
pub use organisation::{MadeToken, ProviderWebhook};
pub use rule_sets::{rule_choices, RuleChoices, RuleSetChoice};
pub use session::Session;
