//! The write transaction that every change goes through: the changes it publishes and the
//! audit lines it writes wait in memory and go in with the commit, and rows go in many to a
//! statement.

use sqlx::{Any, AnyConnection, AnyPool, Connection, Transaction};

use super::{now_micros, Backend};
use crate::feed::Changed;
use crate::{Error, Result};

/// A change as serde writes it, `{"kind":"…","payload":…}`, taken apart.
fn kind_and_payload(change: &str) -> Result<(&str, &str)> {
    change
        .strip_prefix(r#"{"kind":""#)
        .and_then(|rest| rest.split_once(r#"","payload":"#))
        .and_then(|(kind, rest)| Some((kind, rest.strip_suffix('}')?)))
        .ok_or_else(|| Error::Corrupt(format!("a change written as {change:.40}…")))
}

/// A value bound in a statement of many rows: `None` is NULL.
pub(crate) enum Bind<'a> {
    Int(Option<i64>),
    Text(Option<&'a str>),
}

/// The most rows one statement of [`insert_rows`] takes: SQLite binds at most 32,766 values.
const ROWS_PER_STATEMENT: usize = 1000;

/// Inserts rows of `width` values each, as `{head} VALUES (…), (…) {tail}`, in statements of
/// up to [`ROWS_PER_STATEMENT`] rows; answers the rows that a `RETURNING` in `tail` returns, in
/// order. Each value is bound, not written into the SQL, and no JSON is parsed on the way: the
/// cheapest way for many rows to reach either database.
pub(crate) async fn insert_rows(
    conn: &mut AnyConnection,
    backend: Backend,
    head: &str,
    tail: &str,
    width: usize,
    values: &[Bind<'_>],
) -> Result<Vec<sqlx::any::AnyRow>> {
    let rows_per = ROWS_PER_STATEMENT.min(32_000 / width.max(1));
    let mut out = Vec::new();
    for chunk in values.chunks(rows_per * width) {
        let mut sql = String::with_capacity(head.len() + tail.len() + chunk.len() * 6);
        sql.push_str(head);
        sql.push_str(" VALUES ");
        for (i, _) in chunk.iter().enumerate() {
            let opening = if i % width == 0 {
                if i == 0 {
                    "("
                } else {
                    "), ("
                }
            } else {
                ", "
            };
            sql.push_str(opening);
            // SQLite looks a named parameter up by walking the list of names: with thousands of
            // `$n`, binding them took longer than running the statement. `?` it numbers in order.
            match backend {
                Backend::Sqlite => sql.push('?'),
                Backend::Postgres => {
                    sql.push('$');
                    sql.push_str(&(i + 1).to_string());
                }
            }
        }
        sql.push_str(") ");
        sql.push_str(tail);
        // Only a full statement is kept prepared: a shorter one ends a batch, and its length is
        // that batch's own (see `optout_cache`'s `upsert`).
        let mut query = sqlx::query(&sql).persistent(chunk.len() == rows_per * width);
        for value in chunk {
            query = match value {
                Bind::Int(v) => query.bind(*v),
                Bind::Text(v) => query.bind(*v),
            };
        }
        out.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

/// A line of the audit log (see [`Write::audit`]).
#[derive(Debug, Default)]
pub(crate) struct Audit<'a> {
    pub at: i64,
    pub actor: &'a str,
    pub action: &'a str,
    pub account_id: Option<i64>,
    /// The contact's number, or the sender number a setup line is about, or empty.
    pub phone: &'a str,
    pub sender_phone: Option<&'a str>,
    pub source: &'a str,
    pub evidence: Option<&'a str>,
    pub reason: &'a str,
    pub opt_out_id: Option<i64>,
    pub command_id: Option<String>,
    pub rule_set: Option<&'a str>,
}

/// An audit line waiting for the commit.
struct AuditRow {
    at: i64,
    actor: String,
    action: String,
    account_id: Option<i64>,
    phone: String,
    sender_phone: Option<String>,
    source: String,
    evidence: Option<String>,
    reason: String,
    opt_out_id: Option<i64>,
    command_id: Option<String>,
    rule_set: Option<String>,
}

/// A write transaction: the only way anything in the record changes.
///
/// It starts by locking the feed's head row. That makes writers take turns, so the sequence
/// numbers they hand out are in commit order and a reader of the feed can never see change `n + 1`
/// before change `n`; it also makes "check, then insert" safe inside one write.
///
/// The changes it publishes wait in memory and go in with the commit, in one statement: a batch
/// of thousands of ingested messages costs one more statement, not thousands.
pub(crate) struct Write<'c> {
    pub(crate) tx: Transaction<'c, Any>,
    pub(crate) backend: Backend,
    next_seq: i64,
    /// The changes to publish, each as serde writes it: `{"kind":…,"payload":…}`.
    changes: Vec<String>,
    /// The audit log's lines to write.
    audit: Vec<AuditRow>,
    /// One clock reading for the whole transaction.
    pub(crate) now: i64,
}

impl Write<'static> {
    pub(crate) async fn begin(pool: &AnyPool, backend: Backend) -> Result<Write<'static>> {
        Write::start(pool.begin_with(backend.begin_write()).await?, backend).await
    }
}

impl<'c> Write<'c> {
    /// A write on a connection of its own, such as a [`Bulk`] one.
    pub(super) async fn begin_on(conn: &'c mut AnyConnection, backend: Backend) -> Result<Write<'c>> {
        Write::start(conn.begin_with(backend.begin_write()).await?, backend).await
    }

    async fn start(mut tx: Transaction<'c, Any>, backend: Backend) -> Result<Write<'c>> {
        let head: i64 =
            sqlx::query_scalar("UPDATE feed_head SET seq = seq WHERE id = 1 RETURNING seq").fetch_one(&mut *tx).await?;
        Ok(Write { tx, backend, next_seq: head + 1, changes: Vec::new(), audit: Vec::new(), now: now_micros() })
    }

    /// Publishes one change on the feed, with the commit.
    pub(crate) fn publish(&mut self, change: &Changed) -> Result<()> {
        self.changes.push(serde_json::to_string(change)?);
        Ok(())
    }

    /// Adds a line to the audit log, written with the commit in one statement with the others,
    /// in order.
    pub(crate) fn audit(&mut self, line: &Audit<'_>) -> Result<()> {
        let text = |t: &str| t.to_owned();
        self.audit.push(AuditRow {
            at: line.at,
            actor: text(line.actor),
            action: text(line.action),
            account_id: line.account_id,
            phone: text(line.phone),
            sender_phone: line.sender_phone.map(text),
            source: text(line.source),
            evidence: line.evidence.map(text),
            reason: text(line.reason),
            opt_out_id: line.opt_out_id,
            command_id: line.command_id.clone(),
            rule_set: line.rule_set.map(text),
        });
        Ok(())
    }

    /// Writes the audit lines added so far, for a statement that writes lines of its own after
    /// them.
    pub(crate) async fn write_audit(&mut self) -> Result<()> {
        let lines = std::mem::take(&mut self.audit);
        let values: Vec<Bind<'_>> = lines
            .iter()
            .flat_map(|l| {
                [
                    Bind::Int(Some(l.at)),
                    Bind::Text(Some(&l.actor)),
                    Bind::Text(Some(&l.action)),
                    Bind::Int(l.account_id),
                    Bind::Text(Some(&l.phone)),
                    Bind::Text(l.sender_phone.as_deref()),
                    Bind::Text(Some(&l.source)),
                    Bind::Text(l.evidence.as_deref()),
                    Bind::Text(Some(&l.reason)),
                    Bind::Int(l.opt_out_id),
                    Bind::Text(l.command_id.as_deref()),
                    Bind::Text(l.rule_set.as_deref()),
                ]
            })
            .collect();
        let head =
            "INSERT INTO audit_log (at, actor, action, account_id, phone, sender_phone, source, evidence, reason, \
                    opt_out_id, command_id, rule_set)";
        insert_rows(&mut self.tx, self.backend, head, "", 12, &values).await?;
        Ok(())
    }

    /// Writes the changes published so far and answers the next sequence number, for a
    /// statement that writes changes of its own numbered on from it; [`Write::published`] then
    /// counts them.
    pub(crate) async fn next_seq(&mut self) -> Result<i64> {
        self.write_changes().await?;
        Ok(self.next_seq)
    }

    /// Counts `count` changes written from [`Write::next_seq`].
    pub(crate) fn published(&mut self, count: u64) {
        self.next_seq += i64::try_from(count).unwrap_or(i64::MAX);
    }

    /// Writes the waiting changes, numbered on from the head in the order they were published.
    async fn write_changes(&mut self) -> Result<()> {
        let changes = std::mem::take(&mut self.changes);
        let seqs: Vec<i64> = (self.next_seq..).take(changes.len()).collect();
        let mut values = Vec::with_capacity(changes.len() * 4);
        for (change, seq) in changes.iter().zip(&seqs) {
            let (kind, payload) = kind_and_payload(change)?;
            values.extend([
                Bind::Int(Some(*seq)),
                Bind::Int(Some(self.now)),
                Bind::Text(Some(kind)),
                Bind::Text(Some(payload)),
            ]);
        }
        insert_rows(&mut self.tx, self.backend, "INSERT INTO changes (seq, at, kind, payload)", "", 4, &values).await?;
        self.next_seq += i64::try_from(changes.len()).unwrap_or(i64::MAX);
        Ok(())
    }

    pub(crate) async fn commit(mut self) -> Result<()> {
        self.write_audit().await?;
        self.write_changes().await?;
        sqlx::query("UPDATE feed_head SET seq = $1 WHERE id = 1")
            .bind(self.next_seq - 1)
            .execute(&mut *self.tx)
            .await?;
        self.tx.commit().await?;
        Ok(())
    }
}
