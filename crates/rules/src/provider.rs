//! The two SMS providers and the words each of them acts on.

use serde::Serialize;

/// The SMS provider that carries a campaign, chosen by the country it targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Provider {
    /// Provider 1: campaigns to the United States and Canada. It keeps no opt-out list of its own.
    #[serde(rename = "1")]
    One,
    /// Provider 2: campaigns to the United Kingdom. It blocks a sender number for a contact who
    /// replies with one of its keywords, and tells the contact to reply START to resubscribe.
    #[serde(rename = "2")]
    Two,
}

impl Provider {
    /// Both providers, in the order the preview shows them.
    pub const ALL: [Provider; 2] = [Provider::One, Provider::Two];

    /// The provider's opt-out keywords under the reference rule set, as the provider lists them.
    /// [`RuleSet::keywords`](crate::RuleSet::keywords) gives the list under each rule set.
    ///
    /// # Example
    /// ```
    /// use optout_rules::{Keyword, Provider};
    /// assert!(Provider::Two.keywords().contains(&Keyword::Revoke));
    /// assert!(!Provider::One.keywords().contains(&Keyword::Revoke));
    /// ```
    pub fn keywords(self) -> &'static [Keyword] {
        use Keyword::*;
        match self {
            Provider::One => &[Stop, StopAll, Unsubscribe, Cancel, End, Quit],
            Provider::Two => &[Stop, StopAll, Unsubscribe, Cancel, End, Revoke, OptOut, Quit],
        }
    }

    /// Whether `keyword` is on this provider's list under the reference rule set.
    pub fn lists(self, keyword: Keyword) -> bool {
        self.keywords().contains(&keyword)
    }

    /// The number the provider is known by: 1 or 2, as campaigns store it.
    pub fn number(self) -> u8 {
        match self {
            Provider::One => 1,
            Provider::Two => 2,
        }
    }

    /// The provider known by `number`, if there is one.
    ///
    /// # Example
    /// ```
    /// use optout_rules::Provider;
    /// assert_eq!(Provider::from_number(2), Some(Provider::Two));
    /// assert_eq!(Provider::from_number(3), None);
    /// ```
    pub fn from_number(number: u8) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.number() == number)
    }

    /// A short name for people: "Provider 1 (US/CA)".
    pub fn label(self) -> &'static str {
        match self {
            Provider::One => "Provider 1 (US/CA)",
            Provider::Two => "Provider 2 (UK)",
        }
    }
}

/// An opt-out keyword of either provider, in its canonical upper-case spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "UPPERCASE")]
#[allow(missing_docs)] // each variant is the word itself
pub enum Keyword {
    Stop,
    #[serde(rename = "STOPALL")]
    StopAll,
    Unsubscribe,
    Cancel,
    End,
    Quit,
    Revoke,
    #[serde(rename = "OPTOUT")]
    OptOut,
    /// ARRET, or ARRÊT as French speakers write it: the French keyword for Canadian contacts.
    #[serde(rename = "ARRET")]
    Arret,
}

impl Keyword {
    /// Every keyword that any list of either provider holds, under any rule set.
    pub const ALL: [Keyword; 9] = [
        Keyword::Stop,
        Keyword::StopAll,
        Keyword::Unsubscribe,
        Keyword::Cancel,
        Keyword::End,
        Keyword::Quit,
        Keyword::Revoke,
        Keyword::OptOut,
        Keyword::Arret,
    ];

    /// The canonical spelling, e.g. `"STOPALL"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Stop => "STOP",
            Keyword::StopAll => "STOPALL",
            Keyword::Unsubscribe => "UNSUBSCRIBE",
            Keyword::Cancel => "CANCEL",
            Keyword::End => "END",
            Keyword::Quit => "QUIT",
            Keyword::Revoke => "REVOKE",
            Keyword::OptOut => "OPTOUT",
            Keyword::Arret => "ARRET",
        }
    }
}

impl std::fmt::Display for Keyword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A one-word reply that is not an opt-out but that a provider still reacts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ControlWord {
    /// START or UNSTOP: asks the provider to lift its own block on the sender number.
    Resubscribe,
    /// HELP or INFO: asks who is texting; never an opt-out.
    Help,
}

/// What a reply is, once normalised, if it is exactly one word that matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Word {
    /// An opt-out keyword of at least one provider.
    Keyword(Keyword),
    /// START, UNSTOP, HELP or INFO.
    Control(ControlWord),
}

impl Word {
    /// The longest word [`Word::lookup`] knows, in bytes.
    pub(crate) const MAX_LEN: usize = 11;

    /// Looks up an ASCII word in any case. Dispatches on the length first, so that a word is
    /// compared with at most four candidates, in place, usually rejected at its first byte.
    #[inline]
    pub(crate) fn lookup(word: &[u8]) -> Option<Word> {
        use Keyword::*;
        let is = |candidate: &[u8]| word.eq_ignore_ascii_case(candidate);
        let found = match word.len() {
            3 if is(b"END") => Word::Keyword(End),
            4 if is(b"STOP") => Word::Keyword(Stop),
            4 if is(b"QUIT") => Word::Keyword(Quit),
            4 if is(b"HELP") || is(b"INFO") => Word::Control(ControlWord::Help),
            5 if is(b"START") => Word::Control(ControlWord::Resubscribe),
            5 if is(b"ARRET") => Word::Keyword(Arret),
            6 if is(b"CANCEL") => Word::Keyword(Cancel),
            6 if is(b"REVOKE") => Word::Keyword(Revoke),
            6 if is(b"OPTOUT") => Word::Keyword(OptOut),
            6 if is(b"UNSTOP") => Word::Control(ControlWord::Resubscribe),
            7 if is(b"STOPALL") => Word::Keyword(StopAll),
            11 if is(b"UNSUBSCRIBE") => Word::Keyword(Unsubscribe),
            _ => return None,
        };
        Some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_word_is_found_and_fits() {
        let words = Keyword::ALL.map(Keyword::as_str).into_iter().chain(["START", "UNSTOP", "HELP", "INFO"]);
        for word in words {
            assert!(Word::lookup(word.as_bytes()).is_some(), "{word}");
            assert_eq!(Word::lookup(word.to_lowercase().as_bytes()), Word::lookup(word.as_bytes()), "{word}");
            assert!(word.len() <= Word::MAX_LEN, "{word}");
        }
    }
}
