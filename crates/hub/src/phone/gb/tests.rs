use phonenumber::metadata::DATABASE;

use super::super::{e164, general, random_digits, Region};
use super::*;

/// UK numbers as lists write them, and the near misses around each: `D` is a random digit.
const LAYOUTS: &[&str] = &[
    // Mobiles, national.
    "07DDD DDDDDD",
    "07DDDDDDDDD",
    "07DDD-DDDDDD",
    "07DDD DDD DDD",
    "07DD DDD DDDD",
    "07DDD-DDD-DDD",
    "07DDD.DDD.DDD",
    "07DDD.DDDDDD",
    "(07DDD) DDDDDD",
    "(07DDD)DDDDDD",
    "(07DDD)-DDDDDD",
    "7DDD DDDDDD",
    "7DDDDDDDDD",
    // Mobiles, international.
    "+44 7DDD DDDDDD",
    "+447DDDDDDDDD",
    "+44 7DDD DDD DDD",
    "+44 7DDD-DDDDDD",
    "+44-7DDD-DDDDDD",
    "+44.7DDD.DDDDDD",
    "+447DDD DDDDDD",
    "+447DDD-DDDDDD",
    "+447DDD.DDDDDD",
    "+44(7DDD)DDDDDD",
    "+44 (7DDD) DDDDDD",
    "+(44)7DDDDDDDDD",
    "+(44) 7DDD DDDDDD",
    "+44 (0)7DDD DDDDDD",
    "+44 (0) 7DDD DDDDDD",
    "+44(0)7DDD DDDDDD",
    "+44(0)7DDDDDDDDD",
    "+44(0)-7DDD-DDDDDD",
    "+44 (0)7DDD-DDD-DDD",
    "+44 07DDD DDDDDD",
    "+4407DDDDDDDDD",
    "+44-07DDD-DDDDDD",
    "0044 7DDD DDDDDD",
    "00447DDDDDDDDD",
    "0044-7DDD-DDDDDD",
    "0044 (0)7DDD DDDDDD",
    "0044(0)7DDDDDDDDD",
    "0044 07DDD DDDDDD",
    "00 44 7DDD DDDDDD",
    "447DDDDDDDDD",
    "44 7DDD DDDDDD",
    "44-7DDD-DDDDDD",
    "44 (0)7DDD DDDDDD",
    "44(0)7DDDDDDDDD",
    "4407DDDDDDDDD",
    "44 07DDD DDDDDD",
    // Other kinds: 070 personal numbers, 076 pagers, landlines, London, non-geographic.
    "070DD DDDDDD",
    "076DD DDDDDD",
    "+44 70DD DDDDDD",
    "+44 76DD DDDDDD",
    "01DDD DDDDDD",
    "01DDD DDDDD",
    "(01DDD) DDDDDD",
    "(01DDD) DDDDD",
    "01DD DDD DDDD",
    "020 DDDD DDDD",
    "(020) DDDD DDDD",
    "02D DDDD DDDD",
    "+44 20 DDDD DDDD",
    "+44 (0)20 DDDD DDDD",
    "+44 1DDD DDDDDD",
    "+44 (0)1DDD DDDDDD",
    "+441DDDDDDDDD",
    "0044 1DDD DDDDDD",
    "441DDDDDDDDD",
    "1DDD DDDDDD",
    "03DD DDD DDDD",
    "0800 DDD DDDD",
    "0800 DDDDDD",
    "08DD DDD DDDD",
    "09DD DDD DDDD",
    "0DDDD DDDDDD",
    "0DDD DDD DDDD",
    "+44 DDDD DDDDDD",
    "+44 (0)DDDD DDDDDD",
    "0044 DDDD DDDDDD",
    "44DDDDDDDDDD",
    "DDDDDDDDDD",
    "DDDDDDDDD",
    // Wrong lengths.
    "07DDD DDDDD",
    "07DDD DDDDDDD",
    "07DDD DDDDDDDD",
    "07DDD DDD",
    "+44 7DDD DDDDD",
    "+44 7DDD DDDDDDD",
    "+44 (0)7DDD DDDDDDD",
    "447DDDDDDDD",
    "447DDDDDDDDDD",
    "44DDDDDDD",
    "44DDDDDDDD",
    "0044 7DDD DDDDD",
    "0044 7DDD DDDDDDD",
    "7DDD DDDDD",
    "7DDDDDDDDDDD",
    "0DDDDDDD",
    "+44 DDDDDDDDDDDD",
    "+44 DDDDDDD",
    // Prefixes the general parser treats in its own way.
    "+44 180020 DDDD",
    "+44 180020 DDDDD",
    "0180020 DDDD",
    "180020DDDD",
    "44180020DDDD",
    "0044 180020 DDDD",
    "+44 (0)0DDD DDDDDD",
    "+44 00DDD DDDDDD",
    "+4400DDDDDDDD",
    "0044 0DDDD DDDDDD",
    "0044 00DDD DDDDDD",
    "00DD DDDD DDDD",
    "000 DDDD DDDD",
    "001 DDD DDD DDDD",
    "+0044 7DDD DDDDDD",
    "+44 0000000000",
    "+44 (0)000000000",
    "+1 DDD DDD DDDD",
    "+1 44DD DDDDDD",
    "+4 47DDD DDDDDD",
    // Separators and marks around the digits.
    "07DDD  DDDDDD",
    "07DDD--DDDDDD",
    "07DDD - DDDDDD",
    "07DDD/DDDDDD",
    "07DDD\tDDDDDD",
    " 07DDD DDDDDD ",
    "+44 7DDD DDDDDD ",
    "+ 44 7DDD DDDDDD",
    "++44 7DDD DDDDDD",
    "+44  7DDD DDDDDD",
    "(0)7DDD DDDDDD",
    "((07DDD)) DDDDDD",
    "(07DDD) (DDDDDD)",
    "07DDD (DDDDDD)",
    "07DDD DDD(DDD)",
    "(44) 7DDD DDDDDD",
    "(+44) 7DDD DDDDDD",
    "+44)7DDD DDDDDD",
    "+44 7DDD DDDDDD)",
    "07DDD DDDDDD x12",
    "07DDD DDDDDD ext 12",
    "07DDD DDDDDD#",
    "07DDD-DDDDDD#",
    "+44 7DDD DDDDDD;ext=1",
    "+44-7DDD-DDDDDD;ext=1",
    "tel:+44-7DDD-DDDDDD",
    "07DDD DDDDDD/7",
    "07DDD-DDDDDD-",
    "-07DDD DDDDDD",
    ".07DDD DDDDDD",
    "07DDD DDDDDD.",
    "07DDD DDDDDD mobile",
    "07DDD DDDDDD, 07DDD DDDDDD",
    "07DDD\u{a0}DDDDDD",
    "\u{ff10}7DDD DDDDDD",
];

/// Whether `text` reads quickly, and whether it is valid, after comparing both readings of it
/// in `region`.
fn compare(text: &str, region: Region) -> (bool, bool) {
    let expected = general(text.trim(), region);
    assert_eq!(e164(text, region), expected, "{text:?} in {region:?}");
    (read(text.trim(), region == Region::GB).is_some(), expected.is_ok())
}

/// The quick reading of UK numbers must give what the general parser gives, valid or not, in
/// every default region.
#[test]
fn the_usual_layouts_read_as_the_general_parser_reads_them() {
    let mut digit = random_digits(0x6a09_e667_f3bc_c908);
    let (mut quick, mut valid, mut compared) = ([0; 3], 0, 0);
    for (r, region) in [Region::US, Region::CA, Region::GB].into_iter().enumerate() {
        for layout in LAYOUTS {
            for _ in 0..200 {
                let text: String = layout.chars().map(|c| if c == 'D' { digit() } else { c }).collect();
                let (fast, ok) = compare(&text, region);
                quick[r] += usize::from(fast);
                valid += usize::from(ok);
                compared += 1;
            }
        }
    }
    println!("read quickly: {quick:?}; {valid} valid of {compared}");
    assert!(quick[2] > 12_000 && quick[0] > 2_500 && quick[1] > 2_500, "read quickly: {quick:?}");
    assert!(valid > 8_000 && compared - valid > 8_000, "{valid} valid of {compared}");
}

/// Random texts of digits, separators and the prefixes UK numbers have: whatever the quick
/// reading takes, it must take as the general parser does.
#[test]
fn random_layouts_read_as_the_general_parser_reads_them() {
    const PREFIXES: &[&str] = &[
        "", "", "", "0", "0", "+44", "+44 ", "+44-", "+44(0)", "+44 (0)", "+44 0", "0044", "0044 ", "44", "44 ", "(0)",
        "+", "+4", "00", "+1", "+(44)", "4", "07", "+447",
    ];
    const MARKS: &[&str] = &[" ", " ", " ", " ", "-", "-", "-", ".", "", "  ", "(", ")", "/", "--", " - ", "+", "x"];
    let mut digit = random_digits(0xbb67_ae85_84ca_a73b);
    let mut pick = |n: usize| {
        let two = (digit() as usize - '0' as usize) * 10 + (digit() as usize - '0' as usize);
        two % n
    };
    let (mut quick, mut valid) = (0, 0);
    for _ in 0..20_000 {
        let mut text = PREFIXES[pick(PREFIXES.len())].to_owned();
        // Mostly near a UK number's length, mostly a mobile's first digit.
        let length = 8 + pick(5);
        let parenthesised = pick(10) == 0;
        if parenthesised {
            text.push('(');
        }
        for at in 0..length {
            if at > 0 && pick(10) < 2 {
                text.push_str(MARKS[pick(MARKS.len())]);
            }
            if parenthesised && at == 3 {
                text.push(')');
            }
            let first_mobile = at == 0 && pick(2) == 0;
            text.push(if first_mobile { '7' } else { char::from(b'0' + pick(10) as u8) });
        }
        for region in [Region::US, Region::CA, Region::GB] {
            let (fast, ok) = compare(&text, region);
            quick += usize::from(fast);
            valid += usize::from(ok);
        }
    }
    println!("{quick} read quickly, {valid} valid");
    assert!(quick > 3_000 && valid > 1_000, "{quick} read quickly, {valid} valid");
}

#[test]
fn reads_the_usual_layouts() {
    let mobile = || Some(Reading { code: 44, national: "7911123456".to_owned() });
    for text in ["07911 123456", "+44 7911 123456", "0044 7911 123456", "+44 (0)7911 123456", "447911123456"] {
        assert_eq!(read(text, true), mobile(), "{text}");
    }
    assert_eq!(read("+44 7911 123456", false), mobile());
    assert_eq!(read("07911 123456", false), None, "a national number outside the UK");
    assert_eq!(read("+447911-123456", true), None, "the general parser takes 447911 for the country code");
    assert_eq!(read("+44 1632 960000", false), None, "North America's national prefix would cut it");
}

/// Every layout of bench/make_list.py's UK and mixed lists takes a quick path, in the region
/// each is imported in.
#[test]
fn the_layouts_of_uk_and_mixed_lists_are_read_quickly() {
    for text in [
        "07911 123456",
        "07911123456",
        "07911-123456",
        "07911 123 456",
        "0791 112 3456",
        "+44 7911 123456",
        "+447911123456",
        "+44 (0)7911 123456",
        "0044 7911 123456",
        "447911123456",
    ] {
        assert!(read(text, true).is_some(), "{text}");
    }
    for text in ["+447911123456", "+44 7911 123456", "+44 7911 123 456", "+44-7911-123456"] {
        assert!(read(text, false).is_some(), "{text}");
    }
    for text in ["+14165550123", "+1 416 555 0123", "+1 (416) 555-0123", "+1-416-555-0123"] {
        assert!(super::super::nanp::national(text, true).is_some(), "{text}");
    }
}

/// What the quick reading takes from the metadata without reading it there: should a new
/// version of the metadata change any of it, this fails before the readings differ.
#[test]
fn the_metadata_has_the_prefixes_the_reading_assumes() {
    let gb = DATABASE.by_id("GB").unwrap();
    assert_eq!(gb.country_code(), 44);
    assert_eq!(gb.international_prefix().map(|p| p.as_str()), Some("00"));
    assert_eq!(gb.national_prefix(), Some("0"));
    assert_eq!(gb.national_prefix_for_parsing().map(|p| p.as_str()), Some("0|180020"));
    assert_eq!(gb.national_prefix_transform_rule(), None);
    assert!(gb.descriptors().general().possible_length().iter().all(|&length| length <= 10));
    assert!(DATABASE.region(&4).is_none(), "no country code 4: +44 is the UK's");
    for region in ["US", "CA"] {
        let meta = DATABASE.by_id(region).unwrap();
        assert_eq!(meta.international_prefix().map(|p| p.as_str()), Some("011"), "{region}");
        assert_eq!(meta.national_prefix(), Some("1"), "{region}");
        assert!(meta.national_prefix_for_parsing().is_none(), "{region}");
    }
}
