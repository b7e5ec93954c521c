//! The words and phrases the review rules look for. Data only: the rules are in `mod.rs`.
//!
//! Words are lower case, with apostrophes removed ("dont"), as `tokens` produces them.

/// What a phrase says about the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    /// The contact asks to stop.
    Stop,
    /// The contact asks to stop, provided the phrase ends the clause or goes on to name a list
    /// ("take me off your list", not "take me off the waitlist").
    StopOffList,
    /// The number reached the wrong person.
    WrongNumber,
}

/// Phrases, one word after another; `a|b` matches either word. A phrase matches inside one
/// clause, at any position.
pub(crate) const PHRASES: &[(&str, Signal)] = &[
    // Asking to be removed.
    ("remove me|us", Signal::Stop),
    ("remove my|this|our number|#|phone|cell|info|name", Signal::Stop),
    ("delete me|us", Signal::Stop),
    ("delete my|this|our number|#|phone|info", Signal::Stop),
    ("lose my|this|our number", Signal::Stop),
    ("take me|us off", Signal::StopOffList),
    ("take my|this|our number|name off", Signal::StopOffList),
    ("opt me|us out", Signal::Stop),
    ("opt out", Signal::Stop),
    ("opt outta", Signal::Stop),
    // Refusing further messages.
    ("no more|further|longer texts|text|texting|txts|txt|messages|message|msgs|msg|sms|spam|contact", Signal::Stop),
    ("dont|never want to hear from", Signal::Stop),
    ("if you dont stop", Signal::Stop),
    ("if you do not stop", Signal::Stop),
    ("leave me|us alone", Signal::Stop),
    ("leave me|us the hell|heck alone", Signal::Stop),
    ("knock it off", Signal::Stop),
    ("go away", Signal::Stop),
    ("fuck|f|piss|bugger|sod off", Signal::Stop),
    ("get lost", Signal::Stop),
    ("enough already", Signal::Stop),
    // Consent.
    ("withdraw my|our consent", Signal::Stop),
    ("never signed|sign up", Signal::Stop),
    ("didnt sign up", Signal::Stop),
    ("did not sign up", Signal::Stop),
    ("never subscribed", Signal::Stop),
    ("didnt subscribe", Signal::Stop),
    // Spam complaints.
    ("is spam", Signal::Stop),
    ("reported|report|reporting as|for spam", Signal::Stop),
    ("report|reporting you|this", Signal::Stop),
    // Spanish and French.
    ("mas|más mensajes|textos", Signal::Stop),
    ("dejen|deja de", Signal::Stop),
    ("ne plus menvoyer|envoyer|écrire|ecrire|contacter", Signal::Stop),
    ("plus de messages|sms", Signal::Stop),
    // Wrong person.
    ("wrong number|num|no|#|person|guy|girl|lady|man|phone|contact", Signal::WrongNumber),
    ("not my number|name|phone", Signal::WrongNumber),
    ("new number", Signal::WrongNumber),
    ("got this number|phone", Signal::WrongNumber),
    ("by that name", Signal::WrongNumber),
    ("not who you think", Signal::WrongNumber),
    ("dont know who that|thats|this|he|she|is", Signal::WrongNumber),
    ("have|has|use|uses this number anymore", Signal::WrongNumber),
    ("no longer have|has|use|uses this", Signal::WrongNumber),
    ("belongs to someone else", Signal::WrongNumber),
    ("number changed", Signal::WrongNumber),
    ("changed my|our number", Signal::WrongNumber),
    ("changed numbers", Signal::WrongNumber),
];

/// Classes of words the rules care about; a word can be in several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Classes(u16);

impl Classes {
    /// Asks to stop when its clause holds nothing else but filler: "Stop", "End it", "Basta ya".
    pub const STOP_WORD: Classes = Classes(1);
    /// Asks to stop wherever it stands: nobody says UNSUBSCRIBE or REVOKE in passing.
    pub const STRONG_STOP: Classes = Classes(1 << 1);
    /// Adds nothing beside a stop word: politeness, emphasis, the messages themselves.
    pub const FILLER: Classes = Classes(1 << 2);
    /// The messages, or sending them: "stop *texting*", "no more *messages*".
    pub const MESSAGING: Classes = Classes(1 << 3);
    /// A verb that asks to stop when the messages follow: "stop sending", "cancel these texts".
    pub const STOP_VERB: Classes = Classes(1 << 4);
    /// Any form of a verb that asks to stop when the contact or the messages are in the clause:
    /// "removed from your list", "block this number".
    pub const STOP_FORM: Classes = Classes(1 << 5);
    /// Turns a verb round: "don't stop", "can't stop smiling", "nothing can stop us".
    pub const NEGATION: Classes = Classes(1 << 6);
    /// Points at this contact or these messages: "remove *me*", "stop *already*".
    pub const ADDRESSEE: Classes = Classes(1 << 7);
    /// A verb of contacting somebody: "don't ever *text* me".
    pub const CONTACT_VERB: Classes = Classes(1 << 8);
    /// Follows "this isn't …" in ordinary replies, and so is no name: "this isn't *working*".
    pub const COMMON_COMPLEMENT: Classes = Classes(1 << 9);
    /// Capitalised yet no name: pronouns, days, months.
    pub const NOT_A_NAME: Classes = Classes(1 << 10);
    /// Names the texting list: "take me off your *list*".
    pub const LIST_WORD: Classes = Classes(1 << 11);
    /// Stands before the list: "take me off *your* list".
    pub const LIST_DETERMINER: Classes = Classes(1 << 12);
    /// Starts a phrase of [`PHRASES`].
    pub const PHRASE_START: Classes = Classes(1 << 13);

    /// Whether every class of `other` is in `self`.
    pub fn has(self, other: Classes) -> bool {
        self.0 & other.0 == other.0
    }

    fn with(self, other: Classes) -> Classes {
        Classes(self.0 | other.0)
    }
}

/// The word lists, each with the classes its words belong to. Some classes include others:
/// messaging words are also filler, addressee cues and list words; stop words are filler.
const WORDS: &[(Classes, &[&str])] = &[
    (
        Classes::STOP_WORD,
        &[
            "stop",
            "stopall",
            "unsubscribe",
            "cancel",
            "end",
            "quit",
            "revoke",
            "optout",
            "remove",
            "unsub",
            "halt",
            "block",
            "cease",
            "desist",
            "spam", // Spanish, Portuguese, French, German:
            "alto",
            "pare",
            "parar",
            "basta",
            "cancelar",
            "baja",
            "arrêtez",
            "arrêter",
            "arretez",
            "arreter",
            "désabonner",
            "desabonner",
            "stoppen",
        ],
    ),
    (Classes::STRONG_STOP, &["stopall", "optout", "revoke", "desist", "desuscribir", "désabonner"]),
    (
        Classes::FILLER,
        &[
            "please",
            "pls",
            "plz",
            "plse",
            "kindly",
            "now",
            "right",
            "immediately",
            "asap",
            "already",
            "again",
            "seriously",
            "just",
            "it",
            "this",
            "these",
            "that",
            "the",
            "with",
            "all",
            "and",
            "for",
            "good",
            "forever",
            "permanently",
            "me",
            "us",
            "you",
            "thanks",
            "thank",
            "thx",
            "ty",
            "ok",
            "okay",
            "yes",
            "no",
            "omg",
            "god",
            "ugh",
            "damn",
            "dammit",
            "hell",
            "fucking",
            "fuckin",
            "freaking",
            "sir",
            "maam",
            "man",
            "mate",
            "dude",
            "bro",
            "guys",
            "x",
            "xx",
            "ya",
            "por",
            "favor",
        ],
    ),
    (
        Classes::MESSAGING,
        &[
            "texting",
            "txting",
            "texts",
            "text",
            "txts",
            "txt",
            "messaging",
            "msging",
            "messages",
            "message",
            "msgs",
            "msg",
            "sms",
            "sending",
            "contacting",
            "bothering",
            "spamming",
            "spam",
            "harassing",
            "contact",
            "calling",
            "emailing",
            "subscription",
            "notifications",
            "alerts",
            "number",
        ],
    ),
    (Classes::STOP_VERB, &["stop", "quit", "end", "cancel", "halt", "enough"]),
    (
        Classes::STOP_FORM,
        &[
            "stop",
            "stops",
            "stopped",
            "stopping",
            "remove",
            "removed",
            "removing",
            "removes",
            "block",
            "blocked",
            "blocking",
            "cancel",
            "cancelled",
            "canceled",
            "cancelling",
            "canceling",
            "quit",
            "quitting",
            "cease",
            "ceased",
            "halt",
            "halted",
            "delete",
            "deleted",
            "deleting",
            "erase",
            "erased",
            "erasing",
        ],
    ),
    (
        Classes::NEGATION,
        &[
            "dont", "not", "never", "cant", "cannot", "wont", "didnt", "doesnt", "shouldnt", "wouldnt", "couldnt",
            "nothing", "nobody", "no",
        ],
    ),
    (Classes::ADDRESSEE, &["me", "us", "list", "lists", "details", "again", "already", "say", "said", "asked", "told"]),
    (
        Classes::CONTACT_VERB,
        &["text", "txt", "message", "msg", "contact", "send", "sms", "email", "call", "texting", "messaging"],
    ),
    (
        Classes::COMMON_COMPLEMENT,
        &[
            "it",
            "me",
            "right",
            "true",
            "fair",
            "funny",
            "ok",
            "okay",
            "fine",
            "good",
            "bad",
            "nice",
            "cool",
            "real",
            "legit",
            "correct",
            "working",
            "helpful",
            "enough",
            "spam",
            "serious",
            "possible",
            "happening",
            "him",
            "her",
            "them",
            "us",
            "you",
            "that",
            "this",
            "what",
            "how",
        ],
    ),
    (
        Classes::NOT_A_NAME,
        &[
            "this",
            "that",
            "it",
            "he",
            "she",
            "they",
            "you",
            "there",
            "here",
            "calling",
            "texting",
            "speaking",
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
            "today",
            "tomorrow",
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
    ),
    (Classes::LIST_WORD, &["list", "lists", "mailing", "contacts", "contact", "database"]),
    (Classes::LIST_DETERMINER, &["your", "ur", "this", "the", "these", "all", "yall", "ya"]),
];

/// The lexicon's words with their classes, bucketed by length and first byte so that a lookup
/// compares against a handful of words at most.
struct Table {
    /// Sorted by bucket, then word.
    entries: Vec<(&'static str, Classes)>,
    /// `entries[starts[b]..starts[b + 1]]` is bucket `b`.
    starts: Vec<usize>,
}

impl Table {
    const MAX_LEN: usize = 31;

    fn bucket(word: &str) -> Option<usize> {
        let bytes = word.as_bytes();
        (!bytes.is_empty() && bytes.len() <= Self::MAX_LEN).then(|| bytes.len() * 256 + usize::from(bytes[0]))
    }

    fn build() -> Table {
        let implied = |classes: Classes| match classes {
            Classes::MESSAGING => classes.with(Classes::FILLER).with(Classes::ADDRESSEE).with(Classes::LIST_WORD),
            Classes::STOP_WORD => classes.with(Classes::FILLER),
            other => other,
        };
        let phrase_starts = PHRASES.iter().flat_map(|(text, _)| text.split(' ').next().unwrap_or("").split('|'));
        let mut entries: Vec<(&'static str, Classes)> = WORDS
            .iter()
            .flat_map(|(classes, words)| words.iter().map(move |w| (*w, implied(*classes))))
            .chain(phrase_starts.map(|w| (w, Classes::PHRASE_START)))
            .filter(|(w, _)| Self::bucket(w).is_some())
            .collect();
        entries.sort_unstable_by_key(|(w, _)| (Self::bucket(w), *w));
        entries.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 = kept.1.with(later.1);
            }
            same
        });
        let buckets = (Self::MAX_LEN + 1) * 256;
        let mut starts = vec![0; buckets + 1];
        for (word, _) in &entries {
            if let Some(b) = Self::bucket(word) {
                starts[b + 1] += 1;
            }
        }
        for b in 0..buckets {
            starts[b + 1] += starts[b];
        }
        Table { entries, starts }
    }

    fn get(&self, word: &str) -> Classes {
        let Some(b) = Self::bucket(word) else { return Classes::default() };
        self.entries[self.starts[b]..self.starts[b + 1]]
            .iter()
            .find(|(w, _)| *w == word)
            .map_or(Classes::default(), |(_, classes)| *classes)
    }
}

/// The classes of `word`, from a table built once from [`WORDS`] and [`PHRASES`].
pub(crate) fn classify(word: &str) -> Classes {
    static TABLE: std::sync::OnceLock<Table> = std::sync::OnceLock::new();
    let found = TABLE.get_or_init(Table::build).get(word);
    if word.starts_with("unsub") {
        found.with(Classes::STRONG_STOP)
    } else {
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_word_is_found_with_its_classes() {
        for (classes, words) in WORDS {
            for word in *words {
                assert!(classify(word).has(*classes), "{word}");
            }
        }
        assert!(classify("texts").has(Classes::FILLER), "messaging words are filler");
        assert!(classify("unsubscribing").has(Classes::STRONG_STOP));
        assert_eq!(classify("smiling"), Classes::default());
        assert_eq!(classify(""), Classes::default());
    }
}
