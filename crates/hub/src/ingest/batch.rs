//! What one write of ingested messages learns as it goes: the routes of its sender numbers, the
//! conversations it finds or makes, and the answers it gives to provider message ids.

use std::collections::HashMap;

use crate::accounts::require_account;
use crate::model::Account;
use crate::store::Write;
use crate::{Error, Result};

use super::{Event, Ingested};

/// What a sender number tells about its conversation.
#[derive(Clone)]
pub(crate) struct Route {
    pub(crate) campaign_id: i64,
    pub(crate) provider: u8,
    pub(crate) account: Account,
}

/// What one write has learnt so far. A batch of thousands of messages from a handful of sender
/// numbers reads each route once, reads the answers already given to its provider message ids in
/// one statement, knows the conversations it has made and how many replies they have had, and
/// remembers the answers it gives in one statement when it ends.
pub(super) struct Batch {
    routes: HashMap<String, Route>,
    by_campaign: HashMap<i64, Route>,
    pub(super) conversations: HashMap<(String, String), Conversation>,
    /// Answers given before this batch or in it, by provider message id.
    pub(super) answers: HashMap<String, Ingested>,
    /// The provider message ids this batch ingests.
    new: Vec<String>,
}

#[derive(Clone, Copy)]
pub(super) struct Conversation {
    pub(super) id: i64,
    /// Its campaign: the one its sender number had when it began.
    pub(super) campaign_id: i64,
    /// Replies so far, when known without asking.
    pub(super) replies: Option<i64>,
}

impl Batch {
    pub(super) async fn begin(write: &mut Write<'_>, events: &[Event]) -> Result<Batch> {
        let ids: Vec<String> = events.iter().map(|event| format!("message:{}", event.key())).collect();
        let sql = format!(
            "SELECT id, outcome FROM commands WHERE id IN (SELECT n.value FROM {})",
            write.backend.json_texts("$1")
        );
        let stored: Vec<(String, String)> =
            sqlx::query_as(&sql).bind(serde_json::to_string(&ids)?).fetch_all(&mut *write.tx).await?;
        let mut answers = HashMap::with_capacity(stored.len());
        for (id, outcome) in stored {
            let id = id.strip_prefix("message:").unwrap_or(&id).to_owned();
            answers.insert(id, serde_json::from_str(&outcome)?);
        }
        Ok(Batch {
            routes: HashMap::new(),
            by_campaign: HashMap::new(),
            conversations: HashMap::new(),
            answers,
            new: Vec::new(),
        })
    }

    pub(super) async fn route(&mut self, write: &mut Write<'_>, sender: &str) -> Result<Route> {
        if let Some(route) = self.routes.get(sender) {
            return Ok(route.clone());
        }
        let found: Option<i64> = sqlx::query_scalar("SELECT campaign_id FROM sender_numbers WHERE phone = $1")
            .bind(sender)
            .fetch_optional(&mut *write.tx)
            .await?;
        let campaign_id = found.ok_or_else(|| Error::UnknownSender(sender.to_owned()))?;
        let route = self.campaign(write, campaign_id).await?;
        self.routes.insert(sender.to_owned(), route.clone());
        Ok(route)
    }

    /// The route of a campaign: its provider and account.
    pub(super) async fn campaign(&mut self, write: &mut Write<'_>, campaign_id: i64) -> Result<Route> {
        if let Some(route) = self.by_campaign.get(&campaign_id) {
            return Ok(route.clone());
        }
        let (provider, account): (i64, String) = sqlx::query_as(
            "SELECT c.provider, a.name FROM campaigns c JOIN accounts a ON a.id = c.account_id WHERE c.id = $1",
        )
        .bind(campaign_id)
        .fetch_one(&mut *write.tx)
        .await?;
        let account = require_account(write, &account).await?;
        let route = Route { campaign_id, provider: u8::try_from(provider).unwrap_or(1), account };
        self.by_campaign.insert(campaign_id, route.clone());
        Ok(route)
    }

    pub(super) fn answered(&mut self, provider_message_id: &str, ingested: &Ingested) {
        self.new.push(provider_message_id.to_owned());
        self.answers.insert(provider_message_id.to_owned(), ingested.clone());
    }

    /// Stores the answers of the batch's messages, as one JSON array of `[id, answer]` pairs.
    pub(super) async fn remember(self, write: &mut Write<'_>) -> Result<()> {
        if self.new.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "INSERT INTO commands (id, kind, request, outcome, created_at) \
             SELECT 'message:' || (n.value ->> 0), 'message', '', n.value ->> 1, $1 FROM {}",
            write.backend.json_values("$2")
        );
        let pairs = self
            .new
            .iter()
            .map(|id| Ok((id, serde_json::to_string(&self.answers[id])?)))
            .collect::<Result<Vec<_>>>()?;
        sqlx::query(&sql).bind(write.now).bind(serde_json::to_string(&pairs)?).execute(&mut *write.tx).await?;
        Ok(())
    }
}
