//! Applying a page of the hub's change feed to the cache: decoded first, then written table by
//! table in one transaction with the cursor after it.

use chrono::Utc;
use optout_hub::{
    Account, Campaign, Change, Changed, CommandAnswer, CommandSettled, Conversation, Message, OptOut, ProviderBlock,
    QueuedMessage, ReviewFlag, StopRequest,
};
use sqlx::{QueryBuilder, Sqlite, Transaction};

use crate::cache::micros;
use crate::outbox::settle_in;
use crate::{Cache, Error, Result};
use optout_client::{Answer, Page};

/// Rows per multi-row statement: under SQLite's limit of 32,766 bound values at 14 columns.
const ROWS_PER_STATEMENT: usize = 1000;

/// One page's changes, decoded and sorted by table.
#[derive(Default)]
struct Batch {
    accounts: Vec<Account>,
    campaigns: Vec<Campaign>,
    conversations: Vec<Conversation>,
    messages: Vec<Message>,
    opt_outs: Vec<OptOut>,
    requests: Vec<StopRequest>,
    blocks: Vec<ProviderBlock>,
    queued: Vec<(i64, QueuedMessage)>,
    reviews: Vec<ReviewFlag>,
    answers: Vec<CommandSettled>,
}

impl Batch {
    fn add(&mut self, change: &Change) -> Result<()> {
        match change.decode().map_err(|e| Error::Protocol(e.to_string()))? {
            Changed::Account(account) => self.accounts.push(account),
            Changed::Campaign(campaign) => self.campaigns.push(campaign),
            Changed::Conversation(conversation) => self.conversations.push(conversation),
            Changed::Message(message) => self.messages.push(message),
            Changed::OptOut(opt_out) => self.opt_outs.push(opt_out),
            Changed::ImportedOptOuts(imported) => self.opt_outs.extend(imported.into_opt_outs()),
            Changed::StopRequest(request) => self.requests.push(request),
            Changed::ImportedStopRequests(imported) => self.requests.extend(imported.into_requests()),
            Changed::ProviderBlock(block) => self.blocks.push(block),
            Changed::OptOutMessage(message) => self.queued.push((change.seq, message)),
            Changed::Review(flag) => self.reviews.push(flag),
            Changed::Command(settled) => self.answers.push(settled),
        }
        Ok(())
    }

    async fn write(&self, tx: &mut Transaction<'static, Sqlite>) -> Result<()> {
        renamed(tx, &self.accounts).await?;
        upsert(
            tx,
            "accounts",
            &[
                "id",
                "name",
                "auto_opt_outs",
                "confirmation_message",
                "default_opt_out_message",
                "rule_set",
                "review_days",
                "created_at",
            ],
            &self.accounts,
            |mut b, a| {
                b.push_bind(a.id)
                    .push_bind(&a.name)
                    .push_bind(a.auto_opt_outs)
                    .push_bind(&a.confirmation_message)
                    .push_bind(&a.default_opt_out_message)
                    .push_bind(a.rule_set.as_str())
                    .push_bind(i64::from(a.review_days))
                    .push_bind(micros(a.created_at));
            },
        )
        .await?;
        let numbers = |n: &Vec<String>| serde_json::to_string(n).unwrap_or_default();
        let campaigns: Vec<(&Campaign, String, String)> =
            self.campaigns.iter().map(|c| (c, numbers(&c.sender_numbers), numbers(&c.retired_numbers))).collect();
        upsert(
            tx,
            "campaigns",
            &["id", "account", "name", "provider", "active", "sender_numbers", "retired_numbers"],
            &campaigns,
            |mut b, (c, senders, retired)| {
                b.push_bind(c.id)
                    .push_bind(&c.account)
                    .push_bind(&c.name)
                    .push_bind(i64::from(c.provider.number()))
                    .push_bind(c.active)
                    .push_bind(senders)
                    .push_bind(retired);
            },
        )
        .await?;
        // A conversation's review flag comes in its own changes: keep it when the conversation
        // itself is written again.
        upsert(
            tx,
            "conversations",
            &["id", "campaign_id", "account", "sender_phone", "contact_phone", "contact_name"],
            &self.conversations,
            |mut b, c| {
                b.push_bind(c.id)
                    .push_bind(c.campaign_id)
                    .push_bind(&c.account)
                    .push_bind(&c.sender_phone)
                    .push_bind(&c.contact_phone)
                    .push_bind(&c.contact_name);
            },
        )
        .await?;
        upsert(tx, "messages", &["id", "conversation_id", "direction", "body", "at"], &self.messages, |mut b, m| {
            b.push_bind(m.id)
                .push_bind(m.conversation_id)
                .push_bind(m.direction.as_str())
                .push_bind(&m.body)
                .push_bind(micros(m.at));
        })
        .await?;
        upsert(
            tx,
            "opt_outs",
            &[
                "id",
                "account",
                "phone",
                "source",
                "actor",
                "reason",
                "evidence",
                "sender_phone",
                "rule",
                "created_at",
                "opt_in_id",
                "opt_in_actor",
                "opt_in_reason",
                "opt_in_at",
                "rule_set",
            ],
            &self.opt_outs,
            |mut b, o| {
                let opt_in = o.reversed_by.as_ref();
                b.push_bind(o.id)
                    .push_bind(&o.account)
                    .push_bind(&o.phone)
                    .push_bind(o.source.as_str())
                    .push_bind(&o.actor)
                    .push_bind(&o.reason)
                    .push_bind(&o.evidence)
                    .push_bind(&o.sender_phone)
                    .push_bind(&o.rule)
                    .push_bind(micros(o.created_at))
                    .push_bind(opt_in.map(|i| i.id))
                    .push_bind(opt_in.map(|i| i.actor.clone()))
                    .push_bind(opt_in.map(|i| i.reason.clone()))
                    .push_bind(opt_in.map(|i| micros(i.created_at)))
                    .push_bind(&o.rule_set);
            },
        )
        .await?;
        upsert(
            tx,
            "stop_requests",
            &[
                "id",
                "opt_out_id",
                "account",
                "phone",
                "source",
                "actor",
                "reason",
                "evidence",
                "sender_phone",
                "created_at",
            ],
            &self.requests,
            |mut b, r| {
                b.push_bind(r.id)
                    .push_bind(r.opt_out_id)
                    .push_bind(&r.account)
                    .push_bind(&r.phone)
                    .push_bind(r.source.as_str())
                    .push_bind(&r.actor)
                    .push_bind(&r.reason)
                    .push_bind(&r.evidence)
                    .push_bind(&r.sender_phone)
                    .push_bind(micros(r.created_at));
            },
        )
        .await?;
        upsert(
            tx,
            "provider_blocks",
            &["id", "sender_phone", "contact_phone", "created_at", "lifted_at"],
            &self.blocks,
            |mut b, p| {
                b.push_bind(p.id)
                    .push_bind(&p.sender_phone)
                    .push_bind(&p.contact_phone)
                    .push_bind(micros(p.created_at))
                    .push_bind(p.lifted_at.map(micros));
            },
        )
        .await?;
        upsert(
            tx,
            "queued_messages",
            &["seq", "kind", "sender_phone", "contact_phone", "body"],
            &self.queued,
            |mut b, (seq, q)| {
                b.push_bind(*seq)
                    .push_bind(&q.kind)
                    .push_bind(&q.sender_phone)
                    .push_bind(&q.contact_phone)
                    .push_bind(&q.body);
            },
        )
        .await?;
        for review in &self.reviews {
            sqlx::query(
                "UPDATE conversations SET review_reason = ?, review_raised_at = ?, review_due_at = ? WHERE id = ?",
            )
            .bind(&review.review_reason)
            .bind(review.raised_at.map(micros))
            .bind(review.due_at.map(micros))
            .bind(review.conversation_id)
            .execute(&mut **tx)
            .await?;
        }
        for command in &self.answers {
            let answer = match &command.answer {
                CommandAnswer::Done(outcome) => Answer::Accepted { outcome: outcome.clone() },
                CommandAnswer::Refused { code, message } => {
                    Answer::Refused { code: code.as_str().to_owned(), message: message.clone() }
                }
            };
            settle_in(tx, command.id, &answer).await?;
        }
        Ok(())
    }
}

/// The cache keeps each record's account by name: an account renamed renames them all.
async fn renamed(tx: &mut Transaction<'static, Sqlite>, accounts: &[Account]) -> Result<()> {
    for account in accounts {
        let before: Option<String> = sqlx::query_scalar("SELECT name FROM accounts WHERE id = ?")
            .bind(account.id)
            .fetch_optional(&mut **tx)
            .await?;
        let Some(before) = before.filter(|name| *name != account.name) else { continue };
        for table in ["campaigns", "conversations", "opt_outs", "stop_requests"] {
            sqlx::query(&format!("UPDATE {table} SET account = ? WHERE account = ?"))
                .bind(&account.name)
                .bind(&before)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(())
}

/// Inserts `rows` into `table`, or, where the first column (the key) exists, sets the other
/// `columns` to the new values; in statements of [`ROWS_PER_STATEMENT`].
async fn upsert<'a, T>(
    tx: &mut Transaction<'static, Sqlite>,
    table: &str,
    columns: &[&str],
    rows: &'a [T],
    bind: impl Fn(sqlx::query_builder::Separated<'_, 'a, Sqlite, &'static str>, &'a T) + Copy,
) -> Result<()> {
    let set: Vec<String> = columns[1..].iter().map(|c| format!("{c} = excluded.{c}")).collect();
    for chunk in rows.chunks(ROWS_PER_STATEMENT) {
        let mut query: QueryBuilder<'a, Sqlite> =
            QueryBuilder::new(format!("INSERT INTO {table} ({}) ", columns.join(", ")));
        query.push_values(chunk, bind);
        query.push(format!(" ON CONFLICT ({}) DO UPDATE SET {}", columns[0], set.join(", ")));
        // Only the full statement comes back page after page; each shorter one is a page's
        // last, of its own length, which the connection would keep prepared for nothing. Kept,
        // a first sync of the 1M demo left 33 MB of them in the app.
        query.build().persistent(chunk.len() == ROWS_PER_STATEMENT).execute(&mut **tx).await?;
    }
    Ok(())
}

impl Cache {
    /// Applies a page of the feed and moves the cursor past it, in one transaction.
    ///
    /// The page must start right after the cursor and have no gaps, and the cache must mirror
    /// `hub` (or nothing yet); otherwise nothing is stored. Returns how many changes it applied.
    pub(crate) async fn apply(&self, hub: &str, page: &Page) -> Result<u64> {
        let mut batch = Batch::default();
        for change in &page.changes {
            batch.add(change)?;
        }
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        let (cached, cursor): (Option<String>, i64) =
            sqlx::query_as("SELECT hub, cursor FROM sync_state").fetch_one(&mut *tx).await?;
        if let Some(cached) = cached.filter(|cached| cached != hub) {
            return Err(Error::OtherHub { cached, connected: hub.to_owned() });
        }
        for (expected, change) in (cursor + 1..).zip(&page.changes) {
            if change.seq != expected {
                return Err(Error::Protocol(format!(
                    "expected change {expected} after {cursor}, got change {}",
                    change.seq
                )));
            }
        }
        let last = cursor + page.changes.len() as i64;
        if page.head < last {
            return Err(Error::Protocol(format!("the feed's head {} is behind its own change {last}", page.head)));
        }
        batch.write(&mut tx).await?;
        sqlx::query(
            "UPDATE sync_state SET hub = ?, cursor = ?, hub_head = ?, \
             last_synced_at = CASE WHEN ? THEN ? ELSE last_synced_at END, last_error = NULL",
        )
        .bind(hub)
        .bind(last)
        .bind(page.head)
        .bind(last >= page.head)
        .bind(micros(Utc::now()))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(page.changes.len() as u64)
    }
}
