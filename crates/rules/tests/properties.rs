//! Properties of normalisation and decisions over generated input.

use optout_rules::{decide, is_trimmable, match_word, normalize, preview, review, Keyword, Situation};
use proptest::prelude::*;

fn any_situation() -> impl Strategy<Value = Situation> {
    (0..Situation::all().len()).prop_map(|i| Situation::all()[i])
}

fn any_keyword() -> impl Strategy<Value = Keyword> {
    (0..Keyword::ALL.len()).prop_map(|i| Keyword::ALL[i])
}

/// Whitespace, ASCII and Unicode punctuation, and invisible characters.
fn surrounding() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop::sample::select(vec![
            ' ', '\t', '\n', '.', '!', '?', ',', '"', '\'', '(', ')', '«', '»', '“', '”', '¡', '¿', '。', '…', '—',
            '\u{200b}', '\u{a0}',
        ]),
        0..4,
    )
    .prop_map(|chars| chars.into_iter().collect())
}

/// Words and marks the review rules read, in three languages.
fn salad_word() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "stop",
        "Stop",
        "no",
        "not",
        "don't",
        "me",
        "my",
        "you",
        "de",
        "la",
        "texting",
        "texts",
        "remove",
        "take",
        "off",
        "list",
        "number",
        "wrong",
        "who",
        "is",
        "Sam",
        "her",
        "he",
        "13",
        "years",
        "old",
        "passed",
        "away",
        "died",
        "ne",
        "plus",
        "pas",
        "arrêtez",
        "m'écrire",
        "quítenme",
        "mi",
        "número",
        "want",
        "receive",
        "never",
        "signed",
        "up",
        "spam",
        "report",
        "à",
        "ya",
        "más",
        "mensajes",
        "baja",
        "en",
        "veux",
        "this",
        "phone",
        "son's",
        "a",
        "kid",
        "by",
        "that",
        "name",
        "nobody",
        "here",
        "lives",
        "f…",
        "f***ing",
        "😊",
        "lol",
        ",",
        ".",
        "?",
        "!",
        "-",
        "opt",
        "out",
        "why",
        "won't",
        "can",
        "so",
        "heard",
        "of",
        "with",
        "us",
        "longer",
        "8th",
        "grade",
    ])
}

/// The keyword in an arbitrary mix of upper and lower case.
fn cased(keyword: Keyword, mask: u16) -> String {
    keyword
        .as_str()
        .chars()
        .enumerate()
        .map(|(i, c)| if mask >> (i % 16) & 1 == 1 { c } else { c.to_ascii_lowercase() })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn normalisation_is_idempotent(text in "\\PC{0,24}") {
        let once = normalize(&text);
        prop_assert_eq!(normalize(&once), once.clone());
    }

    #[test]
    fn normalisation_leaves_nothing_trimmable_at_the_ends(text in "\\PC{0,24}") {
        let n = normalize(&text);
        prop_assert!(!n.starts_with(is_trimmable) && !n.ends_with(is_trimmable), "{:?}", n);
    }

    #[test]
    fn case_and_surrounding_punctuation_never_change_the_decision(
        keyword in any_keyword(),
        mask in any::<u16>(),
        before in surrounding(),
        after in surrounding(),
        situation in any_situation(),
    ) {
        let plain = decide(keyword.as_str(), situation);
        let dressed = format!("{before}{}{after}", cased(keyword, mask));
        let d = decide(&dressed, situation);
        prop_assert_eq!(
            (d.keyword, d.account_opt_out, d.provider_opt_out, d.delivery_blocked, d.confirmation_sent_by, d.user_action, d.review_reason),
            (plain.keyword, plain.account_opt_out, plain.provider_opt_out, plain.delivery_blocked, plain.confirmation_sent_by, plain.user_action, plain.review_reason),
            "{:?}", dressed
        );
    }

    #[test]
    fn case_never_changes_the_decision_of_any_reply(text in "[a-zA-Z .!?']{0,30}", situation in any_situation()) {
        let lower = decide(&text.to_lowercase(), situation);
        let upper = decide(&text.to_uppercase(), situation);
        prop_assert_eq!(lower.keyword, upper.keyword);
        prop_assert_eq!(lower.account_opt_out, upper.account_opt_out);
        // A request to stop is one in any case; only the wrong-number reading may hang on a
        // capitalised name ("This isn't Sam").
        let asks = |d: &optout_rules::Decision| d.review_reason == Some(optout_rules::ReviewReason::OptOutRequest);
        prop_assert_eq!(asks(&lower), asks(&upper), "{:?}", text);
    }

    #[test]
    fn the_ascii_fast_path_agrees_with_the_unicode_path(keyword in any_keyword(), mask in any::<u16>(), before in "[ .!?,]{0,3}", after in "[ .!?,]{0,3}") {
        let ascii = format!("{before}{}{after}", cased(keyword, mask));
        // A trailing no-break space sends the same reply down the Unicode path.
        let unicode = format!("{ascii}\u{a0}");
        prop_assert_eq!(match_word(&ascii).map(|m| m.word), match_word(&unicode).map(|m| m.word));
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..256), situation in any_situation()) {
        let text = String::from_utf8_lossy(&bytes);
        let d = decide(&text, situation);
        // A review flag never opts anybody out by itself.
        if d.review_reason.is_some() {
            prop_assert_eq!(d.account_opt_out, optout_rules::AccountOptOut::None);
        }
        let _ = d.explain();
    }

    /// Replies made of the words the review rules hang on, in any order: every construction's
    /// reading of the words around it stays inside the reply.
    #[test]
    fn word_salads_never_panic_and_quote_the_reply(words in proptest::collection::vec(salad_word(), 0..14)) {
        let reply = words.join(" ");
        if let Some(r) = review(&reply) {
            prop_assert!(!r.matched.is_empty(), "{:?}", reply);
            prop_assert!(reply.contains(&r.matched), "{:?} not in {:?}", r.matched, reply);
        }
        let _ = decide(&reply, Situation::all()[0]).explain();
    }

    #[test]
    fn arbitrary_unicode_never_panics_in_the_preview(text in "\\PC{0,64}") {
        if let Some(r) = review(&text) {
            prop_assert!(text.contains(&r.matched), "{:?} not in {:?}", r.matched, text);
        }
        let p = preview(&text);
        prop_assert_eq!(p.outcomes().count(), Situation::all().len());
        if let Some(h) = p.highlight {
            prop_assert_eq!(format!("{}{}{}", h.before, h.matched, h.after), text);
        }
    }
}
