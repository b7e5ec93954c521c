//! Bearer tokens for the HTTP API: random secrets, stored only as their SHA-256.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::Row;

use uuid::Uuid;

use crate::commands::once;
use crate::model::{time, Actor, Role};
use crate::organisation::audit;
use crate::store::{now_micros, Write};
use crate::{Error, Hub, Result};

/// A token, without its secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Token {
    /// The hub's id.
    pub id: i64,
    /// Who or what holds it; recorded as the actor of what it does.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// When it was made.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Who made it, when the hub knows.
    #[serde(default)]
    pub created_by: Option<String>,
    /// When it was last used, to the minute.
    #[serde(default)]
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When it was revoked, if it was.
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Make a token for a person or a system. The client makes the secret and sends only its
/// SHA-256 (`secret_sha256`), so that the secret is never stored, queued or logged anywhere:
/// only the client that made it shows it, once. Without it, the hub makes the secret and
/// answers it once ([`Hub::create_token`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// Made by the client; the same id twice is one command.
    #[serde(default = "Uuid::new_v4")]
    pub command_id: Uuid,
    /// Who or what will hold it.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// The SHA-256 of the secret, 64 lowercase hex digits.
    #[serde(default)]
    pub secret_sha256: Option<String>,
}

/// Revoke a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevokeToken {
    /// Made by the client; the same id twice is one command.
    #[serde(default = "Uuid::new_v4")]
    pub command_id: Uuid,
    /// The token's id.
    pub token_id: i64,
}

/// The SHA-256 of a secret, as the hub keeps it.
pub fn secret_sha256(secret: &str) -> String {
    format!("{:x}", Sha256::digest(secret.as_bytes()))
}

/// A new secret: `od_` and 256 random bits in hex.
///
/// # Errors
/// [`Error::Corrupt`] if the system has no randomness.
pub fn new_secret() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Error::Corrupt(format!("no randomness: {e}")))?;
    Ok(format!("od_{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()))
}

const TOKEN_COLUMNS: &str = "id, name, role, created_at, created_by, last_used_at, revoked_at";

fn token_from(row: &sqlx::any::AnyRow) -> Result<Token> {
    let when = |column: &str| -> Result<Option<chrono::DateTime<chrono::Utc>>> {
        row.try_get::<Option<i64>, _>(column)?.map(time).transpose()
    };
    Ok(Token {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        role: Role::parse(&row.try_get::<String, _>("role")?)?,
        created_at: time(row.try_get("created_at")?)?,
        created_by: row.try_get("created_by")?,
        last_used_at: when("last_used_at")?,
        revoked_at: when("revoked_at")?,
    })
}

/// How stale a token's last use may be before a use writes it again: a busy server does not
/// write on every request.
const LAST_USED_EVERY_MICROS: i64 = 60_000_000;

impl Hub {
    /// Makes a token and returns it with its secret, which is shown this once and never stored:
    /// admins only.
    ///
    /// A secret is 256 random bits, so a plain SHA-256 is enough to store it: there is nothing to
    /// guess, unlike a password.
    ///
    /// # Errors
    /// [`Error::InvalidField`] for an empty name; [`Error::Refused`] `forbidden`.
    pub async fn create_token(&self, actor: &Actor, name: &str, role: Role) -> Result<(Token, String)> {
        let secret = new_secret()?;
        let request = NewToken {
            command_id: Uuid::new_v4(),
            name: name.to_owned(),
            role,
            secret_sha256: Some(secret_sha256(&secret)),
        };
        Ok((self.add_token(actor, &request).await?, secret))
    }

    /// Adds a token whose secret the client made ([`NewToken`]): admins only.
    ///
    /// # Errors
    /// [`Error::InvalidField`] for an empty name or a hash that is not 64 hex digits;
    /// [`Error::AlreadyExists`] for a hash in use; [`Error::Refused`] `forbidden`.
    pub async fn add_token(&self, actor: &Actor, request: &NewToken) -> Result<Token> {
        actor.admin_only("make a token")?;
        let name = request.name.trim();
        crate::text::name("name", name)?;
        let hash = request.secret_sha256.as_deref().unwrap_or_default();
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
            return Err(Error::field("secret_sha256", "must be the SHA-256 of the secret, 64 lowercase hex digits"));
        }
        once(self, request.command_id, "add_token", request, async |write: &mut Write<'_>| {
            let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM tokens WHERE hash = $1")
                .bind(hash)
                .fetch_optional(&mut *write.tx)
                .await?;
            if taken.is_some() {
                return Err(Error::AlreadyExists("a token with that secret".to_owned()));
            }
            let row = sqlx::query(&format!(
                "INSERT INTO tokens (name, role, hash, created_at, created_by) VALUES ($1, $2, $3, $4, $5) \
                 RETURNING {TOKEN_COLUMNS}"
            ))
            .bind(name)
            .bind(request.role.as_str())
            .bind(hash)
            .bind(write.now)
            .bind(&actor.name)
            .fetch_one(&mut *write.tx)
            .await?;
            let token = token_from(&row)?;
            let reason = format!("Made a token for {name:?} ({})", request.role.as_str());
            audit(write, actor, "token_created", None, None, &reason, request.command_id).await?;
            Ok(token)
        })
        .await
    }

    /// Every token, newest first.
    ///
    /// # Errors
    /// [`Error::Refused`] (`forbidden`) for anybody but an admin.
    pub async fn tokens(&self, actor: &Actor) -> Result<Vec<Token>> {
        actor.admin_only("list the tokens")?;
        sqlx::query(&format!("SELECT {TOKEN_COLUMNS} FROM tokens ORDER BY id DESC"))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(token_from)
            .collect()
    }

    /// Revokes a token: admins only. It stops working at once in this process, and within a
    /// second in another process that serves the same database.
    ///
    /// # Errors
    /// [`Error::NotFound`] for a token that does not exist or is revoked already;
    /// [`Error::Refused`] `forbidden`.
    pub async fn revoke_token(&self, actor: &Actor, request: &RevokeToken) -> Result<Token> {
        actor.admin_only("revoke a token")?;
        let token = once(self, request.command_id, "revoke_token", request, async |write: &mut Write<'_>| {
            let row = sqlx::query(&format!(
                "UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING {TOKEN_COLUMNS}"
            ))
            .bind(write.now)
            .bind(request.token_id)
            .fetch_optional(&mut *write.tx)
            .await?
            .ok_or_else(|| Error::NotFound(format!("live token {}", request.token_id)))?;
            let token = token_from(&row)?;
            let reason = format!("Revoked the token of {:?} ({})", token.name, token.role.as_str());
            audit(write, actor, "token_revoked", None, None, &reason, request.command_id).await?;
            Ok(token)
        })
        .await?;
        self.tokens.forget_all();
        Ok(token)
    }

    /// The actor a secret stands for, if it is a live token.
    pub async fn authenticate(&self, secret: &str) -> Result<Option<Actor>> {
        let hash = secret_sha256(secret);
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
            let now = now_micros();
            sqlx::query(
                "UPDATE tokens SET last_used_at = $1 WHERE hash = $2 AND (last_used_at IS NULL OR last_used_at < $3)",
            )
            .bind(now)
            .bind(&hash)
            .bind(now - LAST_USED_EVERY_MICROS)
            .execute(&self.writer)
            .await?;
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
