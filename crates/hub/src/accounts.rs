//! Accounts: adding them, their settings, renaming them.

use optout_rules::{RuleSet, DEFAULT_REVIEW_DAYS, REVIEW_DAYS};
use sqlx::any::AnyRow;
use sqlx::Row;

use crate::commands::once;
use crate::feed::Changed;
use crate::model::{time, Account, AccountSettings, Actor};
use crate::organisation::{audit, NewAccount};
use crate::store::Write;
use crate::{Error, Hub, Result};

const DEFAULT_CONFIRMATION: &str = "You're unsubscribed and won't get more texts from us.";
const DEFAULT_OPT_OUT_MESSAGE: &str = "Understood. We won't text you again.";

const ACCOUNT_COLUMNS: &str =
    "id, name, auto_opt_outs, confirmation_message, default_opt_out_message, rule_set, review_days, created_at";

fn account_from(row: &AnyRow) -> Result<Account> {
    Ok(Account {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        auto_opt_outs: row.try_get::<i64, _>("auto_opt_outs")? != 0,
        confirmation_message: row.try_get("confirmation_message")?,
        default_opt_out_message: row.try_get("default_opt_out_message")?,
        rule_set: RuleSet::parse(&row.try_get::<String, _>("rule_set")?).map_err(|e| Error::Corrupt(e.to_string()))?,
        review_days: u32::try_from(row.try_get::<i64, _>("review_days")?).unwrap_or(DEFAULT_REVIEW_DAYS),
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
    /// Adds an account with the default messages: admins only.
    ///
    /// # Errors
    /// [`Error::AlreadyExists`] when the name is taken, also in another case, width or spacing;
    /// [`Error::InvalidField`] for an empty name or one with control characters;
    /// [`Error::Refused`] `forbidden` for a texter.
    pub async fn add_account(&self, actor: &Actor, request: &NewAccount) -> Result<Account> {
        actor.admin_only("add an account")?;
        let name = request.name.as_str();
        crate::text::name("name", name)?;
        once(self, request.command_id, "add_account", request, async |write: &mut Write<'_>| {
            taken_account_name(write, name, None).await?;
            let row = sqlx::query(&format!(
                "INSERT INTO accounts (name, auto_opt_outs, confirmation_message, default_opt_out_message, \
                 created_at) VALUES ($1, $2, $3, $4, $5) RETURNING {ACCOUNT_COLUMNS}"
            ))
            .bind(name)
            .bind(i64::from(request.auto_opt_outs))
            .bind(DEFAULT_CONFIRMATION)
            .bind(DEFAULT_OPT_OUT_MESSAGE)
            .bind(write.now)
            .fetch_one(&mut *write.tx)
            .await?;
            let account = account_from(&row)?;
            let on = if account.auto_opt_outs { "on" } else { "off" };
            let reason = format!("Added account {name:?}, automatic opt-outs {on}");
            audit(write, actor, "account_added", Some(account.id), None, &reason, request.command_id).await?;
            write.publish(&Changed::Account(account.clone()))?;
            Ok(account)
        })
        .await
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

    /// Changes an account's settings, or renames it: admins only.
    ///
    /// # Errors
    /// [`Error::UnknownAccount`]; [`Error::InvalidField`] for a message longer than four SMS or
    /// a bad name; [`Error::AlreadyExists`] for a name taken; [`Error::Refused`] `forbidden`.
    pub async fn update_account(&self, actor: &Actor, name: &str, settings: &AccountSettings) -> Result<Account> {
        actor.admin_only("change an account")?;
        if let Some(message) = &settings.confirmation_message {
            check_message("confirmation_message", message)?;
        }
        if let Some(message) = &settings.default_opt_out_message {
            check_message("default_opt_out_message", message)?;
        }
        if let Some(new_name) = &settings.name {
            crate::text::name("name", new_name)?;
        }
        if settings.review_days.is_some_and(|days| !REVIEW_DAYS.contains(&days)) {
            return Err(Error::field("review_days", "must be 1 to 10 business days (the US rules allow at most 10)"));
        }
        let command_id = settings.command_id.unwrap_or_else(uuid::Uuid::new_v4);
        let request = (name, settings);
        once(self, command_id, "update_account", &request, async |write: &mut Write<'_>| {
            let current = require_account(write, name).await?;
            let new_name = settings.name.as_deref().unwrap_or(&current.name);
            if new_name != current.name {
                taken_account_name(write, new_name, Some(current.id)).await?;
            }
            let row = sqlx::query(&format!(
                "UPDATE accounts SET name = $1, auto_opt_outs = $2, confirmation_message = $3, \
                 default_opt_out_message = $4, rule_set = $5, review_days = $6 WHERE id = $7 \
                 RETURNING {ACCOUNT_COLUMNS}"
            ))
            .bind(new_name)
            .bind(i64::from(settings.auto_opt_outs.unwrap_or(current.auto_opt_outs)))
            .bind(settings.confirmation_message.as_ref().unwrap_or(&current.confirmation_message))
            .bind(settings.default_opt_out_message.as_ref().unwrap_or(&current.default_opt_out_message))
            .bind(settings.rule_set.unwrap_or(current.rule_set).as_str())
            .bind(i64::from(settings.review_days.unwrap_or(current.review_days)))
            .bind(current.id)
            .fetch_one(&mut *write.tx)
            .await?;
            let account = account_from(&row)?;
            let reason = describe_change(&current, &account);
            audit(write, actor, "account_changed", Some(account.id), None, &reason, command_id).await?;
            write.publish(&Changed::Account(account.clone()))?;
            Ok(account)
        })
        .await
    }
}

/// What changed in an account, in words, for the audit log.
fn describe_change(before: &Account, after: &Account) -> String {
    let mut changes = Vec::new();
    if before.name != after.name {
        changes.push(format!("renamed {:?} to {:?}", before.name, after.name));
    }
    if before.auto_opt_outs != after.auto_opt_outs {
        changes.push(format!("automatic opt-outs {}", if after.auto_opt_outs { "on" } else { "off" }));
    }
    if before.confirmation_message != after.confirmation_message {
        changes.push(format!("confirmation message {:?}", after.confirmation_message));
    }
    if before.default_opt_out_message != after.default_opt_out_message {
        changes.push(format!("default opt-out message {:?}", after.default_opt_out_message));
    }
    if before.rule_set != after.rule_set {
        changes.push(format!("rule set {} ({})", after.rule_set.label(), after.rule_set.version()));
    }
    if before.review_days != after.review_days {
        changes.push(format!("reviews due within {} business days", after.review_days));
    }
    if changes.is_empty() {
        return format!("Saved the settings of {:?} unchanged", after.name);
    }
    format!("Account {:?}: {}", after.name, changes.join("; "))
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
