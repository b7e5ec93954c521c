//! Message events from the texting platform: outgoing messages and the replies that the rules act on.

use chrono::{DateTime, Utc};
use optout_rules::{
    decide, says_texts_cost_money, AccountOptOut, ConfirmationSender, Provider, ReviewReason, Rule, Situation,
    UserAction,
};
use serde::{Deserialize, Serialize};

use crate::feed::{Changed, Direction, Message, ReviewFlag};
use crate::model::{ProviderBlock, Source, StopRequest};
use crate::optouts::{opt_out_in_force, queue_message, NewOptOut, QueuedMessage};
use crate::phone::{parse_field, Region};
use crate::requests::{record_request, request_to_stop};
use crate::store::Write;
use crate::{Error, Hub, Result};

mod batch;
mod blocks;
use batch::{conversation, Batch, Conversation};
use blocks::{block, block_in_force, unblock};

/// A message the platform sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutgoingMessage {
    /// The provider's id for the message; the same id twice is one message.
    pub provider_message_id: String,
    /// The campaign's sender number.
    pub sender_phone: String,
    /// The contact.
    pub contact_phone: String,
    /// The contact's name, if the platform knows it.
    #[serde(default)]
    pub contact_name: Option<String>,
    /// The text.
    pub body: String,
    /// When it was sent (default: now).
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
}

/// A reply from a contact to a sender number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncomingReply {
    /// The provider's id for the message; the same id twice is one message.
    pub provider_message_id: String,
    /// The sender number the contact replied to.
    pub sender_phone: String,
    /// The contact.
    pub contact_phone: String,
    /// The text, as the contact wrote it.
    pub body: String,
    /// When it arrived (default: now).
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
}

/// What ingesting a message did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ingested {
    /// The hub's id for the message.
    pub message_id: i64,
    /// The conversation it belongs to.
    pub conversation_id: i64,
    /// For a reply: what the rules decided and what the hub did about it.
    pub reply: Option<ReplyOutcome>,
}

/// What the rules decided for a reply, and what the hub recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyOutcome {
    /// Whether this was the contact's first response in the conversation.
    pub first_response: bool,
    /// The rule applied (see `optout_rules::Rule::code`).
    pub rule: String,
    /// The rules' explanation, for a person.
    pub explanation: String,
    /// The account opt-out recorded now, if any.
    pub opt_out_id: Option<i64>,
    /// Whether the account opts the number out later, when the provider blocks a send.
    pub opt_out_deferred: bool,
    /// The provider block recorded now, if any.
    pub provider_block: Option<ProviderBlock>,
    /// Whether the contact lifted a provider block (START).
    pub provider_block_lifted: bool,
    /// The confirmation queued, if any.
    pub confirmation: Option<QueuedMessage>,
    /// Why no confirmation was queued when the rules called for the account's.
    pub confirmation_withheld: Option<String>,
    /// What an admin must do: `none`, `manual_opt_out` or `review`.
    pub user_action: UserAction,
    /// Why the conversation is flagged for an admin, if it is.
    pub review_reason: Option<String>,
    /// The request to stop kept against the opt-out already in force, when the reply was one.
    #[serde(default)]
    pub stop_request: Option<StopRequest>,
}

pub(crate) async fn insert_message(
    write: &mut Write<'_>,
    conversation_id: i64,
    provider_message_id: &str,
    direction: Direction,
    body: &str,
    at: Option<DateTime<Utc>>,
) -> Result<i64> {
    let at = at.map_or(write.now, |t| t.timestamp_micros());
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO messages (conversation_id, provider_message_id, direction, body, at) VALUES ($1, $2, $3, $4, $5) \
         RETURNING id",
    )
    .bind(conversation_id)
    .bind(provider_message_id)
    .bind(direction.as_str())
    .bind(body)
    .bind(at)
    .fetch_one(&mut *write.tx)
    .await?;
    write.publish(&Changed::Message(Message {
        id,
        conversation_id,
        direction,
        body: body.to_owned(),
        at: crate::model::time(at)?,
    }))?;
    Ok(id)
}

fn check_id(id: &str) -> Result<()> {
    if id.trim().is_empty() || id.len() > 200 {
        return Err(Error::field("provider_message_id", "must be 1 to 200 characters"));
    }
    Ok(())
}

fn region_of(sender: &str) -> Region {
    if sender.starts_with("+44") {
        Region::GB
    } else {
        Region::US
    }
}

impl Hub {
    /// Records a message the platform sent. The same provider message id twice records it once.
    ///
    /// # Errors
    /// [`Error::InvalidPhone`], [`Error::UnknownSender`] when no campaign sends from the number.
    pub async fn ingest_outgoing(&self, message: &OutgoingMessage) -> Result<Ingested> {
        let mut done = self.ingest(&[Event::Outgoing(message.clone())], false).await?;
        Ok(done.remove(0))
    }

    /// Records a reply and applies the rules to it, with the account's setting and whether it is
    /// the contact's first response in the conversation. The same provider message id twice is
    /// recorded and acted on once, and answers the same.
    ///
    /// # Errors
    /// [`Error::InvalidPhone`], [`Error::UnknownSender`].
    pub async fn ingest_reply(&self, reply: &IncomingReply) -> Result<Ingested> {
        let mut done = self.ingest(&[Event::Reply(reply.clone())], false).await?;
        Ok(done.remove(0))
    }

    /// Ingests many events in one transaction: all or none. For loading history and demo data.
    ///
    /// # Errors
    /// As [`Hub::ingest_outgoing`] and [`Hub::ingest_reply`]; the error names the event's index.
    pub async fn ingest_batch(&self, events: &[Event]) -> Result<Vec<Ingested>> {
        self.ingest(events, true).await
    }

    async fn ingest(&self, events: &[Event], name_index: bool) -> Result<Vec<Ingested>> {
        let mut write = self.write().await?;
        let mut batch = Batch::begin(&mut write, events).await?;
        let mut out = Vec::with_capacity(events.len());
        for (i, event) in events.iter().enumerate() {
            let result = match event {
                Event::Outgoing(m) => ingest_outgoing(&mut write, &mut batch, m).await,
                Event::Reply(r) => ingest_reply(&mut write, &mut batch, r).await,
            };
            out.push(result.map_err(|e| match e {
                Error::InvalidPhone { field, value, reason } if name_index => {
                    Error::InvalidPhone { field: format!("events[{i}].{field}"), value, reason }
                }
                Error::InvalidField { field, message } if name_index => {
                    Error::InvalidField { field: format!("events[{i}].{field}"), message }
                }
                other => other,
            })?);
        }
        batch.remember(&mut write).await?;
        write.commit().await?;
        Ok(out)
    }
}

/// One message event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A message sent.
    Outgoing(OutgoingMessage),
    /// A reply received.
    Reply(IncomingReply),
}

async fn ingest_outgoing(write: &mut Write<'_>, batch: &mut Batch, message: &OutgoingMessage) -> Result<Ingested> {
    check_id(&message.provider_message_id)?;
    let sender = parse_field("sender_phone", &message.sender_phone, Region::US)?;
    let contact = parse_field("contact_phone", &message.contact_phone, region_of(&sender))?;
    if let Some(done) = batch.answers.get(&message.provider_message_id) {
        return Ok(done.clone());
    }
    let route = batch.route(write, &sender).await?;
    let name = message.contact_name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let conversation_id = conversation(write, batch, &route, &sender, &contact, name).await?.id;
    let message_id = insert_message(
        write,
        conversation_id,
        &message.provider_message_id,
        Direction::Outgoing,
        &message.body,
        message.at,
    )
    .await?;
    let ingested = Ingested { message_id, conversation_id, reply: None };
    batch.answered(&message.provider_message_id, &ingested);
    Ok(ingested)
}

async fn ingest_reply(write: &mut Write<'_>, batch: &mut Batch, reply: &IncomingReply) -> Result<Ingested> {
    check_id(&reply.provider_message_id)?;
    let sender = parse_field("sender_phone", &reply.sender_phone, Region::US)?;
    let contact = parse_field("contact_phone", &reply.contact_phone, region_of(&sender))?;
    if let Some(done) = batch.answers.get(&reply.provider_message_id) {
        return Ok(done.clone());
    }
    let mut route = batch.route(write, &sender).await?;
    let known = conversation(write, batch, &route, &sender, &contact, None).await?;
    if known.campaign_id != route.campaign_id {
        // The sender number moved since the conversation began: the reply answers the campaign
        // that texted the contact, and that campaign's account applies the rules.
        route = batch.campaign(write, known.campaign_id).await?;
    }
    let conversation_id = known.id;
    let earlier_replies = match known.replies {
        Some(n) => n,
        None => {
            sqlx::query_scalar("SELECT COUNT(*) FROM messages WHERE conversation_id = $1 AND direction = 'incoming'")
                .bind(conversation_id)
                .fetch_one(&mut *write.tx)
                .await?
        }
    };
    batch
        .conversations
        .insert((sender.clone(), contact.clone()), Conversation { replies: Some(earlier_replies + 1), ..known });
    let message_id =
        insert_message(write, conversation_id, &reply.provider_message_id, Direction::Incoming, &reply.body, reply.at)
            .await?;

    let situation = Situation {
        provider: if route.provider == 2 { Provider::Two } else { Provider::One },
        auto_opt_outs: route.account.auto_opt_outs,
        first_response: earlier_replies == 0,
    };
    let decision = decide(&reply.body, situation);
    let explained = decision.explain();
    let mut outcome = ReplyOutcome {
        first_response: situation.first_response,
        rule: decision.rule.code().to_owned(),
        explanation: explained.explanation,
        opt_out_id: None,
        opt_out_deferred: decision.account_opt_out == AccountOptOut::Deferred,
        provider_block: None,
        provider_block_lifted: false,
        confirmation: None,
        confirmation_withheld: None,
        user_action: decision.user_action,
        review_reason: None,
        stop_request: None,
    };
    let evidence = Some(reply.body.as_str());

    if decision.provider_opt_out {
        outcome.provider_block = block(write, &route, &sender, &contact, message_id, &reply.body).await?;
    }
    if decision.provider_opt_in {
        outcome.provider_block_lifted = unblock(write, &route, &sender, &contact, &reply.body).await?;
    }
    // A request to stop, as the rules read it: a keyword of either provider's list, or a plain
    // request that the review flag caught.
    let source = match decision.rule {
        Rule::AutomaticOptOut | Rule::AutomaticOptOutsOff | Rule::LaterResponse | Rule::OtherProvidersKeyword(_) => {
            Some(Source::KeywordReply)
        }
        Rule::Review(ReviewReason::OptOutRequest) => Some(Source::Reply),
        Rule::Review(ReviewReason::WrongNumber) | Rule::Resubscribe | Rule::Help | Rule::OrdinaryReply => None,
    };
    let immediate = decision.account_opt_out == AccountOptOut::Immediate;
    let reason = if immediate {
        format!("Replied {:?} as the first response; automatic opt-outs are on", reply.body.trim())
    } else {
        format!("Replied {:?} while already opted out", reply.body.trim())
    };
    let request = NewOptOut {
        account: &route.account,
        phone: &contact,
        source: source.unwrap_or(Source::KeywordReply),
        actor: "rules",
        reason: &reason,
        evidence,
        message_id: Some(message_id),
        sender_phone: Some(&sender),
        rule: Some(decision.rule.code()),
        command_id: None,
    };
    let mut already_opted_out = false;
    if immediate {
        let asked = request_to_stop(write, request).await?;
        outcome.opt_out_id = Some(asked.opt_out.id);
        outcome.stop_request = asked.request;
        if asked.created && decision.confirmation_sent_by == ConfirmationSender::Account {
            let blocked = block_in_force(write, &sender, &contact).await?;
            let message = route.account.confirmation_message.trim();
            outcome.confirmation_withheld = if message.is_empty() {
                Some("the account sends no confirmation message".to_owned())
            } else if says_texts_cost_money(&reply.body) {
                Some("the reply says texts cost the contact money".to_owned())
            } else if blocked {
                Some("the provider blocks this sender number for the contact".to_owned())
            } else {
                None
            };
            if outcome.confirmation_withheld.is_none() {
                let confirmation = queue_message(write, &asked.opt_out, "confirmation", &sender, message).await?;
                outcome.confirmation = Some(confirmation);
            }
        }
    } else if source.is_some() {
        // Already opted out: nothing for an admin to do, but the request is kept, so that an
        // opt-in naming the earlier opt-out cannot undo it.
        if let Some(opt_out) = opt_out_in_force(write, route.account.id, &contact).await? {
            outcome.stop_request = Some(record_request(write, &opt_out, &request).await?);
            already_opted_out = true;
        }
    }
    if decision.user_action != UserAction::None && !already_opted_out {
        let reason = decision.review_reason.map_or("manual_opt_out", |r| r.as_str());
        sqlx::query("UPDATE conversations SET review_reason = $1 WHERE id = $2")
            .bind(reason)
            .bind(conversation_id)
            .execute(&mut *write.tx)
            .await?;
        write.publish(&Changed::Review(ReviewFlag {
            conversation_id,
            review_reason: Some(reason.to_owned()),
            settled_by: None,
        }))?;
        outcome.review_reason = Some(reason.to_owned());
    }
    let ingested = Ingested { message_id, conversation_id, reply: Some(outcome) };
    batch.answered(&reply.provider_message_id, &ingested);
    Ok(ingested)
}
