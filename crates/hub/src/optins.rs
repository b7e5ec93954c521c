//! Opting a number back in: the command that reverses an opt-out, admins only, never while a
//! later request to stop stands.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::accounts::require_account;
use crate::commands::once;
use crate::feed::Changed;
use crate::model::{Actor, OptIn, OptOut};
use crate::phone::{parse_field, Region};
use crate::records::{latest_request, opt_out_by_id, opt_out_in_force};
use crate::requests::asked_again;
use crate::store::{Audit, Write};
use crate::{Error, Hub, Refusal, Result};

/// Reverse one opt-out: admins only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptInRequest {
    /// Made by the client; the same id twice is one command.
    pub command_id: Uuid,
    /// The account's name.
    pub account: String,
    /// The number.
    pub phone: String,
    /// Read a number without `+` in this region (default: US).
    #[serde(default)]
    pub region: Region,
    /// The opt-out this reverses, as the admin saw it.
    pub opt_out_id: i64,
    /// The latest request to stop kept against that opt-out, when the admin read it and opts in
    /// anyway. Without it, an opt-in is refused while any request stands after the opt-out; with
    /// it, while any request came after this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overrides_request_id: Option<i64>,
    /// Why, in words. Required.
    pub reason: String,
}

/// What an opt-in did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptInOutcome {
    /// The opt-in.
    pub opt_in: OptIn,
    /// The opt-out it reversed, still on the record.
    pub opt_out: OptOut,
}

impl Hub {
    /// Reverses one opt-out in one account: admins only, with a reason.
    ///
    /// The opt-out stays on the record, marked reversed, and both are in the audit log. The
    /// account's campaigns may text the number again; other accounts' opt-outs are untouched.
    ///
    /// # Errors
    /// [`Error::Refused`] with code `forbidden` for a texter, `not_this_opt_out` when the opt-out
    /// is not this account's opt-out of this number, `opted_out_again` when the number was opted
    /// out again since, `already_reversed`; [`Error::InvalidField`] without a reason.
    pub async fn opt_in(&self, actor: &Actor, request: &OptInRequest) -> Result<OptInOutcome> {
        actor.admin_only("opt a number back in")?;
        let phone = parse_field("phone", &request.phone, request.region)?;
        let reason = crate::text::reason(&request.reason)?;
        once(self, request.command_id, "opt_in", request, async |write: &mut Write<'_>| {
            let account = require_account(write, &request.account).await?;
            let named = opt_out_by_id(write, request.opt_out_id)
                .await?
                .filter(|o| o.account == account.name && o.phone == phone)
                .ok_or_else(|| {
                    Error::refused(
                        Refusal::NotThisOptOut,
                        format!("opt-out {} is not {}'s opt-out of {phone}", request.opt_out_id, account.name),
                    )
                })?;
            if named.reversed_by.is_some() {
                return Err(match opt_out_in_force(write, account.id, &phone).await? {
                    Some(again) => Error::refused(
                        Refusal::OptedOutAgain,
                        format!(
                            "{phone} was opted out again since (opt-out {}, {}, {}); that opt-out stands",
                            again.id,
                            again.source.as_str(),
                            again.created_at.format("%Y-%m-%d %H:%M UTC")
                        ),
                    ),
                    None => {
                        Error::refused(Refusal::AlreadyReversed, format!("opt-out {} was already reversed", named.id))
                    }
                });
            }
            let overrides = match (latest_request(write, named.id).await?, request.overrides_request_id) {
                (Some(latest), Some(id)) if latest.id == id => {
                    Some(format!("Overrides request to stop {id}: {:?}", latest.evidence.unwrap_or(latest.reason)))
                }
                (Some(latest), _) => return Err(asked_again(&named, &latest)),
                (None, Some(id)) => {
                    return Err(Error::refused(
                        Refusal::NotThisOptOut,
                        format!("request {id} is not a request to stop kept against opt-out {}", named.id),
                    ))
                }
                (None, None) => None,
            };
            sqlx::query("UPDATE opt_outs SET reversed_at = $1 WHERE id = $2")
                .bind(write.now)
                .bind(named.id)
                .execute(&mut *write.tx)
                .await?;
            sqlx::query("INSERT INTO opt_ins (opt_out_id, actor, reason, created_at) VALUES ($1, $2, $3, $4)")
                .bind(named.id)
                .bind(&actor.name)
                .bind(reason)
                .bind(write.now)
                .execute(&mut *write.tx)
                .await?;
            write.audit(&Audit {
                at: write.now,
                actor: &actor.name,
                action: "opt_in",
                account_id: Some(account.id),
                phone: &phone,
                source: "admin",
                evidence: overrides.as_deref(),
                reason,
                opt_out_id: Some(named.id),
                command_id: Some(request.command_id.to_string()),
                ..Audit::default()
            })?;
            let opt_out =
                opt_out_by_id(write, named.id).await?.ok_or_else(|| Error::Corrupt("opt-out vanished".into()))?;
            let opt_in = opt_out.reversed_by.clone().ok_or_else(|| Error::Corrupt("opt-in vanished".into()))?;
            write.publish(&Changed::OptOut(opt_out.clone()))?;
            Ok(OptInOutcome { opt_in, opt_out })
        })
        .await
    }
}
