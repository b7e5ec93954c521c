//! Rule sets: the keywords each account's automatic opt-outs act on, and how the preview shows
//! them side by side.

use optout_rules::{
    decide, preview, AccountOptOut as A, Keyword, Provider, ReviewReason, Rule, RuleSet, Situation, UserAction as U,
};

fn us(rule_set: RuleSet, canadian_contact: bool) -> Situation {
    Situation { provider: Provider::One, auto_opt_outs: true, first_response: true, rule_set, canadian_contact }
}

#[test]
fn the_revocation_words_opt_out_under_us_2025_only() {
    for reply in ["REVOKE", "revoke.", "OPTOUT", "optout", "OPT OUT", "Opt-Out", "opt out!"] {
        let reference = decide(reply, us(RuleSet::Reference, false));
        assert_eq!((reference.account_opt_out, reference.user_action), (A::None, U::Review), "{reply}");
        assert_eq!(reference.review_reason, Some(ReviewReason::OptOutRequest), "{reply}");

        let us_2025 = decide(reply, us(RuleSet::Us2025, false));
        assert_eq!((us_2025.account_opt_out, us_2025.user_action), (A::Immediate, U::None), "{reply}");
        assert!(matches!(us_2025.keyword, Some(Keyword::Revoke | Keyword::OptOut)), "{reply}");
        assert_eq!(us_2025.rule, Rule::AutomaticOptOut, "{reply}");
    }
}

#[test]
fn opt_out_in_two_words_is_no_keyword_of_provider_two() {
    for rule_set in RuleSet::ALL {
        let uk = Situation { provider: Provider::Two, ..us(rule_set, false) };
        let d = decide("OPT OUT", uk);
        assert_eq!((d.keyword, d.provider_opt_out, d.user_action), (None, false, U::Review), "{rule_set}");
        assert_eq!(decide("OPTOUT", uk).keyword, Some(Keyword::OptOut), "{rule_set}");
    }
}

#[test]
fn arret_opts_out_canadian_contacts_under_us_2025() {
    for reply in ["ARRET", "Arrêt", "ARRÊT!", "arret"] {
        let canadian = decide(reply, us(RuleSet::Us2025, true));
        assert_eq!((canadian.keyword, canadian.account_opt_out), (Some(Keyword::Arret), A::Immediate), "{reply}");
        assert!(canadian.explain().explanation.contains("Canadian"), "{reply}");

        for situation in [us(RuleSet::Us2025, false), us(RuleSet::Reference, true), us(RuleSet::Reference, false)] {
            let d = decide(reply, situation);
            assert_eq!((d.keyword, d.account_opt_out, d.user_action), (None, A::None, U::Review), "{reply}");
            assert_eq!(d.rule, Rule::UnlistedKeyword(Keyword::Arret), "{reply}");
        }
    }
}

#[test]
fn decisions_record_the_rule_set_and_its_version() {
    for situation in Situation::all() {
        let d = decide("STOP", situation);
        assert_eq!((d.rule_set, d.rule_set_version), (situation.rule_set, situation.rule_set.version()));
        let explanation = d.explain().explanation;
        assert!(explanation.contains(situation.rule_set.version()), "{explanation}");
        assert!(explanation.contains(situation.rule_set.label()), "{explanation}");
    }
    let json = serde_json::to_string(&decide("revoke", us(RuleSet::Us2025, false)).explain()).expect("serialises");
    assert!(json.contains(r#""rule_set":"us_2025""#) && json.contains(r#""rule_set_version":"us_2025@1""#), "{json}");
}

#[test]
fn the_reference_rule_set_is_the_vendors_table() {
    let stop_words = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"];
    for situation in Situation::all() {
        for word in stop_words {
            assert!(decide(word, situation).keyword.is_some(), "{word} in {situation:?}");
        }
    }
}

#[test]
fn the_preview_lays_rule_sets_side_by_side() {
    let p = preview("Opt out");
    assert_eq!(p.rule_sets, RuleSet::ALL);
    assert_eq!(p.cells.len(), 12);
    assert_eq!(p.outcomes().count(), Situation::all().len());
    for (outcome, situation) in p.outcomes().zip(Situation::all()) {
        assert_eq!(outcome.decision.situation, situation);
    }
    for cell in &p.cells {
        assert_eq!(cell.outcomes.len(), RuleSet::ALL.len());
        for (outcome, rule_set) in cell.outcomes.iter().zip(RuleSet::ALL) {
            let s = outcome.decision.situation;
            assert_eq!(
                (s.provider, s.auto_opt_outs, s.first_response),
                (cell.provider, cell.auto_opt_outs, cell.first_response)
            );
            assert_eq!((s.canadian_contact, s.rule_set), (cell.canadian_contact, rule_set));
        }
        // Only Provider 1 takes OPT OUT, and only under the 2025 rule set.
        assert_eq!(cell.rule_sets_differ, cell.provider == Provider::One, "{cell:?}");
    }
    assert!(p.cells.iter().all(|c| c.provider == Provider::One || !c.canadian_contact), "UK rows are for UK contacts");
    assert_eq!(p.highlight.expect("a keyword of the 2025 list").matched, "Opt out");

    let same = preview("STOP");
    assert!(same.cells.iter().all(|c| !c.rule_sets_differ));
    let json = serde_json::to_value(&same).expect("serialises");
    assert_eq!(json["rule_sets"], serde_json::json!(["reference", "us_2025"]));
    assert_eq!(json["cells"][0]["outcomes"][1]["rule_set"], "us_2025");
}
