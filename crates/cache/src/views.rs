//! What the desktop's screens read from the cache: one number in full, and the conversations
//! page by page. The opt-out list is in `opt_out_list`.

use chrono::{DateTime, Utc};
use optout_hub::phone::e164_any;
use optout_hub::{Campaign, OptOut, PageCursor, ProviderBlock, Source, StopRequest};
use optout_rules::Provider;
use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite};

use crate::cache::{cached_provider, parse_cursor, time};
use crate::review_queue::{due_cursor, push_after_due};
use crate::{Cache, Error, Result};

/// The most rows a page may ask for.
pub const MAX_PAGE: u32 = 500;

/// A number as the desktop shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct NumberRecord {
    /// The number, E.164.
    pub phone: String,
    /// Its standing in every account, by name.
    pub accounts: Vec<AccountStanding>,
    /// The provider's blocks per sender number, in force or lifted.
    pub provider_blocks: Vec<ProviderBlock>,
    /// Its conversations, newest first.
    pub conversations: Vec<ConversationRow>,
    /// Every opt-out of the number in any account, newest first, each with the opt-in that
    /// reversed it.
    pub history: Vec<OptOut>,
    /// The requests to stop that came while the number was already opted out, oldest first;
    /// each names the opt-out it came after.
    pub requests: Vec<StopRequest>,
}

/// A number's standing in one account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccountStanding {
    /// The account.
    pub account: String,
    /// The opt-out in force, if any.
    pub opt_out: Option<OptOut>,
}

/// A conversation in a list: who, where, its latest message and the contact's status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConversationRow {
    /// The hub's id.
    pub id: i64,
    /// The account.
    pub account: String,
    /// The campaign.
    pub campaign: String,
    /// Provider 1 (US/CA) or 2 (UK), written as its number.
    #[serde(with = "optout_hub::provider_number")]
    #[cfg_attr(feature = "ts", ts(type = "1 | 2"))]
    pub provider: Provider,
    /// The sender number.
    pub sender_phone: String,
    /// The contact's number.
    pub contact_phone: String,
    /// The contact's name, as the campaign had it.
    pub contact_name: Option<String>,
    /// Why an admin should look, if the rules flagged it.
    pub review_reason: Option<String>,
    /// When the open flag was raised: the reply's time.
    pub review_raised_at: Option<DateTime<Utc>>,
    /// When the open flag must be settled by: the account's business days after it was raised.
    pub review_due_at: Option<DateTime<Utc>>,
    /// The latest message.
    pub last_message: Option<String>,
    /// When the latest message was.
    pub last_at: Option<DateTime<Utc>>,
    /// The source of the opt-out in force in the account, if the contact is opted out.
    pub opted_out: Option<Source>,
    /// Whether the provider blocks this sender number for this contact.
    pub provider_blocked: bool,
}

/// Which conversations to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ConversationView {
    /// Every conversation.
    #[default]
    All,
    /// Flagged by the rules for an admin to look at, the soonest due first.
    NeedsReview,
    /// Closed by an automatic opt-out (hidden from texters).
    AutoOptOuts,
    /// The contact is opted out of the account, for any reason.
    OptedOut,
    /// The provider blocks the sender number for the contact.
    ProviderBlocked,
}

/// A filter over conversations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConversationFilter {
    /// One account only.
    pub account: Option<String>,
    /// One campaign only, by id.
    pub campaign_id: Option<i64>,
    /// A number (any format) or part of a contact's name.
    pub search: Option<String>,
    /// Which conversations.
    #[serde(default)]
    pub view: ConversationView,
}

/// A page of conversations: newest first, or the soonest due first in the review queue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConversationPage {
    /// The conversations.
    pub conversations: Vec<ConversationRow>,
    /// Pass this back for the next page; `None` on the last.
    pub next: Option<String>,
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MessageRow {
    /// The hub's id.
    pub id: i64,
    /// `outgoing` (from the campaign) or `incoming` (the contact's reply).
    pub direction: String,
    /// The text, exactly as sent: shown as text, never as markup.
    pub body: String,
    /// When.
    pub at: DateTime<Utc>,
}

/// A conversation with its messages and the contact's standing in the account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConversationDetail {
    /// The conversation.
    pub conversation: ConversationRow,
    /// Its messages, oldest first.
    pub messages: Vec<MessageRow>,
    /// The opt-out in force in the account, with the reply and rule that caused it.
    pub opt_out: Option<OptOut>,
    /// Every opt-out of the contact in this account, newest first (to warn before an opt-in
    /// when the contact asked to stop themselves).
    pub history: Vec<OptOut>,
    /// The requests to stop that came while the contact was already opted out of this account,
    /// oldest first.
    pub requests: Vec<StopRequest>,
}

/// Reads a number written any common way, as the hub reads one an admin typed
/// ([`e164_any`]).
///
/// # Errors
/// [`Error::InvalidField`] naming `phone`, with the reason the US reading gave.
pub fn parse_any(text: &str) -> Result<String> {
    e164_any(text).map_err(|reason| Error::field("phone", reason))
}

/// What a phone search matches: one number exactly, or every number starting with some digits.
pub(crate) enum PhoneMatch {
    Exact(String),
    Prefix(String),
}

pub(crate) fn phone_match(text: &str) -> Result<PhoneMatch> {
    if let Ok(phone) = parse_any(text) {
        return Ok(PhoneMatch::Exact(phone));
    }
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    let only_number_marks = text.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    if digits.is_empty() || !only_number_marks {
        return Err(Error::field("phone", format!("{:?} is not a phone number or the start of one", text.trim())));
    }
    Ok(PhoneMatch::Prefix(format!("+{digits}")))
}

pub(crate) fn page_size(limit: u32) -> u32 {
    limit.clamp(1, MAX_PAGE)
}

const CONVERSATION_SELECT: &str = "SELECT c.id, c.account, k.name AS campaign, k.provider, c.sender_phone, \
     c.contact_phone, c.contact_name, c.review_reason, c.review_raised_at, c.review_due_at, c.last_at, \
     (SELECT m.body FROM messages m WHERE m.conversation_id = c.id ORDER BY m.at DESC, m.id DESC LIMIT 1) AS last_message, \
     (SELECT o.source FROM opt_outs o WHERE o.phone = c.contact_phone AND o.account = c.account \
       AND o.opt_in_id IS NULL ORDER BY o.id DESC LIMIT 1) AS opted_out, \
     EXISTS (SELECT 1 FROM provider_blocks b WHERE b.sender_phone = c.sender_phone \
       AND b.contact_phone = c.contact_phone AND b.lifted_at IS NULL) AS provider_blocked \
     FROM conversations c JOIN campaigns k ON k.id = c.campaign_id";

fn conversation_row(row: &SqliteRow) -> Result<ConversationRow> {
    let last_at: i64 = row.try_get("last_at")?;
    let opted_out: Option<String> = row.try_get("opted_out")?;
    let provider: i64 = row.try_get("provider")?;
    Ok(ConversationRow {
        id: row.try_get("id")?,
        account: row.try_get("account")?,
        campaign: row.try_get("campaign")?,
        provider: cached_provider(provider)?,
        sender_phone: row.try_get("sender_phone")?,
        contact_phone: row.try_get("contact_phone")?,
        contact_name: row.try_get("contact_name")?,
        review_reason: row.try_get("review_reason")?,
        review_raised_at: row.try_get::<Option<i64>, _>("review_raised_at")?.map(time).transpose()?,
        review_due_at: row.try_get::<Option<i64>, _>("review_due_at")?.map(time).transpose()?,
        last_message: row.try_get("last_message")?,
        last_at: if last_at == 0 { None } else { Some(time(last_at)?) },
        opted_out: opted_out.map(|s| Source::parse(&s).map_err(|e| Error::Protocol(e.to_string()))).transpose()?,
        provider_blocked: row.try_get("provider_blocked")?,
    })
}

impl Cache {
    /// Everything the cache holds about one number, written any common way.
    ///
    /// # Errors
    /// [`Error::InvalidField`] naming `phone` when it is not a valid number.
    pub async fn number(&self, text: &str) -> Result<NumberRecord> {
        let phone = parse_any(text)?;
        let history = self.opt_outs_of(&phone).await?;
        let accounts = self
            .accounts()
            .await?
            .into_iter()
            .map(|account| AccountStanding {
                opt_out: history.iter().find(|o| o.account == account.name && o.reversed_by.is_none()).cloned(),
                account: account.name,
            })
            .collect();
        let blocks: Vec<(i64, String, String, i64, Option<i64>)> = sqlx::query_as(
            "SELECT id, sender_phone, contact_phone, created_at, lifted_at FROM provider_blocks \
             WHERE contact_phone = ? ORDER BY created_at DESC, id DESC",
        )
        .bind(&phone)
        .fetch_all(&self.pool)
        .await?;
        let provider_blocks = blocks
            .into_iter()
            .map(|(id, sender_phone, contact_phone, created_at, lifted_at)| {
                Ok(ProviderBlock {
                    id,
                    sender_phone,
                    contact_phone,
                    created_at: time(created_at)?,
                    lifted_at: lifted_at.map(time).transpose()?,
                })
            })
            .collect::<Result<_>>()?;
        let conversations =
            sqlx::query(&format!("{CONVERSATION_SELECT} WHERE c.contact_phone = ? ORDER BY c.last_at DESC, c.id DESC"))
                .bind(&phone)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(conversation_row)
                .collect::<Result<_>>()?;
        let requests = self.requests_of(&phone).await?;
        Ok(NumberRecord { phone, accounts, provider_blocks, conversations, history, requests })
    }

    /// The campaigns, by account and name.
    pub async fn campaigns(&self) -> Result<Vec<Campaign>> {
        let rows: Vec<(i64, String, String, i64, bool, String, String)> = sqlx::query_as(
            "SELECT id, account, name, provider, active, sender_numbers, retired_numbers FROM campaigns \
             ORDER BY account, name",
        )
        .fetch_all(&self.pool)
        .await?;
        let numbers = |json: &str| serde_json::from_str(json).map_err(|e| Error::Protocol(e.to_string()));
        rows.into_iter()
            .map(|(id, account, name, provider, active, senders, retired)| {
                Ok(Campaign {
                    id,
                    account,
                    name,
                    provider: cached_provider(provider)?,
                    active,
                    sender_numbers: numbers(&senders)?,
                    retired_numbers: numbers(&retired)?,
                })
            })
            .collect()
    }

    /// A page of conversations after the cursor `after` from the last page: newest first, but
    /// the review queue ([`ConversationView::NeedsReview`]) by due date, the soonest first.
    ///
    /// # Errors
    /// [`Error::InvalidField`] for a cursor this app did not give out.
    pub async fn conversations(
        &self,
        filter: &ConversationFilter,
        after: Option<&str>,
        limit: u32,
    ) -> Result<ConversationPage> {
        let limit = page_size(limit);
        let mut q: QueryBuilder<'_, Sqlite> = QueryBuilder::new(CONVERSATION_SELECT);
        q.push(" WHERE 1 = 1");
        if let Some(account) = &filter.account {
            q.push(" AND c.account = ").push_bind(account.clone());
        }
        if let Some(campaign) = filter.campaign_id {
            q.push(" AND c.campaign_id = ").push_bind(campaign);
        }
        if let Some(search) = filter.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            match phone_match(search) {
                Ok(PhoneMatch::Exact(phone)) => {
                    q.push(" AND c.contact_phone = ").push_bind(phone);
                }
                Ok(PhoneMatch::Prefix(prefix)) => {
                    q.push(" AND c.contact_phone >= ").push_bind(prefix.clone());
                    q.push(" AND c.contact_phone < ").push_bind(format!("{prefix}:"));
                }
                Err(_) => {
                    q.push(" AND c.contact_name LIKE ").push_bind(format!("%{}%", like_escaped(search)));
                    q.push(" ESCAPE '\\'");
                }
            }
        }
        match filter.view {
            ConversationView::All => {}
            ConversationView::NeedsReview => {
                q.push(" AND c.review_reason IS NOT NULL");
            }
            ConversationView::AutoOptOuts => {
                q.push(
                    " AND EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone = c.contact_phone AND o.account = c.account \
                     AND o.opt_in_id IS NULL AND o.source = 'keyword_reply')",
                );
            }
            ConversationView::OptedOut => {
                q.push(
                    " AND EXISTS (SELECT 1 FROM opt_outs o WHERE o.phone = c.contact_phone AND o.account = c.account \
                     AND o.opt_in_id IS NULL)",
                );
            }
            ConversationView::ProviderBlocked => {
                q.push(
                    " AND EXISTS (SELECT 1 FROM provider_blocks b WHERE b.sender_phone = c.sender_phone \
                     AND b.contact_phone = c.contact_phone AND b.lifted_at IS NULL)",
                );
            }
        }
        // The review queue is worked through by deadline (the partial index
        // conversations_review_due); every other view is read newest first.
        let by_due = filter.view == ConversationView::NeedsReview;
        if let Some(after) = after {
            if by_due {
                push_after_due(&mut q, after)?;
            } else {
                let PageCursor { at, id } = parse_cursor(after)?;
                q.push(" AND (c.last_at, c.id) < (").push_bind(at).push(", ").push_bind(id).push(")");
            }
        }
        q.push(if by_due { " ORDER BY c.review_due_at, c.id" } else { " ORDER BY c.last_at DESC, c.id DESC" });
        q.push(" LIMIT ").push_bind(i64::from(limit) + 1);
        let rows = q.build().fetch_all(&self.pool).await?;
        let mut conversations: Vec<ConversationRow> = rows.iter().map(conversation_row).collect::<Result<_>>()?;
        let next = if conversations.len() > limit as usize {
            conversations.truncate(limit as usize);
            conversations.last().map(|c| match by_due {
                true => due_cursor(c.review_due_at, c.id),
                false => PageCursor { at: c.last_at.map_or(0, |t| t.timestamp_micros()), id: c.id }.to_string(),
            })
        } else {
            None
        };
        Ok(ConversationPage { conversations, next })
    }

    /// One conversation with its messages and the contact's standing in its account.
    ///
    /// # Errors
    /// [`Error::InvalidField`] naming `conversation` when the cache has no such conversation.
    pub async fn conversation(&self, id: i64) -> Result<ConversationDetail> {
        let row = sqlx::query(&format!("{CONVERSATION_SELECT} WHERE c.id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| Error::field("conversation", format!("no conversation {id} in the cache")))?;
        let conversation = conversation_row(&row)?;
        let messages: Vec<(i64, String, String, i64)> =
            sqlx::query_as("SELECT id, direction, body, at FROM messages WHERE conversation_id = ? ORDER BY at, id")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        let messages = messages
            .into_iter()
            .map(|(id, direction, body, at)| Ok(MessageRow { id, direction, body, at: time(at)? }))
            .collect::<Result<_>>()?;
        let history: Vec<OptOut> = self
            .opt_outs_of(&conversation.contact_phone)
            .await?
            .into_iter()
            .filter(|o| o.account == conversation.account)
            .collect();
        let opt_out = history.iter().find(|o| o.reversed_by.is_none()).cloned();
        let mut requests = self.requests_of(&conversation.contact_phone).await?;
        requests.retain(|r| r.account == conversation.account);
        Ok(ConversationDetail { conversation, messages, opt_out, history, requests })
    }

    /// The requests to stop kept about a number, oldest first.
    async fn requests_of(&self, phone: &str) -> Result<Vec<StopRequest>> {
        let rows = sqlx::query(
            "SELECT id, opt_out_id, account, phone, source, actor, reason, evidence, sender_phone, created_at \
             FROM stop_requests WHERE phone = ? ORDER BY id",
        )
        .bind(phone)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(StopRequest {
                    id: row.try_get("id")?,
                    opt_out_id: row.try_get("opt_out_id")?,
                    account: row.try_get("account")?,
                    phone: row.try_get("phone")?,
                    source: Source::parse(&row.try_get::<String, _>("source")?)
                        .map_err(|e| Error::Protocol(e.to_string()))?,
                    actor: row.try_get("actor")?,
                    reason: row.try_get("reason")?,
                    evidence: row.try_get("evidence")?,
                    sender_phone: row.try_get("sender_phone")?,
                    created_at: time(row.try_get("created_at")?)?,
                })
            })
            .collect()
    }
}

/// `text` with LIKE's wildcards taken literally (`ESCAPE '\'`).
fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
