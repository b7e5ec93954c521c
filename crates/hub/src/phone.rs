//! Phone numbers: parsed with the `phonenumber` crate, validated, stored as E.164.

use phonenumber::country::Id;
use phonenumber::{Mode, ParseError};
use serde::{Deserialize, Serialize};

use crate::{Error, Result};

mod gb;
mod nanp;
mod valid;

/// The country a number without `+` is read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Region {
    /// The United States (Provider 1).
    #[default]
    US,
    /// Canada (Provider 1).
    CA,
    /// The United Kingdom (Provider 2).
    GB,
}

impl Region {
    /// Reads `US`, `CA` or `GB` (`UK` too), in any case.
    ///
    /// # Errors
    /// [`Error::InvalidField`] naming the field `region`.
    pub fn parse(text: &str) -> Result<Region> {
        match text.to_ascii_uppercase().as_str() {
            "US" => Ok(Region::US),
            "CA" => Ok(Region::CA),
            "GB" | "UK" => Ok(Region::GB),
            _ => Err(Error::field("region", format!("{text:?} is not one of US, CA, GB"))),
        }
    }

    /// Its two-letter code, as [`Region::parse`] reads it.
    pub fn as_str(self) -> &'static str {
        match self {
            Region::US => "US",
            Region::CA => "CA",
            Region::GB => "GB",
        }
    }

    /// The region a provider's campaigns text.
    pub fn of_provider(provider: optout_rules::Provider) -> Region {
        match provider {
            optout_rules::Provider::One => Region::US,
            optout_rules::Provider::Two => Region::GB,
        }
    }

    /// The region of a number already in E.164: the United Kingdom for `+44`, else North
    /// America (whose numbers the US reading covers, Canada's too).
    ///
    /// # Example
    /// ```
    /// use optout_hub::Region;
    /// assert_eq!(Region::of_number("+447911123456"), Region::GB);
    /// assert_eq!(Region::of_number("+14155552671"), Region::US);
    /// ```
    pub fn of_number(e164: &str) -> Region {
        if e164.starts_with("+44") {
            Region::GB
        } else {
            Region::US
        }
    }

    fn id(self) -> Id {
        match self {
            Region::US => Id::US,
            Region::CA => Id::CA,
            Region::GB => Id::GB,
        }
    }
}

/// Parses a number written any common way and returns it as E.164 (`+14155550123`).
///
/// # Errors
/// A reason in words: empty, not a phone number, or not a valid number for its country.
///
/// # Example
/// ```
/// use optout_hub::phone::{e164, Region};
/// assert_eq!(e164("(415) 555-2671", Region::US).as_deref(), Ok("+14155552671"));
/// assert_eq!(e164("07911 123456", Region::GB).as_deref(), Ok("+447911123456"));
/// assert!(e164("555-0000", Region::US).is_err());
/// ```
pub fn e164(text: &str, region: Region) -> Result<String, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err("empty".to_owned());
    }
    if let Some(national) = nanp::national(trimmed, matches!(region, Region::US | Region::CA)) {
        return validated(1, &national);
    }
    if let Some(reading) = gb::read(trimmed, region == Region::GB) {
        return validated(reading.code, &reading.national);
    }
    general(trimmed, region)
}

/// A number read by one of the quick readers, valid or not by the metadata's rule.
fn validated(code: u16, national: &str) -> Result<String, String> {
    match valid::is_valid_national(code, national) {
        true => Ok(format!("+{code}{national}")),
        false => Err(NOT_VALID.to_owned()),
    }
}

const NOT_VALID: &str = "not a valid number for its country";

/// [`e164`] by the `phonenumber` crate's own parser, for any way of writing a number.
fn general(trimmed: &str, region: Region) -> Result<String, String> {
    if !trimmed.bytes().any(|b| b.is_ascii_digit()) {
        return Err("no digits".to_owned());
    }
    let number = phonenumber::parse(Some(region.id()), trimmed).map_err(|e| match e {
        ParseError::TooShortNsn | ParseError::TooShortAfterIdd => "too short".to_owned(),
        ParseError::TooLong => "too long".to_owned(),
        ParseError::InvalidCountryCode => "unknown country code".to_owned(),
        _ => "not a phone number".to_owned(),
    })?;
    if number.extension().is_some() {
        return Err("has an extension; texts cannot reach one".to_owned());
    }
    if !valid::is_valid(&number) {
        return Err(NOT_VALID.to_owned());
    }
    Ok(number.format().mode(Mode::E164).to_string())
}

/// Reads a number whose country is not known: as written when it has a `+` (or a country's
/// dialling prefix), else in North America, else in the UK. The reason, when neither reads it,
/// is North America's.
///
/// # Example
/// ```
/// use optout_hub::phone::e164_any;
/// assert_eq!(e164_any("(201) 555-0123").as_deref(), Ok("+12015550123"));
/// assert_eq!(e164_any("07911 123456").as_deref(), Ok("+447911123456"));
/// assert!(e164_any("12345").is_err());
/// ```
pub fn e164_any(text: &str) -> Result<String, String> {
    e164(text, Region::US).or_else(|us| e164(text, Region::GB).map_err(|_| us))
}

/// [`e164_any`] for a named field.
pub(crate) fn parse_any(field: &str, text: &str) -> Result<String> {
    e164_any(text).map_err(|reason| Error::InvalidPhone { field: field.to_owned(), value: text.to_owned(), reason })
}

/// Whether an E.164 number is Canadian: a North American number in a Canadian area code.
pub fn is_canadian(e164: &str) -> bool {
    e164.starts_with("+1") && phonenumber::parse(None, e164).is_ok_and(|number| number.country().id() == Some(Id::CA))
}

/// [`e164`] for a named field: the error names the field and the value.
pub(crate) fn parse_field(field: &str, text: &str, region: Region) -> Result<String> {
    e164(text, region).map_err(|reason| Error::InvalidPhone { field: field.to_owned(), value: text.to_owned(), reason })
}

/// Digits from a fixed pseudo-random sequence (xorshift), for the tests that compare two ways of
/// reading many numbers.
#[cfg(test)]
fn random_digits(mut state: u64) -> impl FnMut() -> char {
    move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        char::from(b'0' + (state % 10) as u8)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn common_ways_of_writing_a_number_agree() {
        for text in ["+1 415 555 2671", "(415) 555-2671", "415.555.2671", "1-415-555-2671", "tel:+1-415-555-2671"] {
            assert_eq!(e164(text, Region::US).as_deref(), Ok("+14155552671"), "{text}");
        }
        assert_eq!(e164("+44 7911 123456", Region::US).as_deref(), Ok("+447911123456"));
        assert_eq!(e164("07911 123456", Region::GB).as_deref(), Ok("+447911123456"));
    }

    /// The quick reading of the usual North American layouts must give what the general
    /// parser gives, valid or not, in every default region.
    #[test]
    fn the_usual_layouts_read_as_the_general_parser_reads_them() {
        let layouts = [
            "DDDDDDDDDD",
            "(DDD) DDD-DDDD",
            "(DDD)DDD-DDDD",
            "(DDD)-DDD-DDDD",
            "DDD.DDD.DDDD",
            "DDD-DDD-DDDD",
            "DDD DDD DDDD",
            "DDD DDD-DDDD",
            "1DDDDDDDDDD",
            "1-DDD-DDD-DDDD",
            "1 (DDD) DDD-DDDD",
            "1(DDD)DDD DDDD",
            "+1DDDDDDDDDD",
            "+1 DDD DDD DDDD",
            "+1 (DDD) DDD-DDDD",
            "+1-DDD-DDD-DDDD",
            "+1.DDD.DDD.DDDD",
            "+1DDD-DDDDDDD",
            "+1DDD-DDD-DDDD",
            "+1DDD.DDD.DDDD",
            "+1DDD DDD-DDDD",
            "+1DDD DDDDDDD",
            "+1DDDDDD-DDDD",
            "+1DDDDDD.DDDD",
            "+1DDD-DDD DDDD",
            "+1(DDD)DDD-DDDD",
            "DDDDDDDDD",
            "1DDDDDDDDD",
            "+1DDDDDDDDDDD",
            "DDD-DDD-DDDD ",
        ];
        let mut digit = random_digits(0x9e37_79b9_7f4a_7c15);
        let (mut quick, mut valid) = (0, 0);
        for region in [Region::US, Region::CA, Region::GB] {
            for layout in layouts {
                for _ in 0..600 {
                    let text: String = layout.chars().map(|c| if c == 'D' { digit() } else { c }).collect();
                    let expected = general(text.trim(), region);
                    assert_eq!(e164(&text, region), expected, "{text:?} in {region:?}");
                    quick += usize::from(nanp::national(text.trim(), region != Region::GB).is_some());
                    valid += usize::from(expected.is_ok());
                }
            }
        }
        assert!(quick > 15_000 && valid > 5_000, "{quick} read quickly, {valid} valid");
    }

    #[test]
    fn nonsense_is_refused_with_a_reason() {
        assert_eq!(e164("", Region::US), Err("empty".to_owned()));
        assert_eq!(e164("call me", Region::US), Err("no digits".to_owned()));
        assert!(e164("123", Region::US).is_err());
        assert!(e164("+1 000 000 0000", Region::US).is_err());
    }
}
