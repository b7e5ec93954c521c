//! The reference table of opt-out behaviour, row by row, as test vectors; and DESIGN.md's reading
//! of replies that are not the first response.

use optout_rules::{
    decide, AccountOptOut as A, ConfirmationSender as C, DeliveryBlocked as D, Keyword, Provider, ReviewReason,
    RuleSet, Situation, UserAction as U,
};

fn at(provider: Provider, auto_opt_outs: bool, first_response: bool) -> Situation {
    Situation { provider, auto_opt_outs, first_response, rule_set: RuleSet::Reference, canadian_contact: false }
}

type Row = (Situation, A, bool, D, C, U);

/// Auto opt-outs, provider → account opt-out, provider opt-out, delivery blocked, confirmation,
/// user action. The first four rows are the vendor article's table, word for word.
fn table() -> Vec<Row> {
    use Provider::{One, Two};
    vec![
        (at(One, true, true), A::Immediate, false, D::Yes, C::Account, U::None),
        (at(One, false, true), A::None, false, D::No, C::None, U::ManualOptOut),
        (at(Two, true, true), A::Immediate, true, D::Yes, C::Provider, U::None),
        (at(Two, false, true), A::Deferred, true, D::Partially, C::Provider, U::ManualOptOut),
        // Not the first response: the account's automatic opt-out does not fire; Provider 2's does.
        (at(One, true, false), A::None, false, D::No, C::None, U::ManualOptOut),
        (at(One, false, false), A::None, false, D::No, C::None, U::ManualOptOut),
        (at(Two, true, false), A::Deferred, true, D::Partially, C::Provider, U::ManualOptOut),
        (at(Two, false, false), A::Deferred, true, D::Partially, C::Provider, U::ManualOptOut),
    ]
}

#[test]
fn every_keyword_of_each_list_follows_the_table() {
    let every_list = table().into_iter().flat_map(|row| {
        let (s, ..) = row;
        [(s, false), (s, true)].into_iter().flat_map(move |(s, canadian_contact)| {
            RuleSet::ALL.map(|rule_set| {
                let mut row = row;
                row.0 = Situation { rule_set, canadian_contact, ..s };
                row
            })
        })
    });
    for (situation, account, provider_opt_out, delivery, confirmation, action) in every_list {
        for &keyword in situation.keywords() {
            for reply in
                [keyword.as_str().to_owned(), keyword.as_str().to_lowercase(), format!(" {}! ", keyword.as_str())]
            {
                let d = decide(&reply, situation);
                let what = format!("{reply:?} in {situation:?}");
                assert_eq!(d.keyword, Some(keyword), "{what}");
                assert_eq!(d.account_opt_out, account, "{what}");
                assert_eq!(d.provider_opt_out, provider_opt_out, "{what}");
                assert_eq!(d.delivery_blocked, delivery, "{what}");
                assert_eq!(d.confirmation_sent_by, confirmation, "{what}");
                assert_eq!(d.user_action, action, "{what}");
                assert_eq!(d.review_reason, None, "{what}");
                assert!(!d.provider_opt_in, "{what}");
            }
        }
    }
}

#[test]
fn provider_twos_extra_keywords_are_review_cases_on_provider_one_under_the_reference_rule_set() {
    let reference =
        Situation::all().into_iter().filter(|s| s.provider == Provider::One && s.rule_set == RuleSet::Reference);
    for situation in reference {
        for reply in ["REVOKE", "optout", "Revoke.", "OPT OUT"] {
            let d = decide(reply, situation);
            assert_eq!(d.keyword, None, "{reply}");
            assert_eq!(d.account_opt_out, A::None, "{reply}");
            assert_eq!(d.user_action, U::Review, "{reply}");
            assert_eq!(d.review_reason, Some(ReviewReason::OptOutRequest), "{reply}");
        }
    }
    let uk = at(Provider::Two, true, true);
    assert_eq!(decide("REVOKE", uk).keyword, Some(Keyword::Revoke));
    assert_eq!(decide("OPT OUT", uk).user_action, U::Review, "two words are never a keyword");
}

#[test]
fn review_never_opts_out_and_never_blocks() {
    for situation in Situation::all() {
        for reply in ["please stop texting me", "take me off your list", "STOP STOP", "stpo", "wrong number", "STOP 🛑"]
        {
            let d = decide(reply, situation);
            assert_eq!((d.account_opt_out, d.provider_opt_out, d.delivery_blocked), (A::None, false, D::No), "{reply}");
            assert_eq!(d.confirmation_sent_by, C::None, "{reply}");
            assert_eq!(d.user_action, U::Review, "{reply}");
            assert!(d.review_reason.is_some(), "{reply}");
        }
    }
}

#[test]
fn start_lifts_only_provider_twos_block_and_help_is_no_opt_out() {
    for situation in Situation::all() {
        for reply in ["START", "unstop", "Start."] {
            let d = decide(reply, situation);
            assert_eq!(d.provider_opt_in, situation.provider == Provider::Two, "{reply} {situation:?}");
            assert_eq!((d.account_opt_out, d.provider_opt_out, d.user_action), (A::None, false, U::None));
        }
        for reply in ["HELP", "info", "Help?"] {
            let d = decide(reply, situation);
            assert_eq!(
                (d.keyword, d.account_opt_out, d.provider_opt_out, d.provider_opt_in),
                (None, A::None, false, false)
            );
            assert_eq!(d.user_action, U::None, "{reply}");
        }
    }
}

#[test]
fn ordinary_replies_change_nothing() {
    for situation in Situation::all() {
        for reply in ["I'm in!", "What time does it start?", "Can't stop smiling", "", "   ", "🛑"] {
            let d = decide(reply, situation);
            assert_eq!(
                (d.keyword, d.account_opt_out, d.provider_opt_out, d.user_action),
                (None, A::None, false, U::None),
                "{reply:?}"
            );
            assert_eq!(d.review_reason, None, "{reply:?}");
        }
    }
}

#[test]
fn explanations_cite_the_rule_and_warn_about_loose_matches() {
    let us = at(Provider::One, true, true);
    let exact = decide("STOP", us).explain().explanation;
    assert!(exact.contains("opts the number out at once"), "{exact}");
    assert!(
        exact.contains(
            "Rule: Provider 1 (US/CA), automatic opt-outs on, rule set Reference keywords (reference@1), keyword as \
             first response."
        ),
        "{exact}"
    );
    assert!(!exact.contains("might not act"), "{exact}");

    let trimmed = decide("cancel.", us).explain().explanation;
    assert!(trimmed.contains("trimming") && trimmed.contains("might not act"), "{trimmed}");
    let unicode = decide("ＳＴＯＰ", us).explain().explanation;
    assert!(unicode.contains("Unicode normalisation") && unicode.contains("might not act"), "{unicode}");

    let deferred = decide("STOP", at(Provider::Two, false, true)).explain().explanation;
    assert!(deferred.contains("deferred") && deferred.contains("same sender number"), "{deferred}");
    let later = decide("STOP", at(Provider::One, true, false)).explain().explanation;
    assert!(later.contains("first response only") && later.contains("by hand"), "{later}");
}

#[test]
fn the_preview_highlights_the_keyword_as_written() {
    let p = optout_rules::preview("«Cancel!»");
    let h = p.highlight.expect("a keyword");
    assert_eq!((h.before.as_str(), h.matched.as_str(), h.after.as_str()), ("«", "Cancel", "!»"));
    assert!(optout_rules::preview("please cancel").highlight.is_none());
    // REVOKE is no keyword of Provider 1 but is one of Provider 2: still highlighted.
    assert!(optout_rules::preview("revoke").highlight.is_some());
}

#[test]
fn json_uses_the_documented_keys_and_spellings() {
    let json = serde_json::to_string(&decide("Stop.", at(Provider::Two, false, true)).explain()).expect("serialises");
    for needle in [
        r#""keyword":"STOP""#,
        r#""account_opt_out":"deferred""#,
        r#""provider_opt_out":true"#,
        r#""delivery_blocked":"partially""#,
        r#""confirmation_sent_by":"provider""#,
        r#""user_action":"manual_opt_out""#,
        r#""review_reason":null"#,
        r#""rule_set":"reference""#,
        r#""rule_set_version":"reference@1""#,
        r#""explanation":"#,
    ] {
        assert!(json.contains(needle), "{needle} in {json}");
    }
}

#[test]
fn review_decisions_name_the_construction_they_read() {
    let us = at(Provider::One, true, true);
    let d = decide("Ya no quiero recibir sus mensajes", us);
    assert_eq!(d.review_pattern, Some(optout_rules::ReviewPattern::DoesNotWant));
    let explanation = d.explain().explanation;
    assert!(explanation.contains("reads as a wish not to receive the messages"), "{explanation}");
    assert_eq!(decide("STOP", us).review_pattern, None);
    assert_eq!(decide("see you Saturday", us).review_pattern, None);
    let json = serde_json::to_string(&decide("Mauvais numéro", us)).expect("serialises");
    assert!(
        json.contains(r#""review_reason":"wrong_number""#) && json.contains(r#""review_pattern":"wrong_number_words""#)
    );
}

#[test]
fn every_review_reason_has_a_rule_code_and_an_explanation() {
    let us = at(Provider::One, true, true);
    for (reply, reason) in [
        ("please stop texting me", ReviewReason::OptOutRequest),
        ("wrong number", ReviewReason::WrongNumber),
        ("My husband passed away", ReviewReason::Deceased),
        ("You're texting a minor", ReviewReason::Minor),
    ] {
        let d = decide(reply, us);
        assert_eq!(d.review_reason, Some(reason), "{reply}");
        assert_eq!(d.rule.code(), format!("review_{}", reason.as_str()), "{reply}");
        assert!(!reason.description().is_empty());
        assert!(d.explain().explanation.contains("(review)"), "{reply}");
    }
}
