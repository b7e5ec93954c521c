//! Campaigns and the numbers they send from.
//!
//! A sender number belongs to one campaign at a time (it is the key of its row). Moving it to
//! another campaign is said out loud (the request names the campaign it leaves); retiring it
//! stops its sends but keeps it with its campaign, so that its conversations and blocks stay in
//! the record and a contact's late reply to it still counts.

use optout_rules::Provider;

use crate::accounts::require_account;
use crate::commands::once;
use crate::feed::Changed;
use crate::model::{stored_provider, Actor, Campaign};
use crate::organisation::{audit, CampaignChange, NewCampaign, RetireSender, SenderChange};
use crate::phone::{parse_field, Region};
use crate::store::Write;
use crate::{Error, Hub, Result};

fn check_provider(provider: u8) -> Result<Provider> {
    Provider::from_number(provider).ok_or_else(|| Error::field("provider", "must be 1 (US/CA) or 2 (UK)"))
}

impl Hub {
    /// Adds a campaign to an account, with the numbers it sends from: admins only.
    ///
    /// Provider 1 campaigns text the US and Canada, provider 2 the UK; sender numbers are read
    /// in that region.
    ///
    /// # Errors
    /// [`Error::UnknownAccount`], [`Error::InvalidPhone`] naming `sender_numbers[i]`,
    /// [`Error::AlreadyExists`] for a taken campaign name or a number that sends for a campaign,
    /// [`Error::Refused`] `forbidden`.
    pub async fn add_campaign(&self, actor: &Actor, request: &NewCampaign) -> Result<Campaign> {
        actor.admin_only("add a campaign")?;
        crate::text::name("name", &request.name)?;
        let provider = check_provider(request.provider)?;
        let region = Region::of_provider(provider);
        let senders = request
            .sender_numbers
            .iter()
            .enumerate()
            .map(|(i, s)| parse_field(&format!("sender_numbers[{i}]"), s, region))
            .collect::<Result<Vec<_>>>()?;
        once(self, request.command_id, "add_campaign", request, async |write: &mut Write<'_>| {
            let owner = require_account(write, &request.account).await?;
            taken_campaign_name(write, owner.id, &request.name, None).await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO campaigns (account_id, name, provider, active, created_at) VALUES ($1, $2, $3, 1, $4) \
                 RETURNING id",
            )
            .bind(owner.id)
            .bind(&request.name)
            .bind(i64::from(request.provider))
            .bind(write.now)
            .fetch_one(&mut *write.tx)
            .await?;
            for (i, sender) in senders.iter().enumerate() {
                if senders[..i].contains(sender) {
                    continue;
                }
                if let Some(owner) = sender_of(write, sender).await? {
                    return Err(Error::AlreadyExists(format!("sender number {sender} (it sends for {owner})")));
                }
                sqlx::query("INSERT INTO sender_numbers (phone, campaign_id) VALUES ($1, $2)")
                    .bind(sender)
                    .bind(id)
                    .execute(&mut *write.tx)
                    .await?;
            }
            let reason = format!(
                "Added campaign {:?} (Provider {}) sending from {}",
                request.name,
                request.provider,
                if senders.is_empty() { "no number yet".to_owned() } else { senders.join(", ") }
            );
            audit(write, actor, "campaign_added", Some(owner.id), None, &reason, request.command_id).await?;
            published(write, id).await
        })
        .await
    }

    /// Stops, restarts or renames a campaign: admins only.
    ///
    /// # Errors
    /// [`Error::UnknownAccount`], [`Error::UnknownCampaign`], [`Error::AlreadyExists`] for a new
    /// name taken, [`Error::Refused`] `forbidden`.
    pub async fn update_campaign(&self, actor: &Actor, request: &CampaignChange) -> Result<Campaign> {
        actor.admin_only("change a campaign")?;
        if let Some(name) = &request.rename {
            crate::text::name("rename", name)?;
        }
        once(self, request.command_id, "update_campaign", request, async |write: &mut Write<'_>| {
            let owner = require_account(write, &request.account).await?;
            let (id, active): (i64, i64) =
                sqlx::query_as("SELECT id, active FROM campaigns WHERE account_id = $1 AND name = $2")
                    .bind(owner.id)
                    .bind(&request.campaign)
                    .fetch_optional(&mut *write.tx)
                    .await?
                    .ok_or_else(|| Error::UnknownCampaign(request.campaign.clone()))?;
            let name = request.rename.as_deref().unwrap_or(&request.campaign);
            if name != request.campaign {
                taken_campaign_name(write, owner.id, name, Some(id)).await?;
            }
            let active = request.active.unwrap_or(active != 0);
            sqlx::query("UPDATE campaigns SET name = $1, active = $2 WHERE id = $3")
                .bind(name)
                .bind(i64::from(active))
                .bind(id)
                .execute(&mut *write.tx)
                .await?;
            let mut said = vec![if active { "texts" } else { "stopped" }.to_owned()];
            if name != request.campaign {
                said.insert(0, format!("renamed to {name:?}"));
            }
            let reason = format!("Campaign {:?}: {}", request.campaign, said.join(", "));
            audit(write, actor, "campaign_changed", Some(owner.id), None, &reason, request.command_id).await?;
            published(write, id).await
        })
        .await
    }

    /// Gives a sender number to a campaign: a new number, a retired one (which sends again), or
    /// one moved from the campaign `move_from_campaign` names. Admins only.
    ///
    /// # Errors
    /// [`Error::InvalidPhone`], [`Error::UnknownAccount`], [`Error::UnknownCampaign`],
    /// [`Error::AlreadyExists`] when the number sends for a campaign the request does not name,
    /// [`Error::Refused`] `forbidden`.
    pub async fn add_sender(&self, actor: &Actor, request: &SenderChange) -> Result<Campaign> {
        actor.admin_only("add a sender number")?;
        once(self, request.command_id, "add_sender", request, async |write: &mut Write<'_>| {
            let owner = require_account(write, &request.account).await?;
            let (id, provider): (i64, i64) =
                sqlx::query_as("SELECT id, provider FROM campaigns WHERE account_id = $1 AND name = $2")
                    .bind(owner.id)
                    .bind(&request.campaign)
                    .fetch_optional(&mut *write.tx)
                    .await?
                    .ok_or_else(|| Error::UnknownCampaign(request.campaign.clone()))?;
            let region = Region::of_provider(stored_provider(provider)?);
            let phone = parse_field("phone", &request.phone, region)?;
            let now: Option<(i64, Option<i64>)> =
                sqlx::query_as("SELECT campaign_id, retired_at FROM sender_numbers WHERE phone = $1")
                    .bind(&phone)
                    .fetch_optional(&mut *write.tx)
                    .await?;
            let reason = match now {
                None => {
                    sqlx::query("INSERT INTO sender_numbers (phone, campaign_id) VALUES ($1, $2)")
                        .bind(&phone)
                        .bind(id)
                        .execute(&mut *write.tx)
                        .await?;
                    format!("Added {phone} to campaign {:?}", request.campaign)
                }
                Some((from, None)) if from == id => {
                    return Err(Error::AlreadyExists(format!("sender number {phone} in {:?}", request.campaign)))
                }
                Some((from, None)) if request.move_from_campaign != Some(from) => {
                    let owner = sender_of(write, &phone).await?.unwrap_or_default();
                    return Err(Error::AlreadyExists(format!(
                        "sender number {phone} (it sends for {owner}; a move must name the campaign it leaves)"
                    )));
                }
                Some((from, retired)) => {
                    sqlx::query("UPDATE sender_numbers SET campaign_id = $1, retired_at = NULL WHERE phone = $2")
                        .bind(id)
                        .bind(&phone)
                        .execute(&mut *write.tx)
                        .await?;
                    if from != id {
                        published(write, from).await?;
                    }
                    let how = if retired.is_some() { "Brought back retired" } else { "Moved" };
                    format!("{how} {phone} to campaign {:?}", request.campaign)
                }
            };
            audit(write, actor, "sender_added", Some(owner.id), Some(&phone), &reason, request.command_id).await?;
            published(write, id).await
        })
        .await
    }

    /// Retires a sender number: it sends no more, and stays with its campaign. Admins only.
    ///
    /// # Errors
    /// [`Error::InvalidPhone`], [`Error::NotFound`] for a number no campaign has,
    /// [`Error::Refused`] `forbidden`.
    pub async fn retire_sender(&self, actor: &Actor, request: &RetireSender) -> Result<Campaign> {
        actor.admin_only("retire a sender number")?;
        let phone = crate::phone::parse_any("phone", &request.phone)?;
        once(self, request.command_id, "retire_sender", request, async |write: &mut Write<'_>| {
            let found: Option<(i64, i64)> = sqlx::query_as(
                "SELECT s.campaign_id, c.account_id FROM sender_numbers s JOIN campaigns c ON c.id = s.campaign_id \
                 WHERE s.phone = $1",
            )
            .bind(&phone)
            .fetch_optional(&mut *write.tx)
            .await?;
            let (campaign_id, account_id) = found.ok_or_else(|| Error::NotFound(format!("sender number {phone}")))?;
            sqlx::query("UPDATE sender_numbers SET retired_at = COALESCE(retired_at, $1) WHERE phone = $2")
                .bind(write.now)
                .bind(&phone)
                .execute(&mut *write.tx)
                .await?;
            let reason = format!("Retired {phone}: it sends no more; its conversations stay");
            audit(write, actor, "sender_retired", Some(account_id), Some(&phone), &reason, request.command_id).await?;
            published(write, campaign_id).await
        })
        .await
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
        campaigns_where(&mut conn, account_id, None).await
    }
}

/// "campaign \"Spring\" of \"Acme\"": who a sender number sends for, if anybody does.
async fn sender_of(write: &mut Write<'_>, phone: &str) -> Result<Option<String>> {
    let owner: Option<(String, String)> = sqlx::query_as(
        "SELECT c.name, a.name FROM sender_numbers s JOIN campaigns c ON c.id = s.campaign_id \
         JOIN accounts a ON a.id = c.account_id WHERE s.phone = $1 AND s.retired_at IS NULL",
    )
    .bind(phone)
    .fetch_optional(&mut *write.tx)
    .await?;
    Ok(owner.map(|(campaign, account)| format!("campaign {campaign:?} of {account:?}")))
}

async fn taken_campaign_name(write: &mut Write<'_>, account_id: i64, name: &str, except: Option<i64>) -> Result<()> {
    let key = crate::text::name_key(name);
    let names: Vec<(i64, String)> = sqlx::query_as("SELECT id, name FROM campaigns WHERE account_id = $1")
        .bind(account_id)
        .fetch_all(&mut *write.tx)
        .await?;
    match names.into_iter().find(|(id, other)| Some(*id) != except && crate::text::name_key(other) == key) {
        Some((_, other)) => Err(Error::AlreadyExists(format!("campaign {other:?} in this account"))),
        None => Ok(()),
    }
}

/// The campaign `id` as it now is, published on the feed.
async fn published(write: &mut Write<'_>, id: i64) -> Result<Campaign> {
    let campaign = campaigns_where(&mut write.tx, None, Some(id))
        .await?
        .pop()
        .ok_or_else(|| Error::Corrupt(format!("campaign {id} vanished")))?;
    write.publish(&Changed::Campaign(campaign.clone()))?;
    Ok(campaign)
}

async fn campaigns_where(
    conn: &mut sqlx::AnyConnection,
    account_id: Option<i64>,
    id: Option<i64>,
) -> Result<Vec<Campaign>> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT c.id, a.name AS account, c.name, c.provider, c.active, s.phone AS sender, s.retired_at \
         FROM campaigns c JOIN accounts a ON a.id = c.account_id \
         LEFT JOIN sender_numbers s ON s.campaign_id = c.id \
         WHERE ($1 IS NULL OR c.account_id = $1) AND ($2 IS NULL OR c.id = $2) ORDER BY a.name, c.name, c.id, s.phone",
    )
    .bind(account_id)
    .bind(id)
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
                provider: stored_provider(row.try_get("provider")?)?,
                active: row.try_get::<i64, _>("active")? != 0,
                sender_numbers: Vec::new(),
                retired_numbers: Vec::new(),
            });
        }
        let Some(campaign) = campaigns.last_mut() else { continue };
        if let Some(sender) = row.try_get::<Option<String>, _>("sender")? {
            match row.try_get::<Option<i64>, _>("retired_at")? {
                None => campaign.sender_numbers.push(sender),
                Some(_) => campaign.retired_numbers.push(sender),
            }
        }
    }
    Ok(campaigns)
}
