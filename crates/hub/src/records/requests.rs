//! Requests to stop kept against the opt-out in force (see `crate::requests`).

use sqlx::any::AnyRow;
use sqlx::Row;

use super::{record_opt_out, NewOptOut};
use crate::feed::Changed;
use crate::model::{time, OptOut, Source, StopRequest};
use crate::store::Write;
use crate::Result;

pub(crate) const REQUEST_COLUMNS: &str =
    "r.id, r.opt_out_id, a.name AS account, r.phone, r.source, r.actor, r.reason, \
     r.evidence, r.sender_phone, r.created_at FROM stop_requests r JOIN accounts a ON a.id = r.account_id";

pub(crate) fn request_from(row: &AnyRow) -> Result<StopRequest> {
    Ok(StopRequest {
        id: row.try_get("id")?,
        opt_out_id: row.try_get("opt_out_id")?,
        account: row.try_get("account")?,
        phone: row.try_get("phone")?,
        source: Source::parse(&row.try_get::<String, _>("source")?)?,
        actor: row.try_get("actor")?,
        reason: row.try_get("reason")?,
        evidence: row.try_get("evidence")?,
        sender_phone: row.try_get("sender_phone")?,
        created_at: time(row.try_get("created_at")?)?,
    })
}

/// What a request to stop did: the opt-out in force, and the request kept when there already
/// was one.
pub(crate) struct Asked {
    pub opt_out: OptOut,
    /// Whether the opt-out is new.
    pub created: bool,
    /// The request kept against the opt-out that was already in force.
    pub request: Option<StopRequest>,
}

/// A request to stop that opts the number out: a new opt-out, or, when one is in force, the
/// request kept against it.
pub(crate) async fn request_to_stop(write: &mut Write<'_>, new: NewOptOut<'_>) -> Result<Asked> {
    let (opt_out, created) = record_opt_out(write, &new).await?;
    let request = if created { None } else { Some(record_request(write, &opt_out, &new).await?) };
    Ok(Asked { opt_out, created, request })
}

/// Keeps a request to stop against `opt_out`, the one in force, with its audit line and change.
pub(crate) async fn record_request(
    write: &mut Write<'_>,
    opt_out: &OptOut,
    new: &NewOptOut<'_>,
) -> Result<StopRequest> {
    let command_id = new.command_id.map(|c| c.to_string());
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO stop_requests (opt_out_id, account_id, phone, source, actor, reason, evidence, message_id, \
         sender_phone, created_at, command_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
    )
    .bind(opt_out.id)
    .bind(new.account.id)
    .bind(new.phone)
    .bind(new.source.as_str())
    .bind(new.actor)
    .bind(new.reason)
    .bind(new.evidence)
    .bind(new.message_id)
    .bind(new.sender_phone)
    .bind(write.now)
    .bind(&command_id)
    .fetch_one(&mut *write.tx)
    .await?;
    write.audit(&new.audit(write.now, "stop_request", opt_out.id))?;
    let request = StopRequest {
        id,
        opt_out_id: opt_out.id,
        account: new.account.name.clone(),
        phone: new.phone.to_owned(),
        source: new.source,
        actor: new.actor.to_owned(),
        reason: new.reason.to_owned(),
        evidence: new.evidence.map(str::to_owned),
        sender_phone: new.sender_phone.map(str::to_owned),
        created_at: time(write.now)?,
    };
    write.publish(&Changed::StopRequest(request.clone()))?;
    Ok(request)
}

/// The latest request to stop kept against `opt_out_id`, inside a write.
pub(crate) async fn latest_request(write: &mut Write<'_>, opt_out_id: i64) -> Result<Option<StopRequest>> {
    let row = sqlx::query(&format!("SELECT {REQUEST_COLUMNS} WHERE r.opt_out_id = $1 ORDER BY r.id DESC LIMIT 1"))
        .bind(opt_out_id)
        .fetch_optional(&mut *write.tx)
        .await?;
    row.as_ref().map(request_from).transpose()
}
