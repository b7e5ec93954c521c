//! Group commit for the providers' callbacks: one message per request, as the providers send
//! them, thousands of requests a second.
//!
//! A commit that is durable waits for the disk (`synchronous = FULL`), so one transaction per
//! callback would hold the hub to the disk's flushes per second. Callbacks wait in a queue
//! instead; one task takes all that are waiting, up to [`GROUP`], ingests them in one
//! transaction ([`Hub::ingest_each`]: one that cannot be read gets its own error and does not
//! hold back the others) and answers each only once that commit returned. While it commits, the
//! next group gathers. Should a whole group fail, each of its callbacks is tried alone, so that
//! each gets the answer it would have had on its own.

use tokio::sync::{mpsc, oneshot};

use crate::{Error, Event, Hub, Ingested, Result};

/// The most callbacks in one transaction.
pub(crate) const GROUP: usize = 1_000;

/// Callbacks waiting for a group; a sender waits when the queue is full.
const QUEUE: usize = 4 * GROUP;

type Waiting = (Event, oneshot::Sender<Result<Ingested>>);

/// The queue of callbacks to ingest, and the task that commits them in groups.
#[derive(Clone)]
pub(crate) struct GroupCommit {
    queue: mpsc::Sender<Waiting>,
}

impl GroupCommit {
    /// Starts the task that commits into `hub`; it ends when the last `GroupCommit` is dropped.
    pub(crate) fn start(hub: Hub) -> GroupCommit {
        let (queue, waiting) = mpsc::channel(QUEUE);
        tokio::spawn(commit_groups(hub, waiting));
        GroupCommit { queue }
    }

    /// Ingests `event` with the others waiting, and answers once their commit is durable.
    ///
    /// # Errors
    /// As [`Hub::ingest_reply`] for this event alone.
    pub(crate) async fn ingest(&self, event: Event) -> Result<Ingested> {
        let (answer, answered) = oneshot::channel();
        let gone = || Error::Corrupt("the group commit stopped".into());
        self.queue.send((event, answer)).await.map_err(|_| gone())?;
        answered.await.map_err(|_| gone())?
    }
}

async fn commit_groups(hub: Hub, mut waiting: mpsc::Receiver<Waiting>) {
    let mut group = Vec::with_capacity(GROUP);
    while waiting.recv_many(&mut group, GROUP).await > 0 {
        let (events, answers): (Vec<Event>, Vec<_>) = group.drain(..).unzip();
        match hub.ingest_each(&events).await {
            Ok(results) => {
                for (answer, result) in answers.into_iter().zip(results) {
                    let _ = answer.send(result);
                }
            }
            Err(error) => {
                tracing::warn!(target: "optout::ingest", "a group of {} failed, each goes alone: {error}", events.len());
                for (answer, event) in answers.into_iter().zip(&events) {
                    let alone = hub.ingest_each(std::slice::from_ref(event)).await;
                    let _ = answer.send(alone.and_then(|mut one| one.remove(0)));
                }
            }
        }
    }
}
