//! Setting the organisation up from the app: accounts, campaigns and their sender numbers, and
//! the tokens people and systems act with. Each change is a command in the outbox, like every
//! other action, checked here against the cache first so that a mistake is named before anything
//! is queued; the hub has the last word.

use optout_cache::OutboxItem;
use optout_client::{Command, Link};
use optout_hub::{
    AccountSettings, Campaign, CampaignChange, NewAccount, NewCampaign, NewToken, ProviderConnection, ProviderSetup,
    Region, RetireSender, RevokeToken, Role, SenderChange, Token,
};
use optout_rules::Provider;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Desk, Failure, HubMode};

/// A token just made: its command in the outbox, and its secret, which this is the only
/// chance to see. Only the secret's SHA-256 is queued and kept.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MadeToken {
    /// The command that makes it.
    pub item: OutboxItem,
    /// The secret, to give its holder once.
    pub secret: String,
}

impl std::fmt::Debug for MadeToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MadeToken").field("item", &self.item).field("secret", &"<redacted>").finish()
    }
}

/// A webhook to give a provider: where on the hub, and where in the provider's console.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProviderWebhook {
    /// `twilio`, `telnyx` or `bandwidth`.
    pub provider: String,
    /// The URL: the hub's address and the path, or the path alone when this computer's hub is
    /// the embedded one (served with `optout serve --public-url …`).
    pub url: String,
    /// Where in the provider's console it goes.
    pub setting: String,
}

/// A name as two names are compared here: case and runs of spaces aside. (The hub also folds
/// widths; what slips through here it refuses.)
fn name_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A name someone typed, trimmed, or an `invalid` failure naming `field`.
fn typed_name(field: &str, name: &str) -> Result<String, Failure> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Failure::invalid(field, "must not be empty"));
    }
    Ok(name.to_owned())
}

/// "the campaign \"Spring\" of Acme"
fn named(campaign: &Campaign) -> String {
    format!("the campaign {:?} of {}", campaign.name, campaign.account)
}

impl Desk {
    /// Adds an account, with automatic opt-outs on or off.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] naming `name` when it is empty or taken.
    pub async fn add_account(&self, name: &str, auto_opt_outs: bool) -> Result<OutboxItem, Failure> {
        let name = typed_name("name", name)?;
        if self.accounts().await?.iter().any(|a| name_key(&a.name) == name_key(&name)) {
            return Err(Failure::invalid("name", format!("there is an account named {name:?} already")));
        }
        self.submit(Command::AddAccount(NewAccount { command_id: Uuid::new_v4(), name, auto_opt_outs })).await
    }

    /// Renames an account. Its opt-outs, campaigns and history go with it.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] for an unknown account, or naming `name` when it is empty or
    /// another account's.
    pub async fn rename_account(&self, account: &str, name: &str) -> Result<OutboxItem, Failure> {
        let name = typed_name("name", name)?;
        let accounts = self.accounts().await?;
        if !accounts.iter().any(|a| a.name == account) {
            return Err(Failure::invalid("account", format!("no account named {account:?}")));
        }
        if accounts.iter().any(|a| a.name != account && name_key(&a.name) == name_key(&name)) {
            return Err(Failure::invalid("name", format!("there is an account named {name:?} already")));
        }
        let settings = AccountSettings { name: Some(name), ..AccountSettings::default() };
        self.save_settings(account, settings).await
    }

    /// Adds a campaign to `account` on `provider` (1: the US and Canada, 2: the UK), sending from
    /// `sender_numbers`, one a line in any common format (read in the provider's region). Every
    /// line is read before anything is queued: a bad line, or a number that already sends for a
    /// campaign, is named by its line, and nothing is queued.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] naming `account`, `name`, `provider` or `line N`.
    pub async fn add_campaign(
        &self,
        account: &str,
        name: &str,
        provider: u8,
        sender_numbers: &str,
    ) -> Result<OutboxItem, Failure> {
        self.cache.require_account(account).await?;
        let name = typed_name("name", name)?;
        let Some(carrier) = Provider::from_number(provider) else {
            return Err(Failure::invalid("provider", "must be 1 (US and Canada) or 2 (UK)"));
        };
        let campaigns = self.campaigns().await?;
        if campaigns.iter().any(|c| c.account == account && name_key(&c.name) == name_key(&name)) {
            return Err(Failure::invalid("name", format!("{account} has a campaign named {name:?} already")));
        }
        let mut numbers: Vec<String> = Vec::new();
        for (line, text) in sender_numbers.lines().enumerate().filter(|(_, t)| !t.trim().is_empty()) {
            let at = format!("line {}", line + 1);
            let phone = optout_hub::phone::e164(text, Region::of_provider(carrier))
                .map_err(|why| Failure::invalid(&at, format!("{:?}: {why}", text.trim())))?;
            if let Some(owner) = campaigns.iter().find(|c| c.sender_numbers.contains(&phone)) {
                let why = format!("{phone} sends for {}: add the campaign, then move the number to it", named(owner));
                return Err(Failure::invalid(&at, why));
            }
            if let Some(owner) = campaigns.iter().find(|c| c.retired_numbers.contains(&phone)) {
                let why =
                    format!("{phone} is retired in {}: add the campaign, then add the number to it", named(owner));
                return Err(Failure::invalid(&at, why));
            }
            if !numbers.contains(&phone) {
                numbers.push(phone);
            }
        }
        self.submit(Command::AddCampaign(NewCampaign {
            command_id: Uuid::new_v4(),
            account: account.to_owned(),
            name,
            provider,
            sender_numbers: numbers,
        }))
        .await
    }

    /// Stops a campaign (`active` false) or restarts it.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] for a campaign the cache does not have.
    pub async fn set_campaign_active(&self, campaign_id: i64, active: bool) -> Result<OutboxItem, Failure> {
        let campaign = self.campaign(campaign_id).await?;
        self.update_campaign(&campaign, Some(active), None).await
    }

    /// Renames a campaign.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] for an unknown campaign, or naming `name` when it is empty or
    /// another campaign's in the account.
    pub async fn rename_campaign(&self, campaign_id: i64, name: &str) -> Result<OutboxItem, Failure> {
        let name = typed_name("name", name)?;
        let campaign = self.campaign(campaign_id).await?;
        let taken = self
            .campaigns()
            .await?
            .into_iter()
            .find(|c| c.id != campaign.id && c.account == campaign.account && name_key(&c.name) == name_key(&name));
        if taken.is_some() {
            return Err(Failure::invalid(
                "name",
                format!("{} has a campaign named {name:?} already", campaign.account),
            ));
        }
        self.update_campaign(&campaign, None, Some(name)).await
    }

    async fn update_campaign(
        &self,
        campaign: &Campaign,
        active: Option<bool>,
        rename: Option<String>,
    ) -> Result<OutboxItem, Failure> {
        self.submit(Command::UpdateCampaign(CampaignChange {
            command_id: Uuid::new_v4(),
            account: campaign.account.clone(),
            campaign: campaign.name.clone(),
            active,
            rename,
        }))
        .await
    }

    /// Gives the sender number `phone` (any common format, read in the campaign's region) to a
    /// campaign: a new number, a retired one, or, when `move_from` names the campaign it sends
    /// for now, one taken from there.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] for an unknown campaign, or naming `phone` when it cannot be
    /// read, sends for this campaign already, or sends for a campaign `move_from` does not name.
    pub async fn add_sender(
        &self,
        campaign_id: i64,
        phone: &str,
        move_from: Option<i64>,
    ) -> Result<OutboxItem, Failure> {
        let campaign = self.campaign(campaign_id).await?;
        let phone = optout_hub::phone::e164(phone, Region::of_provider(campaign.provider))
            .map_err(|why| Failure::invalid("phone", why))?;
        let owner = self.campaigns().await?.into_iter().find(|c| c.sender_numbers.contains(&phone));
        match (&owner, move_from) {
            (Some(owner), _) if owner.id == campaign.id => {
                return Err(Failure::invalid("phone", format!("{phone} sends for {} already", named(owner))));
            }
            (Some(owner), from) if from != Some(owner.id) => {
                let why = format!("{phone} sends for {}: move it from there instead", named(owner));
                return Err(Failure::invalid("phone", why));
            }
            (None, Some(_)) => {
                return Err(Failure::invalid("phone", format!("{phone} sends for no other campaign to move it from")));
            }
            _ => {}
        }
        self.submit(Command::AddSender(SenderChange {
            command_id: Uuid::new_v4(),
            phone,
            account: campaign.account.clone(),
            campaign: campaign.name.clone(),
            move_from_campaign: owner.map(|o| o.id),
        }))
        .await
    }

    /// Retires a sender number: it sends no more, its conversations stay with its campaign, and
    /// a late reply to it still counts.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] naming `phone` when it cannot be read or no campaign sends from it.
    pub async fn retire_sender(&self, phone: &str) -> Result<OutboxItem, Failure> {
        let phone = optout_cache::parse_any(phone)?;
        if !self.campaigns().await?.iter().any(|c| c.sender_numbers.contains(&phone)) {
            return Err(Failure::invalid("phone", format!("no campaign sends from {phone}")));
        }
        self.submit(Command::RetireSender(RetireSender { command_id: Uuid::new_v4(), phone })).await
    }

    /// The tokens, read live from the hub (they are never in the cache): who holds each, its
    /// role, who made it when, when it was last used, and whether it is revoked.
    ///
    /// # Errors
    /// `unreachable` when the hub cannot be reached; `invalid` when the hub refuses (a texter's
    /// token may not list them).
    pub async fn tokens(&self) -> Result<Vec<Token>, Failure> {
        Ok(self.syncer.link().tokens().await?)
    }

    /// Makes a token for `name` with `role`. The secret is made on this computer, and only its
    /// SHA-256 goes into the outbox and to the hub: the answer is the only place it appears.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] naming `name` when it is empty.
    pub async fn make_token(&self, name: &str, role: Role) -> Result<MadeToken, Failure> {
        let name = typed_name("name", name)?;
        let secret = optout_hub::new_secret()?;
        let secret_sha256 = Some(optout_hub::secret_sha256(&secret));
        let item =
            self.submit(Command::AddToken(NewToken { command_id: Uuid::new_v4(), name, role, secret_sha256 })).await?;
        Ok(MadeToken { item, secret })
    }

    /// Revokes a token: whatever holds it can do nothing more.
    ///
    /// # Errors
    /// A [`Failure`] when the outbox cannot be written; the hub refuses an unknown or revoked
    /// token on the outbox item.
    pub async fn revoke_token(&self, token_id: i64) -> Result<OutboxItem, Failure> {
        self.submit(Command::RevokeToken(RevokeToken { command_id: Uuid::new_v4(), token_id })).await
    }

    /// The providers connected to the hub: who set each secret when, and what has arrived from
    /// each (genuine callbacks, refused ones and why, callbacks for numbers no campaign sends
    /// from). Never a secret.
    ///
    /// # Errors
    /// `unreachable` when the hub cannot be reached; `invalid` when it refuses (admins only).
    pub async fn providers(&self) -> Result<Vec<ProviderConnection>, Failure> {
        Ok(self.syncer.link().providers().await?)
    }

    /// Connects a provider, or changes its secret. The secret goes straight to the hub: it is
    /// never queued in the outbox, kept in the cache or shown again.
    ///
    /// # Errors
    /// An `invalid` [`Failure`] naming the empty field; the hub's refusal (a Telnyx key that is
    /// not a key); `unreachable` when the hub cannot be reached, and nothing is kept.
    pub async fn set_provider(&self, setup: ProviderSetup) -> Result<ProviderConnection, Failure> {
        let setup = match setup {
            ProviderSetup::Twilio { auth_token } => {
                ProviderSetup::Twilio { auth_token: typed_name("auth_token", &auth_token)? }
            }
            ProviderSetup::Telnyx { public_key } => {
                ProviderSetup::Telnyx { public_key: typed_name("public_key", &public_key)? }
            }
            ProviderSetup::Bandwidth { username, password } => ProviderSetup::Bandwidth {
                username: typed_name("username", &username)?,
                password: typed_name("password", &password)?,
            },
        };
        Ok(self.syncer.link().set_provider(&setup).await?)
    }

    /// The webhooks to give the providers, with this hub's address when it has one.
    pub fn provider_webhooks(&self) -> Vec<ProviderWebhook> {
        let base = match self.mode {
            HubMode::Remote => self.hub_name.trim_end_matches('/'),
            HubMode::Embedded => "",
        };
        optout_hub::http::WEBHOOKS
            .iter()
            .map(|(provider, path, setting)| ProviderWebhook {
                provider: provider.as_str().to_owned(),
                url: format!("{base}{path}"),
                setting: (*setting).to_owned(),
            })
            .collect()
    }

    async fn campaign(&self, id: i64) -> Result<Campaign, Failure> {
        self.campaigns()
            .await?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| Failure::invalid("campaign", format!("no campaign {id} in the cache")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_collide_in_case_and_spacing_and_a_secret_stays_out_of_debug() {
        assert_eq!(name_key("Northside  Tenants union"), name_key("northside tenants Union"));
        assert!(typed_name("name", "  \t").is_err());
        assert_eq!(typed_name("name", " Acme ").ok().as_deref(), Some("Acme"));
    }
}
