//! The rows every event of a batch writes: its contact, its conversation and its message, each
//! kind in one statement for the whole batch.
//!
//! A statement costs the hub a round trip to the database's thread (SQLite) or server
//! (PostgreSQL); on two cores, ingesting one event a few statements at a time spent most of its
//! time switching threads. Only replies that the rules act on (an opt-out, a block, a flag) still
//! write statements of their own, through the same functions commands use.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::batch::{Batch, Conversation, Route};
use crate::feed::{Changed, Direction, Message};
use crate::model::time;
use crate::store::Write;
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
    for w in wanted {
        let key = (w.sender.to_owned(), w.contact.to_owned());
        if !batch.conversations.contains_key(&key) && !unknown.iter().any(|u| u.sender == w.sender && u.contact == w.contact)
        {
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
    let contacts: Vec<(&str, Option<&str>)> = new.iter().map(|w| (w.contact, w.name)).collect();
    sqlx::query(&format!(
        "INSERT INTO contacts (phone, name, created_at) SELECT n.value ->> 0, n.value ->> 1, $2 FROM {} \
         WHERE true ON CONFLICT (phone) DO NOTHING",
        write.backend.json_values("$1")
    ))
    .bind(serde_json::to_string(&contacts)?)
    .bind(write.now)
    .execute(&mut *write.tx)
    .await?;
    let rows: Vec<(i64, &str, &str)> = new.iter().map(|w| (w.route.campaign_id, w.sender, w.contact)).collect();
    let made: Vec<(i64, String, String)> = sqlx::query_as(&format!(
        "INSERT INTO conversations (campaign_id, sender_phone, contact_phone, created_at) \
         SELECT CAST(n.value ->> 0 AS BIGINT), n.value ->> 1, n.value ->> 2, $2 FROM {} \
         RETURNING id, sender_phone, contact_phone",
        write.backend.json_values("$1")
    ))
    .bind(serde_json::to_string(&rows)?)
    .bind(write.now)
    .fetch_all(&mut *write.tx)
    .await?;
    let ids: HashMap<(String, String), i64> = made.into_iter().map(|(id, s, c)| ((s, c), id)).collect();
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
    let rows: Vec<(i64, &str, &str, &str, i64)> = messages
        .iter()
        .map(|m| {
            let at = m.at.map_or(write.now, |t| t.timestamp_micros());
            (m.conversation_id, m.provider_message_id, m.direction.as_str(), m.body, at)
        })
        .collect();
    let made: Vec<(i64, String)> = sqlx::query_as(&format!(
        "INSERT INTO messages (conversation_id, provider_message_id, direction, body, at) \
         SELECT CAST(n.value ->> 0 AS BIGINT), n.value ->> 1, n.value ->> 2, n.value ->> 3, CAST(n.value ->> 4 AS BIGINT) \
         FROM {} RETURNING id, provider_message_id",
        write.backend.json_values("$1")
    ))
    .bind(serde_json::to_string(&rows)?)
    .fetch_all(&mut *write.tx)
    .await?;
    let ids: HashMap<String, i64> = made.into_iter().map(|(id, key)| (key, id)).collect();
    let mut out = Vec::with_capacity(messages.len());
    for (m, (conversation_id, _, _, _, at)) in messages.iter().zip(&rows) {
        let id = ids[m.provider_message_id];
        write.publish(&Changed::Message(Message {
            id,
            conversation_id: *conversation_id,
            direction: m.direction,
            body: m.body.to_owned(),
            at: time(*at)?,
        }))?;
        out.push(id);
    }
    Ok(out)
}
