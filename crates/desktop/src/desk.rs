//! The desk: a hub, the cache that mirrors it, and the sync between them, running in the
//! background while the window reads and acts.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use optout_cache::{
    Cache, ConversationDetail, ConversationFilter, ConversationPage, NumberRecord, OptOutListPage, OptOutQuery,
    OutboxItem, ReviewCounts, Status, Syncer, Trends,
};
use optout_client::{AnyLink, Command, Embedded, Link, Remote};
use optout_hub::{
    Account, AccountSettings, Actor, Campaign, Hub, OptInRequest, OptOutRequest, Region, ReviewAction, ReviewRequest,
    Source,
};
use serde::{Deserialize, Serialize};
use tokio::task::JoinHandle;
use uuid::Uuid;

use crate::connection::HUB_FILE;
use crate::first_run::{Beginning, FirstRun};
use crate::importer::Importer;
use crate::jobs::Jobs;
use crate::{Connection, Failure};

/// How a desk starts.
#[derive(Debug, Clone)]
pub struct Options {
    /// Contacts in the demo organisation built on the embedded hub's first run.
    pub demo_contacts: u64,
    /// How often the sync runs when nothing nudges it.
    pub sync_every: Duration,
    /// What a first run on this computer does: by default, build the demo without asking.
    pub first_run: FirstRun,
}

impl Default for Options {
    fn default() -> Options {
        Options { demo_contacts: 2000, sync_every: Duration::from_secs(2), first_run: FirstRun::Demo }
    }
}

impl Options {
    /// The app's options, from the value of `OPTOUT_DESK_DEMO_CONTACTS`: when set, the demo
    /// of that many contacts is built on the first run without asking (the tests and benchmarks
    /// set it); when not, the admin chooses.
    pub fn for_app(demo_contacts: Option<&str>) -> Options {
        let mut options = Options { first_run: FirstRun::for_app(demo_contacts), ..Options::default() };
        if let Some(contacts) = demo_contacts.and_then(|n| n.trim().parse().ok()) {
            options.demo_contacts = contacts;
        }
        options
    }
}

/// Which hub the desk works with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum HubMode {
    /// The hub in this app, on this computer.
    Embedded,
    /// A hub on a server, reached over HTTP.
    Remote,
}

/// Where things stand, for the app's chrome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeskStatus {
    /// Which hub.
    pub mode: HubMode,
    /// The hub, in words: its file or its address.
    pub hub: String,
    /// Who the hub takes this app to be, once it has said.
    pub actor: Option<Actor>,
    /// Work before the first sync, such as building the demo organisation.
    pub preparing: Option<String>,
    /// The sync.
    pub sync: Status,
    /// The last change the cache holds: when it moves, what the window shows may have changed.
    pub cursor: i64,
    /// True while this computer has no hub yet and the admin has not chosen how to begin: no
    /// desk runs, and the window asks ([`crate::Session::begin`]).
    pub first_run: bool,
    /// The open review flags against the clock, in this computer's time zone.
    pub review: ReviewCounts,
}

impl DeskStatus {
    /// The status before the first run's choice: no hub, nothing synced.
    pub(crate) fn first_run() -> DeskStatus {
        DeskStatus {
            mode: HubMode::Embedded,
            hub: "none yet".to_owned(),
            actor: None,
            preparing: None,
            sync: Status::default(),
            cursor: 0,
            first_run: true,
            review: ReviewCounts::default(),
        }
    }
}

/// The desktop's back end. Dropping it stops its background work.
pub struct Desk {
    pub(crate) cache: Cache,
    pub(crate) syncer: Arc<Syncer<AnyLink>>,
    pub(crate) mode: HubMode,
    pub(crate) hub_name: String,
    pub(crate) actor: Arc<Mutex<Option<Actor>>>,
    preparing: Arc<Mutex<Option<String>>>,
    /// Where imports go.
    pub(crate) importer: Importer,
    pub(crate) jobs: Jobs,
    task: JoinHandle<()>,
}

impl Drop for Desk {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn set<T>(slot: &Mutex<T>, value: T) {
    if let Ok(mut guard) = slot.lock() {
        *guard = value;
    }
}

pub(crate) fn get<T: Clone>(slot: &Mutex<T>) -> T {
    match slot.lock() {
        Ok(guard) => guard.clone(),
        Err(poisoned) => poisoned.into_inner().clone(),
    }
}

/// The person at this computer, as the embedded hub records them.
pub(crate) fn local_admin() -> Actor {
    let name = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).unwrap_or_else(|_| "admin".into());
    Actor::admin(name)
}

impl Desk {
    /// Starts the desk on the data folder `dir`: opens the hub it is connected to (the
    /// embedded one, unless a remote hub is saved) and the cache, and syncs in the background.
    /// On the embedded hub's first run, the background work builds the demo organisation first
    /// when `options.first_run` says so.
    ///
    /// # Errors
    /// A [`Failure`] when the data folder, the hub or the cache cannot be opened; `first_run`
    /// when this computer has no hub yet and `options.first_run` is [`FirstRun::Ask`].
    pub async fn start(dir: &Path, options: Options) -> Result<Desk, Failure> {
        let connection = Connection::load(dir)?;
        let demo = match crate::first_run::begins(dir, &connection, options.first_run) {
            Beginning::Ask => return Err(Failure::first_run()),
            Beginning::Open { demo } => demo,
        };
        let cache = Cache::open(&connection.cache_path(dir)).await?;
        let preparing = Arc::new(Mutex::new(None));
        let actor = Arc::new(Mutex::new(None));
        let (link, mode, hub_name, importer) = match &connection {
            Connection::Embedded => {
                let path: PathBuf = dir.join(HUB_FILE);
                let hub = Hub::open(&path).await?;
                let admin = local_admin();
                set(&actor, Some(admin.clone()));
                let name = format!("embedded hub at {}", path.display());
                let link = AnyLink::Embedded(Embedded::new(hub.clone(), admin, format!("embedded:{}", path.display())));
                (link, HubMode::Embedded, name, Importer::Embedded(hub))
            }
            Connection::Remote { url, token } => {
                let remote = Remote::new(url, token)?;
                (AnyLink::Remote(remote.clone()), HubMode::Remote, url.clone(), Importer::Remote(remote))
            }
        };
        let syncer = Arc::new(Syncer::new(cache.clone(), link));
        let embedded = match &importer {
            Importer::Embedded(hub) => Some(hub.clone()),
            Importer::Remote(_) => None,
        };
        let task = tokio::spawn(background(syncer.clone(), embedded, demo, options, preparing.clone(), actor.clone()));
        // The phone parser reads its metadata on first use: done here, while the window starts,
        // rather than in the admin's first lookup. A UK number, because the usual North American
        // layouts are read without the general parser and would leave it cold.
        drop(tokio::task::spawn_blocking(|| optout_cache::parse_any("+44 7911 123456")));
        Ok(Desk { cache, syncer, mode, hub_name, actor, preparing, importer, jobs: Jobs::default(), task })
    }

    /// Where things stand.
    ///
    /// # Errors
    /// A [`Failure`] when the cache cannot be read.
    pub async fn status(&self) -> Result<DeskStatus, Failure> {
        let state = self.cache.state().await?;
        let mut sync = self.syncer.status().borrow().clone();
        sync.pending = state.pending;
        if sync.last_synced_at.is_none() {
            sync.last_synced_at = state.last_synced_at;
        }
        Ok(DeskStatus {
            mode: self.mode,
            hub: self.hub_name.clone(),
            actor: get(&self.actor),
            preparing: get(&self.preparing),
            sync,
            cursor: state.cursor,
            first_run: false,
            review: self.review_counts_here().await?,
        })
    }

    /// Syncs now: sends pending commands at once and reads the feed.
    ///
    /// # Errors
    /// A [`Failure`] when the cache cannot be written.
    pub async fn retry(&self) -> Result<(), Failure> {
        self.cache.retry_now().await?;
        self.syncer.nudge();
        Ok(())
    }

    /// The accounts and their settings.
    ///
    /// # Errors
    /// A [`Failure`] when the cache cannot be read.
    pub async fn accounts(&self) -> Result<Vec<Account>, Failure> {
        Ok(self.cache.accounts().await?)
    }

    /// The campaigns.
    ///
    /// # Errors
    /// A [`Failure`] when the cache cannot be read.
    pub async fn campaigns(&self) -> Result<Vec<Campaign>, Failure> {
        Ok(self.cache.campaigns().await?)
    }

    /// One number, written any common way, in full.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] saying why the number cannot be read.
    pub async fn number(&self, phone: &str) -> Result<NumberRecord, Failure> {
        Ok(self.cache.number(phone).await?)
    }

    /// A page of the opt-out list.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] for a phone search or cursor that cannot be read.
    pub async fn opt_outs(
        &self,
        query: &OptOutQuery,
        after: Option<&str>,
        limit: u32,
    ) -> Result<OptOutListPage, Failure> {
        Ok(self.cache.opt_out_page(query, after, limit).await?)
    }

    /// A page of conversations.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] for a cursor that cannot be read.
    pub async fn conversations(
        &self,
        filter: &ConversationFilter,
        after: Option<&str>,
        limit: u32,
    ) -> Result<ConversationPage, Failure> {
        Ok(self.cache.conversations(filter, after, limit).await?)
    }

    /// One conversation with its messages.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] when the cache has no such conversation.
    pub async fn conversation(&self, id: i64) -> Result<ConversationDetail, Failure> {
        Ok(self.cache.conversation(id).await?)
    }

    /// Opt-outs a day by source over the last `days` days in the admin's time zone, and every
    /// campaign's opt-out rate.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] for a period or time zone out of range.
    pub async fn trends(&self, days: u32, utc_offset_minutes: i32) -> Result<Trends, Failure> {
        Ok(self.cache.trends(days, utc_offset_minutes).await?)
    }

    /// The outbox: pending commands and the latest settled ones, newest first.
    ///
    /// # Errors
    /// A [`Failure`] when the cache cannot be read.
    pub async fn outbox(&self) -> Result<Vec<OutboxItem>, Failure> {
        Ok(self.cache.outbox().await?)
    }

    /// Opts `phone` out of `account`, optionally sending `message` to the contact.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] naming the field (account, phone, reason); nothing is queued then.
    pub async fn opt_out(
        &self,
        account: &str,
        phone: &str,
        reason: &str,
        message: Option<String>,
    ) -> Result<OutboxItem, Failure> {
        if reason.trim().is_empty() {
            return Err(Failure::invalid("reason", "say why this number is opted out"));
        }
        let phone = optout_cache::parse_any(phone)?;
        self.submit(Command::OptOut(OptOutRequest {
            command_id: Uuid::new_v4(),
            account: account.to_owned(),
            region: Region::of_number(&phone),
            phone,
            reason: reason.trim().to_owned(),
            message: message.filter(|m| !m.trim().is_empty()),
            source: Source::Manual,
        }))
        .await
    }

    /// Opts each of `phones` (one a line, any format) out of `account`. Every line is checked
    /// before any is queued: one bad line queues nothing, and the failure names its line. An
    /// unknown account or an empty reason is refused at the first number, so nothing is queued
    /// then either.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] naming the first bad line, or the account or reason.
    pub async fn opt_out_many(&self, account: &str, phones: &str, reason: &str) -> Result<Vec<OutboxItem>, Failure> {
        let mut numbers = Vec::new();
        for (line, text) in phones.lines().enumerate().filter(|(_, t)| !t.trim().is_empty()) {
            let phone = optout_cache::parse_any(text)
                .map_err(|e| Failure::invalid(&format!("line {}", line + 1), format!("{:?}: {e}", text.trim())))?;
            if !numbers.contains(&phone) {
                numbers.push(phone);
            }
        }
        if numbers.is_empty() {
            return Err(Failure::invalid("numbers", "paste at least one phone number"));
        }
        let mut queued = Vec::with_capacity(numbers.len());
        for phone in numbers {
            queued.push(self.opt_out(account, &phone, reason, None).await?);
        }
        Ok(queued)
    }

    /// Reverses the opt-out `opt_out_id` of `phone` in `account`, for `reason`. When the contact
    /// asked to stop again after that opt-out, `overrides_request_id` names the latest request,
    /// which the admin read: without it, or when a later one came, the hub refuses.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] naming the field; the hub's refusal (for instance when the
    /// contact opted out again since) arrives later, on the outbox item.
    pub async fn opt_in(
        &self,
        account: &str,
        phone: &str,
        opt_out_id: i64,
        overrides_request_id: Option<i64>,
        reason: &str,
    ) -> Result<OutboxItem, Failure> {
        let phone = optout_cache::parse_any(phone)?;
        self.submit(Command::OptIn(OptInRequest {
            command_id: Uuid::new_v4(),
            account: account.to_owned(),
            region: Region::of_number(&phone),
            phone,
            opt_out_id,
            overrides_request_id,
            reason: reason.trim().to_owned(),
        }))
        .await
    }

    /// Settles a conversation's review flag: dismiss it, or ask the contact a question.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] for a conversation the cache does not have.
    pub async fn review(&self, conversation_id: i64, action: ReviewAction) -> Result<OutboxItem, Failure> {
        self.submit(Command::Review(ReviewRequest { command_id: Uuid::new_v4(), conversation_id, action })).await
    }

    /// Changes an account's settings.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] for an unknown account.
    pub async fn save_settings(&self, account: &str, settings: AccountSettings) -> Result<OutboxItem, Failure> {
        self.submit(Command::Settings { command_id: Uuid::new_v4(), account: account.to_owned(), settings }).await
    }

    pub(crate) async fn submit(&self, command: Command) -> Result<OutboxItem, Failure> {
        let item = self.cache.enqueue(&command).await?;
        self.syncer.nudge();
        Ok(item)
    }

    /// Stops the background work and closes the cache.
    pub async fn close(self) {
        self.task.abort();
        self.cache.close().await;
    }
}

/// Builds the demo organisation in the embedded hub when `demo` says so and it is new, then
/// syncs until dropped.
async fn background(
    syncer: Arc<Syncer<AnyLink>>,
    embedded: Option<Hub>,
    demo: bool,
    options: Options,
    preparing: Arc<Mutex<Option<String>>>,
    actor: Arc<Mutex<Option<Actor>>>,
) {
    if let Some(hub) = embedded.as_ref().filter(|_| demo) {
        if matches!(hub.accounts().await, Ok(accounts) if accounts.is_empty()) {
            let total = options.demo_contacts;
            set(&preparing, Some(format!("Building the demo organisation: 0 of {total} contacts")));
            let built = hub
                .build_demo(total, 1, |done| {
                    set(&preparing, Some(format!("Building the demo organisation: {done} of {total} contacts")));
                    true
                })
                .await;
            set(&preparing, built.err().map(|e| format!("The demo organisation could not be built: {e}")));
        }
    }
    loop {
        match syncer.link().whoami().await {
            Ok(who) => {
                set(&actor, Some(who));
                break;
            }
            Err(e) => {
                set(&preparing, Some(format!("Connecting to the hub: {e}")));
                tokio::time::sleep(options.sync_every.max(Duration::from_secs(2))).await;
            }
        }
    }
    if get(&preparing).is_some_and(|p| p.starts_with("Connecting")) {
        set(&preparing, None);
    }
    let trim = crate::memory::trim_after_pulls(syncer.cache(), embedded.as_ref(), syncer.status());
    tokio::join!(syncer.run(options.sync_every), trim);
}
