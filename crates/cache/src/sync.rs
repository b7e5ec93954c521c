//! The sync: push the outbox, pull the feed, and say where things stand.

use std::time::Duration;

use chrono::{DateTime, Utc};
use optout_hub::ImportedOptOuts;
use serde::{Deserialize, Serialize};
use tokio::sync::{watch, Notify};

use crate::{Cache, Error, Result};
use optout_client::{Answer, Link, Page};

/// Changes asked for per page.
pub const PAGE: u32 = 5000;

/// How far a pull has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PullProgress {
    /// Changes applied by this pull so far.
    pub applied: u64,
    /// The last change applied.
    pub cursor: i64,
    /// The newest change on the hub.
    pub head: i64,
}

impl PullProgress {
    /// How much of the feed the cache holds, 0 to 100.
    pub fn percent(&self) -> f64 {
        if self.head <= 0 {
            100.0
        } else {
            (self.cursor as f64 * 100.0 / self.head as f64).min(100.0)
        }
    }
}

/// What a push did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushSummary {
    /// Commands the hub did.
    pub accepted: u64,
    /// Commands the hub refused.
    pub refused: u64,
    /// Commands still waiting (no answer yet).
    pub waiting: u64,
}

/// Where the sync stands, for the app's status bar.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Status {
    /// When the cache last caught up with the hub.
    pub last_synced_at: Option<DateTime<Utc>>,
    /// Commands waiting for the hub.
    pub pending: i64,
    /// The hub cannot be reached now.
    pub offline: bool,
    /// Why the last sync failed, if it did.
    pub error: Option<String>,
    /// A pull under way, if one is.
    pub progress: Option<PullProgress>,
}

/// How long to wait before sending a command again after `attempts` failed tries: 1 s, 2 s,
/// 4 s, … up to a minute.
pub fn backoff(attempts: i64) -> Duration {
    Duration::from_secs(1u64 << attempts.clamp(0, 6)).min(Duration::from_secs(60))
}

/// Keeps a [`Cache`] in step with the hub behind a [`Link`].
pub struct Syncer<L> {
    cache: Cache,
    link: L,
    page: u32,
    status: watch::Sender<Status>,
    nudge: Notify,
}

impl<L: Link> Syncer<L> {
    /// A sync of `cache` with the hub behind `link`.
    pub fn new(cache: Cache, link: L) -> Syncer<L> {
        Syncer { cache, link, page: PAGE, status: watch::Sender::new(Status::default()), nudge: Notify::new() }
    }

    /// Asks for pages of `page` changes (1 to 10,000) instead of [`PAGE`].
    #[must_use]
    pub fn with_page(mut self, page: u32) -> Syncer<L> {
        self.page = page.clamp(1, 10_000);
        self
    }

    /// The cache it fills.
    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    /// The link it uses.
    pub fn link(&self) -> &L {
        &self.link
    }

    /// Follows the status as it changes.
    pub fn status(&self) -> watch::Receiver<Status> {
        self.status.subscribe()
    }

    /// Wakes [`Syncer::run`] now (after a new command, or when the admin presses retry).
    pub fn nudge(&self) {
        self.nudge.notify_one();
    }

    /// Reads the feed from the cache's cursor until it has caught up, a page per transaction.
    /// The next page is fetched while the last one is written. `progress` is called after each
    /// page; returning `false` stops after it. Returns the number of changes applied.
    ///
    /// # Errors
    /// [`Error::Unreachable`], [`Error::Protocol`] and the like; what was applied stays.
    pub async fn pull(&self, mut progress: impl FnMut(PullProgress) -> bool) -> Result<u64> {
        let hub = self.link.hub();
        let mut cursor = self.cache.state().await?.cursor;
        let mut applied = 0u64;
        let mut limit = self.page;
        let mut page = self.link.changes(cursor, limit).await?;
        loop {
            let Some(last) = page.changes.last().map(|c| c.seq) else {
                // Caught up: note when, and how far the hub is.
                self.cache.apply(&hub, &page).await?;
                return Ok(applied);
            };
            let head = page.head;
            limit = next_limit(limit, self.page, &page);
            let (written, next) = if last < head {
                let (written, next) = tokio::join!(self.cache.apply(&hub, &page), self.link.changes(last, limit));
                (written?, Some(next))
            } else {
                (self.cache.apply(&hub, &page).await?, None)
            };
            applied += written;
            cursor = last;
            if !progress(PullProgress { applied, cursor, head }) {
                return Ok(applied);
            }
            page = match next {
                Some(next) => next?,
                None => self.link.changes(cursor, limit).await?,
            };
        }
    }

    /// Sends the due commands of the outbox, oldest first, and settles each with the hub's
    /// answer. A command without an answer waits ([`backoff`]) and the push stops there, so
    /// commands reach the hub in the order the admin gave them.
    ///
    /// # Errors
    /// [`Error::Storage`] when the cache fails.
    pub async fn push(&self) -> Result<PushSummary> {
        let mut summary = PushSummary::default();
        let due = self.cache.due().await?;
        let mut commands = due.into_iter();
        for (command, attempts) in commands.by_ref() {
            match self.link.send(&command).await {
                Ok(answer) => {
                    self.cache.settle(command.id(), &answer).await?;
                    match answer {
                        Answer::Accepted { .. } => summary.accepted += 1,
                        Answer::Refused { .. } => summary.refused += 1,
                    }
                }
                Err(error) => {
                    self.cache.postpone(command.id(), &error.to_string(), backoff(attempts)).await?;
                    summary.waiting += 1;
                    break;
                }
            }
        }
        summary.waiting += commands.count() as u64;
        Ok(summary)
    }

    /// Pushes, then pulls; records the outcome in the cache and the status.
    ///
    /// # Errors
    /// As [`Syncer::push`] and [`Syncer::pull`].
    pub async fn sync(&self) -> Result<u64> {
        let result = async {
            self.push().await?;
            self.pull(|progress| {
                self.status.send_modify(|s| s.progress = Some(progress));
                true
            })
            .await
        }
        .await;
        let error = result.as_ref().err().map(ToString::to_string);
        self.cache.record_error(error.as_deref()).await?;
        let state = self.cache.state().await?;
        self.status.send_modify(|s| {
            s.last_synced_at = state.last_synced_at;
            s.pending = state.pending;
            s.offline = matches!(result, Err(Error::Unreachable(_)));
            s.error = error;
            s.progress = None;
        });
        result
    }

    /// Syncs every `every`, at once when nudged, and backs off while the hub fails. Runs until
    /// the task is dropped.
    pub async fn run(&self, every: Duration) {
        let mut failures = 0;
        loop {
            let wait = match self.sync().await {
                Ok(_) => {
                    failures = 0;
                    every
                }
                Err(_) => {
                    failures += 1;
                    backoff(failures).max(every)
                }
            };
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                () = self.nudge.notified() => {}
            }
        }
    }
}

/// How many changes to ask for next, after `page` came for `limit`, so that a page carries
/// about `most` records: fewer changes after a page of imports (each change carries up to
/// [`ImportedOptOuts::MAX`] opt-outs), back up towards `most` after ordinary ones. A page and
/// the next one in flight then stay a few megabytes in memory whatever the feed holds.
fn next_limit(limit: u32, most: u32, page: &Page) -> u32 {
    let records: usize =
        page.changes.iter().map(|c| if c.kind == ImportedOptOuts::KIND { ImportedOptOuts::MAX } else { 1 }).sum();
    let fits = most as usize * page.changes.len().max(1) / records.max(1);
    u32::try_from(fits).unwrap_or(u32::MAX).clamp(1, most).min(limit.saturating_mul(2).max(1))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn page(ordinary: usize, imported: usize) -> Page {
        let change = |seq, kind: &str| optout_hub::Change {
            seq,
            at: chrono::Utc::now(),
            kind: kind.into(),
            payload: serde_json::value::RawValue::from_string("{}".into()).unwrap(),
        };
        let kinds =
            std::iter::repeat_n("opt_out", ordinary).chain(std::iter::repeat_n(ImportedOptOuts::KIND, imported));
        let changes: Vec<optout_hub::Change> = kinds.zip(1..).map(|(kind, seq)| change(seq, kind)).collect();
        Page { head: changes.len() as i64, changes }
    }

    #[test]
    fn a_page_of_imports_asks_for_fewer_changes_and_ordinary_ones_grow_back() {
        let most = 5000;
        assert_eq!(next_limit(most, most, &page(5000, 0)), most, "ordinary changes keep the full page");
        let shrunk = next_limit(most, most, &page(0, 5000));
        assert_eq!(shrunk as usize, 5000 / ImportedOptOuts::MAX, "about {most} opt-outs a page");
        assert_eq!(next_limit(shrunk, most, &page(shrunk as usize, 0)), shrunk * 2, "grows back, doubling");
        assert_eq!(next_limit(1, 1, &page(0, 1)), 1, "one change still comes");
    }
}
