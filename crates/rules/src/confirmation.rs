//! Whether the account may send its opt-out confirmation, by the law's timing.
//!
//! The FCC allows one text after a request to stop, to confirm it, sent within five minutes of
//! the request. The vendor's table adds that none goes where the provider sent its own, and the
//! reference articles that none goes to a contact who pays for texts. A number the provider blocks
//! would not receive one anyway.

use chrono::{DateTime, TimeDelta, Utc};
use serde::Serialize;

use crate::cost::says_texts_cost_money;

/// How long after a request to stop a confirmation may still be sent.
pub const CONFIRMATION_WINDOW: TimeDelta = TimeDelta::minutes(5);

/// What is known about one opt-out when its confirmation could be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfirmationFacts<'a> {
    /// The reply that asked to stop.
    pub reply: &'a str,
    /// The account's confirmation message; blank when the account sends none.
    pub message: &'a str,
    /// When the request arrived.
    pub requested_at: DateTime<Utc>,
    /// When the confirmation would go, by the caller's clock.
    pub now: DateTime<Utc>,
    /// How many confirmations this opt-out has had already.
    pub confirmations_sent: u32,
    /// Whether the provider sent its own opt-out message (Provider 2 does whenever it opts a
    /// contact out: [`crate::Decision::provider_opt_out`]).
    pub provider_sent_its_own: bool,
    /// Whether the provider blocks the sender number for this contact.
    pub blocked_by_provider: bool,
}

/// Whether the confirmation goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Confirmation {
    /// Send it now.
    Send,
    /// Send nothing, for this reason.
    Withhold(WithholdReason),
}

/// Why a confirmation is not sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum WithholdReason {
    /// The provider sent its own opt-out message.
    ProviderSentItsOwn,
    /// The provider blocks the sender number for this contact.
    BlockedByProvider,
    /// This opt-out has had its one confirmation.
    AlreadySent,
    /// The reply says texts cost the contact money.
    TextsCostMoney,
    /// More than [`CONFIRMATION_WINDOW`] lies between the request and now.
    OutsideWindow,
    /// The account has no confirmation message.
    NoMessage,
}

impl WithholdReason {
    /// The reason's name, as stored with the opt-out.
    pub fn as_str(self) -> &'static str {
        match self {
            WithholdReason::ProviderSentItsOwn => "provider_sent_its_own",
            WithholdReason::BlockedByProvider => "blocked_by_provider",
            WithholdReason::AlreadySent => "already_sent",
            WithholdReason::TextsCostMoney => "texts_cost_money",
            WithholdReason::OutsideWindow => "outside_window",
            WithholdReason::NoMessage => "no_message",
        }
    }

    /// One sentence for an admin.
    pub fn message(self) -> &'static str {
        match self {
            WithholdReason::ProviderSentItsOwn => {
                "The provider sent its own opt-out message, so the account sends none."
            }
            WithholdReason::BlockedByProvider => "The provider blocks this sender number for the contact.",
            WithholdReason::AlreadySent => "This opt-out has had its confirmation: at most one is sent.",
            WithholdReason::TextsCostMoney => "The reply says texts cost the contact money: one more would too.",
            WithholdReason::OutsideWindow => {
                "More than five minutes lie between the request and now: a confirmation may only follow within five \
                 minutes."
            }
            WithholdReason::NoMessage => "The account has no confirmation message.",
        }
    }
}

/// Decides whether the account may send its confirmation of an opt-out.
///
/// When several reasons hold, the first of [`WithholdReason`]'s order is given: what the provider
/// did, then this opt-out's history, then the reply, then the time, then the account's settings.
/// A `now` before the request (clocks that disagree) counts as within the window when the gap is
/// no larger than the window; a larger one is no time to trust, and withholds.
///
/// # Example
/// ```
/// use chrono::{TimeDelta, TimeZone, Utc};
/// use optout_rules::{confirmation, Confirmation, ConfirmationFacts, WithholdReason};
///
/// let asked = Utc.with_ymd_and_hms(2025, 6, 2, 15, 0, 0).unwrap();
/// let facts = ConfirmationFacts {
///     reply: "STOP",
///     message: "You're opted out. No more texts from us.",
///     requested_at: asked,
///     now: asked + TimeDelta::seconds(20),
///     confirmations_sent: 0,
///     provider_sent_its_own: false,
///     blocked_by_provider: false,
/// };
/// assert_eq!(confirmation(facts), Confirmation::Send);
///
/// let late = ConfirmationFacts { now: asked + TimeDelta::minutes(6), ..facts };
/// assert_eq!(confirmation(late), Confirmation::Withhold(WithholdReason::OutsideWindow));
/// ```
pub fn confirmation(facts: ConfirmationFacts<'_>) -> Confirmation {
    let elapsed = facts.now.signed_duration_since(facts.requested_at);
    let reason = if facts.provider_sent_its_own {
        Some(WithholdReason::ProviderSentItsOwn)
    } else if facts.blocked_by_provider {
        Some(WithholdReason::BlockedByProvider)
    } else if facts.confirmations_sent > 0 {
        Some(WithholdReason::AlreadySent)
    } else if says_texts_cost_money(facts.reply) {
        Some(WithholdReason::TextsCostMoney)
    } else if elapsed.abs() > CONFIRMATION_WINDOW {
        Some(WithholdReason::OutsideWindow)
    } else if facts.message.trim().is_empty() {
        Some(WithholdReason::NoMessage)
    } else {
        None
    };
    reason.map_or(Confirmation::Send, Confirmation::Withhold)
}
