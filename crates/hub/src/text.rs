//! Text that people type into the record: names that must not collide in disguise, and reasons
//! that must say something.

use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use crate::{Error, Result};

/// Whether `c` shows nothing by itself: white space, a control or format character (a zero-width
/// space, a direction mark), or a code point with no character.
fn invisible(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c.general_category(),
            GeneralCategory::Control
                | GeneralCategory::Format
                | GeneralCategory::Unassigned
                | GeneralCategory::PrivateUse
                | GeneralCategory::Surrogate
        )
}

/// A reason a person gave, trimmed: required, at most 1,000 characters, and made of more than
/// invisible characters.
///
/// # Errors
/// [`Error::InvalidField`] naming `reason`.
pub(crate) fn reason(text: &str) -> Result<&str> {
    let text = text.trim();
    if !text.chars().any(|c| !invisible(c)) {
        return Err(Error::field("reason", "is required: say why, in words"));
    }
    if text.chars().count() > 1000 {
        return Err(Error::field("reason", "must be at most 1000 characters"));
    }
    Ok(text)
}

/// Checks a name (an account's, a campaign's, a token holder's): not empty, no spaces around
/// it, no control characters, at most 100 characters.
///
/// # Errors
/// [`Error::InvalidField`] naming `field`.
pub(crate) fn name(field: &str, name: &str) -> Result<()> {
    if !name.chars().any(|c| !invisible(c)) {
        return Err(Error::field(field, "must not be empty"));
    }
    if name.trim() != name {
        return Err(Error::field(field, "must not start or end with spaces"));
    }
    if let Some(c) = name.chars().find(|c| c.is_control() || c.general_category() == GeneralCategory::Format) {
        return Err(Error::field(field, format!("must not hold control characters ({})", c.escape_unicode())));
    }
    if name.chars().count() > 100 {
        return Err(Error::field(field, "must be at most 100 characters"));
    }
    Ok(())
}

/// What two names must not share: the name after NFKC, case folding and with every run of
/// white space made one space. "Northside  Tenants Union", "northside tenants union" and
/// "Ｎｏｒｔｈｓｉｄｅ Tenants Union" are one name.
pub(crate) fn name_key(name: &str) -> String {
    let folded = caseless::default_case_fold_str(&name.nfkc().collect::<String>());
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reason_of_invisible_characters_is_no_reason() {
        for empty in ["", "   ", "\u{200b}", "\u{200b}\u{200d} \u{feff}", "\u{202e}"] {
            assert!(reason(empty).is_err(), "{empty:?}");
        }
        assert_eq!(reason("  asked on the phone\n").ok(), Some("asked on the phone"));
        assert_eq!(reason("🛑").ok(), Some("🛑"));
    }

    #[test]
    fn names_collide_in_case_width_and_spacing() {
        let key = name_key("Northside Tenants Union");
        for same in ["northside tenants union", "NORTHSIDE  TENANTS\tUNION", "Ｎｏｒｔｈｓｉｄｅ Tenants Union"]
        {
            assert_eq!(name_key(same), key, "{same:?}");
        }
        assert_ne!(name_key("Northside Tenants"), key);
    }

    #[test]
    fn a_name_with_control_characters_is_refused() {
        assert!(name("name", "Acme\u{1b}[2K").is_err());
        assert!(name("name", "Acme\u{202e}").is_err());
        assert!(name("name", " Acme").is_err());
        assert!(name("name", "\u{200b}").is_err());
        assert!(name("name", "Acme Tenants' Union (North)").is_ok());
    }
}
