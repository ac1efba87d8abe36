/**
 * The guards that keep personal data and the item's own identifiers out of public fields: which
 * identifiers are owner-only, whether a free-text tag may be published, and masking identifiers in
 * free text. OCR text arrives redacted already; these are the last line of defence, never the first.
 * Pure; must never log or return an identifier anywhere but the owner-only list.
 */
import type { SensitiveData, SensitiveIdentifier, TextsRecord } from '@media-ai/contracts';
import { MAX_TAG_LENGTH } from './calibration.js';

/** Shorter values identify nothing and would mask ordinary words. */
const MIN_IDENTIFIER_CHARS = 4;

/** The item's own identifiers (serial numbers, IMEIs) read on the post's photos: once each, with the photo they were read on. */
export function ownerOnlyIdentifiers(texts: readonly TextsRecord[]): SensitiveData['identifiers'] {
  const identifiers: SensitiveData['identifiers'] = [];
  for (const t of texts) {
    for (const id of t.sensitive_identifiers) {
      if (!identifiers.some((x) => x.kind === id.kind && x.value === id.value))
        identifiers.push({ kind: id.kind, value: id.value, photo_id: t.photo_id });
    }
  }
  return identifiers;
}

function compactAlnum(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/**
 * Last line of defence for free-text tags (llm brand and material): nothing that looks like an
 * identifier, contact or redaction marker, nothing containing an item identifier.
 */
export function isPublishableTag(tag: string, sensitiveValues: readonly string[] = []): boolean {
  if (tag.length === 0 || tag.length > MAX_TAG_LENGTH) return false;
  if (/[@[\]█*#]/.test(tag) || /\d{4,}/.test(tag) || /https?:|www\./i.test(tag)) return false;
  const flat = compactAlnum(tag);
  return !sensitiveValues.some((v) => {
    const value = compactAlnum(v);
    return value.length >= MIN_IDENTIFIER_CHARS && (flat.includes(value) || (flat.length >= MIN_IDENTIFIER_CHARS && value.includes(flat)));
  });
}

/** Replaces the item's own identifiers in free text (OCR lines, llm prose) by their kind. */
export function maskIdentifiers(text: string, identifiers: readonly SensitiveIdentifier[]): string {
  let out = text;
  for (const { kind, value } of identifiers) {
    if (value.trim().length < MIN_IDENTIFIER_CHARS) continue;
    const pattern = value
      .trim()
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\s+/g, '\\s*');
    out = out.replace(new RegExp(pattern, 'gi'), `[${kind.toUpperCase()}]`);
  }
  return out;
}
