//! The cache database: what the desktop shows, the feed cursor, and the outbox.

use std::path::Path;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use optout_hub::{Account, Campaign, Change, OptIn, OptOut, ProviderBlock, QueuedMessage, Source};
use serde::{Deserialize, Serialize};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{QueryBuilder, Sqlite, SqlitePool, Transaction};
use uuid::Uuid;

use crate::link::{Answer, Command, Page};
use crate::{Error, Result};

const MIGRATIONS: &[(i64, &str)] = &[(20261123000001, include_str!("../migrations/20261123000001_cache.sql"))];

/// Rows per multi-row statement: under SQLite's limit of 32,766 bound values at 14 columns.
const ROWS_PER_STATEMENT: usize = 1000;

fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

fn time(micros: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_micros(micros).ok_or_else(|| Error::Protocol(format!("time {micros} is out of range")))
}

/// The local cache: a SQLite file in WAL mode. Cheap to clone.
#[derive(Clone)]
pub struct Cache {
    pool: SqlitePool,
}

/// Where the sync stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// Where a command stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// Not yet answered by the hub.
    Pending,
    /// Done by the hub.
    Accepted,
    /// Refused by the hub, with its reason.
    Refused,
}

/// One command in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxItem {
    /// The command's id.
    pub id: Uuid,
    /// `opt_out`, `opt_in` or `settings`.
    pub kind: String,
    /// What it does, in a line.
    pub summary: String,
    /// Where it stands.
    pub status: OutboxStatus,
    /// The hub's answer, once settled.
    pub answer: Option<Answer>,
    /// How often it has been sent without an answer.
    pub attempts: i64,
    /// Why the last attempt got no answer.
    pub last_error: Option<String>,
    /// When the admin did it.
    pub created_at: DateTime<Utc>,
}

/// A conversation as the feed describes it.
#[derive(Deserialize)]
struct Conversation {
    id: i64,
    campaign_id: i64,
    account: String,
    sender_phone: String,
    contact_phone: String,
    contact_name: Option<String>,
}

#[derive(Deserialize)]
struct Message {
    id: i64,
    conversation_id: i64,
    direction: String,
    body: String,
    at: DateTime<Utc>,
}

#[derive(Deserialize)]
struct Review {
    conversation_id: i64,
    review_reason: Option<String>,
}

#[derive(Deserialize)]
struct CommandAnswer {
    id: Uuid,
    answer: serde_json::Value,
}

/// One page's changes, decoded and sorted by table.
#[derive(Default)]
struct Batch {
    accounts: Vec<Account>,
    campaigns: Vec<Campaign>,
    conversations: Vec<Conversation>,
    messages: Vec<Message>,
    opt_outs: Vec<OptOut>,
    blocks: Vec<ProviderBlock>,
    queued: Vec<(i64, QueuedMessage)>,
    reviews: Vec<Review>,
    answers: Vec<CommandAnswer>,
}

impl Batch {
    fn add(&mut self, change: &Change) -> Result<()> {
        fn de<T: serde::de::DeserializeOwned>(change: &Change) -> Result<T> {
            serde_json::from_str(change.payload.get())
                .map_err(|e| Error::Protocol(format!("change {} ({}) is malformed: {e}", change.seq, change.kind)))
        }
        match change.kind.as_str() {
            "account" => self.accounts.push(de(change)?),
            "campaign" => self.campaigns.push(de(change)?),
            "conversation" => self.conversations.push(de(change)?),
            "message" => self.messages.push(de(change)?),
            "opt_out" => self.opt_outs.push(de(change)?),
            "provider_block" => self.blocks.push(de(change)?),
            "opt_out_message" => self.queued.push((change.seq, de(change)?)),
            "review" => self.reviews.push(de(change)?),
            "command" => self.answers.push(de(change)?),
            other => {
                return Err(Error::Protocol(format!(
                    "change {} is of a kind this app does not know ({other:?}); update the app",
                    change.seq
                )))
            }
        }
        Ok(())
    }

    async fn write(&self, tx: &mut Transaction<'static, Sqlite>) -> Result<()> {
        upsert(
            tx,
            "accounts (id, name, auto_opt_outs, confirmation_message, default_opt_out_message, created_at)",
            "name = excluded.name, auto_opt_outs = excluded.auto_opt_outs, \
             confirmation_message = excluded.confirmation_message, \
             default_opt_out_message = excluded.default_opt_out_message",
            &self.accounts,
            |mut b, a| {
                b.push_bind(a.id)
                    .push_bind(&a.name)
                    .push_bind(a.auto_opt_outs)
                    .push_bind(&a.confirmation_message)
                    .push_bind(&a.default_opt_out_message)
                    .push_bind(micros(a.created_at));
            },
        )
        .await?;
        let senders: Vec<String> =
            self.campaigns.iter().map(|c| serde_json::to_string(&c.sender_numbers).unwrap_or_default()).collect();
        let campaigns: Vec<(&Campaign, &String)> = self.campaigns.iter().zip(&senders).collect();
        upsert(
            tx,
            "campaigns (id, account, name, provider, active, sender_numbers)",
            "account = excluded.account, name = excluded.name, provider = excluded.provider, \
             active = excluded.active, sender_numbers = excluded.sender_numbers",
            &campaigns,
            |mut b, (c, senders)| {
                b.push_bind(c.id)
                    .push_bind(&c.account)
                    .push_bind(&c.name)
                    .push_bind(i64::from(c.provider))
                    .push_bind(c.active)
                    .push_bind(*senders);
            },
        )
        .await?;
        // A conversation's review flag comes in its own changes: keep it when the conversation
        // itself is written again.
        upsert(
            tx,
            "conversations (id, campaign_id, account, sender_phone, contact_phone, contact_name)",
            "campaign_id = excluded.campaign_id, account = excluded.account, sender_phone = excluded.sender_phone, \
             contact_phone = excluded.contact_phone, contact_name = excluded.contact_name",
            &self.conversations,
            |mut b, c| {
                b.push_bind(c.id)
                    .push_bind(c.campaign_id)
                    .push_bind(&c.account)
                    .push_bind(&c.sender_phone)
                    .push_bind(&c.contact_phone)
                    .push_bind(&c.contact_name);
            },
        )
        .await?;
        upsert(
            tx,
            "messages (id, conversation_id, direction, body, at)",
            "conversation_id = excluded.conversation_id, direction = excluded.direction, body = excluded.body, \
             at = excluded.at",
            &self.messages,
            |mut b, m| {
                b.push_bind(m.id)
                    .push_bind(m.conversation_id)
                    .push_bind(&m.direction)
                    .push_bind(&m.body)
                    .push_bind(micros(m.at));
            },
        )
        .await?;
        upsert(
            tx,
            "opt_outs (id, account, phone, source, actor, reason, evidence, sender_phone, rule, created_at, \
                opt_in_id, opt_in_actor, opt_in_reason, opt_in_at)",
            "account = excluded.account, phone = excluded.phone, source = excluded.source, actor = excluded.actor, \
             reason = excluded.reason, evidence = excluded.evidence, sender_phone = excluded.sender_phone, \
             rule = excluded.rule, created_at = excluded.created_at, opt_in_id = excluded.opt_in_id, \
             opt_in_actor = excluded.opt_in_actor, opt_in_reason = excluded.opt_in_reason, \
             opt_in_at = excluded.opt_in_at",
            &self.opt_outs,
            |mut b, o| {
                let opt_in = o.reversed_by.as_ref();
                b.push_bind(o.id)
                    .push_bind(&o.account)
                    .push_bind(&o.phone)
                    .push_bind(o.source.as_str())
                    .push_bind(&o.actor)
                    .push_bind(&o.reason)
                    .push_bind(&o.evidence)
                    .push_bind(&o.sender_phone)
                    .push_bind(&o.rule)
                    .push_bind(micros(o.created_at))
                    .push_bind(opt_in.map(|i| i.id))
                    .push_bind(opt_in.map(|i| i.actor.clone()))
                    .push_bind(opt_in.map(|i| i.reason.clone()))
                    .push_bind(opt_in.map(|i| micros(i.created_at)));
            },
        )
        .await?;
        upsert(
            tx,
            "provider_blocks (id, sender_phone, contact_phone, created_at, lifted_at)",
            "sender_phone = excluded.sender_phone, contact_phone = excluded.contact_phone, \
             created_at = excluded.created_at, lifted_at = excluded.lifted_at",
            &self.blocks,
            |mut b, p| {
                b.push_bind(p.id)
                    .push_bind(&p.sender_phone)
                    .push_bind(&p.contact_phone)
                    .push_bind(micros(p.created_at))
                    .push_bind(p.lifted_at.map(micros));
            },
        )
        .await?;
        upsert(
            tx,
            "queued_messages (seq, kind, sender_phone, contact_phone, body)",
            "kind = excluded.kind, sender_phone = excluded.sender_phone, contact_phone = excluded.contact_phone, \
             body = excluded.body",
            &self.queued,
            |mut b, (seq, q)| {
                b.push_bind(*seq)
                    .push_bind(&q.kind)
                    .push_bind(&q.sender_phone)
                    .push_bind(&q.contact_phone)
                    .push_bind(&q.body);
            },
        )
        .await?;
        for review in &self.reviews {
            sqlx::query("UPDATE conversations SET review_reason = ? WHERE id = ?")
                .bind(&review.review_reason)
                .bind(review.conversation_id)
                .execute(&mut **tx)
                .await?;
        }
        for command in &self.answers {
            let answer = match command.answer.get("refused") {
                Some(refused) => Answer::Refused {
                    code: refused["code"].as_str().unwrap_or("refused").to_owned(),
                    message: refused["message"].as_str().unwrap_or("refused").to_owned(),
                },
                None => Answer::Accepted { outcome: command.answer.get("done").cloned().unwrap_or_default() },
            };
            settle_in(tx, command.id, &answer).await?;
        }
        Ok(())
    }
}

/// Inserts `rows` into `table (columns)`, or updates `set` where the id exists, in statements of
/// [`ROWS_PER_STATEMENT`].
async fn upsert<'a, T>(
    tx: &mut Transaction<'static, Sqlite>,
    table: &str,
    set: &str,
    rows: &'a [T],
    bind: impl Fn(sqlx::query_builder::Separated<'_, 'a, Sqlite, &'static str>, &'a T) + Copy,
) -> Result<()> {
    let key = if table.starts_with("queued_messages") { "seq" } else { "id" };
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut query: QueryBuilder<'a, Sqlite> = QueryBuilder::new(format!("INSERT INTO {table} "));
        query.push_values(chunk, bind);
        query.push(format!(" ON CONFLICT ({key}) DO UPDATE SET {set}"));
        query.build().execute(&mut **tx).await?;
    }
    Ok(())
}

async fn settle_in(tx: &mut Transaction<'static, Sqlite>, id: Uuid, answer: &Answer) -> Result<()> {
    let status = match answer {
        Answer::Accepted { .. } => "accepted",
        Answer::Refused { .. } => "refused",
    };
    let answer = serde_json::to_string(answer).map_err(|e| Error::Protocol(e.to_string()))?;
    sqlx::query("UPDATE outbox SET status = ?, answer = ?, settled_at = ? WHERE id = ? AND status = 'pending'")
        .bind(status)
        .bind(answer)
        .bind(micros(Utc::now()))
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

type OptOutRow = (
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
);

fn opt_out(row: OptOutRow) -> Result<OptOut> {
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
        created_at: time(created_at)?,
        reversed_by,
    })
}

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
            .busy_timeout(std::time::Duration::from_secs(10))
            .pragma("cache_size", "-32768");
        let pool = SqlitePoolOptions::new().max_connections(4).test_before_acquire(false).connect_with(options).await?;
        let cache = Cache { pool };
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

    /// Closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
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

    /// Applies a page of the feed and moves the cursor past it, in one transaction.
    ///
    /// The page must start right after the cursor and have no gaps, and the cache must mirror
    /// `hub` (or nothing yet); otherwise nothing is stored. Returns how many changes it applied.
    pub(crate) async fn apply(&self, hub: &str, page: &Page) -> Result<u64> {
        let mut batch = Batch::default();
        for change in &page.changes {
            batch.add(change)?;
        }
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let (cached, cursor): (Option<String>, i64) =
            sqlx::query_as("SELECT hub, cursor FROM sync_state").fetch_one(&mut *tx).await?;
        if let Some(cached) = cached.filter(|cached| cached != hub) {
            return Err(Error::OtherHub { cached, connected: hub.to_owned() });
        }
        for (expected, change) in (cursor + 1..).zip(&page.changes) {
            if change.seq != expected {
                return Err(Error::Protocol(format!(
                    "expected change {expected} after {cursor}, got change {}",
                    change.seq
                )));
            }
        }
        let last = cursor + page.changes.len() as i64;
        if page.head < last {
            return Err(Error::Protocol(format!("the feed's head {} is behind its own change {last}", page.head)));
        }
        batch.write(&mut tx).await?;
        sqlx::query(
            "UPDATE sync_state SET hub = ?, cursor = ?, hub_head = ?, \
             last_synced_at = CASE WHEN ? THEN ? ELSE last_synced_at END, last_error = NULL",
        )
        .bind(hub)
        .bind(last)
        .bind(page.head)
        .bind(last >= page.head)
        .bind(micros(Utc::now()))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(page.changes.len() as u64)
    }

    /// Records why the last sync failed, for the status bar.
    pub(crate) async fn record_error(&self, error: Option<&str>) -> Result<()> {
        sqlx::query("UPDATE sync_state SET last_error = ?").bind(error).execute(&self.pool).await?;
        Ok(())
    }

    /// Puts a command in the outbox, before anything else happens to it.
    ///
    /// # Errors
    /// [`Error::InvalidField`] when the command names an account the cache does not know, a
    /// number that does not parse, or an opt-in without a reason. Nothing is stored then.
    pub async fn enqueue(&self, command: &Command) -> Result<OutboxItem> {
        let account = match command {
            Command::OptOut(r) => &r.account,
            Command::OptIn(r) => &r.account,
            Command::Settings { account, .. } => account,
        };
        let known: Option<i64> = sqlx::query_scalar("SELECT id FROM accounts WHERE name = ?")
            .bind(account)
            .fetch_optional(&self.pool)
            .await?;
        if known.is_none() {
            return Err(Error::field("account", format!("no account named {account:?}")));
        }
        match command {
            Command::OptOut(r) => {
                optout_hub::phone::e164(&r.phone, r.region).map_err(|why| Error::field("phone", why))?;
            }
            Command::OptIn(r) => {
                optout_hub::phone::e164(&r.phone, r.region).map_err(|why| Error::field("phone", why))?;
                if r.reason.trim().is_empty() {
                    return Err(Error::field("reason", "say why this number may be texted again"));
                }
            }
            Command::Settings { .. } => {}
        }
        let now = micros(Utc::now());
        let request = serde_json::to_string(command).map_err(|e| Error::field("command", e.to_string()))?;
        sqlx::query(
            "INSERT INTO outbox (id, kind, request, summary, status, next_attempt_at, created_at) \
             VALUES (?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (id) DO NOTHING",
        )
        .bind(command.id().to_string())
        .bind(command.kind())
        .bind(&request)
        .bind(command.summary())
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await?;
        self.outbox_item(command.id()).await?.ok_or_else(|| Error::field("command", "vanished"))
    }

    /// One command in the outbox.
    pub async fn outbox_item(&self, id: Uuid) -> Result<Option<OutboxItem>> {
        Ok(self.outbox_where("WHERE id = ?", Some(id.to_string())).await?.pop())
    }

    /// The outbox, newest first: pending commands and the 200 last settled.
    pub async fn outbox(&self) -> Result<Vec<OutboxItem>> {
        self.outbox_where(
            "WHERE status = 'pending' OR id IN (SELECT id FROM outbox ORDER BY created_at DESC LIMIT 200)",
            None,
        )
        .await
    }

    async fn outbox_where(&self, condition: &str, id: Option<String>) -> Result<Vec<OutboxItem>> {
        type Row = (String, String, String, String, Option<String>, i64, Option<String>, i64);
        let sql = format!(
            "SELECT id, kind, summary, status, answer, attempts, last_error, created_at FROM outbox {condition} \
             ORDER BY created_at DESC, id"
        );
        let mut query = sqlx::query_as::<_, Row>(&sql);
        if let Some(id) = id {
            query = query.bind(id);
        }
        query
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|(id, kind, summary, status, answer, attempts, last_error, created_at)| {
                Ok(OutboxItem {
                    id: Uuid::parse_str(&id).map_err(|e| Error::Protocol(e.to_string()))?,
                    kind,
                    summary,
                    status: match status.as_str() {
                        "accepted" => OutboxStatus::Accepted,
                        "refused" => OutboxStatus::Refused,
                        _ => OutboxStatus::Pending,
                    },
                    answer: answer
                        .map(|a| serde_json::from_str(&a))
                        .transpose()
                        .map_err(|e| Error::Protocol(e.to_string()))?,
                    attempts,
                    last_error,
                    created_at: time(created_at)?,
                })
            })
            .collect()
    }

    /// Pending commands whose time to be sent has come, oldest first.
    pub(crate) async fn due(&self) -> Result<Vec<(Command, i64)>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT request, attempts FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY created_at, id",
        )
        .bind(micros(Utc::now()))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(request, attempts)| {
                Ok((serde_json::from_str(&request).map_err(|e| Error::Protocol(e.to_string()))?, attempts))
            })
            .collect()
    }

    /// Settles a command with the hub's answer.
    pub(crate) async fn settle(&self, id: Uuid, answer: &Answer) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        settle_in(&mut tx, id, answer).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Notes a failed attempt; the command is sent again after `retry_in`.
    pub(crate) async fn postpone(&self, id: Uuid, error: &str, retry_in: std::time::Duration) -> Result<()> {
        let at = Utc::now() + chrono::Duration::from_std(retry_in).unwrap_or_default();
        sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? \
             WHERE id = ? AND status = 'pending'",
        )
        .bind(error)
        .bind(micros(at))
        .bind(id.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Makes every pending command due now (the admin pressed retry).
    pub async fn retry_now(&self) -> Result<()> {
        sqlx::query("UPDATE outbox SET next_attempt_at = 0 WHERE status = 'pending'").execute(&self.pool).await?;
        Ok(())
    }

    /// The accounts, by name.
    pub async fn accounts(&self) -> Result<Vec<Account>> {
        let rows: Vec<(i64, String, bool, String, String, i64)> = sqlx::query_as(
            "SELECT id, name, auto_opt_outs, confirmation_message, default_opt_out_message, created_at \
             FROM accounts ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(id, name, auto_opt_outs, confirmation_message, default_opt_out_message, created_at)| {
                Ok(Account {
                    id,
                    name,
                    auto_opt_outs,
                    confirmation_message,
                    default_opt_out_message,
                    created_at: time(created_at)?,
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
        let sql = format!(
            "SELECT id, account, phone, source, actor, reason, evidence, sender_phone, rule, created_at, opt_in_id, \
             opt_in_actor, opt_in_reason, opt_in_at FROM opt_outs {condition} ORDER BY {order}"
        );
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
