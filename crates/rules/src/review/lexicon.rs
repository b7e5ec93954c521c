//! The words and phrases the review rules look for. Data only: the rules are in `mod.rs`.
//!
//! Words are lower case, with apostrophes removed ("dont"), as `tokens` produces them.

/// What a phrase says about the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    /// The contact asks to stop.
    Stop,
    /// The contact asks to stop, provided the phrase ends the clause or goes on to name a list
    /// ("take me off your list", not "take me off the waitlist").
    StopOffList,
    /// The number reached the wrong person.
    WrongNumber,
}

/// Phrases, one word after another; `a|b` matches either word. A phrase matches inside one
/// clause, at any position.
pub(crate) const PHRASES: &[(&str, Signal)] = &[
    // Asking to be removed.
    ("remove me|us", Signal::Stop),
    ("remove my|this|our number|#|phone|cell|info|name", Signal::Stop),
    ("delete me|us", Signal::Stop),
    ("delete my|this|our number|#|phone|info", Signal::Stop),
    ("lose my|this|our number", Signal::Stop),
    ("take me|us off", Signal::StopOffList),
    ("take my|this|our number|name off", Signal::StopOffList),
    ("opt me|us out", Signal::Stop),
    ("opt out", Signal::Stop),
    ("opt outta", Signal::Stop),
    // Refusing further messages.
    ("no more|further|longer texts|text|texting|txts|txt|messages|message|msgs|msg|sms|spam|contact", Signal::Stop),
    ("dont|never want to hear from", Signal::Stop),
    ("if you dont stop", Signal::Stop),
    ("if you do not stop", Signal::Stop),
    ("leave me|us alone", Signal::Stop),
    ("leave me|us the hell|heck alone", Signal::Stop),
    ("knock it off", Signal::Stop),
    ("go away", Signal::Stop),
    ("fuck|f|piss|bugger|sod off", Signal::Stop),
    ("get lost", Signal::Stop),
    ("enough already", Signal::Stop),
    // Consent.
    ("withdraw my|our consent", Signal::Stop),
    ("never signed|sign up", Signal::Stop),
    ("didnt sign up", Signal::Stop),
    ("did not sign up", Signal::Stop),
    ("never subscribed", Signal::Stop),
    ("didnt subscribe", Signal::Stop),
    // Spam complaints.
    ("is spam", Signal::Stop),
    ("reported|report|reporting as|for spam", Signal::Stop),
    ("report|reporting you|this", Signal::Stop),
    // Spanish and French.
    ("mas|más mensajes|textos", Signal::Stop),
    ("dejen|deja de", Signal::Stop),
    ("ne plus menvoyer|envoyer|écrire|ecrire|contacter", Signal::Stop),
    ("plus de messages|sms", Signal::Stop),
    // Wrong person.
    ("wrong number|num|no|#|person|guy|girl|lady|man|phone|contact", Signal::WrongNumber),
    ("not my number|name|phone", Signal::WrongNumber),
    ("new number", Signal::WrongNumber),
    ("got this number|phone", Signal::WrongNumber),
    ("by that name", Signal::WrongNumber),
    ("not who you think", Signal::WrongNumber),
    ("dont know who that|thats|this|he|she|is", Signal::WrongNumber),
    ("have|has|use|uses this number anymore", Signal::WrongNumber),
    ("no longer have|has|use|uses this", Signal::WrongNumber),
    ("belongs to someone else", Signal::WrongNumber),
    ("number changed", Signal::WrongNumber),
    ("changed my|our number", Signal::WrongNumber),
    ("changed numbers", Signal::WrongNumber),
];

/// Words that ask to stop when a clause holds nothing else but [`is_filler`] words:
/// "Stop", "stop please", "End it", "Remove.", "Basta ya".
pub(crate) fn is_stop_word(word: &str) -> bool {
    matches!(
        word,
        "stop"
            | "stopall"
            | "unsubscribe"
            | "cancel"
            | "end"
            | "quit"
            | "revoke"
            | "optout"
            | "remove"
            | "unsub"
            | "halt"
            | "block"
            | "cease"
            | "desist"
            | "spam"
            // Spanish, French and German.
            | "alto"
            | "pare"
            | "parar"
            | "basta"
            | "cancelar"
            | "baja"
            | "arrêtez"
            | "arrêter"
            | "arretez"
            | "arreter"
            | "désabonner"
            | "desabonner"
            | "stoppen"
    )
}

/// Words that ask to stop wherever they stand in a reply: nobody uses them in passing.
/// Any word starting with "unsub" counts ("unsubscribing", "unsubbed").
pub(crate) fn is_strong_stop_word(word: &str) -> bool {
    word.starts_with("unsub")
        || matches!(word, "stopall" | "optout" | "revoke" | "desist" | "desuscribir" | "désabonner")
}

/// The verb a word is a form of, among the verbs that ask to stop when the contact or the
/// messages are in the same clause: "removed from your list", "block this number".
pub(crate) fn stop_verb_stem(word: &str) -> Option<&'static str> {
    const STEMS: &[(&str, &[&str])] = &[
        ("stop", &["stop", "stops", "stopped", "stopping"]),
        ("remove", &["remove", "removed", "removing", "removes"]),
        ("block", &["block", "blocked", "blocking"]),
        ("cancel", &["cancel", "cancelled", "canceled", "cancelling", "canceling"]),
        ("quit", &["quit", "quitting"]),
        ("cease", &["cease", "ceased"]),
        ("halt", &["halt", "halted"]),
        ("delete", &["delete", "deleted", "deleting"]),
        ("erase", &["erase", "erased", "erasing"]),
    ];
    STEMS.iter().find(|(_, forms)| forms.contains(&word)).map(|(stem, _)| *stem)
}

/// Words that show the stop verb is about this contact or these messages: "remove *me*",
/// "stop *already*", "block this *number*", "how many times do I have to *say* stop".
pub(crate) fn is_addressee_cue(word: &str) -> bool {
    matches!(word, "me" | "us" | "list" | "lists" | "details" | "again" | "already" | "say" | "said" | "asked" | "told")
        || is_messaging(word)
}

/// Verbs of contacting somebody: "don't ever *text* me".
pub(crate) fn is_contact_verb(word: &str) -> bool {
    matches!(
        word,
        "text" | "txt" | "message" | "msg" | "contact" | "send" | "sms" | "email" | "call" | "texting" | "messaging"
    )
}

/// Words that add nothing to a stop word in the same clause: politeness, emphasis, the messages
/// themselves. A clause of a stop word and these is a request to stop.
pub(crate) fn is_filler(word: &str) -> bool {
    matches!(
        word,
        "please"
            | "pls"
            | "plz"
            | "plse"
            | "kindly"
            | "now"
            | "right"
            | "immediately"
            | "asap"
            | "already"
            | "again"
            | "seriously"
            | "just"
            | "it"
            | "this"
            | "these"
            | "that"
            | "the"
            | "with"
            | "all"
            | "and"
            | "for"
            | "good"
            | "forever"
            | "permanently"
            | "me"
            | "us"
            | "you"
            | "thanks"
            | "thank"
            | "thx"
            | "ty"
            | "ok"
            | "okay"
            | "yes"
            | "no"
            | "omg"
            | "god"
            | "ugh"
            | "damn"
            | "dammit"
            | "hell"
            | "fucking"
            | "fuckin"
            | "freaking"
            | "sir"
            | "maam"
            | "man"
            | "mate"
            | "dude"
            | "bro"
            | "guys"
            | "x"
            | "xx"
            | "ya"
            | "por"
            | "favor"
    ) || is_messaging(word)
        || is_stop_word(word)
}

/// Words for the messages or for sending them: "stop *texting*", "no more *messages*".
pub(crate) fn is_messaging(word: &str) -> bool {
    matches!(
        word,
        "texting"
            | "txting"
            | "texts"
            | "text"
            | "txts"
            | "txt"
            | "messaging"
            | "msging"
            | "messages"
            | "message"
            | "msgs"
            | "msg"
            | "sms"
            | "sending"
            | "contacting"
            | "bothering"
            | "spamming"
            | "spam"
            | "harassing"
            | "contact"
            | "calling"
            | "emailing"
            | "subscription"
            | "notifications"
            | "alerts"
            | "number"
    )
}

/// Verbs that ask to stop when the messages follow: "stop sending", "cancel these texts".
pub(crate) fn is_stop_verb(word: &str) -> bool {
    matches!(word, "stop" | "quit" | "end" | "cancel" | "halt" | "enough")
}

/// Words that turn a stop verb round: "don't stop", "can't stop smiling".
pub(crate) fn is_negation(word: &str) -> bool {
    matches!(
        word,
        "dont"
            | "not"
            | "never"
            | "cant"
            | "cannot"
            | "wont"
            | "didnt"
            | "doesnt"
            | "shouldnt"
            | "wouldnt"
            | "couldnt"
            | "nothing"
            | "nobody"
            | "no"
    )
}

/// Words that follow "this isn't …" in ordinary replies, and so are not a name.
pub(crate) fn is_common_complement(word: &str) -> bool {
    matches!(
        word,
        "it" | "me"
            | "right"
            | "true"
            | "fair"
            | "funny"
            | "ok"
            | "okay"
            | "fine"
            | "good"
            | "bad"
            | "nice"
            | "cool"
            | "real"
            | "legit"
            | "correct"
            | "working"
            | "helpful"
            | "enough"
            | "spam"
            | "serious"
            | "possible"
            | "happening"
            | "him"
            | "her"
            | "them"
            | "us"
            | "you"
            | "that"
            | "this"
            | "what"
            | "how"
    )
}

/// Capitalised words that follow "who is …", "isn't …" or "not …" without being a name.
pub(crate) fn is_not_a_name(word: &str) -> bool {
    matches!(
        word,
        "this"
            | "that"
            | "it"
            | "he"
            | "she"
            | "they"
            | "you"
            | "there"
            | "here"
            | "calling"
            | "texting"
            | "speaking"
            | "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "today"
            | "tomorrow"
            | "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
    )
}

/// Words that can follow "take me off your …" when the contact means the texting list.
pub(crate) fn is_list_word(word: &str) -> bool {
    matches!(word, "list" | "lists" | "mailing" | "contacts" | "contact" | "database") || is_messaging(word)
}

/// Words that can stand between "take me off" and the list: "your", "this", "the".
pub(crate) fn is_list_determiner(word: &str) -> bool {
    matches!(word, "your" | "ur" | "this" | "the" | "these" | "all" | "yall" | "ya")
}
