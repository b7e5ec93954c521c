//! Message events from the texting platform: outgoing messages and the replies that the rules act on.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::feed::Direction;
use crate::phone::{parse_field, Region};
use crate::store::{Bulk, Write};
use crate::{Error, Hub, Result};

mod batch;
mod blocks;
pub(crate) mod group;
mod known;
mod refused;
mod reply;
mod rows;
use batch::{same_message, Batch, Identity, Route};
use refused::ingest_refused;
pub use refused::RefusedOutcome;
pub use reply::ReplyOutcome;

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
    /// What the provider itself did with it, when it says (Twilio's `OptOutType`): evidence of
    /// the provider's block on the sender number, whatever the campaign's provider.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_action: Option<ProviderAction>,
}

/// What the provider itself did with a reply, when it says so. The hub's rules still read the
/// reply: this is evidence of the provider's block, not a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderAction {
    /// The provider took the reply as an opt-out (STOP) and blocks the sender number.
    OptedOut,
    /// The provider took the reply as an opt-in (START) and lifted its block.
    OptedIn,
    /// The provider answered a HELP request.
    Help,
}

/// A send the provider refused because the contact opted out at the provider (Twilio error
/// 21610, Telnyx 40300, Bandwidth 4775): the provider blocks that sender number, and the account
/// then opts the contact out (the deferred case of the rules' table).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefusedSend {
    /// The provider's id for the message it refused; the same id twice is one refusal.
    pub provider_message_id: String,
    /// Who refused it: `twilio`, `telnyx`, `bandwidth`, or another provider's name.
    pub provider: String,
    /// The sender number it was sent from.
    pub sender_phone: String,
    /// The contact.
    pub contact_phone: String,
    /// The provider's error code, as it wrote it.
    #[serde(default)]
    pub error_code: Option<String>,
    /// When (default: now).
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
    /// For a send the provider refused: what the hub recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refused: Option<RefusedOutcome>,
}

pub(super) fn check_id(id: &str) -> Result<()> {
    if id.trim().is_empty() || id.len() > 200 {
        return Err(Error::field("provider_message_id", "must be 1 to 200 characters"));
    }
    Ok(())
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
        self.ingest_events(events, name_index, false).await?.into_iter().collect()
    }

    /// Ingests `events` in one transaction, each on its own: one that cannot be read (a bad
    /// number, a sender no campaign sends from) gets its error and is left out, and the rest go
    /// in. What the providers' callbacks use, many requests to one commit.
    ///
    /// # Errors
    /// A failure of the database, for the whole group.
    pub(crate) async fn ingest_each(&self, events: &[Event]) -> Result<Vec<Result<Ingested>>> {
        self.ingest_events(events, false, true).await
    }

    /// With `each`, an event that cannot be read is answered its error and left out; without,
    /// it fails the batch.
    async fn ingest_events(&self, events: &[Event], name_index: bool, each: bool) -> Result<Vec<Result<Ingested>>> {
        let mut write = self.write().await?;
        let out = ingest_into(&mut write, events, name_index, each).await?;
        write.commit().await?;
        Ok(out)
    }

    /// As [`Hub::ingest_batch`], on a connection of the bulk writer: how the demo writes its
    /// traffic into a new hub.
    pub(crate) async fn ingest_bulk(bulk: &mut Bulk, events: &[Event]) -> Result<()> {
        let mut write = bulk.write().await?;
        ingest_into(&mut write, events, true, false).await?.into_iter().collect::<Result<Vec<_>>>()?;
        write.commit().await?;
        bulk.committed().await
    }
}

/// Ingests `events` in `write`, which the caller commits.
async fn ingest_into(
    write: &mut Write<'_>,
    events: &[Event],
    name_index: bool,
    each: bool,
) -> Result<Vec<Result<Ingested>>> {
    let named = |i: usize, error: Error| match error {
        Error::InvalidPhone { field, value, reason } if name_index => {
            Error::InvalidPhone { field: format!("events[{i}].{field}"), value, reason }
        }
        Error::InvalidField { field, message } if name_index => {
            Error::InvalidField { field: format!("events[{i}].{field}"), message }
        }
        other => other,
    };
    let mut batch = Batch::begin(write, events).await?;
    // Every event read and checked first, with the route of its sender number: a bad one
    // fails the batch before anything is written.
    let (mut read, mut unread) = (Vec::with_capacity(events.len()), Vec::new());
    // Where in `read` each provider message id was first used in this batch.
    let mut first_use: HashMap<&str, usize> = HashMap::new();
    for (i, event) in events.iter().enumerate() {
        let checked = match Read::of(write, &mut batch, event).await {
            Ok(r) => r.same_as_first(&batch, first_use.get(r.event.id()).map(|&j| &read[j])).map(|()| r),
            Err(error) => Err(error),
        };
        match checked.map_err(|e| named(i, e)) {
            Ok(r) => {
                first_use.entry(r.event.id()).or_insert(read.len());
                read.push(r);
            }
            Err(error) if each && error.is_client_error() => unread.push((i, error)),
            Err(error) => return Err(error),
        }
    }
    // Then each kind of row for the whole batch at once; a provider message id the hub (or
    // this batch) has seen is answered as it was the first time.
    let mut firsts = std::collections::HashSet::new();
    let fresh: Vec<&Read<'_>> =
        read.iter().filter(|r| r.message().is_some() && !r.answered && firsts.insert(r.key.as_str())).collect();
    let wanted: Vec<rows::Wanted<'_>> = fresh
        .iter()
        .map(|r| rows::Wanted { sender: &r.sender, contact: &r.contact, name: r.name(), route: &r.route })
        .collect();
    rows::conversations(write, &mut batch, &wanted).await?;
    let messages: Vec<rows::NewMessage<'_>> = fresh
        .iter()
        .filter_map(|r| {
            let (direction, body, at) = r.message()?;
            let conversation_id = batch.conversations[&(r.sender.clone(), r.contact.clone())].id;
            Some(rows::NewMessage { conversation_id, provider_message_id: &r.key, direction, body, at })
        })
        .collect();
    let ids = rows::messages(write, &messages).await?;
    let message_ids: std::collections::HashMap<&str, i64> = fresh.iter().map(|r| r.key.as_str()).zip(ids).collect();
    // Last, what the rules make of each reply, in order, knowing what the record says about
    // the contacts who replied.
    let mut replied: Vec<&str> =
        read.iter().filter(|r| !matches!(r.event, Event::Outgoing(_))).map(|r| r.contact.as_str()).collect();
    replied.sort_unstable();
    replied.dedup();
    batch.known = known::Known::read(write, &replied).await?;
    let mut out = Vec::with_capacity(events.len());
    for (i, r) in read.iter().enumerate() {
        if let Some(done) = batch.answers.get(&r.key) {
            out.push(done.clone());
            continue;
        }
        let ingested = match r.event {
            Event::Outgoing(_) => {
                let conversation_id = batch.conversations[&(r.sender.clone(), r.contact.clone())].id;
                Ingested { message_id: message_ids[r.key.as_str()], conversation_id, reply: None, refused: None }
            }
            Event::Reply(reply) => {
                let message_id = message_ids[r.key.as_str()];
                let route = r.route.clone();
                reply::decide_reply(write, &mut batch, route, (&r.sender, &r.contact), reply, message_id)
                    .await
                    .map_err(|e| named(i, e))?
            }
            Event::Refused(refused) => {
                ingest_refused(write, &mut batch, r.route.clone(), (&r.sender, &r.contact), refused)
                    .await
                    .map_err(|e| named(i, e))?
            }
        };
        out.push(ingested.clone());
        batch.answered(&r.key, ingested);
    }
    batch.known.write_flags(write, None).await?;
    batch.remember(write).await?;
    let mut out: Vec<Result<Ingested>> = out.into_iter().map(Ok).collect();
    for (i, error) in unread {
        out.insert(i, Err(error));
    }
    Ok(out)
}

/// An event read and checked: its numbers as E.164 and the route of its sender number.
struct Read<'e> {
    event: &'e Event,
    key: String,
    sender: String,
    contact: String,
    route: Route,
    /// Whether the hub answered it before this batch.
    answered: bool,
}

impl<'e> Read<'e> {
    async fn of(write: &mut Write<'_>, batch: &mut Batch, event: &'e Event) -> Result<Read<'e>> {
        let (id, sender, contact) = match event {
            Event::Outgoing(m) => (&m.provider_message_id, &m.sender_phone, &m.contact_phone),
            Event::Reply(r) => (&r.provider_message_id, &r.sender_phone, &r.contact_phone),
            Event::Refused(r) => (&r.provider_message_id, &r.sender_phone, &r.contact_phone),
        };
        check_id(id)?;
        // A batch has thousands of events from a handful of sender numbers.
        let sender = match batch.senders.get(sender) {
            Some(known) => known.clone(),
            None => {
                let parsed = parse_field("sender_phone", sender, Region::US)?;
                batch.senders.insert(sender.clone(), parsed.clone());
                parsed
            }
        };
        let contact = parse_field("contact_phone", contact, Region::of_number(&sender))?;
        let key = event.key();
        let answered = batch.answers.contains_key(&key);
        let route = batch.route(write, &sender).await?;
        Ok(Read { event, key, sender, contact, route, answered })
    }

    /// Refuses a message whose provider id already names another one, recorded before this
    /// batch or `earlier` in it.
    fn same_as_first(&self, batch: &Batch, earlier: Option<&Read<'_>>) -> Result<()> {
        let Some(again) = self.identity() else { return Ok(()) };
        match (batch.recorded.get(&self.key), earlier.and_then(Read::identity)) {
            (Some(recorded), _) => same_message(recorded.identity(), again),
            (None, Some(first)) => same_message(first, again),
            (None, None) => Ok(()),
        }
    }

    /// What a message must repeat to be the same one again.
    fn identity(&self) -> Option<Identity<'_>> {
        let (direction, body, _) = self.message()?;
        Some((direction, &self.sender, &self.contact, body))
    }

    /// The message the event records: its direction, text and time.
    fn message(&self) -> Option<(Direction, &'e str, Option<DateTime<Utc>>)> {
        match self.event {
            Event::Outgoing(m) => Some((Direction::Outgoing, &m.body, m.at)),
            Event::Reply(r) => Some((Direction::Incoming, &r.body, r.at)),
            Event::Refused(_) => None,
        }
    }

    /// The contact's name, when the platform gave one.
    fn name(&self) -> Option<&'e str> {
        match self.event {
            Event::Outgoing(m) => m.contact_name.as_deref().map(str::trim).filter(|n| !n.is_empty()),
            _ => None,
        }
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
    /// A send the provider refused: the contact opted out at the provider.
    Refused(RefusedSend),
}

impl Event {
    /// The provider's id for the event, as sent.
    fn id(&self) -> &str {
        match self {
            Event::Outgoing(m) => &m.provider_message_id,
            Event::Reply(r) => &r.provider_message_id,
            Event::Refused(r) => &r.provider_message_id,
        }
    }

    /// The name under which the hub remembers its answer: the same event again gets it back.
    pub(crate) fn key(&self) -> String {
        match self {
            Event::Refused(_) => format!("{}#refused", self.id()),
            _ => self.id().to_owned(),
        }
    }
}
