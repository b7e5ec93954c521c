//! The ways UK numbers are usually written, read without the general parser.
//!
//! UK lists write a mobile as `07911 123456`, `+44 7911 123456`, `0044 7911 123456`,
//! `+44 (0)7911 123456` or `447911123456`, spaced and dashed as people type them. The general
//! parser is slow for each (see `nanp`); this reads digits, separators and one group
//! in parentheses, and works out the country code and national number that the general parser
//! would, by the rules of the metadata: `00` is the UK's international prefix, `0` its national
//! prefix, and a number that starts with `44` and is too long for a UK number starts with the
//! country code (a test checks that the metadata still says so). The number is then validated
//! as the general parser's would be. Anything else, and every corner where the general parser
//! does something odd, goes to it. Tests run both on every layout with random digits, and on
//! random layouts, and require the same answer from each.

/// A number as the general parser reads it, before it is validated: its country code and its
/// national number, leading zeros kept (E.164 keeps them too).
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Reading {
    pub(super) code: u16,
    pub(super) national: String,
}

/// The longest national number the general parser accepts.
const MAX_NATIONAL: usize = 17;

/// The digits of a number written as an optional `+`, then groups of digits with at most one
/// space, `-` or `.` between them, one group maybe in parentheses.
struct Written {
    plus: bool,
    digits: String,
    /// The general parser reads a text without spaces as RFC 3966 first, where the country
    /// code after `+` is everything up to the first `-`, `.`, `(` or `)`: `+447911-123456`
    /// has the country code 447911 and is refused.
    rfc3966_code: Option<usize>,
}

fn written(text: &str) -> Option<Written> {
    let (plus, mut rest) = match text.as_bytes() {
        [b'+', rest @ ..] => (true, rest),
        bytes => (false, bytes),
    };
    let mut digits = String::with_capacity(16);
    let (mut spaced, mut first_mark, mut parenthesised) = (false, None, false);
    loop {
        let open = rest.first() == Some(&b'(');
        if open {
            if parenthesised {
                return None;
            }
            parenthesised = true;
            first_mark.get_or_insert(digits.len());
            rest = &rest[1..];
        }
        let group = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if group == 0 || digits.len() + group > MAX_NATIONAL + 4 {
            return None;
        }
        digits.extend(rest[..group].iter().map(|&b| char::from(b)));
        rest = &rest[group..];
        if open {
            rest = rest.strip_prefix(b")")?;
        }
        match rest.first() {
            None => break,
            Some(b' ') => spaced = true,
            Some(b'-' | b'.') => {
                first_mark.get_or_insert(digits.len());
            }
            // A group in parentheses may follow or precede the next one with no separator.
            Some(b'(') if !parenthesised => continue,
            Some(_) if open => continue,
            Some(_) => return None,
        }
        rest = &rest[1..];
    }
    let rfc3966_code = first_mark.filter(|&at| plus && !spaced && at > 0);
    Some(Written { plus, digits, rfc3966_code })
}

/// Reads `text` (trimmed) as the general parser would when it is written in a usual UK layout:
/// in any way when the default region is the UK (`in_gb`), else only with `+44` or `0044`.
/// `None` for anything else.
pub(super) fn read(text: &str, in_gb: bool) -> Option<Reading> {
    let Written { plus, digits, rfc3966_code } = written(text)?;
    if plus {
        if rfc3966_code.is_some_and(|at| at != 2) {
            return None;
        }
        return after_country_code(digits.strip_prefix("44")?, in_gb);
    }
    if let Some(after) = digits.strip_prefix("0044") {
        return match in_gb {
            true => after_country_code(after, true),
            // North America's international prefix is 011: the general parser reads 0044...
            // as a North American national number, which is too long to be valid.
            false => (digits.len() <= MAX_NATIONAL).then(|| Reading { code: 1, national: digits.clone() }),
        };
    }
    if !in_gb || digits.starts_with("00") {
        return None;
    }
    if let Some(national) = digits.strip_prefix('0') {
        return national_number(national);
    }
    // The general parser takes a leading 44 for the country code when the digits are too long
    // for a UK number (which has at most ten); 44 and nine or ten digits is exactly that.
    if let Some(after) = digits.strip_prefix("44") {
        return if digits.len() > 10 { after_country_code(after, true) } else { None };
    }
    // 180020 is a prefix the metadata strips, as it does the national prefix.
    if digits.starts_with("180020") {
        return None;
    }
    national_number(&digits)
}

/// The national number after `44`, as read with the metadata of the default region.
fn after_country_code(after: &str, in_gb: bool) -> Option<Reading> {
    if in_gb {
        if after.starts_with("180020") {
            return None;
        }
        // `+44 (0)7911 ...`: the national prefix, stripped once.
        return national_number(after.strip_prefix('0').unwrap_or(after));
    }
    // Outside the UK the general parser strips the default region's national prefix from the
    // national number: North America's is 1, which would cut a UK landline short. It leaves a
    // 0 (`+44 (0)7911 ...`), which then makes the number invalid.
    let usual = (9..=11).contains(&after.len()) && !after.starts_with('1') && after.bytes().any(|b| b != b'0');
    usual.then(|| Reading { code: 44, national: after.to_owned() })
}

/// A UK national number without its prefix: nine or ten digits, the first not 0 (the general
/// parser would strip a second 0 too).
fn national_number(national: &str) -> Option<Reading> {
    let usual = (9..=10).contains(&national.len()) && !national.starts_with('0');
    usual.then(|| Reading { code: 44, national: national.to_owned() })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
