/**
 * Puts the model's free text through the same personal-data redaction as OCR text
 * (@media-ai/ocr redactPersonalData): a model that reads a name tag, a phone number on a sticker or
 * a card number aloud must not publish it. Serial numbers and IMEIs are taken out too; the ocr stage
 * is the one that hands them to the owner, in the field marked sensitive.
 *
 * Must never leave a removed value in any field, and never keep a field that was nothing but
 * personal data (a mark reading "[PHONE]" helps nobody recognise the item).
 */
import { redactPersonalData } from '@media-ai/ocr';
import type { ItemDescription } from './item-description.js';

export interface RedactedAnswer {
  answer: ItemDescription;
  /** Kinds removed (email, phone, card_number, serial_number, ...), sorted; for logs and counters. */
  redactedKinds: string[];
}

// What redactPersonalData writes in place of what it removed.
const PLACEHOLDER = /\[[A-Z_]+\]/g;

export function redactAnswer(answer: ItemDescription): RedactedAnswer {
  const kinds = new Set<string>();
  const redact = (text: string): string => {
    const result = redactPersonalData(text);
    for (const kind of result.redactedKinds) kinds.add(kind);
    for (const identifier of result.sensitiveIdentifiers) kinds.add(identifier.kind);
    return result.text;
  };
  const field = (text: string | null): string | null => (text === null ? null : meaningful(redact(text)));
  const list = (texts: string[]): string[] => [...new Set(texts.map((t) => meaningful(redact(t))).filter((t): t is string => t !== null))];

  const redacted: ItemDescription = {
    ...answer,
    brand: field(answer.brand),
    model: field(answer.model),
    material: field(answer.material),
    distinguishing_marks: list(answer.distinguishing_marks),
    visible_text: list(answer.visible_text),
    description: redact(answer.description),
  };
  return { answer: redacted, redactedKinds: [...kinds].sort() };
}

/** Null when nothing but placeholders and punctuation is left. */
function meaningful(text: string): string | null {
  return /[\p{L}\p{N}]/u.test(text.replace(PLACEHOLDER, '')) ? text : null;
}
