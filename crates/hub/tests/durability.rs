//! An answer that says a write happened survives a power cut: the hub's connections commit with
//! SQLite's `synchronous = FULL` and PostgreSQL's `synchronous_commit = on`, whatever the
//! database's own default. And the SQLite file's page size: large for new hubs, kept for old.

#![allow(clippy::unwrap_used)]

mod support;

use sqlx::Executor;
use support::organisation::*;
use support::{Storage, TestHub};

async fn every_commit_reaches_the_disk_before_the_answer(t: &TestHub) {
    let expected = match t.storage {
        Storage::Sqlite => "synchronous=FULL",
        Storage::Postgres => {
            // A server tuned for speed: commits that return before their WAL is flushed.
            let database = t.url.split("localhost/").nth(1).unwrap().split('?').next().unwrap().to_owned();
            let mut raw = t.raw().await;
            raw.execute(format!("ALTER DATABASE {database} SET synchronous_commit = off").as_str()).await.unwrap();
            let mut fresh = t.raw().await;
            let theirs: String = sqlx::query_scalar("SHOW synchronous_commit").fetch_one(&mut fresh).await.unwrap();
            assert_eq!(theirs, "off", "the database's default for other clients");
            "synchronous_commit=on"
        }
    };
    let hub = t.reopen().await;
    // Every connection of the pool, not only the first: hold several at once.
    let checks = futures_util::future::join_all((0..6).map(|_| hub.durability())).await;
    for check in checks {
        assert_eq!(check.unwrap(), expected);
    }
}

async fn the_record_survives_reopening(t: &TestHub) {
    organisation(t).await;
    t.hub.opt_out(&admin(), &opt_out_request("Acme", CONTACT, "asked")).await.unwrap();
    t.hub.close().await;
    let hub = t.reopen().await;
    assert_eq!(hub.send_check("Acme", US_SENDER, CONTACT).await.code, "opted_out");
}

stories!(every_commit_reaches_the_disk_before_the_answer, the_record_survives_reopening);

/// A hub made before new hubs got 16 KiB pages keeps its 4 KiB ones (SQLite cannot change them
/// in WAL mode), and must open and work as before.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hub_made_with_small_pages_opens_and_works() {
    use sqlx::Connection;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("hub.sqlite3").display());
    let mut old = sqlx::SqliteConnection::connect(&url).await.unwrap();
    old.execute("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE made_earlier (x)").await.unwrap();
    old.close().await.unwrap();

    let t = TestHub::sqlite_in(dir).await;
    organisation(&t).await;
    t.hub.opt_out(&admin(), &opt_out_request("Acme", CONTACT, "asked")).await.unwrap();
    assert_eq!(t.hub.send_check("Acme", US_SENDER, CONTACT).await.code, "opted_out");
    let mut raw = t.raw().await;
    let page_size: i64 = sqlx::query_scalar("PRAGMA page_size").fetch_one(&mut raw).await.unwrap();
    assert_eq!(page_size, 4096);
}

/// New hubs get large pages: the import benchmark depends on them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_hub_has_16_kib_pages() {
    let t = TestHub::new(Storage::Sqlite).await;
    let page_size: i64 = sqlx::query_scalar("PRAGMA page_size").fetch_one(&mut t.raw().await).await.unwrap();
    assert_eq!(page_size, 16384);
}
