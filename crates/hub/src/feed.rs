//! The change feed: every change to the record, in order, for caches to follow.
//!
//! What a change can be is one enum, [`Changed`]: the hub publishes its variants and a cache
//! applies them with an exhaustive `match`, so a new kind that a reader does not handle fails
//! to compile. On the wire and in the `changes` table a change is still a `kind` and a JSON
//! `payload`, passed through undecoded by the hub: reading the feed costs no more than its rows.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::model::{
    time, Account, Campaign, ImportedOptOuts, ImportedStopRequests, OptOut, ProviderBlock, StopRequest,
};
use crate::{Actor, Error, Hub, Refusal, Result};

/// One change on the feed, as stored and sent.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Change {
    /// Its place in the feed: 1, 2, 3, … with no gaps.
    pub seq: i64,
    /// When it was committed.
    pub at: DateTime<Utc>,
    /// Which variant of [`Changed`] it holds, by its serde name.
    pub kind: String,
    /// The variant's payload, as JSON: see [`Change::decode`].
    pub payload: Box<serde_json::value::RawValue>,
}

impl Change {
    /// The change as the record's type it carries.
    ///
    /// # Errors
    /// [`Undecodable`] for a kind this build does not know or a payload that is not its kind's.
    pub fn decode(&self) -> Result<Changed, Undecodable> {
        let (seq, kind) = (self.seq, self.kind.clone());
        // Kind first, then payload: serde reads an adjacently tagged enum without buffering.
        let json =
            format!("{{\"kind\":{},\"payload\":{}}}", serde_json::Value::from(kind.as_str()), self.payload.get());
        serde_json::from_str(&json).map_err(|e| {
            // serde names the unknown tag first; a bad value inside the payload names another.
            if e.to_string().starts_with(&format!("unknown variant `{kind}`")) {
                Undecodable::UnknownKind { seq, kind }
            } else {
                Undecodable::Malformed { seq, kind, why: e.to_string() }
            }
        })
    }
}

/// A change that [`Change::decode`] cannot read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Undecodable {
    /// A kind this build does not know: the hub is newer.
    #[error("change {seq} is of a kind this app does not know ({kind:?}); update the app")]
    UnknownKind {
        /// Where it is on the feed.
        seq: i64,
        /// Its kind.
        kind: String,
    },
    /// A payload that is not its kind's.
    #[error("change {seq} ({kind}) is malformed: {why}")]
    Malformed {
        /// Where it is on the feed.
        seq: i64,
        /// Its kind.
        kind: String,
        /// What serde said.
        why: String,
    },
}

/// What a change is: the record as it now is, one variant per kind of record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum Changed {
    /// An account was added or its settings changed.
    Account(Account),
    /// A campaign was added or changed, with its sender numbers.
    Campaign(Campaign),
    /// A conversation began.
    Conversation(Conversation),
    /// A message was sent or received.
    Message(Message),
    /// An opt-out was recorded or reversed.
    OptOut(OptOut),
    /// An import batch's opt-outs, [`ImportedOptOuts::MAX`] to a change.
    ImportedOptOuts(ImportedOptOuts),
    /// A request to stop arrived while the number was already opted out.
    StopRequest(StopRequest),
    /// An import batch's rows of numbers already opted out, [`ImportedOptOuts::MAX`] to a change.
    ImportedStopRequests(ImportedStopRequests),
    /// A provider block was recorded or lifted.
    ProviderBlock(ProviderBlock),
    /// A message about an opt-out was queued for the platform to send.
    OptOutMessage(QueuedMessage),
    /// A conversation's review flag was raised or settled.
    Review(ReviewFlag),
    /// A command was answered.
    Command(CommandSettled),
}

/// A conversation as it began.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    /// The hub's id.
    pub id: i64,
    /// The campaign.
    pub campaign_id: i64,
    /// The campaign's account.
    pub account: String,
    /// The sender number.
    pub sender_phone: String,
    /// The contact's number.
    pub contact_phone: String,
    /// The contact's name, when the platform knew it.
    pub contact_name: Option<String>,
}

/// Whether a message went to the contact or came from them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Sent by the campaign.
    Outgoing,
    /// The contact's reply.
    Incoming,
}

impl Direction {
    /// The name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Outgoing => "outgoing",
            Direction::Incoming => "incoming",
        }
    }
}

/// A message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// The hub's id.
    pub id: i64,
    /// Its conversation.
    pub conversation_id: i64,
    /// Which way it went.
    pub direction: Direction,
    /// The text.
    pub body: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A conversation's review flag: raised with a reason, or settled (`None`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewFlag {
    /// The conversation.
    pub conversation_id: i64,
    /// Why an admin should look; `None` once settled.
    pub review_reason: Option<String>,
    /// Who settled it, when somebody did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled_by: Option<String>,
    /// When it was raised: the reply's time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raised_at: Option<DateTime<Utc>>,
    /// When it must be settled by (the account's business days after it was raised).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_at: Option<DateTime<Utc>>,
}

/// The stored answer to a command: done with its outcome, or refused with a reason.
///
/// The hub keeps its own answers with a [`Refusal`] it knows; the feed carries a [`RefusalCode`],
/// so that an app older than its hub settles a command refused for a newer reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommandAnswer<T = serde_json::Value, C = RefusalCode> {
    /// Done; the outcome is the command's own type.
    Done(T),
    /// Refused; the record is unchanged.
    Refused {
        /// Why: `opted_out_again`, `forbidden`, …
        code: C,
        /// Why, for a person.
        message: String,
    },
}

/// A refusal's code as the feed carries it: one this build knows, or a newer hub's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RefusalCode {
    /// A refusal this build knows, to branch on.
    Known(Refusal),
    /// A code added after this build: shown with its words, never branched on.
    Newer(String),
}

impl RefusalCode {
    /// The code as written: `opted_out_again`.
    pub fn as_str(&self) -> &str {
        match self {
            RefusalCode::Known(refusal) => refusal.as_str(),
            RefusalCode::Newer(code) => code,
        }
    }
}

/// A command answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandSettled {
    /// The command's id, made by its client.
    pub id: Uuid,
    /// What kind of command it was (`opt_out`, `opt_in`, `review`, …).
    pub kind: String,
    /// The answer.
    pub answer: CommandAnswer,
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

impl Hub {
    /// Up to `limit` changes after sequence number `cursor`, in order.
    ///
    /// Sequence numbers have no gaps and are handed out in commit order (see the write
    /// transaction), so a reader that passes the last `seq` it saw never skips a change.
    ///
    /// # Errors
    /// [`Error::InvalidField`] for a limit outside 1 to 10,000; [`Error::Refused`]
    /// (`forbidden`) for anybody but an admin: the feed holds the whole record.
    pub async fn changes_after(&self, actor: &Actor, cursor: i64, limit: u32) -> Result<Vec<Change>> {
        actor.admin_only("read the change feed")?;
        if !(1..=10_000).contains(&limit) {
            return Err(Error::field("limit", "must be 1 to 10000"));
        }
        let rows: Vec<(i64, i64, String, String)> =
            sqlx::query_as("SELECT seq, at, kind, payload FROM changes WHERE seq > $1 ORDER BY seq LIMIT $2")
                .bind(cursor)
                .bind(i64::from(limit))
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .map(|(seq, at, kind, payload)| {
                Ok(Change { seq, at: time(at)?, kind, payload: serde_json::value::RawValue::from_string(payload)? })
            })
            .collect()
    }

    /// The newest sequence number on the feed (0 when empty).
    pub async fn feed_head(&self) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT seq FROM feed_head WHERE id = 1").fetch_one(&self.pool).await?)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn an_imported_change_written_by_sql_decodes_under_its_kind() {
        // The import writes its changes in SQL with this kind; it must be the variant's name.
        let payload = r#"{"account":"Acme","actor":"ann","reason":"Imported","created_at":"2026-12-01T00:00:00Z","opt_outs":[[7,"+12015550123"]]}"#;
        let change = Change {
            seq: 1,
            at: Utc::now(),
            kind: ImportedOptOuts::KIND.into(),
            payload: serde_json::value::RawValue::from_string(payload.into()).unwrap(),
        };
        let Changed::ImportedOptOuts(imported) = change.decode().unwrap() else { panic!("not an import") };
        assert_eq!(imported.opt_outs, vec![(7, "+12015550123".to_owned())]);
    }

    #[test]
    fn a_known_refusal_code_on_the_feed_is_one_to_branch_on_and_a_newer_one_keeps_its_words() {
        let refused = |code: &str| {
            let json = format!(r#"{{"refused":{{"code":"{code}","message":"no"}}}}"#);
            match serde_json::from_str::<CommandAnswer>(&json).unwrap() {
                CommandAnswer::Refused { code, .. } => code,
                CommandAnswer::Done(_) => panic!("done"),
            }
        };
        assert_eq!(refused("opted_out_again"), RefusalCode::Known(Refusal::OptedOutAgain));
        assert_eq!(refused("over_quota"), RefusalCode::Newer("over_quota".into()));
        assert_eq!(refused("over_quota").as_str(), "over_quota");
    }

    #[test]
    fn an_unknown_kind_is_an_error_naming_the_change() {
        let change = Change {
            seq: 9,
            at: Utc::now(),
            kind: "teleport".into(),
            payload: serde_json::value::RawValue::from_string("{}".into()).unwrap(),
        };
        let error = change.decode().unwrap_err();
        assert_eq!(error, Undecodable::UnknownKind { seq: 9, kind: "teleport".into() });
    }
}
