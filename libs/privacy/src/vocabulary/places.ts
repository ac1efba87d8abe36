/**
 * Names of issuing states as documents print them: country names in the languages of the issue
 * (i18n-iso-countries, ISO 3166 with names in many languages), ISO alpha-3 codes (MRZ state codes),
 * the nationality adjectives passports print (CANADIAN/CANADIENNE), and the US states and
 * Canadian provinces that issue driving licences. A document's issuing state is not personal data;
 * these words are never redacted from a document, and they tell phone parsing which region to try.
 * Pure: the locale data is loaded once with the module.
 */
import { createRequire } from 'node:module';
// The library without its Node entry, which registers all 78 of its locales (~7 MiB of RSS); only
// LANGUAGES are registered below, and only they are ever asked for.
import countries from 'i18n-iso-countries/index.js';
import { memo } from '../memo.js';

const require = createRequire(import.meta.url);
// Beyond the languages, those of more issuing states (sv, da, nb, fi, cs, sk, hu, ro, el): a
// document from any country prints its state's name in its own language (privacy-rules-4).
const LANGUAGES = ['en', 'fr', 'de', 'es', 'it', 'nl', 'pt', 'pl', 'tr', 'sv', 'da', 'nb', 'fi', 'cs', 'sk', 'hu', 'ro', 'el'] as const;
for (const lang of LANGUAGES) countries.registerLocale(require(`i18n-iso-countries/langs/${lang}.json`) as countries.LocaleData);

/** Upper case, accents off, letters only: the key every place word is looked up by. */
export function placeKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ı/g, 'i')
    .replace(/ł/g, 'l')
    .replace(/ß/g, 'SS')
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
}

/**
 * Nationality adjectives as passports print them (the holder's nationality is the issuing state's
 * in all but rare cases). Forms in the languages of the issue, for the states whose documents are
 * most often seen; a missing one is redacted, which errs on the side of privacy.
 */
const NATIONALITY_WORDS =
  'CANADIAN CANADIENNE CANADIEN AMERICAN BRITISH CITIZEN IRISH FRENCH FRANCAISE FRANCAIS GERMAN DEUTSCH DEUTSCHE ALLEMAND ' +
  'SPANISH ESPANOLA ESPANOL ITALIAN ITALIANA ITALIANO DUTCH NEDERLANDSE NEDERLANDER PORTUGUESE PORTUGUESA PORTUGUES POLISH ' +
  'POLSKIE POLSKA POLAK TURKISH TURK TURKIYE BELGIAN BELGE BELGISCH SWISS SUISSE SCHWEIZER SCHWEIZERIN AUSTRIAN OSTERREICH ' +
  'SWEDISH SVENSK NORWEGIAN NORSK DANISH DANSK FINNISH SUOMI GREEK HELLENIC ROMANIAN ROMANA HUNGARIAN MAGYAR CZECH CESKA ' +
  'SLOVAK AUSTRALIAN NEWZEALANDER JAPANESE CHINESE INDIAN MEXICAN MEXICANA BRAZILIAN BRASILEIRA BRASILEIRO ARGENTINE ' +
  'ARGENTINA COLOMBIAN COLOMBIANA UKRAINIAN LUXEMBOURGEOIS LUXEMBURGISCH CITOYEN CITOYENNE';

const US_STATES_AND_PROVINCES =
  'ALABAMA ALASKA ARIZONA ARKANSAS CALIFORNIA COLORADO CONNECTICUT DELAWARE FLORIDA GEORGIA HAWAII IDAHO ILLINOIS INDIANA ' +
  'IOWA KANSAS KENTUCKY LOUISIANA MAINE MARYLAND MASSACHUSETTS MICHIGAN MINNESOTA MISSISSIPPI MISSOURI MONTANA NEBRASKA ' +
  'NEVADA NEWHAMPSHIRE NEWJERSEY NEWMEXICO NEWYORK NORTHCAROLINA NORTHDAKOTA OHIO OKLAHOMA OREGON PENNSYLVANIA ' +
  'RHODEISLAND SOUTHCAROLINA SOUTHDAKOTA TENNESSEE TEXAS UTAH VERMONT VIRGINIA WASHINGTON WESTVIRGINIA WISCONSIN WYOMING ' +
  'DISTRICTOFCOLUMBIA ALBERTA BRITISHCOLUMBIA MANITOBA NEWBRUNSWICK NEWFOUNDLANDANDLABRADOR NOVASCOTIA ONTARIO ' +
  'PRINCEEDWARDISLAND QUEBEC SASKATCHEWAN YUKON NUNAVUT NORTHWESTTERRITORIES';

/** Two-letter US state and Canadian province codes (addresses: "Redmond, WA 98052"). */
export const US_STATE_CODES = new Set(
  (
    'AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC ' +
    'SD TN TX UT VT VA WA WV WI WY DC AB BC MB NB NL NS ON PE QC SK YT NU NT'
  ).split(' '),
);

const PLACE_KEYS = new Set<string>();
for (const lang of LANGUAGES) {
  for (const names of Object.values(countries.getNames(lang, { select: 'all' }))) {
    for (const name of names) PLACE_KEYS.add(placeKey(name));
  }
}
/** ISO alpha-3 codes: places only as printed in capitals (MRZ and nationality fields), "Pol" is a surname. */
const ALPHA3 = new Set(Object.keys(countries.getAlpha3Codes()));
for (const word of `${NATIONALITY_WORDS} ${US_STATES_AND_PROVINCES}`.split(' ')) PLACE_KEYS.add(word);
// Common short forms the ISO lists lack.
for (const word of ['USA', 'UK', 'GREATBRITAIN', 'UNITEDSTATES', 'UNITEDSTATESOFAMERICA', 'ENGLAND', 'SCOTLAND', 'WALES', 'HOLLAND']) {
  PLACE_KEYS.add(word);
}

/** Whether a word or words (any case, spaces ignored) name a country, nationality, US state or province. */
export const isPlaceName = memo(isPlaceNameOnce);

function isPlaceNameOnce(text: string): boolean {
  const key = placeKey(text);
  return (key.length >= 2 && PLACE_KEYS.has(key)) || ALPHA3.has(text.trim());
}

/** ISO alpha-2 of a country named in any of the languages, of an alpha-3 code or the MRZ's "D". */
export const countryCode = memo(countryCodeOnce);

function countryCodeOnce(text: string): string | undefined {
  const upper = text.trim().toUpperCase();
  if (upper === 'D') return 'DE';
  if (/^[A-Z]{3}$/.test(upper)) {
    const a2 = countries.alpha3ToAlpha2(upper);
    if (a2) return a2;
  }
  for (const lang of LANGUAGES) {
    const a2 = countries.getAlpha2Code(text.trim(), lang);
    if (a2) return a2;
  }
  return undefined;
}

/** Word spans of a line that are place names, looked up over windows of up to 6 words. */
export const findPlaceNames = memo(findPlaceNamesOnce);

function findPlaceNamesOnce(line: string): Array<{ start: number; end: number; code?: string }> {
  const words = [...line.matchAll(/\p{L}+(?:['’.]\p{L}+)*/gu)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  const found: Array<{ start: number; end: number; code?: string }> = [];
  for (let i = 0; i < words.length; i++) {
    for (let n = Math.min(6, words.length - i); n >= 1; n--) {
      const first = words[i]!;
      const last = words[i + n - 1]!;
      const text = line.slice(first.start, last.end);
      if (n > 1 && /[^\p{L}\s'’.-]/u.test(text)) continue;
      if (!isPlaceName(text)) continue;
      found.push({ start: first.start, end: last.end, code: countryCode(text) });
      i += n - 1;
      break;
    }
  }
  return found;
}
