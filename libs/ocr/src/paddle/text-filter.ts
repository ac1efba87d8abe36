/**
 * English output from the Chinese+Latin recogniser: NFKC (full-width letters and punctuation
 * become ASCII), CJK characters removed, and a line dropped when that leaves nothing readable or
 * removes more than half of it (a line that was mostly Han is a misreading of a logo, not English with a
 * stray character). Pure. It must never change Latin letters, digits or their order.
 */

/** Han, Hiragana, Katakana, Hangul, Bopomofo and CJK symbols/punctuation that survive NFKC. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}\u3000-\u303F\uFF61-\uFF9F]/gu;

export interface FilteredText {
  /** The line to publish, or null when it should be dropped. */
  text: string | null;
  /** Characters removed (not counting spaces). */
  removed: number;
}

/** Fraction of a line's non-space characters that may be CJK before the whole line goes. */
export const MAX_CJK_SHARE = 0.5;

export function normalizeText(text: string): string {
  return text.normalize('NFKC');
}

export function englishLine(text: string): FilteredText {
  const normalized = normalizeText(text);
  const total = normalized.replace(/\s+/g, '').length;
  const stripped = normalized.replace(CJK, ' ').replace(/\s+/g, ' ').trim();
  const removed = total - stripped.replace(/\s+/g, '').length;
  if (!/[\p{L}\p{N}]/u.test(stripped)) return { text: null, removed };
  if (total > 0 && removed / total > MAX_CJK_SHARE) return { text: null, removed };
  return { text: stripped, removed };
}
