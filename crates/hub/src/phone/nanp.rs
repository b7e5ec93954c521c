//! The few ways North American numbers are usually written, read without the general parser.
//!
//! `phonenumber::parse` is slow for an import of millions: its grammar is lenient, and it takes a lock
//! around a shared cache of expressions on every call, so a second thread makes it slower. Almost
//! every row of a real opt-out list is a ten-digit number in one of a handful of layouts. This
//! reads exactly those layouts; anything else goes to the general parser. A test runs both on
//! every layout with random digits and requires the same answer from each.

/// The ten digits of a number written as an optional country code (`+1`, or `1` when the
/// default region is in the plan), then the area code (`NXX` or `(NXX)`), the exchange and the
/// line, with at most one space, `-` or `.` between groups. `None` for anything else, and for an
/// area code starting with 0 or 1 (the general parser strips such digits as a prefix).
pub(super) fn national(text: &str, region_in_plan: bool) -> Option<String> {
    let mut rest = text.as_bytes();
    if let Some(after) = rest.strip_prefix(b"+1") {
        // The crate reads a text without spaces as RFC 3966 first, where the country code is
        // all up to the first `-`, `.`, `(` or `)`: it refuses `+1415-555-2671` and
        // `+1415555.2671` while it reads `+1415 555 2671`. Those go to it, so that both give
        // the same answer.
        let joined_to_plus = after.first().is_some_and(u8::is_ascii_digit);
        if joined_to_plus && !after.contains(&b' ') && after.iter().any(|b| matches!(b, b'-' | b'.' | b'(' | b')')) {
            return None;
        }
        rest = separator(after);
    } else if !region_in_plan {
        return None;
    } else if let Some(after) = rest.strip_prefix(b"1") {
        rest = separator(after);
    }
    let mut digits = String::with_capacity(10);
    rest = match rest.strip_prefix(b"(") {
        Some(after) => separator(digits_then(after, 3, &mut digits)?.strip_prefix(b")")?),
        None => separator(digits_then(rest, 3, &mut digits)?),
    };
    rest = separator(digits_then(rest, 3, &mut digits)?);
    rest = digits_then(rest, 4, &mut digits)?;
    (rest.is_empty() && digits.as_bytes()[0] >= b'2').then_some(digits)
}

/// Skips one separator, if there is one.
fn separator(text: &[u8]) -> &[u8] {
    match text.first() {
        Some(b' ' | b'-' | b'.') => &text[1..],
        _ => text,
    }
}

/// Takes exactly `count` ASCII digits into `digits` and returns what follows them.
fn digits_then<'a>(text: &'a [u8], count: usize, digits: &mut String) -> Option<&'a [u8]> {
    let group = text.get(..count).filter(|group| group.iter().all(u8::is_ascii_digit))?;
    digits.extend(group.iter().map(|&b| char::from(b)));
    Some(&text[count..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_usual_layouts() {
        for text in
            ["4155552671", "(415) 555-2671", "415.555.2671", "1-415-555-2671", "+1 415 555 2671", "+14155552671"]
        {
            assert_eq!(national(text, true).as_deref(), Some("4155552671"), "{text}");
        }
        assert_eq!(national("+1 (415) 555-2671", false).as_deref(), Some("4155552671"));
    }

    #[test]
    fn leaves_everything_else_to_the_general_parser() {
        for text in [
            "415555267",
            "41555526712",
            "0155552671",
            "1155552671",
            "415 555 2671 x12",
            "415--555-2671",
            "+1415-555-2671",
            "+1415555-2671",
            "+1415555.2671",
            "+44 7911 123456",
        ] {
            assert_eq!(national(text, true), None, "{text}");
        }
        assert_eq!(national("4155552671", false), None, "a number without +1 outside the plan");
    }
}
