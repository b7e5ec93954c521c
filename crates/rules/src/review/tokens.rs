//! Splits a reply into lower-case words grouped in clauses, the form the review rules read.
//!
//! - Letters and digits make words; apostrophes inside a word vanish ("don't" → "dont").
//! - Sentence punctuation, line breaks, symbols and emoji end a clause: in "Who is this? Stop",
//!   "stop" stands alone in its own clause.
//! - A letter repeated three times or more counts once ("Stopppp", "pleeease").
//! - Letters spelled out one by one ("S.T.O.P", "s t o p") are joined into one word.
//! - A handful of words the rules depend on are corrected when misspelt by one letter
//!   ("stpo", "unsubcribe", "numbr"), so that a typo does not hide a request.

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

use super::lexicon::{classify, Classes};

/// One word of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    /// The word, lower case (or the corrected spelling).
    pub text: &'a str,
    /// Written with a capital first letter and lower-case rest, like a name ("Sam").
    pub capitalised: bool,
    /// Index of the clause the word belongs to.
    pub clause: u32,
    /// What the lexicon knows of the word.
    pub classes: Classes,
}

impl Token<'_> {
    /// Whether the word is in every class of `classes`.
    pub fn is(&self, classes: Classes) -> bool {
        self.classes.has(classes)
    }
}

/// A reply's words, lower case, concatenated without separators; tokens point into it.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    buf: String,
    raw: Vec<RawToken>,
}

#[derive(Debug, Clone, Copy)]
struct RawToken {
    start: usize,
    end: usize,
    capitalised: bool,
    /// A clause break stood between this word and the one before.
    break_before: bool,
    /// Exactly one separator character (space, dot, hyphen, star, underscore) stood before it.
    tight_before: bool,
}

impl Tokens {
    /// Reads `reply` into words.
    pub fn read(reply: &str) -> Tokens {
        let mut tokens = Tokens { buf: String::with_capacity(reply.len()), raw: Vec::with_capacity(reply.len() / 4) };
        if reply.is_ascii() || is_nfkc_quick(reply.chars()) == IsNormalized::Yes {
            tokens.scan(reply.chars());
        } else {
            let composed: String = reply.nfkc().collect();
            tokens.scan(composed.chars());
        }
        tokens.join_spelled_letters();
        tokens
    }

    fn scan(&mut self, chars: impl Iterator<Item = char>) {
        let mut in_word = false;
        let mut pending_break = false;
        let mut gap = 0usize;
        let mut tight_sep = true;
        let mut word_chars = 0usize;
        let mut second_upper = false;
        for c in chars {
            if c.is_alphanumeric() || c == '#' {
                if !in_word || c == '#' {
                    if in_word {
                        self.close_word(second_upper);
                    }
                    self.raw.push(RawToken {
                        start: self.buf.len(),
                        end: self.buf.len(),
                        capitalised: c.is_uppercase(),
                        break_before: pending_break,
                        tight_before: gap == 1 && tight_sep,
                    });
                    in_word = c != '#';
                    word_chars = 0;
                    second_upper = false;
                    pending_break = false;
                    gap = 0;
                    tight_sep = true;
                } else if word_chars == 1 {
                    second_upper = c.is_uppercase();
                }
                word_chars += 1;
                // "Stopppp", "pleeease": a letter written three times or more counts once.
                let mut tail = self.buf.chars().rev();
                let lower = c.to_lowercase().next().unwrap_or(c);
                if word_chars > 2 && tail.next() == Some(lower) && tail.next() == Some(lower) {
                    self.buf.pop();
                    self.buf.pop();
                }
                push_lower(&mut self.buf, c);
                if let Some(last) = self.raw.last_mut() {
                    last.end = self.buf.len();
                }
                continue;
            }
            if in_word && is_apostrophe(c) {
                // "don't" reads as "dont"; an apostrophe at the end of a word is dropped too.
                continue;
            }
            if in_word {
                self.close_word(second_upper);
                in_word = false;
            }
            gap += 1;
            if !matches!(c, ' ' | '.' | '-' | '*' | '_') {
                tight_sep = false;
            }
            if ends_clause(c) {
                pending_break = true;
            }
        }
        if in_word {
            self.close_word(second_upper);
        }
    }

    fn close_word(&mut self, second_upper: bool) {
        if let Some(last) = self.raw.last_mut() {
            // "SAM" is shouting, not a name; "Sam" is a name.
            last.capitalised &= !second_upper;
        }
    }

    /// Joins three or more single letters separated by one space, dot, hyphen or star.
    fn join_spelled_letters(&mut self) {
        let single = |t: &RawToken, buf: &str| {
            buf[t.start..t.end].chars().count() == 1 && buf[t.start..t.end].chars().all(char::is_alphabetic)
        };
        let mut out: Vec<RawToken> = Vec::with_capacity(self.raw.len());
        let mut i = 0;
        while i < self.raw.len() {
            let mut j = i + 1;
            if single(&self.raw[i], &self.buf) {
                while j < self.raw.len() && single(&self.raw[j], &self.buf) && self.raw[j].tight_before {
                    j += 1;
                }
            }
            let mut token = self.raw[i];
            if j - i >= 3 {
                token.end = self.raw[j - 1].end;
                token.capitalised = false;
            } else {
                j = i + 1;
            }
            out.push(token);
            i = j;
        }
        self.raw = out;
    }

    /// The words with their clause numbers, spelling corrected.
    pub fn words(&self) -> Vec<Token<'_>> {
        let mut clause = 0u32;
        self.raw
            .iter()
            .enumerate()
            .map(|(i, t)| {
                if t.break_before && i > 0 {
                    clause += 1;
                }
                let text = &self.buf[t.start..t.end];
                let text = correct_spelling(text).unwrap_or(text);
                Token { text, capitalised: t.capitalised, clause, classes: classify(text) }
            })
            .collect()
    }
}

fn push_lower(buf: &mut String, c: char) {
    if c.is_ascii() {
        buf.push(c.to_ascii_lowercase());
    } else {
        buf.extend(c.to_lowercase());
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '`' | '´')
}

/// Whether a character between words ends a clause. Spaces, hyphens, quotes and the like only
/// separate words; line breaks, sentence punctuation, symbols and emoji end the clause.
fn ends_clause(c: char) -> bool {
    let separator = matches!(c, '-' | '_' | '/' | '&' | '@' | '+' | '"' | '“' | '”' | '\u{200d}' | '\u{fe0f}')
        || is_apostrophe(c)
        || (c.is_whitespace() && c != '\n' && c != '\r');
    !separator
}

/// Words whose misspelling would hide a request, with the shortest misspelling we correct.
/// None is one edit from another word the rules know ("message" is one from "messages", so
/// neither is here: correcting one into the other would break the phrases).
const SPELLING: &[(&str, usize)] =
    &[("stop", 3), ("unsubscribe", 9), ("cancel", 5), ("remove", 5), ("wrong", 4), ("number", 5), ("texting", 6)];

/// The word `text` was probably meant to be, when it is one edit (an insertion, a deletion, a
/// substitution or two neighbours swapped) away from a word the rules depend on and starts with
/// the same letter.
fn correct_spelling(text: &str) -> Option<&'static str> {
    let first = text.as_bytes().first()?;
    SPELLING
        .iter()
        .find(|(word, min)| {
            word.as_bytes()[0] == *first
                && text.len() >= *min
                && text.len().abs_diff(word.len()) <= 1
                && text != *word
                && within_one_edit(text.as_bytes(), word.as_bytes())
        })
        .map(|(word, _)| *word)
}

/// Whether `a` and `b` differ by at most one insertion, deletion, substitution or swap of two
/// adjacent letters.
fn within_one_edit(a: &[u8], b: &[u8]) -> bool {
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (a, b) = (&a[prefix..], &b[prefix..]);
    match (a.len(), b.len()) {
        (x, y) if x == y => {
            a.len() <= 1 || a[1..] == b[1..] || (a.len() >= 2 && a[0] == b[1] && a[1] == b[0] && a[2..] == b[2..])
        }
        (x, y) if x + 1 == y => a == &b[1..],
        (x, y) if y + 1 == x => &a[1..] == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(reply: &str) -> Vec<(String, u32)> {
        let t = Tokens::read(reply);
        t.words().iter().map(|w| (w.text.to_owned(), w.clause)).collect()
    }

    #[test]
    fn clauses_split_at_sentence_punctuation_and_emoji() {
        let w = words("Who is this? Stop 🛑 now");
        assert_eq!(w, [("who", 0), ("is", 0), ("this", 0), ("stop", 1), ("now", 2)].map(|(a, b)| (a.to_owned(), b)));
    }

    #[test]
    fn apostrophes_join_and_hyphens_split() {
        let w: Vec<_> = words("Don't opt-out").into_iter().map(|(w, _)| w).collect();
        assert_eq!(w, ["dont", "opt", "out"]);
    }

    #[test]
    fn spelled_out_letters_join() {
        for reply in ["S.T.O.P.", "s t o p", "S-T-O-P"] {
            assert_eq!(words(reply)[0].0, "stop", "{reply}");
        }
        assert_eq!(words("I a m").len(), 1, "three single letters join");
        assert_eq!(words("a b").len(), 2, "two do not");
    }

    #[test]
    fn one_edit_typos_are_corrected() {
        for (typo, word) in [
            ("stpo", "stop"),
            ("sotp", "stop"),
            ("stp", "stop"),
            ("stopp", "stop"),
            ("unsubcribe", "unsubscribe"),
            ("cancle", "cancel"),
            ("numbr", "number"),
            ("wromg", "wrong"),
        ] {
            assert_eq!(correct_spelling(typo), Some(word), "{typo}");
        }
        for fine in ["spot", "top", "stoked", "quiet", "quite", "atop", "stop", "so"] {
            assert_eq!(correct_spelling(fine), None, "{fine}");
        }
    }

    #[test]
    fn names_are_capitalised_words_not_shouting() {
        let t = Tokens::read("This isnt Sam, SAM");
        let caps: Vec<bool> = t.words().iter().map(|w| w.capitalised).collect();
        assert_eq!(caps, [true, false, true, false]);
    }
}
