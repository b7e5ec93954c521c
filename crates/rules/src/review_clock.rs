//! The review clock: by when an admin must settle a flagged reply.
//!
//! The FCC gives a sender ten business days from receipt to honour a request to stop, so a
//! flagged reply is due at the end of the tenth business day after the day it arrived; an account
//! may choose a shorter clock, never a longer one.
//!
//! Business days are counted in US Eastern civil dates. Weekends and federal holidays are dates,
//! so the count needs a time zone, and UTC would not do: UTC midnight falls at 7 or 8 pm Eastern,
//! so an evening reply in the US would count from the next day and get a later deadline than the
//! rule allows. Eastern is the federal government's own zone, whose calendar the holidays follow;
//! for an organisation further west it only brings the deadline a few hours earlier in its day.
//! The US daylight-saving rule in force since 2007 (second Sunday of March to first Sunday of
//! November, at 2 am) is applied to every year: the app holds no older replies, and a pure crate
//! carries no time-zone database.

use std::ops::RangeInclusive;

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeDelta, Utc, Weekday};

use crate::holidays::is_business_day;

/// The longest review clock, and the default: the FCC's ten business days.
pub const DEFAULT_REVIEW_DAYS: u32 = 10;

/// The clocks an account may choose, in business days.
pub const REVIEW_DAYS: RangeInclusive<u32> = 1..=DEFAULT_REVIEW_DAYS;

/// When a review raised at `raised_at` is due: the last second (23:59:59 Eastern) of the
/// `business_days`-th business day after the Eastern date on which it was raised.
///
/// The day it was raised never counts, so a review raised on a Saturday or on a Monday evening
/// both start counting the next business day. `business_days` outside [`REVIEW_DAYS`] is brought
/// into it: a clock of 0 days would be due before anyone could look, and more than ten is longer
/// than the rule allows. Near the end of chrono's calendar, hundreds of thousands of years away,
/// the answer is [`DateTime::<Utc>::MAX_UTC`].
///
/// # Example
/// ```
/// use chrono::{TimeZone, Utc};
/// use optout_rules::{review_due, DEFAULT_REVIEW_DAYS};
///
/// // Raised on the Friday after Thanksgiving 2025, 10 am Eastern.
/// let raised = Utc.with_ymd_and_hms(2025, 11, 28, 15, 0, 0).unwrap();
/// // Ten business days later is Friday 12 December, 23:59:59 Eastern (04:59:59 UTC the next day).
/// assert_eq!(review_due(raised, DEFAULT_REVIEW_DAYS), Utc.with_ymd_and_hms(2025, 12, 13, 4, 59, 59).unwrap());
/// // One day: Monday 1 December.
/// assert_eq!(review_due(raised, 1), Utc.with_ymd_and_hms(2025, 12, 2, 4, 59, 59).unwrap());
/// // A clock of 0 days is read as 1, and 30 as the ten the rule allows.
/// assert_eq!(review_due(raised, 0), review_due(raised, 1));
/// assert_eq!(review_due(raised, 30), review_due(raised, 10));
/// ```
pub fn review_due(raised_at: DateTime<Utc>, business_days: u32) -> DateTime<Utc> {
    let wanted = business_days.clamp(*REVIEW_DAYS.start(), *REVIEW_DAYS.end());
    let mut date = eastern_date(raised_at);
    let mut counted = 0;
    while counted < wanted {
        date = match date.checked_add_days(Days::new(1)) {
            Some(next) => next,
            None => return DateTime::<Utc>::MAX_UTC,
        };
        if is_business_day(date) {
            counted += 1;
        }
    }
    end_of_eastern_day(date).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The US Eastern civil date of an instant, as the review clock counts days.
///
/// # Example
/// ```
/// use chrono::{NaiveDate, TimeZone, Utc};
/// use optout_rules::eastern_date;
/// // 02:30 UTC on 7 March 2025 is still the evening of the 6th in New York.
/// let late = Utc.with_ymd_and_hms(2025, 3, 7, 2, 30, 0).unwrap();
/// assert_eq!(eastern_date(late), NaiveDate::from_ymd_opt(2025, 3, 6).unwrap());
/// let noon = Utc.with_ymd_and_hms(2025, 3, 7, 17, 0, 0).unwrap();
/// assert_eq!(eastern_date(noon), NaiveDate::from_ymd_opt(2025, 3, 7).unwrap());
/// ```
pub fn eastern_date(at: DateTime<Utc>) -> NaiveDate {
    let offset = if is_daylight_saving(at) { EDT } else { EST };
    // Only the first and last day of chrono's calendar can overflow; they keep their UTC date.
    at.naive_utc().checked_add_signed(offset).unwrap_or(at.naive_utc()).date()
}

/// UTC minus five hours, and minus four in summer.
const EST: TimeDelta = TimeDelta::hours(-5);
const EDT: TimeDelta = TimeDelta::hours(-4);

/// Whether daylight-saving time is in force in the Eastern zone at `at`: from 2 am EST (07:00 UTC)
/// on the second Sunday of March to 2 am EDT (06:00 UTC) on the first Sunday of November.
fn is_daylight_saving(at: DateTime<Utc>) -> bool {
    let year = at.year();
    let switch = |month, n, utc_hour| {
        NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Sun, n)
            .and_then(|d| d.and_hms_opt(utc_hour, 0, 0))
            .map(|t| t.and_utc())
    };
    match (switch(3, 2, 7), switch(11, 1, 6)) {
        (Some(start), Some(end)) => start <= at && at < end,
        _ => false,
    }
}

/// 23:59:59 Eastern on `date`, as an instant. The clocks change only on Sundays at 2 am, so the
/// offset at noon holds all evening on any day the clock can be due.
fn end_of_eastern_day(date: NaiveDate) -> Option<DateTime<Utc>> {
    let noon_utc = date.and_time(NaiveTime::from_hms_opt(17, 0, 0)?).and_utc();
    let offset = if is_daylight_saving(noon_utc) { EDT } else { EST };
    let local_end = date.and_time(NaiveTime::from_hms_opt(23, 59, 59)?);
    Some(local_end.checked_sub_signed(offset)?.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn daylight_saving_switches_at_two_in_the_morning() {
        let at = |m, d, h, min| Utc.with_ymd_and_hms(2025, m, d, h, min, 0).single().expect("an instant");
        assert!(!is_daylight_saving(at(3, 9, 6, 59)));
        assert!(is_daylight_saving(at(3, 9, 7, 0)));
        assert!(is_daylight_saving(at(11, 2, 5, 59)));
        assert!(!is_daylight_saving(at(11, 2, 6, 0)));
    }

    #[test]
    fn the_ends_of_chronos_calendar_do_not_panic() {
        for at in [DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC] {
            let _ = eastern_date(at);
            for days in [0, 1, 10, u32::MAX] {
                let _ = review_due(at, days);
            }
        }
        assert_eq!(review_due(DateTime::<Utc>::MAX_UTC, 1), DateTime::<Utc>::MAX_UTC);
    }
}
