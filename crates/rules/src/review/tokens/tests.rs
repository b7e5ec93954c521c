use super::*;

fn words(reply: &str) -> Vec<(String, u32)> {
    let t = Tokens::read(reply);
    t.all().iter().map(|w| (t.word(w).to_owned(), w.clause)).collect()
}

fn plain(reply: &str) -> Vec<String> {
    words(reply).into_iter().map(|(w, _)| w).collect()
}

#[test]
fn clauses_split_at_sentence_punctuation_and_emoji() {
    let w = words("Who is this? Stop 🛑 now");
    assert_eq!(w, [("who", 0), ("is", 0), ("this", 0), ("stop", 1), ("now", 2)].map(|(a, b)| (a.to_owned(), b)));
}

#[test]
fn accents_case_and_repeats_fold() {
    assert_eq!(plain("ARRÊT Número Stoooop pleeease"), ["arret", "numero", "stop", "please"]);
    assert_eq!(plain("offfff tooo nooo stoppp"), ["off", "too", "no", "stop"], "a run may be a double letter");
    assert_eq!(plain("Ça suffit, cœur"), ["ca", "suffit", "coeur"]);
    assert_eq!(plain("st0p 2020"), ["stop", "2020"]);
    assert_eq!(plain("nume\u{301}ro Arre\u{302}t"), ["numero", "arret"], "separate accents");
}

#[test]
fn english_apostrophes_join_and_french_ones_split() {
    assert_eq!(plain("Don't opt-out"), ["dont", "opt", "out"]);
    assert_eq!(plain("Ne m'écrivez plus, j'en ai marre"), ["ne", "m", "ecrivez", "plus", "j", "en", "ai", "marre"]);
    assert_eq!(plain("I'm here, qu'il parte"), ["im", "here", "qu", "il", "parte"]);
}

#[test]
fn masked_words_are_read_past_and_keep_the_clause() {
    let t = Tokens::read("Take me off your f… list");
    let masked: Vec<bool> = t.all().iter().map(|w| w.is(Concepts::SKIP)).collect();
    assert_eq!(masked, [false, false, false, false, true, false]);
    assert!(t.all().iter().all(|w| w.clause == 0));
    assert!(Tokens::read("you f***ing idiots").all()[1].is(Concepts::SKIP));
    assert_eq!(words("No... stop")[1].1, 1, "a known word before an ellipsis ends its clause");
}

#[test]
fn spelled_out_letters_join() {
    for reply in ["S.T.O.P.", "s t o p", "S-T-O-P", "S*T*O*P"] {
        assert_eq!(plain(reply)[0], "stop", "{reply}");
    }
    assert_eq!(plain("a b").len(), 2, "two do not");
    assert_eq!(plain("j'y vais").len(), 3, "elided letters are no spelling");
}

#[test]
fn spanish_pronouns_come_off_their_verbs() {
    let t = Tokens::read("Quítenme de su lista");
    let first = t.all()[0];
    assert!(first.is(Concepts::REMOVE) && first.is(Concepts::SELF));
    assert_eq!(t.word(&first), "quitenme");
    assert!(Tokens::read("escribirle").all()[0].is(Concepts::CONTACT));
    assert!(!Tokens::read("escribirle").all()[0].is(Concepts::SELF));
}

#[test]
fn typos_are_corrected_and_names_noticed() {
    let t = Tokens::read("Stpo numbr, This isnt Sam, SAM");
    let texts: Vec<&str> = t.all().iter().map(|w| t.word(w)).collect();
    assert_eq!(texts, ["stop", "number", "this", "isnt", "sam", "sam"]);
    let caps: Vec<bool> = t.all().iter().map(|w| w.capitalised).collect();
    assert_eq!(caps, [true, false, true, false, true, false]);
    assert!(t.all()[4].unknown && !t.all()[3].unknown);
}

#[test]
fn words_run_together_come_apart_at_their_places() {
    let t = Tokens::read("Removeme pls, Stooooptexting");
    let texts: Vec<&str> = t.all().iter().map(|w| t.word(w)).collect();
    assert_eq!(texts, ["remove", "me", "pls", "stop", "texting"]);
    let spans: Vec<&str> = t.all().iter().map(|w| &t.text()[w.from as usize..w.to as usize]).collect();
    assert_eq!(spans, ["Remove", "me", "pls", "Stooooptexting", "Stooooptexting"], "folded longer: whole word");
    assert!(t.all()[0].is(Concepts::REMOVE) && t.all()[1].is(Concepts::SELF) && !t.all()[0].unknown);
    assert!(Tokens::read("This isn't Justin").all()[2].unknown);
}

#[test]
fn a_long_reply_is_read_to_its_first_sixteen_kib() {
    let long = "é don't stop ".repeat(100_000);
    let t = Tokens::read(&long);
    assert!(t.text().len() <= MAX_READ && long.starts_with(t.text()));
    assert!(t.all().len() < MAX_READ / 4);
}

#[test]
fn spans_point_into_the_reply() {
    let reply = "«Arrêtez» de m’écrire";
    let t = Tokens::read(reply);
    let spans: Vec<&str> = t.all().iter().map(|w| &t.text()[w.from as usize..w.to as usize]).collect();
    assert_eq!(spans, ["Arrêtez", "de", "m", "écrire"]);
    assert!(Tokens::read("I feel 😊").playful);
    // Compatibility forms and separate accents fold letter by letter; spans stay in the reply.
    let t = Tokens::read("ＳＴＯＰ numéro ﬁn");
    let texts: Vec<&str> = t.all().iter().map(|w| t.word(w)).collect();
    assert_eq!(texts, ["stop", "numero", "fin"]);
    let spans: Vec<&str> = t.all().iter().map(|w| &t.text()[w.from as usize..w.to as usize]).collect();
    assert_eq!(spans, ["ＳＴＯＰ", "numéro", "ﬁn"]);
}
