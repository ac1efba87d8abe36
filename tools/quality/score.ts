/**
 * Scores one enrichment against a labelled photo (the format of shared/photos/manifest.json):
 * object recall (labelled COCO objects among the published objects), item recall (labelled items
 * among objects, tags and the llm category), text recall (labelled words among the published text,
 * after normalisation), exact word recall (labelled words found as whole published tokens: a
 * glued "DRIVERLICENSE" does not count for "driver"), the published tokens that are glued words
 * (@media-ai/ocr's isGluedWordToken) and colour agreement (labelled colours among the published colours).
 * Labels and outputs are compared through the same vocabulary the fusion uses, so "cell phone"
 * and "phone" are one thing. Pure: no I/O.
 */
import type { AITagCategory, PostEnhancedEvent, TagTier } from '@media-ai/contracts';
import type { LabelledPhoto } from '@media-ai/contracts/test-support';
import { canonicalBrand, canonicalColor, canonicalItem } from '@media-ai/enrich';
import { isGluedWordToken } from '@media-ai/ocr';
import { redactPersonalData } from '@media-ai/privacy';
import { personalValuesPublished } from './personal-values.js';
import type { EnrichmentEvent } from '@media-ai/pipeline';

/** found of expected; expected 0 means "nothing to find" and is left out of totals. */
export interface Recall {
  found: number;
  expected: number;
}

export interface PhotoScore {
  file: string;
  objects: Recall;
  items: Recall;
  text: Recall;
  colors: Recall;
  /** The first published colour is a labelled one (expected 1 when the photo has labelled colours). */
  colorTop1: Recall;
  /** Published colours that are labelled, of the published colours (counted on photos with labelled colours only). */
  colorPrecision: Recall;
  /** The published colour names, in their published order. */
  colorNames: string[];
  /** Every labelled word, personal data the service redacts on purpose counted as missed. */
  textAllWords: Recall;
  /** Labelled whitespace-separated words the redaction lets through, found as whole published tokens. */
  exactWords: Recall;
  /** Published tokens, and those that are glued words ("DRIVERLICENSE"). */
  tokens: { published: number; glued: string[] };
  /** Labels that were not found, to read alongside the numbers. */
  missed: { objects: string[]; items: string[]; colors: string[]; words: string[] };
  /** Published objects that are neither a labelled object nor a labelled item (one per distinct name). */
  falseObjects: string[];
  /** Published text lines sharing no word with the labelled text. */
  unmatchedLines: number;
  /** Of those, lines on a photo labelled with no text at all: pure garbage. */
  garbageLines: number;
  /** Every graded tag with whether the labels say it is right (null: the labels cannot tell). */
  tags: JudgedTag[];
  /** Personal values the photo shows (personal-values.ts) found anywhere in what was published for it: must be none. */
  personal: string[];
}

export interface JudgedTag {
  tag: string;
  category: AITagCategory;
  confidence: number;
  tier: TagTier;
  right: boolean | null;
}

const norm = (s: string) => s.trim().toLowerCase();
const itemKey = (s: string) => canonicalItem(s) ?? norm(s);
const colorKey = (s: string) => canonicalColor(s) ?? norm(s);

/** Lower-case letter/digit runs: how text is compared (OCR punctuation and case vary). */
export function words(text: string): string[] {
  return (
    text
      .toLowerCase()
      .normalize('NFKC')
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

function recall(expected: readonly string[], present: ReadonlySet<string>, key: (s: string) => string) {
  const unique = [...new Set(expected.map(key))];
  const missed = unique.filter((e) => !present.has(e));
  return { recall: { found: unique.length - missed.length, expected: unique.length }, missed };
}

export function scorePhoto(label: LabelledPhoto, event: EnrichmentEvent | null): PhotoScore {
  const enhanced = event?.event_type === 'post.enhanced' ? (event as PostEnhancedEvent) : null;
  const attributes = enhanced?.data.enhanced_metadata.attributes;
  const objectNames = (attributes?.objects ?? []).map((o) => o.name);
  const tags = (enhanced?.data.tag_grades ?? []).filter((g) => g.tier !== 'low').map((g) => g.tag);

  const objects = recall(label.objects, new Set(objectNames.map(itemKey)), itemKey);
  const items = recall(label.items, new Set([...objectNames, ...tags].map(itemKey)), itemKey);
  const publishedColors = (attributes?.colors ?? []).map((c) => colorKey(c.color_name));
  const colors = recall(label.colors, new Set(publishedColors), colorKey);
  const lines = (attributes?.text_content ?? []).map((t) => t.text);
  const seenWords = new Set(lines.flatMap(words));
  const labelledWords = new Set(label.text.flatMap(words));
  const textAllWords = recall([...labelledWords], seenWords, (w) => w);
  const publishable = publishableWords(label.text);
  const text = recall([...publishable].filter(isScoredWord), seenWords, (w) => w);
  const published = lines.flatMap(tokens);
  // A labelled token counts when the redaction lets all of it through: "Smith" on an ID card is withheld on purpose.
  const labelledTokens = label.text.flatMap(tokens).filter((t) => isScoredWord(t) && words(t).every((w) => publishable.has(w)));
  const exactWords = recall(labelledTokens, new Set(published), (w) => w);
  const unmatchedLines = lines.filter((line) => !words(line).some((w) => labelledWords.has(w))).length;
  const labelledThings = new Set([...label.objects, ...label.items].map(itemKey));

  return {
    file: label.file,
    objects: objects.recall,
    items: items.recall,
    text: text.recall,
    colors: colors.recall,
    colorTop1: { found: label.colors.map(colorKey).includes(publishedColors[0] ?? '') ? 1 : 0, expected: label.colors.length > 0 ? 1 : 0 },
    colorPrecision: {
      found: label.colors.length > 0 ? publishedColors.filter((c) => label.colors.map(colorKey).includes(c)).length : 0,
      expected: label.colors.length > 0 ? publishedColors.length : 0,
    },
    colorNames: publishedColors,
    textAllWords: textAllWords.recall,
    exactWords: exactWords.recall,
    tokens: { published: published.length, glued: lines.flatMap(casedTokens).filter((t) => isGluedWordToken(t)) },
    missed: { objects: objects.missed, items: items.missed, colors: colors.missed, words: text.missed },
    falseObjects: [...new Set(objectNames.map(itemKey))].filter((name) => !labelledThings.has(name)),
    unmatchedLines,
    garbageLines: label.text.length === 0 ? unmatchedLines : 0,
    tags: (enhanced?.data.tag_grades ?? []).map((g) => ({
      tag: g.tag,
      category: g.category,
      confidence: g.confidence,
      tier: g.tier,
      right: judgeTag(g.tag, g.category, label, labelledThings, labelledWords),
    })),
    personal: personalValuesPublished(label.file, event),
  };
}

/**
 * Words text recall counts: two characters or more, as in the measurements of
 * ../shared/reference/npm-shipped-models.md. A single letter or digit (a calendar's "L M X J",
 * the "t" of "AT&T") names nothing a finder searches for, and "found" would mostly mean that the
 * character occurs somewhere on the photo. textAllWords still counts them.
 */
export const isScoredWord = (word: string): boolean => [...word].length >= 2;

/**
 * Whitespace-separated tokens, lower-cased, with the punctuation at their edges trimmed
 * ("London," -> london; "Redmond,WA" stays one token): how exact word recall sees published text.
 */
export function tokens(text: string): string[] {
  return casedTokens(text).map((t) => t.toLowerCase());
}

/** The same tokens with their case: the glued-token test needs it ("Dr.AverySmith" is no domain). */
function casedTokens(text: string): string[] {
  return text
    .normalize('NFKC')
    .split(/\s+/)
    .map((t) => t.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter(Boolean);
}

/**
 * The labelled words the service may publish: what is left of the labelled text after the
 * service's own redaction (names, numbers and addresses on ID cards, contacts on business cards).
 * Text recall is measured over these, so it says how much legible text the service reads; the
 * words it withholds on purpose are reported apart (textAllWords), never silently dropped.
 */
export function publishableWords(text: readonly string[]): Set<string> {
  const all = new Set(text.flatMap(words));
  const joined = text.join('\n');
  const kept = new Set(words(redactPersonalData(joined, { context: joined }).text));
  return new Set([...all].filter((w) => kept.has(w)));
}

/**
 * Whether a tag is right by the photo's labels: an object tag must be a labelled object or item, a
 * colour a labelled colour, a brand or text tag must be made of words the photo's labelled text
 * holds. Scenes and materials are not labelled: null, left out of the reliability table.
 */
export function judgeTag(
  tag: string,
  category: AITagCategory,
  label: LabelledPhoto,
  labelledThings: ReadonlySet<string>,
  labelledWords: ReadonlySet<string>,
): boolean | null {
  switch (category) {
    case 'object':
      return labelledThings.has(itemKey(tag));
    case 'color':
      return label.colors.map(colorKey).includes(colorKey(tag));
    case 'brand': {
      const brand = canonicalBrand(tag) ?? norm(tag);
      return words(brand).every((w) => labelledWords.has(w)) || labelledThings.has(itemKey(tag));
    }
    case 'text': {
      const tagWords = words(tag);
      return tagWords.length > 0 && tagWords.every((w) => labelledWords.has(w));
    }
    default:
      return null;
  }
}

export interface Totals {
  object_recall: number;
  item_recall: number;
  /** Labelled words the redaction policy lets through, found in the published text. */
  text_recall: number;
  /** Every labelled word (redacted personal data counted as missed): what downstream gets. */
  text_recall_all_words: number;
  /** Labelled words (whitespace-separated, redaction let through) found as whole published tokens. */
  exact_word_recall: number;
  /** Share of published tokens that are glued words (not a word of the lexicon, but split into words of it). */
  glued_token_share: number;
  color_agreement: number;
  /** Photos whose first published colour is a labelled one, of the photos with labelled colours. */
  colour_accuracy_top1: number;
  /** Published colours that are labelled, of all published colours, on the photos with labelled colours. */
  colour_precision: number;
  /** (photo, object) pairs published but not labelled. */
  false_objects: number;
  /** Text lines published on photos labelled with no text. */
  garbage_lines: number;
  /** Personal values of the labelled documents found in what was published: must be 0. */
  personal_values_published: number;
}

/** Micro-averages over every label of every photo (a photo with more labels weighs more). */
export function totals(scores: readonly PhotoScore[]): Totals {
  const ratio = (pick: (s: PhotoScore) => Recall) => {
    const found = scores.reduce((n, s) => n + pick(s).found, 0);
    const expected = scores.reduce((n, s) => n + pick(s).expected, 0);
    return expected === 0 ? 1 : found / expected;
  };
  return {
    object_recall: ratio((s) => s.objects),
    item_recall: ratio((s) => s.items),
    text_recall: ratio((s) => s.text),
    text_recall_all_words: ratio((s) => s.textAllWords),
    exact_word_recall: ratio((s) => s.exactWords),
    // 0 when nothing was published: no token is glued.
    glued_token_share: 1 - ratio((s) => ({ found: s.tokens.published - s.tokens.glued.length, expected: s.tokens.published })),
    color_agreement: ratio((s) => s.colors),
    colour_accuracy_top1: ratio((s) => s.colorTop1),
    colour_precision: ratio((s) => s.colorPrecision),
    false_objects: scores.reduce((n, s) => n + s.falseObjects.length, 0),
    garbage_lines: scores.reduce((n, s) => n + s.garbageLines, 0),
    personal_values_published: scores.reduce((n, s) => n + s.personal.length, 0),
  };
}
