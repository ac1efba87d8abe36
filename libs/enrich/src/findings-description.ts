/**
 * The description of a post when no llm wrote one: a few short sentences from what fusion found —
 * the item, its brand and material, the colours, the legible text — each worded by how sure it is.
 * "Black Apple phone." when the tags are sure; "Varta product, possibly batteries." when the item is
 * only good enough for human review; the photo's measured colours as what they are (the photo's,
 * not necessarily the item's); a few lines of label text quoted.
 *
 * It must never state a guess as a fact (tags below the human-review bar are left out), never say
 * anything the event does not carry, and never quote text that may be personal data: no line with
 * a redaction marker or a digit, and no text at all when the post looks like a document or a card,
 * where redaction is most likely to miss a name. Pure.
 */
import { LOST_AND_FOUND_ITEMS, type ContractColorAnalysis, type ContractExtractedText, type TagGrade } from '@media-ai/contracts';
import { brandDisplayName } from './vocabulary.js';

export interface Findings {
  /** Fused tags, strongest first. */
  tags: readonly TagGrade[];
  /** Measured colours of the photos, largest share first. */
  colors: readonly ContractColorAnalysis[];
  /** Legible text, already redacted, most confident first. */
  textContent: readonly ContractExtractedText[];
  /** Text read with less confidence than this is not quoted (the suggest bar). */
  minTextConfidence: number;
}

/** Lines of text quoted at most, and the longest one quoted (longer ones are prose, not a label). */
export const QUOTED_TEXT_LINES = 3;
export const QUOTED_TEXT_MAX_CHARS = 24;
/** A measured colour below this share of the photo is not worth naming. */
export const NAMED_COLOR_MIN_SHARE = 0.2;

const DOCUMENT_ITEMS = new Set(LOST_AND_FOUND_ITEMS.filter((i) => i.group === 'documents and cards').map((i) => i.tag));
const REDACTION_MARKER = /\[[A-Z_]+\]/;

const isSure = (t: TagGrade) => t.tier === 'auto_apply' || t.tier === 'suggest';
const isHedged = (t: TagGrade) => t.tier === 'human_review';
const capitalised = (s: string) => `${s.charAt(0).toUpperCase()}${s.slice(1)}`;
const compact = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '');
const andList = (words: readonly string[]) => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`);

/** The description, or null when nothing was found that is worth a sentence. */
export function describeFindings(findings: Findings): string | null {
  const { tags } = findings;
  const items = tags.filter((t) => t.category === 'object');
  const sureItems = items.filter(isSure);
  const item = sureItems[0] ?? items.find(isHedged);
  const brand = tags.find((t) => t.category === 'brand' && isSure(t));
  const material = tags.find((t) => t.category === 'material' && isSure(t));
  const sureColors = tags
    .filter((t) => t.category === 'color' && isSure(t))
    .slice(0, 2)
    .map((t) => t.tag);
  const brandName = brand ? brandDisplayName(brand.tag) : null;

  const sentences: string[] = [];
  if (item && isSure(item)) {
    const subject = [andList(sureColors), brandName ?? '', item.tag].filter(Boolean).join(' ');
    sentences.push(`${capitalised(subject)}${material ? ` (${material.tag})` : ''}.`);
  } else if (item) {
    sentences.push(brandName ? `${brandName} product, possibly ${item.tag}.` : `Possibly ${item.tag}.`);
  } else if (brandName) {
    sentences.push(`${brandName} product.`);
  }
  const others = sureItems.filter((t) => t !== item).slice(0, 3);
  if (others.length > 0) sentences.push(`Also visible: ${others.map((t) => t.tag).join(', ')}.`);

  const quoted = quotableText(findings, [brandName, item?.tag]);
  if (quoted.length > 0) sentences.push(`Text: ${quoted.map((t) => `"${t}"`).join(', ')}.`);

  if (sureColors.length === 0) {
    const photoColors = findings.colors.filter((c) => c.confidence >= NAMED_COLOR_MIN_SHARE).slice(0, 2);
    if (photoColors.length > 0) sentences.push(`The photo is mostly ${andList(photoColors.map((c) => c.color_name))}.`);
  }
  const scene = tags.find((t) => t.category === 'scene' && isSure(t));
  if (scene) sentences.push(`Scene: ${scene.tag.replace(/_/g, ' ')}.`);

  // Colours alone describe the photo, not a lost item.
  const aboutTheItem = item || brandName || quoted.length > 0;
  return aboutTheItem ? sentences.join(' ') : null;
}

/** Label text worth quoting: short, confident, free of anything that could be personal, not repeating. */
function quotableText(findings: Findings, alreadySaid: ReadonlyArray<string | null | undefined>): string[] {
  if (findings.tags.some((t) => t.category === 'object' && DOCUMENT_ITEMS.has(t.tag))) return [];
  const said = alreadySaid.filter((s): s is string => Boolean(s)).map(compact);
  const quoted: string[] = [];
  for (const line of findings.textContent) {
    const text = line.text.trim();
    const key = compact(text);
    if (line.confidence < findings.minTextConfidence || text.length > QUOTED_TEXT_MAX_CHARS) continue;
    if (REDACTION_MARKER.test(text) || /\d/.test(text) || (text.match(/[A-Za-z]/g) ?? []).length < 2) continue;
    // A fragment ("KALINE" of "ALKALINE") or a one-letter misreading ("IARTA" of the brand VARTA) of
    // something already said adds nothing but noise.
    const known = [...said, ...quoted.map(compact)];
    if (known.some((k) => k.includes(key) || withinOneEdit(k, key))) continue;
    quoted.push(text);
    if (quoted.length === QUOTED_TEXT_LINES) break;
  }
  return quoted;
}

/** Whether b is a with at most one letter substituted, inserted or dropped. */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < short.length && short[i] === long[i]) i++;
  // After the first difference the rest must match: skipping one letter of the longer (insertion),
  // or one of each (substitution).
  const rest = short.length === long.length ? short.slice(i + 1) === long.slice(i + 1) : short.slice(i) === long.slice(i + 1);
  return i === short.length || rest;
}
