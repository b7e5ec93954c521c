//! Writing an import: its record in `imports`, which makes it resumable, and each batch in one
//! transaction with its audit lines, its changes on the feed and the import's progress.

use std::fmt::Write as _;

use super::{Batch, ImportSummary};
use crate::feed::Changed;
use crate::model::{time, DatedOptOut, ImportedOptOuts, ImportedStopRequests};
use crate::store::{Backend, Bulk, Write};
use crate::{Error, Hub, Result};

/// Opt-outs an import must add before it refreshes PostgreSQL's statistics on the tables it grew.
const ANALYZE_AFTER: u64 = 10_000;

/// An import batch's changes on the feed, from its rows read back: the opt-outs after id `$5`,
/// in id order, at most `$6` to a change, numbered from `$1`; each payload is the shared fields
/// `$4`, then the list. The groups go by id, not by row number, which is slower on SQLite;
/// where ids have gaps (PostgreSQL's sequence, numbers opted out already) a change
/// holds fewer.
fn imported_changes(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => {
            "INSERT OR FAIL INTO changes (seq, at, kind, payload) \
             SELECT $1 - 1 + row_number() OVER (ORDER BY g), $2, $3, $4 || list || '}' \
             FROM (SELECT (id - $5 - 1) / $6 AS g, json_group_array(json_array(id, phone) ORDER BY id) AS list \
                   FROM opt_outs WHERE id > $5 GROUP BY g)"
        }
        Backend::Postgres => {
            "INSERT INTO changes (seq, at, kind, payload) \
             SELECT $1 - 1 + row_number() OVER (ORDER BY g), $2, $3, $4 || list || '}' \
             FROM (SELECT (id - $5 - 1) / $6 AS g, \
                          '[' || string_agg(format('[%s,%s]', id, to_json(phone)), ',' ORDER BY id) || ']' AS list \
                   FROM opt_outs WHERE id > $5 GROUP BY g) r"
        }
    }
}

impl Hub {
    /// Finds the unfinished import of the same file into the same account, or starts one.
    pub(super) async fn start_import(&self, account_id: i64, hash: &str) -> Result<(i64, u64, ImportSummary)> {
        let mut write = self.write().await?;
        let unfinished: Option<(i64, i64, String)> = sqlx::query_as(
            "SELECT id, next_line, summary FROM imports WHERE account_id = $1 AND content_hash = $2 AND finished = 0",
        )
        .bind(account_id)
        .bind(hash)
        .fetch_optional(&mut *write.tx)
        .await?;
        if let Some((id, next_line, summary)) = unfinished {
            let mut summary: ImportSummary = serde_json::from_str(&summary)?;
            let next_line = u64::try_from(next_line).unwrap_or(0);
            summary.resumed_at_line = Some(next_line);
            return Ok((id, next_line, summary));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO imports (account_id, content_hash, next_line, summary, finished, created_at) \
             VALUES ($1, $2, 0, $3, 0, $4) RETURNING id",
        )
        .bind(account_id)
        .bind(hash)
        .bind(serde_json::to_string(&ImportSummary::default())?)
        .bind(write.now)
        .fetch_one(&mut *write.tx)
        .await?;
        write.commit().await?;
        Ok((id, 0, ImportSummary::default()))
    }

    /// How many of `numbers` (a JSON array) are opted out of the account now: what a dry run
    /// reports, writing nothing.
    pub(super) async fn already_opted_out(&self, account_id: i64, numbers: &str) -> Result<u64> {
        let sql = format!(
            "SELECT COUNT(*) FROM {} JOIN opt_outs o ON o.phone = n.value AND o.account_id = $2 \
             AND o.reversed_at IS NULL",
            self.backend.json_texts("$1")
        );
        let count: i64 = sqlx::query_scalar(&sql).bind(numbers).bind(account_id).fetch_one(&self.pool).await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    pub(super) async fn finish_import(&self, import_id: i64, summary: ImportSummary) -> Result<ImportSummary> {
        if summary.dry_run {
            return Ok(summary);
        }
        let mut write = self.write().await?;
        sqlx::query("UPDATE imports SET finished = 1, summary = $1 WHERE id = $2")
            .bind(serde_json::to_string(&summary)?)
            .bind(import_id)
            .execute(&mut *write.tx)
            .await?;
        write.commit().await?;
        if self.backend == Backend::Postgres && summary.opted_out >= ANALYZE_AFTER {
            // PostgreSQL plans from statistics that autovacuum refreshes within minutes. Until
            // then, after a first large import, a number's history is read by scanning the
            // audit log, a hundred times slower.
            sqlx::query("ANALYZE opt_outs, audit_log").execute(&self.pool).await?;
        }
        Ok(summary)
    }

    /// Opts a batch's numbers out in one transaction, with their audit lines, their changes and
    /// the import's progress: `summary`, with the batch's numbers counted in it.
    pub(super) async fn import_batch(
        bulk: &mut Bulk,
        import_id: i64,
        account: &crate::Account,
        actor: &str,
        batch: &Batch,
        next_line: u64,
        summary: &mut ImportSummary,
    ) -> Result<()> {
        let mut write = bulk.write().await?;
        // The bulk connection leaves references to its writer (see `Bulk`).
        let account_id: Option<i64> = sqlx::query_scalar("SELECT id FROM accounts WHERE id = $1")
            .bind(account.id)
            .fetch_optional(&mut *write.tx)
            .await?;
        if account_id.is_none() {
            return Err(Error::UnknownAccount(account.name.clone()));
        }
        let reason = "Imported opt-out list";
        // Writers take turns (see `Write`), so the rows after the highest id now are this
        // batch's: the audit log and the feed take them from there.
        let before: i64 =
            sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM opt_outs").fetch_one(&mut *write.tx).await?;
        let shared = Shared { account, actor, reason, before };
        let inserted = match &batch.history {
            None => plain(&mut write, &shared, batch).await?,
            Some(history) => dated(&mut write, &shared, history).await?,
        };
        // The audit line says when the import recorded each opt-out; the opt-out, when it
        // happened.
        // OR FAIL: no statement journal on SQLite (see `plain`).
        let insert = if write.backend == Backend::Sqlite { "INSERT OR FAIL" } else { "INSERT" };
        sqlx::query(&format!(
            "{insert} INTO audit_log (at, actor, action, account_id, phone, source, reason, opt_out_id) \
             SELECT $2, o.actor, 'opt_out', o.account_id, o.phone, o.source, o.reason, o.id \
             FROM opt_outs o WHERE o.id > $1 ORDER BY o.id"
        ))
        .bind(before)
        .bind(write.now)
        .execute(&mut *write.tx)
        .await?;
        if inserted < batch.fresh {
            already_opted_out(&mut write, account, actor, reason, &batch.numbers, before).await?;
        }
        summary.opted_out += inserted;
        summary.already_opted_out += batch.fresh - inserted;
        sqlx::query("UPDATE imports SET next_line = $1, summary = $2 WHERE id = $3")
            .bind(i64::try_from(next_line).unwrap_or(i64::MAX))
            .bind(serde_json::to_string(summary)?)
            .bind(import_id)
            .execute(&mut *write.tx)
            .await?;
        write.commit().await?;
        bulk.committed().await
    }
}

/// What a batch's writing shares: its account, who imports, the default reason, and the highest
/// opt-out id before it.
struct Shared<'a> {
    account: &'a crate::Account,
    actor: &'a str,
    reason: &'a str,
    before: i64,
}

/// Writes a batch of bare numbers and its changes on the feed; answers how many were new.
async fn plain(write: &mut Write<'_>, shared: &Shared<'_>, batch: &Batch) -> Result<u64> {
    let Shared { account, actor, reason, before } = *shared;
    // On SQLite, a statement that may stop halfway keeps a journal of every page it changes
    // so as to undo itself alone (tens of megabytes of temporary files in a large import). A batch
    // that fails is undone whole, so these statements need not be: OR FAIL. The ids are
    // given too, the numbers' places after `before`: the feed's changes can then be written
    // from here (see `numbered`). PostgreSQL takes its ids from its sequence.
    let (insert, id, ids) = match write.backend {
        Backend::Sqlite => ("INSERT OR FAIL", "id, ", "$6 + 1 + n.key, "),
        Backend::Postgres => ("INSERT", "", ""),
    };
    let each = write.backend.json_texts("$5");
    let sql = format!(
        "{insert} INTO opt_outs ({id}account_id, phone, source, actor, reason, created_at) \
         SELECT {ids}$1, n.value, 'import', $2, $3, $4 FROM {each} WHERE true \
         ON CONFLICT (account_id, phone) WHERE reversed_at IS NULL DO NOTHING"
    );
    let mut query =
        sqlx::query(&sql).bind(account.id).bind(actor).bind(reason).bind(write.now).bind(batch.numbers.as_str());
    if write.backend == Backend::Sqlite {
        query = query.bind(before);
    }
    // The changes are made ready while the database inserts the rows.
    let (inserted, numbered) = tokio::join!(query.execute(&mut *write.tx), async {
        (write.backend == Backend::Sqlite).then(|| numbered(&batch.numbers, before))
    });
    let inserted = inserted?.rows_affected();
    // The feed: each change is the fields the batch's opt-outs share, written here once,
    // then its opt-outs.
    let shared = serde_json::to_string(&ImportedOptOuts {
        account: account.name.clone(),
        actor: actor.to_owned(),
        reason: reason.to_owned(),
        created_at: time(write.now)?,
        dated: Vec::new(),
        opt_outs: Vec::new(),
    })?;
    let head = shared
        .strip_suffix("[]}")
        .ok_or_else(|| Error::Corrupt(format!("an import's change does not end with its opt-outs: {shared}")))?;
    let seq = write.next_seq().await?;
    let changes = match numbered {
        // Every number was new, so each has the id it was given.
        Some(numbered) if inserted == batch.fresh => {
            sqlx::query(
                "INSERT OR FAIL INTO changes (seq, at, kind, payload) \
                 SELECT $1 + n.key, $2, $3, $4 || n.value || '}' FROM json_each($5) n",
            )
            .bind(seq)
            .bind(write.now)
            .bind(ImportedOptOuts::KIND)
            .bind(head)
            .bind(numbered)
            .execute(&mut *write.tx)
            .await?
        }
        // Some were opted out already, and their ids are gaps; the database reads the rows
        // back and groups them. Reading them back to publish them from here took a fifth of
        // the import.
        _ => {
            sqlx::query(imported_changes(write.backend))
                .bind(seq)
                .bind(write.now)
                .bind(ImportedOptOuts::KIND)
                .bind(head)
                .bind(before)
                .bind(ImportedOptOuts::MAX as i64)
                .execute(&mut *write.tx)
                .await?
        }
    }
    .rows_affected();
    write.published(changes);
    Ok(inserted)
}

/// Writes a batch that keeps each opt-out's own date and reason (`history`, a JSON array of
/// `[phone, micros or null, reason or null]`) and its changes on the feed, read back; answers
/// how many were new.
async fn dated(write: &mut Write<'_>, shared: &Shared<'_>, history: &str) -> Result<u64> {
    let each = write.backend.json_values("$5");
    let sql = format!(
        "INSERT INTO opt_outs (account_id, phone, source, actor, reason, created_at) \
         SELECT $1, n.value ->> 0, 'import', $2, COALESCE(n.value ->> 2, $3), \
           COALESCE(CAST(n.value ->> 1 AS BIGINT), $4) FROM {each} WHERE true \
         ON CONFLICT (account_id, phone) WHERE reversed_at IS NULL DO NOTHING"
    );
    let inserted = sqlx::query(&sql)
        .bind(shared.account.id)
        .bind(shared.actor)
        .bind(shared.reason)
        .bind(write.now)
        .bind(history)
        .execute(&mut *write.tx)
        .await?
        .rows_affected();
    let rows: Vec<(i64, String, i64, String)> =
        sqlx::query_as("SELECT id, phone, created_at, reason FROM opt_outs WHERE id > $1 ORDER BY id")
            .bind(shared.before)
            .fetch_all(&mut *write.tx)
            .await?;
    let rows = rows
        .into_iter()
        .map(|(id, phone, at, reason)| Ok(DatedOptOut { id, phone, created_at: time(at)?, reason }))
        .collect::<Result<Vec<_>>>()?;
    let created_at = time(write.now)?;
    for chunk in rows.chunks(ImportedOptOuts::MAX) {
        write.publish(&Changed::ImportedOptOuts(ImportedOptOuts {
            account: shared.account.name.clone(),
            actor: shared.actor.to_owned(),
            reason: shared.reason.to_owned(),
            created_at,
            dated: chunk.to_vec(),
            opt_outs: Vec::new(),
        }))?;
    }
    Ok(inserted)
}

/// A batch's opt-outs as the feed's changes: an array of changes, each the array of at most
/// [`ImportedOptOuts::MAX`] `[id, number]`, when every number in `numbers` (a JSON array) was
/// new and took the id of its place after `before`.
fn numbered(numbers: &str, before: i64) -> String {
    let inside = numbers.strip_prefix('[').and_then(|n| n.strip_suffix(']')).unwrap_or_default();
    let mut json = String::with_capacity(inside.len() * 2);
    json.push('[');
    // E.164 numbers are a plus and digits: the items split on commas, each a JSON string.
    for (i, number) in inside.split(',').filter(|n| !n.is_empty()).enumerate() {
        json.push_str(match i {
            0 => "[[",
            _ if i % ImportedOptOuts::MAX == 0 => "],[[",
            _ => ",[",
        });
        // Infallible: writing to a String.
        let _ = write!(json, "{},{number}]", before + 1 + i as i64);
    }
    json.push_str(if inside.is_empty() { "]" } else { "]]" });
    json
}

/// Keeps a request to stop for each number of the batch (`numbers`, a JSON array) that was
/// opted out before it (an id up to `before`), with its audit line; on the feed
/// [`ImportedOptOuts::MAX`] to a change.
async fn already_opted_out(
    write: &mut Write<'_>,
    account: &crate::Account,
    actor: &str,
    reason: &str,
    numbers: &str,
    before: i64,
) -> Result<()> {
    let after: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM stop_requests").fetch_one(&mut *write.tx).await?;
    let each = write.backend.json_texts("$5");
    let sql = format!(
        "INSERT INTO stop_requests (opt_out_id, account_id, phone, source, actor, reason, created_at) \
         SELECT o.id, o.account_id, o.phone, 'import', $2, $3, $4 FROM {each} \
         JOIN opt_outs o ON o.phone = n.value AND o.account_id = $1 AND o.reversed_at IS NULL \
         WHERE o.id <= $6 ORDER BY o.phone RETURNING id, opt_out_id, phone"
    );
    let mut requests: Vec<(i64, i64, String)> = sqlx::query_as(&sql)
        .bind(account.id)
        .bind(actor)
        .bind(reason)
        .bind(write.now)
        .bind(numbers)
        .bind(before)
        .fetch_all(&mut *write.tx)
        .await?;
    requests.sort_unstable();
    write.write_audit().await?;
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, account_id, phone, source, reason, opt_out_id) \
         SELECT r.created_at, r.actor, 'stop_request', r.account_id, r.phone, r.source, r.reason, r.opt_out_id \
         FROM stop_requests r WHERE r.id > $1 ORDER BY r.id",
    )
    .bind(after)
    .execute(&mut *write.tx)
    .await?;
    let created_at = time(write.now)?;
    for chunk in requests.chunks(ImportedOptOuts::MAX) {
        write.publish(&Changed::ImportedStopRequests(ImportedStopRequests {
            account: account.name.clone(),
            actor: actor.to_owned(),
            reason: reason.to_owned(),
            created_at,
            requests: chunk.to_vec(),
        }))?;
    }
    Ok(())
}
