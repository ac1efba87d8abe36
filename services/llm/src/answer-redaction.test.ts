import { describe, expect, it } from 'vitest';
import { redactAnswer } from './answer-redaction.js';
import { checkItemDescription, type ItemDescription } from './item-description.js';
import { VALID_ANSWER } from './test-support/item-answers.js';

const answer = (overrides: Partial<ItemDescription>): ItemDescription => {
  const checked = checkItemDescription(VALID_ANSWER);
  if (!checked.ok) throw new Error(checked.reason);
  return { ...checked.value, ...overrides };
};

describe('redactAnswer', () => {
  it('leaves an answer without personal data as it is', () => {
    const clean = answer({});
    expect(redactAnswer(clean)).toEqual({ answer: clean, redactedKinds: [] });
  });

  it('removes contact data, card numbers and serials from every free-text field, and drops what is left empty', () => {
    const { answer: redacted, redactedKinds } = redactAnswer(
      answer({
        brand: 'Apple',
        model: 'S/N: C02XK1ZJHV2F',
        distinguishing_marks: ['name tag: call 415 555 0134', '+1 415 555 0134'],
        visible_text: ['Visa 4111 1111 1111 1111', 'owner@example.org'],
        description: 'A wallet with a card; the owner wrote owner@example.org on it.',
      }),
    );
    const text = JSON.stringify(redacted);
    for (const secret of ['C02XK1ZJHV2F', '555', '4111', 'owner@example.org']) expect(text).not.toContain(secret);
    expect(redacted.brand).toBe('Apple');
    expect(redacted.model).toBe('S/N: [SERIAL]');
    expect(redacted.distinguishing_marks).toEqual(['name tag: call [PHONE]']);
    expect(redacted.visible_text).toEqual(['Visa [CARD]']);
    expect(redacted.description).toBe('A wallet with a card; the owner wrote [EMAIL] on it.');
    expect(redactedKinds).toEqual(['card_number', 'email', 'phone', 'serial_number']);
  });

  it('redacts visible_text as the document it is, and takes the holder it names out of every other field', () => {
    const { answer: redacted } = redactAnswer(
      answer({
        category: 'document',
        brand: null,
        model: null,
        visible_text: [
          'PASSPORT',
          'Surname / Nom',
          'ERIKSSON',
          'Given names / Prénoms',
          'ANNA MARIA',
          'P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<',
        ],
        distinguishing_marks: ['sticker reading Eriksson'],
        description: "A passport; the holder's name, Anna Eriksson, is printed on the data page.",
      }),
    );
    const text = JSON.stringify(redacted);
    for (const secret of ['ERIKSSON', 'Eriksson', 'ANNA', 'Anna', 'MARIA']) expect(text).not.toContain(secret);
    expect(redacted.visible_text).toContain('PASSPORT');
  });

  it('masks an identifier found in one field wherever the answer repeats it, and one written the way people write it', () => {
    const { answer: redacted, redactedKinds } = redactAnswer(
      answer({
        visible_text: ['S/N: C02XK1ZJHV2F'],
        model: 'C02XK1ZJHV2F',
        distinguishing_marks: ['engraved serial C02XK1ZJHV2F on the back'],
        description: 'A laptop, serial C02XK1ZJHV2F.',
      }),
    );
    expect(JSON.stringify(redacted)).not.toContain('C02XK1ZJHV2F');
    expect(redacted.model).toBeNull();
    expect(redacted.description).toBe('A laptop, serial [SERIAL].');
    expect(redactedKinds).toContain('serial_number');
  });
});
