//! What the desk's tests share: waiting for the sync and for the hub's answers.

#![allow(dead_code, clippy::unwrap_used)]

use std::time::{Duration, Instant};

use optout_cache::{OutboxItem, OutboxStatus};
use optout_desktop::{Desk, FirstRun, Options};

/// Quick syncs and a small demo.
pub fn options(first_run: FirstRun) -> Options {
    Options { demo_contacts: 300, sync_every: Duration::from_millis(100), first_run }
}

/// Waits up to 60 s for `ready` to give something, and returns it.
pub async fn until<T, F, Fut>(what: &str, mut ready: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Some(found) = ready().await {
            return found;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits for a first sync: with the hub's changes, or of an empty hub that has none.
pub async fn synced(desk: &Desk) {
    until("the first sync", || async {
        let s = desk.status().await.unwrap();
        (s.preparing.is_none() && s.sync.last_synced_at.is_some()).then_some(())
    })
    .await;
}

/// Waits for the hub's answer to the command `item`, and for the sync that follows it.
pub async fn settled(desk: &Desk, item: &OutboxItem) -> OutboxItem {
    let item = until("the hub's answer", || async {
        let found = desk.outbox().await.unwrap().into_iter().find(|i| i.id == item.id).unwrap();
        (found.status != OutboxStatus::Pending).then_some(found)
    })
    .await;
    desk.retry().await.unwrap();
    item
}

/// Waits for `item` to be accepted, and for the cache to hold what it did.
pub async fn done<T, F, Fut>(desk: &Desk, item: &OutboxItem, what: &str, ready: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let answered = settled(desk, item).await;
    assert_eq!(answered.status, OutboxStatus::Accepted, "{answered:?}");
    until(what, ready).await
}
