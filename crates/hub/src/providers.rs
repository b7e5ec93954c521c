//! The organisation's connections to its SMS providers: the secret that proves each provider's
//! callbacks genuine, and what has arrived since.
//!
//! A secret is never in an answer, a log or the feed: [`ProviderConnection`] says only that one
//! is set, by whom and when. What arrives is counted in memory and written at most every few
//! seconds, so that a flood of forged callbacks costs the hub no writes of its own.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sqlx::Row;

use crate::model::{time, Actor};
use crate::organisation::audit;
use crate::store::now_micros;
use crate::webhooks::{telnyx, ProviderName};
use crate::{Error, Hub, Result};

/// A provider's secret, as an admin sets it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "provider", rename_all = "snake_case", deny_unknown_fields)]
pub enum ProviderSetup {
    /// Twilio: the account's auth token, which keys the HMAC of `X-Twilio-Signature`.
    Twilio {
        /// The auth token, from Twilio's console.
        auth_token: String,
    },
    /// Telnyx: the account's public key (base64), which checks `telnyx-signature-ed25519`.
    Telnyx {
        /// The public key, from the Telnyx portal.
        public_key: String,
    },
    /// Bandwidth: the HTTP Basic credentials set in the Bandwidth application's callbacks.
    Bandwidth {
        /// The user name.
        username: String,
        /// The password.
        password: String,
    },
}

impl std::fmt::Debug for ProviderSetup {
    /// Never shows the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ProviderSetup({})", self.provider().as_str())
    }
}

impl ProviderSetup {
    /// Which provider it connects.
    pub fn provider(&self) -> ProviderName {
        match self {
            ProviderSetup::Twilio { .. } => ProviderName::Twilio,
            ProviderSetup::Telnyx { .. } => ProviderName::Telnyx,
            ProviderSetup::Bandwidth { .. } => ProviderName::Bandwidth,
        }
    }

    /// The secret as stored, once it is known to be usable.
    fn secret(&self) -> Result<String> {
        match self {
            ProviderSetup::Twilio { auth_token } => {
                let token = auth_token.trim();
                if token.len() < 16 || !token.bytes().all(|b| b.is_ascii_alphanumeric()) {
                    return Err(Error::field("auth_token", "must be the account's auth token from Twilio's console"));
                }
                Ok(token.to_owned())
            }
            ProviderSetup::Telnyx { public_key } => {
                telnyx::PublicKey::from_base64(public_key.trim())
                    .map_err(|e| Error::field("public_key", format!("is not a Telnyx public key: {e}")))?;
                Ok(public_key.trim().to_owned())
            }
            ProviderSetup::Bandwidth { username, password } => {
                if username.trim().is_empty() || username.contains(':') {
                    return Err(Error::field("username", "must be a user name without ':'"));
                }
                if password.len() < 8 {
                    return Err(Error::field("password", "must be at least 8 characters"));
                }
                Ok(format!("{}:{password}", username.trim()))
            }
        }
    }
}

/// A provider connection as an admin sees it: never its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProviderConnection {
    /// `twilio`, `telnyx` or `bandwidth`.
    pub provider: String,
    /// When its secret was set.
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// Who set it.
    pub updated_by: String,
    /// Genuine callbacks received.
    pub genuine: i64,
    /// The latest genuine callback: whether the provider reaches the hub.
    pub last_genuine_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Callbacks refused as not genuine (a wrong secret, a forgery, a stale timestamp).
    pub refused: i64,
    /// The latest refused, and why.
    pub last_refused_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Why the latest was refused.
    pub last_refused_why: Option<String>,
    /// Genuine callbacks for a number no campaign sends from: stored nowhere, answered so that
    /// the provider does not retry, counted here for the admin to add the number.
    pub unknown_senders: i64,
    /// The latest such number.
    pub last_unknown_sender: Option<String>,
    /// When it came.
    pub last_unknown_sender_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// What arrived since the counts were last written, per provider.
#[derive(Default, Clone)]
struct Arrived {
    genuine: i64,
    last_genuine_at: Option<i64>,
    refused: i64,
    last_refused: Option<(i64, String)>,
    unknown_senders: i64,
    last_unknown: Option<(i64, String)>,
}

/// The counts kept in memory between writes, and the secrets read lately.
#[derive(Clone, Default)]
pub(crate) struct Counts {
    inner: Arc<Mutex<CountsInner>>,
}

#[derive(Default)]
struct CountsInner {
    arrived: HashMap<&'static str, Arrived>,
    written: Option<Instant>,
    secrets: HashMap<&'static str, (Option<String>, Instant)>,
}

/// How often the counts are written; how long a secret read is trusted before it is read again.
const EVERY: Duration = Duration::from_secs(2);

impl Counts {
    fn with<T>(&self, f: impl FnOnce(&mut CountsInner) -> T) -> T {
        f(&mut self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }
}

/// What a callback turned out to be, for the counts.
pub enum Arrival<'a> {
    /// Genuine.
    Genuine,
    /// Refused as not genuine, and why.
    Refused(&'a str),
    /// Genuine, for a number no campaign sends from.
    UnknownSender(&'a str),
}

impl Hub {
    /// Sets a provider's secret: admins only. In the audit log, without the secret.
    ///
    /// # Errors
    /// [`Error::InvalidField`] naming the field when the secret cannot be one;
    /// [`Error::Refused`] `forbidden`.
    pub async fn set_provider(&self, actor: &Actor, setup: &ProviderSetup) -> Result<ProviderConnection> {
        actor.admin_only("connect a provider")?;
        let secret = setup.secret()?;
        let provider = setup.provider().as_str();
        let mut write = self.write().await?;
        sqlx::query(
            "INSERT INTO provider_connections (provider, secret, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (provider) DO UPDATE SET secret = excluded.secret, updated_at = excluded.updated_at, \
             updated_by = excluded.updated_by",
        )
        .bind(provider)
        .bind(&secret)
        .bind(write.now)
        .bind(&actor.name)
        .execute(&mut *write.tx)
        .await?;
        let reason = format!("Set the {provider} connection's secret");
        audit(&mut write, actor, "provider_set", None, None, &reason, uuid::Uuid::new_v4()).await?;
        write.commit().await?;
        self.counts.with(|c| c.secrets.remove(provider));
        self.providers(actor)
            .await?
            .into_iter()
            .find(|p| p.provider == provider)
            .ok_or_else(|| Error::Corrupt(format!("the {provider} connection vanished")))
    }

    /// Every provider connection, with what has arrived.
    ///
    /// # Errors
    /// [`Error::Storage`]; [`Error::Refused`] (`forbidden`) for anybody but an admin.
    pub async fn providers(&self, actor: &Actor) -> Result<Vec<ProviderConnection>> {
        actor.admin_only("see the provider connections")?;
        self.write_counts(true).await?;
        let rows = sqlx::query(
            "SELECT provider, updated_at, updated_by, genuine, last_genuine_at, refused, last_refused_at, \
             last_refused_why, unknown_senders, last_unknown_sender, last_unknown_sender_at \
             FROM provider_connections ORDER BY provider",
        )
        .fetch_all(&self.pool)
        .await?;
        let when = |row: &sqlx::any::AnyRow, column: &str| -> Result<Option<chrono::DateTime<chrono::Utc>>> {
            row.try_get::<Option<i64>, _>(column)?.map(time).transpose()
        };
        rows.iter()
            .map(|row| {
                Ok(ProviderConnection {
                    provider: row.try_get("provider")?,
                    updated_at: time(row.try_get("updated_at")?)?,
                    updated_by: row.try_get("updated_by")?,
                    genuine: row.try_get("genuine")?,
                    last_genuine_at: when(row, "last_genuine_at")?,
                    refused: row.try_get("refused")?,
                    last_refused_at: when(row, "last_refused_at")?,
                    last_refused_why: row.try_get("last_refused_why")?,
                    unknown_senders: row.try_get("unknown_senders")?,
                    last_unknown_sender: row.try_get("last_unknown_sender")?,
                    last_unknown_sender_at: when(row, "last_unknown_sender_at")?,
                })
            })
            .collect()
    }

    /// A provider's secret, if the organisation set one; read at most every two seconds.
    pub(crate) async fn provider_secret(&self, provider: ProviderName) -> Result<Option<String>> {
        let name = provider.as_str();
        if let Some(secret) = self
            .counts
            .with(|c| c.secrets.get(name).filter(|(_, at)| at.elapsed() < EVERY).map(|(secret, _)| secret.clone()))
        {
            return Ok(secret);
        }
        let secret: Option<String> = sqlx::query_scalar("SELECT secret FROM provider_connections WHERE provider = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        self.counts.with(|c| c.secrets.insert(name, (secret.clone(), Instant::now())));
        Ok(secret)
    }

    /// Counts a callback; writes the counts when they were last written a while ago.
    pub(crate) async fn arrived(&self, provider: ProviderName, arrival: Arrival<'_>) -> Result<()> {
        let now = now_micros();
        self.counts.with(|c| {
            let a = c.arrived.entry(provider.as_str()).or_default();
            match arrival {
                Arrival::Genuine => {
                    a.genuine += 1;
                    a.last_genuine_at = Some(now);
                }
                Arrival::Refused(why) => {
                    a.refused += 1;
                    a.last_refused = Some((now, why.chars().take(200).collect()));
                }
                // Counted genuine as it arrived.
                Arrival::UnknownSender(number) => {
                    a.unknown_senders += 1;
                    a.last_unknown = Some((now, number.chars().take(40).collect()));
                }
            }
        });
        self.write_counts(false).await
    }

    /// Adds the counts kept in memory to the record: now when `now`, else when the last write
    /// was [`EVERY`] ago.
    async fn write_counts(&self, now: bool) -> Result<()> {
        let arrived = self.counts.with(|c| {
            if !now && c.written.is_some_and(|at| at.elapsed() < EVERY) {
                return HashMap::new();
            }
            c.written = Some(Instant::now());
            std::mem::take(&mut c.arrived)
        });
        for (provider, a) in arrived {
            let (refused_at, refused_why) = a.last_refused.unzip();
            let (unknown_at, unknown) = a.last_unknown.unzip();
            sqlx::query(
                "UPDATE provider_connections SET genuine = genuine + $1, \
                 last_genuine_at = COALESCE($2, last_genuine_at), refused = refused + $3, \
                 last_refused_at = COALESCE($4, last_refused_at), last_refused_why = COALESCE($5, last_refused_why), \
                 unknown_senders = unknown_senders + $6, last_unknown_sender_at = COALESCE($7, last_unknown_sender_at), \
                 last_unknown_sender = COALESCE($8, last_unknown_sender) WHERE provider = $9",
            )
            .bind(a.genuine)
            .bind(a.last_genuine_at)
            .bind(a.refused)
            .bind(refused_at)
            .bind(refused_why)
            .bind(a.unknown_senders)
            .bind(unknown_at)
            .bind(unknown)
            .bind(provider)
            .execute(&self.writer)
            .await?;
        }
        Ok(())
    }
}
