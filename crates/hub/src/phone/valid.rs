//! Whether a parsed number is valid, by the `phonenumber` crate's own rule and metadata.
//!
//! `phonenumber::is_valid` takes a global lock and hashes each pattern's source text (several
//! kilobytes for the US) on every regular-expression match, so it costs about 7 µs a number
//! and gets slower, not faster, on a second thread. This module applies the same rule to the
//! same metadata with expressions compiled once per thread: the same answer, about 20 times
//! faster. A test compares the two on numbers from every country code.

use std::cell::RefCell;
use std::collections::HashMap;

use phonenumber::metadata::{Descriptor, Metadata, DATABASE};
use phonenumber::PhoneNumber;
use regex::{Regex, RegexBuilder};

thread_local! {
    /// Compiled expressions, keyed by the address of their source text in the static metadata.
    /// `None` for a source that does not compile (the crate would panic on it; here it never
    /// matches).
    static COMPILED: RefCell<HashMap<usize, Option<Regex>>> = RefCell::new(HashMap::new());
}

/// Whether `pattern` matches at the start of `text`, as `regex_cache::CachedRegex::find` with
/// `start() == 0` does in the crate.
fn matches_at_start(pattern: &str, text: &str) -> bool {
    COMPILED.with(|compiled| {
        let mut compiled = compiled.borrow_mut();
        let regex = compiled
            .entry(pattern.as_ptr() as usize)
            .or_insert_with(|| RegexBuilder::new(&format!("^(?:{pattern})")).ignore_whitespace(true).build().ok());
        regex.as_ref().is_some_and(|regex| regex.is_match(text))
    })
}

/// `phonenumber::metadata::Descriptor::is_match`.
fn descriptor_matches(descriptor: &Descriptor, national: &str) -> bool {
    let lengths = descriptor.possible_length();
    (lengths.is_empty() || lengths.contains(&(national.len() as u16)))
        && matches_at_start(descriptor.national_number().as_str(), national)
}

/// `phonenumber::validator::number_type(..) != Type::Unknown`.
fn has_type(meta: &Metadata, national: &str) -> bool {
    let d = meta.descriptors();
    descriptor_matches(d.general(), national)
        && [
            d.premium_rate(),
            d.toll_free(),
            d.shared_cost(),
            d.voip(),
            d.personal_number(),
            d.pager(),
            d.uan(),
            d.voicemail(),
            d.fixed_line(),
            d.mobile(),
        ]
        .into_iter()
        .flatten()
        .any(|descriptor| descriptor_matches(descriptor, national))
}

/// `phonenumber::is_valid`: finds the region the number belongs to (by leading digits when a
/// country code is shared), then asks whether it is a number of any known type there.
pub(super) fn is_valid(number: &PhoneNumber) -> bool {
    is_valid_national(number.country().code(), &number.national().to_string())
}

/// [`is_valid`] for a country code and the national number's digits.
pub(super) fn is_valid_national(code: u16, national: &str) -> bool {
    let Some(regions) = DATABASE.region(&code) else { return false };
    let meta = match regions.as_slice() {
        ["001"] => DATABASE.by_code(&code).and_then(|metas| metas.into_iter().next()),
        [region] => region.parse::<phonenumber::country::Id>().ok().and_then(|id| DATABASE.by_id(id.as_ref())),
        _ => regions.iter().filter_map(|region| DATABASE.by_id(*region)).find(|meta| match meta.leading_digits() {
            Some(leading) => matches_at_start(leading.as_str(), national),
            None => has_type(meta, national),
        }),
    };
    meta.is_some_and(|meta| has_type(meta, national))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Numbers of every length from 4 to 15 digits after every country code, with digits from
    /// a fixed pseudo-random sequence: the rule must agree with the crate on every one.
    #[test]
    fn agrees_with_the_crate_on_numbers_from_every_country_code() {
        let mut digit = super::super::random_digits(0x2545_f491_4f6c_dd1d);
        let codes: Vec<u16> = (1..1000).filter(|code| DATABASE.region(code).is_some()).collect();
        assert!(codes.len() > 200, "the metadata has {} country codes", codes.len());
        let (mut compared, mut valid) = (0, 0);
        for code in codes {
            for length in 4..=15 {
                for _ in 0..if code == 1 || code == 44 { 400 } else { 12 } {
                    let national: String = (0..length).map(|_| digit()).collect();
                    let Ok(number) = phonenumber::parse(None, format!("+{code}{national}")) else { continue };
                    assert_eq!(is_valid(&number), phonenumber::is_valid(&number), "+{code}{national}");
                    compared += 1;
                    valid += usize::from(phonenumber::is_valid(&number));
                }
            }
        }
        assert!(compared > 20_000 && valid > 1_000, "compared {compared}, of which {valid} valid");
    }
}
