//! The record's types, as callers of the hub see them.

use chrono::{DateTime, Utc};
use optout_rules::{Provider, RuleSet};
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// What a person may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including opting a number back in.
    Admin,
    /// Texting, and opting numbers out; never in.
    Texter,
}

impl Role {
    /// The role's name as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Texter => "texter",
        }
    }

    /// Reads a stored role.
    ///
    /// # Errors
    /// [`Error::InvalidField`] for anything but `admin` or `texter`.
    pub fn parse(text: &str) -> Result<Role> {
        match text {
            "admin" => Ok(Role::Admin),
            "texter" => Ok(Role::Texter),
            _ => Err(Error::field("role", format!("{text:?} is neither admin nor texter"))),
        }
    }
}

/// Who does something: a person with a role, or the hub itself applying the rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Actor {
    /// A name a person recognises: an admin's name, a token's name, `rules`.
    pub name: String,
    /// What they may do.
    pub role: Role,
}

impl Actor {
    /// An admin.
    pub fn admin(name: impl Into<String>) -> Actor {
        Actor { name: name.into(), role: Role::Admin }
    }

    /// A texter.
    pub fn texter(name: impl Into<String>) -> Actor {
        Actor { name: name.into(), role: Role::Texter }
    }

    /// Refuses anybody but an admin, saying what they may not do.
    pub(crate) fn admin_only(&self, what: &str) -> Result<()> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(Error::refused(crate::Refusal::Forbidden, format!("only an admin may {what}")))
        }
    }
}

/// Why a number was opted out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The contact replied with a keyword and the rules opted them out.
    KeywordReply,
    /// A person opted them out by hand.
    Manual,
    /// A send was blocked by the provider (the deferred case).
    ProviderBlock,
    /// An imported list.
    Import,
    /// Another system, through the HTTP API.
    Api,
    /// The contact asked in their own words, in a reply the review flag caught. Only a request
    /// to stop has this source: the rules never opt anybody out on such a reply by themselves.
    Reply,
}

impl Source {
    /// The name as stored and shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::KeywordReply => "keyword_reply",
            Source::Manual => "manual",
            Source::ProviderBlock => "provider_block",
            Source::Import => "import",
            Source::Api => "api",
            Source::Reply => "reply",
        }
    }

    /// Reads a source name.
    ///
    /// # Errors
    /// [`Error::InvalidField`] naming the field `source`.
    pub fn parse(text: &str) -> Result<Source> {
        Ok(match text {
            "keyword_reply" => Source::KeywordReply,
            "manual" => Source::Manual,
            "provider_block" => Source::ProviderBlock,
            "import" => Source::Import,
            "api" => Source::Api,
            "reply" => Source::Reply,
            _ => {
                return Err(Error::field(
                    "source",
                    format!("{text:?} is not one of keyword_reply, manual, provider_block, import, api, reply"),
                ))
            }
        })
    }
}

/// An account and its settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Account {
    /// The hub's id.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// Whether a keyword as first response opts the contact out by itself.
    pub auto_opt_outs: bool,
    /// Sent after an automatic opt-out, when the account sends one. Empty: none.
    pub confirmation_message: String,
    /// Offered when a person opts a contact out by hand.
    pub default_opt_out_message: String,
    /// The keywords its automatic opt-outs act on.
    #[serde(default)]
    pub rule_set: RuleSet,
    /// Business days a review flag may wait before it is overdue (at most 10, the US rules'
    /// limit for honouring a revocation).
    #[serde(default = "default_review_days")]
    pub review_days: u32,
    /// When the account was added.
    pub created_at: DateTime<Utc>,
}

fn default_review_days() -> u32 {
    optout_rules::DEFAULT_REVIEW_DAYS
}

/// A change to an account's settings or name; `None` leaves it as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(deny_unknown_fields)]
pub struct AccountSettings {
    /// Made by the client; the same id twice is one change. A new one when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command_id: Option<uuid::Uuid>,
    /// A new name: unique, also in another case, width or spacing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Automatic opt-outs on or off.
    pub auto_opt_outs: Option<bool>,
    /// The confirmation message.
    pub confirmation_message: Option<String>,
    /// The default opt-out message.
    pub default_opt_out_message: Option<String>,
    /// The keywords automatic opt-outs act on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rule_set: Option<RuleSet>,
    /// Business days a review flag may wait, 1 to 10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_days: Option<u32>,
}

/// The provider stored as `number` in a campaign's row.
pub(crate) fn stored_provider(number: i64) -> Result<Provider> {
    crate::provider_number::stored(number)
        .ok_or_else(|| Error::Corrupt(format!("a campaign's provider is {number}, not 1 or 2")))
}

/// A campaign and the numbers it sends from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Campaign {
    /// The hub's id.
    pub id: i64,
    /// The account's name.
    pub account: String,
    /// The campaign's name, unique in its account.
    pub name: String,
    /// Provider 1: US and Canada; provider 2: the UK. Written as the number.
    #[serde(with = "crate::provider_number")]
    #[cfg_attr(feature = "ts", ts(type = "1 | 2"))]
    pub provider: Provider,
    /// Whether the campaign still texts.
    pub active: bool,
    /// The numbers it sends from, E.164.
    pub sender_numbers: Vec<String>,
    /// Numbers it sent from and no longer does: their conversations stay with it, and a late
    /// reply to one still counts.
    #[serde(default)]
    pub retired_numbers: Vec<String>,
}

/// An opt-out, in force or reversed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OptOut {
    /// The hub's id; an opt-in names it.
    pub id: i64,
    /// The account it applies to.
    pub account: String,
    /// The number, E.164.
    pub phone: String,
    /// Why.
    pub source: Source,
    /// Who: a person, a token, or `rules`.
    pub actor: String,
    /// In words.
    pub reason: String,
    /// The reply that caused it, when one did.
    pub evidence: Option<String>,
    /// The sender number involved, when one was.
    pub sender_phone: Option<String>,
    /// The rule applied, for opt-outs the rules made.
    pub rule: Option<String>,
    /// The rule set and its version that decided, for opt-outs the rules made (`us_2025@1`).
    #[serde(default)]
    pub rule_set: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// The opt-in that reversed it, if one did.
    pub reversed_by: Option<OptIn>,
}

/// Opt-outs that one import batch recorded, published on the feed [`ImportedOptOuts::MAX`] to
/// a change of kind `imported_opt_outs`: they share everything but their id and number, so the
/// feed stores each in a tenth of the bytes. Few enough share a change that a page of
/// the feed (at most 10,000 changes) stays a few megabytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedOptOuts {
    /// The account.
    pub account: String,
    /// Who imported them.
    pub actor: String,
    /// In words.
    pub reason: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Opt-outs that keep the date and reason the file gave them, in id order (a list brought
    /// from another tool); the others share `created_at` and `reason`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dated: Vec<DatedOptOut>,
    /// Each opt-out's id and number (E.164), in id order.
    pub opt_outs: Vec<(i64, String)>,
}

/// An imported opt-out with the date and reason its file gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatedOptOut {
    /// The hub's id.
    pub id: i64,
    /// The number, E.164.
    pub phone: String,
    /// When it happened, as the file says.
    pub created_at: DateTime<Utc>,
    /// Why, as the file says.
    pub reason: String,
}

impl ImportedOptOuts {
    /// The change kind on the feed.
    pub const KIND: &'static str = "imported_opt_outs";

    /// The most opt-outs one change holds.
    pub const MAX: usize = 20;

    /// Each as the [`OptOut`] it is.
    pub fn into_opt_outs(self) -> impl Iterator<Item = OptOut> {
        let ImportedOptOuts { account, actor, reason, created_at, dated, opt_outs } = self;
        let dated = dated.into_iter().map(|d| (d.id, d.phone, d.created_at, d.reason));
        let shared = opt_outs.into_iter().map(move |(id, phone)| (id, phone, created_at, reason.clone()));
        dated.chain(shared).map(move |(id, phone, created_at, reason)| OptOut {
            id,
            account: account.clone(),
            phone,
            source: Source::Import,
            actor: actor.clone(),
            reason,
            evidence: None,
            sender_phone: None,
            rule: None,
            rule_set: None,
            created_at,
            reversed_by: None,
        })
    }
}

/// A request to stop that reached the hub while the number was already opted out of the
/// account. It changes nothing by itself, but while it stands after an opt-out, an opt-in naming
/// that opt-out alone is refused: the contact asked again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StopRequest {
    /// The hub's id; an opt-in that overrides it names it.
    pub id: i64,
    /// The opt-out in force when it came.
    pub opt_out_id: i64,
    /// The account.
    pub account: String,
    /// The number, E.164.
    pub phone: String,
    /// How it came: a keyword reply, a plain request in a reply, by hand, an import, the API.
    pub source: Source,
    /// Who: the contact's reply (`rules`), a person, a token.
    pub actor: String,
    /// In words.
    pub reason: String,
    /// The reply, when the request was one.
    pub evidence: Option<String>,
    /// The sender number the reply went to, when it was one.
    pub sender_phone: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// Requests to stop that one import batch found for numbers already opted out, published on
/// the feed [`ImportedOptOuts::MAX`] to a change, as the batch's opt-outs are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportedStopRequests {
    /// The account.
    pub account: String,
    /// Who imported them.
    pub actor: String,
    /// In words.
    pub reason: String,
    /// When.
    pub created_at: DateTime<Utc>,
    /// Each request's id, the opt-out in force, and the number, in id order.
    pub requests: Vec<(i64, i64, String)>,
}

impl ImportedStopRequests {
    /// Each as the [`StopRequest`] it is.
    pub fn into_requests(self) -> impl Iterator<Item = StopRequest> {
        let ImportedStopRequests { account, actor, reason, created_at, requests } = self;
        requests.into_iter().map(move |(id, opt_out_id, phone)| StopRequest {
            id,
            opt_out_id,
            account: account.clone(),
            phone,
            source: Source::Import,
            actor: actor.clone(),
            reason: reason.clone(),
            evidence: None,
            sender_phone: None,
            created_at,
        })
    }
}

/// An admin's reversal of one opt-out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OptIn {
    /// The hub's id.
    pub id: i64,
    /// The opt-out it reverses.
    pub opt_out_id: i64,
    /// The admin.
    pub actor: String,
    /// Why.
    pub reason: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A provider's block on one sender number for one contact (Provider 2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ProviderBlock {
    /// The hub's id.
    pub id: i64,
    /// The sender number the provider blocks.
    pub sender_phone: String,
    /// The contact.
    pub contact_phone: String,
    /// When the keyword arrived.
    pub created_at: DateTime<Utc>,
    /// When the contact resubscribed (START), if they did.
    pub lifted_at: Option<DateTime<Utc>>,
}

/// One line of the append-only audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the log.
    pub id: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub actor: String,
    /// `opt_out`, `opt_in`, `provider_block` or `provider_unblock`.
    pub action: String,
    /// The account, for account-level actions.
    pub account: Option<String>,
    /// The contact's number.
    pub phone: String,
    /// The sender number, when one is involved.
    pub sender_phone: Option<String>,
    /// The source, as for opt-outs; `admin` for opt-ins.
    pub source: String,
    /// The reply that caused it, if one did.
    pub evidence: Option<String>,
    /// Why.
    pub reason: String,
    /// The opt-out concerned.
    pub opt_out_id: Option<i64>,
    /// The command that did it, if one did.
    pub command_id: Option<String>,
    /// The rule set and version that decided, when the rules did.
    #[serde(default)]
    pub rule_set: Option<String>,
}

/// Microseconds since the epoch as a time.
pub(crate) fn time(micros: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_micros(micros).ok_or_else(|| Error::Corrupt(format!("time {micros}")))
}
