//! Opting numbers out by hand or for another system: the command, and where its message goes.
//! The rows it writes are in `records`; opting back in is in `optins`.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::accounts::require_account;
use crate::commands::once;
use crate::feed::QueuedMessage;
use crate::model::{Actor, OptOut, Source, StopRequest};
use crate::phone::{parse_field, Region};
use crate::records::{queue_message, request_to_stop, NewOptOut};
use crate::store::Write;
use crate::{Error, Hub, Result};

/// Opt a number out of one account by hand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptOutRequest {
    /// Made by the client; the same id twice is one command.
    pub command_id: Uuid,
    /// The account's name.
    pub account: String,
    /// The number, any common format.
    pub phone: String,
    /// Read a number without `+` in this region (default: US).
    #[serde(default)]
    pub region: Region,
    /// Why, in words.
    pub reason: String,
    /// A message to send the contact about it, usually the account's default opt-out message.
    #[serde(default)]
    pub message: Option<String>,
    /// `manual` (a person, the default) or `api` (another system).
    #[serde(default = "manual")]
    pub source: Source,
}

fn manual() -> Source {
    Source::Manual
}

/// What an opt-out command did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptOutOutcome {
    /// The opt-out in force: the new one, or the one that already was.
    pub opt_out: OptOut,
    /// True when the number was already opted out: the opt-out in force stands, and this
    /// request to stop is kept against it (`request`).
    pub already_opted_out: bool,
    /// The request kept against the opt-out already in force, when there was one.
    #[serde(default)]
    pub request: Option<StopRequest>,
    /// The message queued to the contact, if one was.
    pub message: Option<QueuedMessage>,
    /// Why a requested or configured message was not queued.
    pub message_withheld: Option<String>,
}

impl Hub {
    /// Opts a number out of one account, by hand or for another system.
    ///
    /// The opt-out holds for every campaign of the account. A number already opted out stays as it
    /// is and the answer says so. When `message` is given, it is queued to the contact from the
    /// sender number of their latest conversation in the account, unless the provider blocks it.
    ///
    /// # Errors
    /// [`Error::InvalidPhone`], [`Error::InvalidField`] (`reason`), [`Error::UnknownAccount`],
    /// [`Error::CommandReused`] when the id was used for another command.
    pub async fn opt_out(&self, actor: &Actor, request: &OptOutRequest) -> Result<OptOutOutcome> {
        let phone = parse_field("phone", &request.phone, request.region)?;
        let reason = crate::text::reason(&request.reason)?;
        if !matches!(request.source, Source::Manual | Source::Api) {
            return Err(Error::field("source", "a command's source is manual or api"));
        }
        once(self, request.command_id, "opt_out", request, async |write: &mut Write<'_>| {
            let account = require_account(write, &request.account).await?;
            let asked = request_to_stop(
                write,
                NewOptOut {
                    account: &account,
                    phone: &phone,
                    source: request.source,
                    actor: &actor.name,
                    reason,
                    evidence: None,
                    message_id: None,
                    sender_phone: None,
                    rule: None,
                    rule_set: None,
                    command_id: Some(request.command_id),
                },
            )
            .await?;
            let (opt_out, created) = (asked.opt_out, asked.created);
            let (mut message, mut message_withheld) = (None, None);
            if let Some(body) = request.message.as_deref().map(str::trim).filter(|body| !body.is_empty()) {
                let senders = if created { senders_of(write, account.id, &phone).await? } else { Vec::new() };
                match message_sender(created, &senders) {
                    Ok(sender) => {
                        message = Some(queue_message(write, &opt_out, "opt_out_message", sender, body).await?)
                    }
                    Err(why) => message_withheld = Some(why.to_owned()),
                }
            }
            Ok(OptOutOutcome {
                opt_out,
                already_opted_out: !created,
                request: asked.request,
                message,
                message_withheld,
            })
        })
        .await
    }
}

/// The sender numbers of the contact's conversations in the account, newest first, each with
/// whether the provider blocks it.
async fn senders_of(write: &mut Write<'_>, account_id: i64, phone: &str) -> Result<Vec<(String, bool)>> {
    let rows: Vec<(String, Option<i64>)> = sqlx::query_as(
        "SELECT v.sender_phone, b.id FROM conversations v JOIN campaigns c ON c.id = v.campaign_id \
         LEFT JOIN provider_blocks b ON b.contact_phone = v.contact_phone AND b.sender_phone = v.sender_phone \
           AND b.lifted_at IS NULL \
         WHERE c.account_id = $1 AND v.contact_phone = $2 ORDER BY v.id DESC",
    )
    .bind(account_id)
    .bind(phone)
    .fetch_all(&mut *write.tx)
    .await?;
    Ok(rows.into_iter().map(|(sender, block)| (sender, block.is_some())).collect())
}

/// The sender number a manual opt-out's message goes from, or why it goes from none: the newest
/// of `senders` (the contact's conversations, as [`senders_of`] reads them) that the provider
/// does not block. An opt-out that was already in force (`created` false) had its message then.
fn message_sender(created: bool, senders: &[(String, bool)]) -> Result<&str, &'static str> {
    if !created {
        return Err("the number was already opted out; it got its message then");
    }
    if senders.is_empty() {
        return Err("no conversation with this number in the account to send it from");
    }
    senders
        .iter()
        .find(|(_, blocked)| !blocked)
        .map(|(sender, _)| sender.as_str())
        .ok_or("the provider blocks every sender number that texted this number")
}

#[cfg(test)]
mod tests {
    use super::message_sender;

    #[test]
    fn a_manual_message_goes_from_the_newest_sender_the_provider_does_not_block() {
        let open = |s: &str| (s.to_owned(), false);
        let blocked = |s: &str| (s.to_owned(), true);
        type Case<'a> = (bool, &'a [(String, bool)], Result<&'a str, &'a str>);
        let cases: &[Case<'_>] = &[
            (true, &[open("+12015550101"), open("+12015550100")], Ok("+12015550101")),
            (true, &[blocked("+12015550101"), open("+12015550100")], Ok("+12015550100")),
            (true, &[blocked("+12015550101")], Err("the provider blocks every sender number that texted this number")),
            (true, &[], Err("no conversation with this number in the account to send it from")),
            (false, &[open("+12015550101")], Err("the number was already opted out; it got its message then")),
        ];
        for (created, senders, expected) in cases {
            assert_eq!(message_sender(*created, senders), *expected, "{created} {senders:?}");
        }
    }
}
