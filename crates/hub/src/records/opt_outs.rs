//! Opt-outs: reading the one in force, and recording one.

use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

use super::clear_flags_of;
use crate::feed::{Changed, QueuedMessage};
use crate::model::{time, Account, OptIn, OptOut, Source};
use crate::store::{Audit, Backend, Write};
use crate::Result;

pub(crate) const OPT_OUT_COLUMNS: &str = "o.id, a.name AS account, o.phone, o.source, o.actor, o.reason, o.evidence, \
     o.sender_phone, o.rule, o.rule_set, o.created_at, i.id AS opt_in_id, i.actor AS opt_in_actor, i.reason AS opt_in_reason, \
     i.created_at AS opt_in_at \
     FROM opt_outs o JOIN accounts a ON a.id = o.account_id LEFT JOIN opt_ins i ON i.opt_out_id = o.id";

pub(crate) fn opt_out_from(row: &AnyRow) -> Result<OptOut> {
    let id = row.try_get("id")?;
    let reversed_by = match row.try_get::<Option<i64>, _>("opt_in_id")? {
        Some(opt_in_id) => Some(OptIn {
            id: opt_in_id,
            opt_out_id: id,
            actor: row.try_get("opt_in_actor")?,
            reason: row.try_get("opt_in_reason")?,
            created_at: time(row.try_get("opt_in_at")?)?,
        }),
        None => None,
    };
    Ok(OptOut {
        id,
        account: row.try_get("account")?,
        phone: row.try_get("phone")?,
        source: Source::parse(&row.try_get::<String, _>("source")?)?,
        actor: row.try_get("actor")?,
        reason: row.try_get("reason")?,
        evidence: row.try_get("evidence")?,
        sender_phone: row.try_get("sender_phone")?,
        rule: row.try_get("rule")?,
        rule_set: row.try_get("rule_set")?,
        created_at: time(row.try_get("created_at")?)?,
        reversed_by,
    })
}

/// An opt-out about to be recorded.
pub(crate) struct NewOptOut<'a> {
    pub account: &'a Account,
    pub phone: &'a str,
    pub source: Source,
    pub actor: &'a str,
    pub reason: &'a str,
    pub evidence: Option<&'a str>,
    pub message_id: Option<i64>,
    pub sender_phone: Option<&'a str>,
    pub rule: Option<&'a str>,
    /// The rule set and version that decided, when the rules did.
    pub rule_set: Option<&'a str>,
    pub command_id: Option<Uuid>,
}

/// On PostgreSQL, locks the opt-out read inside a write until the write ends, so that no other
/// write reverses it or keeps a request against it meanwhile (see `crate::requests`).
fn lock(write: &Write<'_>) -> &'static str {
    match write.backend {
        Backend::Postgres => " FOR UPDATE OF o",
        Backend::Sqlite => "",
    }
}

pub(crate) async fn opt_out_by_id(write: &mut Write<'_>, id: i64) -> Result<Option<OptOut>> {
    let row = sqlx::query(&format!("SELECT {OPT_OUT_COLUMNS} WHERE o.id = $1{}", lock(write)))
        .bind(id)
        .fetch_optional(&mut *write.tx)
        .await?;
    row.as_ref().map(opt_out_from).transpose()
}

pub(crate) async fn opt_out_in_force(write: &mut Write<'_>, account_id: i64, phone: &str) -> Result<Option<OptOut>> {
    let row = sqlx::query(&format!(
        "SELECT {OPT_OUT_COLUMNS} WHERE o.account_id = $1 AND o.phone = $2 AND o.reversed_at IS NULL{}",
        lock(write)
    ))
    .bind(account_id)
    .bind(phone)
    .fetch_optional(&mut *write.tx)
    .await?;
    row.as_ref().map(opt_out_from).transpose()
}

/// The opt-outs in force of the numbers in `phones` (a JSON array), in any account, with the
/// account's id.
pub(crate) async fn in_force_for(write: &mut Write<'_>, phones: &str) -> Result<Vec<(i64, OptOut)>> {
    let rows = sqlx::query(&format!(
        "SELECT o.account_id, {OPT_OUT_COLUMNS} JOIN {} ON o.phone = n.value WHERE o.reversed_at IS NULL{}",
        write.backend.json_texts("$1"),
        lock(write)
    ))
    .bind(phones)
    .fetch_all(&mut *write.tx)
    .await?;
    rows.iter().map(|row| Ok((row.try_get("account_id")?, opt_out_from(row)?))).collect()
}

/// Records an opt-out, its audit line and its change, unless one is already in force; returns
/// the opt-out in force and whether it is new. A request to stop goes through
/// [`super::request_to_stop`], which also keeps the request when one was in force.
pub(crate) async fn record_opt_out(write: &mut Write<'_>, new: &NewOptOut<'_>) -> Result<(OptOut, bool)> {
    if let Some(existing) = opt_out_in_force(write, new.account.id, new.phone).await? {
        return Ok((existing, false));
    }
    let opt_out = insert_opt_out(write, new).await?;
    clear_flags_of(write, new.account.id, new.phone, new.actor).await?;
    Ok((opt_out, true))
}

/// Records an opt-out that the caller knows is not in force yet, with its audit line and
/// change; a contact's review flags are the caller's to settle.
pub(crate) async fn insert_opt_out(write: &mut Write<'_>, new: &NewOptOut<'_>) -> Result<OptOut> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO opt_outs (account_id, phone, source, actor, reason, evidence, message_id, sender_phone, rule, \
         rule_set, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(new.account.id)
    .bind(new.phone)
    .bind(new.source.as_str())
    .bind(new.actor)
    .bind(new.reason)
    .bind(new.evidence)
    .bind(new.message_id)
    .bind(new.sender_phone)
    .bind(new.rule)
    .bind(new.rule_set)
    .bind(write.now)
    .fetch_one(&mut *write.tx)
    .await?;
    write.audit(&new.audit(write.now, "opt_out", id))?;
    let opt_out = OptOut {
        id,
        account: new.account.name.clone(),
        phone: new.phone.to_owned(),
        source: new.source,
        actor: new.actor.to_owned(),
        reason: new.reason.to_owned(),
        evidence: new.evidence.map(str::to_owned),
        sender_phone: new.sender_phone.map(str::to_owned),
        rule: new.rule.map(str::to_owned),
        rule_set: new.rule_set.map(str::to_owned),
        created_at: time(write.now)?,
        reversed_by: None,
    };
    write.publish(&Changed::OptOut(opt_out.clone()))?;
    Ok(opt_out)
}

/// Queues the one message an opt-out may have, from `sender_phone`.
pub(crate) async fn queue_message(
    write: &mut Write<'_>,
    opt_out: &OptOut,
    kind: &str,
    sender_phone: &str,
    body: &str,
) -> Result<QueuedMessage> {
    sqlx::query(
        "INSERT INTO opt_out_messages (opt_out_id, kind, sender_phone, contact_phone, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(opt_out.id)
    .bind(kind)
    .bind(sender_phone)
    .bind(&opt_out.phone)
    .bind(body)
    .bind(write.now)
    .execute(&mut *write.tx)
    .await?;
    let message = QueuedMessage {
        kind: kind.to_owned(),
        sender_phone: sender_phone.to_owned(),
        contact_phone: opt_out.phone.clone(),
        body: body.to_owned(),
    };
    write.publish(&Changed::OptOutMessage(message.clone()))?;
    Ok(message)
}

impl NewOptOut<'_> {
    /// Its audit line: `action` (the opt-out, or a request kept against one) on `opt_out_id`.
    pub(crate) fn audit(&self, at: i64, action: &'static str, opt_out_id: i64) -> Audit<'_> {
        Audit {
            at,
            actor: self.actor,
            action,
            account_id: Some(self.account.id),
            phone: self.phone,
            sender_phone: self.sender_phone,
            source: self.source.as_str(),
            evidence: self.evidence,
            reason: self.reason,
            opt_out_id: Some(opt_out_id),
            command_id: self.command_id.map(|c| c.to_string()),
            rule_set: self.rule_set,
        }
    }
}
