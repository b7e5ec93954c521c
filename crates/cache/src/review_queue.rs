//! The review queue's clock: how many flags are due today or overdue, and the queue's order by
//! due date.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite};

use optout_hub::PageCursor;

use crate::cache::{micros, parse_cursor};
use crate::{Cache, Error, Result};

/// The open review flags against the clock, for the sidebar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ReviewCounts {
    /// Every open flag.
    pub open: i64,
    /// Open flags due before today ends, not yet overdue.
    pub due_today: i64,
    /// Open flags past their due date.
    pub overdue: i64,
}

impl Cache {
    /// The open review flags at `now`: how many, how many are due before `today_ends` (the end
    /// of the admin's day) and how many are overdue. A flag without a due date (raised before
    /// flags had one) is in `open` only.
    ///
    /// # Errors
    /// [`Error::Storage`] when the cache cannot be read.
    pub async fn review_counts(&self, now: DateTime<Utc>, today_ends: DateTime<Utc>) -> Result<ReviewCounts> {
        let (open, due_today, overdue): (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COALESCE(SUM(review_due_at >= ?1 AND review_due_at < ?2), 0), \
             COALESCE(SUM(review_due_at < ?1), 0) FROM conversations WHERE review_reason IS NOT NULL",
        )
        .bind(micros(now))
        .bind(micros(today_ends))
        .fetch_one(&self.pool)
        .await?;
        Ok(ReviewCounts { open, due_today, overdue })
    }
}

/// The review queue's cursor after a flag due at `due`: `due.id`, or `none.id` for a flag raised before flags
/// had a due date. SQLite sorts those first, as the most urgent: nobody knows how long they waited.
pub(crate) fn due_cursor(due: Option<DateTime<Utc>>, id: i64) -> String {
    match due {
        Some(due) => PageCursor { at: due.timestamp_micros(), id }.to_string(),
        None => format!("none.{id}"),
    }
}

/// Narrows `q` to the rows after the review queue's cursor `after`, in the order
/// `review_due_at, id`.
pub(crate) fn push_after_due(q: &mut QueryBuilder<'_, Sqlite>, after: &str) -> Result<()> {
    if let Some(id) = after.strip_prefix("none.") {
        let id: i64 = id.parse().map_err(|_| Error::field("after", "is not a cursor this app gave out"))?;
        q.push(" AND (c.review_due_at IS NOT NULL OR c.id > ").push_bind(id).push(")");
    } else {
        let PageCursor { at: due, id } = parse_cursor(after)?;
        q.push(" AND (c.review_due_at, c.id) > (").push_bind(due).push(", ").push_bind(id).push(")");
    }
    Ok(())
}
