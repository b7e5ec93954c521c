//! What the review rules know of words: the concepts each word stands for, in which languages.
//!
//! The rules in `request.rs`, `wrong.rs` and `owner.rs` are written over concepts ("a verb that
//! stops something", "the messages", "a word pointing at the contact"), not over words, so one
//! rule reads English, Spanish and French alike; the word lists in `english.rs`, `spanish.rs` and
//! `french.rs` say which words carry which concept. Words are stored folded as the tokenizer folds
//! them: lower case, accents removed ("numéro" → "numero"), apostrophes of English contractions
//! dropped ("don't" → "dont").

mod concepts;
mod english;
mod french;
mod spanish;

pub(crate) use concepts::Concepts;

use std::sync::OnceLock;

/// The languages a word belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Langs(pub u8);

impl Langs {
    pub const EN: Langs = Langs(1);
    pub const ES: Langs = Langs(2);
    pub const FR: Langs = Langs(4);
}

/// What the lexicon knows of one word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Entry {
    pub concepts: Concepts,
    pub langs: Langs,
}

/// A language's word lists: each list, its words separated by whitespace, carries the concepts
/// given with it. A word in several lists has the concepts of all of them.
pub(crate) type WordLists = &'static [(Concepts, &'static str)];

/// Words worth correcting when misspelt by one letter, with the shortest misspelling corrected:
/// the words a request or a wrong number hangs on. Each must be in a word list.
const TYPO_TARGETS: &[(&str, usize)] = &[
    ("stop", 3),
    ("wrong", 4),
    ("number", 5),
    ("remove", 5),
    ("cancel", 5),
    ("texting", 6),
    ("messages", 6),
    ("message", 6),
    ("messaging", 7),
    ("contacting", 8),
    ("unsubscribe", 8),
    ("receive", 6),
    ("please", 5),
    ("mensajes", 6),
    ("numero", 5),
    ("equivocado", 7),
    ("equivocada", 7),
    ("escribir", 6),
    ("envoyer", 6),
    ("supprimer", 7),
    ("supprimez", 7),
    ("retirez", 6),
    ("desabonner", 7),
    ("desinscrire", 8),
    ("arretez", 6),
    ("recevoir", 6),
    ("recibir", 6),
    ("deceased", 6),
];

/// Real words one letter away from a typo target, which must keep their own meaning.
const NOT_TYPOS: &[&str] = &[
    "step",
    "stomp",
    "stoop",
    "stow",
    "shop",
    "slop",
    "stoa",
    "stoat",
    "testing",
    "tenting",
    "remote",
    "removal",
    "cancer",
    "camel",
    "spending",
    "sensing",
    "seeding",
    "massage",
    "massages",
    "passage",
    "wring",
    "wrung",
    "wrongs",
    "decreased",
    "diseased",
    "retired",
    "retires",
    "member",
    "lumber",
    "numbed",
    "plead",
    "pleas",
    "pleased",
    "mensaje",
    "numera",
    "numeral",
    "recibe",
    "receipt",
];

/// The words with what is known of them, in an open-addressing hash table: a lookup hashes the
/// word once and usually compares it with one candidate, or none when the word is unknown.
struct Table {
    entries: Vec<(&'static str, Entry)>,
    /// Per slot: the top half of the word's hash and its index in `entries` plus one; 0 marks an
    /// empty slot. Four bytes a slot keep the table in the first-level cache.
    slots: Vec<(u16, u16)>,
    mask: usize,
}

impl Table {
    fn build() -> Table {
        let languages = [(english::WORDS, Langs::EN), (spanish::WORDS, Langs::ES), (french::WORDS, Langs::FR)];
        let mut entries: Vec<(&'static str, Entry)> = languages
            .iter()
            .flat_map(|(lists, langs)| {
                lists.iter().flat_map(move |(concepts, words)| {
                    words.split_whitespace().map(move |w| (w, Entry { concepts: *concepts, langs: *langs }))
                })
            })
            .collect();
        entries.sort_unstable_by_key(|(w, _)| *w);
        entries.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                let langs = Langs(kept.1.langs.0 | later.1.langs.0);
                kept.1 = Entry { concepts: kept.1.concepts.or(later.1.concepts), langs };
            }
            same
        });
        // At most half full, so that probes stay short.
        let size = (entries.len() * 2).next_power_of_two();
        let mask = size - 1;
        let mut slots = vec![(0u16, 0u16); size];
        for (index, (word, _)) in entries.iter().enumerate() {
            let hash = hash(word.as_bytes());
            let mut at = hash as usize & mask;
            while slots[at].1 != 0 {
                at = (at + 1) & mask;
            }
            slots[at] = ((hash >> 16) as u16, u16::try_from(index + 1).unwrap_or(u16::MAX));
        }
        Table { entries, slots, mask }
    }

    fn get(&self, word: &str) -> Option<Entry> {
        self.get_hashed(word, hash(word.as_bytes()))
    }

    /// [`Table::get`] with the word's hash already known.
    fn get_hashed(&self, word: &str, hash: u32) -> Option<Entry> {
        self.find_hashed(hash, |w| w == word).map(|(_, entry)| entry)
    }

    /// The word of hash `hash` that `is` accepts, as the table stores it.
    fn find_hashed(&self, hash: u32, is: impl Fn(&str) -> bool) -> Option<(&'static str, Entry)> {
        let mut at = hash as usize & self.mask;
        loop {
            let (h, index) = self.slots[at];
            if index == 0 {
                return None;
            }
            if h == (hash >> 16) as u16 {
                let (w, entry) = self.entries[index as usize - 1];
                if is(w) {
                    return Some((w, entry));
                }
            }
            at = (at + 1) & self.mask;
        }
    }
}

/// FNV-1a: quick on the short words of a reply, and spreads them well enough.
fn hash(bytes: &[u8]) -> u32 {
    bytes.iter().fold(FNV_BASIS, |h, &b| fnv_step(h, b))
}

const FNV_BASIS: u32 = 0x811c_9dc5;

/// One byte more of an FNV-1a hash: a word's prefixes are hashed in one pass.
fn fnv_step(h: u32, b: u8) -> u32 {
    (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
}

fn table() -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(Table::build)
}

/// What the lexicon knows of a folded word, if anything.
pub(crate) fn lookup(word: &str) -> Option<Entry> {
    table().get(word)
}

/// The lexicon's word for `word` with its last letter doubled: a run of one letter, which the
/// tokenizer makes one letter, may have stood for two ("offfff" is "off", not "of"; "tooo" is
/// "too").
pub(crate) fn with_last_doubled(word: &str) -> Option<(&'static str, Entry)> {
    let last = *word.as_bytes().last()?;
    let hash = fnv_step(hash(word.as_bytes()), last);
    table().find_hashed(hash, |w| w.len() == word.len() + 1 && w.starts_with(word) && w.ends_with(char::from(last)))
}

/// The typo target `word` was probably meant to be, with what the lexicon knows of it: a word one
/// edit (an insertion, a deletion, a substitution or two neighbours swapped) from a target, with
/// the same first letter, that is no word of its own.
pub(crate) fn correct_typo(word: &str) -> Option<(&'static str, Entry)> {
    let first = *word.as_bytes().first()?;
    let (target, _) = TYPO_TARGETS.iter().find(|(target, min)| {
        target.as_bytes()[0] == first
            && word.len() >= *min
            && word.len().abs_diff(target.len()) <= 1
            && within_one_edit(word.as_bytes(), target.as_bytes())
    })?;
    if NOT_TYPOS.contains(&word) {
        return None;
    }
    Some((target, lookup(target)?))
}

/// A word typed as two or three run together ("Removeme", "stoptexting", "wrongnumber"): each
/// part as a byte range of the word, with what the lexicon knows of it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Compound {
    parts: [(usize, usize, Entry); 3],
    count: usize,
}

impl Compound {
    pub fn parts(&self) -> &[(usize, usize, Entry)] {
        &self.parts[..self.count]
    }
}

/// What the first part of a compound may stand for: the words a request or a wrong number starts
/// with. A name rarely starts with one and goes on in words of the same language.
const COMPOUND_HEADS: Concepts = Concepts::KEYWORD
    .or(Concepts::CEASE)
    .or(Concepts::CEASE_DE)
    .or(Concepts::REMOVE)
    .or(Concepts::STRONG)
    .or(Concepts::TAKE)
    .or(Concepts::LEAVE)
    .or(Concepts::WRONG)
    .or(Concepts::NUMBER)
    .or(Concepts::CONTACT);

/// The words run together in `word`, a word the lexicon lacks: a head of three letters or more
/// (a stop or removal verb, "wrong", "number"), then one or two words of the same language, none
/// of them profanity or a bare common word: "removeme", "takemeoff", "numeroequivocado",
/// "desabonnezmoi". A negation heads only a refusal to be contacted ("donttextme"), not
/// "nonstop". "Ending" is no "end" and "ing", "Justin" no "just" and "in".
pub(crate) fn split_compound(word: &str) -> Option<Compound> {
    let n = word.len();
    if !(5..=24).contains(&n) || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    // A part of two letters must mean something to the rules: "me", "it", not "or" ("Textor").
    let part = |from: usize, to: usize, langs: Langs| {
        lookup(&word[from..to]).filter(|e| {
            e.langs.0 & langs.0 != 0
                && !e.concepts.any(Concepts::SKIP)
                && (to - from > 2 || e.concepts != Concepts::COMMON)
        })
    };
    let refusal = Concepts::CONTACT.or(Concepts::CONTACT_WEAK).or(Concepts::SEND);
    // The hash of each prefix, in one pass: most words are no compound, and each cut costs a probe.
    let mut prefix = [FNV_BASIS; 25];
    for (i, &b) in word.as_bytes().iter().enumerate() {
        prefix[i + 1] = fnv_step(prefix[i], b);
    }
    let table = table();
    for cut in (3..=n - 2).rev() {
        let head = table.get_hashed(&word[..cut], prefix[cut]);
        let Some(head) = head.filter(|e| e.concepts.any(COMPOUND_HEADS.or(Concepts::NEG))) else {
            continue;
        };
        let follows = |e: &Entry| head.concepts.any(COMPOUND_HEADS) || e.concepts.any(refusal);
        let none = (0, 0, Entry::default());
        if let Some(rest) = part(cut, n, head.langs).filter(follows) {
            return Some(Compound { parts: [(0, cut, head), (cut, n, rest), none], count: 2 });
        }
        for second in cut + 2..=n - 2 {
            if let (Some(a), Some(b)) = (part(cut, second, head.langs).filter(follows), part(second, n, head.langs)) {
                return Some(Compound { parts: [(0, cut, head), (cut, second, a), (second, n, b)], count: 3 });
            }
        }
    }
    None
}

/// Whether `a` and `b` differ by at most one insertion, deletion, substitution or swap of two
/// adjacent letters.
fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    match (a.len(), b.len()) {
        (x, y) if x == y => a.len() <= 1 || a[1..] == b[1..] || (a[0] == b[1] && a[1] == b[0] && a[2..] == b[2..]),
        (x, y) if x + 1 == y => a == &b[1..],
        (x, y) if y + 1 == x => &a[1..] == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_folded_and_found() {
        for (lists, _) in [(english::WORDS, 0), (spanish::WORDS, 1), (french::WORDS, 2)] {
            for (concepts, words) in lists {
                for word in words.split_whitespace() {
                    assert!(
                        word.chars().all(|c| c == '#' || c.is_ascii_lowercase() || c.is_ascii_digit()),
                        "{word:?} is not folded"
                    );
                    let entry = lookup(word).unwrap_or_else(|| panic!("{word:?} not found"));
                    assert!(entry.concepts.any(*concepts) || *concepts == Concepts::default(), "{word:?}");
                }
            }
        }
        assert_eq!(lookup(""), None);
        assert_eq!(lookup("smiling-but-not-a-word"), None);
    }

    #[test]
    fn the_table_indexes_every_word() {
        assert!(table().entries.len() < usize::from(u16::MAX), "slot indices are 16 bits");
    }

    #[test]
    fn typo_targets_are_words_and_no_real_word_is_one() {
        for (target, _) in TYPO_TARGETS {
            assert!(lookup(target).is_some(), "{target}");
        }
        for word in NOT_TYPOS {
            assert_eq!(correct_typo(word), None, "{word}");
        }
    }

    #[test]
    fn one_edit_typos_are_corrected() {
        for (typo, word) in [
            ("stpo", "stop"),
            ("sotp", "stop"),
            ("stp", "stop"),
            ("stopp", "stop"),
            ("st0p", "stop"),
            ("unsubcribe", "unsubscribe"),
            ("unsubscibe", "unsubscribe"),
            ("cancle", "cancel"),
            ("numbr", "number"),
            ("wromg", "wrong"),
            ("wrng", "wrong"),
            ("textng", "texting"),
            ("plese", "please"),
            ("mensjes", "mensajes"),
            ("equivicado", "equivocado"),
            ("suprimez", "supprimez"),
        ] {
            assert_eq!(correct_typo(typo).map(|(w, _)| w), Some(word), "{typo}");
        }
        for fine in ["spot", "top", "stoked", "quiet", "atop", "so", "numb", "wrongly"] {
            assert_eq!(correct_typo(fine), None, "{fine}");
        }
    }

    #[test]
    fn a_run_may_stand_for_a_double_letter() {
        assert_eq!(with_last_doubled("of").map(|(w, _)| w), Some("off"));
        assert_eq!(with_last_doubled("to").map(|(w, _)| w), Some("too"));
        assert_eq!(with_last_doubled("no"), None);
        assert_eq!(with_last_doubled("stop"), None);
    }

    #[test]
    fn words_run_together_are_split_and_names_are_not() {
        fn split(word: &str) -> Option<Vec<&str>> {
            split_compound(word).map(|c| c.parts().iter().map(|&(a, b, _)| &word[a..b]).collect())
        }
        assert_eq!(split("removeme"), Some(vec!["remove", "me"]));
        assert_eq!(split("takemeoff"), Some(vec!["take", "me", "off"]));
        assert_eq!(split("stoptexting"), Some(vec!["stop", "texting"]));
        assert_eq!(split("numeroequivocado"), Some(vec!["numero", "equivocado"]));
        assert_eq!(split("desabonnezmoi"), Some(vec!["desabonnez", "moi"]));
        assert_eq!(split("donttextme"), Some(vec!["dont", "text", "me"]));
        for word in [
            "ending",
            "justin",
            "theresa",
            "endicott",
            "stopford",
            "sendai",
            "textor",
            "nonstop",
            "#stopthesteal",
            "stopit!",
        ] {
            assert!(split(word).is_none(), "{word}");
        }
    }
}
