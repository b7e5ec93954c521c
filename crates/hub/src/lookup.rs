//! Reading the record: one number in full, and the opt-out list page by page.

use std::sync::LazyLock;

use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::model::{stored_provider, time, Actor, AuditEntry, OptOut, ProviderBlock, Source};
use crate::page::PageCursor;
use crate::phone::{parse_field, Region};
use crate::records::{opt_out_from, OPT_OUT_COLUMNS};
use crate::{Error, Hub, Result};

/// Everything the hub knows about one number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lookup {
    /// The number, E.164.
    pub phone: String,
    /// Its status in every account.
    pub accounts: Vec<AccountStatus>,
    /// Provider blocks per sender number, in force or lifted.
    pub provider_blocks: Vec<ProviderBlock>,
    /// Its conversations, newest first.
    pub conversations: Vec<ConversationSummary>,
    /// Every opt-out, opt-in and provider block, oldest first.
    pub history: Vec<AuditEntry>,
}

/// A number's standing in one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountStatus {
    /// The account.
    pub account: String,
    /// The opt-out in force, if any.
    pub opt_out: Option<OptOut>,
}

/// A conversation, without its messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConversationSummary {
    /// The hub's id.
    pub id: i64,
    /// The account.
    pub account: String,
    /// The campaign.
    pub campaign: String,
    /// Its campaign's provider, written as its number.
    #[serde(with = "crate::provider_number")]
    pub provider: optout_rules::Provider,
    /// The sender number.
    pub sender_phone: String,
    /// Why an admin should look, if they should.
    pub review_reason: Option<String>,
    /// When an open flag must be settled by.
    #[serde(default)]
    pub review_due_at: Option<DateTime<Utc>>,
    /// The latest message, if any.
    pub last_message: Option<String>,
    /// How many messages it holds.
    pub messages: i64,
}

/// Which opt-outs to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptOutFilter {
    /// One account only.
    pub account: Option<String>,
    /// One campaign only: opt-outs of numbers that have a conversation in it.
    pub campaign: Option<String>,
    /// One source only.
    pub source: Option<Source>,
    /// Recorded at or after.
    pub from: Option<DateTime<Utc>>,
    /// Recorded before.
    pub to: Option<DateTime<Utc>>,
    /// Numbers starting with this (`+44`, `+1415`).
    pub phone_prefix: Option<String>,
    /// Include reversed opt-outs too.
    #[serde(default)]
    pub include_reversed: bool,
}

/// One page of opt-outs, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptOutPage {
    /// The opt-outs.
    pub opt_outs: Vec<OptOut>,
    /// Pass this back for the next page; `None` on the last page.
    pub next: Option<String>,
}

enum Arg {
    Text(String),
    Number(i64),
}

/// SQL conditions for a filter, with their bound values in order (`$1`, `$2`, …).
pub(crate) struct Conditions {
    pub sql: String,
    args: Vec<Arg>,
}

impl Conditions {
    fn push(&mut self, clause: &str, arg: Arg) {
        self.args.push(arg);
        self.sql.push_str(&clause.replace('?', &format!("${}", self.args.len())));
    }

    fn text(&mut self, clause: &str, value: String) {
        self.push(clause, Arg::Text(value));
    }

    pub(crate) fn number(&mut self, clause: &str, value: i64) {
        self.push(clause, Arg::Number(value));
    }

    pub(crate) fn bind<'q>(
        &'q self,
        mut query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        for arg in &self.args {
            query = match arg {
                Arg::Text(text) => query.bind(text.as_str()),
                Arg::Number(number) => query.bind(*number),
            };
        }
        query
    }
}

/// The `WHERE` clause of a filter over `opt_outs o JOIN accounts a`.
pub(crate) fn conditions(filter: &OptOutFilter) -> Result<Conditions> {
    let mut c = Conditions { sql: String::from(" WHERE 1 = 1"), args: Vec::new() };
    if !filter.include_reversed {
        c.sql.push_str(" AND o.reversed_at IS NULL");
    }
    if let Some(account) = &filter.account {
        c.text(" AND a.name = ?", account.clone());
    }
    if let Some(campaign) = &filter.campaign {
        c.text(
            " AND EXISTS (SELECT 1 FROM conversations v JOIN campaigns k ON k.id = v.campaign_id \
             WHERE v.contact_phone = o.phone AND k.account_id = o.account_id AND k.name = ?)",
            campaign.clone(),
        );
    }
    if let Some(source) = filter.source {
        c.text(" AND o.source = ?", source.as_str().to_owned());
    }
    if let Some(from) = filter.from {
        c.number(" AND o.created_at >= ?", from.timestamp_micros());
    }
    if let Some(to) = filter.to {
        c.number(" AND o.created_at < ?", to.timestamp_micros());
    }
    if let Some(prefix) = &filter.phone_prefix {
        let prefix = prefix.trim();
        if !prefix.starts_with('+') || !prefix[1..].bytes().all(|b| b.is_ascii_digit()) {
            return Err(Error::field("phone_prefix", "must be + and digits, like +1415 or +44"));
        }
        // A range, not LIKE, so that both databases use the phone index.
        c.text(" AND o.phone >= ?", prefix.to_owned());
        c.text(" AND o.phone < ?", format!("{prefix}:"));
    }
    Ok(c)
}

/// Up to `limit` rows that `filter` selects, in (time, id) order (`newest_first` or oldest
/// first), after the keyset position `after`; `read` fetches up to so many rows for a set of
/// conditions, in that order.
///
/// After a position, the rows at its time past its id are read first, then those at later
/// times (for `newest_first`, earlier ones): each is one index seek. As a single row value,
/// `(o.created_at, o.id) > (?, ?)`, SQLite seeks on the time alone and then filters every row
/// at that time, and all the rows of an import batch (200,000) share one: a page deep in such
/// a batch read every row before it.
pub(crate) async fn read_after<'a, T>(
    filter: &OptOutFilter,
    after: Option<PageCursor>,
    newest_first: bool,
    limit: usize,
    mut read: impl FnMut(Conditions, usize) -> BoxFuture<'a, Result<Vec<T>>>,
) -> Result<Vec<T>> {
    let Some(PageCursor { at, id }) = after else { return read(conditions(filter)?, limit).await };
    let op = if newest_first { "<" } else { ">" };
    let mut same_time = conditions(filter)?;
    same_time.number(" AND o.created_at = ?", at);
    same_time.number(&format!(" AND o.id {op} ?"), id);
    let mut rows = read(same_time, limit).await?;
    if rows.len() < limit {
        let mut past_it = conditions(filter)?;
        past_it.number(&format!(" AND o.created_at {op} ?"), at);
        rows.extend(read(past_it, limit - rows.len()).await?);
    }
    Ok(rows)
}

/// The audit lines about a number: those about its opt-outs, found through them (the in-force
/// and the reversed ones), and the others (provider blocks) by phone; oldest first.
static HISTORY: LazyLock<String> = LazyLock::new(|| {
    let line = "SELECT l.id, l.at, l.actor, l.action, a.name AS account, l.phone, l.sender_phone, l.source, \
                l.evidence, l.reason, l.opt_out_id, l.command_id, l.rule_set FROM";
    let through = "opt_outs o JOIN audit_log l ON l.opt_out_id = o.id LEFT JOIN accounts a ON a.id = l.account_id";
    format!(
        "{line} {through} WHERE o.phone = $1 AND o.reversed_at IS NULL \
         UNION ALL {line} {through} WHERE o.phone = $1 AND o.reversed_at IS NOT NULL \
         UNION ALL {line} audit_log l LEFT JOIN accounts a ON a.id = l.account_id \
           WHERE l.phone = $1 AND l.opt_out_id IS NULL \
         ORDER BY 1"
    )
});

impl Hub {
    /// Everything about one number: its status in each account, provider blocks, conversations and
    /// history.
    ///
    /// # Errors
    /// [`Error::InvalidPhone`]; [`Error::Refused`] (`forbidden`) for anybody but an admin.
    pub async fn lookup(&self, actor: &Actor, phone: &str, region: Region) -> Result<Lookup> {
        actor.admin_only("look a number up")?;
        let phone = parse_field("phone", phone, region)?;
        // Five reads, each on its own connection at once: on PostgreSQL a lookup then costs one
        // round trip's wait instead of five.
        let (opt_outs, accounts, provider_blocks, conversations, history) = tokio::try_join!(
            self.opt_outs_in_force(&phone),
            self.accounts(),
            self.provider_blocks_of(&phone),
            self.conversations_of(&phone),
            self.history_of(&phone),
        )?;
        let accounts = accounts
            .into_iter()
            .map(|a| AccountStatus { opt_out: opt_outs.iter().find(|o| o.account == a.name).cloned(), account: a.name })
            .collect();
        Ok(Lookup { phone, accounts, provider_blocks, conversations, history })
    }

    async fn opt_outs_in_force(&self, phone: &str) -> Result<Vec<OptOut>> {
        let rows = sqlx::query(&format!(
            "SELECT {OPT_OUT_COLUMNS} WHERE o.phone = $1 AND o.reversed_at IS NULL ORDER BY a.name"
        ))
        .bind(phone)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(opt_out_from).collect()
    }

    async fn provider_blocks_of(&self, phone: &str) -> Result<Vec<ProviderBlock>> {
        let blocks = sqlx::query(
            "SELECT id, sender_phone, contact_phone, created_at, lifted_at FROM provider_blocks \
             WHERE contact_phone = $1 ORDER BY id",
        )
        .bind(phone)
        .fetch_all(&self.pool)
        .await?;
        blocks
            .iter()
            .map(|r| {
                Ok(ProviderBlock {
                    id: r.try_get("id")?,
                    sender_phone: r.try_get("sender_phone")?,
                    contact_phone: r.try_get("contact_phone")?,
                    created_at: time(r.try_get("created_at")?)?,
                    lifted_at: r.try_get::<Option<i64>, _>("lifted_at")?.map(time).transpose()?,
                })
            })
            .collect()
    }

    async fn conversations_of(&self, phone: &str) -> Result<Vec<ConversationSummary>> {
        sqlx::query(
            "SELECT v.id, a.name AS account, c.name AS campaign, c.provider, v.sender_phone, v.review_reason, \
               v.review_due_at, \
               (SELECT m.body FROM messages m WHERE m.conversation_id = v.id ORDER BY m.id DESC LIMIT 1) AS last, \
               (SELECT COUNT(*) FROM messages m WHERE m.conversation_id = v.id) AS messages \
             FROM conversations v JOIN campaigns c ON c.id = v.campaign_id JOIN accounts a ON a.id = c.account_id \
             WHERE v.contact_phone = $1 ORDER BY v.id DESC",
        )
        .bind(phone)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(ConversationSummary {
                id: r.try_get("id")?,
                account: r.try_get("account")?,
                campaign: r.try_get("campaign")?,
                provider: stored_provider(r.try_get("provider")?)?,
                sender_phone: r.try_get("sender_phone")?,
                review_reason: r.try_get("review_reason")?,
                review_due_at: r.try_get::<Option<i64>, _>("review_due_at")?.map(time).transpose()?,
                last_message: r.try_get("last")?,
                messages: r.try_get("messages")?,
            })
        })
        .collect()
    }

    /// Every audit line about the number, oldest first.
    async fn history_of(&self, phone: &str) -> Result<Vec<AuditEntry>> {
        sqlx::query(&HISTORY)
            .bind(phone)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.try_get("id")?,
                    at: time(r.try_get("at")?)?,
                    actor: r.try_get("actor")?,
                    action: r.try_get("action")?,
                    account: r.try_get("account")?,
                    phone: r.try_get("phone")?,
                    sender_phone: r.try_get("sender_phone")?,
                    source: r.try_get("source")?,
                    evidence: r.try_get("evidence")?,
                    reason: r.try_get("reason")?,
                    opt_out_id: r.try_get("opt_out_id")?,
                    command_id: r.try_get("command_id")?,
                    rule_set: r.try_get("rule_set")?,
                })
            })
            .collect()
    }

    /// One page of the opt-out list, newest first.
    ///
    /// Keyset pagination on (time, id): each page is an index range scan, as fast at the end of
    /// ten million rows as at the start, and a page never repeats or skips a row when new
    /// opt-outs arrive between pages.
    ///
    /// # Errors
    /// [`Error::InvalidField`] for a bad cursor, prefix or limit; [`Error::Refused`]
    /// (`forbidden`) for anybody but an admin.
    pub async fn list_opt_outs(
        &self,
        actor: &Actor,
        filter: &OptOutFilter,
        after: Option<&str>,
        limit: u32,
    ) -> Result<OptOutPage> {
        actor.admin_only("read the opt-out list")?;
        if !(1..=1000).contains(&limit) {
            return Err(Error::field("limit", "must be 1 to 1000"));
        }
        let after = after.map(PageCursor::parse_after).transpose()?;
        let mut opt_outs = read_after(filter, after, true, limit as usize + 1, |c, wanted| {
            Box::pin(async move {
                let sql =
                    format!("SELECT {OPT_OUT_COLUMNS}{} ORDER BY o.created_at DESC, o.id DESC LIMIT {wanted}", c.sql);
                c.bind(sqlx::query(&sql)).fetch_all(&self.pool).await?.iter().map(opt_out_from).collect()
            })
        })
        .await?;
        let next = if opt_outs.len() > limit as usize {
            opt_outs.truncate(limit as usize);
            opt_outs.last().map(|o| PageCursor { at: o.created_at.timestamp_micros(), id: o.id }.to_string())
        } else {
            None
        };
        Ok(OptOutPage { opt_outs, next })
    }
}
