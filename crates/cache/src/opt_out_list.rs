//! The Opt Out Manager's list: a filter, pages newest first, and how many match.

use chrono::{DateTime, Utc};
use optout_hub::{OptOut, PageCursor, Source};
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Sqlite};

use crate::cache::{opt_out, parse_cursor, OptOutRow, OPT_OUT_SELECT};
use crate::views::{page_size, phone_match, PhoneMatch};
use crate::{Cache, Result};

/// A filter over the opt-out list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OptOutQuery {
    /// One account only.
    pub account: Option<String>,
    /// One source only.
    pub source: Option<Source>,
    /// Recorded at or after.
    pub from: Option<DateTime<Utc>>,
    /// Recorded before.
    pub to: Option<DateTime<Utc>>,
    /// A number in any format, or the start of one (`+44`, `415 55`).
    pub phone: Option<String>,
    /// Reversed opt-outs too.
    #[serde(default)]
    pub include_reversed: bool,
    /// Oldest first instead of newest first.
    #[serde(default)]
    pub oldest_first: bool,
}

/// A page of the opt-out list, newest (or oldest) first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OptOutListPage {
    /// The opt-outs.
    pub opt_outs: Vec<OptOut>,
    /// Pass this back for the next page; `None` on the last.
    pub next: Option<String>,
    /// How many opt-outs match the filter, on every page.
    pub total: i64,
}

impl Cache {
    /// A page of the opt-out list, newest first (or oldest, as the query asks), and how many
    /// match in all.
    ///
    /// # Errors
    /// [`Error::InvalidField`] naming `phone` or `after` when either cannot be read.
    pub async fn opt_out_page(&self, query: &OptOutQuery, after: Option<&str>, limit: u32) -> Result<OptOutListPage> {
        let filter = OptOutSelection::new(query)?;
        let total: i64 =
            filter.select("SELECT COUNT(*) FROM opt_outs").build_query_scalar().fetch_one(&self.pool).await?;
        let after = after.map(parse_cursor).transpose()?;
        let (opt_outs, next) = self.opt_out_rows(&filter, after, page_size(limit)).await?;
        let next = next.map(|cursor| cursor.to_string());
        Ok(OptOutListPage { opt_outs, next, total })
    }

    /// Up to `limit` opt-outs that `filter` selects, in its order, after the keyset position
    /// `after`; and the position after the last, when more follow.
    pub(crate) async fn opt_out_rows(
        &self,
        filter: &OptOutSelection,
        after: Option<PageCursor>,
        limit: u32,
    ) -> Result<(Vec<OptOut>, Option<PageCursor>)> {
        let (after_op, order) = if filter.query.oldest_first { (">", "ASC") } else { ("<", "DESC") };
        // After a position, the rest of its time and then the times past it: each is one index
        // seek. As one row value, `(created_at, id) > (?, ?)`, SQLite seeks on the time alone
        // and filters every row at it, and an import batch's 200,000 rows share one.
        let parts = match after {
            None => vec![None],
            Some(position) => vec![Some((position, true)), Some((position, false))],
        };
        let wanted = limit as usize + 1;
        let mut rows: Vec<OptOutRow> = Vec::new();
        for part in parts {
            if rows.len() >= wanted {
                break;
            }
            let mut q = filter.select(OPT_OUT_SELECT);
            match part {
                Some((PageCursor { at, id }, true)) => {
                    q.push(" AND created_at = ").push_bind(at).push(format!(" AND id {after_op} ")).push_bind(id);
                }
                Some((PageCursor { at, .. }, false)) => {
                    q.push(format!(" AND created_at {after_op} ")).push_bind(at);
                }
                None => {}
            }
            q.push(format!(" ORDER BY created_at {order}, id {order} LIMIT ")).push_bind((wanted - rows.len()) as i64);
            rows.extend(q.build_query_as::<OptOutRow>().fetch_all(&self.pool).await?);
        }
        let mut opt_outs: Vec<OptOut> = rows.into_iter().map(opt_out).collect::<Result<_>>()?;
        if opt_outs.len() <= limit as usize {
            return Ok((opt_outs, None));
        }
        opt_outs.truncate(limit as usize);
        let next = opt_outs.last().map(|o| PageCursor { at: o.created_at.timestamp_micros(), id: o.id });
        Ok((opt_outs, next))
    }
}

/// An [`OptOutQuery`] checked and ready to become SQL.
pub(crate) struct OptOutSelection {
    query: OptOutQuery,
    phone: Option<PhoneMatch>,
}

impl OptOutSelection {
    /// Reads the query's phone search.
    ///
    /// # Errors
    /// [`Error::InvalidField`] naming `phone`.
    pub(crate) fn new(query: &OptOutQuery) -> Result<OptOutSelection> {
        let phone = query.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(phone_match).transpose()?;
        Ok(OptOutSelection { query: query.clone(), phone })
    }

    /// `select` (over `opt_outs`) with the `WHERE` clause of the query.
    fn select(&self, select: &str) -> QueryBuilder<'_, Sqlite> {
        let query = &self.query;
        let mut q: QueryBuilder<'_, Sqlite> = QueryBuilder::new(select);
        q.push(" WHERE 1 = 1");
        if !query.include_reversed {
            q.push(" AND opt_in_id IS NULL");
        }
        if let Some(account) = &query.account {
            q.push(" AND account = ").push_bind(account.as_str());
        }
        if let Some(source) = query.source {
            q.push(" AND source = ").push_bind(source.as_str());
        }
        if let Some(from) = query.from {
            q.push(" AND created_at >= ").push_bind(from.timestamp_micros());
        }
        if let Some(to) = query.to {
            q.push(" AND created_at < ").push_bind(to.timestamp_micros());
        }
        match &self.phone {
            Some(PhoneMatch::Exact(phone)) => {
                q.push(" AND phone = ").push_bind(phone.as_str());
            }
            Some(PhoneMatch::Prefix(prefix)) => {
                q.push(" AND phone >= ").push_bind(prefix.as_str());
                q.push(" AND phone < ").push_bind(format!("{prefix}:"));
            }
            None => {}
        }
        q
    }
}
