//! Spanish words of the review lexicon, folded ("número" → "numero", "años" → "anos"). Verbs
//! carry the pronouns the tokenizer takes off them ("quítenme" is read as "quiten" and "me").

use super::{Concepts as C, WordLists};

const KEYWORD: C = C::KEYWORD.or(C::FILLER);
const MESSAGES: C = C::MESSAGES.or(C::FILLER);

pub(super) const WORDS: WordLists = &[
    (
        KEYWORD,
        "stop alto pare parar paren parad para basta baja cancelar cancela cancelen desuscribir desuscribirme fin quitar \
         borrar eliminar salir detener detengan detenga",
    ),
    (
        C::STRONG,
        "desuscribir desuscribirme desuscribo desuscribirse desuscripcion desinscribir desinscribirme revoco revocar",
    ),
    (
        C::FILLER,
        "por favor porfa porfavor xfa plis pls gracias ya ahora inmediatamente mismo ok si no todo todos toda todas esto eso los \
         las el la me nos favor ustedes senor senora amigo amiga",
    ),
    (
        MESSAGES,
        "mensajes mensaje msj msjs mjs mensajitos textos texto sms whatsapp whatsapps correos notificaciones \
         publicidad propaganda spam informacion comunicacion comunicaciones suscripcion cosas tonterias basura acoso",
    ),
    (
        C::SEND,
        "mandar manden mande mandes manda mandan mandando enviar envien envie envies envia envian enviando mandara \
         mandaran mandaras mandase mandasen enviara enviaran enviaras enviase enviasen mandeis envieis mandad enviad \
         llegar lleguen llegue",
    ),
    (
        C::CONTACT,
        "escribir escriban escriba escribas escribe escriben escribiendo textear texteen textees contactar contacten \
         contacte contactes contactando contactado contactada contactados escribiera escribieran escribieras \
         contactara contactaran contactaras escribais escribid contacteis",
    ),
    (
        C::CONTACT_WEAK,
        "llamar llamen llame llames llamando molestar molesten moleste molestes molestando fastidiar fastidien acosar \
         acosando llenar llenando chingar chinguen chingando fregar frieguen fregando llamara llamaran molestara \
         molestaran joder jodan jodiendo molesteis llameis",
    ),
    (
        C::CEASE,
        "alto parar paren pare parad pararan parara cesar cesen cese detener detengan detenga cancelar cancela cancelen \
         cancelo",
    ),
    (
        C::CEASE_DE,
        "para paren pare parad parar pararan parara dejar deja dejen deje dejes dejad dejan dejaran dejara terminen \
         termina",
    ),
    (
        C::REMOVE,
        "quitar quiten quite quita quites sacar saquen saque saca saques borrar borren borre borra eliminar eliminen \
         elimine elimina retirar retiren retire retiro remover remuevan excluir excluyan bloquear bloqueen bloquee salir salirme bajar bajen baje \
         olviden olvida olvidar borrad quitad sacad eliminad kiten kite kita kitar",
    ),
    (C::NEG, "no nunca jamas ni tampoco sin nada nose"),
    (C::WANT, "quiero quiere queremos quieren deseo desea deseamos necesito interesa prefiero quisiera gustaria"),
    (C::RECEIVE, "recibir recibo reciba recibiendo"),
    (C::HEAR, "saber"),
    (C::MISS, "perder perderme perdiendo"),
    (C::SELF, "me nos mi yo nosotros"),
    (C::MY, "mi mis nuestro nuestra nuestros"),
    (C::THING, "numero nro telefono celular cel nombre datos informacion contacto correo linea"),
    (C::THIS, "este esta estos estas ese esa esos esas esto eso aquel"),
    (C::LIST, "lista listas base sistema registro grupo directorio padron"),
    (C::MORE, "mas nuevamente"),
    (C::LEAVE, "dejar deja dejen deje dejes dejad"),
    (C::ALONE, "paz tranquilo tranquila tranquilos tranquilas"),
    (C::CONSENT, "consentimiento permiso autorizacion autorizo autorice consiento"),
    (C::SIGNUP, "suscribi inscribi registre suscrito suscrita inscrito inscrita apunte"),
    (C::GIVE, "di dio dado dimos dieron den dar dame denme darme"),
    (C::SPAM, "spam basura"),
    (C::REPORT, "reportar reporto reportare reportando denunciar denuncio denunciare bloquear"),
    (C::FEDUP, "harto harta hartos cansado cansada basta suficiente"),
    (C::ASKED, "dije dijimos dicho pedi pedido decir digo"),
    (C::SKIP, "pinche pinches puto puta putos jodido jodida jodidos maldito maldita malditos mierda carajo chingado"),
    (C::LAUGH, "jaja jajaja jajajaja jeje jiji jsjs xd gracioso graciosa chistoso chistosa"),
    (C::PARTAKE, "votar vota votara votare voto voluntario voluntaria registrarse registro"),
    (C::SAME, "mismo misma"),
    (C::AFFECT, "encanta encantan amable lindo lindos tierno tierna amor adoro"),
    (C::UNDERSTAND, "entienden entiende entiendes entender entendieron entendio comprenden comprende comprendes"),
    (
        C::WRONG,
        "equivocado equivocada equivocados equivoco equivocaron equivocaste equivocan equivoca incorrecto incorrecta \
         errado errada erroneo erronea",
    ),
    (C::RIGHT, "correcto correcta bueno"),
    (C::NUMBER, "numero nro telefono celular cel num"),
    (C::PERSON, "persona senor senora destinatario destinataria"),
    (C::NEW, "nuevo nueva"),
    (C::CHANGE, "cambio cambie cambiado cambiaron cambiamos cambiar cambia reasignado reasignada reasignaron"),
    (C::BELONG, "pertenece pertenecia pertenecio pertenecen"),
    (C::HAVE, "tiene tengo tenia tienen usa uso usaba"),
    (C::BE, "es soy eres era esta estoy son fue somos"),
    (C::WHO, "quien quienes"),
    (C::KNOW, "nose conozco conoce conocemos conocen conocia se sabe sabemos idea oido oi"),
    (C::NOBODY, "nadie ningun ninguno ninguna"),
    (C::HERE, "aqui aca"),
    (C::LIVE, "vive viven vivia vivio habita reside"),
    (C::NAMED, "llamado llamada llama llamo nombre"),
    (
        C::RELATIVE,
        "esposo esposa marido mama madre papa padre hijo hija hermano hermana abuelo abuela tio tia primo prima \
         suegro suegra nieto nieta novio novia pareja dueno duena senor senora",
    ),
    (C::PRONOUN3, "el ella ellos"),
    (C::CHILD, "hijo hija hijos hijas nino nina ninos ninas nene nena bebe chamaco chamaca adolescente"),
    (C::MINOR, "menor menores"),
    (C::AGE_UNIT, "anos ano anitos edad"),
    (C::PHONE, "telefono celular cel movil"),
    (C::YOUNG, "joven"),
    (C::SCHOOL, "secundaria primaria prepa preparatoria grado"),
    (C::DEATH, "fallecio fallecido fallecida finado finada difunto difunta qepd descanse"),
    (C::DIED, "murio muerto muerta cielo perdimos perdi perdio"),
    (C::YOU, "ustedes usted tu"),
    (C::WHY, "porque si"),
    (C::LEAD, "que q por favor porfa ya y pero entonces oiga oigan mira"),
    (C::SOMEONE, "alguien otra otro"),
    (C::ELSE, "mas persona"),
    (C::FROM, "de del con"),
    (C::DET, "el la los las un una su sus este esta ese esa vuestra vuestro vuestras vuestros"),
    (C::BUT, "pero"),
    (C::STILL, "todavia aun"),
    (C::RECENT, "hace recien poco acabo"),
    (C::I, "yo"),
    (C::IDIOM, "vete vayanse largate larguense largo fuera no"),
    (
        C::COMMON,
        "a al algo alguien aqui asi bien buen buena buenas buenos cada casa claro como con cosa cuando cuenta de del \
         desde donde dos el ella ellos en entre era eres es esa ese eso esta estaba estamos estan estar este esto \
         estoy evento fue gracias gran hay hola hoy ir la las le les lo los luego mal manana mas me mejor mi mis mucho \
         muy nada no nos nosotros nuestro o otra otro para pero poco por porque pronto puede pueden puedo que quien \
         saludos se ser si sin sobre solo son su sus tambien tan tarde tengo tiene todo todos trabajo tu un una uno \
         usted ustedes va vamos voy votar voto votacion eleccion elecciones candidato candidata partido sabado \
         domingo lunes martes miercoles jueves viernes gracias senor senora perdon dios seguro ayuda voluntario \
         voluntaria informacion direccion enlace",
    ),
];
