/**
 * Puts the model's answer through @media-ai/privacy, the one redactor: a model that reads a name tag,
 * a phone number on a sticker, a passport page or a card number aloud must not publish it (nor cache
 * it: the redacted answer is what the result cache keeps). `visible_text` is document text, what the
 * model read on the item: redacted as OCR lines are, with the whole of it as context, so a passport's
 * policy applies to a passport. Every free-text field is free text, redacted with that context (the
 * holder's name the model read lends itself to the description). Identifiers (serials, IMEIs,
 * document and card numbers) found anywhere are masked wherever their value is written again, and
 * identifiers written the way people write them ("serial C02X...") by libs/privacy's identifier
 * rules; the ocr stage is the one that publishes their keyed hashes.
 *
 * Must never leave a removed value in any field, and never keep a field that was nothing but
 * personal data (a mark reading "[PHONE]" helps nobody recognise the item).
 */
import {
  isOnlyPlaceholders,
  maskIdentifiers,
  maskIdentifierValues,
  redactFreeText,
  redactPersonalData,
  type Identifier,
} from '@media-ai/privacy';
import type { ItemDescription } from './item-description.js';

export interface RedactedAnswer {
  answer: ItemDescription;
  /** Kinds removed (email, phone, card_number, serial_number, ...), sorted; for logs and counters. */
  redactedKinds: string[];
}

export function redactAnswer(answer: ItemDescription): RedactedAnswer {
  const kinds = new Set<string>();
  const identifiers: Identifier[] = [];
  const context = answer.visible_text.join('\n');

  // Document text first: its identifiers and names are known before the free text is read.
  const read = answer.visible_text.length > 0 ? redactPersonalData(context, { context }) : null;
  read?.redactedKinds.forEach((k) => kinds.add(k));
  if (read) identifiers.push(...read.identifiers);
  const visibleText = read ? read.text.split('\n') : [];

  const free = (text: string): string => {
    const result = redactFreeText(text, { context });
    result.redactedKinds.forEach((k) => kinds.add(k));
    identifiers.push(...result.identifiers);
    const written = maskIdentifiers(result.text);
    for (const id of written.identifiers) kinds.add(id.kind);
    identifiers.push(...written.identifiers);
    return written.text;
  };
  const brand = answer.brand === null ? null : free(answer.brand);
  const model = answer.model === null ? null : free(answer.model);
  const material = answer.material === null ? null : free(answer.material);
  const marks = answer.distinguishing_marks.map(free);
  const description = free(answer.description);

  // A value found in one field (a serial the model read in visible_text) may be repeated in another.
  const masked = (text: string): string => maskIdentifierValues(text, identifiers);
  const field = (text: string | null): string | null => (text === null ? null : meaningful(masked(text)));
  const list = (texts: string[]): string[] => [...new Set(texts.map((t) => meaningful(masked(t))).filter((t): t is string => t !== null))];

  const redacted: ItemDescription = {
    ...answer,
    brand: field(brand),
    model: field(model),
    material: field(material),
    distinguishing_marks: list(marks),
    visible_text: list(visibleText),
    description: masked(description),
  };
  return { answer: redacted, redactedKinds: [...kinds].sort() };
}

/** Null when nothing but placeholders and punctuation is left. */
function meaningful(text: string): string | null {
  return isOnlyPlaceholders(text) ? null : text;
}
