//! The decision for one reply in one situation: the reference table, and what lies around it.

use serde::{Deserialize, Serialize};

use crate::normalize::{match_two_word_opt_out, match_word, Looseness, WordMatch};
use crate::provider::{ControlWord, Keyword, Provider, Word};
use crate::review::{review_pattern, ReviewPattern, ReviewReason};
use crate::rule_set::RuleSet;

/// Where a reply arrives: which provider carries the campaign, the account's settings, whether
/// the reply is the contact's first response in the conversation, and whether the contact's
/// number is Canadian.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Situation {
    /// The campaign's provider.
    pub provider: Provider,
    /// The account's automatic opt-outs setting.
    pub auto_opt_outs: bool,
    /// Whether this is the contact's first response to the initial message.
    pub first_response: bool,
    /// The account's rule set: which keywords its automatic opt-outs act on.
    pub rule_set: RuleSet,
    /// Whether the contact's number is Canadian (+1 with a Canadian area code), where ARRET is a
    /// keyword under [`RuleSet::Us2025`]. The hub knows it from the parsed number.
    pub canadian_contact: bool,
}

impl Situation {
    /// Every situation the preview shows, in its order: provider, automatic opt-outs on before off,
    /// first response before later ones, a US contact before a Canadian one (Provider 1 only: UK
    /// campaigns text UK numbers), and last the rule set, in [`RuleSet::ALL`] order. That is twelve
    /// rows of the preview, each under both rule sets.
    pub fn all() -> [Situation; 24] {
        let mut all = [Situation {
            provider: Provider::One,
            auto_opt_outs: true,
            first_response: true,
            rule_set: RuleSet::Reference,
            canadian_contact: false,
        }; 24];
        let mut i = 0;
        for provider in Provider::ALL {
            for auto_opt_outs in [true, false] {
                for first_response in [true, false] {
                    let countries: &[bool] = if provider == Provider::One { &[false, true] } else { &[false] };
                    for &canadian_contact in countries {
                        for rule_set in RuleSet::ALL {
                            all[i] = Situation { provider, auto_opt_outs, first_response, rule_set, canadian_contact };
                            i += 1;
                        }
                    }
                }
            }
        }
        all
    }

    /// The keywords a single-word reply is matched against in this situation.
    pub fn keywords(self) -> &'static [Keyword] {
        self.rule_set.keywords(self.provider, self.canadian_contact)
    }

    /// Whether `keyword` is on this situation's list.
    ///
    /// # Example
    /// ```
    /// use optout_rules::{Keyword, Provider, RuleSet, Situation};
    /// let canada = Situation {
    ///     provider: Provider::One,
    ///     auto_opt_outs: true,
    ///     first_response: true,
    ///     rule_set: RuleSet::Us2025,
    ///     canadian_contact: true,
    /// };
    /// assert!(canada.lists(Keyword::Arret));
    /// assert!(!Situation { canadian_contact: false, ..canada }.lists(Keyword::Arret));
    /// ```
    pub fn lists(self, keyword: Keyword) -> bool {
        self.keywords().contains(&keyword)
    }
}

/// What happens to the number in the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum AccountOptOut {
    /// Opted out now, for every campaign of the account.
    Immediate,
    /// Opted out the first time the provider blocks a send from the same sender number.
    Deferred,
    /// The account does nothing by itself.
    None,
}

/// Whether further messages to the number are stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryBlocked {
    /// No further message reaches the number.
    Yes,
    /// Messages are still delivered.
    No,
    /// The sender number that received the keyword is blocked; others may still deliver.
    Partially,
}

/// Who sends the opt-out confirmation message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ConfirmationSender {
    /// The account sends its own confirmation message.
    Account,
    /// The provider sends its own message; the account sends none.
    Provider,
    /// Nobody sends one.
    None,
}

/// What a person has to do about the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum UserAction {
    /// Nothing: the rules took care of it.
    None,
    /// The contact asked to stop and nothing opted them out: opt them out by hand.
    ManualOptOut,
    /// An admin should read the reply and decide.
    Review,
}

/// The rule that produced a decision; the explanation cites it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// A keyword as first response, automatic opt-outs on.
    AutomaticOptOut,
    /// A keyword as first response, automatic opt-outs off.
    AutomaticOptOutsOff,
    /// A keyword after the first response.
    LaterResponse,
    /// A keyword of the other provider's list only (REVOKE or OPTOUT on Provider 1 under the
    /// reference rule set).
    OtherProvidersKeyword(Keyword),
    /// A keyword that another rule set, or the same rule set for a Canadian contact, lists but this
    /// situation's list lacks (ARRET from a US contact, or under the reference rule set).
    UnlistedKeyword(Keyword),
    /// A reply that is no keyword but needs an admin's eyes.
    Review(ReviewReason),
    /// START or UNSTOP.
    Resubscribe,
    /// HELP or INFO.
    Help,
    /// Anything else.
    OrdinaryReply,
}

impl Rule {
    /// A stable name for the rule, as stored with the opt-outs it causes.
    pub fn code(self) -> &'static str {
        match self {
            Rule::AutomaticOptOut => "automatic_opt_out",
            Rule::AutomaticOptOutsOff => "automatic_opt_outs_off",
            Rule::LaterResponse => "later_response",
            Rule::OtherProvidersKeyword(_) => "other_providers_keyword",
            Rule::UnlistedKeyword(_) => "unlisted_keyword",
            Rule::Review(ReviewReason::OptOutRequest) => "review_opt_out_request",
            Rule::Review(ReviewReason::WrongNumber) => "review_wrong_number",
            Rule::Review(ReviewReason::Deceased) => "review_deceased",
            Rule::Review(ReviewReason::Minor) => "review_minor",
            Rule::Resubscribe => "resubscribe",
            Rule::Help => "help",
            Rule::OrdinaryReply => "ordinary_reply",
        }
    }
}

/// What the rules decide for one reply in one situation.
///
/// Serialises with the keys of the `optout preview --json` output (the explanation is added by
/// [`Decision::explain`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Decision {
    /// The keyword of the provider's list that the reply is, if any.
    pub keyword: Option<Keyword>,
    /// What happens to the number in the account.
    pub account_opt_out: AccountOptOut,
    /// Whether the provider blocks the sender number for this contact.
    pub provider_opt_out: bool,
    /// Whether the provider lifts its block on the sender number (START on Provider 2).
    pub provider_opt_in: bool,
    /// Whether further messages are stopped.
    pub delivery_blocked: DeliveryBlocked,
    /// Who sends the confirmation.
    pub confirmation_sent_by: ConfirmationSender,
    /// What a person has to do.
    pub user_action: UserAction,
    /// Why the reply needs review; `None` unless `user_action` is `Review`.
    pub review_reason: Option<ReviewReason>,
    /// The construction the review flag read, with `review_reason`. [`crate::review`] gives the
    /// words it matched.
    pub review_pattern: Option<ReviewPattern>,
    /// The rule set the decision was made under.
    pub rule_set: RuleSet,
    /// The rule set's version ([`RuleSet::version`]), stored with what the decision causes.
    pub rule_set_version: &'static str,
    /// The situation the decision is for.
    #[serde(skip)]
    pub situation: Situation,
    /// The rule applied.
    #[serde(skip)]
    pub rule: Rule,
    /// How loosely the keyword matched.
    #[serde(skip)]
    pub looseness: Looseness,
}

/// Decides what happens to a reply.
///
/// Never fails and never panics: every string gets a decision. A reply is a keyword when, once
/// normalised (see [`crate::normalize`]), it is exactly one word of the situation's list
/// ([`Situation::keywords`]), or OPT OUT in two words where the rule set takes it.
///
/// # Example
/// ```
/// use optout_rules::{decide, AccountOptOut, ConfirmationSender, Provider, RuleSet, Situation, UserAction};
/// let us = Situation {
///     provider: Provider::One,
///     auto_opt_outs: true,
///     first_response: true,
///     rule_set: RuleSet::Reference,
///     canadian_contact: false,
/// };
///
/// let stop = decide("Stop.", us);
/// assert_eq!(stop.account_opt_out, AccountOptOut::Immediate);
/// assert_eq!(stop.confirmation_sent_by, ConfirmationSender::Account);
///
/// let plea = decide("please stop texting me", us);
/// assert_eq!(plea.account_opt_out, AccountOptOut::None);
/// assert_eq!(plea.user_action, UserAction::Review);
///
/// // REVOKE opts out only under the 2025 rule set; under the reference one an admin reviews it.
/// assert_eq!(decide("REVOKE", us).user_action, UserAction::Review);
/// let us_2025 = Situation { rule_set: RuleSet::Us2025, ..us };
/// assert_eq!(decide("REVOKE", us_2025).account_opt_out, AccountOptOut::Immediate);
/// assert_eq!(decide("REVOKE", us_2025).rule_set_version, "us_2025@1");
/// ```
pub fn decide(reply: &str, situation: Situation) -> Decision {
    let nothing = Decision {
        keyword: None,
        account_opt_out: AccountOptOut::None,
        provider_opt_out: false,
        provider_opt_in: false,
        delivery_blocked: DeliveryBlocked::No,
        confirmation_sent_by: ConfirmationSender::None,
        user_action: UserAction::None,
        review_reason: None,
        review_pattern: None,
        rule_set: situation.rule_set,
        rule_set_version: situation.rule_set.version(),
        situation,
        rule: Rule::OrdinaryReply,
        looseness: Looseness::default(),
    };
    match match_word(reply) {
        Some(WordMatch { word: Word::Keyword(keyword), looseness }) if situation.lists(keyword) => {
            Decision { keyword: Some(keyword), looseness, ..keyword_outcome(situation, nothing) }
        }
        Some(WordMatch { word: Word::Keyword(keyword), looseness }) => {
            let rule = if situation.provider == Provider::One && Provider::Two.lists(keyword) {
                Rule::OtherProvidersKeyword(keyword)
            } else {
                Rule::UnlistedKeyword(keyword)
            };
            Decision {
                user_action: UserAction::Review,
                review_reason: Some(ReviewReason::OptOutRequest),
                review_pattern: Some(ReviewPattern::KeywordAlone),
                rule,
                looseness,
                ..nothing
            }
        }
        Some(WordMatch { word: Word::Control(ControlWord::Resubscribe), looseness }) => Decision {
            provider_opt_in: situation.provider == Provider::Two,
            rule: Rule::Resubscribe,
            looseness,
            ..nothing
        },
        Some(WordMatch { word: Word::Control(ControlWord::Help), looseness }) => {
            Decision { rule: Rule::Help, looseness, ..nothing }
        }
        None if situation.rule_set.takes_two_word_opt_out(situation.provider) && situation.lists(Keyword::OptOut) => {
            match match_two_word_opt_out(reply) {
                Some(looseness) => {
                    Decision { keyword: Some(Keyword::OptOut), looseness, ..keyword_outcome(situation, nothing) }
                }
                None => review_outcome(reply, nothing),
            }
        }
        None => review_outcome(reply, nothing),
    }
}

/// A reply that is no keyword: flagged for review, or nothing.
fn review_outcome(reply: &str, nothing: Decision) -> Decision {
    match review_pattern(reply) {
        Some(pattern) => Decision {
            user_action: UserAction::Review,
            review_reason: Some(pattern.reason()),
            review_pattern: Some(pattern),
            rule: Rule::Review(pattern.reason()),
            ..nothing
        },
        None => nothing,
    }
}

/// The reference table, for a reply that is a keyword of the provider's list.
fn keyword_outcome(s: Situation, nothing: Decision) -> Decision {
    let automatic = s.auto_opt_outs && s.first_response;
    let rule = match (s.auto_opt_outs, s.first_response) {
        (true, true) => Rule::AutomaticOptOut,
        (false, true) => Rule::AutomaticOptOutsOff,
        (_, false) => Rule::LaterResponse,
    };
    match (s.provider, automatic) {
        (Provider::One, true) => Decision {
            account_opt_out: AccountOptOut::Immediate,
            delivery_blocked: DeliveryBlocked::Yes,
            confirmation_sent_by: ConfirmationSender::Account,
            rule,
            ..nothing
        },
        (Provider::One, false) => Decision { user_action: UserAction::ManualOptOut, rule, ..nothing },
        (Provider::Two, true) => Decision {
            account_opt_out: AccountOptOut::Immediate,
            provider_opt_out: true,
            delivery_blocked: DeliveryBlocked::Yes,
            confirmation_sent_by: ConfirmationSender::Provider,
            rule,
            ..nothing
        },
        // The provider blocks its sender number on any one-word keyword, whatever the account's
        // setting; the account opts the number out when a send from that number is blocked.
        (Provider::Two, false) => Decision {
            account_opt_out: AccountOptOut::Deferred,
            provider_opt_out: true,
            delivery_blocked: DeliveryBlocked::Partially,
            confirmation_sent_by: ConfirmationSender::Provider,
            user_action: UserAction::ManualOptOut,
            rule,
            ..nothing
        },
    }
}
