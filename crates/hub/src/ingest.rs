//! Message events from the texting platform: outgoing messages and the replies that the rules act on.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use optout_rules::{decide, says_texts_cost_money, AccountOptOut, ConfirmationSender, Provider, Situation, UserAction};
use serde::{Deserialize, Serialize};

use crate::accounts::require_account;
use crate::model::{Account, ProviderBlock, Source};
use crate::optouts::{queue_message, record_opt_out, NewOptOut, QueuedMessage};
use crate::phone::{parse_field, Region};
use crate::store::Write;
use crate::{Error, Hub, Result};

/// A message the platform sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}

/// What a sender number tells about its conversation.
#[derive(Clone)]
struct Route {
    campaign_id: i64,
    provider: u8,
    account: Account,
}

/// What one write has learnt so far. A batch of thousands of messages from a handful of sender
/// numbers reads each route once, reads the answers already given to its provider message ids in
/// one statement, knows the conversations it has made and how many replies they have had, and
/// remembers the answers it gives in one statement when it ends.
struct Batch {
    routes: HashMap<String, Route>,
    conversations: HashMap<(String, String), Conversation>,
    /// Answers given before this batch or in it, by provider message id.
    answers: HashMap<String, Ingested>,
    /// The provider message ids this batch ingests.
    new: Vec<String>,
}

#[derive(Clone, Copy)]
struct Conversation {
    id: i64,
    /// Replies so far, when known without asking.
    replies: Option<i64>,
}

impl Batch {
    async fn begin(write: &mut Write, events: &[Event]) -> Result<Batch> {
        let ids: Vec<String> = events
            .iter()
            .map(|event| match event {
                Event::Outgoing(m) => format!("message:{}", m.provider_message_id),
                Event::Reply(r) => format!("message:{}", r.provider_message_id),
            })
            .collect();
        let sql = format!(
            "SELECT id, outcome FROM commands WHERE id IN (SELECT n.value FROM {})",
            write.backend.json_texts("$1")
        );
        let stored: Vec<(String, String)> =
            sqlx::query_as(&sql).bind(serde_json::to_string(&ids)?).fetch_all(&mut *write.tx).await?;
        let mut answers = HashMap::with_capacity(stored.len());
        for (id, outcome) in stored {
            let id = id.strip_prefix("message:").unwrap_or(&id).to_owned();
            answers.insert(id, serde_json::from_str(&outcome)?);
        }
        Ok(Batch { routes: HashMap::new(), conversations: HashMap::new(), answers, new: Vec::new() })
    }

    async fn route(&mut self, write: &mut Write, sender: &str) -> Result<Route> {
        if let Some(route) = self.routes.get(sender) {
            return Ok(route.clone());
        }
        let found: Option<(i64, i64, String)> = sqlx::query_as(
            "SELECT c.id, c.provider, a.name FROM sender_numbers s JOIN campaigns c ON c.id = s.campaign_id \
             JOIN accounts a ON a.id = c.account_id WHERE s.phone = $1",
        )
        .bind(sender)
        .fetch_optional(&mut *write.tx)
        .await?;
        let (campaign_id, provider, account) = found.ok_or_else(|| Error::UnknownSender(sender.to_owned()))?;
        let account = require_account(write, &account).await?;
        let route = Route { campaign_id, provider: u8::try_from(provider).unwrap_or(1), account };
        self.routes.insert(sender.to_owned(), route.clone());
        Ok(route)
    }

    fn answered(&mut self, provider_message_id: &str, ingested: &Ingested) {
        self.new.push(provider_message_id.to_owned());
        self.answers.insert(provider_message_id.to_owned(), ingested.clone());
    }

    /// Stores the answers of the batch's messages, as one JSON array of `[id, answer]` pairs.
    async fn remember(self, write: &mut Write) -> Result<()> {
        if self.new.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "INSERT INTO commands (id, kind, request, outcome, created_at) \
             SELECT 'message:' || (n.value ->> 0), 'message', '', n.value ->> 1, $1 FROM {}",
            write.backend.json_values("$2")
        );
        let pairs = self
            .new
            .iter()
            .map(|id| Ok((id, serde_json::to_string(&self.answers[id])?)))
            .collect::<Result<Vec<_>>>()?;
        sqlx::query(&sql).bind(write.now).bind(serde_json::to_string(&pairs)?).execute(&mut *write.tx).await?;
        Ok(())
    }
}

/// The conversation of a sender number and a contact, created with the contact if new.
async fn conversation(
    write: &mut Write,
    batch: &mut Batch,
    route: &Route,
    sender: &str,
    contact: &str,
    name: Option<&str>,
) -> Result<Conversation> {
    let key = (sender.to_owned(), contact.to_owned());
    if let Some(known) = batch.conversations.get(&key) {
        return Ok(*known);
    }
    let existing: Option<i64> =
        sqlx::query_scalar("SELECT id FROM conversations WHERE sender_phone = $1 AND contact_phone = $2")
            .bind(sender)
            .bind(contact)
            .fetch_optional(&mut *write.tx)
            .await?;
    if let Some(id) = existing {
        let found = Conversation { id, replies: None };
        batch.conversations.insert(key, found);
        return Ok(found);
    }
    sqlx::query("INSERT INTO contacts (phone, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (phone) DO NOTHING")
        .bind(contact)
        .bind(name)
        .bind(write.now)
        .execute(&mut *write.tx)
        .await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO conversations (campaign_id, sender_phone, contact_phone, created_at) VALUES ($1, $2, $3, $4) \
         RETURNING id",
    )
    .bind(route.campaign_id)
    .bind(sender)
    .bind(contact)
    .bind(write.now)
    .fetch_one(&mut *write.tx)
    .await?;
    write.publish(
        "conversation",
        &serde_json::json!({ "id": id, "campaign_id": route.campaign_id, "account": route.account.name,
                "sender_phone": sender, "contact_phone": contact, "contact_name": name, "review_reason": null }),
    )?;
    let made = Conversation { id, replies: Some(0) };
    batch.conversations.insert(key, made);
    Ok(made)
}

pub(crate) async fn insert_message(
    write: &mut Write,
    conversation_id: i64,
    provider_message_id: &str,
    direction: &str,
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
    .bind(direction)
    .bind(body)
    .bind(at)
    .fetch_one(&mut *write.tx)
    .await?;
    write.publish(
        "message",
        &serde_json::json!({ "id": id, "conversation_id": conversation_id, "direction": direction, "body": body,
                "at": crate::model::time(at)? }),
    )?;
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

async fn ingest_outgoing(write: &mut Write, batch: &mut Batch, message: &OutgoingMessage) -> Result<Ingested> {
    check_id(&message.provider_message_id)?;
    let sender = parse_field("sender_phone", &message.sender_phone, Region::US)?;
    let contact = parse_field("contact_phone", &message.contact_phone, region_of(&sender))?;
    if let Some(done) = batch.answers.get(&message.provider_message_id) {
        return Ok(done.clone());
    }
    let route = batch.route(write, &sender).await?;
    let name = message.contact_name.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let conversation_id = conversation(write, batch, &route, &sender, &contact, name).await?.id;
    let message_id =
        insert_message(write, conversation_id, &message.provider_message_id, "outgoing", &message.body, message.at)
            .await?;
    let ingested = Ingested { message_id, conversation_id, reply: None };
    batch.answered(&message.provider_message_id, &ingested);
    Ok(ingested)
}

async fn ingest_reply(write: &mut Write, batch: &mut Batch, reply: &IncomingReply) -> Result<Ingested> {
    check_id(&reply.provider_message_id)?;
    let sender = parse_field("sender_phone", &reply.sender_phone, Region::US)?;
    let contact = parse_field("contact_phone", &reply.contact_phone, region_of(&sender))?;
    if let Some(done) = batch.answers.get(&reply.provider_message_id) {
        return Ok(done.clone());
    }
    let route = batch.route(write, &sender).await?;
    let known = conversation(write, batch, &route, &sender, &contact, None).await?;
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
        insert_message(write, conversation_id, &reply.provider_message_id, "incoming", &reply.body, reply.at).await?;

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
    };
    let evidence = Some(reply.body.as_str());

    if decision.provider_opt_out {
        outcome.provider_block = block(write, &route, &sender, &contact, message_id, &reply.body).await?;
    }
    if decision.provider_opt_in {
        outcome.provider_block_lifted = unblock(write, &route, &sender, &contact, &reply.body).await?;
    }
    if decision.account_opt_out == AccountOptOut::Immediate {
        let reason = format!("Replied {:?} as the first response; automatic opt-outs are on", reply.body.trim());
        let (opt_out, created) = record_opt_out(
            write,
            NewOptOut {
                account: &route.account,
                phone: &contact,
                source: Source::KeywordReply,
                actor: "rules",
                reason: &reason,
                evidence,
                message_id: Some(message_id),
                sender_phone: Some(&sender),
                rule: Some(decision.rule.code()),
                command_id: None,
            },
        )
        .await?;
        outcome.opt_out_id = Some(opt_out.id);
        if created && decision.confirmation_sent_by == ConfirmationSender::Account {
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
                outcome.confirmation = Some(queue_message(write, &opt_out, "confirmation", &sender, message).await?);
            }
        }
    }
    if decision.user_action != UserAction::None {
        let reason = decision.review_reason.map_or("manual_opt_out", |r| r.as_str());
        sqlx::query("UPDATE conversations SET review_reason = $1 WHERE id = $2")
            .bind(reason)
            .bind(conversation_id)
            .execute(&mut *write.tx)
            .await?;
        write.publish("review", &serde_json::json!({ "conversation_id": conversation_id, "review_reason": reason }))?;
        outcome.review_reason = Some(reason.to_owned());
    }
    let ingested = Ingested { message_id, conversation_id, reply: Some(outcome) };
    batch.answered(&reply.provider_message_id, &ingested);
    Ok(ingested)
}

pub(crate) async fn block_in_force(write: &mut Write, sender: &str, contact: &str) -> Result<bool> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM provider_blocks WHERE contact_phone = $1 AND sender_phone = $2 AND lifted_at IS NULL",
    )
    .bind(contact)
    .bind(sender)
    .fetch_optional(&mut *write.tx)
    .await?;
    Ok(id.is_some())
}

async fn block(
    write: &mut Write,
    route: &Route,
    sender: &str,
    contact: &str,
    message_id: i64,
    body: &str,
) -> Result<Option<ProviderBlock>> {
    if block_in_force(write, sender, contact).await? {
        return Ok(None);
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO provider_blocks (sender_phone, contact_phone, message_id, created_at) VALUES ($1, $2, $3, $4) \
         RETURNING id",
    )
    .bind(sender)
    .bind(contact)
    .bind(message_id)
    .bind(write.now)
    .fetch_one(&mut *write.tx)
    .await?;
    audit_block(write, route, "provider_block", sender, contact, body, "The provider blocks the sender number").await?;
    let block = ProviderBlock {
        id,
        sender_phone: sender.to_owned(),
        contact_phone: contact.to_owned(),
        created_at: crate::model::time(write.now)?,
        lifted_at: None,
    };
    write.publish("provider_block", &block)?;
    Ok(Some(block))
}

async fn unblock(write: &mut Write, route: &Route, sender: &str, contact: &str, body: &str) -> Result<bool> {
    let lifted: Option<(i64, i64)> = sqlx::query_as(
        "UPDATE provider_blocks SET lifted_at = $1 WHERE contact_phone = $2 AND sender_phone = $3 \
         AND lifted_at IS NULL RETURNING id, created_at",
    )
    .bind(write.now)
    .bind(contact)
    .bind(sender)
    .fetch_optional(&mut *write.tx)
    .await?;
    let Some((id, created_at)) = lifted else { return Ok(false) };
    audit_block(write, route, "provider_unblock", sender, contact, body, "The contact resubscribed at the provider")
        .await?;
    let block = ProviderBlock {
        id,
        sender_phone: sender.to_owned(),
        contact_phone: contact.to_owned(),
        created_at: crate::model::time(created_at)?,
        lifted_at: Some(crate::model::time(write.now)?),
    };
    write.publish("provider_block", &block)?;
    Ok(true)
}

async fn audit_block(
    write: &mut Write,
    route: &Route,
    action: &str,
    sender: &str,
    contact: &str,
    body: &str,
    reason: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, account_id, phone, sender_phone, source, evidence, reason) \
         VALUES ($1, 'provider', $2, $3, $4, $5, 'keyword_reply', $6, $7)",
    )
    .bind(write.now)
    .bind(action)
    .bind(route.account.id)
    .bind(contact)
    .bind(sender)
    .bind(body)
    .bind(reason)
    .execute(&mut *write.tx)
    .await?;
    Ok(())
}
