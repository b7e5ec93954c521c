//! What admins watch for deliverability: opt-outs a day by source, and each campaign's opt-out
//! rate.

use chrono::{Duration, Utc};
use optout_hub::Source;
use serde::{Deserialize, Serialize};

use crate::cache::cached_provider;
use crate::cache::micros;
use crate::{Cache, Error, Result};

/// Opt-outs recorded on one day, by source (reversed ones included: they happened).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DayOfOptOuts {
    /// The day, `YYYY-MM-DD`, in the admin's time zone.
    pub day: String,
    /// Automatic: a keyword reply.
    pub keyword_reply: i64,
    /// By hand.
    pub manual: i64,
    /// After a provider block.
    pub provider_block: i64,
    /// From imported lists.
    pub import: i64,
    /// From other systems.
    pub api: i64,
}

/// One campaign's contacts and how many of them are opted out of its account now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CampaignRate {
    /// The account.
    pub account: String,
    /// The campaign.
    pub campaign: String,
    /// Provider 1 or 2, written as its number.
    #[serde(with = "optout_hub::provider_number")]
    #[cfg_attr(feature = "ts", ts(type = "1 | 2"))]
    pub provider: optout_rules::Provider,
    /// Contacts it texted.
    pub contacts: i64,
    /// Of them, opted out of the account now.
    pub opted_out: i64,
    /// `opted_out / contacts`, 0 to 1.
    pub rate: f64,
}

/// Trends over the last days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Trends {
    /// Every day of the period, oldest first, with no gaps.
    pub days: Vec<DayOfOptOuts>,
    /// Every campaign, highest rate first.
    pub campaigns: Vec<CampaignRate>,
}

impl Cache {
    /// Opt-outs a day by source over the last `days` days (1 to 366), counted in the time zone
    /// `utc_offset_minutes` east of UTC, and every campaign's opt-out rate.
    ///
    /// # Errors
    /// [`Error::InvalidField`] naming `days` or `utc_offset_minutes` when out of range.
    pub async fn trends(&self, days: u32, utc_offset_minutes: i32) -> Result<Trends> {
        if !(1..=366).contains(&days) {
            return Err(Error::field("days", "must be 1 to 366"));
        }
        if utc_offset_minutes.abs() > 14 * 60 {
            return Err(Error::field("utc_offset_minutes", "must be within 14 hours of UTC"));
        }
        let offset = Duration::minutes(i64::from(utc_offset_minutes));
        let today = (Utc::now() + offset).date_naive();
        let first = today - Duration::days(i64::from(days) - 1);
        let since = first.and_hms_opt(0, 0, 0).map(|t| t.and_utc() - offset).unwrap_or_else(Utc::now);
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT date(created_at / 1000000 + ?, 'unixepoch') AS day, source, COUNT(*) FROM opt_outs \
             WHERE created_at >= ? GROUP BY day, source",
        )
        .bind(offset.num_seconds())
        .bind(micros(since))
        .fetch_all(&self.pool)
        .await?;
        let mut series: Vec<DayOfOptOuts> = (0..days)
            .map(|n| DayOfOptOuts { day: (first + Duration::days(i64::from(n))).to_string(), ..Default::default() })
            .collect();
        for (day, source, count) in rows {
            let Some(slot) = series.iter_mut().find(|d| d.day == day) else { continue };
            let source = Source::parse(&source).map_err(|e| Error::Protocol(e.to_string()))?;
            *match source {
                // The hub records no opt-out from a plain request by itself, but a reply is a reply.
                Source::KeywordReply | Source::Reply => &mut slot.keyword_reply,
                Source::Manual => &mut slot.manual,
                Source::ProviderBlock => &mut slot.provider_block,
                Source::Import => &mut slot.import,
                Source::Api => &mut slot.api,
            } += count;
        }
        let rows: Vec<(String, String, i64, i64, i64)> = sqlx::query_as(
            "SELECT k.account, k.name, k.provider, COUNT(c.id), \
               COALESCE(SUM(EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone = c.contact_phone \
                 AND o.account = c.account AND o.opt_in_id IS NULL)), 0) \
             FROM campaigns k LEFT JOIN conversations c ON c.campaign_id = k.id GROUP BY k.id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut campaigns: Vec<CampaignRate> = rows
            .into_iter()
            .map(|(account, campaign, provider, contacts, opted_out)| {
                Ok(CampaignRate {
                    account,
                    campaign,
                    provider: cached_provider(provider)?,
                    contacts,
                    opted_out,
                    rate: if contacts == 0 { 0.0 } else { opted_out as f64 / contacts as f64 },
                })
            })
            .collect::<Result<_>>()?;
        campaigns.sort_by(|a, b| b.rate.total_cmp(&a.rate).then_with(|| a.campaign.cmp(&b.campaign)));
        Ok(Trends { days: series, campaigns })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn an_empty_cache_has_a_day_for_every_day_and_refuses_bad_periods() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(&dir.path().join("c.sqlite3")).await.unwrap();
        let trends = cache.trends(30, 60).await.unwrap();
        assert_eq!(trends.days.len(), 30);
        assert!(trends.days.windows(2).all(|w| w[0].day < w[1].day));
        assert!(trends.campaigns.is_empty());
        assert!(cache.trends(0, 0).await.is_err());
        assert!(cache.trends(7, 15 * 60).await.is_err());
    }
}
