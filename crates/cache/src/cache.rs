//! The cache database: opening it, where the sync stands, and what the desktop reads.

use std::path::Path;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use optout_hub::{Account, OptIn, OptOut, PageCursor, Source};
use optout_rules::Provider;
use serde::{Deserialize, Serialize};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

use crate::{Error, Result};

const MIGRATIONS: &[(i64, &str)] = &[
    (20261123000001, include_str!("../migrations/20261123000001_cache.sql")),
    (20261123000002, include_str!("../migrations/20261123000002_screens.sql")),
    (20261123000003, include_str!("../migrations/20261123000003_opt_outs_by_phone_and_account.sql")),
    (20261123000004, include_str!("../migrations/20261123000004_in_force_indexes.sql")),
    (20261201000001, include_str!("../migrations/20261201000001_stop_requests.sql")),
    (20261201000002, include_str!("../migrations/20261201000002_setup.sql")),
    (20261201000003, include_str!("../migrations/20261201000003_rules.sql")),
];

pub(crate) fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

pub(crate) fn time(micros: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_micros(micros).ok_or_else(|| Error::Protocol(format!("time {micros} is out of range")))
}

/// The local cache: a SQLite file in WAL mode. Cheap to clone.
#[derive(Clone)]
pub struct Cache {
    /// For the screens' reads and the small writes.
    pub(crate) pool: SqlitePool,
    /// One connection, with a larger page cache, for applying the feed: a first sync writes
    /// millions of rows into every index, and keeping their pages between pages of the feed is
    /// what makes it fast. The readers' small caches keep the app's memory down.
    pub(crate) writer: SqlitePool,
}

/// Where the sync stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncState {
    /// The hub this cache mirrors, once it has synced.
    pub hub: Option<String>,
    /// The last change applied.
    pub cursor: i64,
    /// The newest change the hub had at the last sync.
    pub hub_head: i64,
    /// When the cache last caught up with the hub.
    pub last_synced_at: Option<DateTime<Utc>>,
    /// Why the last sync failed, if it did.
    pub last_error: Option<String>,
    /// Commands waiting for the hub's answer.
    pub pending: i64,
}

pub(crate) type OptOutRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
);

pub(crate) fn opt_out(row: OptOutRow) -> Result<OptOut> {
    let (
        id,
        account,
        phone,
        source,
        actor,
        reason,
        evidence,
        sender_phone,
        rule,
        created_at,
        opt_in,
        in_actor,
        in_reason,
        in_at,
        rule_set,
    ) = row;
    let reversed_by = match (opt_in, in_actor, in_reason, in_at) {
        (Some(opt_in), Some(actor), Some(reason), Some(at)) => {
            Some(OptIn { id: opt_in, opt_out_id: id, actor, reason, created_at: time(at)? })
        }
        _ => None,
    };
    Ok(OptOut {
        id,
        account,
        phone,
        source: Source::parse(&source).map_err(|e| Error::Protocol(e.to_string()))?,
        actor,
        reason,
        evidence,
        sender_phone,
        rule,
        rule_set,
        created_at: time(created_at)?,
        reversed_by,
    })
}

/// The columns of an [`OptOutRow`], from `opt_outs`.
pub(crate) const OPT_OUT_SELECT: &str =
    "SELECT id, account, phone, source, actor, reason, evidence, sender_phone, rule, \
     created_at, opt_in_id, opt_in_actor, opt_in_reason, opt_in_at, rule_set FROM opt_outs";

impl Cache {
    /// Opens (creating if missing) the cache at `path`, and migrates it.
    ///
    /// # Errors
    /// [`Error::Storage`] when the file cannot be opened or is not a cache.
    pub async fn open(path: &Path) -> Result<Cache> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::field("cache folder", format!("{}: {e}", dir.display())))?;
        }
        let options = SqliteConnectOptions::from_str("sqlite:")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(std::time::Duration::from_secs(10));
        // Page caches: 2 MiB for each screen's reads, which are index seeks; 8 MiB for the one
        // connection that applies the feed: as fast as larger ones, in less memory
        // (bench/RESULTS.md, "Settings the code chose by measuring").
        let pool = SqlitePoolOptions::new()
            .max_connections(3)
            .test_before_acquire(false)
            .connect_with(options.clone().pragma("cache_size", "-2048"))
            .await?;
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .test_before_acquire(false)
            .connect_with(options.pragma("cache_size", "-8192"))
            .await?;
        let cache = Cache { pool, writer };
        cache.migrate().await?;
        Ok(cache)
    }

    async fn migrate(&self) -> Result<()> {
        sqlx::query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY) STRICT")
            .execute(&self.pool)
            .await?;
        for (version, sql) in MIGRATIONS {
            let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
            let done: Option<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = ?")
                .bind(version)
                .fetch_optional(&mut *tx)
                .await?;
            if done.is_none() {
                sqlx::raw_sql(sql).execute(&mut *tx).await?;
                sqlx::query("INSERT INTO schema_migrations (version) VALUES (?)")
                    .bind(version)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.commit().await?;
        }
        Ok(())
    }

    /// Empties the page caches of the connections that are idle: after a first sync the feed
    /// writer's 8 MiB are full and stay so, while the next sync needs only a few pages. The
    /// memory goes back to the allocator, not yet to the system.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub async fn shrink_memory(&self) -> Result<()> {
        optout_hub::shrink_idle(&self.writer).await?;
        Ok(optout_hub::shrink_idle(&self.pool).await?)
    }

    /// Closes the pools.
    pub async fn close(&self) {
        self.pool.close().await;
        self.writer.close().await;
    }

    /// Where the sync stands.
    pub async fn state(&self) -> Result<SyncState> {
        let (hub, cursor, hub_head, last_synced_at, last_error, pending): (
            Option<String>,
            i64,
            i64,
            Option<i64>,
            Option<String>,
            i64,
        ) = sqlx::query_as(
            "SELECT hub, cursor, hub_head, last_synced_at, last_error, \
             (SELECT COUNT(*) FROM outbox WHERE status = 'pending') FROM sync_state",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(SyncState {
            hub,
            cursor,
            hub_head,
            last_synced_at: last_synced_at.map(time).transpose()?,
            last_error,
            pending,
        })
    }

    /// Records why the last sync failed, for the status bar.
    pub(crate) async fn record_error(&self, error: Option<&str>) -> Result<()> {
        sqlx::query("UPDATE sync_state SET last_error = ?").bind(error).execute(&self.pool).await?;
        Ok(())
    }

    /// The accounts, by name.
    pub async fn accounts(&self) -> Result<Vec<Account>> {
        use sqlx::Row;
        let rows = sqlx::query(
            "SELECT id, name, auto_opt_outs, confirmation_message, default_opt_out_message, rule_set, review_days, \
             created_at FROM accounts ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await?;
        let protocol = |e: &dyn std::fmt::Display| Error::Protocol(e.to_string());
        rows.iter()
            .map(|row| {
                Ok(Account {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    auto_opt_outs: row.try_get("auto_opt_outs")?,
                    confirmation_message: row.try_get("confirmation_message")?,
                    default_opt_out_message: row.try_get("default_opt_out_message")?,
                    rule_set: optout_rules::RuleSet::parse(row.try_get("rule_set")?).map_err(|e| protocol(&e))?,
                    review_days: u32::try_from(row.try_get::<i64, _>("review_days")?).map_err(|e| protocol(&e))?,
                    created_at: time(row.try_get("created_at")?)?,
                })
            })
            .collect()
    }

    /// Every opt-out, reversed or not, by id.
    pub async fn opt_outs(&self) -> Result<Vec<OptOut>> {
        self.opt_outs_where("", None).await
    }

    /// A number's opt-outs in every account, newest first: its history of opt-outs and opt-ins.
    pub async fn opt_outs_of(&self, phone: &str) -> Result<Vec<OptOut>> {
        self.opt_outs_where("WHERE phone = ?", Some(phone)).await
    }

    async fn opt_outs_where(&self, condition: &str, phone: Option<&str>) -> Result<Vec<OptOut>> {
        let order = if phone.is_some() { "created_at DESC, id DESC" } else { "id" };
        let sql = format!("{OPT_OUT_SELECT} {condition} ORDER BY {order}");
        let mut query = sqlx::query_as::<_, OptOutRow>(&sql);
        if let Some(phone) = phone {
            query = query.bind(phone);
        }
        query.fetch_all(&self.pool).await?.into_iter().map(opt_out).collect()
    }

    /// How many rows each table holds: `(table, rows)`.
    pub async fn counts(&self) -> Result<Vec<(String, i64)>> {
        let mut counts = Vec::new();
        for table in
            ["accounts", "campaigns", "conversations", "messages", "opt_outs", "provider_blocks", "queued_messages"]
        {
            let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}")).fetch_one(&self.pool).await?;
            counts.push((table.to_owned(), n));
        }
        Ok(counts)
    }

    /// The message bodies of a conversation, oldest first.
    pub async fn message_bodies(&self, conversation_id: i64) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT body FROM messages WHERE conversation_id = ? ORDER BY at, id")
            .bind(conversation_id)
            .fetch_all(&self.pool)
            .await?)
    }

    /// `PRAGMA integrity_check`: `ok`, or what is wrong.
    pub async fn integrity_check(&self) -> Result<String> {
        Ok(sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&self.pool).await?)
    }
}

/// A list's `after`, as [`PageCursor`] writes it.
pub(crate) fn parse_cursor(cursor: &str) -> Result<PageCursor> {
    PageCursor::parse(cursor).ok_or_else(|| Error::field("after", "is not a cursor this app gave out"))
}

/// A provider as the cache stores it: its number, which the hub sent.
pub(crate) fn cached_provider(number: i64) -> Result<Provider> {
    optout_hub::provider_number::stored(number).ok_or_else(|| Error::Protocol(format!("provider {number}")))
}
