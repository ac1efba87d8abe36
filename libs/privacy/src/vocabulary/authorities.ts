/**
 * The bodies that issue identity documents, as documents print them in their authority field (ICAO
 * 9303 "Authority", EU driving licence field 4c): a town's administration ("Stadt Köln",
 * "Burgemeester van Utrecht", "Comune di Roma", "Préfecture de Lyon", "Wojewoda Mazowiecki"), a
 * national office ("HMPO", "DGP Madrid", "United States Department of State"). The line such a word
 * starts names the issuer, not the holder: it survives on a document. Pure.
 *
 * Must never hold a personal value.
 */
import { PhraseMatcher } from './phrase-matcher.js';

export const AUTHORITIES = [
  // de
  'stadt',
  'gemeinde',
  'landkreis',
  'landratsamt',
  'kreis',
  'kreisverwaltung',
  'bürgermeister',
  'bürgermeisterin',
  'bürgermeisteramt',
  'bezirksamt',
  'bürgeramt',
  'einwohnermeldeamt',
  'ordnungsamt',
  'magistrat',
  'fahrerlaubnisbehörde',
  'straßenverkehrsamt',
  // nl
  'burgemeester',
  'gemeente',
  'rdw',
  'ind',
  // fr
  'préfecture',
  'sous-préfecture',
  'mairie',
  'ants',
  // it
  'comune',
  'comune di',
  'questura',
  'prefettura',
  'motorizzazione',
  'ministero delle infrastrutture',
  // es, pt
  'ayuntamiento',
  'dgp',
  'dirección general de la policía',
  'dirección general de tráfico',
  'dgt',
  'jefatura',
  'câmara municipal',
  'sef',
  'imt',
  // pl
  'wojewoda',
  'starosta',
  'prezydent miasta',
  'burmistrz',
  'wójt',
  'urząd',
  // tr
  'valilik',
  'valiliği',
  'nüfus müdürlüğü',
  'kaymakamlık',
  'emniyet müdürlüğü',
  // en
  'hmpo',
  'hm passport office',
  'passport office',
  'ips',
  'dvla',
  'dvsa',
  'department of state',
  'united states department of state',
  'department of motor vehicles',
  'department of licensing',
  'dmv',
  'home office',
];

const MATCHER = new PhraseMatcher(AUTHORITIES.map((phrase) => ({ phrase, payload: phrase })));

/**
 * Where the authority's name starts when a line holds one: an issuing body at the start of the line
 * or right after a field number ("4c.Stadt Filipdorf" after the issue date OCR read into the same
 * line); -1 when there is none. The authority's name runs to the end of the line.
 */
export function authorityLineStart(line: string): number {
  for (const m of MATCHER.find(line)) {
    const before = line.slice(0, m.start);
    // After a field number: "4c." may be glued to the date OCR read before it ("050820224c.").
    if (/^\s*$/.test(before) || /(?:^|\s)\d{1,2}[.)]?\s*$/.test(before) || /\d[a-d][.)]?\s*$/.test(before)) return m.start;
  }
  return -1;
}
