/**
 * The words fusion agrees on: item names (aligned with the llm stage's lost-and-found taxonomy so
 * detector, classifier and llm tags compare literally), synonyms, colour synonyms (the colour names
 * themselves are COLOR_NAMES in @media-ai/contracts), known brands and scene labels. Pure data and lookups; it must never hold anything learned from a
 * post (no user text ends up in these tables).
 */
import { isColorName, ITEM_NAMES, type ColorName } from '@media-ai/contracts';
import { CARD_LAYOUT_MAX_WEIGHT, CARD_LAYOUT_MIN_WEIGHT, CARD_LAYOUT_WEIGHT_PER_EXTRA_FIELD } from './calibration.js';

/**
 * Raw label (COCO detector, ImageNet classifier item, llm category, OCR product word) -> canonical
 * item tag: the names of LOST_AND_FOUND_ITEMS, the one taxonomy (@media-ai/contracts).
 */
const ITEM_SYNONYMS: Readonly<Record<string, string>> = ITEM_NAMES;

/**
 * Labels that never become tags: people are not lost items, and a "person" tag would make the
 * matcher pair posts by who happens to stand in the photo. They may still be listed among the
 * detected objects (context: "phone in a hand"), with a box and no identity of any kind.
 */
const NEVER_TAGGED_LABELS = new Set(['person', 'people', 'face', 'man', 'woman', 'child']);

/** Canonical item tag for a raw label, or null when the label is not a lost-and-found item. */
export function canonicalItem(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const key = normalizeLabel(raw);
  if (key === 'other' || key === '') return null;
  const direct = ITEM_SYNONYMS[key];
  if (direct) return direct;
  // ImageNet labels come as comma-separated synonym lists ("wallet, billfold, notecase, pocketbook").
  for (const part of key.split(',')) {
    const hit = ITEM_SYNONYMS[part.trim()];
    if (hit) return hit;
  }
  return null;
}

export function isNeverTagged(raw: string): boolean {
  return NEVER_TAGGED_LABELS.has(normalizeLabel(raw));
}

export function normalizeLabel(raw: string): string {
  return raw
    .trim()
    .toLowerCase()
    .replace(/[_\s]+/g, ' ');
}

/** Other words for the colour names (llm answers, post text). */
const COLOR_SYNONYMS: Readonly<Record<string, ColorName>> = {
  grey: 'gray',
  'dark gray': 'gray',
  'dark grey': 'gray',
  'light gray': 'gray',
  'light grey': 'gray',
  charcoal: 'gray',
  'navy blue': 'navy',
  'dark blue': 'navy',
  'light blue': 'blue',
  'sky blue': 'blue',
  teal: 'green',
  tan: 'beige',
  cream: 'beige',
  violet: 'purple',
  golden: 'gold',
  'rose gold': 'gold',
};

export function canonicalColor(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const key = normalizeLabel(raw);
  const name = COLOR_SYNONYMS[key] ?? key;
  return isColorName(name) ? name : null;
}

/**
 * Known brands, canonical lower-case tag -> display name. Small on purpose: an OCR word is only
 * taken as a brand when it is on this list, because free OCR words can be anything (names, streets).
 */
export const KNOWN_BRANDS: Record<string, string> = {
  apple: 'Apple',
  samsung: 'Samsung',
  varta: 'Varta',
  sony: 'Sony',
  nike: 'Nike',
  adidas: 'Adidas',
  puma: 'Puma',
  canon: 'Canon',
  nikon: 'Nikon',
  google: 'Google',
  huawei: 'Huawei',
  xiaomi: 'Xiaomi',
  lenovo: 'Lenovo',
  dell: 'Dell',
  hp: 'HP',
  asus: 'Asus',
  acer: 'Acer',
  bose: 'Bose',
  jbl: 'JBL',
  beats: 'Beats',
  casio: 'Casio',
  fossil: 'Fossil',
  rolex: 'Rolex',
  'ray-ban': 'Ray-Ban',
  gucci: 'Gucci',
  prada: 'Prada',
  'louis vuitton': 'Louis Vuitton',
  duracell: 'Duracell',
  energizer: 'Energizer',
  herschel: 'Herschel',
  samsonite: 'Samsonite',
  'the north face': 'The North Face',
  lego: 'LEGO',
  nintendo: 'Nintendo',
  garmin: 'Garmin',
};

const BRAND_ALIASES: Record<string, string> = {
  rayban: 'ray-ban',
  'ray ban': 'ray-ban',
  lv: 'louis vuitton',
  'north face': 'the north face',
};

/** Product words that name both the brand and the item (OCR "iPhone" supports apple + phone). */
export const PRODUCT_WORDS: Record<string, { brand: string; item: string | null }> = {
  iphone: { brand: 'apple', item: 'phone' },
  ipad: { brand: 'apple', item: 'tablet' },
  macbook: { brand: 'apple', item: 'laptop' },
  airpods: { brand: 'apple', item: 'headphones' },
  galaxy: { brand: 'samsung', item: null },
  thinkpad: { brand: 'lenovo', item: 'laptop' },
  playstation: { brand: 'sony', item: null },
};

/**
 * Brands that make (almost) only one kind of item a person carries: a legible VARTA on a small
 * cylinder is evidence of batteries even though ImageNet has no battery class. Weaker than a product
 * word (the brand also prints chargers and torches): OCR_SINGLE_PRODUCT_BRAND_WEIGHT in calibration.ts.
 */
export const SINGLE_PRODUCT_BRANDS: Record<string, string> = {
  varta: 'batteries',
  duracell: 'batteries',
  energizer: 'batteries',
};

/**
 * Printed phrases that name the document they are printed on. Official documents and cards carry
 * their own kind in words ("PASSPORT", "DRIVER LICENSE", an insurer's "Member"/"Group #" fields), so
 * the OCR text is evidence of the item where no image model has a class for it. Phrases, not single
 * common words: "member" alone appears on posters and receipts. `weight` scales the OCR confidence:
 * a document's own title is near-certain, a field name shared with other printed matter less so.
 */
export const DOCUMENT_PHRASES: ReadonlyArray<{ phrase: string; item: string; weight: number }> = [
  { phrase: 'passport', item: 'document', weight: 0.9 },
  { phrase: 'passeport', item: 'document', weight: 0.9 },
  { phrase: 'driver license', item: 'card', weight: 0.9 },
  { phrase: 'driver licence', item: 'card', weight: 0.9 },
  { phrase: 'drivers license', item: 'card', weight: 0.9 },
  { phrase: 'identity card', item: 'card', weight: 0.9 },
  { phrase: 'identification card', item: 'card', weight: 0.9 },
  { phrase: 'id card', item: 'card', weight: 0.8 },
  { phrase: 'blue cross', item: 'card', weight: 0.7 },
  { phrase: 'blue shield', item: 'card', weight: 0.7 },
  { phrase: 'member id', item: 'card', weight: 0.7 },
  { phrase: 'member', item: 'card', weight: 0.4 },
  { phrase: 'rx bin', item: 'card', weight: 0.7 },
  { phrase: 'health insurance', item: 'card', weight: 0.7 },
];

/**
 * Printed layouts of wallet-sized cards: the field labels each kind carries. One label can occur on
 * anything ("class", "member", "fax"); several distinct labels of one layout on one photo are the card
 * itself. Minimums differ because the layouts differ in how many labels a card shows: a business card
 * lists two or three contact channels, a licence a dozen fields.
 */
export const CARD_LAYOUTS: ReadonlyArray<{ kind: string; item: string; minFields: number; fields: readonly RegExp[] }> = [
  {
    // AAMVA driving licences and ID cards, EU card fields.
    kind: 'id card',
    item: 'card',
    minFields: 3,
    fields: [
      /\brestrictions?\b/,
      /\bendorsements?\b/,
      /\bhgt\b/,
      /\bwgt\b/,
      /\beyes/,
      /\bsex [mfx]\b/,
      /\bclass [a-d]\b/,
      /\bdob\b/,
      /\bdate of birth\b/,
      /\bexp\b/,
      /\biss\b/,
    ],
  },
  {
    // US health-insurance member cards.
    kind: 'insurance card',
    item: 'card',
    minFields: 3,
    fields: [
      /\bmember\b/,
      /\bdeductible\b/,
      /\bcoinsurance\b/,
      /\bco ?pays?\b/,
      /\brx (?:bin|group|pcn)\b/,
      /\bgroup\b/,
      /\b(?:ppo|hmo|epo)\b/,
      /\bnetwork\b/,
      /\bidentification\b/,
      /\bsubscriber\b/,
      /\bdental\b/,
      /\bvision\b/,
    ],
  },
  {
    // Contact labels of a business card (a letterhead matches too, hence the short-text limit in fusion).
    kind: 'business card',
    item: 'card',
    minFields: 2,
    fields: [/\b(?:tel|phone|ph)\b/, /\b(?:mob|mobile|cell)\b/, /\bfax\b/, /\be ?mail\b/, /\b(?:www|web)\b/],
  },
];

/**
 * Evidence weight that a photo's whole (redacted) OCR text is a card of some layout, from the number
 * of distinct field labels it shows: 0 below the layout's minimum, CARD_LAYOUT_MIN_WEIGHT at it, one
 * step more per further label, at most CARD_LAYOUT_MAX_WEIGHT (calibration.ts). Strongest layout wins.
 */
export function cardLayoutEvidence(text: string): { kind: string; item: string; weight: number } | null {
  // Redaction markers ([PHONE], [ID]) stand for values, not labels: "[PHONE]" must not count as "phone".
  const lower = ` ${text
    .replace(/\[[A-Z_ ]+\]/g, ' ')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')} `;
  let best: { kind: string; item: string; weight: number } | null = null;
  for (const layout of CARD_LAYOUTS) {
    const fields = layout.fields.filter((re) => re.test(lower)).length;
    if (fields < layout.minFields) continue;
    const weight = Math.min(
      CARD_LAYOUT_MAX_WEIGHT,
      CARD_LAYOUT_MIN_WEIGHT + CARD_LAYOUT_WEIGHT_PER_EXTRA_FIELD * (fields - layout.minFields),
    );
    if (!best || weight > best.weight) best = { kind: layout.kind, item: layout.item, weight };
  }
  return best;
}

/** Items the (already redacted) OCR text names, each with the phrase's weight; strongest per item. */
export function documentItemsInText(text: string): Array<{ item: string; weight: number; phrase: string }> {
  const lower = ` ${text
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')} `;
  const best = new Map<string, { weight: number; phrase: string }>();
  for (const { phrase, item, weight } of DOCUMENT_PHRASES) {
    if (lower.includes(` ${phrase} `) && weight > (best.get(item)?.weight ?? 0)) best.set(item, { weight, phrase });
  }
  return [...best].map(([item, { weight, phrase }]) => ({ item, weight, phrase }));
}

export function canonicalBrand(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const key = normalizeLabel(raw);
  const name = BRAND_ALIASES[key] ?? key;
  return name in KNOWN_BRANDS ? name : null;
}

export function brandDisplayName(tag: string): string {
  return KNOWN_BRANDS[tag] ?? tag.replace(/\b\w/g, (c) => c.toUpperCase());
}

/** Brands and product words found as whole words in (already redacted) OCR text. */
export function brandsInText(text: string): Array<{ brand: string; item: string | null }> {
  const found: Array<{ brand: string; item: string | null }> = [];
  const lower = ` ${text.toLowerCase().replace(/[^a-z0-9\- ]+/g, ' ')} `;
  const hasWord = (word: string) => lower.includes(` ${word} `);
  for (const brand of Object.keys(KNOWN_BRANDS)) if (hasWord(brand)) found.push({ brand, item: null });
  for (const [alias, brand] of Object.entries(BRAND_ALIASES)) if (hasWord(alias)) found.push({ brand, item: null });
  for (const [word, implied] of Object.entries(PRODUCT_WORDS)) if (hasWord(word)) found.push(implied);
  return found;
}

/**
 * ImageNet classes that describe a place rather than an item -> scene tag. The classifier is the only
 * scene evidence the pipeline has (there is no scene model), so only unambiguous places are listed.
 */
const SCENE_LABELS: Record<string, string> = {
  library: 'indoor_library',
  restaurant: 'indoor_restaurant',
  cinema: 'indoor_cinema',
  bookshop: 'indoor_retail',
  bookstore: 'indoor_retail',
  'grocery store': 'indoor_retail',
  'shoe shop': 'indoor_retail',
  toyshop: 'indoor_retail',
  'tobacco shop': 'indoor_retail',
  barbershop: 'indoor_retail',
  confectionery: 'indoor_retail',
  seashore: 'outdoor_beach',
  sandbar: 'outdoor_beach',
  lakeside: 'outdoor_lakeside',
  'park bench': 'outdoor_park',
  'street sign': 'outdoor_street',
  'traffic light': 'outdoor_street',
  'passenger car': 'transit_train',
  streetcar: 'transit_tram',
  'school bus': 'transit_bus',
  valley: 'outdoor_nature',
  alp: 'outdoor_nature',
  cliff: 'outdoor_nature',
};

export function sceneForLabel(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const key = normalizeLabel(raw);
  if (SCENE_LABELS[key]) return SCENE_LABELS[key];
  for (const part of key.split(',')) {
    const hit = SCENE_LABELS[part.trim()];
    if (hit) return hit;
  }
  return null;
}
