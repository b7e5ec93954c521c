//! US federal holidays and business days, for the review clock.
//!
//! The list is the eleven holidays of 5 U.S.C. 6103 as they stand, applied to every year, with
//! Juneteenth from 2021 when it became one. A holiday that falls on a Saturday is observed the
//! Friday before, one on a Sunday the Monday after; so New Year's Day on a Saturday is observed on
//! 31 December of the year before.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Serialize;

/// A US federal holiday.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum FederalHoliday {
    /// 1 January.
    NewYearsDay,
    /// The third Monday of January.
    MartinLutherKingJrDay,
    /// The third Monday of February (Presidents' Day).
    WashingtonsBirthday,
    /// The last Monday of May.
    MemorialDay,
    /// 19 June, from 2021.
    Juneteenth,
    /// 4 July.
    IndependenceDay,
    /// The first Monday of September.
    LaborDay,
    /// The second Monday of October.
    ColumbusDay,
    /// 11 November.
    VeteransDay,
    /// The fourth Thursday of November.
    Thanksgiving,
    /// 25 December.
    ChristmasDay,
}

impl FederalHoliday {
    /// Every federal holiday, in calendar order.
    pub const ALL: [FederalHoliday; 11] = [
        FederalHoliday::NewYearsDay,
        FederalHoliday::MartinLutherKingJrDay,
        FederalHoliday::WashingtonsBirthday,
        FederalHoliday::MemorialDay,
        FederalHoliday::Juneteenth,
        FederalHoliday::IndependenceDay,
        FederalHoliday::LaborDay,
        FederalHoliday::ColumbusDay,
        FederalHoliday::VeteransDay,
        FederalHoliday::Thanksgiving,
        FederalHoliday::ChristmasDay,
    ];

    /// The holiday's name, as a calendar prints it.
    pub fn name(self) -> &'static str {
        match self {
            FederalHoliday::NewYearsDay => "New Year's Day",
            FederalHoliday::MartinLutherKingJrDay => "Birthday of Martin Luther King, Jr.",
            FederalHoliday::WashingtonsBirthday => "Washington's Birthday",
            FederalHoliday::MemorialDay => "Memorial Day",
            FederalHoliday::Juneteenth => "Juneteenth National Independence Day",
            FederalHoliday::IndependenceDay => "Independence Day",
            FederalHoliday::LaborDay => "Labor Day",
            FederalHoliday::ColumbusDay => "Columbus Day",
            FederalHoliday::VeteransDay => "Veterans Day",
            FederalHoliday::Thanksgiving => "Thanksgiving Day",
            FederalHoliday::ChristmasDay => "Christmas Day",
        }
    }

    /// The holiday's own date in `year`, before the observed-date rule; `None` for Juneteenth
    /// before 2021 and for years beyond the calendar's range.
    pub fn date_in(self, year: i32) -> Option<NaiveDate> {
        let fixed = |month, day| NaiveDate::from_ymd_opt(year, month, day);
        let nth = |month, weekday, n| NaiveDate::from_weekday_of_month_opt(year, month, weekday, n);
        match self {
            FederalHoliday::NewYearsDay => fixed(1, 1),
            FederalHoliday::MartinLutherKingJrDay => nth(1, Weekday::Mon, 3),
            FederalHoliday::WashingtonsBirthday => nth(2, Weekday::Mon, 3),
            // The last Monday: the fifth if May has one, else the fourth.
            FederalHoliday::MemorialDay => nth(5, Weekday::Mon, 5).or_else(|| nth(5, Weekday::Mon, 4)),
            FederalHoliday::Juneteenth if year < 2021 => None,
            FederalHoliday::Juneteenth => fixed(6, 19),
            FederalHoliday::IndependenceDay => fixed(7, 4),
            FederalHoliday::LaborDay => nth(9, Weekday::Mon, 1),
            FederalHoliday::ColumbusDay => nth(10, Weekday::Mon, 2),
            FederalHoliday::VeteransDay => fixed(11, 11),
            FederalHoliday::Thanksgiving => nth(11, Weekday::Thu, 4),
            FederalHoliday::ChristmasDay => fixed(12, 25),
        }
    }

    /// The day the holiday is observed in `year`: its own date, or the weekday next to it when
    /// that falls on a weekend. New Year's Day of `year` may be observed in the year before.
    pub fn observed_in(self, year: i32) -> Option<NaiveDate> {
        let date = self.date_in(year)?;
        match date.weekday() {
            Weekday::Sat => date.checked_sub_days(Days::new(1)),
            Weekday::Sun => date.checked_add_days(Days::new(1)),
            _ => Some(date),
        }
    }
}

/// The federal holiday observed on `date`, if any.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use optout_rules::{federal_holiday, FederalHoliday};
/// let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a date");
/// assert_eq!(federal_holiday(date(2025, 11, 27)), Some(FederalHoliday::Thanksgiving));
/// // New Year's Day 2022 was a Saturday: observed on Friday 31 December 2021.
/// assert_eq!(federal_holiday(date(2021, 12, 31)), Some(FederalHoliday::NewYearsDay));
/// assert_eq!(federal_holiday(date(2025, 11, 28)), None);
/// ```
pub fn federal_holiday(date: NaiveDate) -> Option<FederalHoliday> {
    let year = date.year();
    FederalHoliday::ALL.into_iter().find(|h| {
        h.observed_in(year) == Some(date)
            || (*h == FederalHoliday::NewYearsDay && year.checked_add(1).and_then(|y| h.observed_in(y)) == Some(date))
    })
}

/// Whether `date` is a business day: a weekday that is no observed federal holiday.
///
/// # Example
/// ```
/// use chrono::NaiveDate;
/// use optout_rules::is_business_day;
/// let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).expect("a date");
/// assert!(is_business_day(date(2025, 7, 3)));
/// assert!(!is_business_day(date(2025, 7, 4)), "Independence Day");
/// assert!(!is_business_day(date(2025, 7, 5)), "a Saturday");
/// ```
pub fn is_business_day(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) && federal_holiday(date).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn the_2025_calendar() {
        let observed: Vec<NaiveDate> = FederalHoliday::ALL.iter().filter_map(|h| h.observed_in(2025)).collect();
        let expected = [
            date(2025, 1, 1),
            date(2025, 1, 20),
            date(2025, 2, 17),
            date(2025, 5, 26),
            date(2025, 6, 19),
            date(2025, 7, 4),
            date(2025, 9, 1),
            date(2025, 10, 13),
            date(2025, 11, 11),
            date(2025, 11, 27),
            date(2025, 12, 25),
        ];
        assert_eq!(observed, expected);
    }

    #[test]
    fn weekend_holidays_move_to_the_nearest_weekday() {
        let cases = [
            (date(2021, 6, 18), Some(FederalHoliday::Juneteenth)), // Saturday 19 June 2021
            (date(2021, 12, 24), Some(FederalHoliday::ChristmasDay)), // Saturday 25 December
            (date(2021, 12, 31), Some(FederalHoliday::NewYearsDay)), // Saturday 1 January 2022
            (date(2022, 1, 1), None), // the day itself: a Saturday, observed the day before
            (date(2023, 1, 2), Some(FederalHoliday::NewYearsDay)), // Sunday 1 January 2023
            (date(2026, 7, 3), Some(FederalHoliday::IndependenceDay)), // Saturday 4 July 2026
            (date(2023, 11, 10), Some(FederalHoliday::VeteransDay)), // Saturday 11 November 2023
            (date(2022, 12, 26), Some(FederalHoliday::ChristmasDay)), // Sunday 25 December 2022
            (date(2020, 6, 19), None), // before Juneteenth was a holiday
            (date(2022, 12, 30), None),
            (date(2026, 5, 25), Some(FederalHoliday::MemorialDay)), // the last Monday of May 2026
        ];
        for (day, expected) in cases {
            assert_eq!(federal_holiday(day), expected, "{day}");
        }
    }

    #[test]
    fn memorial_day_is_the_last_monday_even_in_a_five_monday_may() {
        assert_eq!(FederalHoliday::MemorialDay.date_in(2021), Some(date(2021, 5, 31)));
        assert_eq!(FederalHoliday::MemorialDay.date_in(2024), Some(date(2024, 5, 27)));
    }

    #[test]
    fn the_ends_of_the_calendar_do_not_panic() {
        for day in [NaiveDate::MIN, NaiveDate::MAX] {
            let _ = federal_holiday(day);
            let _ = is_business_day(day);
        }
    }
}
