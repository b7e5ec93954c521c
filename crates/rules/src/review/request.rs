//! Requests to stop: the grammar of asking, over concepts, for English, Spanish and French.
//!
//! Each rule is a construction people use to ask, with a verb and what it is aimed at: a stop
//! verb and the messages ("stop texting me", "dejen de escribirme", "arrêtez de m'écrire"); a
//! removal and the contact ("take me off your list", "quítenme de su lista", "retirez-moi"); a
//! negated wish and receiving ("I do not wish to receive", "ya no quiero recibir", "je ne veux
//! plus recevoir"). Refusals ("don't text me", "no me escriban", "ne m'écrivez plus", "I never
//! signed up") are in `refusal.rs`. A stop verb aimed at anything else ("stop the war", "arrête
//! de mentir") asks nothing.

use super::clause::Clause;
use super::lexicon::Concepts as C;
use super::refusal;
use super::{Found, ReplyCues, ReviewPattern as P};

/// The first construction of the clause that asks to stop.
pub(super) fn asks_to_stop(c: &Clause<'_>, cues: &ReplyCues) -> Option<Found> {
    if c.any(C::KEYWORD) {
        if let Some(f) = keyword_alone(c, cues) {
            return Some(f);
        }
    }
    RULES.iter().filter(|(needs, _)| c.any(*needs)).find_map(|(_, rule)| rule(c))
}

type Rule = fn(&Clause<'_>) -> Option<Found>;

/// The constructions after the bare stop word, each with the concepts it cannot do without.
const RULES: &[(C, Rule)] = &[
    (C::STRONG.or(C::IDIOM).or(C::KEYWORD), opt_out_word),
    (C::CEASE.or(C::CEASE_DE), stop_messages),
    (C::REMOVE, remove_me),
    (C::TAKE.or(C::OFF), take_me_off),
    (C::OFF, turn_off),
    (C::WANT, does_not_want),
    (C::NEG, refusal::do_not_contact),
    (C::NEG.or(C::NEG_POST), refusal::no_more_messages),
    (C::NEG_POST, refusal::contact_me_no_more),
    (C::LEAVE.or(C::IDIOM).or(C::OFF), refusal::leave_me_alone),
    (C::CONSENT.or(C::SIGNUP).or(C::GIVE), refusal::no_consent),
    (C::SPAM.or(C::REPORT), refusal::spam_complaint),
    (C::FEDUP, refusal::fed_up),
    (C::ASKED, refusal::asked_before),
    (C::ASKED, refusal::never_asked),
    (C::UNDERSTAND, refusal::not_understood),
];

fn found(pattern: P, first: usize, last: usize) -> Option<Found> {
    Some(Found { pattern, first, last })
}

/// "Stop", "Arrêt svp", "Basta ya", "🛑 STOP 🛑": a stop word and nothing but filler. Banter
/// ("Stop! You're making me blush 😊", "lol stop") and "End. Of. Story." ask nothing.
fn keyword_alone(c: &Clause<'_>, cues: &ReplyCues) -> Option<Found> {
    let tokens = c.tokens();
    if !c.any(C::KEYWORD) || cues.playful {
        return None;
    }
    if !tokens.iter().all(|t| t.is(C::FILLER.or(C::KEYWORD).or(C::SKIP))) {
        return polite_stop_at_end(c).or_else(|| polite_stop_first(c));
    }
    // "stp" is French for please: a stop word only when it stands alone, misspelt English.
    let keywords = (0..c.len()).filter(|&i| c.is(i, C::KEYWORD) && c.word(i) != "stp").count();
    if keywords == 0 && c.len() > 1 {
        return None;
    }
    // "No paren", "Ne stoppez pas": in Spanish and French a negation before the verb forbids
    // stopping. English "No stop" is "no, stop".
    let forbidden = (1..c.len()).any(|i| c.is(i, C::KEYWORD) && c.word(i) != "stop" && c.is(i - 1, C::NEG));
    if forbidden {
        return None;
    }
    let reads_on = matches!(c.following_word(), "of" | "de" | "du" | "del");
    if reads_on && c.is(c.len() - 1, C::KEYWORD) {
        return None;
    }
    found(P::KeywordAlone, 0, c.len() - 1)
}

/// "Please" in any of the three languages, as contacts write it.
fn is_please(word: &str) -> bool {
    matches!(
        word,
        "please" | "pls" | "plz" | "plis" | "kindly" | "porfa" | "favor" | "porfavor" | "xfa" | "svp" | "stp"
    )
}

/// "I'm not interested anymore please stop", "ya voté por favor paren": a clause that runs on
/// to "please" and a stop word at its end, as if a comma stood before them.
fn polite_stop_at_end(c: &Clause<'_>) -> Option<Found> {
    let last = (0..c.len()).rev().find(|&i| !c.is(i, C::FILLER) || c.is(i, C::KEYWORD))?;
    if !c.is(last, C::KEYWORD) || c.word(last) == "stp" {
        return None;
    }
    let please = c.prev(last).filter(|&p| {
        is_please(c.word(p))
            // "For the love of god stop", "for heaven's sake stop".
            || matches!(c.word(p), "god" | "gods" | "lord" | "christ" | "jesus" | "sake" | "heavens" | "pete")
    })?;
    let por = c.prev(please).filter(|&p| c.word(please) == "favor" && c.word(p) == "por");
    found(P::KeywordAlone, por.unwrap_or(please), last)
}

/// "Arrêtez svp j'en reçois trop", "Stop please I get too many": a stop verb and "please" open
/// the clause, and the reason follows.
fn polite_stop_first(c: &Clause<'_>) -> Option<Found> {
    let please = c.next(0).filter(|&p| is_please(c.word(p)))?;
    let stop = c.is(0, C::KEYWORD) && c.is(0, C::CEASE) && c.word(0) != "stp";
    stop.then_some(Found { pattern: P::KeywordAlone, first: 0, last: please })
}

/// Warmth towards the sender in the clause: "you're too kind", "so sweet", "I love this", "love
/// you", "me encanta", "qué lindo", "trop gentil", "j'adore". Not a sign-off ("Love, Mary"),
/// a wish ("I'd love it if you stopped"), or warmth denied ("I don't love this").
pub(super) fn warm(c: &Clause<'_>) -> bool {
    (0..c.len()).filter(|&i| c.is(i, C::AFFECT)).any(|i| {
        if c.negated(i) || c.any(C::CEASE.or(C::CONTACT).or(C::MESSAGES)) {
            return false;
        }
        let degree = c.prev(i).is_some_and(|p| {
            matches!(c.word(p), "too" | "so" | "very" | "such" | "how" | "really" | "youre" | "muy" | "tan" | "que")
                || matches!(c.word(p), "trop" | "si" | "tres" | "vraiment" | "es" | "me" | "j")
        });
        let wish = c.prev(i).is_some_and(|p| matches!(c.word(p), "id" | "would" | "wed" | "youd"));
        let object = c.next(i).is_some_and(|j| c.is(j, C::YOU.or(C::THIS)) || matches!(c.word(j), "it" | "ca"));
        !wish && (degree || object)
    })
}

/// UNSUBSCRIBE, désabonner, desuscribir, "opt me out", "opting out", "darme de baja".
fn opt_out_word(c: &Clause<'_>) -> Option<Found> {
    for i in 0..c.len() {
        if c.is(i, C::STRONG) && !c.negated(i) {
            return found(P::OptOutWord, i, i);
        }
        match c.word(i) {
            "opt" | "opting" | "opted" => {
                let out = c.after(i, 2).find(|&j| matches!(c.word(j), "out" | "outta"));
                if let Some(out) = out.filter(|&o| o == i + 1 || c.is(i + 1, C::SELF)) {
                    return found(P::OptOutWord, i, out);
                }
            }
            // "darme de baja", "quiero mi baja": "baja" names the opt-out.
            "baja" if i > 0 && matches!(c.word(i - 1), "de" | "la" | "mi" | "su") && !cancels_another(c, i) => {
                return found(P::OptOutWord, i - 1, i);
            }
            _ => {}
        }
    }
    None
}

/// Whether "de baja" at `i` ends something other than the messages: "me dieron de baja en el
/// trabajo", "di de baja mi membresía"; not "denme de baja de su lista", "den de baja mi número".
fn cancels_another(c: &Clause<'_>, i: usize) -> bool {
    let Some(next) = c.next(i) else { return false };
    let what = c.next(next).is_some_and(|k| !c.is(k, C::THING.or(C::LIST).or(C::MESSAGES)));
    c.word(next) == "en" || (c.is(next, C::MY.or(C::DET)) && what)
}

/// A stop verb aimed at the messages: "stop texting me", "cancel these texts", "dejen de
/// mandarme mensajes", "cessez de me contacter"; or the messages, then a stop verb that ends the
/// clause: "these texts have to stop".
fn stop_messages(c: &Clause<'_>) -> Option<Found> {
    // "Paren de", and "para ya de" with the "ya" in between; "parad ya con los mensajes".
    let de = |at: usize| matches!(c.word(at), "de" | "d" | "con");
    for i in 0..c.len() {
        let cease = c.is(i, C::CEASE) || (c.is(i, C::CEASE_DE) && (de(i + 1) || (c.word(i + 1) == "ya" && de(i + 2))));
        if !cease || cease_negated(c, i) {
            continue;
        }
        if let Some(j) = aimed_at_messages(c, i) {
            return found(P::StopMessages, i, through_messages(c, j));
        }
        if c.only_after(i, C::FILLER) {
            // "These texts have to stop"; "You guys need to stop", "tienen que parar".
            if let Some(j) = c.find_before(i, 4, C::MESSAGES.or(C::YOU)) {
                return found(P::StopMessages, j, i);
            }
            if let Some(j) = messages_pronoun_before(c, i) {
                return found(P::StopMessages, j, i);
            }
        }
    }
    None
}

/// A pronoun for the messages before the stop verb at `i` that ends its clause: "make these stop",
/// "why won't these stop", "he wants them to stop", "make it stop", "pour que ça arrête". Only
/// modal and linking words may stand between: "these politicians need to stop" is no request.
fn messages_pronoun_before(c: &Clause<'_>, i: usize) -> Option<usize> {
    let linking = |k: usize| {
        c.is(k, C::NEG)
            || matches!(
                c.word(k),
                "to" | "have"
                    | "has"
                    | "need"
                    | "needs"
                    | "must"
                    | "gotta"
                    | "will"
                    | "would"
                    | "should"
                    | "just"
                    | "ever"
                    | "finally"
                    | "do"
                    | "please"
            )
    };
    let j = c.before(i, 4).find(|&k| !linking(k))?;
    let after = |word: &str| c.prev(j).is_some_and(|p| c.word(p) == word);
    let pronoun = match c.word(j) {
        "these" | "them" | "those" => true,
        "it" => after("make"),
        // Not "il faut que ça arrête, les évictions": what must stop follows.
        "ca" | "cela" => after("que") && c.following.is_none(),
        "esto" | "eso" => after("que"),
        _ => false,
    };
    pronoun.then_some(j)
}

/// Whether a negation turns the stop verb at `i` round ("don't stop", "no dejen de"), unless the
/// negation is a complaint: "why won't you stop", "if you don't stop", "vous n'arrêtez pas de".
fn cease_negated(c: &Clause<'_>, i: usize) -> bool {
    let negation = c.find_before(i, 2, C::NEG).or_else(|| c.negated_after(i).then_some(i));
    // "I don't want to stop getting updates", "no quiero dejar de recibir": a wish not to stop.
    let unwanted = c.find_before(i, 3, C::WANT).is_some_and(|w| c.find_before(w, 3, C::NEG).is_some());
    if unwanted {
        return true;
    }
    let Some(n) = negation else { return false };
    let complaint = c.before(n, usize::MAX).any(|k| c.is(k, C::WHY))
        || c.prev(n).is_some_and(|k| c.is(k, C::YOU))
        || c.next(n).is_some_and(|k| c.is(k, C::YOU));
    !complaint
}

/// Where, after the verb at `i`, the messages or the sending of them stand.
fn aimed_at_messages(c: &Clause<'_>, i: usize) -> Option<usize> {
    for j in c.after(i, 5) {
        let t = c.token(j)?;
        if t.is(C::MESSAGES.or(C::CONTACT)) {
            return Some(j);
        }
        if t.is(C::SEND) {
            let aimed = t.is(C::SELF)
                || c.find_before(j, 2, C::SELF).is_some_and(|k| k > i)
                || c.find_after(j, 3, C::SELF.or(C::MESSAGES).or(C::THIS).or(C::MORE)).is_some()
                || c.next(j).is_none();
            return aimed.then_some(j);
        }
        if t.is(C::CONTACT_WEAK) {
            let owned =
                c.find_after(j, 2, C::MY.or(C::THIS)).and_then(|k| c.next(k)).is_some_and(|k| c.is(k, C::THING));
            // At the contact, or at nobody ("dejen de molestar"); not "stop harassing immigrants".
            // "dejen de molestar con sus mensajes": the bother is the messages.
            let with_messages = c
                .next(j)
                .filter(|&k| matches!(c.word(k), "with" | "w" | "con" | "avec"))
                .is_some_and(|k| c.find_after(k, 3, C::MESSAGES).is_some());
            let aimed = t.is(C::SELF)
                || c.find_before(j, 2, C::SELF).is_some_and(|k| k > i)
                || c.find_after(j, 2, C::SELF.or(C::MY)).is_some()
                || owned
                || with_messages
                || c.only_after(j, C::FILLER);
            return aimed.then_some(j);
        }
        if t.is(C::RECEIVE.or(C::GET)) {
            // "stop getting these", "stop receiving them"; not "stop getting involved".
            let aimed = c.next(j).is_none_or(|k| c.is(k, C::MESSAGES.or(C::THIS)) || c.word(k) == "them");
            if aimed {
                return Some(j);
            }
            continue;
        }
        if !t.is(C::DET.or(C::THIS).or(C::FROM).or(C::SELF).or(C::MY).or(C::MORE).or(C::FILLER)) {
            return None;
        }
    }
    None
}

/// The messages a sending verb at `j` names, if they follow ("m'envoyer des messages", "sending
/// me texts"), so that the matched words include them; else `j`.
fn through_messages(c: &Clause<'_>, j: usize) -> usize {
    let messages = c.after(j, 4).take_while(|&k| c.is(k, C::SELF.or(C::DET).or(C::FROM).or(C::MORE).or(C::MESSAGES)));
    messages.filter(|&k| c.is(k, C::MESSAGES)).last().unwrap_or(j)
}

/// A removal aimed at the contact: "remove me", "quítenme", "retirez-moi", "me retirer", "delete
/// my number", "borren mi número", "remove from list", "I want to be removed".
fn remove_me(c: &Clause<'_>) -> Option<Found> {
    for i in 0..c.len() {
        if !c.is(i, C::REMOVE) || c.negated(i) {
            continue;
        }
        // "Forget my number", "oubliez-moi"; not "I always forget my number".
        let forgets = matches!(c.word(i), "forget" | "olviden" | "olvida" | "olvidar" | "oubliez" | "oublier");
        if forgets && c.find_before(i, 2, C::I).is_some() {
            continue;
        }
        if c.is(i, C::SELF) {
            return found(P::RemoveFromList, i, through_list(c, i));
        }
        if let Some(j) = c.next(i).filter(|&j| c.is(j, C::SELF)) {
            return found(P::RemoveFromList, i, through_list(c, j));
        }
        // "I'm blocking you": the contact shuts the sender out.
        let blocks = matches!(c.word(i), "block" | "blocking" | "blocked" | "bloquear" | "bloqueo" | "bloquez");
        if let Some(j) = c.next(i).filter(|&j| blocks && c.is(j, C::YOU)) {
            return found(P::RemoveFromList, i, j);
        }
        if let Some(p) = c.prev(i).filter(|&p| matches!(c.word(p), "me" | "m" | "nous" | "nos")) {
            return found(P::RemoveFromList, p, through_list(c, i));
        }
        if let Some(j) = owned_thing_after(c, i).or_else(|| phone_number_after(c, i)) {
            return found(P::RemoveFromList, i, through_list(c, j));
        }
        let from_list = c.after(i, 6).take_while(|&j| !c.is(j, C::LIST)).any(|j| c.is(j, C::FROM));
        if let Some(j) = c.find_after(i, 6, C::LIST).filter(|_| from_list) {
            return found(P::RemoveFromList, i, j);
        }
        let passive = c.prev(i).is_some_and(|p| matches!(c.word(p), "be" | "being" | "get" | "etre" | "ser" | "sea"));
        if passive && c.any(C::WANT.or(C::I).or(C::LIST).or(C::SELF)) {
            return found(P::RemoveFromList, c.prev(i).unwrap_or(i), i);
        }
        if let Some(j) = c.find_before(i, 3, C::THING) {
            if c.prev(j).is_some_and(|k| c.is(k, C::MY.or(C::THIS))) {
                return found(P::RemoveFromList, j, i);
            }
        }
    }
    None
}

/// The list the removal at `j` names, if one follows ("de su lista", "from your list"), so that
/// the matched words include it; else `j`.
fn through_list(c: &Clause<'_>, j: usize) -> usize {
    let list =
        c.after(j, 4).take_while(|&k| c.is(k, C::DET.or(C::FROM).or(C::MY).or(C::LIST))).find(|&k| c.is(k, C::LIST));
    list.unwrap_or(j)
}

/// "my number", "this number", "mi número", "ce numéro", "my info" right after `i`.
fn owned_thing_after(c: &Clause<'_>, i: usize) -> Option<usize> {
    let owner = c.next(i).filter(|&j| c.is(j, C::MY.or(C::THIS)))?;
    c.next(owner).filter(|&j| c.is(j, C::THING))
}

/// A phone number written out right after `i`, perhaps after "the" or "this": "remove
/// 555-201-3387", "retirez le 06 12 34 56 78". Returns its last group of digits.
fn phone_number_after(c: &Clause<'_>, i: usize) -> Option<usize> {
    let first = c.after(i, 2).find(|&j| !c.is(j, C::DET.or(C::THIS)))?;
    let groups = c.after(first - 1, 6).take_while(|&j| c.token(j).is_some_and(|t| t.number.is_some()));
    let (last, digits) = groups.fold((None, 0), |(_, n), j| (Some(j), n + c.word(j).len()));
    last.filter(|_| digits >= 7)
}

/// "take me off", "take my number off your list", "get me off this list", "I want off this
/// list", "off the list please", "I want out".
fn take_me_off(c: &Clause<'_>) -> Option<Found> {
    for i in 0..c.len() {
        if c.is(i, C::TAKE) {
            let object = c.next(i).and_then(|j| {
                if c.is(j, C::SELF) {
                    Some(j)
                } else if c.is(j, C::MY.or(C::THIS)) {
                    c.next(j).filter(|&k| c.is(k, C::THING))
                } else {
                    None
                }
            });
            let object = object.or_else(|| phone_number_after(c, i));
            if let Some(off) = object.and_then(|o| c.next(o)).filter(|&k| c.is(k, C::OFF)) {
                if let Some(last) = names_a_list(c, off) {
                    return found(P::RemoveFromList, i, last);
                }
            }
        }
        if c.is(i, C::OFF) {
            if let Some(j) = c.after(i, 3).find(|&j| !c.is(j, C::DET.or(C::FROM))).filter(|&j| c.is(j, C::LIST)) {
                return found(P::RemoveFromList, i, j);
            }
            if let Some(w) = c.prev(i).filter(|&p| c.is(p, C::WANT) && c.next(i).is_none()) {
                return found(P::RemoveFromList, w, i);
            }
        }
    }
    None
}

/// "How do you turn these off", "turn off the texts", "shut these off": the messages turned off.
fn turn_off(c: &Clause<'_>) -> Option<Found> {
    let these = |k: usize| c.is(k, C::MESSAGES) || matches!(c.word(k), "these" | "them" | "those");
    (0..c.len()).filter(|&i| matches!(c.word(i), "turn" | "shut" | "switch")).find_map(|i| {
        let next = c.next(i)?;
        let last = if these(next) {
            let messages = c.after(next, 2).take_while(|&k| c.is(k, C::MESSAGES)).last().unwrap_or(next);
            c.next(messages).filter(|&k| c.word(k) == "off")?
        } else if c.word(next) == "off" {
            c.after(next, 3).find(|&k| !c.is(k, C::DET.or(C::THIS))).filter(|&k| these(k))?
        } else {
            return None;
        };
        found(P::StopMessages, i, last)
    })
}

/// After "off" at `off`: nothing, or a list ("your list", "this texting list", "out of your
/// system"). Returns the last word of the phrase.
fn names_a_list(c: &Clause<'_>, off: usize) -> Option<usize> {
    let Some(first) = c.next(off) else { return Some(off) };
    c.after(off, 4).find(|&j| !c.is(j, C::DET.or(C::FROM).or(C::MESSAGES))).filter(|&j| c.is(j, C::LIST)).or_else(
        || {
            // "take me off" and politeness: "Take me off please".
            c.only_after(off, C::FILLER).then_some(first).filter(|_| !c.is(first, C::DET))
        },
    )
}

/// A negated wish to receive: "I do not wish to receive further texts", "ya no quiero recibir
/// mensajes", "je ne veux plus recevoir", "I'd prefer not to receive", "no quiero que me
/// escriban". A wish not to miss something is the opposite.
fn does_not_want(c: &Clause<'_>) -> Option<Found> {
    for w in 0..c.len() {
        if !c.is(w, C::WANT) {
            continue;
        }
        // "Je n'en veux plus": "en" stands for the messages.
        if c.word(w.wrapping_sub(1)) == "en" && c.find_before(w, 3, C::NEG).is_some() && c.only_after(w, C::NEG_POST) {
            return found(P::DoesNotWant, w - 1, w);
        }
        let before = c.find_before(w, 3, C::NEG);
        // "je veux plus de vos messages", "j'veux pus de vos textos": after a wish, "plus" refuses.
        let after = c.negated_after(w) || c.next(w).is_some_and(|j| matches!(c.word(j), "plus" | "pu" | "pus"));
        let mut between = false;
        for j in c.after(w, 6) {
            // "I don't want to miss your texts", "I don't want to stop getting updates".
            if c.is(j, C::MISS.or(C::CEASE)) {
                break;
            }
            if c.is(j, C::NEG) {
                between = true;
            }
            // "I don't want these", "no quiero eso": what was sent, right after the wish and with
            // nothing after it; not "I don't want to vote for either of them".
            let these = matches!(c.word(j), "these" | "those" | "them" | "estos" | "estas" | "eso" | "ca")
                && c.next(w) == Some(j);
            let head = c.is(j, C::RECEIVE.or(C::MESSAGES).or(C::CONTACT).or(C::CONTACT_WEAK).or(C::HEAR).or(C::LIST))
                || (c.is(j, C::GET) && c.find_after(j, 3, C::MESSAGES).is_some())
                || (these && c.only_after(j, C::MORE));
            if head && (before.is_some() || after || between) {
                return found(P::DoesNotWant, before.unwrap_or(w), j);
            }
        }
    }
    None
}
