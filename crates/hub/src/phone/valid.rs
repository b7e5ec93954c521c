//! Whether a parsed number is valid, by the `phonenumber` crate's own rule and metadata.
//!
//! `phonenumber::is_valid` takes a global lock and hashes each pattern's source text (several
//! kilobytes for the US) on every regular-expression match, so it is the slowest step of an
//! import and gets slower, not faster, on a second thread. This module applies the same rule to
//! the same metadata with expressions compiled once per thread: the same answer, many times
//! faster (bench/RESULTS.md, "Settings the code chose by measuring"). A test compares the two on numbers from every country code.
//!
//! Each country code's regions and descriptors are looked up once per thread, not on every
//! number: at a million numbers an import spent as long finding the compiled expressions in a
//! map as matching them. The kinds of number are tried fixed line and mobile first, the kinds
//! almost every number is; whether any kind matches does not depend on the order.

use std::cell::{OnceCell, RefCell};

use phonenumber::metadata::{Descriptor, Metadata, DATABASE};
use phonenumber::PhoneNumber;
use regex::{Regex, RegexBuilder};

/// A descriptor of the metadata, with its expression compiled on first use.
struct Compiled {
    descriptor: &'static Descriptor,
    /// `None` for a source that does not compile (the crate would panic on it; here it never
    /// matches).
    regex: OnceCell<Option<Regex>>,
}

impl Compiled {
    fn new(descriptor: &'static Descriptor) -> Compiled {
        Compiled { descriptor, regex: OnceCell::new() }
    }

    /// `phonenumber::metadata::Descriptor::is_match`.
    fn matches(&self, national: &str) -> bool {
        let lengths = self.descriptor.possible_length();
        (lengths.is_empty() || lengths.contains(&(national.len() as u16)))
            && matches_at_start(&self.regex, self.descriptor.national_number().as_str(), national)
    }
}

/// Whether `pattern` matches at the start of `text`, as `regex_cache::CachedRegex::find` with
/// `start() == 0` does in the crate.
fn matches_at_start(regex: &OnceCell<Option<Regex>>, pattern: &str, text: &str) -> bool {
    let regex =
        regex.get_or_init(|| RegexBuilder::new(&format!("^(?:{pattern})")).ignore_whitespace(true).build().ok());
    regex.as_ref().is_some_and(|regex| regex.is_match(text))
}

/// A region's descriptors: the general one, then one for each kind of number.
struct Region {
    leading_digits: Option<(&'static str, OnceCell<Option<Regex>>)>,
    general: Compiled,
    kinds: Vec<Compiled>,
}

impl Region {
    fn new(meta: &'static Metadata) -> Region {
        let d = meta.descriptors();
        let kinds = [
            d.fixed_line(),
            d.mobile(),
            d.premium_rate(),
            d.toll_free(),
            d.shared_cost(),
            d.voip(),
            d.personal_number(),
            d.pager(),
            d.uan(),
            d.voicemail(),
        ];
        Region {
            leading_digits: meta.leading_digits().map(|leading| (leading.as_str(), OnceCell::new())),
            general: Compiled::new(d.general()),
            kinds: kinds.into_iter().flatten().map(Compiled::new).collect(),
        }
    }

    /// `phonenumber::validator::number_type(..) != Type::Unknown`.
    fn has_type(&self, national: &str) -> bool {
        self.general.matches(national) && self.kinds.iter().any(|kind| kind.matches(national))
    }
}

/// The regions of a country code, as the crate chooses among them.
enum Regions {
    /// One region, or none the metadata can name.
    One(Option<Region>),
    /// Regions sharing the code: the first whose leading digits match the number, or, for one
    /// without leading digits, that has a type for it.
    Shared(Vec<Region>),
}

impl Regions {
    fn of(code: u16) -> Regions {
        let Some(regions) = DATABASE.region(&code) else { return Regions::One(None) };
        let meta = match regions.as_slice() {
            ["001"] => DATABASE.by_code(&code).and_then(|metas| metas.into_iter().next()),
            [region] => region.parse::<phonenumber::country::Id>().ok().and_then(|id| DATABASE.by_id(id.as_ref())),
            _ => {
                return Regions::Shared(
                    regions.iter().filter_map(|region| DATABASE.by_id(*region)).map(Region::new).collect(),
                )
            }
        };
        Regions::One(meta.map(Region::new))
    }

    fn is_valid(&self, national: &str) -> bool {
        match self {
            Regions::One(region) => region.as_ref().is_some_and(|region| region.has_type(national)),
            Regions::Shared(regions) => regions
                .iter()
                .find_map(|region| match &region.leading_digits {
                    Some((pattern, regex)) => {
                        matches_at_start(regex, pattern, national).then(|| region.has_type(national))
                    }
                    // Chosen because it has a type for the number: valid.
                    None => region.has_type(national).then_some(true),
                })
                .unwrap_or(false),
        }
    }
}

thread_local! {
    /// Each country code's regions, by code (below 1000), once a number of it is validated.
    static COUNTRIES: RefCell<Vec<Option<Regions>>> = RefCell::new((0..1000).map(|_| None).collect());
}

/// `phonenumber::is_valid`: finds the region the number belongs to (by leading digits when a
/// country code is shared), then asks whether it is a number of any known type there.
pub(super) fn is_valid(number: &PhoneNumber) -> bool {
    is_valid_national(number.country().code(), &number.national().to_string())
}

/// [`is_valid`] for a country code and the national number's digits.
pub(super) fn is_valid_national(code: u16, national: &str) -> bool {
    COUNTRIES.with(|countries| {
        let mut countries = countries.borrow_mut();
        match countries.get_mut(usize::from(code)) {
            Some(slot) => slot.get_or_insert_with(|| Regions::of(code)).is_valid(national),
            None => Regions::of(code).is_valid(national),
        }
    })
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
