//! Refusals: the contact refuses the messages rather than asking for a change. "Don't text me",
//! "no me escriban", "ne m'écrivez plus"; "no more texts"; "leave me alone"; "I never signed up";
//! "this is spam"; "sick of these texts"; "I said stop".

use super::clause::Clause;
use super::lexicon::Concepts as C;
use super::{Found, ReviewPattern as P};

fn found(pattern: P, first: usize, last: usize) -> Option<Found> {
    Some(Found { pattern, first, last })
}

/// A refusal in the imperative: "don't text me", "never contact me again", "no me escriban",
/// "no vuelvan a escribirme", "ne m'écrivez plus", "merci de ne plus me contacter".
pub(super) fn do_not_contact(c: &Clause<'_>) -> Option<Found> {
    for n in 0..c.len() {
        let word = c.word(n);
        if !matches!(
            word,
            "dont" | "dnt" | "never" | "not" | "no" | "ne" | "n" | "nunca" | "jamas" | "ni" | "didnt" | "wouldnt"
        ) {
            continue;
        }
        let condition = polite_condition(c, n);
        let lead = if let Some(lead) = condition {
            lead
        } else if matches!(word, "didnt" | "wouldnt") {
            continue;
        } else if word == "not" {
            let asking = |p: usize| {
                c.word(p) == "you" && c.prev(p).is_some_and(|q| matches!(c.word(q), "can" | "could" | "would" | "will"))
            };
            match c.prev(n) {
                Some(p) if matches!(c.word(p), "do" | "please" | "pls") => p,
                // "can you not text me": a request put as a question.
                Some(p) if asking(p) => c.prev(p).unwrap_or(p),
                _ => continue,
            }
        } else {
            n
        };
        // "put me on your do not call list": the list's name is a refusal wherever it stands.
        let do_not_list = c.next(n).filter(|&v| c.is(v, C::CONTACT.or(C::CONTACT_WEAK))).and_then(|v| c.next(v));
        if let Some(l) = do_not_list.filter(|&l| c.is(l, C::LIST)) {
            return found(P::DoNotContact, lead, l);
        }
        if condition.is_none() && c.prev(lead).is_some_and(|p| !c.is(p, C::LEAD.or(C::FILLER).or(C::ASKED))) {
            continue;
        }
        let mut self_seen = false;
        for j in c.after(n, 5) {
            let t = c.token(j)?;
            self_seen |= t.is(C::SELF);
            if t.is(C::CONTACT) {
                let and_more = c.next(j).is_some_and(|k| matches!(c.word(k), "and" | "while" | "y" | "et"));
                if and_more && !self_seen {
                    break;
                }
                return found(P::DoNotContact, n, j);
            }
            if t.is(C::CONTACT_WEAK) {
                if self_seen || c.next(j).is_some_and(|k| c.is(k, C::SELF)) {
                    return found(P::DoNotContact, n, j);
                }
                break;
            }
            if t.is(C::SEND) {
                let what = c.next(j).filter(|&k| !c.is(k, C::SELF)).or_else(|| c.next(j).and_then(|k| c.next(k)));
                let nothing_more = what.is_none_or(|k| {
                    c.is(k, C::MESSAGES.or(C::MORE).or(C::NEG_POST).or(C::NEG))
                        || matches!(c.word(k), "anything" | "nothing" | "nada" | "rien" | "any")
                });
                if nothing_more || c.find_after(j, 3, C::MESSAGES).is_some() {
                    return found(P::DoNotContact, n, j);
                }
                break;
            }
            let softener = t.is(C::SELF.or(C::MORE).or(C::NEG_POST).or(C::YOU))
                || matches!(
                    c.word(j),
                    "ever"
                        | "even"
                        | "please"
                        | "pls"
                        | "vuelvan"
                        | "vuelva"
                        | "vuelvas"
                        | "volver"
                        | "volviera"
                        | "volvieran"
                )
                || matches!(c.word(j), "a" | "les" | "le" | "nos" | "te" | "lo" | "la" | "en");
            if !softener {
                break;
            }
        }
    }
    None
}

/// Quebec's refusal without its "ne": "Textez-moi pu", "Écrivez-moi jamais". Not "écrivez-moi
/// plus souvent": the refusal ends the clause.
pub(super) fn contact_me_no_more(c: &Clause<'_>) -> Option<Found> {
    (0..c.len()).filter(|&i| c.is(i, C::CONTACT.or(C::SEND))).find_map(|i| {
        let me = c.next(i).filter(|&j| c.is(j, C::SELF))?;
        let no_more = c.next(me).filter(|&k| matches!(c.word(k), "pu" | "pus" | "jamais"))?;
        if !c.only_after(no_more, C::FILLER.or(C::MESSAGES)) {
            return None;
        }
        found(P::DoNotContact, i, no_more)
    })
}

/// "I'd appreciate it if you didn't text me", "I would be grateful if you would not contact me":
/// the "if" of a refusal put as a condition, when the negation at `n` follows "if you" and
/// thanks or a preference come before. "I'd be sad if you didn't text me back" asks nothing.
fn polite_condition(c: &Clause<'_>, n: usize) -> Option<usize> {
    let you = match c.word(n) {
        "didnt" | "wouldnt" => c.prev(n)?,
        "not" => c.prev(n).filter(|&p| matches!(c.word(p), "did" | "would")).and_then(|p| c.prev(p))?,
        _ => return None,
    };
    let lead = c.prev(you).filter(|&p| c.is(you, C::YOU) && c.word(p) == "if")?;
    let thanks = c
        .before(lead, 5)
        .any(|j| matches!(c.word(j), "appreciate" | "appreciated" | "grateful" | "thankful" | "prefer" | "rather"));
    thanks.then_some(lead)
}

/// "No more texts", "no further messages", "No más mensajes", "Ni un mensaje más", "Plus de
/// messages svp", "Pas de textos", "No more" alone. Only at the head of a clause: "I got no
/// messages" asks nothing.
pub(super) fn no_more_messages(c: &Clause<'_>) -> Option<Found> {
    let head = (0..c.len()).find(|&i| !c.is(i, C::LEAD.or(C::FILLER)) || c.is(i, C::NEG.or(C::NEG_POST)))?;
    // "Pu de textos": Quebec's "plus".
    if !matches!(c.word(head), "no" | "ni" | "pas" | "plus" | "pu" | "pus" | "aucun" | "aucune" | "zero" | "nada") {
        return None;
    }
    // "No texts yet": none received so far.
    if c.after(head, 4).any(|j| matches!(c.word(j), "yet" | "todavia" | "aun" | "encore")) {
        return None;
    }
    // "Porfa ya no": no more, in two words.
    if c.word(head) == "no" && c.prev(head).is_some_and(|p| c.word(p) == "ya") && c.only_after(head, C::FILLER) {
        return found(P::NoMoreMessages, head - 1, head);
    }
    if c.word(head) == "no" && c.next(head).is_some_and(|j| c.is(j, C::MORE)) {
        let more = c.next(head).unwrap_or(head);
        if c.only_after(more, C::FILLER) {
            return found(P::NoMoreMessages, head, more);
        }
    }
    for j in c.after(head, 4) {
        let t = c.token(j)?;
        if t.is(C::MESSAGES) {
            return found(P::NoMoreMessages, head, j);
        }
        let passes = t.is(C::MORE.or(C::DET).or(C::FROM).or(C::NEG).or(C::NEG_POST)) || (t.unknown && !t.is(C::COMMON));
        if !passes {
            return None;
        }
    }
    None
}

/// "leave me alone", "déjenme en paz", "laissez-moi tranquille", "fichez-moi la paix",
/// "lâchez-moi", and fixed dismissals ("go away", "get lost").
pub(super) fn leave_me_alone(c: &Clause<'_>) -> Option<Found> {
    for i in 0..c.len() {
        if c.is(i, C::LEAVE) {
            let object = if c.is(i, C::SELF) { Some(i) } else { c.next(i).filter(|&j| c.is(j, C::SELF)) };
            if let Some(o) = object {
                if matches!(c.word(i), "lachez" | "lache") {
                    return found(P::LeaveMeAlone, i, o);
                }
                if let Some(k) = c.find_after(o, 4, C::ALONE) {
                    return found(P::LeaveMeAlone, i, k);
                }
                // "leave me out of this", "leave us be".
                if let Some(k) = c.next(o).filter(|&k| matches!(c.word(k), "out" | "be")) {
                    return found(P::LeaveMeAlone, i, k);
                }
            }
        }
        if let Some(last) = dismissal_at(c, i) {
            return found(P::LeaveMeAlone, i, last);
        }
    }
    None
}

/// Fixed dismissals, word by word, each word with its alternatives. Their first words are
/// `IDIOM` in the lexicon, but for "f", which must stay unknown to be read as masked.
const DISMISSALS: &[&[&[&str]]] = &[
    &[&["go"], &["away"]],
    &[&["get"], &["lost"]],
    &[&["piss", "fuck", "f", "fck", "bugger", "sod", "buzz", "back", "bug"], &["off"]],
    &[&["knock"], &["it"], &["off"]],
    &[&["cut"], &["it"], &["out"]],
    &[&["gtfo"]],
    &[&["leave"], &["us", "me"], &["be"]],
    &[&["lose"], &["my", "this", "our"], &["number"]],
    &[&["enough"], &["already"]],
    &[&["give"], &["it"], &["a"], &["rest"]],
    &[&["vete", "vayanse", "largate", "larguense", "largo"]],
    &[&["fuera"], &["de"], &["mi", "aqui"]],
    &[&["no"], &["molesten", "moleste", "molestes"]],
    &[&["degage", "degagez"]],
    &[&["allez", "va"], &["vous", "te"], &["faire"]],
    &[&["crissez", "sacrez"], &["moi"], &["patience"]],
];

/// The last word of a dismissal starting at `i`.
fn dismissal_at(c: &Clause<'_>, i: usize) -> Option<usize> {
    if !c.is(i, C::IDIOM) && c.word(i) != "f" {
        return None;
    }
    DISMISSALS.iter().find_map(|phrase| {
        let fits = phrase.iter().enumerate().all(|(n, alternatives)| alternatives.contains(&c.word(i + n)));
        fits.then(|| i + phrase.len() - 1)
    })
}

/// "I never signed up", "I never gave you permission", "I do not consent", "withdraw my
/// consent", "Nunca me suscribí", "No les di permiso", "Je n'ai jamais donné mon accord".
pub(super) fn no_consent(c: &Clause<'_>) -> Option<Found> {
    for i in 0..c.len() {
        if !c.is(i, C::CONSENT.or(C::SIGNUP).or(C::GIVE)) {
            continue;
        }
        let refused = c.find_before(i, 4, C::NEG).or_else(|| c.negated_after(i).then_some(i));
        if c.is(i, C::CONSENT) {
            if let Some(n) = refused.or_else(|| c.find_before(i, 3, C::REMOVE.or(C::STRONG))) {
                return found(P::NoConsent, n.min(i), i);
            }
        } else if c.is(i, C::SIGNUP) {
            // "never signed up", not "never signed the petition".
            let signed_what = matches!(c.word(i), "signed" | "sign") && !matches!(c.word(i + 1), "up" | "on" | "for");
            if let Some(n) = refused.filter(|_| !signed_what) {
                return found(P::NoConsent, n.min(i), i);
            }
        } else if let Some(n) = refused {
            let mine =
                c.after(i, 4).any(|j| c.is(j, C::THING) && c.prev(j).is_some_and(|k| c.is(k, C::MY.or(C::THIS))));
            if let Some(j) = c.find_after(i, 4, C::CONSENT).or(mine.then_some(i)) {
                return found(P::NoConsent, n.min(i), j);
            }
        }
    }
    None
}

/// "I never asked for these texts", "I didn't ask for this", "nunca pedí estos mensajes", "je
/// n'ai jamais demandé ça".
pub(super) fn never_asked(c: &Clause<'_>) -> Option<Found> {
    (0..c.len()).filter(|&i| c.is(i, C::ASKED)).find_map(|i| {
        let n = c.find_before(i, 3, C::NEG).or_else(|| c.negated_after(i).then_some(i))?;
        let what = c.after(i, 3).find(|&j| c.is(j, C::MESSAGES.or(C::THIS)))?;
        found(P::NoConsent, n.min(i), what)
    })
}

/// "This is spam", "Es spam", "C'est du spam", "reported as spam", "I'll report you", "los voy
/// a denunciar", "je vais vous signaler", "reporting this to the FTC".
pub(super) fn spam_complaint(c: &Clause<'_>) -> Option<Found> {
    for i in 0..c.len() {
        if c.is(i, C::SPAM) {
            // "This is spam", "Es spam", not the question "Is this spam?" ("Est-ce du spam ?").
            let question = |b: usize| b == 0 && (b + 1..i).any(|k| c.is(k, C::THIS));
            let claim = |b: usize| !question(b) && c.find_before(i, 3, C::NEG).is_none();
            if let Some(b) = c.find_before(i, 3, C::BE).filter(|&b| claim(b)) {
                return found(P::SpamComplaint, b, i);
            }
            if let Some(r) = (0..c.len()).find(|&r| c.is(r, C::REPORT)) {
                return found(P::SpamComplaint, r.min(i), r.max(i));
            }
        }
        if c.is(i, C::REPORT) && !c.negated(i) {
            let strong = matches!(c.word(i), "fcc" | "ftc" | "plainte" | "denunciar" | "denuncio" | "denunciare");
            let object = c
                .find_after(i, 3, C::YOU.or(C::THIS).or(C::NUMBER).or(C::SPAM))
                .or_else(|| c.after(i, 3).find(|&j| matches!(c.word(j), "it" | "them" | "fcc" | "ftc")));
            let pronoun =
                c.prev(i).filter(|&p| matches!(c.word(p), "los" | "las" | "les" | "vous" | "te" | "lo" | "la"));
            if strong {
                return found(P::SpamComplaint, i, i);
            }
            if let Some(j) = object.or(pronoun) {
                return found(P::SpamComplaint, i.min(j), i.max(j));
            }
        }
    }
    None
}

/// "I'm done with these texts", "sick of your messages", "harta de sus mensajes", "j'en ai marre
/// de vos messages", "Ça suffit les messages", "Assez de textos".
pub(super) fn fed_up(c: &Clause<'_>) -> Option<Found> {
    (0..c.len()).filter(|&i| c.is(i, C::FEDUP) && !c.negated(i)).find_map(|i| {
        let j = c.find_after(i, 4, C::MESSAGES)?;
        found(P::FedUp, i, j)
    })
}

/// "What part of STOP don't you understand", "Do you not understand the word stop?", "¿Qué parte
/// de BASTA no entienden?", "Vous comprenez pas le mot STOP ?": the sender, told to stop, did
/// not understand. The stop word is the one named, after "part of" or "the word" before the
/// verb, or as its object after it; not "I don't understand the end of the story", nor "he
/// doesn't understand why the bus stop moved".
pub(super) fn not_understood(c: &Clause<'_>) -> Option<Found> {
    let named = |k: usize| {
        c.is(k, C::KEYWORD.or(C::STRONG)) && c.word(k) != "stp" && c.next(k).is_none_or(|j| !c.is(j, C::FROM))
    };
    let naming =
        |j: usize| c.is(j, C::DET) || matches!(c.word(j), "word" | "palabra" | "mot" | "about" | "dans" | "en");
    (0..c.len()).filter(|&u| c.is(u, C::UNDERSTAND)).find_map(|u| {
        let negated = c.find_before(u, 3, C::NEG).is_some() || c.negated_after(u);
        if !negated || c.find_before(u, 3, C::I).is_some() {
            return None;
        }
        let before = c
            .before(u, 6)
            .filter(|&k| named(k))
            .find(|&k| c.prev(k).is_some_and(|p| c.is(p, C::FROM) || matches!(c.word(p), "word" | "palabra" | "mot")));
        let after = || c.after(u, 4).find(|&j| !(c.is(j, C::NEG_POST) || naming(j))).filter(|&k| named(k));
        let k = before.or_else(after)?;
        found(P::AskedBefore, k.min(u), k.max(u))
    })
}

/// "I said stop", "I asked you to stop already", "Ya les dije que paren", "je vous ai déjà dit
/// d'arrêter". What was said must end the clause, but for how often it was said ("I asked you to
/// stop multiple times", "varias veces", "plusieurs fois"), so "she said stop by at 5" asks
/// nothing.
pub(super) fn asked_before(c: &Clause<'_>) -> Option<Found> {
    let how_often = |k: usize| {
        c.is(k, C::FILLER.or(C::MORE))
            || c.token(k).is_some_and(|t| t.number.is_some())
            || matches!(
                c.word(k),
                "times" | "time" | "twice" | "before" | "multiple" | "several" | "many" | "repeatedly" | "like"
            )
            || matches!(c.word(k), "veces" | "vez" | "varias" | "muchas" | "antes" | "fois" | "plusieurs" | "deja")
    };
    (0..c.len()).filter(|&i| c.is(i, C::ASKED)).find_map(|i| {
        let j = c.find_after(i, 5, C::KEYWORD.or(C::CEASE).or(C::REMOVE))?;
        if c.after(j, usize::MAX).all(how_often) {
            found(P::AskedBefore, i, j)
        } else {
            None
        }
    })
}
