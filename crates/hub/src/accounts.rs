//! Accounts, their settings, campaigns and sender numbers.

use sqlx::any::AnyRow;
use sqlx::Row;

use crate::feed::Changed;
use crate::model::{time, Account, AccountSettings, Campaign};
use crate::phone::{parse_field, Region};
use crate::store::Write;
use crate::{Error, Hub, Result};

const DEFAULT_CONFIRMATION: &str = "You're unsubscribed and won't get more texts from us.";
const DEFAULT_OPT_OUT_MESSAGE: &str = "Understood. We won't text you again.";

const ACCOUNT_COLUMNS: &str = "id, name, auto_opt_outs, confirmation_message, default_opt_out_message, created_at";

fn account_from(row: &AnyRow) -> Result<Account> {
    Ok(Account {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        auto_opt_outs: row.try_get::<i64, _>("auto_opt_outs")? != 0,
        confirmation_message: row.try_get("confirmation_message")?,
        default_opt_out_message: row.try_get("default_opt_out_message")?,
        created_at: time(row.try_get("created_at")?)?,
    })
}

fn check_message(field: &str, message: &str) -> Result<()> {
    if message.chars().count() > 640 {
        return Err(Error::field(field, "must be at most 640 characters (four SMS segments)"));
    }
    Ok(())
}

impl Hub {
    /// Adds an account with the default messages.
    ///
    /// # Errors
    /// [`Error::AlreadyExists`] when the name is taken; [`Error::InvalidField`] for an empty name.
    pub async fn add_account(&self, name: &str, auto_opt_outs: bool) -> Result<Account> {
        crate::text::name("name", name)?;
        let mut write = self.write().await?;
        taken_account_name(&mut write, name, None).await?;
        let row = sqlx::query(&format!(
            "INSERT INTO accounts (name, auto_opt_outs, confirmation_message, default_opt_out_message, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING {ACCOUNT_COLUMNS}"
        ))
        .bind(name)
        .bind(i64::from(auto_opt_outs))
        .bind(DEFAULT_CONFIRMATION)
        .bind(DEFAULT_OPT_OUT_MESSAGE)
        .bind(write.now)
        .fetch_one(&mut *write.tx)
        .await?;
        let account = account_from(&row)?;
        write.publish(&Changed::Account(account.clone()))?;
        write.commit().await?;
        Ok(account)
    }

    /// Every account, by name.
    pub async fn accounts(&self) -> Result<Vec<Account>> {
        let rows =
            sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts ORDER BY name")).fetch_all(&self.pool).await?;
        rows.iter().map(account_from).collect()
    }

    /// One account by name.
    ///
    /// # Errors
    /// [`Error::UnknownAccount`].
    pub async fn account(&self, name: &str) -> Result<Account> {
        find_account(&self.pool, name).await?.ok_or_else(|| Error::UnknownAccount(name.to_owned()))
    }

    /// Changes an account's settings.
    ///
    /// # Errors
    /// [`Error::UnknownAccount`]; [`Error::InvalidField`] for a message longer than four SMS.
    pub async fn update_account(&self, name: &str, settings: &AccountSettings) -> Result<Account> {
        if let Some(message) = &settings.confirmation_message {
            check_message("confirmation_message", message)?;
        }
        if let Some(message) = &settings.default_opt_out_message {
            check_message("default_opt_out_message", message)?;
        }
        let mut write = self.write().await?;
        let current = require_account(&mut write, name).await?;
        let row = sqlx::query(&format!(
            "UPDATE accounts SET auto_opt_outs = $1, confirmation_message = $2, default_opt_out_message = $3 \
             WHERE id = $4 RETURNING {ACCOUNT_COLUMNS}"
        ))
        .bind(i64::from(settings.auto_opt_outs.unwrap_or(current.auto_opt_outs)))
        .bind(settings.confirmation_message.as_ref().unwrap_or(&current.confirmation_message))
        .bind(settings.default_opt_out_message.as_ref().unwrap_or(&current.default_opt_out_message))
        .bind(current.id)
        .fetch_one(&mut *write.tx)
        .await?;
        let account = account_from(&row)?;
        write.publish(&Changed::Account(account.clone()))?;
        write.commit().await?;
        Ok(account)
    }

    /// Adds a campaign to an account, with the numbers it sends from.
    ///
    /// Provider 1 campaigns text the US and Canada, provider 2 the UK; sender numbers are read in
    /// that region. A sender number belongs to one campaign only.
    ///
    /// # Errors
    /// [`Error::UnknownAccount`], [`Error::InvalidPhone`] naming `sender_numbers[i]`,
    /// [`Error::AlreadyExists`] for a taken campaign name or sender number.
    pub async fn add_campaign(&self, account: &str, name: &str, provider: u8, senders: &[&str]) -> Result<Campaign> {
        crate::text::name("name", name)?;
        if provider != 1 && provider != 2 {
            return Err(Error::field("provider", "must be 1 (US/CA) or 2 (UK)"));
        }
        let region = Region::of_provider(provider);
        let senders = senders
            .iter()
            .enumerate()
            .map(|(i, s)| parse_field(&format!("sender_numbers[{i}]"), s, region))
            .collect::<Result<Vec<_>>>()?;
        let mut write = self.write().await?;
        let owner = require_account(&mut write, account).await?;
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM campaigns WHERE account_id = $1 AND name = $2")
            .bind(owner.id)
            .bind(name)
            .fetch_optional(&mut *write.tx)
            .await?;
        if taken.is_some() {
            return Err(Error::AlreadyExists(format!("campaign {name:?} in {account:?}")));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO campaigns (account_id, name, provider, active, created_at) VALUES ($1, $2, $3, 1, $4) \
             RETURNING id",
        )
        .bind(owner.id)
        .bind(name)
        .bind(i64::from(provider))
        .bind(write.now)
        .fetch_one(&mut *write.tx)
        .await?;
        for sender in &senders {
            let used: Option<String> = sqlx::query_scalar("SELECT phone FROM sender_numbers WHERE phone = $1")
                .bind(sender)
                .fetch_optional(&mut *write.tx)
                .await?;
            if used.is_some() {
                return Err(Error::AlreadyExists(format!("sender number {sender}")));
            }
            sqlx::query("INSERT INTO sender_numbers (phone, campaign_id) VALUES ($1, $2)")
                .bind(sender)
                .bind(id)
                .execute(&mut *write.tx)
                .await?;
        }
        let campaign = Campaign {
            id,
            account: owner.name,
            name: name.to_owned(),
            provider,
            active: true,
            sender_numbers: senders,
        };
        write.publish(&Changed::Campaign(campaign.clone()))?;
        write.commit().await?;
        Ok(campaign)
    }

    /// Stops or restarts a campaign.
    ///
    /// # Errors
    /// [`Error::UnknownAccount`], [`Error::UnknownCampaign`].
    pub async fn set_campaign_active(&self, account: &str, name: &str, active: bool) -> Result<Campaign> {
        let mut write = self.write().await?;
        let owner = require_account(&mut write, account).await?;
        let updated = sqlx::query("UPDATE campaigns SET active = $1 WHERE account_id = $2 AND name = $3")
            .bind(i64::from(active))
            .bind(owner.id)
            .bind(name)
            .execute(&mut *write.tx)
            .await?;
        if updated.rows_affected() == 0 {
            return Err(Error::UnknownCampaign(name.to_owned()));
        }
        let campaign = campaigns_where(&mut write.tx, Some(owner.id))
            .await?
            .into_iter()
            .find(|c| c.name == name)
            .ok_or_else(|| Error::UnknownCampaign(name.to_owned()))?;
        write.publish(&Changed::Campaign(campaign.clone()))?;
        write.commit().await?;
        Ok(campaign)
    }

    /// Every campaign, of one account or of all.
    ///
    /// # Errors
    /// [`Error::UnknownAccount`].
    pub async fn campaigns(&self, account: Option<&str>) -> Result<Vec<Campaign>> {
        let account_id = match account {
            Some(name) => Some(self.account(name).await?.id),
            None => None,
        };
        let mut conn = self.pool.acquire().await?;
        campaigns_where(&mut conn, account_id).await
    }
}

async fn campaigns_where(conn: &mut sqlx::AnyConnection, account_id: Option<i64>) -> Result<Vec<Campaign>> {
    let rows = sqlx::query(
        "SELECT c.id, a.name AS account, c.name, c.provider, c.active, s.phone AS sender \
         FROM campaigns c JOIN accounts a ON a.id = c.account_id \
         LEFT JOIN sender_numbers s ON s.campaign_id = c.id \
         WHERE $1 IS NULL OR c.account_id = $1 ORDER BY a.name, c.name, s.phone",
    )
    .bind(account_id)
    .fetch_all(&mut *conn)
    .await?;
    let mut campaigns: Vec<Campaign> = Vec::new();
    for row in &rows {
        let id: i64 = row.try_get("id")?;
        if campaigns.last().map(|c| c.id) != Some(id) {
            campaigns.push(Campaign {
                id,
                account: row.try_get("account")?,
                name: row.try_get("name")?,
                provider: u8::try_from(row.try_get::<i64, _>("provider")?)
                    .map_err(|e| Error::Corrupt(e.to_string()))?,
                active: row.try_get::<i64, _>("active")? != 0,
                sender_numbers: Vec::new(),
            });
        }
        if let (Some(campaign), Some(sender)) = (campaigns.last_mut(), row.try_get::<Option<String>, _>("sender")?) {
            campaign.sender_numbers.push(sender);
        }
    }
    Ok(campaigns)
}

/// Refuses an account name that another account (but `except`) already has, or has in another
/// case, width or spacing.
async fn taken_account_name(write: &mut Write<'_>, name: &str, except: Option<i64>) -> Result<()> {
    let key = crate::text::name_key(name);
    let names: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM accounts").fetch_all(&mut *write.tx).await?;
    match names.into_iter().find(|(id, other)| Some(*id) != except && crate::text::name_key(other) == key) {
        Some((_, other)) if other == name => Err(Error::AlreadyExists(format!("account {name:?}"))),
        Some((_, other)) => Err(Error::AlreadyExists(format!(
            "account {other:?}, which differs from {name:?} only in case, width or spacing,"
        ))),
        None => Ok(()),
    }
}

/// The account of that name, read through the pool or inside a write.
pub(crate) async fn find_account<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    name: &str,
) -> Result<Option<Account>> {
    let row = sqlx::query(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts WHERE name = $1"))
        .bind(name)
        .fetch_optional(executor)
        .await?;
    row.as_ref().map(account_from).transpose()
}

/// The account of that name inside a write, or [`Error::UnknownAccount`].
pub(crate) async fn require_account(write: &mut Write<'_>, name: &str) -> Result<Account> {
    find_account(&mut *write.tx, name).await?.ok_or_else(|| Error::UnknownAccount(name.to_owned()))
}
