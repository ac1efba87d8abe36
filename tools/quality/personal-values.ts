/**
 * The personal values the labelled photos of ../shared/photos show (fictitious specimen and sample
 * data the manifest's notes name: a passport, a driving licence, a health-insurance card and a
 * business card), and the check that none of them is published: every string of a post.enhanced
 * event (and of anything else published for the photo) is searched, case-insensitively. Hashes, ids
 * and timestamps are skipped: a keyed hash or a random UUID is no readable value, and may hold four
 * digits such as "1958" by chance.
 *
 * Must never be used by product code: it is the eval's yardstick, not a redaction rule.
 */

/** Per photo file, the personal values it shows. */
export const PERSONAL_VALUES: Readonly<Record<string, readonly string[]>> = {
  'business_card_on_wooden_desk.jpg': ['avery', 'smith', '7911', '123456', '9876', '5432', '6789', 'kingdom', 'w2 6bd', 'paddington'],
  'id_driver_license_specimen_wa.jpg': [
    'WDLABCD456DG',
    'TALBOT',
    'LIAM',
    '01/06/1958',
    '1958',
    '99999-1234',
    'STREET ADDRESS',
    '01/06/2015',
    '08/12/2020',
  ],
  'passport_specimen_canada.jpg': ['ZE000509', 'BROWN', 'HOLLIE', '8501019', 'P<CAN', '01JAN', '14JAN', 'OTTAWA'],
  'health_insurance_card_on_table.png': ['ANGEL', 'BROWN', '123456789'],
};

/** Strings that carry no readable value: UUIDs, hex digests (keyed hashes, sha256), ISO timestamps. */
const NOT_READABLE = [
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  /^[0-9a-f]{32,}$/i,
  /^\d{4}-\d\d-\d\dT[\d:.]+(?:Z|[+-]\d\d:?\d\d)?$/,
];

/** Every string value in a JSON-like value (keys are the schema's, not data). */
export function stringsOf(value: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(value);
  return out;
}

/** The personal values of `file` found in what was published for it (each once). */
export function personalValuesPublished(file: string, published: unknown): string[] {
  const values = PERSONAL_VALUES[file] ?? [];
  const strings = stringsOf(published)
    .filter((s) => !NOT_READABLE.some((p) => p.test(s)))
    .map((s) => s.normalize('NFKC').toLowerCase());
  return values.filter((v) => strings.some((s) => s.includes(v.normalize('NFKC').toLowerCase())));
}
