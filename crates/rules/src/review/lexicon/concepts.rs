//! The concepts a word may stand for, as bits of one set.

/// A set of concepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Concepts(u128);

macro_rules! concepts {
    ($($(#[$doc:meta])* $name:ident = $bit:expr;)*) => {
        impl Concepts {
            $($(#[$doc])* pub const $name: Concepts = Concepts(1 << $bit);)*
        }
    };
}

concepts! {
    /// Asks to stop when its clause holds nothing but filler: "Stop", "Arrêt svp", "Basta ya".
    KEYWORD = 0;
    /// Adds nothing beside a keyword: politeness, emphasis, pronouns, the messages themselves.
    FILLER = 1;
    /// Asks to opt out wherever it stands: UNSUBSCRIBE, désabonner, desuscribir.
    STRONG = 2;
    /// Stops an activity: stop, quit, arrêter, cesser, parar.
    CEASE = 3;
    /// Stops an activity when "de" follows: "dejen de", "para de".
    CEASE_DE = 4;
    /// Takes something or somebody away: remove, delete, quitar, borrar, retirer, supprimer.
    REMOVE = 5;
    /// Moves the contact when "off" or "out" follows: "take me off", "get me off".
    TAKE = 6;
    /// "off", "out".
    OFF = 7;
    /// Turns a word round when it comes before it: not, never, no, ne, nunca.
    NEG = 8;
    /// Turns a French verb round from after it: pas, plus, jamais.
    NEG_POST = 9;
    /// Wanting: want, wish, like, quiero, veux, souhaite.
    WANT = 10;
    /// Receiving messages: receive, recibir, recevoir.
    RECEIVE = 11;
    /// "get", which receives only when the messages follow.
    GET = 12;
    /// Hearing from somebody.
    HEAR = 13;
    /// Missing out on something: miss, perder, rater.
    MISS = 14;
    /// The messages: texts, mensajes, textos, SMS.
    MESSAGES = 15;
    /// Sending: send, mandar, enviar, envoyer.
    SEND = 16;
    /// Writing to somebody by text: text, message, escribir, écrire, contact.
    CONTACT = 17;
    /// Contacting in ways that ask to stop only when aimed at the contact: call, bother, molestar.
    CONTACT_WEAK = 18;
    /// The contact: me, us, moi, nos.
    SELF = 19;
    /// The contact's: my, mi, mon.
    MY = 20;
    /// What the contact owns on a list: number, phone, name, details.
    THING = 21;
    /// this, that, este, ce.
    THIS = 22;
    /// A list or store of contacts.
    LIST = 23;
    /// more, anymore, further, más, plus.
    MORE = 24;
    /// Leaving somebody be: leave, let, dejar, laisser.
    LEAVE = 25;
    /// alone, en paz, tranquille.
    ALONE = 26;
    /// Consent and permission.
    CONSENT = 27;
    /// Signing up.
    SIGNUP = 28;
    /// Giving.
    GIVE = 29;
    /// Spam.
    SPAM = 30;
    /// Reporting to somebody.
    REPORT = 31;
    /// Having had enough: done, tired, harto, marre.
    FEDUP = 32;
    /// Having said or asked before.
    ASKED = 33;
    /// Profanity and intensifiers, which the rules read past.
    SKIP = 34;
    /// Laughter.
    LAUGH = 35;
    /// wrong, equivocado, mauvais.
    WRONG = 36;
    /// right, correcto, bon.
    RIGHT = 37;
    /// A phone number.
    NUMBER = 38;
    /// A person.
    PERSON = 39;
    /// new, nuevo, nouveau.
    NEW = 40;
    /// Changing.
    CHANGE = 41;
    /// Belonging.
    BELONG = 42;
    /// Having or using.
    HAVE = 43;
    /// Being.
    BE = 44;
    /// who, quién, qui.
    WHO = 45;
    /// Knowing somebody.
    KNOW = 46;
    /// nobody, nadie, personne.
    NOBODY = 47;
    /// here, aquí, ici.
    HERE = 48;
    /// Living somewhere.
    LIVE = 49;
    /// named, llamado, s'appelle.
    NAMED = 50;
    /// A common word, never a name.
    COMMON = 51;
    /// Says somebody died, wherever it stands: deceased, falleció, décédé.
    DEATH = 52;
    /// Says somebody died when a person is its subject: died, dead, murió, mort.
    DIED = 53;
    /// A relative, or somebody whose phone it may be.
    RELATIVE = 54;
    /// he, she, él, elle.
    PRONOUN3 = 55;
    /// A child: son, daughter, kid, hijo, enfant.
    CHILD = 56;
    /// Under age: minor, menor, mineur.
    MINOR = 57;
    /// years, años, ans.
    AGE_UNIT = 58;
    /// A phone.
    PHONE = 59;
    /// young, joven, jeune.
    YOUNG = 60;
    /// you, ustedes, vous: a subject that turns "won't stop" into a complaint.
    YOU = 61;
    /// why, if: a complaint or a condition ("why won't you stop", "if you don't stop").
    WHY = 62;
    /// Words that may stand before an imperative: "please don't", "merci de ne plus", "que no".
    LEAD = 63;
    /// "someone", "alguien", "quelqu'un".
    SOMEONE = 64;
    /// "else", "autre", "más" after someone.
    ELSE = 65;
    /// de, of, from: what joins a verb to its object.
    FROM = 66;
    /// the, a, le, el: determiners the rules read past.
    DET = 67;
    /// but, pero, mais.
    BUT = 68;
    /// still, todavía, toujours.
    STILL = 69;
    /// recently, just, ago, hace, depuis.
    RECENT = 70;
    /// The reply's writer: I, yo, je.
    I = 71;
    /// Starts a fixed dismissal ("go away", "get lost", "dégagez"): `request.rs` has them.
    IDIOM = 72;
    /// No word of the lexicon: perhaps a name. Given by the tokenizer, never by a word list.
    UNKNOWN = 73;
    /// School: grade, high school, secundaria, lycée.
    SCHOOL = 74;
    /// Taking part: vote, volunteer, votar, voter. A child who takes part is no child's phone.
    PARTAKE = 75;
    /// same, mismo, même: a number that stayed the same did not change hands.
    SAME = 76;
    /// Understanding, said of somebody else: understand, entienden, comprenez.
    UNDERSTAND = 77;
    /// Warmth towards the sender: love, kind, sweet, encanta, amable, gentil, adore.
    AFFECT = 78;
}

impl Concepts {
    /// The union of two sets.
    pub const fn or(self, other: Concepts) -> Concepts {
        Concepts(self.0 | other.0)
    }

    /// Whether the sets share a concept.
    pub fn any(self, other: Concepts) -> bool {
        self.0 & other.0 != 0
    }
}
