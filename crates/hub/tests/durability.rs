//! An answer that says a write happened survives a power cut: the hub's connections commit with
//! SQLite's `synchronous = FULL` and PostgreSQL's `synchronous_commit = on`, whatever the
//! database's own default.

#![allow(clippy::unwrap_used)]

mod support;

use sqlx::Executor;
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

stories!(every_commit_reaches_the_disk_before_the_answer);
