//! Splits a reply into folded words grouped in clauses, the form the review rules read.
//!
//! - Letters and digits make words, folded: lower case, accents removed ("ARRÊT" → "arret"), a
//!   letter written three times or more counted once ("Stoooop", "pleeease"), a zero between
//!   letters read as an o ("st0p").
//! - An apostrophe inside an English word vanishes ("don't" → "dont"); after a French elided word
//!   it splits ("m'envoyer" → "m", "envoyer").
//! - Sentence punctuation, line breaks, symbols and emoji end a clause: in "Who is this? Stop",
//!   "stop" stands alone in its own clause. A playful emoji (😊, 😂) is noted for the whole reply.
//! - Letters masked with stars or an ellipsis ("f***ing", "your f… list") make one word that the
//!   rules read past, and the ellipsis does not end the clause.
//! - Letters spelled out one by one ("S.T.O.P", "s t o p") are joined into one word.
//! - A Spanish verb with its pronoun attached is read as both ("quítenme" → "quiten" + me).
//! - A word the lexicon lacks is corrected when it is one letter from a word the rules depend on
//!   ("stpo", "unsubcribe", "numbr"), or split when it is words typed without spaces
//!   ("Removeme", "stoptexting"); a run of a letter at a word's end may stand for a double one
//!   ("offfff" → "off").

use unicode_normalization::char::is_combining_mark;

use super::chars::{ends_clause, is_apostrophe, is_playful, push_folded};
use super::lexicon::{correct_typo, lookup, split_compound, with_last_doubled, Compound, Concepts, Entry, Langs};

/// One word of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    /// The folded word: `Tokens::word`.
    start: u32,
    end: u32,
    /// Where the word stands in the reply, in bytes.
    pub from: u32,
    pub to: u32,
    /// Index of the clause the word belongs to.
    pub clause: u32,
    /// What the lexicon knows of the word.
    pub concepts: Concepts,
    pub langs: Langs,
    /// Written with a capital first letter and lower-case rest, like a name ("Sam").
    pub capitalised: bool,
    /// Not in the lexicon, nor one letter from a word of it.
    pub unknown: bool,
    /// The number the word writes, when it is digits only.
    pub number: Option<u32>,
}

impl Token {
    /// Whether the word stands for any of `concepts`.
    pub fn is(&self, concepts: Concepts) -> bool {
        self.concepts.any(concepts)
    }
}

/// A reply's words, and what was seen between them.
#[derive(Debug)]
pub(crate) struct Tokens<'a> {
    text: &'a str,
    words: String,
    tokens: Vec<Token>,
    /// A playful emoji stood somewhere in the reply.
    pub playful: bool,
}

/// French words whose vowel is elided before an apostrophe: "m'écrire", "n'envoyez", "qu'il".
const ELIDED: &[&str] = &["l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu"];

/// Pronouns that Spanish attaches to the end of a verb, longest first, and whether they point at
/// the contact.
const ENCLITICS: &[(&str, bool)] =
    &[("nos", true), ("me", true), ("les", false), ("le", false), ("lo", false), ("la", false)];

/// How much of a reply is read. An SMS is at most 1,600 characters; a longer text is read to its
/// first 16 KiB, so that no reply can cost more than a bounded time (some rules look along a
/// whole clause from each of its words).
pub(crate) const MAX_READ: usize = 16 * 1024;

impl<'a> Tokens<'a> {
    /// Reads `reply` into words.
    pub fn read(reply: &'a str) -> Tokens<'a> {
        let mut end = reply.len().min(MAX_READ);
        while !reply.is_char_boundary(end) {
            end -= 1;
        }
        let reply = &reply[..end];
        let mut tokens = Tokens {
            words: String::with_capacity(reply.len() + 8),
            tokens: Vec::with_capacity(reply.len() / 4 + 1),
            playful: false,
            text: reply,
        };
        let raw = tokens.scan(reply);
        tokens.finish(raw);
        tokens
    }

    /// The words, in order.
    pub fn all(&self) -> &[Token] {
        &self.tokens
    }

    /// The folded word of a token.
    pub fn word(&self, t: &Token) -> &str {
        &self.words[t.start as usize..t.end as usize]
    }

    /// The reply, which the tokens point into.
    pub fn text(&self) -> &'a str {
        self.text
    }

    fn scan(&mut self, text: &str) -> Vec<Raw> {
        let mut raw: Vec<Raw> = Vec::with_capacity(text.len() / 4 + 1);
        let mut in_word = false;
        let mut pending_break = false;
        let mut gap = 0usize;
        let mut tight = true;
        let mut chars = text.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            // Looked at only after an apostrophe or an ellipsis.
            let next = || text[at + c.len_utf8()..].chars().next();
            if !c.is_ascii() && is_combining_mark(c) {
                // A separate accent ("e\u{301}") folds away with its letter.
                if let Some(word) = raw.last_mut().filter(|_| in_word) {
                    word.to = at + c.len_utf8();
                }
                continue;
            }
            if c.is_alphanumeric() || c == '#' {
                if !in_word || c == '#' || raw.last().is_some_and(|r| r.hash) {
                    raw.push(Raw {
                        start: self.words.len(),
                        end: self.words.len(),
                        from: at,
                        to: at,
                        capitalised: c.is_uppercase(),
                        second_upper: false,
                        chars: 0,
                        break_before: pending_break,
                        tight_before: gap == 1 && tight,
                        masked: false,
                        hash: c == '#',
                        collapsed: None,
                    });
                    in_word = true;
                    pending_break = false;
                    gap = 0;
                    tight = true;
                }
                let Some(word) = raw.last_mut() else { continue };
                if word.chars == 1 {
                    word.second_upper = c.is_uppercase();
                }
                word.chars += 1;
                // "st0p": a zero after a letter is an o.
                let c = if c == '0' && self.words[word.start..].ends_with(|l: char| l.is_ascii_alphabetic()) {
                    'o'
                } else {
                    c
                };
                push_folded(&mut self.words, word.start, &mut word.collapsed, c);
                word.end = self.words.len();
                word.to = at + c.len_utf8();
                continue;
            }
            if in_word && is_apostrophe(c) && next().is_some_and(char::is_alphabetic) {
                let word = raw.last().map_or("", |w| &self.words[w.start..w.end]);
                if ELIDED.contains(&word) {
                    // French elision: the next letters make a word of their own.
                    in_word = false;
                    gap = 1;
                    tight = false;
                }
                continue;
            }
            if in_word && c == '*' && raw.last().is_some_and(|w| w.chars <= 4) {
                // "f***", "f**king", "S*T*O*P": the stars stand in for letters.
                if let Some(word) = raw.last_mut() {
                    word.masked = true;
                }
                continue;
            }
            if in_word {
                in_word = false;
                // "your f… list": an ellipsis right after a letter or two hides a word.
                let hides = c == '…' || (c == '.' && text[at..].starts_with("..."));
                if hides && next().is_some_and(|n| n == ' ' || n == '.' || n.is_lowercase()) {
                    if let Some(word) = raw.last_mut().filter(|w| w.chars <= 2) {
                        let folded = &self.words[word.start..word.end];
                        if lookup(folded).is_none() {
                            word.masked = true;
                            gap = 0;
                            tight = false;
                            skip_ellipsis(&mut chars);
                            continue;
                        }
                    }
                }
            }
            gap += 1;
            if !matches!(c, ' ' | '.' | '-' | '*' | '_') {
                tight = false;
            }
            // A dash between spaces ("Stop - I get charged") ends a clause; a hyphen joins words.
            if ends_clause(c) || (c == '-' && gap > 1) {
                pending_break = true;
            }
            if !c.is_ascii() && is_playful(c) {
                self.playful = true;
            }
        }
        raw
    }

    /// Joins spelled-out letters, numbers the clauses and looks every word up.
    fn finish(&mut self, mut raw: Vec<Raw>) {
        join_spelled_letters(&mut raw, &self.words);
        let mut clause = 0u32;
        for (i, r) in raw.iter().enumerate() {
            if r.break_before && i > 0 {
                clause += 1;
            }
            let folded = &self.words[r.start..r.end];
            let number = folded.bytes().all(|b| b.is_ascii_digit()).then(|| folded.parse::<u32>().unwrap_or(u32::MAX));
            let classified = self.classify(r, number.is_some());
            if matches!(classified, Classified::Unknown) && number.is_none() {
                if let Some(compound) = split_compound(folded) {
                    self.push_compound(r, clause, &compound);
                    continue;
                }
            }
            let (start, end, entry, unknown) = match classified {
                Classified::Known(entry) => (r.start, r.end, entry, false),
                Classified::Corrected(entry, text) => {
                    let start = self.words.len();
                    self.words.push_str(text);
                    (start, self.words.len(), entry, false)
                }
                Classified::Unknown if number.is_none() => {
                    (r.start, r.end, Entry { concepts: Concepts::UNKNOWN, langs: Langs::default() }, true)
                }
                Classified::Unknown => (r.start, r.end, Entry::default(), false),
            };
            self.tokens.push(Token {
                start: start as u32,
                end: end as u32,
                from: r.from as u32,
                to: r.to as u32,
                clause,
                concepts: entry.concepts,
                langs: entry.langs,
                capitalised: r.capitalised && !r.second_upper && r.chars > 1,
                unknown,
                number,
            });
        }
    }

    /// The parts of a compound as words of their own, each at its place in the reply when the
    /// word was written as folded, else each over the whole word.
    fn push_compound(&mut self, r: &Raw, clause: u32, compound: &Compound) {
        let exact = r.to - r.from == r.end - r.start;
        for (k, &(from, to, entry)) in compound.parts().iter().enumerate() {
            let (at, until) = if exact { (r.from + from, r.from + to) } else { (r.from, r.to) };
            self.tokens.push(Token {
                start: (r.start + from) as u32,
                end: (r.start + to) as u32,
                from: at as u32,
                to: until as u32,
                clause,
                concepts: entry.concepts,
                langs: entry.langs,
                capitalised: k == 0 && r.capitalised && !r.second_upper,
                unknown: false,
                number: None,
            });
        }
    }

    fn classify(&self, r: &Raw, digits: bool) -> Classified {
        let word = &self.words[r.start..r.end];
        // "Take me offfff": the run at the end may have been a double letter.
        if let Some((text, entry)) = r.collapsed.and_then(|_| with_last_doubled(word)) {
            return Classified::Corrected(entry, text);
        }
        if let Some(entry) = lookup(word) {
            return Classified::Known(entry);
        }
        if r.masked {
            return Classified::Known(Entry { concepts: Concepts::SKIP, langs: Langs::default() });
        }
        if digits || word.len() < 3 {
            return Classified::Unknown;
        }
        // "quítenme" → "quiten" and me; "escribirle" → "escribir".
        for (pronoun, contact) in ENCLITICS {
            if let Some(verb) = word.strip_suffix(pronoun).filter(|v| v.len() >= 2) {
                if let Some(entry) = lookup(verb).filter(|e| e.langs.0 & Langs::ES.0 != 0) {
                    let concepts = if *contact { entry.concepts.or(Concepts::SELF) } else { entry.concepts };
                    return Classified::Known(Entry { concepts, langs: entry.langs });
                }
            }
        }
        match correct_typo(word) {
            Some((text, entry)) => Classified::Corrected(entry, text),
            None => Classified::Unknown,
        }
    }
}

enum Classified {
    Known(Entry),
    Corrected(Entry, &'static str),
    Unknown,
}

/// A word as the scan finds it, before it is looked up.
#[derive(Debug, Clone, Copy)]
pub(super) struct Raw {
    /// The folded word in `Tokens::words`.
    pub start: usize,
    pub end: usize,
    from: usize,
    to: usize,
    capitalised: bool,
    second_upper: bool,
    chars: usize,
    /// A clause break stood between this word and the one before.
    break_before: bool,
    /// Exactly one separator (space, dot, hyphen, star, underscore) stood before it.
    tight_before: bool,
    masked: bool,
    hash: bool,
    /// The letter whose run was made one letter, while the run goes on.
    pub collapsed: Option<char>,
}

fn skip_ellipsis(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) {
    while chars.next_if(|&(_, c)| c == '.' || c == '…').is_some() {}
}

/// Joins three or more single letters separated by one space, dot, hyphen or star, in place.
fn join_spelled_letters(raw: &mut Vec<Raw>, words: &str) {
    let single = |r: &Raw| r.chars == 1 && words[r.start..r.end].bytes().all(|b| b.is_ascii_alphabetic());
    let (mut read, mut write) = (0, 0);
    while read < raw.len() {
        let mut end = read + 1;
        if single(&raw[read]) {
            while end < raw.len() && single(&raw[end]) && raw[end].tight_before {
                end += 1;
            }
        }
        let mut token = raw[read];
        if end - read >= 3 {
            token.end = raw[end - 1].end;
            token.to = raw[end - 1].to;
            token.capitalised = false;
            token.chars = end - read;
        } else {
            end = read + 1;
        }
        raw[write] = token;
        write += 1;
        read = end;
    }
    raw.truncate(write);
}

#[cfg(test)]
mod tests;
