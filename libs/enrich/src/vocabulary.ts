/**
 * The words fusion agrees on: item names (aligned with the llm stage's lost-and-found taxonomy so
 * detector, classifier and llm tags compare literally), synonyms, colours with reference hex codes,
 * known brands and scene labels. Pure data and lookups; it must never hold anything learned from a
 * post (no user text ends up in these tables).
 */

/**
 * Raw label (COCO detector, ImageNet classifier item, llm category, OCR product word) -> canonical
 * item tag. Canonical names follow ITEM_CATEGORIES of services/llm where one fits, because the matcher
 * compares tag strings literally: "cell phone" on one post and "phone" on another would not match.
 */
const ITEM_SYNONYMS: Record<string, string> = {
  phone: 'phone',
  'cell phone': 'phone',
  cellphone: 'phone',
  'cellular telephone': 'phone',
  'cellular phone': 'phone',
  'mobile phone': 'phone',
  mobile: 'phone',
  smartphone: 'phone',
  'smart phone': 'phone',
  iphone: 'phone',
  wallet: 'wallet',
  billfold: 'wallet',
  notecase: 'wallet',
  pocketbook: 'wallet',
  'card holder': 'wallet',
  keys: 'keys',
  key: 'keys',
  keychain: 'keys',
  'key chain': 'keys',
  keyring: 'keys',
  bag: 'bag',
  handbag: 'bag',
  purse: 'bag',
  'shoulder bag': 'bag',
  tote: 'bag',
  suitcase: 'bag',
  luggage: 'bag',
  backpack: 'backpack',
  'back pack': 'backpack',
  rucksack: 'backpack',
  knapsack: 'backpack',
  packsack: 'backpack',
  laptop: 'laptop',
  'laptop computer': 'laptop',
  notebook: 'laptop',
  'notebook computer': 'laptop',
  macbook: 'laptop',
  thinkpad: 'laptop',
  tablet: 'tablet',
  'tablet computer': 'tablet',
  ipad: 'tablet',
  headphones: 'headphones',
  headphone: 'headphones',
  earphones: 'headphones',
  earphone: 'headphones',
  earbuds: 'headphones',
  headset: 'headphones',
  airpods: 'headphones',
  watch: 'watch',
  wristwatch: 'watch',
  'digital watch': 'watch',
  'analog watch': 'watch',
  smartwatch: 'watch',
  jewelry: 'jewelry',
  jewellery: 'jewelry',
  ring: 'jewelry',
  necklace: 'jewelry',
  bracelet: 'jewelry',
  glasses: 'glasses',
  eyeglasses: 'glasses',
  spectacles: 'glasses',
  sunglasses: 'glasses',
  sunglass: 'glasses',
  clothing: 'clothing',
  jacket: 'clothing',
  coat: 'clothing',
  jersey: 'clothing',
  sweatshirt: 'clothing',
  tie: 'clothing',
  scarf: 'clothing',
  hat: 'clothing',
  cap: 'clothing',
  glove: 'clothing',
  shoes: 'shoes',
  shoe: 'shoes',
  sneaker: 'shoes',
  sneakers: 'shoes',
  boot: 'shoes',
  'running shoe': 'shoes',
  umbrella: 'umbrella',
  bottle: 'bottle',
  'water bottle': 'bottle',
  'water jug': 'bottle',
  document: 'document',
  passport: 'document',
  book: 'book',
  card: 'card',
  toy: 'toy',
  'teddy bear': 'toy',
  teddy: 'toy',
  'sports ball': 'toy',
  bicycle: 'bicycle',
  bike: 'bicycle',
  'mountain bike': 'bicycle',
  pet: 'pet',
  dog: 'pet',
  cat: 'pet',
  electronics: 'electronics',
  camera: 'camera',
  'reflex camera': 'camera',
  'digital camera': 'camera',
  remote: 'electronics',
  'remote control': 'electronics',
  mouse: 'electronics',
  keyboard: 'electronics',
  'computer keyboard': 'electronics',
  skateboard: 'skateboard',
  'tennis racket': 'racket',
  guitar: 'guitar',
  'acoustic guitar': 'guitar',
};

/** Labels that are never published, neither as tags nor as objects: people are not lost items, and
 * publishing where people appear in a photo is personal data the matcher does not need. */
const NEVER_PUBLISHED_LABELS = new Set(['person', 'people', 'face', 'man', 'woman', 'child']);

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

export function isNeverPublished(raw: string): boolean {
  return NEVER_PUBLISHED_LABELS.has(normalizeLabel(raw));
}

export function normalizeLabel(raw: string): string {
  return raw.trim().toLowerCase().replace(/[_\s]+/g, ' ');
}

/** Reference sRGB of each named colour (the llm palette). It is the colour's name as a hex code, not a
 * measurement: a measured hex would need the fetcher's pixel colours, which the aggregator does not receive. */
export const COLOR_HEX: Record<string, string> = {
  black: '#1A1A1A',
  white: '#F5F5F5',
  gray: '#808080',
  silver: '#C0C0C0',
  red: '#C62828',
  orange: '#EF6C00',
  yellow: '#F9D71C',
  green: '#2E7D32',
  blue: '#1E5AA8',
  navy: '#1B2A4A',
  purple: '#6A1B9A',
  pink: '#E91E8C',
  brown: '#6D4C41',
  beige: '#D8C3A5',
  gold: '#C9A227',
};

const COLOR_SYNONYMS: Record<string, string> = {
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
  return name in COLOR_HEX ? name : null;
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
  'streetcar': 'transit_tram',
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
