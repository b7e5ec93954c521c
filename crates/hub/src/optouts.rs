//! Opting numbers out: the command, and the one place an opt-out is recorded (opting back in is
//! in `optins`).

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sqlx::any::AnyRow;
use sqlx::Row;
use uuid::Uuid;

use crate::accounts::require_account;
use crate::feed::{Changed, CommandAnswer, CommandSettled};
use crate::model::{time, Account, Actor, OptIn, OptOut, Source, StopRequest};
use crate::phone::{parse_field, Region};
use crate::requests::request_to_stop;
use crate::store::{Audit, Backend, Write};
use crate::{Error, Hub, Result};

/// Opt a number out of one account by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptOutRequest {
    /// Made by the client; the same id twice is one command.
    pub command_id: Uuid,
    /// The account's name.
    pub account: String,
    /// The number, any common format.
    pub phone: String,
    /// Read a number without `+` in this region (default: US).
    #[serde(default)]
    pub region: Region,
    /// Why, in words.
    pub reason: String,
    /// A message to send the contact about it, usually the account's default opt-out message.
    #[serde(default)]
    pub message: Option<String>,
    /// `manual` (a person, the default) or `api` (another system).
    #[serde(default = "manual")]
    pub source: Source,
}

fn manual() -> Source {
    Source::Manual
}

/// What an opt-out command did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptOutOutcome {
    /// The opt-out in force: the new one, or the one that already was.
    pub opt_out: OptOut,
    /// True when the number was already opted out: the opt-out in force stands, and this
    /// request to stop is kept against it (`request`).
    pub already_opted_out: bool,
    /// The request kept against the opt-out already in force, when there was one.
    #[serde(default)]
    pub request: Option<StopRequest>,
    /// The message queued to the contact, if one was.
    pub message: Option<QueuedMessage>,
    /// Why a requested or configured message was not queued.
    pub message_withheld: Option<String>,
}

/// A message the hub queued for the texting platform to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedMessage {
    /// `confirmation` (after an automatic opt-out) or `opt_out_message` (after a manual one).
    pub kind: String,
    /// Sent from.
    pub sender_phone: String,
    /// Sent to.
    pub contact_phone: String,
    /// The text.
    pub body: String,
}

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

/// On PostgreSQL, locks the opt-out read inside a write until the write ends, so that no other
/// write reverses it or keeps a request against it meanwhile (see `requests`).
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
/// [`crate::requests::request_to_stop`], which also keeps the request when one was in force.
pub(crate) async fn record_opt_out(write: &mut Write<'_>, new: &NewOptOut<'_>) -> Result<(OptOut, bool)> {
    if let Some(existing) = opt_out_in_force(write, new.account.id, new.phone).await? {
        return Ok((existing, false));
    }
    let opt_out = insert_opt_out(write, new).await?;
    crate::review::clear_flags_of(write, new.account.id, new.phone, new.actor).await?;
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

/// Queues the one message an opt-out may have. Returns why not, when it does not.
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

/// Runs a command once: a replay of the same id and request gets the first answer back, and
/// changes nothing.
pub(crate) async fn once<Req, Out>(
    hub: &Hub,
    id: Uuid,
    kind: &str,
    request: &Req,
    run: impl AsyncFnOnce(&mut Write<'_>) -> Result<Out>,
) -> Result<Out>
where
    Req: Serialize,
    Out: Serialize + DeserializeOwned,
{
    let request = serde_json::to_string(request)?;
    let mut write = hub.write().await?;
    let stored: Option<(String, String, String)> =
        sqlx::query_as("SELECT kind, request, outcome FROM commands WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *write.tx)
            .await?;
    if let Some((stored_kind, stored_request, outcome)) = stored {
        if stored_kind != kind || stored_request != request {
            return Err(Error::CommandReused(id));
        }
        // A stored code this hub does not know is a corrupt record, never some other refusal.
        let answer = serde_json::from_str(&outcome)
            .map_err(|e| Error::Corrupt(format!("the stored answer to command {id}: {e}")))?;
        return match answer {
            CommandAnswer::Done(out) => Ok(out),
            CommandAnswer::Refused { code, message } => Err(Error::Refused { code, message }),
        };
    }
    let result = run(&mut write).await;
    let answer = match &result {
        Ok(out) => CommandAnswer::Done(out),
        Err(Error::Refused { code, message }) => CommandAnswer::Refused { code: *code, message: message.clone() },
        // Bad input and storage failures are not answers: nothing is kept, and a retry runs anew.
        Err(_) => return result,
    };
    let outcome = serde_json::to_string(&answer)?;
    sqlx::query("INSERT INTO commands (id, kind, request, outcome, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id.to_string())
        .bind(kind)
        .bind(&request)
        .bind(&outcome)
        .bind(write.now)
        .execute(&mut *write.tx)
        .await?;
    let answer = match answer {
        CommandAnswer::Done(out) => CommandAnswer::Done(serde_json::to_value(out)?),
        CommandAnswer::Refused { code, message } => CommandAnswer::Refused { code, message },
    };
    write.publish(&Changed::Command(CommandSettled { id, kind: kind.to_owned(), answer }))?;
    write.commit().await?;
    result
}

impl Hub {
    /// Opts a number out of one account, by hand or for another system.
    ///
    /// The opt-out holds for every campaign of the account. A number already opted out stays as it
    /// is and the answer says so. When `message` is given, it is queued to the contact from the
    /// sender number of their latest conversation in the account, unless the provider blocks it.
    ///
    /// # Errors
    /// [`Error::InvalidPhone`], [`Error::InvalidField`] (`reason`), [`Error::UnknownAccount`],
    /// [`Error::CommandReused`] when the id was used for another command.
    pub async fn opt_out(&self, actor: &Actor, request: &OptOutRequest) -> Result<OptOutOutcome> {
        let phone = parse_field("phone", &request.phone, request.region)?;
        let reason = crate::text::reason(&request.reason)?;
        if !matches!(request.source, Source::Manual | Source::Api) {
            return Err(Error::field("source", "a command's source is manual or api"));
        }
        once(self, request.command_id, "opt_out", request, async |write: &mut Write<'_>| {
            let account = require_account(write, &request.account).await?;
            let asked = request_to_stop(
                write,
                NewOptOut {
                    account: &account,
                    phone: &phone,
                    source: request.source,
                    actor: &actor.name,
                    reason,
                    evidence: None,
                    message_id: None,
                    sender_phone: None,
                    rule: None,
                    rule_set: None,
                    command_id: Some(request.command_id),
                },
            )
            .await?;
            let (opt_out, created) = (asked.opt_out, asked.created);
            let (mut message, mut message_withheld) = (None, None);
            match request.message.as_deref().map(str::trim) {
                Some(body) if !body.is_empty() && created => match latest_open_sender(write, account.id, &phone).await?
                {
                    Ok(sender) => {
                        message = Some(queue_message(write, &opt_out, "opt_out_message", &sender, body).await?)
                    }
                    Err(why) => message_withheld = Some(why),
                },
                Some(body) if !body.is_empty() => {
                    message_withheld = Some("the number was already opted out; it got its message then".to_owned())
                }
                _ => {}
            }
            Ok(OptOutOutcome {
                opt_out,
                already_opted_out: !created,
                request: asked.request,
                message,
                message_withheld,
            })
        })
        .await
    }
}

/// The sender number of the contact's latest conversation in the account that the provider does
/// not block; or why there is none.
async fn latest_open_sender(write: &mut Write<'_>, account_id: i64, phone: &str) -> Result<Result<String, String>> {
    let rows: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT v.sender_phone, b.id FROM conversations v JOIN campaigns c ON c.id = v.campaign_id \
         LEFT JOIN provider_blocks b ON b.contact_phone = v.contact_phone AND b.sender_phone = v.sender_phone \
           AND b.lifted_at IS NULL \
         WHERE c.account_id = $1 AND v.contact_phone = $2 ORDER BY v.id DESC",
    )
    .bind(account_id)
    .bind(phone)
    .fetch_all(&mut *write.tx)
    .await?;
    if rows.is_empty() {
        return Ok(Err("no conversation with this number in the account to send it from".to_owned()));
    }
    Ok(rows
        .into_iter()
        .find(|(_, block)| block.is_none())
        .map(|(sender, _)| sender)
        .ok_or_else(|| "the provider blocks every sender number that texted this number".to_owned()))
}
