//! Setting up an organisation: the requests that add and change its accounts, campaigns, sender
//! numbers and tokens, and what they share. Each is an admin's command with a client-made id
//! (the same id twice is one command), in the audit log and, but for tokens, on the feed.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::model::Actor;
use crate::store::{Audit, Write};
use crate::Result;

fn new_id() -> Uuid {
    Uuid::new_v4()
}

fn yes() -> bool {
    true
}

/// Add an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    /// Made by the client; the same id twice is one command. A new one when left out.
    #[serde(default = "new_id")]
    pub command_id: Uuid,
    /// Its name: unique, also in another case, width or spacing.
    pub name: String,
    /// Whether a keyword as the first response opts the contact out by itself (default on).
    #[serde(default = "yes")]
    pub auto_opt_outs: bool,
}

/// Add a campaign to an account, with the numbers it sends from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewCampaign {
    /// Made by the client; the same id twice is one command.
    #[serde(default = "new_id")]
    pub command_id: Uuid,
    /// The account's name.
    pub account: String,
    /// The campaign's name, unique in the account.
    pub name: String,
    /// 1: the US and Canada; 2: the UK. Sender numbers are read in that region.
    pub provider: u8,
    /// The numbers it sends from; each may belong to no other campaign.
    #[serde(default)]
    pub sender_numbers: Vec<String>,
}

/// Change a campaign: stop or restart it, or rename it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignChange {
    /// Made by the client; the same id twice is one command.
    #[serde(default = "new_id")]
    pub command_id: Uuid,
    /// The account's name.
    pub account: String,
    /// The campaign's name now.
    pub campaign: String,
    /// Whether it texts.
    #[serde(default)]
    pub active: Option<bool>,
    /// A new name.
    #[serde(default)]
    pub rename: Option<String>,
}

/// Give a sender number to a campaign: a new number, a retired one, or one moved from another
/// campaign (`move_from_campaign` must then name the campaign it leaves, as the admin saw it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SenderChange {
    /// Made by the client; the same id twice is one command.
    #[serde(default = "new_id")]
    pub command_id: Uuid,
    /// The number, any common format (read in the campaign's region).
    pub phone: String,
    /// The account of the campaign it joins.
    pub account: String,
    /// The campaign it joins.
    pub campaign: String,
    /// When the number sends for another campaign now, that campaign's id: a move, said out
    /// loud, so that a number is never taken from a campaign by mistake.
    #[serde(default)]
    pub move_from_campaign: Option<i64>,
}

/// Retire a sender number: it sends no more, but its conversations and blocks stay in the
/// record, and a late reply to it still counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetireSender {
    /// Made by the client; the same id twice is one command.
    #[serde(default = "new_id")]
    pub command_id: Uuid,
    /// The number.
    pub phone: String,
}

/// One line of the audit log about setting the organisation up: who did what, when, by which
/// command. `phone` is the sender number concerned, if one is, so that a lookup of it shows its
/// history.
pub(crate) async fn audit(
    write: &mut Write<'_>,
    actor: &Actor,
    action: &str,
    account_id: Option<i64>,
    phone: Option<&str>,
    reason: &str,
    command_id: Uuid,
) -> Result<()> {
    write.audit(&Audit {
        at: write.now,
        actor: &actor.name,
        action,
        account_id,
        phone: phone.unwrap_or(""),
        sender_phone: phone,
        source: "setup",
        reason,
        command_id: Some(command_id.to_string()),
        ..Audit::default()
    })
}
