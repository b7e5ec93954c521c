//! Requests to stop that reach the hub while the number is already opted out: each is kept with
//! the opt-out in force (written by `records::request_to_stop`), and while one stands after an
//! opt-out, an opt-in naming that opt-out alone is refused. This module reads them back and
//! words that refusal.
//!
//! Every write takes the feed's head row first (see `store::Write`), so a request and an opt-in
//! sent at the same moment commit one after the other: either the request is recorded against
//! the opt-out and the opt-in is refused, or the opt-in commits first and the request finds
//! nothing in force and records an opt-out of its own. On PostgreSQL the opt-out's row is locked
//! too (`records::opt_out_by_id`), so this holds even if writers stop taking turns.

use crate::model::{Actor, OptOut, Source, StopRequest};
use crate::records::{request_from, REQUEST_COLUMNS};
use crate::{Error, Hub, Refusal, Result};

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
    /// [`Error::Storage`]; [`Error::Refused`] (`forbidden`) for anybody but an admin.
    pub async fn stop_requests(&self, actor: &Actor, opt_out_id: i64) -> Result<Vec<StopRequest>> {
        actor.admin_only("read the requests to stop")?;
        sqlx::query(&format!("SELECT {REQUEST_COLUMNS} WHERE r.opt_out_id = $1 ORDER BY r.id"))
            .bind(opt_out_id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(request_from)
            .collect()
    }
}
