/**
 * Scores one enrichment against a labelled photo (the format of shared/photos/manifest.json):
 * object recall (labelled COCO objects among the published objects), item recall (labelled items
 * among objects, tags and the llm category), text recall (labelled words among the published text,
 * after normalisation) and colour agreement (labelled colours among the published colours).
 * Labels and outputs are compared through the same vocabulary the fusion uses, so "cell phone"
 * and "phone" are one thing. Pure: no I/O.
 */
import type { PostEnhancedEvent } from '@media-ai/contracts';
import { canonicalColor, canonicalItem } from '@media-ai/enrich';
import type { EnrichmentEvent } from '../embedded/enrichment-observer.js';

export interface LabelledPhoto {
  file: string;
  objects: string[];
  items: string[];
  text: string[];
  colors: string[];
}

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
  /** Labels that were not found, to read alongside the numbers. */
  missed: { objects: string[]; items: string[]; colors: string[]; words: string[] };
}

const norm = (s: string) => s.trim().toLowerCase();
const itemKey = (s: string) => canonicalItem(s) ?? norm(s);
const colorKey = (s: string) => canonicalColor(s) ?? norm(s);

/** Lower-case letter/digit runs: how text is compared (OCR punctuation and case vary). */
export function words(text: string): string[] {
  return text.toLowerCase().normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
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
  const colors = recall(label.colors, new Set((attributes?.colors ?? []).map((c) => colorKey(c.color_name))), colorKey);
  const seenWords = new Set((attributes?.text_content ?? []).flatMap((t) => words(t.text)));
  const text = recall(label.text.flatMap(words), seenWords, (w) => w);

  return {
    file: label.file,
    objects: objects.recall,
    items: items.recall,
    text: text.recall,
    colors: colors.recall,
    missed: { objects: objects.missed, items: items.missed, colors: colors.missed, words: text.missed },
  };
}

export interface Totals {
  object_recall: number;
  item_recall: number;
  text_recall: number;
  color_agreement: number;
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
    color_agreement: ratio((s) => s.colors),
  };
}
