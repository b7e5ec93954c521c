//! A first sync killed with SIGKILL at random points, twenty times: each restart resumes where
//! the last committed page left it, the database is never damaged, and the cache ends holding
//! every change exactly once.
//!
//! The sync runs in a child process: this same test binary, started again with
//! `OPTOUT_SYNC_CHILD` naming the cache file.

#![allow(clippy::unwrap_used)]

use std::process::{Command, Stdio};
use std::time::Duration;

use optout_cache::synthetic::SyntheticHub;
use optout_cache::{Cache, Syncer};

const CONTACTS: i64 = 70_000;
const TEST: &str = "a_first_sync_killed_twenty_times_resumes_and_ends_equal_to_the_hub";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// The child: sync until caught up.
fn child(path: &str) {
    runtime().block_on(async {
        let cache = Cache::open(std::path::Path::new(path)).await.unwrap();
        let syncer = Syncer::new(cache, SyntheticHub::new(CONTACTS)).with_page(2000);
        syncer.pull(|_| true).await.unwrap();
    });
}

fn start_child(path: &std::path::Path) -> std::process::Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--exact", TEST, "--nocapture", "--test-threads=1"])
        .env("OPTOUT_SYNC_CHILD", path)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

#[test]
fn a_first_sync_killed_twenty_times_resumes_and_ends_equal_to_the_hub() {
    if let Ok(path) = std::env::var("OPTOUT_SYNC_CHILD") {
        child(&path);
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    let hub = SyntheticHub::new(CONTACTS);
    let rt = runtime();
    let mut dice: u64 = 0x2545_F491_4F6C_DD1D;
    let mut cursor = 0;
    let mut killed_mid_sync = 0;
    for round in 0..20 {
        let mut sync = start_child(&path);
        dice ^= dice << 13;
        dice ^= dice >> 7;
        dice ^= dice << 17;
        // Twenty runs of 50 to 250 ms cover under half of the sync (a third to a half, measured
        // when applying the feed through one warm connection made it faster).
        std::thread::sleep(Duration::from_millis(50 + dice % 200));
        if sync.try_wait().unwrap().is_none() {
            killed_mid_sync += 1;
        }
        sync.kill().unwrap(); // SIGKILL: no destructor, no rollback, no flush
        sync.wait().unwrap();
        let (state, integrity) = rt.block_on(async {
            let cache = Cache::open(&path).await.unwrap();
            let found = (cache.state().await.unwrap(), cache.integrity_check().await.unwrap());
            cache.close().await;
            found
        });
        assert_eq!(integrity, "ok", "round {round}");
        assert!(state.cursor >= cursor, "round {round}: the cursor went back from {cursor} to {}", state.cursor);
        cursor = state.cursor;
    }
    assert!(killed_mid_sync >= 10, "most kills must land mid-sync to prove anything ({killed_mid_sync} did)");
    assert!(cursor < hub.head(), "twenty short runs should not finish the sync");

    // The last run is left to finish.
    let status = start_child(&path).wait().unwrap();
    assert!(status.success());
    rt.block_on(async {
        let cache = Cache::open(&path).await.unwrap();
        assert_eq!(cache.state().await.unwrap().cursor, hub.head());
        let counts: std::collections::HashMap<String, i64> = cache.counts().await.unwrap().into_iter().collect();
        assert_eq!(counts["accounts"], 3);
        assert_eq!(counts["conversations"], CONTACTS);
        // Every contact has a reply; one in three also an outgoing message instead of an opt-out.
        assert_eq!(counts["messages"], CONTACTS + CONTACTS / 3);
        assert_eq!(counts["opt_outs"], CONTACTS - CONTACTS / 3);
        assert_eq!(cache.integrity_check().await.unwrap(), "ok");
    });
}
