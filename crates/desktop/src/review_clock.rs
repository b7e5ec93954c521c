//! The review flags against the clock: how many are due today or overdue, and the hub's review
//! log, every flag raised and how it was settled, for the organisation's records.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Duration, FixedOffset, Offset, Utc};
use optout_cache::ReviewCounts;
use optout_client::Link;

use crate::{Desk, Failure};

/// When the day that holds `now` ends, at `utc_offset_minutes` from UTC.
fn end_of_day(now: DateTime<Utc>, utc_offset_minutes: i32) -> DateTime<Utc> {
    let zone = FixedOffset::east_opt(utc_offset_minutes.clamp(-18 * 60, 18 * 60) * 60).unwrap_or_else(|| Utc.fix());
    let midnight = now
        .with_timezone(&zone)
        .date_naive()
        .succ_opt()
        .and_then(|tomorrow| tomorrow.and_hms_opt(0, 0, 0))
        .and_then(|midnight| midnight.and_local_timezone(zone).single());
    midnight.map_or(now + Duration::days(1), |m| m.with_timezone(&Utc))
}

impl Desk {
    /// The open review flags at `now`: how many, how many are due before the end of the day in
    /// a zone `utc_offset_minutes` from UTC (the admin's), and how many are overdue.
    ///
    /// # Errors
    /// A [`Failure`] when the cache cannot be read.
    pub async fn review_counts(&self, now: DateTime<Utc>, utc_offset_minutes: i32) -> Result<ReviewCounts, Failure> {
        Ok(self.cache.review_counts(now, end_of_day(now, utc_offset_minutes)).await?)
    }

    /// The review flags now, against this computer's day: what the sidebar shows.
    pub(crate) async fn review_counts_here(&self) -> Result<ReviewCounts, Failure> {
        let offset = chrono::Local::now().offset().local_minus_utc() / 60;
        self.review_counts(Utc::now(), offset).await
    }

    /// Writes the hub's review log from `from` to `to` (either open) to a CSV at `path`: every
    /// flag raised, and who settled it how. It is read from the hub itself, not the cache, so it
    /// needs the hub; the file appears whole or not at all.
    ///
    /// # Errors
    /// `unreachable` when the hub cannot be reached; `invalid` naming the file when it cannot
    /// be written.
    pub async fn export_review_log(
        &self,
        path: &Path,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> Result<(), Failure> {
        let csv = self.syncer.link().review_log(from, to).await?;
        let (partial, mut file) = optout_hub::Partial::create(path)?;
        let unwritten = |e: std::io::Error| Failure::invalid(&path.display().to_string(), e);
        file.write_all(csv.as_bytes()).and_then(|()| file.sync_all()).map_err(unwritten)?;
        Ok(partial.commit()?)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_day_ends_at_the_admins_midnight() {
        let evening_in_utc = Utc.with_ymd_and_hms(2026, 3, 6, 22, 30, 0).unwrap();
        assert_eq!(end_of_day(evening_in_utc, 0), Utc.with_ymd_and_hms(2026, 3, 7, 0, 0, 0).unwrap());
        // In New York (UTC-5) it is still the afternoon of the 6th: the day ends at 05:00 UTC.
        assert_eq!(end_of_day(evening_in_utc, -300), Utc.with_ymd_and_hms(2026, 3, 7, 5, 0, 0).unwrap());
        // In Berlin (UTC+1) it is half past eleven: an hour and a half to go.
        assert_eq!(end_of_day(evening_in_utc, 60), Utc.with_ymd_and_hms(2026, 3, 6, 23, 0, 0).unwrap());
        // In Helsinki (UTC+2) the 7th has begun.
        assert_eq!(end_of_day(evening_in_utc, 120), Utc.with_ymd_and_hms(2026, 3, 7, 22, 0, 0).unwrap());
    }
}
