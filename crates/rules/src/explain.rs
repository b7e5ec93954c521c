//! Plain-words explanations of decisions, and the preview of a reply in every situation under
//! every rule set.

use serde::Serialize;

use crate::decision::{decide, Decision, Rule, Situation};
use crate::normalize::{core_span, match_two_word_opt_out, match_word};
use crate::provider::{Keyword, Provider, Word};
use crate::review::{review, Review, ReviewReason};
use crate::rule_set::RuleSet;

/// A decision with its explanation: what `optout preview --json` prints and the app shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Explained {
    /// The decision.
    #[serde(flatten)]
    pub decision: Decision,
    /// One paragraph in plain words, ending with the rule set and the rule applied.
    pub explanation: String,
}

/// One situation of the preview, decided under every rule set: a row of the preview's table, whose
/// columns are [`Preview::rule_sets`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PreviewCell {
    /// The campaign's provider.
    pub provider: Provider,
    /// The account's automatic opt-outs setting.
    pub auto_opt_outs: bool,
    /// Whether the reply is the contact's first response.
    pub first_response: bool,
    /// Whether the contact's number is Canadian.
    pub canadian_contact: bool,
    /// What happens under each rule set: `outcomes[i]` is decided under `Preview::rule_sets[i]`.
    pub outcomes: Vec<Explained>,
    /// Whether the rule sets decide this situation differently, so that a screen can mark the row.
    pub rule_sets_differ: bool,
}

impl PreviewCell {
    /// The outcome under `rule_set`.
    pub fn outcome(&self, rule_set: RuleSet) -> Option<&Explained> {
        self.outcomes.iter().find(|o| o.decision.rule_set == rule_set)
    }
}

/// The reply cut around the word that matched a keyword, so that a screen can highlight it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Highlight {
    /// Text before the keyword.
    pub before: String,
    /// The keyword as the contact wrote it.
    pub matched: String,
    /// Text after the keyword.
    pub after: String,
}

/// A reply previewed in every situation under every rule set.
///
/// Laid out as a table: one row per [`PreviewCell`] (provider, automatic opt-outs, first
/// response, the contact's country), one column per entry of `rule_sets`. Provider 2 rows are for
/// UK contacts only, so there are twelve rows: eight for Provider 1, four for Provider 2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Preview {
    /// The columns: every rule set, in [`RuleSet::ALL`] order.
    pub rule_sets: Vec<RuleSet>,
    /// The rows, in [`Situation::all`] order.
    pub cells: Vec<PreviewCell>,
    /// Where the keyword sits in the reply, when the reply is a keyword of any list.
    pub highlight: Option<Highlight>,
    /// What the review flag reads in the reply, the same in every situation: why it needs an
    /// admin, the construction and the words that matched. Situations where the reply is a
    /// keyword of the list act on it instead.
    pub review: Option<Review>,
}

impl Preview {
    /// The outcome in one situation, if the preview shows it.
    ///
    /// # Example
    /// ```
    /// use optout_rules::{preview, AccountOptOut, Situation};
    /// let p = preview("STOP");
    /// let first = Situation::all()[0];
    /// assert_eq!(p.outcome(first).expect("shown").decision.account_opt_out, AccountOptOut::Immediate);
    /// // UK campaigns text UK numbers: no Canadian contact on Provider 2.
    /// let uk_canadian = Situation { canadian_contact: true, ..Situation::all()[23] };
    /// assert!(p.outcome(uk_canadian).is_none());
    /// ```
    pub fn outcome(&self, situation: Situation) -> Option<&Explained> {
        self.outcomes().find(|o| o.decision.situation == situation)
    }

    /// Every outcome, row by row, in [`Situation::all`] order.
    pub fn outcomes(&self) -> impl Iterator<Item = &Explained> {
        self.cells.iter().flat_map(|c| &c.outcomes)
    }
}

/// Previews `reply` in every situation under every rule set.
///
/// # Example
/// ```
/// use optout_rules::{AccountOptOut, RuleSet};
/// let preview = optout_rules::preview("  Revoke. ");
/// assert_eq!(preview.cells.len(), 12);
/// assert_eq!(preview.rule_sets, RuleSet::ALL);
/// assert_eq!(preview.highlight.expect("a keyword").matched, "Revoke");
///
/// // The first row is Provider 1, automatic opt-outs on, first response, a US contact.
/// let first = &preview.cells[0];
/// assert!(first.rule_sets_differ);
/// assert_eq!(first.outcome(RuleSet::Reference).expect("a column").decision.account_opt_out, AccountOptOut::None);
/// assert_eq!(first.outcome(RuleSet::Us2025).expect("a column").decision.account_opt_out, AccountOptOut::Immediate);
///
/// let plea = optout_rules::preview("Please take me off your list");
/// assert!(plea.highlight.is_none());
/// assert_eq!(plea.review.expect("a request").matched, "take me off your list");
///
/// assert!(optout_rules::preview("see you there").highlight.is_none());
/// assert!(optout_rules::preview("see you there").review.is_none());
/// ```
pub fn preview(reply: &str) -> Preview {
    let situations = Situation::all();
    let cells = situations
        .chunks(RuleSet::ALL.len())
        .map(|row| {
            let outcomes: Vec<Explained> = row.iter().map(|&s| decide(reply, s).explain()).collect();
            let first = &outcomes[0].decision;
            let rule_sets_differ = outcomes.iter().any(|o| !same_effect(&o.decision, first));
            let s = row[0];
            PreviewCell {
                provider: s.provider,
                auto_opt_outs: s.auto_opt_outs,
                first_response: s.first_response,
                canadian_contact: s.canadian_contact,
                outcomes,
                rule_sets_differ,
            }
        })
        .collect();
    let is_keyword = matches!(match_word(reply), Some(m) if matches!(m.word, Word::Keyword(_)))
        || match_two_word_opt_out(reply).is_some();
    let highlight = is_keyword.then(|| {
        let span = core_span(reply);
        Highlight {
            before: reply[..span.start].to_owned(),
            matched: reply[span.clone()].to_owned(),
            after: reply[span.end..].to_owned(),
        }
    });
    Preview { rule_sets: RuleSet::ALL.to_vec(), cells, highlight, review: review(reply) }
}

/// Whether two decisions do the same to the number and ask the same of a person.
fn same_effect(a: &Decision, b: &Decision) -> bool {
    (a.keyword, a.account_opt_out, a.provider_opt_out, a.provider_opt_in, a.delivery_blocked)
        == (b.keyword, b.account_opt_out, b.provider_opt_out, b.provider_opt_in, b.delivery_blocked)
        && (a.confirmation_sent_by, a.user_action, a.review_reason)
            == (b.confirmation_sent_by, b.user_action, b.review_reason)
}

impl Decision {
    /// The decision with a paragraph that explains it and cites the rule set and the rule applied.
    pub fn explain(self) -> Explained {
        Explained { explanation: explanation(&self), decision: self }
    }
}

fn explanation(d: &Decision) -> String {
    let s = d.situation;
    let provider = s.provider.label();
    let mut text = String::with_capacity(560);
    let keyword = d.keyword.map_or("", |k| k.as_str());
    let keyword_intro = format!("The reply is {keyword}, a keyword on the list of {provider}{}", list_origin(d));
    match d.rule {
        Rule::AutomaticOptOut => {
            text += &keyword_intro;
            text += ", and it is the contact's first response. ";
            text += "With automatic opt-outs on, the account opts the number out at once: no campaign of this \
                     account, new or existing, will text it again. ";
            text += match s.provider {
                Provider::One => "The account sends its opt-out confirmation. Provider 1 keeps no opt-out of its own.",
                Provider::Two => {
                    "Provider 2 also blocks the sender number that received the reply and sends its own \
                     message (reply START to resubscribe), so the account sends no confirmation."
                }
            };
        }
        Rule::AutomaticOptOutsOff | Rule::LaterResponse => {
            text += &keyword_intro;
            text += if d.rule == Rule::LaterResponse {
                ", but it is not the contact's first response, and the account's automatic opt-out acts on the \
                 first response only. "
            } else {
                ", but automatic opt-outs are off, so the account does not opt the number out by itself. "
            };
            text += match s.provider {
                Provider::One => {
                    "Provider 1 keeps no opt-out of its own: further messages will be delivered and nobody sends a \
                     confirmation. The contact asked plainly: opt them out by hand."
                }
                Provider::Two => {
                    "Provider 2 acts on any one-word keyword regardless: it blocks the sender number that received \
                     the reply and sends its own message. The account opts the number out only when a later send \
                     from that same sender number is blocked (deferred); a send from another sender number may \
                     still be delivered. Opt the contact out by hand."
                }
            };
        }
        Rule::OtherProvidersKeyword(k) => {
            text += &format!(
                "{k} is on the list of Provider 2 (UK) and of the {} rule set, but not on the list of {provider} \
                 under the {} rule set, so nothing is opted out automatically. US regulators treat it as a request \
                 to revoke consent: the conversation is flagged for an admin to review and opt the contact out by \
                 hand.",
                RuleSet::Us2025.label(),
                s.rule_set.label()
            );
        }
        Rule::UnlistedKeyword(k) => {
            let contact = if s.canadian_contact { "a Canadian contact" } else { "a US contact" };
            text += &format!(
                "{k} is not on the list of {provider} under the {} rule set for {contact}; {}. Nothing is opted out \
                 automatically: the conversation is flagged for an admin to review and opt the contact out by hand.",
                s.rule_set.label(),
                where_listed(k)
            );
        }
        Rule::Review(reason) => {
            text += review_text(reason);
            if let Some(pattern) = d.review_pattern {
                text += &format!(" The reply reads as {}.", pattern.description());
            }
        }
        Rule::Resubscribe => {
            text += match s.provider {
                Provider::One => "START and UNSTOP change nothing with Provider 1, which keeps no opt-out of its own.",
                Provider::Two => "Provider 2 lifts its own block on the sender number that received this reply.",
            };
            text += " They never reverse the account's opt-out: only an admin's opt-in does that.";
        }
        Rule::Help => text += "HELP and INFO ask who is texting; they are not opt-outs, and nothing changes.",
        Rule::OrdinaryReply => text += "The reply is not an opt-out keyword and does not ask to stop: nothing changes.",
    }
    let needed = match (d.looseness.trimmed, d.looseness.unicode) {
        (true, true) => Some("Unicode normalisation and trimming the characters around the word"),
        (true, false) => Some("trimming the spaces and punctuation around the word"),
        (false, true) => Some("Unicode normalisation"),
        (false, false) => None,
    };
    if let (Some(needed), Some(_)) = (needed, d.keyword) {
        text +=
            &format!(" Matching needed {needed}: a provider that matches the exact word might not act on this reply.");
    }
    text += &format!(
        " Rule: {provider}, automatic opt-outs {}, rule set {} ({}), {}.",
        on_off(s.auto_opt_outs),
        s.rule_set.label(),
        d.rule_set_version,
        rule_name(d.rule, s)
    );
    text
}

/// Why the keyword is on the list, when the rule set put it there rather than the vendor's table.
fn list_origin(d: &Decision) -> &'static str {
    let s = d.situation;
    match d.keyword {
        Some(Keyword::Revoke | Keyword::OptOut) if s.provider == Provider::One => {
            " under the US 2025 rule set, which takes the US regulator's revocation words"
        }
        Some(Keyword::Arret) => " under the US 2025 rule set, which takes the French ARRET from Canadian contacts",
        _ => "",
    }
}

/// Which lists hold a keyword that the situation's list lacks.
fn where_listed(k: Keyword) -> &'static str {
    match k {
        Keyword::Arret => "the US 2025 rule set lists it for Canadian contacts of Provider 1",
        _ => "the US 2025 rule set lists it for Provider 1",
    }
}

fn review_text(reason: ReviewReason) -> &'static str {
    match reason {
        ReviewReason::OptOutRequest => {
            "The reply is not an opt-out keyword, but it plainly asks to stop. Nothing is opted out automatically: \
             the conversation is flagged for an admin to read and, if it is a request to stop, to opt the contact \
             out by hand."
        }
        ReviewReason::WrongNumber => {
            "The reply says the message reached the wrong person. Nothing is opted out automatically: the \
             conversation is flagged for an admin to review."
        }
        ReviewReason::Deceased => {
            "The reply says the number's owner has died. Nothing is opted out automatically: the conversation is \
             flagged for an admin to review; the number may be reassigned to somebody else."
        }
        ReviewReason::Minor => {
            "The reply says the phone belongs to a child. Nothing is opted out automatically: the conversation is \
             flagged for an admin to review, and a minor must not be texted."
        }
    }
}

fn on_off(on: bool) -> &'static str {
    if on {
        "on"
    } else {
        "off"
    }
}

fn rule_name(rule: Rule, s: Situation) -> &'static str {
    match rule {
        Rule::AutomaticOptOut | Rule::AutomaticOptOutsOff => "keyword as first response",
        Rule::LaterResponse => "keyword after the first response",
        Rule::OtherProvidersKeyword(_) => "another provider's keyword (review)",
        Rule::UnlistedKeyword(_) => "another list's keyword (review)",
        Rule::Review(ReviewReason::OptOutRequest) => "plain request to stop (review)",
        Rule::Review(ReviewReason::WrongNumber) => "wrong number (review)",
        Rule::Review(ReviewReason::Deceased) => "owner deceased (review)",
        Rule::Review(ReviewReason::Minor) => "a minor's phone (review)",
        Rule::Resubscribe if s.provider == Provider::Two => "START lifts the provider's block",
        Rule::Resubscribe => "START has no effect",
        Rule::Help => "HELP is not an opt-out",
        Rule::OrdinaryReply => "ordinary reply",
    }
}
