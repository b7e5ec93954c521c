//! A list brought from another tool keeps what it says of each opt-out: the date it happened, its
//! reason and its campaign, so that the record says when and why, not "imported today".
//!
//! The columns are found by their headers, as the phone column is. A date that cannot be read
//! (or lies in the future) never costs the opt-out: the row is imported with the import's time,
//! and a warning names its line.

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};

use super::RowError;
use crate::phone::Region;

/// Header names of the date an opt-out happened, compared as the phone column's are.
const DATE_HEADERS: &[&str] =
    &["optedoutat", "optoutdate", "optedout", "unsubscribedat", "unsubscribedate", "createdat", "date", "timestamp"];

/// Header names of its reason.
const REASON_HEADERS: &[&str] = &["reason", "reasoncode", "optoutreason", "unsubscribereason"];

/// Header names of its campaign.
const CAMPAIGN_HEADERS: &[&str] = &["campaign", "campaignname", "list"];

/// Where a row's history is, when the header has it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Columns {
    pub(super) date: Option<usize>,
    pub(super) reason: Option<usize>,
    pub(super) campaign: Option<usize>,
}

impl Columns {
    /// The history columns of a header row.
    pub(super) fn of(header: &csv::StringRecord) -> Columns {
        let keys: Vec<String> = header.iter().map(header_key).collect();
        let find = |names: &[&str]| names.iter().find_map(|name| keys.iter().position(|k| k == name));
        Columns { date: find(DATE_HEADERS), reason: find(REASON_HEADERS), campaign: find(CAMPAIGN_HEADERS) }
    }

    /// Whether the file brings any history.
    pub(super) fn any(self) -> bool {
        self.date.is_some() || self.reason.is_some() || self.campaign.is_some()
    }

    /// What the columns are called in `header`, for the summary: "date (Opted Out At)".
    pub(super) fn named(self, header: &csv::StringRecord) -> Vec<String> {
        [("date", self.date), ("reason", self.reason), ("campaign", self.campaign)]
            .into_iter()
            .filter_map(|(what, column)| Some(format!("{what} ({})", header.get(column?)?.trim())))
            .collect()
    }
}

/// A row's history as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Written {
    pub(super) date: Option<String>,
    pub(super) reason: Option<String>,
    pub(super) campaign: Option<String>,
}

/// A row's history as the record keeps it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Kept {
    /// When it happened, in microseconds; `None`: the import's time.
    pub(super) created_at: Option<i64>,
    /// Why, with its campaign; `None`: the import's default reason.
    pub(super) reason: Option<String>,
}

/// The most of a reason or campaign cell kept.
const MAX_TEXT: usize = 500;

fn text(cell: &Option<String>) -> Option<String> {
    let cell = cell.as_deref()?.trim();
    (!cell.is_empty()).then(|| cell.chars().take(MAX_TEXT).collect())
}

impl Written {
    /// What the record keeps of it; a date that cannot be read is a warning, not a refusal.
    pub(super) fn kept(&self, line: u64, region: Region, now: DateTime<Utc>) -> (Kept, Option<RowError>) {
        let reason = match (text(&self.reason), text(&self.campaign)) {
            (Some(reason), Some(campaign)) => Some(format!("{reason} (campaign {campaign})")),
            (Some(reason), None) => Some(reason),
            (None, Some(campaign)) => Some(format!("Imported opt-out list (campaign {campaign})")),
            (None, None) => None,
        };
        let Some(date) = text(&self.date) else { return (Kept { created_at: None, reason }, None) };
        match read_date(&date, region).filter(|at| *at <= now) {
            Some(at) => (Kept { created_at: Some(at.timestamp_micros()), reason }, None),
            None => {
                let warning = RowError {
                    line,
                    value: date,
                    reason: "the date cannot be read (or is in the future): imported with the import's time".into(),
                };
                (Kept { created_at: None, reason }, Some(warning))
            }
        }
    }
}

/// Reads a date as lists write them: RFC 3339, `2024-03-05[ 14:30[:00]]`, the region's order of
/// day and month with slashes (`03/05/2024` is March 5th in the US, 3 May in the UK), or Unix
/// seconds or milliseconds. Times without a zone are UTC.
pub(super) fn read_date(text: &str, region: Region) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = text.parse().ok()?;
        return match text.len() {
            10 => Utc.timestamp_opt(n, 0).single(),
            13 => Utc.timestamp_millis_opt(n).single(),
            _ => None,
        };
    }
    let slashed = match region {
        Region::GB => ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y"],
        Region::US | Region::CA => ["%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y"],
    };
    for format in ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"].iter().chain(&slashed[..2]) {
        if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
            return Some(at.and_utc());
        }
    }
    for format in ["%Y-%m-%d", slashed[2]] {
        if let Ok(day) = NaiveDate::parse_from_str(text, format) {
            return day.and_hms_opt(0, 0, 0).map(|at| at.and_utc());
        }
    }
    None
}

/// A header cell as the import compares it: lower case, without spaces, `_` or `-`
/// ("Opted Out At" and "opted_out_at" are one column).
pub(super) fn header_key(header: &str) -> String {
    header.chars().filter(|c| !c.is_whitespace() && *c != '_' && *c != '-').flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_read_as_lists_write_them_and_in_the_region_s_order() {
        let at = |text, region| read_date(text, region).map(|d| d.to_rfc3339());
        assert_eq!(at("2024-03-05T14:30:00-05:00", Region::US).as_deref(), Some("2024-03-05T19:30:00+00:00"));
        assert_eq!(at("2024-03-05 14:30", Region::US).as_deref(), Some("2024-03-05T14:30:00+00:00"));
        assert_eq!(at("2024-03-05", Region::GB).as_deref(), Some("2024-03-05T00:00:00+00:00"));
        assert_eq!(at("03/05/2024", Region::US).as_deref(), Some("2024-03-05T00:00:00+00:00"));
        assert_eq!(at("03/05/2024", Region::GB).as_deref(), Some("2024-05-03T00:00:00+00:00"));
        assert_eq!(at("1709649000", Region::US).as_deref(), Some("2024-03-05T14:30:00+00:00"));
        assert_eq!(at("1709649000000", Region::US).as_deref(), Some("2024-03-05T14:30:00+00:00"));
        for bad in ["yesterday", "13/13/2024", "2024-02-30", "", "12345"] {
            assert_eq!(at(bad, Region::US), None, "{bad:?}");
        }
    }

    #[test]
    fn an_unreadable_or_future_date_keeps_the_opt_out_with_a_warning() {
        let now = Utc::now();
        let written =
            |date: &str| Written { date: Some(date.into()), reason: Some(" Texted STOP ".into()), campaign: None };
        let (kept, warning) = written("someday").kept(7, Region::US, now);
        assert_eq!((kept.created_at, kept.reason.as_deref()), (None, Some("Texted STOP")));
        assert_eq!(warning.unwrap().line, 7);
        let (kept, warning) = written("2999-01-01").kept(8, Region::US, now);
        assert!(kept.created_at.is_none() && warning.is_some(), "no opt-out happens in the future");
        let with_campaign = Written { campaign: Some("GOTV 2024".into()), ..written("2024-11-01") };
        let (kept, warning) = with_campaign.kept(9, Region::US, now);
        assert!(warning.is_none());
        assert_eq!(kept.reason.as_deref(), Some("Texted STOP (campaign GOTV 2024)"));
    }
}
