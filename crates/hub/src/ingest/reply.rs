//! A contact's reply: recorded, decided by the rules under the account's rule set, and acted on
//! (provider blocks, the account's opt-out or a request to stop kept against one in force, the
//! confirmation, a review flag with its due date).

use chrono::{DateTime, Utc};
use optout_rules::{
    confirmation, decide, AccountOptOut, Confirmation, ConfirmationFacts, ConfirmationSender, Provider, ReviewReason,
    Rule, RuleSet, Situation, UserAction,
};
use serde::{Deserialize, Serialize};

use super::batch::{Batch, Conversation, Route};
use super::blocks::{block, unblock};
use super::known::{Flag, Known};
use super::{IncomingReply, Ingested, ProviderAction};
use crate::feed::QueuedMessage;
use crate::feed::{Changed, ReviewFlag};
use crate::model::{time, ProviderBlock, Source, StopRequest};
use crate::phone::is_canadian;
use crate::records::{log_flag, queue_message, record_request, NewOptOut};
use crate::store::{Audit, Write};
use crate::Result;

/// What the rules decided for a reply, and what the hub recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyOutcome {
    /// Whether this was the contact's first response in the conversation.
    pub first_response: bool,
    /// The rule applied (see `optout_rules::Rule::code`).
    pub rule: String,
    /// The rule set and its version that decided (`reference@1`, `us_2025@1`).
    #[serde(default)]
    pub rule_set: String,
    /// The rules' explanation, for a person.
    pub explanation: String,
    /// The account opt-out recorded now, if any.
    pub opt_out_id: Option<i64>,
    /// Whether the account opts the number out later, when the provider blocks a send.
    pub opt_out_deferred: bool,
    /// The provider block recorded now, if any.
    pub provider_block: Option<ProviderBlock>,
    /// Whether the contact lifted a provider block (START).
    pub provider_block_lifted: bool,
    /// The confirmation queued, if any.
    pub confirmation: Option<QueuedMessage>,
    /// Why no confirmation was queued after an automatic opt-out.
    pub confirmation_withheld: Option<String>,
    /// What an admin must do: `none`, `manual_opt_out` or `review`.
    pub user_action: UserAction,
    /// Why the conversation is flagged for an admin, if it is.
    pub review_reason: Option<String>,
    /// When the flag must be settled by: the account's business days after the reply.
    #[serde(default)]
    pub review_due_at: Option<DateTime<Utc>>,
    /// The request to stop kept against the opt-out already in force, when the reply was one.
    #[serde(default)]
    pub stop_request: Option<StopRequest>,
}

/// Whether a reply asks to stop, as the rules read it, and how: a keyword of either provider's
/// list (or one the rule set does not act on), or a plain request that the review flag caught.
fn request_source(rule: Rule) -> Option<Source> {
    match rule {
        Rule::AutomaticOptOut
        | Rule::AutomaticOptOutsOff
        | Rule::LaterResponse
        | Rule::OtherProvidersKeyword(_)
        | Rule::UnlistedKeyword(_) => Some(Source::KeywordReply),
        Rule::Review(ReviewReason::OptOutRequest) => Some(Source::Reply),
        Rule::Review(ReviewReason::WrongNumber | ReviewReason::Deceased | ReviewReason::Minor)
        | Rule::Resubscribe
        | Rule::Help
        | Rule::OrdinaryReply => None,
    }
}

/// Decides a reply whose message is recorded (`message_id`, in the conversation of its sender
/// number and contact, which `batch` knows) and acts on it.
pub(super) async fn decide_reply(
    write: &mut Write<'_>,
    batch: &mut Batch,
    route: Route,
    (sender, contact): (&str, &str),
    reply: &IncomingReply,
    message_id: i64,
) -> Result<Ingested> {
    let key = (sender.to_owned(), contact.to_owned());
    let known = batch.conversations[&key];
    // The sender number moved since the conversation began: the reply answers the campaign that
    // texted the contact, and that campaign's account applies the rules.
    let route =
        if known.campaign_id == route.campaign_id { route } else { batch.campaign(write, known.campaign_id).await? };
    let conversation_id = known.id;
    let earlier_replies = known.replies.unwrap_or(0);
    batch.conversations.insert(key, Conversation { replies: Some(earlier_replies + 1), ..known });
    let provider = route.provider;
    let rule_set = route.account.rule_set;
    let situation = Situation {
        provider,
        auto_opt_outs: route.account.auto_opt_outs,
        first_response: earlier_replies == 0,
        rule_set,
        // Only the newer rule set reads ARRET, and only from Canadian numbers: ask the phone
        // metadata then alone.
        canadian_contact: provider == Provider::One && rule_set == RuleSet::Us2025 && is_canadian(contact),
    };
    let decision = decide(&reply.body, situation);
    let outcome = ReplyOutcome {
        first_response: situation.first_response,
        rule: decision.rule.code().to_owned(),
        rule_set: decision.rule_set_version.to_owned(),
        explanation: decision.explain().explanation,
        opt_out_id: None,
        opt_out_deferred: decision.account_opt_out == AccountOptOut::Deferred,
        provider_block: None,
        provider_block_lifted: false,
        confirmation: None,
        confirmation_withheld: None,
        user_action: decision.user_action,
        review_reason: None,
        review_due_at: None,
        stop_request: None,
    };
    // What the reply causes is dated when it came (never later than now): history loaded today
    // keeps its days.
    let now = write.now;
    write.now = reply.at.map_or(now, |at| at.timestamp_micros().min(now));
    let known = &mut batch.known;
    let acted =
        Acted { write: &mut *write, known, route: &route, sender, contact, reply, message_id, conversation_id, now };
    let outcome = acted.act(&decision, outcome).await;
    write.now = now;
    let outcome = outcome?;
    Ok(Ingested { message_id, conversation_id, reply: Some(outcome), refused: None })
}

/// A reply recorded, about to be acted on.
struct Acted<'w, 'c, 'a> {
    write: &'w mut Write<'c>,
    known: &'w mut Known,
    route: &'a Route,
    sender: &'a str,
    contact: &'a str,
    reply: &'a IncomingReply,
    message_id: i64,
    conversation_id: i64,
    /// The clock's reading, for what depends on the time now rather than the reply's.
    now: i64,
}

impl Acted<'_, '_, '_> {
    async fn act(self, decision: &optout_rules::Decision, mut outcome: ReplyOutcome) -> Result<ReplyOutcome> {
        let Acted { write, known, route, sender, contact, reply, message_id, conversation_id, now } = self;
        if decision.provider_opt_out {
            outcome.provider_block = block(write, known, route, sender, contact, Some(message_id), &reply.body).await?;
        }
        if decision.provider_opt_in {
            outcome.provider_block_lifted = unblock(write, known, route, sender, contact, &reply.body).await?;
        }
        // What the provider says it did counts, whatever the campaign's provider: its block is
        // recorded, and the account's rule then applies (the next send from the number opts the
        // contact out, the deferred case). START lifts the provider's block only.
        match reply.provider_action {
            Some(ProviderAction::OptedOut) if outcome.provider_block.is_none() => {
                outcome.provider_block =
                    block(write, known, route, sender, contact, Some(message_id), &reply.body).await?;
            }
            Some(ProviderAction::OptedIn) if !outcome.provider_block_lifted => {
                outcome.provider_block_lifted = unblock(write, known, route, sender, contact, &reply.body).await?;
            }
            _ => {}
        }
        let source = request_source(decision.rule);
        let immediate = decision.account_opt_out == AccountOptOut::Immediate;
        let reason = if immediate {
            format!("Replied {:?} as the first response; automatic opt-outs are on", reply.body.trim())
        } else {
            format!("Replied {:?} while already opted out", reply.body.trim())
        };
        let request = NewOptOut {
            account: &route.account,
            phone: contact,
            source: source.unwrap_or(Source::KeywordReply),
            actor: "rules",
            reason: &reason,
            evidence: Some(&reply.body),
            message_id: Some(message_id),
            sender_phone: Some(sender),
            rule: Some(decision.rule.code()),
            rule_set: Some(decision.rule_set_version),
            command_id: None,
        };
        let at = time(write.now)?;
        let mut already_opted_out = false;
        if immediate {
            let asked = known.stop(write, request).await?;
            outcome.opt_out_id = Some(asked.opt_out.id);
            outcome.stop_request = asked.request;
            if asked.created {
                let facts = ConfirmationFacts {
                    reply: &reply.body,
                    message: &route.account.confirmation_message,
                    requested_at: at,
                    now: time(now)?,
                    confirmations_sent: 0,
                    provider_sent_its_own: decision.confirmation_sent_by == ConfirmationSender::Provider,
                    blocked_by_provider: known.blocked(sender, contact),
                };
                match confirmation(facts) {
                    Confirmation::Send => {
                        let body = route.account.confirmation_message.trim();
                        let queued = queue_message(write, &asked.opt_out, "confirmation", sender, body).await?;
                        outcome.confirmation = Some(queued);
                    }
                    Confirmation::Withhold(why) => {
                        outcome.confirmation_withheld = Some(why.message().to_owned());
                        withheld(write, route.account.id, &asked.opt_out, why)?;
                    }
                }
            }
        } else if source.is_some() {
            // Already opted out: nothing for an admin to do, but the request is kept, so that an
            // opt-in naming the earlier opt-out cannot undo it.
            if let Some(opt_out) = known.opt_out(route.account.id, contact) {
                outcome.stop_request = Some(record_request(write, opt_out, &request).await?);
                already_opted_out = true;
            }
        }
        if decision.user_action != UserAction::None && !already_opted_out {
            let reason = decision.review_reason.map_or("manual_opt_out", |r| r.as_str());
            let due = optout_rules::review_due(at, route.account.review_days);
            known.flag(route.account.id, contact, Flag { conversation_id, reason, raised: at, due });
            write.publish(&Changed::Review(ReviewFlag {
                conversation_id,
                review_reason: Some(reason.to_owned()),
                settled_by: None,
                raised_at: Some(at),
                due_at: Some(due),
            }))?;
            log_flag(write, route.account.id, contact, sender, reason, &reply.body)?;
            outcome.review_reason = Some(reason.to_owned());
            outcome.review_due_at = Some(due);
        }
        Ok(outcome)
    }
}

/// Says in the opt-out's history why it got no confirmation, when that is worth saying: the
/// account sending none is its own choice.
fn withheld(
    write: &mut Write<'_>,
    account_id: i64,
    opt_out: &crate::OptOut,
    why: optout_rules::WithholdReason,
) -> Result<()> {
    if why == optout_rules::WithholdReason::NoMessage {
        return Ok(());
    }
    write.audit(&Audit {
        at: write.now,
        actor: "rules",
        action: "confirmation_withheld",
        account_id: Some(account_id),
        phone: &opt_out.phone,
        sender_phone: opt_out.sender_phone.as_deref(),
        source: opt_out.source.as_str(),
        reason: &format!("No confirmation sent: {}", why.message()),
        opt_out_id: Some(opt_out.id),
        ..Audit::default()
    })
}
