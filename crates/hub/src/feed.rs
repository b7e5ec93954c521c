//! The change feed: every change to the record, in order, for caches to follow.

use crate::model::{time, Change};
use crate::{Error, Hub, Result};

impl Hub {
    /// Up to `limit` changes after sequence number `cursor`, in order.
    ///
    /// Sequence numbers have no gaps and are handed out in commit order (see the write
    /// transaction), so a reader that passes the last `seq` it saw never skips a change.
    ///
    /// # Errors
    /// [`Error::InvalidField`] for a limit outside 1 to 10,000.
    pub async fn changes_after(&self, cursor: i64, limit: u32) -> Result<Vec<Change>> {
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
