/**
 * What identity documents and cards print for everyone: field labels (field-labels.ts), titles and
 * evidence words (document-types.ts), issuing bodies (authorities.ts), and the rest of the fixed wording below (security notes,
 * state bodies, category codes, linking words of bilingual labels). On an identity document these
 * survive and everything else goes; on other cards they keep a line of capitals from being taken
 * for a name. Pure.
 *
 * Must never hold a personal value.
 */
import { BADGE_ROLES, EVIDENCE } from '../document-types.js';
import { AUTHORITIES } from './authorities.js';
import { FIELD_LABELS, LINE_LABELS, type FieldName } from './field-labels.js';
import { memo } from '../memo.js';
import { PhraseMatcher, type PhraseMatch } from './phrase-matcher.js';
import { spacedView } from '../text-view.js';

const FIXED_WORDING = [
  'specimen',
  'sample',
  'void',
  'muster',
  'spécimen',
  'espécimen',
  'facsimile',
  'federal limits apply',
  'real id',
  'not for federal purposes',
  'not for real id purposes',
  'not for federal identification',
  'limited term',
  'temporary',
  'veteran',
  'donor',
  'organ donor',
  'under 21 until',
  'under 18 until',
  'class',
  'endorsements',
  'end',
  'restrictions',
  'rstr',
  'rest',
  'none',
  'dd',
  'document discriminator',
  'rev',
  'revision',
  'country',
  'pays',
  'date',
  'datum',
  'fecha',
  'data',
  'tarih',
  'issuing country',
  'issuing state',
  'pays émetteur',
  "pays d'émission",
  'blue cross',
  'blue shield',
  'type',
  'typ',
  'tipo',
  'soort',
  'rodzaj',
  'tür',
  'tipi',
  'code',
  'country code',
  'code of issuing state',
  'code of issuing country',
  "code de l'état émetteur",
  'code du pays',
  'kode',
  'ausstellungsstaat',
  'código',
  'código del país',
  'codice',
  'codice paese',
  'code land',
  'landcode',
  'código do país',
  'kod',
  'kod kraju',
  'ülke kodu',
  'republic',
  'république',
  'república',
  'repubblica',
  'republiek',
  'rzeczpospolita',
  'cumhuriyeti',
  'kingdom',
  'royaume',
  'königreich',
  'reino',
  'regno',
  'koninkrijk',
  'federal',
  'fédérale',
  'bundesrepublik',
  'state of',
  'department of licensing',
  'department of motor vehicles',
  'dmv',
  'government',
  'gouvernement',
  'european union',
  'union européenne',
  'europäische union',
  'unión europea',
  'unione europea',
  'europese unie',
  'união europeia',
  'unia europejska',
  'avrupa birliği',
  'observations',
  'remarks',
  'ministry',
  'ministère',
  'ministerio',
  'ministero',
  'ministerie',
  'ministério',
  'ministerstwo',
  'bakanlığı',
  'category',
  'categories',
  'catégories',
  'klasse',
  'klassen',
  'categoría',
  'categoria',
  'categorie',
  'kategoria',
  'sınıf',
  'identity',
  'identité',
  'identität',
  'identidad',
  'identità',
  'identiteit',
  'identidade',
  'tożsamość',
  'kimlik',
  'card',
  'carte',
  'karte',
  'tarjeta',
  'carta',
  'kaart',
  'cartão',
  'karta',
  'kartı',
  'document',
  'documento',
  'dokument',
  'belge',
  'valid',
  'valide',
  'gültig',
  'válido',
  'valido',
  'geldig',
  'ważny',
  'geçerli',
  'permit',
  'licence',
  'license',
  'yes',
  'no',
  'oui',
  'non',
  'ja',
  'nein',
  'sí',
  'sim',
  'nee',
  'tak',
  'nie',
  'evet',
  'hayır',
  'of',
  'the',
  'and',
  'de',
  'du',
  'des',
  'der',
  'die',
  'la',
  'le',
  'et',
  'und',
  'y',
  'e',
  'di',
  'del',
  'della',
  'van',
  'het',
  'do',
  'da',
  'dos',
  've',
  'en',
  'for',
  'pour',
  'für',
  'para',
  'per',
  'voor',
  'dla',
  'için',
  'to',
  'at',
  'in',
  'on',
  'with',
  'by',
  'apply',
  'medical',
  'network',
  'health',
  'savings',
  'plan',
  'shared',
  'out',
  'max',
  'premium',
  'primary',
  'care',
  'specialist',
  'emergency',
  'urgent',
  'prefix',
  'suffix',
  'group',
  'grp',
  'bin',
  'pcn',
  'rx',
  'pcp',
  // States as their documents name them (the words a country list lacks: "Koninkrijk der Nederlanden").
  'bundesrepublik deutschland',
  'république française',
  'repubblica italiana',
  'reino de españa',
  'rzeczpospolita polska',
  'república portuguesa',
  'república federativa do brasil',
  'türkiye cumhuriyeti',
  'koninkrijk der nederlanden',
  'royaume de belgique',
  'koninkrijk belgië',
  'königreich belgien',
  'republik österreich',
  'schweizerische eidgenossenschaft',
  'confédération suisse',
  'confederazione svizzera',
  'united kingdom of great britain and northern ireland',
  'united states of america',
  'grand-duché de luxembourg',
  // Health insurers' short names and regions (field 7 of the European card, the issuer of national cards).
  'aok',
  'dak',
  'barmer',
  'techniker krankenkasse',
  'ikk',
  'bkk',
  'cpam',
  'nfz',
  'sgk',
  'regione',
  'région',
  'comunidad',
  'generalitat',
  'junta',
  // Words of "until" that OCR leaves alone when it garbles the label before them ("Giltig bis").
  'bis',
  'tot',
  'hasta',
  'até',
  'fino al',
  "jusqu'au",
  // Carriers and airports (a boarding pass's and a bag tag's printed names).
  'air',
  'airline',
  'airlines',
  'airways',
  'airport',
  'aeroporto',
  'aeropuerto',
  'aéroport',
  'flughafen',
  'luchthaven',
  'lotnisko',
  'havalimanı',
  'international',
  'intl',
  'aviation',
  'express',
  // Health insurers' names: the institution of a health card is no one's personal data.
  'healthcare',
  'insurance',
  'gesundheit',
  'krankenkasse',
  'ersatzkasse',
  'betriebskrankenkasse',
  'servizio sanitario nazionale',
  'servizio sanitario regionale',
  'servicio de salud',
  'servicio',
  'salud',
  'sanitario',
  'sanitaria',
  'nazionale',
  'regionale',
  'zorgverzekeringen',
  'zorgverzekeraar',
  'zorgverzekeraars',
  'assurance maladie',
  'caisse primaire',
  'mutuelle',
  'seguridad social',
  'narodowy fundusz zdrowia',
  'fundusz',
  'zdrowia',
  'sosyal güvenlik kurumu',
  'serviço nacional de saúde',
  // EU driving-licence categories (field 9) and AAMVA classes.
  'am',
  'a1',
  'a2',
  'b1',
  'be',
  'c1',
  'c1e',
  'ce',
  'd1',
  'd1e',
  'cdl',
];

/** Legal forms and words of firms' names ("Hermanos", "e Figli", "GmbH", "Sp. z o.o."): a line with one names a business. */
const FIRM_WORDS = [
  'hermanos',
  'hijos',
  'asociados',
  'associati',
  'associés',
  'associates',
  'partners',
  'partnerschaft',
  'groep',
  'group',
  'gruppe',
  'grupo',
  'gruppo',
  'groupe',
  'holding',
  'brothers',
  'sons',
  'söhne',
  'fratelli',
  'figli',
  'frères',
  'zonen',
  'ska',
  'spółka',
  'sp. z o.o.',
  's.c.',
  'mbh',
  'ag',
  'kg',
  'ohg',
  'sarl',
  'sas',
  'snc',
  's.l.',
  'spa',
  's.p.a.',
  'srl',
  'bv',
  'nv',
  'vof',
  'v.o.f.',
  'plc',
  'corp',
  'cie',
  'a.ş.',
  'şti',
];

/**
 * Words that name an institution rather than a person ("Riverside Climbing Club", "Stadtbibliothek
 * Köln", "Ospedale San Raffaele"), in the languages of the field labels: a line holding one is an
 * issuer's name, not a holder's, on any layout (namesAnInstitution).
 */
const ORGANISATION_WORDS = [
  'club|verein|association|asociación|asociacion|associazione|vereniging|stowarzyszenie|dernek|society|gesellschaft|société',
  'library|bibliothek|bücherei|bibliothèque|biblioteca|bibliotheek|biblioteka|kütüphane|kutuphane',
  'hospital|krankenhaus|klinikum|hôpital|ospedale|ziekenhuis|szpital|hastane|clinic|klinik|clinique|clínica|clinica|kliniek|klinika',
  'school|schule|école|escuela|scuola|szkoła|okul|academy|akademie|académie|academia|accademia|akademia',
  'institute|institut|instituto|istituto|instituut|instytut|enstitü|foundation|stiftung|fondation|fundación|fondazione|stichting|fundacja|vakıf',
  'centre|center|zentrum|centro|centrum|merkez|museum|museo|musée|muzeum|müze|ministry|ministerium|ministère|ministerio|ministero|ministerie|ministerstwo|bakanlığı',
  'council|gemeinde|mairie|ayuntamiento|municipio|gemeente|urząd|belediyesi|airlines|airways|pharmacy|apotheke|pharmacie|farmacia|apotheek|apteka|eczane',
  'insurance|versicherung|assurance|seguros|assicurazioni|verzekeringen|ubezpieczenia|sigorta|hotel|gym|fitness|sports|sportverein',
  'university|universität|universite|université|universidad|università|universiteit|uniwersytet|universidade|üniversitesi|college|hochschule|fachhochschule',
  'corporation|corp.|company|compañía|compagnie|compagnia|companhia|fc|afc|cf|sv|tsv|vfb|vfl|bsc',
  'airport|flughafen|aéroport|aeroport|aeropuerto|aeroporto|luchthaven|lotnisko|havalimanı|havalimani|flygplats|letiště|letiste|repülőtér|repuloter',
  // "Airlines" in the languages of the labels (privacy-rules-20: "... Linhas Aéreas", "Línea Aérea ..." on tags and passes).
  'aerolíneas|aerolinea|aerolínea|líneas aéreas|línea aérea|linhas aéreas|linha aérea|lignes aériennes|linee aeree|hava yolları|havayolları|fluggesellschaft|linie lotnicze',
].flatMap((group) => group.split('|'));

/**
 * Turkish names an institution with a compound: the place or founder, then the institution's word
 * with the possessive suffix ("Sinop Eczanesi", "Ankara Hastanesi", "Atatürk Okulu", "Kültür
 * Merkezi"): a vowel-final word takes s and the harmonised vowel, a consonant-final one the vowel
 * alone (privacy-rules-20). The words whose compound is regular; the lists above already hold the
 * irregular ones ("belediyesi", "üniversitesi", "bakanlığı").
 */
const TURKISH_INSTITUTION_STEMS = ['eczane', 'hastane', 'kütüphane', 'kutuphane', 'okul', 'merkez', 'müze', 'enstitü', 'akademi'];

/** The possessive compound form of a Turkish word by vowel harmony ("eczane" -> "eczanesi", "okul" -> "okulu"). */
export function turkishCompound(stem: string): string {
  const lastVowel = /[aeıioöuü](?=[^aeıioöuü]*$)/.exec(stem)?.[0] ?? 'e';
  const vowel = ({ a: 'ı', ı: 'ı', e: 'i', i: 'i', o: 'u', u: 'u', ö: 'ü', ü: 'ü' } as Record<string, string>)[lastVowel]!;
  return /[aeıioöuü]$/.test(stem) ? `${stem}s${vowel}` : `${stem}${vowel}`;
}

export type PrintedKind = { kind: 'label'; field: FieldName } | { kind: 'wording' };

const ENTRIES: Array<{ phrase: string; payload: PrintedKind }> = [
  ...FIELD_LABELS.flatMap((label) =>
    label.phrases.map((phrase) => ({ phrase, payload: { kind: 'label', field: label.field } as PrintedKind })),
  ),
  ...EVIDENCE.filter((e) => !e.recognitionOnly).map((e) => ({ phrase: e.phrase, payload: { kind: 'wording' } as PrintedKind })),
  ...FIXED_WORDING.map((phrase) => ({ phrase, payload: { kind: 'wording' } as PrintedKind })),
  // A badge's role ("ATTENDEE", "VISITANTE") is the card's wording, never its holder's.
  ...BADGE_ROLES.map((phrase) => ({ phrase, payload: { kind: 'wording' } as PrintedKind })),
  ...AUTHORITIES.map((phrase) => ({ phrase, payload: { kind: 'wording' } as PrintedKind })),
  ...FIRM_WORDS.map((phrase) => ({ phrase, payload: { kind: 'wording' } as PrintedKind })),
];

// Labels first among equal lengths, so "sex" is a label and not mere wording.
const seen = new Set<string>();
const UNIQUE = ENTRIES.filter((e) => (seen.has(e.phrase.toLowerCase()) ? false : (seen.add(e.phrase.toLowerCase()), true)));

const PRINTED = new PhraseMatcher<PrintedKind>(UNIQUE);
// A label the reader misread digit for letter ("VAL1D THRU", "GELDIG T.0.M.") is still the label.
const LABELS = new PhraseMatcher<FieldName>(
  FIELD_LABELS.flatMap((label) => label.phrases.map((phrase) => ({ phrase, payload: label.field }))),
  { ocrConfusions: true },
);

const FIRMS = new PhraseMatcher<null>(
  [...FIRM_WORDS, ...EVIDENCE.filter((e) => /^(?:gmbh|ltd|inc|llc|s\.a\.|s\.r\.l\.|b\.v\.)$/.test(e.phrase)).map((e) => e.phrase)].map(
    (phrase) => ({
      phrase,
      payload: null,
    }),
  ),
);

/** Whether a line names a firm: it holds a legal form or a firm's word ("Ponce Zaragoza e Hijos", "Huisman Groep"), glued or not. */
export const namesAFirm = memo((line: string): boolean => FIRMS.find(line).length > 0 || FIRMS.find(spacedView(line).text).length > 0);

/**
 * Whether a line names an institution (a word of ORGANISATION_WORDS, whole): such a line on a card
 * is its issuer, never its holder. Not printed wording for the rest of the rules: an OCR-garbled
 * "Schule" must not protect a surname "SCHULZ".
 */
const INSTITUTIONS = new PhraseMatcher<null>(
  [...ORGANISATION_WORDS, ...TURKISH_INSTITUTION_STEMS.map(turkishCompound)].map((phrase) => ({ phrase, payload: null })),
);
export const namesAnInstitution = memo((line: string): boolean => INSTITUTIONS.find(spacedView(line).text).length > 0);

/**
 * A Spanish street's "s/n" (sin número: no house number), written small after the street's name and
 * ending its part of the line ("Rampa Iglesias s/n.", "Travesía Pinar s/n.,41927 Sevilla"), is no
 * serial number's label; a device's "S/N" is written in capitals, its number after it (privacy-rules-19).
 */
function spanishNoNumber(line: string, label: PhraseMatch<FieldName>): boolean {
  return (
    label.payload === 'serial_number' &&
    line.slice(label.start, label.end) === 's/n' &&
    /\p{L}{2,}\s+$/u.test(line.slice(0, label.start)) &&
    /^\.?\s*(?:,|$)/.test(line.slice(label.end))
  );
}

/** Every printed word or phrase of a line (labels with their field, other fixed wording). */
export function findPrinted(line: string): PhraseMatch<PrintedKind>[] {
  return PRINTED.find(line);
}

/**
 * Field labels of a line, with the field each names. A label inside a longer printed phrase is
 * that phrase's word, not a label ("Residence" of "Residence permit", "Name" of "Company name").
 */
export const findLabels = memo((line: string): PhraseMatch<FieldName>[] => {
  const alone = /^\s*(\p{L}{2,3})\.?\s*:?\s*$/u.exec(line);
  const field = alone ? LINE_LABELS[alone[1]!.toLowerCase()] : undefined;
  if (alone && field) {
    const start = line.indexOf(alone[1]!);
    return [{ start, end: start + alone[1]!.length, phrase: alone[1]!.toLowerCase(), payload: field }];
  }
  // A phone's short label and its number alone on their line, glued by the label's stop or colon
  // ("Kom.320620009", "Cel: 912 345 678"): the number shows what the label is (privacy-rules-17); or
  // glued to its number's bracket or spaced from it ("Cep(0532)4417788", "Cel 912 345 678"; privacy-rules-19).
  const beforeNumber = /^\s*(\p{L}{2,3})(?:\.\s*|\s*:\s*|\.\s*:\s*|(?=[+(])|\s+)(?=[+(\d][\d\s()./-]{6,}$)/u.exec(line);
  if (beforeNumber && LINE_LABELS[beforeNumber[1]!.toLowerCase()] === 'phone') {
    const start = line.indexOf(beforeNumber[1]!);
    return [{ start, end: start + beforeNumber[1]!.length, phrase: beforeNumber[1]!.toLowerCase(), payload: 'phone' }];
  }
  const printed = PRINTED.find(line);
  const letters = (from: number, to: number): number => (line.slice(from, to).match(/\p{L}/gu) ?? []).length;
  const found = LABELS.find(line);
  if (found.length === 0 && printed.length === 0) {
    const garbled = garbledLineLabel(line);
    if (garbled) return [garbled];
  }
  return found.filter(
    (label) =>
      !spanishNoNumber(line, label) &&
      !printed.some(
        (p) =>
          p.payload.kind === 'wording' &&
          p.start <= label.start &&
          p.end >= label.end &&
          letters(p.start, p.end) > letters(label.start, label.end),
      ),
  );
});

/** Whether a whole word (or words) is printed wording of documents rather than a value. */
export const isPrintedWord = memo(isPrintedWordOnce);

function isPrintedWordOnce(word: string): boolean {
  const matches = PRINTED.find(word);
  const covered = matches.reduce((n, m) => n + (m.end - m.start), 0);
  return covered >= word.replace(/[^\p{L}\p{N}]/gu, '').length && matches.length > 0;
}

/** Printed phrases as one lower-case, accent-free run of letters ("dateofbirth"), for OCR-garbled lookups. */
const PRINTED_RUNS: readonly string[] = [
  ...new Set(
    UNIQUE.map((e) =>
      e.phrase
        .replace(/\{no\}/g, '')
        .normalize('NFD')
        .replace(/\p{M}/gu, '')
        .toLowerCase()
        .replace(/[^a-z]/g, ''),
    ).filter((run) => run.length >= 5),
  ),
];

function withinDistance(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      best = Math.min(best, row[j]!);
    }
    if (best > max) return false;
    prev = row;
  }
  return prev[b.length]! <= max;
}

/** Field labels as runs of letters, for labels OCR garbled ("Wtasnosc" for "Własność"). */
const LABEL_RUNS: readonly string[] = [
  ...new Set(
    FIELD_LABELS.flatMap((l) => l.phrases)
      .map((p) =>
        p
          .replace(/\{no\}/g, '')
          .normalize('NFD')
          .replace(/\p{M}/gu, '')
          .toLowerCase()
          .replace(/[^a-z]/g, ''),
      )
      .filter((run) => run.length >= 5),
  ),
];

/** Whether a word is a field label OCR garbled by a letter (6+ letters) or two (9+). */
export const isGarbledLabelWord = memo((word: string): boolean => garbledAmong(word, LABEL_RUNS));

/** Field labels of 9+ letters by their run of letters, for a label line OCR garbled by one letter. */
const LONG_LABEL_FIELDS: ReadonlyMap<string, FieldName> = new Map(
  FIELD_LABELS.flatMap((l) => l.phrases.map((p) => [runOf(p.replace(/\{no\}/g, '')), l.field] as const)).filter(([run]) => run.length >= 9),
);

function runOf(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

/**
 * A line that is nothing but a field label OCR garbled by one letter ("Given rames", "Date of bith"):
 * 9+ letters (no name of the benchmark's locales is within one letter of a label that long; shorter
 * ones are: "Bender", "Nobile"), alone on its line, read as the label it is (privacy-rules-17).
 */
function garbledLineLabel(line: string): PhraseMatch<FieldName> | undefined {
  const body = /^\s*([\p{L}][\p{L}'’ /.-]*[\p{L}])\s*:?\s*$/u.exec(line);
  if (!body) return undefined;
  const run = runOf(body[1]!);
  if (run.length < 9 || run.length !== body[1]!.replace(/[^\p{L}]/gu, '').length) return undefined;
  for (const [label, field] of LONG_LABEL_FIELDS) {
    if (Math.abs(label.length - run.length) <= 1 && withinDistance(run, label, 1)) {
      const start = line.indexOf(body[1]!);
      return { start, end: start + body[1]!.length, phrase: label, payload: field };
    }
  }
  return undefined;
}

/**
 * Whether a word is printed wording that OCR garbled by a letter or two ("Pateofbirth",
 * "SRECIMEN", "ssuing"): 6+ letters within one edit of a printed phrase, 9+ within two. Names this
 * close to a label are rare; the words it keeps are the document's own.
 */
export const isGarbledPrintedWord = memo(isGarbledPrintedWordOnce);

function isGarbledPrintedWordOnce(word: string): boolean {
  return garbledAmong(word, PRINTED_RUNS);
}

function garbledAmong(word: string, runs: readonly string[]): boolean {
  const run = word
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
  if (run.length < 6 || run.length !== word.replace(/[^\p{L}]/gu, '').length) return false;
  const max = run.length >= 9 ? 2 : 1;
  const counts = letterCounts(run);
  return runs.some(
    (p) => Math.abs(run.length - p.length) <= max && countsWithin(counts, runLetterCounts(p), max) && withinDistance(run, p, max),
  );
}

/** How often each of a-z occurs in a run (runs hold a-z only). */
function letterCounts(run: string): Int32Array {
  const counts = new Int32Array(26);
  for (let i = 0; i < run.length; i++) counts[run.charCodeAt(i) - 97]!++;
  return counts;
}

/** letterCounts of the printed runs, kept: the runs are a fixed set. */
const RUN_LETTER_COUNTS = new Map<string, Int32Array>();
function runLetterCounts(run: string): Int32Array {
  let counts = RUN_LETTER_COUNTS.get(run);
  if (counts === undefined) RUN_LETTER_COUNTS.set(run, (counts = letterCounts(run)));
  return counts;
}

/**
 * A cheap bound before withinDistance: an edit removes at most one letter the other run lacks and
 * adds at most one it has too few of, so runs whose letter counts differ by more than max either way
 * are more than max edits apart (never skips a pair withinDistance would accept).
 */
function countsWithin(a: Int32Array, b: Int32Array, max: number): boolean {
  let more = 0;
  let fewer = 0;
  for (let k = 0; k < 26; k++) {
    const d = a[k]! - b[k]!;
    if (d > 0) more += d;
    else fewer -= d;
    if (more > max || fewer > max) return false;
  }
  return true;
}
