//! English words of the review lexicon, folded (lower case, no apostrophes: "dont", "im").

use super::{Concepts as C, WordLists};

/// Stop words are filler beside one another ("stop stop", "cancel it").
const KEYWORD: C = C::KEYWORD.or(C::FILLER);
/// The messages are filler beside a stop word ("Stop the texts please").
const MESSAGES: C = C::MESSAGES.or(C::FILLER);

pub(super) const WORDS: WordLists = &[
    (
        KEYWORD,
        "stop stopall unsubscribe unsub cancel end quit revoke optout remove rmv halt cease desist spam block blocked \
         blocking stahp delete enough discontinue",
    ),
    (
        C::STRONG,
        "stopall optout revoke desist unsubscribe unsubscribed unsubscribing unsubscription unsub unsubbed unsubscribes",
    ),
    (
        C::FILLER,
        "please pls plz plse plez plis kindly now right immediately asap already again seriously srsly just it this \
         these that the with all and for good forever permanently me us you u thanks thank thx ty tks ok okay k yes \
         yeah no omg god ugh damn dammit hell sir maam man mate dude bro guys x xx ya oh hey hi hello can could would \
         will sorry ah uh geez jeez jesus lord wtf yall everything everyone folks people them so really w",
    ),
    (
        MESSAGES,
        "texts text txts txt messages message msgs msg sms spam alerts notifications updates communication \
         communications comms emails calls robotexts texting subscription stuff nonsense crap garbage bs bullshit junk \
         harassment",
    ),
    (
        C::CONTACT,
        "text texting txt txting texted message messaging msg msging sms contact contacting contacted email emailing \
         emailed write writing testing",
    ),
    (
        C::CONTACT_WEAK,
        "call calling called bother bothering bug bugging harass harassing harassed spamming spammed pester pestering \
         hound hounding blowing annoy annoying ping pinging hitting",
    ),
    (C::SEND, "send sending sent"),
    (
        C::CEASE,
        "stop stops stopped stopping quit quits quitting cease ceased end halt discontinue discontinued refrain cancel \
         cancels cancelled canceled cancelling canceling",
    ),
    (
        C::REMOVE,
        "remove removed removing removes rmv delete deleted deleting erase erased erasing purge purged drop unlist \
         scrub wipe withdraw withdrawing withdrawn block blocked blocking exit forget",
    ),
    (C::TAKE, "take taken taking took get got getting"),
    (C::OFF, "off out outta"),
    (
        C::NEG,
        "not dont never no cant cannot wont didnt doesnt shouldnt wouldnt couldnt isnt arent wasnt nope nor without \
         aint idk dunno nothing neither hasnt havent hadnt dnt",
    ),
    (C::WANT, "want wanna wants wanted wish like need needs care prefer rather desire interested interest"),
    (C::RECEIVE, "receive receiving received recieve recieving"),
    (C::GET, "get getting got gotten"),
    (C::HEAR, "hear hearing"),
    (C::MISS, "miss missing"),
    (C::SELF, "me us myself ourselves"),
    (C::MY, "my our mine"),
    (C::THING, "number num # phone cell name info information details data contact email address line"),
    (C::THIS, "this that these those"),
    (C::LIST, "list lists mailing database system records roster registry distribution contacts"),
    (C::MORE, "more further additional anymore again any longer future ever"),
    (C::LEAVE, "leave let"),
    (C::ALONE, "alone"),
    (C::CONSENT, "consent consented permission authorization authorize authorized agreed"),
    (C::SIGNUP, "signed sign subscribed subscribe opted optin joined"),
    (C::GIVE, "gave give given giving"),
    (C::SPAM, "spam spammers spammer junk"),
    (C::REPORT, "report reporting reported fcc ftc"),
    (C::FEDUP, "done enough tired sick fed over"),
    (C::ASKED, "said asked told say tell saying telling ask"),
    (
        C::SKIP,
        "fucking fuckin fkn fking fcking freaking freakin frickin friggin frigging effing damn damned goddamn goddam \
         bloody heck flipping flippin ing stupid dumb",
    ),
    (C::LAUGH, "lol lmao lmfao haha hahaha hahahaha hehe rofl lolol lolz xd hilarious blush blushing flattered kidding joking jk adorable"),
    (C::PARTAKE, "vote votes voting voted volunteer volunteering register registered registering"),
    (C::SAME, "same"),
    (C::UNDERSTAND, "understand understood comprehend"),
    (C::AFFECT, "love loving adore kind sweet cute lovely nice"),
    (C::WRONG, "wrong rong incorrect mistaken"),
    (C::RIGHT, "right correct"),
    (C::NUMBER, "number num numba no # phone cell line digits"),
    (C::PERSON, "person guy girl lady man woman dude fella gal individual contact recipient"),
    (C::NEW, "new"),
    (C::CHANGE, "changed change changing switched switch reassigned ported recycled"),
    (C::BELONG, "belong belongs belonged belonging"),
    (C::HAVE, "have has had having use uses used own owns owned ive"),
    (C::BE, "is am are im its was were be been being isnt arent wasnt hes shes thats whos theres youre"),
    (C::WHO, "who whos whom"),
    (C::KNOW, "know knows knew idk dunno recognize idea heard"),
    (C::NOBODY, "nobody noone none"),
    (C::HERE, "here"),
    (C::LIVE, "live lives lived living stay stays reside resides"),
    (C::NAMED, "named called"),
    (
        C::RELATIVE,
        "husband hubby wife mom mother mum mommy mama dad father daddy papa son daughter brother sister grandma \
         grandmother grandpa grandfather granny nana grandson granddaughter aunt uncle partner fiance fiancee \
         boyfriend girlfriend spouse cousin nephew niece kid child owner roommate friend stepson stepdaughter sons \
         daughters moms dads husbands wifes mothers fathers grandmas grandpas",
    ),
    (C::PRONOUN3, "he she hes shes him her his hers"),
    (
        C::CHILD,
        "son sons daughter daughters kid kids kiddo child childs children childrens boy stepson stepdaughter \
         grandson granddaughter toddler baby teen teens teenager teenagers teenage",
    ),
    (C::MINOR, "minor minors underage juvenile"),
    (C::AGE_UNIT, "years year yrs yr yo old"),
    (C::PHONE, "phone phones cell cellphone mobile device iphone"),
    (C::YOUNG, "young younger"),
    (C::SCHOOL, "grade school"),
    (C::DEATH, "deceased departed"),
    (C::DIED, "died dead passed late heaven lost"),
    (C::YOU, "you u ya yall youre"),
    (C::WHY, "why if"),
    (C::LEAD, "please pls plz kindly and so but just ok okay then now again seriously also hey hi to respectfully"),
    (C::SOMEONE, "someone somebody another different"),
    (C::ELSE, "else elses person"),
    (C::FROM, "from of with w by"),
    (C::DET, "the a an your ur this these that all any those"),
    (C::BUT, "but"),
    (C::STILL, "still"),
    (C::RECENT, "recently just ago last week month new yesterday"),
    (C::I, "i im ive id ill"),
    (
        C::IDIOM,
        "go get piss fuck fck bugger sod buzz back bug knock cut gtfo leave lose enough opt opting opted give",
    ),
    (
        C::COMMON,
        "a about above after again against all also always am an and another any anyone anything are around as ask \
         at away back bad be because been before being best better between big both but by can come coming could day \
         did do does doing done down each early easy even event every fair few fine first for free friday from fun \
         funny get give go going gone good got great had happy hard has have he help her here him his home hope how \
         however i if in interesting into is it its just keep kind know last late later least left let life like \
         little long look lot love made make many may maybe me might mine more most much must my need never new next \
         nice no not nothing now of off ok old on once one only or other our out over own people place please plenty \
         pretty probably put quite rather real really right said same saturday say see seen she should show since so \
         some something soon still such sunday sure take talk tell than thank thanks that the their them then there \
         these they thing things think this those though through time to today together tomorrow too true try trying \
         tuesday under until up upon us very vote voted voter voters voting want was way we week well went were what \
         when where whether which while who why will wish with without work working would yes yet you your yours \
         monday wednesday thursday january february march april june july august september october november december \
         sorry busy interested running coming going vote election ballot candidate campaign rally office meeting \
         republican republicans democrat democrats democratic labour tory tories conservative conservatives liberal \
         liberals green greens independent gop maga america american americans congress senate senator governor \
         mayor president spanish english french volunteer volunteering donate donated registered register address \
         info link website god jesus christ lord church thanksgiving christmas easter yeah nope hello hi hey bye",
    ),
];
