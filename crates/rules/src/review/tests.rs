use super::*;

fn reason(reply: &str) -> Option<ReviewReason> {
    review_reason(reply)
}

#[test]
fn take_me_off_needs_a_list_or_nothing() {
    assert_eq!(reason("Take me off"), Some(ReviewReason::OptOutRequest));
    assert_eq!(reason("take me off your texting list"), Some(ReviewReason::OptOutRequest));
    assert_eq!(reason("Take me off your f… list"), Some(ReviewReason::OptOutRequest));
    assert_eq!(reason("Take me off the waitlist please"), None);
}

#[test]
fn negation_turns_a_stop_verb_round_unless_it_complains() {
    assert_eq!(reason("Please don't stop texting me updates"), None);
    assert_eq!(reason("Stop texting me updates"), Some(ReviewReason::OptOutRequest));
    assert_eq!(reason("Why won't you stop texting me?"), Some(ReviewReason::OptOutRequest));
    assert_eq!(reason("No dejen de escribirnos"), None);
}

#[test]
fn the_strongest_reason_wins() {
    assert_eq!(reason("Wrong number, stop texting me"), Some(ReviewReason::OptOutRequest));
    assert_eq!(reason("Wrong number"), Some(ReviewReason::WrongNumber));
    assert_eq!(reason("My dad died, stop texting his phone"), Some(ReviewReason::Deceased));
    assert_eq!(reason("She's 13, stop texting her"), Some(ReviewReason::Minor));
}

#[test]
fn reviews_say_what_matched_and_in_which_language() {
    let r = review("Je ne veux plus recevoir vos messages").expect("a request");
    assert_eq!(
        (r.pattern, r.language, r.matched.as_str()),
        (ReviewPattern::DoesNotWant, Language::French, "ne veux plus recevoir")
    );
    let r = review("STOP SVP").expect("a request");
    assert_eq!((r.pattern, r.language), (ReviewPattern::KeywordAlone, Language::French));
    let r = review("This is my daughter's phone, she's 13").expect("a minor");
    assert_eq!(
        (r.reason, r.pattern, r.matched.as_str()),
        (ReviewReason::Minor, ReviewPattern::ChildsPhone, "daughter's phone")
    );
    let json = serde_json::to_string(&r).expect("serialises");
    assert!(json.contains(r#""reason":"minor""#) && json.contains(r#""language":"en""#), "{json}");
}

#[test]
fn ordinary_uses_of_stop_words_are_no_request() {
    for reply in [
        "End. Of. Story. She's getting my vote.",
        "Stop! You're making me blush 😊",
        "Alto al fuego ya",
        "Arrête de mentir",
        "Fin de semana",
        "Stop by the office",
        "I quit my job",
    ] {
        assert_eq!(reason(reply), None, "{reply}");
    }
}

#[test]
fn a_stop_verb_waits_for_its_de_past_a_ya_and_a_number_names_its_old_owner() {
    assert_eq!(reason("PARA YA DE ESCRIBIRME"), Some(ReviewReason::OptOutRequest));
    assert_eq!(reason("para ya de mentir"), None);
    assert_eq!(reason("Este ya no es el número de mi hermano"), Some(ReviewReason::WrongNumber));
    assert_eq!(reason("¿Es el número de mi hermano el que tienen?"), None);
    assert_eq!(reason("annuler mon abonnement"), Some(ReviewReason::OptOutRequest));
    assert_eq!(reason("Il faut annuler la réunion"), None);
}
