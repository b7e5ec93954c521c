//! An admin's answer to a review flag: dismiss it, or ask the contact whether they want to stop.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::commands::once;
use crate::feed::Direction;
use crate::records::{clear_flag, insert_message, opt_out_in_force};
use crate::store::Write;
use crate::{Actor, Error, Hub, Refusal, Result};

/// What the admin does with a flagged conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum ReviewAction {
    /// The reply asks for nothing: clear the flag.
    Dismiss,
    /// Ask the contact, from the conversation's sender number, whether they want to stop.
    Ask {
        /// The question.
        message: String,
    },
}

/// Settle a conversation's review flag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewRequest {
    /// Made by the client; the same id twice is one command.
    pub command_id: Uuid,
    /// The flagged conversation.
    pub conversation_id: i64,
    /// What to do.
    #[serde(flatten)]
    pub action: ReviewAction,
}

/// Read as it is written (`{command_id, conversation_id, action, message?}`), refusing any
/// other field: serde cannot deny unknown fields beside a flattened one.
impl<'de> Deserialize<'de> for ReviewRequest {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<ReviewRequest, D::Error> {
        #[derive(Deserialize)]
        #[serde(rename_all = "snake_case")]
        enum Kind {
            Dismiss,
            Ask,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Wire {
            command_id: Uuid,
            conversation_id: i64,
            action: Kind,
            message: Option<String>,
        }
        let wire = Wire::deserialize(deserializer)?;
        let action = match (wire.action, wire.message) {
            (Kind::Dismiss, None) => ReviewAction::Dismiss,
            (Kind::Ask, Some(message)) => ReviewAction::Ask { message },
            (Kind::Dismiss, Some(_)) => return Err(serde::de::Error::custom("a dismissal takes no `message`")),
            (Kind::Ask, None) => return Err(serde::de::Error::missing_field("message")),
        };
        Ok(ReviewRequest { command_id: wire.command_id, conversation_id: wire.conversation_id, action })
    }
}

/// What a review command did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewOutcome {
    /// The conversation.
    pub conversation_id: i64,
    /// The flag it had.
    pub review_reason: Option<String>,
    /// The question's message id, when one was sent.
    pub message_id: Option<i64>,
}

impl Hub {
    /// Settles a conversation's review flag: dismisses it, or asks the contact a question from
    /// the conversation's sender number (recorded as an outgoing message, for the platform to
    /// send). Either way the flag is cleared; the contact's answer goes through the rules like
    /// any reply.
    ///
    /// # Errors
    /// [`Error::NotFound`] for an unknown conversation; [`Error::InvalidField`] for an empty
    /// question; [`Error::Refused`] with `not_textable` when the contact is opted out of the
    /// account or the provider blocks the sender number (when in doubt, do not send).
    pub async fn review(&self, actor: &Actor, request: &ReviewRequest) -> Result<ReviewOutcome> {
        actor.admin_only("settle a review flag")?;
        if let ReviewAction::Ask { message } = &request.action {
            if message.trim().is_empty() {
                return Err(Error::field("message", "write the question to send"));
            }
        }
        once(self, request.command_id, "review", request, async |write: &mut Write<'_>| {
            let found: Option<(i64, String, String, Option<String>)> = sqlx::query_as(
                "SELECT k.account_id, v.sender_phone, v.contact_phone, v.review_reason \
                 FROM conversations v JOIN campaigns k ON k.id = v.campaign_id WHERE v.id = $1",
            )
            .bind(request.conversation_id)
            .fetch_optional(&mut *write.tx)
            .await?;
            let (account_id, sender, contact, review_reason) =
                found.ok_or_else(|| Error::NotFound(format!("conversation {}", request.conversation_id)))?;
            let mut message_id = None;
            if let ReviewAction::Ask { message } = &request.action {
                if let Some(opt_out) = opt_out_in_force(write, account_id, &contact).await? {
                    return Err(Error::refused(
                        Refusal::NotTextable,
                        format!("{contact} is opted out of {} (opt-out {}): no message goes", opt_out.account, opt_out.id),
                    ));
                }
                let blocked: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM provider_blocks WHERE sender_phone = $1 AND contact_phone = $2 AND lifted_at IS NULL",
                )
                .bind(&sender)
                .bind(&contact)
                .fetch_optional(&mut *write.tx)
                .await?;
                if blocked.is_some() {
                    return Err(Error::refused(
                        Refusal::NotTextable,
                        format!("the provider blocks {sender} for {contact}: no message goes"),
                    ));
                }
                let id = format!("question:{}", request.command_id);
                message_id =
                    Some(insert_message(write, request.conversation_id, &id, Direction::Outgoing, message.trim(), None).await?);
            }
            let decided = match &request.action {
                ReviewAction::Dismiss => "dismissed the flag: the reply asks for nothing".to_owned(),
                ReviewAction::Ask { message } => format!("asked the contact: {:?}", message.trim()),
            };
            clear_flag(write, request.conversation_id, &actor.name, &decided).await?;
            Ok(ReviewOutcome { conversation_id: request.conversation_id, review_reason, message_id })
        })
        .await
    }
}

/// A line of the review log: at, account, contact, sender, action, who, what, the reply.
type ReviewLogRow = (i64, Option<String>, String, Option<String>, String, String, String, Option<String>);

/// The review log's columns, as its CSV export writes them.
pub const REVIEW_LOG_HEADER: [&str; 8] =
    ["at", "account", "contact_phone", "sender_phone", "event", "who", "what", "reply"];

impl Hub {
    /// The review log from `from` (inclusive) to `to` (exclusive), oldest first: every flag the
    /// rules raised, with the reply, and who settled it, how and when. For a compliance officer:
    /// as CSV (formula-safe), with [`REVIEW_LOG_HEADER`].
    ///
    /// # Errors
    /// [`Error::Storage`]; [`Error::Refused`] (`forbidden`) for anybody but an admin.
    pub async fn review_log_csv(
        &self,
        actor: &Actor,
        from: Option<chrono::DateTime<chrono::Utc>>,
        to: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<String> {
        actor.admin_only("read the review log")?;
        let rows: Vec<ReviewLogRow> = sqlx::query_as(
            "SELECT l.at, a.name, l.phone, l.sender_phone, l.action, l.actor, l.reason, l.evidence \
                 FROM audit_log l LEFT JOIN accounts a ON a.id = l.account_id \
                 WHERE l.action IN ('review_raised', 'review_settled') AND l.at >= $1 AND l.at < $2 \
                 ORDER BY l.at, l.id",
        )
        .bind(from.map_or(i64::MIN, |t| t.timestamp_micros()))
        .bind(to.map_or(i64::MAX, |t| t.timestamp_micros()))
        .fetch_all(&self.pool)
        .await?;
        let mut out = csv::Writer::from_writer(Vec::new());
        let failed = |e: csv::Error| Error::Corrupt(format!("review log: {e}"));
        out.write_record(REVIEW_LOG_HEADER).map_err(failed)?;
        for (at, account, contact, sender, action, who, what, reply) in rows {
            let event = if action == "review_raised" { "flag raised" } else { "flag settled" };
            let at = crate::model::time(at)?.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            let cells = [
                at,
                account.unwrap_or_default(),
                contact,
                sender.unwrap_or_default(),
                event.to_owned(),
                who,
                what,
                reply.unwrap_or_default(),
            ];
            out.write_record(cells.iter().map(|cell| crate::export::neutralise(cell).into_owned())).map_err(failed)?;
        }
        let bytes = out.into_inner().map_err(|e| Error::Corrupt(format!("review log: {e}")))?;
        String::from_utf8(bytes).map_err(|e| Error::Corrupt(e.to_string()))
    }
}
