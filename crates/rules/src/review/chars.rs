//! What each character of a reply is to the tokenizer: a letter to fold, an apostrophe, a
//! clause break, a playful emoji.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// Pushes `c` lower-cased and without its accents onto the word that starts at `start` in
/// `words`. A third letter in a row makes the run one letter ("Stoooop" → "stop"), and further
/// ones are dropped: `collapsed` holds the letter while its run goes on.
#[inline]
pub(super) fn push_folded(words: &mut String, start: usize, collapsed: &mut Option<char>, c: char) {
    if c.is_ascii() {
        push_one(words, start, collapsed, c.to_ascii_lowercase());
        return;
    }
    let mut push = |f: char| push_one(words, start, collapsed, f);
    if let Some(base) = latin1_base(c) {
        push(base);
        return;
    }
    // NFKC of the one character, without its accents: "Ｓ" → "s", "ﬁ" → "fi", "ő" → "o". The
    // reply itself is never rewritten, so that words keep their places in it.
    decompose_compatible(c, |d| {
        if is_combining_mark(d) {
            return;
        }
        for lower in d.to_lowercase() {
            match lower {
                'ß' => "ss".chars().for_each(&mut push),
                'œ' => "oe".chars().for_each(&mut push),
                'æ' => "ae".chars().for_each(&mut push),
                l if l.is_alphanumeric() => push(l),
                _ => {}
            }
        }
    });
}

/// The unaccented lower-case letter of a Latin-1 letter ("É" → 'e', "ñ" → 'n'): the accents of
/// Spanish and French, without a trip through Unicode decomposition.
fn latin1_base(c: char) -> Option<char> {
    // U+00C0 to U+00FF; '0' where the character has no ASCII base (×, ÷, Æ, Ð, Ø, Þ, ß and their
    // lower-case forms), which then takes the general path.
    const BASES: &[u8; 64] = b"aaaaaa0ceeeeiiii0nooooo00uuuuy00aaaaaa0ceeeeiiii0nooooo00uuuuy0y";
    let at = (c as u32).checked_sub(0xC0).filter(|&i| i < 64)?;
    let base = BASES[at as usize];
    (base != b'0').then_some(base as char)
}

/// Pushes one folded letter, making a run of three or more one letter.
#[inline(always)]
fn push_one(words: &mut String, start: usize, collapsed: &mut Option<char>, f: char) {
    if *collapsed == Some(f) {
        return;
    }
    *collapsed = None;
    let tail = &words.as_bytes()[start..];
    let run = f.is_ascii() && tail.len() >= 2 && tail[tail.len() - 1] == f as u8 && tail[tail.len() - 2] == f as u8;
    if run {
        words.pop();
        *collapsed = Some(f);
    } else {
        words.push(f);
    }
}

pub(super) fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '`' | '´')
}

/// Whether a character between words ends a clause. Spaces, hyphens, quotes and the like only
/// separate words; line breaks, sentence punctuation, symbols and emoji end the clause.
pub(super) fn ends_clause(c: char) -> bool {
    let separator =
        matches!(c, '-' | '_' | '/' | '&' | '@' | '+' | '"' | '“' | '”' | '«' | '»' | '\u{200d}' | '\u{fe0f}')
            || is_apostrophe(c)
            || (c.is_whitespace() && c != '\n' && c != '\r');
    !separator
}

/// Emoji that turn "Stop!" into banter: smiles, laughter, blushing, hearts.
pub(super) fn is_playful(c: char) -> bool {
    matches!(
        c,
        '😊' | '☺'
            | '😂'
            | '🤣'
            | '😆'
            | '😅'
            | '😁'
            | '😄'
            | '😃'
            | '😀'
            | '🥰'
            | '😍'
            | '😘'
            | '😉'
            | '😜'
            | '😝'
            | '🙈'
            | '❤'
            | '💕'
            | '💖'
            | '💗'
            | '😹'
            | '🥹'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table gives what lower-casing and canonical decomposition give.
    #[test]
    fn the_latin1_table_is_the_decomposition() {
        for c in '\u{c0}'..='\u{ff}' {
            let lower = c.to_lowercase().next().unwrap_or(c);
            let mut first = None;
            unicode_normalization::char::decompose_canonical(lower, |d| {
                first.get_or_insert(d);
            });
            let expected = first.filter(|b| b.is_ascii_alphabetic());
            assert_eq!(latin1_base(c), expected, "{c:?}");
        }
    }
}
