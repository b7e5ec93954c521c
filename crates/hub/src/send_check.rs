//! May this account text this number from this sender number now?

mod batch;

use serde::{Deserialize, Serialize};

use crate::accounts::require_account;
use crate::model::Source;
use crate::phone::{e164, Region};
use crate::records::{record_opt_out, NewOptOut};
use crate::{Error, Hub, Result};

pub(crate) use batch::Batcher;

/// The answer to a send check. When in doubt, the answer is no.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendCheck {
    /// Whether the message may go.
    pub allowed: bool,
    /// Why, as a stable code: `allowed`, `opted_out`, `provider_block`, `campaign_stopped`,
    /// `sender_retired`,
    /// `invalid_phone`, `unknown_account`, `unknown_sender`, `other_account`, `unavailable`.
    pub code: String,
    /// Why, for a person.
    pub reason: String,
    /// The account opt-out that stops the send, if one does (new in the deferred case).
    pub opt_out_id: Option<i64>,
}

impl SendCheck {
    fn no(code: &str, reason: impl Into<String>) -> SendCheck {
        SendCheck { allowed: false, code: code.to_owned(), reason: reason.into(), opt_out_id: None }
    }
}

/// Account name, whether the number sends ([`SENDS`]; 0 when its campaign has stopped;
/// [`RETIRED`]), opt-out in force, block since, latest opt-in.
type FactsRow = (String, i64, Option<i64>, Option<i64>, Option<i64>);

/// The sender number's campaign texts.
const SENDS: i64 = 1;
/// The number was retired.
const RETIRED: i64 = -1;

struct Facts {
    account: String,
    sending: i64,
    opt_out_id: Option<i64>,
    blocked_since: Option<i64>,
    opted_in_since: Option<i64>,
}

impl Hub {
    /// Answers whether `account` may text `contact` from `sender` now.
    ///
    /// No when the account has opted the number out, when the campaign has stopped, and when the
    /// provider blocks the sender number for this contact; in that last case the account opts the
    /// number out now (the *deferred* opt-out of the reference table), unless an admin opted it
    /// back in after the block. Malformed numbers, unknown accounts or senders, and any storage
    /// failure answer no. A number never seen before is allowed.
    pub async fn send_check(&self, account: &str, sender: &str, contact: &str) -> SendCheck {
        match self.try_send_check(account, sender, contact).await {
            Ok(answer) => answer,
            Err(Error::UnknownAccount(name)) => SendCheck::no("unknown_account", format!("no account named {name:?}")),
            Err(_) => SendCheck::no("unavailable", "the check could not be made, so the message must not go"),
        }
    }

    async fn try_send_check(&self, account: &str, sender: &str, contact: &str) -> Result<SendCheck> {
        let Ok(sender) = e164(sender, Region::US) else {
            return Ok(SendCheck::no("invalid_phone", format!("sender number {sender:?} is not a valid number")));
        };
        let region = if sender.starts_with("+44") { Region::GB } else { Region::US };
        let contact = match e164(contact, region) {
            Ok(contact) => contact,
            Err(why) => return Ok(SendCheck::no("invalid_phone", format!("{contact:?} is not a valid number: {why}"))),
        };
        let Some(facts) = self.facts(account, &sender, &contact).await? else {
            return Ok(SendCheck::no("unknown_sender", format!("no campaign sends from {sender}")));
        };
        if facts.account != account {
            self.account(account).await?;
            return Ok(SendCheck::no("other_account", format!("{sender} sends for another account")));
        }
        if let Some(id) = facts.opt_out_id {
            return Ok(SendCheck {
                opt_out_id: Some(id),
                ..SendCheck::no("opted_out", format!("{contact} opted out"))
            });
        }
        if let Some(blocked_since) = facts.blocked_since {
            let reason = format!("the provider blocks {sender} for {contact}");
            if facts.opted_in_since.is_some_and(|at| at > blocked_since) {
                return Ok(SendCheck::no("provider_block", format!("{reason}; the contact must reply START")));
            }
            let id = self.deferred_opt_out(&facts.account, &sender, &contact).await?;
            return Ok(SendCheck {
                opt_out_id: id,
                ..SendCheck::no("provider_block", format!("{reason}, so the account opts them out now"))
            });
        }
        if facts.sending == RETIRED {
            return Ok(SendCheck::no("sender_retired", format!("{sender} was retired: it sends no more")));
        }
        if facts.sending != SENDS {
            return Ok(SendCheck::no("campaign_stopped", format!("the campaign that sends from {sender} has stopped")));
        }
        Ok(SendCheck {
            allowed: true,
            code: "allowed".to_owned(),
            reason: "nothing stops it".to_owned(),
            opt_out_id: None,
        })
    }

    /// Everything the answer depends on, in one query shared with the send checks asked at the
    /// same time (see [`batch`]).
    async fn facts(&self, account: &str, sender: &str, contact: &str) -> Result<Option<Facts>> {
        let row = self.batcher.facts(sender, contact).await?;
        if row.is_none() {
            // Say "unknown account" before "unknown sender" when the account is what is wrong.
            self.account(account).await?;
        }
        Ok(row.map(|(account, sending, opt_out_id, blocked_since, opted_in_since)| Facts {
            account,
            sending,
            opt_out_id,
            blocked_since,
            opted_in_since,
        }))
    }

    async fn deferred_opt_out(&self, account: &str, sender: &str, contact: &str) -> Result<Option<i64>> {
        let mut write = self.write().await?;
        let account = require_account(&mut write, account).await?;
        // Read again inside the write: the block may have been lifted meanwhile.
        let keyword: Option<Option<String>> = sqlx::query_scalar(
            "SELECT m.body FROM provider_blocks b LEFT JOIN messages m ON m.id = b.message_id \
             WHERE b.contact_phone = $1 AND b.sender_phone = $2 AND b.lifted_at IS NULL",
        )
        .bind(contact)
        .bind(sender)
        .fetch_optional(&mut *write.tx)
        .await?;
        let Some(keyword) = keyword else { return Ok(None) };
        let (opt_out, _) = record_opt_out(
            &mut write,
            &NewOptOut {
                account: &account,
                phone: contact,
                source: Source::ProviderBlock,
                actor: "rules",
                reason: &format!("A send from {sender} was blocked by the provider after the contact's keyword"),
                evidence: keyword.as_deref(),
                message_id: None,
                sender_phone: Some(sender),
                rule: Some("deferred_opt_out"),
                rule_set: None,
                command_id: None,
            },
        )
        .await?;
        write.commit().await?;
        Ok(Some(opt_out.id))
    }
}
