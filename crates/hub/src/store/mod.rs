//! The storage: opening the pools, running migrations, and the connection of a bulk write. The
//! write transaction that every change goes through is in [`write`].

use std::path::Path;
use std::str::FromStr;

use serde::Serialize;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::pool::PoolConnection;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Any, AnyPool, ConnectOptions, Connection, Executor};

use crate::{Error, Result};

mod write;

pub(crate) use write::{insert_rows, Audit, Bind, Write};

/// Which database holds the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Backend {
    /// A SQLite file, in process.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// The statement that begins a write. On SQLite, IMMEDIATE takes the write lock at once, so
    /// writers wait their turn instead of failing when a read would become a write.
    fn begin_write(self) -> &'static str {
        match self {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        }
    }

    /// A `FROM` item that makes the JSON array bound as `param` into rows, each element as text
    /// in `n.value`: how a batch of thousands of values goes to the database as one bound value.
    pub(crate) fn json_texts(self, param: &str) -> String {
        match self {
            Backend::Sqlite => format!("json_each({param}) n"),
            Backend::Postgres => format!("json_array_elements_text({param}::json) AS n(value)"),
        }
    }

    /// As [`Backend::json_texts`], each element as JSON, for `n.value ->> 0`.
    pub(crate) fn json_values(self, param: &str) -> String {
        match self {
            Backend::Sqlite => format!("json_each({param}) n"),
            Backend::Postgres => format!("json_array_elements({param}::json) AS n(value)"),
        }
    }
}

struct Migration {
    version: i64,
    name: &'static str,
    sqlite: &'static str,
    postgres: &'static str,
}

/// Forward-only. A migration, once released, is never edited; a later one says why it exists.
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 20261122000001,
        name: "record",
        sqlite: include_str!("../../migrations/sqlite/20261122000001_record.sql"),
        postgres: include_str!("../../migrations/postgres/20261122000001_record.sql"),
    },
    Migration {
        version: 20261123000001,
        name: "phone_first",
        sqlite: include_str!("../../migrations/sqlite/20261123000001_phone_first.sql"),
        postgres: include_str!("../../migrations/postgres/20261123000001_phone_first.sql"),
    },
    Migration {
        version: 20261130000001,
        name: "audit_by_opt_out",
        sqlite: include_str!("../../migrations/sqlite/20261130000001_audit_by_opt_out.sql"),
        postgres: include_str!("../../migrations/postgres/20261130000001_audit_by_opt_out.sql"),
    },
    Migration {
        version: 20261201000001,
        name: "stop_requests",
        sqlite: include_str!("../../migrations/sqlite/20261201000001_stop_requests.sql"),
        postgres: include_str!("../../migrations/postgres/20261201000001_stop_requests.sql"),
    },
    Migration {
        version: 20261201000002,
        name: "setup",
        sqlite: include_str!("../../migrations/sqlite/20261201000002_setup.sql"),
        postgres: include_str!("../../migrations/postgres/20261201000002_setup.sql"),
    },
    Migration {
        version: 20261201000003,
        name: "rules",
        sqlite: include_str!("../../migrations/sqlite/20261201000003_rules.sql"),
        postgres: include_str!("../../migrations/postgres/20261201000003_rules.sql"),
    },
];

/// The page cache of each SQLite connection, in KiB. Reads are index seeks: 2 MiB holds the upper
/// levels of every index and the operating system's cache serves the leaves: as fast as 8 MiB,
/// in a quarter of the memory (bench/RESULTS.md, "Settings the code chose by measuring").
const CACHE_KIB: u32 = 2 * 1024;

/// The page cache of a bulk write, in KiB: it keeps the phone indexes of a large import batch
/// in memory instead of spilling them mid-transaction, and from one batch to the next, as the
/// import keeps its connection.
const BULK_CACHE_KIB: u32 = 64 * 1024;

/// The page cache of the connection that makes every other write, in KiB. A batch of ingested
/// messages inserts into the phone indexes of contacts and conversations at random places: with
/// the readers' 2 MiB, it spilled and re-read pages mid-transaction, at twice the time.
const WRITER_CACHE_KIB: u32 = 32 * 1024;

/// How large a bulk write lets the WAL grow, in frames (256 MiB of 16 KiB pages), before it
/// waits for the database to catch up: see [`Bulk::committed`].
const WAL_CAP_FRAMES: i64 = 16 * 1024;

/// The most a WAL file keeps of its size when it starts over: a large write can grow it to
/// hundreds of megabytes, which would otherwise stay on disk until the hub closes.
const WAL_KEEP_BYTES: u64 = 64 << 20;

/// The page size of a new SQLite hub, in bytes. A large import rewrites most pages of the two
/// phone-first indexes in every batch; with 16 KiB pages there are a quarter as many, each with
/// its own overhead in the B-tree, the WAL and the checkpoint. The cost is in writes that touch
/// pages at random, such as building the demo (figures in bench/RESULTS.md, "Settings the code
/// chose by measuring"). A database made earlier keeps its page
/// size: SQLite cannot change it in WAL mode, and the setting is then ignored.
const PAGE_SIZE: u32 = 16 * 1024;

/// Microseconds since the Unix epoch, UTC: how the hub stores time.
pub(crate) fn now_micros() -> i64 {
    chrono::Utc::now().timestamp_micros()
}

/// The hub's connections: `read` for reads, `write` for writes. On SQLite the one writer at a
/// time has a connection of its own with a larger page cache (see [`WRITER_CACHE_KIB`]); on
/// PostgreSQL both are the same pool.
pub(crate) struct Pools {
    pub(crate) read: AnyPool,
    pub(crate) write: AnyPool,
    pub(crate) backend: Backend,
}

pub(crate) async fn open_pool(url: &str) -> Result<Pools> {
    sqlx::any::install_default_drivers();
    let backend = if url.starts_with("sqlite:") {
        Backend::Sqlite
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        Backend::Postgres
    } else {
        return Err(Error::field("database url", "must start with sqlite: or postgres:"));
    };
    let options = AnyConnectOptions::from_str(url)?;
    match backend {
        Backend::Sqlite => {
            // The writer first: it sets the page size and the WAL before any reader opens.
            let write = sqlite_pool(&options, 1, WRITER_CACHE_KIB).await?;
            let read = sqlite_pool(&options, 8, CACHE_KIB).await?;
            Ok(Pools { read, write, backend })
        }
        Backend::Postgres => {
            let pool = AnyPoolOptions::new()
                .max_connections(postgres_connections())
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        // A commit returns once its WAL is on disk, whatever the server's
                        // configuration says for other clients.
                        conn.execute("SET synchronous_commit = on").await?;
                        Ok(())
                    })
                })
                .connect_with(options)
                .await?;
            Ok(Pools { read: pool.clone(), write: pool, backend })
        }
    }
}

async fn sqlite_pool(options: &AnyConnectOptions, connections: u32, cache_kib: u32) -> Result<AnyPool> {
    let pool = AnyPoolOptions::new()
        .max_connections(connections)
        // A SQLite connection cannot go stale; testing it would cost a round trip to its
        // worker thread on every query. Nor does one grow old: the writer keeps its cache.
        .test_before_acquire(false)
        .idle_timeout(None)
        .max_lifetime(None)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                // The page size first: it is fixed when the first page is written. WAL lets
                // readers run beside the writer. FULL syncs the WAL at every commit: an answer
                // that says an opt-out was recorded holds through a power cut, which NORMAL
                // (synced only at checkpoints) does not promise.
                conn.execute(format!("PRAGMA page_size = {PAGE_SIZE}").as_str()).await?;
                conn.execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                )
                .await?;
                conn.execute(
                    format!("PRAGMA cache_size = -{cache_kib}; PRAGMA journal_size_limit = {WAL_KEEP_BYTES}").as_str(),
                )
                .await?;
                Ok(())
            })
        })
        .connect_with(options.clone())
        .await?;
    Ok(pool)
}

/// Connections to PostgreSQL: four per core of this machine, between 4 and 32. Each query is a
/// round trip to a server process, and more connections than the cores can serve only add
/// switching: on two cores, HTTP send checks (before they had connections of their own, see
/// `send_check::batch`) ran at 11.7-11.9k/s with 4 or 8 connections and 8.9k/s with 16.
fn postgres_connections() -> u32 {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    u32::try_from(cores * 4).unwrap_or(u32::MAX).clamp(4, 32)
}

/// Empties the page cache of each idle connection of a SQLite `pool`, giving the memory back to
/// the allocator: after a burst of work the next ones will not need.
///
/// # Errors
/// The database's, from the first connection that fails.
pub async fn shrink_idle<DB: sqlx::Database>(pool: &sqlx::Pool<DB>) -> std::result::Result<(), sqlx::Error>
where
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
{
    // Each idle connection once: those taken are held until all are done.
    let mut idle = Vec::new();
    while let Some(mut conn) = pool.try_acquire() {
        (&mut *conn).execute("PRAGMA shrink_memory").await?;
        idle.push(conn);
    }
    Ok(())
}

/// The folder of the file a `sqlite:` URL names.
pub(crate) fn sqlite_dir(url: &str) -> Option<std::path::PathBuf> {
    let options = SqliteConnectOptions::from_str(url).ok().filter(|_| url.starts_with("sqlite:"))?;
    let parent = options.get_filename().parent()?;
    Some(if parent.as_os_str().is_empty() { Path::new(".").to_owned() } else { parent.to_owned() })
}

/// The `sqlite:` URL of a database file, created if missing.
pub(crate) fn sqlite_url(path: &Path) -> String {
    SqliteConnectOptions::new().filename(path).create_if_missing(true).to_url_lossy().to_string()
}

pub(crate) async fn migrate(pool: &AnyPool, backend: Backend) -> Result<()> {
    let mut conn = pool.acquire().await?;
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, \
         applied_at BIGINT NOT NULL)",
    )
    .await?;
    for migration in MIGRATIONS {
        let mut tx = conn.begin_with(backend.begin_write()).await?;
        if backend == Backend::Postgres {
            // Two processes opening a new database at once: one migrates, the other waits.
            tx.execute("SELECT pg_advisory_xact_lock(7041999)").await?;
        }
        let applied: Option<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
            .bind(migration.version)
            .fetch_optional(&mut *tx)
            .await?;
        if applied.is_some() {
            continue;
        }
        let sql = match backend {
            Backend::Sqlite => migration.sqlite,
            Backend::Postgres => migration.postgres,
        };
        sqlx::raw_sql(sql).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
            .bind(migration.version)
            .bind(migration.name)
            .bind(now_micros())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
    }
    Ok(())
}

/// A connection for a long run of large writes, an import or the demo's traffic: a page cache
/// that holds the pages a batch writes, and on SQLite, the WAL copied into the database by
/// another connection while the next batch is written, rather than inside each commit.
///
/// On SQLite it also leaves foreign keys to its writer: SQLite checks each row's references by
/// opening and closing a cursor on each parent table, a tenth of an import's time.
/// Its writers refer only to rows they read or write in the same transaction: an import to the
/// account and the opt-outs it has just written, ingest to the sender numbers it routed by and
/// the contacts, conversations and messages it has just written. Stories check every reference
/// after an import and after the demo.
///
/// Either way the connection never goes back to the pool with these settings: it is closed
/// when dropped.
pub(crate) struct Bulk {
    conn: PoolConnection<Any>,
    pool: AnyPool,
    backend: Backend,
    /// The checkpoint running, which answers how many frames the WAL had.
    checkpoint: Option<tokio::task::JoinHandle<Result<i64>>>,
    /// The WAL's frames at the last checkpoint, since the WAL last started over.
    wal_frames: i64,
    /// The frames the write before that checkpoint added: about what the last write added.
    grew: i64,
}

impl Bulk {
    pub(crate) async fn open(pool: &AnyPool, backend: Backend) -> Result<Bulk> {
        let mut conn = pool.acquire().await?;
        conn.close_on_drop();
        if backend == Backend::Sqlite {
            // The WAL keeps its size between batches; the first write after the import, on
            // another connection, trims it to `WAL_KEEP_BYTES`.
            conn.execute(
                format!(
                    "PRAGMA cache_size = -{BULK_CACHE_KIB}; PRAGMA wal_autocheckpoint = 0; \
                     PRAGMA journal_size_limit = -1; PRAGMA foreign_keys = OFF"
                )
                .as_str(),
            )
            .await?;
        }
        Ok(Bulk { conn, pool: pool.clone(), backend, checkpoint: None, wal_frames: 0, grew: 0 })
    }

    /// Begins the next write.
    pub(crate) async fn write(&mut self) -> Result<Write<'_>> {
        Write::begin_on(&mut self.conn, self.backend).await
    }

    /// After each commit: starts copying the WAL into the database, on another connection. A
    /// WAL only starts over from its beginning when a write begins after everything in it was
    /// copied, so once it has outgrown [`WAL_CAP_FRAMES`] (as far as this can tell: the last
    /// checkpoint's count, and about as many again as the write before) this waits for the copy.
    pub(crate) async fn committed(&mut self) -> Result<()> {
        if self.backend != Backend::Sqlite {
            return Ok(());
        }
        self.finish().await?;
        let pool = self.pool.clone();
        self.checkpoint = Some(tokio::spawn(async move {
            let (_, frames, _): (i64, i64, i64) =
                sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)").fetch_one(&pool).await?;
            Ok(frames)
        }));
        if self.wal_frames + self.grew >= WAL_CAP_FRAMES {
            self.finish().await?;
            self.wal_frames = 0;
        }
        Ok(())
    }

    /// Waits for the checkpoint running, if one is.
    pub(crate) async fn finish(&mut self) -> Result<()> {
        if let Some(checkpoint) = self.checkpoint.take() {
            let frames = checkpoint.await.map_err(|e| Error::Corrupt(format!("checkpoint: {e}")))??;
            self.grew = frames - self.wal_frames;
            self.wal_frames = frames;
        }
        Ok(())
    }
}
