//! Normalisation of a reply before it is compared with the keyword lists.
//!
//! A reply is compared after Unicode NFKC normalisation and case folding, with whitespace,
//! punctuation and invisible format characters trimmed from both ends. Plain ASCII replies, which
//! are nearly all of them, take a fast path that allocates nothing and gives the same answer.

use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, GeneralCategoryGroup, UnicodeGeneralCategory};

use crate::provider::Word;

/// How far a reply was from the bare word it matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Looseness {
    /// Whitespace, punctuation or invisible characters had to be trimmed around the word.
    pub trimmed: bool,
    /// Unicode normalisation (NFKC, case folding of non-ASCII letters) was needed.
    pub unicode: bool,
}

impl Looseness {
    /// True when a provider comparing the reply with the exact word might not match it.
    pub fn is_loose(self) -> bool {
        self.trimmed || self.unicode
    }
}

/// A reply that is exactly one word the rules know, and how loosely it matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WordMatch {
    /// The word.
    pub word: Word,
    /// What it took to see the word.
    pub looseness: Looseness,
}

/// Whether `c` is trimmed from the ends of a reply: whitespace, any Unicode punctuation
/// (general category P*), or an invisible format character such as a zero-width space.
///
/// Symbols and emoji are *not* trimmed: "STOP 🛑" is not a bare keyword (the engine flags it
/// for review instead).
pub fn is_trimmable(c: char) -> bool {
    if c.is_ascii() {
        return is_trimmable_ascii(c as u8);
    }
    c.is_whitespace()
        || c.general_category_group() == GeneralCategoryGroup::Punctuation
        || c.general_category() == GeneralCategory::Format
}

/// The ASCII part of [`is_trimmable`]: whitespace and the ASCII characters whose Unicode
/// category is punctuation. `$ + < = > ^ \` | ~` are symbols and stay.
#[inline]
fn is_trimmable_ascii(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t'
            | b'\n'
            | b'\r'
            | 0x0b
            | 0x0c
            | b'!'
            | b'"'
            | b'#'
            | b'%'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b','
            | b'-'
            | b'.'
            | b'/'
            | b':'
            | b';'
            | b'?'
            | b'@'
            | b'['
            | b'\\'
            | b']'
            | b'_'
            | b'{'
            | b'}'
    )
}

/// The reply as the keyword lists see it: NFKC, case-folded, trimmed.
///
/// # Example
/// ```
/// assert_eq!(optout_rules::normalize("  ＳＴＯＰ！ "), "stop");
/// assert_eq!(optout_rules::normalize("Please stop."), "please stop");
/// ```
pub fn normalize(reply: &str) -> String {
    let folded = fold(reply);
    folded.trim_matches(is_trimmable).to_owned()
}

/// NFKC with full case folding, repeated once so that the result is stable (folding can produce
/// characters that NFKC changes again, and the other way round).
pub(crate) fn fold(text: &str) -> String {
    let once: String = caseless::default_case_fold_str(&text.nfkc().collect::<String>());
    let twice: String = once.nfkc().collect();
    caseless::default_case_fold_str(&twice)
}

/// The byte range of `reply` left once the ends are trimmed: where a keyword sits, for
/// highlighting.
pub fn core_span(reply: &str) -> Range<usize> {
    let start = reply.len() - reply.trim_start_matches(is_trimmable).len();
    let end = reply.trim_end_matches(is_trimmable).len().max(start);
    start..end
}

/// Recognises a reply that is exactly one known word.
///
/// # Example
/// ```
/// use optout_rules::{match_word, Keyword, Word};
/// let m = match_word(" Cancel. ").expect("a keyword");
/// assert_eq!(m.word, Word::Keyword(Keyword::Cancel));
/// assert!(m.looseness.trimmed);
/// assert!(match_word("cancel it").is_none());
/// ```
pub fn match_word(reply: &str) -> Option<WordMatch> {
    if reply.is_ascii() {
        match_ascii(reply.as_bytes())
    } else {
        match_unicode(reply)
    }
}

#[inline]
fn match_ascii(bytes: &[u8]) -> Option<WordMatch> {
    let start = bytes.iter().position(|&b| !is_trimmable_ascii(b))?;
    let end = bytes.iter().rposition(|&b| !is_trimmable_ascii(b))? + 1;
    let core = &bytes[start..end];
    if core.len() > Word::MAX_LEN {
        return None;
    }
    let mut upper = [0u8; Word::MAX_LEN];
    for (slot, b) in upper.iter_mut().zip(core) {
        *slot = b.to_ascii_uppercase();
    }
    let word = Word::from_upper(&upper[..core.len()])?;
    let looseness = Looseness { trimmed: core.len() != bytes.len(), unicode: false };
    Some(WordMatch { word, looseness })
}

fn match_unicode(reply: &str) -> Option<WordMatch> {
    let folded = fold(reply);
    let core = folded.trim_matches(is_trimmable);
    if !core.is_ascii() || core.len() > Word::MAX_LEN {
        return None;
    }
    let upper = core.to_ascii_uppercase();
    let word = Word::from_upper(upper.as_bytes())?;
    // Trimming counts when the reply itself had something around the word, whatever NFKC did.
    let span = core_span(reply);
    let looseness =
        Looseness { trimmed: span.start > 0 || span.end < reply.len() || core.len() != folded.len(), unicode: true };
    Some(WordMatch { word, looseness })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ascii_table_is_the_unicode_definition() {
        for b in 0u8..=127 {
            let c = b as char;
            let unicode = c.is_whitespace()
                || c.general_category_group() == GeneralCategoryGroup::Punctuation
                || c.general_category() == GeneralCategory::Format;
            assert_eq!(is_trimmable_ascii(b), unicode, "byte {b:#04x} {c:?}");
        }
    }

    #[test]
    fn unicode_replies_match_after_nfkc_and_folding() {
        for reply in ["ＳＴＯＰ", "stop\u{200b}", "«stop»", "STOP。", "\u{a0}Quit\u{a0}", "“END”"] {
            let m = match_word(reply).unwrap_or_else(|| panic!("{reply:?} should match"));
            assert!(m.looseness.unicode, "{reply:?}");
            assert!(matches!(m.word, Word::Keyword(_)), "{reply:?}");
        }
    }

    #[test]
    fn symbols_and_inner_spaces_are_not_trimmed() {
        for reply in ["STOP 🛑", "$STOP", "S TOP", "stop stop", "opt out", "stöp"] {
            assert_eq!(match_word(reply), None, "{reply:?}");
        }
    }

    #[test]
    fn core_span_points_at_the_word() {
        let reply = "  «Cancel!» ";
        assert_eq!(&reply[core_span(reply)], "Cancel");
        assert_eq!(core_span("..."), 3..3);
    }
}
