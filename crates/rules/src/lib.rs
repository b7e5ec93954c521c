//! The opt-out rules engine of OptOut Desk.
//!
//! Organisations that text people at scale must honour every request to stop. This crate decides,
//! for one reply to a campaign text, what happens: whether the account opts the number out, whether
//! the SMS provider blocks it, who sends a confirmation, and whether a person must act. The hub
//! uses it to act on replies; the desktop app and the `optout` command use it to preview.
//!
//! It is pure: no I/O, no clock, no async. Every input gets an answer; nothing panics. Functions
//! that depend on time take the time as an argument.
//!
//! # Quick example
//!
//! ```
//! use optout_rules::{decide, AccountOptOut, DeliveryBlocked, Provider, RuleSet, Situation, UserAction};
//!
//! // A UK campaign, automatic opt-outs off, the contact's first response.
//! let uk = Situation {
//!     provider: Provider::Two,
//!     auto_opt_outs: false,
//!     first_response: true,
//!     rule_set: RuleSet::Reference,
//!     canadian_contact: false,
//! };
//! let d = decide("STOP", uk);
//! assert!(d.provider_opt_out);
//! assert_eq!(d.account_opt_out, AccountOptOut::Deferred);
//! assert_eq!(d.delivery_blocked, DeliveryBlocked::Partially);
//! assert_eq!(d.user_action, UserAction::ManualOptOut);
//!
//! // Words that ask to stop without being a keyword go to an admin, never straight to an opt-out.
//! let d = decide("no more texts please", uk);
//! assert_eq!(d.account_opt_out, AccountOptOut::None);
//! assert_eq!(d.user_action, UserAction::Review);
//! ```
//!
//! # Keywords and rule sets
//!
//! Each account chooses a [`RuleSet`]; every decision records it and its version.
//!
//! | provider | [`RuleSet::Reference`] (default) | [`RuleSet::Us2025`] |
//! | --- | --- | --- |
//! | [`Provider::One`] (US/CA) | STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT | the same, REVOKE, OPTOUT or OPT OUT; ARRET (ARRÊT) from Canadian contacts |
//! | [`Provider::Two`] (UK) | STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, REVOKE, OPTOUT, QUIT | the same: the provider's own list |
//!
//! A reply is a keyword when, after NFKC normalisation, case folding and trimming whitespace,
//! punctuation and invisible characters around it, it is exactly one word of the list
//! ([`match_word`], [`normalize`]), or OPT OUT in two words where the rule set takes it. Where that
//! took trimming or NFKC, the explanation warns that a provider matching the exact word might not
//! act.
//!
//! # The table
//!
//! For a keyword as the **first response** ([`decide`]):
//!
//! | auto opt-outs | provider | account opt-out | provider opt-out | delivery blocked | confirmation | user action |
//! | --- | --- | --- | --- | --- | --- | --- |
//! | on | 1 | immediate | no | yes | account | none |
//! | off | 1 | none | no | no | none | manual opt-out |
//! | on | 2 | immediate | yes | yes | provider | none |
//! | off | 2 | deferred | yes | partially | provider | manual opt-out |
//!
//! After the first response the account's automatic opt-out no longer fires; Provider 2 still
//! blocks its sender number on any one-word keyword. Either way somebody must opt the contact out
//! by hand.
//!
//! # Review
//!
//! Replies that plainly ask to stop without being a keyword ("take me off your list", "Quítenme
//! de su lista", "Je ne veux plus recevoir vos messages", REVOKE under the reference rule set,
//! "STOP 🛑") are flagged for an admin, in English, Spanish and French, and so are wrong numbers,
//! numbers whose owner died and children's phones, each a reason of its own ([`ReviewReason`]).
//! The flag never opts anybody out. [`review`] says which construction matched which words:
//!
//! ```
//! use optout_rules::{review, Language, ReviewPattern, ReviewReason};
//! let flag = review("Arrêtez de m'envoyer des messages svp").expect("a request");
//! assert_eq!((flag.reason, flag.pattern), (ReviewReason::OptOutRequest, ReviewPattern::StopMessages));
//! assert_eq!((flag.matched.as_str(), flag.language), ("Arrêtez de m'envoyer des messages", Language::French));
//!
//! assert_eq!(review("This is my daughter's phone, she's 13").expect("a child").reason, ReviewReason::Minor);
//! assert_eq!(review("Stop! You're making me blush 😊"), None);
//! ```
//!
//! # The review clock
//!
//! A flagged reply is due for an admin's decision by the end of the tenth business day after it
//! arrived, or fewer where the account says so ([`review_due`], [`DEFAULT_REVIEW_DAYS`]). Business
//! days skip weekends and US federal holidays ([`federal_holiday`]), counted in US Eastern dates.
//!
//! # Confirmations
//!
//! At most one confirmation per opt-out, within five minutes of the request, never where the
//! provider sent its own, where texts cost the contact money, or to a number the provider blocks
//! ([`confirmation`]).
//!
//! # Preview
//!
//! [`preview`] decides a reply in every situation under every rule set, side by side, and
//! explains each decision ([`Decision::explain`]).

#![deny(missing_docs)]

mod confirmation;
mod cost;
mod decision;
mod explain;
mod holidays;
mod normalize;
mod provider;
mod review;
mod review_clock;
mod rule_set;

pub use confirmation::{confirmation, Confirmation, ConfirmationFacts, WithholdReason, CONFIRMATION_WINDOW};
pub use cost::says_texts_cost_money;
pub use decision::{decide, AccountOptOut, ConfirmationSender, Decision, DeliveryBlocked, Rule, Situation, UserAction};
pub use explain::{preview, Explained, Highlight, Preview, PreviewCell};
pub use holidays::{federal_holiday, is_business_day, FederalHoliday};
pub use normalize::{core_span, is_trimmable, match_word, normalize, Looseness, WordMatch};
pub use provider::{ControlWord, Keyword, Provider, Word};
pub use review::{review, review_reason, Language, Review, ReviewPattern, ReviewReason};
pub use review_clock::{eastern_date, review_due, DEFAULT_REVIEW_DAYS, REVIEW_DAYS};
pub use rule_set::{RuleSet, UnknownRuleSet};
