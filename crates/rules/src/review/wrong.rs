//! Wrong numbers: the text reached somebody other than the contact it was meant for.
//!
//! Three ways of saying so, in each language: naming the mistake ("wrong number", "número
//! equivocado", "mauvais numéro"); denying the person ("this isn't Sam", "no soy María", "il n'y a
//! pas de Julien ici", "I don't know who Kevin is"); and telling how the number changed hands
//! ("new number", "she changed her number", "this number used to belong to someone else").

use super::clause::Clause;
use super::lexicon::Concepts as C;
use super::{Found, ReplyCues, ReviewPattern as P};

pub(super) fn wrong_number(c: &Clause<'_>, cues: &ReplyCues) -> Option<Found> {
    let tried = |needs: C, rule: &dyn Fn() -> Option<Found>| if c.any(needs) { rule() } else { None };
    tried(C::WRONG.or(C::RIGHT), &|| wrong_words(c))
        .or_else(|| {
            // A name, and a word that denies or asks after it.
            let denial = C::BE.or(C::NEG).or(C::NEG_POST).or(C::WHO).or(C::KNOW).or(C::NOBODY).or(C::NAMED).or(C::FROM);
            if c.any(C::UNKNOWN) {
                tried(denial, &|| name_denied(c))
            } else {
                None
            }
        })
        .or_else(|| tried(C::NEG.or(C::NEG_POST).or(C::NOBODY), &|| nobody_known(c)))
        .or_else(|| tried(C::NUMBER.or(C::PHONE), &|| number_changed(c, cues)))
        .or_else(|| tried(C::SOMEONE.or(C::PERSON).or(C::RELATIVE), &|| someone_else(c)))
}

fn found(pattern: P, first: usize, last: usize) -> Option<Found> {
    Some(Found { pattern, first: first.min(last), last: first.max(last) })
}

/// Words the rules read past between a noun and what qualifies it: "the", "de", "of".
const GLUE: C = C::DET.or(C::FROM);

/// "wrong number", "wrong person", "número equivocado", "se equivocó de número", "mauvais
/// numéro", "erreur de personne", "the wrong Mike"; "not the right number", "pas le bon numéro".
fn wrong_words(c: &Clause<'_>) -> Option<Found> {
    let near = |i: usize, concepts: C| {
        let ahead = c.after(i, 3).find(|&j| !c.is(j, GLUE)).filter(|&j| c.is(j, concepts));
        ahead.or_else(|| c.before(i, 3).find(|&j| !c.is(j, GLUE)).filter(|&j| c.is(j, concepts)))
    };
    for i in 0..c.len() {
        // "I voted for the wrong person", "we backed the wrong guy": a choice, not the text.
        let chosen = || {
            c.before(i, 5).any(|j| {
                c.is(j, C::PARTAKE) || matches!(c.word(j), "picked" | "chose" | "backed" | "elected" | "supported")
            })
        };
        if c.is(i, C::WRONG) && !chosen() {
            if let Some(j) = near(i, C::NUMBER.or(C::PERSON)) {
                return found(P::WrongNumberWords, i, j);
            }
            // "Equivocado", "Erreur" alone; not English "Wrong!", which may be an opinion.
            if c.len() == 1 && !matches!(c.word(i), "wrong" | "incorrect" | "mistaken") {
                return found(P::WrongNumberWords, i, i);
            }
            // "Se equivocaron", "Vous vous êtes trompé": the sender mistook somebody, said of
            // nothing else.
            let mistook = c.before(i, 3).any(|j| matches!(c.word(j), "se" | "te" | "vous" | "t"));
            if mistook
                && !matches!(c.word(i), "wrong" | "mauvais" | "mauvaise" | "faux" | "fausse")
                && c.only_after(i, C::FILLER)
            {
                return found(P::WrongNumberWords, c.before(i, 3).last().unwrap_or(i), i);
            }
            if let Some(j) = c.next(i).filter(|&j| is_name(c, j)) {
                return found(P::WrongNumberWords, i, j);
            }
        }
        // "not the right number", "c pas le bon numéro".
        if let Some(n) = c.find_before(i, 4, C::NEG.or(C::NEG_POST)).filter(|_| c.is(i, C::RIGHT)) {
            if let Some(j) = near(i, C::NUMBER.or(C::PERSON)) {
                return found(P::WrongNumberWords, n, j);
            }
        }
    }
    None
}

/// A name: written like one, and no word the lexicon knows.
fn is_name(c: &Clause<'_>, i: usize) -> bool {
    c.token(i).is_some_and(|t| t.capitalised && t.unknown) && is_word(c.word(i))
}

/// A word the lexicon does not know, in any case: a name written in lower case, where the
/// construction leaves room for nothing else.
fn is_unknown_word(c: &Clause<'_>, i: usize) -> bool {
    c.token(i).is_some_and(|t| t.unknown) && is_word(c.word(i))
}

fn is_word(w: &str) -> bool {
    w.len() >= 2 && w.bytes().all(|b| b.is_ascii_lowercase())
}

/// A name denied: "This isn't Sam", "I'm not Jessica", "No soy María", "Je ne suis pas Julie",
/// "Who is Emily?", "¿Quién es Ana?", "C'est qui Mathieu?", "I don't know any Tom", "No conozco
/// a ningún Javier", "No Steve here", "Aquí no vive ningún Pedro", "Nobody named Tyler lives
/// here", "Brandon doesn't live here anymore", "Not Sam".
fn name_denied(c: &Clause<'_>) -> Option<Found> {
    for i in 0..c.len() {
        if !is_unknown_word(c, i) {
            continue;
        }
        let strict = is_name(c, i);
        // The name ends the clause, or owns the phone that does: "this is not ryans phone".
        let owns = c.next(i).filter(|&j| c.is(j, C::PHONE.or(C::NUMBER)));
        let ends = c.only_after(owns.unwrap_or(i), C::FILLER.or(C::HERE));
        // The four words before, reading past "the", "de" and the like.
        let mut back = [0usize; 4];
        let mut count = 0;
        for j in c.before(i, 6).filter(|&j| !c.is(j, GLUE)).take(4) {
            back[count] = j;
            count += 1;
        }
        let back = &back[..count];
        let has = |concepts: C| back.iter().copied().find(|&j| c.is(j, concepts));
        let first = back.last().copied().unwrap_or(i);
        // "isn't Sam", "no soy María", "n'est pas Sophie", "no es de Gabriela". In lower case only
        // where the phone or the writer is the subject: "this is not sam", "no soy rosa".
        if let (Some(b), Some(_)) = (has(C::BE), has(C::NEG.or(C::NEG_POST))) {
            let about_the_phone = (0..i).any(|j| c.is(j, C::THIS)) || c.word(b) == "soy";
            if strict || (ends && about_the_phone) {
                return found(P::NotThisPerson, first, owns.unwrap_or(i));
            }
        }
        if !strict {
            continue;
        }
        // "Who is Emily?", "Who's David?", "¿Quién es Ana?", "C'est qui Mathieu?".
        if ends && back.first().is_some_and(|&j| c.is(j, C::WHO) || (c.is(j, C::BE) && has(C::WHO).is_some())) {
            return found(P::NotThisPerson, first, i);
        }
        // "Mathieu, c'est qui ?"
        if i == 0 && c.len() <= 4 && c.is(c.len() - 1, C::WHO) {
            return found(P::NotThisPerson, i, c.len() - 1);
        }
        // "I don't know any Sam", "No conozco a Kevin", "Je connais pas de Pierre".
        if let Some(k) = has(C::KNOW) {
            if c.is(k, C::NEG) || c.find_before(k, 2, C::NEG).is_some() || c.negated_after(k) {
                return found(P::NotThisPerson, k, i);
            }
        }
        // "No Kevin here", "Aquí no hay ninguna Lupita", "Il n'y a pas de Julien ici".
        let nobody = back.first().is_some_and(|&j| c.is(j, C::NOBODY) || matches!(c.word(j), "no" | "pas" | "ningun"));
        let place = c.any(C::HERE.or(C::LIVE).or(C::NUMBER)) || c.after(i, 1).any(|j| matches!(c.word(j), "at" | "by"));
        if nobody && place {
            return found(P::NotThisPerson, first, i);
        }
        // "Nobody named Tyler", "nadie llamado Tomás", "personne ne s'appelle Émilie", "nobody here
        // goes by Dana".
        let goes_by = i >= 2 && c.word(i - 1) == "by" && matches!(c.word(i - 2), "goes" | "go" | "going");
        if (goes_by || has(C::NAMED).is_some()) && c.any(C::NOBODY.or(C::NEG)) {
            return found(P::NotThisPerson, first, i);
        }
        // "Brandon doesn't live here", "Pedro ya no vive aquí", "Sam doesn't have this number".
        if let Some(n) = c.find_after(i, 3, C::NEG) {
            if let Some(v) = c.find_after(n, 3, C::LIVE.or(C::HAVE)) {
                return found(P::NotThisPerson, i, v);
            }
        }
        // "Not Sam", "Not Alex, sorry".
        if back.len() == 1 && c.is(back[0], C::NEG) && ends {
            return found(P::NotThisPerson, back[0], i);
        }
    }
    None
}

/// "I don't know who that is", "idk who she is", "No conozco a esa persona", "Je ne connais pas
/// cette personne", "nobody by that name", "no hay nadie con ese nombre", "personne de ce nom",
/// "that's not my name", "I'm not who you think".
fn nobody_known(c: &Clause<'_>) -> Option<Found> {
    // Every construction here denies something; most need a word of their own in the clause.
    let knows = c.any(C::KNOW);
    let named = c.any(C::FROM.or(C::MY));
    let whom = c.any(C::WHO.or(C::PRONOUN3).or(C::DET));
    let place = c.any(C::HERE.or(C::LIVE));
    let me = c.any(C::SELF.or(C::I));
    if !(knows || named || whom || place || me) {
        return None;
    }
    for i in 0..c.len() {
        if c.is(i, C::KNOW) && (c.is(i, C::NEG) || c.find_before(i, 2, C::NEG).is_some() || c.negated_after(i)) {
            // "who that is", not "who this is": this is the sender.
            let who = c.after(i, 2).find(|&j| !c.is(j, C::NEG_POST)).filter(|&j| c.is(j, C::WHO));
            // "idk who linda is", "no sé quién es lupita", "je sais pas qui est julie": a name in
            // lower case, where the construction leaves room for nothing else.
            let a = who.and_then(|w| c.next(w));
            if let Some((a, b)) = a.zip(a.and_then(|a| c.next(a))) {
                let named = (is_unknown_word(c, a) && c.is(b, C::BE)) || (c.is(a, C::BE) && is_unknown_word(c, b));
                if named && c.only_after(b, C::FILLER) {
                    return found(P::NotThisPerson, i, b);
                }
            }
            let pronoun = who.and_then(|w| c.next(w)).filter(|&k| {
                matches!(c.word(k), "that" | "thats" | "he" | "she" | "hes" | "shes" | "ese" | "esa" | "el" | "ella")
                    || matches!(c.word(k), "il" | "elle" | "cette" | "celui" | "celle")
            });
            if let Some(k) = pronoun {
                return found(P::NotThisPerson, i, k);
            }
            if let Some(k) = c.find_after(i, 4, C::PERSON) {
                return found(P::NotThisPerson, i, k);
            }
        }
        // "by that name", "con ese nombre", "de ce nom", "avec ce nom".
        let that_name = matches!(c.word(i), "by" | "con" | "de" | "avec")
            && c.is(i + 1, C::THIS.or(C::DET))
            && matches!(c.word(i + 2), "name" | "nombre" | "nom");
        if that_name && c.any(C::NOBODY.or(C::NEG)) {
            return found(P::NotThisPerson, i, i + 2);
        }
        // "not my name", "no es mi nombre", "pas mon nom".
        if matches!(c.word(i), "name" | "nombre" | "nom") && c.is(i.wrapping_sub(1), C::MY) {
            if let Some(n) = c.before(i - 1, 2).find(|&j| c.is(j, C::NEG.or(C::NEG_POST))) {
                return found(P::NotThisPerson, n, i);
            }
        }
        // "I'm not who you think", "not who you want", "no soy quien cree", "pas celui que vous
        // pensez".
        if c.is(i, C::WHO) || matches!(c.word(i), "celui" | "celle") {
            if let Some(n) = c.find_before(i, 3, C::NEG.or(C::NEG_POST)) {
                if let Some(y) = c.find_after(i, 3, C::YOU.or(C::SELF)) {
                    return found(P::NotThisPerson, n, y);
                }
            }
        }
        // "That's not me", "ese no soy yo", "c'est pas moi": the writer denies being whom the text
        // names.
        // Nothing but "to be" and the negation stand between: not "this isn't working for me".
        let me = matches!(c.word(i), "me" | "yo" | "moi") && c.next(i).is_none();
        let is_this = |j: usize| c.is(j, C::THIS) || c.word(j) == "thats";
        let this = c.before(i, 4).find(|&j| is_this(j) || !c.is(j, C::BE.or(C::NEG).or(C::NEG_POST)));
        let this = this.filter(|&j| is_this(j));
        if let Some(t) = this.filter(|_| me && c.before(i, 3).any(|j| c.is(j, C::NEG.or(C::NEG_POST)))) {
            return found(P::NotThisPerson, t, i);
        }
        // "I'm not her", "no soy ella", "je ne suis pas elle".
        let him_or_her = matches!(c.word(i), "her" | "him" | "ella" | "el" | "elle" | "lui");
        if him_or_her && c.next(i).is_none() && c.find_before(i, 3, C::BE).is_some() {
            if let Some(n) = c.find_before(i, 3, C::NEG.or(C::NEG_POST)) {
                return found(P::NotThisPerson, n.min(i), i);
            }
        }
        // "Never heard of him", "nunca oí de ella", "jamais entendu parler de lui".
        if matches!(c.word(i), "heard" | "oido" | "oi" | "entendu") && c.find_before(i, 3, C::NEG).is_some() {
            let whom = c.after(i, 3).find(|&j| c.is(j, C::PRONOUN3) || is_name(c, j));
            if let Some(j) = whom {
                return found(P::NotThisPerson, i, j);
            }
        }
        // "Aquí no es", "No es aquí": the wrong place for this person.
        if c.is(i, C::HERE)
            && c.len() <= 4
            && c.any(C::NEG)
            && c.any(C::BE)
            && c.tokens().iter().all(|t| t.is(C::HERE.or(C::NEG).or(C::BE).or(C::FILLER)))
        {
            return found(P::NotThisPerson, 0, c.len() - 1);
        }
        // "He doesn't live here anymore", "ya no vive aquí".
        if c.is(i, C::LIVE) && c.find_before(i, 3, C::NEG).is_some() && c.any(C::HERE) {
            if let Some(s) = c.find_before(i, 4, C::PRONOUN3.or(C::RELATIVE)) {
                return found(P::NotThisPerson, s, i);
            }
        }
    }
    None
}

/// The number changed hands: "new number", "nuevo número", "she changed her number", "cambié de
/// número", "il a changé de numéro", "he doesn't have this number anymore", "n'a plus ce
/// numéro", "not my number", "ya no es el número de mi hermano", "this number used to belong to
/// someone else", "I just got this phone". "My number changed but I still get your texts" is the
/// contact, still there.
fn number_changed(c: &Clause<'_>, cues: &ReplyCues) -> Option<Found> {
    if cues.still_there {
        return None;
    }
    for i in 0..c.len() {
        if !c.is(i, C::NUMBER.or(C::PHONE)) {
            continue;
        }
        let beside = |concepts: C| {
            // "this number was recently reassigned", "ce numéro a été récemment réattribué".
            let ahead = c
                .after(i, 4)
                .find(|&j| !c.is(j, GLUE.or(C::MY).or(C::BE).or(C::RECENT)))
                .filter(|&j| c.is(j, concepts));
            ahead.or_else(|| {
                c.before(i, 3).find(|&j| !c.is(j, GLUE.or(C::MY).or(C::PRONOUN3))).filter(|&j| c.is(j, concepts))
            })
        };
        if let Some(j) = c.next(i).filter(|&j| c.is(j, C::NEW)).or_else(|| c.prev(i).filter(|&j| c.is(j, C::NEW))) {
            return found(P::NumberChanged, i, j);
        }
        if let Some(j) = beside(C::CHANGE) {
            return found(P::NumberChanged, i, j);
        }
        let this = c.prev(i).filter(|&j| c.is(j, C::THIS));
        if let Some(t) = this {
            if let Some(h) = c.find_before(t, 2, C::HAVE) {
                // "Jordan had this number before me": somebody held it first.
                let before = c.after(i, 2).any(|j| matches!(c.word(j), "before" | "antes" | "avant"));
                if c.find_before(h, 3, C::NEG).is_some() || c.negated_after(h) || c.any(C::RECENT) || before {
                    return found(P::NumberChanged, h, i);
                }
            }
            if c.find_before(t, 2, C::GET).is_some() && c.any(C::RECENT) {
                return found(P::NumberChanged, t, i);
            }
        }
        // "not my number", "isn't his number", "ya no es su número", "ce n'est plus son numéro".
        let owner =
            |j: usize| c.is(j, C::MY) || matches!(c.word(j), "his" | "her" | "their" | "su" | "son" | "sa" | "leur");
        if let Some(m) = c.prev(i).filter(|&j| owner(j)) {
            if let Some(n) = c.before(m, 2).find(|&j| c.is(j, C::NEG.or(C::NEG_POST))) {
                return found(P::NumberChanged, n, i);
            }
        }
        // "ya no es el número de mi hermano", "ce n'est plus le numéro de ma mère".
        if matches!(c.word(i + 1), "de" | "d") && c.is(i + 2, C::MY) {
            if let Some(n) = c.before(i, 4).find(|&j| c.is(j, C::NEG.or(C::NEG_POST))) {
                return found(P::NumberChanged, n, i + 2);
            }
        }
        if let Some(b) = (0..c.len()).find(|&b| c.is(b, C::BELONG)) {
            return found(P::NumberChanged, i, b);
        }
        if let Some((h, last)) = has_another(c, i) {
            return found(P::NumberChanged, h, last);
        }
    }
    None
}

/// "He has a different number", "mi hermano tiene otro número", "elle a un numéro différent":
/// somebody else, who has another number than this one. Where the phrase around the number at
/// `i` starts and ends. Not "do you have a different number for the office?".
fn has_another(c: &Clause<'_>, i: usize) -> Option<(usize, usize)> {
    let another = |j: usize| {
        matches!(c.word(j), "different" | "another" | "other" | "otro" | "otra" | "diferente" | "distinto" | "autre")
    };
    let before = c.before(i, 3).find(|&j| !c.is(j, C::DET)).filter(|&j| another(j));
    let other = before.or_else(|| c.next(i).filter(|&j| another(j)))?;
    // The farthest "have": in "has a different number", "a" is no verb.
    let h = c.before(other.min(i), 3).filter(|&j| c.is(j, C::HAVE)).last()?;
    let somebody = c.before(h, 3).any(|j| c.is(j, C::PRONOUN3.or(C::RELATIVE)) || is_name(c, j));
    somebody.then_some((h, other.max(i)))
}

/// "You must be thinking of someone else", "this number used to be someone else's", "ese número
/// era de otra persona", "ce numéro appartenait à quelqu'un d'autre", "I'm not the person you're
/// looking for"; and a relative's phone: "this is my wife's phone".
fn someone_else(c: &Clause<'_>) -> Option<Found> {
    for i in 0..c.len() {
        if c.is(i, C::SOMEONE) {
            if let Some(j) = c.find_after(i, 3, C::ELSE) {
                let why = c.any(C::NUMBER.or(C::PHONE).or(C::BELONG).or(C::BE).or(C::WRONG).or(C::HAVE))
                    || c.tokens().iter().enumerate().any(|(k, _)| {
                        matches!(c.word(k), "thinking" | "confused" | "meant" | "mistaken" | "looking" | "think")
                    });
                if why {
                    return found(P::NumberChanged, i, j);
                }
            }
        }
        if c.is(i, C::PERSON)
            && c.find_before(i, 4, C::NEG.or(C::NEG_POST)).is_some()
            && c.find_before(i, 4, C::BE).is_some()
        {
            // "the person you're looking for", "trying to reach", "la persona que buscan".
            let looking = c.after(i, 4).any(|j| {
                matches!(c.word(j), "looking" | "think" | "want" | "trying" | "reach" | "meant" | "mean" | "after")
                    || matches!(c.word(j), "busca" | "buscan" | "buscas" | "cree" | "quieren" | "intentan")
                    || matches!(c.word(j), "cherchez" | "pensez" | "voulez" | "essayez" | "croyez")
            });
            if looking {
                return found(P::NotThisPerson, c.find_before(i, 4, C::BE).unwrap_or(i), i);
            }
        }
        if c.is(i, C::RELATIVE) && !c.is(i, C::CHILD) {
            if let Some(j) = c.find_after(i, 3, C::PHONE).or_else(|| c.find_before(i, 3, C::PHONE)) {
                return found(P::NotThisPerson, i, j);
            }
        }
    }
    None
}
