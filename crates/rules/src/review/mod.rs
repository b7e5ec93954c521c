//! The review flag: replies that plainly ask to stop, or say the text reached the wrong person,
//! without being an automatic keyword; in English, Spanish and French.
//!
//! The flag never opts anybody out: it puts the conversation in front of an admin. Missing a real
//! request is far worse than showing an admin a harmless reply, so the rules lean towards
//! flagging. The labelled corpus in `tests/corpus/` measures both kinds of mistake.
//!
//! # How a reply is read
//!
//! 1. **Words** (`tokens.rs`). The reply is split into clauses at sentence punctuation, line
//!    breaks and emoji, and into words folded to lower case without accents, so that "ARRÊT",
//!    "Arret" and "arrêt" are one word. Repeated letters, spelled-out letters, masked profanity,
//!    French elision and Spanish attached pronouns are undone; a word one letter away from a word
//!    the rules depend on is corrected ("unsubcribe", "numbr"), and words typed without spaces
//!    are split ("Removeme", "wrongnumber").
//! 2. **Concepts** (`lexicon/`). Each word stands for concepts: a verb that stops something, the
//!    messages, the contact, a negation, a relative. The word lists are per language; the rules
//!    are not.
//! 3. **Constructions** (`request.rs`, `refusal.rs`, `wrong.rs`, `owner.rs`). Each rule is a construction over
//!    concepts, a verb with what it is aimed at: "stop" + the messages, "remove" + the contact, a
//!    negated "want" + receiving, an imperative refusal + a contact verb, a stop word the sender
//!    did not understand, "wrong" + number, a denied name, another number somebody else has, an
//!    age under 18. A stop verb aimed at anything else ("stop the war") asks
//!    nothing; banter ("Stop! You're making me blush 😊") is no request.
//!
//! The first construction found, by the strength of its reason ([`ReviewReason::ALL`]), is the
//! flag, and [`Review`] says which construction matched which words, and in what language.

mod chars;
mod clause;
mod lexicon;
mod owner;
mod refusal;
mod request;
mod tokens;
mod wrong;

use serde::Serialize;

use clause::Clause;
use lexicon::{Concepts as C, Langs};
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
    /// Every reason, strongest first: when a reply gives several, the strongest wins. A death or
    /// a child tells the admin more than the request to stop that usually comes with it.
    pub const ALL: [ReviewReason; 4] =
        [ReviewReason::Deceased, ReviewReason::Minor, ReviewReason::OptOutRequest, ReviewReason::WrongNumber];

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

/// The construction a flagged reply matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ReviewPattern {
    /// A stop word with nothing but politeness around it: "STOP SVP", "Basta ya".
    KeywordAlone,
    /// A word that means opting out: "unsubscribe", "désabonner", "darme de baja".
    OptOutWord,
    /// A stop verb aimed at the messages: "stop texting me", "dejen de escribirme".
    StopMessages,
    /// A removal aimed at the contact or a list: "take me off your list", "retirez-moi".
    RemoveFromList,
    /// A negated wish to receive: "I do not wish to receive", "je ne veux plus recevoir".
    DoesNotWant,
    /// A refusal in the imperative: "don't text me", "no me escriban", "ne m'écrivez plus".
    DoNotContact,
    /// "No more texts", "No más mensajes", "Plus de messages".
    NoMoreMessages,
    /// "Leave me alone", "déjenme en paz", "go away".
    LeaveMeAlone,
    /// "I never signed up", "I do not consent", "je retire mon consentement".
    NoConsent,
    /// "This is spam", "I'll report you".
    SpamComplaint,
    /// "Sick of these texts", "harta de sus mensajes", "j'en ai marre de vos messages".
    FedUp,
    /// "I said stop", "ya les dije que paren".
    AskedBefore,
    /// "Wrong number", "número equivocado", "mauvais numéro", "not the right number".
    WrongNumberWords,
    /// A person denied: "this isn't Sam", "no conozco a ningún Javier", "pas de Julien ici".
    NotThisPerson,
    /// The number changed hands: "new number", "she changed her number", "used to belong to".
    NumberChanged,
    /// The owner died: "my husband passed away", "falleció", "il est décédé".
    OwnerDied,
    /// An age under 18, or "minor": "she's 13", "es menor de edad", "je suis mineure".
    MinorAge,
    /// A child's phone: "this is my daughter's phone", "vous écrivez à un enfant".
    ChildsPhone,
}

impl ReviewPattern {
    /// The pattern's name, as stored with a flag.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewPattern::KeywordAlone => "keyword_alone",
            ReviewPattern::OptOutWord => "opt_out_word",
            ReviewPattern::StopMessages => "stop_messages",
            ReviewPattern::RemoveFromList => "remove_from_list",
            ReviewPattern::DoesNotWant => "does_not_want",
            ReviewPattern::DoNotContact => "do_not_contact",
            ReviewPattern::NoMoreMessages => "no_more_messages",
            ReviewPattern::LeaveMeAlone => "leave_me_alone",
            ReviewPattern::NoConsent => "no_consent",
            ReviewPattern::SpamComplaint => "spam_complaint",
            ReviewPattern::FedUp => "fed_up",
            ReviewPattern::AskedBefore => "asked_before",
            ReviewPattern::WrongNumberWords => "wrong_number_words",
            ReviewPattern::NotThisPerson => "not_this_person",
            ReviewPattern::NumberChanged => "number_changed",
            ReviewPattern::OwnerDied => "owner_died",
            ReviewPattern::MinorAge => "minor_age",
            ReviewPattern::ChildsPhone => "childs_phone",
        }
    }

    /// What the pattern is, in words for an admin: "a verb of stopping aimed at the messages".
    pub fn description(self) -> &'static str {
        use ReviewPattern::*;
        match self {
            KeywordAlone => "a stop word with nothing but politeness around it",
            OptOutWord => "a word that means opting out",
            StopMessages => "a verb of stopping aimed at the messages",
            RemoveFromList => "a request to be removed or taken off a list",
            DoesNotWant => "a wish not to receive the messages",
            DoNotContact => "a refusal to be texted or contacted",
            NoMoreMessages => "a refusal of more messages",
            LeaveMeAlone => "a request to be left alone",
            NoConsent => "a denial or withdrawal of consent",
            SpamComplaint => "a complaint of spam",
            FedUp => "having had enough of the messages",
            AskedBefore => "a request to stop made before",
            WrongNumberWords => "words for a wrong number or person",
            NotThisPerson => "a denial of being, or knowing, the person texted",
            NumberChanged => "a number that changed hands",
            OwnerDied => "news that the number's owner died",
            MinorAge => "an age under 18",
            ChildsPhone => "a child's phone",
        }
    }

    /// The reason the pattern gives.
    pub fn reason(self) -> ReviewReason {
        use ReviewPattern::*;
        match self {
            WrongNumberWords | NotThisPerson | NumberChanged => ReviewReason::WrongNumber,
            OwnerDied => ReviewReason::Deceased,
            MinorAge | ChildsPhone => ReviewReason::Minor,
            _ => ReviewReason::OptOutRequest,
        }
    }
}

/// The language of a reply, as far as its words tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Language {
    /// English.
    #[serde(rename = "en")]
    English,
    /// Spanish.
    #[serde(rename = "es")]
    Spanish,
    /// French.
    #[serde(rename = "fr")]
    French,
}

impl Language {
    /// The ISO 639-1 code: `en`, `es` or `fr`.
    pub fn as_str(self) -> &'static str {
        match self {
            Language::English => "en",
            Language::Spanish => "es",
            Language::French => "fr",
        }
    }
}

/// What the review flag found in a reply: why it needs review, the construction that matched,
/// the words that matched it, and the reply's language.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Review {
    /// Why the reply needs an admin's eyes.
    pub reason: ReviewReason,
    /// The construction that matched.
    pub pattern: ReviewPattern,
    /// The words of the reply that matched, as the contact wrote them: a slice of the reply.
    pub matched: String,
    /// The reply's language, by the words it uses; English when they do not tell.
    pub language: Language,
}

/// Reads a reply for a plain request to stop, a wrong number, a deceased owner or a child.
///
/// Returns `None` for ordinary replies. Exact keywords are the business of [`crate::decide`];
/// this function looks at the words alone and so also flags them. A text longer than 16 KiB,
/// ten times the longest SMS, is read to its first 16 KiB, so that every reply is answered in
/// bounded time.
///
/// # Example
/// ```
/// use optout_rules::{review, Language, ReviewPattern, ReviewReason};
/// let flag = review("Por favor, quítenme de su lista").expect("a request");
/// assert_eq!(flag.reason, ReviewReason::OptOutRequest);
/// assert_eq!(flag.pattern, ReviewPattern::RemoveFromList);
/// assert_eq!(flag.matched, "quítenme de su lista");
/// assert_eq!(flag.language, Language::Spanish);
///
/// assert_eq!(review("Mauvais numéro").expect("a wrong number").reason, ReviewReason::WrongNumber);
/// assert_eq!(review("Stop the war!"), None);
/// ```
pub fn review(reply: &str) -> Option<Review> {
    let tokens = Tokens::read(reply);
    let flag = flag(&tokens)?;
    let all = tokens.all();
    let (first, last) = (flag.first.min(flag.last), flag.first.max(flag.last));
    let (from, to) = (all.get(first)?.from as usize, all.get(last)?.to as usize);
    Some(Review {
        reason: flag.pattern.reason(),
        pattern: flag.pattern,
        matched: tokens.text().get(from..to).unwrap_or_default().to_owned(),
        language: language(all, &all[first..=last]),
    })
}

/// Why a reply needs review, if it does: [`review`] without the words and the language.
///
/// # Example
/// ```
/// use optout_rules::{review_reason, ReviewReason};
/// assert_eq!(review_reason("please take me off your list"), Some(ReviewReason::OptOutRequest));
/// assert_eq!(review_reason("This isn't Sam"), Some(ReviewReason::WrongNumber));
/// assert_eq!(review_reason("My husband passed away"), Some(ReviewReason::Deceased));
/// assert_eq!(review_reason("Can't stop smiling"), None);
/// ```
pub fn review_reason(reply: &str) -> Option<ReviewReason> {
    review_pattern(reply).map(ReviewPattern::reason)
}

/// The construction the review flag finds in a reply, without building its words.
pub(crate) fn review_pattern(reply: &str) -> Option<ReviewPattern> {
    flag(&Tokens::read(reply)).map(|f| f.pattern)
}

/// A construction found in a clause: its words, by index in the clause (in the reply once
/// [`flag`] has placed it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Found {
    pub pattern: ReviewPattern,
    pub first: usize,
    pub last: usize,
}

/// What the rules need to know of the whole reply.
pub(crate) struct ReplyCues {
    /// Laughter, a playful emoji or warmth: "Stop! You're making me blush 😊", "omg stop, I love
    /// this".
    pub playful: bool,
    /// "… but I still get your texts", "same number": the contact is still there.
    pub still_there: bool,
    /// Somebody wants something or takes part: "my daughter is 16 and wants to volunteer", "my
    /// son is 17 and will vote next year". Asked only of replies with digits, where ages are.
    pub wants: bool,
    /// An adult age stands in the reply: "my son's phone, he's 25".
    pub adult_age: bool,
}

/// The strongest flag of a reply.
fn flag(tokens: &Tokens<'_>) -> Option<Found> {
    let all = tokens.all();
    let seen = all.iter().fold(C::default(), |seen, t| seen.or(t.concepts));
    let but = all.iter().position(|t| t.is(C::BUT));
    // "Stop it, you're too kind": warmth makes banter of a bare "Stop", unless a "but" follows.
    let warm = seen.any(C::AFFECT) && !seen.any(C::BUT) && clauses(tokens).any(|(_, c)| request::warm(&c));
    // Ages are digits: only a reply with digits asks whether somebody wants to take part.
    let digits = all.iter().any(|t| t.number.is_some());
    let cues = ReplyCues {
        playful: tokens.playful || seen.any(C::LAUGH) || warm,
        still_there: but.is_some_and(|b| all[b..].iter().any(|t| t.is(C::STILL))) || seen.any(C::SAME),
        // Not "he's 15 and can't vote", "no puede votar", "elle ne peut pas voter".
        wants: digits
            && seen.any(C::WANT.or(C::PARTAKE))
            && clauses(tokens).any(|(_, c)| {
                (0..c.len()).any(|i| {
                    // French negates the verb before: "ne peut pas voter".
                    let french = c.prev(i).is_some_and(|p| c.is(p, C::NEG_POST))
                        && c.before(i, 4).any(|k| matches!(c.word(k), "ne" | "n"));
                    c.is(i, C::WANT.or(C::PARTAKE)) && !c.negated(i) && !french
                })
            }),
        adult_age: digits && has_adult_age(tokens),
    };
    let in_clauses = |rule: &dyn Fn(&Clause<'_>) -> Option<Found>| {
        clauses(tokens).find_map(|(offset, clause)| {
            rule(&clause).map(|f| Found { first: offset + f.first, last: offset + f.last, ..f })
        })
    };
    let mut found = None;
    // "no longer with us" names no death: a negation, the contact and "with" stand in for it.
    let no_longer_with_us = seen.any(C::NEG.or(C::NEG_POST)) && seen.any(C::SELF) && seen.any(C::FROM);
    if seen.any(C::DEATH.or(C::DIED)) || no_longer_with_us {
        found = in_clauses(&owner::owner_died);
    }
    if found.is_none() && (digits || seen.any(C::MINOR.or(C::CHILD).or(C::AGE_UNIT).or(C::YOUNG).or(C::SCHOOL))) {
        found = in_clauses(&|c| owner::minor(c, &cues));
    }
    found
        .or_else(|| in_clauses(&|c| request::asks_to_stop(c, &cues)))
        .or_else(|| in_clauses(&|c| wrong::wrong_number(c, &cues)))
}

/// The clauses of a reply, each with the index of its first word.
fn clauses<'t>(tokens: &'t Tokens<'t>) -> impl Iterator<Item = (usize, Clause<'t>)> + 't {
    let all = tokens.all();
    let mut offset = 0;
    all.chunk_by(|a, b| a.clause == b.clause).map(move |words| {
        let start = offset;
        offset += words.len();
        (start, Clause::new(words, tokens, all.get(offset)))
    })
}

/// Whether the reply states an age of 18 or more.
fn has_adult_age(tokens: &Tokens<'_>) -> bool {
    clauses(tokens).any(|(_, c)| {
        (0..c.len()).any(|i| {
            c.token(i).and_then(|t| t.number).is_some_and(|n| (18..=120).contains(&n))
                && owner::stated_age(&c, i).is_some()
        })
    })
}

/// The language most of the reply's words belong to; on a tie, the one the matched words
/// belong to, then English.
fn language(all: &[Token], matched: &[Token]) -> Language {
    let count = |tokens: &[Token], lang: Langs| tokens.iter().filter(|t| t.langs.0 & lang.0 != 0).count();
    let score = |lang: Langs| (count(all, lang), count(matched, lang));
    let (en, es, fr) = (score(Langs::EN), score(Langs::ES), score(Langs::FR));
    if es > en && es >= fr {
        Language::Spanish
    } else if fr > en && fr > es {
        Language::French
    } else {
        Language::English
    }
}

#[cfg(test)]
mod tests;
