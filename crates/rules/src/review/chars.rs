//! What each character of a reply is to the tokenizer: a letter to fold, an apostrophe, a
//! clause break, a playful emoji.

use unicode_normalization::char::decompose_canonical;

use super::tokens::Raw;

/// Pushes `c` lower-cased and without its accents. A third letter in a row makes the run one
/// letter ("Stoooop" → "stop"), and further ones are dropped.
pub(super) fn push_folded(words: &mut String, word: &mut Raw, c: char) {
    let mut push = |f: char| {
        if word.collapsed == Some(f) {
            return;
        }
        word.collapsed = None;
        let tail = &words.as_bytes()[word.start..];
        let run = f.is_ascii() && tail.len() >= 2 && tail[tail.len() - 1] == f as u8 && tail[tail.len() - 2] == f as u8;
        if run {
            words.pop();
            word.collapsed = Some(f);
        } else {
            words.push(f);
        }
    };
    if c.is_ascii() {
        push(c.to_ascii_lowercase());
        return;
    }
    for lower in c.to_lowercase() {
        match lower {
            'ß' => "ss".chars().for_each(&mut push),
            'œ' => "oe".chars().for_each(&mut push),
            'æ' => "ae".chars().for_each(&mut push),
            _ => {
                let mut base = None;
                decompose_canonical(lower, |d| {
                    if base.is_none() {
                        base = Some(d);
                    }
                });
                push(base.unwrap_or(lower));
            }
        }
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
