//! French words of the review lexicon, from France and Quebec, folded ("arrêtez" → "arretez").
//! Elided words stand alone as the tokenizer splits them: "m'envoyer" is "m" and "envoyer".

use super::{Concepts as C, WordLists};

const KEYWORD: C = C::KEYWORD.or(C::FILLER);
const MESSAGES: C = C::MESSAGES.or(C::FILLER);

pub(super) const WORDS: WordLists = &[
    (
        KEYWORD,
        "stop arret arrete arretez arreter arretes arete stopper stoppez fin desabonner desabonnement desinscrire \
         desinscription supprimer suffit stp assez annuler annulez",
    ),
    (
        C::STRONG,
        "desabonner desabonnez desabonne desabonnement desinscrire desinscrivez desinscris desinscription desinscrit \
         desinscrite revoque revoquer",
    ),
    (
        C::FILLER,
        "svp stp s il vous plait merci maintenant immediatement tout tous toute toutes suite oui non ca ok bon alors les la le ces \
         cela ceci moi me nous bien svpp messieurs mesdames des",
    ),
    (
        MESSAGES,
        "messages message msg textos texto sms textes courriels courriel notifications publicite pub pourriels appels \
         envois infolettre abonnement trucs choses conneries harcelement",
    ),
    (C::SEND, "envoyer envoyez envoie envoies envoient envoye envoi envoyiez"),
    (
        C::CONTACT,
        "ecrire ecrivez ecris ecrit ecrivent ecriviez texter textez textiez contacter contactez contacte contactes \
         contactiez",
    ),
    (
        C::CONTACT_WEAK,
        "appeler appelez deranger derangez harceler harcelez importuner solliciter sollicite sollicitez relancer \
         relancez spammer",
    ),
    (C::CEASE, "arret arreter arretez arrete arretes arretons cesser cessez cesse stopper stoppez annuler annulez"),
    (
        C::REMOVE,
        "retirer retirez retire retires supprimer supprimez supprime supprimes enlever enlevez enleve effacer effacez \
         efface rayer rayez radier radiez oter otez sortez bloquez oubliez \
         oublier",
    ),
    (C::NEG, "ne n jamais sans non aucun aucune"),
    (C::NEG_POST, "pas plus jamais pu pus rien"),
    (C::WANT, "veux veut voulons voulez veulent souhaite souhaitons souhaitez desire desirons prefere aimerais jveux"),
    (C::RECEIVE, "recevoir recois recoit recevons recu recevez"),
    (C::HEAR, "entendre"),
    (C::MISS, "rater manquer perdre"),
    (C::SELF, "me m moi nous"),
    (C::MY, "mon ma mes notre nos"),
    (C::THING, "numero telephone tel portable cellulaire cell nom coordonnees donnees infos informations contact"),
    (C::THIS, "c ce cet cette ces ca cela ceci"),
    (C::LIST, "liste listes fichier base repertoire systeme diffusion registre"),
    (C::MORE, "plus davantage encore"),
    (C::LEAVE, "laisser laissez laisse fichez fiche foutez fous lachez lache"),
    (C::ALONE, "tranquille tranquilles paix"),
    (C::CONSENT, "consentement accord autorisation autorise consens permission"),
    (C::SIGNUP, "inscrit inscrite abonne abonnee inscris souscrit"),
    (C::GIVE, "donne donnee donnes donner"),
    (C::SPAM, "spam pourriel pourriels indesirable"),
    (C::REPORT, "signaler signale signalerai plainte denoncer bloquer"),
    (C::FEDUP, "marre assez suffit fatigue fatiguee ras fini saoule tanne tannee"),
    (C::ASKED, "dit demande redis dire repeter"),
    (C::SKIP, "putain foutu foutue maudit maudite criss crisse tabarnak ostie calisse"),
    (C::LAUGH, "mdr ptdr lol haha hihi xd drole marrant rigolo rougir"),
    (C::PARTAKE, "voter vote votera benevole benevolat participer"),
    (C::SAME, "meme"),
    (C::AFFECT, "adore gentil gentille gentils mignon mignonne chou amour"),
    (C::UNDERSTAND, "comprenez comprends comprend comprennent comprendre compris"),
    (C::WRONG, "mauvais mauvaise faux fausse errone erronee trompe trompez trompes trompee erreur"),
    (C::RIGHT, "bon bonne correct juste"),
    (C::NUMBER, "numero telephone tel portable cellulaire cell no"),
    (C::PERSON, "personne monsieur madame gars destinataire"),
    (C::NEW, "nouveau nouvel nouvelle"),
    (C::CHANGE, "change changer changement reattribue reattribuee reassigne reassignee"),
    (C::BELONG, "appartient appartenait appartenu appartiennent"),
    (C::HAVE, "ai a as avait avez ont utilise"),
    (C::BE, "est suis es etait sont c etes etre ete chu chus chuis jsuis"),
    (C::WHO, "qui"),
    (C::KNOW, "connais connait connaissons connaissez sais sait savons jsp chais entendu"),
    (C::NOBODY, "personne aucun aucune nul"),
    (C::HERE, "ici icitte"),
    (C::LIVE, "habite habitent vit vivent reside demeure"),
    (C::NAMED, "appelle nomme nommee"),
    (
        C::RELATIVE,
        "mari epoux epouse femme mere maman pere papa fils fille frere soeur oncle tante conjoint conjointe cousin \
         cousine proprietaire enfant copain copine chum",
    ),
    (C::PRONOUN3, "il elle lui"),
    (C::CHILD, "fils fille filles enfant enfants gamin gamine ado adolescent adolescente bebe"),
    (C::MINOR, "mineur mineure mineurs mineures"),
    (C::AGE_UNIT, "ans an age"),
    (C::PHONE, "telephone portable cellulaire cell tel mobile"),
    (C::YOUNG, "jeune"),
    (C::SCHOOL, "college lycee primaire"),
    (C::DEATH, "decede decedee deces defunt defunte"),
    (C::DIED, "mort morte feu quittes quitte ciel paradis perdu"),
    (C::YOU, "vous tu"),
    (C::WHY, "pourquoi si"),
    (C::LEAD, "merci de d veuillez svp stp que et mais alors bon"),
    (C::SOMEONE, "quelqu quelquun autre"),
    (C::ELSE, "autre personne"),
    (C::FROM, "de d du des avec"),
    (C::DET, "le la les l un une votre vos ce cette ces du des celui celle"),
    (C::BUT, "mais"),
    (C::STILL, "toujours encore"),
    (C::RECENT, "depuis peu recemment viens"),
    (C::I, "je j chu chus chuis jsuis"),
    (C::IDIOM, "degage degagez allez va crissez sacrez"),
    (
        C::COMMON,
        "a ai aller alors au aussi autre avec avoir bien bon bonjour bonne ca c ce cela ces cette chez comme comment \
         dans de des du elle en encore est et etre fait faire il ils je la le les leur lui ma mais me merci mes moi \
         mon ne non nous on ou oui par pas peut plus pour pourquoi quand que quel quelle qui rien sa sans se ses si \
         son sont sur ta te tes toi ton tous tout tres tu un une vais va vos votre vote voter vous y election \
         candidat candidate parti reunion samedi dimanche lundi mardi mercredi jeudi vendredi desole desolee \
         interesse interessee sur sure benevole adresse lien info infos dieu",
    ),
];
