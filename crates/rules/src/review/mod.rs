//! The review flag: replies that plainly ask to stop, or say the text reached the wrong person,
//! without being an automatic keyword.
//!
//! The flag never opts anybody out: it puts the conversation in front of an admin. Missing a real
//! request is far worse than showing an admin a harmless reply, so the rules lean towards
//! flagging. The labelled corpus in `tests/corpus/` measures both kinds of mistake, on a
//! development set and on a held-out set the rules were never tuned on.
//!
//! A reply asks to stop when any clause of it:
//! - holds a stop word and nothing but filler ("Stop please", "End it", "🛑 STOP 🛑");
//! - has a stop verb followed by the messages ("can you stop sending me these");
//! - has a form of a stop verb and a word that points at the contact or the messages
//!   ("I'd like to be removed from your list", "block this number");
//! - says "don't want" with the messages after it ("I don't want any more texts"), or refuses
//!   contact ("don't ever text me", "I never gave you permission");
//! - holds a phrase of the lexicon ("take me off your list", "lose my number"), or "off" before
//!   a list ("get me off your list");
//! - holds a word nobody uses in passing (UNSUBSCRIBE, REVOKE, OPTOUT).
//!
//! A reply is a wrong number when it says so ("wrong number", "new number", "by that name") or
//! denies a name ("This isn't Sam", "Who's David?", "No Kevin here"). When a reply does both,
//! asking to stop wins: it is the stronger claim.

mod lexicon;
mod tokens;

use std::sync::OnceLock;

use serde::Serialize;

use lexicon::{Classes, Signal};
use tokens::{Token, Tokens};

/// Why a reply needs an admin's eyes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ReviewReason {
    /// The contact plainly asks to stop, in words no provider acts on by itself.
    OptOutRequest,
    /// The contact says the number belongs to somebody else.
    WrongNumber,
    /// The contact says the number's owner has died: the number may soon be reassigned.
    Deceased,
    /// The contact says the phone is a child's: a minor must not be texted.
    Minor,
}

impl ReviewReason {
    /// Every reason, strongest first: when a reply gives several, the first one found wins.
    pub const ALL: [ReviewReason; 4] =
        [ReviewReason::Minor, ReviewReason::Deceased, ReviewReason::OptOutRequest, ReviewReason::WrongNumber];

    /// The reason's name, as stored on a flagged conversation.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewReason::OptOutRequest => "opt_out_request",
            ReviewReason::WrongNumber => "wrong_number",
            ReviewReason::Deceased => "deceased",
            ReviewReason::Minor => "minor",
        }
    }

    /// A short description for an admin's review queue.
    pub fn description(self) -> &'static str {
        match self {
            ReviewReason::OptOutRequest => "Asks to stop, in words no keyword list acts on",
            ReviewReason::WrongNumber => "Says the number belongs to somebody else",
            ReviewReason::Deceased => "Says the number's owner has died; the number may be reassigned",
            ReviewReason::Minor => "Says the phone is a child's; a minor must not be texted",
        }
    }

    /// Whether the reason says the text reached somebody other than the intended contact: a wrong
    /// number, a number whose owner died, or a child's phone.
    pub fn is_wrong_person(self) -> bool {
        !matches!(self, ReviewReason::OptOutRequest)
    }
}

/// Reads a reply for a plain request to stop or a wrong-number answer.
///
/// Returns `None` for ordinary replies. Exact keywords are the business of [`crate::decide`];
/// this function looks at the words alone and so also flags them.
///
/// # Example
/// ```
/// use optout_rules::{review_reason, ReviewReason};
/// assert_eq!(review_reason("please take me off your list"), Some(ReviewReason::OptOutRequest));
/// assert_eq!(review_reason("This isn't Sam"), Some(ReviewReason::WrongNumber));
/// assert_eq!(review_reason("Can't stop smiling"), None);
/// ```
pub fn review_reason(reply: &str) -> Option<ReviewReason> {
    let tokens = Tokens::read(reply);
    let words = tokens.words();
    let mut wrong_number = false;
    for clause in words.chunk_by(|a, b| a.clause == b.clause) {
        if asks_to_stop(clause) {
            return Some(ReviewReason::OptOutRequest);
        }
        wrong_number |= is_wrong_number(clause);
    }
    wrong_number.then_some(ReviewReason::WrongNumber)
}

/// The word at `i`, if the clause is that long.
fn word_at<'a>(clause: &[Token<'a>], i: usize) -> Option<&'a str> {
    clause.get(i).map(|t| t.text)
}

/// Whether one of the `window` words before `i` is a negation: "don't stop", "never gave you
/// permission".
fn negated_within(clause: &[Token<'_>], i: usize, window: usize) -> bool {
    clause[i.saturating_sub(window)..i].iter().any(|t| t.is(Classes::NEGATION))
}

fn asks_to_stop(clause: &[Token<'_>]) -> bool {
    let text = |i: usize| word_at(clause, i);
    let only_stop_and_filler =
        clause.iter().any(|t| t.is(Classes::STOP_WORD)) && clause.iter().all(|t| t.is(Classes::FILLER));
    if only_stop_and_filler {
        return true;
    }
    // "no more" on its own.
    if clause.len() == 2 && text(0) == Some("no") && text(1) == Some("more") {
        return true;
    }
    let addressed = clause.iter().any(|t| t.is(Classes::ADDRESSEE));
    (0..clause.len()).any(|i| {
        let (t, word) = (clause[i], clause[i].text);
        let negated = negated_within(clause, i, 2);
        let messages_follow = |within: usize| clause[i + 1..].iter().take(within).any(|t| t.is(Classes::MESSAGING));
        t.is(Classes::STRONG_STOP)
            // "stop sending me these", "cancel these texts".
            || (t.is(Classes::STOP_VERB) && !negated && messages_follow(3))
            // "removed from your list", "block this number", "I asked you to stop already".
            || (t.is(Classes::STOP_FORM) && !negated && addressed && !(word.starts_with("stop") && text(i + 1) == Some("by")))
            // "get me off your list", "I want off this list".
            || (word == "off" && clause[i + 1..].iter().take(2).any(|t| t.is(Classes::LIST_WORD)))
            // "I'm done with these texts".
            || (word == "done" && text(i + 1) == Some("with") && messages_follow(3))
            // "I don't want any more texts".
            || (word == "want" && i >= 1 && matches!(clause[i - 1].text, "dont" | "not") && messages_follow(4))
            // "don't text me", "never ever message me", "do not contact".
            || (refuses_contact(clause, i))
            // "I never gave you permission", "I do not consent".
            || (matches!(word, "permission" | "consent") && negated_within(clause, i, 3))
            || phrase_at(clause, i, |s| matches!(s, Signal::Stop | Signal::StopOffList))
    })
}

/// "don't text", "never ever message", "do not contact": a refusal right before a contact verb.
fn refuses_contact(clause: &[Token<'_>], i: usize) -> bool {
    let text = |i: usize| word_at(clause, i);
    let refusal = match text(i) {
        Some("dont" | "never") => true,
        Some("not") => i >= 1 && matches!(clause[i - 1].text, "do" | "please"),
        _ => false,
    };
    let verb_at = |j: usize| clause.get(j).is_some_and(|t| t.is(Classes::CONTACT_VERB));
    let softener = text(i + 1).is_some_and(|w| matches!(w, "ever" | "you" | "u" | "even" | "again" | "please" | "pls"));
    refusal && (verb_at(i + 1) || (softener && verb_at(i + 2)))
}

fn is_wrong_number(clause: &[Token<'_>]) -> bool {
    let text = |i: usize| word_at(clause, i);
    let last = clause.len().saturating_sub(1);
    let name_at = |i: usize| {
        clause
            .get(i)
            .is_some_and(|t| t.capitalised && !t.is(Classes::NOT_A_NAME) && t.text.chars().all(char::is_alphabetic))
    };
    // "This isn't Sam" / "this is not sam": a lower-case name passes when it is no common word.
    let this_is_not = match (text(0), text(1), text(2)) {
        (Some("this" | "thats"), Some("isnt" | "aint"), _) => Some(2),
        (Some("this"), Some("is"), Some("not")) => Some(3),
        _ => None,
    };
    if this_is_not.is_some_and(|i| i == last && (name_at(i) || !clause[i].is(Classes::COMMON_COMPLEMENT))) {
        return true;
    }
    // "Not Sam" as a whole clause.
    if clause.len() == 2 && text(0) == Some("not") && name_at(1) {
        return true;
    }
    (0..clause.len()).any(|i| {
        let before = |back: usize| i.checked_sub(back).and_then(text);
        // A name right after words that deny it: "isn't Chris", "I'm not Michael", "who is Emily",
        // "I don't know a Tom", "no Kevin here".
        let denied_name = name_at(i)
            && (matches!(before(1), Some("isnt" | "aint" | "whos"))
                || (before(1) == Some("not") && matches!(before(2), Some("is" | "im" | "am")))
                || (before(1) == Some("is") && before(2) == Some("who") && i == last)
                || (matches!(before(1), Some("a" | "any")) && before(2) == Some("know"))
                || (before(1) == Some("no")
                    && text(i + 1)
                        .is_some_and(|w| matches!(w, "here" | "at" | "in" | "on" | "living" | "by" | "that" | "who"))));
        // "This is not Sam's phone".
        let someone_elses_phone = matches!(text(i), Some("not" | "isnt"))
            && text(i + 1).is_some_and(|w| w.len() > 2 && w.ends_with('s'))
            && matches!(text(i + 2), Some("phone" | "number" | "cell" | "mobile"));
        denied_name || someone_elses_phone || phrase_at(clause, i, |s| s == Signal::WrongNumber)
    })
}

/// A phrase of the lexicon, split into its words and their alternatives.
struct Phrase {
    words: Vec<Vec<&'static str>>,
    signal: Signal,
}

/// The phrases, and an index from each possible first word to the phrases it starts.
struct PhraseIndex {
    phrases: Vec<Phrase>,
    by_first_word: Vec<(&'static str, usize)>,
}

fn phrase_index() -> &'static PhraseIndex {
    static INDEX: OnceLock<PhraseIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let phrases: Vec<Phrase> = lexicon::PHRASES
            .iter()
            .map(|(text, signal)| Phrase {
                words: text.split(' ').map(|w| w.split('|').collect()).collect(),
                signal: *signal,
            })
            .collect();
        let mut by_first_word: Vec<(&'static str, usize)> =
            phrases.iter().enumerate().flat_map(|(i, p)| p.words[0].iter().map(move |w| (*w, i))).collect();
        by_first_word.sort_unstable();
        PhraseIndex { phrases, by_first_word }
    })
}

/// Whether a phrase whose signal passes `wanted` starts at word `i` of `clause`.
fn phrase_at(clause: &[Token<'_>], i: usize, wanted: impl Fn(Signal) -> bool) -> bool {
    if !clause[i].is(Classes::PHRASE_START) {
        return false;
    }
    let index = phrase_index();
    let first = clause[i].text;
    let from = index.by_first_word.partition_point(|(w, _)| *w < first);
    index.by_first_word[from..]
        .iter()
        .take_while(|(w, _)| *w == first)
        .map(|(_, p)| &index.phrases[*p])
        .filter(|p| wanted(p.signal))
        .any(|p| {
            let rest = &clause[i..];
            rest.len() >= p.words.len()
                && p.words.iter().zip(rest).all(|(alternatives, t)| alternatives.contains(&t.text))
                && (p.signal != Signal::StopOffList || names_a_list(&rest[p.words.len()..]))
        })
}

/// After "take me off": nothing, or a list ("your list", "this texting list", "the list").
fn names_a_list(after: &[Token<'_>]) -> bool {
    match after {
        [] => true,
        [first, rest @ ..] if first.is(Classes::LIST_DETERMINER) => {
            rest.first().is_none_or(|t| t.is(Classes::LIST_WORD))
        }
        [first, ..] => first.is(Classes::LIST_WORD),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phrases_are_lower_case_words() {
        for (text, _) in lexicon::PHRASES {
            for word in text.split([' ', '|']) {
                assert!(
                    !word.is_empty() && word.chars().all(|c| c == '#' || (c.is_alphanumeric() && !c.is_uppercase())),
                    "{text:?}"
                );
            }
        }
    }

    #[test]
    fn take_me_off_needs_a_list_or_nothing() {
        assert_eq!(review_reason("Take me off"), Some(ReviewReason::OptOutRequest));
        assert_eq!(review_reason("take me off your texting list"), Some(ReviewReason::OptOutRequest));
        assert_eq!(review_reason("Take me off the waitlist please"), None);
    }

    #[test]
    fn negation_turns_a_stop_verb_round() {
        assert_eq!(review_reason("Please don't stop texting me updates"), None);
        assert_eq!(review_reason("Stop texting me updates"), Some(ReviewReason::OptOutRequest));
    }

    #[test]
    fn asking_to_stop_wins_over_wrong_number() {
        assert_eq!(review_reason("Wrong number, stop texting me"), Some(ReviewReason::OptOutRequest));
        assert_eq!(review_reason("Wrong number"), Some(ReviewReason::WrongNumber));
    }
}
