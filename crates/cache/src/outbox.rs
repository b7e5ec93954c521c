//! The outbox: the admin's commands, kept before anything else happens to them and settled by
//! the hub's answer.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{Sqlite, Transaction};
use uuid::Uuid;

use crate::cache::{micros, time};
use crate::{Cache, Error, Result};
use optout_client::{Answer, Command};

/// Where a command stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// Not yet answered by the hub.
    Pending,
    /// Done by the hub.
    Accepted,
    /// Refused by the hub, with its reason.
    Refused,
}

/// One command in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OutboxItem {
    /// The command's id.
    pub id: Uuid,
    /// `opt_out`, `opt_in` or `settings`.
    pub kind: String,
    /// What it does, in a line.
    pub summary: String,
    /// Where it stands.
    pub status: OutboxStatus,
    /// The hub's answer, once settled.
    pub answer: Option<Answer>,
    /// How often it has been sent without an answer.
    pub attempts: i64,
    /// Why the last attempt got no answer.
    pub last_error: Option<String>,
    /// When the admin did it.
    pub created_at: DateTime<Utc>,
}

pub(crate) async fn settle_in(tx: &mut Transaction<'static, Sqlite>, id: Uuid, answer: &Answer) -> Result<()> {
    let status = match answer {
        Answer::Accepted { .. } => "accepted",
        Answer::Refused { .. } => "refused",
    };
    let answer = serde_json::to_string(answer).map_err(|e| Error::Protocol(e.to_string()))?;
    sqlx::query("UPDATE outbox SET status = ?, answer = ?, settled_at = ? WHERE id = ? AND status = 'pending'")
        .bind(status)
        .bind(answer)
        .bind(micros(Utc::now()))
        .bind(id.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Cache {
    /// Checks that the cache knows the account `name`.
    ///
    /// # Errors
    /// [`Error::InvalidField`] naming `account` when it does not.
    pub async fn require_account(&self, name: &str) -> Result<()> {
        let known: Option<i64> =
            sqlx::query_scalar("SELECT id FROM accounts WHERE name = ?").bind(name).fetch_optional(&self.pool).await?;
        match known {
            Some(_) => Ok(()),
            None => Err(Error::field("account", format!("no account named {name:?}"))),
        }
    }

    /// Puts a command in the outbox, before anything else happens to it.
    ///
    /// # Errors
    /// [`Error::InvalidField`] when the command names an account the cache does not know, a
    /// number that does not parse, or an opt-in without a reason. Nothing is stored then.
    pub async fn enqueue(&self, command: &Command) -> Result<OutboxItem> {
        if let Some(account) = command.account() {
            self.require_account(account).await?;
        }
        match command {
            Command::OptOut(r) => {
                optout_hub::phone::e164(&r.phone, r.region).map_err(|why| Error::field("phone", why))?;
            }
            Command::OptIn(r) => {
                optout_hub::phone::e164(&r.phone, r.region).map_err(|why| Error::field("phone", why))?;
                if r.reason.trim().is_empty() {
                    return Err(Error::field("reason", "say why this number may be texted again"));
                }
            }
            Command::Review(r) => {
                let known: Option<i64> = sqlx::query_scalar("SELECT id FROM conversations WHERE id = ?")
                    .bind(r.conversation_id)
                    .fetch_optional(&self.pool)
                    .await?;
                if known.is_none() {
                    return Err(Error::field("conversation", format!("no conversation {}", r.conversation_id)));
                }
            }
            Command::Settings { .. }
            | Command::AddAccount(_)
            | Command::AddCampaign(_)
            | Command::UpdateCampaign(_)
            | Command::AddSender(_)
            | Command::RetireSender(_)
            | Command::AddToken(_)
            | Command::RevokeToken(_) => {}
        }
        let now = micros(Utc::now());
        let request = serde_json::to_string(command).map_err(|e| Error::field("command", e.to_string()))?;
        sqlx::query(
            "INSERT INTO outbox (id, kind, request, summary, status, next_attempt_at, created_at) \
             VALUES (?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT (id) DO NOTHING",
        )
        .bind(command.id().to_string())
        .bind(command.kind())
        .bind(&request)
        .bind(command.summary())
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await?;
        self.outbox_item(command.id()).await?.ok_or_else(|| Error::field("command", "vanished"))
    }

    /// One command in the outbox.
    pub async fn outbox_item(&self, id: Uuid) -> Result<Option<OutboxItem>> {
        Ok(self.outbox_where("WHERE id = ?", Some(id.to_string())).await?.pop())
    }

    /// The outbox, newest first: pending commands and the 200 last settled.
    pub async fn outbox(&self) -> Result<Vec<OutboxItem>> {
        self.outbox_where(
            "WHERE status = 'pending' OR id IN (SELECT id FROM outbox ORDER BY created_at DESC LIMIT 200)",
            None,
        )
        .await
    }

    async fn outbox_where(&self, condition: &str, id: Option<String>) -> Result<Vec<OutboxItem>> {
        type Row = (String, String, String, String, Option<String>, i64, Option<String>, i64);
        let sql = format!(
            "SELECT id, kind, summary, status, answer, attempts, last_error, created_at FROM outbox {condition} \
             ORDER BY created_at DESC, id"
        );
        let mut query = sqlx::query_as::<_, Row>(&sql);
        if let Some(id) = id {
            query = query.bind(id);
        }
        query
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|(id, kind, summary, status, answer, attempts, last_error, created_at)| {
                Ok(OutboxItem {
                    id: Uuid::parse_str(&id).map_err(|e| Error::Protocol(e.to_string()))?,
                    kind,
                    summary,
                    status: match status.as_str() {
                        "accepted" => OutboxStatus::Accepted,
                        "refused" => OutboxStatus::Refused,
                        _ => OutboxStatus::Pending,
                    },
                    answer: answer
                        .map(|a| serde_json::from_str(&a))
                        .transpose()
                        .map_err(|e| Error::Protocol(e.to_string()))?,
                    attempts,
                    last_error,
                    created_at: time(created_at)?,
                })
            })
            .collect()
    }

    /// Pending commands whose time to be sent has come, oldest first.
    pub(crate) async fn due(&self) -> Result<Vec<(Command, i64)>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT request, attempts FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? ORDER BY created_at, id",
        )
        .bind(micros(Utc::now()))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(request, attempts)| {
                Ok((serde_json::from_str(&request).map_err(|e| Error::Protocol(e.to_string()))?, attempts))
            })
            .collect()
    }

    /// Settles a command with the hub's answer.
    pub(crate) async fn settle(&self, id: Uuid, answer: &Answer) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        settle_in(&mut tx, id, answer).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Notes a failed attempt; the command is sent again after `retry_in`.
    pub(crate) async fn postpone(&self, id: Uuid, error: &str, retry_in: std::time::Duration) -> Result<()> {
        let at = Utc::now() + chrono::Duration::from_std(retry_in).unwrap_or_default();
        sqlx::query(
            "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? \
             WHERE id = ? AND status = 'pending'",
        )
        .bind(error)
        .bind(micros(at))
        .bind(id.to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Makes every pending command due now (the admin pressed retry).
    pub async fn retry_now(&self) -> Result<()> {
        sqlx::query("UPDATE outbox SET next_attempt_at = 0 WHERE status = 'pending'").execute(&self.pool).await?;
        Ok(())
    }
}
