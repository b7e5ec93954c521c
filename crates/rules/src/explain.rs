//! Plain-words explanations of decisions, and the preview of a reply in every situation.

use serde::Serialize;

use crate::decision::{decide, Decision, Rule, Situation};
use crate::normalize::{core_span, match_word};
use crate::provider::{Provider, Word};
use crate::review::ReviewReason;

/// A decision with its explanation: what `optout preview --json` prints and the app shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Explained {
    /// The decision.
    #[serde(flatten)]
    pub decision: Decision,
    /// One paragraph in plain words, ending with the rule applied.
    pub explanation: String,
}

/// One cell of the preview matrix: a situation and what happens in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PreviewCell {
    /// The situation.
    #[serde(flatten)]
    pub situation: Situation,
    /// What happens.
    #[serde(flatten)]
    pub outcome: Explained,
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

/// A reply previewed in all eight situations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Preview {
    /// The eight cells, in [`Situation::all`] order.
    pub cells: Vec<PreviewCell>,
    /// Where the keyword sits in the reply, when the reply is a keyword of either provider.
    pub highlight: Option<Highlight>,
}

/// Previews `reply` in every situation.
///
/// # Example
/// ```
/// let preview = optout_rules::preview("  cancel. ");
/// assert_eq!(preview.cells.len(), 8);
/// assert_eq!(preview.highlight.expect("a keyword").matched, "cancel");
/// ```
pub fn preview(reply: &str) -> Preview {
    let cells = Situation::all()
        .into_iter()
        .map(|situation| PreviewCell { situation, outcome: decide(reply, situation).explain() })
        .collect();
    let highlight = match match_word(reply) {
        Some(m) if matches!(m.word, Word::Keyword(_)) => {
            let span = core_span(reply);
            Some(Highlight {
                before: reply[..span.start].to_owned(),
                matched: reply[span.clone()].to_owned(),
                after: reply[span.end..].to_owned(),
            })
        }
        _ => None,
    };
    Preview { cells, highlight }
}

impl Decision {
    /// The decision with a paragraph that explains it and cites the rule applied.
    pub fn explain(self) -> Explained {
        Explained { explanation: explanation(&self), decision: self }
    }
}

fn explanation(d: &Decision) -> String {
    let s = d.situation;
    let provider = s.provider.label();
    let mut text = String::with_capacity(480);
    let keyword = d.keyword.map_or("", |k| k.as_str());
    let keyword_intro = format!("The reply is {keyword}, a keyword on the list of {provider}");
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
                    "Provider 1 keeps no opt-out of its own: further messages will be delivered and \
                                  nobody sends a confirmation. The contact asked plainly: opt them out by hand."
                }
                Provider::Two => {
                    "Provider 2 acts on any one-word keyword regardless: it blocks the sender number \
                                  that received the reply and sends its own message. The account opts the number \
                                  out only when a later send from that same sender number is blocked (deferred); a \
                                  send from another sender number may still be delivered. Opt the contact out by hand."
                }
            };
        }
        Rule::OtherProvidersKeyword(k) => {
            text += &format!(
                "{k} is on the list of Provider 2 (UK) but not on the list of {provider}, so nothing is opted out \
                 automatically. US regulators treat it as a request to revoke consent: the conversation is flagged \
                 for an admin to review and opt the contact out by hand."
            );
        }
        Rule::Review(ReviewReason::OptOutRequest) => {
            text += "The reply is not an opt-out keyword, but it plainly asks to stop. Nothing is opted out \
                     automatically: the conversation is flagged for an admin to read and, if it is a request to \
                     stop, to opt the contact out by hand.";
        }
        Rule::Review(ReviewReason::WrongNumber) => {
            text += "The reply says the message reached the wrong person. Nothing is opted out automatically: the \
                     conversation is flagged for an admin to review.";
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
    text += &format!(" Rule: {provider}, automatic opt-outs {}, {}.", on_off(s.auto_opt_outs), rule_name(d.rule, s));
    text
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
        Rule::Review(ReviewReason::OptOutRequest) => "plain request to stop (review)",
        Rule::Review(ReviewReason::WrongNumber) => "wrong number (review)",
        Rule::Resubscribe if s.provider == Provider::Two => "START lifts the provider's block",
        Rule::Resubscribe => "START has no effect",
        Rule::Help => "HELP is not an opt-out",
        Rule::OrdinaryReply => "ordinary reply",
    }
}
