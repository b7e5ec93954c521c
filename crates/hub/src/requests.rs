//! Requests to stop that reach the hub while the number is already opted out: each is kept with
//! the opt-out in force, with its audit line and its change, and while one stands after an
//! opt-out, an opt-in naming that opt-out alone is refused.
//!
//! Every write takes the feed's head row first (see `store::Write`), so a request and an opt-in
//! sent at the same moment commit one after the other: either the request is recorded against
//! the opt-out and the opt-in is refused, or the opt-in commits first and the request finds
//! nothing in force and records an opt-out of its own. On PostgreSQL the opt-out's row is locked
//! too ([`crate::optouts::opt_out_by_id`]), so this holds even if writers stop taking turns.

use sqlx::any::AnyRow;
use sqlx::Row;

use crate::feed::Changed;
use crate::model::{time, OptOut, Source, StopRequest};
use crate::optouts::{record_opt_out, NewOptOut};
use crate::store::Write;
use crate::{Error, Hub, Refusal, Result};

const REQUEST_COLUMNS: &str = "r.id, r.opt_out_id, a.name AS account, r.phone, r.source, r.actor, r.reason, \
     r.evidence, r.sender_phone, r.created_at FROM stop_requests r JOIN accounts a ON a.id = r.account_id";

fn request_from(row: &AnyRow) -> Result<StopRequest> {
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

/// The refusal of an opt-in that names `opt_out` while `request` stands after it: when, how and
/// in which words the contact asked again.
pub(crate) fn asked_again(opt_out: &OptOut, request: &StopRequest) -> Error {
    let sender = request.sender_phone.as_deref().unwrap_or("a sender number");
    let how = match request.source {
        Source::KeywordReply => format!("a keyword reply to {sender}"),
        Source::Reply => format!("a reply to {sender}"),
        Source::ProviderBlock => format!("the provider blocking {sender}"),
        Source::Manual => format!("by hand, by {}", request.actor),
        Source::Api => format!("through the API, by {}", request.actor),
        Source::Import => format!("an imported list, by {}", request.actor),
    };
    let words = request.evidence.as_deref().unwrap_or(&request.reason);
    Error::refused(
        Refusal::OptedOutAgain,
        format!(
            "{} asked to stop again after opt-out {}: {}, {how}: {words:?}. That request stands; an opt-in \
             that overrides it must name request {}",
            request.phone,
            opt_out.id,
            request.created_at.format("%Y-%m-%d %H:%M UTC"),
            request.id
        ),
    )
}

impl Hub {
    /// The requests to stop kept against one opt-out, oldest first.
    ///
    /// # Errors
    /// [`Error::Storage`].
    pub async fn stop_requests(&self, opt_out_id: i64) -> Result<Vec<StopRequest>> {
        sqlx::query(&format!("SELECT {REQUEST_COLUMNS} WHERE r.opt_out_id = $1 ORDER BY r.id"))
            .bind(opt_out_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(request_from)
            .collect()
    }
}
