//! The review flag on the kinds of reply the last unseen set showed it missing or flagging
//! wrongly, one or more of each, and on what it must say about them.

use optout_rules::{review, review_reason, Language, ReviewPattern, ReviewReason};

fn reason(reply: &str) -> Option<ReviewReason> {
    review_reason(reply)
}

#[test]
fn french_and_spanish_requests_and_keywords() {
    for reply in [
        "ARRÊT",
        "Arret",
        "STOP SVP",
        "Retirez-moi de votre liste",
        "Je ne veux plus recevoir…",
        "Darme de baja",
        "Quítenme de su lista",
        "No me manden más mensajes",
        "Ne m'écrivez plus",
    ] {
        assert_eq!(reason(reply), Some(ReviewReason::OptOutRequest), "{reply}");
    }
}

#[test]
fn formal_or_long_english_abbreviations_and_profanity() {
    for reply in [
        "I do not wish to receive further texts from your organisation",
        "I don't want to receive any more messages from you",
        "Rmv",
        "Take me off your f… list",
        "Take me off your fucking list",
    ] {
        assert_eq!(reason(reply), Some(ReviewReason::OptOutRequest), "{reply}");
    }
}

#[test]
fn wrong_numbers_phrased_other_ways() {
    for reply in [
        "número equivocado",
        "mauvais numéro",
        "aquí no vive ningún Ernesto",
        "this number used to belong to someone else",
        "she changed her number",
        "nobody named Tyler lives here",
        "I don't know who Kevin is",
    ] {
        assert_eq!(reason(reply), Some(ReviewReason::WrongNumber), "{reply}");
    }
}

#[test]
fn the_deceased_and_children_are_reasons_of_their_own() {
    assert_eq!(reason("my husband passed away, this was his number"), Some(ReviewReason::Deceased));
    assert_eq!(reason("Mi esposa falleció"), Some(ReviewReason::Deceased));
    assert_eq!(reason("this is my daughter's phone, she's 13"), Some(ReviewReason::Minor));
    assert_eq!(reason("Il est mineur"), Some(ReviewReason::Minor));
    for reason in ReviewReason::ALL {
        assert_eq!(reason.is_wrong_person(), reason != ReviewReason::OptOutRequest);
    }
}

#[test]
fn ordinary_uses_of_stop_words_are_no_request() {
    for reply in [
        "End. Of. Story. She's getting my vote.",
        "Stop! You're making me blush 😊",
        "Stop the cuts to our schools!",
        "Alto al fuego",
        "Fin de semana",
        "Arrête de mentir, monsieur le maire",
        "I had to quit my job",
        "Cancel the rally? No way!",
    ] {
        assert_eq!(reason(reply), None, "{reply}");
    }
}

#[test]
fn the_flag_says_what_it_matched_and_in_which_language() {
    let cases = [
        ("Take me off your f… list", ReviewPattern::RemoveFromList, "Take me off your f… list", Language::English),
        ("Por favor dejen de escribirme", ReviewPattern::StopMessages, "dejen de escribirme", Language::Spanish),
        (
            "Je ne souhaite plus être contacté",
            ReviewPattern::DoesNotWant,
            "ne souhaite plus être contacté",
            Language::French,
        ),
        ("Número equivocado, perdón", ReviewPattern::WrongNumberWords, "Número equivocado", Language::Spanish),
        ("Nobody named Tyler lives here", ReviewPattern::NotThisPerson, "Nobody named Tyler", Language::English),
    ];
    for (reply, pattern, matched, language) in cases {
        let r = review(reply).unwrap_or_else(|| panic!("{reply} is flagged"));
        assert_eq!((r.pattern, r.matched.as_str(), r.language), (pattern, matched, language), "{reply}");
        assert_eq!(r.reason, pattern.reason(), "{reply}");
        assert!(!pattern.description().is_empty() && !pattern.as_str().is_empty());
    }
}

#[test]
fn a_reply_far_longer_than_an_sms_still_gets_an_answer() {
    let long = format!("{}please stop texting me", "la la la ".repeat(200_000));
    // Read to its first 16 KiB: the request at the end of 1.8 MB is not seen.
    assert_eq!(reason(&long), None);
    let early = format!("please stop texting me {}", "don't stop ".repeat(200_000));
    assert_eq!(reason(&early), Some(ReviewReason::OptOutRequest));
}
