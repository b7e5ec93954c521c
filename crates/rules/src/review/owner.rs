//! Who holds the phone: an owner who has died, or a child.
//!
//! Both are wrong numbers of a kind the admin must see apart: the number of somebody who died
//! may soon be given to somebody else, and a minor must not be texted at all.

use super::clause::Clause;
use super::lexicon::Concepts as C;
use super::{Found, ReplyCues, ReviewPattern as P};

fn found(pattern: P, first: usize, last: usize) -> Option<Found> {
    Some(Found { pattern, first: first.min(last), last: first.max(last) })
}

/// Somebody whose number this might be: a relative, "he" or "she", a person, a name.
fn person_at(c: &Clause<'_>, i: usize) -> bool {
    c.is(i, C::RELATIVE.or(C::PRONOUN3).or(C::PERSON)) || c.token(i).is_some_and(|t| t.capitalised && t.unknown)
}

/// "My husband passed away", "She died in 2022", "The person you are texting is deceased", "Mi
/// mamá murió", "Falleció", "Mon père est mort", "Elle nous a quittés", "my late wife's phone",
/// "feu mon époux". Not "my phone died", "died for this country", "mort de rire".
pub(super) fn owner_died(c: &Clause<'_>) -> Option<Found> {
    for i in 0..c.len() {
        let laughing = c.word(i + 1) == "de" && matches!(c.word(i + 2), "risa" | "rire");
        if laughing {
            continue;
        }
        if c.is(i, C::DEATH) && !c.negated(i) {
            return found(P::OwnerDied, i, i);
        }
        let subject = c.before(i, 3).find(|&j| person_at(c, j));
        match c.word(i) {
            "passed" => {
                let next = c.word(i + 1);
                if matches!(next, "away" | "on") {
                    return found(P::OwnerDied, subject.unwrap_or(i), i + 1);
                }
                let object =
                    matches!(next, "the" | "a" | "by" | "it" | "my" | "your" | "through" | "out" | "along" | "over");
                if let Some(s) = subject.filter(|_| !object) {
                    return found(P::OwnerDied, s, i);
                }
            }
            "late" | "feu" => {
                if let Some(r) = c.after(i, 2).find(|&j| c.is(j, C::RELATIVE)) {
                    return found(P::OwnerDied, i, r);
                }
            }
            "quittes" | "quitte" if i >= 2 && c.word(i - 2) == "nous" => {
                return found(P::OwnerDied, subject.unwrap_or(i - 2), i);
            }
            // "no longer with us", "ya no está con nosotros", "n'est plus parmi nous".
            "with" | "con" | "avec" | "parmi" if matches!(c.word(i + 1), "us" | "nosotros" | "nous") => {
                let no_longer = c.before(i, 3).any(|j| c.is(j, C::NEG.or(C::NEG_POST)) || c.word(j) == "longer");
                if no_longer && c.next(i + 1).is_none() {
                    return found(P::OwnerDied, subject.unwrap_or(i), i + 1);
                }
            }
            // "She's in heaven now", "mi mamá está en el cielo", "ma mère est au ciel".
            "heaven" | "cielo" | "ciel" | "paradis" => {
                let place = c.before(i, 2).any(|j| matches!(c.word(j), "in" | "en" | "au" | "al"));
                if let Some(s) = c.before(i, 5).find(|&j| person_at(c, j)).filter(|_| place) {
                    return found(P::OwnerDied, s, i);
                }
            }
            // "We lost my dad in March", "perdimos a mi papá", "j'ai perdu mon mari"; not "I lost
            // my son's number", "we lost the election".
            "lost" | "perdimos" | "perdi" | "perdio" | "perdu" => {
                let whom = c.after(i, 3).find(|&j| !c.is(j, C::MY.or(C::DET)) && c.word(j) != "a");
                let owned = |j: usize| c.next(j).is_some_and(|k| c.is(k, C::THING.or(C::PHONE).or(C::NUMBER)));
                if let Some(r) = whom.filter(|&j| c.is(j, C::RELATIVE) && !owned(j)) {
                    return found(P::OwnerDied, i, r);
                }
            }
            // "RIP Grandpa", "my dad, rip".
            "rip" => {
                let near = c.after(i, 3).chain(c.before(i, 3)).find(|&j| person_at(c, j));
                if let Some(p) = near {
                    return found(P::OwnerDied, i, p);
                }
            }
            _ if c.is(i, C::DIED) => {
                let cause = matches!(c.word(i + 1), "for" | "por" | "pour");
                if let Some(s) = subject.filter(|_| !cause && !c.negated(i)) {
                    return found(P::OwnerDied, s, i);
                }
            }
            _ => {}
        }
    }
    None
}

/// "You're texting a minor", "Es menor de edad", "Je suis mineure", "This is a child's phone",
/// "el teléfono de mi hija", "Vous écrivez à un enfant", "I'm 15", "Mi hijo tiene 12 años",
/// "Elle a 13 ans", "I'm not old enough to vote", "trop jeune pour voter".
pub(super) fn minor(c: &Clause<'_>, cues: &ReplyCues) -> Option<Found> {
    for i in 0..c.len() {
        if c.is(i, C::MINOR) && !c.negated(i) {
            let said = c.find_before(i, 3, C::BE.or(C::CONTACT)).is_some()
                || (c.word(i + 1) == "de" && c.word(i + 2) == "edad")
                || c.word(i) == "underage";
            if said {
                return found(P::MinorAge, c.find_before(i, 3, C::BE.or(C::CONTACT)).unwrap_or(i), i);
            }
            // "el teléfono de un menor", "a minor's phone".
            if let Some(p) = c.find_before(i, 4, C::PHONE).or_else(|| c.find_after(i, 2, C::PHONE)) {
                return found(P::ChildsPhone, p, i);
            }
        }
        // French "son téléphone", "son père": "his", not a son.
        let his = c.word(i) == "son"
            && c.next(i).is_some_and(|j| c.is(j, C::RELATIVE.or(C::PHONE).or(C::NUMBER).or(C::THING).or(C::CHILD)));
        // "belongs to a child", "es de una niña", "appartient à un enfant".
        let a = c.prev(i).filter(|&d| matches!(c.word(d), "a" | "an" | "un" | "una" | "une"));
        if c.is(i, C::CHILD) && !cues.adult_age && !his {
            if let Some(j) = c.find_after(i, 3, C::PHONE).or_else(|| c.find_before(i, 4, C::PHONE)) {
                return found(P::ChildsPhone, i, j);
            }
            if let Some(j) = a.and_then(|_| c.find_before(i, 5, C::NUMBER)) {
                return found(P::ChildsPhone, j, i);
            }
            if let Some(j) = c.find_before(i, 3, C::CONTACT) {
                return found(P::ChildsPhone, j, i);
            }
        }
        if c.token(i).and_then(|t| t.number).is_some_and(|n| (1..18).contains(&n)) {
            if let Some(first) = stated_age(c, i) {
                let writer = c.before(i, 3).any(|j| c.is(j, C::I) || matches!(c.word(j), "tengo" | "ai" | "soy"));
                // "My daughter is 16 and wants to volunteer": a child who wants to take part.
                if writer || !cues.wants {
                    return found(P::MinorAge, first, i);
                }
            }
        }
        if let Some(last) = too_young(c, i).or_else(|| at_school(c, i)) {
            return found(P::MinorAge, i, last);
        }
        // "I'm a kid", "es un niño", "c'est un enfant": a child, said plainly.
        if let Some(b) = a.and_then(|d| c.prev(d)).filter(|&b| c.is(i, C::CHILD) && !his && c.is(b, C::BE)) {
            return found(P::MinorAge, b, i);
        }
    }
    None
}

/// Where the statement of the age at `i` starts, if the number there is somebody's age: "13 years
/// old", "13yo", "12 años", "13 ans", "she's 13", "he is only 12", "tiene 13", "I'm 15".
pub(super) fn stated_age(c: &Clause<'_>, i: usize) -> Option<usize> {
    // "for 3 years", "hace 2 años", "depuis 5 ans", "3 years ago": a time, not an age.
    let duration = c.prev(i).is_some_and(|p| {
        matches!(
            c.word(p),
            "for" | "since" | "in" | "past" | "last" | "hace" | "desde" | "en" | "depuis" | "dans" | "il" | "y"
        )
    }) || c.after(i, 2).any(|j| c.word(j) == "ago");
    if duration {
        return None;
    }
    if c.next(i).is_some_and(|j| c.is(j, C::AGE_UNIT)) {
        return Some(i);
    }
    let verb = c.before(i, 2).find(|&j| !matches!(c.word(j), "only" | "just" | "solo" | "seulement" | "apenas"))?;
    let subject = matches!(c.word(verb), "im" | "hes" | "shes" | "tengo" | "ai")
        || (c.is(verb, C::BE.or(C::HAVE))
            && c.before(verb, 2).any(|j| c.is(j, C::PRONOUN3.or(C::CHILD).or(C::RELATIVE).or(C::I))));
    let ends = c.after(i, 1).all(|j| {
        c.is(j, C::AGE_UNIT.or(C::FILLER).or(C::LAUGH))
            || matches!(c.word(j), "and" | "y" | "et" | "but" | "pero" | "mais")
    });
    (subject && ends).then_some(verb)
}

/// "8th grade", "in high school", "en la secundaria", "au collège": where the phrase at `i` ends.
fn at_school(c: &Clause<'_>, i: usize) -> Option<usize> {
    let word = c.word(i);
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let ordinal = digits > 0 && matches!(&word[digits..], "st" | "nd" | "rd" | "th" | "o" | "e" | "eme");
    if ordinal && word[..digits].parse::<u32>().is_ok_and(|n| n <= 11) && c.next(i).is_some_and(|j| c.is(j, C::SCHOOL))
    {
        return c.next(i);
    }
    let school = matches!(word, "middle" | "high" | "junior") && c.word(i + 1) == "school";
    let in_school = (school || (c.is(i, C::SCHOOL) && word != "grade" && word != "school"))
        && c.before(i, 3).any(|j| matches!(c.word(j), "in" | "en" | "au" | "la"));
    in_school.then_some(if school { i + 1 } else { i })
}

/// "not old enough to vote", "too young to vote", "trop jeune", "no tengo edad para votar", "pas
/// l'âge de voter": where the phrase starting at `i` ends.
fn too_young(c: &Clause<'_>, i: usize) -> Option<usize> {
    match c.word(i) {
        "old" if c.word(i + 1) == "enough" && c.find_before(i, 3, C::NEG).is_some() => Some(i + 1),
        "too" | "demasiado" | "muy" | "trop" if c.is(i + 1, C::YOUNG) => Some(i + 1),
        "edad" | "age" if c.find_before(i, 3, C::NEG).is_some() => Some(i),
        _ => None,
    }
}
