//! The rows every event of a batch writes: its contact, its conversation and its message, each
//! kind in one statement for the whole batch.
//!
//! A statement costs the hub a round trip to the database's thread (SQLite) or server
//! (PostgreSQL); on two cores, ingesting one event a few statements at a time spent most of its
//! time switching threads. Only replies that the rules act on (an opt-out, a block, a flag) still
//! write statements of their own, through the same functions commands use.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::batch::{Batch, Conversation, Route};
use crate::feed::{Changed, Direction, Message};
use crate::model::time;
use crate::store::{insert_rows, Bind, Write};
use crate::Result;

/// A conversation an event needs: its sender number, contact, the contact's name if the platform
/// gave one, and the route of its sender number.
pub(super) struct Wanted<'a> {
    pub(super) sender: &'a str,
    pub(super) contact: &'a str,
    pub(super) name: Option<&'a str>,
    pub(super) route: &'a Route,
}

/// Finds or starts the conversation of each of `wanted` (in order; repeats allowed), with how
/// many replies each existing one has had when `replies` says it matters, into `batch`.
pub(super) async fn conversations(write: &mut Write<'_>, batch: &mut Batch, wanted: &[Wanted<'_>]) -> Result<()> {
    let mut unknown: Vec<&Wanted<'_>> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for w in wanted {
        let key = (w.sender.to_owned(), w.contact.to_owned());
        if !batch.conversations.contains_key(&key) && seen.insert(key) {
            unknown.push(w);
        }
    }
    if unknown.is_empty() {
        return Ok(());
    }
    let pairs: Vec<(&str, &str)> = unknown.iter().map(|w| (w.sender, w.contact)).collect();
    let found: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(&format!(
        "SELECT v.id, v.campaign_id, v.sender_phone, v.contact_phone, \
           (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = v.id AND m.direction = 'incoming') \
         FROM {} JOIN conversations v ON v.sender_phone = n.value ->> 0 AND v.contact_phone = n.value ->> 1",
        write.backend.json_values("$1")
    ))
    .bind(serde_json::to_string(&pairs)?)
    .fetch_all(&mut *write.tx)
    .await?;
    for (id, campaign_id, sender, contact, replies) in found {
        batch.conversations.insert((sender, contact), Conversation { id, campaign_id, replies: Some(replies) });
    }
    let new: Vec<&Wanted<'_>> = unknown
        .into_iter()
        .filter(|w| !batch.conversations.contains_key(&(w.sender.to_owned(), w.contact.to_owned())))
        .collect();
    if new.is_empty() {
        return Ok(());
    }
    let now = write.now;
    let contacts: Vec<Bind<'_>> =
        new.iter().flat_map(|w| [Bind::Text(Some(w.contact)), Bind::Text(w.name), Bind::Int(Some(now))]).collect();
    let head = "INSERT INTO contacts (phone, name, created_at)";
    insert_rows(&mut write.tx, write.backend, head, "ON CONFLICT (phone) DO NOTHING", 3, &contacts).await?;
    let rows: Vec<Bind<'_>> = new
        .iter()
        .flat_map(|w| {
            [
                Bind::Int(Some(w.route.campaign_id)),
                Bind::Text(Some(w.sender)),
                Bind::Text(Some(w.contact)),
                Bind::Int(Some(now)),
            ]
        })
        .collect();
    let head = "INSERT INTO conversations (campaign_id, sender_phone, contact_phone, created_at)";
    let made =
        insert_rows(&mut write.tx, write.backend, head, "RETURNING id, sender_phone, contact_phone", 4, &rows).await?;
    let ids = made
        .iter()
        .map(|row| Ok(((row.try_get(1)?, row.try_get(2)?), row.try_get(0)?)))
        .collect::<Result<HashMap<(String, String), i64>>>()?;
    for w in new {
        let key = (w.sender.to_owned(), w.contact.to_owned());
        let id = ids[&key];
        write.publish(&Changed::Conversation(crate::feed::Conversation {
            id,
            campaign_id: w.route.campaign_id,
            account: w.route.account.name.clone(),
            sender_phone: w.sender.to_owned(),
            contact_phone: w.contact.to_owned(),
            contact_name: w.name.map(str::to_owned),
        }))?;
        batch.conversations.insert(key, Conversation { id, campaign_id: w.route.campaign_id, replies: Some(0) });
    }
    Ok(())
}

/// A message to record.
pub(super) struct NewMessage<'a> {
    pub(super) conversation_id: i64,
    pub(super) provider_message_id: &'a str,
    pub(super) direction: Direction,
    pub(super) body: &'a str,
    pub(super) at: Option<DateTime<Utc>>,
}

/// Records `messages` in one statement and publishes each, in order; answers their ids.
pub(super) async fn messages(write: &mut Write<'_>, messages: &[NewMessage<'_>]) -> Result<Vec<i64>> {
    if messages.is_empty() {
        return Ok(Vec::new());
    }
    let now = write.now;
    let at = |m: &NewMessage<'_>| m.at.map_or(now, |t| t.timestamp_micros());
    let rows: Vec<Bind<'_>> = messages
        .iter()
        .flat_map(|m| {
            [
                Bind::Int(Some(m.conversation_id)),
                Bind::Text(Some(m.provider_message_id)),
                Bind::Text(Some(m.direction.as_str())),
                Bind::Text(Some(m.body)),
                Bind::Int(Some(at(m))),
            ]
        })
        .collect();
    let head = "INSERT INTO messages (conversation_id, provider_message_id, direction, body, at)";
    let made = insert_rows(&mut write.tx, write.backend, head, "RETURNING id, provider_message_id", 5, &rows).await?;
    let ids = made
        .iter()
        .map(|row| Ok((row.try_get::<String, _>(1)?, row.try_get::<i64, _>(0)?)))
        .collect::<Result<HashMap<String, i64>>>()?;
    let mut out = Vec::with_capacity(messages.len());
    for m in messages {
        let id = ids[m.provider_message_id];
        let at = time(at(m))?;
        write.publish(&Changed::Message(Message {
            id,
            conversation_id: m.conversation_id,
            direction: m.direction,
            body: m.body.to_owned(),
            at,
        }))?;
        out.push(id);
    }
    Ok(out)
}
