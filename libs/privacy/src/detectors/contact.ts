/**
 * E-mail addresses, including the forms OCR leaves: a space before the @, the dots of a domain
 * read as spaces or commas ("AVEry.smith@ contoso com"). No library parses broken addresses; an
 * @ between word characters is what decides. Pure.
 */
import type { Span } from '../spans.js';

const EMAIL = /[A-Za-z0-9._%+-]+\s?@\s?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
const TLDS = 'com|org|net|edu|gov|io|co|uk|de|fr|es|it|nl|pt|pl|tr|ca|info|eu|ch|at|be';
/**
 * A domain part after a space is only taken when it is a top-level domain, so the end of a sentence
 * ("...@example.org. The") stays out of the match.
 */
const EMAIL_LOOSE = new RegExp(`[A-Za-z0-9._%+-]+\\s?@\\s?[A-Za-z0-9-]+(?:[.,][A-Za-z0-9-]+|\\s?[.,]?\\s(?:${TLDS})\\b)*`, 'gi');

export function findEmails(line: string): Span[] {
  const spans: Span[] = [];
  for (const pattern of [EMAIL, EMAIL_LOOSE]) {
    for (const m of line.matchAll(pattern)) spans.push({ start: m.index, end: m.index + m[0].length, kind: 'email' });
  }
  return spans;
}

/**
 * Name parts an e-mail's local part spells (avery.smith@ → avery, smith), a number the free mail
 * services make people add after them too ("avery.smith84@": a birth year or a count; privacy-rules-19).
 */
export function namesFromEmails(line: string): string[] {
  const names: string[] = [];
  for (const m of line.matchAll(/(?<![A-Za-z0-9])([A-Za-z]{3,})[._-]\s?([A-Za-z]{3,})\d{0,4}\s?@/g)) names.push(m[1]!, m[2]!);
  return names;
}
