//! Bearer tokens for the HTTP API: random secrets, stored only as their SHA-256.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::model::{time, Actor, Role};
use crate::store::now_micros;
use crate::{Error, Hub, Result};

/// A token, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// The hub's id.
    pub id: i64,
    /// Who or what holds it; recorded as the actor of what it does.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// When it was made.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

fn hash(secret: &str) -> String {
    format!("{:x}", Sha256::digest(secret.as_bytes()))
}

impl Hub {
    /// Makes a token and returns it with its secret, which is shown this once and never stored.
    ///
    /// A secret is 256 random bits, so a plain SHA-256 is enough to store it: there is nothing to
    /// guess, unlike a password.
    ///
    /// # Errors
    /// [`Error::InvalidField`] for an empty name; [`Error::Corrupt`] if the system has no
    /// randomness.
    pub async fn create_token(&self, name: &str, role: Role) -> Result<(Token, String)> {
        crate::text::name("name", name.trim())?;
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| Error::Corrupt(format!("no randomness: {e}")))?;
        let secret = format!("od_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>());
        let now = now_micros();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO tokens (name, role, hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(name.trim())
        .bind(role.as_str())
        .bind(hash(&secret))
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        let token = Token { id, name: name.trim().to_owned(), role, created_at: time(now)?, revoked_at: None };
        Ok((token, secret))
    }

    /// Every token, newest first.
    pub async fn tokens(&self) -> Result<Vec<Token>> {
        sqlx::query("SELECT id, name, role, created_at, revoked_at FROM tokens ORDER BY id DESC")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|row| {
                Ok(Token {
                    id: row.try_get("id")?,
                    name: row.try_get("name")?,
                    role: Role::parse(&row.try_get::<String, _>("role")?)?,
                    created_at: time(row.try_get("created_at")?)?,
                    revoked_at: row.try_get::<Option<i64>, _>("revoked_at")?.map(time).transpose()?,
                })
            })
            .collect()
    }

    /// Revokes a token: it stops working at once in this process, and within a second in another
    /// process that serves the same database.
    ///
    /// # Errors
    /// [`Error::NotFound`].
    pub async fn revoke_token(&self, id: i64) -> Result<()> {
        let done = sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now_micros())
            .bind(id)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound(format!("token {id}")));
        }
        self.tokens.forget_all();
        Ok(())
    }

    /// The actor a secret stands for, if it is a live token.
    pub async fn authenticate(&self, secret: &str) -> Result<Option<Actor>> {
        let hash = hash(secret);
        if let Some(actor) = self.tokens.get(&hash) {
            return Ok(Some(actor));
        }
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT name, role FROM tokens WHERE hash = $1 AND revoked_at IS NULL")
                .bind(&hash)
                .fetch_optional(&self.pool)
                .await?;
        let actor = row.map(|(name, role)| Ok::<_, Error>(Actor { name, role: Role::parse(&role)? })).transpose()?;
        if let Some(actor) = &actor {
            self.tokens.remember(hash, actor.clone());
        }
        Ok(actor)
    }
}

/// Tokens found live in the last [`Recent::FOR`], so that a busy server does not read the
/// tokens table on every request. Only live tokens are remembered: an unknown secret is always
/// looked up.
#[derive(Clone, Default)]
pub(crate) struct Recent(Arc<Mutex<HashMap<String, (Actor, Instant)>>>);

impl Recent {
    /// How long a token found live is trusted without reading the table again.
    pub const FOR: Duration = Duration::from_secs(1);

    fn get(&self, hash: &str) -> Option<Actor> {
        let recent = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        recent.get(hash).filter(|(_, at)| at.elapsed() < Self::FOR).map(|(actor, _)| actor.clone())
    }

    fn remember(&self, hash: String, actor: Actor) {
        let mut recent = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        recent.retain(|_, (_, at)| at.elapsed() < Self::FOR);
        recent.insert(hash, (actor, Instant::now()));
    }

    fn forget_all(&self) {
        self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }
}
