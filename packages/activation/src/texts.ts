import type { EanProblem } from './ean';
import type { ActivationErrorCode, ActivationState } from './states';

export const LANGUAGES = ['nl', 'en', 'fr'] as const;
export type Lang = (typeof LANGUAGES)[number];

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export type HintKind = 'no-bytes' | 'bytes-no-telegram';

export interface Texts {
  locale: string;
  title: string;
  stepOf: (step: number, total: number) => string;
  states: Record<ActivationState, { title: string; todo: string[] }>;
  dots: { none: string; orange: string; green: string };
  errors: Record<ActivationErrorCode, string>;
  ean: Record<EanProblem, string> & { ok: string; typed: (digits: number) => string };
  waitingSince: (when: string) => string;
  switchedOnAt: (when: string) => string;
  deadline: (when: string) => string;
  overdue: (helpLine: string) => string;
  helpLine: (helpLine: string) => string;
  hints: Record<HintKind, string> & { watching: string; verified: string };
  /** Labels of the assistant's answers, by action. */
  actions: Record<string, string>;
  prompts: { choose: string; ean: string; paused: string; noMeter: string; invalidChoice: string };
}

const nl: Texts = {
  locale: 'nl-BE',
  title: 'P1-poort openen bij Fluvius',
  stepOf: (step, total) => `Stap ${step} van ${total}`,
  states: {
    'no-account': {
      title: 'Account aanmaken',
      todo: [
        'Open het portaal van Fluvius en kies de gebruikerspoorten van je digitale meter.',
        'Heb je nog geen account? Kies "Registreer je" en bevestig wie je bent met eID (kaartlezer) of itsme.',
        'Vul daarna je telefoonnummer, e-mailadres en een wachtwoord in.',
      ],
    },
    registered: {
      title: 'E-mailadres bevestigen',
      todo: [
        'Fluvius stuurde een mail naar het adres dat je opgaf.',
        'Klik op de link in die mail om je account te activeren.',
      ],
    },
    'email-confirmed': {
      title: 'Inloggen',
      todo: ['Log in op het portaal met je e-mailadres en het wachtwoord dat je koos.'],
    },
    'logged-in': {
      title: 'EAN-code opgeven',
      todo: [
        'Zoek de EAN-code van je elektriciteitsaansluiting: 18 cijfers, begint met 54.',
        'Je vindt ze op je energiefactuur, in de klantenzone van je leverancier of op de sticker op de meter.',
      ],
    },
    'ean-entered': {
      title: 'EAN-code toevoegen',
      todo: [
        'Typ de EAN-code in op het portaal en klik op "Toevoegen aan overzicht".',
        'Is je meter gekend als digitale meter, dan verschijnt hij in je lijst met het elektriciteitslogo.',
      ],
    },
    'ean-added': {
      title: 'Activatie aanvragen',
      todo: [
        'Vink het vakje aan waarmee je akkoord gaat dat je naam aan de contracthouder wordt meegedeeld.',
        'Klik daarna op "Aanvragen".',
      ],
    },
    requested: {
      title: 'Wachten op goedkeuring (oranje bolletje)',
      todo: [
        'De houder van het energiecontract krijgt een mail met een goedkeuringslink, of een brief met een activatiecode.',
        'Laat die persoon op de link klikken, of geef de code uit de brief in op de pagina die Fluvius daarvoor voorziet.',
      ],
    },
    approved: {
      title: 'Poort aanzetten (groen bolletje)',
      todo: [
        'Klik op het groene bolletje naast je EAN-code.',
        'Je ziet dat de P1-poort gesloten is: klik op de aan/uit-knop om hem aan te zetten.',
      ],
    },
    'switched-on': {
      title: 'Poort aangezet',
      todo: ['Kijk welke status het portaal nu toont: meestal "In aanvraag", soms meteen "Open".'],
    },
    'in-aanvraag': {
      title: 'In aanvraag',
      todo: [
        'Fluvius opent de poort op afstand; dat kan tot 72 uur duren.',
        'Sluit intussen de P1-kabel aan: de module ziet zelf wanneer de meter begint te zenden.',
      ],
    },
    overdue: {
      title: 'Duurt langer dan 72 uur',
      todo: ['De poort had intussen open moeten zijn.', 'Bel Fluvius en vermeld je EAN-code.'],
    },
    open: {
      title: 'Poort open',
      todo: [
        'Het portaal toont "Open"; op de meter staat een pijltje boven "GP".',
        'Sluit de P1-kabel aan op de meter: de module wacht op het eerste telegram.',
      ],
    },
    verified: {
      title: 'Klaar: de module leest je meter',
      todo: ['De module ontvangt geldige telegrammen. Er is niets meer te doen.'],
    },
  },
  dots: {
    none: 'Nog geen bolletje: de activatie is nog niet aangevraagd.',
    orange: 'Oranje bolletje: aangevraagd, de contracthouder moet nog goedkeuren.',
    green: 'Groen bolletje: goedgekeurd, je kan de poort aan- en uitzetten.',
  },
  errors: {
    'impossible-transition': 'Die stap kan nu nog niet.',
    'ean-invalid-format': 'Die EAN-code klopt niet.',
    'ean-unknown':
      'Het portaal kent deze EAN-code niet als digitale meter. Controleer de code; heb je nog een oude meter, dan kan de poort niet open.',
    'email-not-confirmed': 'Je e-mailadres is nog niet bevestigd: klik eerst op de link in de mail van Fluvius.',
    'consent-missing': 'Vink eerst het akkoord-vakje aan voor je op "Aanvragen" klikt.',
    'wrong-letter-code': 'De activatiecode is fout. Neem de code precies over uit de brief.',
  },
  ean: {
    empty: 'Typ de EAN-code (18 cijfers).',
    characters: 'Een EAN-code bevat enkel cijfers (spaties en punten mogen).',
    length: 'Een EAN-code telt 18 cijfers.',
    prefix: 'Een Belgische EAN-code begint met 54.',
    'check-digit': 'Het controlecijfer klopt niet: er is een cijfer verkeerd overgenomen.',
    ok: 'Geldige EAN-code.',
    typed: (digits) => `${digits} van 18 cijfers`,
  },
  waitingSince: (when) => `In aanvraag sinds ${when}.`,
  switchedOnAt: (when) => `Aangezet op ${when}.`,
  deadline: (when) => `Uiterlijk open op ${when}.`,
  overdue: (help) => `Het duurt langer dan 72 uur: bel Fluvius op ${help}.`,
  helpLine: (help) => `Hulp nodig? Fluvius: ${help}.`,
  hints: {
    watching: 'De module luistert naar de meter…',
    'no-bytes':
      'De meter stuurt niets. Staat er een pijltje boven "GP" op het display van de meter? Zo niet, dan is de poort nog dicht; zo ja, controleer of de kabel goed in de P1-poort zit.',
    'bytes-no-telegram':
      'Er komen gegevens binnen, maar geen geldige telegrammen. Controleer de kabel (het signaal moet omgekeerd worden) en de snelheid: 115200 baud voor een Belgische meter.',
    verified: 'Eerste geldige telegram ontvangen: de P1-poort is open en de module leest je meter.',
  },
  actions: {
    'register-eid': 'Geregistreerd met eID',
    'register-itsme': 'Geregistreerd met itsme',
    'confirm-email': 'Link in de mail aangeklikt',
    login: 'Ingelogd',
    'login-refused': 'Inloggen lukt niet: e-mail nog niet bevestigd',
    'enter-ean': 'EAN-code ingeven',
    'add-ean': 'EAN-code staat in mijn overzicht',
    'ean-refused': 'Het portaal geeft een foutmelding bij de EAN-code',
    'request-orange': 'Aangevraagd: het bolletje is oranje',
    'request-green': 'Aangevraagd: het bolletje werd meteen groen (ik ben de contracthouder)',
    'request-no-consent': 'Het portaal vraagt om het vakje aan te vinken',
    'approve-email-link': 'Goedgekeurd via de link in de mail',
    'approve-letter-code': 'Goedgekeurd met de code uit de brief',
    'letter-code-refused': 'De code uit de brief werd geweigerd',
    'switch-on': 'Aan/uit-knop aangeklikt',
    'in-aanvraag': 'Status is "In aanvraag"',
    'port-open': 'Status is "Open" / pijltje boven GP',
    watch: 'Naar de meter luisteren',
    wait: 'Later verder (voortgang wordt bewaard)',
    restart: 'Opnieuw beginnen',
  },
  prompts: {
    choose: 'Kies',
    ean: 'EAN-code',
    paused: 'Voortgang bewaard. Start "p1 activate" opnieuw om verder te gaan.',
    noMeter: 'Geef --device PAD of --tcp HOST:POORT mee om de module zelf te laten controleren of de poort open is.',
    invalidChoice: 'Onbekende keuze.',
  },
};

const en: Texts = {
  locale: 'en-GB',
  title: 'Opening the P1 port at Fluvius',
  stepOf: (step, total) => `Step ${step} of ${total}`,
  states: {
    'no-account': {
      title: 'Create an account',
      todo: [
        "Open Fluvius's portal and choose the user ports of your digital meter.",
        'No account yet? Choose "Registreer je" and prove who you are with eID (card reader) or itsme.',
        'Then fill in your phone number, e-mail address and a password.',
      ],
    },
    registered: {
      title: 'Confirm your e-mail address',
      todo: ['Fluvius sent a mail to the address you gave.', 'Click the link in it to activate your account.'],
    },
    'email-confirmed': {
      title: 'Log in',
      todo: ['Log in to the portal with your e-mail address and the password you chose.'],
    },
    'logged-in': {
      title: 'Enter the EAN code',
      todo: [
        'Find the EAN code of your electricity connection: 18 digits starting with 54.',
        "It is on your energy bill, in your supplier's customer area, or on the sticker on the meter.",
      ],
    },
    'ean-entered': {
      title: 'Add the EAN code',
      todo: [
        'Type the EAN code on the portal and click "Toevoegen aan overzicht" (add to overview).',
        'If it is known as a digital meter, it shows up in your list with the electricity logo.',
      ],
    },
    'ean-added': {
      title: 'Request the activation',
      todo: [
        'Tick the box agreeing that your name is passed on to the contract holder.',
        'Then click "Aanvragen" (request).',
      ],
    },
    requested: {
      title: 'Waiting for approval (orange dot)',
      todo: [
        'The holder of the energy contract receives a mail with an approval link, or a letter with an activation code.',
        "Have that person click the link, or enter the letter's code on the page Fluvius provides for it.",
      ],
    },
    approved: {
      title: 'Switch the port on (green dot)',
      todo: [
        'Click the green dot next to your EAN code.',
        'The P1 port shows as closed: click the on/off switch to turn it on.',
      ],
    },
    'switched-on': {
      title: 'Port switched on',
      todo: ['Check the status the portal shows now: usually "In aanvraag" (requested), sometimes "Open" at once.'],
    },
    'in-aanvraag': {
      title: 'In aanvraag (requested)',
      todo: [
        'Fluvius opens the port remotely; this can take up to 72 hours.',
        'Meanwhile connect the P1 cable: the module notices by itself when the meter starts sending.',
      ],
    },
    overdue: {
      title: 'Taking longer than 72 hours',
      todo: ['The port should be open by now.', 'Call Fluvius and give your EAN code.'],
    },
    open: {
      title: 'Port open',
      todo: [
        'The portal shows "Open"; the meter display shows an arrow above "GP".',
        'Plug the P1 cable into the meter: the module waits for the first telegram.',
      ],
    },
    verified: {
      title: 'Done: the module reads your meter',
      todo: ['The module receives valid telegrams. Nothing left to do.'],
    },
  },
  dots: {
    none: 'No dot yet: the activation has not been requested.',
    orange: 'Orange dot: requested, the contract holder still has to approve.',
    green: 'Green dot: approved, you can switch the port on and off.',
  },
  errors: {
    'impossible-transition': 'That step is not possible yet.',
    'ean-invalid-format': 'That EAN code is not right.',
    'ean-unknown':
      'The portal does not know this EAN code as a digital meter. Check the code; with an old meter the port cannot be opened.',
    'email-not-confirmed': 'Your e-mail address is not confirmed yet: first click the link in the mail from Fluvius.',
    'consent-missing': 'Tick the consent box before clicking "Aanvragen".',
    'wrong-letter-code': 'The activation code is wrong. Copy it exactly from the letter.',
  },
  ean: {
    empty: 'Type the EAN code (18 digits).',
    characters: 'An EAN code holds only digits (spaces and dots are fine).',
    length: 'An EAN code has 18 digits.',
    prefix: 'A Belgian EAN code starts with 54.',
    'check-digit': 'The check digit does not match: a digit was copied wrongly.',
    ok: 'Valid EAN code.',
    typed: (digits) => `${digits} of 18 digits`,
  },
  waitingSince: (when) => `In aanvraag since ${when}.`,
  switchedOnAt: (when) => `Switched on ${when}.`,
  deadline: (when) => `Should be open by ${when}.`,
  overdue: (help) => `It is taking longer than 72 hours: call Fluvius on ${help}.`,
  helpLine: (help) => `Need help? Fluvius: ${help}.`,
  hints: {
    watching: 'The module is listening to the meter…',
    'no-bytes':
      'The meter sends nothing. Is there an arrow above "GP" on the meter display? If not, the port is still closed; if so, check that the cable sits firmly in the P1 port.',
    'bytes-no-telegram':
      'Data arrives but no valid telegram. Check the cable (the signal must be inverted) and the speed: 115200 baud for a Belgian meter.',
    verified: 'First valid telegram received: the P1 port is open and the module reads your meter.',
  },
  actions: {
    'register-eid': 'Registered with eID',
    'register-itsme': 'Registered with itsme',
    'confirm-email': 'Clicked the link in the mail',
    login: 'Logged in',
    'login-refused': 'Cannot log in: e-mail not confirmed',
    'enter-ean': 'Enter the EAN code',
    'add-ean': 'The EAN code is in my overview',
    'ean-refused': 'The portal shows an error for the EAN code',
    'request-orange': 'Requested: the dot is orange',
    'request-green': 'Requested: the dot turned green at once (I hold the contract)',
    'request-no-consent': 'The portal asks to tick the box',
    'approve-email-link': 'Approved with the link in the mail',
    'approve-letter-code': "Approved with the letter's code",
    'letter-code-refused': "The letter's code was refused",
    'switch-on': 'Clicked the on/off switch',
    'in-aanvraag': 'Status is "In aanvraag"',
    'port-open': 'Status is "Open" / arrow above GP',
    watch: 'Listen to the meter',
    wait: 'Continue later (progress is saved)',
    restart: 'Start over',
  },
  prompts: {
    choose: 'Choose',
    ean: 'EAN code',
    paused: 'Progress saved. Run "p1 activate" again to continue.',
    noMeter: 'Pass --device PATH or --tcp HOST:PORT to let the module check by itself that the port is open.',
    invalidChoice: 'Unknown choice.',
  },
};

const fr: Texts = {
  ...en,
  locale: 'fr-BE',
  title: 'Ouvrir le port P1 chez Fluvius',
  stepOf: (step, total) => `Étape ${step} sur ${total}`,
  states: {
    'no-account': {
      title: 'Créer un compte',
      todo: [
        'Ouvrez le portail de Fluvius et choisissez les ports utilisateur de votre compteur numérique.',
        "Pas encore de compte ? Inscrivez-vous et identifiez-vous avec l'eID (lecteur de carte) ou itsme.",
        'Indiquez ensuite votre numéro de téléphone, votre adresse e-mail et un mot de passe.',
      ],
    },
    registered: {
      title: 'Confirmer votre adresse e-mail',
      todo: ["Fluvius a envoyé un e-mail à l'adresse indiquée.", 'Cliquez sur le lien pour activer votre compte.'],
    },
    'email-confirmed': {
      title: 'Se connecter',
      todo: ['Connectez-vous au portail avec votre adresse e-mail et le mot de passe choisi.'],
    },
    'logged-in': {
      title: 'Saisir le code EAN',
      todo: [
        'Cherchez le code EAN de votre raccordement électrique : 18 chiffres commençant par 54.',
        "Il figure sur votre facture d'énergie, dans l'espace client de votre fournisseur ou sur l'autocollant du compteur.",
      ],
    },
    'ean-entered': {
      title: 'Ajouter le code EAN',
      todo: [
        "Tapez le code EAN sur le portail et cliquez sur « Ajouter à l'aperçu ».",
        "S'il est connu comme compteur numérique, il apparaît dans votre liste avec le logo électricité.",
      ],
    },
    'ean-added': {
      title: "Demander l'activation",
      todo: [
        'Cochez la case acceptant que votre nom soit communiqué au titulaire du contrat.',
        'Cliquez ensuite sur « Demander ».',
      ],
    },
    requested: {
      title: "En attente d'approbation (point orange)",
      todo: [
        "Le titulaire du contrat d'énergie reçoit un e-mail avec un lien d'approbation, ou une lettre avec un code d'activation.",
        'Cette personne clique sur le lien, ou saisit le code de la lettre sur la page prévue par Fluvius.',
      ],
    },
    approved: {
      title: 'Activer le port (point vert)',
      todo: [
        'Cliquez sur le point vert à côté de votre code EAN.',
        'Le port P1 est affiché fermé : cliquez sur le bouton marche/arrêt pour l’activer.',
      ],
    },
    'switched-on': {
      title: 'Port activé',
      todo: ['Regardez le statut affiché : le plus souvent « En demande », parfois « Ouvert » tout de suite.'],
    },
    'in-aanvraag': {
      title: 'En demande',
      todo: [
        "Fluvius ouvre le port à distance ; cela peut prendre jusqu'à 72 heures.",
        'Branchez déjà le câble P1 : le module voit de lui-même quand le compteur commence à émettre.',
      ],
    },
    overdue: {
      title: 'Plus de 72 heures',
      todo: ['Le port devrait être ouvert.', 'Appelez Fluvius en indiquant votre code EAN.'],
    },
    open: {
      title: 'Port ouvert',
      todo: [
        'Le portail affiche « Ouvert » ; le compteur montre une flèche au-dessus de « GP ».',
        'Branchez le câble P1 : le module attend le premier télégramme.',
      ],
    },
    verified: {
      title: 'Terminé : le module lit votre compteur',
      todo: ['Le module reçoit des télégrammes valides. Plus rien à faire.'],
    },
  },
  dots: {
    none: "Pas encore de point : l'activation n'a pas été demandée.",
    orange: 'Point orange : demandé, le titulaire du contrat doit encore approuver.',
    green: 'Point vert : approuvé, vous pouvez activer et désactiver le port.',
  },
  errors: {
    'impossible-transition': "Cette étape n'est pas encore possible.",
    'ean-invalid-format': "Ce code EAN n'est pas correct.",
    'ean-unknown':
      "Le portail ne connaît pas ce code EAN comme compteur numérique. Vérifiez le code ; avec un ancien compteur, le port ne peut pas s'ouvrir.",
    'email-not-confirmed':
      "Votre adresse e-mail n'est pas encore confirmée : cliquez d'abord sur le lien reçu de Fluvius.",
    'consent-missing': 'Cochez la case d’accord avant de cliquer sur « Demander ».',
    'wrong-letter-code': "Le code d'activation est erroné. Recopiez-le exactement depuis la lettre.",
  },
  ean: {
    empty: 'Tapez le code EAN (18 chiffres).',
    characters: 'Un code EAN ne contient que des chiffres (espaces et points acceptés).',
    length: 'Un code EAN compte 18 chiffres.',
    prefix: 'Un code EAN belge commence par 54.',
    'check-digit': 'Le chiffre de contrôle ne correspond pas : un chiffre a été mal recopié.',
    ok: 'Code EAN valide.',
    typed: (digits) => `${digits} chiffres sur 18`,
  },
  waitingSince: (when) => `En demande depuis le ${when}.`,
  switchedOnAt: (when) => `Activé le ${when}.`,
  deadline: (when) => `Devrait être ouvert le ${when}.`,
  overdue: (help) => `Cela dure plus de 72 heures : appelez Fluvius au ${help}.`,
  helpLine: (help) => `Besoin d'aide ? Fluvius : ${help}.`,
  hints: {
    watching: 'Le module écoute le compteur…',
    'no-bytes':
      "Le compteur n'envoie rien. Voyez-vous une flèche au-dessus de « GP » sur l'écran du compteur ? Sinon, le port est encore fermé ; si oui, vérifiez que le câble est bien enfoncé dans le port P1.",
    'bytes-no-telegram':
      'Des données arrivent mais aucun télégramme valide. Vérifiez le câble (le signal doit être inversé) et la vitesse : 115200 bauds pour un compteur belge.',
    verified: 'Premier télégramme valide reçu : le port P1 est ouvert et le module lit votre compteur.',
  },
  actions: {
    'register-eid': 'Inscrit avec eID',
    'register-itsme': 'Inscrit avec itsme',
    'confirm-email': "Lien de l'e-mail cliqué",
    login: 'Connecté',
    'login-refused': 'Connexion refusée : e-mail non confirmé',
    'enter-ean': 'Saisir le code EAN',
    'add-ean': 'Le code EAN est dans mon aperçu',
    'ean-refused': 'Le portail affiche une erreur pour le code EAN',
    'request-orange': 'Demandé : le point est orange',
    'request-green': 'Demandé : le point est devenu vert tout de suite (je suis titulaire)',
    'request-no-consent': 'Le portail demande de cocher la case',
    'approve-email-link': "Approuvé via le lien de l'e-mail",
    'approve-letter-code': 'Approuvé avec le code de la lettre',
    'letter-code-refused': 'Le code de la lettre a été refusé',
    'switch-on': 'Bouton marche/arrêt cliqué',
    'in-aanvraag': 'Statut « En demande »',
    'port-open': 'Statut « Ouvert » / flèche au-dessus de GP',
    watch: 'Écouter le compteur',
    wait: 'Continuer plus tard (progression enregistrée)',
    restart: 'Recommencer',
  },
  prompts: {
    choose: 'Choix',
    ean: 'Code EAN',
    paused: 'Progression enregistrée. Relancez « p1 activate » pour continuer.',
    noMeter: 'Ajoutez --device CHEMIN ou --tcp HÔTE:PORT pour que le module vérifie lui-même que le port est ouvert.',
    invalidChoice: 'Choix inconnu.',
  },
};

const ALL: Record<Lang, Texts> = { nl, en, fr };

export function texts(lang: Lang): Texts {
  return ALL[lang];
}
