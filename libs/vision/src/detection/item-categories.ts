/**
 * Maps ImageNet-1k class names (imagenet1000.txt, WordNet-derived) to the item categories a
 * lost-and-found post uses. Written by hand from the 1000 names because ImageNet is not a
 * lost-and-found taxonomy: it has "cellular telephone", "iPod" and "hand-held computer" where a
 * finder says "phone", splits sunglasses into two classes, and names most things no one loses
 * (animals, food, landscapes). Only classes that are plausibly a lost or found item are listed.
 * Category names are those of the platform's item vocabulary (ITEM_CATEGORIES in services/llm,
 * canonical names in libs/enrich) wherever one fits, because the matcher compares tag strings
 * literally; cup, pen, pencil case, lock, helmet, lighter and musical instrument have no entry there yet.
 *
 * Must never guess a category for an unlisted label: an unmapped class returns null, so a wrong
 * category cannot become a matching tag. Known gaps, with no ImageNet class at all: keys,
 * earphones, glasses (only sunglasses), ID cards, skateboards, suitcases.
 */

export const IMAGENET_ITEM_CATEGORIES: Readonly<Record<string, string>> = {
  // Phones: ImageNet predates smartphones; phones in hand come out as any of these three.
  'cellular telephone': 'phone',
  iPod: 'phone',
  'hand-held computer': 'phone',
  // WordNet "notebook" is the notebook computer, not a paper notebook.
  laptop: 'laptop',
  notebook: 'laptop',
  // Wrist watches are classified as digital watch, or as analog clock / stopwatch when the dial shows.
  'digital watch': 'watch',
  'analog clock': 'watch',
  stopwatch: 'watch',
  wallet: 'wallet',
  // WordNet "purse" is a woman's handbag.
  purse: 'bag',
  mailbag: 'bag',
  'plastic bag': 'bag',
  backpack: 'backpack',
  umbrella: 'umbrella',
  sunglass: 'glasses',
  sunglasses: 'glasses',
  ballpoint: 'pen',
  'fountain pen': 'pen',
  'pencil box': 'pencil case',
  'water bottle': 'bottle',
  cup: 'cup',
  'coffee mug': 'cup',
  // Espresso (the drink) is what the classifier answers for small coffee cups.
  espresso: 'cup',
  mitten: 'clothing',
  // Ties and socks are carried and lost; worn garments (gowns, skirts) are left out on purpose: the
  // classifier answers them for any photo of people, which would tag every street scene "clothing".
  'Windsor tie': 'clothing',
  'bow tie': 'clothing',
  'bolo tie': 'clothing',
  sock: 'clothing',
  stole: 'clothing',
  jersey: 'clothing',
  sweatshirt: 'clothing',
  cardigan: 'clothing',
  'fur coat': 'clothing',
  'trench coat': 'clothing',
  'lab coat': 'clothing',
  poncho: 'clothing',
  jean: 'clothing',
  suit: 'clothing',
  kimono: 'clothing',
  pajama: 'clothing',
  'cowboy hat': 'clothing',
  sombrero: 'clothing',
  'running shoe': 'shoes',
  Loafer: 'shoes',
  sandal: 'shoes',
  clog: 'shoes',
  'cowboy boot': 'shoes',
  necklace: 'jewelry',
  teddy: 'toy',
  'jigsaw puzzle': 'toy',
  'mountain bike': 'bicycle',
  'bicycle-built-for-two': 'bicycle',
  tricycle: 'bicycle',
  padlock: 'lock',
  'combination lock': 'lock',
  'reflex camera': 'camera',
  'Polaroid camera': 'camera',
  'remote control': 'electronics',
  mouse: 'electronics',
  'computer keyboard': 'electronics',
  joystick: 'electronics',
  'hard disc': 'electronics',
  lighter: 'lighter',
  'book jacket': 'book',
  'comic book': 'book',
  binder: 'document',
  'crash helmet': 'helmet',
  'football helmet': 'helmet',
  racket: 'racket',
  // Balls are 'toy' in the shared vocabulary (COCO 'sports ball' maps there too).
  'tennis ball': 'toy',
  'soccer ball': 'toy',
  basketball: 'toy',
  volleyball: 'toy',
  'rugby ball': 'toy',
  'acoustic guitar': 'guitar',
  'electric guitar': 'guitar',
  violin: 'musical instrument',
  harmonica: 'musical instrument',
  flute: 'musical instrument',
  banjo: 'musical instrument',
  crutch: 'mobility aid',
};

/**
 * Lost pets are posted as often as objects. ImageNet's 118 dog breeds are the contiguous indices
 * 151 (Chihuahua) .. 268 (Mexican hairless) and its domestic cats 281 (tabby) .. 285 (Egyptian cat),
 * in the standard class order that imagenet1000.txt follows; a breed name is not a category. The
 * species is kept (dog, cat): it is what a finder says, and libs/enrich files both under 'pet'.
 */
const PET_INDEX_RANGES: ReadonlyArray<{ from: number; to: number; category: string }> = [
  { from: 151, to: 268, category: 'dog' },
  { from: 281, to: 285, category: 'cat' },
];

/** The lost-and-found category of an ImageNet class, or null when it is not an item we map. */
export function itemCategoryFor(label: string, classIndex: number): string | null {
  const mapped = IMAGENET_ITEM_CATEGORIES[label];
  if (mapped) return mapped;
  for (const range of PET_INDEX_RANGES) {
    if (classIndex >= range.from && classIndex <= range.to) return range.category;
  }
  return null;
}
