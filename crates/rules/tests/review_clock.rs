//! The review clock across weekends, holidays, daylight-saving changes and year ends.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use optout_rules::{eastern_date, federal_holiday, is_business_day, review_due, DEFAULT_REVIEW_DAYS};
use proptest::prelude::*;

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).single().expect("an instant")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a date")
}

/// Raised at, business days → the Eastern date it is due.
#[test]
fn due_dates_skip_weekends_and_holidays() {
    let cases = [
        // Thursday before Thanksgiving 2024, 10:00 Eastern: Thanksgiving is skipped.
        (utc(2024, 11, 21, 15, 0), 10, date(2024, 12, 6)),
        (utc(2024, 11, 27, 15, 0), 1, date(2024, 11, 29)),
        // Christmas 2021 (a Saturday) is observed on Friday the 24th, New Year's Day 2022 (also a
        // Saturday) on Friday the 31st.
        (utc(2021, 12, 23, 15, 0), 1, date(2021, 12, 27)),
        (utc(2021, 12, 23, 15, 0), 5, date(2022, 1, 3)),
        // New Year's Day 2023, a Sunday, is observed on Monday 2 January.
        (utc(2022, 12, 30, 15, 0), 1, date(2023, 1, 3)),
        // Christmas 2025 and New Year's Day 2026 both on Thursdays; the days between count.
        (utc(2025, 12, 22, 17, 0), DEFAULT_REVIEW_DAYS, date(2026, 1, 7)),
        // Independence Day 2026, a Saturday, is observed on Friday 3 July.
        (utc(2026, 7, 2, 15, 0), 1, date(2026, 7, 6)),
        // Juneteenth counts from 2021: a business day in 2020, a holiday in 2023.
        (utc(2020, 6, 18, 15, 0), 1, date(2020, 6, 19)),
        (utc(2023, 6, 16, 15, 0), 1, date(2023, 6, 20)),
        // MLK Day, Washington's Birthday, Memorial Day, Labor Day, Columbus Day, Veterans Day 2025.
        (utc(2025, 1, 17, 15, 0), 1, date(2025, 1, 21)),
        (utc(2025, 2, 14, 15, 0), 1, date(2025, 2, 18)),
        (utc(2025, 5, 23, 15, 0), 1, date(2025, 5, 27)),
        (utc(2025, 8, 29, 15, 0), 1, date(2025, 9, 2)),
        (utc(2025, 10, 10, 15, 0), 1, date(2025, 10, 14)),
        (utc(2025, 11, 10, 15, 0), 1, date(2025, 11, 12)),
        // A Saturday or Sunday counts from Monday.
        (utc(2025, 6, 7, 15, 0), 1, date(2025, 6, 9)),
        (utc(2025, 6, 8, 15, 0), 5, date(2025, 6, 13)),
        // 02:30 UTC Friday is Thursday evening in New York: day one is Friday.
        (utc(2025, 3, 7, 2, 30), 1, date(2025, 3, 7)),
        (utc(2025, 3, 7, 14, 0), 1, date(2025, 3, 10)),
    ];
    for (raised, days, due_on) in cases {
        let due = review_due(raised, days);
        assert_eq!(eastern_date(due), due_on, "raised {raised}, {days} days: due {due}");
        assert_eq!(eastern_date(due + chrono::TimeDelta::seconds(1)), due_on.succ_opt().expect("a day"), "{due}");
    }
}

#[test]
fn due_at_the_last_second_of_the_eastern_day() {
    // Daylight time: 23:59:59 EDT is 03:59:59 UTC the next day; standard time: 04:59:59 UTC.
    assert_eq!(review_due(utc(2025, 3, 7, 14, 0), 1), utc(2025, 3, 11, 3, 59) + chrono::TimeDelta::seconds(59));
    assert_eq!(review_due(utc(2025, 10, 31, 14, 0), 1), utc(2025, 11, 4, 4, 59) + chrono::TimeDelta::seconds(59));
}

#[test]
fn a_clock_outside_one_to_ten_days_is_brought_into_it() {
    let raised = utc(2025, 4, 1, 15, 0);
    assert_eq!(review_due(raised, 0), review_due(raised, 1));
    assert_eq!(review_due(raised, u32::MAX), review_due(raised, DEFAULT_REVIEW_DAYS));
    assert!(review_due(raised, 3) < review_due(raised, 4));
}

fn business_days_between(from: NaiveDate, to: NaiveDate) -> u32 {
    from.iter_days().skip(1).take_while(|d| *d <= to).filter(|d| is_business_day(*d)).count() as u32
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// From 1970 to 2200, any second, any clock: due on a business day, after it was raised, after
    /// exactly the asked number of business days.
    #[test]
    fn the_due_date_is_a_business_day_after_the_raise(seconds in 0i64..7_258_118_400, days in 0u32..=12) {
        let raised = DateTime::<Utc>::from_timestamp(seconds, 0).expect("in range");
        let due = review_due(raised, days);
        let due_on = eastern_date(due);
        prop_assert!(due > raised, "{} -> {}", raised, due);
        prop_assert!(is_business_day(due_on), "{} is no business day", due_on);
        prop_assert!(federal_holiday(due_on).is_none());
        prop_assert_eq!(business_days_between(eastern_date(raised), due_on), days.clamp(1, DEFAULT_REVIEW_DAYS));
        // At most ten business days and a few holidays and weekends: never more than three weeks.
        prop_assert!(due_on <= eastern_date(raised).checked_add_days(Days::new(21)).expect("a date"));
    }
}
