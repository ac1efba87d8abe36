/**
 * The particles of people's names in the languages of the issue ("de Vries", "van der Berg", "da
 * Silva", "von Trapp"): part of a name next to it, no name alone, and ordinary words elsewhere
 * ("Koninkrijk der Nederlanden"). Pure.
 */
/** Lower-case particles of names ("de Vries", "van der Berg", "da Silva"). */
export const NAME_PARTICLES: ReadonlySet<string> = new Set([
  'de',
  'van',
  'der',
  'den',
  'von',
  'zu',
  'di',
  'da',
  'del',
  'della',
  'le',
  'la',
  'du',
  'dos',
  'das',
  'ten',
  'ter',
  'bin',
  'ibn',
  'bint',
  'al',
  'y',
]);
