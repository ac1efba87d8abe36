/**
 * The document types lost-and-found sees, as items of the one taxonomy (LOST_AND_FOUND_ITEMS in
 * @media-ai/contracts: finer kinds of 'document' and 'card'), the printed words that are evidence
 * of each, and what each type's redaction policy is. One home for these facts: the recogniser
 * reads the evidence, the redactor reads the policy.
 *
 * Must never list a personal value as evidence: evidence is what the document prints for everyone
 * (its title, its field labels), so evidence strings can be logged and published.
 */

import type { FieldName } from './vocabulary/field-labels.js';

export const DOCUMENT_TYPES = [
  'passport',
  'national id',
  'driving licence',
  'residence permit',
  'payment card',
  'health insurance card',
  'business card',
  'luggage tag',
  'boarding pass',
  'prescription label',
  'badge',
] as const;

export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export interface RedactionPolicy {
  /**
   * Identity documents: every word that is not a printed label, the document's title, an issuing
   * state or a field number is personal, whether or not a rule recognises it.
   */
  onlyPrintedWordsSurvive: boolean;
  /** Dates without a label are personal (issue and expiry dates narrow down who holds it). */
  allDates: boolean;
  /** Unlabelled tokens shaped like document numbers (6+ characters, 3+ digits) are personal. */
  unlabelledNumbers: boolean;
  /** A line of two or three capitalised words that are no printed word is a name (cards print the holder so). */
  capitalisedNameLines: boolean;
  /** People's names in running text (compromise), for cards that print contact details. */
  personNames: boolean;
  /** Phone numbers without a label or an international prefix, when valid for the evidence's regions. */
  nationalPhones: boolean;
  /**
   * Lines shaped like a street line (words and a house number, in any order) are addresses even
   * without a street type this library knows: the document prints its holder's address.
   */
  streetShapedLines: boolean;
  /** Unlabelled number shapes count from five characters (a personal text of no certain type). */
  shortNumbers: boolean;
  /**
   * A line of two to four capitalised words is the holder's name even when its words are also places
   * or common words ("Rose Baker", "Guadalupe Saldaña Niño"): a badge or a tag prints one person,
   * on a line of its own, and no other line of that shape (privacy-rules-12). Printed wording, firms,
   * institutions, labels and digits still keep a line.
   */
  holderNameLines: boolean;
  /**
   * A line in capitals of two to four words is the holder's name even when its words are places or
   * common words ("ROSE YOUNG", "ITALIA ROSSI"): a payment card embosses its holder in capitals; its
   * issuer's and scheme's words are printed wording, a firm's name or in mixed case (privacy-rules-16).
   */
  embossedHolderLine: boolean;
}

const IDENTITY: RedactionPolicy = {
  onlyPrintedWordsSurvive: true,
  allDates: true,
  unlabelledNumbers: true,
  capitalisedNameLines: true,
  personNames: true,
  // Identity documents print no phone numbers; their dates ("18.01.2028") would pass as some region's numbers.
  nationalPhones: false,
  // Every value goes anyway; the shape would only fight the authority's name ("Stadt Filipdorf").
  streetShapedLines: false,
  shortNumbers: false,
  holderNameLines: false,
  embossedHolderLine: false,
};
const CONTACT: RedactionPolicy = {
  onlyPrintedWordsSurvive: false,
  allDates: false,
  unlabelledNumbers: false,
  capitalisedNameLines: false,
  personNames: true,
  nationalPhones: true,
  streetShapedLines: true,
  shortNumbers: false,
  holderNameLines: false,
  embossedHolderLine: false,
};

export const REDACTION_POLICIES: Readonly<Record<DocumentType, RedactionPolicy>> = {
  passport: IDENTITY,
  'national id': IDENTITY,
  'driving licence': IDENTITY,
  'residence permit': IDENTITY,
  // Number, holder's name and dates; the bank's and the scheme's words stay.
  'payment card': {
    ...CONTACT,
    allDates: true,
    capitalisedNameLines: true,
    personNames: false,
    nationalPhones: false,
    streetShapedLines: false,
    embossedHolderLine: true,
  },
  // Member name and number; group, plan, BIN and PCN identify the insurer's plan, not the member.
  // Its dates are the member's (birth, coverage from and to): every date goes, so a birth date whose
  // label OCR garbled ("Dite of birth") or never read is no longer kept (privacy-rules-14).
  'health insurance card': {
    ...CONTACT,
    allDates: true,
    unlabelledNumbers: true,
    capitalisedNameLines: true,
    personNames: false,
    nationalPhones: false,
    streetShapedLines: false,
  },
  // A card prints its holder's name as a line of its own; titles and firms carry printed words.
  'business card': { ...CONTACT, capitalisedNameLines: true },
  // Its owner's contact details; a date on a tag is its owner's trip (an airline's tag prints the
  // flight's), and a title-less boarding pass its airline's name makes a tag keeps its date by no
  // other rule (privacy-rules-10): every date goes.
  'luggage tag': { ...CONTACT, allDates: true, capitalisedNameLines: true, holderNameLines: true },
  // Passenger name, booking reference, ticket and frequent-flyer numbers (by label and by shape).
  // Its unlabelled codes (gate, seat, flight, times) are no one's; the personal ones carry labels or shapes.
  // The date is the passenger's trip (BCBP encodes it with the name): it goes too.
  'boarding pass': { ...CONTACT, allDates: true, capitalisedNameLines: true, nationalPhones: false, streetShapedLines: false },
  // Patient, prescriber, dates and Rx numbers.
  'prescription label': { ...CONTACT, allDates: true, unlabelledNumbers: true, capitalisedNameLines: true },
  // A badge's dates are its holder's: the validity of a student's or employee's card, a birth date
  // (privacy-rules-11); it prints no date of its own.
  badge: {
    ...CONTACT,
    allDates: true,
    unlabelledNumbers: true,
    capitalisedNameLines: true,
    streetShapedLines: false,
    holderNameLines: true,
  },
};

/**
 * The European Health Insurance Card (EU Decision S2): numbered fields 3-9 that are all its holder's
 * (names, birth date, personal and card numbers, expiry) except the institution (field 7), which
 * the printed wording keeps. So it is redacted like an identity document.
 */
const EHIC: RedactionPolicy = { ...IDENTITY, capitalisedNameLines: true };

/** Evidence of the EHIC's numbered fields 3-9 without its title (recognise-document.ts). */
export const EHIC_NUMBERED_FIELDS = 'ehic field numbers 3-9';

/** Titles (and the numbered layout) that make a health insurance card the European one. */
const EHIC_TITLES = new Set<string>([EHIC_NUMBERED_FIELDS]);

/** The policy of a recognised document (its type's, the EHIC's for a European health insurance card). */
export function policyOf(document: { type: DocumentType; evidence: readonly string[] } | null): RedactionPolicy {
  if (!document) return NO_DOCUMENT_POLICY;
  if (document.type === 'health insurance card' && document.evidence.some((e) => EHIC_TITLES.has(e.replace(/^phrase:/, '')))) {
    return EHIC;
  }
  return REDACTION_POLICIES[document.type];
}

/** Text without a recognised document: labels, checksums and unmistakable formats only. */
export const NO_DOCUMENT_POLICY: RedactionPolicy = {
  onlyPrintedWordsSurvive: false,
  allDates: false,
  unlabelledNumbers: false,
  capitalisedNameLines: false,
  personNames: false,
  nationalPhones: false,
  streetShapedLines: false,
  shortNumbers: false,
  holderNameLines: false,
  embossedHolderLine: false,
};

/**
 * Text that is no recognised document, or one recognised with little confidence, but that labels
 * two or more of a person's fields ("Name", "Date of birth", "Address", "Member ID"...): a form
 * about someone, whatever its layout. Conservative: a value next to or below a personal-field label
 * goes (labels count as on a document), a line shaped like a name goes, and so do full dates and
 * tokens shaped like document numbers; printed words are not all removed (the type is unknown).
 */
export const LABELLED_FORM_POLICY: RedactionPolicy = {
  onlyPrintedWordsSurvive: false,
  allDates: true,
  unlabelledNumbers: true,
  capitalisedNameLines: true,
  personNames: true,
  nationalPhones: true,
  streetShapedLines: true,
  shortNumbers: false,
  holderNameLines: false,
  embossedHolderLine: false,
};

/**
 * A text that looks like someone's card or document (personal-text.ts: an MRZ-like line; a date, a
 * name-shaped line and a number; several labelled or numbered field lines) with no type recognised
 * with confidence: the redactor fails closed. Name-shaped lines, every date, every number shape of
 * five or more characters and address-shaped lines go; printed wording (labels, titles, institution
 * lines, country names) stays, since the type, and so which words are the holder's, is unknown. With
 * the word lists (RedactionOptions.commonWords, privacy-rules-8) only known wording stays: a
 * capitalised word that is no common word goes too (known-wording.ts).
 */
export const PERSONAL_TEXT_POLICY: RedactionPolicy = { ...LABELLED_FORM_POLICY, shortNumbers: true };

/**
 * Each rule of either policy (when the type is uncertain, the stricter one applies). An identity
 * document's policy keeps its own phone and street rules: every value goes there already, and those
 * shapes would only fight the printed authority and dates.
 */
export function stricterPolicy(a: RedactionPolicy, b: RedactionPolicy): RedactionPolicy {
  const identity = a.onlyPrintedWordsSurvive || b.onlyPrintedWordsSurvive;
  return {
    onlyPrintedWordsSurvive: identity,
    allDates: a.allDates || b.allDates,
    unlabelledNumbers: a.unlabelledNumbers || b.unlabelledNumbers,
    capitalisedNameLines: a.capitalisedNameLines || b.capitalisedNameLines,
    personNames: a.personNames || b.personNames,
    nationalPhones: identity ? false : a.nationalPhones || b.nationalPhones,
    streetShapedLines: identity ? false : a.streetShapedLines || b.streetShapedLines,
    shortNumbers: a.shortNumbers || b.shortNumbers,
    holderNameLines: a.holderNameLines || b.holderNameLines,
    embossedHolderLine: a.embossedHolderLine || b.embossedHolderLine,
  };
}

/**
 * Field labels (in every language of vocabulary/field-labels.ts) that only some types print: a
 * boarding pass labels its passenger and booking reference, a prescription its patient, prescriber
 * and Rx number, whatever the airline's or pharmacy's layout. Each weighs too little alone to
 * claim the type (two different fields do, or a field with a title).
 */
export const FIELD_EVIDENCE: Readonly<Partial<Record<FieldName, ReadonlyArray<readonly [DocumentType, number]>>>> = {
  passenger: [['boarding pass', 0.4]],
  booking_reference: [['boarding pass', 0.4]],
  ticket_number: [['boarding pass', 0.3]],
  frequent_flyer: [['boarding pass', 0.3]],
  patient: [['prescription label', 0.35]],
  prescriber: [['prescription label', 0.4]],
  rx_number: [['prescription label', 0.5]],
  card_number: [['payment card', 0.35]],
  member_id: [['health insurance card', 0.25]],
};

export interface EvidencePhrase {
  type: DocumentType;
  /** Printed words (any case, spaces optional, see phraseSource). */
  phrase: string;
  /** How strongly the phrase alone says the type (0..1). */
  weight: number;
  /**
   * Evidence for the recogniser only, not printed wording the redactor keeps (privacy-rules-9): an
   * insurer's or an airline's word can also be part of a holder's street or name
   * ("Rua da Saúde", "Sağlık Sokak"), so listing it must not keep it on an identity document.
   */
  recognitionOnly?: boolean;
  /**
   * A type this phrase says instead once the text holds evidence of that type of its own
   * (privacy-rules-10): an airline's name is a luggage tag's only where nothing says boarding pass
   * (flight, seat, gate, boarding, sequence, passenger or booking labels, the barcode's data); beside
   * such evidence it weighs for the boarding pass, which prints its airline too.
   */
  yieldsTo?: DocumentType;
}

const phrases = (type: DocumentType, weight: number, list: string): EvidencePhrase[] =>
  list.split('|').map((phrase) => ({ type, phrase: phrase.trim(), weight }));

/** Phrases that say the type but stay out of the printed wording (EvidencePhrase.recognitionOnly). */
const recognitionOnly = (type: DocumentType, weight: number, list: string): EvidencePhrase[] =>
  phrases(type, weight, list).map((e) => ({ ...e, recognitionOnly: true }));

function ehicTitles(weight: number, list: string): EvidencePhrase[] {
  const titles = phrases('health insurance card', weight, list);
  for (const t of titles) EHIC_TITLES.add(t.phrase);
  return titles;
}

/** Titles and field labels that say which document a text is. */
export const EVIDENCE: readonly EvidencePhrase[] = [
  ...phrases(
    'passport',
    0.9,
    'passport|passeport|reisepass|pasaporte|passaporto|paspoort|passaporte|paszport|pasaport|passport card|passeport card',
  ),
  ...phrases(
    'passport',
    0.35,
    'code of issuing state|code de l’état émetteur|type / type|place of birth|lieu de naissance|nationality|nationalité',
  ),
  ...phrases(
    'national id',
    0.9,
    "identity card|national identity card|national id card|carte nationale d'identité|carte d'identité|personalausweis|" +
      "documento nacional de identidad|documento de identidad|carta d'identità|carta di identità|identiteitskaart|" +
      'identiteitsbewijs|cartão de cidadão|cartao de cidadao|dowód osobisty|kimlik kartı|nüfus cüzdanı|identification card|id card',
  ),
  // Titles in more of Europe's languages (privacy-rules-4): sv, da/nb, fi, cs/sk, hu, ro.
  ...phrases('passport', 0.9, 'cestovní pas|cestovný pas|útlevél|pașaport'),
  ...phrases(
    'national id',
    0.9,
    'identitetskort|nationellt identitetskort|identitetskort for|henkilökortti|občanský průkaz|občiansky preukaz|' +
      'személyazonosító igazolvány|személyi igazolvány|carte de identitate|buletin de identitate',
  ),
  ...phrases(
    'driving licence',
    0.9,
    'körkort|kørekort|førerkort|ajokortti|řidičský průkaz|vodičský preukaz|vezetői engedély|permis de conducere',
  ),
  ...phrases(
    'residence permit',
    0.95,
    'uppehållstillstånd|opholdstilladelse|oppholdstillatelse|oleskelulupa|povolení k pobytu|povolenie na pobyt|' +
      'tartózkodási engedély|tartózkodási kártya|permis de ședere',
  ),
  ...phrases(
    'health insurance card',
    0.8,
    'sjukförsäkringskort|sundhedskort|sygesikringskort|průkaz pojištěnce|preukaz poistenca|egészségbiztosítási kártya|' +
      'taj kártya|card de sănătate|card european de asigurări',
  ),
  ...phrases('boarding pass', 0.95, 'boardingkort|palubní vstupenka|palubný lístok|beszállókártya|carte de îmbarcare'),
  ...phrases('prescription label', 0.8, 'apotek|apteekki|lékárna|lekáreň|gyógyszertár|farmacie'),
  ...phrases('payment card', 0.35, 'bankkort|betalkort|kreditkort|bankkártya|hitelkártya|betéti kártya|debetní|kreditní|debetná'),
  ...phrases('luggage tag', 0.85, 'tillhör|upphittare|tilhører|nálezce|a megtaláló|megtaláló'),
  ...phrases(
    'badge',
    0.85,
    'studentkort|personalkort|studentský průkaz|zaměstnanecký průkaz|diákigazolvány|hallgatói kártya|dolgozói kártya',
  ),
  ...phrases('badge', 0.3, 'universitet|univerzita|egyetem|yliopisto|hallgató|studerande|besökare|návštěva|látogató'),
  ...phrases('badge', 0.45, 'avdelning|oddělení|osztály|zaměstnanec|munkatárs|medarbetare'),
  ...phrases('national id', 0.4, 'dni|cni|nie|pesel|bsn|t.c. kimlik'),
  ...phrases(
    'driving licence',
    0.9,
    "driver license|driver's license|drivers license|driver licence|driving licence|driving license|permis de conduire|" +
      'führerschein|permiso de conducción|permiso de conducir|licencia de conducir|patente di guida|rijbewijs|' +
      'carta de condução|carteira de habilitação|prawo jazdy|sürücü belgesi|commercial driver license',
  ),
  ...phrases('driving licence', 0.55, 'federal limits apply|real id|endorsements|restrictions|cdl|dln|lic#|dl#|dl no'),
  ...phrases('driving licence', 0.25, 'donor|veteran|class|dl|eyes|hgt|wgt|hair'),
  // OCR garbles the first word of the title often ("DRWERLICENSE"); the word alone is weaker (software licences).
  ...phrases('driving licence', 0.5, 'license|licence'),
  ...phrases(
    'residence permit',
    0.95,
    'residence permit|permanent resident|resident card|residence card|biometric residence permit|titre de séjour|' +
      'aufenthaltstitel|aufenthaltserlaubnis|niederlassungserlaubnis|permiso de residencia|tarjeta de residencia|' +
      'permesso di soggiorno|carta di soggiorno|verblijfsvergunning|autorização de residência|título de residência|' +
      'karta pobytu|ikamet izni|green card',
  ),
  ...phrases('residence permit', 0.4, 'type of permit|remarks|anmerkungen|observations|remarques'),
  ...phrases('payment card', 0.7, 'valid thru|valid through|good thru|cardholder|card holder|member since|valid from'),
  // The expiry label in the issuing bank's language; identity documents print some of these too ("Gültig bis"),
  // so they weigh less than "valid thru" and need the scheme's name beside them.
  ...phrases(
    'payment card',
    0.5,
    'válida hasta|valida hasta|válido hasta|valido hasta|gültig bis|scadenza|valida fino a|ważna do|wazna do|expire fin|' +
      "fin de validité|valable jusqu’à|valable jusqu'à|geldig tot|válido até|valido ate|son kullanma|geçerlilik|" +
      // Swedish, Czech and Hungarian banks' wording (privacy-rules-9).
      'giltig t.o.m.|giltigt t.o.m.|giltig tom|giltigt tom|giltig till|platnost do|platí do|érvényes|lejárat',
  ),
  // European debit cards print the account's IBAN.
  ...phrases('payment card', 0.45, 'iban'),
  ...phrases(
    'payment card',
    0.35,
    'debit|credit|visa|mastercard|maestro|american express|amex|discover|diners club|jcb|unionpay|contactless|platinum|' +
      'electron|cirrus|girocard|bank|banco|banca|banque|sparkasse|volksbank|raiffeisen|credit union|caixa|débito|debito|débit|' +
      'crédito|credito|crédit|kredyt|kredi|debet|bankası',
  ),
  ...phrases(
    'health insurance card',
    0.8,
    'health insurance|insurance card|health card|medicare|medicaid|blue cross|blue shield|member id|subscriber id|' +
      'rx bin|rxbin|rx pcn|rx grp|rx group|copay|deductible|coinsurance|krankenversicherung|versichertenkarte|' +
      'gesundheitskarte|carte vitale|assurance maladie|tarjeta sanitaria|tessera sanitaria|zorgverzekering|' +
      'cartão de utente|ehic|karta ubezpieczenia zdrowotnego|zorgpas|sağlık kartı|tarjeta sanitaria individual|' +
      // Brazil's public health card, the SUS card (privacy-rules-19).
      'cartão nacional de saúde|cartão do sus',
  ),
  // The European Health Insurance Card's title in its languages: its numbered fields (3-9) look like a
  // licence's, the title decides.
  ...ehicTitles(
    0.97,
    "european health insurance card|carte européenne d’assurance maladie|carte européenne d'assurance maladie|" +
      'europäische krankenversicherungskarte|tarjeta sanitaria europea|tessera europea di assicurazione malattia|' +
      'europese ziekteverzekeringskaart|europejska karta ubezpieczenia zdrowotnego|cartão europeu de seguro de doença|' +
      'avrupa sağlık sigortası kartı',
  ),
  // The EHIC's title in more languages (privacy-rules-4).
  ...ehicTitles(
    0.97,
    'europeiskt sjukförsäkringskort|europæisk sygesikringskort|eurooppalainen sairaanhoitokortti|' +
      'evropský průkaz zdravotního pojištění|európai egészségbiztosítási kártya|cardul european de asigurări sociale de sănătate',
  ),
  ...phrases('health insurance card', 0.3, 'ppo|hmo|epo|dental|vision|insurance|member|group|network|pcp'),
  // A national card that prints no title: its issuer is the public health service or insurer, named
  // in its own language (privacy-rules-9). Words, not one issuer's name; alone below the threshold.
  ...recognitionOnly(
    'health insurance card',
    0.45,
    'health service|nhs|health plan|krankenkasse|aok|cpam|salud|sanidad|sanitario|sanitaria|zorgverzekeraar|' +
      'saúde|saude|zdrowia|sgk|sosyal güvenlik|sağlık|saglik|försäkringskassan|forsakringskassan|pojišťovna|pojistovna|' +
      'egészségbiztosítási|egeszsegbiztositasi|neak',
  ),
  // The member's number under the insurer's own label ("N° de afiliación", "Numer ubezpieczonego").
  ...phrases(
    'health insurance card',
    0.45,
    "afiliación|afiliacion|ubezpieczonego|versichertennummer|versicherten-nr|numéro d’assuré|numéro d'assuré|" +
      "numero d'assure|numéro de sécurité sociale|verzekerdennummer|número de utente|numero de utente|cartão sus|" +
      'codice sanitario|sigortalı|sigortali|sigorta no|försäkringsnummer|forsakringsnummer|pojištěnce|pojistence|' +
      'taj szám|taj szam|biztosított',
  ),
  ...phrases(
    'business card',
    0.3,
    'www.|http|director|manager|engineer|researcher|consultant|ceo|cto|cfo|founder|partner|' +
      'head of|sales|marketing|senior|associate|president|officer|specialist|architect|analyst|' +
      'directeur|geschäftsführer|gerente|direttore|mob|mobile|tel|fax|ltd|gmbh|inc|llc|s.a.|s.r.l.|b.v.',
  ),
  // Job titles in the languages of the issue: cards and staff badges both print one.
  ...phrases(
    'business card',
    0.3,
    'consultor|consultora|berater|beraterin|consulente|adviseur|doradca|danışman|directora|directrice|direktor|dyrektor|' +
      'dyrektorka|kierownik|leiter|leiterin|responsable|ingeniero|ingeniera|ingénieur|ingenieur|ingegnere|inżynier|' +
      'mühendis|developer|développeur|desarrollador|desarrolladora|entwickler|sviluppatore|ontwikkelaar|programista|' +
      'administrador|administradora|administrator|amministratore|coordinator|coordinador|coordinadora|coordinatore|' +
      'koordinator|analista|analyste|spécialiste|spezialist|especialista|specialista|asistente|assistant|assistente|' +
      'supervisor|planner|designer|liaison|representative|strategist|producer|executive|facilitator|technician|' +
      'orchestrator|agent|agente|administrateur|chargé|chargée|responsabile|uzman|müdür|architekt|architektin|architecte|' +
      'arquitecto|arquitecta|architetto|architektka|mimar|steuerberater|rechtsanwalt|rechtsanwältin|avocat|avocate|abogado|' +
      'abogada|avvocato|advocaat|adwokat|avukat|notaire|notario|notaio|notaris|notariusz',
  ),
  ...phrases(
    'luggage tag',
    0.85,
    'property of|if found|please return|return to|belongs to|luggage tag|bag tag|baggage tag|appartient à|' +
      'en cas de perte|propiedad de|eigentum von|di proprietà di|eigendom van|propriedade de',
  ),
  // "If found" and "property of" in the languages of the issue, as tags print them.
  ...phrases(
    'luggage tag',
    0.85,
    'propriété de|proprietà di|własność|wlasnosc|si trouvé|si vous trouvez|se trovato|se ritrovato|' +
      'si lo encuentra|si se encuentra|se encontrado|se encontrar|indien gevonden|finder bitte|bitte zurück|' +
      'znalazca|znalazcę|prosimy o zwrot|bulunursa|sahibi',
  ),
  ...phrases('luggage tag', 0.4, 'luggage|baggage|owner|reward'),
  // A blank tag's own title in the languages of the issue (privacy-rules-12): many print nothing else.
  ...phrases(
    'luggage tag',
    0.85,
    'étiquette bagage|étiquette de bagage|étiquette à bagage|kofferanhänger|gepäckanhänger|etiqueta de equipaje|' +
      'etiqueta para equipaje|etichetta bagaglio|etichetta per bagagli|etichetta portanome|bagagelabel|kofferlabel|' +
      'zawieszka na bagaż|zawieszka bagażowa|etiqueta de bagagem|etiqueta de mala|bagaj etiketi|valiz etiketi|bagagetikett|' +
      'bagagebricka|adresslapp|jmenovka na zavazadlo|visačka na zavazadlo|bőröndcímke|poggyászcímke|csomagcímke',
  ),
  // The airline's name on a tag it hands out (privacy-rules-9); a boarding pass prints one too, but
  // its own evidence (gate, seat, flight, the barcode's data) is far stronger.
  ...recognitionOnly(
    'luggage tag',
    0.6,
    'airlines|airline|airways|air lines|líneas aéreas|lineas aereas|linhas aéreas|linhas aereas|linee aeree|' +
      'compagnie aérienne|fluggesellschaft|luchtvaartmaatschappij|linie lotnicze|hava yolları|hava yollari|havayolları|' +
      'aerolíneas|aerolineas|flygbolag|letecká společnost|légitársaság|aviation',
  ).map((e) => ({ ...e, yieldsTo: 'boarding pass' as const })),
  ...recognitionOnly('boarding pass', 0.35, 'airlines|airline|airways|air lines|aerolíneas|aerolineas|hava yolları'),
  // A form of labelled contact fields is a tag's ("Name:", "Adresse:"); business cards print a name
  // without "Name:". Read from the field labels of every language (recognise-document.ts, privacy-rules-11).
  // Tags print their fields as words on lines of their own too ("NAME", "ADDRESS"); weaker alone.
  ...phrases('luggage tag', 0.3, 'name|address|adresse|anschrift|dirección|indirizzo|adres'),
  ...phrases(
    'boarding pass',
    0.95,
    "boarding pass|carte d’embarquement|carte d'embarquement|bordkarte|tarjeta de embarque|carta d’imbarco|" +
      "carta d'imbarco|instapkaart|cartão de embarque|karta pokładowa|biniş kartı|boarding time|boarding group",
  ),
  ...phrases('boarding pass', 0.3, 'boarding|gate|seat|flight|zone|departure|arrival|pnr|booking ref|e-ticket|etkt|sequence|seq|terminal'),
  ...phrases(
    'prescription label',
    0.8,
    'rx#|rx no|refills|refill|by mouth|pharmacy|pharmacie|apotheke|farmacia|apotheek|farmácia|apteka|eczane|' +
      'prescriber|prescribed|discard after|dispensed|ndc',
  ),
  ...phrases('prescription label', 0.25, 'qty|quantity|take|tablet|tablets|capsule|capsules|daily|twice|mg|din|dr.'),
  // What every dispensing label prints whatever the pharmacy (privacy-rules-9): the date it was
  // filled, and the package leaflet's standard warning in the languages of the issue.
  ...phrases(
    'prescription label',
    0.5,
    'date filled|fill date|filled on|dispensed on|date dispensed|abgabedatum|abgegeben am|date de dispensation|' +
      'fecha de dispensación|dispensado el|data di dispensazione|dispensato il|afleverdatum|' +
      'datum aflevering|data wydania leku|data de dispensa|dispensado em|expedierat|datum výdeje|kiadás dátuma',
  ),
  ...phrases(
    'prescription label',
    0.6,
    'keep out of reach of children|keep out of the reach of children|keep out of the sight and reach of children|' +
      'außerhalb der reichweite von kindern|für kinder unzugänglich|tenir hors de portée des enfants|' +
      'tenir hors de la vue et de la portée des enfants|mantener fuera del alcance de los niños|' +
      'mantener fuera de la vista y del alcance de los niños|tenere fuori dalla portata dei bambini|' +
      'tenere fuori dalla vista e dalla portata dei bambini|buiten het bereik van kinderen|' +
      'buiten het zicht en bereik van kinderen|przechowywać w miejscu niedostępnym dla dzieci|' +
      'niedostępnym dla dzieci|manter fora do alcance das crianças|manter fora da vista e do alcance das crianças|' +
      'çocukların ulaşamayacağı yerde|çocukların göremeyeceği|förvaras utom syn- och räckhåll för barn|' +
      'utom räckhåll för barn|uchovávejte mimo dohled a dosah dětí|mimo dosah dětí|gyermekektől elzárva|' +
      'gyermekek elől elzárva',
  ),
  ...phrases(
    'badge',
    0.85,
    'badge|student card|staff card|employee id|student id|staff id|visitor pass|carte étudiant|studentenausweis|' +
      'mitarbeiterausweis|carnet de estudiante|studentenkaart|carte d’étudiant|tessera universitaria|carnet universitario|' +
      'legitymacja studencka|öğrenci kimlik kartı|dienstausweis|werknemerspas|personeelspas',
  ),
  ...phrases(
    'badge',
    0.3,
    'student|staff|employee|visitor|faculty|university|college|school|campus|contractor|étudiant|estudiante|' +
      'studente|matricule|universiteit|universität|université|universidad|università|universidade|uniwersytet|üniversitesi|' +
      'hogeschool|hochschule',
  ),
  // Staff badges: the department and the staff word in the languages.
  ...phrases(
    'badge',
    0.45,
    'department|dept|afdeling|abteilung|dział|dzial|departamento|dipartimento|département|departman|reparto|' +
      'medewerker|mitarbeiter|mitarbeiterin|pracownik|empleado|empleada|dipendente|employé|employée|funcionário|çalışan|personel',
  ),
  ...phrases('badge', 0.3, 'personal|personnel|personale'),
  // The Italian word for a holder's card (staff, student, press: "Tesserino personale"); privacy-rules-12.
  ...phrases('badge', 0.45, 'tesserino'),
  // Student and staff cards' titles and the student's number label in the twelve languages of the
  // issue (privacy-rules-11): a university card prints its holder's fields like an ID card does
  // ("Surname", "Date of birth"), so its own words must outweigh four identity labels.
  ...phrases(
    'badge',
    0.85,
    'studierendenausweis|carte étudiante|carte professionnelle|carné de estudiante|tarjeta universitaria|' +
      'tessera studente|studentenpas|legitymacja pracownicza|carteira de estudante|carteira estudantil|' +
      'öğrenci belgesi|personel kimlik kartı|průkaz studenta|hallgatói igazolvány|munkahelyi igazolvány',
  ),
  ...phrases(
    'badge',
    0.7,
    'matriculation no|matriculation number|matrikelnummer|matrikelnr|matrikel-nr|numéro étudiant|numéro d’étudiant|' +
      "numéro d'étudiant|n° étudiant|n° d'étudiant|número de matrícula|n.º de matrícula|nº de matrícula|numero di matricola|" +
      'studentnummer|numer albumu|nr albumu|öğrenci no|öğrenci numarası|studentnr|' +
      'osobní číslo studenta|neptun-kód|neptun kód|staff no|staff number|personalnr|personalnummer',
  ),
  // The holder's role in the languages of the issue (a card's one word: "STUDIERENDE", "ÖĞRENCİ").
  ...phrases('badge', 0.45, 'studierende|studierender|étudiante|estudante|öğrenci|ogrenci|studentka'),
];

/**
 * A badge's role, printed alone on its line in big letters ("VISITOR", "BESUCHER", "ATTENDEE"): staff,
 * visitor, student and event roles in the twelve languages of the issue: evidence alone on its line
 * only (recognise-document.ts), inside a sentence these are everyday words; printed wording always.
 */
export const BADGE_ROLES: readonly string[] = (
  'staff|employee|visitor|guest|student|contractor|volunteer|crew|speaker|attendee|participant|delegate|exhibitor|' +
  'organiser|organizer|sponsor|vip|mitarbeiter|mitarbeiterin|besucher|besucherin|referent|referentin|' +
  'teilnehmer|teilnehmerin|aussteller|studierende|personnel|visiteur|visiteuse|invité|invitée|intervenant|intervenante|' +
  'exposant|étudiant|étudiante|bénévole|personal|empleado|visitante|invitado|invitada|ponente|asistente|expositor|' +
  'estudiante|voluntario|personale|dipendente|visitatore|visitatrice|ospite|relatore|relatrice|partecipante|espositore|' +
  'studente|volontario|medewerker|bezoeker|spreker|deelnemer|standhouder|vrijwilliger|pracownik|gość|gosc|prelegent|' +
  'uczestnik|wystawca|wolontariusz|funcionário|funcionario|palestrante|convidado|expositor|estudante|personel|' +
  'ziyaretçi|ziyaretci|misafir|konuşmacı|katılımcı|öğrenci|ogrenci|besökare|gäst|talare|deltagare|utställare|' +
  'zaměstnanec|zamestnanec|návštěva|navsteva|řečník|recnik|účastník|ucastnik|vystavovatel|munkatárs|munkatars|' +
  'látogató|latogato|vendég|vendeg|előadó|eloado|résztvevő|resztvevo|kiállító|kiallito|hallgató'
).split('|');
