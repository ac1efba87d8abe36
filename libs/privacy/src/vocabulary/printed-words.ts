/**
 * What identity documents and cards print for everyone: field labels (field-labels.ts), titles and
 * evidence words (document-types.ts), issuing bodies (authorities.ts), and the rest of the fixed wording below (security notes,
 * state bodies, category codes, linking words of bilingual labels). On an identity document these
 * survive and everything else goes; on other cards they keep a line of capitals from being taken
 * for a name. Pure.
 *
 * Must never hold a personal value.
 */
import { EVIDENCE } from '../document-types.js';
import { AUTHORITIES } from './authorities.js';
import { FIELD_LABELS, type FieldName } from './field-labels.js';
import { memo } from '../memo.js';
import { PhraseMatcher, type PhraseMatch } from './phrase-matcher.js';

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
  // Legal forms and words of firms' names: a line with one names a business, not a person.
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
  'plc',
  'corp',
  'cie',
  'a.ş.',
  'şti',
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

export type PrintedKind = { kind: 'label'; field: FieldName } | { kind: 'wording' };

const ENTRIES: Array<{ phrase: string; payload: PrintedKind }> = [
  ...FIELD_LABELS.flatMap((label) =>
    label.phrases.map((phrase) => ({ phrase, payload: { kind: 'label', field: label.field } as PrintedKind })),
  ),
  ...EVIDENCE.map((e) => ({ phrase: e.phrase, payload: { kind: 'wording' } as PrintedKind })),
  ...FIXED_WORDING.map((phrase) => ({ phrase, payload: { kind: 'wording' } as PrintedKind })),
  ...AUTHORITIES.map((phrase) => ({ phrase, payload: { kind: 'wording' } as PrintedKind })),
];

// Labels first among equal lengths, so "sex" is a label and not mere wording.
const seen = new Set<string>();
const UNIQUE = ENTRIES.filter((e) => (seen.has(e.phrase.toLowerCase()) ? false : (seen.add(e.phrase.toLowerCase()), true)));

const PRINTED = new PhraseMatcher<PrintedKind>(UNIQUE);
const LABELS = new PhraseMatcher<FieldName>(
  FIELD_LABELS.flatMap((label) => label.phrases.map((phrase) => ({ phrase, payload: label.field }))),
);

/** Every printed word or phrase of a line (labels with their field, other fixed wording). */
export function findPrinted(line: string): PhraseMatch<PrintedKind>[] {
  return PRINTED.find(line);
}

/** Field labels of a line, with the field each names. */
export function findLabels(line: string): PhraseMatch<FieldName>[] {
  return LABELS.find(line);
}

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

/**
 * Whether a word is printed wording that OCR garbled by a letter or two ("Pateofbirth",
 * "SRECIMEN", "ssuing"): 6+ letters within one edit of a printed phrase, 9+ within two. Names this
 * close to a label are rare; the words it keeps are the document's own.
 */
export const isGarbledPrintedWord = memo(isGarbledPrintedWordOnce);

function isGarbledPrintedWordOnce(word: string): boolean {
  const run = word
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
  if (run.length < 6 || run.length !== word.replace(/[^\p{L}]/gu, '').length) return false;
  const max = run.length >= 9 ? 2 : 1;
  return PRINTED_RUNS.some((p) => withinDistance(run, p, max));
}
