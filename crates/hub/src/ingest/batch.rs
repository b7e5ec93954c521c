//! What one write of ingested messages learns as it goes: the routes of its sender numbers, the
//! conversations it finds or makes, and the answers it gives to provider message ids.

use std::collections::HashMap;

use crate::accounts::require_account;
use crate::feed::Direction;
use crate::model::{stored_provider, Account};
use crate::store::{insert_rows, Bind, Write};
use crate::{Error, Result};

use super::known::Known;
use super::{Event, Ingested};

/// What a sender number tells about its conversation.
#[derive(Clone)]
pub(crate) struct Route {
    pub(crate) campaign_id: i64,
    pub(crate) provider: optout_rules::Provider,
    pub(crate) account: Account,
}

/// What one write has learnt so far. A batch of thousands of messages from a handful of sender
/// numbers reads each route once, reads the answers already given to its provider message ids in
/// two statements, knows the conversations it has made and how many replies they have had, and
/// remembers the answers it gives in one statement when it ends.
pub(super) struct Batch {
    routes: HashMap<String, Route>,
    by_campaign: HashMap<i64, Route>,
    pub(super) conversations: HashMap<(String, String), Conversation>,
    /// Answers given before this batch or in it, by provider message id.
    pub(super) answers: HashMap<String, Ingested>,
    /// The provider message ids this batch ingests.
    new: Vec<String>,
    /// What the record says about the contacts whose replies the batch decides.
    pub(super) known: Known,
    /// Sender numbers as written, and in E.164.
    pub(super) senders: HashMap<String, String>,
    /// The messages already recorded under this batch's provider message ids.
    pub(super) recorded: HashMap<String, Recorded>,
}

#[derive(Clone, Copy)]
pub(super) struct Conversation {
    pub(super) id: i64,
    /// Its campaign: the one its sender number had when it began.
    pub(super) campaign_id: i64,
    /// Replies so far, when known without asking.
    pub(super) replies: Option<i64>,
}

/// A message as recorded under a provider message id.
pub(super) struct Recorded {
    direction: Direction,
    sender: String,
    contact: String,
    body: String,
}

/// What a second use of a provider message id must repeat to be answered as the first: its
/// direction, sender number, contact and text.
pub(super) type Identity<'a> = (Direction, &'a str, &'a str, &'a str);

impl Recorded {
    pub(super) fn identity(&self) -> Identity<'_> {
        (self.direction, &self.sender, &self.contact, &self.body)
    }
}

/// Refuses a message under the provider message id of another one (`first`): answered as the
/// first, it would be lost without a trace.
pub(super) fn same_message(first: Identity<'_>, again: Identity<'_>) -> Result<()> {
    if first == again {
        return Ok(());
    }
    let (what, from, to) = match first {
        (Direction::Outgoing, sender, contact, _) => ("a message sent", sender, contact),
        (Direction::Incoming, sender, contact, _) => ("a reply", contact, sender),
    };
    Err(Error::field(
        "provider_message_id",
        format!("already names another message, {what} from {from} to {to}: a provider's id names one message"),
    ))
}

impl Batch {
    pub(super) async fn begin(write: &mut Write<'_>, events: &[Event]) -> Result<Batch> {
        let ids: Vec<String> = events.iter().map(|event| format!("message:{}", event.key())).collect();
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
        // The messages already recorded under these ids, for a second use of one to repeat. An
        // outgoing message's answer is its row: it is not remembered apart.
        let keys: Vec<String> = events.iter().map(Event::key).collect();
        let sql = format!(
            "SELECT m.provider_message_id, m.id, m.conversation_id, m.direction, m.body, v.sender_phone, \
               v.contact_phone \
             FROM messages m JOIN conversations v ON v.id = m.conversation_id \
             WHERE m.provider_message_id IN (SELECT n.value FROM {})",
            write.backend.json_texts("$1")
        );
        let found: Vec<(String, i64, i64, String, String, String, String)> =
            sqlx::query_as(&sql).bind(serde_json::to_string(&keys)?).fetch_all(&mut *write.tx).await?;
        let mut recorded = HashMap::with_capacity(found.len());
        for (id, message_id, conversation_id, direction, body, sender, contact) in found {
            let direction =
                if direction == Direction::Outgoing.as_str() { Direction::Outgoing } else { Direction::Incoming };
            if direction == Direction::Outgoing {
                answers.entry(id.clone()).or_insert(Ingested {
                    message_id,
                    conversation_id,
                    reply: None,
                    refused: None,
                });
            }
            recorded.insert(id, Recorded { direction, sender, contact, body });
        }
        Ok(Batch {
            routes: HashMap::new(),
            by_campaign: HashMap::new(),
            conversations: HashMap::new(),
            answers,
            new: Vec::new(),
            known: Known::default(),
            senders: HashMap::new(),
            recorded,
        })
    }

    pub(super) async fn route(&mut self, write: &mut Write<'_>, sender: &str) -> Result<Route> {
        if let Some(route) = self.routes.get(sender) {
            return Ok(route.clone());
        }
        let found: Option<i64> = sqlx::query_scalar("SELECT campaign_id FROM sender_numbers WHERE phone = $1")
            .bind(sender)
            .fetch_optional(&mut *write.tx)
            .await?;
        let campaign_id = found.ok_or_else(|| Error::UnknownSender(sender.to_owned()))?;
        let route = self.campaign(write, campaign_id).await?;
        self.routes.insert(sender.to_owned(), route.clone());
        Ok(route)
    }

    /// The route of a campaign: its provider and account.
    pub(super) async fn campaign(&mut self, write: &mut Write<'_>, campaign_id: i64) -> Result<Route> {
        if let Some(route) = self.by_campaign.get(&campaign_id) {
            return Ok(route.clone());
        }
        let (provider, account): (i64, String) = sqlx::query_as(
            "SELECT c.provider, a.name FROM campaigns c JOIN accounts a ON a.id = c.account_id WHERE c.id = $1",
        )
        .bind(campaign_id)
        .fetch_one(&mut *write.tx)
        .await?;
        let account = require_account(write, &account).await?;
        let route = Route { campaign_id, provider: stored_provider(provider)?, account };
        self.by_campaign.insert(campaign_id, route.clone());
        Ok(route)
    }

    /// Keeps the answer to an event for the rest of the batch and, for a reply or a refused
    /// send, for good.
    pub(super) fn answered(&mut self, key: &str, ingested: Ingested) {
        if ingested.reply.is_some() || ingested.refused.is_some() {
            self.new.push(key.to_owned());
        }
        self.answers.insert(key.to_owned(), ingested);
    }

    /// Stores the answers of the batch's replies and refused sends.
    pub(super) async fn remember(self, write: &mut Write<'_>) -> Result<()> {
        if self.new.is_empty() {
            return Ok(());
        }
        let keys: Vec<String> = self.new.iter().map(|id| format!("message:{id}")).collect();
        let outcomes =
            self.new.iter().map(|id| Ok(serde_json::to_string(&self.answers[id])?)).collect::<Result<Vec<_>>>()?;
        let values: Vec<Bind<'_>> = keys
            .iter()
            .zip(&outcomes)
            .flat_map(|(key, outcome)| {
                [
                    Bind::Text(Some(key)),
                    Bind::Text(Some("message")),
                    Bind::Text(Some("")),
                    Bind::Text(Some(outcome)),
                    Bind::Int(Some(write.now)),
                ]
            })
            .collect();
        insert_rows(
            &mut write.tx,
            write.backend,
            "INSERT INTO commands (id, kind, request, outcome, created_at)",
            "",
            5,
            &values,
        )
        .await?;
        Ok(())
    }
}
