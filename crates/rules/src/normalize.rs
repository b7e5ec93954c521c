//! Normalisation of a reply before it is compared with the keyword lists.
//!
//! A reply is compared after Unicode NFKC normalisation and case folding, with whitespace,
//! punctuation and invisible format characters trimmed from both ends. `match_word` reads only
//! the first word of a reply and allocates nothing; the full NFKC and folding run only for the
//! rare replies (fullwidth letters and the like) where they can change the answer.

use std::ops::Range;

use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use crate::provider::{Keyword, Word};

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
    use GeneralCategory::*;
    if c.is_ascii() {
        return is_trimmable_ascii(c as u8);
    }
    c.is_whitespace()
        || matches!(
            c.general_category(),
            ConnectorPunctuation
                | DashPunctuation
                | OpenPunctuation
                | ClosePunctuation
                | InitialPunctuation
                | FinalPunctuation
                | OtherPunctuation
                | Format
        )
}

/// `text` with [`is_trimmable`] characters removed from both ends. ASCII ends, nearly all of
/// them, are trimmed byte by byte; a non-ASCII character at an end takes the general path.
#[inline]
fn trim(text: &str) -> &str {
    let bytes = text.as_bytes();
    let start = bytes.iter().position(|&b| !is_trimmable_ascii(b)).unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|&b| !is_trimmable_ascii(b)).map_or(start, |i| i + 1);
    // `is_trimmable_ascii` is false for every byte of a multi-byte character, so both ends sit on
    // character boundaries.
    let core = &text[start..end];
    let non_ascii_end = |b: Option<&u8>| b.is_some_and(|b| !b.is_ascii());
    if non_ascii_end(core.as_bytes().first()) || non_ascii_end(core.as_bytes().last()) {
        core.trim_matches(is_trimmable)
    } else {
        core
    }
}

/// The ASCII part of [`is_trimmable`]: whitespace and the ASCII characters whose Unicode
/// category is punctuation. `$ + < = > ^ \` | ~` are symbols and stay.
#[inline(always)]
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
    trim(&fold(reply)).to_owned()
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
    let core = trim(reply);
    // `core` is a slice of `reply`: its offset is the distance between their starts.
    let start = core.as_ptr() as usize - reply.as_ptr() as usize;
    start..start + core.len()
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
    let core = reply.trim_start_matches(is_trimmable);
    let first = core.chars().next()?;
    if !first.is_ascii() {
        // An emoji or an accented letter that NFKC keeps stays non-ASCII when folded, so the
        // reply cannot be a keyword; only forms like fullwidth letters need the general path.
        return if is_nfkc_stable(first) { None } else { match_unicode(reply) };
    }
    let letters = core.bytes().take(Word::MAX_LEN + 1).take_while(u8::is_ascii_alphabetic).count();
    let after = &core[letters..];
    if after.chars().next().is_some_and(|c| !c.is_ascii() && !is_trimmable(c) && !is_nfkc_stable(c)) {
        return match_unicode(reply);
    }
    // "ARRÊT": the one keyword with a letter outside ASCII.
    if letters == 3 && core.as_bytes()[..3].eq_ignore_ascii_case(b"arr") && !after.is_ascii() {
        return match_unicode(reply);
    }
    if letters == 0 || letters > Word::MAX_LEN {
        return None;
    }
    let looseness = Looseness { trimmed: core.len() != reply.len() || !after.is_empty(), unicode: false };
    let found = lookup(&core.as_bytes()[..letters], looseness)?;
    // The word ends the reply but for whitespace and punctuation ("Stop!!", "stop…").
    after.chars().all(is_trimmable).then_some(found)
}

/// Whether NFKC leaves `c` as it is.
fn is_nfkc_stable(c: char) -> bool {
    is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes
}

/// The general path: trim Unicode punctuation, then NFKC and case folding where they can matter.
/// `match_word` gives the same answer faster; a property test holds the two together.
fn match_unicode(reply: &str) -> Option<WordMatch> {
    let core = trim(reply);
    let trimmed = core.len() != reply.len();
    // A known word has at most MAX_LEN letters, and NFKC never turns two characters into one
    // ASCII letter: anything longer cannot match.
    if core.len() > Word::MAX_LEN * 4 {
        return None;
    }
    if core.is_ascii() {
        return lookup(core.as_bytes(), Looseness { trimmed, unicode: false });
    }
    if is_arret_with_circumflex(core) {
        return Some(WordMatch {
            word: Word::Keyword(Keyword::Arret),
            looseness: Looseness { trimmed, unicode: false },
        });
    }
    // Text already in NFKC (emoji, accented words, other scripts) stays non-ASCII when folded, so
    // it cannot be an ASCII keyword; see `nfkc_text_never_folds_into_a_keyword`.
    if core.chars().count() > Word::MAX_LEN || is_nfkc_quick(core.chars()) == IsNormalized::Yes {
        return None;
    }
    let folded = fold(core);
    let inner = trim(&folded);
    let looseness = Looseness { trimmed: trimmed || inner.len() != folded.len(), unicode: true };
    if is_arret_with_circumflex(inner) {
        return Some(WordMatch { word: Word::Keyword(Keyword::Arret), looseness });
    }
    lookup(inner.as_bytes(), looseness)
}

/// "ARRÊT" in any case, as French speakers write ARRET. Both spellings are the keyword, so the
/// accent is no looseness.
fn is_arret_with_circumflex(core: &str) -> bool {
    let mut chars = core.chars().flat_map(char::to_lowercase);
    ['a', 'r', 'r', 'ê', 't'].iter().all(|&c| chars.next() == Some(c)) && chars.next().is_none()
}

/// Recognises OPT OUT written as two words ("opt out", "Opt-Out", "OPT  OUT!"), after the same
/// normalisation as [`match_word`]: the FCC's spelling of OPTOUT, a keyword under some rule sets.
pub(crate) fn match_two_word_opt_out(reply: &str) -> Option<Looseness> {
    let core = trim(reply);
    // "opt", at most a few spaces, "out": anything longer is another reply.
    if core.len() > 24 {
        return None;
    }
    let trimmed = core.len() != reply.len();
    if is_opt_out(core) {
        return Some(Looseness { trimmed, unicode: false });
    }
    if core.is_ascii() || is_nfkc_quick(core.chars()) == IsNormalized::Yes {
        return None;
    }
    let folded = fold(core);
    let inner = trim(&folded);
    is_opt_out(inner).then_some(Looseness { trimmed: trimmed || inner.len() != folded.len(), unicode: true })
}

/// "opt", then whitespace or one hyphen, then "out", in any ASCII case.
fn is_opt_out(core: &str) -> bool {
    let bytes = core.as_bytes();
    if bytes.len() < 7
        || !bytes[..3].eq_ignore_ascii_case(b"opt")
        || !bytes[bytes.len() - 3..].eq_ignore_ascii_case(b"out")
    {
        return false;
    }
    let gap = &core[3..core.len() - 3];
    gap == "-" || gap.chars().all(char::is_whitespace)
}

#[inline]
fn lookup(core: &[u8], looseness: Looseness) -> Option<WordMatch> {
    Word::lookup(core).map(|word| WordMatch { word, looseness })
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_properties::GeneralCategoryGroup;

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
        let m = match_word("ＳＴＯＰ").expect("fullwidth STOP");
        assert_eq!(m.looseness, Looseness { trimmed: false, unicode: true });
        for reply in ["stop\u{200b}", "«stop»", "STOP。", "\u{a0}Quit\u{a0}", "“END”", "ｓｔｏｐ！"] {
            let m = match_word(reply).unwrap_or_else(|| panic!("{reply:?} should match"));
            assert!(m.looseness.trimmed, "{reply:?}");
            assert!(matches!(m.word, Word::Keyword(_)), "{reply:?}");
        }
    }

    #[test]
    fn symbols_and_inner_spaces_are_not_trimmed() {
        for reply in ["STOP 🛑", "$STOP", "S TOP", "stop stop", "opt out", "stöp"] {
            assert_eq!(match_word(reply), None, "{reply:?}");
        }
    }

    /// The shortcut in `match_word` holds: a non-ASCII character already in NFKC folds to text
    /// that still has non-ASCII in it, or to "ss" (ß, ẞ), which no keyword contains.
    #[test]
    fn nfkc_text_never_folds_into_a_keyword() {
        assert!(Keyword::ALL.iter().all(|k| !k.as_str().contains("SS")));
        for c in (0x80..=0x10FFFFu32).filter_map(char::from_u32) {
            if is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes {
                let folded = caseless::default_case_fold_str(c.encode_utf8(&mut [0; 4]));
                assert!(!folded.is_ascii() || folded == "ss", "{c:?} folds to {folded:?}");
            }
        }
    }

    proptest::proptest! {
        /// The shortcuts of `match_word` never change the answer of the general path.
        #[test]
        fn the_fast_path_agrees_with_the_general_path(
            before in "[ .!¡¿“«\u{a0}\u{200b}👍é]{0,3}",
            word in "(stop|STOP|Stop|ＳＴＯＰ|ｓｔｏｐ|sto|stoｐ|end|quit|START|help|stöp|stop\u{301}|Sí|ok|arrêt|ARRÊT|Arre\u{302}t|arrét|arr)",
            after in "[ .!?»”…\u{a0}\u{200b}🛑é\u{301}ｘx]{0,3}",
        ) {
            let reply = format!("{before}{word}{after}");
            proptest::prop_assert_eq!(match_word(&reply), match_unicode(&reply), "{:?}", reply);
        }
    }

    #[test]
    fn arret_matches_with_or_without_its_accent() {
        for reply in ["ARRET", "arrêt", "ARRÊT!", "Arrêt.", "«Arrêt»", "ARRE\u{302}T", "ＡＲＲÊＴ"] {
            let m = match_word(reply).unwrap_or_else(|| panic!("{reply:?} should match"));
            assert_eq!(m.word, Word::Keyword(Keyword::Arret), "{reply:?}");
        }
        assert!(!match_word("arrêt").expect("ARRÊT").looseness.is_loose(), "the accent is the keyword's spelling");
        for reply in ["arrêté", "arrét", "arrêt svp", "arr"] {
            assert_eq!(match_word(reply), None, "{reply:?}");
        }
    }

    #[test]
    fn opt_out_in_two_words() {
        for reply in ["OPT OUT", "opt out", "Opt-Out", " opt  out! ", "OPT\u{a0}OUT", "ＯＰＴ ＯＵＴ"] {
            assert!(match_two_word_opt_out(reply).is_some(), "{reply:?}");
        }
        assert!(!match_two_word_opt_out("opt out").expect("plain").is_loose());
        for reply in ["optout", "opt out please", "opt me out", "opt--out", "opt.out", "out opt", "opt"] {
            assert_eq!(match_two_word_opt_out(reply), None, "{reply:?}");
        }
    }

    #[test]
    fn core_span_points_at_the_word() {
        let reply = "  «Cancel!» ";
        assert_eq!(&reply[core_span(reply)], "Cancel");
        assert_eq!(core_span("..."), 3..3);
    }
}
