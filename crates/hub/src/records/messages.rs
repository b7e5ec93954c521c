//! Messages in a conversation.

use chrono::{DateTime, Utc};

use crate::feed::{Changed, Direction, Message};
use crate::store::Write;
use crate::Result;

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
