/**
 * The one lost-and-found taxonomy: the items people lose, and for each the COCO classes (detectors),
 * ImageNet classes (classifier), words (OCR product words, llm answers, post text, synonyms) that
 * name it. Every model's vocabulary is mapped here and nowhere else, so a phone seen by YOLOX
 * ("cell phone"), NanoDet ("cell phone"), MobileNet ("cellular telephone", "iPod") and the llm
 * ("phone") is one tag the matcher can compare literally across posts.
 *
 * Must never map a label that is not plausibly a lost or found item (animals other than pets, food,
 * furniture, landscapes): an unmapped label has no item, so a wrong category cannot become a tag.
 * Pure data and lookups; nothing learned from a post ends up here.
 */

export interface LostItem {
  /** Canonical tag (lower case). */
  tag: string;
  /** The group a finder browses under (documents and cards are one group, two tags). */
  group: 'electronics' | 'carried' | 'documents and cards' | 'wearables' | 'clothing' | 'sports and toys' | 'other';
  /** COCO-80 class names that are this item (YOLOX-Nano, NanoDet-g). */
  coco?: readonly string[];
  /** ImageNet-1k class names (imagenet1000.txt, first synonym) that are this item. */
  imagenet?: readonly string[];
  /** Other names: llm answers, OCR product words, what finders write. */
  words?: readonly string[];
  /** Offered to the llm as a category (its closed enum; the others are too fine or too rare to ask for). */
  llm?: boolean;
  /**
   * The coarser item this is a kind of (a passport is a 'document', a payment card a 'card'): its
   * names still name that item in ITEM_NAMES, because finders post "card" and rarely know which.
   */
  kindOf?: string;
}

export const LOST_AND_FOUND_ITEMS: readonly LostItem[] = [
  {
    tag: 'phone',
    group: 'electronics',
    coco: ['cell phone'],
    // ImageNet predates smartphones: phones in hand come out as any of these three.
    imagenet: ['cellular telephone', 'iPod', 'hand-held computer'],
    words: ['cellphone', 'cellular phone', 'mobile phone', 'mobile', 'smartphone', 'smart phone', 'iphone'],
    llm: true,
  },
  { tag: 'wallet', group: 'carried', imagenet: ['wallet'], words: ['billfold', 'notecase', 'pocketbook', 'card holder'], llm: true },
  { tag: 'keys', group: 'carried', words: ['key', 'keychain', 'key chain', 'keyring'], llm: true },
  // WordNet "purse" is a woman's handbag.
  {
    tag: 'bag',
    group: 'carried',
    coco: ['handbag'],
    imagenet: ['purse', 'mailbag', 'plastic bag'],
    words: ['handbag', 'shoulder bag', 'tote'],
    llm: true,
  },
  {
    tag: 'backpack',
    group: 'carried',
    coco: ['backpack'],
    imagenet: ['backpack'],
    words: ['back pack', 'rucksack', 'knapsack', 'packsack'],
    llm: true,
  },
  { tag: 'suitcase', group: 'carried', coco: ['suitcase'], words: ['luggage', 'trolley case', 'carry-on'], llm: true },
  {
    tag: 'laptop',
    group: 'electronics',
    coco: ['laptop'],
    // WordNet "notebook" is the notebook computer, not a paper notebook.
    imagenet: ['laptop', 'notebook'],
    words: ['laptop computer', 'notebook', 'notebook computer', 'macbook', 'thinkpad'],
    llm: true,
  },
  { tag: 'tablet', group: 'electronics', words: ['tablet computer', 'ipad'], llm: true },
  { tag: 'headphones', group: 'electronics', words: ['headphone', 'earphones', 'earphone', 'earbuds', 'headset', 'airpods'], llm: true },
  {
    tag: 'watch',
    group: 'wearables',
    // Wrist watches are classified as digital watch, or as analog clock / stopwatch when the dial shows.
    imagenet: ['digital watch', 'analog clock', 'stopwatch'],
    words: ['wristwatch', 'digital watch', 'analog watch', 'smartwatch'],
    llm: true,
  },
  {
    tag: 'jewelry',
    group: 'wearables',
    imagenet: ['necklace'],
    words: ['jewellery', 'ring', 'necklace', 'bracelet', 'earring'],
    llm: true,
  },
  {
    tag: 'glasses',
    group: 'wearables',
    imagenet: ['sunglass', 'sunglasses'],
    words: ['eyeglasses', 'spectacles', 'sunglasses', 'sunglass'],
    llm: true,
  },
  {
    tag: 'clothing',
    group: 'clothing',
    coco: ['tie'],
    // Worn garments (gowns, skirts) are left out on purpose: the classifier answers them for any photo
    // of people, which would tag every street scene "clothing". Carried ones (ties, socks) are in.
    imagenet: [
      'mitten',
      'Windsor tie',
      'bow tie',
      'bolo tie',
      'sock',
      'stole',
      'jersey',
      'sweatshirt',
      'cardigan',
      'fur coat',
      'trench coat',
      'lab coat',
      'poncho',
      'jean',
      'suit',
      'kimono',
      'pajama',
      'cowboy hat',
      'sombrero',
    ],
    // A hoodie is a hooded sweatshirt (ImageNet 'sweatshirt').
    words: [
      'hoodie',
      'hooded sweatshirt',
      'sweater',
      'cardigan',
      'jacket',
      'coat',
      'jersey',
      'sweatshirt',
      'tie',
      'scarf',
      'hat',
      'cap',
      'glove',
      'mitten',
    ],
    llm: true,
  },
  {
    tag: 'shoes',
    group: 'clothing',
    imagenet: ['running shoe', 'Loafer', 'sandal', 'clog', 'cowboy boot'],
    words: ['shoe', 'sneaker', 'sneakers', 'boot', 'running shoe'],
    llm: true,
  },
  { tag: 'umbrella', group: 'carried', coco: ['umbrella'], imagenet: ['umbrella'], llm: true },
  {
    tag: 'bottle',
    group: 'carried',
    coco: ['bottle'],
    imagenet: ['water bottle'],
    words: ['water bottle', 'water jug', 'flask'],
    llm: true,
  },
  { tag: 'document', group: 'documents and cards', imagenet: ['binder'], words: ['papers', 'documents'], llm: true },
  {
    tag: 'card',
    group: 'documents and cards',
    // Wallet-sized cards are one tag for the matcher, whatever is printed on them: a finder posts "card"
    // and rarely knows or states which kind it is. The kinds below are finer items (kindOf 'card').
    words: ['membership card'],
    llm: true,
  },
  // Document types, recognised from the text read (@media-ai/privacy): each is a kind of 'document'
  // or 'card', and its redaction policy is keyed by its tag.
  { tag: 'passport', group: 'documents and cards', kindOf: 'document', words: ['passport book'] },
  { tag: 'national id', group: 'documents and cards', kindOf: 'card', words: ['id card', 'identity card', 'identification card'] },
  {
    tag: 'driving licence',
    group: 'documents and cards',
    kindOf: 'card',
    words: ['driver license', 'driver licence', "driver's license", 'drivers license', 'driving license'],
  },
  { tag: 'residence permit', group: 'documents and cards', kindOf: 'card', words: ['residence card', 'permanent resident card'] },
  { tag: 'payment card', group: 'documents and cards', kindOf: 'card', words: ['credit card', 'debit card', 'bank card'] },
  { tag: 'health insurance card', group: 'documents and cards', kindOf: 'card', words: ['insurance card'] },
  { tag: 'business card', group: 'documents and cards', kindOf: 'card' },
  { tag: 'luggage tag', group: 'documents and cards', kindOf: 'card', words: ['bag tag', 'baggage tag'] },
  { tag: 'boarding pass', group: 'documents and cards', kindOf: 'document' },
  { tag: 'prescription label', group: 'documents and cards', kindOf: 'document' },
  { tag: 'badge', group: 'documents and cards', kindOf: 'card', words: ['student card', 'staff badge', 'employee badge', 'id badge'] },
  { tag: 'book', group: 'carried', coco: ['book'], imagenet: ['book jacket', 'comic book'] },
  {
    tag: 'toy',
    group: 'sports and toys',
    coco: ['teddy bear', 'sports ball', 'frisbee'],
    imagenet: ['teddy', 'jigsaw puzzle', 'tennis ball', 'soccer ball', 'basketball', 'volleyball', 'rugby ball'],
    words: ['teddy'],
    llm: true,
  },
  {
    tag: 'bicycle',
    group: 'sports and toys',
    coco: ['bicycle'],
    imagenet: ['mountain bike', 'bicycle-built-for-two', 'tricycle'],
    words: ['bike'],
    llm: true,
  },
  { tag: 'skateboard', group: 'sports and toys', coco: ['skateboard'] },
  { tag: 'racket', group: 'sports and toys', coco: ['tennis racket'], imagenet: ['racket'] },
  // The detector and the classifier name the species; the post is filed under 'pet' (see PET_CLASS_RANGES).
  { tag: 'pet', group: 'other', coco: ['dog', 'cat'], words: ['dog', 'cat'], llm: true },
  {
    tag: 'electronics',
    group: 'electronics',
    // Not COCO 'remote': both detectors answer it for any small dark rectangle. On ../shared/photos
    // all 5 of its detections were wrong (two battery packs, a toy, two phones in hand), and as
    // 'electronics' it outranked the batteries the label's text names. A remote an llm or the
    // classifier names ('remote control') still maps here.
    coco: ['mouse', 'keyboard'],
    imagenet: ['remote control', 'mouse', 'computer keyboard', 'joystick', 'hard disc'],
    words: ['computer keyboard', 'remote control', 'charger', 'cable'],
    llm: true,
  },
  { tag: 'camera', group: 'electronics', imagenet: ['reflex camera', 'Polaroid camera'], words: ['digital camera'] },
  { tag: 'power bank', group: 'electronics', words: ['powerbank', 'portable charger'] },
  { tag: 'batteries', group: 'electronics', words: ['battery'] },
  { tag: 'pen', group: 'carried', imagenet: ['ballpoint', 'fountain pen'], words: ['ballpoint pen'] },
  { tag: 'pencil case', group: 'carried', imagenet: ['pencil box'] },
  // Espresso (the drink) is what the classifier answers for small coffee cups.
  { tag: 'cup', group: 'carried', coco: ['cup'], imagenet: ['cup', 'coffee mug', 'espresso'], words: ['mug'] },
  { tag: 'lock', group: 'carried', imagenet: ['padlock', 'combination lock'], words: ['bike lock'] },
  { tag: 'helmet', group: 'sports and toys', imagenet: ['crash helmet', 'football helmet'] },
  { tag: 'lighter', group: 'carried', imagenet: ['lighter'] },
  { tag: 'guitar', group: 'sports and toys', imagenet: ['acoustic guitar', 'electric guitar'] },
  { tag: 'musical instrument', group: 'sports and toys', imagenet: ['violin', 'harmonica', 'flute', 'banjo'] },
  { tag: 'mobility aid', group: 'other', imagenet: ['crutch'], words: ['wheelchair', 'walking stick', 'cane'] },
];

/** The llm's closed category list: items offered to it, then 'other' for anything else. */
export const LLM_ITEM_CATEGORIES = [...LOST_AND_FOUND_ITEMS.filter((i) => i.llm).map((i) => i.tag), 'other'] as const;

/**
 * Lost pets are posted as often as objects. ImageNet's 118 dog breeds are the contiguous indices
 * 151 (Chihuahua) .. 268 (Mexican hairless) and its domestic cats 281 (tabby) .. 285 (Egyptian cat),
 * in the standard class order imagenet1000.txt follows; a breed name is not a category. The species
 * is kept (dog, cat): it is what a finder says, and the tag is 'pet'.
 */
export const PET_CLASS_RANGES: ReadonlyArray<{ from: number; to: number; species: string }> = [
  { from: 151, to: 268, species: 'dog' },
  { from: 281, to: 285, species: 'cat' },
];

/** Every name of an item (tag, COCO, ImageNet, words), lower case -> tag; a finer kind's names -> the item it is a kind of. */
export const ITEM_NAMES: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries(
    LOST_AND_FOUND_ITEMS.flatMap((item) =>
      [item.tag, ...(item.coco ?? []), ...(item.imagenet ?? []), ...(item.words ?? [])].map((name) => [
        name.toLowerCase(),
        item.kindOf ?? item.tag,
      ]),
    ),
  ),
);

const IMAGENET_TO_ITEM: ReadonlyMap<string, string> = new Map(
  LOST_AND_FOUND_ITEMS.flatMap((item) => (item.imagenet ?? []).map((name) => [name, item.tag])),
);

/**
 * The item an ImageNet class is, or null. Pets answer with their species (dog, cat): the object
 * name a finder uses; the species maps to the tag 'pet' through ITEM_NAMES.
 */
export function itemForImageNetClass(label: string, classIndex: number): string | null {
  const mapped = IMAGENET_TO_ITEM.get(label);
  if (mapped) return mapped;
  for (const range of PET_CLASS_RANGES) {
    if (classIndex >= range.from && classIndex <= range.to) return range.species;
  }
  return null;
}

const COCO_TO_ITEM: ReadonlyMap<string, string> = new Map(
  LOST_AND_FOUND_ITEMS.flatMap((item) => (item.coco ?? []).map((name) => [name, item.tag])),
);

/** The item a COCO class is, or null (person, car, dining table... are context, not lost items). */
export function itemForCocoClass(label: string): string | null {
  return COCO_TO_ITEM.get(label) ?? null;
}
