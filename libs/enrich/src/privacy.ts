/**
 * The guards that keep personal data and identifiers out of public fields: the post's identifiers as
 * the stages publish them (keyed hashes, for `data.sensitive` only), whether a free-text tag may be
 * published, and masking identifiers in free text. OCR text and llm answers arrive redacted and their
 * identifiers hashed already; these are the last line of defence, never the first. Fusion never sees
 * an identifier's value, so the guards work from shapes and labels (libs/privacy's identifier rules).
 * Pure; must never log or return an identifier anywhere but the owner-only list.
 */
import type { HashedIdentifier, SensitiveIdentifierEntry, TextsRecord } from '@media-ai/contracts';
import { maskIdentifiers as maskWrittenIdentifiers } from '@media-ai/privacy/identifiers';
import { MAX_TAG_LENGTH } from './calibration.js';

/**
 * The post's identifiers as keyed hashes: those read on its photos (each hash once, with the photo it
 * was first read on) and those its own title and description name (each once). A hash on both the
 * post's text and a photo is listed twice, once per source: the photo confirms what the owner wrote.
 */
export function ownerOnlyIdentifiers(
  texts: readonly TextsRecord[],
  postIdentifiers: readonly HashedIdentifier[],
): SensitiveIdentifierEntry[] {
  const out: SensitiveIdentifierEntry[] = [];
  const seen = new Set<string>();
  const add = (id: HashedIdentifier, source: SensitiveIdentifierEntry['source'], photoId: string | null): void => {
    const key = `${source}\u0000${id.hash}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ kind: id.kind, hash: id.hash, last4: id.last4, photo_id: photoId, source });
  };
  for (const id of postIdentifiers) add(id, 'post_text', null);
  for (const t of texts) for (const id of t.identifiers ?? []) add(id, 'photo', t.photo_id);
  return out;
}

/**
 * Identifier-shaped: a word of 8 or more letters and digits (separators aside) with at least 3 digits
 * and a letter, as serial numbers and document numbers are (C02XK0ABJGH5, WDLABCD456DG). Product
 * models are shorter (SM-G991B, KX-200) or carry a run of 4 digits, which tags refuse anyway.
 */
function identifierShaped(text: string): boolean {
  return text.split(/\s+/).some((word) => {
    const compact = word.replace(/[-./]/g, '');
    return compact.length >= 8 && /^[A-Za-z0-9]+$/.test(compact) && (compact.match(/\d/g)?.length ?? 0) >= 3 && /[A-Za-z]/.test(compact);
  });
}

/**
 * Last line of defence for free-text tags and attributes (llm brand, model, material): nothing that
 * looks like an identifier, contact or redaction marker.
 */
export function isPublishableTag(tag: string): boolean {
  if (tag.length === 0 || tag.length > MAX_TAG_LENGTH) return false;
  if (/[@[\]█*#]/.test(tag) || /\d{4,}/.test(tag) || /https?:|www\./i.test(tag)) return false;
  return !identifierShaped(tag);
}

/**
 * Free text (OCR lines, the llm's prose) with every identifier written in it masked by its
 * placeholder (`IMEI [IMEI]`, `S/N: [SERIAL]`, Luhn-valid card numbers and IMEIs): libs/privacy's
 * identifier rules, the same that mask a post's own title and description.
 */
export function maskIdentifiers(text: string): string {
  return maskWrittenIdentifiers(text).text;
}
